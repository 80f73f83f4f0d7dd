"""The supervision a fit receives: labels and constraints, validated.

Everything the user passes besides ``X`` is checked here, before any
training, and turned into the arrays the batch sampler needs: labels as
class indices, constraints as row positions in the kind the estimator's
loss consumes (pairs for a pair loss, triplets for a triplet loss).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.utils import column_or_1d

from ._defaults import nominal_weight
from ._labels import UNLABELED, encode_row_labels, union_classes
from ._training.batches import MIN_PARTNERED_CLASSES, partnered_classes
from ._training.loss_parts import NO_METRIC_LOSS, PAIR_LOSSES
from ._validation import warn
from .constraints import (
    check_pairs,
    check_triplets,
    pairs_to_triplets,
    triplets_to_pairs,
)
from .constraints._checking import _check_no_contradiction


@dataclass
class Supervision:
    """Labels and explicit constraints of one fit, as the sampler reads them."""

    labels: np.ndarray  # (n_samples,) class index into classes_, -1 unlabelled
    n_classes: int
    pairs: np.ndarray | None = None  # (n_pairs, 2) row positions
    pair_similar: np.ndarray | None = None
    triplets: np.ndarray | None = None  # (n_triplets, 3) row positions

    @property
    def n_constraints(self) -> int:
        """Explicit pairs and triplets, counted together."""
        return sum(len(c) for c in (self.pairs, self.triplets) if c is not None)

    def subset(self, rows: np.ndarray) -> Supervision:
        """The supervision of some rows, in positions among them.

        Constraints reaching a row outside ``rows`` are left out (see
        :attr:`n_constraints` to count them).
        """
        position = np.full(len(self.labels), -1, dtype=np.intp)
        position[rows] = np.arange(len(rows))
        part = Supervision(labels=self.labels[rows], n_classes=self.n_classes)
        if self.pairs is not None:
            inside = (position[self.pairs] >= 0).all(axis=1)
            part.pairs = position[self.pairs[inside]]
            part.pair_similar = self.pair_similar[inside]
        if self.triplets is not None:
            inside = (position[self.triplets] >= 0).all(axis=1)
            part.triplets = position[self.triplets[inside]]
        return part

    def without_supervision(self) -> Supervision:
        """The same rows without a label or a constraint: what the plain
        AE/VAE (``weight=0``) trains on, so that neither changes its batches."""
        return Supervision(
            labels=np.full_like(self.labels, UNLABELED), n_classes=self.n_classes
        )

    @property
    def labels_pair_up(self) -> bool:
        """Enough classes with two labelled rows for the batches' class-
        balanced labelled rows, which every label term reads."""
        return len(partnered_classes(self.labels)) >= MIN_PARTNERED_CLASSES

    @property
    def is_empty(self) -> bool:
        """No two labelled classes and no explicit constraint."""
        has_labels = len(np.unique(self.labels[self.labels >= 0])) >= 2
        has_constraints = any(
            c is not None and len(c) for c in (self.pairs, self.triplets)
        )
        return not (has_labels or has_constraints)


def check_supervision(
    estimator,
    X,
    y,
    pairs,
    pair_labels,
    triplets,
    sample_index,
    *,
    reset: bool,
) -> Supervision:
    """Validate ``y`` and constraints against ``X``; set ``classes_`` on reset.

    ``y`` holds the user's labels (any that :func:`._labels.encode_labels`
    takes); the sampler reads them as indices into ``classes_``. A warm fit
    keeps the first fit's ``classes_``: rows of classes outside them train
    as unlabelled, with a warning.
    """
    n_samples = X.shape[0]
    classes, encoded = encode_row_labels(y, n_samples)
    if reset:
        estimator.classes_ = classes
    elif classes.size:
        encoded = _codes_in_fitted_classes(classes, encoded, estimator.classes_)
    supervision = Supervision(labels=encoded, n_classes=len(estimator.classes_))
    if sample_index is not None:
        sample_index = column_or_1d(sample_index, warn=True)
        if sample_index.shape[0] != n_samples:
            raise ValueError(
                f"sample_index must hold one identifier per row of X ({n_samples}), "
                f"got {sample_index.shape[0]}."
            )
        try:
            n_unique = len(np.unique(sample_index))
        except TypeError as error:  # identifiers that do not sort together
            raise TypeError(
                f"sample_index must hold identifiers of one type ({error}); "
                "convert them, for example with sample_index.astype(str)."
            ) from None
        if n_unique != n_samples:
            raise ValueError("sample_index must not repeat an identifier.")
    if pairs is None and pair_labels is not None:
        raise ValueError("pair_labels was given without pairs; pass both.")
    if pairs is not None:
        supervision.pairs, supervision.pair_similar = check_pairs(
            pairs, pair_labels, n_samples, sample_index
        )
    if triplets is not None:
        supervision.triplets = check_triplets(triplets, n_samples, sample_index)
    _warn_of_constraints_against_labels(supervision, sample_index)
    if estimator.metric_loss == NO_METRIC_LOSS and (
        supervision.pairs is not None or supervision.triplets is not None
    ):
        raise ValueError(
            f"metric_loss={NO_METRIC_LOSS!r} trains no pair or triplet loss, so "
            "the pairs/triplets passed to fit would be ignored; choose a metric "
            "loss that uses them, or do not pass them."
        )
    _convert_constraints(supervision, estimator.metric_loss, sample_index)
    return supervision


def _warn_of_constraints_against_labels(supervision: Supervision, sample_index):
    """Warn of constraints whose labelled rows say the opposite of ``y``.

    A similar pair across two classes, a dissimilar one within a class, a
    triplet whose positive is of another class than its anchor or whose
    negative is of the same: both supervisions train and pull against each
    other, most likely from a mistake in one of them.
    """
    labels = supervision.labels
    found = []
    if supervision.pairs is not None and len(supervision.pairs):
        first, second = labels[supervision.pairs].T
        both = (first >= 0) & (second >= 0)
        same = first == second
        similar = supervision.pair_similar == 1
        against = both & (same != similar)
        found.append(("pairs", supervision.pairs, against))
    if supervision.triplets is not None and len(supervision.triplets):
        anchor, positive, negative = labels[supervision.triplets].T
        against = ((anchor >= 0) & (positive >= 0) & (anchor != positive)) | (
            (anchor >= 0) & (negative >= 0) & (anchor == negative)
        )
        found.append(("triplets", supervision.triplets, against))
    for name, constraints, against in found:
        if against.any():
            example = constraints[np.flatnonzero(against)[0]]
            if sample_index is not None:
                example = np.asarray(sample_index)[example]
            count = int(against.sum())
            verb = "says" if count == 1 else "say"
            warn(
                f"{count} of the {len(constraints)} {name} {verb} the "
                f"opposite of y's labels, for example {example.tolist()} (a "
                "similar pair across two classes, a dissimilar one within a "
                "class, or a triplet's positive of another class or negative "
                "of the same): both are trained and pull against each other. "
                "Check the constraints or the labels."
            )


def warn_of_an_unread_index(X, pairs, triplets, sample_index) -> None:
    """Warn where constraints may name rows by a DataFrame's index, unread.

    Without ``sample_index``, the entries of ``pairs`` and ``triplets`` are
    positions in ``X``. A DataFrame whose index is not ``0..n-1`` (after
    ``train_test_split``, ``df.loc[...]``, ``set_index``) invites writing
    them with its labels, which, where they fall within the positions, pick
    other rows without an error.
    """
    index = getattr(X, "index", None)
    if (
        index is None
        or sample_index is not None
        or (pairs is None and triplets is None)
    ):
        return
    if np.array_equal(np.asarray(index), np.arange(len(index))):
        return
    given = "pairs" if pairs is not None else "triplets"
    warn(
        f"X is a DataFrame whose index is not 0..{len(index) - 1}, and {given} "
        "came without sample_index: its entries are read as positions in X, "
        "not as labels of X's index. If they name rows by the index, pass "
        "sample_index=X.index; if they are positions, pass "
        "sample_index=np.arange(len(X)) (or reset the index) to say so."
    )


def check_pure_metric_network(estimator, supervision: Supervision, settings) -> None:
    """At ``weight=1`` (no reconstruction), something must train: a term that
    needs no labels, a label term on labels that pair up, or the pair or
    triplet loss on explicit constraints; a ValueError before training if not.

    ``settings`` holds the extra terms' weights resolved at ``weight=1``.
    """
    metric_loss = estimator.metric_loss != NO_METRIC_LOSS
    label_terms = (
        metric_loss,
        settings.supervised_contrastive_weight > 0,
        estimator.contrasting_weight > 0,
        estimator.classifier_weight > 0,
    )
    if (
        settings.neighbor_weight > 0
        or estimator.spatial_contrasting_weight > 0
        or (supervision.labels_pair_up and any(label_terms))
        or (supervision.n_constraints and metric_loss)
    ):
        return
    n_labelled = int((supervision.labels >= 0).sum())
    labels = "y gives no labelled training row"
    if n_labelled:
        paired = len(partnered_classes(supervision.labels))
        labels = (
            f"y labels {n_labelled} training rows, and only {paired} "
            + ("class has" if paired == 1 else "classes have")
            + " two or more"
        )
    raise ValueError(
        f"weight=1 trains the label terms and the explicit constraints alone "
        f"(no reconstruction), and this fit has nothing for them: {labels} "
        f"({MIN_PARTNERED_CLASSES} classes need two labelled rows each), and no "
        f"pairs or triplets were given. Label more rows, pass pairs or "
        f"triplets, or lower weight (weight='auto' adds the reconstruction and "
        f"the neighbour term, which train on unlabelled rows)."
    )


def _convert_constraints(
    supervision: Supervision, metric_loss: str, sample_index
) -> None:
    """Give the estimator's loss the kind of constraint it consumes."""
    if metric_loss in PAIR_LOSSES and supervision.triplets is not None:
        given = supervision.pairs is not None
        extra_pairs, extra_similar = triplets_to_pairs(supervision.triplets)
        supervision.pairs = _stack(supervision.pairs, extra_pairs)
        supervision.pair_similar = _stack(supervision.pair_similar, extra_similar)
        supervision.triplets = None
        # The pairs split from the triplets may contradict each other, or
        # the pairs given.
        _check_no_contradiction(
            supervision.pairs,
            supervision.pair_similar,
            sample_index=sample_index,
            source=(
                f"the list of pairs metric_loss={metric_loss!r} trains on (each "
                "triplet (a, p, n) split into the similar pair {a, p} and the "
                "dissimilar pair {a, n}"
                f"{', with the pairs given' if given else ''})"
            ),
        )
    elif metric_loss not in PAIR_LOSSES and supervision.pairs is not None:
        given = supervision.triplets is not None
        pairs, similar = supervision.pairs, supervision.pair_similar
        formed = pairs_to_triplets(pairs, similar)
        if len(formed) == 0:
            raise ValueError(
                "pairs were given to a triplet loss, but no similar pair shares a "
                "row with a dissimilar pair, so no triplet (a, p, n) can be formed. "
                "Pass triplets, or use SiameseAutoencoderEmbedder for pairs."
            )
        unused = _pairs_in_no_triplet(pairs, similar)
        if unused:
            warn(
                f"{unused} of the {len(pairs)} pairs share no row with a pair of "
                "the other kind (a similar {a, p} and a dissimilar {a, n} make "
                f"the triplet (a, p, n) metric_loss={metric_loss!r} trains on), "
                "so they train nothing. Pass triplets, or use "
                "SiameseAutoencoderEmbedder, whose pair losses take every pair."
            )
        supervision.triplets = _stack(supervision.triplets, formed)
        supervision.pairs = supervision.pair_similar = None
        _check_no_contradiction(
            supervision.triplets,
            sample_index=sample_index,
            source=(
                f"the list of triplets metric_loss={metric_loss!r} trains on (a "
                "similar pair {a, p} and a dissimilar pair {a, n} forming (a, p, n)"
                f"{', with the triplets given' if given else ''})"
            ),
        )


