"""What ``"auto"`` means for the embedders' parameters that accept it.

Each value was chosen by measurement on the benchmark's MNIST split
(``docs/few_labels.md``, "How the defaults were chosen"; the benchmark's
figures in ``benchmarks/RESULTS.md``). The parameters' documentation is
written from these tables, so a change here shows there.
"""

from __future__ import annotations

import numpy as np

#: ``hidden_layer_sizes="auto"`` for vectors and in image mode (``image_shape``
#: set), at ``AUTO_HIDDEN_FULL_ROWS`` rows or more. On MNIST with 1% of labels
#: a deeper MLP gained a point of triplet accuracy on vectors, while after
#: the convolutions one layer suffices and keeps the image mode within the
#: benchmark's time budget.
AUTO_HIDDEN_LAYER_SIZES = {"vector": (1024, 512), "image": (512,)}
#: Below this many rows the vector MLP narrows: its first layer gets the power
#: of two nearest to half the rows (at least ``AUTO_HIDDEN_MIN_WIDTH``), the
#: second half of that. A million weights for 107 rows (wine) overfitted:
#: on the general suite's small sets (digits, wine, breast cancer, iris at
#: 1-100% of labels) the narrower MLP raised the test triplet accuracy by
#: 0.5-0.9 points and the 5-NN accuracy by 0.4-0.5 on average, on the
#: benchmark's split and on a second split (seed 1) alike.
AUTO_HIDDEN_FULL_ROWS = 2 * AUTO_HIDDEN_LAYER_SIZES["vector"][0]
AUTO_HIDDEN_MIN_WIDTH = 64
#: ``max_epochs="auto"`` is a budget of optimiser steps, so that a fit's cost
#: stops growing with the data once the model has seen enough rows, and a
#: small data set trains as long as a large one: the steps that show
#: ``AUTO_TRAINING_ROWS`` rows in full batches (``AUTO_TRAINING_ROWS /
#: batch_size``: 938 steps for vectors and 563 in image mode at 256 rows a
#: step), in whole passes, at least ``AUTO_MIN_EPOCHS``. On the
#: benchmark's 6,000 MNIST rows
#: that is 40 passes for vectors and 24 in image mode. With the fused
#: optimiser 40 vector passes matched the 60 of earlier versions on every
#: quality cell (within 0.2 points) in 31.7-42.1 s a fit against 52.0-63.8 s
#: (``benchmarks/RESULTS.md``, speed). Image mode's 20 passes lost 0.1-0.3
#: points on its six label cells, under three seeds each and in float32
#: and bfloat16 alike, where 30 passes did not (``benchmarks/RESULTS.md``,
#: "Image mode's passes, not its precision"). Vectors of fewer rows than a
#: batch used to stop at 60 passes, 60 steps: on 23 small tables, whose
#: 90-600 training rows take one to three steps a pass, the budget of steps
#: took the cells lost to the best peer beyond the test rows' noise from 88
#: to 78 and, on a second split, from 75 to 60 (``docs/few_labels.md``, "A
#: small table trains as long as a large one"); on 8x8 digits in image mode
#: (141 passes where a cap of 30 stopped it) the cells lost to the best
#: peer fell from 9 to 4 and from 4 to 1 on two splits. Image mode's budget
#: is that of its learning-rate cycle (``AUTO_LR_SCHEDULE``), a fifth below
#: the 180,000 rows it took at a constant rate.
AUTO_TRAINING_ROWS = {"vector": 240_000, "image": 144_000}
#: ``batch_size``'s default, with which ``max_epochs="auto"`` counts its
#: steps on a table smaller than a batch.
BATCH_SIZE = 256
#: ``lr_schedule="auto"``: one learning-rate cycle in image mode, where its
#: 24 passes over MNIST's 6,000 benchmark rows came within 0.002 of 30
#: passes at a constant rate on every three-seed mean of the eight image
#: cells (test triplet and 5-NN accuracy; 9 of the 16 figures higher or
#: equal) in a fifth less time; a constant rate for vectors, where the
#: cycle over 32 passes lost 0.1-0.6 points of 5-NN accuracy against 40
#: constant passes in five of six MNIST cells. On 8x8 digits in image mode
#: (113 passes of the cycle against 141) 6 of 24 cells lost to the best peer
#: against 5, each by one to five test rows of 5-NN accuracy
#: (``benchmarks/RESULTS.md``, "One learning-rate cycle in image mode").
AUTO_LR_SCHEDULE = {"vector": "constant", "image": "one-cycle"}
#: Fewest passes of ``max_epochs="auto"``: the KL warm-up and the
#: pseudo-label refreshes are scheduled over the epochs, and need a few.
AUTO_MIN_EPOCHS = 3
#: ``pseudo_label_fraction="auto"``: this share of the unlabelled rows gets a
#: pseudo-label when fewer than ``AUTO_PSEUDO_LABELS_BELOW`` of the rows carry
#: a true label. On MNIST with 1% of labels they gained 1.4 points of triplet
#: accuracy on vectors (0.5; 0.8 cost 5-NN accuracy) and 0.6 in image mode,
#: whose embedding separates the classes better and so propagates more
#: reliable labels (0.8; 0.5 gained 0.4). With 10% of labels they cost up to
#: half a point of 5-NN accuracy in image mode: the threshold lies between
#: the two fractions measured.
AUTO_PSEUDO_LABEL_FRACTION = {"vector": 0.5, "image": 0.8}
AUTO_PSEUDO_LABELS_BELOW = 0.05
#: ``weight="auto"``: the blend of the metric terms and the reconstruction
#: the defaults were chosen with on MNIST (``docs/few_labels.md``), taken
#: whole wherever the labels are trusted to reach the unlabelled rows: in
#: image mode, with all rows labelled, and on flattened rows whose input
#: graph carries the labels (:func:`label_trust`).
AUTO_WEIGHT = 0.2
#: Flattened rows below ``AUTO_HIDDEN_FULL_ROWS`` training rows (where the
#: MLP narrows too) raise ``AUTO_WEIGHT`` by ``sqrt(AUTO_HIDDEN_FULL_ROWS /
#: n_samples)``, at most by this factor (0.5 from 327 rows down;
#: :func:`small_data_weight`): a reconstruction of a few hundred rows is a
#: weak guide to the classes, and the label terms' share rises as the rows
#: fall. Measured with the paired lens (``benchmarks.paired``; test rows
#: bootstrapped for a 95% interval of the difference to the best peer) on
#: 200 cells of tables of 90-1,078 training rows (the general suite's four
#: small sets on two splits, ten held-out tables): 66 losses beyond the
#: test rows' noise against 77 at ``AUTO_WEIGHT`` throughout (two held-out
#: tables of 1,386 and 1,911 rows: 1 either way); 0.5 throughout lost
#: MNIST's 1% cells 0.5-1.1 points of 5-NN accuracy (``docs/few_labels.md``,
#: "The weight rises on small data").
#: MNIST, its variations and Fashion-MNIST (6,000 rows) and image mode
#: keep ``AUTO_WEIGHT``.
SMALL_DATA_WEIGHT_FACTOR = 2.5
#: :func:`label_trust`'s ramp over the Cohen's kappa of the input graph's
#: label spreading (at its upper confidence bound): at the first value and
#: below the labels' pull is trusted least (``MIN_LABEL_TRUST``), from the
#: second on in full. The upper end keeps MNIST's defaults, whose targets
#: were met with ``AUTO_WEIGHT`` (its kappa bound: 0.85 at 1% of labels,
#: 0.88-0.91 at 2-20%); every small set of the general suite lies above it
#: too (their few labelled rows give wide bounds). The lower end is the
#: rotated MNIST digits' bound at 2-10% of labels (0.55, spreading from
#: every labelled row; from ``LABEL_TRUST_SOURCES`` a class it is 0.50 at
#: 2% and lower above), where
#: ``weight=0.021-0.025`` raised the test 5-NN accuracy by 5-11 points.
LABEL_TRUST_KAPPA = (0.55, 0.8)
#: The least trust (``weight="auto"`` is then ``AUTO_WEIGHT`` times it,
#: raised to the unlabelled share): on the rotated digits at 10% of labels
#: ``weight=0.025`` reached PCA's 5-NN accuracy with a triplet accuracy
#: 0.2 above it, where ``weight=0`` (the VAE alone) fell below PCA's
#: triplet accuracy and ``weight=0.05`` below its 5-NN accuracy.
MIN_LABEL_TRUST = 0.1
#: The spreading's accuracy is scored by this many folds of the labelled
#: rows (fewer when a class has fewer rows; none below two a class).
LABEL_TRUST_FOLDS = 5
#: The labelled rows of a class each fold spreads from, at most. Spreading
#: from more rows reaches further whatever the data (the rotated MNIST
#: digits: kappa bound 0.50 from all labelled rows at 2% of labels, 0.66 at
#: 20%), so a fixed count per class makes the trust a property of the input
#: graph rather than of how many rows are labelled: the count the ramp's
#: lower end was measured with (2% of the rotated digits' 6,000 rows, four
#: folds in five: about ten a class).
LABEL_TRUST_SOURCES = 10
#: ``neighbor_weight="auto"`` and ``supervised_contrastive_weight="auto"``:
#: the extra metric terms count at this weight below ``weight=1`` and not at
#: ``weight=1``, which is then the pure siamese or triplet network of the
#: sources (Hadsell et al., Hoffer & Ailon, the TVAE paper's metric end);
#: ``pseudo_label_fraction="auto"`` is 0 there too. The value 1.0 was chosen
#: on MNIST with the other defaults (``docs/few_labels.md``).
AUTO_EXTRA_TERM_WEIGHT = 1.0
#: ``input_metric="auto"``: the metric of the input-space neighbour search
#: for dense and for scipy sparse ``X``. Dense rows keep the Euclidean
#: search every default was measured with; sparse rows are most often
#: TF-IDF or one-hot counts, whose lengths follow the document's length or
#: the number of categories set, so the angle between rows says better
#: which are alike (scikit-learn's text examples use cosine throughout).
AUTO_INPUT_METRIC = {"dense": "euclidean", "sparse": "cosine"}
#: ``input_components="auto"``: besides the default search space
#: (``PCA_DIMENSIONS`` components above that many features, the features
#: below), the input graph is tried in a PCA of ``latent_dim`` times each of
#: these factors, and one replaces the space kept so far where label
#: spreading over its graph recovers more held-out labelled rows, by
#: ``INPUT_SPACE_MARGIN`` binomial standard errors of the kept space's count
#: and by ``INPUT_SPACE_MIN_ROWS`` rows at least (:mod:`._input_space`). A
#: margin of two rows alone let noise decide where hundreds of rows are
#: scored: on the rotated MNIST digits at 2% of labels PCA-20 spread 60 of
#: 121 held-out rows against PCA-50's 58, and the fit's test 5-NN accuracy
#: fell below PCA's (0.815 against 0.822 before). With the standard error
#: MNIST, Fashion-MNIST and the suite's small sets keep the default space
#: in every cell with unlabelled rows (``docs/few_labels.md``, "Where the
#: input graph is searched: chosen by the labels", for the tables it
#: changes).
AUTO_INPUT_COMPONENTS_FACTORS = (1, 2)
INPUT_SPACE_MARGIN = 1.0
INPUT_SPACE_MIN_ROWS = 2
#: ``neighbor_smoothing="auto"``: the share of each code taken from the
#: membership-weighted mean code of the row and its ``n_neighbors - 1``
#: nearest training rows in input space, when the neighbour term is on; 0
#: otherwise. The neighbour term is off at ``weight=0`` (the plain AE/VAE)
#: and ``weight=1`` (the pure metric network). For rows without views 0.75
#: lost the fewest cells on the general suite's small sets (62 of 88,
#: against 64 at 0.5, 65 at 0.9 and 66 at 1, with new rows smoothed as
#: training rows are) and kept MNIST's margins (``docs/few_labels.md``).
#: Random views (image mode) teach the encoder invariances that input-space
#: neighbours may lack, so there the share is scaled by the views'
#: agreement with the input graph (:func:`smoothing_under_views`).
AUTO_NEIGHBOR_SMOOTHING = 0.75
#: ``validation_fraction="auto"`` with ``early_stopping=True``: the share of
#: the rows held out to monitor, scikit-learn's (``MLPClassifier``,
#: ``HistGradientBoostingClassifier``). Without early stopping ``"auto"``
#: holds out nothing, so that a default fit trains on every row.
AUTO_VALIDATION_FRACTION = 0.1


