"""Every private scikit-learn name the package uses, imported in one place.

The estimators follow scikit-learn's own conventions, which rest on a few
names scikit-learn keeps private (declarative parameter validation, the fit
context, the k-fold base class). A scikit-learn release may move them
without notice, so they are imported here, under their own names, and
nowhere else, as imbalanced-learn does: where a public equivalent is easy
to write it is the fallback, otherwise the import fails with a message that
names the scikit-learn this package needs, not with a bare ``ImportError``
deep inside it. ``tests/test_sklearn_compat.py`` checks both paths; ``.ci/min_versions``
runs the tests at the lowest scikit-learn that ``pyproject.toml`` declares.
"""

from __future__ import annotations

import functools
import numbers
from importlib.metadata import PackageNotFoundError, requires

import sklearn
from sklearn import get_config

__all__ = [
    "HasMethods",
    "Interval",
    "InvalidParameterError",
    "StrOptions",
    "validate_params",
    "validate_parameter_constraints",
    "_fit_context",
    "_check_feature_names_in",
    "_BaseKFold",
    "_num_samples",
]


def _required_scikit_learn() -> str:
    """The scikit-learn requirement of the installed package, as declared."""
    try:
        declared = requires("sk-metricembed") or []
    except PackageNotFoundError:  # run from a checkout that was never installed
        declared = []
    for requirement in declared:
        if requirement.replace(" ", "").startswith("scikit-learn"):
            return requirement.replace(" ", "")
    return "the scikit-learn that pyproject.toml declares"


def _missing(where: str) -> ImportError:
    return ImportError(
        f"sk-metricembed uses {where}, which scikit-learn {sklearn.__version__} "
        f"does not provide. sk-metricembed needs {_required_scikit_learn()}; a "
        "scikit-learn released after this sk-metricembed may have moved it: "
        "upgrade sk-metricembed, or install the scikit-learn release it was "
        "tested with."
    )


try:
    from sklearn.utils._param_validation import (
        HasMethods,
        Interval,
        InvalidParameterError,
        StrOptions,
        validate_parameter_constraints,
        validate_params,
    )
except ImportError as error:
    raise _missing("sklearn.utils._param_validation") from error

try:
    from sklearn.model_selection._split import _BaseKFold
except ImportError as error:
    raise _missing("sklearn.model_selection._split._BaseKFold") from error

try:
    from sklearn.utils.validation import _check_feature_names_in
except ImportError as error:
    raise _missing("sklearn.utils.validation._check_feature_names_in") from error

try:
    from sklearn.base import _fit_context
except ImportError:

    def _fit_context(*, prefer_skip_nested_validation: bool):
        """Validate the estimator's parameters before ``fit`` runs.

        What ``sklearn.base._fit_context`` does, less the skipping of nested
        validation (an optimisation only).
        """

        def decorator(fit_method):
            @functools.wraps(fit_method)
            def wrapper(estimator, *args, **kwargs):
                if not get_config().get("skip_parameter_validation", False):
                    validate_parameter_constraints(
                        estimator._parameter_constraints,
                        estimator.get_params(deep=False),
                        caller_name=type(estimator).__name__,
                    )
                return fit_method(estimator, *args, **kwargs)

            return wrapper

        return decorator


try:
    from sklearn.utils.validation import _num_samples
except ImportError:

    def _num_samples(x) -> int:
        """The number of rows of an array-like (``len`` where it has no shape)."""
        shape = getattr(x, "shape", None)
        if shape is not None and len(shape) and isinstance(shape[0], numbers.Integral):
            return int(shape[0])
        try:
            return len(x)
        except TypeError:
            raise TypeError(
                f"Expected sequence or array-like, got {type(x)}."
            ) from None
