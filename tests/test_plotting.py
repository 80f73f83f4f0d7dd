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
from sklearn.exceptions import DataConversionWarning  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402

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

# The displays, from their module until sk_metricembed exports them too.
from sk_metricembed._training.inference import apply_in_chunks  # noqa: E402
from sk_metricembed.plotting import (  # noqa: E402
    AnimationDisplay,
    EmbeddingDisplay,
    HistoryDisplay,
    InteractiveEmbeddingDisplay,
    ReconstructionDisplay,
    SampleDisplay,
)


@pytest.fixture(autouse=True)
def _close_figures():
    # Before too: a test of another module run earlier on the same worker
    # may have left figures open, which the "nothing drawn" checks count.
    plt.close("all")
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
    ax = plot_embedding(Z, y, class_names={0: "zero", 1: "one", 2: "two"}).ax_
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
    ax = plot_embedding(Z, y).ax_
    by_label = _collections_by_label(ax)
    assert list(by_label) == ["unlabeled", "a", "b", "c"]
    np.testing.assert_allclose(by_label["unlabeled"].get_offsets(), Z[[0, 4, 8]])
    np.testing.assert_allclose(by_label["a"].get_offsets(), Z[[2, 3, 7]])


def test_plot_embedding_projects_more_than_two_dimensions_with_pca():
    rng = np.random.default_rng(0)
    Z = rng.normal(size=(50, 6)) * [5, 3, 1, 1, 1, 1]
    y = np.repeat([0, 1], 25)
    ax = plot_embedding(Z, y).ax_
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("PC 1", "PC 2")
    expected = PCA(n_components=2).fit_transform(Z)
    np.testing.assert_allclose(
        _collections_by_label(ax)["0"].get_offsets(), expected[:25]
    )


def test_plot_embedding_tsne_and_one_dimension():
    rng = np.random.default_rng(0)
    display = plot_embedding(
        rng.normal(size=(30, 4)), np.repeat([0, 1, 2], 10), method="tsne"
    )
    assert (display.projection, display.ax_.get_xlabel()) == ("tsne", "t-SNE 1")
    Z = rng.normal(size=(12, 1))
    display = plot_embedding(Z, np.repeat([0, 1], 6), class_names=["a", "b"])
    assert display.projection == "bands" and not display.ax_.get_yticks().size
    ax = display.ax_
    offsets = np.concatenate([c.get_offsets() for c in ax.collections])
    np.testing.assert_allclose(np.sort(offsets[:, 0]), np.sort(Z[:, 0]))


@pytest.mark.parametrize(
    "y, class_names",
    [
        (["a", "b"] * 3, ["A", "B"]),  # text labels cannot index a list
        ([0, 1, 2] * 2, ["A", "B"]),  # a label beyond the list
    ],
)
def test_class_names_that_cannot_name_a_label_say_how_to(y, class_names):
    # They raised int()'s "invalid literal" and a bare IndexError.
    Z = np.random.default_rng(0).normal(size=(6, 2))
    with pytest.raises(ValueError, match=r"as a dict keyed by the labels"):
        plot_embedding(Z, y, class_names=class_names)
    plt.close("all")
    # Whole-number float labels still index the list.
    ax = plot_embedding(Z, [0.0, 1.0] * 3, class_names=["A", "B"]).ax_
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["A", "B"]
    plt.close("all")


def test_plot_embedding_without_labels_and_on_given_axes():
    fig, ax = plt.subplots()
    returned = plot_embedding(np.zeros((5, 2)), ax=ax, title="t")
    assert isinstance(returned, EmbeddingDisplay)
    assert returned.ax_ is ax and returned.figure_ is fig and ax.get_title() == "t"
    assert ax.get_legend() is None and len(ax.collections) == 1


def test_a_bad_class_names_opens_no_figure_and_the_legend_fits_the_figure():
    Z = np.random.RandomState(0).normal(size=(40, 2))
    y = np.repeat(np.arange(4), 10)
    before = plt.get_fignums()
    with pytest.raises(ValueError, match="give class_names as a dict"):
        plot_embedding(Z, y, class_names=["zero", "one"])
    assert plt.get_fignums() == before
    names = {label: f"a long class name {label}" for label in range(4)}
    display = plot_embedding(Z, y, class_names=names)
    display.figure_.canvas.draw()  # as savefig lays it out
    legend = display.ax_.get_legend().get_window_extent()
    assert legend.x1 <= display.figure_.bbox.width
    plt.close("all")


