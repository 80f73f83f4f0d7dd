"""The scatter of an embedding drawn with plotly: hover a point to see its row.

The picture of :mod:`._embedding`'s matplotlib scatter, from the same points,
labels and projection (:mod:`._points`).
"""

from __future__ import annotations

import numpy as np
from sklearn.utils import check_array

from .._sklearn_compat import validate_params
from ._points import (
    _DATA_PARAMETERS,
    _EMBEDDING,
    _ESTIMATOR,
    _TITLE,
    _UNLABELED_PLOTLY_COLOR,
    _axis_labels,
    class_name,
    label_codes,
    project_embedding,
)

_HOVER = {"hover": ["array-like", None]}


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
