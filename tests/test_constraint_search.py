"""Searches on pairs or triplets alone: ConstraintKFold, ConstraintEmbedder and
the scores of held-out constraints (pair_auc_score, triplet_satisfied_score)."""

import pickle

import numpy as np
import pytest
import sklearn
from sklearn.base import BaseEstimator, clone
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.exceptions import NotFittedError
from sklearn.metrics import get_scorer, roc_auc_score
from sklearn.model_selection import GridSearchCV, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from sk_metricembed import (
    BaselineEmbedder,
    ConstraintEmbedder,
    ConstraintKFold,
    SiameseAutoencoderEmbedder,
    TripletVAEEmbedder,
    knn_accuracy_scorer,
    make_embedding_scorer,
    pair_auc_score,
    sample_pairs,
    sample_triplets,
    triplet_satisfied_score,
)
from sk_metricembed._sklearn_compat import InvalidParameterError

FAST = dict(latent_dim=3, hidden_layer_sizes=(16,), batch_size=64, random_state=0)


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return (X[:200] / 16.0).astype(np.float32), y[:200]


class RecordingEmbedder(BaseEstimator):
    """An embedder without training: codes are the first two features, and the
    fit keeps what it was given, to check what each fold trains on."""

    def __init__(self, scale=1.0):
        self.scale = scale

    def fit(self, X, y=None, *, pairs=None, pair_labels=None, triplets=None):
        self.rows_seen_ = np.asarray(X)
        self.pairs_seen_, self.pair_labels_seen_ = pairs, pair_labels
        self.triplets_seen_ = triplets
        self.n_features_in_ = self.rows_seen_.shape[1]
        return self

    def transform(self, X):
        return self.scale * np.asarray(X, dtype=float)[:, :2]


class UntrainableEmbedder(RecordingEmbedder):
    """Fails any fit: an error raised before it comes before training."""

    def fit(self, X, y=None, *, pairs=None, pair_labels=None, triplets=None):
        raise AssertionError("fit was reached")


# -- ConstraintKFold ------------------------------------------------------


@pytest.mark.parametrize("n_splits", [2, 3, 5])
@pytest.mark.parametrize("dissimilar", [0, -1])
def test_pair_folds_test_each_pair_once_with_both_kinds_everywhere(
    n_splits, dissimilar
):
    rng = np.random.RandomState(0)
    pairs = rng.randint(0, 100, size=(60, 2))
    pairs[:, 1] = (pairs[:, 0] + 1 + rng.randint(0, 98, 60)) % 100
    # Unbalanced: 11 similar, 49 dissimilar.
    pair_labels = np.where(np.arange(60) < 11, 1, dissimilar)
    rng.shuffle(pair_labels)
    folds = list(ConstraintKFold(n_splits, random_state=0).split(pairs, pair_labels))
    assert len(folds) == n_splits
    tested = np.concatenate([test for _, test in folds])
    assert np.array_equal(np.sort(tested), np.arange(60))  # each pair once
    for train, test in folds:
        assert not np.intersect1d(train, test).size
        assert set(pair_labels[train]) == {1, dissimilar}
        assert set(pair_labels[test]) == {1, dissimilar}
        # Stratified: a test fold holds its share of the 11 similar pairs.
        n_similar = int((pair_labels[test] == 1).sum())
        assert 11 // n_splits <= n_similar <= -(-11 // n_splits)


def test_triplet_folds_test_each_triplet_once():
    triplets = np.c_[np.arange(31), np.arange(31) + 40, np.arange(31) + 80]
    folds = list(ConstraintKFold(4, random_state=0).split(triplets))
    tested = np.concatenate([test for _, test in folds])
    assert np.array_equal(np.sort(tested), np.arange(31))
    assert sorted(len(test) for _, test in folds) == [7, 8, 8, 8]
    # Shuffled: the first fold is not the first rows.
    assert not np.array_equal(folds[0][1], np.arange(8))


