"""The two public embedders: the shared machinery with a pair or a triplet loss.

Everything they share, parameters included, is declared once
(:mod:`._base`, :mod:`._parameters`); each class states only its metric
losses (the first is its default) and the words its documentation needs.
"""

from __future__ import annotations

from ._base import BaseMetricEmbedder
from ._defaults import AUTO_WEIGHT
from ._training.loss_parts import NO_METRIC_LOSS, PAIR_LOSSES, TRIPLET_LOSSES

_NO_METRIC_HELP = (
    ' "none" trains no {constraint} loss: with ``weight=1`` and '
    "``classifier_weight > 0``, a classification network whose code is the "
    'embedding (the first of the four networks of "Siamese networks and '
    'friends").'
)


class SiameseAutoencoderEmbedder(
    BaseMetricEmbedder,
    metric_losses=(*PAIR_LOSSES, NO_METRIC_LOSS),
    network="siamese",
    constraint="pairs",
    metric_help=(
        '"contrastive" is Hadsell et al. (2006); "bce" is Koch (2015): a '
        "learned logistic head on ``|z1 - z2|``. Hadsell's loss keeps pulling "
        "a similar pair together however close it is, so where "
        f'``weight="auto"`` falls below {AUTO_WEIGHT} because the input graph '
        "carries the labels poorly, each pair mined from labels counts, under "
        f"either loss, at ``weight_ / {AUTO_WEIGHT}`` of an explicit pair "
        "(see the few-labels guide)." + _NO_METRIC_HELP.format(constraint="pair")
    ),
):
    """Siamese autoencoder: reconstruction plus a pairwise metric loss.

    A variational autoencoder (or a deterministic one with
    ``variational=False``) whose latent means are pulled together on similar
    pairs and pushed apart on dissimilar ones. Pairs come from labelled rows
    of each batch (``y``, ``-1`` for unlabelled) and from explicit ``pairs``;
    explicit ``triplets`` are split into one similar and one dissimilar pair
    each.

    Parameters
    ----------
    {parameters}

    Attributes
    ----------
    {attributes}

    See Also
    --------
    TripletVAEEmbedder : The same machinery with a triplet loss.

    References
    ----------
    R. Hadsell, S. Chopra and Y. LeCun, "Dimensionality reduction by learning
    an invariant mapping", CVPR 2006.

    G. Koch, "Siamese neural networks for one-shot image recognition", 2015.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from sk_metricembed import SiameseAutoencoderEmbedder
    >>> X, y = load_digits(return_X_y=True)
    >>> X = X / 16.0
    >>> y[100:] = -1  # keep 100 labels
    >>> embedder = SiameseAutoencoderEmbedder(latent_dim=2, max_epochs=2,
    ...                                       random_state=0)
    >>> embedder.fit_transform(X, y).shape
    (1797, 2)
    """


class TripletVAEEmbedder(
    BaseMetricEmbedder,
    metric_losses=(*TRIPLET_LOSSES, NO_METRIC_LOSS),
    network="triplet",
    constraint="triplets",
    metric_help=(
        '"triplet" is ``max(0, d(a, p) - d(a, n) + margin)``; '
        '"softmax_ratio" is Hoffer & Ailon (2015).'
        + _NO_METRIC_HELP.format(constraint="triplet")
    ),
):
    """Triplet VAE (TVAE): the ELBO plus a triplet loss on the latent means.

    A variational autoencoder (or a deterministic one with
    ``variational=False``) whose posterior means keep each anchor closer to
    a positive than to a negative (Ishfaq, Hoogi & Rubin). Triplets come
    from labelled rows of each batch (``y``, ``-1`` for unlabelled) and from
    explicit ``triplets``; explicit ``pairs`` are joined into triplets where
    a similar and a dissimilar pair share a row (an error if none can be).

    Parameters
    ----------
    {parameters}

    Attributes
    ----------
    {attributes}

    See Also
    --------
    SiameseAutoencoderEmbedder : The same machinery with a pairwise loss.

    References
    ----------
    H. Ishfaq, A. Hoogi and D. Rubin, "TVAE: Triplet-based variational
    autoencoder using metric learning", ICLR workshop 2018.

    E. Hoffer and N. Ailon, "Deep metric learning using triplet network",
    SIMBAD 2015.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from sk_metricembed import TripletVAEEmbedder
    >>> X, y = load_digits(return_X_y=True)
    >>> X = X / 16.0
    >>> y[100:] = -1  # keep 100 labels
    >>> embedder = TripletVAEEmbedder(latent_dim=2, max_epochs=2, random_state=0)
    >>> embedder.fit_transform(X, y).shape
    (1797, 2)
    """
