"""Every claim of lesson 1, checked: a catalogue of statements, each verified independently.

A learner's annotation such as "x.grad == 4 * x" printed True once, for one input. Here each
claim is re-checked against something other than the autograd result under test — the analytic
formula, central finite differences in float64, or `torch.func` — and the answer is one of
three honest verdicts: "exact" (bitwise equal), "rounding" (equal up to a few ulps, with the
largest error) or "false" (with a counterexample).

Rounding tolerance. Two correct float computations of the same quantity that take different
routes (another order of operations, a sum split differently) differ by a few roundings of half
an ulp each. `compare` therefore accepts up to ULP_TOLERANCE = 4 ulps of the dtype, measured at
the scale max(|expected|) — a norm-wise error, because an element that should be zero would
otherwise make any element-wise relative tolerance explode. A wrong formula is off by far more
than that (usually by a part in a few, not a part in 10⁷). Claims that compare two different
n-term sums allow n more ulps, the classic growth of the summation error bound.
"""

from __future__ import annotations

import html
import inspect
import math
import statistics
import timeit
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

import torch

from autograd_lessons.i18n import LessonError, message
from autograd_lessons.palette import badge_html
from autograd_lessons.numbers import shape_text, shortest, ulp, ulps_text, values_text

STATUSES = ("exact", "rounding", "false")
ULP_TOLERANCE = 4  # ulps of the dtype at max(|expected|), see the module docstring
FD_TOLERANCE = 1e-6  # relative error allowed between float64 finite differences and a formula
FASTER_RATIO = 0.8  # "faster" means at most 80 % of the time (20 % less), a margin above noise
LARGE_SIZE = 10**6  # the second size at which the "Faster" comment is measured
LESSON_SEED = 0  # torch.manual_seed(0); torch.randn(()) gives a = 1.5410, a draw printing True

_BADGE_KINDS = {"exact": "holds", "rounding": "rounding", "false": "fails"}


# --------------------------------------------------------------------------- verdicts


@dataclass(frozen=True, eq=False)
class Verdict:
    """The outcome of checking one claim: status, evidence, and text in the learner's language.

    `status` is "exact", "rounding" (then `ulps` is the largest error) or "false" (then
    `counterexample` holds the inputs and the two values). `measurements` keeps raw numbers
    (such as timings) that vary from run to run and so never appear in the text.
    """

    status: str
    statement_key: str
    statement_fields: Mapping[str, object] = field(default_factory=dict)
    claim_id: str | None = None
    cell: int | None = None
    ulps: float | None = None
    counterexample: Mapping[str, object] | None = None
    detail_key: str | None = None
    detail_fields: Mapping[str, object] = field(default_factory=dict)
    measurements: Mapping[str, object] | None = None

    @property
    def statement(self) -> str:
        """What is claimed, in the current language."""
        return message(self.statement_key, **self.statement_fields)

    @property
    def detail(self) -> str | None:
        """What was found (values, the counterexample), in the current language."""
        return None if self.detail_key is None else message(self.detail_key, **self.detail_fields)

    @property
    def holds(self) -> bool:
        """Whether the claim is true, exactly or up to rounding."""
        return self.status != "false"

    def badge(self) -> str:
        """The status with its symbol: ✔ exact, ≈ up to rounding, ✘ false."""
        if self.status == "rounding":
            return message("claims.status.rounding", ulps=ulps_text(self.ulps or 0.0))
        return message(f"claims.status.{self.status}")

    def _prefix(self) -> str:
        return "" if self.cell is None else message("claims.cell", cell=self.cell) + " "

    def __str__(self) -> str:
        lines = [f"{self.badge()} — {self._prefix()}{self.statement}"]
        if self.detail is not None:
            lines.append(f"    {self.detail}")
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        badge = badge_html(self.badge(), _BADGE_KINDS[self.status])
        text = f"{badge} {html.escape(self._prefix())}{html.escape(self.statement)}"
        if self.detail is not None:
            text += f'<br><span style="margin-left:2em">{html.escape(self.detail)}</span>'
        return f'<div class="autograd-lessons-verdict" data-status="{self.status}">{text}</div>'


class Verdicts(tuple):
    """Several verdicts (for instance all claims of one cell), shown one after another."""

    def __str__(self) -> str:
        return "\n".join(str(v) for v in self)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        return "".join(v._repr_html_() for v in self)

    @property
    def holds(self) -> bool:
        """Whether every claim holds, exactly or up to rounding."""
        return all(v.holds for v in self)


