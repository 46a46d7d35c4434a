"""Lesson 4's claims of § 1 and § 2: leaves and intermediate tensors, gradients that accumulate."""

from __future__ import annotations

import warnings

import torch

from autograd_lessons.i18n import LessonError, message, text
from autograd_lessons.lessons.in_depth import LESSON
from autograd_lessons.lessons.in_depth.maths import (
    first_line,
    floats,
    grad_sum_of_squares,
    grad_two_losses,
    labelled,
    lesson_x,
    positive_int,
)
from autograd_lessons.numbers import values_text
from autograd_lessons.verdicts import (
    Verdict,
    agreement,
    compare,
    evidence,
    fact,
    fd_check,
    shown,
    worst,
    yes_no,
)

claim = LESSON.claim
LESSON_SEED = 0


# --------------------------------------------------------------------------- § 1 leaves and non-leaves


def square_and_sum(x: torch.Tensor, retain: bool = False):
    x = x.clone().requires_grad_(True)
    y = x * x
    if retain:
        y.retain_grad()
    z = y.sum()
    z.backward()
    return x, y, z


def read_grad(tensor: torch.Tensor) -> tuple[torch.Tensor | None, list[warnings.WarningMessage]]:
    """tensor.grad, with the warnings that reading it raises (recorded, never shown)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = tensor.grad
    return value, list(caught)


@claim("l4.leaf_grad_only", cell=1, quote="prose")
def _leaf_grad_only(x: object = None, retain: bool = False) -> Verdict:
    """x.grad against 2x (formula and finite differences); y.grad is None and reading it warns."""
    x = lesson_x() if x is None else floats(x)
    x, y, _ = square_and_sum(x, retain=bool(retain))
    y_grad, caught = read_grad(y)
    warned = any(issubclass(w.category, UserWarning) and "not a leaf" in str(w.message) for w in caught)
    formula = grad_sum_of_squares(x.detach())
    found = agreement(compare(x.grad, formula), f"x.grad = {shown(x.grad)}", f"2x = {values_text(formula)}")
    holds = x.is_leaf and not y.is_leaf and y_grad is None and warned
    leaves = fact(
        holds,
        evidence(
            "lesson4.evidence.leaf",
            x_leaf=yes_no(x.is_leaf),
            y_leaf=yes_no(y.is_leaf),
            y_grad=shown(y_grad),
            warned=yes_no(warned),
        ),
        y_grad=None if y_grad is None else y_grad.tolist(),
        warned=warned,
    )
    return worst(found, leaves, fd_check(lambda t: (t * t).sum(), x.detach(), formula))


@claim("l4.retain_grad", cell=1, quote="prose")
def _retain_grad(x: object = None, retain: bool = True) -> Verdict:
    """y.grad after y.retain_grad() against ones (z = sum(y)), checked by finite differences in y."""
    x = lesson_x() if x is None else floats(x)
    _, y, _ = square_and_sum(x, retain=bool(retain))
    y_grad, _ = read_grad(y)
    ones = torch.ones_like(y.detach())
    if y_grad is None:
        return fact(False, evidence("lesson4.evidence.no_grad", name="y"), y_grad=None)
    found = agreement(compare(y_grad, ones), f"y.grad = {shown(y_grad)}", f"∂z/∂y = {values_text(ones)}")
    return worst(found, fd_check(lambda t: t.sum(), y.detach(), ones))


@claim("l4.integer_no_grad", cell=1, quote="prose")
def _integer_no_grad(dtype: object = torch.int64) -> Verdict:
    """torch.arange(4, dtype=dtype).requires_grad_(True) raises RuntimeError; arange(4.0) does not."""
    if not isinstance(dtype, torch.dtype):
        raise LessonError(message("lesson4.error.dtype", value=dtype))
    try:
        torch.arange(4, dtype=dtype).requires_grad_(True)
    except RuntimeError as error:
        raised = first_line(error)
    else:
        raised = None
    float_ok = torch.arange(4.0).requires_grad_(True).requires_grad
    holds = raised is not None and "floating point" in raised and float_ok
    return fact(
        holds,
        evidence(
            "lesson4.evidence.integer",
            dtype=str(dtype),
            raised=raised or text("lesson4.nothing_raised"),
            float_ok=yes_no(float_ok),
        ),
        dtype=str(dtype),
        raised=raised,
    )


# --------------------------------------------------------------------------- § 2 accumulation


def two_losses(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    return (x * x).sum(), (3 * x).sum()


@claim("l4.two_calls_add_up", cell=2, quote="prose")
def _two_calls_add_up(x: object = None, zero_between: bool = False) -> Verdict:
    """Two backward calls against one backward of the sum, both against 2x + 3 (formula and FD)."""
    x = lesson_x() if x is None else floats(x)
    a = x.clone().requires_grad_(True)
    first, second = two_losses(a)
    first.backward()
    if zero_between:
        a.grad = None
    second.backward()
    b = x.clone().requires_grad_(True)
    sum(two_losses(b)).backward()
    formula = grad_two_losses(x)
    same = agreement(
        compare(a.grad, b.grad),
        labelled("lesson4.two_calls", shown(a.grad)),
        labelled("lesson4.one_call", shown(b.grad)),
    )
    found = agreement(compare(a.grad, formula), f"x.grad = {shown(a.grad)}", f"2x + 3 = {values_text(formula)}")
    return worst(same, found, fd_check(lambda t: sum(two_losses(t)), x, formula))


@claim("l4.forgotten_zero_multiplies", cell=2, quote="prose")
def _forgotten_zero(x: object = None, steps: int = 3, zero: bool = False) -> Verdict:
    """After k backward calls of sum(x²) without zeroing, x.grad against k·2x."""
    x = lesson_x() if x is None else floats(x)
    steps = positive_int(steps, "steps")
    p = x.clone().requires_grad_(True)
    for _ in range(steps):
        if zero:
            p.grad = None
        (p * p).sum().backward()
    formula = steps * grad_sum_of_squares(x)
    found = agreement(compare(p.grad, formula), f"x.grad = {shown(p.grad)}", f"{steps}·2x = {values_text(formula)}")
    return worst(found, fd_check(lambda t: steps * (t * t).sum(), x, formula))


@claim("l4.zero_grad_sets_none", cell=2, quote="prose")
def _zero_grad_sets_none(x: object = None, set_to_none: bool = True) -> Verdict:
    """optimizer.zero_grad(): .grad is None right after; the next backward gives 2x, not 4x."""
    x = lesson_x() if x is None else floats(x)
    p = x.clone().requires_grad_(True)
    optimizer = torch.optim.SGD([p], lr=0.0)
    (p * p).sum().backward()
    optimizer.zero_grad(set_to_none=set_to_none)
    after_zero = None if p.grad is None else p.grad.clone()
    (p * p).sum().backward()
    formula = grad_sum_of_squares(x)
    none = fact(
        after_zero is None,
        evidence("lesson4.evidence.zero_grad", after=shown(after_zero)),
        after_zero_grad=None if after_zero is None else after_zero.tolist(),
    )
    found = agreement(compare(p.grad, formula), f"x.grad = {shown(p.grad)}", f"2x = {values_text(formula)}")
    return worst(none, found)
