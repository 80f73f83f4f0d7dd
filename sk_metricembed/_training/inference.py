"""Chunked inference: run a network function over rows without copying them all."""

from __future__ import annotations

import numpy as np
import torch

from .rows import dense_rows, rows_per_chunk

#: Rows per forward pass: large enough to amortise the call, small enough
#: that a memmap is never read whole.
INFERENCE_CHUNK = 4096


def apply_in_chunks(
    function, X, device, module=None, step=INFERENCE_CHUNK, dtype=np.float32
):
    """Run ``function`` over ``X`` in chunks; only one chunk is copied at a time.

    Each chunk of ``step`` rows (of any trailing shape) is copied as
    ``dtype`` into a tensor on ``device``; torch gets memory of its own, so
    neither a read-only memmap nor an in-place first layer is a problem. A
    scipy sparse ``X`` is densified chunk by chunk, in chunks of fewer rows
    when its rows are wide (:func:`.rows.rows_per_chunk`).
    Results go straight into one preallocated output, so the peak is the
    output plus a chunk (a list of chunks joined at the end would hold the
    output twice). ``module`` (default: the module ``function`` is bound to)
    runs in eval mode and gets its training mode back afterwards.
    """
    module = module if module is not None else getattr(function, "__self__", None)
    was_training = module.training if module is not None else False
    if module is not None:
        module.eval()
    output = None
    try:
        with torch.inference_mode():
            step = rows_per_chunk(X, step)
            for start in range(0, X.shape[0], step):
                rows = dense_rows(X, slice(start, start + step), dtype)
                result = function(torch.from_numpy(rows).to(device)).cpu().numpy()
                if output is None:
                    output = np.empty((X.shape[0], *result.shape[1:]), result.dtype)
                output[start : start + len(result)] = result
    finally:
        if module is not None:
            module.train(was_training)
    return output
