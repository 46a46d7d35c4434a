"""Lesson 4, exercise 7: the tiny network of § 7 trained by the learner's loop on the learner's engine.

The answer is a loop, `train(params, inputs, targets, steps, learning_rate)`, which trains the
network's parameters in place and returns the loss of every step, and the engine to train with (the
learner's classes of exercises 1 to 5 put together, or the lesson's `Value`). The checker runs the
loop on hidden data and initializations of its own (other batch, input and hidden sizes, other
learning rates) and compares every step's loss with the same loop run by PyTorch's autograd in
float64, then the parameters it leaves. It runs the loop on the lesson's `Value` first, so that a
difference there is the loop's, and then on the learner's engine, so that a difference there is the
engine's (named by `programs.diagnose`, the diagnosis of exercises 1 to 5).

A loop whose curve leaves PyTorch's is matched against the curves of the typical mistakes, each the
same loop with one slip (`slipped`): gradients never reset, the update's sign, the learning rate
applied twice, a parameter updated before every gradient of the step is computed, parameters that
never move; a first loss that is the number of points times PyTorch's is a sum, not a mean; and a
curve that is PyTorch's while the parameters given to the loop are left unchanged is a loop that
trained new values, made from the parameters (p - learning_rate * p.grad), instead of the parameters.
"""

from __future__ import annotations

import functools
import numbers
from dataclasses import dataclass

import torch

from autograd_lessons.engine_graph import PARENTS
from autograd_lessons.exercises import FormError, LearnerRaised, Wrong, call, choice, keys, kind_text
from autograd_lessons.i18n import Text, text
from autograd_lessons.lessons.own_autograd import LESSON, engine, programs
from autograd_lessons.lessons.own_autograd.instructions import CHECK_SEED, DTYPE
from autograd_lessons.numbers import BRIEF_DIGITS, Decimal, brief, shape_text, shortest
from autograd_lessons.verdicts import compare

exercise = LESSON.exercise

RIGHT7 = "b"  # the letter of the "why?": backward() adds to .grad
STEPS = 20  # steps of every training run: enough for every typical mistake to show, cheap to run
TRAIN_SEED = CHECK_SEED * 1000 + 7  # the private generator of the hidden data and initializations
PARAMETERS = ("W1", "b1", "W2", "b2")  # the network's parameters, in the order `params` holds them
# Two right loops round differently (PyTorch fuses some rules, a learner's engine may write a rule
# its own way), and a step's rounding moves the parameters every later loss is computed from. Over
# 20 steps the right loops and engines of the tests stay within 6 ulps of PyTorch's (at the scale of
# each step's loss); a slip moves a loss by a part in a thousand or more, some 10¹² ulps.
CURVE_ULPS = 1024
WORDED_BY_CHECK = ("SystemExit", "RecursionError")  # what check() words itself (exit(), endless recursion)


@dataclass(frozen=True)
class Case:
    """One hidden training run: a batch of `points` rows of `features` inputs, `hidden` tanh units."""

    points: int
    features: int
    hidden: int
    learning_rate: float

    def fields(self) -> dict[str, object]:
        """The run as a finding's fields (the learning rate a float: written with the language's decimal point)."""
        return {
            "points": self.points,
            "features": self.features,
            "hidden": self.hidden,
            "learning_rate": self.learning_rate,
        }


# § 7's 2-8-1 network first, then other sizes and learning rates, so that a loop that hard-codes a
# size (8 units, 32 points) or a learning rate shows it.
CASES = (Case(24, 2, 8, 0.3), Case(12, 3, 5, 0.1), Case(16, 2, 4, 0.5))


@functools.cache
def case_data(index: int) -> tuple[torch.Tensor, torch.Tensor, tuple[torch.Tensor, ...]]:
    """The inputs, targets and initial parameters (W1, b1, W2, b2) of CASES[index], from a private
    generator: the same at every run, and nothing the learner's random state does reaches them."""
    case = CASES[index]
    source = torch.Generator().manual_seed(TRAIN_SEED + index)

    def normal(*shape: int) -> torch.Tensor:
        return torch.randn(shape, dtype=DTYPE, generator=source)

    inputs = torch.rand((case.points, case.features), dtype=DTYPE, generator=source) * 4 - 2
    targets = (inputs @ normal(case.features, 1)).sin()
    initial = (
        normal(case.features, case.hidden) / case.features**0.5,
        normal(case.hidden) / 10,
        normal(case.hidden, 1) / case.hidden**0.5,
        normal(1) / 10,
    )
    return inputs, targets, initial


