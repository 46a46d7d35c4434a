"""Lesson 1's claims: the source run's words, and the lesson's questions about them, checked.

The formulas the annotations state are pure functions (`maths`); every verification compares
autograd against them, and them against central finite differences in float64, exact
arithmetic or `torch.func`, never autograd against itself. Each claim registers with
``LESSON.claim(id, cell=n)``, where n is the cell of the original run ("In [n]"); a quoted
comment is the passage marked ``<q id="id">`` in the lesson's source. The demonstrations the
lesson shows beside its verdicts (`sample_control_flow`, `shared_storage_demo`) live here too.
"""

from __future__ import annotations

import math
import statistics
import timeit
import warnings
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from fractions import Fraction
from types import MappingProxyType

import torch

from autograd_lessons.i18n import LessonError, Text, message, text
from autograd_lessons.lessons.autograd import LESSON
from autograd_lessons.lessons.autograd.maths import (
    control_flow,
    control_flow_slope,
    doublings,
    grad_norm_squared,
    grad_sum,
    grad_two_xtx,
    lesson_a,
    norm_squared,
    two_xtx,
    vjp_square,
)
from autograd_lessons.numbers import shape_text, shortest, ulps_text, values_text
from autograd_lessons.quirks import load_forward_mode
from autograd_lessons.verdicts import (
    FACT,
    FD_TOLERANCE,
    ULP_TOLERANCE,
    Verdict,
    agreement,
    compare,
    duration_text,
    error_line,
    evidence,
    fact,
    fd_check,
    shown,
    worst,
    yes_no,
)

# The lesson's § 6 cell uses forward mode (jvp, jacfwd): keep its import warning out of outputs.
load_forward_mode()

claim = LESSON.claim
LARGE_SIZE = 10**6  # the second size at which the "Faster" comment is timed: big enough to see work, not overhead
TIMING_REPEAT = 7  # medians of 7 interleaved runs: an odd count, and enough to shrug off one slow run
OVERFLOW_MARGIN = 4  # 2xᵀx doubles a sum of n squares: keep 4·n·max|x|³ below the dtype's largest value


# --------------------------------------------------------------------------- input checks


def _tensor(value: object, name: str, *, vector: bool = False) -> torch.Tensor:
    """A fresh floating-point copy of the learner's input (their tensor is never modified)."""
    if isinstance(value, (list, tuple, int, float)) and not isinstance(value, bool):
        value = torch.tensor(value, dtype=torch.float32)
    if not isinstance(value, torch.Tensor):
        raise LessonError(message("claims.error.not_tensor", name=name, kind=type(value).__name__))
    if not value.dtype.is_floating_point:
        raise LessonError(message("lesson1.error.not_float", name=name, dtype=str(value.dtype)))
    if (vector and value.dim() != 1) or value.numel() == 0:
        raise LessonError(message("lesson1.error.not_vector", name=name, shape=shape_text(tuple(value.shape))))
    return value.detach().clone()


def _scalar_a(a: object) -> torch.Tensor:
    if isinstance(a, (int, float)) and not isinstance(a, bool):
        a = torch.tensor(float(a))
    a = _tensor(a, "a")
    if a.numel() != 1 or not bool(torch.isfinite(a).all()) or float(a) == 0.0 or abs(float(a)) < 1e-30:
        raise LessonError(
            message("lesson1.error.bad_a", value=values_text(a) if a.numel() <= 8 else shape_text(tuple(a.shape)))
        )
    return a.reshape(())


def _default_x() -> torch.Tensor:
    return torch.arange(4.0)


def _node_name(node: object) -> str:
    return "None" if node is None else type(node).__name__


def _x(x: object, *, vector: bool = True) -> torch.Tensor:
    """The claim's x: the lesson's (0, 1, 2, 3) or a checked copy of the learner's."""
    return _default_x() if x is None else _within_range(_tensor(x, "x", vector=vector), "x")


def _within_range(value: torch.Tensor, name: str) -> torch.Tensor:
    """Refuse values the lesson's formulas cannot use: NaN or inf, or so large that the cube
    (u * x in In [16] is x³) of a sum of them would overflow the dtype."""
    if not bool(torch.isfinite(value).all()):
        raise LessonError(
            message(
                "lesson1.error.not_finite",
                name=name,
                values=values_text(value) if value.numel() <= 8 else shape_text(value.shape),
            )
        )
    largest = (torch.finfo(value.dtype).max / (OVERFLOW_MARGIN * value.numel())) ** (1 / 3)
    if float(value.abs().max()) > largest:
        raise LessonError(
            message("lesson1.error.too_large", name=name, largest=f"{largest:.2g}", dtype=str(value.dtype))
        )
    return value


