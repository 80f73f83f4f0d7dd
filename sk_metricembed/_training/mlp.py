"""Fully connected layers: the MLP encoder body and its mirrored decoder."""

from __future__ import annotations

import torch
from torch import nn

ACTIVATIONS = {
    "relu": nn.ReLU,
    "leaky_relu": nn.LeakyReLU,
    "elu": nn.ELU,
    "gelu": nn.GELU,
    "tanh": nn.Tanh,
}


def mlp(sizes: list[int], activation: str, dropout: float) -> nn.Sequential:
    """Stack of ``Linear -> activation -> Dropout`` through ``sizes``."""
    layers: list[nn.Module] = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(n_in, n_out), ACTIVATIONS[activation]()]
        if dropout > 0:
            layers.append(nn.Dropout(dropout))
    return nn.Sequential(*layers)


class MLPDecoder(nn.Module):
    """Mirror of an MLP encoder: latent -> reversed hidden sizes -> features."""

    def __init__(
        self,
        latent_dim: int,
        hidden_layer_sizes: tuple[int, ...],
        n_features: int,
        activation: str,
        dropout: float,
    ) -> None:
        super().__init__()
        sizes = [latent_dim, *reversed(hidden_layer_sizes)]
        self.body = mlp(sizes, activation, dropout)
        self.output = nn.Linear(sizes[-1], n_features)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.output(self.body(z))
