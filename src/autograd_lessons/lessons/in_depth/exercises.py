"""The exercises of lesson 2 (notebook 02_exercises_in_depth, solutions in 02_solutions_in_depth): autograd in depth.

Every answer is a piece of code (a function or a class) that the checker runs on inputs of its
own, never shown to the learner: other shapes, other values and, for exercises 1–3 and 7, other
functions than the public ones, whose derivatives the checker knows as float64 formulas. So no
answer can be worked out by hand for the public example alone, and no answer is judged by its
text. Where autograd itself must do the work, the checker watches it happen: the graph is built
once (exercise 2, by counting calls), the hook is what clips (exercise 6: removing it through the
returned handle restores the unclipped gradient), the mode used is the one the shapes call for
(exercise 7: the probe function records whether its jvp or its backward ran), the Hessian is never
built (exercise 3: no tensor of n² elements, no pass per row). The functions the checker passes
count their calls and note a call at a point next to the checker's, so an answer that never calls
them, or that takes finite differences, is told so; exercises 3, 5 and 7 also ask why, as a
lettered choice.

The public constants are for trying an answer in the notebook; the checkers use private copies
and private generators, so changing the public ones in place changes nothing here.
"""

from __future__ import annotations

import functools
import math

import torch
from torch.overrides import TorchFunctionMode
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils._pytree import tree_leaves

from autograd_lessons.exercises import (
    FormError,
    LearnerRaised,
    Wrong,
    agreement,
    as_tensor,
    call,
    choice,
    close,
    keys,
    kind_text,
)
from autograd_lessons.i18n import Text, text
from autograd_lessons.lessons.in_depth import LESSON
from autograd_lessons.numbers import brief, shape_text, shortest
from autograd_lessons.quirks import load_forward_mode

exercise = LESSON.exercise

# The seed of every private generator: the feedback is the same at every run.
CHECK_SEED = 4
# A point within this distance of the checker's point, relative to 1 + its largest |element|,
# but not at it, is a finite-difference step (learners take steps of 1e-8 to 1e-3); the answer's
# exact intermediate values lie much further from the point than that.
NEAR_STEP = 1e-3
# Headlines: the learner's code raised; the values are right but not computed the way asked; the
# function returned None; it never called the function it receives; it approximates.
_RAISED = "exercises.raised_headline"
_RIGHT_VALUES = "exercises.l2.right_values"
_NO_RESULT = "exercises.l2.no_result"
_NOT_CALLED = "exercises.l2.not_called_headline"
_APPROXIMATE = "exercises.l2.approximate_headline"
# PyTorch's words for a backward pass through a graph already freed, and for a gradient asked of
# a tensor the result does not depend on.
_FREED = "backward through the graph a second time"
_UNUSED = "appears to not have been used in the graph"
# What an answer can raise that check() words itself (exit() called, endless recursion).
_WORDED_BY_CHECK = ("SystemExit", "RecursionError")

# This module's checks (or its lesson's cells) use forward mode; keep its import warning out of outputs.
load_forward_mode()


def _generator(offset: int = 0) -> torch.Generator:
    return torch.Generator().manual_seed(CHECK_SEED * 1000 + offset)


def _uniform(shape: tuple[int, ...], low: float, high: float, generator: torch.Generator) -> torch.Tensor:
    return low + (high - low) * torch.rand(shape, dtype=torch.float64, generator=generator)


def _normal(shape: tuple[int, ...], generator: torch.Generator) -> torch.Tensor:
    return torch.randn(shape, dtype=torch.float64, generator=generator)


# --------------------------------------------------------------------------- public examples

_public = torch.Generator().manual_seed(0)

# Exercise 1: a small network x ↦ h = tanh(x W + b) ↦ L = mean((h V)²).
_W1 = torch.randn(3, 4, generator=_public)
_B1 = torch.randn(4, generator=_public)
_V1 = torch.randn(4, 2, generator=_public)
X1 = torch.randn(5, 3, generator=_public)


def forward1(x):
    weight = _W1.clone().requires_grad_(True)
    bias = _B1.clone().requires_grad_(True)
    out = _V1.clone().requires_grad_(True)
    h = torch.tanh(x @ weight + bias)
    loss = ((h @ out) ** 2).mean()
    return h, loss


# Exercise 2: two losses that share one forward pass.
_A2 = torch.randn(6, 3, generator=_public)
_T2 = torch.randn(6, generator=_public)
W2 = torch.randn(3, generator=_public).requires_grad_(True)


def forward2(w):
    h = torch.tanh(_A2 @ w)
    loss1 = ((h - _T2) ** 2).sum()
    loss2 = h.sum() ** 2 / 2
    return loss1, loss2


