"""Tests of sk_metricembed.constraints: sampling, conversion and validation."""

import itertools
import warnings
from collections import Counter

import numpy as np
import pytest

from sk_metricembed.constraints import (
    check_pairs,
    check_triplets,
    pairs_to_triplets,
    sample_pairs,
    sample_triplets,
    triplets_to_pairs,
)

# Class 3 is a singleton: it can only ever be a negative.
Y = np.array([0, 0, 0, 1, 1, -1, 2, 2, 2, 2, -1, 3, 1, -1])


# --- sampling from labels --------------------------------------------------------


@pytest.mark.parametrize("n_pairs", [2, 7, 40])
def test_sample_pairs_class_properties(n_pairs):
    pairs, pair_labels = sample_pairs(Y, n_pairs, random_state=0)
    assert pairs.shape == (n_pairs, 2)
    assert pair_labels.shape == (n_pairs,)
    assert int(pair_labels.sum()) == n_pairs // 2
    assert set(np.unique(pair_labels)) <= {0, 1}
    assert (Y[pairs] >= 0).all(), "unlabelled rows must never be drawn"
    assert (pairs[:, 0] != pairs[:, 1]).all()
    similar = pair_labels == 1
    assert (Y[pairs[similar, 0]] == Y[pairs[similar, 1]]).all()
    assert (Y[pairs[~similar, 0]] != Y[pairs[~similar, 1]]).all()


@pytest.mark.parametrize("n_triplets", [1, 5, 60])
def test_sample_triplets_class_properties(n_triplets):
    triplets = sample_triplets(Y, n_triplets, random_state=1)
    assert triplets.shape == (n_triplets, 3)
    anchor, positive, negative = triplets.T
    assert (Y[triplets] >= 0).all()
    assert (anchor != positive).all()
    assert (Y[anchor] == Y[positive]).all()
    assert (Y[anchor] != Y[negative]).all()


def test_sampling_is_deterministic_given_random_state():
    first = sample_triplets(Y, 30, random_state=3)
    np.testing.assert_array_equal(first, sample_triplets(Y, 30, random_state=3))
    np.testing.assert_array_equal(
        first, sample_triplets(Y, 30, random_state=np.random.RandomState(3))
    )
    assert not np.array_equal(first, sample_triplets(Y, 30, random_state=4))
    pairs, labels = sample_pairs(Y, 30, random_state=5)
    pairs_again, labels_again = sample_pairs(Y, 30, random_state=5)
    np.testing.assert_array_equal(pairs, pairs_again)
    np.testing.assert_array_equal(labels, labels_again)


def test_sample_pairs_mixes_similar_and_dissimilar():
    _, pair_labels = sample_pairs(Y, 200, random_state=0)
    # Shuffled, not 100 ones followed by 100 zeros.
    assert pair_labels[:100].sum() not in (0, 100)


def test_sampled_members_are_roughly_uniform():
    y = np.array([0, 0, 0, 0, 1, 1, 1, -1, 2])
    triplets = sample_triplets(y, 9000, random_state=0)
    anchor, positive, negative = triplets.T
    # Anchors: uniform over the 7 rows of classes with a partner (never 8).
    anchor_counts = Counter(anchor.tolist())
    assert set(anchor_counts) == set(range(7))
    for count in anchor_counts.values():
        assert count / len(anchor) == pytest.approx(1 / 7, abs=0.025)
    # Positives of anchor 0: uniform over rows 1, 2, 3.
    positive_counts = Counter(positive[anchor == 0].tolist())
    assert set(positive_counts) == {1, 2, 3}
    for count in positive_counts.values():
        assert count / (anchor == 0).sum() == pytest.approx(1 / 3, abs=0.06)
    # Negatives of a class-0 anchor: uniform over rows 4, 5, 6, 8.
    negative_counts = Counter(negative[y[anchor] == 0].tolist())
    assert set(negative_counts) == {4, 5, 6, 8}
    for count in negative_counts.values():
        assert count / (y[anchor] == 0).sum() == pytest.approx(1 / 4, abs=0.04)


