"""Image mode: a small convolutional encoder/decoder and random affine views.

Rows stay flattened images (height, width[, channels], channels last, as
``X.reshape(n, -1)`` gives them), so pipelines with scalers or HOG keep
working; the modules reshape on the way in and out.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from ._modules import ACTIVATIONS, mlp

# Channels of the two stride-2 convolutions.
_CHANNELS = (32, 64)
# The decoder mirrors them at half width: the reconstruction is a regulariser
# here, and the full-width transposed convolutions cost about half of every
# image-mode training step (profiled on MNIST) for no gain in the embedding.
_DECODER_CHANNELS = (16, 32)


def _as_images(x: torch.Tensor, shape: tuple[int, int, int]) -> torch.Tensor:
    # (n, h*w*c) channels last -> (n, c, h, w)
    height, width, channels = shape
    return x.reshape(-1, height, width, channels).permute(0, 3, 1, 2)


def _as_rows(images: torch.Tensor) -> torch.Tensor:
    # (n, c, h, w) -> (n, h*w*c) channels last
    return images.permute(0, 2, 3, 1).reshape(images.shape[0], -1)


def _downsampled(size: int) -> int:
    return math.ceil(math.ceil(size / 2) / 2)


class ConvEncoderBody(nn.Module):
    """Two stride-2 3x3 convolutions, then the MLP of ``hidden_layer_sizes``."""

    def __init__(self, image_shape, hidden_layer_sizes, activation, dropout):
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
        flat = _CHANNELS[1] * _downsampled(height) * _downsampled(width)
        self.dense = mlp([flat, *hidden_layer_sizes], activation, dropout)
        self.output_dim = hidden_layer_sizes[-1] if hidden_layer_sizes else flat

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        features = self.convolutions(_as_images(x, self.image_shape))
        return self.dense(features.flatten(1))


class ConvDecoder(nn.Module):
    """Mirror of :class:`ConvEncoderBody` (MLP, then two transposed
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
        return _as_rows(images[:, :, :height, :width])


class RandomAffine:
    """Random rotation, scale and shift of flattened images, batched on device.

    Each image gets its own draw: rotation in ``+-degrees``, scale in
    ``1 +- scale``, shift in ``+-shift_pixels``; empty borders are zero.
    Uses torch's generator, which the estimator seeds.
    """

    def __init__(self, image_shape, degrees=15.0, scale=0.15, shift_pixels=2.0):
        self.image_shape = image_shape
        self.degrees = degrees
        self.scale = scale
        self.shift_pixels = shift_pixels

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        n = x.shape[0]
        if n == 0:
            return x
        images = _as_images(x, self.image_shape)
        height, width, _ = self.image_shape

        def uniform(limit):
            return (torch.rand(n, device=x.device) * 2 - 1) * limit

        angle = uniform(math.radians(self.degrees))
        factor = 1 + uniform(self.scale)
        # affine_grid works in [-1, 1] coordinates: a pixel is 2 / size.
        shift_x = uniform(2 * self.shift_pixels / width)
        shift_y = uniform(2 * self.shift_pixels / height)
        cos, sin = torch.cos(angle) / factor, torch.sin(angle) / factor
        theta = torch.stack(
            [
                torch.stack([cos, -sin, shift_x], dim=1),
                torch.stack([sin, cos, shift_y], dim=1),
            ],
            dim=1,
        )  # (n, 2, 3)
        grid = F.affine_grid(theta, list(images.shape), align_corners=False)
        warped = F.grid_sample(images, grid, padding_mode="zeros", align_corners=False)
        return _as_rows(warped)
