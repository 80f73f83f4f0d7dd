"""The declared dependencies say what the package needs, and only that."""

import re
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.datasets import load_digits

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].lower()


def test_run_time_dependencies_have_a_pinnable_lower_bound():
    # .ci/min_versions installs each at exactly its lower bound.
    for requirement in PROJECT["dependencies"]:
        assert re.fullmatch(r"[\w.\-\[\]]+>=[\w.]+", requirement), requirement


def test_what_the_package_imports_is_declared_and_scikit_image_is_not():
    names = {_name(requirement) for requirement in PROJECT["dependencies"]}
    # skorch's progress bar is tqdm; the package imports it too.
    assert {"torch", "skorch", "scikit-learn", "numpy", "scipy", "tqdm"} <= names
    assert "scikit-image" not in names
    extras = PROJECT["optional-dependencies"]
    assert "pynndescent" in {_name(requirement) for requirement in extras["large"]}
    assert "plotly" in {_name(requirement) for requirement in extras["interactive"]}


def test_hog_needs_no_scikit_image(monkeypatch):
    # As if scikit-image were not installed: importing it fails.
    monkeypatch.setitem(sys.modules, "skimage", None)
    monkeypatch.setitem(sys.modules, "skimage.feature", None)
    from sk_metricembed import HOGTransformer

    images = load_digits().data[:20]
    features = HOGTransformer(
        image_shape=(8, 8), pixels_per_cell=(4, 4), cells_per_block=(1, 1)
    ).fit_transform(images)
    assert features.shape[0] == 20 and np.isfinite(features).all()
    with pytest.raises(ImportError):
        import skimage  # noqa: F401
