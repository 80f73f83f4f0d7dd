"""Scorers for model selection: a score of ``estimator.transform(X)``.

Where the estimator keeps the embedding of the labeled rows it was fitted
on, a scorer hands it to the score as the reference.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

import numpy as np

from .._sklearn_compat import validate_params
from ._constraint_scores import _parameter_names
from ._label_scores import knn_accuracy_score, triplet_accuracy_score


class _EmbeddingScorer:
    """Scorer ``(estimator, X, y)`` scoring ``estimator.transform(X)``."""

    def __init__(self, score_func: Callable[..., float], kwargs: dict):
        self.score_func = score_func
        self.kwargs = kwargs

    def __call__(self, estimator, X, y=None) -> float:
        inner = getattr(estimator, "best_estimator_", estimator)
        if getattr(inner, "_fits_on_constraints", False):
            raise TypeError(
                f"{self!r} scores an embedding of labelled rows, but "
                f"{type(inner).__name__} is fitted and scored on constraints "
                "(X is pairs or triplets, not rows): leave scoring at its "
                "default, the held-out pairs' ROC AUC or the held-out "
                "triplets' satisfied share."
            )
        if y is None:
            raise ValueError(
                f"{self!r} needs the labels y; pass y to the cross-validation "
                "or search function."
            )
        kwargs = dict(self.kwargs)
        if _takes_reference(self.score_func) and not {
            "X_reference",
            "y_reference",
        } & set(kwargs):
            reference = _fitted_reference(estimator)
            if reference is not None:
                kwargs["X_reference"], kwargs["y_reference"] = reference
        return self.score_func(estimator.transform(X), y, **kwargs)

    def __repr__(self) -> str:
        arguments = "".join(f", {key}={value!r}" for key, value in self.kwargs.items())
        return f"make_embedding_scorer({self.score_func.__name__}{arguments})"


class EmbeddingScoreMixin:
    """``score``: the triplet accuracy scorer's, for embedders and baselines."""

    def score(self, X, y) -> float:
        """Triplet accuracy of the embedding of ``X`` on its labelled rows.

        Anchors are the labelled rows of ``X``; positives and negatives come
        from them and from the labelled rows the estimator was fitted on
        (``embedding_labeled_``), so that a cross-validation fold with one
        labelled row per class is scored. On the training rows themselves
        each anchor also meets its own copy: the score is then optimistic,
        as a training score is.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Rows to score (sparse where ``transform`` takes them), typically
            held out from the fit.
        y : array-like of shape (n_samples,)
            Labels, of the type the fit's were; unlabelled rows (``-1``,
            ``None``, NaN) are ignored.

        Returns
        -------
        score : float
            See :func:`~sk_metricembed.triplet_accuracy_scorer`, which this
            equals.
        """
        return triplet_accuracy_scorer(self, X, y)


def _takes_reference(score_func) -> bool:
    return {"X_reference", "y_reference"} <= _parameter_names(score_func)


def _fitted_reference(estimator) -> tuple[np.ndarray, np.ndarray] | None:
    """The embedding and labels of the labeled rows ``estimator`` was fitted on.

    A fitted search embeds with its best estimator. In a pipeline, the
    reference is its last embedder's, carried through the steps after it
    (a ``Normalizer`` or a scaler after the embedder maps the reference
    rows as it maps the scored ones), so that the pipeline's output is
    scored in one space. An estimator without ``embedding_labeled_`` and
    ``labels_labeled_`` (a PCA) has none, nor has one fitted without a
    label (its reference is empty), nor a pipeline whose later steps do not
    all transform.
    """
    if hasattr(estimator, "best_estimator_"):
        return _fitted_reference(estimator.best_estimator_)
    steps = getattr(estimator, "steps", None)
    if isinstance(steps, list):
        for position in range(len(steps) - 1, -1, -1):
            reference = _fitted_reference(steps[position][1])
            if reference is not None:
                return _carried(reference, [s for _, s in steps[position + 1 :]])
        return None
    X_reference = getattr(estimator, "embedding_labeled_", None)
    y_reference = getattr(estimator, "labels_labeled_", None)
    if X_reference is None or y_reference is None or len(y_reference) == 0:
        return None
    return X_reference, y_reference


def _carried(reference, later_steps) -> tuple[np.ndarray, np.ndarray] | None:
    """The reference rows mapped through a pipeline's steps after its embedder."""
    X_reference, y_reference = reference
    for step in later_steps:
        if step is None or step == "passthrough":
            continue
        if not hasattr(step, "transform"):
            return None
        X_reference = step.transform(X_reference)
    return X_reference, y_reference


