"""Tests of sk_metricembed._training.mining against brute-force enumeration."""

import itertools

import numpy as np
import pytest
import torch

from sk_metricembed._training.mining import MAX_TRIPLETS, mine_pairs, mine_triplets


def _batch(seed, n=12, n_classes=3, dim=2):
    generator = torch.Generator().manual_seed(seed)
    z = torch.randn(n, dim, generator=generator)
    labels = torch.arange(n) % n_classes
    labels = labels[torch.randperm(n, generator=generator)]
    return z, labels


def _distances(z):
    z = z.double().numpy()
    return np.linalg.norm(z[:, None] - z[None], axis=-1)


def _valid_triplets(labels):
    labels = labels.tolist()
    return {
        (a, p, n)
        for a, p, n in itertools.product(range(len(labels)), repeat=3)
        if a != p and labels[a] == labels[p] and labels[a] != labels[n]
    }


def _as_set(*columns):
    rows = list(zip(*(c.tolist() for c in columns)))
    assert len(rows) == len(set(rows)), "duplicate constraints"
    return set(rows)


# --- pairs -----------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(3))
def test_all_pairs_keeps_every_positive_and_as_many_negatives(seed):
    torch.manual_seed(seed)
    z, labels = _batch(seed)
    first, second, similar = mine_pairs(z, labels, "all", margin=1.0)
    assert first.shape == second.shape == similar.shape
    _as_set(first, second)  # no pair twice
    lab = labels.tolist()
    all_pairs = list(itertools.combinations(range(12), 2))
    positives = {(i, j) for i, j in all_pairs if lab[i] == lab[j]}
    negatives = {(i, j) for i, j in all_pairs if lab[i] != lab[j]}
    assert len(negatives) > len(positives)
    mined = list(zip(first.tolist(), second.tolist(), similar.tolist()))
    mined_pos = {(i, j) for i, j, s in mined if s == 1}
    mined_neg = {(i, j) for i, j, s in mined if s == 0}
    assert mined_pos == positives
    assert mined_neg <= negatives
    assert len(mined_neg) == len(mined_pos)
    assert set(similar.tolist()) == {0, 1}


def test_all_pairs_keeps_every_negative_when_they_are_scarce():
    z = torch.randn(6, 2)
    labels = torch.tensor([0, 0, 0, 0, 0, 1])
    first, second, similar = mine_pairs(z, labels, "all", margin=1.0)
    assert int((similar == 1).sum()) == 10
    assert int((similar == 0).sum()) == 5


def test_all_pairs_without_positives_returns_negatives():
    z = torch.randn(4, 2)
    first, second, similar = mine_pairs(z, torch.arange(4), "all", margin=1.0)
    assert similar.tolist() == [0] * 6
    assert _as_set(first, second) == set(itertools.combinations(range(4), 2))


@pytest.mark.parametrize("seed", range(3))
def test_hard_pairs_are_farthest_positive_and_nearest_negative(seed):
    z, labels = _batch(seed)
    distances = _distances(z)
    first, second, similar = mine_pairs(z, labels, "hard", margin=1.0)
    lab = labels.numpy()
    # Every row has partners and negatives here: one hard pair of each kind.
    assert sorted(first[similar == 1].tolist()) == list(range(12))
    assert sorted(first[similar == 0].tolist()) == list(range(12))
    for a, other, s in zip(first.tolist(), second.tolist(), similar.tolist()):
        same = (lab == lab[a]) & (np.arange(12) != a)
        if s == 1:
            assert lab[other] == lab[a] and other != a
            assert distances[a, other] == pytest.approx(distances[a, same].max())
        else:
            assert lab[other] != lab[a]
            assert distances[a, other] == pytest.approx(
                distances[a, lab != lab[a]].min()
            )


@pytest.mark.parametrize("seed", range(3))
def test_semi_hard_pairs_keep_only_negatives_inside_margin(seed):
    torch.manual_seed(seed)
    z, labels = _batch(seed, n=15)
    margin = 1.0
    distances = _distances(z)
    first, second, similar = mine_pairs(z, labels, "semi-hard", margin=margin)
    lab = labels.numpy()
    negatives = similar == 0
    assert negatives.any()
    for i, j in zip(first[negatives].tolist(), second[negatives].tolist()):
        assert lab[i] != lab[j]
        assert distances[i, j] < margin + 1e-5
    n_positive = sum(lab[i] == lab[j] for i, j in itertools.combinations(range(15), 2))
    assert int((similar == 1).sum()) == n_positive


def test_semi_hard_pairs_fall_back_to_all_without_close_negatives():
    torch.manual_seed(0)
    z = torch.tensor([[0.0], [0.1], [10.0], [10.1]])
    labels = torch.tensor([0, 0, 1, 1])
    first, second, similar = mine_pairs(z, labels, "semi-hard", margin=1.0)
    assert int((similar == 1).sum()) == 2
    assert int((similar == 0).sum()) == 2
    for i, j, s in zip(first.tolist(), second.tolist(), similar.tolist()):
        assert (labels[i] == labels[j]) == bool(s)


# --- triplets --------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(3))
def test_all_triplets_are_every_valid_triplet(seed):
    z, labels = _batch(seed)
    anchor, positive, negative = mine_triplets(z, labels, "all", margin=1.0)
    assert _as_set(anchor, positive, negative) == _valid_triplets(labels)


def test_all_triplets_are_capped_to_a_sample_of_valid_ones():
    torch.manual_seed(0)
    z, labels = _batch(0, n=60, n_classes=2)
    assert len(_valid_triplets(labels)) > MAX_TRIPLETS
    anchor, positive, negative = mine_triplets(z, labels, "all", margin=1.0)
    assert anchor.numel() == MAX_TRIPLETS
    found = _as_set(anchor, positive, negative)
    assert found <= _valid_triplets(labels)


