"""Assembling a fit: the skorch net and the dataset an embedder describes.

The estimator validates its input, resolves what depends on the data
(:class:`FitSettings`) and hands over its parameters; this module wires the
training objects from them, so that the estimator keeps the scikit-learn
API and none of the torch wiring.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from importlib.util import find_spec

import numpy as np
import torch

from .augment import RandomAffine
from .autoencoder import AutoEncoderConfig, build_autoencoder
from .batches import PlanDataset, PlanSampler
from .objective import KLWarmup, Objective
from .pseudo_labels import PseudoLabeler
from .setup import resolve_optimizer
from .skorch_net import EmbeddingNet

#: The estimator parameters the objective reads, by name (see its signature).
OBJECTIVE_PARAMETERS = tuple(inspect.signature(Objective).parameters)


@dataclass(frozen=True)
class FitSettings:
    """The estimator's parameters that depend on the data, resolved for a fit."""

    # (height, width, channels) in image mode, None for vectors.
    image_shape: tuple[int, int, int] | None
    hidden_layer_sizes: tuple[int, ...]  # python ints, checked positive
    max_epochs: int
    augment: bool  # random affine views (image mode)
    device: torch.device
    # The extra metric terms' weights, "auto" resolved at the fit's weight.
    neighbor_weight: float
    supervised_contrastive_weight: float


def build_net(
    params: dict,
    settings: FitSettings,
    *,
    n_features: int,
    labels: np.ndarray,
    n_classes: int,
    neighbors: np.ndarray | None,
    pseudo_label_fraction: float,
    seed: int,
) -> EmbeddingNet:
    """The skorch net of one fit.

    ``params`` are the estimator's parameters (``get_params(deep=False)``);
    ``labels`` the class index of each training row (-1 unlabelled),
    ``neighbors`` the input-space neighbour table (None without the
    neighbour term) and ``pseudo_label_fraction`` that parameter with
    ``"auto"`` resolved for these labels.
    """
    with_classifier = params["classifier_weight"] > 0 and n_classes >= 2
    config = AutoEncoderConfig(
        n_features=n_features,
        latent_dim=params["latent_dim"],
        hidden_layer_sizes=settings.hidden_layer_sizes,
        activation=params["activation"],
        dropout=params["dropout"],
        variational=params["variational"],
        image_shape=settings.image_shape,
        n_classes=n_classes if with_classifier else 0,
    )
    objective = {name: params[name] for name in OBJECTIVE_PARAMETERS}
    objective["neighbor_weight"] = (
        settings.neighbor_weight if neighbors is not None else 0.0
    )
    objective["supervised_contrastive_weight"] = settings.supervised_contrastive_weight
    callbacks = list(params["callbacks"] or [])
    if params["variational"] and params["weight"] < 1 and params["kl_warmup"] > 0:
        callbacks.append(KLWarmup(params["kl_warmup"]))
    if pseudo_label_fraction > 0 and (labels < 0).any():
        callbacks.append(
            PseudoLabeler(pseudo_label_fraction, params["n_neighbors"], seed)
        )
    if params["verbose"]:
        callbacks.append(progress_bar())
    return EmbeddingNet(
        # A factory and its config, not a module instance: skorch builds
        # module_ at initialisation and pickles only what it builds through
        # torch.save, which a machine without the GPU can map to its CPU (an
        # instance would be pickled a second time, as is).
        module=build_autoencoder,
        module__config=config,
        criterion=Objective,
        **{f"criterion__{name}": value for name, value in objective.items()},
        optimizer=resolve_optimizer(params["optimizer"]),
        lr=params["lr"],
        max_epochs=settings.max_epochs,
        batch_size=params["batch_size"],
        train_split=None,
        callbacks=callbacks or None,
        device=settings.device,
        verbose=int(params["verbose"]),
        augment=RandomAffine(settings.image_shape) if settings.augment else None,
    )


def progress_bar():
    """skorch's progress bar, drawn as a widget only where one can be drawn.

    In a Jupyter kernel skorch draws ``tqdm.notebook``'s widget, which needs
    ipywidgets (``pip install 'sk-metricembed[notebook]'``); without it the
    widget raises ``ImportError: IProgress not found``, so the bar falls back
    to tqdm's text bar, as in a terminal.
    """
    from skorch.callbacks import ProgressBar

    return ProgressBar(detect_notebook=find_spec("ipywidgets") is not None)


def build_dataset(
    X,
    labels: np.ndarray,
    *,
    batch_size: int,
    seed: int,
    neighbors: np.ndarray | None,
    pairs: np.ndarray | None,
    pair_similar: np.ndarray | None,
    triplets: np.ndarray | None,
) -> PlanDataset:
    """The dataset of one fit: ``X`` read through batch plans."""
    sampler = PlanSampler(
        n_samples=X.shape[0],
        labels=labels,
        batch_size=batch_size,
        rng=np.random.RandomState(seed),
        neighbors=neighbors,
        pairs=pairs,
        pair_similar=pair_similar,
        triplets=triplets,
    )
    return PlanDataset(X, labels, sampler)
