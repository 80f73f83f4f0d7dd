"""Peers that live in their own virtualenvs: metric-learn and ivis.

metric-learn 0.7.0 needs scikit-learn 1.5 and ivis needs tensorflow, neither
of which fits the main environment, so each runs in a venv (see
``requirements-external.txt``) through a subprocess: the arrays go in and the
embeddings come back as ``.npz`` files in a temporary directory. The fit time
is measured inside the subprocess, so interpreter and import start-up are not
counted.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

import numpy as np

CACHE = Path(__file__).resolve().parent / "_cache"
VENVS = {
    "metric_learn": Path(
        os.environ.get("BENCH_VENV_METRIC_LEARN", CACHE / "venv_metric_learn")
    ),
    "ivis": Path(os.environ.get("BENCH_VENV_IVIS", CACHE / "venv_ivis")),
}

# Runs inside the venv; reads in.npz + options.json, writes out.npz.
SCRIPT = r"""
import json, sys, time
import numpy as np
directory = sys.argv[1]
data = np.load(directory + "/in.npz")
options = json.load(open(directory + "/options.json"))
X_train, X_test, method = data["X_train"], data["X_test"], options["method"]
start = time.perf_counter()
if method == "itml":
    from metric_learn import ITML
    model = ITML(preprocessor=X_train, random_state=0)
    model.fit(data["pairs"], data["pair_labels"])
elif method == "scml":
    from metric_learn import SCML
    model = SCML(preprocessor=X_train, random_state=0)
    model.fit(data["triplets"])
elif method == "ivis":
    from ivis import Ivis
    model = Ivis(embedding_dims=options["dim"], k=15, verbose=0)
    model.fit(X_train, data["y_train"])
else:
    raise ValueError(method)
seconds = time.perf_counter() - start
np.savez(directory + "/out.npz", Z_train=model.transform(X_train),
         Z_test=model.transform(X_test), seconds=seconds)
"""


def venv_problem(name: str) -> str | None:
    """Why the venv ``name`` cannot be used, or None when it imports fine."""
    python = VENVS[name] / "bin" / "python"
    if not python.exists():
        return f"no interpreter at {python}"
    try:
        done = subprocess.run(
            [str(python), "-c", f"import {name}"],
            capture_output=True,
            text=True,
            timeout=300,
        )
    except subprocess.TimeoutExpired:
        return f"`import {name}` timed out"
    if done.returncode:
        return f"`import {name}` failed: {done.stderr.strip().splitlines()[-1:]}"
    return None


def run_external(venv: str, method: str, arrays: dict, timeout: int = 3600, **options):
    """Run SCRIPT in ``venv``; returns (Z_train, Z_test, fit_seconds)."""
    python = VENVS[venv] / "bin" / "python"
    with tempfile.TemporaryDirectory() as directory:
        np.savez(Path(directory) / "in.npz", **arrays)
        (Path(directory) / "options.json").write_text(
            json.dumps({"method": method, **options})
        )
        script = Path(directory) / "run.py"
        script.write_text(SCRIPT)
        env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
        done = subprocess.run(
            [str(python), str(script), directory],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
        )
        if done.returncode:
            tail = done.stderr.strip().splitlines()[-3:]
            raise RuntimeError(f"{venv}/{method} failed: {' | '.join(tail)}")
        out = np.load(Path(directory) / "out.npz")
        return out["Z_train"], out["Z_test"], float(out["seconds"])


def itml_peer(X_train, y_train_semi, X_test, *, pairs, pair_labels, **_):
    """metric-learn ITML on index pairs (labels +1 similar, -1 dissimilar)."""
    labels = np.where(np.asarray(pair_labels) > 0, 1, -1)
    return run_external(
        "metric_learn",
        "itml",
        {"X_train": X_train, "X_test": X_test, "pairs": pairs, "pair_labels": labels},
    )


def scml_peer(X_train, y_train_semi, X_test, *, triplets, **_):
    """metric-learn SCML on index triplets (anchor, positive, negative)."""
    return run_external(
        "metric_learn",
        "scml",
        {"X_train": X_train, "X_test": X_test, "triplets": triplets},
    )


def ivis_peer(X_train, y_train_semi, X_test, *, latent_dim=20, **_):
    """ivis, semi-supervised: rows labelled -1 are unsupervised."""
    return run_external(
        "ivis",
        "ivis",
        {"X_train": X_train, "X_test": X_test, "y_train": y_train_semi},
        dim=int(latent_dim),
    )
