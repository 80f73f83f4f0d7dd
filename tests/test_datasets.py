"""Tests of sk_metricembed.datasets on small IDX files written on the spot."""

import gzip
from pathlib import Path

import numpy as np
import pytest

from sk_metricembed.datasets import load_idx, load_mnist

MNIST10K = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "mnist10k"
MNIST10K_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]

_TYPE_CODES = {"u1": 0x08, "i1": 0x09, ">i2": 0x0B, ">i4": 0x0C, ">f4": 0x0D}


def _idx_bytes(array, dtype):
    array = np.asarray(array, dtype=dtype)
    header = bytes([0, 0, _TYPE_CODES[dtype], array.ndim])
    header += b"".join(int(size).to_bytes(4, "big") for size in array.shape)
    return header + array.tobytes()


def _write(path, data):
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wb") as handle:
        handle.write(data)
    return path


@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_load_idx_reads_uint8_images(tmp_path, suffix):
    images = np.random.RandomState(0).randint(0, 256, size=(3, 4, 5))
    path = _write(tmp_path / f"images{suffix}", _idx_bytes(images, "u1"))
    loaded = load_idx(path)
    assert loaded.dtype == np.uint8
    assert loaded.shape == (3, 4, 5)
    np.testing.assert_array_equal(loaded, images)


@pytest.mark.parametrize("suffix", ["", ".gz"])
@pytest.mark.parametrize("dtype", [">i4", ">i2", "i1", ">f4"])
def test_load_idx_reads_big_endian_types_as_native(tmp_path, suffix, dtype):
    values = np.array([[-70000, 1, 258], [3, -2, 2**20]])
    if dtype in (">i2", "i1"):
        values = values % 100 - 50
    path = _write(tmp_path / f"values{suffix}", _idx_bytes(values, dtype))
    loaded = load_idx(str(path))  # str paths work as well as Path
    assert loaded.shape == (2, 3)
    assert loaded.dtype.isnative
    assert loaded.dtype.kind == np.dtype(dtype).kind
    assert loaded.dtype.itemsize == np.dtype(dtype).itemsize
    np.testing.assert_array_equal(loaded, values.astype(dtype))


def test_load_idx_reads_vectors(tmp_path):
    path = _write(tmp_path / "labels", _idx_bytes([7, 2, 1, 0], "u1"))
    assert load_idx(path).tolist() == [7, 2, 1, 0]


@pytest.mark.parametrize(
    "data",
    [
        bytes([1, 0, 0x08, 1]) + (1).to_bytes(4, "big") + b"\x00",
        bytes([0, 1, 0x08, 1]) + (1).to_bytes(4, "big") + b"\x00",
        bytes([0, 0, 0x07, 1]) + (1).to_bytes(4, "big") + b"\x00",
        b"\x00\x00",
        b"",
    ],
    ids=["first_byte", "second_byte", "type_code", "short", "empty"],
)
def test_load_idx_rejects_bad_magic(tmp_path, data):
    path = _write(tmp_path / "bad", data)
    with pytest.raises(ValueError, match="magic"):
        load_idx(path)


@pytest.mark.parametrize("suffix", ["", ".gz"])
@pytest.mark.parametrize("delta", [-1, 1])
def test_load_idx_rejects_size_mismatch(tmp_path, suffix, delta):
    data = _idx_bytes(np.zeros((2, 3)), ">i4")
    data = data[:delta] if delta < 0 else data + b"\x00"
    path = _write(tmp_path / f"values{suffix}", data)
    with pytest.raises(ValueError, match=r"\(2, 3\)"):
        load_idx(path)


def test_load_idx_rejects_truncated_header(tmp_path):
    # Declares three dimensions but stops after one.
    path = _write(tmp_path / "short", bytes([0, 0, 0x08, 3]) + (2).to_bytes(4, "big"))
    with pytest.raises(ValueError):
        load_idx(path)


def test_load_idx_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_idx(tmp_path / "absent.gz")


def _write_mnist(folder, kind, n_images, n_labels, suffix):
    rng = np.random.RandomState(0)
    images = rng.randint(0, 256, size=(n_images, 28, 28))
    images[0, 0, 0], images[0, 0, 1] = 0, 255
    labels = rng.randint(0, 10, size=n_labels)
    _write(folder / f"{kind}-images-idx3-ubyte{suffix}", _idx_bytes(images, "u1"))
    _write(folder / f"{kind}-labels-idx1-ubyte{suffix}", _idx_bytes(labels, "u1"))
    return images, labels


