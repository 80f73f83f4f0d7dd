"""Tests for TorchFeatureExtractor with tiny modules (no torchvision)."""

import pickle
import tracemalloc

import numpy as np
import pytest
import torch
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.utils.estimator_checks import parametrize_with_checks
from torch import nn

from sk_metricembed.torch_features import TorchFeatureExtractor


def conv_net(seed: int = 0, in_channels: int = 3) -> nn.Module:
    torch.manual_seed(seed)
    return nn.Sequential(
        nn.Conv2d(in_channels, 5, kernel_size=3, padding=1),
        nn.ReLU(),
        nn.Conv2d(5, 6, kernel_size=3, stride=2),
    )


def images(n_images: int = 20, shape=(3, 9, 9), seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).random((n_images, *shape))


def reference(module: nn.Module, X: np.ndarray, pooling: str = "avg") -> np.ndarray:
    with torch.no_grad():
        output = module.eval()(torch.from_numpy(np.array(X, dtype=np.float32)))
    output = output.flatten(2)
    pooled = output.mean(2) if pooling == "avg" else output.amax(2)
    return pooled.numpy()


# With a module that returns its (2-D) input, the extractor is a plain
# transformer on any number of columns, so the whole suite applies.
@parametrize_with_checks(
    [
        TorchFeatureExtractor(nn.Identity()),
        TorchFeatureExtractor(nn.Identity(), dtype="float64", batch_size=3),
    ]
)
def test_sklearn_compatible(estimator, check):
    check(estimator)


@pytest.mark.parametrize("pooling", ["avg", "max"])
def test_feature_maps_are_globally_pooled(pooling):
    module, X = conv_net(), images()
    extractor = TorchFeatureExtractor(module, pooling=pooling).fit(X)
    features = extractor.transform(X)
    assert features.shape == (20, 6) and features.dtype == np.float32
    assert extractor.n_features_out_ == 6
    assert extractor.image_shape_ == (3, 9, 9)
    assert extractor.n_features_in_ == 3 * 9 * 9
    assert_allclose(features, reference(module, X, pooling), rtol=1e-5, atol=1e-6)


def test_avg_and_max_pooling_differ():
    module, X = conv_net(), images()
    avg = TorchFeatureExtractor(module, pooling="avg").fit_transform(X)
    largest = TorchFeatureExtractor(module, pooling="max").fit_transform(X)
    assert np.all(largest >= avg - 1e-6) and np.any(largest > avg + 1e-3)


def test_two_dimensional_outputs_pass_through():
    torch.manual_seed(0)
    module = nn.Sequential(nn.Flatten(), nn.Linear(3 * 9 * 9, 7))
    X = images()
    features = TorchFeatureExtractor(module).fit_transform(X)
    with torch.no_grad():
        expected = module(torch.as_tensor(X, dtype=torch.float32)).numpy()
    assert features.shape == (20, 7)
    assert_allclose(features, expected, rtol=1e-5, atol=1e-6)


def test_three_dimensional_outputs_are_pooled_over_their_last_axis():
    torch.manual_seed(0)
    module = nn.Conv1d(2, 4, kernel_size=3)
    X = np.random.default_rng(0).random((6, 2, 10))
    features = TorchFeatureExtractor(module).fit_transform(X)
    with torch.no_grad():
        expected = module(torch.as_tensor(X, dtype=torch.float32)).mean(2).numpy()
    assert_allclose(features, expected, rtol=1e-5, atol=1e-6)


