"""The latent space forming during training: recorded embeddings as a movie.

Each frame is :class:`EmbeddingDisplay`'s scatter of one recorded epoch;
this module adds what a movie needs besides: one projection and fixed axes
for all frames, and a file to write them to.
"""

from __future__ import annotations

import base64
import os
from numbers import Integral
from pathlib import Path

import numpy as np
from sklearn.decomposition import PCA
from sklearn.utils import check_array

from .._sklearn_compat import Interval, validate_params
from ..callbacks import EmbeddingRecorder
from ._embedding import EmbeddingDisplay
from ._matplotlib import AXES, pyplot
from ._points import CLASS_NAMES, label_codes, on_bands

#: The movie formats by extension: a GIF (written with Pillow), an MP4 (ffmpeg).
MOVIE_SUFFIXES = (".gif", ".mp4")

_SAVE_PARAMETERS = {
    "path": [str, os.PathLike],
    "fps": [Interval(Integral, 1, None, closed="left")],
    "dpi": [Interval(Integral, 1, None, closed="left")],
}
_LABELS = {"y": ["array-like", None], "class_names": CLASS_NAMES}
_EPOCHS = {"epochs": ["array-like", None]}
_AX = {"ax": [AXES, None]}


class AnimationDisplay:
    """The latent space forming during training, one frame per recorded epoch.

    Build it with :meth:`from_recorder` (a fitted
    :class:`~sk_metricembed.EmbeddingRecorder`) or :meth:`from_embeddings`,
    which project all frames alike and draw the last one; :meth:`save`
    writes the movie (GIF or MP4). :func:`animate_embedding` is the
    shortcut that does both. All parameters are stored as attributes.

    Parameters
    ----------
    frames : sequence of array-like of shape (n_rows, 2)
        The coordinates drawn at each recorded epoch, oldest first: the
        embeddings themselves or their projection.
    y : array-like of shape (n_rows,), default=None
        Labels of the recorded rows; -1, None or NaN for unlabelled rows.
    epochs : sequence of int, default=None
        The epoch of each frame, for the titles; the frame's number when
        None.
    class_names : sequence of str or dict, default=None
        Legend names, as in :class:`EmbeddingDisplay`.
    projection : {"none", "bands", "pca"}, default="none"
        How ``frames`` came from the embeddings, which the axis labels say:
        the embeddings themselves, one-dimensional ones along x with the
        classes on bands, or the PCA of the last frame (applied to all, so
        that the axes stay fixed and the motion is the training's).

    Attributes
    ----------
    ax_ : matplotlib Axes
        The axes the frames are drawn on; after :meth:`plot` and after
        :meth:`save`, they show the last frame.
    figure_ : matplotlib Figure
        The figure holding ``ax_``.
    path_ : pathlib.Path
        The file the last :meth:`save` wrote; in Jupyter the display then
        shows it (a GIF as an image, an MP4 as a video).

    See Also
    --------
    animate_embedding : The shortcut that builds this display and saves it.
    EmbeddingRecorder : Records the embeddings during a fit.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> from sk_metricembed.plotting import AnimationDisplay
    >>> y = np.repeat([0, 1], 5)
    >>> frames = [np.column_stack([step * y, np.arange(10)]) for step in range(3)]
    >>> display = AnimationDisplay(frames, y, epochs=[0, 5, 10]).plot()
    >>> display.ax_.get_title()
    'epoch 10'
    >>> plt.close("all")
    """

    def __init__(
        self,
        frames,
        y=None,
        *,
        epochs=None,
        class_names=None,
        projection: str = "none",
    ) -> None:
        self.frames = frames
        self.y = y
        self.epochs = epochs
        self.class_names = class_names
        self.projection = projection

    @validate_params(_AX, prefer_skip_nested_validation=True)
    def plot(self, ax=None) -> AnimationDisplay:
        """Draw the last frame, on axes whose limits hold every frame.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Where to draw (cleared for each frame); a new figure, with room
            for the legend, when None.

        Returns
        -------
        display : AnimationDisplay
            This display, with ``ax_`` and ``figure_`` set.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> import numpy as np
        >>> from sk_metricembed.plotting import AnimationDisplay
        >>> frames = [np.eye(2), 2 * np.eye(2)]
        >>> fig, ax = plt.subplots()
        >>> display = AnimationDisplay(frames, [0, 1]).plot(ax)
        >>> display.ax_ is ax, bool(display.ax_.get_xlim()[1] > 2)
        (True, True)
        >>> plt.close("all")
        """
        frames = _checked_frames(self.frames, "frames")
        if frames[0].shape[1] != 2:
            raise ValueError(
                f"frames must have two columns (x, y), got {frames[0].shape[1]}; "
                "AnimationDisplay.from_embeddings projects embeddings to two."
            )
        epochs = _checked_epochs(self.epochs, len(frames))
        if ax is None:
            fig, ax = pyplot().subplots(figsize=(6, 5))
            fig.subplots_adjust(right=0.8)
        # Fixed limits over all frames, so that the clusters move, not the axes.
        stacked = np.concatenate(frames)
        low, high = stacked.min(axis=0), stacked.max(axis=0)
        pad = 0.05 * np.maximum(high - low, 1e-6)

        def draw(index: int):
            ax.clear()
            EmbeddingDisplay(
                frames[index],
                self.y,
                class_names=self.class_names,
                projection=self.projection,
            ).plot(ax, title=f"epoch {epochs[index]}")
            ax.set_xlim(low[0] - pad[0], high[0] + pad[0])
            ax.set_ylim(low[1] - pad[1], high[1] + pad[1])
            if self.projection == "pca":
                ax.set_xlabel("PC 1 (of the last epoch)")
            return ax.collections

        draw(len(frames) - 1)
        self._draw_frame, self._n_frames = draw, len(frames)
        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    @validate_params(_SAVE_PARAMETERS, prefer_skip_nested_validation=True)
    def save(self, path, *, fps: int = 4, dpi: int = 100) -> AnimationDisplay:
        """Write the movie: a GIF (with Pillow) or an MP4 (with ffmpeg).

        Draws the display first (:meth:`plot`, on a new figure) when it has
        not been drawn.

        Parameters
        ----------
        path : str or path-like
            Output file; ``.gif`` is written with Pillow, ``.mp4`` with
            ffmpeg (which must be installed).
        fps : int, default=4
            Frames per second.
        dpi : int, default=100
            Resolution of the frames.

        Returns
        -------
        display : AnimationDisplay
            This display, with ``path_`` set.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> import tempfile
        >>> import numpy as np
        >>> from sk_metricembed.plotting import AnimationDisplay
        >>> display = AnimationDisplay([np.eye(2), 2 * np.eye(2)], [0, 1])
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     written = display.save(f"{folder}/latent.gif", fps=2).path_
        ...     print(written.name, written.stat().st_size > 0)
        latent.gif True
        >>> plt.close("all")
        """
        from matplotlib import animation

        path = Path(path)
        writer = movie_writer(path, fps)
        if not hasattr(self, "ax_"):
            self.plot()
        movie = animation.FuncAnimation(
            self.figure_, self._draw_frame, frames=self._n_frames, blit=False
        )
        movie.save(path, writer=writer, dpi=dpi)
        self.path_ = path
        return self

    def _repr_html_(self) -> str | None:
        """In Jupyter, the saved movie itself (a GIF as an image, an MP4 as a
        video, embedded in the notebook); the plain repr before :meth:`save`."""
        path = getattr(self, "path_", None)
        if path is None or not path.is_file():
            return None
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        if path.suffix.lower() == ".gif":
            return f'<img src="data:image/gif;base64,{data}" alt="{path.name}"/>'
        return f'<video controls loop src="data:video/mp4;base64,{data}"></video>'

    @classmethod
    @validate_params(
        {"embeddings": ["array-like"], **_LABELS, **_EPOCHS, **_AX},
        prefer_skip_nested_validation=True,
    )
    def from_embeddings(
        cls, embeddings, y=None, *, epochs=None, class_names=None, ax=None
    ) -> AnimationDisplay:
        """Project recorded embeddings alike and draw the last one.

        Above two dimensions every frame is projected with the PCA of the
        last one, so the axes stay fixed and the motion is the training's,
        not the projection's.

        Parameters
        ----------
        embeddings : sequence of array-like of shape (n_rows, n_components)
            The recorded embeddings, oldest first.
        y : array-like of shape (n_rows,), default=None
            Labels of the recorded rows, -1 for unlabelled.
        epochs : sequence of int, default=None
            Epoch of each frame, for the titles; the frame's number when
            None.
        class_names : sequence of str or dict, default=None
            Legend names, as in :class:`EmbeddingDisplay`.
        ax : matplotlib Axes, default=None
            Where to draw; a new figure when None.

        Returns
        -------
        display : AnimationDisplay
            The drawn display; :meth:`save` writes its movie.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> import numpy as np
        >>> from sk_metricembed.plotting import AnimationDisplay
        >>> rng = np.random.default_rng(0)
        >>> frames = [rng.normal(size=(20, 3)) for _ in range(4)]
        >>> display = AnimationDisplay.from_embeddings(frames, np.repeat([0, 1], 10))
        >>> display.projection, display.ax_.get_xlabel()
        ('pca', 'PC 1 (of the last epoch)')
        >>> plt.close("all")
        """
        frames = _checked_frames(embeddings, "embeddings")
        codes, _ = label_codes(y, frames[0].shape[0], "each frame of embeddings")
        _checked_epochs(epochs, len(frames))
        n_components = frames[-1].shape[1]
        projection = "none"
        if n_components > 2:
            pca = PCA(n_components=2).fit(frames[-1])
            frames, projection = [pca.transform(frame) for frame in frames], "pca"
        elif n_components == 1:
            frames = [on_bands(frame, codes) for frame in frames]
            projection = "bands"
        display = cls(
            frames, y, epochs=epochs, class_names=class_names, projection=projection
        )
        return display.plot(ax)

    @classmethod
    @validate_params(
        {"recorder": [EmbeddingRecorder], **_LABELS, **_AX},
        prefer_skip_nested_validation=True,
    )
    def from_recorder(
        cls, recorder, y=None, *, class_names=None, ax=None
    ) -> AnimationDisplay:
        """Draw what an EmbeddingRecorder recorded during a fit.

        Parameters
        ----------
        recorder : EmbeddingRecorder
            A recorder an embedder was fitted with (in its ``callbacks``).
        y : array-like of shape (n_rows,), default=None
            Labels of the recorded rows, -1 for unlabelled.
        class_names : sequence of str or dict, default=None
            Legend names, as in :class:`EmbeddingDisplay`.
        ax : matplotlib Axes, default=None
            Where to draw; a new figure when None.

        Returns
        -------
        display : AnimationDisplay
            The drawn display, its titles the recorded epochs.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> from sklearn.datasets import load_digits
        >>> from sk_metricembed import EmbeddingRecorder, TripletVAEEmbedder
        >>> from sk_metricembed.plotting import AnimationDisplay
        >>> X, y = load_digits(return_X_y=True)
        >>> X, y = X[:200] / 16.0, y[:200]
        >>> recorder = EmbeddingRecorder(X[:50])
        >>> embedder = TripletVAEEmbedder(
        ...     latent_dim=2, max_epochs=2, callbacks=[recorder], random_state=0
        ... ).fit(X, y)
        >>> display = AnimationDisplay.from_recorder(recorder, y[:50])
        >>> display.epochs, display.ax_.get_title()
        ([0, 1, 2], 'epoch 2')
        >>> plt.close("all")
        """
        return cls.from_embeddings(
            _records(recorder),
            y,
            epochs=recorder.epochs_,
            class_names=class_names,
            ax=ax,
        )


