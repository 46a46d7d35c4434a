"""Lesson 2's claims of § 1 and § 2: leaves and intermediate tensors, gradients that accumulate."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence

import torch

from autograd_lessons.i18n import LessonError, message, text
from autograd_lessons.lessons.in_depth import LESSON
from autograd_lessons.lessons.in_depth.maths import (
    first_line,
    floats,
    grad_sum_of_squares,
    grad_two_losses,
    labelled,
    leaf_rule,
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


def made_without_recording(make: Callable[[torch.Tensor], torch.Tensor]) -> Callable[[torch.Tensor], torch.Tensor]:
    def run(x: torch.Tensor) -> torch.Tensor:
        with torch.no_grad():
            return make(x)

    return run


# (how the tensor reads in the evidence, how it is made from a leaf x that requires gradients,
# whether an operation made it): the cases where "made by us" and "is a leaf" part ways.
LeafCase = tuple[str, Callable[[torch.Tensor], torch.Tensor], bool]


def leaf_cases() -> tuple[LeafCase, ...]:
    return (
        ("x", lambda x: x, False),
        ("torch.arange(4.0)", lambda x: torch.arange(4.0), False),
        ("y = x * x", lambda x: x * x, True),
        ("y.detach()", lambda x: (x * x).detach(), True),
        ("x.detach() * 2", lambda x: x.detach() * 2, True),
        ("x * 2 (no_grad)", made_without_recording(lambda x: x * 2), True),
        ("x[1:] (no_grad)", made_without_recording(lambda x: x[1:]), True),
        ("x[1:]", lambda x: x[1:], True),
        ("x.clone()", lambda x: x.clone(), True),
        ("y.detach().requires_grad_()", lambda x: (x * x).detach().requires_grad_(True), True),
    )


@claim("l2.leaf_definition", cell=1, quote="prose")
def _leaf_definition(x: object = None, cases: Sequence[LeafCase] | None = None) -> Verdict:
    """For tensors made in many ways from a leaf x (by us or by an operation, recorded or not,
    requiring gradients or not), is_leaf against the lesson's rule (maths.leaf_rule)."""
    x = lesson_x() if x is None else floats(x)
    leaf = x.clone().requires_grad_(True)
    cases = leaf_cases() if cases is None else tuple(cases)
    leaves, others, wrong = [], [], []
    plain_all_leaves = True
    for label, make, made_by_operation in cases:
        tensor = make(leaf)
        is_leaf, requires = tensor.is_leaf, tensor.requires_grad
        (leaves if is_leaf else others).append(label)
        if not requires and not is_leaf:
            plain_all_leaves = False
        if is_leaf != leaf_rule(requires, tensor.grad_fn is not None, made_by_operation):
            wrong.append(label)
    return fact(
        bool(cases) and not wrong and plain_all_leaves,
        evidence(
            "lesson2.evidence.leaves",
            leaves=", ".join(leaves) or "—",
            others=", ".join(others) or "—",
            plain=yes_no(plain_all_leaves),
            wrong=", ".join(wrong) or "—",
        ),
        rule_fails_for=wrong,
    )


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


@claim("l2.leaf_grad_only", cell=1, quote="prose")
def _leaf_grad_only(x: object = None, retain: bool = False, constant_requires_grad: bool = False) -> Verdict:
    """x.grad against 2x (formula and finite differences); y.grad is None and reading it warns; a
    leaf that does not require gradients, c in sum(x·c), gets no .grad either."""
    x = lesson_x() if x is None else floats(x)
    constant = torch.full_like(x, 2.0).requires_grad_(bool(constant_requires_grad))
    (x.clone().requires_grad_(True) * constant).sum().backward()
    x, y, _ = square_and_sum(x, retain=bool(retain))
    y_grad, caught = read_grad(y)
    warned = any(issubclass(w.category, UserWarning) and "not a leaf" in str(w.message) for w in caught)
    formula = grad_sum_of_squares(x.detach())
    found = agreement(compare(x.grad, formula), f"x.grad = {shown(x.grad)}", f"2x = {values_text(formula)}")
    holds = x.is_leaf and not y.is_leaf and y_grad is None and warned and constant.is_leaf and constant.grad is None
    leaves = fact(
        holds,
        evidence(
            "lesson2.evidence.leaf",
            x_leaf=yes_no(x.is_leaf),
            y_leaf=yes_no(y.is_leaf),
            y_grad=shown(y_grad),
            warned=yes_no(warned),
            c_grad=shown(constant.grad),
        ),
        y_grad=None if y_grad is None else y_grad.tolist(),
        warned=warned,
        c_grad=None if constant.grad is None else constant.grad.tolist(),
    )
    return worst(found, leaves, fd_check(lambda t: (t * t).sum(), x.detach(), formula))


@claim("l2.retain_grad", cell=1, quote="prose")
def _retain_grad(x: object = None, retain: bool = True) -> Verdict:
    """y.grad after y.retain_grad() against ones (z = sum(y)), checked by finite differences in y."""
    x = lesson_x() if x is None else floats(x)
    _, y, _ = square_and_sum(x, retain=bool(retain))
    y_grad, _ = read_grad(y)
    ones = torch.ones_like(y.detach())
    if y_grad is None:
        return fact(False, evidence("lesson2.evidence.no_grad", name="y"), y_grad=None)
    found = agreement(compare(y_grad, ones), f"y.grad = {shown(y_grad)}", f"∂z/∂y = {values_text(ones)}")
    return worst(found, fd_check(lambda t: t.sum(), y.detach(), ones))


@claim("l2.integer_no_grad", cell=1, quote="prose")
def _integer_no_grad(dtype: object = torch.int64) -> Verdict:
    """torch.arange(4, dtype=dtype).requires_grad_(True) raises RuntimeError; arange(4.0) does not."""
    if not isinstance(dtype, torch.dtype):
        raise LessonError(message("lesson2.error.dtype", value=dtype))
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
            "lesson2.evidence.integer",
            dtype=str(dtype),
            raised=raised or text("lesson2.nothing_raised"),
            float_ok=yes_no(float_ok),
        ),
        dtype=str(dtype),
        raised=raised,
    )


# --------------------------------------------------------------------------- § 2 accumulation


def two_losses(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    return (x * x).sum(), (3 * x).sum()


@claim("l2.two_calls_add_up", cell=2, quote="prose")
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
        labelled("lesson2.two_calls", shown(a.grad)),
        labelled("lesson2.one_call", shown(b.grad)),
    )
    found = agreement(compare(a.grad, formula), f"x.grad = {shown(a.grad)}", f"2x + 3 = {values_text(formula)}")
    return worst(same, found, fd_check(lambda t: sum(two_losses(t)), x, formula))


@claim("l2.forgotten_zero_multiplies", cell=2, quote="prose")
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


@claim("l2.zero_grad_sets_none", cell=2, quote="prose")
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
        evidence("lesson2.evidence.zero_grad", after=shown(after_zero)),
        after_zero_grad=None if after_zero is None else after_zero.tolist(),
    )
    found = agreement(compare(p.grad, formula), f"x.grad = {shown(p.grad)}", f"2x = {values_text(formula)}")
    return worst(none, found)
