"""Data-parallel training: two processes (gloo) started by torchrun.

Each process trains on its share of every epoch's batch plans and averages
the gradients with the other; both must end with the same model, as good
as a single-process fit's. The fits are ``benchmarks/data_parallel_check.py``'s,
which runs the same check on GPUs.
"""

import pytest

from sk_metricembed._training.distributed import ShardedPlans, process_group


@pytest.fixture
def data_parallel(monkeypatch):
    from pathlib import Path

    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parent.parent))
    from benchmarks import data_parallel_check

    return data_parallel_check


def test_two_processes_train_one_model_as_good_as_one_process(data_parallel):
    report = data_parallel.check("cpu", "gloo", 2)
    # The gradients are averaged: the two processes hold one model.
    assert report["codes_max_difference"] == 0
    # Each process took half of every epoch's plans.
    halved = [n // 2 for n in report["single_steps"]]
    assert report["steps"] == [halved, halved]
    ours, reference = report["triplet_accuracy"], report["single_triplet_accuracy"]
    assert ours > reference - 0.03, (ours, reference)
    assert not report["same_as_single"]


def test_without_a_process_group_a_fit_is_not_sharded():
    assert process_group() == (0, 1)
    plans = list(range(7))
    shards = [list(ShardedPlans(plans, rank, 3)) for rank in range(3)]
    # Two plans each; the seventh would leave two processes without a step.
    assert shards == [[0, 3], [1, 4], [2, 5]]
    assert len(ShardedPlans(plans, 0, 3)) == 2


def test_fewer_plans_than_processes_is_refused_in_every_process():
    # One plan over two processes would train one and leave the other
    # waiting for gradients that never come (gloo: "Connection closed").
    for rank in (0, 1):
        with pytest.raises(ValueError, match=r"2 processes needs at least 2 .* 1;"):
            ShardedPlans([0], rank, 2)
