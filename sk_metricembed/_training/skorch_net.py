"""The skorch glue: a ``NeuralNet`` whose hooks speak in batch plans.

Only skorch's documented hooks are overridden: ``get_split_datasets`` (the
validation rows the estimator held out, see :mod:`.validation`),
``get_iterator`` (our batch plans instead of a shuffled ``DataLoader``),
``forward_iter`` (refusing rows with a pointer to ``transform``),
``infer`` (one forward pass for the batch and, when the neighbour term is
on, an encoder pass for the neighbours; in bfloat16 autocast while
training under ``mixed_precision="bf16"``, :mod:`.precision`),
``validation_step`` (the objective
less the KL term) and ``get_loss`` (the blended objective on the
forward pass and the batch's targets, skorch's ``y``, whose parts go to
``history`` as data). The epoch loop, callbacks, device moves and optimiser
steps stay skorch's; two of skorch's default callbacks are replaced by
subclasses that record the same history at a cost that does not grow with
the epochs run (:class:`LossScoring`, :class:`QuietPrintLog`).
"""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np
import torch
from skorch import NeuralNet
from skorch.callbacks import PassthroughScoring, PrintLog
from torch.utils.data import DataLoader

from .batches import BatchInputs, BatchTargets
from .distributed import AverageGradients, ShardedPlans, process_group
from .loss_parts import (
    LOSS_PARTS,
    TRAIN_LOSS,
    VALID_PREFIX,
    history_key,
    validation_key,
)
from .precision import as_float32, training_autocast
from .validation import MonitoredKeys, SplitDatasets

#: The ``DataLoader`` arguments the batch plans set; ``iterator_train__*`` and
#: ``iterator_valid__*`` may set the others (``num_workers``, ...).
PLANNED_LOADER_ARGUMENTS = (
    "batch_size",
    "shuffle",
    "sampler",
    "batch_sampler",
    "collate_fn",
    "drop_last",
)


def _whole(batch):
    return batch


def callback_objects(callbacks) -> list:
    """The callbacks of a skorch ``callbacks`` list, ``(name, callback)`` unwrapped.

    Examples
    --------
    >>> from sk_metricembed._training.skorch_net import callback_objects
    >>> callback_objects([("a", 1), 2]), callback_objects(None)
    ([1, 2], [])
    """
    return [
        entry[1] if isinstance(entry, tuple) else entry for entry in callbacks or ()
    ]


def _last_epoch(history) -> dict:
    """The history's last epoch, read without copying the whole history.

    skorch's ``History`` indexing starts by copying its list of epochs, so
    that reading the last one costs as many steps as epochs were run: a
    small table's fit runs about a thousand one-step epochs, and the loss
    parts' scoring spent about a twelfth of a wine fit there (0.9 of 11 s
    under cProfile).
    """
    if isinstance(history, list):
        return list.__getitem__(history, -1)
    return history[-1]  # a history that is not a list (skorch's distributed one)


class LossScoring(PassthroughScoring):
    """skorch's ``PassthroughScoring``, reading the last epoch alone.

    The same record: the mean of the epoch's batch values of ``name``,
    weighted by the batches' sizes, and ``<name>_best``; nothing when no
    batch of the epoch recorded ``name`` (no validation rows, a part the
    objective does not compute).
    """

    def on_epoch_end(self, net, **kwargs):
        size = "train_batch_size" if self.on_train else "valid_batch_size"
        batches = [
            batch for batch in _last_epoch(net.history)["batches"] if self.name in batch
        ]
        if not batches:
            return
        weights, scores = zip(
            *((batch[size], batch[self.name]) for batch in batches if size in batch)
        )
        score = np.average(scores, weights=weights)
        is_best = self._is_best_score(score)
        if is_best:
            self.best_score_ = score
        net.history.record(self.name, score)
        if is_best is not None:
            net.history.record(self.name + "_best", bool(is_best))


