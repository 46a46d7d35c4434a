"""Exercises of every lesson: `check(n, answer, lesson=k)`, `hint(…)` and `solution(…)`.

Each lesson registers its checkers with `exercise(lesson=k, number=n, solution=code)` in its
module under `autograd_lessons.course` (for example `course/lesson1/exercises.py`). A checker
takes the learner's answer and returns None when it is right (or the message key of a remark to
show with the ✔); it raises `Wrong` (with a hint) when it is wrong and `FormError` when the
answer does not have the expected form. The public helpers below read answers safely.

`check` returns a Feedback whose status is "correct", "wrong" or "unanswered" (the answer is
still None or ...). All learner code, and everything that reads the answer, runs under
`autograd_lessons.guard`: whatever it raises, however long it loops and however much memory it
asks for, `check` returns feedback and the kernel keeps working. A wrong form gives feedback
too; only a wrong exercise or lesson number raises LessonError.

`hint(n)` gives the next hint for exercise n at each call (the last one is almost the answer
and repeats from then on); `solution(n)` shows the worked solution, explanation and code,
unless the environment variable AUTOGRAD_LESSONS_SOLUTIONS is "hidden" (see `solutions_hidden`).
A lesson's messages for exercise n live under "exercises.l<lesson>.<n>.": form, ok, hint.1 …,
solution.
"""

from __future__ import annotations

import html
import math
import numbers
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

import torch

from autograd_lessons import course, guard
from autograd_lessons.i18n import MESSAGES, LessonError, get_language, message
from autograd_lessons.numbers import shape_text, shortest
from autograd_lessons.palette import badge_html
from autograd_lessons.verdicts import compare

STATUSES = ("correct", "wrong", "unanswered")
DEFAULT_LESSON = 1  # a bare exercise number is lesson 1's (its notebooks predate lessons)
# A float64 answer that misses by more than compare's ulps but is within this many float32
# ulps went through float32 somewhere (about 7 significant digits: 2⁻²³ · 64 ≈ 8e-6 relative).
FLOAT32_ULPS = 64
_SYMBOLS = {"correct": "✔", "wrong": "✘", "unanswered": "○"}
# A teacher hides the worked solutions by setting this environment variable to SOLUTIONS_HIDDEN
# where the kernels start (a JupyterHub spawner's environment, for instance). It is read at each
# call, not at import, so it holds for every kernel the hub starts and can be changed without
# reinstalling. The value is compared after strip() and lower(); any other value, unset or empty
# included, shows the solutions: a switch that only hides never breaks a course that ignores it.
SOLUTIONS_VARIABLE = "AUTOGRAD_LESSONS_SOLUTIONS"
SOLUTIONS_HIDDEN = "hidden"


def key(lesson: int, number: int, what: str) -> str:
    """The message key of `what` ("form", "ok", "hint.2", "solution" …) for exercise `number` of `lesson`."""
    return f"exercises.l{lesson}.{number}.{what}"


# --------------------------------------------------------------------------- feedback


@dataclass(frozen=True)
class Feedback:
    """The verdict on one exercise, with a message (and maybe a hint) in the learner's language.

    `status` is "correct", "wrong" or "unanswered" (neither: the answer is still None or ...);
    `correct` is True only for "correct".
    """

    exercise: int
    status: str
    message: str
    hint: str | None = None
    language: str = field(default_factory=get_language, repr=False, compare=False)
    lesson: int = DEFAULT_LESSON

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    def _header(self) -> str:
        return message(
            f"exercises.status.{self.status}", self.language, number=label(self.lesson, self.exercise, self.language)
        )

    def __str__(self) -> str:
        text = f"{_SYMBOLS[self.status]} {self._header()} — {self.message}"
        if self.hint:
            text += "\n  " + message("exercises.hint", self.language, hint=self.hint)
        return text

    __repr__ = __str__

    def _repr_html_(self) -> str:
        badge = badge_html(f"{_SYMBOLS[self.status]} {self._header()}", self.status)
        text = f"{badge} {html.escape(self.message)}"
        if self.hint:
            text += f"<br><i>{html.escape(message('exercises.hint', self.language, hint=self.hint))}</i>"
        return f'<div class="autograd-lessons-feedback" data-status="{self.status}">{text}</div>'


