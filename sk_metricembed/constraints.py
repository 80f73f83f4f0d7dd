"""Pairwise and triplet constraints: validation, conversion, sampling from labels.

A *pair* is a row ``(i, j)`` of indices with a label, 1 for "similar" and 0
for "dissimilar" (metric-learn's -1 is accepted for dissimilar). A *triplet*
is a row ``(anchor, positive, negative)``: the anchor is closer to the
positive than to the negative. Indices point at rows of ``X``, or, when a
``sample_index`` is given to ``fit``, at values of that per-row identifier,
which is how constraints survive the row slicing of cross-validation.
Validation rejects self-pairs, repeated members and contradictions (a pair
both similar and dissimilar, ``(a, p, n)`` with ``(a, n, p)``); a repeated
constraint is kept and weighs once more, as the draws with replacement of
:func:`sample_pairs` and :func:`sample_triplets` can repeat one.

This module is independent of any estimator, as metric-learn's
``constraints`` module is.
"""

from __future__ import annotations

from numbers import Integral

import numpy as np
from sklearn.utils import check_random_state

from ._sklearn_compat import Interval, validate_params
from ._validation import check_labels, warn

__all__ = [
    "sample_pairs",
    "sample_triplets",
    "triplets_to_pairs",
    "pairs_to_triplets",
    "tuples_to_rows",
]


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
        Integer labels; -1 marks unlabelled rows, which are never drawn.
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
        Integer labels; -1 marks unlabelled rows, which are never drawn.
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
    >>> y = np.array([0, 0, 1, 1, -1])
    >>> t = sample_triplets(y, 5, random_state=0)
    >>> bool(np.all(y[t[:, 0]] == y[t[:, 1]]) and np.all(y[t[:, 0]] != y[t[:, 2]]))
    True
    """
    y, labeled, rng = _labelled_rows(y, random_state)
    anchors, positives = _draw_same_class(y, labeled, n_triplets, rng)
    negatives = _draw_other_class(y, labeled, anchors, rng)
    return np.stack([anchors, positives, negatives], axis=1)


@validate_params({"triplets": ["array-like"]}, prefer_skip_nested_validation=True)
def triplets_to_pairs(triplets) -> tuple[np.ndarray, np.ndarray]:
    """Split each triplet into a similar and a dissimilar pair.

    ``(a, p, n)`` becomes ``(a, p)`` labelled 1 and ``(a, n)`` labelled 0.
    This is what :class:`SiameseAutoencoderEmbedder` does with triplets.

    Parameters
    ----------
    triplets : array-like of shape (n_triplets, 3)
        Anchor, positive and negative indices.

    Returns
    -------
    pairs : ndarray of shape (2 * n_triplets, 2)
    pair_labels : ndarray of shape (2 * n_triplets,)

    Examples
    --------
    >>> pairs, pair_labels = triplets_to_pairs([[0, 1, 2]])
    >>> pairs.tolist(), pair_labels.tolist()
    ([[0, 1], [0, 2]], [1, 0])
    """
    triplets = _check_row_indices(triplets, "triplets", width=3)
    pairs = np.concatenate([triplets[:, [0, 1]], triplets[:, [0, 2]]])
    labels = np.r_[np.ones(len(triplets), int), np.zeros(len(triplets), int)]
    return pairs, labels


@validate_params(
    {"pairs": ["array-like"], "pair_labels": ["array-like"]},
    prefer_skip_nested_validation=True,
)
def pairs_to_triplets(pairs, pair_labels) -> np.ndarray:
    """Join similar and dissimilar pairs that share a row into triplets.

    For every similar pair ``{a, p}`` and dissimilar pair ``{a, n}`` sharing
    the row ``a``, the triplet ``(a, p, n)`` is formed (both members of a
    similar pair serve as anchors). This is what :class:`TripletVAEEmbedder`
    does with pairs. Pairs that share no row with a pair of the other kind
    form no triplet.

    Parameters
    ----------
    pairs : array-like of shape (n_pairs, 2)
        Row indices.
    pair_labels : array-like of shape (n_pairs,)
        1 for similar, 0 (or -1) for dissimilar.

    Returns
    -------
    triplets : ndarray of shape (n_triplets, 3)

    Examples
    --------
    >>> pairs_to_triplets([[0, 1], [0, 2], [3, 4]], [1, 0, 1]).tolist()
    [[0, 1, 2]]
    """
    pairs = _check_row_indices(pairs, "pairs", width=2)
    similar = _check_pair_labels(pair_labels, len(pairs)) == 1
    _check_no_contradiction(pairs, similar)
    positive = np.concatenate([pairs[similar], pairs[similar][:, ::-1]])
    negative = np.concatenate([pairs[~similar], pairs[~similar][:, ::-1]])
    triplets = []
    order = np.argsort(negative[:, 0], kind="stable")
    negative = negative[order]
    starts = np.searchsorted(negative[:, 0], positive[:, 0], side="left")
    stops = np.searchsorted(negative[:, 0], positive[:, 0], side="right")
    for (anchor, pos), start, stop in zip(positive, starts, stops):
        for neg in negative[start:stop, 1]:
            triplets.append((anchor, pos, neg))
    return np.asarray(triplets, dtype=np.intp).reshape(-1, 3)


@validate_params({"tuples": ["array-like"]}, prefer_skip_nested_validation=True)
def tuples_to_rows(tuples) -> tuple[np.ndarray, np.ndarray]:
    """Rows and row indices from constraints given as tuples of rows.

    metric-learn's pair and triplet learners take their constraints as the
    rows themselves, an array of shape ``(n, 2, n_features)`` (pairs) or
    ``(n, 3, n_features)`` (triplets). The embedders take the rows once, as
    ``X``, and constraints as indices into it; this turns the first form
    into the second, each distinct row once (rows equal in every feature
    are one row), so that ``fit(X, pairs=pairs, pair_labels=...)`` or
    ``fit(X, triplets=triplets)`` trains on them.

    Parameters
    ----------
    tuples : array-like of shape (n_constraints, 2 or 3, n_features)
        The rows of each pair (or of each triplet: anchor, positive,
        negative).

    Returns
    -------
    X : ndarray of shape (n_rows, n_features)
        The distinct rows, in sorted order (float32 when ``tuples`` is
        floating-point).
    constraints : ndarray of shape (n_constraints, 2 or 3)
        The row of ``X`` each member of each tuple is.

    Examples
    --------
    >>> import numpy as np
    >>> from sk_metricembed.constraints import tuples_to_rows
    >>> a, b, c = [0.0, 1.0], [2.0, 3.0], [4.0, 5.0]
    >>> X, pairs = tuples_to_rows([[a, b], [a, c]])
    >>> X.tolist(), pairs.tolist()
    ([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]], [[0, 1], [0, 2]])
    """
    tuples = np.asarray(tuples)
    if tuples.ndim != 3 or tuples.shape[1] not in (2, 3) or tuples.shape[0] == 0:
        raise ValueError(
            "tuples must be a non-empty array of shape (n, 2, n_features) "
            "(pairs) or (n, 3, n_features) (triplets), got shape "
            f"{tuples.shape}."
        )
    if tuples.dtype.kind == "f":
        tuples = tuples.astype(np.float32, copy=False)
    n, width, n_features = tuples.shape
    X, inverse = np.unique(
        tuples.reshape(n * width, n_features), axis=0, return_inverse=True
    )
    return X, inverse.reshape(n, width).astype(np.int64)


def check_pairs(
    pairs, pair_labels, n_samples: int, sample_index=None
) -> tuple[np.ndarray, np.ndarray]:
    """Validate pairs and their labels; return them as row positions.

    This is the check the embedders' ``fit`` runs on its ``pairs`` and
    ``pair_labels``. Raises a ``ValueError`` or ``TypeError`` naming the
    parameter for a wrong shape or dtype, an index out of range, a self-pair,
    or a pair marked both similar and dissimilar. With ``sample_index`` the
    indices are matched to its values, and pairs reaching outside it are
    dropped with a warning (another cross-validation fold).

    Parameters
    ----------
    pairs : array-like of shape (n_pairs, 2)
        Integer indices of the two rows of each pair.
    pair_labels : array-like of shape (n_pairs,)
        1 for similar, 0 (or -1) for dissimilar.
    n_samples : int
        Number of rows of ``X``; without ``sample_index`` the indices must lie
        in ``[0, n_samples - 1]``.
    sample_index : ndarray of shape (n_samples,), default=None
        Identifier of each row of ``X``; when given, ``pairs`` hold
        identifiers instead of row positions.

    Returns
    -------
    pairs : ndarray of shape (n_kept, 2)
        Row positions of the pairs kept.
    similar : ndarray of shape (n_kept,)
        1 for similar, 0 for dissimilar.

    See Also
    --------
    check_triplets : The same check for triplets.

    Examples
    --------
    >>> import numpy as np
    >>> from sk_metricembed.constraints import check_pairs
    >>> pairs, similar = check_pairs([[0, 1], [1, 2]], [1, -1], n_samples=3)
    >>> pairs.tolist(), similar.tolist()
    ([[0, 1], [1, 2]], [1, 0])
    >>> ids = np.array([10, 11, 12])
    >>> check_pairs([[12, 10]], [1], n_samples=3, sample_index=ids)[0].tolist()
    [[2, 0]]
    """
    if pair_labels is None:
        raise ValueError("pair_labels is required with pairs: 1 similar, 0 dissimilar.")
    pairs = _check_index_array(pairs, "pairs", width=2)
    similar = (_check_pair_labels(pair_labels, len(pairs)) == 1).astype(np.int64)
    pairs = _to_rows(pairs, "pairs", n_samples, sample_index)
    inside = (pairs >= 0).all(axis=1)
    _warn_dropped(int((~inside).sum()), "pairs")
    pairs, similar = pairs[inside], similar[inside]
    _check_no_contradiction(pairs, similar)
    return pairs, similar


def check_triplets(triplets, n_samples: int, sample_index=None) -> np.ndarray:
    """Validate triplets; return them as row positions.

    This is the check the embedders' ``fit`` runs on its ``triplets``, with
    the rules of :func:`check_pairs`: integer indices in range, three
    different rows per triplet, no ``(a, p, n)`` together with ``(a, n, p)``;
    with ``sample_index``, triplets reaching outside it are dropped with a
    warning.

    Parameters
    ----------
    triplets : array-like of shape (n_triplets, 3)
        Integer indices of the anchor, positive and negative rows.
    n_samples : int
        Number of rows of ``X``, as in :func:`check_pairs`.
    sample_index : ndarray of shape (n_samples,), default=None
        Row identifiers the indices refer to, as in :func:`check_pairs`.

    Returns
    -------
    triplets : ndarray of shape (n_kept, 3)
        Row positions of the triplets kept.

    See Also
    --------
    check_pairs : The same check for pairs.

    Examples
    --------
    >>> from sk_metricembed.constraints import check_triplets
    >>> check_triplets([[0, 1, 2]], n_samples=3).tolist()
    [[0, 1, 2]]
    """
    triplets = _check_index_array(triplets, "triplets", width=3)
    triplets = _to_rows(triplets, "triplets", n_samples, sample_index)
    inside = (triplets >= 0).all(axis=1)
    _warn_dropped(int((~inside).sum()), "triplets")
    _check_no_contradiction(triplets[inside])
    return triplets[inside]


def _check_index_array(
    array, name: str, width: int, allow_empty: bool = False
) -> np.ndarray:
    array = np.asarray(array)
    if allow_empty and array.size == 0:
        return np.empty((0, width), dtype=np.int64)
    if array.ndim == 3 and array.shape[1] == width:
        raise ValueError(
            f"{name} has shape {array.shape}: rows themselves, as metric-learn "
            f"takes them, not row indices. Turn them into rows and indices "
            f"first: X, {name} = sk_metricembed.constraints.tuples_to_rows("
            f"{name}), then fit(X, {name}={name}, ...)."
        )
    if array.ndim != 2 or array.shape[1] != width or array.shape[0] == 0:
        raise ValueError(
            f"{name} must be a non-empty integer array of shape (n, {width}), got "
            f"shape {array.shape}."
        )
    if array.dtype.kind not in "iu":
        raise TypeError(
            f"{name} must hold integer row indices, got dtype {array.dtype}."
        )
    repeated = (array[:, :, None] == array[:, None, :]).sum(axis=(1, 2)) > width
    if repeated.any():
        raise ValueError(
            f"{name} row {int(np.flatnonzero(repeated)[0])} repeats an index "
            f"({array[repeated][0].tolist()}); each member must be a different row."
        )
    return array.astype(np.int64)


def _check_row_indices(array, name: str, width: int) -> np.ndarray:
    """Validate constraints given as row indices (the conversion functions)."""
    array = _check_index_array(array, name, width, allow_empty=True)
    if array.size and array.min() < 0:
        raise ValueError(
            f"{name} must hold row indices >= 0, got {array.min()}; index rows "
            "of X from 0."
        )
    return array


def _check_pair_labels(pair_labels, n_pairs: int) -> np.ndarray:
    labels = np.asarray(pair_labels)
    if labels.ndim != 1 or labels.shape[0] != n_pairs:
        raise ValueError(
            f"pair_labels must be 1-D with one label per pair ({n_pairs}), "
            f"got shape {labels.shape}."
        )
    if labels.dtype.kind == "b":  # True similar, False dissimilar
        labels = labels.astype(np.int64)
    if labels.dtype.kind not in "iuf" or not np.isin(labels, [-1, 0, 1]).all():
        raise ValueError(
            "pair_labels must hold 1 (similar) and 0 or -1 (dissimilar), or "
            f"True and False, got {np.unique(labels)[:10].tolist()}."
        )
    return labels


def _check_no_contradiction(constraints: np.ndarray, similar=None) -> None:
    """Reject a pair both similar and dissimilar, or (a, p, n) with (a, n, p)."""
    if len(constraints) == 0:
        return
    if similar is not None:
        # Unordered pairs, once per label: a pair left twice is contradictory.
        kinds = np.unique(np.c_[np.sort(constraints, axis=1), similar], axis=0)
        keys, counts = np.unique(kinds[:, :2], axis=0, return_counts=True)
        what = "pairs contains a pair marked both similar and dissimilar"
    else:
        given = np.unique(constraints, axis=0)
        swapped = given[:, [0, 2, 1]]
        keys, counts = np.unique(np.r_[given, swapped], axis=0, return_counts=True)
        what = (
            "triplets contains (anchor, positive, negative) together with "
            "(anchor, negative, positive)"
        )
    if (counts > 1).any():
        example = keys[counts > 1][0].tolist()
        raise ValueError(
            f"{what}, for example {example}; remove the contradictory entries."
        )


def _to_rows(array: np.ndarray, name: str, n_samples: int, sample_index) -> np.ndarray:
    """Map indices to row positions; -1 marks members outside ``sample_index``."""
    if sample_index is None:
        if array.min() < 0 or array.max() >= n_samples:
            raise ValueError(
                f"{name} indices must lie in [0, {n_samples - 1}] (rows of X), got "
                f"values in [{array.min()}, {array.max()}]."
            )
        return array
    order = np.argsort(sample_index, kind="stable")
    sorted_ids = sample_index[order]
    position = np.searchsorted(sorted_ids, array).clip(max=len(sorted_ids) - 1)
    found = sorted_ids[position] == array
    return np.where(found, order[position], -1)


def _labelled_rows(y, random_state):
    y = check_labels(y)
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


def _warn_dropped(n_dropped: int, name: str) -> None:
    """Warn that constraints reaching outside ``sample_index`` were left out."""
    if n_dropped:
        warn(
            f"{n_dropped} {name} reach rows outside sample_index (for example "
            "another cross-validation fold) and were left out of this fit."
        )
