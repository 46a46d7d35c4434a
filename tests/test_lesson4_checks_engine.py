"""Lesson 4, exercises 1 to 5 and what their checkers share: the starters' placeholders and names,
the form of an answer, the headline and fields of each kind of wrong engine (a method still to
write, a rule's slip, a forgotten upstream gradient, a typical mistake, a recursion, an error, a
gradient that is no tensor), in both languages, and the edges where one finding gives way to another
(a slip's number just inside and just outside the rounding the checks allow). These tests pin the
checkers' feedback at the edges."""

from __future__ import annotations

import pytest
import torch

from autograd_lessons import exercises as machinery
from autograd_lessons import set_language
from autograd_lessons.i18n import LANGUAGES, message, text
from autograd_lessons.lessons.own_autograd import programs
from autograd_lessons.lessons.own_autograd.engine import Dual, Value
from autograd_lessons.lessons.own_autograd.exercises import common, forward, reverse
from autograd_lessons.lessons.own_autograd.generation import DEEP_DEPTH, deep_chain
from test_lesson4_exercises import STARTERS, as_answer, judge, recursive, reference, rule


@pytest.fixture(autouse=True)
def fresh_hints(monkeypatch):
    monkeypatch.setattr(machinery, "_hints_shown", {})


@pytest.fixture(params=LANGUAGES)
def language(request):
    set_language(request.param)
    yield request.param
    set_language("en")


def right(number):
    """A right answer's engine: the starter completed with the reference's methods (and, for
    exercise 5, the reference's topological_order, which its backward calls)."""
    if number == 5:
        return reference(5, topological_order=vars(Value)["topological_order"])
    return reference(number)


def keys_of(feedback):
    """(status, headline key, hint key) of a feedback."""
    return feedback.status, feedback.headline.key, feedback.hint.key if feedback.hint is not None else None


# --- the starters ---------------------------------------------------------------------------------

OWNED = {n: reverse.PIECES[n].owned for n in range(1, 6)}


@pytest.mark.parametrize("number", range(1, 6))
def test_each_starters_placeholder_raises_the_sentence_naming_the_method_and_the_exercise(number, language):
    starter = common.starter(reverse.PIECES[number])
    assert starter.__name__ == f"Value{number}" and starter.__mro__[1] is Value
    assert starter.__doc__ == f"Value without {', '.join(OWNED[number])}: exercise {number} writes them."
    assert STARTERS[number].__doc__ == starter.__doc__
    assert set(dir(starter)) == set(dir(Value))  # the same names to complete as the reference's
    for method in OWNED[number]:
        placeholder = vars(starter)[method]
        assert placeholder.__name__ == placeholder.__qualname__ == method
        assert getattr(placeholder, common.TO_WRITE) == number
        with pytest.raises(NotImplementedError) as raised:
            placeholder(Value(1.0), Value(2.0))
        words = message("exercises.l4.to_write_error", method=method, number=number)
        assert str(raised.value) == words and f"`{method}`" in words and str(number) in words


def test_a_reflected_operator_of_a_starter_is_a_placeholder_too(language):
    """Dual's __rmul__ is its __mul__: 2.0 * a Dual6 reaches the placeholder of `__mul__`, which
    names `__mul__`, the method the exercise asks for."""
    assert common.aliases(forward.PIECE6) == {"__rmul__": "__mul__"}
    assert common.aliases(reverse.PIECES[1]) == {}
    with pytest.raises(NotImplementedError) as raised:
        2.0 * common.starter(forward.PIECE6)(torch.tensor(1.0))
    assert str(raised.value) == message("exercises.l4.to_write_error", method="__mul__", number=6)


def test_the_judged_class_is_the_learners_with_the_reference_elsewhere():
    mine = reference(6)
    judged = common.plugged(mine, forward.PIECE6)
    assert judged.__name__ == mine.__name__ and judged.__module__ == mine.__module__
    assert judged.__rmul__ is vars(mine)["__mul__"] and judged.__radd__ is vars(Dual)["__add__"]
    assert set(dir(judged)) == set(dir(mine))


@pytest.mark.parametrize("number", range(1, 6))
def test_a_starter_alone_is_told_every_method_still_to_write_with_its_headline(number, language):
    feedback = judge(number, as_answer(number, STARTERS[number]))
    assert keys_of(feedback) == ("wrong", "exercises.l4.headline.to_write", "exercises.l4.to_write")
    methods = ", ".join(f"`{m}`" for m in reverse.PIECES[number].written)
    assert feedback.hint.fields == {"methods": methods, "name": f"Value{number}"}
    assert dict(feedback.headline.fields) == {"methods": methods, "name": f"Value{number}"}
    assert methods in str(feedback) and f"Value{number}" in str(feedback)


# --- the answer's form ------------------------------------------------------------------------------