def test_plot_embedding_reads_labels_as_the_scorers_do():
    # A (n, 1) column, as a DataFrame's column selection gives it, is one
    # label per row for the plots as for the metrics; mixed types are not.
    Z = np.random.RandomState(0).normal(size=(6, 2))
    column = np.array([[0], [1], [0], [1], [-1], [0]])
    with pytest.warns(DataConversionWarning, match="column-vector y"):
        ax = plot_embedding(Z, column).ax_
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["unlabeled", "0", "1"]
    plt.close("all")
    with pytest.raises(TypeError, match="mixes label types"):
        plot_embedding(Z, ["a", 1, "b", "a", 1, "b"])


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
        (lambda: plot_history("history_"), TypeError, "'history' parameter"),
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
    display = plot_reconstructions(embedder, X, n_images=4)
    assert isinstance(display, ReconstructionDisplay)
    fig = display.figure_
    assert len(fig.axes) == 8 and display.axes_.shape == (2, 4)
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
    display = plot_samples(embedder, n_samples=7, random_state=0)
    assert isinstance(display, SampleDisplay) and display.samples.shape == (7, 64)
    assert len(display.figure_.axes) == 7  # a 3x3 grid, the spare axes removed
    assert list(display.axes_) == display.figure_.axes
    X, _ = digits
    autoencoder = SiameseAutoencoderEmbedder(
        weight=0.0, variational=False, max_epochs=1, random_state=0
    ).fit(X)
    with pytest.raises(ValueError, match="sample needs a VAE"):
        plot_samples(autoencoder)


def test_plot_history_draws_the_recorded_parts(fitted):
    embedder, _ = fitted
    display = plot_history(embedder)
    assert isinstance(display, HistoryDisplay)
    left, right = display.axes_
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
    _, right = plot_history(embedder).axes_
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
    # The encoder's codes: transform then draws them toward the training
    # neighbours' (neighbor_smoothing), which needs the fitted encoder.
    codes = apply_in_chunks(embedder.net_.module_.encode, X[:40], embedder.net_.device)
    np.testing.assert_allclose(recorder.embeddings_[-1], codes, rtol=1e-5, atol=1e-6)
    assert not np.allclose(recorder.embeddings_[-1], embedder.transform(X[:40]))
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
    # Rows of another width: a clear error before the first epoch (it was
    # torch's matrix-product error).
    recorder = EmbeddingRecorder(X[:10, :10])
    embedder = TripletVAEEmbedder(max_epochs=3, callbacks=[recorder], random_state=0)
    with pytest.raises(ValueError, match="X has 10 features, the embedder's rows 64"):
        embedder.fit(X, y)


def test_recorder_repr_shows_its_rows_by_shape_not_by_address(digits):
    # Inside an estimator's repr and a search's cv_results_ the text is the
    # same from run to run.
    recorder = EmbeddingRecorder(digits[0][:10], every=2)
    embedder = TripletVAEEmbedder(callbacks=[recorder])
    assert repr(recorder) == "EmbeddingRecorder(X=<ndarray of shape (10, 64)>, every=2)"
    assert "object at 0x" not in repr(embedder) and repr(recorder) in repr(embedder)


def test_animate_embedding_writes_one_gif_frame_per_record(fitted, digits, tmp_path):
    _, recorder = fitted
    _, y = digits
    display = animate_embedding(recorder, y[:40], tmp_path / "latent.gif")
    assert isinstance(display, AnimationDisplay)
    assert display.path_ == tmp_path / "latent.gif"
    assert display.figure_.number not in plt.get_fignums()  # closed once written
    with Image.open(display.path_) as gif:
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
    assert plot_embedding(Z, y).ax_.get_legend() is not None
    assert plot_embedding(Z, y, legend=False).ax_.get_legend() is None
    with pytest.raises(ValueError, match="legend"):
        plot_embedding(Z, y, legend="no")
    plt.close("all")


