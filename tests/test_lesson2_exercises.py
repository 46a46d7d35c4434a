"""Lesson 2's exercises: worked solutions and other right answers pass, the typical wrong answers
get their own hint, odd answers get feedback (never an exception), and the checkers depend on
nothing the learner can see or change."""

from __future__ import annotations

import ast
import math
import re
import string
import time
from pathlib import Path

import pytest
import torch
from torch.func import jacfwd, jacrev

from autograd_lessons import course, get_language, guard, set_language, sources
from autograd_lessons import exercises as machinery
from autograd_lessons.exercises import check, hint, solution
from autograd_lessons.i18n import LANGUAGES, MESSAGES
from autograd_lessons.lessons.in_depth import exercises as l2

NUMBERS = range(1, 8)
PUBLIC = {name: getattr(l2, name) for name in l2.__all__}
LESSON = course.lesson(2, "exercises")  # its texts are in MESSAGES from here on


# Exercises 3, 5 and 7 also ask why: their answer is {function name: function, "why": letter}.
ASKS_WHY = {3: ("hvp", "b"), 5: ("fixed", "c"), 7: ("jacobian", "a")}


def judge(number, answer):
    return check(number, answer, lesson=2)


def as_answer(number, function):
    """The answer to exercise `number` whose code is `function` (with the right "why", if it asks one)."""
    if number not in ASKS_WHY:
        return function
    name, why = ASKS_WHY[number]
    return {name: function, "why": why}


def solved(number):
    """The `answer` the worked solution leaves, run after the solutions notebook's first cell
    (the last line, its check, left out: the tests judge the answer themselves)."""
    cells = LESSON.source_cells(LESSON.solutions)
    setup = next(cell for cell in cells if cell.kind == "code")
    namespace: dict = {}
    language = get_language()  # the setup cell sets its own; the test's stays
    try:
        exec(sources.localise_code(setup.source, language, LESSON.solutions, LANGUAGES), namespace)
    finally:
        set_language(language)
    tree = ast.parse(LESSON.solution_code(number)[language])
    assert ast.unparse(tree.body.pop()) == f"check({number}, answer, lesson=2)"
    exec(compile(tree, f"<solution {number}>", "exec"), namespace)
    return namespace["answer"]


def assert_wrong(feedback, *fragments):
    assert feedback.status == "wrong", str(feedback)
    for fragment in fragments:
        assert fragment in str(feedback.hint), (fragment, str(feedback.hint))


@pytest.fixture(autouse=True)
def fresh_hints(monkeypatch):
    monkeypatch.setattr(machinery, "_hints_shown", {})


# --- worked solutions, hints, texts ---------------------------------------------------------
@pytest.mark.parametrize("number", NUMBERS)
def test_each_worked_solution_passes_and_is_shown(number):
    feedback = judge(number, solved(number))
    assert feedback.correct and feedback.hint is None, str(feedback)
    assert str(feedback).startswith(f"✔ Exercise {number} (lesson 2): correct — ")
    help_ = solution(number, lesson=2)
    code = help_.code_in()
    assert code == LESSON.solution_code(number)["en"] and "answer = " in code
    assert str(help_).startswith(f"Solution to exercise {number} (lesson 2)") and "    " + code.splitlines()[0] in str(
        help_
    )
    assert "<pre><code>" in help_._repr_html_()


@pytest.mark.parametrize("language", ["en", "pt"])
@pytest.mark.parametrize("number", NUMBERS)
def test_four_hints_each_more_specific_then_the_last_again(number, language):
    set_language(language)
    texts = [hint(number, lesson=2) for _ in range(6)]
    assert [t.note is not None for t in texts] == [False, False, False, False, True, True]
    assert len({t.text for t in texts[:4]}) == 4 and texts[4].text == texts[5].text == texts[3].text
    assert ("1 of 4" if language == "en" else "1 de 4") in str(texts[0].title)
    assert ("last" if language == "en" else "última") in str(texts[3].title)
    assert "answer = " in texts[3].text and "answer = " not in "".join(t.text for t in texts[:3])


def lesson2_keys():
    return [key for key in MESSAGES if key.startswith("exercises.l2.")]


