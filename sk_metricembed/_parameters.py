"""The embedders' parameters, each declared once.

A :class:`Parameter` holds a parameter's default, its valid values (as
scikit-learn's ``_parameter_constraints`` spells them) and its
documentation. Both public embedders are built from :data:`PARAMETERS`:
their ``__init__`` (:func:`make_init`), their constraints
(:func:`parameter_constraints`) and the Parameters section of their
docstrings (:func:`._docstrings.parameters_doc`). An embedder states only what differs:
its metric losses and its default ``metric_loss``.

Besides them, the embedders take skorch's own arguments by skorch's names
(``optimizer__weight_decay``, ``callbacks__<name>__<param>``,
``iterator_train__num_workers``) and the arguments of a user's encoder and
decoder (``encoder__width``; :data:`._routing.ROUTED_PREFIXES`) in ``__init__``,
``set_params`` and ``get_params`` (:class:`SkorchRoutingMixin`), and pass
them to the skorch net, as skorch's ``NeuralNet`` takes them, or to the
user's module.
"""

from __future__ import annotations

import inspect
import numbers
from dataclasses import dataclass

import torch

from ._defaults import (
    AUTO_EXTRA_TERM_WEIGHT,
    AUTO_HIDDEN_FULL_ROWS,
    AUTO_HIDDEN_LAYER_SIZES,
    AUTO_HIDDEN_MIN_WIDTH,
    AUTO_INPUT_COMPONENTS_FACTORS,
    AUTO_INPUT_METRIC,
    AUTO_MIN_EPOCHS,
    AUTO_NEIGHBOR_SMOOTHING,
    AUTO_PSEUDO_LABEL_FRACTION,
    AUTO_PSEUDO_LABELS_BELOW,
    AUTO_TRAINING_ROWS,
    AUTO_VALIDATION_FRACTION,
    AUTO_WEIGHT,
    BATCH_SIZE,
    INPUT_SPACE_MARGIN,
    INPUT_SPACE_MIN_ROWS,
    LABEL_TRUST_KAPPA,
    LABEL_TRUST_SOURCES,
    MIN_LABEL_TRUST,
    SMALL_DATA_WEIGHT_FACTOR,
    auto_steps,
    resolve_max_epochs,
)
from ._routing import _unrouted_message, is_routed
from ._sklearn_compat import Interval, StrOptions
from ._training.augment import VIEW_DEGREES, VIEW_SCALE, VIEW_SHIFT
from ._training.batches import MAX_BALANCED_SHARE, MIN_BALANCED_ROWS
from ._training.conv import MIN_MAP_SIDE, STEM_CHANNELS
from ._training.loss_parts import RECONSTRUCTIONS
from ._training.lr_schedule import (
    LR_SCHEDULES,
    ONE_CYCLE_PEAK,
    ONE_CYCLE_START,
    ONE_CYCLE_WARMUP,
)
from ._training.mining import MINERS
from ._training.mlp import ACTIVATIONS
from ._training.neighbors import INPUT_METRICS, PCA_DIMENSIONS
from ._training.precision import MIXED_PRECISION
from ._training.pseudo_labels import MAX_PROPAGATION_ROWS
from ._training.setup import DEVICES, OPTIMIZERS
from ._training.validation import (
    EARLY_STOPPING_NAME,
    EARLY_STOPPING_THRESHOLD,
    MIN_TRAINING_ROWS_PER_CLASS,
)


def _at_least(low, kind=numbers.Real, closed="left"):
    return [Interval(kind, low, None, closed=closed)]


def options_doc(values) -> str:
    """``{"a", "b"}``: the numpydoc type of a parameter taking these strings."""
    return "{" + ", ".join(f'"{value}"' for value in values) + "}"


@dataclass(frozen=True)
class Parameter:
    """One parameter of the embedders.

    ``kind`` is the numpydoc type (without the default, which is added from
    ``default``); ``annotation`` the signature's type hint; ``doc`` the
    description, in which ``{network}``,
    ``{constraint}``, ``{metric_options}`` and ``{metric_help}`` name the
    embedder's own metric loss; ``warm_fit`` whether a warm fit may change
    it (:func:`._warm_fit.check_warm_fit`).
    """

    name: str
    default: object
    constraints: list
    kind: str
    doc: str
    annotation: str = "object"  # the signature's type hint
    #: Whether a warm fit (``warm_start=True``) reads it again; the others
    #: built the network, its objective or its callbacks at the first fit.
    warm_fit: bool = False


