"""Lesson 2's claims of § 8 to § 10: a custom Function, forward and reverse mode, gradient descent."""

from __future__ import annotations

import collections
import statistics
import time
from collections.abc import Callable, Sequence

import torch
import torch.autograd.forward_ad as fwAD
from torch.utils._python_dispatch import TorchDispatchMode

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


@claim("l2.custom_function_gradcheck", cell=8, quote="prose")
def _custom_gradcheck(x: object = None, function: Callable[[torch.Tensor], torch.Tensor] | None = None) -> Verdict:
    """gradcheck of the lesson's Softplus.apply (or `function`) in float64 (backward against finite
    differences of forward), and sigmoid against FD of log(1 + eˣ)."""
    x = torch.tensor([-2.0, 0.0, 3.0]) if x is None else floats(x)
    x64 = x.to(torch.float64).requires_grad_(True)
    passed = torch.autograd.gradcheck(function or Softplus.apply, (x64,), raise_exception=False)
    checked = fact(
        bool(passed),
        evidence("lesson2.evidence.gradcheck", passed=yes_no(passed), values=values_text(x64)),
        gradcheck=bool(passed),
    )
    derivative = softplus_derivative(x.to(torch.float64))
    return worst(checked, fd_check(lambda t: softplus_float64(t).sum(), x, derivative))


@claim("l2.custom_function_saves_one", cell=8, quote="prose")
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
            "lesson2.evidence.custom_saved",
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


class Created(TorchDispatchMode):
    """Every operation run under it, counted by name, and copies of the tensors it creates (the
    outputs of operations that are not views: a view, such as A.t(), creates no memory)."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: collections.Counter[str] = collections.Counter()
        self.shapes: dict[str, list[tuple[int, ...]]] = collections.defaultdict(list)
        self.created: list[torch.Tensor] = []

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        name = func.overloadpacket.__name__
        self.calls[name] += 1
        for item in out if isinstance(out, (tuple, list)) else (out,):
            if isinstance(item, torch.Tensor):
                self.shapes[name].append(tuple(item.shape))
                if not getattr(func, "is_view", False) and not item._is_zerotensor():
                    self.created.append(item.detach().clone())
        return out


def holds_jacobian(created: Sequence[torch.Tensor], jacobian: torch.Tensor) -> bool:
    """Whether one of the `created` tensors holds J's values (or Jᵀ's), in any shape, up to rounding."""
    tolerance = ULP_TOLERANCE + jacobian.shape[1]
    for tensor in created:
        if tensor.numel() != jacobian.numel() or tensor.dtype != jacobian.dtype:
            continue
        for candidate in (tensor.reshape(jacobian.shape), tensor.reshape(jacobian.shape[::-1]).T):
            if compare(candidate, jacobian, tolerance=tolerance).status != "false":
                return True
    return False


def builds_jacobian(run: Callable[[], object], jacobian: torch.Tensor) -> bool:
    with Created() as seen:
        run()
    return holds_jacobian(seen.created, jacobian)


def other_shapes() -> tuple[tuple[int, int], ...]:
    """A tall and a wide f(x) = A tanh(x), besides the lesson's 3 × 4."""
    return ((8, 2), (2, 8))


