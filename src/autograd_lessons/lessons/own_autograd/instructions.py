"""Lesson 4's programs as data: what the checks run on a learner's engine and on PyTorch.

A program is named float64 inputs and instructions, each an operation on inputs, earlier results,
Python numbers or constant tensors, the last one a sum or a mean. `replay` runs it on any engine
built like the reference (`Cls(tensor)`, its operators, `.exp()` …, `.backward()`, `.grad`),
`torch_gradients` on PyTorch's autograd in float64 and `torch_jvp` on torch.func.jvp. Programs are
Python run once on recorders that note each operation (`Tape`, `written`); which programs the
checks run is `generation`'s business, and judging an engine on them `programs`'.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass

import torch

from autograd_lessons.exercises import LearnerRaised, call
from autograd_lessons.quirks import load_forward_mode

# torch_jvp (exercise 6's checker) and the lesson's § 8 use forward mode: keep its import warning out of outputs.
load_forward_mode()

CHECK_SEED = 4  # the seed of every private generator: the same programs, and feedback, at every run
DTYPE = torch.float64  # the dtype of the inputs, of PyTorch's gradients and of the gradients expected

# Probes, in the order diagnose runs them. "single": each operation alone on scalars (or sum and
# mean on a matrix), its result the output: the order of the backward pass cannot matter.
# "chain": operations one after another. "broadcast": each operation on matrices and broadcast
# operands, its result multiplied by a constant so that its upstream gradient is not all ones.
# "kink": relu at exact zeros. "reuse": an input used twice. "diamond": an intermediate value used
# twice, its two users at different depths. Then the compositions ("program").
# "deep": one chain far longer than Python's recursion limit (see generation.deep_chain).
STAGES = ("single", "chain", "broadcast", "kink", "reuse", "diamond", "deep", "program")

# An operator's methods: when the engine's value is on its left, and when a number or tensor is.
BINARY = {
    "add": ("__add__", "__radd__", "+"),
    "sub": ("__sub__", "__rsub__", "-"),
    "mul": ("__mul__", "__rmul__", "*"),
    "div": ("__truediv__", "__rtruediv__", "/"),
    "matmul": ("__matmul__", "__rmatmul__", "@"),
    "pow": ("__pow__", "__rpow__", "**"),
}
UNARY = {"neg": "__neg__", "exp": "exp", "log": "log", "tanh": "tanh", "relu": "relu", "sum": "sum", "mean": "mean"}
FUNCTIONS = {op: getattr(operator, "truediv" if op == "div" else op) for op in (*BINARY, "neg")}
FUNCTIONS |= {op: operator.methodcaller(op) for op in UNARY if op != "neg"}
# Python's precedence levels, loosest first, to write a program's text with the parentheses it needs.
_SUM, _PRODUCT, _UNARY, _POWER, _ATOM = range(5)
_LEVELS = {"add": _SUM, "sub": _SUM, "mul": _PRODUCT, "div": _PRODUCT, "matmul": _PRODUCT, "pow": _POWER}


# --------------------------------------------------------------------------- programs as data


@dataclass(frozen=True, eq=False)
class Constant:
    """A Python number or a constant tensor (with its name in the program's text) as an operand."""

    value: float | torch.Tensor
    name: str | None = None

    def fresh(self) -> float | torch.Tensor:
        """A copy to hand to an engine, so that nothing it does changes the program."""
        return self.value.clone() if isinstance(self.value, torch.Tensor) else self.value

    @property
    def text(self) -> str:
        return self.name if self.name is not None else repr(self.value)


@dataclass(frozen=True, eq=False)
class Instruction:
    """One operation (a key of BINARY or UNARY); `args` are register numbers (the inputs first, then
    each instruction's result) or Constants."""

    op: str
    args: tuple[int | Constant, ...]

    def method(self) -> str:
        """The engine's method this instruction calls: __radd__ when a constant is on the left."""
        if self.op in UNARY:
            return UNARY[self.op]
        return BINARY[self.op][1 if isinstance(self.args[0], Constant) else 0]


@dataclass(frozen=True, eq=False)
class Program:
    """Named inputs and instructions; the last instruction's result is the scalar output.

    `stage` is one of STAGES; a probe names the `operation` (an engine method) it tries."""

    name: str
    inputs: tuple[tuple[str, torch.Tensor], ...]
    instructions: tuple[Instruction, ...]
    stage: str = "program"
    operation: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.inputs)

    def methods(self) -> tuple[str, ...]:
        """The engine methods the program calls, in order of first use, backward last."""
        return (*dict.fromkeys(instruction.method() for instruction in self.instructions), "backward")

    def _expressions(self, share: bool = True) -> tuple[list[str], list[str]]:
        """Each register's expression and, with `share`, the statements that name the intermediate
        values used twice (their expressions are then the names)."""
        uses = [0] * (len(self.inputs) + len(self.instructions))
        for instruction in self.instructions:
            for arg in instruction.args:
                if isinstance(arg, int):
                    uses[arg] += 1
        written: list[tuple[str, int]] = [(name, _ATOM) for name in self.names]
        lines = []
        for instruction in self.instructions:
            expression = _written(instruction, written)
            if share and uses[len(written)] > 1:
                name = f"h{len(lines) + 1}"
                lines.append(f"{name} = {expression[0]}")
                expression = (name, _ATOM)
            written.append(expression)
        return [words for words, _ in written], lines

    def text(self) -> str:
        """The program as Python: one expression, or statements (`h1 = …; out = …`) when an
        intermediate value is used twice."""
        expressions, lines = self._expressions()
        return "; ".join([*lines, f"out = {expressions[-1]}"]) if lines else expressions[-1]

    def expression(self, step: int) -> str:
        """What instruction `step` computes, as one Python expression."""
        return self._expressions(share=False)[0][len(self.inputs) + step]


