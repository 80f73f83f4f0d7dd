"""Pseudo-labels: label propagation on the embedding feeds the label terms."""

import numpy as np
import pytest
from sklearn.datasets import load_digits, make_blobs

from sk_metricembed import SiameseAutoencoderEmbedder, TripletVAEEmbedder
from sk_metricembed._training.batches import PlanSampler
from sk_metricembed._training.pseudo_labels import (
    input_graph_classes,
    propagate_labels,
)


def _blobs_with_few_labels(n_labeled_per_class=2):
    Z, y = make_blobs(n_samples=600, centers=4, cluster_std=0.5, random_state=0)
    labels = np.full_like(y, -1)
    for c in range(4):
        labels[np.flatnonzero(y == c)[:n_labeled_per_class]] = c
    return Z, y, labels


@pytest.mark.parametrize("fraction", [0.25, 0.5, 1.0])
def test_propagation_fills_the_requested_share_with_the_right_classes(fraction):
    Z, y, labels = _blobs_with_few_labels()
    pseudo = propagate_labels(Z, labels, fraction, 10, np.random.RandomState(0))
    unlabeled = labels < 0
    filled = unlabeled & (pseudo >= 0)
    assert filled.sum() == round(fraction * unlabeled.sum())
    assert (pseudo[filled] == y[filled]).mean() > 0.99
    # True labels are kept and the input is not modified.
    assert np.array_equal(pseudo[~unlabeled], labels[~unlabeled])
    assert (labels[unlabeled] == -1).all()


def test_propagation_prefers_confident_rows():
    Z, y, labels = _blobs_with_few_labels()
    # A row halfway between two blob centres is the least certain one.
    Z = np.vstack([Z, Z[y == 0].mean(0) / 2 + Z[y == 1].mean(0) / 2])
    labels = np.append(labels, -1)
    pseudo = propagate_labels(Z, labels, 0.5, 10, np.random.RandomState(0))
    assert pseudo[-1] == -1


def test_propagation_needs_two_labelled_classes():
    Z, _, labels = _blobs_with_few_labels()
    labels[labels > 0] = -1
    pseudo = propagate_labels(Z, labels, 0.5, 10, np.random.RandomState(0))
    assert np.array_equal(pseudo, labels)


def test_a_second_opinion_leaves_the_rows_it_disputes_unlabelled():
    Z, y, labels = _blobs_with_few_labels()
    plain = propagate_labels(Z, labels, 0.5, 10, np.random.RandomState(0))
    filled = np.flatnonzero((labels < 0) & (plain >= 0))
    disputed = filled[::3]
    opinion = plain.copy()
    opinion[disputed] = (plain[disputed] + 1) % 4
    vetted = propagate_labels(
        Z, labels, 0.5, 10, np.random.RandomState(0), second_opinion=opinion
    )
    assert (vetted[disputed] == -1).all()
    kept = np.setdiff1d(filled, disputed)
    assert np.array_equal(vetted[kept], plain[kept])
    assert np.array_equal(vetted[labels >= 0], labels[labels >= 0])


def test_input_graph_classes_spread_the_true_labels():
    Z, y, labels = _blobs_with_few_labels(n_labeled_per_class=1)
    classes = input_graph_classes(Z, labels, 10, np.random.RandomState(0))
    assert classes.shape == y.shape
    assert np.array_equal(classes[labels >= 0], labels[labels >= 0])
    assert (classes == y).mean() > 0.99
    # Nothing to spread: one class, or every row labelled.
    one_class = np.where(labels == 0, 0, -1)
    assert input_graph_classes(Z, one_class, 10, np.random.RandomState(0)) is None
    assert input_graph_classes(Z, y, 10, np.random.RandomState(0)) is None


def test_large_data_propagates_on_a_sample(monkeypatch):
    import sk_metricembed._training.pseudo_labels as module

    monkeypatch.setattr(module, "MAX_PROPAGATION_ROWS", 100)
    Z, y, labels = _blobs_with_few_labels()
    pseudo = propagate_labels(Z, labels, 1.0, 10, np.random.RandomState(0))
    filled = (labels < 0) & (pseudo >= 0)
    assert filled.sum() == 100
    assert (pseudo[filled] == y[filled]).mean() > 0.99


