"""Lesson 4's hidden programs: the probes, the random compositions, the deep chain, and which of them
an exercise runs.

The probes try each operation alone, then on broadcast shapes, at relu's kink, on values used twice
and in diamonds (see `instructions.STAGES`); the compositions are random programs built around one
feature each (a bias on a batch, a diamond, a matrix product …); the deep chain is longer than
Python's recursion limit. All come from private generators seeded with CHECK_SEED: the same programs
at every run. `selected(operations)` keeps the programs that use one of an exercise's operations.
"""

from __future__ import annotations

import functools
import operator
import random

import torch

from autograd_lessons.lessons.own_autograd.instructions import (
    CHECK_SEED,
    DTYPE,
    Constant,
    Program,
    Recorder,
    Tape,
    torch_gradients,
    written,
)

COMPOSITIONS = 28  # random programs diagnose runs after the probes: each FEATURE four times, well under a second
STEPS = (2, 6)  # random operations a composition adds after its feature (fewest, most)
# Domains: each operation is applied only where it is defined and tame, so that no gradient is
# NaN, infinite or huge, and a rounding in one element cannot hide a wrong rule.
LOG_FLOOR = 0.2  # log and ** 0.5 only where every element is at least this (1/x ≤ 5)
DIVISOR_FLOOR = 0.25  # a divisor's elements at least this far from 0 (1/b² ≤ 16)
EXP_CEILING = 2.5  # exp only where every element is at most this (e^2.5 ≈ 12)
CUBE_CEILING = 2.0  # ** 3 only where every |element| is at most this
KINK_MARGIN = 0.1  # relu only where every |element| is at least this, unless a program tests the kink
VALUE_CEILING = 50.0  # an operation whose result exceeds this in magnitude is not kept
# A program whose float32 gradients differ from its float64 ones by more than this, relative to
# the largest element, amplifies roundings (a cancellation) and is drawn again: in float64 the same
# amplification would push two right engines apart by more than GRADIENT_ULPS.
CONDITION_LIMIT = 1e-5
MAX_DRAWS = 50  # draws allowed per composition before the generator gives up (a bug, never seen)
FEATURES = ("bias", "row", "scalar", "square", "diamond", "matmul", "kink")  # one per composition, in turn
NUMBERS = (0.5, 2.0, 3.0, -1.5)  # the Python numbers compositions use as operands
SIZES = (2, 4)  # a composition's batch and feature sizes (fewest, most): readable, and never 1 by accident
WIDER = (1, 2)  # a product's weight has this many more columns than rows (fewest, most): never square
EXTRAS = 2  # inputs a composition may take besides X and its feature's: 2 to 4 inputs in all
KINK_SHARE = 3  # a kink composition sets one element of X in this many to exactly 0
# The random operations: one of the RECENT newest values is the operand RECENT_SHARE of the time
# (chains), any earlier value otherwise (values used again); UNARY_SHARE of them have one operand;
# a binary one's other operand is a Python number NUMBER_SHARE of the time, a constant tensor
# CONSTANT_SHARE, another value otherwise.
RECENT, RECENT_SHARE = 3, 0.7
UNARY_SHARE = 0.45
NUMBER_SHARE, CONSTANT_SHARE = 0.2, 0.1

# --------------------------------------------------------------------------- the probes

# The probes' scalars: x > 0 (log, ** 2.5 and relu's positive side), y < 0, a divisor; neither is
# 0 or ±1 and their sizes differ, so that no wrong rule (a swapped operand, a lost sign, a missing
# factor) gives the right number by chance.
PROBE_X, PROBE_Y = 0.8, -1.7
# The probes' batch: 3 rows of 4 features. No dimension is 1 but the ones made on purpose, and
# 3 ≠ 4, so a gradient that was not summed back, or was transposed, has the wrong shape.
BATCH, WIDTH = 3, 4
INNER = 3  # the inner dimension of the non-square matrix product (2, 3) @ (3, 4)
KINK_ZEROS = 4  # elements of the kink probe's input set to exactly 0


def _normal(shape: tuple[int, ...], source: torch.Generator) -> torch.Tensor:
    return torch.randn(shape, dtype=DTYPE, generator=source)


def _away(values: torch.Tensor, floor: float) -> torch.Tensor:
    """`values` pushed at least `floor` away from 0, keeping their signs."""
    return torch.where(values >= 0, 1.0, -1.0).to(DTYPE) * (values.abs() + floor)


