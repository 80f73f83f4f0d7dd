"""Shared base of the embedders: the scikit-learn API over the training machinery.

The two public estimators differ only in their metric losses; everything
they share lives here, once: validating the input, resolving what depends
on it, then handing the parameters to :mod:`._training.assemble`, which
wires the skorch net and the dataset. Arrays are validated once at this boundary,
become tensors once inside the batch plans, and come back as arrays once in
:meth:`transform`. A scipy sparse ``X`` stays sparse (CSR) throughout: the
batch plans and the chunked inference densify the rows they read, never
the whole matrix.
"""

from __future__ import annotations

import numbers
from dataclasses import replace

import numpy as np
import scipy.sparse as sp
import torch
from sklearn.base import (
    BaseEstimator,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
)
from sklearn.utils import check_array, check_random_state
from sklearn.utils.validation import check_is_fitted

from ._dask import is_dask_array, map_row_blocks
from ._defaults import (
    is_auto,
    mined_pair_weight,
    nominal_weight,
    resolve_augment,
    resolve_extra_term_weight,
    resolve_hidden_layer_sizes,
    resolve_input_metric,
    resolve_linear_path,
    resolve_lr_schedule,
    resolve_max_epochs,
    resolve_neighbor_smoothing,
    resolve_pseudo_label_fraction,
    resolve_validation_fraction,
)
from ._docstrings import ATTRIBUTES_DOC, fill_docstring, parameters_doc
from ._input_space import fit_input_choice
from ._label_trust import fit_neighbor_weight, fit_weight
from ._latent_distance import LatentDistanceMixin
from ._parameters import make_init, options_doc, parameter_constraints
from ._routing import SkorchRoutingMixin
from ._sklearn_compat import (
    Interval,
    StrOptions,
    _fit_context,
    validate_parameter_constraints,
)
from ._supervision import (
    check_pure_metric_network,
    check_supervision,
    warn_of_an_unread_index,
    warn_unsupervised,
)
from ._training.assemble import FitSettings, build_dataset, build_net
from ._training.autoencoder import USER_MODULES
from ._training.inference import INFERENCE_CHUNK, apply_in_chunks
from ._training.loss_parts import LOSS_PARTS, NO_METRIC_LOSS, PAIR_LOSSES, history_key
from ._training.lr_schedule import schedules_the_rate
from ._training.neighbors import input_neighbors
from ._training.precision import resolve_mixed_precision
from ._training.pseudo_labels import spread_labels
from ._training.rows import dense_rows
from ._training.setup import resolve_device, seeded_torch
from ._training.smoothing import NeighborSmoothing
from ._training.validation import SplitDatasets, holdout_rows, row_subset
from ._validation import (
    check_channels_last,
    check_float32_range,
    resolve_image_shape,
    validate_rows,
    warn,
)
from ._view_trust import smoothing_and_input_classes
from ._warm_fit import check_warm_fit, fixed_by_first_fit
from .metrics._scorer import EmbeddingScoreMixin

#: The terms that train on labelled rows only.
LABEL_TERMS = (
    "supervised_contrastive_weight",
    "contrasting_weight",
    "classifier_weight",
    "pseudo_label_fraction",
)


def _warn_untrained_at_weight_zero(what: str) -> None:
    """Say that ``weight=0``, the plain AE/VAE, leaves ``what`` untrained."""
    warn(
        f"weight=0 trains a plain autoencoder: {what} belong to the metric "
        "part, which weighs 0, and are not trained. Set weight above 0 to "
        "train them."
    )


