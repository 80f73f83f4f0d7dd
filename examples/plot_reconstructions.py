"""
Reconstructions, VAE samples and loss curves
============================================

With ``weight < 1`` the embedders keep a decoder: ``inverse_transform``
decodes latent codes back to images and a VAE's ``sample`` draws new ones
from its prior. This example fits a :class:`~sk_metricembed.TripletVAEEmbedder`
on digits and shows inputs against their reconstructions (as in figure 3 of
the TVAE paper), images sampled from the prior, and the training curves kept
in ``history_``. Each plotting function returns a display: its
``figure_`` and axes are there to adjust.
"""

# %%
import matplotlib.pyplot as plt
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from sk_metricembed import (
    TripletVAEEmbedder,
    plot_history,
    plot_reconstructions,
    plot_samples,
)

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X / 16.0, y, test_size=0.3, stratify=y, random_state=0
)
embedder = TripletVAEEmbedder(
    latent_dim=10, weight=0.5, max_epochs=30, random_state=0
).fit(X_train, y_train)

# %%
# Held-out digits (top) and their reconstructions (bottom)
# --------------------------------------------------------
display = plot_reconstructions(embedder, X_test, n_images=12)
display.figure_.suptitle("held-out digits and their reconstructions")
plt.show()

# %%
# New digits sampled from the VAE's prior
# ---------------------------------------
# Decoded draws from N(0, I). They come out as blends of digits rather than
# clean ones: the metric terms push the classes apart, so the codes of the
# training digits spread wider than the prior (a standard deviation of
# about 1.5 per dimension here, against 1), and most draws fall between
# the class clusters. A lower ``weight`` or a higher ``beta`` brings the
# codes back towards the prior.
display = plot_samples(embedder, n_samples=36, random_state=0)
display.figure_.suptitle("samples from the prior")
plt.show()

# %%
# Training curves
# ---------------
# Left: the total loss and its reconstruction parts (squared error and KL);
# right: the metric terms (triplet loss on mined triplets, the neighbour
# term, supervised contrastive).
display = plot_history(embedder)
display.figure_.tight_layout()
plt.show()
