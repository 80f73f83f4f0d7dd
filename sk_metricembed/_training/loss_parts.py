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


def history_key(part: str) -> str:
    """The name under which the history records a loss part."""
    return f"{part}_loss"
