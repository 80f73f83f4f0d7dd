"""Cross-validation for semi-supervised data: labels with unlabelled rows.

scikit-learn's splitters know labelled rows or no labels at all. With an
integer ``cv``, ``GridSearchCV`` splits an embedder's rows with unshuffled
``KFold`` (an embedder is not a classifier), so rows stacked as
``np.vstack([X_labelled, X_unlabelled])`` leave folds that train without a
single label; ``StratifiedKFold`` counts -1 as a class and refuses classes
with fewer labelled rows than folds. :class:`SemiSupervisedKFold` deals the
labelled rows class by class and the unlabelled rows after them.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from numpy.typing import ArrayLike
from sklearn.utils import check_random_state

from ._sklearn_compat import _BaseKFold, _num_samples
from ._validation import UNLABELED, encode_labels

__all__ = ["SemiSupervisedKFold"]


class SemiSupervisedKFold(_BaseKFold):
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

    def __init__(
        self,
        n_splits: int = 5,
        *,
        shuffle: bool = True,
        random_state: int | np.random.RandomState | None = None,
    ) -> None:
        super().__init__(n_splits=n_splits, shuffle=shuffle, random_state=random_state)

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

        ``y`` holds class indices, :data:`._validation.UNLABELED` for an
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
