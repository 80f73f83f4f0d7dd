"""Tests of sk_metricembed.metrics against brute-force references."""

import itertools

import numpy as np
import pytest
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from sk_metricembed.metrics import (
    knn_accuracy_score,
    knn_accuracy_scorer,
    make_embedding_scorer,
    triplet_accuracy_score,
    triplet_accuracy_scorer,
)
from sk_metricembed.metrics._scorer import _fitted_reference


def _brute_triplet_accuracy(X, y, margin=0.0):
    labeled = np.flatnonzero(y >= 0)
    satisfied = total = 0
    for a, p, n in itertools.permutations(labeled, 3):
        if y[a] == y[p] and y[a] != y[n]:
            total += 1
            d_ap = np.linalg.norm(X[a] - X[p])
            satisfied += d_ap + margin < np.linalg.norm(X[a] - X[n])
    return satisfied / total


def _brute_knn_accuracy(X, y, n_neighbors):
    labeled = np.flatnonzero(y >= 0)
    correct = 0
    for i in labeled:
        others = labeled[labeled != i]
        nearest = others[np.argsort(np.linalg.norm(X[others] - X[i], axis=1))]
        votes = y[nearest[:n_neighbors]]
        counts = {label: np.sum(votes == label) for label in votes}
        best = max(counts.values())
        # Tie: the class of the nearest neighbour among the tied classes.
        predicted = next(label for label in votes if counts[label] == best)
        correct += predicted == y[i]
    return correct / len(labeled)


def _random_data(seed, n_samples=30, n_classes=3, n_features=2):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n_samples, n_features))
    y = rng.randint(n_classes, size=n_samples)
    y[rng.rand(n_samples) < 0.2] = -1
    return X, y


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("margin", [0.0, 0.3])
def test_triplet_accuracy_matches_brute_force(seed, margin):
    X, y = _random_data(seed)
    expected = _brute_triplet_accuracy(X, y, margin)
    assert 0.0 < expected < 1.0
    got = triplet_accuracy_score(X, y, margin=margin, n_triplets=None)
    assert got == pytest.approx(expected, abs=1e-12)


def test_exact_count_when_few_triplets_and_chunked(monkeypatch):
    X, y = _random_data(5, n_samples=25)
    expected = _brute_triplet_accuracy(X, y)
    # More requested triplets than exist: the count is exact, whatever the seed.
    assert triplet_accuracy_score(X, y, random_state=1) == pytest.approx(expected)
    # Anchors split over several chunks give the same count.
    monkeypatch.setattr("sk_metricembed.metrics._label_scores._CHUNK_SIZE", 7)
    assert triplet_accuracy_score(X, y, n_triplets=None) == pytest.approx(expected)


def test_triplet_ties_are_not_satisfied():
    # Anchor 0 has its positive and negative at distance 1: not satisfied;
    # anchor 1 (positive at 1, negative at 2) is.
    X = np.array([[0.0], [1.0], [-1.0]])
    assert triplet_accuracy_score(X, [0, 0, 1]) == 0.5
    # Duplicated rows: every distance is zero, no triplet satisfied.
    assert triplet_accuracy_score(np.zeros((4, 2)), [0, 0, 1, 1]) == 0.0


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("n_neighbors", [1, 2, 4, 5])
def test_knn_accuracy_matches_brute_force(seed, n_neighbors):
    X, y = _random_data(seed, n_samples=40)
    expected = _brute_knn_accuracy(X, y, n_neighbors)
    assert knn_accuracy_score(X, y, n_neighbors=n_neighbors) == pytest.approx(expected)


def test_knn_tie_goes_to_nearest_neighbours_class():
    # Rows 0 and 2 see one neighbour of each class: the nearest one's class
    # wins, wrong for row 0 and right for row 2 (the smallest label would make
    # both right); row 1, the only row of its class, is not scored.
    X = np.array([[0.0], [1.0], [-2.0], [1.1], [-2.1]])
    y = np.array([0, 1, 0, 1, 0])
    with pytest.warns(UserWarning, match="left out 1 of 3"):
        assert knn_accuracy_score(X[:3], y[:3], n_neighbors=2) == pytest.approx(1 / 2)
    assert knn_accuracy_score(X, y, n_neighbors=2) == pytest.approx(
        _brute_knn_accuracy(X, y, 2)
    )


