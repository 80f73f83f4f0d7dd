"""Smoke test of the benchmark CLI on a small tabular data set."""

import json
import re
import sys
from pathlib import Path

import numpy as np
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


def test_mnist_variations_keep_the_digits_and_are_reproducible(monkeypatch):
    monkeypatch.syspath_prepend(str(REPO_ROOT))
    from benchmarks import variations

    # Two 28x28 "digits": a bar and a square outline, pixel values 0-255.
    X = np.zeros((2, 28, 28), dtype=np.float32)
    X[0, 6:22, 12:16] = 255
    X[1, 8:20, 8:20] = 255
    X[1, 10:18, 10:18] = 0
    X = X.reshape(2, -1)
    turned = variations.rotated(X)
    assert turned.shape == X.shape and turned.dtype == np.float32
    assert np.array_equal(turned, variations.rotated(X))  # seeded
    assert 0.0 <= turned.min() and turned.max() <= 1.0
    # A turn moves the pixels but keeps most of the ink on the canvas.
    assert not np.allclose(turned, X / 255)
    assert turned.sum() == pytest.approx((X / 255).sum(), rel=0.1)
    backed = variations.on_backgrounds(X)
    assert backed.shape == X.shape and 0.0 <= backed.min() and backed.max() <= 1.0
    # The digit stays on top, and the photograph fills the rest.
    assert (backed >= X / 255).all()
    assert (backed[X == 0] > 0).mean() > 0.5


def test_held_out_idx_folder_is_split_as_mnist(monkeypatch, tmp_path, write_idx):
    monkeypatch.syspath_prepend(str(REPO_ROOT))
    from benchmarks import scenarios

    # A user's own 28x28 images in two classes, in MNIST's IDX format.
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(20, 28, 28), dtype=np.uint8)
    labels = np.repeat(np.arange(2, dtype=np.uint8), 10)
    write_idx(tmp_path / "t10k-images-idx3-ubyte", images)
    write_idx(tmp_path / "t10k-labels-idx1-ubyte", labels)
    split = scenarios.general_split(scenarios.IDX_PREFIX + str(tmp_path))
    assert (split.image_shape, split.latent_dim) == ((28, 28), 20)
    assert len(split.X_train) == 12 and len(split.X_test) == 8  # 60/40
    assert np.bincount(split.y_test).tolist() == [4, 4]  # stratified
    assert 0.0 <= split.X_test.min() and split.X_train.max() == 1.0
    # The rows are the folder's images, not MNIST's.
    flat = images.reshape(20, -1).astype(np.float32)
    assert any(np.allclose(split.X_train[0] * flat.max(), row) for row in flat)


def _write_table(path, n_rows=40, n_classes=2):
    rng = np.random.default_rng(0)
    y = np.arange(n_rows) % n_classes
    X = rng.normal(size=(n_rows, 3)) * [1, 10, 100] + y[:, None]
    table = np.column_stack([X, y])
    np.savetxt(path, table, delimiter=",", header="a,b,c,class", comments="")
    return X, y


def test_held_out_csv_table_is_split_and_standardised_as_a_table(monkeypatch, tmp_path):
    monkeypatch.syspath_prepend(str(REPO_ROOT))
    from benchmarks import scenarios

    X, y = _write_table(tmp_path / "table.csv")
    split = scenarios.general_split(scenarios.CSV_PREFIX + str(tmp_path / "table.csv"))
    assert (split.image_shape, split.latent_dim) == (None, scenarios.SMALL_LATENT_DIM)
    assert len(split.X_train) == 24 and len(split.X_test) == 16  # 60/40
    assert np.bincount(split.y_test).tolist() == [8, 8]  # stratified
    # Standardised on the train rows, whatever each column's scale.
    np.testing.assert_allclose(split.X_train.mean(0), 0, atol=1e-5)
    np.testing.assert_allclose(split.X_train.std(0), 1, atol=1e-5)


