"""Shared base of the embedders: validation, assembling the fit, transform.

The two public estimators differ only in their metric losses; everything
they share lives here, once, and assembles a fit from the training
machinery (:mod:`._training`). Arrays are validated once at this boundary,
become tensors once inside the batch plans, and come back as arrays once in
:meth:`transform`.
"""

from __future__ import annotations

import inspect
import warnings

import numpy as np
from sklearn.base import (
    BaseEstimator,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
    _fit_context,
)
from sklearn.utils import check_array, check_random_state
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.validation import check_is_fitted

from ._defaults import (
    resolve_hidden_layer_sizes,
    resolve_max_epochs,
    resolve_pseudo_label_fraction,
)
from ._parameters import (
    ATTRIBUTES_DOC,
    make_init,
    options_doc,
    parameter_constraints,
    parameters_doc,
)
from ._supervision import Supervision, check_supervision
from ._training.augment import RandomAffine
from ._training.autoencoder import AutoEncoderConfig, build_autoencoder
from ._training.batches import PlanDataset, PlanSampler
from ._training.inference import INFERENCE_CHUNK, apply_in_chunks
from ._training.loss_parts import LOSS_PARTS, history_key
from ._training.neighbors import input_neighbors
from ._training.objective import Objective
from ._training.pseudo_labels import PseudoLabeler
from ._training.setup import resolve_device, resolve_optimizer, seeded_torch
from ._training.skorch_net import EmbeddingNet
from ._validation import (
    check_count,
    check_float32_range,
    resolve_image_shape,
    validate_rows,
)

#: The estimator parameters the objective reads, by name (see its signature).
_OBJECTIVE_PARAMETERS = tuple(inspect.signature(Objective).parameters)


class BaseMetricEmbedder(
    ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator
):
    """Autoencoder embedder trained on a blend of reconstruction and metric losses.

    Not meant to be used directly: see :class:`SiameseAutoencoderEmbedder`
    and :class:`TripletVAEEmbedder`, whose docstrings list the parameters.
    A subclass names its metric losses (the first is its default) and the
    words of its documentation; its ``__init__``, ``_parameter_constraints``
    and the Parameters and Attributes sections of its docstring are then
    built from the one declaration in :mod:`._parameters`.
    """

    def __init_subclass__(
        cls,
        *,
        metric_losses: tuple[str, ...],
        network: str,
        constraint: str,
        metric_help: str,
        **kwargs,
    ) -> None:
        super().__init_subclass__(**kwargs)
        cls._parameter_constraints = parameter_constraints(
            metric_loss=[StrOptions(set(metric_losses))]
        )
        cls.__init__ = make_init(metric_loss=metric_losses[0])
        parameters = parameters_doc(
            {"metric_loss": metric_losses[0]},
            network=network,
            constraint=constraint,
            metric_options=options_doc(metric_losses),
            metric_help=metric_help,
        )
        parts = ", ".join(f"``{history_key(part)}``" for part in LOSS_PARTS)
        cls.__doc__ = cls.__doc__.replace("    {parameters}", parameters).replace(
            "    {attributes}", ATTRIBUTES_DOC.format(parts=parts)
        )

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
        X = validate_rows(self, X, reset=first_call, ensure_min_samples=2)
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
        )
        neighbors = None
        if self.weight > 0 and self.neighbor_weight > 0:
            neighbors = input_neighbors(X, self.n_neighbors, seed)
        if self.weight > 0 and supervision.is_empty:
            self._warn_unsupervised(neighbors)
        with seeded_torch(seed, self._device):
            if first_call:
                net = self._build_net(supervision, neighbors, seed)
            else:
                net = self.net_
                # Parameters set between warm fits take effect, as in sklearn;
                # skorch updates lr in the optimiser and keeps its state.
                net.set_params(max_epochs=self._max_epochs, lr=self.lr)
            dataset = self._dataset(
                X, supervision, neighbors, np.random.RandomState(seed)
            )
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

    def _warn_unsupervised(self, neighbors) -> None:
        what = (
            "the unsupervised neighbour term and the reconstruction"
            if neighbors is not None
            else "the reconstruction only"
        )
        warnings.warn(
            "no supervision: y has fewer than two labelled classes and no pairs or "
            f"triplets were given, so weight={self.weight} trains {what}.",
            UserWarning,
            stacklevel=4,
        )

    def _check_params(self, X) -> None:
        """Resolve what depends on the data ("auto", image mode, device)."""
        if self.image_shape is not None and len(tuple(self.image_shape)) not in (2, 3):
            raise ValueError(
                "image_shape must be (height, width) or (height, width, channels) "
                f"of positive integers, got {self.image_shape!r}."
            )
        shape = resolve_image_shape(self.image_shape, X.shape[1])
        if shape is not None and len(shape) == 2:
            shape = (*shape, 1)  # grey images: one channel, last
        self._image_shape = shape
        self._hidden_layer_sizes = resolve_hidden_layer_sizes(
            self.hidden_layer_sizes, self._image_shape
        )
        self._max_epochs = resolve_max_epochs(self.max_epochs, self._image_shape)
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

    def _build_net(
        self, supervision: Supervision, neighbors, seed: int
    ) -> EmbeddingNet:
        config = AutoEncoderConfig(
            n_features=self.n_features_in_,
            latent_dim=self.latent_dim,
            hidden_layer_sizes=tuple(int(s) for s in self._hidden_layer_sizes),
            activation=self.activation,
            dropout=self.dropout,
            variational=self.variational,
            image_shape=self._image_shape,
            n_classes=supervision.n_classes
            if self.classifier_weight > 0 and supervision.n_classes >= 2
            else 0,
        )
        objective = {name: getattr(self, name) for name in _OBJECTIVE_PARAMETERS}
        if neighbors is None:
            objective["neighbor_weight"] = 0.0
        callbacks = list(self.callbacks or [])
        pseudo_label_fraction = resolve_pseudo_label_fraction(
            self.pseudo_label_fraction, supervision.labels, self._image_shape
        )
        if pseudo_label_fraction > 0 and (supervision.labels < 0).any():
            callbacks.append(
                PseudoLabeler(pseudo_label_fraction, self.n_neighbors, seed)
            )
        if self.verbose:
            from skorch.callbacks import ProgressBar

            callbacks.append(ProgressBar())
        return EmbeddingNet(
            # A factory and its config, not a module instance: skorch builds
            # module_ at initialisation and pickles only what it builds
            # through torch.save, which a machine without the GPU can map to
            # its CPU (an instance would be pickled a second time, as is).
            module=build_autoencoder,
            module__config=config,
            criterion=Objective,
            **{f"criterion__{name}": value for name, value in objective.items()},
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

    def _dataset(self, X, supervision: Supervision, neighbors, rng) -> PlanDataset:
        sampler = PlanSampler(
            n_samples=X.shape[0],
            labels=supervision.labels,
            batch_size=self.batch_size,
            rng=rng,
            neighbors=neighbors,
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
        X = validate_rows(self, X, reset=False)
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
        Z = check_array(X, dtype=[np.float32, np.float64], input_name="X")
        check_float32_range(Z)
        if Z.shape[1] != self.latent_dim:
            raise ValueError(
                f"X has {Z.shape[1]} features, but inverse_transform expects "
                f"latent codes with latent_dim={self.latent_dim} columns."
            )
        decoder = self.net_.module_.decoder
        if self.reconstruction == "bce":
            # The sigmoid runs per chunk: no full-size temporaries.
            return self._apply(lambda codes: decoder(codes).sigmoid(), Z)
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
        check_count(n_samples, "n_samples")
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