def test_sampler_relabel_changes_the_balanced_rows():
    labels = np.full(1000, -1)
    labels[:20] = np.repeat(np.arange(10), 2)
    sampler = PlanSampler(1000, labels, 100, np.random.RandomState(0))
    before = np.concatenate([p.rows[p.balanced] for p in sampler])
    assert np.isin(before, np.arange(20)).all()
    relabeled = labels.copy()
    relabeled[500:] = np.arange(500) % 10
    sampler.relabel(relabeled)
    after = np.concatenate([p.rows[p.balanced] for p in sampler])
    assert (after >= 500).any()


@pytest.mark.parametrize("Estimator", [TripletVAEEmbedder, SiameseAutoencoderEmbedder])
def test_estimators_record_the_pseudo_labels_in_history(Estimator):
    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    y_semi = np.where(np.arange(len(y)) < 40, y, -1)
    embedder = Estimator(
        latent_dim=4, max_epochs=6, pseudo_label_fraction=0.5, random_state=0
    ).fit(X, y_semi)
    counts = [epoch.get("pseudo_labels") for epoch in embedder.history_]
    # First refresh after a third of the epochs (epoch 2), then every epoch:
    # at most the confident half of the unlabelled rows, less those that
    # the input graph's label spreading disputes.
    confident = 40 + round(0.5 * (len(y) - 40))
    assert counts[0] is None
    assert all(40 < count <= confident for count in counts[1:]), counts
    # y itself is untouched.
    assert (y_semi[40:] == -1).all()


def test_off_or_fully_labelled_adds_no_pseudo_labels():
    X, y = load_digits(return_X_y=True)
    X = X[:300] / 16.0
    y = y[:300]
    for embedder, target in [
        (
            TripletVAEEmbedder(max_epochs=3, pseudo_label_fraction=0, random_state=0),
            np.where(y < 5, y, -1),
        ),
        (
            TripletVAEEmbedder(max_epochs=3, pseudo_label_fraction=1.0, random_state=0),
            y,
        ),
    ]:
        embedder.fit(X, target)
        assert all("pseudo_labels" not in epoch for epoch in embedder.history_)


@pytest.mark.parametrize(
    "n_labeled, image_shape, expected_fraction",
    [(40, None, 0.5), (40, (8, 8), 0.8), (400, None, None)],
)
def test_auto_pseudo_labels_only_when_labels_are_scarce(
    n_labeled, image_shape, expected_fraction
):
    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    y_semi = np.where(np.arange(len(y)) < n_labeled, y, -1)
    embedder = TripletVAEEmbedder(
        latent_dim=4, max_epochs=3, image_shape=image_shape, random_state=0
    ).fit(X, y_semi)
    counts = {epoch.get("pseudo_labels") for epoch in embedder.history_[1:]}
    if expected_fraction is None:  # 400 of 1,797 rows: 22% labelled
        assert counts == {None}
    else:
        # The input graph vets the pseudo-labels (flattened rows, and 8x8
        # digits, most of whose random views stay among their row's input
        # neighbours), which leaves some of the confident share unlabelled.
        n_unlabeled = len(y) - n_labeled
        full = n_labeled + round(expected_fraction * n_unlabeled)
        assert all(n_labeled < count < full for count in counts), counts


def test_the_input_graph_vets_pseudo_labels_only_where_views_keep_to_it(
    monkeypatch,
):
    # Trust in the input graph follows the share of random views that stay
    # by their row: with none (views that leave every row), the encoder's
    # pseudo-labels stand alone, the full confident share.
    import sk_metricembed._view_trust as view_trust

    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    y_semi = np.where(np.arange(len(y)) < 40, y, -1)
    params = dict(latent_dim=4, max_epochs=3, image_shape=(8, 8), random_state=0)
    seen = []
    classes = view_trust.input_graph_classes

    def spy(*args, **kwargs):
        seen.append(args)
        return classes(*args, **kwargs)

    monkeypatch.setattr(view_trust, "input_graph_classes", spy)
    vetted = TripletVAEEmbedder(**params).fit(X, y_semi)
    assert len(seen) == 1
    monkeypatch.setattr(view_trust, "view_agreement", lambda *args, **kwargs: 0.5)
    alone = TripletVAEEmbedder(**params).fit(X, y_semi)
    assert len(seen) == 1
    full = 40 + round(0.8 * (len(y) - 40))
    assert {epoch.get("pseudo_labels") for epoch in alone.history_[1:]} == {full}
    assert vetted.history_[-1, "pseudo_labels"] < full
    assert alone.neighbor_smoothing_ == 0.0 < vetted.neighbor_smoothing_