# --- In [2] ------------------------------------------------------------------------------------


@claim("in2.create_with_requires_grad", cell=2, quote="comment", written_in="en")
def _in2_create(x: object = None) -> Verdict:
    """torch.arange(n, requires_grad=True) is the same leaf as arange(n) then requires_grad_(True)."""
    x = _x(x)
    made = torch.tensor(x.tolist(), dtype=x.dtype, requires_grad=True)
    marked = x.clone().requires_grad_(True)
    same = made.is_leaf and marked.is_leaf and made.requires_grad and marked.requires_grad
    same = same and torch.equal(made.detach(), marked.detach())
    two_xtx(made).backward()
    two_xtx(marked).backward()
    same = same and torch.equal(made.grad, marked.grad)
    facts = evidence(
        "lesson1.evidence.created",
        values=values_text(made),
        is_leaf=made.is_leaf,
        requires=made.requires_grad,
        grad=shown(made.grad),
        other=shown(marked.grad),
    )
    return fact(same, facts, made=values_text(made))


@claim("in2.grad_none_before_backward", cell=2, quote="comment", written_in="en")
def _in2_grad_none(x: object = None) -> Verdict:
    """x.grad is None until a backward pass writes it."""
    x = _x(x).requires_grad_(True)
    before = x.grad
    two_xtx(x).backward()
    after = x.grad
    facts = evidence("lesson1.evidence.before_after", before=shown(before), after=shown(after))
    return fact(before is None and after is not None, facts, before=before is None, after=after is not None)


# --- In [3] ------------------------------------------------------------------------------------


@claim("in3.y_is_28", cell=3, quote="output", words="tensor(28., grad_fn=<MulBackward0>)")
def _in3_value(x: object = None) -> Verdict:
    """y = 2xᵀx is a scalar, against twice the exact sum of squares (fractions), rounded to x's dtype."""
    x = _x(x).requires_grad_(True)
    y = two_xtx(x)
    if y.dim() != 0:
        return fact(False, evidence("lesson1.evidence.not_scalar", shape=shape_text(y.shape)))
    exact = 2 * sum(Fraction(v) * Fraction(v) for v in x.detach().to(torch.float64).tolist())
    wanted = torch.tensor(float(exact), dtype=torch.float64).to(y.dtype)
    found = compare(y.detach(), wanted, tolerance=ULP_TOLERANCE + x.numel())
    return agreement(found, f"y = {values_text(y)}", f"2·Σxᵢ² = {shortest(float(exact))}")


# --- In [4] ------------------------------------------------------------------------------------


@claim("in4.backward_fills_tracked", cell=4, quote="comment", written_in="pt")
def _in4_tracked(x: object = None) -> Verdict:
    """The words say backward computes ∂y/∂t for *every* tensor t marked requires_grad=True.
    Checked where they could break: on x, the tensor they name (x.grad = 4x, against the
    formula), on a leaf marked requires_grad=True that y does not use, and on the intermediate
    torch.dot(x, x), which has requires_grad=True too."""
    x = _x(x).requires_grad_(True)
    unused = torch.ones_like(x).requires_grad_(True)
    dot = torch.dot(x, x)
    y = 2 * dot
    y.backward()
    with warnings.catch_warnings():  # reading .grad of a non-leaf warns; here that reading is the point
        warnings.simplefilter("ignore")
        kept_on_dot = dot.grad
    named = agreement(compare(x.grad, grad_two_xtx(x.detach())), f"x.grad = {shown(x.grad)}", "4x")
    beyond = evidence("lesson1.evidence.beyond_x", unused=shown(unused.grad), dot=shown(kept_on_dot))
    every = fact(unused.grad is not None and kept_on_dot is not None, beyond, tensor="unused leaf")
    return worst(named, every)


@claim("in4.grad_fn_is_the_multiplication", cell=4, quote="comment", written_in="pt")
def _in4_grad_fn(x: object = None) -> Verdict:
    """y.grad_fn is MulBackward0, and calling it gives the local gradients: (2, None)."""
    x = _x(x).requires_grad_(True)
    node = two_xtx(x).grad_fn
    inputs = [type(n).__name__ if n is not None else "None" for n, _ in node.next_functions]
    local = node(torch.ones((), dtype=x.dtype))
    shown = "(" + ", ".join("None" if g is None else values_text(g) for g in local) + ")"
    holds = type(node).__name__ == "MulBackward0" and "DotBackward0" in inputs
    holds = holds and local[0] is not None and float(local[0]) == 2.0 and local[1] is None
    facts = evidence("lesson1.evidence.node", node=type(node).__name__, inputs=", ".join(inputs), local=shown)
    return fact(holds, facts, node=type(node).__name__)


