"""Markdown report of the benchmark results (RESULTS.md)."""

from __future__ import annotations

import datetime
import os
import platform
import sys
from dataclasses import dataclass

import sklearn
import torch

REFERENCE = (
    "Reference (TVAE paper, Ishfaq et al. 2018, full 60k MNIST): triplet "
    "accuracy VAE 75.08%, TVAE 95.60%. Not directly comparable: the numbers "
    "here use 6,000 train / 4,000 test rows of the MNIST test set."
)


@dataclass
class Result:
    """One measured cell."""

    table: str
    system: str
    column: str
    triplet: float
    knn: float
    seconds: float

    def cell(self) -> str:
        return f"{self.triplet:.3f} / {self.knn:.3f} ({self.seconds:.1f} s)"

    def line(self) -> str:
        return f"[{self.table}] {self.system} @ {self.column}: {self.cell()}"


def machine() -> str:
    return (
        f"{platform.platform()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, torch {torch.__version__}, "
        f"scikit-learn {sklearn.__version__}"
    )


def _table(results: list[Result], peers=(), ours=()) -> list[str]:
    """One row per system, one column per label fraction.

    A cell of ``ours`` whose triplet or 5-NN accuracy falls below the best of
    the ``peers`` in the same column gets a ✗ after that figure; a line
    under the table counts them.
    """
    columns = list(dict.fromkeys(r.column for r in results))
    systems = list(dict.fromkeys(r.system for r in results))
    by_cell = {(r.system, r.column): r for r in results}
    best = {}
    for column in columns:
        rivals = [by_cell[p, column] for p in peers if (p, column) in by_cell]
        if rivals:
            best[column] = (
                max(r.triplet for r in rivals),
                max(r.knn for r in rivals),
            )
    lines = [
        "| system | " + " | ".join(columns) + " |",
        "|---" * (len(columns) + 1) + "|",
    ]
    n_ours = n_losing = 0
    for system in systems:
        row = []
        for column in columns:
            result = by_cell.get((system, column))
            if result is None:
                row.append("–")
                continue
            if system not in ours or column not in best:
                row.append(result.cell())
                continue
            best_triplet, best_knn = best[column]
            triplet_loses = result.triplet < best_triplet
            knn_loses = result.knn < best_knn
            n_ours += 1
            n_losing += triplet_loses or knn_loses
            row.append(
                f"{result.triplet:.3f}{' ✗' if triplet_loses else ''} / "
                f"{result.knn:.3f}{' ✗' if knn_loses else ''} "
                f"({result.seconds:.1f} s)"
            )
        lines.append(f"| {system} | " + " | ".join(row) + " |")
    if n_ours:
        ours_here = ", ".join(s for s in ours if s in systems)
        peers_here = ", ".join(p for p in peers if p in systems)
        lines += [
            "",
            f"{n_losing} of {n_ours} cells of {ours_here} lose to the best of "
            f"{peers_here} on at least one metric (✗ after the figure that loses).",
        ]
    return lines


def write_report(
    path,
    results: list[Result],
    notes: list[str],
    speed: list[str],
    descriptions: dict[str, str],
    peers=(),
    ours=(),
) -> None:
    """Write one markdown table per scenario/data set, then speed and notes."""
    lines = [
        "# sk-metricembed benchmarks",
        "",
        f"Command: `python -m benchmarks {' '.join(sys.argv[1:])}`",
        "",
        f"Machine: {machine()}",
        "",
        f"Date: {datetime.datetime.now().isoformat(timespec='seconds')}",
        "",
        "Cells: test triplet accuracy / test 5-NN accuracy (fit seconds). "
        "Triplet accuracy is `triplet_accuracy_score(Z_test, y_test, "
        "random_state=0)`; 5-NN is KNeighborsClassifier(5) fitted on Z_train "
        "with the true train labels. Columns are the fraction of train labels "
        "the system saw (others -1).",
        "",
    ]
    for table in dict.fromkeys(r.table for r in results):
        lines += [f"## {table}", ""]
        if table in descriptions:
            lines += [descriptions[table], ""]
        rows = [r for r in results if r.table == table]
        lines += _table(rows, peers, ours) + [""]
    if any(r.table.startswith("1") for r in results):
        lines += [REFERENCE, ""]
    if speed:
        lines += ["## Speed", ""] + speed + [""]
    lines += ["## Notes", ""] + ([f"- {note}" for note in notes] or ["- none"])
    with open(path, "w", encoding="utf-8") as file:
        file.write("\n".join(lines) + "\n")
