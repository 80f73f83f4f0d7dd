"""Command line: ``python -m benchmarks [--quick] [--scenario ...] ...``.

Scenarios: 1 (MNIST with hidden labels), 2 (MNIST from pairs/triplets only),
3 (tabular data sets), speed (fit throughput and transform time against the
bare torch loop), and ``general``: the general suite (MNIST 10k, digits,
wine, breast cancer, iris at 1-100% of the labels against raw features,
PCA, NCA and semi-supervised UMAP; ``--scenario general --output
benchmarks/RESULTS_general.md``), and ``variations``: the same systems on
the MNIST variations (:mod:`.variations`: rotated digits, digits over
photographs) at 2, 10 and 100% of the labels, harder images the defaults
were not chosen on (``--scenario variations --output
benchmarks/RESULTS_variations.md``). A failing system is recorded in the
notes and the run goes on; every result is printed as it is measured.
"""

from __future__ import annotations

import argparse
import time
import traceback

import numpy as np

from sk_metricembed import TripletVAEEmbedder

from . import bare_tvae, peers, scenarios
from .report import Result, write_report

DESCRIPTIONS = {
    "1. MNIST, hidden labels": "6,000 train / 4,000 test rows of MNIST 10k "
    "(quick: 1,500 / 1,000), 20-dim embeddings; `_image` rows use "
    "`image_shape=(28, 28)` "
    "(random affine views on by default).",
    "2. MNIST, constraints only": "Same split, no labels: 4,000 pairs "
    "(siamese_pairs, ITML) or 4,000 triplets (tvae_triplets, SCML) drawn "
    "from the true train labels, seed 0. ITML/SCML run on PCA-50 features; "
    "`_image` rows use `image_shape=(28, 28)` "
    "(random affine views on by default).",
}
EXTERNAL = {"ivis", "itml", "scml"}


def _log(text: str) -> None:
    print(text, flush=True)


class Run:
    """Collects results and notes while systems are measured."""

    def __init__(self, args):
        self.args, self.results, self.notes, self.speed = args, [], [], []
        self._missing: dict[str, str | None] = {}

    def wanted(self, systems: dict) -> dict:
        chosen = {
            name: entry
            for name, entry in systems.items()
            if not self.args.systems or name in self.args.systems
        }
        for name, (_, requirement) in list(chosen.items()):
            if self.args.quick and name in EXTERNAL:
                del chosen[name]
                self.note(f"{name}: skipped in --quick mode")
                continue
            if requirement not in self._missing:
                self._missing[requirement] = peers.unavailable(requirement)
            if self._missing[requirement]:
                del chosen[name]
                self.note(f"{name}: skipped, {self._missing[requirement]}")
        return chosen

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)
            _log(f"NOTE {text}")

    def measure(self, table, name, function, split, column, **options):
        if name in peers.NEURAL and self.args.quick:
            options["max_epochs"] = 3
        start = time.perf_counter()
        try:
            out = function(
                split.X_train,
                split.y_train_semi,
                split.X_test,
                latent_dim=split.latent_dim,
                **options,
            )
            seconds = out[2] if len(out) == 3 else time.perf_counter() - start
            Z_train, Z_test = peers.as_float(out[0]), peers.as_float(out[1])
            result = Result(table, name, column, *split.score(Z_train, Z_test), seconds)
        except Exception as error:  # noqa: BLE001 - a system must not stop the run
            self.note(
                f"{table} / {name} @ {column}: error {type(error).__name__}: {error}"
            )
            traceback.print_exc()
            return
        self.results.append(result)
        _log(result.line())


def _measure_label_fractions(
    run: Run, table: str, split, systems: dict, fractions, min_per_class: int = 1
) -> None:
    """Every wanted system at every label fraction of one split."""
    chosen = run.wanted(systems)
    for fraction in fractions:
        labelled = split.with_labels(fraction, min_per_class=min_per_class)
        for name, (function, _) in chosen.items():
            run.measure(
                table,
                name,
                function,
                labelled,
                f"{fraction:.0%} labels",
                image_shape=split.image_shape,
            )


def scenario_labels(run: Run) -> None:
    split = scenarios.mnist_split(run.args.quick)
    _measure_label_fractions(
        run,
        "1. MNIST, hidden labels",
        split,
        peers.LABEL_SYSTEMS,
        scenarios.MNIST_LABEL_FRACTIONS,
    )


def scenario_constraints(run: Run) -> None:
    split = scenarios.mnist_split(run.args.quick)
    split.y_train_semi = np.full_like(split.y_train, -1)
    constraints = scenarios.draw_constraints(split.y_train)
    for name, (function, _) in run.wanted(peers.CONSTRAINT_SYSTEMS).items():
        run.measure(
            "2. MNIST, constraints only",
            name,
            function,
            split,
            f"{scenarios.N_CONSTRAINTS:,} constraints",
            **constraints,
            image_shape=split.image_shape,
        )


def scenario_tabular(run: Run) -> None:
    systems = {
        name: entry
        for name, entry in peers.LABEL_SYSTEMS.items()
        if name not in peers.IMAGE_ONLY
    }
    for dataset in _chosen(run, scenarios.TABULAR_LOADERS):
        split = scenarios.tabular_split(dataset)
        _measure_label_fractions(
            run,
            f"3. {dataset} (latent_dim={split.latent_dim})",
            split,
            systems,
            scenarios.TABULAR_LABEL_FRACTIONS,
            min_per_class=2,
        )


def _chosen(run: Run, datasets) -> list[str]:
    return [name for name in datasets if name in (run.args.datasets or datasets)]


