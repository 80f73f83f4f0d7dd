"""The ``sk-metricembed`` command line: fit a grid of embedders, report, plot.

``sk-metricembed run`` is the package's main job. It holds out a test split,
keeps a fraction of the training labels (the rest become -1), fits one
embedder per (weight, latent_dim) of the grid, and for each prints the
triplet and 5-NN accuracy of the held-out embedding and the fit time: a
sweep over the metric-loss weight and the latent dimension. It writes
``results.csv`` and latent-space plots to the output folder. Bad arguments
and unreadable files end with a message and exit status 2, as argparse does.
"""

from __future__ import annotations

import argparse
import sys
import time
import zipfile
from pathlib import Path

import numpy as np

from ._cli.data import (
    LabelledData,
    digits_data,
    hog_features,
    read_data,
    split_and_hide_labels,
)
from ._cli.output import format_table, matplotlib_available, write_csv, write_plots

__all__ = ["main"]

_READ_ERRORS = (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile)


class _UsageError(Exception):
    """A bad argument or file: reported by argparse with exit status 2."""


def main(argv: list[str] | None = None) -> int:
    """Run the ``sk-metricembed`` command line.

    Parameters
    ----------
    argv : list of str, default=None
        Arguments without the program name; ``sys.argv[1:]`` when None.

    Returns
    -------
    status : int
        0 on success. Bad arguments and unreadable files exit with status 2
        (through :class:`SystemExit`, as argparse does).

    Examples
    --------
    >>> import tempfile
    >>> from sk_metricembed.cli import main
    >>> with tempfile.TemporaryDirectory() as folder:  # doctest: +ELLIPSIS
    ...     status = main(["run", "--weights", "0.9", "--latent-dims", "2",
    ...                    "--epochs", "1", "--no-plots", "--output", folder])
    weight  latent_dim  triplet_accuracy  knn_accuracy  fit_seconds
       0.9           2             0...
    >>> status
    0
    """
    parser, run_parser = _build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return _run(args)
    except _UsageError as error:
        run_parser.error(str(error))


def _build_parser() -> tuple[argparse.ArgumentParser, argparse.ArgumentParser]:
    parser = argparse.ArgumentParser(
        prog="sk-metricembed",
        description="Weakly supervised metric embeddings for scikit-learn.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = commands.add_parser(
        "run",
        help="fit embedders over a grid of weights and latent dimensions",
        description=(
            "Fit an embedder for each weight and latent dimension, print the "
            "held-out triplet and 5-NN accuracy, write results.csv and "
            "latent-space plots. Without --data: scikit-learn's digits."
        ),
    )
    data = run.add_argument_group("data")
    add = data.add_argument
    add(
        "--data",
        type=Path,
        metavar="PATH",
        help=(
            "a .npz (arrays X and y), a .csv (label column --target) or a folder "
            "of MNIST-style IDX files (default: scikit-learn's digits)"
        ),
    )
    add(
        "--target",
        default="target",
        metavar="COLUMN",
        help="label column of a .csv (default: %(default)s)",
    )
    add(
        "--features",
        choices=("raw", "hog"),
        default="raw",
        help="raw values, or HOG features of the images (default: %(default)s)",
    )
    add(
        "--label-fraction",
        type=float,
        default=0.1,
        metavar="F",
        help=(
            "share of training labels kept per class, the rest become -1 "
            "(default: %(default)s)"
        ),
    )
    add(
        "--test-size",
        type=float,
        default=0.3,
        metavar="F",
        help="share of rows held out for scoring (default: %(default)s)",
    )
    model = run.add_argument_group("model")
    add = model.add_argument
    add(
        "--constraint",
        choices=("pairwise", "triplet"),
        default="triplet",
        help=(
            "SiameseAutoencoderEmbedder or TripletVAEEmbedder (default: %(default)s)"
        ),
    )
    kind = model.add_mutually_exclusive_group()
    kind.add_argument(
        "--variational",
        dest="variational",
        action="store_true",
        default=None,
        help="train VAEs (the default)",
    )
    kind.add_argument(
        "--deterministic",
        dest="variational",
        action="store_false",
        help="train plain autoencoders",
    )
    add(
        "--weights",
        type=float,
        nargs="+",
        default=[0.0, 0.5, 0.9],
        metavar="W",
        help="metric-loss weights; 0 is a plain AE/VAE (default: 0 0.5 0.9)",
    )
    add(
        "--latent-dims",
        type=int,
        nargs="+",
        default=[2, 10],
        metavar="D",
        help="latent dimensions (default: 2 10)",
    )
    add(
        "--margin",
        type=float,
        default=1.0,
        metavar="M",
        help="margin of the pair or triplet loss (default: %(default)s)",
    )
    add(
        "--epochs",
        type=int,
        default=40,
        metavar="N",
        help="passes over the training rows (default: %(default)s)",
    )
    add(
        "--batch-size",
        type=int,
        default=256,
        metavar="N",
        help="rows per step (default: %(default)s)",
    )
    add(
        "--seed",
        type=int,
        default=0,
        metavar="N",
        help=(
            "seed of the split, of the labels kept and of the fits "
            "(default: %(default)s)"
        ),
    )
    add("--device", default="cpu", help="cpu, cuda or auto (default: %(default)s)")
    output = run.add_argument_group("output")
    add = output.add_argument
    add(
        "--output",
        type=Path,
        default=Path("sk-metricembed-out"),
        metavar="DIR",
        help="folder for results.csv and the PNGs (default: ./%(default)s)",
    )
    add("--no-plots", action="store_true", help="write no PNG")
    add("--quiet", action="store_true", help="no progress on standard error")
    return parser, run