def test_unlabeled_rows_are_ignored():
    X, y = _random_data(7, n_samples=40)
    rng = np.random.RandomState(0)
    X_more = np.vstack([X, rng.normal(scale=0.01, size=(30, 2))])
    y_more = np.r_[y, np.full(30, -1)]
    assert triplet_accuracy_score(X_more, y_more, n_triplets=None) == (
        triplet_accuracy_score(X, y, n_triplets=None)
    )
    assert triplet_accuracy_score(X_more, y_more, n_triplets=500, random_state=3) == (
        triplet_accuracy_score(X, y, n_triplets=500, random_state=3)
    )
    assert knn_accuracy_score(X_more, y_more) == knn_accuracy_score(X, y)


@pytest.mark.parametrize("n_classes", [4, 20])
def test_sampling_is_deterministic_and_close_to_exact(n_classes):
    # 20 classes of about 3 rows: drawing the anchor as its own positive
    # would bias the estimate far beyond the tolerance.
    X, y = _random_data(8, n_samples=60, n_classes=n_classes)
    exact = triplet_accuracy_score(X, y, n_triplets=None)
    first = triplet_accuracy_score(X, y, n_triplets=2000, random_state=42)
    assert first == triplet_accuracy_score(X, y, n_triplets=2000, random_state=42)
    assert first != triplet_accuracy_score(X, y, n_triplets=2000, random_state=43)
    assert first == pytest.approx(exact, abs=0.03)


def test_sampling_is_uniform_over_triplets():
    # A big class spread on a circle around four tight pairs: the pairs' few
    # triplets are all satisfied, a third of the big class's are. Drawing
    # anchors uniformly over rows rather than triplets would over-weight the
    # pairs (12% of rows, 2% of triplets) and lift the estimate by about 0.07.
    angle = np.linspace(0, 2 * np.pi, 60, endpoint=False)
    ring = 10 * np.c_[np.cos(angle), np.sin(angle)]
    centers = np.repeat([[0.5, 0], [-0.5, 0], [0, 0.5], [0, -0.5]], 2, axis=0)
    pairs = centers + np.tile([[0, 0], [0, 0.01]], (4, 1))
    X, y = (
        np.vstack([ring, pairs]),
        np.r_[np.zeros(60, int), np.repeat([1, 2, 3, 4], 2)],
    )
    exact = triplet_accuracy_score(X, y, n_triplets=None)
    assert exact == pytest.approx(0.35, abs=0.03)
    sampled = triplet_accuracy_score(X, y, n_triplets=20000, random_state=0)
    assert sampled == pytest.approx(exact, abs=0.015)


def test_sampled_score_on_random_embedding_is_one_half():
    # Speed is measured in benchmarks/, never asserted here.
    rng = np.random.RandomState(0)
    X, y = rng.normal(size=(10000, 20)), rng.randint(10, size=10000)
    score = triplet_accuracy_score(X, y, random_state=0)
    assert score == pytest.approx(0.5, abs=0.03)


def test_perfect_separation_scores_one():
    rng = np.random.RandomState(0)
    centers = np.repeat(np.eye(3) * 100, 10, axis=0)
    X, y = centers + rng.normal(size=(30, 3)), np.repeat([0, 1, 2], 10)
    assert triplet_accuracy_score(X, y, n_triplets=None) == 1.0
    assert triplet_accuracy_score(X, y, n_triplets=100, random_state=0) == 1.0
    assert knn_accuracy_score(X, y) == 1.0


def test_integral_float_labels_are_accepted():
    X, y = _random_data(2)
    assert knn_accuracy_score(X, y.astype(float)) == knn_accuracy_score(X, y)


X_OK, Y_OK = _random_data(0)
# scikit-learn's InvalidParameterError (a ValueError and a TypeError) names the
# parameter, the function, the valid range and the value received.
MARGIN_RANGE = (
    r"'margin' parameter of triplet_accuracy_score must be a float in the range "
    r"\[0.0, inf\)"
)
N_TRIPLETS_RANGE = (
    r"'n_triplets' parameter of triplet_accuracy_score must be an int in the "
    r"range \[1, inf\) or None"
)