@claim("l2.jvp_vjp_products", cell=9, quote="prose")
def _jvp_vjp(
    x: object = None, v: object = None, u: object = None, shapes: Sequence[tuple[int, int]] | None = None
) -> Verdict:
    """f(x) = A tanh(x): jvp against J v and vjp against uᵀ J with J = A diag(1 − tanh²x); uᵀJ
    against FD of u·f. Neither builds J: no tensor that jvp or vjp creates (outputs of every
    operation, seen with a TorchDispatchMode) holds J, here and on the `shapes` m × n; jacrev, run
    the same way, does (a control that the search finds J where it is built)."""
    x = torch.tensor([0.5, -1.0, 2.0, 0.0]) if x is None else floats(x)
    # With one input (or one output) J is a single column (or row): J v (or uᵀ J) would be J itself.
    if x.dim() != 1 or x.numel() < 2:
        raise LessonError(message("lesson2.error.vector", name="x", least=2, shape=shape_text(x.shape)))
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
    cases = [(f, x, v, u, jacobian)]
    for shape in other_shapes() if shapes is None else shapes:
        if not (isinstance(shape, tuple) and len(shape) == 2):
            raise LessonError(message("lesson2.error.shape_pair", name="shapes", value=shape))
        m, n = positive_int(shape[0], "shapes", smallest=2), positive_int(shape[1], "shapes", smallest=2)
        other = lesson_matrix(m, n).to(x.dtype)
        point = torch.linspace(-1.5, 1.0, n, dtype=x.dtype)
        cases.append(
            (
                lambda t, other=other: other @ torch.tanh(t),
                point,
                torch.ones(n, dtype=x.dtype),
                torch.ones(m, dtype=x.dtype),
                other * tanh_derivative(point),
            )
        )
    built = {"jvp": [], "vjp": [], "jacrev": []}
    for g, point, direction, weights, wanted in cases:
        shape = shape_text(tuple(wanted.shape))
        if builds_jacobian(lambda g=g, p=point, d=direction: torch.func.jvp(g, (p,), (d,)), wanted):
            built["jvp"].append(shape)
        if builds_jacobian(lambda g=g, p=point, w=weights: torch.func.vjp(g, p)[1](w), wanted):
            built["vjp"].append(shape)
        if builds_jacobian(lambda g=g, p=point: torch.func.jacrev(g)(p), wanted):
            built["jacrev"].append(shape)
    never = fact(
        not built["jvp"] and not built["vjp"] and len(built["jacrev"]) == len(cases),
        evidence(
            "lesson2.evidence.no_jacobian",
            shapes=", ".join(shape_text(tuple(case[4].shape)) for case in cases),
            jvp=", ".join(built["jvp"]) or "—",
            vjp=", ".join(built["vjp"]) or "—",
            jacrev=", ".join(built["jacrev"]) or "—",
        ),
        jvp_built=built["jvp"],
        vjp_built=built["vjp"],
        jacrev_built=built["jacrev"],
    )
    return worst(right, left, never, fd_check(lambda t: (u.to(t.dtype) * f(t)).sum(), x, u @ jacobian))


def jacobian_shapes() -> tuple[tuple[int, int], ...]:
    return ((3, 4), (400, 4), (4, 400))


@claim("l2.jacobian_batched", cell=9, quote="prose")
def _jacobian_batched(shapes: Sequence[tuple[int, int]] | None = None, chunk_size: int | None = None) -> Verdict:
    """f(x) = A tanh(x) for A of each shape m × n: jacfwd(f) and jacrev(f, chunk_size) call f once
    and compute the derivative of tanh once for all the products (n columns, m rows), where the
    lesson's by_columns and by_rows compute it n and m times (the same counter, a control); each
    J against the formula A diag(1 − tanh²x)."""
    checked = []
    for shape in jacobian_shapes() if shapes is None else shapes:
        if not (isinstance(shape, tuple) and len(shape) == 2):
            raise LessonError(message("lesson2.error.shape_pair", name="shapes", value=shape))
        checked.append((positive_int(shape[0], "shapes"), positive_int(shape[1], "shapes")))
    rows, control, single, agreements = [], True, True, []
    for m, n in checked:
        matrix = lesson_matrix(m, n)
        x = torch.randn(n, generator=torch.Generator().manual_seed(LESSON_SEED + 1))
        calls = [0]

        def f(t, matrix=matrix, calls=calls):
            calls[0] += 1
            return matrix @ torch.tanh(t)

        formula = matrix * tanh_derivative(x)
        counted = {}
        for name, build, products in (
            ("jacfwd", torch.func.jacfwd(f), n),
            ("jacrev", torch.func.jacrev(f, chunk_size=chunk_size), m),
        ):
            calls[0] = 0
            with Created() as seen:
                jacobian = build(x)
            derivatives = seen.shapes["tanh_backward"]
            single = single and calls[0] == 1 and derivatives == [(products, n)]
            counted[name] = (calls[0], len(derivatives))
            agreements.append(compare(jacobian, formula, tolerance=ULP_TOLERANCE + n))
        for build, products in ((jacobian_by_columns, n), (jacobian_by_rows, m)):
            with Created() as seen:
                build(f, x)
            control = control and seen.calls["tanh_backward"] == products
        rows.append(
            text(
                "lesson2.evidence.batched",
                shape=f"{m}×{n}",
                forward_calls=counted["jacfwd"][0],
                forward_derivatives=counted["jacfwd"][1],
                columns=n,
                reverse_calls=counted["jacrev"][0],
                reverse_derivatives=counted["jacrev"][1],
                rows=m,
            )
        )
    found = fact(
        bool(rows) and single and control,
        tuple(rows) + evidence("lesson2.evidence.batched_control", control=yes_no(control)),
        at_once=single,
        control=control,
    )
    if not agreements:
        return found
    return worst(found, agreement(worst(*agreements), text("lesson2.built_jacobians"), "A diag(1 − tanh²x)"))


