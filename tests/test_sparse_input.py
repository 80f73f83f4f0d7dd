"""scipy sparse input: rows densified a batch at a time, searched with ``input_metric``.

The embedders take scipy sparse matrices and arrays (TF-IDF, one-hot) in
``fit``, ``transform``, ``score`` and warm fits; the whole matrix is never
densified (:mod:`sk_metricembed._training.rows`), and the input-space
neighbours are searched with ``input_metric`` (``"auto"``: cosine for
sparse ``X``, Euclidean for dense).
"""

import pickle

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.datasets import load_digits
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors

from sk_metricembed import (
    SiameseAutoencoderEmbedder,
    TripletVAEEmbedder,
    _input_space,
)
from sk_metricembed._training import rows as _rows
from sk_metricembed._training.neighbors import input_neighbors

ESTIMATORS = [SiameseAutoencoderEmbedder, TripletVAEEmbedder]
FAST = dict(
    max_epochs=3, hidden_layer_sizes=(16,), latent_dim=3, batch_size=32, random_state=0
)


def _sparse_blobs(n_samples=120, n_features=30, seed=0):
    """Rows of three classes, about 70% zeros, continuous values (no ties)."""
    rng = np.random.RandomState(seed)
    labels = np.arange(n_samples) % 3
    centres = rng.rand(3, n_features) * 3
    X = centres[labels] + rng.rand(n_samples, n_features)
    X[rng.rand(n_samples, n_features) < 0.7] = 0.0
    y = labels.copy()
    y[rng.rand(n_samples) < 0.5] = -1
    return X.astype(np.float32), y, labels


X_BLOBS, Y_BLOBS, LABELS_BLOBS = _sparse_blobs()


