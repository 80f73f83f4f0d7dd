"""Dask arrays in, dask arrays out: embedding lazily, block by block.

``transform`` and ``inverse_transform`` of a fitted embedder given a
:class:`dask.array.Array` return a dask array of the same row chunks: each
block of rows is embedded (or decoded) by the fitted network when the
result is computed, on the local scheduler or on a ``dask.distributed``
cluster, whose workers receive the pickled embedder. Only the rows are
split: a block holds all the columns (a chunked column axis is merged
first). A block may be a scipy sparse matrix (``da.from_array(X_csr,
chunks=(rows_per_block, n_features), asarray=False)``), which the embedder
densifies one batch of rows at a time, as it does a sparse ``X``. dask is
not a dependency; an array is recognised by its type.
"""

from __future__ import annotations

import numpy as np


def is_dask_array(X) -> bool:
    """Whether ``X`` is a dask array (without importing dask).

    Examples
    --------
    >>> import numpy as np
    >>> from sk_metricembed._dask import is_dask_array
    >>> is_dask_array(np.zeros((2, 3)))
    False
    """
    return type(X).__module__.split(".")[0] == "dask" and hasattr(X, "map_blocks")


def map_row_blocks(function, X, *, n_columns: int, n_outputs: int, method: str):
    """``function`` applied to each block of rows of ``X``, lazily.

    ``function`` maps a ``(n, n_columns)`` ndarray to a ``(n, n_outputs)``
    float32 ndarray; ``method`` names the caller in the error raised when
    ``X`` has the wrong shape (checked now, not when computing).
    """
    if X.ndim != 2 or X.shape[1] != n_columns:
        raise ValueError(
            f"{method} expects a 2-D dask array with {n_columns} columns, got "
            f"shape {X.shape}; chunk it along the rows only, as "
            f"da.from_array(X, chunks=(rows_per_block, {n_columns}))."
        )
    X = X.rechunk({1: -1})
    return X.map_blocks(
        function,
        dtype=np.float32,
        chunks=(X.chunks[0], (n_outputs,)),
        # The result's type, so that dask does not call function on an
        # empty block to find it.
        meta=np.empty((0, n_outputs), np.float32),
    )
