"""What skorch users expect: validation rows, early stopping, routed arguments.

The validation split (``sk_metricembed._training.validation``, the
estimators' ``validation_fraction`` and ``early_stopping``) and skorch's
``<prefix>__<argument>`` names (``sk_metricembed._parameters``'s routing,
``_training.assemble``'s checks, ``_training.setup.resolve_optimizer``).
"""

import functools
import pickle

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from skorch.callbacks import (
    Callback,
    Checkpoint,
    EarlyStopping,
    EpochScoring,
    LRScheduler,
    ProgressBar,
)

from sk_metricembed import SiameseAutoencoderEmbedder, TripletVAEEmbedder
from sk_metricembed._supervision import Supervision
from sk_metricembed._training.batches import PlanSampler
from sk_metricembed._training.validation import (
    EARLY_STOPPING_NAME,
    MIN_TRAINING_ROWS_PER_CLASS,
    RowSubset,
    holdout_rows,
)

ESTIMATORS = [SiameseAutoencoderEmbedder, TripletVAEEmbedder]
FAST = dict(max_epochs=3, hidden_layer_sizes=(32,), latent_dim=4, random_state=0)


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    X, y = (X[:300] / 16.0).astype(np.float32), y[:300].copy()
    y[150:] = -1  # half the rows labelled
    return X, y


class Sides(Callback):
    """Records the datasets skorch trains and validates on."""

    def on_train_begin(self, net, **kwargs):
        self.seen_ = []

    def on_epoch_begin(self, net, dataset_train=None, dataset_valid=None, **kwargs):
        self.seen_.append((dataset_train, dataset_valid))


# -- which rows are held out ---------------------------------------------


def test_holdout_keeps_each_class_on_both_sides_and_spreads_the_unlabelled():
    sizes = {0: 20, 1: 10, 2: 5, 3: 3, 4: 2, 5: 1}
    labels = np.concatenate(
        [np.full(n, label) for label, n in sizes.items()] + [np.full(200, -1)]
    )
    rng = np.random.RandomState(0).permutation(len(labels))
    labels = labels[rng]
    train, valid = holdout_rows(labels, 0.2, np.random.RandomState(0))
    assert np.array_equal(np.union1d(train, valid), np.arange(len(labels)))
    assert not np.intersect1d(train, valid).size
    for label, n in sizes.items():
        in_valid = int((labels[valid] == label).sum())
        if n > MIN_TRAINING_ROWS_PER_CLASS:
            # About a fifth, at least one, and a pair left to train on.
            assert in_valid == max(1, int(np.floor(0.2 * n + 0.5)))
            assert n - in_valid >= MIN_TRAINING_ROWS_PER_CLASS
        else:
            assert in_valid == 0  # too few to spare one
    assert (labels[valid] == -1).sum() == 40
    again = holdout_rows(labels, 0.2, np.random.RandomState(0))
    assert all(np.array_equal(a, b) for a, b in zip((train, valid), again))


def test_holdout_too_small_names_the_parameter():
    with pytest.raises(
        ValueError, match=r"validation_fraction=0.1 of X's 4 rows leaves no validation"
    ):
        holdout_rows(np.full(4, -1), 0.1, np.random.RandomState(0))


def test_a_row_subset_reads_only_its_rows():
    X = np.arange(20.0).reshape(10, 2)
    rows = np.array([1, 4, 7])
    subset = RowSubset(X, rows)
    assert subset.shape == (3, 2) and len(subset) == 3
    assert np.array_equal(subset[1:], X[[4, 7]])
    assert np.array_equal(subset[np.array([2, 0])], X[[7, 1]])
    assert np.array_equal(np.asarray(subset, dtype=np.float32), X[rows])


def test_the_supervision_of_a_subset_keeps_the_constraints_inside_it():
    supervision = Supervision(
        labels=np.array([0, 1, -1, 0, 1]),
        n_classes=2,
        pairs=np.array([[0, 3], [1, 2], [2, 4]]),
        pair_similar=np.array([1, 0, 1]),
        triplets=np.array([[0, 3, 4], [0, 1, 2]]),
    )
    part = supervision.subset(np.array([0, 3, 4]))
    assert part.labels.tolist() == [0, 0, 1]
    assert part.pairs.tolist() == [[0, 1]] and part.pair_similar.tolist() == [1]
    assert part.triplets.tolist() == [[0, 1, 2]]
    assert supervision.n_constraints == 5 and part.n_constraints == 2


