"""Peak memory of transform, inverse_transform and fit on a memory-mapped X.

Run from the repository root::

    python benchmarks/bench_memory.py [--n-samples 300000] [--n-features 32]
        [--fit-epochs 0]

A float32 ``.npy`` file of random rows is written to a temporary folder and
opened with ``np.load(..., mmap_mode="r")``; an embedder fitted on its first
2,000 rows then transforms all of it. Two peaks are printed per call, each
as growth over the memory in use just before the call:

- *numpy peak*: the largest total of live numpy buffers (``tracemalloc``,
  numpy's domain only), i.e. the arrays the call allocated;
- *anonymous RSS peak*: ``RssAnon`` of ``/proc/self/status`` sampled every
  millisecond, i.e. all private memory, torch's included, but not the pages
  of the mapped file, which the kernel may drop at any time.

``fit`` is measured over its first ``--fit-steps`` training steps (the
memory a step needs does not grow with the epoch), and over whole epochs
with ``--fit-epochs N`` (slow: minutes per epoch on two cores).
"""

from __future__ import annotations

import argparse
import platform
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path

import numpy as np
import torch


def anonymous_rss() -> int:
    """Private resident memory of this process in bytes (Linux ``RssAnon``)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("RssAnon:"):
                return int(line.split()[1]) * 1024
    raise OSError("/proc/self/status has no RssAnon line (not Linux?)")


def peak_memory(function):
    """Run ``function()``; return ``(result, traced_peak, rss_peak, seconds)``.

    Both peaks are bytes above the level just before the call. The traced
    peak counts every allocation Python's ``tracemalloc`` sees: numpy's
    buffers and Python objects (warm up first, so that lazy imports are not
    counted); torch's own CPU allocator is only in the RSS peak.
    """
    baseline_rss = anonymous_rss()
    highest_rss = [baseline_rss]
    done = threading.Event()

    def watch():
        while not done.is_set():
            highest_rss[0] = max(highest_rss[0], anonymous_rss())
            time.sleep(0.001)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    tracemalloc.start()
    try:
        baseline_traced = tracemalloc.get_traced_memory()[0]
        start = time.perf_counter()
        result = function()
        seconds = time.perf_counter() - start
        traced_peak = tracemalloc.get_traced_memory()[1] - baseline_traced
    finally:
        tracemalloc.stop()
        done.set()
        watcher.join()
    return result, traced_peak, highest_rss[0] - baseline_rss, seconds


def write_memmap(path: Path, n_samples: int, n_features: int) -> np.memmap:
    """Random float32 rows in ``path`` (``.npy``), opened read-only as a memmap."""
    stored = np.lib.format.open_memmap(
        path, mode="w+", dtype=np.float32, shape=(n_samples, n_features)
    )
    rng = np.random.default_rng(0)
    for start in range(0, n_samples, 50_000):
        stop = min(start + 50_000, n_samples)
        stored[start:stop] = rng.random((stop - start, n_features), np.float32)
    stored.flush()
    del stored
    return np.load(path, mmap_mode="r")


class StopAfter:
    """skorch callback: Ctrl-C after ``n_steps`` training steps (skorch stops)."""

    def __new__(cls, n_steps: int):
        from skorch.callbacks import Callback

        class _StopAfter(Callback):
            def initialize(self):
                self.steps_ = 0
                return self

            def on_batch_end(self, net, **kwargs):
                self.steps_ += 1
                if self.steps_ >= n_steps:
                    raise KeyboardInterrupt

        return _StopAfter()


def _row(what: str, reference: int, traced: int, rss: int, seconds: float) -> str:
    return (
        f"| {what} | {reference / 1e6:.1f} | {traced / 1e6:.1f} | "
        f"{rss / 1e6:.1f} | {seconds:.2f} |"
    )


def main(argv=None) -> None:
    from sk_metricembed import TripletVAEEmbedder

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-samples", type=int, default=300_000)
    parser.add_argument("--n-features", type=int, default=32)
    parser.add_argument("--fit-steps", type=int, default=20)
    parser.add_argument("--fit-epochs", type=int, default=0)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as folder:
        X = write_memmap(Path(folder) / "X.npy", args.n_samples, args.n_features)
        y = np.full(args.n_samples, -1)
        y[::100] = np.arange(len(y[::100])) % 10  # 1% labelled, 10 classes
        print(
            f"X: np.memmap {X.shape} float32, {X.nbytes / 1e6:.1f} MB; "
            f"torch {torch.__version__}, {torch.get_num_threads()} threads, "
            f"{platform.processor() or platform.machine()}"
        )
        print("| call | input or output MB | traced peak MB | RssAnon peak MB | s |")
        print("|---|---|---|---|---|")
        embedder = TripletVAEEmbedder(max_epochs=1, random_state=0)
        embedder.fit(np.asarray(X[:2000]), y[:2000])
        embedder.transform(X[:5000])  # warm-up: lazy imports, allocator pools
        Z, traced, rss, seconds = peak_memory(lambda: embedder.transform(X))
        print(_row("transform(X)", X.nbytes, traced, rss, seconds))
        _, traced, rss, seconds = peak_memory(lambda: embedder.inverse_transform(Z))
        print(_row("inverse_transform(Z) (output)", X.nbytes, traced, rss, seconds))
        for neighbor_weight in (0.0, 1.0):
            steps = TripletVAEEmbedder(
                max_epochs=1,
                random_state=0,
                neighbor_weight=neighbor_weight,
                callbacks=[StopAfter(args.fit_steps)],
            )
            steps.fit(X[:3000], y[:3000])  # warm-up
            _, traced, rss, seconds = peak_memory(lambda net=steps: net.fit(X, y))
            print(
                _row(
                    f"fit(X, y), neighbor_weight={neighbor_weight}, "
                    f"{args.fit_steps} steps",
                    X.nbytes,
                    traced,
                    rss,
                    seconds,
                )
            )
        if args.fit_epochs:
            full = TripletVAEEmbedder(
                max_epochs=args.fit_epochs, random_state=0, neighbor_weight=0.0
            )
            _, traced, rss, seconds = peak_memory(lambda: full.fit(X, y))
            per_epoch = np.mean(full.history_[:, "dur"])
            print(
                _row(
                    f"fit(X, y), {args.fit_epochs} epochs",
                    X.nbytes,
                    traced,
                    rss,
                    seconds,
                )
            )
            print(f"seconds per epoch: {per_epoch:.1f}")


if __name__ == "__main__":
    main()