def test_split_is_reproducible_and_follows_the_seed():
    pairs = np.c_[np.arange(40), np.arange(40) + 50]
    pair_labels = np.arange(40) % 2

    def test_folds(cv):
        return [test.tolist() for _, test in cv.split(pairs, pair_labels)]

    assert test_folds(ConstraintKFold(4, random_state=3)) == test_folds(
        ConstraintKFold(4, random_state=3)
    )
    assert test_folds(ConstraintKFold(4, random_state=3)) != test_folds(
        ConstraintKFold(4, random_state=4)
    )
    unshuffled = ConstraintKFold(2, shuffle=False)
    assert test_folds(unshuffled)[0] == list(range(20))
    assert ConstraintKFold(4).get_n_splits(pairs, pair_labels) == 4


def test_split_refuses_too_few_pairs_of_a_kind():
    pairs = np.c_[np.arange(10), np.arange(10) + 10]
    two_similar = np.r_[1, 1, np.zeros(8, int)]
    with pytest.raises(ValueError, match=r"2 similar and 8 dissimilar.*n_splits=2"):
        list(ConstraintKFold(3).split(pairs, two_similar))
    one_kind = np.ones(10, int)
    with pytest.raises(ValueError, match="0 dissimilar pairs: add pairs of the miss"):
        list(ConstraintKFold(2).split(pairs, one_kind))
    # Two of each kind is enough for two folds.
    assert len(list(ConstraintKFold(2).split(pairs, np.r_[1, 1, two_similar[2:]])))


@pytest.mark.parametrize(
    "X, y, error, match",
    [
        ([[0, 1], [1, 2]], None, ValueError, "X holds pairs .* need their labels"),
        ([[0, 1, 2]], [1], ValueError, r"triplets .* but y was given"),
        ([0, 1, 2], None, ValueError, r"shape \(n_pairs, 2\).*got shape \(3,\)"),
        ([[0, 1, 2, 3]], None, ValueError, r"got shape \(1, 4\)"),
        ([[0.0, 1.0]], [1], TypeError, "X must hold integer row indices"),
        ([[0, 0]], [1], ValueError, "repeats an index"),
        ([[0, 1], [1, 2]], [1, 2], ValueError, r"y, the labels .* got \[1, 2\]"),
        ([[0, 1], [1, 2]], [1], ValueError, r"one label per pair \(2\)"),
        (np.zeros((2, 2, 5)), [1, 0], ValueError, "tuples_to_rows"),
    ],
    ids=[
        "pairs_without_y",
        "triplets_with_y",
        "one_dimensional",
        "four_columns",
        "float_indices",
        "self_pair",
        "labels_not_binary",
        "labels_too_few",
        "rows_not_indices",
    ],
)
def test_bad_constraints_are_refused_by_splitter_and_embedder(X, y, error, match):
    with pytest.raises(error, match=match):
        list(ConstraintKFold(2).split(X, y))
    meta = ConstraintEmbedder(UntrainableEmbedder(), rows=np.zeros((5, 3)))
    with pytest.raises(error, match=match):
        meta.fit(X, y)


# -- scores of held-out constraints ---------------------------------------


ROWS_1D = np.array([[0.0, 0.0], [0.1, 0.0], [0.3, 0.0], [5.0, 0.0], [5.5, 0.0]])
IDENTITY = FunctionTransformer().fit(ROWS_1D)


def test_pair_auc_is_one_when_separated_and_zero_when_reversed():
    pairs = np.array([[0, 1], [3, 4], [0, 3], [2, 4]])  # d: .1 .5 5 5.2
    assert pair_auc_score(IDENTITY, ROWS_1D, pairs, [1, 1, 0, 0]) == 1.0
    assert pair_auc_score(IDENTITY, ROWS_1D, pairs, [0, 0, 1, 1]) == 0.0
    # metric-learn's -1 for dissimilar is the same as 0.
    assert pair_auc_score(IDENTITY, ROWS_1D, pairs, [-1, -1, 1, 1]) == 0.0


def test_pair_auc_is_roc_auc_of_negative_distances():
    rng = np.random.RandomState(0)
    rows = rng.normal(size=(40, 5))
    pairs, pair_labels = sample_pairs(rng.randint(0, 3, 40), 80, random_state=0)
    distances = np.linalg.norm(rows[pairs[:, 0]] - rows[pairs[:, 1]], axis=1)
    expected = roc_auc_score(pair_labels, -distances)
    assert 0.05 < expected < 0.95  # a ranking that is neither extreme
    identity = FunctionTransformer().fit(rows)
    assert pair_auc_score(identity, rows, pairs, pair_labels) == pytest.approx(expected)