# The probes, in the order diagnose runs them: (stage, the program, the inputs it takes: "plain";
# X "positive", in log's domain; X "away" from relu's kink; "divisors", all away from 0; or X
# "kinked", with exact zeros). A probe tries the method of its first operation.
PROBES = (
    *(
        ("single", probe, "plain")
        for probe in ("x + y", "x - y", "-x", "x * y", "x / y", "x ** 2.5", "x.exp()", "x.log()", "x.tanh()")
        + ("x.relu()", "x + 2.0", "2.0 + x", "x - 2.0", "2.0 - x", "x * 2.0", "2.0 * x", "x / 2.0", "2.0 / x")
        + ("X.sum()", "X.mean()")
    ),
    ("chain", "((x * y).exp() * 3.0).tanh()", "plain"),
    ("broadcast", "(X * C).sum()", "plain"),
    ("broadcast", "(-X * C).sum()", "plain"),
    ("broadcast", "(X.exp() * C).sum()", "plain"),
    ("broadcast", "(X.log() * C).sum()", "positive"),
    ("broadcast", "(X.tanh() * C).sum()", "plain"),
    ("broadcast", "(X.relu() * C).sum()", "away"),
    ("broadcast", "(X ** 3 * C).sum()", "plain"),
    ("broadcast", "((b + X + r + s) * C).sum()", "plain"),
    ("broadcast", "((b - X - r - s) * C).sum()", "plain"),
    ("broadcast", "(b * X * r * s * C).sum()", "plain"),
    ("broadcast", "(b / X / r / s * C).sum()", "divisors"),
    ("broadcast", "(2.0 * X * C).sum()", "plain"),
    # The square product first: transposes in the wrong places still compute there, and give a
    # wrong product that the diagnosis recognises; on the non-square one they raise, or change a shape.
    ("broadcast", "(S @ T * E).sum()", "plain"),
    ("broadcast", "(A @ B * D).sum()", "plain"),
    ("kink", "(X.relu() * C).sum()", "kinked"),
    ("reuse", "(X * X * C).sum()", "plain"),
    ("reuse", "((X + X) * C).sum()", "plain"),
    ("reuse", "((X * b + b) * C).sum()", "plain"),
    ("diamond", "(((h := X.exp()).tanh().tanh() + h) * C).sum()", "plain"),
    ("diamond", "((h := (X * b).tanh()) * h.exp().exp() * C).sum()", "plain"),
)


@functools.cache
def probes() -> tuple[Program, ...]:
    """The probes, in the order `diagnose` runs them (stage by stage, see STAGES)."""
    source = torch.Generator().manual_seed(CHECK_SEED)
    scalars = {"x": torch.tensor(PROBE_X, dtype=DTYPE), "y": torch.tensor(PROBE_Y, dtype=DTYPE)}
    matrices = {"X": (BATCH, WIDTH), "b": (WIDTH,), "r": (1, WIDTH), "s": (), "A": (BATCH - 1, INNER)}
    matrices |= {"B": (INNER, WIDTH), "S": (BATCH, BATCH), "T": (BATCH, BATCH)}
    plain = {**scalars, **{name: _normal(shape, source) for name, shape in matrices.items()}}
    C = _normal((BATCH, WIDTH), source)
    constants = {"C": C, "D": C[1:], "E": C[:, 1:]}  # D for (A @ B), E for (S @ T)
    away = _away(_normal((BATCH, WIDTH), source), KINK_MARGIN)
    kinked = away.clone().reshape(-1)
    kinked[torch.randperm(kinked.numel(), generator=source)[:KINK_ZEROS]] = 0.0
    variants = {
        "plain": plain,
        "positive": {**plain, "X": LOG_FLOOR + torch.rand((BATCH, WIDTH), dtype=DTYPE, generator=source)},
        "away": {**plain, "X": away},
        "divisors": {name: _away(value, DIVISOR_FLOOR) for name, value in plain.items()},
        "kinked": {**plain, "X": kinked.reshape(BATCH, WIDTH)},
    }
    made = []
    for stage, expression, variant in PROBES:
        names = compile(expression, "<probe>", "eval").co_names
        inputs = {name: variants[variant][name] for name in names if name in plain}
        used = {name: constants[name] for name in names if name in constants}
        program = written(expression, inputs, used, stage=stage)
        operation = None if stage in ("chain", "diamond") else program.instructions[0].method()
        made.append(Program(program.name, program.inputs, program.instructions, stage, operation))
    return tuple(made)


# --------------------------------------------------------------------------- random compositions


