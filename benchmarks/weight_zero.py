"""The weight-0 end: a plain VAE (and AE) against PCA at the same dimension.

``weight=0`` trains the autoencoder alone, so its embedding should keep the
data's neighbourhoods at least as well as PCA with as many components. This
prints, per data set of the general suite, the test 5-NN accuracy
(neighbours from the train embedding, true train labels) of raw features,
PCA, the default VAE, the VAE under a fixed observation variance of 1/2
without KL warm-up (the likelihood the package used before), and a
deterministic autoencoder, averaged over the 60/40 splits of ``--seeds``::

    python -m benchmarks.weight_zero --datasets digits,wine,breast_cancer --seeds 0,1,2
    python -m benchmarks.weight_zero --datasets mnist --seeds 0

Both embedders are the same model at ``weight=0`` (no metric term), so one
is fitted.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from sklearn.decomposition import PCA
from sklearn.neighbors import KNeighborsClassifier

from sk_metricembed import TripletVAEEmbedder

from . import scenarios

#: name -> the parameters of a weight-0 embedder besides the defaults.
VARIANTS = {
    "vae": {},
    "vae_var_half": {"observation_variance": 0.5, "kl_warmup": 0.0},
    "ae": {"variational": False},
}


def knn_score(Z_train, Z_test, split) -> float:
    """Test 5-NN accuracy with the train embedding's true labels."""
    knn = KNeighborsClassifier(5).fit(Z_train, split.y_train)
    return float(knn.score(Z_test, split.y_test))


def measure(name: str, seed: int) -> dict[str, float]:
    """``{system: test 5-NN}`` on one split of one data set."""
    split = scenarios.general_split(name, seed)
    # PCA cannot have more components than features (iris has 4).
    n_components = min(split.latent_dim, split.X_train.shape[1])
    pca = PCA(n_components, random_state=0).fit(split.X_train)
    scores = {
        "raw": knn_score(split.X_train, split.X_test, split),
        "pca": knn_score(
            pca.transform(split.X_train), pca.transform(split.X_test), split
        ),
    }
    for variant, params in VARIANTS.items():
        embedder = TripletVAEEmbedder(
            weight=0.0, latent_dim=split.latent_dim, random_state=seed, **params
        ).fit(split.X_train)
        scores[variant] = knn_score(
            embedder.transform(split.X_train), embedder.transform(split.X_test), split
        )
    return scores


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.weight_zero")
    parser.add_argument("--datasets", default="digits,mnist")
    parser.add_argument("--seeds", default="0,1,2")
    args = parser.parse_args(argv)
    systems = ["raw", "pca", *VARIANTS]
    print(f"| data set (latent_dim, splits) | {' | '.join(systems)} |")
    print("|---" * (len(systems) + 1) + "|")
    for name in args.datasets.split(","):
        start = time.perf_counter()
        seeds = [int(seed) for seed in args.seeds.split(",")]
        runs = [measure(name, seed) for seed in seeds]
        means = [np.mean([run[system] for run in runs]) for system in systems]
        latent_dim = scenarios.GENERAL_DATASETS[name][2]
        print(
            f"| {name} ({latent_dim}, {len(seeds)}) | "
            + " | ".join(f"{mean:.3f}" for mean in means)
            + f" |  <!-- {time.perf_counter() - start:.0f} s -->",
            flush=True,
        )


if __name__ == "__main__":
    main()