# Exercise 3: a scalar function, a point and a direction.
X3 = torch.tensor([1.0, -0.5, 2.0, 0.25])
V3 = torch.tensor([0.5, 1.0, -1.0, 2.0])


def f3(x):
    return (x**4).sum() / 4 + (x[:-1] * x[1:]).sum()


# Exercise 5: a function whose backward pass fails.
def broken5(x):
    y = x * 2
    y += 1
    z = torch.sigmoid(y)
    z *= y
    return z


# Exercise 7: a tall function (3 inputs, 200 outputs) and a wide one (200 inputs, 3 outputs).
_W_TALL = torch.randn(200, 3, generator=_public) / 2
_W_WIDE = torch.randn(3, 200, generator=_public) / 10
X7_TALL = torch.randn(3, generator=_public)
X7_WIDE = torch.randn(200, generator=_public)


def tall7(x):
    return torch.tanh(_W_TALL @ x)


def wide7(x):
    return torch.tanh(_W_WIDE @ x)


del _public

# --------------------------------------------------------------------------- shared judging helpers


def _attempt(function: object, *args: object) -> tuple[object, tuple[str, str] | None]:
    """Run learner code: (result, None), or (None, (type name, message)) if it raised.

    The guard's own stops (time, memory, a real Ctrl-C) go through to check(), which reports them.
    """
    try:
        return call(function, *args), None
    except LearnerRaised as raised:
        return None, (raised.kind, raised.detail)


def _raised(error: tuple[str, str]) -> LearnerRaised:
    return LearnerRaised(*error)


def _said(error: tuple[str, str]) -> str:
    """An error as a clause for a sentence ("RuntimeError: …", no final period)."""
    return LearnerRaised(*error).text


# Finite-difference steps as learners take them: x + h·e in float64, a batch of them, or x + ih.
_STEP_DTYPES = {torch.float64: torch.float32, torch.complex128: torch.complex64}  # dtype → rounded to


def _near(value: object, point: torch.Tensor) -> bool:
    """Whether `value` is `point` moved by a finite-difference step: a float64 or complex128
    tensor of its shape (or a batch of such: its last dimensions are the point's), within
    NEAR_STEP of it but not equal, and not merely `point` rounded to single precision."""
    try:
        batch = value.dim() - point.dim() if isinstance(value, torch.Tensor) else -1  # leading dimensions
        if batch < 0 or value.dtype not in _STEP_DTYPES or value.shape[batch:] != point.shape:
            return False
        value = value.detach()
        step = float((value - point).abs().max())
        rounded = value.to(_STEP_DTYPES[value.dtype]).to(value.dtype)
        return 0 < step <= NEAR_STEP * (1 + float(point.abs().max())) and not torch.equal(value, rounded)
    except Exception:  # inside a torch.func transform (vmap) a tensor has no values to read
        return False


class _Watched:
    """A function the checker passes to the answer, counting its calls and noting a call at a
    point next to the checker's (a finite-difference step)."""

    def __init__(self, function, point: torch.Tensor) -> None:
        self.function, self.point, self.calls, self.stepped = function, point, 0, False

    def __call__(self, x):
        self.calls += 1
        self.stepped = self.stepped or _near(x, self.point)
        return self.function(x)


class _Stepping(TorchFunctionMode):
    """Notes whether any torch function receives `point` moved by a finite-difference step."""

    def __init__(self, point: torch.Tensor) -> None:
        super().__init__()
        self.point, self.stepped = point, False

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        if not self.stepped:
            self.stepped = any(_near(value, self.point) for value in tree_leaves((args, kwargs)))
        return func(*args, **kwargs)


def _learner_error(error: tuple[str, str], watched: _Watched, name: str, example: str) -> Exception:
    """What the answer raised, with its cause when the checker knows it: the function it receives
    never called, or a gradient asked of a tensor the result does not depend on."""
    if error[0] in _WORDED_BY_CHECK:
        return _raised(error)
    if watched.calls == 0:
        return Wrong("exercises.l2.not_called_raised", _RAISED, error=_said(error), name=name, example=example)
    if _UNUSED in error[1]:
        return Wrong("exercises.l2.unused", _RAISED)
    return _raised(error)


def _require_calls(watched: _Watched, name: str, example: str) -> None:
    if watched.calls == 0:
        raise Wrong("exercises.l2.not_called", _NOT_CALLED, name=name, example=example)


_run = call


def _worst(actual: torch.Tensor, expected: torch.Tensor) -> int:
    error = torch.nan_to_num((actual.double() - expected.double()).abs().reshape(-1), nan=math.inf)
    return int(torch.argmax(error))


