"""Lesson 4's exercises: the learner builds the engine piece by piece, then trains § 7's network with
it. The worked solutions and right engines (and training loops) written in other styles pass; each
typical mistake, in the exercise where it can occur, gets its own hint naming the operation, the
input and by how much, or the step where the loss curves separate (in both languages); odd answers
are feedback, never a crash; only the exercise's own piece is judged; every "why?" is a checked
choice; the checkers are deterministic."""

from __future__ import annotations

import ast
import itertools
import re
from collections import deque
from pathlib import Path

import pytest
import torch

from autograd_lessons import course, get_language, guard, set_language, sources
from autograd_lessons import exercises as machinery
from autograd_lessons.exercises import check, hint, solution
from autograd_lessons.i18n import LANGUAGES, MESSAGES
from autograd_lessons.lessons.own_autograd import exercises as l4
from autograd_lessons.lessons.own_autograd.engine import Dual, Value, unbroadcast
from autograd_lessons.lessons.own_autograd.exercises import common, forward, reverse, training
from autograd_lessons.verdicts import compare
from test_exercises_teach import check_why_options
from test_own_autograd_engine import DictEngine, Rounding

LESSON = course.lesson(4, "exercises")
NUMBERS = tuple(sorted(LESSON.exercises))
ANSWERS = {1: ("engine", "a"), 2: ("engine", "c"), 3: ("engine", "b"), 4: ("engine", "a")}
ANSWERS |= {5: ("engine", "c"), 6: ("dual", "b"), 7: ("engine", "b")}
STARTERS = {1: l4.Value1, 2: l4.Value2, 3: l4.Value3, 4: l4.Value4, 5: l4.Value5, 6: l4.Dual6}
ENGINE_NUMBERS = tuple(STARTERS)  # the exercises that build a piece of the engine; 7 trains with it


def judge(number, answer):
    return check(number, answer, lesson=4)


def as_answer(number, engine, why=None, train=None):
    """The answer to exercise `number` with `engine` (and, for exercise 7, the training loop `train`,
    by default a right one)."""
    name, right = ANSWERS[number]
    answer = {name: engine, "why": right if why is None else why}
    if number == 7:
        answer["train"] = train_loop() if train is None else train
    return answer


def subclass(number, **methods):
    """A learner's subclass of exercise `number`'s starter with `methods`."""
    return type(f"Mine{number}", (STARTERS[number],), methods)


def reference(number, **changed):
    """The starter completed with the reference's own methods (the right answer), some `changed`."""
    piece = forward.PIECE6 if number == 6 else reverse.PIECES[number]
    methods = {name: vars(piece.reference)[name] for name in piece.written}
    return subclass(number, **{**methods, **changed})


def solved(number):
    """The `answer` the worked solution leaves, run after the solutions notebook's first cell."""
    cells = LESSON.source_cells(LESSON.solutions)
    setup = next(cell for cell in cells if cell.kind == "code")
    namespace: dict = {}
    language = get_language()
    try:
        exec(sources.localise_code(setup.source, language, LESSON.solutions, LANGUAGES), namespace)
    finally:
        set_language(language)
    for earlier in range(1, number):  # the whole engine of the last cell uses every earlier class
        exec(LESSON.solution_code(earlier)[language], namespace)
    tree = ast.parse(LESSON.solution_code(number)[language])
    assert ast.unparse(tree.body.pop()) == f"check({number}, answer, lesson=4)"
    exec(compile(tree, f"<solution {number}>", "exec"), namespace)
    return namespace["answer"]


def says(feedback, key):
    """Whether `feedback` is wrong with the hint `key` (the sentence before the form, for a form error)."""
    found = feedback.hint
    if found is not None and found.key == "exercises.form_hint_after":
        found = found.fields["before"]
    return feedback.status == "wrong" and found is not None and found.key == key


@pytest.fixture(autouse=True)
def fresh_hints(monkeypatch):
    monkeypatch.setattr(machinery, "_hints_shown", {})


@pytest.fixture(params=LANGUAGES)
def language(request):
    set_language(request.param)
    yield request.param
    set_language("en")


# --- the lesson has its exercises, each with its solution, hints and texts --------------------


def test_lesson_4_has_six_pieces_of_the_engine_to_build_and_a_network_to_train():
    assert NUMBERS == (1, 2, 3, 4, 5, 6, 7) and set(ANSWERS) == set(NUMBERS)


@pytest.mark.parametrize("number", NUMBERS)
def test_each_worked_solution_passes_in_both_languages(number, language):
    feedback = judge(number, solved(number))
    assert feedback.correct, str(feedback)
    # exercise 7's worked loop trains on the lesson's Value, and the check says the learner's engine is next
    remark = "exercises.l4.7.remark.lesson_engine" if number == 7 else None
    assert (feedback.hint.key if feedback.hint is not None else None) == remark, str(feedback)
    help_ = solution(number, lesson=4)
    assert help_.code_in() and "check(" in help_.code_in()


@pytest.mark.parametrize("number", ENGINE_NUMBERS)
def test_the_starter_alone_or_the_reference_itself_is_not_an_answer(number, language):
    for engine in (STARTERS[number], Dual if number == 6 else Value):
        feedback = judge(number, as_answer(number, engine))
        assert says(feedback, "exercises.l4.to_write"), str(feedback)
        assert "`" in str(feedback.hint) and engine.__name__ in str(feedback.hint)


def test_a_starters_placeholder_says_which_exercise_writes_it(language):
    x = l4.Value1(torch.tensor(1.0, dtype=torch.float64))
    with pytest.raises(NotImplementedError) as raised:
        x - 1.0
    assert "`__sub__`" in str(raised.value) and "1" in str(raised.value)
    with pytest.raises(NotImplementedError):
        2.0 * l4.Dual6(torch.tensor(1.0))  # the reference's __rmul__ is its __mul__: a placeholder too


