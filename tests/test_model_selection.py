"""The embedders inside Pipelines and GridSearchCV, with -1 labels."""

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sk_metricembed import (
    HOGTransformer,
    TripletVAEEmbedder,
    knn_accuracy_scorer,
    triplet_accuracy_scorer,
)


def _digits_with_hidden_labels():
    X, y = load_digits(return_X_y=True)
    X, y = X[:600], y[:600].copy()
    y[np.random.RandomState(0).permutation(600)[:300]] = -1
    return X, y


def test_hog_pipeline_grid_search_picks_the_metric_weight():
    X, y = _digits_with_hidden_labels()
    pipeline = make_pipeline(
        HOGTransformer(pixels_per_cell=(4, 4), cells_per_block=(2, 2)),
        StandardScaler(),
        TripletVAEEmbedder(
            max_epochs=8,
            hidden_layer_sizes=(64,),
            random_state=0,
            neighbor_weight=0.0,
            supervised_contrastive_weight=0.0,
        ),
    )
    search = GridSearchCV(
        pipeline,
        {
            "tripletvaeembedder__weight": [0.0, 0.7],
            "tripletvaeembedder__latent_dim": [4],
        },
        scoring={"triplet": triplet_accuracy_scorer, "knn": knn_accuracy_scorer},
        refit="triplet",
        cv=StratifiedKFold(2, shuffle=True, random_state=0),
    )
    search.fit(X, y)
    assert search.best_params_["tripletvaeembedder__weight"] == 0.7
    assert set(search.cv_results_) >= {"mean_test_triplet", "mean_test_knn"}
    assert search.transform(X).shape == (600, 4)


def test_grid_search_runs_in_two_processes():
    X, y = _digits_with_hidden_labels()
    search = GridSearchCV(
        TripletVAEEmbedder(max_epochs=2, hidden_layer_sizes=(32,), random_state=0),
        {"latent_dim": [2, 3]},
        cv=2,
        n_jobs=2,
    ).fit(X / 16.0, y)
    serial = GridSearchCV(
        TripletVAEEmbedder(max_epochs=2, hidden_layer_sizes=(32,), random_state=0),
        {"latent_dim": [2, 3]},
        cv=2,
    ).fit(X / 16.0, y)
    np.testing.assert_allclose(
        search.cv_results_["mean_test_score"], serial.cv_results_["mean_test_score"]
    )
