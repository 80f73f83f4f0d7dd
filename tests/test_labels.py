"""Labels as users have them, and labels for the unlabelled rows.

The estimators, scorers and splitter take any labels that sort (text,
booleans, object arrays, pandas Series and categoricals), with -1, None,
NaN and pd.NA for unlabelled rows, and give the user's labels back
(``classes_``, ``labels_labeled_``, ``transduction_``). After a fit on
labels of two classes or more, every training row has a class
(``transduction_``) and a class distribution (``label_distributions_``),
spread over the fitted embedding.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_digits, make_blobs
from sklearn.exceptions import DataConversionWarning
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import cross_val_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline

from sk_metricembed import (
    SiameseAutoencoderEmbedder,
    TripletVAEEmbedder,
    knn_accuracy_score,
    knn_accuracy_scorer,
    triplet_accuracy_score,
)
from sk_metricembed._labels import encode_labels, is_unlabeled
from sk_metricembed._training import pseudo_labels
from sk_metricembed._training.pseudo_labels import spread_labels
from sk_metricembed._training.skorch_net import EmbeddingNet
from sk_metricembed.model_selection import SemiSupervisedKFold

ESTIMATORS = [SiameseAutoencoderEmbedder, TripletVAEEmbedder]
FAST = dict(latent_dim=3, hidden_layer_sizes=(16,), max_epochs=2, random_state=0)
NAMES = np.array(["zero", "one", "two", "three", "four", "five", "six", "seven"])


@pytest.fixture(scope="module")
def digits():
    """400 digits of 8 classes, a quarter of them labelled."""
    X, y = load_digits(n_class=8, return_X_y=True)
    X, y = X[:400] / 16.0, y[:400]
    y_semi = np.where(np.arange(len(y)) % 4 == 0, y, -1)
    return X, y, y_semi


def _as_text(y_semi, missing=None):
    """Digit names for the labelled rows, ``missing`` for the others."""
    text = NAMES[y_semi.clip(0)].astype(object)
    text[y_semi < 0] = missing
    return text


# --- the one rule for unlabelled rows ----------------------------------------------


@pytest.mark.parametrize(
    "y, unlabeled",
    [
        (np.array([3, -1, 0]), [False, True, False]),
        (np.array([3.0, -1.0, np.nan]), [False, True, True]),
        (np.array(["cat", "-1", "nan", "dog"]), [False, True, True, False]),
        (np.array(["cat", "", "  ", " dog "]), [False, True, True, False]),
        (np.array([b"cat", b"-1", b"", b" "]), [False, True, True, True]),
        (np.array([True, False]), [False, False]),
        (
            np.array(["cat", None, np.nan, pd.NA, pd.NaT, -1, -1.0, "-1", 0, False]),
            [False, True, True, True, True, True, True, True, False, False],
        ),
        (np.array(["cat", "", " \t", b""], dtype=object), [False, True, True, True]),
    ],
    ids=[
        "int",
        "float",
        "text",
        "blank_text",
        "bytes",
        "bool",
        "object",
        "blank_object",
    ],
)
def test_is_unlabeled_marks_minus_one_none_nan_na_and_blanks(y, unlabeled):
    assert is_unlabeled(y).tolist() == unlabeled


@pytest.mark.parametrize(
    "y, classes, dtype_kind",
    [
        (["b", "a", -1, "b"], ["a", "b"], "U"),
        (np.array(["b", None, "a"], dtype=object), ["a", "b"], "O"),
        (pd.Series(["b", None, "a"]), ["a", "b"], "O"),
        (pd.Series(pd.Categorical(["b", None, "a"])), ["a", "b"], "O"),
        (pd.Series(pd.Categorical([3, None, 1])), [1, 3], "i"),
        (pd.Series([3, pd.NA, 1], dtype="Int64"), [1, 3], "i"),
        (pd.Series([3.0, np.nan, 1.0]), [1.0, 3.0], "f"),
        (np.array([3, None, 1], dtype=object), [1, 3], "i"),
        ([True, False, True], [False, True], "b"),
    ],
    ids=[
        "text_list",
        "object_none",
        "series",
        "categorical_text",
        "categorical_int",
        "nullable_int",
        "float_nan",
        "object_numbers",
        "booleans",
    ],
)
def test_classes_are_the_users_labels_in_their_dtype(y, classes, dtype_kind):
    found, codes = encode_labels(y)
    assert found.tolist() == classes
    assert found.dtype.kind == dtype_kind
    assert (codes == -1).sum() == 1 or dtype_kind == "b" and (codes >= 0).all()


@pytest.mark.parametrize(
    "y, error, match",
    [
        (["cat", 1.5, "dog"], TypeError, r"y mixes label types \(text 'cat', number"),
        (np.array(["cat", 2.5], dtype=object), TypeError, "mixes label types"),
        ([0.5, 1.0, -1], ValueError, "non-integer value 0.5; pass whole numbers"),
        ([1, -3, 1], ValueError, r"below -1 \(min -3\)"),
        (np.zeros((4, 2)), ValueError, r"y must be 1-D .* shape \(4, 2\)"),
        (np.array([1j, 2j]), TypeError, "y must hold class labels .* complex"),
    ],
    ids=["list", "object", "fraction", "below_minus_one", "two_d", "complex"],
)
def test_bad_labels_name_y_the_value_and_the_fix(y, error, match):
    with pytest.raises(error, match=match):
        encode_labels(y)


@pytest.mark.parametrize("mark", ["?", "unknown", " Unlabeled ", "N/A"])
def test_a_class_that_reads_as_a_missing_mark_trains_with_a_warning(mark):
    y = pd.Series(["cat", mark, "dog", mark, None])
    with pytest.warns(
        UserWarning, match=r"y has a class .* \(2 rows\), which reads as a mark"
    ):
        classes, codes = encode_labels(y)
    assert mark in classes.tolist()  # kept as a class, never dropped
    assert (codes >= 0).sum() == 4


@pytest.mark.parametrize(
    "column",
    [np.array([[0], [1], [-1]]), pd.DataFrame({"label": ["a", "b", None]})],
    ids=["array", "one_column_frame"],
)
def test_a_column_of_labels_is_read_as_1d_with_scikit_learns_warning(column):
    with pytest.warns(DataConversionWarning, match=r"column-vector y .* y.ravel\(\)"):
        classes, codes = encode_labels(column)
    assert codes.tolist() == [0, 1, -1]
    assert len(classes) == 2


def test_ordinary_classes_do_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        encode_labels(["cat", "dog", "nonetheless", -1])


# --- the estimators take the user's labels -----------------------------------------


@pytest.mark.parametrize("Estimator", ESTIMATORS)
@pytest.mark.parametrize(
    "make_labels",
    [
        lambda y_semi: _as_text(y_semi),
        lambda y_semi: _as_text(y_semi, missing=np.nan),
        lambda y_semi: pd.Series(pd.Categorical(_as_text(y_semi))),
        lambda y_semi: _as_text(y_semi, missing="-1").astype(str),
        lambda y_semi: _as_text(y_semi, missing="").astype(str),
    ],
    ids=["object_none", "object_nan", "categorical", "text_minus_one", "blank"],
)
def test_text_labels_train_the_embedding_their_codes_train(
    Estimator, make_labels, digits
):
    X, _, y_semi = digits
    text = make_labels(y_semi)
    classes, codes = encode_labels(text)
    by_text = Estimator(**FAST, classifier_weight=0.5).fit(X, text)
    by_codes = Estimator(**FAST, classifier_weight=0.5).fit(X, codes)
    np.testing.assert_array_equal(by_text.transform(X), by_codes.transform(X))
    assert by_text.classes_.tolist() == sorted(set(NAMES))
    labeled = codes >= 0
    np.testing.assert_array_equal(by_text.labels_labeled_, classes[codes[labeled]])
    np.testing.assert_array_equal(
        by_text.transduction_, classes[by_codes.transduction_]
    )
    np.testing.assert_array_equal(
        by_text.label_distributions_, by_codes.label_distributions_
    )


def test_text_labels_score_as_their_codes_against_the_fit(digits):
    X, y, y_semi = digits
    fit_rows, held_out = np.arange(300), np.arange(300, 400)
    text = _as_text(y_semi)
    classes, codes = encode_labels(text)
    by_text = TripletVAEEmbedder(**FAST).fit(X[fit_rows], text[fit_rows])
    by_codes = TripletVAEEmbedder(**FAST).fit(X[fit_rows], codes[fit_rows])
    # Held-out rows with every label shown, the fit's labelled rows the reference.
    truth_text, truth_codes = (
        NAMES[y[held_out]],
        np.searchsorted(classes, NAMES)[y[held_out]],
    )
    text_score = knn_accuracy_scorer(by_text, X[held_out], truth_text)
    assert text_score == knn_accuracy_scorer(by_codes, X[held_out], truth_codes)
    assert text_score > 0.3  # 8 classes: chance is 0.125
    assert by_text.score(X[held_out], truth_text) == by_codes.score(
        X[held_out], truth_codes
    )


def test_scores_refuse_labels_of_another_type_than_the_reference():
    Z = np.r_[np.zeros((3, 2)), np.ones((3, 2))]
    with pytest.raises(TypeError, match="y holds number labels .* y_reference holds"):
        knn_accuracy_score(
            Z, [0, 0, 0, 1, 1, 1], X_reference=Z, y_reference=["a"] * 3 + ["b"] * 3
        )


@pytest.mark.parametrize("score", [triplet_accuracy_score, knn_accuracy_score])
def test_scores_read_text_labels_with_none_as_unlabelled(score):
    Z = np.r_[np.zeros((3, 1)), np.ones((3, 1)), [[0.5]]]
    kwargs = {"n_neighbors": 2} if score is knn_accuracy_score else {}
    by_text = score(Z, ["a", "a", "a", "b", "b", "b", None], **kwargs)
    assert by_text == score(Z, [0, 0, 0, 1, 1, 1, -1], **kwargs) == 1.0


def test_warm_start_warns_of_unseen_classes_by_their_labels(digits, monkeypatch):
    monkeypatch.setattr(EmbeddingNet, "partial_fit", lambda *args, **kwargs: None)
    X, _, y_semi = digits
    text = _as_text(y_semi)
    first = np.where(np.isin(text, ["six", "seven"]), None, text)
    embedder = TripletVAEEmbedder(**FAST, warm_start=True).fit(X, first)
    with pytest.warns(UserWarning, match=r"classes the first fit did not see .*'six'"):
        embedder.fit(X, text)
    assert "six" not in embedder.classes_.tolist()
    with pytest.raises(TypeError, match="y holds number labels"):
        embedder.fit(X, y_semi)


def test_splitter_reads_text_labels_as_it_reads_their_codes(digits):
    _, _, y_semi = digits
    text = pd.Series(_as_text(y_semi))
    _, codes = encode_labels(text)
    cv = SemiSupervisedKFold(4, random_state=0)
    for (_, test_a), (_, test_b) in zip(cv.split(text, text), cv.split(codes, codes)):
        np.testing.assert_array_equal(test_a, test_b)
        assert text[test_a].isna().sum() == (codes[test_a] == -1).sum() > 0


def test_cross_validation_with_text_labels(digits):
    X, _, y_semi = digits
    scores = cross_val_score(
        TripletVAEEmbedder(**FAST),
        X,
        _as_text(y_semi),
        cv=SemiSupervisedKFold(3, random_state=0),
    )
    assert scores.shape == (3,) and np.all((scores > 0) & (scores <= 1))


# --- transduction_ and label_distributions_ ----------------------------------------


@pytest.fixture(scope="module")
def digits_few_labels():
    """All digits, five labelled rows a class, and an embedder fitted on them."""
    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    rng = np.random.RandomState(0)
    y_semi = np.full(len(y), -1)
    for digit in range(10):
        y_semi[rng.choice(np.flatnonzero(y == digit), 5, replace=False)] = digit
    embedder = TripletVAEEmbedder(
        latent_dim=8, hidden_layer_sizes=(64,), max_epochs=3, random_state=0
    ).fit(X, y_semi)
    return X, y, y_semi, embedder


def test_transduction_keeps_the_labels_and_mostly_finds_the_rest(digits_few_labels):
    X, y, y_semi, embedder = digits_few_labels
    labeled = y_semi >= 0
    distributions = embedder.label_distributions_
    assert embedder.transduction_.shape == (len(X),)
    assert distributions.shape == (len(X), 10)
    np.testing.assert_allclose(distributions.sum(axis=1), 1.0, rtol=1e-6)
    assert (distributions >= 0).all()
    np.testing.assert_array_equal(embedder.transduction_[labeled], y_semi[labeled])
    np.testing.assert_array_equal(distributions[labeled].max(axis=1), 1.0)
    np.testing.assert_array_equal(
        embedder.transduction_, embedder.classes_[distributions.argmax(axis=1)]
    )
    # 50 labels of 1,797 rows, three epochs: measured 0.72 (chance 0.1).
    unlabeled = ~labeled
    accuracy = np.mean(embedder.transduction_[unlabeled] == y[unlabeled])
    assert accuracy > 0.6, accuracy
    # The distribution says how sure: the more confident half, measured
    # 0.94, is right more often than all.
    confidence = distributions.max(axis=1)
    confident = unlabeled & (confidence >= np.median(confidence[unlabeled]))
    assert np.mean(embedder.transduction_[confident] == y[confident]) > max(
        0.85, accuracy
    )


def test_pipeline_with_knn_labels_new_rows_like_the_training_rows(digits_few_labels):
    X, y, _, embedder = digits_few_labels
    classifier = Pipeline(
        [("embed", FrozenEstimator(embedder)), ("knn", KNeighborsClassifier())]
    ).fit(X, embedder.transduction_)
    # On the training rows the kNN repeats the transduction, nearly always.
    assert np.mean(classifier.predict(X) == embedder.transduction_) > 0.9


@pytest.mark.parametrize("Estimator", ESTIMATORS)
@pytest.mark.parametrize(
    "y, constraints",
    [
        (np.r_[np.zeros(20), np.full(40, -1)], {}),
        (np.full(60, -1), {}),
        (None, {}),
        (None, {"triplets": [[0, 1, 30], [2, 3, 40]]}),
    ],
    ids=["one_class", "no_label", "no_y", "constraints_only"],
)
def test_no_transduction_without_two_labelled_classes(Estimator, y, constraints):
    X = np.random.RandomState(0).rand(60, 5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "no supervision"
        embedder = Estimator(**FAST).fit(X, y, **constraints)
    assert not hasattr(embedder, "transduction_")
    assert not hasattr(embedder, "label_distributions_")


def test_a_warm_fit_without_two_classes_drops_the_last_transduction(digits):
    X, _, y_semi = digits
    embedder = SiameseAutoencoderEmbedder(**FAST, warm_start=True).fit(X, y_semi)
    assert embedder.transduction_.shape == (len(X),)
    with pytest.warns(UserWarning, match="no supervision"):
        embedder.fit(X, np.where(y_semi == 0, 0, -1))
    assert not hasattr(embedder, "transduction_")


def test_fully_labelled_rows_are_their_own_transduction(digits):
    X, y, _ = digits
    embedder = TripletVAEEmbedder(**FAST).fit(X, NAMES[y])
    np.testing.assert_array_equal(embedder.transduction_, NAMES[y])
    assert embedder.transduction_.dtype == NAMES.dtype


# --- spread_labels -----------------------------------------------------------------


def _blobs(n_labeled_per_class=2):
    Z, y = make_blobs(n_samples=600, centers=4, cluster_std=0.5, random_state=0)
    labels = np.full_like(y, -1)
    for c in range(4):
        labels[np.flatnonzero(y == c)[:n_labeled_per_class]] = c
    return Z, y, labels


def test_spread_labels_reaches_rows_outside_the_sample(monkeypatch):
    monkeypatch.setattr(pseudo_labels, "MAX_PROPAGATION_ROWS", 100)
    Z, y, labels = _blobs()
    distributions = spread_labels(Z, labels, 4, 10, np.random.RandomState(0))
    np.testing.assert_allclose(distributions.sum(axis=1), 1.0, rtol=1e-6)
    assert np.mean(distributions.argmax(axis=1) == y) > 0.99


def test_rows_the_spreading_misses_take_the_nearest_labelled_class():
    Z, y, labels = _blobs()
    # Twelve copies of one far point: their ten neighbours are each other,
    # so no label reaches them through the graph.
    island = np.tile(Z[y == 2].mean(axis=0) + [0.0, 30.0], (12, 1))
    Z, labels = np.r_[Z, island], np.r_[labels, np.full(12, -1)]
    distributions = spread_labels(Z, labels, 5, 10, np.random.RandomState(0))
    labeled = np.flatnonzero(labels >= 0)
    nearest = labeled[np.argmin(np.linalg.norm(Z[labeled] - island[0], axis=1))]
    np.testing.assert_array_equal(distributions[-12:, labels[nearest]], 1.0)
    assert distributions[-12:].sum() == 12
    # A class without labelled rows (column 4) gets no mass.
    assert not distributions[:, 4].any()
