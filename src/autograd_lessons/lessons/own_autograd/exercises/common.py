"""What every checker of lesson 4 shares: the starter engines, plugging the learner's methods into the
reference, and turning a diagnosis into feedback.

Each exercise asks for a few methods of the engine. Its starter (`Value1` … `Value5`, `Dual6`) is the
reference engine with those methods replaced by placeholders that raise; the learner subclasses it
and writes them. The checker then judges only that piece: `plugged` builds a class in which the
exercise's methods are the learner's and every other method of the reference is the reference's,
whatever else the learner overrode, and tells the learner which of the exercise's methods is still
to write. A class written from scratch, not derived from the reference, is judged whole.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

import torch

from autograd_lessons.exercises import FormError, Wrong, call, kind_text
from autograd_lessons.i18n import message
from autograd_lessons.lessons.own_autograd import programs
from autograd_lessons.lessons.own_autograd.engine import Dual, Value
from autograd_lessons.lessons.own_autograd.instructions import Constant, Instruction, Program
from autograd_lessons.lessons.own_autograd.programs import GRADIENT_ULPS, torch_gradients
from autograd_lessons.verdicts import compare

TO_WRITE = "_to_write"  # the attribute that marks a starter's placeholder: the exercise's number


@dataclass(frozen=True)
class Piece:
    """The piece of the engine exercise `number` asks for: the methods the learner must write
    (`written`), the ones taken from the learner if written (`owned`: `written` and its helpers), the
    operations of the programs that try them (`operations`, None for all) and whether the deep chain
    runs (`deep`)."""

    number: int
    reference: type
    written: tuple[str, ...]
    owned: tuple[str, ...]
    operations: frozenset[str] | None
    deep: bool = False

    def programs(self) -> tuple[Program, ...]:
        return programs.selected(self.operations, self.deep)


def _placeholder(number: int, method: str):
    def placeholder(self, *args: object) -> object:
        raise NotImplementedError(message("exercises.l4.to_write_error", method=method, number=number))

    placeholder.__name__ = placeholder.__qualname__ = method
    setattr(placeholder, TO_WRITE, number)
    return placeholder


def aliases(piece: Piece) -> dict[str, str]:
    """The reference's other names for the piece's owned methods (its __rmul__ is its __mul__): name → owned."""
    defined = vars(piece.reference)
    return {
        name: owned
        for name, value in defined.items()
        for owned in piece.owned
        if name != owned and inspect.isfunction(value) and value is defined.get(owned)
    }


def starter(piece: Piece) -> type:
    """The reference engine of `piece` with its owned methods (and their aliases) replaced by
    placeholders that raise."""
    name = f"{piece.reference.__name__}{piece.number}"
    # an alias (__rmul__) names the method the learner writes (__mul__), which it stands for
    names = {**{method: method for method in piece.owned}, **aliases(piece)}
    methods = {name: _placeholder(piece.number, owned) for name, owned in names.items()}
    doc = f"{piece.reference.__name__} without {', '.join(piece.owned)}: exercise {piece.number} writes them."
    return type(name, (piece.reference,), {**methods, "__doc__": doc, "__module__": __name__})


def _definition(kind: type, method: str) -> tuple[type, object] | None:
    """The class of `kind`'s MRO that defines `method`, and its definition."""
    for klass in kind.__mro__:
        if method in vars(klass):
            return klass, vars(klass)[method]
    return None


def _written_by_learner(kind: type, method: str, reference: type) -> bool:
    found = _definition(kind, method)
    return found is not None and found[0] is not reference and not hasattr(found[1], TO_WRITE)


def plugged(answer: object, piece: Piece) -> type:
    """The class the checker judges: for a subclass of the reference, the learner's methods of
    `piece` plugged into the reference; for a class of the learner's own, the class itself.
    FormError when `answer` is not a class; Wrong when one of the methods is still to write."""
    if not isinstance(answer, type):
        raise FormError("exercises.l4.form.not_class", kind=kind_text(answer))
    if not call(issubclass, answer, piece.reference):
        return answer
    missing = [method for method in piece.written if not call(_written_by_learner, answer, method, piece.reference)]
    if missing:
        methods = ", ".join(f"`{method}`" for method in missing)
        name = str(answer.__name__)
        raise Wrong("exercises.l4.to_write", "exercises.l4.headline.to_write", methods=methods, name=name)
    renamed = aliases(piece)
    restored = {
        name: value
        for name, value in vars(piece.reference).items()
        if inspect.isfunction(value) and name not in piece.owned and name not in renamed
    }
    restored |= {name: call(_definition, answer, owned)[1] for name, owned in renamed.items()}
    return call(type, answer.__name__, (answer,), {**restored, "__module__": answer.__module__})