def _pairs_in_no_triplet(pairs: np.ndarray, similar: np.ndarray) -> int:
    """How many pairs :func:`pairs_to_triplets` leaves out: those sharing no
    row with a pair of the other kind."""
    similar = np.asarray(similar) == 1
    in_similar = np.isin(pairs, pairs[similar]).any(axis=1)
    in_dissimilar = np.isin(pairs, pairs[~similar]).any(axis=1)
    return int(np.sum(np.where(similar, ~in_dissimilar, ~in_similar)))


def _stack(first, second):
    return second if first is None else np.concatenate([first, second])


def _codes_in_fitted_classes(classes, codes, fitted_classes) -> np.ndarray:
    """Re-index ``codes`` from ``classes`` into a warm fit's ``classes_``."""
    _, position, fitted_position = union_classes(
        classes, fitted_classes, names=("y", "the first fit's classes_")
    )
    # Both are sorted, so a class's index in the union orders them alike.
    index = np.searchsorted(fitted_position, position)
    seen = index < len(fitted_position)
    seen[seen] = fitted_position[index[seen]] == position[seen]
    if not seen.all():
        n_rows = int(np.isin(codes, np.flatnonzero(~seen)).sum())
        warn(
            f"y holds {n_rows} rows of classes the first fit did not see "
            f"({classes[~seen][:10].tolist()}); warm_start keeps "
            f"classes_={fitted_classes.tolist()}, so these rows train as "
            "unlabelled. Refit with warm_start=False to learn the new classes."
        )
    recoded = np.where(seen, index, UNLABELED)
    return np.where(codes == UNLABELED, UNLABELED, recoded[codes])


