"""The loss curves of a fit, one panel for reconstruction and one for metric."""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted
from skorch.history import History

from .._sklearn_compat import validate_params
from .._training.loss_parts import (
    METRIC_PARTS,
    RECONSTRUCTION_PARTS,
    TRAIN_LOSS,
    history_key,
    validation_key,
)
from ._matplotlib import AXES, axes_grid, pyplot

#: The two panels: each one's title and the training keys it draws, in
#: order, each with its validation rows' key beside it (dashed, in its
#: colour) where a fit held rows out. The names the objective records are
#: the names the curves carry.
PANELS = (
    (
        "total and reconstruction",
        (TRAIN_LOSS, *map(history_key, RECONSTRUCTION_PARTS)),
    ),
    ("metric terms", tuple(map(history_key, METRIC_PARTS))),
)
_DRAWN = tuple(
    key for _, names in PANELS for name in names for key in (name, validation_key(name))
)

# A single Axes passes here so that axes_grid can say that two are needed.
_DRAW_PARAMETERS = {"axes": ["array-like", AXES, None], "log_scale": ["boolean"]}


class HistoryDisplay:
    """Loss curves of a fit: total and reconstruction parts, then metric parts.

    Build it with :meth:`from_estimator` (a fitted embedder) or
    :meth:`from_history` (a skorch History); :func:`plot_history` is the
    shortcut. All parameters are stored as attributes.

    Parameters
    ----------
    epochs : array-like of shape (n_epochs,)
        The epoch numbers, the x axis.
    losses : dict of str to array-like of shape (n_epochs,)
        Per-epoch values by history key: ``train_loss`` and the loss parts
        (``reconstruction_loss``, ``kl_loss``, ``constraint_loss``, ...),
        and the validation rows' ``valid_loss`` and ``valid_<part>_loss``,
        drawn dashed in the colour of their training curve. Parts a fit did
        not record are absent.

    Attributes
    ----------
    lines_ : dict of str to matplotlib Line2D
        The curve of each key of ``losses``.
    axes_ : ndarray of shape (2,) of matplotlib Axes
        Left: ``train_loss`` with ``reconstruction_loss`` and ``kl_loss``;
        right: the metric terms the fit trained (``constraint_loss``,
        ``neighbor_loss``, ...); each with its ``valid_*`` curve where the
        fit held validation rows out.
    figure_ : matplotlib Figure
        The figure holding ``axes_``.

    See Also
    --------
    plot_history : The shortcut that builds and draws this display.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from sk_metricembed.plotting import HistoryDisplay
    >>> display = HistoryDisplay(
    ...     [1, 2, 3],
    ...     {"train_loss": [3.0, 2.0, 1.5], "constraint_loss": [0.9, 0.5, 0.4]},
    ... ).plot(log_scale=True)
    >>> [ax.get_title() for ax in display.axes_]
    ['total and reconstruction', 'metric terms']
    >>> display.lines_["constraint_loss"].axes is display.axes_[1]
    True
    >>> plt.close("all")
    """

    def __init__(self, epochs, losses) -> None:
        self.epochs = epochs
        self.losses = losses

    @validate_params(_DRAW_PARAMETERS, prefer_skip_nested_validation=True)
    def plot(self, axes=None, *, log_scale: bool = False) -> HistoryDisplay:
        """Draw the two panels of curves.

        Parameters
        ----------
        axes : pair of matplotlib Axes, default=None
            Where to draw the two panels; a new figure when None.
        log_scale : bool, default=False
            Draw the losses on a logarithmic scale, where slow late
            decreases show (negative values are left out).

        Returns
        -------
        display : HistoryDisplay
            This display, with ``axes_``, ``figure_`` and ``lines_`` set.
            Epochs are ticked at whole numbers.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> from sk_metricembed.plotting import HistoryDisplay
        >>> display = HistoryDisplay([1, 2], {"train_loss": [1.0, 0.5]})
        >>> fig, axes = plt.subplots(2, 1)
        >>> display.plot(axes).figure_ is fig
        True
        >>> plt.close("all")
        """
        plt = pyplot()
        from matplotlib.ticker import MaxNLocator

        unknown = sorted(set(self.losses) - set(_DRAWN))
        if unknown:
            raise ValueError(
                f"losses holds curves no panel draws: {unknown}; the panels draw "
                f"{list(_DRAWN)}."
            )
        epochs = np.asarray(self.epochs)
        if axes is None:
            _, axes = plt.subplots(1, 2, figsize=(10, 3.8))
        axes = axes_grid(axes, (2,), holds="two panels, left and right")
        self.lines_ = {}
        for ax, (panel_title, names) in zip(axes, PANELS):
            for name in names:
                color = None
                for key, style in ((name, "-"), (validation_key(name), "--")):
                    if key in self.losses:
                        (line,) = ax.plot(
                            epochs,
                            np.asarray(self.losses[key]),
                            style,
                            marker=".",
                            color=color,
                            label=key,
                        )
                        self.lines_[key], color = line, line.get_color()
            ax.set_xlabel("epoch")
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.set_ylabel("loss")
            if log_scale:
                ax.set_yscale("log")
            ax.set_title(panel_title)
            if ax.get_lines():
                ax.legend(frameon=False)
        self.axes_ = axes
        self.figure_ = axes[0].figure
        return self

    @classmethod
    @validate_params(
        {"history": [History, list], **_DRAW_PARAMETERS},
        prefer_skip_nested_validation=True,
    )
    def from_history(
        cls, history, *, axes=None, log_scale: bool = False
    ) -> HistoryDisplay:
        """Draw the loss parts a skorch History recorded.

        Parameters
        ----------
        history : skorch History or list of dict
            A fit's history (``embedder.history_``): one dict per epoch (a
            list of them, such as ``history_.to_list()`` or a DataFrame's
            ``to_dict("records")``, reads alike).
        axes : pair of matplotlib Axes, default=None
            Where to draw the two panels; a new figure when None.
        log_scale : bool, default=False
            Draw the losses on a logarithmic scale.

        Returns
        -------
        display : HistoryDisplay
            The drawn display. Parts a fit did not record (at every epoch)
            are left out.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> from skorch.history import History
        >>> from sk_metricembed.plotting import HistoryDisplay
        >>> history = History()
        >>> for epoch, loss in [(1, 2.0), (2, 1.0)]:
        ...     history.new_epoch()
        ...     history.record("epoch", epoch)
        ...     history.record("train_loss", loss)
        >>> display = HistoryDisplay.from_history(history)
        >>> list(display.losses), display.epochs.tolist()
        (['train_loss'], [1, 2])
        >>> plt.close("all")
        """
        strays = [row for row in history if not isinstance(row, dict)]
        if strays:
            raise TypeError(
                "history must hold one dict per epoch (a skorch History, or a "
                f"list of dicts), got {type(strays[0]).__name__} {strays[0]!r}."
            )
        losses = {}
        for name in _DRAWN:
            values = [row.get(name) for row in history]
            if values and not any(value is None for value in values):
                losses[name] = np.asarray(values, dtype=float)
        epochs = np.asarray([row.get("epoch") for row in history])
        return cls(epochs, losses).plot(axes, log_scale=log_scale)

    @classmethod
    @validate_params(
        {"estimator": [BaseEstimator], **_DRAW_PARAMETERS},
        prefer_skip_nested_validation=True,
    )
    def from_estimator(
        cls, estimator, *, axes=None, log_scale: bool = False
    ) -> HistoryDisplay:
        """Draw the loss curves of a fitted embedder (its ``history_``).

        Parameters
        ----------
        estimator : fitted SiameseAutoencoderEmbedder or TripletVAEEmbedder
            Any fitted estimator with a skorch ``history_``, or a fitted
            pipeline ending in one.
        axes : pair of matplotlib Axes, default=None
            Where to draw the two panels; a new figure when None.
        log_scale : bool, default=False
            Draw the losses on a logarithmic scale.

        Returns
        -------
        display : HistoryDisplay
            The drawn display.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> from sklearn.datasets import load_digits
        >>> from sk_metricembed import TripletVAEEmbedder
        >>> from sk_metricembed.plotting import HistoryDisplay
        >>> X, y = load_digits(return_X_y=True)
        >>> embedder = TripletVAEEmbedder(max_epochs=2, random_state=0)
        >>> embedder = embedder.fit(X[:200] / 16.0, y[:200])
        >>> display = HistoryDisplay.from_estimator(embedder)
        >>> [line.get_label() for line in display.axes_[0].get_lines()]
        ['train_loss', 'reconstruction_loss', 'kl_loss']
        >>> plt.close("all")
        """
        if isinstance(estimator, Pipeline):
            estimator = estimator[-1]
        check_is_fitted(estimator)
        if not hasattr(estimator, "history_"):
            raise TypeError(
                f"{type(estimator).__name__} has no history_ (a skorch History); "
                "pass the fitted embedder itself, for example "
                "search.best_estimator_ (or its last step when it is a pipeline)."
            )
        return cls.from_history(estimator.history_, axes=axes, log_scale=log_scale)


