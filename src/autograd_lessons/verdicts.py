"""How claims are judged: the comparisons that decide a Verdict, and the evidence it records.

Any lesson's claims return a `results.Verdict`. Its status is one of three: "exact" (the claim
holds; values bitwise equal), "rounding" (it holds up to rounding, with the largest error in ulps)
or "false" (it does not hold, with a counterexample). The evidence — the values compared, the
ulps, the counterexample, the times measured — is recorded as message keys and fields, worded in
the learner's language when the verdict is shown (`autograd_lessons.render`).

Rounding tolerance. Two correct float computations of the same quantity that take different
routes (another order of operations, a sum split differently) differ by a few roundings of half
an ulp each. `compare` therefore accepts up to ULP_TOLERANCE = 4 ulps of the dtype, measured at
the scale max(|expected|) — a norm-wise error, because an element that should be zero would
otherwise make any element-wise relative tolerance explode. A wrong formula is off by far more
than that (usually by a part in a few, not a part in 10⁷). Claims that compare two different
n-term sums allow n more ulps, the classic growth of the summation error bound.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from types import MappingProxyType

import torch

from autograd_lessons.i18n import LessonError, Text, text
from autograd_lessons.numbers import Decimal, shape_text, shortest, ulp, ulps_text, values_text
from autograd_lessons.results import STATUSES, Evidence, Verdict, Verdicts

ULP_TOLERANCE = 4  # ulps of the dtype at max(|expected|), see the module docstring
FD_TOLERANCE = 1e-6  # relative error allowed between float64 finite differences and a formula
TIMER = "⏱"  # marks every measured duration in a verdict's text (tests/sanitize.cfg masks what follows it)


def duration_text(seconds: float) -> str:
    """A measured time with three significant digits in s, ms, µs or ns, marked with TIMER; a
    Decimal, so that a message writes it with the language's decimal separator. The unit is
    chosen after rounding: 0.9995 ms is "1 ms", not "1e+03 µs"."""
    seconds = float(f"{seconds:.3g}")
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return Decimal(f"{TIMER} {seconds / scale:.3g} {unit}")
    return Decimal(f"{TIMER} {seconds / 1e-9:.3g} ns")


# --------------------------------------------------------------------------- verdicts

FACT = text("claims.fact")  # the statement of a verdict on a yes/no fact
COMPARED = "claims.compare.statement"  # the statement of a plain comparison: shape and dtype compared


def evidence(key: str, **fields: object) -> Evidence:
    """One piece of evidence: the message `key` with `fields`, worded when the verdict is shown."""
    return (text(key, **fields),)


def fact(holds: bool, evidence: Evidence = (), **counterexample: object) -> Verdict:
    """A verdict for a yes/no fact: exact when it holds, false with what was observed."""
    return Verdict(
        "exact" if holds else "false",
        FACT,
        counterexample=None if holds else MappingProxyType(dict(counterexample)),
        evidence=evidence,
    )


def worst(*verdicts: Verdict) -> Verdict:
    """The least favourable of several checks of one claim, carrying the evidence of all of them."""
    order = {status: rank for rank, status in enumerate(STATUSES)}
    worst = max(verdicts, key=lambda v: (order[v.status], v.ulps or 0.0))
    facts = tuple(item for v in verdicts for item in v.evidence)
    return replace(worst, evidence=facts)


def agreement(found: Verdict, actual: str, expected: str) -> Verdict:
    """A comparison's verdict with evidence naming the two things compared and how they agree."""
    if found.status == "exact":
        facts = evidence("claims.evidence.equal", actual=actual, expected=expected)
    elif found.status == "rounding":
        facts = evidence("claims.evidence.close", actual=actual, expected=expected, ulps=ulps_text(found.ulps or 0.0))
    else:
        facts = evidence("claims.evidence.differ", actual=actual, expected=expected) + found.evidence
    return replace(found, evidence=facts)


# --------------------------------------------------------------------------- compare


