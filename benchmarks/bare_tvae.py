"""The TVAE paper's recipe as a bare PyTorch loop, the baseline of the package.

Ishfaq, Hoogi & Rubin (2018) train a VAE whose posterior means also obey a
triplet loss. Written plainly here, with no sk_metricembed code:

- encoder: fully connected ``784 -> 512 -> 256`` with ReLU, then linear
  heads for the mean and log-variance of a 20-dim Gaussian; the decoder
  mirrors it (``20 -> 256 -> 512 -> 784``, linear output);
- loss per step: the ELBO of a batch of 128 rows (summed squared error over
  the features plus the KL to N(0, I), averaged over the batch) plus the
  triplet loss ``max(0, d(a, p) - d(a, n) + 1)`` on the means of 128
  triplets drawn at random from the labelled rows;
- Adam with learning rate 1e-3, 10 epochs over all training rows.

Unlabelled rows (``y == -1``) train the ELBO only.
"""

from __future__ import annotations

import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from sk_metricembed.constraints import sample_triplets


class BareVAE(nn.Module):
    """A fully connected VAE: ``encode`` gives the posterior mean."""

    def __init__(self, n_features: int, hidden=(512, 256), latent_dim: int = 20):
        super().__init__()
        widths = [n_features, *hidden]
        self.encoder = nn.Sequential(
            *[
                layer
                for n_in, n_out in zip(widths[:-1], widths[1:])
                for layer in (nn.Linear(n_in, n_out), nn.ReLU())
            ]
        )
        self.mean = nn.Linear(widths[-1], latent_dim)
        self.log_var = nn.Linear(widths[-1], latent_dim)
        back = [latent_dim, *reversed(hidden)]
        self.decoder = nn.Sequential(
            *[
                layer
                for n_in, n_out in zip(back[:-1], back[1:])
                for layer in (nn.Linear(n_in, n_out), nn.ReLU())
            ],
            nn.Linear(back[-1], n_features),
        )

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        return self.mean(self.encoder(x))

    def forward(self, x: torch.Tensor):
        hidden = self.encoder(x)
        mean, log_var = self.mean(hidden), self.log_var(hidden)
        z = mean + torch.randn_like(mean) * torch.exp(0.5 * log_var)
        return self.decoder(z), mean, log_var


def elbo_loss(x, reconstruction, mean, log_var) -> torch.Tensor:
    """Negative ELBO per row (Gaussian decoder of unit variance), batch mean."""
    squared_error = (reconstruction - x).pow(2).sum(dim=1)
    kl = -0.5 * (1 + log_var - mean.pow(2) - log_var.exp()).sum(dim=1)
    return (squared_error + kl).mean()


def fit_bare_tvae(
    X: np.ndarray,
    y: np.ndarray,
    *,
    hidden=(512, 256),
    latent_dim: int = 20,
    epochs: int = 10,
    batch_size: int = 128,
    lr: float = 1e-3,
    margin: float = 1.0,
    random_state: int = 0,
) -> BareVAE:
    """Train the TVAE recipe on rows ``X`` with labels ``y`` (-1: unlabelled)."""
    torch.manual_seed(random_state)
    rng = np.random.RandomState(random_state)
    X_tensor = torch.from_numpy(np.asarray(X, dtype=np.float32))
    model = BareVAE(X.shape[1], hidden, latent_dim)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    n_steps = int(np.ceil(len(X) / batch_size))
    # One triplet per row and epoch, drawn from the labelled rows up front.
    triplets = torch.from_numpy(
        sample_triplets(y, n_steps * batch_size * epochs, random_state=rng)
    ).reshape(epochs, n_steps, batch_size, 3)
    model.train()
    for epoch in range(epochs):
        order = torch.from_numpy(rng.permutation(len(X)))
        for step in range(n_steps):
            x = X_tensor[order[step * batch_size : (step + 1) * batch_size]]
            reconstruction, mean, log_var = model(x)
            loss = elbo_loss(x, reconstruction, mean, log_var)
            anchor, positive, negative = (
                model.encode(X_tensor[triplets[epoch, step, :, k]]) for k in range(3)
            )
            loss = loss + F.triplet_margin_loss(
                anchor, positive, negative, margin=margin
            )
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    model.eval()
    return model


def encode(model: BareVAE, X: np.ndarray, chunk: int = 4096) -> np.ndarray:
    """Posterior means of ``X``, in chunks, without gradients."""
    with torch.inference_mode():
        return np.concatenate(
            [
                model.encode(
                    torch.from_numpy(np.asarray(X[i : i + chunk], np.float32))
                ).numpy()
                for i in range(0, len(X), chunk)
            ]
        )


def timed_fit(X, y, *, hidden=(512, 512), epochs: int = 10, **options):
    """``(model, fit seconds)``; the speed section's 784-512-512-20 network."""
    start = time.perf_counter()
    model = fit_bare_tvae(X, y, hidden=hidden, epochs=epochs, **options)
    return model, time.perf_counter() - start


def transform_bare_tvae(model: BareVAE, X: np.ndarray) -> np.ndarray:
    """Posterior means of ``X`` (the embedding)."""
    return encode(model, X)


def bare_tvae_peer(X_train, y_train_semi, X_test, *, latent_dim=20, epochs=10):
    """The peer of the scenarios: ``(Z_train, Z_test, fit seconds)``."""
    model, seconds = timed_fit(
        X_train,
        y_train_semi,
        hidden=(512, 256),
        latent_dim=latent_dim,
        epochs=epochs,
    )
    return encode(model, X_train), encode(model, X_test), seconds
