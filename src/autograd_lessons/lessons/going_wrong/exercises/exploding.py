"""Lesson 3, exercise 6: a training step on a stack whose gradients explode (§ 8), to fix by
clipping the gradient's total norm. The checker runs the fixed step on stacks of its own and
compares the parameters after it with the step clipped by norm, computed on a copy."""

from __future__ import annotations

import copy
import math

import torch

from autograd_lessons.exercises import FormError, Wrong, choice, keys, kind_text
from autograd_lessons.lessons.going_wrong import LESSON
from autograd_lessons.lessons.going_wrong.exercises.common import (
    NO_HISTORY,
    RAISED,
    attempt,
    generator,
    learner_error,
    normal,
)
from autograd_lessons.numbers import shortest

exercise = LESSON.exercise

CLIP_EPSILON = 1e-6  # what clip_grad_norm_ adds to the norm before dividing (its documented eps)
STEP_KEPT = 1e-9  # relative: two right steps differ only by rounding, and by ε / norm with a norm this large
GAIN = 1.5  # weights 1.5 times the default scale: the gradient grows by about that much per layer

# --------------------------------------------------------------------------- public example


def model6(depth=12, width=16, seed=0):
    """A stack of linear layers with weights GAIN times the default scale, and no activation."""
    source = torch.Generator().manual_seed(seed)
    with torch.random.fork_rng(devices=[]):
        layers = [torch.nn.Linear(width, width, bias=False) for _ in range(depth)]
    with torch.no_grad():
        for layer in layers:
            layer.weight.copy_(torch.randn(width, width, generator=source) * GAIN / math.sqrt(width))
    return torch.nn.Sequential(*layers)


_public = torch.Generator().manual_seed(6)
X6 = torch.randn(8, 16, generator=_public)
Y6 = torch.randn(8, 16, generator=_public)
del _public


def broken6(model, x, y, lr):
    model.zero_grad()
    loss = ((model(x) - y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        for p in model.parameters():
            p -= lr * p.grad
    return loss.item()


# --------------------------------------------------------------------------- the checker


def _stack6(depth: int, width: int, source: torch.Generator) -> torch.nn.Sequential:
    with torch.random.fork_rng(devices=[]):
        layers = [torch.nn.Linear(width, width, bias=False).double() for _ in range(depth)]
    with torch.no_grad():
        for layer in layers:
            layer.weight.copy_(normal((width, width), source) * GAIN / math.sqrt(width))
            layer.weight.grad = torch.ones_like(layer.weight)  # left over from "an earlier step"
    return torch.nn.Sequential(*layers)


def _gradients(model: torch.nn.Module, x: torch.Tensor, y: torch.Tensor) -> tuple[float, list[torch.Tensor]]:
    """The loss and the gradients of a fresh copy of `model` (the checker's own backward pass)."""
    model = copy.deepcopy(model)
    model.zero_grad()
    loss = ((model(x) - y) ** 2).mean()
    loss.backward()
    return float(loss.detach()), [p.grad.detach().clone() for p in model.parameters()]


def _steps(weights: list[torch.Tensor], grads: list[torch.Tensor], lr: float, max_norm: float) -> dict:
    """The parameters after each kind of step: clipped by total norm (right), unclipped, clipped by
    value at max_norm, each parameter clipped by its own norm, and with the stale gradient added."""
    total = math.sqrt(sum(float((g * g).sum()) for g in grads))
    factor = min(1.0, max_norm / (total + CLIP_EPSILON))
    own = [min(1.0, max_norm / (float(g.norm()) + CLIP_EPSILON)) for g in grads]
    return {
        "right": [w - lr * factor * g for w, g in zip(weights, grads, strict=True)],
        "exercises.l3.6.no_clip": [w - lr * g for w, g in zip(weights, grads, strict=True)],
        "exercises.l3.6.by_value": [w - lr * g.clamp(-max_norm, max_norm) for w, g in zip(weights, grads, strict=True)],
        "exercises.l3.6.per_parameter": [w - lr * f * g for w, g, f in zip(weights, grads, own, strict=True)],
    }


def _close(actual: list[torch.Tensor], expected: list[torch.Tensor]) -> bool:
    return all(
        torch.allclose(a, e, rtol=STEP_KEPT, atol=STEP_KEPT * float(e.abs().max()))
        for a, e in zip(actual, expected, strict=True)
    )


def _loss6(result: object) -> float:
    if isinstance(result, torch.Tensor) and result.numel() == 1:
        return float(result.detach())
    if isinstance(result, (int, float)) and not isinstance(result, bool):
        return float(result)
    raise FormError("exercises.l3.6.not_number", kind=kind_text(result))


@exercise(6)
def _check6(answer: object) -> None:
    answer = keys(answer, "step", "why")
    source = generator(6)
    for depth, width, lr, max_norm in ((10, 12, 0.01, 1.0), (14, 8, 0.05, 0.5), (3, 6, 0.01, 1e6)):
        model = _stack6(depth, width, source)
        x, y = normal((5, width), source), normal((5, width), source)
        loss, grads = _gradients(model, x, y)
        weights = [p.detach().clone() for p in model.parameters()]
        expected = _steps(weights, grads, lr, max_norm)
        result, error = attempt(answer["step"], model, x.clone(), y.clone(), lr, max_norm)
        if error is not None:
            raise Wrong("exercises.l3.6.no_graph", RAISED) if NO_HISTORY in error[1] else learner_error(error)
        after = [p.detach() for p in model.parameters()]
        if [a.shape for a in after] != [w.shape for w in weights]:  # layers added, removed or replaced
            raise Wrong("exercises.l3.6.model_changed", before=len(weights), after=len(after))
        if not _close(after, expected["right"]):
            stale = _steps(weights, [g + 1 for g in grads], lr, max_norm)["right"]
            if _close(after, stale):
                raise Wrong("exercises.l3.6.stale")
            if all(torch.equal(a, w) for a, w in zip(after, weights, strict=True)):
                raise Wrong("exercises.l3.6.no_step")
            key = next((key for key, values in expected.items() if key != "right" and _close(after, values)), None)
            raise Wrong(key or "exercises.l3.6.step")
        value = _loss6(result)
        if abs(value - loss) > STEP_KEPT * max(1.0, abs(loss)):
            raise Wrong("exercises.l3.6.loss", actual=shortest(value), expected=shortest(loss))
    choice(answer["why"], "b", "abc", "exercises.l3.6.why")


__all__ = ["X6", "Y6", "broken6", "model6"]
