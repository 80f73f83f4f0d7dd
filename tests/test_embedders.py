"""Behaviour of the two embedders: shapes, seeds, pickling, supervision, CV."""

import pickle
import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV, KFold, train_test_split

from sk_metricembed import (
    SiameseAutoencoderEmbedder,
    TripletVAEEmbedder,
    sample_pairs,
    sample_triplets,
)
from sk_metricembed.metrics import triplet_accuracy_score

ESTIMATORS = [SiameseAutoencoderEmbedder, TripletVAEEmbedder]
FAST = dict(max_epochs=3, hidden_layer_sizes=(64,), latent_dim=4, random_state=0)


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return (X / 16.0).astype(np.float32), y


def _few_labels(y, n_labeled, seed=0):
    y = y.copy()
    rng = np.random.RandomState(seed)
    hidden = rng.permutation(len(y))[n_labeled:]
    y[hidden] = -1
    return y


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_shapes_and_inverse_transform(Estimator, digits):
    X, y = digits[0][:300], digits[1][:300]
    embedder = Estimator(**FAST).fit(X, _few_labels(y, 60))
    Z = embedder.transform(X)
    assert Z.shape == (300, 4) and Z.dtype == np.float32
    assert np.isfinite(Z).all()
    assert embedder.inverse_transform(Z).shape == (300, 64)
    assert embedder.get_feature_names_out().tolist() == [
        f"{Estimator.__name__.lower()}{i}" for i in range(4)
    ]
    assert embedder.history_[-1, "epoch"] == 3


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_same_seed_same_embedding_and_global_rng_untouched(Estimator, digits):
    X, y = digits[0][:300], _few_labels(digits[1][:300], 60)
    import torch

    torch.manual_seed(123)
    before = torch.rand(1)
    torch.manual_seed(123)
    first = Estimator(**FAST).fit(X, y).transform(X)
    assert torch.rand(1) == before  # fit forked torch's generator
    second = Estimator(**FAST).fit(X, y).transform(X)
    third = Estimator(**{**FAST, "random_state": 1}).fit(X, y).transform(X)
    np.testing.assert_array_equal(first, second)
    assert not np.allclose(first, third)


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_pickle_round_trip_gives_same_transform(Estimator, digits):
    X, y = digits[0][:200], _few_labels(digits[1][:200], 50)
    embedder = Estimator(**FAST).fit(X, y)
    restored = pickle.loads(pickle.dumps(embedder))
    np.testing.assert_array_equal(embedder.transform(X), restored.transform(X))


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_metric_weight_improves_held_out_triplet_accuracy(Estimator, digits):
    X, y = digits
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, stratify=y, random_state=0
    )
    params = dict(
        max_epochs=15,
        latent_dim=8,
        random_state=0,
        neighbor_weight=0.0,
        supervised_contrastive_weight=0.0,
    )
    scores = {}
    for weight in (0.0, 0.5):
        embedder = Estimator(weight=weight, **params).fit(X_train, y_train)
        scores[weight] = triplet_accuracy_score(
            embedder.transform(X_test), y_test, random_state=0
        )
    assert scores[0.5] > scores[0.0] + 0.05, scores


@pytest.mark.parametrize("Estimator", ESTIMATORS)
@pytest.mark.parametrize("kind", ["pairs", "triplets"])
@pytest.mark.filterwarnings("ignore:.*share no row:UserWarning")
def test_explicit_constraints_only(Estimator, kind, digits):
    X, y = digits[0][:400], digits[1][:400]
    if kind == "pairs":
        pairs, pair_labels = sample_pairs(y, 600, random_state=0)
        constraints = dict(pairs=pairs, pair_labels=pair_labels)
    else:
        constraints = dict(triplets=sample_triplets(y, 600, random_state=0))
    embedder = Estimator(**{**FAST, "max_epochs": 8}).fit(X, **constraints)
    assert embedder.history_[-1, "constraint_loss"] >= 0
    assert triplet_accuracy_score(embedder.transform(X), y, random_state=0) > 0.7


def test_triplet_estimator_counts_the_pairs_left_out_of_every_triplet(digits):
    X = digits[0][:10]
    pairs = [[0, 1], [0, 6], [5, 7], [8, 9]]  # only the first two form one
    with pytest.warns(UserWarning, match="2 of the 4 pairs share no row"):
        TripletVAEEmbedder(**FAST).fit(X, pairs=pairs, pair_labels=[1, 0, 1, 1])


