"""The scatter of an embedding, coloured by class, drawn with matplotlib.

It draws the points, labels and projection of :mod:`._points`, as the plotly
scatter (:mod:`._interactive`) does.
"""

from __future__ import annotations

from numbers import Real

import numpy as np
from sklearn.utils import check_array

from .._sklearn_compat import Interval, validate_params
from ._matplotlib import AXES, pyplot
from ._points import (
    _DATA_PARAMETERS,
    _EMBEDDING,
    _ESTIMATOR,
    _TITLE,
    _UNLABELED_COLOR,
    _axis_labels,
    class_name,
    label_codes,
    project_embedding,
)

#: How the matplotlib scatter is drawn, besides its title.
_DRAW_PARAMETERS = {
    "ax": [AXES, None],
    "point_size": [Interval(Real, 0, None, closed="neither"), None],
    "legend": ["boolean"],
}


class EmbeddingDisplay:
    """Scatter of an embedding coloured by class, unlabelled rows (-1) in grey.

    Build it with :meth:`from_estimator` (embeds ``X``) or
    :meth:`from_embedding` (an embedding at hand), which project embeddings
    of more than two dimensions and draw; :func:`plot_embedding` is the
    shortcut for the latter. All parameters are stored as attributes;
    :meth:`plot` draws them again, into other axes or with other settings.

    Parameters
    ----------
    points : array-like of shape (n_samples, 2)
        The coordinates drawn: the embedding itself or its projection.
    y : array-like of shape (n_samples,), default=None
        Labels of any kind the embedders take; -1, None or NaN for
        unlabelled rows (drawn in grey, underneath). None draws every row in
        one colour.
    class_names : sequence of str or dict, default=None
        Legend names: indexed by label (a sequence) or keyed by it (a dict).
        Defaults to the labels themselves.
    projection : {"none", "bands", "pca", "tsne"}, default="none"
        How ``points`` came from the embedding, which the axis labels say:
        the embedding itself, a one-dimensional embedding along x with the
        classes on jittered horizontal bands, its PCA or its t-SNE.

    Attributes
    ----------
    scatters_ : list of matplotlib PathCollection
        One per class in the order of the sorted labels, after the
        unlabelled rows' when there are any.
    ax_ : matplotlib Axes
        The axes drawn on.
    figure_ : matplotlib Figure
        The figure holding ``ax_``.

    See Also
    --------
    plot_embedding : The shortcut that builds and draws this display.
    InteractiveEmbeddingDisplay : The same scatter in plotly, with hover text.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> from sk_metricembed.plotting import EmbeddingDisplay
    >>> points = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 0.5], [3.0, 1.5]])
    >>> display = EmbeddingDisplay(points, [0, 0, 1, -1], class_names=["a", "b"])
    >>> display = display.plot(title="four rows")
    >>> [text.get_text() for text in display.ax_.get_legend().get_texts()]
    ['unlabeled', 'a', 'b']
    >>> display.figure_ is display.ax_.figure
    True
    >>> plt.close("all")
    """

    def __init__(
        self, points, y=None, *, class_names=None, projection: str = "none"
    ) -> None:
        self.points = points
        self.y = y
        self.class_names = class_names
        self.projection = projection

    @validate_params({**_TITLE, **_DRAW_PARAMETERS}, prefer_skip_nested_validation=True)
    def plot(
        self,
        ax=None,
        *,
        title: str | None = None,
        point_size: float | None = None,
        legend: bool = True,
    ) -> EmbeddingDisplay:
        """Draw the scatter.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Where to draw; a new figure when None.
        title : str, default=None
            Axes title. The axis labels say which projection was used.
        point_size : float, default=None
            Marker area, > 0; by default it shrinks as the number of rows
            grows. Labelled rows are drawn larger among unlabelled ones.
        legend : bool, default=True
            Draw the legend (right of the axes, up to 20 classes); False for
            subplot grids, where legends would overlap the next panel.

        Returns
        -------
        display : EmbeddingDisplay
            This display, with ``ax_``, ``figure_`` and ``scatters_`` set.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> import numpy as np
        >>> from sk_metricembed.plotting import EmbeddingDisplay
        >>> display = EmbeddingDisplay(np.eye(2), [0, 1])
        >>> fig, (left, right) = plt.subplots(1, 2)
        >>> display.plot(left, legend=False).plot(right).ax_ is right
        True
        >>> plt.close("all")
        """
        plt = pyplot()
        points = check_array(self.points, input_name="points")
        if points.shape[1] != 2:
            raise ValueError(
                f"points must have two columns (x, y), got {points.shape[1]}; "
                "EmbeddingDisplay.from_embedding projects an embedding to two."
            )
        axis_labels = _axis_labels(self.projection)
        codes, classes = label_codes(self.y, points.shape[0], "points")
        # Named before any figure exists: a bad class_names opens none.
        names = [class_name(label, self.class_names) for label in classes]
        unlabeled = codes == -1
        if ax is None:
            # Constrained layout keeps the legend, right of the axes, inside
            # the figure when it is saved.
            _, ax = plt.subplots(figsize=(6, 5), layout="constrained")
        size = point_size
        if size is None:
            size = float(np.clip(4000 / max(points.shape[0], 1), 2, 40))
        self.scatters_ = []
        if unlabeled.any():
            self.scatters_.append(
                ax.scatter(
                    *points[unlabeled].T,
                    s=size,
                    c=_UNLABELED_COLOR,
                    alpha=0.5,
                    linewidths=0,
                    label="unlabeled",
                )
            )
        # Among many grey rows, the few labelled ones must stand out.
        labeled_size = min(3 * size, 40.0) if unlabeled.any() else size
        for code, (color, name) in enumerate(zip(class_colors(len(classes)), names)):
            self.scatters_.append(
                ax.scatter(
                    *points[codes == code].T,
                    s=labeled_size,
                    color=color,
                    alpha=0.8,
                    linewidths=0,
                    label=name,
                )
            )
        ax.set_xlabel(axis_labels[0])
        ax.set_ylabel(axis_labels[1])
        if self.projection == "bands":
            ax.set_yticks([])
        if title is not None:
            ax.set_title(title)
        if legend and self.y is not None and len(classes) <= 20:
            drawn = ax.legend(
                loc="center left",
                bbox_to_anchor=(1.0, 0.5),
                frameon=False,
                markerscale=max(1.0, 30 / size) ** 0.5,
                ncols=1 if len(classes) <= 10 else 2,
            )
            for handle in drawn.legend_handles:
                handle.set_alpha(1.0)
        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    @classmethod
    @validate_params(
        {**_EMBEDDING, **_DATA_PARAMETERS, **_DRAW_PARAMETERS},
        prefer_skip_nested_validation=True,
    )
    def from_embedding(
        cls,
        X_embedded,
        y=None,
        *,
        method: str = "pca",
        class_names=None,
        random_state=0,
        ax=None,
        title: str | None = None,
        point_size: float | None = None,
        legend: bool = True,
    ) -> EmbeddingDisplay:
        """Draw an embedding, projected to two dimensions above two.

        Embeddings of more than two dimensions are projected first: PCA by
        default (linear, so distances along the axes stay readable), t-SNE
        on request (``method="tsne"``; separates clusters better, but
        distances between clusters then mean little). A one-dimensional
        embedding is drawn along the x axis with the classes spread out
        vertically.

        Parameters
        ----------
        X_embedded : array-like of shape (n_samples, n_components)
            The embedding, e.g. the output of an embedder's ``transform``.
        y : array-like of shape (n_samples,), default=None
            Labels of any kind the embedders take; -1, None or NaN for
            unlabelled rows. None draws every row in one colour.
        method : {"pca", "tsne"}, default="pca"
            Projection used above two dimensions.
        class_names : sequence of str or dict, default=None
            Legend names: indexed by label (a sequence) or keyed by it (a
            dict). Defaults to the labels themselves.
        random_state : int, RandomState instance or None, default=0
            Seed of the t-SNE projection.
        ax : matplotlib Axes, default=None
            Where to draw; a new figure when None.
        title : str, default=None
            Axes title.
        point_size : float, default=None
            Marker area, > 0; by default it shrinks as the number of rows
            grows.
        legend : bool, default=True
            Draw the legend (up to 20 classes).

        Returns
        -------
        display : EmbeddingDisplay
            The drawn display.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> import numpy as np
        >>> from sk_metricembed.plotting import EmbeddingDisplay
        >>> Z = np.random.default_rng(0).normal(size=(60, 5))
        >>> display = EmbeddingDisplay.from_embedding(Z, np.repeat([0, 1, -1], 20))
        >>> display.projection, display.points.shape, display.ax_.get_xlabel()
        ('pca', (60, 2), 'PC 1')
        >>> plt.close("all")
        """
        points, projection = project_embedding(X_embedded, y, method, random_state)
        display = cls(points, y, class_names=class_names, projection=projection)
        return display.plot(ax, title=title, point_size=point_size, legend=legend)

    @classmethod
    @validate_params(
        {**_ESTIMATOR, **_DATA_PARAMETERS, **_DRAW_PARAMETERS},
        prefer_skip_nested_validation=True,
    )
    def from_estimator(
        cls,
        estimator,
        X,
        y=None,
        *,
        method: str = "pca",
        class_names=None,
        random_state=0,
        ax=None,
        title: str | None = None,
        point_size: float | None = None,
        legend: bool = True,
    ) -> EmbeddingDisplay:
        """Embed ``X`` with a fitted estimator's ``transform`` and draw it.

        Parameters
        ----------
        estimator : fitted estimator with ``transform``
            An embedder, or a pipeline ending in one.
        X : array-like of shape (n_samples, n_features)
            The rows to embed.
        y : array-like of shape (n_samples,), default=None
            Their labels; -1, None or NaN for unlabelled rows.
        method : {"pca", "tsne"}, default="pca"
            Projection used above two dimensions.
        class_names : sequence of str or dict, default=None
            Legend names, indexed or keyed by label.
        random_state : int, RandomState instance or None, default=0
            Seed of the t-SNE projection.
        ax : matplotlib Axes, default=None
            Where to draw; a new figure when None.
        title : str, default=None
            Axes title.
        point_size : float, default=None
            Marker area, > 0; by default it shrinks as the number of rows
            grows.
        legend : bool, default=True
            Draw the legend (up to 20 classes).

        Returns
        -------
        display : EmbeddingDisplay
            The drawn display.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> from sklearn.datasets import load_digits
        >>> from sklearn.decomposition import PCA
        >>> from sk_metricembed.plotting import EmbeddingDisplay
        >>> X, y = load_digits(return_X_y=True)
        >>> pca = PCA(n_components=2).fit(X)
        >>> display = EmbeddingDisplay.from_estimator(pca, X[:100], y[:100])
        >>> len(display.scatters_), display.ax_.get_xlabel()
        (10, 'z 1')
        >>> plt.close("all")
        """
        return cls.from_embedding(
            estimator.transform(X),
            y,
            method=method,
            class_names=class_names,
            random_state=random_state,
            ax=ax,
            title=title,
            point_size=point_size,
            legend=legend,
        )


