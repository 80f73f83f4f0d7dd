"""A catalogue of bad inputs, tried on both embedders and every public function.

Each mistake must give a ``ValueError`` / ``TypeError`` (``NotFittedError``
before fit) whose message names the parameter, before any training starts;
what is accepted on purpose (object arrays of numbers, repeated constraints,
labels of one class) is asserted too, so that a change of mind shows up
here. Numeric cases (where a NaN sits, how far below -1 a label goes, which
index is out of range) are drawn by hypothesis.
"""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.exceptions import NotFittedError
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils.validation import check_is_fitted

import sk_metricembed
from sk_metricembed import (
    HOGTransformer,
    SiameseAutoencoderEmbedder,
    TorchFeatureExtractor,
    TripletVAEEmbedder,
    knn_accuracy_score,
    knn_accuracy_scorer,
    make_embedding_scorer,
    pair_auc_score,
    pairs_to_triplets,
    sample_pairs,
    sample_triplets,
    triplet_accuracy_score,
    triplet_accuracy_scorer,
    triplet_satisfied_score,
    triplets_to_pairs,
    tuples_to_rows,
)
from sk_metricembed._training.skorch_net import EmbeddingNet
from sk_metricembed.constraints import check_pairs, check_triplets

ESTIMATORS = [SiameseAutoencoderEmbedder, TripletVAEEmbedder]
FAST = dict(max_epochs=1, hidden_layer_sizes=(8,), latent_dim=2, random_state=0)
N_SAMPLES, N_FEATURES = 30, 6
RNG = np.random.RandomState(0)
X_OK = RNG.rand(N_SAMPLES, N_FEATURES).astype(np.float32)
Y_OK = np.repeat([0, 1, 2], 10)
MIXED_Y = np.array(["a"] * 15 + [1.5] * 15, dtype=object)
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@pytest.fixture
def no_training(monkeypatch):
    """Fail any test in which a fit reaches the training loop."""

    def refuse(self, *args, **kwargs):
        raise AssertionError("training started although the input was invalid")

    monkeypatch.setattr(EmbeddingNet, "fit", refuse)
    monkeypatch.setattr(EmbeddingNet, "partial_fit", refuse)


@pytest.fixture(scope="module", params=ESTIMATORS, ids=lambda E: E.__name__)
def fitted(request):
    return request.param(**FAST).fit(X_OK, Y_OK)


def _with(value, row=3, column=2, X=X_OK):
    X = X.astype(np.float64)
    X[row, column] = value
    return X


def _with_text():
    X = X_OK.astype(object)
    X[0, 0] = "a"
    return X


# --- X: fit and transform -------------------------------------------------------

BAD_X = [
    ("empty", np.empty((0, N_FEATURES)), ValueError, "0 sample"),
    ("no_features", np.empty((N_SAMPLES, 0)), ValueError, "0 feature"),
    ("nan", _with(np.nan), ValueError, "X contains NaN"),
    ("inf", _with(np.inf), ValueError, "X contains infinity"),
    ("minus_inf", _with(-np.inf), ValueError, "X contains infinity"),
    ("beyond_float32", _with(1e300), ValueError, "beyond float32's range"),
    ("strings", np.full((N_SAMPLES, N_FEATURES), "a"), ValueError, "holds text"),
    ("object_strings", _with_text(), ValueError, "holds text"),
    ("object_none", np.where(X_OK > 2, 0, None), ValueError, "NaN"),
    ("complex", X_OK.astype(complex), ValueError, "Complex data not supported"),
    ("one_d", X_OK[:, 0], ValueError, "Expected 2D array"),
    (
        "three_d",
        X_OK.reshape(N_SAMPLES, 3, 2),
        ValueError,
        "must be 2-D rows.*tuples_to_rows",
    ),
]


@pytest.mark.parametrize("Estimator", ESTIMATORS)
@pytest.mark.parametrize(
    "X, error, match", [case[1:] for case in BAD_X], ids=[c[0] for c in BAD_X]
)
def test_fit_rejects_bad_X(Estimator, X, error, match, no_training):
    y = Y_OK if X.ndim and X.shape[0] == N_SAMPLES else None
    with pytest.raises(error, match=match):
        Estimator(**FAST).fit(X, y)