def _run(args) -> int:
    _check_args(args)
    data = _load(args)
    X_train, X_test, y_train, y_test = _split(data, args)
    _make_output_folder(args.output)
    plots = not args.no_plots and matplotlib_available()
    rows = []
    grid = [(w, d) for d in args.latent_dims for w in args.weights]
    progress = _Progress(len(grid) * args.epochs, enabled=not args.quiet)
    embeddings = {}
    for index, (weight, latent_dim) in enumerate(grid, start=1):
        progress.start(
            f"[{index}/{len(grid)}] weight={weight:g} latent_dim={latent_dim}"
        )
        embedder = _embedder(args, weight, latent_dim, callbacks=[progress.callback()])
        start = time.perf_counter()
        embedder.fit(X_train, y_train)
        seconds = time.perf_counter() - start
        Z = embedder.transform(X_test)
        rows.append(_scores(Z, y_test, weight, latent_dim, seconds, args.seed))
        progress.done(f"{seconds:.1f} s")
        embeddings[weight, latent_dim] = Z
    progress.bar.close()
    print(format_table(rows))
    write_csv(rows, args.output / "results.csv")
    if plots:
        write_plots(
            embeddings,
            y_test,
            data,
            args.output,
            f"{data.name}: held-out embeddings, {args.label_fraction:.0%} of the "
            "training labels kept",
        )
    return 0


def _check_args(args) -> None:
    if not 0 < args.label_fraction <= 1:
        raise _UsageError(
            f"--label-fraction must be in (0, 1], got {args.label_fraction}."
        )
    if not 0 < args.test_size < 1:
        raise _UsageError(f"--test-size must be in (0, 1), got {args.test_size}.")
    bad_weights = [w for w in args.weights if not 0 <= w <= 1]
    if bad_weights:
        raise _UsageError(f"--weights must lie in [0, 1], got {bad_weights}.")
    for name in ("latent_dims", "epochs", "batch_size"):
        values = np.atleast_1d(getattr(args, name))
        if (values < 1).any():
            flag = "--" + name.replace("_", "-")
            raise _UsageError(f"{flag} must be >= 1, got {values.tolist()}.")
    # A repeated value would fit twice and overwrite its own plot.
    args.weights = list(dict.fromkeys(args.weights))
    args.latent_dims = list(dict.fromkeys(args.latent_dims))
    if args.margin < 0:
        raise _UsageError(f"--margin must be >= 0, got {args.margin}.")
    from ._training.setup import resolve_device

    try:
        resolve_device(args.device)
    except ValueError as error:
        raise _UsageError(f"--device: {error}") from None


# -- data --------------------------------------------------------------------
def _load(args) -> LabelledData:
    if args.data is None:
        data = digits_data()
    else:
        try:
            data = read_data(args.data, args.target)
        except _READ_ERRORS as error:
            raise _UsageError(f"cannot read --data {args.data}: {error}") from None
    if args.features == "hog":
        try:
            data.X = hog_features(data)
        except ValueError as error:
            raise _UsageError(f"--features hog: {error}") from None
    return data


def _split(data: LabelledData, args):
    try:
        return split_and_hide_labels(
            data, args.test_size, args.label_fraction, args.seed
        )
    except ValueError as error:
        raise _UsageError(f"cannot split the data: {error}") from None


# -- fitting and scoring -----------------------------------------------------
def _embedder(args, weight: float, latent_dim: int, callbacks):
    from . import SiameseAutoencoderEmbedder, TripletVAEEmbedder

    cls = (
        SiameseAutoencoderEmbedder
        if args.constraint == "pairwise"
        else TripletVAEEmbedder
    )
    params = dict(
        latent_dim=latent_dim,
        weight=weight,
        margin=args.margin,
        max_epochs=args.epochs,
        batch_size=args.batch_size,
        device=args.device,
        random_state=args.seed,
        callbacks=callbacks,
    )
    if args.variational is not None:
        params["variational"] = args.variational
    return cls(**params)


def _scores(Z, y, weight, latent_dim, seconds, seed) -> dict:
    from .metrics import knn_accuracy_score, triplet_accuracy_score

    return {
        "weight": weight,
        "latent_dim": latent_dim,
        "triplet_accuracy": triplet_accuracy_score(Z, y, random_state=seed),
        "knn_accuracy": knn_accuracy_score(Z, y),
        "fit_seconds": seconds,
    }


class _Progress:
    """A bar over all epochs on a terminal, else one line per fit (stderr)."""

    def __init__(self, total_epochs: int, enabled: bool) -> None:
        from tqdm.auto import tqdm

        self.enabled = enabled
        self.bar = tqdm(
            total=total_epochs,
            unit="epoch",
            file=sys.stderr,
            disable=not (enabled and sys.stderr.isatty()),
        )

    def callback(self):
        from skorch.callbacks import Callback

        bar = self.bar

        class _EpochTick(Callback):
            def on_epoch_end(self, net, **kwargs):
                bar.update(1)

        return _EpochTick()

    def start(self, message: str) -> None:
        self.message = message
        self.bar.set_description(message)

    def done(self, message: str) -> None:
        if self.enabled and self.bar.disable:
            print(f"{self.message}: {message}", file=sys.stderr, flush=True)


def _make_output_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _UsageError(f"cannot create --output {folder}: {error}") from None