def network_loss(params, inputs, targets):
    """§ 7's loss: the mean of the squared errors of the 2-layer tanh network (any engine, or PyTorch)."""
    W1, b1, W2, b2 = params
    return (((inputs @ W1 + b1).tanh() @ W2 + b2 - targets) ** 2).mean()


@functools.cache
def pytorch_run(index: int) -> tuple[torch.Tensor, tuple[torch.Tensor, ...]]:
    """The loss of every step and the trained parameters of CASES[index], trained by PyTorch's autograd
    in float64: the curve every loop is compared with."""
    inputs, targets, initial = case_data(index)
    rate = CASES[index].learning_rate
    params = [p.clone().requires_grad_(True) for p in initial]
    losses = []
    with torch.enable_grad():
        for _ in range(STEPS):
            loss = network_loss(params, inputs, targets)
            for p in params:
                p.grad = None
            loss.backward()
            with torch.no_grad():
                for p in params:
                    p -= rate * p.grad
            losses.append(loss.detach())
    return torch.stack(losses), tuple(p.detach() for p in params)


# --------------------------------------------------------------------------- the typical mistakes

# Each slip: the same loop with one mistake (`slipped`), and the hint that names it.
SLIPS = {
    "accumulate": "accumulate",  # the gradients never reset: each step adds to the last one's
    "sign": "sign",  # p.data += learning_rate * p.grad: up the gradient
    "lr_squared": "lr_twice",  # the learning rate applied to the gradient, then again in the update
    "lr_doubled": "lr_twice",  # the update done twice
    "interleaved": "early_update",  # a backward() and an update per parameter, in one loop
    "frozen": "frozen",  # no parameter ever moves (p = p - …, or no update at all)
}


def slipped(index: int, slip: str) -> torch.Tensor:
    """The curve of the loop with `slip`, run on the lesson's engine on CASES[index]'s data."""
    inputs, targets, initial = case_data(index)
    rate = CASES[index].learning_rate
    step = {"sign": -rate, "lr_squared": rate * rate, "lr_doubled": 2 * rate, "frozen": 0.0}.get(slip, rate)
    params = [engine.Value(p.clone()) for p in initial]
    values = engine.Value(inputs.clone())
    losses = []
    for _ in range(STEPS):
        loss = network_loss(params, values, targets)
        if slip == "interleaved":
            for p in params:
                p.grad = torch.zeros_like(p.data)
                loss.backward()
                p.data -= rate * p.grad
        else:
            for p in params if slip != "accumulate" else ():
                p.grad = torch.zeros_like(p.data)
            loss.backward()
            for p in params:
                p.data -= step * p.grad
        losses.append(loss.data.reshape(()))
    return torch.stack(losses)


def slip_factor(slip: str, rate: float) -> float | None:
    """How many times the gradient a step of `slip` moves a parameter by, when it is a multiple of it."""
    return {"lr_squared": rate * rate, "lr_doubled": 2 * rate}.get(slip)


# --------------------------------------------------------------------------- reading what train returns


def loss_number(item: object, step: int) -> float:
    """One loss that train returned: a number, a one-element tensor or a value of an engine (its .data)."""
    if isinstance(item, numbers.Real) and not isinstance(item, bool):
        return float(item)
    data = item if isinstance(item, torch.Tensor) else call(getattr, item, "data", None)
    if isinstance(data, numbers.Real) and not isinstance(data, bool):
        return float(data)
    if not isinstance(data, torch.Tensor) or data.dtype == torch.bool or data.is_complex():
        raise Wrong("exercises.l4.7.item", "exercises.l4.7.headline.returned", step=step, kind=kind_text(item))
    if data.numel() != 1:
        fields = {"step": step, "count": data.numel(), "shape": shape_text(tuple(data.shape))}
        raise Wrong("exercises.l4.7.not_scalar", "exercises.l4.7.headline.returned", **fields)
    if data.dtype != DTYPE:  # rounded to about 7 digits: every loss would differ from PyTorch's float64 one
        dtype = str(data.dtype).removeprefix("torch.")
        raise Wrong("exercises.l4.7.dtype", "exercises.l4.7.headline.returned", step=step, dtype=dtype)
    return float(data.detach().reshape(()))


def curve_of(returned: object) -> torch.Tensor:
    """The losses train returned as a float64 tensor of STEPS elements, or Wrong saying what it is."""
    headline = "exercises.l4.7.headline.returned"
    if returned is None:
        raise Wrong("exercises.l4.7.returned_none", headline)
    if isinstance(returned, torch.Tensor) and returned.dim() == 1:
        returned = list(returned.unbind())
    if not isinstance(returned, (list, tuple)):
        raise Wrong("exercises.l4.7.not_list", headline, kind=kind_text(returned))
    if not returned:
        raise Wrong("exercises.l4.7.empty", headline, steps=STEPS)
    if len(returned) != STEPS:
        raise Wrong("exercises.l4.7.length", headline, count=len(returned), steps=STEPS)
    return torch.tensor([loss_number(item, step) for step, item in enumerate(returned, start=1)], dtype=DTYPE)