_REAL = numbers.Real
_INTEGRAL = numbers.Integral

PARAMETERS: tuple[Parameter, ...] = (
    Parameter(
        "latent_dim",
        10,
        _at_least(1, _INTEGRAL),
        "int",
        "Dimension of the embedding.",
        annotation="int",
    ),
    Parameter(
        "hidden_layer_sizes",
        "auto",
        [StrOptions({"auto"}), "array-like"],
        'tuple of int or "auto"',
        "Widths of the MLP encoder's hidden layers (after the convolutions in "
        "image mode); the decoder mirrors them. ``()`` has none: the code is a "
        "linear map of the rows (of the feature maps in image mode), as NCA's "
        'or PCA\'s is, and the vector decoder is linear too. ``"auto"`` is '
        f"{AUTO_HIDDEN_LAYER_SIZES['vector']} for vectors and "
        f"{AUTO_HIDDEN_LAYER_SIZES['image']} in image mode; below "
        f"{AUTO_HIDDEN_FULL_ROWS:,} rows the vector MLP narrows to ``(w, w // "
        "2)``, ``w`` the power of two nearest to half the rows on a log "
        "scale (``2 ** round(log2(rows / 2))``), at least "
        f"{AUTO_HIDDEN_MIN_WIDTH}.",
        annotation="tuple[int, ...] | str",
    ),
    Parameter(
        "linear_path",
        "auto",
        [StrOptions({"auto"}), "boolean"],
        'bool or "auto"',
        "Whether the code's heads also read the row itself, beside the "
        "encoder: the code is then the encoder's code plus a linear map of "
        "the row, as PCA's and NCA's codes are, so the input's "
        "neighbourhoods that the labels do not move carry over to new rows. "
        '``"auto"`` turns it on for flattened rows with the built-in MLP '
        "and off in image mode, with your own ``encoder`` and with "
        "``hidden_layer_sizes=()``. With few labels on small tables it lost "
        "fewer cells to the best of the raw features, PCA, NCA and UMAP "
        "(see the few-labels guide); ``net_.module_`` shows it as "
        "``linear_path=<n_features>``.",
        annotation="bool | str",
    ),
    Parameter(
        "activation",
        "relu",
        [StrOptions(set(ACTIVATIONS))],
        options_doc(ACTIVATIONS),
        "Hidden-layer activation.",
        annotation="str",
    ),
    Parameter(
        "dropout",
        0.0,
        [Interval(_REAL, 0, 1, closed="left")],
        "float in [0, 1)",
        "Dropout after each hidden layer. Off by default: beside the "
        "neighbour term it cost 5-NN accuracy (see the few-labels guide).",
        annotation="float",
    ),
    Parameter(
        "encoder",
        None,
        [None, torch.nn.Module, callable],
        "torch.nn.Module, Module class or None",
        "Your own encoder, in place of the built-in one (the MLP, and the "
        "convolutions in image mode): a module instance, a ``Module`` class "
        "or a function returning a module (``torchvision.models.resnet18``), "
        "built with the ``encoder__<arg>`` arguments (``encoder__width=64``). "
        "It maps a batch of rows ``(n, n_features)``, in image mode too "
        "(reshape them in its ``forward``), to ``(n, h)``; the embedder puts "
        "its own ``latent_dim`` head (and a VAE's log-variance head) on top. "
        "An instance is copied at each fit and never trained itself. Tried "
        "on two rows before training: a wrong shape is an error. Not with "
        "``spatial_contrasting_weight`` (which reads the built-in "
        "convolutions); ``hidden_layer_sizes`` then sizes the built-in "
        "decoder only.",
        annotation="torch.nn.Module | type[torch.nn.Module] | None",
    ),
    Parameter(
        "decoder",
        None,
        [None, torch.nn.Module, callable],
        "torch.nn.Module, Module class or None",
        "Your own decoder, in place of the built-in mirror of the encoder, "
        "taken as ``encoder`` is (``decoder__<arg>`` arguments, copied, "
        "tried before training). It maps codes ``(n, latent_dim)`` to rows "
        '``(n, n_features)`` (logits with ``reconstruction="bce"``). '
        "Unused at ``weight=1``, which reconstructs nothing.",
        annotation="torch.nn.Module | type[torch.nn.Module] | None",
    ),
    Parameter(
        "variational",
        True,
        ["boolean"],
        "bool",
        "``True`` trains a VAE, whose metric terms act on the posterior "
        "means as in the TVAE paper; ``False`` a deterministic autoencoder.",
        annotation="bool",
    ),
    Parameter(
        "beta",
        1.0,
        _at_least(0),
        "float >= 0",
        "Weight of the KL term of a VAE (1 is the ELBO).",
        annotation="float",
    ),
    Parameter(
        "observation_variance",
        "auto",
        [StrOptions({"auto"}), Interval(_REAL, 0, None, closed="neither")],
        'float > 0 or "auto"',
        'Variance of the VAE\'s Gaussian likelihood (``reconstruction="mse"``): '
        "the reconstruction term is ``mse / (2 * var)``, its negative "
        "log-likelihood per feature, beside ``beta * KL / n_features``. "
        '``"auto"`` sets ``var`` to each batch\'s mean squared error, the '
        "variance that maximises the likelihood of the current decoder "
        "(Rybkin, Daniilidis & Levine's calibrated decoders; the loss's value "
        "then adds ``log(var) / 2``, the likelihood's other term, so that it "
        "falls as the reconstruction improves), so that the KL "
        "weighs against what the decoder can reconstruct whatever the data's "
        "scale; a fixed 0.5 weighs it against the plain mean squared error, "
        "under which a VAE of data in [0, 1] switches its latent dimensions "
        'off. A Bernoulli likelihood (``reconstruction="bce"``) and a '
        "deterministic autoencoder have no variance and ignore it.",
        annotation="float | str",
    ),
    Parameter(
        "kl_warmup",
        1.0,
        [Interval(_REAL, 0, 1, closed="both")],
        "float in [0, 1]",
        "Share of the epochs over which the KL term's weight rises linearly "
        "from 0 to its full value (KL annealing, Bowman et al. 2016), so that "
        "the decoder learns to reconstruct before the KL can switch latent "
        "dimensions off. 0 trains the full ELBO from the first epoch; a warm "
        "start continues at the full value.",
        annotation="float",
    ),
    Parameter(
        "weight",
        "auto",
        [StrOptions({"auto"}), Interval(_REAL, 0, 1, closed="both")],
        'float in [0, 1] or "auto"',
        "``loss = weight * metric + (1 - weight) * (reconstruction + beta * "
        "KL)``. 0 is a plain AE/VAE, 1 a pure {network} network (the "
        '``"auto"`` extra terms and pseudo-labels are off there; terms given '
        "a number stay, but no decoder is trained, so ``inverse_transform`` "
        "and ``sample`` refuse). The extra terms (neighbour, supervised "
        "contrastive, contrasting, classifier, spatial contrasting) count in "
        "``metric``. The metric terms "
        "are distances between codes, the reconstruction a per-feature "
        "negative log-likelihood (see ``observation_variance``), "
        "so a small weight still lets the metric lead while the "
        "reconstruction keeps local structure. "
        f'``"auto"`` is {AUTO_WEIGHT} where the labels are trusted to reach '
        "the unlabelled rows: in image mode, with every row labelled, "
        "without labels, and on flattened rows whose input graph carries "
        "the labels; on flattened rows of fewer than "
        f"{AUTO_HIDDEN_FULL_ROWS:,} training rows it starts at {AUTO_WEIGHT} "
        f"x sqrt({AUTO_HIDDEN_FULL_ROWS:,} / rows), at most "
        f"{AUTO_WEIGHT * SMALL_DATA_WEIGHT_FACTOR:g}, where a reconstruction "
        "of a few hundred rows guides the classes less. It is lower on "
        "flattened rows whose input-space "
        "neighbours are often of another class: label spreading over the "
        f"input graph, from at most {LABEL_TRUST_SOURCES} labelled rows of "
        "each class, is scored on held-out labelled rows, and where its "
        "Cohen's kappa (at an upper confidence bound) lies below "
        f"{LABEL_TRUST_KAPPA[1]} the weight falls towards "
        f"{MIN_LABEL_TRUST:g} times that start (kappa {LABEL_TRUST_KAPPA[0]} "
        "and below), less so the more rows are labelled; there a few labelled "
        "rows per class would pull the classes apart by features that do "
        "not reach new rows (see the few-labels guide). The fit records the "
        "weight it used as ``weight_``.",
        annotation="float | str",
    ),
    Parameter(
        "margin",
        1.0,
        _at_least(0),
        "float >= 0",
        "Margin of the contrastive and triplet losses and of semi-hard mining.",
        annotation="float",
    ),
    Parameter(
        "metric_loss",
        None,  # each embedder declares its own
        [],
        "{metric_options}",
        "The loss on {constraint} mined from labels and on explicit "
        "constraints. {metric_help}",
        annotation="str",
    ),
    Parameter(
        "miner",
        "all",
        [StrOptions(set(MINERS))],
        options_doc(MINERS),
        "Which {constraint} of a batch's labelled rows the loss sees: all "
        "valid ones (class-balanced), those still inside the margin, or each "
        "anchor's hardest positive and negative.",
        annotation="str",
    ),
    Parameter(
        "reconstruction",
        "mse",
        [StrOptions(set(RECONSTRUCTIONS))],
        options_doc(RECONSTRUCTIONS),
        "Squared error, or Bernoulli cross-entropy for inputs in [0, 1].",
        annotation="str",
    ),
    Parameter(
        "neighbor_weight",
        "auto",
        [StrOptions({"auto"}), *_at_least(0)],
        'float >= 0 or "auto"',
        "Weight of the unsupervised neighbour term: each row must pick one of "
        "its ``n_neighbors`` input-space neighbours out of the batch (InfoNCE "
        "over the Cauchy kernel ``1 / (1 + d**2)`` of t-SNE and UMAP). It "
        "lets unlabelled rows shape the embedding; 0 turns it off. "
        f'``"auto"`` is {AUTO_EXTRA_TERM_WEIGHT} below ``weight=1`` and 0 at '
        "``weight=1``, the pure {network} network; on flattened rows whose "
        "input-space neighbours do not share their labels it falls towards "
        "the label trust behind ``weight`` as far as rows are labelled (to "
        "the trust itself with every row labelled; ``neighbor_weight_``). A "
        "number adds the term at ``weight=1`` too; like every extra term it "
        "belongs to the metric part, scaled by ``weight``, so ``weight=0`` "
        "(a plain AE/VAE) does not train it and warns where it was given.",
        annotation="float | str",
    ),
    Parameter(
        "n_neighbors",
        10,
        _at_least(1, _INTEGRAL),
        "int >= 1",
        "Input-space neighbours per row for that term (searched with "
        "``input_metric`` in the space ``input_components`` gives), "
        "and of the graph that spreads pseudo-labels; at most the training "
        "rows less one (a fit on fewer rows takes them all).",
        annotation="int",
    ),
    Parameter(
        "input_components",
        "auto",
        [StrOptions({"auto"}), *_at_least(1, _INTEGRAL)],
        'int >= 1 or "auto"',
        "Dimension of the space the input graph is searched in (the "
        "neighbour term's positives, the check on pseudo-labels, the "
        "smoothing of new rows and the label spreading of "
        '``weight="auto"``): a projection of ``X`` on that many components '
        "(PCA, or a truncated SVD for scipy sparse ``X``) where ``X`` has "
        "more features and rows than that, ``X``'s features otherwise. "
        f'``"auto"`` is {PCA_DIMENSIONS}, unless a PCA of ``latent_dim`` '
        f"times {' or '.join(map(str, AUTO_INPUT_COMPONENTS_FACTORS))} "
        "components carries the labels further on flattened rows: label "
        "spreading over its graph, from all but a fold of the labelled rows "
        f"(at most {LABEL_TRUST_SOURCES} a class), recovers more of the "
        f"held-out ones, by {INPUT_SPACE_MARGIN:g} binomial standard error of "
        f"the default's count and {INPUT_SPACE_MIN_ROWS} rows at least. It "
        "needs two labelled rows of each class and some unlabelled rows; "
        "image mode keeps the default. The fit records the dimension "
        "searched as ``input_components_``.",
        annotation="int | str",
        warm_fit=True,
    ),
    Parameter(
        "input_metric",
        "auto",
        [StrOptions({"auto", *INPUT_METRICS})],
        options_doc(("auto", *INPUT_METRICS)),
        "Metric of the input-space neighbour search (the neighbour term's "
        "positives), the only distance the embedders measure between input "
        f'rows. ``"auto"`` is ``"{AUTO_INPUT_METRIC["sparse"]}"`` for scipy '
        "sparse ``X`` (TF-IDF, one-hot: there the angle between rows, not "
        "their lengths, says which are alike) and "
        f'``"{AUTO_INPUT_METRIC["dense"]}"`` for dense ``X``; the fit records '
        'its choice as ``input_metric_``. ``"cosine"`` scales rows to unit '
        "length, before the projection and after it, and searches there, "
        "where the Euclidean distance orders neighbours as the cosine "
        "distance does.",
        annotation="str",
        warm_fit=True,
    ),
    Parameter(
        "neighbor_smoothing",
        "auto",
        [StrOptions({"auto"}), Interval(numbers.Real, 0, 1, closed="both")],
        'float in [0, 1] or "auto"',
        "Share of each embedded row's code taken from the weighted mean code "
        "of its input-space neighbourhood: the row itself, at distance 0, "
        "and its ``n_neighbors - 1`` nearest training rows (searched as the "
        "neighbour term's positives are), the rest being the encoder's own "
        "code: ``transform`` gives ``(1 - s) * f(x) + s * sum_j w_j "
        "f(x_j)``, the ``w_j`` UMAP's membership strengths of the "
        "neighbours (the nearest weigh most), normalised to sum to one. A "
        "training row finds itself in that search, and a new row is embedded "
        "as it would be among the training rows. "
        "An encoder fitted on few rows maps new rows less well than the rows "
        "it trained on; the input-space neighbours carry them to where their "
        "training neighbours lie, as UMAP's ``transform`` does. The fit keeps "
        "the training rows' codes and their projection for it. "
        f'``"auto"`` is {AUTO_NEIGHBOR_SMOOTHING} when the neighbour term is '
        "on and 0 when it is off (``weight=0``, the plain AE or VAE; "
        "``weight=1``, the pure {network} network). When ``augment`` draws "
        "random views, the share follows how many of them find their own row "
        "among their ``n_neighbors`` nearest training rows in input space "
        f"(a share ``a`` of them): ``{AUTO_NEIGHBOR_SMOOTHING} * max(0, 2a - 1)``. "
        "Views that leave their row's input neighbourhood teach the encoder "
        "invariances that the input graph lacks, and smoothing over it would "
        "undo them (28x28 digits: a is about a third, no smoothing); where "
        "most stay (8x8 digits: a near 0.7, a share near 0.3) the smoothing "
        "helps held-out rows as it does without views (see the few-labels "
        "guide). 0 returns the encoder's codes. The fit "
        "records the share it used as ``neighbor_smoothing_``.",
        annotation="float | str",
        warm_fit=True,
    ),
    Parameter(
        "supervised_contrastive_weight",
        "auto",
        [StrOptions({"auto"}), *_at_least(0)],
        'float >= 0 or "auto"',
        "Weight of a supervised contrastive term on the class-balanced "
        "labelled rows of each batch (same Cauchy kernel). "
        f'``"auto"`` is {AUTO_EXTRA_TERM_WEIGHT} below ``weight=1`` and 0 at '
        "``weight=1``.",
        annotation="float | str",
    ),
    Parameter(
        "pseudo_label_fraction",
        "auto",
        [StrOptions({"auto"}), Interval(_REAL, 0, 1, closed="both")],
        'float in [0, 1] or "auto"',
        "Share of the unlabelled rows that train the label terms under a "
        "pseudo-label. From a third of the epochs on, and again every twelfth "
        "of them, the true labels are spread over a ``n_neighbors``-NN graph "
        "of the current embedding (scikit-learn's ``LabelSpreading``) and the "
        'most confident rows take the label they reached. ``"auto"`` is '
        f"{AUTO_PSEUDO_LABEL_FRACTION['vector']} for vectors and "
        f"{AUTO_PSEUDO_LABEL_FRACTION['image']} in image mode when fewer than "
        f"{AUTO_PSEUDO_LABELS_BELOW:.0%} of the rows carry a label (one at "
        "least) and ``weight`` lies between 0 and 1, and 0 otherwise (see "
        "the few-labels guide; at ``weight=0`` or without a labelled row a "
        "number is 0 too). "
        "0 turns them off. A pseudo-label is kept only where the same "
        "spreading over the input-space graph agrees: for flattened rows "
        "wherever the fit searches that graph (the neighbour term or the "
        "smoothing is on), and in image mode where most random views also "
        "stay among their row's input-space neighbours. Above "
        f"{MAX_PROPAGATION_ROWS:,} unlabelled rows each refresh spreads over "
        "a random sample of that many of them, and the share is of the "
        "sample.",
        annotation="float | str",
    ),
    Parameter(
        "contrasting_weight",
        0.0,
        _at_least(0),
        "float >= 0",
        "Weight of Hoffer & Ailon's semi-supervised contrasting: labelled "
        "rows, cross-entropy over distances to class exemplars; unlabelled "
        "rows, the entropy of that distribution.",
        annotation="float",
    ),
    Parameter(
        "classifier_weight",
        0.0,
        _at_least(0),
        "float >= 0",
        "Weight of a linear classifier head on the latent code, trained with "
        "cross-entropy on labelled rows (the classification network of "
        '"Siamese networks and friends").',
        annotation="float",
    ),
    Parameter(
        "spatial_contrasting_weight",
        0.0,
        _at_least(0),
        "float >= 0",
        "Image mode only: weight of Hoffer & Ailon's spatial contrasting, an "
        "unsupervised term for which two patches of one image (random "
        "half-size windows of the convolutional feature map) must be closer "
        "than patches of the other images of the batch.",
        annotation="float",
    ),
    Parameter(
        "image_shape",
        None,
        [None, tuple, list],
        "tuple of int or None",
        "``(height, width[, channels])`` of the images that rows flatten "
        "(channels last). Switches to the image mode: two 3x3 convolutions "
        f"({' and '.join(map(str, STEM_CHANNELS))} channels; each halves the "
        f"map while its side stays at least {MIN_MAP_SIDE} pixels) before the "
        "hidden layers, and a mirrored "
        "transposed-convolution decoder. Rows stay the input and output "
        "format.",
        annotation="tuple[int, ...] | None",
    ),
    Parameter(
        "augment",
        "auto",
        [StrOptions({"auto"}), "boolean"],
        'bool or "auto"',
        "Image mode only: train on random affine views (rotation up to "
        f"{VIEW_DEGREES:g} degrees, scale up to {VIEW_SCALE:.0%}, shift up to "
        f"1/{round(1 / VIEW_SHIFT)} of each side, {round(28 * VIEW_SHIFT)} "
        "pixels of 28) of each row and of its neighbour, so the neighbour term "
        'learns invariance to them. ``"auto"`` turns them on in image mode '
        "and off for vectors.",
        annotation="bool | str",
    ),
    Parameter(
        "max_epochs",
        "auto",
        [StrOptions({"auto"}), Interval(_INTEGRAL, 1, None, closed="left")],
        'int >= 1 or "auto"',
        'Passes over the rows. ``"auto"`` is a budget of optimiser steps: '
        "the passes that take "
        f"{auto_steps(None, BATCH_SIZE)} steps for vectors "
        f"and {auto_steps((28, 28), BATCH_SIZE)} in image mode at "
        f"the default ``batch_size`` ({AUTO_TRAINING_ROWS['vector']:,} and "
        f"{AUTO_TRAINING_ROWS['image']:,} rows in full batches: "
        f"{resolve_max_epochs('auto', None, 6000, BATCH_SIZE)} and "
        f"{resolve_max_epochs('auto', (28, 28), 6000, BATCH_SIZE)} passes over "
        "6,000 rows; a data set smaller than a batch takes one step a "
        "pass, and a ``batch_size`` beyond the rows counts as the rows, or "
        f"as {BATCH_SIZE} below that many rows; validation rows held out "
        "do not count), "
        f"at least {AUTO_MIN_EPOCHS}, so that the fit's cost stops "
        "growing with the rows and a small data set trains as long as a "
        "large one. An "
        "integer is a fixed number of passes, whose cost grows with rows x "
        "epochs.",
        annotation="int | str",
        warm_fit=True,
    ),
    Parameter(
        "early_stopping",
        False,
        ["boolean"],
        "bool",
        "Stop before ``max_epochs`` once the validation rows' loss "
        "(``valid_loss``) has not fallen by a relative "
        f"{EARLY_STOPPING_THRESHOLD:g} below its best for ``n_iter_no_change`` "
        "epochs, and keep the network of the best epoch (skorch's "
        f'``EarlyStopping``, named ``"{EARLY_STOPPING_NAME}"``). Needs '
        'validation rows: ``validation_fraction="auto"`` holds out '
        f"{AUTO_VALIDATION_FRACTION} of the rows then.",
        annotation="bool",
    ),
    Parameter(
        "validation_fraction",
        "auto",
        [StrOptions({"auto"}), Interval(_REAL, 0, 1, closed="neither"), None],
        'float in (0, 1), "auto" or None',
        "Share of the rows held out of training and scored after every "
        "epoch, in eval mode, as ``valid_loss`` (and each part as "
        "``valid_<part>_loss``) in ``history_``, which skorch's "
        '``EarlyStopping``, ``Checkpoint`` and ``LRScheduler(monitor="valid_loss")`` '
        "follow. The share is taken from each class's labelled rows (a class "
        f"keeps at least {MIN_TRAINING_ROWS_PER_CLASS} for training) and from "
        "the unlabelled rows at random. Held-out rows train nothing: not the "
        "reconstruction, not as neighbours (each side's neighbours are searched "
        "among its own rows), not through constraints (those reaching both "
        "sides are left out, with a warning), not through pseudo-labels; "
        "``transform`` embeds them as any row. The loss is the objective less "
        "a VAE's KL term (recorded apart, as ``valid_kl_loss``), whose weight "
        "the warm-up moves every epoch: the held-out reconstruction and metric "
        "terms, with the random draws of mining and spatial contrasting the "
        "same every epoch, so that it moves only with the weights. "
        f'``"auto"`` is {AUTO_VALIDATION_FRACTION} with '
        "``early_stopping`` and no split without; None never holds rows out.",
        annotation="float | str | None",
    ),
    Parameter(
        "n_iter_no_change",
        10,
        _at_least(1, _INTEGRAL),
        "int >= 1",
        "Epochs without improvement of ``valid_loss`` after which "
        "``early_stopping`` stops (scikit-learn's name for it; skorch's "
        "``patience``).",
        annotation="int",
    ),
    Parameter(
        "batch_size",
        BATCH_SIZE,
        _at_least(1, _INTEGRAL),
        "int >= 1",
        "Rows per step for the reconstruction, plus up to "
        f"{MAX_BALANCED_SHARE:.0%} as many (at least {MIN_BALANCED_ROWS}) "
        "class-balanced labelled rows for the metric terms when the step's own "
        "rows hold too few labelled pairs. The batch plans set the "
        "DataLoader's batches; ``iterator_train__<arg>`` and "
        "``iterator_valid__<arg>`` pass it other arguments, as skorch's names "
        "do (``iterator_train__num_workers=2``, ``pin_memory``).",
        annotation="int",
    ),
    Parameter(
        "lr",
        2e-3,
        [Interval(_REAL, 0, None, closed="neither")],
        "float > 0",
        "Learning rate: the rate of every step under a constant "
        "``lr_schedule``, the mean rate of the one cycle.",
        annotation="float",
        warm_fit=True,
    ),
    Parameter(
        "lr_schedule",
        "auto",
        [StrOptions(set(LR_SCHEDULES))],
        options_doc(LR_SCHEDULES),
        'The learning rate over the fit\'s steps. ``"constant"`` trains every '
        'step at ``lr``. ``"one-cycle"`` (Smith & Topin\'s one-cycle policy) '
        f"rises from {ONE_CYCLE_PEAK * ONE_CYCLE_START:g} times ``lr`` to "
        f"{ONE_CYCLE_PEAK:g} times it over the "
        f"first {ONE_CYCLE_WARMUP:.0%} of the steps and falls along a cosine "
        "to 0 over the rest, its mean rate ``lr``: each call to ``fit`` runs "
        'one cycle. ``"auto"`` is the cycle in image mode, where it trains '
        "in 24 passes over 6,000 MNIST rows what a constant rate trained in "
        '30, within 0.002 of its accuracy (``max_epochs="auto"`` counts on '
        "it), and constant for vectors, where it lost a few tenths of a "
        "point; "
        "the fit records its choice as ``lr_schedule_``.",
        annotation="str",
    ),
    Parameter(
        "optimizer",
        "adam",
        [StrOptions(set(OPTIMIZERS)), callable],
        f"{options_doc(OPTIMIZERS)}, torch optimiser class or functools.partial",
        "Optimiser: a name, a ``torch.optim.Optimizer`` subclass, or a "
        "``functools.partial`` of one binding its other arguments "
        "(``partial(torch.optim.SGD, momentum=0.9)``); ``optimizer__<arg>`` "
        "sets one of them too (``optimizer__weight_decay=1e-4``). The "
        "learning rate is ``lr``.",
        annotation="str | type[torch.optim.Optimizer] | functools.partial",
    ),
    Parameter(
        "device",
        "cpu",
        [StrOptions(set(DEVICES)), torch.device, str],
        "str or torch.device",
        f"Where to train: {', '.join(repr(d) for d in DEVICES)} or any name "
        'torch knows, such as ``"cuda:1"``; ``"auto"`` takes CUDA when '
        "available.",
        annotation="str | torch.device",
    ),
    Parameter(
        "mixed_precision",
        "auto",
        [StrOptions(set(MIXED_PRECISION))],
        options_doc(MIXED_PRECISION),
        'How the training passes compute: ``"bf16"`` runs their matrix '
        "products and convolutions in bfloat16 (``torch.autocast``; weights, "
        'optimiser and loss stay float32), ``"no"`` keeps float32 throughout. '
        '``"auto"`` is ``"bf16"`` on a CPU with native bfloat16 instructions '
        "(AVX512-BF16 or AMX), where a MNIST fit took a fifth to a third "
        "less time, its accuracy within a seed's spread, and "
        '``"no"`` elsewhere (CUDA included); the fit records its choice as '
        "``mixed_precision_``. "
        "``transform`` computes in float32 either way.",
        annotation="str",
        warm_fit=True,
    ),
    Parameter(
        "random_state",
        None,
        ["random_state"],
        "int, RandomState instance or None",
        "Seeds weights, batches and sampling: the same seed and data give the "
        "same embedding on CPU. Torch's global generator is left untouched.",
        annotation="int | np.random.RandomState | None",
        warm_fit=True,
    ),
    Parameter(
        "verbose",
        0,
        ["verbose"],
        "int",
        "0 is silent; 1 prints skorch's epoch table with a progress bar.",
        annotation="int",
    ),
    Parameter(
        "callbacks",
        None,
        [None, list],
        "list of skorch callbacks or None",
        "Extra skorch callbacks, each an instance or a ``(name, callback)`` "
        "pair; ``callbacks__<name>__<param>`` sets a parameter of one (a "
        "callback without a name is named after its class). Those that "
        'follow ``valid_*`` keys (``EarlyStopping(monitor="valid_loss")``, '
        "``Checkpoint()``) need ``validation_fraction``.",
        annotation="list | None",
    ),
    Parameter(
        "warm_start",
        False,
        ["boolean"],
        "bool",
        "When ``True``, ``fit`` continues training the fitted network, "
        "with its objective and callbacks. Such a warm fit reads "
        "{warm_parameters} again; a change of any other parameter since the "
        "first fit (``weight`` or ``latent_dim``, say, or a routed "
        "``optimizer__*``) raises a ``ValueError`` before training: refit "
        "with ``warm_start=False`` to apply it.",
        annotation="bool",
        warm_fit=True,
    ),
)