@validate_params(
    {**_EMBEDDING, **_DATA_PARAMETERS, **_DRAW_PARAMETERS},
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
) -> EmbeddingDisplay:
    """Scatter an embedding coloured by class, unlabelled rows (-1) in grey.

    The shortcut of :meth:`EmbeddingDisplay.from_embedding`. Embeddings of
    more than two dimensions are projected to two first: PCA by default
    (linear, so distances along the axes stay readable), t-SNE on request
    (``method="tsne"``; separates clusters better, but distances between
    clusters then mean little). A one-dimensional embedding is drawn along
    the x axis with the classes spread out vertically.

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
    display : EmbeddingDisplay
        The drawn display: ``display.ax_`` is the axes drawn on (the legend
        has one entry per class, plus "unlabeled" when there are -1 rows),
        ``display.figure_`` their figure.

    See Also
    --------
    EmbeddingDisplay.from_estimator : Embed rows with an estimator and draw.
    plot_embedding_interactive : The same scatter in plotly.

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
    >>> display = plot_embedding(Z, y, class_names=["zero", "one"])
    >>> display.ax_.get_xlabel()
    'PC 1'
    >>> [text.get_text() for text in display.ax_.get_legend().get_texts()]
    ['unlabeled', 'zero', 'one']
    >>> plt.close("all")
    """
    return EmbeddingDisplay.from_embedding(
        X_embedded,
        y,
        method=method,
        class_names=class_names,
        random_state=random_state,
        ax=ax,
        title=title,
        point_size=point_size,
        legend=legend,
    )


def class_colors(n_classes: int) -> list:
    """Class colours for matplotlib: tab10, tab20, then turbo."""
    plt = pyplot()
    if n_classes <= 10:
        return [plt.get_cmap("tab10")(i) for i in range(n_classes)]
    if n_classes <= 20:
        return [plt.get_cmap("tab20")(i) for i in range(n_classes)]
    cmap = plt.get_cmap("turbo")
    return [cmap(i / max(n_classes - 1, 1)) for i in range(n_classes)]
