"""Lesson 3's claims of § 2 and § 3: NaN and infinite gradients, kinks and jumps."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence

import torch

from autograd_lessons.i18n import text
from autograd_lessons.lessons.autograd.maths import control_flow, control_flow_slope
from autograd_lessons.lessons.going_wrong import LESSON
from autograd_lessons.lessons.going_wrong.maths import (
    double_where_gradient,
    first_line,
    floats,
    grad_of,
    labelled,
    log_softmax_gradient,
    log_softmax_loss,
    one_sided_slopes,
    relu_value,
    shown,
    sqrt_derivative,
    subgradient_gap,
)
from autograd_lessons.numbers import brief, shortest, values_text
from autograd_lessons.verdicts import Verdict, agreement, compare, evidence, fact, fd_check, worst

claim = LESSON.claim
CHECK_SEED = 3  # the private generator of the steps a subgradient is tried along

Forward = Callable[[torch.Tensor], torch.Tensor]


def lesson_x() -> torch.Tensor:
    """§ 2's points: one where the root is NaN, one where its derivative is infinite, one where all is well."""
    return torch.tensor([-1.0, 0.0, 4.0])


def root_where(t: torch.Tensor) -> torch.Tensor:
    return torch.where(t > 0, torch.sqrt(t), 0.0)


def root_double_where(t: torch.Tensor) -> torch.Tensor:
    return torch.where(t > 0, torch.sqrt(torch.where(t > 0, t, 1.0)), 0.0)


# --------------------------------------------------------------------------- § 2 NaN and inf


@claim("l3.where_nan_gradient", cell=2, quote="prose")
def _where_nan_gradient(x: object = None, forward: Forward = root_where) -> Verdict:
    """where(x > 0, √x, 0) at x ≤ 0: value 0, gradient NaN; 1/(2√x) there is NaN or infinite in
    float64 and 0 times it is NaN; where x > 0 the gradient is 1/(2√x)."""
    x = lesson_x() if x is None else floats(x).to(torch.float32)
    unused = x <= 0
    with torch.no_grad():
        values = forward(x)
    grad = grad_of(forward, x)
    derivative = sqrt_derivative(x)
    zero_times = torch.zeros_like(derivative) * derivative
    holds = (
        bool(unused.any())
        and bool((values[unused] == 0).all())
        and bool(grad[unused].isnan().all())
        and not bool(torch.isfinite(derivative[unused]).any())
        and bool(zero_times[unused].isnan().all())
    )
    found = fact(
        holds,
        evidence(
            "lesson3.evidence.where_nan",
            values=values_text(values[unused]) if unused.any() else "—",
            grad=values_text(grad[unused]) if unused.any() else "—",
            derivative=values_text(derivative[unused]) if unused.any() else "—",
            product=values_text(zero_times[unused]) if unused.any() else "—",
        ),
        nan_where_unused=bool(grad[unused].isnan().all()) if unused.any() else False,
    )
    if not (~unused).any():
        return found
    used = agreement(
        compare(grad[~unused], derivative[~unused].to(grad.dtype)),
        labelled("lesson3.where_x_positive", shown(grad[~unused])),
        f"1/(2√x) = {values_text(derivative[~unused])}",
    )
    return worst(found, used)


@claim("l3.double_where", cell=2, quote="prose")
def _double_where(x: object = None, forward: Forward = root_double_where) -> Verdict:
    """The double where's gradient against the formula (1/(2√x) where x > 0, else 0), and float64
    finite differences at the points away from 0; its values against where(x > 0, √x, 0)."""
    x = lesson_x() if x is None else floats(x).to(torch.float32)
    grad = grad_of(forward, x)
    formula = double_where_gradient(x)
    with torch.no_grad():
        values, plain = forward(x), root_where(x)
    same_values = agreement(compare(values, plain), labelled("lesson3.values_double", shown(values)), shown(plain))
    gradient = agreement(
        compare(grad, formula.to(grad.dtype)),
        f"x.grad = {shown(grad)}",
        labelled("lesson3.formula_double", values_text(formula)),
    )
    away = x.abs() > 2.0**-10  # central differences must not straddle 0, where the function bends
    if not away.any():
        return worst(same_values, gradient)
    points = x[away].to(torch.float64)
    differences = fd_check(lambda t: root_double_where(t).sum(), points, formula[away])
    return worst(same_values, gradient, differences)


