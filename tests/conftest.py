"""Test session set-up shared by all test modules."""

import logging
import os

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
