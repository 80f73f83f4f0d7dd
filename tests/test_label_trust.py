"""``weight="auto"`` and ``neighbor_weight="auto"``: the blend and the
neighbour term follow how far the input graph carries the labels.

On flattened rows whose input-space neighbours share their labels the
weight is ``small_data_weight`` of the rows (``AUTO_WEIGHT`` from
``AUTO_HIDDEN_FULL_ROWS`` rows on, higher below); where label spreading
over the input graph misses the held-out labelled rows, it falls towards
``MIN_LABEL_TRUST`` times that, less so the more rows are labelled.
The neighbour term falls the other way: towards the trust itself as far
as rows are labelled. Image mode keeps ``AUTO_WEIGHT`` and
``AUTO_EXTRA_TERM_WEIGHT``, explicit numbers theirs.
"""

import numpy as np
import pytest
from sklearn.datasets import load_digits

from sk_metricembed import SiameseAutoencoderEmbedder, TripletVAEEmbedder, _label_trust
from sk_metricembed._defaults import (
    AUTO_EXTRA_TERM_WEIGHT,
    AUTO_HIDDEN_FULL_ROWS,
    AUTO_WEIGHT,
    LABEL_TRUST_SOURCES,
    MIN_LABEL_TRUST,
    SMALL_DATA_WEIGHT_FACTOR,
    auto_neighbor_weight,
    auto_weight,
    label_trust,
    small_data_weight,
)
from sk_metricembed._label_trust import spreading_accuracy
from sk_metricembed._training.loss_parts import PAIR_LOSSES
from sk_metricembed.datasets import hide_labels

FAST = dict(latent_dim=4, max_epochs=1, batch_size=64, random_state=0)


def _blobs(n_per_class=60, n_classes=4, seed=0):
    """Well-separated blobs in 10 dimensions, their classes, and random labels."""
    rng = np.random.RandomState(seed)
    centres = rng.normal(0, 8, (n_classes, 10))
    y = np.repeat(np.arange(n_classes), n_per_class)
    X = (centres[y] + rng.normal(0, 1, (y.size, 10))).astype(np.float32)
    return X, y, rng.permutation(y)


def test_label_trust_ramps_from_the_least_to_full():
    # Chance-level spreading: the least trust; near-perfect: full trust.
    assert label_trust(0.1, 5000, 0.1) == MIN_LABEL_TRUST
    assert label_trust(0.99, 5000, 0.1) == 1.0
    middle = label_trust(0.7, 5000, 0.1)
    assert MIN_LABEL_TRUST < middle < 1.0
    assert label_trust(0.6, 5000, 0.1) < middle < label_trust(0.75, 5000, 0.1)
    # A few scored rows widen the bound: the same accuracy earns more trust.
    assert label_trust(0.6, 10, 0.1) > label_trust(0.6, 5000, 0.1)
    # Kappa, not accuracy: 0.7 on two balanced classes is weak evidence,
    # and on classes of 70% and 30% that all go to the first, none.
    assert label_trust(0.7, 5000, 0.5) < label_trust(0.7, 5000, 0.1)
    assert label_trust(0.7, 5000, 0.7) == MIN_LABEL_TRUST


def test_auto_weight_counts_the_trust_as_far_as_rows_are_unlabelled():
    n = AUTO_HIDDEN_FULL_ROWS
    assert auto_weight(1.0, 0.01, n) == AUTO_WEIGHT
    assert auto_weight(0.1, 1.0, n) == AUTO_WEIGHT
    assert auto_weight(0.1, 0.0, n) == pytest.approx(AUTO_WEIGHT * 0.1)
    assert (
        auto_weight(0.1, 0.02, n) < auto_weight(0.1, 0.2, n) < auto_weight(0.1, 0.9, n)
    )
    # On fewer rows the trust scales a higher start.
    assert auto_weight(0.1, 0.0, 100) == pytest.approx(small_data_weight(100) * 0.1)


