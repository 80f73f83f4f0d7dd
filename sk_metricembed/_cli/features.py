"""Features the command line computes from images: HOG, or a pretrained ResNet-50.

Both read the rows of :class:`~.data.LabelledData` as images (channels last)
and return standardised features, one row per image. The ResNet-50 is
torchvision's architecture with weights from a local file: nothing is
downloaded, and torchvision is needed only for this option.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.nn import functional

from .._training.conv import as_images
from .._validation import resolve_image_shape
from ..hog import HOGTransformer
from ..torch_features import TorchFeatureExtractor
from .data import LabelledData, _standardize

#: The input torchvision's ImageNet networks were trained on: RGB images of
#: this side, each channel normalised with these statistics.
IMAGENET_SIDE = 224
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
#: Images per forward pass of the ResNet.
RESNET_BATCH_SIZE = 64


def image_shape(data: LabelledData, flag: str) -> tuple[int, ...]:
    """``(height, width[, channels])`` of the rows; square rows are grey images."""
    try:
        return resolve_image_shape(data.image_shape, data.X.shape[1], square=True)
    except ValueError:
        raise ValueError(
            f"{flag} needs images; rows of {data.X.shape[1]} values are "
            "not square (give a .npz with X of shape (n, height, width))."
        ) from None


def hog_features(data: LabelledData) -> np.ndarray:
    """Standardised HOG features of the images in ``data``."""
    shape = image_shape(data, "--features hog")
    # About 4x4 cells and 2x2-cell blocks whatever the image size (8x8 digits
    # or 28x28 MNIST); skimage's 8x8-pixel cells would not fit small images.
    cell = max(1, min(shape[:2]) // 4)
    hog = HOGTransformer(
        pixels_per_cell=(cell, cell),
        cells_per_block=(2, 2),
        image_shape=shape,
        channel_axis=-1 if len(shape) == 3 else None,
    )
    return _standardize(hog.fit_transform(data.X))


class ImageNetInput(nn.Module):
    """Rows of images in [0, 1], channels last -> an ImageNet network's input.

    ``(n, height * width * channels)`` -> ``(n, 3, side, side)``: grey images
    repeat their one channel as red, green and blue, every image is resized
    to ``side`` x ``side`` (bilinear), and each channel is normalised with
    ImageNet's mean and standard deviation, as torchvision's pretrained
    networks expect.
    """

    def __init__(self, image_shape: tuple[int, int, int], side: int = IMAGENET_SIDE):
        super().__init__()
        self.image_shape = image_shape
        self.side = side
        self.register_buffer("mean", torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor(IMAGENET_STD).view(1, 3, 1, 1))

    def forward(self, rows: torch.Tensor) -> torch.Tensor:
        images = as_images(rows, self.image_shape)  # (n, c, h, w)
        images = images.expand(-1, 3, -1, -1) if images.shape[1] == 1 else images
        images = functional.interpolate(
            images,
            size=(self.side, self.side),
            mode="bilinear",
            align_corners=False,
            antialias=True,
        )
        return (images - self.mean) / self.std


def resnet50_backbone(weights: Path) -> nn.Module:
    """torchvision's ResNet-50 with the state dict saved in ``weights``, its
    classification head removed: 2048 pooled features per image."""
    try:
        from torchvision.models import resnet50
    except ImportError:
        raise ValueError(
            "--features resnet50 needs torchvision: pip install torchvision."
        ) from None
    network = resnet50(weights=None)
    try:
        # weights_only: a weights file holds tensors, never code to run.
        state = torch.load(weights, map_location="cpu", weights_only=True)
        network.load_state_dict(state)
    except (pickle.UnpicklingError, EOFError, RuntimeError, KeyError) as error:
        raise ValueError(
            f"--backbone-weights {weights} is not a ResNet-50 state dict "
            f"(torch.save(model.state_dict(), path)): {error}"
        ) from None
    network.fc = nn.Identity()
    return network


def pretrained_features(
    data: LabelledData, backbone: nn.Module, device: str
) -> np.ndarray:
    """Standardised features of the images in ``data`` from ``backbone``, an
    ImageNet network that takes ``(n, 3, 224, 224)`` normalised images."""
    shape = image_shape(data, "--features resnet50")
    if len(shape) == 2:
        shape = (*shape, 1)
    if shape[2] not in (1, 3):
        raise ValueError(
            f"--features resnet50 needs grey or RGB images, got {shape[2]} channels."
        )
    extractor = TorchFeatureExtractor(
        nn.Sequential(ImageNetInput(shape), backbone),
        batch_size=RESNET_BATCH_SIZE,
        device=device,
    )
    return _standardize(extractor.fit_transform(data.X))
