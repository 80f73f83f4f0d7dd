"""Tests of a user's own encoder and decoder (``encoder=``, ``decoder=``).

Covers sk_metricembed._training.autoencoder's UserModule and
check_user_modules, their wiring in assemble.build_net, and the routed
``encoder__*``/``decoder__*`` arguments of _parameters.
"""

import pickle

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV
from skorch.callbacks import Callback
from torch import nn

from sk_metricembed import SiameseAutoencoderEmbedder, TripletVAEEmbedder
from sk_metricembed.metrics import triplet_accuracy_score

FAST = dict(max_epochs=2, latent_dim=3, random_state=0)


class RowEncoder(nn.Module):
    """A module-level encoder (pickled by reference): rows -> (n, width)."""

    def __init__(self, n_features=64, width=32):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(n_features, width), nn.ReLU())

    def forward(self, x):
        return self.layers(x)


class RowDecoder(nn.Module):
    """Codes -> rows of ``n_features``."""

    def __init__(self, latent_dim=3, n_features=64):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(latent_dim, 32), nn.ReLU())
        self.output = nn.Linear(32, n_features)

    def forward(self, z):
        return self.output(self.layers(z))


class ImageEncoder(nn.Module):
    """Reads flattened 8x8 images as images: the rows' reshape is its own."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3, padding=1)
        self.seen = None

    def forward(self, x):
        self.seen = tuple(x.shape)
        images = x.reshape(-1, 8, 8, 1).permute(0, 3, 1, 2)
        return torch.relu(self.conv(images)).flatten(1)


class MapEncoder(nn.Module):
    """A wrong encoder: keeps a feature map, (n, 4, 16)."""

    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(64, 64)

    def forward(self, x):
        return self.linear(x).reshape(-1, 4, 16)


class EpochSpy(Callback):
    """Records that an epoch began."""

    def __init__(self):
        self.epochs = 0

    def on_epoch_begin(self, net, **kwargs):
        self.epochs += 1


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return (X / 16.0).astype(np.float32), y


def _state(module):
    return {name: value.clone() for name, value in module.state_dict().items()}


def test_the_user_encoder_is_trained_and_the_parameter_is_not(digits):
    X, y = digits[0][:300], digits[1][:300]
    encoder = RowEncoder()
    initial = _state(encoder)
    embedder = TripletVAEEmbedder(encoder=encoder, **FAST).fit(X, y)
    built = embedder.net_.module_.encoder_body
    assert isinstance(built, RowEncoder) and built is not encoder
    # The estimator's instance is as it was; the built copy moved.
    assert all(torch.equal(encoder.state_dict()[k], v) for k, v in initial.items())
    assert not torch.equal(built.layers[0].weight.cpu(), initial["layers.0.weight"])
    # The package's heads sit on the user's width: VAE terms keep working.
    module = embedder.net_.module_
    assert module.mean_head.in_features == 32
    assert module.log_var_head.in_features == 32
    assert embedder.transform(X).shape == (300, 3)
    assert embedder.get_params()["encoder"] is encoder


def test_a_class_is_built_with_its_routed_arguments(digits):
    X, y = digits[0][:200], digits[1][:200]
    embedder = SiameseAutoencoderEmbedder(
        encoder=RowEncoder, encoder__width=12, decoder=RowDecoder, **FAST
    ).fit(X, y)
    module = embedder.net_.module_
    assert module.encoder_body.layers[0].out_features == 12
    assert isinstance(module.decoder, RowDecoder)
    assert embedder.inverse_transform(embedder.transform(X[:5])).shape == (5, 64)


def test_set_params_routes_to_the_built_module(digits):
    X, y = digits[0][:200], digits[1][:200]
    embedder = TripletVAEEmbedder(encoder=RowEncoder(), **FAST)
    embedder.set_params(encoder__width=7)
    assert embedder.get_params()["encoder__width"] == 7
    copy = clone(embedder)
    assert copy.get_params()["encoder__width"] == 7
    # An instance with arguments is rebuilt from its class, as skorch does.
    copy.fit(X, y)
    assert copy.net_.module_.encoder_body.layers[0].out_features == 7
    assert copy.net_.module_.mean_head.in_features == 7


def test_grid_search_over_an_encoder_argument(digits):
    X, y = digits[0][:240], digits[1][:240]
    search = GridSearchCV(
        TripletVAEEmbedder(encoder=RowEncoder, max_epochs=1, latent_dim=2),
        {"encoder__width": [4, 9]},
        cv=2,
    ).fit(X, y)
    assert search.best_params_["encoder__width"] in (4, 9)
    width = search.best_estimator_.net_.module_.encoder_body.layers[0].out_features
    assert width == search.best_params_["encoder__width"]


def test_a_fitted_model_with_user_modules_pickles(digits):
    X, y = digits[0][:200], digits[1][:200]
    embedder = SiameseAutoencoderEmbedder(
        encoder=RowEncoder(), decoder=RowDecoder, **FAST
    ).fit(X, y)
    restored = pickle.loads(pickle.dumps(embedder))
    np.testing.assert_allclose(restored.transform(X), embedder.transform(X))
    np.testing.assert_allclose(
        restored.inverse_transform(embedder.transform(X[:4])),
        embedder.inverse_transform(embedder.transform(X[:4])),
    )


def test_a_user_encoder_learns_a_metric_on_digits(digits):
    X, y = digits
    scores = {}
    for weight in (0.0, 0.2):
        embedder = TripletVAEEmbedder(
            encoder=RowEncoder,
            encoder__width=128,
            weight=weight,
            max_epochs=15,
            random_state=0,
        ).fit(X[:1200], y[:1200])
        Z = embedder.transform(X[1200:])
        scores[weight] = triplet_accuracy_score(Z, y[1200:], random_state=0)
    # Measured 0.93 on the held-out rows, against 0.87 for the plain VAE:
    # the metric terms reach the user's encoder through the package's head.
    assert scores[0.2] > 0.8
    assert scores[0.2] > scores[0.0] + 0.03


def test_an_encoder_with_a_wrong_shape_fails_before_any_epoch(digits):
    X, y = digits[0][:100], digits[1][:100]
    spy = EpochSpy()
    embedder = TripletVAEEmbedder(encoder=MapEncoder(), callbacks=[spy], **FAST)
    with pytest.raises(ValueError, match=r"encoder .*\(2, 4, 16\).*\(2, h\)"):
        embedder.fit(X, y)
    assert spy.epochs == 0 and not hasattr(embedder, "net_")


def test_a_decoder_with_a_wrong_output_shape_is_refused(digits):
    X, y = digits[0][:100], digits[1][:100]
    spy = EpochSpy()
    embedder = SiameseAutoencoderEmbedder(
        decoder=RowDecoder(n_features=63), callbacks=[spy], **FAST
    )
    with pytest.raises(ValueError, match=r"decoder .*\(2, 63\).*\(2, 64\)"):
        embedder.fit(X, y)
    assert spy.epochs == 0
    # Nor one that takes the wrong code width.
    embedder.set_params(decoder=RowDecoder(latent_dim=5))
    with pytest.raises(ValueError, match=r"decoder failed on a batch of shape"):
        embedder.fit(X, y)


def test_a_factory_must_return_a_module(digits):
    X, y = digits[0][:100], digits[1][:100]
    with pytest.raises(TypeError, match="encoder=.*not a torch.nn.Module"):
        TripletVAEEmbedder(encoder=lambda: "resnet", **FAST).fit(X, y)


def test_the_encoder_receives_rows_in_image_mode(digits):
    X, y = digits[0][:200], digits[1][:200]
    encoder = ImageEncoder()
    embedder = TripletVAEEmbedder(
        encoder=encoder, image_shape=(8, 8), augment=True, **FAST
    ).fit(X, y)
    built = embedder.net_.module_.encoder_body
    assert built.seen[1:] == (64,) and encoder.seen is None
    assert embedder.net_.module_.stem is None
    assert embedder.transform(X).shape == (200, 3)


def test_a_pure_metric_network_needs_no_decoder(digits):
    X, y = digits[0][:200], digits[1][:200]
    embedder = TripletVAEEmbedder(encoder=RowEncoder(), weight=1.0, **FAST)
    assert embedder.fit(X, y).transform(X).shape == (200, 3)


@pytest.mark.parametrize(
    "params, message",
    [
        (
            dict(encoder=RowEncoder(), spatial_contrasting_weight=0.1),
            "spatial_contrasting_weight=0.1 reads the built-in encoder",
        ),
        (
            dict(encoder=RowEncoder(), decoder=RowDecoder(), hidden_layer_sizes=(8,)),
            r"hidden_layer_sizes=\(8,\) .*encoder and decoder are both",
        ),
        (dict(encoder__width=8), "encoder__width=8 .*encoder=None"),
        (dict(decoder__width=8), "decoder__width=8 .*decoder=None"),
    ],
)
def test_options_a_user_module_leaves_out_are_refused(params, message, digits):
    X, y = digits[0][:100], digits[1][:100]
    embedder = TripletVAEEmbedder(**params, **FAST)
    with pytest.raises(ValueError, match=message):
        embedder.fit(X, y)


def test_a_user_encoder_with_a_built_in_decoder_takes_hidden_sizes(digits):
    X, y = digits[0][:100], digits[1][:100]
    embedder = TripletVAEEmbedder(
        encoder=RowEncoder(), hidden_layer_sizes=(8,), **FAST
    ).fit(X, y)
    assert embedder.net_.module_.decoder.output.in_features == 8


def test_a_misspelt_prefix_is_suggested():
    with pytest.raises(TypeError, match="did you mean encoder__width"):
        TripletVAEEmbedder(encoder_width=8)
    with pytest.raises(ValueError, match="did you mean decoder__"):
        TripletVAEEmbedder().set_params(decoder__=8)


class ResNetRows(nn.Module):
    """torchvision's ResNet-18, untrained, reading 8x8 grey rows as images."""

    def __init__(self, width=16):
        super().__init__()
        import torchvision

        self.network = torchvision.models.resnet18(weights=None, num_classes=width)

    def forward(self, x):
        images = x.reshape(-1, 8, 8, 1).permute(0, 3, 1, 2)
        return self.network(images.expand(-1, 3, -1, -1))


def test_a_torchvision_resnet_is_an_encoder():
    pytest.importorskip("torchvision")
    X, y = load_digits(return_X_y=True)
    X, y = (X[:300] / 16).astype(np.float32), y[:300]
    encoder = ResNetRows(width=24)
    embedder = TripletVAEEmbedder(encoder=encoder, batch_size=64, **FAST).fit(X, y)
    resnets = [
        m for m in embedder.net_.module_.modules() if type(m).__name__ == "ResNet"
    ]
    assert len(resnets) == 1 and resnets[0].fc.out_features == 24
    Z = embedder.transform(X)
    assert Z.shape == (300, FAST["latent_dim"]) and np.isfinite(Z).all()
    # The fit trained a copy: its first convolution moved, the parameter's not.
    assert not torch.allclose(resnets[0].conv1.weight, encoder.network.conv1.weight)
    assert embedder.encoder is encoder
    restored = pickle.loads(pickle.dumps(embedder))
    np.testing.assert_allclose(restored.transform(X), Z, atol=1e-5)
