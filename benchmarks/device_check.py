"""Check the embedders on one device: fit, transform, pickling, throughput.

Runs on any machine; on a CUDA machine it is the package's GPU check::

    python -m benchmarks.device_check --device cuda --output device_check.json

For each embedder, on scikit-learn's digits with 10% of the labels, in
vector mode, in image mode (augmentation, spatial contrasting and a
classifier head switched on, so that every module and criterion part runs
on the device) and on the rows as a scipy sparse matrix (densified a batch
at a time, then moved to the device):

- fit and transform on the device: finite codes, leave-one-out 5-NN
  accuracy of the labelled codes;
- a pickle round trip on the device gives the same codes;
- the pickle loads in a process that sees no GPU and transforms there
  (skorch maps the tensors to the CPU) to the same codes;
- ``inverse_transform`` and ``sample`` run.

Then the training throughput (rows per second over a few epochs of the
default vector and image fits on 20,000 random 28x28 rows) on the device
and on the CPU of the same machine, each in float32 and with bfloat16
training passes (``mixed_precision="bf16"``, where the device has
bfloat16), with the seconds of each fit spent outside its passes (the
input graph, the label trust and the other work that runs on the CPU
whatever the device), and the transform throughput.
Everything goes to a JSON file and a short table on standard output; the
exit status is 1 when a check fails.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp
import torch
from sklearn.datasets import load_digits

from sk_metricembed import (
    SiameseAutoencoderEmbedder,
    TripletVAEEmbedder,
    knn_accuracy_score,
)
from sk_metricembed.datasets import hide_labels

ESTIMATORS = {"siamese": SiameseAutoencoderEmbedder, "tvae": TripletVAEEmbedder}
MODES = {
    "vector": {},
    "image": dict(
        image_shape=(8, 8),
        augment=True,
        spatial_contrasting_weight=0.5,
        classifier_weight=0.5,
    ),
    # The rows as a scipy CSR matrix: each batch densified, then moved.
    "sparse": {},
}
# Loads a pickled embedder in a process that sees no GPU and embeds rows.
_LOAD_ON_CPU = """
import pickle, sys, warnings
import numpy as np
warnings.simplefilter("ignore")
embedder = pickle.load(open(sys.argv[1], "rb"))
np.save(sys.argv[3], embedder.transform(np.load(sys.argv[2])))
"""


def check_correctness(device: str, epochs: int) -> list[dict]:
    X, y = load_digits(return_X_y=True)
    X = (X / 16.0).astype(np.float32)
    y_semi = hide_labels(y, 0.1, random_state=0)
    rows = []
    for name, Estimator in ESTIMATORS.items():
        for mode, extra in MODES.items():
            embedder = Estimator(
                latent_dim=8, max_epochs=epochs, device=device, random_state=0, **extra
            )
            rows_in = sp.csr_matrix(X) if mode == "sparse" else X
            start = time.perf_counter()
            embedder.fit(rows_in, y_semi)
            seconds = time.perf_counter() - start
            Z = embedder.transform(rows_in)
            again = pickle.loads(pickle.dumps(embedder)).transform(rows_in)
            # The same rows, dense: a model transforms both alike.
            on_cpu = _transform_without_gpu(embedder, X)
            decoded = embedder.inverse_transform(Z[:10])
            sampled = embedder.sample(5, random_state=0)
            rows.append(
                {
                    "estimator": name,
                    "mode": mode,
                    "device": str(embedder.net_.device),
                    "mixed_precision": embedder.mixed_precision_,
                    "module_device": str(
                        next(embedder.net_.module_.parameters()).device
                    ),
                    "fit_seconds": round(seconds, 2),
                    "finite": bool(np.isfinite(Z).all()),
                    "knn_accuracy": round(knn_accuracy_score(Z, y), 4),
                    "pickle_same": bool(np.allclose(Z, again, atol=1e-5)),
                    # cuDNN's convolutions (TF32 by default) and the CPU's
                    # differ in the last digits: compare relative to the codes.
                    "cpu_load_relative_difference": float(
                        np.abs(Z - on_cpu).max() / np.abs(Z).max()
                    ),
                    "inverse_and_sample_shapes": [decoded.shape, sampled.shape]
                    == [(10, 64), (5, 64)],
                }
            )
    return rows


def _transform_without_gpu(embedder, X) -> np.ndarray:
    with tempfile.TemporaryDirectory() as folder:
        model, rows, codes = (Path(folder) / n for n in ("m.pkl", "X.npy", "Z.npy"))
        model.write_bytes(pickle.dumps(embedder))
        np.save(rows, X)
        env = {**os.environ, "CUDA_VISIBLE_DEVICES": ""}
        subprocess.run(
            [sys.executable, "-c", _LOAD_ON_CPU, str(model), str(rows), str(codes)],
            check=True,
            env=env,
        )
        return np.load(codes)


def throughput(device: str, n_rows: int, epochs: int) -> list[dict]:
    rng = np.random.default_rng(0)
    X = rng.random((n_rows, 784), dtype=np.float32)
    y = hide_labels(rng.integers(0, 10, n_rows), 0.01, random_state=0)
    rows = []
    precisions = ["no"]
    if torch.device(device).type == "cpu" or torch.cuda.is_bf16_supported():
        precisions.append("bf16")
    modes = {"vector": {}, "image": {"image_shape": (28, 28)}}
    for (mode, extra), precision in itertools.product(modes.items(), precisions):
        embedder = TripletVAEEmbedder(
            latent_dim=20,
            max_epochs=epochs,
            device=device,
            random_state=0,
            mixed_precision=precision,
            **extra,
        )
        start = time.perf_counter()
        embedder.fit(X, y)
        _synchronize(device)
        fit_seconds = time.perf_counter() - start
        start = time.perf_counter()
        embedder.transform(X)
        _synchronize(device)
        transform_seconds = time.perf_counter() - start
        # skorch times each epoch: the rest of the fit is the work before
        # and after the passes (the input graph, the label trust, the
        # smoothing's codes), which runs on the CPU whatever the device.
        epoch_seconds = float(sum(embedder.history_[:, "dur"]))
        rows.append(
            {
                "mode": mode,
                "device": device,
                "mixed_precision": precision,
                "rows": n_rows,
                "epochs": epochs,
                "fit_seconds": round(fit_seconds, 2),
                "outside_epochs_seconds": round(fit_seconds - epoch_seconds, 2),
                "fit_rows_per_second": round(n_rows * epochs / fit_seconds),
                "epoch_rows_per_second": round(n_rows * epochs / epoch_seconds),
                "transform_rows_per_second": round(n_rows / transform_seconds),
            }
        )
    return rows


def _synchronize(device: str) -> None:
    if torch.device(device).type == "cuda":
        torch.cuda.synchronize()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--throughput-epochs", type=int, default=3)
    parser.add_argument("--no-cpu-baseline", action="store_true")
    parser.add_argument("--output", type=Path, default=Path("device_check.json"))
    args = parser.parse_args(argv)
    report = {
        "torch": torch.__version__,
        "device_name": torch.cuda.get_device_name(0)
        if torch.device(args.device).type == "cuda"
        else "cpu",
        "cpu_threads": torch.get_num_threads(),
        "checks": check_correctness(args.device, args.epochs),
    }
    devices = [args.device] + (
        [] if args.no_cpu_baseline or args.device == "cpu" else ["cpu"]
    )
    report["throughput"] = [
        row
        for device in devices
        for row in throughput(device, args.rows, args.throughput_epochs)
    ]
    args.output.write_text(json.dumps(report, indent=2))
    for row in report["checks"] + report["throughput"]:
        print(row)
    failed = [
        row
        for row in report["checks"]
        if not (
            row["finite"]
            and row["pickle_same"]
            and row["cpu_load_relative_difference"] < 1e-3
            and row["inverse_and_sample_shapes"]
            and row["knn_accuracy"] > 0.5
        )
    ]
    for row in failed:
        print("FAILED", row, file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