# --------------------------------------------------------------------------- feedback from a diagnosis


def diagnosis_wrong(found: programs.Diagnosis) -> Wrong:
    """The Wrong that words a diagnosis as the check's feedback: its headline and hint, with their fields."""
    fields = dict(found.headline.fields) | (dict(found.hint.fields) if found.hint is not None else {})
    hint = found.hint.key if found.hint is not None else found.headline.key
    return Wrong(hint, found.headline.key, **fields)


def probe_named(text: str | None) -> Program | None:
    """The program (a probe, the deep chain or a composition) whose text is `text`."""
    return next((p for p in programs.selected(None, deep=True) if p.text() == text), None)


def with_ones(program: Program) -> Program:
    """The program with each constant tensor replaced by ones: an operation's result then receives
    a gradient of ones, what a rule that forgets the gradient of its result behaves as if it had."""
    instructions = [
        Instruction(
            i.op,
            tuple(
                Constant(torch.ones_like(a.value), a.name) if isinstance(a, Constant) and a.name else a for a in i.args
            ),
        )
        for i in program.instructions
    ]
    return Program(program.name, program.inputs, tuple(instructions), program.stage, program.operation)


def matches(actual: torch.Tensor | None, candidate: object) -> bool:
    """Whether the learner's gradient is `candidate` (a number or a tensor), up to the checks' rounding."""
    if actual is None:
        return False
    candidate = torch.as_tensor(candidate, dtype=programs.DTYPE).expand(actual.shape)
    return compare(actual, candidate, tolerance=GRADIENT_ULPS).status != "false"


def upstream_forgotten(found: programs.Diagnosis) -> bool:
    """A broadcast probe of one unary operation (or a power) whose gradient is what the rule gives
    without the gradient of its result: the local derivative alone."""
    program = probe_named(found.program)
    if program is None or program.stage != "broadcast" or program.instructions[0].op not in UNARY_RULES:
        return False
    names = program.names
    return found.input in names and matches(found.actual, torch_gradients(with_ones(program))[names.index(found.input)])


UNARY_RULES = frozenset({"neg", "pow", "exp", "log", "tanh", "relu"})  # operations with one value operand


def slip_of(found: programs.Diagnosis, slips: tuple) -> str | None:
    """The slip a wrong probe of one operation shows: `slips` holds (the slip, the probe's text,
    the input, the gradient the slip gives it as a function of the probe's inputs' values)."""
    program = probe_named(found.program)
    if program is None or found.status != "wrong" or found.mistake is not None:
        return None
    values = dict(program.inputs)
    for slip, text, input_, gradient in slips:
        if text == found.program and input_ == found.input and matches(found.actual, gradient(**values)):
            return slip
    return None


def judged(piece: Piece, engine: type, slips: tuple = (), own=None) -> None:
    """Diagnose `engine` on the piece's programs; Wrong with the diagnosis's words, or with a slip's
    own hint (`exercises.l4.<n>.slip.<slip>`, or the shared one for a forgotten upstream gradient).
    `own(diagnosis)` may word a wrong diagnosis first: the Wrong it returns is raised."""
    found = programs.diagnose(engine, piece.programs())
    if found.right:
        return
    worded = own(found) if own is not None else None
    if worded is not None:
        raise worded
    slip = slip_of(found, slips)
    finding = found.hint.fields.get("finding") if found.hint is not None else None
    fields = {"finding": finding, "operation": found.operation}
    if slip is not None:
        raise Wrong(f"exercises.l4.{piece.number}.slip.{slip}", "exercises.l4.headline.rule", **fields)
    if found.status == "wrong" and found.mistake is None and upstream_forgotten(found):
        raise Wrong("exercises.l4.slip.upstream", "exercises.l4.headline.rule", **fields)
    raise diagnosis_wrong(found)


__all__ = ["TO_WRITE", "Piece", "diagnosis_wrong", "judged", "matches", "plugged", "probe_named", "starter"]
__all__ += ["Dual", "Value", "slip_of", "upstream_forgotten", "with_ones"]
