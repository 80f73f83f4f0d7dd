"""Tests of the training objective, the package's core formula, on hand-built batches.

loss = weight * metric + (1 - weight) * (reconstruction + beta * KL)
"""

import inspect
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from sk_metricembed._training.batches import BatchTargets
from sk_metricembed._training.loss_parts import (
    LOSS_PARTS,
    METRIC_PARTS,
    RECONSTRUCTION_PARTS,
)
from sk_metricembed._training.objective import KLWarmup, Objective

N_FEATURES, LATENT_DIM = 5, 3
OFF = dict(
    miner="all",
    margin=1.0,
    reconstruction="mse",
    # Var 0.5: the Gaussian NLL per feature is the mean squared error itself.
    observation_variance=0.5,
    neighbor_weight=0.0,
    supervised_contrastive_weight=0.0,
    contrasting_weight=0.0,
    classifier_weight=0.0,
    spatial_contrasting_weight=0.0,
    latent_dim=LATENT_DIM,
    mined_pair_weight=1.0,
)


def _objective(**params):
    return Objective(
        **{**OFF, "weight": 0.5, "beta": 1.0, "metric_loss": "triplet", **params}
    )


def _empty(*shape):
    return torch.empty(shape, dtype=torch.long)


def _targets(labels=None, triplets=None, pairs=None, pair_similar=None):
    """Four rows; no label, neighbour or constraint unless given."""
    labels = torch.full((4,), -1) if labels is None else torch.tensor(labels)
    return BatchTargets(
        labels=labels,
        balanced=torch.nonzero(labels >= 0).squeeze(1),
        neighbor_of=_empty(0),
        pairs=_empty(0, 2) if pairs is None else torch.tensor(pairs),
        pair_similar=_empty(0) if pair_similar is None else torch.tensor(pair_similar),
        triplets=_empty(0, 3) if triplets is None else torch.tensor(triplets),
    )


@pytest.fixture
def outputs():
    generator = torch.Generator().manual_seed(0)
    mean = torch.randn(4, LATENT_DIM, generator=generator, requires_grad=True)
    return {
        "mean": mean,
        "z": mean,
        "log_var": torch.randn(4, LATENT_DIM, generator=generator),
        "reconstruction": torch.randn(4, N_FEATURES, generator=generator),
        "input": torch.rand(4, N_FEATURES, generator=generator),
    }


def _reconstruction_and_kl(outputs):
    """The ELBO parts by hand: per-feature squared error, KL per feature."""
    squared_error = ((outputs["reconstruction"] - outputs["input"]) ** 2).mean()
    mean, log_var = outputs["mean"], outputs["log_var"]
    kl_per_row = 0.5 * (mean**2 + log_var.exp() - 1 - log_var).sum(dim=1)
    return squared_error.item(), kl_per_row.mean().item() / N_FEATURES


def test_the_kl_covers_the_reconstructed_rows_only(outputs):
    # Rows drawn only for a pair or triplet are encoded, not decoded: the
    # ELBO, its KL included, is that of the rows the decoder reads.
    rows = torch.tensor([0, 2])
    decoded = {
        **outputs,
        "decoded_rows": rows,
        "reconstruction": outputs["reconstruction"][rows],
        "input": outputs["input"][rows],
    }
    parts = _objective()(decoded, _targets())
    _, kl = _reconstruction_and_kl(
        {
            name: outputs[name][rows]
            for name in ("mean", "log_var", "reconstruction", "input")
        }
    )
    assert parts["kl"].item() == pytest.approx(kl, rel=1e-6)
    assert parts["kl"].item() != pytest.approx(_reconstruction_and_kl(outputs)[1])


