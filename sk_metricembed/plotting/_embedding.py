"""The scatter of an embedding, coloured by class: matplotlib's and plotly's.

Both draw the same points (the embedding, or its projection to two
dimensions) from the same validated parameters; they differ in the library
that draws them and in what a reader can do with the picture.
"""

from __future__ import annotations

from numbers import Real

import numpy as np
from sklearn.decomposition import PCA
from sklearn.utils import check_array

from .._sklearn_compat import HasMethods, Interval, StrOptions, validate_params
from .._validation import is_unlabeled
from ._matplotlib import AXES, pyplot

_UNLABELED_COLOR = "0.75"
_UNLABELED_PLOTLY_COLOR = "rgb(191, 191, 191)"  # the same grey

#: How the drawn points come from the embedding, and the axis labels that
#: say so: the embedding itself (two dimensions), a one-dimensional one
#: along x with the classes on jittered bands, or a projection.
_AXIS_LABELS = {
    "none": ("z 1", "z 2"),
    "bands": ("z 1", ""),
    "pca": ("PC 1", "PC 2"),
    "tsne": ("t-SNE 1", "t-SNE 2"),
}

#: Legend names: indexed by label (a sequence) or keyed by it (a dict).
CLASS_NAMES = ["array-like", dict, None]

#: What both scatters take of an embedding and its labels, and their title.
_DATA_PARAMETERS = {
    "y": ["array-like", None],
    "method": [StrOptions({"pca", "tsne"})],
    "class_names": CLASS_NAMES,
    "random_state": ["random_state"],
    "title": [str, None],
}
_TITLE = {"title": _DATA_PARAMETERS["title"]}
#: How the matplotlib scatter is drawn, besides its title.
_DRAW_PARAMETERS = {
    "ax": [AXES, None],
    "point_size": [Interval(Real, 0, None, closed="neither"), None],
    "legend": ["boolean"],
}
_EMBEDDING = {"X_embedded": ["array-like"]}
_ESTIMATOR = {"estimator": [HasMethods(["transform"])], "X": ["array-like"]}
_HOVER = {"hover": ["array-like", None]}


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
        unlabeled = codes == -1
        if ax is None:
            _, ax = plt.subplots(figsize=(6, 5))
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
        for code, (color, label) in enumerate(zip(class_colors(len(classes)), classes)):
            self.scatters_.append(
                ax.scatter(
                    *points[codes == code].T,
                    s=labeled_size,
                    color=color,
                    alpha=0.8,
                    linewidths=0,
                    label=class_name(label, self.class_names),
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


class InteractiveEmbeddingDisplay:
    """An interactive scatter of an embedding: hover a point to see its row.

    The picture of :class:`EmbeddingDisplay` (classes in colour, unlabelled
    rows in grey) drawn with plotly, so that in a notebook each point shows,
    under the pointer, its row number, its label and its ``hover`` text (a
    file name, a caption); the legend toggles classes and the view zooms.
    Needs plotly (``pip install "sk-metricembed[interactive]"``).

    The display shows itself in a notebook as its plotly figure does;
    :meth:`show` opens it elsewhere and ``figure_.write_html(path)`` saves
    it. Build it with :meth:`from_estimator` or :meth:`from_embedding`;
    :func:`plot_embedding_interactive` is the shortcut for the latter.

    Parameters
    ----------
    points : array-like of shape (n_samples, 2)
        The coordinates drawn: the embedding itself or its projection.
    y : array-like of shape (n_samples,), default=None
        Labels of any kind the embedders take; -1, None or NaN for
        unlabelled rows. None draws every row in one colour.
    hover : array-like of shape (n_samples,), default=None
        Text shown for each row besides its number and label.
    class_names : sequence of str or dict, default=None
        Legend names: indexed by label (a sequence) or keyed by it (a dict).
    projection : {"none", "bands", "pca", "tsne"}, default="none"
        How ``points`` came from the embedding, which the axis titles say.

    Attributes
    ----------
    figure_ : plotly.graph_objects.Figure
        One trace per class (after one for the unlabelled rows, when there
        are any).

    See Also
    --------
    plot_embedding_interactive : The shortcut that builds this display.
    EmbeddingDisplay : The same scatter in matplotlib.

    Examples
    --------
    >>> import numpy as np
    >>> from sk_metricembed.plotting import InteractiveEmbeddingDisplay
    >>> points = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 0.5]])
    >>> display = InteractiveEmbeddingDisplay(
    ...     points, ["cat", "dog", None], hover=["a.png", "b.png", "c.png"]
    ... ).plot(title="three rows")
    >>> [trace.name for trace in display.figure_.data]
    ['unlabeled', 'cat', 'dog']
    """

    def __init__(
        self,
        points,
        y=None,
        *,
        hover=None,
        class_names=None,
        projection: str = "none",
    ) -> None:
        self.points = points
        self.y = y
        self.hover = hover
        self.class_names = class_names
        self.projection = projection

    @validate_params(_TITLE, prefer_skip_nested_validation=True)
    def plot(self, *, title: str | None = None) -> InteractiveEmbeddingDisplay:
        """Draw the scatter as a plotly figure.

        Parameters
        ----------
        title : str, default=None
            Figure title.

        Returns
        -------
        display : InteractiveEmbeddingDisplay
            This display, with ``figure_`` set.

        Examples
        --------
        >>> import numpy as np
        >>> from sk_metricembed.plotting import InteractiveEmbeddingDisplay
        >>> display = InteractiveEmbeddingDisplay(np.eye(2), [0, 1])
        >>> display.plot(title="two rows").figure_.layout.title.text
        'two rows'
        """
        try:
            import plotly.graph_objects as go
        except ImportError as error:  # pragma: no cover - depends on the install
            raise ImportError(
                "the interactive scatter needs plotly: pip install "
                "'sk-metricembed[interactive]'."
            ) from error
        points = check_array(self.points, input_name="points")
        axis_labels = _axis_labels(self.projection)
        codes, classes = label_codes(self.y, points.shape[0], "points")
        texts = _hover_texts(self.hover, points.shape[0], "points")
        figure = go.Figure()
        groups = [(-1, "unlabeled")] if (codes == -1).any() else []
        groups += [
            (code, class_name(label, self.class_names))
            for code, label in enumerate(classes)
        ]
        colors = _plotly_colors(len(classes))
        for code, name in groups:
            rows = np.flatnonzero(codes == code)
            color = _UNLABELED_PLOTLY_COLOR if code == -1 else colors[code]
            customdata = np.stack(
                [rows, texts[rows] if texts is not None else np.full(rows.size, "")],
                axis=1,
            )
            figure.add_trace(
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
        figure.update_layout(
            title=title,
            xaxis_title=axis_labels[0],
            yaxis_title=axis_labels[1],
            legend_title_text="class",
            template="simple_white",
        )
        self.figure_ = figure
        return self

    def show(self, **kwargs) -> None:
        """Show the figure (plotly's ``Figure.show``): in a browser, or inline.

        Parameters
        ----------
        **kwargs
            Passed to :meth:`plotly.graph_objects.Figure.show`, e.g.
            ``renderer="browser"``.

        Examples
        --------
        >>> import numpy as np
        >>> from sk_metricembed.plotting import InteractiveEmbeddingDisplay
        >>> display = InteractiveEmbeddingDisplay(np.eye(2)).plot()
        >>> display.show(renderer="json")  # doctest: +SKIP
        """
        self._figure().show(**kwargs)

    def _repr_html_(self) -> str:
        return self._figure()._repr_html_()

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs) -> dict:
        # Jupyter asks for this first: the display renders as its figure does.
        return self._figure()._repr_mimebundle_(include, exclude, **kwargs)

    def _figure(self):
        if not hasattr(self, "figure_"):
            self.plot()
        return self.figure_

    @classmethod
    @validate_params(
        {**_EMBEDDING, **_HOVER, **_DATA_PARAMETERS}, prefer_skip_nested_validation=True
    )
    def from_embedding(
        cls,
        X_embedded,
        y=None,
        *,
        hover=None,
        method: str = "pca",
        class_names=None,
        random_state=0,
        title: str | None = None,
    ) -> InteractiveEmbeddingDisplay:
        """Draw an embedding, projected to two dimensions above two.

        The projection is :meth:`EmbeddingDisplay.from_embedding`'s.

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
        random_state : int, RandomState instance or None, default=0
            Seed of the t-SNE projection.
        title : str, default=None
            Figure title.

        Returns
        -------
        display : InteractiveEmbeddingDisplay
            The drawn display.

        Examples
        --------
        >>> import numpy as np
        >>> from sk_metricembed.plotting import InteractiveEmbeddingDisplay
        >>> Z = np.random.RandomState(0).normal(size=(30, 4))
        >>> display = InteractiveEmbeddingDisplay.from_embedding(
        ...     Z, np.repeat([0, 1, 2], 10), class_names=["a", "b", "c"]
        ... )
        >>> [trace.name for trace in display.figure_.data]
        ['a', 'b', 'c']
        >>> display.figure_.layout.xaxis.title.text
        'PC 1'
        """
        Z = check_array(X_embedded, input_name="X_embedded")
        _hover_texts(hover, Z.shape[0], "X_embedded")  # before a t-SNE
        points, projection = project_embedding(Z, y, method, random_state)
        display = cls(
            points, y, hover=hover, class_names=class_names, projection=projection
        )
        return display.plot(title=title)

    @classmethod
    @validate_params(
        {**_ESTIMATOR, **_HOVER, **_DATA_PARAMETERS}, prefer_skip_nested_validation=True
    )
    def from_estimator(
        cls,
        estimator,
        X,
        y=None,
        *,
        hover=None,
        method: str = "pca",
        class_names=None,
        random_state=0,
        title: str | None = None,
    ) -> InteractiveEmbeddingDisplay:
        """Embed ``X`` with a fitted estimator's ``transform`` and draw it.

        Parameters
        ----------
        estimator : fitted estimator with ``transform``
            An embedder, or a pipeline ending in one.
        X : array-like of shape (n_samples, n_features)
            The rows to embed.
        y : array-like of shape (n_samples,), default=None
            Their labels; -1, None or NaN for unlabelled rows.
        hover : array-like of shape (n_samples,), default=None
            Text shown for each row besides its number and label.
        method : {"pca", "tsne"}, default="pca"
            Projection used above two dimensions.
        class_names : sequence or dict, default=None
            Display names for the labels (indexed or keyed by label).
        random_state : int, RandomState instance or None, default=0
            Seed of the t-SNE projection.
        title : str, default=None
            Figure title.

        Returns
        -------
        display : InteractiveEmbeddingDisplay
            The drawn display.

        Examples
        --------
        >>> from sklearn.datasets import load_digits
        >>> from sklearn.decomposition import PCA
        >>> from sk_metricembed.plotting import InteractiveEmbeddingDisplay
        >>> X, y = load_digits(return_X_y=True)
        >>> pca = PCA(n_components=3).fit(X)
        >>> display = InteractiveEmbeddingDisplay.from_estimator(
        ...     pca, X[:50], y[:50], hover=[f"digit {i}" for i in range(50)]
        ... )
        >>> len(display.figure_.data)
        10
        """
        return cls.from_embedding(
            estimator.transform(X),
            y,
            hover=hover,
            method=method,
            class_names=class_names,
            random_state=random_state,
            title=title,
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


@validate_params(
    {**_EMBEDDING, **_HOVER, **_DATA_PARAMETERS}, prefer_skip_nested_validation=True
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
) -> InteractiveEmbeddingDisplay:
    """An interactive scatter of an embedding: hover a point to see its row.

    The shortcut of :meth:`InteractiveEmbeddingDisplay.from_embedding`: the
    picture of :func:`plot_embedding` (classes in colour, unlabelled rows in
    grey, projected to two dimensions above two), drawn with plotly, so that
    in a notebook each point shows, under the pointer, its row number, its
    label and ``hover`` (a file name, a caption, a short text of the row);
    the legend toggles classes and the view zooms. Needs plotly
    (``pip install "sk-metricembed[interactive]"``).

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
    display : InteractiveEmbeddingDisplay
        It shows itself in a notebook; ``display.figure_`` is the plotly
        figure (one trace per class, and one for the unlabelled rows), to
        save with ``display.figure_.write_html(path)``.

    Examples
    --------
    >>> import numpy as np
    >>> from sk_metricembed import plot_embedding_interactive
    >>> Z = np.random.RandomState(0).normal(size=(60, 2))
    >>> y = np.repeat([0, 1, -1], 20)
    >>> display = plot_embedding_interactive(
    ...     Z, y, hover=[f"row {i}" for i in range(60)]
    ... )
    >>> [trace.name for trace in display.figure_.data]
    ['unlabeled', '0', '1']
    """
    return InteractiveEmbeddingDisplay.from_embedding(
        X_embedded,
        y,
        hover=hover,
        method=method,
        class_names=class_names,
        random_state=random_state,
        title=title,
    )


def label_codes(y, n_rows: int, rows_name: str) -> tuple[np.ndarray, np.ndarray]:
    """Each row's class code and the classes (the sorted labels).

    Codes index ``classes``, -1 for unlabelled rows, so that labels of any
    kind (text, None) draw alike; ``y=None`` is one class. ``rows_name``
    names what ``y`` must have one label per row of.
    """
    labels = np.full(n_rows, 0) if y is None else np.asarray(y)
    if labels.shape != (n_rows,):
        raise ValueError(
            f"y must have one label per row of {rows_name} ({n_rows}), got "
            f"shape {labels.shape}."
        )
    unlabeled = is_unlabeled(labels)
    classes = np.unique(labels[~unlabeled])
    codes = np.full(n_rows, -1)
    codes[~unlabeled] = np.searchsorted(classes, labels[~unlabeled])
    return codes, classes


def project_embedding(X_embedded, y, method: str, random_state):
    """The two columns to draw of an embedding, and the projection's name."""
    Z = check_array(X_embedded, input_name="X_embedded")
    # Checked before projecting, so that a wrong y does not wait for t-SNE.
    codes, _ = label_codes(y, Z.shape[0], "X_embedded")
    n_components = Z.shape[1]
    if n_components == 2:
        return Z, "none"
    if n_components == 1:
        return on_bands(Z, codes), "bands"
    if method == "tsne":
        from sklearn.manifold import TSNE

        perplexity = min(30.0, max(1.0, (Z.shape[0] - 1) / 3))
        points = TSNE(
            perplexity=perplexity, init="pca", random_state=random_state
        ).fit_transform(Z)
        return points, "tsne"
    return PCA(n_components=2).fit_transform(Z), "pca"


def on_bands(Z: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """A one-column embedding as x, each class on its own band of y.

    Jittered (with a fixed seed, so that frames of an animation agree), so
    that overlaps stay visible.
    """
    rng = np.random.default_rng(0)
    _, band = np.unique(codes, return_inverse=True)
    return np.column_stack([Z[:, 0], band + rng.uniform(-0.3, 0.3, len(Z))])


def _axis_labels(projection: str) -> tuple[str, str]:
    if projection not in _AXIS_LABELS:
        raise ValueError(
            f"projection must be one of {sorted(_AXIS_LABELS)}, got {projection!r}."
        )
    return _AXIS_LABELS[projection]


def _hover_texts(hover, n_rows: int, rows_name: str):
    if hover is None:
        return None
    texts = np.asarray(hover, dtype=object)
    if texts.shape != (n_rows,):
        raise ValueError(
            f"hover must have one text per row of {rows_name} ({n_rows}), got "
            f"shape {texts.shape}."
        )
    return texts


def _plotly_colors(n_classes: int) -> list[str]:
    """Class colours for plotly: matplotlib's tab10 (d3's) up to ten, then turbo."""
    from plotly.colors import qualitative, sample_colorscale

    if n_classes <= len(qualitative.D3):
        return list(qualitative.D3[:n_classes])
    return sample_colorscale("Turbo", [i / (n_classes - 1) for i in range(n_classes)])


def class_colors(n_classes: int) -> list:
    """Class colours for matplotlib: tab10, tab20, then turbo."""
    plt = pyplot()
    if n_classes <= 10:
        return [plt.get_cmap("tab10")(i) for i in range(n_classes)]
    if n_classes <= 20:
        return [plt.get_cmap("tab20")(i) for i in range(n_classes)]
    cmap = plt.get_cmap("turbo")
    return [cmap(i / max(n_classes - 1, 1)) for i in range(n_classes)]


def class_name(label, class_names) -> str:
    """The legend's name of ``label``."""
    if class_names is None:
        return str(label)
    if isinstance(class_names, dict):
        return str(class_names.get(label, label))
    return str(class_names[int(label)])
