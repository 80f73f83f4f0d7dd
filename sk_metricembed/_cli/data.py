"""Reading a labelled data set from a file for the command line.

A ``.npz`` with arrays ``X`` and ``y``, a ``.csv`` with a label column, or a
folder (or file) of MNIST-style IDX files. Tabular columns are standardised;
images are scaled into [0, 1] and keep their shape for HOG and the plots.
Every problem with a file is a ``ValueError`` or ``OSError`` naming it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .._validation import resolve_image_shape
from ..datasets import hide_labels


@dataclass
class LabelledData:
    """Rows, integer labels and what the plots need to name them."""

    X: np.ndarray  # (n_samples, n_features) float32
    y: np.ndarray  # (n_samples,) int, 0..n_classes-1
    name: str
    image_shape: tuple[int, ...] | None = None
    class_names: list[str] = field(default_factory=list)


def read_data(path: Path, target: str) -> LabelledData:
    """Read ``path``: a ``.npz``, a ``.csv`` (labels in column ``target``) or IDX."""
    if path.is_dir() or ".idx" in path.name or "-ubyte" in path.name:
        return _read_idx(path)
    suffix = path.suffix.lower()
    if suffix == ".npz":
        with np.load(path, allow_pickle=False) as arrays:
            missing = {"X", "y"} - set(arrays.files)
            if missing:
                raise ValueError(
                    f"the .npz needs arrays X and y, it holds {arrays.files}."
                )
            X, y = arrays["X"], arrays["y"]
        image_shape = tuple(X.shape[1:]) if X.ndim in (3, 4) else None
        X = X.reshape(len(X), -1)
        scale = "standard" if image_shape is None else "max"
        return _labelled(X, y, path.name, image_shape, scale=scale)
    if suffix == ".csv":
        return _read_csv(path, target)
    raise ValueError("expected a .npz, a .csv, or a folder of IDX files.")


def _read_csv(path: Path, target: str) -> LabelledData:
    with open(path, newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            raise ValueError("the file is empty.")
        if target not in header:
            raise ValueError(
                f"no column {target!r} (set --target); columns are {header}."
            )
        column = header.index(target)
        labels, values = [], []
        for line, record in enumerate(reader, start=2):
            if len(record) != len(header):
                raise ValueError(
                    f"line {line} has {len(record)} fields, not {len(header)}."
                )
            labels.append(record[column])
            try:
                values.append([float(v) for i, v in enumerate(record) if i != column])
            except ValueError as error:
                raise ValueError(f"line {line}: {error}") from None
    if not values:
        raise ValueError("the file holds a header but no rows.")
    X, y = np.array(values), np.array(labels)
    return _labelled(X, y, path.name, None, scale="standard")


def _read_idx(path: Path) -> LabelledData:
    from ..datasets import load_idx

    folder = path if path.is_dir() else path.parent
    images = sorted(folder.glob("*images*idx3*")) if path.is_dir() else [path]
    if not images:
        raise ValueError(f"no *images*idx3* file in {folder}.")
    # MNIST's naming: the labels sit beside the images as *labels*idx1*.
    labels = [
        folder / p.name.replace("images", "labels").replace("idx3", "idx1")
        for p in images
    ]
    X = np.concatenate([load_idx(p) for p in images])
    y = np.concatenate([load_idx(p) for p in labels])
    image_shape = tuple(X.shape[1:])
    return _labelled(X.reshape(len(X), -1), y, folder.name, image_shape, scale="max")


def _labelled(X, y, name, image_shape, *, scale: str) -> LabelledData:
    X = np.asarray(X, dtype=np.float32)
    y = np.asarray(y)
    if X.ndim != 2 or len(X) != len(y):
        raise ValueError(f"X of shape {X.shape} and y of shape {y.shape} do not match.")
    if not np.isfinite(X).all():
        raise ValueError("X holds NaN or infinite values.")
    names, codes = np.unique(y, return_inverse=True)
    if scale == "standard":
        # Tabular columns on one scale, so that no column dominates distances.
        X = _standardize(X)
    else:
        # Images keep their pixels' relative values, scaled into [0, 1].
        X = X / max(float(np.abs(X).max()), 1e-12)
    return LabelledData(X, codes, name, image_shape, [str(n) for n in names])


def hog_features(data: LabelledData) -> np.ndarray:
    """Standardised HOG features of the images in ``data``."""
    from ..hog import HOGTransformer

    try:
        shape = resolve_image_shape(data.image_shape, data.X.shape[1], square=True)
    except ValueError:
        raise ValueError(
            f"--features hog needs images; rows of {data.X.shape[1]} values are "
            "not square (give a .npz with X of shape (n, height, width))."
        ) from None
    # About 4x4 cells and 2x2-cell blocks whatever the image size (8x8 digits
    # or 28x28 MNIST); skimage's 8x8-pixel cells would not fit small images.
    cell = max(1, min(shape[:2]) // 4)
    hog = HOGTransformer(
        pixels_per_cell=(cell, cell),
        cells_per_block=(2, 2),
        image_shape=shape,
        channel_axis=-1 if len(shape) == 3 else None,
    )
    return _standardize(hog.fit_transform(data.X))


def _standardize(X) -> np.ndarray:
    # On all rows before the split: unsupervised, and it keeps the job simple.
    spread = X.std(axis=0)
    return ((X - X.mean(axis=0)) / np.where(spread > 0, spread, 1)).astype(np.float32)


def digits_data() -> LabelledData:
    """scikit-learn's 8x8 digits, pixels scaled into [0, 1]."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    return LabelledData(
        (digits.data / 16.0).astype(np.float32),
        digits.target,
        "digits",
        (8, 8),
        [str(name) for name in digits.target_names],
    )


def split_and_hide_labels(
    data: LabelledData, test_size: float, label_fraction: float, seed: int
):
    """Stratified train/test split; keep ``label_fraction`` of each class's
    training labels (at least one) and set the others to -1
    (:func:`~sk_metricembed.datasets.hide_labels`)."""
    from sklearn.model_selection import train_test_split

    X_train, X_test, y_train, y_test = train_test_split(
        data.X, data.y, test_size=test_size, stratify=data.y, random_state=seed
    )
    y_train = hide_labels(y_train, label_fraction, random_state=seed)
    return X_train, X_test, y_train, y_test
