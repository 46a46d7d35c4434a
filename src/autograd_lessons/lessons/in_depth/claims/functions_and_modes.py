"""Lesson 4's claims of § 8 to § 10: a custom Function, forward and reverse mode, gradient descent."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import torch
import torch.autograd.forward_ad as fwAD

from autograd_lessons.i18n import LessonError, message, text
from autograd_lessons.lessons.in_depth import LESSON
from autograd_lessons.lessons.in_depth.maths import (
    floats,
    labelled,
    positive_int,
    regression_gradient,
    same_shape,
    softplus_derivative,
    tanh_derivative,
    x_exp_derivative,
)
from autograd_lessons.numbers import shape_text, shortest, values_text
from autograd_lessons.quirks import load_forward_mode
from autograd_lessons.verdicts import (
    ULP_TOLERANCE,
    Verdict,
    agreement,
    compare,
    duration_text,
    evidence,
    fact,
    fd_check,
    shown,
    worst,
    yes_no,
)

# This module's checks (or its lesson's cells) use forward mode; keep its import warning out of outputs.
load_forward_mode()

claim = LESSON.claim
TIMING_MARGIN = 5.0  # "forward wins on tall": the slower mode must take at least 5× as long
TIMING_REPEAT = 5  # medians of 5 interleaved runs of each mode
LESSON_SEED = 0


# --------------------------------------------------------------------------- § 8 custom Function


# The lesson's own custom Function, as its notebook defines it (the cell marked shares="Softplus").
Softplus = LESSON.shared("Softplus", {"torch": torch})


def softplus_float64(x: torch.Tensor) -> torch.Tensor:
    return x.clamp(min=0) + torch.log1p(torch.exp(-x.abs()))


@claim("l4.custom_function_gradcheck", cell=8, quote="prose")
def _custom_gradcheck(x: object = None, function: Callable[[torch.Tensor], torch.Tensor] | None = None) -> Verdict:
    """gradcheck of the lesson's Softplus.apply (or `function`) in float64 (backward against finite
    differences of forward), and sigmoid against FD of log(1 + eˣ)."""
    x = torch.tensor([-2.0, 0.0, 3.0]) if x is None else floats(x)
    x64 = x.to(torch.float64).requires_grad_(True)
    passed = torch.autograd.gradcheck(function or Softplus.apply, (x64,), raise_exception=False)
    checked = fact(
        bool(passed),
        evidence("lesson4.evidence.gradcheck", passed=yes_no(passed), values=values_text(x64)),
        gradcheck=bool(passed),
    )
    derivative = softplus_derivative(x.to(torch.float64))
    return worst(checked, fd_check(lambda t: softplus_float64(t).sum(), x, derivative))


@claim("l4.custom_function_saves_one", cell=8, quote="prose")
def _custom_saves(x: object = None, function: Callable[[torch.Tensor], torch.Tensor] | None = None) -> Verdict:
    """The pack hook runs once during Softplus.apply(x), and what it packs is x itself."""
    x = torch.tensor([-2.0, 0.0, 3.0]) if x is None else floats(x)
    function = function or Softplus.apply
    leaf = x.clone().requires_grad_(True)
    packed = []
    with torch.autograd.graph.saved_tensors_hooks(lambda t: packed.append(t.detach().clone()) or t, lambda t: t):
        y = function(leaf)
    node = type(y.grad_fn).__name__ if y.grad_fn is not None else "None"
    is_x = len(packed) == 1 and compare(packed[0], x).status == "exact"
    return fact(
        is_x,
        evidence(
            "lesson4.evidence.custom_saved",
            count=len(packed),
            node=node,
            values=", ".join(values_text(t) for t in packed),
        ),
        packed=len(packed),
        node=node,
    )


# --------------------------------------------------------------------------- § 9 forward and reverse mode


def lesson_matrix(rows: int = 3, columns: int = 4, seed: int = LESSON_SEED) -> torch.Tensor:
    return torch.randn(rows, columns, generator=torch.Generator().manual_seed(seed))


@claim("l4.jvp_vjp_products", cell=9, quote="prose")
def _jvp_vjp(x: object = None, v: object = None, u: object = None) -> Verdict:
    """f(x) = A tanh(x): jvp against J v and vjp against uᵀ J with J = A diag(1 − tanh²x); uᵀJ
    against FD of u·f."""
    x = torch.tensor([0.5, -1.0, 2.0, 0.0]) if x is None else floats(x)
    if x.dim() != 1:
        raise LessonError(message("lesson4.error.vector", name="x", least=1, shape=shape_text(x.shape)))
    matrix = lesson_matrix(3, x.numel()).to(x.dtype)
    v = torch.ones_like(x) if v is None else floats(v, "v")
    same_shape(x, v, "v")
    u = torch.tensor([1.0, -2.0, 0.5]).to(x.dtype) if u is None else floats(u, "u")
    same_shape(torch.empty(3, dtype=x.dtype), u, "u")

    def f(t):
        return matrix.to(t.dtype) @ torch.tanh(t)

    _, jv = torch.func.jvp(f, (x,), (v,))
    _, pull = torch.func.vjp(f, x)
    (uj,) = pull(u)
    jacobian = matrix * tanh_derivative(x)
    right = agreement(
        compare(jv, jacobian @ v, tolerance=ULP_TOLERANCE + x.numel()),
        f"jvp = {shown(jv)}",
        f"J v = {values_text(jacobian @ v)}",
    )
    left = agreement(
        compare(uj, u @ jacobian, tolerance=ULP_TOLERANCE + 3),
        f"vjp = {shown(uj)}",
        f"uᵀ J = {values_text(u @ jacobian)}",
    )
    return worst(right, left, fd_check(lambda t: (u.to(t.dtype) * f(t)).sum(), x, u @ jacobian))


@claim("l4.dual_number_tangent", cell=9, quote="prose")
def _dual_tangent(x: object = None, tangent: object = None) -> Verdict:
    """With dual numbers, the tangent of x·eˣ against (1 + x)eˣ · tangent; that formula against FD."""
    x = torch.tensor([-1.0, 0.0, 1.0]) if x is None else floats(x)
    tangent = torch.ones_like(x) if tangent is None else floats(tangent, "tangent")
    same_shape(x, tangent, "tangent")
    with fwAD.dual_level():
        dual = fwAD.make_dual(x, tangent)
        out = dual * dual.exp()
        primal, out_tangent = fwAD.unpack_dual(out)
        out_tangent = out_tangent.clone()
    formula = x_exp_derivative(x) * tangent
    found = agreement(
        compare(out_tangent, formula),
        labelled("lesson4.tangent", shown(out_tangent)),
        f"(1 + x)·eˣ·t = {values_text(formula)}",
    )
    return worst(found, fd_check(lambda t: (t * t.exp() * tangent.to(t.dtype)).sum(), x, formula))


# The lesson's two ways of building a Jacobian, as its notebook defines them: forward mode, one
# pass with dual numbers per input; reverse mode, one backward pass per output. Each gives (J, passes).
jacobian_by_columns = LESSON.shared("by_columns", {"torch": torch, "fwAD": fwAD})
jacobian_by_rows = LESSON.shared("by_rows", {"torch": torch})


def shaped_function(outputs: int, inputs: int) -> tuple[Callable[[torch.Tensor], torch.Tensor], torch.Tensor]:
    matrix = lesson_matrix(outputs, inputs) / inputs**0.5
    x = torch.randn(inputs, generator=torch.Generator().manual_seed(LESSON_SEED + 1))
    return (lambda t: torch.tanh(matrix @ t)), x


def time_modes(outputs: int, inputs: int, repeat: int) -> dict[str, object]:
    """Medians of `repeat` interleaved runs of both modes on one shape, with their passes and J."""
    f, x = shaped_function(outputs, inputs)
    times = {"forward": [], "reverse": []}
    for _ in range(repeat):
        for mode, build in (("forward", jacobian_by_columns), ("reverse", jacobian_by_rows)):
            start = time.perf_counter()
            jacobian, passes = build(f, x)
            times[mode].append(time.perf_counter() - start)
            if mode == "forward":
                forward_j, forward_passes = jacobian, passes
            else:
                reverse_j, reverse_passes = jacobian, passes
    return {
        "forward": statistics.median(times["forward"]),
        "reverse": statistics.median(times["reverse"]),
        "forward_passes": forward_passes,
        "reverse_passes": reverse_passes,
        "same": compare(forward_j, reverse_j, tolerance=ULP_TOLERANCE + inputs).status != "false",
    }


@claim("l4.forward_wins_tall", cell=9, quote="prose", timed=True)
def _forward_wins_tall(
    tall: tuple[int, int] = (400, 4),
    wide: tuple[int, int] = (4, 400),
    repeat: int = TIMING_REPEAT,
    margin: float = TIMING_MARGIN,
) -> Verdict:
    """Build the Jacobian of tanh(A x) both ways on a tall (outputs × inputs) and a wide shape:
    the claim holds when reverse takes ≥ margin × forward's median time on the tall one and
    forward ≥ margin × reverse's on the wide one (and both give the same J)."""
    shapes = []
    for name, shape in (("tall", tall), ("wide", wide)):
        if not (isinstance(shape, tuple) and len(shape) == 2):
            raise LessonError(message("lesson4.error.shape_pair", name=name, value=shape))
        shapes.append((positive_int(shape[0], name), positive_int(shape[1], name)))
    repeat = positive_int(repeat, "repeat")
    tall_run, wide_run = (time_modes(m, n, repeat) for m, n in shapes)
    tall_ratio = tall_run["reverse"] / tall_run["forward"]
    wide_ratio = wide_run["forward"] / wide_run["reverse"]
    holds = tall_ratio >= margin and wide_ratio >= margin and tall_run["same"] and wide_run["same"]
    found = evidence(
        "lesson4.evidence.modes",
        tall=f"{shapes[0][0]}×{shapes[0][1]}",
        wide=f"{shapes[1][0]}×{shapes[1][1]}",
        tall_forward=duration_text(tall_run["forward"]),
        tall_reverse=duration_text(tall_run["reverse"]),
        wide_forward=duration_text(wide_run["forward"]),
        wide_reverse=duration_text(wide_run["reverse"]),
        tall_fp=tall_run["forward_passes"],
        tall_rp=tall_run["reverse_passes"],
        wide_fp=wide_run["forward_passes"],
        wide_rp=wide_run["reverse_passes"],
        tall_ok=yes_no(tall_ratio >= margin),
        wide_ok=yes_no(wide_ratio >= margin),  # ratios vary: shown as yes/no
        margin=shortest(margin),
        repeat=repeat,
    )
    ratio_words = evidence(
        "lesson4.evidence.ratio_band",
        band=text("lesson4.band.wide" if holds else "lesson4.band.narrow", margin=shortest(margin)),
    )
    return fact(holds, found + ratio_words, tall_ratio=tall_ratio, wide_ratio=wide_ratio)