def test_vectors_without_image_shape_reach_the_module_as_rows():
    torch.manual_seed(0)
    module = nn.Linear(4, 2)
    X = np.random.default_rng(0).random((5, 4))
    extractor = TorchFeatureExtractor(module).fit(X)
    assert extractor.image_shape_ == (4,)
    with torch.no_grad():
        expected = module(torch.as_tensor(X, dtype=torch.float32)).numpy()
    assert_allclose(extractor.transform(X), expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("batch_size", [1, 3, 7, 256])
def test_output_does_not_depend_on_batch_size(batch_size):
    module, X = conv_net(), images(23)
    expected = reference(module, X)
    features = TorchFeatureExtractor(module, batch_size=batch_size).fit_transform(X)
    assert_allclose(features, expected, rtol=1e-5, atol=1e-6)


def test_flat_rows_and_stacks_agree():
    module, X = conv_net(), images()
    flat = X.reshape(len(X), -1)
    from_rows = TorchFeatureExtractor(module, image_shape=(3, 9, 9)).fit(flat)
    from_stack = TorchFeatureExtractor(module).fit(X)
    assert from_rows.n_features_in_ == from_stack.n_features_in_ == 243
    assert_array_equal(from_rows.transform(flat), from_stack.transform(X))
    # A stack of the right shape is accepted after fitting on rows.
    assert_array_equal(from_rows.transform(X), from_rows.transform(flat))


def test_module_runs_in_eval_mode_and_keeps_its_training_flag():
    torch.manual_seed(0)
    module = nn.Sequential(
        nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.Dropout(0.5), nn.ReLU()
    )
    module.train()
    X = images()
    extractor = TorchFeatureExtractor(module).fit(X)
    first, second = extractor.transform(X), extractor.transform(X)
    assert_array_equal(first, second)  # dropout off
    assert module.training and module[2].training
    # BatchNorm used its running statistics and did not update them.
    assert_array_equal(module[1].running_mean.numpy(), np.zeros(4))


def test_float64_dtype():
    module, X = conv_net().double(), images()
    features = TorchFeatureExtractor(module, dtype=np.float64).fit_transform(X)
    assert features.dtype == np.float64
    with torch.no_grad():
        expected = module.eval()(torch.as_tensor(X)).mean((2, 3)).numpy()
    assert_allclose(features, expected, rtol=1e-12)


def test_memmap_is_read_batch_by_batch(tmp_path):
    shape = (2000, 1, 16, 16)
    stored = np.lib.format.open_memmap(
        tmp_path / "images.npy", mode="w+", dtype=np.uint8, shape=shape
    )
    stored[:] = np.random.default_rng(0).integers(0, 256, size=shape)
    stored.flush()
    X = np.load(tmp_path / "images.npy", mmap_mode="r")
    module = conv_net(in_channels=1)
    extractor = TorchFeatureExtractor(module, batch_size=50).fit(X[:10])
    tracemalloc.start()
    features = extractor.transform(X)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    as_float32 = X.size * 4
    assert peak < as_float32 / 4, (peak, as_float32)
    assert_allclose(features[:40], reference(module, X[:40]), rtol=1e-5, atol=1e-5)


def test_an_in_place_first_layer_leaves_X_alone():
    # Each batch is copied before it reaches torch, so a module that writes
    # into its input cannot change the caller's array.
    module = nn.Sequential(nn.ReLU(inplace=True), nn.Flatten())
    X = np.linspace(-1, 1, 40, dtype=np.float32).reshape(10, 4)
    before = X.copy()
    features = TorchFeatureExtractor(module, batch_size=3).fit_transform(X)
    assert_array_equal(X, before)
    assert_array_equal(features, np.maximum(before, 0))


def test_non_finite_input_names_the_batch():
    X = images(7)
    X[4, 0, 0, 0] = np.nan
    extractor = TorchFeatureExtractor(conv_net(), batch_size=3).fit(X[:2])
    with pytest.raises(ValueError, match=r"NaN or infinity \(in rows 3 to 5\)"):
        extractor.transform(X)


def test_clone_and_get_params_keep_the_module_but_clone_copies_it():
    module = conv_net()
    extractor = TorchFeatureExtractor(module, batch_size=4)
    assert extractor.get_params()["module"] is module
    copy = clone(extractor)
    assert copy.module is not module
    assert copy.get_params()["batch_size"] == 4
    X = images(5)
    assert_allclose(copy.fit_transform(X), extractor.fit_transform(X), rtol=1e-6)


def test_pickle_round_trip():
    X = images(8)
    extractor = TorchFeatureExtractor(conv_net(), pooling="max").fit(X)
    restored = pickle.loads(pickle.dumps(extractor))
    assert restored.n_features_out_ == 6
    assert_array_equal(restored.transform(X), extractor.transform(X))


def test_feature_names():
    extractor = TorchFeatureExtractor(conv_net()).fit(images(2))
    names = extractor.get_feature_names_out()
    assert list(names) == [f"torchfeatureextractor{i}" for i in range(6)]


def test_auto_device_resolves():
    extractor = TorchFeatureExtractor(conv_net(), device="auto").fit(images(2))
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert extractor.device_.type == expected


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without GPU")
def test_cuda_without_gpu_is_a_clear_error():
    with pytest.raises(ValueError, match="device='cuda' but torch finds no CUDA GPU"):
        TorchFeatureExtractor(conv_net(), device="cuda").fit(images(2))


def test_unknown_device_is_a_clear_error():
    with pytest.raises(ValueError, match="device='banana' is not a torch device"):
        TorchFeatureExtractor(conv_net(), device="banana").fit(images(2))


@pytest.mark.parametrize(
    "params, X, match",
    [
        (
            {"image_shape": (3, 8, 8)},
            np.zeros((2, 243)),
            r"image_shape=\(3, 8, 8\) holds 192 values .* 243 features",
        ),
        ({"image_shape": (3, 9, 0)}, np.zeros((2, 243)), "positive integer sizes"),
        ({"image_shape": (3, 27, 3)}, np.zeros((2, 3, 9, 9)), "does not match"),
        ({}, np.zeros((2, 4, 9, 9)), "module failed on the first inputs of shape"),
        ({}, np.full((2, 3, 9, 9), np.nan), "NaN or infinity"),
        ({"dtype": np.int32}, np.zeros((2, 3, 9, 9)), "dtype must be float32"),
        ({"batch_size": 0}, np.zeros((2, 3, 9, 9)), "batch_size"),
        ({"pooling": "sum"}, np.zeros((2, 3, 9, 9)), "pooling"),
    ],
)
def test_bad_input_errors(params, X, match):
    with pytest.raises(ValueError, match=match):
        TorchFeatureExtractor(conv_net(), **params).fit(X)


def test_transform_rejects_other_shapes():
    extractor = TorchFeatureExtractor(conv_net()).fit(images(2))
    with pytest.raises(ValueError, match="243 features"):
        extractor.transform(np.zeros((2, 3, 8, 8)))
    with pytest.raises(ValueError, match=r"fitted on images of shape \(3, 9, 9\)"):
        extractor.transform(np.zeros((2, 3, 3, 27)))


def test_grey_images_without_a_channel_axis_are_told_to_add_one():
    # (n, 8, 8) stacks: a convolution reads one (8, 8) input as an unbatched
    # image. A batch of one passed that at fit (features of the wrong size,
    # then a raw torch error at transform); two inputs show it.
    X = np.random.default_rng(0).random((4, 8, 8)).astype(np.float32)
    for convolution in (nn.Conv2d(1, 1, 3), nn.Conv2d(1, 4, 3)):
        with pytest.raises(ValueError, match=r"image_shape=\(1, 8, 8\)"):
            TorchFeatureExtractor(convolution).fit(X)
    extractor = TorchFeatureExtractor(nn.Conv2d(1, 4, 3), image_shape=(1, 8, 8))
    rows = X.reshape(4, -1)
    assert extractor.fit(rows).transform(rows).shape == (4, 4)


def test_a_channels_last_image_shape_is_told_torchs_order():
    # The embedders' (height, width, channels) reads here as channels first:
    # the message gives the shape in torch's order.
    rows = np.random.default_rng(0).random((4, 8 * 8 * 3)).astype(np.float32)
    with pytest.raises(ValueError, match=r"pass image_shape=\(3, 8, 8\)"):
        TorchFeatureExtractor(nn.Conv2d(3, 2, 3), image_shape=(8, 8, 3)).fit(rows)


def test_a_module_that_merges_the_batch_is_a_clear_error():
    class Flatten(nn.Module):
        def forward(self, x):
            return x.reshape(1, -1)

    with pytest.raises(ValueError, match="returned 1 rows for a batch of 2"):
        TorchFeatureExtractor(Flatten()).fit(images(2))


def test_module_must_return_a_tensor():
    class TwoHeads(nn.Module):
        def forward(self, x):
            return x, x

    with pytest.raises(TypeError, match="module must return one tensor"):
        TorchFeatureExtractor(TwoHeads()).fit(images(2))


def test_module_must_be_a_torch_module():
    with pytest.raises(ValueError, match="module"):
        TorchFeatureExtractor(lambda x: x).fit(images(2))
