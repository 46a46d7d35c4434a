"""Lesson 1's exercises (notebook 01_exercises) and their worked solutions (notebook 01_solutions).

Every answer is judged by computing the expected result independently (float64 formulas,
torch.func, the traced graph); the learner's code is never matched as text. Exercise 4 asks
whether autograd produced the derivative by a counterfactual: dsin runs again with every
torch-level sine swapped for one whose autograd derivative is deliberately wrong (see
`_SwappedSine`); an answer that follows the change came from autograd, one that does not came
from elsewhere. The shared machinery (feedback, forms, the guard) is `autograd_lessons.exercises`.
"""

from __future__ import annotations

import math
import time
from collections import Counter

import torch
from torch.overrides import TorchFunctionMode

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
    pair,
    precision_error,
    seconds,
    worst_index,
)
from autograd_lessons.graph import trace
from autograd_lessons.i18n import message, text
from autograd_lessons.lessons.autograd import LESSON
from autograd_lessons.numbers import Decimal, shape_text, shortest
from autograd_lessons.quirks import load_forward_mode

# This module's checks (or its lesson's cells) use forward mode; keep its import warning out of outputs.
load_forward_mode()

X1 = torch.linspace(-3, 3, 1000)
# Exercise 8: a point, an input direction and output weights for f8, R³ → R³. Its Jacobian at X8
# is neither diagonal nor symmetric, so J·V8, V8ᵀ·J, J·U8, U8ᵀ·J and f8(X8) all differ and each
# classic mix-up (swapped modes, transposed Jacobian, wrong vector, forgotten index) shows.
X8 = torch.tensor([1.0, 2.0, 0.5])
V8 = torch.tensor([1.0, 0.0, -1.0])
U8 = torch.tensor([0.0, 1.0, 2.0])
# Exercise 4's counterfactual: the swapped sine's derivative is cos(x) + SINE_SHIFT. Any nonzero
# shift works; 0.5 is far above rounding and keeps the swapped derivative's values exact in float32.
SINE_SHIFT = 0.5
# An exercise-4 answer within this relative distance of cos(x) but not equal up to rounding is
# an approximation (finite differences give 1e-3 to 1e-8), not a different function.
APPROXIMATE = 1e-2

# Exercises 6 and 7 work on exercise 5's graph at this point, by hand: x = 2 keeps every
# intermediate value simple (u = 4, r = 1/2) while sin and cos stay far from 0 and from each other.
X6 = 2.0
# A value worked out by hand (a calculator, rounded decimals) counts when it is within this
# relative distance of the exact one: 3 significant digits. Every mix-up the hints name (a
# forgotten path, one half of the product rule, dv/dx for dv/du) is more than 5 % off at X6.
HAND_RELATIVE = 1e-3

# Private copies of the public constants: a learner who changes X1 in place (X1 += 1) changes
# their own input, not what the checker compares with.
_X1 = X1.clone()
_X8, _V8, _U8 = X8.clone(), V8.clone(), U8.clone()
_GRID4 = torch.linspace(-2 * math.pi, 2 * math.pi, 101)
_GRID4_PROBE = _GRID4 + 0.05  # the counterfactual run uses other points: no answer cached by input helps