def test_messages_have_the_same_placeholders_in_both_languages():
    fields = lambda text: {name for _, name, _, _ in string.Formatter().parse(text) if name}  # noqa: E731
    assert len(lesson2_keys()) > 100
    for key in lesson2_keys():
        assert fields(MESSAGES[key]["pt"]) == fields(MESSAGES[key]["en"]), key
        for language in ("pt", "en"):
            assert MESSAGES[key][language].strip() and "  " not in MESSAGES[key][language], key


def test_every_hint_key_the_checkers_raise_exists():
    source = Path(l2.__file__).read_text(encoding="utf-8")
    for key in set(re.findall(r'"(exercises\.l2\.[\w.]+)"', source)):
        if key.endswith(".why"):  # a question: its wrong options are the keys
            assert sum(f"{key}.{letter}" in MESSAGES for letter in "abcd") == 2, key
        else:
            assert key in MESSAGES, key
    for number in NUMBERS:
        for what in ("form", "ok", "solution", "hint.1", "hint.4"):
            assert f"exercises.l2.{number}.{what}" in MESSAGES
        assert f"exercises.l2.{number}.hint.5" not in MESSAGES


def test_feedback_in_portuguese():
    set_language("pt")
    assert str(judge(2, solved(2))).startswith("✔ Exercício 2 (lição 2): correto — ")
    wrong = judge(2, stale_grad)
    assert wrong.status == "wrong" and "acumula" in str(wrong.hint)


# --- the neutral state and odd forms ---------------------------------------------------------
@pytest.mark.parametrize("number", NUMBERS)
def test_none_and_ellipsis_are_not_answered_yet(number):
    for blank in (None, ...):
        feedback = judge(number, blank)
        assert feedback.status == "unanswered" and feedback.hint is None
        assert "not answered yet" in str(feedback)


@pytest.mark.parametrize("number", NUMBERS)
@pytest.mark.parametrize("odd", [3, "answer", [1, 2], torch.zeros(3)], ids=["int", "str", "list", "tensor"])
def test_an_answer_that_is_not_code_is_a_form_error(number, odd):
    feedback = judge(number, odd)
    assert feedback.status == "wrong" and "the answer should be" in str(feedback.hint).lower(), feedback.hint


def returning(value):
    return lambda *args: value() if callable(value) else value


ODD_RESULTS = {
    "nan": (lambda shape: torch.full(shape, math.nan, dtype=torch.float64), "does not match"),
    "inf": (lambda shape: torch.full(shape, math.inf, dtype=torch.float64), "does not match"),
    "integer": (lambda shape: torch.zeros(shape, dtype=torch.int64), "floating-point tensor"),
    "empty": (lambda shape: torch.empty(0), "has shape (0,)"),
    "string": (lambda shape: "h.grad", "should be a tensor"),
}


@pytest.mark.parametrize("name", ODD_RESULTS)
def test_odd_results_are_feedback_not_exceptions(name):
    make, fragment = ODD_RESULTS[name]
    cases = {
        1: lambda forward, x: make(tuple(forward(x)[0].shape)),
        2: lambda forward, w: (forward(w), make(tuple(w.shape)))[1],
        3: lambda f, x, v: (f(x), make(tuple(x.shape)))[1],
        5: lambda x: make(tuple(x.shape)),
        7: lambda f, x: make((f(x).numel(), x.numel())),
    }
    for number, answer in cases.items():
        feedback = judge(number, as_answer(number, answer))
        assert feedback.status == "wrong", (number, str(feedback))
        if number == 7 and name in ("nan", "inf"):
            fragment_here = "neither mode"
        elif number == 5 and name in ("nan", "inf"):
            fragment_here = "the values changed"
        else:
            fragment_here = fragment
        assert fragment_here in str(feedback.hint) or fragment_here in feedback.message, (number, str(feedback))


class Weird:
    def __getattr__(self, name):
        raise RuntimeError("no attributes")

    def __bool__(self):
        raise RuntimeError("no truth")

    def __eq__(self, other):
        raise RuntimeError("no comparisons")

    __hash__ = object.__hash__


@pytest.mark.parametrize("number", NUMBERS)
def test_weird_objects_are_feedback(number):
    for answer in (Weird(), lambda *args: Weird(), lambda *args: (Weird(),), type("Odd", (), {"apply": 1})):
        feedback = judge(number, answer)
        assert feedback.status == "wrong" and feedback.hint, str(feedback)
        feedback = judge(number, as_answer(number, answer))
        assert feedback.status == "wrong" and feedback.hint, str(feedback)


