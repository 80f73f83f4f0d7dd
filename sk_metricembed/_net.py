"""The skorch glue: a ``NeuralNet`` whose hooks speak in batch plans.

Only skorch's documented hooks are overridden: ``get_iterator`` (our batch
plans instead of a shuffled ``DataLoader``), ``infer`` (one forward pass for
the batch and, when the neighbour term is on, an encoder pass for the
neighbours) and ``get_loss`` (the blended objective, whose parts go to
``history`` as data). The epoch loop, callbacks, device moves and
optimiser steps stay skorch's.
"""

from __future__ import annotations

import torch
from skorch import NeuralNet
from skorch.callbacks import PassthroughScoring
from torch.utils.data import DataLoader

from ._sampling import Batch

#: Parts of the objective recorded per batch and averaged per epoch.
LOSS_PARTS = (
    "reconstruction",
    "kl",
    "constraint",
    "neighbor",
    "supervised_contrastive",
    "contrasting",
    "classifier",
    "spatial_contrasting",
)


def _first(batch):
    return batch


class EmbeddingNet(NeuralNet):
    """``NeuralNet`` training an :class:`~sk_metricembed._modules.AutoEncoder`.

    ``augment`` is an optional callable applied to input rows during
    training (image mode); it must keep the rows' shape.
    """

    def __init__(self, *args, augment=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.augment = augment

    def get_default_callbacks(self):
        parts = [
            (f"{part}_loss", PassthroughScoring(name=f"{part}_loss", on_train=True))
            for part in LOSS_PARTS
        ]
        return [*super().get_default_callbacks(), *parts]

    def get_iterator(self, dataset, training=False):
        # The dataset indexes whole batch plans; batch_size=None turns off
        # DataLoader's own batching and collation.
        return DataLoader(
            dataset, sampler=dataset.sampler, batch_size=None, collate_fn=_first
        )

    def infer(self, x: Batch, **fit_params):
        x = x.to(self.device)
        inputs, neighbors = x.X, x.X_neighbor
        if self.augment is not None and self.module_.training:
            inputs, neighbors = self.augment(inputs), self.augment(neighbors)
        outputs = self.module_(inputs, decode=self.criterion_.weight < 1)
        outputs["target"] = inputs
        if neighbors.shape[0] > 0:
            outputs["neighbor_mean"] = self.module_.encode(neighbors)
        return outputs

    def get_loss(self, y_pred, y_true, X=None, training=False):
        parts = self.criterion_(y_pred, X.to(self.device), self.module_)
        for name, value in parts.items():
            if name != "loss":
                self.history.record_batch(f"{name}_loss", value.item())
        if not torch.isfinite(parts["loss"]):
            raise FloatingPointError(
                "the training loss became NaN or infinite; lower lr, scale the "
                "input (for example with StandardScaler) or lower margin."
            )
        return parts["loss"]
