"""Can model selection be trusted when labels are few?

For a grid of candidates, compares each candidate's mean cross-validated
score (what ``GridSearchCV`` ranks by) with its held-out quality (test 5-NN
accuracy: neighbours from the train embedding with every true train label),
and reports the Spearman correlation of the two rankings and the regret (the
best candidate's test 5-NN minus that of the candidate the search picks)::

    python -m benchmarks.selection --output benchmarks/RESULTS_selection.md

The protocol: scikit-learn's digits scaled into [0, 1], a stratified 60/40
split (seed 0), train labels kept at each fraction with ``hide_labels``
(seed 0), ``TripletVAEEmbedder(max_epochs=30)`` over ``weight`` in {0.05,
0.2, 0.5, 0.9} x ``latent_dim`` in {2, 8}, ``StratifiedKFold(3,
shuffle=True)`` on the labels with -1 (seeds 0, 1, 2), scored by the
estimator's own ``score`` and by ``knn_accuracy_scorer``.
"""

from __future__ import annotations

import argparse
import datetime
import time
from itertools import product

import numpy as np
from scipy.stats import spearmanr
from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV, StratifiedKFold, train_test_split
from sklearn.neighbors import KNeighborsClassifier

from sk_metricembed import TripletVAEEmbedder, knn_accuracy_scorer
from sk_metricembed.datasets import hide_labels

from .report import machine

GRID = {"weight": [0.05, 0.2, 0.5, 0.9], "latent_dim": [2, 8]}
FRACTIONS = (0.1, 0.03)
READING = (
    "Reading: NaN is a score undefined on every fold (GridSearchCV's "
    "error_score): the triplet score needs two labelled rows of one class in "
    "a validation fold. A Spearman of NaN with CV scores all equal means the "
    "scoring could not tell the candidates apart, so the search picks the "
    "grid's first candidate; leave-one-out kNN among the fold's labelled rows "
    "scores 0 when each class has one labelled row there."
)
SCORINGS = {
    "score": lambda estimator, X, y: estimator.score(X, y),
    "knn": knn_accuracy_scorer,
}


def _digits():
    X, y = load_digits(return_X_y=True)
    X = (X / 16.0).astype(np.float32)
    return train_test_split(X, y, test_size=0.4, stratify=y, random_state=0)


def held_out_quality(X_train, y_semi, y_train, X_test, y_test, epochs) -> dict:
    """Test 5-NN accuracy of every candidate fitted on all train rows."""
    quality = {}
    for weight, latent_dim in product(GRID["weight"], GRID["latent_dim"]):
        model = TripletVAEEmbedder(
            weight=weight, latent_dim=latent_dim, max_epochs=epochs, random_state=0
        ).fit(X_train, y_semi)
        knn = KNeighborsClassifier(5).fit(model.transform(X_train), y_train)
        quality[weight, latent_dim] = knn.score(model.transform(X_test), y_test)
    return quality


def search(X_train, y_semi, epochs, seed) -> dict:
    """Mean CV score of every candidate, for each scoring."""
    searcher = GridSearchCV(
        TripletVAEEmbedder(max_epochs=epochs, random_state=0),
        GRID,
        scoring=SCORINGS,
        refit=False,
        cv=StratifiedKFold(3, shuffle=True, random_state=seed),
        error_score=np.nan,
    )
    searcher.fit(X_train, y_semi)
    results = searcher.cv_results_
    candidates = [
        (params["weight"], params["latent_dim"]) for params in results["params"]
    ]
    return {
        name: dict(zip(candidates, results[f"mean_test_{name}"])) for name in SCORINGS
    }


def agreement(cv_scores: dict, quality: dict) -> tuple[float, float]:
    """Spearman correlation of the two rankings, and the regret of the pick."""
    candidates = list(quality)
    cv = np.array([cv_scores[c] for c in candidates], dtype=float)
    held_out = np.array([quality[c] for c in candidates])
    usable = np.isfinite(cv)
    rho = (
        spearmanr(cv[usable], held_out[usable]).statistic
        if usable.sum() > 2
        else np.nan
    )
    picked = candidates[int(np.nanargmax(cv))] if usable.any() else None
    regret = held_out.max() - quality[picked] if picked else np.nan
    return float(rho), float(regret)


def main(argv=None) -> list[str]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--fractions", type=float, nargs="+", default=FRACTIONS)
    parser.add_argument("--output", default="benchmarks/RESULTS_selection.md")
    args = parser.parse_args(argv)
    X_train, X_test, y_train, y_test = _digits()
    start = time.perf_counter()
    lines = [
        "# Model selection with few labels",
        "",
        f"Command: `python -m benchmarks.selection` (epochs {args.epochs}, "
        f"CV seeds {args.seeds})",
        "",
        f"Machine: {machine()}",
        "",
        f"Date: {datetime.datetime.now().isoformat(timespec='seconds')}",
        "",
        "Digits (/16), 60/40 stratified split; `TripletVAEEmbedder` over weight "
        "{0.05, 0.2, 0.5, 0.9} x latent_dim {2, 8}; StratifiedKFold(3, "
        "shuffle=True) on the labels with -1. Spearman: rank correlation of the "
        "candidates' mean CV score with their test 5-NN accuracy; regret: the "
        "best candidate's test 5-NN minus the picked one's.",
        "",
        "| labels | labelled rows | scoring | CV seed | Spearman | regret | "
        "CV scores (min-max) |",
        "|---|---|---|---|---|---|---|",
    ]
    for fraction in args.fractions:
        y_semi = hide_labels(y_train, fraction, random_state=0)
        quality = held_out_quality(
            X_train, y_semi, y_train, X_test, y_test, args.epochs
        )
        for seed in args.seeds:
            for name, cv_scores in search(X_train, y_semi, args.epochs, seed).items():
                rho, regret = agreement(cv_scores, quality)
                values = np.array(list(cv_scores.values()), dtype=float)
                row = (
                    f"| {fraction:.0%} | {int((y_semi >= 0).sum())} | {name} | "
                    f"{seed} | {rho:.2f} | {regret:.3f} | "
                    f"{np.nanmin(values):.3f}-{np.nanmax(values):.3f} |"
                )
                lines.append(row)
                print(row, flush=True)
        best = max(quality, key=quality.get)
        lines.append(
            f"| {fraction:.0%} | | test 5-NN of the candidates | | | | "
            f"{min(quality.values()):.3f}-{max(quality.values()):.3f} "
            f"(best: weight {best[0]}, latent_dim {best[1]}) |"
        )
    lines += ["", READING, "", f"Total time: {time.perf_counter() - start:.0f} s."]
    with open(args.output, "w", encoding="utf-8") as file:
        file.write("\n".join(lines) + "\n")
    return lines


if __name__ == "__main__":
    main()