@claim("in4.history_is_a_tree", cell=4, quote="comment", written_in="pt")
def _in4_tree(x: object = None) -> Verdict:
    """A tree gives every node one parent: count the edges that reach each node of y's graph."""
    x = _x(x).requires_grad_(True)
    nodes = list(_nodes(two_xtx(x).grad_fn))
    reaching = Counter(id(child) for node in nodes for child, _ in node.next_functions if child is not None)
    names = {id(node): _node_name(node) for node in nodes}
    shared = sorted(f"{names[key]} ({count})" for key, count in reaching.items() if count > 1)
    facts = evidence("lesson1.evidence.tree", nodes=len(nodes), shared=", ".join(shared) or "—")
    return fact(not shared, facts, nodes=shared)


@claim("in4.untracked_not_recorded", cell=4, quote="comment", written_in="pt")
def _in4_not_recorded(x: object = None) -> Verdict:
    """Built from a tensor without requires_grad, y records no operation."""
    x = _x(x)
    y = two_xtx(x)
    facts = evidence("lesson1.evidence.not_recorded", grad_fn=_node_name(y.grad_fn), requires=y.requires_grad)
    return fact(y.grad_fn is None and not y.requires_grad, facts)


@claim("in4.untracked_no_grad", cell=4, quote="comment", written_in="pt")
def _in4_no_grad(x: object = None) -> Verdict:
    """Without requires_grad, x.grad stays None: y.backward() raises instead of computing."""
    x = _x(x)
    try:
        two_xtx(x).backward()
    except RuntimeError as error:
        facts = evidence("lesson1.evidence.raised", grad=shown(x.grad), error=error_line(error))
        return fact(x.grad is None, facts)
    return fact(False, evidence("lesson1.evidence.no_error", grad=shown(x.grad)))


# --- In [5] ------------------------------------------------------------------------------------


@claim("in5.grad_is_4x", cell=5, quote="code", words="x.grad == 4 * x")
def _in5_grad(x: object = None) -> Verdict:
    """Autograd against 4x, and 4x against float64 finite differences of 2xᵀx."""
    x = _x(x).requires_grad_(True)
    two_xtx(x).backward()
    formula = grad_two_xtx(x.detach())
    found = agreement(compare(x.grad, formula), f"x.grad = {shown(x.grad)}", f"4 * x = {values_text(formula)}")
    return worst(found, fd_check(two_xtx, x.detach(), formula))


@claim("in5.dot_is_norm_squared", cell=5, quote="comment", written_in="pt")
def _in5_dot_norm(x: object = None) -> Verdict:
    """xᵀx = ‖x‖² is an identity: both float evaluations against the exact Σxᵢ² (fractions).

    torch.dot(x, x) multiplies and adds; torch.linalg.vector_norm(x) ** 2 takes a square root
    and squares it back, which can round. The identity holds when each evaluation is within
    rounding of the exact value; the evidence says how far each one is.
    """
    x = _x(x)
    exact = sum(Fraction(v) * Fraction(v) for v in x.to(torch.float64).tolist())
    wanted = torch.tensor(float(exact), dtype=torch.float64).to(x.dtype)
    tolerance = ULP_TOLERANCE + x.numel()
    dot, through_norm = torch.dot(x, x), norm_squared(x)
    found = [compare(dot, wanted, tolerance=tolerance), compare(through_norm, wanted, tolerance=tolerance)]
    status = "false" if any(f.status == "false" for f in found) else "exact"

    def how_far(verdict: Verdict) -> Text:
        return text("lesson1.evidence.ulps_away", ulps=ulps_text(verdict.ulps or 0.0))

    facts = evidence(
        "lesson1.evidence.identity",
        exact=shortest(float(exact)),
        dot=shortest(float(dot), x.dtype),
        dot_ulps=how_far(found[0]),
        norm=shortest(float(through_norm), x.dtype),
        norm_ulps=how_far(found[1]),
    )
    if found[1].status == "rounding" and status == "exact":
        facts += evidence("lesson1.evidence.rounding_in_sqrt")
    counterexample = None if status == "exact" else MappingProxyType({"x": tuple(x.tolist())})
    return Verdict(status, FACT, counterexample=counterexample, evidence=facts)