@pytest.mark.parametrize("weight, beta", [(0.3, 1.0), (0.8, 0.25)])
def test_blend_of_a_triplet_batch(outputs, weight, beta):
    triplets = [[0, 1, 2], [3, 2, 0]]
    parts = _objective(weight=weight, beta=beta)(outputs, _targets(triplets=triplets))
    mean = outputs["mean"].detach()
    a, p, n = (mean[[t[i] for t in triplets]] for i in range(3))
    d_positive, d_negative = (a - p).norm(dim=1), (a - n).norm(dim=1)
    metric = float(F.relu(d_positive - d_negative + 1.0).mean())
    reconstruction, kl = _reconstruction_and_kl(outputs)
    expected = weight * metric + (1 - weight) * (reconstruction + beta * kl)
    assert parts["loss"].item() == pytest.approx(expected, rel=1e-5)
    assert float(parts["constraint"]) == pytest.approx(metric, rel=1e-5)
    assert float(parts["reconstruction"]) == pytest.approx(reconstruction, rel=1e-5)
    assert float(parts["kl"]) == pytest.approx(kl, rel=1e-5)
    assert set(parts) == {"loss", "reconstruction", "kl", "constraint"}


def test_the_tvae_papers_eq2_is_weight_one_over_features_plus_one(outputs):
    # The user guide's preset: Eq. 2 sums the squared error over the pixels,
    # the KL over the latent dimensions and adds the triplet loss, each with
    # weight 1; the package's objective is then that sum over D + 1.
    triplets = [[0, 1, 2], [3, 2, 0]]
    objective = _objective(weight=1 / (N_FEATURES + 1), observation_variance=0.5)
    parts = objective(outputs, _targets(triplets=triplets))
    mean = outputs["mean"].detach()
    a, p, n = (mean[[t[i] for t in triplets]] for i in range(3))
    triplet = F.relu((a - p).norm(dim=1) - (a - n).norm(dim=1) + 1.0).mean()
    squared_error = ((outputs["reconstruction"] - outputs["input"]) ** 2).sum(dim=1)
    log_var = outputs["log_var"]
    kl = 0.5 * (mean**2 + log_var.exp() - 1 - log_var).sum(dim=1)
    eq2 = float(squared_error.mean() + kl.mean() + triplet)
    assert parts["loss"].item() * (N_FEATURES + 1) == pytest.approx(eq2, rel=1e-5)


def test_weight_zero_is_the_plain_vae_objective(outputs):
    parts = _objective(weight=0.0)(outputs, _targets(triplets=[[0, 1, 2]]))
    reconstruction, kl = _reconstruction_and_kl(outputs)
    assert parts["loss"].item() == pytest.approx(reconstruction + kl, rel=1e-5)
    assert set(parts) == {"loss", *RECONSTRUCTION_PARTS}


def test_weight_one_is_the_metric_alone_without_a_decoder(outputs):
    del outputs["reconstruction"]  # the net skips the decoder at weight 1
    parts = _objective(weight=1.0)(outputs, _targets(triplets=[[0, 1, 2]]))
    assert set(parts) == {"loss", "constraint"}
    assert parts["loss"].item() == pytest.approx(float(parts["constraint"]))


def test_label_terms_are_weighted_and_named(outputs):
    labels = [0, 0, 1, 1]
    objective = _objective(
        weight=1.0, supervised_contrastive_weight=2.0, contrasting_weight=0.5
    )
    del outputs["reconstruction"]
    parts = objective(outputs, _targets(labels=labels))
    from sk_metricembed import losses

    mean, labels = outputs["mean"].detach(), torch.tensor(labels)
    assert float(parts["supervised_contrastive"]) == pytest.approx(
        2.0 * float(losses.supervised_contrastive_loss(mean, labels)), rel=1e-5
    )
    assert float(parts["contrasting"]) == pytest.approx(
        0.5 * float(losses.semi_supervised_contrasting_loss(mean, labels)), rel=1e-5
    )
    total = sum(float(parts[name]) for name in parts if name != "loss")
    assert parts["loss"].item() == pytest.approx(total, rel=1e-5)
    assert set(parts) - {"loss"} <= set(METRIC_PARTS)


def test_every_part_has_a_declared_name(outputs):
    outputs["logits"] = torch.randn(4, 2)
    outputs["neighbor_mean"] = outputs["mean"].detach() + 0.1
    outputs["feature_map"] = torch.randn(4, 2, 3, 3)
    objective = _objective(
        weight=0.5,
        neighbor_weight=1.0,
        supervised_contrastive_weight=1.0,
        contrasting_weight=1.0,
        classifier_weight=1.0,
        spatial_contrasting_weight=1.0,
    )
    targets = _targets(labels=[0, 0, 1, 1], triplets=[[0, 1, 2]])
    targets.neighbor_of = torch.arange(4)
    parts = objective(outputs, targets)
    assert set(parts) == {"loss", *LOSS_PARTS}