@pytest.mark.parametrize("suffix", ["", ".gz"])
@pytest.mark.parametrize("kind", ["t10k", "train"])
def test_load_mnist_scales_and_flattens(tmp_path, suffix, kind):
    images, labels = _write_mnist(tmp_path, kind, 5, 5, suffix)
    X, y = load_mnist(tmp_path, kind=kind)
    assert X.shape == (5, 784) and X.dtype == np.float32
    assert y.shape == (5,) and y.dtype == np.int64
    assert X.min() == 0.0 and X.max() == 1.0
    np.testing.assert_allclose(X * 255, images.reshape(5, -1), atol=1e-4)
    np.testing.assert_array_equal(y, labels)


def test_load_mnist_rejects_count_mismatch(tmp_path):
    _write_mnist(tmp_path, "t10k", 4, 3, ".gz")
    with pytest.raises(ValueError, match="4 images"):
        load_mnist(tmp_path)


def test_load_mnist_missing_files(tmp_path):
    with pytest.raises(FileNotFoundError, match="t10k-images-idx3-ubyte"):
        load_mnist(tmp_path)
    _write_mnist(tmp_path, "t10k", 2, 2, "")
    with pytest.raises(FileNotFoundError, match="train-images"):
        load_mnist(tmp_path, kind="train")
    (tmp_path / "t10k-labels-idx1-ubyte").unlink()
    with pytest.raises(FileNotFoundError, match="t10k-labels-idx1-ubyte"):
        load_mnist(tmp_path)


@pytest.mark.skipif(not MNIST10K.exists(), reason="mnist10k not in ../shared/data")
def test_load_mnist10k():
    X, y = load_mnist(MNIST10K)
    assert X.shape == (10000, 784)
    assert X.dtype == np.float32
    assert X.min() == 0.0 and X.max() == 1.0
    assert y.dtype == np.int64
    assert np.bincount(y).tolist() == MNIST10K_COUNTS


def test_hide_labels_keeps_a_stratified_share():
    from sk_metricembed.datasets import hide_labels

    y = np.repeat([0, 1, 2], [50, 30, 20])
    y_semi = hide_labels(y, 0.1, random_state=0)
    kept = y_semi >= 0
    assert np.bincount(y_semi[kept]).tolist() == [5, 3, 2]
    np.testing.assert_array_equal(y_semi[kept], y[kept])
    np.testing.assert_array_equal(y_semi, hide_labels(y, 0.1, random_state=0))
    assert not np.array_equal(y_semi, hide_labels(y, 0.1, random_state=1))


def test_hide_labels_minimum_full_share_and_unlabelled_rows():
    from sk_metricembed.datasets import hide_labels

    y = np.r_[np.repeat([0, 1], 40), [-1, -1]]
    three = hide_labels(y, 0.0, min_per_class=3, random_state=0)
    assert np.bincount(three[three >= 0]).tolist() == [3, 3]
    assert (three[-2:] == -1).all()
    np.testing.assert_array_equal(hide_labels(y, 1.0), y)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (
            dict(label_fraction=1.5),
            r"'label_fraction' parameter of hide_labels must be a float in the "
            r"range \[0.0, 1.0\]. Got 1.5",
        ),
        (dict(label_fraction="half"), "'label_fraction' parameter"),
        (
            dict(label_fraction=0.5, min_per_class=-1),
            r"'min_per_class' parameter of hide_labels must be an int in the "
            r"range \[0, inf\)",
        ),
        (dict(label_fraction=0.5, random_state=-1), "'random_state' parameter"),
        (dict(label_fraction=0.5, random_state="seed"), "'random_state' parameter"),
    ],
)
def test_hide_labels_rejects_bad_arguments(kwargs, match):
    from sk_metricembed.datasets import hide_labels

    with pytest.raises(ValueError, match=match):
        hide_labels([0, 1, 0, 1], **kwargs)


def test_hide_labels_takes_seeds_as_scikit_learn_does_and_generators():
    from sk_metricembed.datasets import hide_labels

    y = np.repeat([0, 1], 10)
    from_seed = hide_labels(y, 0.3, random_state=4)
    from_state = hide_labels(y, 0.3, random_state=np.random.RandomState(4))
    np.testing.assert_array_equal(from_seed, from_state)
    from_generator = hide_labels(y, 0.3, random_state=np.random.default_rng(4))
    assert np.bincount(from_generator[from_generator >= 0]).tolist() == [3, 3]


def test_loaders_check_their_arguments(tmp_path):
    with pytest.raises(ValueError, match="'kind' parameter of load_mnist must be a"):
        load_mnist(tmp_path, kind="test")
    with pytest.raises(TypeError, match="'directory' parameter of load_mnist"):
        load_mnist(None)
    with pytest.raises(TypeError, match="'path' parameter of load_idx"):
        load_idx(3)
