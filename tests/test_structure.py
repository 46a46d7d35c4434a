"""The package's shape: modules share only public names, and every lesson is declared as data."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import autograd_lessons
from autograd_lessons import course

PACKAGE = Path(autograd_lessons.__file__).parent


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def private_imports(tree: ast.AST) -> list[str]:
    """Private names one package module takes from another: `from autograd_lessons.x import _y`
    and `x._y` where x is an imported package module."""
    found, aliases = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("autograd_lessons"):
            for name in node.names:
                if name.name.startswith("_") and not name.name.startswith("__"):
                    found.append(f"from {node.module} import {name.name}")
                else:
                    aliases.add(name.asname or name.name)
        elif isinstance(node, ast.Import):
            for name in node.names:
                if name.name.startswith("autograd_lessons"):
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


@pytest.mark.parametrize("number", course.LESSONS)
def test_every_lesson_declares_itself_as_data(number):
    lesson = course.lesson(number)
    assert lesson.NUMBER == number
    assert lesson.CELLS in ("run", "section")
    for name in lesson.CATALOGUES:
        module = importlib.import_module(f"{lesson.__name__}.{name}")
        assert isinstance(module.MESSAGES, dict) and module.MESSAGES
    assert set(lesson.MODULES) <= {"claims", "exercises"}


def test_claims_and_exercises_know_their_lesson():
    from autograd_lessons.claims import CATALOG
    from autograd_lessons.exercises import exercises

    assert {claim.lesson for claim in CATALOG.values()} == set(course.LESSONS)
    for number in course.LESSONS:
        assert all(
            claim.id.startswith("in" if number == 1 else f"l{number}.")
            for claim in CATALOG.values()
            if claim.lesson == number
        )
        assert [e.number for e in exercises(number)] == list(range(1, len(exercises(number)) + 1))
    assert sum(claim.lesson == 4 for claim in CATALOG.values()) >= 10
