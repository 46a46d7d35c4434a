"""Lesson 2's checkers at the edges: these tests pin the feedback a learner reads. Each wrong answer
gets exactly its headline key, hint key and fields (the numbers, the position or the x, the dtype, the
names), and the fields show in both languages; each hidden case of exercise 1 is reached by an answer
right on the other one; a finite-difference step exactly at the checker's distance is named and one
just beyond it is not; the worst element is the one furthest off, NaN counting as furthest; a backward
returning extra Nones is accepted and one returning a wrong shape is told so in the backward's terms;
a few extra passes are not mistaken for building the Hessian. They also pin the public examples:
forward1, forward2 and f3 compute what the statement says."""

from __future__ import annotations

import math

import pytest
import torch
from torch.func import grad, jvp, vmap

from autograd_lessons import exercises as machinery
from autograd_lessons import set_language
from autograd_lessons.exercises import check
from autograd_lessons.i18n import LANGUAGES, text
from autograd_lessons.lessons.in_depth import exercises as l2
from test_lesson1_checks_1_to_6 import assert_feedback, assert_form
from test_lesson2_exercises import by_autograd_grad, silu, silu_class, silu_prime


@pytest.fixture(autouse=True)
def fresh_hints(monkeypatch):
    monkeypatch.setattr(machinery, "_hints_shown", {})


@pytest.fixture(params=LANGUAGES)
def language(request):
    set_language(request.param)
    return request.param


def judge(number, answer):
    return check(number, answer, lesson=2)


# --- exercise 1: its two hidden cases, one by one, with their numbers ---------------------------
def scaled(forward, x):
    return 1.1 * by_autograd_grad(forward, x)


def scaled_on_second_case(forward, x):
    """Right on the first hidden case (x of 3 features), 1.1 × dL/dh on the second."""
    g = by_autograd_grad(forward, x)
    return g if x.shape[1] == 3 else 1.1 * g


def nan_and_off(forward, x):
    g = 1.1 * by_autograd_grad(forward, x)
    g[0, 1] = math.nan
    return g


def one_element_off(forward, x):
    g = by_autograd_grad(forward, x).clone()
    g[2, 1] += 0.5
    return g


FIRST_CASE_WRONG = {
    "scaled": (scaled, "(4, 1)", "-3.3002961421129506", "-3.000269220102682"),
    "second case only": (scaled_on_second_case, "(5, 2)", "1.6529873794009908", "1.502715799455446"),
    "NaN counts as furthest": (nan_and_off, "(0, 1)", "nan", "1.1812847785879395"),
    "one element off": (one_element_off, "(2, 1)", "-0.5177225193485044", "-1.0177225193485047"),
    "float32, shown in float32": (lambda f, x: scaled(f, x).float(), "(4, 1)", "-3.300296", "-3.0002692"),
}


@pytest.mark.parametrize("name", FIRST_CASE_WRONG)
def test_1_wrong_values_name_the_worst_position_and_its_numbers(name, language):
    """The hidden cases' values are fixed: a wrong answer is told the same position and numbers at
    every run, in the answer's own precision, and the worst element is the one furthest off."""
    answer, position, actual, expected = FIRST_CASE_WRONG[name]
    where = text("exercises.l2.at_index", index=position)
    feedback = judge(1, answer)
    assert_feedback(
        feedback, "exercises.l2.1.values", "exercises.incorrect", where=where, actual=actual, expected=expected
    )
    assert str(where) == {"en": f"at position {position}", "pt": f"na posição {position}"}[language]


def test_1_the_second_case_has_seven_rows_and_five_units():
    """The second hidden case's h is 7 × 5: a result of another shape is told so."""
    seen = []

    def answer(forward, x):
        seen.append(tuple(forward(x)[0].shape))
        return by_autograd_grad(forward, x)

    assert judge(1, answer).correct
    assert seen == [(6, 4), (7, 5)]


def test_1_precision_names_the_dtype_without_the_torch_prefix(language):
    """A float64 result that went through float32 gets the precision hint naming float64."""
    feedback = judge(1, lambda forward, x: by_autograd_grad(forward, x).float().double())
    assert_feedback(
        feedback,
        "exercises.l2.precision",
        "exercises.precision_headline",
        dtype="float64",
        where=text("exercises.l2.at_index", index="(1, 1)"),
        actual="1.8229299783706665",
        expected="1.8229299207405318",
    )
    assert {"en": "but not in float64:", "pt": "mas não em float64:"}[language] in str(feedback.hint)
    assert "torch.float64" not in str(feedback)


def test_1_an_error_after_calling_forward_is_shown_as_raised(language):
    """The answer called forward, then raised: the learner reads the error itself."""

    def answer(forward, x):
        forward(x)
        raise ValueError("after the call")

    feedback = judge(1, answer)
    assert_feedback(feedback, "exercises.raised", "exercises.raised_headline", error="ValueError: after the call")


def test_1_an_error_before_calling_forward_names_forward_and_the_example(language):
    """The answer raised without calling forward: the hint names forward and forward1."""

    def answer(forward, x):
        raise ValueError("before")

    feedback = judge(1, answer)
    assert_feedback(
        feedback,
        "exercises.l2.not_called_raised",
        "exercises.raised_headline",
        error="ValueError: before",
        name="forward",
        example="forward1",
    )


