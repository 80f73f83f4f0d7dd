"""The sk-metricembed command line: the grid run, its outputs, data files, errors."""

import csv
import gzip
import subprocess
import sys

import numpy as np
import pytest
from sklearn.datasets import load_digits

from sk_metricembed.cli import main

COLUMNS = ["weight", "latent_dim", "triplet_accuracy", "knn_accuracy", "fit_seconds"]
FAST = ["--epochs", "1", "--seed", "0"]


def _table(text):
    lines = [line.split() for line in text.strip().splitlines()]
    return lines[0], lines[1:]


def test_run_prints_table_and_writes_csv_and_pngs(tmp_path, capsys):
    out = tmp_path / "out"
    status = main(
        ["run", "--weights", "0", "0.9", "--latent-dims", "2", "3"]
        + FAST
        + ["--output", str(out)]
    )
    assert status == 0
    captured = capsys.readouterr()
    header, rows = _table(captured.out)
    assert header == COLUMNS
    assert [(row[0], row[1]) for row in rows] == [
        ("0", "2"),
        ("0.9", "2"),
        ("0", "3"),
        ("0.9", "3"),
    ]
    for row in rows:
        assert 0 <= float(row[2]) <= 1 and 0 <= float(row[3]) <= 1
    # Progress goes to stderr, one line per fit off a terminal.
    assert captured.err.count("latent_dim=") == 4
    with open(out / "results.csv") as handle:
        records = list(csv.DictReader(handle))
    assert list(records[0]) == COLUMNS and len(records) == 4
    pngs = sorted(path.name for path in out.glob("*.png"))
    assert pngs == [
        "embedding_weight-0.9_latent-2.png",
        "embedding_weight-0.9_latent-3.png",
        "embedding_weight-0_latent-2.png",
        "embedding_weight-0_latent-3.png",
        "embeddings.png",
    ]
    for name in pngs:
        data = (out / name).read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 10_000


def test_pairwise_deterministic_hog_quiet_without_plots(tmp_path, capsys):
    args = ["run", "--constraint", "pairwise", "--deterministic", "--features", "hog"]
    args += ["--weights", "0.5", "--latent-dims", "2", "--no-plots", "--quiet"]
    assert main(args + FAST + ["--output", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    _, rows = _table(captured.out)
    assert len(rows) == 1
    assert captured.err == ""
    assert not list(tmp_path.glob("*.png"))
    assert (tmp_path / "results.csv").exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--weights", "1.5"], "--weights must lie in [0, 1]"),
        (["--label-fraction", "0"], "--label-fraction must be in (0, 1]"),
        (["--latent-dims", "0"], "--latent-dims must be >= 1"),
        (["--epochs", "0"], "--epochs must be >= 1"),
        (["--margin", "-1"], "--margin must be >= 0"),
        (["--constraint", "quadruplet"], "invalid choice: 'quadruplet'"),
        (["--epochs", "two"], "invalid int value: 'two'"),
        (["--device", "tpu"], "--device"),
        (["--variational", "--deterministic"], "not allowed with argument"),
    ],
)
def test_bad_arguments_exit_2_with_message(tmp_path, capsys, args, message):
    with pytest.raises(SystemExit) as exit_info:
        main(["run", *args, "--output", str(tmp_path / "out")])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "sk-metricembed run: error:" in err and message in err
    assert not (tmp_path / "out").exists()


