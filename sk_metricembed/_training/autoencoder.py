"""The (variational) autoencoder, the only module the estimators train.

An optional convolutional stem (:mod:`.conv`, image mode) turns images into
feature maps before the MLP encoder (:mod:`.mlp`), and the decoder is an MLP
or its convolutional mirror, so deterministic/variational and vector/image
inputs combine freely. A user's own encoder or decoder (:class:`UserModule`)
replaces the built-in one; the latent heads stay the package's, so that
the variational, ``latent_dim`` and metric terms act on any encoder.
:class:`AutoEncoderConfig` carries the hyperparameters from the estimator to
:func:`build_autoencoder`, as nanoGPT's ``GPTConfig`` does.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace

import torch
from torch import nn

from .conv import ConvDecoder, ConvStem
from .mlp import MLPDecoder, mlp

#: The parts a user may pass as torch modules, by their parameter's name; each
#: takes its own arguments as ``<name>__<argument>``.
USER_MODULES = ("encoder", "decoder")


@dataclass(frozen=True)
class UserModule:
    """A user's encoder or decoder, as the estimator's parameter holds it.

    ``module`` is a ``torch.nn.Module`` instance, a ``Module`` class or a
    function returning a module (``torchvision.models.resnet18``);
    ``arguments`` its routed ``encoder__*``/``decoder__*`` arguments.
    """

    name: str  # "encoder" or "decoder", as errors call it
    module: object
    arguments: dict = field(default_factory=dict)

    def build(self) -> nn.Module:
        """A fresh module: the estimator's own instance is never trained.

        An instance is deep-copied; with arguments it is rebuilt from its
        class, as skorch treats ``module__*`` given with a module instance.
        """
        if isinstance(self.module, nn.Module) and not self.arguments:
            return copy.deepcopy(self.module)
        factory = (
            type(self.module) if isinstance(self.module, nn.Module) else self.module
        )
        built = factory(**self.arguments)
        if not isinstance(built, nn.Module):
            raise TypeError(
                f"{self.name}={self.module!r} returned {type(built).__name__}, not "
                "a torch.nn.Module; pass a module, a module class or a function "
                "returning one."
            )
        return built


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
    # The user's encoder (rows -> (n, encoder_dim)) and decoder (codes ->
    # rows); None for the built-in ones. encoder_dim is found by
    # check_user_modules.
    encoder: UserModule | None = None
    encoder_dim: int = 0
    decoder: UserModule | None = None
    # Whether the code's heads also read the row itself (``linear_path``).
    linear_path: bool = False


#: Rows a user's module is tried on before training.
_PROBE_ROWS = 2


def check_user_modules(
    config: AutoEncoderConfig, rows: torch.Tensor
) -> AutoEncoderConfig:
    """``config`` with its user encoder's output width, shapes checked.

    Runs a throwaway copy of each user module on ``rows`` (the first two
    training rows, on the fit's device; codes of zeros for the decoder) in
    eval mode without gradients, so that a wrong shape is an error naming
    the parameter before any epoch rather than a broadcasting error inside
    the loss.
    """
    rows = rows[:_PROBE_ROWS]
    n_rows = rows.shape[0]
    if config.encoder is not None:
        hidden = _probe(config.encoder, rows)
        if hidden.ndim != 2 or hidden.shape[0] != n_rows:
            raise ValueError(
                f"encoder must map rows of shape (n, n_features) to a hidden "
                f"representation of shape (n, h); on rows of shape "
                f"{tuple(rows.shape)} it returned shape {tuple(hidden.shape)}, "
                f"and ({n_rows}, h) was needed (flatten the output in the "
                "module's forward)."
            )
        config = replace(config, encoder_dim=int(hidden.shape[1]))
    if config.decoder is not None:
        codes = rows.new_zeros(n_rows, config.latent_dim)
        output = _probe(config.decoder, codes)
        needed = (n_rows, config.n_features)
        if tuple(output.shape) != needed:
            raise ValueError(
                f"decoder must map codes of shape (n, latent_dim) to rows of "
                f"shape (n, n_features); on codes of shape {tuple(codes.shape)} "
                f"it returned shape {tuple(output.shape)}, and {needed} was "
                "needed (in image mode, flattened channels-last rows)."
            )
    return config


def _probe(spec: UserModule, inputs: torch.Tensor) -> torch.Tensor:
    module = spec.build().to(inputs.device).eval()
    try:
        with torch.no_grad():
            output = module(inputs)
    except Exception as error:
        raise ValueError(
            f"{spec.name} failed on a batch of shape {tuple(inputs.shape)}: "
            f"{type(error).__name__}: {error}. The {spec.name} receives "
            + (
                "rows (n, n_features), in image mode too (reshape them in its forward)."
                if spec.name == "encoder"
                else "codes (n, latent_dim)."
            )
        ) from error
    if not isinstance(output, torch.Tensor):
        raise ValueError(
            f"{spec.name} must return a tensor; it returned {type(output).__name__}."
        )
    return output


class AutoEncoder(nn.Module):
    """Stem + encoder body + latent head(s) + decoder, deterministic or variational.

    With ``linear_path`` (the rows' width; 0 for none) the heads read the
    row beside the body's output.

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
        linear_path: int = 0,
    ) -> None:
        super().__init__()
        self.stem = stem
        self.encoder_body = encoder_body
        # linear_path: the width of the rows the heads also read as they are
        # (0: the body's output alone): the code is then the body's code plus
        # a linear map of the row, as PCA's and NCA's codes are.
        self.linear_path = linear_path
        head_dim = body_dim + linear_path
        self.mean_head = nn.Linear(head_dim, latent_dim)
        self.log_var_head = nn.Linear(head_dim, latent_dim) if variational else None
        self.decoder = decoder
        self.classifier = nn.Linear(latent_dim, n_classes) if n_classes else None

    @property
    def variational(self) -> bool:
        return self.log_var_head is not None

    def extra_repr(self) -> str:
        return f"linear_path={self.linear_path}" if self.linear_path else ""

    def _hidden(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
        if self.stem is None:
            hidden, feature_map = self.encoder_body(x), None
        else:
            feature_map = self.stem(x)  # (n, channels, h / 4, w / 4)
            hidden = self.encoder_body(feature_map.flatten(1))
        if self.linear_path:
            hidden = torch.cat([hidden, x.flatten(1)], dim=1)
        return hidden, feature_map

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """The code of ``x``: the posterior mean for a VAE."""
        return self.mean_head(self._hidden(x)[0])

    def forward(
        self,
        x: torch.Tensor,
        decode: bool = True,
        decode_rows: torch.Tensor | None = None,
    ) -> dict[str, torch.Tensor]:
        """Codes of ``x``, and the reconstruction of its ``decode_rows`` (all)."""
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
            z = out["z"] if decode_rows is None else out["z"][decode_rows]
            out["reconstruction"] = self.decoder(z)
        if self.classifier is not None:
            out["logits"] = self.classifier(mean)
        return out


def build_autoencoder(config: AutoEncoderConfig) -> AutoEncoder:
    """The autoencoder ``config`` describes: an MLP, with a conv stem for images.

    A user's encoder replaces the stem and the MLP body (it receives rows);
    a user's decoder replaces the decoder.
    """
    stem = None
    if config.encoder is not None:
        encoder_body, body_dim = config.encoder.build(), config.encoder_dim
    else:
        if config.image_shape is not None:
            stem = ConvStem(config.image_shape, config.activation)
        sizes = [config.n_features if stem is None else stem.output_dim]
        sizes += config.hidden_layer_sizes
        encoder_body = mlp(sizes, config.activation, config.dropout)
        body_dim = sizes[-1]
    if config.decoder is not None:
        decoder = config.decoder.build()
    elif config.image_shape is None:
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
        body_dim=body_dim,
        decoder=decoder,
        latent_dim=config.latent_dim,
        variational=config.variational,
        stem=stem,
        n_classes=config.n_classes,
        linear_path=config.n_features if config.linear_path else 0,
    )