@pytest.mark.parametrize("number", NUMBERS)
def test_hints_go_from_a_nudge_to_almost_the_answer(number, language):
    shown = []
    while True:
        help_ = hint(number, lesson=4)
        if help_.note is not None:
            break
        shown.append(help_.text)
    assert len(shown) >= 3 and len(set(shown)) == len(shown), "at least three hints, each new"
    code_words = re.compile(r"def \w+\(|answer =")
    assert code_words.search(shown[-1]) and not any(code_words.search(text) for text in shown[:-1])


def test_every_key_the_checkers_raise_exists_in_both_languages():
    folder = Path(l4.__file__).parent
    text = "\n".join(path.read_text(encoding="utf-8") for path in folder.glob("*.py"))
    found = set(re.findall(r'"(exercises\.l4\.[\w.]+)"', text))
    found |= {f"exercises.l4.{n}.slip.{slip}" for n, slips in reverse.SLIPS.items() for slip, *_ in slips}
    found |= {f"exercises.l4.6.slip.{slip}" for slip in ("one_term", "div_sign", "tanh_square")}
    found |= {f"exercises.l4.6.{what}" for what in ("value", "tangent")}
    found |= {f"exercises.l4.6.headline.{what}" for what in ("value", "tangent")}
    found |= {f"exercises.l4.6.finding.{what}" for what in ("value", "tangent")}
    found |= {f"exercises.l4.7.mistake.{mistake}" for mistake in training.SLIPS.values()}
    found |= {f"exercises.l4.7.{key}" for key in ("mistake.not_mean", "loss_first", "finding_first", "finding")}
    for key in found:
        if key.endswith((".why", ".slip", ".finding", ".headline")):
            continue
        assert key in MESSAGES and set(MESSAGES[key]) >= set(LANGUAGES), key
    for number in NUMBERS:
        for what in ("form", "ok", "solution", "hint.1", "hint.2", "hint.3", "hint.4"):
            assert set(MESSAGES[f"exercises.l4.{number}.{what}"]) >= set(LANGUAGES), (number, what)


# --- right answers in several styles --------------------------------------------------------------


def sub_as_sum(self, other):  # a − b written as a + (−b): the learner's own neg in the sum's rule
    return self + (-self._lift(other))


def div_by_inverse(self, other):
    other = self._lift(other)
    a, inverse = self.data, 1 / other.data
    return self._result(a * inverse, (self, other), "div", lambda g: (g * inverse, -(g * a) * inverse * inverse))


def relu_by_mask(self):
    mask = (self.data > 0).to(self.data.dtype)
    return self._result(self.data * mask, (self,), "relu", lambda g: (g * mask,))


def tanh_two_factors(self):
    t = self.data.tanh()
    return self._result(t, (self,), "tanh", lambda g: (g * (1 - t) * (1 + t),))


def accumulate_sum_to_size(self, grad):
    self.grad = self.grad + grad.sum_to_size(self.data.shape)


def mean_as_sum(self):
    n = self.data.numel()
    return self._result(self.data.sum() / n, (self,), "mean", lambda g: (g * torch.ones_like(self.data) / n,))


def matmul_transpose(self, other):
    other = self._lift(other)
    a, b = self.data, other.data
    return self._result(a @ b, (self, other), "matmul", lambda g: (g @ b.transpose(0, 1), a.mT @ g))


def backward_by_counting(self):
    """Kahn's algorithm: a node runs once every user has run (counted), no recursion."""
    users, stack, seen = {}, [self], {id(self)}
    while stack:
        for operand in stack.pop()._prev:
            users[id(operand)] = users.get(id(operand), 0) + 1
            if id(operand) not in seen:
                seen.add(id(operand))
                stack.append(operand)
    self.grad = torch.ones_like(self.data)
    ready = deque([self])
    while ready:
        value = ready.popleft()
        value._backward()
        for operand in value._prev:
            users[id(operand)] -= 1
            if users[id(operand)] == 0:
                ready.append(operand)


def dual_div_two_terms(self, other):
    other = self._lift(other)
    b = other.value
    return type(self)(self.value / b, self.tangent / b - self.value * other.tangent / b**2)


def dual_tanh_cosh(self):
    t = self.value.tanh()
    return type(self)(t, self.tangent / self.value.cosh() ** 2)


RIGHT_STYLES = {
    "sub as a sum, div by the inverse": (1, reference(1, __sub__=sub_as_sum, __truediv__=div_by_inverse)),
    "relu by a mask, tanh as two factors": (2, reference(2, relu=relu_by_mask, tanh=tanh_two_factors)),
    "sum_to_size, mean as a sum": (3, reference(3, _accumulate=accumulate_sum_to_size, mean=mean_as_sum)),
    "transpose(0, 1) and .mT": (4, reference(4, __matmul__=matmul_transpose)),
    "in-degree counting": (5, reference(5, backward=backward_by_counting)),
    "the reference's own topological_order": (
        5,
        reference(5, topological_order=vars(Value)["topological_order"], backward=vars(Value)["backward"]),
    ),
    "dual quotient rule, tanh by cosh": (6, reference(6, __truediv__=dual_div_two_terms, tanh=dual_tanh_cosh)),
    "an engine of one's own (dict of rules)": (1, DictEngine),
    "summed slice by slice": (3, reference(3, _accumulate=vars(Rounding)["_accumulate"])),
    "an engine of one's own for backward": (5, DictEngine),
}


@pytest.mark.parametrize("style", RIGHT_STYLES)
def test_right_engines_written_in_several_styles_pass(style):
    number, engine = RIGHT_STYLES[style]
    feedback = judge(number, as_answer(number, engine))
    assert feedback.correct, str(feedback)


