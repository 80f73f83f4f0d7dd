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

Pairs only (``--pairs N``, written to ``RESULTS_selection_<dataset>_pairs.md``)::

    python -m benchmarks.selection --dataset mnist --pairs 5000

No label is kept: ``N`` pairs are drawn from the train rows' true labels
(``sample_pairs``, seed 0, half similar), and ``SiameseAutoencoderEmbedder``
is searched over the data set's grid as ``ConstraintEmbedder(rows=every
train row)`` with ``ConstraintKFold(3, random_state=seed)`` dividing the
pairs, scored by the ROC AUC of a fold's held-out pairs. The truth is the
same: test 5-NN of each candidate fitted on all train rows with all ``N``
pairs, neighbours voted by every true train label.
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

from sk_metricembed import (
    SiameseAutoencoderEmbedder,
    TripletVAEEmbedder,
    knn_accuracy_scorer,
    sample_pairs,
)
from sk_metricembed.datasets import hide_labels
from sk_metricembed.model_selection import (
    ConstraintEmbedder,
    ConstraintKFold,
    SemiSupervisedKFold,
)

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
PAIRS_READING = (
    "Reading: each candidate of a fold is fitted on every train row with the "
    "training folds' pairs (ConstraintEmbedder) and scored by the ROC AUC of "
    "the held-out pairs ranked by negative latent distance (`auc`, "
    "pair_auc_score); no label is used until the truth, the test 5-NN of the "
    "candidate fitted on all pairs, voted by every true train label. NaN is a "
    "score undefined on every fold. CV spread: as in the label tables, the "
    "standard deviation (ddof=1) of a candidate's mean CV score across the CV "
    "seeds, averaged over the candidates."
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


def held_out_quality(
    model, X_train, y_train, X_test, y_test, grid, epochs, **supervision
) -> dict:
    """Test 5-NN accuracy of every candidate fitted on all train rows.

    ``model`` is the embedder class and ``supervision`` what its ``fit``
    trains on besides the rows (``y=`` the labels with -1, or ``pairs=`` and
    ``pair_labels=``); the 5-NN votes with every true train label.
    """
    quality = {}
    for weight, latent_dim in product(grid["weight"], grid["latent_dim"]):
        fitted = model(
            weight=weight, latent_dim=latent_dim, max_epochs=epochs, random_state=0
        ).fit(X_train, **supervision)
        knn = KNeighborsClassifier(5).fit(fitted.transform(X_train), y_train)
        quality[weight, latent_dim] = knn.score(fitted.transform(X_test), y_test)
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
    columns = {name: f"mean_test_{name}" for name in SCORINGS}
    return _mean_cv_scores(searcher.cv_results_, columns)


def search_pairs(X_train, pairs, pair_labels, grid, epochs, seed) -> dict:
    """Mean CV score (ROC AUC of held-out pairs) of every candidate, from pairs."""
    searcher = GridSearchCV(
        ConstraintEmbedder(
            SiameseAutoencoderEmbedder(max_epochs=epochs, random_state=0),
            rows=X_train,
        ),
        {f"estimator__{name}": values for name, values in grid.items()},
        refit=False,
        cv=ConstraintKFold(N_SPLITS, random_state=seed),
        error_score=np.nan,
    )
    searcher.fit(pairs, pair_labels)
    # One scoring, the estimator's own score: the pairs' ROC AUC.
    columns = {"auc": "mean_test_score"}
    return _mean_cv_scores(searcher.cv_results_, columns, prefix="estimator__")


def _mean_cv_scores(results: dict, columns: dict, prefix: str = "") -> dict:
    """``{scoring: {(weight, latent_dim): mean CV score}}`` from ``cv_results_``.

    ``columns`` names each scoring's column of ``cv_results_``; the grid's
    parameters are named with ``prefix`` (``estimator__`` in a meta-estimator).
    """
    candidates = [
        (params[f"{prefix}weight"], params[f"{prefix}latent_dim"])
        for params in results["params"]
    ]
    return {
        name: dict(zip(candidates, results[column])) for name, column in columns.items()
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


def pairs_per_fold(pairs, pair_labels, seeds) -> tuple[tuple[int, int], ...]:
    """(min, max) similar and (min, max) dissimilar pairs in a validation fold."""
    counts = np.array(
        [
            (int(pair_labels[test].sum()), int((pair_labels[test] == 0).sum()))
            for seed in seeds
            for _, test in ConstraintKFold(N_SPLITS, random_state=seed).split(
                pairs, pair_labels
            )
        ]
    )  # (n_folds, 2): similar, dissimilar
    return tuple(zip(counts.min(axis=0).tolist(), counts.max(axis=0).tolist()))


def candidate_rows(name: str, quality: dict, per_seed: dict) -> list[str]:
    """One row per candidate, best truth first: test 5-NN and mean CV scores.

    ``per_seed`` maps each scoring to its ``(cv_scores, rho, regret)`` of
    every CV seed; the table shows where the CV ranking and the truth part.
    """
    rows = []
    for candidate in sorted(quality, key=quality.get, reverse=True):
        scores = ", ".join(
            f"{scoring} {np.nanmean([cv[candidate] for cv, _, _ in measured]):.4f}"
            for scoring, measured in per_seed.items()
        )
        weight, latent_dim = candidate
        rows.append(
            f"| {name} | weight {weight}, latent_dim {latent_dim} | "
            f"{quality[candidate]:.4f} | {scores} |"
        )
    return rows


def _range(low_high: tuple[int, int]) -> str:
    low, high = low_high
    return f"{low}" if low == high else f"{low}-{high}"


def _grid_text(grid: dict) -> str:
    return " x ".join(
        f"{name} {{{', '.join(str(value) for value in values)}}}"
        for name, values in grid.items()
    )


@dataclass
class Setting:
    """One supervision of a run: its cells in the tables, truth and search."""

    name: str  # first cell: "10%" of labels, or "5,000 pairs"
    size: str  # labelled rows, or similar and dissimilar pairs
    per_class: str  # summary: labels a class, or pairs of each kind
    per_fold: str  # summary: the same in a validation fold
    quality: dict  # candidate -> test 5-NN accuracy
    search: Callable[[int], dict]  # CV seed -> {scoring: {candidate: CV score}}
    scorings: tuple[str, ...]


def label_settings(data, fractions, grid, epochs, seeds):
    """One setting per label fraction, searched on the labels with -1."""
    X_train, X_test, y_train, y_test = data
    for fraction in fractions:
        y_semi = hide_labels(y_train, fraction, random_state=0)
        per_class, per_fold = labels_per_class(y_semi, seeds)
        yield Setting(
            name=f"{fraction:.0%}",
            size=str(int((y_semi >= 0).sum())),
            per_class=_range(per_class),
            per_fold=_range(per_fold),
            quality=held_out_quality(
                TripletVAEEmbedder,
                X_train,
                y_train,
                X_test,
                y_test,
                grid,
                epochs,
                y=y_semi,
            ),
            search=lambda seed, y_semi=y_semi: search(
                X_train, y_semi, grid, epochs, seed
            ),
            scorings=tuple(SCORINGS),
        )


def pair_settings(data, n_pairs, grid, epochs, seeds):
    """The one setting of ``n_pairs`` pairs drawn from the true train labels."""
    X_train, X_test, y_train, y_test = data
    pairs, pair_labels = sample_pairs(y_train, n_pairs, random_state=0)
    n_similar = int(pair_labels.sum())
    similar, dissimilar = pairs_per_fold(pairs, pair_labels, seeds)
    yield Setting(
        name=f"{n_pairs:,} pairs",
        size=f"{n_similar:,} / {n_pairs - n_similar:,}",
        per_class=f"{n_similar:,} / {n_pairs - n_similar:,}",
        per_fold=f"{_range(similar)} / {_range(dissimilar)}",
        quality=held_out_quality(
            SiameseAutoencoderEmbedder,
            X_train,
            y_train,
            X_test,
            y_test,
            grid,
            epochs,
            pairs=pairs,
            pair_labels=pair_labels,
        ),
        search=lambda seed: search_pairs(
            X_train, pairs, pair_labels, grid, epochs, seed
        ),
        scorings=("auc",),
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
        "--pairs",
        type=int,
        help="search on this many pairs drawn from the true train labels, "
        "without any label (SiameseAutoencoderEmbedder, ConstraintKFold)",
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
    if args.pairs is not None and args.fractions:
        parser.error("--fractions hides labels, --pairs keeps none: pass one of them")
    if args.pairs is not None and args.pairs < 2 * N_SPLITS:
        parser.error(f"--pairs needs at least {2 * N_SPLITS}, got {args.pairs}")
    protocol = PROTOCOLS[args.dataset]
    grid = {
        "weight": args.weights or protocol.grid["weight"],
        "latent_dim": args.latent_dims or protocol.grid["latent_dim"],
    }
    data = protocol.load()
    command = " ".join(
        ["python -m benchmarks.selection", *(sys.argv[1:] if argv is None else argv)]
    )
    if args.pairs is None:
        settings = label_settings(
            data, args.fractions or protocol.fractions, grid, args.epochs, args.seeds
        )
        title, reading, output = "few labels", READING, protocol.output
        method = (
            f"`TripletVAEEmbedder` over {_grid_text(grid)}; "
            f"SemiSupervisedKFold({N_SPLITS}, random_state=CV seed) on the labels "
            "with -1."
        )
        columns = ("labels", "labelled rows", "labelled rows a class")
    else:
        settings = pair_settings(data, args.pairs, grid, args.epochs, args.seeds)
        title, reading = "pairs only", PAIRS_READING
        output = protocol.output.replace(".md", "_pairs.md")
        method = (
            f"{args.pairs:,} pairs drawn from the train rows' true labels "
            "(sample_pairs, seed 0), no label; `SiameseAutoencoderEmbedder` over "
            f"{_grid_text(grid)} as ConstraintEmbedder(rows=every train row); "
            f"ConstraintKFold({N_SPLITS}, random_state=CV seed) on the pairs, "
            "scored by the ROC AUC of the held-out pairs."
        )
        columns = ("pairs", "similar / dissimilar", "similar / dissimilar")
    start = time.perf_counter()
    lines = [
        f"# Model selection with {title}",
        "",
        f"Command: `{command}` (epochs {args.epochs}, CV seeds {args.seeds})",
        "",
        f"Machine: {machine()}",
        "",
        f"Date: {datetime.datetime.now().isoformat(timespec='seconds')}",
        "",
        f"{protocol.description}; {method} Spearman: rank correlation of the "
        "candidates' mean CV score with their test 5-NN accuracy; regret: the "
        "best candidate's test 5-NN minus the picked one's.",
        "",
        f"| {columns[0]} | {columns[1]} | scoring | CV seed | Spearman | regret | "
        "CV scores (min-max) |",
        "|---|---|---|---|---|---|---|",
    ]
    summary = [
        f"| {columns[0]} | {columns[2]} | in a validation fold | scoring | "
        "CV spread across seeds | Spearman (mean, min) | regret (mean, max) |",
        "|---|---|---|---|---|---|---|",
    ]
    candidates = []
    for setting in settings:
        per_seed = {name: [] for name in setting.scorings}
        for seed in args.seeds:
            for name, cv_scores in setting.search(seed).items():
                rho, regret = agreement(cv_scores, setting.quality)
                per_seed[name].append((cv_scores, rho, regret))
                values = np.array(list(cv_scores.values()), dtype=float)
                row = (
                    f"| {setting.name} | {setting.size} | {name} | "
                    f"{seed} | {rho:.2f} | {regret:.3f} | "
                    f"{np.nanmin(values):.3f}-{np.nanmax(values):.3f} |"
                )
                lines.append(row)
                print(row, flush=True)
        quality = setting.quality
        best = max(quality, key=quality.get)
        lines.append(
            f"| {setting.name} | | test 5-NN of the candidates | | | | "
            f"{min(quality.values()):.3f}-{max(quality.values()):.3f} "
            f"(best: weight {best[0]}, latent_dim {best[1]}) |"
        )
        for name, measured in per_seed.items():
            spread = spread_across_seeds([cv_scores for cv_scores, _, _ in measured])
            rhos = np.array([rho for _, rho, _ in measured])
            regrets = np.array([regret for _, _, regret in measured])
            summary.append(
                f"| {setting.name} | {setting.per_class} | {setting.per_fold} | "
                f"{name} | {spread:.3f} | {rhos.mean():.2f}, {rhos.min():.2f} | "
                f"{regrets.mean():.3f}, {regrets.max():.3f} |"
            )
        candidates += candidate_rows(setting.name, quality, per_seed)
    candidates_header = [
        "Each candidate: its test 5-NN (the truth) and its CV score per scoring, "
        "averaged over the CV seeds.",
        "",
        f"| {columns[0]} | candidate | test 5-NN | mean CV score per scoring |",
        "|---|---|---|---|",
    ]
    lines += ["", *summary, "", *candidates_header, *candidates, "", reading]
    lines += ["", f"Total time: {time.perf_counter() - start:.0f} s."]
    with open(args.output or output, "w", encoding="utf-8") as file:
        file.write("\n".join(lines) + "\n")
    return lines


if __name__ == "__main__":
    main()