@pytest.mark.parametrize(
    "X, y, kwargs, error, match",
    [
        (X_OK, Y_OK, {"margin": -0.1}, ValueError, MARGIN_RANGE),
        (X_OK, Y_OK, {"margin": np.inf}, ValueError, MARGIN_RANGE),
        (X_OK, Y_OK, {"margin": np.nan}, ValueError, MARGIN_RANGE),
        (X_OK, Y_OK, {"margin": "1"}, TypeError, MARGIN_RANGE),
        (X_OK, Y_OK, {"n_triplets": 0}, ValueError, N_TRIPLETS_RANGE),
        (X_OK, Y_OK, {"n_triplets": 10.0}, TypeError, N_TRIPLETS_RANGE),
        (X_OK, Y_OK, {"n_triplets": "10"}, TypeError, N_TRIPLETS_RANGE),
        (X_OK, Y_OK, {"random_state": "seed"}, TypeError, "'random_state' param"),
        (X_OK, Y_OK[:-1], {}, ValueError, "inconsistent numbers of samples"),
        (X_OK[:, 0], Y_OK, {}, ValueError, "Expected 2D array"),
        (np.where(Y_OK[:, None] == 0, np.nan, X_OK), Y_OK, {}, ValueError, "NaN"),
        (X_OK, Y_OK.reshape(-1, 2), {}, ValueError, "y must be 1-D"),
        (X_OK, np.where(Y_OK == 0, -2, Y_OK), {}, ValueError, "below -1"),
        (X_OK, Y_OK + 0.5, {}, ValueError, "y must hold class labels, got the"),
        (X_OK, np.array(["a"] * 15 + [1.5] * 15, dtype=object), {}, TypeError, "mix"),
        (X_OK, np.r_[0, np.full(29, -1)], {}, ValueError, r"class sizes \[1\]"),
        (X_OK, np.r_[0, 0, 0, np.full(27, -1)], {}, ValueError, "at least 2 classes"),
        (X_OK, np.r_[0, 1, 2, np.full(27, -1)], {}, ValueError, "too few labeled"),
    ],
)
def test_triplet_accuracy_errors(X, y, kwargs, error, match):
    with pytest.raises(error, match=match):
        triplet_accuracy_score(X, y, **kwargs)


@pytest.mark.parametrize(
    "y, kwargs, match",
    [
        (
            Y_OK,
            {"n_neighbors": 0},
            r"'n_neighbors' parameter of knn_accuracy_score must be an int in the "
            r"range \[1, inf\). Got 0 instead",
        ),
        (Y_OK, {"n_neighbors": 2.5}, "'n_neighbors' parameter .* Got 2.5 instead"),
        (np.r_[0, 1, 0, 1, 0, np.full(25, -1)], {}, "more labeled rows .* got 5"),
        (Y_OK + 0.5, {}, "non-integer value"),
    ],
)
def test_knn_accuracy_errors(y, kwargs, match):
    with pytest.raises(ValueError, match=match):
        knn_accuracy_score(X_OK, y, **kwargs)


def test_scorer_repr_and_factory():
    assert repr(triplet_accuracy_scorer) == (
        "make_embedding_scorer(triplet_accuracy_score, random_state=0)"
    )
    assert repr(knn_accuracy_scorer) == "make_embedding_scorer(knn_accuracy_score)"
    scorer = make_embedding_scorer(knn_accuracy_score, n_neighbors=1)
    X, y = _random_data(3)
    pca = PCA(n_components=2).fit(X)
    assert scorer(pca, X, y) == knn_accuracy_score(pca.transform(X), y, n_neighbors=1)
    with pytest.raises(TypeError, match="'score_func' parameter .* must be a callable"):
        make_embedding_scorer("knn_accuracy_score")
    with pytest.raises(ValueError, match="needs the labels y"):
        scorer(pca, X, None)


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    X, y = X[:400], y[:400].copy()
    y[np.random.RandomState(0).rand(len(y)) < 0.3] = -1
    return X, y


