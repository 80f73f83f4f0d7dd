"""Both ends of ``weight`` mean what they say.

weight=1 is the pure siamese/triplet network: the ``"auto"`` extra terms
and pseudo-labels are off there, terms given a number stay, and
``metric_loss="none"`` with a classifier head is the classification network
of "Siamese networks and friends".

weight=0 is a plain VAE that keeps the data's neighbourhoods. With a
Gaussian likelihood of fixed variance 1/2 (the plain mean squared
error beside KL / n_features) a VAE of pixels in [0, 1] switched its latent
dimensions off and embedded digits worse than PCA; the calibrated likelihood
and the KL warm-up keep it at least as good as PCA at the same dimension.
"""

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier

from sk_metricembed import SiameseAutoencoderEmbedder, TripletVAEEmbedder

LATENT_DIM = 8


@pytest.fixture(scope="module")
def digits_split():
    X, y = load_digits(return_X_y=True)
    return train_test_split(X / 16.0, y, test_size=0.4, stratify=y, random_state=0)


def _test_5nn(Z_train, Z_test, y_train, y_test) -> float:
    return KNeighborsClassifier(5).fit(Z_train, y_train).score(Z_test, y_test)


def _embedding_5nn(embedder, digits_split) -> float:
    X_train, X_test, y_train, y_test = digits_split
    embedder.fit(X_train)
    return _test_5nn(
        embedder.transform(X_train), embedder.transform(X_test), y_train, y_test
    )


@pytest.mark.parametrize("Embedder", [TripletVAEEmbedder, SiameseAutoencoderEmbedder])
def test_weight_zero_vae_is_at_least_as_good_as_pca(Embedder, digits_split):
    X_train, X_test, y_train, y_test = digits_split
    pca = PCA(LATENT_DIM, random_state=0).fit(X_train)
    pca_5nn = _test_5nn(pca.transform(X_train), pca.transform(X_test), y_train, y_test)
    vae = Embedder(weight=0.0, latent_dim=LATENT_DIM, random_state=0)
    assert _embedding_5nn(vae, digits_split) >= pca_5nn


def test_the_fixed_half_variance_collapses_the_vae(digits_split):
    # What the calibrated likelihood fixes: the same VAE under var = 1/2 and
    # the full KL from the first epoch.
    collapsed = TripletVAEEmbedder(
        weight=0.0,
        latent_dim=LATENT_DIM,
        observation_variance=0.5,
        kl_warmup=0.0,
        random_state=0,
    )
    calibrated = TripletVAEEmbedder(weight=0.0, latent_dim=LATENT_DIM, random_state=0)
    assert _embedding_5nn(collapsed, digits_split) < (
        _embedding_5nn(calibrated, digits_split) - 0.1
    )


FAST = dict(max_epochs=3, hidden_layer_sizes=(32,), latent_dim=4, random_state=0)


@pytest.fixture(scope="module")
def few_labels():
    X, y = load_digits(return_X_y=True)
    X, y = (X[:400] / 16.0).astype(np.float32), y[:400].copy()
    y[np.random.RandomState(0).permutation(400)[:390]] = -1  # 2.5% labelled
    return X, y


def _criterion_and_callbacks(embedder):
    names = {type(callback).__name__ for _, callback in embedder.net_.callbacks_}
    return embedder.net_.criterion_, names


@pytest.mark.parametrize("Embedder", [TripletVAEEmbedder, SiameseAutoencoderEmbedder])
def test_weight_zero_trains_the_same_with_labels_or_constraints(Embedder, few_labels):
    # The plain AE/VAE: labels add no class-balanced rows to its batches and
    # spread no pseudo-label, and constraints add no rows; they are kept for
    # the label attributes.
    X, y = few_labels
    plain = Embedder(**FAST, weight=0.0).fit(X)
    labelled = Embedder(**FAST, weight=0.0).fit(X, y)
    with pytest.warns(UserWarning, match=r"the \d+ pairs or triplets given"):
        constrained = Embedder(**FAST, weight=0.0).fit(
            X, triplets=np.c_[np.arange(20), np.arange(20) + 20, np.arange(20) + 40]
        )
    expected = plain.transform(X)
    np.testing.assert_array_equal(labelled.transform(X), expected)
    np.testing.assert_array_equal(constrained.transform(X), expected)
    _, callbacks = _criterion_and_callbacks(labelled)
    assert "PseudoLabeler" not in callbacks
    assert labelled.embedding_labeled_.shape == (int((y >= 0).sum()), 4)


def test_pseudo_labels_given_at_weight_zero_are_said_untrained(few_labels):
    X, y = few_labels
    with pytest.warns(UserWarning, match="pseudo_label_fraction=0.5 belong"):
        embedder = TripletVAEEmbedder(
            **FAST, weight=0.0, pseudo_label_fraction=0.5
        ).fit(X, y)
    _, callbacks = _criterion_and_callbacks(embedder)
    assert "PseudoLabeler" not in callbacks


@pytest.mark.filterwarnings("ignore:no supervision:UserWarning")
def test_no_pseudo_labels_without_a_labelled_row(few_labels):
    X, _ = few_labels
    _, callbacks = _criterion_and_callbacks(TripletVAEEmbedder(**FAST).fit(X))
    assert "PseudoLabeler" not in callbacks


