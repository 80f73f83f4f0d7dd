"""How the main job scores a held-out embedding, a fit's or a baseline's."""

from __future__ import annotations


def held_out_scores(Z, y, seed: int) -> dict:
    """``{"triplet_accuracy", "knn_accuracy"}`` of held-out codes ``Z``.

    The triplet accuracy of 10,000 triplets drawn with ``seed`` and the
    leave-one-out 5-NN accuracy among the held-out rows themselves.

    Examples
    --------
    >>> from sk_metricembed._cli.scores import held_out_scores
    >>> Z = [[0.0], [0.1], [0.2], [5.0], [5.1], [5.2]]
    >>> held_out_scores(Z, [0, 0, 0, 1, 1, 1], seed=0)["triplet_accuracy"]
    1.0
    """
    from ..metrics import knn_accuracy_score, triplet_accuracy_score

    return {
        "triplet_accuracy": triplet_accuracy_score(Z, y, random_state=seed),
        "knn_accuracy": knn_accuracy_score(Z, y),
    }