def test_a_dataframe_with_text_is_told_which_columns_and_how_to_encode(no_training):
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(X_OK, columns=[f"x{i}" for i in range(N_FEATURES)])
    frame["city"] = "Paris"
    frame["kind"] = pd.Categorical(["a"] * N_SAMPLES)
    with pytest.raises(ValueError, match="its columns 'city', 'kind' hold text"):
        TripletVAEEmbedder(**FAST).fit(frame, Y_OK)
    with pytest.raises(ValueError, match="its column 'city' holds text.*OneHotEncoder"):
        TripletVAEEmbedder(**FAST).fit(frame.drop(columns="kind"), Y_OK)


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_fit_rejects_a_single_row(Estimator, no_training):
    with pytest.raises(ValueError, match="1 sample"):
        Estimator(**FAST).fit(X_OK[:1], [0])


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_object_array_of_numbers_is_accepted(Estimator):
    embedder = Estimator(**FAST).fit(X_OK.astype(object), Y_OK)
    assert embedder.transform(X_OK.astype(object)).dtype == np.float32


@pytest.mark.parametrize(
    "X, error, match",
    [case[1:] for case in BAD_X] + [(X_OK[:, :-1], ValueError, "6 features")],
    ids=[c[0] for c in BAD_X] + ["wrong_n_features"],
)
def test_transform_rejects_bad_X(fitted, X, error, match):
    with pytest.raises(error, match=match):
        fitted.transform(X)


@pytest.mark.parametrize(
    "Z, error, match",
    [
        (np.zeros((4, 3)), ValueError, "latent_dim=2"),
        (np.zeros((0, 2)), ValueError, "0 sample"),
        (np.full((4, 2), np.nan), ValueError, "NaN"),
        (np.full((4, 2), 1e300), ValueError, "beyond float32's range"),
        (np.zeros((4, 2, 1)), ValueError, "dim 3"),
        (sp.csr_matrix(np.zeros((4, 2))), TypeError, "Sparse data"),
    ],
    ids=["latent_dim", "empty", "nan", "beyond_float32", "three_d", "sparse"],
)
def test_inverse_transform_rejects_bad_codes(fitted, Z, error, match):
    with pytest.raises(error, match=match):
        fitted.inverse_transform(Z)


@pytest.mark.parametrize("Estimator", ESTIMATORS)
@pytest.mark.parametrize(
    "method, args",
    [
        ("transform", (X_OK,)),
        ("inverse_transform", (np.zeros((2, 2)),)),
        ("sample", (2,)),
        ("score", (X_OK, Y_OK)),
        ("get_feature_names_out", ()),
    ],
)
def test_methods_before_fit_raise_not_fitted(Estimator, method, args):
    embedder = Estimator(**FAST)
    with pytest.raises(NotFittedError, match="not fitted"):
        getattr(embedder, method)(*args)


@SETTINGS
@given(
    row=st.integers(0, N_SAMPLES - 1),
    column=st.integers(0, N_FEATURES - 1),
    value=st.sampled_from([np.nan, np.inf, -np.inf]),
    Estimator=st.sampled_from(ESTIMATORS),
)
def test_non_finite_anywhere_in_X_is_caught_before_training(
    row, column, value, Estimator, no_training
):
    with pytest.raises(ValueError, match="X contains (NaN|infinity)"):
        Estimator(**FAST).fit(_with(value, row, column), Y_OK)


@SETTINGS
@given(row=st.integers(0, N_SAMPLES - 1), value=st.sampled_from([np.nan, np.inf]))
def test_non_finite_anywhere_in_X_is_caught_at_transform(fitted, row, value):
    with pytest.raises(ValueError, match="X contains (NaN|infinity)"):
        fitted.transform(_with(value, row, 0))


# --- y -----------------------------------------------------------------------------

BAD_Y = [
    ("too_short", Y_OK[:-1], ValueError, "29 labels but X has 30 rows"),
    ("too_long", np.r_[Y_OK, 0], ValueError, "31 labels"),
    ("two_d", np.c_[Y_OK, Y_OK], ValueError, "1-D"),
    ("fractional", Y_OK + 0.5, ValueError, "non-integer"),
    ("infinite", np.where(Y_OK == 0, np.inf, Y_OK), ValueError, "non-integer"),
    ("text_and_fractions", MIXED_Y, TypeError, "y mixes label types .*text 'a'"),
    ("text_and_bools", ["a"] * 29 + [True], TypeError, "y mixes label types"),
    ("unsortable", np.array([object()] * 30), TypeError, "cannot be sorted"),
    ("complex", Y_OK + 1j, TypeError, "y must hold class labels"),
    ("below_minus_one", np.where(Y_OK == 2, -2, Y_OK), ValueError, "below -1"),
]