def test_only_the_exercises_own_piece_is_judged():
    def wrong_add(self, other):  # not exercise 1's: the reference's __add__ is used instead
        other = self._lift(other)
        return self._result(self.data + other.data, (self, other), "add", lambda g: (g, 2 * g))

    assert judge(1, as_answer(1, reference(1, __add__=wrong_add))).correct
    with_helper = reference(2, _slope=lambda self, t: 1 - t * t)
    with_helper.tanh = lambda self: self._result(  # a helper of the learner's own is kept
        t := self.data.tanh(), (self,), "tanh", lambda g: (g * self._slope(t),)
    )
    assert judge(2, as_answer(2, with_helper)).correct


# --- the typical mistakes, each in the exercise where it can occur ------------------------------


def rule(name, op, forward_, grads):
    """A method computing `forward_(a, b)` with the rule `grads(g, a, b)` (b None for one operand)."""

    def method(self, other=None):
        operands = (self,) if other is None or name in ("__pow__",) else (self, self._lift(other))
        a = self.data
        b = operands[1].data if len(operands) == 2 else other
        return self._result(forward_(a, b), operands, op, lambda g: grads(g, a, b))

    return method


def tanh_rule(grads):
    return rule("tanh", "tanh", lambda a, b: a.tanh(), grads)


def relu_at_zero(self):
    a = self.data
    return self._result(a.clamp(min=0), (self,), "relu", lambda g: (torch.where(a >= 0, g, 0.0),))


def assigning(self, grad):
    self.grad = unbroadcast(grad, self.data.shape)


def no_sum_to_shape(self, grad):
    self.grad = self.grad + grad


def no_sum_in_place(self, grad):
    self.grad += grad


def swapped_transposes(self, other):
    other = self._lift(other)
    a, b = self.data, other.data
    return self._result(a @ b, (self, other), "matmul", lambda g: (g @ b.T, g.T @ a))


def topological(self):
    return vars(Value)["topological_order"](self)


def breadth_first(self):
    order, seen, queue = [], {id(self)}, deque([self])
    while queue:
        value = queue.popleft()
        order.append(value)
        for parent in value._prev:
            if id(parent) not in seen:
                seen.add(id(parent))
                queue.append(parent)
    self.grad = torch.ones_like(self.data)
    for value in order:
        value._backward()


def not_reversed(self):
    self.grad = torch.ones_like(self.data)
    for value in topological(self):
        value._backward()


def seeded(start):
    def backward(self):
        if start is not None:
            self.grad = start * torch.ones_like(self.data)
        for value in reversed(topological(self)):
            value._backward()

    return backward


def recursive(self):
    order, seen = [], set()

    def visit(value):
        if id(value) not in seen:
            seen.add(id(value))
            for parent in value._prev:
                visit(parent)
            order.append(value)

    visit(self)
    self.grad = torch.ones_like(self.data)
    for value in reversed(order):
        value._backward()


MISTAKES = {
    "sub: second operand's sign": (1, {"__sub__": rule("__sub__", "sub", lambda a, b: a - b, lambda g, a, b: (g, g))}),
    "neg: sign": (1, {"__neg__": rule("__neg__", "neg", lambda a, b: -a, lambda g, a, b: (g,))}),
    "div: the divisor's sign": (
        1,
        {"__truediv__": rule("__truediv__", "div", lambda a, b: a / b, lambda g, a, b: (g / b, g * a / b**2))},
    ),
    "div: the numerator forgotten": (
        1,
        {"__truediv__": rule("__truediv__", "div", lambda a, b: a / b, lambda g, a, b: (g / b, -g / b**2))},
    ),
    "pow: exponent not lowered": (
        1,
        {"__pow__": rule("__pow__", "pow", lambda a, p: a**p, lambda g, a, p: (g * p * a**p,))},
    ),
    "pow: factor forgotten": (
        1,
        {"__pow__": rule("__pow__", "pow", lambda a, p: a**p, lambda g, a, p: (g * a ** (p - 1),))},
    ),
    "pow: upstream forgotten": (
        1,
        {"__pow__": rule("__pow__", "pow", lambda a, p: a**p, lambda g, a, p: (p * a ** (p - 1),))},
    ),
    "exp: x for eˣ": (2, {"exp": rule("exp", "exp", lambda a, b: a.exp(), lambda g, a, b: (g * a,))}),
    "log: multiplied": (2, {"log": rule("log", "log", lambda a, b: a.log(), lambda g, a, b: (g * a,))}),
    "tanh: not squared": (
        2,
        {"tanh": tanh_rule(lambda g, a, b: (g * (1 - a.tanh()),))},
    ),
    "tanh: input for output": (
        2,
        {"tanh": tanh_rule(lambda g, a, b: (g * (1 - a * a),))},
    ),
    "exp: upstream forgotten": (2, {"exp": rule("exp", "exp", lambda a, b: a.exp(), lambda g, a, b: (a.exp(),))}),
    "relu: >= at 0": (2, {"relu": relu_at_zero}),
    "= instead of +=": (3, {"_accumulate": assigning}),
    "no sum to shape": (3, {"_accumulate": no_sum_to_shape}),
    "no sum to shape, in place": (3, {"_accumulate": no_sum_in_place}),
    "mean: not divided": (
        3,
        {"mean": rule("mean", "mean", lambda a, b: a.mean(), lambda g, a, b: (g.expand(a.shape),))},
    ),
    "swapped transposes": (4, {"__matmul__": swapped_transposes}),
    "breadth-first order": (5, {"backward": breadth_first}),
    "order not reversed": (5, {"backward": not_reversed}),
    "initial gradient 2": (5, {"backward": seeded(2.0)}),
    "no initial gradient": (5, {"backward": seeded(None)}),
    "recursion": (5, {"backward": recursive}),
}
# mistake: (the hint's key, words the hint shows in English, in Portuguese)
NAMED = {
    "sub: second operand's sign": ("exercises.l4.1.slip.sub_sign", "its gradient is −g", "é −g"),
    "neg: sign": ("exercises.l4.1.slip.neg_sign", "sends −g, not g", "manda −g"),
    "div: the divisor's sign": ("exercises.l4.1.slip.div_sign", "−g·a / b²", "−g·a / b²"),
    "div: the numerator forgotten": ("exercises.l4.1.slip.div_quotient", "a in the numerator", "a no numerador"),
    "pow: exponent not lowered": ("exercises.l4.1.slip.pow_minus_one", "p·a ** (p − 1), not", "e não p·a ** p"),
    "pow: factor forgotten": ("exercises.l4.1.slip.pow_factor", "The factor p is missing", "Falta o fator p"),
    "pow: upstream forgotten": ("exercises.l4.slip.upstream", "Multiply it by g", "Multiplique-a por g"),
    "exp: x for eˣ": ("exercises.l4.2.slip.exp_input", "eˣ itself", "o próprio eˣ"),
    "log: multiplied": ("exercises.l4.2.slip.log_divide", "divide g by x", "divida g por x"),
    "tanh: not squared": ("exercises.l4.2.slip.tanh_square", "1 − tanh²x", "1 − tanh²x"),
    "tanh: input for output": ("exercises.l4.2.slip.tanh_output", "not x itself", "e não o próprio x"),
    "exp: upstream forgotten": ("exercises.l4.slip.upstream", "the local derivative alone", "só a derivada local"),
    "relu: >= at 0": ("exercises.l4.mistake.relu_kink", "> 0, not >= 0", "> 0, e não >= 0"),
    "= instead of +=": ("exercises.l4.mistake.accumulate", "(grad += …)", "(grad += …)"),
    "no sum to shape": ("exercises.l4.mistake.unbroadcast", "Sum the gradient back to", "Some o gradiente"),
    "no sum to shape, in place": ("exercises.l4.mistake.unbroadcast_raised", "Sum each operand's", "Some o gradiente"),
    "mean: not divided": ("exercises.l4.3.slip.mean_count", "g / n", "g / n"),
    "swapped transposes": ("exercises.l4.mistake.transposes", "out.grad @ b.T", "out.grad @ b.T"),
    "breadth-first order": ("exercises.l4.mistake.order", "reverse topological order", "ordem topológica reversa"),
    "order not reversed": ("exercises.l4.mistake.order_chain", "reverse topological order", "ordem topológica"),
    "initial gradient 2": (
        "exercises.l4.mistake.seed",
        "own gradient is 2, not ones",
        "gradiente da própria saída é 2",
    ),
    "no initial gradient": ("exercises.l4.mistake.seed", "own gradient is 0, not ones", "própria saída é 0"),
    "recursion": ("exercises.l4.5.recursion", "RecursionError", "pilha explícita"),
}


