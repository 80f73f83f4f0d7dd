"""Test session set-up shared by all test modules."""

import gzip
import logging
import os

import numpy as np
import pytest
import torch

# Under pytest-xdist each worker gets one torch thread, so that two workers
# on two cores do not oversubscribe them.
if os.environ.get("PYTEST_XDIST_WORKER"):
    torch.set_num_threads(1)


@pytest.fixture
def dask_client():
    """A client of a local dask.distributed cluster: two one-thread processes."""
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


@pytest.fixture
def write_idx():
    """``write(path, array)``: the array as an IDX file (MNIST's format),
    gzip-compressed where ``path`` ends in ``.gz``; the array's dtype must
    be one IDX stores (uint8, int8, big-endian int16/int32/float32)."""
    codes = {"|u1": 0x08, "|i1": 0x09, ">i2": 0x0B, ">i4": 0x0C, ">f4": 0x0D}

    def write(path, array):
        array = np.asarray(array)
        header = bytes([0, 0, codes[array.dtype.str], array.ndim])
        header += b"".join(int(n).to_bytes(4, "big") for n in array.shape)
        opener = gzip.open if str(path).endswith(".gz") else open
        with opener(path, "wb") as handle:
            handle.write(header + array.tobytes())

    return write