def test_losing_cells_report_the_best_figure_each_setting_reaches(
    monkeypatch, tmp_path, capsys
):
    monkeypatch.syspath_prepend(str(REPO_ROOT))
    from benchmarks import general_dev, losing_cells, scenarios

    _write_table(tmp_path / "table.csv")
    name = scenarios.CSV_PREFIX + str(tmp_path / "table.csv")
    # No training: each setting scores by a rule; the best peer is (0.9, 0.9).
    figures = {
        "{}": (0.95, 0.85),  # loses on 5-NN
        '{"weight": 0.5}': (0.92, 0.91),  # wins both
        '{"random_state": 1}': (0.97, 0.88),  # best triplet, still loses
    }
    fits = []

    def fit_and_score(estimator, params, split, image):
        fits.append((estimator, json.dumps(params)))
        return figures.get(json.dumps(params), (0.5, 0.5)), 0.0

    monkeypatch.setattr(general_dev, "fit_and_score", fit_and_score)
    monkeypatch.setattr(
        general_dev, "peer_scores", lambda split, seed, cache: {"raw": (0.9, 0.9)}
    )
    argv = ["--datasets", name, "--fractions", "1", "--estimators", "tvae"]
    argv += ["--settings", "weight=0.5,estimator seed 1,weight=0.05"]
    argv += ["--cache", str(tmp_path / "cache"), "--output", str(tmp_path / "r.md")]
    (row,) = losing_cells.main(argv)
    assert row["defaults"] == "0.950 / 0.850"
    assert row["best triplet"] == "0.970 (estimator seed 1)"
    assert row["best 5-NN"] == "0.910 (weight=0.5)"
    assert row["closest"] == "0.920 / 0.910 (weight=0.5)"
    assert row["won_by"] == ["weight=0.5"]
    report = (tmp_path / "r.md").read_text()
    assert "1 of 1 cells lose" in report
    assert '- weight=0.5: `{"weight": 0.5}`' in report  # the settings' legend
    assert len(fits) == 4
    # A rerun reads every fit from the cache.
    losing_cells.main(argv)
    assert len(fits) == 4
    with pytest.raises(SystemExit):
        losing_cells.main([*argv[:-6], "--settings", "no such setting"])
    assert "unknown ['no such setting']" in capsys.readouterr().err


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
    assert len(report["checks"]) == 6
    assert all(row["pickle_same"] for row in report["checks"])
    assert {row["mode"] for row in report["checks"]} == {"vector", "image", "sparse"}
    # The sparse rows' model transforms their dense copy alike (in another
    # process, on the CPU).
    sparse = [row for row in report["checks"] if row["mode"] == "sparse"]
    assert all(row["cpu_load_relative_difference"] < 1e-5 for row in sparse)
    # A fit's time splits into its passes and the work outside them.
    for row in report["throughput"]:
        assert 0 <= row["outside_epochs_seconds"] < row["fit_seconds"]
        assert row["epoch_rows_per_second"] >= row["fit_rows_per_second"]
    throughput = {(row["mode"], row["mixed_precision"]) for row in report["throughput"]}
    assert throughput == {
        (mode, precision)
        for mode in ("vector", "image")
        for precision in ("no", "bf16")
    }


def test_selection_benchmark_writes_its_tables(monkeypatch, tmp_path):
    monkeypatch.syspath_prepend(str(REPO_ROOT))
    from benchmarks import selection

    output = tmp_path / "S.md"
    arguments = ["--epochs", "1", "--seeds", "0", "1", "--fractions", "0.1"]
    arguments += ["--weights", "0.05", "0.2", "0.9", "--latent-dims", "2"]
    lines = selection.main([*arguments, "--output", str(output)])
    text = output.read_text()
    assert text.startswith("# Model selection with few labels")
    assert "SemiSupervisedKFold(3, random_state=CV seed)" in text
    rows = [line for line in lines if line.startswith("| 10% | 109 |")]
    assert [row.split("|")[3].strip() for row in rows] == ["score", "knn"] * 2
    for row in rows:
        rho, regret = (float(cell) for cell in row.split("|")[5:7])
        assert -1 <= rho <= 1 and 0 <= regret <= 1
        low, high = map(float, row.split("|")[7].split("-"))
        # Scored against the fit's labelled rows: no fold scores 0 or NaN.
        assert 0 < low <= high <= 1
    # One row per candidate, best test 5-NN first, with both scorings' means.
    candidates = [line for line in lines if line.startswith("| 10% | weight ")]
    assert len(candidates) == 3
    truths = [float(row.split("|")[3]) for row in candidates]
    assert truths == sorted(truths, reverse=True)
    assert all("score " in row and "knn " in row for row in candidates)
    # Digits at 10%: 10 or 11 labels a class, 3 or 4 in a validation fold.
    summary = [line for line in lines if line.startswith("| 10% | 10-11 | 3-4 |")]
    assert [row.split("|")[4].strip() for row in summary] == ["score", "knn"]
    for row in summary:
        spread = float(row.split("|")[5])
        assert 0 < spread < 0.2  # two CV seeds split differently