def test_validation_plans_repeat_every_epoch():
    labels = np.repeat([0, 1, -1], [10, 10, 30])
    neighbors = np.random.RandomState(1).randint(50, size=(50, 3))
    sampler = PlanSampler(
        50, labels, 16, np.random.RandomState(0), neighbors, repeat_plans=True
    )
    first, second = list(sampler), list(sampler)
    for a, b in zip(first, second):
        assert np.array_equal(a.rows, b.rows)
        assert np.array_equal(a.neighbor_rows, b.neighbor_rows)
    training = PlanSampler(50, labels, 16, np.random.RandomState(0), neighbors)
    assert not np.array_equal(next(iter(training)).rows, next(iter(training)).rows)


# -- fitting with validation rows ------------------------------------------


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_valid_loss_is_recorded_on_held_out_rows(Estimator, digits):
    X, y = digits
    sides = Sides()
    embedder = Estimator(**FAST, validation_fraction=0.2, callbacks=[sides]).fit(X, y)
    history = embedder.history_
    assert len(history) == 3
    valid_loss = history[:, "valid_loss"]
    assert np.isfinite(valid_loss).all()
    assert not np.allclose(valid_loss, history[:, "train_loss"])
    assert "valid_loss_best" in history[-1]
    # Each part of the held-out loss, beside the training one.
    assert history[-1, "valid_reconstruction_loss"] > 0
    assert history[-1, "valid_kl_loss"] > 0
    assert "valid_constraint_loss" in history[-1]
    # The sides: disjoint, covering X, each with its own neighbours.
    train, valid = sides.seen_[0]
    assert len(train) + len(valid) == len(X) and abs(len(valid) - 60) <= 5
    assert not np.intersect1d(train.X.rows, valid.X.rows).size
    for side in (train, valid):
        assert side.sampler.neighbors.max() < len(side)
        assert np.array_equal(side.true_labels, y[side.X.rows])
    # Every row is embedded and labelled as usual, held-out ones included.
    assert embedder.transform(X).shape == (300, 4)
    assert embedder.transduction_.shape == (300,)
    assert embedder.embedding_labeled_.shape[0] == (y >= 0).sum()


def test_no_validation_by_default(digits):
    X, y = digits
    embedder = TripletVAEEmbedder(**FAST).fit(X, y)
    assert "valid_loss" not in embedder.history_[-1]


def test_same_seed_same_embedding_with_validation(digits):
    X, y = digits
    params = dict(FAST, validation_fraction=0.2)
    first = TripletVAEEmbedder(**params).fit(X, y)
    second = TripletVAEEmbedder(**params).fit(X, y)
    assert np.array_equal(first.transform(X), second.transform(X))
    assert first.history_[:, "valid_loss"] == second.history_[:, "valid_loss"]
    plain = TripletVAEEmbedder(**FAST).fit(X, y).transform(X)
    assert not np.array_equal(first.transform(X), plain)


def _plateau(**params):
    # A learning rate too small to move the network: valid_loss stays put.
    return TripletVAEEmbedder(**{**FAST, "max_epochs": 50, "lr": 1e-12, **params})


def test_early_stopping_stops_on_a_plateau(digits):
    X, y = digits
    embedder = _plateau(early_stopping=True, n_iter_no_change=2).fit(X, y)
    # The first epoch is the best; two more without improvement stop it.
    assert len(embedder.history_) == 3
    assert "valid_loss" in embedder.history_[-1]  # "auto": 0.1 held out
    names = [name for name, _ in embedder.net_.callbacks_]
    assert EARLY_STOPPING_NAME in names