# Accepted on purpose: any labels that sort, -1 / None / NaN unlabelled.
GOOD_Y = [
    ("nan", np.where(Y_OK == 0, np.nan, Y_OK), [1, 2]),
    ("strings", Y_OK.astype(str), ["0", "1", "2"]),
    ("booleans", Y_OK == 0, [False, True]),
    ("objects", Y_OK.astype(object), [0, 1, 2]),
    ("text_with_none", np.where(Y_OK == 0, None, Y_OK.astype(str)), ["1", "2"]),
]


@pytest.mark.parametrize("Estimator", ESTIMATORS)
@pytest.mark.parametrize(
    "y, error, match", [c[1:] for c in BAD_Y], ids=[c[0] for c in BAD_Y]
)
def test_fit_rejects_bad_y(Estimator, y, error, match, no_training):
    with pytest.raises(error, match=match):
        Estimator(**FAST).fit(X_OK, y)


@pytest.mark.parametrize("Estimator", ESTIMATORS)
@pytest.mark.parametrize(
    "y, classes", [c[1:] for c in GOOD_Y], ids=[c[0] for c in GOOD_Y]
)
def test_labels_of_any_sortable_type_are_labels(Estimator, y, classes, monkeypatch):
    monkeypatch.setattr(EmbeddingNet, "fit", lambda *args: None)
    assert Estimator(**FAST).fit(X_OK, y).classes_.tolist() == classes


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_integral_float_labels_are_labels(Estimator, monkeypatch):
    seen = {}
    monkeypatch.setattr(
        EmbeddingNet, "fit", lambda net, dataset, y: seen.setdefault("d", dataset)
    )
    embedder = Estimator(**FAST).fit(X_OK, Y_OK.astype(float))
    assert embedder.classes_.tolist() == [0, 1, 2]
    np.testing.assert_array_equal(seen["d"].true_labels, Y_OK)


@pytest.mark.parametrize("Estimator", ESTIMATORS)
@pytest.mark.parametrize(
    "y", [np.zeros(N_SAMPLES, int), np.full(N_SAMPLES, -1)], ids=["one", "none"]
)
def test_labels_of_fewer_than_two_classes_warn(Estimator, y, monkeypatch):
    # Not an error: the reconstruction and the neighbour term still train.
    monkeypatch.setattr(EmbeddingNet, "fit", lambda *args: None)
    with pytest.warns(UserWarning, match="no supervision"):
        Estimator(**FAST).fit(X_OK, y)


@SETTINGS
@given(
    row=st.integers(0, N_SAMPLES - 1),
    label=st.integers(-(2**62), -2),
    Estimator=st.sampled_from(ESTIMATORS),
)
def test_any_label_below_minus_one_is_rejected(row, label, Estimator, no_training):
    y = Y_OK.copy()
    y[row] = label
    with pytest.raises(ValueError, match=f"below -1 \\(min {label}\\)"):
        Estimator(**FAST).fit(X_OK, y)


@SETTINGS
@given(
    row=st.integers(0, N_SAMPLES - 1),
    fraction=st.floats(0.01, 0.99),
)
def test_any_fractional_label_is_rejected(row, fraction, no_training):
    y = Y_OK.astype(float)
    y[row] += fraction
    with pytest.raises(ValueError, match="non-integer"):
        TripletVAEEmbedder(**FAST).fit(X_OK, y)


def test_classes_unseen_by_the_first_fit_warn_under_warm_start():
    embedder = SiameseAutoencoderEmbedder(**FAST, warm_start=True)
    embedder.fit(X_OK, np.where(Y_OK == 2, -1, Y_OK))
    with pytest.warns(UserWarning, match=r"10 rows of classes the first fit did not"):
        embedder.fit(X_OK, Y_OK)
    assert embedder.classes_.tolist() == [0, 1]


# --- pairs, pair_labels, triplets, sample_index ------------------------------------

