"""What the command line writes: progress on standard error, the results
table, results.csv, the baselines' table and baselines.csv, the PNGs, and
on request each fit's model, held-out embedding and training animation."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np
from skorch.callbacks import Callback

from .data import LabelledData

#: The formats of ``--save-embeddings``, by the file's extension.
EMBEDDING_SUFFIXES = (".npz", ".csv")
#: Those of ``--animation`` (:func:`~sk_metricembed.animate_embedding`'s).
ANIMATION_SUFFIXES = (".gif", ".mp4")

COLUMNS = ("weight", "latent_dim", "triplet_accuracy", "knn_accuracy", "fit_seconds")


class EpochTick(Callback):
    """Advances the progress bar after each epoch.

    A saved model keeps its callbacks; the bar (a terminal stream) is not
    saved with it.
    """

    def __init__(self, bar=None) -> None:
        self.bar = bar

    def on_epoch_end(self, net, **kwargs) -> None:
        if self.bar is not None:
            self.bar.update(1)

    def __getstate__(self) -> dict:
        return {**self.__dict__, "bar": None}


class Progress:
    """A bar over all epochs on a terminal, else one line per fit (stderr)."""

    def __init__(self, total_epochs: int, enabled: bool) -> None:
        # tqdm's text bar: it is drawn on a terminal only (tqdm.auto would
        # pick the notebook widget in Jupyter, which needs ipywidgets).
        from tqdm import tqdm

        self.enabled = enabled
        self.bar = tqdm(
            total=total_epochs,
            unit="epoch",
            file=sys.stderr,
            disable=not (enabled and sys.stderr.isatty()),
        )

    def callback(self) -> EpochTick:
        return EpochTick(self.bar)

    def start(self, message: str) -> None:
        self.message = message
        self.bar.set_description(message)

    def done(self, message: str) -> None:
        if self.enabled and self.bar.disable:
            print(f"{self.message}: {message}", file=sys.stderr, flush=True)


#: How each column of the two tables is printed.
FORMATS = {
    "weight": "{:g}",
    "latent_dim": "{:d}",
    "baseline": "{}",
    "dimensions": "{:d}",
    "triplet_accuracy": "{:.3f}",
    "knn_accuracy": "{:.3f}",
    "fit_seconds": "{:.1f}",
}


def format_table(rows: list[dict], columns=COLUMNS) -> str:
    """The rows as a right-aligned text table, one fit (or baseline) per line."""
    cells = [[FORMATS[c].format(row[c]) for c in columns] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.rjust(w) for c, w in zip(columns, widths))]
    lines += ["  ".join(v.rjust(w) for v, w in zip(r, widths)) for r in cells]
    return "\n".join(lines)


def write_csv(rows: list[dict], path: Path, columns=COLUMNS) -> None:
    """The rows, unrounded, as CSV."""
    with open(path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def matplotlib_available() -> bool:
    """Whether plots can be drawn (selecting the file-only Agg backend)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
    except ImportError:
        print(
            "matplotlib is not installed, so no plots: "
            "pip install 'sk-metricembed[plot]'.",
            file=sys.stderr,
        )
        return False
    return True


def write_plots(
    embeddings: dict, y, data: LabelledData, folder: Path, title: str
) -> None:
    """A PNG per fit, and ``embeddings.png``: all fits, latent_dim x weight."""
    import matplotlib.pyplot as plt

    from ..plotting import plot_embedding

    weights = list(dict.fromkeys(weight for weight, _ in embeddings))
    latent_dims = list(dict.fromkeys(latent_dim for _, latent_dim in embeddings))
    overview, axes = plt.subplots(
        len(latent_dims),
        len(weights),
        figsize=(4.2 * len(weights) + 1.2, 3.8 * len(latent_dims)),
        squeeze=False,
    )
    for (weight, latent_dim), Z in embeddings.items():
        fit_title = f"weight={weight:g}, latent_dim={latent_dim}"
        fig, ax = plt.subplots(figsize=(6, 5))
        plot_embedding(Z, y, class_names=data.class_names, ax=ax, title=fit_title)
        fig.tight_layout()
        fig.savefig(folder / f"embedding_{fit_name(weight, latent_dim)}.png", dpi=120)
        plt.close(fig)
        cell = axes[latent_dims.index(latent_dim), weights.index(weight)]
        plot_embedding(Z, y, class_names=data.class_names, ax=cell, title=fit_title)
        if cell.get_legend() is not None:
            cell.get_legend().remove()
    handles, labels = axes[0, 0].get_legend_handles_labels()
    overview.legend(handles, labels, loc="center right", frameon=False, markerscale=2)
    overview.suptitle(title)
    overview.tight_layout(rect=(0, 0, 1 - 0.8 / overview.get_figwidth(), 1))
    overview.savefig(folder / "embeddings.png", dpi=100)
    plt.close(overview)


def fit_name(weight: float, latent_dim: int) -> str:
    """``weight-0.5_latent-2``: what tells one fit's files from the others'."""
    return f"weight-{weight:g}_latent-{latent_dim}"


def fit_path(path: Path, weight: float, latent_dim: int, n_fits: int) -> Path:
    """``path`` itself for a single fit; for a grid, one file per fit named
    as its PNG is (``model_weight-0.5_latent-2.joblib``)."""
    if n_fits == 1:
        return path
    return path.with_name(f"{path.stem}_{fit_name(weight, latent_dim)}{path.suffix}")


def write_embedding(path: Path, Z, y, index, class_names: list[str]) -> None:
    """The held-out rows' embedding, labels and row numbers, as .npz or .csv.

    The ``.npz`` holds arrays ``embedding``, ``y`` (class numbers),
    ``index`` (the rows' numbers in the data) and ``class_names``; the
    ``.csv`` has columns ``z0`` ... ``z<k-1>``, ``y``, ``label`` (the class
    name) and ``index``.
    """
    if path.suffix.lower() == ".npz":
        np.savez(path, embedding=Z, y=y, index=index, class_names=np.array(class_names))
        return
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([f"z{k}" for k in range(Z.shape[1])] + ["y", "label", "index"])
        for row, label, number in zip(Z.tolist(), y.tolist(), index.tolist()):
            writer.writerow([*row, label, class_names[label], number])


def write_animation(recorder, y, class_names: list[str], path: Path) -> None:
    """The recorded embeddings of the training rows, one frame per epoch."""
    from ..plotting import animate_embedding

    animate_embedding(recorder, y, path, class_names=class_names)