class PairDistanceSpy(RecordingEmbedder):
    """Distances from pair_distance(pairs, X), unlike those of its codes."""

    def pair_distance(self, pairs, X=None):
        self.asked_ = np.asarray(pairs)
        return -np.linalg.norm(self.transform(X)[pairs[:, 0]], axis=1)


def test_scores_use_the_embedders_pair_distance():
    spy = PairDistanceSpy().fit(ROWS_1D)
    pairs = np.array([[0, 1], [3, 4], [0, 3], [2, 4]])
    # Spy distances 0, -5, 0, -0.3, decisions 0, 5, 0, 0.3: of the four
    # (similar, dissimilar) comparisons one ties, one loses, two win.
    assert pair_auc_score(spy, ROWS_1D, pairs, [1, 1, 0, 0]) == 0.625
    assert spy.asked_.tolist() == pairs.tolist()
    triplets = np.array([[0, 1, 3], [3, 4, 0]])
    # d(a, p) = d(a, n) = -|code of a|: ties, never satisfied.
    assert triplet_satisfied_score(spy, ROWS_1D, triplets) == 0.0
    assert spy.asked_.tolist() == [[0, 1], [3, 4], [0, 3], [3, 0]]


class MetricLearnStyle(RecordingEmbedder):
    """metric-learn's pair_distance(pairs) takes rows, not indices and X."""

    def pair_distance(self, pairs):
        raise AssertionError("metric-learn's pair_distance is not called")


def test_a_pair_distance_without_X_falls_back_to_transform():
    learner = MetricLearnStyle().fit(ROWS_1D)
    pairs = np.array([[0, 1], [0, 3]])
    assert pair_auc_score(learner, ROWS_1D, pairs, [1, 0]) == 1.0


def test_triplet_satisfied_score_counts_like_a_loop():
    rng = np.random.RandomState(1)
    rows = rng.normal(size=(30, 4))
    triplets = sample_triplets(rng.randint(0, 3, 30), 200, random_state=1)
    identity = FunctionTransformer().fit(rows)
    for margin in (0.0, 0.5):
        expected = np.mean(
            [
                np.linalg.norm(rows[a] - rows[p]) + margin
                < np.linalg.norm(rows[a] - rows[n])
                for a, p, n in triplets
            ]
        )
        assert 0 < expected < 1
        score = triplet_satisfied_score(identity, rows, triplets, margin=margin)
        assert score == pytest.approx(expected)
    reversed_triplets = triplets[:, [0, 2, 1]]
    assert triplet_satisfied_score(identity, rows, triplets) + triplet_satisfied_score(
        identity, rows, reversed_triplets
    ) == pytest.approx(1.0)


def test_score_functions_refuse_bad_input():
    with pytest.raises(ValueError, match="holds 2 similar pairs only.*ConstraintKF"):
        pair_auc_score(IDENTITY, ROWS_1D, [[0, 1], [3, 4]], [1, 1])
    with pytest.raises(ValueError, match=r"indices must lie in \[0, 4\]"):
        pair_auc_score(IDENTITY, ROWS_1D, [[0, 9], [3, 4]], [1, 0])
    with pytest.raises(ValueError, match="pair_labels must hold 1"):
        pair_auc_score(IDENTITY, ROWS_1D, [[0, 1], [3, 4]], [1, 3])
    with pytest.raises(InvalidParameterError, match="margin"):
        triplet_satisfied_score(IDENTITY, ROWS_1D, [[0, 1, 2]], margin=-1.0)
    with pytest.raises(InvalidParameterError, match="embedder"):
        pair_auc_score("not an embedder", ROWS_1D, [[0, 1], [3, 4]], [1, 0])
    with pytest.raises(NotFittedError):
        pair_auc_score(PCA(1), ROWS_1D, [[0, 1], [3, 4]], [1, 0])
    rows_with_nan = ROWS_1D.copy()
    rows_with_nan[2, 0] = np.nan
    with pytest.raises(ValueError, match="FunctionTransformer embeds .* non-finite"):
        triplet_satisfied_score(IDENTITY, rows_with_nan, [[0, 1, 2]])