def test_scorers_in_cross_val_score(digits):
    X, y = digits
    pca = PCA(n_components=2, svd_solver="covariance_eigh")
    pipeline = Pipeline([("scale", StandardScaler()), ("pca", pca)])
    cv = KFold(3, shuffle=True, random_state=0)
    for scorer, score_func in [
        (triplet_accuracy_scorer, triplet_accuracy_score),
        (knn_accuracy_scorer, knn_accuracy_score),
    ]:
        scores = cross_val_score(pipeline, X, y, scoring=scorer, cv=cv)
        assert scores.shape == (3,) and np.all((scores > 0.3) & (scores <= 1.0))
        # The fold's score is the score of the fold's embedding.
        train, test = next(cv.split(X))
        embedded = pipeline.fit(X[train]).transform(X[test])
        expected = (
            score_func(embedded, y[test], random_state=0)
            if scorer is triplet_accuracy_scorer
            else score_func(embedded, y[test])
        )
        assert scores[0] == pytest.approx(expected)


def test_scorers_in_multi_metric_grid_search(digits):
    X, y = digits
    search = GridSearchCV(
        PCA(svd_solver="covariance_eigh"),
        {"n_components": [1, 10]},
        scoring={"triplet": triplet_accuracy_scorer, "knn": knn_accuracy_scorer},
        refit="knn",
        cv=3,
    ).fit(X, y)
    results = search.cv_results_
    assert np.all(np.diff(results["mean_test_triplet"]) > 0)
    assert np.all(np.diff(results["mean_test_knn"]) > 0)
    assert search.best_params_ == {"n_components": 10}
    assert search.best_estimator_.n_components_ == 10


# -- scores against a reference: the labelled rows an embedder was fitted on --


def _brute_reference_triplet_accuracy(X, y, X_ref, y_ref):
    """Anchors: labelled rows of X; positives, negatives: X and X_ref's."""
    pool_X, pool_y = np.vstack([X, X_ref]), np.r_[y, y_ref]
    satisfied = total = 0
    for a in np.flatnonzero(y >= 0):
        for p in np.flatnonzero(pool_y == y[a]):
            if p == a:
                continue
            for n in np.flatnonzero((pool_y >= 0) & (pool_y != y[a])):
                total += 1
                d_ap = np.linalg.norm(pool_X[a] - pool_X[p])
                satisfied += d_ap < np.linalg.norm(pool_X[a] - pool_X[n])
    return satisfied / total


def _brute_reference_knn_accuracy(X, y, X_ref, y_ref, n_neighbors):
    X_ref, y_ref = X_ref[y_ref >= 0], y_ref[y_ref >= 0]
    correct = labeled = 0
    for i in np.flatnonzero(y >= 0):
        nearest = np.argsort(np.linalg.norm(X_ref - X[i], axis=1), kind="stable")
        votes = y_ref[nearest[:n_neighbors]]
        counts = {label: np.sum(votes == label) for label in votes}
        best = max(counts.values())
        predicted = next(label for label in votes if counts[label] == best)
        correct += predicted == y[i]
        labeled += 1
    return correct / labeled


def _one_labeled_row_per_class(seed, n_classes=3):
    """A held-out fold with one labelled row per class, and a reference."""
    rng = np.random.RandomState(seed)
    X_ref = rng.normal(size=(24, 2)) + np.repeat(np.eye(3, 2) * 3, 8, axis=0)
    y_ref = np.repeat(np.arange(n_classes), 8)
    y_ref[rng.rand(24) < 0.2] = -1
    X = rng.normal(size=(6, 2)) + np.r_[np.eye(3, 2) * 3, np.zeros((3, 2))]
    y = np.r_[np.arange(n_classes), -1, -1, -1]
    return X, y, X_ref, y_ref


@pytest.mark.parametrize("seed", range(3))
def test_triplet_accuracy_with_reference_matches_brute_force(seed):
    X, y, X_ref, y_ref = _one_labeled_row_per_class(seed)
    with pytest.raises(ValueError, match="class sizes"):
        triplet_accuracy_score(X, y)  # no triplet among one row per class
    expected = _brute_reference_triplet_accuracy(X, y, X_ref, y_ref)
    assert 0.0 < expected < 1.0
    exact = triplet_accuracy_score(
        X, y, n_triplets=None, X_reference=X_ref, y_reference=y_ref
    )
    assert exact == pytest.approx(expected, abs=1e-12)
    sampled = triplet_accuracy_score(
        X, y, n_triplets=3000, random_state=0, X_reference=X_ref, y_reference=y_ref
    )
    assert sampled == pytest.approx(expected, abs=0.03)


