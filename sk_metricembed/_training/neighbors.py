"""Input-space nearest neighbours, the positives of the neighbour term.

Computed once per fit, as t-SNE, UMAP and ivis do. Above 50 features the
search runs in a 50-dimensional PCA projection (cheaper, and less swayed by
pixel noise); above 20,000 rows that PCA is fitted on a random 20,000 of them
and applied in chunks, so that a memmap is never copied whole. Exact search
(scikit-learn) serves small data; above ``APPROXIMATE_ABOVE`` rows
pynndescent, which umap-learn uses, is taken when it is installed.
"""

from __future__ import annotations

import numpy as np
from sklearn.decomposition import PCA
from sklearn.neighbors import NearestNeighbors

APPROXIMATE_ABOVE = 50_000
PCA_DIMENSIONS = 50
# Above this many rows the PCA is fitted on a random subsample of this size and
# applied chunk by chunk, so a large memmap is never centred (copied) whole.
_PCA_SUBSAMPLE = 20_000
_PCA_CHUNK = 8192


def input_neighbors(
    X: np.ndarray, n_neighbors: int, random_state: int
) -> np.ndarray | None:
    """Return an ``(n_samples, k)`` table of each row's nearest other rows.

    ``k`` is ``n_neighbors`` capped at ``n_samples - 1``; ``None`` when there
    are fewer than three rows (no useful neighbour exists).
    """
    n_samples = X.shape[0]
    k = min(n_neighbors, n_samples - 1)
    if n_samples < 3 or k < 1:
        return None
    features = X
    if X.shape[1] > PCA_DIMENSIONS and n_samples > PCA_DIMENSIONS:
        features = _pca_features(X, random_state)
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


def _pca_features(X: np.ndarray, random_state: int) -> np.ndarray:
    pca = PCA(PCA_DIMENSIONS, svd_solver="randomized", random_state=random_state)
    n_samples = X.shape[0]
    if n_samples <= _PCA_SUBSAMPLE:
        return pca.fit_transform(X)
    rng = np.random.RandomState(random_state)
    subsample = np.sort(rng.choice(n_samples, _PCA_SUBSAMPLE, replace=False))
    pca.fit(X[subsample])
    features = np.empty((n_samples, PCA_DIMENSIONS), dtype=np.float32)
    for start in range(0, n_samples, _PCA_CHUNK):
        features[start : start + _PCA_CHUNK] = pca.transform(
            X[start : start + _PCA_CHUNK]
        )
    return features


def _drop_self(table: np.ndarray, k: int) -> np.ndarray:
    # A row is normally its own first neighbour, but duplicates can displace
    # it; drop the row itself wherever it sits, else the last column.
    rows = np.arange(table.shape[0])[:, None]
    is_self = table == rows
    is_self[~is_self.any(axis=1), -1] = True
    return table[~is_self].reshape(table.shape[0], k).astype(np.intp)
