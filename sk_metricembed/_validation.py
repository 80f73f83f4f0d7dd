"""Input checks shared across the package: rows, images, image shapes.

Everything here runs before any training starts, so that a bad input costs
nothing but a clear message naming the parameter, the value and the fix.
Each rule lives here once: the estimators, scorers, constraint samplers,
plots and the command line all call these; the rule for labels has its
own module, :mod:`._labels`.
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
    """``validate_data`` for rows the float32 network will read.

    A scipy sparse matrix or array of any format comes back as CSR (whose
    rows index cheaply), never densified: the network reads its rows a batch
    at a time (``_training.rows``).
    """
    try:
        X = validate_data(
            estimator,
            X,
            dtype=[np.float32, np.float64],
            reset=reset,
            ensure_min_samples=ensure_min_samples,
            accept_sparse="csr",
        )
    except ValueError as error:
        if "Found array with dim" in str(error):
            raise ValueError(_rows_of_more_axes(X, error)) from error
        if "could not convert string" not in str(error):
            raise
        raise ValueError(
            f"X must hold numbers, but {_text_columns(X)} text ({error}); "
            "encode it first: a category as one column per value "
            "(sklearn.preprocessing.OneHotEncoder, whose codes keep every two "
            "categories equally far apart, as the embedding's distances need), "
            "for example in a sklearn.compose.ColumnTransformer."
        ) from error
    check_float32_range(X)
    return X


def _rows_of_more_axes(X, error) -> str:
    """What a 3-D or 4-D ``X`` most likely is, and how to pass it."""
    shape = getattr(X, "shape", None)
    shown = f"of shape {tuple(shape)}" if shape is not None else f"({error})"
    return (
        f"X must be 2-D rows (n_samples, n_features), got an array {shown}. "
        "A stack of images: flatten it, X.reshape(len(X), -1), and pass "
        "image_shape. Pairs or triplets given as their rows (metric-learn's "
        "(n, 2, n_features) or (n, 3, n_features) tuples): turn them into "
        "rows and indices with sk_metricembed.tuples_to_rows, then fit(X, "
        "pairs=pairs, pair_labels=...) or fit(X, triplets=triplets)."
    )


def _text_columns(X) -> str:
    """``"its column 'city' holds"`` when ``X`` is a DataFrame with text."""
    dtypes = getattr(X, "dtypes", None)
    if dtypes is None or not hasattr(dtypes, "items"):
        return "it holds"
    # pandas' own and extension dtypes (categorical, string) all have a kind.
    text = [str(name) for name, dtype in dtypes.items() if dtype.kind in "OSU"]
    if not text:
        return "it holds"
    shown = ", ".join(repr(name) for name in text[:5])
    more = f" and {len(text) - 5} more" if len(text) > 5 else ""
    if len(text) == 1:
        return f"its column {shown} holds"
    return f"its columns {shown}{more} hold"


def check_float32_range(X) -> None:
    # float64 rows are cast to float32 chunk by chunk: catch overflow here,
    # before training, rather than as an infinite loss or embedding later.
    # (A sparse X's size counts its stored values, its max and min its zeros.)
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
            f"rows have {n_features} features; the rows must be flattened images "
            f"of that shape (in a Pipeline, the rows this step receives: an "
            f"embedder after HOGTransformer or a scaler of features takes "
            f"{name}=None)."
        )
    return tuple(int(s) for s in shape)


#: The channel counts of images as they come: grey, colour, colour with alpha.
IMAGE_CHANNELS = (1, 3, 4)


def check_channels_last(shape: tuple[int, ...], name: str = "image_shape") -> None:
    """Refuse an embedder's ``(height, width, channels)`` that reads as channels first.

    ``(1, 8, 8)`` or ``(3, 32, 32)``, torch's order, would train on images
    one or three pixels high with 8 or 32 channels, and nothing downstream
    would fail until an image is drawn. A first entry that is an image's
    channel count with a last one beyond any (more than 4) is refused.

    >>> check_channels_last((32, 32, 3))
    >>> check_channels_last((3, 32, 32))
    Traceback (most recent call last):
    ...
    ValueError: image_shape=(3, 32, 32) reads as images of 3 x 32 pixels ...
    """
    height, width, channels = shape
    if height in IMAGE_CHANNELS and channels > max(IMAGE_CHANNELS):
        fix = (
            f"for one-channel images of {width} x {channels} pixels pass "
            f"{name}=({width}, {channels}) (one channel flattens alike in either "
            "order)"
            if height == 1
            else f"for {height}-channel images of {width} x {channels} pixels pass "
            f"{name}=({width}, {channels}, {height}), and if the rows were "
            "flattened channels first (torch's order) reorder them first: "
            "X.reshape(n, c, h, w).transpose(0, 2, 3, 1).reshape(n, -1)"
        )
        raise ValueError(
            f"{name}={shape} reads as images of {height} x {width} pixels with "
            f"{channels} channels: the embedders take channels last, (height, "
            f"width, channels), with rows flattened in that order; {fix}."
        )


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
