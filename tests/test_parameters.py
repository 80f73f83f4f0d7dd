"""Tests of sk_metricembed._parameters: both embedders built from one declaration."""

import inspect
import pickle

import pytest
import torch
from numpydoc.docscrape import ClassDoc
from sklearn.base import clone

from sk_metricembed import SiameseAutoencoderEmbedder, TripletVAEEmbedder
from sk_metricembed._docstrings import fill_docstring
from sk_metricembed._parameters import PARAMETERS, make_init
from sk_metricembed._training.loss_parts import PAIR_LOSSES, TRIPLET_LOSSES

ESTIMATORS = {
    SiameseAutoencoderEmbedder: PAIR_LOSSES,
    TripletVAEEmbedder: TRIPLET_LOSSES,
}
NAMES = [p.name for p in PARAMETERS]


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_signature_is_the_declaration(Estimator):
    signature = inspect.signature(Estimator)
    assert list(signature.parameters) == NAMES
    metric_losses = ESTIMATORS[Estimator]
    for declared in PARAMETERS:
        parameter = signature.parameters[declared.name]
        expected = (
            metric_losses[0] if declared.name == "metric_loss" else declared.default
        )
        assert parameter.default == expected, declared.name
        assert parameter.annotation == declared.annotation


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_constraints_are_the_declaration(Estimator):
    constraints = Estimator._parameter_constraints
    assert list(constraints) == NAMES
    for declared in PARAMETERS:
        if declared.name != "metric_loss":
            assert constraints[declared.name] is declared.constraints
    # Each embedder accepts its own losses only, with sklearn's message.
    other = ESTIMATORS[
        TripletVAEEmbedder
        if Estimator is SiameseAutoencoderEmbedder
        else SiameseAutoencoderEmbedder
    ]
    with pytest.raises(ValueError, match="'metric_loss' parameter"):
        Estimator(metric_loss=other[0]).fit([[0.0, 1.0], [1.0, 0.0]])


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_docstring_documents_each_parameter_with_its_default(Estimator):
    documented = ClassDoc(Estimator)["Parameters"]
    assert [entry.name for entry in documented] == NAMES
    defaults = inspect.signature(Estimator).parameters
    for entry in documented:
        default = defaults[entry.name].default
        shown = f'"{default}"' if isinstance(default, str) else repr(default)
        assert entry.type.endswith(f"default={shown}"), entry.name
        assert entry.desc and "{" + "network}" not in " ".join(entry.desc)
    attributes = [entry.name for entry in ClassDoc(Estimator)["Attributes"]]
    assert attributes[:2] == ["net_", "history_"]


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_generated_init_behaves_like_a_written_one(Estimator):
    embedder = Estimator(7, weight=0.5)  # positional, as a written __init__
    assert embedder.latent_dim == 7 and embedder.weight == 0.5
    assert embedder.get_params()["weight"] == 0.5
    assert repr(embedder) == f"{Estimator.__name__}(latent_dim=7, weight=0.5)"
    copy = clone(embedder.set_params(lr=0.01))
    assert copy.get_params() == embedder.get_params()
    assert pickle.loads(pickle.dumps(copy)).get_params() == copy.get_params()
    with pytest.raises(TypeError, match="unexpected keyword argument 'wieght'"):
        Estimator(wieght=0.5)
    with pytest.raises(TypeError, match="multiple values"):
        Estimator(7, latent_dim=8)


def test_make_init_overrides_only_the_given_defaults():
    init = make_init(weight=0.9)
    parameters = inspect.signature(init).parameters
    assert parameters["weight"].default == 0.9
    assert (
        parameters["lr"].default
        == next(p for p in PARAMETERS if p.name == "lr").default
    )
    assert list(parameters)[0] == "self"


def test_a_users_subclass_inherits_the_declaration():
    class Tuned(TripletVAEEmbedder):
        """My embedder with another default."""

    assert Tuned().metric_loss == "triplet"
    assert list(inspect.signature(Tuned).parameters) == NAMES
    assert Tuned._parameter_constraints is TripletVAEEmbedder._parameter_constraints

    class OwnInit(SiameseAutoencoderEmbedder):
        def __init__(self, latent_dim=3, weight=0.7):
            super().__init__(latent_dim=latent_dim, weight=weight)

    embedder = OwnInit()
    assert (embedder.latent_dim, embedder.weight) == (3, 0.7)
    assert TripletVAEEmbedder.__init__.__qualname__ == "TripletVAEEmbedder.__init__"