@claim("in5.grad_norm_squared_is_2x", cell=5, quote="comment", written_in="pt")
def _in5_grad_norm(x: object = None) -> Verdict:
    """Autograd of ‖x‖² (through the norm) against 2x, and 2x against finite differences."""
    x = _x(x).requires_grad_(True)
    norm_squared(x).backward()
    formula = grad_norm_squared(x.detach())
    found = agreement(compare(x.grad, formula), f"x.grad = {shown(x.grad)}", f"2x = {values_text(formula)}")
    return worst(found, fd_check(norm_squared, x.detach(), formula))


# --- In [6] ------------------------------------------------------------------------------------


@claim("in6.zero_resets_grad", cell=6, quote="comment", written_in="pt")
def _in6_zero(x: object = None) -> Verdict:
    """The whole comment: what zero_() resets, and where those values came from. x.requires_grad_(True)
    alone stores nothing (x.grad None); y.backward() stores 4x; zero_() zeroes that tensor in place."""
    x = _x(x).requires_grad_(True)
    after_flag = shown(x.grad)
    flag_stores_nothing = x.grad is None
    two_xtx(x).backward()
    stored, before = x.grad, values_text(x.grad)
    x.grad.zero_()
    same = x.grad is stored
    zeros = bool((x.grad == 0).all())
    facts = evidence(
        "lesson1.evidence.zeroed", flag=after_flag, before=before, after=values_text(x.grad), same=yes_no(same)
    )
    return fact(flag_stores_nothing and same and zeros, facts)


@claim("in6.grad_accumulates", cell=6)
def _in6_accumulates(x: object = None) -> Verdict:
    """Two backward passes without zero_(): x.grad = 4x + 1."""
    x = _x(x).requires_grad_(True)
    two_xtx(x).backward()
    x.sum().backward()
    formula = grad_two_xtx(x.detach()) + grad_sum(x.detach())
    return agreement(compare(x.grad, formula), f"x.grad = {shown(x.grad)}", f"4x + 1 = {values_text(formula)}")


@claim("in6.grad_of_sum_is_ones", cell=6, quote="comment", written_in="pt")
def _in6_sum(x: object = None) -> Verdict:
    """Autograd of Σxᵢ against ones, and ones against finite differences."""
    x = _x(x, vector=False).requires_grad_(True)
    x.sum().backward()
    formula = grad_sum(x.detach())
    found = agreement(compare(x.grad, formula), f"x.grad = {shown(x.grad)}", values_text(formula))
    return worst(found, fd_check(torch.sum, x.detach(), formula))


# --- In [11] -----------------------------------------------------------------------------------

_IMPLICIT = "grad can be implicitly created only for scalar outputs"


@claim("in11.nonscalar_backward_raises", cell=11, quote="comment", written_in="pt")
def _in11_nonscalar(x: object = None) -> Verdict:
    """y = x * x: backward() raises the 'scalar outputs' error iff y has more than one element."""
    x = _x(x, vector=False).requires_grad_(True)
    y = x * x
    try:
        y.backward()
    except RuntimeError as error:
        facts = evidence("lesson1.evidence.nonscalar", count=y.numel(), error=error_line(error))
        return fact(_IMPLICIT in str(error) and y.numel() > 1, facts)
    return fact(y.numel() == 1, evidence("lesson1.evidence.one_element", count=y.numel()))


# --- In [12] -----------------------------------------------------------------------------------


@claim("in12.gradient_v_is_vjp", cell=12, quote="comment", written_in="pt")
def _in12_vjp(x: object = None, v: object = None) -> Verdict:
    """y.backward(gradient=v) against the gradient of l = vᵀy, and that against vᵀJ (torch.func)."""
    x = _x(x, vector=False).requires_grad_(True)
    v = torch.ones_like(x) if v is None else _within_range(_tensor(v, "v"), "v")
    if v.shape != x.shape or v.dtype != x.dtype:
        raise LessonError(message("lesson1.error.v_like_x", v=shape_text(v.shape), x=shape_text(x.shape)))
    y = x * x
    y.backward(gradient=v)
    twin = x.detach().clone().requires_grad_(True)
    (v * (twin * twin)).sum().backward()
    formula = vjp_square(x.detach(), v)
    x64, v64 = x.detach().to(torch.float64).reshape(-1), v.to(torch.float64).reshape(-1)
    jacobian = torch.func.jacrev(lambda t: t * t)(x64)
    independent = (v64 @ jacobian).reshape(x.shape)
    scalar = agreement(compare(x.grad, twin.grad), f"x.grad = {shown(x.grad)}", f"∇(vᵀy) = {shown(twin.grad)}")
    vjp = agreement(compare(x.grad, formula), f"x.grad = {shown(x.grad)}", f"2x·v = {values_text(formula)}")
    mathematics = compare(vjp_square(x64, v64).reshape(x.shape), independent)
    mathematics = replace(
        mathematics,
        evidence=evidence("lesson1.evidence.jacobian", vjp=values_text(independent))
        if mathematics.holds
        else evidence("lesson1.evidence.jacobian_differs", vjp=values_text(independent)),
    )
    return worst(scalar, vjp, mathematics)


