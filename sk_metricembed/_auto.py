"""What ``"auto"`` means for the parameters that accept it.

Each value was chosen by measurement on the benchmark's MNIST split
(``docs/few_labels.md``, "How the defaults were chosen"; the benchmark's
figures in ``benchmarks/RESULTS.md``).
"""

from __future__ import annotations

import numpy as np

#: What ``"auto"`` means for vectors and in image mode (``image_shape`` set),
#: chosen by measurement on MNIST with 1% of labels (benchmarks/RESULTS.md):
#: a deeper MLP gained a point of triplet accuracy on vectors, while after the
#: convolutions one layer suffices and keeps the image mode within 90 s.
AUTO_HIDDEN_LAYER_SIZES = {"vector": (1024, 512), "image": (512,)}
#: Vectors gained from 60 epochs over 30; the image mode's steps cost about
#: four times a vector step, and 30 epochs already reach its targets.
AUTO_MAX_EPOCHS = {"vector": 60, "image": 30}
#: ``pseudo_label_fraction="auto"``: this share of the unlabelled rows gets a
#: pseudo-label when fewer than ``AUTO_PSEUDO_LABELS_BELOW`` of the rows carry
#: a true label. On MNIST with 1% of labels they gained 1.4 points of triplet
#: accuracy on vectors (0.5; 0.8 cost 5-NN accuracy) and 0.6 in image mode,
#: whose embedding separates the classes better and so propagates more
#: reliable labels (0.8; 0.5 gained 0.4). With 10% of labels they cost up to
#: half a point of 5-NN accuracy in image mode: the threshold lies between
#: the two fractions measured.
AUTO_PSEUDO_LABEL_FRACTION = {"vector": 0.5, "image": 0.8}
AUTO_PSEUDO_LABELS_BELOW = 0.05


def auto_pseudo_label_fraction(labels: np.ndarray, image_shape) -> float:
    """``pseudo_label_fraction="auto"`` for these labels (``-1`` unlabelled)."""
    if float(np.mean(labels >= 0)) >= AUTO_PSEUDO_LABELS_BELOW:
        return 0.0
    return AUTO_PSEUDO_LABEL_FRACTION["vector" if image_shape is None else "image"]
