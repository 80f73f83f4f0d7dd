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

This package is independent of any estimator, as metric-learn's
``constraints`` module is: sampling from labels, the checks of ``fit``
and the conversions between forms each have a module of their own.
"""

from __future__ import annotations

from ._checking import check_pairs, check_triplets
from ._conversion import pairs_to_triplets, triplets_to_pairs, tuples_to_rows
from ._sampling import sample_pairs, sample_triplets

__all__ = [
    "sample_pairs",
    "sample_triplets",
    "triplets_to_pairs",
    "pairs_to_triplets",
    "tuples_to_rows",
    "check_pairs",
    "check_triplets",
]