@pytest.mark.parametrize(
    "y",
    [
        np.array([0, 0, 0, -1]),  # one class
        np.array([-1, -1, -1]),  # no labels
        np.array([0, 1, 2, -1]),  # no class with two rows
    ],
    ids=["one_class", "unlabelled", "no_partner"],
)
def test_sampling_rejects_labels_without_constraints(y):
    with pytest.raises(ValueError, match="y"):
        sample_triplets(y, 3, random_state=0)
    with pytest.raises(ValueError, match="y"):
        sample_pairs(y, 4, random_state=0)


@pytest.mark.parametrize("n", [0, -2, 2.5])
def test_sampling_rejects_bad_counts(n):
    with pytest.raises(ValueError):
        sample_triplets(Y, n, random_state=0)
    with pytest.raises(ValueError):
        sample_pairs(Y, n, random_state=0)


def test_sample_pairs_with_a_single_pair():
    pairs, pair_labels = sample_pairs(Y, 1, random_state=0)
    assert pairs.shape == (1, 2)
    assert pair_labels.tolist() == [0]
    assert Y[pairs[0, 0]] != Y[pairs[0, 1]]


def test_samplers_read_text_labels_as_fit_does():
    # Text labels, None and blank text for unlabelled rows: the same draws
    # as their integer codes (a LabelEncoder would make "" a class).
    codes = np.array([0, 1, -1, 0, 1, -1, 0, 2, 2, -1])
    text = np.array(["ant", "cat", "dog"], dtype=object)[codes]
    text[codes < 0] = None
    text[5] = ""
    pairs, pair_labels = sample_pairs(text, 8, random_state=0)
    expected = sample_pairs(codes, 8, random_state=0)
    np.testing.assert_array_equal(pairs, expected[0])
    np.testing.assert_array_equal(pair_labels, expected[1])
    triplets = sample_triplets(text, 8, random_state=0)
    np.testing.assert_array_equal(triplets, sample_triplets(codes, 8, random_state=0))
    drawn = np.r_[pairs.ravel(), triplets.ravel()]
    assert not np.isin(drawn, np.flatnonzero(codes < 0)).any()


# --- conversions -------------------------------------------------------------------


def test_triplets_to_pairs_refuses_triplets_that_contradict():
    with pytest.raises(ValueError, match=r"together with \(anchor, negative"):
        triplets_to_pairs([[0, 1, 2], [0, 2, 1]])


def test_triplets_to_pairs_splits_each_triplet():
    triplets = np.array([[0, 1, 2], [5, 3, 4]])
    pairs, pair_labels = triplets_to_pairs(triplets)
    assert pairs.tolist() == [[0, 1], [5, 3], [0, 2], [5, 4]]
    assert pair_labels.tolist() == [1, 1, 0, 0]


def _brute_pairs_to_triplets(pairs, pair_labels):
    triplets = []
    for (i, j), s in zip(pairs, pair_labels):
        if s != 1:
            continue
        for anchor, positive in ((i, j), (j, i)):
            for (k, m), t in zip(pairs, pair_labels):
                if t == 1:
                    continue
                if k == anchor:
                    triplets.append((anchor, positive, m))
                if m == anchor:
                    triplets.append((anchor, positive, k))
    return Counter(triplets)


@pytest.mark.parametrize("seed", range(4))
def test_pairs_to_triplets_matches_brute_force(seed):
    rng = np.random.RandomState(seed)
    candidates = np.array(list(itertools.combinations(range(8), 2)))
    pairs = candidates[rng.choice(len(candidates), size=12, replace=False)]
    pairs = np.where(rng.rand(12, 1) < 0.5, pairs, pairs[:, ::-1])
    pair_labels = rng.choice([1, 0, -1], size=12)
    triplets = pairs_to_triplets(pairs, pair_labels)
    assert triplets.ndim == 2 and triplets.shape[1] == 3
    expected = _brute_pairs_to_triplets(pairs.tolist(), pair_labels.tolist())
    assert sum(expected.values()) > 0
    assert Counter(map(tuple, triplets.tolist())) == expected