def _fact(holds: bool, observed: str | None = None, **counterexample: object) -> Verdict:
    """A verdict for a yes/no fact: exact when it holds, false with what was observed."""
    if holds:
        return Verdict("exact", "claims.fact")
    return Verdict(
        "false",
        "claims.fact",
        counterexample=MappingProxyType(dict(counterexample)),
        detail_key="claims.detail.observed" if observed else None,
        detail_fields={"observed": observed} if observed else {},
    )


def _worst(*verdicts: Verdict) -> Verdict:
    """The least favourable verdict of several checks of the same claim (false > rounding > exact)."""
    order = {status: rank for rank, status in enumerate(STATUSES)}
    return max(verdicts, key=lambda v: (order[v.status], v.ulps or 0.0))


# --------------------------------------------------------------------------- compare


def _as_tensor(value: object, name: str, like: torch.Tensor | None = None) -> torch.Tensor:
    if isinstance(value, torch.Tensor):
        return value.detach()
    if isinstance(value, (bool, int, float)):
        # A Python float is a float64; a number next to a tensor takes the tensor's dtype.
        dtype = like.dtype if like is not None else torch.float64 if isinstance(value, float) else None
        return torch.tensor(value, dtype=dtype)
    raise LessonError(message("claims.error.not_tensor", name=name, kind=type(value).__name__))


def compare(actual: object, expected: object, *, tolerance: float = ULP_TOLERANCE) -> Verdict:
    """Three-way comparison of two tensors (or numbers) of the same shape and dtype.

    "exact" if every value is equal (NaNs in the same places count as equal), "rounding" if the
    largest difference is at most `tolerance` ulps of the dtype at max(|expected|), "false"
    otherwise, with the worst element as counterexample. A plain number takes the dtype of the
    tensor it is compared with.
    """
    reference = actual if isinstance(actual, torch.Tensor) else expected
    like = reference if isinstance(reference, torch.Tensor) else None
    a = _as_tensor(actual, "actual", like)
    e = _as_tensor(expected, "expected", like)
    if a.shape != e.shape:
        raise LessonError(
            message("claims.error.shape", actual=shape_text(tuple(a.shape)), expected=shape_text(tuple(e.shape)))
        )
    if a.dtype != e.dtype:
        raise LessonError(message("claims.error.dtype", actual=str(a.dtype), expected=str(e.dtype)))
    fields = {"shape": shape_text(tuple(a.shape)), "dtype": str(a.dtype)}
    wide = torch.complex128 if a.dtype.is_complex else torch.float64
    a64, e64 = a.to(wide).reshape(-1), e.to(wide).reshape(-1)
    same = (a64 == e64) | (torch.isnan(a64) & torch.isnan(e64))
    if bool(same.all()):
        return Verdict("exact", "claims.compare.statement", fields)
    finite = e64[torch.isfinite(e64)].abs()
    scale = float(finite.max()) if finite.numel() else 0.0
    error = torch.where(same, torch.zeros_like(a64.real), (a64 - e64).abs())
    error = torch.nan_to_num(error, nan=math.inf)
    index = int(torch.argmax(error))
    ulps = float(error[index]) / ulp(scale, a.dtype)
    exact_only = not (a.dtype.is_floating_point or a.dtype.is_complex)
    if ulps <= tolerance and not exact_only:
        return Verdict("rounding", "claims.compare.statement", fields, ulps=ulps)
    position = shape_text(tuple(int(i) for i in torch.unravel_index(torch.tensor(index), a.shape))) if a.dim() else "()"
    got, wanted = a.reshape(-1)[index].item(), e.reshape(-1)[index].item()
    counterexample = {"index": position, "actual": got, "expected": wanted, "ulps": ulps}
    return Verdict(
        "false",
        "claims.compare.statement",
        fields,
        ulps=ulps,
        counterexample=MappingProxyType(counterexample),
        detail_key="claims.detail.worst",
        detail_fields={
            "index": position,
            "actual": shortest(got, a.dtype) if not a.dtype.is_complex else str(got),
            "expected": shortest(wanted, a.dtype) if not a.dtype.is_complex else str(wanted),
            "ulps": ulps_text(ulps),
        },
    )


