"""Lesson 3's claims of § 4: operations that cut the graph, and .data against detach()."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

from autograd_lessons.i18n import text
from autograd_lessons.lessons.going_wrong import LESSON
from autograd_lessons.lessons.going_wrong.maths import (
    exp_derivative,
    floats,
    labelled,
    raised_by,
    shown,
    warned_by,
    weight_decay_gradient,
)
from autograd_lessons.numbers import values_text
from autograd_lessons.verdicts import Verdict, agreement, compare, evidence, fact, worst, yes_no

claim = LESSON.claim

# PyTorch's words for a backward pass from a tensor with no history, for numpy() on a tensor that
# requires grad, and for a saved tensor changed in place.
NO_HISTORY = "does not require grad and does not have a grad_fn"
NO_NUMPY = "Can't call numpy() on Tensor that requires grad"
CHANGED_IN_PLACE = "modified by an inplace operation"
DECAY = 0.01  # the lesson's weight decay factor

Rebuild = Callable[[torch.Tensor], torch.Tensor]


def lesson_w() -> torch.Tensor:
    return torch.tensor([1.0, -2.0, 0.5])


def lesson_inputs() -> torch.Tensor:
    return torch.tensor([2.0, 1.0, -1.0])


def by_item(pred: torch.Tensor) -> torch.Tensor:
    """The lesson's cut: the value read out as a Python number and wrapped in a new tensor."""
    return torch.tensor(pred.item())


def prediction(w: object, inputs: object) -> tuple[torch.Tensor, torch.Tensor]:
    w = lesson_w() if w is None else floats(w, "w").to(torch.float32)
    inputs = lesson_inputs() if inputs is None else floats(inputs, "inputs").to(w.dtype)
    leaf = w.clone().requires_grad_(True)
    return leaf, (leaf * inputs).sum()


@claim("l3.rewrap_has_no_history", cell=4, quote="prose")
def _rewrap_has_no_history(w: object = None, inputs: object = None, rebuild: Rebuild = by_item) -> Verdict:
    """rebuild(pred): the same value as pred, no grad_fn, does not require grad, and a backward
    pass from it raises the RuntimeError that says "does not require grad and does not have a
    grad_fn" (while pred itself has a grad_fn)."""
    _, pred = prediction(w, inputs)
    rebuilt = rebuild(pred)
    raised = raised_by(lambda: ((rebuilt - 1.0) ** 2).backward())
    holds = (
        pred.grad_fn is not None
        and rebuilt.grad_fn is None
        and not rebuilt.requires_grad
        and float(rebuilt) == float(pred.detach())
        and raised is not None
        and NO_HISTORY in raised
    )
    return fact(
        holds,
        evidence(
            "lesson3.evidence.rewrap",
            pred=type(pred.grad_fn).__name__,
            rebuilt=str(rebuilt.grad_fn),
            requires=yes_no(rebuilt.requires_grad),
            raised=raised or text("lesson3.nothing_raised"),
        ),
        raised=raised,
    )


@claim("l3.silent_cut", cell=4, quote="prose")
def _silent_cut(w: object = None, inputs: object = None, rebuild: Rebuild = by_item, decay: float = DECAY) -> Verdict:
    """(rebuild(pred) − 1)² + decay·Σw²: backward raises nothing, and w.grad equals 2·decay·w
    (formula), not the whole gradient 2(pred − 1)·inputs + 2·decay·w."""
    leaf, pred = prediction(w, inputs)
    loss = (rebuild(pred) - 1.0) ** 2 + decay * (leaf**2).sum()
    raised = raised_by(loss.backward)
    if raised is not None:
        return fact(False, evidence("lesson3.evidence.raised", raised=raised), raised=raised)
    formula = weight_decay_gradient(leaf.detach(), decay)
    inputs = lesson_inputs() if inputs is None else floats(inputs, "inputs")
    whole = 2 * (float(pred.detach()) - 1.0) * inputs.to(torch.float64) + formula
    found = agreement(
        compare(leaf.grad, formula.to(leaf.grad.dtype)),
        f"w.grad = {shown(leaf.grad)}",
        text("lesson3.decay_formula", decay=decay, values=values_text(formula)),
    )
    untouched = fact(
        compare(leaf.grad, whole.to(leaf.grad.dtype)).status == "false",
        evidence("lesson3.evidence.whole_gradient", whole=values_text(whole)),
        whole=whole.tolist(),
    )
    return worst(found, untouched)


@claim("l3.numpy_refused", cell=4, quote="prose")
def _numpy_refused(w: object = None, requires_grad: bool = True) -> Verdict:
    """w.numpy() raises the RuntimeError that says "Can't call numpy() on Tensor that requires
    grad"; w.detach().numpy() is an array at w's own memory (writing to it changes w)."""
    w = lesson_w() if w is None else floats(w, "w").to(torch.float32)
    leaf = w.clone().requires_grad_(bool(requires_grad))
    raised = raised_by(leaf.numpy)
    array = leaf.detach().numpy()
    same_memory = array.__array_interface__["data"][0] == leaf.data_ptr()
    before = float(leaf.detach()[0])
    array[0] += 1.0
    written = float(leaf.detach()[0]) == before + 1.0
    holds = raised is not None and NO_NUMPY in raised and same_memory and written and isinstance(array, np.ndarray)
    return fact(
        holds,
        evidence(
            "lesson3.evidence.numpy",
            raised=raised or text("lesson3.nothing_raised"),
            same=yes_no(same_memory),
            written=yes_no(written),
        ),
        raised=raised,
        same_memory=same_memory,
    )