def parameter_constraints(**overrides) -> dict:
    """``_parameter_constraints`` of an embedder; ``overrides`` by name."""
    return {p.name: overrides.get(p.name, p.constraints) for p in PARAMETERS}


def make_init(**defaults):
    """An ``__init__`` that stores every parameter, with these defaults.

    The function carries an explicit signature, which is what scikit-learn
    (``get_params``, ``clone``, the HTML repr) and ``help()`` read. Beyond
    it, the function takes skorch's routed arguments (:func:`is_routed`) as
    keywords, as skorch's ``NeuralNet`` does. They stay out of the
    signature: scikit-learn's checks give every parameter of the signature
    arbitrary values (``check_do_not_raise_errors_in_init_or_set_params``),
    which a ``**kwargs`` there cannot take; ``get_params`` returns them, so
    that ``clone`` passes them back.
    """
    positional = inspect.Parameter.POSITIONAL_OR_KEYWORD
    signature = inspect.Signature(
        [inspect.Parameter("self", positional)]
        + [
            inspect.Parameter(
                p.name,
                positional,
                default=defaults.get(p.name, p.default),
                annotation=p.annotation,
            )
            for p in PARAMETERS
        ],
        return_annotation=None,
    )

    def __init__(self, *args, **kwargs) -> None:
        routed = {}
        for name in list(kwargs):
            if name not in signature.parameters:
                if not is_routed(name):
                    owner = f"{type(self).__name__}.__init__()"
                    raise TypeError(_unrouted_message(owner, name))
                routed[name] = kwargs.pop(name)
        bound = signature.bind(self, *args, **kwargs)
        bound.apply_defaults()
        for name, value in [*list(bound.arguments.items())[1:], *routed.items()]:
            setattr(self, name, value)

    __init__.__signature__ = signature
    return __init__