BAD_CONSTRAINTS = [
    ("pairs_width", dict(pairs=[[0, 1, 2]], pair_labels=[1]), ValueError, "(n, 2)"),
    ("pairs_1d", dict(pairs=[0, 1], pair_labels=[1]), ValueError, "(n, 2)"),
    (
        "pairs_empty",
        dict(pairs=np.empty((0, 2), int), pair_labels=[]),
        ValueError,
        "non-empty",
    ),
    ("pairs_float", dict(pairs=[[0.0, 1.0]], pair_labels=[1]), TypeError, "pairs"),
    ("pairs_strings", dict(pairs=[["a", "b"]], pair_labels=[1]), TypeError, "pairs"),
    ("pairs_bool", dict(pairs=[[True, False]], pair_labels=[1]), TypeError, "pairs"),
    ("pairs_range", dict(pairs=[[0, 30]], pair_labels=[1]), ValueError, r"\[0, 29\]"),
    ("pairs_negative", dict(pairs=[[-1, 3]], pair_labels=[1]), ValueError, "pairs"),
    ("self_pair", dict(pairs=[[4, 4]], pair_labels=[1]), ValueError, "repeats"),
    (
        "contradictory_pair",
        dict(pairs=[[0, 1], [1, 0]], pair_labels=[1, 0]),
        ValueError,
        "both similar and dissimilar",
    ),
    ("labels_missing", dict(pairs=[[0, 1]]), ValueError, "pair_labels is required"),
    ("labels_alone", dict(pair_labels=[1]), ValueError, "without pairs"),
    (
        "labels_length",
        dict(pairs=[[0, 1]], pair_labels=[1, 0]),
        ValueError,
        "one label per pair",
    ),
    ("labels_value", dict(pairs=[[0, 1]], pair_labels=[2]), ValueError, "pair_labels"),
    (
        "labels_fraction",
        dict(pairs=[[0, 1]], pair_labels=[0.5]),
        ValueError,
        "pair_labels",
    ),
    (
        "labels_text",
        dict(pairs=[[0, 1]], pair_labels=["yes"]),
        ValueError,
        "pair_labels",
    ),
    ("triplets_width", dict(triplets=[[0, 1]]), ValueError, "(n, 3)"),
    ("triplets_float", dict(triplets=[[0.0, 1.0, 2.0]]), TypeError, "triplets"),
    ("triplets_range", dict(triplets=[[0, 1, 99]]), ValueError, r"\[0, 29\]"),
    ("triplets_self", dict(triplets=[[0, 0, 1]]), ValueError, "repeats"),
    (
        "contradictory_triplets",
        dict(triplets=[[0, 1, 2], [0, 2, 1]]),
        ValueError,
        r"\(anchor, negative, positive\)",
    ),
    (
        "pair_contradicts_triplet",
        dict(triplets=[[0, 1, 2]], pairs=[[0, 2], [0, 1]], pair_labels=[1, 0]),
        ValueError,
        "contradictory",
    ),
    (
        "sample_index_length",
        dict(pairs=[[0, 1]], pair_labels=[1], sample_index=np.arange(5)),
        ValueError,
        "one identifier per row",
    ),
    (
        "sample_index_repeats",
        dict(pairs=[[0, 1]], pair_labels=[1], sample_index=np.zeros(N_SAMPLES)),
        ValueError,
        "must not repeat",
    ),
]


@pytest.mark.parametrize("Estimator", ESTIMATORS)
@pytest.mark.parametrize(
    "constraints, error, match",
    [c[1:] for c in BAD_CONSTRAINTS],
    ids=[c[0] for c in BAD_CONSTRAINTS],
)
def test_fit_rejects_bad_constraints(Estimator, constraints, error, match, no_training):
    with pytest.raises(error, match=match):
        Estimator(**FAST).fit(X_OK, **constraints)


def test_pairs_forming_no_triplet_are_an_error_for_the_triplet_loss(no_training):
    with pytest.raises(ValueError, match="no triplet"):
        TripletVAEEmbedder(**FAST).fit(X_OK, pairs=[[0, 1], [2, 3]], pair_labels=[1, 0])


def test_repeated_constraints_are_kept_not_dropped():
    # A repeat weighs its constraint once more, as sample_pairs' draws with
    # replacement do; nothing is removed behind the user's back.
    pairs, similar = check_pairs([[0, 1], [1, 0], [0, 1]], [1, 1, 1], N_SAMPLES)
    assert len(pairs) == 3 and similar.tolist() == [1, 1, 1]
    assert len(check_triplets([[0, 1, 2], [0, 1, 2]], N_SAMPLES)) == 2


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_constraints_outside_sample_index_are_dropped_with_a_warning(
    Estimator, monkeypatch
):
    monkeypatch.setattr(EmbeddingNet, "fit", lambda *args: None)
    ids = np.arange(100, 100 + N_SAMPLES)
    with pytest.warns(UserWarning, match="1 triplets reach rows outside"):
        Estimator(**FAST).fit(
            X_OK, Y_OK, triplets=[[100, 101, 120], [100, 101, 5]], sample_index=ids
        )


