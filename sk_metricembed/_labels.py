"""Labels with -1 for unlabelled rows: one rule for the whole package.

``fit``, the scorers, the splitters, the constraint samplers and the plots
read labels through these functions, so that a label means the same
everywhere: any integers or strings, with -1 (or ``None``, NaN, ``pd.NA``,
or blank text) marking an unlabelled row, checked before any training
starts.
"""

from __future__ import annotations

import numbers
import sys

import numpy as np
from sklearn.exceptions import DataConversionWarning

from ._validation import warn

#: The code of an unlabelled row once labels are encoded as class indices.
UNLABELED = -1

#: Text that marks an unlabelled row in an array of text. numpy writes -1 and
#: NaN so when they share an array with strings: ``np.array(["cat", -1])``
#: holds ``"-1"``, and ``np.array(["cat", np.nan])`` holds ``"nan"``.
#: Blank text (empty or only spaces) marks one too: what an empty cell of a
#: spreadsheet or of a CSV file read with ``keep_default_na=False`` holds,
#: and what ``read_csv``'s defaults would have read as NaN.
UNLABELED_TEXT = frozenset({"-1", "nan"})

#: Text that tables use for a missing value and that a class is rarely named
#: (compared stripped and in lower case). A class named so is trained as a
#: class, as any label is, but with a warning: it is more likely a table's
#: mark for rows that carry no label, which the package reads only as
#: :func:`is_unlabeled` says.
MARKER_LIKE_TEXT = frozenset(
    {
        "?",
        "-",
        "na",
        "n/a",
        "none",
        "null",
        "missing",
        "unknown",
        "unlabeled",
        "unlabelled",
    }
)


def is_unlabeled(y: np.ndarray) -> np.ndarray:
    """Which entries of a 1-D label array mark an unlabelled row: the one rule.

    Unlabelled are the number -1, NaN, None, pandas' ``pd.NA`` and ``NaT``,
    and in text the strings ``"-1"`` and ``"nan"`` (see
    :data:`UNLABELED_TEXT`) and blank text (``""``, spaces only); booleans
    are always labels. Every function of
    the package that reads semi-supervised labels decides with this one.

    Examples
    --------
    >>> import numpy as np
    >>> from sk_metricembed._labels import is_unlabeled
    >>> is_unlabeled(np.array([0.0, -1.0, np.nan])).tolist()
    [False, True, True]
    >>> is_unlabeled(np.array(["cat", "-1", "", "  "])).tolist()
    [False, True, True, True]
    >>> is_unlabeled(np.array(["cat", None, -1], dtype=object)).tolist()
    [False, True, True]
    """
    kind = y.dtype.kind
    if kind in "iu":
        return y == -1
    if kind == "f":
        return (y == -1) | np.isnan(y)
    if kind == "U":
        return np.isin(y, list(UNLABELED_TEXT)) | (np.char.strip(y) == "")
    if kind == "S":
        marks = [text.encode() for text in UNLABELED_TEXT]
        return np.isin(y, marks) | (np.char.strip(y) == b"")
    if kind == "O":
        return np.fromiter(map(_is_unlabeled_value, y), dtype=bool, count=len(y))
    return np.zeros(y.shape, dtype=bool)


def _is_unlabeled_value(value) -> bool:
    """:func:`is_unlabeled`'s rule for one entry of an object array."""
    if value is None:
        return True
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, bytes):
        value = value.decode(errors="replace")
    if isinstance(value, str):
        return value in UNLABELED_TEXT or not value.strip()
    if isinstance(value, numbers.Number):
        return bool(value == -1 or value != value)  # NaN is not itself
    pandas = sys.modules.get("pandas")  # pd.NA and NaT exist only once imported
    return pandas is not None and (value is pandas.NA or value is pandas.NaT)


def encode_labels(y, *, name: str = "y") -> tuple[np.ndarray, np.ndarray]:
    """Validate class labels and code them as indices into their classes.

    ``y`` may hold any labels that sort: numbers, text, booleans, an object
    array or a pandas Series (categorical ones included), with unlabelled
    rows marked as :func:`is_unlabeled` says. A ``(n, 1)`` column is read as
    1-D. Numbers must be whole and not below -1 (a more negative number is
    most likely another missing-value code); labels must be all numbers,
    all text or all booleans.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Class labels, unlabelled rows marked.
    name : str, default="y"
        The parameter's name, for error messages.

    Returns
    -------
    classes : ndarray of shape (n_classes,)
        The labelled rows' classes as :func:`numpy.unique` sorts them, in
        ``y``'s dtype (an object array of numbers becomes a numeric array).
    codes : ndarray of shape (n_samples,), int64
        Each row's index into ``classes``, :data:`UNLABELED` (-1) for an
        unlabelled row.

    A text class that reads as a missing-value mark (``"?"``,
    ``"unknown"``, ``"unlabeled"``: :data:`MARKER_LIKE_TEXT`) is kept as a
    class, with a ``UserWarning`` that says how to mark its rows unlabelled.

    Examples
    --------
    >>> from sk_metricembed._labels import encode_labels
    >>> classes, codes = encode_labels(["cat", "dog", None, "cat"])
    >>> classes.tolist(), codes.tolist()
    (['cat', 'dog'], [0, 1, -1, 0])
    """
    y, unlabeled = _checked_labels(y, name)
    classes, labeled_codes = _unique(y[~unlabeled], name)
    _warn_of_marker_like_classes(classes, labeled_codes, name)
    codes = np.full(len(y), UNLABELED, dtype=np.int64)
    codes[~unlabeled] = labeled_codes
    return classes, codes


