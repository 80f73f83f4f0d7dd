"""Figures of embeddings, reconstructions, VAE samples and training curves.

Needs matplotlib (``pip install "sk-metricembed[plot]"``), imported only when
a function is called so that the package itself works without it. Every
function draws into axes it is given (or a new figure) and returns them; none
shows a window or writes a file, except :func:`animate_embedding`, whose job
is writing one.
"""

from __future__ import annotations

import math
import os
from numbers import Integral, Real
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.decomposition import PCA
from sklearn.utils import check_array
from skorch.history import History

from ._sklearn_compat import HasMethods, Interval, StrOptions, validate_params
from ._training.loss_parts import METRIC_PARTS, RECONSTRUCTION_PARTS, history_key
from ._validation import is_unlabeled, resolve_image_shape
from .callbacks import EmbeddingRecorder

__all__ = [
    "plot_embedding",
    "plot_reconstructions",
    "plot_samples",
    "plot_history",
    "animate_embedding",
]


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as error:  # pragma: no cover - depends on the install
        raise ImportError(
            "plotting needs matplotlib: pip install 'sk-metricembed[plot]'."
        ) from error
    return plt


_UNLABELED_COLOR = "0.75"
# Legend names: indexed by label (a sequence) or keyed by it (a dict).
_CLASS_NAMES = ["array-like", dict, None]
# A matplotlib Axes, without importing matplotlib before a plot is drawn.
_AXES = HasMethods(["scatter", "set_xlabel"])
# Colour maps by name or as a matplotlib Colormap (which is callable).
_CMAP = [str, callable]
_IMAGE_SHAPE = [tuple, list, None]


#: The parameters both scatters of an embedding take.
_SCATTER_PARAMETERS = {
    "X_embedded": ["array-like"],
    "y": ["array-like", None],
    "method": [StrOptions({"pca", "tsne"})],
    "class_names": _CLASS_NAMES,
    "title": [str, None],
    "random_state": ["random_state"],
}


@validate_params(
    {
        **_SCATTER_PARAMETERS,
        "ax": [_AXES, None],
        "point_size": [Interval(Real, 0, None, closed="neither"), None],
        "legend": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def plot_embedding(
    X_embedded,
    y=None,
    *,
    method: str = "pca",
    class_names=None,
    ax=None,
    title: str | None = None,
    point_size: float | None = None,
    random_state=0,
    legend: bool = True,
):
    """Scatter an embedding coloured by class, unlabelled rows (-1) in grey.

    Embeddings of more than two dimensions are projected to two first: PCA
    by default (linear, so distances along the axes stay readable), t-SNE on
    request (``method="tsne"``; separates clusters better, but distances
    between clusters then mean little). A one-dimensional embedding is drawn
    along the x axis with the classes spread out vertically.

    Parameters
    ----------
    X_embedded : array-like of shape (n_samples, n_components)
        The embedding, e.g. the output of an embedder's ``transform``.
    y : array-like of shape (n_samples,), default=None
        Labels of any kind the embedders take; -1, None or NaN for
        unlabelled rows (drawn in grey, underneath; labelled rows are then
        drawn larger).
        None draws every row in one colour.
    method : {"pca", "tsne"}, default="pca"
        Projection used above two dimensions.
    class_names : sequence of str or dict, default=None
        Legend names: indexed by label (a sequence) or keyed by it (a dict).
        Defaults to the labels themselves.
    ax : matplotlib Axes, default=None
        Where to draw; a new figure when None.
    title : str, default=None
        Axes title. The axis labels say which projection was used.
    point_size : float, default=None
        Marker area, > 0; by default it shrinks as the number of rows grows.
    random_state : int, RandomState instance or None, default=0
        Seed of the t-SNE projection.
    legend : bool, default=True
        Draw the legend (right of the axes, up to 20 classes); False for
        subplot grids, where legends would overlap the next panel.

    Returns
    -------
    ax : matplotlib Axes
        The axes drawn on; the legend has one entry per class (plus
        "unlabeled" when there are -1 rows).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> from sk_metricembed import plot_embedding
    >>> rng = np.random.default_rng(0)
    >>> Z = rng.normal(size=(60, 5))
    >>> y = np.repeat([0, 1, -1], 20)
    >>> ax = plot_embedding(Z, y, class_names=["zero", "one"])
    >>> ax.get_xlabel()
    'PC 1'
    >>> [text.get_text() for text in ax.get_legend().get_texts()]
    ['unlabeled', 'zero', 'one']
    >>> plt.close("all")
    """
    plt = _pyplot()
    Z, points, axis_labels, codes, classes = _points_and_classes(
        X_embedded, y, method, random_state
    )
    unlabeled = codes == -1
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 5))
    size = point_size
    if size is None:
        size = float(np.clip(4000 / max(Z.shape[0], 1), 2, 40))
    if unlabeled.any():
        ax.scatter(
            *points[unlabeled].T,
            s=size,
            c=_UNLABELED_COLOR,
            alpha=0.5,
            linewidths=0,
            label="unlabeled",
        )
    colors = _class_colors(len(classes))
    # Among many grey rows, the few labelled ones must stand out.
    labeled_size = min(3 * size, 40.0) if unlabeled.any() else size
    for code, (color, label) in enumerate(zip(colors, classes)):
        members = codes == code
        ax.scatter(
            *points[members].T,
            s=labeled_size,
            color=color,
            alpha=0.8,
            linewidths=0,
            label=_class_name(label, class_names),
        )
    ax.set_xlabel(axis_labels[0])
    ax.set_ylabel(axis_labels[1])
    if Z.shape[1] == 1:
        ax.set_yticks([])
    if title is not None:
        ax.set_title(title)
    if legend and y is not None and len(classes) <= 20:
        legend = ax.legend(
            loc="center left",
            bbox_to_anchor=(1.0, 0.5),
            frameon=False,
            markerscale=max(1.0, 30 / size) ** 0.5,
            ncols=1 if len(classes) <= 10 else 2,
        )
        for handle in legend.legend_handles:
            handle.set_alpha(1.0)
    return ax