@SETTINGS
@given(
    index=st.one_of(st.integers(-(2**40), -1), st.integers(N_SAMPLES, 2**40)),
    position=st.integers(0, 2),
    Estimator=st.sampled_from(ESTIMATORS),
)
def test_any_out_of_range_triplet_index_is_rejected(
    index, position, Estimator, no_training
):
    triplet = [3, 4, 5]
    triplet[position] = index
    with pytest.raises(
        ValueError,
        match=r"triplets indices must lie in \[0, 29\].*Under cross-validation.*"
        "pass sample_index",
    ):
        Estimator(**FAST).fit(X_OK, triplets=[[0, 1, 2], triplet])


# --- parameters ---------------------------------------------------------------------

BAD_PARAMS = [
    ("latent_dim", 0),
    ("latent_dim", 2.5),
    ("latent_dim", "2"),
    ("hidden_layer_sizes", (0,)),
    ("hidden_layer_sizes", (8.5,)),
    ("hidden_layer_sizes", [[8]]),
    ("hidden_layer_sizes", "64"),
    ("activation", "swish"),
    ("dropout", 1.0),
    ("dropout", -0.1),
    ("variational", "yes"),
    ("beta", -1.0),
    ("beta", np.inf),
    ("weight", 1.5),
    ("weight", np.nan),
    ("margin", -1.0),
    ("metric_loss", "cosine"),
    ("miner", "easy"),
    ("reconstruction", "l1"),
    ("neighbor_weight", -1.0),
    ("n_neighbors", 0),
    ("supervised_contrastive_weight", -1.0),
    ("contrasting_weight", -1.0),
    ("classifier_weight", -1.0),
    ("image_shape", 5),
    ("image_shape", (4, 4)),
    ("augment", "yes"),
    ("linear_path", "yes"),
    ("lr_schedule", "cyclic"),
    ("max_epochs", 0),
    ("batch_size", 0),
    ("lr", 0.0),
    ("lr", -1e-3),
    ("lr", np.nan),
    ("optimizer", "rmsprop"),
    ("optimizer", int),
    ("device", "tpu"),
    ("device", "mps"),
    ("device", 3),
    ("random_state", "seed"),
    ("verbose", "loud"),
    ("callbacks", "progress"),
    ("warm_start", "yes"),
]


@pytest.mark.parametrize("Estimator", ESTIMATORS)
@pytest.mark.parametrize(
    "name, value", BAD_PARAMS, ids=[f"{n}={v!r}" for n, v in BAD_PARAMS]
)
def test_fit_rejects_bad_parameters(Estimator, name, value, no_training):
    # InvalidParameterError is a ValueError and a TypeError.
    with pytest.raises((ValueError, TypeError), match=name):
        Estimator(**{**FAST, name: value}).fit(X_OK, Y_OK)


def test_bce_reconstruction_needs_unit_interval_input(no_training):
    with pytest.raises(ValueError, match=r"reconstruction='bce' needs inputs in \[0"):
        SiameseAutoencoderEmbedder(**FAST, reconstruction="bce").fit(X_OK * 2, Y_OK)


@pytest.mark.parametrize("n_samples", [0, -1, 1.5, "2"])
def test_sample_rejects_bad_counts(n_samples):
    vae = TripletVAEEmbedder(**FAST).fit(X_OK, Y_OK)
    with pytest.raises(ValueError, match="'n_samples' parameter of sample"):
        vae.sample(n_samples)


# --- training that diverges -----------------------------------------------------

DIVERGING = dict(lr=10.0, optimizer="sgd", max_epochs=3)
X_HUGE = X_OK * 1e18
X_OVERFLOWING = X_OK * 1e20  # its squared error overflows float32


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_diverging_fit_names_the_cause_and_leaves_no_fitted_model(Estimator):
    embedder = Estimator(**{**FAST, **DIVERGING})
    with pytest.raises(FloatingPointError, match="lower lr, scale the input"):
        embedder.fit(X_HUGE, Y_OK)
    with pytest.raises(NotFittedError):
        check_is_fitted(embedder)
    with pytest.raises(NotFittedError):
        embedder.transform(X_OK)


def test_diverging_warm_start_does_not_keep_the_half_trained_model():
    embedder = SiameseAutoencoderEmbedder(**FAST, warm_start=True).fit(X_OK, Y_OK)
    with pytest.raises(FloatingPointError):
        embedder.fit(X_OVERFLOWING, Y_OK)
    with pytest.raises(NotFittedError):
        embedder.transform(X_OK)


# --- the public functions -----------------------------------------------------------

Y_LABELS = np.array([0, 0, 1, 1, 2, -1])


