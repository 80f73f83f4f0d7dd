"""Large data: transform, inverse_transform and fit on a memory-mapped X.

A 300,000-row float32 ``np.memmap`` must go through the embedders in
chunks: the memory a call allocates (``tracemalloc``, which sees numpy's
buffers) and the process's private resident memory (``RssAnon``, which also
sees torch's) must grow by well under the input's size. The measuring code
is ``benchmarks/bench_memory.py``, which prints the same figures for
``docs/scaling.md``.
"""

import sys
from pathlib import Path

import numpy as np
import pytest

from sk_metricembed import SiameseAutoencoderEmbedder, TripletVAEEmbedder, _base
from sk_metricembed._training import assemble, pseudo_labels

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.bench_memory import (  # noqa: E402
    StopAfter,
    peak_memory,
    write_memmap,
)

N_SAMPLES, N_FEATURES = 300_000, 48
SMALL = dict(hidden_layer_sizes=(32,), latent_dim=4, max_epochs=1, random_state=0)


@pytest.fixture(scope="module")
def memmap(tmp_path_factory):
    path = tmp_path_factory.mktemp("scale") / "X.npy"
    return write_memmap(path, N_SAMPLES, N_FEATURES)


@pytest.fixture(scope="module")
def labels():
    y = np.full(N_SAMPLES, -1)
    y[::100] = np.arange(N_SAMPLES // 100) % 10  # 1% labelled
    return y


@pytest.fixture(scope="module")
def embedder(memmap, labels):
    fitted = TripletVAEEmbedder(**SMALL).fit(np.asarray(memmap[:2000]), labels[:2000])
    fitted.transform(memmap[:5000])  # warm-up: lazy imports, allocator pools
    return fitted


def test_memmap_transform_reads_in_chunks(memmap, embedder):
    Z, traced, rss, _ = peak_memory(lambda: embedder.transform(memmap))
    assert Z.shape == (N_SAMPLES, 4) and Z.dtype == np.float32
    # The output (4.8 MB) and one chunk, never the 57.6 MB input.
    assert traced < memmap.nbytes / 4, traced
    assert rss < memmap.nbytes / 2, rss
    rows = np.r_[0:100, 150_000:150_100, N_SAMPLES - 100 : N_SAMPLES]
    np.testing.assert_allclose(
        Z[rows], embedder.transform(np.asarray(memmap[rows])), rtol=1e-5, atol=1e-6
    )


def test_inverse_transform_holds_the_output_once(memmap, embedder):
    Z = embedder.transform(memmap[:100_000])
    X_back, traced, rss, _ = peak_memory(lambda: embedder.inverse_transform(Z))
    assert X_back.shape == (100_000, N_FEATURES)
    # One preallocated output plus a chunk, not a list of chunks joined.
    assert traced < 1.25 * X_back.nbytes, traced
    assert rss < 2 * X_back.nbytes, rss


def test_bce_inverse_transform_applies_the_sigmoid_per_chunk(memmap):
    X = np.asarray(memmap[:6000])
    bce = dict(reconstruction="bce", weight=0.0)
    embedder = SiameseAutoencoderEmbedder(**SMALL, **bce).fit(X)
    Z = embedder.transform(X)
    logits = embedder._apply(embedder.net_.module_.decoder, Z).astype(np.float64)
    np.testing.assert_allclose(
        embedder.inverse_transform(Z), 1 / (1 + np.exp(-logits)), rtol=1e-5
    )


def test_inference_chunk_does_not_change_the_result(memmap, embedder, monkeypatch):
    X = memmap[:10_000]
    expected = embedder.transform(X)
    monkeypatch.setattr(_base, "INFERENCE_CHUNK", 777)
    embedder.set_params(batch_size=10)
    try:
        np.testing.assert_allclose(embedder.transform(X), expected, rtol=1e-5)
    finally:
        embedder.set_params(batch_size=256)


def test_fit_reads_a_float32_memmap_in_place(memmap, labels, monkeypatch):
    seen = {}
    original = assemble.PlanDataset

    def spy(X, *args, **kwargs):
        seen["X"] = X
        return original(X, *args, **kwargs)

    monkeypatch.setattr(assemble, "PlanDataset", spy)
    # The label spreading after training works on at most this many rows
    # whatever the data size: a fixed cost, kept small here so that the
    # bound below measures what grows with the rows.
    monkeypatch.setattr(pseudo_labels, "MAX_PROPAGATION_ROWS", 2000)
    warm_up = TripletVAEEmbedder(**SMALL, neighbor_weight=0.0)
    warm_up.set_params(callbacks=[StopAfter(2)]).fit(memmap[:3000], labels[:3000])
    embedder = TripletVAEEmbedder(
        **SMALL, neighbor_weight=0.0, callbacks=[StopAfter(5)]
    )
    _, traced, _, _ = peak_memory(lambda: embedder.fit(memmap, labels))
    # Training reads the mapped file itself, row batch by row batch.
    assert np.shares_memory(seen["X"], memmap)
    # What the fit keeps per row: a class for every row and its distribution.
    kept = embedder.transduction_.nbytes + embedder.label_distributions_.nbytes
    assert traced < memmap.nbytes / 4 + kept, (traced, kept)
    assert len(embedder.history_) == 1  # the interrupted epoch is recorded


def test_fit_with_the_neighbour_term_accepts_a_memmap(memmap, labels):
    X, y = memmap[:2000], labels[:2000]
    embedder = SiameseAutoencoderEmbedder(**SMALL).fit(X, y)
    assert np.isfinite(embedder.history_[-1, "neighbor_loss"])
    assert embedder.transform(X).shape == (2000, 4)


@pytest.mark.slow
def test_memmap_larger_than_a_gigabyte_transforms(tmp_path):
    # 2,000,000 x 160 float32 = 1.28 GB on disk.
    X = write_memmap(tmp_path / "big.npy", 2_000_000, 160)
    embedder = TripletVAEEmbedder(**SMALL).fit(np.asarray(X[:2000]))
    embedder.transform(X[:5000])
    Z, traced, rss, _ = peak_memory(lambda: embedder.transform(X))
    assert Z.shape == (2_000_000, 4)
    assert traced < X.nbytes / 20 and rss < X.nbytes / 10