@validate_params(
    {"history": [History, list, BaseEstimator], **_DRAW_PARAMETERS},
    prefer_skip_nested_validation=True,
)
def plot_history(history, *, axes=None, log_scale: bool = False) -> HistoryDisplay:
    """Loss curves of a fit: total and reconstruction parts, then metric parts.

    The shortcut of :meth:`HistoryDisplay.from_history` and
    :meth:`HistoryDisplay.from_estimator`.

    Parameters
    ----------
    history : skorch History, list of dict or fitted embedder
        ``embedder.history_`` (one dict per epoch), or the embedder itself
        (or a fitted pipeline ending in one).
    axes : pair of matplotlib Axes, default=None
        Where to draw the two panels; a new figure when None.
    log_scale : bool, default=False
        Draw the losses on a logarithmic scale, where slow late decreases
        show.

    Returns
    -------
    display : HistoryDisplay
        The drawn display. ``display.axes_`` holds the two panels. Left:
        ``train_loss`` with ``reconstruction_loss`` and ``kl_loss``; right:
        the metric terms the fit trained (``constraint_loss``,
        ``neighbor_loss``, ...); with validation rows, each ``valid_*``
        curve dashed beside its training curve. Parts a fit did not record
        are left out.
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
    >>> left, right = plot_history(embedder).axes_
    >>> [line.get_label() for line in left.get_lines()]
    ['train_loss', 'reconstruction_loss', 'kl_loss']
    >>> plt.close("all")
    """
    if isinstance(history, (History, list)):
        return HistoryDisplay.from_history(history, axes=axes, log_scale=log_scale)
    return HistoryDisplay.from_estimator(history, axes=axes, log_scale=log_scale)
