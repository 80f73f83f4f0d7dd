"""Tests for HOGTransformer: exact agreement with skimage, shapes and errors."""

import gzip
import pickle
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from sk_metricembed import _hog_batched
from sk_metricembed.hog import BLOCK_NORMS, HOGTransformer

# scikit-image is the reference the batched HOG is checked against (dev extra).
hog = pytest.importorskip("skimage.feature").hog

MNIST = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "data"
    / "mnist10k"
    / "t10k-images-idx3-ubyte.gz"
)
ONE_PIXEL_CELLS = {"pixels_per_cell": (1, 1), "cells_per_block": (1, 1)}


def mnist_images(n_images: int = 64) -> np.ndarray:
    """The first MNIST test images (uint8, 28x28), or random ones without data."""
    if MNIST.exists():
        with gzip.open(MNIST) as stream:
            header = np.frombuffer(stream.read(16), dtype=">u4")
            pixels = stream.read(n_images * 28 * 28)
        assert header[0] == 2051
        return np.frombuffer(pixels, dtype=np.uint8).reshape(n_images, 28, 28)
    rng = np.random.default_rng(0)
    return rng.integers(0, 256, size=(n_images, 28, 28), dtype=np.uint8)


def skimage_hog(images: np.ndarray, **params) -> np.ndarray:
    return np.stack([hog(image, feature_vector=True, **params) for image in images])


# The common checks feed arbitrary column counts (1, 2, 5, ...), which a
# one-row image with one-pixel cells accepts: image_shape=(1, -1) reads any
# row length. The channel_axis instances run the colour path on the same data.
@parametrize_with_checks(
    [
        HOGTransformer(image_shape=(1, -1), **ONE_PIXEL_CELLS),
        HOGTransformer(
            image_shape=(1, -1),
            block_norm="L1",
            transform_sqrt=True,
            orientations=3,
            **ONE_PIXEL_CELLS,
        ),
        HOGTransformer(image_shape=(1, -1, 1), channel_axis=-1, **ONE_PIXEL_CELLS),
        HOGTransformer(image_shape=(1, 1, -1), channel_axis=0, **ONE_PIXEL_CELLS),
    ]
)
def test_sklearn_compatible(estimator, check):
    check(estimator)


@pytest.mark.parametrize("block_norm", BLOCK_NORMS)
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"pixels_per_cell": (7, 5), "cells_per_block": (2, 3), "orientations": 7},
        {"pixels_per_cell": (4, 4), "cells_per_block": (1, 1), "orientations": 12},
        {"pixels_per_cell": (6, 6), "cells_per_block": (2, 2), "transform_sqrt": True},
    ],
)
def test_matches_skimage_on_mnist(block_norm, params):
    images = mnist_images()
    expected = skimage_hog(images, block_norm=block_norm, **params)
    transformer = HOGTransformer(block_norm=block_norm, **params)
    features = transformer.fit_transform(images.reshape(len(images), -1))
    assert features.shape == expected.shape
    assert_allclose(features, expected, rtol=0, atol=1e-10)


def test_matches_skimage_on_digits():
    images = load_digits().images[:100]
    params = {"pixels_per_cell": (2, 2), "cells_per_block": (2, 2)}
    features = HOGTransformer(**params).fit_transform(images.reshape(100, -1))
    assert_allclose(features, skimage_hog(images, **params), rtol=0, atol=1e-10)


def test_float32_input_is_preserved_and_matches_skimage():
    images = mnist_images(20).astype(np.float32) / 255
    features = HOGTransformer(pixels_per_cell=(5, 5)).fit_transform(images)
    expected = skimage_hog(images, pixels_per_cell=(5, 5))
    assert features.dtype == np.float32 == expected.dtype
    assert_allclose(features, expected, rtol=0, atol=1e-6)


