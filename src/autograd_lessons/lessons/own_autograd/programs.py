"""Lesson 4's diagnosis of a learner's engine against PyTorch, on the hidden programs.

The programs are data (`instructions`: a program, its replay on an engine, PyTorch's gradients)
chosen by `generation` (the probes, the random compositions, the deep chain, and the ones an
exercise selects); this module re-exports what a caller needs of both.

`diagnose(engine)` runs the probes first, stage by stage (STAGES): each operation alone, a
chain, each operation on broadcast shapes, relu at its kink, values used twice, diamonds; then
the compositions. It stops at the first program whose gradients differ from PyTorch's and
returns a `Diagnosis`: the operation at fault, the input whose gradient differs with
`autograd_lessons.verdicts.compare`'s record, and the typical mistake (MISTAKES) when the stage
that failed, after all the earlier ones passed, names one. Every call of the learner's code goes
through `autograd_lessons.exercises.call` inside `autograd_lessons.guard.run`, so whatever the
engine raises, however long it loops and however much it allocates, the result is a diagnosis.
"""

from __future__ import annotations

import numbers
import operator
from dataclasses import dataclass
from pathlib import Path

import torch

from autograd_lessons import guard
from autograd_lessons.exercises import LearnerRaised, call, kind_text, stop_texts
from autograd_lessons.i18n import Text, add_catalogue, text
from autograd_lessons.lessons.own_autograd.generation import (
    COMPOSITIONS,
    FEATURES,
    PROBE_X,
    compositions,
    deep_chain,
    probes,
    selected,
)
from autograd_lessons.lessons.own_autograd.instructions import (
    BINARY,
    CHECK_SEED,
    DTYPE,
    FUNCTIONS,
    STAGES,
    UNARY,
    Constant,
    EngineRaised,
    Program,
    attempt,
    replay,
    torch_gradients,
    torch_jvp,
    torch_registers,
)
from autograd_lessons.numbers import shape_text, shortest, values_text
from autograd_lessons.results import Verdict
from autograd_lessons.verdicts import compare

add_catalogue(Path(__file__).parent / "locale", owner="lesson 4")

# Two right engines round differently (PyTorch sums a broadcast gradient in its own order, and
# writes some rules as one fused expression): a few ulps at the scale of the largest gradient
# element, more where a chain of a dozen operations compounds them (over 300 random compositions
# the reference engine is at most 30 ulps from PyTorch). A wrong rule is off by a part in a few,
# not a part in 10¹⁴.
GRADIENT_ULPS = 64
# The typical mistakes a diagnosis names, each recognised by the stage that fails first and by the
# shape of the failure (see `_mistake`).
MISTAKES = ("accumulate", "order", "unbroadcast", "transposes", "seed", "relu_kink")
# PyTorch's words when a tensor of one shape is added in place to a tensor of another, or when two
# shapes do not broadcast: what an engine without sum-to-shape raises in its backward pass.
SHAPE_ERRORS = ("doesn't match the broadcast shape", "must match the size", "size of tensor", "shapes cannot be")

# --------------------------------------------------------------------------- the diagnosis

DIAGNOSES = ("right", "wrong", "raised", "missing", "unusable", "stopped")


@dataclass(frozen=True)
class Diagnosis:
    """What `diagnose` found, worded in the learner's language when shown.

    `status` is one of DIAGNOSES. For a wrong engine: `program` (its text) is the first program
    whose gradients differ, `stage` its stage, `operation` the engine method at fault (for a probe
    of one operation), `input` the input whose gradient differs, `verdict` compare's record of that
    gradient against PyTorch's (None when its shape or type already differs), `error` what the
    engine raised, and `mistake` the typical mistake recognised (one of MISTAKES) or None.
    `count` is how many programs ran; `actual` is the engine's gradient of `input` (a float64
    tensor, when it is one), for a caller that recognises mistakes of its own."""

    status: str
    headline: Text
    hint: Text | None = None
    mistake: str | None = None
    program: str | None = None
    stage: str | None = None
    operation: str | None = None
    input: str | None = None
    verdict: Verdict | None = None
    error: str | None = None
    count: int = 0
    actual: torch.Tensor | None = None

    @property
    def right(self) -> bool:
        return self.status == "right"

    def render(self, language: str | None = None) -> str:
        words = self.headline.render(language)
        return words if self.hint is None else f"{words} {self.hint.render(language)}"

    __str__ = render


