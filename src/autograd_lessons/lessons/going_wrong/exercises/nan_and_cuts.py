"""Lesson 3, exercises 1 and 2: a loss whose gradient turns NaN (§ 2), and a loss that never
reaches the model (§ 4). Each answer is the fixed loss function; the checker runs it on inputs of
its own, runs the backward pass itself and compares values and gradients with float64 formulas."""

from __future__ import annotations

import torch

from autograd_lessons.exercises import Wrong, choice, keys
from autograd_lessons.lessons.going_wrong import LESSON
from autograd_lessons.lessons.going_wrong.exercises.common import (
    RIGHT_VALUES,
    attempt,
    backward_of,
    generator,
    leaf,
    learner_error,
    normal,
    precision_checked,
    same,
    same_gradient,
    scalar_result,
    uniform,
)
from autograd_lessons.numbers import shortest

exercise = LESSON.exercise
# A loss a little above the mean distance (by less than this, relatively) is the mean distance with
# something small added inside the square root: learners take ε from 1e-12 to 1e-6.
EPSILON_SHIFT = 1e-2

# --------------------------------------------------------------------------- public examples

_public = torch.Generator().manual_seed(0)

# Exercise 1: four pairs of embeddings, the third pair identical (an example compared with itself).
A1 = torch.randn(4, 3, generator=_public)
B1 = torch.randn(4, 3, generator=_public)
B1[2] = A1[2]


def broken1(a, b):
    return torch.sqrt(((a - b) ** 2).sum(dim=1)).mean()


# Exercise 2: a small regression batch, and a mean absolute error written with Python numbers.
X2 = torch.randn(6, 3, generator=_public)
Y2 = torch.randn(6, generator=_public)


def broken2(pred, target):
    errors = [abs(p.item() - t.item()) for p, t in zip(pred, target, strict=True)]
    return torch.tensor(sum(errors) / len(errors), requires_grad=True)


del _public

# --------------------------------------------------------------------------- exercise 1


def distance_value(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """The mean distance between the rows of a and b, in float64 (the value broken1 computes)."""
    return torch.sqrt(((a - b) ** 2).sum(dim=1)).mean()


def distance_gradient(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Its gradient with respect to a: (a − b)/‖a − b‖ per row, over the number of rows; 0 on a row
    where a = b (the subgradient vector_norm chooses there)."""
    norms = torch.sqrt(((a - b) ** 2).sum(dim=1, keepdim=True))
    safe = torch.where(norms > 0, norms, 1.0)
    return torch.where(norms > 0, (a - b) / safe, 0.0) / len(a)


def _cases1() -> list[tuple[torch.Tensor, torch.Tensor]]:
    """(a, b, the rows where they are equal) at two shapes, with one or two equal rows."""
    source, cases = generator(1), []
    for rows, width, equal in ((5, 3, [1, 3]), (6, 2, [0])):
        a, b = normal((rows, width), source), normal((rows, width), source)
        b[equal] = a[equal]
        cases.append((a, b))
    return cases


@exercise(1)
def _check1(answer: object) -> None:
    answer = keys(answer, "loss", "why")
    for a, b in _cases1():
        point = leaf(a)
        result, error = attempt(answer["loss"], point, b.clone())
        if error is not None:
            raise learner_error(error)
        loss = scalar_result(result)
        (grad,) = backward_of(loss, (point,), "exercises.l3.1")
        expected = distance_value(a, b)
        value = loss.detach().reshape(())
        if not torch.isfinite(grad).all():
            rows = sorted({int(row) for row in torch.nonzero(~torch.isfinite(grad))[:, 0]})
            raise Wrong("exercises.l3.1.still_nan", rows=", ".join(map(str, rows)))
        precision_checked(value, expected)
        if not same(value, expected):
            shifted = 0 < float(value) - float(expected) < EPSILON_SHIFT * float(expected)
            key = "exercises.l3.1.epsilon" if shifted else "exercises.l3.1.values"
            raise Wrong(key, actual=shortest(float(value)), expected=shortest(float(expected)))
        if not same_gradient(grad, distance_gradient(a, b)):
            raise Wrong("exercises.l3.1.gradient", RIGHT_VALUES)
    choice(answer["why"], "b", "abc", "exercises.l3.1.why")


# --------------------------------------------------------------------------- exercise 2


def _cases2() -> list[tuple[torch.Tensor, torch.Tensor]]:
    """(pred, target) of two lengths, every pair at least 0.1 apart: no kink of abs is met."""
    source, cases = generator(2), []
    for length in (5, 8):
        pred = normal((length,), source)
        sign = torch.where(torch.rand(length, generator=source) < 0.5, -1.0, 1.0).to(torch.float64)
        cases.append((pred, pred + sign * uniform((length,), 0.1, 1.5, source)))
    return cases


@exercise(2)
def _check2(answer: object) -> None:
    answer = keys(answer, "loss", "why")
    for pred, target in _cases2():
        point = leaf(pred)
        result, error = attempt(answer["loss"], point, target.clone())
        if error is not None:
            raise learner_error(error)
        loss = scalar_result(result)
        value = loss.detach().reshape(())
        expected = (pred - target).abs().mean()
        precision_checked(value, expected)
        mistakes = {
            "exercises.l3.2.sum": (pred - target).abs().sum(),
            "exercises.l3.2.squared": ((pred - target) ** 2).mean(),
        }
        if not same(value, expected):
            key = next((key for key, wrong in mistakes.items() if same(value, wrong)), "exercises.l3.2.values")
            raise Wrong(key, actual=shortest(float(value)), expected=shortest(float(expected)))
        (grad,) = backward_of(loss, (point,), "exercises.l3.2")
        if not grad.any():
            raise Wrong("exercises.l3.2.no_gradient", RIGHT_VALUES)
        if not same_gradient(grad, torch.sign(pred - target) / len(pred)):
            raise Wrong("exercises.l3.2.gradient", RIGHT_VALUES)
    choice(answer["why"], "a", "abc", "exercises.l3.2.why")


__all__ = ["A1", "B1", "X2", "Y2", "broken1", "broken2", "distance_gradient", "distance_value"]
