"""The catalogue of every lesson's claims, and the functions that check them.

A claim is a statement a lesson makes and checks. Its words are either quoted — the source
run's own words in lesson 1 (an annotation or comment, a printed output, a line of code), or a
sentence of the lesson's own text in later lessons — or, where the lesson asks its own question
(a natural reading the source does not state), the question itself (`Claim.quote` is None).

Each lesson registers its claims with the `claim` decorator in its module under
`autograd_lessons.course` (for example `course/lesson1/claims.py`); CATALOG is the one index of
all of them. A verification re-checks the claim against something other than the autograd result
under test and returns a `verdicts.Verdict`. In a notebook, `verify_cell(n, lesson=k)` shows the
verdicts of cell (or section) n of lesson k, and `verify(claim_id)` one claim.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

from autograd_lessons import course
from autograd_lessons.i18n import MESSAGES, LessonError, get_language, message
from autograd_lessons.verdicts import Verdict, Verdicts

# Where a quote stands: in lesson 1's source run (a comment, an output, a line of code), or in
# the lesson's own text ("prose", written by the lesson in each language).
QUOTE_KINDS = ("comment", "output", "code", "prose")
DEFAULT_LESSON = 1  # the lesson a bare cell or exercise number refers to (lesson 1 notebooks predate lessons)


@dataclass(frozen=True)
class Claim:
    """One statement a lesson checks: where it stands, its words, and how to check it.

    `lesson` and `cell` say where: for a lesson that reproduces a source run (lesson 1) `cell` is
    the run's cell number ("In [12]"); for the others it is the section number ("§ 3"). `quote`
    holds the words checked (for a comment, exactly as the run wrote them, line breaks joined by
    a space; for prose, the English wording), or None for a question of the lesson's own. `kind`
    says where the quote stands (QUOTE_KINDS) and `language` in which language the run wrote a
    comment (None otherwise). The words, and their translations, live in the message catalogue
    under "quote.<id>"; the statement checked under "claim.<id>".
    """

    id: str
    lesson: int
    cell: int
    verify: Callable[..., Verdict]
    quote: str | None
    kind: str | None = None
    language: str | None = None
    timed: bool = False  # the evidence includes time measurements, which differ between runs

    @property
    def source(self) -> str:
        """Where the words stand, as the lesson labels it: "In [12]" or "Lesson 4, § 3"."""
        return cell_label(self.lesson, self.cell)

    @property
    def cells(self) -> str:
        """How the claim's lesson numbers its cells: "run" (In [n]) or "section" (§ n)."""
        return course.lesson(self.lesson).CELLS

    @property
    def statement(self) -> str:
        """What is checked, in the current language (for a question: the question)."""
        return message(f"claim.{self.id}")

    @property
    def inputs(self) -> tuple[str, ...]:
        """The names of the inputs `verify` accepts (as in the lesson: x, v, a …)."""
        return tuple(inspect.signature(self.verify).parameters)

    def shown_quote(self, language: str | None = None) -> tuple[str, str | None]:
        """The quote as a reader of `language` (default: the current one) finds it in their
        edition, and the language it was translated from (None when shown as written)."""
        if self.quote is None:
            raise ValueError(f"claim {self.id} is a question, not a quote")
        wanted = language or get_language()
        if self.kind == "prose":  # the lesson's own words, written in every language
            return message(f"quote.{self.id}", wanted), None
        if self.language is None or self.language == wanted:
            return self.quote, None
        return message(f"quote.{self.id}", wanted), self.language


_claims: dict[str, Claim] = {}
CATALOG: Mapping[str, Claim] = MappingProxyType(_claims)


def cell_label(lesson: int, cell: int) -> str:
    """How lesson `lesson` labels its cell `cell`: "In [12]" (a source run) or "Lesson 4, § 3"."""
    return message(f"claims.source.{course.lesson(lesson).CELLS}", lesson=lesson, cell=cell)