def test_pair_bce_trains_its_similarity_head(outputs):
    objective = _objective(weight=1.0, metric_loss="bce")
    del outputs["reconstruction"]
    head = dict(objective.named_parameters())
    assert set(head) == {"similarity_head.weight", "similarity_head.bias"}
    targets = _targets(pairs=[[0, 1], [2, 3]], pair_similar=[1, 0])
    parts = objective(outputs, targets)
    z1, z2 = outputs["mean"][[0, 2]], outputs["mean"][[1, 3]]
    logits = objective.similarity_head((z1 - z2).abs()).squeeze(1)
    expected = F.binary_cross_entropy_with_logits(logits, torch.tensor([1.0, 0.0]))
    assert parts["loss"].item() == pytest.approx(expected.item(), rel=1e-5)
    parts["loss"].backward()
    assert objective.similarity_head.weight.grad is not None
    assert outputs["mean"].grad is not None


@pytest.mark.parametrize("margin", [1.0, 2.5])
def test_pair_bce_head_starts_as_margin_minus_l1_distance(outputs, margin):
    # Closer than the margin (in L1) reads "similar" from the first step, so
    # the first gradients pull similar pairs together in every dimension.
    objective = _objective(weight=1.0, metric_loss="bce", margin=margin)
    difference = (outputs["mean"][[0, 2]] - outputs["mean"][[1, 3]]).abs()
    logits = objective.similarity_head(difference).squeeze(1)
    expected = margin - difference.sum(dim=1)
    torch.testing.assert_close(logits, expected)
    del outputs["reconstruction"]
    targets = _targets(pairs=[[0, 1]], pair_similar=[1])
    objective(outputs, targets)["loss"].backward()
    mean = outputs["mean"].detach()
    # Descending the gradient moves the similar pair's codes towards each other.
    step = -outputs["mean"].grad
    towards = torch.sign(mean[1] - mean[0])
    assert bool(((step[0] * towards) >= 0).all())
    assert bool(((step[1] * -towards) >= 0).all())


def test_contrastive_pairs_by_hand(outputs):
    objective = _objective(weight=1.0, metric_loss="contrastive", margin=2.0)
    del outputs["reconstruction"]
    assert objective.similarity_head is None
    targets = _targets(pairs=[[0, 1], [2, 3]], pair_similar=[1, 0])
    mean = outputs["mean"].detach().numpy()
    d_similar = np.linalg.norm(mean[0] - mean[1])
    d_dissimilar = np.linalg.norm(mean[2] - mean[3])
    expected = 0.5 * (d_similar**2 + max(0.0, 2.0 - d_dissimilar) ** 2) / 2
    parts = objective(outputs, targets)
    assert parts["loss"].item() == pytest.approx(expected, rel=1e-5)


@pytest.mark.parametrize("metric_loss", ["contrastive", "bce"])
def test_mined_pairs_count_at_their_share_and_explicit_pairs_whole(
    outputs, metric_loss
):
    def constraint(share, **targets):
        torch.manual_seed(0)  # the same negatives drawn at every share
        objective = _objective(
            weight=1.0, metric_loss=metric_loss, mined_pair_weight=share
        )
        return float(objective(outputs, _targets(**targets))["constraint"])

    mined = dict(labels=[0, 0, 1, 1])
    assert constraint(0.25, **mined) == pytest.approx(0.25 * constraint(1.0, **mined))
    explicit = dict(pairs=[[0, 1], [2, 3]], pair_similar=[1, 0])
    assert constraint(0.25, **explicit) == constraint(1.0, **explicit)
    # Both: a mean over every pair, the mined ones weighed by the share.
    both = dict(labels=[0, 0, 1, -1], pairs=[[1, 3]], pair_similar=[1])
    whole, zero = constraint(1.0, **both), constraint(0.0, **both)
    assert 0 < zero < whole
    assert constraint(0.5, **both) == pytest.approx((whole + zero) / 2)


