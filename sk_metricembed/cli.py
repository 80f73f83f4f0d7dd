"""The ``sk-metricembed`` command line: fit a grid of embedders, report, plot.

``sk-metricembed run`` is the package's main job. It holds out a test split,
keeps a fraction of the training labels (the rest become -1), fits one
embedder per (weight, latent_dim) of the grid, and for each prints the
triplet and 5-NN accuracy of the held-out embedding and the fit time: a
sweep over the metric-loss weight and the latent dimension. A second table
scores PCA at each latent dimension and the features themselves on the same
held-out rows, the figures an embedding has to beat. It writes
``results.csv`` and latent-space plots to the output folder and, on request,
each fit's model, held-out embedding and training animation. Options that
are the embedder's parameters (``--loss``, ``--lr``, ...) are handed to it
as they are: their defaults, ranges and choices are the embedder's, read
from it. Bad arguments and unreadable files end with a message and exit
status 2, as argparse does, before any training.

The module imports torch, skorch, scikit-learn and matplotlib only where a
command needs them, so that ``--help`` and ``--version`` answer at once;
``sk-metricembed run --help`` reads the embedders' defaults and so imports
them.
"""

from __future__ import annotations

import time
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from ._cli.arguments import (
    ANIMATION_ROWS,
    EMBEDDER_OPTIONS,
    FLAGS,
    DataError,
    UsageError,
    build_parser,
    embedder_class,
)

if TYPE_CHECKING:
    from ._cli.data import LabelledData, Split

__all__ = ["main"]

_READ_ERRORS = (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile)


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
    parser, run_parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return _run(args)
    except DataError as error:
        run_parser.exit(2, f"{run_parser.prog}: error: {error}\n")
    except UsageError as error:
        run_parser.error(str(error))


def _run(args) -> int:
    from ._cli.baselines import BASELINE_COLUMNS, baseline_rows
    from ._cli.output import (
        Progress,
        fit_path,
        format_table,
        matplotlib_available,
        write_animation,
        write_csv,
        write_plots,
    )
    from .callbacks import EmbeddingRecorder

    _check_args(args)
    data = _load(args)
    split = _split(data, args)
    grid = [(w, d) for d in args.latent_dims for w in args.weights]
    total_epochs = _check_fits(args, grid, split)
    _make_output_folders(args)
    plots = not args.no_plots and matplotlib_available()
    rows = []
    progress = Progress(total_epochs, enabled=not args.quiet)
    animation_rows = _animation_rows(split, args.seed) if args.animation else None
    embeddings = {}
    for index, (weight, latent_dim) in enumerate(grid, start=1):
        progress.start(
            f"[{index}/{len(grid)}] weight={weight:g} latent_dim={latent_dim}"
        )
        callbacks = [progress.callback()]
        if animation_rows is not None:
            callbacks.append(EmbeddingRecorder(split.X_train[animation_rows]))
        embedder = _embedder(args, weight, latent_dim, callbacks=callbacks)
        start = time.perf_counter()
        embedder.fit(split.X_train, split.y_train)
        seconds = time.perf_counter() - start
        Z = embedder.transform(split.X_test)
        rows.append(_scores(Z, split.y_test, weight, latent_dim, seconds, args.seed))
        progress.done(f"{seconds:.1f} s")
        embeddings[weight, latent_dim] = Z
        _save_fit(args, (weight, latent_dim, len(grid)), embedder, Z, split, data)
        if animation_rows is not None:
            write_animation(
                callbacks[-1],
                split.y_train_true[animation_rows],
                data.class_names,
                fit_path(args.animation, weight, latent_dim, len(grid)),
            )
    progress.bar.close()
    print(format_table(rows))
    write_csv(rows, args.output / "results.csv")
    if not args.no_baselines:
        baselines = baseline_rows(split, args.latent_dims, args.seed)
        print("\nOn the same held-out rows, without training:")
        print(format_table(baselines, BASELINE_COLUMNS))
        write_csv(baselines, args.output / "baselines.csv", BASELINE_COLUMNS)
    if plots:
        write_plots(
            embeddings,
            split.y_test,
            data,
            args.output,
            f"{data.name}: held-out embeddings, {args.label_fraction:.0%} of the "
            "training labels kept",
        )
    return 0


