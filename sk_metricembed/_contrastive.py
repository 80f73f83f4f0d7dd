"""Batch-contrastive losses: each row against the other rows of its batch.

The unsupervised neighbour term, supervised contrastive, Hoffer & Ailon's
semi-supervised and spatial contrasting. Re-exported by
:mod:`sk_metricembed.losses`, the public home of every loss.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from ._distances import distance_matrix, euclidean, squared_distances


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
    >>> z = torch.tensor([[0.0], [0.1], [9.0], [9.1]])
    >>> loss = supervised_contrastive_loss(z, torch.tensor([0, 0, 1, 1]))
    >>> round(float(loss), 2)
    0.02
    """
    n = z.shape[0]
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
    minimise the cross-entropy to their class; unlabelled rows minimise the
    entropy of ``P``. The two parts are averaged with equal weight.

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
    >>> z = torch.tensor([[0.0], [0.2], [5.0], [5.2]])
    >>> loss = semi_supervised_contrasting_loss(z, torch.tensor([0, 0, 1, 1]))
    >>> float(loss) < 0.01
    True
    """
    classes, class_index = torch.unique(labels, return_inverse=True)
    if classes.numel() < 2:
        return z_labeled.sum() * 0.0
    one_hot = F.one_hot(class_index, classes.numel()).to(z_labeled.dtype)
    exemplars = (one_hot.T @ z_labeled) / one_hot.sum(dim=0)[:, None]
    loss = F.cross_entropy(-squared_distances(z_labeled, exemplars), class_index)
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
    over the other images ``j`` of the batch: the seeds' pairwise form
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
