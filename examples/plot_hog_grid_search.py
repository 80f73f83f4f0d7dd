"""
HOG features in a pipeline, tuned by GridSearchCV
=================================================

The embedders are ordinary scikit-learn transformers: they go into a
:class:`~sklearn.pipeline.Pipeline` after a feature step
(:class:`~sk_metricembed.HOGTransformer` here, the arkwave experiments'
``feature_extractor='hog'``) and are tuned by
:class:`~sklearn.model_selection.GridSearchCV`. Without ``scoring``, the
search uses the embedder's ``score``: triplet accuracy on the labelled rows
of each validation fold (rows labelled ``-1`` are ignored).
"""

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sk_metricembed import HOGTransformer, TripletVAEEmbedder, plot_embedding

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
    TripletVAEEmbedder(latent_dim=2, max_epochs=8, random_state=0),
)
search = GridSearchCV(
    pipeline, {"tripletvaeembedder__weight": [0.5, 0.9]}, cv=3, n_jobs=1
)
search.fit(X_train, y_partial)
for weight, score in zip(
    search.cv_results_["param_tripletvaeembedder__weight"],
    search.cv_results_["mean_test_score"],
):
    print(f"weight={weight}: mean validation triplet accuracy {score:.3f}")

# %%
# The refitted best pipeline embeds the held-out digits
# -----------------------------------------------------
Z = search.best_estimator_.transform(X_test)
print(f"held-out triplet accuracy {search.score(X_test, y_test):.3f}")
ax = plot_embedding(
    Z,
    y_test,
    title=f"HOG + TVAE, weight={search.best_params_['tripletvaeembedder__weight']}",
)
plt.tight_layout()
plt.show()
