"""Scores of an embedding's class structure from labels: triplet and kNN accuracy.

Labels follow the estimators: any labels that sort (numbers, text, pandas
categoricals), with -1, None or NaN marking an unlabeled row, left out. A
reference (the embedding of the labeled rows an estimator was fitted on)
joins the scored rows, so that a validation fold with few labels is still
scored.
"""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
from numpy.typing import ArrayLike
from scipy.spatial.distance import cdist
from sklearn.neighbors import NearestNeighbors
from sklearn.utils import check_array, check_consistent_length, check_random_state

from .._labels import UNLABELED, encode_labels, union_classes
from .._sklearn_compat import Interval, validate_params
from .._validation import warn

# Distances computed at once by the exact triplet count, to bound memory.
_CHUNK_SIZE = 2**20

_FOLD_ADVICE = (
    "A cross-validation fold may hold too few labeled rows: split with "
    "sk_metricembed.model_selection.SemiSupervisedKFold, use fewer folds, or "
    "label more rows."
)


@validate_params(
    {
        "X_embedded": ["array-like"],
        "y": ["array-like"],
        "margin": [Interval(Real, 0, None, closed="left")],
        "n_triplets": [Interval(Integral, 1, None, closed="left"), None],
        "random_state": ["random_state"],
        "X_reference": ["array-like", None],
        "y_reference": ["array-like", None],
    },
    prefer_skip_nested_validation=True,
)
def triplet_accuracy_score(
    X_embedded: ArrayLike,
    y: ArrayLike,
    *,
    margin: float = 0.0,
    n_triplets: int | None = 10000,
    random_state: int | np.random.RandomState | None = None,
    X_reference: ArrayLike | None = None,
    y_reference: ArrayLike | None = None,
) -> float:
    """Share of triplets whose anchor is closer to the positive than the negative.

    A triplet ``(a, p, n)`` of labeled rows has ``p != a`` of the anchor's class
    and ``n`` of another class; it is satisfied when
    ``d(a, p) + margin < d(a, n)`` with Euclidean distances ``d``.

    With a reference (``X_reference`` and ``y_reference``, such as the
    embedding of the rows an embedder was fitted on), anchors are the labeled
    rows of ``X_embedded`` and positives and negatives come from those rows
    and the reference rows together: a cross-validation fold holding one
    labeled row per class still forms triplets. Scored on the very rows of
    the reference, each anchor also meets its own copy, as a training score
    does; score rows the fit did not see for a held-out estimate.

    Parameters
    ----------
    X_embedded : array-like of shape (n_samples, n_components)
        Embedded rows.
    y : array-like of shape (n_samples,)
        Class labels (numbers or text); -1, None or NaN mark unlabeled
        rows, which are ignored.
    margin : float, default=0.0
        Margin the negative must clear; finite and ``>= 0``.
    n_triplets : int or None, default=10000
        Number of triplets drawn uniformly from all valid triplets. When there
        are no more valid triplets than this, or with None, all are counted.
    random_state : int, RandomState instance or None, default=None
        Seed of the draw, for a reproducible estimate.
    X_reference : array-like of shape (n_reference, n_components), default=None
        Embedded reference rows, positives and negatives but never anchors;
        given with ``y_reference``.
    y_reference : array-like of shape (n_reference,), default=None
        Class labels of ``X_reference``, of the type of ``y``; unlabeled
        rows are ignored.

    Returns
    -------
    score : float
        Satisfied share of the triplets, in ``[0, 1]``.

    See Also
    --------
    knn_accuracy_score : k-nearest-neighbour accuracy, leave-one-out or against
        a reference.
    triplet_accuracy_scorer : This score as a scorer for model selection.
    triplet_satisfied_score : The same share over given triplets, without
        labels.

    References
    ----------
    .. [1] Ishfaq, H., Hoogi, A. and Rubin, D. "TVAE: Triplet-Based Variational
       Autoencoder using Metric Learning", ICLR 2018 Workshop,
       arXiv:1802.04403.

    Examples
    --------
    >>> from sk_metricembed.metrics import triplet_accuracy_score
    >>> X_embedded = [[0.0], [1.0], [4.0], [5.0], [9.0]]
    >>> triplet_accuracy_score(X_embedded, [0, 0, 1, 1, -1])
    1.0
    >>> triplet_accuracy_score(X_embedded, [0, 0, 1, 1, -1], margin=2.5)
    0.75

    One labeled row per class forms no triplet alone; the reference supplies
    the positives:

    >>> triplet_accuracy_score([[0.5], [4.5]], [0, 1],
    ...                        X_reference=X_embedded, y_reference=[0, 0, 1, 1, -1])
    1.0
    """
    X, y, reference, _ = _check_scored_rows(
        X_embedded, y, X_reference, y_reference, "triplet_accuracy_score"
    )
    n_anchors = len(y)
    if reference is not None:
        X, y = np.vstack([X, reference[0]]), np.r_[y, reference[1]]
    # Rows sorted by class: each class is one contiguous block.
    order = np.argsort(y, kind="stable")
    X, y = X[order], y[order]
    is_anchor = order < n_anchors
    _, class_start, class_size = np.unique(y, return_index=True, return_counts=True)
    n_labeled = len(y)
    anchor_class = np.repeat(np.arange(len(class_size)), class_size)
    # Valid triplets per anchor: (positives) * (negatives).
    per_anchor = (class_size - 1) * (n_labeled - class_size)
    total = int(np.sum(per_anchor[anchor_class][is_anchor]))
    if total == 0:
        raise ValueError(
            _no_triplet_message(
                class_size, anchor_class[is_anchor], reference is not None
            )
        )
    if n_triplets is None or total <= n_triplets:
        n_correct = _exact_triplet_accuracy(
            X, class_start, class_size, is_anchor, margin
        )
        return n_correct / total

    rng = check_random_state(random_state)
    weights = per_anchor[anchor_class] * is_anchor.astype(float)
    anchors = rng.choice(n_labeled, size=n_triplets, p=weights / weights.sum())
    classes = anchor_class[anchors]
    start, size = class_start[classes], class_size[classes]
    # Uniform over the anchor's class without the anchor: draw one fewer and
    # step over the anchor; likewise over all rows outside the class block.
    pick = rng.randint(0, size - 1)
    positives = start + pick + (pick >= anchors - start)
    pick = rng.randint(0, n_labeled - size)
    negatives = pick + size * (pick >= start)
    d_positive = np.linalg.norm(X[anchors] - X[positives], axis=1)
    d_negative = np.linalg.norm(X[anchors] - X[negatives], axis=1)
    return _satisfied_share(d_positive, d_negative, margin)


