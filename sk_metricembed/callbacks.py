"""Training callbacks for the embedders (skorch callbacks, passed as ``callbacks=``).

:class:`EmbeddingRecorder` keeps the embedding of a fixed set of rows after
every epoch, so that :func:`~sk_metricembed.animate_embedding` can show the
latent space forming during training.
"""

from __future__ import annotations

from numbers import Integral

import numpy as np
from sklearn.utils import check_array
from skorch.callbacks import Callback

from ._sklearn_compat import Interval, validate_parameter_constraints
from ._training.inference import apply_in_chunks

__all__ = ["EmbeddingRecorder"]


class EmbeddingRecorder(Callback):
    """Record the embedding of fixed rows before training and every few epochs.

    Pass it in the embedder's ``callbacks`` list; after ``fit`` it holds one
    array per recorded epoch. Rows must be given as the embedder sees them
    (after any scaling or feature step of a pipeline). Recording encodes the
    rows in evaluation mode without gradients, so it changes neither the
    weights nor the random draws of training. It records the encoder's
    codes: ``transform`` after the fit also draws each code toward its
    input-space training neighbours' (``neighbor_smoothing``), which needs
    the trained encoder.

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_rows, n_features)
        The rows to embed, typically a few hundred.
    every : int >= 1, default=1
        Record after every ``every``-th epoch (and always after the last).

    Attributes
    ----------
    embeddings_ : list of ndarray of shape (n_rows, latent_dim)
        The recorded embeddings, oldest first; the first is the untrained
        network's.
    epochs_ : list of int
        The epoch after which each embedding was recorded (0: before training).

    See Also
    --------
    animate_embedding : Write the recorded embeddings as a GIF or MP4.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from sk_metricembed import EmbeddingRecorder, TripletVAEEmbedder
    >>> X, y = load_digits(return_X_y=True)
    >>> X = X[:300] / 16.0
    >>> recorder = EmbeddingRecorder(X[:50])
    >>> embedder = TripletVAEEmbedder(
    ...     latent_dim=2, max_epochs=3, callbacks=[recorder], random_state=0
    ... ).fit(X, y[:300])
    >>> recorder.epochs_
    [0, 1, 2, 3]
    >>> recorder.embeddings_[-1].shape
    (50, 2)
    """

    _parameter_constraints: dict = {
        "X": ["array-like", "sparse matrix"],
        "every": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(self, X, *, every: int = 1) -> None:
        self.X = X
        self.every = every

    def __repr__(self) -> str:
        # Shown inside an estimator's repr and a search's cv_results_: the
        # rows by their shape, the same from run to run (not an address).
        shape = getattr(self.X, "shape", None)
        rows = (
            f"<{type(self.X).__name__} of shape {tuple(shape)}>"
            if shape is not None
            else f"<{type(self.X).__name__} of {len(self.X)} rows>"
        )
        return f"{type(self).__name__}(X={rows}, every={self.every})"

    def initialize(self):
        validate_parameter_constraints(
            self._parameter_constraints,
            {"X": self.X, "every": self.every},
            caller_name=type(self).__name__,
        )
        # A trailing underscore keeps it out of skorch's get_params.
        self._rows_ = check_array(
            self.X, accept_sparse="csr", dtype=np.float32, input_name="X"
        )
        self.embeddings_: list[np.ndarray] = []
        self.epochs_: list[int] = []
        return self

    def on_train_begin(self, net, X=None, y=None, **kwargs) -> None:
        n_features = getattr(getattr(net, "module__config", None), "n_features", None)
        if n_features is not None and self._rows_.shape[1] != n_features:
            raise ValueError(
                f"{type(self).__name__}'s X has {self._rows_.shape[1]} features, "
                f"the embedder's rows {n_features}: give it rows as fit gets them "
                "(after the same preprocessing)."
            )
        # With warm_start the recording simply continues.
        if not self.epochs_:
            self._record(net, 0)

    def on_epoch_end(self, net, dataset_train=None, dataset_valid=None, **kwargs):
        epoch = len(net.history)
        if epoch % self.every == 0:
            self._record(net, epoch)

    def on_train_end(self, net, X=None, y=None, **kwargs) -> None:
        epoch = len(net.history)
        if self.epochs_[-1] != epoch:
            self._record(net, epoch)

    def _record(self, net, epoch: int) -> None:
        # Eval mode, no gradients; the module's training mode comes back.
        embedding = apply_in_chunks(net.module_.encode, self._rows_, net.device)
        self.embeddings_.append(embedding)
        self.epochs_.append(epoch)