def claim(
    claim_id: str,
    *,
    lesson: int,
    cell: int,
    quote: str | None = None,
    language: str | None = None,
    timed: bool = False,
) -> Callable[[Callable[..., Verdict]], Callable[..., Verdict]]:
    """Register a lesson's verification under `claim_id` (a decorator).

    `quote` is the kind of quote (QUOTE_KINDS) or None for a question of the lesson's own; the
    quoted words are read from the catalogue ("quote.<id>"), in `language` for a comment of the
    source run. The decorated function takes the claim's inputs as keywords with the lesson's
    values as defaults, and returns a Verdict; the registered `Claim.verify` stamps it with the
    claim's id, cell and statement.
    """
    if quote is not None and quote not in QUOTE_KINDS:
        raise ValueError(f"{claim_id}: quote kind {quote!r} is not one of {QUOTE_KINDS}")
    if claim_id in _claims:
        raise ValueError(f"claim {claim_id!r} is registered twice")
    if lesson not in course.LESSONS:
        raise ValueError(f"{claim_id}: lesson {lesson} is not in course.LESSONS")
    words = None
    if quote is not None:
        texts = MESSAGES[f"quote.{claim_id}"]
        words = texts[language] if language is not None else texts["en"]

    def register(check: Callable[..., Verdict]) -> Callable[..., Verdict]:
        def verify_claim(**inputs: object) -> Verdict:
            found = check(**inputs)
            return replace(found, claim_id=claim_id, cell=cell, statement_key=f"claim.{claim_id}", statement_fields={})

        verify_claim.__signature__ = inspect.signature(check)  # type: ignore[attr-defined]
        verify_claim.__doc__ = check.__doc__
        verify_claim.__name__ = check.__name__
        _claims[claim_id] = Claim(
            claim_id, lesson, cell, verify_claim, words, quote, language if quote == "comment" else None, timed
        )
        return check

    return register


def _lesson_number(lesson: object) -> int:
    if (
        isinstance(lesson, bool)
        or lesson not in course.LESSONS
        or not any(c.lesson == lesson for c in CATALOG.values())
    ):
        with_claims = sorted({c.lesson for c in CATALOG.values()})
        raise LessonError(message("claims.error.unknown_lesson", lesson=lesson, valid=", ".join(map(str, with_claims))))
    return int(lesson)


def _claim_named(claim_id: object) -> Claim:
    if not isinstance(claim_id, str) or claim_id not in CATALOG:
        raise LessonError(message("claims.error.unknown_claim", claim=claim_id, valid=", ".join(CATALOG)))
    return CATALOG[claim_id]


def verify(claim_id: str, **inputs: object) -> Verdict:
    """Check one claim of the catalogue, at the lesson's inputs or at the inputs given by name."""
    found = _claim_named(claim_id)
    unknown = sorted(set(inputs) - set(found.inputs))
    if unknown:
        raise LessonError(
            message(
                "claims.error.unknown_input",
                claim=found.id,
                names=", ".join(unknown),
                valid=", ".join(found.inputs) or "—",
            )
        )
    return found.verify(**inputs)


def cells(lesson: int = DEFAULT_LESSON) -> tuple[int, ...]:
    """The cells (or sections) of `lesson` that make claims, in order."""
    lesson = _lesson_number(lesson)
    return tuple(sorted({c.cell for c in CATALOG.values() if c.lesson == lesson}))


def verify_cell(cell: int, *, lesson: int = DEFAULT_LESSON, **inputs: object) -> Verdicts:
    """Check every claim about cell `cell` of `lesson`; each input goes to the claims that take it.

    In lesson 1 `cell` is the number the lesson shows on the cell ("In [12] of the original
    run"); in later lessons it is the section number. The quoted words come first, then the
    lesson's questions about that cell.
    """
    lesson = _lesson_number(lesson)
    if isinstance(cell, bool) or cell not in cells(lesson):
        raise LessonError(
            message("claims.error.unknown_cell", cell=cell, lesson=lesson, valid=", ".join(map(str, cells(lesson))))
        )
    chosen = [c for c in CATALOG.values() if c.lesson == lesson and c.cell == cell]
    chosen.sort(key=lambda c: c.quote is None)  # stable: catalogue order within each group
    accepted = {name for c in chosen for name in c.inputs}
    unknown = sorted(set(inputs) - accepted)
    if unknown:
        raise LessonError(
            message(
                "claims.error.unknown_input",
                claim=cell_label(lesson, cell),
                names=", ".join(unknown),
                valid=", ".join(sorted(accepted)) or "—",
            )
        )
    return Verdicts(c.verify(**{k: v for k, v in inputs.items() if k in c.inputs}) for c in chosen)


__all__ = ["CATALOG", "Claim", "DEFAULT_LESSON", "QUOTE_KINDS", "cell_label", "cells", "claim", "verify", "verify_cell"]

# Every lesson registers its claims when its modules are imported; import them all now, so that
# CATALOG is complete for whoever reads it.
course.load_all("claims")
