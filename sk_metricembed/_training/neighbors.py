"""Input-space nearest neighbours, the positives of the neighbour term.

Computed once per fit, as t-SNE, UMAP and ivis do. Above 50 features the
search runs in a 50-dimensional projection (cheaper, and less swayed by
pixel noise): PCA for dense rows; for scipy sparse rows a truncated SVD,
which needs no centring and so never densifies them (latent semantic
analysis, for TF-IDF). Above 20,000 rows the projection is fitted on a
random 20,000 of them and applied in chunks, so that a memmap is never
copied whole. Exact search (scikit-learn) serves small data; above
``APPROXIMATE_ABOVE`` rows pynndescent, which umap-learn uses, is taken
when it is installed.

The metric (:data:`INPUT_METRICS`) is Euclidean or cosine. For cosine the
rows are scaled to unit length before the projection and again after it,
where the Euclidean distance ``sqrt(2 - 2 cos)`` orders neighbours as the
cosine distance does: every search backend then runs the one metric.
Manhattan is not offered, as its distances would not survive the
projection's rotation.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.decomposition import PCA, TruncatedSVD
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import normalize

APPROXIMATE_ABOVE = 50_000
PCA_DIMENSIONS = 50
#: The metrics of the input-space search, the ``input_metric`` options.
INPUT_METRICS = ("euclidean", "cosine")
# Above this many rows the projection is fitted on a random subsample of this
# size and applied chunk by chunk, so a large memmap is never centred (copied)
# whole.
_PCA_SUBSAMPLE = 20_000
_PCA_CHUNK = 8192


def input_neighbors(
    X, n_neighbors: int, random_state: int, metric: str
) -> np.ndarray | None:
    """Return an ``(n_samples, k)`` table of each row's nearest other rows.

    ``X`` is an ndarray, a memmap, a scipy sparse matrix or a row subset of
    one; ``metric`` one of :data:`INPUT_METRICS`. ``k`` is ``n_neighbors``
    capped at ``n_samples - 1``; ``None`` when there are fewer than three
    rows (no useful neighbour exists).
    """
    if metric not in INPUT_METRICS:
        raise ValueError(f"metric must be one of {INPUT_METRICS}, got {metric!r}.")
    n_samples = X.shape[0]
    k = min(n_neighbors, n_samples - 1)
    if n_samples < 3 or k < 1:
        return None
    features = _search_features(X, metric, random_state)
    if n_samples > APPROXIMATE_ABOVE:
        try:
            from pynndescent import NNDescent
        except ImportError:
            pass
        else:
            index = NNDescent(features, n_neighbors=k + 1, random_state=random_state)
            table, _ = index.neighbor_graph
            return _drop_self(table, k)
    search = NearestNeighbors(n_neighbors=k + 1).fit(features)
    table = search.kneighbors(features, return_distance=False)
    return _drop_self(table, k)


def _search_features(X, metric: str, random_state: int):
    """The rows the Euclidean search runs on: projected, unit length for cosine."""
    unit_length = metric == "cosine"
    if X.shape[1] > PCA_DIMENSIONS and X.shape[0] > PCA_DIMENSIONS:
        features = _projected_features(X, random_state, unit_length)
        return normalize(features, copy=False) if unit_length else features
    return normalize(X) if unit_length else X


def _projected_features(X, random_state: int, unit_length: bool) -> np.ndarray:
    if sp.issparse(X):
        projection = TruncatedSVD(PCA_DIMENSIONS, random_state=random_state)
    else:
        projection = PCA(
            PCA_DIMENSIONS, svd_solver="randomized", random_state=random_state
        )

    def prepared(rows):
        return normalize(rows) if unit_length else rows

    n_samples = X.shape[0]
    if n_samples <= _PCA_SUBSAMPLE:
        return projection.fit_transform(prepared(X))
    rng = np.random.RandomState(random_state)
    subsample = np.sort(rng.choice(n_samples, _PCA_SUBSAMPLE, replace=False))
    projection.fit(prepared(X[subsample]))
    features = np.empty((n_samples, PCA_DIMENSIONS), dtype=np.float32)
    for start in range(0, n_samples, _PCA_CHUNK):
        features[start : start + _PCA_CHUNK] = projection.transform(
            prepared(X[start : start + _PCA_CHUNK])
        )
    return features


def _drop_self(table: np.ndarray, k: int) -> np.ndarray:
    # A row is normally its own first neighbour, but duplicates can displace
    # it; drop the row itself wherever it sits, else the last column.
    rows = np.arange(table.shape[0])[:, None]
    is_self = table == rows
    is_self[~is_self.any(axis=1), -1] = True
    return table[~is_self].reshape(table.shape[0], k).astype(np.intp)
