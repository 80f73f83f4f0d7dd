"""The learning rate over a fit's optimiser steps: constant, or one cycle.

A constant rate (``lr_schedule="constant"``) is what Adam's users and the
sources of the package train with. The one-cycle policy (Smith & Topin,
"Super-convergence", 2019; torch's ``OneCycleLR``, fastai's
``fit_one_cycle``) raises the rate over the first part of the steps and
anneals it to zero over the rest: the large steps of the middle cross the
loss surface quickly and the small steps of the end settle in a minimum, so
that fewer steps reach the same loss. Here the cycle rises linearly from
0.08 times ``lr`` to twice ``lr`` over the first fifth of the fit's steps and
falls along a cosine to zero over the rest, so its mean rate is ``lr``
(1.008 times it): ``lr`` keeps its meaning, the average step size, and the
schedule only redistributes it over the fit.

Where ``lr_schedule="auto"`` runs the cycle, and what it was measured to
do, is ``_defaults.AUTO_LR_SCHEDULE``'s; ``benchmarks/RESULTS.md`` ("One
learning-rate cycle in image mode") has the tables, with the variants that
did worse (a cosine decay without the rise, a peak of 1.5 times ``lr``).
"""

from __future__ import annotations

import math

from skorch.callbacks import Callback, LRScheduler, WarmRestartLR

from .skorch_net import callback_objects

#: The values of ``lr_schedule``.
LR_SCHEDULES = ("auto", "constant", "one-cycle")
#: The one cycle: the share of the steps that warms up, the peak rate as a
#: multiple of ``lr`` and the starting rate as a share of the peak (torch's
#: ``OneCycleLR`` starts at ``max_lr / div_factor``, ``div_factor=25``).
ONE_CYCLE_WARMUP = 0.2
ONE_CYCLE_PEAK = 2.0
ONE_CYCLE_START = 1 / 25


def one_cycle_factor(progress: float) -> float:
    """The one cycle's rate, as a multiple of ``lr``, at ``progress`` in [0, 1].

    Examples
    --------
    >>> from sk_metricembed._training.lr_schedule import one_cycle_factor
    >>> [round(one_cycle_factor(p), 3) for p in (0.0, 0.1, 0.2, 0.6, 1.0)]
    [0.08, 1.04, 2.0, 1.0, 0.0]
    """
    progress = min(max(progress, 0.0), 1.0)
    if progress < ONE_CYCLE_WARMUP:
        rise = progress / ONE_CYCLE_WARMUP
        return ONE_CYCLE_PEAK * (ONE_CYCLE_START + (1 - ONE_CYCLE_START) * rise)
    fall = (progress - ONE_CYCLE_WARMUP) / (1 - ONE_CYCLE_WARMUP)
    return ONE_CYCLE_PEAK * 0.5 * (1 + math.cos(math.pi * fall))


def schedules_the_rate(callbacks) -> bool:
    """Whether ``callbacks`` hold one of skorch's learning-rate schedulers.

    Examples
    --------
    >>> from skorch.callbacks import LRScheduler, PrintLog
    >>> from sk_metricembed._training.lr_schedule import schedules_the_rate
    >>> schedules_the_rate([PrintLog()]), schedules_the_rate([("lr", LRScheduler())])
    (False, True)
    """
    return any(
        isinstance(callback, (LRScheduler, WarmRestartLR))
        for callback in callback_objects(callbacks)
    )


class OneCycle(Callback):
    """Set each training step's learning rate by :func:`one_cycle_factor`.

    The fit's progress is its step among ``max_epochs`` passes of the
    training iterator's length, counted from the start of each call to
    ``fit`` (a warm fit runs a cycle of its own); the optimiser's rates
    are scaled from those it had when training began, and restored when it
    ends. A fit stopped early (``early_stopping``) ends mid-cycle.
    """

    def on_train_begin(self, net, **kwargs) -> None:
        self.base_lrs_ = [group["lr"] for group in net.optimizer_.param_groups]
        self.passes_ = 0

    def on_epoch_begin(self, net, dataset_train=None, **kwargs) -> None:
        self.steps_ = max(1, len(net.get_iterator(dataset_train, training=True)))
        self.step_ = 0

    def on_batch_begin(self, net, training=False, **kwargs) -> None:
        if not training:
            return
        progress = (self.passes_ + self.step_ / self.steps_) / net.max_epochs
        self._set(net, one_cycle_factor(progress))

    def on_batch_end(self, net, training=False, **kwargs) -> None:
        if training:
            self.step_ += 1

    def on_epoch_end(self, net, **kwargs) -> None:
        self.passes_ += 1

    def on_train_end(self, net, **kwargs) -> None:
        self._set(net, 1.0)

    def _set(self, net, factor: float) -> None:
        for group, base in zip(net.optimizer_.param_groups, self.base_lrs_):
            group["lr"] = base * factor
