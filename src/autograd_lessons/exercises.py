"""Exercises of every lesson: `check(n, answer, lesson=k)`, `hint(…)` and `solution(…)`.

Each lesson registers its checkers with ``LESSON.exercise(n)`` in its own package (see
`autograd_lessons.course`). A checker takes the learner's answer and returns None when it is
right (or the message key of a remark to show with the ✔); it raises `Wrong` (with a hint) when
it is wrong and `FormError` when the answer does not have the expected form. The helpers below
read answers safely.

`check` returns a `results.Feedback` whose status is "correct", "wrong" or "unanswered" (the
answer is still None or ...). All learner code, and everything that reads the answer, runs under
`autograd_lessons.guard`: whatever it raises, however long it loops and however much memory it
asks for, `check` returns feedback and the kernel keeps working. A wrong form gives feedback
too; only a wrong exercise or lesson number raises LessonError.

`hint(n)` gives the next hint for exercise n at each call (the last one is almost the answer
and repeats from then on); `solution(n)` shows the worked solution — the explanation, and the code
of the solutions notebook's cells marked for it — unless the environment variable
AUTOGRAD_LESSONS_SOLUTIONS is "hidden" (see `solutions_hidden`). A lesson's messages for
exercise n live under "exercises.l<lesson>.<n>.": form, ok, hint.1 …, solution.
"""

from __future__ import annotations

import functools
import inspect
import math
import numbers
import os
import sys

import torch

from autograd_lessons import course, guard
from autograd_lessons.i18n import MESSAGES, LessonError, Text, message, text
from autograd_lessons.numbers import memory_text, shape_text, shortest
from autograd_lessons.results import FEEDBACK_STATUSES, Exercise, Feedback, Help
from autograd_lessons.verdicts import compare

STATUSES = FEEDBACK_STATUSES
# A float64 answer that misses by more than compare's ulps but is within this many float32
# ulps went through float32 somewhere (about 7 significant digits: 2⁻²³ · 64 ≈ 8e-6 relative).
FLOAT32_ULPS = 64
# A teacher hides the worked solutions by setting this environment variable to SOLUTIONS_HIDDEN
# where the kernels start (a JupyterHub spawner's environment, for instance). It is read at each
# call, not at import, so it holds for every kernel the hub starts and can be changed without
# reinstalling. The value is compared after strip() and lower(); any other value, unset or empty
# included, shows the solutions: a switch that only hides never breaks a course that ignores it.
SOLUTIONS_VARIABLE = "AUTOGRAD_LESSONS_SOLUTIONS"
SOLUTIONS_HIDDEN = "hidden"


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
        """ "Kind: detail", without a final period (the sentence around it ends with one)."""
        return _error_text(self.kind, self.detail)


def _error_text(kind: str, detail: str | None) -> str:
    """ "Kind: detail" as a clause for a sentence: no final period, so no "behavior.. Fix"."""
    return (f"{kind}: {detail}" if detail else kind).rstrip(" .")


# What a value is, in words a learner reads in a sentence ("not a function (`f`)"), checked in
# this order: the first test that holds names the kind; anything else is "an object of type X".
_KINDS = (
    ("none", lambda v: v is None),
    ("bool", lambda v: isinstance(v, bool)),
    ("number", lambda v: isinstance(v, numbers.Number)),
    ("string", lambda v: isinstance(v, (str, bytes))),
    ("tensor", lambda v: isinstance(v, torch.Tensor)),
    ("array", lambda v: type(v).__module__ == "numpy" and hasattr(v, "dtype")),
    ("dict", lambda v: isinstance(v, dict)),
    ("list", lambda v: isinstance(v, list)),
    ("tuple", lambda v: isinstance(v, tuple)),
    ("set", lambda v: isinstance(v, (set, frozenset))),
    ("generator", lambda v: inspect.isgenerator(v) or inspect.isasyncgen(v) or inspect.iscoroutine(v)),
    ("class", lambda v: isinstance(v, type)),
    ("module", lambda v: isinstance(v, torch.nn.Module)),
    ("error", lambda v: isinstance(v, BaseException)),
    ("function", lambda v: inspect.isroutine(v) or isinstance(v, functools.partial)),
)
SHOWN_NAME_CHARS = 40  # a learner's name longer than this is cut in a sentence


