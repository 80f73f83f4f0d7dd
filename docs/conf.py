"""Sphinx configuration of the sk-metricembed documentation.

Build: ``sphinx-build -W -b html docs docs/_build/html``. The examples
gallery runs every ``examples/plot_*.py``; ``-D plot_gallery=0`` builds the
gallery pages without running them (what the test suite does).
"""

import os
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS.parent))

import sk_metricembed  # noqa: E402
from sk_metricembed._cli.arguments import build_parser  # noqa: E402

project = "sk-metricembed"
author = "sk-metricembed developers"
copyright = "sk-metricembed developers"
release = version = sk_metricembed.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.extlinks",
    "sphinx.ext.mathjax",
    "numpydoc",
    "myst_parser",
    "sphinx_gallery.gen_gallery",
]
# Roles the docstrings use, resolved without network access (no intersphinx).
extlinks = {"doi": ("https://doi.org/%s", "doi:%s")}
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "**.ipynb_checkpoints", "auto_examples/*.md5"]
myst_heading_anchors = 3

# The API reference: one page per public name, from sk_metricembed.__all__.
autosummary_generate = True
autodoc_default_options = {"members": False, "inherited-members": False}
autodoc_typehints = "none"  # numpydoc's Parameters sections say the types
# Method tables would repeat scikit-learn's inherited API on every page.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_show_inherited_class_members = False

sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": "/plot_",
    "download_all_examples": False,
    "remove_config_comments": True,
    "matplotlib_animations": False,
}

html_theme = "alabaster"
html_title = f"sk-metricembed {version}"
html_theme_options = {"description": "Weakly supervised deep metric learning"}


def _write_cli_help() -> None:
    """The command line's --help, included verbatim by cli.md (never stale)."""
    generated = DOCS / "_generated"
    generated.mkdir(exist_ok=True)
    parser, run = build_parser()
    columns = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "80"  # argparse wraps to the terminal's width
    try:
        text = parser.format_help() + "\n" + run.format_help()
    finally:
        if columns is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = columns
    target = generated / "cli_help.txt"
    if not target.exists() or target.read_text() != text:
        target.write_text(text)


_write_cli_help()
