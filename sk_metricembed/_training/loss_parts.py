"""The names of the objective's losses and parts, declared once.

The objective computes the parts under these names, the skorch net records
them in the history as ``history_key(part)``, and the plots draw them from
here. Torch-free, so that reading a history needs no network code.
"""

from __future__ import annotations

PAIR_LOSSES = ("contrastive", "bce")
TRIPLET_LOSSES = ("triplet", "softmax_ratio")
#: The reconstruction's likelihoods (``reconstruction``).
RECONSTRUCTIONS = ("mse", "bce")
#: ``metric_loss`` of no pair or triplet term: the other metric terms alone
#: (with ``classifier_weight``, the classification network of "Siamese
#: networks and friends").
NO_METRIC_LOSS = "none"

#: The parts of the loss, each recorded per epoch in the net's history as
#: ``<part>_loss``. The reconstruction parts are blended with ``1 - weight``.
RECONSTRUCTION_PARTS = ("reconstruction", "kl")
#: The metric parts, blended with ``weight``, each already multiplied by its
#: own weight parameter (``neighbor_weight``, ...); ``constraint`` is the
#: estimator's pair or triplet loss.
METRIC_PARTS = (
    "constraint",
    "neighbor",
    "supervised_contrastive",
    "contrasting",
    "classifier",
    "spatial_contrasting",
)
LOSS_PARTS = RECONSTRUCTION_PARTS + METRIC_PARTS


#: skorch's prefix of what the validation rows record: ``valid_loss`` and,
#: here, each part of it (``valid_reconstruction_loss``, ...).
VALID_PREFIX = "valid_"
#: The key of the training objective; its validation twin is ``valid_loss``.
TRAIN_LOSS = "train_loss"


def history_key(part: str) -> str:
    """The name under which the history records a loss part."""
    return f"{part}_loss"


def validation_key(key: str) -> str:
    """The validation rows' key of a training key.

    >>> validation_key("train_loss"), validation_key("kl_loss")
    ('valid_loss', 'valid_kl_loss')
    """
    return VALID_PREFIX + key.removeprefix("train_")


def training_key(key: str) -> str:
    """The training key of a validation rows' key.

    >>> training_key("valid_loss_best"), training_key("valid_kl_loss")
    ('train_loss_best', 'kl_loss')
    """
    rest = key.removeprefix(VALID_PREFIX)
    return "train_" + rest if rest.startswith("loss") else rest
