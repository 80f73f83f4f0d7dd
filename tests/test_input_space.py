"""``input_components``: the space the input graph is searched in.

``"auto"`` keeps the default space (``PCA_DIMENSIONS`` components, or the
features below that) unless label spreading over a PCA of ``latent_dim`` or
twice that many components recovers more held-out labelled rows, by one
binomial standard error of the default's count (``INPUT_SPACE_MARGIN``) and
``INPUT_SPACE_MIN_ROWS`` rows at least; an integer fixes the dimension.
"""

import numpy as np
import pytest
from sklearn.datasets import load_digits

from sk_metricembed import SiameseAutoencoderEmbedder, TripletVAEEmbedder, _input_space
from sk_metricembed._defaults import INPUT_SPACE_MARGIN, INPUT_SPACE_MIN_ROWS
from sk_metricembed._input_space import choose_input_graph, resolve_input_components
from sk_metricembed._label_trust import Spreading
from sk_metricembed._training.neighbors import PCA_DIMENSIONS
from sk_metricembed.datasets import hide_labels

FAST = dict(latent_dim=3, max_epochs=1, batch_size=64, random_state=0)


def _classes_under_noise(n_per_class=60, n_noise=100, seed=0):
    """Three overlapping classes along three strong directions, under many
    weaker noise features that together swamp the Euclidean distance: a PCA
    of a few components finds the classes, the default space (a PCA of
    ``PCA_DIMENSIONS``) keeps most of the noise."""
    rng = np.random.RandomState(seed)
    y = np.repeat(np.arange(3), n_per_class)
    signal = 10.0 * (np.eye(3)[y] + rng.normal(0, 0.5, (y.size, 3)))
    noise = rng.normal(0, 2.5, (y.size, n_noise))
    return np.hstack([signal, noise]).astype(np.float32), y


def _choose(X, labels, value="auto", image_mode=False):
    return choose_input_graph(
        X,
        labels,
        value=value,
        latent_dim=3,
        image_mode=image_mode,
        n_neighbors=10,
        seed=0,
        metric="euclidean",
    )


def test_auto_tries_latent_dim_and_twice_it_below_the_default_space():
    assert resolve_input_components("auto", 8) == (PCA_DIMENSIONS, 8, 16)
    assert resolve_input_components("auto", 30) == (PCA_DIMENSIONS, 30)
    assert resolve_input_components(12, 8) == (12,)


def test_a_few_components_are_chosen_where_the_labels_spread_further_there():
    X, y = _classes_under_noise()
    semi = hide_labels(y, 0.3, random_state=0)
    choice = _choose(X, semi)
    assert choice.graph.dimensions in (3, 6)
    # The choice is the labels' evidence: the default space's graph spreads
    # them worse on the same folds.
    default = _choose(X, semi, value=PCA_DIMENSIONS)
    assert default.graph.dimensions == PCA_DIMENSIONS
    assert choice.spreading.accuracy > default.spreading.accuracy


def test_the_default_space_is_kept_where_it_carries_the_labels():
    X, y = load_digits(return_X_y=True)
    X, y = X[:600].astype(np.float32), y[:600]
    semi = hide_labels(y, 0.3, random_state=0)
    assert _choose(X, semi).graph.dimensions == PCA_DIMENSIONS


def test_too_few_labels_all_labels_and_image_mode_keep_the_default_space():
    X, y = _classes_under_noise()
    one_each = np.full_like(y, -1)
    one_each[[0, 60, 120]] = y[[0, 60, 120]]
    assert _choose(X, one_each).graph.dimensions == PCA_DIMENSIONS
    # With every row labelled no label has to travel along the graph.
    assert _choose(X, y).graph.dimensions == PCA_DIMENSIONS
    semi = hide_labels(y, 0.3, random_state=0)
    assert _choose(X, semi, image_mode=True).graph.dimensions == PCA_DIMENSIONS


def test_a_candidate_needs_the_margin_to_replace_the_default(monkeypatch):
    X, y = _classes_under_noise()
    semi = hide_labels(y, 0.3, random_state=0)
    # 30 of 50 held-out rows in the default space: one binomial standard
    # error of that count is sqrt(50 * 0.6 * 0.4), about 3.5 rows.
    margin = max(INPUT_SPACE_MIN_ROWS, INPUT_SPACE_MARGIN * np.sqrt(50 * 0.6 * 0.4))
    hits = {PCA_DIMENSIONS: 30, 3: 30 + int(np.ceil(margin)) - 1, 6: 30}

    def scripted(features, labels, n_neighbors, seed):
        return Spreading(hits[features.shape[1]] / 50, 50, 1 / 3)

    monkeypatch.setattr(_input_space, "spreading_accuracy", scripted)
    assert _choose(X, semi).graph.dimensions == PCA_DIMENSIONS
    hits[6] = 30 + int(np.ceil(margin))
    assert _choose(X, semi).graph.dimensions == 6
    # Where the default space spreads every held-out row, two rows decide.
    hits.update({PCA_DIMENSIONS: 50, 3: 50, 6: 50})
    assert _choose(X, semi).graph.dimensions == PCA_DIMENSIONS


@pytest.mark.parametrize("Estimator", [SiameseAutoencoderEmbedder, TripletVAEEmbedder])
def test_the_fit_records_the_dimension_it_searched(Estimator):
    X, y = _classes_under_noise()
    semi = hide_labels(y, 0.3, random_state=0)
    auto = Estimator(**FAST).fit(X, semi)
    assert auto.input_components_ in (3, 6)
    fixed = Estimator(**FAST, input_components=5).fit(X, semi)
    assert fixed.input_components_ == 5
    # More components than features: the features themselves.
    wide = Estimator(**FAST, input_components=500).fit(X, semi)
    assert wide.input_components_ == X.shape[1]
    # No graph is needed by a plain autoencoder without smoothing.
    plain = Estimator(**FAST, weight=0, neighbor_smoothing=0).fit(X)
    assert plain.input_components_ is None


@pytest.mark.parametrize("value", [0, -3, 2.5, "pca"])
def test_a_bad_input_components_is_refused_before_training(value):
    X, y = _classes_under_noise()
    with pytest.raises(ValueError, match="'input_components' parameter"):
        TripletVAEEmbedder(**FAST, input_components=value).fit(X, y)


def test_two_fits_spread_their_labels_at_once(monkeypatch):
    # Two fits on one process's threads (a search on a dask cluster): one
    # fit's spreading must not wait for another's. functools.cached_property
    # locked every instance at once on Python < 3.12, and the search hung.
    import threading
    from types import SimpleNamespace

    other_done = threading.Event()

    def spreading(features, labels, n_neighbors, seed):
        if seed == 0:  # the first fit waits until the second has spread
            assert other_done.wait(5), "the second fit waited for the first"
        return seed

    monkeypatch.setattr(_input_space, "spreading_accuracy", spreading)
    graph, labels = SimpleNamespace(features=None), np.zeros(4, int)
    first = _input_space.InputChoice(graph, labels, 2, seed=0)
    second = _input_space.InputChoice(graph, labels, 2, seed=1)
    results = []
    thread = threading.Thread(target=lambda: results.append(first.spreading))
    thread.start()
    assert second.spreading == 1
    other_done.set()
    thread.join(10)
    assert results == [0] and first.spreading == 0  # computed once, kept
