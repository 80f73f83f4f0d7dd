"""Which losing cells lose by more than their test rows' own noise.

A cell of the general suite loses when an estimator's test triplet or 5-NN
accuracy falls below the best peer's (raw features, PCA, NCA,
semi-supervised UMAP). On the small sets one test row is 0.14 (digits) to
1.7 (iris) points of 5-NN accuracy, so a loss by a row or two says little
about what the same defaults would give on other rows of the same data.
For every cell the defaults lose, this fits the estimator and the peers
again and bootstraps the test rows (paired: the same resampled rows score
the estimator and the best peer) to give a 95% interval of the difference
on each metric. A loss whose interval lies wholly below zero is beyond the
test rows' noise; the others cannot be told from a tie on these rows::

    python -m benchmarks.paired
    python -m benchmarks.paired --datasets digits --image
    python -m benchmarks.paired --seeds 0,1 --resamples 4000

Arguments as ``benchmarks.general_dev``'s (``--cache`` holds the peers'
scores that choose the losing cells), ``--params`` (the estimators'
parameters as JSON, ``{}`` by default) and ``--resamples`` (bootstrap
draws, 2000 by default).

The triplet interval is that of the exact triplet accuracy: each test row
anchors every triplet its class allows among the test rows, and the
resampling draws anchors (the suite's figure draws 10,000 triplets, so its
point value can differ from the exact one by a few thousandths). The best
peer on each metric is the one with the highest score on all the test
rows, as the suite picks it; picking the best of four on the same rows
favours the peers, so the intervals lean toward a loss.
"""

from __future__ import annotations

import argparse
import json

import numpy as np
from scipy.spatial.distance import cdist
from sklearn.neighbors import KNeighborsClassifier

from . import general_dev

#: The bootstrap interval's two-sided level.
LEVEL = 0.95


def knn_hits(Z_train, y_train, Z_test, y_test) -> np.ndarray:
    """Whether each test row's 5 nearest train rows vote its class (0 or 1)."""
    knn = KNeighborsClassifier(5).fit(Z_train, y_train)
    return (knn.predict(Z_test) == y_test).astype(float)


def anchor_shares(Z_test, y_test) -> tuple[np.ndarray, np.ndarray]:
    """Each test row's share of satisfied triplets it anchors, and their count.

    A row ``a`` of class ``c`` anchors every ``(a, p, n)`` with ``p != a`` of
    class ``c`` and ``n`` of another class among the test rows; the share is
    that of ``d(a, p) < d(a, n)``. The count-weighted mean of the shares is
    the exact triplet accuracy.
    """
    distances = cdist(Z_test, Z_test)
    shares, counts = np.zeros(len(y_test)), np.zeros(len(y_test))
    for a, label in enumerate(y_test):
        same = y_test == label
        same[a] = False
        positive = distances[a, same]
        negative = np.sort(distances[a, y_test != label])
        # Negatives strictly farther than each positive.
        farther = len(negative) - np.searchsorted(negative, positive, side="right")
        counts[a] = len(positive) * len(negative)
        shares[a] = farther.sum() / counts[a] if counts[a] else 0.0
    return shares, counts


def row_scores(split, Z_train, Z_test) -> dict:
    """The per-row pieces of both metrics for one embedding of a split."""
    shares, counts = anchor_shares(Z_test, split.y_test)
    return {
        "knn": knn_hits(Z_train, split.y_train, Z_test, split.y_test),
        "shares": shares,
        "counts": counts,
    }


def difference_interval(ours: dict, peer: dict, draws: np.ndarray) -> dict:
    """Paired bootstrap of ours minus the peer on both metrics.

    ``draws`` is ``(n_resamples, n_test)`` test-row indices, the same for
    every system of a cell. Returns ``{metric: (difference, low, high)}``
    with the difference on all the test rows.
    """

    def triplet(scores, rows):
        counts = scores["counts"][rows]
        return np.sum(scores["shares"][rows] * counts, axis=-1) / np.sum(
            counts, axis=-1
        )

    def knn(scores, rows):
        return scores["knn"][rows].mean(axis=-1)

    every_row = np.arange(draws.shape[1])
    tail = 100 * (1 - LEVEL) / 2
    result = {}
    for metric, score in (("triplet", triplet), ("5-NN", knn)):
        sampled = score(ours, draws) - score(peer, draws)
        low, high = np.percentile(sampled, [tail, 100 - tail])
        result[metric] = (
            float(score(ours, every_row) - score(peer, every_row)),
            float(low),
            float(high),
        )
    return result


def peer_rows(split) -> dict:
    """``{peer: (suite scores, row scores)}`` of the general suite's peers."""
    return {
        name: (split.score(Z_train, Z_test), row_scores(split, Z_train, Z_test))
        for name, Z_train, Z_test in general_dev.peer_embeddings(split)
    }


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.paired")
    general_dev.add_cell_arguments(parser)
    parser.add_argument("--params", type=json.loads, default={})
    parser.add_argument("--resamples", type=int, default=2000)
    args = parser.parse_args(argv)
    lost, beyond, n_cells = 0, {"triplet": 0, "5-NN": 0, "either": 0}, 0
    for name, seed, split, _ in general_dev.cells(args):
        draws = np.random.default_rng(0).integers(
            len(split.y_test), size=(args.resamples, len(split.y_test))
        )
        peer_table = None
        for estimator in args.estimators.split(","):
            n_cells += 1
            Z_train, Z_test, _ = general_dev.fit_embedder(
                estimator, args.params, split, args.image
            )
            ours = split.score(Z_train, Z_test)
            if peer_table is None:
                peer_table = peer_rows(split)
            best = {
                metric: max(peer_table, key=lambda p: peer_table[p][0][i])
                for i, metric in enumerate(("triplet", "5-NN"))
            }
            losing = {
                metric: ours[i] < peer_table[best[metric]][0][i]
                for i, metric in enumerate(("triplet", "5-NN"))
            }
            if not any(losing.values()):
                continue
            lost += 1
            ours_rows = row_scores(split, Z_train, Z_test)
            line = f"{name} seed {seed} {split.label_fraction:.0%} {estimator}:"
            outside = False
            for i, metric in enumerate(("triplet", "5-NN")):
                peer = best[metric]
                difference, low, high = difference_interval(
                    ours_rows, peer_table[peer][1], draws
                )[metric]
                mark = ""
                if losing[metric]:
                    mark = " beyond noise" if high < 0 else " within noise"
                    if high < 0:
                        beyond[metric] += 1
                        outside = True
                line += (
                    f" {metric} {ours[i]:.3f} vs {peer} {peer_table[peer][0][i]:.3f},"
                    f" exact difference {difference:+.3f}"
                    f" [{low:+.3f}, {high:+.3f}]{mark};"
                )
            beyond["either"] += outside
            print(line, flush=True)
    summary = {
        "cells": n_cells,
        "lost": lost,
        **{f"beyond {k}": v for k, v in beyond.items()},
    }
    print(
        f"{json.dumps(args.params)}: {lost} of {n_cells} cells lose; "
        f"{beyond['either']} of them beyond the test rows' noise "
        f"({beyond['triplet']} on triplet accuracy, {beyond['5-NN']} on 5-NN "
        f"accuracy; {LEVEL:.0%} paired bootstrap, {args.resamples} draws)",
        flush=True,
    )
    return summary


if __name__ == "__main__":
    main()
