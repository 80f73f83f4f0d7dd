"""Scores of an embedding's class structure, and scorers for model selection.

Labels follow the estimators: ``y == -1`` marks an unlabeled row, left out.
The scorers score ``estimator.transform(X)`` in ``cross_val_score`` or
``GridSearchCV``.
"""

from __future__ import annotations

from collections.abc import Callable
from numbers import Integral, Real

import numpy as np
from numpy.typing import ArrayLike
from scipy.spatial.distance import cdist
from sklearn.neighbors import NearestNeighbors
from sklearn.utils import check_array, check_consistent_length, check_random_state
from sklearn.utils._param_validation import Interval, validate_params

from ._validation import check_labels

__all__ = [
    "triplet_accuracy_score",
    "knn_accuracy_score",
    "make_embedding_scorer",
    "triplet_accuracy_scorer",
    "knn_accuracy_scorer",
]

# Distances computed at once by the exact triplet count, to bound memory.
_CHUNK_SIZE = 2**20


@validate_params(
    {
        "X_embedded": ["array-like"],
        "y": ["array-like"],
        "margin": [Interval(Real, 0, None, closed="left")],
        "n_triplets": [Interval(Integral, 1, None, closed="left"), None],
        "random_state": ["random_state"],
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
) -> float:
    """Share of triplets whose anchor is closer to the positive than the negative.

    A triplet ``(a, p, n)`` of labeled rows has ``p != a`` of the anchor's class
    and ``n`` of another class; it is satisfied when
    ``d(a, p) + margin < d(a, n)`` with Euclidean distances ``d``.

    Parameters
    ----------
    X_embedded : array-like of shape (n_samples, n_components)
        Embedded rows.
    y : array-like of shape (n_samples,)
        Integer class labels; -1 marks unlabeled rows, which are ignored.
    margin : float, default=0.0
        Margin the negative must clear; finite and ``>= 0``.
    n_triplets : int or None, default=10000
        Number of triplets drawn uniformly from all valid triplets. When there
        are no more valid triplets than this, or with None, all are counted.
    random_state : int, RandomState instance or None, default=None
        Seed of the draw, for a reproducible estimate.

    Returns
    -------
    score : float
        Satisfied share of the triplets, in ``[0, 1]``.

    See Also
    --------
    knn_accuracy_score : Leave-one-out k-nearest-neighbour accuracy.
    triplet_accuracy_scorer : This score as a scorer for model selection.

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
    """
    X, y = _check_labeled_embedding(X_embedded, y)
    # Rows sorted by class: each class is one contiguous block.
    order = np.argsort(y, kind="stable")
    X, y = X[order], y[order]
    _, class_start, class_size = np.unique(y, return_index=True, return_counts=True)
    n_labeled = len(y)
    if len(class_size) < 2 or class_size.max() < 2:
        raise ValueError(
            "triplet_accuracy_score needs labeled rows (y >= 0) of at least 2 "
            "classes, one with at least 2 rows; got class sizes "
            f"{class_size.tolist()}. A cross-validation fold may hold too few "
            "labeled rows: use fewer folds or more labeled rows."
        )
    # Valid triplets per anchor: (positives) * (negatives).
    per_anchor = (class_size - 1) * (n_labeled - class_size)
    total = int(np.sum(per_anchor * class_size))
    if n_triplets is None or total <= n_triplets:
        return _exact_triplet_accuracy(X, class_start, class_size, margin) / total

    rng = check_random_state(random_state)
    anchor_class = np.repeat(np.arange(len(class_size)), class_size)
    weights = per_anchor[anchor_class].astype(float)
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
    return float(np.mean(d_positive + margin < d_negative))


def _exact_triplet_accuracy(X, class_start, class_size, margin) -> int:
    """Count satisfied triplets of class-sorted rows, anchor by anchor."""
    n_labeled, n_correct = len(X), 0
    for start, size in zip(class_start, class_size):
        if size < 2:
            continue
        stop = start + size
        others = np.r_[0:start, stop:n_labeled]
        n_negative = len(others)
        chunk = max(1, _CHUNK_SIZE // n_labeled)
        for first in range(start, stop, chunk):
            anchors = np.arange(first, min(first + chunk, stop))
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
    },
    prefer_skip_nested_validation=True,
)
def knn_accuracy_score(
    X_embedded: ArrayLike, y: ArrayLike, *, n_neighbors: int = 5
) -> float:
    """Leave-one-out k-nearest-neighbour accuracy of the labeled rows.

    Each labeled row is predicted by a majority vote of its ``n_neighbors``
    nearest other labeled rows (Euclidean). A tied vote goes to the tied class
    of the nearest neighbour.

    Parameters
    ----------
    X_embedded : array-like of shape (n_samples, n_components)
        Embedded rows.
    y : array-like of shape (n_samples,)
        Integer class labels; -1 marks unlabeled rows, which are neither
        scored nor used as neighbours.
    n_neighbors : int, default=5
        Number of neighbours voting; needs more labeled rows than this.

    Returns
    -------
    score : float
        Share of labeled rows whose vote gives their own label.

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
    """
    X, y = _check_labeled_embedding(X_embedded, y)
    if len(y) <= n_neighbors:
        raise ValueError(
            f"knn_accuracy_score needs more labeled rows (y >= 0) than "
            f"n_neighbors={n_neighbors}, got {len(y)}. A cross-validation fold "
            "may hold too few labeled rows: use fewer folds or a smaller "
            "n_neighbors."
        )
    classes, y_index = np.unique(y, return_inverse=True)
    if len(classes) < 2:
        raise ValueError(
            "knn_accuracy_score needs labeled rows (y >= 0) of at least 2 "
            f"classes, got {classes.tolist()}: with one class every vote is "
            "right. Label rows of another class, or use fewer folds."
        )
    # Without a query, kneighbors leaves each row out of its own neighbours.
    neighbors = (
        NearestNeighbors(n_neighbors=n_neighbors)
        .fit(X)
        .kneighbors(return_distance=False)
    )
    votes = y_index[neighbors]  # (n_labeled, n_neighbors), nearest first
    rows = np.arange(len(y))
    counts = np.bincount(
        (rows[:, None] * len(classes) + votes).ravel(), minlength=len(y) * len(classes)
    ).reshape(len(y), len(classes))
    tied = counts == counts.max(axis=1, keepdims=True)
    first_tied = np.argmax(tied[rows[:, None], votes], axis=1)
    return float(np.mean(votes[rows, first_tied] == y_index))