def broken(*args):
    raise ValueError("learner bug")


@pytest.mark.parametrize("number", [1, 2, 3, 5, 6, 7])
def test_a_function_that_raises_is_feedback(number):
    feedback = judge(number, as_answer(number, broken))
    assert feedback.message == "your function raised an error."
    if number in (5, 6):
        assert str(feedback.hint).startswith("ValueError: learner bug")
    else:  # it raised before calling the function it receives, and the checker says so
        assert "(ValueError: learner bug) without ever calling" in str(feedback.hint)


def test_a_function_that_loops_forever_is_stopped(monkeypatch):
    monkeypatch.setattr(guard, "TIME_LIMIT_SECONDS", 0.3)

    def endless(forward, x):
        while True:
            pass

    start = time.perf_counter()
    feedback = judge(1, endless)
    assert time.perf_counter() - start < 3
    assert feedback.status == "wrong" and feedback.message.startswith("stopped after 0.3 s")
    assert judge(1, solved(1)).correct


def test_changing_the_public_constants_changes_nothing_the_checkers_use():
    kept = {name: value.detach().clone() for name, value in PUBLIC.items() if isinstance(value, torch.Tensor)}

    def vandal(*args):
        with torch.no_grad():
            for name in kept:
                PUBLIC[name].mul_(0).add_(7)
        return None

    try:
        for number in (1, 2, 3, 5, 6, 7):
            assert judge(number, as_answer(number, vandal)).status == "wrong"
        for number in NUMBERS:
            assert judge(number, solved(number)).correct, number
    finally:
        with torch.no_grad():
            for name, value in kept.items():
                PUBLIC[name].copy_(value)


def test_headlines_say_what_kind_of_wrong():
    assert judge(2, two_graphs).message == "the values are right, but not computed the way the exercise asks."
    assert judge(2, no_retain_graph).message == "your function raised an error."
    raised_backward = "the backward pass through your function's result raised an error."
    assert judge(5, as_answer(5, l2.broken5)).message == raised_backward
    assert judge(7, as_answer(7, finite_differences)).message == "the result did not come from autograd."
    assert judge(7, as_answer(7, both)).message == judge(4, silu_class(silu, silu_prime, save=False)).message
    assert judge(1, twice).message == "the answer does not match the checker's independent computation."


def test_the_checkers_are_deterministic():
    assert str(judge(4, SigmoidOnly)) == str(judge(4, SigmoidOnly))
    assert str(judge(6, no_return)) == str(judge(6, no_return))


# --- exercise 1 --------------------------------------------------------------------------------
def by_autograd_grad(forward, x):
    h, loss = forward(x)
    return torch.autograd.grad(loss, h)[0]


def by_tensor_hook(forward, x):
    h, loss = forward(x)
    seen = []
    h.register_hook(seen.append)
    loss.backward()
    return seen[0]


def by_node_hook(forward, x):
    h, loss = forward(x)
    seen = []
    h.grad_fn.register_hook(lambda grad_inputs, grad_outputs: seen.append(grad_outputs[0]))
    loss.backward()
    return seen[0]


def in_float32(forward, x):
    return by_autograd_grad(forward, x).float()


@pytest.mark.parametrize("right", [by_autograd_grad, by_tensor_hook, by_node_hook, in_float32])
def test_1_other_right_answers(right):
    assert judge(1, right).correct


def no_retain(forward, x):
    h, loss = forward(x)
    loss.backward()
    return h.grad


def input_grad(forward, x):
    x.requires_grad_(True)
    h, loss = forward(x)
    loss.backward()
    return x.grad


def twice(forward, x):
    h, loss = forward(x)
    h.retain_grad()
    loss.backward(retain_graph=True)
    loss.backward()
    return h.grad


def node_inputs(forward, x):
    h, loss = forward(x)
    seen = []
    h.grad_fn.register_hook(lambda grad_inputs, grad_outputs: seen.append(grad_inputs[0]))
    loss.backward()
    return seen[0]


