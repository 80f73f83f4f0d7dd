"""Image sets read from their usual local files (never from the network): IDX
and MNIST, CIFAR-10's python batches."""

from __future__ import annotations

import gzip
import os
import pickle
from pathlib import Path

import numpy as np

from .._sklearn_compat import StrOptions, validate_params

_IDX_DTYPES = {
    0x08: np.uint8,
    0x09: np.int8,
    0x0B: ">i2",
    0x0C: ">i4",
    0x0D: ">f4",
    0x0E: ">f8",
}


@validate_params({"path": [str, os.PathLike]}, prefer_skip_nested_validation=True)
def load_idx(path) -> np.ndarray:
    """Read one IDX file (the MNIST format), gzip-compressed or not.

    Parameters
    ----------
    path : str or path-like
        The file; a name ending in ``.gz`` is decompressed.

    Returns
    -------
    array : ndarray
        The array with the shape the header declares.

    Examples
    --------
    >>> import gzip, tempfile, os
    >>> from sk_metricembed.datasets import load_idx
    >>> header = bytes([0, 0, 0x08, 1]) + (3).to_bytes(4, "big")
    >>> path = os.path.join(tempfile.mkdtemp(), "labels.gz")
    >>> with gzip.open(path, "wb") as f:
    ...     _ = f.write(header + bytes([7, 2, 1]))
    >>> load_idx(path).tolist()
    [7, 2, 1]
    """
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as handle:
            data = handle.read()
    except gzip.BadGzipFile as error:
        message = f"{path} is named .gz but is not gzip data: {error}."
        raise ValueError(message) from None
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] not in _IDX_DTYPES:
        raise ValueError(f"{path} is not an IDX file (bad magic number).")
    n_dims = data[3]
    if len(data) < 4 + 4 * n_dims:
        raise ValueError(
            f"{path} is truncated: its header declares {n_dims} dimensions "
            f"({4 + 4 * n_dims} bytes of header), the file holds {len(data)} bytes."
        )
    shape = tuple(
        int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(n_dims)
    )
    dtype = np.dtype(_IDX_DTYPES[data[2]])
    offset = 4 + 4 * n_dims
    expected = int(np.prod(shape)) * dtype.itemsize
    if len(data) - offset != expected:
        raise ValueError(
            f"{path} declares shape {shape} ({expected} bytes) but holds "
            f"{len(data) - offset} bytes of data."
        )
    return (
        np.frombuffer(data, dtype=dtype, offset=offset)
        .reshape(shape)
        .astype(dtype.newbyteorder("="))
    )


@validate_params(
    {"directory": [str, os.PathLike], "kind": [StrOptions({"t10k", "train"})]},
    prefer_skip_nested_validation=True,
)
def load_mnist(directory, kind: str = "t10k") -> tuple[np.ndarray, np.ndarray]:
    """Load MNIST images and labels from a folder of IDX files.

    Parameters
    ----------
    directory : str or path-like
        Folder holding ``{kind}-images-idx3-ubyte[.gz]`` and
        ``{kind}-labels-idx1-ubyte[.gz]``, for example
        ``../shared/data/mnist10k``.
    kind : {"t10k", "train"}, default="t10k"
        Which split's files to read.

    Returns
    -------
    X : ndarray of shape (n_samples, 784), float32 in [0, 1]
        Flattened images.
    y : ndarray of shape (n_samples,), int64
        Digit labels.

    Examples
    --------
    Two images of MNIST's layout, written as IDX files (MNIST's own
    folder reads the same way, ``load_mnist("../shared/data/mnist10k")``):

    >>> import tempfile
    >>> from pathlib import Path
    >>> from sk_metricembed.datasets import load_mnist
    >>> folder = Path(tempfile.mkdtemp())
    >>> images = bytes([0, 0, 0x08, 3]) + b"".join(
    ...     n.to_bytes(4, "big") for n in (2, 28, 28)
    ... ) + bytes(range(256)) * 6 + bytes(32)
    >>> _ = (folder / "t10k-images-idx3-ubyte").write_bytes(images)
    >>> labels = bytes([0, 0, 0x08, 1]) + (2).to_bytes(4, "big") + bytes([7, 2])
    >>> _ = (folder / "t10k-labels-idx1-ubyte").write_bytes(labels)
    >>> X, y = load_mnist(folder)
    >>> X.shape, X.dtype, float(X.max()), y.tolist()
    ((2, 784), dtype('float32'), 1.0, [7, 2])
    """
    directory = Path(directory)
    images = _find(directory, f"{kind}-images-idx3-ubyte")
    labels = _find(directory, f"{kind}-labels-idx1-ubyte")
    X = load_idx(images)
    if X.shape[1:] != (28, 28):
        raise ValueError(
            f"{images} holds images of shape {X.shape[1:]}, not MNIST's (28, 28); "
            "read other IDX files with load_idx."
        )
    X = X.reshape(-1, 28 * 28).astype(np.float32) / 255.0
    y = load_idx(labels).astype(np.int64)
    if X.shape[0] != y.shape[0]:
        raise ValueError(
            f"{images} holds {X.shape[0]} images but {labels} {y.shape[0]} labels."
        )
    return X, y


