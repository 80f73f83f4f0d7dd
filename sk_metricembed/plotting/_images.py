"""Grids of images a decoder draws: reconstructions of inputs, prior samples.

Two displays, because they hold different data: a reconstruction is a pair
(an input and its decoding, drawn one above the other, and built from an
autoencoder and rows), a sample stands alone (drawn in a square-ish grid,
and built from a VAE alone). They share how a grid of images is drawn.
"""

from __future__ import annotations

import math
from numbers import Integral

import numpy as np
from sklearn.utils import check_array

from .._sklearn_compat import HasMethods, Interval, validate_params
from .._validation import resolve_image_shape
from ._matplotlib import axes_grid, pyplot

#: An autoencoder: embeds rows and decodes codes.
_AUTOENCODER = HasMethods(["transform", "inverse_transform"])
#: A VAE: draws rows from its prior.
_SAMPLER = HasMethods(["sample"])
_IMAGE_SHAPE = {"image_shape": [tuple, list, None]}
#: Colour maps by name or as a matplotlib Colormap (which is callable).
_CMAP = {"cmap": [str, callable]}
_DRAW_PARAMETERS = {"axes": ["array-like", None], **_CMAP}
_RECONSTRUCTION_PARAMETERS = {
    "X": ["array-like", "sparse matrix"],
    "n_images": [Interval(Integral, 1, None, closed="left")],
    **_IMAGE_SHAPE,
}
_SAMPLE_PARAMETERS = {
    "n_samples": [Interval(Integral, 1, None, closed="left")],
    **_IMAGE_SHAPE,
    "random_state": ["random_state"],
}