@pytest.mark.filterwarnings("ignore:The .grad attribute of a Tensor that is not a leaf")
def test_1_typical_mistakes():
    assert_wrong(judge(1, no_retain), "returned None", "h.retain_grad()")
    assert_wrong(judge(1, input_grad), "shape of x, (6, 3), not that of h, (6, 4)")
    assert_wrong(judge(1, lambda forward, x: forward(x)[0]), "the values of h")
    assert_wrong(judge(1, twice), "twice dL/dh")
    assert_wrong(judge(1, node_inputs), "grad_inputs", "grad_outputs")
    assert_wrong(judge(1, lambda forward, x: 1.1 * by_autograd_grad(forward, x)), "do not match dL/dh", "at position")
    precision = judge(1, lambda forward, x: by_autograd_grad(forward, x).float().double())
    assert precision.message == "the answer matches only to float32 precision."
    assert "about 7 significant digits" in str(precision.hint) and "at position (" in str(precision.hint)


# --- exercise 2 --------------------------------------------------------------------------------
def two_passes(forward, w):
    w.grad = None
    loss1, loss2 = forward(w)
    loss1.backward(retain_graph=True)
    loss2.backward()
    return w.grad


def by_grad(forward, w):
    return torch.autograd.grad(sum(forward(w)), w)[0]


def zeroed_in_place(forward, w):
    w.grad.zero_()
    loss1, loss2 = forward(w)
    (loss1 + loss2).backward()
    return w.grad.clone()


@pytest.mark.parametrize("right", [two_passes, by_grad, zeroed_in_place])
def test_2_other_right_answers(right):
    assert judge(2, right).correct


def stale_grad(forward, w):
    loss1, loss2 = forward(w)
    (loss1 + loss2).backward()
    return w.grad


def no_retain_graph(forward, w):
    w.grad = None
    loss1, loss2 = forward(w)
    loss1.backward()
    loss2.backward()
    return w.grad


def only_first(forward, w):
    w.grad = None
    forward(w)[0].backward()
    return w.grad


def zeroed_between(forward, w):
    loss1, loss2 = forward(w)
    w.grad = None
    loss1.backward(retain_graph=True)
    w.grad = None
    loss2.backward()
    return w.grad


def averaged(forward, w):
    w.grad = None
    loss1, loss2 = forward(w)
    ((loss1 + loss2) / 2).backward()
    return w.grad


def repeated(forward, w):
    w.grad = None
    total = sum(forward(w))
    total.backward(retain_graph=True)
    total.backward()
    return w.grad


def two_graphs(forward, w):
    w.grad = None
    forward(w)[0].backward()
    forward(w)[1].backward()
    return w.grad


def test_2_typical_mistakes():
    assert_wrong(judge(2, stale_grad), "plus what was already in w.grad", "zero_grad()")
    assert_wrong(judge(2, no_retain_graph), "retain_graph=True", "a second time")
    assert_wrong(judge(2, only_first), "only the gradient of loss1")
    assert_wrong(judge(2, zeroed_between), "only the gradient of loss2")
    assert_wrong(judge(2, averaged), "mean of the losses")
    assert_wrong(judge(2, repeated), "twice the gradient")
    assert_wrong(judge(2, two_graphs), "called forward 2 times", "new computational graph")
    assert_wrong(judge(2, lambda forward, w: torch.zeros_like(w)), "never called forward")
    assert_wrong(judge(2, lambda forward, w: (stale_grad(forward, w), None)[1]), "returned None")
    assert_wrong(judge(2, lambda forward, w: 1.5 * by_grad(forward, w)), "1.5 × the gradient of loss1")


# --- exercise 3 --------------------------------------------------------------------------------
def by_func(f, x, v):
    return torch.func.jvp(torch.func.grad(f), (x,), (v,))[1]


def by_backward(f, x, v):
    x = x.detach().requires_grad_(True)
    (g,) = torch.autograd.grad(f(x), x, create_graph=True)
    (g * v).sum().backward()
    return x.grad


def by_functional(f, x, v):
    return torch.autograd.functional.hvp(f, x, v)[1]


@pytest.mark.parametrize("right", [by_func, by_backward, by_functional])
def test_3_other_right_answers(right):
    assert judge(3, as_answer(3, right)).correct


def no_create_graph(f, x, v):
    x = x.detach().requires_grad_(True)
    (g,) = torch.autograd.grad(f(x), x)
    return torch.autograd.grad((g * v).sum(), x)[0]


def gradient_only(f, x, v):
    x = x.detach().requires_grad_(True)
    return torch.autograd.grad(f(x), x)[0]