def _time_both(x: torch.Tensor, repeat: int) -> tuple[float, float]:
    """Median seconds of each spelling of In [12] (graph kept, .grad reset each run), interleaved."""
    x = x.detach().clone().requires_grad_(True)
    y = x * x
    number = max(1, min(1000, 4000 // max(1, x.numel() // 250)))

    def with_ones() -> None:
        x.grad = None
        y.backward(gradient=torch.ones(y.shape, dtype=y.dtype), retain_graph=True)

    def with_sum() -> None:
        x.grad = None
        y.sum().backward(retain_graph=True)

    ones_times, sum_times = [], []
    for _ in range(repeat):  # interleaved, so that drift in the machine's load hits both alike
        ones_times.append(timeit.timeit(with_ones, number=number) / number)
        sum_times.append(timeit.timeit(with_sum, number=number) / number)
    return statistics.median(ones_times), statistics.median(sum_times)


@claim("in12.sum_skips_the_ones", cell=12, timed=True)
def _in12_sum(x: object = None, n: int = LARGE_SIZE, repeat: int = TIMING_REPEAT) -> Verdict:
    """The lesson's question on the comment "Faster: y.sum().backward()": is it less work?

    Judged, as it does not depend on the machine, at x and at n elements: both spellings leave
    the same x.grad, bit for bit; the gradient that reaches y from .sum() is one stored 1 seen n
    times (stride 0), where gradient=torch.ones stores n ones; and .sum() adds an operation of
    its own (a sum over y, one node more). Yes only if it spares the ones and adds nothing.
    Reported, not judged: the median time of each spelling at both sizes, on this machine.
    """
    x = _x(x, vector=False)
    if not isinstance(n, int) or isinstance(n, bool) or n < 1 or not isinstance(repeat, int) or repeat < 1:
        raise LessonError(message("lesson1.error.timing", n=n, repeat=repeat))
    measurements, facts, holds, trades = {}, (), True, True
    for size, tensor in ((x.numel(), x), (n, torch.arange(float(n)))):
        with_ones, ones_reaching = _reaching_y(
            tensor, lambda y: y.backward(gradient=torch.ones(y.shape, dtype=y.dtype))
        )
        with_sum, sum_reaching = _reaching_y(tensor, lambda y: y.sum().backward())
        equal = torch.equal(with_ones, with_sum)
        added = _added_nodes(tensor)
        # less work: spares the stored ones without adding an operation of its own (the sum)
        holds = holds and equal and sum_reaching < ones_reaching and added == 0
        trades = trades and sum_reaching < ones_reaching and added > 0
        ones_time, sum_time = _time_both(tensor, repeat)
        measurements[size] = MappingProxyType(
            {
                "ones_seconds": ones_time,
                "sum_seconds": sum_time,
                "same_grad": equal,
                "ones_stored": ones_reaching,
                "sum_stored": sum_reaching,
                "sum_adds": added,
            }
        )
        facts += evidence(
            "lesson1.evidence.timed",
            n=size,
            same=yes_no(equal),
            ones_stored=ones_reaching,
            sum_stored=sum_reaching,
            added=added,
            ones=duration_text(ones_time),
            total=duration_text(sum_time),
        )
    facts = (
        (evidence("lesson1.evidence.trade") if trades else ())
        + evidence("lesson1.evidence.median_of", repeat=repeat)
        + facts
    )
    counterexample = None if holds else MappingProxyType({"n": list(measurements)})
    return Verdict(
        "exact" if holds else "false",
        FACT,
        counterexample=counterexample,
        evidence=facts,
        measurements=MappingProxyType(measurements),
    )


def _added_nodes(tensor: torch.Tensor) -> int:
    """How many nodes y.sum() adds to the graph of y = x * x (the forward sum's own node)."""
    x = tensor.detach().clone().requires_grad_(True)
    y = x * x
    return len(list(_nodes(y.sum().grad_fn))) - len(list(_nodes(y.grad_fn)))


def _reaching_y(tensor: torch.Tensor, backward) -> tuple[torch.Tensor, int]:
    """x.grad after `backward(y)` for y = x * x, and how many numbers the gradient reaching y stores."""
    x = tensor.detach().clone().requires_grad_(True)
    y = x * x
    stored: list[int] = []
    y.register_hook(lambda grad: stored.append(grad.untyped_storage().nbytes() // grad.element_size()))
    backward(y)
    return x.grad, stored[0]


# --- In [16] and In [17] -----------------------------------------------------------------------


def _detached(x: object) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """x (tracked), y = x * x and u = y.detach(), as in In [16]."""
    x = _x(x, vector=False).requires_grad_(True)
    y = x * x
    return x, y, y.detach()


@claim("in16.grad_is_u", cell=16, quote="comment", written_in="en")
def _in16_grad(x: object = None) -> Verdict:
    """z = u * x: x.grad against u, and u against finite differences of Σ u·x."""
    x, _, u = _detached(x)
    (u * x).sum().backward()
    found = agreement(compare(x.grad, u), f"x.grad = {shown(x.grad)}", f"u = {values_text(u)}")
    return worst(found, fd_check(lambda t: (u.to(torch.float64) * t).sum(), x.detach(), u))


@claim("in16.same_values", cell=16, quote="comment", written_in="en")
def _in16_values(x: object = None) -> Verdict:
    """At the moment of detaching, u equals y value for value."""
    _, y, u = _detached(x)
    return agreement(compare(u, y.detach()), f"u = {values_text(u)}", f"y = {values_text(y)}")


@claim("in16.constant_in_backward", cell=16, quote="comment", written_in="en")
def _in16_constant(x: object = None) -> Verdict:
    """u has no history: no grad_fn, no requires_grad; the backward of u * x never reaches y."""
    x, y, u = _detached(x)
    z = u * x
    reached = []
    y.grad_fn.register_prehook(lambda grads: reached.append(True))
    z.sum().backward()
    holds = u.grad_fn is None and not u.requires_grad and u.is_leaf and not reached
    facts = evidence(
        "lesson1.evidence.constant", grad_fn=_node_name(u.grad_fn), requires=u.requires_grad, reached=yes_no(reached)
    )
    return fact(holds, facts)


@dataclass(frozen=True)
class SharedStorageDemo:
    """In [16] made visible: an in-place change of y seen through u = y.detach(), not through a clone."""

    y_before: tuple[float, ...]
    y_after: tuple[float, ...]
    u_after: tuple[float, ...]
    clone_after: tuple[float, ...]
    u_shares_storage: bool
    clone_shares_storage: bool

    def __str__(self) -> str:
        show = lambda values: "[" + ", ".join(shortest(v, torch.float32) for v in values) + "]"  # noqa: E731
        return message(
            "lesson1.demo.text",
            before=show(self.y_before),
            y=show(self.y_after),
            u=show(self.u_after),
            c=show(self.clone_after),
            u_shares=yes_no(self.u_shares_storage),
            c_shares=yes_no(self.clone_shares_storage),
        )

    __repr__ = __str__


def shared_storage_demo(x: object = None) -> SharedStorageDemo:
    """y = x * x; u = y.detach(); c = y.detach().clone(); then y.add_(1): u follows y, c does not."""
    _, y, u = _detached(x)
    c = y.detach().clone()
    before = tuple(y.detach().reshape(-1).tolist())
    shares = u.data_ptr() == y.data_ptr()
    clone_shares = c.data_ptr() == y.data_ptr()
    with torch.no_grad():
        y.add_(1)
    return SharedStorageDemo(
        y_before=before,
        y_after=tuple(y.detach().reshape(-1).tolist()),
        u_after=tuple(u.reshape(-1).tolist()),
        clone_after=tuple(c.reshape(-1).tolist()),
        u_shares_storage=shares,
        clone_shares_storage=clone_shares,
    )


@claim("in16.keeps_values_after_change", cell=16)
def _in16_keeps(x: object = None) -> Verdict:
    """Our question: does u keep y's old values after y changes in place? (It shares y's memory.)"""
    demo = shared_storage_demo(x)
    keeps = demo.u_after == demo.y_before and not demo.u_shares_storage
    show = lambda values: values_text(torch.tensor(values))  # noqa: E731
    facts = evidence(
        "lesson1.evidence.shared",
        shares=yes_no(demo.u_shares_storage),
        before=show(demo.y_before),
        y=show(demo.y_after),
        u=show(demo.u_after),
        c=show(demo.clone_after),
    )
    return fact(keeps, facts, y_before=demo.y_before, u_after=demo.u_after, shares=demo.u_shares_storage)


@claim("in17.graph_to_y_persists", cell=17, quote="comment", written_in="en")
def _in17_persists(x: object = None) -> Verdict:
    """After the detached z's backward pass, y.sum().backward() still gives 2x."""
    x, y, u = _detached(x)
    (u * x).sum().backward()
    x.grad.zero_()
    y.sum().backward()
    formula = 2 * x.detach()
    found = agreement(compare(x.grad, formula), f"x.grad = {shown(x.grad)}", f"2x = {values_text(formula)}")
    return worst(found, fd_check(lambda t: (t * t).sum(), x.detach(), formula))


# --- In [20] -----------------------------------------------------------------------------------


def _run_control_flow(a: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """The lesson's In [20] for one a: (a, d, a.grad)."""
    a = a.detach().clone().requires_grad_(True)
    d = control_flow(a)
    d.backward()
    return a, d.detach(), a.grad


def _slopefd_check(a: float) -> Verdict:
    """Whether a one-sided float64 finite difference of f (the piece a lies on) equals the slope."""
    a64 = torch.tensor(a, dtype=torch.float64)
    h = 2.0**-20 * abs(a)
    value = float(control_flow(a64))
    estimates = [
        (float(control_flow(a64 + h)) - value) / h,
        (value - float(control_flow(a64 - h))) / h,
    ]
    slope = control_flow_slope(a)
    if any(abs(e - slope) <= FD_TOLERANCE * abs(slope) for e in estimates):
        return Verdict("exact", FACT, evidence=evidence("lesson1.evidence.slope_fd", slope=shortest(slope)))
    return Verdict(
        "false",
        FACT,
        counterexample=MappingProxyType({"a": a, "finite_difference": estimates[0], "formula": slope}),
        evidence=evidence("claims.evidence.fd_differ", index="a", fd=shortest(estimates[0]), formula=shortest(slope)),
    )


@claim("in20.piecewise_linear", cell=20, quote="comment", written_in="pt")
def _in20_linear(a: object = None) -> Verdict:
    """d = f(a) against slope·a (slope from the count of doublings), and the slope against FD."""
    a = lesson_a() if a is None else _scalar_a(a)
    _, d, grad = _run_control_flow(a)
    slope = control_flow_slope(float(a))
    line = torch.tensor(slope * float(a), dtype=torch.float64).to(d.dtype)
    lead = evidence(
        "lesson1.evidence.piece",
        a=shortest(float(a), a.dtype),
        k=doublings(float(a)),
        slope=shortest(slope),
        d=shortest(float(d), d.dtype),
    )
    value = compare(d, line)
    value = replace(value, evidence=lead + value.evidence)
    return worst(value, compare(grad, torch.tensor(slope, dtype=grad.dtype)), _slopefd_check(float(a)))


def _ratio_verdict(a: torch.Tensor) -> tuple[Verdict, dict[str, object]]:
    """compare(a.grad, d / a) for one a, with the values for a counterexample."""
    a, d, grad = _run_control_flow(a)
    ratio = d / a.detach()
    found = compare(grad, ratio)
    values = {"a": float(a.detach()), "grad": float(grad), "d_over_a": float(ratio), "ulps": found.ulps or 0.0}
    return found, values


@claim("in20.grad_is_d_over_a", cell=20, quote="comment", written_in="pt")
def _in20_ratio(a: object = None) -> Verdict:
    """a.grad against d / a (both float32, as the lesson computes them), a.grad against f'(a)."""
    a = lesson_a() if a is None else _scalar_a(a)
    found, values = _ratio_verdict(a)
    grad = torch.tensor(values["grad"], dtype=a.dtype)
    sound = worst(compare(grad, torch.tensor(control_flow_slope(float(a)), dtype=a.dtype)), _slopefd_check(float(a)))
    if sound.status != "exact":
        return sound
    facts = evidence(
        "lesson1.evidence.ratio",
        a=shortest(values["a"], a.dtype),
        grad=shortest(values["grad"], a.dtype),
        ratio=shortest(values["d_over_a"], a.dtype),
        ulps=ulps_text(values["ulps"]),
        equal=yes_no(found.status == "exact"),
    )
    counterexample = MappingProxyType(values) if found.status == "false" else None
    return replace(found, evidence=facts, counterexample=counterexample)


@dataclass(frozen=True)
class ControlFlowStudy:
    """The In [20] sampling study: how often the exact `a.grad == d / a` fails over many draws.

    Draws are `torch.randn(())` one at a time from a generator seeded with `seed`, so draw 0 of
    seed 0 is the lesson's a and the study is reproducible on the same torch build.
    """

    n: int
    seed: int
    negative: int
    broken: int
    broken_positive: int
    worst_ulps: float
    counterexample: Mapping[str, float] | None

    @property
    def broken_share(self) -> float:
        """The fraction of negative draws for which `==` gives False."""
        return self.broken / self.negative if self.negative else 0.0

    def __str__(self) -> str:
        text = message(
            "lesson1.study.text",
            n=self.n,
            draws_seed=self.seed,
            negative=self.negative,
            broken=self.broken,
            percent=round(100 * self.broken_share, 1),
            positive=self.broken_positive,
            ulps=ulps_text(self.worst_ulps),
        )
        if self.counterexample is not None:
            c = self.counterexample
            text += "\n" + message(
                "lesson1.study.example",
                index=int(c["index"]),
                a=shortest(c["a"], torch.float32),
                grad=shortest(c["grad"], torch.float32),
                ratio=shortest(c["d_over_a"], torch.float32),
                ulps=ulps_text(c["ulps"]),
            )
        return text

    __repr__ = __str__


def sample_control_flow(n: int = 2000, seed: int = 0) -> ControlFlowStudy:
    """Run In [20] for n draws of a and count the draws where `a.grad == d / a` is False."""
    if not isinstance(n, int) or isinstance(n, bool) or n < 1 or not isinstance(seed, int):
        raise LessonError(message("lesson1.error.study", n=n, draws_seed=seed))
    generator = torch.Generator().manual_seed(seed)
    negative = broken = broken_positive = 0
    worst, example = 0.0, None
    for index in range(n):
        a = torch.randn((), generator=generator)
        if float(a) == 0.0:
            continue
        found, values = _ratio_verdict(a)
        negative += float(a) < 0
        if found.status == "exact":
            continue
        broken += float(a) < 0
        broken_positive += float(a) > 0
        ulps = values["ulps"] if found.status == "rounding" else math.inf
        worst = max(worst, ulps)
        if example is None:
            example = MappingProxyType({"index": float(index), **values})
    return ControlFlowStudy(n, seed, negative, broken, broken_positive, worst, example)


@claim("in20.exact_for_every_a", cell=20)
def _in20_every(n: int = 2000, seed: int = 0) -> Verdict:
    """Our question: does `a.grad == d / a` print True for every draw? (n seeded draws.)"""
    study = sample_control_flow(n, seed)
    if study.counterexample is None:
        return Verdict(
            "exact", FACT, evidence=evidence("lesson1.evidence.every_true", n=study.n, draws_seed=study.seed)
        )
    c = study.counterexample
    return Verdict(
        "false",
        FACT,
        ulps=study.worst_ulps,
        counterexample=c,
        evidence=evidence(
            "lesson1.evidence.every",
            broken=study.broken + study.broken_positive,
            n=study.n,
            draws_seed=study.seed,
            a=shortest(c["a"], torch.float32),
            grad=shortest(c["grad"], torch.float32),
            ratio=shortest(c["d_over_a"], torch.float32),
            ulps=ulps_text(c["ulps"]),
        ),
    )


def _nodes(root: object) -> Iterator[object]:
    """Each node of the grad_fn graph below `root`, once (iterative walk)."""
    seen, stack = set(), [root]
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        stack.extend(child for child, _ in node.next_functions)


def _count_nodes(root: object, name: str) -> int:
    """How many nodes of type `name` the grad_fn graph below `root` has."""
    return sum(type(node).__name__ == name for node in _nodes(root))


def _mul_nodes(a: torch.Tensor) -> int:
    a = a.detach().clone().requires_grad_(True)
    return _count_nodes(control_flow(a).grad_fn, "MulBackward0")


@claim("in20.graph_depends_on_a", cell=20)
def _in20_graph(a: object = None) -> Verdict:
    """Our question: does the graph change with a? MulBackward0 nodes = k (+1 when a < 0),
    counted at a, at a / 1024 (10 more doublings) and at −a."""
    a = lesson_a() if a is None else _scalar_a(a)
    probes = [a, a / 1024, -a]
    counts = []
    for probe in probes:
        value = float(probe)
        expected = doublings(value) + (value < 0)
        found = _mul_nodes(probe)
        counts.append(found)
        if found != expected:
            facts = evidence("lesson1.evidence.nodes", a=shortest(value, a.dtype), count=found, expected=expected)
            return fact(False, facts, a=value, nodes=found, expected=expected)
    facts = evidence(
        "lesson1.evidence.graph",
        a=shortest(float(a), a.dtype),
        count=counts[0],
        small=shortest(float(probes[1]), a.dtype),
        small_count=counts[1],
        minus=shortest(float(probes[2]), a.dtype),
        minus_count=counts[2],
    )
    return Verdict("exact", FACT, evidence=facts)


__all__ = ["ControlFlowStudy", "SharedStorageDemo", "sample_control_flow", "shared_storage_demo"]