def is_auto(value) -> bool:
    """Whether a parameter value is the string ``"auto"``."""
    return isinstance(value, str) and value == "auto"


def input_mode(image_shape) -> str:
    """``"vector"`` or ``"image"``: the key of the tables above."""
    return "vector" if image_shape is None else "image"


def resolve_hidden_layer_sizes(value, image_shape, n_samples: int) -> tuple:
    """``hidden_layer_sizes`` with ``"auto"`` resolved for ``n_samples`` rows."""
    if not is_auto(value):
        return value
    if image_shape is not None or n_samples >= AUTO_HIDDEN_FULL_ROWS:
        return AUTO_HIDDEN_LAYER_SIZES[input_mode(image_shape)]
    # Below AUTO_HIDDEN_FULL_ROWS the width stays within the full MLP's.
    width = max(AUTO_HIDDEN_MIN_WIDTH, 2 ** int(round(np.log2(n_samples / 2))))
    return (width, width // 2)


def auto_steps(image_shape, batch_size: int) -> int:
    """The optimiser steps of ``max_epochs="auto"``: ``AUTO_TRAINING_ROWS /
    batch_size``, rounded up.

    >>> auto_steps(None, 256), auto_steps((28, 28), 256)
    (938, 563)
    """
    return -(-AUTO_TRAINING_ROWS[input_mode(image_shape)] // batch_size)


def resolve_max_epochs(value, image_shape, n_samples: int, batch_size: int) -> int:
    """``max_epochs`` with ``"auto"`` resolved for ``n_samples`` rows.

    The passes that take :func:`auto_steps` optimiser steps (a pass takes
    ``ceil(n_samples / batch_size)``), rounded up, at least
    ``AUTO_MIN_EPOCHS``. A ``batch_size`` beyond the rows holds them all,
    and counts as a batch of the rows (of ``BATCH_SIZE`` below that many
    rows, as the default does): a larger number must not cut the steps of
    the same full-table batches.

    >>> resolve_max_epochs("auto", None, 300, 256)
    469
    >>> [resolve_max_epochs("auto", None, 300, size) for size in (300, 10_000)]
    [800, 800]
    """
    if not is_auto(value):
        return value
    steps = auto_steps(image_shape, min(batch_size, max(n_samples, BATCH_SIZE)))
    steps_per_epoch = -(-n_samples // batch_size)
    return int(max(AUTO_MIN_EPOCHS, -(-steps // steps_per_epoch)))


def resolve_linear_path(value, image_shape, encoder, hidden_layer_sizes) -> bool:
    """``linear_path`` with ``"auto"`` resolved: on for the built-in MLP of
    flattened rows.

    With the path the code is the MLP's code plus a linear map of the row,
    as PCA's and NCA's are, so neighbourhoods of the input that the
    labels do not move carry over to the code and to new rows. With the
    paired lens (``python -m benchmarks.paired``) on the 23 tables of the
    few-labels guide it lost 312 cells against 334 over two splits, 125 of
    them beyond the test rows' noise against 138; on MNIST's vector cells
    it moved test triplet and 5-NN accuracy by at most 0.004 either way
    (``docs/few_labels.md``, "A linear path beside the MLP"). Image mode
    (untried: its random views move the pixels the path would read), a
    user's encoder (its own design) and ``hidden_layer_sizes=()`` (already
    a linear map) keep the encoder's code alone.

    >>> resolve_linear_path("auto", None, None, (64, 32))
    True
    >>> resolve_linear_path("auto", (28, 28, 1), None, (512,))
    False
    """
    if is_auto(value):
        return image_shape is None and encoder is None and len(hidden_layer_sizes) > 0
    return bool(value)


def resolve_lr_schedule(value, image_shape, user_scheduler: bool = False) -> str:
    """``lr_schedule`` with ``"auto"`` resolved: :data:`AUTO_LR_SCHEDULE`
    for the input mode, ``"constant"`` where the user's callbacks hold a
    learning-rate scheduler of their own (``user_scheduler``), which the
    cycle would overwrite at every step.

    >>> resolve_lr_schedule("auto", None), resolve_lr_schedule("auto", (28, 28, 1))
    ('constant', 'one-cycle')
    >>> resolve_lr_schedule("auto", (28, 28, 1), user_scheduler=True)
    'constant'
    """
    if is_auto(value):
        if user_scheduler:
            return "constant"
        return AUTO_LR_SCHEDULE[input_mode(image_shape)]
    if value != "constant" and user_scheduler:
        raise ValueError(
            f"lr_schedule={value!r} and a learning-rate scheduler among "
            "callbacks would both set the learning rate at every step; set "
            'lr_schedule="constant" (or "auto") to let the callback schedule '
            "it, or drop the callback."
        )
    return value


def resolve_augment(value, image_shape) -> bool:
    """``augment`` with ``"auto"`` resolved: on in image mode, off for vectors.

    Image mode's other defaults (``AUTO_HIDDEN_LAYER_SIZES``,
    ``AUTO_TRAINING_ROWS``) were chosen on MNIST with the views on, and every
    image-mode figure of the benchmark was measured with them. On
    scikit-learn's 8x8 digits they neither helped nor hurt clearly (test
    5-NN accuracy 0.974 / 0.967 for the two embedders with and without them
    at 10% of labels; ``docs/few_labels.md``).
    """
    if is_auto(value):
        return image_shape is not None
    return bool(value)


def resolve_extra_term_weight(value, weight: float) -> float:
    """An extra metric term's weight with ``"auto"`` resolved at ``weight``."""
    if not is_auto(value):
        return float(value)
    return AUTO_EXTRA_TERM_WEIGHT if weight < 1 else 0.0


def resolve_input_metric(value, sparse: bool) -> str:
    """``input_metric`` with ``"auto"`` resolved for dense or sparse ``X``."""
    if not is_auto(value):
        return value
    return AUTO_INPUT_METRIC["sparse" if sparse else "dense"]


def resolve_neighbor_smoothing(
    value, neighbor_term: bool, augment: bool
) -> tuple[float, bool]:
    """``neighbor_smoothing`` with ``"auto"`` resolved: ``(share, follows_views)``.

    ``"auto"`` is ``AUTO_NEIGHBOR_SMOOTHING`` with the neighbour term, 0
    without it. With random views (``augment``) ``follows_views`` is True:
    the fit then scales the share by the views' agreement with the input
    graph (:func:`smoothing_under_views`).
    """
    if not is_auto(value):
        return float(value), False
    if not neighbor_term:
        return 0.0, False
    return AUTO_NEIGHBOR_SMOOTHING, augment


#: The trust in the input graph without random views (flattened rows), where
#: the graph is all the encoder learns neighbourhoods from: the smoothing
#: takes its whole ``"auto"`` share, and the graph's label spreading vets the
#: pseudo-labels. On the rotated MNIST digits with 2% of labels, where the
#: encoder's pseudo-labels go wrong more often than on the general suite's
#: sets, the check raised the test 5-NN accuracy by 1.3-2.9 points; on
#: MNIST itself it moved no figure by more than 0.3 (``docs/few_labels.md``).
FULL_TRUST = 1.0


def input_graph_trust(agreement: float) -> float:
    """How far the input graph is trusted beside random views: ``max(0, 2a - 1)``.

    ``a`` (``agreement``) is the share of random views that find their own
    row among their nearest training rows in input space
    (:func:`~sk_metricembed._training.neighbors.view_agreement`). While at
    most half of the views stay by their row, the input graph misses more of
    the invariances the views teach the encoder than it holds, and the
    encoder's judgement stands alone: 0. Above half the trust grows to 1,
    reached when every view stays. It scales the smoothing of new rows
    (:func:`smoothing_under_views`), and above 0 the input graph's label
    spreading vets the pseudo-labels, as it does without views
    (``FULL_TRUST``)
    (:func:`~sk_metricembed._training.pseudo_labels.input_graph_classes`).
    Measured (``docs/few_labels.md``): MNIST's 28x28 digits have an
    agreement of 0.33 (trust 0: any smoothing share from 0.25 up lowered
    their test 5-NN accuracy, and the encoder's pseudo-labels were 99.5%
    right against the input graph's 85.6% on the same rows);
    scikit-learn's 8x8 digits 0.72-0.73 (the smoothing raised their 5-NN
    accuracy with few labels, and the encoder's pseudo-labels were 74-85%
    right, 95-98% where the input graph agreed).
    """
    return max(0.0, 2.0 * agreement - 1.0)


def smoothing_under_views(share: float, agreement: float) -> float:
    """The ``"auto"`` share with random views: ``share * input_graph_trust(agreement)``.

    The full share of rows without views when every view stays by its row,
    none while at most half of them do (:func:`input_graph_trust`).
    """
    return share * input_graph_trust(agreement)


def resolve_validation_fraction(value, early_stopping: bool) -> float | None:
    """``validation_fraction`` with ``"auto"`` resolved; None holds out no row.

    ``"auto"`` is ``AUTO_VALIDATION_FRACTION`` with early stopping and None
    without; early stopping with ``None`` is an error, as it has nothing to
    monitor.
    """
    if is_auto(value):
        return AUTO_VALIDATION_FRACTION if early_stopping else None
    if value is None and early_stopping:
        raise ValueError(
            "early_stopping=True monitors the loss of held-out rows, but "
            "validation_fraction=None holds out none; set validation_fraction "
            f'to a share such as {AUTO_VALIDATION_FRACTION}, or to "auto" '
            f"({AUTO_VALIDATION_FRACTION} with early stopping)."
        )
    return value


def resolve_pseudo_label_fraction(
    value, labels: np.ndarray, image_shape, weight: float
) -> float:
    """``pseudo_label_fraction`` with ``"auto"`` resolved for these labels.

    0 whatever the value where no label would be spread: at ``weight=0``
    (the plain AE/VAE trains no label term) and without a labelled row.
    """
    if weight == 0 or not (labels >= 0).any():
        return 0.0
    if not is_auto(value):
        return value
    if weight == 1 or float(np.mean(labels >= 0)) >= AUTO_PSEUDO_LABELS_BELOW:
        return 0.0
    return AUTO_PSEUDO_LABEL_FRACTION[input_mode(image_shape)]


def nominal_weight(value) -> float:
    """``weight`` before the data is seen: ``"auto"`` is ``AUTO_WEIGHT``.

    Every value ``"auto"`` resolves to lies in (0, 1), so what depends only
    on the blend's ends (the terms off at ``weight=0``, the pure metric
    network at ``weight=1``) is decided alike before and after.
    """
    return AUTO_WEIGHT if is_auto(value) else float(value)


def label_trust(accuracy: float, n_scored: int, chance: float) -> float:
    """How far labels are trusted to reach unlabelled flattened rows, in (0, 1].

    ``accuracy`` is the share of ``n_scored`` held-out labelled rows that
    label spreading over the input graph gives their own class, ``chance``
    the agreement its class shares give by chance
    (:class:`~sk_metricembed._label_trust.Spreading`). The accuracy's
    upper confidence bound (two binomial standard errors), as Cohen's
    kappa against that chance, is mapped linearly from
    ``LABEL_TRUST_KAPPA[0]`` (trust 0) to ``LABEL_TRUST_KAPPA[1]`` (full
    trust), and kept at ``MIN_LABEL_TRUST`` at least: a few labelled rows never lower
    the trust on their own, and spreading that only repeats the largest
    class earns none.

    >>> label_trust(0.47, 600, 0.1)  # the rotated MNIST digits at 10%
    0.1
    >>> label_trust(0.90, 600, 0.1)  # MNIST at 10%
    1.0
    >>> label_trust(0.80, 600, 0.8)  # two classes, 80% / 20%, all in the first
    0.1
    """
    bound = min(1.0, accuracy + 2 * np.sqrt(accuracy * (1 - accuracy) / n_scored))
    kappa = (bound - chance) / (1 - chance)
    low, high = LABEL_TRUST_KAPPA
    return float(np.clip((kappa - low) / (high - low), MIN_LABEL_TRUST, 1.0))


def mined_pair_weight(value, weight: float, pair_loss: bool) -> float:
    """The share at which a pair loss counts the pairs it mines from labels.

    With a pair loss (``pair_loss``) under ``weight="auto"`` (``value``) it
    is the reach the labels earned, ``weight / AUTO_WEIGHT`` and at most 1
    (:func:`auto_weight`: the trust raised to the unlabelled share, times
    the small-data factor of :func:`small_data_weight`; 1 wherever
    ``"auto"`` gives ``AUTO_WEIGHT`` or more); 1 for a weight the user set
    and for the triplet losses. Hadsell's contrastive loss keeps pulling a
    similar pair together however close it is, where a triplet's hinge is
    met and stops: on the rotated MNIST digits at 20% of labels
    the siamese embedder's contrastive loss rose over the fit from 0.46 to
    0.75, fighting the neighbour term, while the triplet loss fell from 0.80
    to 0.16. Counting the mined pairs at the labels' reach raised the
    siamese embedder's test 5-NN accuracy to PCA's or above on the rotated
    digits at 2-20% of labels, by 0.9-2.9 points (``docs/few_labels.md``);
    the triplet losses count their mined triplets whole (scaled alike, the
    digits over photographs lost a point of 5-NN accuracy).

    >>> mined_pair_weight("auto", 0.05, pair_loss=True)
    0.25
    >>> mined_pair_weight(0.05, 0.05, pair_loss=True)
    1.0
    """
    if not (pair_loss and is_auto(value)):
        return 1.0
    return min(1.0, weight / AUTO_WEIGHT)


def small_data_weight(n_samples: int) -> float:
    """``weight="auto"`` on ``n_samples`` flattened rows before the trust.

    ``AUTO_WEIGHT`` from ``AUTO_HIDDEN_FULL_ROWS`` rows on; below, times
    ``sqrt(AUTO_HIDDEN_FULL_ROWS / n_samples)``, at most
    ``SMALL_DATA_WEIGHT_FACTOR`` times.

    >>> small_data_weight(6000)
    0.2
    >>> round(small_data_weight(1078), 3)  # scikit-learn's digits, 60% of rows
    0.276
    >>> small_data_weight(90)  # iris, 60% of rows
    0.5
    """
    factor = np.sqrt(AUTO_HIDDEN_FULL_ROWS / n_samples)
    return AUTO_WEIGHT * float(np.clip(factor, 1.0, SMALL_DATA_WEIGHT_FACTOR))


def auto_weight(trust: float, labelled_share: float, n_samples: int) -> float:
    """``weight="auto"`` on flattened rows: the trust raised to the unlabelled
    share, times :func:`small_data_weight` of the ``n_samples`` rows.

    The trust matters as far as rows are unlabelled: with every row
    labelled the labels need reach no training row, and the weight is
    ``small_data_weight(n_samples)``; with few labels it is nearly that
    times the trust.

    >>> round(auto_weight(0.1, 0.1, 6000), 4)
    0.0252
    >>> auto_weight(0.1, 1.0, 6000)
    0.2
    """
    return small_data_weight(n_samples) * trust ** (1 - labelled_share)


def auto_neighbor_weight(trust: float, labelled_share: float) -> float:
    """``neighbor_weight="auto"`` on flattened rows: ``AUTO_EXTRA_TERM_WEIGHT``
    times the trust raised to the labelled share.

    The neighbour term draws each row toward its input-space neighbours.
    Where the labels do not follow them (a low trust, :func:`label_trust`)
    it pulls every labelled row against the label terms, so it is lowered
    as far as rows are labelled: to the trust itself with every row
    labelled, hardly at all with few labels, where it carries the
    unlabelled rows. The mirror of :func:`auto_weight`, where the trust
    counts as far as rows are unlabelled. Measured with the paired lens on
    twenty-three tables (``docs/few_labels.md``, "The neighbour term at
    the labels' reach").

    >>> auto_neighbor_weight(0.1, 1.0)
    0.1
    >>> round(auto_neighbor_weight(0.1, 0.01), 3)
    0.977
    >>> auto_neighbor_weight(1.0, 0.5)
    1.0
    """
    return AUTO_EXTRA_TERM_WEIGHT * trust**labelled_share
