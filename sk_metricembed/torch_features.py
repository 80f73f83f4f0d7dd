"""Features from a pretrained torch network as a scikit-learn transformer.

:class:`TorchFeatureExtractor` runs a user's ``nn.Module`` (for instance a
ResNet whose weights were loaded from a local file) over batches of images and
returns its pooled output as a numpy array, so that a pretrained backbone can
sit in a :class:`~sklearn.pipeline.Pipeline` in front of an embedder.
"""

from __future__ import annotations

from numbers import Integral

import numpy as np
import torch
from sklearn.base import (
    BaseEstimator,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
)
from sklearn.utils.validation import check_is_fitted
from torch import nn

from ._sklearn_compat import Interval, StrOptions, _fit_context
from ._training.inference import apply_in_chunks
from ._training.setup import resolve_device
from ._validation import IMAGE_CHANNELS, resolve_image_shape, validate_images

POOLINGS = ("avg", "max")


def _pool(output: torch.Tensor, pooling: str) -> torch.Tensor:
    """``(n, channels, *spatial)`` -> ``(n, channels)``; 2-D passes through."""
    if output.ndim == 2:
        return output
    spatial = output.flatten(start_dim=2)
    return spatial.mean(dim=2) if pooling == "avg" else spatial.amax(dim=2)


