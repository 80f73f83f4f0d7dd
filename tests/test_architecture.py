"""The package's layout rules (docs/architecture.md), read from its imports.

Each module's imports of other package modules (at any depth, lazy ones
included) form a graph; these tests keep it a stack of floors that data and
calls cross in one direction.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "sk_metricembed"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in PACKAGE.rglob("*.py")}


def _imports(name: str) -> set[str]:
    """Package modules that ``name`` imports."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            # ``from . import losses`` imports the module, not the package.
            candidates = [
                f"{target}.{alias.name}"
                if f"{target}.{alias.name}" in MODULES
                else target
                for alias in node.names
            ]
        elif isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        else:
            continue
        found.update(c for c in candidates if c in MODULES and c != name)
    return found | _lazy_exports(name)


def _lazy_exports(name: str) -> set[str]:
    """The modules a package ``__init__`` imports on first use (PEP 562): those
    of its ``_EXPORTS`` table and its ``_SUBMODULES``. Imports too."""
    path = MODULES[name]
    if path.name != "__init__.py":
        return set()
    found = set()
    for node in ast.parse(path.read_text()).body:
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id in {"_EXPORTS", "_SUBMODULES"}
        ):
            found |= {f"{name}.{module}" for module in ast.literal_eval(node.value)}
    return found


GRAPH = {name: _imports(name) for name in MODULES}
TOP = "sk_metricembed"


def test_the_graph_sees_the_training_imports():
    # A guard against a parser that finds nothing: known arrows exist.
    assert "sk_metricembed._training.assemble" in GRAPH["sk_metricembed._base"]
    assert "sk_metricembed._training.mlp" in GRAPH["sk_metricembed._training.conv"]
    # The package's lazy re-exports count as imports.
    assert "sk_metricembed._estimators" in GRAPH[TOP]


def test_no_import_cycle():
    state: dict[str, str] = {}

    def visit(name, path):
        state[name] = "open"
        for target in GRAPH[name]:
            if target == TOP:
                continue
            if state.get(target) == "open":
                pytest.fail("import cycle: " + " -> ".join([*path, target]))
            if target not in state:
                visit(target, [*path, target])
        state[name] = "done"

    for name in GRAPH:
        if name not in state:
            visit(name, [name])


@pytest.mark.parametrize(
    "name", sorted(n for n in MODULES if n.startswith(f"{TOP}._training"))
)
def test_training_machinery_imports_only_itself_and_the_losses(name):
    allowed = {f"{TOP}.losses"}
    outside = {
        target
        for target in GRAPH[name]
        if not target.startswith(f"{TOP}._training") and target not in allowed
    }
    assert not outside, f"{name} reaches out of _training to {sorted(outside)}"


ESTIMATOR_MODULES = {f"{TOP}._base", f"{TOP}._estimators"}


@pytest.mark.parametrize(
    "name",
    sorted(
        n
        for n in MODULES
        if n not in ESTIMATOR_MODULES | {TOP, f"{TOP}.cli", f"{TOP}.__main__"}
        and not n.startswith(f"{TOP}._cli")
    ),
)
def test_only_the_top_and_the_command_line_import_the_estimators(name):
    # Features, scores, plots and the training machinery stay usable (and
    # testable) without the embedders; the embedders sit on top of them.
    assert not GRAPH[name] & ESTIMATOR_MODULES, name


#: The layers of docs/architecture.md, bottom first; a module imports only
#: from its own layer or the ones below. ``losses`` is the training layer's
#: maths, published.
LAYERS = [
    {"_validation", "_labels", "_sklearn_compat"},
    {"_training", "losses"},
    {
        "constraints",
        "metrics",
        "model_selection",
        "plotting",
        "callbacks",
        "hog",
        "_hog_batched",
        "torch_features",
        "datasets",
        "_dask",
    },
    {
        "_defaults",
        "_parameters",
        "_warm_fit",
        "_routing",
        "_docstrings",
        "_supervision",
        "_view_trust",
        "_label_trust",
        "_input_space",
        "_base",
        "_latent_distance",
        "_estimators",
    },
    {"cli", "_cli", "__main__"},
]


def _layer(name: str) -> int:
    short = name.removeprefix(f"{TOP}.")
    room = short.split(".")[0]
    for index, layer in enumerate(LAYERS):
        if room in layer:
            return index
    raise AssertionError(f"{name} is in no layer of docs/architecture.md")


def test_every_module_sits_in_a_layer_and_imports_downwards():
    arrows_up = [
        (name, target)
        for name in GRAPH
        if name != TOP
        for target in GRAPH[name]
        if target != TOP and _layer(target) > _layer(name)
    ]
    assert not arrows_up, f"imports that point up a layer: {arrows_up}"


def test_the_package_init_only_re_exports():
    # Statements, imports and assignments, and PEP 562's two hooks that
    # import a public name's module on first use.
    tree = ast.parse(MODULES[TOP].read_text())
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            assert node.name in {"__getattr__", "__dir__"}, node.name
        else:
            assert isinstance(node, (ast.Expr, ast.ImportFrom, ast.Assign)), ast.dump(
                node
            )