@pytest.mark.parametrize("indent", ["", "    "])
def test_fill_docstring_keeps_the_placeholders_indentation(indent):
    # Python 3.13 strips a docstring's common indentation when it compiles
    # it; older versions keep it. Both must give a valid numpydoc section.
    docstring = (
        f"Summary.\n\n{indent}Parameters\n{indent}----------\n{indent}{{parameters}}\n"
    )
    filled = fill_docstring(docstring, parameters="    a : int\n        The a.")
    assert filled.splitlines()[-2:] == [f"{indent}a : int", f"{indent}    The a."]
    with pytest.raises(ValueError, match="no {attributes} line"):
        fill_docstring(docstring, attributes="x")


def test_auto_hidden_layer_sizes_narrow_with_few_rows():
    from sk_metricembed._defaults import (
        AUTO_HIDDEN_FULL_ROWS,
        AUTO_HIDDEN_LAYER_SIZES,
        AUTO_HIDDEN_MIN_WIDTH,
        resolve_hidden_layer_sizes,
    )

    full = AUTO_HIDDEN_LAYER_SIZES["vector"]
    widths = [
        resolve_hidden_layer_sizes("auto", None, n)[0]
        for n in (10, 100, 300, 1000, AUTO_HIDDEN_FULL_ROWS - 1)
    ]
    assert widths == sorted(widths)
    assert widths[0] == AUTO_HIDDEN_MIN_WIDTH
    assert resolve_hidden_layer_sizes("auto", None, 300) == (128, 64)
    assert resolve_hidden_layer_sizes("auto", None, AUTO_HIDDEN_FULL_ROWS) == full
    # Image mode and explicit sizes do not depend on the rows.
    assert (
        resolve_hidden_layer_sizes("auto", (8, 8, 1), 50)
        == (AUTO_HIDDEN_LAYER_SIZES["image"])
    )
    assert resolve_hidden_layer_sizes((7,), None, 50) == (7,)


