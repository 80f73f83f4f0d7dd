"""Splitters of weakly supervised samples: rows with few labels, or constraints.

:class:`SemiSupervisedKFold` deals labelled rows class by class and the
unlabelled rows after them; :class:`ConstraintKFold` splits pairs
(stratified by kind) or triplets, the samples of
:class:`~sk_metricembed.model_selection.ConstraintEmbedder`. The checks of
constraints given as samples live here, beside the splitter that reads them
first.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from numpy.typing import ArrayLike
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.utils import check_random_state

from .._labels import UNLABELED, encode_labels
from .._sklearn_compat import _BaseKFold, _num_samples
from ..constraints._checking import _check_index_array, _check_pair_labels


class _ShuffledKFold(_BaseKFold):
    """scikit-learn's k-fold base with shuffling on by default.

    Weak supervision often comes ordered (labelled rows first, constraints
    in the order they were written down), where unshuffled folds would hold
    one kind each.
    """

    def __init__(
        self,
        n_splits: int = 5,
        *,
        shuffle: bool = True,
        random_state: int | np.random.RandomState | None = None,
    ) -> None:
        super().__init__(n_splits=n_splits, shuffle=shuffle, random_state=random_state)


class SemiSupervisedKFold(_ShuffledKFold):
    """K-fold splitter that stratifies the labelled rows and spreads the rest.

    Labels follow the embedders: any labels that sort (numbers, text,
    pandas categoricals), with -1, None or NaN marking an unlabelled row. The
    labelled rows are dealt to the folds class by class, one row per fold in
    turn, so each class's labelled rows are spread as evenly as they can be
    (a class with at least ``n_splits`` labelled rows is in every fold, one
    with fewer in as many folds as it has rows, so every training fold holds
    it when it has two or more); the unlabelled rows are dealt after them, so
    that the folds also differ in size by one row at most. Every fold holds
    labelled rows, to train on and to be scored on: ``split`` refuses fewer
    labelled rows than ``n_splits``.

    Parameters
    ----------
    n_splits : int, default=5
        Number of folds, at least 2 and at most the number of labelled rows.
    shuffle : bool, default=True
        Shuffle the rows (and the order the classes are dealt in) before
        dealing. Without shuffling the split follows the row order.
    random_state : int, RandomState instance or None, default=None
        Seed of the shuffle, for reproducible folds; only with
        ``shuffle=True``.

    See Also
    --------
    sklearn.model_selection.StratifiedKFold : The same for fully labelled data.
    sk_metricembed.knn_accuracy_scorer : Scores a fold against the labelled
        rows the embedder was fitted on.

    Examples
    --------
    >>> import numpy as np
    >>> from sk_metricembed.model_selection import SemiSupervisedKFold
    >>> y = np.array([0, 0, 0, 1, 1, 1, -1, -1, -1, -1, -1, -1])
    >>> cv = SemiSupervisedKFold(n_splits=3, random_state=0)
    >>> cv
    SemiSupervisedKFold(n_splits=3, random_state=0, shuffle=True)
    >>> for train, test in cv.split(np.zeros((12, 1)), y):
    ...     print(sorted(y[test].tolist()))
    [-1, -1, 0, 1]
    [-1, -1, 0, 1]
    [-1, -1, 0, 1]

    In a search over an embedder:

    >>> from sklearn.datasets import load_digits
    >>> from sklearn.model_selection import cross_val_score
    >>> from sk_metricembed import TripletVAEEmbedder
    >>> X, y = load_digits(return_X_y=True)
    >>> X, y = X[:300] / 16.0, y[:300].copy()
    >>> y[60:] = -1  # 60 labels, the first rows
    >>> embedder = TripletVAEEmbedder(latent_dim=4, hidden_layer_sizes=(32,),
    ...                               max_epochs=2, random_state=0)
    >>> scores = cross_val_score(embedder, X, y, cv=cv)
    >>> scores.shape, bool(np.all((scores > 0) & (scores <= 1)))
    ((3,), True)
    """

    def split(
        self, X: ArrayLike, y: ArrayLike, groups: None = None
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Generate the row positions of each fold's training and test rows.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Rows; only their number is read.
        y : array-like of shape (n_samples,)
            Class labels, -1, None or NaN for unlabelled rows; needs at
            least ``n_splits`` labelled rows.
        groups : None
            Ignored, for scikit-learn's splitter interface.

        Yields
        ------
        train : ndarray
            Positions of the fold's training rows.
        test : ndarray
            Positions of the fold's test rows.

        Examples
        --------
        >>> from sk_metricembed.model_selection import SemiSupervisedKFold
        >>> y = [0, 1, 0, 1, -1, -1]
        >>> cv = SemiSupervisedKFold(n_splits=2, shuffle=False)
        >>> [test.tolist() for _, test in cv.split(y, y)]
        [[0, 1, 4], [2, 3, 5]]

        Text labels, with None for the unlabelled rows, split alike:

        >>> y = ["cat", "dog", "cat", "dog", None, None]
        >>> [test.tolist() for _, test in cv.split(y, y)]
        [[0, 1, 4], [2, 3, 5]]
        """
        if y is None:
            raise ValueError(
                f"{self!r}.split needs y, the labels to stratify (-1 for "
                "unlabelled rows); pass y to the cross-validation or search "
                "function."
            )
        return super().split(X, y, groups)

    def _iter_test_indices(self, X=None, y=None, groups=None):
        fold = self._fold_of_each_row(encode_labels(y)[1])
        for index in range(self.n_splits):
            yield np.flatnonzero(fold == index)

    def _fold_of_each_row(self, y: np.ndarray) -> np.ndarray:
        """Deal the labelled rows class by class, then the unlabelled ones.

        ``y`` holds class indices, :data:`._labels.UNLABELED` for an
        unlabelled row.
        """
        labeled = np.flatnonzero(y != UNLABELED)
        unlabeled = np.flatnonzero(y == UNLABELED)
        if len(labeled) < self.n_splits:
            fewer = (
                f"use n_splits={len(labeled)} or fewer, or label more rows"
                if len(labeled) >= 2
                else "label at least 2 rows"
            )
            raise ValueError(
                f"SemiSupervisedKFold(n_splits={self.n_splits}) needs at least "
                f"{self.n_splits} labelled rows, one per fold to train "
                f"and to score on, but y holds {len(labeled)}: {fewer}."
            )
        classes, class_of_row = np.unique(y[labeled], return_inverse=True)
        class_rank = np.arange(len(classes))
        first_fold = 0
        if self.shuffle:
            rng = check_random_state(self.random_state)
            labeled, unlabeled = rng.permutation(labeled), rng.permutation(unlabeled)
            class_of_row = np.searchsorted(classes, y[labeled])
            class_rank = rng.permutation(len(classes))
            first_fold = rng.randint(self.n_splits)
        # Dealt in turn, a class's rows go to consecutive folds, and the
        # unlabelled rows continue where the labelled ones stopped.
        by_class = labeled[np.argsort(class_rank[class_of_row], kind="stable")]
        dealt = np.r_[by_class, unlabeled]
        fold = np.empty(_num_samples(y), dtype=np.int64)
        fold[dealt] = (first_fold + np.arange(len(dealt))) % self.n_splits
        return fold