# -- ConstraintEmbedder ---------------------------------------------------


def test_each_fold_fits_every_row_and_only_its_training_constraints():
    rows = np.arange(60.0).reshape(20, 3)
    pairs = np.c_[np.arange(18), np.arange(18) + 2]
    pair_labels = np.arange(18) % 2
    result = cross_validate(
        ConstraintEmbedder(RecordingEmbedder(), rows=rows),
        pairs,
        pair_labels,
        cv=ConstraintKFold(3, random_state=0),
        return_estimator=True,
        return_indices=True,
    )
    for meta, train, test in zip(
        result["estimator"], result["indices"]["train"], result["indices"]["test"]
    ):
        fitted = meta.estimator_
        assert np.array_equal(fitted.rows_seen_, rows)  # every row, every fold
        assert fitted.pairs_seen_.tolist() == pairs[train].tolist()
        assert fitted.pair_labels_seen_.tolist() == pair_labels[train].tolist()
        assert fitted.triplets_seen_ is None
        seen = {tuple(pair) for pair in fitted.pairs_seen_.tolist()}
        assert not seen & {tuple(pair) for pair in pairs[test].tolist()}
        assert meta.n_features_in_ == 3
    # Codes are the first two columns, so every pair is at the same distance.
    assert np.allclose(result["test_score"], 0.5)


def test_triplet_fits_get_triplets_and_score_their_share():
    rows = np.array([[0.0, 0.0], [1.0, 0.0], [5.0, 0.0], [9.0, 0.0]])
    triplets = np.array([[0, 1, 2], [1, 0, 3], [3, 2, 0], [0, 3, 1]])
    meta = ConstraintEmbedder(RecordingEmbedder(), rows=rows).fit(triplets)
    assert meta.estimator_.triplets_seen_.tolist() == triplets.tolist()
    assert meta.estimator_.pairs_seen_ is None
    decision = meta.decision_function(triplets)
    # d(a, n) - d(a, p) of each triplet.
    assert decision.tolist() == [4.0, 7.0, 5.0, -8.0]
    assert meta.score(triplets) == 0.75 == np.mean(decision > 0)


def test_pair_score_is_roc_auc_of_the_decision_function():
    rows = np.random.RandomState(0).normal(size=(30, 2))
    pairs, pair_labels = sample_pairs(np.arange(30) % 3, 50, random_state=0)
    meta = ConstraintEmbedder(RecordingEmbedder(), rows=rows).fit(pairs, pair_labels)
    decision = meta.decision_function(pairs)
    distances = np.linalg.norm(rows[pairs[:, 0]] - rows[pairs[:, 1]], axis=1)
    assert np.allclose(decision, -distances)
    assert meta.score(pairs, pair_labels) == roc_auc_score(pair_labels, decision)
    # scikit-learn's own scorer reads the decision function alike, where it
    # takes a non-classifier's decision_function (1.9 does; 1.6 refuses).
    try:
        roc_auc = get_scorer("roc_auc")(meta, pairs, pair_labels)
    except ValueError as error:
        assert "should either be a classifier" in str(error)
        pytest.skip(f"scikit-learn {sklearn.__version__}: {error}")
    assert roc_auc == meta.score(pairs, pair_labels)


@pytest.mark.parametrize(
    "X, y, error, match",
    [
        ([[0, 5], [1, 2]], [1, 0], ValueError, r"in \[0, 5\], but rows has 5 rows"),
        ([[0, 1], [1, 2]], [1, 1], ValueError, r"2 pairs, all similar.*ConstraintK"),
        ([[0, 1], [1, 2]], [0, -1], ValueError, "all dissimilar"),
        ([[-1, 1, 2]], None, ValueError, r"in \[-1, 2\]"),
    ],
    ids=["out_of_rows", "all_similar", "all_dissimilar", "negative_index"],
)
def test_fit_refuses_before_training(X, y, error, match):
    meta = ConstraintEmbedder(UntrainableEmbedder(), rows=np.zeros((5, 3)))
    with pytest.raises(error, match=match):
        meta.fit(X, y)
    assert not hasattr(meta, "estimator_")


