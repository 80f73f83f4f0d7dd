"""Tests of sk_metricembed._training.batches: batch plans and their tensors."""

import dataclasses
import itertools
from collections import Counter

import numpy as np
import pytest
import torch

from sk_metricembed._training.batches import (
    MAX_CONSTRAINTS_SHARE,
    BatchInputs,
    BatchPlan,
    BatchTargets,
    PlanDataset,
    PlanSampler,
)

N_SAMPLES = 1000
BATCH_SIZE = 64


def _sparse_labels(seed=0, n_samples=N_SAMPLES, n_labeled=10, n_classes=5):
    # 1% of labels: 10 labelled rows, two of each of 5 classes.
    rng = np.random.RandomState(seed)
    labels = np.full(n_samples, -1, dtype=np.int64)
    labeled = rng.choice(n_samples, size=n_labeled, replace=False)
    labels[labeled] = np.arange(n_labeled) % n_classes
    return labels


def _unique_pairs(rng, n_samples, n_pairs):
    candidates = np.array(list(itertools.combinations(range(60), 2)))
    chosen = candidates[rng.choice(len(candidates), size=n_pairs, replace=False)]
    # Spread the 60 ids over all rows.
    return rng.permutation(n_samples)[:60][chosen]


def _sampler(seed=0, **kwargs):
    rng = np.random.RandomState(seed)
    setup = np.random.RandomState(123)
    defaults = dict(
        n_samples=N_SAMPLES,
        labels=_sparse_labels(),
        batch_size=BATCH_SIZE,
        rng=rng,
        neighbors=setup.randint(N_SAMPLES, size=(N_SAMPLES, 5)),
    )
    defaults.update(kwargs)
    return PlanSampler(**defaults)


def _with_constraints(seed=0, n_pairs=300, n_triplets=200, **kwargs):
    setup = np.random.RandomState(7)
    pairs = _unique_pairs(setup, N_SAMPLES, n_pairs)
    pair_similar = setup.randint(2, size=n_pairs)
    triplets = np.stack(
        [setup.choice(N_SAMPLES, size=3, replace=False) for _ in range(n_triplets)]
    )
    return _sampler(
        seed,
        pairs=pairs,
        pair_similar=pair_similar,
        triplets=triplets,
        **kwargs,
    )


def test_len_is_number_of_chunks():
    assert len(_sampler()) == 16
    assert len(_sampler(batch_size=5000)) == 1
    assert len(list(_sampler())) == 16


def test_every_row_appears_exactly_once_per_epoch():
    sampler = _sampler()
    for _ in range(2):
        # With a neighbour table, rows[neighbor_of] is exactly the chunk.
        chunks = [plan.rows[plan.neighbor_of] for plan in sampler]
        assert all(len(chunk) <= BATCH_SIZE for chunk in chunks)
        np.testing.assert_array_equal(
            np.sort(np.concatenate(chunks)), np.arange(N_SAMPLES)
        )


def test_union_of_rows_covers_data_without_neighbours():
    plans = list(_with_constraints(neighbors=None))
    assert set(np.concatenate([plan.rows for plan in plans])) == set(range(N_SAMPLES))
    for plan in plans:
        assert plan.neighbor_of.shape == (0,)
        assert plan.neighbor_rows.shape == (0,)
        np.testing.assert_array_equal(plan.rows, np.unique(plan.rows))


def test_balanced_rows_hold_repeated_classes_with_one_percent_labels():
    labels = _sparse_labels()
    for plan in _sampler():
        assert isinstance(plan, BatchPlan)
        balanced_rows = plan.rows[plan.balanced]
        assert len(np.unique(plan.balanced)) == len(plan.balanced)
        assert (labels[balanced_rows] >= 0).all()
        counts = Counter(labels[balanced_rows].tolist())
        assert len(counts) >= 2
        # Every class that is present brings a partner for mining.
        assert min(counts.values()) >= 2


