"""The checks the embedders' ``fit`` runs on explicit pairs and triplets."""

from __future__ import annotations

import numbers

import numpy as np

from .._validation import warn


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
        Integer indices of the two rows of each pair, or with
        ``sample_index`` their identifiers.
    pair_labels : array-like of shape (n_pairs,)
        1 for similar, 0 (or -1) for dissimilar.
    n_samples : int
        Number of rows of ``X``; without ``sample_index`` the indices must lie
        in ``[0, n_samples - 1]``.
    sample_index : array-like of shape (n_samples,), default=None
        Identifier of each row of ``X`` (numbers, or text such as a
        DataFrame's index); when given, ``pairs`` hold identifiers instead
        of row positions.

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
    pairs = _check_index_array(
        pairs, "pairs", width=2, identifiers=sample_index, takes_identifiers=True
    )
    similar = (_check_pair_labels(pair_labels, len(pairs)) == 1).astype(np.int64)
    identifiers, pairs = pairs, _to_rows(pairs, "pairs", n_samples, sample_index)
    inside = (pairs >= 0).all(axis=1)
    _warn_dropped(identifiers, pairs, "pairs")
    pairs, similar = pairs[inside], similar[inside]
    _check_no_contradiction(pairs, similar, sample_index=sample_index)
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
    triplets = _check_index_array(
        triplets, "triplets", width=3, identifiers=sample_index, takes_identifiers=True
    )
    identifiers = triplets
    triplets = _to_rows(triplets, "triplets", n_samples, sample_index)
    inside = (triplets >= 0).all(axis=1)
    _warn_dropped(identifiers, triplets, "triplets")
    _check_no_contradiction(triplets[inside], sample_index=sample_index)
    return triplets[inside]


def _check_index_array(
    array,
    name: str,
    width: int,
    allow_empty: bool = False,
    identifiers=None,
    takes_identifiers: bool = False,
) -> np.ndarray:
    """``array`` as an (n, width) array of row indices, or of the values of
    ``identifiers`` (``sample_index``) where it is given; ``takes_identifiers``
    where the caller accepts a ``sample_index`` (its error says so)."""
    array = _whole_numbers_as_integers(np.asarray(array))
    if identifiers is not None:
        identifiers = np.asarray(identifiers)
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
            f"shape {array.shape}"
            + (f"; pass {name}=None for none." if array.size == 0 else ".")
        )
    if identifiers is not None:
        if _comparable_kind(array) != _comparable_kind(identifiers):
            raise TypeError(
                f"{name} must hold identifiers of sample_index (dtype "
                f"{identifiers.dtype}), got dtype {array.dtype}."
            )
    elif array.dtype.kind not in "iu":
        raise TypeError(
            f"{name} must hold integer row indices, got dtype {array.dtype}"
            + (
                "; cast whole numbers with .astype(int)"
                if array.dtype.kind == "f" and _whole(array)
                else "; every member must be a whole number (no NaN)"
                if array.dtype.kind in "fO"
                else ""
            )
            + (
                ", or pass sample_index to give identifiers instead."
                if takes_identifiers
                else "."
            )
        )
    repeated = (array[:, :, None] == array[:, None, :]).sum(axis=(1, 2)) > width
    if repeated.any():
        raise ValueError(
            f"{name} row {int(np.flatnonzero(repeated)[0])} repeats an index "
            f"({array[repeated][0].tolist()}); each member must be a different row."
        )
    return array if identifiers is not None else array.astype(np.int64)


def _whole(array: np.ndarray) -> bool:
    """Whether a float array holds whole numbers only (no NaN or infinity)."""
    return bool(np.isfinite(array).all() and (array == np.round(array)).all())


def _whole_numbers_as_integers(array: np.ndarray) -> np.ndarray:
    """An object array of Python integers (pandas' nullable ``Int64``
    without a missing value) as int64; any other array as it is."""
    if array.dtype.kind == "O" and array.size:
        if all(
            isinstance(value, numbers.Integral) and not isinstance(value, bool)
            for value in array.flat
        ):
            return array.astype(np.int64)
    return array


