"""Histogram-of-oriented-gradients (HOG) features as a scikit-learn transformer.

:class:`HOGTransformer` computes :func:`skimage.feature.hog` for every image of
a batch at once (see :mod:`sk_metricembed._hog_batched`) instead of calling it
image by image; its output matches skimage to rounding.
"""

from __future__ import annotations

import math
from numbers import Integral

import numpy as np
from joblib import Parallel, delayed, effective_n_jobs
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils import gen_even_slices
from sklearn.utils.validation import check_is_fitted

from ._hog_batched import BLOCK_NORMS, hog_stack
from ._sklearn_compat import Interval, StrOptions, _check_feature_names_in, _fit_context
from ._validation import resolve_image_shape, validate_images


def _pair(value: object, name: str) -> tuple[int, int]:
    """Validate a ``(rows, cols)`` pair of positive integers."""
    if (
        len(value) != 2
        or not all(isinstance(v, Integral) and not isinstance(v, bool) for v in value)
        or min(value) < 1
    ):
        raise ValueError(
            f"{name} must be a pair of positive integers (rows, cols); "
            f"got {name}={value!r}."
        )
    return int(value[0]), int(value[1])


def _fitting_cells(height: int, width: int, cells_per_block) -> str:
    """Cell and block sizes of which one block fits the images, as text."""
    cells = (height // cells_per_block[0], width // cells_per_block[1])
    if min(cells) >= 1:
        return f"pixels_per_cell={cells} fits one block of {cells_per_block}"
    return f"cells_per_block=(1, 1) with pixels_per_cell={(height, width)} fits"


class HOGTransformer(TransformerMixin, BaseEstimator):
    """Histogram-of-oriented-gradients features of images.

    Applies :func:`skimage.feature.hog` (with ``feature_vector=True``) to every
    image, computed for the whole batch at once with numpy; the output matches
    skimage's to rounding. The transformer learns nothing: ``fit`` only
    resolves the image shape and the number of output features.

    Parameters
    ----------
    orientations : int, default=9
        Number of orientation bins over 0-180 degrees.
    pixels_per_cell : tuple of (int, int), default=(8, 8)
        Size (rows, cols) of a cell in pixels.
    cells_per_block : tuple of (int, int), default=(3, 3)
        Number of cells (rows, cols) in each normalisation block.
    block_norm : {"L1", "L1-sqrt", "L2", "L2-Hys"}, default="L2-Hys"
        Block normalisation method, as in skimage.
    transform_sqrt : bool, default=False
        Take the square root of the pixel values first (power-law
        compression); the pixels must then be non-negative.
    image_shape : tuple of int, default=None
        Shape of one image, ``(height, width)`` or, with ``channel_axis``,
        ``(height, width, channels)`` in the order the channel axis
        implies. Needed to read flattened rows, except for square grey images
        (784 features are read as 28x28). One entry may be -1 and is then
        inferred from the row length, as in :func:`numpy.reshape`. Ignored
        apart from a consistency check when ``X`` is a stack of images.
    channel_axis : int, default=None
        Axis of the colour channels within one image (e.g. -1 for
        ``(height, width, channels)``); None for grey images. As in skimage,
        each pixel takes the gradient of its strongest channel.
    n_jobs : int, default=None
        Number of joblib workers (threads unless a joblib backend context
        says otherwise); the images are split into one chunk per worker. None
        means 1 unless in a :obj:`joblib.parallel_backend` context, -1 means
        all processors.

    Attributes
    ----------
    n_features_in_ : int
        Number of pixel values per image seen during :term:`fit`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when `X`
        has feature names that are all strings.
    image_shape_ : tuple of int
        Shape of one image (with channels where present) resolved at fit.
    n_features_out_ : int
        Length of one HOG feature vector.

    See Also
    --------
    skimage.feature.hog : The per-image function this transformer batches.
    TorchFeatureExtractor : Features from a pretrained torch network.

    References
    ----------
    .. [1] Dalal, N. and Triggs, B., "Histograms of Oriented Gradients for
       Human Detection", CVPR 2005, :doi:`10.1109/CVPR.2005.177`.

    Examples
    --------
    >>> import numpy as np
    >>> from sk_metricembed.hog import HOGTransformer
    >>> rng = np.random.default_rng(0)
    >>> X = rng.random((5, 28 * 28))  # five flattened 28x28 images
    >>> hog = HOGTransformer(pixels_per_cell=(7, 7), cells_per_block=(2, 2))
    >>> features = hog.fit_transform(X)
    >>> features.shape
    (5, 324)
    >>> hog.image_shape_
    (28, 28)
    >>> hog.get_feature_names_out()[:3]
    array(['hog0', 'hog1', 'hog2'], dtype=object)
    """

    _parameter_constraints: dict = {
        "orientations": [Interval(Integral, 1, None, closed="left")],
        "pixels_per_cell": [tuple, list],
        "cells_per_block": [tuple, list],
        "block_norm": [StrOptions(set(BLOCK_NORMS))],
        "transform_sqrt": ["boolean"],
        "image_shape": [tuple, list, None],
        "channel_axis": [Interval(Integral, -3, 2, closed="both"), None],
        "n_jobs": [Integral, None],
    }

    def __init__(
        self,
        orientations: int = 9,
        pixels_per_cell: tuple[int, int] = (8, 8),
        cells_per_block: tuple[int, int] = (3, 3),
        block_norm: str = "L2-Hys",
        transform_sqrt: bool = False,
        image_shape: tuple[int, ...] | None = None,
        channel_axis: int | None = None,
        n_jobs: int | None = None,
    ) -> None:
        self.orientations = orientations
        self.pixels_per_cell = pixels_per_cell
        self.cells_per_block = cells_per_block
        self.block_norm = block_norm
        self.transform_sqrt = transform_sqrt
        self.image_shape = image_shape
        self.channel_axis = channel_axis
        self.n_jobs = n_jobs

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None) -> HOGTransformer:
        """Resolve the image shape and the length of the HOG vector.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_pixels) or (n_samples, *image_shape)
            Flattened images, one per row, or a stack of images.
        y : None
            Ignored.

        Returns
        -------
        self : HOGTransformer
            The fitted transformer.
        """
        pixels_per_cell = _pair(self.pixels_per_cell, "pixels_per_cell")
        cells_per_block = _pair(self.cells_per_block, "cells_per_block")
        if self.n_jobs == 0:  # joblib's own error would wait for transform
            raise ValueError(
                "n_jobs=0 runs no worker; give None (1 worker), a positive "
                "count, or -1 for every processor."
            )
        X = self._validate_images(X, reset=True)
        self.image_shape_ = self._resolve_image_shape(X)
        height, width = self._spatial_shape(self.image_shape_)
        n_blocks = [
            size // cell - block + 1
            for size, cell, block in zip(
                (height, width), pixels_per_cell, cells_per_block
            )
        ]
        if min(n_blocks) < 1:
            raise ValueError(
                f"Images of {height}x{width} pixels are smaller than one block of "
                f"cells_per_block={cells_per_block} cells of "
                f"pixels_per_cell={pixels_per_cell} pixels; use smaller cells "
                f"or blocks ({_fitting_cells(height, width, cells_per_block)}), "
                "or check image_shape."
            )
        self.n_features_out_ = (
            math.prod(n_blocks) * math.prod(cells_per_block) * self.orientations
        )
        return self

    def transform(self, X) -> np.ndarray:
        """Compute the HOG feature vector of every image.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_pixels) or (n_samples, *image_shape)
            Flattened images, one per row, or a stack of images, of the shape
            seen in :meth:`fit`.

        Returns
        -------
        features : ndarray of shape (n_samples, n_features_out_)
            HOG features; float32 for float32 input, float64 otherwise.
        """
        check_is_fitted(self)
        X = self._validate_images(X, reset=False)
        images = X.reshape(len(X), *self.image_shape_)
        if self.channel_axis is not None:
            images = np.moveaxis(images, self.channel_axis % 3 + 1, -1)
        params = {
            "orientations": self.orientations,
            "pixels_per_cell": _pair(self.pixels_per_cell, "pixels_per_cell"),
            "cells_per_block": _pair(self.cells_per_block, "cells_per_block"),
            "block_norm": self.block_norm,
            "transform_sqrt": self.transform_sqrt,
        }
        n_chunks = min(effective_n_jobs(self.n_jobs), len(images))
        if n_chunks <= 1:
            return hog_stack(images, params)
        chunks = Parallel(n_jobs=n_chunks, prefer="threads")(
            delayed(hog_stack)(images[rows], params)
            for rows in gen_even_slices(len(images), n_chunks)
        )
        return np.concatenate(chunks)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Names of the HOG features: ``hog0``, ``hog1``, ...

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Only checked against the features seen in :meth:`fit`.

        Returns
        -------
        feature_names_out : ndarray of str objects
            One name per output feature.
        """
        check_is_fitted(self, "n_features_out_")
        _check_feature_names_in(self, input_features, generate_names=False)
        return np.asarray(
            [f"hog{i}" for i in range(self.n_features_out_)], dtype=object
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.input_tags.positive_only = bool(self.transform_sqrt)
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags

    def _validate_images(self, X, reset: bool) -> np.ndarray:
        """Check ``X`` once; stacks of images count their pixels as features."""
        X = validate_images(self, X, reset=reset, dtype=[np.float64, np.float32])
        n_image_dims = 2 if self.channel_axis is None else 3
        if X.ndim > 2 and X.ndim != 1 + n_image_dims:
            raise ValueError(
                f"X has shape {X.shape}, but with channel_axis="
                f"{self.channel_axis} a stack of images is (n_samples, "
                f"*image_shape) with {n_image_dims} image dimensions; reshape X "
                "or pass flattened rows."
            )
        if self.transform_sqrt and X.size and X.min() < 0:
            raise ValueError(
                f"Negative values in data passed to {type(self).__name__} with "
                f"transform_sqrt=True (minimum {X.min()}); rescale X to "
                "non-negative values or set transform_sqrt=False."
            )
        return X

    def _resolve_image_shape(self, X: np.ndarray) -> tuple[int, ...]:
        """The shape of one image, from ``image_shape`` and the data.

        On top of :func:`resolve_image_shape`'s rules: one entry per image
        dimension (channels included with ``channel_axis``), one of them may
        be -1 (inferred as :func:`numpy.reshape` does), and a stack of
        images carries its own shape, which ``image_shape`` must agree with.
        """
        n_image_dims = 2 if self.channel_axis is None else 3
        shape = None if self.image_shape is None else tuple(self.image_shape)
        if shape is not None and (len(shape) != n_image_dims or shape.count(-1) > 1):
            hint = (
                "; for images with channels, (height, width, channels), set "
                "channel_axis=-1"
                if self.channel_axis is None and shape is not None and len(shape) == 3
                else ""
            )
            raise ValueError(
                f"image_shape must hold {n_image_dims} sizes (at most one of them "
                f"-1) with channel_axis={self.channel_axis}; got "
                f"image_shape={self.image_shape!r}{hint}."
            )
        if X.ndim > 2:
            if shape is None:
                return tuple(int(s) for s in X.shape[1:])
            shape = tuple(s if v == -1 else v for v, s in zip(shape, X.shape[1:]))
            if shape != X.shape[1:]:
                raise ValueError(
                    f"image_shape={self.image_shape!r} does not match the images in "
                    f"X of shape {X.shape[1:]}; fix image_shape or leave it None."
                )
        elif shape is None and self.channel_axis is not None:
            raise ValueError(
                f"X has {self.n_features_in_} features per row and image_shape="
                "None, so the image shape cannot be inferred (only square grey "
                "images are); pass image_shape=(height, width), with the channels "
                "where channel_axis is set, or a stack of images."
            )
        elif shape is not None and -1 in shape:
            shape = self._infer_size(shape)
        return resolve_image_shape(shape, self.n_features_in_, square=True)

    def _infer_size(self, shape: tuple) -> tuple:
        """Replace the -1 of ``shape`` by the size the row length implies."""
        known = [v for v in shape if v != -1]
        if not all(isinstance(v, Integral) and v >= 1 for v in known):
            return shape  # resolve_image_shape reports the bad size
        size, remainder = divmod(self.n_features_in_, math.prod(known))
        if remainder:
            raise ValueError(
                f"image_shape={self.image_shape!r} does not fit rows of "
                f"{self.n_features_in_} features, which are not a multiple of "
                f"{math.prod(known)}; pass an image_shape whose product is "
                f"{self.n_features_in_}."
            )
        return tuple(size if v == -1 else v for v in shape)

    def _spatial_shape(self, image_shape: tuple[int, ...]) -> tuple[int, int]:
        """``(height, width)`` of an image, leaving out the channel axis."""
        if self.channel_axis is None:
            return image_shape
        spatial = list(image_shape)
        del spatial[self.channel_axis]
        return tuple(spatial)