@pytest.mark.parametrize("mistake", MISTAKES)
def test_each_typical_mistake_gets_its_own_hint_in_both_languages(mistake, language):
    number, methods = MISTAKES[mistake]
    key, english, portuguese = NAMED[mistake]
    feedback = judge(number, as_answer(number, reference(number, **methods)))
    assert says(feedback, key), (mistake, str(feedback))
    assert (english if language == "en" else portuguese) in str(feedback.hint), str(feedback)
    assert feedback.message != str(feedback.hint)


@pytest.mark.parametrize("mistake", ["sub: second operand's sign", "tanh: not squared", "mean: not divided"])
def test_a_slip_names_the_operation_the_input_and_how_much(mistake):
    number, methods = MISTAKES[mistake]
    feedback = judge(number, as_answer(number, reference(number, **methods)))
    words = str(feedback.hint)
    assert re.search(r"In `[^`]+`, the gradient of \w+ differs from PyTorch's: at index .*, yours is", words), words
    assert "PyTorch's is" in words and str(feedback.headline.fields["operation"]) in feedback.message


def test_a_wrong_rule_without_a_named_slip_is_named_with_its_numbers():
    def log_twice(self):
        return self._result(self.data.log(), (self,), "log", lambda g: (2 * g / self.data,))

    feedback = judge(2, as_answer(2, reference(2, log=log_twice)))
    assert says(feedback, "exercises.l4.rule") and "`log`" in feedback.message, str(feedback)
    assert "x.log()" in str(feedback.hint) and "yours is 2.5 and PyTorch's is 1.25" in str(feedback.hint)


# --- exercise 6: dual numbers -------------------------------------------------------------------


def dual_mul_one_term(self, other):
    other = self._lift(other)
    return type(self)(self.value * other.value, self.tangent * other.value)


def dual_div_sign(self, other):
    other = self._lift(other)
    b = other.value
    return type(self)(self.value / b, self.tangent / b + self.value * other.tangent / (b * b))


def dual_tanh_not_squared(self):
    t = self.value.tanh()
    return type(self)(t, (1 - t) * self.tangent)


def dual_matmul_one_term(self, other):
    other = self._lift(other)
    return type(self)(self.value @ other.value, self.value @ other.tangent)


def dual_exp_wrong_value(self):
    return type(self)(self.value, self.value.exp() * self.tangent)


def dual_exp_wrong_tangent(self):
    return type(self)(self.value.exp(), self.tangent)


DUAL_MISTAKES = {
    "mul: one term": ({"__mul__": dual_mul_one_term}, "exercises.l4.6.slip.one_term", "`__mul__`"),
    "div: sign": ({"__truediv__": dual_div_sign}, "exercises.l4.6.slip.div_sign", "`x / y`"),
    "tanh: not squared": ({"tanh": dual_tanh_not_squared}, "exercises.l4.6.slip.tanh_square", "`x.tanh()`"),
    "matmul: one term": ({"__matmul__": dual_matmul_one_term}, "exercises.l4.6.slip.one_term", "`__matmul__`"),
    "exp: wrong value": ({"exp": dual_exp_wrong_value}, "exercises.l4.6.value", "`x.exp()`"),
    "exp: tangent not multiplied": ({"exp": dual_exp_wrong_tangent}, "exercises.l4.6.tangent", "`exp`"),
}


