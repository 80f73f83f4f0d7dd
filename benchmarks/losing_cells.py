"""The cells the defaults lose, and the best figure each tried setting reaches.

For every cell of the general suite (or of the variations, or of a held-out
``idx:FOLDER`` set) where an estimator's defaults fall below the best peer
(raw features, PCA, NCA, semi-supervised UMAP) on triplet or 5-NN accuracy,
the same estimator is fitted again under each setting of :data:`SETTINGS`:
the changes ``docs/few_labels.md`` measured and did not adopt, and a second
estimator seed (the training's own spread). The report gives, per losing
cell, the best figure reached on each metric and the setting that reached
it, the setting that comes closest on both, and the settings that win the
cell outright. The best figures are picked on the test rows, so they are an
upper bound of what the settings tried can give, not a default::

    python -m benchmarks.losing_cells --cache benchmarks/_cache
    python -m benchmarks.losing_cells --datasets digits --image \\
        --cache benchmarks/_cache
    python -m benchmarks.losing_cells --datasets mnist_rot,mnist_back_image \\
        --fractions 0.02,0.1,1 --settings "estimator seed 1,weaker InfoNCE terms"

Arguments as ``benchmarks.general_dev``'s, and ``--settings`` (names of
:data:`SETTINGS`, comma-separated; all by default) and ``--output`` (a
Markdown file for the tables). Each fit's scores are kept in the cache
folder, keyed by the package's source, so that a rerun fits only what is
new.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

import sk_metricembed

from . import general_dev

#: Each setting: the estimator parameters it changes from the defaults, and
#: the section of docs/few_labels.md or benchmarks/RESULTS.md that measured
#: it (listed under the report's table).
SETTINGS = {
    "estimator seed 1": ({"random_state": 1}, "the training's own spread"),
    "neighbor_weight=3": ({"neighbor_weight": 3}, "What did not close the gap"),
    "weight=0.5": ({"weight": 0.5}, "What did not close the gap"),
    "weight=0.05": ({"weight": 0.05}, "What did not close the gap"),
    "weight=0.2": ({"weight": 0.2}, "The weight rises on small data"),
    "neighbor_weight=0": (
        {"neighbor_weight": 0},
        "Which losses are real",
    ),
    "weaker InfoNCE terms": (
        {"neighbor_weight": 0.25, "supervised_contrastive_weight": 0.25},
        "the extra terms' strength",
    ),
    "supervised_contrastive_weight=0": (
        {"supervised_contrastive_weight": 0},
        "What did not close the gap",
    ),
    "pseudo_label_fraction=0": (
        {"pseudo_label_fraction": 0},
        "Pseudo-labels with one label per class",
    ),
    "n_neighbors=15": ({"n_neighbors": 15}, "The graph's size"),
    "lr=0.004": ({"lr": 0.004}, "Twice the learning rate"),
    "neighbor_smoothing=0": (
        {"neighbor_smoothing": 0},
        "New rows are drawn toward their training neighbours",
    ),
    "max_epochs=60": (
        {"max_epochs": 60},
        "A small table trains as long as a large one",
    ),
    "linear_path=False": (
        {"linear_path": False},
        "A linear path beside the MLP",
    ),
    "hidden_layer_sizes=()": (
        {"hidden_layer_sizes": ()},
        "A linear encoder on small tables",
    ),
}
#: Settings fitted on image cells alone: image mode's own option, and the
#: budget its passes had before ``max_epochs="auto"`` became one of steps.
IMAGE_SETTINGS = {
    "augment=False": ({"augment": False}, "Image mode reads small images"),
    "max_epochs=30": (
        {"max_epochs": 30},
        "A small table trains as long as a large one",
    ),
}


def source_key() -> str:
    """A digest of the package's source: fits of other code are not reused."""
    root = Path(sk_metricembed.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class FitCache:
    """Scores of earlier fits, in a JSON file of the cache folder."""

    def __init__(self, folder: Path | None) -> None:
        self.path = folder / f"losing_cells_{source_key()}.json" if folder else None
        exists = self.path is not None and self.path.exists()
        self.scores = json.loads(self.path.read_text()) if exists else {}

    def score(self, estimator, params, split, image, seed) -> tuple[float, float]:
        key = json.dumps(
            [split.dataset, seed, split.label_fraction, estimator, image, params],
            sort_keys=True,
        )
        if key not in self.scores:
            scores, _ = general_dev.fit_and_score(estimator, params, split, image)
            self.scores[key] = list(scores)
            if self.path:
                self.path.write_text(json.dumps(self.scores))
        return tuple(self.scores[key])


def _figures(scores) -> str:
    return f"{scores[0]:.3f} / {scores[1]:.3f}"


def losing_cell(seed, split, estimator, image, settings, cache, best):
    """The report of one cell, or None where the defaults win it."""
    defaults = cache.score(estimator, {}, split, image, seed)
    if all(d >= b for d, b in zip(defaults, best)):
        return None
    tried = {"defaults": defaults}
    for setting, (params, _) in settings.items():
        tried[setting] = cache.score(estimator, params, split, image, seed)

    def worst_margin(setting):
        return min(s - b for s, b in zip(tried[setting], best))

    closest = max(tried, key=worst_margin)
    top = [max(tried, key=lambda s, i=i: tried[s][i]) for i in (0, 1)]
    won_by = [s for s in tried if worst_margin(s) >= 0]
    return {
        "cell": f"{split.dataset} seed {seed} {split.label_fraction:.0%} {estimator}",
        "best peer": _figures(best),
        "defaults": _figures(defaults),
        "closest": f"{_figures(tried[closest])} ({closest})",
        "best triplet": f"{tried[top[0]][0]:.3f} ({top[0]})",
        "best 5-NN": f"{tried[top[1]][1]:.3f} ({top[1]})",
        "won by": ", ".join(won_by) or "none",
        "won_by": won_by,
    }


COLUMNS = ["cell", "best peer", "defaults", "closest", "best triplet", "best 5-NN"]
COLUMNS += ["won by"]


def table(rows) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(row[c] for c in COLUMNS) + " |" for row in rows]
    return "\n".join(lines)