def test_reference_rows_are_never_anchors():
    # Pooling the fold with the reference would also anchor the reference's
    # rows: a different score than the brute force over the fold's anchors.
    X, y, X_ref, y_ref = _one_labeled_row_per_class(1)
    score = triplet_accuracy_score(
        X, y, n_triplets=None, X_reference=X_ref, y_reference=y_ref
    )
    pooled = triplet_accuracy_score(
        np.vstack([X, X_ref]), np.r_[y, y_ref], n_triplets=None
    )
    assert score == pytest.approx(_brute_reference_triplet_accuracy(X, y, X_ref, y_ref))
    assert abs(score - pooled) > 0.01


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("n_neighbors", [1, 3, 5])
def test_knn_accuracy_with_reference_matches_brute_force(seed, n_neighbors):
    X, y, X_ref, y_ref = _one_labeled_row_per_class(seed)
    # Leave-one-out among one row per class can place no row: unscorable.
    with pytest.raises(ValueError, match="no labeled row to score"):
        knn_accuracy_score(X[:3], y[:3], n_neighbors=1)
    expected = _brute_reference_knn_accuracy(X, y, X_ref, y_ref, n_neighbors)
    got = knn_accuracy_score(
        X, y, n_neighbors=n_neighbors, X_reference=X_ref, y_reference=y_ref
    )
    assert got == pytest.approx(expected)
    assert got > 0.5


def test_knn_reference_classes_unseen_in_the_fold_and_the_other_way_round():
    # The fold's class 2 has no reference row: no vote can place it, so it
    # is left out with a warning; a reference class absent from the fold
    # still votes (the row at 4.9 is nearest to class 1's reference rows).
    X_ref, y_ref = np.array([[0.0], [0.1], [5.0], [5.1]]), np.array([0, 0, 1, 1])
    X, y = np.array([[0.05], [9.0], [4.9], [5.05]]), np.array([0, 2, 0, -1])
    with pytest.warns(UserWarning, match=r"left out 1 of 3 labeled rows .*\[2\]"):
        got = knn_accuracy_score(
            X, y, n_neighbors=1, X_reference=X_ref, y_reference=y_ref
        )
    assert got == 0.5
    with pytest.raises(ValueError, match=r"no labeled row to score.*\[2\]"):
        knn_accuracy_score(
            X[1:2], y[1:2], n_neighbors=1, X_reference=X_ref, y_reference=y_ref
        )


def test_knn_leave_one_out_scores_the_rows_another_row_of_their_class_can_place():
    X = np.array([[0.0], [0.1], [0.2], [5.0], [5.1], [9.0]])
    y = np.array([0, 0, 0, 1, 1, 2])
    with pytest.warns(UserWarning, match=r"left out 1 of 6 .*\[2\].*no other"):
        assert knn_accuracy_score(X, y, n_neighbors=1) == 1.0


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"X_reference": X_OK}, "got X_reference without y_reference"),
        ({"y_reference": Y_OK}, "got y_reference without X_reference"),
        (
            {"X_reference": X_OK[:, :1], "y_reference": Y_OK},
            "X_reference has 1 columns but X_embedded has 2",
        ),
        (
            {"X_reference": X_OK, "y_reference": Y_OK[:-1]},
            "inconsistent numbers of samples",
        ),
        (
            {"X_reference": X_OK, "y_reference": Y_OK - 2},
            "y_reference holds labels below -1",
        ),
    ],
)
@pytest.mark.parametrize("score", [triplet_accuracy_score, knn_accuracy_score])
def test_reference_errors(score, kwargs, match):
    with pytest.raises(ValueError, match=match):
        score(X_OK, Y_OK, **kwargs)


