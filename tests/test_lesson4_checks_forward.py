"""Lesson 4, exercise 6 (forward mode with dual numbers): these tests pin the checker's feedback at the
edges. Each kind of wrong dual gets exactly its headline key, its hint key and its fields (the program,
the operation, the finding with the numbers the learner reads), rendered in both languages: a wrong
value, a named slip of a tangent rule (also a few ulps off the slip), a tangent rule that only a
combined program shows, a value or tangent that is not a float64 tensor of the output's shape, and an
engine that raises while building an input or running an operation. A Python number for a scalar
output's tangent is accepted."""

from __future__ import annotations

import pytest
import torch

from autograd_lessons import exercises as machinery
from autograd_lessons import set_language
from autograd_lessons.lessons.own_autograd.engine import Dual
from test_lesson4_exercises import (
    as_answer,
    dual_div_sign,
    dual_matmul_one_term,
    dual_mul_one_term,
    dual_tanh_not_squared,
    judge,
    reference,
)

LANGUAGES = ("en", "pt")


@pytest.fixture(autouse=True)
def fresh_hints(monkeypatch):
    monkeypatch.setattr(machinery, "_hints_shown", {})
    yield
    set_language("en")


def rendered(feedback):
    """The feedback as the learner reads it, in each language."""
    shown = {}
    for language in LANGUAGES:
        set_language(language)
        shown[language] = str(feedback)
    set_language("en")
    return shown


def judged(**methods):
    """The checker's feedback on the reference dual with `methods` changed."""
    return judge(6, as_answer(6, reference(6, **methods)))


# --- learners' duals ---------------------------------------------------------------------------


def mul_value_and_tangent_swapped(self, other):
    """The value is the first term of the product rule, the tangent the product."""
    other = self._lift(other)
    return type(self)(self.tangent * other.value, self.value * other.value)


def mul_forgets_a_number_scales_the_tangent(self, other):
    if not isinstance(other, Dual):
        return type(self)(self.value * other, torch.zeros_like(self.tangent))
    return vars(Dual)["__mul__"](self, other)


def mul_drops_a_rising_operand(self, other):
    """Right on the probes, but leaves out the other operand's term when its tangent is positive,
    as it is in the chain program's draw (and not in the probe `x * y`'s)."""
    other = self._lift(other)
    if bool((other.tangent > 0).any()):
        return type(self)(self.value * other.value, self.tangent * other.value)
    return vars(Dual)["__mul__"](self, other)


def exp_tangent_not_multiplied(self):
    return type(self)(self.value.exp(), self.tangent)


def tanh_not_squared_by(factor):
    """tanh's tangent with the slip (1 - t) for (1 - t²), off by the relative `factor` - 1."""

    def tanh(self):
        t = self.value.tanh()
        return type(self)(t, (1 - t) * self.tangent * factor)

    return tanh


def mul_returns_the_bare_tensor(self, other):
    other = self._lift(other)
    return self.value * other.value


def mul_with(change, **values):
    """The right product, its tangent passed through `change` (and its value set, if given)."""

    def mul(self, other):
        out = vars(Dual)["__mul__"](self, other)
        out.tangent = change(out.tangent)
        if "value" in values:
            out.value = values["value"]
        return out

    return mul


def tanh_raises(self):
    raise ValueError("no tanh today")


def init_raises(self, value, tangent):
    raise RuntimeError("no duals today")


# --- a wrong value ------------------------------------------------------------------------------


