"""How far a fit trusts the input graph, and what that trust decides.

Without random views (flattened rows) the input graph is all the encoder
learns neighbourhoods from, and it is trusted in full. With image mode's
views, the share of views that stay among their row's input-space
neighbours (:func:`~._training.neighbors.view_agreement`) sets the trust
(:func:`~._defaults.input_graph_trust`). The trust decides two things a fit
does: how much new rows' codes are smoothed over that graph
(``neighbor_smoothing="auto"``, scaled by it under views), and whether label
spreading over it vets the pseudo-labels (wherever it is above 0;
``docs/few_labels.md``).
"""

from __future__ import annotations

import numpy as np

from ._defaults import FULL_TRUST, input_graph_trust, smoothing_under_views
from ._training.neighbors import view_agreement
from ._training.pseudo_labels import input_graph_classes, trains_on_pseudo_labels
from ._training.setup import seeded_torch


def smoothing_and_input_classes(
    net, graph, rows, labels: np.ndarray, settings, n_neighbors: int, seed: int
) -> tuple[float, np.ndarray | None]:
    """``(share, input_classes)`` of one fit, before it trains.

    ``share`` is ``settings.neighbor_smoothing``, scaled by the trust in the
    input graph where the smoothing follows the views; ``input_classes``
    each training row's class by label spreading over the input graph
    (:func:`~._training.pseudo_labels.input_graph_classes`) where the net
    trains on pseudo-labels and the graph is trusted, else None. The views'
    agreement is measured only where one of them needs it, under torch's
    generator seeded by ``seed`` (the caller's left as it was).
    """
    share = settings.neighbor_smoothing
    if graph is None:
        return share, None
    pseudo_labels = trains_on_pseudo_labels(net)
    trust = FULL_TRUST  # without views, or with views that decide nothing
    if net.augment is not None and (settings.smoothing_follows_views or pseudo_labels):
        with seeded_torch(seed, "cpu"):
            agreement = view_agreement(graph, rows, net.augment, n_neighbors, seed)
        if settings.smoothing_follows_views:
            share = smoothing_under_views(share, agreement)
        trust = input_graph_trust(agreement)
    if not (pseudo_labels and trust > 0):
        return share, None
    classes = input_graph_classes(
        graph.features, labels, n_neighbors, np.random.RandomState(seed)
    )
    return share, classes