def _fd_check(function: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor, formula: torch.Tensor) -> Verdict:
    """Whether central finite differences of a scalar `function` in float64 agree with `formula`.

    This checks the mathematics (is the formula the derivative?) without autograd. The functions
    checked here are at most quadratic, so the central difference has no truncation error and
    only float64 rounding separates it from the formula.
    """
    point = x.detach().to(torch.float64).reshape(-1)
    estimate = torch.empty_like(point)
    with torch.no_grad():
        for i in range(point.numel()):
            h = 2.0**-12 * max(1.0, abs(float(point[i])))
            up, down = point.clone(), point.clone()
            up[i] += h
            down[i] -= h
            step = float(up[i] - down[i])  # the step actually taken, after rounding
            estimate[i] = (function(up.reshape(x.shape)) - function(down.reshape(x.shape))) / step
    wanted = formula.detach().to(torch.float64).reshape(-1)
    error = (estimate - wanted).abs()
    scale = max(1.0, float(wanted.abs().max())) if wanted.numel() else 1.0
    if wanted.numel() == 0 or float(error.max()) <= FD_TOLERANCE * scale:
        return Verdict("exact", "claims.fact")
    index = int(torch.argmax(error))
    return Verdict(
        "false",
        "claims.fact",
        counterexample=MappingProxyType(
            {"index": index, "finite_difference": float(estimate[index]), "formula": float(wanted[index])}
        ),
        detail_key="claims.detail.fd",
        detail_fields={
            "index": index,
            "fd": shortest(float(estimate[index])),
            "formula": shortest(float(wanted[index])),
        },
    )


# --------------------------------------------------------------------------- the lesson's maths
# The formulas the annotations state, as pure functions; the verifications compare autograd
# against them, and them against finite differences.


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


def control_flow(a: torch.Tensor) -> torch.Tensor:
    """The function f of In [20], exactly as the lesson wrote it."""
    b = a * 2
    while b.norm() < 1000:
        b = b * 2
    if b.sum() > 0:
        c = b
    else:
        c = 100 * b
    return c


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


# --------------------------------------------------------------------------- input checks


def _tensor(value: object, name: str, *, vector: bool = False) -> torch.Tensor:
    """A fresh floating-point copy of the learner's input (their tensor is never modified)."""
    if isinstance(value, (list, tuple, int, float)) and not isinstance(value, bool):
        value = torch.tensor(value, dtype=torch.float32)
    if not isinstance(value, torch.Tensor):
        raise LessonError(message("claims.error.not_tensor", name=name, kind=type(value).__name__))
    if not value.dtype.is_floating_point:
        raise LessonError(message("claims.error.not_float", name=name, dtype=str(value.dtype)))
    if (vector and value.dim() != 1) or value.numel() == 0:
        raise LessonError(message("claims.error.not_vector", name=name, shape=shape_text(tuple(value.shape))))
    return value.detach().clone()


def _scalar_a(a: object) -> torch.Tensor:
    if isinstance(a, (int, float)) and not isinstance(a, bool):
        a = torch.tensor(float(a))
    a = _tensor(a, "a")
    if a.numel() != 1 or not bool(torch.isfinite(a).all()) or float(a) == 0.0 or abs(float(a)) < 1e-30:
        raise LessonError(message("claims.error.bad_a", value=values_text(a) if a.numel() <= 8 else shape_text(tuple(a.shape))))
    return a.reshape(())


def _default_x() -> torch.Tensor:
    return torch.arange(4.0)


# --------------------------------------------------------------------------- the catalogue


@dataclass(frozen=True)
class Claim:
    """One statement of the lesson: its id, the source cell it comes from, and how to check it."""

    id: str
    cell: int
    verify: Callable[..., Verdict]
    timed: bool = False  # the verdict rests on a time measurement, so it may differ by machine

    @property
    def statement(self) -> str:
        """The claim in the current language."""
        return message(f"claim.{self.id}")

    @property
    def inputs(self) -> tuple[str, ...]:
        """The names of the inputs `verify` accepts (as in the source: x, v, a …)."""
        return tuple(inspect.signature(self.verify).parameters)


_claims: dict[str, Claim] = {}
CATALOG: Mapping[str, Claim] = MappingProxyType(_claims)


def _claim(
    claim_id: str, cell: int, timed: bool = False
) -> Callable[[Callable[..., Verdict]], Callable[..., Verdict]]:
    """Register a verification under `claim_id`; its verdict is labelled with the claim and cell."""

    def register(check: Callable[..., Verdict]) -> Callable[..., Verdict]:
        def verify_claim(**inputs: object) -> Verdict:
            found = check(**inputs)
            return replace(found, claim_id=claim_id, cell=cell, statement_key=f"claim.{claim_id}", statement_fields={})

        verify_claim.__signature__ = inspect.signature(check)  # type: ignore[attr-defined]
        verify_claim.__doc__ = check.__doc__
        verify_claim.__name__ = check.__name__
        _claims[claim_id] = Claim(claim_id, cell, verify_claim, timed)
        return check

    return register