def _points_and_classes(X_embedded, y, method, random_state):
    """The embedding, its 2-D points and axis names, class codes and classes.

    Codes index ``classes`` (the sorted labels), -1 for unlabelled rows, so
    that labels of any kind (text, None) draw alike.
    """
    Z = check_array(X_embedded, input_name="X_embedded")
    labels = np.full(Z.shape[0], 0) if y is None else np.asarray(y)
    if labels.shape != (Z.shape[0],):
        raise ValueError(
            f"y must have one label per row of X_embedded ({Z.shape[0]}), got "
            f"shape {labels.shape}."
        )
    unlabeled = is_unlabeled(labels)
    classes = np.unique(labels[~unlabeled])
    codes = np.full(labels.shape[0], -1)
    codes[~unlabeled] = np.searchsorted(classes, labels[~unlabeled])
    points, axis_labels = _project(Z, codes, method, random_state)
    return Z, points, axis_labels, codes, classes


@validate_params(
    {**_SCATTER_PARAMETERS, "hover": ["array-like", None]},
    prefer_skip_nested_validation=True,
)
def plot_embedding_interactive(
    X_embedded,
    y=None,
    *,
    hover=None,
    method: str = "pca",
    class_names=None,
    title: str | None = None,
    random_state=0,
):
    """An interactive scatter of an embedding: hover a point to see its row.

    The same picture as :func:`plot_embedding` (classes in colour,
    unlabelled rows in grey, projected to two dimensions above two), drawn
    with plotly, so that in a notebook each point shows, under the pointer,
    its row number, its label and ``hover`` (a file name, a caption, a
    short text of the row); the legend toggles classes and the view zooms.
    Needs plotly (``pip install "sk-metricembed[interactive]"``).

    Parameters
    ----------
    X_embedded : array-like of shape (n_samples, n_components)
        The embedding, e.g. the output of an embedder's ``transform``.
    y : array-like of shape (n_samples,), default=None
        Labels of any kind the embedders take; -1, None or NaN for
        unlabelled rows. None draws every row in one colour.
    hover : array-like of shape (n_samples,), default=None
        Text shown for each row besides its number and label.
    method : {"pca", "tsne"}, default="pca"
        Projection used above two dimensions.
    class_names : sequence or dict, default=None
        Display names for the labels (indexed or keyed by label).
    title : str, default=None
        Figure title.
    random_state : int, RandomState instance or None, default=0
        Seeds the t-SNE projection.

    Returns
    -------
    fig : plotly.graph_objects.Figure
        One trace per class (and one for the unlabelled rows); show it with
        ``fig.show()`` or save it with ``fig.write_html(path)``.

    Examples
    --------
    >>> import numpy as np
    >>> from sk_metricembed import plot_embedding_interactive
    >>> Z = np.random.RandomState(0).normal(size=(60, 2))
    >>> y = np.repeat([0, 1, -1], 20)
    >>> fig = plot_embedding_interactive(Z, y, hover=[f"row {i}" for i in range(60)])
    >>> [trace.name for trace in fig.data]
    ['unlabeled', '0', '1']
    """
    try:
        import plotly.graph_objects as go
    except ImportError as error:  # pragma: no cover - depends on the install
        raise ImportError(
            "plot_embedding_interactive needs plotly: pip install "
            "'sk-metricembed[interactive]'."
        ) from error
    Z, points, axis_labels, codes, classes = _points_and_classes(
        X_embedded, y, method, random_state
    )
    texts = None if hover is None else np.asarray(hover, dtype=object)
    if texts is not None and texts.shape != (Z.shape[0],):
        raise ValueError(
            f"hover must have one text per row of X_embedded ({Z.shape[0]}), "
            f"got shape {texts.shape}."
        )
    fig = go.Figure()
    groups = [(-1, "unlabeled")] if (codes == -1).any() else []
    groups += [
        (code, _class_name(label, class_names)) for code, label in enumerate(classes)
    ]
    colors = _plotly_colors(len(classes))
    for code, name in groups:
        rows = np.flatnonzero(codes == code)
        color = "rgb(191, 191, 191)" if code == -1 else colors[code]
        customdata = np.stack(
            [rows, texts[rows] if texts is not None else np.full(rows.size, "")],
            axis=1,
        )
        fig.add_trace(
            go.Scattergl(
                x=points[rows, 0],
                y=points[rows, 1],
                mode="markers",
                name=name,
                marker={"color": color, "size": 5 if code == -1 else 7},
                customdata=customdata,
                hovertemplate=(
                    "row %{customdata[0]}<br>" + name + "<br>%{customdata[1]}"
                    "<extra></extra>"
                ),
            )
        )
    fig.update_layout(
        title=title,
        xaxis_title=axis_labels[0],
        yaxis_title=axis_labels[1],
        legend_title_text="class",
        template="simple_white",
    )
    return fig