def _where(points: torch.Tensor | None, index: int, shape: tuple[int, ...]) -> Text:
    """Where the worst element is: at its input value if inputs and results align, else its position."""
    if points is not None and tuple(points.shape) == shape:
        return text("exercises.l2.at_x", x=shortest(float(points.reshape(-1)[index]), points.dtype))
    position = tuple(int(i) for i in torch.unravel_index(torch.tensor(index), shape)) if shape else ()
    return text("exercises.l2.at_index", index=shape_text(position))


def _fields(actual: torch.Tensor, expected: torch.Tensor, points: torch.Tensor | None) -> dict[str, object]:
    i = _worst(actual, expected)
    return {
        "where": _where(points, i, tuple(actual.shape)),
        "actual": shortest(float(actual.reshape(-1)[i]), actual.dtype),
        "expected": shortest(float(expected.reshape(-1)[i]), actual.dtype),
    }


def _precision(actual: torch.Tensor, expected: torch.Tensor, points: torch.Tensor | None) -> Wrong:
    return Wrong(
        "exercises.l2.precision",
        "exercises.precision_headline",
        dtype=str(actual.dtype).removeprefix("torch."),
        **_fields(actual, expected, points),
    )


def _same(actual: torch.Tensor, expected: torch.Tensor) -> bool:
    return tuple(actual.shape) == tuple(expected.shape) and close(actual, expected)


def _judge_values(
    actual: torch.Tensor,
    expected: torch.Tensor,
    points: torch.Tensor | None,
    mistakes: dict[str, torch.Tensor],
    fallback: str,
    approximate: str | None = None,
    **fields: object,
) -> None:
    """Right (up to rounding) or a Wrong: an approximation (`approximate`, the key to raise when
    the answer was seen taking finite-difference steps), float32 precision, a known mistake, or
    `fallback`."""
    found = agreement(actual, expected)
    if found == "same":
        return
    if approximate is not None:
        raise Wrong(approximate, _APPROXIMATE, **fields)
    if found == "float32":
        raise _precision(actual, expected, points)
    for key, value in mistakes.items():
        if _same(actual, value):
            raise Wrong(key, **fields)
    raise Wrong(fallback, **_fields(actual, expected, points), **fields)


def _tensor_result(
    value: object, shape: tuple[int, ...], none_key: str | None = None, shapes: dict[tuple[int, ...], str] | None = None
) -> torch.Tensor:
    """The learner's result as a float tensor of `shape`; None and known wrong shapes get a hint."""
    if value is None and none_key is not None:
        raise Wrong(none_key, _NO_RESULT)
    if isinstance(value, torch.Tensor) and shapes:
        key = shapes.get(tuple(value.shape))
        if key is not None and tuple(value.shape) != shape:
            raise Wrong(key, actual=shape_text(tuple(value.shape)), expected=shape_text(shape))
    return as_tensor(value, shape)


def _leaf(values: torch.Tensor) -> torch.Tensor:
    return values.clone().requires_grad_(True)


# --------------------------------------------------------------------------- exercise 1


def _forward_tanh(x: torch.Tensor, weight: torch.Tensor, out: torch.Tensor, target: torch.Tensor):
    def forward(inputs):
        h = torch.tanh(inputs @ weight)
        loss = ((h @ out - target) ** 2).mean()
        return h, loss

    h = torch.tanh(x @ weight.detach())
    residual = h @ out.detach() - target
    grad = 2 * residual @ out.detach().T / residual.numel()
    pre_activation = grad * (1 - h**2)  # dL/d(xW): the gradient one node further down
    return forward, h, grad, pre_activation


def _forward_sine(x: torch.Tensor, weight: torch.Tensor, out: torch.Tensor):
    def forward(inputs):
        h = 1.5 * torch.sin(inputs @ weight)
        loss = (torch.exp(h) @ out).sum() + 0.1 * (h**2).sum()
        return h, loss

    h = 1.5 * torch.sin(x @ weight.detach())
    grad = torch.exp(h) * out.detach() + 0.2 * h
    return forward, h, grad, None


def _cases1():
    g = _generator(1)
    x_a = _normal((6, 3), g)
    w_a, out_a, target_a = _leaf(_normal((3, 4), g)), _leaf(_normal((4, 2), g)), _normal((6, 2), g)
    x_b = _normal((7, 2), g)
    w_b, out_b = _leaf(_normal((2, 5), g) / 2), _leaf(_uniform((5,), -1, 1, g))
    return [
        (x_a, *_forward_tanh(x_a, w_a, out_a, target_a), (w_a, out_a)),
        (x_b, *_forward_sine(x_b, w_b, out_b), (w_b, out_b)),
    ]


