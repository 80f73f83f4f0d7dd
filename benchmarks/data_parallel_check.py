"""Check data-parallel training: processes under torchrun against one process.

Runs on any machine; on a CUDA machine it is the GPU half of the
data-parallel check (``docs/scaling.md``)::

    python -m benchmarks.data_parallel_check --device cuda --output dp.json

``--processes`` processes (2 unless given) are started with ``torchrun``
(``torch.distributed.run --standalone``); each fits a
:class:`~sk_metricembed.TripletVAEEmbedder` on scikit-learn's digits with
half of the labels hidden, in a default process group of ``--backend``
(``gloo`` unless given: it reduces CPU and CUDA tensors alike, so several
processes can share one GPU; ``nccl`` wants a GPU a process). With
``--device cuda`` process ``r`` trains on GPU ``r`` modulo the GPUs
there. The same fit then runs in this process alone. The report gives
whether the processes hold one model (their codes of the rows agree),
the steps each took per epoch against the single fit's, both fits'
seconds, and the triplet accuracy of both embeddings on the rows.
``tests/test_data_parallel.py`` runs it with two CPU processes.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits

from sk_metricembed import TripletVAEEmbedder
from sk_metricembed.metrics import triplet_accuracy_score

#: The fit every process runs: small enough for a test.
PARAMS = dict(latent_dim=4, max_epochs=10, random_state=0)

_WORKER = textwrap.dedent(
    """
    import json, os, sys, time
    sys.path.insert(0, sys.argv[4])
    import numpy as np
    import torch
    import torch.distributed as dist
    from sk_metricembed import TripletVAEEmbedder
    from benchmarks.data_parallel_check import digits

    dist.init_process_group(sys.argv[3])
    rank = dist.get_rank()
    device = sys.argv[2]
    if device == "cuda":
        local_rank = int(os.environ["LOCAL_RANK"])
        device = f"cuda:{local_rank % torch.cuda.device_count()}"
    X, y_semi, _ = digits()
    params = json.loads(sys.argv[5])
    start = time.perf_counter()
    embedder = TripletVAEEmbedder(device=device, **params).fit(X, y_semi)
    seconds = time.perf_counter() - start
    np.save(f"{sys.argv[1]}/codes_{rank}.npy", embedder.transform(X))
    report = {
        "device": str(embedder.net_.device),
        "fit_seconds": seconds,
        "steps": [len(epoch["batches"]) for epoch in embedder.history_],
    }
    with open(f"{sys.argv[1]}/report_{rank}.json", "w") as file:
        json.dump(report, file)
    dist.destroy_process_group()
    """
)


def digits():
    """``(X, y_semi, y)``: scikit-learn's digits scaled to [0, 1], every
    second row's label hidden in ``y_semi``."""
    X, y = load_digits(return_X_y=True)
    y_semi = y.copy()
    y_semi[::2] = -1
    return (X / 16).astype(np.float32), y_semi, y


def run_processes(
    folder: Path, device: str, backend: str, processes: int, params: dict
) -> list[dict]:
    """Fit in ``processes`` processes under torchrun; each one's report and codes."""
    script = folder / "fit.py"
    script.write_text(_WORKER)
    repo_root = Path(__file__).resolve().parent.parent
    env = dict(os.environ, OMP_NUM_THREADS="1")
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone"]
    command += ["--nproc-per-node", str(processes), str(script), str(folder)]
    command += [device, backend, str(repo_root), json.dumps(params)]
    run = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    if run.returncode != 0:
        raise RuntimeError(f"torchrun failed:\n{run.stderr[-3000:]}")
    reports = []
    for rank in range(processes):
        report = json.loads((folder / f"report_{rank}.json").read_text())
        report["codes"] = np.load(folder / f"codes_{rank}.npy")
        reports.append(report)
    return reports


def check(device: str, backend: str, processes: int, params: dict = PARAMS) -> dict:
    """The data-parallel fit against the single-process one, as a dict.

    ``codes_max_difference`` is the largest difference between any
    process's codes and the first's (0 where they hold one model, up to
    rounding on a GPU); ``steps`` each process's steps per epoch and
    ``single_steps`` the single fit's.
    """
    X, y_semi, y = digits()
    with tempfile.TemporaryDirectory() as folder:
        reports = run_processes(Path(folder), device, backend, processes, params)
    start = time.perf_counter()
    single = TripletVAEEmbedder(device=device, **params).fit(X, y_semi)
    single_seconds = time.perf_counter() - start
    codes, single_codes = reports[0]["codes"], single.transform(X)
    return {
        "device": device,
        "backend": backend,
        "processes": processes,
        "process_devices": [report["device"] for report in reports],
        "codes_max_difference": float(
            max(np.abs(report["codes"] - codes).max() for report in reports)
        ),
        "steps": [report["steps"] for report in reports],
        "single_steps": [len(epoch["batches"]) for epoch in single.history_],
        "fit_seconds": round(max(report["fit_seconds"] for report in reports), 2),
        "single_fit_seconds": round(single_seconds, 2),
        "triplet_accuracy": triplet_accuracy_score(codes, y, random_state=0),
        "single_triplet_accuracy": triplet_accuracy_score(
            single_codes, y, random_state=0
        ),
        "same_as_single": bool(np.allclose(codes, single_codes)),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--backend", default="gloo")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--output", type=Path, default=Path("data_parallel.json"))
    args = parser.parse_args(argv)
    report = check(args.device, args.backend, args.processes)
    args.output.write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))
    one_model = report["codes_max_difference"] < 1e-4
    halved = all(
        steps == [n // args.processes for n in report["single_steps"]]
        for steps in report["steps"]
    )
    return 0 if one_model and halved else 1


if __name__ == "__main__":
    sys.exit(main())