def accumulated(f, x, v):
    x = x.detach().requires_grad_(True)
    f(x).backward(create_graph=True)
    (x.grad * v).sum().backward()
    return x.grad


def with_ones(f, x, v):
    x = x.detach().requires_grad_(True)
    (g,) = torch.autograd.grad(f(x), x, create_graph=True)
    return torch.autograd.grad(g.sum(), x)[0]


def scalar(f, x, v):
    x = x.detach().requires_grad_(True)
    (g,) = torch.autograd.grad(f(x), x, create_graph=True)
    return (g * v).sum()


def wrong_leaf(f, x, v):
    leaf = x.detach().requires_grad_(True)
    (g,) = torch.autograd.grad(f(leaf), leaf, create_graph=True)
    (g * v).sum().backward()
    return x.grad


@pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph=True")
def judge3(hvp):
    return judge(3, as_answer(3, hvp))


def test_3_typical_mistakes():
    assert_wrong(judge3(no_create_graph), "create_graph=True", "does not have a grad_fn")
    assert_wrong(judge3(lambda f, x, v: torch.autograd.grad(f(x), x)[0]), "x does not require grad")
    assert_wrong(judge3(gradient_only), "that is the gradient g of f")
    assert_wrong(judge3(accumulated), "g + H v", "torch.autograd.grad")
    assert_wrong(judge3(with_ones), "Hessian times a vector of ones")
    assert_wrong(judge3(scalar), "returns a scalar")
    assert_wrong(judge3(wrong_leaf), "returned None")
    assert_wrong(judge3(lambda f, x, v: torch.autograd.functional.hessian(f, x)), "the whole Hessian")
    assert_wrong(judge3(lambda f, x, v: 2 * by_func(f, x, v)), "do not match H v")
    precision = judge3(lambda f, x, v: by_func(f, x, v).float().double())
    assert precision.message == "the answer matches only to float32 precision."
    assert judge3(lambda f, x, v: by_func(f, x, v).float()).correct  # a float32 result is judged in float32


# --- exercise 4 --------------------------------------------------------------------------------
def silu_class(forward_value, derivative, save=True, name="Candidate", mark=False):
    def forward(ctx, x):
        if save:
            ctx.save_for_backward(x)
        else:
            ctx.x = x
        out = forward_value(x)
        if mark:
            ctx.mark_non_differentiable(out)
        return out

    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors if save else (ctx.x,)
        return derivative(x, grad_output)

    methods = {"forward": staticmethod(forward), "backward": staticmethod(backward)}
    return type(name, (torch.autograd.Function,), methods)


def silu(x):
    return x * torch.sigmoid(x)


def silu_prime(x, g):
    s = torch.sigmoid(x)
    return g * s * (1 + x * (1 - s))


class SetupContextStyle(torch.autograd.Function):
    @staticmethod
    def forward(x):
        return x * torch.sigmoid(x)

    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(inputs[0])

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return silu_prime(x, grad_output)


def autograd_inside(of):
    def derivative(x, grad_output):
        with torch.enable_grad():
            leaf = x.detach().requires_grad_(True)
            (grad,) = torch.autograd.grad(of(leaf), leaf, grad_output)
        return grad

    return derivative


SigmoidOnly = silu_class(silu, autograd_inside(torch.sigmoid), name="SigmoidOnly")


@pytest.mark.parametrize(
    "right",
    [
        silu_class(silu, silu_prime),
        silu_class(silu, autograd_inside(silu), name="ByAutograd"),
        silu_class(torch.nn.functional.silu, silu_prime, name="Builtin"),
        SetupContextStyle,
    ],
    ids=["plain", "autograd inside backward", "builtin forward", "setup_context"],
)
def test_4_other_right_answers(right):
    assert judge(4, right).correct


def test_4_forms():
    right = solved(4)
    assert_wrong(judge(4, right.apply), "the answer is SiLU.apply; pass the class itself, answer = SiLU.")
    assert_wrong(judge(4, "SiLU"), "the answer is a string, not a class")
    assert_wrong(judge(4, int), "is not a subclass of torch.autograd.Function")
    assert_wrong(judge(4, torch.autograd.Function), "is not a subclass")


