"""Weakly supervised deep metric learning for scikit-learn.

Siamese and triplet autoencoders (deterministic or variational) whose latent
space is shaped by a metric loss on labels with ``-1`` for unlabelled rows,
on explicit pairs and triplets, and on input-space neighbours.
"""

from importlib import import_module
from importlib.metadata import version

#: The public names, by the module that defines them. Each module is imported
#: when one of its names is first used (PEP 562), so that ``import
#: sk_metricembed`` and ``sk-metricembed --help`` do not import torch.
_EXPORTS = {
    "_estimators": ("SiameseAutoencoderEmbedder", "TripletVAEEmbedder"),
    "hog": ("HOGTransformer",),
    "torch_features": ("TorchFeatureExtractor",),
    "metrics": (
        "triplet_accuracy_score",
        "knn_accuracy_score",
        "triplet_accuracy_scorer",
        "knn_accuracy_scorer",
        "make_embedding_scorer",
        "pair_auc_score",
        "triplet_satisfied_score",
    ),
    "model_selection": (
        "SemiSupervisedKFold",
        "ConstraintKFold",
        "ConstraintEmbedder",
        "BaselineEmbedder",
    ),
    "constraints": (
        "sample_pairs",
        "sample_triplets",
        "triplets_to_pairs",
        "pairs_to_triplets",
        "tuples_to_rows",
    ),
    "callbacks": ("EmbeddingRecorder",),
    "plotting": (
        "EmbeddingDisplay",
        "InteractiveEmbeddingDisplay",
        "HistoryDisplay",
        "ReconstructionDisplay",
        "SampleDisplay",
        "AnimationDisplay",
        "plot_embedding",
        "plot_embedding_interactive",
        "plot_reconstructions",
        "plot_samples",
        "plot_history",
        "animate_embedding",
    ),
}
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}
#: The public modules, reachable as attributes (``sk_metricembed.losses``)
#: without an import of their own, as scikit-learn's are.
_SUBMODULES = (
    "callbacks",
    "cli",
    "constraints",
    "datasets",
    "hog",
    "losses",
    "metrics",
    "model_selection",
    "plotting",
    "torch_features",
)

# Declared once, in pyproject.toml.
__version__ = version("sk-metricembed")

__all__ = list(_MODULE_OF)


def __getattr__(name: str):
    """A public name or module, imported on first use."""
    if name in _SUBMODULES:
        return import_module(f".{name}", __name__)
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value  # the next lookup does not come here
    return value


def __dir__() -> list[str]:
    """The module's names, the public ones not yet imported included."""
    return sorted({*globals(), *__all__, *_SUBMODULES})
