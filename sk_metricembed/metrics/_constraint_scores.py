"""Scores of held-out constraints, without labels: pair AUC and satisfied triplets.

Pairs and triplets are row positions in ``X``; their distances are the
embedder's latent distances, as metric-learn's pair and triplet learners
score themselves.
"""

from __future__ import annotations

import inspect
from numbers import Real

import numpy as np
from numpy.typing import ArrayLike
from sklearn.metrics import roc_auc_score
from sklearn.utils.validation import check_is_fitted

from .._sklearn_compat import HasMethods, Interval, _num_samples, validate_params
from ..constraints import check_pairs, check_triplets
from ._label_scores import _satisfied_share


@validate_params(
    {
        "embedder": [HasMethods(["transform"])],
        "X": ["array-like", "sparse matrix"],
        "pairs": ["array-like"],
        "pair_labels": ["array-like"],
    },
    prefer_skip_nested_validation=True,
)
def pair_auc_score(
    embedder, X: ArrayLike, pairs: ArrayLike, pair_labels: ArrayLike
) -> float:
    """ROC AUC of pairs ranked by their latent distance, as metric-learn scores pairs.

    metric-learn's pair learners score held-out pairs with
    ``roc_auc_score(pair_labels, decision_function(pairs))``, where a pair's
    decision is minus the distance of its two rows; so does this, with the
    distance of the two rows' codes: 1 when every similar pair is closer
    than every dissimilar pair, 0.5 for a ranking by chance (or every
    distance equal), 0 when every dissimilar pair is closer. No labels and
    no threshold are needed, so pairs alone score a fit.

    Parameters
    ----------
    embedder : fitted estimator with ``transform``
        The embedding to score. Distances come from its ``pair_distance``
        (the embedders' metric-learn-style method) where it has one taking
        ``X``, otherwise from the Euclidean distances of ``transform(X)``
        (a Pipeline ending in an embedder, a PCA).
    X : array-like of shape (n_samples, n_features)
        Rows that ``pairs`` index.
    pairs : array-like of shape (n_pairs, 2)
        Integer row positions in ``X`` of the two rows of each pair.
    pair_labels : array-like of shape (n_pairs,)
        1 for a similar pair, 0 (or metric-learn's -1) for a dissimilar one;
        both kinds are needed.

    Returns
    -------
    score : float
        ROC AUC of the negative distances, in ``[0, 1]``.

    See Also
    --------
    triplet_satisfied_score : The score of held-out triplets.
    sk_metricembed.model_selection.ConstraintEmbedder : Searches with pairs
        alone, scoring each fold with this.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from sk_metricembed import SiameseAutoencoderEmbedder, sample_pairs
    >>> from sk_metricembed.metrics import pair_auc_score
    >>> X, y = load_digits(return_X_y=True)
    >>> X, y = X[:300] / 16.0, y[:300]
    >>> pairs, pair_labels = sample_pairs(y, 400, random_state=0)
    >>> embedder = SiameseAutoencoderEmbedder(latent_dim=4, hidden_layer_sizes=(32,),
    ...                                       max_epochs=2, random_state=0)
    >>> embedder = embedder.fit(X, pairs=pairs[:300], pair_labels=pair_labels[:300])
    >>> 0.5 < pair_auc_score(embedder, X, pairs[300:], pair_labels[300:]) <= 1.0
    True

    Any transformer is scored by the distances of its codes:

    >>> from sklearn.decomposition import PCA
    >>> rows = [[0.0, 0.0], [0.1, 0.0], [5.0, 0.0], [5.2, 0.0]]
    >>> pairs, pair_labels = [[0, 1], [2, 3], [0, 2], [1, 3]], [1, 1, 0, 0]
    >>> pair_auc_score(PCA(n_components=1).fit(rows), rows, pairs, pair_labels)
    1.0
    """
    pairs, similar = check_pairs(pairs, pair_labels, _num_samples(X))
    n_similar = int(similar.sum())
    if n_similar in (0, len(similar)):
        kind = "similar" if n_similar else "dissimilar"
        raise ValueError(
            f"pair_auc_score needs similar and dissimilar pairs to rank, but "
            f"pair_labels holds {len(similar)} {kind} pairs only; add pairs of "
            "the other kind. A cross-validation fold may hold one kind only: "
            "split the pairs with "
            "sk_metricembed.model_selection.ConstraintKFold, which puts both "
            "kinds into every fold."
        )
    return float(roc_auc_score(similar, -_pair_distances(embedder, X, pairs)))