def test_a_wrong_value_is_named_as_a_value_even_when_it_equals_a_one_term_tangent():
    """A product whose value is one term of the product rule: the value is what is wrong, with the
    operation and both numbers, in both languages."""
    feedback = judged(__mul__=mul_value_and_tangent_swapped)
    assert feedback.status == "wrong"
    assert feedback.headline.key == "exercises.l4.6.headline.value"
    assert feedback.hint.key == "exercises.l4.6.value"
    fields = feedback.hint.fields
    assert fields["program"] == "x * y" and fields["operation"] == "__mul__"
    assert fields["finding"].key == "exercises.l4.6.finding.value"
    assert dict(fields["finding"].fields) == {
        "program": "x * y",
        "operation": "__mul__",
        "actual": "2.224773571319845",
        "expected": "-1.36",
    }
    shown = rendered(feedback)
    assert "the value computed by `__mul__` is wrong" in shown["en"]
    assert "the output's value is 2.224773571319845, and PyTorch's is -1.36" in shown["en"]
    assert "o valor calculado por `__mul__` está errado" in shown["pt"]
    assert "o valor da saída é 2,224773571319845, e o do PyTorch é -1,36" in shown["pt"]


# --- a wrong tangent: the slips and the rest -------------------------------------------------------

SLIPS = {
    "mul: one term": ({"__mul__": dual_mul_one_term}, "one_term", "x * y", "__mul__"),
    "mul: a number's factor forgotten": (
        {"__mul__": mul_forgets_a_number_scales_the_tangent},
        "one_term",
        "x * 2.0",
        "__mul__",
    ),
    "div: sign": ({"__truediv__": dual_div_sign}, "div_sign", "x / y", "__truediv__"),
    "tanh: not squared": ({"tanh": dual_tanh_not_squared}, "tanh_square", "x.tanh()", "tanh"),
    "tanh: not squared, a few ulps off": (
        {"tanh": tanh_not_squared_by(1 + 2.0**-47)},
        "tanh_square",
        "x.tanh()",
        "tanh",
    ),
    "matmul: one term": ({"__matmul__": dual_matmul_one_term}, "one_term", "(S @ T * E).sum()", "__matmul__"),
}


@pytest.mark.parametrize("mistake", SLIPS)
def test_a_slip_of_a_tangent_rule_has_the_tangent_headline_its_own_hint_and_the_numbers(mistake):
    """Each slip is named with the tangent headline (naming the operation), its own hint, and the
    finding with the program and both tangents, in both languages."""
    methods, slip, program, operation = SLIPS[mistake]
    feedback = judged(**methods)
    assert feedback.status == "wrong"
    assert feedback.headline.key == "exercises.l4.6.headline.tangent", str(feedback)
    assert feedback.hint.key == f"exercises.l4.6.slip.{slip}", str(feedback)
    fields = feedback.hint.fields
    assert fields["program"] == program and fields["operation"] == operation
    finding = fields["finding"]
    assert finding.key == "exercises.l4.6.finding.tangent"
    assert finding.fields["program"] == program
    shown = rendered(feedback)
    assert f"the tangent rule of `{operation}` gives a wrong tangent" in shown["en"]
    assert f"a regra de tangente de `{operation}` dá uma tangente errada" in shown["pt"]
    for language, point in (("en", "."), ("pt", ",")):
        for number in (finding.fields["actual"], finding.fields["expected"]):
            assert number.replace(".", point) in shown[language]


def test_a_rule_far_from_a_slip_is_a_plain_wrong_tangent():
    """tanh's (1 - t) slip off by far more than rounding is not named as the slip: the hint
    points to the rule of `tanh`."""
    feedback = judged(tanh=tanh_not_squared_by(1 + 2.0**-43))
    assert feedback.headline.key == "exercises.l4.6.headline.tangent"
    assert feedback.hint.key == "exercises.l4.6.tangent", str(feedback)
    assert feedback.hint.fields["operation"] == "tanh"


