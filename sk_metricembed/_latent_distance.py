"""Distances in the latent space, as metric-learn's learners give them.

Users who come from metric-learn call ``pair_distance`` on pairs of rows and
``get_metric`` for a function usable as ``NearestNeighbors(metric=...)``;
both embed with the estimator's own ``_embed`` (``transform`` without
scikit-learn's output wrapping) and measure Euclidean distances between codes.
"""

from __future__ import annotations

import numpy as np
from sklearn.utils.validation import check_is_fitted


class LatentDistanceMixin:
    """``pair_distance`` and ``get_metric`` for an estimator with ``_embed``."""

    def pair_distance(self, pairs, X=None) -> np.ndarray:
        """Latent Euclidean distance of each pair, as metric-learn's learners give.

        Parameters
        ----------
        pairs : array-like of shape (n_pairs, 2, n_features) or (n_pairs, 2)
            The two rows of each pair (metric-learn's format), or, with
            ``X``, the row positions of each pair in ``X``.
        X : array-like of shape (n_samples, n_features), default=None
            Rows that integer ``pairs`` point into; None for pairs of rows.

        Returns
        -------
        distances : ndarray of shape (n_pairs,)
            ``||transform(first) - transform(second)||`` for each pair.

        See Also
        --------
        get_metric : The same distance as a callable of two rows.

        Examples
        --------
        >>> import numpy as np
        >>> from sklearn.datasets import load_digits
        >>> from sk_metricembed import TripletVAEEmbedder
        >>> X, y = load_digits(return_X_y=True)
        >>> X = X[:200] / 16.0
        >>> embedder = TripletVAEEmbedder(latent_dim=2, hidden_layer_sizes=(16,),
        ...                               max_epochs=2, random_state=0)
        >>> embedder = embedder.fit(X, y[:200])
        >>> pairs = np.stack([X[:3], X[3:6]], axis=1)  # (3, 2, 64) row tuples
        >>> embedder.pair_distance(pairs).shape
        (3,)
        >>> bool(np.allclose(embedder.pair_distance([[0, 3], [1, 4]], X),
        ...                  embedder.pair_distance(pairs[:2])))
        True
        """
        check_is_fitted(self, "net_")
        array = np.asarray(pairs) if not hasattr(pairs, "shape") else pairs
        if X is None:
            if array.ndim != 3 or array.shape[1] != 2:
                raise ValueError(
                    "pairs must be an array of shape (n_pairs, 2, n_features) "
                    f"holding the two rows of each pair, got shape {array.shape}; "
                    "for row positions of shape (n_pairs, 2), pass the rows as X."
                )
            codes = self._embed(np.reshape(array, (-1, array.shape[2])))
            codes = codes.reshape(len(array), 2, -1)
        else:
            rows = self._embed(X)
            if (
                array.ndim != 2
                or array.shape[1] != 2
                or array.dtype.kind not in "iu"
                or (array.size and not (0 <= array.min() <= array.max() < len(rows)))
            ):
                raise ValueError(
                    "with X, pairs must be integer row positions of shape "
                    f"(n_pairs, 2) in [0, {len(rows) - 1}], got shape {array.shape} "
                    f"and dtype {array.dtype}; pass pairs of rows of shape "
                    "(n_pairs, 2, n_features) without X."
                )
            codes = rows[array]  # (n_pairs, 2, latent_dim)
        return np.linalg.norm(codes[:, 0] - codes[:, 1], axis=1)

    def get_metric(self) -> _LatentMetric:
        """The latent distance as a function of two rows, as metric-learn's.

        Returns
        -------
        metric : callable
            ``metric(u, v)`` embeds the rows ``u`` and ``v`` (1-D arrays of
            ``n_features_in_`` values) and returns the Euclidean distance of
            their codes as a float; usable as ``NearestNeighbors(metric=...)``
            and picklable. It embeds with this embedder as it is when called:
            fitting the embedder again changes the metric.

        See Also
        --------
        pair_distance : The distance of many pairs at once (much faster).

        Examples
        --------
        >>> from sklearn.datasets import load_digits
        >>> from sklearn.neighbors import NearestNeighbors
        >>> from sk_metricembed import TripletVAEEmbedder
        >>> X, y = load_digits(return_X_y=True)
        >>> X = X[:100] / 16.0
        >>> embedder = TripletVAEEmbedder(latent_dim=2, hidden_layer_sizes=(16,),
        ...                               max_epochs=2, random_state=0)
        >>> metric = embedder.fit(X, y[:100]).get_metric()
        >>> metric(X[0], X[0])
        0.0
        >>> neighbors = NearestNeighbors(n_neighbors=3, metric=metric).fit(X[:30])
        >>> neighbors.kneighbors(X[:2], return_distance=False).shape
        (2, 3)
        """
        check_is_fitted(self, "net_")
        return _LatentMetric(self)


class _LatentMetric:
    """``metric(u, v)``, the latent distance of two rows: a class, so it pickles."""

    def __init__(self, embedder):
        self.embedder = embedder

    def __call__(self, u, v) -> float:
        u, v = np.asarray(u), np.asarray(v)
        if u.ndim != 1 or v.ndim != 1:
            raise ValueError(
                "the metric compares two rows: u and v must be 1-D arrays of "
                f"n_features_in_ values, got shapes {u.shape} and {v.shape}."
            )
        codes = self.embedder._embed(np.stack([u, v]))
        return float(np.linalg.norm(codes[0] - codes[1]))

    def __repr__(self) -> str:
        return f"{type(self.embedder).__name__}(...).get_metric()"
