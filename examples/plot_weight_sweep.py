"""
From autoencoder to pure metric network: the weight
====================================================

``weight`` blends the two losses,
``loss = weight * metric + (1 - weight) * reconstruction``: 0 is a plain
autoencoder, 1 a pure siamese network (the decoder is then skipped). This
sweep fits a :class:`~sk_metricembed.SiameseAutoencoderEmbedder` with 10% of
the digits labels at four weights and shows each held-out embedding, as the
arkwave experiments' ``list_of_weights`` did.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from sk_metricembed import (
    SiameseAutoencoderEmbedder,
    knn_accuracy_score,
    plot_embedding,
)

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X / 16.0, y, test_size=0.3, stratify=y, random_state=0
)
y_partial = np.where(np.random.RandomState(0).rand(len(y_train)) < 0.1, y_train, -1)

# %%
# One fit per weight
# ------------------
# Each panel's title gives the held-out 5-NN accuracy. Without the metric
# term (weight 0) the classes overlap. From 0.5 up they separate, and the
# panels barely differ: the metric terms are about a hundred times larger
# than the per-pixel reconstruction error (see the loss curves in the
# reconstructions example), so they dominate as soon as they are on. Weights
# close to 0 are where the blend is gradual on this data.
weights = [0.0, 0.5, 0.9, 1.0]
fig, axes = plt.subplots(1, len(weights), figsize=(4.5 * len(weights), 4.2))
for weight, ax in zip(weights, axes):
    embedder = SiameseAutoencoderEmbedder(
        latent_dim=2, weight=weight, max_epochs=15, random_state=0
    ).fit(X_train, y_partial)
    Z = embedder.transform(X_test)
    accuracy = knn_accuracy_score(Z, y_test)
    plot_embedding(Z, y_test, ax=ax, title=f"weight={weight:g}: 5-NN {accuracy:.2f}")
    if ax is not axes[-1]:
        ax.get_legend().remove()
fig.tight_layout()
plt.show()
