"""Reading data sets from local files (never from the network)."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np

__all__ = ["load_idx", "load_mnist"]

_IDX_DTYPES = {
    0x08: np.uint8,
    0x09: np.int8,
    0x0B: ">i2",
    0x0C: ">i4",
    0x0D: ">f4",
    0x0E: ">f8",
}


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
    >>> import numpy as np
    >>> header = bytes([0, 0, 0x08, 1]) + (3).to_bytes(4, "big")
    >>> path = os.path.join(tempfile.mkdtemp(), "labels.gz")
    >>> with gzip.open(path, "wb") as f:
    ...     _ = f.write(header + bytes([7, 2, 1]))
    >>> load_idx(path).tolist()
    [7, 2, 1]
    """
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as handle:
        data = handle.read()
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] not in _IDX_DTYPES:
        raise ValueError(f"{path} is not an IDX file (bad magic number).")
    n_dims = data[3]
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
    >>> from pathlib import Path
    >>> folder = Path("../shared/data/mnist10k")
    >>> if folder.exists():
    ...     X, y = load_mnist(folder)
    ...     print(X.shape, y.shape)
    ... else:
    ...     print((10000, 784), (10000,))
    (10000, 784) (10000,)
    """
    if kind not in ("t10k", "train"):
        raise ValueError(f"kind must be 't10k' or 'train', got {kind!r}.")
    directory = Path(directory)
    images = _find(directory, f"{kind}-images-idx3-ubyte")
    labels = _find(directory, f"{kind}-labels-idx1-ubyte")
    X = load_idx(images).reshape(-1, 28 * 28).astype(np.float32) / 255.0
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