@pytest.mark.parametrize("mistake", DUAL_MISTAKES)
def test_6_each_slip_of_a_tangent_rule_is_named(mistake, language):
    methods, key, words = DUAL_MISTAKES[mistake]
    feedback = judge(6, as_answer(6, reference(6, **methods)))
    assert says(feedback, key), (mistake, str(feedback))
    assert words in str(feedback), str(feedback)
    assert ("torch.func.jvp" in str(feedback.hint)) or key.endswith("value")


def mul_with_text_tangent(self, other):
    out = vars(Dual)["__mul__"](self, other)
    out.tangent = "zero"
    return out


def test_6_a_tangent_that_is_not_a_tensor_is_a_form_finding(language):
    feedback = judge(6, as_answer(6, reference(6, __mul__=mul_with_text_tangent)))
    assert says(feedback, "exercises.l4.6.form_finding"), str(feedback)
    assert "`x * y`" in str(feedback.hint) and "tangent" in str(feedback.hint)


# --- odd answers: never a crash --------------------------------------------------------------------


class RaisesInSub(l4.Value1):
    __neg__, __truediv__, __pow__ = Value.__neg__, Value.__truediv__, Value.__pow__

    def __sub__(self, other):
        raise ValueError("my own mistake")


class LoopsInExp(l4.Value2):
    log, tanh, relu = Value.log, Value.tanh, Value.relu

    def exp(self):
        while True:
            pass


class HalfWritten(l4.Value1):
    __sub__ = Value.__sub__


class OwnEngineWithoutMean(DictEngine):
    mean = None


class OwnEngineRaisingInInit:
    def __init__(self, data):
        raise RuntimeError("no values today")


@pytest.mark.parametrize("number", NUMBERS)
def test_none_and_ellipsis_are_not_answered_yet_and_odd_answers_are_feedback(number, language):
    assert judge(number, None).status == "unanswered" and judge(number, ...).status == "unanswered"
    name = ANSWERS[number][0]
    for odd in (3, "engine", [1, 2], {"why": "a"}, {name: 42, "why": "a"}, {name: Value(1.0), "why": "a"}):
        feedback = judge(number, odd)
        assert feedback.status == "wrong", (odd, str(feedback))
    feedback = judge(number, {**as_answer(number, None), name: lambda data: data, "why": "a"})
    not_class = "exercises.l4.7.form.not_class" if number == 7 else "exercises.l4.form.not_class"
    assert says(feedback, not_class) and "<lambda>" in str(feedback.hint)


def test_an_engine_that_raises_is_feedback_with_the_error(language):
    feedback = judge(1, as_answer(1, RaisesInSub))
    assert feedback.status == "wrong" and "ValueError: my own mistake" in str(feedback.hint), str(feedback)
    assert "`x - y`" in str(feedback.hint)
    feedback = judge(1, as_answer(1, OwnEngineRaisingInInit))
    assert says(feedback, "exercises.l4.constructor_raised") and "no values today" in str(feedback.hint)


def test_an_engine_that_loops_is_stopped(monkeypatch, language):
    monkeypatch.setattr(guard, "TIME_LIMIT_SECONDS", 0.3)
    feedback = judge(2, as_answer(2, LoopsInExp))
    assert says(feedback, "exercises.timeout_hint"), str(feedback)


def test_an_engine_that_lacks_a_method_is_told_which(language):
    feedback = judge(1, as_answer(1, HalfWritten))
    assert says(feedback, "exercises.l4.to_write"), str(feedback)
    assert "`__neg__`, `__truediv__`, `__pow__`" in str(feedback.hint) and "`__sub__`" not in str(feedback.hint)
    feedback = judge(3, as_answer(3, OwnEngineWithoutMean))
    assert says(feedback, "exercises.l4.missing") and "`mean`" in str(feedback.hint), str(feedback)
    feedback = judge(6, as_answer(6, type("Scalar", (), {"__init__": lambda self, v, t: None})))
    assert says(feedback, "exercises.l4.6.missing") and "`__mul__`" in str(feedback.hint), str(feedback)


def test_a_class_whose_creation_raises_is_feedback():
    class Meta(type):
        def __call__(cls, *args, **kwargs):
            raise OSError("cannot make one")

    class Odd(l4.Value4, metaclass=Meta):
        __matmul__ = Value.__matmul__

    feedback = judge(4, as_answer(4, Odd))
    assert feedback.status == "wrong" and "cannot make one" in str(feedback.hint), str(feedback)


def test_the_checkers_are_deterministic():
    for number, methods in (MISTAKES["tanh: not squared"], MISTAKES["no sum to shape"], MISTAKES["recursion"]):
        answer = as_answer(number, reference(number, **methods))
        assert str(judge(number, answer)) == str(judge(number, answer))
    answer = as_answer(6, reference(6, __mul__=dual_mul_one_term))
    assert str(judge(6, answer)) == str(judge(6, answer))


# --- every "why?" is answered and checked; every statement says where it was taught ---------------


@pytest.mark.parametrize("number", NUMBERS)
def test_each_why_offers_three_options_and_only_the_right_one_passes(number, language):
    check_why_options(4, number, language, solved(number), ANSWERS[number][1])


def test_the_worked_solutions_answer_the_why_in_their_text():
    for number, (_, letter) in ANSWERS.items():
        for language in LANGUAGES:
            words = "opção" if language == "pt" else "option"
            assert f"{words} ({letter})" in MESSAGES[f"exercises.l4.{number}.solution"][language], (number, language)