@validate_params({"score_func": [callable]}, prefer_skip_nested_validation=True)
def make_embedding_scorer(
    score_func: Callable[..., float], **kwargs
) -> _EmbeddingScorer:
    """Make a scorer that scores an estimator's embedding of ``X``.

    Parameters
    ----------
    score_func : callable
        Score ``score_func(X_embedded, y, **kwargs)``, higher is better, such
        as :func:`triplet_accuracy_score` or :func:`knn_accuracy_score`.
    **kwargs
        Keyword arguments passed to ``score_func``.

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y)`` returns
        ``score_func(estimator.transform(X), y, **kwargs)``; usable as
        ``scoring`` in ``cross_val_score`` and ``GridSearchCV``, alone or in a
        dict of scorers. When ``score_func`` takes ``X_reference`` and
        ``y_reference`` (and ``kwargs`` sets neither) and the estimator keeps
        the embedding of its labeled training rows (the embedders'
        ``embedding_labeled_`` and ``labels_labeled_``; a pipeline's last
        step, a fitted search's best estimator), the scorer passes them as
        the reference; other estimators are scored without one.

    See Also
    --------
    triplet_accuracy_scorer : Scorer of :func:`triplet_accuracy_score`.
    knn_accuracy_scorer : Scorer of :func:`knn_accuracy_score`.

    Examples
    --------
    >>> from sklearn.decomposition import PCA
    >>> from sk_metricembed.metrics import knn_accuracy_score, make_embedding_scorer
    >>> scorer = make_embedding_scorer(knn_accuracy_score, n_neighbors=1)
    >>> scorer
    make_embedding_scorer(knn_accuracy_score, n_neighbors=1)
    >>> X, y = [[0, 0], [0, 1], [9, 0], [9, 1]], [0, 0, 1, 1]
    >>> scorer(PCA(n_components=1).fit(X), X, y)
    1.0
    """
    missing = _arguments_beyond_two(score_func, kwargs)
    if missing:
        raise ValueError(
            "make_embedding_scorer's score_func must score an embedding and "
            "its labels, score_func(X_embedded, y, **kwargs); "
            f"{getattr(score_func, '__name__', repr(score_func))} also needs "
            f"{missing}. The scores of held-out pairs and triplets "
            "(pair_auc_score, triplet_satisfied_score) are ConstraintEmbedder's "
            "default score."
        )
    return _EmbeddingScorer(score_func, kwargs)


def _arguments_beyond_two(function, kwargs) -> list[str]:
    """``function``'s arguments without a default after its first two that
    ``kwargs`` does not give (none where it has no signature)."""
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return []
    kinds = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    names = [p.name for p in parameters if p.default is p.empty and p.kind in kinds]
    return [name for name in names[2:] if name not in kwargs]


triplet_accuracy_scorer = make_embedding_scorer(triplet_accuracy_score, random_state=0)
triplet_accuracy_scorer.__doc__ = """Scorer of :func:`triplet_accuracy_score`.

Draws with ``random_state=0``, so every candidate of a search is scored on
the same triplets of a fold. Anchors are the fold's labeled rows; positives
and negatives come from them and from the labeled rows the embedder was
fitted on (``embedding_labeled_``, ``labels_labeled_``), so a fold with one
labeled row per class is scored. An estimator without them (a PCA) is
scored on the fold's own rows;
:class:`~sk_metricembed.model_selection.BaselineEmbedder` gives any
transformer them. See :func:`make_embedding_scorer`.

Examples
--------
>>> from sklearn.decomposition import PCA
>>> from sk_metricembed.metrics import triplet_accuracy_scorer
>>> X, y = [[0, 0], [0, 1], [9, 0], [9, 1]], [0, 0, 1, 1]
>>> triplet_accuracy_scorer(PCA(n_components=1).fit(X), X, y)
1.0
"""

knn_accuracy_scorer = make_embedding_scorer(knn_accuracy_score)
knn_accuracy_scorer.__doc__ = """Scorer of :func:`knn_accuracy_score`.

Votes with the default ``n_neighbors=5``; see :func:`make_embedding_scorer`
for another value. Each labeled row of the fold is voted on by its nearest
labeled rows among those the embedder was fitted on (``embedding_labeled_``
with ``labels_labeled_``), as a k-nearest-neighbour classifier trained on
the fit's labels would predict it; a fold with one labeled row per class is
scored. An estimator without them (a PCA), or fitted without a label, is
scored leave-one-out among the fold's own labeled rows;
:class:`~sk_metricembed.model_selection.BaselineEmbedder` gives any
transformer them.

Examples
--------
>>> from sklearn.decomposition import PCA
>>> from sk_metricembed.metrics import knn_accuracy_scorer
>>> X = [[0, 0], [0, 1], [0, 2], [9, 0], [9, 1], [9, 2], [0, 3]] * 2
>>> y = [0, 0, 0, 1, 1, 1, 0] * 2
>>> knn_accuracy_scorer(PCA(n_components=1).fit(X), X, y)
1.0

An embedder is scored against the labeled rows it was fitted on, here on
held-out rows holding one label per class:

>>> import numpy as np
>>> from sklearn.datasets import load_digits
>>> from sk_metricembed import TripletVAEEmbedder
>>> X, y = load_digits(return_X_y=True)
>>> X = X / 16.0
>>> embedder = TripletVAEEmbedder(latent_dim=4, hidden_layer_sizes=(32,),
...                               max_epochs=2, random_state=0)
>>> embedder = embedder.fit(X[:300], y[:300])
>>> embedder.embedding_labeled_.shape
(300, 4)
>>> first_of_each_class = np.unique(y[300:], return_index=True)[1] + 300
>>> 0.0 < knn_accuracy_scorer(embedder, X[first_of_each_class],
...                           y[first_of_each_class]) <= 1.0
True
"""

# Doctest collection skips instances: run the scorers' examples too.
__test__ = {
    "triplet_accuracy_scorer": triplet_accuracy_scorer.__doc__,
    "knn_accuracy_scorer": knn_accuracy_scorer.__doc__,
}
