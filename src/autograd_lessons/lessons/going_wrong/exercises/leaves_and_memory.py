"""Lesson 3, exercises 3 to 5: parameters that are not leaves (§ 5), an in-place change of a saved
tensor (§ 5), and a training loop whose memory grows (§ 6). The checker runs each fix on inputs of
its own: other generators, other logits, another model and other batches."""

from __future__ import annotations

import copy
import functools

import torch

from autograd_lessons.exercises import FormError, Wrong, choice, keys, kind_text
from autograd_lessons.lessons.going_wrong import LESSON
from autograd_lessons.lessons.going_wrong.exercises.common import (
    CHANGED_IN_PLACE,
    CHECKER_BACKWARD,
    FREED,
    NO_HISTORY,
    RAISED,
    RIGHT_VALUES,
    WORDED_BY_CHECK,
    attempt,
    generator,
    leaf,
    learner_error,
    normal,
    precision_checked,
    said,
    same,
    same_gradient,
    uniform,
)
from autograd_lessons.numbers import shape_text, shortest

exercise = LESSON.exercise

# --------------------------------------------------------------------------- public examples

_public = torch.Generator().manual_seed(1)


# Exercise 3: a layer's parameters, created for a float64 model.
def broken3(generator):
    weight = torch.randn(4, 3, generator=generator, requires_grad=True).to(torch.float64) * 0.1
    bias = torch.zeros(3, requires_grad=True).to(torch.float64)
    return weight, bias


# Exercise 4: a softmax written by hand, normalised in place.
Z4 = torch.randn(2, 5, generator=_public)


def broken4(logits):
    e = torch.exp(logits - logits.max(dim=1, keepdim=True).values)
    e /= e.sum(dim=1, keepdim=True)
    return e


# Exercise 5: one epoch of training that keeps a running total of the loss.
def broken5(model, optimizer, batches):
    total = 0
    for x, y in batches:
        optimizer.zero_grad()
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        optimizer.step()
        total += loss
    return total / len(batches)


BATCHES5 = [(torch.randn(8, 2, generator=_public), torch.randn(8, 1, generator=_public)) for _ in range(4)]


def model5():
    """The small network of exercise 5's example (seed 0 for its weights)."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        return torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))


del _public

# --------------------------------------------------------------------------- exercise 3


def _parameters3(result: object) -> tuple[torch.Tensor, torch.Tensor]:
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise FormError("exercises.l3.3.pair", kind=kind_text(result))
    for value in result:
        if not isinstance(value, torch.Tensor):
            raise FormError("exercises.l3.3.not_tensors", kind=kind_text(value))
    return tuple(result)


@exercise(3)
def _check3(answer: object) -> None:
    answer = keys(answer, "init", "why")
    for seed in (11, 12):
        result, error = attempt(answer["init"], generator(300 + seed))
        if error is not None:
            raise learner_error(error)
        weight, bias = _parameters3(result)
        expected = broken3(generator(300 + seed))
        for name, got, wanted in (("weight", weight, expected[0]), ("bias", bias, expected[1])):
            _judge_parameter(name, got, wanted.detach())
        _one_step3(weight, bias)
    choice(answer["why"], "a", "abc", "exercises.l3.3.why")


def _judge_parameter(name: str, got: torch.Tensor, wanted: torch.Tensor) -> None:
    """A float64 leaf that requires grad, of the shape and values broken3 gives."""
    if not got.is_leaf:
        raise Wrong("exercises.l3.3.not_leaf", name=name, node=type(got.grad_fn).__name__)
    if not got.requires_grad:
        raise Wrong("exercises.l3.3.no_grad", name=name)
    if got.dtype != torch.float64:
        raise Wrong("exercises.l3.3.dtype", name=name, dtype=str(got.dtype))
    if tuple(got.shape) != tuple(wanted.shape):
        raise Wrong("exercises.l3.3.shape", name=name, actual=shape_text(got.shape), expected=shape_text(wanted.shape))
    if not torch.equal(got.detach(), wanted):
        raise Wrong("exercises.l3.3.values", name=name)


def _one_step3(weight: torch.Tensor, bias: torch.Tensor) -> None:
    """The checker's own training step on the returned parameters: both must get a .grad."""
    inputs = normal((5, 4), generator(399))
    loss = ((inputs @ weight + bias) ** 2).mean()
    grads, error = attempt(functools.partial(torch.autograd.grad, loss, (weight, bias), allow_unused=True))
    if error is not None or any(grad is None for grad in grads):
        raise Wrong("exercises.l3.3.unused", RIGHT_VALUES)


# --------------------------------------------------------------------------- exercise 4


def softmax_value(z: torch.Tensor) -> torch.Tensor:
    shifted = torch.exp(z - z.max(dim=1, keepdim=True).values)
    return shifted / shifted.sum(dim=1, keepdim=True)


def softmax_vjp(z: torch.Tensor, upstream: torch.Tensor) -> torch.Tensor:
    """uᵀ J of the softmax, row by row: p ⊙ (u − (u · p))."""
    p = softmax_value(z)
    return p * (upstream - (upstream * p).sum(dim=1, keepdim=True))


