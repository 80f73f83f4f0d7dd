"""Mixed precision: the training passes in bfloat16 where the CPU computes it.

Under ``torch.autocast`` a training step runs its matrix products and
convolutions (the encoder's and decoder's passes, forward and backward) in
bfloat16, while the weights, the optimiser's state and the objective stay
float32: the pass's outputs are cast back before the loss. A CPU with
AVX512-BF16 or AMX instructions computes bfloat16 products natively, at
about twice the float32 rate; elsewhere torch emulates them, more slowly than
float32. ``mixed_precision="auto"`` is therefore ``"bf16"`` on such a CPU
and ``"no"`` on others, and on CUDA, where the package's figures were
measured in float32. Codes (``transform``, the pseudo-label refreshes) are
computed in float32 either way. ``docs/scaling.md`` gives the measured
effect (a fifth to a third of a MNIST fit, its accuracy within a seed's spread).
"""

from __future__ import annotations

import contextlib

import torch

#: The values of ``mixed_precision``, in Hugging Face Accelerate's words:
#: ``"no"`` for float32 throughout, ``"bf16"`` for bfloat16 autocast.
MIXED_PRECISION = ("auto", "no", "bf16")

#: torch's probes of a CPU's native bfloat16 instructions (private, as
#: inductor uses them; a torch release without them counts as no support).
_NATIVE_BFLOAT16_PROBES = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")


def native_bfloat16_cpu() -> bool:
    """Whether this CPU computes bfloat16 products natively (AVX512-BF16, AMX).

    Examples
    --------
    >>> from sk_metricembed._training.precision import native_bfloat16_cpu
    >>> isinstance(native_bfloat16_cpu(), bool)
    True
    """
    return any(
        bool(getattr(torch.cpu, probe, lambda: False)())
        for probe in _NATIVE_BFLOAT16_PROBES
    )


def resolve_mixed_precision(value: str, device: torch.device) -> str:
    """``mixed_precision`` for a fit on ``device``: ``"no"`` or ``"bf16"``.

    ``"auto"`` is ``"bf16"`` on a CPU with native bfloat16 and ``"no"``
    elsewhere. ``"bf16"`` on a CUDA GPU without bfloat16 is a
    ``ValueError``, raised before training.

    Examples
    --------
    >>> import torch
    >>> from sk_metricembed._training.precision import resolve_mixed_precision
    >>> resolve_mixed_precision("no", torch.device("cpu"))
    'no'
    >>> resolve_mixed_precision("auto", torch.device("cuda"))
    'no'
    """
    if value == "auto":
        native = device.type == "cpu" and native_bfloat16_cpu()
        return "bf16" if native else "no"
    if value == "bf16" and device.type == "cuda" and not torch.cuda.is_bf16_supported():
        raise ValueError(
            f"mixed_precision='bf16' but the GPU of device={str(device)!r} has no "
            "bfloat16; use mixed_precision='no' (or 'auto')."
        )
    return value


def training_autocast(device: torch.device, mixed_precision: str):
    """The context a training pass runs in: bfloat16 autocast or nothing."""
    if mixed_precision != "bf16":
        return contextlib.nullcontext()
    return torch.autocast(device.type, dtype=torch.bfloat16)


def as_float32(outputs: dict) -> dict:
    """``outputs`` with its floating-point tensors cast back to float32."""
    return {
        name: value.float() if torch.is_floating_point(value) else value
        for name, value in outputs.items()
    }
