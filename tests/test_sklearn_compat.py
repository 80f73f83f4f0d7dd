"""The private scikit-learn names, imported in one module with fallbacks or a
clear error (``sk_metricembed._sklearn_compat``)."""

from __future__ import annotations

import ast
import importlib.util
import sys
from numbers import Real
from pathlib import Path

import numpy as np
import pytest
import sklearn
import sklearn.base
import sklearn.utils.validation
from sklearn.base import BaseEstimator

from sk_metricembed import _sklearn_compat

PACKAGE = Path(_sklearn_compat.__file__).parent
COMPAT = Path(_sklearn_compat.__file__)


def _fresh_compat():
    """A new copy of the module, imported against sklearn as it is now."""
    spec = importlib.util.spec_from_file_location("_sklearn_compat_copy", COMPAT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _private_sklearn_imports(path: Path) -> list[str]:
    """``module.name`` of each private scikit-learn import in a source file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            "sklearn"
        ):
            private_module = any(p.startswith("_") for p in node.module.split("."))
            for alias in node.names:
                if private_module or alias.name.startswith("_"):
                    found.append(f"{node.module}.{alias.name}")
    return found


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(path, id=str(path.relative_to(PACKAGE)))
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != COMPAT
    ],
)
def test_private_sklearn_names_are_imported_only_through_the_compat_module(path):
    assert _private_sklearn_imports(path) == []


def test_the_compat_module_finds_what_it_guards():
    # The parser above sees private imports (guard against a vacuous pass).
    assert "sklearn.base._fit_context" in _private_sklearn_imports(COMPAT)
    assert _sklearn_compat._fit_context is sklearn.base._fit_context
    assert _sklearn_compat._num_samples is sklearn.utils.validation._num_samples


def test_a_moved_private_module_fails_with_the_versions_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn.model_selection._split", None)
    with pytest.raises(ImportError) as error:
        _fresh_compat()
    message = str(error.value)
    assert "sklearn.model_selection._split._BaseKFold" in message
    assert f"scikit-learn {sklearn.__version__} does not provide" in message
    assert _sklearn_compat._required_scikit_learn() in message
    assert _sklearn_compat._required_scikit_learn().startswith("scikit-learn>=")


class _Estimator(BaseEstimator):
    _parameter_constraints = {
        "alpha": [_sklearn_compat.Interval(Real, 0, None, closed="left")]
    }

    def __init__(self, alpha=1.0):
        self.alpha = alpha


def test_the_fit_context_fallback_validates_the_parameters(monkeypatch):
    monkeypatch.delattr(sklearn.base, "_fit_context")
    compat = _fresh_compat()
    assert compat._fit_context is not _sklearn_compat._fit_context

    class Estimator(_Estimator):
        @compat._fit_context(prefer_skip_nested_validation=True)
        def fit(self, X=None, y=None):
            self.fitted_ = True
            return self

    assert Estimator().fit().fitted_
    with pytest.raises(_sklearn_compat.InvalidParameterError, match="alpha"):
        Estimator(alpha=-1).fit()
    with sklearn.config_context(skip_parameter_validation=True):
        assert Estimator(alpha=-1).fit().fitted_


def test_the_num_samples_fallback_counts_rows(monkeypatch):
    monkeypatch.delattr(sklearn.utils.validation, "_num_samples")
    compat = _fresh_compat()
    assert compat._num_samples is not _sklearn_compat._num_samples
    assert compat._num_samples(np.zeros((3, 2))) == 3
    assert compat._num_samples([[1], [2]]) == 2
    with pytest.raises(TypeError, match="array-like"):
        compat._num_samples(5)