def _suite_tables(run: Run, datasets, label_fractions, title: str) -> None:
    """The general suite's systems on ``datasets``, one table each."""
    names = peers.GENERAL_PEERS + peers.GENERAL_OURS
    for dataset in _chosen(run, datasets):
        split = scenarios.general_split(dataset)
        systems = {
            name: peers.LABEL_SYSTEMS[name]
            for name in names
            if split.image_shape is not None or name not in peers.IMAGE_ONLY
        }
        fractions = [
            fraction
            for fraction in label_fractions
            if scenarios.every_class_keeps_a_label(split.y_train, fraction)
        ]
        _measure_label_fractions(
            run,
            f"{title}: {dataset} (latent_dim={split.latent_dim})",
            split,
            systems,
            fractions,
        )


def scenario_general(run: Run) -> None:
    _suite_tables(
        run,
        scenarios.GENERAL_DATASETS,
        scenarios.GENERAL_LABEL_FRACTIONS,
        "General suite",
    )


def scenario_variations(run: Run) -> None:
    _suite_tables(
        run,
        scenarios.VARIATION_DATASETS,
        scenarios.VARIATION_LABEL_FRACTIONS,
        "MNIST variations",
    )


def _transform_seconds_per_10k(transform, X) -> float:
    start = time.perf_counter()
    transform(X)
    return (time.perf_counter() - start) / len(X) * 10_000


def scenario_speed(run: Run) -> None:
    split = scenarios.mnist_split(run.args.quick)
    X, y, epochs = split.X_train, split.y_train, 3
    n_transform = 20_000 if run.args.quick else 100_000
    X_big = np.tile(split.X_test, (n_transform // len(split.X_test) + 1, 1))
    X_big = X_big[:n_transform]

    def fit_ours():
        model = TripletVAEEmbedder(
            hidden_layer_sizes=(512, 512),
            linear_path=False,  # bare_tvae's network
            latent_dim=20,
            batch_size=128,
            dropout=0,
            neighbor_weight=0,
            supervised_contrastive_weight=0,
            max_epochs=epochs,
            random_state=0,
        )
        start = time.perf_counter()
        model.fit(X, y)
        return model, time.perf_counter() - start

    # A warm-up of each, then alternating repeats: on a shared machine the
    # load drifts, and the median of interleaved runs compares like with like.
    bare_tvae.timed_fit(X[:512], y[:512], epochs=1)
    fit_ours()
    ours_times, bare_times = [], []
    for _ in range(1 if run.args.quick else 3):
        model, seconds = fit_ours()
        ours_times.append(seconds)
        bare_model, seconds = bare_tvae.timed_fit(X, y, epochs=epochs)
        bare_times.append(seconds)
    ours_fit, bare_fit = float(np.median(ours_times)), float(np.median(bare_times))
    ours_rate, bare_rate = epochs * len(X) / ours_fit, epochs * len(X) / bare_fit
    ours_transform = _transform_seconds_per_10k(model.transform, X_big)
    bare_transform = _transform_seconds_per_10k(
        lambda data: bare_tvae.transform_bare_tvae(bare_model, data), X_big
    )
    run.speed += [
        f"Fit on {len(X):,} MNIST rows, {epochs} epochs, 784-512-512-20 VAE, "
        f"batch 128; transform of {n_transform:,} rows (np.tile of MNIST).",
        "",
        "| system | fit rows/s | transform s per 10,000 rows |",
        "|---|---|---|",
        f"| TripletVAEEmbedder | {ours_rate:,.0f} | {ours_transform:.3f} |",
        f"| bare torch loop | {bare_rate:,.0f} | {bare_transform:.3f} |",
        "",
        f"Fit throughput ratio (ours / bare): {ours_rate / bare_rate:.2f} "
        f"(median of {len(ours_times)} interleaved fits each; per fit, ours: "
        + ", ".join(f"{t:.1f}" for t in ours_times)
        + " s, bare: "
        + ", ".join(f"{t:.1f}" for t in bare_times)
        + " s)",
    ]
    for line in run.speed:
        _log(line)


SCENARIOS = {
    "1": scenario_labels,
    "2": scenario_constraints,
    "3": scenario_tabular,
    "speed": scenario_speed,
    "general": scenario_general,
    "variations": scenario_variations,
}
# ``python -m benchmarks`` runs these; the general suite has its own file.
DEFAULT_SCENARIOS = ["1", "2", "3", "speed"]


def main(argv=None) -> Run:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="1,500/1,000 MNIST split, 3 epochs, no venv peers",
    )
    parser.add_argument(
        "--scenario", nargs="+", choices=list(SCENARIOS), default=DEFAULT_SCENARIOS
    )
    parser.add_argument(
        "--systems", nargs="+", default=None, help="only these systems (default: all)"
    )
    parser.add_argument(
        "--datasets",
        nargs="+",
        default=None,
        choices=sorted(
            {
                *scenarios.TABULAR_LOADERS,
                *scenarios.GENERAL_DATASETS,
                *scenarios.VARIATION_DATASETS,
            }
        ),
        help="data sets of scenario 3, the general suite or the variations "
        "(default: all)",
    )
    parser.add_argument("--output", default="benchmarks/RESULTS.md")
    run = Run(parser.parse_args(argv))
    for scenario in run.args.scenario:
        try:
            SCENARIOS[scenario](run)
        except Exception as error:  # noqa: BLE001 - keep the other scenarios
            run.note(f"scenario {scenario}: error {type(error).__name__}: {error}")
            traceback.print_exc()
    write_report(
        run.args.output,
        run.results,
        run.notes,
        run.speed,
        DESCRIPTIONS,
        peers=peers.GENERAL_PEERS,
        ours=peers.GENERAL_OURS,
    )
    _log(f"wrote {run.args.output}")
    return run


if __name__ == "__main__":
    main()