# --- exercise 3: the counted passes and the watched points -----------------------------------------
def double_backward(f, x, v):
    x = x.detach().requires_grad_(True)
    (g,) = torch.autograd.grad(f(x), x, create_graph=True)
    return torch.autograd.grad((g * v).sum(), x)[0]


def with_an_extra_backward(f, x, v):
    leaf = x.detach().requires_grad_(True)
    torch.autograd.grad(f(leaf), leaf)
    return double_backward(f, x, v)


def with_two_extra_jvps(f, x, v):
    jvp(f, (x,), (v,))
    jvp(f, (x,), (v,))
    return jvp(grad(f), (x,), (v,))[1]


def column_by_column(f, x, v):
    """H v as Σ v_i H e_i: one forward-over-reverse pass per column of H, no n × n tensor."""
    total = torch.zeros_like(x)
    for i in range(x.numel()):
        e = torch.zeros_like(x)
        e[i] = 1
        total = total + v[i] * jvp(grad(f), (x,), (e,))[1]
    return total


@pytest.mark.parametrize("hvp", [with_an_extra_backward, with_two_extra_jvps])
def test_3_a_few_extra_passes_are_not_building_the_hessian(hvp):
    """Three or four passes, fewer than n, are still a product without H."""
    assert judge(3, {"hvp": hvp, "why": "b"}).correct


def test_3_one_pass_per_column_builds_the_hessian(language):
    """n forward-over-reverse passes, one per column of H, are counted as building H."""
    feedback = judge(3, {"hvp": column_by_column, "why": "b"})
    assert_feedback(feedback, "exercises.l2.3.built_hessian", "exercises.l2.right_values", n=5)


def test_3_calling_f_under_vmap_is_not_a_finite_difference_step(language):
    """f called on a batched x (vmap) is no step next to x: a wrong result gets the values hint."""

    def hvp(f, x, v):
        vmap(f)(x[None])
        return 2 * double_backward(f, x, v)

    feedback = judge(3, {"hvp": hvp, "why": "b"})
    assert_feedback(
        feedback,
        "exercises.l2.3.values",
        "exercises.incorrect",
        where=text("exercises.l2.at_index", index="(2,)"),
        actual="10.903626892217398",
        expected="5.451813446108699",
    )


# --- exercise 4: steps at the edge, backward's form ----------------------------------------------------
def evaluating_silu_near_x(step):
    """A SiLU whose backward is off by 1% and evaluates sigmoid at x moved by `step(1 + max|x|)`
    at its element nearest zero (the checker's points include 0)."""

    def backward(x, g):
        moved = x.clone()
        moved.view(-1)[int(x.reshape(-1).abs().argmin())] += step(1 + float(x.abs().max()))
        torch.sigmoid(moved)
        return 1.01 * silu_prime(x, g)

    return silu_class(silu, backward)


AT_THE_EDGE = {
    "exactly the largest step": lambda scale: l2.NEAR_STEP * scale,
}
BEYOND_THE_EDGE = {
    "just beyond": lambda scale: math.nextafter(l2.NEAR_STEP * scale, math.inf),
    "half a step beyond": lambda scale: l2.NEAR_STEP * (scale + 0.5),
}


def derivative_by_both_steps_at_once(x, grad_output):
    """Central differences with both steps in one batch: silu at x + h and x - h, stacked by
    broadcasting (no stepped tensor of x's own shape is ever made)."""
    step = 1e-6
    both = silu(x + step * torch.tensor([1.0, -1.0], dtype=x.dtype).reshape(2, *[1] * x.dim()))
    return grad_output * (both[0] - both[1]) / (2 * step)


def derivative_by_a_complex_step(x, grad_output):
    """The complex step: Im f(x + ih) / h, here with a step large enough to be off by h²."""
    step = 1e-3
    return grad_output * silu(x + 1j * step).imag / step


def derivative_by_an_exact_complex_step(x, grad_output):
    """The complex step with h = 1e-20: no cancellation, exact to rounding (not an approximation)."""
    return grad_output * silu(x + 1e-20j).imag / 1e-20


@pytest.mark.parametrize("derivative", [derivative_by_both_steps_at_once, derivative_by_a_complex_step])
def test_4_steps_taken_in_a_batch_or_in_the_complex_plane_are_an_approximation(derivative, language):
    feedback = judge(4, silu_class(silu, derivative))
    assert_feedback(feedback, "exercises.l2.4.approximate", "exercises.l2.approximate_headline")


def test_4_a_complex_step_exact_to_rounding_is_right():
    assert judge(4, silu_class(silu, derivative_by_an_exact_complex_step)).status == "correct"


@pytest.mark.parametrize("name", AT_THE_EDGE)
def test_4_a_step_up_to_the_limit_is_an_approximation(name, language):
    feedback = judge(4, evaluating_silu_near_x(AT_THE_EDGE[name]))
    assert_feedback(feedback, "exercises.l2.4.approximate", "exercises.l2.approximate_headline")


