"""Tests of sk_metricembed.datasets on small IDX and CIFAR-10 files written on
the spot, and of the label helpers."""

import gzip
import os
import pickle
from pathlib import Path

import numpy as np
import pytest

from sk_metricembed.datasets import load_cifar10, load_idx, load_mnist, merge_classes

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
    with pytest.raises(ValueError, match="truncated: its header declares 3"):
        load_idx(path)


def test_load_idx_rejects_a_gz_name_without_gzip_data(tmp_path):
    path = tmp_path / "plain.gz"
    path.write_bytes(_idx_bytes(np.zeros(3), "u1"))
    with pytest.raises(ValueError, match="named .gz but is not gzip data"):
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


def test_load_mnist_rejects_images_of_another_size(tmp_path):
    # They were flattened to 784 columns whatever their shape.
    images = np.zeros((4, 14, 56))
    _write(tmp_path / "t10k-images-idx3-ubyte", _idx_bytes(images, "u1"))
    _write(tmp_path / "t10k-labels-idx1-ubyte", _idx_bytes(np.zeros(4), "u1"))
    with pytest.raises(ValueError, match=r"shape \(14, 56\), not MNIST's"):
        load_mnist(tmp_path)


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


# -- CIFAR-10 ----------------------------------------------------------------
def _cifar10_batch(n, seed):
    """n random images as the archive stores them: (n, 3, 32, 32) uint8 planes."""
    rng = np.random.RandomState(seed)
    planes = rng.randint(0, 256, size=(n, 3, 32, 32)).astype(np.uint8)
    labels = rng.randint(0, 10, size=n).tolist()
    return planes, labels


def _write_pickle(path, content, protocol=pickle.DEFAULT_PROTOCOL):
    with open(path, "wb") as handle:
        pickle.dump(content, handle, protocol=protocol)
    return path


def _write_cifar10(folder, names=("test_batch",), n=3, protocol=2, meta=True):
    """Batches with bytes keys, as the official files hold them."""
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for seed, name in enumerate(names):
        planes, labels = _cifar10_batch(n, seed)
        content = {b"data": planes.reshape(n, -1), b"labels": labels}
        _write_pickle(folder / name, {b"batch_label": b"x", **content}, protocol)
        written[name] = planes, labels
    if meta:
        names_ = [b"airplane", b"automobile", b"bird", b"cat", b"deer"]
        names_ += [b"dog", b"frog", b"horse", b"ship", b"truck"]
        _write_pickle(folder / "batches.meta", {b"label_names": names_}, protocol)
    return written


@pytest.mark.parametrize("protocol", [2, pickle.HIGHEST_PROTOCOL])
def test_load_cifar10_puts_the_channels_last(tmp_path, protocol):
    planes, labels = _write_cifar10(tmp_path, n=4, protocol=protocol)["test_batch"]
    X, y = load_cifar10(tmp_path)
    assert X.shape == (4, 3072) and X.dtype == np.float32
    assert y.dtype == np.int64 and y.tolist() == labels
    images = X.reshape(4, 32, 32, 3)
    # Pixel (row 5, column 7) of image 2, each colour from its own plane.
    for channel in range(3):
        value = planes[2, channel, 5, 7]
        assert images[2, 5, 7, channel] == np.float32(value) / np.float32(255)
    expected = planes.transpose(0, 2, 3, 1).reshape(4, -1).astype(np.float32) / 255
    np.testing.assert_array_equal(X, expected)
    # And back: the bytes of the file, in the image mode's layout.
    round_trip = np.round(X * 255).astype(np.uint8).reshape(4, 32, 32, 3)
    np.testing.assert_array_equal(round_trip.transpose(0, 3, 1, 2), planes)


def test_load_cifar10_train_joins_five_batches_in_order(tmp_path):
    names = [f"data_batch_{i}" for i in range(1, 6)]
    written = _write_cifar10(tmp_path / "cifar-10-batches-py", names, n=2)
    # The folder above cifar-10-batches-py works as well.
    X, y, class_names = load_cifar10(tmp_path, "train", return_class_names=True)
    assert X.shape == (10, 3072)
    assert y.tolist() == [label for name in names for label in written[name][1]]
    first = written["data_batch_1"][0][0]
    np.testing.assert_array_equal(
        X[0].reshape(32, 32, 3), first.transpose(1, 2, 0) / np.float32(255)
    )
    last = written["data_batch_5"][0][1]
    np.testing.assert_array_equal(
        X[9].reshape(32, 32, 3), last.transpose(1, 2, 0) / np.float32(255)
    )
    assert class_names[:3] == ["airplane", "automobile", "bird"]
    assert all(isinstance(name, str) for name in class_names)


