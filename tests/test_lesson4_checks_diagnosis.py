"""Lesson 4's diagnosis of a learner's engine, pinned at its edges: which status, headline, hint and
fields (operation, input, count, the engine's own gradient) a learner's engine gets for each kind of
mistake, on one or two hand-picked programs at a time, with the words in both languages.

Each test hands `diagnose` a small engine (a subclass of the reference `Value` that gets one thing
wrong, or a class built some other way) and the few programs that show the mistake, so that the
whole file runs in seconds."""

from __future__ import annotations

import numbers

import pytest
import torch

from autograd_lessons import exercises as machinery
from autograd_lessons import guard
from autograd_lessons.i18n import LANGUAGES
from autograd_lessons.lessons.own_autograd.engine import Value, unbroadcast
from autograd_lessons.lessons.own_autograd.instructions import written
from autograd_lessons.lessons.own_autograd.programs import compositions, diagnose, probes

F64 = torch.float64
EPS = torch.finfo(F64).eps


@pytest.fixture(autouse=True)
def fresh_hints(monkeypatch):
    monkeypatch.setattr(machinery, "_hints_shown", {})


PROBES = probes()


def probe(text: str, stage: str | None = None):
    """The probe whose program reads `text` (the first of `stage`, when given)."""
    return next(p for p in PROBES if p.text() == text and stage in (None, p.stage))


CHAIN = probe("((x * y).exp() * 3.0).tanh()")
ADD = probe("x + y")
MUL = probe("x * y")
SUM = probe("X.sum()")
TANH = probe("x.tanh()")
BROADCAST_EXP = probe("(X.exp() * C).sum()")
BROADCAST_ADD = probe("((b + X + r + s) * C).sum()")
SQUARE = probe("(S @ T * E).sum()")
NON_SQUARE = probe("(A @ B * D).sum()")
KINK = probe("(X.relu() * C).sum()", "kink")
REUSE = probe("(X * X * C).sum()")
COMPOSITION = next(p for p in compositions() if p.text() == "(X * r + X).tanh().sum()")


def keys(found) -> tuple[str, str | None]:
    return found.headline.key, None if found.hint is None else found.hint.key


def rendered(found) -> dict[str, str]:
    """The diagnosis in each language, as the learner reads it."""
    return {language: found.render(language) for language in LANGUAGES}


# --------------------------------------------------------------------------- engines


class NoUpstreamExp(Value):
    """exp's rule forgets the upstream gradient: right alone, wrong inside a chain."""

    def exp(self):
        e = self.data.exp()
        return self._result(e, (self,), "exp", lambda g: (e,))


class WrongTanh(Value):
    def tanh(self):
        t = self.data.tanh()
        return self._result(t, (self,), "tanh", lambda g: (g * (1 - t),))


class RaisingTanh(Value):
    def tanh(self):
        raise ValueError("no tanh here")


class NotReversed(Value):
    def topological_order(self):
        return super().topological_order()[::-1]


def _numbers_after_backward(engine):
    """`engine` whose values keep each one-element gradient as a Python float after backward()."""

    class Numbers(engine):
        def backward(self):
            super().backward()
            for value in self.topological_order():
                if isinstance(value.grad, torch.Tensor) and value.grad.numel() == 1:
                    value.grad = value.grad.item()

    return Numbers


class ScaledMatmul(Value):
    """The product's rule gives twice the right gradients: a wrong rule, not misplaced transposes."""

    def __matmul__(self, other):
        other = self._lift(other)
        a, b = self.data, other.data
        return self._result(a @ b, (self, other), "matmul", lambda g: (2 * (g @ b.T), 2 * (a.T @ g)))


class LazyGrad(Value):
    """Gradients start as None and are assigned the first contribution (no in-place sum, no dtype
    promotion)."""

    def __init__(self, *args, **named):
        super().__init__(*args, **named)
        self.grad = None

    def _accumulate(self, grad):
        grad = unbroadcast(grad, self.data.shape)
        self.grad = grad if self.grad is None else self.grad + grad