class ReconstructionDisplay:
    """Images against their reconstructions: inputs on top, decoded below.

    As in figure 3 of the TVAE paper. Build it with :meth:`from_estimator`
    (embeds rows and decodes them back); :func:`plot_reconstructions` is the
    shortcut. All parameters are stored as attributes.

    Parameters
    ----------
    inputs : array-like of shape (n_images, n_features)
        Rows of flattened images.
    reconstructions : array-like of shape (n_images, n_features)
        Their decodings, in the same order.
    image_shape : tuple of int, default=None
        ``(height, width[, channels])`` of one image; None for square grey
        images.

    Attributes
    ----------
    axes_ : ndarray of shape (2, n_images) of matplotlib Axes
        The inputs' axes (row 0) above their reconstructions' (row 1).
    figure_ : matplotlib Figure
        The figure holding ``axes_``.

    See Also
    --------
    plot_reconstructions : The shortcut that builds and draws this display.
    SampleDisplay : Images a VAE draws from its prior.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> from sk_metricembed.plotting import ReconstructionDisplay
    >>> inputs = np.random.default_rng(0).uniform(size=(3, 16))
    >>> display = ReconstructionDisplay(inputs, inputs.clip(0.2, 0.8)).plot()
    >>> display.axes_.shape, display.axes_[1, 0].get_ylabel()
    ((2, 3), 'decoded')
    >>> plt.close("all")
    """

    def __init__(self, inputs, reconstructions, *, image_shape=None) -> None:
        self.inputs = inputs
        self.reconstructions = reconstructions
        self.image_shape = image_shape

    @validate_params(_DRAW_PARAMETERS, prefer_skip_nested_validation=True)
    def plot(self, axes=None, *, cmap="gray_r") -> ReconstructionDisplay:
        """Draw the inputs above their reconstructions, on one grey scale.

        Parameters
        ----------
        axes : array-like of matplotlib Axes, default=None
            ``2 * n_images`` axes, read row by row: the inputs' first, then
            the reconstructions'. A new figure when None.
        cmap : str or matplotlib Colormap, default="gray_r"
            Colour map of grey images (dark ink on white for digits).

        Returns
        -------
        display : ReconstructionDisplay
            This display, with ``axes_`` and ``figure_`` set.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> import numpy as np
        >>> from sk_metricembed.plotting import ReconstructionDisplay
        >>> display = ReconstructionDisplay(np.eye(4), np.eye(4) / 2)
        >>> fig, axes = plt.subplots(2, 4)
        >>> display.plot(axes, cmap="viridis").figure_ is fig
        True
        >>> plt.close("all")
        """
        inputs = check_array(self.inputs, input_name="inputs")
        reconstructions = check_array(
            self.reconstructions, input_name="reconstructions"
        )
        if reconstructions.shape != inputs.shape:
            raise ValueError(
                f"reconstructions must have the shape of inputs {inputs.shape}, "
                f"got {reconstructions.shape}."
            )
        shape = resolve_image_shape(self.image_shape, inputs.shape[1], square=True)
        n_images = inputs.shape[0]
        if axes is None:
            axes = _new_grid(2, n_images, 2 * n_images)
        axes = axes_grid(
            axes,
            (2, n_images),
            holds=f"{n_images} inputs above their {n_images} reconstructions",
        )
        _draw_images(np.concatenate([inputs, reconstructions]), axes.flat, shape, cmap)
        axes[0, 0].set_ylabel("input")
        axes[1, 0].set_ylabel("decoded")
        self.axes_ = axes
        self.figure_ = axes[0, 0].figure
        return self

    @classmethod
    @validate_params(
        {"estimator": [_AUTOENCODER], **_RECONSTRUCTION_PARAMETERS, **_DRAW_PARAMETERS},
        prefer_skip_nested_validation=True,
    )
    def from_estimator(
        cls,
        estimator,
        X,
        *,
        n_images: int = 10,
        image_shape=None,
        axes=None,
        cmap="gray_r",
    ) -> ReconstructionDisplay:
        """Embed rows (``transform``), decode them (``inverse_transform``), draw.

        Parameters
        ----------
        estimator : fitted SiameseAutoencoderEmbedder or TripletVAEEmbedder
            Must have been fitted with ``weight < 1`` for the decoder to have
            been trained. Any estimator with ``transform`` and
            ``inverse_transform`` will do.
        X : array-like of shape (n_samples, n_features)
            Rows of flattened images; the first ``n_images`` are drawn.
        n_images : int, default=10
            Number of columns.
        image_shape : tuple of int, default=None
            ``(height, width[, channels])``; defaults to the estimator's
            ``image_shape``, else to a square.
        axes : array-like of matplotlib Axes, default=None
            ``2 * n_images`` axes, read row by row; a new figure when None.
        cmap : str or matplotlib Colormap, default="gray_r"
            Colour map of grey images (dark ink on white for digits).

        Returns
        -------
        display : ReconstructionDisplay
            The drawn display.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> from sklearn.datasets import load_digits
        >>> from sklearn.decomposition import PCA
        >>> from sk_metricembed.plotting import ReconstructionDisplay
        >>> X, _ = load_digits(return_X_y=True)
        >>> pca = PCA(n_components=10).fit(X)
        >>> display = ReconstructionDisplay.from_estimator(pca, X, n_images=4)
        >>> display.image_shape, display.axes_.shape
        ((8, 8), (2, 4))
        >>> plt.close("all")
        """
        # The first rows only are checked, and densified when X is sparse.
        X = check_array(X[:n_images], accept_sparse="csr", input_name="X")
        X = X.toarray() if hasattr(X, "toarray") else X
        shape = _image_shape(estimator, X.shape[1], image_shape)
        reconstructions = estimator.inverse_transform(estimator.transform(X))
        display = cls(X, reconstructions, image_shape=shape)
        return display.plot(axes, cmap=cmap)