class _Forward1(_Watched):
    """Exercise 1's forward, also keeping the h it returned and noting whether a backward pass
    (loss.backward() or torch.autograd.grad) reached that h."""

    def __init__(self, function, point: torch.Tensor) -> None:
        super().__init__(function, point)
        self.h, self.reached = None, False

    def __call__(self, x):
        h, loss = super().__call__(x)
        h.register_hook(self._reach)
        self.h = h
        return h, loss

    def _reach(self, grad: torch.Tensor) -> None:
        self.reached = True


_DETACHING = (torch.Tensor.detach, torch.Tensor.detach_, torch.detach, torch.Tensor.data.__get__)


class _Detaching(TorchFunctionMode):
    """Notes whether the answer detached the h that `forward` returned (detach() or .data)."""

    def __init__(self, forward: _Forward1) -> None:
        super().__init__()
        self.forward, self.detached = forward, False

    def __torch_function__(self, func, types, args=(), kwargs=None):
        if func in _DETACHING and args and self.forward.h is not None and args[0] is self.forward.h:
            self.detached = True
        return func(*args, **(kwargs or {}))


def _none1(forward: _Forward1, detached: bool, leaves: tuple[torch.Tensor, ...]) -> str:
    """Why exercise 1's answer returned None, from what the checker saw happen to its h."""
    if detached:
        return "exercises.l2.1.detached"  # a copy outside the graph: retain_grad cannot help
    if not forward.reached:
        return "exercises.l2.1.no_backward"
    if forward.h.retains_grad:
        return "exercises.l2.1.no_return" if forward.h.grad is not None else "exercises.l2.1.retain_late"
    if all(leaf.grad is None for leaf in leaves):
        return "exercises.l2.1.no_return"  # torch.autograd.grad or a hook got the gradient
    return "exercises.l2.1.none"


@exercise(1)
def _check1(answer: object) -> None:
    for x, function, h, expected, pre_activation, leaves in _cases1():
        forward = _Forward1(function, x)
        with _Detaching(forward) as seen:
            result, error = _attempt(answer, forward, x.clone())
        if error is not None:
            raise _learner_error(error, forward, "forward", "forward1")
        _require_calls(forward, "forward", "forward1")
        if result is None:
            raise Wrong(_none1(forward, seen.detached, leaves), _NO_RESULT)
        got = _tensor_result(result, tuple(h.shape), shapes={tuple(x.shape): "exercises.l2.1.input"})
        mistakes = {"exercises.l2.1.activation": h, "exercises.l2.1.twice": 2 * expected}
        if pre_activation is not None:
            mistakes["exercises.l2.1.pre_activation"] = pre_activation
        _judge_values(got, expected, None, mistakes, "exercises.l2.1.values")


# --------------------------------------------------------------------------- exercise 2


