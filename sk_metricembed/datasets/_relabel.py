"""Relabelled copies of labels: a share of them hidden, or classes joined."""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
from sklearn.utils import check_random_state

from .._labels import check_labels
from .._sklearn_compat import Interval, validate_params


@validate_params(
    {
        "y": ["array-like"],
        "label_fraction": [Interval(Real, 0, 1, closed="both")],
        "min_per_class": [Interval(Integral, 0, None, closed="left")],
        "random_state": ["random_state", np.random.Generator],
    },
    prefer_skip_nested_validation=True,
)
def hide_labels(
    y, label_fraction: float, *, min_per_class: int = 1, random_state=None
) -> np.ndarray:
    """Keep a stratified share of the labels and set the others to -1.

    Each class keeps ``max(min_per_class, round(label_fraction * n_class))``
    of its rows' labels (all of them when it has fewer), drawn without
    replacement; the other rows become unlabelled (-1), scikit-learn's
    semi-supervised convention. Rows already at -1 stay unlabelled.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Integer class labels, -1 for rows already unlabelled.
    label_fraction : float in [0, 1]
        Share of each class's labels to keep; 1 keeps them all.
    min_per_class : int, default=1
        Labels each class keeps at least (``label_fraction=0`` with
        ``min_per_class=3`` keeps three a class).
    random_state : int, RandomState instance, numpy Generator or None, \
default=None
        Seed of the draw, as scikit-learn takes it
        (:func:`~sklearn.utils.check_random_state`), or a
        :class:`numpy.random.Generator` to draw from.

    Returns
    -------
    y_semi : ndarray of shape (n_samples,)
        A copy of ``y`` with the hidden labels set to -1.

    Examples
    --------
    >>> import numpy as np
    >>> from sk_metricembed.datasets import hide_labels
    >>> y = np.repeat([0, 1], 10)
    >>> y_semi = hide_labels(y, 0.2, random_state=0)
    >>> np.bincount(y_semi[y_semi >= 0]).tolist(), int((y_semi == -1).sum())
    ([2, 2], 16)
    """
    y = check_labels(y)
    if label_fraction >= 1:
        return y.copy()
    rng = (
        random_state
        if isinstance(random_state, np.random.Generator)
        else check_random_state(random_state)
    )
    y_semi = np.full_like(y, -1)
    for label in np.unique(y[y >= 0]):
        rows = np.flatnonzero(y == label)
        n_keep = max(min_per_class, int(round(label_fraction * rows.size)))
        keep = rng.choice(rows, size=min(n_keep, rows.size), replace=False)
        y_semi[keep] = label
    return y_semi


@validate_params(
    {"y": ["array-like"], "groups": [list, tuple]},
    prefer_skip_nested_validation=True,
)
def merge_classes(y, groups) -> np.ndarray:
    """Join groups of classes into composite classes.

    Each group of labels becomes one class, labelled with the group's
    smallest label; the other classes keep their labels and unlabelled rows
    (-1) stay unlabelled. A metric learned on the result puts, for example,
    the animals of CIFAR-10 in one cluster and the vehicles in another.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Integer class labels, -1 for unlabelled rows.
    groups : list of list of int
        The classes to join, one list per composite class, e.g.
        ``[[3, 5, 8], [4, 9]]``. A label may join one group only, and each
        must occur in ``y``.

    Returns
    -------
    y_merged : ndarray of shape (n_samples,), int64
        A copy of ``y`` in which each group's labels are replaced by its
        smallest one.

    Examples
    --------
    >>> import numpy as np
    >>> from sk_metricembed.datasets import merge_classes
    >>> y = np.array([3, 5, 8, 4, 9, 0, -1])
    >>> merge_classes(y, [[3, 5, 8], [4, 9]]).tolist()
    [3, 3, 3, 4, 4, 0, -1]
    """
    y = check_labels(y)
    present = np.unique(y[y >= 0])
    groups = [_group_labels(group, index) for index, group in enumerate(groups)]
    joined = [label for group in groups for label in group]
    repeated = sorted({label for label in joined if joined.count(label) > 1})
    if repeated:
        raise ValueError(
            f"groups={_as_given(groups)} names label {repeated[0]} more than once; "
            "each label may join one group only."
        )
    unknown = sorted(set(joined) - set(present.tolist()))
    if unknown:
        raise ValueError(
            f"groups={_as_given(groups)} names label {unknown[0]}, which y does not "
            f"hold; y's labels are {present.tolist()}."
        )
    y_merged = y.copy()
    for group in groups:
        y_merged[np.isin(y, group)] = min(group)
    return y_merged


def _group_labels(group, index: int) -> list[int]:
    """The labels of one group of :func:`merge_classes`, checked."""
    labels = np.asarray(group if isinstance(group, (list, tuple, np.ndarray)) else [])
    if not isinstance(group, (list, tuple, np.ndarray)) or (
        labels.size and labels.dtype.kind not in "iu"
    ):
        raise TypeError(
            f"groups[{index}] must be a list of integer labels, got {group!r}; "
            "pass groups such as [[3, 5, 8], [4, 9]]."
        )
    if labels.ndim != 1 or labels.size == 0:
        raise ValueError(
            f"groups[{index}] must be a non-empty flat list of labels, got "
            f"{group!r}; pass groups such as [[3, 5, 8], [4, 9]]."
        )
    if (labels < 0).any():
        raise ValueError(
            f"groups[{index}]={group!r} holds {int(labels.min())}; -1 marks "
            "unlabelled rows, which join no class: group labels >= 0."
        )
    return labels.tolist()


def _as_given(groups: list[list[int]]) -> str:
    return repr([list(group) for group in groups])
