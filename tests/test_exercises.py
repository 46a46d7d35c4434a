"""check(number, answer): right answers pass, typical wrong ones get the intended hint."""

from __future__ import annotations

import time

import pytest
import torch

import autograd_lessons
from autograd_lessons import LessonError, set_language
from autograd_lessons.claims import control_flow
from autograd_lessons.exercises import X1, X7, Feedback, check, f5
from autograd_lessons.graph import trace


# --- answers computed the way a learner would ------------------------------------------------
def answer1():
    x = X1.clone().requires_grad_()
    start = time.perf_counter()
    (first,) = torch.autograd.grad(torch.sin(x).sum(), x, create_graph=True)
    middle = time.perf_counter()
    (second,) = torch.autograd.grad(first.sum(), x)
    end = time.perf_counter()
    return {"first_seconds": 1e-4, "second_seconds": 2e-4, "second_derivative": second, "_first": first,
            "_real": (middle - start, end - middle)}


def answer2(zero=True, twice=True):
    x = torch.arange(4.0, requires_grad=True)
    y = (x * x).sum()
    y.backward()
    error = None
    try:
        y.backward()
    except RuntimeError as e:
        error = e
    if zero:
        x.grad.zero_()
    z = (x * x).sum()
    z.backward(retain_graph=True)
    if twice:
        z.backward()
    return {"error": error, "grad": x.grad}


def answer3(a):
    a = a.clone().requires_grad_()
    control_flow(a).sum().backward()
    return (a, a.grad)


def dsin(x):
    x = x.requires_grad_()
    (g,) = torch.autograd.grad(torch.sin(x).sum(), x)
    return g


def my_f(x):
    return torch.log(x ** 2) * torch.sin(x) + 1 / x


def ops_of(function):
    x = torch.tensor(2.0, requires_grad=True)
    counts = trace(function(x)).counts()
    del counts["AccumulateGrad"]
    return list(counts.elements())


def dfdx(x):
    return 2 / x * torch.sin(x) + torch.log(x ** 2) * torch.cos(x) - 1 / x ** 2


def answer7():
    ones = torch.ones_like(X7)
    forward = torch.func.jvp(f5, (X7,), (ones,))[1]
    backward = torch.func.vjp(f5, X7)[1](ones)[0]
    return {"forward": forward, "backward": backward}


def answer8(tall=(0.001, 0.01), wide=(0.01, 0.001), conclusion=("forward", "reverse")):
    return {"tall": tall, "wide": wide, "conclusion": dict(zip(("tall", "wide"), conclusion))}


RIGHT = {
    1: lambda: answer1(),
    2: lambda: answer2(),
    3: lambda: answer3(torch.tensor([[0.5, -1.0], [2.0, 0.25]])),
    4: lambda: dsin,
    5: lambda: (my_f, ops_of(my_f)),
    6: lambda: dfdx,
    7: answer7,
    8: lambda: answer8(),
}
WRONG_FORM = {1: {"second_derivative": X1}, 2: [1, 2], 3: "a", 4: 3.0, 5: (my_f,), 6: "dfdx",
              7: {"forward": X7}, 8: {"tall": (1, 2), "wide": (2, 1), "conclusion": "forward"}}


@pytest.mark.parametrize("number", range(1, 9))
def test_right_answer_is_accepted(number):
    feedback = check(number, RIGHT[number]())
    assert isinstance(feedback, Feedback)
    assert feedback.correct, str(feedback)
    assert feedback.hint is None
    assert str(feedback).startswith(f"✔ Exercise {number}: correct — ")


@pytest.mark.parametrize("number", range(1, 9))
def test_none_and_ellipsis_are_not_answered(number):
    for blank in (None, ...):
        feedback = check(number, blank)
        assert not feedback.correct and "not answered yet" in feedback.message
    assert "form" in feedback.message


@pytest.mark.parametrize("number", range(1, 9))
def test_wrong_form_gives_a_form_hint_not_an_exception(number):
    feedback = check(number, WRONG_FORM[number])
    assert not feedback.correct
    assert feedback.hint.startswith("the answer should be "), feedback.hint


@pytest.mark.parametrize("number", [0, 9, -1, "1", 1.0, True])
def test_unknown_exercise_lists_the_numbers(number):
    with pytest.raises(LessonError, match="1–8"):
        check(number, None)


def test_lazy_export():
    assert autograd_lessons.check is check
    assert "check" in autograd_lessons.__all__


def test_text_is_deterministic_and_in_both_languages():
    wrong = answer2(zero=False)
    en_ok, en_wrong = str(check(2, answer2())), str(check(2, wrong))
    assert en_ok == str(check(2, answer2())) and repr(check(2, wrong)) == en_wrong
    assert en_ok.startswith("✔ Exercise 2: correct — ")
    assert en_wrong.startswith("✘ Exercise 2: not yet — ") and "\n  hint: " in en_wrong
    set_language("pt")
    pt_ok, pt_wrong = str(check(2, answer2())), str(check(2, wrong))
    assert pt_ok.startswith("✔ Exercício 2: correto — ")
    assert pt_wrong.startswith("✘ Exercício 2: ainda não — ") and "\n  dica: " in pt_wrong
    assert "zere-o primeiro" in pt_wrong
    assert "0x" not in pt_wrong and "at 0x" not in en_wrong


def test_feedback_keeps_the_language_it_was_made_in():
    feedback = check(2, None)
    set_language("pt")
    assert "Exercise 2" in str(feedback)


def test_html_has_the_badge():
    ok = check(6, dfdx)._repr_html_()
    assert "#0072B2" in ok and "✔" in ok and "#ffffff" in ok
    wrong = check(6, lambda x: dfdx(x) + 2 / x ** 2)._repr_html_()
    assert "#D55E00" in wrong and "✘" in wrong and "hint:" in wrong and "<script" not in wrong