@dataclass(frozen=True)
class Help:
    """A hint or a worked solution, shown as text or HTML in the learner's language."""

    exercise: int
    title: str
    text: str
    code: str | None = None
    note: str | None = None
    kind: str = "hint"
    lesson: int = DEFAULT_LESSON

    def __str__(self) -> str:
        parts = [self.title, self.text]
        if self.code:
            parts.append("\n".join("    " + line if line else "" for line in self.code.splitlines()))
        if self.note:
            parts.append(self.note)
        return "\n\n".join(parts)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        parts = [f"<b>{html.escape(self.title)}</b>", f"<p>{html.escape(self.text)}</p>"]
        if self.code:
            parts.append(f"<pre><code>{html.escape(self.code)}</code></pre>")
        if self.note:
            parts.append(f"<p><i>{html.escape(self.note)}</i></p>")
        return f'<div class="autograd-lessons-{self.kind}" data-lesson="{self.lesson}" data-exercise="{self.exercise}">{"".join(parts)}</div>'


def label(lesson: int, number: int, language: str | None = None) -> str:
    """How feedback names an exercise: "6" in lesson 1, "2 (lesson 4)" elsewhere."""
    if lesson == DEFAULT_LESSON:
        return str(number)
    return message("exercises.label", language, number=number, lesson=lesson)


# --------------------------------------------------------------------------- judging helpers


class Wrong(Exception):
    """Raised inside a checker: the answer is wrong, with this hint key, its fields and a headline."""

    def __init__(self, hint: str, headline: str = "exercises.incorrect", **fields: object) -> None:
        super().__init__(hint)
        self.hint, self.headline, self.fields = hint, headline, fields


class FormError(Exception):
    """Raised inside a checker: the answer does not have the expected form (key says how)."""

    def __init__(self, key: str | None = None, **fields: object) -> None:
        super().__init__(key)
        self.key, self.fields = key, fields


