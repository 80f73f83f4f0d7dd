"""The (variational) autoencoder, the only module the estimators train.

An optional convolutional stem (:mod:`.conv`, image mode) turns images into
feature maps before the MLP encoder (:mod:`.mlp`), and the decoder is an MLP
or its convolutional mirror, so deterministic/variational and vector/image
inputs combine freely.
:class:`AutoEncoderConfig` carries the hyperparameters from the estimator to
:func:`build_autoencoder`, as nanoGPT's ``GPTConfig`` does.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from .conv import ConvDecoder, ConvStem
from .mlp import MLPDecoder, mlp


@dataclass(frozen=True)
class AutoEncoderConfig:
    """What :func:`build_autoencoder` needs to know, and nothing else."""

    n_features: int
    latent_dim: int
    hidden_layer_sizes: tuple[int, ...]
    activation: str
    dropout: float
    variational: bool
    # (height, width, channels) of the images rows flatten; None for vectors.
    image_shape: tuple[int, int, int] | None = None
    # Classes of a linear classifier head on the code; 0 for none.
    n_classes: int = 0


class AutoEncoder(nn.Module):
    """Stem + encoder body + latent head(s) + decoder, deterministic or variational.

    ``forward`` returns a dict: ``mean`` (the code the metric losses and
    ``transform`` use, the posterior mean for a VAE), ``log_var`` (VAE
    only), ``z`` (a reparameterised sample for a VAE, the mean otherwise),
    ``reconstruction`` (decoded from ``z``), ``feature_map`` (the stem's
    output, image mode only) and ``logits`` (with a classifier head).
    Everything the objective needs comes out of this one pass.
    """

    def __init__(
        self,
        encoder_body: nn.Module,
        body_dim: int,
        decoder: nn.Module,
        latent_dim: int,
        variational: bool,
        stem: nn.Module | None = None,
        n_classes: int = 0,
    ) -> None:
        super().__init__()
        self.stem = stem
        self.encoder_body = encoder_body
        self.mean_head = nn.Linear(body_dim, latent_dim)
        self.log_var_head = nn.Linear(body_dim, latent_dim) if variational else None
        self.decoder = decoder
        self.classifier = nn.Linear(latent_dim, n_classes) if n_classes else None

    @property
    def variational(self) -> bool:
        return self.log_var_head is not None

    def _hidden(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
        if self.stem is None:
            return self.encoder_body(x), None
        feature_map = self.stem(x)  # (n, channels, h / 4, w / 4)
        return self.encoder_body(feature_map.flatten(1)), feature_map

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """The code of ``x``: the posterior mean for a VAE."""
        return self.mean_head(self._hidden(x)[0])

    def forward(self, x: torch.Tensor, decode: bool = True) -> dict[str, torch.Tensor]:
        hidden, feature_map = self._hidden(x)
        mean = self.mean_head(hidden)
        out = {"mean": mean, "z": mean}
        if feature_map is not None:
            out["feature_map"] = feature_map
        if self.log_var_head is not None:
            # Clamped so that exp() cannot overflow early in training.
            log_var = self.log_var_head(hidden).clamp(-10.0, 10.0)
            out["log_var"] = log_var
            if self.training:
                out["z"] = mean + torch.randn_like(mean) * torch.exp(0.5 * log_var)
        if decode:  # a pure metric network (weight=1) skips the decoder
            out["reconstruction"] = self.decoder(out["z"])
        if self.classifier is not None:
            out["logits"] = self.classifier(mean)
        return out


def build_autoencoder(config: AutoEncoderConfig) -> AutoEncoder:
    """The autoencoder ``config`` describes: an MLP, with a conv stem for images."""
    stem = None
    if config.image_shape is not None:
        stem = ConvStem(config.image_shape, config.activation)
    sizes = [config.n_features if stem is None else stem.output_dim]
    sizes += config.hidden_layer_sizes
    encoder_body = mlp(sizes, config.activation, config.dropout)
    if stem is None:
        decoder = MLPDecoder(
            config.latent_dim,
            config.hidden_layer_sizes,
            config.n_features,
            config.activation,
            config.dropout,
        )
    else:
        decoder = ConvDecoder(
            config.latent_dim,
            config.image_shape,
            config.hidden_layer_sizes,
            config.activation,
            config.dropout,
        )
    return AutoEncoder(
        encoder_body=encoder_body,
        body_dim=sizes[-1],
        decoder=decoder,
        latent_dim=config.latent_dim,
        variational=config.variational,
        stem=stem,
        n_classes=config.n_classes,
    )