def _check_args(args) -> None:
    if not 0 < args.label_fraction <= 1:
        raise UsageError(
            f"--label-fraction must be in (0, 1], got {args.label_fraction}."
        )
    if not 0 < args.test_size < 1:
        raise UsageError(f"--test-size must be in (0, 1), got {args.test_size}.")
    # A repeated value would fit twice and overwrite its own plot.
    args.weights = list(dict.fromkeys(args.weights))
    args.latent_dims = list(dict.fromkeys(args.latent_dims))
    for weight in args.weights:
        for latent_dim in args.latent_dims:
            _check_embedder_params(args, weight, latent_dim)
    from ._training.setup import resolve_device

    try:
        resolve_device(args.device)
    except ValueError as error:
        raise UsageError(f"--device: {error}") from None
    if (args.features == "resnet50") != (args.backbone_weights is not None):
        raise UsageError(
            "--features resnet50 and --backbone-weights FILE go together: the "
            "ResNet-50's weights are read from a local file."
        )
    _check_output_files(args)


def _check_embedder_params(args, weight: float, latent_dim: int) -> None:
    """Each parameter the options set, against the embedder's own constraints."""
    from ._sklearn_compat import InvalidParameterError, validate_parameter_constraints

    embedder = embedder_class(args.constraint)
    for parameter, value in _embedder_params(args, weight, latent_dim).items():
        try:
            validate_parameter_constraints(
                {parameter: embedder._parameter_constraints[parameter]},
                {parameter: value},
                caller_name=embedder.__name__,
            )
        except InvalidParameterError as error:
            flag = FLAGS.get(parameter, parameter)
            raise UsageError(f"{flag} {value}: {error}") from None


def _check_suffix(flag: str, path: Path, suffixes, what: str = "") -> str:
    """The file's extension, lower-cased, if it is one of ``suffixes``."""
    suffix = path.suffix.lower()
    if suffix not in suffixes:
        raise UsageError(
            f"{flag} {path}: the file must end in {' or '.join(suffixes)}{what}, "
            f"got {suffix or 'no extension'}."
        )
    return suffix


def _check_output_files(args) -> None:
    from ._cli.output import ANIMATION_SUFFIXES, EMBEDDING_SUFFIXES

    if args.save_embeddings is not None:
        _check_suffix(
            "--save-embeddings",
            args.save_embeddings,
            EMBEDDING_SUFFIXES,
            " (the format)",
        )
    if args.animation is not None:
        suffix = _check_suffix("--animation", args.animation, ANIMATION_SUFFIXES)
        try:
            from matplotlib import animation
        except ImportError:
            raise UsageError(
                "--animation needs matplotlib: pip install 'sk-metricembed[plot]'."
            ) from None
        if suffix == ".mp4" and not animation.FFMpegWriter.isAvailable():
            raise UsageError(
                f"--animation {args.animation}: writing .mp4 needs ffmpeg on the "
                "PATH; install it or write a .gif."
            )


def _check_fits(args, grid, split: Split) -> int:
    """The embedder's own checks of its settings against the data, before
    the first fit, so that a bad combination (``--weights 1 --loss none``
    without another term, or ``--weights 1`` with one labelled row a class)
    stops the run before any training; returns the
    epochs of all fits (``max_epochs`` resolved for the training rows), the
    progress bar's length."""
    from ._supervision import check_pure_metric_network, check_supervision

    total_epochs = 0
    for weight, latent_dim in grid:
        embedder = _embedder(args, weight, latent_dim, callbacks=None)
        try:
            settings = embedder._check_params(split.X_train)
            if settings.weight == 1:  # the pure metric network needs constraints
                supervision = check_supervision(
                    embedder,
                    split.X_train,
                    split.y_train,
                    None,
                    None,
                    None,
                    None,
                    reset=True,
                )
                check_pure_metric_network(embedder, supervision, settings)
            total_epochs += settings.max_epochs
        except ValueError as error:
            raise UsageError(
                f"cannot fit weight={weight:g}, latent_dim={latent_dim}: {error}"
            ) from None
    return total_epochs