def test_the_whole_engine_of_the_solutions_is_checked_trains_the_network_and_is_short():
    code = [cell.source for cell in LESSON.source_cells(LESSON.solutions) if cell.kind == "code"]
    assert "class MyValue(MyValue1, MyValue2, MyValue3, MyValue4, MyValue5)" in code[-1]
    assert "diagnose(MyValue)" in code[-1] and 'check(7, {"engine": MyValue, "train": train' in code[-1]
    namespace = {}
    exec(code[0].replace('set_language("en")', ""), namespace)
    for number in NUMBERS:
        exec(LESSON.solution_code(number)["en"], namespace)
    *engine, last = code[-1].strip().splitlines()
    exec("\n".join(line for line in engine if "diagnose" not in line), namespace)
    feedback = eval(last, namespace)  # the cell's last line: exercise 7 checked on the whole engine
    assert feedback.correct and feedback.hint is None, str(feedback)
    engine_lines = sum(len(LESSON.solution_code(n)["en"].splitlines()) for n in ENGINE_NUMBERS)
    assert engine_lines <= ENGINE_LINES, "the worked engine reads on a few screens"


ENGINE_LINES = 150  # about three screens


def test_a_reflected_operator_uses_the_learners_method():
    mine = reference(6)
    judged = common.plugged(mine, forward.PIECE6)
    assert judged.__rmul__ is vars(mine)["__mul__"] and judged.__radd__ is vars(Dual)["__add__"]
    assert common.plugged(reference(1), reverse.PIECES[1]).__rmul__ is vars(Value)["__mul__"]


# --- exercise 7: the training loop, on the learner's engine ----------------------------------------


def forward_loss(params, inputs, targets):
    W1, b1, W2, b2 = params
    return (((inputs @ W1 + b1).tanh() @ W2 + b2 - targets) ** 2).mean()


def train_loop(reset=True, step=lambda rate: rate, loss=forward_loss, last_update=True):
    """§ 7's loop for the parameters the check gives, with the slips asked for: no reset, another
    step size (a function of the learning rate), another loss, no update at the last step."""

    def train(params, inputs, targets, steps, learning_rate):
        losses = []
        for number in range(steps):
            value = loss(params, inputs, targets)
            if reset:
                for p in params:
                    p.grad = torch.zeros_like(p.data)
            value.backward()
            if last_update or number < steps - 1:
                for p in params:
                    p.data -= step(learning_rate) * p.grad
            losses.append(value.data.item())
        return losses

    return train


def train_zeroing_after(params, inputs, targets, steps, learning_rate):
    """Another right style: the loss as (d * d), returned as values; the update as a new tensor;
    the gradients reset after the update (fresh values start at zero); the curve as a tensor."""
    losses = []
    for _ in range(steps):
        W1, b1, W2, b2 = params
        d = (inputs @ W1 + b1).tanh() @ W2 + b2 - targets
        loss = (d * d).mean()
        loss.backward()
        for p in params:
            p.data = p.data - learning_rate * p.grad
            p.grad.zero_()
        losses.append(loss)
    return torch.tensor([float(loss.data) for loss in losses], dtype=torch.float64)


def train_fresh_leaves(params, inputs, targets, steps, learning_rate):
    """Another right style: the mean as a sum over the batch size, the update as fresh leaves put
    back into the list, and the losses as a tuple of numbers."""
    losses = []
    for _ in range(steps):
        W1, b1, W2, b2 = params
        error = (inputs @ W1 + b1).tanh() @ W2 + b2 - targets
        loss = (error**2).sum() / targets.shape[0]
        for p in params:
            p.grad = torch.zeros_like(p.data)
        loss.backward()
        params[:] = [type(p)(p.data - learning_rate * p.grad) for p in params]
        losses.append(float(loss.data))
    return tuple(losses)


def train_interleaved(params, inputs, targets, steps, learning_rate):
    """A parameter updated before every gradient of the step is computed: a backward() and an
    update for each parameter, in one loop."""
    losses = []
    for _ in range(steps):
        loss = forward_loss(params, inputs, targets)
        for p in params:
            p.grad = torch.zeros_like(p.data)
            loss.backward()
            p.data -= learning_rate * p.grad
        losses.append(loss.data.item())
    return losses


def train_rebinding_p(params, inputs, targets, steps, learning_rate):
    """p = p - lr * p.grad: the name p bound to a new value, the parameter left as it was."""
    losses = []
    for _ in range(steps):
        loss = forward_loss(params, inputs, targets)
        for p in params:
            p.grad = torch.zeros_like(p.data)
        loss.backward()
        for p in params:
            p = p - learning_rate * p.grad  # the slip under test: rebinds the name p only
        losses.append(loss.data.item())
    return losses


def train_new_list(put_back):
    """The parameters replaced by values computed from them: a new list (the check's left as it
    was) or the new values put back into the check's list; the graph grows at every step."""

    def train(params, inputs, targets, steps, learning_rate):
        losses = []
        for _ in range(steps):
            loss = forward_loss(params, inputs, targets)
            for p in params:
                p.grad = torch.zeros_like(p.data)
            loss.backward()
            if put_back:
                params[:] = [p - learning_rate * p.grad for p in params]
            else:
                params = [p - learning_rate * p.grad for p in params]
            losses.append(loss.data.item())
        return losses

    return train


def summed(params, inputs, targets):
    W1, b1, W2, b2 = params
    return (((inputs @ W1 + b1).tanh() @ W2 + b2 - targets) ** 2).sum()


def halved(params, inputs, targets):
    return forward_loss(params, inputs, targets) * 0.5


def train_unreduced(params, inputs, targets, steps, learning_rate):
    """No mean: the loss is the tensor of squared errors, appended as it is."""
    losses = []
    for _ in range(steps):
        W1, b1, W2, b2 = params
        loss = ((inputs @ W1 + b1).tanh() @ W2 + b2 - targets) ** 2
        for p in params:
            p.grad = torch.zeros_like(p.data)
        loss.backward()
        for p in params:
            p.data -= learning_rate * p.grad
        losses.append(loss.data)
    return losses


