"""The sk-metricembed command line: the grid run, its outputs, data files, errors,
the options handed to the embedder, saved fits, composite classes, CIFAR-10."""

import csv
import pickle
import subprocess
import sys

import joblib
import numpy as np
import pytest
from sklearn.datasets import load_digits

from sk_metricembed import TripletVAEEmbedder
from sk_metricembed.cli import main

COLUMNS = ["weight", "latent_dim", "triplet_accuracy", "knn_accuracy", "fit_seconds"]
FAST = ["--epochs", "1", "--seed", "0"]


def _table(text, which=0):
    """The header and rows of the fits' table (0) or the baselines' (1)."""
    block = text.strip().split("\n\n")[which]
    lines = [line.split() for line in block.splitlines()]
    if which == 1:
        lines = lines[1:]  # the line that introduces the baselines
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


def test_run_scores_pca_and_the_features_on_the_same_rows(tmp_path, capsys):
    args = ["run", "--weights", "0.5", "--latent-dims", "2", "80", "--no-plots"]
    assert main(args + FAST + ["--output", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "On the same held-out rows, without training:" in out
    header, rows = _table(out, which=1)
    assert header == ["baseline", "dimensions", "triplet_accuracy", "knn_accuracy"]
    # digits: PCA at 2 dimensions, at most the 64 features, then the features.
    assert [row[:2] for row in rows] == [
        ["PCA", "2"],
        ["PCA", "64"],
        ["features", "64"],
    ]
    with open(tmp_path / "baselines.csv") as handle:
        records = list(csv.DictReader(handle))
    # Two principal components keep fewer of the digits' neighbours than
    # the 64 pixels do.
    assert 0.9 < float(records[-1]["knn_accuracy"]) <= 1.0
    assert float(records[0]["knn_accuracy"]) < float(records[-1]["knn_accuracy"])

    main(args + FAST + ["--output", str(tmp_path / "none"), "--no-baselines"])
    assert "without training" not in capsys.readouterr().out
    assert not (tmp_path / "none" / "baselines.csv").exists()


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
        (
            ["--weights", "1.5"],
            "--weights 1.5: The 'weight' parameter of TripletVAEEmbedder must be "
            "a str among {'auto'} or a float in the range [0.0, 1.0]. Got 1.5 "
            "instead.",
        ),
        (["--label-fraction", "0"], "--label-fraction must be in (0, 1]"),
        (["--latent-dims", "0"], "--latent-dims 0: The 'latent_dim' parameter"),
        (["--epochs", "0"], "--epochs 0: The 'max_epochs' parameter"),
        (["--margin", "-1"], "--margin -1.0: The 'margin' parameter"),
        (["--constraint", "quadruplet"], "invalid choice: 'quadruplet'"),
        (["--epochs", "two"], "invalid int value: 'two'"),
        (["--device", "tpu"], "--device"),
        (["--variational", "--deterministic"], "not allowed with argument"),
        (
            ["--loss", "contrastive"],
            "--loss contrastive: The 'metric_loss' parameter of TripletVAEEmbedder "
            "must be a str among",
        ),
        (
            ["--constraint", "pairwise", "--loss", "triplet"],
            "--loss triplet: The 'metric_loss' parameter of SiameseAutoencoderEmbedder",
        ),
        (["--lr", "0"], "--lr 0.0: The 'lr' parameter"),
        (["--dropout", "1"], "--dropout 1.0: The 'dropout' parameter"),
        (["--classifier-weight", "-1"], "--classifier-weight -1.0: The 'classif"),
        (["--batch-size", "0"], "--batch-size 0: The 'batch_size' parameter"),
        (
            ["--mixed-precision", "fp16"],
            "--mixed-precision fp16: The 'mixed_precision' parameter",
        ),
        (
            ["--weights", "1", "--loss", "none"],
            "cannot fit weight=1, latent_dim=2: weight=1 with metric_loss='none' "
            "leaves no term to train",
        ),
        (
            ["--weights", "1", "--label-fraction", "0.005"],
            "cannot fit weight=1, latent_dim=2: weight=1 trains the label terms "
            "and the explicit constraints alone (no reconstruction)",
        ),
        (["--merge-classes", "3,,5"], "expected groups of classes such as"),
        (["--merge-classes", "3,5;5,8"], "--merge-classes: groups=[[3, 5], [5, 8]]"),
        (["--merge-classes", "3,eleven"], "--merge-classes: no class 'eleven'"),
        (
            ["--save-embeddings", "embedding.txt"],
            "--save-embeddings embedding.txt: the file must end in .npz or .csv",
        ),
        (["--save-embeddings", "embedding"], "got no extension"),
        (["--animation", "latent.png"], "the file must end in .gif or .mp4"),
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
        (text_cell, "line 2: column 'a' holds 'hello', not a number"),
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
        # A file's problem is not the options': no usage block above it.
        assert "usage:" not in err


def test_a_missing_value_names_its_column(tmp_path, capsys):
    path = tmp_path / "gaps.csv"
    path.write_text("width,height,target\n1,2,a\n3,,b\n")
    with pytest.raises(SystemExit):
        main(["run", "--data", str(path)])
    assert "line 3: column 'height' is empty (a missing value)" in (
        capsys.readouterr().err
    )


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


def test_unlabelled_rows_of_a_csv_train_and_are_never_scored(tmp_path, capsys):
    # Blank and -1 labels are unlabelled rows, as the estimators read them:
    # they join the training rows without a label and no class is made of
    # them; the held-out rows are drawn from the labelled ones.
    from sk_metricembed._cli.data import (
        merge_labelled_classes,
        read_data,
        split_and_hide_labels,
    )

    X, y = _digits()
    labels = np.array([f"class-{label}" for label in y], dtype=object)
    labels[::3], labels[1::7] = "", "-1"
    path = tmp_path / "partly.csv"
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([f"pixel{i}" for i in range(64)] + ["digit"])
        for row, label in zip(X, labels):
            writer.writerow([*row, label])
    data = read_data(path, "digit")
    unlabelled = np.isin(labels, ["", "-1"])
    assert data.class_names == sorted(set(labels[~unlabelled]))
    np.testing.assert_array_equal(data.y < 0, unlabelled)
    split = split_and_hide_labels(data, 0.3, 1.0, seed=0)
    assert (split.y_test >= 0).all() and not unlabelled[split.test_index].any()
    assert (split.y_train < 0).sum() == unlabelled.sum()
    assert len(split.y_train) + len(split.y_test) == len(y)
    merge_labelled_classes(data, [["class-3", "class-5"]])
    np.testing.assert_array_equal(data.y < 0, unlabelled)
    assert "class-3+class-5" in data.class_names
    _run_on(path, tmp_path, capsys, "--target", "digit")


def test_reads_folder_of_idx_files(tmp_path, capsys, write_idx):
    X, y = _digits()
    folder = tmp_path / "tiny-mnist"
    folder.mkdir()
    images = (X.reshape(-1, 8, 8) * 255 / 16).astype(np.uint8)
    write_idx(folder / "t10k-images-idx3-ubyte.gz", images)
    write_idx(folder / "t10k-labels-idx1-ubyte.gz", y.astype(np.uint8))
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
    assert "--weights 7.0: The 'weight' parameter" in result.stderr
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


# -- the embedder's parameters -------------------------------------------------
PASSED = {
    "metric_loss": ("--loss", "softmax_ratio"),
    "margin": ("--margin", 0.5),
    "classifier_weight": ("--classifier-weight", 0.25),
    "lr": ("--lr", 0.01),
    "dropout": ("--dropout", 0.1),
    "batch_size": ("--batch-size", 64),
    "mixed_precision": ("--mixed-precision", "no"),
}


def _images_npz(tmp_path, n=200):
    """Digits as 8x8 images: the command line only scales them by 16."""
    X, y = _digits(n)
    path = tmp_path / "digits.npz"
    np.savez(path, X=X.reshape(-1, 8, 8), y=y)
    return path, X.astype(np.float32) / 16.0, y


def test_options_reach_the_embedder_and_unset_ones_keep_its_defaults(tmp_path, capsys):
    data, _, _ = _images_npz(tmp_path)
    given = [str(part) for flag, value in PASSED.values() for part in (flag, value)]
    _run_on(data, tmp_path, capsys, *given, "--save-model", str(tmp_path / "a.joblib"))
    _run_on(data, tmp_path, capsys, "--save-model", str(tmp_path / "b.joblib"))
    with_options = joblib.load(tmp_path / "a.joblib").get_params()
    defaults = joblib.load(tmp_path / "b.joblib").get_params()
    for parameter, (_, value) in PASSED.items():
        assert with_options[parameter] == value, parameter
        assert defaults[parameter] == TripletVAEEmbedder().get_params()[parameter]
    assert with_options["max_epochs"] == 1 and with_options["latent_dim"] == 2


def test_help_shows_the_embedders_defaults_and_losses(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["run", "--help"])
    assert exit_info.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "pairwise: contrastive (default), bce, none;" in text
    assert "triplet: triplet (default), softmax_ratio, none)" in text
    assert f"learning rate (default: {TripletVAEEmbedder().lr})" in text
    assert f"(default: {TripletVAEEmbedder().batch_size})" in text


@pytest.mark.parametrize(
    "args",
    [
        ["--weights", "1", "--loss", "none", "--classifier-weight", "1"],
        ["--weights", "1", "--constraint", "pairwise", "--loss", "bce"],
    ],
    ids=["classification", "siamese_bce"],
)
def test_networks_of_the_friends_run(tmp_path, capsys, args):
    data, _, _ = _images_npz(tmp_path)
    path = tmp_path / "model.joblib"
    # The last --weights given wins over _run_on's.
    _run_on(data, tmp_path, capsys, *args, "--save-model", str(path))
    model = joblib.load(path)
    assert model.metric_loss == args[args.index("--loss") + 1]
    assert np.isfinite(model.net_.history[-1]["train_loss"])


# -- saving a fit --------------------------------------------------------------
def test_saved_model_embeds_the_saved_held_out_rows(tmp_path, capsys):
    data, X, y = _images_npz(tmp_path)
    model_path, embedding_path = tmp_path / "model.joblib", tmp_path / "held.npz"
    _run_on(
        data,
        tmp_path,
        capsys,
        "--save-model",
        str(model_path),
        "--save-embeddings",
        str(embedding_path),
    )
    with np.load(embedding_path) as saved:
        assert sorted(saved.files) == ["class_names", "embedding", "index", "y"]
        embedding, index = saved["embedding"], saved["index"]
        assert embedding.shape == (60, 2) and len(set(index.tolist())) == 60
        np.testing.assert_array_equal(saved["y"], y[index])
        assert saved["class_names"].tolist() == [str(d) for d in range(10)]
    model = joblib.load(model_path)
    assert isinstance(model, TripletVAEEmbedder)
    np.testing.assert_allclose(model.transform(X[index]), embedding, rtol=1e-5)


def test_a_saved_model_leaves_the_progress_bar_behind(tmp_path):
    from tqdm.auto import tqdm

    from sk_metricembed._cli.output import EpochTick

    # On a terminal the bar writes to a stream, which cannot be pickled.
    with open(tmp_path / "terminal", "w") as stream:
        bar = tqdm(total=2, file=stream, disable=False)
        tick = EpochTick(bar)
        restored = pickle.loads(pickle.dumps(tick))
        tick.on_epoch_end(net=None)
        bar.close()
    assert restored.bar is None and tick.bar is bar and bar.n == 1
    restored.on_epoch_end(net=None)  # a refit of the loaded model ticks nothing


def test_a_grid_saves_one_file_per_fit(tmp_path, capsys):
    data, _, y = _images_npz(tmp_path)
    args = ["run", "--data", str(data), "--weights", "0", "0.9", "--latent-dims", "3"]
    args += ["--no-plots", "--quiet", "--output", str(tmp_path / "out"), *FAST]
    args += ["--save-embeddings", str(tmp_path / "csv" / "held.csv")]
    args += ["--save-model", str(tmp_path / "models" / "model.joblib")]
    assert main(args) == 0
    capsys.readouterr()
    assert sorted(p.name for p in (tmp_path / "models").iterdir()) == [
        "model_weight-0.9_latent-3.joblib",
        "model_weight-0_latent-3.joblib",
    ]
    files = sorted((tmp_path / "csv").iterdir())
    assert [p.name for p in files] == [
        "held_weight-0.9_latent-3.csv",
        "held_weight-0_latent-3.csv",
    ]
    with open(files[0]) as handle:
        records = list(csv.DictReader(handle))
    assert list(records[0]) == ["z0", "z1", "z2", "y", "label", "index"]
    assert len(records) == 60
    for record in records:
        assert int(record["y"]) == y[int(record["index"])]
        assert record["label"] == record["y"]  # digits are named by their number
        assert np.isfinite([float(record[f"z{k}"]) for k in range(3)]).all()


def test_animation_writes_one_frame_per_epoch(tmp_path, capsys):
    image = pytest.importorskip("PIL.Image")
    data, _, _ = _images_npz(tmp_path)
    path = tmp_path / "latent.gif"
    args = ["run", "--data", str(data), "--weights", "0.9", "--latent-dims", "2"]
    args += ["--no-plots", "--quiet", "--epochs", "2", "--animation", str(path)]
    assert main(args + ["--output", str(tmp_path / "out")]) == 0
    capsys.readouterr()
    assert path.read_bytes().startswith(b"GIF8")
    with image.open(path) as gif:
        assert gif.n_frames == 3  # before training and after each epoch


# -- composite classes and CIFAR-10 --------------------------------------------
def test_merge_classes_joins_classes_before_the_split(tmp_path, capsys):
    data, _, y = _images_npz(tmp_path)
    path = tmp_path / "held.npz"
    _run_on(
        data,
        tmp_path,
        capsys,
        "--merge-classes",
        "3, 5,8;4,9",
        "--save-embeddings",
        str(path),
    )
    with np.load(path) as saved:
        names = saved["class_names"].tolist()
        assert names == ["0", "1", "2", "3+5+8", "4+9", "6", "7"]
        joined = {3: "3+5+8", 5: "3+5+8", 8: "3+5+8", 4: "4+9", 9: "4+9"}
        for label, index in zip(saved["y"].tolist(), saved["index"].tolist()):
            assert names[label] == joined.get(y[index], str(y[index]))


def _fake_cifar10(folder, n_per_class=10, n_classes=4):
    rng = np.random.RandomState(0)
    labels = np.repeat(np.arange(n_classes), n_per_class)
    planes = rng.randint(0, 256, size=(len(labels), 3, 32, 32)).astype(np.uint8)
    # Each class a colour of its own, so the classes can be told apart.
    planes[:, 0] //= (1 + labels[:, None, None]).astype(np.uint8)
    folder.mkdir()
    for name in ("test_batch", "data_batch_1"):
        batch = {b"data": planes.reshape(len(labels), -1), b"labels": labels.tolist()}
        with open(folder / name, "wb") as handle:
            pickle.dump(batch, handle, protocol=2)
    names = [b"airplane", b"automobile", b"bird", b"cat"]
    with open(folder / "batches.meta", "wb") as handle:
        pickle.dump({b"label_names": names}, handle, protocol=2)


def test_reads_cifar10_batches_by_file_and_by_folder(tmp_path, capsys):
    folder = tmp_path / "cifar-10-batches-py"
    _fake_cifar10(folder)
    path = tmp_path / "held.npz"
    _run_on(
        folder / "test_batch",
        tmp_path,
        capsys,
        "--merge-classes",
        "airplane,1",
        "--save-embeddings",
        str(path),
    )
    with np.load(path) as saved:
        assert saved["class_names"].tolist() == ["airplane+automobile", "bird", "cat"]
        assert len(saved["y"]) == 12 and saved["index"].max() < 40
    # A folder reads all its batches (here two); HOG works on colour images.
    _run_on(
        tmp_path, tmp_path, capsys, "--features", "hog", "--save-embeddings", str(path)
    )
    with np.load(path) as saved:
        assert len(saved["y"]) == 24 and saved["index"].max() >= 40
        assert saved["class_names"].tolist() == [
            "airplane",
            "automobile",
            "bird",
            "cat",
        ]


def test_a_broken_cifar10_batch_exits_2(tmp_path, capsys):
    (tmp_path / "test_batch").write_bytes(b"not a pickle")
    with pytest.raises(SystemExit) as exit_info:
        main(["run", "--data", str(tmp_path / "test_batch")])
    assert exit_info.value.code == 2
    assert "is not a CIFAR-10 batch" in capsys.readouterr().err


# -- pretrained features ---------------------------------------------------------
def test_imagenet_input_puts_channels_first_and_normalises():
    import torch

    from sk_metricembed._cli.features import IMAGENET_MEAN, IMAGENET_STD, ImageNetInput

    mean, std = np.array(IMAGENET_MEAN), np.array(IMAGENET_STD)
    # A 2x2 RGB image, channels last: left column red, right column blue.
    image = np.zeros((2, 2, 3), dtype=np.float32)
    image[:, 0, 0] = 1
    image[:, 1, 2] = 1
    out = ImageNetInput((2, 2, 3), side=2)(torch.from_numpy(image.reshape(1, -1)))
    assert out.shape == (1, 3, 2, 2)
    expected = (image.transpose(2, 0, 1) - mean[:, None, None]) / std[:, None, None]
    np.testing.assert_allclose(out[0].numpy(), expected, rtol=1e-6)
    # A white grey image becomes white RGB, resized to the side asked for.
    grey = ImageNetInput((3, 3, 1), side=8)(torch.ones(2, 9))
    assert grey.shape == (2, 3, 8, 8)
    for channel in range(3):
        np.testing.assert_allclose(
            grey[:, channel].numpy(), (1 - mean[channel]) / std[channel], rtol=1e-5
        )


def test_resnet50_features_feed_the_embedder(tmp_path, capsys, monkeypatch):
    import torch
    from torch import nn

    from sk_metricembed._cli import features

    loaded = []

    def small_backbone(path):
        # A randomly initialised stand-in for the ResNet-50: 4 features.
        loaded.append(path)
        torch.manual_seed(0)
        return nn.Sequential(nn.Conv2d(3, 4, kernel_size=8, stride=8), nn.ReLU())

    monkeypatch.setattr(features, "resnet50_backbone", small_backbone)
    data, _, _ = _images_npz(tmp_path)
    weights, model = tmp_path / "resnet50.pt", tmp_path / "model.joblib"
    args = ["--features", "resnet50", "--backbone-weights", str(weights)]
    _run_on(data, tmp_path, capsys, *args, "--save-model", str(model))
    assert loaded == [weights]
    assert joblib.load(model).n_features_in_ == 4


def test_resnet50_needs_torchvision_and_its_weights(tmp_path, capsys):
    def error(*args):
        with pytest.raises(SystemExit) as exit_info:
            main(["run", *args, "--output", str(tmp_path / "out")])
        assert exit_info.value.code == 2
        return capsys.readouterr().err

    assert "go together" in error("--features", "resnet50")
    assert "go together" in error("--backbone-weights", "resnet50.pt")
    absent = str(tmp_path / "absent.pt")
    message = error("--features", "resnet50", "--backbone-weights", absent)
    try:
        import torchvision  # noqa: F401
    except ImportError:
        assert "--features resnet50 needs torchvision: pip install" in message
    else:
        assert f"cannot read --backbone-weights {absent}" in message
        garbage = tmp_path / "garbage.pt"
        garbage.write_bytes(b"not a state dict")
        message = error("--features", "resnet50", "--backbone-weights", str(garbage))
        assert "is not a ResNet-50 state dict" in message
    assert not (tmp_path / "out").exists()


def test_resnet50_backbone_loads_a_saved_state_dict(tmp_path):
    torchvision = pytest.importorskip("torchvision")
    import torch

    from sk_metricembed._cli.features import resnet50_backbone

    torch.manual_seed(0)
    network = torchvision.models.resnet50(weights=None)
    path = tmp_path / "resnet50.pt"
    torch.save(network.state_dict(), path)
    backbone = resnet50_backbone(path).eval()
    with torch.inference_mode():
        features = backbone(torch.rand(2, 3, 64, 64))
    assert features.shape == (2, 2048)
    np.testing.assert_array_equal(
        backbone.conv1.weight.detach().numpy(), network.conv1.weight.detach().numpy()
    )


def test_version_is_the_installed_distributions(capsys):
    from importlib.metadata import version

    import sk_metricembed
    from sk_metricembed.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert (
        capsys.readouterr().out.strip() == f"sk-metricembed {version('sk-metricembed')}"
    )
    assert sk_metricembed.__version__ == version("sk-metricembed")


def test_without_epochs_the_embedder_keeps_its_training_budget():
    from sk_metricembed._cli.arguments import build_parser
    from sk_metricembed.cli import _embedder_params

    parser, _ = build_parser()
    assert "max_epochs" not in _embedder_params(parser.parse_args(["run"]), 0.5, 2)
    with_epochs = parser.parse_args(["run", "--epochs", "3"])
    assert _embedder_params(with_epochs, 0.5, 2)["max_epochs"] == 3