def test_early_stopping_keeps_the_best_epoch(digits):
    X, y = digits
    sides = Sides()
    embedder = TripletVAEEmbedder(
        **{**FAST, "max_epochs": 8},
        early_stopping=True,
        n_iter_no_change=8,
        validation_fraction=0.2,
        lr=0.05,  # large enough to make the held-out loss wander
        callbacks=[sides],
    ).fit(X, y)
    history = embedder.history_
    best = int(np.argmin(history[:, "valid_loss"]))
    assert history[best, "valid_loss_best"]
    stopper = dict(embedder.net_.callbacks_)[EARLY_STOPPING_NAME]
    assert stopper.best_epoch_ == history[best, "epoch"]
    # The restored network scores the best epoch's held-out loss again (one
    # validation batch: the epoch's loss is the batch's).
    net, (_, valid) = embedder.net_, sides.seen_[-1]
    (batch,) = list(net.get_iterator(valid))
    loss = net.validation_step(batch)["loss"].item()
    assert loss == pytest.approx(history[best, "valid_loss"], rel=1e-5)


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_skorchs_own_callbacks_follow_the_valid_loss(Estimator, digits, tmp_path):
    X, y = digits
    scheduler = LRScheduler(
        torch.optim.lr_scheduler.ReduceLROnPlateau,
        monitor="valid_loss",
        patience=0,
        eps=0,  # the default ignores changes of lr below 1e-8
    )
    embedder = Estimator(
        **{**FAST, "max_epochs": 50, "lr": 1e-12},
        validation_fraction=0.2,
        callbacks=[
            EarlyStopping(patience=2),
            Checkpoint(dirname=str(tmp_path)),
            scheduler,
        ],
    ).fit(X, y)
    assert len(embedder.history_) == 3
    assert (tmp_path / "params.pt").exists()
    # The plateau lowered the learning rate.
    assert embedder.net_.optimizer_.param_groups[0]["lr"] < 1e-12


class StepCounter(Callback):
    """Counts the optimiser steps taken."""

    def __init__(self):
        self.steps = 0

    def on_batch_end(self, net, training=False, **kwargs):
        self.steps += bool(training)


@pytest.mark.parametrize(
    "callbacks, routed, refused",
    [
        (
            [("stop", EarlyStopping())],
            {},
            r"'stop' \(EarlyStopping\) monitors 'valid_loss'",
        ),
        # skorch takes a class and instantiates it: its default monitor.
        ([EarlyStopping], {}, r"'EarlyStopping' monitors 'valid_loss'"),
        ([Checkpoint], {}, r"'valid_loss_best'.* or monitor 'train_loss_best'"),
        # The monitor set by routing, after the instance was made.
        (
            [EarlyStopping(monitor="train_loss")],
            {"callbacks__EarlyStopping__monitor": "valid_neighbor_loss"},
            r"'valid_neighbor_loss'.* or monitor 'neighbor_loss'",
        ),
    ],
    ids=["instance", "class", "checkpoint_class", "routed_monitor"],
)
def test_monitoring_valid_keys_without_validation_rows_is_refused_before_a_step(
    digits, callbacks, routed, refused
):
    X, y = digits
    counter = StepCounter()
    embedder = TripletVAEEmbedder(**FAST, callbacks=[*callbacks, counter], **routed)
    with pytest.raises(ValueError, match=refused):
        embedder.fit(X, y)
    assert counter.steps == 0
    with pytest.raises(ValueError, match="validation_fraction=None holds out none"):
        TripletVAEEmbedder(**FAST, early_stopping=True, validation_fraction=None).fit(
            X, y
        )


def test_a_part_the_validation_rows_do_not_record_is_refused_before_a_step(digits):
    # One labelled row a class among the validation rows: no pair, so no
    # constraint term there (skorch would raise a KeyError after an epoch).
    X, y = digits
    y = y.copy()
    for label in range(10):
        y[np.flatnonzero(y == label)[3:]] = -1  # three labelled rows a class
    counter = StepCounter()
    stopper = EarlyStopping(monitor="valid_constraint_loss")
    embedder = TripletVAEEmbedder(
        **FAST, validation_fraction=0.2, callbacks=[stopper, counter]
    )
    with pytest.raises(
        ValueError,
        match=r"'valid_constraint_loss', which this fit's validation rows do not "
        r"record.*valid_loss, valid_neighbor_loss, valid_reconstruction_loss",
    ):
        embedder.fit(X, y)
    assert counter.steps == 0


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_checking_the_monitored_parts_leaves_the_fit_unchanged(Estimator, digits):
    # The check scores the validation rows once before training, with
    # forked random draws: the same history and codes as a fit without it.
    X, y = digits
    plain = Estimator(**FAST, validation_fraction=0.2).fit(X, y)
    stopper = EarlyStopping(monitor="valid_reconstruction_loss", patience=100)
    checked = Estimator(**FAST, validation_fraction=0.2, callbacks=[stopper]).fit(X, y)
    np.testing.assert_array_equal(plain.transform(X), checked.transform(X))
    for key in ("train_loss", "valid_loss", "valid_reconstruction_loss"):
        assert plain.history_[:, key] == checked.history_[:, key]


