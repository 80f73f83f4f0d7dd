"""Development runs of the general suite: one parameter set against the best peer.

Fits both estimators with the given parameters on the small sets of the
general suite (or any of its data sets) at every label fraction, and prints
each cell next to the best of raw features, PCA, NCA and semi-supervised
UMAP, then one summary line: the cells that lose and the mean margin to the
best peer on each metric. ``docs/few_labels.md`` ("How the defaults adapt
to the data") quotes these summaries::

    python -m benchmarks.general_dev '{}' --seeds 0,1
    python -m benchmarks.general_dev '{"hidden_layer_sizes": [1024, 512]}'
    python -m benchmarks.general_dev '{}' --datasets digits --image

Arguments: the estimators' parameters as JSON (``latent_dim`` is the
suite's; ``random_state`` is 0 unless given, and another seed of the
estimator shows how far a change's effect stands above the training's own
randomness), ``--seeds`` the seeds of the 60/40 splits
(0 is the suite's; others check that a default is not fitted to that split),
``--image`` passes each image set's ``image_shape``, ``--fractions`` keeps
some label fractions only (``0.01,0.1,1``). ``--datasets`` takes the
general suite's and the MNIST variations' names, and ``idx:FOLDER`` for a
held-out set of 28x28 images in MNIST's IDX files that the project does
not ship (``scenarios.IDX_PREFIX``), and ``csv:FILE`` for a held-out table
in a CSV file, the class in its last column (``scenarios.CSV_PREFIX``;
``benchmarks/heldout_tables.R`` writes the held-out tables of
``RESULTS.md`` so).
Peer scores are cached in
``--cache`` (a folder) between runs.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

import numpy as np

from sk_metricembed import SiameseAutoencoderEmbedder, TripletVAEEmbedder

from . import peers, scenarios

ESTIMATORS = {"tvae": TripletVAEEmbedder, "siamese": SiameseAutoencoderEmbedder}
SMALL_SETS = ("digits", "wine", "breast_cancer", "iris")


def peer_embeddings(split):
    """Yield ``(peer, Z_train, Z_test)`` for each of the general suite's peers
    that can embed this cell (as float64)."""
    for name in peers.GENERAL_PEERS:
        function, requirement = peers.LABEL_SYSTEMS[name]
        if peers.unavailable(requirement):
            continue
        try:
            Z_train, Z_test = function(
                split.X_train,
                split.y_train_semi,
                split.X_test,
                latent_dim=split.latent_dim,
            )
        except ValueError:  # NCA with fewer labelled rows than classes
            continue
        yield name, peers.as_float(Z_train), peers.as_float(Z_test)


def peer_scores(split, seed: int, cache: Path | None) -> dict:
    """``{peer: (triplet, 5-NN)}`` for one cell, read from the cache if there."""
    stem = re.sub(r"\W+", "_", split.dataset).strip("_")  # idx:FOLDER too
    path = cache / f"{stem}_{seed}.json" if cache else None
    stored = json.loads(path.read_text()) if path and path.exists() else {}
    key = str(split.label_fraction)
    if key not in stored:
        stored[key] = {
            name: split.score(Z_train, Z_test)
            for name, Z_train, Z_test in peer_embeddings(split)
        }
        if path:
            path.write_text(json.dumps(stored))
    return stored[key]


def fit_embedder(
    estimator: str, params: dict, split, image: bool
) -> tuple[np.ndarray, np.ndarray, float]:
    """Fit one estimator on a cell: its train and test codes and fit seconds.

    ``random_state`` is 0 unless ``params`` gives it; with ``image`` an image
    set's ``image_shape`` is passed unless ``params`` gives one.
    """
    params = {"random_state": 0, **params}
    if image and split.image_shape:
        params.setdefault("image_shape", split.image_shape)
    embedder = ESTIMATORS[estimator](latent_dim=split.latent_dim, **params)
    start = time.perf_counter()
    embedder.fit(split.X_train, split.y_train_semi)
    seconds = time.perf_counter() - start
    return embedder.transform(split.X_train), embedder.transform(split.X_test), seconds


def fit_and_score(
    estimator: str, params: dict, split, image: bool
) -> tuple[tuple[float, float], float]:
    """Fit one estimator on a cell (:func:`fit_embedder`): its (triplet, 5-NN)
    scores and fit seconds."""
    Z_train, Z_test, seconds = fit_embedder(estimator, params, split, image)
    return split.score(Z_train, Z_test), seconds


def add_cell_arguments(parser: argparse.ArgumentParser) -> None:
    """The options that choose the cells: data sets, estimators, splits,
    label fractions, image mode and the peers' cache."""
    parser.add_argument("--datasets", default=",".join(SMALL_SETS))
    parser.add_argument("--estimators", default="tvae,siamese")
    parser.add_argument("--seeds", default="0")
    parser.add_argument(
        "--fractions",
        default=",".join(map(str, scenarios.GENERAL_LABEL_FRACTIONS)),
        help="label fractions, comma-separated (default: the suite's)",
    )
    parser.add_argument("--image", action="store_true")
    parser.add_argument("--cache", type=Path, default=None)


def cells(args):
    """Yield ``(name, seed, split, best)`` for every cell the options choose.

    ``best`` is the best peer's (triplet, 5-NN); a fraction is skipped
    where a class would keep no label.
    """
    if args.cache:
        args.cache.mkdir(parents=True, exist_ok=True)
    for name in args.datasets.split(","):
        for seed in map(int, args.seeds.split(",")):
            base = scenarios.general_split(name, seed)
            for fraction in map(float, args.fractions.split(",")):
                if not scenarios.every_class_keeps_a_label(base.y_train, fraction):
                    continue
                split = base.with_labels(fraction)
                scores = peer_scores(split, seed, args.cache).values()
                best = [max(score[i] for score in scores) for i in (0, 1)]
                yield name, seed, split, best


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.general_dev")
    parser.add_argument("params", type=json.loads, help="estimator parameters, JSON")
    add_cell_arguments(parser)
    args = parser.parse_args(argv)
    margins, lost, n_cells, seconds = {"triplet": [], "5-NN": []}, 0, 0, 0.0
    for name, seed, split, best in cells(args):
        line = f"{name} seed {seed} {split.label_fraction:.0%}: best peer "
        line += f"{best[0]:.3f} / {best[1]:.3f} |"
        for estimator in args.estimators.split(","):
            ours, took = fit_and_score(estimator, args.params, split, args.image)
            seconds += took
            marks = ["✗" if o < b else "" for o, b in zip(ours, best)]
            margins["triplet"].append(ours[0] - best[0])
            margins["5-NN"].append(ours[1] - best[1])
            lost += any(marks)
            n_cells += 1
            line += f" {estimator} {ours[0]:.3f}{marks[0]} / "
            line += f"{ours[1]:.3f}{marks[1]} |"
        print(line, flush=True)
    summary = {
        "lost": lost,
        "cells": n_cells,
        **{f"mean {k}": float(np.mean(v)) for k, v in margins.items()},
        **{f"min {k}": float(np.min(v)) for k, v in margins.items()},
        "fit seconds": seconds,
    }
    print(
        f"{json.dumps(args.params)}: {lost} of {n_cells} cells lose; margin to the "
        f"best peer: triplet mean {summary['mean triplet']:+.4f} "
        f"(min {summary['min triplet']:+.3f}), 5-NN mean "
        f"{summary['mean 5-NN']:+.4f} (min {summary['min 5-NN']:+.3f}); "
        f"fits {seconds:.0f} s",
        flush=True,
    )
    return summary


if __name__ == "__main__":
    main()
