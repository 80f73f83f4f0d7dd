"""Input-space nearest neighbours, the positives of the neighbour term.

Computed once per fit, as t-SNE, UMAP and ivis do. Above ``dimensions``
features (``PCA_DIMENSIONS`` unless the fit's ``input_components`` says
otherwise, :mod:`.._input_space`) the search runs in a projection of that
many components (cheaper, and less swayed by pixel noise or the noisy
directions of a table): PCA for dense rows; for scipy sparse rows a truncated SVD,
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

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
import torch
from sklearn.decomposition import PCA, TruncatedSVD
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import normalize

from .rows import dense_rows

APPROXIMATE_ABOVE = 50_000
#: The search space's dimension unless a fit chooses another: above it,
#: rows are projected on this many components.
PCA_DIMENSIONS = 50
#: The metrics of the input-space search, the ``input_metric`` options.
INPUT_METRICS = ("euclidean", "cosine")
# Above this many rows the projection is fitted on a random subsample of this
# size and applied chunk by chunk, so a large memmap is never centred (copied)
# whole.
_PCA_SUBSAMPLE = 20_000
_PCA_CHUNK = 8192
#: Training rows whose random views measure the views' agreement with the
#: input graph (:func:`view_agreement`): a share measured to about a point,
#: at any number of rows.
AGREEMENT_ROWS = 2048


@dataclass(frozen=True)
class InputSpace:
    """The space the input-space search runs in, fitted on the training rows.

    Above the search's dimension in features, rows are projected on
    ``components`` (``(dimension, n_features)``, C-ordered) after subtracting ``mean``
    (PCA for dense rows; ``None`` for the truncated SVD of sparse rows,
    which is not centred); at or below them ``components`` is ``None`` and
    rows are searched as they are. ``unit_length`` scales rows to unit
    length before and after the projection (cosine). :meth:`transform` maps
    any rows, new ones included, into that space, with the same arithmetic
    before and after pickling.
    """

    components: np.ndarray | None
    mean: np.ndarray | None
    unit_length: bool

    def transform(self, X):
        """Rows of ``X`` in the search space, a chunk at a time for memmaps."""
        if self.components is None:
            return normalize(X) if self.unit_length else X
        n_samples = X.shape[0]
        features = np.empty((n_samples, self.components.shape[0]), dtype=np.float32)
        for start in range(0, n_samples, _PCA_CHUNK):
            features[start : start + _PCA_CHUNK] = self._project(
                X[start : start + _PCA_CHUNK]
            )
        return normalize(features, copy=False) if self.unit_length else features

    def _project(self, rows):
        rows = normalize(rows) if self.unit_length else rows
        projected = rows @ self.components.T  # sparse @ dense is dense
        if self.mean is not None:
            projected -= self.mean @ self.components.T
        return projected


@dataclass(frozen=True)
class InputGraph:
    """Each training row's nearest other rows, and the space they were found in.

    ``table`` is ``(n_samples, k)``, or None where only the space was asked
    for (what the label spreading behind ``weight="auto"`` reads);
    ``features`` the training rows in ``space`` (what a search for new
    rows' neighbours compares them with).
    """

    table: np.ndarray | None
    space: InputSpace
    features: object

    @property
    def dimensions(self) -> int:
        """The search space's dimension: the projection's, or the features'."""
        return int(self.features.shape[1])


def input_graph(
    X,
    n_neighbors: int,
    random_state: int,
    metric: str,
    dimensions: int = PCA_DIMENSIONS,
    search: bool = True,
) -> InputGraph | None:
    """Return the :class:`InputGraph` of ``X``'s rows.

    ``X`` is an ndarray, a memmap, a scipy sparse matrix or a row subset of
    one; ``metric`` one of :data:`INPUT_METRICS`; the search runs in a
    projection of ``dimensions`` components where ``X`` has more features
    and more rows than that, and in ``X``'s features otherwise. ``k`` is
    ``n_neighbors`` capped at ``n_samples - 1``; ``None`` when there are
    fewer than three rows (no useful neighbour exists). ``search=False``
    projects the rows and leaves the table out (the search over every row
    is a large fit's cost).
    """
    if metric not in INPUT_METRICS:
        raise ValueError(f"metric must be one of {INPUT_METRICS}, got {metric!r}.")
    n_samples = X.shape[0]
    k = min(n_neighbors, n_samples - 1)
    if n_samples < 3 or k < 1:
        return None
    space = _fit_space(X, metric, random_state, dimensions)
    features = space.transform(X)
    if not search:
        return InputGraph(None, space, features)
    if n_samples > APPROXIMATE_ABOVE:
        try:
            from pynndescent import NNDescent
        except ImportError:
            pass
        else:
            index = NNDescent(features, n_neighbors=k + 1, random_state=random_state)
            table, _ = index.neighbor_graph
            return InputGraph(_drop_self(table, k), space, features)
    search = NearestNeighbors(n_neighbors=k + 1).fit(features)
    table = search.kneighbors(features, return_distance=False)
    return InputGraph(_drop_self(table, k), space, features)


def input_neighbors(
    X,
    n_neighbors: int,
    random_state: int,
    metric: str,
    dimensions: int = PCA_DIMENSIONS,
) -> np.ndarray | None:
    """Return an ``(n_samples, k)`` table of each row's nearest other rows.

    The ``table`` of :func:`input_graph` (``None`` below three rows).
    """
    graph = input_graph(X, n_neighbors, random_state, metric, dimensions)
    return None if graph is None else graph.table


def view_agreement(graph: InputGraph, X, views, n_neighbors: int, seed: int) -> float:
    """The share of random views that find their own row among their nearest
    training rows in the graph's search space.

    One view of each of at most ``AGREEMENT_ROWS`` training rows (a seeded
    sample of ``X``, the rows ``graph`` was built on) is drawn with ``views``
    (a callable on a tensor of rows, image mode's
    :class:`~.augment.RandomAffine`) and searched among the training rows as
    a new row is (its ``n_neighbors`` nearest). Near 1, the input-space
    neighbourhoods already hold what the views teach the encoder; near 0,
    the views carry a row away from its input neighbours, and the encoder
    learns something that the input graph does not hold. Draws torch's
    generator: the caller seeds it.
    """
    n_rows = X.shape[0]
    rng = np.random.RandomState(seed)
    sample = np.sort(rng.choice(n_rows, min(n_rows, AGREEMENT_ROWS), replace=False))
    viewed = views(torch.from_numpy(dense_rows(X, sample))).numpy()
    index = NearestNeighbors(n_neighbors=min(n_neighbors, n_rows))
    table = index.fit(graph.features).kneighbors(
        graph.space.transform(viewed), return_distance=False
    )
    return float(np.mean((table == sample[:, None]).any(axis=1)))


def _fit_space(X, metric: str, random_state: int, dimensions: int) -> InputSpace:
    """The projection of the search, fitted on (a subsample of) ``X``."""
    unit_length = metric == "cosine"
    if not (X.shape[1] > dimensions and X.shape[0] > dimensions):
        return InputSpace(None, None, unit_length)
    if sp.issparse(X):
        projection = TruncatedSVD(dimensions, random_state=random_state)
    else:
        projection = PCA(dimensions, svd_solver="randomized", random_state=random_state)
    n_samples = X.shape[0]
    sample = slice(None)
    if n_samples > _PCA_SUBSAMPLE:
        rng = np.random.RandomState(random_state)
        sample = np.sort(rng.choice(n_samples, _PCA_SUBSAMPLE, replace=False))
    rows = X[sample]
    projection.fit(normalize(rows) if unit_length else rows)
    # Owned, C-ordered float32 arrays: sklearn's components_ can be a
    # transposed view, whose product rounds differently from the contiguous
    # copy a pickle restores.
    components = np.ascontiguousarray(projection.components_, dtype=np.float32)
    mean = getattr(projection, "mean_", None)
    if mean is not None:
        mean = np.ascontiguousarray(mean, dtype=np.float32)
    return InputSpace(components, mean, unit_length)


def _drop_self(table: np.ndarray, k: int) -> np.ndarray:
    # A row is normally its own first neighbour, but duplicates can displace
    # it; drop the row itself wherever it sits, else the last column.
    rows = np.arange(table.shape[0])[:, None]
    is_self = table == rows
    is_self[~is_self.any(axis=1), -1] = True
    return table[~is_self].reshape(table.shape[0], k).astype(np.intp)
