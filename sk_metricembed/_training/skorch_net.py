"""The skorch glue: a ``NeuralNet`` whose hooks speak in batch plans.

Only skorch's documented hooks are overridden: ``get_iterator`` (our batch
plans instead of a shuffled ``DataLoader``), ``infer`` (one forward pass for
the batch and, when the neighbour term is on, an encoder pass for the
neighbours) and ``get_loss`` (the blended objective on the forward pass and
the batch's targets, skorch's ``y``, whose parts go to ``history`` as
data). The epoch loop, callbacks, device moves and optimiser steps stay
skorch's.
"""

from __future__ import annotations

import torch
from skorch import NeuralNet
from skorch.callbacks import PassthroughScoring
from torch.utils.data import DataLoader

from .batches import BatchInputs, BatchTargets
from .loss_parts import LOSS_PARTS, history_key


def _whole(batch):
    return batch


class EmbeddingNet(NeuralNet):
    """``NeuralNet`` training an :class:`~.autoencoder.AutoEncoder` on batch plans.

    ``augment`` is an optional callable applied to input rows during
    training (image mode); it must keep the rows' shape.
    """

    def __init__(self, *args, augment=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.augment = augment

    def get_default_callbacks(self):
        parts = [
            (key, PassthroughScoring(name=key, on_train=True))
            for key in map(history_key, LOSS_PARTS)
        ]
        return [*super().get_default_callbacks(), *parts]

    def get_iterator(self, dataset, training=False):
        # The dataset indexes whole batch plans; batch_size=None turns off
        # DataLoader's own batching and collation.
        return DataLoader(
            dataset, sampler=dataset.sampler, batch_size=None, collate_fn=_whole
        )

    def infer(self, x: BatchInputs, **fit_params):
        x = x.to(self.device)
        inputs, neighbors = x.X, x.X_neighbor
        if self.augment is not None and self.module_.training:
            inputs, neighbors = self.augment(inputs), self.augment(neighbors)
        outputs = self.module_(inputs, decode=self.criterion_.weight < 1)
        outputs["input"] = inputs
        if neighbors.shape[0] > 0:
            outputs["neighbor_mean"] = self.module_.encode(neighbors)
        return outputs

    def get_loss(self, y_pred, y_true: BatchTargets, X=None, training=False):
        parts = self.criterion_(y_pred, y_true.to(self.device))
        for name, value in parts.items():
            if name != "loss":
                self.history.record_batch(history_key(name), value.item())
        if not torch.isfinite(parts["loss"]):
            raise FloatingPointError(
                "the training loss became NaN or infinite; lower lr, scale the "
                "input (for example with StandardScaler) or lower margin."
            )
        return parts["loss"]