def _find(directory: Path, stem: str) -> Path:
    for name in (stem + ".gz", stem):
        if (directory / name).exists():
            return directory / name
    raise FileNotFoundError(f"no {stem}[.gz] in {directory}.")


#: CIFAR-10's python batches, per split, as the archive
#: ``cifar-10-python.tar.gz`` unpacks them into ``cifar-10-batches-py``.
CIFAR10_BATCHES = {
    "train": tuple(f"data_batch_{index}" for index in range(1, 6)),
    "test": ("test_batch",),
}
CIFAR10_FOLDER = "cifar-10-batches-py"
#: One image as the embedders' image mode reads a row: channels last.
CIFAR10_IMAGE_SHAPE = (32, 32, 3)
# A batch is a pickled dict of bytes keys, a uint8 array and a list: these
# are all the callables its pickle may name (numpy's array reconstruction,
# old and new module names, and protocol 2's encoding of bytes).
_CIFAR10_PICKLE_GLOBALS = frozenset(
    {
        ("numpy", "ndarray"),
        ("numpy", "dtype"),
        ("numpy.core.multiarray", "_reconstruct"),
        ("numpy._core.multiarray", "_reconstruct"),
        ("numpy.core.numeric", "_frombuffer"),
        ("numpy._core.numeric", "_frombuffer"),
        ("_codecs", "encode"),
    }
)