class QuietPrintLog(PrintLog):
    """skorch's ``PrintLog``, which formats an epoch's row only to print it.

    skorch's tabulates every epoch and then prints nothing under
    ``verbose=0`` (its sink ``print``): about a millisecond an epoch, a
    tenth of a small table's fit. A sink of the user's own still receives
    every row, as in skorch.
    """

    def on_epoch_end(self, net, **kwargs):
        if self.sink is print and not net.verbose:
            return
        super().on_epoch_end(net, **kwargs)


#: skorch's default callbacks that :class:`EmbeddingNet` replaces, under
#: their names (``callbacks__print_log__sink`` and the like keep working).
_FASTER_DEFAULTS = {
    "train_loss": lambda: LossScoring(name="train_loss", on_train=True),
    "valid_loss": lambda: LossScoring(name="valid_loss"),
    "print_log": QuietPrintLog,
}


class EmbeddingNet(NeuralNet):
    """``NeuralNet`` training an :class:`~.autoencoder.AutoEncoder` on batch plans.

    ``augment`` is an optional callable applied to input rows during
    training (image mode); it must keep the rows' shape. ``mixed_precision``
    (``"no"`` or ``"bf16"``, :mod:`.precision`) is how the training passes
    compute.
    """

    def __init__(self, *args, augment=None, mixed_precision="no", **kwargs):
        super().__init__(*args, **kwargs)
        self.augment = augment
        self.mixed_precision = mixed_precision

    def get_default_callbacks(self):
        defaults = [
            (name, _FASTER_DEFAULTS[name]() if name in _FASTER_DEFAULTS else callback)
            for name, callback in super().get_default_callbacks()
        ]
        parts = [
            (key, LossScoring(name=key, on_train=True))
            for key in map(history_key, LOSS_PARTS)
        ]
        valid_parts = [
            (key, LossScoring(name=key, on_train=False))
            for key in (validation_key(history_key(part)) for part in LOSS_PARTS)
        ]
        # A no-op unless a process group is initialised (.distributed).
        averaging = [("average_gradients", AverageGradients())]
        monitored = [("monitored_keys", MonitoredKeys())]
        return [*defaults, *parts, *valid_parts, *averaging, *monitored]

    def get_split_datasets(self, X, y=None, **fit_params):
        # The estimator decides the validation rows (stratified on its
        # labels, with their own neighbours and constraints) and passes
        # both sides; a plain dataset trains without validation.
        if isinstance(X, SplitDatasets):
            return X.train, X.valid
        return super().get_split_datasets(X, y, **fit_params)

    def forward_iter(self, X, training=False, device="cpu"):
        # skorch's predict, predict_proba and forward read through here.
        if not hasattr(X, "sampler"):
            raise TypeError(
                "the embedder's skorch net reads the fit's batch plans, not "
                "rows: embed rows with the embedder's transform (decode with "
                "inverse_transform); during training, EmbeddingRecorder(X) "
                "records the embedding of X after every epoch."
            )
        yield from super().forward_iter(X, training=training, device=device)

    def get_iterator(self, dataset, training=False):
        # The dataset indexes whole batch plans; batch_size=None turns off
        # DataLoader's own batching and collation.
        loader_arguments = self.get_params_for(
            "iterator_train" if training else "iterator_valid"
        )
        sampler = dataset.sampler
        rank, world_size = process_group()
        if training and world_size > 1:
            # Data-parallel: this process's share of the plans (.distributed).
            sampler = ShardedPlans(sampler, rank, world_size)
        return DataLoader(
            dataset,
            sampler=sampler,
            batch_size=None,
            collate_fn=_whole,
            **loader_arguments,
        )

    def infer(self, x: BatchInputs, **fit_params):
        if not self.module_.training:
            return self._infer(x)
        with training_autocast(torch.device(self.device), self.mixed_precision):
            outputs = self._infer(x)
        return as_float32(outputs)

    def _infer(self, x: BatchInputs) -> dict:
        x = x.to(self.device)
        inputs, neighbors = x.X, x.X_neighbor
        if self.augment is not None and self.module_.training:
            inputs, neighbors = self.augment(inputs), self.augment(neighbors)
        # Rows drawn only for a pair or triplet are encoded, not decoded:
        # the batch's own rows carry the reconstruction (.batches).
        rows = x.reconstructed if x.reconstructed.numel() else None
        outputs = self.module_(
            inputs, decode=self.criterion_.weight < 1, decode_rows=rows
        )
        outputs["input"] = inputs if rows is None else inputs[rows]
        if rows is not None:
            outputs["decoded_rows"] = rows
        if neighbors.shape[0] > 0:
            outputs["neighbor_mean"] = self.module_.encode(neighbors)
        return outputs

    def validation_step(self, batch, **fit_params):
        # The KL term left out (its part is still recorded): the warm-up
        # moves its weight every epoch, so that valid_loss would follow the
        # schedule. At the current weight it rose by construction; at full
        # weight, early in a long warm-up, it rose while the encoder learnt
        # to use its code: early stopping on digits kept epoch 2 of 300 (5-NN
        # accuracy 0.72 against 0.946 for the whole fit). Without it, the
        # held-out reconstruction and metric terms stopped that fit at epoch
        # 127 (0.943).
        ramp = self.criterion_.kl_ramp
        self.criterion_.kl_ramp = 0.0
        try:
            with self._fixed_draws():
                return super().validation_step(batch, **fit_params)
        finally:
            self.criterion_.kl_ramp = ramp

    def validation_keys(self, dataset) -> set[str]:
        """The history keys the validation rows of ``dataset`` record.

        ``valid_loss`` and ``valid_<part>_loss`` of each part that one of
        the validation batches computes (a label term needs labelled rows
        of two classes among them, say); :class:`LossScoring` records each
        with its ``_best`` too. One pass of the objective in eval mode,
        recording nothing and drawing from forked generators
        (:meth:`_fixed_draws`): the training is the same with or without
        it.
        """
        keys = {"loss"}
        # As skorch's validation_step sets them; its training steps set
        # them back.
        self.module_.train(False)
        self.criterion_.train(False)
        with torch.no_grad(), self._fixed_draws():
            for Xi, yi in self.get_iterator(dataset, training=False):
                keys.update(self.criterion_(self.infer(Xi), yi.to(self.device)))
        return {
            validation_key(TRAIN_LOSS if key == "loss" else history_key(key))
            for key in keys
        }

    @contextmanager
    def _fixed_draws(self):
        """torch's random draws during a validation step: the same every epoch.

        Mining draws a random subset of negatives (and spatial contrasting
        random patches) with torch's generator: on the validation rows
        that made ``valid_loss`` move between epochs with the weights held
        still (a siamese fit at ``lr=1e-12``: its pair term 0.174, 0.178,
        0.179, 0.181), and early stopping follow the draws. The
        generator is forked, so the training's own draws are untouched.
        """
        device = torch.device(self.device)
        cuda = []
        if device.type == "cuda":
            index = device.index
            cuda = [torch.cuda.current_device() if index is None else index]
        # Only the forked generators are seeded: the CPU's and this net's GPU.
        with torch.random.fork_rng(devices=cuda):
            torch.random.default_generator.manual_seed(0)
            for index in cuda:
                torch.cuda.default_generators[index].manual_seed(0)
            yield

    def get_loss(self, y_pred, y_true: BatchTargets, X=None, training=False):
        parts = self.criterion_(y_pred, y_true.to(self.device))
        prefix = "" if training else VALID_PREFIX
        for name, value in parts.items():
            if name != "loss":
                self.history.record_batch(prefix + history_key(name), value.item())
        if not torch.isfinite(parts["loss"]):
            which = "training" if training else "validation"
            raise FloatingPointError(
                f"the {which} loss became NaN or infinite; lower lr, scale the "
                "input (for example with StandardScaler) or lower margin."
            )
        return parts["loss"]
