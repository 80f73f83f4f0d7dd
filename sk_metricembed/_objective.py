"""The training objective: which losses apply to a batch, and how they blend.

    loss = weight * metric + (1 - weight) * (reconstruction + beta * KL)

``metric`` sums the terms whose supervision the batch carries:

- the estimator's pair or triplet loss, on pairs/triplets mined from the
  labelled rows and on the explicit constraints;
- ``neighbor_weight`` times the unsupervised neighbour term;
- ``supervised_contrastive_weight``, ``contrasting_weight`` and
  ``classifier_weight`` times the optional label terms;
- ``spatial_contrasting_weight`` times spatial contrasting (image mode).

Every metric term acts on the latent means, as in the TVAE paper. The
objective is the skorch ``criterion``; it returns the total and its parts,
which the net records in its history.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from . import losses
from ._conv import random_patch_features
from ._distances import distance_matrix, euclidean
from ._mining import mine_pairs, mine_triplets
from ._sampling import Batch

PAIR_LOSSES = ("contrastive", "bce")
TRIPLET_LOSSES = ("triplet", "softmax_ratio")


class Objective(nn.Module):
    """Criterion combining reconstruction, KL and the metric terms."""

    def __init__(
        self,
        weight: float = 0.5,
        metric_loss: str = "triplet",
        miner: str = "all",
        margin: float = 1.0,
        reconstruction: str = "mse",
        beta: float = 1.0,
        neighbor_weight: float = 0.0,
        supervised_contrastive_weight: float = 0.0,
        contrasting_weight: float = 0.0,
        classifier_weight: float = 0.0,
        spatial_contrasting_weight: float = 0.0,
    ) -> None:
        super().__init__()
        self.weight = weight
        self.metric_loss = metric_loss
        self.miner = miner
        self.margin = margin
        self.reconstruction = reconstruction
        self.beta = beta
        self.neighbor_weight = neighbor_weight
        self.supervised_contrastive_weight = supervised_contrastive_weight
        self.contrasting_weight = contrasting_weight
        self.classifier_weight = classifier_weight
        self.spatial_contrasting_weight = spatial_contrasting_weight

    def forward(
        self, outputs: dict[str, torch.Tensor], batch: Batch, module
    ) -> dict[str, torch.Tensor]:
        """Return ``{"loss": total, <part>: value, ...}`` for one batch."""
        parts: dict[str, torch.Tensor] = {}
        if self.weight < 1:
            parts["reconstruction"] = losses.reconstruction_loss(
                outputs["reconstruction"], outputs["target"], self.reconstruction
            )
            if "log_var" in outputs:
                # Summed over latent dimensions and divided by the number of
                # features, as the reconstruction is a per-feature mean: with
                # beta=1 this is the ELBO up to a constant factor.
                kl = losses.gaussian_kl_divergence(outputs["mean"], outputs["log_var"])
                parts["kl"] = kl / batch.X.shape[1]
        metric = self._metric_terms(outputs, batch, module) if self.weight > 0 else {}
        parts.update(metric)
        unsupervised = parts.get("reconstruction", 0.0) + self.beta * parts.get(
            "kl", 0.0
        )
        total = (1 - self.weight) * unsupervised
        if metric:
            total = total + self.weight * sum(metric.values())
        return {"loss": total, **{k: v.detach() for k, v in parts.items()}}

    def _metric_terms(self, outputs, batch, module) -> dict[str, torch.Tensor]:
        mean = outputs["mean"]
        terms: dict[str, torch.Tensor] = {}
        balanced = batch.balanced
        z_labeled, labels = mean[balanced], batch.labels[balanced]
        constraint = self._constraint_term(z_labeled, labels, mean, batch, module)
        if constraint is not None:
            terms["constraint"] = constraint
        if self.neighbor_weight > 0 and batch.neighbor_of.numel() > 1:
            z_anchor = mean[batch.neighbor_of]
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
            unlabeled = batch.labels < 0
            terms["contrasting"] = (
                self.contrasting_weight
                * losses.semi_supervised_contrasting_loss(
                    z_labeled, labels, mean[unlabeled]
                )
            )
        if self.spatial_contrasting_weight > 0:
            # Two random patches of each (augmented) image, on the conv map.
            feature_map = module.encoder_body.feature_map(outputs["target"])
            terms["spatial_contrasting"] = (
                self.spatial_contrasting_weight
                * losses.spatial_contrasting_loss(
                    random_patch_features(feature_map),
                    random_patch_features(feature_map),
                )
            )
        if self.classifier_weight > 0 and labels.numel() > 0:
            logits = module.classifier(z_labeled)
            terms["classifier"] = self.classifier_weight * F.cross_entropy(
                logits, labels
            )
        return terms

    def _constraint_term(self, z_labeled, labels, mean, batch, module):
        """Pair or triplet loss on label-mined and explicit constraints."""
        if self.metric_loss in PAIR_LOSSES:
            first, second, similar = mine_pairs(
                z_labeled, labels, self.miner, self.margin
            )
            z1 = torch.cat([z_labeled[first], mean[batch.pairs[:, 0]]])
            z2 = torch.cat([z_labeled[second], mean[batch.pairs[:, 1]]])
            similar = torch.cat([similar, batch.pair_similar])
            if similar.numel() == 0:
                return None
            if self.metric_loss == "bce":
                return losses.pair_bce_loss(module.similarity_logits(z1, z2), similar)
            return losses.contrastive_loss(z1, z2, similar, self.margin)
        anchor, positive, negative = mine_triplets(
            z_labeled, labels, self.miner, self.margin
        )
        explicit = batch.triplets
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