@_claim("in2.grad_none_before_backward", 2)
def _in2_grad_none(x: object = None) -> Verdict:
    """x.grad is None until a backward pass writes it."""
    x = (_default_x() if x is None else _tensor(x, "x", vector=True)).requires_grad_(True)
    before = x.grad
    two_xtx(x).backward()
    after = x.grad
    observed = f"x.grad = {'None' if before is None else values_text(before)} / {'None' if after is None else values_text(after)}"
    return _fact(before is None and after is not None, observed, before=before is None, after=after is not None)


@_claim("in3.y_is_28", 3)
def _in3_value(x: object = None) -> Verdict:
    """y = 2xᵀx against the float64 sum of squares (math.fsum), rounded to x's dtype."""
    x = (_default_x() if x is None else _tensor(x, "x", vector=True)).requires_grad_(True)
    y = two_xtx(x)
    if y.dim() != 0:
        return _fact(False, f"y.shape = {shape_text(tuple(y.shape))}")
    exact = 2 * math.fsum(v * v for v in x.detach().to(torch.float64).tolist())
    return compare(y.detach(), torch.tensor(exact, dtype=torch.float64).to(y.dtype), tolerance=ULP_TOLERANCE + x.numel())


@_claim("in3.grad_fn_is_mul", 3)
def _in3_grad_fn(x: object = None) -> Verdict:
    """The node that made y is MulBackward0, and its first input is DotBackward0."""
    x = (_default_x() if x is None else _tensor(x, "x", vector=True)).requires_grad_(True)
    node = two_xtx(x).grad_fn
    names = [type(node).__name__] + [type(n).__name__ for n, _ in node.next_functions if n is not None]
    holds = names[0] == "MulBackward0" and "DotBackward0" in names[1:]
    return _fact(holds, " → ".join(names), nodes=tuple(names))


@_claim("in4.backward_fills_tracked_only", 4)
def _in4_tracked(x: object = None) -> Verdict:
    """x (requires_grad) gets ∂y/∂x = 4x; w (no requires_grad) in the same y keeps grad None."""
    x = (_default_x() if x is None else _tensor(x, "x", vector=True)).requires_grad_(True)
    w = x.detach() + 1
    y = two_xtx(x) + torch.dot(w, w)
    y.backward()
    if w.grad is not None:
        return _fact(False, f"w.grad = {values_text(w.grad)}", w_grad=w.grad.tolist())
    if x.grad is None:
        return _fact(False, "x.grad = None", x_grad=None)
    return compare(x.grad, grad_two_xtx(x.detach()))


@_claim("in4.untracked_no_grad_fn", 4)
def _in4_no_grad_fn(x: object = None) -> Verdict:
    """Built from a tensor without requires_grad, y records no operation."""
    x = _default_x() if x is None else _tensor(x, "x", vector=True)
    y = two_xtx(x)
    return _fact(
        y.grad_fn is None and not y.requires_grad,
        f"grad_fn = {type(y.grad_fn).__name__}, requires_grad = {y.requires_grad}",
    )


@_claim("in4.untracked_backward_raises", 4)
def _in4_backward_raises(x: object = None) -> Verdict:
    """y.backward() on an untracked y raises RuntimeError."""
    x = _default_x() if x is None else _tensor(x, "x", vector=True)
    try:
        two_xtx(x).backward()
    except RuntimeError:
        return _fact(True)
    return _fact(False, "y.backward() → OK")


@_claim("in5.grad_is_4x", 5)
def _in5_grad(x: object = None) -> Verdict:
    """Autograd against 4x, and 4x against float64 finite differences of 2xᵀx."""
    x = (_default_x() if x is None else _tensor(x, "x", vector=True)).requires_grad_(True)
    two_xtx(x).backward()
    formula = grad_two_xtx(x.detach())
    return _worst(compare(x.grad, formula), _fd_check(two_xtx, x.detach(), formula))


@_claim("in5.dot_is_norm_squared", 5)
def _in5_dot_norm(x: object = None) -> Verdict:
    """torch.dot(x, x) against ‖x‖² computed through the norm (a square root, then a square)."""
    x = _default_x() if x is None else _tensor(x, "x", vector=True)
    return compare(torch.dot(x, x), norm_squared(x), tolerance=ULP_TOLERANCE + x.numel())


