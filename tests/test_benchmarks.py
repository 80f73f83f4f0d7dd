"""Smoke test of the benchmark CLI on a small tabular data set."""

import json
import re
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def benchmarks_main(monkeypatch):
    monkeypatch.syspath_prepend(str(REPO_ROOT))
    monkeypatch.chdir(REPO_ROOT)
    from benchmarks.__main__ import main

    return main


def test_quick_tabular_run_writes_a_table(benchmarks_main, tmp_path):
    output = tmp_path / "R.md"
    # wine only: the full --scenario 3 run takes over a minute on 2 cores.
    benchmarks_main(
        [
            "--quick",
            "--scenario",
            "3",
            "--systems",
            "raw",
            "pca",
            "siamese",
            "--datasets",
            "wine",
            "--output",
            str(output),
        ]
    )
    text = output.read_text()
    assert "| system | 100% labels | 10% labels |" in text
    rows = {
        line.split("|")[1].strip(): line
        for line in text.splitlines()
        if line.startswith("| ") and "labels" not in line
    }
    assert {"raw", "pca", "siamese"} <= set(rows)
    for name in ("raw", "pca", "siamese"):
        # A losing figure carries a mark after it.
        scores = re.findall(r"(\d\.\d+)(?: ✗)? / (\d\.\d+)(?: ✗)? \(", rows[name])
        assert len(scores) == 2
        assert all(0.0 <= float(value) <= 1.0 for pair in scores for value in pair)
    assert sys.modules["benchmarks.__main__"]  # imported from the repository


def test_quick_general_suite_marks_cells_that_lose(benchmarks_main, tmp_path):
    output = tmp_path / "G.md"
    arguments = ["--quick", "--scenario", "general", "--datasets", "iris"]
    arguments += ["--systems", "raw", "pca", "tvae", "--output", str(output)]
    benchmarks_main(arguments)
    text = output.read_text()
    # 1% of 30 rows a class rounds to no label: that column is left out.
    header = (
        "| system | 2% labels | 5% labels | 10% labels | 20% labels | 100% labels |"
    )
    assert header in text
    rows = {
        line.split("|")[1].strip(): line
        for line in text.splitlines()
        if line.startswith("| ") and "labels" not in line
    }
    assert set(rows) == {"raw", "pca", "tvae"}
    # Marks appear on ours only, and the count under the table agrees.
    assert "✗" not in rows["raw"] + rows["pca"]
    losing = sum("✗" in cell for cell in rows["tvae"].split("|")[2:-1])
    assert f"{losing} of 5 cells of tvae lose to the best of raw, pca" in text


def test_dev_fit_prints_scores(monkeypatch, capsys):
    monkeypatch.syspath_prepend(str(REPO_ROOT))
    from benchmarks import dev_fit, scenarios

    if not scenarios.MNIST_DIR.exists():
        pytest.skip("MNIST files not found")
    dev_fit.main(['{"max_epochs": 1, "hidden_layer_sizes": [32]}', "0.01", "siamese"])
    line = capsys.readouterr().out
    triplet, knn = map(float, re.search(r"-> (\S+) / (\S+) \(", line).groups())
    # One epoch already lifts the triplet accuracy well above chance (0.5).
    assert 0.6 < triplet <= 1 and 0.5 < knn <= 1


@pytest.mark.slow
def test_device_check_passes_on_the_cpu(monkeypatch, tmp_path):
    # The GPU check of docs/scaling.md, run where there is no GPU.
    monkeypatch.syspath_prepend(str(REPO_ROOT))
    from benchmarks.device_check import main

    output = tmp_path / "check.json"
    arguments = ["--device", "cpu", "--rows", "500", "--epochs", "2"]
    arguments += ["--throughput-epochs", "1", "--output", str(output)]
    assert main(arguments) == 0
    report = json.loads(output.read_text())
    assert len(report["checks"]) == 4
    assert all(row["pickle_same"] for row in report["checks"])
    assert {row["mode"] for row in report["throughput"]} == {"vector", "image"}


def test_selection_benchmark_writes_its_table(monkeypatch, tmp_path):
    monkeypatch.syspath_prepend(str(REPO_ROOT))
    from benchmarks import selection

    output = tmp_path / "S.md"
    arguments = ["--epochs", "1", "--seeds", "0", "--fractions", "0.1"]
    lines = selection.main([*arguments, "--output", str(output)])
    rows = [line for line in lines if line.startswith("| 10% | 1")]
    assert [row.split("|")[3].strip() for row in rows] == ["score", "knn"]
    for row in rows:
        rho, regret = (float(cell) for cell in row.split("|")[5:7])
        assert -1 <= rho <= 1 and 0 <= regret <= 1
    assert output.read_text().startswith("# Model selection with few labels")


def test_selection_agreement_is_rank_correlation_and_regret(monkeypatch):
    monkeypatch.syspath_prepend(str(REPO_ROOT))
    from benchmarks.selection import agreement

    quality = {"a": 0.9, "b": 0.8, "c": 0.7}
    assert agreement({"a": 3, "b": 2, "c": 1}, quality) == (1.0, 0.0)
    rho, regret = agreement({"a": 1, "b": 2, "c": 3}, quality)
    assert rho == -1.0 and regret == pytest.approx(0.2)