def test_pairs_to_triplets_without_a_shared_row_is_empty():
    triplets = pairs_to_triplets([[0, 1], [2, 3]], [1, 0])
    assert triplets.shape == (0, 3)
    assert pairs_to_triplets([[0, 1]], [1]).shape == (0, 3)


def test_round_trip_recovers_triplets():
    triplets = np.array([[0, 1, 2], [3, 4, 5]])
    recovered = pairs_to_triplets(*triplets_to_pairs(triplets))
    assert {tuple(t) for t in triplets.tolist()} <= {
        tuple(t) for t in recovered.tolist()
    }
    for anchor, positive, negative in recovered.tolist():
        # Every recovered triplet comes from the same source triplet.
        assert any({anchor, positive, negative} == set(t) for t in triplets.tolist())


# --- validation of explicit constraints -------------------------------------------


def test_check_pairs_returns_rows_and_similar():
    pairs, similar = check_pairs([[0, 1], [2, 1], [3, 0]], [1, -1, 0], n_samples=4)
    assert pairs.tolist() == [[0, 1], [2, 1], [3, 0]]
    assert similar.tolist() == [1, 0, 0]
    assert np.issubdtype(pairs.dtype, np.integer)


def test_check_pairs_accepts_consistent_duplicates():
    pairs, similar = check_pairs([[0, 1], [1, 0]], [1, 1], n_samples=2)
    assert similar.tolist() == [1, 1]
    check_pairs([[0, 1], [1, 0]], [0, -1], n_samples=2)


@pytest.mark.parametrize(
    ("pairs", "pair_labels", "error", "match"),
    [
        ([[0, 1]], None, ValueError, "pair_labels"),
        ([[0, 1], [1, 2]], [1], ValueError, "pair_labels"),
        ([[0, 1], [1, 2]], [[1, 0]], ValueError, "pair_labels"),
        ([[0, 1], [1, 2]], [1, 2], ValueError, "pair_labels"),
        ([0, 1], [1], ValueError, "pairs"),
        ([[0, 1, 2]], [1], ValueError, "pairs"),
        (np.empty((0, 2), dtype=int), [], ValueError, "pairs"),
        ([[0.0, 1.0]], [1], TypeError, "pairs"),
        ([[True, False]], [1], TypeError, "pairs"),
        ([[0, 0], [1, 2]], [1, 0], ValueError, "pairs row 0 repeats"),
        ([[0, 5]], [1], ValueError, r"\[0, 4\]"),
        ([[-1, 2]], [1], ValueError, r"\[0, 4\]"),
        ([[0, 1], [1, 0]], [1, 0], ValueError, "both similar and dissimilar"),
        ([[0, 1], [2, 3], [1, 0]], [1, 1, -1], ValueError, "both similar"),
    ],
    ids=[
        "labels_missing",
        "labels_short",
        "labels_2d",
        "labels_value",
        "pairs_1d",
        "pairs_width",
        "pairs_empty",
        "pairs_float",
        "pairs_bool",
        "self_pair",
        "too_large",
        "negative",
        "contradictory",
        "contradictory_minus_one",
    ],
)
def test_check_pairs_rejects(pairs, pair_labels, error, match):
    with pytest.raises(error, match=match):
        check_pairs(pairs, pair_labels, n_samples=5)


def test_check_triplets_returns_rows():
    triplets = check_triplets(np.array([[0, 1, 2], [2, 0, 3]], dtype=np.int32), 4)
    assert triplets.tolist() == [[0, 1, 2], [2, 0, 3]]
    assert np.issubdtype(triplets.dtype, np.integer)


