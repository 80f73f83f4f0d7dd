"""Neighbour smoothing: transform draws each code toward its input-space
training neighbours' codes (``neighbor_smoothing``)."""

import numpy as np
import pytest
from sklearn.datasets import load_digits, load_wine
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import StandardScaler

from sk_metricembed import SiameseAutoencoderEmbedder, TripletVAEEmbedder
from sk_metricembed._defaults import AUTO_NEIGHBOR_SMOOTHING

ESTIMATORS = [TripletVAEEmbedder, SiameseAutoencoderEmbedder]
FAST = dict(latent_dim=3, max_epochs=3, random_state=0)


def _strengths(distances):
    """UMAP's membership strengths of one row's neighbours, written out as
    the paper's algorithm 3 reads: a bisection on sigma, row by row."""
    rho = min((d for d in distances if d > 0), default=0.0)
    target = np.log2(len(distances))

    def total(sigma):
        return sum(np.exp(-max(0.0, d - rho) / sigma) for d in distances)

    low, high = 0.0, 1.0
    while total(high) <= target:  # grow until the sum passes the target
        high *= 2
    for _ in range(100):
        middle = (low + high) / 2
        low, high = (low, middle) if total(middle) > target else (middle, high)
    sigma = max(high, 1e-3 * np.mean(distances))
    strengths = np.array([np.exp(-max(0.0, d - rho) / sigma) for d in distances])
    return strengths / strengths.sum()


def _weighted_means(codes, table, distances):
    weights = np.array([_strengths(row) for row in distances])
    return np.einsum("rk,rkd->rd", weights, codes[table])


@pytest.fixture(scope="module")
def wine():
    # 13 features: the neighbours are searched on the rows as they are.
    X, y = load_wine(return_X_y=True)
    X = StandardScaler().fit_transform(X).astype(np.float32)
    y_semi = np.where(np.arange(len(y)) % 5 == 0, y, -1)
    return X[:120], y_semi[:120], X[120:]


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_transform_draws_the_encoders_code_toward_its_neighbours_weighted_mean(
    Estimator, wine
):
    X, y, X_new = wine
    smoothed = Estimator(**FAST).fit(X, y)
    plain = Estimator(**FAST, neighbor_smoothing=0).fit(X, y)
    share = smoothed.neighbor_smoothing_
    assert 0 < share < 1
    assert plain.neighbor_smoothing_ == 0.0
    # The smoothing changes transform only, not the training.
    codes, codes_new = plain.transform(X), plain.transform(X_new)
    k = smoothed.n_neighbors
    # A training row finds itself, at distance 0, beside its k - 1 nearest
    # others; a new row takes that place with its own code.
    distances, table = NearestNeighbors(n_neighbors=k).fit(X).kneighbors(X)
    expected = (1 - share) * codes + share * _weighted_means(codes, table, distances)
    np.testing.assert_allclose(smoothed.transform(X), expected, rtol=1e-5, atol=1e-5)
    distances, table = NearestNeighbors(n_neighbors=k - 1).fit(X).kneighbors(X_new)
    both = np.concatenate([codes, codes_new])
    own = len(codes) + np.arange(len(codes_new))[:, None]
    table = np.concatenate([own, table], axis=1)
    distances = np.concatenate([np.zeros_like(own, dtype=float), distances], axis=1)
    expected = (1 - share) * codes_new + share * _weighted_means(both, table, distances)
    np.testing.assert_allclose(
        smoothed.transform(X_new), expected, rtol=1e-5, atol=1e-5
    )
    assert not np.allclose(smoothed.transform(X_new), codes_new, atol=1e-3)


def test_a_new_row_is_smoothed_as_it_would_be_among_the_training_rows(wine):
    # Row i left out of the training rows and then smoothed as a new row
    # gets the code the training rows' smoothing gives it: its own code
    # beside the same k - 1 nearest others, with the same weights.
    from sk_metricembed._training.neighbors import input_graph
    from sk_metricembed._training.smoothing import NeighborSmoothing

    X = wine[0]
    codes = np.random.RandomState(0).normal(size=(len(X), 3)).astype(np.float32)
    graph = input_graph(X, 10, 0, "euclidean")
    trained = NeighborSmoothing(graph, codes, 10, 0.75).training_codes(graph.table)
    for i in (0, 7, 50):
        rest = np.delete(np.arange(len(X)), i)
        smoothing = NeighborSmoothing(
            input_graph(X[rest], 10, 0, "euclidean"), codes[rest], 10, 0.75
        )
        new = smoothing(X[i : i + 1], codes[i : i + 1].copy())
        np.testing.assert_allclose(new[0], trained[i], rtol=1e-5, atol=1e-6)