def test_plot_history_ticks_whole_epochs_and_takes_a_log_scale(fitted):
    embedder, _ = fitted
    linear = plot_history(embedder).axes_
    for ax in linear:
        assert ax.get_yscale() == "linear"
        ticks = [tick for tick in ax.get_xticks() if ax.get_xlim()[0] <= tick]
        assert all(float(tick).is_integer() for tick in ticks)
    assert all(
        ax.get_yscale() == "log" for ax in plot_history(embedder, log_scale=True).axes_
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
    display = plot_embedding_interactive(Z, y, hover=hover, class_names={"a": "apple"})
    assert isinstance(display, InteractiveEmbeddingDisplay)
    fig = display.figure_
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


# -- the displays: one kind of object behind every plotting function ----------


def _is_axes(obj):
    from matplotlib.axes import Axes

    return isinstance(obj, Axes)


def _is_figure(obj):
    from matplotlib.figure import Figure

    return isinstance(obj, Figure)


class _PCAEmbedder:
    """An estimator with transform and inverse_transform (PCA's), and no fit."""

    def __init__(self, X, n_components):
        self.pca = PCA(n_components=n_components).fit(X)
        self.image_shape = None

    def transform(self, X):
        return self.pca.transform(X)

    def inverse_transform(self, Z):
        return self.pca.inverse_transform(Z)


def test_embedding_display_from_estimator_embeds_and_draws(digits):
    X, y = digits
    pca = PCA(n_components=2).fit(X)
    display = EmbeddingDisplay.from_estimator(
        pca, X[:60], y[:60], class_names=[f"digit {d}" for d in range(10)], title="t"
    )
    assert _is_axes(display.ax_) and _is_figure(display.figure_)
    assert display.figure_ is display.ax_.figure
    assert display.projection == "none"  # two components: drawn as they are
    np.testing.assert_allclose(display.points, pca.transform(X[:60]))
    assert [s.get_label() for s in display.scatters_] == [
        f"digit {d}" for d in np.unique(y[:60])
    ]
    np.testing.assert_allclose(
        display.scatters_[0].get_offsets(), pca.transform(X[:60])[y[:60] == 0]
    )
    assert display.ax_.get_title() == "t"


def test_embedding_display_from_embedding_projects_above_two_dimensions():
    Z = np.random.default_rng(0).normal(size=(40, 5)) * [4, 2, 1, 1, 1]
    display = EmbeddingDisplay.from_embedding(Z, np.repeat([0, 1], 20))
    assert display.projection == "pca" and display.points.shape == (40, 2)
    np.testing.assert_allclose(display.points, PCA(n_components=2).fit_transform(Z))
    assert (display.ax_.get_xlabel(), display.ax_.get_ylabel()) == ("PC 1", "PC 2")


def test_embedding_display_draws_into_given_axes_and_replots_into_others():
    points = np.arange(12, dtype=float).reshape(6, 2)
    y = np.array([0, 0, 1, 1, -1, -1])
    fig, (left, right) = plt.subplots(1, 2)
    display = EmbeddingDisplay(points, y, class_names=["a", "b"])
    assert display.plot(left, point_size=5) is display
    assert display.ax_ is left and display.figure_ is fig
    first = display.scatters_
    display.plot(right, legend=False, title="again")
    assert display.ax_ is right and display.figure_ is fig
    assert len(left.collections) == len(right.collections) == 3
    assert left.get_legend() is not None and right.get_legend() is None
    assert right.get_title() == "again" and first[0].axes is left
    for drawn, redrawn in zip(left.collections, right.collections):
        np.testing.assert_allclose(drawn.get_offsets(), redrawn.get_offsets())
    assert len(plt.get_fignums()) == 1  # no figure of its own


@pytest.mark.parametrize(
    "call, error, match",
    [
        (
            lambda: EmbeddingDisplay.from_embedding(np.zeros((5, 3)), method="umap"),
            ValueError,
            "'method' parameter of EmbeddingDisplay.from_embedding must be a str",
        ),
        (
            lambda: EmbeddingDisplay.from_estimator(object(), np.zeros((5, 3))),
            TypeError,
            "'estimator' parameter of EmbeddingDisplay.from_estimator",
        ),
        (
            lambda: EmbeddingDisplay(np.zeros((5, 2))).plot(point_size=-1),
            ValueError,
            "'point_size' parameter of EmbeddingDisplay.plot",
        ),
        (
            lambda: EmbeddingDisplay(np.zeros((5, 3))).plot(),
            ValueError,
            "points must have two columns",
        ),
        (
            lambda: EmbeddingDisplay(np.zeros((5, 2)), projection="umap").plot(),
            ValueError,
            r"projection must be one of \['bands', 'none', 'pca', 'tsne'\], "
            "got 'umap'",
        ),
        (
            lambda: EmbeddingDisplay(np.zeros((5, 2)), [0, 1]).plot(),
            ValueError,
            r"y must have one label per row of points \(5\)",
        ),
        (
            lambda: HistoryDisplay([1], {"valid_score": [1.0]}).plot(),
            ValueError,
            r"losses holds curves no panel draws: \['valid_score'\]",
        ),
        (
            lambda: HistoryDisplay([1], {}).plot(axes=[None, None]),
            TypeError,
            "axes must hold matplotlib Axes only, got NoneType",
        ),
        (
            lambda: ReconstructionDisplay(np.zeros((2, 4)), np.zeros((3, 4))).plot(),
            ValueError,
            r"reconstructions must have the shape of inputs \(2, 4\), got \(3, 4\)",
        ),
        (
            lambda: SampleDisplay(np.zeros((2, 5))).plot(),
            ValueError,
            "rows of 5 values are not square images",
        ),
        (
            lambda: AnimationDisplay.from_embeddings(
                [np.zeros((3, 2)), np.zeros((3, 4))]
            ),
            ValueError,
            r"first one's shape \(3, 2\); frame 1 has \(3, 4\)",
        ),
        (
            lambda: AnimationDisplay.from_embeddings([np.zeros((3, 2))], epochs=[1, 2]),
            ValueError,
            r"epochs must give one epoch per frame \(1\), got 2",
        ),
        (
            lambda: AnimationDisplay.from_embeddings([np.zeros((3, 2))], y=[0, 1]),
            ValueError,
            r"one label per row of each frame of embeddings \(3\)",
        ),
        (
            lambda: AnimationDisplay.from_recorder(EmbeddingRecorder(np.zeros((3, 2)))),
            ValueError,
            "recorder holds no embedding",
        ),
        (
            lambda: animate_embedding(
                EmbeddingRecorder(np.zeros((3, 2))), path="a.gif"
            ),
            ValueError,
            "recorder holds no embedding",
        ),
        (
            lambda: AnimationDisplay([np.zeros((3, 2))]).save("latent.avi"),
            ValueError,
            "path must end in .gif or .mp4, got 'latent.avi'",
        ),
    ],
    ids=[
        "method",
        "estimator",
        "point_size",
        "points_columns",
        "projection",
        "labels",
        "history_key",
        "history_axes",
        "reconstruction_shape",
        "sample_shape",
        "frame_shapes",
        "epochs",
        "frame_labels",
        "recorder",
        "unused_recorder",
        "suffix",
    ],
)
def test_displays_reject_bad_input_before_drawing(call, error, match):
    with pytest.raises(error, match=match):
        call()
    assert not plt.get_fignums()


def test_history_display_from_history_and_from_estimator_agree(fitted):
    embedder, _ = fitted
    from_estimator = HistoryDisplay.from_estimator(embedder)
    fig, axes = plt.subplots(2, 1)
    from_history = HistoryDisplay.from_history(embedder.history_, axes=axes)
    assert from_history.figure_ is fig and list(from_history.axes_) == list(axes)
    assert from_estimator.figure_ is not fig
    assert _is_figure(from_estimator.figure_)
    assert all(_is_axes(ax) for ax in from_estimator.axes_)
    assert list(from_estimator.losses) == list(from_history.losses)
    np.testing.assert_array_equal(from_history.epochs, [1, 2, 3])
    line = from_history.lines_["reconstruction_loss"]
    assert line.axes is axes[0]
    np.testing.assert_allclose(
        line.get_ydata(), embedder.history_[:, "reconstruction_loss"]
    )
    assert from_history.lines_["constraint_loss"].axes is axes[1]


def test_history_display_draws_the_validation_curves_beside_their_twins(digits):
    X, y = digits
    embedder = TripletVAEEmbedder(
        latent_dim=3, max_epochs=3, validation_fraction=0.2, random_state=0
    )
    display = plot_history(make_pipeline(embedder).fit(X, y))  # a pipeline too
    left, right = display.axes_
    labels = [line.get_label() for line in left.get_lines()]
    assert labels[:2] == ["train_loss", "valid_loss"]
    assert "valid_reconstruction_loss" in labels
    twins = {
        "valid_loss": "train_loss",
        "valid_reconstruction_loss": "reconstruction_loss",
        "valid_neighbor_loss": "neighbor_loss",
    }
    for key, twin_key in twins.items():
        line, twin = display.lines_[key], display.lines_[twin_key]
        assert line.get_linestyle() == "--" and twin.get_linestyle() == "-"
        assert line.get_color() == twin.get_color() and line.axes is twin.axes
        np.testing.assert_allclose(line.get_ydata(), embedder.history_[:, key])
    assert display.lines_["valid_neighbor_loss"].axes is right


def test_history_of_an_estimator_without_one_names_what_to_pass(digits):
    X, _ = digits
    with pytest.raises(TypeError, match=r"PCA has no history_ .*best_estimator_"):
        plot_history(make_pipeline(PCA(2)).fit(X))
    assert not plt.get_fignums()


def test_history_display_replots_and_needs_a_fitted_estimator():
    from sklearn.exceptions import NotFittedError

    display = HistoryDisplay([1, 2, 3], {"train_loss": [3.0, 2.0, 1.0]})
    first = display.plot().figure_
    _, axes = plt.subplots(1, 2)
    display.plot(axes, log_scale=True)
    assert display.figure_ is not first and display.axes_[0] is axes[0]
    assert axes[0].get_yscale() == "log" and not axes[1].get_lines()
    with pytest.raises(ValueError, match=r"axes must hold 2 matplotlib Axes"):
        display.plot(axes[:1])
    with pytest.raises(NotFittedError):
        HistoryDisplay.from_estimator(TripletVAEEmbedder())


def test_reconstruction_display_from_estimator_and_given_axes(digits):
    X, _ = digits
    embedder = _PCAEmbedder(X, n_components=5)
    display = ReconstructionDisplay.from_estimator(embedder, X, n_images=3)
    assert display.image_shape == (8, 8)
    np.testing.assert_allclose(display.inputs, X[:3])
    np.testing.assert_allclose(
        display.reconstructions, embedder.inverse_transform(embedder.transform(X[:3]))
    )
    assert display.axes_.shape == (2, 3) and _is_figure(display.figure_)
    assert display.axes_[0, 0].get_ylabel() == "input"
    fig, axes = plt.subplots(2, 3)
    display.plot(axes, cmap="viridis")
    assert display.figure_ is fig and display.axes_[1, 2] is axes[1, 2]
    assert axes[1, 2].get_images()[0].get_cmap().name == "viridis"
    with pytest.raises(ValueError, match=r"axes must hold 6 matplotlib Axes"):
        display.plot(axes[0])


def test_sample_display_from_estimator_and_given_axes():
    display = SampleDisplay.from_estimator(_Sampler(), n_samples=3)
    assert display.samples.shape == (3, 4) and display.image_shape == (2, 2)
    assert display.axes_.shape == (3,) and len(display.figure_.axes) == 3
    fig, axes = plt.subplots(3, 1)
    assert display.plot(axes).figure_ is fig
    assert all(ax.get_images() for ax in axes)


def test_animation_display_from_recorder_shows_the_last_frame(fitted, digits):
    _, recorder = fitted
    _, y = digits
    display = AnimationDisplay.from_recorder(
        recorder, y[:40], class_names=list("abcdefghij")
    )
    assert _is_axes(display.ax_) and _is_figure(display.figure_)
    assert display.epochs == recorder.epochs_ and display.projection == "pca"
    # Every frame projected with the PCA of the last.
    pca = PCA(n_components=2).fit(recorder.embeddings_[-1])
    np.testing.assert_allclose(
        display.frames[0], pca.transform(recorder.embeddings_[0]), atol=1e-6
    )
    assert display.ax_.get_title() == "epoch 3"
    shown = np.concatenate([c.get_offsets() for c in display.ax_.collections])
    np.testing.assert_allclose(
        np.sort(shown, axis=0), np.sort(display.frames[-1], axis=0), atol=1e-6
    )
    # The limits hold every frame, so the axes stay put while the points move.
    stacked = np.concatenate(display.frames)
    low, high = display.ax_.get_xlim()
    assert low <= stacked[:, 0].min() and stacked[:, 0].max() <= high


def test_animation_display_saves_into_given_axes(tmp_path):
    y = np.repeat([0, 1], 5)
    frames = [np.column_stack([step * y, np.arange(10.0)])[:, :1] for step in range(3)]
    fig, ax = plt.subplots()
    display = AnimationDisplay.from_embeddings(frames, y, ax=ax)
    assert display.ax_ is ax and display.projection == "bands"
    assert display.save(tmp_path / "bands.gif", fps=2) is display
    assert display.path_ == tmp_path / "bands.gif"
    with Image.open(display.path_) as gif:
        assert gif.n_frames == 3
    assert ax.get_title() == "epoch 2"  # the last frame, after saving too
    assert fig.number in plt.get_fignums()  # a display's save closes nothing


def test_interactive_display_is_its_plotly_figure_in_a_notebook(digits):
    pytest.importorskip("plotly")
    import plotly.graph_objects as go

    X, y = digits
    pca = PCA(n_components=3).fit(X)
    hover = [f"row {i}" for i in range(30)]
    display = InteractiveEmbeddingDisplay.from_estimator(
        pca, X[:30], y[:30], hover=hover, title="digits"
    )
    assert isinstance(display.figure_, go.Figure)
    assert display.projection == "pca" and display.points.shape == (30, 2)
    assert [trace.name for trace in display.figure_.data] == [
        str(d) for d in np.unique(y[:30])
    ]
    assert display.figure_.layout.title.text == "digits"
    assert "plotly" in display._repr_html_()
    assert isinstance(display._repr_mimebundle_(), dict)
    # Drawn again with another title: a new figure, the same points.
    first = display.figure_
    display.plot(title="again")
    assert display.figure_ is not first
    assert display.figure_.layout.title.text == "again"
    np.testing.assert_allclose(display.figure_.data[0].x, first.data[0].x)
    with pytest.raises(ValueError, match=r"hover must have one text per row of X"):
        InteractiveEmbeddingDisplay.from_embedding(X[:30, :2], hover=["x"])
    assert not plt.get_fignums()  # plotly only


def test_plot_history_reads_a_list_of_epochs_and_says_it_needs_two_axes():
    rows = [{"epoch": 1, "train_loss": 1.0}, {"epoch": 2, "train_loss": 0.5}]
    display = plot_history(rows)
    assert list(display.losses) == ["train_loss"]
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match="axes must hold 2 matplotlib Axes"):
        plot_history(rows, axes=ax)
    with pytest.raises(TypeError, match="one dict per epoch"):
        plot_history([1, 2])
    plt.close("all")


def test_a_saved_animation_shows_itself_in_jupyter(tmp_path):
    import base64

    display = AnimationDisplay([np.eye(2), 2 * np.eye(2)], [0, 1])
    assert display._repr_html_() is None  # not saved: the plain repr
    display.save(tmp_path / "latent.gif", fps=2)
    html = display._repr_html_()
    prefix = '<img src="data:image/gif;base64,'
    assert html.startswith(prefix)
    encoded = html[len(prefix) :].split('"')[0]
    assert base64.b64decode(encoded) == (tmp_path / "latent.gif").read_bytes()
    plt.close("all")
