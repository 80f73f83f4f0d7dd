"""Data sets from local files (never from the network), and few-label copies.

:func:`hide_labels` turns fully labelled data into the semi-supervised kind
the embedders are made for: each class keeps a share of its labels, the
other rows are marked unlabelled with -1.
"""

from __future__ import annotations

import gzip
import os
from numbers import Integral, Real
from pathlib import Path

import numpy as np
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions, validate_params

from ._validation import check_labels

__all__ = ["load_idx", "load_mnist", "hide_labels"]

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
    >>> from pathlib import Path
    >>> folder = Path("../shared/data/mnist10k")
    >>> if folder.exists():
    ...     X, y = load_mnist(folder)
    ...     print(X.shape, y.shape)
    ... else:
    ...     print((10000, 784), (10000,))
    (10000, 784) (10000,)
    """
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


@validate_params(
    {
        "y": ["array-like"],
        "label_fraction": [Interval(Real, 0, 1, closed="both")],
        "min_per_class": [Interval(Integral, 0, None, closed="left")],
        "random_state": ["random_state", np.random.Generator],
    },
    prefer_skip_nested_validation=True,
)
def hide_labels(
    y, label_fraction: float, *, min_per_class: int = 1, random_state=None
) -> np.ndarray:
    """Keep a stratified share of the labels and set the others to -1.

    Each class keeps ``max(min_per_class, round(label_fraction * n_class))``
    of its rows' labels (all of them when it has fewer), drawn without
    replacement; the other rows become unlabelled (-1), scikit-learn's
    semi-supervised convention. Rows already at -1 stay unlabelled.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Integer class labels, -1 for rows already unlabelled.
    label_fraction : float in [0, 1]
        Share of each class's labels to keep; 1 keeps them all.
    min_per_class : int, default=1
        Labels each class keeps at least (``label_fraction=0`` with
        ``min_per_class=3`` keeps three a class).
    random_state : int, RandomState instance, numpy Generator or None, \
default=None
        Seed of the draw, as scikit-learn takes it
        (:func:`~sklearn.utils.check_random_state`), or a
        :class:`numpy.random.Generator` to draw from.

    Returns
    -------
    y_semi : ndarray of shape (n_samples,)
        A copy of ``y`` with the hidden labels set to -1.

    Examples
    --------
    >>> import numpy as np
    >>> from sk_metricembed.datasets import hide_labels
    >>> y = np.repeat([0, 1], 10)
    >>> y_semi = hide_labels(y, 0.2, random_state=0)
    >>> np.bincount(y_semi[y_semi >= 0]).tolist(), int((y_semi == -1).sum())
    ([2, 2], 16)
    """
    y = check_labels(y)
    if label_fraction >= 1:
        return y.copy()
    rng = (
        random_state
        if isinstance(random_state, np.random.Generator)
        else check_random_state(random_state)
    )
    y_semi = np.full_like(y, -1)
    for label in np.unique(y[y >= 0]):
        rows = np.flatnonzero(y == label)
        n_keep = max(min_per_class, int(round(label_fraction * rows.size)))
        keep = rng.choice(rows, size=min(n_keep, rows.size), replace=False)
        y_semi[keep] = label
    return y_semi