def median_seconds(*works, repeat: int = 7) -> float | tuple[float, ...]:
    """The median wall time of each of `works` (callables) over `repeat` runs, in seconds: one
    number for one work, a tuple for several. Several works run in turn, one run of each at a
    time, so that a passing load on the machine slows them alike instead of one of them."""
    times: list[list[float]] = [[] for _ in works]
    for _ in range(repeat):
        for work, kept in zip(works, times, strict=True):
            start = time.perf_counter()
            work()
            kept.append(time.perf_counter() - start)
    medians = tuple(sorted(kept)[repeat // 2] for kept in times)
    return medians[0] if len(medians) == 1 else medians


def plot_label(name: str) -> str:
    """The label `name` of the solutions' plots ("sine", "derivative", "value", "shape", "time",
    "tall", "wide"), in the current language."""
    return message(f"lesson1.plot.{name}")


def f5(x):
    """The reference function of exercises 5 and 6: log(x²)·sin x + 1/x."""
    return torch.log(x**2) * torch.sin(x) + 1 / x


def f8(x):
    """The reference function of exercise 8, R³ → R³: (x₀x₁, sin x₁ + x₂², x₀² e^{x₂})."""
    return torch.stack([x[0] * x[1], torch.sin(x[1]) + x[2] ** 2, x[0] ** 2 * torch.exp(x[2])])


def _jacobian8(x: torch.Tensor) -> torch.Tensor:
    """f8's Jacobian by hand (rows: outputs, columns: inputs), for float64 references."""
    x0, x1, x2 = x.tolist()
    e = math.exp(x2)
    return torch.tensor([[x1, x0, 0.0], [0.0, math.cos(x1), 2 * x2], [2 * x0 * e, 0.0, x0**2 * e]], dtype=torch.float64)


# --------------------------------------------------------------------------- exercise 4's counterfactual


class _ShiftedSine(torch.autograd.Function):
    """sin in the forward pass, with the deliberately wrong derivative cos(x) + SINE_SHIFT.

    Written in the setup_context style with a jvp and generate_vmap_rule, so that backward,
    torch.autograd.grad, forward-mode AD and every torch.func transform (grad, vmap, jvp,
    jacrev, jacfwd) use the shifted derivative.
    """

    generate_vmap_rule = True

    @staticmethod
    def forward(x):
        return torch.sin(x)

    @staticmethod
    def setup_context(ctx, inputs, output):
        (x,) = inputs
        ctx.save_for_backward(x)
        ctx.save_for_forward(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * (torch.cos(x) + SINE_SHIFT)

    @staticmethod
    def jvp(ctx, tangent):
        (x,) = ctx.saved_tensors
        return tangent * (torch.cos(x) + SINE_SHIFT)


_SINES = (torch.sin, torch.Tensor.sin)
_INPLACE_SINES = (torch.sin_, torch.Tensor.sin_)


class _SwappedSine(TorchFunctionMode):
    """Inside this mode every torch-level sine (torch.sin, Tensor.sin, their in-place forms) is
    _ShiftedSine. Nothing global is patched: leaving the mode restores everything."""

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        tensor = _sine_input(args, kwargs) if func in _SINES or func in _INPLACE_SINES else None
        if tensor is not None:
            if func in _SINES:
                return _ShiftedSine.apply(tensor)
            return tensor.copy_(_ShiftedSine.apply(tensor.clone()))
        return func(*args, **kwargs)


def _sine_input(args: tuple, kwargs: dict) -> torch.Tensor | None:
    """The tensor a sine call takes the sine of, written any way a learner may write it
    (`torch.sin(x)`, `x.sin()`, `torch.sin(input=x)`, `torch.sin(x, out=None)`), when it is one
    floating tensor; None for any other call (an `out=` tensor, a complex or integer input),
    which then runs as it is."""
    rest = {key: value for key, value in kwargs.items() if not (key == "out" and value is None)}
    if len(args) == 1 and not rest:
        tensor = args[0]
    elif not args and rest.keys() == {"input"}:
        tensor = rest["input"]
    else:
        return None
    return tensor if isinstance(tensor, torch.Tensor) and tensor.is_floating_point() else None


# --------------------------------------------------------------------------- the checkers


def _call_tensor(function: object, x: torch.Tensor) -> torch.Tensor:
    return as_tensor(call(function, x), tuple(x.shape))


def _approximation(got: torch.Tensor, expected: torch.Tensor, points: torch.Tensor, key: str) -> None:
    """Raise Wrong(key) when `got` is near `expected` without being equal up to rounding: an
    approximation (finite differences), not a precision slip; the hint shows the worst point."""
    distance = float(torch.nan_to_num((got.double() - expected).abs(), nan=math.inf).max())
    if distance <= APPROXIMATE:
        i = worst_index(got, expected)
        raise Wrong(
            key,
            x=shortest(float(points[i]), points.dtype),
            actual=shortest(float(got[i]), got.dtype),
            expected=shortest(float(expected[i]), got.dtype),
        )


def _check1(answer: object) -> None:
    answer = keys(answer, "first_seconds", "second_seconds", "second_derivative", "why")
    first = seconds(answer["first_seconds"], 'answer["first_seconds"]')
    second = seconds(answer["second_seconds"], 'answer["second_seconds"]')
    got = as_tensor(answer["second_derivative"], tuple(_X1.shape), 'answer["second_derivative"]')
    expected = -torch.sin(_X1.double())
    found = agreement(got, expected)
    if found == "no":
        if close(got, torch.cos(_X1.double())):
            raise Wrong("exercises.l1.1.first_derivative")
        _approximation(got, expected, _X1, "exercises.l1.1.approximate")
        raise Wrong("exercises.l1.1.values")
    if found == "float32":
        raise precision_error(got, expected, _X1)
    if not all(math.isfinite(t) and t > 0 for t in (first, second)):
        raise Wrong("exercises.l1.1.times_invalid")
    if second < 0.5 * first:
        raise Wrong("exercises.l1.1.times_implausible")
    choice(answer["why"], right="b", options="abc", question="exercises.l1.1.why")


def _check2(answer: object) -> None:
    answer = keys(answer, "error", "grad", "why")
    error = answer["error"]
    if isinstance(error, str) and "second time" in error:
        raise Wrong("exercises.l1.2.error_text")
    if not isinstance(error, RuntimeError) or "second time" not in str(error):
        raise Wrong("exercises.l1.2.no_error", kind=kind_text(error))
    if answer["grad"] is None:
        raise Wrong("exercises.l1.2.grad_none")
    grad = as_tensor(answer["grad"], (4,), 'answer["grad"]')
    x = torch.arange(4.0, dtype=torch.float64)
    if close(grad, 2 * x):
        raise Wrong("exercises.l1.2.once")
    if close(grad, 6 * x):
        raise Wrong("exercises.l1.2.not_zeroed")
    if not close(grad, 4 * x):
        raise Wrong("exercises.l1.2.values")
    choice(answer["why"], right="c", options="abc", question="exercises.l1.2.why")


def _slope3(a: torch.Tensor) -> tuple[int, float]:
    """(k, s) of f(a) = s·a, with f's own arithmetic in a's dtype (so its branches are f's)."""
    b, k = a * 2, 1
    while float(b.norm()) < 1000:
        b, k = b * 2, k + 1
    return k, (2.0**k if float(b.sum()) > 0 else 100 * 2.0**k)


def _check3(answer: object) -> None:
    a, grad = pair(answer)
    a = as_tensor(a, name="a")
    if a.numel() < 2:
        raise Wrong("exercises.l1.3.scalar", count=a.numel())
    if grad is None:
        raise Wrong("exercises.l1.3.no_grad")
    grad = as_tensor(grad, name="a.grad")
    if tuple(grad.shape) != tuple(a.shape):
        raise Wrong("exercises.l1.3.shape", actual=shape_text(grad.shape), expected=shape_text(a.shape))
    norm = float(a.double().norm())
    if not math.isfinite(norm) or norm == 0:
        raise Wrong("exercises.l1.3.zero")
    k, slope = _slope3(a)
    if close(grad, torch.full(a.shape, slope, dtype=torch.float64)):
        return
    if close(grad, torch.full(a.shape, slope / a.numel(), dtype=torch.float64)):
        raise Wrong("exercises.l1.3.mean", slope=shortest(slope), count=a.numel())
    raise Wrong("exercises.l1.3.values", slope=shortest(slope), k=k)


def _check4(answer: object) -> None:
    x = _GRID4.clone()
    got = _call_tensor(answer, x)
    expected = torch.cos(_GRID4.double())
    found = agreement(got, expected)
    if found == "float32":
        raise precision_error(got, expected, _GRID4)
    if found == "no":
        if close(got, torch.sin(_GRID4.double())):
            raise Wrong("exercises.l1.4.sine")
        _approximation(got, expected, _GRID4, "exercises.l1.4.approximate")
        raise Wrong("exercises.l1.4.values")
    # The counterfactual: the same function, with autograd's derivative of sin shifted.
    try:
        with _SwappedSine():
            probe = _call_tensor(answer, _GRID4_PROBE.clone())
    except LearnerRaised as raised:
        raise Wrong("exercises.l1.4.probe_raised", error=raised.text) from None
    reference = torch.cos(_GRID4_PROBE.double())
    if close(probe, reference + SINE_SHIFT):
        return
    if close(probe, reference):
        raise Wrong("exercises.l1.4.not_autograd", "exercises.l1.4.not_autograd_headline")
    raise Wrong("exercises.l1.4.mixed", "exercises.l1.4.not_autograd_headline")


def _check5(answer: object) -> None:
    function, ops = pair(answer)
    if not isinstance(ops, (list, tuple)) or not all(isinstance(op, str) for op in ops):
        raise FormError("lesson1.form.names", name="ops")
    xs = torch.linspace(0.5, 3.0, 20, dtype=torch.float64)
    got = _call_tensor(function, xs.clone())
    expected = f5(xs)
    found = agreement(got, expected)
    if found == "float32":
        raise precision_error(got, expected, xs)
    if found == "no":
        raise Wrong("exercises.l1.5.values")
    y = call(function, torch.tensor(2.0, requires_grad=True))
    if not isinstance(y, torch.Tensor) or y.grad_fn is None:
        raise Wrong("exercises.l1.5.no_graph")
    expected_ops = trace(y).counts()
    del expected_ops["AccumulateGrad"]
    given = Counter(ops)
    if given != expected_ops:
        listing = lambda c: ", ".join(sorted(c.elements())) or "—"  # noqa: E731
        raise Wrong("exercises.l1.5.ops", missing=listing(expected_ops - given), extra=listing(given - expected_ops))


# --------------------------------------------------------------------------- exercises 6 and 7, by hand


# Exercise 5's graph, named for the hand calculation: u = x², v = log u, w = sin x, p = v·w,
# r = x⁻¹, q = 1·r (PyTorch writes 1/x as a reciprocal times the untracked 1), f = p + q.
# Each edge (parent ← child) carries one chain-rule term, d parent / d child, at x.
def _terms6(x: float) -> dict[str, float]:
    u, v, w = x * x, math.log(x * x), math.sin(x)
    return {
        "du/dx": 2 * x,
        "dv/du": 1 / u,
        "dw/dx": math.cos(x),
        "dp/dv": w,
        "dp/dw": v,
        "dr/dx": -1 / x**2,
        "dq/dr": 1.0,
        "df/dp": 1.0,
        "df/dq": 1.0,
    }


def _forward7(x: float) -> dict[str, float]:
    """Forward mode at x: each node's tangent d node / dx, from x (tangent 1) up to f."""
    t = _terms6(x)
    du, dw, dr = t["du/dx"], t["dw/dx"], t["dr/dx"]
    dv = t["dv/du"] * du
    dp = t["dp/dv"] * dv + t["dp/dw"] * dw  # the product rule: one term per factor
    dq = t["dq/dr"] * dr
    return {"u": du, "v": dv, "w": dw, "p": dp, "r": dr, "q": dq, "f": t["df/dp"] * dp + t["df/dq"] * dq}


def _backward7(x: float) -> dict[str, float]:
    """Reverse mode at x: each node's adjoint df / d node, from f (adjoint 1) down to x."""
    t = _terms6(x)
    p = q = 1.0
    v, w, r = p * t["dp/dv"], p * t["dp/dw"], q * t["dq/dr"]
    u = v * t["dv/du"]
    paths = (u * t["du/dx"], w * t["dw/dx"], r * t["dr/dx"])  # x feeds three edges
    return {"f": 1.0, "p": p, "q": q, "v": v, "w": w, "r": r, "u": u, "x": sum(paths)}


def _paths7(x: float) -> tuple[float, ...]:
    """The three contributions to x's adjoint (through u, w and r), for the accumulation hint."""
    t, back = _terms6(x), _backward7(x)
    return (back["u"] * t["du/dx"], back["w"] * t["dw/dx"], back["r"] * t["dr/dx"])


def _hand_number(value: object, name: str) -> float:
    """A number worked out by hand: a Python number or a one-element tensor."""
    if isinstance(value, torch.Tensor) and value.numel() == 1 and value.dtype.is_floating_point:
        return float(value.detach().cpu())
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    raise FormError("lesson1.form.hand_number", name=name, kind=kind_text(value))


def _near(value: float, expected: float) -> bool:
    """Equal for a hand calculation: HAND_RELATIVE of the value (absolute near 0)."""
    return math.isfinite(value) and abs(value - expected) <= HAND_RELATIVE * max(abs(expected), 1.0)


def _hand_values(answer: object, names: tuple[str, ...], where: str) -> dict[str, float]:
    given = keys(answer, *names)
    return {name: _hand_number(given[name], f'{where}["{name}"]') for name in names}


def _check_dfdx(function: object) -> None:
    """Exercise 6's function: the chain rule's derivative, by hand (not by autograd)."""
    xs = torch.linspace(0.2, 5.0, 50, dtype=torch.float64)
    got = _call_tensor(function, xs.clone())
    leaf = xs.clone().requires_grad_()
    (expected,) = torch.autograd.grad(f5(leaf).sum(), leaf)
    if got.dtype != xs.dtype:
        raise Wrong("exercises.l1.6.dtype", dtype=str(got.dtype).removeprefix("torch."))
    found = agreement(got, expected)
    if found == "same":
        # By hand, not by autograd: with sin's autograd derivative shifted, a formula stays put.
        try:
            with _SwappedSine():
                probe = _call_tensor(function, xs.clone())
        except LearnerRaised:
            return  # the formula does not run under the probe; it ran above, so it is no autograd call
        if close(probe, expected + SINE_SHIFT * torch.log(xs**2)):
            raise Wrong("exercises.l1.6.autograd", "exercises.l1.6.autograd_headline")
        return
    if found == "float32":
        raise precision_error(got, expected, xs)
    scale = float(expected.abs().max())
    bad = ~torch.isclose(got, expected, rtol=1e-9, atol=1e-12 * scale)
    i = int(torch.nonzero(bad)[0]) if bool(bad.any()) else worst_index(got, expected)
    fields = {
        "x": shortest(float(xs[i])),
        "actual": shortest(float(got[i]), got.dtype),
        "expected": shortest(float(expected[i]), got.dtype),
    }
    if torch.allclose(got, expected + 2 / xs**2, rtol=1e-9, atol=1e-12 * scale):
        raise Wrong("exercises.l1.6.sign", **fields)
    raise Wrong("exercises.l1.6.values", **fields)


# Exercise 6's usual slips on an edge: the edge's value mistaken for another quantity.
_TERM_SLIPS = {
    "dv/du": (("dv_dx", lambda x: 2 / x),),
    "dp/dv": (("same_factor", lambda x: math.log(x * x)),),
    "dp/dw": (("same_factor", lambda x: math.sin(x)),),
    "dr/dx": (("sign", lambda x: 1 / x**2),),
    "dq/dr": (("untracked", lambda x: 0.0),),
}


def _check6(answer: object) -> None:
    answer = keys(answer, "terms", "dfdx")
    expected = _terms6(X6)
    given = _hand_values(answer["terms"], tuple(expected), 'answer["terms"]')
    for term, value in given.items():
        if _near(value, expected[term]):
            continue
        slip = next((name for name, at in _TERM_SLIPS.get(term, ()) if _near(value, at(X6))), "other")
        raise Wrong(f"exercises.l1.6.term.{slip}", term=term, actual=shortest(value))
    _check_dfdx(answer["dfdx"])


def _check7(answer: object) -> None:
    answer = keys(answer, "forward", "backward")
    forward, backward = _forward7(X6), _backward7(X6)
    names_forward = ("u", "v", "w", "p", "r", "q", "f")
    names_backward = ("f", "p", "q", "v", "w", "r", "u", "x")
    ahead = _hand_values(answer["forward"], names_forward, 'answer["forward"]')
    back = _hand_values(answer["backward"], names_backward, 'answer["backward"]')
    for name in names_forward:
        value = ahead[name]
        if _near(value, forward[name]):
            continue
        if name == "p" and any(_near(value, half) for half in _product_halves(X6)):
            raise Wrong("exercises.l1.7.product_rule", actual=shortest(value))
        raise Wrong("exercises.l1.7.forward", node=name, actual=shortest(value))
    for name in names_backward:
        value = back[name]
        if _near(value, backward[name]):
            continue
        if name == "x" and _partial_sum(value, _paths7(X6)):
            raise Wrong("exercises.l1.7.accumulate", actual=shortest(value))
        if name != "f" and _near(value, _local_term(name)):
            raise Wrong("exercises.l1.7.local_only", node=name, actual=shortest(value))
        raise Wrong("exercises.l1.7.backward", node=name, actual=shortest(value))


def _product_halves(x: float) -> tuple[float, ...]:
    """ṗ with one half of the product rule, or with the tangents multiplied."""
    t, ahead = _terms6(x), _forward7(x)
    return (t["dp/dv"] * ahead["v"], t["dp/dw"] * ahead["w"], ahead["v"] * ahead["w"])


def _partial_sum(value: float, paths: tuple[float, ...]) -> bool:
    """Whether `value` is the sum of some, not all, of x's paths."""
    sums = [sum(paths[i] for i in range(len(paths)) if mask >> i & 1) for mask in range(1, 2 ** len(paths) - 1)]
    return any(_near(value, total) for total in sums)


def _local_term(node: str) -> float:
    """The last edge's term alone on the way down to `node`: its adjoint without the one above."""
    t = _terms6(X6)
    return {
        "p": t["df/dp"],
        "q": t["df/dq"],
        "v": t["dp/dv"],
        "w": t["dp/dw"],
        "r": t["dq/dr"],
        "u": t["dv/du"],
        "x": t["du/dx"],
    }[node]


def _check8(answer: object) -> None:
    answer = keys(answer, "jvp", "vjp", "jacobian", "why")
    x64 = _X8.double()
    jac = _jacobian8(x64)
    v, u = _V8.double(), _U8.double()
    primal = f8(x64)
    jvp_raw, vjp_raw = answer["jvp"], answer["vjp"]

    if isinstance(jvp_raw, (tuple, list)) and len(jvp_raw) == 2:
        raise Wrong("exercises.l1.8.jvp.pair")
    if callable(vjp_raw) and not isinstance(vjp_raw, torch.Tensor):
        raise Wrong("exercises.l1.8.vjp.function")
    if isinstance(vjp_raw, (tuple, list)) and len(vjp_raw) == 1:
        raise Wrong("exercises.l1.8.vjp.tuple")
    jvp = as_tensor(jvp_raw, (3,), 'answer["jvp"]')
    vjp = as_tensor(vjp_raw, (3,), 'answer["vjp"]')
    jacobian = as_tensor(answer["jacobian"], (3, 3), 'answer["jacobian"]')

    if close(jvp, u @ jac) and close(vjp, jac @ v):
        raise Wrong("exercises.l1.8.swapped")
    jvp_wrong = {"transposed": v @ jac, "direction": jac @ u, "primal": primal}
    if not close(jvp, jac @ v):
        if agreement(jvp, jac @ v) == "float32":
            raise precision_error(jvp, jac @ v, _X8)
        reason = next((name for name, value in jvp_wrong.items() if close(jvp, value)), "values")
        raise Wrong(f"exercises.l1.8.jvp.{reason}")
    vjp_wrong = {"transposed": jac @ u, "direction": v @ jac, "primal": primal}
    if not close(vjp, u @ jac):
        if agreement(vjp, u @ jac) == "float32":
            raise precision_error(vjp, u @ jac, _X8)
        reason = next((name for name, value in vjp_wrong.items() if close(vjp, value)), "values")
        raise Wrong(f"exercises.l1.8.vjp.{reason}")
    if not close(jacobian, jac):
        if close(jacobian, jac.T):
            raise Wrong("exercises.l1.8.jacobian.transposed")
        raise Wrong("exercises.l1.8.jacobian.values")
    choice(answer["why"], right="a", options="abc", question="exercises.l1.8.why")


_CONCLUSIONS = {
    "forward": "forward",
    "reverse": "reverse",
    "jacfwd": "forward",
    "jacrev": "reverse",
    "backward": "reverse",
}


def _check9(answer: object) -> str | None:
    """Graded on the concept: tall → forward, wide → reverse; the measurement only adds hints."""
    answer = keys(answer, "tall", "wide", "conclusion", "why")
    conclusion = keys(answer["conclusion"], "tall", "wide")
    theory = {"tall": "forward", "wide": "reverse"}
    measured, chosen = {}, {}
    for shape in ("tall", "wide"):
        times = answer[shape]
        if not isinstance(times, (tuple, list)) or len(times) != 2:
            raise FormError("lesson1.form.times", name=f'answer["{shape}"]')
        value = conclusion[shape]
        picked = _CONCLUSIONS.get(value.strip().lower()) if isinstance(value, str) else None
        if picked is None:
            raise FormError("lesson1.form.choice", name=f'answer["conclusion"]["{shape}"]', value=repr(value)[:40])
        fwd, rev = (seconds(t, f'answer["{shape}"]') for t in times)
        if not all(math.isfinite(t) and t > 0 for t in (fwd, rev)):
            raise Wrong("exercises.l1.9.times_invalid")
        measured[shape], chosen[shape] = (fwd, rev), picked
    hint = None
    for shape in ("tall", "wide"):
        fwd, rev = measured[shape]
        faster = {"forward"} if fwd < rev else {"reverse"} if rev < fwd else {"forward", "reverse"}
        fields = {
            "shape": text(f"exercises.l1.9.{shape}"),
            "fwd": Decimal(f"{fwd:.3g}"),
            "rev": Decimal(f"{rev:.3g}"),
            "chosen": chosen[shape],
        }
        if chosen[shape] != theory[shape]:
            if chosen[shape] in faster:
                raise Wrong("exercises.l1.9.follows_odd_measurement", "exercises.l1.9.wrong_conclusion", **fields)
            raise Wrong("exercises.l1.9.swapped", "exercises.l1.9.wrong_conclusion", faster=theory[shape], **fields)
        if theory[shape] not in faster:
            hint = "exercises.l1.9.measure_more"
    choice(answer["why"], right="b", options="abc", question="exercises.l1.9.why")
    return hint


_CHECKERS = (_check1, _check2, _check3, _check4, _check5, _check6, _check7, _check8, _check9)
for _number, _checker in enumerate(_CHECKERS, start=1):
    LESSON.exercise(_number)(_checker)

__all__ = ["SINE_SHIFT", "U8", "V8", "X1", "X6", "X8", "f5", "f8", "median_seconds", "plot_label"]
