"""Tests of sk_metricembed.losses against explicit per-row references."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sk_metricembed.losses import (
    contrastive_loss,
    gaussian_kl_divergence,
    neighbor_contrastive_loss,
    pair_bce_loss,
    reconstruction_loss,
    semi_supervised_contrasting_loss,
    softmax_ratio_loss,
    supervised_contrastive_loss,
    triplet_loss_from_distances,
    triplet_margin_loss,
)

# References run in float64 on numpy arrays, one row at a time.


def _codes(seed, n=6, dim=3, scale=1.0):
    generator = torch.Generator().manual_seed(seed)
    return scale * torch.randn(n, dim, generator=generator, dtype=torch.float64)


def _ref_contrastive(z1, z2, similar, margin):
    total = 0.0
    for a, b, s in zip(z1.numpy(), z2.numpy(), similar.numpy()):
        d = np.linalg.norm(a - b)
        total += s * d**2 / 2 + (1 - s) * max(0.0, margin - d) ** 2 / 2
    return total / len(z1)


def _ref_triplet(anchor, positive, negative, margin):
    total = 0.0
    for a, p, n in zip(anchor.numpy(), positive.numpy(), negative.numpy()):
        total += max(0.0, np.linalg.norm(a - p) - np.linalg.norm(a - n) + margin)
    return total / len(anchor)


def _ref_softmax_ratio(anchor, positive, negative):
    total = 0.0
    for a, p, n in zip(anchor.numpy(), positive.numpy(), negative.numpy()):
        d_pos, d_neg = np.linalg.norm(a - p), np.linalg.norm(a - n)
        r = math.exp(d_pos) / (math.exp(d_pos) + math.exp(d_neg))
        total += r**2
    return total / len(anchor)


def _cauchy_logit(a, b):
    return -math.log(1.0 + float(np.sum((a - b) ** 2)))


def _ref_neighbor_contrastive(z, z_neighbor):
    z, zn = z.numpy(), z_neighbor.numpy()
    n = len(z)
    logits = np.array(
        [[_cauchy_logit(z[i], zn[j]) for j in range(n)] for i in range(n)]
    )
    rows = np.mean(
        [-(logits[i, i] - np.log(np.exp(logits[i]).sum())) for i in range(n)]
    )
    cols = np.mean(
        [-(logits[j, j] - np.log(np.exp(logits[:, j]).sum())) for j in range(n)]
    )
    return 0.5 * (rows + cols)


def _ref_supervised_contrastive(z, labels):
    z, labels = z.numpy(), labels.numpy()
    n = len(z)
    per_anchor = []
    for i in range(n):
        positives = [p for p in range(n) if p != i and labels[p] == labels[i]]
        if not positives:
            continue
        others = [a for a in range(n) if a != i]
        log_norm = np.log(sum(math.exp(_cauchy_logit(z[i], z[a])) for a in others))
        per_anchor.append(
            np.mean([-(_cauchy_logit(z[i], z[p]) - log_norm) for p in positives])
        )
    return float(np.mean(per_anchor)) if per_anchor else 0.0


def _ref_semi_supervised(z_labeled, labels, z_unlabeled=None):
    z, labels = z_labeled.numpy(), labels.numpy()
    classes = sorted(set(labels.tolist()))
    if len(classes) < 2:
        return 0.0
    exemplars = [z[labels == c].mean(axis=0) for c in classes]

    def probabilities(row, own=None):
        # ``own``: the row's position, left out of its class's exemplar.
        scores = []
        for c, exemplar in zip(classes, exemplars):
            if own is not None and labels[own] == c:
                others = np.flatnonzero(labels == c)
                exemplar = z[others[others != own]].mean(axis=0)
            scores.append(-np.sum((row - exemplar) ** 2))
        scores = np.exp(np.array(scores) - max(scores))
        return scores / scores.sum()

    loss = np.mean(
        [
            -np.log(probabilities(row, i)[classes.index(c)])
            for i, (row, c) in enumerate(zip(z, labels))
            if np.sum(labels == c) > 1
        ]
    )
    if z_unlabeled is not None and len(z_unlabeled):
        entropies = []
        for row in z_unlabeled.numpy():
            p = probabilities(row)
            entropies.append(-np.sum(p * np.log(p)))
        loss += np.mean(entropies)
    return loss


# --- agreement with the references -------------------------------------------


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("margin", [0.5, 2.0])
def test_contrastive_loss_matches_hadsell_formula(seed, margin):
    z1, z2 = _codes(seed), _codes(seed + 100)
    similar = torch.tensor([1, 0, 1, 0, 0, 1])
    expected = _ref_contrastive(z1, z2, similar, margin)
    assert float(contrastive_loss(z1, z2, similar, margin)) == pytest.approx(expected)


def test_contrastive_loss_accepts_boolean_and_integer_labels():
    z1, z2 = _codes(0), _codes(1)
    as_int = contrastive_loss(z1, z2, torch.tensor([1, 0, 1, 0, 0, 1]))
    as_bool = contrastive_loss(
        z1, z2, torch.tensor([True, False, True, False, False, True])
    )
    assert float(as_int) == pytest.approx(float(as_bool))


def test_contrastive_loss_ignores_dissimilar_pairs_beyond_margin():
    z1 = torch.zeros(2, 2)
    z2 = torch.tensor([[3.0, 0.0], [0.0, 5.0]])
    assert float(contrastive_loss(z1, z2, torch.zeros(2), margin=2.0)) == 0.0


@pytest.mark.parametrize("seed", range(2))
def test_pair_bce_loss_matches_cross_entropy(seed):
    logits = _codes(seed, n=8, dim=1)[:, 0] * 3
    similar = torch.tensor([1, 0, 1, 1, 0, 0, 1, 0])
    p = 1 / (1 + np.exp(-logits.numpy()))
    s = similar.numpy()
    expected = -np.mean(s * np.log(p) + (1 - s) * np.log(1 - p))
    assert float(pair_bce_loss(logits, similar)) == pytest.approx(expected)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("margin", [0.0, 0.2, 1.0])
def test_triplet_margin_loss_matches_hinge_formula(seed, margin):
    # margin=0 too (torch's own triplet_margin_loss refused it).
    a, p, n = _codes(seed), _codes(seed + 10), _codes(seed + 20)
    expected = _ref_triplet(a, p, n, margin)
    assert float(triplet_margin_loss(a, p, n, margin)) == pytest.approx(
        expected, abs=1e-5
    )
    d_p, d_n = torch.linalg.norm(a - p, dim=1), torch.linalg.norm(a - n, dim=1)
    assert float(triplet_margin_loss(a, p, n, margin)) == pytest.approx(
        float(triplet_loss_from_distances(d_p, d_n, margin=margin)), abs=1e-6
    )


def test_losses_refuse_unknown_kinds_and_label_shapes():
    # Misspelt kinds fell back to the default loss; (n, 1) labels broadcast.
    d = torch.tensor([1.0])
    with pytest.raises(ValueError, match=r"kind must be one of \['triplet'"):
        triplet_loss_from_distances(d, d, kind="tripet")
    with pytest.raises(ValueError, match=r"kind must be one of \['mse', 'bce'\]"):
        reconstruction_loss(torch.zeros(2, 3), torch.ones(2, 3), kind="BCE")
    z1, z2 = torch.zeros(2, 2), torch.ones(2, 2)
    with pytest.raises(ValueError, match=r"similar must have shape \(2,\)"):
        contrastive_loss(z1, z2, torch.tensor([[1.0], [0.0]]))
    with pytest.raises(ValueError, match=r"labels must have shape \(2,\)"):
        supervised_contrastive_loss(z1, torch.tensor([[0], [1]]))


def test_pair_losses_read_metric_learns_minus_one_as_dissimilar():
    z1, z2 = torch.zeros(2, 1), torch.tensor([[0.3], [0.2]])
    zero_one = contrastive_loss(z1, z2, torch.tensor([1, 0]))
    assert float(contrastive_loss(z1, z2, torch.tensor([1, -1]))) == float(zero_one)
    logits = torch.tensor([2.0, -1.0])
    expected = float(pair_bce_loss(logits, torch.tensor([1, 0])))
    assert float(pair_bce_loss(logits, torch.tensor([1, -1]))) == expected > 0


@pytest.mark.parametrize("seed", range(3))
def test_softmax_ratio_loss_matches_hoffer_ailon(seed):
    a, p, n = _codes(seed), _codes(seed + 10), _codes(seed + 20)
    expected = _ref_softmax_ratio(a, p, n)
    assert float(softmax_ratio_loss(a, p, n)) == pytest.approx(expected)


def test_softmax_ratio_loss_uses_positive_distance_in_numerator():
    # Positive at the anchor, negative far: r -> 1 / (1 + e**10), near zero.
    a, p = torch.zeros(1, 1), torch.zeros(1, 1)
    n = torch.full((1, 1), 10.0)
    assert float(softmax_ratio_loss(a, p, n)) < 1e-8
    # Roles swapped: r -> 1, the worst case.
    assert float(softmax_ratio_loss(a, n, p)) > 0.99


def test_reconstruction_loss_mse_and_bce():
    generator = torch.Generator().manual_seed(0)
    reconstruction = torch.randn(4, 5, generator=generator, dtype=torch.float64)
    target = torch.rand(4, 5, generator=generator, dtype=torch.float64)
    r, t = reconstruction.numpy(), target.numpy()
    assert float(reconstruction_loss(reconstruction, target)) == pytest.approx(
        np.mean((r - t) ** 2)
    )
    p = 1 / (1 + np.exp(-r))
    expected_bce = -np.mean(t * np.log(p) + (1 - t) * np.log(1 - p))
    assert float(reconstruction_loss(reconstruction, target, "bce")) == pytest.approx(
        expected_bce
    )


@pytest.mark.parametrize("seed", range(3))
def test_gaussian_kl_matches_torch_distributions(seed):
    mean = _codes(seed, n=5, dim=4, scale=2.0)
    log_var = _codes(seed + 1, n=5, dim=4)
    posterior = torch.distributions.Normal(mean, (0.5 * log_var).exp())
    prior = torch.distributions.Normal(torch.zeros_like(mean), torch.ones_like(mean))
    expected = torch.distributions.kl_divergence(posterior, prior).sum(1).mean()
    assert float(gaussian_kl_divergence(mean, log_var)) == pytest.approx(
        float(expected)
    )


@pytest.mark.parametrize("seed", range(3))
def test_neighbor_contrastive_matches_infonce_reference(seed):
    z = _codes(seed, n=7, dim=2)
    z_neighbor = z + 0.3 * _codes(seed + 50, n=7, dim=2)
    expected = _ref_neighbor_contrastive(z, z_neighbor)
    assert float(neighbor_contrastive_loss(z, z_neighbor)) == pytest.approx(expected)


@pytest.mark.parametrize("seed", range(3))
def test_supervised_contrastive_matches_reference(seed):
    z = _codes(seed, n=9, dim=3)
    # A singleton class (9) has no partner and must not be an anchor, but
    # still sits in the normaliser of the others.
    labels = torch.tensor([4, 7, 4, 7, 7, 2, 2, 9, 4])
    expected = _ref_supervised_contrastive(z, labels)
    assert float(supervised_contrastive_loss(z, labels)) == pytest.approx(expected)


def test_supervised_contrastive_is_zero_without_partners_and_differentiable():
    z = _codes(0, n=4).requires_grad_(True)
    loss = supervised_contrastive_loss(z, torch.tensor([0, 1, 2, 3]))
    assert float(loss.detach()) == 0.0
    loss.backward()
    assert torch.equal(z.grad, torch.zeros_like(z))


@pytest.mark.parametrize("seed", range(3))
def test_semi_supervised_contrasting_matches_exemplar_reference(seed):
    z = _codes(seed, n=9, dim=2)
    # Class 8 has one labelled row: an exemplar of the others' only.
    labels = torch.tensor([5, 1, 5, 3, 1, 3, 5, 1, 8])
    z_unlabeled = _codes(seed + 7, n=5, dim=2)
    expected = _ref_semi_supervised(z, labels, z_unlabeled)
    loss = semi_supervised_contrasting_loss(z, labels, z_unlabeled)
    assert float(loss) == pytest.approx(expected)
    # Without unlabelled rows only the labelled cross-entropy remains.
    expected_labeled = _ref_semi_supervised(z, labels)
    assert float(semi_supervised_contrasting_loss(z, labels)) == pytest.approx(
        expected_labeled
    )
    empty = z_unlabeled[:0]
    assert float(semi_supervised_contrasting_loss(z, labels, empty)) == pytest.approx(
        expected_labeled
    )


def test_semi_supervised_contrasting_is_zero_with_one_class():
    z = _codes(0, n=4).requires_grad_(True)
    loss = semi_supervised_contrasting_loss(z, torch.zeros(4, dtype=torch.long), z)
    assert float(loss.detach()) == 0.0
    loss.backward()
    assert torch.equal(z.grad, torch.zeros_like(z))


def test_cauchy_losses_are_translation_invariant():
    # Distances come from an expansion of ||a - b||**2; a moderate shift of
    # float32 codes must not change the losses.
    z = _codes(3, n=6, dim=2).float()
    labels = torch.tensor([0, 0, 1, 1, 2, 2])
    shift = torch.tensor([10.0, -7.0])
    assert float(supervised_contrastive_loss(z + shift, labels)) == pytest.approx(
        float(supervised_contrastive_loss(z, labels)), rel=1e-4
    )
    z_neighbor = z + 0.2
    assert float(
        neighbor_contrastive_loss(z + shift, z_neighbor + shift)
    ) == pytest.approx(float(neighbor_contrastive_loss(z, z_neighbor)), rel=1e-4)


# --- finite gradients where codes coincide -----------------------------------


def _coincident_losses():
    labels = torch.tensor([0, 0, 1, 1])
    return {
        "contrastive_similar": lambda z: contrastive_loss(
            z[[0, 2]], z[[1, 3]], torch.ones(2)
        ),
        "contrastive_dissimilar": lambda z: contrastive_loss(
            z[[0, 2]], z[[1, 3]], torch.zeros(2)
        ),
        "triplet": lambda z: triplet_margin_loss(z[[0]], z[[1]], z[[2]]),
        "softmax_ratio": lambda z: softmax_ratio_loss(z[[0, 2]], z[[1, 3]], z[[2, 0]]),
        "neighbor": lambda z: neighbor_contrastive_loss(z, z.clone()),
        "supervised": lambda z: supervised_contrastive_loss(z, labels),
        "semi_supervised": lambda z: semi_supervised_contrasting_loss(
            z[[0, 2]], labels[[0, 2]], z[[1, 3]]
        ),
    }


@pytest.mark.parametrize("name", list(_coincident_losses()))
def test_gradient_is_finite_when_codes_coincide(name):
    # Rows 0 and 1 coincide, as do rows 2 and 3: every distance the loss
    # takes between them is exactly zero.
    base = torch.tensor([[1.0, -2.0], [1.0, -2.0], [0.5, 3.0], [0.5, 3.0]])
    z = base.clone().requires_grad_(True)
    loss = _coincident_losses()[name](z)
    loss.backward()
    assert torch.isfinite(loss)
    assert torch.isfinite(z.grad).all()


# --- directionality -----------------------------------------------------------


def test_contrastive_loss_direction():
    anchor = torch.zeros(1, 2)
    near, far = torch.tensor([[0.3, 0.0]]), torch.tensor([[0.6, 0.0]])
    similar, dissimilar = torch.ones(1), torch.zeros(1)
    assert contrastive_loss(anchor, near, similar) < contrastive_loss(
        anchor, far, similar
    )
    assert contrastive_loss(anchor, far, dissimilar) < contrastive_loss(
        anchor, near, dissimilar
    )


def test_triplet_losses_decrease_as_positive_nears_and_negative_leaves():
    a = torch.zeros(1, 2)
    for loss_fn in (triplet_margin_loss, softmax_ratio_loss):
        p_far, p_near = torch.tensor([[1.0, 0.0]]), torch.tensor([[0.5, 0.0]])
        n_near, n_far = torch.tensor([[0.0, 1.0]]), torch.tensor([[0.0, 1.3]])
        assert loss_fn(a, p_near, n_near) < loss_fn(a, p_far, n_near)
        assert loss_fn(a, p_far, n_far) < loss_fn(a, p_far, n_near)


def test_gradient_step_pulls_positive_and_pushes_negative():
    for loss_fn in (triplet_margin_loss, softmax_ratio_loss):
        a = torch.zeros(1, 2)
        p = torch.tensor([[1.0, 0.0]], requires_grad=True)
        n = torch.tensor([[0.0, 1.0]], requires_grad=True)
        loss_fn(a, p, n).backward()
        # Descent (-grad) on p points at the anchor; on n, away from it.
        assert float((-p.grad * (a - p.detach())).sum()) > 0
        assert float((-n.grad * (n.detach() - a)).sum()) > 0


def test_neighbor_contrastive_decreases_as_neighbours_near():
    z = _codes(1, n=6, dim=2)
    offset = _codes(2, n=6, dim=2)
    losses_by_distance = [
        float(neighbor_contrastive_loss(z, z + scale * offset))
        for scale in (1.0, 0.5, 0.1)
    ]
    assert losses_by_distance[0] > losses_by_distance[1] > losses_by_distance[2]


def test_label_losses_decrease_as_classes_separate():
    labels = torch.tensor([0, 0, 0, 1, 1, 1])
    noise = 0.3 * _codes(4, n=6, dim=2)
    centres = torch.tensor([[0.0, 0.0], [1.0, 0.0]], dtype=torch.float64)
    unlabeled = torch.tensor([[0.2, 0.1], [0.9, -0.1]], dtype=torch.float64)
    for loss_fn in (supervised_contrastive_loss, semi_supervised_contrasting_loss):
        values = []
        for spread in (1.0, 2.0, 4.0):
            z = spread * centres[labels] + noise
            if loss_fn is semi_supervised_contrasting_loss:
                values.append(float(loss_fn(z, labels, spread * unlabeled)))
            else:
                values.append(float(loss_fn(z, labels)))
        assert values[0] > values[1] > values[2]


def test_entropy_term_decreases_as_unlabelled_row_nears_an_exemplar():
    z = torch.tensor([[0.0, 0.0], [0.0, 0.2], [2.0, 0.0], [2.0, 0.2]])
    labels = torch.tensor([0, 0, 1, 1])
    midpoint = semi_supervised_contrasting_loss(z, labels, torch.tensor([[1.0, 0.1]]))
    closer = semi_supervised_contrasting_loss(z, labels, torch.tensor([[0.3, 0.1]]))
    assert closer < midpoint


# --- properties -----------------------------------------------------------------

_finite = st.floats(-5.0, 5.0, allow_nan=False, width=32)
_pair_codes = arrays(np.float32, (4, 3), elements=_finite)
_similar = arrays(np.int64, (4,), elements=st.integers(0, 1))


@settings(max_examples=30, deadline=None)
@given(z1=_pair_codes, z2=_pair_codes, similar=_similar, margin=st.floats(0.1, 3.0))
def test_contrastive_loss_is_nonnegative_and_symmetric(z1, z2, similar, margin):
    z1, z2, similar = map(torch.from_numpy, (z1, z2, similar))
    forward = contrastive_loss(z1, z2, similar, margin)
    backward = contrastive_loss(z2, z1, similar, margin)
    assert float(forward) >= 0
    assert float(forward) == pytest.approx(float(backward), rel=1e-6, abs=1e-6)


@settings(max_examples=30, deadline=None)
@given(a=_pair_codes, p=_pair_codes, n=_pair_codes)
def test_triplet_losses_are_bounded(a, p, n):
    a, p, n = map(torch.from_numpy, (a, p, n))
    assert float(triplet_margin_loss(a, p, n)) >= 0
    ratio = float(softmax_ratio_loss(a, p, n))
    assert 0.0 <= ratio <= 1.0


@settings(max_examples=30, deadline=None)
@given(z=_pair_codes, z_neighbor=_pair_codes)
def test_neighbor_contrastive_is_symmetric_in_views(z, z_neighbor):
    z, z_neighbor = torch.from_numpy(z), torch.from_numpy(z_neighbor)
    forward = neighbor_contrastive_loss(z, z_neighbor)
    backward = neighbor_contrastive_loss(z_neighbor, z)
    assert float(forward) >= 0
    assert float(forward) == pytest.approx(float(backward), rel=1e-5, abs=1e-6)


@settings(max_examples=30, deadline=None)
@given(mean=_pair_codes, log_var=arrays(np.float32, (4, 3), elements=_finite))
def test_gaussian_kl_is_nonnegative(mean, log_var):
    kl = gaussian_kl_divergence(torch.from_numpy(mean), torch.from_numpy(log_var))
    assert float(kl) >= -1e-5


def test_spatial_contrasting_matches_the_seeds_pairwise_form():
    # Two images: the seeds' formula with image 2's first patch as contrast.
    from sk_metricembed.losses import spatial_contrasting_loss

    generator = torch.Generator().manual_seed(0)
    f1 = torch.randn(2, 3, generator=generator)
    f2 = torch.randn(2, 3, generator=generator)
    d = lambda a, b: float(torch.linalg.norm(a - b))  # noqa: E731
    expected = 0.0
    for i, j in ((0, 1), (1, 0)):
        positive, contrast = np.exp(-d(f1[i], f2[i])), np.exp(-d(f1[i], f1[j]))
        expected += -np.log(positive / (positive + contrast)) / 2
    assert float(spatial_contrasting_loss(f1, f2)) == pytest.approx(expected, rel=1e-5)


def test_spatial_contrasting_prefers_patches_of_the_same_image():
    from sk_metricembed.losses import spatial_contrasting_loss

    f1 = torch.tensor([[0.0, 0.0], [5.0, 0.0], [0.0, 5.0]])
    same = spatial_contrasting_loss(f1, f1 + 0.1)
    swapped = spatial_contrasting_loss(f1, f1[[1, 2, 0]])
    assert float(same) < float(swapped)
