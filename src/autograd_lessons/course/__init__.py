"""The course: its lessons, each a package of data the shared machinery reads.

A lesson is the package ``autograd_lessons.course.lessonN``. Its ``__init__`` declares, as plain
data (no torch import):

- ``NUMBER``: the lesson's number, as the notebooks and ``verify_cell(…, lesson=N)`` use it;
- ``NOTEBOOK``: the name (without ``.ipynb``) of its notebook in ``notebooks/<language>/``;
- ``CELLS``: how its claims name where they stand: ``"run"`` (cells of a source run, "In [12]")
  or ``"section"`` (the lesson's own numbered sections, "Lesson 4, § 3");
- ``CATALOGUES``: its message modules (learner-facing text, every language side by side),
  merged by ``autograd_lessons.i18n`` with the shared ones;
- ``MODULES``: its modules that register claims (``"claims"``) and exercises (``"exercises"``),
  imported the first time the catalogue of claims or of exercises is used.

Adding a lesson: create its package, then add its number to LESSONS.
"""

from __future__ import annotations

import importlib
from types import ModuleType

LESSONS = (1, 4)


def package_name(number: int) -> str:
    return f"{__name__}.lesson{number}"


def lesson(number: int) -> ModuleType:
    """The package of lesson `number` (its declarations, see the module docstring)."""
    if number not in LESSONS:
        raise KeyError(f"lesson {number!r} is not one of {LESSONS}")
    return importlib.import_module(package_name(number))


def catalogue_modules() -> list[str]:
    """The full names of every lesson's message modules, in lesson order."""
    return [f"{package_name(n)}.{name}" for n in LESSONS for name in lesson(n).CATALOGUES]


def load_all(kind: str) -> None:
    """Import every lesson's module of `kind` ("claims" or "exercises"), which registers them."""
    for number in LESSONS:
        if kind in lesson(number).MODULES:
            importlib.import_module(f"{package_name(number)}.{kind}")
