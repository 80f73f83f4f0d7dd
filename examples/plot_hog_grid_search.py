"""
HOG features in a pipeline, tuned by GridSearchCV
=================================================

The embedders are ordinary scikit-learn transformers: they go into a
:class:`~sklearn.pipeline.Pipeline` after a feature step
(:class:`~sk_metricembed.HOGTransformer` here, the arkwave experiments'
``feature_extractor='hog'``) and are tuned by
:class:`~sklearn.model_selection.GridSearchCV`, here over ``latent_dim``.
Without ``scoring``, the search uses the embedder's ``score``: triplet
accuracy on the labelled rows of each validation fold (rows labelled ``-1``
are ignored).
"""

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sk_metricembed import HOGTransformer, TripletVAEEmbedder
from sk_metricembed.plotting import EmbeddingDisplay

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X / 16.0, y, test_size=0.3, stratify=y, random_state=0
)
y_partial = np.where(np.random.RandomState(0).rand(len(y_train)) < 0.2, y_train, -1)

# %%
# 8x8 images: 2x2-pixel cells and 2x2-cell blocks give 324 HOG features.
pipeline = make_pipeline(
    HOGTransformer(pixels_per_cell=(2, 2), cells_per_block=(2, 2), image_shape=(8, 8)),
    StandardScaler(),
    TripletVAEEmbedder(max_epochs=5, random_state=0),
)
search = GridSearchCV(
    pipeline, {"tripletvaeembedder__latent_dim": [2, 10]}, cv=3, n_jobs=1
)
search.fit(X_train, y_partial)
for latent_dim, score in zip(
    search.cv_results_["param_tripletvaeembedder__latent_dim"],
    search.cv_results_["mean_test_score"],
):
    print(f"latent_dim={latent_dim}: mean validation triplet accuracy {score:.3f}")

# %%
# The refitted best pipeline embeds the held-out digits
# -----------------------------------------------------
# :class:`~sk_metricembed.EmbeddingDisplay`'s ``from_estimator`` embeds the
# rows with the whole pipeline's ``transform`` and, above two dimensions,
# shows a PCA projection (the axis labels say so).
print(f"held-out triplet accuracy {search.score(X_test, y_test):.3f}")
best = search.best_params_["tripletvaeembedder__latent_dim"]
display = EmbeddingDisplay.from_estimator(
    search.best_estimator_,
    X_test,
    y_test,
    title=f"HOG + triplet VAE, latent_dim={best}",
)
display.figure_.tight_layout()
plt.show()
