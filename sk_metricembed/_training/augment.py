"""Random affine views of flattened images (image mode's augmentation)."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from .conv import as_images, as_rows

#: The views' defaults: rotation up to this many degrees, scale up to this
#: share, shift up to this share of each side (2 pixels of 28).
VIEW_DEGREES = 15.0
VIEW_SCALE = 0.15
VIEW_SHIFT = 1 / 14


class RandomAffine:
    """Random rotation, scale and shift of flattened images, batched on device.

    Each image gets its own draw: rotation in ``+-degrees``, scale in
    ``1 +- scale``, shift in ``+-shift`` of each side (2 pixels of 28; a
    fixed 2 pixels moved scikit-learn's 8x8 digits by a quarter of the image
    and cost a fifth of their 5-NN accuracy); empty borders are zero. Uses
    torch's generator, which the estimator seeds.
    """

    def __init__(
        self, image_shape, degrees=VIEW_DEGREES, scale=VIEW_SCALE, shift=VIEW_SHIFT
    ):
        self.image_shape = image_shape
        self.degrees = degrees
        self.scale = scale
        self.shift = shift

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        n = x.shape[0]
        if n == 0:
            return x
        images = as_images(x, self.image_shape)

        def uniform(limit):
            return (torch.rand(n, device=x.device) * 2 - 1) * limit

        angle = uniform(math.radians(self.degrees))
        factor = 1 + uniform(self.scale)
        # affine_grid works in [-1, 1] coordinates: the whole side is 2.
        shift_x = uniform(2 * self.shift)
        shift_y = uniform(2 * self.shift)
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
        return as_rows(warped)