@pytest.mark.parametrize(
    ("triplets", "error", "match"),
    [
        ([[0, 1]], ValueError, "triplets"),
        ([0, 1, 2], ValueError, "triplets"),
        (np.empty((0, 3), dtype=int), ValueError, "triplets"),
        ([[0.0, 1.0, 2.0]], TypeError, "triplets"),
        ([[0, 1, 2], [3, 1, 3]], ValueError, "triplets row 1 repeats"),
        ([[0, 0, 1]], ValueError, "repeats"),
        ([[0, 1, 4]], ValueError, r"\[0, 3\]"),
        ([[0, -2, 1]], ValueError, r"\[0, 3\]"),
    ],
    ids=["width", "1d", "empty", "float", "repeat_neg", "repeat_pos", "big", "neg"],
)
def test_check_triplets_rejects(triplets, error, match):
    with pytest.raises(error, match=match):
        check_triplets(triplets, n_samples=4)


# --- sample_index: identifiers instead of row positions ----------------------------


def test_check_pairs_maps_identifiers_and_drops_outsiders():
    # Rows hold identifiers 40, 10, 30, 20 (a shuffled fold); 99 is elsewhere.
    sample_index = np.array([40, 10, 30, 20])
    pairs = np.array([[10, 30], [20, 99], [40, 20], [77, 10]])
    with pytest.warns(UserWarning, match="2 pairs reach rows outside sample_index"):
        rows, similar = check_pairs(pairs, [1, 0, 0, 1], 4, sample_index)
    assert rows.tolist() == [[1, 2], [0, 3]]
    assert similar.tolist() == [1, 0]
    np.testing.assert_array_equal(sample_index[rows], pairs[[0, 2]])


def test_contradictions_are_shown_by_the_identifiers_written():
    ids = np.array(["p0", "p1", "p2", "p3"])
    with pytest.raises(ValueError, match=r"for example \['p1', 'p3'\]"):
        check_pairs([["p3", "p1"], ["p1", "p3"]], [1, 0], 4, ids)
    with pytest.raises(ValueError, match=r"for example \['p0', 'p1', 'p2'\]"):
        check_triplets([["p0", "p1", "p2"], ["p0", "p2", "p1"]], 4, sample_index=ids)


def test_check_pairs_identifiers_inside_need_no_warning():
    sample_index = np.array([7, 3, 5])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rows, _ = check_pairs([[3, 7], [5, 3]], [1, 0], 3, sample_index)
    assert rows.tolist() == [[1, 0], [2, 1]]


def test_identifiers_beyond_n_samples_are_not_out_of_range():
    # With sample_index the bound is membership, not n_samples.
    sample_index = np.array([1000, 2000])
    with pytest.warns(UserWarning, match="1 triplets"):
        rows = check_triplets([[1000, 2000, 3000]], 2, sample_index=sample_index)
    assert rows.shape == (0, 3)
    rows, similar = check_pairs(
        [[2000, 1000]], [1], n_samples=2, sample_index=sample_index
    )
    assert rows.tolist() == [[1, 0]]


def test_contradiction_dropped_with_its_fold_is_not_an_error():
    sample_index = np.array([1, 2, 3])
    with pytest.warns(UserWarning, match="1 pairs"):
        rows, similar = check_pairs(
            [[1, 2], [2, 9]], [1, 0], n_samples=3, sample_index=sample_index
        )
    assert rows.tolist() == [[0, 1]]
    with pytest.raises(ValueError, match="both similar"):
        check_pairs([[1, 2], [2, 1]], [1, 0], n_samples=3, sample_index=sample_index)


