"""Parameter documentation shared by the two embedders (written once)."""

COMMON_PARAMETERS = """
    latent_dim : int, default=10
        Dimension of the embedding.
    hidden_layer_sizes : tuple of int or "auto", default="auto"
        Widths of the MLP encoder's hidden layers (after the convolutions in
        image mode); the decoder mirrors them. ``"auto"`` is (1024, 512) for
        vectors and (512,) in image mode: measured on MNIST with 1% of
        labels, (1024, 512) gained a point of triplet accuracy over (512,)
        on vectors, and in image mode one layer of 512 beat (256,) and keeps
        the fit within 90 s on 2 CPU cores.
    activation : {{"relu", "leaky_relu", "elu", "gelu", "tanh"}}, default="relu"
        Hidden-layer activation.
    dropout : float in [0, 1), default=0.0
        Dropout after each hidden layer. Off by default: it cost 2-5 points
        of 5-NN accuracy with the neighbour term in our measurements (the
        seeds' experiments used 0.2).
    variational : bool, default=True
        ``True`` trains a VAE (metric terms act on the posterior means, as
        in the TVAE paper), ``False`` a deterministic autoencoder. The
        default for both estimators: with the pair loss too, the VAE gave
        0.4-1 point more 5-NN accuracy on MNIST at 1%, 10% and 100% of
        labels (``docs/few_labels.md``).
    beta : float >= 0, default=1.0
        Weight of the KL term of a VAE (1 is the ELBO).
    weight : float in [0, 1], default=0.2
        ``loss = weight * metric + (1 - weight) * (reconstruction + beta * KL)``.
        0 is a plain AE/VAE, 1 a pure {network} network. The metric terms
        are about a hundred times the per-feature reconstruction error, so
        0.2 still lets them lead; it was chosen by measurement: on MNIST
        with 1% of labels it kept 2 points more 5-NN accuracy than 0.9 (the
        reconstruction preserves local structure) at equal triplet accuracy
        (``benchmarks/RESULTS.md``).
    margin : float >= 0, default=1.0
        Margin of the contrastive and triplet losses and of semi-hard mining.
    metric_loss : {metric_options}, default="{metric_default}"
        The loss on {constraint} mined from labels and on explicit constraints.
        {metric_help}
    miner : {{"all", "semi-hard", "hard"}}, default="all"
        Which {constraint} of a batch's labelled rows the loss sees: all valid
        ones (class-balanced), those still inside the margin, or each
        anchor's hardest positive and negative.
    reconstruction : {{"mse", "bce"}}, default="mse"
        Squared error, or Bernoulli cross-entropy for inputs in [0, 1].
    neighbor_weight : float >= 0, default=1.0
        Weight of the unsupervised neighbour term: each row must pick one of
        its ``n_neighbors`` input-space neighbours out of the batch (InfoNCE
        over the Cauchy kernel ``1 / (1 + d**2)`` of t-SNE and UMAP). It lets
        unlabelled rows shape the embedding; 0 turns it off.
    n_neighbors : int >= 1, default=10
        Input-space neighbours per row for that term (searched in a PCA-50
        projection above 50 features).
    supervised_contrastive_weight : float >= 0, default=1.0
        Weight of a supervised contrastive term on the class-balanced
        labelled rows of each batch (same Cauchy kernel).
    pseudo_label_fraction : float in [0, 1] or "auto", default="auto"
        Share of the unlabelled rows that train the label terms under a
        pseudo-label. From a third of the epochs on, and again every twelfth
        of them, the true labels are spread over a ``n_neighbors``-NN graph
        of the current embedding (scikit-learn's ``LabelSpreading``) and the
        most confident rows take the label they reached. ``"auto"``, when
        fewer than 5% of the rows carry a label, is 0.5 for vectors and 0.8
        in image mode (whose embedding propagates labels more reliably), and
        0 otherwise: on MNIST they gained 0.6-1.4 points of triplet accuracy
        with 1% of labels, and cost up to half a point of 5-NN accuracy with
        10% in image mode. 0 turns them off.
    contrasting_weight : float >= 0, default=0.0
        Weight of Hoffer & Ailon's semi-supervised contrasting: labelled rows,
        cross-entropy over distances to class exemplars; unlabelled rows,
        the entropy of that distribution.
    classifier_weight : float >= 0, default=0.0
        Weight of a linear classifier head on the latent code trained with
        cross-entropy on labelled rows ("EmbeddingNet" of the seeds).
    spatial_contrasting_weight : float >= 0, default=0.0
        Image mode only: weight of Hoffer & Ailon's spatial contrasting, an
        unsupervised term for which two patches of one image (random
        half-size windows of the convolutional feature map) must be closer
        than patches of the other images of the batch. Offered to reproduce
        the seeds; its effect beside the neighbour term is not measured yet.
    image_shape : tuple of int or None, default=None
        ``(height, width[, channels])`` of the images that rows flatten
        (channels last). Switches to the image mode: two stride-2
        convolutions (32 and 64 channels) before the hidden layers, and a
        mirrored transposed-convolution decoder. Rows stay the input and
        output format.
    augment : bool, default=False
        Image mode only: train on random affine views (rotation up to 15
        degrees, scale up to 15%, shift up to 2 pixels) of each row and of
        its neighbour, so the neighbour term learns invariance to them.
    max_epochs : int >= 1 or "auto", default="auto"
        Passes over the rows. ``"auto"`` is 60 for vectors and 30 in image
        mode (whose steps cost about four times as much): on 6,000 MNIST rows
        each fits in about a minute and a half on 2 CPU cores. Lower it for
        large data: the fit time grows with rows x epochs.
    batch_size : int >= 1, default=256
        Rows per step for the reconstruction (plus up to half as many
        class-balanced labelled rows for the metric terms, when the step's
        own rows hold too few labelled pairs).
    lr : float > 0, default=2e-3
        Learning rate (2e-3 beat 1e-3 in the same number of epochs).
    optimizer : {{"adam", "adamw", "sgd"}} or torch optimiser class, default="adam"
        Optimiser.
    device : {{"cpu", "cuda", "auto"}} or torch.device, default="cpu"
        Where to train; ``"auto"`` takes CUDA when available.
    random_state : int, RandomState instance or None, default=None
        Seeds weights, batches and sampling: the same seed and data give the
        same embedding on CPU. Torch's global generator is left untouched.
    verbose : int, default=0
        0 is silent; 1 prints skorch's epoch table with a progress bar.
    callbacks : list of skorch callbacks or None, default=None
        Extra callbacks (for example ``skorch.callbacks.EarlyStopping``
        monitoring ``"train_loss"``).
    warm_start : bool, default=False
        When ``True``, ``fit`` continues training the fitted network.
"""

COMMON_ATTRIBUTES = """
    net_ : skorch.NeuralNet
        The trained skorch net; ``net_.module_`` is the torch autoencoder.
    history_ : skorch.History
        Per-epoch losses: ``train_loss`` and its parts (``reconstruction_loss``,
        ``kl_loss``, ``constraint_loss``, ``neighbor_loss``, ...).
    classes_ : ndarray
        Labels seen in ``y`` (-1 excluded).
    n_features_in_ : int
        Number of input features.
    feature_names_in_ : ndarray of str
        Input column names, when ``X`` was a DataFrame with string columns.
"""
