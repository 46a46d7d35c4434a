"""The package's shape: layers that read bottom-up, no import cycles, public names between modules,
lessons found through the course and never imported by name, and parts a reader can hold."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

import autograd_lessons
from autograd_lessons import course

PACKAGE = Path(autograd_lessons.__file__).parent
NAME = autograd_lessons.__name__

# The layers, bottom-up: a module may import modules of its own layer or of a layer below, never
# above. Lessons sit on top and the framework below never imports them. A module not listed here
# makes the tests below fail until it is given its place.
LAYERS = (
    ("text", ("numbers", "palette", "i18n", "messages", "render", "sources", "quirks")),
    ("graph", ("callers", "graph_data", "graph", "engine_graph", "modules", "folding", "steps")),
    ("judging", ("results", "verdicts", "course", "claims", "guard", "exercises")),
    ("drawing", ("drawing", "draw")),
    ("widgets", ("widgets",)),
    ("lessons", ("lessons",)),
)
LONGEST_FUNCTION = 100  # lines: what a reader can hold on one screen or two
LONGEST_MODULE = 900  # lines


def _modules() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if "source" not in path.relative_to(PACKAGE).parts)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([NAME, *parts])


def layer_of(module: str) -> int | None:
    """The layer index of a package module, by its first component under the package."""
    if module == NAME:
        return len(LAYERS)  # the package's front door may re-export from any layer
    first = module.split(".")[1]
    for index, (_, names) in enumerate(LAYERS):
        if first in names:
            return index
    return None


def imports_of(tree: ast.AST, module: str, is_package: bool) -> set[str]:
    """The package modules a module imports, at any depth (inside functions too), except under
    `if TYPE_CHECKING:`, which never runs."""
    found: set[str] = set()
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(child) for child in ast.walk(node))
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith(NAME))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith(NAME):
                continue
            for alias in node.names:  # `from package import submodule` imports the submodule
                candidate = f"{target}.{alias.name}"
                found.add(candidate if _is_module(candidate) else target)
    return found


def _is_module(name: str) -> bool:
    relative = name.split(".")[1:]
    path = PACKAGE.joinpath(*relative)
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def import_graph() -> dict[str, set[str]]:
    graph = {}
    for path in _modules():
        name = module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[name] = {target for target in imports_of(tree, name, path.name == "__init__.py") if target != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iteratively)."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in graph:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


# --------------------------------------------------------------------------- layers and cycles


def test_every_module_has_a_layer():
    unplaced = [name for name in import_graph() if layer_of(name) is None]
    assert not unplaced, f"give these modules a place in LAYERS: {unplaced}"


def test_no_import_cycles_even_inside_functions():
    assert cycles(import_graph()) == []


def test_layers_read_bottom_up():
    upward = []
    for module, targets in import_graph().items():
        for target in targets:
            if layer_of(module) is not None and layer_of(target) is not None and layer_of(target) > layer_of(module):
                upward.append(f"{module} -> {target}")
    assert not upward, "a lower layer imports a higher one:\n" + "\n".join(sorted(upward))


def test_the_framework_never_imports_a_lesson_by_name():
    offenders = [
        f"{module} -> {target}"
        for module, targets in import_graph().items()
        if not module.startswith(f"{NAME}.lessons")
        for target in targets
        if target.startswith(f"{NAME}.lessons")
    ]
    assert not offenders, offenders


def test_the_checks_bite():
    """A cycle through a function-level import, an upward import and a relative import are seen."""
    code = "def f():\n    from autograd_lessons import widgets\n"
    assert imports_of(ast.parse(code), f"{NAME}.i18n", False) == {f"{NAME}.widgets"}
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    relative = "from . import LESSON\nfrom .maths import f\n"
    found = imports_of(ast.parse(relative), f"{NAME}.lessons.autograd.claims", False)
    assert found == {f"{NAME}.lessons.autograd", f"{NAME}.lessons.autograd.maths"}
    typing_only = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from autograd_lessons import widgets\n"
    assert imports_of(ast.parse(typing_only), f"{NAME}.i18n", False) == set()
    assert layer_of(f"{NAME}.widgets") > layer_of(f"{NAME}.i18n")


# --------------------------------------------------------------------------- parts a reader can hold


def test_no_module_or_function_is_too_long_to_hold():
    too_long = []
    for path in _modules():
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > LONGEST_MODULE:
            too_long.append(f"{path.relative_to(PACKAGE)}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > LONGEST_FUNCTION:
                    too_long.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name}: {length} lines")
    assert not too_long, too_long


# --------------------------------------------------------------------------- names between modules


def private_imports(tree: ast.AST) -> list[str]:
    """Private names one package module takes from another: `from autograd_lessons.x import _y`
    and `x._y` where x is an imported package module."""
    found, aliases = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(NAME):
            for name in node.names:
                if name.name.startswith("_") and not name.name.startswith("__"):
                    found.append(f"from {node.module} import {name.name}")
                else:
                    aliases.add(name.asname or name.name)
        elif isinstance(node, ast.Import):
            for name in node.names:
                if name.name.startswith(NAME):
                    aliases.add((name.asname or name.name).split(".")[0])
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            found.append(f"{node.value.id}.{node.attr}")
    return found


def test_no_module_uses_another_modules_private_names():
    offenders = {
        str(path.relative_to(PACKAGE)): found
        for path in _modules()
        if (found := private_imports(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert not offenders, offenders


def test_the_private_import_check_bites():
    tree = ast.parse(
        "from autograd_lessons.graph import _Names, trace\n"
        "from autograd_lessons import steps\n"
        "steps._record(1)\n"
        "trace.__name__\n"
    )
    assert private_imports(tree) == ["from autograd_lessons.graph import _Names", "steps._record"]


def test_the_caller_name_lookup_exists_once():
    """Only callers.py reads the caller's frame; every helper that names tensors asks it."""
    readers = [
        str(path.relative_to(PACKAGE))
        for path in _modules()
        if any(word in path.read_text(encoding="utf-8") for word in ("f_back", "_getframe", "currentframe"))
    ]
    assert readers == ["callers.py", "guard.py"], readers  # guard.py reads frames to stop loops, not names


# --------------------------------------------------------------------------- lessons are data


@pytest.mark.parametrize("lesson", course.lessons(), ids=lambda lesson: str(lesson.number))
def test_every_lesson_declares_itself_as_data(lesson):
    assert isinstance(lesson, course.Lesson) and lesson.cells in ("run", "section")
    assert lesson.folder.is_relative_to(PACKAGE / "lessons")
    for notebook in lesson.notebooks:
        assert lesson.source_path(notebook).is_file(), notebook
    assert (lesson.folder / course.LOCALE_FOLDER).is_dir()


def test_declaring_the_lessons_imports_no_torch():
    code = (
        "import sys; from autograd_lessons import course; course.lessons(); "
        "print(sorted(m for m in ('torch', 'matplotlib') if m in sys.modules))"
    )
    environment = {**os.environ, "PYTHONWARNINGS": "ignore"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environment, check=True)
    assert done.stdout.strip() == "[]", done.stdout
