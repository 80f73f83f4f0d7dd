"""Shared base of the embedders: validation, the skorch net, transform.

The two public estimators differ only in their defaults (loss family and
``variational``); everything they share lives here, once. Arrays are
validated once at this boundary, become tensors once inside the batch plans,
and come back as arrays once in :meth:`transform`.
"""

from __future__ import annotations

import numbers

import numpy as np
import torch
from sklearn.base import (
    BaseEstimator,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
    _fit_context,
)
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from ._auto import (
    AUTO_HIDDEN_LAYER_SIZES,
    AUTO_MAX_EPOCHS,
    auto_pseudo_label_fraction,
)
from ._conv import RandomAffine
from ._inference import INFERENCE_CHUNK, apply_in_chunks
from ._mining import MINERS
from ._modules import ACTIVATIONS
from ._net import EmbeddingNet
from ._objective import Objective
from ._pseudo_labels import PseudoLabeler
from ._sampling import PlanDataset, PlanSampler
from ._supervision import Supervision, check_supervision
from ._torch_setup import build_module, resolve_device, resolve_optimizer, seeded_torch
from ._validation import (
    _check_float32_range,
    _check_image_shape,
    _is_auto,
    _validate_rows,
)


class BaseMetricEmbedder(
    ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator
):
    """Autoencoder embedder trained on a blend of reconstruction and metric losses.

    Not meant to be used directly: see :class:`SiameseAutoencoderEmbedder`
    and :class:`TripletVAEEmbedder`, whose docstrings list the parameters.
    """

    _metric_losses: tuple[str, ...] = ()

    _parameter_constraints: dict = {
        "latent_dim": [Interval(numbers.Integral, 1, None, closed="left")],
        "hidden_layer_sizes": [StrOptions({"auto"}), "array-like"],
        "activation": [StrOptions(set(ACTIVATIONS))],
        "dropout": [Interval(numbers.Real, 0, 1, closed="left")],
        "variational": ["boolean"],
        "beta": [Interval(numbers.Real, 0, None, closed="left")],
        "weight": [Interval(numbers.Real, 0, 1, closed="both")],
        "margin": [Interval(numbers.Real, 0, None, closed="left")],
        "miner": [StrOptions(set(MINERS))],
        "reconstruction": [StrOptions({"mse", "bce"})],
        "neighbor_weight": [Interval(numbers.Real, 0, None, closed="left")],
        "n_neighbors": [Interval(numbers.Integral, 1, None, closed="left")],
        "supervised_contrastive_weight": [
            Interval(numbers.Real, 0, None, closed="left")
        ],
        "pseudo_label_fraction": [
            StrOptions({"auto"}),
            Interval(numbers.Real, 0, 1, closed="both"),
        ],
        "contrasting_weight": [Interval(numbers.Real, 0, None, closed="left")],
        "classifier_weight": [Interval(numbers.Real, 0, None, closed="left")],
        "spatial_contrasting_weight": [Interval(numbers.Real, 0, None, closed="left")],
        "image_shape": [None, tuple, list],
        "augment": ["boolean"],
        "max_epochs": [
            StrOptions({"auto"}),
            Interval(numbers.Integral, 1, None, closed="left"),
        ],
        "batch_size": [Interval(numbers.Integral, 1, None, closed="left")],
        "lr": [Interval(numbers.Real, 0, None, closed="neither")],
        "optimizer": [StrOptions({"adam", "adamw", "sgd"}), type],
        "device": [StrOptions({"cpu", "cuda", "auto"}), torch.device, str],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
        "callbacks": [None, list],
        "warm_start": ["boolean"],
    }

    # -- fitting ---------------------------------------------------------
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(
        self,
        X,
        y=None,
        *,
        pairs=None,
        pair_labels=None,
        triplets=None,
        sample_index=None,
    ):
        """Fit the embedding to labels and/or explicit constraints.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training rows (a float32 ``np.memmap`` is read without a copy).
        y : array-like of shape (n_samples,), default=None
            Integer labels, ``-1`` for unlabelled rows (scikit-learn's
            semi-supervised convention). Unlabelled rows still train the
            reconstruction and the neighbour term.
        pairs : array-like of shape (n_pairs, 2), default=None
            Row indices of pairs known to be similar or dissimilar.
        pair_labels : array-like of shape (n_pairs,), default=None
            1 for similar, 0 (or metric-learn's -1) for dissimilar.
        triplets : array-like of shape (n_triplets, 3), default=None
            Row indices ``(anchor, positive, negative)``.
        sample_index : array-like of shape (n_samples,), default=None
            An identifier per row. When given, ``pairs`` and ``triplets``
            hold identifiers instead of row positions, so that they stay
            correct when cross-validation slices ``X`` (it slices
            ``sample_index`` with it); constraints reaching rows outside
            ``X`` are left out with a warning.

        Returns
        -------
        self : object
            The fitted embedder.
        """
        first_call = not (self.warm_start and hasattr(self, "net_"))
        # One row teaches an autoencoder nothing: sklearn's 1-sample message.
        X = _validate_rows(self, X, reset=first_call, ensure_min_samples=2)
        self._check_params(X)
        seed = check_random_state(self.random_state).randint(np.iinfo(np.int32).max)
        supervision = check_supervision(
            self,
            X,
            y,
            pairs,
            pair_labels,
            triplets,
            sample_index,
            reset=first_call,
            seed=seed,
        )
        with seeded_torch(seed, self._device):
            net = self.net_ if not first_call else self._build_net(supervision, seed)
            if not first_call:
                # Parameters set between warm fits take effect, as in sklearn;
                # skorch updates lr in the optimiser and keeps its state.
                net.set_params(max_epochs=self._max_epochs, lr=self.lr)
            dataset = self._dataset(X, supervision, np.random.RandomState(seed))
            try:
                net.fit(dataset, None) if first_call else net.partial_fit(dataset, None)
            except Exception:
                # A diverged or failed fit leaves no model that claims to be
                # fitted (skorch itself keeps the epochs before a Ctrl-C).
                self.__dict__.pop("net_", None)
                self.__dict__.pop("history_", None)
                raise
        self.net_ = net
        self.history_ = net.history
        return self

    def _check_params(self, X) -> None:
        if self.metric_loss not in self._metric_losses:
            raise ValueError(
                f"metric_loss must be one of {self._metric_losses} for "
                f"{type(self).__name__}, got {self.metric_loss!r}."
            )
        self._image_shape = _check_image_shape(self.image_shape, X.shape[1])
        mode = "vector" if self._image_shape is None else "image"
        self._hidden_layer_sizes = (
            AUTO_HIDDEN_LAYER_SIZES[mode]
            if _is_auto(self.hidden_layer_sizes)
            else self.hidden_layer_sizes
        )
        self._max_epochs = (
            AUTO_MAX_EPOCHS[mode] if _is_auto(self.max_epochs) else self.max_epochs
        )
        sizes = np.asarray(self._hidden_layer_sizes)
        if (
            sizes.ndim != 1
            or not np.issubdtype(sizes.dtype, np.integer)
            or (sizes < 1).any()
        ):
            raise ValueError(
                "hidden_layer_sizes must be 'auto' or a sequence of positive "
                f"integers, got {self.hidden_layer_sizes!r}."
            )
        if self.reconstruction == "bce" and (X.min() < 0 or X.max() > 1):
            raise ValueError(
                "reconstruction='bce' needs inputs in [0, 1]; scale X (for example "
                "with MinMaxScaler) or use reconstruction='mse'."
            )
        self._device = resolve_device(self.device)
        if self.spatial_contrasting_weight > 0 and self._image_shape is None:
            raise ValueError(
                "spatial_contrasting_weight > 0 needs image_shape=(height, width"
                "[, channels]): its patches come from the convolutional feature map."
            )
        if self.augment and self._image_shape is None:
            raise ValueError(
                "augment=True needs image_shape=(height, width[, channels]): random "
                "affine views are only defined for images."
            )

    def _build_net(self, supervision: Supervision, seed: int) -> EmbeddingNet:
        module = build_module(
            self, self.n_features_in_, supervision.n_classes, self._image_shape
        )
        callbacks = list(self.callbacks or [])
        pseudo_label_fraction = self._pseudo_label_fraction(supervision)
        if pseudo_label_fraction > 0 and (supervision.labels < 0).any():
            callbacks.append(
                PseudoLabeler(pseudo_label_fraction, self.n_neighbors, seed)
            )
        if self.verbose:
            from skorch.callbacks import ProgressBar

            callbacks.append(ProgressBar())
        return EmbeddingNet(
            module=module,
            criterion=Objective,
            criterion__weight=self.weight,
            criterion__metric_loss=self.metric_loss,
            criterion__miner=self.miner,
            criterion__margin=self.margin,
            criterion__reconstruction=self.reconstruction,
            criterion__beta=self.beta,
            criterion__neighbor_weight=self._neighbor_weight(supervision),
            criterion__supervised_contrastive_weight=self.supervised_contrastive_weight,
            criterion__contrasting_weight=self.contrasting_weight,
            criterion__classifier_weight=self.classifier_weight,
            criterion__spatial_contrasting_weight=self.spatial_contrasting_weight,
            optimizer=resolve_optimizer(self.optimizer),
            lr=self.lr,
            max_epochs=self._max_epochs,
            batch_size=self.batch_size,
            train_split=None,
            callbacks=callbacks or None,
            device=self._device,
            verbose=int(self.verbose),
            augment=RandomAffine(self._image_shape) if self.augment else None,
        )

    def _pseudo_label_fraction(self, supervision: Supervision) -> float:
        if not _is_auto(self.pseudo_label_fraction):
            return self.pseudo_label_fraction
        return auto_pseudo_label_fraction(supervision.labels, self._image_shape)

    def _neighbor_weight(self, supervision: Supervision) -> float:
        return self.neighbor_weight if supervision.neighbors is not None else 0.0

    def _dataset(self, X, supervision: Supervision, rng) -> PlanDataset:
        sampler = PlanSampler(
            n_samples=X.shape[0],
            labels=supervision.labels,
            batch_size=self.batch_size,
            rng=rng,
            neighbors=supervision.neighbors,
            pairs=supervision.pairs,
            pair_similar=supervision.pair_similar,
            triplets=supervision.triplets,
        )
        return PlanDataset(X, supervision.labels, sampler)

    # -- using the embedding ---------------------------------------------
    def transform(self, X) -> np.ndarray:
        """Embed rows: the latent code (the posterior mean for a VAE).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Rows to embed; processed in batches of ``batch_size``.

        Returns
        -------
        Z : ndarray of shape (n_samples, latent_dim)
        """
        check_is_fitted(self, "net_")
        X = _validate_rows(self, X, reset=False)
        return self._apply(self.net_.module_.encode, X)

    def inverse_transform(self, X) -> np.ndarray:
        """Decode latent codes back to the input space.

        Parameters
        ----------
        X : array-like of shape (n_samples, latent_dim)
            Latent codes, for example the output of :meth:`transform`.

        Returns
        -------
        X_reconstructed : ndarray of shape (n_samples, n_features_in_)
        """
        check_is_fitted(self, "net_")
        from sklearn.utils import check_array

        Z = check_array(X, dtype=[np.float32, np.float64], input_name="X")
        _check_float32_range(Z)
        if Z.shape[1] != self.latent_dim:
            raise ValueError(
                f"X has {Z.shape[1]} features, but inverse_transform expects "
                f"latent codes with latent_dim={self.latent_dim} columns."
            )
        decoder = self.net_.module_.decoder
        if self.reconstruction == "bce":
            # The sigmoid runs per chunk: no full-size temporaries.
            return self._apply(lambda codes: torch.sigmoid(decoder(codes)), Z)
        return self._apply(decoder, Z)

    def sample(self, n_samples: int = 1, random_state=None) -> np.ndarray:
        """Draw new rows from a VAE: decode codes drawn from the prior N(0, I).

        Parameters
        ----------
        n_samples : int, default=1
            Number of rows to generate.
        random_state : int, RandomState instance or None, default=None
            Seed of the prior draw.

        Returns
        -------
        X_sampled : ndarray of shape (n_samples, n_features_in_)
        """
        check_is_fitted(self, "net_")
        if not self.variational:
            raise ValueError(
                "sample needs a VAE: fit with variational=True (a deterministic "
                "autoencoder has no prior to sample from)."
            )
        if not isinstance(n_samples, numbers.Integral) or n_samples < 1:
            raise ValueError(f"n_samples must be an integer >= 1, got {n_samples!r}.")
        rng = check_random_state(random_state)
        Z = rng.standard_normal((n_samples, self.latent_dim)).astype(np.float32)
        return self.inverse_transform(Z)

    def score(self, X, y) -> float:
        """Triplet accuracy of the embedding of ``X`` on its labelled rows.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            Integer labels; ``-1`` rows are ignored.

        Returns
        -------
        score : float
            See :func:`~sk_metricembed.triplet_accuracy_score`.
        """
        from .metrics import triplet_accuracy_score

        return triplet_accuracy_score(self.transform(X), y, random_state=0)

    def _apply(self, function, X) -> np.ndarray:
        return apply_in_chunks(
            function,
            X,
            self.net_.device,
            module=self.net_.module_,
            step=max(self.batch_size, INFERENCE_CHUNK),
        )

    @property
    def _n_features_out(self) -> int:
        if not hasattr(self, "net_"):
            # get_feature_names_out then raises NotFittedError.
            raise AttributeError("_n_features_out is known after fit")
        return self.latent_dim

    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, "net_")

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = False
        tags.non_deterministic = False
        # The network computes in float32 whatever the input dtype.
        tags.transformer_tags.preserves_dtype = ["float32"]
        return tags
