"""What a scatter of an embedding draws, whichever library draws it.

The points (the embedding itself, or its projection to two dimensions, or a
one-dimensional one on bands), each row's class code, the legend names, the
axis labels that say which projection it was, and the parameters that every
scatter of an embedding validates. The matplotlib scatter
(:mod:`._embedding`), the plotly one (:mod:`._interactive`) and the frames
of an animation all draw from here.
"""

from __future__ import annotations

import operator

import numpy as np
from sklearn.decomposition import PCA
from sklearn.utils import check_array

from .._labels import encode_labels
from .._sklearn_compat import HasMethods, StrOptions

#: The grey of unlabelled rows, as matplotlib and as plotly spell it.
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
#: What a scatter embeds: an embedding at hand, or an estimator and its rows.
_EMBEDDING = {"X_embedded": ["array-like"]}
_ESTIMATOR = {
    "estimator": [HasMethods(["transform"])],
    "X": ["array-like", "sparse matrix"],
}


def label_codes(y, n_rows: int, rows_name: str) -> tuple[np.ndarray, np.ndarray]:
    """Each row's class code and the classes (the sorted labels).

    Codes index ``classes``, -1 for unlabelled rows, so that labels of any
    kind (text, None) draw alike; ``y=None`` is one class. ``rows_name``
    names what ``y`` must have one label per row of.
    """
    if y is None:
        return np.zeros(n_rows, dtype=np.int64), np.array([0])
    # The package's one reading of labels: text or numbers, unlabelled rows
    # marked, a (n, 1) column read as 1-D, as the scorers read them.
    classes, codes = encode_labels(y)
    if codes.shape != (n_rows,):
        raise ValueError(
            f"y must have one label per row of {rows_name} ({n_rows}), got "
            f"{codes.shape[0]} labels."
        )
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


def class_name(label, class_names) -> str:
    """The legend's name of ``label``."""
    if class_names is None:
        return str(label)
    if isinstance(class_names, dict):
        return str(class_names.get(label, label))
    index = _sequence_index(label)
    label = label.item() if isinstance(label, np.generic) else label
    if index is None or not 0 <= index < len(class_names):
        raise ValueError(
            f"class_names as a sequence is indexed by the label, and label "
            f"{label!r} is not an integer in [0, {len(class_names) - 1}]; give "
            f"class_names as a dict keyed by the labels, e.g. {{{label!r}: ...}}."
        )
    return str(class_names[index])


def _sequence_index(label) -> int | None:
    """``label`` as an index into a sequence of names: whole numbers only."""
    try:
        return operator.index(label)
    except TypeError:
        pass
    try:
        value = float(label)
    except (TypeError, ValueError):
        return None
    return int(value) if value.is_integer() else None
