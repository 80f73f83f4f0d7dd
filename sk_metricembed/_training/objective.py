"""The training objective: which losses apply to a batch, and how they blend.

    loss = weight * metric + (1 - weight) * (reconstruction + beta * KL)

For a VAE, ``reconstruction + beta * KL`` is its negative ELBO per feature:
the reconstruction's negative log-likelihood (a Bernoulli for ``"bce"``; for
``"mse"`` a Gaussian, ``mse / (2 * var)``, whose variance ``var`` is
``observation_variance``, by default each batch's mean squared error, the
variance that maximises the likelihood, as in Rybkin, Daniilidis & Levine's
calibrated decoders, whose value then carries the likelihood's
``log(var) / 2`` too), plus the KL divided by the number of features, raised
from 0 over the first epochs (``kl_warmup``, :class:`KLWarmup`). A
deterministic autoencoder's reconstruction is the mean squared error (or
Bernoulli cross-entropy).

``metric`` sums the terms whose supervision the batch carries:

- the estimator's pair or triplet loss, on pairs/triplets mined from the
  labelled rows and on the explicit constraints;
- ``neighbor_weight`` times the unsupervised neighbour term;
- ``supervised_contrastive_weight``, ``contrasting_weight`` and
  ``classifier_weight`` times the optional label terms;
- ``spatial_contrasting_weight`` times spatial contrasting (image mode).

Every metric term acts on the latent means, as in the TVAE paper. The
objective is the skorch ``criterion``: it receives the network's forward pass
and the batch's targets, and returns the total and its parts, which the net
records in its history under the names of ``loss_parts.LOSS_PARTS``.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from skorch.callbacks import Callback
from torch import nn

from .. import losses
from .batches import BatchTargets
from .distances import distance_matrix, euclidean
from .loss_parts import NO_METRIC_LOSS, PAIR_LOSSES
from .mining import mine_pairs, mine_triplets

#: Floor of the ``"auto"`` observation variance: a batch reconstructed
#: exactly would otherwise divide by zero.
MIN_OBSERVATION_VARIANCE = 1e-6


class Objective(nn.Module):
    """The skorch criterion: reconstruction, KL and the metric terms, blended.

    Every argument is the estimator parameter of the same name (see the
    estimators' docstrings); the estimator passes them all, so none has a
    default of its own here. ``latent_dim`` sizes Koch's similarity head,
    which the pair BCE trains with the network. ``mined_pair_weight``, the
    one argument that is no estimator parameter (the fit resolves it with
    the weight), is the share at which a pair loss counts the pairs it
    mines from labels (explicit pairs count whole).
    """

    def __init__(
        self,
        *,
        weight: float,
        metric_loss: str,
        miner: str,
        margin: float,
        reconstruction: str,
        beta: float,
        observation_variance: float | str,
        neighbor_weight: float,
        supervised_contrastive_weight: float,
        contrasting_weight: float,
        classifier_weight: float,
        spatial_contrasting_weight: float,
        latent_dim: int,
        mined_pair_weight: float,
    ) -> None:
        super().__init__()
        self.weight = weight
        self.mined_pair_weight = mined_pair_weight
        self.metric_loss = metric_loss
        self.miner = miner
        self.margin = margin
        self.reconstruction = reconstruction
        self.beta = beta
        self.observation_variance = observation_variance
        # The share of the KL's weight reached so far (see KLWarmup).
        self.kl_ramp = 1.0
        self.neighbor_weight = neighbor_weight
        self.supervised_contrastive_weight = supervised_contrastive_weight
        self.contrasting_weight = contrasting_weight
        self.classifier_weight = classifier_weight
        self.spatial_contrasting_weight = spatial_contrasting_weight
        # Koch (2015): a learned logit of "same class" from |z1 - z2|; a part
        # of the pair loss, so it lives here and skorch trains it with the
        # module (criteria's parameters are learnable in skorch).
        self.similarity_head = (
            similarity_head(latent_dim, margin) if metric_loss == "bce" else None
        )

    def forward(
        self, outputs: dict[str, torch.Tensor], targets: BatchTargets
    ) -> dict[str, torch.Tensor]:
        """Return ``{"loss": total, <part>: value, ...}`` for one batch.

        ``outputs`` is the network's forward pass (see
        :class:`~sk_metricembed._training.autoencoder.AutoEncoder`) plus ``input``, the
        rows it reconstructs, ``decoded_rows``, their positions among the
        coded rows where the batch holds rows drawn only for a pair or
        triplet, and ``neighbor_mean``, the codes of their neighbours.
        """
        parts: dict[str, torch.Tensor] = {}
        if self.weight < 1:
            parts["reconstruction"] = losses.reconstruction_loss(
                outputs["reconstruction"], outputs["input"], self.reconstruction
            )
            if "log_var" in outputs:
                # The ELBO's other half, over the rows it reconstructs (not
                # those drawn only for a pair or triplet): summed over latent
                # dimensions and divided by the number of features, as the
                # reconstruction is a per-feature mean.
                mean, log_var = outputs["mean"], outputs["log_var"]
                if "decoded_rows" in outputs:
                    rows = outputs["decoded_rows"]
                    mean, log_var = mean[rows], log_var[rows]
                kl = losses.gaussian_kl_divergence(mean, log_var)
                parts["kl"] = kl / outputs["input"].shape[1]
        metric = self._metric_terms(outputs, targets) if self.weight > 0 else {}
        parts.update(metric)
        unsupervised = parts.get("reconstruction", 0.0)
        if "kl" in parts:
            # The VAE's negative ELBO per feature: the reconstruction under
            # its likelihood, plus the (warming-up) KL.
            scale = self._likelihood_scale(parts["reconstruction"])
            unsupervised = (
                unsupervised / scale
                + self._log_normaliser(scale)
                + self.kl_ramp * self.beta * parts["kl"]
            )
        total = (1 - self.weight) * unsupervised
        if metric:
            total = total + self.weight * sum(metric.values())
        if not torch.is_tensor(total):
            # At weight=1 a batch may hold none of a few explicit constraints
            # (the fit checked that some exist): a zero loss, no gradient.
            total = outputs["mean"].sum() * 0.0
        return {"loss": total, **{k: v.detach() for k, v in parts.items()}}

    def _likelihood_scale(self, reconstruction: torch.Tensor) -> torch.Tensor | float:
        """``2 * var``: the mean squared error over it is the Gaussian NLL.

        A Gaussian of variance ``var`` gives each feature a negative
        log-likelihood of ``(x - x_hat)**2 / (2 * var)`` plus a constant; a
        Bernoulli (``"bce"``) needs no scale.
        """
        if self.reconstruction == "bce":
            return 1.0
        if self.observation_variance == "auto":
            # The likelihood's maximiser, held fixed for the step's gradient.
            variance = reconstruction.detach().clamp_min(MIN_OBSERVATION_VARIANCE)
            return 2 * variance
        return 2 * self.observation_variance

    def _log_normaliser(self, scale) -> torch.Tensor | float:
        """``log(var) / 2``, with the ``"auto"`` variance: the NLL's other term.

        At ``var = mse`` the Gaussian NLL per feature is ``log(mse) / 2 +
        1/2`` (plus ``log(2 pi) / 2``): without this term the loss's value
        would be a constant 1/2 whatever the reconstruction, and the
        validation rows' ``valid_loss`` (early stopping's figure) blind to
        it. The variance is held fixed, so the gradient is unchanged. A fixed
        variance's term is a constant, left out.
        """
        if self.reconstruction == "mse" and self.observation_variance == "auto":
            return 0.5 * torch.log(scale / 2)
        return 0.0

    def _metric_terms(self, outputs, targets: BatchTargets) -> dict[str, torch.Tensor]:
        mean = outputs["mean"]
        terms: dict[str, torch.Tensor] = {}
        balanced = targets.balanced
        z_labeled, labels = mean[balanced], targets.labels[balanced]
        constraint = self._constraint_term(z_labeled, labels, mean, targets)
        if constraint is not None:
            terms["constraint"] = constraint
        if self.neighbor_weight > 0 and targets.neighbor_of.numel() > 1:
            z_anchor = mean[targets.neighbor_of]
            terms["neighbor"] = self.neighbor_weight * losses.neighbor_contrastive_loss(
                z_anchor, outputs["neighbor_mean"]
            )
        has_labels = torch.unique(labels).numel() >= 2
        if self.supervised_contrastive_weight > 0 and has_labels:
            terms["supervised_contrastive"] = (
                self.supervised_contrastive_weight
                * losses.supervised_contrastive_loss(z_labeled, labels)
            )
        if self.contrasting_weight > 0 and has_labels:
            unlabeled = targets.labels < 0
            terms["contrasting"] = (
                self.contrasting_weight
                * losses.semi_supervised_contrasting_loss(
                    z_labeled, labels, mean[unlabeled]
                )
            )
        if self.spatial_contrasting_weight > 0:
            # Two random patches of each (augmented) image, on the stem's map.
            feature_map = outputs["feature_map"]
            terms["spatial_contrasting"] = (
                self.spatial_contrasting_weight
                * losses.spatial_contrasting_loss(
                    random_patch_features(feature_map),
                    random_patch_features(feature_map),
                )
            )
        if self.classifier_weight > 0 and "logits" in outputs and labels.numel() > 0:
            terms["classifier"] = self.classifier_weight * F.cross_entropy(
                outputs["logits"][balanced], labels
            )
        return terms

    def _constraint_term(self, z_labeled, labels, mean, targets: BatchTargets):
        """Pair or triplet loss on label-mined and explicit constraints."""
        if self.metric_loss == NO_METRIC_LOSS:
            return None
        if self.metric_loss in PAIR_LOSSES:
            first, second, similar = mine_pairs(
                z_labeled, labels, self.miner, self.margin
            )
            z1 = torch.cat([z_labeled[first], mean[targets.pairs[:, 0]]])
            z2 = torch.cat([z_labeled[second], mean[targets.pairs[:, 1]]])
            n_mined = similar.numel()
            similar = torch.cat([similar, targets.pair_similar])
            if similar.numel() == 0:
                return None
            sample_weight = None
            if self.mined_pair_weight < 1 and n_mined:
                sample_weight = torch.ones_like(similar, dtype=mean.dtype)
                sample_weight[:n_mined] = self.mined_pair_weight
            if self.similarity_head is not None:
                logits = self.similarity_head(torch.abs(z1 - z2)).squeeze(1)
                return losses.pair_bce_loss(logits, similar, sample_weight)
            return losses.contrastive_loss(z1, z2, similar, self.margin, sample_weight)
        anchor, positive, negative = mine_triplets(
            z_labeled, labels, self.miner, self.margin
        )
        explicit = targets.triplets
        if anchor.numel() + explicit.shape[0] == 0:
            return None
        # Mined triplets read their distances off one matrix of the labelled
        # rows (n**2 distances for up to MAX_TRIPLETS triplets); explicit ones,
        # few and spread over the batch, are computed row by row.
        distances = distance_matrix(z_labeled, z_labeled)
        d_positive = torch.cat(
            [
                distances[anchor, positive],
                euclidean(mean[explicit[:, 0]], mean[explicit[:, 1]]),
            ]
        )
        d_negative = torch.cat(
            [
                distances[anchor, negative],
                euclidean(mean[explicit[:, 0]], mean[explicit[:, 2]]),
            ]
        )
        return losses.triplet_loss_from_distances(
            d_positive, d_negative, self.metric_loss, self.margin
        )


def similarity_head(latent_dim: int, margin: float) -> nn.Linear:
    """Koch's logit ``b - sum_j a_j |z1_j - z2_j|``, starting as ``margin - L1``.

    Started at ``a_j = 1`` and ``b = margin``, the head reads "closer than
    the margin in L1 means similar" from the first step, so the gradient
    pulls similar pairs together and pushes dissimilar ones apart while it
    learns its weights. A random start gives some dimensions the opposite
    sign: in two dimensions that sent every code to one point (test 5-NN
    0.114 on the MNIST split of ``benchmarks/reproductions.py``; 0.953 with
    this start).
    """
    head = nn.Linear(latent_dim, 1)
    with torch.no_grad():
        head.weight.fill_(-1.0)
        head.bias.fill_(margin)
    return head


class KLWarmup(Callback):
    """Raise the KL term's weight linearly over the first ``share`` of the epochs.

    KL annealing (Bowman et al., 2016): epoch ``e`` of ``max_epochs`` trains
    with ``min(1, e / (share * max_epochs))`` of the KL's weight. Epochs are
    counted in the net's history, so a warm start continues at full weight.
    """

    def __init__(self, share: float) -> None:
        self.share = share

    def on_epoch_begin(self, net, **kwargs) -> None:
        epoch = len(net.history)  # this epoch's number, from 1
        net.criterion_.kl_ramp = min(1.0, epoch / (self.share * net.max_epochs))


def random_patch_features(feature_map: torch.Tensor) -> torch.Tensor:
    """Mean feature of a random window covering half of each side of the map.

    ``(n, c, h, w) -> (n, c)``; each image gets its own window (spatial
    contrasting's patches, taken on the feature map rather than the pixels so
    that the encoder runs once).
    """
    n, _, height, width = feature_map.shape
    size_h, size_w = max(1, (height + 1) // 2), max(1, (width + 1) // 2)
    top = torch.randint(height - size_h + 1, (n,), device=feature_map.device)
    left = torch.randint(width - size_w + 1, (n,), device=feature_map.device)
    rows = torch.arange(height, device=feature_map.device)
    cols = torch.arange(width, device=feature_map.device)
    inside_rows = (rows[None] >= top[:, None]) & (rows[None] < top[:, None] + size_h)
    inside_cols = (cols[None] >= left[:, None]) & (cols[None] < left[:, None] + size_w)
    window = (inside_rows[:, :, None] & inside_cols[:, None, :]).to(feature_map.dtype)
    return (feature_map * window[:, None]).sum(dim=(2, 3)) / (size_h * size_w)
