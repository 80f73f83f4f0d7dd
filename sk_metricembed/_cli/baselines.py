"""What the main job compares its fits with: PCA and the features themselves.

An embedding is worth its training where it beats what costs nothing. After
the fits, ``sk-metricembed run`` scores, on the same held-out rows and with
the same scores, PCA at each latent dimension of the grid (fitted on the
training rows) and the rows the embedders read (the raw values, or the
``--features`` ones), and prints them as a second table.
"""

from __future__ import annotations

import numpy as np

from .data import Split
from .scores import held_out_scores

#: The baselines table's columns (``baselines.csv``).
BASELINE_COLUMNS = ("baseline", "dimensions", "triplet_accuracy", "knn_accuracy")


def baseline_rows(split: Split, latent_dims, seed: int) -> list[dict]:
    """One row per PCA dimension of the grid, then one for the features.

    PCA keeps at most as many components as the training rows have features
    and rows; a dimension met twice is scored once.

    Examples
    --------
    >>> import numpy as np
    >>> from sk_metricembed._cli.baselines import baseline_rows
    >>> from sk_metricembed._cli.data import Split
    >>> rng = np.random.RandomState(0)
    >>> y = np.repeat([0, 1], 30)
    >>> X = rng.normal(size=(60, 5)) + 3 * y[:, None]
    >>> split = Split(X[::2], X[1::2], y[::2], y[1::2], y[::2], np.arange(30))
    >>> rows = baseline_rows(split, [2, 8], seed=0)
    >>> [(row["baseline"], row["dimensions"]) for row in rows]
    [('PCA', 2), ('PCA', 5), ('features', 5)]
    """
    from sklearn.decomposition import PCA

    n_rows, n_features = split.X_train.shape
    dimensions = sorted({min(d, n_features, n_rows) for d in latent_dims})
    rows = []
    for d in dimensions:
        pca = PCA(d, random_state=seed).fit(split.X_train)
        rows.append(_scores("PCA", d, pca.transform(split.X_test), split.y_test, seed))
    rows.append(_scores("features", n_features, split.X_test, split.y_test, seed))
    return rows


def _scores(name: str, dimensions: int, Z, y, seed: int) -> dict:
    Z = np.asarray(Z, dtype=np.float64)
    return {"baseline": name, "dimensions": dimensions, **held_out_scores(Z, y, seed)}