def test_check_triplets_maps_identifiers_and_warns():
    sample_index = np.array([12, 11, 15, 13, 14])
    triplets = np.array([[11, 12, 13], [14, 16, 12], [15, 14, 11], [0, 1, 2]])
    with pytest.warns(UserWarning, match="2 triplets"):
        rows = check_triplets(triplets, 5, sample_index)
    assert rows.tolist() == [[1, 0, 3], [2, 4, 1]]
    np.testing.assert_array_equal(sample_index[rows], triplets[[0, 2]])


def test_text_identifiers_map_as_numbers_do():
    # A DataFrame's string index as sample_index: constraints name its rows.
    sample_index = np.array(["b", "d", "a", "c"], dtype=object)
    with pytest.warns(UserWarning, match="1 pairs"):
        rows, similar = check_pairs([["a", "b"], ["c", "z"]], [1, 0], 4, sample_index)
    assert rows.tolist() == [[2, 0]] and similar.tolist() == [1]
    assert check_triplets([["d", "c", "a"]], 4, list(sample_index)).tolist() == [
        [1, 3, 2]
    ]
    with pytest.raises(TypeError, match="identifiers of sample_index"):
        check_pairs([[0, 1]], [1], 4, sample_index)


def test_float_indices_are_told_how_to_cast():
    # fit's pairs may hold identifiers instead; the conversions' may not.
    with pytest.raises(TypeError, match=r"astype\(int\), or pass sample_index"):
        check_pairs(np.array([[0.0, 1.0]]), [1], 3)
    with pytest.raises(TypeError, match=r"astype\(int\)\.$"):
        pairs_to_triplets(np.array([[0.0, 1.0]]), [1])


def test_nan_indices_are_not_told_to_cast():
    with pytest.raises(TypeError, match=r"whole number \(no NaN\)") as error:
        check_pairs(np.array([[0.0, np.nan]]), [1], 3)
    assert "astype" not in str(error.value)


def test_empty_constraints_are_told_to_pass_none():
    with pytest.raises(ValueError, match="pass pairs=None for none"):
        check_pairs(np.empty((0, 2), dtype=int), [], 3)
    with pytest.raises(ValueError, match="pass triplets=None for none"):
        check_triplets(np.empty((0, 3), dtype=int), 3)


def test_pandas_nullable_integers_are_indices():
    pd = pytest.importorskip("pandas")
    pairs = pd.DataFrame([[0, 1], [2, 0]]).astype("Int64")
    labels = np.array([1, 0], dtype=object)
    rows, similar = check_pairs(pairs, labels, 3)
    assert rows.tolist() == [[0, 1], [2, 0]] and similar.tolist() == [1, 0]
    triplets = pd.DataFrame([[0, 1, 2]]).astype("Int64")
    assert check_triplets(triplets, 3).tolist() == [[0, 1, 2]]
    with pytest.raises(TypeError, match="whole number"):
        check_pairs(pd.DataFrame([[0, None]]).astype("Int64"), [1], 3)


# --- edge cases found while auditing ------------------------------------------------


def test_sample_pairs_single_dissimilar_pair_needs_no_partner_class():
    y = np.array([0, 1, -1])
    pairs, pair_labels = sample_pairs(y, 1, random_state=0)
    assert pair_labels.tolist() == [0]
    assert sorted(pairs[0].tolist()) == [0, 1]


@pytest.mark.parametrize("dtype", [np.int32, np.uint8, np.uint64])
def test_check_constraints_accept_every_integer_dtype(dtype):
    pairs, similar = check_pairs(np.array([[0, 1], [2, 0]], dtype=dtype), [1, 0], 3)
    assert pairs.tolist() == [[0, 1], [2, 0]]
    assert similar.tolist() == [1, 0]
    triplets = check_triplets(np.array([[0, 1, 2]], dtype=dtype), 3)
    assert triplets.tolist() == [[0, 1, 2]]


