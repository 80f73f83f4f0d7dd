"""Data-parallel training across processes, through ``torch.distributed``.

A fit run in every process of an initialised default process group (as
``torchrun`` starts them) is data-parallel: every process draws the same
batch plans (same ``random_state``, same data), trains on its share of
them (plan ``i`` of an epoch goes to process ``i % world_size``; the last
plans that would leave a process without a partner step are dropped), and
the gradients are averaged over the processes after every backward pass,
before the optimiser's step. The processes start from the same weights
and apply the same averaged gradients, so they hold the same model
throughout; each is a complete fitted estimator. One step then sees
``world_size`` batches: an epoch takes ``1 / world_size`` of the steps, as
with a batch that many times larger. Any backend works (``gloo`` on CPUs,
``nccl`` on GPUs, one process per GPU with ``device=f"cuda:{local_rank}"``).
"""

from __future__ import annotations

import torch
import torch.distributed as dist
from skorch.callbacks import Callback


def process_group() -> tuple[int, int]:
    """``(rank, world_size)`` of the initialised default group, else ``(0, 1)``."""
    if dist.is_available() and dist.is_initialized():
        return dist.get_rank(), dist.get_world_size()
    return 0, 1


class ShardedPlans:
    """A batch-plan sampler's plans for one process of ``world_size``.

    Every process iterates the whole sampler, so that its random draws stay
    those of the others, and keeps plans ``rank, rank + world_size, ...``,
    the same number in every process.
    """

    def __init__(self, sampler, rank: int, world_size: int) -> None:
        if len(sampler) < world_size:
            # Every process raises alike (the same plans), before any step:
            # a process without a plan would train nothing while the others
            # waited for its gradients.
            raise ValueError(
                f"data-parallel training over {world_size} processes needs at "
                f"least {world_size} batch plans a pass, and this fit's rows "
                f"make {len(sampler)}; lower batch_size (a pass takes "
                "ceil(rows / batch_size) plans), or run fewer processes."
            )
        self.sampler = sampler
        self.rank = rank
        self.world_size = world_size

    def __len__(self) -> int:
        return len(self.sampler) // self.world_size

    def __iter__(self):
        n_kept = len(self) * self.world_size
        for index, plan in enumerate(self.sampler):
            if index >= n_kept:
                break
            if index % self.world_size == self.rank:
                yield plan


class AverageGradients(Callback):
    """Average every learnable parameter's gradient over the processes.

    Runs on skorch's ``on_grad_computed``, between the backward pass and
    the optimiser's step. A parameter without a gradient in this process
    (a head the batch did not reach) counts as a zero gradient, so that
    every process joins the same reductions.
    """

    def on_grad_computed(self, net, named_parameters, **kwargs) -> None:
        _, world_size = process_group()
        if world_size == 1:
            return
        for _, parameter in named_parameters:
            if parameter.grad is None:
                parameter.grad = torch.zeros_like(parameter)
            dist.all_reduce(parameter.grad)
            parameter.grad.div_(world_size)
