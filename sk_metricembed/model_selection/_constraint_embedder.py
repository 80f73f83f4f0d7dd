"""A meta-estimator fitted on constraints as its samples, for searches without labels.

:class:`ConstraintEmbedder` takes row indices of pairs or triplets as its
``X``, trains its embedder on every row with them, and scores held-out
constraints; :class:`~sk_metricembed.model_selection.ConstraintKFold`
splits them.
"""

from __future__ import annotations

import inspect

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, MetaEstimatorMixin, clone
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from .._sklearn_compat import HasMethods, _fit_context, _num_samples
from ..metrics._constraint_scores import (
    _pair_distances,
    _triplet_distances,
    pair_auc_score,
    triplet_satisfied_score,
)
from ._split import _check_constraint_indices, _check_constraint_labels


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
    and gives the same (scikit-learn 1.9 does; 1.6 takes a decision
    function from classifiers only and refuses it). Parameters of the
    embedder are searched as ``estimator__<name>``.

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

    #: Read by the label scorers, which refuse it: its X is constraints.
    _fits_on_constraints = True

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "transform"])],
        "rows": ["array-like", "sparse matrix"],
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
            supervision = {"triplets": constraints}
        else:
            supervision = {"pairs": constraints, "pair_labels": similar}
        estimator.fit(self.rows, **_routed(estimator, supervision))
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


def _routed(estimator, supervision: dict) -> dict:
    """The constraints as ``estimator.fit`` takes them: a pipeline (a scaler
    then the embedder) gives them to its last step, as ``<step>__pairs``."""
    if _is_pipeline(estimator):
        name = estimator.steps[-1][0]
        return {f"{name}__{key}": value for key, value in supervision.items()}
    return supervision


def _is_pipeline(estimator) -> bool:
    return isinstance(getattr(estimator, "steps", None), list) and bool(estimator.steps)


def _fit_takes(estimator, kind: str) -> bool:
    """Whether ``estimator.fit`` takes the argument ``kind`` (or ``**kwargs``);
    a pipeline's, whether its last step's does."""
    if _is_pipeline(estimator):
        return _fit_takes(estimator.steps[-1][1], kind)
    try:
        parameters = inspect.signature(estimator.fit).parameters.values()
    except (TypeError, ValueError):  # no signature: let fit decide
        return True
    return any(
        parameter.name == kind or parameter.kind is parameter.VAR_KEYWORD
        for parameter in parameters
    )


def _check_in_rows(constraints: np.ndarray, n_rows: int, caller: str) -> None:
    low, high = int(constraints.min()), int(constraints.max())
    if low < 0 or high >= n_rows:
        raise ValueError(
            f"{caller}: X holds row indices in [{low}, {high}], but rows has "
            f"{n_rows} rows: indices must lie in [0, {n_rows - 1}]. Pass as "
            "rows= the whole array the constraints index."
        )
