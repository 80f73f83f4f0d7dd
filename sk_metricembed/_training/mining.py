"""Online mining of pairs and triplets from the labelled rows of a batch.

``all`` uses every valid pair (negatives subsampled to the number of
positives, so that the contrastive loss is class-balanced) or every valid
triplet; ``semi-hard`` keeps the negatives that still violate the margin
(FaceNet's semi-hard triplets: ``d(a, p) < d(a, n) < d(a, p) + margin``);
``hard`` takes each anchor's farthest positive and nearest negative
(batch-hard). When a strategy finds nothing, ``all`` is used, so a step never
silently loses its metric term.
"""

from __future__ import annotations

import torch

MINERS = ("all", "semi-hard", "hard")
#: Triplets one step may use; above it a uniform sample of the valid ones.
MAX_TRIPLETS = 20_000
# Up to this many (a, p, n) candidates the cube is enumerated exactly; beyond
# it valid triplets are drawn directly, which costs O(n**2 + draws), not O(n**3).
_MAX_CUBE = 2_000_000


def mine_pairs(
    z: torch.Tensor, labels: torch.Tensor, strategy: str, margin: float
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Return ``(first, second, similar)`` index tensors into ``z``."""
    n = labels.shape[0]
    same = labels[:, None] == labels[None, :]
    upper = torch.triu(torch.ones(n, n, dtype=torch.bool, device=z.device), diagonal=1)
    positive, negative = same & upper, ~same & upper
    if strategy == "hard":
        anchors, far_pos, near_neg = _batch_hard(z, same)
        if anchors.numel():
            first = torch.cat([anchors, anchors])
            second = torch.cat([far_pos, near_neg])
            similar = torch.cat([torch.ones_like(anchors), torch.zeros_like(anchors)])
            return first, second, similar
    if strategy == "semi-hard":
        within = torch.cdist(z, z).detach() < margin
        if (negative & within).any():
            negative = negative & within
    pos_i, pos_j = torch.nonzero(positive, as_tuple=True)
    neg_i, neg_j = torch.nonzero(negative, as_tuple=True)
    if 0 < pos_i.numel() < neg_i.numel():
        keep = torch.randperm(neg_i.numel(), device=z.device)[: pos_i.numel()]
        neg_i, neg_j = neg_i[keep], neg_j[keep]
    first = torch.cat([pos_i, neg_i])
    second = torch.cat([pos_j, neg_j])
    similar = torch.cat([torch.ones_like(pos_i), torch.zeros_like(neg_i)])
    return first, second, similar


def mine_triplets(
    z: torch.Tensor, labels: torch.Tensor, strategy: str, margin: float
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Return ``(anchor, positive, negative)`` index tensors into ``z``."""
    n = labels.shape[0]
    eye = torch.eye(n, dtype=torch.bool, device=z.device)
    same = labels[:, None] == labels[None, :]
    if strategy == "hard":
        anchors, far_pos, near_neg = _batch_hard(z, same)
        if anchors.numel():
            return anchors, far_pos, near_neg
    # Semi-hard keeps a fraction of the candidates: draw more of them.
    n_draws = MAX_TRIPLETS * (10 if strategy == "semi-hard" else 1)
    anchor, positive, negative = _valid_triplets(same & ~eye, ~same, n_draws)
    if strategy == "semi-hard":
        distances = torch.cdist(z, z).detach()
        d_ap, d_an = distances[anchor, positive], distances[anchor, negative]
        semi_hard = (d_an > d_ap) & (d_an < d_ap + margin)
        if semi_hard.any():
            anchor, positive, negative = (
                anchor[semi_hard],
                positive[semi_hard],
                negative[semi_hard],
            )
    if anchor.numel() > MAX_TRIPLETS:
        keep = torch.randperm(anchor.numel(), device=z.device)[:MAX_TRIPLETS]
        anchor, positive, negative = anchor[keep], positive[keep], negative[keep]
    return anchor, positive, negative


def _batch_hard(z: torch.Tensor, same: torch.Tensor):
    """Each anchor's farthest positive and nearest negative (batch-hard).

    Returns ``(anchors, far_positive, near_negative)`` for the rows that have
    both a positive and a negative; ``same[i, j]`` is True for one class.
    Mining only ranks detached distances, so ``torch.cdist`` serves here;
    the losses use :mod:`.distances`, whose gradient is finite at zero.
    """
    eye = torch.eye(same.shape[0], dtype=torch.bool, device=z.device)
    distances = torch.cdist(z, z).detach()
    anchors = torch.nonzero((same & ~eye).any(1) & (~same).any(1)).squeeze(1)
    far_positive = distances.masked_fill(~same | eye, -1.0).argmax(1)[anchors]
    near_negative = distances.masked_fill(same, torch.inf).argmin(1)[anchors]
    return anchors, far_positive, near_negative


def _valid_triplets(positive: torch.Tensor, negative: torch.Tensor, n_draws: int):
    """Every valid ``(a, p, n)``, or ``n_draws`` of them drawn per anchor.

    ``positive[a, p]`` and ``negative[a, n]`` are boolean (n, n) masks. When
    the candidate cube is small it is enumerated; otherwise each anchor draws
    the same number of positives and negatives uniformly (with replacement)
    from its masks, so no draw is wasted on an invalid triplet and every
    anchor, whatever the size of its class, gets its share.
    """
    n = positive.shape[0]
    anchors = torch.nonzero(positive.any(1) & negative.any(1)).squeeze(1)
    if anchors.numel() * n * n <= _MAX_CUBE:
        cube = positive[anchors][:, :, None] & negative[anchors][:, None, :]
        index, p, q = torch.nonzero(cube, as_tuple=True)
        return anchors[index], p, q
    per_anchor = -(-n_draws // anchors.numel())
    p = torch.multinomial(positive[anchors].float(), per_anchor, replacement=True)
    q = torch.multinomial(negative[anchors].float(), per_anchor, replacement=True)
    return anchors.repeat_interleave(per_anchor), p.reshape(-1), q.reshape(-1)
