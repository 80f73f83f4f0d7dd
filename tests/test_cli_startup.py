"""``sk-metricembed --help`` and ``--version`` answer without importing the
numerical stack: torch, skorch, scikit-learn and matplotlib are imported only
by the commands that use them (about 0.1 s instead of 2.4 s on 2 cores)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import sk_metricembed
from sk_metricembed import TripletVAEEmbedder
from sk_metricembed._cli.arguments import build_parser

PACKAGE_ROOT = Path(sk_metricembed.__file__).resolve().parents[1]
#: What a fit needs and a help text does not.
HEAVY = {"torch", "skorch", "sklearn", "scipy", "numpy", "matplotlib", "pandas"}


def _python(*args: str, **kwargs) -> subprocess.CompletedProcess:
    """This interpreter in a subprocess, importing the package under test."""
    path = os.pathsep.join(
        filter(None, [str(PACKAGE_ROOT), os.environ.get("PYTHONPATH")])
    )
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": path},
        timeout=60,
        **kwargs,
    )


def _imported_modules(*args: str) -> tuple[set[str], subprocess.CompletedProcess]:
    """The modules ``python -X importtime -m sk_metricembed ARGS`` imports."""
    result = _python("-X", "importtime", "-m", "sk_metricembed", *args)
    # "import time: self [us] | cumulative | name", the name indented by depth.
    modules = {
        line.rsplit("|", 1)[1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and line.count("|") == 2
    }
    return modules, result


@pytest.mark.parametrize("args", [["--help"], ["--version"], []])
def test_help_and_version_import_no_numerical_library(args):
    modules, result = _imported_modules(*args)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "sk_metricembed.cli" in modules  # the timing lines were read
    assert not {name.split(".")[0] for name in modules} & HEAVY
    if args == ["--version"]:
        assert result.stdout.strip().startswith("sk-metricembed ")
    else:
        assert "run" in result.stdout and "usage: sk-metricembed" in result.stdout


def test_importing_the_package_imports_no_numerical_library():
    # The public names are imported on first use (the package's __getattr__).
    code = "import sys, sk_metricembed; print(*sys.modules, sep=chr(10))"
    result = _python("-c", code, check=True)
    assert "sk_metricembed" in result.stdout.split()
    assert not {name.split(".")[0] for name in result.stdout.split()} & HEAVY


def test_run_help_still_shows_the_embedders_defaults_and_choices():
    # Read from the embedders when the help is shown, and added once.
    _, run = build_parser()
    text = " ".join(run.format_help().split())
    assert f"--lr RATE learning rate (default: {TripletVAEEmbedder().lr})" in text
    assert "triplet: triplet (default), softmax_ratio, none" in text
    assert run.format_help() == run.format_help()
