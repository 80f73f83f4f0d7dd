"""One development fit on the benchmark's MNIST split, scored as the benchmark does.

The tables of ``docs/few_labels.md`` ("How the defaults were chosen") were
measured with it, one line per row::

    python -m benchmarks.dev_fit '{"pseudo_label_fraction": 0.8}' 0.01 tvae
    python -m benchmarks.dev_fit '{"variational": false}' 0.1 siamese

Arguments: the estimator's parameters as JSON (``latent_dim=20`` and
``random_state=0`` unless given), the fraction of training labels kept, and the
estimator (``tvae`` for :class:`~sk_metricembed.TripletVAEEmbedder`,
``siamese`` for :class:`~sk_metricembed.SiameseAutoencoderEmbedder`).
``--threads 1`` runs two fits side by side on 2 cores (the development
tables did); their seconds are then not the benchmark's. ``--constraints
N`` fits as the constraints-only scenario does: no labels, ``N`` pairs
(``siamese``) or triplets (``tvae``) drawn from the training labels with
seed 0 (the label fraction is then ignored)::

    python -m benchmarks.dev_fit '{"image_shape": [28, 28]}' 1 tvae --constraints 4000

``--warm-up`` first fits the same estimator for one pass and discards it,
so that the timed fit does not carry the process's one-off costs (on a
GPU, the CUDA context and its libraries' set-up)::

    python -m benchmarks.dev_fit '{"device": "cuda"}' 0.01 tvae --warm-up
"""

from __future__ import annotations

import argparse
import json
import time

import torch

from sk_metricembed import SiameseAutoencoderEmbedder, TripletVAEEmbedder

from .scenarios import draw_constraints, mnist_split

ESTIMATORS = {"tvae": TripletVAEEmbedder, "siamese": SiameseAutoencoderEmbedder}


def supervision(split, estimator: str, constraints: int | None):
    """``(y, fit_params)`` of a fit: the split's kept labels, or, with
    ``constraints``, no labels and that many pairs (``siamese``) or triplets
    (``tvae``) drawn as the constraints-only scenario draws them."""
    if not constraints:
        return split.y_train_semi, {}
    drawn = draw_constraints(split.y_train, constraints)
    names = ("pairs", "pair_labels") if estimator == "siamese" else ("triplets",)
    return None, {name: drawn[name] for name in names}


def dev_fit(
    params: dict,
    label_fraction: float,
    estimator: str = "tvae",
    constraints: int | None = None,
    warm_up: bool = False,
) -> str:
    """Fit on the MNIST split and return ``triplet / 5-NN (seconds)``."""
    split = mnist_split().with_labels(label_fraction)
    y, fit_params = supervision(split, estimator, constraints)
    if warm_up:
        ESTIMATORS[estimator](**{"latent_dim": 20, **params, "max_epochs": 1}).fit(
            split.X_train, y, **fit_params
        )
    embedder = ESTIMATORS[estimator](**{"latent_dim": 20, "random_state": 0, **params})
    start = time.perf_counter()
    embedder.fit(split.X_train, y, **fit_params)
    seconds = time.perf_counter() - start
    triplet, knn = split.score(
        embedder.transform(split.X_train), embedder.transform(split.X_test)
    )
    return f"{triplet:.3f} / {knn:.3f} ({seconds:.0f} s)"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.dev_fit")
    parser.add_argument("params", type=json.loads, help="estimator parameters, JSON")
    parser.add_argument("label_fraction", type=float)
    parser.add_argument("estimator", nargs="?", default="tvae", choices=ESTIMATORS)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--constraints", type=int, default=None)
    parser.add_argument("--warm-up", action="store_true")
    args = parser.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    result = dev_fit(
        args.params,
        args.label_fraction,
        args.estimator,
        args.constraints,
        warm_up=args.warm_up,
    )
    print(
        f"{args.estimator} {args.label_fraction} {json.dumps(args.params)} -> {result}"
    )


if __name__ == "__main__":
    main()
