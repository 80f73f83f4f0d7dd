"""The embedders' docstring sections, written from the parameter table.

:mod:`._parameters` declares each parameter once; this module turns that
declaration into the numpydoc "Parameters" and "Attributes" sections that
``BaseMetricEmbedder.__init_subclass__`` puts into each embedder's
docstring, so that a default or a valid value shows in the documentation
exactly as it is in the code.
"""

from __future__ import annotations

import re
import textwrap

from ._parameters import PARAMETERS


def parameters_doc(defaults: dict, **words) -> str:
    """The numpydoc Parameters entries; ``words`` fill the placeholders."""
    entries = []
    for p in PARAMETERS:
        default = defaults.get(p.name, p.default)
        kind = _fill(p.kind, words)
        default_text = f'"{default}"' if isinstance(default, str) else repr(default)
        description = _indent(_fill(p.doc, words))
        entries.append(f"    {p.name} : {kind}, default={default_text}\n{description}")
    return "\n".join(entries)


ATTRIBUTES_DOC = """    net_ : skorch.NeuralNet
        The trained skorch net; ``net_.module_`` is the torch autoencoder.
    history_ : skorch.History
        Per-epoch losses: ``train_loss`` and its parts ({parts}), each
        recorded in the epochs that trained it.
    classes_ : ndarray
        Labels seen in ``y`` (-1 excluded).
    embedding_labeled_ : ndarray of shape (n_labeled, latent_dim)
        Embedding of the labelled rows of the last fit (``y >= 0``), in row
        order, taken when the fit ends. The scorers and :meth:`score`
        compare held-out rows with it; empty when the fit saw no label.
    labels_labeled_ : ndarray of shape (n_labeled,)
        Labels of those rows; empty when the fit saw no label.
    n_features_in_ : int
        Number of input features.
    feature_names_in_ : ndarray of str
        Input column names, when ``X`` was a DataFrame with string columns."""


def fill_docstring(docstring: str, **sections: str) -> str:
    """Put each section's text where the docstring has its placeholder line.

    A placeholder is a line holding only ``{name}``; the section's lines are
    indented as that line is (Python 3.13 strips a docstring's common
    indentation when it compiles it, older versions keep it).
    """
    for name, text in sections.items():
        placeholder = re.search(r"^([ \t]*)\{" + name + r"\}[ \t]*$", docstring, re.M)
        if placeholder is None:
            raise ValueError(f"the docstring has no {{{name}}} line to fill.")
        indent = placeholder.group(1)
        lines = textwrap.dedent(text).splitlines()
        filled = "\n".join(indent + line if line else line for line in lines)
        docstring = (
            docstring[: placeholder.start()] + filled + docstring[placeholder.end() :]
        )
    return docstring


def _fill(text: str, words: dict) -> str:
    # Not str.format: the option sets' own braces must stay.
    for key, value in words.items():
        text = text.replace("{" + key + "}", value)
    return text


def _indent(text: str, width: int = 72) -> str:
    return textwrap.fill(
        text,
        width=width,
        initial_indent=" " * 8,
        subsequent_indent=" " * 8,
        break_on_hyphens=False,
        break_long_words=False,
    )
