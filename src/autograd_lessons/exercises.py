"""Checks for the exercises of the lessons: `check(number, answer)` returns a `Feedback`.

Every answer is judged by computing the expected result independently (float64 formulas,
torch.func, the traced graph) and comparing with `claims.compare`; the learner's code is
never matched as text. An answer of the wrong form gives feedback, not an exception.
"""

from __future__ import annotations

import html
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import torch

from autograd_lessons.claims import compare, control_flow
from autograd_lessons.graph import trace
from autograd_lessons.i18n import LessonError, get_language, message
from autograd_lessons.palette import badge_html

NUMBERS = range(1, 9)
X1 = torch.linspace(-3, 3, 1000)
X7 = torch.linspace(0.5, 3.0, 6)
_BADGE = {True: ("✔", "correct"), False: ("✘", "wrong")}


def f5(x):
    """The reference function of exercises 5–7: log(x²)·sin x + 1/x."""
    return torch.log(x ** 2) * torch.sin(x) + 1 / x


def _df5(x: torch.Tensor) -> torch.Tensor:
    """f5' by the chain rule, for float64 references."""
    return 2 / x * torch.sin(x) + torch.log(x ** 2) * torch.cos(x) - 1 / x ** 2


@dataclass(frozen=True)
class Feedback:
    """The verdict on one exercise, with a message (and maybe a hint) in the learner's language."""

    exercise: int
    correct: bool
    message: str
    hint: str | None = None
    language: str = field(default_factory=get_language, repr=False, compare=False)

    def _header(self) -> str:
        key = "exercises.correct" if self.correct else "exercises.wrong"
        return message(key, self.language, number=self.exercise)

    def __str__(self) -> str:
        text = f"{_BADGE[self.correct][0]} {self._header()} — {self.message}"
        if self.hint:
            text += "\n  " + message("exercises.hint", self.language, hint=self.hint)
        return text

    __repr__ = __str__

    def _repr_html_(self) -> str:
        symbol, colour = _BADGE[self.correct]
        badge = badge_html(f"{symbol} {self._header()}", colour)
        text = f"{badge} {html.escape(self.message)}"
        if self.hint:
            text += f"<br><i>{html.escape(message('exercises.hint', self.language, hint=self.hint))}</i>"
        state = "correct" if self.correct else "wrong"
        return f'<div class="autograd-lessons-feedback" data-correct="{state}">{text}</div>'


class _Wrong(Exception):
    """Raised inside a checker: the answer is wrong, with this message key, hint key and fields."""

    def __init__(self, hint: str, **fields: object) -> None:
        super().__init__(hint)
        self.hint, self.fields = hint, fields


class _Form(Exception):
    """Raised inside a checker: the answer does not have the expected form."""


class _CosCalled(Exception):
    """Private sentinel: the learner's dsin called cos directly (exercise 4)."""


def _num(value: float) -> str:
    return f"{value:.6g}"


def _tensor(value: object, shape: tuple[int, ...] | None = None) -> torch.Tensor:
    if not isinstance(value, torch.Tensor) or not value.dtype.is_floating_point:
        raise _Form
    if shape is not None and tuple(value.shape) != shape:
        raise _Form
    return value.detach()


def _close(actual: torch.Tensor, expected: torch.Tensor) -> bool:
    return compare(actual, expected.to(actual.dtype)).status != "false"