class SampleDisplay:
    """A grid of images a VAE generated from its prior.

    Build it with :meth:`from_estimator` (draws from ``estimator.sample``);
    :func:`plot_samples` is the shortcut. All parameters are stored as
    attributes.

    Parameters
    ----------
    samples : array-like of shape (n_samples, n_features)
        Rows of flattened images.
    image_shape : tuple of int, default=None
        ``(height, width[, channels])`` of one image; None for square grey
        images.

    Attributes
    ----------
    axes_ : ndarray of shape (n_samples,) of matplotlib Axes
        One per image, in reading order (a new figure's spare cells, after
        the last image, are removed).
    figure_ : matplotlib Figure
        The figure holding ``axes_``.

    See Also
    --------
    plot_samples : The shortcut that builds and draws this display.
    ReconstructionDisplay : Images against their reconstructions.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> from sk_metricembed.plotting import SampleDisplay
    >>> samples = np.random.default_rng(0).uniform(size=(5, 16))
    >>> display = SampleDisplay(samples).plot()
    >>> display.axes_.shape, len(display.figure_.axes)
    ((5,), 5)
    >>> plt.close("all")
    """

    def __init__(self, samples, *, image_shape=None) -> None:
        self.samples = samples
        self.image_shape = image_shape

    @validate_params(_DRAW_PARAMETERS, prefer_skip_nested_validation=True)
    def plot(self, axes=None, *, cmap="gray_r") -> SampleDisplay:
        """Draw the images in a square-ish grid, on one grey scale.

        Parameters
        ----------
        axes : array-like of matplotlib Axes, default=None
            ``n_samples`` axes, read row by row; a new figure when None.
        cmap : str or matplotlib Colormap, default="gray_r"
            Colour map of grey images.

        Returns
        -------
        display : SampleDisplay
            This display, with ``axes_`` and ``figure_`` set.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> import numpy as np
        >>> from sk_metricembed.plotting import SampleDisplay
        >>> display = SampleDisplay(np.eye(4))
        >>> fig, axes = plt.subplots(1, 4)
        >>> display.plot(axes).axes_[3] is axes[3]
        True
        >>> plt.close("all")
        """
        samples = check_array(self.samples, input_name="samples")
        shape = resolve_image_shape(self.image_shape, samples.shape[1], square=True)
        n_samples = samples.shape[0]
        if axes is None:
            n_columns = math.ceil(math.sqrt(n_samples))
            axes = _new_grid(math.ceil(n_samples / n_columns), n_columns, n_samples)
        axes = axes_grid(axes, (n_samples,), holds=f"one per sample of {n_samples}")
        _draw_images(samples, axes, shape, cmap)
        self.axes_ = axes
        self.figure_ = axes[0].figure
        return self

    @classmethod
    @validate_params(
        {"estimator": [_SAMPLER], **_SAMPLE_PARAMETERS, **_DRAW_PARAMETERS},
        prefer_skip_nested_validation=True,
    )
    def from_estimator(
        cls,
        estimator,
        *,
        n_samples: int = 25,
        image_shape=None,
        random_state=None,
        axes=None,
        cmap="gray_r",
    ) -> SampleDisplay:
        """Draw images from a VAE's prior (``estimator.sample``).

        Parameters
        ----------
        estimator : fitted embedder with ``variational=True``
            The VAE to sample from.
        n_samples : int, default=25
            Number of images, laid out in a square-ish grid.
        image_shape : tuple of int, default=None
            ``(height, width[, channels])``; defaults to the estimator's
            ``image_shape``, else to a square.
        random_state : int, RandomState instance or None, default=None
            Seed of the prior draw.
        axes : array-like of matplotlib Axes, default=None
            ``n_samples`` axes, read row by row; a new figure when None.
        cmap : str or matplotlib Colormap, default="gray_r"
            Colour map of grey images.

        Returns
        -------
        display : SampleDisplay
            The drawn display.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> from sklearn.datasets import load_digits
        >>> from sk_metricembed import TripletVAEEmbedder
        >>> from sk_metricembed.plotting import SampleDisplay
        >>> X, _ = load_digits(return_X_y=True)
        >>> embedder = TripletVAEEmbedder(
        ...     latent_dim=2, weight=0.0, max_epochs=2, random_state=0
        ... ).fit(X[:200] / 16.0)
        >>> display = SampleDisplay.from_estimator(embedder, n_samples=6)
        >>> display.samples.shape, display.image_shape
        ((6, 64), (8, 8))
        >>> plt.close("all")
        """
        samples = estimator.sample(n_samples, random_state=random_state)
        shape = _image_shape(estimator, samples.shape[1], image_shape)
        return cls(samples, image_shape=shape).plot(axes, cmap=cmap)