@validate_params(
    {
        "embedder": [HasMethods(["transform"])],
        "X": ["array-like", "sparse matrix"],
        "triplets": ["array-like"],
        "margin": [Interval(Real, 0, None, closed="left")],
    },
    prefer_skip_nested_validation=True,
)
def triplet_satisfied_score(
    embedder, X: ArrayLike, triplets: ArrayLike, *, margin: float = 0.0
) -> float:
    """Share of given triplets whose anchor's code is closer to the positive's.

    The explicit-triplet form of :func:`triplet_accuracy_score`, with its
    rule: ``(a, p, n)`` is satisfied when ``d(a, p) + margin < d(a, n)``
    with ``d`` the latent Euclidean distance (a tie is not satisfied, where
    metric-learn's triplet learners count it half). No labels are needed,
    so triplets alone score a fit.

    Parameters
    ----------
    embedder : fitted estimator with ``transform``
        The embedding to score; distances as in :func:`pair_auc_score`.
    X : array-like of shape (n_samples, n_features)
        Rows that ``triplets`` index.
    triplets : array-like of shape (n_triplets, 3)
        Integer row positions in ``X`` of each triplet's anchor, positive
        and negative.
    margin : float, default=0.0
        Margin the negative must clear; finite and ``>= 0``.

    Returns
    -------
    score : float
        Satisfied share of the triplets, in ``[0, 1]``.

    See Also
    --------
    pair_auc_score : The score of held-out pairs.
    triplet_accuracy_score : The same share over triplets drawn from labels.
    sk_metricembed.model_selection.ConstraintEmbedder : Searches with
        triplets alone, scoring each fold with this.

    Examples
    --------
    >>> from sklearn.decomposition import PCA
    >>> from sk_metricembed.metrics import triplet_satisfied_score
    >>> rows = [[0.0, 0.0], [1.0, 0.0], [4.0, 0.0]]
    >>> pca = PCA(n_components=1).fit(rows)
    >>> triplet_satisfied_score(pca, rows, [[0, 1, 2], [2, 1, 0]])
    1.0
    >>> triplet_satisfied_score(pca, rows, [[0, 1, 2], [2, 1, 0]], margin=2.5)
    0.5
    >>> triplet_satisfied_score(pca, rows, [[0, 2, 1]])  # reversed
    0.0
    """
    triplets = check_triplets(triplets, _num_samples(X))
    d_positive, d_negative = _triplet_distances(embedder, X, triplets)
    return _satisfied_share(d_positive, d_negative, margin)


def _pair_distances(embedder, X, pairs: np.ndarray) -> np.ndarray:
    """Latent distance of each pair of rows of ``X`` (validated row positions).

    The embedders measure it with their own ``pair_distance(pairs, X)``
    (``_latent_distance``); any other transformer by the Euclidean distance
    of its ``transform`` codes, which is what ``pair_distance`` measures.
    metric-learn's ``pair_distance(pairs)`` takes no ``X``: it goes the
    second way too.
    """
    # scikit-learn's NotFittedError for every version and estimator (an
    # unfitted PCA's transform raised AttributeError in scikit-learn 1.6).
    check_is_fitted(embedder)
    method = getattr(embedder, "pair_distance", None)
    if method is not None and "X" in _parameter_names(method):
        distances = np.asarray(method(pairs, X))
    else:
        codes = np.asarray(embedder.transform(X))
        distances = np.linalg.norm(codes[pairs[:, 0]] - codes[pairs[:, 1]], axis=1)
    if not np.isfinite(distances).all():
        # NaN would rank arbitrarily, or count as a failed triplet.
        raise ValueError(
            f"{type(embedder).__name__} embeds rows of X to non-finite codes (NaN "
            "or inf), whose distances cannot be ranked; check X for NaN and inf, "
            "or refit the embedder (a diverged fit embeds to NaN)."
        )
    return distances


def _triplet_distances(embedder, X, triplets: np.ndarray):
    """``d(anchor, positive)`` and ``d(anchor, negative)``, one embedding of ``X``."""
    halves = np.concatenate([triplets[:, [0, 1]], triplets[:, [0, 2]]])
    distances = _pair_distances(embedder, X, halves)
    return distances[: len(triplets)], distances[len(triplets) :]


def _parameter_names(function) -> set[str]:
    try:
        return set(inspect.signature(function).parameters)
    except (TypeError, ValueError):  # a callable without a signature
        return set()