class LearnerRaised(Exception):
    """The learner's function raised; `kind` and `detail` describe it (no frames kept)."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(kind)
        self.kind, self.detail = kind, detail

    @property
    def text(self) -> str:
        return f"{self.kind}: {self.detail}" if self.detail else self.kind


def kind_name(value: object) -> str:
    return "None" if value is None else type(value).__name__


def result_name() -> str:
    return message("exercises.name.result")


def as_tensor(value: object, shape: tuple[int, ...] | None = None, name: str | None = None) -> torch.Tensor:
    """`value` as a plain CPU float tensor (numpy arrays accepted), or FormError saying what is off."""
    name = name or result_name()
    numpy = sys.modules.get("numpy")
    if numpy is not None and isinstance(value, (numpy.ndarray, numpy.generic)):
        if value.dtype.kind not in "fiub":
            raise FormError("exercises.form.not_tensor", name=name, kind=f"numpy {value.dtype}")
        value = torch.from_numpy(numpy.array(value, copy=True))
    if not isinstance(value, torch.Tensor):
        raise FormError("exercises.form.not_tensor", name=name, kind=kind_name(value))
    value = value.detach().as_subclass(torch.Tensor)
    if value.device.type == "meta":
        raise FormError("exercises.form.device", name=name, device="meta")
    if value.layout != torch.strided:
        value = value.to_dense()
    value = value.cpu()
    if not value.dtype.is_floating_point:
        raise FormError("exercises.form.dtype", name=name, dtype=str(value.dtype))
    if shape is not None and tuple(value.shape) != shape:
        raise FormError("exercises.form.shape", name=name, actual=shape_text(value.shape), expected=shape_text(shape))
    return value


def agreement(actual: torch.Tensor, expected: torch.Tensor) -> str:
    """ "same" (equal up to rounding in actual's dtype), "float32" (only to float32 precision) or "no"."""
    if compare(actual, expected.to(actual.dtype)).status != "false":
        return "same"
    if (
        actual.dtype == torch.float64
        and compare(actual.float(), expected.float(), tolerance=FLOAT32_ULPS).status != "false"
    ):
        return "float32"
    return "no"


def worst_index(actual: torch.Tensor, expected: torch.Tensor) -> int:
    """The flat index where `actual` is furthest from `expected` (NaN counts as furthest)."""
    error = torch.nan_to_num((actual.double() - expected.double()).abs().reshape(-1), nan=math.inf)
    return int(torch.argmax(error))


def precision_error(actual: torch.Tensor, expected: torch.Tensor, points: torch.Tensor) -> Wrong:
    i = worst_index(actual, expected)
    flat_a, flat_e = actual.reshape(-1), expected.reshape(-1)
    return Wrong(
        "exercises.precision",
        "exercises.precision_headline",
        dtype=str(actual.dtype).removeprefix("torch."),
        x=shortest(float(points.reshape(-1)[i]), points.dtype),
        actual=shortest(float(flat_a[i]), actual.dtype),
        expected=shortest(float(flat_e[i]), actual.dtype),
    )


def close(actual: torch.Tensor, expected: torch.Tensor) -> bool:
    return compare(actual, expected.to(actual.dtype)).status != "false"


def seconds(value: object, name: str) -> float:
    """A time in seconds: a Python number, a numpy scalar or a 0-d tensor or array."""
    numpy = sys.modules.get("numpy")
    if (
        isinstance(value, torch.Tensor)
        and value.dim() == 0
        and not value.dtype.is_complex
        and value.dtype != torch.bool
    ):
        return float(value.item())
    if numpy is not None and isinstance(value, (numpy.ndarray, numpy.generic)):
        if value.ndim == 0 and value.dtype.kind in "fiu":
            return float(value)
    elif isinstance(value, numbers.Real) and not isinstance(value, bool):
        return float(value)
    raise FormError("exercises.form.number", name=name, kind=kind_name(value))


def keys(answer: object, *keys: str) -> dict:
    if not isinstance(answer, dict):
        raise FormError("exercises.form.not_dict", kind=kind_name(answer))
    missing = [key for key in keys if key not in answer]
    if missing:
        raise FormError("exercises.form.keys", missing=", ".join(f'"{key}"' for key in missing))
    return answer


def pair(answer: object) -> tuple:
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        kind = f"{kind_name(answer)} len={len(answer)}" if isinstance(answer, (tuple, list)) else kind_name(answer)
        raise FormError("exercises.form.pair", kind=kind)
    return tuple(answer)


def call(function: object, *args: object) -> object:
    """Call the learner's function; what it raises becomes LearnerRaised (the guard's own stops pass)."""
    if not callable(function):
        raise FormError(
            "exercises.form.not_callable", name=message("exercises.name.function"), kind=kind_name(function)
        )
    try:
        return function(*args)
    except BaseException as error:  # noqa: BLE001 - SystemExit, KeyboardInterrupt… are feedback too
        if guard.should_propagate(error):
            raise
        raise LearnerRaised(*guard.describe(error)) from None


def _mode_depth() -> int:
    return torch._C._len_torch_function_stack()


def _restore_modes(depth: int) -> None:
    """Pop torch function modes above `depth` (left behind only if a stop cut an exit short)."""
    while torch._C._len_torch_function_stack() > depth:
        torch._C._pop_torch_function_stack()


# --------------------------------------------------------------------------- the registry


@dataclass(frozen=True)
class Exercise:
    """One exercise of a lesson: its checker and the code of its worked solution."""

    lesson: int
    number: int
    check: Callable[[object], str | None]
    solution: str


_exercises: dict[tuple[int, int], Exercise] = {}


def exercise(*, lesson: int, number: int, solution: str) -> Callable[[Callable], Callable]:
    """Register a checker as exercise `number` of `lesson` (a decorator); `solution` is the code
    of the worked solution, which leaves the answer in `answer` and which the checker accepts."""
    if lesson not in course.LESSONS:
        raise ValueError(f"exercise {number}: lesson {lesson} is not in course.LESSONS")
    if (lesson, number) in _exercises:
        raise ValueError(f"exercise {number} of lesson {lesson} is registered twice")
    for what in ("form", "ok", "solution", "hint.1"):
        if key(lesson, number, what) not in MESSAGES:
            raise ValueError(f"exercise {number} of lesson {lesson} has no message {key(lesson, number, what)!r}")

    def register(checker: Callable[[object], str | None]) -> Callable[[object], str | None]:
        _exercises[(lesson, number)] = Exercise(lesson, number, checker, solution)
        return checker

    return register


def exercises(lesson: int = DEFAULT_LESSON) -> tuple[Exercise, ...]:
    """The exercises of `lesson`, in order."""
    course.load_all("exercises")
    return tuple(_exercises[k] for k in sorted(_exercises) if k[0] == lesson)


def _find(number: object, lesson: object) -> Exercise:
    course.load_all("exercises")
    lessons = sorted({k[0] for k in _exercises})
    if isinstance(lesson, bool) or lesson not in lessons:
        raise LessonError(
            message("exercises.unknown_lesson", lesson=repr(lesson)[:40], valid=", ".join(map(str, lessons)))
        )
    numbers_ = [e.number for e in exercises(lesson)]
    if isinstance(number, bool) or not isinstance(number, int) or number not in numbers_:
        valid = f"{numbers_[0]}–{numbers_[-1]}"
        raise LessonError(message("exercises.unknown", number=repr(number)[:40], lesson=lesson, valid=valid))
    return _exercises[(lesson, number)]


def _form(item: Exercise) -> str:
    return message(key(item.lesson, item.number, "form"))


def _judge(item: Exercise, answer: object) -> Feedback:
    """Run the exercise's checker on `answer` (under the guard) and word the verdict."""
    form, number, lesson = _form(item), item.number, item.lesson
    try:
        remark = item.check(answer)
    except FormError as bad:
        form_hint = message("exercises.form_hint", form=form)
        if bad.key:  # a sentence before it: the form hint starts a new sentence
            form_hint = message(bad.key, **bad.fields) + " " + form_hint[:1].upper() + form_hint[1:]
        return Feedback(number, "wrong", message("exercises.bad_form"), form_hint, lesson=lesson)
    except Wrong as wrong:
        return Feedback(number, "wrong", message(wrong.headline), message(wrong.hint, **wrong.fields), lesson=lesson)
    except LearnerRaised as raised:
        which = "exercises.recursion" if raised.kind == "RecursionError" else "exercises.raised"
        return Feedback(
            number, "wrong", message("exercises.raised_headline"), message(which, error=raised.text), lesson=lesson
        )
    except LessonError as error:  # compare refused (shape or dtype): treat as the wrong form
        form_hint = message("exercises.form_hint", form=form)
        return Feedback(
            number,
            "wrong",
            message("exercises.bad_form"),
            f"{error} {form_hint[:1].upper()}{form_hint[1:]}",
            lesson=lesson,
        )
    return Feedback(
        number, "correct", message(key(lesson, number, "ok")), message(remark) if remark else None, lesson=lesson
    )


def _memory_text(limit: float | None) -> str:
    return f"{limit / 2**30:.3g} GiB" if limit >= 2**30 else f"{limit / 2**20:.3g} MiB"


def _failure_feedback(item: Exercise, failure: guard.Failure) -> Feedback:
    number, lesson = item.number, item.lesson
    if failure.kind == "timeout":
        seconds_ = shortest(failure.limit) if failure.limit is not None else "?"
        return Feedback(
            number,
            "wrong",
            message("exercises.timeout", seconds=seconds_),
            message("exercises.timeout_hint"),
            lesson=lesson,
        )
    if failure.kind == "memory":
        headline = (
            message("exercises.memory", limit=_memory_text(failure.limit))
            if failure.limit
            else message("exercises.memory_unlimited")
        )
        return Feedback(number, "wrong", headline, message("exercises.memory_hint"), lesson=lesson)
    error = f"{failure.exception_type}: {failure.detail}" if failure.detail else failure.exception_type
    return Feedback(
        number,
        "wrong",
        message("exercises.answer_raised", error=error),
        message("exercises.form_hint", form=_form(item)),
        lesson=lesson,
    )


def check(number: int, answer: object, *, lesson: int = DEFAULT_LESSON) -> Feedback:
    """Judge the answer to exercise `number` of `lesson`; the Feedback says why, in the current language.

    None or ... means "not answered yet" (a neutral verdict). Everything the answer runs goes
    through `guard.run`, within guard.TIME_LIMIT_SECONDS and guard.MEMORY_HEADROOM_BYTES.
    """
    item = _find(number, lesson)
    if answer is None or answer is ...:
        return Feedback(
            item.number, "unanswered", message("exercises.unanswered", form=_form(item)), lesson=item.lesson
        )
    depth = _mode_depth()
    try:
        outcome = guard.run(_judge, item, answer)
    finally:
        _restore_modes(depth)
    if outcome.failure is not None:
        return _failure_feedback(item, outcome.failure)
    return outcome.value


# --------------------------------------------------------------------------- hints and solutions

_hints_shown: dict[tuple[int, int], int] = {}


def _hint_count(item: Exercise) -> int:
    count = 0
    while key(item.lesson, item.number, f"hint.{count + 1}") in MESSAGES:
        count += 1
    return count


def solutions_hidden() -> bool:
    """Whether the teacher turned the worked solutions off: SOLUTIONS_VARIABLE is "hidden",
    in any case and with any surrounding spaces. Read from the environment at each call."""
    return os.environ.get(SOLUTIONS_VARIABLE, "").strip().lower() == SOLUTIONS_HIDDEN


def _arguments(item: Exercise) -> str:
    """The arguments that name this exercise in a call: "6", or "2, lesson=4" outside lesson 1."""
    return str(item.number) if item.lesson == DEFAULT_LESSON else f"{item.number}, lesson={item.lesson}"


def hint(number: int, *, lesson: int = DEFAULT_LESSON) -> Help:
    """The next hint for exercise `number` of `lesson`: a nudge first, then more specific, the
    last almost the answer. Each call moves one hint on; once the last is reached it is
    repeated, saying it is the last (and pointing to `solution`, unless solutions are hidden).
    """
    item = _find(number, lesson)
    total = _hint_count(item)
    before = _hints_shown.get((item.lesson, item.number), 0)
    step = min(before + 1, total)
    _hints_shown[(item.lesson, item.number)] = step
    which = "exercises.help.last_hint" if step == total else "exercises.help.hint"
    name = label(item.lesson, item.number)
    note = None
    if before >= total:
        if solutions_hidden():
            note = message("exercises.help.no_more_hidden")
        else:
            note = message("exercises.help.no_more", call=_arguments(item))
    return Help(
        item.number,
        message(which, step=step, total=total, number=name),
        message(key(item.lesson, item.number, f"hint.{step}")),
        note=note,
        lesson=item.lesson,
    )


def solution(number: int, *, lesson: int = DEFAULT_LESSON) -> Help:
    """The worked solution of exercise `number` of `lesson`: an explanation and code `check` accepts.

    When `solutions_hidden()`, a Help without code instead, saying that the teacher turned the
    solutions off and pointing to `hint`.
    """
    item = _find(number, lesson)
    if solutions_hidden():
        return Help(
            item.number,
            message("exercises.help.solution_hidden_title", number=label(item.lesson, item.number)),
            message("exercises.help.solution_hidden", call=_arguments(item)),
            kind="solution-hidden",
            lesson=item.lesson,
        )
    return Help(
        item.number,
        message("exercises.help.solution", number=label(item.lesson, item.number)),
        message(key(item.lesson, item.number, "solution")),
        code=item.solution,
        kind="solution",
        lesson=item.lesson,
    )


__all__ = [
    "DEFAULT_LESSON",
    "Exercise",
    "FLOAT32_ULPS",
    "Feedback",
    "FormError",
    "Help",
    "LearnerRaised",
    "SOLUTIONS_HIDDEN",
    "SOLUTIONS_VARIABLE",
    "STATUSES",
    "Wrong",
    "agreement",
    "as_tensor",
    "call",
    "check",
    "close",
    "exercise",
    "exercises",
    "hint",
    "keys",
    "kind_name",
    "label",
    "pair",
    "precision_error",
    "result_name",
    "seconds",
    "solution",
    "solutions_hidden",
    "worst_index",
]
