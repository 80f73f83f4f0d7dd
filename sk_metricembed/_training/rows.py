"""Reading rows of ``X`` as dense arrays, a block at a time.

The network reads dense float32 rows, whatever ``X`` is: an ndarray, a
float32 ``np.memmap`` (only the rows asked for are read), a scipy sparse
matrix or array (TF-IDF, one-hot), or a :class:`.validation.RowSubset` of
a dense one. Every place that hands rows to torch reads them through
:func:`dense_rows`, so that a sparse ``X`` is densified one batch or one
inference chunk at a time and never whole.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

#: A chunk of sparse rows densified for inference holds at most this many
#: values (64 MiB of float32): with 50,000 TF-IDF columns a chunk is 335
#: rows, not the 4,096 a chunk of dense rows holds. Dense rows exist already,
#: and keep their chunks.
MAX_DENSIFIED_VALUES = 2**24


def dense_rows(X, index, dtype=np.float32) -> np.ndarray:
    """``X[index]`` as a C-contiguous ndarray of ``dtype``, in memory of its own.

    ``index`` selects rows: an integer array or a slice. A sparse ``X`` is
    densified for these rows only; the result never shares ``X``'s memory,
    so that torch may write to it (an in-place first layer) and a read-only
    memmap is no problem.

    Examples
    --------
    >>> import numpy as np
    >>> import scipy.sparse as sp
    >>> from sk_metricembed._training.rows import dense_rows
    >>> X = sp.csr_matrix(np.eye(4))
    >>> dense_rows(X, np.array([2, 0]))
    array([[0., 0., 1., 0.],
           [1., 0., 0., 0.]], dtype=float32)
    """
    rows = X[index]
    if sp.issparse(rows):
        return rows.toarray().astype(dtype, copy=False)
    if isinstance(index, slice):  # a view of X
        return np.array(rows, dtype=dtype, order="C")
    return np.ascontiguousarray(rows, dtype=dtype)  # indexing copied already


def rows_per_chunk(X, step: int) -> int:
    """How many rows of ``X`` one inference chunk densifies: ``step``, or
    fewer for wide sparse rows (:data:`MAX_DENSIFIED_VALUES`)."""
    if not sp.issparse(X):
        return step
    return max(1, min(step, MAX_DENSIFIED_VALUES // max(1, X.shape[1])))
