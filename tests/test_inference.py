"""Tests of sk_metricembed._training.inference: chunked forward passes."""

import numpy as np
import pytest
import torch

from sk_metricembed._training.inference import apply_in_chunks


def test_chunks_fill_one_output_in_order_and_in_eval_mode():
    module = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.Dropout(0.9))
    module.train()
    X = np.arange(30, dtype=np.float64).reshape(10, 3)
    seen = []

    def forward(rows):
        seen.append((len(rows), rows.dtype, module.training))
        return module(rows)

    out = apply_in_chunks(forward, X, "cpu", module=module, step=4)
    with torch.no_grad():
        expected = module[0](torch.from_numpy(X.astype(np.float32))).numpy()
    np.testing.assert_allclose(out, expected, rtol=1e-6)  # no dropout: eval mode
    assert seen == [(4, torch.float32, False), (4, torch.float32, False)] + [
        (2, torch.float32, False)
    ]
    assert module.training  # given back


def test_training_mode_comes_back_after_an_error():
    module = torch.nn.Linear(3, 2).train()

    def failing(rows):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        apply_in_chunks(failing, np.ones((5, 3)), "cpu", module=module)
    assert module.training


def test_the_caller_rows_are_never_handed_to_torch():
    # An in-place first layer must not change the caller's array.
    relu = torch.nn.ReLU(inplace=True)
    negative = -np.ones((4, 3), dtype=np.float32)
    out = apply_in_chunks(relu, negative, "cpu", module=relu, step=2)
    assert (out == 0).all()
    assert (negative == -1).all()
