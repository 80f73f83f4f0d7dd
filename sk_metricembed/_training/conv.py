"""Image mode's architecture: a convolutional stem and its mirrored decoder.

Rows stay flattened images (height, width[, channels], channels last, as
``X.reshape(n, -1)`` gives them), so pipelines with scalers or HOG keep
working; the modules reshape on the way in and out.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from .mlp import ACTIVATIONS, mlp

# Channels of the two stride-2 convolutions.
STEM_CHANNELS = (32, 64)
# The decoder mirrors them at half width: the reconstruction is a regulariser
# here, and the full-width transposed convolutions cost about half of every
# image-mode training step (profiled on MNIST) for no gain in the embedding.
_DECODER_CHANNELS = (16, 32)


def as_images(x: torch.Tensor, shape: tuple[int, int, int]) -> torch.Tensor:
    # (n, h*w*c) channels last -> (n, c, h, w)
    height, width, channels = shape
    return x.reshape(-1, height, width, channels).permute(0, 3, 1, 2)


def as_rows(images: torch.Tensor) -> torch.Tensor:
    # (n, c, h, w) -> (n, h*w*c) channels last
    return images.permute(0, 2, 3, 1).reshape(images.shape[0], -1)


#: A convolution halves the map only while its shorter side stays at least
#: this long: 28x28 images are read at 14 and 7 pixels, 8x8 ones at 4 and 4
#: (halving twice left a 2x2 map, on which scikit-learn's digits lost a
#: fifth of their 5-NN accuracy; see docs/few_labels.md).
MIN_MAP_SIDE = 4


def stem_strides(image_shape: tuple[int, int, int]) -> tuple[int, int]:
    """The strides (1 or 2) of the stem's two convolutions for this image size."""
    side = min(image_shape[:2])
    strides = []
    for _ in STEM_CHANNELS:
        stride = 2 if math.ceil(side / 2) >= MIN_MAP_SIDE else 1
        side = math.ceil(side / stride)
        strides.append(stride)
    return tuple(strides)


def stem_map_size(image_shape: tuple[int, int, int]) -> tuple[int, int]:
    """``(height, width)`` of the stem's feature map (what the decoder undoes)."""
    scale = math.prod(stem_strides(image_shape))
    # Two padded 3x3 convolutions of stride s each give ceil(ceil(n / s1) / s2),
    # which for strides of 1 or 2 equals ceil(n / (s1 * s2)).
    return tuple(math.ceil(side / scale) for side in image_shape[:2])


class ConvStem(nn.Module):
    """Two 3x3 convolutions: rows of images -> feature maps.

    Each halves the map (stride 2) unless that would leave it shorter than
    ``MIN_MAP_SIDE`` (:func:`stem_strides`). The MLP encoder body reads the
    flattened map (``output_dim`` values).
    """

    def __init__(self, image_shape: tuple[int, int, int], activation: str) -> None:
        super().__init__()
        self.image_shape = image_shape
        channels = image_shape[2]
        act = ACTIVATIONS[activation]
        first, second = stem_strides(image_shape)
        self.convolutions = nn.Sequential(
            nn.Conv2d(channels, STEM_CHANNELS[0], 3, stride=first, padding=1),
            act(),
            nn.Conv2d(STEM_CHANNELS[0], STEM_CHANNELS[1], 3, stride=second, padding=1),
            act(),
        )
        self.output_dim = STEM_CHANNELS[1] * math.prod(stem_map_size(image_shape))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # (n, h*w*c) -> (n, 64, h / stride, w / stride)
        return self.convolutions(as_images(x, self.image_shape))


class ConvDecoder(nn.Module):
    """Mirror of :class:`ConvStem` and the MLP (MLP, then two transposed
    convolutions), at half the encoder's channel widths."""

    def __init__(
        self, latent_dim, image_shape, hidden_layer_sizes, activation, dropout
    ):
        super().__init__()
        self.image_shape = image_shape
        channels = image_shape[2]
        strides = stem_strides(image_shape)
        self.grid = (_DECODER_CHANNELS[1], *stem_map_size(image_shape))
        act = ACTIVATIONS[activation]
        self.dense = nn.Sequential(
            mlp([latent_dim, *reversed(hidden_layer_sizes)], activation, dropout),
            nn.Linear(
                hidden_layer_sizes[0] if hidden_layer_sizes else latent_dim,
                math.prod(self.grid),
            ),
            act(),
        )
        self.deconvolutions = nn.Sequential(
            _upsampling(*reversed(_DECODER_CHANNELS), strides[1]),
            act(),
            _upsampling(_DECODER_CHANNELS[0], channels, strides[0]),
        )

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        images = self.deconvolutions(self.dense(z).reshape(-1, *self.grid))
        height, width, _ = self.image_shape
        # The transposed convolutions may overshoot odd sizes by a pixel.
        return as_rows(images[:, :, :height, :width])


def _upsampling(in_channels: int, out_channels: int, stride: int) -> nn.Module:
    """The transposed convolution undoing a stem convolution of ``stride``."""
    if stride == 2:
        return nn.ConvTranspose2d(in_channels, out_channels, 4, stride=2, padding=1)
    return nn.ConvTranspose2d(in_channels, out_channels, 3, stride=1, padding=1)