def _plotly_colors(n_classes: int) -> list[str]:
    """Class colours for plotly: matplotlib's tab10 (d3's) up to ten, then turbo."""
    from plotly.colors import qualitative, sample_colorscale

    if n_classes <= len(qualitative.D3):
        return list(qualitative.D3[:n_classes])
    return sample_colorscale("Turbo", [i / (n_classes - 1) for i in range(n_classes)])


def _project(Z, labels, method: str, random_state):
    """Two columns to draw and their axis labels."""
    n_components = Z.shape[1]
    if n_components == 2:
        return Z, ("z 1", "z 2")
    if n_components == 1:
        # Classes on separate bands, jittered, so that overlaps stay visible.
        rng = np.random.default_rng(0)
        _, band = np.unique(labels, return_inverse=True)
        return np.column_stack([Z[:, 0], band + rng.uniform(-0.3, 0.3, len(Z))]), (
            "z 1",
            "",
        )
    if method == "tsne":
        from sklearn.manifold import TSNE

        perplexity = min(30.0, max(1.0, (Z.shape[0] - 1) / 3))
        points = TSNE(
            perplexity=perplexity, init="pca", random_state=random_state
        ).fit_transform(Z)
        return points, ("t-SNE 1", "t-SNE 2")
    return PCA(n_components=2).fit_transform(Z), ("PC 1", "PC 2")


def _class_colors(n_classes: int) -> list:
    plt = _pyplot()
    if n_classes <= 10:
        return [plt.get_cmap("tab10")(i) for i in range(n_classes)]
    if n_classes <= 20:
        return [plt.get_cmap("tab20")(i) for i in range(n_classes)]
    cmap = plt.get_cmap("turbo")
    return [cmap(i / max(n_classes - 1, 1)) for i in range(n_classes)]


