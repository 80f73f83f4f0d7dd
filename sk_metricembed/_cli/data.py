"""Reading a labelled data set from a file for the command line.

A ``.npz`` with arrays ``X`` and ``y``, a ``.csv`` with a label column, a
folder (or file) of MNIST-style IDX files, or CIFAR-10's python batches.
Tabular columns are standardised; images are scaled into [0, 1] and keep
their shape for HOG and the plots. Every problem with a file is a
``ValueError`` or ``OSError`` naming it. Classes can then be merged into
composite ones, and the rows split for the job.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .._labels import encode_labels
from ..datasets import hide_labels, merge_classes
from ..datasets._files import (
    CIFAR10_BATCHES,
    CIFAR10_FOLDER,
    CIFAR10_IMAGE_SHAPE,
    _cifar10_class_names,
    _read_cifar10_batches,
)


@dataclass
class LabelledData:
    """Rows, integer labels and what the plots need to name them."""

    X: np.ndarray  # (n_samples, n_features) float32
    y: np.ndarray  # (n_samples,) int, 0..n_classes-1, -1 for unlabelled rows
    name: str
    image_shape: tuple[int, ...] | None = None
    class_names: list[str] = field(default_factory=list)


def read_data(path: Path, target: str) -> LabelledData:
    """Read ``path``: a ``.npz``, a ``.csv`` (labels in column ``target``),
    IDX files or CIFAR-10 batches."""
    cifar10_batches = _cifar10_batches(path)
    if cifar10_batches:
        return _read_cifar10(cifar10_batches)
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
            values.append(_numbers(record, header, column, line))
    if not values:
        raise ValueError("the file holds a header but no rows.")
    X, y = np.array(values), np.array(labels)
    return _labelled(X, y, path.name, None, scale="standard")


def _numbers(record: list[str], header: list[str], target: int, line: int):
    """A CSV row's feature values; a field that is no number names its column."""
    values = []
    for i, text in enumerate(record):
        if i == target:
            continue
        try:
            values.append(float(text))
        except ValueError:
            what = (
                "is empty (a missing value)"
                if not text.strip()
                else (f"holds {text!r}, not a number")
            )
            raise ValueError(
                f"line {line}: column {header[i]!r} {what}. Every column but "
                f"the label column {header[target]!r} must hold numbers: "
                "encode text columns (for example one column per category) "
                "or drop them, and fill or drop missing values."
            ) from None
    return values


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


def _cifar10_batches(path: Path) -> list[Path]:
    """The CIFAR-10 batch files ``path`` names: one batch, or a folder's all."""
    names = [name for batches in CIFAR10_BATCHES.values() for name in batches]
    if path.name in names:
        return [path]
    if not path.is_dir():
        return []
    folder = path / CIFAR10_FOLDER if (path / CIFAR10_FOLDER).is_dir() else path
    return [folder / name for name in names if (folder / name).is_file()]


def _read_cifar10(paths: list[Path]) -> LabelledData:
    X, y = _read_cifar10_batches(paths)
    folder = paths[0].parent
    try:
        class_names = _cifar10_class_names(folder)
    except (OSError, ValueError):
        class_names = []
    if len(class_names) <= y.max():  # no names, or too few: the numbers
        class_names = [str(label) for label in range(int(y.max()) + 1)]
    name = folder.name if len(paths) > 1 else f"{folder.name}/{paths[0].name}"
    data = _labelled(X, y, name, CIFAR10_IMAGE_SHAPE, scale=None)
    data.class_names = [class_names[int(label)] for label in np.unique(y)]
    return data


def _labelled(X, y, name, image_shape, *, scale: str | None) -> LabelledData:
    X = np.asarray(X, dtype=np.float32)
    y = np.asarray(y)
    if X.ndim != 2 or len(X) != len(y):
        raise ValueError(f"X of shape {X.shape} and y of shape {y.shape} do not match.")
    if not np.isfinite(X).all():
        raise ValueError("X holds NaN or infinite values.")
    # The package's one label rule: -1, NaN and blank fields are unlabelled
    # rows, which train (unlabelled) and are never held out or scored.
    names, codes = encode_labels(y)
    if len(names) < 2:
        raise ValueError(
            f"the labels name {len(names)} class{'es' if len(names) != 1 else ''}"
            f" ({len(y) - int((codes >= 0).sum())} of {len(y)} rows "
            "unlabelled: -1, NaN or blank); the job scores an embedding by "
            "its classes and needs at least two."
        )
    if scale == "standard":
        # Tabular columns on one scale, so that no column dominates distances.
        X = _standardize(X)
    elif scale == "max":
        # Images keep their pixels' relative values, scaled into [0, 1].
        X = X / max(float(np.abs(X).max()), 1e-12)
    return LabelledData(X, codes, name, image_shape, [str(n) for n in names])


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


def merge_labelled_classes(data: LabelledData, groups: list[list[str]]) -> None:
    """Join each group of classes into one (see ``datasets.merge_classes``).

    A group names classes as the data does (``"cat"``, or ``"3"`` for the
    label 3 of digits) or by their number in the data's sorted classes. The
    classes are numbered afresh and a composite class is named by its
    members joined with ``+``.
    """
    codes = [[_class_code(data, label) for label in group] for group in groups]
    merged = merge_classes(data.y, codes)
    members = {min(group): group for group in codes}
    labelled = merged >= 0
    labels, data.y[labelled] = np.unique(merged[labelled], return_inverse=True)
    data.class_names = [
        "+".join(data.class_names[code] for code in members.get(label, [label]))
        for label in labels.tolist()
    ]


def _class_code(data: LabelledData, label: str) -> int:
    if label in data.class_names:
        return data.class_names.index(label)
    if label.isdigit() and int(label) < len(data.class_names):
        return int(label)
    raise ValueError(
        f"no class {label!r} in {data.name}; its classes are {data.class_names}."
    )


@dataclass
class Split:
    """The rows of one job: training rows with few labels, held-out rows."""

    X_train: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray  # -1 where the label is hidden
    y_test: np.ndarray
    y_train_true: np.ndarray  # every training label, for the animation only
    test_index: np.ndarray  # row numbers of the held-out rows in the data


def split_and_hide_labels(
    data: LabelledData, test_size: float, label_fraction: float, seed: int
) -> Split:
    """Stratified train/test split; keep ``label_fraction`` of each class's
    training labels (at least one) and set the others to -1
    (:func:`~sk_metricembed.datasets.hide_labels`).

    The split draws from the labelled rows: the data's unlabelled rows all
    train, unlabelled, and none is held out (a held-out row is scored by
    its label).
    """
    from sklearn.model_selection import train_test_split

    labelled = np.flatnonzero(data.y >= 0)
    train_index, test_index = train_test_split(
        labelled, test_size=test_size, stratify=data.y[labelled], random_state=seed
    )
    train_index = np.r_[train_index, np.flatnonzero(data.y < 0)]
    y_train = data.y[train_index]
    return Split(
        X_train=data.X[train_index],
        X_test=data.X[test_index],
        y_train=hide_labels(y_train, label_fraction, random_state=seed),
        y_test=data.y[test_index],
        y_train_true=y_train,
        test_index=test_index,
    )
