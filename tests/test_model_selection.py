"""Model selection with -1 labels: SemiSupervisedKFold, the embedders inside
Pipelines and GridSearchCV, and the scorers on folds with few labels."""

import pickle
import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.model_selection import (
    GridSearchCV,
    KFold,
    StratifiedKFold,
    cross_val_score,
    cross_validate,
)
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sk_metricembed import (
    HOGTransformer,
    SemiSupervisedKFold,
    TripletVAEEmbedder,
    knn_accuracy_score,
    knn_accuracy_scorer,
    triplet_accuracy_score,
    triplet_accuracy_scorer,
)


def _digits_with_hidden_labels():
    X, y = load_digits(return_X_y=True)
    X, y = X[:600], y[:600].copy()
    y[np.random.RandomState(0).permutation(600)[:300]] = -1
    return X, y


def test_hog_pipeline_grid_search_picks_the_metric_weight():
    X, y = _digits_with_hidden_labels()
    pipeline = make_pipeline(
        HOGTransformer(pixels_per_cell=(4, 4), cells_per_block=(2, 2)),
        StandardScaler(),
        TripletVAEEmbedder(
            max_epochs=8,
            hidden_layer_sizes=(64,),
            random_state=0,
            neighbor_weight=0.0,
            supervised_contrastive_weight=0.0,
        ),
    )
    search = GridSearchCV(
        pipeline,
        {
            "tripletvaeembedder__weight": [0.0, 0.7],
            "tripletvaeembedder__latent_dim": [4],
        },
        scoring={"triplet": triplet_accuracy_scorer, "knn": knn_accuracy_scorer},
        refit="triplet",
        cv=StratifiedKFold(2, shuffle=True, random_state=0),
    )
    search.fit(X, y)
    assert search.best_params_["tripletvaeembedder__weight"] == 0.7
    assert set(search.cv_results_) >= {"mean_test_triplet", "mean_test_knn"}
    assert search.transform(X).shape == (600, 4)


def test_grid_search_runs_in_two_processes():
    X, y = _digits_with_hidden_labels()
    search = GridSearchCV(
        TripletVAEEmbedder(max_epochs=2, hidden_layer_sizes=(32,), random_state=0),
        {"latent_dim": [2, 3]},
        cv=2,
        n_jobs=2,
    ).fit(X / 16.0, y)
    serial = GridSearchCV(
        TripletVAEEmbedder(max_epochs=2, hidden_layer_sizes=(32,), random_state=0),
        {"latent_dim": [2, 3]},
        cv=2,
    ).fit(X / 16.0, y)
    np.testing.assert_allclose(
        search.cv_results_["mean_test_score"], serial.cv_results_["mean_test_score"]
    )


# -- SemiSupervisedKFold -------------------------------------------------------


def _semi_supervised_labels(seed, n_samples=200, n_classes=5, n_labeled=30):
    rng = np.random.RandomState(seed)
    y = np.full(n_samples, -1)
    labeled = rng.choice(n_samples, n_labeled, replace=False)
    y[labeled] = rng.randint(n_classes, size=n_labeled)
    return y


def _folds(cv, y):
    return list(cv.split(np.zeros((len(y), 1)), y))


def _spread(counts):
    return int(np.max(counts) - np.min(counts))


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("n_splits", [2, 3, 5])
def test_splitter_stratifies_labelled_rows_and_spreads_the_rest(seed, n_splits):
    y = _semi_supervised_labels(seed)
    folds = _folds(SemiSupervisedKFold(n_splits, random_state=seed), y)
    assert len(folds) == n_splits
    tests = [test for _, test in folds]
    # The test folds partition the rows; each train fold is the rest.
    assert np.array_equal(np.sort(np.concatenate(tests)), np.arange(len(y)))
    for train, test in folds:
        assert np.array_equal(np.sort(np.r_[train, test]), np.arange(len(y)))
    assert _spread([len(test) for test in tests]) <= 1
    assert _spread([np.sum(y[test] == -1) for test in tests]) <= 1
    assert _spread([np.sum(y[test] >= 0) for test in tests]) <= 1
    for label in np.unique(y[y >= 0]):
        assert _spread([np.sum(y[test] == label) for test in tests]) <= 1
        # A class with two labelled rows or more trains in every fold.
        if np.sum(y == label) >= 2:
            assert all(np.any(y[train] == label) for train, _ in folds)


