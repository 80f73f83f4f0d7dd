"""Devices, persistence and resumption: where a model runs and how it goes on.

No GPU is needed: CUDA's presence is simulated where only the choice of
device is under test, and a model "fitted on a GPU" is one whose skorch net
records a CUDA device when pickled, which is what skorch reads back on load.
"""

import io
import pickle
import warnings

import numpy as np
import pytest
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV, KFold
from skorch.callbacks import Callback

from sk_metricembed import (
    SiameseAutoencoderEmbedder,
    TorchFeatureExtractor,
    TripletVAEEmbedder,
)
from sk_metricembed._training.setup import resolve_device
from sk_metricembed._training.skorch_net import EmbeddingNet

ESTIMATORS = [SiameseAutoencoderEmbedder, TripletVAEEmbedder]
FAST = dict(max_epochs=3, hidden_layer_sizes=(32,), latent_dim=3, random_state=0)
needs_no_gpu = pytest.mark.skipif(
    torch.cuda.is_available(), reason="checks the behaviour without a GPU"
)


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    X, y = (X[:240] / 16.0).astype(np.float32), y[:240].copy()
    y[::2] = -1
    return X, y


# --- choosing the device --------------------------------------------------------


def test_auto_takes_cuda_when_torch_finds_it(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert resolve_device("auto") == torch.device("cuda")
    assert resolve_device("cuda:1") == torch.device("cuda:1")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert resolve_device("auto") == torch.device("cpu")


@needs_no_gpu
@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_auto_falls_back_to_cpu(Estimator, digits):
    embedder = Estimator(**{**FAST, "max_epochs": 1}, device="auto").fit(*digits)
    assert embedder.net_.device == torch.device("cpu")
    assert embedder.transform(digits[0]).shape == (240, 3)


@needs_no_gpu
@pytest.mark.parametrize("device", ["cuda", "cuda:0", torch.device("cuda")])
@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_cuda_without_gpu_is_a_clear_error_before_training(
    Estimator, device, digits, monkeypatch
):
    monkeypatch.setattr(EmbeddingNet, "fit", lambda *args: pytest.fail("trained"))
    with pytest.raises(ValueError, match="torch finds no CUDA GPU; use device='cpu'"):
        Estimator(**FAST, device=device).fit(*digits)


@needs_no_gpu
def test_feature_extractor_shares_the_device_rules():
    with pytest.raises(ValueError, match="torch finds no CUDA GPU"):
        TorchFeatureExtractor(torch.nn.Identity(), device="cuda").fit(np.ones((2, 3)))


# --- persistence ------------------------------------------------------------------


@needs_no_gpu
@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_model_pickled_on_a_gpu_loads_and_transforms_on_cpu(Estimator, digits):
    X, y = digits
    embedder = Estimator(**FAST).fit(X, y)
    expected = embedder.transform(X)
    # What a GPU fit pickles: skorch's net records its CUDA device, and
    # its state is written by torch.save; on load skorch maps it to the CPU.
    embedder.net_.device = "cuda"
    embedder.device = "cuda"
    payload = pickle.dumps(embedder)
    with pytest.warns(UserWarning, match="no CUDA devices are available"):
        restored = pickle.loads(payload)
    assert torch.device(restored.net_.device).type == "cpu"
    assert next(restored.net_.module_.parameters()).device.type == "cpu"
    np.testing.assert_allclose(restored.transform(X), expected, rtol=1e-6)
    assert restored.inverse_transform(expected).shape == X.shape
    # Training again there needs the device parameter moved to the CPU.
    with pytest.raises(ValueError, match="no CUDA GPU"):
        restored.fit(X, y)
    restored.set_params(device="cpu", max_epochs=1).fit(X, y)


class _TensorFinder(pickle.Pickler):
    """Records every tensor that plain pickling writes (not torch.save)."""

    def __init__(self):
        super().__init__(io.BytesIO())
        self.tensors = []

    def reducer_override(self, obj):
        if isinstance(obj, torch.Tensor):
            self.tensors.append(tuple(obj.shape))
        return NotImplemented


@pytest.mark.parametrize("Estimator", ESTIMATORS)
@pytest.mark.parametrize("mode", [{}, dict(image_shape=(8, 8), augment=True)])
def test_every_tensor_of_a_fitted_model_is_pickled_by_skorch(Estimator, mode, digits):
    # skorch writes module_, criterion_ and optimizer_ with torch.save and
    # maps them to the CPU on a machine without the GPU; a tensor pickled
    # any other way (a module instance kept as the net's ``module``
    # parameter, say) cannot be loaded there: "Attempting to deserialize
    # object on a CUDA device".
    X, y = digits
    embedder = Estimator(**FAST, **mode).fit(X, y)
    finder = _TensorFinder()
    finder.dump(embedder)
    assert finder.tensors == []


# --- warm start -------------------------------------------------------------------


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_warm_start_continues_from_the_fitted_weights(Estimator, digits):
    X, y = digits
    warm = Estimator(**FAST, warm_start=True).fit(X, y)
    after_first = warm.history_[-1, "train_loss"]
    weights = warm.net_.module_.mean_head.weight.detach().clone()
    warm.fit(X, y)
    losses = warm.history_[:, "train_loss"]
    assert len(losses) == 6
    # The second fit starts where the first stopped, not from scratch.
    fresh_first_epoch = Estimator(**FAST).fit(X, y).history_[0, "train_loss"]
    assert losses[3] < fresh_first_epoch
    assert losses[3] < 1.5 * after_first
    assert not torch.equal(weights, warm.net_.module_.mean_head.weight.detach())


def test_parameters_set_between_warm_fits_take_effect(digits):
    X, y = digits
    warm = SiameseAutoencoderEmbedder(**FAST, warm_start=True).fit(X, y)
    state = warm.net_.optimizer_.state_dict()["state"]
    warm.set_params(max_epochs=2, lr=5e-4).fit(X, y)
    assert len(warm.history_) == 3 + 2
    assert warm.net_.optimizer_.param_groups[0]["lr"] == 5e-4
    # The optimiser kept its moments: it was updated, not rebuilt.
    assert warm.net_.optimizer_.state_dict()["state"].keys() == state.keys()


def test_without_warm_start_a_refit_starts_over(digits):
    X, y = digits
    embedder = SiameseAutoencoderEmbedder(**FAST).fit(X, y)
    first = embedder.transform(X)
    embedder.fit(X, y)
    assert len(embedder.history_) == 3
    np.testing.assert_array_equal(first, embedder.transform(X))


# --- interruption -----------------------------------------------------------------


class InterruptAfter(Callback):
    """Press Ctrl-C at the end of epoch ``epoch``."""

    def __init__(self, epoch):
        self.epoch = epoch

    def on_epoch_end(self, net, **kwargs):
        if len(net.history) == self.epoch:
            raise KeyboardInterrupt


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_keyboard_interrupt_keeps_the_completed_epochs(Estimator, digits):
    X, y = digits
    # No KL warm-up: its schedule depends on max_epochs, which differs below.
    fast = {**FAST, "kl_warmup": 0.0}
    interrupted = Estimator(
        **{**fast, "max_epochs": 10}, callbacks=[InterruptAfter(2)]
    ).fit(X, y)
    assert len(interrupted.history_) == 2
    Z = interrupted.transform(X)
    assert np.isfinite(Z).all()
    # The same seed for two epochs gives the same model: nothing of a third
    # epoch leaked in.
    two_epochs = Estimator(**{**fast, "max_epochs": 2}).fit(X, y)
    np.testing.assert_array_equal(Z, two_epochs.transform(X))


def test_interrupted_warm_fit_can_be_resumed(digits):
    X, y = digits
    embedder = SiameseAutoencoderEmbedder(
        **{**FAST, "max_epochs": 10}, warm_start=True, callbacks=[InterruptAfter(1)]
    ).fit(X, y)
    assert len(embedder.history_) == 1
    # The user lets the next fit run: a warm fit keeps the first fit's
    # callbacks, so the interrupting one goes from the net itself.
    embedder.net_.callbacks = None
    embedder.net_.initialize_callbacks()
    embedder.set_params(max_epochs=2).fit(X, y)
    assert len(embedder.history_) == 3


@pytest.mark.parametrize(
    "change",
    [
        {"weight": 0.0},  # the objective
        {"latent_dim": 5},  # the network
        {"hidden_layer_sizes": [16]},
        {"optimizer__weight_decay": 0.1},  # a routed argument
        {"callbacks": [InterruptAfter(99)]},
    ],
)
def test_a_warm_fit_refuses_parameters_the_first_fit_built_in(digits, change):
    # A warm fit continues the first fit's network, objective and callbacks:
    # a parameter of theirs changed since would be silently ignored.
    X, y = digits
    warm = SiameseAutoencoderEmbedder(**FAST, warm_start=True).fit(X, y)
    warm = pickle.loads(pickle.dumps(warm))  # the first fit's record travels
    name = next(iter(change))
    with pytest.raises(ValueError, match=f"{name}=.*warm_start=False"):
        warm.set_params(**change).fit(X, y)
    assert len(warm.history_) == 3  # refused before training
    # Without warm_start, a new fit applies it.
    warm.set_params(warm_start=False).fit(X, y)
    assert len(warm.history_) == 3
    assert warm.get_params()[name] is change[name]


def test_a_warm_fit_goes_on_once_the_parameter_is_set_back(digits):
    X, y = digits
    warm = SiameseAutoencoderEmbedder(**FAST, warm_start=True).fit(X, y)
    with pytest.raises(ValueError, match="weight='auto'.*weight=0.5"):
        warm.set_params(weight=0.5).fit(X, y)
    warm.set_params(weight="auto", hidden_layer_sizes=list(FAST["hidden_layer_sizes"]))
    assert len(warm.fit(X, y).history_) == 6  # a list for a tuple is no change


def test_feature_names_follow_the_fitted_network_not_a_later_latent_dim(digits):
    X, y = digits
    embedder = SiameseAutoencoderEmbedder(**FAST).fit(X, y)
    embedder.set_params(latent_dim=FAST["latent_dim"] + 2)
    embedder.set_output(transform="pandas")
    frame = embedder.transform(X)
    assert frame.shape[1] == FAST["latent_dim"]
    assert list(frame.columns) == list(embedder.get_feature_names_out())


# --- reproducibility --------------------------------------------------------------


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_same_seed_same_embedding_and_another_seed_another(Estimator, digits):
    X, y = digits
    first = Estimator(**FAST).fit(X, y).transform(X)
    np.testing.assert_array_equal(first, Estimator(**FAST).fit(X, y).transform(X))
    other = Estimator(**{**FAST, "random_state": 1}).fit(X, y).transform(X)
    assert not np.allclose(first, other)


def test_grid_search_refit_is_the_direct_fit_of_the_best_parameters(digits):
    # Seeded fits inside a search are the same fits as outside it; that the
    # search itself repeats, serially or in parallel, is test_distributed's.
    X, y = digits
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        search = GridSearchCV(
            TripletVAEEmbedder(**FAST), {"latent_dim": [2, 3]}, cv=KFold(2)
        ).fit(X, y)
    direct = TripletVAEEmbedder(**{**FAST, **search.best_params_}).fit(X, y)
    np.testing.assert_array_equal(search.transform(X), direct.transform(X))