def test_auto_neighbor_weight_counts_the_trust_as_far_as_rows_are_labelled():
    assert auto_neighbor_weight(1.0, 1.0) == AUTO_EXTRA_TERM_WEIGHT
    assert auto_neighbor_weight(MIN_LABEL_TRUST, 1.0) == pytest.approx(
        MIN_LABEL_TRUST * AUTO_EXTRA_TERM_WEIGHT
    )
    few, half = auto_neighbor_weight(0.2, 0.01), auto_neighbor_weight(0.2, 0.5)
    assert 0.98 * AUTO_EXTRA_TERM_WEIGHT < few < AUTO_EXTRA_TERM_WEIGHT
    assert auto_neighbor_weight(0.2, 1.0) < half < few


def test_the_weight_starts_higher_the_fewer_the_rows():
    assert small_data_weight(AUTO_HIDDEN_FULL_ROWS) == AUTO_WEIGHT
    assert small_data_weight(100 * AUTO_HIDDEN_FULL_ROWS) == AUTO_WEIGHT
    quarter = small_data_weight(AUTO_HIDDEN_FULL_ROWS // 4)
    assert quarter == pytest.approx(2 * AUTO_WEIGHT)
    assert AUTO_WEIGHT < small_data_weight(AUTO_HIDDEN_FULL_ROWS - 100) < quarter
    most = AUTO_WEIGHT * SMALL_DATA_WEIGHT_FACTOR
    assert small_data_weight(AUTO_HIDDEN_FULL_ROWS // 16) == pytest.approx(most)
    assert small_data_weight(10) == pytest.approx(most)


def test_spreading_accuracy_scores_held_out_labelled_rows():
    X, y, shuffled = _blobs()
    semi = hide_labels(y, 0.5, random_state=0)
    accuracy, n_scored, chance = spreading_accuracy(X, semi, n_neighbors=5, seed=0)
    assert n_scored == int((semi >= 0).sum())
    assert accuracy > 0.95
    assert chance == pytest.approx(0.25, abs=0.01)  # four classes, all given
    semi_shuffled = np.where(semi >= 0, shuffled, -1)
    accuracy, _, _ = spreading_accuracy(X, semi_shuffled, n_neighbors=5, seed=0)
    assert accuracy < 0.5  # four classes: chance is 0.25
    # A class with one labelled row cannot be scored by folds.
    one = np.full_like(y, -1)
    one[[0, 1, 70]] = y[[0, 1, 70]]
    assert spreading_accuracy(X, one, n_neighbors=5, seed=0) is None


def test_spreading_that_repeats_the_largest_class_earns_no_trust():
    # Structureless rows, 85% / 15%: the minority's few labelled rows spread
    # from fewer sources, so most held-out rows get the larger class and the
    # accuracy is the chance agreement of those shares (Cohen's), not a
    # sign that the graph carries the labels.
    rng = np.random.RandomState(0)
    X = rng.normal(size=(400, 10)).astype(np.float32)
    y = (rng.uniform(size=400) < 0.15).astype(int)
    semi = hide_labels(y, 0.1, random_state=0)
    spreading = spreading_accuracy(X, semi, n_neighbors=10, seed=0)
    assert spreading.chance > 0.75
    assert spreading.accuracy <= spreading.chance
    assert label_trust(*spreading) == MIN_LABEL_TRUST
    # Against a uniform chance (a half on two classes) it looked trusted.
    assert label_trust(spreading.accuracy, spreading.n_scored, 0.5) == 1.0


@pytest.mark.parametrize("share", [0.1, 0.5, 1.0])
def test_spreading_reaches_from_as_many_rows_a_class_whatever_the_labels(
    monkeypatch, share
):
    # More labelled rows would let the spreading reach further on the same
    # data; each fold spreads from at most LABEL_TRUST_SOURCES a class, and
    # every labelled row is still scored once.
    X, y, _ = _blobs(n_per_class=100)
    semi = y if share == 1.0 else hide_labels(y, share, random_state=0)
    calls = []
    spread = _label_trust.input_graph_classes

    def recording(features, seen, n_neighbors, rng, connectivity):
        calls.append(np.bincount(seen[seen >= 0], minlength=4))
        return spread(features, seen, n_neighbors, rng, connectivity)

    monkeypatch.setattr(_label_trust, "input_graph_classes", recording)
    accuracy, n_scored, _ = spreading_accuracy(X, semi, n_neighbors=5, seed=0)
    assert n_scored == int((semi >= 0).sum())
    assert accuracy > 0.95
    sources = np.array(calls)
    assert sources.max() <= LABEL_TRUST_SOURCES
    # Classes with more rows to spare spread from the full count.
    per_class = np.bincount(semi[semi >= 0])
    if per_class.min() * 0.8 >= LABEL_TRUST_SOURCES:
        assert (sources == LABEL_TRUST_SOURCES).all()


@pytest.mark.parametrize("Embedder", [TripletVAEEmbedder, SiameseAutoencoderEmbedder])
def test_auto_weight_falls_where_the_input_graph_misses_the_labels(Embedder):
    X, y, shuffled = _blobs()
    start = small_data_weight(len(X))  # 240 rows: above AUTO_WEIGHT
    assert start > AUTO_WEIGHT
    carried = Embedder(**FAST).fit(X, hide_labels(y, 0.5, random_state=0))
    assert carried.weight_ == start
    missed = Embedder(**FAST).fit(X, hide_labels(shuffled, 0.5, random_state=0))
    assert missed.weight_ == pytest.approx(auto_weight(MIN_LABEL_TRUST, 0.5, len(X)))
    assert missed.weight_ < AUTO_WEIGHT
    # The objective trains with the resolved weight, and a pair loss counts
    # the pairs it mines from the labels at the labels' reach (a triplet
    # loss counts its mined triplets whole).
    assert missed.net_.criterion_.weight == missed.weight_
    pairs = missed.metric_loss in PAIR_LOSSES
    reach = min(1.0, missed.weight_ / AUTO_WEIGHT) if pairs else 1.0
    assert reach < 1.0 or not pairs
    assert missed.net_.criterion_.mined_pair_weight == pytest.approx(reach)
    assert carried.net_.criterion_.mined_pair_weight == 1.0
    # A warm start keeps the first fit's objective, its share included.
    warm = Embedder(**FAST, warm_start=True)
    warm.fit(X, hide_labels(shuffled, 0.5, random_state=0))
    warm.fit(X, hide_labels(y, 0.5, random_state=0))
    assert warm.weight_ == missed.weight_
    assert warm.net_.criterion_.mined_pair_weight == pytest.approx(reach)
    # Every row labelled: nothing to reach, the full weight.
    assert Embedder(**FAST).fit(X, shuffled).weight_ == start
    # An explicit number is the blend, whatever the labels.
    given = Embedder(**FAST, weight=0.3).fit(
        X, hide_labels(shuffled, 0.5, random_state=0)
    )
    assert given.weight_ == 0.3 and given.net_.criterion_.weight == 0.3
    assert given.net_.criterion_.mined_pair_weight == 1.0


def test_the_weight_reads_the_input_graph_without_the_neighbour_term():
    # The space behind the label trust is projected for it when neither the
    # neighbour term nor the smoothing needs the graph (its search over
    # every row is left out): neighbor_weight=0 does not change the weight.
    X, _, shuffled = _blobs()
    y = hide_labels(shuffled, 0.5, random_state=0)
    default = TripletVAEEmbedder(**FAST).fit(X, y)
    without = TripletVAEEmbedder(**FAST, neighbor_weight=0).fit(X, y)
    assert without.weight_ == default.weight_ < AUTO_WEIGHT
    assert without.neighbor_weight_ == 0 and without.neighbor_smoothing_ == 0
    assert without.input_components_ is None  # no graph was searched


@pytest.mark.parametrize("Embedder", [TripletVAEEmbedder, SiameseAutoencoderEmbedder])
def test_the_neighbour_term_weighs_less_where_the_graph_misses_many_labels(Embedder):
    X, y, shuffled = _blobs()
    # The graph carries the labels: the whole term, with every label or half.
    for labels in (y, hide_labels(y, 0.5, random_state=0)):
        carried = Embedder(**FAST).fit(X, labels)
        assert carried.neighbor_weight_ == AUTO_EXTRA_TERM_WEIGHT
    # It misses them: with every row labelled the term weighs the least
    # trust, with half of them the trust raised to the labelled share.
    every = Embedder(**FAST).fit(X, shuffled)
    assert every.neighbor_weight_ == pytest.approx(
        MIN_LABEL_TRUST * AUTO_EXTRA_TERM_WEIGHT
    )
    semi = hide_labels(shuffled, 0.5, random_state=0)
    half = Embedder(**FAST).fit(X, semi)
    share = float(np.mean(semi >= 0))
    assert half.neighbor_weight_ == pytest.approx(
        auto_neighbor_weight(MIN_LABEL_TRUST, share)
    )
    assert every.neighbor_weight_ < half.neighbor_weight_ < AUTO_EXTRA_TERM_WEIGHT
    # The objective trains with it.
    for fitted in (every, half):
        assert fitted.net_.criterion_.neighbor_weight == fitted.neighbor_weight_
    # An explicit number is the term's weight, whatever the labels; the
    # pure metric network (weight=1) has no neighbour term by default.
    given = Embedder(**FAST, neighbor_weight=0.7).fit(X, shuffled)
    assert given.neighbor_weight_ == given.net_.criterion_.neighbor_weight == 0.7
    assert Embedder(**FAST, weight=1.0).fit(X, shuffled).neighbor_weight_ == 0.0


def test_an_imbalanced_table_whose_graph_repeats_its_larger_class_gets_least_weight():
    # The spreading's accuracy there is the chance agreement of the class
    # shares (test_spreading_that_repeats_the_largest_class_earns_no_trust).
    rng = np.random.RandomState(0)
    X = rng.normal(size=(800, 10)).astype(np.float32)
    y = (rng.uniform(size=800) < 0.1).astype(int)
    semi = hide_labels(y, 0.1, random_state=0)
    fitted = TripletVAEEmbedder(**FAST).fit(X, semi)
    share = float(np.mean(semi >= 0))
    assert fitted.weight_ == pytest.approx(auto_weight(MIN_LABEL_TRUST, share, 800))
    assert fitted.net_.criterion_.weight == fitted.weight_


def test_image_mode_and_warm_starts_keep_their_weight():
    X, y = load_digits(return_X_y=True)
    X = (X[:300] / 16).astype(np.float32)
    rng = np.random.RandomState(0)
    shuffled = hide_labels(rng.permutation(y[:300]), 0.5, random_state=0)
    for augment in (True, False):  # the convolutions, with or without views
        image = TripletVAEEmbedder(**FAST, image_shape=(8, 8), augment=augment)
        image.fit(X, shuffled)
        assert image.weight_ == AUTO_WEIGHT
        assert image.neighbor_weight_ == AUTO_EXTRA_TERM_WEIGHT
    vectors = TripletVAEEmbedder(**FAST, warm_start=True).fit(X, shuffled)
    first, first_neighbor = vectors.weight_, vectors.neighbor_weight_
    assert first < small_data_weight(300)
    assert first_neighbor < AUTO_EXTRA_TERM_WEIGHT
    vectors.fit(X, hide_labels(y[:300], 0.5, random_state=0))
    assert vectors.weight_ == first == vectors.net_.criterion_.weight
    assert vectors.neighbor_weight_ == first_neighbor
    assert vectors.net_.criterion_.neighbor_weight == first_neighbor
