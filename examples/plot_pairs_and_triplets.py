"""
Explicit pairs and triplets instead of labels
=============================================

Sometimes there are no labels, only judgements: "these two are alike"
(pairs, 1 similar and 0 dissimilar) or "this one is closer than that one"
(triplets ``(anchor, positive, negative)``). Both embedders take them as row
indices. Here the judgements are drawn from the digits labels with
:func:`~sk_metricembed.sample_pairs` and :func:`~sk_metricembed.sample_triplets`,
and the labels themselves are never given to the fit.
"""

# %%
import matplotlib.pyplot as plt
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from sk_metricembed import (
    SiameseAutoencoderEmbedder,
    TripletVAEEmbedder,
    knn_accuracy_score,
    plot_embedding,
    sample_pairs,
    sample_triplets,
)

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X / 16.0, y, test_size=0.3, stratify=y, random_state=0
)
pairs, pair_labels = sample_pairs(y_train, 2000, random_state=0)
triplets = sample_triplets(y_train, 2000, random_state=0)
print("pairs", pairs.shape, "similar:", pair_labels.sum())
print("triplets", triplets.shape, "first:", triplets[0])

# %%
# Pairs train the siamese autoencoder, triplets the triplet VAE
# -------------------------------------------------------------
siamese = SiameseAutoencoderEmbedder(latent_dim=2, max_epochs=15, random_state=0)
siamese.fit(X_train, pairs=pairs, pair_labels=pair_labels)
tvae = TripletVAEEmbedder(latent_dim=2, max_epochs=15, random_state=0)
tvae.fit(X_train, triplets=triplets)

fig, axes = plt.subplots(1, 2, figsize=(11, 4.5))
for embedder, name, ax in [
    (siamese, "2,000 pairs (siamese AE)", axes[0]),
    (tvae, "2,000 triplets (triplet VAE)", axes[1]),
]:
    Z = embedder.transform(X_test)
    accuracy = knn_accuracy_score(Z, y_test)
    plot_embedding(Z, y_test, ax=ax, title=f"{name}: 5-NN {accuracy:.2f}")
axes[0].get_legend().remove()
fig.tight_layout()
plt.show()