def _shown_name(value: object, kind: str) -> str:
    """The name a learner gave `value` (a function's, a class's), or its type's name."""
    if kind in ("class", "function"):
        name = getattr(value, "__name__", None) or getattr(getattr(value, "func", None), "__name__", None)
    else:
        name = None
    return str(name or type(value).__name__)[:SHOWN_NAME_CHARS]


def _holds(test, value: object) -> bool:
    try:
        return bool(test(value))
    except Exception:  # a learner's object whose isinstance or attributes raise
        return False


def kind_text(value: object) -> Text:
    """What `value` is, as words for a sentence in the current language: "a function (`f`)",
    "a list of 3 items", "None"; never a bare Python type name such as "function"."""
    kind = next((kind for kind, test in _KINDS if _holds(test, value)), None)
    if kind is None:
        return text("exercises.kind.other", type=_shown_name(value, "other"))
    if kind in ("list", "tuple"):
        count = len(value)
        return text(f"exercises.kind.{kind}_one" if count == 1 else f"exercises.kind.{kind}", count=count)
    if kind in ("class", "function", "module", "error"):
        return text(f"exercises.kind.{kind}", name=_shown_name(value, kind))
    return text(f"exercises.kind.{kind}")


def choice(value: object, right: str, options: str, question: str) -> None:
    """Judge a lettered multiple-choice answer ("b", "B", "(b)" and "b)" all read as "b").

    `options` are the letters the statement offers, `right` the right one; a wrong letter raises
    Wrong with the hint `<question>.<letter>`, the reason that option does not hold (each wrong
    option names its own misconception); anything else raises FormError listing the options.
    """
    letter = value.strip().strip("().").strip().lower() if isinstance(value, str) else None
    if not letter or len(letter) != 1 or letter not in options:
        listed = ", ".join(f'"{option}"' for option in options)
        kind = f'"{value[:SHOWN_NAME_CHARS]}"' if isinstance(value, str) else kind_text(value)
        raise FormError("exercises.form.choice", options=listed, kind=kind)
    if letter != right:
        raise Wrong(f"{question}.{letter}", headline="exercises.wrong_choice", letter=letter)


def result_name() -> Text:
    return text("exercises.name.result")


def as_tensor(value: object, shape: tuple[int, ...] | None = None, name: str | None = None) -> torch.Tensor:
    """`value` as a plain CPU float tensor, or FormError saying what is off. A NumPy array is
    refused with its own advice: the statements ask for tensors, and an array has left autograd."""
    name = name or result_name()
    numpy = sys.modules.get("numpy")
    if numpy is not None and isinstance(value, (numpy.ndarray, numpy.generic)):
        raise FormError("exercises.form.numpy", name=name)
    if not isinstance(value, torch.Tensor):
        raise FormError("exercises.form.not_tensor", name=name, kind=kind_text(value))
    value = value.detach()
    if value.device.type == "meta":
        raise FormError("exercises.form.device", name=name, device="meta")
    if value.layout != torch.strided:  # sparse (COO, CSR…): made dense first, it has no strides to view
        value = value.to_dense()
    value = value.as_subclass(torch.Tensor).cpu()
    if not value.dtype.is_floating_point:
        raise FormError("exercises.form.dtype", name=name, dtype=str(value.dtype))
    if shape is not None and tuple(value.shape) != shape:
        raise FormError("exercises.form.shape", name=name, actual=shape_text(value.shape), expected=shape_text(shape))
    return value