def test_a_wrong_tangent_shows_the_tangent_the_check_drew_for_that_probe():
    """exp's tangent left unmultiplied shows the input's tangent the check drew for `x.exp()`, and
    torch.func.jvp's, e^0.8 times it; the same numbers at every run, in both languages."""
    feedback = judged(exp=exp_tangent_not_multiplied)
    assert feedback.headline.key == "exercises.l4.6.headline.tangent"
    assert feedback.hint.key == "exercises.l4.6.tangent"
    fields = feedback.hint.fields
    assert fields["program"] == "x.exp()" and fields["operation"] == "exp"
    finding = fields["finding"]
    assert finding.key == "exercises.l4.6.finding.tangent"
    actual, expected = finding.fields["actual"], finding.fields["expected"]
    assert (actual, expected) == ("-0.006194904752637444", "-0.01378701407510714")
    assert float(expected) == pytest.approx(float(actual) * torch.tensor(0.8, dtype=torch.float64).exp().item())
    shown = rendered(feedback)
    assert "the output's tangent is -0.006194904752637444, and torch.func.jvp's is -0.01378701407510714" in shown["en"]
    assert "look at the rule of `exp`" in shown["en"]
    assert "a tangente da saída é -0,006194904752637444, e a de torch.func.jvp é -0,01378701407510714" in shown["pt"]


def test_a_rule_only_the_chain_program_shows_is_named_as_a_program():
    """A product rule right on every probe but wrong in the chain program is a program mistake,
    not a slip, though its tangent there is what one operand's tangent alone gives."""
    feedback = judged(__mul__=mul_drops_a_rising_operand)
    assert feedback.status == "wrong"
    assert feedback.headline.key == "exercises.l4.6.headline.program", str(feedback)
    assert feedback.hint.key == "exercises.l4.6.program", str(feedback)
    chain = "((x * y).exp() * 3.0).tanh()"
    fields = feedback.hint.fields
    assert fields["program"] == chain and fields["operation"] is None
    assert feedback.headline.fields["program"] == chain
    finding = fields["finding"]
    assert finding.key == "exercises.l4.6.finding.tangent"
    assert dict(finding.fields) == {
        "program": chain,
        "operation": None,
        "actual": "0.360045752450082",
        "expected": "0.3822042364619237",
    }
    shown = rendered(feedback)
    assert "the tangent of one of the check's random programs differs from torch.func.jvp's" in shown["en"]
    assert f"In `{chain}`, with the inputs' tangents the check drew" in shown["en"]
    assert "the output's tangent is 0.360045752450082, and torch.func.jvp's is 0.3822042364619237" in shown["en"]
    assert "Run it yourself on your duals" in shown["en"]
    assert "a tangente de um dos programas aleatórios da verificação difere" in shown["pt"]
    assert "a tangente da saída é 0,360045752450082, e a de torch.func.jvp é 0,3822042364619237" in shown["pt"]


# --- the form of the output ------------------------------------------------------------------------

FORMS = {
    "the bare product tensor": (
        {"__mul__": mul_returns_the_bare_tensor},
        "not_dual",
        "value",
        "In `x * y`, the output is a tensor, not a dual number: it has no value.",
        "Em `x * y`, a saída é um tensor, e não um número dual: ela não tem o atributo value.",
    ),
    "a value of None": (
        {"__mul__": mul_with(lambda tangent: tangent, value=None)},
        "not_tensor",
        "value",
        "In `x * y`, the output's value is None, not a tensor.",
        "Em `x * y`, o atributo value da saída é None, e não um tensor.",
    ),
    "a text tangent": (
        {"__mul__": mul_with(lambda tangent: "zero")},
        "not_tensor",
        "tangent",
        "In `x * y`, the output's tangent is a string, not a tensor.",
        "Em `x * y`, o atributo tangent da saída é um texto (str), e não um tensor.",
    ),
    "a float32 tangent": (
        {"__mul__": mul_with(lambda tangent: tangent.float())},
        "dtype",
        "tangent",
        "In `x * y`, the output's tangent is a float32 tensor: a dual number computes in float64",
        "Em `x * y`, o atributo tangent da saída é um tensor float32: um número dual calcula em float64",
    ),
    "a tangent of another shape": (
        {"__mul__": mul_with(lambda tangent: tangent.reshape(1, 1))},
        "shape",
        "tangent",
        "In `x * y`, the output's tangent has shape (1, 1), but the output has shape ().",
        "Em `x * y`, o atributo tangent da saída tem formato (1, 1), mas a saída tem formato ().",
    ),
}


