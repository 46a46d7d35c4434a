"""What every checker of lesson 3 shares: private generators, running the learner's code, reading
its results, and the checker's own backward pass through them.

Every exercise of lesson 3 is a training step that is broken; the learner's answer is the fixed
piece of code, which the checker runs on inputs of its own (other shapes, other values, other
models), built from private generators, so that nothing the learner sees or changes reaches it.
"""

from __future__ import annotations

import functools
import numbers

import torch

from autograd_lessons.exercises import LearnerRaised, Wrong, agreement, as_tensor, call
from autograd_lessons.i18n import Text
from autograd_lessons.numbers import shape_text, shortest
from autograd_lessons.verdicts import compare

CHECK_SEED = 3  # the seed of every private generator: the feedback is the same at every run

# Headlines: the learner's code raised; a result that is a number, not a tensor; the checker's
# own backward pass through the learner's result failed; values right, done the wrong way.
RAISED = "exercises.raised_headline"
NOT_A_TENSOR = "exercises.l3.not_tensor_headline"
CHECKER_BACKWARD = "exercises.l3.checker_backward"
RIGHT_VALUES = "exercises.l3.right_values"
# PyTorch's words for a backward pass through a graph already freed, for one from a tensor with
# no history, for a leaf changed in place and for a saved tensor changed in place.
FREED = "backward through the graph a second time"
NO_HISTORY = "does not require grad and does not have a grad_fn"
LEAF_IN_PLACE = "a leaf Variable that requires grad is being used in an in-place operation"
CHANGED_IN_PLACE = "modified by an inplace operation"
WORDED_BY_CHECK = ("SystemExit", "RecursionError")  # what check() words itself (exit(), endless recursion)


def generator(offset: int) -> torch.Generator:
    return torch.Generator().manual_seed(CHECK_SEED * 1000 + offset)


def normal(shape: tuple[int, ...], source: torch.Generator) -> torch.Tensor:
    return torch.randn(shape, dtype=torch.float64, generator=source)


def uniform(shape: tuple[int, ...], low: float, high: float, source: torch.Generator) -> torch.Tensor:
    return low + (high - low) * torch.rand(shape, dtype=torch.float64, generator=source)


def leaf(values: torch.Tensor) -> torch.Tensor:
    return values.detach().clone().requires_grad_(True)


def attempt(function: object, *args: object) -> tuple[object, tuple[str, str] | None]:
    """Run learner code: (result, None), or (None, (type name, message)) if it raised. The guard's
    own stops (time, memory, a real Ctrl-C) go through to check(), which reports them."""
    try:
        return call(function, *args), None
    except LearnerRaised as raised:
        return None, (raised.kind, raised.detail)


def said(error: tuple[str, str]) -> str:
    """An error as a clause for a sentence ("RuntimeError: …", no final period)."""
    return LearnerRaised(*error).text


def learner_error(error: tuple[str, str]) -> Exception:
    """What the learner's code raised, named when it is one of this lesson's failures."""
    if error[0] not in WORDED_BY_CHECK:
        if LEAF_IN_PLACE in error[1]:
            return Wrong("exercises.l3.leaf_in_place", RAISED)
        if CHANGED_IN_PLACE in error[1]:
            return Wrong("exercises.l3.saved_in_place", RAISED, error=said(error))
    return LearnerRaised(*error)


def scalar_result(value: object, name: Text | None = None) -> torch.Tensor:
    """The learner's loss as a one-element float tensor (its graph kept), or Wrong / FormError:
    a Python number gets its own hint, since it has left autograd."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        raise Wrong("exercises.l3.number", NOT_A_TENSOR, value=shortest(float(value)))
    as_tensor(value, name=name)  # the form: a float tensor
    if value.numel() != 1:
        raise Wrong("exercises.l3.not_scalar", shape=shape_text(tuple(value.shape)))
    return value


def backward_of(result: torch.Tensor, inputs: tuple[torch.Tensor, ...], what: str) -> tuple[torch.Tensor, ...]:
    """The checker's own backward pass from `result` to `inputs` (zeros where one is unused).

    `what` names the exercise's messages: `<what>.detached` when the result has no graph at all,
    `<what>.new_leaf` when it is a leaf that requires grad (made with requires_grad=True)."""
    if result.grad_fn is None:
        raise Wrong(f"{what}.new_leaf" if result.requires_grad else f"{what}.detached")
    run = functools.partial(torch.autograd.grad, result.sum(), inputs, allow_unused=True)
    grads, error = attempt(run)
    if error is not None:
        if error[0] in WORDED_BY_CHECK:
            raise LearnerRaised(*error)
        if FREED in error[1]:
            raise Wrong("exercises.l3.backward_inside", CHECKER_BACKWARD)
        raise Wrong("exercises.l3.backward_failed", CHECKER_BACKWARD, error=said(error))
    return tuple(torch.zeros_like(x) if g is None else g.detach() for g, x in zip(grads, inputs, strict=True))


def same(actual: torch.Tensor, expected: torch.Tensor) -> bool:
    """Equal up to rounding, in the dtype of `actual` (a float32 answer to float64 inputs is not)."""
    return tuple(actual.shape) == tuple(expected.shape) and agreement(actual, expected) == "same"


# Two right routes to one gradient (log_softmax then exp, or a division; a norm, or a square root
# of a sum) round differently, by a few ulps more than compare's own tolerance; a wrong gradient is
# off by a part in a few, not a part in 10¹⁴.
GRADIENT_ULPS = 64


def same_gradient(actual: torch.Tensor, expected: torch.Tensor) -> bool:
    """Equal up to GRADIENT_ULPS ulps of the dtype at the scale of `expected`."""
    if tuple(actual.shape) != tuple(expected.shape):
        return False
    return compare(actual, expected.to(actual.dtype), tolerance=GRADIENT_ULPS).status != "false"


def precision_checked(actual: torch.Tensor, expected: torch.Tensor) -> None:
    """Wrong with the precision hint when `actual` went through float32 (and is otherwise right)."""
    if tuple(actual.shape) == tuple(expected.shape) and agreement(actual, expected) == "float32":
        raise Wrong("exercises.l3.float32", "exercises.precision_headline")


__all__ = [
    "CHANGED_IN_PLACE",
    "CHECKER_BACKWARD",
    "CHECK_SEED",
    "FREED",
    "GRADIENT_ULPS",
    "LEAF_IN_PLACE",
    "NOT_A_TENSOR",
    "NO_HISTORY",
    "RAISED",
    "RIGHT_VALUES",
    "attempt",
    "backward_of",
    "generator",
    "leaf",
    "learner_error",
    "normal",
    "precision_checked",
    "said",
    "same",
    "same_gradient",
    "scalar_result",
    "uniform",
]