def test_fit_refuses_estimators_and_rows_it_cannot_use():
    pairs, pair_labels = [[0, 1], [1, 2]], [1, 0]
    with pytest.raises(TypeError, match=r"estimator=PCA\(\).*takes no pairs="):
        ConstraintEmbedder(PCA(), rows=np.zeros((5, 3))).fit(pairs, pair_labels)
    with pytest.raises(InvalidParameterError, match="'rows' parameter"):
        ConstraintEmbedder(RecordingEmbedder(), rows=None).fit(pairs, pair_labels)
    with pytest.raises(InvalidParameterError, match="'estimator' parameter"):
        ConstraintEmbedder("siamese", rows=np.zeros((5, 3))).fit(pairs, pair_labels)


def test_score_and_decision_refuse_bad_constraints():
    rows = np.random.RandomState(0).normal(size=(6, 2))
    meta = ConstraintEmbedder(RecordingEmbedder(), rows=rows)
    with pytest.raises(NotFittedError):
        meta.score([[0, 1], [1, 2]], [1, 0])
    meta.fit([[0, 1], [1, 2]], [1, 0])
    with pytest.raises(ValueError, match=r"score: X holds row indices in \[0, 6\]"):
        meta.score([[0, 6], [1, 2]], [1, 0])
    with pytest.raises(ValueError, match="score: X holds pairs .* need their labels"):
        meta.score([[0, 1], [1, 2]])
    with pytest.raises(ValueError, match="holds 2 similar pairs only"):
        meta.score([[0, 1], [1, 2]], [1, 1])
    with pytest.raises(ValueError, match="decision_function: X holds row indices"):
        meta.decision_function([[0, 1, 7]])


def test_nested_parameters_clone_and_delegation():
    rows = np.random.RandomState(0).normal(size=(12, 4))
    meta = ConstraintEmbedder(RecordingEmbedder(scale=2.0), rows=rows)
    params = meta.get_params()
    assert params["estimator__scale"] == 2.0 and params["rows"] is rows
    meta.set_params(estimator__scale=3.0)
    assert meta.estimator.scale == 3.0
    copy = clone(meta)
    assert copy.estimator is not meta.estimator and copy.estimator.scale == 3.0
    assert np.array_equal(copy.rows, rows)
    with pytest.raises(NotFittedError):
        copy.transform(rows)
    assert not hasattr(copy, "n_features_in_")
    copy.fit([[0, 1], [2, 3]], [1, 0])
    assert np.allclose(copy.transform(rows), 3.0 * rows[:, :2])
    assert copy.n_features_in_ == 4
    # Methods the estimator lacks are absent, not broken.
    assert not hasattr(copy, "inverse_transform")
    assert not hasattr(copy, "get_feature_names_out")


def test_grid_search_on_pairs_alone_trains_every_row(digits):
    X, y = digits
    pairs, pair_labels = sample_pairs(y, 300, random_state=0)
    search = GridSearchCV(
        ConstraintEmbedder(SiameseAutoencoderEmbedder(max_epochs=2, **FAST), rows=X),
        {"estimator__weight": [0.3, 0.9]},
        cv=ConstraintKFold(3, random_state=0),
        error_score="raise",
    ).fit(pairs, pair_labels)
    scores = search.cv_results_["mean_test_score"]
    assert np.all((scores > 0.5) & (scores <= 1.0)), scores  # better than chance
    best = search.best_estimator_
    assert best.estimator_.weight == search.best_params_["estimator__weight"]
    assert best.estimator_.n_features_in_ == X.shape[1] == best.n_features_in_
    assert best.transform(X).shape == (len(X), 3)
    assert best.inverse_transform(best.transform(X[:5])).shape == (5, X.shape[1])
    assert best.get_feature_names_out().tolist()[0] == "siameseautoencoderembedder0"
    # Scored with the embedder's own pair_distance on the rows.
    assert np.allclose(
        best.decision_function(pairs), -best.estimator_.pair_distance(pairs, X)
    )
    assert search.score(pairs, pair_labels) == pytest.approx(
        roc_auc_score(pair_labels, best.decision_function(pairs))
    )


