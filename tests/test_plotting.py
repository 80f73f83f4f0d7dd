"""Plots of embeddings, images and training, and the embedding recorder."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402
from PIL import Image  # noqa: E402
from sklearn.datasets import load_digits  # noqa: E402
from sklearn.decomposition import PCA  # noqa: E402

from sk_metricembed import (  # noqa: E402
    EmbeddingRecorder,
    SiameseAutoencoderEmbedder,
    TripletVAEEmbedder,
    animate_embedding,
    plot_embedding,
    plot_history,
    plot_reconstructions,
    plot_samples,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return (X[:300] / 16.0).astype(np.float32), y[:300]


@pytest.fixture(scope="module")
def fitted(digits):
    X, y = digits
    recorder = EmbeddingRecorder(X[:40])
    embedder = TripletVAEEmbedder(
        latent_dim=3, max_epochs=3, batch_size=64, callbacks=[recorder], random_state=0
    ).fit(X, y)
    return embedder, recorder


def _collections_by_label(ax):
    return {c.get_label(): c for c in ax.collections}


def test_plot_embedding_draws_unlabeled_in_grey_and_classes_in_colour():
    Z = np.arange(20, dtype=float).reshape(10, 2)
    y = np.array([-1, -1, 0, 0, 1, 1, 1, 2, -1, 2])
    ax = plot_embedding(Z, y, class_names={0: "zero", 1: "one", 2: "two"})
    by_label = _collections_by_label(ax)
    assert list(by_label) == ["unlabeled", "zero", "one", "two"]
    grey = by_label["unlabeled"]
    np.testing.assert_allclose(grey.get_offsets(), Z[y == -1])
    np.testing.assert_allclose(grey.get_facecolor()[0][:3], to_rgba("0.75")[:3])
    coloured = {tuple(by_label[name].get_facecolor()[0][:3]) for name in by_label}
    assert len(coloured) == 4  # grey and three distinct class colours
    np.testing.assert_allclose(by_label["one"].get_offsets(), Z[y == 1])
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    assert legend == ["unlabeled", "zero", "one", "two"]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("z 1", "z 2")


def test_plot_embedding_takes_text_labels_with_none_for_unlabeled():
    Z = np.arange(20, dtype=float).reshape(10, 2)
    y = np.array([None, "b", "a", "a", None, "b", "c", "a", np.nan, "c"], object)
    ax = plot_embedding(Z, y)
    by_label = _collections_by_label(ax)
    assert list(by_label) == ["unlabeled", "a", "b", "c"]
    np.testing.assert_allclose(by_label["unlabeled"].get_offsets(), Z[[0, 4, 8]])
    np.testing.assert_allclose(by_label["a"].get_offsets(), Z[[2, 3, 7]])


def test_plot_embedding_projects_more_than_two_dimensions_with_pca():
    rng = np.random.default_rng(0)
    Z = rng.normal(size=(50, 6)) * [5, 3, 1, 1, 1, 1]
    y = np.repeat([0, 1], 25)
    ax = plot_embedding(Z, y)
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("PC 1", "PC 2")
    expected = PCA(n_components=2).fit_transform(Z)
    np.testing.assert_allclose(
        _collections_by_label(ax)["0"].get_offsets(), expected[:25]
    )


def test_plot_embedding_tsne_and_one_dimension():
    rng = np.random.default_rng(0)
    ax = plot_embedding(
        rng.normal(size=(30, 4)), np.repeat([0, 1, 2], 10), method="tsne"
    )
    assert ax.get_xlabel() == "t-SNE 1"
    Z = rng.normal(size=(12, 1))
    ax = plot_embedding(Z, np.repeat([0, 1], 6), class_names=["a", "b"])
    offsets = np.concatenate([c.get_offsets() for c in ax.collections])
    np.testing.assert_allclose(np.sort(offsets[:, 0]), np.sort(Z[:, 0]))


def test_plot_embedding_without_labels_and_on_given_axes():
    fig, ax = plt.subplots()
    returned = plot_embedding(np.zeros((5, 2)), ax=ax, title="t")
    assert returned is ax and ax.get_title() == "t"
    assert ax.get_legend() is None and len(ax.collections) == 1


def test_plot_embedding_rejects_bad_input():
    with pytest.raises(ValueError, match="one label per row"):
        plot_embedding(np.zeros((5, 2)), [0, 1])
    with pytest.raises(
        ValueError, match="'method' parameter of plot_embedding must be a str among"
    ):
        plot_embedding(np.zeros((5, 3)), np.zeros(5), method="umap")
    with pytest.raises(ValueError, match="'point_size' parameter"):
        plot_embedding(np.zeros((5, 2)), point_size=0)
    with pytest.raises(TypeError, match="'ax' parameter"):
        plot_embedding(np.zeros((5, 2)), ax="left")


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: plot_samples(object()), TypeError, "'embedder' parameter"),
        (
            lambda: plot_samples(_Sampler(), n_samples=0),
            ValueError,
            r"'n_samples' parameter of plot_samples must be an int in the range",
        ),
        (
            lambda: plot_reconstructions(_NonSquare(), np.zeros((2, 4)), n_images=0),
            ValueError,
            r"'n_images' parameter of plot_reconstructions must be an int in the "
            r"range \[1, inf\)",
        ),
        (
            lambda: plot_reconstructions(_NonSquare(), np.zeros((2, 4)), cmap=3),
            TypeError,
            "'cmap' parameter",
        ),
        (
            lambda: plot_reconstructions(_NonSquare(), np.zeros((2, 4)), image_shape=4),
            TypeError,
            "'image_shape' parameter",
        ),
        (lambda: plot_history([{"epoch": 1}]), TypeError, "'history' parameter"),
        (
            lambda: animate_embedding([np.zeros((3, 2))], fps=0),
            ValueError,
            r"'fps' parameter of animate_embedding must be an int in the range",
        ),
        (
            lambda: animate_embedding([np.zeros((3, 2))], path=3),
            TypeError,
            "'path' parameter",
        ),
    ],
    ids=[
        "samples_embedder",
        "samples_count",
        "n_images",
        "cmap",
        "image_shape",
        "history",
        "fps",
        "path",
    ],
)
def test_plot_parameters_are_checked_before_drawing(call, error, match):
    with pytest.raises(error, match=match):
        call()
    assert not plt.get_fignums()


def test_plot_reconstructions_pairs_inputs_with_decoded_rows(fitted, digits):
    embedder, _ = fitted
    X, _ = digits
    fig = plot_reconstructions(embedder, X, n_images=4)
    assert len(fig.axes) == 8
    assert fig.axes[0].get_ylabel() == "input"
    assert fig.axes[4].get_ylabel() == "decoded"
    shown = fig.axes[0].get_images()[0].get_array()
    assert shown.shape == (8, 8)
    # The top-left image is the first input (up to the grid's common scaling).
    decoded = embedder.inverse_transform(embedder.transform(X[:4]))
    low = min(X[:4].min(), decoded.min())
    high = max(X[:4].max(), decoded.max())
    np.testing.assert_allclose(
        shown, (X[0].reshape(8, 8) - low) / (high - low), atol=1e-6
    )
    with pytest.raises(ValueError, match="not square images"):
        plot_reconstructions(_NonSquare(), np.zeros((2, 10)))


class _NonSquare:
    image_shape = None

    def transform(self, X):
        return X

    def inverse_transform(self, Z):
        return Z


class _Sampler(_NonSquare):
    def sample(self, n_samples, random_state=None):
        return np.zeros((n_samples, 4))


def test_plot_samples_grid_and_deterministic_error(fitted, digits):
    embedder, _ = fitted
    fig = plot_samples(embedder, n_samples=7, random_state=0)
    assert len(fig.axes) == 7  # a 3x3 grid with the two spare axes removed
    X, _ = digits
    autoencoder = SiameseAutoencoderEmbedder(
        weight=0.0, variational=False, max_epochs=1, random_state=0
    ).fit(X)
    with pytest.raises(ValueError, match="sample needs a VAE"):
        plot_samples(autoencoder)


def test_plot_history_draws_the_recorded_parts(fitted):
    embedder, _ = fitted
    left, right = plot_history(embedder)
    assert [line.get_label() for line in left.get_lines()] == [
        "train_loss",
        "reconstruction_loss",
        "kl_loss",
    ]
    right_labels = [line.get_label() for line in right.get_lines()]
    assert "constraint_loss" in right_labels and "neighbor_loss" in right_labels
    assert "classifier_loss" not in right_labels  # not trained by this fit
    np.testing.assert_allclose(
        left.get_lines()[0].get_ydata(), embedder.history_[:, "train_loss"]
    )


def test_plot_history_draws_every_part_a_fit_records(digits):
    # Every metric part of the objective has a curve once it is trained,
    # spatial contrasting and the classifier head included.
    X, y = digits
    embedder = TripletVAEEmbedder(
        latent_dim=3,
        max_epochs=2,
        hidden_layer_sizes=(16,),
        image_shape=(8, 8),
        spatial_contrasting_weight=0.5,
        classifier_weight=0.5,
        contrasting_weight=0.5,
        random_state=0,
    ).fit(X, y)
    _, right = plot_history(embedder)
    drawn = {line.get_label() for line in right.get_lines()}
    recorded = {key for key in embedder.history_[-1] if key.endswith("_loss")}
    assert drawn == recorded - {"train_loss", "reconstruction_loss", "kl_loss"}
    assert {"spatial_contrasting_loss", "classifier_loss", "neighbor_loss"} <= drawn


def test_recorder_keeps_one_embedding_per_epoch_without_changing_the_fit(
    fitted, digits
):
    embedder, recorder = fitted
    X, y = digits
    assert recorder.epochs_ == [0, 1, 2, 3]
    assert [z.shape for z in recorder.embeddings_] == [(40, 3)] * 4
    np.testing.assert_allclose(
        recorder.embeddings_[-1], embedder.transform(X[:40]), rtol=1e-5, atol=1e-6
    )
    assert not np.allclose(recorder.embeddings_[0], recorder.embeddings_[-1])
    plain = TripletVAEEmbedder(
        latent_dim=3, max_epochs=3, batch_size=64, random_state=0
    ).fit(X, y)
    np.testing.assert_array_equal(plain.transform(X), embedder.transform(X))


def test_recorder_every_and_validation(digits):
    X, y = digits
    recorder = EmbeddingRecorder(X[:10], every=2)
    TripletVAEEmbedder(max_epochs=3, callbacks=[recorder], random_state=0).fit(X, y)
    assert recorder.epochs_ == [0, 2, 3]
    with pytest.raises(
        ValueError, match=r"'every' parameter of EmbeddingRecorder must be an int"
    ):
        EmbeddingRecorder(X[:10], every=0).initialize()


def test_animate_embedding_writes_one_gif_frame_per_record(fitted, digits, tmp_path):
    _, recorder = fitted
    _, y = digits
    path = animate_embedding(recorder, y[:40], tmp_path / "latent.gif")
    with Image.open(path) as gif:
        assert gif.n_frames == len(recorder.embeddings_)
        assert gif.size[0] > 100
    with pytest.raises(ValueError, match="must end in .gif or .mp4"):
        animate_embedding(recorder, y[:40], tmp_path / "latent.avi")
    with pytest.raises(ValueError, match="no frame"):
        animate_embedding([], None, tmp_path / "empty.gif")


def test_animate_embedding_mp4_needs_ffmpeg(tmp_path):
    from matplotlib.animation import FFMpegWriter

    if FFMpegWriter.isAvailable():
        pytest.skip("ffmpeg is installed here")
    with pytest.raises(RuntimeError, match="needs ffmpeg"):
        animate_embedding([np.zeros((3, 2))], None, tmp_path / "latent.mp4")


def test_plot_embedding_legend_can_be_left_out():
    Z = np.random.default_rng(0).normal(size=(30, 2))
    y = np.repeat([0, 1, 2], 10)
    assert plot_embedding(Z, y).get_legend() is not None
    assert plot_embedding(Z, y, legend=False).get_legend() is None
    with pytest.raises(ValueError, match="legend"):
        plot_embedding(Z, y, legend="no")
    plt.close("all")


def test_plot_history_ticks_whole_epochs_and_takes_a_log_scale(fitted):
    embedder, _ = fitted
    linear = plot_history(embedder)
    for ax in linear:
        assert ax.get_yscale() == "linear"
        ticks = [tick for tick in ax.get_xticks() if ax.get_xlim()[0] <= tick]
        assert all(float(tick).is_integer() for tick in ticks)
    assert all(
        ax.get_yscale() == "log" for ax in plot_history(embedder, log_scale=True)
    )
    with pytest.raises(TypeError, match="log_scale"):
        plot_history(embedder, log_scale="yes")
    plt.close("all")


def test_plot_embedding_interactive_shows_each_rows_number_label_and_text():
    pytest.importorskip("plotly")
    from sk_metricembed import plot_embedding_interactive

    rng = np.random.RandomState(0)
    Z = rng.normal(size=(12, 3))
    y = np.array(["b", "a", None, "a", "b", "c", None, "a", "c", "b", "a", "c"], object)
    hover = [f"file_{i}.png" for i in range(12)]
    fig = plot_embedding_interactive(Z, y, hover=hover, class_names={"a": "apple"})
    names = [trace.name for trace in fig.data]
    assert names == ["unlabeled", "apple", "b", "c"]
    by_name = {trace.name: trace for trace in fig.data}
    # Each trace holds its rows: their numbers and hover texts travel along.
    rows = [int(r) for r, _ in by_name["apple"].customdata]
    assert rows == [1, 3, 7, 10]
    assert [text for _, text in by_name["unlabeled"].customdata] == [
        "file_2.png",
        "file_6.png",
    ]
    assert "apple" in by_name["apple"].hovertemplate
    # The points are plot_embedding's PCA projection of the three columns.
    from sklearn.decomposition import PCA

    projected = PCA(2, random_state=0).fit_transform(Z)
    np.testing.assert_allclose(by_name["c"].x, projected[[5, 8, 11], 0], atol=1e-8)
    assert fig.layout.xaxis.title.text
    with pytest.raises(ValueError, match="hover must have one text per row"):
        plot_embedding_interactive(Z, y, hover=["x"])
