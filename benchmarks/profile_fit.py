"""Where a fit's time goes: wall seconds per part of the training step.

Fits one embedder on the benchmark's MNIST split (as ``dev_fit`` does) with
timers around the parts of a step, and prints a table: the neighbour table
(before training), batch plans and row reads, the encoder's and the
decoder's forward passes, the random views (image mode), the objective
(its mining shown apart), the rest of skorch's training step (moving the
batch, the reparameterisation, recording the loss parts), the backward
pass, the optimiser's update and the pseudo-label refreshes; "other" is
the rest of the fit (skorch's loop, callbacks, history)::

    python -m benchmarks.profile_fit '{}' 0.01 tvae
    python -m benchmarks.profile_fit '{"image_shape": [28, 28]}' 0.1 siamese
    python -m benchmarks.profile_fit '{}' 1 tvae --constraints 4000

(``--constraints``: as in ``dev_fit``, the constraints-only scenario's fit.)

The timers synchronise nothing, so on a GPU the forward figures only
count the launches; profile on the CPU, where each op runs as it is called.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import time
from collections import defaultdict

import torch

from sk_metricembed import _input_space
from sk_metricembed._training import (
    assemble,
    augment,
    batches,
    objective,
    pseudo_labels,
)
from sk_metricembed._training import autoencoder as autoencoder_module
from sk_metricembed._training.skorch_net import EmbeddingNet

from .dev_fit import ESTIMATORS, supervision
from .scenarios import mnist_split

#: (label, owner, attribute): the functions timed. A part's seconds exclude
#: the timed parts that run inside it (mining inside the objective, the
#: encoder inside a pseudo-label refresh), so the rows add up to the fit.
TIMED = [
    ("input space check", _input_space, "spreading_accuracy"),
    ("neighbour table", _input_space, "input_graph"),
    ("batch plans", batches.PlanSampler, "_plan"),
    ("row reads", batches.PlanDataset, "__getitem__"),
    ("encoder forward", autoencoder_module.AutoEncoder, "_hidden"),
    ("random views", augment.RandomAffine, "__call__"),
    ("objective", objective.Objective, "forward"),
    ("mining", objective, "mine_triplets"),
    ("mining", objective, "mine_pairs"),
    # skorch's step: the optimiser's step runs it as its closure, so the
    # step's own row is the update (and zeroing the gradients) alone.
    ("step glue", EmbeddingNet, "train_step_single"),
    ("backward", torch.Tensor, "backward"),
    ("optimiser step", torch.optim.Adam, "step"),
    ("pseudo-label refresh", pseudo_labels.PseudoLabeler, "on_epoch_end"),
]


@contextlib.contextmanager
def timers():
    """Patch the timed functions; yield ``{label: seconds}``, filled as they run."""
    seconds: dict[str, float] = defaultdict(float)
    # Seconds spent in timed parts called by each running timed part.
    inner_seconds: list[float] = []

    def timed(label, function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            inner_seconds.append(0.0)
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - start
                seconds[label] += elapsed - inner_seconds.pop()
                if inner_seconds:
                    inner_seconds[-1] += elapsed

        return wrapper

    def timed_decoder(build):
        @functools.wraps(build)
        def wrapper(config):
            module = build(config)
            module.decoder.forward = timed("decoder forward", module.decoder.forward)
            return module

        return wrapper

    originals = []
    for label, owner, name in TIMED:
        # None: inherited, so restoring removes the patch from the owner.
        originals.append((owner, name, vars(owner).get(name)))
        setattr(owner, name, timed(label, getattr(owner, name)))
    originals.append((assemble, "build_autoencoder", assemble.build_autoencoder))
    assemble.build_autoencoder = timed_decoder(assemble.build_autoencoder)
    try:
        yield seconds
    finally:
        for owner, name, original in reversed(originals):
            if original is None:
                delattr(owner, name)
            else:
                setattr(owner, name, original)


def profile(
    params: dict, label_fraction: float, estimator: str, constraints=None
) -> dict:
    """``{part: seconds}`` of one fit, with ``"fit"`` the whole."""
    split = mnist_split().with_labels(label_fraction)
    y, fit_params = supervision(split, estimator, constraints)
    embedder = ESTIMATORS[estimator](latent_dim=20, random_state=0, **params)
    with timers() as seconds:
        start = time.perf_counter()
        embedder.fit(split.X_train, y, **fit_params)
        total = time.perf_counter() - start
    seconds = dict(seconds)
    seconds["other"] = total - sum(seconds.values())
    seconds["fit"] = total
    return seconds


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile_fit")
    parser.add_argument("params", type=json.loads)
    parser.add_argument("label_fraction", type=float)
    parser.add_argument("estimator", choices=sorted(ESTIMATORS))
    parser.add_argument("--constraints", type=int, default=None)
    args = parser.parse_args(argv)
    seconds = profile(
        args.params, args.label_fraction, args.estimator, args.constraints
    )
    total = seconds["fit"]
    print(f"{args.estimator} {json.dumps(args.params)} {args.label_fraction:.0%}")
    print("| part | seconds | share |\n|---|---|---|")
    for part, value in sorted(seconds.items(), key=lambda item: -item[1]):
        if part != "fit":
            print(f"| {part} | {value:.1f} | {value / total:.0%} |")
    print(f"| whole fit | {total:.1f} | 100% |")
    return seconds


if __name__ == "__main__":
    main()
