"""The ``sk-metricembed`` command's arguments: the parser and what its options mean.

Options that are an embedder's parameters are declared once, in
:data:`EMBEDDER_OPTIONS`; their defaults, ranges and choices are read from
the embedder when the help is shown. Building the parser imports no
embedder, so that ``--help`` and ``--version`` answer at once.
"""

from __future__ import annotations

import argparse
import inspect
from importlib.metadata import version
from pathlib import Path

#: The embedder of each ``--constraint``, by its name in ``_estimators``.
EMBEDDERS = {
    "pairwise": "SiameseAutoencoderEmbedder",
    "triplet": "TripletVAEEmbedder",
}
#: Options handed to the embedder as they are: flag, parameter, type,
#: metavar, help. Their defaults, ranges and choices are the embedder's
#: (shown in --help, checked by its ``_parameter_constraints``); an option
#: not given is not passed.
EMBEDDER_OPTIONS = (
    ("--loss", "metric_loss", str, "LOSS", "the pair or triplet loss"),
    ("--margin", "margin", float, "M", "margin of the pair or triplet loss"),
    (
        "--classifier-weight",
        "classifier_weight",
        float,
        "W",
        "weight of a linear classifier head on the code, trained on the kept "
        "labels; with --weights 1 --loss none, a classification network",
    ),
    ("--lr", "lr", float, "RATE", "learning rate"),
    ("--dropout", "dropout", float, "P", "dropout after each hidden layer"),
    ("--batch-size", "batch_size", int, "N", "rows per step"),
    (
        "--mixed-precision",
        "mixed_precision",
        str,
        "MODE",
        "bf16: the training passes in bfloat16 (auto: where the CPU has it)",
    ),
)
#: The flag that sets each embedder parameter, for error messages.
FLAGS = {
    "weight": "--weights",
    "latent_dim": "--latent-dims",
    "max_epochs": "--epochs",
    "device": "--device",
    "random_state": "--seed",
    **{parameter: flag for flag, parameter, *_ in EMBEDDER_OPTIONS},
}
#: Training rows recorded by --animation (a random sample above it).
ANIMATION_ROWS = 500


class UsageError(Exception):
    """A bad argument or file: reported by argparse with exit status 2."""


class DataError(UsageError):
    """A file the job cannot use: exit status 2, without the usage block.

    The options were right; repeating their synopsis above a message about
    a column of the file only hides it.
    """


def embedder_class(constraint: str) -> type:
    """The embedder class of a ``--constraint`` (imports torch)."""
    from .. import _estimators

    return getattr(_estimators, EMBEDDERS[constraint])


class RunParser(argparse.ArgumentParser):
    """The ``run`` command's parser: the embedder options' help is completed
    with the embedder's choices and defaults when the help is shown, not
    when the parser is built, so that building it imports no embedder."""

    def format_help(self) -> str:
        for action in self._actions:
            parameter = getattr(action, "embedder_parameter", None)
            if parameter is not None:
                action.help += f" ({_choices_and_default(parameter)})"
                action.embedder_parameter = None  # completed once
        return super().format_help()