def test_scoring_callbacks_that_cache_are_refused_and_run_without_caching(digits):
    # Cached, skorch's scoring gathers the batch plans as targets and fails
    # after the first epoch with its own TypeError; refused before training.
    X, y = digits

    def score(net, X=None, y=None):
        return 0.5

    cached = EpochScoring(score, name="s", on_train=True)
    refused = r"callbacks\[0\] \(EpochScoring\).*use_caching"
    with pytest.raises(ValueError, match=refused):
        TripletVAEEmbedder(**FAST, callbacks=[cached]).fit(X, y)
    uncached = EpochScoring(score, name="s", on_train=True, use_caching=False)
    embedder = TripletVAEEmbedder(**FAST, callbacks=[uncached]).fit(X, y)
    assert embedder.history_[:, "s"] == [0.5] * FAST["max_epochs"]


def test_constraints_across_the_split_are_left_out_with_a_warning(digits):
    X, _ = digits
    rng = np.random.RandomState(0)
    pairs = rng.choice(len(X), size=(200, 2), replace=True)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    pairs = np.unique(np.sort(pairs, axis=1), axis=0)
    similar = rng.randint(2, size=len(pairs))
    embedder = SiameseAutoencoderEmbedder(**FAST, validation_fraction=0.3)
    with pytest.warns(UserWarning, match=r"of the \d+ pairs or triplets"):
        embedder.fit(X, pairs=pairs, pair_labels=similar)
    assert "valid_loss" in embedder.history_[-1]


# -- skorch's arguments, routed ----------------------------------------------


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_optimizer_arguments_reach_the_torch_optimizer(Estimator, digits):
    X, y = digits
    embedder = Estimator(**{**FAST, "max_epochs": 1}, optimizer__weight_decay=1e-3)
    assert embedder.get_params()["optimizer__weight_decay"] == 1e-3
    embedder.fit(X, y)
    group = embedder.net_.optimizer_.param_groups[0]
    assert group["weight_decay"] == 1e-3 and group["lr"] == embedder.lr
    embedder.set_params(optimizer="sgd", optimizer__momentum=0.5).fit(X, y)
    group = embedder.net_.optimizer_.param_groups[0]
    assert isinstance(embedder.net_.optimizer_, torch.optim.SGD)
    assert group["momentum"] == 0.5 and group["weight_decay"] == 1e-3


def test_a_partial_optimizer_is_an_optimizer(digits):
    X, y = digits
    optimizer = functools.partial(torch.optim.SGD, momentum=0.9, nesterov=True)
    embedder = TripletVAEEmbedder(**{**FAST, "max_epochs": 1}, optimizer=optimizer)
    embedder.fit(X, y)
    group = embedder.net_.optimizer_.param_groups[0]
    assert group["momentum"] == 0.9 and group["nesterov"] and group["lr"] == 2e-3
    assert clone(embedder).get_params()["optimizer"].keywords == optimizer.keywords
    with pytest.raises(ValueError, match="sets lr, which the embedder's lr"):
        TripletVAEEmbedder(
            **FAST, optimizer=functools.partial(torch.optim.SGD, lr=0.1)
        ).fit(X, y)
    with pytest.raises(TypeError, match="functools.partial of one, got"):
        TripletVAEEmbedder(**FAST, optimizer=functools.partial(dict)).fit(X, y)


def test_routed_arguments_are_parameters_as_scikit_learn_sees_them():
    embedder = SiameseAutoencoderEmbedder(
        latent_dim=3, optimizer__weight_decay=1e-4, callbacks__print_log__sink=None
    )
    assert "latent_dim=3" in repr(embedder)
    assert "optimizer__weight_decay=0.0001" in repr(embedder)
    copy = clone(embedder)
    assert copy.get_params() == embedder.get_params()
    assert pickle.loads(pickle.dumps(copy)).optimizer__weight_decay == 1e-4
    # Through a pipeline, as a search's grid reaches it.
    pipeline = Pipeline([("scale", StandardScaler()), ("embed", embedder)])
    pipeline.set_params(embed__optimizer__weight_decay=0.5)
    assert embedder.get_params()["optimizer__weight_decay"] == 0.5
    assert "embed__optimizer__weight_decay" in pipeline.get_params()


