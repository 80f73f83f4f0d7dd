"""The learning rate over a fit's steps: constant, or one cycle."""

import numpy as np
import pytest
from sklearn.datasets import load_digits
from skorch.callbacks import Callback, LRScheduler

from sk_metricembed import SiameseAutoencoderEmbedder, TripletVAEEmbedder
from sk_metricembed._training.lr_schedule import (
    ONE_CYCLE_PEAK,
    ONE_CYCLE_START,
    ONE_CYCLE_WARMUP,
    one_cycle_factor,
)

ESTIMATORS = [SiameseAutoencoderEmbedder, TripletVAEEmbedder]
FAST = dict(hidden_layer_sizes=(16,), latent_dim=3, random_state=0)
LR = 1e-3


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    X, y = (X[:120] / 16.0).astype(np.float32), y[:120].copy()
    y[::2] = -1
    return X, y


class StepRates(Callback):
    """The optimiser's learning rate at each training step (after every
    ``on_batch_begin`` has set it)."""

    def initialize(self):
        self.rates_ = []
        return self

    def on_batch_end(self, net, training=False, **kwargs):
        if training:
            self.rates_.append(net.optimizer_.param_groups[0]["lr"])


def _fit_rates(Estimator, X, y, **params):
    recorder = StepRates()
    embedder = Estimator(**FAST, lr=LR, callbacks=[recorder], **params).fit(X, y)
    return embedder, np.array(recorder.rates_)


def test_the_cycle_rises_to_its_peak_and_falls_to_zero_at_a_mean_of_lr():
    progress = np.linspace(0, 1, 10_001)
    factors = np.array([one_cycle_factor(p) for p in progress])
    assert factors[0] == pytest.approx(ONE_CYCLE_PEAK * ONE_CYCLE_START)
    assert progress[factors.argmax()] == pytest.approx(ONE_CYCLE_WARMUP, abs=1e-3)
    assert factors.max() == pytest.approx(ONE_CYCLE_PEAK)
    assert factors[-1] == pytest.approx(0.0, abs=1e-12)
    # Rising, then falling: lr keeps its meaning as the mean step size.
    peak = factors.argmax()
    assert (np.diff(factors[: peak + 1]) > 0).all()
    assert (np.diff(factors[peak:]) <= 0).all()
    assert factors.mean() == pytest.approx(1.0, abs=0.01)
    # Outside [0, 1] the ends hold.
    assert one_cycle_factor(-1) == factors[0] and one_cycle_factor(2) == 0.0


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_one_cycle_sets_every_steps_rate_and_restores_lr(Estimator, digits):
    X, y = digits
    embedder, rates = _fit_rates(
        Estimator, X, y, lr_schedule="one-cycle", max_epochs=10, batch_size=32
    )
    assert embedder.lr_schedule_ == "one-cycle"
    steps = 10 * -(-len(X) // 32)
    assert len(rates) == steps
    expected = [LR * one_cycle_factor(step / steps) for step in range(steps)]
    np.testing.assert_allclose(rates, expected, rtol=1e-6)
    assert rates.max() == pytest.approx(LR * ONE_CYCLE_PEAK, rel=0.05)
    # After the fit the optimiser holds lr again (a warm fit starts from it).
    assert embedder.net_.optimizer_.param_groups[0]["lr"] == LR


@pytest.mark.parametrize(
    "params, schedule",
    [
        ({}, "constant"),
        ({"image_shape": (8, 8)}, "one-cycle"),
        ({"image_shape": (8, 8), "lr_schedule": "constant"}, "constant"),
        ({"lr_schedule": "one-cycle"}, "one-cycle"),
    ],
)
def test_auto_is_the_cycle_in_image_mode_and_constant_for_vectors(
    digits, params, schedule
):
    X, y = digits
    embedder, rates = _fit_rates(
        TripletVAEEmbedder, X, y, max_epochs=3, batch_size=64, **params
    )
    assert embedder.lr_schedule_ == schedule
    if schedule == "constant":
        assert (rates == LR).all()
    else:
        assert rates[0] < LR < rates.max()


def test_a_warm_fit_runs_a_cycle_of_its_own(digits):
    X, y = digits
    recorder = StepRates()
    embedder = TripletVAEEmbedder(
        **FAST,
        lr=LR,
        lr_schedule="one-cycle",
        max_epochs=4,
        batch_size=64,
        warm_start=True,
        callbacks=[recorder],
    )
    embedder.fit(X, y)
    first = list(recorder.rates_)
    embedder.fit(X, y)
    second = recorder.rates_[len(first) :]
    assert len(second) == len(first)
    np.testing.assert_allclose(second, first, rtol=1e-6)


def test_a_users_lr_scheduler_turns_auto_to_constant(digits):
    X, y = digits
    embedder = TripletVAEEmbedder(
        **FAST,
        image_shape=(8, 8),
        max_epochs=2,
        callbacks=[LRScheduler("StepLR", step_size=1, gamma=0.5)],
    ).fit(X, y)
    assert embedder.lr_schedule_ == "constant"
    assert embedder.net_.optimizer_.param_groups[0]["lr"] < embedder.lr


def test_one_cycle_beside_a_users_lr_scheduler_is_refused_before_training(digits):
    X, y = digits
    embedder = TripletVAEEmbedder(
        **FAST,
        lr_schedule="one-cycle",
        callbacks=[("steps", LRScheduler("StepLR", step_size=1))],
    )
    with pytest.raises(ValueError, match="lr_schedule='one-cycle'.*constant"):
        embedder.fit(X, y)
    assert not hasattr(embedder, "net_")