def test_splitter_spreads_classes_with_fewer_rows_than_folds():
    # 3% of labels: classes of 1 to 4 labelled rows, 5 folds; StratifiedKFold
    # warns, and refuses n_splits above the largest class.
    y = np.full(100, -1)
    y[:10] = [0, 1, 1, 2, 2, 2, 3, 3, 3, 3]
    with pytest.raises(ValueError, match="cannot be greater than the number"):
        _folds(StratifiedKFold(5), np.where(y >= 0, y, 5)[:10])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        folds = _folds(SemiSupervisedKFold(5, random_state=0), y)
    for label, size in [(0, 1), (1, 2), (2, 3), (3, 4)]:
        # Each row of the class in a different test fold.
        holding = [np.any(y[test] == label) for _, test in folds]
        assert sum(holding) == size
    for train, test in folds:
        assert set(y[train][y[train] >= 0]) >= {1, 2, 3}
        assert np.sum(y[test] >= 0) == 2


def test_splitter_fixes_the_stacked_rows_trap():
    # Labelled rows first, as np.vstack([X_labelled, X_unlabelled]) leaves
    # them: unshuffled KFold (GridSearchCV's cv=3 for an embedder) trains one
    # fold without a label, SemiSupervisedKFold never does.
    y = np.r_[np.tile(np.arange(4), 5), np.full(100, -1)]
    assert any(np.all(y[train] == -1) for train, _ in _folds(KFold(3), y))
    for shuffle, random_state in [(True, 0), (False, None)]:
        cv = SemiSupervisedKFold(3, shuffle=shuffle, random_state=random_state)
        for train, test in _folds(cv, y):
            assert set(y[train]) == {-1, 0, 1, 2, 3}
            assert set(y[test]) == {-1, 0, 1, 2, 3}


def test_splitter_shuffle_and_random_state():
    y = _semi_supervised_labels(0)

    def tests(cv):
        return [test.tolist() for _, test in _folds(cv, y)]

    assert tests(SemiSupervisedKFold(3, random_state=1)) == tests(
        SemiSupervisedKFold(3, random_state=1)
    )
    assert tests(SemiSupervisedKFold(3, random_state=1)) != tests(
        SemiSupervisedKFold(3, random_state=2)
    )
    unshuffled = tests(SemiSupervisedKFold(3, shuffle=False))
    assert unshuffled == tests(SemiSupervisedKFold(3, shuffle=False))
    assert unshuffled != tests(SemiSupervisedKFold(3, random_state=1))
    # A RandomState instance moves on: the next split differs, as in KFold.
    cv = SemiSupervisedKFold(3, random_state=np.random.RandomState(0))
    assert tests(cv) != tests(cv)


def test_splitter_repr_and_n_splits():
    cv = SemiSupervisedKFold(4, random_state=0)
    assert repr(cv) == "SemiSupervisedKFold(n_splits=4, random_state=0, shuffle=True)"
    assert cv.get_n_splits() == 4
    assert repr(SemiSupervisedKFold()) == (
        "SemiSupervisedKFold(n_splits=5, random_state=None, shuffle=True)"
    )


@pytest.mark.parametrize(
    "make, y, error, match",
    [
        (
            lambda: SemiSupervisedKFold(5),
            np.r_[0, 1, 1, np.full(17, -1)],
            ValueError,
            r"n_splits=5\) needs at least 5 labelled rows.* holds 3: use "
            r"n_splits=3 or fewer",
        ),
        (
            lambda: SemiSupervisedKFold(2),
            np.r_[0, np.full(19, -1)],
            ValueError,
            "holds 1: label at least 2 rows",
        ),
        (
            lambda: SemiSupervisedKFold(2),
            np.full(20, -1),
            ValueError,
            "holds 0: label at least 2 rows",
        ),
        (lambda: SemiSupervisedKFold(3), None, ValueError, "split needs y"),
        (lambda: SemiSupervisedKFold(3), np.full(20, -2), ValueError, "below -1"),
        (lambda: SemiSupervisedKFold(3), np.zeros(19), ValueError, "inconsistent"),
        (lambda: SemiSupervisedKFold(1), np.zeros(20), ValueError, "n_splits=2"),
        (lambda: SemiSupervisedKFold(2.0), np.zeros(20), ValueError, "Integral"),
        (lambda: SemiSupervisedKFold(shuffle=1), np.zeros(20), TypeError, "shuffle"),
        (
            lambda: SemiSupervisedKFold(shuffle=False, random_state=0),
            np.zeros(20),
            ValueError,
            "random_state has no effect",
        ),
    ],
)
def test_splitter_errors(make, y, error, match):
    with pytest.raises(error, match=match):
        list(make().split(np.zeros((20, 1)), y))


