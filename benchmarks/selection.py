"""Can model selection be trusted when labels are few?

For a grid of candidates, compares each candidate's mean cross-validated
score (what ``GridSearchCV`` ranks by) with its held-out quality (test 5-NN
accuracy: neighbours from the train embedding with every true train label),
and reports the Spearman correlation of the two rankings and the regret (the
best candidate's test 5-NN minus that of the candidate the search picks)::

    python -m benchmarks.selection
    python -m benchmarks.selection --dataset mnist

The digits protocol (the default): scikit-learn's digits scaled into [0, 1],
a stratified 60/40 split (seed 0), train labels kept at 10% and 3% with
``hide_labels`` (seed 0), ``TripletVAEEmbedder(max_epochs=30)`` over
``weight`` in {0.05, 0.2, 0.5, 0.9} x ``latent_dim`` in {2, 8}.
The MNIST protocol (``--dataset mnist``, written to
``RESULTS_selection_mnist.md``): the MNIST 10k set split 6,000/4,000
(stratified, seed 0, as the benchmark's other MNIST scenarios), rows of 784
pixels (vector mode), labels kept at 10% and 2%, ``weight`` in {0.05, 0.2,
0.9} x ``latent_dim`` in {2, 20}. Both search with
``SemiSupervisedKFold(3, random_state=seed)`` (CV seeds 0, 1, 2), the
documented splitter, scored by the estimator's own ``score`` and by
``knn_accuracy_scorer``; both score a validation fold against the labelled
rows the candidate was fitted on.

Besides a row per CV seed, a summary per label fraction and scoring gives
the labelled rows a class (in the train split and in a validation fold) and
the spread of the CV scores across the CV seeds: for each candidate the
standard deviation of its mean CV score over the seeds, averaged over the
candidates.
"""

from __future__ import annotations

import argparse
import datetime
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import product

import numpy as np
from scipy.stats import spearmanr
from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.neighbors import KNeighborsClassifier

from sk_metricembed import TripletVAEEmbedder, knn_accuracy_scorer
from sk_metricembed.datasets import hide_labels
from sk_metricembed.model_selection import SemiSupervisedKFold

from .report import machine

N_SPLITS = 3
SCORINGS = {
    "score": lambda estimator, X, y: estimator.score(X, y),
    "knn": knn_accuracy_scorer,
}
READING = (
    "Reading: each validation fold is scored against the labelled rows the "
    "candidate was fitted on (its training folds'): `score` draws anchors from "
    "the fold's labelled rows and positives and negatives from both, `knn` "
    "votes with the 5 nearest of the fit's labelled rows. NaN is a score "
    "undefined on every fold (GridSearchCV's error_score). CV spread: for each "
    "candidate, the standard deviation (ddof=1) of its mean CV score across "
    "the CV seeds, averaged over the candidates; two candidates whose CV "
    "scores differ by less than it are not told apart by the search."
)


def _digits():
    X, y = load_digits(return_X_y=True)
    X = (X / 16.0).astype(np.float32)
    return train_test_split(X, y, test_size=0.4, stratify=y, random_state=0)


def _mnist():
    from . import scenarios

    split = scenarios.mnist_split()
    return split.X_train, split.X_test, split.y_train, split.y_test


@dataclass(frozen=True)
class Protocol:
    """A data set, its grid and label fractions, and where its table goes."""

    load: Callable[[], list]
    grid: dict
    fractions: tuple[float, ...]
    output: str
    description: str


PROTOCOLS = {
    "digits": Protocol(
        _digits,
        {"weight": [0.05, 0.2, 0.5, 0.9], "latent_dim": [2, 8]},
        (0.1, 0.03),
        "benchmarks/RESULTS_selection.md",
        "Digits (/16), 60/40 stratified split",
    ),
    "mnist": Protocol(
        _mnist,
        {"weight": [0.05, 0.2, 0.9], "latent_dim": [2, 20]},
        (0.1, 0.02),
        "benchmarks/RESULTS_selection_mnist.md",
        "MNIST 10k, 6,000/4,000 stratified split, 784 pixels in [0, 1] (vector mode)",
    ),
}


def held_out_quality(X_train, y_semi, y_train, X_test, y_test, grid, epochs) -> dict:
    """Test 5-NN accuracy of every candidate fitted on all train rows."""
    quality = {}
    for weight, latent_dim in product(grid["weight"], grid["latent_dim"]):
        model = TripletVAEEmbedder(
            weight=weight, latent_dim=latent_dim, max_epochs=epochs, random_state=0
        ).fit(X_train, y_semi)
        knn = KNeighborsClassifier(5).fit(model.transform(X_train), y_train)
        quality[weight, latent_dim] = knn.score(model.transform(X_test), y_test)
    return quality