def _wrapped(expression: tuple[str, int], least: int) -> str:
    words, level = expression
    return words if level >= least else f"({words})"


def _written(instruction: Instruction, written: list[tuple[str, int]]) -> tuple[str, int]:
    """An instruction as a Python expression with its precedence level."""
    operands = []
    for arg in instruction.args:
        if isinstance(arg, int):
            operands.append(written[arg])
        else:
            number = not isinstance(arg.value, torch.Tensor)
            operands.append((arg.text, _UNARY if number and arg.value < 0 else _ATOM))
    op = instruction.op
    if op == "neg":
        return f"-{_wrapped(operands[0], _UNARY)}", _UNARY
    if op in UNARY:
        return f"{_wrapped(operands[0], _ATOM)}.{op}()", _ATOM
    level, symbol = _LEVELS[op], BINARY[op][2]
    if op == "pow":
        return f"{_wrapped(operands[0], _ATOM)} ** {_wrapped(operands[1], _UNARY)}", _POWER
    return f"{_wrapped(operands[0], level)} {symbol} {_wrapped(operands[1], level + 1)}", level


def _noting(op: str, reflected: bool = False):
    """A Recorder method that notes `op` (with its operands swapped for a reflected operator)."""

    def method(self: Recorder, *other: object) -> Recorder:
        return self.tape.note(op, (*other, self) if reflected else (self, *other))

    return method


class Recorder:
    """Stands in for an engine value while a program is written: each operation notes an
    Instruction on its tape and computes the float64 result, whose values the generator reads."""

    def __init__(self, tape: Tape, index: int, value: torch.Tensor) -> None:
        self.tape, self.index, self.value = tape, index, value

    __add__, __radd__ = _noting("add"), _noting("add", reflected=True)
    __sub__, __rsub__ = _noting("sub"), _noting("sub", reflected=True)
    __mul__, __rmul__ = _noting("mul"), _noting("mul", reflected=True)
    __truediv__, __rtruediv__ = _noting("div"), _noting("div", reflected=True)
    __matmul__, __pow__, __neg__ = _noting("matmul"), _noting("pow"), _noting("neg")
    exp, log, tanh, relu = _noting("exp"), _noting("log"), _noting("tanh"), _noting("relu")
    sum, mean = _noting("sum"), _noting("mean")


class Tape:
    """The instructions noted so far for a program with the given named inputs; `constants` are
    the named constant tensors it may use (shown by name in its text)."""

    def __init__(self, inputs: dict[str, torch.Tensor], constants: dict[str, torch.Tensor] | None = None) -> None:
        self.inputs = tuple((name, value.to(DTYPE)) for name, value in inputs.items())
        self.values = [value for _, value in self.inputs]
        self.instructions: list[Instruction] = []
        self.named = {id(value): Constant(value, name) for name, value in (constants or {}).items()}

    def recorders(self) -> list[Recorder]:
        return [Recorder(self, index, value) for index, value in enumerate(self.values)]

    def note(self, op: str, operands: tuple[object, ...]) -> Recorder:
        args, values = [], []
        for operand in operands:
            if isinstance(operand, Recorder):
                args.append(operand.index)
            elif isinstance(operand, torch.Tensor):
                args.append(self.named.get(id(operand)) or Constant(operand))
            else:  # a Python number: exponents stay as given (2, not 2.0), other numbers are floats
                args.append(Constant(operand if op == "pow" else float(operand)))
            values.append(operand.value if isinstance(operand, Recorder) else args[-1].value)
        self.instructions.append(Instruction(op, tuple(args)))
        self.values.append(FUNCTIONS[op](*values))
        return Recorder(self, len(self.values) - 1, self.values[-1])

    def undo(self) -> None:
        """Forget the last instruction (the generator tried an operation and did not keep it)."""
        self.instructions.pop()
        self.values.pop()

    def program(self, stage: str = "program", operation: str | None = None, name: str | None = None) -> Program:
        made = Program("", self.inputs, tuple(self.instructions), stage, operation)
        return Program(name or made.text(), made.inputs, made.instructions, stage, operation)


