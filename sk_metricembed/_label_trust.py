"""How far a fit trusts its labels to reach the unlabelled rows: ``weight="auto"``
and ``neighbor_weight="auto"``.

Without random views the encoder of flattened rows learns where rows lie
from the input graph and the labels alone, and the label terms can carry a
class to unlabelled and new rows only as far as the input geometry carries
it. Where it does not (a digit turned by any angle, a digit over a
photograph), a few labelled rows of each class pull them apart by features
that do not generalise, and the embedding's neighbourhoods come out worse
than PCA's (``docs/few_labels.md``, "How far the labels are trusted").

The measure is label spreading over the input graph, the same spreading
that vets the pseudo-labels, scored on labelled rows it did not see
(stratified folds) and started from at most ``LABEL_TRUST_SOURCES``
labelled rows a class, so that it measures the graph, not the label count;
:func:`~._defaults.label_trust` turns its accuracy into a trust and
:func:`~._defaults.auto_weight` into the fit's weight, which starts higher
on a few hundred rows (:func:`~._defaults.small_data_weight`), and
:func:`~._defaults.auto_neighbor_weight` into the neighbour term's weight,
which a trust below full lowers as far as rows are labelled. In image
mode the convolutions and the random views teach the encoder what the
pixel graph misses, and the weight is ``AUTO_WEIGHT`` there.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from sklearn.model_selection import StratifiedKFold

from ._defaults import (
    AUTO_WEIGHT,
    LABEL_TRUST_FOLDS,
    LABEL_TRUST_SOURCES,
    auto_neighbor_weight,
    auto_weight,
    is_auto,
    label_trust,
    resolve_extra_term_weight,
    small_data_weight,
)
from ._training.pseudo_labels import input_graph_classes, knn_connectivity

#: Rows the check spreads over: every labelled row and a sample of the
#: others, so that its cost stops growing with the data (five spreadings
#: over 6,000 rows take about 2.7 s on 2 cores).
LABEL_TRUST_ROWS = 10_000


class Spreading(NamedTuple):
    """How label spreading over the input graph scored the held-out rows.

    ``accuracy`` is the share of the ``n_scored`` held-out labelled rows
    given their own class; ``chance`` the agreement expected by chance
    (Cohen's): the sum over classes of the share of the scored rows in a
    class times the share the spreading gave it. On two classes of 80%
    and 20%, spreading that gives every row the larger class scores 0.8
    with a chance of 0.8 too: it carries no label.
    """

    accuracy: float
    n_scored: int
    chance: float


def trust_rows(labels: np.ndarray, rng: np.random.RandomState) -> np.ndarray:
    """The rows :func:`spreading_accuracy` spreads over, sorted: every
    labelled row and, up to ``LABEL_TRUST_ROWS`` in all, a sample of the
    others drawn from ``rng`` (its first draw, seeded as the fit's)."""
    labeled = np.flatnonzero(labels >= 0)
    unlabeled = np.flatnonzero(labels < 0)
    room = max(0, LABEL_TRUST_ROWS - labeled.size)
    if unlabeled.size > room:
        unlabeled = rng.choice(unlabeled, room, replace=False)
    return np.sort(np.concatenate([labeled, unlabeled]))


def spreading_accuracy(
    features: np.ndarray, labels: np.ndarray, n_neighbors: int, seed: int
) -> Spreading | None:
    """:class:`Spreading` of the labels over the input graph.

    Each fold of the labelled rows (``LABEL_TRUST_FOLDS``, stratified; fewer
    when a class has fewer rows) is hidden in turn, the labels spread from
    the others (at most ``LABEL_TRUST_SOURCES`` a class, drawn at random)
    over the ``n_neighbors`` graph of ``features``
    (:func:`~._training.pseudo_labels.input_graph_classes`), and the hidden
    rows scored: every labelled row once, from no more sources however many
    rows are labelled. None when a class has fewer than two labelled rows,
    or fewer than two classes have labels.

    Examples
    --------
    >>> import numpy as np
    >>> from sk_metricembed._label_trust import spreading_accuracy
    >>> rng = np.random.RandomState(0)
    >>> X = np.vstack([rng.normal(0, 1, (40, 2)), rng.normal(6, 1, (40, 2))])
    >>> y = np.repeat([0, 1], 40)
    >>> y[::4] = -1
    >>> spreading_accuracy(X, y, n_neighbors=5, seed=0)
    Spreading(accuracy=1.0, n_scored=60, chance=0.5)
    """
    rng = np.random.RandomState(seed)
    labeled = np.flatnonzero(labels >= 0)
    counts = np.bincount(labels[labeled])
    counts = counts[counts > 0]
    n_folds = min(LABEL_TRUST_FOLDS, int(counts.min()) if counts.size else 0)
    if counts.size < 2 or n_folds < 2:
        return None
    rows = trust_rows(labels, rng)
    features, labels = features[rows], labels[rows]
    labeled = np.flatnonzero(labels >= 0)
    connectivity = knn_connectivity(features, n_neighbors)  # one search, every fold
    folds = StratifiedKFold(n_folds, shuffle=True, random_state=seed)
    truth, given = [], []
    for _, hidden in folds.split(labeled, labels[labeled]):
        hidden = labeled[hidden]
        seen = labels.copy()
        seen[hidden] = -1
        for cls in np.unique(seen[seen >= 0]):
            members = np.flatnonzero(seen == cls)
            if members.size > LABEL_TRUST_SOURCES:
                spare = members.size - LABEL_TRUST_SOURCES
                seen[rng.choice(members, spare, replace=False)] = -1
        classes = input_graph_classes(features, seen, n_neighbors, rng, connectivity)
        truth.append(labels[hidden])
        given.append(classes[hidden])
    truth, given = np.concatenate(truth), np.concatenate(given)
    n_bins = int(max(truth.max(), given.max())) + 1
    scored, spread = (np.bincount(c, minlength=n_bins) / c.size for c in (truth, given))
    return Spreading(
        float(np.mean(truth == given)), int(truth.size), float(scored @ spread)
    )


def weight_reads_trust(value, labels: np.ndarray, image_mode: bool) -> bool:
    """Whether ``weight`` (``value``) is resolved from the label trust:
    ``"auto"`` on flattened rows, some but not all of them labelled."""
    return bool(is_auto(value) and not image_mode and 0 < np.mean(labels >= 0) < 1)


def fit_weight(value, choice, labels: np.ndarray, image_mode: bool) -> float:
    """The fit's ``weight``: ``value``, or ``"auto"`` resolved for this data.

    ``"auto"`` is ``AUTO_WEIGHT`` in image mode (``image_mode``). On flattened
    rows it starts from :func:`~._defaults.small_data_weight` of the training
    rows (``labels``, ``-1`` unlabelled), kept with every row labelled or none,
    and where there is no input graph or its labels are too few to score the
    spreading (without the neighbour term and the smoothing, the fit projects
    the rows for this spreading alone); otherwise
    :func:`~._defaults.auto_weight` of the trust that the spreading's accuracy
    over the fit's input graph (``choice``, :class:`~._input_space.InputChoice`)
    earns (:func:`~._defaults.label_trust`).
    """
    if not is_auto(value):
        return float(value)
    if image_mode:
        return AUTO_WEIGHT
    scored = choice.spreading
    if not weight_reads_trust(value, labels, image_mode) or scored is None:
        return small_data_weight(labels.size)
    return auto_weight(label_trust(*scored), float(np.mean(labels >= 0)), labels.size)


def fit_neighbor_weight(
    value, weight: float, choice, labels: np.ndarray, image_mode: bool
) -> float:
    """The fit's ``neighbor_weight``: ``value``, or ``"auto"`` resolved for this data.

    ``"auto"`` is ``AUTO_EXTRA_TERM_WEIGHT`` below ``weight=1`` (0 at it)
    in image mode, without an input graph and where the labels are too few
    to score the spreading over it; otherwise, on flattened rows,
    :func:`~._defaults.auto_neighbor_weight` of the trust the spreading
    earns (:func:`~._defaults.label_trust`) and the labelled share of the
    training rows (``labels``, ``-1`` unlabelled). The spreading is the one
    behind ``weight="auto"``, scored with every row labelled too.
    """
    nominal = resolve_extra_term_weight(value, weight)
    if not is_auto(value) or nominal == 0 or image_mode:
        return nominal
    scored = choice.spreading
    if scored is None:
        return nominal
    return auto_neighbor_weight(label_trust(*scored), float(np.mean(labels >= 0)))