@pytest.mark.parametrize("mistake", FORMS)
def test_a_value_or_tangent_that_is_not_a_float64_tensor_of_the_shape_is_a_form_finding(mistake):
    """What is off with the output's value or tangent is said with the form headline and the
    program, in both languages."""
    methods, finding_key, what, english, portuguese = FORMS[mistake]
    feedback = judged(**methods)
    assert feedback.status == "wrong"
    assert feedback.headline.key == "exercises.l4.6.headline.form", str(feedback)
    assert feedback.hint.key == "exercises.l4.6.form_finding", str(feedback)
    finding = feedback.hint.fields["finding"]
    assert finding.key == f"exercises.l4.6.finding.{finding_key}"
    assert finding.fields["program"] == "x * y" and finding.fields["what"] == what
    shown = rendered(feedback)
    assert "your dual numbers' value or tangent is not a float64 tensor of the right shape" in shown["en"]
    assert english in shown["en"], shown["en"]
    assert "o valor ou a tangente dos seus números duais não é um tensor float64" in shown["pt"]
    assert portuguese in shown["pt"], shown["pt"]


def test_a_scalar_outputs_tangent_may_be_a_python_number():
    """A product whose scalar tangent is a Python float (the rest unchanged) passes."""

    def as_number(tangent):
        return float(tangent) if tangent.dim() == 0 else tangent

    feedback = judged(__mul__=mul_with(as_number))
    assert feedback.status == "correct", str(feedback)


# --- an engine that raises ---------------------------------------------------------------------------


def test_an_operation_that_raises_is_named_with_the_program_and_the_error():
    """tanh raising: the raised headline, the operation to fix and where it raised, in both languages."""
    feedback = judged(tanh=tanh_raises)
    assert feedback.status == "wrong"
    assert feedback.headline.key == "exercises.l4.headline.raised"
    assert feedback.hint.key == "exercises.l4.6.raised"
    assert feedback.hint.fields["operation"] == "tanh"
    finding = feedback.hint.fields["finding"]
    assert finding.key == "exercises.l4.finding.raised" and finding.fields["program"] == "x.tanh()"
    shown = rendered(feedback)
    assert "While running `x.tanh()`, in the forward pass, at `x.tanh()`, your engine raised" in shown["en"]
    assert "ValueError: no tanh today" in shown["en"] and "fix `tanh` and run the check again" in shown["en"]
    assert "Ao executar `x.tanh()`, durante o cálculo de ida, em `x.tanh()`" in shown["pt"]
    assert "ValueError: no tanh today" in shown["pt"] and "corrija `tanh`" in shown["pt"]


def test_a_class_of_ones_own_that_cannot_make_an_input_is_told_to_fix_init():
    """A dual class of the learner's own whose constructor raises: the error while building the
    first input, and `__init__` to fix, in both languages."""
    methods = {name: value for name, value in vars(Dual).items() if callable(value)}
    own = type("OwnDual", (), {**methods, "__init__": init_raises})
    feedback = judge(6, as_answer(6, own))
    assert feedback.status == "wrong"
    assert feedback.headline.key == "exercises.l4.headline.raised", str(feedback)
    assert feedback.hint.key == "exercises.l4.6.raised"
    assert feedback.hint.fields["operation"] == "__init__"
    finding = feedback.hint.fields["finding"]
    assert finding.key == "exercises.l4.finding.raised" and finding.fields["program"] == "x * y"
    shown = rendered(feedback)
    assert "While running `x * y`, in building the input x, your engine raised" in shown["en"]
    assert "RuntimeError: no duals today" in shown["en"] and "fix `__init__`" in shown["en"]
    assert "durante a criação da entrada x" in shown["pt"] and "corrija `__init__`" in shown["pt"]