def test_4_typical_mistakes():
    cases = {
        "derivative of silu, not silu": silu_class(lambda x: silu_prime(x, 1), silu_prime),
        "forward does not compute silu": silu_class(lambda x: 2 * silu(x), silu_prime),
        "has no grad_fn": silu_class(silu, silu_prime, mark=True),
        "not as an attribute of ctx": silu_class(silu, silu_prime, save=False),
        "without multiplying by the gradient arriving from above": silu_class(silu, lambda x, g: silu_prime(x, 1)),
        "a term of the product rule is missing": silu_class(silu, lambda x, g: g * torch.sigmoid(x)),
        "the derivative of the sigmoid alone": SigmoidOnly,
        "backward does not match": silu_class(silu, lambda x, g: -silu_prime(x, g)),
    }
    for fragment, answer in cases.items():
        assert_wrong(judge(4, answer), fragment)
    precision = judge(4, silu_class(silu, lambda x, g: silu_prime(x.float(), g.float()).double()))
    assert precision.message == "the answer matches only to float32 precision." and "at x = " in str(precision.hint)
    raising = judge(4, silu_class(silu, lambda x, g: x.undefined_method()))
    assert raising.message == "your function raised an error." and "AttributeError" in str(raising.hint)


# --- exercise 5 --------------------------------------------------------------------------------
def cloned(x):
    y = x * 2
    y += 1
    z = torch.sigmoid(y).clone()
    z *= y
    return z


@pytest.mark.parametrize(
    "right", [cloned, lambda x: torch.sigmoid(2 * x + 1) * (2 * x + 1), lambda x: torch.nn.functional.silu(x * 2 + 1)]
)
def test_5_other_right_answers(right):
    assert judge(5, as_answer(5, right)).correct


def sigmoid_detached(x):
    y = x * 2 + 1
    z = torch.sigmoid(y).detach()
    z *= y
    return z


def through_data(x):
    y = x * 2 + 1
    z = torch.sigmoid(y)
    z.data *= y.data
    return z


def under_no_grad(x):
    y = x * 2 + 1
    z = torch.sigmoid(y)
    with torch.no_grad():
        z *= y
    return z


def leaf_in_place(x):
    x.mul_(2)
    return torch.sigmoid(x + 1) * (x + 1)


def as_answer5(fixed):
    return as_answer(5, fixed)


def test_5_typical_mistakes():
    assert_wrong(judge(5, as_answer5(l2.broken5)), 'still fails with "modified by an inplace operation"')
    assert_wrong(judge(5, as_answer5(under_no_grad)), "modified by an inplace operation")
    assert_wrong(judge(5, as_answer5(lambda x: l2.broken5(x).detach())), "does not reach x", "hides the error")
    assert_wrong(judge(5, as_answer5(sigmoid_detached)), "only part of the gradient", "sigmoid's output was detached")
    assert_wrong(judge(5, as_answer5(lambda x: torch.sigmoid(2 * x + 1) * (2 * x + 1).detach())), "the factor y")
    assert_wrong(judge(5, as_answer5(through_data)), "went through .data")
    assert_wrong(judge(5, as_answer5(leaf_in_place)), "changes x in place")
    assert_wrong(judge(5, as_answer5(lambda x: torch.sigmoid(x) * x)), "the values changed")


def test_5_the_public_function_really_fails():
    x = torch.linspace(-1, 1, 4, requires_grad=True)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        l2.broken5(x).sum().backward()


# --- exercise 6 --------------------------------------------------------------------------------
def node_prehook(tensor, c):
    return tensor.grad_fn.register_prehook(lambda grad_outputs: (grad_outputs[0].clamp(-c, c),))


def with_where(tensor, c):
    return tensor.register_hook(lambda grad: torch.where(grad.abs() > c, c * grad.sign(), grad))


@pytest.mark.parametrize("right", [node_prehook, with_where])
def test_6_other_right_answers(right):
    assert judge(6, right).correct


def no_return(tensor, c):
    def hook(grad):
        grad.clamp(-c, c)

    return tensor.register_hook(hook)


def at_the_leaf(tensor, c):
    leaf = tensor.grad_fn.next_functions[0][0].variable
    return leaf.register_hook(lambda grad: grad.clamp(-c, c))


def registered_twice(tensor, c):
    tensor.register_hook(lambda grad: grad.clamp(-c, c))
    return tensor.register_hook(lambda grad: grad.clamp(-c, c))


