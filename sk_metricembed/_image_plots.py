"""Image figures of an embedder: reconstructions and VAE samples.

Re-exported by :mod:`sk_metricembed.plotting`; matplotlib is imported only
when a function is called.
"""

from __future__ import annotations

import math

import numpy as np
from sklearn.utils import check_array


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as error:  # pragma: no cover - depends on the install
        raise ImportError(
            "plotting needs matplotlib: pip install 'sk-metricembed[plot]'."
        ) from error
    return plt


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
    cmap : str, default="gray_r"
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
    cmap : str, default="gray_r"
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
    shape = image_shape or getattr(embedder, "image_shape", None)
    if shape is None:
        side = math.isqrt(n_features)
        if side * side != n_features:
            raise ValueError(
                f"rows of {n_features} features are not square images; pass "
                "image_shape=(height, width[, channels])."
            )
        shape = (side, side)
    if int(np.prod(shape)) != n_features:
        raise ValueError(
            f"image_shape={tuple(shape)} holds {int(np.prod(shape))} values but "
            f"rows have {n_features} features."
        )
    return tuple(shape)


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
