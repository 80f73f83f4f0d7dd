"""Figures of embeddings, training curves, reconstructions, samples and movies.

Every figure is a scikit-learn-style display, as
:class:`sklearn.metrics.ConfusionMatrixDisplay` is: an object that holds the
data of one kind of plot (its parameters, stored as attributes), draws it
with ``plot`` (into axes it is given, or a new figure) and returns itself,
with the drawn ``figure_`` and its axes (``ax_``, or ``axes_`` for several)
set. Its ``from_estimator`` classmethod computes the data from a fitted
estimator; ``from_embedding``, ``from_history``, ``from_embeddings`` or
``from_recorder`` take data at hand.

========================================  =================================
display                                   shortcut function
========================================  =================================
:class:`EmbeddingDisplay`                 :func:`plot_embedding`
:class:`InteractiveEmbeddingDisplay`      :func:`plot_embedding_interactive`
:class:`HistoryDisplay`                   :func:`plot_history`
:class:`ReconstructionDisplay`            :func:`plot_reconstructions`
:class:`SampleDisplay`                    :func:`plot_samples`
:class:`AnimationDisplay`                 :func:`animate_embedding`
========================================  =================================

Each shortcut builds its display and returns it, so that all of them return
one kind of object (``plot_embedding(...).ax_`` is the axes drawn on).

Two displays differ where their medium does. The interactive scatter is
drawn with plotly: its ``figure_`` is a plotly figure, it has no matplotlib
axes, and it shows itself in a notebook as that figure does. A movie is a
file: :class:`AnimationDisplay` holds the recorded frames, draws the last
one with ``plot`` like any display, and writes the movie with
``save(path)`` (setting ``path_``), as matplotlib's ``Animation.save``
does; :func:`animate_embedding`, whose job is writing the file, draws,
saves, closes the figure and returns the display. No other display shows a
window or writes a file.

matplotlib (``pip install "sk-metricembed[plot]"``) and plotly (``pip
install "sk-metricembed[interactive]"``) are imported only when a figure is
drawn, so that the package itself works without them.
"""

from ._animation import AnimationDisplay, animate_embedding
from ._embedding import EmbeddingDisplay, plot_embedding
from ._history import HistoryDisplay, plot_history
from ._images import (
    ReconstructionDisplay,
    SampleDisplay,
    plot_reconstructions,
    plot_samples,
)
from ._interactive import InteractiveEmbeddingDisplay, plot_embedding_interactive

__all__ = [
    "EmbeddingDisplay",
    "InteractiveEmbeddingDisplay",
    "HistoryDisplay",
    "ReconstructionDisplay",
    "SampleDisplay",
    "AnimationDisplay",
    "plot_embedding",
    "plot_embedding_interactive",
    "plot_reconstructions",
    "plot_samples",
    "plot_history",
    "animate_embedding",
]
