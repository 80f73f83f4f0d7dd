"""metric-learn's conventions on the embedders: pair_distance and get_metric."""

import pickle

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.exceptions import NotFittedError
from sklearn.neighbors import NearestNeighbors

from sk_metricembed import SiameseAutoencoderEmbedder, TripletVAEEmbedder

FAST = dict(max_epochs=2, hidden_layer_sizes=(16,), latent_dim=3, random_state=0)


@pytest.fixture(scope="module", params=[SiameseAutoencoderEmbedder, TripletVAEEmbedder])
def fitted(request):
    X, y = load_digits(return_X_y=True)
    X, y = X[:200] / 16.0, y[:200]
    return request.param(**FAST).fit(X, y), X


def test_pair_distance_is_the_distance_of_the_codes(fitted):
    embedder, X = fitted
    rng = np.random.RandomState(0)
    positions = np.c_[rng.permutation(200)[:20], rng.permutation(200)[:20]]
    codes = embedder.transform(X)
    expected = np.linalg.norm(codes[positions[:, 0]] - codes[positions[:, 1]], axis=1)
    assert expected.min() < expected.max()  # not a constant by accident
    rows = X[positions]  # (20, 2, 64): metric-learn's pairs of rows
    np.testing.assert_allclose(embedder.pair_distance(rows), expected, rtol=1e-5)
    np.testing.assert_allclose(
        embedder.pair_distance(positions, X), expected, rtol=1e-5
    )
    assert embedder.pair_distance(rows.tolist()).shape == (20,)
    np.testing.assert_allclose(embedder.pair_distance(X[[[0, 0]]]), [0.0])


@pytest.mark.parametrize(
    "pairs, X, match",
    [
        (np.zeros((4, 64)), None, r"shape \(n_pairs, 2, n_features\).* got shape"),
        (np.zeros((4, 3, 64)), None, r"got shape \(4, 3, 64\)"),
        (np.zeros((4, 2, 63)), None, "63 features"),
        (np.array([[0, 200]]), "X", r"in \[0, 199\]"),
        (np.array([[0, -1]]), "X", "row positions"),
        (np.array([[0.0, 1.0]]), "X", "dtype float64"),
        (np.array([[0, 1, 2]]), "X", r"got shape \(1, 3\)"),
    ],
)
def test_pair_distance_rejects_bad_pairs(fitted, pairs, X, match):
    embedder, rows = fitted
    with pytest.raises(ValueError, match=match):
        embedder.pair_distance(pairs, rows if X == "X" else None)


def test_get_metric_agrees_with_the_codes_and_serves_nearest_neighbors(fitted):
    embedder, X = fitted
    metric = embedder.get_metric()
    codes = embedder.transform(X)
    assert isinstance(metric(X[0], X[1]), float)
    assert metric(X[0], X[1]) == pytest.approx(
        float(np.linalg.norm(codes[0] - codes[1])), rel=1e-5
    )
    assert metric(X[0], X[1]) == pytest.approx(metric(X[1], X[0]))
    restored = pickle.loads(pickle.dumps(metric))
    assert restored(X[0], X[1]) == pytest.approx(metric(X[0], X[1]))
    # NearestNeighbors on the rows with the metric = on the codes, Euclidean.
    by_metric = NearestNeighbors(n_neighbors=4, metric=metric).fit(X[:40])
    by_codes = NearestNeighbors(n_neighbors=4).fit(codes[:40])
    distance, _ = by_metric.kneighbors(X[40:45])
    expected, _ = by_codes.kneighbors(codes[40:45])
    np.testing.assert_allclose(distance, expected, rtol=1e-4, atol=1e-6)
    with pytest.raises(ValueError, match="must be 1-D arrays"):
        metric(X[:2], X[:2])


def test_before_fit_both_raise_not_fitted():
    embedder = TripletVAEEmbedder()
    with pytest.raises(NotFittedError):
        embedder.get_metric()
    with pytest.raises(NotFittedError):
        embedder.pair_distance(np.zeros((1, 2, 64)))