def distance_steps() -> torch.Tensor:
    """Steps in every direction of 3-space, at three lengths, from a private generator."""
    directions = torch.randn(12, 3, dtype=torch.float64, generator=torch.Generator().manual_seed(CHECK_SEED))
    return torch.cat([directions * scale for scale in (1e-3, 1.0, 1e3)])


@claim("l3.norm_at_zero", cell=2, quote="prose")
def _norm_at_zero(a: object = None, b: object = None) -> Verdict:
    """At a = b: sqrt(sum((a − b)²)) gives a NaN gradient, vector_norm gives 0, and 0 is a
    subgradient of the norm at the zero vector (‖d‖ ≥ 0 · d along every step tried)."""
    a = torch.tensor([1.0, 2.0, 3.0]) if a is None else floats(a).to(torch.float32)
    b = a.clone() if b is None else floats(b).to(a.dtype)
    by_hand = grad_of(lambda t: torch.sqrt(((t - b) ** 2).sum()), a)
    by_norm = grad_of(lambda t: torch.linalg.vector_norm(t - b), a)
    steps = distance_steps() if a.numel() == 3 else torch.randn(12, a.numel(), dtype=torch.float64)
    gap = subgradient_gap(
        lambda t: torch.linalg.vector_norm(t), (a - b).to(torch.float64), by_norm.to(torch.float64), steps
    )
    holds = bool(by_hand.isnan().all()) and bool((by_norm == 0).all()) and gap >= 0
    return fact(
        holds,
        evidence(
            "lesson3.evidence.norm_at_zero",
            hand=shown(by_hand),
            norm=shown(by_norm),
            gap=brief(gap),
            count=len(steps),
        ),
        by_hand=by_hand.tolist(),
        by_norm=by_norm.tolist(),
        gap=gap,
    )


@claim("l3.log_softmax_finite", cell=2, quote="prose")
def _log_softmax_finite(z: object = None, target: int = 0) -> Verdict:
    """−log(softmax(z))[0]: infinite, with a NaN in its gradient; −log_softmax(z)[0] against the
    float64 shifted log-sum-exp, and its gradient against softmax(z) − one-hot."""
    z = torch.tensor([0.0, 200.0]) if z is None else floats(z).to(torch.float32)
    naive_leaf = z.clone().requires_grad_(True)
    naive = -torch.log(torch.softmax(naive_leaf, dim=0))[target]
    naive.backward()
    stable_leaf = z.clone().requires_grad_(True)
    stable = -torch.log_softmax(stable_leaf, dim=0)[target]
    stable.backward()
    broken = fact(
        bool(torch.isinf(naive)) and bool(naive_leaf.grad.isnan().any()),
        evidence("lesson3.evidence.naive_softmax", loss=shortest(float(naive.detach())), grad=shown(naive_leaf.grad)),
        loss=float(naive.detach()),
    )
    loss_formula, grad_formula = log_softmax_loss(z, target), log_softmax_gradient(z, target)
    loss = agreement(
        compare(stable.detach(), loss_formula.to(stable.dtype)),
        f"-log_softmax(z)[{target}] = {shortest(float(stable.detach()), stable.dtype)}",
        labelled("lesson3.formula_logsumexp", shortest(float(loss_formula))),
    )
    gradient = agreement(
        compare(stable_leaf.grad, grad_formula.to(stable_leaf.grad.dtype)),
        f"z.grad = {shown(stable_leaf.grad)}",
        labelled("lesson3.formula_softmax_minus_onehot", values_text(grad_formula)),
    )
    return worst(broken, loss, gradient)