@pytest.mark.parametrize("sampler", [sample_pairs, sample_triplets])
@pytest.mark.parametrize(
    "y, error, match",
    [
        ([], ValueError, "at least two classes"),
        ([0, 0, 0], ValueError, "at least two classes"),
        ([-1, -1, -1], ValueError, "at least two classes"),
        ([0, 1, 2], ValueError, "at least two labelled rows"),
        ([0.5, 0.5, 1.5], ValueError, "non-integer"),
        ([0, 0, 1, np.inf], ValueError, "non-integer"),
        ([0, 0, 1, 1, -3], ValueError, "below -1"),
        ([[0, 1], [0, 1]], ValueError, "1-D"),
    ],
    ids=[
        "empty",
        "one_class",
        "unlabelled",
        "no_partner",
        "fractional",
        "infinite",
        "below_minus_one",
        "two_d",
    ],
)
def test_samplers_reject_bad_labels(sampler, y, error, match):
    with pytest.raises(error, match=match):
        sampler(y, 4, random_state=0)


@pytest.mark.parametrize(
    "sampler, name", [(sample_pairs, "n_pairs"), (sample_triplets, "n_triplets")]
)
@pytest.mark.parametrize("count", [0, -1, 2.5, "3", None])
def test_samplers_reject_bad_counts(sampler, name, count):
    with pytest.raises(
        ValueError,
        match=rf"'{name}' parameter of {sampler.__name__} must be an int in the "
        rf"range \[1, inf\). Got {count!r} instead",
    ):
        sampler(Y_LABELS, count, random_state=0)


@pytest.mark.parametrize("sampler", [sample_pairs, sample_triplets])
def test_samplers_reject_a_bad_random_state(sampler):
    with pytest.raises(ValueError, match="'random_state' parameter"):
        sampler(Y_LABELS, 4, random_state="seed")


@pytest.mark.parametrize(
    "triplets, error, match",
    [
        ([[0, 1]], ValueError, r"shape \(n, 3\)"),
        (np.arange(8).reshape(2, 4), ValueError, r"shape \(n, 3\)"),
        ([[0.5, 1, 2]], TypeError, "integer row indices"),
        ([["a", "b", "c"]], TypeError, "integer row indices"),
        ([[-5, 1, 2]], ValueError, ">= 0"),
        ([[0, 1, 1]], ValueError, "repeats"),
    ],
    ids=["width", "too_wide", "float", "strings", "negative", "repeat"],
)
def test_triplets_to_pairs_rejects(triplets, error, match):
    with pytest.raises(error, match=match):
        triplets_to_pairs(triplets)


@pytest.mark.parametrize(
    "pairs, pair_labels, error, match",
    [
        ([[0, 1, 2]], [1], ValueError, r"shape \(n, 2\)"),
        ([[0, 1], [0, 2]], [1], ValueError, "one label per pair"),
        ([[0, 1], [0, 2]], [1, 5], ValueError, "pair_labels must hold"),
        ([[0.5, 1], [0, 2]], [1, 0], TypeError, "integer row indices"),
        ([[0, 1], [0, 1]], [1, 0], ValueError, "both similar and dissimilar"),
        ([[0, 0], [0, 1]], [1, 0], ValueError, "repeats"),
        ([[0, -1], [0, 1]], [1, 0], ValueError, ">= 0"),
    ],
    ids=[
        "width",
        "labels_short",
        "labels_value",
        "float",
        "contradictory",
        "self",
        "negative",
    ],
)
def test_pairs_to_triplets_rejects(pairs, pair_labels, error, match):
    with pytest.raises(error, match=match):
        pairs_to_triplets(pairs, pair_labels)


@pytest.mark.parametrize(
    "tuples, match",
    [
        (np.zeros((4, 2)), "non-empty array of shape"),
        (np.zeros((4, 4, 3)), "non-empty array of shape"),
        (np.zeros((0, 2, 3)), "non-empty array of shape"),
        ("not rows", "'tuples' parameter of tuples_to_rows must be an array-like"),
    ],
    ids=["2-D", "width 4", "empty", "text"],
)
def test_tuples_to_rows_rejects(tuples, match):
    with pytest.raises(ValueError, match=match):
        tuples_to_rows(tuples)


def test_conversions_accept_empty_input():
    pairs, labels = triplets_to_pairs(np.empty((0, 3), int))
    assert pairs.shape == (0, 2) and labels.shape == (0,)
    assert pairs_to_triplets(np.empty((0, 2), int), []).shape == (0, 3)


Z_OK = np.r_[RNG.rand(5, 2), RNG.rand(5, 2) + 3]
Y_Z = np.repeat([0, 1], 5)
#: A fitted transformer that embeds rows as they are: the constraint scores'.
_IDENTITY = FunctionTransformer().fit(Z_OK)