# -- data --------------------------------------------------------------------
def _load(args) -> LabelledData:
    from ._cli import features
    from ._cli.data import digits_data, merge_labelled_classes, read_data

    # Before the data: a missing torchvision or a bad file fails fast.
    backbone = _backbone(args.backbone_weights) if args.features == "resnet50" else None
    if args.data is None:
        data = digits_data()
    else:
        try:
            data = read_data(args.data, args.target)
        except _READ_ERRORS as error:
            raise DataError(f"cannot read --data {args.data}: {error}") from None
    if args.merge_classes is not None:
        try:
            merge_labelled_classes(data, args.merge_classes)
        except (TypeError, ValueError) as error:
            raise UsageError(f"--merge-classes: {error}") from None
    try:
        if args.features == "hog":
            data.X = features.hog_features(data)
        elif args.features == "resnet50":
            data.X = features.pretrained_features(data, backbone, args.device)
    except ValueError as error:  # its message names --features
        raise UsageError(str(error)) from None
    return data


def _backbone(path: Path):
    from ._cli import features

    try:
        return features.resnet50_backbone(path)
    except OSError as error:
        raise DataError(f"cannot read --backbone-weights {path}: {error}") from None
    except ValueError as error:
        raise UsageError(str(error)) from None


def _split(data: LabelledData, args) -> Split:
    from ._cli.data import split_and_hide_labels

    try:
        return split_and_hide_labels(
            data, args.test_size, args.label_fraction, args.seed
        )
    except ValueError as error:
        raise DataError(f"cannot split the data: {error}") from None


def _animation_rows(split: Split, seed: int):
    """Which training rows --animation records: all, or a random sample."""
    import numpy as np

    n_rows = len(split.X_train)
    if n_rows <= ANIMATION_ROWS:
        return np.arange(n_rows)
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(n_rows, size=ANIMATION_ROWS, replace=False))


# -- fitting and scoring -----------------------------------------------------
def _embedder_params(args, weight: float, latent_dim: int) -> dict:
    """The parameters the options set; the others keep the embedder's default."""
    params = dict(
        latent_dim=latent_dim,
        weight=weight,
        device=args.device,
        random_state=args.seed,
    )
    if args.epochs is not None:
        params["max_epochs"] = args.epochs
    for _, parameter, *_ in EMBEDDER_OPTIONS:
        if getattr(args, parameter) is not None:
            params[parameter] = getattr(args, parameter)
    if args.variational is not None:
        params["variational"] = args.variational
    return params


def _embedder(args, weight: float, latent_dim: int, callbacks):
    params = _embedder_params(args, weight, latent_dim)
    return embedder_class(args.constraint)(**params, callbacks=callbacks)


def _scores(Z, y, weight, latent_dim, seconds, seed) -> dict:
    from ._cli.scores import held_out_scores

    return {
        "weight": weight,
        "latent_dim": latent_dim,
        **held_out_scores(Z, y, seed),
        "fit_seconds": seconds,
    }


def _save_fit(args, fit, embedder, Z, split: Split, data: LabelledData) -> None:
    """--save-model and --save-embeddings of one fit: (weight, latent_dim, n_fits)."""
    from ._cli.output import fit_path, write_embedding

    if args.save_model is not None:
        import joblib

        joblib.dump(embedder, fit_path(args.save_model, *fit))
    if args.save_embeddings is not None:
        write_embedding(
            fit_path(args.save_embeddings, *fit),
            Z,
            split.y_test,
            split.test_index,
            data.class_names,
        )


def _make_output_folders(args) -> None:
    """--output, and the folders of the files saved per fit."""
    folders = {"--output": args.output}
    for flag in ("save_model", "save_embeddings", "animation"):
        path = getattr(args, flag)
        if path is not None:
            folders["--" + flag.replace("_", "-")] = path.parent
    for flag, folder in folders.items():
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise UsageError(f"cannot create {flag} {folder}: {error}") from None
