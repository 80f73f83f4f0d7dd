"""Large data on one machine: a 100,000-row fit against the 6,000-row fit.

The benchmark's 6,000 MNIST training rows are tiled into ``--rows`` rows,
each copy shifted by up to two pixels in each direction (zeros filled in),
and written to a float32 memmap; ``--label-fraction`` of them keep their
label. ``TripletVAEEmbedder`` with its defaults (``latent_dim=20``) is
fitted on the memmap in a child process, which reports its wall time and
its peak resident memory (``ru_maxrss``, mapped pages of the file
included), and then on the 6,000 rows themselves with the same fraction of
labels. Both embeddings are scored on the 4,000 held-out MNIST rows: test
triplet accuracy, and test 5-NN accuracy with the 6,000 original training
rows (true labels) as neighbours::

    python -m benchmarks.large --rows 100000

The memmap is written to ``--workdir`` (a temporary folder by default) and
removed afterwards.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from sk_metricembed import TripletVAEEmbedder
from sk_metricembed.datasets import hide_labels

from . import scenarios

SIDE = 28
MAX_SHIFT = 2
CHUNK = 8192


def shifted_copies(images: np.ndarray, shifts: np.ndarray) -> np.ndarray:
    """``images`` (n, 28 * 28) moved by ``shifts`` (n, 2) pixels, zeros filled."""
    square = images.reshape(-1, SIDE, SIDE)
    out = np.zeros_like(square)
    for dy in range(-MAX_SHIFT, MAX_SHIFT + 1):
        for dx in range(-MAX_SHIFT, MAX_SHIFT + 1):
            rows = np.flatnonzero((shifts[:, 0] == dy) & (shifts[:, 1] == dx))
            if rows.size == 0:
                continue
            source = square[rows][
                :,
                max(0, -dy) : SIDE - max(0, dy),
                max(0, -dx) : SIDE - max(0, dx),
            ]
            out[
                rows[:, None, None],
                np.arange(max(0, dy), SIDE + min(0, dy))[None, :, None],
                np.arange(max(0, dx), SIDE + min(0, dx))[None, None, :],
            ] = source
    return out.reshape(len(images), -1)


def write_tiled(split, n_rows: int, path: Path, seed: int = 0) -> np.ndarray:
    """Write ``n_rows`` shifted training rows to ``path``; return their labels."""
    rng = np.random.default_rng(seed)
    source = rng.integers(0, len(split.X_train), n_rows)
    # The first copies are the rows themselves, unshifted.
    source[: len(split.X_train)] = np.arange(min(n_rows, len(split.X_train)))
    X = np.lib.format.open_memmap(
        path, mode="w+", dtype=np.float32, shape=(n_rows, SIDE * SIDE)
    )
    for start in range(0, n_rows, CHUNK):
        rows = source[start : start + CHUNK]
        shifts = rng.integers(-MAX_SHIFT, MAX_SHIFT + 1, (len(rows), 2))
        if start == 0:
            shifts[: len(split.X_train)] = 0
        X[start : start + len(rows)] = shifted_copies(split.X_train[rows], shifts)
    X.flush()
    del X
    return split.y_train[source]


def fit_and_score(X, y_semi, split) -> dict:
    """Fit the default embedder on ``X``; its time and held-out scores."""
    embedder = TripletVAEEmbedder(latent_dim=split.latent_dim, random_state=0)
    start = time.perf_counter()
    embedder.fit(X, y_semi)
    seconds = time.perf_counter() - start
    triplet, knn = split.score(
        embedder.transform(split.X_train), embedder.transform(split.X_test)
    )
    return {
        "rows": int(X.shape[0]),
        "labelled rows": int((y_semi >= 0).sum()),
        "epochs": int(embedder.net_.max_epochs),
        "fit seconds": round(seconds, 1),
        "seconds per epoch": round(seconds / embedder.net_.max_epochs, 2),
        "test triplet": round(triplet, 4),
        "test 5-NN": round(knn, 4),
    }


def child(path: Path, labels: Path) -> None:
    """Fit on the memmap at ``path`` and print the figures as JSON."""
    X = np.load(path, mmap_mode="r")
    figures = fit_and_score(X, np.load(labels), scenarios.mnist_split())
    # ru_maxrss is in KiB on Linux.
    figures["peak RSS MB"] = round(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
    )
    print(json.dumps(figures), flush=True)


def main(argv=None) -> list[dict]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.large")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--label-fraction", type=float, default=0.01)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child)
        return []
    split = scenarios.mnist_split()
    with tempfile.TemporaryDirectory(dir=args.workdir) as folder:
        path, labels = Path(folder) / "rows.npy", Path(folder) / "labels.npy"
        start = time.perf_counter()
        y = write_tiled(split, args.rows, path)
        y_semi = hide_labels(
            y, args.label_fraction, random_state=np.random.default_rng(0)
        )
        np.save(labels, y_semi)
        print(f"wrote {args.rows:,} rows in {time.perf_counter() - start:.1f} s")
        command = [sys.executable, "-m", "benchmarks.large", "--child"]
        out = subprocess.run(
            [*command, str(path), str(labels)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        large = json.loads(out.strip().splitlines()[-1])
    print(json.dumps(large), flush=True)
    small = fit_and_score(
        split.X_train,
        hide_labels(
            split.y_train, args.label_fraction, random_state=np.random.default_rng(0)
        ),
        split,
    )
    print(json.dumps(small), flush=True)
    keys = list(large)
    print("\n| " + " | ".join(keys) + " |")
    print("|" + "---|" * len(keys))
    for figures in (large, small):
        print("| " + " | ".join(str(figures.get(k, "")) for k in keys) + " |")
    return [large, small]


if __name__ == "__main__":
    main()