@validate_params(
    {
        "directory": [str, os.PathLike],
        "kind": [StrOptions(set(CIFAR10_BATCHES))],
        "return_class_names": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def load_cifar10(directory, kind: str = "test", *, return_class_names: bool = False):
    """Load CIFAR-10 images and labels from its python batches.

    Reads the files of the "CIFAR-10 python version" archive, already
    unpacked on disk; nothing is downloaded. The images come back as rows of
    ``32 * 32 * 3`` values with the channels last, the layout of the
    embedders' ``image_shape=(32, 32, 3)`` (the files store each image's
    red, green and blue planes one after the other).

    The batches are pickles. They are read with an unpickler that builds
    nothing but numbers, strings, containers and numpy arrays, so that a file
    which is not a data batch cannot run code; it is a ``ValueError``.

    Parameters
    ----------
    directory : str or path-like
        Folder holding ``data_batch_1`` ... ``data_batch_5``, ``test_batch``
        and ``batches.meta`` (the archive's ``cifar-10-batches-py``), or the
        folder that holds ``cifar-10-batches-py``.
    kind : {"test", "train"}, default="test"
        Which split's batches to read: the 10,000 test images, or the 50,000
        training images of the five data batches.
    return_class_names : bool, default=False
        Also return the class names, read from ``batches.meta``.

    Returns
    -------
    X : ndarray of shape (n_samples, 3072), float32 in [0, 1]
        Flattened images, height x width x channels (RGB).
    y : ndarray of shape (n_samples,), int64
        Class labels 0-9.
    class_names : list of str
        The names of the labels 0-9 (``"airplane"``, ...); only with
        ``return_class_names=True``.

    See Also
    --------
    load_mnist : The MNIST images from IDX files.

    Examples
    --------
    A test batch of one all-red image, written as the archive stores it:

    >>> import pickle, tempfile
    >>> import numpy as np
    >>> from sk_metricembed.datasets import load_cifar10
    >>> folder = tempfile.mkdtemp()
    >>> planes = np.zeros((3, 32, 32), dtype=np.uint8)  # red, green, blue
    >>> planes[0] = 255
    >>> with open(f"{folder}/test_batch", "wb") as f:
    ...     pickle.dump({b"data": planes.reshape(1, -1), b"labels": [3]}, f)
    >>> X, y = load_cifar10(folder)
    >>> X.shape, y.tolist()
    ((1, 3072), [3])
    >>> X.reshape(32, 32, 3)[0, 0].tolist()  # pixel (0, 0): red, green, blue
    [1.0, 0.0, 0.0]
    """
    folder = _cifar10_folder(Path(directory))
    paths = [folder / name for name in CIFAR10_BATCHES[kind]]
    missing = [path.name for path in paths if not path.is_file()]
    if missing:
        raise FileNotFoundError(
            f"no {', '.join(missing)} in {folder}: directory must hold the "
            "unpacked CIFAR-10 python batches (cifar-10-batches-py)."
        )
    X, y = _read_cifar10_batches(paths)
    if return_class_names:
        return X, y, _cifar10_class_names(folder)
    return X, y


def _cifar10_folder(directory: Path) -> Path:
    """``directory``, or its ``cifar-10-batches-py`` when it holds one."""
    if not directory.is_dir():
        raise FileNotFoundError(
            f"directory {directory} does not exist or is not a folder; give the "
            "folder of the unpacked CIFAR-10 python batches."
        )
    inner = directory / CIFAR10_FOLDER
    return inner if inner.is_dir() else directory


def _read_cifar10_batches(paths) -> tuple[np.ndarray, np.ndarray]:
    """Rows (channels last, float32 in [0, 1]) and int64 labels of the batches."""
    images, labels = [], []
    for path in paths:
        batch = _unpickle_cifar10(path)
        missing = {"data", "labels"} - set(batch)
        if missing:
            raise ValueError(
                f"{path} is not a CIFAR-10 batch: it lacks {sorted(missing)} "
                f"(it holds {sorted(batch)})."
            )
        data = np.asarray(batch["data"])
        size = int(np.prod(CIFAR10_IMAGE_SHAPE))
        if data.dtype != np.uint8 or data.ndim != 2 or data.shape[1] != size:
            raise ValueError(
                f"{path} is not a CIFAR-10 batch: its data is {data.dtype} of "
                f"shape {data.shape}, not uint8 rows of {size} values."
            )
        batch_labels = np.asarray(batch["labels"], dtype=np.int64)
        if batch_labels.shape != (len(data),):
            raise ValueError(
                f"{path} holds {len(data)} images but {batch_labels.size} labels."
            )
        height, width, channels = CIFAR10_IMAGE_SHAPE
        # Stored channel-first, one colour plane after the other.
        planes = data.reshape(len(data), channels, height, width)
        images.append(planes.transpose(0, 2, 3, 1).reshape(len(data), size))
        labels.append(batch_labels)
    X = np.concatenate(images).astype(np.float32) / np.float32(255.0)
    return X, np.concatenate(labels)


def _cifar10_class_names(folder: Path) -> list[str]:
    """The label names of ``batches.meta`` in ``folder``."""
    path = folder / "batches.meta"
    if not path.is_file():
        raise FileNotFoundError(
            f"no batches.meta in {folder}: it holds the class names."
        )
    meta = _unpickle_cifar10(path)
    if "label_names" not in meta:
        raise ValueError(f"{path} holds no label_names (it holds {sorted(meta)}).")
    return [
        name.decode("latin1") if isinstance(name, bytes) else str(name)
        for name in meta["label_names"]
    ]


class _CIFAR10Unpickler(pickle.Unpickler):
    """Builds containers, numbers, strings and numpy arrays, and nothing else."""

    def find_class(self, module: str, name: str):
        if (module, name) in _CIFAR10_PICKLE_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"its pickle calls {module}.{name}")


def _unpickle_cifar10(path: Path) -> dict:
    """The dict of one batch file, its bytes keys read as text."""
    try:
        with open(path, "rb") as handle:
            # latin1 reads the original Python 2 pickles' arrays and keys.
            content = _CIFAR10Unpickler(handle, encoding="latin1").load()
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError) as error:
        raise ValueError(
            f"{path} is not a CIFAR-10 batch ({error}); only read the files of "
            "the CIFAR-10 python archive."
        ) from None
    if not isinstance(content, dict):
        raise ValueError(
            f"{path} is not a CIFAR-10 batch: it holds a "
            f"{type(content).__name__}, not a dict."
        )
    return {
        key.decode("latin1") if isinstance(key, bytes) else key: value
        for key, value in content.items()
    }
