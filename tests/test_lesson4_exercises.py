"""Lesson 4's exercises: the learner builds the engine piece by piece. The worked solutions and right
engines written in other styles pass; each typical mistake, in the exercise where it can occur, gets
its own hint naming the operation, the input and by how much (in both languages); odd answers are
feedback, never a crash; only the exercise's own piece is judged; every "why?" is a checked choice;
the checkers are deterministic."""

from __future__ import annotations

import ast
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
from autograd_lessons.lessons.own_autograd.exercises import common, forward, reverse
from test_exercises_teach import OPTION, TAUGHT_IN, _sections, statement
from test_own_autograd_engine import DictEngine, Rounding

LESSON = course.lesson(4, "exercises")
NUMBERS = tuple(sorted(LESSON.exercises))
ANSWERS = {1: ("engine", "a"), 2: ("engine", "c"), 3: ("engine", "b"), 4: ("engine", "a")}
ANSWERS |= {5: ("engine", "c"), 6: ("dual", "b")}
STARTERS = {1: l4.Value1, 2: l4.Value2, 3: l4.Value3, 4: l4.Value4, 5: l4.Value5, 6: l4.Dual6}


def judge(number, answer):
    return check(number, answer, lesson=4)


def as_answer(number, engine, why=None):
    name, right = ANSWERS[number]
    return {name: engine, "why": right if why is None else why}


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


def test_lesson_4_has_six_pieces_of_the_engine_to_build():
    assert NUMBERS == (1, 2, 3, 4, 5, 6) and set(ANSWERS) == set(NUMBERS)


@pytest.mark.parametrize("number", NUMBERS)
def test_each_worked_solution_passes_in_both_languages(number, language):
    feedback = judge(number, solved(number))
    assert feedback.correct and feedback.hint is None, str(feedback)
    help_ = solution(number, lesson=4)
    assert help_.code_in() and "check(" in help_.code_in()


@pytest.mark.parametrize("number", NUMBERS)
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
    feedback = judge(number, {name: lambda data: data, "why": "a"})
    assert says(feedback, "exercises.l4.form.not_class") and "<lambda>" in str(feedback.hint)


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
    assert OPTION.findall(statement(number, language, lesson=4)) == ["a", "b", "c"]
    right = solved(number)
    reasons = set()
    for letter in "abc":
        feedback = judge(number, {**right, "why": letter})
        if letter == ANSWERS[number][1]:
            assert feedback.correct, str(feedback)
            assert f"exercises.l4.{number}.why.{letter}" not in MESSAGES
            continue
        assert says(feedback, f"exercises.l4.{number}.why.{letter}") and f"({letter})" in feedback.message
        reasons.add(str(feedback.hint))
    assert len(reasons) == 2, "each wrong option names its own misconception"


@pytest.mark.parametrize("number", NUMBERS)
def test_every_statement_says_where_its_tools_were_taught(number):
    for language in LANGUAGES:
        found = TAUGHT_IN[language].findall(statement(number, language, lesson=4))
        assert len(found) == 1, (number, language)
        where, places = int(found[0][0]), re.findall(r"§ (\d+)", found[0][1])
        assert where == 4 and places and set(places) <= _sections(where, language), found


def test_the_worked_solutions_answer_the_why_in_their_text():
    for number, (_, letter) in ANSWERS.items():
        for language in LANGUAGES:
            words = "opção" if language == "pt" else "option"
            assert f"{words} ({letter})" in MESSAGES[f"exercises.l4.{number}.solution"][language], (number, language)


def test_the_whole_engine_of_the_solutions_is_checked_and_short():
    code = [cell.source for cell in LESSON.source_cells(LESSON.solutions) if cell.kind == "code"]
    assert "class MyValue(MyValue1, MyValue2, MyValue3, MyValue4, MyValue5)" in code[-1]
    assert "diagnose(MyValue)" in code[-1]
    engine_lines = sum(len(LESSON.solution_code(n)["en"].splitlines()) for n in NUMBERS)
    assert engine_lines <= ENGINE_LINES, "the worked engine reads on a few screens"


ENGINE_LINES = 150  # about three screens


def test_a_reflected_operator_uses_the_learners_method():
    mine = reference(6)
    judged = common.plugged(mine, forward.PIECE6)
    assert judged.__rmul__ is vars(mine)["__mul__"] and judged.__radd__ is vars(Dual)["__add__"]
    assert common.plugged(reference(1), reverse.PIECES[1]).__rmul__ is vars(Value)["__mul__"]