def test_contradictions_after_conversion_name_it_and_the_identifiers(digits):
    X = digits[0][:10]
    ids = np.arange(10) + 1000
    # Consistent triplets whose pairs contradict: (0, 1) similar in the
    # first, dissimilar in the second.
    triplets = [[1000, 1001, 1002], [1001, 1002, 1000]]
    with pytest.raises(ValueError, match=r"split into .* for example \[1000, 1001\]"):
        SiameseAutoencoderEmbedder(**FAST).fit(X, triplets=triplets, sample_index=ids)
    TripletVAEEmbedder(**FAST).fit(X, triplets=triplets, sample_index=ids)


def test_triplet_estimator_rejects_pairs_that_form_no_triplet(digits):
    X = digits[0][:10]
    with pytest.raises(ValueError, match="no triplet"):
        TripletVAEEmbedder(**FAST).fit(X, pairs=[[0, 1], [2, 3]], pair_labels=[1, 0])


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_constraints_under_cross_validation_match_per_fold_fits(Estimator, digits):
    X, y = digits[0][:240], digits[1][:240]
    ids = np.arange(1000, 1240)  # identifiers, deliberately not row positions
    pairs, pair_labels = sample_pairs(y, 300, random_state=0)
    search = GridSearchCV(
        Estimator(**FAST),
        {"weight": [0.9]},
        cv=KFold(2),
        refit=False,
        error_score="raise",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        search.fit(X, y, pairs=ids[pairs], pair_labels=pair_labels, sample_index=ids)
    for fold, (train, test) in enumerate(KFold(2).split(X)):
        position = np.full(len(X), -1)
        position[train] = np.arange(len(train))
        inside = (position[pairs] >= 0).all(axis=1)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            manual = Estimator(**{**FAST, "weight": 0.9}).fit(
                X[train],
                y[train],
                pairs=position[pairs[inside]],
                pair_labels=pair_labels[inside],
            )
        expected = manual.score(X[test], y[test])
        assert search.cv_results_[f"split{fold}_test_score"][0] == pytest.approx(
            expected
        )


def test_constraints_outside_sample_index_warn(digits):
    X = digits[0][:20]
    with pytest.warns(UserWarning, match="1 pairs reach rows outside sample_index"):
        SiameseAutoencoderEmbedder(**FAST).fit(
            X, pairs=[[0, 1], [0, 99]], pair_labels=[1, 0], sample_index=np.arange(20)
        )


def test_constraints_all_left_out_name_an_identifier_and_the_cause(digits):
    # A typo in every pair: the warnings show it and say why nothing
    # supervises the fit (not that no pair was given).
    X = digits[0][:20]
    ids = np.array([f"r{i:02d}" for i in range(20)])
    with pytest.warns(UserWarning) as record:
        SiameseAutoencoderEmbedder(**FAST).fit(
            X,
            pairs=[["R02", "r03"], ["r04", "r4"]],
            pair_labels=[1, 0],
            sample_index=ids,
        )
    messages = [str(w.message) for w in record]
    assert any(
        "2 pairs (all of them) reach rows outside sample_index, for example the "
        "identifier 'R02'" in m
        for m in messages
    ), messages
    assert any(
        "no supervision: no y and every pair or triplet given was left out" in m
        for m in messages
    ), messages


def test_constraints_that_contradict_the_labels_are_warned_of(digits):
    X, y = digits[0][:20], digits[1][:20].copy()
    y[::3] = -1
    labelled = np.flatnonzero(y >= 0)
    a = labelled[0]
    other = labelled[y[labelled] != y[a]][0]
    same = labelled[(y[labelled] == y[a]) & (labelled != a)]
    with pytest.warns(
        UserWarning,
        match=rf"1 of the 2 pairs says the opposite of y's labels, for example "
        rf"\[{a}, {other}\]",
    ):
        SiameseAutoencoderEmbedder(**FAST).fit(
            X, y, pairs=[[a, other], [a, 0]], pair_labels=[1, 0]
        )
    with pytest.warns(UserWarning, match="1 of the 1 triplets says the opposite"):
        TripletVAEEmbedder(**FAST).fit(X, y, triplets=[[a, other, 0]])
    if same.size:  # a consistent triplet: no warning
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            TripletVAEEmbedder(**FAST).fit(X, y, triplets=[[a, same[0], other]])


def test_a_sample_index_of_mixed_types_is_a_clear_error(digits):
    ids = np.array([0, "a", *range(2, 20)], dtype=object)
    with pytest.raises(TypeError, match="sample_index must hold identifiers of one"):
        SiameseAutoencoderEmbedder(**FAST).fit(
            digits[0][:20], pairs=[[0, 2]], pair_labels=[1], sample_index=ids
        )


def test_a_string_index_identifies_the_rows_of_constraints(digits):
    # A DataFrame's string index, as sample_index, names the pairs' rows: the
    # same fit as with their positions.
    X = digits[0][:20]
    ids = np.array([f"row{i}" for i in range(20)])
    positions = np.array([[0, 1], [2, 3], [4, 5]])
    by_name = SiameseAutoencoderEmbedder(**FAST).fit(
        X, pairs=ids[positions], pair_labels=[1, 0, 1], sample_index=ids
    )
    by_position = SiameseAutoencoderEmbedder(**FAST).fit(
        X, pairs=positions, pair_labels=[1, 0, 1]
    )
    np.testing.assert_array_equal(by_name.transform(X), by_position.transform(X))


def test_a_dataframe_index_the_pairs_may_mean_is_named_in_a_warning(digits):
    # After train_test_split a DataFrame's index is no longer 0..n-1, and
    # pairs written with its labels would pick other rows, silently.
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(digits[0][:20], index=np.arange(100, 120)[::-1])
    pairs, pair_labels = [[0, 1], [2, 3]], [1, 0]
    with pytest.warns(UserWarning, match="pass sample_index=X.index"):
        SiameseAutoencoderEmbedder(**FAST).fit(
            frame, pairs=pairs, pair_labels=pair_labels
        )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # Said to be positions, or a plain 0..n-1 index: nothing to warn of.
        SiameseAutoencoderEmbedder(**FAST).fit(
            frame,
            pairs=pairs,
            pair_labels=pair_labels,
            sample_index=np.arange(20),
        )
        SiameseAutoencoderEmbedder(**FAST).fit(
            frame.reset_index(drop=True), pairs=pairs, pair_labels=pair_labels
        )


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_no_supervision_warns_and_still_trains(Estimator, digits):
    X = digits[0][:100]
    with pytest.warns(UserWarning, match="no supervision"):
        embedder = Estimator(**FAST).fit(X, np.full(100, -1))
    assert "neighbor_loss" in embedder.history_[-1]
    with pytest.warns(UserWarning, match="reconstruction only"):
        Estimator(**{**FAST, "neighbor_weight": 0.0}).fit(X)


def test_weight_zero_is_a_plain_autoencoder(digits):
    X, y = digits[0][:100], digits[1][:100]
    embedder = TripletVAEEmbedder(**{**FAST, "weight": 0.0}).fit(X, y)
    last = embedder.history_[-1]
    assert "kl_loss" in last and "constraint_loss" not in last
    assert "neighbor_loss" not in last


def test_weight_zero_warns_of_the_terms_and_constraints_it_does_not_train(digits):
    # weight=0 is the plain autoencoder: numbers given to the metric part's
    # terms, and explicit constraints, are not trained, and it says so.
    X, y = digits[0][:100], digits[1][:100]
    with pytest.warns(UserWarning, match=r"neighbor_weight=1.0, classifier_weight"):
        embedder = SiameseAutoencoderEmbedder(
            **{**FAST, "weight": 0.0}, neighbor_weight=1.0, classifier_weight=0.5
        ).fit(X, y)
    assert "neighbor_loss" not in embedder.history_[-1]
    with pytest.warns(UserWarning, match="the 2 pairs or triplets given"):
        SiameseAutoencoderEmbedder(**{**FAST, "weight": 0.0}).fit(
            X, pairs=[[0, 1], [2, 3]], pair_labels=[1, 0]
        )
    with warnings.catch_warnings():  # "auto" terms are off there, quietly
        warnings.simplefilter("error")
        SiameseAutoencoderEmbedder(**{**FAST, "weight": 0.0}).fit(X, y)


def test_label_terms_without_labels_warn_that_they_train_nothing(digits):
    X = digits[0][:100]
    with pytest.warns(UserWarning, match=r"classifier_weight=0.5 train on labelled"):
        SiameseAutoencoderEmbedder(**FAST, classifier_weight=0.5).fit(
            X, pairs=[[0, 1], [2, 3]], pair_labels=[1, 0]
        )


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_weight_one_refuses_to_decode_with_its_untrained_decoder(Estimator, digits):
    X, y = digits[0][:100], digits[1][:100]
    embedder = Estimator(**{**FAST, "weight": 1.0}).fit(X, y)
    with pytest.raises(ValueError, match="weight=1 .* does not train"):
        embedder.inverse_transform(embedder.transform(X[:2]))
    if embedder.variational:
        with pytest.raises(ValueError, match="weight=1 .* does not train"):
            embedder.sample(2)


def test_decoding_follows_the_fitted_network_not_later_parameters(digits):
    X, y = digits[0][:100], digits[1][:100]
    embedder = TripletVAEEmbedder(**FAST).fit(X, y)
    Z = embedder.transform(X[:3])
    expected = embedder.inverse_transform(Z)
    embedder.set_params(latent_dim=FAST["latent_dim"] + 1, variational=False)
    np.testing.assert_array_equal(embedder.inverse_transform(Z), expected)
    assert embedder.sample(2, random_state=0).shape == (2, X.shape[1])


def test_weight_one_trains_no_reconstruction(digits):
    X, y = digits[0][:100], digits[1][:100]
    last = SiameseAutoencoderEmbedder(**{**FAST, "weight": 1.0}).fit(X, y).history_[-1]
    assert "reconstruction_loss" not in last and "constraint_loss" in last


@pytest.mark.parametrize(
    "params",
    [
        dict(metric_loss="bce"),
        dict(miner="hard"),
        dict(miner="semi-hard"),
        dict(contrasting_weight=1.0),
        dict(classifier_weight=1.0),
        dict(variational=True),
        dict(reconstruction="bce"),
        dict(optimizer="sgd"),
    ],
)
def test_siamese_options_train(params, digits):
    X, y = digits[0][:200], _few_labels(digits[1][:200], 80)
    embedder = SiameseAutoencoderEmbedder(**{**FAST, **params}).fit(X, y)
    assert np.isfinite(embedder.history_[-1, "train_loss"])


@pytest.mark.parametrize(
    "params",
    [dict(metric_loss="softmax_ratio"), dict(miner="hard"), dict(variational=False)],
)
def test_triplet_options_train(params, digits):
    X, y = digits[0][:200], _few_labels(digits[1][:200], 80)
    embedder = TripletVAEEmbedder(**{**FAST, **params}).fit(X, y)
    assert np.isfinite(embedder.history_[-1, "train_loss"])


def test_vae_sample_is_seeded_and_ae_cannot_sample(digits):
    X, y = digits[0][:100], digits[1][:100]
    vae = TripletVAEEmbedder(**FAST).fit(X, y)
    np.testing.assert_array_equal(
        vae.sample(5, random_state=0), vae.sample(5, random_state=0)
    )
    assert vae.sample(5, random_state=0).shape == (5, 64)
    ae = SiameseAutoencoderEmbedder(**FAST, variational=False).fit(X, y)
    with pytest.raises(ValueError, match="variational=True"):
        ae.sample(3)


def test_warm_start_continues_training(digits):
    X, y = digits[0][:150], digits[1][:150]
    embedder = SiameseAutoencoderEmbedder(**{**FAST, "warm_start": True}).fit(X, y)
    weights = embedder.net_.module_.mean_head.weight.detach().clone()
    embedder.fit(X, y)
    assert len(embedder.history_) == 6
    assert not np.allclose(weights, embedder.net_.module_.mean_head.weight.detach())


def test_default_score_drives_grid_search(digits):
    X, y = digits[0][:300], _few_labels(digits[1][:300], 150)
    search = GridSearchCV(
        SiameseAutoencoderEmbedder(**FAST), {"latent_dim": [2, 4]}, cv=2
    )
    search.fit(X, y)
    assert 0 <= search.best_score_ <= 1
    assert clone(search.best_estimator_).get_params()["latent_dim"] in (2, 4)


def test_dataframe_names_and_set_output(digits):
    pd = pytest.importorskip("pandas")
    X = pd.DataFrame(digits[0][:100], columns=[f"px{i}" for i in range(64)])
    embedder = SiameseAutoencoderEmbedder(**FAST).set_output(transform="pandas")
    Z = embedder.fit(X, digits[1][:100]).transform(X)
    assert list(embedder.feature_names_in_) == list(X.columns)
    assert list(Z.columns) == [f"siameseautoencoderembedder{i}" for i in range(4)]


def test_verbose_prints_epoch_table(digits, capsys):
    X, y = digits[0][:100], digits[1][:100]
    SiameseAutoencoderEmbedder(**{**FAST, "verbose": 1}).fit(X, y)
    out = capsys.readouterr().out
    assert "train_loss" in out and "neighbor_loss" in out


def test_user_callbacks_run(digits):
    from skorch.callbacks import EarlyStopping

    X, y = digits[0][:100], digits[1][:100]
    embedder = SiameseAutoencoderEmbedder(
        **{**FAST, "max_epochs": 50},
        callbacks=[EarlyStopping(monitor="train_loss", patience=1, threshold=10.0)],
    ).fit(X, y)
    assert len(embedder.history_) < 50


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_image_mode_trains_conv_model_on_flat_rows(Estimator, digits):
    X, y = digits[0][:200], _few_labels(digits[1][:200], 60)
    embedder = Estimator(**FAST, image_shape=(8, 8), augment=True).fit(X, y)
    assert type(embedder.net_.module_.stem).__name__ == "ConvStem"
    Z = embedder.transform(X)
    assert Z.shape == (200, 4)
    assert embedder.inverse_transform(Z).shape == (200, 64)
    again = Estimator(**FAST, image_shape=(8, 8), augment=True).fit(X, y)
    np.testing.assert_array_equal(Z, again.transform(X))


def test_random_affine_keeps_shape_and_moves_pixels():
    import torch

    from sk_metricembed._training.augment import RandomAffine

    images = torch.zeros(4, 28 * 28)
    images[:, 28 * 14 + 10 : 28 * 14 + 18] = 1.0  # a horizontal bar
    torch.manual_seed(0)
    warped = RandomAffine((28, 28, 1))(images)
    assert warped.shape == images.shape
    assert not torch.allclose(warped, images)
    identity = RandomAffine((28, 28, 1), degrees=0, scale=0, shift=0)(images)
    torch.testing.assert_close(identity, images, atol=1e-5, rtol=0)


def test_random_affine_shift_is_a_share_of_the_image_side():
    import torch

    from sk_metricembed._training.augment import RandomAffine

    # A single lit pixel moved by a pure shift: at most 1/14 of the side
    # (2 pixels of 28, under one pixel of 8), whatever the image size.
    for side in (8, 28):
        image = torch.zeros(200, side * side)
        image[:, (side // 2) * side + side // 2] = 1.0
        torch.manual_seed(0)
        warped = RandomAffine((side, side, 1), degrees=0, scale=0)(image)
        grid = torch.arange(side, dtype=torch.float32)
        images = warped.reshape(200, side, side)
        mass = images.sum(dim=(1, 2))
        centre_x = (images.sum(dim=1) * grid).sum(dim=1) / mass
        moved = (centre_x - side // 2).abs().max().item()
        assert 0 < moved <= side / 14 + 1e-4


@pytest.mark.parametrize(
    "shape, strides, map_side",
    [((28, 28, 1), (2, 2), 7), ((8, 8, 1), (2, 1), 4), ((3, 3, 1), (1, 1), 3)],
)
def test_conv_stem_halves_the_map_while_it_stays_large(shape, strides, map_side):
    import torch

    from sk_metricembed._training.conv import ConvDecoder, ConvStem, stem_strides

    assert stem_strides(shape) == strides
    stem = ConvStem(shape, "relu")
    rows = torch.zeros(2, shape[0] * shape[1])
    assert stem(rows).shape == (2, 64, map_side, map_side)
    assert stem.output_dim == 64 * map_side**2
    decoder = ConvDecoder(4, shape, (16,), "relu", 0.0)
    assert decoder(torch.zeros(2, 4)).shape == rows.shape


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_augment_auto_is_on_in_image_mode_only(Estimator, digits):
    X, y = digits[0][:60], _few_labels(digits[1][:60], 20)
    images = Estimator(**FAST, image_shape=(8, 8)).fit(X, y)
    vectors = Estimator(**FAST).fit(X, y)
    assert images.augment == vectors.augment == "auto"
    assert images.net_.augment is not None
    assert vectors.net_.augment is None
    off = Estimator(**FAST, image_shape=(8, 8), augment=False).fit(X, y)
    assert off.net_.augment is None


@pytest.mark.parametrize(
    "params, match",
    [
        (dict(image_shape=(9, 9)), "image_shape"),
        (dict(image_shape=(8, -8)), "image_shape"),
        (dict(augment=True), "augment=True needs image_shape"),
    ],
)
def test_image_mode_errors(params, match, digits):
    with pytest.raises(ValueError, match=match):
        SiameseAutoencoderEmbedder(**FAST, **params).fit(digits[0][:50])


def test_spatial_contrasting_trains_in_image_mode_and_needs_images(digits):
    X, y = digits
    embedder = TripletVAEEmbedder(
        **FAST, image_shape=(8, 8), spatial_contrasting_weight=1.0
    ).fit(X, y)
    losses = embedder.history_[:, "spatial_contrasting_loss"]
    assert len(losses) == FAST["max_epochs"] and all(np.isfinite(losses))
    assert losses[-1] < losses[0]
    with pytest.raises(ValueError, match="spatial_contrasting_weight"):
        TripletVAEEmbedder(**FAST, spatial_contrasting_weight=1.0).fit(X, y)