def _digit_documents() -> tuple[list[str], np.ndarray]:
    """A corpus from scikit-learn's bundled digits: a word per lit pixel,
    repeated with its intensity, so that the documents' words say the class."""
    images, labels = load_digits(return_X_y=True)
    words = [f"r{i // 8}c{i % 8}" for i in range(64)]
    documents = [
        " ".join(
            word
            for word, value in zip(words, image)
            for _ in range(int(value) // 4 + (value > 0))
        )
        for image in images
    ]
    return documents, labels


# --- the same embedding from dense and sparse rows --------------------------------


# Searched in the features themselves (input_components as many as the
# features): a projection differs by design between dense rows (PCA, centred)
# and sparse ones (a truncated SVD, which never densifies them).
UNPROJECTED = dict(input_components=X_BLOBS.shape[1])


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_sparse_and_dense_rows_give_the_same_embedding(Estimator):
    params = dict(FAST, input_metric="euclidean", **UNPROJECTED)
    dense = Estimator(**params).fit(X_BLOBS, Y_BLOBS)
    sparse = Estimator(**params).fit_transform(sp.csr_matrix(X_BLOBS), Y_BLOBS)
    np.testing.assert_allclose(sparse, dense.transform(X_BLOBS), atol=1e-5)
    np.testing.assert_allclose(
        dense.transform(sp.csc_array(X_BLOBS)), dense.transform(X_BLOBS), atol=1e-6
    )


def test_the_held_out_rows_and_a_warm_fit_read_sparse_rows_alike():
    params = dict(
        FAST, input_metric="euclidean", validation_fraction=0.25, **UNPROJECTED
    )
    dense = TripletVAEEmbedder(**params, warm_start=True).fit(X_BLOBS, Y_BLOBS)
    sparse = TripletVAEEmbedder(**params, warm_start=True)
    sparse.fit(sp.coo_matrix(X_BLOBS), Y_BLOBS)
    assert sparse.history_[:, "valid_loss"] == pytest.approx(
        dense.history_[:, "valid_loss"], rel=1e-5
    )
    dense.fit(X_BLOBS[:60], Y_BLOBS[:60])  # warm fits, on other rows
    sparse.fit(sp.csr_array(X_BLOBS[:60]), Y_BLOBS[:60])
    assert len(sparse.history_) == 2 * FAST["max_epochs"]
    np.testing.assert_allclose(
        sparse.transform(X_BLOBS), dense.transform(X_BLOBS), atol=1e-5
    )


def test_image_mode_reads_sparse_rows():
    images, labels = load_digits(return_X_y=True)
    X = (images[:100] / 16).astype(np.float32)  # about half of the pixels are 0
    params = dict(
        FAST,
        image_shape=(8, 8),
        neighbor_weight=0.0,
        hidden_layer_sizes=(8,),
        max_epochs=2,
    )
    dense = SiameseAutoencoderEmbedder(**params).fit_transform(X, labels[:100])
    sparse = SiameseAutoencoderEmbedder(**params)
    Z = sparse.fit_transform(sp.csr_matrix(X), labels[:100])
    np.testing.assert_allclose(Z, dense, atol=1e-5)
    assert sparse.inverse_transform(Z[:4]).shape == (4, 64)  # dense reconstructions


def test_image_mode_vets_pseudo_labels_over_sparse_rows():
    # 30 pixels: the input graph is searched on the rows themselves, sparse
    # here, and its label spreading vets the pseudo-labels as on dense rows
    # (ties among the pixel distances may break otherwise than on dense
    # rows, so the views' agreement need not match to the last digit).
    images, labels = load_digits(return_X_y=True)
    X = (images[:400, :30] / 16).astype(np.float32)
    y = np.where(np.arange(400) % 25 == 0, labels[:400], -1)
    params = dict(latent_dim=4, max_epochs=4, image_shape=(5, 6), random_state=0)
    sparse = TripletVAEEmbedder(**params).fit(sp.csr_matrix(X), y)
    assert 0 < sparse.neighbor_smoothing_ < 0.75
    counts = {epoch.get("pseudo_labels") for epoch in sparse.history_[1:]}
    full = 16 + round(0.8 * 384)
    assert all(16 < count < full for count in counts), counts


# --- input_metric ------------------------------------------------------------------


def test_sparse_and_dense_searches_find_the_same_neighbours():
    dense = input_neighbors(X_BLOBS, 5, random_state=0, metric="euclidean")
    sparse = input_neighbors(sp.csr_matrix(X_BLOBS), 5, 0, metric="euclidean")
    np.testing.assert_array_equal(sparse, dense)


def test_cosine_search_finds_the_cosine_nearest_rows():
    X = sp.csr_matrix(X_BLOBS * np.random.RandomState(1).rand(len(X_BLOBS), 1) * 10)
    table = input_neighbors(X, 4, random_state=0, metric="cosine")
    exact = NearestNeighbors(n_neighbors=5, metric="cosine").fit(X)
    expected = exact.kneighbors(X, return_distance=False)[:, 1:]
    np.testing.assert_array_equal(np.sort(table, axis=1), np.sort(expected, axis=1))
    # Rows scaled by 10x differ in Euclidean distance, not in angle.
    assert not np.array_equal(table, input_neighbors(X, 4, 0, metric="euclidean"))


@pytest.mark.parametrize(
    "make_X, expected",
    [(sp.csr_matrix, "cosine"), (np.asarray, "euclidean")],
    ids=["sparse", "dense"],
)
def test_auto_input_metric_is_cosine_for_sparse_and_euclidean_for_dense(
    make_X, expected, monkeypatch
):
    searched = []
    search = _input_space.input_graph

    def spy(rows, n_neighbors, seed, metric, *rest):
        searched.append(metric)
        return search(rows, n_neighbors, seed, metric, *rest)

    monkeypatch.setattr(_input_space, "input_graph", spy)
    embedder = TripletVAEEmbedder(**FAST).fit(make_X(X_BLOBS), Y_BLOBS)
    assert searched and set(searched) == {expected}
    assert embedder.input_metric_ == expected


def test_default_input_metric_leaves_a_dense_fit_as_it_was():
    default = SiameseAutoencoderEmbedder(**FAST).fit_transform(X_BLOBS, Y_BLOBS)
    euclidean = SiameseAutoencoderEmbedder(**FAST, input_metric="euclidean")
    np.testing.assert_array_equal(default, euclidean.fit_transform(X_BLOBS, Y_BLOBS))


@pytest.mark.parametrize("value", ["manhattan", "Cosine", 2, None])
@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_a_bad_input_metric_is_refused_before_training(Estimator, value):
    embedder = Estimator(**FAST, input_metric=value)
    with pytest.raises(ValueError, match="'input_metric' parameter.*cosine"):
        embedder.fit(sp.csr_matrix(X_BLOBS), Y_BLOBS)
    assert not hasattr(embedder, "net_")


# --- never the whole matrix ----------------------------------------------------------


def test_sparse_rows_are_densified_a_batch_or_a_chunk_at_a_time(monkeypatch):
    documents, labels = _digit_documents()
    X = TfidfVectorizer(token_pattern=r"\S+").fit_transform(documents[:400])
    assert isinstance(X, sp.csr_matrix) and X.shape[1] > 50  # the SVD path
    n_rows, n_columns = X.shape
    chunk_rows = 50  # inference chunks, shrunk from 64 MiB to 50 rows
    monkeypatch.setattr(_rows, "MAX_DENSIFIED_VALUES", chunk_rows * n_columns)
    densified = []
    toarray, todense = sp.csr_matrix.toarray, sp.csr_matrix.todense

    def counting(method):
        def densify(self, *args, **kwargs):
            assert self.shape[0] < n_rows, f"{self.shape} densified whole"
            densified.append(self.shape[0])
            return method(self, *args, **kwargs)

        return densify

    monkeypatch.setattr(sp.csr_matrix, "toarray", counting(toarray))
    monkeypatch.setattr(sp.csr_matrix, "todense", counting(todense))
    y = labels[:400].copy()
    y[8:] = -1  # few labels: the pseudo-labels encode the training rows too
    embedder = TripletVAEEmbedder(**FAST, validation_fraction=0.2)
    Z = embedder.fit(X, y).transform(X)
    assert Z.shape == (n_rows, FAST["latent_dim"])
    assert embedder.score(X, labels[:400]) > 0
    # A step reads its rows (a chunk of 32, up to 8 balanced labelled rows)
    # and their neighbours; inference reads chunks of 50.
    assert densified and max(densified) <= chunk_rows
    assert "pseudo_labels" in embedder.history_[-1]


def test_bce_range_check_reads_a_sparse_matrix_without_densifying():
    X = sp.random(40, 10, density=0.3, format="csr", random_state=0)
    embedder = SiameseAutoencoderEmbedder(**FAST, reconstruction="bce")
    y = np.arange(40) % 2
    embedder.fit(X, y)  # values in [0, 1]
    with pytest.raises(ValueError, match=r"reconstruction='bce' needs inputs in"):
        embedder.fit(X * 2, y)


# --- TF-IDF of a corpus ------------------------------------------------------------


def test_tfidf_of_a_corpus_gives_class_neighbourhoods():
    documents, labels = _digit_documents()
    vectorizer = TfidfVectorizer(token_pattern=r"\S+")
    X_train = vectorizer.fit_transform(documents[:400])
    X_test = vectorizer.transform(documents[400:600])
    # The cosine search of the neighbour term finds rows of the same digit.
    table = input_neighbors(X_train, 5, random_state=0, metric="cosine")
    assert np.mean(labels[:400][table] == labels[:400, None]) > 0.9
    y = labels[:400].copy()
    y[np.random.RandomState(0).rand(400) > 0.25] = -1  # a quarter labelled
    embedder = SiameseAutoencoderEmbedder(
        **{**FAST, "max_epochs": 8, "hidden_layer_sizes": (64,), "latent_dim": 10}
    ).fit(X_train, y)
    assert embedder.input_metric_ == "cosine"
    labeled = y >= 0
    knn = KNeighborsClassifier(5).fit(embedder.transform(X_train)[labeled], y[labeled])
    accuracy = knn.score(embedder.transform(X_test), labels[400:600])
    assert accuracy > 0.5  # ten classes: chance is 0.1


# --- persistence and dask -----------------------------------------------------------


def test_a_model_fitted_on_sparse_rows_pickles():
    X = sp.csr_matrix(X_BLOBS)
    embedder = TripletVAEEmbedder(**FAST).fit(X, Y_BLOBS)
    restored = pickle.loads(pickle.dumps(embedder))
    assert restored.input_metric_ == "cosine"
    np.testing.assert_array_equal(restored.transform(X), embedder.transform(X))


def test_dask_blocks_may_be_sparse():
    da = pytest.importorskip("dask.array")
    embedder = SiameseAutoencoderEmbedder(**FAST).fit(X_BLOBS, Y_BLOBS)
    blocks = da.from_array(sp.csr_matrix(X_BLOBS), chunks=(50, 15), asarray=False)
    Z = embedder.transform(blocks)
    np.testing.assert_allclose(Z.compute(), embedder.transform(X_BLOBS), atol=1e-6)


def test_embedding_recorder_records_sparse_rows_as_their_dense_copies():
    from sk_metricembed import EmbeddingRecorder

    rows = X_BLOBS[:20]
    recorders = [EmbeddingRecorder(rows), EmbeddingRecorder(sp.csr_matrix(rows))]
    for recorder in recorders:
        TripletVAEEmbedder(**FAST, callbacks=[recorder]).fit(X_BLOBS, Y_BLOBS)
    dense, sparse = (recorder.embeddings_ for recorder in recorders)
    assert len(sparse) == len(dense) == FAST["max_epochs"] + 1
    for dense_frame, sparse_frame in zip(dense, sparse):
        np.testing.assert_allclose(sparse_frame, dense_frame, atol=1e-6)


def test_the_constraint_search_scores_and_displays_take_sparse_rows():
    from sklearn.decomposition import TruncatedSVD

    from sk_metricembed import (
        ConstraintEmbedder,
        EmbeddingDisplay,
        ReconstructionDisplay,
        pair_auc_score,
        sample_pairs,
        sample_triplets,
        triplet_satisfied_score,
    )

    X = sp.csr_matrix(X_BLOBS)
    pairs, pair_labels = sample_pairs(LABELS_BLOBS, 120, random_state=0)
    params = dict(FAST, input_metric="euclidean")
    sparse = ConstraintEmbedder(SiameseAutoencoderEmbedder(**params), rows=X)
    dense = ConstraintEmbedder(SiameseAutoencoderEmbedder(**params), rows=X_BLOBS)
    sparse.fit(pairs, pair_labels)
    dense.fit(pairs, pair_labels)
    assert sparse.score(pairs, pair_labels) == pytest.approx(
        dense.score(pairs, pair_labels), abs=1e-6
    )
    assert pair_auc_score(sparse.estimator_, X, pairs, pair_labels) == pytest.approx(
        sparse.score(pairs, pair_labels)
    )
    triplets = sample_triplets(LABELS_BLOBS, 50, random_state=0)
    assert triplet_satisfied_score(
        sparse.estimator_, X, triplets
    ) == triplet_satisfied_score(sparse.estimator_, X_BLOBS, triplets)
    svd = TruncatedSVD(2, random_state=0).fit(X)
    display = EmbeddingDisplay.from_estimator(svd, X, LABELS_BLOBS)
    assert display.points.shape == (X.shape[0], 2)
    images = ReconstructionDisplay.from_estimator(
        svd, X, n_images=3, image_shape=(5, 6)
    )
    assert images.axes_.shape == (2, 3)
    import matplotlib.pyplot as plt

    plt.close("all")
