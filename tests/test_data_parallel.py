"""Data-parallel training: two processes (gloo) started by torchrun.

Each process trains on its share of every epoch's batch plans and averages
the gradients with the other; both must end with the same model, as good
as a single-process fit's.
"""

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
from sklearn.datasets import load_digits

from sk_metricembed import TripletVAEEmbedder
from sk_metricembed.metrics import triplet_accuracy_score

PARAMS = dict(latent_dim=4, max_epochs=10, random_state=0)

SCRIPT = textwrap.dedent(
    """
    import json, sys
    import numpy as np
    import torch.distributed as dist
    from sklearn.datasets import load_digits
    from sk_metricembed import TripletVAEEmbedder

    dist.init_process_group("gloo")
    rank = dist.get_rank()
    X, y = load_digits(return_X_y=True)
    X = (X / 16).astype(np.float32)
    y[::2] = -1
    embedder = TripletVAEEmbedder(**json.loads(sys.argv[2])).fit(X, y)
    np.save(f"{sys.argv[1]}/codes_{rank}.npy", embedder.transform(X))
    with open(f"{sys.argv[1]}/steps_{rank}.json", "w") as file:
        json.dump([len(epoch["batches"]) for epoch in embedder.history_], file)
    dist.destroy_process_group()
    """
)


def _digits():
    X, y = load_digits(return_X_y=True)
    return (X / 16).astype(np.float32), y


def test_two_processes_train_one_model_as_good_as_one_process(tmp_path):
    script = tmp_path / "fit.py"
    script.write_text(SCRIPT)
    env = dict(os.environ, OMP_NUM_THREADS="1")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "torch.distributed.run",
            "--standalone",
            "--nproc-per-node",
            "2",
            str(script),
            str(tmp_path),
            json.dumps(PARAMS),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    codes = [np.load(tmp_path / f"codes_{rank}.npy") for rank in (0, 1)]
    steps = [
        json.loads((tmp_path / f"steps_{rank}.json").read_text()) for rank in (0, 1)
    ]
    # The gradients are averaged: the two processes hold one model.
    np.testing.assert_array_equal(codes[0], codes[1])
    X, y = _digits()
    y_semi = y.copy()
    y_semi[::2] = -1
    single = TripletVAEEmbedder(**PARAMS).fit(X, y_semi)
    single_steps = [len(epoch["batches"]) for epoch in single.history_]
    # Each process took half of every epoch's plans.
    assert steps[0] == steps[1] == [n // 2 for n in single_steps]
    ours = triplet_accuracy_score(codes[0], y, random_state=0)
    reference = triplet_accuracy_score(single.transform(X), y, random_state=0)
    assert ours > reference - 0.03, (ours, reference)
    assert not np.allclose(codes[0], single.transform(X))


def test_without_a_process_group_a_fit_is_not_sharded():
    from sk_metricembed._training.distributed import ShardedPlans, process_group

    assert process_group() == (0, 1)
    plans = list(range(7))
    shards = [list(ShardedPlans(plans, rank, 3)) for rank in range(3)]
    # Two plans each; the seventh would leave two processes without a step.
    assert shards == [[0, 3], [1, 4], [2, 5]]
    assert len(ShardedPlans(plans, 0, 3)) == 2
