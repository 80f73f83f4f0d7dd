"""The optimiser's fused implementation, where torch has one for the device.

torch's Adam and AdamW can update every parameter in one kernel
(``fused=True``) instead of a Python loop over the tensors. The update is
the same algorithm; on the CPU the loop took a quarter of a default fit
(``python -m benchmarks.profile_fit '{}' 0.01 tvae``: 13.5 of 55 s on 2
cores), the fused kernel an eighth of that. Older torch releases have the
kernel on CUDA only, so whether it runs is probed once per optimiser and
device type, and a fit falls back to torch's default where it does not.
"""

from __future__ import annotations

import functools

import torch

#: The optimisers whose ``fused=True`` the fit asks for.
FUSED_OPTIMIZERS = (torch.optim.Adam, torch.optim.AdamW)


@functools.cache
def _fused_step_runs(optimizer: type, device_type: str) -> bool:
    """Whether ``optimizer(..., fused=True)`` steps on ``device_type``."""
    parameter = torch.nn.Parameter(torch.zeros(1, device=device_type))
    parameter.grad = torch.zeros(1, device=device_type)
    try:
        optimizer([parameter], fused=True).step()
    except (RuntimeError, TypeError, ValueError):
        return False
    return True


def fused_options(optimizer, device: torch.device) -> dict:
    """``{"fused": True}`` where ``optimizer`` has a fused step on ``device``.

    Examples
    --------
    >>> import torch
    >>> from sk_metricembed._training.fused import fused_options
    >>> fused_options(torch.optim.SGD, torch.device("cpu"))
    {}
    """
    if optimizer not in FUSED_OPTIMIZERS:
        return {}
    return {"fused": True} if _fused_step_runs(optimizer, device.type) else {}