BAD_SCORE_INPUTS = [
    ("empty", np.empty((0, 2)), [], ValueError, "0 sample"),
    ("nan", np.where(Z_OK > 3.5, np.nan, Z_OK), Y_Z, ValueError, "NaN"),
    ("inf", np.where(Z_OK > 3.5, np.inf, Z_OK), Y_Z, ValueError, "infinity"),
    ("text", np.full((10, 2), "a"), Y_Z, ValueError, "string"),
    ("three_d", Z_OK[:, :, None], Y_Z, ValueError, "dim 3"),
    ("sparse", sp.csr_matrix(Z_OK), Y_Z, TypeError, "'X_embedded' .* array-like"),
    ("y_scalar", Z_OK, 3, TypeError, "'y' parameter .* must be an array-like"),
    ("y_length", Z_OK, Y_Z[:-1], ValueError, "inconsistent numbers of samples"),
    ("y_mixed", Z_OK, ["a"] * 5 + [0.5] * 5, TypeError, "y mixes label types"),
    ("y_unsortable", Z_OK, np.array([object()] * 10), TypeError, "cannot be sorted"),
    ("y_fraction", Z_OK, Y_Z + 0.5, ValueError, "non-integer value"),
    ("y_below", Z_OK, Y_Z - 2, ValueError, "below -1"),
    ("one_class", Z_OK, np.zeros(10, int), ValueError, "at least 2 classes"),
    ("unlabelled", Z_OK, np.full(10, -1), ValueError, "labeled rows"),
]


@pytest.mark.parametrize("score", [triplet_accuracy_score, knn_accuracy_score])
@pytest.mark.parametrize(
    "Z, y, error, match",
    [c[1:] for c in BAD_SCORE_INPUTS],
    ids=[c[0] for c in BAD_SCORE_INPUTS],
)
def test_scores_reject_bad_input(score, Z, y, error, match):
    kwargs = {"n_neighbors": 2} if score is knn_accuracy_score else {}
    with pytest.raises(error, match=match):
        score(Z, y, **kwargs)


@SETTINGS
@given(row=st.integers(0, 9), value=st.sampled_from([np.nan, np.inf, -np.inf]))
def test_scores_catch_non_finite_embeddings_anywhere(row, value):
    Z = Z_OK.copy()
    Z[row, row % 2] = value
    for score in (triplet_accuracy_score, knn_accuracy_score):
        with pytest.raises(ValueError, match="X_embedded contains"):
            score(Z, Y_Z)


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: triplet_accuracy_score(Z_OK, Y_Z, margin=-1), ValueError, "margin"),
        (lambda: triplet_accuracy_score(Z_OK, Y_Z, n_triplets=0), ValueError, "n_tr"),
        (lambda: knn_accuracy_score(Z_OK, Y_Z, n_neighbors=0), ValueError, "n_neigh"),
        (lambda: knn_accuracy_score(Z_OK, Y_Z, n_neighbors=10), ValueError, "n_neigh"),
        (lambda: make_embedding_scorer("knn"), TypeError, "score_func"),
        (lambda: knn_accuracy_scorer(None, Z_OK), ValueError, "needs the labels y"),
        (lambda: triplet_accuracy_scorer(None, Z_OK), ValueError, "labels y"),
        (
            lambda: triplet_satisfied_score(_IDENTITY, Z_OK, [[0, 1, 2]], margin=-1),
            ValueError,
            "margin",
        ),
        (
            lambda: pair_auc_score(_IDENTITY, Z_OK, [[0, 1], [2, 3]], [1, 1]),
            ValueError,
            "similar pairs only",
        ),
        (
            lambda: pair_auc_score(_IDENTITY, Z_OK, [[0, 10], [2, 3]], [1, 0]),
            ValueError,
            "pairs",
        ),
        (
            lambda: triplet_satisfied_score(_IDENTITY, Z_OK, [[0, 1]]),
            ValueError,
            "triplets",
        ),
    ],
    ids=[
        "margin",
        "n_triplets",
        "n_neighbors",
        "too_many_neighbors",
        "scorer_factory",
        "knn_scorer_no_y",
        "triplet_scorer_no_y",
        "satisfied_margin",
        "auc_one_kind",
        "auc_index_out_of_range",
        "satisfied_not_triplets",
    ],
)
def test_score_parameters_are_checked(call, error, match):
    with pytest.raises(error, match=match):
        call()


def _conv_extractor():
    return TorchFeatureExtractor(
        torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3)), image_shape=(1, 8, 8)
    )


