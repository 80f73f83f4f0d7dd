"""
Watching the latent space form
==============================

:class:`~sk_metricembed.EmbeddingRecorder`, passed through ``callbacks``,
embeds a fixed set of rows before training and after every epoch.
:func:`~sk_metricembed.animate_embedding` turns the records into a GIF (or an
MP4 where ffmpeg is installed), like the ``--animation`` option of "Siamese
networks and friends". Below, a few of the frames side by side.
"""

# %%
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
from sklearn.datasets import load_digits

from sk_metricembed import (
    EmbeddingRecorder,
    SiameseAutoencoderEmbedder,
    animate_embedding,
    plot_embedding,
)

X, y = load_digits(return_X_y=True)
X = X / 16.0
watched = slice(0, 500)  # the rows whose embedding is recorded
recorder = EmbeddingRecorder(X[watched])
embedder = SiameseAutoencoderEmbedder(
    latent_dim=2, max_epochs=20, callbacks=[recorder], random_state=0
).fit(X, y)
print("recorded epochs:", recorder.epochs_)

# %%
# The GIF
# -------
with tempfile.TemporaryDirectory() as folder:
    display = animate_embedding(recorder, y[watched], Path(folder) / "latent.gif")
    path = display.path_  # the written file
    size = path.stat().st_size
    print(f"{path.name}: {len(recorder.embeddings_)} frames, {size:,} bytes")

# %%
# Frames at epochs 0, 1, 5 and 20
# -------------------------------
# Before training the codes are a tangle; the classes pull apart in the
# first epochs and then tighten.
shown = [0, 1, 5, 20]
fig, axes = plt.subplots(1, len(shown), figsize=(4.5 * len(shown), 4.2))
for epoch, ax in zip(shown, axes):
    frame = recorder.embeddings_[recorder.epochs_.index(epoch)]
    plot_embedding(frame, y[watched], ax=ax, title=f"epoch {epoch}")
    if ax is not axes[-1]:
        ax.get_legend().remove()
fig.tight_layout()
plt.show()
