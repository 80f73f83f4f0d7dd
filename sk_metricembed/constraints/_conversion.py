"""Constraints from one form into another: triplets and pairs, rows and indices."""

from __future__ import annotations

import numpy as np

from .._sklearn_compat import validate_params
from ._checking import _check_no_contradiction, _check_pair_labels, _check_row_indices


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
    >>> from sk_metricembed import triplets_to_pairs
    >>> pairs, pair_labels = triplets_to_pairs([[0, 1, 2]])
    >>> pairs.tolist(), pair_labels.tolist()
    ([[0, 1], [0, 2]], [1, 0])
    """
    triplets = _check_row_indices(triplets, "triplets", width=3)
    # (a, p, n) with (a, n, p) would give (a, p) both similar and dissimilar.
    _check_no_contradiction(triplets)
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
    >>> from sk_metricembed import pairs_to_triplets
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


@validate_params(
    {"tuples": ["array-like"], "rows": ["array-like", None]},
    prefer_skip_nested_validation=True,
)
def tuples_to_rows(tuples, *, rows=None) -> tuple[np.ndarray, np.ndarray]:
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
    rows : array-like of shape (n_rows, n_features), default=None
        Rows the tuples' members are found in, such as the ``rows`` a
        fitted :class:`~sk_metricembed.model_selection.ConstraintEmbedder`
        holds: held-out tuples then index them, and ``X`` is ``rows``
        unchanged. A member that is no row of ``rows`` is an error. None
        makes the rows from the tuples.

    Returns
    -------
    X : ndarray of shape (n_rows, n_features)
        The distinct rows, in sorted order and the dtype of ``tuples``; rows
        are one row only where they are equal in that precision.
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
    >>> tuples_to_rows([[c, a]], rows=X)[1].tolist()  # held-out pairs of X
    [[2, 0]]
    """
    tuples = np.asarray(tuples)
    if tuples.ndim != 3 or tuples.shape[1] not in (2, 3) or tuples.shape[0] == 0:
        raise ValueError(
            "tuples must be a non-empty array of shape (n, 2, n_features) "
            "(pairs) or (n, 3, n_features) (triplets), got shape "
            f"{tuples.shape}."
        )
    # Compared in the tuples' own precision: rows that differ there are
    # different rows (cast to float32 first, rows 1e-9 apart became one, and
    # a pair of them a self-pair the user never wrote).
    n, width, n_features = tuples.shape
    members = tuples.reshape(n * width, n_features)
    if rows is not None:
        return rows, _positions_in(members, rows).reshape(n, width)
    X, inverse = np.unique(members, axis=0, return_inverse=True)
    return X, inverse.reshape(n, width).astype(np.int64)


def _positions_in(members: np.ndarray, rows) -> np.ndarray:
    """Each member's position among ``rows`` (the first of equal rows)."""
    table = np.asarray(rows)
    if table.ndim != 2 or table.shape[1] != members.shape[1]:
        raise ValueError(
            f"rows must be 2-D with the tuples' {members.shape[1]} features, "
            f"got shape {table.shape}."
        )
    dtype = np.result_type(table, members)
    table, members = table.astype(dtype, copy=False), members.astype(dtype)
    if dtype.kind == "f":  # -0.0 is 0.0, as np.unique reads it
        table, members = table + 0.0, members + 0.0
    position = {}
    for index, row in enumerate(table):
        position.setdefault(row.tobytes(), index)
    found = np.array([position.get(row.tobytes(), -1) for row in members])
    if (found < 0).any():
        missing = int((found < 0).sum())
        raise ValueError(
            f"{missing} of the tuples' {len(members)} members are no row of "
            f"rows (equal in every feature), the first at member "
            f"{int(np.flatnonzero(found < 0)[0])}; pass the rows they were "
            "taken from, or rows=None to make the rows from the tuples."
        )
    return found.astype(np.int64)
