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
from skorch.callbacks import BatchScoring, EpochScoring

from .augment import RandomAffine
from .autoencoder import (
    USER_MODULES,
    AutoEncoderConfig,
    UserModule,
    build_autoencoder,
    check_user_modules,
)
from .batches import PlanDataset, PlanSampler
from .fused import fused_options
from .lr_schedule import OneCycle
from .objective import KLWarmup, Objective
from .pseudo_labels import PseudoLabeler
from .setup import resolve_optimizer
from .skorch_net import PLANNED_LOADER_ARGUMENTS, EmbeddingNet, callback_objects
from .validation import early_stopping

#: The objective's arguments, by name (see its signature): estimator
#: parameters, some of them as the fit resolves them, and the share the fit
#: derives beside the weight (``mined_pair_weight``).
OBJECTIVE_ARGUMENTS = tuple(inspect.signature(Objective).parameters)


@dataclass(frozen=True)
class FitSettings:
    """The estimator's parameters that depend on the data, resolved for a fit."""

    # (height, width, channels) in image mode, None for vectors.
    image_shape: tuple[int, int, int] | None
    hidden_layer_sizes: tuple[int, ...]  # python ints, checked positive
    linear_path: bool  # the code's heads read the row too
    max_epochs: int
    augment: bool  # random affine views (image mode)
    device: torch.device
    # The blend of the metric terms and the reconstruction: the weight
    # parameter, "auto" at its nominal value until the fit resolves it
    # from the labels and the input graph (.._label_trust).
    weight: float
    # The extra metric terms' weights, "auto" resolved at the fit's weight.
    neighbor_weight: float
    supervised_contrastive_weight: float
    # Whether the neighbour term trains: a weight above 0 and neighbor_weight.
    neighbor_term: bool
    # The metric of the input-space neighbour search, "auto" resolved.
    input_metric: str
    # The share of a code taken from its input-space neighbours' codes at
    # transform, "auto" resolved (0: the encoder's code alone), and whether
    # the fit scales it by the random views' agreement with the input graph.
    neighbor_smoothing: float
    smoothing_follows_views: bool = False
    # The share at which a pair loss counts the pairs it mines from labels,
    # resolved with the weight (.._defaults.mined_pair_weight); 1 until then.
    mined_pair_weight: float = 1.0
    # The share of rows held out to score each epoch; None trains on all.
    validation_fraction: float | None = None
    # How the training passes compute, "auto" resolved (.precision).
    mixed_precision: str = "no"
    # The learning rate over the steps, "auto" resolved (.lr_schedule).
    lr_schedule: str = "constant"


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
    probe_rows: np.ndarray | None = None,
) -> EmbeddingNet:
    """The skorch net of one fit.

    ``params`` are the estimator's parameters (``get_params(deep=False)``),
    skorch's routed ones (``optimizer__*``, ``callbacks__*``,
    ``iterator_train__*``, ``iterator_valid__*``) included, which reach the
    net as they reach skorch's own ``NeuralNet``; ``labels`` the class
    index of each training row (-1 unlabelled), ``neighbors`` the
    input-space neighbour table (None without the neighbour term),
    ``pseudo_label_fraction`` that parameter with ``"auto"`` resolved for
    these labels, and ``probe_rows`` a few training rows on which a user's
    encoder and decoder are tried (``encoder__*`` and ``decoder__*`` are
    their arguments).
    """
    routed = {name: value for name, value in params.items() if "__" in name}
    user_modules = {
        name: UserModule(name, params[name], _arguments_of(name, routed))
        for name in USER_MODULES
        if params[name] is not None
    }
    routed = {
        name: value
        for name, value in routed.items()
        if name.partition("__")[0] not in USER_MODULES
    }
    _check_routed(routed, params)
    with_classifier = params["classifier_weight"] > 0 and n_classes >= 2
    config = AutoEncoderConfig(
        n_features=n_features,
        latent_dim=params["latent_dim"],
        hidden_layer_sizes=settings.hidden_layer_sizes,
        linear_path=settings.linear_path,
        activation=params["activation"],
        dropout=params["dropout"],
        variational=params["variational"],
        image_shape=settings.image_shape,
        n_classes=n_classes if with_classifier else 0,
        **user_modules,
    )
    if user_modules:
        rows = torch.as_tensor(probe_rows, device=settings.device)
        config = check_user_modules(config, rows)
    resolved = {
        "weight": settings.weight,
        "mined_pair_weight": settings.mined_pair_weight,
        "neighbor_weight": settings.neighbor_weight if neighbors is not None else 0.0,
        "supervised_contrastive_weight": settings.supervised_contrastive_weight,
    }
    # Every other argument is the estimator parameter of its name: a name
    # that drifts from the parameters is a KeyError here, not a silent default.
    objective = {
        name: resolved[name] if name in resolved else params[name]
        for name in OBJECTIVE_ARGUMENTS
    }
    callbacks = list(params["callbacks"] or [])
    _check_scoring_caches(callbacks)
    if params["early_stopping"]:
        callbacks.append(early_stopping(params["n_iter_no_change"]))
    if params["variational"] and settings.weight < 1 and params["kl_warmup"] > 0:
        callbacks.append(KLWarmup(params["kl_warmup"]))
    if pseudo_label_fraction > 0 and (labels < 0).any():
        callbacks.append(
            PseudoLabeler(pseudo_label_fraction, params["n_neighbors"], seed)
        )
    if settings.lr_schedule == "one-cycle":
        callbacks.append(OneCycle())
    if params["verbose"] and not _has_progress_bar(callbacks):
        callbacks.append(progress_bar())
    _check_callback_names(callbacks, routed)
    optimizer = resolve_optimizer(params["optimizer"])
    # The user's optimizer__* (fused=False, say) over the fit's choices.
    routed = {
        **{
            f"optimizer__{name}": value
            for name, value in fused_options(optimizer, settings.device).items()
        },
        **routed,
    }
    return EmbeddingNet(
        # A factory and its config, not a module instance: skorch builds
        # module_ at initialisation and pickles only what it builds through
        # torch.save, which a machine without the GPU can map to its CPU (an
        # instance would be pickled a second time, as is).
        module=build_autoencoder,
        module__config=config,
        criterion=Objective,
        **{f"criterion__{name}": value for name, value in objective.items()},
        optimizer=optimizer,
        lr=params["lr"],
        max_epochs=settings.max_epochs,
        batch_size=params["batch_size"],
        train_split=None,
        callbacks=callbacks or None,
        device=settings.device,
        verbose=int(params["verbose"]),
        augment=RandomAffine(settings.image_shape) if settings.augment else None,
        mixed_precision=settings.mixed_precision,
        **routed,
    )