class SwappedTransposes(LazyGrad):
    """b receives gᵀ @ a instead of aᵀ @ g."""

    def __matmul__(self, other):
        other = self._lift(other)
        a, b = self.data, other.data
        return self._result(a @ b, (self, other), "matmul", lambda g: (g @ b.T, g.T @ a))


class SwappedFirstOperand(Value):
    """a receives gᵀ @ b instead of g @ bᵀ (same shape for square matrices)."""

    def __matmul__(self, other):
        other = self._lift(other)
        a, b = self.data, other.data
        return self._result(a @ b, (self, other), "matmul", lambda g: (g.T @ b, a.T @ g))


class SwappedAndRounding(Value):
    """b receives gᵀ @ a, rounded a few dozen ulps away: still the transposes' mistake."""

    def __matmul__(self, other):
        other = self._lift(other)
        a, b = self.data, other.data
        return self._result(a @ b, (self, other), "matmul", lambda g: (g @ b.T, (g.T @ a) * (1 + 16 * EPS)))


class Float32Matmul(LazyGrad):
    def __matmul__(self, other):
        other = self._lift(other)
        a, b = self.data, other.data
        return self._result(a @ b, (self, other), "matmul", lambda g: (g @ b.T, (a.T @ g).float()))


class SeedTwo(Value):
    def backward(self):
        order = self.topological_order()
        self.grad = 2 * torch.ones_like(self.data)
        for value in reversed(order):
            value._backward()


class SeedOfShapeOne(Value):
    """The initial gradient is ones of shape (1,) instead of (), and gradients keep its shape."""

    def _accumulate(self, grad):
        self.grad = self.grad + grad

    def backward(self):
        order = self.topological_order()
        self.grad = torch.ones(1, dtype=F64)
        for value in reversed(order):
            value._backward()


class SeedOfTwoElements(Value):
    def backward(self):
        order = self.topological_order()
        self.grad = torch.ones(2, dtype=F64)
        for value in reversed(order):
            value._backward()


class SeedTwoFloat32Operand(SeedTwo):
    """Seeded with 2, and the second operand's gradient kept in float32."""

    def backward(self):
        super().backward()
        second = self._prev[1]
        second.grad = second.grad.float()


class SeedTwoRounding(SeedTwo):
    """Seeded with 2, and + rounds its gradients 16 ulps away."""

    def __add__(self, other):
        other = self._lift(other)
        return self._result(self.data + other.data, (self, other), "add", lambda g: (g * (1 + 16 * EPS), g))


class ReluAtZeroRounding(Value):
    """relu's gradient is 1 at 0, and a few dozen ulps off elsewhere."""

    def relu(self):
        a = self.data
        rule = lambda g: (torch.where(a >= 0, g * (1 + 16 * EPS), 0.0),)  # noqa: E731
        return self._result(a.clamp(min=0), (self,), "relu", rule)


class MatrixExpRaises(Value):
    def exp(self):
        e = self.data.exp()

        def rule(g):
            if e.dim():
                raise ValueError("exp is for numbers only")
            return (g * e,)

        return self._result(e, (self,), "exp", rule)


class BackwardRaises(Value):
    def backward(self):
        raise RuntimeError("no backward today")


class GradRaises(Value):
    """Reading an input's gradient after backward() raises; the output's reads fine."""

    sealed = False

    @property
    def grad(self):
        if self.sealed and not self._prev:
            raise KeyError("grad is private")
        return self._grad

    @grad.setter
    def grad(self, value):
        self._grad = value

    def backward(self):
        super().backward()
        for value in self.topological_order():
            value.sealed = True


class OutputGradRaises(GradRaises):
    """Reading the output's own gradient after backward() raises; the inputs' read fine."""

    @property
    def grad(self):
        if self.sealed and self._prev:
            raise KeyError("the output keeps no grad")
        return self._grad

    @grad.setter
    def grad(self, value):
        self._grad = value


class OutputWithoutGrad(Value):
    def backward(self):
        super().backward()
        del self.grad


class NoNegativeInputs(Value):
    """Refuses to build a value from a tensor with a negative element."""

    def __init__(self, data, *rest, **named):
        if isinstance(data, torch.Tensor) and bool((data < 0).any()):
            raise ValueError("negative data")
        super().__init__(data, *rest, **named)


