"""The graph and drawing layers read bottom-up: no import cycle among their modules (imports
inside functions included), the data model imports no other graph module, the graph layer
never imports the drawing layer, first-party imports sit at the top of each module, and the
graph behind every public helper is built in one place."""

from __future__ import annotations

import ast
from pathlib import Path

import autograd_lessons

PACKAGE = Path(autograd_lessons.__file__).parent
NAME = autograd_lessons.__name__
DATA = f"{NAME}.graph_data"
GRAPH_LAYER = {f"{NAME}.{name}" for name in ("callers", "graph_data", "graph", "modules", "folding", "steps")}
DRAWING = f"{NAME}.drawing"
# matplotlib is imported where a picture is made, so that importing the drawing layer (and the
# package) does not load it; IPython only where describe_figures() looks for the running
# session (it is absent outside Jupyter, and slow to import): the only imports allowed inside
# functions of these modules.
LATE_IMPORTS = {"matplotlib", "IPython"}


def our_modules() -> dict[str, Path]:
    """The graph layer's modules and every module of the drawing package, by dotted name."""
    found = {name: PACKAGE / (name.split(".")[-1] + ".py") for name in GRAPH_LAYER}
    for path in sorted((PACKAGE / "drawing").glob("*.py")):
        found[DRAWING if path.stem == "__init__" else f"{DRAWING}.{path.stem}"] = path
    return found


def imports(tree: ast.AST) -> list[tuple[str, bool]]:
    """(module imported, at the module's top level?) for every import in `tree`, at any depth.
    `from package import name` counts as importing package.name when that is a module."""
    top = {id(node) for node in getattr(tree, "body", [])}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, id(node) in top) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.append((candidate if is_module(candidate) else node.module, id(node) in top))
    return found


def is_module(name: str) -> bool:
    if not name.startswith(NAME + "."):
        return False
    path = PACKAGE.joinpath(*name.split(".")[1:])
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    graph = {}
    for name, path in modules.items():
        targets = {target for target, _ in imports(ast.parse(path.read_text(encoding="utf-8")))}
        graph[name] = {target for target in targets if target in modules and target != name}
    return graph


def cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of `graph` (its modules in order, the first repeated at the end), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for root in sorted(graph):
        if state.get(root):
            continue
        path, stack = [root], [iter(sorted(graph[root]))]
        state[root] = 1
        while stack:
            child = next(stack[-1], None)
            if child is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(child) == 1:
                return path[path.index(child) :] + [child]
            elif not state.get(child):
                state[child] = 1
                path.append(child)
                stack.append(iter(sorted(graph[child])))
    return None


def test_no_import_cycle_in_the_graph_and_drawing_layers():
    assert cycle(import_graph(our_modules())) is None


def test_the_data_model_imports_no_other_graph_module_and_the_graph_layer_no_drawing():
    graph = import_graph(our_modules())
    assert not graph[DATA] & GRAPH_LAYER
    upward = {f"{m} -> {t}" for m in GRAPH_LAYER for t in graph[m] if t.startswith(DRAWING)}
    assert not upward


def test_imports_sit_at_the_top_except_matplotlib():
    late = []
    for name, path in our_modules().items():
        for target, at_top in imports(ast.parse(path.read_text(encoding="utf-8"))):
            if not at_top and target.split(".")[0] not in LATE_IMPORTS:
                late.append(f"{name}: {target}")
    assert not late, late


def calls_of(function: str) -> set[str]:
    """The modules of the package (outside drawing) and of the drawing package whose code calls
    `function(...)`."""
    callers = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
                if called == function:
                    callers.add(str(path.relative_to(PACKAGE)))
    return callers


def test_the_graph_of_every_public_helper_is_built_in_one_place():
    """trace, draw, backward_steps and backward_stepper all go through graph.traced: only it
    looks up the learner's names and walks the learner's tensors. The one other reader of the
    learner's names is engine_graph, which walks a hand-written engine's values, not tensors."""
    assert calls_of("caller_tensor_names") == {"graph.py", "engine_graph.py"}
    assert calls_of("walk") == {"graph.py"}
    assert calls_of("traced") == {"graph.py", "steps.py", "drawing/pipeline.py"}


def test_the_checks_bite():
    late_and_cyclic = "import os\n\ndef f():\n    from autograd_lessons import graph\n"
    assert imports(ast.parse(late_and_cyclic)) == [("os", True), (f"{NAME}.graph", False)]
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": set()}) is None
    graph = import_graph(our_modules())
    graph[DATA] = graph[DATA] | {f"{NAME}.folding"}  # what Graph.fold importing folding was
    assert cycle(graph) is not None