def search(X_train, y_semi, grid, epochs, seed) -> dict:
    """Mean CV score of every candidate, for each scoring."""
    searcher = GridSearchCV(
        TripletVAEEmbedder(max_epochs=epochs, random_state=0),
        grid,
        scoring=SCORINGS,
        refit=False,
        cv=SemiSupervisedKFold(N_SPLITS, random_state=seed),
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


def spread_across_seeds(cv_scores_per_seed: list[dict]) -> float:
    """Mean over the candidates of the std (ddof=1) of their CV score across seeds.

    Candidates with a NaN score under some seed are left out; NaN when fewer
    than two seeds or no candidate is left.
    """
    if len(cv_scores_per_seed) < 2:
        return float("nan")
    candidates = list(cv_scores_per_seed[0])
    scores = np.array(
        [[per_seed[c] for c in candidates] for per_seed in cv_scores_per_seed],
        dtype=float,
    )  # (n_seeds, n_candidates)
    finite = np.isfinite(scores).all(axis=0)
    if not finite.any():
        return float("nan")
    return float(np.std(scores[:, finite], axis=0, ddof=1).mean())


def labels_per_class(y_semi, seeds) -> tuple[tuple[int, int], tuple[int, int]]:
    """(min, max) labelled rows a class in ``y_semi`` and in a validation fold."""
    classes = np.unique(y_semi[y_semi >= 0])
    counts = np.bincount(y_semi[y_semi >= 0])[classes]
    folds = [
        y_semi[test]
        for seed in seeds
        for _, test in SemiSupervisedKFold(N_SPLITS, random_state=seed).split(
            y_semi, y_semi
        )
    ]
    # A class missing from a fold counts 0 there.
    in_fold = np.concatenate(
        [np.bincount(y[y >= 0], minlength=classes.max() + 1)[classes] for y in folds]
    )
    return (
        (int(counts.min()), int(counts.max())),
        (int(in_fold.min()), int(in_fold.max())),
    )


def _range(low_high: tuple[int, int]) -> str:
    low, high = low_high
    return f"{low}" if low == high else f"{low}-{high}"


def _grid_text(grid: dict) -> str:
    return " x ".join(
        f"{name} {{{', '.join(str(value) for value in values)}}}"
        for name, values in grid.items()
    )


def main(argv=None) -> list[str]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", choices=sorted(PROTOCOLS), default="digits")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument(
        "--fractions",
        type=float,
        nargs="+",
        help="label fractions (default: the data set's, 10%% and 3%% on digits, "
        "10%% and 2%% on MNIST)",
    )
    parser.add_argument(
        "--weights", type=float, nargs="+", help="weights of the grid (a smaller run)"
    )
    parser.add_argument(
        "--latent-dims",
        type=int,
        nargs="+",
        help="latent_dim values of the grid (a smaller run)",
    )
    parser.add_argument("--output", help="default: the data set's RESULTS file")
    args = parser.parse_args(argv)
    protocol = PROTOCOLS[args.dataset]
    grid = {
        "weight": args.weights or protocol.grid["weight"],
        "latent_dim": args.latent_dims or protocol.grid["latent_dim"],
    }
    fractions = args.fractions or protocol.fractions
    X_train, X_test, y_train, y_test = protocol.load()
    command = " ".join(
        ["python -m benchmarks.selection", *(sys.argv[1:] if argv is None else argv)]
    )
    start = time.perf_counter()
    lines = [
        "# Model selection with few labels",
        "",
        f"Command: `{command}` (epochs {args.epochs}, CV seeds {args.seeds})",
        "",
        f"Machine: {machine()}",
        "",
        f"Date: {datetime.datetime.now().isoformat(timespec='seconds')}",
        "",
        f"{protocol.description}; `TripletVAEEmbedder` over {_grid_text(grid)}; "
        f"SemiSupervisedKFold({N_SPLITS}, random_state=CV seed) on the labels "
        "with -1. Spearman: rank correlation of the candidates' mean CV score "
        "with their test 5-NN accuracy; regret: the best candidate's test 5-NN "
        "minus the picked one's.",
        "",
        "| labels | labelled rows | scoring | CV seed | Spearman | regret | "
        "CV scores (min-max) |",
        "|---|---|---|---|---|---|---|",
    ]
    summary = [
        "| labels | labelled rows a class | in a validation fold | scoring | "
        "CV spread across seeds | Spearman (mean, min) | regret (mean, max) |",
        "|---|---|---|---|---|---|---|",
    ]
    for fraction in fractions:
        y_semi = hide_labels(y_train, fraction, random_state=0)
        per_class, per_fold = labels_per_class(y_semi, args.seeds)
        quality = held_out_quality(
            X_train, y_semi, y_train, X_test, y_test, grid, args.epochs
        )
        per_seed = {name: [] for name in SCORINGS}
        for seed in args.seeds:
            for name, cv_scores in search(
                X_train, y_semi, grid, args.epochs, seed
            ).items():
                rho, regret = agreement(cv_scores, quality)
                per_seed[name].append((cv_scores, rho, regret))
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
        for name, measured in per_seed.items():
            spread = spread_across_seeds([cv_scores for cv_scores, _, _ in measured])
            rhos = np.array([rho for _, rho, _ in measured])
            regrets = np.array([regret for _, _, regret in measured])
            summary.append(
                f"| {fraction:.0%} | {_range(per_class)} | {_range(per_fold)} | "
                f"{name} | {spread:.3f} | {rhos.mean():.2f}, {rhos.min():.2f} | "
                f"{regrets.mean():.3f}, {regrets.max():.3f} |"
            )
    lines += ["", *summary, "", READING]
    lines += ["", f"Total time: {time.perf_counter() - start:.0f} s."]
    with open(args.output or protocol.output, "w", encoding="utf-8") as file:
        file.write("\n".join(lines) + "\n")
    return lines


if __name__ == "__main__":
    main()