def test_load_cifar10_missing_folder_and_files(tmp_path):
    with pytest.raises(FileNotFoundError, match="absent does not exist"):
        load_cifar10(tmp_path / "absent")
    with pytest.raises(FileNotFoundError, match="no test_batch in"):
        load_cifar10(tmp_path)
    _write_cifar10(tmp_path, ["test_batch", "data_batch_1"], meta=False)
    with pytest.raises(FileNotFoundError, match="no data_batch_2, data_batch_3"):
        load_cifar10(tmp_path, kind="train")
    X, _ = load_cifar10(tmp_path)  # batches.meta is needed for the names only
    assert X.shape == (3, 3072)
    with pytest.raises(FileNotFoundError, match="no batches.meta"):
        load_cifar10(tmp_path, return_class_names=True)


def _rows(n):
    return np.zeros((n, 3072), dtype=np.uint8)


@pytest.mark.parametrize(
    "content, match",
    [
        ({b"labels": [1]}, r"lacks \['data'\]"),
        ({b"data": np.zeros((1, 1024), np.uint8), b"labels": [1]}, "rows of 3072"),
        ({b"data": _rows(1).astype(np.float32), b"labels": [1]}, "not uint8"),
        ({b"data": _rows(3), b"labels": [1, 2]}, "3 images but 2 labels"),
        ([1, 2, 3], "holds a list, not a dict"),
        (os.getcwd, r"not a CIFAR-10 batch \(its pickle calls"),
    ],
    ids=["no_data", "short_rows", "float", "label_count", "list", "function"],
)
def test_load_cifar10_rejects_files_that_are_not_batches(tmp_path, content, match):
    _write_pickle(tmp_path / "test_batch", content)
    with pytest.raises(ValueError, match=match):
        load_cifar10(tmp_path)


class _Alarm:
    """Unpickling it would call os.remove on a file: it must not run."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return os.remove, (str(self.path),)


def test_load_cifar10_never_runs_code_from_a_pickle(tmp_path):
    victim = tmp_path / "keep-me.txt"
    victim.write_text("still here")
    _write_pickle(tmp_path / "test_batch", {b"data": _Alarm(victim), b"labels": []})
    with pytest.raises(ValueError, match="remove"):
        load_cifar10(tmp_path)
    assert victim.read_text() == "still here"
    (tmp_path / "test_batch").write_bytes(b"\x80\x04 truncated")
    with pytest.raises(ValueError, match="not a CIFAR-10 batch"):
        load_cifar10(tmp_path)


def test_load_cifar10_checks_its_arguments(tmp_path):
    with pytest.raises(ValueError, match="'kind' parameter of load_cifar10 must be"):
        load_cifar10(tmp_path, kind="t10k")
    with pytest.raises(TypeError, match="'directory' parameter of load_cifar10"):
        load_cifar10(None)
    with pytest.raises(ValueError, match="'return_class_names' parameter"):
        load_cifar10(tmp_path, return_class_names="yes")


# -- merge_classes -----------------------------------------------------------
def test_merge_classes_joins_each_group_under_its_smallest_label():
    y = np.array([8, 3, 5, 4, 9, 0, -1, 1, 5])
    merged = merge_classes(y, [[8, 5, 3], (9, 4)])
    assert merged.tolist() == [3, 3, 3, 4, 4, 0, -1, 1, 3]
    assert merged.dtype == np.int64
    assert y.tolist() == [8, 3, 5, 4, 9, 0, -1, 1, 5]  # a copy
    np.testing.assert_array_equal(merge_classes(y, []), y)
    assert merge_classes(y.astype(float), [[0, 1]]).tolist()[5:8] == [0, -1, 0]


@pytest.mark.parametrize(
    "groups, error, match",
    [
        ([[3, 5], [5, 4]], ValueError, "names label 5 more than once"),
        ([[3, 3]], ValueError, "names label 3 more than once"),
        (
            [[3, 7]],
            ValueError,
            r"names label 7, which y does not hold; y's labels "
            r"are \[0, 3, 4, 5\]",
        ),
        ([[-1, 3]], ValueError, r"groups\[0\]=\[-1, 3\] holds -1"),
        ([[3], []], ValueError, r"groups\[1\] must be a non-empty flat list"),
        ([[3.0, 5.0]], TypeError, r"groups\[0\] must be a list of integer labels"),
        ([3, 5], TypeError, r"groups\[0\] must be a list of integer labels, got 3"),
        ("3,5", TypeError, "'groups' parameter of merge_classes"),
    ],
)
def test_merge_classes_rejects_bad_groups(groups, error, match):
    with pytest.raises(error, match=match):
        merge_classes([0, 3, 4, 5, -1], groups)
