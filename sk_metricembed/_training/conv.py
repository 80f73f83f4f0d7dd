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
_CHANNELS = (32, 64)
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


def _downsampled(size: int) -> int:
    return math.ceil(math.ceil(size / 2) / 2)


class ConvStem(nn.Module):
    """Two stride-2 3x3 convolutions: rows of images -> feature maps.

    The MLP encoder body reads the flattened map (``output_dim`` values).
    """

    def __init__(self, image_shape: tuple[int, int, int], activation: str) -> None:
        super().__init__()
        self.image_shape = image_shape
        height, width, channels = image_shape
        act = ACTIVATIONS[activation]
        self.convolutions = nn.Sequential(
            nn.Conv2d(channels, _CHANNELS[0], 3, stride=2, padding=1),
            act(),
            nn.Conv2d(_CHANNELS[0], _CHANNELS[1], 3, stride=2, padding=1),
            act(),
        )
        self.output_dim = _CHANNELS[1] * _downsampled(height) * _downsampled(width)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # (n, h*w*c) -> (n, 64, h/4, w/4)
        return self.convolutions(as_images(x, self.image_shape))


class ConvDecoder(nn.Module):
    """Mirror of :class:`ConvStem` and the MLP (MLP, then two transposed
    convolutions), at half the encoder's channel widths."""

    def __init__(
        self, latent_dim, image_shape, hidden_layer_sizes, activation, dropout
    ):
        super().__init__()
        self.image_shape = image_shape
        height, width, channels = image_shape
        self.grid = (_DECODER_CHANNELS[1], _downsampled(height), _downsampled(width))
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
            nn.ConvTranspose2d(*reversed(_DECODER_CHANNELS), 4, stride=2, padding=1),
            act(),
            nn.ConvTranspose2d(_DECODER_CHANNELS[0], channels, 4, stride=2, padding=1),
        )

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        images = self.deconvolutions(self.dense(z).reshape(-1, *self.grid))
        height, width, _ = self.image_shape
        # The transposed convolutions may overshoot odd sizes by a pixel.
        return as_rows(images[:, :, :height, :width])
