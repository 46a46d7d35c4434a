"""What the judging produces, as plain records: claims and their verdicts, exercises and their feedback.

A record holds facts and message keys (`i18n.Text`), never finished sentences: `render` words it
in the language current when it is shown, as text (`str`, `print`) or as HTML (a notebook's
display). How a result looks is therefore decided in one place, `autograd_lessons.render`.

- `Claim`: a statement a lesson checks — where it stands, the words it quotes (`Quote`), and the
  function that checks it.
- `Verdict`: the outcome of checking a claim, or of a plain `compare`: "exact" (holds; values
  bitwise equal), "rounding" (holds up to rounding, `ulps` the largest error) or "false" (does not
  hold, with a counterexample); `evidence` says what was found. `Verdicts` shows several in turn.
- `Exercise`: one exercise of a lesson, with its checker.
- `Feedback`: the verdict on an answer — "correct", "wrong" or "unanswered" — with a headline and
  maybe a hint. `Help`: a hint or a worked solution.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from autograd_lessons import render
from autograd_lessons.i18n import Text, get_language, text

STATUSES = ("exact", "rounding", "false")
FEEDBACK_STATUSES = ("correct", "wrong", "unanswered")
# Where quoted words stand: in a source run (one of its comments, a printed output, a line of its
# code), or in the lesson's own text ("prose", written by the lesson in each language).
QUOTE_KINDS = ("comment", "output", "code", "prose")
CELL_KINDS = ("run", "section")  # how a lesson numbers where its claims stand: "In [12]" or "§ 3"

Evidence = tuple[Text, ...]


@dataclass(frozen=True)
class Quote:
    """The words a claim judges, as each edition shows them.

    `words` maps a language to the words a reader of that edition finds. `written_in` is the
    language a source run wrote a comment in (every other edition shows a translation), None for
    words that are the same everywhere (outputs, code) or written by the lesson in every language.
    """

    kind: str
    words: Mapping[str, str]
    written_in: str | None = None

    def shown(self, language: str | None = None) -> tuple[str, str | None]:
        """The words a reader of `language` (default: the current one) finds, and the language
        they were translated from (None when shown as written)."""
        wanted = language or get_language()
        words = self.words.get(wanted)
        if words is None:  # a language added at run time that has no edition of this lesson
            words = self.words[self.written_in] if self.written_in else next(iter(self.words.values()))
            wanted = self.written_in or wanted
        translated = self.written_in is not None and self.written_in != wanted
        return words, self.written_in if translated else None


@dataclass(frozen=True)
class Claim:
    """One statement a lesson checks: where it stands, its words, and how to check it.

    `cell` is where it stands: a cell of the source run ("In [12]") in a lesson whose `cells` is
    "run", a section ("Lesson 2, § 3") in one whose `cells` is "section". `quote` holds the words
    checked, or None for a question of the lesson's own. `verify` takes the claim's inputs as
    keywords (the lesson's values by default) and returns the Verdict, stamped with this claim.
    """

    id: str
    lesson: int
    cell: int
    cells: str
    verify: Callable[..., Verdict] = field(repr=False, compare=False)
    quote: Quote | None = None
    timed: bool = False  # the evidence includes time measurements, which differ between runs

    @property
    def statement(self) -> Text:
        """What is checked (for a question: the question)."""
        return text(f"claim.{self.id}")

    @property
    def source(self) -> Text:
        """Where the words stand, as the lesson labels it: "In [12]" or "Lesson 2, § 3"."""
        return text(f"claims.source.{self.cells}", lesson=self.lesson, cell=self.cell)

    @property
    def inputs(self) -> tuple[str, ...]:
        """The names of the inputs `verify` accepts (as in the lesson: x, v, a …)."""
        return tuple(inspect.signature(self.verify).parameters)

    def shown_quote(self, language: str | None = None) -> tuple[str, str | None]:
        """The quote as a reader of `language` finds it, and the language it was translated from."""
        if self.quote is None:
            raise ValueError(f"claim {self.id} is a question, not a quote")
        return self.quote.shown(language)


@dataclass(frozen=True, eq=False)
class Verdict:
    """The outcome of checking one claim (or of a plain comparison).

    `statement` is what was checked; `claim` the catalogue claim judged (None for a plain
    `compare`); `evidence` what was found; `measurements` the same numbers (such as timings) as data.
    """

    status: str
    statement: Text
    claim: Claim | None = None
    ulps: float | None = None
    counterexample: Mapping[str, object] | None = None
    evidence: Evidence = ()
    measurements: Mapping[str, object] | None = None

    @property
    def claim_id(self) -> str | None:
        return self.claim.id if self.claim is not None else None

    @property
    def cell(self) -> int | None:
        return self.claim.cell if self.claim is not None else None

    @property
    def holds(self) -> bool:
        """Whether the claim holds, exactly or up to rounding."""
        return self.status != "false"

    @property
    def is_question(self) -> bool:
        """Whether this answers one of the lesson's own questions rather than quoted words."""
        return self.claim is not None and self.claim.quote is None

    @property
    def detail(self) -> str | None:
        """What was found, in the current language (None when nothing was recorded)."""
        return render.evidence_text(self.evidence)

    def __str__(self) -> str:
        return render.verdict_text(self)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        return render.verdict_html(self)


class Verdicts(tuple):
    """Several verdicts (for instance all claims of one cell), shown one after another."""

    @property
    def holds(self) -> bool:
        """Whether every claim holds, exactly or up to rounding."""
        return all(v.holds for v in self)

    def __str__(self) -> str:
        return render.verdicts_text(self)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        return render.verdicts_html(self)


@dataclass(frozen=True)
class Exercise:
    """One exercise of a lesson: its checker, and the notebook source holding its worked solution.

    The checker takes the learner's answer and returns None when it is right (or the message key
    of a remark to show with the ✔); it raises `exercises.Wrong` when the answer is wrong and
    `exercises.FormError` when it does not have the expected form.
    """

    lesson: int
    number: int
    check: Callable[[object], str | None] = field(repr=False, compare=False)
    label: str | Text = ""  # how feedback names it: "6", or "2 (lesson 2)" outside the first lesson

    def key(self, what: str) -> str:
        """The message key of `what` ("form", "ok", "hint.2", "solution" …) for this exercise."""
        return f"exercises.l{self.lesson}.{self.number}.{what}"


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer, worded when shown.

    `status` is "correct", "wrong" or "unanswered" (the answer is still None or ...); `correct`
    is True only for "correct". `headline` says what was found, `hint` what to try.
    """

    exercise: int
    status: str
    headline: Text
    hint: Text | None = None
    lesson: int = 0
    label: str | Text = ""

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    @property
    def message(self) -> str:
        """The headline in the current language."""
        return self.headline.render()

    def __str__(self) -> str:
        return render.feedback_text(self)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        return render.feedback_html(self)


@dataclass(frozen=True)
class Help:
    """A hint or a worked solution. `code` maps each language to the solution's code, with that
    language's comments; `kind` is "hint", "solution" or "solution-hidden"."""

    exercise: int
    title: Text
    body: Text
    code: Mapping[str, str] | None = None
    note: Text | None = None
    kind: str = "hint"
    lesson: int = 0

    @property
    def text(self) -> str:
        return self.body.render()

    def code_in(self, language: str | None = None) -> str | None:
        """The code with the comments of `language` (default: the current one)."""
        if self.code is None:
            return None
        return self.code.get(language or get_language()) or next(iter(self.code.values()))

    def __str__(self) -> str:
        return render.help_text(self)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        return render.help_html(self)


def frozen(mapping: Mapping[str, object] | None) -> Mapping[str, object] | None:
    """A read-only copy of `mapping` (None stays None), for the records above."""
    return None if mapping is None else MappingProxyType(dict(mapping))


__all__ = [
    "CELL_KINDS",
    "FEEDBACK_STATUSES",
    "QUOTE_KINDS",
    "STATUSES",
    "Claim",
    "Evidence",
    "Exercise",
    "Feedback",
    "Help",
    "Quote",
    "Verdict",
    "Verdicts",
    "frozen",
]
