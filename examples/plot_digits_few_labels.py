"""
Digits with 10% of the labels
=============================

The main job in a few lines: keep one training label in ten (the others
become ``-1``, scikit-learn's convention for unlabelled rows), fit a
:class:`~sk_metricembed.TripletVAEEmbedder`, and look at the embedding of
held-out digits. The unlabelled rows still count: the reconstruction and the
neighbour term train on them.
"""

# %%
# Hide 90% of the training labels
# -------------------------------
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from sk_metricembed import (
    TripletVAEEmbedder,
    knn_accuracy_score,
    plot_embedding,
    triplet_accuracy_score,
)

X, y = load_digits(return_X_y=True)
X = X / 16.0  # pixels into [0, 1]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.3, stratify=y, random_state=0
)
rng = np.random.RandomState(0)
y_partial = y_train.copy()
y_partial[rng.rand(len(y_partial)) > 0.1] = -1
print(f"{(y_partial >= 0).sum()} of {len(y_partial)} training labels kept")

# %%
# Fit and score the held-out embedding
# ------------------------------------
# Triplet accuracy is the share of (anchor, positive, negative) triplets of
# held-out rows whose anchor is closer to the positive; the 5-NN accuracy
# is leave-one-out on the held-out rows.
embedder = TripletVAEEmbedder(latent_dim=2, max_epochs=15, random_state=0)
embedder.fit(X_train, y_partial)
Z_train = embedder.transform(X_train)
Z_test = embedder.transform(X_test)
print(f"triplet accuracy {triplet_accuracy_score(Z_test, y_test, random_state=0):.3f}")
print(f"5-NN accuracy    {knn_accuracy_score(Z_test, y_test):.3f}")

# %%
# The training rows as the fit saw them, then the held-out rows
# -------------------------------------------------------------
# On the left, grey points are the unlabelled training rows; the larger
# coloured points are the few labels the fit had. On the right, every held-out digit is
# coloured by its true class.
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 5))
plot_embedding(Z_train, y_partial, ax=left, title="training rows (grey: unlabelled)")
plot_embedding(Z_test, y_test, ax=right, title="held-out rows, true classes")
fig.tight_layout()
plt.show()
