"""Mixed precision: bfloat16 training passes where the CPU has them, float32 codes."""

import numpy as np
import pytest
import torch
from sklearn.datasets import load_digits
from torch import nn

from sk_metricembed import SiameseAutoencoderEmbedder, TripletVAEEmbedder
from sk_metricembed._training import precision
from sk_metricembed._training.precision import (
    native_bfloat16_cpu,
    resolve_mixed_precision,
)

ESTIMATORS = [SiameseAutoencoderEmbedder, TripletVAEEmbedder]
FAST = dict(max_epochs=2, hidden_layer_sizes=(32,), latent_dim=3, random_state=0)


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    X, y = (X[:200] / 16.0).astype(np.float32), y[:200].copy()
    y[::2] = -1
    return X, y


@pytest.mark.parametrize("native", [True, False])
def test_auto_is_bf16_only_on_a_cpu_with_native_bfloat16(monkeypatch, native):
    monkeypatch.setattr(precision, "native_bfloat16_cpu", lambda: native)
    expected = "bf16" if native else "no"
    assert resolve_mixed_precision("auto", torch.device("cpu")) == expected
    # CUDA keeps float32 under "auto", whatever the host CPU has.
    assert resolve_mixed_precision("auto", torch.device("cuda")) == "no"
    # A value the user set is kept.
    assert resolve_mixed_precision("no", torch.device("cpu")) == "no"
    assert resolve_mixed_precision("bf16", torch.device("cpu")) == "bf16"


def test_a_torch_without_the_probes_counts_as_no_native_bfloat16(monkeypatch):
    for probe in precision._NATIVE_BFLOAT16_PROBES:
        monkeypatch.delattr(torch.cpu, probe, raising=False)
    assert native_bfloat16_cpu() is False


def test_bf16_on_a_gpu_without_bfloat16_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda: False)
    with pytest.raises(ValueError, match="mixed_precision='bf16'.*'no'"):
        resolve_mixed_precision("bf16", torch.device("cuda"))


def _linear_output_dtypes(estimator, X, y):
    """The dtypes of every Linear layer's outputs during ``fit``, then ``transform``."""
    seen = {"fit": set(), "transform": set()}
    phase = "fit"

    def record(module, inputs, output):
        if isinstance(module, nn.Linear):
            seen[phase].add(output.dtype)

    handle = nn.modules.module.register_module_forward_hook(record)
    try:
        estimator.fit(X, y)
        phase = "transform"
        codes = estimator.transform(X)
    finally:
        handle.remove()
    return seen, codes


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_bf16_trains_in_bfloat16_and_embeds_in_float32(Estimator, digits):
    X, y = digits
    estimator = Estimator(mixed_precision="bf16", **FAST)
    seen, codes = _linear_output_dtypes(estimator, X, y)
    assert estimator.mixed_precision_ == "bf16"
    assert torch.bfloat16 in seen["fit"]
    assert seen["transform"] == {torch.float32}
    assert codes.dtype == np.float32 and np.isfinite(codes).all()
    assert np.isfinite(estimator.history_[:, "train_loss"]).all()


def test_no_keeps_float32_throughout(digits):
    X, y = digits
    estimator = TripletVAEEmbedder(mixed_precision="no", **FAST)
    seen, _ = _linear_output_dtypes(estimator, X, y)
    assert estimator.mixed_precision_ == "no"
    assert seen["fit"] == {torch.float32}


def test_auto_records_what_it_chose(monkeypatch, digits):
    X, y = digits
    monkeypatch.setattr(precision, "native_bfloat16_cpu", lambda: False)
    estimator = TripletVAEEmbedder(**FAST).fit(X, y)
    assert estimator.mixed_precision == "auto"
    assert estimator.mixed_precision_ == "no"


def test_bf16_fits_are_reproducible(digits):
    X, y = digits
    first = TripletVAEEmbedder(mixed_precision="bf16", **FAST).fit_transform(X, y)
    second = TripletVAEEmbedder(mixed_precision="bf16", **FAST).fit_transform(X, y)
    np.testing.assert_array_equal(first, second)


def test_a_warm_fit_takes_the_mixed_precision_set_before_it(digits):
    X, y = digits
    estimator = TripletVAEEmbedder(warm_start=True, mixed_precision="bf16", **FAST)
    estimator.fit(X, y)
    estimator.set_params(mixed_precision="no")
    seen, _ = _linear_output_dtypes(estimator, X, y)
    assert estimator.mixed_precision_ == "no"
    assert seen["fit"] == {torch.float32}