# -- the embedders' reference and the scorers on folds with few labels --------

FAST = dict(max_epochs=2, hidden_layer_sizes=(16,), latent_dim=3, random_state=0)


@pytest.fixture(scope="module")
def few_labels():
    """Digits with 3 labels per class: 1 per class in each of 3 folds."""
    X, y_true = load_digits(return_X_y=True)
    X, y_true = (X[:300] / 16.0).astype(np.float32), y_true[:300]
    y = np.full(300, -1)
    for label in range(10):
        y[np.flatnonzero(y_true == label)[:3]] = label
    return X, y


def test_the_fit_keeps_its_labelled_rows_embedding(few_labels):
    X, y = few_labels
    embedder = TripletVAEEmbedder(**FAST).fit(X, y)
    labeled = y >= 0
    np.testing.assert_allclose(
        embedder.embedding_labeled_, embedder.transform(X[labeled]), rtol=1e-6
    )
    np.testing.assert_array_equal(embedder.labels_labeled_, y[labeled])
    # Survives pickling; clone drops it; set_output does not change its type.
    restored = pickle.loads(pickle.dumps(embedder))
    np.testing.assert_array_equal(
        restored.embedding_labeled_, embedder.embedding_labeled_
    )
    assert not hasattr(clone(embedder), "embedding_labeled_")
    pandas = pytest.importorskip("pandas")
    framed = TripletVAEEmbedder(**FAST).set_output(transform="pandas").fit(X, y)
    assert isinstance(framed.transform(X[:2]), pandas.DataFrame)
    assert isinstance(framed.embedding_labeled_, np.ndarray)
    # A warm fit on other rows keeps the reference of the rows it saw last.
    warm = TripletVAEEmbedder(**FAST, warm_start=True).fit(X, y)
    warm.fit(X[:150], y[:150])
    np.testing.assert_array_equal(warm.labels_labeled_, y[:150][y[:150] >= 0])
    assert warm.embedding_labeled_.shape == (np.sum(y[:150] >= 0), 3)


def test_a_fit_without_labels_keeps_empty_arrays_and_points_to_the_splitter(
    few_labels,
):
    X, _ = few_labels
    with pytest.warns(UserWarning, match="holds no labelled row.*SemiSupervisedKFold"):
        embedder = TripletVAEEmbedder(**FAST).fit(X, np.full(len(X), -1))
    assert embedder.embedding_labeled_.shape == (0, 3)
    assert embedder.labels_labeled_.shape == (0,)
    # Without y the warning does not speak of folds.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        TripletVAEEmbedder(**FAST).fit(X)
    messages = [str(w.message) for w in caught]
    assert any("no supervision" in m for m in messages)
    assert not any("SemiSupervisedKFold" in m for m in messages)


def test_scorers_score_folds_with_one_label_per_class(few_labels):
    X, y = few_labels
    cv = SemiSupervisedKFold(3, random_state=0)
    for _, test in _folds(cv, y):
        assert np.array_equal(np.sort(y[test][y[test] >= 0]), np.arange(10))
    embedder = TripletVAEEmbedder(**FAST)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no fold trains without labels
        results = cross_validate(
            embedder,
            X,
            y,
            cv=cv,
            scoring={
                "score": lambda estimator, X, y: estimator.score(X, y),
                "triplet": triplet_accuracy_scorer,
                "knn": knn_accuracy_scorer,
            },
            return_estimator=True,
            error_score="raise",
        )
    for name in ("score", "triplet", "knn"):
        scores = results[f"test_{name}"]
        assert np.all(np.isfinite(scores)) and np.all(scores > 0.0), name
    np.testing.assert_array_equal(results["test_score"], results["test_triplet"])
    # The fold's kNN score is the vote of the training fold's labelled rows.
    (train, test), fitted = _folds(cv, y)[0], results["estimator"][0]
    expected = knn_accuracy_score(
        fitted.transform(X[test]),
        y[test],
        X_reference=fitted.transform(X[train][y[train] >= 0]),
        y_reference=y[train][y[train] >= 0],
    )
    assert results["test_knn"][0] == pytest.approx(expected)
    # The same fold's own rows give no triplet, and no leave-one-out kNN vote
    # among one row per class can be right: unscorable, never a score of 0.
    embedded = fitted.transform(X[test])
    with pytest.raises(ValueError, match="class sizes"):
        triplet_accuracy_score(embedded, y[test])
    with pytest.raises(ValueError, match="no labeled row to score.*no other labeled"):
        knn_accuracy_score(embedded, y[test], n_neighbors=1)


