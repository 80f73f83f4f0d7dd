"""Searches beyond one process: joblib workers and a dask.distributed cluster.

A search in parallel must give the serial search's results, and each worker
must run torch with its share of the cores (no oversubscription). The
thread count a worker's torch uses is read back through a scorer that
returns it as a "score".
"""

import os
import warnings

import joblib
import numpy as np
import pytest
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV, KFold

from sk_metricembed import TripletVAEEmbedder, triplet_accuracy_scorer

FAST = dict(max_epochs=1, hidden_layer_sizes=(16,), random_state=0)
GRID = {"latent_dim": [2, 3]}
N_JOBS = 2


def torch_threads(estimator, X, y=None):
    """A "score": the number of threads torch uses where the scoring runs."""
    return float(torch.get_num_threads())


SCORING = {"triplet": triplet_accuracy_scorer, "torch_threads": torch_threads}


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    X, y = (X[:200] / 16.0).astype(np.float32), y[:200].copy()
    y[1::2] = -1
    return X, y


def _search(X, y, n_jobs=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return GridSearchCV(
            TripletVAEEmbedder(**FAST),
            GRID,
            scoring=SCORING,
            refit="triplet",
            cv=KFold(2),
            n_jobs=n_jobs,
        ).fit(X, y)


@pytest.fixture(scope="module")
def serial(digits):
    return _search(*digits)


def _assert_same_search(parallel, serial):
    assert parallel.best_params_ == serial.best_params_
    np.testing.assert_array_equal(
        parallel.cv_results_["mean_test_triplet"],
        serial.cv_results_["mean_test_triplet"],
    )


def _worker_threads_limit(n_workers):
    return max(1, (os.cpu_count() or 1) // n_workers)


def test_joblib_processes_match_the_serial_search_without_oversubscribing(
    digits, serial
):
    parallel = _search(*digits, n_jobs=N_JOBS)
    _assert_same_search(parallel, serial)
    # loky caps each worker's thread pools (torch's included) at its share.
    threads = parallel.cv_results_["mean_test_torch_threads"]
    assert (threads <= _worker_threads_limit(N_JOBS)).all(), threads


def test_dask_cluster_runs_the_same_search(digits, serial, dask_client):
    with joblib.parallel_backend("dask"):
        search = _search(*digits, n_jobs=-1)
    # dask workers start with OMP_NUM_THREADS=1: one torch thread each.
    threads = search.cv_results_["mean_test_torch_threads"]
    _assert_same_search(search, serial)
    assert (threads == 1).all(), threads