@pytest.mark.parametrize("name", BEYOND_THE_EDGE)
def test_4_a_step_beyond_the_limit_gets_the_values_hint(name, language):
    feedback = judge(4, evaluating_silu_near_x(BEYOND_THE_EDGE[name]))
    assert_feedback(
        feedback,
        "exercises.l2.4.backward",
        "exercises.incorrect",
        where=text("exercises.l2.at_x", x="5.33405596528204"),
        actual="1.798804301967353",
        expected="1.7809943583835177",
    )
    assert {"en": "at x = 5.33405596528204", "pt": "em x = 5,33405596528204"}[language] in str(feedback.hint)


@pytest.mark.parametrize(
    "returned",
    [lambda grad: (grad, None), lambda grad: (grad, None, None), lambda grad: (grad,)],
    ids=["one extra None", "two extra Nones", "a 1-tuple"],
)
def test_4_a_backward_returning_its_gradient_and_extra_nones_passes(returned):
    """Autograd drops the Nones after the one input's gradient; so does the checker."""
    assert judge(4, silu_class(silu, lambda x, g: returned(silu_prime(x, g)))).correct


def test_4_a_backward_returning_two_tensors_is_a_form_error(language):
    feedback = judge(4, silu_class(silu, lambda x, g: (silu_prime(x, g), x)))
    assert_form(
        feedback,
        "exercises.form.not_tensor",
        name=text("exercises.l2.4.backward_result"),
        kind=text("exercises.kind.tuple", count=2),
    )


def test_4_a_backward_of_the_wrong_shape_is_told_in_the_backwards_terms(language):
    feedback = judge(4, silu_class(silu, lambda x, g: silu_prime(x, g).T))
    name = text("exercises.l2.4.backward_result")
    assert_form(feedback, "exercises.form.shape", name=name, actual="(5, 3)", expected="(3, 5)")
    sentence = {
        "en": "what backward returns has shape (5, 3), and (3, 5) is expected.",
        "pt": "o que backward devolve tem formato (5, 3), e o esperado é (3, 5).",
    }[language]
    assert sentence in str(feedback.hint)


def test_4_a_class_that_is_not_a_function_is_named(language):
    feedback = judge(4, int)
    assert_form(feedback, "exercises.l2.4.not_function", name="int")
    assert "class int(torch.autograd.Function)" in str(feedback.hint)


# --- exercise 6: the checker's backward through a hook that fails ------------------------------------
def test_6_a_hook_that_raises_shows_its_error(language):
    feedback = judge(6, lambda tensor, c: tensor.register_hook(lambda g: 1 / 0))
    assert_feedback(
        feedback,
        "exercises.l2.6.hook_failed",
        "exercises.l2.checker_backward",
        error="ZeroDivisionError: division by zero",
    )


# --- the public examples are what the statements say -------------------------------------------------
def leaves(tensor):
    """The leaves that require grad in `tensor`'s graph, by shape."""
    found, stack, seen = {}, [tensor.grad_fn], set()
    while stack:
        node = stack.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        if hasattr(node, "variable"):
            found[tuple(node.variable.shape)] = node.variable
        stack.extend(next_node for next_node, _ in node.next_functions)
    return found


def test_forward1_is_a_tanh_layer_and_a_mean_square_with_three_parameters():
    h, loss = l2.forward1(l2.X1)
    parameters = leaves(loss)
    assert sorted(parameters) == [(3, 4), (4,), (4, 2)]
    weight, bias, out = parameters[(3, 4)], parameters[(4,)], parameters[(4, 2)]
    expected_h = torch.tanh(l2.X1 @ weight + bias)
    assert torch.allclose(h, expected_h)
    assert torch.allclose(loss, ((expected_h @ out) ** 2).mean())
    assert all(p.requires_grad for p in (weight, bias, out)) and h.requires_grad


def test_forward2_shares_h_between_a_squared_error_and_half_a_squared_sum():
    w = l2.W2.detach().clone().requires_grad_(True)
    loss1, loss2 = l2.forward2(w)
    h = torch.tanh(l2._A2 @ w.detach())
    assert torch.allclose(loss1, ((h - l2._T2) ** 2).sum())
    assert torch.allclose(loss2, h.sum() ** 2 / 2)
    (grad1,) = torch.autograd.grad(loss1, w)
    assert torch.allclose(grad1, l2._A2.T @ (2 * (h - l2._T2) * (1 - h**2)))


def test_f3_is_a_quartic_plus_neighbour_products():
    x = l2.X3.double()
    expected = (x**4).sum() / 4 + (x[:-1] * x[1:]).sum()
    assert math.isclose(float(l2.f3(x)), float(expected), rel_tol=1e-12)
    assert math.isclose(float(l2.f3(l2.X3)), (1 + 0.0625 + 16 + 0.00390625) / 4 - 1, rel_tol=1e-6)
    shifted = torch.zeros_like(x)
    shifted[:-1] += x[1:]
    shifted[1:] += x[:-1]
    assert torch.allclose(grad(l2.f3)(x), x**3 + shifted)