class Float32Grads(Value):
    def _accumulate(self, grad):
        super()._accumulate(grad)
        self.grad = self.grad.float()


class ListGrads(Value):
    def _accumulate(self, grad):
        super()._accumulate(grad)
        self.grad = self.grad.tolist()


class BoolGrads(Value):
    def backward(self):
        super().backward()
        for value in self.topological_order():
            value.grad = True


class NoSumToShape(Value):
    def _accumulate(self, grad):
        self.grad = self.grad + grad


class Unfloatable(numbers.Real):
    """A number the check cannot read as a float."""

    def __float__(self):
        raise OverflowError("too big to read")

    __abs__ = __add__ = __ceil__ = __eq__ = __floor__ = __floordiv__ = __le__ = __lt__ = __mod__ = None
    __mul__ = __neg__ = __pos__ = __pow__ = __radd__ = __rfloordiv__ = __rmod__ = __rmul__ = None
    __round__ = __rpow__ = __rtruediv__ = __truediv__ = __trunc__ = __hash__ = None


class UnreadableGrad(Value):
    def backward(self):
        super().backward()
        for value in self.topological_order():
            if not value._prev:
                value.grad = Unfloatable()


# --------------------------------------------------------------------------- right engines


class Float64Only(Value):
    """Refuses any tensor that is not float64, as a careful learner's engine may."""

    def __init__(self, data, *rest, **named):
        if isinstance(data, torch.Tensor) and data.dtype != F64:
            raise TypeError("float64 only")
        super().__init__(data, *rest, **named)


@pytest.mark.parametrize(
    "engine",
    [Float64Only, _numbers_after_backward(Value), OutputWithoutGrad],
    ids=["float64 only", "number gradients", "output without grad"],
)
def test_right_engines_of_other_habits_are_right_and_say_how_many_programs_ran(engine):
    """An engine that refuses float32, keeps one-element gradients as Python numbers or drops its
    output's own gradient is right: the check builds with float64 and reads numbers as gradients."""
    chosen = (ADD, MUL, TANH)
    found = diagnose(engine, chosen)
    assert (found.status, found.count, keys(found)) == ("right", 3, ("exercises.l4.right", None)), str(found)
    assert dict(found.headline.fields) == {"count": 3}
    assert "on all 3 programs" in found.render("en") and "3" in found.render("pt")


# --------------------------------------------------------------------------- engines the check cannot use


def test_a_value_that_is_not_a_class_is_unusable_in_both_languages():
    found = diagnose(42)
    assert found.status == "unusable"
    assert keys(found) == ("exercises.l4.headline.unusable", "exercises.l4.not_class")
    assert found.hint.fields["kind"].key == "exercises.kind.number"
    words = rendered(found)
    assert words["en"].startswith("the check cannot build a value") and "not a number." in words["en"]
    assert words["pt"] != words["en"]


class Maker:
    """A callable object (no __name__ of its own) whose every value raises."""

    def __call__(self, data):
        raise ValueError("cannot build")


def test_a_constructor_that_raises_is_named_by_its_type_when_it_has_no_name():
    found = diagnose(Maker())
    assert found.status == "unusable" and found.error == "ValueError: cannot build"
    assert keys(found) == ("exercises.l4.headline.unusable", "exercises.l4.constructor_raised")
    assert dict(found.hint.fields) == {"name": "Maker", "error": "ValueError: cannot build"}
    for words in rendered(found).values():
        assert "Maker(tensor)" in words and "ValueError: cannot build" in words


class MetaRaising(type):
    def __getattr__(cls, name):
        raise RuntimeError(f"no {name} in this engine")


class PartialEngine(metaclass=MetaRaising):
    """Knows only + and backward; looking up anything else on the class raises."""

    def __init__(self, data):
        self.data = data

    def __add__(self, other):
        return self

    def backward(self):
        pass