@dataclass
class _Failure:
    """How one program went wrong on the engine: a finding about `input` or what it raised."""

    program: Program
    finding: Text
    input: str | None = None
    kind: str = "values"  # "values", "shape", "not_tensor", "dtype" or "raised"
    verdict: Verdict | None = None
    actual: torch.Tensor | None = None
    expected: torch.Tensor | None = None
    raised: EngineRaised | None = None
    grads: tuple = ()
    seed: object = None


def diagnose(engine: object, programs=None) -> Diagnosis:
    """Run `programs` (default: the probes, then the compositions; an exercise runs
    `selected(...)`) on `engine`, a class built like the reference engine, and compare every
    input's gradient with PyTorch's.

    The result names the first operation whose rule is wrong, the input whose gradient differs
    (with compare's record) and the typical mistake when it is one of MISTAKES; or says that every
    gradient is right. Never raises what the engine raises: an error, an endless loop (the guard's
    time limit) or a runaway allocation (its memory headroom) is a Diagnosis too."""
    chosen = probes() + compositions() if programs is None else tuple(programs)
    outcome = guard.run(_diagnose, engine, chosen)
    failure = outcome.failure
    if failure is None:
        return outcome.value
    stopped = stop_texts(failure)
    if stopped is not None:
        return Diagnosis("stopped", *stopped)
    error = LearnerRaised(failure.exception_type, failure.detail).text
    return Diagnosis("raised", text("exercises.l4.headline.raised"), text("exercises.l4.raised_outside", error=error))


def _diagnose(engine: object, programs: tuple[Program, ...]) -> Diagnosis:
    unusable = text("exercises.l4.headline.unusable")
    if not callable(engine):
        return Diagnosis("unusable", unusable, text("exercises.l4.not_class", kind=kind_text(engine)))
    name = str(getattr(engine, "__name__", type(engine).__name__))
    try:
        sample = call(engine, torch.zeros((), dtype=DTYPE))
    except LearnerRaised as raised:
        hint = text("exercises.l4.constructor_raised", name=name, error=raised.text)
        return Diagnosis("unusable", unusable, hint, error=raised.text)
    missing = _missing(type(sample), programs)
    if missing:
        method, example = missing[0]
        methods = ", ".join(f"`{m}`" for m, _ in missing)
        hint = text("exercises.l4.missing", name=name, method=method, example=example, methods=methods)
        return Diagnosis("missing", text("exercises.l4.headline.missing", methods=methods), hint, operation=method)
    deferred = None  # a chain that failed without the all-zero mark of a wrong order: judged after the operations
    for count, program in enumerate(programs, start=1):
        if deferred is not None and STAGES.index(program.stage) > STAGES.index("kink"):
            return _wrong(deferred, _mistake(deferred), count)
        failed = _run(engine, program)
        if failed is None:
            continue
        if program.stage == "chain" and not _all_zero(failed):
            deferred = deferred or failed
            continue
        return _wrong(failed, _mistake(failed), count)
    if deferred is not None:
        return _wrong(deferred, _mistake(deferred), len(programs))
    return Diagnosis("right", text("exercises.l4.right", count=len(programs)), count=len(programs))


def _missing(kind: type, programs: tuple[Program, ...]) -> list[tuple[str, str]]:
    """(method, the first program that needs it) for each method the engine's class lacks."""
    found: dict[str, str] = {}
    for program in programs:
        for method in program.methods():
            if method not in found:
                try:
                    present = callable(call(getattr, kind, method, None))
                except LearnerRaised:
                    present = False
                if not present:
                    found[method] = program.text()
    return list(found.items())


def _run(engine: object, program: Program) -> _Failure | None:
    """Run `program` on the engine: None when every input's gradient equals PyTorch's."""
    expected = torch_gradients(program)
    try:
        out, values = replay(program, engine)
        attempt("backward", operator.methodcaller("backward"), out)
        grads = [attempt("grad", getattr, v, "grad", input=name) for name, v in zip(program.names, values, strict=True)]
        seed = attempt("grad", getattr, out, "grad", None)  # the output's own gradient, if it keeps one
    except EngineRaised as raised:
        return _Failure(program, raised_finding(program, raised), raised.input, "raised", raised=raised)
    for (name, value), grad, want in zip(program.inputs, grads, expected, strict=True):
        failed = _judged(program, name, value, grad, want)
        if failed is not None:
            failed.grads, failed.seed = tuple(grads), seed
            failed.expected = want
            return failed
    return None


def gradient_tensor(grad: object, shape: tuple[int, ...]) -> torch.Tensor | None:
    """The learner's gradient as a detached tensor (a Python number fills the input's shape), or None."""
    if isinstance(grad, numbers.Real) and not isinstance(grad, bool):
        return torch.full(shape, float(grad), dtype=DTYPE)
    if isinstance(grad, torch.Tensor):
        return call(lambda: grad.detach().as_subclass(torch.Tensor).clone())
    return None