# --------------------------------------------------------------------------- § 10 closing the loop


def regression_data(seed: int = LESSON_SEED, n: int = 32) -> tuple[torch.Tensor, torch.Tensor]:
    generator = torch.Generator().manual_seed(seed)
    features = torch.randn(n, 2, generator=generator)
    target = features @ torch.tensor([2.0, -3.0]) + 1.0 + 0.1 * torch.randn(n, generator=generator)
    return features, target


def descend(lr: float, steps: int, seed: int = LESSON_SEED, rebuild: bool = True):
    """Gradient descent on mean((X w + b − t)²) from w = 0, b = 0: losses, grad_fns, gradient verdicts."""
    features, target = regression_data(seed)
    w = torch.zeros(2, requires_grad=True)
    b = torch.zeros((), requires_grad=True)
    losses, nodes, checks = [], [], []
    loss = None
    for _ in range(steps):
        if rebuild or loss is None:
            loss = ((features @ w + b - target) ** 2).mean()
        nodes.append(loss.grad_fn)
        losses.append(float(loss.detach()))
        w.grad = b.grad = None
        loss.backward(retain_graph=not rebuild)
        gw, gb = regression_gradient(features, target, w.detach(), b.detach())
        checks.append(
            worst(
                compare(w.grad, gw, tolerance=ULP_TOLERANCE + len(target)),
                compare(b.grad, gb, tolerance=ULP_TOLERANCE + len(target)),
            )
        )
        with torch.no_grad():
            w -= lr * w.grad
            b -= lr * b.grad
    return losses, nodes, checks