def test_methods_whose_lookup_raises_count_as_missing_and_every_missing_one_is_listed():
    chosen = (ADD, probe("x.log()"), probe("2.0 - x"))
    found = diagnose(PartialEngine, chosen)
    assert (found.status, found.operation) == ("missing", "log"), str(found)
    methods = "`log`, `__rsub__`"
    assert keys(found) == ("exercises.l4.headline.missing", "exercises.l4.missing")
    assert dict(found.headline.fields) == {"methods": methods}
    assert dict(found.hint.fields) == {
        "name": "PartialEngine",
        "method": "log",
        "example": "x.log()",
        "methods": methods,
    }
    for words in rendered(found).values():
        assert words.count(methods) == 2 and "PartialEngine" in words


# --------------------------------------------------------------------------- what stops the check


@pytest.mark.parametrize(
    "failure, headline, fields, hint, english",
    [
        (guard.Failure("timeout", limit=None), "exercises.timeout", {"seconds": "?"}, "exercises.timeout_hint", "?"),
        (guard.Failure("timeout", limit=2.5), "exercises.timeout", {"seconds": "2.5"}, "exercises.timeout_hint", "2.5"),
        (
            guard.Failure("memory", limit=1.5 * 2**20),
            "exercises.memory",
            {"limit": "1.5 MiB"},
            "exercises.memory_hint",
            "1.5 MiB",
        ),
        (guard.Failure("memory", limit=None), "exercises.memory_unlimited", {}, "exercises.memory_hint", "memory"),
        (guard.Failure("memory", limit=0), "exercises.memory_unlimited", {}, "exercises.memory_hint", "memory"),
    ],
    ids=["timeout without limit", "timeout", "memory", "memory without limit", "memory limit 0"],
)
def test_a_stopped_check_says_why_with_the_limit(monkeypatch, failure, headline, fields, hint, english):
    """What the guard reports (a time limit, an allocation refused) is the diagnosis, with its limit."""
    monkeypatch.setattr(guard, "run", lambda *args, **named: guard.Outcome(failure=failure))
    found = diagnose(Value, (ADD,))
    assert found.status == "stopped" and keys(found) == (headline, hint)
    assert dict(found.headline.fields) == fields
    words = rendered(found)
    assert english in words["en"] and words["pt"] != words["en"]


@pytest.mark.parametrize(
    "limit, words",
    [
        (float(2**30), {"en": "(1 GiB beyond", "pt": "(1 GiB além"}),  # the default headroom
        (1.5 * 2**30, {"en": "(1.5 GiB beyond", "pt": "(1,5 GiB além"}),
        (1.5 * 2**20, {"en": "(1.5 MiB beyond", "pt": "(1,5 MiB além"}),
    ],
)
def test_a_memory_stop_writes_its_headroom_as_the_exercises_do(monkeypatch, limit, words):
    """The headroom in GiB from 1 GiB up, with each language's decimal separator, as check()
    writes it (not "1.02e+03 MiB" for the default 1 GiB)."""
    failure = guard.Failure("memory", limit=limit)
    monkeypatch.setattr(guard, "run", lambda *args, **named: guard.Outcome(failure=failure))
    found = rendered(diagnose(Value, (ADD,)))
    for language, shown in words.items():
        assert shown in found[language], found[language]


def test_a_gradient_that_breaks_the_check_when_read_is_an_error_outside_the_rules():
    found = diagnose(UnreadableGrad, (ADD,))
    assert found.status == "raised", str(found)
    assert keys(found) == ("exercises.l4.headline.raised", "exercises.l4.raised_outside")
    assert dict(found.hint.fields) == {"error": "OverflowError: too big to read"}
    for words in rendered(found).values():
        assert "OverflowError: too big to read" in words


# --------------------------------------------------------------------------- which program, counted


def test_a_chain_that_fails_is_judged_after_relu_at_its_kink_at_the_first_later_stage():
    """A wrong chain whose gradients are not all zero waits for the operations: when every later
    probe up to relu's kink passes, the wrong order is named at the first program after the kink."""
    found = diagnose(NoUpstreamExp, (CHAIN, KINK, REUSE))
    assert (found.status, found.mistake, found.stage, found.count) == ("wrong", "order", "chain", 3), str(found)
    assert keys(found) == ("exercises.l4.headline.order_chain", "exercises.l4.mistake.order_chain")
    assert (found.program, found.input, found.operation) == (CHAIN.text(), "x", None)
    assert found.verdict.status == "false"
    for words in rendered(found).values():
        assert f"`{CHAIN.text()}`" in words