def warn_unsupervised(
    weight,
    *,
    neighbor_term: bool,
    no_label_in_y: bool,
    no_y: bool,
    constraints_given: bool,
) -> None:
    """Warn that a fit with ``weight`` above 0 has nothing to supervise it.

    Says what it trains instead, and why nothing supervises it: no labels
    (none in ``y``, most likely a cross-validation fold that drew none), and
    no constraints, or only constraints left outside ``sample_index``.
    """
    what = (
        "the unsupervised neighbour term and the reconstruction"
        if neighbor_term
        else "the reconstruction only"
    )
    if nominal_weight(weight) == 1:
        what = "the unsupervised neighbour term only"
    labels = "no y" if no_y else "y has fewer than two labelled classes"
    constraints = (
        "every pair or triplet given was left out (none within sample_index)"
        if constraints_given
        else "no pairs or triplets were given"
    )
    message = (
        f"no supervision: {labels} and {constraints}, so weight={weight} trains {what}."
    )
    if no_label_in_y:
        message += (
            " y holds no labelled row (every label is -1). In a "
            "cross-validation, split with "
            "sk_metricembed.model_selection.SemiSupervisedKFold, which "
            "puts labelled rows of every class into each training fold."
        )
    elif no_y and not constraints_given:
        message += (
            " Meant as an unsupervised embedding? weight=0 fits the plain "
            "autoencoder without this warning."
        )
    warn(message)