def test_membership_weights_are_umaps():
    from sk_metricembed._training.smoothing import membership_weights

    rng = np.random.default_rng(0)
    distances = np.sort(rng.gamma(2.0, size=(50, 10)), axis=1)
    distances[:5, 0] = 0.0  # a training row finds itself
    distances[5] = 1.5  # every neighbour at one distance: equal weights
    weights = membership_weights(distances)
    expected = np.array([_strengths(row) for row in distances])
    np.testing.assert_allclose(weights, expected, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(weights[5], 0.1)
    # Nearer neighbours weigh more: never less than a farther one.
    assert (np.diff(weights[6:], axis=1) <= 1e-12).all()
    umap_ = pytest.importorskip("umap.umap_")
    # umap-learn's sum skips each row's first column (the row itself in its
    # own graph): a column of zeros in front makes it sum over all k.
    padded = np.hstack([np.zeros((44, 1)), distances[6:]])
    sigmas, rhos = umap_.smooth_knn_dist(padded, k=10)
    strengths = np.exp(-np.maximum(distances[6:] - rhos[:, None], 0) / sigmas[:, None])
    np.testing.assert_allclose(
        weights[6:], strengths / strengths.sum(axis=1, keepdims=True), rtol=1e-4
    )


@pytest.mark.parametrize(
    "params, expected",
    [
        ({}, AUTO_NEIGHBOR_SMOOTHING),
        ({"weight": 0.0}, 0.0),  # the plain VAE: the encoder's codes
        ({"weight": 1.0}, 0.0),  # the pure metric network
        ({"neighbor_weight": 0.0}, 0.0),
        ({"image_shape": (4, 4), "augment": False}, AUTO_NEIGHBOR_SMOOTHING),
        ({"weight": 0.0, "neighbor_smoothing": 0.3}, 0.3),
        ({"neighbor_smoothing": 1.0}, 1.0),
    ],
)
def test_auto_smoothing_is_on_with_the_neighbour_term(params, expected):
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


@pytest.mark.parametrize(
    "agreement, expected",
    [(0.0, 0.0), (0.34, 0.0), (0.5, 0.0), (0.7, 0.4), (1.0, 1.0)],
)
def test_smoothing_under_views_starts_when_most_views_stay_by_their_row(
    agreement, expected
):
    from sk_metricembed._defaults import smoothing_under_views

    share = smoothing_under_views(AUTO_NEIGHBOR_SMOOTHING, agreement)
    assert share == pytest.approx(expected * AUTO_NEIGHBOR_SMOOTHING)


def test_auto_smoothing_with_random_views_follows_their_agreement():
    # Image mode: "auto" follows the share of the random views that stay
    # among their row's input-space neighbours (300 8x8 digits: most do);
    # the draw is seeded by random_state and leaves the caller's torch
    # generator where it was.
    torch = pytest.importorskip("torch")
    from sk_metricembed._training.neighbors import input_graph, view_agreement
    from sk_metricembed._training.setup import seeded_torch

    X, y = load_digits(return_X_y=True)
    X = (X[:300] / 16).astype(np.float32)
    y = np.where(np.arange(300) % 10 == 0, y[:300], -1)
    torch.manual_seed(123)
    state = torch.get_rng_state()
    embedder = TripletVAEEmbedder(**FAST, image_shape=(8, 8)).fit(X, y)
    assert torch.equal(torch.get_rng_state(), state)
    seed = np.random.RandomState(0).randint(np.iinfo(np.int32).max)  # the fit's
    graph = input_graph(X, embedder.n_neighbors, seed, "euclidean")
    with seeded_torch(seed, "cpu"):
        agreement = view_agreement(graph, X, embedder.net_.augment, 10, seed)
    assert 0.5 < agreement < 1
    assert embedder.neighbor_smoothing_ == pytest.approx(
        AUTO_NEIGHBOR_SMOOTHING * (2 * agreement - 1)
    )
    again = TripletVAEEmbedder(**FAST, image_shape=(8, 8)).fit(X, y)
    assert again.neighbor_smoothing_ == embedder.neighbor_smoothing_
    np.testing.assert_array_equal(again.transform(X), embedder.transform(X))
    # A share the user sets is kept as it is.
    fixed = TripletVAEEmbedder(**FAST, image_shape=(8, 8), neighbor_smoothing=0.3)
    assert fixed.fit(X, y).neighbor_smoothing_ == 0.3


def test_smoothing_of_one_is_the_neighbours_weighted_mean_alone(wine):
    X, y, X_new = wine
    plain = TripletVAEEmbedder(**FAST, neighbor_smoothing=0).fit(X, y)
    mean_only = TripletVAEEmbedder(**FAST, neighbor_smoothing=1.0).fit(X, y)
    distances, table = NearestNeighbors(n_neighbors=10).fit(X).kneighbors(X)
    np.testing.assert_allclose(
        mean_only.transform(X),
        _weighted_means(plain.transform(X), table, distances),
        rtol=1e-5,
        atol=1e-5,
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


def test_no_smoothing_is_built_where_the_views_leave_the_input_graph(monkeypatch):
    # At most half of the views by their row: the share is 0, and the fit
    # neither encodes its rows for the smoothing nor keeps an index.
    import sk_metricembed._base as base
    import sk_metricembed._view_trust as view_trust

    built = []
    original = base.NeighborSmoothing

    def spy(*args, **kwargs):
        built.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(base, "NeighborSmoothing", spy)
    monkeypatch.setattr(view_trust, "view_agreement", lambda *args, **kwargs: 0.4)
    X, y = load_digits(return_X_y=True)
    X = (X[:200] / 16).astype(np.float32)
    embedder = TripletVAEEmbedder(**FAST, image_shape=(8, 8)).fit(X, y[:200])
    assert embedder.neighbor_smoothing_ == 0.0
    assert built == [] and embedder._smoothing is None
    monkeypatch.setattr(view_trust, "view_agreement", lambda *args, **kwargs: 0.9)
    embedder = TripletVAEEmbedder(**FAST, image_shape=(8, 8)).fit(X, y[:200])
    assert embedder.neighbor_smoothing_ == pytest.approx(0.8 * AUTO_NEIGHBOR_SMOOTHING)
    assert len(built) == 1


def test_weights_loaded_after_fit_are_warned_of_where_smoothing_needs_the_old_codes(
    wine, tmp_path
):
    # The training rows are not kept, so their smoothing codes cannot follow
    # weights loaded after the fit: transform says so (it mixed old codes
    # with the new encoder, silently). Equal weights (a pickle) stay quiet.
    import pickle
    import warnings

    import torch

    X, y, _ = wine
    first = TripletVAEEmbedder(**FAST).fit(X, y)
    second = TripletVAEEmbedder(**{**FAST, "random_state": 1}).fit(X, y)
    assert first.neighbor_smoothing_ > 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pickle.loads(pickle.dumps(first)).transform(X)
    first.net_.save_params(f_params=tmp_path / "weights.pt")
    second.net_.load_params(f_params=tmp_path / "weights.pt")
    with pytest.warns(UserWarning, match="the network's weights changed after fit"):
        second.transform(X)
    quiet = TripletVAEEmbedder(**FAST, neighbor_smoothing=0).fit(X, y)
    quiet.net_.load_params(f_params=tmp_path / "weights.pt")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with torch.no_grad():
            loaded = first.net_.module_.encode(torch.as_tensor(X)).numpy()
        np.testing.assert_allclose(quiet.transform(X), loaded, rtol=1e-5, atol=1e-5)


def test_a_memory_map_changed_after_the_fit_leaves_the_model_as_it_was(tmp_path):
    # At 50 features or fewer the smoothing searches the training rows
    # themselves: it keeps a copy, not a view of the user's file.
    rng = np.random.default_rng(0)
    np.save(tmp_path / "rows.npy", rng.normal(size=(300, 20)).astype(np.float32))
    rows = np.load(tmp_path / "rows.npy", mmap_mode="r+")
    new = rng.normal(size=(30, 20)).astype(np.float32)
    embedder = TripletVAEEmbedder(
        max_epochs=2, hidden_layer_sizes=(32,), random_state=0
    ).fit(rows, np.arange(300) % 3)
    assert embedder.neighbor_smoothing_ > 0
    before = embedder.transform(new)
    rows[:] = 0
    rows.flush()
    np.testing.assert_array_equal(embedder.transform(new), before)
