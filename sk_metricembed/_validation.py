"""Input checks of the embedders, shared by fit, transform and inverse_transform.

Everything here runs before any training starts, so that a bad input costs
nothing but a clear message naming the parameter and the fix.
"""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.utils.validation import validate_data


def _is_auto(value) -> bool:
    return isinstance(value, str) and value == "auto"


def _validate_rows(estimator, X, *, reset: bool, ensure_min_samples: int = 1):
    """``validate_data`` for rows the float32 network will read."""
    try:
        X = validate_data(
            estimator,
            X,
            dtype=[np.float32, np.float64],
            reset=reset,
            ensure_min_samples=ensure_min_samples,
        )
    except ValueError as error:
        if "could not convert string" not in str(error):
            raise
        raise ValueError(
            f"X must hold numbers, but it holds text ({error}); encode it first, "
            "for example with sklearn.preprocessing.OrdinalEncoder."
        ) from error
    _check_float32_range(X)
    return X


def _check_float32_range(X) -> None:
    # float64 rows are cast to float32 chunk by chunk: catch overflow here,
    # before training, rather than as an infinite loss or embedding later.
    if X.dtype == np.float64 and X.size:
        largest = max(abs(float(X.max())), abs(float(X.min())))
        if largest > float(np.finfo(np.float32).max):
            raise ValueError(
                f"X holds values beyond float32's range (largest magnitude "
                f"{largest:.3g}); the network computes in float32: scale X, for "
                "example with sklearn.preprocessing.StandardScaler."
            )


def _check_image_shape(image_shape, n_features: int):
    if image_shape is None:
        return None
    shape = tuple(image_shape)
    if len(shape) not in (2, 3) or not all(
        isinstance(s, numbers.Integral) and s >= 1 for s in shape
    ):
        raise ValueError(
            "image_shape must be (height, width) or (height, width, channels) of "
            f"positive integers, got {image_shape!r}."
        )
    if int(np.prod(shape)) != n_features:
        raise ValueError(
            f"image_shape={shape} holds {int(np.prod(shape))} values per image but X "
            f"has {n_features} features per row."
        )
    return shape if len(shape) == 3 else (*shape, 1)
