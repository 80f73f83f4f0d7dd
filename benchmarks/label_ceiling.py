"""How far every training label takes an embedding of the cell's dimension.

A cell of the general suite asks an embedding of ``latent_dim``
dimensions, fitted with a fraction of the training labels, to match the
best of the raw features, PCA, NCA and semi-supervised UMAP. Where even
embeddings of that dimension fitted with *every* training label fall
below the best peer, no better use of the cell's fewer labels can be
expected to win it: the target is out of reach at that dimension, and the
raw features or PCA are the better embedding of that table. This fits
such label ceilings once per data set and split: NCA and supervised UMAP
with every label, linear discriminant analysis (at most one dimension
fewer than the classes), and both estimators of the package with every
label, and prints, for each label fraction, the best peer (from
``benchmarks.general_dev``'s cache) next to the best ceiling on each
metric::

    python -m benchmarks.label_ceiling --cache benchmarks/_cache
    python -m benchmarks.label_ceiling --datasets csv:sonar.csv,csv:cox2.csv

Arguments as ``benchmarks.general_dev``'s; ``--fractions`` chooses the
fractions whose best peers are compared (the ceilings use every label),
``--estimators`` the package's estimators among the ceilings (fitted on
flattened rows; ``--image`` is not read).
The last line counts the (fraction, metric) pairs whose best peer no
ceiling reaches.
"""

from __future__ import annotations

import argparse
from collections import defaultdict

from sklearn.discriminant_analysis import LinearDiscriminantAnalysis

from . import general_dev, peers


def lda(X_train, y_train, X_test, *, latent_dim):
    """Linear discriminant analysis with every label, at most ``latent_dim`` wide."""
    n_classes = len(set(y_train.tolist()))
    n_components = max(1, min(latent_dim, n_classes - 1, X_train.shape[1]))
    model = LinearDiscriminantAnalysis(n_components=n_components).fit(X_train, y_train)
    return model.transform(X_train), model.transform(X_test)


def ceilings(split, estimators) -> dict:
    """``{system: (triplet, 5-NN)}`` of embeddings fitted with every label.

    ``split`` must hold every training label; ``estimators`` are the
    package's estimators to fit on it (``general_dev.ESTIMATORS``' names,
    on flattened rows); the supervised UMAP ceiling is left out where
    umap-learn is not importable.
    """
    systems = {
        "nca (every label)": peers.nca,
        "lda (every label)": lda,
    }
    if peers.unavailable("umap") is None:
        systems["umap (every label)"] = peers.umap_semi
    scores = {}
    for name, function in systems.items():
        Z_train, Z_test = function(
            split.X_train, split.y_train_semi, split.X_test, latent_dim=split.latent_dim
        )
        scores[name] = split.score(peers.as_float(Z_train), peers.as_float(Z_test))
    for estimator in estimators:
        scores[f"{estimator} (every label)"], _ = general_dev.fit_and_score(
            estimator, {}, split, image=False
        )
    return scores


def out_of_reach(best_peer, ceiling_scores: dict) -> list[bool]:
    """Per metric (triplet, 5-NN): whether every ceiling falls below the best peer."""
    return [
        all(scores[i] < best_peer[i] for scores in ceiling_scores.values())
        for i in (0, 1)
    ]


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.label_ceiling")
    general_dev.add_cell_arguments(parser)
    args = parser.parse_args(argv)
    by_split, splits = defaultdict(list), {}
    for name, seed, split, best in general_dev.cells(args):
        by_split[name, seed].append((split.label_fraction, best))
        splits.setdefault((name, seed), split)
    counts = {"triplet": 0, "5-NN": 0, "pairs": 0}
    for (name, seed), fractions in by_split.items():
        # Any fraction's split holds the true labels: no second read.
        full = splits[name, seed].with_labels(1.0)
        scores = ceilings(full, args.estimators.split(","))
        top = [max(s[i] for s in scores.values()) for i in (0, 1)]
        print(
            f"{name} seed {seed}: ceilings "
            + "; ".join(f"{k} {v[0]:.3f} / {v[1]:.3f}" for k, v in scores.items())
            + f" | best {top[0]:.3f} / {top[1]:.3f}",
            flush=True,
        )
        for fraction, best in fractions:
            reach = out_of_reach(best, scores)
            counts["pairs"] += 2
            counts["triplet"] += reach[0]
            counts["5-NN"] += reach[1]
            marks = ["out of reach" if r else "within reach" for r in reach]
            print(
                f"  {fraction:.0%}: best peer {best[0]:.3f} / {best[1]:.3f}: "
                f"triplet {marks[0]}, 5-NN {marks[1]}",
                flush=True,
            )
    print(
        f"{counts['triplet'] + counts['5-NN']} of {counts['pairs']} (fraction, metric) "
        f"pairs have a best peer that no embedding fitted with every label reaches "
        f"({counts['triplet']} triplet, {counts['5-NN']} 5-NN)",
        flush=True,
    )
    return counts


if __name__ == "__main__":
    main()
