"""Lesson 3's inputs, formulas and second ways of counting, for its claims to check against.

The formulas are pure float64 functions the claims compare autograd with (tests may replace
them to see a claim turn false); the counters walk a graph or watch its saved tensors, a second
mechanism beside what the lesson prints; the input readers refuse, in the learner's language,
what a formula cannot use.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable

import torch

from autograd_lessons.i18n import LessonError, Text, message, text
from autograd_lessons.numbers import shape_text, values_text

# --------------------------------------------------------------------------- inputs and words


def first_line(error: BaseException | Warning) -> str:
    """An error (or warning) as the learner sees it: type name and first line, without PyTorch's build path."""
    words = str(error).splitlines()[0] if str(error) else ""
    words = re.sub(r"\s*\(Triggered internally at [^)]*\)", "", words)
    return f"{type(error).__name__}: {words}".rstrip(": ").rstrip(".")


def labelled(key: str, value: object) -> Text:
    """Evidence like "x.grad with the double where: [0, 0, 0.25]": the words of `key`, then `value`."""
    return text("lesson3.labelled", label=text(key), value=value)


def floats(value: object, name: str = "x") -> torch.Tensor:
    """A detached float64 copy of a non-empty floating-point tensor (or number), or a LessonError."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = torch.tensor(float(value))
    if not isinstance(value, torch.Tensor):
        raise LessonError(message("lesson3.error.not_tensor", name=name, kind=type(value).__name__))
    if not value.dtype.is_floating_point:
        raise LessonError(message("lesson3.error.integer", name=name, dtype=str(value.dtype)))
    if value.numel() == 0:
        raise LessonError(message("lesson3.error.empty", name=name, shape=shape_text(value.shape)))
    return value.detach().to(torch.float64).clone()


def raised_by(action: Callable[[], object]) -> str | None:
    """What `action` raises, as first_line words (None when it raises nothing)."""
    try:
        action()
    except Exception as error:
        return first_line(error)
    return None


def warned_by(action: Callable[[], object]) -> tuple[object, list[str]]:
    """What `action` returns, and the warnings it emits (every one, as text)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = action()
    return result, [str(item.message) for item in caught]


def grad_of(function: Callable[[torch.Tensor], torch.Tensor], point: torch.Tensor) -> torch.Tensor:
    """Autograd's gradient of sum(function(point)) at `point` (a fresh leaf, the caller's tensor untouched)."""
    leaf = point.detach().clone().requires_grad_(True)
    function(leaf).sum().backward()
    return leaf.grad


def shown(tensor: torch.Tensor | None) -> str:
    return "None" if tensor is None else values_text(tensor)


# --------------------------------------------------------------------------- formulas (tests may replace them)


def sqrt_derivative(x: torch.Tensor) -> torch.Tensor:
    """d/dx √x = 1/(2√x), in float64: infinite at 0 and NaN below it."""
    x = x.to(torch.float64)
    return 0.5 / torch.sqrt(x)


def double_where_gradient(x: torch.Tensor) -> torch.Tensor:
    """d/dx of where(x > 0, √x, 0): 1/(2√x) where x > 0, 0 elsewhere."""
    x = x.to(torch.float64)
    return torch.where(x > 0, 0.5 / torch.sqrt(torch.where(x > 0, x, 1.0)), 0.0)


def log_softmax_loss(z: torch.Tensor, target: int) -> torch.Tensor:
    """−log softmax(z)[target] in float64, by the shifted log-sum-exp: max + log Σ exp(z − max) − z[target]."""
    z = z.to(torch.float64)
    top = z.max()
    return top + torch.log(torch.exp(z - top).sum()) - z[target]


def log_softmax_gradient(z: torch.Tensor, target: int) -> torch.Tensor:
    """∇ of −log softmax(z)[target]: softmax(z) − one-hot(target), in float64."""
    z = z.to(torch.float64)
    shifted = torch.exp(z - z.max())
    gradient = shifted / shifted.sum()
    gradient[target] -= 1
    return gradient


def relu_value(x: torch.Tensor) -> torch.Tensor:
    return torch.clamp(x.to(torch.float64), min=0)


def weight_decay_gradient(w: torch.Tensor, decay: float) -> torch.Tensor:
    """∇ of decay · Σ w²: 2 · decay · w."""
    return 2 * decay * w.to(torch.float64)


def exp_derivative(x: torch.Tensor) -> torch.Tensor:
    return torch.exp(x.to(torch.float64))


# --------------------------------------------------------------------------- one-sided slopes


ONE_SIDED_STEP = 2.0**-20  # a step small next to the lesson's points, and exact in float64


def one_sided_slopes(function: Callable[[torch.Tensor], torch.Tensor], x: float) -> tuple[float, float]:
    """(slope on the left, slope on the right) of a scalar function at x, in float64.

    The lesson's functions are linear on each side of their kinks, so a one-sided difference
    has no truncation error there.
    """
    point = torch.tensor(x, dtype=torch.float64)
    step = torch.tensor(ONE_SIDED_STEP, dtype=torch.float64)
    with torch.no_grad():
        here = function(point)
        left = (here - function(point - step)) / step
        right = (function(point + step) - here) / step
    return float(left), float(right)


def subgradient_gap(
    function: Callable[[torch.Tensor], torch.Tensor], point: torch.Tensor, slope: torch.Tensor, steps: torch.Tensor
) -> float:
    """The least of f(x + d) − f(x) − g·d over the rows d of `steps`, in float64: not negative
    exactly when the plane of slope g through (x, f(x)) stays below f along every step tried."""
    point, slope, steps = point.to(torch.float64), slope.to(torch.float64), steps.to(torch.float64)
    with torch.no_grad():
        here = function(point).sum()
        gaps = [function(point + d).sum() - here - (slope * d).sum() for d in steps]
    return float(torch.stack(gaps).min())


# --------------------------------------------------------------------------- the graph, walked


def graph_nodes(root: object) -> list[object]:
    """Every node reachable from `root` (a grad_fn), each once, walking next_functions."""
    seen, stack, found = set(), [root], []
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        found.append(node)
        stack.extend(child for child, _ in node.next_functions)
    return found


def node_names(root: object) -> set[str]:
    return {type(node).__name__ for node in graph_nodes(root)}


__all__ = [
    "ONE_SIDED_STEP",
    "double_where_gradient",
    "exp_derivative",
    "first_line",
    "floats",
    "grad_of",
    "graph_nodes",
    "labelled",
    "log_softmax_gradient",
    "log_softmax_loss",
    "node_names",
    "one_sided_slopes",
    "raised_by",
    "relu_value",
    "shown",
    "sqrt_derivative",
    "subgradient_gap",
    "warned_by",
    "weight_decay_gradient",
]