def test_search_with_the_splitter_over_a_pipeline(few_labels):
    X, y = few_labels
    pipeline = make_pipeline(StandardScaler(), TripletVAEEmbedder(**FAST))
    search = GridSearchCV(
        pipeline,
        {"tripletvaeembedder__latent_dim": [2, 4]},
        scoring={"knn": knn_accuracy_scorer, "triplet": triplet_accuracy_scorer},
        refit="knn",
        cv=SemiSupervisedKFold(3, random_state=0),
        error_score="raise",
    ).fit(X, y)
    for key in ("mean_test_knn", "mean_test_triplet"):
        means = search.cv_results_[key]
        assert np.all(np.isfinite(means)) and np.all(means > 0.0)
    assert search.transform(X[:5]).shape[0] == 5
    scores = cross_val_score(pipeline, X, y, cv=SemiSupervisedKFold(3, random_state=0))
    assert scores.shape == (3,) and np.all((scores > 0.0) & (scores <= 1.0))


def test_a_fold_without_labels_is_a_clear_error_not_a_zero(few_labels):
    X, y = few_labels
    embedder = TripletVAEEmbedder(**FAST).fit(X[:200], y[:200])
    unlabeled = np.full(100, -1)
    for scorer in (knn_accuracy_scorer, triplet_accuracy_scorer):
        with pytest.raises(ValueError, match="SemiSupervisedKFold"):
            scorer(embedder, X[200:], unlabeled)


def test_baseline_keeps_the_scorers_reference():
    from sklearn.decomposition import PCA

    from sk_metricembed.model_selection import BaselineEmbedder

    X, y = _digits_with_hidden_labels()
    labels = np.where(y >= 0, np.array(list("abcdefghij"))[y], None).astype(object)
    baseline = BaselineEmbedder(PCA(5, random_state=0)).fit(X, labels)
    pca = PCA(5, random_state=0).fit(X)
    np.testing.assert_allclose(
        baseline.embedding_labeled_, pca.transform(X[y >= 0]), atol=1e-6
    )
    assert list(baseline.labels_labeled_) == list(labels[y >= 0])
    np.testing.assert_allclose(
        baseline.transform(X[:7]), pca.transform(X[:7]), atol=1e-6
    )
    # The scorer votes with the labelled training rows, not the fold's own rows.
    X_new, y_new = X[:40], labels[:40]
    scored = y >= 0
    expected = knn_accuracy_score(
        pca.transform(X_new[scored[:40]]),
        y_new[scored[:40]],
        X_reference=pca.transform(X[scored]),
        y_reference=labels[scored],
    )
    assert knn_accuracy_scorer(baseline, X_new, y_new) == pytest.approx(expected)
    assert baseline.score(X_new, y_new) == pytest.approx(
        triplet_accuracy_scorer(baseline, X_new, y_new)
    )


def test_baseline_without_transformer_is_the_features():
    from sk_metricembed.model_selection import BaselineEmbedder

    X, y = _digits_with_hidden_labels()
    baseline = BaselineEmbedder().fit(X, y)
    np.testing.assert_array_equal(baseline.embedding_labeled_, X[y >= 0])
    np.testing.assert_array_equal(baseline.transform(X[:3]), X[:3])
    unlabelled = BaselineEmbedder().fit(X)
    assert unlabelled.embedding_labeled_.shape == (0, X.shape[1])
    from sklearn.decomposition import PCA

    for y_none in (None, np.full(len(X), -1)):
        pca = BaselineEmbedder(PCA(3)).fit(X, y_none)
        assert pca.embedding_labeled_.shape == (0, 3)
        assert pca.labels_labeled_.shape == (0,)