def _judged(program: Program, name: str, value: torch.Tensor, grad: object, want: torch.Tensor) -> _Failure | None:
    fields = {"program": program.text(), "input": name}
    actual = gradient_tensor(grad, tuple(value.shape))
    if actual is None:
        finding = text("exercises.l4.finding.not_tensor", kind=kind_text(grad), **fields)
        return _Failure(program, finding, name, "not_tensor")
    if actual.dtype != DTYPE:
        finding = text("exercises.l4.finding.dtype", dtype=str(actual.dtype).removeprefix("torch."), **fields)
        return _Failure(program, finding, name, "dtype", actual=actual)
    if actual.shape != want.shape:
        shapes = {"actual": shape_text(actual.shape), "expected": shape_text(want.shape)}
        return _Failure(program, text("exercises.l4.finding.shape", **shapes, **fields), name, "shape", actual=actual)
    verdict = compare(actual, want, tolerance=GRADIENT_ULPS)
    if verdict.status != "false":
        return None
    where = verdict.counterexample
    numbers_ = {"index": where["index"], "actual": shortest(where["actual"]), "expected": shortest(where["expected"])}
    finding = text("exercises.l4.finding.values", **numbers_, **fields)
    return _Failure(program, finding, name, "values", verdict, actual)


def raised_finding(program: Program, raised: EngineRaised) -> Text:
    if raised.phase == "forward":
        phase = text("exercises.l4.phase.forward", expression=program.expression(raised.step))
    elif raised.phase == "grad" and raised.input is None:  # the output's own .grad
        phase = text("exercises.l4.phase.output_grad")
    else:
        phase = text(f"exercises.l4.phase.{raised.phase}", input=raised.input or "")
    return text("exercises.l4.finding.raised", program=program.text(), phase=phase, error=raised.text)


def _all_zero(failed: _Failure) -> bool:
    """Every input's gradient is exactly zero: no gradient reached the inputs at all, as when a
    node's rule runs before the gradient of its result has arrived."""
    grads = [gradient_tensor(g, ()) for g in failed.grads]
    return failed.kind == "values" and all(g is not None and not bool(g.any()) for g in grads)


# --------------------------------------------------------------------------- the typical mistakes


def _mistake(failed: _Failure) -> str | None:
    """The typical mistake (one of MISTAKES) the failure shows, given that every earlier stage passed."""
    program = failed.program
    if _seed_scaled(failed):
        return "seed"
    stage = program.stage
    if stage == "broadcast" and program.operation == "__matmul__":
        return "transposes" if _transposed(failed) else None
    if stage == "broadcast":
        shape_error = failed.raised is not None and any(words in failed.raised.detail for words in SHAPE_ERRORS)
        return "unbroadcast" if failed.kind == "shape" or shape_error else None
    if stage == "kink":
        return "relu_kink" if _only_at_zeros(failed) else None
    if failed.kind != "values":  # an error or a gradient of the wrong form says nothing of the order
        return None
    return {"reuse": "accumulate", "diamond": "order", "chain": "order"}.get(stage)


def _seed_scaled(failed: _Failure) -> bool:
    """The output's own gradient after backward() is not 1, and every input's gradient is
    PyTorch's times it: the backward pass did not start from ones."""
    seed = gradient_tensor(failed.seed, ())
    if seed is None or seed.numel() != 1 or failed.kind not in ("values", "shape"):
        return False
    factor = float(seed.reshape(()))
    if seed.shape == () and factor == 1.0:
        return False
    expected = torch_gradients(failed.program)
    for grad, want in zip(failed.grads, expected, strict=True):
        actual = gradient_tensor(grad, tuple(want.shape))
        if actual is None or actual.dtype != DTYPE or actual.numel() != want.numel():
            return False
        if compare(actual.reshape(want.shape), factor * want, tolerance=GRADIENT_ULPS).status == "false":
            return False
    return True


