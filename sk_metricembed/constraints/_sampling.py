"""Pairs and triplets drawn from labels; rows labelled -1 are never drawn."""

from __future__ import annotations

from numbers import Integral

import numpy as np
from sklearn.utils import check_random_state

from .._labels import encode_labels
from .._sklearn_compat import Interval, validate_params


@validate_params(
    {
        "y": ["array-like"],
        "n_pairs": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def sample_pairs(
    y, n_pairs: int, *, random_state=None
) -> tuple[np.ndarray, np.ndarray]:
    """Draw random pairs of labelled rows, half similar and half dissimilar.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Class labels of any type the embedders' ``y`` takes (numbers,
        text); unlabelled rows (-1, None, NaN, blank text) are never drawn.
    n_pairs : int
        Number of pairs; ``n_pairs // 2`` are similar.
    random_state : int, RandomState instance or None, default=None
        Seed of the draw.

    Returns
    -------
    pairs : ndarray of shape (n_pairs, 2)
        Row indices.
    pair_labels : ndarray of shape (n_pairs,)
        1 for similar, 0 for dissimilar.

    Examples
    --------
    >>> import numpy as np
    >>> from sk_metricembed import sample_pairs
    >>> pairs, pair_labels = sample_pairs(np.array([0, 0, 1, 1, -1]), 4, random_state=0)
    >>> pairs.shape, int(pair_labels.sum())
    ((4, 2), 2)
    """
    y, labeled, rng = _labelled_rows(y, random_state)
    n_similar = n_pairs // 2
    anchors = positives = np.empty(0, dtype=np.intp)
    if n_similar:
        anchors, positives = _draw_same_class(y, labeled, n_similar, rng)
    first = rng.choice(labeled, size=n_pairs - n_similar)
    second = _draw_other_class(y, labeled, first, rng)
    pairs = np.concatenate(
        [np.stack([anchors, positives], 1), np.stack([first, second], 1)]
    )
    pair_labels = np.r_[np.ones(n_similar, int), np.zeros(n_pairs - n_similar, int)]
    order = rng.permutation(n_pairs)
    return pairs[order], pair_labels[order]


@validate_params(
    {
        "y": ["array-like"],
        "n_triplets": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def sample_triplets(y, n_triplets: int, *, random_state=None) -> np.ndarray:
    """Draw random ``(anchor, positive, negative)`` triplets of labelled rows.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Class labels of any type the embedders' ``y`` takes (numbers,
        text); unlabelled rows (-1, None, NaN, blank text) are never drawn.
    n_triplets : int
        Number of triplets.
    random_state : int, RandomState instance or None, default=None
        Seed of the draw.

    Returns
    -------
    triplets : ndarray of shape (n_triplets, 3)
        Row indices; ``y[positive] == y[anchor] != y[negative]``.

    Examples
    --------
    >>> import numpy as np
    >>> from sk_metricembed import sample_triplets
    >>> y = np.array([0, 0, 1, 1, -1])
    >>> t = sample_triplets(y, 5, random_state=0)
    >>> bool(np.all(y[t[:, 0]] == y[t[:, 1]]) and np.all(y[t[:, 0]] != y[t[:, 2]]))
    True
    """
    y, labeled, rng = _labelled_rows(y, random_state)
    anchors, positives = _draw_same_class(y, labeled, n_triplets, rng)
    negatives = _draw_other_class(y, labeled, anchors, rng)
    return np.stack([anchors, positives, negatives], axis=1)


def _labelled_rows(y, random_state):
    # The package's one label rule: drawn from the class codes, so that text
    # labels with None for unlabelled rows are read as fit reads them.
    _, y = encode_labels(y)
    labeled = np.flatnonzero(y >= 0)
    if len(np.unique(y[labeled])) < 2:
        raise ValueError("y must hold labelled rows (>= 0) of at least two classes.")
    return y, labeled, check_random_state(random_state)


def _draw_same_class(y, labeled, n: int, rng):
    classes, counts = np.unique(y[labeled], return_counts=True)
    usable = classes[counts >= 2]
    if len(usable) == 0:
        raise ValueError("y needs a class with at least two labelled rows.")
    pool = labeled[np.isin(y[labeled], usable)]
    anchors = rng.choice(pool, size=n)
    members = {c: labeled[y[labeled] == c] for c in usable}
    positives = np.empty_like(anchors)
    for i, anchor in enumerate(anchors):
        same = members[y[anchor]]  # sorted, holds the anchor once
        # Uniform over the class without the anchor: draw one fewer and
        # step over the anchor's own position.
        pick = rng.randint(len(same) - 1)
        positives[i] = same[pick + (pick >= np.searchsorted(same, anchor))]
    return anchors, positives


def _draw_other_class(y, labeled, anchors, rng):
    # Rows of the labelled pool sorted by class, so "any other class" is a
    # uniform draw outside one contiguous block.
    order = labeled[np.argsort(y[labeled], kind="stable")]
    sorted_labels = y[order]
    start = np.searchsorted(sorted_labels, y[anchors], side="left")
    stop = np.searchsorted(sorted_labels, y[anchors], side="right")
    pick = rng.randint(0, len(order) - (stop - start))
    pick = np.where(pick >= start, pick + (stop - start), pick)
    return order[pick]