def test_no_supervision_leaves_the_metric_out(outputs):
    # Nothing to mine and no neighbour: only the reconstruction parts remain.
    parts = _objective(weight=0.5)(outputs, _targets())
    reconstruction, kl = _reconstruction_and_kl(outputs)
    assert set(parts) == {"loss", *RECONSTRUCTION_PARTS}
    assert parts["loss"].item() == pytest.approx(0.5 * (reconstruction + kl))


def test_objective_has_no_defaults_of_its_own():
    # The estimator passes every parameter by name; a default here could
    # drift from the estimator's (as weight 0.5 vs 0.2 once did).
    parameters = inspect.signature(Objective).parameters.values()
    assert all(p.default is inspect.Parameter.empty for p in parameters)
    with pytest.raises(TypeError):
        Objective()


def test_auto_observation_variance_is_the_likelihoods_maximiser(outputs):
    outputs["reconstruction"].requires_grad_(True)
    objective = _objective(weight=0.0, observation_variance="auto")
    parts = objective(outputs, _targets())
    reconstruction, kl = _reconstruction_and_kl(outputs)
    # log(mse) / 2 + mse / (2 * mse) + KL: the NLL at its maximum-likelihood
    # variance (less log(2 pi) / 2), which falls as the reconstruction does.
    expected = 0.5 * math.log(reconstruction) + 0.5 + kl
    assert parts["loss"].item() == pytest.approx(expected, rel=1e-5)
    assert float(parts["reconstruction"]) == pytest.approx(reconstruction, rel=1e-5)
    parts["loss"].backward()
    # The gradient is the Gaussian NLL's with var = mse held fixed.
    residual = (outputs["reconstruction"] - outputs["input"]).detach()
    expected = residual * 2 / residual.numel() / (2 * reconstruction)
    torch.testing.assert_close(outputs["reconstruction"].grad, expected)


@pytest.mark.parametrize("variance", [0.1, 2.0])
def test_fixed_observation_variance_scales_the_reconstruction(outputs, variance):
    parts = _objective(weight=0.0, observation_variance=variance)(outputs, _targets())
    reconstruction, kl = _reconstruction_and_kl(outputs)
    expected = reconstruction / (2 * variance) + kl
    assert parts["loss"].item() == pytest.approx(expected, rel=1e-5)


def test_bernoulli_and_deterministic_reconstructions_have_no_variance(outputs):
    bce = _objective(weight=0.0, reconstruction="bce", observation_variance=0.01)
    parts = bce(outputs, _targets())
    expected = (
        float(
            F.binary_cross_entropy_with_logits(
                outputs["reconstruction"], outputs["input"]
            )
        )
        + _reconstruction_and_kl(outputs)[1]
    )
    assert parts["loss"].item() == pytest.approx(expected, rel=1e-5)
    reconstruction, _ = _reconstruction_and_kl(outputs)
    del outputs["log_var"]  # a deterministic autoencoder
    parts = _objective(weight=0.0, observation_variance=0.01)(outputs, _targets())
    assert parts["loss"].item() == pytest.approx(reconstruction, rel=1e-5)


def test_kl_ramp_scales_the_kl_only(outputs):
    objective = _objective(weight=0.0, beta=2.0)
    objective.kl_ramp = 0.25
    parts = objective(outputs, _targets())
    reconstruction, kl = _reconstruction_and_kl(outputs)
    assert parts["loss"].item() == pytest.approx(reconstruction + 0.5 * kl, rel=1e-5)
    assert float(parts["kl"]) == pytest.approx(kl, rel=1e-5)


@pytest.mark.parametrize(
    "share, ramps", [(0.5, [0.2, 0.4, 0.6, 0.8, 1.0, 1.0]), (1.0, [0.1, 0.2, 0.3])]
)
def test_kl_warmup_rises_linearly_over_its_share_of_the_epochs(share, ramps):
    class Net:  # what the callback reads of a skorch net
        max_epochs = 10
        history: list = []
        criterion_ = _objective()

    warmup, net = KLWarmup(share), Net()
    seen = []
    for epoch in range(1, len(ramps) + 1):
        net.history = [None] * epoch  # skorch adds the epoch's row first
        warmup.on_epoch_begin(net)
        seen.append(net.criterion_.kl_ramp)
    assert seen == pytest.approx(ramps)