#: The kind of constraint, by the number of columns of the samples.
_KINDS = {2: "pairs", 3: "triplets"}


class ConstraintKFold(_ShuffledKFold):
    """K-fold splitter of constraints: pairs stratified by kind, or triplets.

    The samples it splits are constraints, as :class:`ConstraintEmbedder`
    takes them: row indices of pairs, shape ``(n_pairs, 2)``, with their
    labels as ``y`` (1 similar, 0 or -1 dissimilar), or of triplets
    ``(anchor, positive, negative)``, shape ``(n_triplets, 3)``, with
    ``y=None``. Each constraint is in exactly one test fold. Pairs are
    stratified by kind (scikit-learn's ``StratifiedKFold`` on similar
    against dissimilar), so that every training fold holds both kinds for
    the metric loss and every test fold both kinds for the ROC AUC:
    ``split`` refuses fewer than ``n_splits`` pairs of either kind.
    Triplets are split by ``KFold``.

    Parameters
    ----------
    n_splits : int, default=5
        Number of folds, at least 2.
    shuffle : bool, default=True
        Shuffle the constraints (within each kind, for pairs) before
        splitting. Without shuffling the folds follow the constraints'
        order.
    random_state : int, RandomState instance or None, default=None
        Seed of the shuffle, for reproducible folds; only with
        ``shuffle=True``.

    See Also
    --------
    ConstraintEmbedder : Fits and scores an embedder on such folds.
    SemiSupervisedKFold : Splits rows with few labels instead.
    sklearn.model_selection.StratifiedKFold : What splits the pairs.

    Examples
    --------
    >>> import numpy as np
    >>> from sk_metricembed.model_selection import ConstraintKFold
    >>> pairs = np.array([[0, 1], [2, 3], [4, 5], [0, 2], [1, 3], [4, 0]])
    >>> pair_labels = np.array([1, 1, 1, 0, 0, 0])
    >>> cv = ConstraintKFold(n_splits=3, random_state=0)
    >>> for train, test in cv.split(pairs, pair_labels):
    ...     print(pair_labels[train].tolist(), pair_labels[test].tolist())
    [1, 1, 0, 0] [1, 0]
    [1, 1, 0, 0] [1, 0]
    [1, 1, 0, 0] [1, 0]

    Triplets, without labels:

    >>> triplets = np.array([[0, 1, 2], [3, 4, 5], [1, 0, 5], [2, 5, 0]])
    >>> [test.size for _, test in ConstraintKFold(2).split(triplets)]
    [2, 2]
    """

    def split(
        self, X: ArrayLike, y: ArrayLike | None = None, groups: None = None
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Generate the positions of each fold's training and test constraints.

        Parameters
        ----------
        X : array-like of shape (n_pairs, 2) or (n_triplets, 3)
            Integer row indices of the pairs or triplets.
        y : array-like of shape (n_pairs,) or None, default=None
            Labels of the pairs, 1 similar and 0 or -1 dissimilar, at least
            ``n_splits`` of each kind; None for triplets.
        groups : None
            Ignored, for scikit-learn's splitter interface.

        Yields
        ------
        train : ndarray
            Positions in ``X`` of the fold's training constraints.
        test : ndarray
            Positions in ``X`` of the fold's test constraints.

        Examples
        --------
        >>> from sk_metricembed.model_selection import ConstraintKFold
        >>> pairs = [[0, 1], [1, 2], [2, 3], [3, 4]]
        >>> cv = ConstraintKFold(n_splits=2, shuffle=False)
        >>> [test.tolist() for _, test in cv.split(pairs, [1, 1, -1, -1])]
        [[0, 2], [1, 3]]
        """
        caller = f"{self!r}.split"
        constraints, kind = _check_constraint_indices(X, caller)
        similar = _check_constraint_labels(kind, y, len(constraints), caller)
        if similar is None:
            splitter = KFold(
                self.n_splits, shuffle=self.shuffle, random_state=self.random_state
            )
        else:
            self._check_both_kinds(similar)
            splitter = StratifiedKFold(
                self.n_splits, shuffle=self.shuffle, random_state=self.random_state
            )
        return splitter.split(constraints, similar)

    def _check_both_kinds(self, similar: np.ndarray) -> None:
        """Every fold, training and test side, needs a pair of each kind."""
        n_dissimilar, n_similar = np.bincount(similar, minlength=2)
        fewest = min(n_dissimilar, n_similar)
        if fewest >= self.n_splits:
            return
        if fewest >= 2:
            advice = f"use n_splits={fewest} or fewer, or add pairs of the rarer kind"
        else:
            advice = "add pairs of the missing kind (or label some dissimilar)"
        raise ValueError(
            f"ConstraintKFold(n_splits={self.n_splits}) puts similar and "
            "dissimilar pairs into every fold, so that each training fold "
            "learns from both and each test fold can be scored (ROC AUC); that "
            f"needs at least {self.n_splits} pairs of each kind, but y holds "
            f"{n_similar} similar and {n_dissimilar} dissimilar pairs: {advice}."
        )


def _check_constraint_indices(X, caller: str) -> tuple[np.ndarray, str]:
    """Constraints given as samples: int64 row indices, and their kind.

    ``X`` of shape ``(n_pairs, 2)`` holds pairs, ``(n_triplets, 3)``
    triplets; the rules of :func:`.constraints.check_pairs` apply
    (integer indices, each member a different row), named after ``X``.
    """
    constraints = np.asarray(X)
    shape = constraints.shape
    if constraints.ndim == 3 and shape[1] in _KINDS:
        raise ValueError(
            f"{caller}: X has shape {shape}, the rows of each constraint as "
            "metric-learn takes them; pass row indices instead: into the rows "
            "a fit holds, X = sk_metricembed.tuples_to_rows(X, rows=rows)[1] "
            "(held-out tuples of a fitted model); for new data, rows, X = "
            "sk_metricembed.tuples_to_rows(X), then ConstraintEmbedder("
            "estimator, rows=rows) and fit(X, y)."
        )
    if constraints.ndim != 2 or shape[1] not in _KINDS or not shape[0]:
        raise ValueError(
            f"{caller} takes constraints as its samples: X must be a non-empty "
            "array of integer row indices of shape (n_pairs, 2) (pairs, their "
            "labels as y) or (n_triplets, 3) (anchor, positive, negative; "
            f"y=None), got shape {shape}."
        )
    constraints = _check_index_array(constraints, "X", width=shape[1])
    return constraints, _KINDS[shape[1]]


def _check_constraint_labels(kind: str, y, n_constraints: int, caller: str):
    """For pairs, 1 similar / 0 dissimilar from ``y``; None for triplets."""
    if kind == "triplets":
        if y is not None:
            raise ValueError(
                f"{caller}: X holds triplets (3 columns: anchor, positive, "
                "negative), which carry no labels, but y was given (shape "
                f"{np.shape(y)}); pass y=None, or pass pairs (2 columns) "
                "with their labels as y."
            )
        return None
    if y is None:
        raise ValueError(
            f"{caller}: X holds pairs (2 columns), which need their labels: "
            "pass y, 1 for a similar pair and 0 (or -1) for a dissimilar "
            "one, or pass triplets (3 columns) without y."
        )
    try:
        labels = _check_pair_labels(y, n_constraints)
    except ValueError as error:
        raise ValueError(
            f"{caller}: y, the labels of the pairs in X, is invalid: {error}"
        ) from error
    return (labels == 1).astype(np.int64)
