"""Lesson 4, exercise 6: forward mode with dual numbers (§ 8). The learner writes the tangent rules of
mul, div, exp, tanh and the matrix product in `Dual6`, the lesson's `Dual` without them; the checker
plugs them into the reference `Dual`, runs every program that uses them on duals whose tangents it
draws itself, and compares the output's value and tangent with torch.func.jvp's, naming the first
wrong operation and by how much, and the slips of a tangent rule (one operand's tangent left out, the
quotient rule's sign, tanh's square)."""

from __future__ import annotations

import torch

from autograd_lessons.exercises import Wrong, call, choice, keys, kind_text
from autograd_lessons.i18n import text
from autograd_lessons.lessons.own_autograd import LESSON
from autograd_lessons.lessons.own_autograd.exercises.common import Dual, Piece, plugged, probe_named, starter
from autograd_lessons.lessons.own_autograd.instructions import CHECK_SEED, DTYPE, EngineRaised, Program, replay
from autograd_lessons.lessons.own_autograd.programs import GRADIENT_ULPS, gradient_tensor, raised_finding, torch_jvp
from autograd_lessons.numbers import shape_text, shortest
from autograd_lessons.verdicts import compare

exercise = LESSON.exercise

RULES6 = ("__mul__", "__truediv__", "exp", "tanh", "__matmul__")
PIECE6 = Piece(6, Dual, RULES6, RULES6, frozenset({"mul", "div", "exp", "tanh", "matmul"}))
Dual6 = starter(PIECE6)
RIGHT6 = "b"
TANGENT_SEED = CHECK_SEED * 1000 + 6  # the private generator of the inputs' tangents
TWO_OPERANDS = ("mul", "div", "matmul")  # whose tangent rule has one term per operand


def _tangents(program: Program, index: int) -> tuple[torch.Tensor, ...]:
    source = torch.Generator().manual_seed(TANGENT_SEED + index)
    return tuple(torch.randn(value.shape, dtype=DTYPE, generator=source) for _, value in program.inputs)


def _missing(kind: type, chosen: tuple[Program, ...]) -> list[str]:
    needed = dict.fromkeys(m for program in chosen for m in program.methods() if m != "backward")
    return [method for method in needed if not callable(call(getattr, kind, method, None))]


_MISSING = object()  # what getattr gives for an output without the attribute read


def _output(out: object, what: str, program: Program, shape: tuple[int, ...]) -> torch.Tensor:
    """The output's `what` ("value" or "tangent") as a float64 tensor of `shape`, or Wrong saying what it is."""
    found = call(getattr, out, what, _MISSING)
    fields = {"program": program.text(), "what": what}
    tensor = None if found is _MISSING else gradient_tensor(found, shape)
    if found is _MISSING:  # not a dual number at all (a tensor, a float...)
        finding = ("exercises.l4.6.finding.not_dual", {"kind": kind_text(out)})
    elif tensor is None:
        finding = ("exercises.l4.6.finding.not_tensor", {"kind": kind_text(found)})
    elif tensor.dtype != DTYPE:
        finding = ("exercises.l4.6.finding.dtype", {"dtype": str(tensor.dtype).removeprefix("torch.")})
    elif tuple(tensor.shape) != shape:
        finding = ("exercises.l4.6.finding.shape", {"actual": shape_text(tensor.shape), "expected": shape_text(shape)})
    else:
        return tensor
    key, details = finding
    raise Wrong("exercises.l4.6.form_finding", "exercises.l4.6.headline.form", finding=text(key, **fields, **details))


def _slip(program: Program, tangents: tuple[torch.Tensor, ...], actual: torch.Tensor) -> str | None:
    """The slip of a tangent rule that gives `actual` on a probe of one operation, if it is one."""
    if probe_named(program.text()) is None or program.operation is None:
        return None
    op = program.instructions[0].op
    candidates = []
    if op in TWO_OPERANDS:  # one operand's tangent left out: the jvp with that tangent zero
        for i in range(len(tangents)):
            alone = tuple(torch.zeros_like(t) if j == i else t for j, t in enumerate(tangents))
            candidates.append(("one_term", torch_jvp(program, alone)[1]))
    values = dict(program.inputs)
    if program.text() == "x / y":
        (x, y), (tx, ty) = (values["x"], values["y"]), tangents
        candidates.append(("div_sign", tx / y + x * ty / (y * y)))
    if program.text() == "x.tanh()":
        candidates.append(("tanh_square", (1 - values["x"].tanh()) * tangents[0]))
    for slip, candidate in candidates:
        if compare(actual, candidate.reshape(actual.shape), tolerance=GRADIENT_ULPS).status != "false":
            return slip
    return None


def _judged(dual: type, program: Program, index: int) -> None:
    """Run `program` on duals of `dual`; Wrong naming the first thing that differs from torch.func.jvp."""
    tangents = _tangents(program, index)
    value, tangent = torch_jvp(program, tangents)
    made = iter(tangents)
    try:
        out, _ = replay(program, lambda data: dual(data, next(made).clone()))
    except EngineRaised as raised:
        where = program.instructions[raised.step].method() if raised.phase == "forward" else "__init__"
        raise Wrong(
            "exercises.l4.6.raised",
            "exercises.l4.headline.raised",
            finding=raised_finding(program, raised),
            operation=where,
        ) from None
    shape = tuple(value.shape)
    fields = {"program": program.text(), "operation": program.operation}
    for what, want in (("value", value), ("tangent", tangent)):
        got = _output(out, what, program, shape)
        verdict = compare(got, want, tolerance=GRADIENT_ULPS)
        if verdict.status != "false":
            continue
        numbers = {"actual": shortest(float(got.reshape(-1)[0])), "expected": shortest(float(want.reshape(-1)[0]))}
        finding = text(f"exercises.l4.6.finding.{what}", **fields, **numbers)
        slip = _slip(program, tangents, got) if what == "tangent" else None
        if slip is not None:
            raise Wrong(f"exercises.l4.6.slip.{slip}", "exercises.l4.6.headline.tangent", finding=finding, **fields)
        if program.operation is None:
            raise Wrong("exercises.l4.6.program", "exercises.l4.6.headline.program", finding=finding, **fields)
        raise Wrong(f"exercises.l4.6.{what}", f"exercises.l4.6.headline.{what}", finding=finding, **fields)


@exercise(6)
def _check6(answer: object) -> None:
    answer = keys(answer, "dual", "why")
    dual = plugged(answer["dual"], PIECE6)
    chosen = PIECE6.programs()
    missing = _missing(dual, chosen)
    if missing:
        methods = ", ".join(f"`{method}`" for method in missing)
        raise Wrong("exercises.l4.6.missing", "exercises.l4.headline.missing", methods=methods)
    for index, program in enumerate(chosen):
        _judged(dual, program, index)
    choice(answer["why"], RIGHT6, "abc", "exercises.l4.6.why")


__all__ = ["PIECE6", "RIGHT6", "RULES6", "Dual6"]