def test_grid_search_on_triplets_alone(digits):
    X, y = digits
    triplets = sample_triplets(y, 300, random_state=0)
    search = GridSearchCV(
        ConstraintEmbedder(TripletVAEEmbedder(max_epochs=2, **FAST), rows=X),
        {"estimator__weight": [0.3, 0.9]},
        cv=ConstraintKFold(3, random_state=0),
        error_score="raise",
    ).fit(triplets)
    scores = search.cv_results_["mean_test_score"]
    assert np.all((scores > 0.5) & (scores <= 1.0)), scores
    fitted = search.best_estimator_.estimator_
    assert isinstance(fitted, TripletVAEEmbedder)
    assert fitted.n_features_in_ == X.shape[1]
    assert search.best_estimator_.score(triplets) == pytest.approx(
        np.mean(search.best_estimator_.decision_function(triplets) > 0)
    )


def test_a_pipeline_and_the_baselines_in_one_search_on_pairs(digits):
    # A scaler then the embedder gets the pairs at its last step; PCA and
    # the raw features, as BaselineEmbedder, score the same held-out pairs.
    X, y = digits
    pairs, pair_labels = sample_pairs(y, 300, random_state=0)
    embedder = SiameseAutoencoderEmbedder(max_epochs=2, **FAST)
    candidates = [
        make_pipeline(StandardScaler(), embedder),
        BaselineEmbedder(PCA(3)),
        BaselineEmbedder(),
    ]
    search = GridSearchCV(
        ConstraintEmbedder(embedder, rows=X),
        {"estimator": candidates},
        cv=ConstraintKFold(3, random_state=0),
        error_score="raise",
    ).fit(pairs, pair_labels)
    scores = search.cv_results_["mean_test_score"]
    assert np.all((scores > 0.5) & (scores <= 1.0)), scores
    pipeline = ConstraintEmbedder(candidates[0], rows=X).fit(pairs, pair_labels)
    fitted = pipeline.estimator_.steps[-1][1]
    assert fitted.history_[-1]["constraint_loss"] > 0  # the pairs trained it
    baseline = ConstraintEmbedder(candidates[1], rows=X).fit(pairs, pair_labels)
    np.testing.assert_allclose(
        baseline.transform(X), PCA(3).fit(X).transform(X), rtol=1e-5, atol=1e-5
    )


def test_label_scorers_refuse_a_constraint_search_by_name(digits):
    # A search on pairs scores pairs: a label scorer is refused with the
    # reason, not with a feature-count error from the embedder.
    X, y = digits
    pairs, pair_labels = sample_pairs(y, 100, random_state=0)
    fitted = ConstraintEmbedder(RecordingEmbedder(), rows=X).fit(pairs, pair_labels)
    with pytest.raises(TypeError, match="fitted and scored on constraints"):
        knn_accuracy_scorer(fitted, pairs, pair_labels)
    with pytest.raises(ValueError, match=r"also needs \['pairs', 'pair_labels'\]"):
        make_embedding_scorer(pair_auc_score)


def test_pickled_meta_estimator_embeds_and_scores_alike(digits):
    X, y = digits
    pairs, pair_labels = sample_pairs(y, 100, random_state=1)
    meta = ConstraintEmbedder(
        SiameseAutoencoderEmbedder(max_epochs=1, **FAST), rows=X
    ).fit(pairs, pair_labels)
    loaded = pickle.loads(pickle.dumps(meta))
    assert np.allclose(loaded.transform(X), meta.transform(X))
    assert loaded.score(pairs, pair_labels) == meta.score(pairs, pair_labels)
    assert loaded.get_params()["estimator__max_epochs"] == 1


def test_boolean_pair_labels_mean_similar_and_dissimilar():
    rows = np.random.RandomState(0).normal(size=(30, 2))
    pairs, pair_labels = sample_pairs(np.arange(30) % 3, 50, random_state=0)
    as_bool = pair_labels == 1
    folds = list(ConstraintKFold(3, random_state=0).split(pairs, pair_labels))
    for (train, test), (train_b, test_b) in zip(
        folds, ConstraintKFold(3, random_state=0).split(pairs, as_bool)
    ):
        assert np.array_equal(train, train_b) and np.array_equal(test, test_b)
    meta = ConstraintEmbedder(RecordingEmbedder(), rows=rows)
    assert meta.fit(pairs, as_bool).score(pairs, as_bool) == meta.fit(
        pairs, pair_labels
    ).score(pairs, pair_labels)