class _Counted(_Watched):
    """forward(w) -> (loss1, loss2), counting how many times the graph is built."""

    def __init__(self, matrix: torch.Tensor, target: torch.Tensor, weights: torch.Tensor, point: torch.Tensor) -> None:
        super().__init__(self._losses, point)
        self.matrix, self.target, self.weights = matrix, target, weights

    def _losses(self, w):
        h = torch.tanh(self.matrix @ w)
        loss1 = ((h - self.target) ** 2).sum()
        loss2 = (self.weights @ h) ** 2 / 2
        return loss1, loss2

    def gradients(self, w: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        h = torch.tanh(self.matrix @ w)
        slope = 1 - h**2
        grad1 = self.matrix.T @ (2 * (h - self.target) * slope)
        grad2 = self.matrix.T @ ((self.weights @ h) * self.weights * slope)
        return grad1, grad2


def _weights2(got: torch.Tensor, grad1: torch.Tensor, grad2: torch.Tensor) -> tuple[float, float]:
    """The a and b that make a·grad1 + b·grad2 closest to `got` (least squares; NaN if got is not finite)."""
    if not torch.isfinite(got).all():
        return math.nan, math.nan
    basis = torch.stack([grad1, grad2], dim=1)
    a, b = torch.linalg.lstsq(basis, got.double()[:, None]).solution.reshape(-1).tolist()
    return a, b


@exercise(2)
def _check2(answer: object) -> None:
    g = _generator(2)
    for n, m in ((4, 7), (6, 5)):
        matrix, target, weights = _normal((m, n), g) / 2, _normal((m,), g), _uniform((m,), -1, 1, g)
        point = _normal((n,), g)
        stale = _uniform((n,), 1, 3, g)
        forward = _Counted(matrix, target, weights, point)
        w = _leaf(point)
        w.grad = stale.clone()  # left over from "an earlier step"
        result, error = _attempt(answer, forward, w)
        if error is not None:
            if _FREED in error[1] and forward.calls:
                raise Wrong("exercises.l2.2.retain_graph", _RAISED)
            raise _learner_error(error, forward, "forward", "forward2")
        _require_calls(forward, "forward", "forward2")
        got = _tensor_result(result, (n,), "exercises.l2.2.none")
        grad1, grad2 = forward.gradients(point)
        expected = grad1 + grad2
        if not got.any():
            cleared = w.grad is not None and not w.grad.any()
            raise Wrong("exercises.l2.2.zeros_cleared" if cleared else "exercises.l2.2.zeros")
        a, b = _weights2(got, grad1, grad2)
        mistakes = {
            "exercises.l2.2.old": stale,
            "exercises.l2.2.weights": point,
            "exercises.l2.2.stale": expected + stale,
            "exercises.l2.2.only_one": grad1,
            "exercises.l2.2.only_other": grad2,
            "exercises.l2.2.mean": expected / 2,
        }
        for repeated in (2, 3):
            mistakes[f"exercises.l2.2.repeated_{repeated}"] = repeated * expected
        mistakes["exercises.l2.2.weighted"] = a * grad1 + b * grad2
        approximate = "exercises.l2.2.approximate" if forward.stepped else None
        _judge_values(got, expected, None, mistakes, "exercises.l2.2.values", approximate, a=brief(a), b=brief(b))
        if forward.calls > 1:
            raise Wrong("exercises.l2.2.two_graphs", _RIGHT_VALUES, calls=forward.calls)


# --------------------------------------------------------------------------- exercise 3


class _Tap(torch.autograd.Function):
    """The identity, counting the differentiation passes through it (its backward or its jvp):
    two for H v, one more per row of H for an answer that builds H row by row."""

    generate_vmap_rule = True
    passes = 0

    @staticmethod
    def forward(x):
        return x.clone()

    @staticmethod
    def setup_context(ctx, inputs, output):
        pass

    @staticmethod
    def backward(ctx, grad):
        _Tap.passes += 1
        return grad

    @staticmethod
    def jvp(ctx, tangent):
        _Tap.passes += 1
        return tangent


class _Largest(TorchDispatchMode):
    """Notes the most elements of any tensor an operation makes (under torch.func transforms too:
    a batch of n rows of H is one tensor of n² elements here)."""

    def __init__(self) -> None:
        super().__init__()
        self.numel = 0

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        sizes = [t.numel() for t in tree_leaves(out) if isinstance(t, torch.Tensor)]
        self.numel = max([self.numel, *sizes])
        return out


def _watching_sizes(function, *args):
    """(what `function(*args)` returns, the most elements of a tensor made meanwhile)."""
    depth = torch._C._len_torch_dispatch_stack()
    largest = _Largest()
    try:
        with largest:
            return function(*args), largest.numel
    finally:  # a stop of the guard may cut the mode's exit short
        while torch._C._len_torch_dispatch_stack() > depth:
            torch._C._pop_torch_dispatch_stack()


def _quartic(coupling: torch.Tensor):
    def f(x):
        return (x**4).sum() / 4 + (coupling @ x) ** 2 / 2 + (x[:-1] * x[1:]).sum()

    def gradient(x):
        shifted = torch.zeros_like(x)
        shifted[:-1] += x[1:]
        shifted[1:] += x[:-1]
        return x**3 + (coupling @ x) * coupling + shifted

    def hessian_times(x, v):
        shifted = torch.zeros_like(v)
        shifted[:-1] += v[1:]
        shifted[1:] += v[:-1]
        return 3 * x**2 * v + (coupling @ v) * coupling + shifted

    return f, gradient, hessian_times


def _log_sum_exp():
    def f(x):
        return torch.log1p(torch.exp(x).sum())

    def gradient(x):
        return torch.exp(x) / (1 + torch.exp(x).sum())

    def hessian_times(x, v):
        p = gradient(x)
        return p * v - p * (p @ v)

    return f, gradient, hessian_times


@exercise(3)
def _check3(answer: object) -> None:
    answer = keys(answer, "hvp", "why")
    g = _generator(3)
    cases = [(_quartic(_uniform((5,), -1, 1, g)), 5), (_log_sum_exp(), 7)]
    for (f, gradient, hessian_times), n in cases:
        x, v = _uniform((n,), -1.5, 1.5, g), _uniform((n,), -2, 2, g)
        tapped = _Watched(lambda z, f=f: f(_Tap.apply(z)), x)
        _Tap.passes = 0
        (result, error), largest = _watching_sizes(_attempt, answer["hvp"], tapped, x.clone(), v.clone())
        passes, _Tap.passes = _Tap.passes, 0
        if error is not None:
            if tapped.calls and "does not require grad and does not have a grad_fn" in error[1]:
                raise Wrong("exercises.l2.3.no_graph", _RAISED)
            raise _learner_error(error, tapped, "f", "f3")
        _require_calls(tapped, "f", "f3")
        if isinstance(result, torch.Tensor) and result.dim() == 0:
            raise Wrong("exercises.l2.3.scalar")
        got = _tensor_result(result, (n,), "exercises.l2.3.none", {(n, n): "exercises.l2.3.matrix"})
        expected, grad = hessian_times(x, v), gradient(x)
        mistakes = {
            "exercises.l2.3.gradient": grad,
            "exercises.l2.3.accumulated": grad + expected,
            "exercises.l2.3.ones": hessian_times(x, torch.ones_like(v)),
        }
        approximate = "exercises.l2.3.approximate" if tapped.stepped else None
        _judge_values(got, expected, None, mistakes, "exercises.l2.3.values", approximate)
        if largest >= n * n or passes >= n:  # H's n² elements, or one pass per row of H
            raise Wrong("exercises.l2.3.built_hessian", _RIGHT_VALUES, n=n)
    choice(answer["why"], "b", "abc", "exercises.l2.3.why")


# --------------------------------------------------------------------------- exercise 4


def _silu(x: torch.Tensor) -> torch.Tensor:
    return x * torch.sigmoid(x)


def _silu_derivative(x: torch.Tensor) -> torch.Tensor:
    s = torch.sigmoid(x)
    return s * (1 + x * (1 - s))


def _form4(answer: object) -> None:
    """FormError unless `answer` is a subclass of torch.autograd.Function (the class itself)."""
    if not isinstance(answer, type):
        owner = getattr(answer, "__self__", None)
        if isinstance(owner, type) and issubclass(owner, torch.autograd.Function):
            raise FormError("exercises.l2.4.apply", name=owner.__name__)
        if isinstance(answer, torch.autograd.Function):
            raise FormError("exercises.l2.4.instance", name=type(answer).__name__)
        raise FormError("exercises.l2.4.not_class", kind=kind_text(answer))
    if not issubclass(answer, torch.autograd.Function) or answer is torch.autograd.Function:
        raise FormError("exercises.l2.4.not_function", name=answer.__name__)


def _backward4(answer: type, node: object, upstream: torch.Tensor, points: torch.Tensor) -> bool:
    """Call the answer's backward as autograd would, judge the form of what it returns, and say
    whether it evaluated silu at points next to x (finite differences)."""
    with _Stepping(points) as seen, torch.no_grad():
        raw = _run(answer.backward, node, upstream.clone())
    if isinstance(raw, (tuple, list)) and raw and all(extra is None for extra in raw[1:]):
        raw = raw[0]  # autograd drops extra Nones after the one input's gradient
    if raw is None:
        raise Wrong("exercises.l2.4.backward_none", _NO_RESULT)
    as_tensor(raw, tuple(points.shape), name=text("exercises.l2.4.backward_result"))
    return seen.stepped


@exercise(4)
def _check4(answer: object) -> None:
    _form4(answer)
    g = _generator(4)
    points = torch.cat([_uniform((14,), -6, 6, g), torch.tensor([0.0], dtype=torch.float64)]).reshape(3, 5)
    x = _leaf(points)
    y, error = _attempt(answer.apply, x)
    if error is not None:
        if "leaf Variable that requires grad" in error[1]:
            raise Wrong("exercises.l2.4.changes_input", _RAISED)
        raise _raised(error)
    if isinstance(y, (tuple, list)) and len(y) == 1:
        y = y[0]
    got = as_tensor(y, tuple(points.shape))
    if not torch.equal(x.detach(), points):
        raise Wrong("exercises.l2.4.changes_input", "exercises.l2.4.changes_input_headline")
    _judge_values(
        got,
        _silu(points),
        points,
        {"exercises.l2.4.derivative_forward": _silu_derivative(points)},
        "exercises.l2.4.forward",
    )
    node = y.grad_fn
    if node is None:
        raise Wrong("exercises.l2.4.no_node")
    if type(node).__name__ != f"{answer.__name__}Backward":
        raise Wrong("exercises.l2.4.other_node", node=type(node).__name__, name=answer.__name__)
    saved, error = _attempt(lambda: len(node.saved_tensors))
    if error is not None or saved == 0:
        raise Wrong("exercises.l2.4.not_saved", _RIGHT_VALUES)
    upstream = _uniform(tuple(points.shape), 0.5, 2.0, g)  # not ones: grad_output must be used
    stepped = _backward4(answer, node, upstream, points)
    grads = _run(lambda: torch.autograd.grad(y, x, upstream))
    grad = as_tensor(grads[0], tuple(points.shape))
    derivative = _silu_derivative(points)
    s = torch.sigmoid(points)
    mistakes = {
        "exercises.l2.4.grad_output": derivative,
        "exercises.l2.4.product_rule": upstream * s,
        "exercises.l2.4.sigmoid_derivative": upstream * s * (1 - s),
    }
    approximate = "exercises.l2.4.approximate" if stepped else None
    _judge_values(grad, upstream * derivative, points, mistakes, "exercises.l2.4.backward", approximate)


# --------------------------------------------------------------------------- exercise 5


def _value5(x: torch.Tensor) -> torch.Tensor:
    y = 2 * x + 1
    return torch.sigmoid(y) * y


def _backward_failure(error: tuple[str, str], inside: str, other: str, headline: str) -> Exception:
    """The checker's own backward pass failed: because the answer already ran one through the
    same graph (`inside`), or for another reason (`other`, which shows the error)."""
    if error[0] in _WORDED_BY_CHECK:
        return _raised(error)
    if _FREED in error[1]:
        return Wrong(inside, headline)
    return Wrong(other, headline, error=_said(error))


@exercise(5)
def _check5(answer: object) -> None:
    answer = keys(answer, "fixed", "why")
    g = _generator(5)
    for shape in ((4, 3), (6,)):
        points = _uniform(shape, -3, 3, g)
        x = _leaf(points)
        result, error = _attempt(answer["fixed"], x)
        if error is not None:
            if "leaf Variable that requires grad" in error[1]:
                raise Wrong("exercises.l2.5.leaf", _RAISED)
            raise _raised(error)
        got = as_tensor(result, shape)
        _judge_values(got, _value5(points), points, {}, "exercises.l2.5.values")
        if not result.requires_grad or result.grad_fn is None:
            raise Wrong("exercises.l2.5.detached")
        upstream = _uniform(shape, 0.5, 2.0, g)
        grads, error = _attempt(functools.partial(torch.autograd.grad, result, x, upstream, allow_unused=True))
        if error is not None:
            if "modified by an inplace operation" in error[1]:
                raise Wrong("exercises.l2.5.still_inplace", "exercises.l2.backward_raised")
            inside, other = "exercises.l2.5.backward_inside", "exercises.l2.5.backward_error"
            raise _backward_failure(error, inside, other, "exercises.l2.backward_raised")
        if grads[0] is None:
            raise Wrong("exercises.l2.5.detached")
        grad = as_tensor(grads[0], shape)
        y = 2 * points + 1
        s = torch.sigmoid(y)
        w = s * y  # what z.data *= y leaves where sigmoid kept its output
        mistakes = {
            "exercises.l2.5.detached": torch.zeros_like(points),
            "exercises.l2.5.partly_detached": upstream * 2 * s,
            "exercises.l2.5.partly_detached_other": upstream * 2 * s * (1 - s) * y,
            "exercises.l2.5.data": upstream * 2 * w * (1 - w),
        }
        _judge_values(grad, upstream * 2 * s * (1 + y * (1 - s)), points, mistakes, "exercises.l2.5.gradient")
    choice(answer["why"], "c", "abc", "exercises.l2.5.why")


# --------------------------------------------------------------------------- exercise 6


_GRADIENTS6 = torch.tensor([3.1, -2.7, 0.4, -0.2, 1.9, -4.0, 0.05, 2.8, -0.9], dtype=torch.float64)


def _through(loss: torch.Tensor, x: torch.Tensor, **options: object) -> torch.Tensor:
    """x's gradient of `loss`, by the checker's own backward pass through the learner's hook."""
    grads, error = _attempt(functools.partial(torch.autograd.grad, loss, x, **options))
    if error is not None:
        inside, other = "exercises.l2.6.backward_inside", "exercises.l2.6.hook_failed"
        raise _backward_failure(error, inside, other, "exercises.l2.checker_backward")
    return as_tensor(grads[0], tuple(x.shape))


@exercise(6)
def _check6(answer: object) -> str | None:
    g = _generator(6)
    remark = None
    for c in (0.75, 2.5):
        # The gradient at h is h · weights = _GRADIENTS6 (jittered): above c, below −c and inside
        # [−c, c] for both values of c. x.grad = scale · (gradient at h), so clipping x.grad instead
        # of the gradient at h gives other values.
        at_h = _GRADIENTS6 * _uniform((9,), 0.9, 1.1, g)
        scale = _uniform((9,), 0.5, 3, g)
        weights = _uniform((9,), 0.5, 1.5, g)
        points = at_h / weights / scale
        x = _leaf(points)
        h = x * scale
        loss = (h**2 * weights).sum() / 2
        arriving = []

        def observe(grad, arriving=arriving):  # runs before the learner's hook: sees the gradient it receives
            arriving.append((grad, grad.clone()))

        h.register_hook(observe)
        handle = _run(answer, h, c)
        remove = getattr(handle, "remove", None) if handle is not None else None
        if not callable(remove):
            raise FormError("exercises.l2.6.handle", kind=kind_text(handle))
        got = _through(loss, x, retain_graph=True)
        expected = scale * at_h.clamp(-c, c)
        on_tensor = len(h._backward_hooks or {}) > 1  # the learner's hook beside the checker's own
        mistakes = {
            "exercises.l2.6.no_effect" if on_tensor else "exercises.l2.6.not_on_tensor": scale * at_h,
            "exercises.l2.6.zeros": torch.zeros_like(points),
            "exercises.l2.6.wrong_tensor": (scale * at_h).clamp(-c, c),
            "exercises.l2.6.one_side": scale * at_h.clamp(max=c),
            "exercises.l2.6.fixed_c": scale * at_h.clamp(-1, 1),
        }
        _judge_values(got, expected, points, mistakes, "exercises.l2.6.values", c=shortest(c))
        if any(not torch.equal(seen, kept) for seen, kept in arriving):
            remark = "exercises.l2.6.in_place"
        _run(remove)
        if not _same(_through(loss, x), scale * at_h):
            raise Wrong("exercises.l2.6.not_removed", _RIGHT_VALUES)
    return remark


# --------------------------------------------------------------------------- exercise 7


class _Probe(torch.autograd.Function):
    """tanh, recording which mode differentiated it: its jvp (forward) or its backward (reverse)."""

    generate_vmap_rule = True
    used: set[str] = set()

    @staticmethod
    def forward(z):
        return torch.tanh(z)

    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(output)
        ctx.save_for_forward(output)

    @staticmethod
    def backward(ctx, grad):
        _Probe.used.add("reverse")
        (t,) = ctx.saved_tensors
        return grad * (1 - t * t)

    @staticmethod
    def jvp(ctx, tangent):
        _Probe.used.add("forward")
        (t,) = ctx.saved_tensors
        return tangent * (1 - t * t)


def _probe_function(weight: torch.Tensor):
    def f(x):
        return _Probe.apply(weight @ x)

    return f


@exercise(7)
def _check7(answer: object) -> None:
    answer = keys(answer, "jacobian", "why")
    g = _generator(7)
    for inputs, outputs in ((3, 200), (200, 3), (40, 300), (30, 2)):
        weight = _normal((outputs, inputs), g) / math.sqrt(inputs)
        point = _normal((inputs,), g)
        f = _Watched(_probe_function(weight), point)
        _Probe.used = set()
        result, error = _attempt(answer["jacobian"], f, point.clone())
        used, _Probe.used = _Probe.used, set()
        if error is not None:
            raise _learner_error(error, f, "f", "tall7")
        _require_calls(f, "f", "tall7")
        expected = (1 - torch.tanh(weight @ point) ** 2)[:, None] * weight
        fields = {"inputs": inputs, "outputs": outputs}
        if isinstance(result, torch.Tensor) and tuple(result.shape) == (inputs, outputs):
            raise Wrong("exercises.l2.7.transposed", **fields)
        got = as_tensor(result, (outputs, inputs))
        if not used:
            which = "exercises.l2.7.finite_differences" if f.stepped else "exercises.l2.7.no_autograd"
            raise Wrong(which, "exercises.l2.not_autograd", **fields)
        _judge_values(got, expected, None, {}, "exercises.l2.7.values", **fields)
        if used == {"forward", "reverse"}:
            raise Wrong("exercises.l2.7.both", _RIGHT_VALUES, **fields)
        cheaper = "forward" if inputs < outputs else "reverse"
        if used != {cheaper}:
            raise Wrong(f"exercises.l2.7.{cheaper}_cheaper", _RIGHT_VALUES, **fields)
    choice(answer["why"], "a", "abc", "exercises.l2.7.why")


__all__ = [
    "V3",
    "W2",
    "X1",
    "X3",
    "X7_TALL",
    "X7_WIDE",
    "broken5",
    "f3",
    "forward1",
    "forward2",
    "tall7",
    "wide7",
]