def test_a_chain_that_fails_last_is_named_as_the_order_after_every_program():
    found = diagnose(NoUpstreamExp, (ADD, CHAIN))
    assert (found.status, found.mistake, found.stage, found.count) == ("wrong", "order", "chain", 2), str(found)
    assert keys(found) == ("exercises.l4.headline.order_chain", "exercises.l4.mistake.order_chain")
    assert found.hint.fields["finding"].fields["input"] == "x"


def test_an_operation_wrong_on_its_own_after_a_failed_chain_is_named_with_the_programs_count():
    found = diagnose(NoUpstreamExp, (CHAIN, BROADCAST_EXP))
    assert (found.status, found.mistake, found.stage, found.count) == ("wrong", None, "broadcast", 2), str(found)
    assert (found.operation, found.input) == ("exp", "X")
    assert keys(found) == ("exercises.l4.headline.rule", "exercises.l4.rule")
    assert dict(found.headline.fields) == {"operation": "exp"}


def test_the_count_is_the_position_of_the_failing_program():
    found = diagnose(WrongTanh, (ADD, MUL, TANH))
    assert (found.status, found.operation, found.count) == ("wrong", "tanh", 3), str(found)


def test_a_chain_that_raises_waits_for_the_operation_that_raises_alone():
    found = diagnose(RaisingTanh, (CHAIN, TANH))
    assert (found.status, found.stage, found.operation, found.count) == ("raised", "single", "tanh", 2), str(found)
    assert found.error == "ValueError: no tanh here" and found.mistake is None


def test_a_chain_that_raises_and_nothing_after_it_fails_is_an_error_not_the_wrong_order():
    """An engine that raises only inside a composition is told where it raised, never that its
    backward pass runs the nodes in the wrong order."""
    found = diagnose(RaisingTanh, (CHAIN,))
    assert (found.status, found.stage, found.mistake, found.count) == ("raised", "chain", None, 1), str(found)
    assert found.error == "ValueError: no tanh here"
    assert keys(found)[0] == "exercises.l4.headline.raised"


def test_a_chain_whose_gradients_all_stay_zero_is_the_wrong_order_even_as_numbers():
    found = diagnose(_numbers_after_backward(NotReversed), (CHAIN,))
    assert (found.status, found.mistake, found.count) == ("wrong", "order", 1), str(found)
    assert keys(found) == ("exercises.l4.headline.order_chain", "exercises.l4.mistake.order_chain")


# --------------------------------------------------------------------------- the matrix product


@pytest.mark.parametrize("program", [SQUARE, NON_SQUARE], ids=["square", "non-square"])
def test_a_product_rule_off_by_a_factor_is_a_wrong_rule_not_transposes(program):
    found = diagnose(ScaledMatmul, (program,))
    assert (found.status, found.mistake, found.operation) == ("wrong", None, "__matmul__"), str(found)
    assert found.input == program.names[0]
    assert keys(found) == ("exercises.l4.headline.rule", "exercises.l4.rule")
    assert dict(found.headline.fields) == {"operation": "__matmul__"}


# The square product after another operation: its upstream gradient is register 3, not step 0's.
STEP_ONE = written(
    "(S.exp() + S @ T * E).sum()",
    dict(SQUARE.inputs),
    {"E": torch.linspace(-1.0, 2.0, 9, dtype=F64).reshape(3, 3)},
    stage="broadcast",
    operation="__matmul__",
)


@pytest.mark.parametrize(
    "engine, program, name",
    [
        (SwappedTransposes, NON_SQUARE, "B"),
        (SwappedTransposes, SQUARE, "T"),
        (SwappedTransposes, STEP_ONE, "T"),
        (SwappedFirstOperand, SQUARE, "S"),
        (SwappedAndRounding, SQUARE, "T"),
    ],
    ids=["transposed shape", "square", "product not first", "first operand", "rounding too"],
)
def test_misplaced_transposes_are_named_for_either_operand(engine, program, name):
    found = diagnose(engine, (program,))
    assert (found.status, found.mistake, found.input) == ("wrong", "transposes", name), str(found)
    assert keys(found) == ("exercises.l4.headline.transposes", "exercises.l4.mistake.transposes")
    for words in rendered(found).values():
        assert "out.grad @ b.T" in words


