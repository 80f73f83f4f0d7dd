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

    def feature_map(self, x: torch.Tensor) -> torch.Tensor:
        """``(n, channels, h/4, w/4)`` map of the convolutions."""
        return self.convolutions(_as_images(x, self.image_shape))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.dense(self.feature_map(x).flatten(1))


def random_patch_features(feature_map: torch.Tensor) -> torch.Tensor:
    """Mean feature of a random window covering half of each side of the map.

    ``(n, c, h, w) -> (n, c)``; each image gets its own window (spatial
    contrasting's patches, taken on the feature map rather than the pixels so
    that the encoder runs once).
    """
    n, _, height, width = feature_map.shape
    size_h, size_w = max(1, (height + 1) // 2), max(1, (width + 1) // 2)
    top = torch.randint(height - size_h + 1, (n,), device=feature_map.device)
    left = torch.randint(width - size_w + 1, (n,), device=feature_map.device)
    rows = torch.arange(height, device=feature_map.device)
    cols = torch.arange(width, device=feature_map.device)
    inside_rows = (rows[None] >= top[:, None]) & (rows[None] < top[:, None] + size_h)
    inside_cols = (cols[None] >= left[:, None]) & (cols[None] < left[:, None] + size_w)
    window = (inside_rows[:, :, None] & inside_cols[:, None, :]).to(feature_map.dtype)
    return (feature_map * window[:, None]).sum(dim=(2, 3)) / (size_h * size_w)


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