@claim("l3.anomaly_names_operation", cell=2, quote="prose")
def _anomaly_names_operation(x: object = None, forward: Forward = root_where) -> Verdict:
    """Inside detect_anomaly: the backward pass of forward(x) raises a RuntimeError naming
    SqrtBackward0 and NaN, and the warning that comes with it points to the line of this
    module that called torch.sqrt in the forward pass."""
    x = lesson_x() if x is None else floats(x).to(torch.float32)
    leaf = x.clone().requires_grad_(True)
    raised = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with torch.autograd.detect_anomaly():
            out = forward(leaf)
            try:
                out.sum().backward()
            except RuntimeError as error:
                raised = first_line(error)
    detected = [str(item.message) for item in caught if "Error detected in" in str(item.message)]
    code = [line.strip() for line in detected[0].splitlines() if line.startswith("    ")] if detected else []
    named = raised is not None and "SqrtBackward0" in raised and "nan" in raised
    pointed = bool(code) and "torch.sqrt(" in code[-1]
    return fact(
        named and pointed,
        evidence(
            "lesson3.evidence.anomaly",
            raised=raised or text("lesson3.nothing_raised"),
            warning=detected[0].splitlines()[0] if detected else text("lesson3.no_warning"),
            line=code[-1] if code else "—",
        ),
        raised=raised,
        line=code[-1] if code else None,
    )


# --------------------------------------------------------------------------- § 3 kinks


# (how it reads, a float function of a tensor, the point) for each kink the lesson shows.
Kink = tuple[str, Forward, list[float]]


def lesson_kinks() -> tuple[Kink, ...]:
    return (
        ("relu", torch.relu, [0.0]),
        ("where(t >= 0, t, 0)", lambda t: torch.where(t >= 0, t, 0.0), [0.0]),
        ("abs", torch.abs, [0.0]),
        ("max", lambda t: t.max(), [1.0, 3.0, 3.0]),
        ("max(dim=0).values", lambda t: t.max(dim=0).values, [1.0, 3.0, 3.0]),
        ("maximum(t[0], t[1])", lambda t: torch.maximum(t[0], t[1]), [2.0, 2.0]),
    )


def stated_gradients() -> dict[str, list[float]]:
    """What the lesson says each kink's gradient is; max(dim) gives all of it to the index it returns."""
    return {
        "relu": [0.0],
        "where(t >= 0, t, 0)": [1.0],
        "abs": [0.0],
        "max": [0.0, 0.5, 0.5],
        "maximum(t[0], t[1])": [0.5, 0.5],
    }


@claim("l3.kink_values", cell=3, quote="prose")
def _kink_values(kinks: Sequence[Kink] | None = None) -> Verdict:
    """Each kink's gradient against what the lesson states; max(dim=0)'s against the one-hot of
    the index the forward pass returns."""
    stated = stated_gradients()
    found, differ = [], []
    for name, function, point in lesson_kinks() if kinks is None else kinks:
        leaf = torch.tensor(point, requires_grad=True)
        function(leaf).sum().backward()
        if name.startswith("max(dim"):
            expected = torch.zeros(len(point))
            expected[int(torch.tensor(point).max(dim=0).indices)] = 1.0
        else:
            expected = torch.tensor(stated.get(name, [float("nan")] * len(point)))
        found.append(f"{name}: {shown(leaf.grad)}")
        if compare(leaf.grad, expected).status != "exact":
            differ.append(name)
    return fact(
        not differ,
        evidence("lesson3.evidence.kinks", found="; ".join(found), differ=", ".join(differ) or "—"),
        differ=differ,
    )