@exercise(4)
def _check4(answer: object) -> None:
    answer = keys(answer, "softmax", "why")
    source = generator(4)
    for rows, width in ((3, 6), (5, 4)):
        z = normal((rows, width), source) * 3
        point = leaf(z)
        result, error = attempt(answer["softmax"], point)
        if error is not None:
            raise learner_error(error)
        if not isinstance(result, torch.Tensor):
            raise FormError("exercises.l3.4.not_tensor", kind=kind_text(result))
        if tuple(result.shape) != (rows, width):
            raise Wrong("exercises.l3.4.shape", actual=shape_text(result.shape), expected=shape_text((rows, width)))
        values = result.detach()
        precision_checked(values, softmax_value(z))
        if not same(values, softmax_value(z)):
            raise Wrong("exercises.l3.4.values")
        if result.grad_fn is None:
            raise Wrong("exercises.l3.4.detached")
        upstream = uniform((rows, width), -1, 1, source)
        grads, error = attempt(functools.partial(torch.autograd.grad, result, point, upstream, allow_unused=True))
        if error is not None:
            raise _backward4(error)
        grad = torch.zeros_like(z) if grads[0] is None else grads[0]
        if not same_gradient(grad, softmax_vjp(z, upstream)):
            raise Wrong(_mistake4(grad, z, upstream), RIGHT_VALUES)
    choice(answer["why"], "b", "abc", "exercises.l3.4.why")


def _backward4(error: tuple[str, str]) -> Exception:
    if error[0] in WORDED_BY_CHECK:
        return learner_error(error)
    if CHANGED_IN_PLACE in error[1]:
        return Wrong("exercises.l3.4.still_in_place", CHECKER_BACKWARD)
    if FREED in error[1]:
        return Wrong("exercises.l3.backward_inside", CHECKER_BACKWARD)
    return Wrong("exercises.l3.backward_failed", CHECKER_BACKWARD, error=said(error))


def _mistake4(grad: torch.Tensor, z: torch.Tensor, upstream: torch.Tensor) -> str:
    """Which slip gives this gradient. With the division done outside the graph (through .data, or
    by a sum detached), only exp's own backward remains: u ⊙ p, and, when the maximum was
    subtracted, minus the row's total at the maximum's place."""
    if not grad.any():
        return "exercises.l3.4.detached"
    p = softmax_value(z)
    partial = upstream * p
    at_max = torch.zeros_like(z).scatter_(1, z.argmax(dim=1, keepdim=True), 1.0)
    if same_gradient(grad, partial) or same_gradient(grad, partial - at_max * partial.sum(dim=1, keepdim=True)):
        return "exercises.l3.4.partial"
    return "exercises.l3.4.gradient"


# --------------------------------------------------------------------------- exercise 5

PARAMETERS_KEPT = 1e-10  # relative: two right epochs differ only by the rounding of the loss's formula


def _model5(source: torch.Generator) -> torch.nn.Sequential:
    with torch.random.fork_rng(devices=[]):
        model = torch.nn.Sequential(torch.nn.Linear(3, 6), torch.nn.Tanh(), torch.nn.Linear(6, 1)).double()
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.copy_(normal(tuple(parameter.shape), source) / 2)
    return model


def _reference5(model: torch.nn.Module, batches: list, lr: float) -> tuple[float, list[torch.Tensor]]:
    """The mean loss of the epoch and the parameters after it, trained on a copy by the checker."""
    model = copy.deepcopy(model)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    losses = []
    for x, y in batches:
        optimizer.zero_grad()
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        optimizer.step()
        losses.append(float(loss.detach()))
    return sum(losses) / len(losses), [p.detach().clone() for p in model.parameters()]


def _close(actual: float, expected: float) -> bool:
    return abs(actual - expected) <= PARAMETERS_KEPT * max(1.0, abs(expected))


def _mean_loss5(result: object) -> float:
    """The learner's mean loss as a float; a tensor that still holds the epoch's graph is the leak."""
    if isinstance(result, torch.Tensor):
        if result.numel() != 1:
            raise Wrong("exercises.l3.not_scalar", shape=shape_text(tuple(result.shape)))
        if result.grad_fn is not None or result.requires_grad:
            raise Wrong("exercises.l3.5.leak")
        return float(result)
    if isinstance(result, (int, float)) and not isinstance(result, bool):
        return float(result)
    raise FormError("exercises.l3.5.not_number", kind=kind_text(result))


@exercise(5)
def _check5(answer: object) -> None:
    answer = keys(answer, "epoch", "why")
    source = generator(5)
    for count, lr in ((5, 0.05), (3, 0.1)):
        model = _model5(source)
        batches = [(normal((6, 3), source), normal((6, 1), source)) for _ in range(count)]
        expected, after = _reference5(model, batches, lr)
        before = [p.detach().clone() for p in model.parameters()]
        optimizer = torch.optim.SGD(model.parameters(), lr=lr)
        result, error = attempt(answer["epoch"], model, optimizer, [(x.clone(), y.clone()) for x, y in batches])
        if error is not None:
            if NO_HISTORY in error[1]:
                raise Wrong("exercises.l3.5.no_graph", RAISED)
            raise learner_error(error)
        mean = _mean_loss5(result)
        trained = all(
            torch.allclose(p.detach(), q, rtol=PARAMETERS_KEPT, atol=PARAMETERS_KEPT)
            for p, q in zip(model.parameters(), after, strict=True)
        )
        if not trained:
            untouched = all(torch.equal(p.detach(), q) for p, q in zip(model.parameters(), before, strict=True))
            raise Wrong("exercises.l3.5.no_training" if untouched else "exercises.l3.5.training")
        if not _close(mean, expected):  # a total kept in float32 is right to 7 digits: the precision hint
            precision_checked(torch.tensor([mean], dtype=torch.float64), torch.tensor([expected], dtype=torch.float64))
            raise Wrong("exercises.l3.5.mean", actual=shortest(mean), expected=shortest(expected))
    choice(answer["why"], "a", "abc", "exercises.l3.5.why")


__all__ = ["BATCHES5", "Z4", "broken3", "broken4", "broken5", "model5", "softmax_value", "softmax_vjp"]
