"""Distances between latent codes, shared by the losses and the objective."""

from __future__ import annotations

import torch


def euclidean(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Row-wise ``||a_i - b_i||``; the epsilon keeps the gradient finite at 0."""
    return torch.sqrt((a - b).pow(2).sum(dim=1) + 1e-12)


def squared_distances(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """``(n, d), (m, d) -> (n, m)`` squared Euclidean distances.

    The expansion is one matmul and, unlike ``cdist(...) ** 2``, has a finite
    gradient where two codes coincide; it is clamped because rounding can
    take it slightly below zero.
    """
    squared = a.pow(2).sum(1)[:, None] + b.pow(2).sum(1)[None, :] - 2.0 * a @ b.T
    return squared.clamp_min(0.0)


def distance_matrix(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """``(n, m)`` Euclidean distances, finite gradient on the diagonal too."""
    return torch.sqrt(squared_distances(a, b) + 1e-12)