def test_balanced_rows_visit_a_subset_of_many_classes():
    labels = np.repeat(np.arange(50), 3)
    sampler = PlanSampler(150, labels, 32, np.random.RandomState(0))
    visited = set()
    for plan in sampler:
        counts = Counter(labels[plan.rows[plan.balanced]].tolist())
        assert len(plan.balanced) <= 32
        # Either a class-balanced draw (every class twice or more) or the
        # chunk's own labelled rows, when they already hold enough pairs.
        pairs = sum(count * (count - 1) // 2 for count in counts.values())
        assert len(counts) >= 2 and pairs >= 2
        visited |= set(counts)
    assert len(visited) > 8, "classes are drawn afresh each step"


def test_no_balanced_rows_without_two_classes_with_partners():
    labels = np.array([0, 0, 0, 1, -1, -1, 2, -1])
    sampler = PlanSampler(8, labels, 4, np.random.RandomState(0))
    for plan in sampler:
        assert plan.balanced.shape == (0,)


def test_neighbour_rows_come_from_the_anchor_neighbour_table():
    sampler = _sampler()
    neighbors = sampler.neighbors
    for plan in sampler:
        assert len(plan.neighbor_of) == len(plan.neighbor_rows)
        anchors = plan.rows[plan.neighbor_of]
        for anchor, neighbour in zip(anchors, plan.neighbor_rows):
            assert neighbour in neighbors[anchor]


def test_neighbour_choice_varies_over_the_table():
    sampler = _sampler()
    picks = {}
    for _ in range(6):
        for plan in sampler:
            for anchor, neighbour in zip(
                plan.rows[plan.neighbor_of], plan.neighbor_rows
            ):
                picks.setdefault(anchor, set()).add(int(neighbour))
    # Six draws from five columns almost surely hit more than one.
    assert np.mean([len(v) > 1 for v in picks.values()]) > 0.9


def test_explicit_constraints_map_back_and_are_used_once_per_epoch():
    sampler = _with_constraints()
    originals = {
        tuple(pair): s for pair, s in zip(sampler.pairs.tolist(), sampler.pair_similar)
    }
    triplet_set = {tuple(t) for t in sampler.triplets.tolist()}
    seen_pairs, seen_triplets = [], []
    for plan in sampler:
        pair_rows = plan.rows[plan.pairs]
        assert plan.pairs.shape == (len(plan.pair_similar), 2)
        for pair, similar in zip(pair_rows.tolist(), plan.pair_similar.tolist()):
            assert originals[tuple(pair)] == similar
            seen_pairs.append(tuple(pair))
        for triplet in plan.rows[plan.triplets].tolist():
            assert tuple(triplet) in triplet_set
            seen_triplets.append(tuple(triplet))
    # 300 pairs and 200 triplets over 16 steps fit in one epoch: all used once.
    assert Counter(seen_pairs) == Counter(list(originals))
    assert Counter(seen_triplets) == Counter(map(tuple, sampler.triplets.tolist()))


def test_constraints_beyond_an_epoch_are_used_at_most_once():
    sampler = _with_constraints(n_pairs=1500, batch_size=32, neighbors=None)
    used = []
    for plan in sampler:
        assert len(plan.pairs) <= 32
        used.extend(map(tuple, plan.rows[plan.pairs].tolist()))
    assert len(used) == len(set(used))
    assert len(used) == 32 * len(sampler)


def test_a_constraint_joins_the_step_whose_chunk_holds_its_first_row():
    # Homed with its first row, a constraint brings one row fewer into a batch.
    rng = np.random.RandomState(3)
    sampler = _sampler(
        labels=np.full(N_SAMPLES, -1),
        neighbors=None,
        pairs=rng.randint(N_SAMPLES, size=(400, 2)),
        pair_similar=rng.randint(2, size=400),
        triplets=rng.randint(N_SAMPLES, size=(200, 3)),
    )
    homed = drawn = 0
    for plan in sampler:
        chunk = plan.rows[plan.reconstructed]
        for constraints in (plan.pairs, plan.triplets):
            homed += np.isin(plan.rows[constraints[:, 0]], chunk).sum()
            drawn += len(constraints)
    assert drawn == 600
    # Drawn apart from the chunks, a first row would be in its step's chunk
    # one time in 16; a few constraints over a step's share move elsewhere.
    assert homed / drawn > 0.9


def test_triplets_beyond_a_third_of_a_batch_a_step_wait_for_the_next_epoch():
    sampler = _with_constraints(n_pairs=10, n_triplets=1500, batch_size=32)
    most = int(32 * MAX_CONSTRAINTS_SHARE["triplets"])
    used = []
    for plan in sampler:
        # Three rows each: the step's triplet rows number at most a batch.
        assert len(plan.triplets) == most
        used.extend(map(tuple, plan.rows[plan.triplets].tolist()))
    assert len(set(used)) == len(used) == most * len(sampler)
    # The next epoch draws those that waited first.
    later = {tuple(t) for plan in sampler for t in plan.rows[plan.triplets].tolist()}
    assert not later & set(used)


def test_every_constraint_takes_its_turn_when_an_epoch_cannot_take_them_all():
    # About 1,500 triplets, 320 an epoch: each is drawn once in the first
    # four epochs and the fifth, before any is drawn twice.
    sampler = _with_constraints(n_pairs=10, n_triplets=1500, batch_size=32)
    sampler.triplets = np.unique(sampler.triplets, axis=0)  # a few repeat
    draws = Counter()
    for _ in range(4):
        draws.update(
            tuple(t) for plan in sampler for t in plan.rows[plan.triplets].tolist()
        )
    assert len(draws) == 1280 and set(draws.values()) == {1}
    draws.update(
        tuple(t) for plan in sampler for t in plan.rows[plan.triplets].tolist()
    )
    assert len(draws) == len(sampler.triplets) and max(draws.values()) == 2


def test_validation_plans_repeat_with_more_constraints_than_an_epoch_takes():
    sampler = _with_constraints(
        n_pairs=10, n_triplets=1500, batch_size=32, repeat_plans=True
    )
    first, second = (
        [plan.rows[plan.triplets].tolist() for plan in sampler] for _ in "ab"
    )
    assert first == second


def test_plans_are_deterministic_given_the_seed():
    first = list(_with_constraints(seed=5))
    second = list(_with_constraints(seed=5))
    other = list(_with_constraints(seed=6))
    for a, b in zip(first, second):
        for name in (
            "rows",
            "balanced",
            "neighbor_of",
            "neighbor_rows",
            "pairs",
            "pair_similar",
            "triplets",
        ):
            np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    assert not np.array_equal(first[0].rows, other[0].rows)


def _check_batch(inputs, targets, plan, X, labels):
    assert isinstance(inputs, BatchInputs)
    assert isinstance(targets, BatchTargets)
    assert len(inputs) == len(plan.rows)
    assert inputs.X.dtype == torch.float32
    assert inputs.X.shape == (len(plan.rows), X.shape[1])
    np.testing.assert_allclose(inputs.X.numpy(), X[plan.rows], rtol=1e-6)
    np.testing.assert_array_equal(targets.labels.numpy(), labels[plan.rows])
    assert inputs.X_neighbor.dtype == torch.float32
    assert inputs.X_neighbor.shape == (len(plan.neighbor_rows), X.shape[1])
    np.testing.assert_allclose(
        inputs.X_neighbor.numpy(), X[plan.neighbor_rows], rtol=1e-6
    )
    assert targets.pairs.shape == (len(plan.pairs), 2)
    assert targets.triplets.shape == (len(plan.triplets), 3)
    for name in ("balanced", "neighbor_of", "pairs", "triplets"):
        tensor = getattr(targets, name)
        assert not tensor.is_floating_point()
        np.testing.assert_array_equal(tensor.numpy(), getattr(plan, name))


def test_plan_dataset_materialises_plans():
    X = np.random.RandomState(0).rand(N_SAMPLES, 7)  # float64 on purpose
    labels = _sparse_labels()
    sampler = _with_constraints()
    dataset = PlanDataset(X, labels, sampler)
    assert len(dataset) == N_SAMPLES
    for plan in list(sampler)[:3]:
        inputs, targets = dataset[plan]
        _check_batch(inputs, targets, plan, X, labels)


def test_batch_parts_to_keep_every_field():
    X = np.random.RandomState(0).rand(N_SAMPLES, 3).astype(np.float32)
    sampler = _with_constraints()
    dataset = PlanDataset(X, _sparse_labels(), sampler)
    for part in dataset[next(iter(sampler))]:
        moved = part.to(torch.device("cpu"))
        assert type(moved) is type(part)
        for field in dataclasses.fields(part):
            assert torch.equal(getattr(moved, field.name), getattr(part, field.name))


def test_plan_dataset_reads_from_memmap(tmp_path):
    values = np.random.RandomState(1).rand(N_SAMPLES, 6).astype(np.float32)
    path = tmp_path / "X.dat"
    writer = np.memmap(path, dtype=np.float32, mode="w+", shape=values.shape)
    writer[:] = values
    writer.flush()
    del writer
    X = np.memmap(path, dtype=np.float32, mode="r", shape=values.shape)
    labels = _sparse_labels()
    sampler = _sampler()
    dataset = PlanDataset(X, labels, sampler)
    for plan in list(sampler)[:2]:
        inputs, targets = dataset[plan]
        _check_batch(inputs, targets, plan, values, labels)
        assert type(inputs.X) is torch.Tensor


@pytest.mark.parametrize("batch_size", [1, 7, 2000])
def test_odd_batch_sizes_still_cover_rows(batch_size):
    labels = np.array([0, 1, 0, 1, -1, -1, 2, 2, -1, -1, -1])
    neighbors = np.tile(np.arange(11)[::-1, None], (1, 2))
    sampler = PlanSampler(11, labels, batch_size, np.random.RandomState(0), neighbors)
    chunks = [plan.rows[plan.neighbor_of] for plan in sampler]
    np.testing.assert_array_equal(np.sort(np.concatenate(chunks)), np.arange(11))
    for plan in sampler:
        np.testing.assert_array_equal(
            plan.neighbor_rows, 10 - plan.rows[plan.neighbor_of]
        )


@pytest.mark.parametrize("batch_size", [4, 16, 64, 1000])
def test_balanced_rows_pair_up_with_one_percent_labels_at_any_batch_size(batch_size):
    labels = _sparse_labels(seed=3)
    sampler = _sampler(seed=1, labels=labels, batch_size=batch_size)
    assert len(sampler) == -(-N_SAMPLES // batch_size)
    for plan in sampler:
        classes = labels[plan.rows[plan.balanced]]
        assert (classes >= 0).all()
        counts = Counter(classes.tolist())
        assert len(counts) >= 2 and min(counts.values()) >= 2
        # The balanced rows are part of the rows that will be materialised.
        assert (plan.balanced < len(plan.rows)).all()


def test_constraint_members_join_the_rows_of_their_step():
    sampler = _with_constraints(seed=2, neighbors=None)
    seen_pairs, seen_triplets = [], []
    label_of = {
        tuple(p): s for p, s in zip(sampler.pairs.tolist(), sampler.pair_similar)
    }
    for plan in sampler:
        seen_pairs.append(plan.rows[plan.pairs])
        for pair, similar in zip(plan.rows[plan.pairs].tolist(), plan.pair_similar):
            assert label_of[tuple(pair)] == similar
        seen_triplets.append(plan.rows[plan.triplets])
        assert plan.pairs.dtype.kind == "i" and plan.triplets.dtype.kind == "i"
        assert len(plan.pair_similar) == len(plan.pairs)
    all_pairs = np.concatenate(seen_pairs)
    all_triplets = np.concatenate(seen_triplets)
    # 300 pairs / 200 triplets over 16 steps of 64: each used exactly once.
    assert {tuple(p) for p in all_pairs.tolist()} == {
        tuple(p) for p in sampler.pairs.tolist()
    }
    assert len(all_pairs) == len(sampler.pairs)
    assert Counter(map(tuple, all_triplets.tolist())) == Counter(
        map(tuple, sampler.triplets.tolist())
    )


def test_rows_drawn_only_for_constraints_are_not_reconstructed():
    plans = list(_with_constraints())
    reconstructed = [set(plan.rows[plan.reconstructed].tolist()) for plan in plans]
    # Every row is reconstructed in its own batch once an epoch, and the
    # balanced labelled rows with it ...
    assert set().union(*reconstructed) == set(range(N_SAMPLES))
    for plan, rows in zip(plans, reconstructed):
        assert set(plan.rows[plan.balanced].tolist()) <= rows
    # ... while rows that come only with a pair or triplet are encoded alone.
    assert sum(len(plan.rows) - len(rows) for plan, rows in zip(plans, reconstructed))
    # Without constraints nothing is left out: empty means every row.
    assert all(plan.reconstructed.size == 0 for plan in _sampler())


def test_the_decoder_reads_only_the_reconstructed_rows():
    from sk_metricembed._training.autoencoder import (
        AutoEncoderConfig,
        build_autoencoder,
    )

    module = build_autoencoder(
        AutoEncoderConfig(
            n_features=7,
            latent_dim=2,
            hidden_layer_sizes=(8,),
            activation="relu",
            dropout=0.0,
            variational=True,
        )
    ).eval()
    x = torch.rand(5, 7)
    whole = module(x)
    some = module(x, decode_rows=torch.tensor([0, 3]))
    assert some["reconstruction"].shape == (2, 7)
    torch.testing.assert_close(some["reconstruction"], whole["reconstruction"][[0, 3]])
    torch.testing.assert_close(some["mean"], whole["mean"])