def test_unreadable_files_exit_2(tmp_path, capsys):
    garbage = tmp_path / "garbage.npz"
    garbage.write_bytes(b"not a zip file")
    wrong_keys = tmp_path / "wrong.npz"
    np.savez(wrong_keys, data=np.zeros((4, 2)))
    no_target = tmp_path / "table.csv"
    no_target.write_text("a,b,label\n1,2,x\n")
    text_cell = tmp_path / "text.csv"
    text_cell.write_text("a,target\nhello,1\n")
    cases = [
        (tmp_path / "missing.npz", "No such file"),
        (garbage, "cannot read --data"),
        (wrong_keys, "needs arrays X and y"),
        (no_target, "no column 'target' (set --target)"),
        (text_cell, "line 2"),
        (tmp_path, "no *images*idx3* file"),
        (tmp_path / "data.txt", "expected a .npz, a .csv"),
    ]
    (tmp_path / "data.txt").write_text("1 2 3")
    for path, message in cases:
        with pytest.raises(SystemExit) as exit_info:
            main(["run", "--data", str(path), "--output", str(tmp_path / "out")])
        assert exit_info.value.code == 2, path
        err = capsys.readouterr().err
        assert f"cannot read --data {path}" in err and message in err, err


def test_hog_on_non_images_exits_2(tmp_path, capsys):
    path = tmp_path / "tabular.npz"
    rng = np.random.default_rng(0)
    np.savez(path, X=rng.normal(size=(40, 5)), y=np.repeat([0, 1], 20))
    with pytest.raises(SystemExit) as exit_info:
        main(["run", "--data", str(path), "--features", "hog"])
    assert exit_info.value.code == 2
    assert "--features hog needs images" in capsys.readouterr().err


def _digits(n=200):
    X, y = load_digits(return_X_y=True)
    return X[:n], y[:n]


def _run_on(path, tmp_path, capsys, *extra):
    args = ["run", "--data", str(path), "--weights", "0.9", "--latent-dims", "2"]
    args += ["--no-plots", "--quiet", "--label-fraction", "0.5", *extra]
    assert main(args + FAST + ["--output", str(tmp_path / "out")]) == 0
    header, rows = _table(capsys.readouterr().out)
    assert header == COLUMNS and len(rows) == 1
    return rows[0]


def test_reads_npz_of_images_with_hog(tmp_path, capsys):
    X, y = _digits()
    path = tmp_path / "digits.npz"
    np.savez(path, X=X.reshape(-1, 8, 8), y=y)
    _run_on(path, tmp_path, capsys, "--features", "hog")


def test_reads_csv_with_named_string_labels(tmp_path, capsys):
    X, y = _digits()
    path = tmp_path / "digits.csv"
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([f"pixel{i}" for i in range(64)] + ["digit"])
        for row, label in zip(X, y):
            writer.writerow([*row, f"class-{label}"])
    _run_on(path, tmp_path, capsys, "--target", "digit")


def _write_idx(path, array):
    codes = {np.dtype(np.uint8): 0x08}
    header = bytes([0, 0, codes[array.dtype], array.ndim])
    header += b"".join(int(n).to_bytes(4, "big") for n in array.shape)
    with gzip.open(path, "wb") as handle:
        handle.write(header + array.tobytes())


def test_reads_folder_of_idx_files(tmp_path, capsys):
    X, y = _digits()
    folder = tmp_path / "tiny-mnist"
    folder.mkdir()
    images = (X.reshape(-1, 8, 8) * 255 / 16).astype(np.uint8)
    _write_idx(folder / "t10k-images-idx3-ubyte.gz", images)
    _write_idx(folder / "t10k-labels-idx1-ubyte.gz", y.astype(np.uint8))
    _run_on(folder, tmp_path, capsys)
    # An images file can be named directly; its labels are found beside it.
    _run_on(folder / "t10k-images-idx3-ubyte.gz", tmp_path, capsys)


def test_python_dash_m_exits_2_on_bad_argument():
    result = subprocess.run(
        [sys.executable, "-m", "sk_metricembed", "run", "--weights", "7"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "--weights must lie in [0, 1], got [7.0]" in result.stderr
    assert result.stdout == ""


def test_no_command_prints_help(capsys):
    assert main([]) == 0
    assert "run" in capsys.readouterr().out


@pytest.mark.slow
def test_default_run_fits_the_whole_grid(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["run"]) == 0
    header, rows = _table(capsys.readouterr().out)
    assert header == COLUMNS and len(rows) == 6
    assert (tmp_path / "sk-metricembed-out" / "embeddings.png").stat().st_size > 0
