"""Whether a search over the embedder, PCA and the features avoids the losses.

For every cell of the general suite (data set, split, label fraction), each
estimator with its defaults is put beside PCA at the same dimension and the
raw features, both wrapped in
:class:`~sk_metricembed.model_selection.BaselineEmbedder`, in one
``GridSearchCV`` over a pipeline's ``embed`` step, scored by
``knn_accuracy_scorer`` and ``triplet_accuracy_scorer`` on
``SemiSupervisedKFold(3)``: what a user with only the training labels can
do. Each candidate is also fitted on all training rows and scored on the
test rows as the suite scores it; a line per cell gives, for each metric,
the candidate the search picks by that metric's scorer (the defaults where
the folds cannot be scored: with one labelled row in a class, or fewer
labelled rows than folds), its test
score, and the test scores of the three candidates. The summary counts, for each
metric, the cells where the defaults fall below the better of PCA and the
features on the test rows, and the cells where the search's pick does::

    python -m benchmarks.baseline_search --datasets digits,wine
    python -m benchmarks.baseline_search --datasets csv:FILE,... --estimators tvae

Options as ``benchmarks.general_dev``'s (``--cache`` spares the suite's
peers, which choose no cell here, a refit; PCA and the features are
refitted as candidates).
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
from sklearn.decomposition import PCA
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline

from sk_metricembed import knn_accuracy_scorer, triplet_accuracy_scorer
from sk_metricembed.model_selection import BaselineEmbedder, SemiSupervisedKFold

from .general_dev import ESTIMATORS, add_cell_arguments, cells

#: The candidates' names, in the search's order.
CANDIDATES = ("defaults", "PCA", "features")
METRICS = ("triplet", "knn")
N_FOLDS = 3


def candidates(estimator: str, split) -> list:
    """The estimator with its defaults, PCA (at most as many components as
    features, as the suite's peer) and the features, as the search sees them."""
    components = min(split.latent_dim, split.X_train.shape[1])
    return [
        ESTIMATORS[estimator](latent_dim=split.latent_dim, random_state=0),
        BaselineEmbedder(PCA(components, random_state=0)),
        BaselineEmbedder(),
    ]


def search_picks(models: list, split) -> dict:
    """``{metric: index of the candidate}`` the search ranks first by that
    metric's scorer on the training rows' folds; the defaults (0) where no
    candidate could be scored (a fold with one labelled row of a class) or
    the labelled rows are fewer than the folds."""
    if np.sum(split.y_train_semi >= 0) < N_FOLDS:
        return dict.fromkeys(METRICS, 0)  # too few labels to split
    search = GridSearchCV(
        Pipeline([("embed", models[0])]),
        {"embed": models},
        scoring={"triplet": triplet_accuracy_scorer, "knn": knn_accuracy_scorer},
        refit=False,
        cv=SemiSupervisedKFold(N_FOLDS, random_state=0),
        error_score=np.nan,
    )
    with warnings.catch_warnings():
        # A fold with one labelled row of a class cannot be scored (nan).
        warnings.simplefilter("ignore")
        search.fit(split.X_train, split.y_train_semi)
    means = {m: search.cv_results_[f"mean_test_{m}"] for m in METRICS}
    return {
        m: 0 if np.all(np.isnan(v)) else int(np.nanargmax(v)) for m, v in means.items()
    }


def test_scores(models: list, split) -> np.ndarray:
    """``(n_candidates, 2)``: each candidate's test (triplet, 5-NN), fitted on
    all training rows."""
    scores = []
    for model in models:
        model.fit(split.X_train, split.y_train_semi)
        scores.append(
            split.score(model.transform(split.X_train), model.transform(split.X_test))
        )
    return np.asarray(scores)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.baseline_search")
    add_cell_arguments(parser)
    args = parser.parse_args(argv)
    counts = {
        f"{who} {metric}": 0
        for who in ("defaults lose", "pick loses", "pick below defaults")
        for metric in METRICS
    }
    n_cells, start = 0, time.perf_counter()
    for name, seed, split, _ in cells(args):
        for estimator in args.estimators.split(","):
            picks = search_picks(candidates(estimator, split), split)
            scores = test_scores(candidates(estimator, split), split)
            line = f"{name} seed {seed} {split.label_fraction:.0%} {estimator}:"
            for column, metric in enumerate(METRICS):
                baseline = scores[1:, column].max()
                default, picked = scores[0, column], scores[picks[metric], column]
                counts[f"defaults lose {metric}"] += default < baseline
                counts[f"pick loses {metric}"] += picked < baseline
                counts[f"pick below defaults {metric}"] += picked < default
                line += (
                    f" {metric} picks {CANDIDATES[picks[metric]]} {picked:.3f}"
                    f" (defaults {default:.3f}, PCA {scores[1, column]:.3f},"
                    f" features {scores[2, column]:.3f});"
                )
            n_cells += 1
            print(line, flush=True)
    print(
        f"{n_cells} cells ({time.perf_counter() - start:.0f} s); below the better "
        "of PCA and the features on the test rows: "
        + ", ".join(
            f"{metric} defaults {counts[f'defaults lose {metric}']}, search's pick "
            f"{counts[f'pick loses {metric}']} (pick below the defaults "
            f"{counts[f'pick below defaults {metric}']})"
            for metric in METRICS
        ),
        flush=True,
    )
    return {"cells": n_cells, **counts}


if __name__ == "__main__":
    main()