def _arguments_of(module: str, routed: dict) -> dict:
    """The ``<module>__<argument>`` arguments, by argument."""
    prefix = f"{module}__"
    return {
        name.removeprefix(prefix): value
        for name, value in routed.items()
        if name.startswith(prefix)
    }


def _check_routed(routed: dict, params: dict) -> None:
    """Refuse the routed arguments that would undo the estimator's own."""
    for name, value in routed.items():
        prefix, _, argument = name.partition("__")
        if name == "optimizer__lr":
            raise ValueError(
                f"optimizer__lr={value!r} would override lr={params['lr']!r}; set "
                "lr instead (optimizer__param_groups sets a group's own lr)."
            )
        if prefix.startswith("iterator_") and argument in PLANNED_LOADER_ARGUMENTS:
            raise ValueError(
                f"{name}={value!r}: the fit's batch plans set the DataLoader's "
                f"{', '.join(PLANNED_LOADER_ARGUMENTS)}; set batch_size on the "
                f"embedder instead, and pass {prefix}__ only the other DataLoader "
                "arguments (num_workers, pin_memory, ...)."
            )


def _check_scoring_caches(callbacks: list) -> None:
    """skorch's scoring callbacks cannot cache this net's predictions.

    With ``use_caching=True`` (their default) they gather each batch's
    targets as one array, and a step's targets are the batch plan's
    tensors (:class:`.batches.BatchTargets`), not labels: the first epoch
    would end in a ``TypeError`` from skorch.
    """
    for index, callback in enumerate(callback_objects(callbacks)):
        if isinstance(callback, (EpochScoring, BatchScoring)) and callback.use_caching:
            raise ValueError(
                f"callbacks[{index}] ({type(callback).__name__}) caches the "
                "net's predictions with their targets, which are batch plans "
                "here, not labels; pass use_caching=False to it (its scoring "
                "then receives the estimator's dataset of batch plans)."
            )


def _check_callback_names(callbacks: list, routed: dict) -> None:
    """``callbacks__<name>[__<param>]`` must name a callback of the fit.

    skorch ignores the parameters of a callback it does not have: a typo
    would leave the callback as it was, without a word.
    """
    wanted = {
        name.split("__")[1]: name for name in routed if name.startswith("callbacks__")
    }
    if not wanted:
        return
    # The names skorch gives the fit's callbacks (its defaults, then these;
    # a class name where none was given), from a net that builds nothing else.
    bare = EmbeddingNet(None, None, callbacks=callbacks).initialize_callbacks()
    names = [name for name, _ in bare.callbacks_]
    for callback_name, parameter in wanted.items():
        if callback_name not in names:
            raise ValueError(
                f"{parameter} names no callback of the fit; its callbacks are "
                f"{names} (a callback passed without a name is named after its "
                "class; pass ('name', callback) to name it)."
            )


def _has_progress_bar(callbacks: list) -> bool:
    """Whether the user's callbacks draw a progress bar of their own."""
    from skorch.callbacks import ProgressBar

    return any(
        isinstance(callback, ProgressBar)
        or isinstance(callback, type)
        and issubclass(callback, ProgressBar)
        for callback in callback_objects(callbacks)
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
    repeat_plans: bool = False,
    input_classes: np.ndarray | None = None,
) -> PlanDataset:
    """The dataset of one fit: ``X`` read through batch plans.

    ``repeat_plans`` gives every epoch the same plans (the validation rows);
    ``input_classes`` the input graph's classes that vet the pseudo-labels
    (:func:`~.pseudo_labels.input_graph_classes`), or None.
    """
    sampler = PlanSampler(
        n_samples=X.shape[0],
        labels=labels,
        batch_size=batch_size,
        rng=np.random.RandomState(seed),
        neighbors=neighbors,
        pairs=pairs,
        pair_similar=pair_similar,
        triplets=triplets,
        repeat_plans=repeat_plans,
    )
    return PlanDataset(X, labels, sampler, input_classes)