@_claim("in5.grad_norm_squared_is_2x", 5)
def _in5_grad_norm(x: object = None) -> Verdict:
    """Autograd of ‖x‖² (through the norm) against 2x, and 2x against finite differences."""
    x = (_default_x() if x is None else _tensor(x, "x", vector=True)).requires_grad_(True)
    norm_squared(x).backward()
    formula = grad_norm_squared(x.detach())
    return _worst(compare(x.grad, formula), _fd_check(norm_squared, x.detach(), formula))


@_claim("in6.zero_resets_grad", 6)
def _in6_zero(x: object = None) -> Verdict:
    """After zero_(), x.grad is all zeros and is still the same tensor object."""
    x = (_default_x() if x is None else _tensor(x, "x", vector=True)).requires_grad_(True)
    two_xtx(x).backward()
    stored = x.grad
    x.grad.zero_()
    same = x.grad is stored
    zeros = bool((x.grad == 0).all())
    return _fact(same and zeros, f"x.grad = {values_text(x.grad)}, same tensor: {same}")


@_claim("in6.grad_accumulates", 6)
def _in6_accumulates(x: object = None) -> Verdict:
    """Two backward passes without zero_(): x.grad = 4x + 1."""
    x = (_default_x() if x is None else _tensor(x, "x", vector=True)).requires_grad_(True)
    two_xtx(x).backward()
    x.sum().backward()
    return compare(x.grad, grad_two_xtx(x.detach()) + grad_sum(x.detach()))


@_claim("in6.grad_of_sum_is_ones", 6)
def _in6_sum(x: object = None) -> Verdict:
    """Autograd of Σxᵢ against ones, and ones against finite differences."""
    x = (_default_x() if x is None else _tensor(x, "x")).requires_grad_(True)
    x.sum().backward()
    formula = grad_sum(x.detach())
    return _worst(compare(x.grad, formula), _fd_check(torch.sum, x.detach(), formula))


_IMPLICIT = "grad can be implicitly created only for scalar outputs"


@_claim("in11.nonscalar_backward_raises", 11)
def _in11_nonscalar(x: object = None) -> Verdict:
    """y = x * x: backward() raises the 'scalar outputs' error iff y has more than one element."""
    x = (_default_x() if x is None else _tensor(x, "x")).requires_grad_(True)
    y = x * x
    try:
        y.backward()
    except RuntimeError as error:
        raised = _IMPLICIT in str(error)
        return _fact(raised, str(error).splitlines()[0])
    return _fact(y.numel() == 1, f"y.numel() = {y.numel()}: y.backward() → OK")


@_claim("in12.gradient_v_is_vjp", 12)
def _in12_vjp(x: object = None, v: object = None) -> Verdict:
    """y.backward(gradient=v) against 2x·v, and 2x·v against vᵀJ with J from torch.func.jacrev."""
    x = (_default_x() if x is None else _tensor(x, "x")).requires_grad_(True)
    v = torch.ones_like(x) if v is None else _tensor(v, "v")
    if v.shape != x.shape or v.dtype != x.dtype:
        raise LessonError(message("claims.error.v_like_x", v=shape_text(tuple(v.shape)), x=shape_text(tuple(x.shape))))
    y = x * x
    y.backward(gradient=v)
    formula = vjp_square(x.detach(), v)
    x64, v64 = x.detach().to(torch.float64).reshape(-1), v.to(torch.float64).reshape(-1)
    jacobian = torch.func.jacrev(lambda t: t * t)(x64)
    independent = (v64 @ jacobian).reshape(x.shape)
    mathematics = compare(vjp_square(x64, v64).reshape(x.shape), independent)
    return _worst(compare(x.grad, formula), mathematics)


@_claim("in12.ones_equals_sum", 12)
def _in12_ones(x: object = None) -> Verdict:
    """backward(gradient=ones) and sum().backward() give the same x.grad, equal to 2x."""
    x = (_default_x() if x is None else _tensor(x, "x")).requires_grad_(True)
    y = x * x
    y.backward(gradient=torch.ones(y.shape, dtype=y.dtype), retain_graph=True)
    with_ones = x.grad.clone()
    x.grad = None
    y.sum().backward()
    return _worst(compare(with_ones, x.grad), compare(x.grad, 2 * x.detach()))


