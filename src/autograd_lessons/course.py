"""The course: the lessons it has, found where they register, each loaded on its own.

A lesson is a package that holds everything about it (for the lessons shipped here,
``autograd_lessons/lessons/<name>/``): ``__init__.py`` declares it — a `Lesson`, plain data that
imports no torch; ``claims.py`` checks what the lesson says; ``exercises.py`` checks the learner's
answers; ``source/`` has one source per notebook (see `autograd_lessons.sources`); ``locale/``
its texts, one catalogue per language. The framework knows no lesson by name: a lesson registers
through the entry-point group ENTRY_POINTS of its distribution (for this project, one line per
lesson in pyproject.toml)::

    [project.entry-points."autograd_lessons.lessons"]
    autograd = "autograd_lessons.lessons.autograd:LESSON"

Lessons load when first needed. One that fails to load — its declaration, its texts, its claims or
its exercises raise — is that lesson's problem: asking for it raises a LessonError naming it and
the error, and every other lesson keeps working.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import inspect
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

from autograd_lessons import i18n, sources
from autograd_lessons.i18n import LessonError, message
from autograd_lessons.results import CELL_KINDS, QUOTE_KINDS, Claim, Exercise, Quote, Verdict

ENTRY_POINTS = "autograd_lessons.lessons"  # the entry-point group lessons register in
PARTS = ("claims", "exercises")  # a lesson's modules that register what the framework checks
SOURCE_FOLDER = "source"  # in a lesson's folder: one percent script per notebook
LOCALE_FOLDER = "locale"  # in a lesson's folder: its texts, one catalogue per language


@dataclass(eq=False)
class Lesson:
    """One lesson, as its package declares it.

    `number` is how the notebooks and ``verify_cell(…, lesson=N)`` call it; `package` its
    package's name; `notebooks` the names of its notebooks in reading order (each has the source
    ``source/<name>.py`` and is stored as ``notebooks/<language>/<name>.ipynb``), the first being
    the lesson itself, where its claims stand; `cells` says how its claims name where they stand
    ("run": cells of a source run, "In [12]"; "section": the lesson's sections, "Lesson 2, § 3");
    `solutions` is the notebook whose cells marked ``solution=N`` are the worked solutions.
    `claims` and `exercises` fill in as its modules register them (`claim`, `exercise`).
    """

    number: int
    package: str
    notebooks: tuple[str, ...]
    cells: str = "section"
    solutions: str | None = None
    claims: dict[str, Claim] = field(default_factory=dict, init=False, repr=False)
    exercises: dict[int, Exercise] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        if isinstance(self.number, bool) or not isinstance(self.number, int) or self.number < 0:
            raise ValueError(f"{self.package}: a lesson's number is a whole number, not {self.number!r}")
        if self.cells not in CELL_KINDS:
            raise ValueError(f"{self.package}: cells={self.cells!r} is not one of {CELL_KINDS}")
        if not self.notebooks or (self.solutions is not None and self.solutions not in self.notebooks):
            raise ValueError(f"{self.package}: notebooks must list the lesson's notebooks, solutions among them")

    @property
    def folder(self) -> Path:
        return Path(sys.modules[self.package].__file__).parent

    @property
    def notebook(self) -> str:
        """The lesson's own notebook, where its claims are shown."""
        return self.notebooks[0]

    def source_path(self, notebook: str) -> Path:
        return self.folder / SOURCE_FOLDER / f"{notebook}.py"

    def source_cells(self, notebook: str) -> tuple[sources.Cell, ...]:
        return sources.read(self.source_path(notebook))

    def passages(self, language: str) -> dict[str, str]:
        """The passages marked in the lesson's notebook, as a reader of `language` reads them."""
        where = self.source_path(self.notebook).name
        texts = sources.edition_texts(self.source_cells(self.notebook), language, where, i18n.LANGUAGES)
        return sources.passages(texts)

    def shared(self, name: str, namespace: Mapping[str, object]) -> object:
        """The function `name` that the lesson's notebook defines in a cell marked shares="name"."""
        return sources.shared_function(self.source_cells(self.notebook), name, namespace)

    def solution_code(self, number: int) -> Mapping[str, str]:
        """The worked solution of exercise `number`, per language (the comments differ)."""
        if self.solutions is None:
            return MappingProxyType({})
        cells, where = self.source_cells(self.solutions), self.source_path(self.solutions).name
        code = {lang: sources.solution_code(cells, number, lang, where, i18n.LANGUAGES) for lang in i18n.LANGUAGES}
        return MappingProxyType(code)

    # ------------------------------------------------------------------ what the lesson registers

    def claim(
        self,
        claim_id: str,
        *,
        cell: int,
        quote: str | None = None,
        words: str | None = None,
        written_in: str | None = None,
        timed: bool = False,
    ) -> Callable[[Callable[..., Verdict]], Callable[..., Verdict]]:
        """Register a check of this lesson under `claim_id` (a decorator).

        `quote` is the kind of words it judges (results.QUOTE_KINDS), or None for a question of the
        lesson's own. A "comment" of a source run or the lesson's "prose" is the passage marked
        ``<q id="claim_id">`` in the lesson's notebook source, in each language; `written_in` names
        the language the run wrote a comment in. An "output" or a line of "code" reads the same in
        every language: give its `words`. The decorated function takes the claim's inputs as
        keywords, the lesson's values as defaults, and returns a Verdict.
        """
        if quote is not None and quote not in QUOTE_KINDS:
            raise ValueError(f"{claim_id}: quote kind {quote!r} is not one of {QUOTE_KINDS}")
        if claim_id in self.claims:
            raise ValueError(f"claim {claim_id!r} is registered twice")
        found = self._quote(claim_id, quote, words, written_in)

        def register(check: Callable[..., Verdict]) -> Callable[..., Verdict]:
            def verify(**inputs: object) -> Verdict:
                return replace(check(**inputs), claim=registered, statement=registered.statement)

            verify.__signature__ = inspect.signature(check)  # type: ignore[attr-defined]
            verify.__doc__, verify.__name__ = check.__doc__, check.__name__
            registered = Claim(claim_id, self.number, cell, self.cells, verify, found, timed)
            self.claims[claim_id] = registered
            return check

        return register

    def _quote(self, claim_id: str, kind: str | None, words: str | None, written_in: str | None) -> Quote | None:
        if kind is None:
            return None
        if kind in ("output", "code"):
            if not words:
                raise ValueError(f"{claim_id}: a quoted {kind} needs its words")
            return Quote(kind, MappingProxyType(dict.fromkeys(i18n.LANGUAGES, words)))
        if written_in is not None and written_in not in i18n.LANGUAGES:
            raise ValueError(f"{claim_id}: written_in={written_in!r} is not one of {i18n.LANGUAGES}")
        marked = {}
        for language in i18n.LANGUAGES:
            passage = self.passages(language).get(claim_id)
            if passage is None:
                raise ValueError(
                    f'{claim_id}: the {language} edition of {self.notebook} marks no passage <q id="{claim_id}">'
                )
            marked[language] = passage
        return Quote(kind, MappingProxyType(marked), written_in if kind == "comment" else None)

    def exercise(self, number: int) -> Callable[[Callable], Callable]:
        """Register a checker as exercise `number` of this lesson (a decorator). Its worked
        solution is the cells marked ``solution=number`` in the solutions notebook."""
        if number in self.exercises:
            raise ValueError(f"exercise {number} of lesson {self.number} is registered twice")
        label: str | i18n.Text = str(number)
        if self.number != first():
            label = i18n.text("exercises.label", number=number, lesson=self.number)

        def register(checker: Callable[[object], str | None]) -> Callable[[object], str | None]:
            self.exercises[number] = Exercise(self.number, number, checker, label)
            return checker

        return register


def lazy_exports(package: str, exports: Mapping[str, str]) -> tuple[Callable[[str], object], Callable[[], list]]:
    """A lesson package's module ``__getattr__`` and ``__dir__`` for `exports` (name -> the
    lesson's module that defines it), imported on first use: declaring a lesson imports no torch,
    and its notebooks import what they use from the lesson itself."""

    def get(name: str) -> object:
        if name not in exports:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        _discover()  # the lessons' texts in place, so that what a lesson exports can speak at once
        return getattr(importlib.import_module(f"{package}.{exports[name]}"), name)

    def names() -> list:
        return sorted([*vars(sys.modules[package]), *exports])

    return get, names


# --------------------------------------------------------------------------- the registry


@dataclass
class _Registry:
    lessons: dict[int, Lesson] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)  # lesson (entry name or number) -> what went wrong
    loaded_parts: set[tuple[int, str]] = field(default_factory=set)
    found: bool = False