def test_misnamed_routed_arguments_are_refused_with_the_fix():
    with pytest.raises(TypeError, match="did you mean optimizer__weight_decay"):
        TripletVAEEmbedder(optimizer_weight_decay=1e-4)
    with pytest.raises(TypeError, match="unexpected keyword argument 'module__x'"):
        TripletVAEEmbedder(module__x=1)
    with pytest.raises(ValueError, match="did you mean optimizer__<argument>"):
        TripletVAEEmbedder().set_params(optimizer__=1)
    with pytest.raises(ValueError, match="Invalid parameter 'criterion'"):
        TripletVAEEmbedder().set_params(criterion__beta=1)


@pytest.mark.parametrize(
    "argument, message",
    [
        ({"optimizer__lr": 0.1}, "would override lr=0.002; set lr instead"),
        ({"iterator_train__batch_size": 8}, "set batch_size on the embedder"),
        ({"iterator_valid__shuffle": True}, "the fit's batch plans set"),
        ({"callbacks__stopper__patience": 2}, "callbacks__stopper__patience names no"),
    ],
)
def test_routed_arguments_that_cannot_work_are_refused_before_training(
    argument, message, digits, monkeypatch
):
    from sk_metricembed._training.skorch_net import EmbeddingNet

    monkeypatch.setattr(EmbeddingNet, "fit", lambda *args: pytest.fail("trained"))
    X, y = digits
    with pytest.raises(ValueError, match=message):
        TripletVAEEmbedder(**FAST, **argument).fit(X, y)


def test_callback_arguments_reach_a_named_callback(digits):
    X, y = digits
    stopper = EarlyStopping(patience=40)
    embedder = _plateau(
        validation_fraction=0.2,
        callbacks=[("stopper", stopper)],
        callbacks__stopper__patience=2,
    ).fit(X, y)
    assert stopper.patience == 2 and len(embedder.history_) == 3
    # The early_stopping parameter's callback is named too.
    embedder = _plateau(
        early_stopping=True,
        n_iter_no_change=40,
        callbacks__early_stopping__patience=1,
    ).fit(X, y)
    assert len(embedder.history_) == 2


def test_iterator_arguments_reach_the_data_loader(digits):
    X, y = digits
    sides, generator = Sides(), torch.Generator()
    embedder = TripletVAEEmbedder(
        **{**FAST, "max_epochs": 1},
        validation_fraction=0.2,
        iterator_train__num_workers=1,  # the plans' rows read in a worker
        iterator_valid__generator=generator,
        callbacks=[sides],
    ).fit(X, y)
    train, valid = sides.seen_[0]
    assert embedder.net_.get_iterator(train, training=True).num_workers == 1
    assert embedder.net_.get_iterator(valid, training=False).generator is generator
    assert np.isfinite(embedder.history_[-1, "train_loss"])


def test_valid_loss_leaves_the_kl_out(digits):
    # At weight=0 the objective is the VAE's: the reconstruction's NLL at its
    # maximum-likelihood variance, log(mse) / 2 + 1/2, plus the KL, which the
    # held-out loss leaves out (it follows the warm-up's schedule).
    X, y = digits
    embedder = TripletVAEEmbedder(**FAST, weight=0.0, validation_fraction=0.2)
    history = embedder.fit(X, y).history_
    for epoch in history:  # one validation batch: the epoch's loss is its own
        mse = epoch["valid_reconstruction_loss"]
        assert epoch["valid_loss"] == pytest.approx(0.5 * np.log(mse) + 0.5, rel=1e-5)
        assert epoch["valid_kl_loss"] > 0


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_validation_loss_holds_still_with_the_weights(Estimator, digits):
    # At lr=1e-12 the weights do not move, so neither may the validation
    # loss that early stopping and checkpoints follow: mining's random
    # negatives on the validation rows drew afresh each epoch (the siamese
    # pair term went 0.174, 0.178, 0.179, 0.181).
    X, y = digits
    embedder = Estimator(
        **{**FAST, "lr": 1e-12, "max_epochs": 4}, validation_fraction=0.2
    ).fit(X, y)
    losses = embedder.history_[:, "valid_loss"]
    assert losses == pytest.approx([losses[0]] * 4, rel=1e-6)
    # The training's own draws are not reset with them.
    first, second = (
        Estimator(**{**FAST, "max_epochs": 2}, validation_fraction=0.2).fit(X, y)
        for _ in range(2)
    )
    assert first.history_[:, "train_loss"] == second.history_[:, "train_loss"]


