"""Where the input graph is searched: ``input_components``.

The input graph (each training row's nearest rows: the neighbour term's
positives, the check on pseudo-labels, the smoothing of new rows, and the
label spreading that sets ``weight="auto"``) is searched in the features,
or above ``PCA_DIMENSIONS`` of them in a PCA of that many components
(:mod:`._training.neighbors`). On tables whose features carry noisy
directions a PCA of a few components finds truer neighbours (test 5-NN
accuracy on DNA: 0.880 with 8 components, 0.821 with 50), on others it
loses them (digits: 0.950 with 8, 0.985 in the features), and no choice
made without labels found the good dimension (Minka's MLE, 90% of the
variance: ``docs/few_labels.md``). The labels can: the stratified label
spreading of :func:`~._label_trust.spreading_accuracy` is scored over the
graph in each space, and a PCA of ``latent_dim`` times one of
``AUTO_INPUT_COMPONENTS_FACTORS`` replaces the default space only when it
recovers more held-out labelled rows, by ``INPUT_SPACE_MARGIN`` binomial
standard errors of the default's count and ``INPUT_SPACE_MIN_ROWS`` rows at
least. In image mode, where fewer than two rows of a class carry a label,
and where every row does (no label has to travel along the graph), the
default space is kept.
"""

from __future__ import annotations

import numpy as np

from ._defaults import (
    AUTO_INPUT_COMPONENTS_FACTORS,
    INPUT_SPACE_MARGIN,
    INPUT_SPACE_MIN_ROWS,
    is_auto,
)
from ._label_trust import (
    Spreading,
    spreading_accuracy,
    trust_rows,
    weight_reads_trust,
)
from ._training.neighbors import PCA_DIMENSIONS, InputGraph, input_graph
from ._training.validation import row_subset


class InputChoice:
    """The input graph of a fit, and its label spreading's score.

    ``graph`` is None below three rows or where nothing needs the graph;
    :attr:`spreading` is the :class:`~._label_trust.Spreading` of the labels
    over it, or None where the labels are too few to score it, computed once.
    """

    def __init__(
        self, graph: InputGraph | None, labels: np.ndarray, n_neighbors: int, seed: int
    ) -> None:
        self.graph = graph
        self._labels, self._n_neighbors, self._seed = labels, n_neighbors, seed
        self._spreading: Spreading | None = None
        self._spread = False

    @property
    def dimensions(self) -> int | None:
        """The graph's search dimension (``input_components_``); None without one."""
        return None if self.graph is None else self.graph.dimensions

    @property
    def spreading(self) -> Spreading | None:
        # Cached on the instance by hand: functools.cached_property holds one
        # lock for every instance on Python < 3.12, and two fits on one
        # worker's threads (a search on a dask cluster) then waited on each
        # other for good while this searched neighbours through joblib.
        if not self._spread:
            if self.graph is not None:
                self._spreading = spreading_accuracy(
                    self.graph.features, self._labels, self._n_neighbors, self._seed
                )
            self._spread = True
        return self._spreading


def resolve_input_components(value, latent_dim: int) -> tuple[int, ...]:
    """The dimensions ``input_components`` lets a fit search in, default first.

    >>> resolve_input_components("auto", 8)
    (50, 8, 16)
    >>> resolve_input_components(20, 8)
    (20,)
    """
    if not is_auto(value):
        return (int(value),)
    candidates = [latent_dim * factor for factor in AUTO_INPUT_COMPONENTS_FACTORS]
    return (PCA_DIMENSIONS, *(k for k in candidates if k < PCA_DIMENSIONS))


def fit_input_choice(
    rows,
    labels: np.ndarray,
    *,
    search: bool,
    weight,
    value,
    latent_dim: int,
    image_mode: bool,
    n_neighbors: int,
    seed: int,
    metric: str,
) -> InputChoice:
    """The input graph of a fit's training ``rows``, as far as the fit needs it.

    ``search`` where the neighbour term or the smoothing reads the graph
    (the check on pseudo-labels then reads it too): :func:`choose_input_graph`
    over every row. Otherwise, where ``weight`` (the parameter) is ``"auto"`` on
    flattened rows with some rows unlabelled, only the label trust reads
    it: the rows its spreading reads (:func:`~._label_trust.trust_rows`)
    are projected, and no table is searched (the search over every row is
    a large fit's cost, which ``neighbor_weight=0`` skips). Else no graph.
    """
    if not (search or weight_reads_trust(weight, labels, image_mode)):
        return InputChoice(None, labels, n_neighbors, seed)
    if not search:
        # A memory map is not copied whole: only the sample is projected.
        sample = trust_rows(labels, np.random.RandomState(seed))
        rows, labels = row_subset(rows, sample), labels[sample]
    return choose_input_graph(
        rows,
        labels,
        value=value,
        latent_dim=latent_dim,
        image_mode=image_mode,
        n_neighbors=n_neighbors,
        seed=seed,
        metric=metric,
        search=search,
    )


def choose_input_graph(
    X,
    labels: np.ndarray,
    *,
    value,
    latent_dim: int,
    image_mode: bool,
    n_neighbors: int,
    seed: int,
    metric: str,
    search: bool = True,
) -> InputChoice:
    """The input graph ``input_components`` (``value``) gives ``X``'s rows.

    ``search=False`` leaves each graph's table out (:func:`input_graph`):
    the spreading that scores a space reads its features only.

    An integer searches in that many components; ``"auto"`` tries the
    candidates of :func:`resolve_input_components` on flattened rows
    (``image_mode`` False) with some rows unlabelled (``labels``, ``-1``),
    and a candidate replaces the space kept so far where its spreading
    accuracy beats that space's by the margin of :func:`_beats`. A
    candidate no smaller than the default space is skipped (where the
    features are fewer than ``PCA_DIMENSIONS``, it would not be smaller).
    """
    dimensions = resolve_input_components(value, latent_dim)
    best = InputChoice(
        input_graph(X, n_neighbors, seed, metric, dimensions[0], search),
        labels,
        n_neighbors,
        seed,
    )
    # Ordered so that the spreading runs only where a choice is to be made.
    if (
        len(dimensions) == 1
        or image_mode
        or best.graph is None
        or np.all(labels >= 0)
        or best.spreading is None
    ):
        return best
    searched = best.graph.dimensions  # the default space's
    for k in dimensions[1:]:
        if k >= searched:
            continue
        candidate = InputChoice(
            input_graph(X, n_neighbors, seed, metric, k, search),
            labels,
            n_neighbors,
            seed,
        )
        if _beats(candidate.spreading, best.spreading):
            best = candidate
    return best


def _beats(candidate: Spreading, kept: Spreading) -> bool:
    """Whether ``candidate`` recovers more held-out rows than ``kept`` by
    ``INPUT_SPACE_MARGIN`` binomial standard errors of ``kept``'s count, and
    by ``INPUT_SPACE_MIN_ROWS`` rows at least."""
    accuracy, n_scored = kept.accuracy, kept.n_scored
    gained = (candidate.accuracy - accuracy) * n_scored
    noise = np.sqrt(n_scored * accuracy * (1 - accuracy))
    return gained >= max(INPUT_SPACE_MIN_ROWS, INPUT_SPACE_MARGIN * noise) - 1e-9
