"""The embedders in a real Jupyter kernel, as a notebook user has them.

One notebook, executed by nbclient in a fresh kernel: a fit with
``verbose=1`` (skorch's progress bar) without ipywidgets and then with
whatever is installed, the estimator's HTML repr, a plot from
:mod:`sk_metricembed.plotting` and its interactive scatter (shown as its
plotly figure), and ``set_output(transform="pandas")``.
The kernel runs this interpreter and imports the package the tests import.
Skipped, saying why, where nbclient or ipykernel is missing or no kernel
starts. The fallback itself is also checked here without a kernel.
"""

from __future__ import annotations

import builtins
import json
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.datasets import load_digits

import sk_metricembed
from sk_metricembed import TripletVAEEmbedder
from sk_metricembed._training.assemble import progress_bar

#: Seconds a cell may run; the whole notebook takes a few.
CELL_TIMEOUT = 120
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

#: The notebook's cells, in order; the test reads each one's outputs.
CELLS = {
    "setup": """\
import sys
# As if ipywidgets were not installed (sys.modules: None fails its import).
real_ipywidgets = sys.modules.pop("ipywidgets", None)
sys.modules["ipywidgets"] = None
import matplotlib
matplotlib.use("Agg")
import numpy as np
from sklearn.datasets import load_digits
from sk_metricembed import TripletVAEEmbedder, plot_embedding
X, y = load_digits(return_X_y=True)
X, y = (X[:240] / 16).astype("float32"), y[:240].copy()
y[60:] = -1
""",
    "fit without ipywidgets": """\
embedder = TripletVAEEmbedder(latent_dim=2, max_epochs=2, verbose=1, random_state=0)
Z = embedder.fit_transform(X, y)
print("shape", Z.shape)
""",
    "fit as installed": """\
del sys.modules["ipywidgets"]
if real_ipywidgets is not None:
    sys.modules["ipywidgets"] = real_ipywidgets
from importlib.util import find_spec
print("ipywidgets installed:", find_spec("ipywidgets") is not None)
Z = embedder.fit_transform(X, y)
print("shape", Z.shape)
""",
    "html repr": "embedder",
    "plot": """\
import io
scatter = plot_embedding(Z, y, title="digits")
buffer = io.BytesIO()
scatter.figure_.savefig(buffer, format="png")
print(
    matplotlib.get_backend(),
    type(scatter).__name__,
    type(scatter.ax_).__name__,
    buffer.getvalue()[:8],
)
""",
    "interactive plot": """\
from importlib.util import find_spec
from sk_metricembed import plot_embedding_interactive
print("plotly installed:", find_spec("plotly") is not None)
plot_embedding_interactive(Z, y) if find_spec("plotly") else None
""",
    "set_output": """\
frame = (
    TripletVAEEmbedder(latent_dim=2, max_epochs=1, random_state=0)
    .set_output(transform="pandas")
    .fit_transform(X, y)
)
print(type(frame).__name__, list(frame.columns), frame.shape)
""",
}


def _text(outputs: list, name: str) -> str:
    """All the text a cell wrote to one stream (``stdout`` or ``stderr``)."""
    return "".join(
        output["text"]
        for output in outputs
        if output["output_type"] == "stream" and output["name"] == name
    )


def _execute(folder: Path) -> dict[str, list]:
    """Each cell's outputs, by the cell's name in :data:`CELLS`."""
    try:
        import nbformat
        from nbclient import NotebookClient
    except ImportError as error:
        pytest.skip(
            f"no notebook runner ({error}): nbclient, nbformat and ipykernel "
            "come with pip install -e '.[dev]'"
        )
    try:
        import ipykernel  # noqa: F401  (the kernel the spec below starts)
    except ImportError as error:
        pytest.skip(f"no Jupyter kernel: {error} (pip install -e '.[dev]')")

    # A kernel spec for this interpreter, so that the kernel imports what the
    # tests import (and not whatever another "python3" spec points at).
    spec = folder / "kernels" / "sk-metricembed-tests"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [
                    sys.executable,
                    "-m",
                    "ipykernel_launcher",
                    "-f",
                    "{connection_file}",
                ],
                "display_name": "sk-metricembed tests",
                "language": "python",
            }
        )
    )
    package_root = str(Path(sk_metricembed.__file__).resolve().parents[1])
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JUPYTER_PATH", str(folder))
        patch.setenv("PYTHONPATH", package_root, prepend=":")
        notebook = nbformat.v4.new_notebook(
            cells=[nbformat.v4.new_code_cell(source) for source in CELLS.values()]
        )
        client = NotebookClient(
            notebook,
            kernel_name="sk-metricembed-tests",
            timeout=CELL_TIMEOUT,
            resources={"metadata": {"path": str(folder)}},
        )
        started = False
        try:
            with client.setup_kernel():
                started = True
                for index, cell in enumerate(notebook.cells):
                    client.execute_cell(cell, index)
        except Exception as error:
            if not started:
                pytest.skip(f"no Jupyter kernel could start: {error!r}")
            raise
    return {name: cell.outputs for name, cell in zip(CELLS, notebook.cells)}