_registry = _Registry()


def _failure(error: BaseException) -> str:
    detail = str(error).splitlines()[0] if str(error) else ""
    return f"{type(error).__name__}: {detail}".rstrip(": ")


def _discover() -> None:
    if _registry.found:
        return
    _registry.found = True
    for entry in sorted(importlib.metadata.entry_points(group=ENTRY_POINTS), key=lambda e: e.name):
        try:
            lesson = entry.load()
            if not isinstance(lesson, Lesson):
                raise TypeError(f"{entry.value} is a {type(lesson).__name__}, not a Lesson")
            taken = _registry.lessons.get(lesson.number)
            if taken is not None:
                raise ValueError(f"lesson number {lesson.number} is taken by {taken.package}")
            i18n.add_catalogue(lesson.folder / LOCALE_FOLDER, owner=f"lesson {lesson.number}")
        except Exception as error:
            _registry.failures[entry.name] = _failure(error)
            continue
        _registry.lessons[lesson.number] = lesson


def reset() -> None:
    """Forget what was found and loaded, so that the next question discovers the lessons again."""
    global _registry
    _registry = _Registry()


def lessons() -> tuple[Lesson, ...]:
    """Every lesson that registered and loaded, in order of number."""
    _discover()
    return tuple(_registry.lessons[n] for n in sorted(_registry.lessons))