def form_before(feedback):
    assert feedback.status == "wrong" and feedback.hint.key == "exercises.form_hint_after", str(feedback)
    return feedback.hint.fields["before"]


@pytest.mark.parametrize("number", range(1, 6))
def test_an_answer_missing_a_key_is_told_which(number, language):
    for answer, missing in (({"why": reverse.RIGHT[number]}, '"engine"'), ({"engine": right(number)}, '"why"')):
        before = form_before(judge(number, answer))
        assert before.key == "exercises.form.keys" and before.fields == {"missing": missing}


@pytest.mark.parametrize("number", range(1, 6))
def test_a_why_outside_the_three_options_lists_them(number, language):
    before = form_before(judge(number, as_answer(number, right(number), why="x")))
    assert before.key == "exercises.form.choice" and before.fields["options"] == '"a", "b", "c"'
    assert judge(number, as_answer(number, right(number))).correct


# --- slips, upstream gradients and the rounding between -------------------------------------------


def neg_times(factor):
    return rule("__neg__", "neg", lambda a, b: -a, lambda g, a, b: (g * factor,))


def test_a_slips_gradient_is_recognised_up_to_the_checks_rounding_not_beyond(language):
    """A lost sign off by 20 ulps is still the lost sign; off by a part in a thousand it is a wrong rule."""
    near = judge(1, as_answer(1, reference(1, __neg__=neg_times(1 + 20 * 2.0**-52))))
    assert keys_of(near) == ("wrong", "exercises.l4.headline.rule", "exercises.l4.1.slip.neg_sign"), str(near)
    assert near.hint.fields["operation"] == "__neg__" and "`__neg__`" in near.message
    far = judge(1, as_answer(1, reference(1, __neg__=neg_times(1.001))))
    assert keys_of(far) == ("wrong", "exercises.l4.headline.rule", "exercises.l4.rule"), str(far)


UPSTREAM = {
    "pow": (1, {"__pow__": rule("__pow__", "pow", lambda a, p: a**p, lambda g, a, p: (p * a ** (p - 1),))}, "__pow__"),
    "exp": (2, {"exp": rule("exp", "exp", lambda a, b: a.exp(), lambda g, a, b: (a.exp(),))}, "exp"),
}


@pytest.mark.parametrize("case", UPSTREAM)
def test_a_forgotten_upstream_gradient_is_a_rules_slip_naming_the_operation(case, language):
    number, methods, operation = UPSTREAM[case]
    feedback = judge(number, as_answer(number, reference(number, **methods)))
    assert keys_of(feedback) == ("wrong", "exercises.l4.headline.rule", "exercises.l4.slip.upstream")
    assert feedback.headline.fields["operation"] == operation and f"`{operation}`" in feedback.message
    assert feedback.hint.fields["finding"] is not None


def exp_squared_upstream(self):
    """Right where the upstream gradient is 1, wrong elsewhere, and not the local derivative alone."""
    e = self.data.exp()
    return self._result(e, (self,), "exp", lambda g: (g * g * e,))


def test_a_rule_wrong_only_on_broadcast_shapes_that_is_no_forgotten_upstream_is_named_by_its_numbers(language):
    feedback = judge(2, as_answer(2, reference(2, exp=exp_squared_upstream)))
    assert keys_of(feedback) == ("wrong", "exercises.l4.headline.rule", "exercises.l4.rule"), str(feedback)
    assert feedback.hint.fields["operation"] == "exp"


def sub_losing_the_gradient_of_y(self, other):
    other = self._lift(other)
    out = vars(Value)["__sub__"](self, other)
    run = out._backward

    def backward():
        run()
        other.grad = None

    out._backward = backward
    return out


def test_a_gradient_that_is_no_tensor_is_a_form_finding_not_a_slip(language):
    feedback = judge(1, as_answer(1, reference(1, __sub__=sub_losing_the_gradient_of_y)))
    assert keys_of(feedback) == ("wrong", "exercises.l4.headline.form", "exercises.l4.form"), str(feedback)
    assert "`x - y`" in str(feedback.hint)


def neg_scaling_the_seed(self):
    """A rule that negates its upstream gradient in place: the output's own gradient becomes −1."""
    return self._result(-self.data, (self,), "neg", lambda g: (g.neg_().neg(),))


def test_a_typical_mistake_on_a_slips_probe_is_named_as_the_mistake(language):
    feedback = judge(1, as_answer(1, reference(1, __neg__=neg_scaling_the_seed)))
    assert keys_of(feedback) == ("wrong", "exercises.l4.headline.seed", "exercises.l4.mistake.seed"), str(feedback)


def matmul_doubled(self, other):
    other = self._lift(other)
    a, b = self.data, other.data
    return self._result(a @ b, (self, other), "matmul", lambda g: (2 * g @ b.T, 2 * a.T @ g))


