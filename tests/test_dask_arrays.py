"""transform and inverse_transform of dask arrays: lazy, block by block."""

import numpy as np
import pytest

from sk_metricembed import SiameseAutoencoderEmbedder, TripletVAEEmbedder

da = pytest.importorskip("dask.array")


@pytest.fixture(scope="module")
def fitted():
    rng = np.random.RandomState(0)
    X = rng.rand(300, 12).astype(np.float32)
    y = np.repeat([0, 1, 2], 100)
    embedder = TripletVAEEmbedder(latent_dim=3, max_epochs=2, random_state=0)
    return embedder.fit(X, y), X


def test_transform_is_lazy_and_matches_the_array_path(fitted, monkeypatch):
    embedder, X = fitted
    calls = []
    apply = embedder._apply
    monkeypatch.setattr(
        embedder, "_apply", lambda *args: calls.append(1) or apply(*args)
    )
    # Columns chunked too: merged, as a block needs all the features.
    D = da.from_array(X, chunks=(64, 5))
    Z = embedder.transform(D)
    assert isinstance(Z, da.Array) and not calls
    assert Z.chunks == ((64, 64, 64, 64, 44), (3,)) and Z.dtype == np.float32
    computed = Z.compute(scheduler="synchronous")
    assert len(calls) == 5  # one network pass per block of rows
    np.testing.assert_allclose(computed, embedder.transform(X), atol=1e-6)
    decoded = embedder.inverse_transform(Z)
    assert isinstance(decoded, da.Array) and decoded.shape == X.shape
    np.testing.assert_allclose(
        decoded.compute(), embedder.inverse_transform(computed), atol=1e-6
    )


@pytest.mark.parametrize("shape", [(300, 11), (300,)])
def test_a_wrong_dask_array_is_refused_before_computing(fitted, shape):
    embedder, _ = fitted
    D = da.zeros(shape, chunks=100, dtype=np.float32)
    with pytest.raises(ValueError, match="transform expects a 2-D dask array with 12"):
        embedder.transform(D)
    with pytest.raises(ValueError, match="inverse_transform expects .* 3 columns"):
        embedder.inverse_transform(da.zeros((10, 4), chunks=5))


def test_an_unfitted_embedder_refuses_a_dask_array():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        SiameseAutoencoderEmbedder().transform(da.zeros((4, 3), chunks=2))


def test_transform_computes_on_a_distributed_cluster(fitted, dask_client):
    embedder, X = fitted
    D = da.from_array(X, chunks=(100, 12))
    future = dask_client.compute(embedder.transform(D))
    computed = future.result()
    # The blocks ran in the worker processes, not here.
    who = dask_client.who_has(future)
    assert who and all(workers for workers in who.values())
    np.testing.assert_allclose(computed, embedder.transform(X), atol=1e-6)
