"""Peer systems: each maps (X_train, y_train_semi, X_test, **options) to
(Z_train, Z_test), or (Z_train, Z_test, fit_seconds) when it times itself.

``options`` carries ``latent_dim``, ``max_epochs`` (None: the system's
default), ``image_shape`` and, in the constraints scenario, ``pairs``,
``pair_labels`` and ``triplets``. ``y_train_semi`` uses -1 for hidden labels.
"""

from __future__ import annotations

import numpy as np
from sklearn.decomposition import PCA
from sklearn.neighbors import NeighborhoodComponentsAnalysis

from sk_metricembed import SiameseAutoencoderEmbedder, TripletVAEEmbedder

from . import bare_tvae, external


def raw(X_train, y_train_semi, X_test, **_):
    return X_train, X_test


def pca(X_train, y_train_semi, X_test, *, latent_dim, **_):
    # At most as many components as features (iris has 4).
    n_components = min(latent_dim, X_train.shape[1])
    model = PCA(n_components=n_components, random_state=0).fit(X_train)
    return model.transform(X_train), model.transform(X_test)


def nca(X_train, y_train_semi, X_test, *, latent_dim, **_):
    labelled = y_train_semi >= 0
    model = NeighborhoodComponentsAnalysis(
        n_components=min(latent_dim, X_train.shape[1]), random_state=0
    )
    model.fit(X_train[labelled], y_train_semi[labelled])
    return model.transform(X_train), model.transform(X_test)


def _umap(X_train, y, X_test, latent_dim):
    from umap import UMAP

    model = UMAP(n_components=latent_dim, random_state=0)
    model.fit(X_train, y)
    return model.embedding_, model.transform(X_test)


def umap_semi(X_train, y_train_semi, X_test, *, latent_dim, **_):
    return _umap(X_train, y_train_semi, X_test, latent_dim)


def umap_unsupervised(X_train, y_train_semi, X_test, *, latent_dim, **_):
    return _umap(X_train, None, X_test, latent_dim)


def _ours(
    estimator_class,
    X_train,
    y,
    X_test,
    *,
    latent_dim,
    max_epochs=None,
    image_shape=None,
    fit_params=None,
    **params,
):
    if max_epochs is not None:
        params["max_epochs"] = max_epochs
    if image_shape is not None:
        # augment="auto": image_shape alone gives image mode's defaults.
        params["image_shape"] = image_shape
    model = estimator_class(latent_dim=latent_dim, random_state=0, **params)
    model.fit(X_train, y, **(fit_params or {}))
    return model.transform(X_train), model.transform(X_test)


def _our_system(
    estimator_class, image_mode=False, with_labels=True, constraints=(), **params
):
    """A peer function running one of our estimators with fixed extra params.

    ``constraints`` names the scenario options passed on to ``fit``
    (``"pairs"``, ``"pair_labels"``, ``"triplets"``) in the constraints-only
    scenario.
    """

    def system(
        X_train,
        y_train_semi,
        X_test,
        *,
        latent_dim,
        max_epochs=None,
        image_shape=None,
        **options,
    ):
        return _ours(
            estimator_class,
            X_train,
            y_train_semi if with_labels else None,
            X_test,
            latent_dim=latent_dim,
            max_epochs=max_epochs,
            image_shape=image_shape if image_mode else None,
            fit_params={name: options[name] for name in constraints},
            **params,
        )

    return system


siamese = _our_system(SiameseAutoencoderEmbedder)
tvae = _our_system(TripletVAEEmbedder)
siamese_image = _our_system(SiameseAutoencoderEmbedder, image_mode=True)
tvae_image = _our_system(TripletVAEEmbedder, image_mode=True)
# Reconstruction only (weight=0), fitted without labels.
# Both estimators default to a VAE: the plain autoencoder says so.
plain_ae = _our_system(
    SiameseAutoencoderEmbedder, with_labels=False, weight=0.0, variational=False
)
plain_vae = _our_system(TripletVAEEmbedder, with_labels=False, weight=0.0)


def bare(X_train, y_train_semi, X_test, *, latent_dim, max_epochs=None, **_):
    return bare_tvae.bare_tvae_peer(
        X_train, y_train_semi, X_test, latent_dim=latent_dim, epochs=max_epochs or 10
    )


_PAIRS, _TRIPLETS = ("pairs", "pair_labels"), ("triplets",)
siamese_pairs = _our_system(
    SiameseAutoencoderEmbedder, with_labels=False, constraints=_PAIRS
)
tvae_triplets = _our_system(
    TripletVAEEmbedder, with_labels=False, constraints=_TRIPLETS
)
siamese_pairs_image = _our_system(
    SiameseAutoencoderEmbedder, True, with_labels=False, constraints=_PAIRS
)
tvae_triplets_image = _our_system(
    TripletVAEEmbedder, True, with_labels=False, constraints=_TRIPLETS
)


def _on_pca50(peer):
    """metric-learn peers see PCA-50 features of the pixels."""

    def run(X_train, y_train_semi, X_test, **options):
        model = PCA(n_components=min(50, X_train.shape[1]), random_state=0)
        P_train = model.fit_transform(X_train)
        return peer(P_train, y_train_semi, model.transform(X_test), **options)

    run.__doc__ = peer.__doc__
    return run


# name -> (function, needs: None or the venv it runs in)
LABEL_SYSTEMS = {
    "raw": (raw, None),
    "pca": (pca, None),
    "nca": (nca, None),
    "umap_semi": (umap_semi, "umap"),
    "umap": (umap_unsupervised, "umap"),
    "ivis": (external.ivis_peer, "ivis"),
    "ae": (plain_ae, None),
    "vae": (plain_vae, None),
    "bare_tvae": (bare, None),
    "siamese": (siamese, None),
    "tvae": (tvae, None),
    "siamese_image": (siamese_image, None),
    "tvae_image": (tvae_image, None),
}
IMAGE_ONLY = {"bare_tvae", "siamese_image", "tvae_image"}
#: The general suite: the peers every cell of ours must match or beat, and ours.
GENERAL_PEERS = ("raw", "pca", "nca", "umap_semi")
GENERAL_OURS = ("siamese", "tvae", "siamese_image", "tvae_image")
CONSTRAINT_SYSTEMS = {
    "pca": (pca, None),
    "itml": (_on_pca50(external.itml_peer), "metric_learn"),
    "scml": (_on_pca50(external.scml_peer), "metric_learn"),
    "siamese_pairs": (siamese_pairs, None),
    "tvae_triplets": (tvae_triplets, None),
    "siamese_pairs_image": (siamese_pairs_image, None),
    "tvae_triplets_image": (tvae_triplets_image, None),
}
NEURAL = {
    "ae",
    "vae",
    "bare_tvae",
    "siamese",
    "tvae",
    "siamese_image",
    "tvae_image",
    "siamese_pairs",
    "tvae_triplets",
    "siamese_pairs_image",
    "tvae_triplets_image",
}


def unavailable(requirement: str | None) -> str | None:
    """Why a system's requirement is missing, or None."""
    if requirement is None:
        return None
    if requirement == "umap":
        try:
            import umap  # noqa: F401
        except ImportError as error:
            return f"umap-learn not importable ({error})"
        return None
    return external.venv_problem(requirement)


def as_float(Z) -> np.ndarray:
    return np.asarray(Z, dtype=np.float64)