# Random directions are rounded to multiples of 2⁻⁸ and scaled by powers of two: the lesson's
# points and slopes are dyadic too, so f(x + d) − f(x) − g·d is computed exactly in float64 and
# "not negative" needs no tolerance.
DIRECTION_GRID = 2.0**-8
STEP_LENGTHS = (2.0**-10, 1.0, 8.0)


def kink_steps(size: int) -> torch.Tensor:
    """Steps to try the subgradient inequality along: ± each axis, and 8 random ones, at three lengths."""
    axes = torch.cat([torch.eye(size), -torch.eye(size)]).to(torch.float64)
    noise = torch.randn(8, size, dtype=torch.float64, generator=torch.Generator().manual_seed(CHECK_SEED))
    noise = torch.round(noise / DIRECTION_GRID) * DIRECTION_GRID
    return torch.cat([base * scale for base in (axes, noise) for scale in STEP_LENGTHS])


@claim("l3.kink_subgradients", cell=3, quote="prose")
def _kink_subgradients(kinks: Sequence[Kink] | None = None, slopes: dict[str, list[float]] | None = None) -> Verdict:
    """For each kink: autograd's gradient g (or the slope given in `slopes`) satisfies
    f(x + d) − f(x) − g·d ≥ 0 in float64 along every step tried."""
    gaps, below = [], []
    for name, function, point in lesson_kinks() if kinks is None else kinks:
        x = torch.tensor(point, dtype=torch.float64)
        slope = grad_of(function, x) if slopes is None or name not in slopes else torch.tensor(slopes[name])
        gap = subgradient_gap(function, x, slope, kink_steps(len(point)))
        gaps.append(f"{name}: {brief(gap)}")
        if gap < 0:
            below.append(name)
    return fact(
        not below,
        evidence("lesson3.evidence.subgradients", gaps="; ".join(gaps), below=", ".join(below) or "—"),
        crossing=below,
    )


def lesson_jump_a() -> float:
    """§ 3's a: just below 1000/2¹³, where the loop of lesson 1's f makes one doubling less."""
    return 1000 / 2**13 - 1e-6


JUMP_STEP = 2e-6  # "a hair further right": twice the distance from the lesson's a to the jump


@claim("l3.piecewise_jump", cell=3, quote="prose")
def _piecewise_jump(a: float | None = None, step: float = JUMP_STEP) -> Verdict:
    """At a: autograd's f′(a) against lesson 1's slope formula 2^k; f(a + step) − f(a), which
    must be a drop of several hundred (a jump), and the difference quotient across it."""
    a = lesson_jump_a() if a is None else float(a)
    leaf = torch.tensor(a, dtype=torch.float64, requires_grad=True)
    value = control_flow(leaf)
    value.backward()
    formula = control_flow_slope(a)
    with torch.no_grad():
        right = control_flow(torch.tensor(a + step, dtype=torch.float64))
    drop = float(right - value.detach())
    slope = agreement(
        compare(leaf.grad, torch.tensor(formula, dtype=torch.float64)), f"f′(a) = {shown(leaf.grad)}", "2^k"
    )
    jump = fact(
        drop < -100,  # a continuous piece of slope 2^k would rise by about 2^k · step, far less than 1
        evidence(
            "lesson3.evidence.jump",
            a=shortest(a),
            value=shortest(float(value.detach())),
            right=shortest(float(right)),
            quotient=shortest(drop / step),
        ),
        drop=drop,
    )
    return worst(slope, jump)


@claim("l3.relu_has_derivative_at_0", cell=3)
def _relu_has_derivative(function: Forward = relu_value, x: float = 0.0) -> Verdict:
    """Our question: do relu's one-sided slopes at 0 agree (float64 one-sided differences)?"""
    left, right = one_sided_slopes(function, x)
    return fact(
        left == right,
        evidence("lesson3.evidence.one_sided", left=shortest(left), right=shortest(right), x=shortest(x)),
        left=left,
        right=right,
    )


__all__ = ["lesson_kinks", "lesson_x", "root_double_where", "root_where", "stated_gradients"]
