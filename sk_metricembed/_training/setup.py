"""Torch set-up of a fit: the device, the optimiser class and seeding."""

from __future__ import annotations

import functools
from contextlib import contextmanager

import torch

#: The device names the estimators document; any name torch knows
#: ("cuda:1", ...) works too, and "auto" takes CUDA when there is a GPU.
DEVICES = ("cpu", "cuda", "auto")
OPTIMIZERS = {
    "adam": torch.optim.Adam,
    "adamw": torch.optim.AdamW,
    "sgd": torch.optim.SGD,
}


def resolve_device(device: str | torch.device) -> torch.device:
    """``device`` as a :class:`torch.device`; ``"auto"`` takes CUDA when available.

    CUDA without a GPU, a device of another type (``"mps"``, ``"xpu"``), or
    a name torch does not know, is a ``ValueError``.
    """
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        resolved = torch.device(device)
    except (RuntimeError, TypeError) as error:
        raise ValueError(
            f"device={device!r} is not a torch device; use one of {DEVICES} or "
            "'cuda:<index>'."
        ) from error
    if resolved.type not in ("cpu", "cuda"):
        raise ValueError(
            f"device={device!r}: the embedders train on the CPU or CUDA GPUs; "
            f"use one of {DEVICES} or 'cuda:<index>'."
        )
    if resolved.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(
            f"device={device!r} but torch finds no CUDA GPU; use device='cpu', "
            "or device='auto' to take a GPU only where there is one."
        )
    return resolved


def resolve_optimizer(optimizer):
    """The optimiser skorch builds: from a name, a class or a partial of one.

    A ``torch.optim.Optimizer`` subclass, or a :func:`functools.partial` of
    one with its other arguments (``partial(torch.optim.SGD, momentum=0.9)``),
    as skorch takes them. The learning rate is the estimator's ``lr``: a
    partial that sets ``lr`` is refused, as skorch would silently override it.
    """
    if isinstance(optimizer, str):
        return OPTIMIZERS[optimizer]
    base = optimizer.func if isinstance(optimizer, functools.partial) else optimizer
    if not (isinstance(base, type) and issubclass(base, torch.optim.Optimizer)):
        raise TypeError(
            f"optimizer must be one of {tuple(OPTIMIZERS)}, a "
            "torch.optim.Optimizer subclass or a functools.partial of one, got "
            f"{optimizer!r}."
        )
    if isinstance(optimizer, functools.partial) and optimizer.args:
        raise ValueError(
            f"optimizer={optimizer!r} binds positional arguments, which would "
            "take the place of the network's parameters; bind keywords only."
        )
    if isinstance(optimizer, functools.partial) and "lr" in optimizer.keywords:
        raise ValueError(
            f"optimizer={optimizer!r} sets lr, which the embedder's lr "
            "parameter would override; leave lr out of the partial and set lr "
            "on the embedder."
        )
    return optimizer


@contextmanager
def seeded_torch(seed: int, device: str):
    """Seed torch for one fit without touching the caller's generators.

    On CPU, deterministic algorithms are switched on for the duration: the
    parallel scatter-add in the backward pass of row indexing otherwise sums
    in a thread-dependent order, so the same seed could differ in the last
    bits. CUDA keeps its fast kernels; the same seed gives the same
    embedding on CPU only.
    """
    devices = []
    if torch.device(device).type == "cuda":
        index = torch.device(device).index
        devices = [index if index is not None else torch.cuda.current_device()]
    was_deterministic = torch.are_deterministic_algorithms_enabled()
    was_warn_only = torch.is_deterministic_algorithms_warn_only_enabled()
    with torch.random.fork_rng(devices=devices):
        torch.manual_seed(seed)
        if not devices:
            torch.use_deterministic_algorithms(True, warn_only=True)
        try:
            yield
        finally:
            torch.use_deterministic_algorithms(
                was_deterministic, warn_only=was_warn_only
            )
