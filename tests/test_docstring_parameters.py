"""Every public docstring lists exactly its signature's parameters, in order.

Modelled on scikit-learn's ``sklearn/tests/test_docstring_parameters.py``:
each public function, each public class (its ``__init__`` against the class
docstring) and each public method the package defines is parsed with
:mod:`numpydoc.docscrape`, and its Parameters section is compared with the
signature. Public functions and classes must also show an Examples section.
Methods a class inherits from scikit-learn or skorch are theirs to document.
"""

from __future__ import annotations

import builtins
import doctest
import inspect
import symtable
import warnings

import pytest
from skorch.callbacks import Callback

import sk_metricembed
from sk_metricembed import (
    callbacks,
    cli,
    constraints,
    datasets,
    hog,
    losses,
    metrics,
    plotting,
    torch_features,
)

docscrape = pytest.importorskip("numpydoc.docscrape")

PACKAGE = "sk_metricembed"


def _public_functions_and_classes(module) -> list[str]:
    """Names of the public functions and classes ``module`` itself defines.

    A sub-package defines them in its private modules (``metrics._scorer``).
    """
    return sorted(
        name
        for name, obj in vars(module).items()
        if not name.startswith("_")
        and (inspect.isfunction(obj) or inspect.isclass(obj))
        and (
            obj.__module__ == module.__name__
            or obj.__module__.startswith(f"{module.__name__}.")
        )
    )


def _public_objects() -> dict[str, object]:
    """Qualified name -> object, for everything whose docstring is checked."""
    found = {}
    named = [(sk_metricembed, sk_metricembed.__all__)]
    named += [(module, module.__all__) for module in (losses, datasets)]
    named += [
        (module, _public_functions_and_classes(module))
        for module in (metrics, constraints, plotting, callbacks, hog, torch_features)
    ]
    named += [(cli, ["main"])]
    for module, names in named:
        for name in names:
            obj = getattr(module, name)
            if inspect.isfunction(obj) or inspect.isclass(obj):
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return found


PUBLIC = _public_objects()
CLASSES = {name: obj for name, obj in PUBLIC.items() if inspect.isclass(obj)}
FUNCTIONS = {name: obj for name, obj in PUBLIC.items() if inspect.isfunction(obj)}


def _own_methods(cls) -> dict[str, object]:
    """Public methods of ``cls`` defined in this package, not inherited hooks."""
    methods = {}
    for name, member in inspect.getmembers(cls):
        if name.startswith("_") or not inspect.isfunction(member):
            continue
        if not member.__module__.startswith(PACKAGE):
            continue  # scikit-learn's or skorch's own, documented there
        if issubclass(cls, Callback) and hasattr(Callback, name):
            continue  # skorch's callback hooks, documented by skorch.Callback
        methods[f"{cls.__module__}.{cls.__qualname__}.{name}"] = member
    return methods


METHODS = {
    name: method
    for cls in CLASSES.values()
    for name, method in _own_methods(cls).items()
}

# Docstrings in modules this test's change did not own; each entry says what
# is wrong, and the case fails the day it is fixed (strict xfail).
KNOWN_FAILURES: dict[str, str] = {}


def _param(name: str, obj):
    marks = []
    if name in KNOWN_FAILURES:
        marks = [pytest.mark.xfail(strict=True, reason=KNOWN_FAILURES[name])]
    return pytest.param(name, obj, id=name, marks=marks)


def _parse(obj, doc_class):
    with warnings.catch_warnings():
        # numpydoc warns of a malformed section: that is a failure here.
        warnings.simplefilter("error", UserWarning)
        return doc_class(obj)


def _signature_names(function) -> tuple[list[str], set[str]]:
    """Named parameters in order (``self`` left out), and the ``*``/``**`` ones."""
    named, variadic = [], set()
    for parameter in inspect.signature(function).parameters.values():
        if parameter.kind is parameter.VAR_POSITIONAL:
            variadic.add(f"*{parameter.name}")
        elif parameter.kind is parameter.VAR_KEYWORD:
            variadic.add(f"**{parameter.name}")
        else:
            named.append(parameter.name)
    if named[:1] == ["self"]:
        named = named[1:]
    return named, variadic


def _check_parameters(function, doc) -> None:
    named, variadic = _signature_names(function)
    # numpydoc lets parameters of one type and meaning share an entry: "x1, x2".
    documented = [
        name.strip("` ")
        for entry, _, _ in doc["Parameters"]
        for name in entry.split(",")
    ]
    starred = [name for name in documented if name.startswith("*")]
    assert set(starred) <= variadic, (
        f"documents {starred} but the signature's variadic parameters are "
        f"{sorted(variadic) or 'none'}"
    )
    documented = [name for name in documented if not name.startswith("*")]
    assert documented == named, (
        f"Parameters section lists {documented}, the signature has {named}"
    )
    for name, type_spec, _ in doc["Parameters"]:
        # numpydoc writes ``**kwargs`` without a type; named parameters have one.
        assert type_spec.strip() or name.startswith("*"), f"{name!r} has no type"