def test_selection_on_mnist_uses_its_grid_and_fractions(monkeypatch, tmp_path):
    monkeypatch.syspath_prepend(str(REPO_ROOT))
    from dataclasses import replace

    from benchmarks import selection

    # The MNIST protocol's wiring, on digits rows for speed.
    mnist = replace(selection.PROTOCOLS["mnist"], load=selection._digits)
    monkeypatch.setitem(selection.PROTOCOLS, "mnist", mnist)
    arguments = ["--dataset", "mnist", "--epochs", "1", "--seeds", "0"]
    arguments += ["--weights", "0.2", "--output", str(tmp_path / "M.md")]
    lines = selection.main(arguments)
    assert "latent_dim {2, 20}" in lines[8] and lines[8].startswith("MNIST 10k")
    assert "--dataset mnist" in lines[2]
    first_cells = {line.split("|")[1].strip() for line in lines if line[:2] == "| "}
    assert {cell for cell in first_cells if cell.endswith("%")} == {"10%", "2%"}


def test_selection_spread_and_labels_per_class(monkeypatch):
    monkeypatch.syspath_prepend(str(REPO_ROOT))
    import numpy as np

    from benchmarks.selection import labels_per_class, spread_across_seeds

    seeds = [{"a": 0.5, "b": 0.9}, {"a": 0.7, "b": 0.9}]
    # std of a's scores (ddof=1) is 0.1414, of b's 0: mean 0.0707.
    assert spread_across_seeds(seeds) == pytest.approx(0.1 / 2**0.5)
    assert np.isnan(spread_across_seeds(seeds[:1]))
    nan_a = [{"a": np.nan, "b": 0.8}, {"a": 0.7, "b": 1.0}]
    assert spread_across_seeds(nan_a) == pytest.approx(0.2 / 2**0.5)
    # Class 0: 6 labels (2 a fold); class 1: 2 labels, missing from a fold.
    y = np.array([0] * 6 + [1] * 2 + [-1] * 10)
    assert labels_per_class(y, seeds=[0, 1]) == ((2, 6), (0, 2))


def test_selection_agreement_is_rank_correlation_and_regret(monkeypatch):
    monkeypatch.syspath_prepend(str(REPO_ROOT))
    from benchmarks.selection import agreement

    quality = {"a": 0.9, "b": 0.8, "c": 0.7}
    assert agreement({"a": 3, "b": 2, "c": 1}, quality) == (1.0, 0.0)
    rho, regret = agreement({"a": 1, "b": 2, "c": 3}, quality)
    assert rho == -1.0 and regret == pytest.approx(0.2)


def test_weight_zero_benchmark_prints_one_row_per_data_set(capsys):
    from benchmarks import weight_zero

    weight_zero.main(["--datasets", "iris", "--seeds", "0"])
    rows = capsys.readouterr().out.strip().splitlines()
    assert rows[0].split("|")[2:-1] == [
        f" {name} " for name in ["raw", "pca", *weight_zero.VARIANTS]
    ]
    cells = rows[2].split("|")[2:-1]
    assert len(cells) == 2 + len(weight_zero.VARIANTS)
    assert all(0.0 <= float(cell) <= 1.0 for cell in cells)


def test_large_benchmark_tiles_shifted_copies_into_a_memmap(tmp_path):
    import numpy as np

    from benchmarks import large, scenarios

    rng = np.random.default_rng(0)
    images = rng.random((5, large.SIDE * large.SIDE)).astype(np.float32)
    split = scenarios.Split("toy", images, np.arange(5), images, np.arange(5))
    path = tmp_path / "rows.npy"
    y = large.write_tiled(split, 40, path)
    X = np.load(path, mmap_mode="r")
    assert X.shape == (40, large.SIDE * large.SIDE) and X.dtype == np.float32
    # The first copies are the rows themselves; every other copy is its
    # source row moved by at most MAX_SHIFT pixels, with zeros filled in.
    np.testing.assert_array_equal(X[:5], images)
    for row, label in zip(X[5:], y[5:]):
        moved = [
            large.shifted_copies(images[label][None], np.array([[dy, dx]]))[0]
            for dy in range(-large.MAX_SHIFT, large.MAX_SHIFT + 1)
            for dx in range(-large.MAX_SHIFT, large.MAX_SHIFT + 1)
        ]
        assert any(np.array_equal(row, m) for m in moved)