def _as_tensor(value: object, name: str, like: torch.Tensor | None = None) -> torch.Tensor:
    if isinstance(value, torch.Tensor):
        return value.detach()
    if isinstance(value, (bool, int, float)):
        # A Python float is a float64; a number next to a tensor takes the tensor's dtype.
        dtype = like.dtype if like is not None else torch.float64 if isinstance(value, float) else None
        return torch.tensor(value, dtype=dtype)
    raise LessonError.of("claims.error.not_tensor", name=name, kind=type(value).__name__)


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
        shapes = {"actual": shape_text(tuple(a.shape)), "expected": shape_text(tuple(e.shape))}
        raise LessonError.of("claims.error.shape", **shapes)
    if a.dtype != e.dtype:
        raise LessonError.of("claims.error.dtype", actual=str(a.dtype), expected=str(e.dtype))
    fields = {"shape": shape_text(tuple(a.shape)), "dtype": str(a.dtype)}
    wide = torch.complex128 if a.dtype.is_complex else torch.float64
    a64, e64 = a.to(wide).reshape(-1), e.to(wide).reshape(-1)
    same = (a64 == e64) | (torch.isnan(a64) & torch.isnan(e64))
    if bool(same.all()):
        return Verdict("exact", text(COMPARED, **fields))
    finite = e64[torch.isfinite(e64)].abs()
    scale = float(finite.max()) if finite.numel() else 0.0
    error = torch.where(same, torch.zeros_like(a64.real), (a64 - e64).abs())
    error = torch.nan_to_num(error, nan=math.inf)
    index = int(torch.argmax(error))
    ulps = float(error[index]) / ulp(scale, a.dtype)
    exact_only = not (a.dtype.is_floating_point or a.dtype.is_complex)
    if ulps <= tolerance and not exact_only:
        return Verdict("rounding", text(COMPARED, **fields), ulps=ulps)
    position = shape_text(tuple(int(i) for i in torch.unravel_index(torch.tensor(index), a.shape))) if a.dim() else "()"
    got, wanted = a.reshape(-1)[index].item(), e.reshape(-1)[index].item()
    counterexample = {"index": position, "actual": got, "expected": wanted, "ulps": ulps}
    return Verdict(
        "false",
        text(COMPARED, **fields),
        ulps=ulps,
        counterexample=MappingProxyType(counterexample),
        evidence=evidence(
            "claims.evidence.worst",
            index=position,
            actual=shortest(got, a.dtype) if not a.dtype.is_complex else str(got),
            expected=shortest(wanted, a.dtype) if not a.dtype.is_complex else str(wanted),
            ulps=ulps_text(ulps),
        ),
    )


def fd_check(function: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor, formula: torch.Tensor) -> Verdict:
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
        return Verdict("exact", FACT, evidence=evidence("claims.evidence.fd_agree"))
    index = int(torch.argmax(error))
    return Verdict(
        "false",
        FACT,
        counterexample=MappingProxyType(
            {"index": index, "finite_difference": float(estimate[index]), "formula": float(wanted[index])}
        ),
        evidence=evidence(
            "claims.evidence.fd_differ",
            index=index,
            fd=shortest(float(estimate[index])),
            formula=shortest(float(wanted[index])),
        ),
    )


# --------------------------------------------------------------------------- evidence words


def shown(tensor: torch.Tensor | None) -> str:
    """A tensor's values as evidence shows them, or None."""
    return "None" if tensor is None else values_text(tensor)


def yes_no(flag: bool) -> Text:
    """A finding that is true or false, as a word of the learner's language (not Python's True)."""
    return text(f"claims.bool.{bool(flag)}")


def error_line(error: BaseException) -> str:
    """An exception as a learner sees it: its type and the first line of its message."""
    return f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}".rstrip(": ")


__all__ = [
    "COMPARED",
    "FACT",
    "FD_TOLERANCE",
    "STATUSES",
    "TIMER",
    "ULP_TOLERANCE",
    "Evidence",
    "Verdict",
    "Verdicts",
    "agreement",
    "compare",
    "duration_text",
    "error_line",
    "evidence",
    "fact",
    "fd_check",
    "shown",
    "worst",
    "yes_no",
]