def union_classes(
    first: np.ndarray, second: np.ndarray, *, names: tuple[str, str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The sorted union of two arrays of classes, and where each one's sit in it.

    ``first`` and ``second`` are ``classes`` of :func:`encode_labels`;
    ``names`` name them in the ``TypeError`` raised when they hold labels
    of different types (numbers and text). Returns ``classes, first_index,
    second_index`` with ``classes[first_index] == first``.
    """
    kinds = {
        name: (_label_type(classes[0]), classes[0])
        for name, classes in zip(names, (first, second))
        if classes.size
    }
    if len({kind for kind, _ in kinds.values()}) > 1:
        described = " but ".join(
            f"{name} holds {kind} labels ({_shown(value)})"
            for name, (kind, value) in kinds.items()
        )
        raise TypeError(
            f"{described}: they cannot be compared; pass labels of one type to both."
        )
    if first.dtype.kind != second.dtype.kind:
        first, second = first.astype(object), second.astype(object)
    classes, index = _unique(np.concatenate([first, second]), " and ".join(names))
    return classes, index[: len(first)], index[len(first) :]


def encode_row_labels(y, n_samples: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`encode_labels` of a fit's ``y``, one label per row of ``X``.

    ``y=None`` is every row unlabelled (no class); a ``y`` of another length
    than ``n_samples`` is a ``ValueError`` naming both.

    Examples
    --------
    >>> from sk_metricembed._labels import encode_row_labels
    >>> encode_row_labels(["b", None, "a"], 3)
    (array(['a', 'b'], dtype=object), array([ 1, -1,  0]))
    >>> encode_row_labels(None, 2)[1]
    array([-1, -1])
    """
    if y is None:
        return np.empty(0, dtype=np.int64), np.full(n_samples, UNLABELED)
    classes, codes = encode_labels(y)
    if codes.shape[0] != n_samples:
        raise ValueError(
            f"y has {codes.shape[0]} labels but X has {n_samples} rows; pass one "
            "label per row, -1 (or None, NaN) for unlabelled rows."
        )
    return classes, codes


def check_labels(y, *, name: str = "y") -> np.ndarray:
    """``y`` as a 1-D int64 array of integer labels, -1 for unlabelled rows.

    For functions whose output keeps the label values (hiding labels,
    merging classes); the estimators, scorers, splitters and constraint
    samplers take any labels through :func:`encode_labels`. The checks are
    :func:`encode_labels`'s, and labels that are not numbers (text,
    booleans) are a ``TypeError``.
    """
    y, unlabeled = _checked_labels(y, name)
    values = y[~unlabeled]
    if values.dtype.kind == "O":
        values = np.asarray(values.tolist()) if values.size else values.astype(int)
    if values.dtype.kind not in "iuf":
        raise TypeError(
            f"Unknown label type: {name} must hold integer class labels (-1 for "
            f"unlabelled rows), got dtype {y.dtype}; encode the classes as "
            "integers 0..k-1 and keep -1 for the unlabelled rows (a "
            "LabelEncoder over every row would make their marks a class)."
        )
    labels = np.full(len(y), UNLABELED, dtype=np.int64)
    labels[~unlabeled] = values.astype(np.int64)
    return labels


def _checked_labels(y, name: str) -> tuple[np.ndarray, np.ndarray]:
    """``y`` as a validated 1-D array, and its unlabelled rows."""
    y = _as_label_array(y, name)
    if y.ndim == 2 and y.shape[1] == 1:
        # scikit-learn's column_or_1d: a column is read as the 1-D labels,
        # with the same DataConversionWarning (often y = df[["label"]]).
        warn(
            f"A column-vector {name} was passed when a 1d array was expected; "
            f"{name} of shape {y.shape} is read as shape ({y.shape[0]},). "
            "Pass one label per row as a 1-D array, for example with "
            "y.ravel() or df['label'] instead of df[['label']].",
            DataConversionWarning,
        )
        y = y.ravel()
    if y.ndim != 1:
        raise ValueError(
            f"{name} must be 1-D (one label per row), got shape {y.shape}."
        )
    if y.dtype.kind not in "biufUSO":
        raise TypeError(
            f"{name} must hold class labels (numbers, text or booleans), got "
            f"dtype {y.dtype}; convert them, for example with {name}.astype(str)."
        )
    unlabeled = is_unlabeled(y)
    labeled = y[~unlabeled]
    if y.dtype.kind == "O":
        _check_one_type(labeled, name)
        numbers_only = [v for v in labeled if isinstance(v, numbers.Number)]
        _check_numbers(np.asarray(numbers_only, dtype=float), name)
    elif y.dtype.kind in "iuf":
        _check_numbers(labeled, name)
    return y, unlabeled


def _as_label_array(y, name: str) -> np.ndarray:
    dtype = getattr(y, "dtype", None)
    if dtype is not None and not isinstance(dtype, np.dtype):
        # A pandas extension dtype (nullable integers, strings, categoricals):
        # missing values come out as pd.NA, None or NaN objects.
        if type(dtype).__name__ == "CategoricalDtype":
            # Through the categories, whose values keep their type (asarray
            # turns integer categories with a missing value into floats).
            # A missing value's code, -1, picks the None appended last.
            categories = np.append(np.asarray(dtype.categories, dtype=object), None)
            return categories[np.asarray(y.cat.codes if hasattr(y, "cat") else y.codes)]
        return np.asarray(y, dtype=object)
    try:
        array = np.asarray(y)
    except ValueError as error:  # a ragged list
        raise ValueError(
            f"{name} must be a 1-D array of labels, one per row ({error})."
        ) from error
    if isinstance(y, (list, tuple)) and array.dtype.kind in "US":
        # numpy writes numbers and booleans among strings as text
        # (["cat", 1.5] holds "1.5"): check the types the list holds.
        values = np.asarray(y, dtype=object).reshape(array.shape)
        if values.ndim == 1:
            _check_one_type(values[~is_unlabeled(values)], name)
    return array


def _label_type(value) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "boolean"
    if isinstance(value, numbers.Number):
        return "number"
    if isinstance(value, (str, bytes)):
        return "text"
    return type(value).__name__


def _shown(value) -> str:
    """A label as the user wrote it (``0``, not ``np.int64(0)``)."""
    return repr(value.item() if isinstance(value, np.generic) else value)


def _check_one_type(values: np.ndarray, name: str) -> None:
    """Refuse labels of several types: numbers and text do not sort together."""
    first_of_type = {}
    for value in values:
        first_of_type.setdefault(_label_type(value), value)
    if len(first_of_type) > 1:
        examples = ", ".join(
            f"{kind} {_shown(value)}" for kind, value in first_of_type.items()
        )
        raise TypeError(
            f"{name} mixes label types ({examples}); labels must be all numbers, "
            "all text or all booleans, with -1, None or NaN for unlabelled rows: "
            "convert them to one type, for example all to text."
        )


def _check_numbers(values: np.ndarray, name: str) -> None:
    """Numeric labels: whole numbers, none below -1."""
    if values.dtype.kind == "f":
        bad = ~np.isfinite(values) | (values != np.round(values))
        if bad.any():
            raise ValueError(
                f"{name} must hold class labels, got the non-integer value "
                f"{values[bad][0].item()!r}; pass whole numbers or text, with -1, None "
                "or NaN for unlabelled rows (a continuous target is not a class)."
            )
    if values.size and values.min() < -1:
        raise ValueError(
            f"{name} holds labels below -1 (min {values.min()}); use -1 for "
            "unlabelled rows and labels >= 0 (or text) for classes."
        )


def _warn_of_marker_like_classes(
    classes: np.ndarray, codes: np.ndarray, name: str
) -> None:
    """Warn of each text class that reads as a mark for unlabelled rows."""
    for index, value in enumerate(classes.tolist()):
        if isinstance(value, bytes):
            value = value.decode(errors="replace")
        if isinstance(value, str) and value.strip().lower() in MARKER_LIKE_TEXT:
            n_rows = int(np.sum(codes == index))  # counted only for a warning
            warn(
                f"{name} has a class {value!r} ({n_rows} row{'s' * (n_rows != 1)}), "
                "which reads as a mark for rows without a label; it trains as a "
                "class. If those rows carry no label, mark them with -1, None or "
                f"NaN instead (for example y.replace({{{value!r}: None}}) on a "
                "pandas Series)."
            )


def _unique(values: np.ndarray, name: str) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique`` with inverse; an object array of numbers becomes numeric."""
    try:
        classes, codes = np.unique(values, return_inverse=True)
    except TypeError as error:  # objects that do not sort
        raise TypeError(
            f"{name}'s labels cannot be sorted ({error}); pass numbers or text."
        ) from error
    if classes.dtype.kind == "O" and classes.size:
        tidy = np.asarray(classes.tolist())
        if tidy.dtype.kind in "biuf":
            classes = tidy
    return classes, codes.reshape(-1).astype(np.int64)