def tensor_of(value: object) -> torch.Tensor | None:
    """A parameter's tensor after training (its .data), or None when it is not a tensor."""
    data = call(getattr, value, "data", None)
    return programs.gradient_tensor(data, ()) if isinstance(data, (torch.Tensor, numbers.Real)) else None


def has_operands(value: object) -> bool:
    """Whether a value was computed from others (its operands, `_prev` in the lesson's engine): not a leaf."""
    try:
        return bool(call(lambda: len(getattr(value, PARENTS, ()))))
    except LearnerRaised:
        return False


# --------------------------------------------------------------------------- judging one run


@dataclass
class Run:
    """One run of the learner's loop: the case, the engine's name, the curve, the tensors of the
    parameters it left in `params`, and whether one of those was computed from other values."""

    index: int
    engine: str
    curve: torch.Tensor
    finals: list[torch.Tensor | None]
    computed: bool

    @property
    def case(self) -> Case:
        return CASES[self.index]


def trained(train: object, make: object, index: int) -> Run:
    """Run train on CASES[index] with parameters and inputs made by `make` (an engine's class)."""
    inputs, targets, initial = case_data(index)
    params = [call(make, p.clone()) for p in initial]
    values = call(make, inputs.clone())
    returned = call(train, params, values, targets.clone(), STEPS, CASES[index].learning_rate)
    curve = curve_of(returned)
    name = str(getattr(make, "__name__", type(make).__name__))
    left = list(params)  # what train left in the list it was given (the trained parameters)
    return Run(index, name, curve, [tensor_of(p) for p in left], any(has_operands(p) for p in left))


def first_difference(actual: torch.Tensor, expected: torch.Tensor) -> int | None:
    """The index of the first step whose loss differs from PyTorch's beyond rounding."""
    for step, (mine, theirs) in enumerate(zip(actual, expected, strict=True)):
        if compare(mine, theirs, tolerance=CURVE_ULPS).status == "false":
            return step
    return None


def apart(actual: float, expected: float) -> tuple[str, str]:
    """Both losses with the fewest significant digits (at least BRIEF_DIGITS) that tell them apart."""
    for digits in range(BRIEF_DIGITS, 18):
        mine, theirs = f"{actual:.{digits}g}", f"{expected:.{digits}g}"
        if mine != theirs:
            return Decimal(mine), Decimal(theirs)
    return shortest(actual), shortest(expected)


def change_text(actual: float, expected: float) -> Text:
    """By how much a loss differs from PyTorch's: a percentage, or a ratio when it is far off."""
    ratio = actual / expected if expected else float("inf")
    if 0.5 <= ratio <= 2:
        percent = abs(ratio - 1) * 100
        return text("exercises.l4.7.higher" if ratio > 1 else "exercises.l4.7.lower", percent=percent)
    return text("exercises.l4.7.times", ratio=brief(ratio))


def finding(run: Run, step: int) -> Text:
    """Where the two curves separate: the hidden case, the step (from 1), both losses and by how much."""
    expected = float(pytorch_run(run.index)[0][step])
    actual = float(run.curve[step])
    fields = {
        **run.case.fields(),
        "step": step + 1,
        "before": step,
        **dict(zip(("actual", "expected"), apart(actual, expected), strict=True)),
        "change": change_text(actual, expected),
    }
    return text("exercises.l4.7.finding_first" if step == 0 else "exercises.l4.7.finding", **fields)


def judged(run: Run) -> None:
    """Wrong naming where the run's curve leaves PyTorch's and the typical mistake behind it, or what
    differs in the parameters it left; nothing when both are PyTorch's."""
    expected, finals = pytorch_run(run.index)
    step = first_difference(run.curve, expected)
    if step is None:
        parameters(run, finals)
        return
    headline = "exercises.l4.7.headline.curve"
    fields = {**run.case.fields(), "finding": finding(run, step), "before": step, "step": step + 1}
    if step == 0:
        ratio = float(run.curve[0]) / float(expected[0])
        key = "mistake.not_mean" if abs(ratio - run.case.points) <= 1e-9 * run.case.points else "loss_first"
        raise Wrong(f"exercises.l4.7.{key}", headline, **fields)
    upto = min(STEPS, step + 3)  # a few steps past the separation: enough to tell the slips apart
    for slip, mistake in SLIPS.items():
        if compare(run.curve[:upto], slipped(run.index, slip)[:upto], tolerance=CURVE_ULPS).status != "false":
            factor = slip_factor(slip, run.case.learning_rate)
            extra = {} if factor is None else {"factor": factor}
            raise Wrong(f"exercises.l4.7.mistake.{mistake}", headline, **fields, **extra)
    raise Wrong("exercises.l4.7.curve", headline, **fields)