RIGHT_LOOPS = {
    "§ 7's loop": (train_loop(), Value),
    "reset after the update, (d * d), values returned": (train_zeroing_after, Value),
    "a sum over the batch size, fresh leaves": (train_fresh_leaves, Value),
    "an engine of one's own (dict of rules)": (train_loop(), DictEngine),
    "an engine that rounds otherwise": (train_loop(), Rounding),
    "the worked engine of exercises 1 to 5": (train_loop(), "solved"),
}


@pytest.mark.parametrize("style", RIGHT_LOOPS)
def test_7_right_loops_written_in_several_styles_pass(style):
    train, engine = RIGHT_LOOPS[style]
    engine = solved(7)["engine"] if engine == "solved" else engine
    feedback = judge(7, as_answer(7, engine, train=train))
    assert feedback.correct, str(feedback)
    remark = feedback.hint is not None and feedback.hint.key == "exercises.l4.7.remark.lesson_engine"
    assert remark == (engine is Value), str(feedback)


# mistake: (the loop, the hint's key, the step where the curves separate or None, words the hint
# shows in English, in Portuguese)
LOOP_MISTAKES = {
    "gradients never reset": (
        train_loop(reset=False),
        "exercises.l4.7.mistake.accumulate",
        3,
        "never resets the gradients",
        "nunca zera os gradientes",
    ),
    "the update's sign": (
        train_loop(step=lambda rate: -rate),
        "exercises.l4.7.mistake.sign",
        2,
        "goes up the gradient",
        "sobe o gradiente",
    ),
    "the learning rate applied twice": (
        train_loop(step=lambda rate: rate * rate),
        "exercises.l4.7.mistake.lr_twice",
        2,
        "a step of 0.09 times the gradient",
        "um passo de 0,09 vezes o gradiente",
    ),
    "the update done twice": (
        train_loop(step=lambda rate: 2 * rate),
        "exercises.l4.7.mistake.lr_twice",
        2,
        "a step of 0.6 times the gradient",
        "um passo de 0,6 vezes o gradiente",
    ),
    "an update before every gradient is computed": (
        train_interleaved,
        "exercises.l4.7.mistake.early_update",
        2,
        "updates a parameter before every gradient",
        "antes de todos os gradientes",
    ),
    "p = p - lr * p.grad": (
        train_rebinding_p,
        "exercises.l4.7.mistake.frozen",
        2,
        "never move",
        "nunca se movem",
    ),
    "a new list of new values": (
        train_new_list(put_back=False),
        "exercises.l4.7.mistake.new_values",
        None,
        "unchanged at the end",
        "estão iguais no fim",
    ),
    "new values put back into params": (
        train_new_list(put_back=True),
        "exercises.l4.7.mistake.graph_grows",
        None,
        "the graph keeps every step",
        "o grafo guarda todos os passos",
    ),
    "the loss a sum, not a mean": (
        train_loop(loss=summed),
        "exercises.l4.7.mistake.not_mean",
        1,
        "24 is the number of points",
        "24 é o número de pontos",
    ),
    "no mean at all": (train_unreduced, "exercises.l4.7.not_scalar", None, "shape (24, 1)", "formato (24, 1)"),
    "half the mean": (
        train_loop(loss=halved),
        "exercises.l4.7.loss_first",
        1,
        "before any update",
        "antes de qualquer atualização",
    ),
    "a step of its own": (
        train_loop(step=lambda rate: rate / 3),
        "exercises.l4.7.curve",
        2,
        "between the loss of step 1 and that of step 2",
        "entre a perda do passo 1 e a do passo 2",
    ),
    "no update at the last step": (
        train_loop(last_update=False),
        "exercises.l4.7.final",
        None,
        "the last step too",
        "o último também",
    ),
}


@pytest.mark.parametrize("mistake", LOOP_MISTAKES)
def test_7_each_typical_mistake_of_a_loop_gets_its_own_hint_in_both_languages(mistake, language):
    train, key, step, english, portuguese = LOOP_MISTAKES[mistake]
    feedback = judge(7, as_answer(7, Value, train=train))
    assert says(feedback, key), (mistake, str(feedback))
    assert (english if language == "en" else portuguese) in str(feedback.hint), str(feedback)
    if step is not None:
        assert feedback.headline.fields["step"] == step, str(feedback)
        words = {"en": f"at step {step}", "pt": f"no passo {step}"}[language]
        assert words in feedback.message or step == 1, str(feedback)


def test_7_the_finding_names_the_hidden_case_the_step_both_losses_and_by_how_much():
    feedback = judge(7, as_answer(7, Value, train=train_loop(step=lambda rate: -rate)))
    words = str(feedback.hint)
    case = training.CASES[0]
    assert f"({case.points} points, {case.features} inputs, {case.hidden} hidden units, learning rate 0.3)" in words
    expected = float(training.pytorch_run(0)[0][1])
    assert re.search(r"the loss curves separate at step 2: your loss is [\d.]+ and PyTorch's is [\d.]+, [\d.]+ ", words)
    assert f"PyTorch's is {expected:.4g}" in words and "Up to step 1, they agree." in words, words


def test_7_a_loop_tuned_to_the_lessons_network_is_caught_on_other_sizes():
    def eight_units(params, inputs, targets, steps, learning_rate):
        assert params[0].data.shape[1] == 8, "written for 8 hidden units only"
        return train_loop()(params, inputs, targets, steps, learning_rate)

    feedback = judge(7, as_answer(7, Value, train=eight_units))
    assert says(feedback, "exercises.l4.7.raised") and "written for 8 hidden units only" in str(feedback.hint)
    assert "12 points, 3 inputs, 5 hidden units" in str(feedback.hint), str(feedback)


class WrongTanh(Value):
    def tanh(self):
        t = self.data.tanh()
        return self._result(t, (self,), "tanh", lambda g: (g * (1 - t),))


