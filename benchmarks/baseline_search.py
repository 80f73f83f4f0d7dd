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
the three candidates' test scores and the candidate each way of reading
the search (:data:`RULES`: the best mean; the one-standard-error rule; the
embedder unless beaten by a standard error) picks from that metric's
scores over the folds (the defaults where the folds cannot be scored: with
one labelled row in a class, or fewer labelled rows than folds). The
summary counts, for each metric, the cells where the defaults fall below
the better of PCA and the features on the test rows, and the cells where
each rule's pick does::

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


def best_mean(mean: np.ndarray, std: np.ndarray) -> int:
    """The candidate of the highest mean score over the folds."""
    return int(np.nanargmax(mean))


def simplest_within_a_standard_error(mean: np.ndarray, std: np.ndarray) -> int:
    """The one-standard-error rule: the simplest candidate (the features,
    then PCA, then the embedder) within one standard deviation over the
    folds of the best mean."""
    best = int(np.nanargmax(mean))
    return next(i for i in SIMPLEST_FIRST if mean[i] >= mean[best] - std[best])


def defaults_unless_beaten(mean: np.ndarray, std: np.ndarray) -> int:
    """The embedder, unless a baseline's mean beats its mean by more than
    its standard deviation over the folds."""
    baseline = 1 + int(np.nanargmax(mean[1:]))
    return baseline if mean[baseline] > mean[0] + std[0] else 0


#: How a user may read the search: each rule picks a candidate's index from
#: the mean and standard deviation of its scores over the folds.
RULES = {
    "best mean": best_mean,
    "one standard error, simplest": simplest_within_a_standard_error,
    "defaults unless beaten by a standard error": defaults_unless_beaten,
}
#: The candidates' indices from the simplest (the features) to the embedder.
SIMPLEST_FIRST = (2, 1, 0)


def search_picks(models: list, split) -> dict:
    """``{(rule, metric): index of the candidate}`` each rule of
    :data:`RULES` picks from that metric's scores on the training rows'
    folds; the defaults (0) where no candidate could be scored (a fold with
    one labelled row of a class) or the labelled rows are fewer than the
    folds."""
    unscored = {(rule, m): 0 for rule in RULES for m in METRICS}
    if np.sum(split.y_train_semi >= 0) < N_FOLDS:
        return unscored  # too few labels to split
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
    picks = dict(unscored)
    for m in METRICS:
        mean = search.cv_results_[f"mean_test_{m}"]
        std = search.cv_results_[f"std_test_{m}"]
        if not np.isnan(mean).any():
            for rule, pick in RULES.items():
                picks[rule, m] = pick(mean, std)
    return picks


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
    below_baseline = {(rule, m): 0 for rule in (None, *RULES) for m in METRICS}
    below_defaults = {(rule, m): 0 for rule in RULES for m in METRICS}
    n_cells, start = 0, time.perf_counter()
    for name, seed, split, _ in cells(args):
        for estimator in args.estimators.split(","):
            picks = search_picks(candidates(estimator, split), split)
            scores = test_scores(candidates(estimator, split), split)
            line = f"{name} seed {seed} {split.label_fraction:.0%} {estimator}:"
            for column, m in enumerate(METRICS):
                baseline, default = scores[1:, column].max(), scores[0, column]
                below_baseline[None, m] += default < baseline
                for rule in RULES:
                    picked = scores[picks[rule, m], column]
                    below_baseline[rule, m] += picked < baseline
                    below_defaults[rule, m] += picked < default
                chosen = "/".join(CANDIDATES[picks[rule, m]] for rule in RULES)
                line += (
                    f" {m} defaults {default:.3f}, PCA {scores[1, column]:.3f},"
                    f" features {scores[2, column]:.3f}, picks {chosen};"
                )
            n_cells += 1
            print(line, flush=True)
    print(
        f"{n_cells} cells ({time.perf_counter() - start:.0f} s); cells below the "
        "better of PCA and the features on the test rows (below the defaults):",
        flush=True,
    )
    for m in METRICS:
        print(f"  {m}: defaults {below_baseline[None, m]}", flush=True)
        for rule in RULES:
            print(
                f"  {m}, {rule}: {below_baseline[rule, m]} ({below_defaults[rule, m]})",
                flush=True,
            )
    return {"cells": n_cells, "below baseline": below_baseline}


if __name__ == "__main__":
    main()