@functools.cache
def compositions(count: int = COMPOSITIONS, seed: int = CHECK_SEED) -> tuple[Program, ...]:
    """`count` random programs, each built around one of FEATURES in turn (a bias added to a batch,
    a (1, n) row, a scalar, x * x, a diamond, a non-square matrix product, relu at exact zeros),
    then a few random operations, and ended by a sum or a mean. Deterministic for a given seed."""
    shapes = random.Random(seed)  # the programs' structure
    values = torch.Generator().manual_seed(seed)  # their inputs' values
    made = []
    for number in range(count):
        feature = FEATURES[number % len(FEATURES)]
        for _ in range(MAX_DRAWS):
            program = _draw(feature, shapes, values, f"program {number + 1}")
            if _well_conditioned(program):
                break
        else:  # pragma: no cover - the domains make every draw but a few acceptable
            raise RuntimeError(f"no well-conditioned {feature} program in {MAX_DRAWS} draws")
        made.append(program)
    return tuple(made)


def _well_conditioned(program: Program) -> bool:
    """Whether every input's gradient is finite, not all zero, and the same in float32 up to
    CONDITION_LIMIT (so that the program does not amplify roundings)."""
    wide, narrow = torch_gradients(program), torch_gradients(program, torch.float32)
    for g64, g32 in zip(wide, narrow, strict=True):
        scale = float(g64.abs().max()) if g64.numel() else 0.0
        if not bool(torch.isfinite(g64).all()) or scale == 0.0:
            return False
        if float((g32.double() - g64).abs().max()) > CONDITION_LIMIT * scale:
            return False
    return True


