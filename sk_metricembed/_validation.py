"""Input checks shared across the package: rows, images, labels, image shapes.

Everything here runs before any training starts, so that a bad input costs
nothing but a clear message naming the parameter, the value and the fix.
Each rule lives here once: the estimators, scorers, constraint samplers,
plots and the command line all call these.
"""

from __future__ import annotations

import math
import numbers
import os
import sys
import warnings
from pathlib import Path

import numpy as np
import sklearn
from sklearn.utils.validation import check_array, validate_data


def validate_rows(estimator, X, *, reset: bool, ensure_min_samples: int = 1):
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
    check_float32_range(X)
    return X


def check_float32_range(X) -> None:
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


def validate_images(estimator, X, *, reset: bool, **check_params) -> np.ndarray:
    """``validate_data`` for flattened images or a stack of images.

    ``X`` is either rows of flattened images ``(n_samples, n_features)`` or a
    stack ``(n_samples, *image_shape)``. A stack is checked as it is and
    counts the values of one image as its features, so that
    ``n_features_in_``, feature names and the feature count at ``transform``
    work alike for both layouts; after fit, a stack must also hold images of
    the fitted ``estimator.image_shape_``. ``check_params`` go to
    :func:`~sklearn.utils.check_array`: with ``dtype="numeric"`` and
    ``ensure_all_finite=False`` a memmap is checked without being converted.
    """
    is_stack = (
        np.ndim(X) > 2 if isinstance(X, (list, tuple)) else getattr(X, "ndim", 2) > 2
    )
    if not is_stack:
        return validate_data(estimator, X, reset=reset, **check_params)
    X = check_array(X, allow_nd=True, estimator=estimator, **check_params)
    validate_data(estimator, X.reshape(len(X), -1), reset=reset, skip_check_array=True)
    if not reset and X.shape[1:] != estimator.image_shape_:
        raise ValueError(
            f"X holds images of shape {X.shape[1:]}, but this "
            f"{type(estimator).__name__} was fitted on images of shape "
            f"{estimator.image_shape_}; pass images of that shape or fit again."
        )
    return X


def check_labels(y, *, name: str = "y") -> np.ndarray:
    """``y`` as a 1-D int64 array: class labels ``>= 0``, ``-1`` for unlabelled.

    A ``(n, 1)`` column is read as 1-D. Labels that are not numbers (text,
    booleans) are a ``TypeError``; numbers that are not integer labels
    (fractions, NaN, values below -1) and a wrong shape are a ``ValueError``.
    """
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y.ravel()
    if y.ndim != 1:
        raise ValueError(
            f"{name} must be 1-D (one label per row), got shape {y.shape}."
        )
    if y.dtype.kind not in "iuf":
        raise TypeError(
            f"Unknown label type: {name} must hold integer class labels (-1 for "
            "unlabelled rows), got "
            f"dtype {y.dtype}; encode the classes as integers, for example with "
            "sklearn.preprocessing.LabelEncoder."
        )
    if y.dtype.kind == "f":
        bad = ~np.isfinite(y) | (y != np.round(y))
        if bad.any():
            raise ValueError(
                f"{name} must hold integer class labels, got the non-integer value "
                f"{y[bad][0]!r}; pass integers, with -1 for unlabelled rows."
            )
    y = y.astype(np.int64)
    if y.size and y.min() < -1:
        raise ValueError(
            f"{name} holds labels below -1 (min {y.min()}); use -1 for unlabelled "
            "rows and labels >= 0 for classes."
        )
    return y


def resolve_image_shape(
    image_shape, n_features: int, *, name: str = "image_shape", square: bool = False
) -> tuple[int, ...] | None:
    """The shape of one image whose values fill rows of ``n_features``.

    ``image_shape`` is a sequence of positive integers whose product is
    ``n_features``. When it is None the result is None, or with ``square``
    the side x side shape of square grey images (an error for rows that are
    not square). Errors name ``name``.
    """
    if image_shape is None:
        if not square:
            return None
        side = math.isqrt(n_features)
        if side * side != n_features:
            raise ValueError(
                f"rows of {n_features} values are not square images; pass "
                f"{name}=(height, width[, channels])."
            )
        return (side, side)
    shape = tuple(image_shape)
    if not shape or not all(
        isinstance(s, numbers.Integral) and not isinstance(s, bool) and s >= 1
        for s in shape
    ):
        raise ValueError(
            f"{name} must hold positive integer sizes, got {image_shape!r}."
        )
    if math.prod(shape) != n_features:
        raise ValueError(
            f"{name}={shape} holds {math.prod(shape)} values per image but the "
            f"rows have {n_features} features."
        )
    return tuple(int(s) for s in shape)


# Frames in these folders are the library's, not the caller's.
_LIBRARY_FOLDERS = tuple(
    str(Path(module.__file__).resolve().parent) + os.sep
    for module in (sys.modules[__package__], sklearn)
)


def warn(message: str, category: type[Warning] = UserWarning) -> None:
    """``warnings.warn`` pointing at the caller's line, however deep the call.

    The warning names the first frame outside this package and scikit-learn
    (whose ``_fit_context`` and ``validate_params`` wrap our functions), so
    that the same check warns at the user's ``fit(...)`` or
    ``check_pairs(...)`` line whichever path reached it.
    """
    frame, stacklevel = sys._getframe(1), 2
    while frame is not None and frame.f_code.co_filename.startswith(_LIBRARY_FOLDERS):
        frame, stacklevel = frame.f_back, stacklevel + 1
    warnings.warn(message, category, stacklevel=stacklevel)