def _satisfied_share(d_positive, d_negative, margin: float) -> float:
    """Share of triplets with ``d(a, p) + margin < d(a, n)``: a tie fails."""
    return float(np.mean(d_positive + margin < d_negative))


def _no_triplet_message(class_size, anchor_classes, has_reference: bool) -> str:
    where = " (reference rows included)" if has_reference else ""
    return (
        "triplet_accuracy_score needs labeled rows of at least 2 "
        "classes, an anchor's class holding at least 2 rows; got "
        f"{len(anchor_classes)} labeled rows to anchor and class sizes "
        f"{class_size.tolist()}{where}. {_FOLD_ADVICE}"
    )


def _exact_triplet_accuracy(X, class_start, class_size, is_anchor, margin) -> int:
    """Count satisfied triplets of class-sorted rows, anchor by anchor."""
    n_labeled, n_correct = len(X), 0
    for start, size in zip(class_start, class_size):
        stop = start + size
        class_anchors = start + np.flatnonzero(is_anchor[start:stop])
        if size < 2 or len(class_anchors) == 0:
            continue
        others = np.r_[0:start, stop:n_labeled]
        n_negative = len(others)
        chunk = max(1, _CHUNK_SIZE // n_labeled)
        for first in range(0, len(class_anchors), chunk):
            anchors = class_anchors[first : first + chunk]
            # Per anchor: negative distances first, then positive thresholds,
            # so a stable sort puts a tied negative before the threshold.
            d_negative = cdist(X[anchors], X[others])
            d_positive = cdist(X[anchors], X[start:stop])
            values = np.hstack((d_negative, d_positive + margin))
            # The anchor itself ranks after every negative: it counts zero.
            values[np.arange(len(anchors)), n_negative + anchors - start] = np.inf
            ranked = np.argsort(values, axis=1, kind="stable") < n_negative
            negatives_up_to = np.cumsum(ranked, axis=1)
            n_correct += int(np.sum((n_negative - negatives_up_to)[~ranked]))
    return n_correct


@validate_params(
    {
        "X_embedded": ["array-like"],
        "y": ["array-like"],
        "n_neighbors": [Interval(Integral, 1, None, closed="left")],
        "X_reference": ["array-like", None],
        "y_reference": ["array-like", None],
    },
    prefer_skip_nested_validation=True,
)
def knn_accuracy_score(
    X_embedded: ArrayLike,
    y: ArrayLike,
    *,
    n_neighbors: int = 5,
    X_reference: ArrayLike | None = None,
    y_reference: ArrayLike | None = None,
) -> float:
    """k-nearest-neighbour accuracy of the labeled rows.

    Each labeled row is predicted by a majority vote of its ``n_neighbors``
    nearest labeled neighbours (Euclidean). A tied vote goes to the tied
    class of the nearest neighbour. Without a reference the neighbours are
    the other labeled rows of ``X_embedded`` (leave-one-out); with one
    (``X_reference`` and ``y_reference``, such as the embedding of the rows
    an embedder was fitted on) they are the labeled reference rows only, as
    a classifier trained on the reference would predict held-out rows.

    Parameters
    ----------
    X_embedded : array-like of shape (n_samples, n_components)
        Embedded rows.
    y : array-like of shape (n_samples,)
        Class labels (numbers or text); -1, None or NaN mark unlabeled
        rows, which are neither scored nor used as neighbours.
    n_neighbors : int, default=5
        Number of neighbours voting; needs more labeled rows than this
        (without a reference) or at least as many labeled reference rows.
    X_reference : array-like of shape (n_reference, n_components), default=None
        Embedded reference rows, the only neighbours when given; given with
        ``y_reference``.
    y_reference : array-like of shape (n_reference,), default=None
        Class labels of ``X_reference``, of the type of ``y``; unlabeled
        rows are ignored.

    Returns
    -------
    score : float
        Share of labeled rows whose vote gives their own label. A row whose
        class no voter carries (no labeled reference row, or without a
        reference no other labeled row) cannot be placed by any embedding:
        it is left out with a warning, as the triplet accuracy leaves out
        an anchor without a positive, and a ``ValueError`` is raised when
        no row is left.

    See Also
    --------
    triplet_accuracy_score : Share of satisfied triplets.
    knn_accuracy_scorer : This score as a scorer for model selection.

    Examples
    --------
    >>> from sk_metricembed.metrics import knn_accuracy_score
    >>> X_embedded = [[0.0], [0.1], [0.2], [5.0], [5.1], [5.2], [0.3]]
    >>> knn_accuracy_score(X_embedded, [0, 0, 0, 1, 1, 1, -1], n_neighbors=2)
    1.0

    Held-out rows, one per class, voted on by the reference's neighbours;
    labels may be text, with None for an unlabeled row:

    >>> knn_accuracy_score([[0.4], [4.9]], ["cat", "dog"], n_neighbors=2,
    ...                    X_reference=X_embedded,
    ...                    y_reference=["cat"] * 3 + ["dog"] * 3 + [None])
    1.0
    """
    X, y, reference, classes = _check_scored_rows(
        X_embedded, y, X_reference, y_reference, "knn_accuracy_score"
    )
    if reference is None:
        return _leave_one_out_knn_accuracy(X, y, classes, n_neighbors)
    X_reference, y_reference = reference
    if len(y) == 0:
        raise ValueError(
            "knn_accuracy_score found no labeled row to score. " + _FOLD_ADVICE
        )
    if len(y_reference) < n_neighbors:
        raise ValueError(
            f"knn_accuracy_score needs at least n_neighbors={n_neighbors} labeled "
            f"reference rows (for a scorer, the labeled rows "
            f"the estimator was fitted on), got {len(y_reference)}; use a smaller "
            "n_neighbors, or fit on more labeled rows. " + _FOLD_ADVICE
        )
    voted = _rows_a_vote_can_place(y, y_reference, classes)
    neighbors = (
        NearestNeighbors(n_neighbors=n_neighbors)
        .fit(X_reference)
        .kneighbors(X[voted], return_distance=False)
    )
    return _vote_accuracy(y_reference[neighbors], y[voted], len(classes))


def _leave_one_out_knn_accuracy(X, y, classes, n_neighbors: int) -> float:
    if len(y) <= n_neighbors:
        raise ValueError(
            f"knn_accuracy_score needs more labeled rows than "
            f"n_neighbors={n_neighbors}, got {len(y)}; use a smaller n_neighbors, "
            "or score with a reference (X_reference, y_reference). " + _FOLD_ADVICE
        )
    if len(classes) < 2:
        raise ValueError(
            "knn_accuracy_score needs labeled rows of at least 2 classes, got "
            f"{classes.tolist()}: with one class every vote is right. Label rows "
            "of another class, or use fewer folds."
        )
    voted = _rows_a_vote_can_place(y, None, classes)
    # Without a query, kneighbors leaves each row out of its own neighbours;
    # every labeled row votes, the rows of a one-row class are not scored.
    neighbors = (
        NearestNeighbors(n_neighbors=n_neighbors)
        .fit(X)
        .kneighbors(return_distance=False)
    )
    return _vote_accuracy(y[neighbors][voted], y[voted], len(classes))


def _rows_a_vote_can_place(y, y_reference, classes) -> np.ndarray:
    """The scored rows whose class some voter carries: a boolean mask.

    A row whose class no reference row carries (or, without a reference, no
    other labeled row) is wrong under any embedding: a cross-validation
    fold that holds the only labeled row of a class. Such rows are left out
    of the score, as the triplet accuracy leaves out an anchor without a
    positive, with a warning; a ``ValueError`` when no row is left, so
    that a search records the fold as unscorable, not as a score of 0.
    """
    if y_reference is None:
        voted = np.bincount(y, minlength=len(classes))[y] >= 2
        voters = "no other labeled row"
    else:
        voted = np.isin(y, y_reference)
        voters = "no labeled reference row (for a scorer, of the fit)"
    if voted.all():
        return voted
    missing = classes[np.unique(y[~voted])].tolist()
    if not voted.any():
        raise ValueError(
            f"knn_accuracy_score found no labeled row to score: the class of "
            f"each ({missing}) has {voters}, so no vote can give it. " + _FOLD_ADVICE
        )
    warn(
        f"knn_accuracy_score left out {int((~voted).sum())} of {len(y)} labeled "
        f"rows whose class ({missing}) has {voters}: no vote can give them "
        "their label under any embedding. " + _FOLD_ADVICE
    )
    return voted


def _vote_accuracy(votes, truth, n_classes: int) -> float:
    """Share of rows whose neighbours' vote (nearest first) gives ``truth``.

    ``votes`` and ``truth`` are class indices below ``n_classes``.
    """
    rows = np.arange(len(truth))
    counts = np.bincount(
        (rows[:, None] * n_classes + votes).ravel(),
        minlength=len(truth) * n_classes,
    ).reshape(len(truth), n_classes)
    tied = counts == counts.max(axis=1, keepdims=True)
    first_tied = np.argmax(tied[rows[:, None], votes], axis=1)
    return float(np.mean(votes[rows, first_tied] == truth))


def _check_labeled_embedding(
    X_embedded, y, names=("X_embedded", "y"), ensure_min_samples: int = 1
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate the embedding and labels; the labeled rows, their classes and codes.

    Returns the labeled rows of the embedding, the classes of ``y`` and each
    labeled row's index into them.
    """
    X = check_array(
        X_embedded,
        dtype=[np.float64, np.float32],
        input_name=names[0],
        ensure_min_samples=ensure_min_samples,
    )
    classes, codes = encode_labels(y, name=names[1])
    check_consistent_length(X, codes)
    labeled = codes != UNLABELED
    return X[labeled], classes, codes[labeled]


def _check_scored_rows(X_embedded, y, X_reference, y_reference, caller: str):
    """The labeled rows to score and, when given, the labeled reference rows.

    Returns ``X, y, reference, classes``: ``y`` (and the reference's labels)
    as indices into ``classes``, the classes of both together, so that text
    labels of a fold meet the same labels in the fit's reference.
    """
    X, classes, y = _check_labeled_embedding(X_embedded, y)
    reference = _check_reference(X_reference, y_reference, X, caller)
    if reference is None:
        return X, y, None, classes
    X_reference, reference_classes, y_reference = reference
    classes, index, reference_index = union_classes(
        classes, reference_classes, names=("y", "y_reference")
    )
    return X, index[y], (X_reference, reference_index[y_reference]), classes


def _check_reference(X_reference, y_reference, X, caller: str):
    """The labeled reference rows, or None when no reference is given."""
    if X_reference is None and y_reference is None:
        return None
    if X_reference is None or y_reference is None:
        given, missing = (
            ("X_reference", "y_reference")
            if y_reference is None
            else ("y_reference", "X_reference")
        )
        raise ValueError(
            f"{caller} got {given} without {missing}; pass both (the embedded "
            "reference rows and their labels) or neither."
        )
    X_reference, classes, y_reference = _check_labeled_embedding(
        X_reference,
        y_reference,
        names=("X_reference", "y_reference"),
        ensure_min_samples=0,  # a fit without labels leaves an empty reference
    )
    if X_reference.shape[1] != X.shape[1]:
        raise ValueError(
            f"X_reference has {X_reference.shape[1]} columns but X_embedded has "
            f"{X.shape[1]}; pass reference rows embedded in the same space."
        )
    return X_reference, classes, y_reference