def test_the_input_graph_vets_the_pseudo_labels_of_flattened_rows(monkeypatch):
    # Without random views the input graph is trusted in full: every fit
    # that trains on pseudo-labels asks its label spreading, once, and
    # keeps only the pseudo-labels it agrees with.
    import sk_metricembed._view_trust as view_trust

    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    y_semi = np.where(np.arange(len(y)) < 40, y, -1)
    seen = []
    classes = view_trust.input_graph_classes

    def spy(*args, **kwargs):
        seen.append(classes(*args, **kwargs))
        return seen[-1]

    monkeypatch.setattr(view_trust, "input_graph_classes", spy)
    params = dict(latent_dim=4, max_epochs=3, random_state=0)
    vetted = TripletVAEEmbedder(**params).fit(X, y_semi)
    assert len(seen) == 1 and seen[0].shape == y.shape
    monkeypatch.setattr(view_trust, "input_graph_classes", lambda *a, **k: None)
    alone = TripletVAEEmbedder(**params).fit(X, y_semi)
    full = 40 + round(0.5 * (len(y) - 40))
    assert {epoch.get("pseudo_labels") for epoch in alone.history_[1:]} == {full}
    assert 40 < vetted.history_[-1, "pseudo_labels"] < full
    # No pseudo-labels, no spreading over the input graph.
    monkeypatch.setattr(view_trust, "input_graph_classes", spy)
    TripletVAEEmbedder(pseudo_label_fraction=0, **params).fit(X, y_semi)
    assert len(seen) == 1


def test_warm_fit_propagates_its_own_rows_and_labels():
    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    y_semi = np.where(np.arange(len(y)) < 40, y, -1)
    embedder = TripletVAEEmbedder(
        latent_dim=4, max_epochs=6, warm_start=True, random_state=0
    ).fit(X, y_semi)
    # Fewer rows and other labels: the refresh must use these, not the first
    # fit's, and its schedule restarts with the warm fit (first at epoch 2).
    embedder.fit(X[:900], np.where(np.arange(900) < 20, y[:900], -1))
    counts = [epoch.get("pseudo_labels") for epoch in embedder.history_]
    # At most the confident half of each fit's unlabelled rows (the input
    # graph disputes some), from each fit's own labelled rows up.
    first, warm = 40 + round(0.5 * (len(y) - 40)), 20 + round(0.5 * 880)
    assert counts[0] is None and counts[6] is None, counts
    assert all(40 < count <= first for count in counts[1:6]), counts
    assert all(20 < count <= warm for count in counts[7:]), counts


def test_a_graph_searched_once_spreads_as_a_search_per_spreading():
    # The label trust's folds share one neighbour search: the same classes.
    from sk_metricembed._training.pseudo_labels import (
        input_graph_classes,
        knn_connectivity,
    )

    rng = np.random.RandomState(0)
    X = np.vstack([rng.normal(c, 1.0, (60, 3)) for c in (0, 2.5, 5)])
    y = np.repeat([0, 1, 2], 60)
    y[rng.rand(y.size) < 0.9] = -1
    searched = input_graph_classes(X, y, 5, np.random.RandomState(0))
    shared = input_graph_classes(
        X, y, 5, np.random.RandomState(0), knn_connectivity(X, 5)
    )
    np.testing.assert_array_equal(searched, shared)
    # A graph of other rows gives other classes: the graph is what is used.
    other = knn_connectivity(rng.normal(size=X.shape), 5)
    elsewhere = input_graph_classes(X, y, 5, np.random.RandomState(0), other)
    assert (elsewhere != searched).any()