def _class_name(label, class_names) -> str:
    if class_names is None:
        return str(label)
    if isinstance(class_names, dict):
        return str(class_names.get(label, label))
    return str(class_names[int(label)])


@validate_params(
    {"history": [History, BaseEstimator], "axes": ["array-like", None]},
    prefer_skip_nested_validation=True,
)
def plot_history(history, *, axes=None, log_scale: bool = False):
    """Loss curves of a fit: total and reconstruction parts, then metric parts.

    Parameters
    ----------
    history : skorch History or fitted embedder
        ``embedder.history_`` (or the embedder itself).
    axes : pair of matplotlib Axes, default=None
        Where to draw the two panels; a new figure when None.
    log_scale : bool, default=False
        Draw the losses on a logarithmic scale, where slow late decreases
        show.

    Returns
    -------
    axes : ndarray of two matplotlib Axes
        Left: ``train_loss`` with ``reconstruction_loss`` and ``kl_loss``;
        right: the metric terms the fit trained (``constraint_loss``,
        ``neighbor_loss``, ...). Parts a fit did not record are left out.
        Epochs are ticked at whole numbers.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from sklearn.datasets import load_digits
    >>> from sk_metricembed import TripletVAEEmbedder, plot_history
    >>> X, y = load_digits(return_X_y=True)
    >>> embedder = TripletVAEEmbedder(max_epochs=3, random_state=0)
    >>> embedder = embedder.fit(X[:200] / 16.0, y[:200])
    >>> left, right = plot_history(embedder)
    >>> [line.get_label() for line in left.get_lines()]
    ['train_loss', 'reconstruction_loss', 'kl_loss']
    >>> plt.close("all")
    """
    if not isinstance(log_scale, bool):
        raise TypeError(f"log_scale must be True or False, got {log_scale!r}.")
    plt = _pyplot()
    from matplotlib.ticker import MaxNLocator

    history = getattr(history, "history_", history)
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(10, 3.8))
    axes = np.asarray(axes)
    epochs = np.asarray(history[:, "epoch"])
    panels = (
        (
            axes[0],
            ("train_loss", *map(history_key, RECONSTRUCTION_PARTS)),
            "total and reconstruction",
        ),
        (axes[1], tuple(map(history_key, METRIC_PARTS)), "metric terms"),
    )
    for ax, names, panel_title in panels:
        for name in names:
            values = _history_column(history, name)
            if values is not None:
                ax.plot(epochs, values, marker=".", label=name)
        ax.set_xlabel("epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel("loss")
        if log_scale:
            ax.set_yscale("log")
        ax.set_title(panel_title)
        if ax.get_lines():
            ax.legend(frameon=False)
    return axes


def _history_column(history, name: str):
    """The per-epoch values of ``name``, or None when the fit never recorded it."""
    values = [row.get(name) for row in history]
    if any(value is None for value in values):
        return None
    return np.asarray(values, dtype=float)


@validate_params(
    {
        "embeddings": [EmbeddingRecorder, "array-like"],
        "y": ["array-like", None],
        "path": [str, os.PathLike],
        "epochs": ["array-like", None],
        "class_names": _CLASS_NAMES,
        "fps": [Interval(Integral, 1, None, closed="left")],
        "dpi": [Interval(Integral, 1, None, closed="left")],
    },
    prefer_skip_nested_validation=True,
)
def animate_embedding(
    embeddings,
    y=None,
    path="embedding.gif",
    *,
    epochs=None,
    class_names=None,
    fps: int = 4,
    dpi: int = 100,
):
    """Write a GIF or MP4 of the latent space forming, one frame per record.

    Above two dimensions every frame is projected with the PCA of the last
    one, so the axes stay fixed and the motion is the training's, not the
    projection's.

    Parameters
    ----------
    embeddings : EmbeddingRecorder or sequence of ndarray of shape (n_rows, k)
        The recorded embeddings (a fitted
        :class:`~sk_metricembed.EmbeddingRecorder` supplies its epochs too).
    y : array-like of shape (n_rows,), default=None
        Labels of the recorded rows, -1 for unlabelled.
    path : str or path-like, default="embedding.gif"
        Output file; ``.gif`` is written with Pillow, ``.mp4`` with ffmpeg
        (which must be installed).
    epochs : sequence of int, default=None
        Epoch of each frame, for the titles; taken from the recorder.
    class_names : sequence of str or dict, default=None
        Legend names, as in :func:`plot_embedding`.
    fps : int, default=4
        Frames per second.
    dpi : int, default=100
        Resolution of the frames.

    Returns
    -------
    path : pathlib.Path
        The written file.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import tempfile
    >>> import numpy as np
    >>> from sk_metricembed import animate_embedding
    >>> rng = np.random.default_rng(0)
    >>> y = np.repeat([0, 1], 20)
    >>> frames = [rng.normal(size=(40, 2)) + step * y[:, None] for step in range(4)]
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     written = animate_embedding(frames, y, f"{folder}/latent.gif")
    ...     print(written.name, written.stat().st_size > 0)
    latent.gif True
    """
    plt = _pyplot()
    from matplotlib import animation

    if epochs is None:
        epochs = getattr(embeddings, "epochs_", None)
    frames = [
        check_array(frame, input_name="embeddings")
        for frame in getattr(embeddings, "embeddings_", embeddings)
    ]
    if not frames:
        raise ValueError("embeddings holds no frame to animate.")
    epochs = list(range(len(frames))) if epochs is None else list(epochs)
    path = Path(path)
    if path.suffix.lower() == ".gif":
        writer = animation.PillowWriter(fps=fps)
    elif path.suffix.lower() == ".mp4":
        if not animation.FFMpegWriter.isAvailable():
            raise RuntimeError(
                "writing .mp4 needs ffmpeg on the PATH; install it or write a .gif."
            )
        writer = animation.FFMpegWriter(fps=fps)
    else:
        raise ValueError(f"path must end in .gif or .mp4, got {str(path)!r}.")
    projected = frames[-1].shape[1] > 2
    if projected:
        pca = PCA(n_components=2).fit(frames[-1])
        frames = [pca.transform(frame) for frame in frames]
    labels = None if y is None else np.asarray(y)
    # Fixed limits over all frames, so that the clusters move, not the axes.
    stacked = np.concatenate(frames)
    low, high = stacked.min(axis=0), stacked.max(axis=0)
    pad = 0.05 * np.maximum(high - low, 1e-6)
    fig, ax = plt.subplots(figsize=(6, 5))

    def draw(index):
        ax.clear()
        plot_embedding(frames[index], labels, class_names=class_names, ax=ax)
        ax.set_xlim(low[0] - pad[0], high[0] + pad[0])
        if frames[index].shape[1] > 1:
            ax.set_ylim(low[1] - pad[1], high[1] + pad[1])
        if projected:
            ax.set_xlabel("PC 1 (of the last epoch)")
            ax.set_ylabel("PC 2")
        ax.set_title(f"epoch {epochs[index]}")
        return ax.collections

    fig.subplots_adjust(right=0.8)
    movie = animation.FuncAnimation(fig, draw, frames=len(frames), blit=False)
    try:
        movie.save(path, writer=writer, dpi=dpi)
    finally:
        plt.close(fig)
    return path


@validate_params(
    {
        "embedder": [HasMethods(["transform", "inverse_transform"])],
        "X": ["array-like"],
        "n_images": [Interval(Integral, 1, None, closed="left")],
        "image_shape": _IMAGE_SHAPE,
        "cmap": _CMAP,
    },
    prefer_skip_nested_validation=True,
)
def plot_reconstructions(
    embedder, X, *, n_images: int = 10, image_shape=None, cmap: str = "gray_r"
):
    """Images against their reconstructions: inputs on top, decoded below.

    Each input is embedded (``transform``) and decoded back
    (``inverse_transform``), as in figure 3 of the TVAE paper.

    Parameters
    ----------
    embedder : fitted SiameseAutoencoderEmbedder or TripletVAEEmbedder
        Must have been fitted with ``weight < 1`` for the decoder to have
        been trained.
    X : array-like of shape (n_samples, n_features)
        Rows of flattened images; the first ``n_images`` are drawn.
    n_images : int, default=10
        Number of columns.
    image_shape : tuple of int, default=None
        ``(height, width[, channels])``; defaults to the embedder's
        ``image_shape``, else to a square.
    cmap : str or matplotlib Colormap, default="gray_r"
        Colour map of grey images (dark ink on white for digits).

    Returns
    -------
    fig : matplotlib Figure
        Two rows of ``n_images`` axes.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from sklearn.datasets import load_digits
    >>> from sk_metricembed import SiameseAutoencoderEmbedder, plot_reconstructions
    >>> X, y = load_digits(return_X_y=True)
    >>> X = X[:200] / 16.0
    >>> embedder = SiameseAutoencoderEmbedder(
    ...     weight=0.0, max_epochs=2, random_state=0
    ... ).fit(X)
    >>> fig = plot_reconstructions(embedder, X, n_images=5)
    >>> len(fig.axes)
    10
    >>> plt.close(fig)
    """
    X = check_array(X, input_name="X")[:n_images]
    decoded = embedder.inverse_transform(embedder.transform(X))
    shape = _image_shape(embedder, X.shape[1], image_shape)
    fig = _image_grid([X, decoded], shape, cmap)
    fig.axes[0].set_ylabel("input")
    fig.axes[len(X)].set_ylabel("decoded")
    return fig


@validate_params(
    {
        "embedder": [HasMethods(["sample"])],
        "n_samples": [Interval(Integral, 1, None, closed="left")],
        "image_shape": _IMAGE_SHAPE,
        "cmap": _CMAP,
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def plot_samples(
    embedder,
    *,
    n_samples: int = 25,
    image_shape=None,
    cmap: str = "gray_r",
    random_state=None,
):
    """A grid of images a VAE generates from its prior (``embedder.sample``).

    Parameters
    ----------
    embedder : fitted embedder with ``variational=True``
        The VAE to sample from.
    n_samples : int, default=25
        Number of images, laid out in a square-ish grid.
    image_shape : tuple of int, default=None
        ``(height, width[, channels])``; defaults to the embedder's
        ``image_shape``, else to a square.
    cmap : str or matplotlib Colormap, default="gray_r"
        Colour map of grey images.
    random_state : int, RandomState instance or None, default=None
        Seed of the prior draw.

    Returns
    -------
    fig : matplotlib Figure

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from sklearn.datasets import load_digits
    >>> from sk_metricembed import TripletVAEEmbedder, plot_samples
    >>> X, y = load_digits(return_X_y=True)
    >>> embedder = TripletVAEEmbedder(
    ...     latent_dim=2, weight=0.0, max_epochs=2, random_state=0
    ... ).fit(X[:200] / 16.0)
    >>> fig = plot_samples(embedder, n_samples=6, random_state=0)
    >>> len(fig.axes)
    6
    >>> plt.close(fig)
    """
    samples = embedder.sample(n_samples, random_state=random_state)
    shape = _image_shape(embedder, samples.shape[1], image_shape)
    n_columns = math.ceil(math.sqrt(n_samples))
    rows = [samples[i : i + n_columns] for i in range(0, n_samples, n_columns)]
    return _image_grid(rows, shape, cmap)


def _image_shape(embedder, n_features: int, image_shape) -> tuple[int, ...]:
    if image_shape is None:
        image_shape = getattr(embedder, "image_shape", None)
    return resolve_image_shape(image_shape, n_features, square=True)


def _image_grid(rows, shape, cmap):
    plt = _pyplot()
    n_columns = max(len(row) for row in rows)
    fig, axes = plt.subplots(
        len(rows),
        n_columns,
        figsize=(1.0 * n_columns, 1.0 * len(rows) + 0.2),
        squeeze=False,
    )
    low = min(float(np.min(row)) for row in rows)
    high = max(float(np.max(row)) for row in rows)
    for row, row_axes in zip(rows, axes):
        for i, ax in enumerate(row_axes):
            if i >= len(row):
                ax.remove()
                continue
            image = np.clip((row[i] - low) / max(high - low, 1e-12), 0, 1)
            ax.imshow(image.reshape(shape), cmap=cmap if len(shape) == 2 else None)
            ax.set_xticks([])
            ax.set_yticks([])
    fig.subplots_adjust(wspace=0.05, hspace=0.05)
    return fig