# A language tried out at run time (i18n.add_language) may translate lessons' texts too.
i18n.provide_catalogues(lessons)


def numbers() -> tuple[int, ...]:
    return tuple(lesson.number for lesson in lessons())


def failures() -> Mapping[str, str]:
    """The lessons that could not be loaded, each with what went wrong."""
    _discover()
    return MappingProxyType(dict(_registry.failures))


def broken_note() -> str:
    """A sentence naming the lessons that could not be loaded ("" when every lesson loads)."""
    broken = failures()
    if not broken:
        return ""
    return message("course.broken_note", broken="; ".join(f"{name} ({why})" for name, why in broken.items()))


def first() -> int:
    """The number a bare cell or exercise number refers to: the course's first lesson."""
    found = numbers()
    return found[0] if found else 1


def lesson(number: object, part: str | None = None) -> Lesson:
    """Lesson `number`, with its module `part` ("claims" or "exercises") loaded; a LessonError
    when there is no such lesson or it failed to load."""
    _discover()
    if isinstance(number, bool) or number not in _registry.lessons:
        broken = ", ".join(f"{name} ({why})" for name, why in _registry.failures.items())
        valid = ", ".join(map(str, numbers())) or "—"
        key = "course.error.unknown_lesson_broken" if broken else "course.error.unknown_lesson"
        raise LessonError(message(key, lesson=repr(number)[:40], valid=valid, broken=broken))
    found = _registry.lessons[number]
    if part is not None:
        _load(found, part)
    return found


def _load(found: Lesson, part: str) -> None:
    if part not in PARTS:
        raise ValueError(f"part {part!r} is not one of {PARTS}")
    failed = _registry.failures.get(f"{found.number}.{part}")
    if failed is not None:
        raise LessonError(message("course.error.broken", lesson=found.number, error=failed))
    if (found.number, part) in _registry.loaded_parts:
        return
    try:
        importlib.import_module(f"{found.package}.{part}")
    except ModuleNotFoundError as error:
        if error.name != f"{found.package}.{part}":
            _registry.failures[f"{found.number}.{part}"] = _failure(error)
            raise LessonError(message("course.error.broken", lesson=found.number, error=_failure(error))) from None
    except Exception as error:
        _registry.failures[f"{found.number}.{part}"] = _failure(error)
        raise LessonError(message("course.error.broken", lesson=found.number, error=_failure(error))) from None
    _registry.loaded_parts.add((found.number, part))


def loaded(part: str) -> tuple[Lesson, ...]:
    """Every lesson with its module `part` loaded; those that fail to load it are left out (and
    listed by `failures`)."""
    result = []
    for each in lessons():
        try:
            _load(each, part)
        except LessonError:
            continue
        result.append(each)
    return tuple(result)


__all__ = [
    "ENTRY_POINTS",
    "LOCALE_FOLDER",
    "PARTS",
    "SOURCE_FOLDER",
    "Lesson",
    "broken_note",
    "failures",
    "first",
    "lazy_exports",
    "lesson",
    "lessons",
    "loaded",
    "numbers",
    "reset",
]