@claim("l3.argmax_integer", cell=4, quote="prose")
def _argmax_integer(w: object = None, choose: Callable[[torch.Tensor], torch.Tensor] = torch.argmax) -> Verdict:
    """choose(w) (argmax): not a floating-point dtype, requires_grad False, no grad_fn; a loss made
    from it cannot start a backward pass (the "does not require grad" RuntimeError)."""
    leaf = (lesson_w() if w is None else floats(w, "w").to(torch.float32)).requires_grad_(True)
    picked = choose(leaf)
    raised = raised_by(lambda: (picked == 0).float().sum().backward())
    holds = (
        not picked.dtype.is_floating_point
        and not picked.requires_grad
        and picked.grad_fn is None
        and raised is not None
        and NO_HISTORY in raised
    )
    return fact(
        holds,
        evidence(
            "lesson3.evidence.argmax",
            dtype=str(picked.dtype),
            requires=yes_no(picked.requires_grad),
            raised=raised or text("lesson3.nothing_raised"),
        ),
        dtype=str(picked.dtype),
    )


def by_copy(parts: list[torch.Tensor]) -> torch.Tensor:
    """The lesson's cut: torch.tensor([...]) of tensors, which copies their values."""
    return torch.tensor(parts)


@claim("l3.stack_keeps_graph", cell=4, quote="prose")
def _stack_keeps_graph(
    w: object = None, factors: tuple[float, float] = (2.0, 3.0), copy: Callable[[list], torch.Tensor] = by_copy
) -> Verdict:
    """torch.tensor([w₀·a, w₁·b]) holds the same values, has no grad_fn and does not require grad;
    torch.stack of the same has a grad_fn, and the gradient of its sum with respect to w is
    (a, b, 0, …) (formula). (PyTorch may warn about the copy, but only once per session: the
    claim does not count on it.)"""
    leaf = (lesson_w() if w is None else floats(w, "w").to(torch.float32)).requires_grad_(True)
    first, second = factors
    copied, _ = warned_by(lambda: copy([leaf[0] * first, leaf[1] * second]))
    stacked = torch.stack([leaf[0] * first, leaf[1] * second])
    stacked.sum().backward()
    formula = torch.zeros(leaf.numel(), dtype=torch.float64)
    formula[0], formula[1] = first, second
    same = torch.equal(copied.detach(), stacked.detach())
    copy = fact(
        not copied.requires_grad and copied.grad_fn is None and same,
        evidence(
            "lesson3.evidence.copied",
            requires=yes_no(copied.requires_grad),
            grad_fn=str(copied.grad_fn),
            same=yes_no(same),
        ),
        requires_grad=copied.requires_grad,
    )
    gradient = agreement(
        compare(leaf.grad, formula.to(leaf.grad.dtype)),
        labelled("lesson3.through_stack", shown(leaf.grad)),
        values_text(formula),
    )
    return worst(copy, gradient)


@claim("l3.data_hides_change", cell=4, quote="prose")
def _data_hides_change(x: object = None, factor: float = 2.0) -> Verdict:
    """y = exp(x) changed × factor through .data: _version stays 0 and x.grad equals factor·exp(x)
    (formula), not exp(x); the same change through detach() takes _version to 1 and the backward
    pass raises the "modified by an inplace operation" RuntimeError."""
    x = torch.tensor([1.0, 2.0]) if x is None else floats(x).to(torch.float32)
    leaf = x.clone().requires_grad_(True)
    y = leaf.exp()
    y.data.mul_(factor)
    hidden_version = y._version
    y.sum().backward()
    formula = factor * exp_derivative(x)
    silent = agreement(
        compare(leaf.grad, formula.to(leaf.grad.dtype)),
        labelled("lesson3.after_data", shown(leaf.grad)),
        text("lesson3.factor_exp", factor=factor, values=values_text(formula)),
    )
    other = x.clone().requires_grad_(True)
    z = other.exp()
    z.detach().mul_(factor)
    raised = raised_by(lambda: z.sum().backward())
    seen = fact(
        hidden_version == 0 and z._version == 1 and raised is not None and CHANGED_IN_PLACE in raised,
        evidence(
            "lesson3.evidence.data_detach",
            data_version=hidden_version,
            detach_version=z._version,
            raised=raised or text("lesson3.nothing_raised"),
        ),
        data_version=hidden_version,
        detach_version=z._version,
    )
    wrong = fact(
        compare(leaf.grad, exp_derivative(x).to(leaf.grad.dtype)).status == "false",
        evidence("lesson3.evidence.true_gradient", grad=values_text(exp_derivative(x))),
    )
    return worst(silent, seen, wrong)


__all__ = ["by_copy", "by_item", "lesson_inputs", "lesson_w"]