def test_profile_fit_parts_add_up_to_the_fit(monkeypatch, capsys):
    monkeypatch.syspath_prepend(str(REPO_ROOT))
    from benchmarks import profile_fit, scenarios

    if not scenarios.MNIST_DIR.exists():
        pytest.skip("MNIST files not found")
    monkeypatch.setattr(
        profile_fit, "mnist_split", lambda: scenarios.mnist_split(quick=True)
    )
    seconds = profile_fit.main(
        ['{"max_epochs": 3, "hidden_layer_sizes": [32]}', "0.01", "tvae"]
    )
    parts = {k: v for k, v in seconds.items() if k != "fit"}
    # Every part of a step ran (3 epochs refresh the pseudo-labels once) ...
    for part in (
        "neighbour table",
        "encoder forward",
        "decoder forward",
        "objective",
        "mining",
        "backward",
        "optimiser step",
        "pseudo-label refresh",
        "batch plans",
        "row reads",
    ):
        assert parts[part] > 0, part
    # ... and, each counted once, they add up to the whole fit.
    assert all(value >= 0 for value in parts.values()), parts
    assert sum(parts.values()) == pytest.approx(seconds["fit"])
    # The patched functions are restored.
    from sk_metricembed._training import objective

    assert not hasattr(objective.Objective.forward, "__wrapped__")
    assert "| whole fit |" in capsys.readouterr().out


