"""The sources' headline experiments, rerun with the package.

Each experiment fits the package's estimators with the settings its source
describes, on the data this project has (the MNIST 10k set split 6,000 /
4,000, stratified, seed 0), and prints a markdown table beside the source's
own figures; figures go to ``--out``. ``docs/reproductions.md`` shows the
output of::

    python -m benchmarks.reproductions --out docs/_static/reproductions

- ``tvae``: Ishfaq, Hoogi & Rubin, Table 1 (VAE vs TVAE triplet accuracy at
  latent 20) and Figure 2 (t-SNE of the test means);
- ``arkwave``: arkwave's weight sweep, pairwise and triplet, AE and VAE,
  M in {0, .25, .5, .75, 1};
- ``friends``: "Siamese networks and friends", the four networks in 2-D;
- ``hoffer``: Hoffer & Ailon's semi-supervised contrasting with 100 labels.

``--quick`` runs every experiment on 1,500 / 1,000 rows for two epochs: a
smoke test of the script, not a result.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from sklearn.neighbors import KNeighborsClassifier

from sk_metricembed import (
    SiameseAutoencoderEmbedder,
    TripletVAEEmbedder,
    triplet_accuracy_score,
)

from . import bare_tvae, scenarios

#: The package's terms beyond the sources' two (neighbour term,
#: supervised contrastive, pseudo-labels), off: each source trains its
#: metric loss and its reconstruction (+KL) only.
SOURCE_TERMS_ONLY = {
    "neighbor_weight": 0.0,
    "supervised_contrastive_weight": 0.0,
    "pseudo_label_fraction": 0.0,
}

#: The sources' networks: an MLP whose last hidden layer alone feeds the code
#: (the package's linear path beside it is off).
SOURCE_NETWORK = {"linear_path": False}

#: The TVAE paper's ELBO: squared error summed over pixels, the KL at full
#: weight from the first step (a Gaussian likelihood of variance 1/2).
PAPER_ELBO = {"observation_variance": 0.5, "kl_warmup": 0.0, "beta": 1.0}


def eq2_weight(n_features: int) -> float:
    """The ``weight`` at which the package's objective is the TVAE paper's Eq. 2.

    The package averages the reconstruction and the KL over the features
    (``(1 - weight) * (SSE + KL) / D``) where Eq. 2 sums them
    (``SSE + KL + triplet``); equal proportions need
    ``weight / (1 - weight) = 1 / D``.
    """
    return 1.0 / (n_features + 1.0)


def knn5(Z_train, y_train, Z_test, y_test) -> float:
    """Test 5-NN accuracy, neighbours from the train embedding."""
    return float(KNeighborsClassifier(5).fit(Z_train, y_train).score(Z_test, y_test))


def triplet_accuracy(Z_test, y_test, margin: float = 0.0) -> float:
    """Share of 10,000 random test triplets with ``d(a, p) + margin < d(a, n)``."""
    return triplet_accuracy_score(
        Z_test, y_test, margin=margin, n_triplets=10000, random_state=0
    )


def _row(cells) -> str:
    return "| " + " | ".join(cells) + " |"


def _figure(n_rows: int, n_cols: int, size: float = 3.4):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(
        n_rows, n_cols, figsize=(size * n_cols, size * n_rows), squeeze=False
    )
    return fig, axes


def _save(fig, out: Path | None, name: str) -> str:
    fig.tight_layout()
    if out is None:
        return ""
    out.mkdir(parents=True, exist_ok=True)
    path = out / name
    fig.savefig(path, dpi=80)
    # A 64-colour palette: a fifth of the size, the ten classes' colours kept.
    from PIL import Image

    image = Image.open(path).convert("RGB")
    image.quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
    return str(path)


def _fit(estimator, X, y, epochs):
    if epochs is not None:
        estimator.set_params(max_epochs=epochs)
    start = time.perf_counter()
    estimator.fit(X, y)
    return estimator, time.perf_counter() - start


# -- TVAE, Table 1 and Figure 2 -----------------------------------------------
def tvae(split, out, epochs):
    """VAE vs TVAE: triplet accuracy of the test means at latent 20."""
    from sk_metricembed import plot_embedding

    D = split.X_train.shape[1]
    paper = dict(
        latent_dim=20,
        hidden_layer_sizes=(512, 512),
        **SOURCE_NETWORK,
        dropout=0.0,
        lr=1e-3,
        batch_size=128,
        max_epochs=10,
        random_state=0,
        **PAPER_ELBO,
        **SOURCE_TERMS_ONLY,
    )
    systems = {
        "VAE, the paper's ELBO (weight=0)": TripletVAEEmbedder(weight=0.0, **paper),
        f"TVAE, Eq. 2 (weight=1/{D + 1})": TripletVAEEmbedder(
            weight=eq2_weight(D), **paper
        ),
        f"TVAE, Eq. 2 (weight=1/{D + 1}), 50 epochs": TripletVAEEmbedder(
            weight=eq2_weight(D), **{**paper, "max_epochs": 50}
        ),
        "VAE, package defaults (weight=0)": TripletVAEEmbedder(
            weight=0.0, latent_dim=20, random_state=0
        ),
        "TVAE, package defaults (weight=0.2)": TripletVAEEmbedder(
            latent_dim=20, random_state=0
        ),
    }
    lines = [
        _row(
            [
                "model",
                "triplet acc. (margin 0)",
                "zero loss in Eq. 1 (margin 1)",
                "test 5-NN",
                "fit s",
            ]
        ),
        _row(["---"] * 5),
        _row(["VAE, the paper's Table 1", "", "75.08%", "", ""]),
        _row(["TVAE, the paper's Table 1", "", "95.60%", "", ""]),
    ]
    embeddings = {}
    for name, estimator in systems.items():
        estimator, seconds = _fit(estimator, split.X_train, split.y_train, epochs)
        Z_train, Z_test = (
            estimator.transform(split.X_train),
            estimator.transform(split.X_test),
        )
        embeddings[name] = Z_test
        lines.append(_row(_scores(name, split, Z_train, Z_test, seconds)))
    # The same recipe as a plain PyTorch loop, with no package code.
    start = time.perf_counter()
    model = bare_tvae.fit_bare_tvae(
        split.X_train, split.y_train, hidden=(512, 512), epochs=epochs or 10
    )
    seconds = time.perf_counter() - start
    Z_train = bare_tvae.encode(model, split.X_train)
    Z_test = bare_tvae.encode(model, split.X_test)
    lines.append(
        _row(
            _scores(
                "TVAE, Eq. 2 as a bare PyTorch loop", split, Z_train, Z_test, seconds
            )
        )
    )
    # Figure 2: t-SNE of the test means, VAE and TVAE under the paper's ELBO.
    shown = slice(0, min(2000, len(split.y_test)))
    names = list(systems)[:2]
    fig, axes = _figure(1, 2, size=4.2)
    for ax, name, panel in zip(axes[0], names, ("(a) VAE", "(b) Triplet-based VAE")):
        plot_embedding(
            embeddings[name][shown],
            split.y_test[shown],
            method="tsne",
            ax=ax,
            title=panel,
            legend=False,
        )
    path = _save(fig, out, "tvae_tsne.png")
    return lines, [path]


def _scores(name, split, Z_train, Z_test, seconds) -> list[str]:
    return [
        name,
        f"{triplet_accuracy(Z_test, split.y_test):.2%}",
        f"{triplet_accuracy(Z_test, split.y_test, margin=1.0):.2%}",
        f"{knn5(Z_train, split.y_train, Z_test, split.y_test):.3f}",
        f"{seconds:.0f}",
    ]


# -- arkwave's weight sweep -----------------------------------------------------
ARKWAVE_WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0)


def arkwave(split, out, epochs):
    """Pairwise/triplet x AE/VAE x M: test 5-NN and triplet accuracy in 2-D."""
    from sk_metricembed import plot_embedding

    settings = dict(
        latent_dim=2,
        hidden_layer_sizes=(512,),
        **SOURCE_NETWORK,
        dropout=0.2,
        margin=1.0,
        random_state=0,
        **SOURCE_TERMS_ONLY,
    )
    variants = {
        ("pairwise", "AE"): (SiameseAutoencoderEmbedder, False),
        ("pairwise", "VAE"): (SiameseAutoencoderEmbedder, True),
        ("triplet", "AE"): (TripletVAEEmbedder, False),
        ("triplet", "VAE"): (TripletVAEEmbedder, True),
    }
    header = ["constraints, network", *(f"M={w:g}" for w in ARKWAVE_WEIGHTS)]
    lines = [
        "Test 5-NN / triplet accuracy (margin 0) of the 2-D embedding:",
        "",
        _row(header),
        _row(["---"] * len(header)),
    ]
    fig, axes = _figure(len(variants), len(ARKWAVE_WEIGHTS), size=2.8)
    shown = slice(0, min(2000, len(split.y_test)))
    for row, ((constraint, network), (estimator_class, variational)) in enumerate(
        variants.items()
    ):
        cells = [f"{constraint}, {network}"]
        for column, weight in enumerate(ARKWAVE_WEIGHTS):
            estimator, _ = _fit(
                estimator_class(weight=weight, variational=variational, **settings),
                split.X_train,
                split.y_train,
                epochs,
            )
            Z_train = estimator.transform(split.X_train)
            Z_test = estimator.transform(split.X_test)
            knn = knn5(Z_train, split.y_train, Z_test, split.y_test)
            cells.append(f"{knn:.3f} / {triplet_accuracy(Z_test, split.y_test):.3f}")
            plot_embedding(
                Z_test[shown],
                split.y_test[shown],
                ax=axes[row, column],
                title=f"{constraint} {network}, M={weight:g}",
                legend=False,
                point_size=2,
            )
        lines.append(_row(cells))
    path = _save(fig, out, "arkwave_sweep.png")
    return lines, [path]


# -- "Siamese networks and friends": four networks in 2-D -----------------------
def friends(split, out, epochs):
    """Classification, siamese contrastive, siamese BCE and triplet nets, 2-D."""
    from sk_metricembed import plot_embedding

    # A conv encoder (the friends' EmbeddingNet is one), no decoder (weight=1),
    # no augmentation (the friends train on the images as they are).
    settings = dict(
        latent_dim=2,
        weight=1.0,
        variational=False,
        image_shape=split.image_shape,
        augment=False,
        random_state=0,
    )
    networks = {
        "EmbeddingNet, cross-entropy": SiameseAutoencoderEmbedder(
            metric_loss="none", classifier_weight=1.0, **settings
        ),
        "SiameseNet, contrastive": SiameseAutoencoderEmbedder(
            metric_loss="contrastive", **settings
        ),
        "SiameseNet, BCE (Koch)": SiameseAutoencoderEmbedder(
            metric_loss="bce", **settings
        ),
        "TripletNet, triplet loss": TripletVAEEmbedder(
            metric_loss="triplet", **settings
        ),
    }
    header = ["network", "test 5-NN", "triplet acc. (margin 0)", "fit s"]
    lines = [_row(header), _row(["---"] * len(header))]
    fig, axes = _figure(2, 2, size=4.0)
    shown = slice(0, min(2000, len(split.y_test)))
    for ax, (name, estimator) in zip(axes.ravel(), networks.items()):
        estimator, seconds = _fit(estimator, split.X_train, split.y_train, epochs)
        Z_train = estimator.transform(split.X_train)
        Z_test = estimator.transform(split.X_test)
        knn = knn5(Z_train, split.y_train, Z_test, split.y_test)
        triplets = triplet_accuracy(Z_test, split.y_test)
        lines.append(_row([name, f"{knn:.3f}", f"{triplets:.3f}", f"{seconds:.0f}"]))
        plot_embedding(
            Z_test[shown], split.y_test[shown], ax=ax, title=name, legend=False
        )
    path = _save(fig, out, "friends_networks.png")
    return lines, [path]


# -- Hoffer & Ailon: semi-supervised contrasting, 100 labels ----------------------
def hundred_labels(y_train, per_class: int = 10, seed: int = 0) -> np.ndarray:
    """``y_train`` with all but ``per_class`` rows of each class set to -1."""
    rng = np.random.RandomState(seed)
    y_semi = np.full_like(y_train, -1)
    for label in np.unique(y_train):
        kept = rng.choice(np.flatnonzero(y_train == label), per_class, replace=False)
        y_semi[kept] = label
    return y_semi


def exemplar_error(Z_train, y_semi, Z_test, y_test) -> float:
    """Test error of the nearest class exemplar (mean code of the labelled rows).

    Hoffer & Ailon's distance distribution over exemplars, read as a
    classifier: each test row takes the class of its nearest exemplar.
    """
    classes = np.unique(y_semi[y_semi >= 0])
    exemplars = np.stack([Z_train[y_semi == label].mean(axis=0) for label in classes])
    distances = ((Z_test[:, None, :] - exemplars[None, :, :]) ** 2).sum(axis=2)
    return float(np.mean(classes[distances.argmin(axis=1)] != y_test))


def one_nn_error(Z_train, y_semi, Z_test, y_test) -> float:
    """Test error of 1-NN among the labelled training rows only."""
    labeled = y_semi >= 0
    knn = KNeighborsClassifier(1).fit(Z_train[labeled], y_semi[labeled])
    return 1.0 - float(knn.score(Z_test, y_test))


def hoffer(split, out, epochs):
    """Semi-supervised contrasting with 10 labels per class (100 in all)."""
    y_semi = hundred_labels(split.y_train)
    image = dict(image_shape=split.image_shape, latent_dim=split.latent_dim)
    systems = {
        "raw pixels": None,
        "contrasting alone (weight=1, contrasting_weight=1)": TripletVAEEmbedder(
            weight=1.0,
            metric_loss="none",
            contrasting_weight=1.0,
            variational=False,
            random_state=0,
            **SOURCE_TERMS_ONLY,
            **image,
        ),
        "contrasting added to the defaults (contrasting_weight=1)": TripletVAEEmbedder(
            contrasting_weight=1.0, random_state=0, **image
        ),
        "package defaults": TripletVAEEmbedder(random_state=0, **image),
    }
    header = [
        "system",
        "test error, nearest exemplar",
        "test error, 1-NN of the 100",
        "fit s",
    ]
    lines = [
        _row(header),
        _row(["---"] * len(header)),
        _row(["Hoffer & Ailon (60,000 rows, 100 labels)", "0.78% (± 0.3)", "", ""]),
    ]
    for name, estimator in systems.items():
        if estimator is None:
            Z_train, Z_test, seconds = split.X_train, split.X_test, 0.0
        else:
            estimator, seconds = _fit(estimator, split.X_train, y_semi, epochs)
            Z_train = estimator.transform(split.X_train)
            Z_test = estimator.transform(split.X_test)
        exemplar = exemplar_error(Z_train, y_semi, Z_test, split.y_test)
        nearest = one_nn_error(Z_train, y_semi, Z_test, split.y_test)
        lines.append(
            _row([name, f"{exemplar:.2%}", f"{nearest:.2%}", f"{seconds:.0f}"])
        )
    return lines, []


EXPERIMENTS = {"tvae": tvae, "arkwave": arkwave, "friends": friends, "hoffer": hoffer}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.reproductions", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--experiments",
        default=",".join(EXPERIMENTS),
        help=f"comma-separated, of {', '.join(EXPERIMENTS)}",
    )
    parser.add_argument("--out", type=Path, default=None, help="figure folder")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="1,500 / 1,000 rows and two epochs: a smoke test, not a result",
    )
    args = parser.parse_args(argv)
    names = args.experiments.split(",")
    unknown = sorted(set(names) - set(EXPERIMENTS))
    if unknown:
        parser.error(
            f"--experiments: unknown {unknown}; choose from {list(EXPERIMENTS)}"
        )
    split = scenarios.mnist_split(quick=args.quick)
    epochs = 2 if args.quick else None
    for name in names:
        start = time.perf_counter()
        lines, figures = EXPERIMENTS[name](split, args.out, epochs)
        print(f"\n## {name} ({time.perf_counter() - start:.0f} s)\n")
        print("\n".join(lines))
        for figure in filter(None, figures):
            print(f"\nfigure: {figure}")


if __name__ == "__main__":
    main()