def test_large_batch_draws_only_valid_triplets():
    torch.manual_seed(0)
    z, labels = _batch(1, n=140, n_classes=4)
    anchor, positive, negative = mine_triplets(z, labels, "all", margin=1.0)
    assert 0 < anchor.numel() <= MAX_TRIPLETS
    assert (anchor != positive).all()
    assert (labels[anchor] == labels[positive]).all()
    assert (labels[anchor] != labels[negative]).all()


@pytest.mark.parametrize("seed", range(3))
def test_hard_triplets_match_batch_hard_reference(seed):
    z, labels = _batch(seed)
    distances = _distances(z)
    lab = labels.numpy()
    anchor, positive, negative = mine_triplets(z, labels, "hard", margin=1.0)
    assert anchor.tolist() == list(range(12))
    for a, p, n in zip(anchor.tolist(), positive.tolist(), negative.tolist()):
        same = (lab == lab[a]) & (np.arange(12) != a)
        assert same[p]
        assert lab[n] != lab[a]
        assert distances[a, p] == pytest.approx(distances[a, same].max())
        assert distances[a, n] == pytest.approx(distances[a, lab != lab[a]].min())


def test_hard_triplets_skip_anchors_without_partner():
    z = torch.tensor([[0.0], [1.0], [3.0], [7.0]])
    labels = torch.tensor([0, 0, 1, 2])
    anchor, positive, negative = mine_triplets(z, labels, "hard", margin=1.0)
    assert anchor.tolist() == [0, 1]
    assert positive.tolist() == [1, 0]
    assert negative.tolist() == [2, 2]


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("margin", [0.5, 1.0])
def test_semi_hard_triplets_match_brute_force(seed, margin):
    z, labels = _batch(seed)
    distances = _distances(z)
    expected = {
        (a, p, n)
        for a, p, n in _valid_triplets(labels)
        if distances[a, p] < distances[a, n] < distances[a, p] + margin
    }
    assert expected, "the fixture should hold semi-hard triplets"
    anchor, positive, negative = mine_triplets(z, labels, "semi-hard", margin)
    found = _as_set(anchor, positive, negative)
    # Ties at float32 precision could flip a borderline triplet; there are none
    # in these draws, so the sets must agree exactly.
    assert found == expected


def test_semi_hard_triplets_fall_back_to_all():
    z = torch.tensor([[0.0], [0.1], [10.0], [10.1]])
    labels = torch.tensor([0, 0, 1, 1])
    anchor, positive, negative = mine_triplets(z, labels, "semi-hard", margin=1.0)
    assert _as_set(anchor, positive, negative) == _valid_triplets(labels)


def test_single_class_yields_no_triplets():
    z = torch.randn(5, 2)
    labels = torch.zeros(5, dtype=torch.long)
    for strategy in ("all", "semi-hard", "hard"):
        anchor, positive, negative = mine_triplets(z, labels, strategy, margin=1.0)
        assert anchor.numel() == positive.numel() == negative.numel() == 0


def test_mining_does_not_track_gradients_through_selection():
    z, labels = _batch(0)
    z.requires_grad_(True)
    for strategy in ("all", "semi-hard", "hard"):
        indices = mine_triplets(z, labels, strategy, margin=1.0)
        assert all(not index.requires_grad for index in indices)
        assert all(index.dtype == torch.long for index in indices)


# --- large batches: random candidates instead of the full cube ---------------------


def _large_batch(seed=0, n=200, n_classes=10):
    return _batch(seed, n=n, n_classes=n_classes, dim=3)


@pytest.mark.parametrize("strategy", ["all", "semi-hard", "hard"])
def test_large_batch_triplets_are_valid_for_every_strategy(strategy):
    torch.manual_seed(0)
    z, labels = _large_batch()
    anchor, positive, negative = mine_triplets(z, labels, strategy, margin=0.5)
    assert 0 < anchor.numel() <= MAX_TRIPLETS
    assert (anchor != positive).all()
    assert (labels[anchor] == labels[positive]).all()
    assert (labels[anchor] != labels[negative]).all()
    if strategy == "hard":
        assert anchor.numel() == 200  # one triplet per anchor, all have partners
        assert len(set(anchor.tolist())) == 200


def test_large_batch_semi_hard_triplets_satisfy_the_margin_band():
    torch.manual_seed(1)
    z, labels = _large_batch(seed=2)
    margin = 0.5
    anchor, positive, negative = mine_triplets(z, labels, "semi-hard", margin)
    distances = _distances(z)
    d_ap = distances[anchor.numpy(), positive.numpy()]
    d_an = distances[anchor.numpy(), negative.numpy()]
    assert anchor.numel() > 0
    # float32 cdist versus float64 reference: allow a small tolerance.
    assert (d_an > d_ap - 1e-5).all()
    assert (d_an < d_ap + margin + 1e-5).all()


def test_large_batch_pairs_are_valid_and_balanced():
    torch.manual_seed(0)
    z, labels = _large_batch()
    first, second, similar = mine_pairs(z, labels, "all", margin=1.0)
    same = (labels[first] == labels[second]).long()
    assert torch.equal(same, similar)
    assert (first < second).all()
    n_positive = int(similar.sum())
    assert n_positive == 10 * 20 * 19 // 2
    assert int((similar == 0).sum()) == n_positive


def test_large_batch_mining_is_deterministic_under_a_torch_seed():
    z, labels = _large_batch()
    torch.manual_seed(3)
    first = mine_triplets(z, labels, "all", margin=1.0)
    torch.manual_seed(3)
    second = mine_triplets(z, labels, "all", margin=1.0)
    for a, b in zip(first, second):
        assert torch.equal(a, b)