class _RecordsFit:
    """A transformer that remembers the labels it was fitted with."""

    def fit(self, X, y=None):
        self.y_seen_ = None if y is None else np.asarray(y)
        return self

    def transform(self, X):
        return np.asarray(X)[:, :2]

    def get_params(self, deep=True):
        return {}

    def set_params(self, **params):
        return self


def test_baseline_fits_a_supervised_transformer_on_labelled_rows():
    from sk_metricembed.model_selection import BaselineEmbedder

    X, y = _digits_with_hidden_labels()
    everything = BaselineEmbedder(_RecordsFit()).fit(X, y)
    assert (everything.transformer_.y_seen_ == -1).sum() == 300
    labelled = BaselineEmbedder(_RecordsFit(), fit_on="labeled").fit(X, y)
    np.testing.assert_array_equal(labelled.transformer_.y_seen_, y[y >= 0])
    with pytest.raises(ValueError, match="fit_on='labeled'.*no labelled row"):
        BaselineEmbedder(_RecordsFit(), fit_on="labeled").fit(X)
    with pytest.raises(ValueError, match="fit_on"):
        BaselineEmbedder(fit_on="unlabelled").fit(X, y)
    with pytest.raises(ValueError, match="y has 10 labels but X has 600 rows"):
        BaselineEmbedder().fit(X, y[:10])


def test_baseline_warns_when_a_supervised_transformer_would_read_minus_one():
    from sklearn.decomposition import PCA
    from sklearn.neighbors import NeighborhoodComponentsAnalysis

    from sk_metricembed.model_selection import BaselineEmbedder

    X, y = _digits_with_hidden_labels()
    nca = NeighborhoodComponentsAnalysis(2, max_iter=5, random_state=0)
    with pytest.warns(
        UserWarning,
        match=r"NeighborhoodComponentsAnalysis.*300 .*"
        r"fit_on='labeled'",
    ):
        BaselineEmbedder(nca).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        BaselineEmbedder(nca, fit_on="labeled").fit(X, y)
        BaselineEmbedder(PCA(2)).fit(X, y)  # unsupervised: y is not read
        BaselineEmbedder(nca).fit(X, np.where(y >= 0, y, 0))  # every row labelled


def test_search_compares_an_embedder_with_pca_and_the_features():
    from sklearn.decomposition import PCA
    from sklearn.pipeline import Pipeline

    from sk_metricembed.model_selection import BaselineEmbedder

    X, y = _digits_with_hidden_labels()
    X = X / 16.0
    embedder = TripletVAEEmbedder(
        latent_dim=4, max_epochs=3, hidden_layer_sizes=(32,), random_state=0
    )
    search = GridSearchCV(
        Pipeline([("embed", embedder)]),
        {"embed": [embedder, BaselineEmbedder(PCA(4)), BaselineEmbedder()]},
        scoring={"knn": knn_accuracy_scorer, "triplet": triplet_accuracy_scorer},
        refit="knn",
        cv=SemiSupervisedKFold(3, random_state=0),
    )
    search.fit(X, y)
    knn = search.cv_results_["mean_test_knn"]
    assert np.all((knn > 0.5) & (knn <= 1.0))
    # The raw 64 pixels' 5-NN from 200 labelled rows beats a 4-dimensional
    # PCA's on digits: the scorer tells the candidates apart.
    assert knn[2] > knn[1]
    assert search.best_estimator_.transform(X[:5]).shape[0] == 5


def test_baseline_names_its_columns_for_pandas_output():
    pd = pytest.importorskip("pandas")
    from sklearn.decomposition import PCA

    from sk_metricembed.model_selection import BaselineEmbedder

    X, y = _digits_with_hidden_labels()
    frame = pd.DataFrame(X[:, :6], columns=[f"pixel{i}" for i in range(6)])
    same = BaselineEmbedder().set_output(transform="pandas").fit(frame, y)
    assert list(same.transform(frame).columns) == list(frame.columns)
    pca = BaselineEmbedder(PCA(2)).set_output(transform="pandas").fit(frame, y)
    assert list(pca.transform(frame).columns) == ["pca0", "pca1"]
    assert not hasattr(BaselineEmbedder(_RecordsFit()), "get_feature_names_out")