def test_all_constraints_outside_sample_index_leave_an_empty_set():
    sample_index = np.array([5, 6, 7])
    with pytest.warns(UserWarning, match="2 pairs"):
        rows, similar = check_pairs([[0, 1], [8, 9]], [1, 0], 3, sample_index)
    assert rows.shape == (0, 2) and similar.shape == (0,)


@pytest.mark.parametrize("seed", range(3))
def test_sampled_constraints_pass_validation(seed):
    # What sample_* produces is always acceptable to check_*.
    pairs, pair_labels = sample_pairs(Y, 50, random_state=seed)
    rows, similar = check_pairs(pairs, pair_labels, len(Y))
    np.testing.assert_array_equal(similar, pair_labels)
    triplets = sample_triplets(Y, 50, random_state=seed)
    np.testing.assert_array_equal(check_triplets(triplets, len(Y)), triplets)


def test_tuples_to_rows_gives_each_distinct_row_once_and_its_indices():
    from sk_metricembed import tuples_to_rows

    rng = np.random.RandomState(0)
    rows = rng.rand(6, 4)
    triplets = np.array([[0, 1, 2], [3, 4, 5], [0, 4, 1]])
    X, index = tuples_to_rows(rows[triplets])
    assert X.shape == (6, 4) and X.dtype == rows.dtype
    assert index.shape == (3, 3) and index.dtype == np.int64
    np.testing.assert_array_equal(X[index], rows[triplets])
    # Row 0 and row 4 appear twice: one row of X each.
    assert index[0, 0] == index[2, 0] and index[1, 1] == index[2, 1]
    # Rows apart in the tuples' precision stay apart (in float32 they were
    # one row, and their pair a self-pair).
    close = np.array([[[1.0, 2.0], [1.0, 2.0 + 1e-9]]])
    X, pairs = tuples_to_rows(close)
    assert len(X) == 2 and pairs.tolist() == [[0, 1]]
    for bad in (rows, rows[None], np.zeros((0, 2, 4)), rows[np.zeros((2, 4), int)]):
        with pytest.raises(ValueError, match="tuples must be a non-empty array"):
            tuples_to_rows(bad)


def test_tuples_to_rows_indexes_held_out_tuples_into_given_rows():
    from sk_metricembed import tuples_to_rows

    rows = np.random.RandomState(0).rand(8, 3)
    rows[5, 0] = 0.0
    held_out = rows[[[5, 2], [7, 5]]]
    held_out[0, 0, 0] = -0.0  # the same row
    X, pairs = tuples_to_rows(held_out, rows=rows)
    assert X is rows and pairs.tolist() == [[5, 2], [7, 5]]
    with pytest.raises(ValueError, match="2 of the tuples' 4 members are no row"):
        tuples_to_rows(held_out + [[0.0], [1.0]], rows=rows)
    with pytest.raises(ValueError, match="rows must be 2-D with the tuples' 3"):
        tuples_to_rows(held_out, rows=rows[:, :2])


def test_fit_points_row_tuples_to_tuples_to_rows_and_trains_on_its_output():
    from sklearn.datasets import load_digits

    from sk_metricembed import SiameseAutoencoderEmbedder, tuples_to_rows

    X, y = load_digits(return_X_y=True)
    X = (X[:300] / 16).astype(np.float32)
    pairs, similar = sample_pairs(y[:300], 200, random_state=0)
    embedder = SiameseAutoencoderEmbedder(latent_dim=4, max_epochs=5, random_state=0)
    with pytest.raises(ValueError, match=r"X, pairs = sk_metricembed.constraints"):
        embedder.fit(X, pairs=X[pairs], pair_labels=similar)
    assert not hasattr(embedder, "net_")
    X_rows, index = tuples_to_rows(X[pairs])
    embedder.fit(X_rows, pairs=index, pair_labels=similar)
    distances = embedder.pair_distance(index, X_rows)
    # Trained on them: similar pairs end closer than dissimilar ones.
    assert distances[similar == 1].mean() < distances[similar == 0].mean()
