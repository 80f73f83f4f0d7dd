"""
MNIST with 1% of the labels
===========================

Reads MNIST's 10,000 test images from IDX files with
:func:`sk_metricembed.datasets.load_mnist`: the folder ``../shared/data/mnist10k``
next to the project (or the one named by the ``SK_METRICEMBED_MNIST``
environment variable). Nothing is downloaded: without the files the example
says so and stops.

It keeps 50 of the 7,000 training labels, fits a
:class:`~sk_metricembed.TripletVAEEmbedder` (the MLP, to stay under a
minute on a CPU; ``image_shape=(28, 28)`` would train the conv encoder) and
shows the held-out embedding twice: projected by PCA (linear, faithful to
distances) and by t-SNE (better separated clusters).
"""

# %%
import os
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from sklearn.model_selection import train_test_split

from sk_metricembed import TripletVAEEmbedder, knn_accuracy_score, plot_embedding
from sk_metricembed.datasets import load_mnist

here = Path(__file__).resolve().parent if "__file__" in globals() else Path.cwd()
if "SK_METRICEMBED_MNIST" in os.environ:
    candidates = [Path(os.environ["SK_METRICEMBED_MNIST"])]
else:
    candidates = [
        Path("../shared/data/mnist10k"),  # from the project root
        here.parent.parent / "shared" / "data" / "mnist10k",  # from examples/
    ]
folder = next((path for path in candidates if path.is_dir()), None)

if folder is None:
    searched = ", ".join(str(path) for path in candidates)
    print(f"MNIST IDX files not found in {searched}: example skipped.")
else:
    X, y = load_mnist(folder)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, stratify=y, random_state=0
    )
    # Keep 5 labels per class, 1% of the training rows.
    rng = np.random.RandomState(0)
    y_partial = np.full_like(y_train, -1)
    for digit in range(10):
        kept = rng.choice(np.flatnonzero(y_train == digit), 5, replace=False)
        y_partial[kept] = digit

    embedder = TripletVAEEmbedder(latent_dim=10, max_epochs=5, random_state=0)
    embedder.fit(X_train, y_partial)
    Z = embedder.transform(X_test[:1000])
    accuracy = knn_accuracy_score(Z, y_test[:1000])
    print(f"5-NN accuracy of 1,000 held-out digits: {accuracy:.3f}")

    fig, axes = plt.subplots(1, 2, figsize=(12, 5))
    plot_embedding(Z, y_test[:1000], ax=axes[0], title="PCA of the 10-d embedding")
    plot_embedding(
        Z, y_test[:1000], method="tsne", ax=axes[1], title="t-SNE of the same"
    )
    axes[0].get_legend().remove()
    fig.tight_layout()
    plt.show()