def written(expression: str, inputs: dict[str, torch.Tensor], constants: dict[str, torch.Tensor], **kind) -> Program:
    """The Program a Python `expression` computes (an assignment expression names a value used
    twice), noted by evaluating it once on recorders: `inputs` are its named float64 inputs,
    `constants` the named tensors it uses as constants; `kind` gives the Program's stage and operation."""
    constants = {name: value.to(DTYPE) for name, value in constants.items()}
    tape = Tape(inputs, constants)
    eval(expression, {"__builtins__": {}}, {**dict(zip(inputs, tape.recorders(), strict=True)), **constants})
    return tape.program(**kind)


# --------------------------------------------------------------------------- replaying


class EngineRaised(Exception):
    """The engine raised, in `phase` "input" (building input `input`), "forward" (running
    instruction `step`), "backward" or "grad" (reading `input`'s gradient)."""

    def __init__(self, phase: str, kind: str, detail: str, step: int | None = None, input: str | None = None) -> None:
        super().__init__(kind)
        self.phase, self.kind, self.detail, self.step, self.input = phase, kind, detail, step, input
        self.text = LearnerRaised(kind, detail).text  # "Kind: detail", as a clause for a sentence


def attempt(phase: str, function, *args: object, step: int | None = None, input: str | None = None) -> object:
    """`call(function, *args)`, with what the engine raises as an EngineRaised in `phase`."""
    try:
        return call(function, *args)
    except LearnerRaised as raised:
        raise EngineRaised(phase, raised.kind, raised.detail, step=step, input=input) from None


def replay(program: Program, make) -> tuple[object, list[object]]:
    """Run `program` on values made by `make(tensor)` (an engine's class): the output and the
    input values. What the engine raises becomes EngineRaised; the guard's own stops go through."""
    registers = [attempt("input", make, value.clone(), input=name) for name, value in program.inputs]
    inputs = list(registers)
    for step, instruction in enumerate(program.instructions):
        args = [registers[arg] if isinstance(arg, int) else arg.fresh() for arg in instruction.args]
        registers.append(attempt("forward", FUNCTIONS[instruction.op], *args, step=step))
    return registers[-1], inputs


def torch_registers(program: Program, dtype: torch.dtype) -> list[torch.Tensor]:
    """The program run on PyTorch tensors in `dtype`: its inputs (leaves that require grad), then
    every instruction's result."""
    registers = [value.to(dtype).clone().requires_grad_(True) for _, value in program.inputs]
    for instruction in program.instructions:
        args = [registers[a] if isinstance(a, int) else a.fresh() for a in instruction.args]
        args = [a.to(dtype) if isinstance(a, torch.Tensor) else a for a in args]  # a constant in `dtype`
        registers.append(FUNCTIONS[instruction.op](*args))
    return registers


def torch_gradients(program: Program, dtype: torch.dtype = DTYPE, register: int | None = None) -> tuple:
    """PyTorch's gradients of the program's output with respect to each input, in `dtype` (zeros for
    an input the output does not depend on); with `register=k`, the gradient of register k instead."""
    with torch.enable_grad():
        registers = torch_registers(program, dtype)
        wrt = registers[: len(program.inputs)] if register is None else [registers[register]]
        grads = torch.autograd.grad(registers[-1], wrt, allow_unused=True)
    return tuple(torch.zeros_like(x) if g is None else g for g, x in zip(grads, wrt, strict=True))


def torch_function(program: Program):
    """The program as a function of its inputs' tensors, run on PyTorch (for torch.func)."""

    def function(*tensors: torch.Tensor) -> torch.Tensor:
        registers = list(tensors)
        for instruction in program.instructions:
            args = [registers[a] if isinstance(a, int) else a.fresh() for a in instruction.args]
            registers.append(FUNCTIONS[instruction.op](*args))
        return registers[-1]

    return function


def torch_jvp(program: Program, tangents: tuple[torch.Tensor, ...]) -> tuple[torch.Tensor, torch.Tensor]:
    """torch.func.jvp of the program at its inputs along `tangents`: (output, its tangent)."""
    inputs = tuple(value.clone() for _, value in program.inputs)
    return torch.func.jvp(torch_function(program), inputs, tuple(t.clone() for t in tangents))


__all__ = ["BINARY", "CHECK_SEED", "DTYPE", "STAGES", "UNARY", "Constant", "EngineRaised", "Instruction", "Program"]
__all__ += ["FUNCTIONS", "Recorder", "Tape", "attempt", "replay", "torch_function", "torch_gradients", "torch_jvp"]
__all__ += ["torch_registers", "written"]