def _small_digits_split(quick=False):
    """A 400 / 300-row digits split in the shape of ``scenarios.mnist_split``."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    from benchmarks.scenarios import Split

    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        (X / 16.0).astype("float32"),
        y,
        train_size=400,
        test_size=300,
        stratify=y,
        random_state=0,
    )
    return Split(
        "digits", X_train, y_train, X_test, y_test, latent_dim=4, image_shape=(8, 8)
    )


def test_reproductions_print_each_sources_table_and_write_its_figures(
    monkeypatch, tmp_path, capsys
):
    monkeypatch.syspath_prepend(str(REPO_ROOT))
    from benchmarks import reproductions, scenarios

    monkeypatch.setattr(scenarios, "mnist_split", _small_digits_split)
    reproductions.main(["--quick", "--out", str(tmp_path)])
    output = capsys.readouterr().out
    for experiment in reproductions.EXPERIMENTS:
        assert f"## {experiment} (" in output
    figures = {path.name for path in tmp_path.glob("*.png")}
    assert figures == {"tvae_tsne.png", "arkwave_sweep.png", "friends_networks.png"}
    # Every system's row is scored, no blank cell; the sources' own rows
    # (their published figures) are the only ones with blanks.
    rows = [line for line in output.splitlines() if line.startswith("| ")]
    sources = ("| VAE, the paper's Table", "| TVAE, the paper's Table", "| Hoffer")
    assert sum(row.startswith(sources) for row in rows) == 3
    scored = [row for row in rows if "---" not in row and not row.startswith(sources)]
    # Headers + systems: tvae 1 + 6, arkwave 1 + 4, friends 1 + 4, hoffer 1 + 4.
    assert len(scored) == 7 + 5 + 5 + 5
    for row in scored:
        assert all(cell.strip() for cell in row.strip("|").split("|")), row
    arkwave = [row for row in rows if row.startswith(("| pairwise", "| triplet,"))]
    assert len(arkwave) == 4
    for row in arkwave:
        for cell in row.strip("|").split("|")[1:]:
            knn, triplets = (float(value) for value in cell.split("/"))
            assert 0 <= knn <= 1 and 0 <= triplets <= 1


def test_reproductions_helpers(monkeypatch):
    monkeypatch.syspath_prepend(str(REPO_ROOT))
    import numpy as np

    from benchmarks import reproductions

    # Eq. 2's proportions: weight / (1 - weight) = 1 / n_features.
    weight = reproductions.eq2_weight(784)
    assert weight / (1 - weight) == pytest.approx(1 / 784)
    y = np.repeat(np.arange(3), 20)
    y_semi = reproductions.hundred_labels(y, per_class=4, seed=0)
    assert np.bincount(y_semi[y_semi >= 0]).tolist() == [4, 4, 4]
    assert np.array_equal(y_semi[y_semi >= 0], y[y_semi >= 0])
    # Two exemplars at 0 and 10: a test row at 4 is class 0, one at 6 class 1.
    Z_train = np.array([[0.0], [0.0], [10.0], [10.0]])
    labels = np.array([0, -1, 1, 1])
    Z_test, y_test = np.array([[4.0], [6.0]]), np.array([0, 0])
    assert reproductions.exemplar_error(Z_train, labels, Z_test, y_test) == 0.5
    assert reproductions.one_nn_error(Z_train, labels, Z_test, y_test) == 0.5


def test_paired_anchor_shares_give_the_exact_triplet_accuracy(monkeypatch):
    monkeypatch.syspath_prepend(str(REPO_ROOT))
    from benchmarks import paired
    from sk_metricembed.metrics import triplet_accuracy_score

    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, 90)
    Z = rng.normal(size=(90, 3)) + y[:, None]
    shares, counts = paired.anchor_shares(Z, y)
    exact = triplet_accuracy_score(Z, y, n_triplets=None)
    assert np.sum(shares * counts) / np.sum(counts) == pytest.approx(exact)
    # A row alone in its class anchors nothing.
    shares, counts = paired.anchor_shares(Z[:4], np.array([0, 0, 1, 2]))
    assert counts.tolist() == [2, 2, 0, 0]


def test_paired_interval_tells_a_clear_loss_from_a_tie(monkeypatch):
    monkeypatch.syspath_prepend(str(REPO_ROOT))
    from benchmarks import paired

    n = 200
    draws = np.random.default_rng(0).integers(n, size=(1000, n))
    counts = np.ones(n)
    peer = {"knn": np.ones(n), "shares": np.full(n, 0.9), "counts": counts}
    # Every row worse on triplets; two rows of 200 worse on 5-NN.
    ours = {"knn": np.r_[np.zeros(2), np.ones(n - 2)], "shares": np.full(n, 0.8)}
    ours["counts"] = counts
    result = paired.difference_interval(ours, peer, draws)
    difference, low, high = result["triplet"]
    assert difference == pytest.approx(-0.1) and high < 0
    difference, low, high = result["5-NN"]
    assert difference == pytest.approx(-0.01) and low < difference and high == 0


def test_paired_reports_only_losing_cells(monkeypatch, tmp_path, capsys):
    monkeypatch.syspath_prepend(str(REPO_ROOT))
    from benchmarks import general_dev, paired, scenarios

    _write_table(tmp_path / "table.csv")
    name = scenarios.CSV_PREFIX + str(tmp_path / "table.csv")

    def fit_embedder(estimator, params, split, image):
        # tvae: the raw rows (ties raw features); siamese: noise (loses).
        if estimator == "tvae":
            return split.X_train, split.X_test, 0.0
        rng = np.random.default_rng(1)
        return (
            rng.normal(size=split.X_train.shape),
            rng.normal(size=split.X_test.shape),
            0.0,
        )

    monkeypatch.setattr(general_dev, "fit_embedder", fit_embedder)
    monkeypatch.setattr(general_dev.peers, "GENERAL_PEERS", ("raw", "pca"))
    argv = ["--datasets", name, "--fractions", "1", "--resamples", "200"]
    summary = paired.main(argv)
    out = capsys.readouterr().out
    assert summary["cells"] == 2 and summary["lost"] == 1
    assert "siamese" in out and " tvae:" not in out
    assert "1 of 2 cells lose" in out


def test_baseline_search_rules_read_the_folds_spread(monkeypatch):
    monkeypatch.syspath_prepend(str(REPO_ROOT))
    from benchmarks.baseline_search import RULES

    # The embedder leads by less than a standard error of its own.
    mean, std = np.array([0.90, 0.88, 0.86]), np.array([0.03, 0.01, 0.01])
    picks = {rule: pick(mean, std) for rule, pick in RULES.items()}
    assert picks == {
        "best mean": 0,
        "one standard error, simplest": 1,  # PCA, within 0.03 of the best
        "defaults unless beaten by a standard error": 0,
    }
    # The features lead by more than the embedder's spread.
    mean, std = np.array([0.80, 0.82, 0.90]), np.array([0.05, 0.02, 0.02])
    picks = {rule: pick(mean, std) for rule, pick in RULES.items()}
    assert set(picks.values()) == {2}


def test_baseline_search_counts_the_picks_below_the_baselines(
    monkeypatch, tmp_path, capsys
):
    monkeypatch.syspath_prepend(str(REPO_ROOT))
    from sklearn.random_projection import GaussianRandomProjection

    from benchmarks import baseline_search, general_dev, scenarios
    from sk_metricembed.model_selection import BaselineEmbedder

    _write_table(tmp_path / "table.csv", n_rows=90)
    name = scenarios.CSV_PREFIX + str(tmp_path / "table.csv")
    # No training: a random projection to one column stands for the embedder.
    monkeypatch.setattr(
        baseline_search,
        "candidates",
        lambda estimator, split: [
            BaselineEmbedder(GaussianRandomProjection(1, random_state=0)),
            BaselineEmbedder(baseline_search.PCA(2)),
            BaselineEmbedder(),
        ],
    )
    monkeypatch.setattr(
        general_dev, "peer_scores", lambda split, seed, cache: {"raw": (0.9, 0.9)}
    )
    argv = ["--datasets", name, "--fractions", "0.2,1", "--estimators", "tvae"]
    summary = baseline_search.main(argv)
    out = capsys.readouterr().out
    assert summary["cells"] == 2
    # Recount from the printed scores and picks: the summary must agree.
    pattern = (
        r"(\w+) defaults ([\d.]+), PCA ([\d.]+), features ([\d.]+), picks ([\w/]+);"
    )
    found = re.findall(pattern, out)
    assert len(found) == 4  # two cells, two metrics
    expected = dict.fromkeys(summary["below baseline"], 0)
    for metric, *scores, picks in found:
        default, pca, features = map(float, scores)
        expected[None, metric] += default < max(pca, features)
        by_name = {"defaults": default, "PCA": pca, "features": features}
        for rule, pick in zip(baseline_search.RULES, picks.split("/")):
            expected[rule, metric] += by_name[pick] < max(pca, features)
    assert summary["below baseline"] == expected
    # A one-column random projection orders the triplets below PCA's two.
    assert expected[None, "triplet"] >= 1


def test_label_ceiling_marks_peers_no_full_label_embedding_reaches(
    monkeypatch, tmp_path, capsys
):
    monkeypatch.syspath_prepend(str(REPO_ROOT))
    from benchmarks import general_dev, label_ceiling, scenarios

    assert label_ceiling.out_of_reach((0.9, 0.8), {"a": (0.85, 0.9)}) == [True, False]
    assert (
        label_ceiling.out_of_reach((0.9, 0.8), {"a": (0.85, 0.7), "b": (0.95, 0.7)})[0]
        is False
    )
    _write_table(tmp_path / "table.csv", n_rows=90)
    name = scenarios.CSV_PREFIX + str(tmp_path / "table.csv")
    # No training: the package's ceilings are stood in for by a score each.
    monkeypatch.setattr(
        general_dev,
        "fit_and_score",
        lambda estimator, params, split, image: ((0.0, 0.0), 0.0),
    )
    monkeypatch.setattr(
        label_ceiling.peers, "unavailable", lambda requirement: "absent"
    )
    monkeypatch.setattr(
        general_dev, "peer_scores", lambda split, seed, cache: {"raw": (1.01, 0.0)}
    )
    counts = label_ceiling.main(["--datasets", name, "--fractions", "0.2,1"])
    out = capsys.readouterr().out
    # A triplet accuracy above 1 is beyond every ceiling; a 5-NN of 0 is not.
    assert counts == {"triplet": 2, "5-NN": 0, "pairs": 4}
    assert "lda (every label)" in out and "nca (every label)" in out
    assert "umap (every label)" not in out
    assert "2 of 4 (fraction, metric) pairs" in out


def test_label_ceiling_lda_is_at_most_one_dimension_below_the_classes(monkeypatch):
    monkeypatch.syspath_prepend(str(REPO_ROOT))
    from benchmarks.label_ceiling import lda

    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(60, 5)), np.repeat([0, 1, 2], 20)
    Z_train, Z_test = lda(X, y, X[:7], latent_dim=8)
    assert Z_train.shape == (60, 2) and Z_test.shape == (7, 2)
    Z_train, _ = lda(X, y, X, latent_dim=1)
    assert Z_train.shape == (60, 1)