class BaseMetricEmbedder(
    EmbeddingScoreMixin,
    SkorchRoutingMixin,
    LatentDistanceMixin,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
    BaseEstimator,
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
        metric_losses: tuple[str, ...] | None = None,
        network: str = "",
        constraint: str = "",
        metric_help: str = "",
        **kwargs,
    ) -> None:
        super().__init_subclass__(**kwargs)
        if metric_losses is None:
            return  # a user's subclass inherits its parent's declaration
        cls._parameter_constraints = parameter_constraints(
            metric_loss=[StrOptions(set(metric_losses))]
        )
        if "__init__" not in cls.__dict__:
            init = make_init(metric_loss=metric_losses[0])
            init.__qualname__ = f"{cls.__qualname__}.__init__"
            init.__module__ = cls.__module__
            cls.__init__ = init
        if cls.__doc__:  # None under python -OO
            parameters = parameters_doc(
                {"metric_loss": metric_losses[0]},
                network=network,
                constraint=constraint,
                metric_options=options_doc(metric_losses),
                metric_help=metric_help,
            )
            parts = ", ".join(f"``{history_key(part)}``" for part in LOSS_PARTS)
            cls.__doc__ = fill_docstring(
                cls.__doc__,
                parameters=parameters,
                attributes=ATTRIBUTES_DOC.format(parts=parts),
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
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training rows (a float32 ``np.memmap`` is read without a copy; a
            scipy sparse matrix or array is densified one batch at a time).
        y : array-like of shape (n_samples,), default=None
            Class labels of any type that sorts (numbers, text, booleans, a
            pandas Series, categoricals included); ``-1``, ``None``, NaN and
            ``pd.NA`` mark unlabelled rows (scikit-learn's semi-supervised
            convention, widened), and in text so do ``"-1"`` and ``"nan"``
            (how numpy writes -1 and NaN among strings) and blank text
            (``""``, an empty spreadsheet cell); other text, ``"?"`` or
            ``"unknown"`` too, is a class (with a warning for such marks).
            Unlabelled rows still train the reconstruction and the neighbour
            term.
        pairs : array-like of shape (n_pairs, 2), default=None
            Row indices of pairs known to be similar or dissimilar.
        pair_labels : array-like of shape (n_pairs,), default=None
            1 for similar, 0 (or metric-learn's -1) for dissimilar; or True and
            False.
        triplets : array-like of shape (n_triplets, 3), default=None
            Row indices ``(anchor, positive, negative)``.
        sample_index : array-like of shape (n_samples,), default=None
            An identifier per row (numbers, or text such as a DataFrame's
            index). When given, ``pairs`` and ``triplets``
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
        warn_of_an_unread_index(X, pairs, triplets, sample_index)
        # One row teaches an autoencoder nothing: sklearn's 1-sample message.
        X = validate_rows(self, X, reset=first_call, ensure_min_samples=2)
        settings = self._check_params(X)
        # The device as resolved: a network pickled on a GPU and loaded on a
        # CPU (skorch moves it) trains on there with device="cpu".
        params = {**self.get_params(deep=False), "device": settings.device.type}
        if not first_call and hasattr(self, "_first_fit_params"):
            where = torch.device(self.net_.device).type
            check_warm_fit({**self._first_fit_params, "device": where}, params)
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
        rows, valid = X, None  # the training rows, and the validation rows
        training = supervision
        if settings.weight == 0:  # only ever given: "auto" stays above 0
            # The plain AE/VAE: labels and constraints change none of its
            # batches (they still give the label attributes, for scoring).
            training = supervision.without_supervision()
        if settings.validation_fraction is not None:
            (rows, training), valid = self._hold_out(
                X, training, settings.validation_fraction, seed
            )
            # The budget of steps and the network's width are the training
            # rows', not the validation rows' too.
            settings = replace(
                settings, **self._sized_for(settings.image_shape, rows.shape[0])
            )
        if settings.weight == 1:  # only ever given: "auto" stays below 1
            check_pure_metric_network(self, training, settings)
        pseudo_label_fraction = resolve_pseudo_label_fraction(
            self.pseudo_label_fraction,
            training.labels,
            settings.image_shape,
            settings.weight,
        )
        # The input-space graph serves the neighbour term, the smoothing and
        # the check on pseudo-labels (searched), and its space the label
        # trust behind weight="auto".
        search = settings.neighbor_term or settings.neighbor_smoothing > 0
        choice = fit_input_choice(
            rows,
            training.labels,
            search=search,
            weight=self.weight,
            value=self.input_components,
            latent_dim=self.latent_dim,
            image_mode=settings.image_shape is not None,
            n_neighbors=self.n_neighbors,
            seed=seed,
            metric=settings.input_metric,
        )
        graph = choice.graph if search else None
        neighbors = None
        if settings.neighbor_term and graph is not None:
            neighbors = graph.table
        # "auto" resolved from the labels and the input graph; a warm start
        # keeps the first fit's objective, and so its weight.
        image_mode = settings.image_shape is not None
        if first_call:
            weight = fit_weight(self.weight, choice, training.labels, image_mode)
            neighbor_weight = fit_neighbor_weight(
                self.neighbor_weight, weight, choice, training.labels, image_mode
            )
        else:
            weight, neighbor_weight = self.weight_, self.neighbor_weight_
        settings = replace(
            settings,
            weight=weight,
            neighbor_weight=neighbor_weight,
            mined_pair_weight=mined_pair_weight(
                self.weight, weight, pair_loss=self.metric_loss in PAIR_LOSSES
            ),
        )
        if settings.weight == 0 and supervision.n_constraints:
            _warn_untrained_at_weight_zero(
                f"the {supervision.n_constraints} pairs or triplets given"
            )
        label_terms = self._terms_given(LABEL_TERMS)
        if settings.weight > 0 and label_terms and not supervision.is_empty:
            if not (training.labels >= 0).any():  # pairs or triplets only
                warn(
                    f"{', '.join(label_terms)} train on labelled rows, and this "
                    "fit has none (only pairs or triplets): they train nothing. "
                    "Give labels in y, or leave them at 0."
                )
        if settings.weight > 0 and supervision.is_empty:
            # y given without one label: most likely a cross-validation
            # fold that drew none of the labelled rows.
            no_label_in_y = y is not None and not (supervision.labels >= 0).any()
            warn_unsupervised(
                self.weight,
                neighbor_term=neighbors is not None,
                no_label_in_y=no_label_in_y,
                no_y=y is None,
                constraints_given=pairs is not None or triplets is not None,
            )
        with seeded_torch(seed, settings.device):
            if first_call:
                net = build_net(
                    self.get_params(deep=False),
                    settings,
                    n_features=self.n_features_in_,
                    labels=training.labels,
                    n_classes=supervision.n_classes,
                    neighbors=neighbors,
                    pseudo_label_fraction=pseudo_label_fraction,
                    seed=seed,
                    probe_rows=dense_rows(X, slice(0, 2)),
                )
            else:
                net = self.net_
                # max_epochs, lr and mixed_precision set between warm fits take
                # effect (skorch updates lr in the optimiser and keeps its
                # state); the network, the objective, the callbacks and
                # skorch's routed arguments keep the first fit's.
                net.set_params(max_epochs=settings.max_epochs, lr=self.lr)
                net.mixed_precision = settings.mixed_precision
            share, input_classes = smoothing_and_input_classes(
                net, graph, rows, training.labels, settings, self.n_neighbors, seed
            )
            dataset = self._fit_data(
                rows,
                training,
                valid,
                neighbors,
                seed,
                settings.input_metric,
                input_classes,
                choice.dimensions,
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
        self.n_iter_ = len(net.history or ())  # (a stubbed net has none)
        if first_call:
            self._first_fit_params = fixed_by_first_fit(params)
        self.weight_ = settings.weight
        self.neighbor_weight_ = 0.0 if neighbors is None else settings.neighbor_weight
        self.input_metric_ = settings.input_metric
        self.mixed_precision_ = settings.mixed_precision
        self.lr_schedule_ = settings.lr_schedule
        self.input_components_ = None if graph is None else graph.dimensions
        del dataset  # the batch plans' bookkeeping: free before the spreading's
        self._smoothing = None
        # (A net whose training the package's tests stub builds no module.)
        trained = hasattr(self.net_, "module_")
        if trained and graph is not None and share > 0:
            self._smoothing = NeighborSmoothing(
                graph,
                self._apply(self.net_.module_.encode, rows),
                self.n_neighbors,
                share,
                encoder=self.net_.module_,
            )
        self.neighbor_smoothing_ = 0.0 if self._smoothing is None else share
        codes = None  # the embedding of X, when it is known without a search
        if self._smoothing is not None and rows is X:
            codes = self._smoothing.training_codes(graph.table)
        del graph
        self._set_label_attributes(X, supervision.labels, seed, codes)
        return self

    def _hold_out(self, X, supervision, fraction: float, seed: int):
        """``((rows, supervision), (rows, supervision))``: training, validation.

        Each side is a :func:`row_subset` of ``X`` with its labels and the
        constraints inside it; constraints joining the two sides are left
        out, with a warning.
        """
        train_rows, valid_rows = holdout_rows(
            supervision.labels, fraction, np.random.RandomState(seed)
        )
        training = supervision.subset(train_rows)
        validation = supervision.subset(valid_rows)
        left_out = (
            supervision.n_constraints
            - training.n_constraints
            - validation.n_constraints
        )
        if left_out:
            warn(
                f"{left_out} of the {supervision.n_constraints} pairs or triplets "
                "(as the loss uses them) join a training row to one of the "
                f"{len(valid_rows)} validation rows (validation_fraction="
                f"{self.validation_fraction!r}) and train nothing; set "
                "validation_fraction=None to train on all of them."
            )
        return (
            (row_subset(X, train_rows), training),
            (row_subset(X, valid_rows), validation),
        )

    def _fit_data(
        self,
        rows,
        training,
        valid,
        neighbors,
        seed: int,
        metric: str,
        input_classes,
        dimensions: int | None,
    ):
        """What skorch trains on: the training rows' batch plans, and the
        validation rows' beside them when the fit holds rows out.

        ``input_classes`` vet the training rows' pseudo-labels (None: no
        check); the validation rows' neighbours are searched in a space of
        ``dimensions``, as the training rows' were.
        """
        dataset = self._dataset(
            rows, training, seed, neighbors, input_classes=input_classes
        )
        if valid is None:
            return dataset
        valid_rows, validation = valid
        valid_neighbors = None
        if neighbors is not None:
            # Searched among the validation rows only: no training row is a
            # neighbour of theirs, nor they of a training row.
            valid_neighbors = input_neighbors(
                valid_rows, self.n_neighbors, seed, metric, dimensions
            )
        # The same plans every epoch, drawn from a seed of their own.
        plans = self._dataset(
            valid_rows, validation, seed + 1, valid_neighbors, repeat_plans=True
        )
        return SplitDatasets(train=dataset, valid=plans)

    def _dataset(
        self,
        rows,
        supervision,
        seed: int,
        neighbors,
        *,
        input_classes=None,
        repeat_plans=False,
    ):
        """The batch plans over ``rows``, with their labels and constraints."""
        return build_dataset(
            rows,
            supervision.labels,
            batch_size=self.batch_size,
            seed=seed,
            neighbors=neighbors,
            pairs=supervision.pairs,
            pair_similar=supervision.pair_similar,
            triplets=supervision.triplets,
            input_classes=input_classes,
            repeat_plans=repeat_plans,
        )

    def _set_label_attributes(self, X, labels, seed: int, codes=None) -> None:
        """What the fit's labels give, in the user's labels.

        ``codes`` is the embedding of ``X`` when the fit has it, else None.

        ``embedding_labeled_`` and ``labels_labeled_``, the labelled rows'
        codes and labels (the scorers' reference); with labelled rows of two
        classes or more, ``transduction_`` and ``label_distributions_`` for
        every row, by label spreading on the fitted embedding. A warm fit
        replaces the last fit's.
        """
        for name in ("transduction_", "label_distributions_"):
            self.__dict__.pop(name, None)
        labeled = labels >= 0
        if not labeled.any() or not hasattr(self.net_, "module_"):
            # No label, or a net whose training was replaced and never
            # built a module (the package's tests stub it): nothing to embed.
            width = self._fitted("latent_dim")
            self.embedding_labeled_ = np.empty((0, width), np.float32)
            self.labels_labeled_ = self.classes_[:0]
            return
        self.labels_labeled_ = self.classes_[labels[labeled]]
        if len(np.unique(labels[labeled])) < 2:
            # Nothing to spread: one class tells no rows apart.
            self.embedding_labeled_ = (
                self._codes(X[labeled]) if codes is None else codes[labeled]
            )
            return
        Z = self._codes(X) if codes is None else codes
        self.embedding_labeled_ = Z[labeled]
        self.label_distributions_ = spread_labels(
            Z, labels, len(self.classes_), self.n_neighbors, np.random.RandomState(seed)
        )
        del Z  # n_samples x latent_dim: freed before the next per-row array
        self.transduction_ = self.classes_[self.label_distributions_.argmax(axis=1)]

    def _sized_for(self, shape, n_rows: int) -> dict:
        """``hidden_layer_sizes`` and ``max_epochs`` resolved for a fit on
        ``n_rows`` training rows (the validation rows held out do not
        count); the sizes checked."""
        sizes = np.asarray(
            resolve_hidden_layer_sizes(self.hidden_layer_sizes, shape, n_rows)
        )
        if sizes.size == 0 and sizes.ndim == 1:
            sizes = sizes.astype(int)  # (): no hidden layer, a linear encoder
        if (
            sizes.ndim != 1
            or not np.issubdtype(sizes.dtype, np.integer)
            or (sizes < 1).any()
        ):
            raise ValueError(
                "hidden_layer_sizes must be 'auto' or a sequence of positive "
                f"integers (() for none), got {self.hidden_layer_sizes!r}."
            )
        return {
            "hidden_layer_sizes": tuple(int(size) for size in sizes),
            "max_epochs": resolve_max_epochs(
                self.max_epochs, shape, n_rows, self.batch_size
            ),
        }

    def _check_params(self, X) -> FitSettings:
        """Check the parameters against ``X`` and resolve what depends on it."""
        if self.image_shape is not None and len(tuple(self.image_shape)) not in (2, 3):
            raise ValueError(
                "image_shape must be (height, width) or (height, width, channels) "
                f"of positive integers, got {self.image_shape!r}."
            )
        shape = resolve_image_shape(self.image_shape, X.shape[1])
        if shape is not None and len(shape) == 3:
            check_channels_last(shape)
        if shape is not None and len(shape) == 2:
            shape = (*shape, 1)  # grey images: one channel, last
        sized = self._sized_for(shape, X.shape[0])
        if self.reconstruction == "bce" and (X.min() < 0 or X.max() > 1):
            raise ValueError(
                "reconstruction='bce' needs inputs in [0, 1]; scale X (for example "
                "with MinMaxScaler) or use reconstruction='mse'."
            )
        device = resolve_device(self.device)
        self._check_user_modules()
        if self.spatial_contrasting_weight > 0 and shape is None:
            raise ValueError(
                "spatial_contrasting_weight > 0 needs image_shape=(height, width"
                "[, channels]): its patches come from the convolutional feature map."
            )
        augment = resolve_augment(self.augment, shape)
        if augment and shape is None:
            raise ValueError(
                "augment=True needs image_shape=(height, width[, channels]): random "
                "affine views are only defined for images."
            )
        weight = nominal_weight(self.weight)
        neighbor_weight = resolve_extra_term_weight(self.neighbor_weight, weight)
        supervised_contrastive_weight = resolve_extra_term_weight(
            self.supervised_contrastive_weight, weight
        )
        neighbor_term = weight > 0 and neighbor_weight > 0
        other_terms = {
            "neighbor_weight": neighbor_weight,
            "supervised_contrastive_weight": supervised_contrastive_weight,
            "contrasting_weight": self.contrasting_weight,
            "classifier_weight": self.classifier_weight,
            "spatial_contrasting_weight": self.spatial_contrasting_weight,
        }
        if weight == 0:
            # The plain AE/VAE: every term of the metric part weighs 0, and
            # no label is spread to rows that train no label term.
            given = self._terms_given((*other_terms, "pseudo_label_fraction"))
            if given:
                _warn_untrained_at_weight_zero(", ".join(given))
        if weight == 1 and self.metric_loss == NO_METRIC_LOSS:
            if not any(term > 0 for term in other_terms.values()):
                raise ValueError(
                    f"weight=1 with metric_loss={NO_METRIC_LOSS!r} leaves no term "
                    "to train; set classifier_weight (or another term's weight) "
                    "above 0, lower weight, or choose a metric loss."
                )
        smoothing, follows_views = resolve_neighbor_smoothing(
            self.neighbor_smoothing, neighbor_term=neighbor_term, augment=augment
        )
        return FitSettings(
            image_shape=shape,
            **sized,
            linear_path=resolve_linear_path(
                self.linear_path, shape, self.encoder, sized["hidden_layer_sizes"]
            ),
            augment=augment,
            device=device,
            weight=weight,
            neighbor_weight=neighbor_weight,
            supervised_contrastive_weight=supervised_contrastive_weight,
            neighbor_term=neighbor_term,
            validation_fraction=resolve_validation_fraction(
                self.validation_fraction, self.early_stopping
            ),
            input_metric=resolve_input_metric(self.input_metric, sp.issparse(X)),
            neighbor_smoothing=smoothing,
            smoothing_follows_views=follows_views,
            mixed_precision=resolve_mixed_precision(self.mixed_precision, device),
            lr_schedule=resolve_lr_schedule(
                self.lr_schedule, shape, schedules_the_rate(self.callbacks)
            ),
        )

    def _terms_given(self, names) -> list[str]:
        """``"name=value"`` of the terms among ``names`` given a number above 0."""
        return [
            f"{name}={getattr(self, name)!r}"
            for name in names
            if not is_auto(getattr(self, name)) and getattr(self, name) > 0
        ]

    def _check_user_modules(self) -> None:
        """What a user's encoder or decoder leaves out of the other parameters."""
        for name in USER_MODULES:
            given = sorted(key for key in vars(self) if key.startswith(f"{name}__"))
            if given and getattr(self, name) is None:
                raise ValueError(
                    f"{given[0]}={getattr(self, given[0])!r} is an argument of "
                    f"a user's {name}, but {name}=None; pass {name}= (a torch "
                    f"module, module class or function returning one) or drop "
                    f"the {name}__ arguments."
                )
        if self.encoder is None:
            return
        if self.spatial_contrasting_weight > 0:
            raise ValueError(
                f"spatial_contrasting_weight={self.spatial_contrasting_weight!r} "
                "reads the built-in encoder's convolutional feature map, which a "
                "user's encoder replaces; set spatial_contrasting_weight=0 or "
                "encoder=None."
            )
        if self.decoder is not None and not (
            isinstance(self.hidden_layer_sizes, str)
            and self.hidden_layer_sizes == "auto"
        ):
            raise ValueError(
                f"hidden_layer_sizes={self.hidden_layer_sizes!r} sizes the "
                "built-in encoder and decoder, and encoder and decoder are both "
                "user modules; leave hidden_layer_sizes='auto' (size your "
                "modules with encoder__<arg> and decoder__<arg>)."
            )

    # -- using the embedding ---------------------------------------------
    def transform(self, X) -> np.ndarray:
        """Embed rows: the latent code (the posterior mean for a VAE).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Rows to embed; processed in batches of ``batch_size`` (a scipy
            sparse matrix is densified one batch at a time). A dask array is
            embedded lazily, block of rows by block of rows.

        Returns
        -------
        Z : ndarray of shape (n_samples, latent_dim)
            A dask array with ``X``'s row chunks when ``X`` is one (computed
            with ``Z.compute()``, on a ``dask.distributed`` cluster if a
            client is active).
        """
        if is_dask_array(X):
            check_is_fitted(self, "net_")
            return map_row_blocks(
                self._embed,
                X,
                n_columns=self.n_features_in_,
                n_outputs=self._fitted("latent_dim"),
                method="transform",
            )
        return self._embed(X)

    def _embed(self, X) -> np.ndarray:
        # transform's work, not wrapped by set_output: always an ndarray.
        check_is_fitted(self, "net_")
        X = validate_rows(self, X, reset=False)
        return self._codes(X)

    def _codes(self, X) -> np.ndarray:
        """The embedding of validated rows: the encoder's codes, smoothed."""
        Z = self._apply(self.net_.module_.encode, X)
        smoothing = getattr(self, "_smoothing", None)
        if smoothing is None:
            return Z
        if not smoothing.codes_follow(self.net_.module_):
            warn(
                "the network's weights changed after fit (skorch's "
                "load_params, a load_state_dict): transform draws new rows "
                f"toward the training rows' codes (neighbor_smoothing_="
                f"{self.neighbor_smoothing_:g}) under the fitted weights, "
                "which it cannot recompute without the training rows. Fit "
                "again (warm_start=True trains on from the loaded weights), "
                "or fit with neighbor_smoothing=0 to embed with the encoder "
                "alone."
            )
        return smoothing(X, Z)

    def inverse_transform(self, X) -> np.ndarray:
        """Decode latent codes back to the input space.

        Parameters
        ----------
        X : array-like of shape (n_samples, latent_dim)
            Latent codes, for example the output of :meth:`transform`.

        Returns
        -------
        X_reconstructed : ndarray of shape (n_samples, n_features_in_)
            A dask array, decoded lazily by blocks of rows, when ``X`` is one.
        """
        check_is_fitted(self, "net_")
        self._check_decoder_trained("inverse_transform")
        latent_dim = self._fitted("latent_dim")
        if is_dask_array(X):
            return map_row_blocks(
                self.inverse_transform,
                X,
                n_columns=latent_dim,
                n_outputs=self.n_features_in_,
                method="inverse_transform",
            )
        Z = check_array(X, dtype=[np.float32, np.float64], input_name="X")
        check_float32_range(Z)
        if Z.shape[1] != latent_dim:
            raise ValueError(
                f"X has {Z.shape[1]} features, but inverse_transform expects "
                f"latent codes with latent_dim={latent_dim} columns."
            )
        decoder = self.net_.module_.decoder
        if self._fitted("reconstruction") == "bce":
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
        self._check_decoder_trained("sample")
        if not self._fitted("variational"):
            raise ValueError(
                "sample needs a VAE: fit with variational=True (a deterministic "
                "autoencoder has no prior to sample from)."
            )
        validate_parameter_constraints(
            {
                "n_samples": [Interval(numbers.Integral, 1, None, closed="left")],
                "random_state": ["random_state"],
            },
            {"n_samples": n_samples, "random_state": random_state},
            caller_name="sample",
        )
        rng = check_random_state(random_state)
        Z = rng.standard_normal((n_samples, self._fitted("latent_dim")))
        return self.inverse_transform(Z.astype(np.float32))

    def _check_decoder_trained(self, method: str) -> None:
        if getattr(self, "weight_", None) == 1:
            raise ValueError(
                f"{method} decodes with the decoder, which a fit at weight=1 (a "
                "pure metric network) does not train: its output would be the "
                "untrained decoder's. Fit with a weight below 1 to decode."
            )

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
        return self._fitted("latent_dim")

    def _fitted(self, name: str):
        """The value of parameter ``name`` the fitted network was built with.

        ``set_params`` after a fit changes the parameter, not the network:
        the fitted methods read the first fit's value (a model pickled before
        the first fit's parameters were kept reads the parameter itself).
        """
        first = getattr(self, "_first_fit_params", {})
        return first.get(name, getattr(self, name))

    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, "net_")

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = False
        tags.non_deterministic = False
        # The network computes in float32 whatever the input dtype.
        tags.transformer_tags.preserves_dtype = ["float32"]
        # Sparse rows are densified a batch at a time (._training.rows).
        tags.input_tags.sparse = True
        return tags