def test_4_a_wrong_matrix_product_that_is_no_transpose_is_named_by_its_numbers(language):
    feedback = judge(4, as_answer(4, reference(4, __matmul__=matmul_doubled)))
    assert keys_of(feedback) == ("wrong", "exercises.l4.headline.rule", "exercises.l4.rule"), str(feedback)
    assert feedback.hint.fields["operation"] == "__matmul__"


# --- errors: recursion in backward, and elsewhere -----------------------------------------------


def test_5_a_recursive_backward_is_told_the_depth_it_failed_at(language):
    feedback = judge(5, as_answer(5, reference(5, backward=recursive)))
    assert keys_of(feedback) == ("wrong", "exercises.l4.headline.raised", "exercises.l4.5.recursion"), str(feedback)
    assert feedback.hint.fields["depth"] == DEEP_DEPTH and str(DEEP_DEPTH) in str(feedback.hint)
    assert feedback.hint.fields["error"].startswith("RecursionError")


def backward_raising(self):
    raise ValueError("my own mistake")


def sub_recursing(self, other):
    return self - other


@pytest.mark.parametrize(
    "number, methods, error",
    [(5, {"backward": backward_raising}, "ValueError: my own mistake"), (1, {"__sub__": sub_recursing}, "Recursion")],
)
def test_an_error_that_is_no_recursive_backward_is_an_error_of_the_engine(number, methods, error, language):
    feedback = judge(number, as_answer(number, reference(number, **methods)))
    assert keys_of(feedback) == ("wrong", "exercises.l4.headline.raised", "exercises.l4.raised"), str(feedback)
    assert error in str(feedback.hint)


# --- only the exercise's own programs run --------------------------------------------------------


def own_engine(**methods):
    """An engine of one's own, not derived from the reference: its methods copied, `methods` changed."""
    namespace = {name: value for name, value in vars(Value).items() if name not in ("__dict__", "__weakref__")}

    def lift(self, other):
        return other if isinstance(other, type(self)) else type(self)(other)

    return type("OwnEngine", (), {**namespace, "_lift": lift, **methods})


def exp_doubled(self):
    e = self.data.exp()
    return self._result(e, (self,), "exp", lambda g: (2 * g * e,))


def test_an_engine_of_ones_own_is_probed_on_the_exercises_operations_only(language):
    """An engine of one's own whose exp is wrong: exercise 1 (sub, neg, div, pow) probes none of exp
    alone and finds it in a random program; exercise 2 names exp's rule."""
    assert judge(1, as_answer(1, own_engine())).correct
    own = own_engine(exp=exp_doubled)
    first = judge(1, as_answer(1, own))
    assert keys_of(first) == ("wrong", "exercises.l4.headline.program", "exercises.l4.program"), str(first)
    second = judge(2, as_answer(2, own))
    assert keys_of(second) == ("wrong", "exercises.l4.headline.rule", "exercises.l4.rule"), str(second)
    assert second.hint.fields["operation"] == "exp" and "`x.exp()`" in str(second.hint)


def rdiv_dropping_a_tensors_values(self, other):
    """tensor / value with the tensor taken as ones: only a random program divides a tensor by a value."""
    if isinstance(other, torch.Tensor):
        other = torch.ones_like(other)
    return self._lift(other) / self


def test_a_program_wrong_as_if_its_constants_were_ones_is_no_forgotten_upstream_gradient(language):
    """A random program that starts with a unary operation, wrong by as much as a rule that forgot the
    upstream gradient would be: its constants' values dropped elsewhere. It is named as a program."""
    feedback = judge(1, as_answer(1, own_engine(__rtruediv__=rdiv_dropping_a_tensors_values)))
    assert keys_of(feedback) == ("wrong", "exercises.l4.headline.program", "exercises.l4.program"), str(feedback)
    assert "`h1 = X.tanh(); h2 = h1.tanh(); h3 = h2.exp(); out = (C1 / (h3 - h1) ** 2" in str(feedback.hint)


# --- the shared helpers, at their edges ------------------------------------------------------------


def test_a_diagnosis_without_a_hint_is_worded_by_its_headline():
    found = programs.Diagnosis("wrong", text("exercises.l4.headline.rule", operation="exp"))
    wrong = common.diagnosis_wrong(found)
    assert (wrong.hint, wrong.headline, wrong.fields) == (
        "exercises.l4.headline.rule",
        "exercises.l4.headline.rule",
        {"operation": "exp"},
    )


def test_the_deep_chain_is_found_by_its_text():
    chain = deep_chain()
    assert common.probe_named(chain.text()).text() == chain.text()
    assert common.probe_named("no such program") is None


def test_a_program_with_ones_keeps_its_name_stage_operation_and_text():
    program = next(p for p in programs.selected(None) if p.stage == "broadcast" and p.operation == "exp")
    ones = common.with_ones(program)
    assert (ones.name, ones.stage, ones.operation, ones.text()) == (
        program.name,
        program.stage,
        program.operation,
        program.text(),
    )
