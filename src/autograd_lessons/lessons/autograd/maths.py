"""Lesson 1's mathematics: the formulas its annotations state, as pure functions, and In [20]'s f.

The verifications compare autograd against these formulas, and the formulas against finite
differences, exact arithmetic or torch.func; the exercises and the explorers use them too.
"""

from __future__ import annotations

import torch

from autograd_lessons.lessons.autograd import LESSON

LESSON_SEED = 0  # torch.manual_seed(0); torch.randn(()) gives a = 1.5410, a draw printing True


def two_xtx(x: torch.Tensor) -> torch.Tensor:
    """y = 2 xᵀx, the function of In [3]."""
    return 2 * torch.dot(x, x)


def grad_two_xtx(x: torch.Tensor) -> torch.Tensor:
    """∇ 2xᵀx = 4x."""
    return 4 * x


def norm_squared(x: torch.Tensor) -> torch.Tensor:
    """‖x‖², through the norm (a square root) and back."""
    return torch.linalg.vector_norm(x) ** 2


def grad_norm_squared(x: torch.Tensor) -> torch.Tensor:
    """∇‖x‖² = 2x."""
    return 2 * x


def grad_sum(x: torch.Tensor) -> torch.Tensor:
    """∇ Σxᵢ = (1, …, 1)."""
    return torch.ones_like(x)


def vjp_square(x: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """vᵀJ for y = x * x: J = diag(2x), so vᵀJ = 2x·v."""
    return 2 * x * v


# The function f of In [20], exactly as the run wrote it: the cell of source/01_autograd.py marked
# shares="f" defines it, and the lesson's claims, exercises and explorers all run that definition.
control_flow = LESSON.shared("f", {"torch": torch})
f = control_flow  # the name the run gives it, for the exercises and solutions notebooks


def doublings(a: float) -> int:
    """k, the number of multiplications by 2 that f applies: the least k ≥ 1 with |a|·2^k ≥ 1000."""
    k, size = 1, abs(a) * 2
    while size < 1000:
        k, size = k + 1, size * 2
    return k


def control_flow_slope(a: float) -> float:
    """f'(a): f is linear on each piece, with slope 2^k for a > 0 and 100·2^k for a < 0."""
    return 2.0 ** doublings(a) * (1 if a > 0 else 100)


def lesson_a() -> torch.Tensor:
    """The lesson's a: torch.randn(()) after torch.manual_seed(0), i.e. 1.5410 (global RNG untouched)."""
    return torch.randn((), generator=torch.Generator().manual_seed(LESSON_SEED))


__all__ = [
    "LESSON_SEED",
    "control_flow",
    "control_flow_slope",
    "doublings",
    "f",
    "grad_norm_squared",
    "grad_sum",
    "grad_two_xtx",
    "lesson_a",
    "norm_squared",
    "two_xtx",
    "vjp_square",
]
