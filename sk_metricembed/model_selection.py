"""Cross-validation for weak supervision: few labels, or constraints alone.

scikit-learn's splitters know labelled rows or no labels at all. With an
integer ``cv``, ``GridSearchCV`` splits an embedder's rows with unshuffled
``KFold`` (an embedder is not a classifier), so rows stacked as
``np.vstack([X_labelled, X_unlabelled])`` leave folds that train without a
single label; ``StratifiedKFold`` counts -1 as a class and refuses classes
with fewer labelled rows than folds. :class:`SemiSupervisedKFold` deals the
labelled rows class by class and the unlabelled rows after them.

Without labels, pairs known similar or dissimilar (or triplets) are the
only thing to score on, and splitting the rows would cut most constraints
in two. :class:`ConstraintEmbedder` makes the constraints the samples, as
metric-learn's pair and triplet learners do: it is fitted on row indices
of pairs (with their labels as ``y``) or triplets, trains an embedder on
every row with the fold's constraints, and scores held-out ones.
:class:`ConstraintKFold` divides the constraints into folds.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, MetaEstimatorMixin, clone
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.utils import check_random_state
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from ._sklearn_compat import HasMethods, _BaseKFold, _fit_context, _num_samples
from ._validation import UNLABELED, encode_labels
from .constraints import _check_index_array, _check_pair_labels
from .metrics._constraint_scores import (
    _pair_distances,
    _triplet_distances,
    pair_auc_score,
    triplet_satisfied_score,
)

__all__ = ["SemiSupervisedKFold", "ConstraintKFold", "ConstraintEmbedder"]


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


#: The kind of constraint, by the number of columns of the samples.
_KINDS = {2: "pairs", 3: "triplets"}


class ConstraintKFold(_BaseKFold):
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

    def __init__(
        self,
        n_splits: int = 5,
        *,
        shuffle: bool = True,
        random_state: int | np.random.RandomState | None = None,
    ) -> None:
        super().__init__(n_splits=n_splits, shuffle=shuffle, random_state=random_state)

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


class ConstraintEmbedder(MetaEstimatorMixin, BaseEstimator):
    """An embedder fitted on constraints as its samples, for searches without labels.

    scikit-learn's searches split the samples they are given into folds.
    With pairs or triplets only, the rows cannot be those samples (``score``
    would need labels, and splitting rows cuts most constraints in two); so
    here, as in metric-learn's pair and triplet learners, the constraints
    are: ``fit(X, y)`` takes row indices of pairs ``(n_pairs, 2)`` with
    their labels ``y``, or of triplets ``(n_triplets, 3)`` with ``y=None``,
    into ``rows``, the one data array given at construction. A
    cross-validation (split with :class:`ConstraintKFold`) then divides the
    constraints, not the rows: every fold fits ``estimator`` on all of
    ``rows``, so each row's reconstruction is trained in every fold, and
    only the metric loss is restricted to the fold's training constraints.
    ``score`` scores held-out constraints: pairs by the ROC AUC of their
    negative latent distance (:func:`~sk_metricembed.metrics.pair_auc_score`,
    metric-learn's pair score), triplets by their satisfied share
    (:func:`~sk_metricembed.metrics.triplet_satisfied_score`); for pairs,
    scikit-learn's ``scoring="roc_auc"`` reads :meth:`decision_function`
    and gives the same. Parameters of the embedder are searched as
    ``estimator__<name>``.

    Parameters
    ----------
    estimator : estimator object
        The embedder to fit, such as :class:`~sk_metricembed.SiameseAutoencoderEmbedder`
        (pairs) or :class:`~sk_metricembed.TripletVAEEmbedder` (triplets): an
        estimator with ``transform`` whose ``fit(rows, pairs=...,
        pair_labels=...)`` and ``fit(rows, triplets=...)`` train on
        constraints, as the embedders' do. It is cloned at each fit.
    rows : array-like of shape (n_rows, n_features)
        Every row the constraints index, the training data of each fit.
        scikit-learn's ``clone`` copies an array parameter, so each fit of a
        search holds a copy of it.

    Attributes
    ----------
    estimator_ : estimator object
        The clone of ``estimator`` fitted on ``rows`` and the constraints
        given to :meth:`fit`.
    n_features_in_ : int
        Number of features of ``rows``, which :meth:`transform` takes
        (``estimator_``'s).

    See Also
    --------
    ConstraintKFold : Splits the constraints into folds.
    sk_metricembed.metrics.pair_auc_score : The score of held-out pairs.
    sk_metricembed.metrics.triplet_satisfied_score : The score of held-out
        triplets.

    Notes
    -----
    Rows in no constraint still train the reconstruction, so unlabelled
    data can be added to ``rows`` freely. The held-out constraints of a fold
    are never given to its fit, but their rows are reconstructed by it, as
    metric-learn's learners see every row's features and hold out pairs.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from sklearn.model_selection import GridSearchCV
    >>> from sk_metricembed import SiameseAutoencoderEmbedder, sample_pairs
    >>> from sk_metricembed.model_selection import ConstraintEmbedder, ConstraintKFold
    >>> X, y = load_digits(return_X_y=True)
    >>> X, y = X[:300] / 16.0, y[:300]
    >>> pairs, pair_labels = sample_pairs(y, 300, random_state=0)  # no label kept
    >>> embedder = SiameseAutoencoderEmbedder(latent_dim=4, hidden_layer_sizes=(32,),
    ...                                       max_epochs=2, random_state=0)
    >>> search = GridSearchCV(ConstraintEmbedder(embedder, rows=X),
    ...                       {"estimator__weight": [0.2, 0.8]},
    ...                       cv=ConstraintKFold(3, random_state=0))
    >>> search = search.fit(pairs, pair_labels)
    >>> bool(0.5 < search.best_score_ <= 1.0)  # ROC AUC of held-out pairs
    True
    >>> search.best_estimator_.transform(X).shape
    (300, 4)
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "transform"])],
        "rows": ["array-like"],
    }

    def __init__(self, estimator, *, rows: ArrayLike) -> None:
        self.estimator = estimator
        self.rows = rows

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X: ArrayLike, y: ArrayLike | None = None) -> ConstraintEmbedder:
        """Fit a clone of ``estimator`` on all of ``rows`` with these constraints.

        Parameters
        ----------
        X : array-like of shape (n_pairs, 2) or (n_triplets, 3)
            Integer row indices into ``rows``: of pairs, or of triplets
            (anchor, positive, negative).
        y : array-like of shape (n_pairs,) or None, default=None
            Labels of the pairs, 1 similar and 0 (or -1) dissimilar, both
            kinds present (the embedders' ``pair_labels``); None for
            triplets.

        Returns
        -------
        self : object
            The fitted meta-estimator.
        """
        constraints, similar = self._check_constraints(X, y, "fit")
        kind = "pairs" if similar is not None else "triplets"
        if not _fit_takes(self.estimator, kind):
            raise TypeError(
                f"ConstraintEmbedder trains estimator={self.estimator!r} on "
                f"{kind}, but its fit takes no {kind}= argument; pass an "
                "embedder of sk_metricembed (SiameseAutoencoderEmbedder, "
                "TripletVAEEmbedder) or an estimator whose fit takes pairs=, "
                "pair_labels= and triplets=."
            )
        if similar is not None and similar.min() == similar.max():
            which = "similar (y == 1)" if similar[0] else "dissimilar (y != 1)"
            raise ValueError(
                f"ConstraintEmbedder.fit got {len(similar)} pairs, all {which}: "
                "the metric loss needs similar and dissimilar pairs. In a "
                "cross-validation, split with ConstraintKFold, which puts both "
                "kinds into every training fold; otherwise add pairs of the "
                "other kind."
            )
        estimator = clone(self.estimator)
        if similar is None:
            estimator.fit(self.rows, triplets=constraints)
        else:
            estimator.fit(self.rows, pairs=constraints, pair_labels=similar)
        self.estimator_ = estimator
        return self

    def transform(self, X: ArrayLike) -> np.ndarray:
        """Embed rows with the fitted estimator.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Rows (not constraints), such as ``rows``.

        Returns
        -------
        Z : ndarray of shape (n_samples, n_components)
            ``estimator_.transform(X)``.
        """
        check_is_fitted(self)
        return self.estimator_.transform(X)

    @available_if(lambda self: _has_method(self, "inverse_transform"))
    def inverse_transform(self, X: ArrayLike) -> np.ndarray:
        """Decode codes back to rows with the fitted estimator.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_components)
            Codes, such as the output of :meth:`transform`.

        Returns
        -------
        X_reconstructed : ndarray of shape (n_samples, n_features)
            ``estimator_.inverse_transform(X)``.
        """
        check_is_fitted(self)
        return self.estimator_.inverse_transform(X)

    @available_if(lambda self: _has_method(self, "get_feature_names_out"))
    def get_feature_names_out(self, input_features: ArrayLike | None = None):
        """Names of the embedding's columns, the fitted estimator's.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Passed to ``estimator_.get_feature_names_out``.

        Returns
        -------
        feature_names_out : ndarray of str
            Names of the columns of :meth:`transform`'s output.
        """
        check_is_fitted(self)
        return self.estimator_.get_feature_names_out(input_features)

    def decision_function(self, X: ArrayLike) -> np.ndarray:
        """How well each constraint is met in the latent space, as metric-learn's.

        Parameters
        ----------
        X : array-like of shape (n_pairs, 2) or (n_triplets, 3)
            Integer row indices into ``rows`` of pairs or triplets.

        Returns
        -------
        decision : ndarray of shape (n_pairs,) or (n_triplets,)
            For a pair, minus the latent distance of its rows (higher is
            more similar; :meth:`score` is its ROC AUC); for a triplet,
            ``d(anchor, negative) - d(anchor, positive)`` (above 0 when
            satisfied).
        """
        check_is_fitted(self)
        caller = "ConstraintEmbedder.decision_function"
        constraints, kind = _check_constraint_indices(X, caller)
        _check_in_rows(constraints, _num_samples(self.rows), caller)
        if kind == "pairs":
            return -_pair_distances(self.estimator_, self.rows, constraints)
        d_positive, d_negative = _triplet_distances(
            self.estimator_, self.rows, constraints
        )
        return d_negative - d_positive

    def score(self, X: ArrayLike, y: ArrayLike | None = None) -> float:
        """Score held-out constraints: ROC AUC of pairs, satisfied share of triplets.

        Parameters
        ----------
        X : array-like of shape (n_pairs, 2) or (n_triplets, 3)
            Integer row indices into ``rows`` of pairs or triplets, typically
            a fold's test constraints.
        y : array-like of shape (n_pairs,) or None, default=None
            Labels of the pairs, 1 similar and 0 (or -1) dissimilar, both
            kinds present; None for triplets.

        Returns
        -------
        score : float
            For pairs :func:`~sk_metricembed.metrics.pair_auc_score`, for
            triplets :func:`~sk_metricembed.metrics.triplet_satisfied_score`
            (margin 0), of ``estimator_`` on ``rows``; in ``[0, 1]``.
        """
        check_is_fitted(self)
        constraints, similar = self._check_constraints(X, y, "score")
        if similar is None:
            return triplet_satisfied_score(self.estimator_, self.rows, constraints)
        return pair_auc_score(self.estimator_, self.rows, constraints, similar)

    @property
    def n_features_in_(self) -> int:
        """Number of features of ``rows``, from the fitted estimator."""
        return self.estimator_.n_features_in_

    def _check_constraints(self, X, y, method: str):
        """The constraints and, for pairs, 1 similar / 0 dissimilar."""
        caller = f"ConstraintEmbedder.{method}"
        constraints, kind = _check_constraint_indices(X, caller)
        similar = _check_constraint_labels(kind, y, len(constraints), caller)
        _check_in_rows(constraints, _num_samples(self.rows), caller)
        return constraints, similar

    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, "estimator_")

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = False  # triplets carry no labels
        return tags


def _has_method(meta: ConstraintEmbedder, name: str) -> bool:
    """``available_if`` of a delegated method: the fitted estimator's, or else
    the unfitted one's."""
    return hasattr(getattr(meta, "estimator_", meta.estimator), name)


def _fit_takes(estimator, kind: str) -> bool:
    """Whether ``estimator.fit`` takes the argument ``kind`` (or ``**kwargs``)."""
    try:
        parameters = inspect.signature(estimator.fit).parameters.values()
    except (TypeError, ValueError):  # no signature: let fit decide
        return True
    return any(
        parameter.name == kind or parameter.kind is parameter.VAR_KEYWORD
        for parameter in parameters
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
            "metric-learn takes them; pass row indices instead: rows, X = "
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


def _check_in_rows(constraints: np.ndarray, n_rows: int, caller: str) -> None:
    low, high = int(constraints.min()), int(constraints.max())
    if low < 0 or high >= n_rows:
        raise ValueError(
            f"{caller}: X holds row indices in [{low}, {high}], but rows has "
            f"{n_rows} rows: indices must lie in [0, {n_rows - 1}]. Pass as "
            "rows= the whole array the constraints index."
        )