def test_a_transposed_gradient_keeps_the_engines_own_gradient():
    found = diagnose(SwappedTransposes, (NON_SQUARE,))
    assert found.actual.shape == (4, 3) and found.verdict is None
    assert "has shape (4, 3), but B has shape (3, 4)" in found.render("en")


def test_a_product_gradient_in_float32_is_a_form_error_not_transposes():
    found = diagnose(Float32Matmul, (NON_SQUARE,))
    assert (found.status, found.mistake, found.input) == ("wrong", None, "B"), str(found)
    assert keys(found) == ("exercises.l4.headline.form", "exercises.l4.form")


# --------------------------------------------------------------------------- the initial gradient


@pytest.mark.parametrize(
    "engine, program, start",
    [
        (SeedTwo, MUL, "2"),
        (_numbers_after_backward(SeedTwo), ADD, "2"),
        (SeedOfShapeOne, ADD, "[1]"),
        (SeedTwoRounding, ADD, "2"),
    ],
    ids=["times two", "as numbers", "ones of shape (1,)", "rounding too"],
)
def test_an_initial_gradient_other_than_ones_is_named_with_its_value(engine, program, start):
    found = diagnose(engine, (program,))
    assert (found.status, found.mistake, found.input, found.count) == ("wrong", "seed", "x", 1), str(found)
    assert keys(found) == ("exercises.l4.headline.seed", "exercises.l4.mistake.seed")
    assert found.hint.fields["start"] == start and found.hint.fields["shape"] == "()"
    english, portuguese = found.render("en"), found.render("pt")
    assert f"own gradient is {start}, not ones" in english and f"gradiente da própria saída é {start}" in portuguese


@pytest.mark.parametrize(
    "engine", [SeedTwoFloat32Operand, SeedOfTwoElements], ids=["one gradient in float32", "two-element seed"]
)
def test_an_initial_gradient_that_does_not_explain_every_gradient_is_a_wrong_rule(engine):
    found = diagnose(engine, (ADD,))
    assert (found.status, found.mistake, found.input, found.operation) == ("wrong", None, "x", "__add__"), str(found)
    assert keys(found) == ("exercises.l4.headline.rule", "exercises.l4.rule")


def test_the_diagnosis_renders_in_the_language_asked_for():
    found = diagnose(SeedTwo, (MUL,))
    for language in LANGUAGES:
        assert found.render(language) == f"{found.headline.render(language)} {found.hint.render(language)}"
    assert found.render("pt") != found.render("en") and "gradiente" in found.render("pt")
    assert str(found) == found.render("en")


# --------------------------------------------------------------------------- broadcast and relu's kink


def test_an_error_in_a_broadcast_probe_that_is_not_about_shapes_is_an_error_not_unbroadcast():
    found = diagnose(MatrixExpRaises, (BROADCAST_EXP,))
    assert (found.status, found.mistake, found.operation, found.input) == ("raised", None, "exp", None), str(found)
    assert found.error == "ValueError: exp is for numbers only"


def test_a_gradient_of_the_broadcast_shape_keeps_the_engines_own_gradient():
    found = diagnose(NoSumToShape, (BROADCAST_ADD,))
    assert (found.mistake, found.input) == ("unbroadcast", "b"), str(found)
    assert found.actual.shape == (3, 4) and found.actual.dtype == F64


def test_relu_wrong_only_at_0_is_the_kink_even_when_it_rounds_elsewhere():
    found = diagnose(ReluAtZeroRounding, (KINK,))
    assert (found.status, found.mistake, found.input) == ("wrong", "relu_kink", "X"), str(found)
    assert keys(found) == ("exercises.l4.headline.relu_kink", "exercises.l4.mistake.relu_kink")


# --------------------------------------------------------------------------- errors, and where


