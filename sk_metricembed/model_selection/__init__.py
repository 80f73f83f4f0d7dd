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

The package's scorers score a fold against the labelled rows an embedder
was fitted on; :class:`BaselineEmbedder` keeps those rows for any
transformer (PCA, the raw features), so that a search compares an embedder
with them under the same scorer.
"""

from ._baseline import BaselineEmbedder
from ._constraint_embedder import ConstraintEmbedder
from ._split import ConstraintKFold, SemiSupervisedKFold

__all__ = [
    "SemiSupervisedKFold",
    "ConstraintKFold",
    "ConstraintEmbedder",
    "BaselineEmbedder",
]