def _time_both(x: torch.Tensor, repeat: int) -> tuple[float, float]:
    """Median seconds of each statement of In [12] (graph kept, .grad reset each run), interleaved."""
    x = x.detach().clone().requires_grad_(True)
    y = x * x
    number = max(1, min(1000, 4000 // max(1, x.numel() // 250)))

    def with_ones() -> None:
        x.grad = None
        y.backward(gradient=torch.ones(len(y)), retain_graph=True)

    def with_sum() -> None:
        x.grad = None
        y.sum().backward(retain_graph=True)

    ones_times, sum_times = [], []
    for _ in range(repeat):  # interleaved, so that drift in the machine's load hits both alike
        ones_times.append(timeit.timeit(with_ones, number=number) / number)
        sum_times.append(timeit.timeit(with_sum, number=number) / number)
    return statistics.median(ones_times), statistics.median(sum_times)


@_claim("in12.sum_backward_faster", 12, timed=True)
def _in12_faster(x: object = None, n: int = LARGE_SIZE, repeat: int = 7) -> Verdict:
    """Time both statements at x's size and at n elements; "faster" needs ≤ 80 % of the time.

    The text says only faster / not faster per size (stable from run to run); the medians and
    their ratio are in `measurements`.
    """
    x = _default_x() if x is None else _tensor(x, "x", vector=True)
    if not isinstance(n, int) or isinstance(n, bool) or n < 1 or not isinstance(repeat, int) or repeat < 1:
        raise LessonError(message("claims.error.timing", n=n, repeat=repeat))
    measurements, parts, slow = {}, [], None
    for size, tensor in ((x.numel(), x), (n, torch.arange(float(n)))):
        ones_time, sum_time = _time_both(tensor, repeat)
        ratio = sum_time / ones_time
        faster = ratio <= FASTER_RATIO
        measurements[size] = MappingProxyType(
            {"ones_seconds": ones_time, "sum_seconds": sum_time, "ratio": ratio, "faster": faster}
        )
        parts.append(message("claims.faster.size", n=size, verdict=message(f"claims.faster.{'yes' if faster else 'no'}")))
        if not faster and slow is None:
            slow = {"n": size, "ones_seconds": ones_time, "sum_seconds": sum_time, "ratio": ratio}
    return Verdict(
        "exact" if slow is None else "false",
        "claims.fact",
        counterexample=None if slow is None else MappingProxyType(slow),
        detail_key="claims.detail.faster",
        detail_fields={"repeat": repeat, "sizes": "; ".join(parts)},
        measurements=MappingProxyType(measurements),
    )


def _detached(x: object) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """x (tracked), y = x * x and u = y.detach(), as in In [16]."""
    x = (_default_x() if x is None else _tensor(x, "x")).requires_grad_(True)
    y = x * x
    return x, y, y.detach()


@_claim("in16.grad_is_u", 16)
def _in16_grad(x: object = None) -> Verdict:
    """z = u * x: x.grad against u, and u against finite differences of Σ u·x."""
    x, _, u = _detached(x)
    (u * x).sum().backward()
    return _worst(compare(x.grad, u), _fd_check(lambda t: (u.to(torch.float64) * t).sum(), x.detach(), u))


@_claim("in16.detach_values_no_graph", 16)
def _in16_values(x: object = None) -> Verdict:
    """u equals y value for value, but has no grad_fn and does not require grad."""
    _, y, u = _detached(x)
    holds = u is not y and torch.equal(u, y.detach()) and u.grad_fn is None and not u.requires_grad
    return _fact(holds, f"grad_fn = {type(u.grad_fn).__name__}, requires_grad = {u.requires_grad}")


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
            "claims.demo.text",
            before=show(self.y_before),
            y=show(self.y_after),
            u=show(self.u_after),
            c=show(self.clone_after),
            u_shares=self.u_shares_storage,
            c_shares=self.clone_shares_storage,
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


@_claim("in16.detach_shares_storage", 16)
def _in16_shares(x: object = None) -> Verdict:
    """Same data_ptr, u follows an in-place change of y, and a clone does not."""
    demo = shared_storage_demo(x)
    holds = demo.u_shares_storage and demo.u_after == demo.y_after and not demo.clone_shares_storage
    holds = holds and (demo.clone_after == demo.y_before or demo.y_before == demo.y_after)
    return _fact(holds, str(demo).replace("\n", " "))


@_claim("in16.detach_is_snapshot", 16)
def _in16_snapshot(x: object = None) -> Verdict:
    """The annotation's reading of detach(): u keeps y's old values after y changes in place."""
    demo = shared_storage_demo(x)
    holds = demo.u_after == demo.y_before
    return _fact(
        holds,
        message(
            "claims.detail.snapshot",
            before=values_text(torch.tensor(demo.y_before)),
            u=values_text(torch.tensor(demo.u_after)),
        ),
        y_before=demo.y_before,
        u_after=demo.u_after,
    )


@_claim("in17.graph_to_y_persists", 17)
def _in17_persists(x: object = None) -> Verdict:
    """After the detached z's backward pass, y.sum().backward() still gives 2x."""
    x, y, u = _detached(x)
    (u * x).sum().backward()
    x.grad.zero_()
    y.sum().backward()
    formula = 2 * x.detach()
    return _worst(compare(x.grad, formula), _fd_check(lambda t: (t * t).sum(), x.detach(), formula))


def _run_control_flow(a: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """The lesson's In [20] for one a: (a, d, a.grad)."""
    a = a.detach().clone().requires_grad_(True)
    d = control_flow(a)
    d.backward()
    return a, d.detach(), a.grad


def _slope_fd_check(a: float) -> Verdict:
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
        return Verdict("exact", "claims.fact")
    return Verdict(
        "false",
        "claims.fact",
        counterexample=MappingProxyType({"a": a, "finite_difference": estimates[0], "formula": slope}),
        detail_key="claims.detail.fd",
        detail_fields={"index": "a", "fd": shortest(estimates[0]), "formula": shortest(slope)},
    )


@_claim("in20.piecewise_linear", 20)
def _in20_linear(a: object = None) -> Verdict:
    """d = f(a) against slope·a (slope from the count of doublings), and the slope against FD."""
    a = lesson_a() if a is None else _scalar_a(a)
    _, d, grad = _run_control_flow(a)
    slope = control_flow_slope(float(a))
    line = torch.tensor(slope * float(a), dtype=torch.float64).to(d.dtype)
    return _worst(compare(d, line), compare(grad, torch.tensor(slope, dtype=grad.dtype)), _slope_fd_check(float(a)))


def _ratio_verdict(a: torch.Tensor) -> tuple[Verdict, dict[str, object]]:
    """compare(a.grad, d / a) for one a, with the values for a counterexample."""
    a, d, grad = _run_control_flow(a)
    ratio = d / a.detach()
    found = compare(grad, ratio)
    values = {"a": float(a.detach()), "grad": float(grad), "d_over_a": float(ratio), "ulps": found.ulps or 0.0}
    return found, values


@_claim("in20.grad_is_d_over_a", 20)
def _in20_ratio(a: object = None) -> Verdict:
    """a.grad against d / a (both float32, as the lesson computes them), a.grad against f'(a)."""
    a = lesson_a() if a is None else _scalar_a(a)
    found, values = _ratio_verdict(a)
    grad = torch.tensor(values["grad"], dtype=a.dtype)
    sound = _worst(compare(grad, torch.tensor(control_flow_slope(float(a)), dtype=a.dtype)), _slope_fd_check(float(a)))
    if sound.status != "exact":
        return sound
    fields = {
        "a": shortest(values["a"], a.dtype),
        "grad": shortest(values["grad"], a.dtype),
        "ratio": shortest(values["d_over_a"], a.dtype),
        "ulps": ulps_text(values["ulps"]),
        "equal": found.status == "exact",
    }
    counterexample = MappingProxyType(values) if found.status == "false" else None
    return replace(
        found, detail_key="claims.detail.ratio", detail_fields=fields, counterexample=counterexample
    )


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
            "claims.study.text",
            n=self.n,
            draws_seed=self.seed,
            negative=self.negative,
            broken=self.broken,
            percent=f"{100 * self.broken_share:.1f}",
            positive=self.broken_positive,
            ulps=ulps_text(self.worst_ulps),
        )
        if self.counterexample is not None:
            c = self.counterexample
            text += "\n" + message(
                "claims.study.example",
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
        raise LessonError(message("claims.error.study", n=n, draws_seed=seed))
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


@_claim("in20.exact_for_every_a", 20)
def _in20_every(n: int = 2000, seed: int = 0) -> Verdict:
    """The annotation's `a.grad == d / a` as an exact equality, over n seeded draws of a."""
    study = sample_control_flow(n, seed)
    if study.counterexample is None:
        return Verdict("exact", "claims.fact")
    c = study.counterexample
    return Verdict(
        "false",
        "claims.fact",
        ulps=study.worst_ulps,
        counterexample=c,
        detail_key="claims.detail.every",
        detail_fields={
            "broken": study.broken + study.broken_positive,
            "n": study.n,
            "draws_seed": study.seed,
            "a": shortest(c["a"], torch.float32),
            "grad": shortest(c["grad"], torch.float32),
            "ratio": shortest(c["d_over_a"], torch.float32),
            "ulps": ulps_text(c["ulps"]),
        },
    )


def _count_nodes(root: object, name: str) -> int:
    """How many nodes of type `name` the grad_fn graph below `root` has (iterative walk)."""
    seen, stack, count = set(), [root], 0
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        count += type(node).__name__ == name
        stack.extend(child for child, _ in node.next_functions)
    return count


def _mul_nodes(a: torch.Tensor) -> int:
    a = a.detach().clone().requires_grad_(True)
    return _count_nodes(control_flow(a).grad_fn, "MulBackward0")


@_claim("in20.graph_depends_on_a", 20)
def _in20_graph(a: object = None) -> Verdict:
    """MulBackward0 nodes = k (+1 when a < 0), at a, at a / 1024 (10 more doublings) and at −a."""
    a = lesson_a() if a is None else _scalar_a(a)
    probes = [a, a / 1024, -a]
    counts = []
    for probe in probes:
        value = float(probe)
        expected = doublings(value) + (value < 0)
        found = _mul_nodes(probe)
        counts.append(found)
        if found != expected:
            return _fact(
                False,
                message("claims.detail.nodes", a=shortest(value, a.dtype), count=found, expected=expected),
                a=value,
                nodes=found,
                expected=expected,
            )
    fields = {
        "a": shortest(float(a), a.dtype),
        "count": counts[0],
        "small": shortest(float(probes[1]), a.dtype),
        "small_count": counts[1],
        "minus": shortest(float(probes[2]), a.dtype),
        "minus_count": counts[2],
    }
    return Verdict("exact", "claims.fact", detail_key="claims.detail.graph", detail_fields=fields)


# --------------------------------------------------------------------------- public entry points


def _claim_named(claim_id: object) -> Claim:
    if not isinstance(claim_id, str) or claim_id not in CATALOG:
        raise LessonError(message("claims.error.unknown_claim", claim=claim_id, valid=", ".join(CATALOG)))
    return CATALOG[claim_id]


def verify(claim_id: str, **inputs: object) -> Verdict:
    """Check one claim of the catalogue, at the lesson's inputs or at the inputs given by name."""
    claim = _claim_named(claim_id)
    unknown = sorted(set(inputs) - set(claim.inputs))
    if unknown:
        raise LessonError(
            message(
                "claims.error.unknown_input",
                claim=claim.id,
                names=", ".join(unknown),
                valid=", ".join(claim.inputs) or "—",
            )
        )
    return claim.verify(**inputs)


def cells() -> tuple[int, ...]:
    """The source cells that make claims, in order."""
    return tuple(sorted({claim.cell for claim in CATALOG.values()}))


def verify_cell(cell: int, *, timed: bool = True, **inputs: object) -> Verdicts:
    """Check every claim of one source cell; each input goes to the claims that take it.

    `timed=False` leaves out claims judged by a stopwatch, whose verdict can differ between
    machines (notebooks show those in a cell of their own, whose output is not compared).
    """
    if cell not in cells():
        raise LessonError(message("claims.error.unknown_cell", cell=cell, valid=", ".join(map(str, cells()))))
    claims = [claim for claim in CATALOG.values() if claim.cell == cell and (timed or not claim.timed)]
    accepted = {name for claim in claims for name in claim.inputs}
    unknown = sorted(set(inputs) - accepted)
    if unknown:
        raise LessonError(
            message(
                "claims.error.unknown_input",
                claim=message("claims.cell", cell=cell),
                names=", ".join(unknown),
                valid=", ".join(sorted(accepted)) or "—",
            )
        )
    return Verdicts(
        claim.verify(**{k: v for k, v in inputs.items() if k in claim.inputs}) for claim in claims
    )


__all__ = [
    "CATALOG",
    "Claim",
    "ControlFlowStudy",
    "SharedStorageDemo",
    "Verdict",
    "Verdicts",
    "cells",
    "compare",
    "sample_control_flow",
    "shared_storage_demo",
    "ulp",
    "verify",
    "verify_cell",
]
