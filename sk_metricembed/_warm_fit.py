"""What a warm fit keeps from the first fit, and the check that it did.

``warm_start=True`` continues the fitted network with its objective and
callbacks. The parameter table (:mod:`._parameters`) flags the parameters a
warm fit reads again (``Parameter.warm_fit``); every other parameter, and
every routed argument, built something at the first fit, and a warm fit
whose value of one of them changed would silently ignore it. The estimator
keeps :func:`fixed_by_first_fit` of its first fit's parameters and calls
:func:`check_warm_fit` before a warm fit trains.
"""

from __future__ import annotations

import numpy as np

from ._parameters import PARAMETERS

#: The parameters a warm fit reads again (``Parameter.warm_fit``).
WARM_FIT_PARAMETERS = frozenset(p.name for p in PARAMETERS if p.warm_fit)


def fixed_by_first_fit(params: dict) -> dict:
    """The parameters of ``params`` that a warm fit keeps from the first fit.

    Every parameter of the table but :data:`WARM_FIT_PARAMETERS`, and the
    routed ones (``optimizer__*``, ``callbacks__*``, ``encoder__*``, ...),
    which reach the network and its optimiser when it is built.

    Examples
    --------
    >>> from sk_metricembed._warm_fit import fixed_by_first_fit
    >>> sorted(fixed_by_first_fit({"weight": 0.5, "lr": 0.01, "optimizer__eps": 1e-6}))
    ['optimizer__eps', 'weight']
    """
    return {k: v for k, v in params.items() if k not in WARM_FIT_PARAMETERS}


def check_warm_fit(first: dict, now: dict) -> None:
    """Raise a ``ValueError`` where a warm fit's parameters left the first fit's.

    ``first`` is :func:`fixed_by_first_fit` of the first fit's parameters,
    ``now`` the estimator's parameters at the warm fit.

    Examples
    --------
    >>> from sk_metricembed._warm_fit import check_warm_fit
    >>> check_warm_fit({"weight": 0.5}, {"weight": 0.5, "lr": 0.1})
    >>> check_warm_fit({"weight": 0.5}, {"weight": 1.0})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: warm_start=True continues the network fitted with weight=0.5, ...
    """
    changed = [
        name
        for name, value in fixed_by_first_fit(now).items()
        if not _same(first.get(name, _MISSING), value)
    ]
    changed += [name for name in first if name not in now]
    if changed:
        was = ", ".join(f"{name}={first.get(name, _MISSING)!r}" for name in changed)
        is_ = ", ".join(f"{name}={now.get(name, _MISSING)!r}" for name in changed)
        raise ValueError(
            f"warm_start=True continues the network fitted with {was}, and "
            f"keeps its architecture, objective and callbacks; the parameters "
            f"now say {is_}. Set them back to continue training, or set "
            f"warm_start=False to fit anew with them. A warm fit reads only "
            f"{', '.join(sorted(WARM_FIT_PARAMETERS))} again."
        )


class _Missing:
    def __repr__(self) -> str:
        return "<unset>"


_MISSING = _Missing()


def _same(first, now) -> bool:
    """Whether a parameter kept its value (tuples and lists alike, arrays too)."""
    if first is now:
        return True
    if isinstance(first, (list, tuple)) and isinstance(now, (list, tuple)):
        return len(first) == len(now) and all(map(_same, first, now))
    try:
        return bool(np.all(first == now)) and np.shape(first) == np.shape(now)
    except Exception:  # values that do not compare (tensors of two shapes)
        return False