def test_the_collection_sees_the_public_api():
    exported = {
        name
        for name in sk_metricembed.__all__
        if inspect.isfunction(obj := getattr(sk_metricembed, name))
        or inspect.isclass(obj)
    }
    assert exported <= {obj.__name__ for obj in PUBLIC.values()}
    assert "sk_metricembed.cli.main" in PUBLIC
    assert "sk_metricembed.constraints._checking.check_pairs" in PUBLIC
    assert "sk_metricembed.hog.HOGTransformer.transform" in METHODS
    assert "sk_metricembed._estimators.TripletVAEEmbedder.fit" in METHODS
    assert not any(name.endswith(".fit_transform") for name in METHODS)


_DOC = """Summary.

Parameters
----------
a, b : int
    Two numbers.
d : int, default=None
    A third.
"""
_KWARGS_DOC = """**kwargs
    Anything else.
"""
_MISMATCH = "Parameters section lists"


@pytest.mark.parametrize(
    "signature, doc, error",
    [
        ("a, b, d=None", _DOC, None),
        ("a, b, *, d=None, **kwargs", _DOC, None),
        ("a, b, *, d=None, **kwargs", _DOC + _KWARGS_DOC, None),
        ("a, b, d=None", _DOC + _KWARGS_DOC, "variadic parameters are none"),
        ("b, a, d=None", _DOC, _MISMATCH),
        ("a, b, c=None", _DOC, _MISMATCH),
        ("a, b", _DOC, _MISMATCH),
        ("a, b, d=None, e=None", _DOC, _MISMATCH),
    ],
    ids=[
        "agrees",
        "undocumented_kwargs",
        "documented_kwargs",
        "kwargs_not_in_signature",
        "order",
        "name",
        "one_too_many",
        "one_missing",
    ],
)
def test_the_check_catches_a_mismatch(signature, doc, error):
    namespace: dict = {}
    exec(f"def function({signature}): pass", namespace)
    function = namespace["function"]
    function.__doc__ = doc
    parsed = docscrape.FunctionDoc(function)
    if error is None:
        _check_parameters(function, parsed)
    else:
        with pytest.raises(AssertionError, match=error):
            _check_parameters(function, parsed)


@pytest.mark.parametrize(
    "name, function", [_param(name, obj) for name, obj in FUNCTIONS.items()]
)
def test_function_docstring_parameters(name, function):
    doc = _parse(function, docscrape.FunctionDoc)
    _check_parameters(function, doc)
    assert doc["Examples"], f"{name} has no Examples section"


@pytest.mark.parametrize(
    "name, cls", [_param(name, obj) for name, obj in CLASSES.items()]
)
def test_class_docstring_parameters(name, cls):
    doc = _parse(cls, docscrape.ClassDoc)
    _check_parameters(cls.__init__, doc)
    assert doc["Examples"], f"{name} has no Examples section"


@pytest.mark.parametrize(
    "name, method", [_param(name, obj) for name, obj in METHODS.items()]
)
def test_method_docstring_parameters(name, method):
    doc = _parse(method, docscrape.FunctionDoc)
    _check_parameters(method, doc)


@pytest.mark.parametrize(
    "scorer", [metrics.triplet_accuracy_scorer, metrics.knn_accuracy_scorer]
)
def test_scorer_instances_have_examples(scorer):
    doc = docscrape.NumpyDocString(scorer.__doc__)
    assert doc["Examples"]


# --- examples run as a user copies them ----------------------------------------------


def _unbound_names(source: str) -> list[str]:
    """Names an example reads but never imports or assigns (nor builtins)."""
    top = symtable.symtable(source, "<example>", "exec")
    bound = {
        symbol.get_name()
        for symbol in top.get_symbols()
        if symbol.is_assigned() or symbol.is_imported() or symbol.is_namespace()
    }
    read = set()

    def walk(table):
        for symbol in table.get_symbols():
            if symbol.is_referenced() and (table is top or symbol.is_global()):
                read.add(symbol.get_name())
        for child in table.get_children():
            walk(child)

    walk(top)
    return sorted(name for name in read - bound if not hasattr(builtins, name))


def _examples():
    finder = doctest.DocTestFinder()
    for qualified, obj in PUBLIC.items():
        for test in finder.find(obj, qualified, globs={}):
            if test.examples:
                yield pytest.param(test, id=test.name)


@pytest.mark.parametrize("test", _examples())
def test_examples_import_what_they_use(test):
    # pytest's --doctest-modules runs each example in its module's namespace,
    # where the documented name is already defined; a user copies the
    # example into a fresh session, where it is not.
    source = "".join(example.source for example in test.examples)
    assert _unbound_names(source) == [], test.name