def parameters(run: Run, finals: tuple[torch.Tensor, ...]) -> None:
    """The curve is PyTorch's: Wrong if the parameters train was given are not PyTorch's trained ones."""
    initial = case_data(run.index)[2]
    if len(run.finals) != len(PARAMETERS):
        raise Wrong("exercises.l4.7.params_length", "exercises.l4.7.headline.final", count=len(run.finals))
    if run.computed:
        raise Wrong("exercises.l4.7.mistake.graph_grows", "exercises.l4.7.headline.in_place")
    if all(mine is not None and torch.equal(mine, start) for mine, start in zip(run.finals, initial, strict=True)):
        raise Wrong("exercises.l4.7.mistake.new_values", "exercises.l4.7.headline.in_place")
    for name, mine, theirs in zip(PARAMETERS, run.finals, finals, strict=True):
        fields = {"name": name, **run.case.fields()}
        if mine is None or mine.shape != theirs.shape:
            raise Wrong("exercises.l4.7.final_form", "exercises.l4.7.headline.final", **fields)
        verdict = compare(mine.to(DTYPE), theirs, tolerance=CURVE_ULPS)
        if verdict.status == "false":
            where = verdict.counterexample
            found = {key: shortest(where[key]) for key in ("actual", "expected")}
            raise Wrong(
                "exercises.l4.7.final", "exercises.l4.7.headline.final", index=where["index"], **fields, **found
            )


# --------------------------------------------------------------------------- the check


def raised_wrong(raised: LearnerRaised, key: str, headline: str, **fields: object) -> Exception:
    """What train (or the engine under it) raised, as the check's words; exit() and an endless
    recursion are left to check(), which words them itself."""
    if raised.kind in WORDED_BY_CHECK:
        return raised
    return Wrong(key, headline, error=raised.text, **fields)


def with_lesson_engine(train: object) -> None:
    """Every hidden case trained by the loop on the lesson's Value: what differs is the loop's."""
    for index, case in enumerate(CASES):
        try:
            run = trained(train, engine.Value, index)
        except LearnerRaised as raised:
            raise raised_wrong(
                raised, "exercises.l4.7.raised", "exercises.l4.7.headline.raised", **case.fields()
            ) from None
        judged(run)


def with_own_engine(train: object, own: type) -> None:
    """Every hidden case trained by the loop, right on the lesson's Value, on the learner's engine:
    what differs is the engine's, and the diagnosis of its rules says where."""
    name = str(own.__name__)
    for index in range(len(CASES)):
        try:
            run = trained(train, own, index)
            judged(run)
        except LearnerRaised as raised:
            raise raised_wrong(
                raised, "exercises.l4.7.engine_raised", "exercises.l4.7.headline.engine", name=name
            ) from None
        except Wrong as wrong:
            found = programs.diagnose(own)
            # where the curves separate (not what the loop's slip would be: the loop is right), or what differs
            fields = {"name": name, "finding": wrong.fields.get("finding") or text(wrong.hint, **wrong.fields)}
            if found.right:
                raise Wrong("exercises.l4.7.engine_unexplained", "exercises.l4.7.headline.engine", **fields) from None
            detail = found.hint if found.hint is not None else ""
            fields |= {"diagnosis": found.headline, "detail": detail}
            raise Wrong("exercises.l4.7.engine", "exercises.l4.7.headline.engine", **fields) from None


@exercise(7)
def _check7(answer: object) -> str | None:
    answer = keys(answer, "engine", "train", "why")
    own, train = answer["engine"], answer["train"]
    if not isinstance(own, type):
        raise FormError("exercises.l4.7.form.not_class", kind=kind_text(own))
    if not callable(train):
        raise FormError("exercises.l4.7.form.not_function", kind=kind_text(train))
    with_lesson_engine(train)
    if own is not engine.Value:
        with_own_engine(train, own)
    choice(answer["why"], RIGHT7, "abc", "exercises.l4.7.why")
    return "exercises.l4.7.remark.lesson_engine" if own is engine.Value else None


__all__ = ["CASES", "CURVE_ULPS", "RIGHT7", "SLIPS", "STEPS", "case_data", "pytorch_run", "slipped"]