def _draw(feature: str, shapes: random.Random, values: torch.Generator, name: str) -> Program:
    batch, width = shapes.randint(*SIZES), shapes.randint(*SIZES)
    wanted = {"bias": "b", "row": "r", "scalar": "s", "matmul": "W"}.get(feature)
    others = shapes.sample(["b", "r", "s"], shapes.randint(0, EXTRAS))
    extra_shapes = {"b": (width,), "r": (1, width), "s": (), "W": (width, width + shapes.randint(*WIDER))}
    inputs = {"X": _normal((batch, width), values)}
    for extra in dict.fromkeys([wanted, *others]):
        if extra is not None:
            inputs[extra] = _normal(extra_shapes[extra], values)
    if feature == "kink":  # some elements exactly at relu's kink, which the program takes first
        flat = inputs["X"].reshape(-1)
        flat[torch.randperm(flat.numel(), generator=values)[: max(1, flat.numel() // KINK_SHARE)]] = 0.0
    tape = Tape(inputs)
    pool = tape.recorders()
    named = dict(zip(inputs, pool, strict=True))
    grow = _Grower(tape, pool, shapes, values)
    if feature == "kink":
        grow.keep(lambda: named["X"].relu())
    elif feature == "matmul":
        grow.keep(lambda: named["X"] @ named["W"])
    elif feature == "square":
        chosen = shapes.choice(pool)
        grow.keep(lambda: chosen * chosen)
    elif feature == "diamond":
        grow.diamond()
    else:
        grow.binary(named["X"], named[wanted])
    for _ in range(shapes.randint(*STEPS)):
        grow.step()
    grow.finish()
    return tape.program(name=name)


class _Grower:
    """Adds random operations to a tape, each only where its operands are in its domain."""

    def __init__(self, tape: Tape, pool: list[Recorder], shapes: random.Random, values: torch.Generator) -> None:
        self.tape, self.pool, self.shapes, self.values = tape, pool, shapes, values
        self.constants = 0

    def keep(self, operation) -> Recorder | None:
        """Note `operation()`, and keep it unless its result is too large or not finite."""
        made = operation()
        if not bool(torch.isfinite(made.value).all()) or float(made.value.abs().max()) > VALUE_CEILING:
            self.tape.undo()
            return None
        self.pool.append(made)
        return made

    def pick(self) -> Recorder:
        """A recent value mostly (a chain), sometimes any earlier one (a value used again)."""
        recent = self.pool[-RECENT:] if self.shapes.random() < RECENT_SHARE else self.pool
        return self.shapes.choice(recent)

    def unary(self, v: Recorder) -> Recorder | None:
        low, high, size = float(v.value.min()), float(v.value.max()), float(v.value.abs().min())
        options = [lambda: -v, lambda: v.tanh(), lambda: v**2]
        options += [lambda: v.exp()] if high <= EXP_CEILING else []
        options += [lambda: v.log(), lambda: v**0.5] if low >= LOG_FLOOR else []
        options += [lambda: v.relu()] if size >= KINK_MARGIN else []
        options += [lambda: v**3] if max(-low, high) <= CUBE_CEILING else []
        return self.keep(self.shapes.choice(options))

    def binary(self, left: Recorder, right: object) -> Recorder | None:
        if self.shapes.choice((False, True)):  # either operand on the left, equally often
            left, right = right, left
        divisor = right.value if isinstance(right, Recorder) else torch.as_tensor(right)
        ops = [operator.add, operator.sub, operator.mul]
        ops += [operator.truediv] if float(divisor.abs().min()) >= DIVISOR_FLOOR else []
        combine = self.shapes.choice(ops)
        return self.keep(lambda: combine(left, right))

    def partner(self, v: Recorder) -> object:
        """Another value whose shape broadcasts with v's, or a number, or a constant tensor."""
        chance = self.shapes.random()
        if chance < NUMBER_SHARE:
            return self.shapes.choice(NUMBERS)
        if chance < NUMBER_SHARE + CONSTANT_SHARE:
            self.constants, value = self.constants + 1, _normal(tuple(v.value.shape), self.values)
            self.tape.named[id(value)] = Constant(value, f"C{self.constants}")
            return value
        fits = [w for w in self.pool if _broadcasts(v.value.shape, w.value.shape)]
        return self.shapes.choice(fits)

    def step(self) -> None:
        v = self.pick()
        self.unary(v) if self.shapes.random() < UNARY_SHARE else self.binary(v, self.partner(v))

    def diamond(self) -> None:
        """h used twice: once directly, once after one or two more operations."""
        h = self.unary(self.pick()) or self.pool[-1]
        far = self.unary(h) or h
        if far is not h and self.shapes.choice((False, True)):
            far = self.unary(far) or far
        self.binary(far, h)

    def finish(self) -> None:
        """Every value no operation used is reduced into the last one, then a sum or a mean ends
        the program: all inputs are used and the output is a scalar."""
        used = {arg for i in self.tape.instructions for arg in i.args if isinstance(arg, int)}
        dangling = [v for v in self.pool if v.index not in used]
        last = dangling.pop()
        for v in dangling:
            last = last + getattr(v, self.shapes.choice(("sum", "mean")))()
        getattr(last, self.shapes.choice(("sum", "mean")))()


def _broadcasts(a: torch.Size, b: torch.Size) -> bool:
    return all(m == n or 1 in (m, n) for m, n in zip(reversed(a), reversed(b), strict=False))


# --------------------------------------------------------------------------- the deep chain and selections

# The deep chain: x multiplied by a number this many times, then summed. Far deeper than Python's
# default recursion limit (1000) and the limit a notebook's kernel sets (3000): a backward pass
# that walks the graph by recursion raises RecursionError on it. The factor keeps every value near
# 1 (1.0001 ** 5000 ≈ 1.65), and PyTorch multiplies the gradient by it in the same order.
DEEP_DEPTH, DEEP_FACTOR = 5000, 1.0001
DEEP_INPUT = (0.5, -1.25, 2.0)  # the chain's input x: a vector, so that the output is a sum


class _Written(Program):
    """A program too long to write out: its text (and each instruction's) is its name."""

    def text(self) -> str:
        return self.name

    def expression(self, step: int) -> str:
        return self.name


@functools.cache
def deep_chain(depth: int = DEEP_DEPTH) -> Program:
    """(x * f * f * … * f).sum(), `depth` products long (stage "deep")."""
    tape = Tape({"x": torch.tensor(DEEP_INPUT, dtype=DTYPE)})
    (value,) = tape.recorders()
    for _ in range(depth):
        value = value * DEEP_FACTOR
    value.sum()
    made = tape.program(stage="deep", name=f"(x * {DEEP_FACTOR} * … * {DEEP_FACTOR}).sum()")
    return _Written(made.name, made.inputs, made.instructions, "deep", "backward")


def uses(program: Program, operations: frozenset[str] | set[str]) -> bool:
    """Whether one of the program's instructions is one of `operations` (keys of BINARY or UNARY)."""
    return any(instruction.op in operations for instruction in program.instructions)


@functools.cache
def selected(operations: frozenset[str] | None = None, deep: bool = False) -> tuple[Program, ...]:
    """The probes, then the compositions, that use one of `operations` (all of them for None), in
    the order diagnose runs them; with `deep`, the deep chain before the compositions."""
    chosen = [p for p in probes() if operations is None or uses(p, operations)]
    chosen += [deep_chain()] if deep else []
    return (*chosen, *(p for p in compositions() if operations is None or uses(p, operations)))


__all__ = ["COMPOSITIONS", "DEEP_DEPTH", "DEEP_FACTOR", "FEATURES", "PROBES", "compositions", "deep_chain"]
__all__ += ["probes", "selected", "uses"]