def _comparable_kind(array: np.ndarray) -> str:
    """ "number" or "text": which identifiers compare with which."""
    if array.dtype.kind in "iu":
        return "number"
    if array.dtype.kind in "USO":
        return "text"
    return array.dtype.kind


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
    labels = _whole_numbers_as_integers(labels)
    if labels.dtype.kind not in "iuf" or not np.isin(labels, [-1, 0, 1]).all():
        try:
            values = np.unique(labels)[:10].tolist()
        except TypeError:  # values of kinds that do not sort together
            values = list(dict.fromkeys(labels.tolist()))[:10]
        raise ValueError(
            "pair_labels must hold 1 (similar) and 0 or -1 (dissimilar) as "
            f"numbers, or True and False, got {values} (dtype {labels.dtype})."
        )
    return labels


def _check_no_contradiction(
    constraints: np.ndarray, similar=None, sample_index=None, source=None
) -> None:
    """Reject a pair both similar and dissimilar, or (a, p, n) with (a, n, p).

    ``constraints`` are row positions; the example is shown by the
    identifiers of ``sample_index`` where the user wrote those. ``source``
    says where constraints converted from the other kind came from (the
    message then names it instead of the parameter).
    """
    if len(constraints) == 0:
        return
    if similar is not None:
        # Unordered pairs, once per label: a pair left twice is contradictory.
        kinds = np.unique(np.c_[np.sort(constraints, axis=1), similar], axis=0)
        keys, counts = np.unique(kinds[:, :2], axis=0, return_counts=True)
        what = f"{source or 'pairs'} contains a pair marked both similar and dissimilar"
    else:
        given = np.unique(constraints, axis=0)
        swapped = given[:, [0, 2, 1]]
        keys, counts = np.unique(np.r_[given, swapped], axis=0, return_counts=True)
        what = (
            f"{source or 'triplets'} contains (anchor, positive, negative) "
            "together with (anchor, negative, positive)"
        )
    if (counts > 1).any():
        example = keys[counts > 1][0]
        if sample_index is not None:
            example = np.asarray(sample_index)[example]
        example = example.tolist()
        raise ValueError(
            f"{what}, for example {example}; remove the contradictory entries."
        )


def _to_rows(array: np.ndarray, name: str, n_samples: int, sample_index) -> np.ndarray:
    """Map indices to row positions; -1 marks members outside ``sample_index``."""
    if sample_index is None:
        if array.min() < 0 or array.max() >= n_samples:
            raise ValueError(
                f"{name} indices must lie in [0, {n_samples - 1}] (rows of X), got "
                f"values in [{array.min()}, {array.max()}]. Under cross-validation "
                "X holds one fold's rows: pass sample_index (one identifier per "
                f"row, sliced with X) and write the {name} with its identifiers."
            )
        return array
    sample_index = np.asarray(sample_index)
    order = np.argsort(sample_index, kind="stable")
    sorted_ids = sample_index[order]
    position = np.searchsorted(sorted_ids, array).clip(max=len(sorted_ids) - 1)
    found = sorted_ids[position] == array
    return np.where(found, order[position], -1)


def _warn_dropped(identifiers: np.ndarray, rows: np.ndarray, name: str) -> None:
    """Warn that constraints reaching outside ``sample_index`` were left out.

    ``rows`` are ``identifiers`` mapped by :func:`_to_rows` (-1 outside); the
    warning shows an identifier it did not find, so that a typo shows.
    """
    outside = rows < 0
    n_dropped = int(outside.any(axis=1).sum())
    if n_dropped:
        example = identifiers[outside][0]
        example = example.item() if hasattr(example, "item") else example
        everything = " (all of them)" if n_dropped == len(rows) else ""
        warn(
            f"{n_dropped} {name}{everything} reach rows outside sample_index, "
            f"for example the identifier {example!r} (rows of another "
            "cross-validation fold, or an identifier sample_index does not "
            "hold), and were left out of this fit."
        )
