"""Neighbour smoothing: transform draws each code toward its input-space
training neighbours' codes (``neighbor_smoothing``)."""

import numpy as np
import pytest
from sklearn.datasets import load_wine
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import StandardScaler

from sk_metricembed import SiameseAutoencoderEmbedder, TripletVAEEmbedder

ESTIMATORS = [TripletVAEEmbedder, SiameseAutoencoderEmbedder]
FAST = dict(latent_dim=3, max_epochs=3, random_state=0)


@pytest.fixture(scope="module")
def wine():
    # 13 features: the neighbours are searched on the rows as they are.
    X, y = load_wine(return_X_y=True)
    X = StandardScaler().fit_transform(X).astype(np.float32)
    y_semi = np.where(np.arange(len(y)) % 5 == 0, y, -1)
    return X[:120], y_semi[:120], X[120:]


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_transform_is_the_encoders_code_half_way_to_its_neighbours_mean(
    Estimator, wine
):
    X, y, X_new = wine
    smoothed = Estimator(**FAST).fit(X, y)
    plain = Estimator(**FAST, neighbor_smoothing=0).fit(X, y)
    assert smoothed.neighbor_smoothing_ == 0.5
    assert plain.neighbor_smoothing_ == 0.0
    # The smoothing changes transform only, not the training.
    codes, codes_new = plain.transform(X), plain.transform(X_new)
    search = NearestNeighbors(n_neighbors=smoothed.n_neighbors).fit(X)
    for rows, own in ((X, codes), (X_new, codes_new)):
        table = search.kneighbors(rows, return_distance=False)
        expected = 0.5 * own + 0.5 * codes[table].mean(axis=1)
        np.testing.assert_allclose(
            smoothed.transform(rows), expected, rtol=1e-5, atol=1e-6
        )
    assert not np.allclose(smoothed.transform(X_new), codes_new, atol=1e-3)


@pytest.mark.parametrize(
    "params, expected",
    [
        ({}, 0.5),
        ({"weight": 0.0}, 0.0),  # the plain VAE: the encoder's codes
        ({"weight": 1.0}, 0.0),  # the pure metric network
        ({"neighbor_weight": 0.0}, 0.0),
        ({"image_shape": (4, 4)}, 0.0),  # random views
        ({"image_shape": (4, 4), "augment": False}, 0.5),
        ({"weight": 0.0, "neighbor_smoothing": 0.3}, 0.3),
        ({"neighbor_smoothing": 1.0}, 1.0),
    ],
)
def test_auto_smoothing_is_on_with_the_neighbour_term_and_without_views(
    params, expected
):
    rng = np.random.RandomState(0)
    X = rng.rand(60, 16).astype(np.float32)
    y = np.where(np.arange(60) < 20, np.arange(60) % 2, -1)
    embedder = TripletVAEEmbedder(**{**FAST, **params}).fit(X, y)
    assert embedder.neighbor_smoothing_ == expected
    codes = embedder.transform(X)
    assert np.isfinite(codes).all()
    if expected == 0:
        encoded = embedder._apply(embedder.net_.module_.encode, X)
        np.testing.assert_array_equal(codes, encoded)


def test_smoothing_of_one_is_the_neighbours_mean_alone(wine):
    X, y, X_new = wine
    plain = TripletVAEEmbedder(**FAST, neighbor_smoothing=0).fit(X, y)
    mean_only = TripletVAEEmbedder(**FAST, neighbor_smoothing=1.0).fit(X, y)
    table = (
        NearestNeighbors(n_neighbors=10).fit(X).kneighbors(X_new, return_distance=False)
    )
    np.testing.assert_allclose(
        mean_only.transform(X_new),
        plain.transform(X)[table].mean(axis=1),
        rtol=1e-5,
        atol=1e-6,
    )


@pytest.mark.parametrize("value", [-0.1, 1.5, "half"])
def test_smoothing_out_of_range_is_refused_before_training(value, wine):
    X, y, _ = wine
    with pytest.raises(ValueError, match="neighbor_smoothing"):
        TripletVAEEmbedder(**FAST, neighbor_smoothing=value).fit(X, y)


def test_the_fit_embeds_its_rows_as_transform_does(wine):
    # The fit smooths its own rows from their neighbour table instead of
    # searching them again: the labelled rows' codes it keeps for the
    # scorers match transform's.
    X, y, _ = wine
    embedder = TripletVAEEmbedder(**FAST).fit(X, y)
    np.testing.assert_allclose(
        embedder.embedding_labeled_,
        embedder.transform(X[y >= 0]),
        rtol=1e-5,
        atol=1e-6,
    )