# --- the typical wrong answers -----------------------------------------------------------------
def test_1_first_derivative_and_implausible_times():
    right = answer1()
    assert all(t > 0 for t in right["_real"])
    first = check(1, {**right, "second_derivative": right["_first"]})
    assert not first.correct and "that is the first derivative" in first.hint
    fast = check(1, {**right, "first_seconds": 1.0, "second_seconds": 0.01})
    assert not fast.correct and "more repetitions" in fast.hint
    assert "0.01" not in str(fast) and "1.0" not in str(fast)
    assert not check(1, {**right, "first_seconds": 0.0}).correct
    assert not check(1, {**right, "second_derivative": torch.sin(X1)}).correct


def test_2_typical_mistakes():
    once = check(2, answer2(twice=False))
    assert not once.correct and "did you zero it in between or call backward only once" in once.hint
    stale = check(2, answer2(zero=False))
    assert not stale.correct and "still held the 2x from the first part" in stale.hint
    no_error = check(2, {**answer2(), "error": None})
    assert not no_error.correct and "second time" in no_error.hint
    other = check(2, {**answer2(), "error": ValueError("second time")})
    assert not other.correct and "RuntimeError" in other.hint
    unrelated = check(2, {**answer2(), "error": RuntimeError("something else")})
    assert not unrelated.correct and "second time" in unrelated.hint


@pytest.mark.parametrize("a", [torch.tensor([0.5, -1.0]), torch.tensor([[-3.0, 1.0], [0.5, 0.5]]), torch.tensor([700.0, 1.0])])
def test_3_vectors_and_matrices(a):
    assert check(3, answer3(a)).correct


def test_3_typical_mistakes():
    scalar = check(3, answer3(torch.tensor(0.5)))
    assert not scalar.correct and "use a vector or matrix" in scalar.hint
    a, grad = answer3(torch.tensor([0.5, -1.0, 2.0]))
    shape = check(3, (a, grad[:2]))
    assert not shape.correct and "shape" in shape.hint
    off = check(3, (a, grad / 100))
    assert not off.correct and "should be 512" in off.hint


def test_4_calling_cos_is_rejected_and_cos_is_restored():
    originals = torch.cos, torch.Tensor.cos, torch.Tensor.cos_
    for cheat in (torch.cos, lambda x: torch.cos(x), lambda x: x.cos(), lambda x: x.clone().cos_()):
        feedback = check(4, cheat)
        assert not feedback.correct and "uses cos directly" in feedback.hint
    assert (torch.cos, torch.Tensor.cos, torch.Tensor.cos_) == originals
    assert torch.cos(torch.tensor(0.0)) == 1
    sine = check(4, torch.sin)
    assert not sine.correct and "not the derivative of sin" in sine.hint
    broken = check(4, lambda x: x.undefined())
    assert not broken.correct and "AttributeError" in broken.hint


def test_4_torch_func_grad_is_accepted():
    assert check(4, torch.func.vmap(torch.func.grad(torch.sin))).correct


def test_5_missing_and_extra_operations():
    ops = ops_of(my_f)
    missing = check(5, (my_f, [op for op in ops if op != "SinBackward0"]))
    assert not missing.correct and "Missing: SinBackward0. Extra: —." in missing.hint
    extra = check(5, (my_f, ops + ["ExpBackward0"]))
    assert not extra.correct and "Missing: —. Extra: ExpBackward0." in extra.hint

    def other_way(x):  # a different graph for the same function: its own ops are the answer
        return 2 * torch.log(x.abs()) * torch.sin(x) + x.reciprocal()

    assert check(5, (other_way, ops_of(other_way))).correct
    assert not check(5, (other_way, ops)).correct
    values = check(5, (lambda x: torch.log(x) * torch.sin(x) + 1 / x, ops))
    assert not values.correct and "same values" in values.hint


def test_6_sign_error_names_the_point():
    feedback = check(6, lambda x: 2 / x * torch.sin(x) + torch.log(x ** 2) * torch.cos(x) + 1 / x ** 2)
    assert not feedback.correct
    assert "at x = 0.2 " in feedback.hint and "Check the sign of the last term: d/dx x⁻¹ = −x⁻²" in feedback.hint
    other = check(6, lambda x: 1 / x * torch.sin(x) + torch.log(x ** 2) * torch.cos(x) - 1 / x ** 2)
    assert not other.correct and "at x = " in other.hint and "chain rule" in other.hint


def test_7_says_which_mode_is_off():
    right = answer7()
    fwd = check(7, {**right, "forward": f5(X7)})
    assert not fwd.correct and fwd.hint.startswith('"forward" does not match')
    bwd = check(7, {**right, "backward": -right["backward"]})
    assert not bwd.correct and bwd.hint.startswith('"backward" does not match')
    assert not check(7, {"forward": X7, "backward": X7}).correct


def test_8_judges_against_the_measurement():
    right, again = check(8, answer8()), check(8, answer8(tall=(2.0, 3.0), wide=(5.0, 0.5)))
    assert right.correct and again.correct and right.message == again.message
    assert not any(ch.isdigit() for ch in right.message)
    swapped = check(8, answer8(conclusion=("reverse", "forward")))
    assert not swapped.correct and "so the faster one is \"forward\"" in swapped.hint
    odd = check(8, answer8(tall=(0.02, 0.01), conclusion=("reverse", "reverse")))
    assert odd.correct and "measure with larger sizes or more repetitions" in odd.hint
    odd_wrong = check(8, answer8(tall=(0.02, 0.01)))
    assert not odd_wrong.correct
    assert not check(8, answer8(conclusion=("forward", "fast"))).correct
