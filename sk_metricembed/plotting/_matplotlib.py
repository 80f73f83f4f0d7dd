"""What every matplotlib display needs: pyplot, imported late, and given axes.

matplotlib is imported only when a figure is drawn, so that the package
works without it; axes a caller gives are checked before anything is drawn.
"""

from __future__ import annotations

import math

import numpy as np

from .._sklearn_compat import HasMethods

#: A matplotlib Axes, recognised without importing matplotlib.
AXES = HasMethods(["scatter", "set_xlabel"])


def pyplot():
    """``matplotlib.pyplot``, or an ImportError that says what to install."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as error:  # pragma: no cover - depends on the install
        raise ImportError(
            "plotting needs matplotlib: pip install 'sk-metricembed[plot]'."
        ) from error
    return plt


def axes_grid(axes, shape: tuple[int, ...], *, holds: str) -> np.ndarray:
    """``axes`` (any nesting, read row by row) as an object array of ``shape``.

    ``holds`` says what the axes are for, in the error a wrong count gets.
    """
    grid = np.asarray(axes, dtype=object)
    if grid.size != math.prod(shape):
        raise ValueError(
            f"axes must hold {math.prod(shape)} matplotlib Axes ({holds}), got "
            f"{grid.size} (an array of shape {grid.shape}); pass axes=None for "
            "a new figure."
        )
    strays = [ax for ax in grid.flat if not AXES.is_satisfied_by(ax)]
    if strays:
        raise TypeError(
            f"axes must hold matplotlib Axes only, got {type(strays[0]).__name__} "
            f"{strays[0]!r}."
        )
    return grid.reshape(shape)
