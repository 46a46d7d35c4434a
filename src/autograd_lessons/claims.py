"""Check what the lessons say: `verify(claim_id)` for one claim, `verify_cell(n, lesson=k)` for a cell.

A claim is a statement a lesson makes and checks (`results.Claim`). Its words are either quoted —
a source run's own words (a comment, a printed output, a line of code), or a sentence of the
lesson's own text — or, where the lesson asks its own question (a natural reading the words do
not state), the question itself. Each lesson registers its claims with ``LESSON.claim`` in its
own package (see `autograd_lessons.course`); this module finds them through the course. A
verification re-checks the claim against something other than the autograd result under test and
returns a Verdict, shown in the learner's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from autograd_lessons import course
from autograd_lessons.i18n import LessonError, message
from autograd_lessons.results import Claim, Verdict, Verdicts


def catalog() -> Mapping[str, Claim]:
    """Every claim of every lesson that loads, by id, in lesson order."""
    found: dict[str, Claim] = {}
    for lesson in course.loaded("claims"):
        found.update(lesson.claims)
    return MappingProxyType(found)


def _lesson_claims(lesson: object) -> tuple[int, dict[str, Claim]]:
    number = course.first() if lesson is None else lesson
    if isinstance(number, bool) or number not in course.numbers() or not course.lesson(number, "claims").claims:
        with_claims = ", ".join(str(each.number) for each in course.loaded("claims") if each.claims)
        error = message("claims.error.unknown_lesson", lesson=number, valid=with_claims or "—")
        raise LessonError(error + course.broken_note())
    found = course.lesson(number, "claims")
    return found.number, found.claims


def _claim_named(claim_id: object) -> Claim:
    every = catalog()
    if not isinstance(claim_id, str) or claim_id not in every:
        error = message("claims.error.unknown_claim", claim=claim_id, valid=", ".join(every))
        raise LessonError(error + course.broken_note())
    return every[claim_id]


def verify(claim_id: str, **inputs: object) -> Verdict:
    """Check one claim, at the lesson's inputs or at the inputs given by name."""
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


def cells(lesson: int | None = None) -> tuple[int, ...]:
    """The cells (or sections) of `lesson` (default: the first) that make claims, in order."""
    _, claims = _lesson_claims(lesson)
    return tuple(sorted({c.cell for c in claims.values()}))


def verify_cell(cell: int, *, lesson: int | None = None, **inputs: object) -> Verdicts:
    """Check every claim about cell `cell` of `lesson`; each input goes to the claims that take it.

    In a lesson that reproduces a source run, `cell` is the number the lesson shows on the cell
    ("In [12] of the original run"); in the others it is the section number. Without `lesson`,
    the course's first lesson. The quoted words come first, then the lesson's questions about that cell.
    """
    number, claims = _lesson_claims(lesson)
    valid = sorted({c.cell for c in claims.values()})
    if isinstance(cell, bool) or cell not in valid:
        raise LessonError(
            message("claims.error.unknown_cell", cell=cell, lesson=number, valid=", ".join(map(str, valid)))
        )
    chosen = [c for c in claims.values() if c.cell == cell]
    chosen.sort(key=lambda c: c.quote is None)  # stable: registration order within each group
    accepted = {name for c in chosen for name in c.inputs}
    unknown = sorted(set(inputs) - accepted)
    if unknown:
        raise LessonError(
            message(
                "claims.error.unknown_input",
                claim=chosen[0].source.render(),
                names=", ".join(unknown),
                valid=", ".join(sorted(accepted)) or "—",
            )
        )
    return Verdicts(c.verify(**{k: v for k, v in inputs.items() if k in c.inputs}) for c in chosen)


__all__ = ["catalog", "cells", "verify", "verify_cell"]