def agreement(actual: torch.Tensor, expected: torch.Tensor) -> str:
    """ "same" (equal up to rounding in actual's dtype), "float32" (a float64 answer that went
    through float32: close only to float32 precision, and every value a float32 number) or "no".
    A float64 answer close to float32 precision whose values are not float32 numbers came from
    another method (finite differences, a series): "no", for the checker to name it."""
    if compare(actual, expected.to(actual.dtype)).status != "false":
        return "same"
    if (
        actual.dtype == torch.float64
        and compare(actual.float(), expected.float(), tolerance=FLOAT32_ULPS).status != "false"
        and torch.equal(torch.nan_to_num(actual), torch.nan_to_num(actual.float().double()))
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
    raise FormError("exercises.form.number", name=name, kind=kind_text(value))


def keys(answer: object, *keys: str) -> dict:
    if not isinstance(answer, dict):
        raise FormError("exercises.form.not_dict", kind=kind_text(answer))
    missing = [key for key in keys if key not in answer]
    if missing:
        raise FormError("exercises.form.keys", missing=", ".join(f'"{key}"' for key in missing))
    return answer


def pair(answer: object) -> tuple:
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        raise FormError("exercises.form.pair", kind=kind_text(answer))
    return tuple(answer)


def call(function: object, *args: object) -> object:
    """Call the learner's function; what it raises becomes LearnerRaised (the guard's own stops pass)."""
    if not callable(function):
        raise FormError("exercises.form.not_callable", name=text("exercises.name.function"), kind=kind_text(function))
    try:
        return function(*args)
    except BaseException as error:
        if guard.should_propagate(error):
            raise
        raise LearnerRaised(*guard.describe(error)) from None


def _mode_depth() -> int:
    return torch._C._len_torch_function_stack()


def _restore_modes(depth: int) -> None:
    """Pop torch function modes above `depth` (left behind only if a stop cut an exit short)."""
    while torch._C._len_torch_function_stack() > depth:
        torch._C._pop_torch_function_stack()


# --------------------------------------------------------------------------- finding an exercise


def exercises(lesson: int | None = None) -> tuple[Exercise, ...]:
    """The exercises of `lesson` (default: the course's first), in order."""
    found = course.lesson(course.first() if lesson is None else lesson, "exercises")
    return tuple(found.exercises[n] for n in sorted(found.exercises))


def _find(number: object, lesson: object) -> Exercise:
    lesson = course.first() if lesson is None else lesson
    if isinstance(lesson, bool) or lesson not in course.numbers() or not course.lesson(lesson, "exercises").exercises:
        with_exercises = ", ".join(str(each.number) for each in course.loaded("exercises") if each.exercises)
        error = message("exercises.unknown_lesson", lesson=repr(lesson)[:40], valid=with_exercises or "—")
        raise LessonError(error + course.broken_note())
    found = course.lesson(lesson, "exercises").exercises
    numbers_ = sorted(found)
    if isinstance(number, bool) or not isinstance(number, int) or number not in numbers_:
        valid = f"{numbers_[0]}–{numbers_[-1]}"
        raise LessonError(message("exercises.unknown", number=repr(number)[:40], lesson=lesson, valid=valid))
    return found[number]


def _feedback(item: Exercise, status: str, headline: Text, hint: Text | None = None) -> Feedback:
    return Feedback(item.number, status, headline, hint, lesson=item.lesson, label=item.label)


def _form_hint(item: Exercise, before: Text | None = None) -> Text:
    """ "The answer should be …", after a sentence saying what is off (`before`) when there is one."""
    form = text(item.key("form"))
    if before is None:
        return text("exercises.form_hint", form=form)
    return text("exercises.form_hint_after", before=before, form=form)


def _judge(item: Exercise, answer: object) -> Feedback:
    """Run the exercise's checker on `answer` (under the guard) and say what was found."""
    try:
        remark = item.check(answer)
    except FormError as bad:
        before = text(bad.key, **bad.fields) if bad.key else None
        return _feedback(item, "wrong", text("exercises.bad_form"), _form_hint(item, before))
    except Wrong as wrong:
        return _feedback(item, "wrong", text(wrong.headline, **wrong.fields), text(wrong.hint, **wrong.fields))
    except LearnerRaised as raised:
        if raised.kind == "SystemExit":  # exit() would end the kernel; the guard kept it alive
            return _feedback(item, "wrong", text("exercises.raised_headline"), text("exercises.exited"))
        which = "exercises.recursion" if raised.kind == "RecursionError" else "exercises.raised"
        return _feedback(item, "wrong", text("exercises.raised_headline"), text(which, error=raised.text))
    except LessonError as error:  # compare refused (shape or dtype): treat as the wrong form
        before = error.text if error.text is not None else text("exercises.plain", words=str(error))
        return _feedback(item, "wrong", text("exercises.bad_form"), _form_hint(item, before))
    return _feedback(item, "correct", text(item.key("ok")), text(remark) if remark else None)


def stop_texts(failure: guard.Failure) -> tuple[Text, Text] | None:
    """The headline and hint for learner code the guard stopped: after its time limit (the
    limit named, "?" if unknown) or for asking too much memory (the headroom named, or the
    computer's limit where none was set). None for a failure that is an error raised."""
    if failure.kind == "timeout":
        seconds_ = shortest(failure.limit) if failure.limit is not None else "?"
        return text("exercises.timeout", seconds=seconds_), text("exercises.timeout_hint")
    if failure.kind == "memory":
        headline = (
            text("exercises.memory", limit=memory_text(failure.limit))
            if failure.limit
            else text("exercises.memory_unlimited")
        )
        return headline, text("exercises.memory_hint")
    return None


def _failure_feedback(item: Exercise, failure: guard.Failure) -> Feedback:
    stopped = stop_texts(failure)
    if stopped is not None:
        return _feedback(item, "wrong", *stopped)
    error = _error_text(failure.exception_type, failure.detail)
    return _feedback(item, "wrong", text("exercises.answer_raised", error=error), _form_hint(item))


def check(number: int, answer: object, *, lesson: int | None = None) -> Feedback:
    """Judge the answer to exercise `number` of `lesson` (default: the course's first); the
    Feedback says why, in the language current when it is shown.

    None or ... means "not answered yet" (a neutral verdict). Everything the answer runs goes
    through `guard.run`, within guard.TIME_LIMIT_SECONDS and guard.MEMORY_HEADROOM_BYTES.
    """
    item = _find(number, lesson)
    if answer is None or answer is ...:
        return _feedback(item, "unanswered", text("exercises.unanswered", form=text(item.key("form"))))
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
    while item.key(f"hint.{count + 1}") in MESSAGES:
        count += 1
    return count


def solutions_hidden() -> bool:
    """Whether the teacher turned the worked solutions off: SOLUTIONS_VARIABLE is "hidden",
    in any case and with any surrounding spaces. Read from the environment at each call."""
    return os.environ.get(SOLUTIONS_VARIABLE, "").strip().lower() == SOLUTIONS_HIDDEN


def _arguments(item: Exercise) -> str:
    """The arguments that name this exercise in a call: "6", or "2, lesson=2" outside the first lesson."""
    return str(item.number) if item.lesson == course.first() else f"{item.number}, lesson={item.lesson}"


def hint(number: int, *, lesson: int | None = None) -> Help:
    """The next hint for exercise `number` of `lesson`: a nudge first, then more specific, the
    last almost the answer. Each call moves one hint on; once the last is reached it is
    repeated, saying it is the last (and pointing to `solution`, unless solutions are hidden).
    """
    item = _find(number, lesson)
    total = _hint_count(item)
    if total == 0:  # an exercise a teacher added without hints
        body = (
            text("exercises.help.no_hints_hidden")
            if solutions_hidden()
            else text("exercises.help.no_hints", call=_arguments(item))
        )
        return Help(item.number, text("exercises.help.no_hints_title", number=item.label), body, lesson=item.lesson)
    before = _hints_shown.get((item.lesson, item.number), 0)
    step = min(before + 1, total)
    _hints_shown[(item.lesson, item.number)] = step
    which = "exercises.help.last_hint" if step == total else "exercises.help.hint"
    note = None
    if before >= total:
        if solutions_hidden():
            note = text("exercises.help.no_more_hidden")
        else:
            note = text("exercises.help.no_more", call=_arguments(item))
    title = text(which, step=step, total=total, number=item.label)
    return Help(item.number, title, text(item.key(f"hint.{step}")), note=note, lesson=item.lesson)


def solution(number: int, *, lesson: int | None = None) -> Help:
    """The worked solution of exercise `number` of `lesson`: its explanation, and the code of the
    cells the lesson's solutions notebook marks for it (which `check` accepts).

    When `solutions_hidden()`, a Help without code instead, saying that the teacher turned the
    solutions off and pointing to `hint`.
    """
    item = _find(number, lesson)
    if solutions_hidden():
        return Help(
            item.number,
            text("exercises.help.solution_hidden_title", number=item.label),
            text("exercises.help.solution_hidden", call=_arguments(item)),
            kind="solution-hidden",
            lesson=item.lesson,
        )
    code = course.lesson(item.lesson).solution_code(item.number)
    return Help(
        item.number,
        text("exercises.help.solution", number=item.label),
        text(item.key("solution")),
        code=code if any(code.values()) else None,
        kind="solution",
        lesson=item.lesson,
    )


__all__ = [
    "FLOAT32_ULPS",
    "SOLUTIONS_HIDDEN",
    "SOLUTIONS_VARIABLE",
    "STATUSES",
    "Exercise",
    "Feedback",
    "FormError",
    "Help",
    "LearnerRaised",
    "Wrong",
    "agreement",
    "as_tensor",
    "call",
    "check",
    "close",
    "exercises",
    "hint",
    "keys",
    "choice",
    "kind_text",
    "pair",
    "precision_error",
    "result_name",
    "seconds",
    "solution",
    "solutions_hidden",
    "stop_texts",
    "worst_index",
]
