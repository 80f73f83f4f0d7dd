"""Pseudo-labels by label propagation on the current embedding.

With 1% of labels the label terms see a few dozen rows. Once the neighbour
term has shaped the latent space, the labels spread well over a kNN graph of
the *embedding* (Iscen et al., "Label Propagation for Deep Semi-supervised
Learning", CVPR 2019): on MNIST with 60 labels, the most confident half of
the unlabelled rows got the right class 97% of the time, against 78% for the
same propagation on input-space (PCA) neighbours. During training,
:class:`PseudoLabeler` re-runs the propagation every few epochs, from the
true labels only, and hands the most confident unlabelled rows to the batch
sampler as labelled; the label terms (the triplet or pair loss, supervised
contrastive, ...) then train on them like on true labels.

The propagation is scikit-learn's :class:`~sklearn.semi_supervised.LabelSpreading`
(Zhou et al., 2004) on a ``n_neighbors``-NN graph with ``alpha=0.99``: the
heavy diffusion lets 60 labelled rows reach all 6,000 rows (the default
``alpha=0.2`` left most rows with an empty distribution).

After the fit, :func:`spread_labels` runs the same spreading once more on the
fitted embedding to give every training row a class distribution: the
estimators' ``transduction_`` and ``label_distributions_``.
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.neighbors import NearestNeighbors
from sklearn.semi_supervised import LabelSpreading
from skorch.callbacks import Callback

from .inference import apply_in_chunks
from .skorch_net import callback_objects

#: Above this many rows, propagation runs on the labelled rows plus a random
#: sample of this many unlabelled rows (redrawn at every refresh), so that a
#: refresh stays a few seconds whatever the data size.
MAX_PROPAGATION_ROWS = 50_000

#: Rows outside the sample are given their classes this many at a time.
_PREDICT_CHUNK = 2048


def propagate_labels(
    Z: np.ndarray,
    labels: np.ndarray,
    fraction: float,
    n_neighbors: int,
    rng: np.random.RandomState,
    second_opinion: np.ndarray | None = None,
) -> np.ndarray:
    """Labels with the most confident ``fraction`` of unlabelled rows filled in.

    Parameters
    ----------
    Z : ndarray of shape (n_samples, latent_dim)
        The current embedding of the training rows.
    labels : ndarray of shape (n_samples,)
        Class indices, ``-1`` for unlabelled rows; never changed.
    fraction : float in (0, 1]
        Share of the (propagated) unlabelled rows that receive a pseudo-label,
        the most confident first.
    n_neighbors : int
        Neighbours of the kNN graph.
    rng : RandomState
        Draws the sample of unlabelled rows above ``MAX_PROPAGATION_ROWS``.
    second_opinion : ndarray of shape (n_samples,), default=None
        A class for every row from another judge (:func:`input_graph_classes`):
        of the most confident ``fraction``, the rows it gives another class
        are left unlabelled.

    Returns
    -------
    pseudo : ndarray of shape (n_samples,)
        ``labels`` with pseudo-labels added (a copy).
    """
    pseudo = labels.copy()
    if (labels >= 0).all() or np.unique(labels[labels >= 0]).size < 2:
        return pseudo
    rows, spreading = _spread(Z, labels, n_neighbors, rng)
    confidence = np.nan_to_num(spreading.label_distributions_.max(axis=1))
    in_rows = np.flatnonzero(labels[rows] < 0)
    n_keep = int(round(fraction * in_rows.size))
    order = np.argsort(-confidence[in_rows], kind="stable")[:n_keep]
    chosen = in_rows[order]
    chosen = chosen[confidence[chosen] > 0]
    classes = spreading.transduction_[chosen]
    if second_opinion is not None:
        agree = second_opinion[rows[chosen]] == classes
        chosen, classes = chosen[agree], classes[agree]
    pseudo[rows[chosen]] = classes
    return pseudo


def input_graph_classes(
    features,
    labels: np.ndarray,
    n_neighbors: int,
    rng: np.random.RandomState,
    connectivity=None,
) -> np.ndarray | None:
    """Each row's class by label spreading over the input-space graph.

    The second judge of the pseudo-labels wherever the input graph is
    trusted: always for flattened rows, and beside random views as far as
    they stay among their row's neighbours
    (:func:`~sk_metricembed._defaults.input_graph_trust`):
    the spreading :func:`spread_labels` runs, on ``features`` (the training
    rows in the input search space) instead of the embedding, from the same
    true labels. A co-training check (Blum & Mitchell, 1998): a pseudo-label
    two views of the rows give alike is far more often right. On
    scikit-learn's 8x8 digits in image mode with 1-2% of labels, the
    encoder's pseudo-labels were 74-85% right, those the input graph
    agreed with 95-98%; on flattened rows of the rotated MNIST digits with
    2% of labels the check raised the test 5-NN accuracy by 1.3-2.9 points
    (``docs/few_labels.md``).

    ``connectivity`` (:func:`knn_connectivity` of ``features``) saves the
    neighbour search where several spreadings share the rows.

    Returns
    -------
    classes : ndarray of shape (n_samples,) or None
        The class index of every row (a labelled row's own); None when the
        labelled rows hold fewer than two classes or every row is labelled.
    """
    labeled = labels[labels >= 0]
    if labeled.size == labels.size or np.unique(labeled).size < 2:
        return None
    n_classes = int(labeled.max()) + 1
    distributions = spread_labels(
        features, labels, n_classes, n_neighbors, rng, connectivity
    )
    return distributions.argmax(axis=1)


def spread_labels(
    Z: np.ndarray,
    labels: np.ndarray,
    n_classes: int,
    n_neighbors: int,
    rng: np.random.RandomState,
    connectivity=None,
) -> np.ndarray:
    """A class distribution for every row, by the spreading of the pseudo-labels.

    The spreading :func:`propagate_labels` runs, on the labelled rows and
    (a sample of ``MAX_PROPAGATION_ROWS`` of) the unlabelled ones; rows left
    out of the sample take the average distribution of their
    ``n_neighbors`` nearest spread rows (``LabelSpreading.predict_proba``).
    A labelled row's distribution is its own class. A row the spreading
    does not reach (a part of the kNN graph without a labelled row) takes
    the class of its nearest labelled row.

    Parameters
    ----------
    Z : ndarray of shape (n_samples, latent_dim)
        The embedding of the training rows.
    labels : ndarray of shape (n_samples,)
        Class indices, ``-1`` for unlabelled rows, of at least two classes.
    n_classes : int
        Number of classes (columns), at least ``labels.max() + 1``.
    n_neighbors : int
        Neighbours of the kNN graph.
    rng : RandomState
        Draws the sample of unlabelled rows above ``MAX_PROPAGATION_ROWS``.
    connectivity : sparse matrix of shape (n_samples, n_samples), default=None
        :func:`knn_connectivity` of ``Z``, computed once where several
        spreadings run over the same rows; searched here when None.

    Returns
    -------
    distributions : ndarray of shape (n_samples, n_classes), float32
        Each row sums to 1 (to float32's precision); a labelled row's is
        one-hot on its own class.
    """
    labeled = np.flatnonzero(labels >= 0)
    distributions = np.zeros((len(labels), n_classes), dtype=np.float32)
    distributions[labeled, labels[labeled]] = 1.0
    if len(labeled) == len(labels):
        return distributions
    rows, spreading = _spread(Z, labels, n_neighbors, rng, connectivity)
    columns = spreading.classes_  # the class indices that have labelled rows
    spread = rows[labels[rows] < 0]
    distributions[np.ix_(spread, columns)] = spreading.label_distributions_[
        labels[rows] < 0
    ]
    outside = labels < 0  # the unlabelled rows left out of the sample
    outside[spread] = False
    for start in range(0, len(labels), _PREDICT_CHUNK):
        chunk = start + np.flatnonzero(outside[start : start + _PREDICT_CHUNK])
        if chunk.size:
            with np.errstate(invalid="ignore"):  # 0 / 0: no neighbour reached
                proba = spreading.predict_proba(Z[chunk])
            distributions[np.ix_(chunk, columns)] = np.nan_to_num(proba)
    unreached = np.flatnonzero(distributions.sum(axis=1) == 0)
    if unreached.size:
        nearest = (
            NearestNeighbors(n_neighbors=1)
            .fit(Z[labeled])
            .kneighbors(Z[unreached], return_distance=False)[:, 0]
        )
        distributions[unreached, labels[labeled[nearest]]] = 1.0
    return distributions


def knn_connectivity(Z: np.ndarray, n_neighbors: int):
    """The kNN graph ``LabelSpreading(kernel="knn")`` builds over ``Z``'s rows.

    Each row's ``n_neighbors`` nearest rows, itself among them, as a sparse
    connectivity matrix: the search ``LabelSpreading`` repeats at every fit,
    done once for spreadings that share the rows (the label trust's folds).

    >>> import numpy as np
    >>> from sk_metricembed._training.pseudo_labels import knn_connectivity
    >>> knn_connectivity(np.array([[0.0], [1.0], [5.0]]), 2).toarray()
    array([[1., 1., 0.],
           [1., 1., 0.],
           [0., 1., 1.]])
    """
    n_neighbors = _spreading_neighbors(n_neighbors, Z.shape[0])
    search = NearestNeighbors(n_neighbors=n_neighbors).fit(Z)
    return search.kneighbors_graph(Z, n_neighbors, mode="connectivity")


def _spreading_neighbors(n_neighbors: int, n_rows: int) -> int:
    return min(n_neighbors, n_rows - 1)


class _Precomputed:
    """A ``LabelSpreading`` kernel that hands back a graph already searched.

    Used only to fit (``predict_proba`` of a callable kernel weighs every
    training row, where the kNN kernel averages the neighbours).
    """

    def __init__(self, connectivity) -> None:
        self.connectivity = connectivity

    def __call__(self, X, Y):
        return self.connectivity


def _spread(
    Z: np.ndarray,
    labels: np.ndarray,
    n_neighbors: int,
    rng: np.random.RandomState,
    connectivity=None,
) -> tuple[np.ndarray, LabelSpreading]:
    """Label spreading over the labelled rows and (a sample of) the others.

    Returns the rows it ran on (sorted) and the fitted ``LabelSpreading``,
    whose ``label_distributions_`` and ``transduction_`` follow those rows.
    ``connectivity`` (:func:`knn_connectivity` of every row of ``Z``) serves
    where the spreading runs over every row; a sample searches its own.
    """
    unlabeled = np.flatnonzero(labels < 0)
    if unlabeled.size > MAX_PROPAGATION_ROWS:
        unlabeled = np.sort(rng.choice(unlabeled, MAX_PROPAGATION_ROWS, replace=False))
    rows = np.union1d(np.flatnonzero(labels >= 0), unlabeled)
    kernel = "knn"
    if connectivity is not None and rows.size == len(labels):
        kernel = _Precomputed(connectivity)
    spreading = LabelSpreading(
        kernel=kernel,
        n_neighbors=_spreading_neighbors(n_neighbors, rows.size),
        alpha=0.99,
        max_iter=100,
    )
    with warnings.catch_warnings():
        # 100 diffusion steps rank the rows well before they converge.
        warnings.simplefilter("ignore", ConvergenceWarning)
        spreading.fit(Z[rows], labels[rows])
    return rows, spreading


class PseudoLabeler(Callback):
    """Refresh the batch sampler's pseudo-labels during training.

    The first refresh comes after a third of the net's ``max_epochs`` (the
    embedding must first be shaped by the neighbour and label terms), then
    every twelfth of them. Each refresh starts from the dataset's true labels, so
    a warm fit on new rows or labels propagates those. Where the dataset
    carries ``input_classes`` (:func:`input_graph_classes`), a pseudo-label
    is kept only where they agree.

    Parameters
    ----------
    fraction, n_neighbors :
        See :func:`propagate_labels`.
    seed : int
        Seed of the row sample for large data.
    """

    def __init__(self, fraction, n_neighbors, seed):
        self.fraction = fraction
        self.n_neighbors = n_neighbors
        self.seed = seed

    def initialize(self):
        self.rng_ = np.random.RandomState(self.seed)
        return self

    def on_train_begin(self, net, **kwargs):
        # The schedule follows this fit's epochs (a warm fit continues the
        # history and may change max_epochs).
        self.first_epoch_ = len(net.history)
        self.start_ = max(1, net.max_epochs // 3)
        self.every_ = max(1, net.max_epochs // 12)

    def on_epoch_end(self, net, dataset_train=None, **kwargs):
        epoch = len(net.history) - self.first_epoch_
        if epoch < self.start_ or (epoch - self.start_) % self.every_:
            return
        Z = apply_in_chunks(net.module_.encode, dataset_train.X, net.device)
        pseudo = propagate_labels(
            Z,
            dataset_train.true_labels,
            self.fraction,
            self.n_neighbors,
            self.rng_,
            second_opinion=dataset_train.input_classes,
        )
        dataset_train.relabel(pseudo)
        net.history.record("pseudo_labels", int((pseudo >= 0).sum()))


def trains_on_pseudo_labels(net) -> bool:
    """Whether one of ``net``'s callbacks is a :class:`PseudoLabeler`."""
    return any(isinstance(c, PseudoLabeler) for c in callback_objects(net.callbacks))
