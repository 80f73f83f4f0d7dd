"""Any transformer, scored as the package's embedders are: baselines in a search.

The package's scorers score a validation fold against the labelled rows an
embedder was fitted on (``embedding_labeled_``, ``labels_labeled_``), so
that a fold with a handful of labels is scored at all. A PCA, the raw
features or semi-supervised UMAP keep no such rows, and a search that puts
them beside an embedder would score them on the fold's own rows alone: a
different, noisier figure. :class:`BaselineEmbedder` keeps them, so that
``GridSearchCV`` compares an embedder with PCA or the features under one
scorer and one split.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, MetaEstimatorMixin, TransformerMixin, clone
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils import get_tags
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, validate_data

from .._labels import encode_row_labels
from .._sklearn_compat import (
    HasMethods,
    StrOptions,
    _check_feature_names_in,
    _fit_context,
)
from .._validation import warn
from ..metrics._scorer import EmbeddingScoreMixin

#: What ``fit_on`` may name: the rows the wrapped transformer is fitted on.
FIT_ON = ("all", "labeled")


class BaselineEmbedder(
    EmbeddingScoreMixin, MetaEstimatorMixin, TransformerMixin, BaseEstimator
):
    """A transformer scored as the embedders are: a baseline for model selection.

    Wraps a transformer (a PCA, NCA, semi-supervised UMAP) or, with
    ``transformer=None``, the rows as given, and keeps what the package's
    embedders keep for their scorers: the embedding and labels of the
    labelled rows it was fitted on. A search over
    ``{"embed": [embedder, BaselineEmbedder(PCA(8)), BaselineEmbedder()]}``
    then scores each candidate's validation fold by its nearest labelled
    training rows under :func:`~sk_metricembed.knn_accuracy_scorer`, and its
    triplets against them under :func:`~sk_metricembed.triplet_accuracy_scorer`,
    as it scores the embedders: the check, with the labels there are, that a
    learned embedding beats the input features and PCA before it is relied
    on.

    Parameters
    ----------
    transformer : estimator object or None, default=None
        The transformer to fit, cloned at each fit; None keeps the rows as
        given (the raw features).
    fit_on : {"all", "labeled"}, default="all"
        The rows ``transformer`` is fitted on: ``"all"`` fits it on every
        row with ``y`` as given (``-1`` marks an unlabelled row, as
        semi-supervised UMAP reads it; PCA ignores ``y``), ``"labeled"`` on
        the labelled rows only (a supervised transformer such as
        :class:`~sklearn.neighbors.NeighborhoodComponentsAnalysis`, which
        would take ``-1`` for a class; ``"all"`` warns where a transformer
        whose tags require ``y`` would read unlabelled rows so).

    Attributes
    ----------
    transformer_ : estimator object
        The fitted clone of ``transformer`` (an identity
        :class:`~sklearn.preprocessing.FunctionTransformer` for None).
    classes_ : ndarray of shape (n_classes,)
        The classes of the labelled rows of ``y``.
    embedding_labeled_ : ndarray of shape (n_labeled, n_components)
        ``transform`` of the labelled rows the fit saw: the scorers'
        reference.
    labels_labeled_ : ndarray of shape (n_labeled,)
        Their labels, as given.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of str
        Names of the features seen during fit, where ``X`` had string column
        names.

    See Also
    --------
    sk_metricembed.model_selection.SemiSupervisedKFold : Folds that keep labels
        in every training fold.
    sk_metricembed.knn_accuracy_scorer : The scorer that reads the reference.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.decomposition import PCA
    >>> from sk_metricembed import knn_accuracy_scorer
    >>> from sk_metricembed.model_selection import BaselineEmbedder
    >>> X, y = load_iris(return_X_y=True)
    >>> y_semi = y.copy()
    >>> y_semi[1::3] = -1
    >>> pca = BaselineEmbedder(PCA(2)).fit(X, y_semi)
    >>> pca.embedding_labeled_.shape
    (100, 2)
    >>> bool(knn_accuracy_scorer(pca, X[1::3], y[1::3]) > 0.9)
    True
    """

    _parameter_constraints: dict = {
        "transformer": [HasMethods(["fit", "transform"]), None],
        "fit_on": [StrOptions(set(FIT_ON))],
    }

    def __init__(self, transformer=None, *, fit_on: str = "all") -> None:
        self.transformer = transformer
        self.fit_on = fit_on

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(
        self,
        X: ArrayLike,
        y: ArrayLike | None = None,
        *,
        pairs: ArrayLike | None = None,
        pair_labels: ArrayLike | None = None,
        triplets: ArrayLike | None = None,
        sample_index: ArrayLike | None = None,
    ) -> BaselineEmbedder:
        """Fit a clone of ``transformer`` and embed the labelled rows.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training rows.
        y : array-like of shape (n_samples,), default=None
            Class labels, ``-1`` (or None, NaN) for unlabelled rows; None
            when no row is labelled.
        pairs, pair_labels, triplets, sample_index : array-like, default=None
            The embedders' constraints, taken and not used: a baseline
            learns from no constraint. They are taken so that one search
            gives the same fit parameters to an embedder and to its
            baselines, and so that
            :class:`~sk_metricembed.model_selection.ConstraintEmbedder`
            scores PCA or the raw features on the same held-out pairs or
            triplets as an embedder.

        Returns
        -------
        self : object
            The fitted baseline.
        """
        X = validate_data(self, X, dtype="numeric")
        self.classes_, codes = encode_row_labels(y, X.shape[0])
        labeled = codes >= 0
        if self.fit_on == "labeled" and not labeled.any():
            raise ValueError(
                "BaselineEmbedder(fit_on='labeled') got no labelled row to fit "
                "on; pass y with some labels, or fit_on='all'."
            )
        transformer = (
            FunctionTransformer(feature_names_out="one-to-one")
            if self.transformer is None
            else clone(self.transformer)
        )
        if (
            self.fit_on == "all"
            and y is not None
            and not labeled.all()
            and _requires_y(transformer)
        ):
            warn(
                f"BaselineEmbedder(fit_on='all') fits {type(transformer).__name__}, "
                f"a supervised transformer, on y with its {int((~labeled).sum())} "
                "unlabelled rows, which it reads as one more class; pass "
                "fit_on='labeled' to fit it on the labelled rows only."
            )
        if self.fit_on == "labeled":
            transformer.fit(X[labeled], self.classes_[codes[labeled]])
        elif y is None:
            transformer.fit(X)
        else:
            transformer.fit(X, y)
        self.transformer_ = transformer
        self.labels_labeled_ = self.classes_[codes[labeled]]
        # Without a labelled row: no row, as wide as the transform's output.
        rows = X[labeled] if labeled.any() else X[:1]
        self.embedding_labeled_ = np.asarray(transformer.transform(rows))[
            : int(labeled.sum())
        ]
        return self

    def transform(self, X: ArrayLike) -> np.ndarray:
        """Transform rows with the fitted transformer.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Rows to embed.

        Returns
        -------
        Z : ndarray of shape (n_samples, n_components)
            ``transformer_.transform(X)``.
        """
        check_is_fitted(self)
        X = validate_data(self, X, dtype="numeric", reset=False)
        return self.transformer_.transform(X)

    @available_if(
        lambda self: (
            self.transformer is None
            or hasattr(self.transformer, "get_feature_names_out")
        )
    )
    def get_feature_names_out(self, input_features: ArrayLike | None = None):
        """Names of the embedding's columns, the fitted transformer's.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Input column names; None takes those seen during fit (or
            ``x0``, ``x1``, ...).

        Returns
        -------
        feature_names_out : ndarray of str
            The features' names for ``transformer=None``, else
            ``transformer_.get_feature_names_out``'s.
        """
        check_is_fitted(self)
        names = _check_feature_names_in(self, input_features)
        return self.transformer_.get_feature_names_out(names)


def _requires_y(transformer) -> bool:
    """Whether scikit-learn's tags say ``transformer`` needs ``y`` (NCA, LDA)."""
    try:
        return bool(get_tags(transformer).target_tags.required)
    except AttributeError:  # a duck-typed transformer without tags
        return False
