"""The documentation: a warning-free Sphinx build, a complete API page, examples."""

import ast
import os
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

import sk_metricembed

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
EXAMPLES = sorted((ROOT / "examples").glob("plot_*.py"))


def _sphinx(out: Path, *options: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q"]
    command += ["-b", "html", "-d", str(out / "doctrees"), *options]
    command += [str(DOCS), str(out / "html")]
    env = {**os.environ, "MPLBACKEND": "Agg"}
    return subprocess.run(command, capture_output=True, text=True, env=env)


def test_sphinx_build_has_no_warnings_with_the_gallery_not_run(tmp_path):
    result = _sphinx(tmp_path, "-D", "plot_gallery=0")
    assert result.returncode == 0, result.stderr
    html = tmp_path / "html"
    for page in ["index", "getting_started", "user_guide", "cli", "api"]:
        assert (html / f"{page}.html").exists(), page
    for page in ["few_labels", "scaling", "glossary", "architecture"]:
        assert (html / f"{page}.html").exists(), page
    for name in sk_metricembed.__all__:
        assert (html / "generated" / f"sk_metricembed.{name}.html").exists(), name
    for example in EXAMPLES:
        assert (html / "auto_examples" / f"{example.stem}.html").exists()
    cli_page = (html / "cli.html").read_text()
    assert "--label-fraction" in cli_page  # the --help text is included


def test_api_page_lists_the_whole_public_api():
    listed = set(re.findall(r"^   (\w+)$", (DOCS / "api.rst").read_text(), re.M))
    assert set(sk_metricembed.__all__) <= listed


def test_toctree_holds_every_page():
    index = (DOCS / "index.md").read_text()
    pages = {path.stem for path in DOCS.glob("*.md")} | {"api", "glossary"}
    for page in pages - {"index"}:
        assert re.search(rf"^{page}$", index, re.M), page
    assert "auto_examples/index" in index


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.name)
def test_examples_are_gallery_scripts(example):
    source = example.read_text()
    docstring = ast.get_docstring(ast.parse(source))
    title, underline = docstring.splitlines()[:2]
    assert set(underline) == {"="} and len(underline) >= len(title), example.name
    assert "plt.savefig" not in source  # the gallery collects figures itself


def test_mnist_example_skips_without_the_data(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SK_METRICEMBED_MNIST", str(tmp_path / "absent"))
    runpy.run_path(str(ROOT / "examples" / "plot_mnist.py"), run_name="__main__")
    assert "example skipped" in capsys.readouterr().out


@pytest.mark.slow
def test_sphinx_build_with_the_gallery_run(tmp_path):
    result = _sphinx(tmp_path)
    assert result.returncode == 0, result.stderr
    images = tmp_path / "html" / "_images"
    for example in EXAMPLES:
        mnist = ROOT.parent / "shared" / "data" / "mnist10k"
        if example.stem == "plot_mnist" and not mnist.is_dir():
            continue
        assert list(images.glob(f"sphx_glr_{example.stem}_*.png")), example.name
