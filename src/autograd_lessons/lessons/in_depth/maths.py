"""Lesson 2's inputs and formulas: how a claim reads its inputs, and the analytic results it checks against.

The formulas are pure functions the claims compare autograd with (tests may replace them to see a
claim turn false); the input readers refuse, in the learner's language, what a formula cannot use.
"""

from __future__ import annotations

import re

import torch

from autograd_lessons.i18n import LessonError, Text, message, text
from autograd_lessons.numbers import shape_text, values_text

# --------------------------------------------------------------------------- inputs


def labelled(key: str, value: object) -> Text:
    """Evidence like "x.grad after two calls: [0, 4, 8]": the words of `key`, then `value`."""
    return text("lesson2.labelled", label=text(key), value=value)


def first_line(error: BaseException) -> str:
    """An error as the learner sees it: type name and first line, without PyTorch's build path."""
    text = str(error).splitlines()[0] if str(error) else ""
    text = re.sub(r"\s*\(Triggered internally at [^)]*\)", "", text)
    return f"{type(error).__name__}: {text}".rstrip(": ").rstrip(".")


def floats(value: object, name: str = "x") -> torch.Tensor:
    """A detached copy of a finite, non-empty floating-point tensor, or a LessonError saying why not."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = torch.tensor(float(value))
    if not isinstance(value, torch.Tensor):
        raise LessonError(message("lesson2.error.not_tensor", name=name, kind=type(value).__name__))
    if not value.dtype.is_floating_point:
        raise LessonError(message("lesson2.error.integer", name=name, dtype=str(value.dtype)))
    if value.numel() == 0:
        raise LessonError(message("lesson2.error.empty", name=name, shape=shape_text(value.shape)))
    if not bool(torch.isfinite(value).all()):
        raise LessonError(message("lesson2.error.not_finite", name=name, values=values_text(value)))
    return value.detach().clone()


def same_shape(x: torch.Tensor, v: torch.Tensor, name: str) -> None:
    if x.shape != v.shape or x.dtype != v.dtype:
        raise LessonError(
            message(
                "lesson2.error.like_x",
                name=name,
                shape=shape_text(v.shape),
                dtype=str(v.dtype),
                x_shape=shape_text(x.shape),
                x_dtype=str(x.dtype),
            )
        )


def positive_int(value: object, name: str, smallest: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < smallest:
        raise LessonError(message("lesson2.error.count", name=name, value=value, smallest=smallest))
    return value


def lesson_x() -> torch.Tensor:
    return torch.arange(4.0)


# --------------------------------------------------------------------------- formulas (tests may replace them)


def leaf_rule(requires_grad: bool, has_grad_fn: bool, made_by_operation: bool) -> bool:
    """Whether a tensor is a leaf, by the lesson's rule: every tensor that does not require
    gradients is a leaf, whoever made it; one that requires them is a leaf only without a grad_fn."""
    return not requires_grad or not has_grad_fn


def grad_sum_of_squares(x: torch.Tensor) -> torch.Tensor:
    """d/dx of sum(x²)."""
    return 2 * x


def grad_two_losses(x: torch.Tensor) -> torch.Tensor:
    """d/dx of sum(x²) + sum(3x)."""
    return 2 * x + 3


def exp_derivative(x: torch.Tensor) -> torch.Tensor:
    return torch.exp(x)


def second_derivative_of_cube(x: torch.Tensor) -> torch.Tensor:
    return 6 * x


def grad_quartic(x: torch.Tensor) -> torch.Tensor:
    """∇ of f(x) = (xᵀx)² / 4."""
    return (x * x).sum() * x


def hvp_quartic(x: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """H v for f(x) = (xᵀx)² / 4: H = (xᵀx) I + 2 x xᵀ."""
    return (x * x).sum() * v + 2 * x * (x * v).sum()


def softplus_derivative(x: torch.Tensor) -> torch.Tensor:
    return torch.sigmoid(x)


def tanh_derivative(x: torch.Tensor) -> torch.Tensor:
    return 1 - torch.tanh(x) ** 2


def x_exp_derivative(x: torch.Tensor) -> torch.Tensor:
    """d/dx of x·eˣ."""
    return (1 + x) * torch.exp(x)


def regression_gradient(features: torch.Tensor, target: torch.Tensor, w: torch.Tensor, b: torch.Tensor):
    """Closed-form gradient of mean((X w + b − t)²): (2/n) Xᵀ r and 2·mean(r)."""
    r = features @ w + b - target
    return 2 * features.T @ r / len(target), 2 * r.mean()


__all__ = [
    "exp_derivative",
    "first_line",
    "floats",
    "grad_quartic",
    "grad_sum_of_squares",
    "grad_two_losses",
    "hvp_quartic",
    "labelled",
    "leaf_rule",
    "lesson_x",
    "positive_int",
    "regression_gradient",
    "same_shape",
    "second_derivative_of_cube",
    "softplus_derivative",
    "tanh_derivative",
    "x_exp_derivative",
]
