"""Scores of an embedding's class structure, and scorers for model selection.

Labels follow the estimators: any labels that sort (numbers, text, pandas
categoricals), with -1, None or NaN marking an unlabeled row, left out.
The scorers score ``estimator.transform(X)`` in ``cross_val_score`` or
``GridSearchCV``, against the embedding of the labeled rows the estimator
was fitted on where it keeps one (the reference), so that a validation fold
with few labels is still scored.

Without labels, :func:`pair_auc_score` and :func:`triplet_satisfied_score`
score held-out constraints (row indices of pairs or triplets), as
metric-learn's pair and triplet learners score themselves;
:class:`~sk_metricembed.model_selection.ConstraintEmbedder` scores a
cross-validation fold of constraints with them.
"""

from ._constraint_scores import pair_auc_score, triplet_satisfied_score
from ._label_scores import knn_accuracy_score, triplet_accuracy_score
from ._scorer import knn_accuracy_scorer, make_embedding_scorer, triplet_accuracy_scorer

__all__ = [
    "triplet_accuracy_score",
    "knn_accuracy_score",
    "pair_auc_score",
    "triplet_satisfied_score",
    "make_embedding_scorer",
    "triplet_accuracy_scorer",
    "knn_accuracy_scorer",
]
