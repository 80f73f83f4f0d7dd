"""Tests of sk_metricembed._training.neighbors: the input-space neighbour table."""

import numpy as np
import pytest

from sk_metricembed._training import neighbors as _neighbors
from sk_metricembed._training.neighbors import (
    input_graph,
    input_neighbors,
    view_agreement,
)


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


# About 60 s on 2 cores, nearly all of it numba compiling pynndescent: in the
# slow set. Only fits above APPROXIMATE_ABOVE rows (50,000) take this path;
# ``python -m benchmarks.large`` (100,000 rows) fits one.
@pytest.mark.slow
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


def test_view_agreement_is_the_share_of_views_near_their_own_row():
    torch = pytest.importorskip("torch")
    X = np.random.RandomState(0).rand(60, 16).astype(np.float32)
    graph = input_graph(X, 10, 0, "euclidean")

    def agreement(views):
        return view_agreement(graph, X, views, n_neighbors=10, seed=0)

    # A view that moves nothing finds its own row first.
    assert agreement(lambda rows: rows) == 1.0
    # Views carried far along the diagonal all find the same ten rows (the
    # largest feature sums): only those ten find themselves.
    assert agreement(lambda rows: rows + 1000.0) == pytest.approx(10 / 60)
    # Small noise keeps most views by their row, large noise few of them.
    noise = lambda scale: lambda rows: rows + scale * torch.randn_like(rows)  # noqa: E731
    torch.manual_seed(0)
    near = agreement(noise(0.05))
    torch.manual_seed(0)
    lost = agreement(noise(2.0))
    assert near > 0.9 > 0.5 > lost


def test_view_agreement_samples_its_rows_above_the_cap(monkeypatch):
    X = np.random.RandomState(0).rand(300, 8).astype(np.float32)
    graph = input_graph(X, 10, 0, "euclidean")
    seen = []

    def views(rows):
        seen.append(rows.shape[0])
        return rows

    monkeypatch.setattr(_neighbors, "AGREEMENT_ROWS", 50)
    assert view_agreement(graph, X, views, n_neighbors=10, seed=0) == 1.0
    assert seen == [50]
