"""Torch modules: MLP encoder and decoder, and the (variational) autoencoder.

The autoencoder is the only module the estimators train. Its encoder body
and decoder are swappable (an MLP here, the convolutional pair in
:mod:`sk_metricembed._conv`), so deterministic/variational and
vector/image inputs combine freely.
"""

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


class AutoEncoder(nn.Module):
    """Encoder body + latent head(s) + decoder, deterministic or variational.

    ``forward`` returns a dict: ``mean`` (the code the metric losses and
    ``transform`` use, the posterior mean for a VAE), ``log_var`` (VAE
    only), ``z`` (a reparameterised sample for a VAE, the mean otherwise)
    and ``reconstruction`` (decoded from ``z``).
    """

    def __init__(
        self,
        encoder_body: nn.Module,
        body_dim: int,
        decoder: nn.Module,
        latent_dim: int,
        variational: bool,
        similarity_head: bool = False,
    ) -> None:
        super().__init__()
        self.encoder_body = encoder_body
        self.mean_head = nn.Linear(body_dim, latent_dim)
        self.log_var_head = nn.Linear(body_dim, latent_dim) if variational else None
        self.decoder = decoder
        # Koch (2015): a learned logit of "same class" from |z1 - z2|.
        self.similarity_head = nn.Linear(latent_dim, 1) if similarity_head else None

    @property
    def variational(self) -> bool:
        return self.log_var_head is not None

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        return self.mean_head(self.encoder_body(x))

    def forward(self, x: torch.Tensor, decode: bool = True) -> dict[str, torch.Tensor]:
        hidden = self.encoder_body(x)
        mean = self.mean_head(hidden)
        out = {"mean": mean, "z": mean}
        if self.log_var_head is not None:
            # Clamped so that exp() cannot overflow early in training.
            log_var = self.log_var_head(hidden).clamp(-10.0, 10.0)
            out["log_var"] = log_var
            if self.training:
                out["z"] = mean + torch.randn_like(mean) * torch.exp(0.5 * log_var)
        if decode:  # a pure metric network (weight=1) skips the decoder
            out["reconstruction"] = self.decoder(out["z"])
        return out

    def similarity_logits(self, z1: torch.Tensor, z2: torch.Tensor) -> torch.Tensor:
        return self.similarity_head(torch.abs(z1 - z2)).squeeze(1)


def build_mlp_autoencoder(
    n_features: int,
    latent_dim: int,
    hidden_layer_sizes: tuple[int, ...],
    activation: str,
    dropout: float,
    variational: bool,
    similarity_head: bool = False,
) -> AutoEncoder:
    """The default model: MLP encoder, mirrored MLP decoder."""
    sizes = [n_features, *hidden_layer_sizes]
    return AutoEncoder(
        encoder_body=mlp(sizes, activation, dropout),
        body_dim=sizes[-1],
        decoder=MLPDecoder(
            latent_dim, hidden_layer_sizes, n_features, activation, dropout
        ),
        latent_dim=latent_dim,
        variational=variational,
        similarity_head=similarity_head,
    )
