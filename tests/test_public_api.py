"""The public API: everything in __all__ is importable and documented, and
each docstring example runs as a user would copy it."""

import builtins
import doctest
import importlib
import symtable

import pytest

import sk_metricembed

#: The package and its public subpackages, each with an ``__all__``.
PUBLIC_MODULES = (
    "sk_metricembed",
    "sk_metricembed.constraints",
    "sk_metricembed.datasets",
    "sk_metricembed.metrics",
    "sk_metricembed.model_selection",
    "sk_metricembed.plotting",
)


def test_all_names_exist_and_have_docstrings_with_examples():
    for name in sk_metricembed.__all__:
        obj = getattr(sk_metricembed, name)
        doc = obj.__doc__ or ""
        assert "Examples" in doc or "Example" in doc, name


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


def _public_doctests():
    finder = doctest.DocTestFinder()
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            for test in finder.find(getattr(module, name), name, globs={}):
                if test.examples:
                    yield pytest.param(test, id=f"{module_name}.{test.name}")


@pytest.mark.parametrize("test", _public_doctests())
def test_examples_import_what_they_use(test):
    # pytest's --doctest-modules runs each example in its module's namespace,
    # where the documented name is already defined; a user copies the
    # example into a fresh session, where it is not.
    source = "".join(example.source for example in test.examples)
    assert _unbound_names(source) == [], test.name