# --- skorch's default callbacks, at a cost that does not grow with the epochs -----


def _history_of(epochs):
    """A skorch History of ``epochs``: lists of (batch size, value or None)."""
    from skorch.history import History

    history = History()
    for batches in epochs:
        history.new_epoch()
        for size, value in batches:
            history.new_batch()
            history.record_batch("train_batch_size", size)
            if value is not None:
                history.record_batch("part_loss", value)
    return history


@pytest.mark.parametrize(
    "epochs",
    [
        [[(10, 0.5), (4, 0.2)], [(10, 0.7), (4, 0.1)], [(14, 0.3)]],
        [[(10, None)], [(10, 0.4)]],  # a part recorded from the second epoch on
        [[]],  # an epoch without batches
    ],
    ids=["weighted", "late_part", "no_batches"],
)
def test_loss_scoring_records_what_skorchs_passthrough_scoring_records(epochs):
    from types import SimpleNamespace

    from skorch.callbacks import PassthroughScoring

    from sk_metricembed._training.skorch_net import LossScoring

    records = []
    for callback in (PassthroughScoring, LossScoring):
        history = _history_of([])
        scoring = callback(name="part_loss", on_train=True).initialize()
        net = SimpleNamespace(history=history)
        for batches in epochs:
            for epoch in _history_of([batches]):
                history.append(epoch)
            scoring.on_epoch_end(net)
        records.append(
            [{k: v for k, v in e.items() if k != "batches"} for e in history]
        )
    assert records[0] == records[1]
    assert any(records[1]) or epochs == [[]]


def test_the_print_log_formats_nothing_it_would_not_print(digits, capsys):
    X, y = digits
    rows = []
    SiameseAutoencoderEmbedder(**FAST, verbose=0).fit(X, y)
    assert capsys.readouterr().out == ""
    # skorch's rule: a sink of the user's own gets every row, whatever verbose.
    SiameseAutoencoderEmbedder(
        **FAST, verbose=0, callbacks__print_log__sink=rows.append
    ).fit(X, y)
    assert len(rows) == 2 + FAST["max_epochs"]  # the header, its rule, a row an epoch
    SiameseAutoencoderEmbedder(**FAST, verbose=1).fit(X, y)
    assert "train_loss" in capsys.readouterr().out


@pytest.mark.parametrize("method", ["predict", "predict_proba", "forward"])
def test_the_net_refuses_rows_and_points_to_transform(digits, method):
    X, y = digits
    embedder = TripletVAEEmbedder(**FAST).fit(X, y)
    with pytest.raises(TypeError, match=r"batch plans, not rows.*transform"):
        getattr(embedder.net_, method)(X)


def test_n_iter_counts_the_epochs_of_every_warm_fit(digits):
    X, y = digits
    embedder = TripletVAEEmbedder(**FAST, warm_start=True).fit(X, y)
    assert embedder.n_iter_ == len(embedder.history_) == FAST["max_epochs"]
    embedder.set_params(max_epochs=2).fit(X, y)
    assert embedder.n_iter_ == FAST["max_epochs"] + 2


def _progress_bars(embedder):
    return [cb for _, cb in embedder.net_.callbacks_ if isinstance(cb, ProgressBar)]


@pytest.mark.parametrize("given", [None, ProgressBar, ProgressBar(postfix_keys=[])])
def test_a_progress_bar_of_ones_own_replaces_the_built_in_one(digits, given):
    X, y = digits
    callbacks = None if given is None else [given]
    embedder = TripletVAEEmbedder(**FAST, verbose=1, callbacks=callbacks).fit(X, y)
    (bar,) = _progress_bars(embedder)
    assert given is None or bar is given or type(bar) is given
