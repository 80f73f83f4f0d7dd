"""Tests of sk_metricembed._training.neighbors: the input-space neighbour table."""

import numpy as np
import pytest

from sk_metricembed._training import neighbors as _neighbors
from sk_metricembed._training.neighbors import input_neighbors


def test_table_holds_each_row_nearest_other_rows():
    X = np.array([[0.0], [0.1], [0.3], [5.0], [5.2]])
    table = input_neighbors(X, 1, random_state=0, metric="euclidean")
    np.testing.assert_array_equal(table[:, 0], [1, 0, 1, 4, 3])


def test_too_few_rows_give_no_table():
    assert (
        input_neighbors(np.zeros((2, 3)), 5, random_state=0, metric="euclidean") is None
    )


def test_large_data_pca_reads_a_memmap_in_chunks(tmp_path, monkeypatch):
    # Shrink the thresholds so that a small memmap takes the large-data path.
    monkeypatch.setattr(_neighbors, "_PCA_SUBSAMPLE", 300)
    monkeypatch.setattr(_neighbors, "_PCA_CHUNK", 128)
    rng = np.random.default_rng(0)
    centres = rng.normal(scale=10, size=(4, 60))
    labels = np.repeat(np.arange(4), 250)
    X = np.memmap(tmp_path / "X.dat", np.float32, "w+", shape=(1000, 60))
    X[:] = centres[labels] + rng.normal(size=(1000, 60))
    table = input_neighbors(X, 5, random_state=0, metric="euclidean")
    assert table.shape == (1000, 5)
    assert not (table == np.arange(1000)[:, None]).any()
    # Well-separated blobs: every neighbour comes from the row's own blob.
    assert (labels[table] == labels[:, None]).all()


@pytest.mark.parametrize("n_samples", [400, 1000])
def test_subsampled_pca_finds_the_same_neighbours_on_clear_structure(
    n_samples, monkeypatch
):
    monkeypatch.setattr(_neighbors, "_PCA_SUBSAMPLE", 300)
    rng = np.random.default_rng(1)
    X = rng.normal(size=(n_samples, 80)).astype(np.float32)
    X[:, :5] *= 20  # the structure lives in five directions PCA keeps
    exact = input_neighbors(X[:, :5], 3, random_state=0, metric="euclidean")
    subsampled = input_neighbors(X, 3, random_state=0, metric="euclidean")
    agreement = np.mean([len(set(a) & set(b)) / 3 for a, b in zip(exact, subsampled)])
    assert agreement > 0.8


def test_above_the_threshold_pynndescent_finds_the_neighbours(monkeypatch):
    pynndescent = pytest.importorskip("pynndescent")
    calls = []

    class Spy(pynndescent.NNDescent):
        def __init__(self, *args, **kwargs):
            calls.append(kwargs)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(_neighbors, "APPROXIMATE_ABOVE", 100)
    monkeypatch.setattr(pynndescent, "NNDescent", Spy)
    rng = np.random.default_rng(0)
    centres = rng.normal(scale=20, size=(3, 8))
    labels = np.repeat(np.arange(3), 100)
    X = centres[labels] + rng.normal(size=(300, 8))
    table = input_neighbors(X, 5, random_state=0, metric="euclidean")
    assert len(calls) == 1 and calls[0]["n_neighbors"] == 6
    assert table.shape == (300, 5)
    assert not (table == np.arange(300)[:, None]).any()  # never the row itself
    assert (labels[table] == labels[:, None]).mean() > 0.99