@pytest.mark.parametrize(
    "engine, operation, input_, english, portuguese",
    [
        (RaisingTanh, "tanh", None, "the forward pass, at `(X * r + X).tanh()`", "`(X * r + X).tanh()`"),
        (BackwardRaises, "backward", None, "in the backward pass, your engine raised", "RuntimeError"),
        (GradRaises, "grad", "X", "in reading X.grad after the backward pass", "X.grad"),
        (NoNegativeInputs, "__init__", "X", "in building the input X, your engine raised", " X"),
    ],
    ids=["forward", "backward", "grad", "input"],
)
def test_an_error_in_a_program_names_where_it_happened(engine, operation, input_, english, portuguese):
    found = diagnose(engine, (COMPOSITION,))
    assert (found.status, found.mistake, found.stage) == ("raised", None, "program"), str(found)
    assert (found.operation, found.input) == (operation, input_)
    assert keys(found) == ("exercises.l4.headline.raised", "exercises.l4.raised")
    assert found.hint.fields["operation"] == operation
    assert found.error and found.error in found.render("en")
    words = rendered(found)
    assert english in words["en"] and f"`{operation}`" in words["en"]
    assert portuguese in words["pt"] and f"`{operation}`" in words["pt"]


def test_an_output_gradient_that_raises_when_read_is_an_error_of_the_probed_operation():
    found = diagnose(OutputGradRaises, (ADD,))
    assert (found.status, found.operation, found.input) == ("raised", "__add__", None), str(found)
    assert found.error == "KeyError: 'the output keeps no grad'"
    words = rendered(found)
    assert "in reading the output's .grad after the backward pass, your engine raised KeyError" in words["en"]
    assert "durante a leitura do .grad da saída depois da retropropagação" in words["pt"]


# --------------------------------------------------------------------------- the form of a gradient


def test_a_float32_gradient_is_a_form_error_that_keeps_the_gradient():
    found = diagnose(Float32Grads, (ADD,))
    assert (found.status, found.mistake, found.input, found.count) == ("wrong", None, "x", 1), str(found)
    assert (found.program, found.stage, found.operation) == ("x + y", "single", "__add__")
    assert keys(found) == ("exercises.l4.headline.form", "exercises.l4.form")
    assert found.actual.dtype == torch.float32 and found.actual.item() == 1.0
    assert found.hint.fields["finding"].fields["dtype"] == "float32"
    for words in rendered(found).values():
        assert "x.grad" in words and "float32" in words


@pytest.mark.parametrize(
    "engine, program, name, kind, english",
    [
        (ListGrads, SUM, "X", "exercises.kind.list", "X.grad is a list of 3 items, not a tensor"),
        (BoolGrads, ADD, "x", "exercises.kind.bool", "x.grad is a truth value (True or False), not a tensor"),
    ],
    ids=["list", "bool"],
)
def test_a_gradient_that_is_not_a_tensor_is_a_form_error_naming_what_it_is(engine, program, name, kind, english):
    found = diagnose(engine, (program,))
    assert (found.status, found.input, found.actual) == ("wrong", name, None), str(found)
    assert keys(found) == ("exercises.l4.headline.form", "exercises.l4.form")
    assert found.hint.fields["finding"].fields["kind"].key == kind
    assert english in found.render("en") and f"{name}.grad" in found.render("pt")


# --------------------------------------------------------------------------- rules and programs


def test_a_wrong_rule_names_its_operation_in_both_languages():
    found = diagnose(WrongTanh, (TANH,))
    assert dict(found.headline.fields) == {"operation": "tanh"}
    for words in rendered(found).values():
        assert words.count("`tanh`") == 2


def test_a_program_wrong_after_every_probe_names_the_program():
    found = diagnose(WrongTanh, (COMPOSITION,))
    assert (found.status, found.stage, found.mistake, found.operation) == ("wrong", "program", None, None)
    assert keys(found) == ("exercises.l4.headline.program", "exercises.l4.program")
    assert found.hint.fields["finding"].key == "exercises.l4.finding.values"
    for words in rendered(found).values():
        assert f"`{COMPOSITION.text()}`" in words
