"""The two public embedders: the shared machinery with a pair or a triplet loss.

Everything they share, parameters included, is declared once
(:mod:`._base`, :mod:`._parameters`); each class states only its metric
losses, its default loss and its documentation.
"""

from __future__ import annotations

from sklearn.utils._param_validation import StrOptions

from ._base import BaseMetricEmbedder
from ._parameters import (
    ATTRIBUTES_DOC,
    make_init,
    options_doc,
    parameter_constraints,
    parameters_doc,
)
from ._training.objective import LOSS_PARTS, PAIR_LOSSES, TRIPLET_LOSSES, history_key


def _docstring(summary: str, metric_loss: str, rest: str, **words) -> str:
    parts = ", ".join(f"``{history_key(part)}``" for part in LOSS_PARTS)
    return (
        summary
        + "\n\n    Parameters\n    ----------\n"
        + parameters_doc({"metric_loss": metric_loss}, **words)
        + "\n\n    Attributes\n    ----------\n"
        + ATTRIBUTES_DOC.format(parts=parts)
        + "\n"
        + rest
    )


class SiameseAutoencoderEmbedder(BaseMetricEmbedder):
    __doc__ = _docstring(
        """Siamese autoencoder: reconstruction plus a pairwise metric loss.

    A variational autoencoder (or a deterministic one with
    ``variational=False``) whose latent means are pulled together on similar
    pairs and pushed apart on dissimilar ones. Pairs come from labelled rows
    of each batch (``y``, ``-1`` for unlabelled) and from explicit ``pairs``;
    explicit ``triplets`` are split into one similar and one dissimilar pair
    each.""",
        "contrastive",
        """
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
    """,
        network="siamese",
        constraint="pairs",
        metric_options=options_doc(PAIR_LOSSES),
        metric_help=(
            '"contrastive" is Hadsell et al. (2006); "bce" is Koch (2015): a '
            "learned logistic head on ``|z1 - z2|``."
        ),
    )

    _parameter_constraints = parameter_constraints(
        metric_loss=[StrOptions(set(PAIR_LOSSES))]
    )
    __init__ = make_init(metric_loss="contrastive")


class TripletVAEEmbedder(BaseMetricEmbedder):
    __doc__ = _docstring(
        """Triplet VAE (TVAE): the ELBO plus a triplet loss on the latent means.

    A variational autoencoder (or a deterministic one with
    ``variational=False``) whose posterior means keep each anchor closer to
    a positive than to a negative (Ishfaq, Hoogi & Rubin). Triplets come
    from labelled rows of each batch (``y``, ``-1`` for unlabelled) and from
    explicit ``triplets``; explicit ``pairs`` are joined into triplets where
    a similar and a dissimilar pair share a row (an error if none can be).""",
        "triplet",
        """
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
    """,
        network="triplet",
        constraint="triplets",
        metric_options=options_doc(TRIPLET_LOSSES),
        metric_help=(
            '"triplet" is ``max(0, d(a, p) - d(a, n) + margin)``; '
            '"softmax_ratio" is Hoffer & Ailon (2015).'
        ),
    )

    _parameter_constraints = parameter_constraints(
        metric_loss=[StrOptions(set(TRIPLET_LOSSES))]
    )
    __init__ = make_init(metric_loss="triplet")
