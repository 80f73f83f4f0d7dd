"""Images per second of HOGTransformer against a per-image skimage loop.

Run from the repository root::

    python benchmarks/bench_hog.py [--n-images 10000] [--repeats 3]

The images are the MNIST test set from ``../shared/data/mnist10k`` relative to
the repository root when it is there, random 28x28 images otherwise; nothing
is downloaded. Both sides compute ``hog`` with skimage's defaults on one core
(``n_jobs=1``); the best of ``--repeats`` runs is reported, as a markdown
table row, after checking that both give the same features.
"""

from __future__ import annotations

import argparse
import gzip
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
from skimage.feature import hog

REPO_ROOT = Path(__file__).resolve().parents[1]
MNIST_IMAGES = (
    REPO_ROOT / ".." / "shared" / "data" / "mnist10k" / "t10k-images-idx3-ubyte.gz"
)
IDX_IMAGES_MAGIC = 2051


def load_images(n_images: int) -> tuple[np.ndarray, str]:
    """``(n_images, 28, 28)`` uint8 images and the name of their source."""
    if MNIST_IMAGES.exists():
        with gzip.open(MNIST_IMAGES) as stream:
            magic, count, rows, cols = np.frombuffer(stream.read(16), dtype=">u4")
            if magic != IDX_IMAGES_MAGIC:
                raise ValueError(f"{MNIST_IMAGES} is not an IDX image file.")
            n_images = min(n_images, int(count))
            pixels = stream.read(n_images * int(rows) * int(cols))
        images = np.frombuffer(pixels, dtype=np.uint8)
        return images.reshape(n_images, int(rows), int(cols)), "MNIST t10k"
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(n_images, 28, 28), dtype=np.uint8)
    return images, "random 28x28"


def best_seconds(run, repeats: int) -> float:
    """Shortest wall time of ``repeats`` calls of ``run``."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-images", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    # Runs from a checkout without installing the package.
    sys.path.insert(0, str(REPO_ROOT))
    from sk_metricembed.hog import HOGTransformer

    images, source = load_images(args.n_images)
    rows = images.reshape(len(images), -1)
    transformer = HOGTransformer(n_jobs=1).fit(rows)

    def skimage_loop() -> np.ndarray:
        return np.stack([hog(image) for image in images])

    batched = transformer.transform(rows)
    looped = skimage_loop()
    max_difference = float(np.abs(batched - looped).max())
    if max_difference > 1e-5:
        raise AssertionError(f"features differ from skimage by {max_difference}")

    loop_rate = len(images) / best_seconds(skimage_loop, args.repeats)
    batched_rate = len(images) / best_seconds(
        lambda: transformer.transform(rows), args.repeats
    )
    print(
        "| images | n | skimage loop (img/s) | HOGTransformer n_jobs=1 (img/s) "
        "| speed-up | max abs diff | CPU |"
    )
    print("|---|---|---|---|---|---|---|")
    print(
        f"| {source} | {len(images)} | {loop_rate:,.0f} | {batched_rate:,.0f} "
        f"| {batched_rate / loop_rate:.1f}x | {max_difference:.1e} "
        f"| {platform.processor() or platform.machine()}, {os.cpu_count()} cores |"
    )


if __name__ == "__main__":
    main()
