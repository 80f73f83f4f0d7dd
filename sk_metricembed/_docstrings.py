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
from ._training.pseudo_labels import MAX_PROPAGATION_ROWS
from ._warm_fit import WARM_FIT_PARAMETERS


def parameters_doc(defaults: dict, **words) -> str:
    """The numpydoc Parameters entries; ``words`` fill the placeholders."""
    warm = ", ".join(f"``{name}``" for name in sorted(WARM_FIT_PARAMETERS))
    words = {**words, "warm_parameters": warm}
    entries = []
    for p in PARAMETERS:
        default = defaults.get(p.name, p.default)
        kind = _fill(p.kind, words)
        default_text = f'"{default}"' if isinstance(default, str) else repr(default)
        description = _indent(_fill(p.doc, words))
        entries.append(f"    {p.name} : {kind}, default={default_text}\n{description}")
    return "\n".join(entries)


ATTRIBUTES_DOC = f"""    net_ : skorch.NeuralNet
        The trained skorch net; ``net_.module_`` is the torch autoencoder.
    history_ : skorch.History
        Per-epoch losses: ``train_loss`` and its parts ({{parts}}), each
        recorded in the epochs that trained it.
    n_iter_ : int
        The epochs (passes over the rows) trained, in all fits of a warm
        start (``len(history_)``), as scikit-learn's ``MLPClassifier``
        counts them; with early stopping, those run before it stopped.
    classes_ : ndarray of shape (n_classes,)
        The classes of ``y``, the user's labels as :func:`numpy.unique`
        sorts them, unlabelled rows' marks excluded; in ``y``'s dtype (an
        object array of numbers, such as a pandas nullable integer column,
        gives a numeric one). A warm fit keeps the first fit's.
    embedding_labeled_ : ndarray of shape (n_labeled, latent_dim)
        Embedding of the labelled rows of the last fit, in row order, taken
        when the fit ends. The scorers and :meth:`score` compare held-out
        rows with it; empty when the fit saw no label.
    labels_labeled_ : ndarray of shape (n_labeled,)
        Labels of those rows, from ``classes_``; empty when the fit saw no
        label.
    transduction_ : ndarray of shape (n_samples,)
        A label from ``classes_`` for every row of the last fit, as
        :class:`~sklearn.semi_supervised.LabelSpreading` gives it: labelled
        rows keep their own, the others take the class that label spreading
        over a ``n_neighbors``-NN graph of the fitted embedding gives them
        (the spreading of the pseudo-labels). Set only when the fit's
        labelled rows hold at least two classes: with fewer, or with pairs
        or triplets only (which say which rows are alike, not their class),
        there is nothing to spread and the attribute is absent. Label new
        rows with a :class:`~sklearn.neighbors.KNeighborsClassifier` on the
        embedding (see the user guide).
    label_distributions_ : ndarray of shape (n_samples, n_classes), float32
        Each row's distribution over ``classes_``, summing to 1: one-hot for
        a labelled row, the spreading's for the others (a row the spreading
        does not reach takes its nearest labelled row's class);
        ``transduction_`` is its argmax. Set when ``transduction_`` is.
        Above {MAX_PROPAGATION_ROWS:,} unlabelled rows the spreading runs on a
        sample of that many, and the others average the distributions of
        their nearest sampled rows.
    input_metric_ : str
        The metric of the last fit's input-space neighbour search:
        ``input_metric`` with ``"auto"`` resolved for the fit's ``X``.
    mixed_precision_ : str
        How the last fit's training passes computed: ``mixed_precision``
        with ``"auto"`` resolved for its device (``"no"`` or ``"bf16"``).
    lr_schedule_ : str
        The learning rate's schedule over the last fit's steps:
        ``lr_schedule`` with ``"auto"`` resolved for its input mode
        (``"constant"`` or ``"one-cycle"``).
    input_components_ : int or None
        The dimension of the space the last fit searched its input graph
        in: ``input_components`` with ``"auto"`` resolved for the fit's
        labels (the features' number where it searched them unprojected);
        None where the fit needed no input graph.
    neighbor_smoothing_ : float
        The share of each code that ``transform`` takes from the row's
        input-space training neighbours: ``neighbor_smoothing`` with
        ``"auto"`` resolved for the last fit (0: the encoder's codes).
    weight_ : float
        The blend of the metric terms and the reconstruction the net trains
        with: ``weight``, with ``"auto"`` resolved for the first fit's labels
        and input graph (a warm start keeps it).
    neighbor_weight_ : float
        The weight of the neighbour term the net trains with:
        ``neighbor_weight``, with ``"auto"`` resolved for the first fit's
        labels and input graph (0 where the fit has no neighbour term; a
        warm start keeps it).
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