def test_7_a_right_loop_on_a_wrong_engine_names_the_engines_rule(language):
    feedback = judge(7, as_answer(7, WrongTanh))
    assert says(feedback, "exercises.l4.7.engine"), str(feedback)
    assert "`tanh`" in str(feedback.hint) and "WrongTanh" in str(feedback.hint), str(feedback)
    assert ("On the lesson's Value" if language == "en" else "Com o Value da lição") in str(feedback.hint)


def test_7_an_engine_with_a_piece_still_to_write_says_which_exercise(language):
    unfinished = type("MyValue", (l4.Value2,), {})  # exercise 2's rules still the starter's
    feedback = judge(7, as_answer(7, unfinished))
    assert says(feedback, "exercises.l4.7.engine_raised"), str(feedback)
    assert "`tanh`" in str(feedback.hint) and "2" in str(feedback.hint), str(feedback)
    assert '"engine": Value' in str(feedback.hint)


def starter_train():
    """The training loop of the exercises notebook's cell, as it stands before the learner writes it."""
    notebook = next(name for name in LESSON.notebooks if "exercises" in name)
    cell = next(c for c in LESSON.source_cells(notebook) if c.kind == "code" and "def train(" in c.source)
    code = cell.source.split("# [pt] Troque None")[0].split("# [en] Replace None")[0]
    namespace = {"torch": torch}
    for number in range(1, 6):
        namespace[f"MyValue{number}"] = STARTERS[number]
    exec(sources.localise_code(code, "en", notebook, LANGUAGES), namespace)
    return namespace["train"]


def test_7_the_starters_loop_says_it_is_still_to_write(language):
    feedback = judge(7, as_answer(7, Value, train=starter_train()))
    assert says(feedback, "exercises.l4.7.empty"), str(feedback)
    assert "7" in str(feedback.hint)


def returning(value):
    def train(params, inputs, targets, steps, learning_rate):
        return value(train_loop()(params, inputs, targets, steps, learning_rate))

    return train


def raising(params, inputs, targets, steps, learning_rate):
    raise ValueError("my own mistake")


def emptying(params, inputs, targets, steps, learning_rate):
    losses = train_loop()(params, inputs, targets, steps, learning_rate)
    params.clear()
    return losses


def looping(params, inputs, targets, steps, learning_rate):
    while True:
        pass


# odd: (the loop, the hint's key, words the hint shows in English, in Portuguese)
ODD_LOOPS = {
    "returns nothing": (returning(lambda losses: None), "exercises.l4.7.returned_none", "None", "None"),
    "one loss too few": (
        returning(lambda losses: losses[1:]),
        "exercises.l4.7.length",
        "19 losses for 20 steps",
        "19 perdas para 20 passos",
    ),
    "one loss too many": (
        returning(lambda losses: [*losses, losses[-1]]),
        "exercises.l4.7.length",
        "21 losses for 20 steps",
        "21 perdas para 20 passos",
    ),
    "the last loss only": (returning(lambda losses: losses[-1]), "exercises.l4.7.not_list", "a number", "um número"),
    "text for a loss": (
        returning(lambda losses: ["low"] * len(losses)),
        "exercises.l4.7.item",
        "a string",
        "um texto",
    ),
    "float32 losses": (
        returning(lambda losses: torch.tensor(losses, dtype=torch.float32)),
        "exercises.l4.7.dtype",
        "float32 tensor",
        "tensor float32",
    ),
    "raises": (raising, "exercises.l4.7.raised", "ValueError: my own mistake", "ValueError: my own mistake"),
    "empties params": (emptying, "exercises.l4.7.params_length", "params holds 0 values", "params tem 0 valores"),
}


@pytest.mark.parametrize("odd", ODD_LOOPS)
def test_7_odd_loops_are_feedback_never_a_crash(odd, language):
    train, key, english, portuguese = ODD_LOOPS[odd]
    feedback = judge(7, as_answer(7, Value, train=train))
    words = english if language == "en" else portuguese
    assert says(feedback, key) and words in str(feedback.hint), (odd, str(feedback))


def test_7_a_loop_that_never_ends_is_stopped(monkeypatch, language):
    monkeypatch.setattr(guard, "TIME_LIMIT_SECONDS", 0.3)
    feedback = judge(7, as_answer(7, Value, train=looping))
    assert says(feedback, "exercises.timeout_hint"), str(feedback)


@pytest.mark.parametrize("train, engine, key", [(42, Value, "not_function"), (train_loop(), 42, "not_class")])
def test_7_a_train_that_is_no_function_or_an_engine_that_is_no_class_is_a_form_error(train, engine, key):
    feedback = judge(7, as_answer(7, engine, train=train))
    assert says(feedback, f"exercises.l4.7.form.{key}") and "a number" in str(feedback.hint), str(feedback)


def test_7_the_check_is_deterministic_and_leaves_the_learners_random_state_alone():
    state = torch.random.get_rng_state()
    answer = as_answer(7, Value, train=train_loop(reset=False))
    assert str(judge(7, answer)) == str(judge(7, answer))
    assert torch.equal(torch.random.get_rng_state(), state)


def test_7_every_slip_has_a_curve_of_its_own():
    """The slips the check recognises give curves that differ from PyTorch's and from each other, on
    every hidden case, within the steps the check compares."""
    for index in range(len(training.CASES)):
        expected = training.pytorch_run(index)[0]
        curves = {slip: training.slipped(index, slip) for slip in training.SLIPS}
        for slip, curve in curves.items():
            assert compare(curve, expected, tolerance=training.CURVE_ULPS).status == "false", (index, slip)
        for (one, a), (other, b) in itertools.combinations(curves.items(), 2):
            assert compare(a[:5], b[:5], tolerance=training.CURVE_ULPS).status == "false", (index, one, other)