def build_parser() -> tuple[argparse.ArgumentParser, argparse.ArgumentParser]:
    parser = argparse.ArgumentParser(
        prog="sk-metricembed",
        description="Weakly supervised metric embeddings for scikit-learn.",
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {version('sk-metricembed')}"
    )
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=RunParser
    )
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
            "a .npz (arrays X and y), a .csv (label column --target), a folder "
            "of MNIST-style IDX files, or CIFAR-10's python batches (a folder, "
            "or one batch file such as test_batch) (default: scikit-learn's "
            "digits)"
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
        choices=("raw", "hog", "resnet50"),
        default="raw",
        help=(
            "raw values, HOG features of the images, or the pooled features of "
            "a pretrained ResNet-50 (needs torchvision and --backbone-weights) "
            "(default: %(default)s)"
        ),
    )
    add(
        "--backbone-weights",
        type=Path,
        metavar="FILE",
        help=(
            "the ResNet-50's ImageNet weights, a state dict saved with "
            "torch.save (nothing is downloaded)"
        ),
    )
    add(
        "--merge-classes",
        type=_class_groups,
        metavar="GROUPS",
        help=(
            "join classes into composite ones: groups separated by ';', the "
            "classes of a group by ',', named as the data names them or by "
            "number, e.g. '3,5,8;4,9'"
        ),
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
        choices=tuple(EMBEDDERS),
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
    epochs = add(
        "--epochs",
        type=int,
        default=None,
        metavar="N",
        help="passes over the training rows; without it, the embedder's "
        "max_epochs, whose 'auto' is a budget of optimiser steps",
    )
    epochs.embedder_parameter = "max_epochs"  # read by RunParser.format_help
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
    passed = run.add_argument_group(
        "embedder parameters",
        "Handed to the embedder as they are; left out, the embedder's default.",
    )
    for flag, parameter, kind, metavar, text in EMBEDDER_OPTIONS:
        action = passed.add_argument(
            flag, dest=parameter, type=kind, metavar=metavar, help=text
        )
        action.embedder_parameter = parameter  # read by RunParser.format_help
    output = run.add_argument_group("output")
    add = output.add_argument
    add(
        "--output",
        type=Path,
        default=Path("sk-metricembed-out"),
        metavar="DIR",
        help="folder for results.csv and the PNGs (default: ./%(default)s)",
    )
    add(
        "--save-model",
        type=Path,
        metavar="FILE",
        help=(
            "save each fitted embedder with joblib (for a grid, one file per "
            "fit: FILE's name gets _weight-W_latent-D)"
        ),
    )
    add(
        "--save-embeddings",
        type=Path,
        metavar="FILE",
        help=(
            "save each fit's held-out embedding, labels and row numbers, as "
            ".npz or .csv by FILE's extension (named per fit as --save-model)"
        ),
    )
    add(
        "--animation",
        type=Path,
        metavar="FILE",
        help=(
            f"a .gif or .mp4 of the latent space of {ANIMATION_ROWS} training "
            "rows after each epoch (named per fit as --save-model)"
        ),
    )
    add("--no-plots", action="store_true", help="write no PNG")
    add(
        "--no-baselines",
        action="store_true",
        help="score no PCA and features beside the fits (no baselines.csv)",
    )
    add("--quiet", action="store_true", help="no progress on standard error")
    return parser, run


def _class_groups(text: str) -> list[list[str]]:
    """``"3,5,8;4,9"`` -> ``[["3", "5", "8"], ["4", "9"]]`` (--merge-classes)."""
    groups = [
        [label.strip() for label in group.split(",")] for group in text.split(";")
    ]
    if not all(all(group) for group in groups):
        raise argparse.ArgumentTypeError(
            f"expected groups of classes such as '3,5,8;4,9', got {text!r}"
        )
    return groups


def _choices_and_default(parameter: str) -> str:
    """What --help says of an embedder parameter, per embedder where they differ."""
    texts = {
        constraint: _choices_and_default_of(embedder_class(constraint), parameter)
        for constraint in EMBEDDERS
    }
    if len(set(texts.values())) == 1:
        return next(iter(texts.values()))
    return "; ".join(f"{constraint}: {text}" for constraint, text in texts.items())


def _choices_and_default_of(embedder: type, parameter: str) -> str:
    from .._sklearn_compat import StrOptions
    from .._training.loss_parts import NO_METRIC_LOSS

    default = inspect.signature(embedder).parameters[parameter].default
    constraints = embedder._parameter_constraints[parameter]
    if not all(isinstance(c, StrOptions) for c in constraints):
        return f"default: {default}"
    # The default first, the loss-free option last.
    options = sorted(
        {option for c in constraints for option in c.options},
        key=lambda option: (option != default, option == NO_METRIC_LOSS, option),
    )
    return ", ".join(f"{o} (default)" if o == default else o for o in options)