def learning_rate(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < float(value) < float("inf"):
        raise LessonError(message("lesson4.error.lr", value=value))
    return float(value)


@claim("l4.loss_goes_down", cell=10, quote="prose")
def _loss_goes_down(lr: object = 0.1, steps: int = 20) -> Verdict:
    """Each step's autograd gradient against the closed form (2/n) Xᵀr, 2·mean(r); the loss must
    go down at every step."""
    lr = learning_rate(lr)
    steps = positive_int(steps, "steps", smallest=2)
    losses, _, checks = descend(lr, steps)
    gradients = worst(*checks)
    rises = [i + 1 for i, (a, b) in enumerate(zip(losses, losses[1:], strict=False)) if not b < a]
    down = fact(
        not rises,
        evidence(
            "lesson4.evidence.losses",
            first=shortest(losses[0], torch.float32),
            last=shortest(losses[-1], torch.float32),
            steps=steps,
            rises=", ".join(map(str, rises)) or "—",
            lr=shortest(lr),
        ),
        rises=rises,
    )
    matched = fact(
        gradients.status != "false",
        evidence("lesson4.evidence.closed_form", status=yes_no(gradients.status != "false")),
    )
    return worst(down, matched)


@claim("l4.fresh_graph_each_step", cell=10)
def _fresh_graph(steps: int = 20, rebuild: bool = True) -> Verdict:
    """Our question: is the loss's grad_fn a different node at every step? (All grad_fns are kept
    alive, so identity is not confused by reused memory.)"""
    steps = positive_int(steps, "steps", smallest=2)
    _, nodes, _ = descend(0.1, steps, rebuild=bool(rebuild))
    distinct = len({id(node) for node in nodes})
    return fact(
        distinct == len(nodes),
        evidence("lesson4.evidence.fresh", distinct=distinct, steps=steps),
        distinct=distinct,
        steps=steps,
    )
