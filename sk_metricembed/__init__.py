"""Weakly supervised deep metric learning for scikit-learn.

Siamese and triplet autoencoders (deterministic or variational) whose latent
space is shaped by a metric loss on labels with ``-1`` for unlabelled rows,
on explicit pairs and triplets, and on input-space neighbours.
"""

from importlib.metadata import version

from ._estimators import SiameseAutoencoderEmbedder, TripletVAEEmbedder
from .callbacks import EmbeddingRecorder
from .constraints import (
    pairs_to_triplets,
    sample_pairs,
    sample_triplets,
    triplets_to_pairs,
)
from .hog import HOGTransformer
from .metrics import (
    knn_accuracy_score,
    knn_accuracy_scorer,
    make_embedding_scorer,
    triplet_accuracy_score,
    triplet_accuracy_scorer,
)
from .model_selection import SemiSupervisedKFold
from .plotting import (
    animate_embedding,
    plot_embedding,
    plot_history,
    plot_reconstructions,
    plot_samples,
)
from .torch_features import TorchFeatureExtractor

# Declared once, in pyproject.toml.
__version__ = version("sk-metricembed")

__all__ = [
    "SiameseAutoencoderEmbedder",
    "TripletVAEEmbedder",
    "HOGTransformer",
    "TorchFeatureExtractor",
    "triplet_accuracy_score",
    "knn_accuracy_score",
    "triplet_accuracy_scorer",
    "knn_accuracy_scorer",
    "make_embedding_scorer",
    "SemiSupervisedKFold",
    "sample_pairs",
    "sample_triplets",
    "triplets_to_pairs",
    "pairs_to_triplets",
    "EmbeddingRecorder",
    "plot_embedding",
    "plot_reconstructions",
    "plot_samples",
    "plot_history",
    "animate_embedding",
]
