"""Validation rows: held out of training, scored every epoch.

With ``validation_fraction`` set, a share of the rows never trains: skorch
scores the objective on them after every epoch, in eval mode, as
``valid_loss``, so that its ``EarlyStopping``, ``Checkpoint`` and
``LRScheduler(monitor="valid_loss")`` have a held-out figure to follow.

- Which rows (:func:`holdout_rows`): about ``fraction`` of each class's
  labelled rows, so that every class with the rows to spare is scored, and
  the same share of the unlabelled rows at random.
- Nothing crosses the split. Each side is a :func:`row_subset` of ``X``
  (read on demand: a memmap stays on disk) with its own neighbour table,
  searched among its own rows, and the explicit constraints that lie within
  it; the pseudo-labels spread over the training side only.
- The net receives both sides as one :class:`SplitDatasets`, which
  ``EmbeddingNet.get_split_datasets`` (skorch's hook for the split) unpacks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from skorch.callbacks import Callback, EarlyStopping
from torch.utils.data import Dataset

from .loss_parts import TRAIN_LOSS, VALID_PREFIX, training_key, validation_key

#: The name of the callback ``early_stopping=True`` adds, so that
#: ``callbacks__early_stopping__<param>`` reaches it.
EARLY_STOPPING_NAME = "early_stopping"
#: An epoch improves on the best ``valid_loss`` when it is lower by this
#: share of it (skorch's default relative threshold): scale-free, as the
#: blended loss's scale depends on the data and the weights.
EARLY_STOPPING_THRESHOLD = 1e-4
#: A class keeps this many labelled rows for training (a positive pair)
#: before giving any to the validation rows.
MIN_TRAINING_ROWS_PER_CLASS = 2


def holdout_rows(
    labels: np.ndarray, fraction: float, rng: np.random.RandomState
) -> tuple[np.ndarray, np.ndarray]:
    """The training and validation rows of a fit, each sorted.

    Each class with more than ``MIN_TRAINING_ROWS_PER_CLASS`` labelled rows
    gives ``round(fraction * n)`` of them (at least one, leaving the
    training side that minimum) to validation; a class with fewer trains
    with all of them. The unlabelled rows give ``round(fraction * n)`` of
    theirs, drawn at random. Raises a ``ValueError`` naming
    ``validation_fraction`` when either side would be too small to use.
    """
    n_samples = len(labels)
    held_out = []
    for label in np.unique(labels[labels >= 0]):
        members = rng.permutation(np.flatnonzero(labels == label))
        spare = len(members) - MIN_TRAINING_ROWS_PER_CLASS
        if spare > 0:
            n_valid = min(spare, max(1, _round(fraction * len(members))))
            held_out.append(members[:n_valid])
    unlabeled = rng.permutation(np.flatnonzero(labels < 0))
    held_out.append(unlabeled[: _round(fraction * len(unlabeled))])
    valid_rows = np.sort(np.concatenate(held_out)).astype(np.intp)
    train_rows = np.setdiff1d(np.arange(n_samples), valid_rows).astype(np.intp)
    if len(valid_rows) == 0 or len(train_rows) < 2:
        side = (
            "no validation row (a class gives labelled rows only beyond the "
            f"{MIN_TRAINING_ROWS_PER_CLASS} it keeps for training, and the "
            "unlabelled rows' share rounds to none)"
            if len(valid_rows) == 0
            else "fewer than 2 training rows"
        )
        raise ValueError(
            f"validation_fraction={fraction} of X's {n_samples} rows leaves "
            f"{side}; pass more rows, change validation_fraction, or set "
            "validation_fraction=None and early_stopping=False to train on "
            "every row."
        )
    return train_rows, valid_rows


def _round(value: float) -> int:
    # Half up: round() sends 0.5 to 0, which would hold out no row of a
    # class of five at fraction 0.1.
    return int(np.floor(value + 0.5))


def row_subset(X, rows: np.ndarray):
    """Rows of ``X`` as one side of the split reads them.

    A :class:`RowSubset` of a dense ``X``, read only when indexed; the rows
    themselves of a scipy sparse ``X``, whose copy costs their stored values
    only, and which the neighbour search reads as a sparse matrix.
    """
    return X[rows] if sp.issparse(X) else RowSubset(X, rows)


class RowSubset:
    """Some rows of an array, read only when indexed.

    ``subset[index]`` is ``X[rows[index]]``, so that a memmap stays on disk
    and an array is not copied whole; ``np.asarray(subset)`` copies the
    rows for the code that needs one array (the neighbour search).
    """

    def __init__(self, X, rows: np.ndarray) -> None:
        self.X = X
        self.rows = rows

    @property
    def shape(self) -> tuple[int, ...]:
        return (len(self.rows), *self.X.shape[1:])

    @property
    def dtype(self):
        return self.X.dtype

    @property
    def ndim(self) -> int:
        return self.X.ndim

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index) -> np.ndarray:
        return self.X[self.rows[index]]

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        return np.asarray(self.X[self.rows], dtype=dtype)


@dataclass(frozen=True)
class SplitDatasets:
    """The two sides of a fit, passed to skorch as ``X``.

    ``EmbeddingNet.get_split_datasets`` returns them as skorch's
    ``(dataset_train, dataset_valid)``; nothing of the split stays in the
    net after the fit.
    """

    train: Dataset
    valid: Dataset


def early_stopping(patience: int) -> tuple[str, EarlyStopping]:
    """skorch's ``EarlyStopping`` on ``valid_loss``, named, keeping the best epoch.

    ``load_best=True`` restores the network of the epoch with the lowest
    ``valid_loss`` when training stops, as scikit-learn's ``MLPClassifier``
    keeps its best coefficients.
    """
    return EARLY_STOPPING_NAME, EarlyStopping(
        monitor="valid_loss",
        patience=patience,
        threshold=EARLY_STOPPING_THRESHOLD,
        threshold_mode="rel",
        load_best=True,
    )


def monitors_validation(callback) -> bool:
    """Whether a callback follows a ``valid_*`` key of the history.

    skorch's ``EarlyStopping``, ``Checkpoint`` (``valid_loss_best`` by
    default) and ``LRScheduler`` name what they follow in ``monitor``.
    """
    monitor = getattr(callback, "monitor", None)
    return isinstance(monitor, str) and monitor.startswith(VALID_PREFIX)


class MonitoredKeys(Callback):
    """Refuses, before the first step, a callback following an unrecorded key.

    skorch's ``EarlyStopping``, ``Checkpoint`` and ``LRScheduler`` read
    their ``monitor`` key from the history after each epoch, and fail there
    with a ``KeyError`` when it was never recorded: any ``valid_*`` key in a
    fit without validation rows, and ``valid_<part>_loss`` of a part that
    the validation rows do not compute (a label term, where they hold no
    two labelled rows of a class). This reads the callbacks as skorch built
    them (a class given instantiated, ``callbacks__<name>__monitor``
    applied) and the keys the validation rows record
    (``EmbeddingNet.validation_keys``, asked only for a key other than
    ``valid_loss``).
    """

    def on_train_begin(self, net, X=None, y=None, **kwargs):
        monitors = [
            (name, callback)
            for name, callback in net.callbacks_
            if monitors_validation(callback)
        ]
        if not monitors:
            return
        if not isinstance(X, SplitDatasets):
            name, callback = monitors[0]
            raise ValueError(
                f"{_described(name, callback)} monitors {callback.monitor!r}, "
                "which only validation rows record, and this fit holds none "
                "out; set validation_fraction (for example 0.1), or monitor "
                f"{training_key(callback.monitor)!r}."
            )
        recorded = {validation_key(TRAIN_LOSS)}
        if any(_key(callback) not in recorded for _, callback in monitors):
            recorded = net.validation_keys(X.valid)
        for name, callback in monitors:
            if _key(callback) not in recorded:
                raise ValueError(
                    f"{_described(name, callback)} monitors {callback.monitor!r}, "
                    "which this fit's validation rows do not record: a part is "
                    "recorded where they carry what it scores (labelled rows of "
                    "a class in pairs for the label terms, pairs or triplets "
                    "within them for the constraints). They record "
                    f"{', '.join(sorted(recorded))} (each also "
                    "with '_best'); monitor one of these, or hold out more "
                    "rows (validation_fraction)."
                )


def _described(name: str, callback) -> str:
    kind = type(callback).__name__
    return f"the callback {name!r}" + ("" if name == kind else f" ({kind})")


def _key(callback) -> str:
    """The recorded key a callback's ``monitor`` reads: ``<key>_best`` is
    recorded with ``<key>``."""
    return callback.monitor.removesuffix("_best")