def test_reference_errors_name_what_is_missing_and_the_fix():
    X_ref, y_ref = X_OK, Y_OK
    unlabeled = np.full(len(Y_OK), -1)
    with pytest.raises(ValueError, match="no labeled row .*SemiSupervisedKFold"):
        knn_accuracy_score(X_OK, unlabeled, X_reference=X_ref, y_reference=y_ref)
    with pytest.raises(ValueError, match="at least n_neighbors=5 labeled reference"):
        knn_accuracy_score(
            X_OK, Y_OK, X_reference=X_ref[:4], y_reference=np.r_[0, 1, 0, 1]
        )
    # An empty reference (a fit without labels) scores nothing by accident.
    empty = np.empty((0, 2)), np.empty(0, dtype=int)
    with pytest.raises(ValueError, match="got 0; .*SemiSupervisedKFold"):
        knn_accuracy_score(X_OK, Y_OK, X_reference=empty[0], y_reference=empty[1])
    assert triplet_accuracy_score(
        X_OK, Y_OK, X_reference=empty[0], y_reference=empty[1]
    ) == triplet_accuracy_score(X_OK, Y_OK)
    with pytest.raises(ValueError, match="0 labeled rows to anchor .* fewer folds"):
        triplet_accuracy_score(X_OK, unlabeled, X_reference=X_ref, y_reference=y_ref)
    with pytest.raises(ValueError, match=r"class sizes \[2\] \(reference rows"):
        triplet_accuracy_score(X_OK[:1], [0], X_reference=X_OK[:1], y_reference=[0])


class _FittedReference(TransformerMixin, BaseEstimator):
    """An identity 'embedder' that keeps a reference, as the embedders do."""

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return np.asarray(X, dtype=float)


class _Scale(_FittedReference):
    """A step after the embedder: multiplies the rows by ``factor``."""

    def __init__(self, factor=1.0):
        self.factor = factor

    def transform(self, X):
        return self.factor * np.asarray(X, dtype=float)


class _NoTransform:
    def fit(self, X, y=None):
        return self


def _with_reference(X_ref, y_ref):
    estimator = _FittedReference()
    estimator.embedding_labeled_, estimator.labels_labeled_ = X_ref, y_ref
    return estimator


def test_scorers_use_the_estimators_reference():
    X, y, X_ref, y_ref = _one_labeled_row_per_class(0)
    estimator = _with_reference(X_ref, y_ref)
    expected_knn = knn_accuracy_score(X, y, X_reference=X_ref, y_reference=y_ref)
    expected_triplet = triplet_accuracy_score(
        X, y, random_state=0, X_reference=X_ref, y_reference=y_ref
    )
    assert knn_accuracy_scorer(estimator, X, y) == expected_knn
    assert triplet_accuracy_scorer(estimator, X, y) == expected_triplet
    # A pipeline's last step and a search's best estimator hold it.
    pipeline = Pipeline([("scale", "passthrough"), ("embed", estimator)])
    assert knn_accuracy_scorer(pipeline, X, y) == expected_knn
    search = GridSearchCV(pipeline, {"scale": ["passthrough"]})
    search.best_estimator_ = pipeline
    assert knn_accuracy_scorer(search, X, y) == expected_knn
    # A step after the embedder maps the reference as it maps the scored
    # rows: the pipeline's output is scored in one space, against the fit.
    scale = _Scale(3.0)
    after = Pipeline([("embed", estimator), ("scale", scale), ("none", None)])
    expected_scaled = knn_accuracy_score(
        3.0 * X, y, X_reference=3.0 * X_ref, y_reference=y_ref
    )
    assert knn_accuracy_scorer(after, X, y) == expected_scaled
    # A later step that cannot map the reference leaves none.
    no_transform = Pipeline([("embed", estimator), ("last", _NoTransform())])
    assert _fitted_reference(no_transform) is None
    # A reference given to the factory wins over the estimator's.
    scorer = make_embedding_scorer(
        knn_accuracy_score, n_neighbors=1, X_reference=X[:3], y_reference=y[:3]
    )
    assert scorer(estimator, X, y) == 1.0


def test_scorers_without_a_reference_score_the_fold_alone():
    X, y = _random_data(4, n_samples=40)
    pca = PCA(n_components=2).fit(X)
    assert knn_accuracy_scorer(pca, X, y) == knn_accuracy_score(pca.transform(X), y)
    # A score function without reference arguments gets none.
    scorer = make_embedding_scorer(lambda X_embedded, y: float(len(y)))
    assert scorer(_with_reference(X[:3], y[:3]), X, y) == len(y)
    # Fitted without a label, an embedder's reference is empty: the fold
    # alone, as for a PCA (it raised: no labeled reference rows).
    unlabeled = _with_reference(np.empty((0, X.shape[1])), np.empty(0, dtype=int))
    assert knn_accuracy_scorer(unlabeled, X, y) == knn_accuracy_score(X, y)
    assert triplet_accuracy_scorer(unlabeled, X, y) == triplet_accuracy_score(
        X, y, random_state=0
    )