def legend(settings) -> str:
    """Each setting's parameters and the section that measured it."""
    return "\n".join(
        f"- {name}: `{json.dumps(params)}` ({section})"
        for name, (params, section) in settings.items()
    )


def main(argv=None) -> list:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.losing_cells")
    general_dev.add_cell_arguments(parser)
    parser.add_argument("--settings", default=None, help="names, comma-separated")
    parser.add_argument("--output", type=Path, default=None)
    args = parser.parse_args(argv)
    every = {**SETTINGS, **(IMAGE_SETTINGS if args.image else {})}
    names = args.settings.split(",") if args.settings else list(every)
    unknown = sorted(set(names) - set(every))
    if unknown:
        parser.error(f"--settings: unknown {unknown}; choose from {sorted(every)}")
    settings = {name: every[name] for name in names}
    cache = FitCache(args.cache)
    rows, n_cells = [], 0
    for _, seed, split, best in general_dev.cells(args):
        for estimator in args.estimators.split(","):
            n_cells += 1
            row = losing_cell(seed, split, estimator, args.image, settings, cache, best)
            if row is not None:
                rows.append(row)
                print(" | ".join(f"{c}: {row[c]}" for c in COLUMNS), flush=True)
    won = sum(bool(row["won_by"]) for row in rows)
    tally = {name: sum(name in row["won_by"] for row in rows) for name in settings}
    summary = (
        f"{len(rows)} of {n_cells} cells lose with the defaults"
        f"{' (image mode)' if args.image else ''}; {won} of them are won by at "
        f"least one of the {len(settings)} settings tried, "
        f"{len(rows) - won} by none. Losing cells each setting wins: "
        + ", ".join(f"{name} {n}" for name, n in tally.items())
    )
    print(summary, flush=True)
    if args.output:
        args.output.write_text(f"{summary}.\n\n{table(rows)}\n\n{legend(settings)}\n")
    return rows


if __name__ == "__main__":
    main()