def _check_labeled_embedding(X_embedded, y) -> tuple[np.ndarray, np.ndarray]:
    """Validate the embedding and labels; return the labeled rows only."""
    X = check_array(X_embedded, dtype=[np.float64, np.float32], input_name="X_embedded")
    y = check_labels(y)
    check_consistent_length(X, y)
    labeled = y >= 0
    return X[labeled], y[labeled]


class _EmbeddingScorer:
    """Scorer ``(estimator, X, y)`` scoring ``estimator.transform(X)``."""

    def __init__(self, score_func: Callable[..., float], kwargs: dict):
        self.score_func = score_func
        self.kwargs = kwargs

    def __call__(self, estimator, X, y=None) -> float:
        if y is None:
            raise ValueError(
                f"{self!r} needs the labels y; pass y to the cross-validation "
                "or search function."
            )
        return self.score_func(estimator.transform(X), y, **self.kwargs)

    def __repr__(self) -> str:
        arguments = "".join(f", {key}={value!r}" for key, value in self.kwargs.items())
        return f"make_embedding_scorer({self.score_func.__name__}{arguments})"


@validate_params({"score_func": [callable]}, prefer_skip_nested_validation=True)
def make_embedding_scorer(
    score_func: Callable[..., float], **kwargs
) -> _EmbeddingScorer:
    """Make a scorer that scores an estimator's embedding of ``X``.

    Parameters
    ----------
    score_func : callable
        Score ``score_func(X_embedded, y, **kwargs)``, higher is better, such
        as :func:`triplet_accuracy_score` or :func:`knn_accuracy_score`.
    **kwargs
        Keyword arguments passed to ``score_func``.

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y)`` returns
        ``score_func(estimator.transform(X), y, **kwargs)``; usable as
        ``scoring`` in ``cross_val_score`` and ``GridSearchCV``, alone or in a
        dict of scorers.

    See Also
    --------
    triplet_accuracy_scorer : Scorer of :func:`triplet_accuracy_score`.
    knn_accuracy_scorer : Scorer of :func:`knn_accuracy_score`.

    Examples
    --------
    >>> from sklearn.decomposition import PCA
    >>> from sk_metricembed.metrics import knn_accuracy_score, make_embedding_scorer
    >>> scorer = make_embedding_scorer(knn_accuracy_score, n_neighbors=1)
    >>> scorer
    make_embedding_scorer(knn_accuracy_score, n_neighbors=1)
    >>> X, y = [[0, 0], [0, 1], [9, 0], [9, 1]], [0, 0, 1, 1]
    >>> scorer(PCA(n_components=1).fit(X), X, y)
    1.0
    """
    return _EmbeddingScorer(score_func, kwargs)


triplet_accuracy_scorer = make_embedding_scorer(triplet_accuracy_score, random_state=0)
triplet_accuracy_scorer.__doc__ = """Scorer of :func:`triplet_accuracy_score`.

Draws with ``random_state=0``, so every candidate of a search is scored on
the same triplets of a fold. See :func:`make_embedding_scorer`.

Examples
--------
>>> from sklearn.decomposition import PCA
>>> from sk_metricembed.metrics import triplet_accuracy_scorer
>>> X, y = [[0, 0], [0, 1], [9, 0], [9, 1]], [0, 0, 1, 1]
>>> triplet_accuracy_scorer(PCA(n_components=1).fit(X), X, y)
1.0
"""

knn_accuracy_scorer = make_embedding_scorer(knn_accuracy_score)
knn_accuracy_scorer.__doc__ = """Scorer of :func:`knn_accuracy_score`.

Votes with the default ``n_neighbors=5``; see :func:`make_embedding_scorer`
for another value.

Examples
--------
>>> from sklearn.decomposition import PCA
>>> from sk_metricembed.metrics import knn_accuracy_scorer
>>> X = [[0, 0], [0, 1], [0, 2], [9, 0], [9, 1], [9, 2], [0, 3]] * 2
>>> y = [0, 0, 0, 1, 1, 1, 0] * 2
>>> knn_accuracy_scorer(PCA(n_components=1).fit(X), X, y)
1.0
"""

# Doctest collection skips instances: run the scorers' examples too.
__test__ = {
    "triplet_accuracy_scorer": triplet_accuracy_scorer.__doc__,
    "knn_accuracy_scorer": knn_accuracy_scorer.__doc__,
}