def test_a_notebook_runs_in_a_jupyter_kernel(tmp_path):
    # One kernel for every check (a test each would start one per xdist worker).
    executed = _execute(tmp_path)
    _check_progress_without_ipywidgets(executed["fit without ipywidgets"])
    _check_progress_as_installed(executed["fit as installed"])
    _check_html_repr(executed["html repr"])
    _check_plot(executed["plot"])
    _check_interactive_plot(executed["interactive plot"])
    _check_pandas_output(executed["set_output"])


def _check_progress_without_ipywidgets(outputs):
    # skorch's epoch table, then tqdm's text bar (on stderr), not a widget.
    stdout = _text(outputs, "stdout")
    assert "train_loss" in stdout and "shape (240, 2)" in stdout
    assert "it/s]" in _text(outputs, "stderr") or "s/it]" in _text(outputs, "stderr")
    assert not any(WIDGET_VIEW in output.get("data", {}) for output in outputs)


def _check_progress_as_installed(outputs):
    stdout = _text(outputs, "stdout")
    assert "train_loss" in stdout and "shape (240, 2)" in stdout
    widgets = [output for output in outputs if WIDGET_VIEW in output.get("data", {})]
    if "ipywidgets installed: True" in stdout:
        assert widgets, "no progress widget with ipywidgets installed"
    else:
        assert not widgets
        assert "it/s]" in _text(outputs, "stderr") or "s/it]" in _text(
            outputs, "stderr"
        )


def _check_html_repr(outputs):
    (result,) = [o for o in outputs if o["output_type"] == "execute_result"]
    html = result["data"]["text/html"]
    assert "TripletVAEEmbedder" in html and "latent_dim=2" in html
    assert "<style>" in html  # scikit-learn's diagram, not the text repr


def _check_plot(outputs):
    backend, display, axes = _text(outputs, "stdout").split()[:3]
    assert (backend.lower(), display, axes) == ("agg", "EmbeddingDisplay", "Axes")
    assert "\\x89PNG" in _text(outputs, "stdout")  # savefig wrote a PNG


def _check_interactive_plot(outputs):
    # The display, a cell's value, shows as its plotly figure, not as text.
    if "plotly installed: False" in _text(outputs, "stdout"):
        return
    (result,) = [o for o in outputs if o["output_type"] == "execute_result"]
    assert set(result["data"]) - {"text/plain"}, result["data"].keys()


def _check_pandas_output(outputs):
    line = _text(outputs, "stdout")
    assert line.startswith("DataFrame")
    assert "'tripletvaeembedder0', 'tripletvaeembedder1'" in line
    assert "(240, 2)" in line


# -- the fallback without a kernel --------------------------------------------
class ZMQInteractiveShell:
    """What ``get_ipython()`` returns in a Jupyter kernel, as skorch checks it."""


@pytest.fixture
def in_a_kernel(monkeypatch):
    monkeypatch.setattr(
        builtins, "get_ipython", lambda: ZMQInteractiveShell(), raising=False
    )


@pytest.mark.parametrize("widgets", [False, True])
def test_the_progress_bar_draws_a_widget_only_with_ipywidgets(
    in_a_kernel, monkeypatch, tmp_path, widgets
):
    if widgets:  # an importable ipywidgets, installed or not
        (tmp_path / "ipywidgets.py").write_text("")
        monkeypatch.syspath_prepend(tmp_path)
        monkeypatch.delitem(sys.modules, "ipywidgets", raising=False)
    else:  # None in sys.modules: the import fails, as if not installed
        monkeypatch.setitem(sys.modules, "ipywidgets", None)
    bar = progress_bar()
    assert bar.detect_notebook is widgets
    assert bar._use_notebook() is widgets  # skorch's choice of bar


def test_a_verbose_fit_in_a_kernel_without_ipywidgets_shows_the_text_bar(
    in_a_kernel, monkeypatch, capsys
):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)
    X, y = load_digits(return_X_y=True)
    X = (X[:120] / 16).astype(np.float32)
    embedder = TripletVAEEmbedder(latent_dim=2, max_epochs=2, verbose=1)
    Z = embedder.fit_transform(X, y[:120])
    assert Z.shape == (120, 2)
    captured = capsys.readouterr()
    assert "train_loss" in captured.out  # skorch's epoch table
    assert "it/s]" in captured.err or "s/it]" in captured.err  # tqdm's text bar
