"""Loss functions on latent codes, written as in their papers.

Every function takes torch tensors and returns a scalar tensor (the mean over
the pairs, triplets or rows it is given). They know nothing of batches,
samplers or estimators: the training objective decides which of them to
combine and how. The pair and triplet losses compare given pairs or
triplets; the batch-contrastive losses (neighbour term, supervised
contrastive, Hoffer & Ailon's semi-supervised and spatial contrasting)
compare each row with the other rows of its batch.

Shapes: ``z``, ``z1``, ``z2``, ``anchor``, ``positive``, ``negative`` are
``(n, latent_dim)``; ``similar`` and ``labels`` are ``(n,)``.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from ._training.distances import distance_matrix, euclidean, squared_distances
from ._training.loss_parts import RECONSTRUCTIONS, TRIPLET_LOSSES

__all__ = [
    "contrastive_loss",
    "pair_bce_loss",
    "triplet_margin_loss",
    "softmax_ratio_loss",
    "triplet_loss_from_distances",
    "reconstruction_loss",
    "gaussian_kl_divergence",
    "neighbor_contrastive_loss",
    "supervised_contrastive_loss",
    "semi_supervised_contrasting_loss",
    "spatial_contrasting_loss",
]


def contrastive_loss(
    z1: torch.Tensor,
    z2: torch.Tensor,
    similar: torch.Tensor,
    margin: float = 1.0,
    sample_weight: torch.Tensor | None = None,
) -> torch.Tensor:
    """Contrastive loss of Hadsell, Chopra & LeCun (2006).

    ``L = s * d**2 / 2 + (1 - s) * max(0, margin - d)**2 / 2`` with ``d`` the
    Euclidean distance between the two codes and ``s`` 1 for a similar pair.

    Parameters
    ----------
    z1, z2 : torch.Tensor of shape (n_pairs, latent_dim)
        Codes of the two members of each pair.
    similar : torch.Tensor of shape (n_pairs,)
        1 for similar pairs, 0 (or metric-learn's -1) for dissimilar pairs.
    margin : float, default=1.0
        Distance beyond which dissimilar pairs cost nothing.
    sample_weight : torch.Tensor of shape (n_pairs,), default=None
        Each pair's weight: the loss is then the mean of the weighted
        losses (a pair of weight 0.5 counts half). None weighs all alike.

    Returns
    -------
    loss : torch.Tensor
        Mean loss over the pairs.

    Examples
    --------
    >>> import torch
    >>> from sk_metricembed.losses import contrastive_loss
    >>> z1, z2 = torch.zeros(2, 2), torch.tensor([[3.0, 4.0], [0.5, 0.0]])
    >>> float(contrastive_loss(z1, z2, torch.tensor([1.0, 0.0])))
    6.3125
    >>> float(contrastive_loss(z1, z2, torch.tensor([1.0, 0.0]),
    ...                        sample_weight=torch.tensor([0.5, 1.0])))
    3.1875
    """
    similar = _pair_labels(similar, len(z1))
    similar = similar.to(z1.dtype)
    distance = euclidean(z1, z2)
    positive = similar * distance.pow(2)
    negative = (1 - similar) * F.relu(margin - distance).pow(2)
    loss = positive + negative
    if sample_weight is not None:
        loss = loss * sample_weight
    return 0.5 * loss.mean()


def pair_bce_loss(
    logits: torch.Tensor,
    similar: torch.Tensor,
    sample_weight: torch.Tensor | None = None,
) -> torch.Tensor:
    """Binary cross-entropy of a siamese similarity head (Koch, 2015).

    Parameters
    ----------
    logits : torch.Tensor of shape (n_pairs,)
        Output of a learned head on ``|z1 - z2|``; positive means "similar".
    similar : torch.Tensor of shape (n_pairs,)
        1 for similar pairs, 0 (or metric-learn's -1) for dissimilar pairs.
    sample_weight : torch.Tensor of shape (n_pairs,), default=None
        Each pair's weight, as in :func:`contrastive_loss`.

    Returns
    -------
    loss : torch.Tensor
        Mean binary cross-entropy.

    Examples
    --------
    >>> import torch
    >>> from sk_metricembed.losses import pair_bce_loss
    >>> round(float(pair_bce_loss(torch.zeros(3), torch.tensor([1, 0, 1]))), 4)
    0.6931
    >>> round(float(pair_bce_loss(torch.zeros(3), torch.tensor([1, 0, 1]),
    ...                           sample_weight=torch.tensor([1.0, 0.0, 0.5]))), 4)
    0.3466
    """
    similar = _pair_labels(similar, len(logits))
    return F.binary_cross_entropy_with_logits(
        logits, similar.to(logits.dtype), weight=sample_weight
    )


def _pair_labels(similar: torch.Tensor, n_pairs: int) -> torch.Tensor:
    """0/1 pair labels of shape (n_pairs,); metric-learn's -1 is dissimilar."""
    if similar.shape != (n_pairs,):
        raise ValueError(
            f"similar must have shape ({n_pairs},), one label per pair, got "
            f"{tuple(similar.shape)}."
        )
    return (similar > 0).to(torch.int64)


def triplet_margin_loss(
    anchor: torch.Tensor,
    positive: torch.Tensor,
    negative: torch.Tensor,
    margin: float = 1.0,
) -> torch.Tensor:
    """Triplet loss ``max(0, d(a, p) - d(a, n) + margin)`` on Euclidean distances.

    This is equation (1) of the TVAE paper (Ishfaq, Hoogi & Rubin), on the
    distances :func:`triplet_loss_from_distances` takes (any ``margin >= 0``).

    Parameters
    ----------
    anchor, positive, negative : torch.Tensor of shape (n_triplets, latent_dim)
        Codes of the three members of each triplet.
    margin : float, default=1.0
        Required gap between the negative and the positive distance.

    Returns
    -------
    loss : torch.Tensor
        Mean loss over the triplets.

    Examples
    --------
    >>> import torch
    >>> from sk_metricembed.losses import triplet_margin_loss
    >>> a, p, n = torch.zeros(1, 2), torch.ones(1, 2), torch.full((1, 2), 3.0)
    >>> float(triplet_margin_loss(a, p, n, margin=1.0))
    0.0
    """
    return triplet_loss_from_distances(
        euclidean(anchor, positive), euclidean(anchor, negative), margin=margin
    )


def softmax_ratio_loss(
    anchor: torch.Tensor, positive: torch.Tensor, negative: torch.Tensor
) -> torch.Tensor:
    """Softmax-ratio triplet loss of Hoffer & Ailon (2015).

    With ``d+ = ||a - p||`` and ``d- = ||a - n||``, the network's probability
    that the negative is the closer one is
    ``r = exp(d+) / (exp(d+) + exp(d-))``, a softmax over the two distances.
    Hoffer & Ailon train the pair ``(r, 1 - r)`` towards ``(0, 1)`` with a
    squared error, which is ``2 r**2``; we return the mean of ``r**2``.

    Hoffer & Ailon's slides print the negative distance in the numerator;
    minimising that would pull negatives in, against the stated objective
    ("the two related objects should have a much smaller embedded distance
    than the third"), so the positive distance is used, as in the paper.

    Parameters
    ----------
    anchor, positive, negative : torch.Tensor of shape (n_triplets, latent_dim)
        Codes of the three members of each triplet.

    Returns
    -------
    loss : torch.Tensor
        Mean of ``r**2`` over the triplets, in [0, 1).

    Examples
    --------
    >>> import torch
    >>> from sk_metricembed.losses import softmax_ratio_loss
    >>> a, p, n = torch.zeros(1, 1), torch.zeros(1, 1), torch.ones(1, 1)
    >>> round(float(softmax_ratio_loss(a, p, n)), 4)
    0.0723
    """
    return triplet_loss_from_distances(
        euclidean(anchor, positive), euclidean(anchor, negative), "softmax_ratio"
    )


def triplet_loss_from_distances(
    d_positive: torch.Tensor,
    d_negative: torch.Tensor,
    kind: str = "triplet",
    margin: float = 1.0,
) -> torch.Tensor:
    """A triplet loss from the anchor's distances to its positive and negative.

    The same losses as :func:`triplet_margin_loss` (``kind="triplet"``) and
    :func:`softmax_ratio_loss` (``kind="softmax_ratio"``), for callers that
    already hold the distances: the estimators gather mined triplets' distances
    from one (n, n) distance matrix of the batch instead of copying three rows
    of codes per triplet, which is what makes mining every valid triplet cheap.

    Parameters
    ----------
    d_positive, d_negative : torch.Tensor of shape (n_triplets,)
        Euclidean distances anchor-positive and anchor-negative.
    kind : {"triplet", "softmax_ratio"}, default="triplet"
        The loss.
    margin : float, default=1.0
        Margin of ``kind="triplet"``.

    Returns
    -------
    loss : torch.Tensor
        Mean loss over the triplets.

    Examples
    --------
    >>> import torch
    >>> from sk_metricembed.losses import triplet_loss_from_distances
    >>> float(triplet_loss_from_distances(torch.tensor([1.0]), torch.tensor([1.5])))
    0.5
    """
    _check_kind(kind, TRIPLET_LOSSES)
    if kind == "softmax_ratio":
        distances = torch.stack([d_positive, d_negative], dim=1)
        wrong_order = torch.softmax(distances, dim=1)[:, 0]
        return wrong_order.pow(2).mean()
    return F.relu(d_positive - d_negative + margin).mean()


def reconstruction_loss(
    reconstruction: torch.Tensor, target: torch.Tensor, kind: str = "mse"
) -> torch.Tensor:
    """Reconstruction error, averaged over rows and features.

    Parameters
    ----------
    reconstruction : torch.Tensor of shape (n, n_features)
        Decoder output; for ``kind="bce"`` these are logits.
    target : torch.Tensor of shape (n, n_features)
        The inputs; for ``kind="bce"`` they must lie in [0, 1].
    kind : {"mse", "bce"}, default="mse"
        Squared error, or Bernoulli cross-entropy for inputs in [0, 1].

    Returns
    -------
    loss : torch.Tensor
        Mean error per feature.

    Examples
    --------
    >>> import torch
    >>> from sk_metricembed.losses import reconstruction_loss
    >>> float(reconstruction_loss(torch.ones(2, 3), torch.zeros(2, 3)))
    1.0
    """
    _check_kind(kind, RECONSTRUCTIONS)
    if kind == "bce":
        return F.binary_cross_entropy_with_logits(reconstruction, target)
    return F.mse_loss(reconstruction, target)


def _check_kind(kind: str, kinds: tuple[str, ...]) -> None:
    if kind not in kinds:
        raise ValueError(f"kind must be one of {list(kinds)}, got {kind!r}.")


def gaussian_kl_divergence(mean: torch.Tensor, log_var: torch.Tensor) -> torch.Tensor:
    """``KL(N(mean, exp(log_var)) || N(0, I))``, summed over dimensions, row mean.

    Parameters
    ----------
    mean, log_var : torch.Tensor of shape (n, latent_dim)
        Parameters of the diagonal Gaussian posterior.

    Returns
    -------
    kl : torch.Tensor
        Mean over rows of the KL divergence to the standard normal prior.

    Examples
    --------
    >>> import torch
    >>> from sk_metricembed.losses import gaussian_kl_divergence
    >>> float(gaussian_kl_divergence(torch.zeros(4, 3), torch.zeros(4, 3)))
    0.0
    """
    kl = 0.5 * (mean.pow(2) + log_var.exp() - 1.0 - log_var).sum(dim=1)
    return kl.mean()


# -- batch-contrastive losses: each row against the other rows of its batch
def neighbor_contrastive_loss(
    z: torch.Tensor, z_neighbor: torch.Tensor
) -> torch.Tensor:
    """InfoNCE over a Cauchy kernel: row ``i`` should find its own neighbour.

    Row ``i`` of ``z_neighbor`` is the code of an input-space neighbour of row
    ``i`` of ``z``; the other rows of ``z_neighbor`` serve as negatives. The
    similarity is the heavy-tailed kernel ``1 / (1 + d**2)`` of t-SNE and
    UMAP, so the logits are ``-log(1 + d**2)``. The loss is symmetric in the
    two views.

    Parameters
    ----------
    z, z_neighbor : torch.Tensor of shape (n, latent_dim)
        Codes of rows and of one input-space neighbour of each.

    Returns
    -------
    loss : torch.Tensor
        Mean cross-entropy of finding the true neighbour among ``n``.

    Examples
    --------
    >>> import torch
    >>> from sk_metricembed.losses import neighbor_contrastive_loss
    >>> z = torch.tensor([[0.0, 0.0], [10.0, 0.0]])
    >>> float(neighbor_contrastive_loss(z, z)) < 0.02
    True
    """
    logits = -torch.log1p(squared_distances(z, z_neighbor))
    targets = torch.arange(z.shape[0], device=z.device)
    return 0.5 * (F.cross_entropy(logits, targets) + F.cross_entropy(logits.T, targets))


def supervised_contrastive_loss(z: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Supervised contrastive loss over a Cauchy kernel (Khosla et al., 2020).

    Every row with at least one same-class partner is an anchor; its
    positives are the other rows of its class, and the normaliser runs over
    all other rows. Logits are ``-log(1 + d**2)`` as in
    :func:`neighbor_contrastive_loss`.

    Parameters
    ----------
    z : torch.Tensor of shape (n, latent_dim)
        Codes of labelled rows.
    labels : torch.Tensor of shape (n,)
        Their integer classes.

    Returns
    -------
    loss : torch.Tensor
        Mean over anchors of the mean negative log-probability of positives;
        zero when no row has a partner.

    Examples
    --------
    >>> import torch
    >>> from sk_metricembed.losses import supervised_contrastive_loss
    >>> z = torch.tensor([[0.0], [0.1], [9.0], [9.1]])
    >>> loss = supervised_contrastive_loss(z, torch.tensor([0, 0, 1, 1]))
    >>> round(float(loss), 2)
    0.02
    """
    n = z.shape[0]
    if labels.shape != (n,):
        raise ValueError(
            f"labels must have shape ({n},), one class per row of z, got "
            f"{tuple(labels.shape)}."
        )
    self_mask = torch.eye(n, dtype=torch.bool, device=z.device)
    logits = (-torch.log1p(squared_distances(z, z))).masked_fill(self_mask, -torch.inf)
    log_prob = torch.log_softmax(logits, dim=1).masked_fill(self_mask, 0.0)
    positive = (labels[:, None] == labels[None, :]) & ~self_mask
    n_positive = positive.sum(dim=1)
    has_positive = n_positive > 0
    if not bool(has_positive.any()):
        return z.sum() * 0.0
    per_anchor = -(log_prob * positive).sum(dim=1)[has_positive]
    return (per_anchor / n_positive[has_positive]).mean()


def semi_supervised_contrasting_loss(
    z_labeled: torch.Tensor,
    labels: torch.Tensor,
    z_unlabeled: torch.Tensor | None = None,
) -> torch.Tensor:
    """Semi-supervised learning by contrasting (Hoffer & Ailon).

    Each class present in ``labels`` gets one exemplar, the mean code of its
    labelled rows. A row's distance distribution is
    ``P_i = softmax_i(-||F(x) - z_i||**2)`` over the exemplars. Labelled rows
    minimise the cross-entropy to their class, its exemplar then the mean of
    the class's other labelled rows (a labelled row alone in its class has
    none, and only serves as an exemplar); unlabelled rows minimise the
    entropy of ``P``. The loss is the sum of the two parts' means. The
    slides take one labelled example per class as its exemplar ``z_i``;
    the mean is that draw's average, and leaving a row out of its own
    exemplar keeps the labelled part from being met by the row's own code
    (with two labelled rows of a class, half of it).

    Parameters
    ----------
    z_labeled : torch.Tensor of shape (n_labeled, latent_dim)
        Codes of labelled rows.
    labels : torch.Tensor of shape (n_labeled,)
        Their integer classes.
    z_unlabeled : torch.Tensor of shape (n_unlabeled, latent_dim), optional
        Codes of unlabelled rows.

    Returns
    -------
    loss : torch.Tensor
        Labelled cross-entropy plus unlabelled entropy; zero with fewer than
        two classes.

    Examples
    --------
    >>> import torch
    >>> from sk_metricembed.losses import semi_supervised_contrasting_loss
    >>> z = torch.tensor([[0.0], [0.2], [5.0], [5.2]])
    >>> loss = semi_supervised_contrasting_loss(z, torch.tensor([0, 0, 1, 1]))
    >>> float(loss) < 0.01
    True
    """
    classes, class_index = torch.unique(labels, return_inverse=True)
    if classes.numel() < 2:
        return z_labeled.sum() * 0.0
    one_hot = F.one_hot(class_index, classes.numel()).to(z_labeled.dtype)
    sums, counts = one_hot.T @ z_labeled, one_hot.sum(dim=0)
    exemplars = sums / counts[:, None]
    # Each labelled row's own class: the mean of the class's other rows.
    own_count = counts[class_index]
    others = (sums[class_index] - z_labeled) / (own_count - 1).clamp_min(1)[:, None]
    distances = squared_distances(z_labeled, exemplars).scatter(
        1, class_index[:, None], ((z_labeled - others) ** 2).sum(dim=1, keepdim=True)
    )
    partnered = own_count > 1
    loss = z_labeled.sum() * 0.0
    if partnered.any():
        loss = F.cross_entropy(-distances[partnered], class_index[partnered])
    if z_unlabeled is not None and z_unlabeled.shape[0] > 0:
        log_p = torch.log_softmax(-squared_distances(z_unlabeled, exemplars), dim=1)
        loss = loss + -(log_p.exp() * log_p).sum(dim=1).mean()
    return loss


def spatial_contrasting_loss(
    first_patch: torch.Tensor, second_patch: torch.Tensor
) -> torch.Tensor:
    """Spatial contrasting (Hoffer & Ailon): two patches of one image belong together.

    For image ``i`` with patch features ``f_i1`` and ``f_i2``, the loss is
    ``-log(e^{-||f_i1 - f_i2||} / (e^{-||f_i1 - f_i2||} + sum_j e^{-||f_i1 - f_j1||}))``
    over the other images ``j`` of the batch: Hoffer & Ailon's pairwise form
    (one contrasting image) with every other image of the batch as a
    contrasting one.

    Parameters
    ----------
    first_patch, second_patch : torch.Tensor of shape (n_images, n_features)
        Features of two patches of each image.

    Returns
    -------
    loss : torch.Tensor
        Mean over images; zero with fewer than two images.

    Examples
    --------
    >>> import torch
    >>> from sk_metricembed.losses import spatial_contrasting_loss
    >>> f1 = torch.tensor([[0.0, 0.0], [9.0, 0.0]])
    >>> f2 = torch.tensor([[0.1, 0.0], [9.1, 0.0]])
    >>> float(spatial_contrasting_loss(f1, f2)) < 1e-3
    True
    """
    n = first_patch.shape[0]
    if n < 2:
        return first_patch.sum() * 0.0
    positive = euclidean(first_patch, second_patch)  # (n,)
    others = distance_matrix(first_patch, first_patch)
    others = others.masked_fill(
        torch.eye(n, dtype=torch.bool, device=others.device), torch.inf
    )
    logits = torch.cat([-positive[:, None], -others], dim=1)  # positive first
    targets = torch.zeros(n, dtype=torch.long, device=logits.device)
    return F.cross_entropy(logits, targets)