@pytest.mark.parametrize("channel_axis", [0, -1])
def test_colour_images_match_skimage(channel_axis):
    rng = np.random.default_rng(1)
    images = rng.random((12, 3, 20, 17) if channel_axis == 0 else (12, 20, 17, 3))
    params = {"pixels_per_cell": (4, 4), "cells_per_block": (2, 2)}
    expected = skimage_hog(images, channel_axis=channel_axis, **params)
    transformer = HOGTransformer(channel_axis=channel_axis, **params)
    assert_allclose(transformer.fit_transform(images), expected, rtol=0, atol=1e-10)
    flat = HOGTransformer(
        channel_axis=channel_axis, image_shape=images.shape[1:], **params
    ).fit_transform(images.reshape(12, -1))
    assert_allclose(flat, expected, rtol=0, atol=1e-10)


@settings(max_examples=25, deadline=None)
@given(
    height=st.integers(4, 19),
    width=st.integers(4, 19),
    cell=st.tuples(st.integers(1, 4), st.integers(1, 4)),
    block=st.tuples(st.integers(1, 2), st.integers(1, 2)),
    orientations=st.integers(1, 13),
    block_norm=st.sampled_from(BLOCK_NORMS),
    seed=st.integers(0, 2**16),
)
def test_matches_skimage_for_any_geometry(
    height, width, cell, block, orientations, block_norm, seed
):
    rng = np.random.default_rng(seed)
    # Small integers give many equal neighbours and axis-aligned gradients,
    # i.e. angles exactly on the bin edges.
    images = rng.integers(0, 4, size=(3, height, width)).astype(float)
    params = {
        "pixels_per_cell": cell,
        "cells_per_block": block,
        "orientations": orientations,
        "block_norm": block_norm,
    }
    if min(height // cell[0] - block[0], width // cell[1] - block[1]) < 0:
        with pytest.raises(ValueError, match="smaller than one block"):
            HOGTransformer(**params).fit(images)
        return
    features = HOGTransformer(**params).fit_transform(images)
    assert_allclose(features, skimage_hog(images, **params), rtol=0, atol=1e-10)


def test_flat_rows_stacks_and_inferred_shapes_agree():
    images = mnist_images(10).astype(float)
    from_stack = HOGTransformer().fit(images)
    from_rows = HOGTransformer().fit(images.reshape(10, -1))
    explicit = HOGTransformer(image_shape=(28, -1)).fit(images.reshape(10, -1))
    assert from_stack.image_shape_ == from_rows.image_shape_ == (28, 28)
    assert explicit.image_shape_ == (28, 28)
    assert from_rows.n_features_in_ == from_stack.n_features_in_ == 784
    features = from_rows.transform(images.reshape(10, -1))
    assert from_rows.n_features_out_ == features.shape[1] == 81
    assert_array_equal(from_stack.transform(images), features)
    # A transformer fitted on rows accepts a stack of the same images.
    assert_array_equal(from_rows.transform(images), features)


def test_non_square_image_shape():
    images = mnist_images(6).astype(float)[:, :, :20]
    transformer = HOGTransformer(image_shape=(28, 20), pixels_per_cell=(4, 4))
    features = transformer.fit_transform(images.reshape(6, -1))
    assert_allclose(features, skimage_hog(images, pixels_per_cell=(4, 4)), atol=1e-10)


def test_digits_shape_is_inferred():
    transformer = HOGTransformer(pixels_per_cell=(4, 4), cells_per_block=(1, 1))
    transformer.fit(load_digits().data)
    assert transformer.image_shape_ == (8, 8)
    assert transformer.n_features_out_ == 4 * 9


def test_small_batches_and_jobs_give_the_same_features(monkeypatch):
    images = mnist_images(50).reshape(50, -1)
    expected = HOGTransformer().fit_transform(images)
    monkeypatch.setattr(_hog_batched, "_PIXELS_PER_BATCH", 784 * 7)
    assert_array_equal(HOGTransformer().fit_transform(images), expected)
    assert_array_equal(HOGTransformer(n_jobs=2).fit_transform(images), expected)


def test_feature_names():
    transformer = HOGTransformer().fit(mnist_images(3).reshape(3, -1))
    names = transformer.get_feature_names_out()
    assert names.dtype == object
    assert list(names[:3]) == ["hog0", "hog1", "hog2"]
    assert len(names) == transformer.n_features_out_


def test_clone_pickle_and_pipeline():
    images = mnist_images(20).reshape(20, -1)
    transformer = HOGTransformer(orientations=6, block_norm="L1").fit(images)
    restored = pickle.loads(pickle.dumps(transformer))
    assert_array_equal(restored.transform(images), transformer.transform(images))
    copy = clone(transformer)
    assert copy.get_params() == transformer.get_params()
    assert not hasattr(copy, "n_features_out_")
    pipeline = make_pipeline(HOGTransformer(), StandardScaler()).fit(images)
    assert pipeline.transform(images).shape == (20, 81)


def test_transform_requires_fit():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        HOGTransformer().transform(mnist_images(2).reshape(2, -1))


@pytest.mark.parametrize(
    "params, X, match",
    [
        (
            {},
            np.zeros((3, 50)),
            "rows of 50 values are not square images; pass image_shape=",
        ),
        (
            {"image_shape": (28, 27)},
            np.zeros((3, 784)),
            r"image_shape=\(28, 27\) holds 756 values .* 784 features",
        ),
        (
            {"image_shape": (-1, 30)},
            np.zeros((3, 784)),
            r"image_shape=\(-1, 30\) .* not a multiple of 30; .* product is 784",
        ),
        ({"image_shape": (-1, 0)}, np.zeros((3, 784)), "positive integer sizes"),
        ({"image_shape": (28, 28.0)}, np.zeros((3, 784)), "positive integer sizes"),
        ({"image_shape": (28, 28.0)}, np.zeros((3, 28, 28)), "positive integer"),
        ({"image_shape": (-1, 27)}, np.zeros((3, 28, 28)), "does not match"),
        ({"image_shape": (-1, -1)}, np.zeros((3, 784)), "at most one"),
        ({"image_shape": (28, 28)}, np.zeros((3, 27, 28)), "does not match"),
        ({}, np.zeros((3, 16)), "smaller than one block"),
        ({"pixels_per_cell": (8, 0)}, np.zeros((3, 784)), r"must be a pair.*\(8, 0\)"),
        ({"cells_per_block": (2, 2, 2)}, np.zeros((3, 784)), "cells_per_block"),
        ({"channel_axis": -1}, np.zeros((3, 784 * 3)), "only square grey"),
        (
            {"image_shape": (28, 28, 3)},
            np.zeros((3, 784 * 3)),
            r"channel_axis=None; .* set channel_axis=-1",
        ),
        ({"channel_axis": -1}, np.zeros((3, 28, 28)), "with 3 image dimensions"),
        ({"transform_sqrt": True}, -np.ones((3, 784)), "Negative values.*sqrt"),
        ({}, np.full((3, 784), np.nan), "NaN"),
        ({}, np.full((3, 784), np.inf), "infinity"),
        ({"n_jobs": 0}, np.zeros((3, 784)), "n_jobs=0 runs no worker"),
    ],
)
def test_errors_name_the_problem(params, X, match):
    with pytest.raises(ValueError, match=match):
        HOGTransformer(**params).fit(X)


def test_invalid_parameter_values_are_rejected():
    with pytest.raises(ValueError, match="block_norm"):
        HOGTransformer(block_norm="L3").fit(np.zeros((2, 784)))
    with pytest.raises(ValueError, match="orientations"):
        HOGTransformer(orientations=0).fit(np.zeros((2, 784)))


def test_transform_rejects_other_image_sizes():
    transformer = HOGTransformer().fit(np.zeros((2, 784)))
    with pytest.raises(ValueError, match="784 features"):
        transformer.transform(np.zeros((2, 900)))
    with pytest.raises(ValueError, match=r"images of shape \(28, 28\)"):
        transformer.transform(np.zeros((2, 14, 56)))
