"""The public API: everything in __all__ is importable and documented."""

import sk_metricembed


def test_all_names_exist_and_have_docstrings_with_examples():
    for name in sk_metricembed.__all__:
        obj = getattr(sk_metricembed, name)
        doc = obj.__doc__ or ""
        assert "Examples" in doc or "Example" in doc, name
