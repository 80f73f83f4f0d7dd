"""SiameseAutoencoderEmbedder: an autoencoder shaped by a pairwise loss."""

from __future__ import annotations

from ._base import BaseMetricEmbedder
from ._docstrings import COMMON_ATTRIBUTES, COMMON_PARAMETERS


class SiameseAutoencoderEmbedder(BaseMetricEmbedder):
    __doc__ = (
        """Siamese autoencoder: reconstruction plus a pairwise metric loss.

    A variational autoencoder (or a deterministic one with
    ``variational=False``) whose latent means are pulled together on similar
    pairs and pushed apart on dissimilar ones. Pairs come from labelled rows
    of each batch (``y``, ``-1`` for unlabelled) and from explicit ``pairs``;
    explicit ``triplets`` are split into one similar and one dissimilar pair
    each.

    Parameters
    ----------"""
        + COMMON_PARAMETERS.format(
            network="siamese",
            metric_options='{"contrastive", "bce"}',
            metric_default="contrastive",
            constraint="pairs",
            metric_help=(
                '"contrastive" is Hadsell et al. (2006); "bce" is Koch (2015): a '
                "learned logistic head on ``|z1 - z2|``."
            ),
        )
        + """
    Attributes
    ----------"""
        + COMMON_ATTRIBUTES
        + """
    See Also
    --------
    TripletVAEEmbedder : The same machinery with a triplet loss and a VAE.

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
    )

    _metric_losses = ("contrastive", "bce")

    def __init__(
        self,
        latent_dim: int = 10,
        hidden_layer_sizes: tuple[int, ...] | str = "auto",
        activation: str = "relu",
        dropout: float = 0.0,
        variational: bool = True,
        beta: float = 1.0,
        weight: float = 0.2,
        margin: float = 1.0,
        metric_loss: str = "contrastive",
        miner: str = "all",
        reconstruction: str = "mse",
        neighbor_weight: float = 1.0,
        n_neighbors: int = 10,
        supervised_contrastive_weight: float = 1.0,
        pseudo_label_fraction: float | str = "auto",
        contrasting_weight: float = 0.0,
        classifier_weight: float = 0.0,
        spatial_contrasting_weight: float = 0.0,
        image_shape: tuple[int, ...] | None = None,
        augment: bool = False,
        max_epochs: int | str = "auto",
        batch_size: int = 256,
        lr: float = 2e-3,
        optimizer="adam",
        device="cpu",
        random_state=None,
        verbose: int = 0,
        callbacks: list | None = None,
        warm_start: bool = False,
    ) -> None:
        self.latent_dim = latent_dim
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.dropout = dropout
        self.variational = variational
        self.beta = beta
        self.weight = weight
        self.margin = margin
        self.metric_loss = metric_loss
        self.miner = miner
        self.reconstruction = reconstruction
        self.neighbor_weight = neighbor_weight
        self.n_neighbors = n_neighbors
        self.supervised_contrastive_weight = supervised_contrastive_weight
        self.pseudo_label_fraction = pseudo_label_fraction
        self.contrasting_weight = contrasting_weight
        self.classifier_weight = classifier_weight
        self.spatial_contrasting_weight = spatial_contrasting_weight
        self.image_shape = image_shape
        self.augment = augment
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.lr = lr
        self.optimizer = optimizer
        self.device = device
        self.random_state = random_state
        self.verbose = verbose
        self.callbacks = callbacks
        self.warm_start = warm_start