def test_6_typical_mistakes():
    assert_wrong(judge(6, no_return), "went through unchanged", "returns None")
    assert_wrong(judge(6, at_the_leaf), "clipped at the wrong tensor")
    assert_wrong(judge(6, lambda t, c: t.register_hook(lambda g: g.clamp(max=c))), "only the upper side")
    assert_wrong(judge(6, lambda t, c: t.register_hook(lambda g: g.clamp(-1, 1))), "checker asked for c = 0.75")
    assert_wrong(judge(6, lambda t, c: t.register_hook(lambda g: 2 * g.clamp(-c, c))), "with c = 0.75", "at x = ")
    assert_wrong(
        judge(6, lambda t, c: t.register_hook(lambda g: g.clamp(-c, c)) and None),
        "returned None, not the hook's handle",
    )
    assert_wrong(judge(6, registered_twice), "after handle.remove()")


def test_6_the_cases_clip_above_below_and_not_at_all():
    for c in (0.75, 2.5):
        for at_h in (l2._GRADIENTS6 * 0.9, l2._GRADIENTS6 * 1.1):
            assert (at_h > c).all() == False and (at_h > c).any() and (at_h < -c).any()  # noqa: E712
            assert ((at_h.abs() < c) & (at_h.abs() > 0.01)).any() and (at_h.abs() < 1).any()


def test_6_in_place_works_with_a_remark():
    feedback = judge(6, lambda t, c: t.register_hook(lambda g: g.clamp_(-c, c)))
    assert feedback.correct and "in place" in str(feedback.hint) and "grad.clamp(-c, c)" in str(feedback.hint)


# --- exercise 7 --------------------------------------------------------------------------------
def by_functional_jacobian(f, x):
    if x.numel() < f(x).numel():
        return torch.autograd.functional.jacobian(f, x, vectorize=True, strategy="forward-mode")
    return torch.autograd.functional.jacobian(f, x)


def by_rows_and_columns(f, x):
    n, m = x.numel(), f(x).numel()
    if n < m:
        basis = torch.eye(n, dtype=x.dtype)
        return torch.stack([torch.func.jvp(f, (x,), (basis[i],))[1] for i in range(n)], dim=1)
    _, pullback = torch.func.vjp(f, x)
    basis = torch.eye(m, dtype=x.dtype)
    return torch.stack([pullback(basis[i])[0] for i in range(m)])


@pytest.mark.parametrize("right", [by_functional_jacobian, by_rows_and_columns])
def test_7_other_right_answers(right):
    assert judge(7, as_answer(7, right)).correct


def both(f, x):
    jacfwd(f)(x)
    return jacrev(f)(x)


def finite_differences(f, x):
    step = 1e-6
    columns = [(f(x + step * e) - f(x - step * e)) / (2 * step) for e in torch.eye(x.numel(), dtype=x.dtype)]
    return torch.stack(columns, dim=1)


def judge7(jacobian):
    return judge(7, as_answer(7, jacobian))


def test_7_typical_mistakes():
    assert_wrong(judge7(lambda f, x: jacrev(f)(x)), "ℝ^3 → ℝ^200 (tall", "200 rows", "one column per input: 3")
    assert_wrong(judge7(lambda f, x: jacfwd(f)(x)), "ℝ^200 → ℝ^3 (wide", "200 columns", "one row per output: 3")
    for said in (judge7(lambda f, x: jacrev(f)(x)).hint, judge7(lambda f, x: jacfwd(f)(x)).hint):
        assert "pass" not in str(said), "jacfwd and jacrev batch their products with vmap: no pass per row or column"
    threshold = judge7(lambda f, x: jacfwd(f)(x) if x.numel() < 10 else jacrev(f)(x))
    assert_wrong(threshold, "ℝ^40 → ℝ^300", "Compare x.numel() with f(x).numel()")
    assert_wrong(judge7(lambda f, x: solved(7)["jacobian"](f, x).T), "shape (3, 200): it is the transposed Jacobian")
    assert_wrong(judge7(both), "used both modes")
    assert_wrong(judge7(finite_differences), "neither mode of autograd")
    assert_wrong(judge7(lambda f, x: 2 * solved(7)["jacobian"](f, x)), "do not match the Jacobian", "at position")


def test_7_the_probe_is_reset_and_left_clean():
    judge(7, as_answer(7, both))
    assert l2._Probe.used == set()