def _transposed(failed: _Failure) -> bool:
    """The matrix product's gradient is one its transposes would give misplaced: the backward
    pass raised a shape error, or a gradient has the transposed shape, or the values of a product
    of the upstream gradient and the other operand taken the wrong way round."""
    if failed.raised is not None:
        return failed.raised.phase == "backward"
    if failed.kind == "shape" and tuple(failed.actual.shape) == tuple(reversed(failed.expected.shape)):
        return True
    if failed.kind != "values":
        return False
    program = failed.program
    step = next(i for i, instruction in enumerate(program.instructions) if instruction.op == "matmul")
    a_index, b_index = program.instructions[step].args
    a, b = program.inputs[a_index][1], program.inputs[b_index][1]
    (g,) = torch_gradients(program, register=len(program.inputs) + step)
    other, right = (b, g @ b.T) if failed.input == program.names[a_index] else (a, a.T @ g)
    for candidate in _products(g, other):
        wrong_way = candidate.shape == failed.actual.shape and compare(candidate, right).status == "false"
        if wrong_way and compare(failed.actual, candidate, tolerance=GRADIENT_ULPS).status != "false":
            return True
    return False


def _products(g: torch.Tensor, other: torch.Tensor) -> list[torch.Tensor]:
    """Every product of g or gᵀ with the other operand or its transpose, either way round, and
    the transposes of those products."""
    pairs = [(left, right) for left in (g, g.T) for right in (other, other.T)]
    products = [x @ y for x, y in pairs + [(y, x) for x, y in pairs] if x.shape[1] == y.shape[0]]
    return products + [product.T for product in products]


def _only_at_zeros(failed: _Failure) -> bool:
    """relu's gradient differs from PyTorch's only where its input is exactly 0."""
    away = dict(failed.program.inputs)[failed.input] != 0
    values = failed.kind == "values"
    return values and compare(failed.actual[away], failed.expected[away], tolerance=GRADIENT_ULPS).holds


def _wrong(failed: _Failure, mistake: str | None, count: int) -> Diagnosis:
    """The Diagnosis of a failure: the typical mistake's words when one is recognised, else those
    of a gradient that is not a float64 tensor, of an error, of a wrong rule or of a program."""
    program, raised = failed.program, failed.raised
    fields = {
        "mistake": mistake,
        "program": program.text(),
        "stage": program.stage,
        "operation": program.operation,
        "input": failed.input,
        "verdict": failed.verdict,
        "error": raised.text if raised is not None else None,
        "count": count,
        "actual": failed.actual,
    }
    if mistake is not None:
        key, extra = mistake, {}
        if mistake == "seed":
            extra = {"start": values_text(gradient_tensor(failed.seed, ())), "shape": shape_text(())}
        elif mistake == "accumulate":
            extra = {"input": failed.input}
        elif mistake == "unbroadcast" and raised is None:
            extra = {"input": failed.input, "shape": shape_text(dict(program.inputs)[failed.input].shape)}
        elif mistake == "unbroadcast":  # the backward pass raised: which operand is not known
            key = "unbroadcast_raised"
            extra = {"shapes": ", ".join(f"{name} {shape_text(value.shape)}" for name, value in program.inputs)}
        elif mistake == "order" and program.stage == "chain":
            key = "order_chain"
        hint = text(f"exercises.l4.mistake.{key}", finding=failed.finding, **extra)
        headline = text(f"exercises.l4.headline.{'order_chain' if key == 'order_chain' else mistake}")
        return Diagnosis("wrong", headline, hint, **fields)
    if raised is not None:
        if raised.phase == "forward":
            where = program.instructions[raised.step].method()
        else:
            where = program.operation or {"input": "__init__", "grad": "grad"}.get(raised.phase, "backward")
        hint = text("exercises.l4.raised", finding=failed.finding, operation=where)
        return Diagnosis("raised", text("exercises.l4.headline.raised"), hint, **{**fields, "operation": where})
    if failed.kind in ("not_tensor", "dtype"):
        return Diagnosis(
            "wrong", text("exercises.l4.headline.form"), text("exercises.l4.form", finding=failed.finding), **fields
        )
    if program.stage == "program":
        hint = text("exercises.l4.program", finding=failed.finding)
        return Diagnosis("wrong", text("exercises.l4.headline.program"), hint, **fields)
    hint = text("exercises.l4.rule", finding=failed.finding, operation=program.operation)
    return Diagnosis("wrong", text("exercises.l4.headline.rule", operation=program.operation), hint, **fields)


__all__ = ["CHECK_SEED", "COMPOSITIONS", "GRADIENT_ULPS", "MISTAKES", "STAGES", "Diagnosis", "Program"]
__all__ += ["compositions", "diagnose", "probes", "replay", "torch_gradients"]
__all__ += ["BINARY", "Constant", "DTYPE", "FEATURES", "FUNCTIONS", "PROBE_X", "UNARY", "deep_chain"]
__all__ += ["gradient_tensor", "raised_finding", "selected", "torch_jvp", "torch_registers"]