@validate_params(
    {
        "embeddings": [EmbeddingRecorder, "array-like"],
        **_LABELS,
        **_EPOCHS,
        **_SAVE_PARAMETERS,
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
) -> AnimationDisplay:
    """Write a GIF or MP4 of the latent space forming, one frame per record.

    The shortcut of :meth:`AnimationDisplay.from_recorder` (or
    :meth:`~AnimationDisplay.from_embeddings`) followed by
    :meth:`AnimationDisplay.save`. Above two dimensions every frame is
    projected with the PCA of the last one, so the axes stay fixed and the
    motion is the training's, not the projection's.

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
    display : AnimationDisplay
        The display that wrote the file: ``display.path_`` is the written
        file. Its figure is closed once the file is written (a script that
        writes many movies does not keep their figures open);
        ``display.figure_`` can still be saved.

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
    ...     written = animate_embedding(frames, y, f"{folder}/latent.gif").path_
    ...     print(written.name, written.stat().st_size > 0)
    latent.gif True
    """
    movie_writer(Path(path), fps)  # a wrong file name fails before drawing
    if epochs is None:
        epochs = getattr(embeddings, "epochs_", None)
    if isinstance(embeddings, EmbeddingRecorder):
        embeddings = _records(embeddings)
    display = AnimationDisplay.from_embeddings(
        embeddings,
        y,
        epochs=epochs,
        class_names=class_names,
    )
    try:
        display.save(path, fps=fps, dpi=dpi)
    finally:
        pyplot().close(display.figure_)
    return display


def _records(recorder: EmbeddingRecorder) -> list:
    """A recorder's embeddings, or a ``ValueError`` where it recorded none."""
    if not getattr(recorder, "embeddings_", None):
        raise ValueError(
            "recorder holds no embedding: pass it in an embedder's callbacks "
            "and fit the embedder first."
        )
    return recorder.embeddings_


def movie_writer(path: Path, fps: int):
    """The matplotlib writer of ``path``'s format, or an error saying why not."""
    from matplotlib import animation

    suffix = path.suffix.lower()
    if suffix not in MOVIE_SUFFIXES:
        raise ValueError(
            f"path must end in {' or '.join(MOVIE_SUFFIXES)}, got {str(path)!r}."
        )
    if suffix == ".gif":
        return animation.PillowWriter(fps=fps)
    if not animation.FFMpegWriter.isAvailable():
        raise RuntimeError(
            "writing .mp4 needs ffmpeg on the PATH; install it or write a .gif."
        )
    return animation.FFMpegWriter(fps=fps)


def _checked_frames(frames, name: str) -> list[np.ndarray]:
    """The frames as arrays of one shape, at least one."""
    checked = [check_array(frame, input_name=name) for frame in frames]
    if not checked:
        raise ValueError(f"{name} holds no frame to animate.")
    for index, frame in enumerate(checked):
        if frame.shape != checked[0].shape:
            raise ValueError(
                f"every frame of {name} must have the first one's shape "
                f"{checked[0].shape}; frame {index} has {frame.shape}."
            )
    return checked


def _checked_epochs(epochs, n_frames: int) -> list:
    """The epoch of each frame: the given ones, else the frames' numbers."""
    if epochs is None:
        return list(range(n_frames))
    epochs = list(epochs)
    if len(epochs) != n_frames:
        raise ValueError(
            f"epochs must give one epoch per frame ({n_frames}), got {len(epochs)}."
        )
    return epochs