FEATURE_TRANSFORMERS = {
    "HOGTransformer": lambda: HOGTransformer(
        image_shape=(8, 8), pixels_per_cell=(4, 4), cells_per_block=(1, 1)
    ),
    "TorchFeatureExtractor": _conv_extractor,
}
IMAGES = RNG.rand(6, 64)


@pytest.mark.parametrize(
    "make", FEATURE_TRANSFORMERS.values(), ids=list(FEATURE_TRANSFORMERS)
)
@pytest.mark.parametrize(
    "X, error, match",
    [
        (np.empty((0, 64)), ValueError, "0 sample"),
        (_with(np.nan, 0, 0, IMAGES), ValueError, "NaN"),
        (_with(np.inf, 0, 0, IMAGES), ValueError, "infinity"),
        (np.full((3, 64), "a"), ValueError, "string"),
        (sp.csr_matrix(IMAGES), TypeError, "Sparse data"),
        (IMAGES[:, :63], ValueError, "63"),
    ],
    ids=["empty", "nan", "inf", "strings", "sparse", "wrong_size"],
)
def test_feature_transformers_reject_bad_images(make, X, error, match):
    with pytest.raises(error, match=match):
        make().fit(X)
    fitted_transformer = make().fit(IMAGES)
    with pytest.raises(error, match=match):
        fitted_transformer.transform(X)


@pytest.mark.parametrize(
    "make", FEATURE_TRANSFORMERS.values(), ids=list(FEATURE_TRANSFORMERS)
)
def test_feature_transformers_before_fit(make):
    with pytest.raises(NotFittedError):
        make().transform(IMAGES)


# Modules whose public names this catalogue answers for; a name they add
# to __all__ must get its bad-input cases here.
CATALOGUED_MODULES = {
    "sk_metricembed._estimators",
    "sk_metricembed.constraints",
    "sk_metricembed.metrics",
    "sk_metricembed.hog",
    "sk_metricembed.torch_features",
}
CATALOGUED_NAMES = {
    "SiameseAutoencoderEmbedder",
    "TripletVAEEmbedder",
    "HOGTransformer",
    "TorchFeatureExtractor",
    "triplet_accuracy_score",
    "knn_accuracy_score",
    "triplet_accuracy_scorer",
    "knn_accuracy_scorer",
    "make_embedding_scorer",
    "sample_pairs",
    "sample_triplets",
    "triplets_to_pairs",
    "pairs_to_triplets",
    "tuples_to_rows",
    "pair_auc_score",
    "triplet_satisfied_score",
}


def test_catalogue_covers_every_public_name_of_its_modules():
    def module_of(name):
        obj = getattr(sk_metricembed, name)
        return getattr(obj, "__module__", None) or type(obj).__module__

    def catalogued(module):
        # A sub-package's private modules (metrics._scorer) count as it.
        return any(
            module == package or module.startswith(f"{package}.")
            for package in CATALOGUED_MODULES
        )

    public = {
        name
        for name in sk_metricembed.__all__
        if catalogued(module_of(name))
        or name in ("triplet_accuracy_scorer", "knn_accuracy_scorer")
    }
    assert CATALOGUED_NAMES <= set(sk_metricembed.__all__)
    missing = public - CATALOGUED_NAMES
    assert not missing, f"add bad-input cases for {sorted(missing)}"


def test_no_warning_leaks_from_a_valid_fit():
    # The catalogue's warnings are deliberate: a clean input gives none.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        SiameseAutoencoderEmbedder(**FAST).fit(X_OK, Y_OK)


@pytest.mark.parametrize("Estimator", ESTIMATORS)
@pytest.mark.parametrize(
    "shape, fix",
    [((1, 8, 8), r"pass image_shape=\(8, 8\)"), ((3, 4, 16), r"\(4, 16, 3\)")],
)
def test_a_channels_first_image_shape_is_refused_before_training(
    Estimator, shape, fix, no_training
):
    # torch's (channels, height, width) would train on images 1 or 3 pixels
    # high with 8 or 16 channels, and fail only when an image is drawn.
    X = np.random.RandomState(0).rand(20, int(np.prod(shape))).astype(np.float32)
    with pytest.raises(ValueError, match=rf"channels last.*{fix}"):
        Estimator(**FAST, image_shape=shape).fit(X, np.arange(20) % 2)


@pytest.mark.parametrize("shape", [(8, 8, 1), (4, 4, 4), (2, 4, 8), (64, 64, 13)])
def test_channels_last_image_shapes_are_taken(shape):
    from sk_metricembed._validation import check_channels_last

    check_channels_last(shape)  # no error: a height of 2 or 64 is no channel count