@pytest.mark.parametrize("Embedder", [TripletVAEEmbedder, SiameseAutoencoderEmbedder])
def test_weight_one_is_the_pure_metric_network(Embedder, few_labels):
    X, y = few_labels
    pure = Embedder(**FAST, weight=1.0).fit(X, y)
    criterion, callbacks = _criterion_and_callbacks(pure)
    assert criterion.neighbor_weight == 0
    assert criterion.supervised_contrastive_weight == 0
    assert "PseudoLabeler" not in callbacks
    assert pure.history_[-1]["constraint_loss"] > 0
    # Below 1 the "auto" terms and, with few labels, the pseudo-labels are on.
    blended = Embedder(**FAST, weight=0.99).fit(X, y)
    criterion, callbacks = _criterion_and_callbacks(blended)
    assert criterion.neighbor_weight == 1
    assert criterion.supervised_contrastive_weight == 1
    assert "PseudoLabeler" in callbacks


@pytest.mark.parametrize("Embedder", [TripletVAEEmbedder, SiameseAutoencoderEmbedder])
@pytest.mark.parametrize(
    "supervision, says",
    [
        ("none", "y gives no labelled training row"),
        ("one per class", "y labels 10 training rows, and only 0 classes have two"),
        ("one class", "y labels 2 training rows, and only 1 class has two"),
        ("two of one class", "y labels 11 training rows, and only 1 class has two"),
    ],
)
@pytest.mark.parametrize("terms", [{}, {"classifier_weight": 1.0}])
def test_weight_one_without_constraints_is_refused_before_training(
    Embedder, supervision, says, terms, few_labels, monkeypatch
):
    # The label terms read each batch's class-balanced labelled rows, which
    # come from classes with two labelled rows: with fewer than two such
    # classes nothing would train (the loss stayed at 0).
    X, _ = few_labels
    y = load_digits().target[: len(X)]
    labels = np.full_like(y, -1)
    if supervision in ("one per class", "two of one class"):
        labels[[np.flatnonzero(y == c)[0] for c in range(10)]] = np.arange(10)
    if supervision == "two of one class":
        labels[np.flatnonzero(y == 0)[1]] = 0
    elif supervision == "one class":
        labels[np.flatnonzero(y == 3)[:2]] = 3

    def no_training(*args, **kwargs):
        raise AssertionError("training started")

    import skorch

    monkeypatch.setattr(skorch.NeuralNet, "fit", no_training)
    alone = "weight=1 trains the label terms and the explicit constraints alone"
    with pytest.raises(ValueError, match=alone) as info:
        Embedder(**FAST, weight=1.0, **terms).fit(X, labels)
    assert says in str(info.value)
    assert "lower weight" in str(info.value)


@pytest.mark.parametrize("Embedder", [TripletVAEEmbedder, SiameseAutoencoderEmbedder])
def test_weight_one_trains_on_two_classes_of_two_labelled_rows(Embedder, few_labels):
    X, _ = few_labels
    y = load_digits().target[: len(X)]
    labels = np.full_like(y, -1)
    labels[np.flatnonzero(y == 0)[:2]] = 0
    labels[np.flatnonzero(y == 1)[:2]] = 1
    embedder = Embedder(**FAST, weight=1.0).fit(X, labels)
    assert embedder.history_[0]["train_loss"] > 0
    assert "constraint_loss" in embedder.history_[0]


@pytest.mark.parametrize("Embedder", [TripletVAEEmbedder, SiameseAutoencoderEmbedder])
def test_weight_one_trains_on_a_few_explicit_constraints(Embedder, few_labels):
    # One triplet among 400 rows: most batches hold no constraint, and the
    # fit still runs (those steps have a zero loss) and trains the one.
    X, _ = few_labels
    embedder = Embedder(**FAST, weight=1.0, batch_size=64).fit(
        X, triplets=np.array([[0, 1, 2]])
    )
    assert embedder.history_[-1]["constraint_loss"] >= 0
    assert np.isfinite(embedder.transform(X)).all()


def test_terms_given_a_number_stay_at_weight_one(few_labels):
    X, y = few_labels
    embedder = TripletVAEEmbedder(
        **FAST, weight=1.0, neighbor_weight=0.5, supervised_contrastive_weight=2.0
    ).fit(X, y)
    criterion, _ = _criterion_and_callbacks(embedder)
    assert (criterion.neighbor_weight, criterion.supervised_contrastive_weight) == (
        0.5,
        2.0,
    )
    assert embedder.history_[-1]["neighbor_loss"] > 0


def test_the_classification_network(digits_split):
    X_train, X_test, y_train, y_test = digits_split
    classification = TripletVAEEmbedder(
        weight=1.0,
        metric_loss="none",
        classifier_weight=1.0,
        latent_dim=LATENT_DIM,
        max_epochs=20,
        random_state=0,
    ).fit(X_train, y_train)
    last = classification.history_[-1]
    assert last["classifier_loss"] > 0
    assert last.get("constraint_loss") is None
    # The code of a classifier trained on every label separates the classes.
    Z_train, Z_test = (
        classification.transform(X_train),
        classification.transform(X_test),
    )
    assert _test_5nn(Z_train, Z_test, y_train, y_test) > 0.9


def test_no_term_to_train_is_refused_before_training(few_labels):
    X, y = few_labels
    with pytest.raises(ValueError, match="leaves no term to train"):
        TripletVAEEmbedder(**FAST, weight=1.0, metric_loss="none").fit(X, y)


def test_constraints_without_a_metric_loss_are_refused(few_labels):
    X, _ = few_labels
    with pytest.raises(ValueError, match="would be ignored"):
        SiameseAutoencoderEmbedder(**FAST, metric_loss="none").fit(
            X, pairs=[[0, 1], [2, 3]], pair_labels=[1, 0]
        )