def _seconds(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _Form
    return float(value)


def _keys(answer: object, *keys: str) -> dict:
    if not isinstance(answer, dict) or any(k not in answer for k in keys):
        raise _Form
    return answer


def _call(function: object, x: torch.Tensor) -> torch.Tensor:
    if not callable(function):
        raise _Form
    try:
        result = function(x)
    except (_CosCalled, _Wrong, _Form):
        raise
    except Exception as error:  # the learner's code failed: say how, do not crash
        raise _Wrong("exercises.raised", error=f"{type(error).__name__}: {error}") from None
    return _tensor(result, tuple(x.shape))


def _check1(answer: object) -> None:
    answer = _keys(answer, "first_seconds", "second_seconds", "second_derivative")
    first, second = _seconds(answer["first_seconds"]), _seconds(answer["second_seconds"])
    got = _tensor(answer["second_derivative"], tuple(X1.shape))
    if not _close(got, -torch.sin(X1.double())):
        if _close(got, torch.cos(X1.double())):
            raise _Wrong("exercises.1.first_derivative")
        raise _Wrong("exercises.1.values")
    if not all(math.isfinite(t) and t > 0 for t in (first, second)):
        raise _Wrong("exercises.1.times_invalid")
    if second < 0.5 * first:
        raise _Wrong("exercises.1.times_implausible")


def _check2(answer: object) -> None:
    answer = _keys(answer, "error", "grad")
    error, grad = answer["error"], _tensor(answer["grad"], (4,))
    if not isinstance(error, RuntimeError) or "second time" not in str(error):
        raise _Wrong("exercises.2.no_error")
    x = torch.arange(4.0, dtype=torch.float64)
    if _close(grad, 4 * x):
        return
    if _close(grad, 2 * x):
        raise _Wrong("exercises.2.once")
    if _close(grad, 6 * x):
        raise _Wrong("exercises.2.not_zeroed")
    raise _Wrong("exercises.2.values")


def _check3(answer: object) -> None:
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        raise _Form
    a, grad = _tensor(answer[0]), answer[1]
    if a.numel() < 2:
        raise _Wrong("exercises.3.scalar")
    if not isinstance(grad, torch.Tensor):
        raise _Form
    if tuple(grad.shape) != tuple(a.shape):
        raise _Wrong("exercises.3.shape", actual=tuple(grad.shape), expected=tuple(a.shape))
    norm = float(a.double().norm())
    if not math.isfinite(norm) or norm == 0:
        raise _Wrong("exercises.3.zero")
    k = 1
    while 2.0 ** k * norm < 1000:
        k += 1
    slope = 2.0 ** k if float((a * 2.0 ** k).sum()) > 0 else 100 * 2.0 ** k
    if not _close(_tensor(grad), torch.full(a.shape, slope, dtype=torch.float64)):
        raise _Wrong("exercises.3.values", slope=_num(slope), k=k)


def _check4(answer: object) -> None:
    if not callable(answer):
        raise _Form
    x = torch.linspace(-2 * math.pi, 2 * math.pi, 101)

    def refuse(*args: object, **kwargs: object):
        raise _CosCalled

    saved = torch.cos, torch.Tensor.cos, torch.Tensor.cos_
    if any(answer is cos for cos in saved):
        raise _Wrong("exercises.4.uses_cos")
    torch.cos = torch.Tensor.cos = torch.Tensor.cos_ = refuse
    try:
        result = _call(answer, x.clone())
    except _CosCalled:
        raise _Wrong("exercises.4.uses_cos") from None
    finally:
        torch.cos, torch.Tensor.cos, torch.Tensor.cos_ = saved
    if not _close(result, torch.cos(x.double())):
        raise _Wrong("exercises.4.values")


def _check5(answer: object) -> None:
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        raise _Form
    function, ops = answer
    if not isinstance(ops, (list, tuple)) or not all(isinstance(op, str) for op in ops):
        raise _Form
    xs = torch.linspace(0.5, 3.0, 20, dtype=torch.float64)
    if not _close(_call(function, xs), f5(xs)):
        raise _Wrong("exercises.5.values")
    x = torch.tensor(2.0, requires_grad=True)
    y = function(x)
    if not isinstance(y, torch.Tensor) or y.grad_fn is None:
        raise _Wrong("exercises.5.no_graph")
    expected = trace(y).counts()
    del expected["AccumulateGrad"]
    given = Counter(ops)
    if given != expected:
        listing = lambda c: ", ".join(sorted(c.elements())) or "—"  # noqa: E731
        raise _Wrong("exercises.5.ops", missing=listing(expected - given), extra=listing(given - expected))


def _check6(answer: object) -> None:
    xs = torch.linspace(0.2, 5.0, 50, dtype=torch.float64)
    got = _call(answer, xs.clone())
    leaf = xs.clone().requires_grad_()
    (expected,) = torch.autograd.grad(f5(leaf).sum(), leaf)
    got = got.to(torch.float64)
    if compare(got, expected).status != "false":
        return
    scale = float(expected.abs().max())
    bad = ~torch.isclose(got, expected, rtol=1e-9, atol=1e-12 * scale)
    i = int(torch.nonzero(bad)[0]) if bool(bad.any()) else int(torch.argmax((got - expected).abs()))
    fields = {"x": _num(float(xs[i])), "actual": _num(float(got[i])), "expected": _num(float(expected[i]))}
    if torch.allclose(got, expected + 2 / xs ** 2, rtol=1e-9, atol=1e-12 * scale):
        raise _Wrong("exercises.6.sign", **fields)
    raise _Wrong("exercises.6.values", **fields)


def _check7(answer: object) -> None:
    answer = _keys(answer, "forward", "backward")
    forward, backward = _tensor(answer["forward"], (6,)), _tensor(answer["backward"], (6,))
    expected = _df5(X7.double())
    good = {"forward": _close(forward, expected), "backward": _close(backward, expected)}
    if not any(good.values()):
        raise _Wrong("exercises.7.both")
    for mode in ("forward", "backward"):
        if not good[mode]:
            raise _Wrong(f"exercises.7.{mode}")
    if forward.dtype != backward.dtype or compare(forward, backward).status == "false":
        raise _Wrong("exercises.7.disagree")


def _check8(answer: object) -> str | None:
    answer = _keys(answer, "tall", "wide", "conclusion")
    conclusion = _keys(answer["conclusion"], "tall", "wide")
    theory = {"tall": "forward", "wide": "reverse"}
    hint = None
    for shape in ("tall", "wide"):
        times = answer[shape]
        if not isinstance(times, (tuple, list)) or len(times) != 2 or conclusion[shape] not in ("forward", "reverse"):
            raise _Form
        fwd, rev = (_seconds(t) for t in times)
        if not all(math.isfinite(t) and t > 0 for t in (fwd, rev)):
            raise _Wrong("exercises.8.times_invalid")
        faster = {"forward"} if fwd < rev else {"reverse"} if rev < fwd else {"forward", "reverse"}
        if theory[shape] not in faster:
            hint = "exercises.8.measure_more"
        if conclusion[shape] not in faster:
            raise _Wrong(
                "exercises.8.swapped", shape=message(f"exercises.8.{shape}"), fwd=_num(fwd), rev=_num(rev),
                faster=min(faster), chosen=conclusion[shape],
            )
    return hint


_CHECKS: dict[int, Callable[[object], str | None]] = {
    1: _check1, 2: _check2, 3: _check3, 4: _check4, 5: _check5, 6: _check6, 7: _check7, 8: _check8,
}


def check(number: int, answer: object) -> Feedback:
    """Judge the answer to exercise `number` (1–8); the Feedback says why, in the current language."""
    if isinstance(number, bool) or not isinstance(number, int) or number not in _CHECKS:
        raise LessonError(message("exercises.unknown", number=repr(number), valid="1–8"))
    form = message(f"exercises.{number}.form")
    if answer is None or answer is ...:
        return Feedback(number, False, message("exercises.unanswered", form=form))
    try:
        hint = _CHECKS[number](answer)
    except _Form:
        return Feedback(number, False, message("exercises.bad_form"), message("exercises.form_hint", form=form))
    except _Wrong as wrong:
        return Feedback(number, False, message("exercises.incorrect"), message(wrong.hint, **wrong.fields))
    except LessonError as error:  # compare refused (shape or dtype): treat as the wrong form
        return Feedback(number, False, message("exercises.bad_form"), f"{error} {message('exercises.form_hint', form=form)}")
    return Feedback(number, True, message(f"exercises.{number}.ok"), message(hint) if hint else None)


__all__ = ["Feedback", "X1", "X7", "check", "f5"]