class TorchFeatureExtractor(
    ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator
):
    """Features of images from a torch module, pooled to one vector per image.

    The module runs in eval mode under :func:`torch.inference_mode`, batch by
    batch, so a large (memory-mapped) array is never converted at once. A
    4-D output (a feature map) is pooled over its spatial dimensions; a 2-D
    output is returned as it is. Nothing is learned: ``fit`` only records the
    input and output sizes, running the module on one image.

    Parameters
    ----------
    module : torch.nn.Module
        The network, e.g. a torchvision ResNet with its classification head
        replaced by ``nn.Identity()`` and weights loaded from a local file. It
        is used as it is, not copied; :meth:`transform` moves it to
        ``device`` and puts it in eval mode while it runs, then restores its
        training mode.
    image_shape : tuple of int, default=None
        Shape of one input in torch's order, typically ``(channels, height,
        width)``, used to reshape flattened rows: rows must be flattened
        channels first. (The embedders' ``image_shape`` is channels last,
        ``(height, width, channels)``; rows flattened for one are reordered
        for the other with ``X.reshape(n, h, w, c).transpose(0, 3, 1,
        2).reshape(n, -1)``; grey images flatten alike either way.) With
        None, rows are passed to the module as they are (for a module on
        vectors) and a stack ``(n, C, H, W)`` keeps its shape.
    batch_size : int, default=256
        Number of images per forward pass; the output does not depend on it.
    device : str or torch.device, default="cpu"
        Where the module runs: "cpu", "cuda" (or "cuda:<index>"), or "auto"
        for a GPU when torch finds one and the CPU otherwise.
    pooling : {"avg", "max"}, default="avg"
        Global pooling of outputs with more than two dimensions
        ``(n, channels, *spatial)`` over their spatial dimensions.
    dtype : {"float32", "float64"} or numpy float type, default=np.float32
        Type of the tensors given to the module and of the features returned;
        it must match the module's parameters.

    Attributes
    ----------
    n_features_in_ : int
        Number of values per input image seen during :term:`fit`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when `X`
        has feature names that are all strings.
    image_shape_ : tuple of int
        Shape of one input as the module receives it.
    device_ : torch.device
        The device the module runs on, with "auto" resolved.
    n_features_out_ : int
        Length of one feature vector.

    See Also
    --------
    HOGTransformer : Hand-crafted gradient features, without a network.

    Examples
    --------
    >>> import numpy as np
    >>> import torch
    >>> from torch import nn
    >>> from sk_metricembed.torch_features import TorchFeatureExtractor
    >>> _ = torch.manual_seed(0)
    >>> backbone = nn.Sequential(nn.Conv2d(1, 4, kernel_size=3), nn.ReLU())
    >>> X = np.random.default_rng(0).random((10, 8 * 8))  # flattened 8x8 images
    >>> extractor = TorchFeatureExtractor(backbone, image_shape=(1, 8, 8))
    >>> features = extractor.fit_transform(X)
    >>> features.shape, features.dtype
    ((10, 4), dtype('float32'))
    >>> extractor.get_feature_names_out()[:2]
    array(['torchfeatureextractor0', 'torchfeatureextractor1'], dtype=object)
    """

    _parameter_constraints: dict = {
        "module": [nn.Module],
        "image_shape": [tuple, list, None],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "device": [str, torch.device],
        "pooling": [StrOptions(set(POOLINGS))],
        "dtype": [StrOptions({"float32", "float64"}), type, np.dtype],
    }

    def __init__(
        self,
        module: nn.Module,
        image_shape: tuple[int, ...] | None = None,
        batch_size: int = 256,
        device: str | torch.device = "cpu",
        pooling: str = "avg",
        dtype: str | type | np.dtype = np.float32,
    ) -> None:
        self.module = module
        self.image_shape = image_shape
        self.batch_size = batch_size
        self.device = device
        self.pooling = pooling
        self.dtype = dtype

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None) -> TorchFeatureExtractor:
        """Record the input shape and run one image to size the output.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, *image_shape)
            Flattened images, one per row, or a stack of images.
        y : None
            Ignored.

        Returns
        -------
        self : TorchFeatureExtractor
            The fitted extractor.
        """
        self._check_dtype()
        self.device_ = resolve_device(self.device)
        X = self._validate_input(X, reset=True)
        self.image_shape_ = self._resolve_image_shape(X)
        # Two inputs where there are: a batch of one can pass where a module
        # reads the batch axis as something else (an unbatched image).
        try:
            first = self._features(X[:2])
        except RuntimeError as error:
            raise ValueError(
                f"module failed on the first inputs of shape {self.image_shape_}: "
                f"{error}; check image_shape and that the module accepts "
                f"(batch, *image_shape) inputs.{self._channel_hint()}"
            ) from error
        self.n_features_out_ = first.shape[1]
        return self

    def transform(self, X) -> np.ndarray:
        """Run the module over ``X`` in batches and pool its outputs.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, *image_shape)
            Flattened images, one per row, or a stack of images, of the shape
            seen in :meth:`fit`. A :class:`numpy.memmap` is read batch by batch.

        Returns
        -------
        features : ndarray of shape (n_samples, n_features_out_)
            The pooled module outputs, of type ``dtype``.
        """
        check_is_fitted(self)
        return self._features(self._validate_input(X, reset=False))

    @property
    def _n_features_out(self) -> int:
        return self.n_features_out_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        # The output type is `dtype`, whatever the input's.
        try:
            tags.transformer_tags.preserves_dtype = [np.dtype(self.dtype).name]
        except TypeError:  # an invalid dtype is reported by fit
            tags.transformer_tags.preserves_dtype = []
        return tags

    def _check_dtype(self) -> np.dtype:
        dtype = np.dtype(self.dtype)
        if dtype not in (np.float32, np.float64):
            raise ValueError(
                f"dtype must be float32 or float64 (the module's parameter type); "
                f"got dtype={self.dtype!r}."
            )
        return dtype

    def _validate_input(self, X, reset: bool) -> np.ndarray:
        """Check ``X`` without converting it, so a memmap stays on disk.

        The type conversion and the check for NaN and inf happen per batch.
        """
        return validate_images(
            self, X, reset=reset, dtype="numeric", ensure_all_finite=False
        )

    def _resolve_image_shape(self, X: np.ndarray) -> tuple[int, ...]:
        if self.image_shape is None:
            return tuple(int(s) for s in X.shape[1:])
        shape = resolve_image_shape(self.image_shape, self.n_features_in_)
        if X.ndim > 2 and X.shape[1:] != shape:
            raise ValueError(
                f"image_shape={self.image_shape!r} does not match the inputs in X "
                f"of shape {X.shape[1:]}; fix image_shape or leave it None."
            )
        return shape

    def _features(self, X: np.ndarray) -> np.ndarray:
        """Pooled module outputs of ``X``, ``batch_size`` rows at a time."""
        dtype = self._check_dtype()
        module = self.module.to(self.device_)

        first_row = 0  # of the batch in hand, for the error message

        def pooled_features(inputs: torch.Tensor) -> torch.Tensor:
            nonlocal first_row
            if not torch.isfinite(inputs).all():
                raise ValueError(
                    "Input X contains NaN or infinity (in rows "
                    f"{first_row} to {first_row + len(inputs) - 1}); clean X first."
                )
            first_row += len(inputs)
            inputs = inputs.reshape(len(inputs), *self.image_shape_)
            return self._forward(module, inputs)

        features = apply_in_chunks(
            pooled_features,
            X,
            self.device_,
            module=module,
            step=self.batch_size,
            dtype=dtype,
        )
        return features.astype(dtype, copy=False)

    def _forward(self, module: nn.Module, inputs: torch.Tensor) -> torch.Tensor:
        output = module(inputs)
        if not isinstance(output, torch.Tensor) or output.ndim < 2:
            kind = type(output).__name__
            shape = tuple(output.shape) if isinstance(output, torch.Tensor) else ""
            raise TypeError(
                f"module must return one tensor of shape (batch, features) or "
                f"(batch, channels, *spatial); it returned {kind} {shape}. Wrap it "
                "so that forward returns the feature tensor."
            )
        if output.shape[0] != inputs.shape[0]:
            raise ValueError(
                f"module returned {output.shape[0]} rows for a batch of "
                f"{inputs.shape[0]} inputs of shape {tuple(inputs.shape[1:])}: "
                "it does not read the first axis as the batch."
                f"{self._channel_hint()}"
            )
        return _pool(output, self.pooling)

    def _channel_hint(self) -> str:
        if len(self.image_shape_) == 3 and self.image_shape_[-1] in IMAGE_CHANNELS:
            height, width, channels = self.image_shape_
            return (
                f" image_shape={self.image_shape_} reads as {height} channels of "
                f"{width} x {channels} pixels (torch's order, channels first); for "
                f"{channels}-channel images of {height} x {width} pixels pass "
                f"image_shape=({channels}, {height}, {width}), with rows flattened "
                "channels first."
            )
        if len(self.image_shape_) != 2:
            return ""
        height, width = self.image_shape_
        return (
            f" A convolution reads an input of shape {self.image_shape_} as one "
            f"unbatched image; give the channel axis: image_shape=(1, {height}, "
            f"{width})."
        )
