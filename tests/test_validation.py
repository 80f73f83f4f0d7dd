"""Tests of sk_metricembed._validation: the input rules every entry point shares."""

import warnings

import numpy as np
import pytest
from sklearn.base import BaseEstimator

from sk_metricembed import SiameseAutoencoderEmbedder, TripletVAEEmbedder
from sk_metricembed._labels import check_labels
from sk_metricembed._validation import (
    resolve_image_shape,
    validate_images,
    warn,
)
from sk_metricembed.constraints import check_pairs

FAST = dict(max_epochs=1, hidden_layer_sizes=(8,), latent_dim=2, random_state=0)
X = np.random.RandomState(0).rand(30, 6).astype(np.float32)


# --- labels ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "y, expected",
    [
        ([0, 1, -1], [0, 1, -1]),
        ([0.0, 2.0, -1.0], [0, 2, -1]),
        ([0.0, np.nan, 1.0], [0, -1, 1]),
        ([0, None, 1], [0, -1, 1]),
        (np.array([3, 1], dtype=np.uint8), [3, 1]),
    ],
)
def test_check_labels_gives_int64_class_indices(y, expected):
    labels = check_labels(y)
    assert labels.dtype == np.int64
    assert labels.tolist() == expected


@pytest.mark.parametrize(
    "y, error, match",
    [
        (["a", "b"], TypeError, "Unknown label type: y must hold integer"),
        ([True, False], TypeError, "keep -1 for the unlabelled rows"),
        ([0.5, 1.0], ValueError, "non-integer value"),
        ([0.0, np.inf], ValueError, "non-integer value inf"),
        (["a", 1], TypeError, "y mixes label types"),
        ([0, -2], ValueError, r"below -1 \(min -2\)"),
        ([[0, 1], [1, 0]], ValueError, "1-D"),
    ],
)
def test_check_labels_names_the_problem(y, error, match):
    with pytest.raises(error, match=match):
        check_labels(y)


# --- image shapes ------------------------------------------------------------------


def test_resolve_image_shape_checks_sizes_and_product():
    assert resolve_image_shape(None, 64) is None
    assert resolve_image_shape(None, 64, square=True) == (8, 8)
    assert resolve_image_shape([4, 4, 3], 48) == (4, 4, 3)
    with pytest.raises(ValueError, match="not square images"):
        resolve_image_shape(None, 50, square=True)
    with pytest.raises(ValueError, match="holds 60 values per image"):
        resolve_image_shape((6, 10), 64)
    with pytest.raises(ValueError, match="my_shape must hold positive integer"):
        resolve_image_shape((8, 0), 64, name="my_shape")
    with pytest.raises(ValueError, match="positive integer"):
        resolve_image_shape((8, True), 8)


class _Images(BaseEstimator):
    """A minimal estimator that records the image shape it was fitted on."""


def test_validate_images_reads_rows_and_stacks_alike():
    estimator = _Images()
    rows = validate_images(estimator, np.ones((5, 12)), reset=True)
    assert rows.shape == (5, 12) and estimator.n_features_in_ == 12
    stack = validate_images(estimator, np.ones((5, 3, 4)), reset=True)
    assert stack.shape == (5, 3, 4) and estimator.n_features_in_ == 12
    listed = validate_images(estimator, np.ones((2, 3, 4)).tolist(), reset=True)
    assert listed.shape == (2, 3, 4)
    estimator.image_shape_ = (3, 4)
    with pytest.raises(ValueError, match=r"fitted on images of shape \(3, 4\)"):
        validate_images(estimator, np.ones((5, 4, 3)), reset=False)
    with pytest.raises(ValueError, match="12 features"):
        validate_images(estimator, np.ones((5, 13)), reset=False)


def test_validate_images_leaves_a_memmap_unconverted(tmp_path):
    path = tmp_path / "X.dat"
    stored = np.memmap(path, dtype=np.float32, mode="w+", shape=(4, 9))
    stored[:] = 1.0
    stored.flush()
    X_disk = np.memmap(path, dtype=np.float32, mode="r", shape=(4, 9))
    checked = validate_images(
        _Images(), X_disk, reset=True, dtype="numeric", ensure_all_finite=False
    )
    assert isinstance(checked, np.memmap) or np.shares_memory(checked, X_disk)


# --- warnings point at the caller ---------------------------------------------------


def _caught(function):
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        function()
    return [w for w in record if issubclass(w.category, UserWarning)]


def test_warn_names_the_line_that_called_into_the_package():
    record = _caught(lambda: warn("a message"))
    assert record[0].filename == __file__


def test_fit_warnings_point_at_the_users_fit_call():
    # Three warnings reached through different depths of the package (the
    # estimator, its supervision check, the constraint check) all name this
    # file, not the package or scikit-learn's wrappers.
    unsupervised = _caught(lambda: TripletVAEEmbedder(**FAST).fit(X, np.full(30, -1)))
    assert "no supervision" in str(unsupervised[0].message)
    assert unsupervised[0].filename == __file__

    y = np.repeat([0, 1, 2], 10)
    embedder = SiameseAutoencoderEmbedder(**FAST, warm_start=True).fit(X, y % 2)
    unseen = _caught(lambda: embedder.fit(X, y))
    assert "did not see" in str(unseen[0].message)
    assert unseen[0].filename == __file__

    dropped = _caught(
        lambda: SiameseAutoencoderEmbedder(**FAST).fit(
            X,
            pairs=[[100, 101], [102, 200]],
            pair_labels=[1, 0],
            sample_index=np.arange(100, 130),
        )
    )
    assert "outside sample_index" in str(dropped[0].message)
    assert dropped[0].filename == __file__
    direct = _caught(lambda: check_pairs([[0, 99]], [1], 5, np.arange(5)))
    assert direct[0].filename == __file__