@pytest.mark.parametrize("batch_size", [256, 100])
@pytest.mark.parametrize("image_shape", [None, (28, 28, 1)])
def test_auto_epochs_are_a_budget_of_steps(image_shape, batch_size):
    from sk_metricembed._defaults import (
        AUTO_MIN_EPOCHS,
        AUTO_TRAINING_ROWS,
        input_mode,
        resolve_max_epochs,
    )

    most = steps = -(-AUTO_TRAINING_ROWS[input_mode(image_shape)] // batch_size)
    # Fewer rows than a batch: one step a pass, the whole budget of steps.
    for n in (10, batch_size):
        assert resolve_max_epochs("auto", image_shape, n, batch_size) == most
    rows = [2 * batch_size + 1, 7 * batch_size, 60 * batch_size, 100_000]
    epochs = [resolve_max_epochs("auto", image_shape, n, batch_size) for n in rows]
    assert epochs == sorted(epochs, reverse=True) and epochs[0] <= most
    for n, e in zip(rows, epochs):
        per_epoch = -(-n // batch_size)
        if AUTO_MIN_EPOCHS < e < most:
            # The fewest passes that take the budget's steps: not one more.
            assert e * per_epoch >= steps > (e - 1) * per_epoch
    assert resolve_max_epochs("auto", image_shape, 10**8, batch_size) == (
        AUTO_MIN_EPOCHS
    )
    # A number is a number of passes, whatever the rows.
    assert resolve_max_epochs(7, image_shape, 10**8, batch_size) == 7


def test_a_small_table_takes_as_many_steps_as_mnist():
    """Vectors: a table of 120 rows takes the optimiser steps of 6,000 rows
    (give or take a pass's rounding), where it used to stop after 60."""
    from sk_metricembed._defaults import resolve_max_epochs

    def steps(n):
        return resolve_max_epochs("auto", None, n, 256) * -(-n // 256)

    assert steps(120) >= steps(6000) - 24 >= 60 * 10


def test_validation_rows_count_toward_neither_budget_nor_width():
    # 280 rows of four classes, a tenth of each held out (7 of 70): the 252
    # training rows take one step a pass, so the budget is the whole budget
    # of steps in passes, and the network is sized for 252 rows.
    import numpy as np

    from sk_metricembed._defaults import (
        resolve_hidden_layer_sizes,
        resolve_max_epochs,
    )

    rng = np.random.RandomState(0)
    X, y = rng.rand(280, 5).astype(np.float32), np.arange(280) % 4
    embedder = SiameseAutoencoderEmbedder(
        early_stopping=True, n_iter_no_change=1, random_state=0
    ).fit(X, y)
    assert embedder.net_.max_epochs == resolve_max_epochs("auto", None, 252, 256)
    assert embedder.net_.max_epochs > resolve_max_epochs("auto", None, 280, 256)
    first = next(
        m for m in embedder.net_.module_.modules() if isinstance(m, torch.nn.Linear)
    )
    assert first.out_features == resolve_hidden_layer_sizes("auto", None, 252)[0]


def test_a_small_fit_builds_the_narrow_network():
    import numpy as np

    X = np.random.RandomState(0).rand(120, 5).astype(np.float32)
    with pytest.warns(UserWarning, match="no supervision"):
        embedder = SiameseAutoencoderEmbedder(max_epochs=1, random_state=0).fit(X)
    first = next(
        m for m in embedder.net_.module_.modules() if isinstance(m, torch.nn.Linear)
    )
    assert first.out_features == 64


def _assert_affine_in_the_rows(embedder, X):
    # The code of a blend of two rows is the same blend of their codes.
    import numpy as np

    a, b = X[:5].astype(np.float64), X[5:10].astype(np.float64)
    mixed = embedder.transform((0.3 * a + 0.7 * b).astype(np.float32))
    expected = 0.3 * embedder.transform(X[:5]) + 0.7 * embedder.transform(X[5:10])
    np.testing.assert_allclose(mixed, expected, atol=1e-5)


@pytest.mark.parametrize("image_shape", [None, (4, 4)])
def test_no_hidden_layer_makes_the_code_a_linear_map(image_shape):
    # hidden_layer_sizes=(): the code is an affine map of the rows (vectors)
    # or of the stem's feature maps (image mode); the vector decoder is linear.
    import numpy as np

    X = np.random.RandomState(0).rand(60, 16).astype(np.float32)
    y = np.repeat([0, 1, 2], 20)
    embedder = TripletVAEEmbedder(
        latent_dim=3,
        hidden_layer_sizes=(),
        image_shape=image_shape,
        neighbor_smoothing=0,
        max_epochs=2,
        random_state=0,
    ).fit(X, y)
    module = embedder.net_.module_
    assert len(module.encoder_body) == 0
    if image_shape is None:
        assert len(module.decoder.body) == 0
        _assert_affine_in_the_rows(embedder, X)


def test_linear_path_adds_a_linear_map_of_the_row_to_the_mlps_code():
    # linear_path: the heads read the MLP's output and the row, so with the
    # MLP's share of the mean head zeroed the code is affine in the row.
    import numpy as np
    import torch

    X = np.random.RandomState(0).rand(60, 16).astype(np.float32)
    y = np.repeat([0, 1, 2], 20)
    embedder = TripletVAEEmbedder(
        latent_dim=3, neighbor_smoothing=0, max_epochs=2, random_state=0
    ).fit(X, y)
    module = embedder.net_.module_
    body_dim = module.encoder_body[-2].out_features
    assert module.linear_path == X.shape[1]
    assert module.mean_head.in_features == body_dim + X.shape[1]
    assert "linear_path=16" in repr(module)
    with torch.no_grad():
        module.mean_head.weight[:, :body_dim] = 0
    _assert_affine_in_the_rows(embedder, X)


@pytest.mark.parametrize(
    "params, on",
    [
        ({}, True),
        ({"linear_path": False}, False),
        ({"hidden_layer_sizes": ()}, False),
        ({"image_shape": (4, 4)}, False),
        ({"image_shape": (4, 4), "linear_path": True}, True),
        ({"hidden_layer_sizes": (), "linear_path": True}, True),
        ({"encoder": torch.nn.Linear(16, 8)}, False),
        ({"encoder": torch.nn.Linear(16, 8), "linear_path": True}, True),
    ],
)
def test_linear_path_auto_is_on_for_the_built_in_mlp_of_flattened_rows(params, on):
    import numpy as np

    X = np.random.RandomState(1).rand(40, 16).astype(np.float32)
    y = np.repeat([0, 1], 20)
    embedder = SiameseAutoencoderEmbedder(
        latent_dim=2, max_epochs=1, random_state=0, **params
    ).fit(X, y)
    assert (embedder.net_.module_.linear_path > 0) == on
    assert embedder.transform(X).shape == (40, 2)