@claim("l2.dual_number_tangent", cell=9, quote="prose")
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
        labelled("lesson2.tangent", shown(out_tangent)),
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
        "same": compare(forward_j, reverse_j, tolerance=ULP_TOLERANCE + inputs),
    }


@claim("l2.forward_wins_tall", cell=9, quote="prose", timed=True)
def _forward_wins_tall(
    tall: tuple[int, int] = (400, 4),
    wide: tuple[int, int] = (4, 400),
    repeat: int = TIMING_REPEAT,
    margin: float = TIMING_MARGIN,
) -> Verdict:
    """Build the Jacobian of tanh(A x) both ways on a tall (outputs × inputs) and a wide shape:
    the claim holds when reverse takes ≥ margin × forward's median time on the tall one and
    forward ≥ margin × reverse's on the wide one; the two J of each shape are compared (bitwise
    equal, or equal up to rounding with its ulps shown)."""
    shapes = []
    for name, shape in (("tall", tall), ("wide", wide)):
        if not (isinstance(shape, tuple) and len(shape) == 2):
            raise LessonError(message("lesson2.error.shape_pair", name=name, value=shape))
        shapes.append((positive_int(shape[0], name), positive_int(shape[1], name)))
    repeat = positive_int(repeat, "repeat")
    tall_run, wide_run = (time_modes(m, n, repeat) for m, n in shapes)
    tall_ratio = tall_run["reverse"] / tall_run["forward"]
    wide_ratio = wide_run["forward"] / wide_run["reverse"]
    holds = tall_ratio >= margin and wide_ratio >= margin
    tall_name, wide_name = (f"{m}×{n}" for m, n in shapes)
    found = evidence(
        "lesson2.evidence.modes",
        tall=tall_name,
        wide=wide_name,
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
        "lesson2.evidence.ratio_band",
        band=text("lesson2.band.wide" if holds else "lesson2.band.narrow", margin=shortest(margin)),
    )
    timing = fact(holds, found + ratio_words, tall_ratio=tall_ratio, wide_ratio=wide_ratio)
    same = [
        agreement(run["same"], text("lesson2.by_columns", shape=name), text("lesson2.by_rows"))
        for run, name in ((tall_run, tall_name), (wide_run, wide_name))
    ]
    return worst(timing, *same)


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
        raise LessonError(message("lesson2.error.lr", value=value))
    return float(value)


@claim("l2.loss_goes_down", cell=10, quote="prose")
def _loss_goes_down(lr: object = 0.1, steps: int = 20) -> Verdict:
    """Each step's autograd gradient against the closed form (2/n) Xᵀr, 2·mean(r); the loss must
    go down at every step."""
    lr = learning_rate(lr)
    steps = positive_int(steps, "steps", smallest=2)
    losses, _, checks = descend(lr, steps)
    rises = [i + 1 for i, (a, b) in enumerate(zip(losses, losses[1:], strict=False)) if not b < a]
    down = fact(
        not rises,
        evidence(
            "lesson2.evidence.losses",
            first=shortest(losses[0], torch.float32),
            last=shortest(losses[-1], torch.float32),
            steps=steps,
            rises=", ".join(map(str, rises)) or "—",
            lr=shortest(lr),
        ),
        rises=rises,
    )
    matched = agreement(worst(*checks), text("lesson2.gradients_each_step", steps=steps), text("lesson2.closed_form"))
    return worst(down, matched)


@claim("l2.fresh_graph_each_step", cell=10)
def _fresh_graph(steps: int = 20, rebuild: bool = True) -> Verdict:
    """Our question: is the loss's grad_fn a different node at every step? (All grad_fns are kept
    alive, so identity is not confused by reused memory.)"""
    steps = positive_int(steps, "steps", smallest=2)
    _, nodes, _ = descend(0.1, steps, rebuild=bool(rebuild))
    distinct = len({id(node) for node in nodes})
    return fact(
        distinct == len(nodes),
        evidence("lesson2.evidence.fresh", distinct=distinct, steps=steps),
        distinct=distinct,
        steps=steps,
    )