@validate_params(
    {"embedder": [_AUTOENCODER], **_RECONSTRUCTION_PARAMETERS, **_CMAP},
    prefer_skip_nested_validation=True,
)
def plot_reconstructions(
    embedder, X, *, n_images: int = 10, image_shape=None, cmap="gray_r"
) -> ReconstructionDisplay:
    """Images against their reconstructions: inputs on top, decoded below.

    The shortcut of :meth:`ReconstructionDisplay.from_estimator`: each input
    is embedded (``transform``) and decoded back (``inverse_transform``), as
    in figure 3 of the TVAE paper.

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
    display : ReconstructionDisplay
        The drawn display: ``display.figure_`` holds two rows of
        ``n_images`` axes, ``display.axes_``.

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
    >>> display = plot_reconstructions(embedder, X, n_images=5)
    >>> len(display.figure_.axes)
    10
    >>> plt.close("all")
    """
    return ReconstructionDisplay.from_estimator(
        embedder, X, n_images=n_images, image_shape=image_shape, cmap=cmap
    )


@validate_params(
    {"embedder": [_SAMPLER], **_SAMPLE_PARAMETERS, **_CMAP},
    prefer_skip_nested_validation=True,
)
def plot_samples(
    embedder,
    *,
    n_samples: int = 25,
    image_shape=None,
    cmap="gray_r",
    random_state=None,
) -> SampleDisplay:
    """A grid of images a VAE generates from its prior (``embedder.sample``).

    The shortcut of :meth:`SampleDisplay.from_estimator`.

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
    display : SampleDisplay
        The drawn display: ``display.axes_`` holds one axes per image,
        ``display.figure_`` the figure.

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
    >>> display = plot_samples(embedder, n_samples=6, random_state=0)
    >>> len(display.figure_.axes)
    6
    >>> plt.close("all")
    """
    return SampleDisplay.from_estimator(
        embedder,
        n_samples=n_samples,
        image_shape=image_shape,
        random_state=random_state,
        cmap=cmap,
    )


def _image_shape(estimator, n_features: int, image_shape) -> tuple[int, ...]:
    """The given shape, else the estimator's, else a square."""
    if image_shape is None:
        image_shape = getattr(estimator, "image_shape", None)
    return resolve_image_shape(image_shape, n_features, square=True)


def _new_grid(n_rows: int, n_columns: int, n_images: int) -> np.ndarray:
    """The first ``n_images`` axes of a new grid (read row by row); the
    spare cells after them are removed."""
    plt = pyplot()
    fig, grid = plt.subplots(
        n_rows,
        n_columns,
        figsize=(1.0 * n_columns, 1.0 * n_rows + 0.2),
        squeeze=False,
    )
    for ax in grid.flat[n_images:]:
        ax.remove()
    fig.subplots_adjust(wspace=0.05, hspace=0.05)
    return grid.flat[:n_images]


def _draw_images(images: np.ndarray, axes, shape: tuple[int, ...], cmap) -> None:
    """Each row of ``images`` into its axes, all on one scale, so that the
    grey levels of two images compare."""
    low, high = float(np.min(images)), float(np.max(images))
    for image, ax in zip(images, axes):
        scaled = np.clip((image - low) / max(high - low, 1e-12), 0, 1)
        ax.imshow(scaled.reshape(shape), cmap=cmap if len(shape) == 2 else None)
        ax.set_xticks([])
        ax.set_yticks([])
