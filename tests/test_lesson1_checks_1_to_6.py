"""Lesson 1's checkers of exercises 1 to 6 at the edges: these tests pin the feedback a learner reads.

Each wrong answer gets exactly its headline key, hint key and fields (the point, the numbers, the
names of the answer's parts), and the fields show in both languages. They pin the tolerances just
inside and just outside (an approximation at exactly the checker's distance, a hand value at exactly
3 significant digits, the derivative's "equal up to rounding" and its sign slip), NaN counting as
furthest, which point a hint shows, the grid and the point where the answers are read, the slope of
exercise 3 at its branch edges and for tiny inputs, exercise 4's counterfactual with a factory call
and a mixed answer, the hand values of exercise 7 at each node, and `median_seconds` on a clock the
test controls.
"""

from __future__ import annotations

import math

import pytest
import torch

from autograd_lessons import exercises as machinery
from autograd_lessons import get_language, set_language
from autograd_lessons.exercises import check
from autograd_lessons.i18n import LANGUAGES, Text, text
from autograd_lessons.lessons.autograd import exercises as l1
from autograd_lessons.lessons.autograd.maths import control_flow
from autograd_lessons.numbers import Decimal, shortest
from test_exercises import answer1, answer2, answer3, answer6, answer7, dsin, my_f, ops_of, walks7

X1 = torch.linspace(-3, 3, 1000)
GRID4 = torch.linspace(-2 * math.pi, 2 * math.pi, 101)
GRID5 = torch.linspace(0.5, 3.0, 20, dtype=torch.float64)
GRID6 = torch.linspace(0.2, 5.0, 50, dtype=torch.float64)


@pytest.fixture(autouse=True)
def fresh_hints(monkeypatch):
    monkeypatch.setattr(machinery, "_hints_shown", {})


@pytest.fixture(params=LANGUAGES)
def language(request):
    set_language(request.param)
    yield request.param
    set_language("en")


def plain(value):
    """A field as data: a Text as its key and fields, a number as Python writes it."""
    if isinstance(value, Text):
        return (value.key, {name: plain(field) for name, field in value.fields.items()})
    return str(value)


def in_words(value):
    """A field as the learner reads it: a Text rendered, a number with the language's decimal separator."""
    if isinstance(value, Decimal) and get_language() == "pt":
        return str(value).replace(".", ",")
    return str(value)


def assert_feedback(feedback, hint, headline="exercises.incorrect", **fields):
    """The feedback is wrong with this headline and hint, whose fields are as given and show in its text."""
    assert feedback.status == "wrong", str(feedback)
    assert feedback.headline.key == headline, str(feedback)
    assert feedback.hint.key == hint, str(feedback)
    assert {name: plain(value) for name, value in feedback.hint.fields.items()} == {
        name: plain(value) for name, value in fields.items()
    }, str(feedback)
    for value in feedback.hint.fields.values():
        assert in_words(value) in str(feedback), (in_words(value), str(feedback))


def assert_form(feedback, key, **fields):
    """The feedback is a form error whose sentence before the form is `key` with these fields."""
    assert feedback.status == "wrong" and feedback.headline.key == "exercises.bad_form", str(feedback)
    before = feedback.hint.fields["before"]
    assert before.key == key, str(feedback)
    assert {name: plain(value) for name, value in before.fields.items()} == {
        name: plain(value) for name, value in fields.items()
    }, str(feedback)
    assert str(before) in str(feedback.hint)


def assert_correct(feedback):
    assert feedback.status == "correct", str(feedback)


def returning(values):
    """A learner's function that returns `values` whatever its input."""
    return lambda x: values.clone()


# --- the form of each answer: the missing key, the part named --------------------------------------
@pytest.mark.parametrize(
    ("number", "build", "key"),
    [
        (1, answer1, "first_seconds"),
        (1, answer1, "second_seconds"),
        (1, answer1, "second_derivative"),
        (1, answer1, "why"),
        (2, answer2, "error"),
        (2, answer2, "grad"),
        (2, answer2, "why"),
        (6, answer6, "terms"),
        (6, answer6, "dfdx"),
    ],
)
def test_a_missing_key_is_named(language, number, build, key):
    """An answer dict without one of its keys is a form error naming exactly that key."""
    answer = build()
    del answer[key]
    assert_form(check(number, answer), "exercises.form.keys", missing=f'"{key}"')


@pytest.mark.parametrize("key", ["first_seconds", "second_seconds"])
def test_1_a_time_that_is_not_a_number_is_named(language, key):
    """A time given as text is a form error naming that entry of the answer."""
    answer = {**answer1(), key: "fast"}
    assert_form(check(1, answer), "exercises.form.number", name=f'answer["{key}"]', kind=text("exercises.kind.string"))


def test_1_a_derivative_of_another_shape_is_named(language):
    """A second derivative of the wrong shape names the entry, its shape and X1's."""
    answer = {**answer1(), "second_derivative": torch.zeros(10)}
    assert_form(
        check(1, answer),
        "exercises.form.shape",
        name='answer["second_derivative"]',
        actual="(10,)",
        expected="(1000,)",
    )


def test_2_a_gradient_of_another_shape_is_named(language):
    answer = {**answer2(), "grad": torch.zeros(3)}
    assert_form(check(2, answer), "exercises.form.shape", name='answer["grad"]', actual="(3,)", expected="(4,)")


def test_3_parts_that_are_not_tensors_are_named(language):
    """Exercise 3's pair names `a` or `a.grad`, whichever is not a tensor."""
    a, grad = answer3(torch.tensor([0.5, 2.0]))
    assert_form(
        check(3, ([0.5, 2.0], grad)), "exercises.form.not_tensor", name="a", kind=text("exercises.kind.list", count=2)
    )
    assert_form(
        check(3, (a, [1.0, 2.0])), "exercises.form.not_tensor", name="a.grad", kind=text("exercises.kind.list", count=2)
    )


@pytest.mark.parametrize("ops", ["Mul", [1, "MulBackward0"], ("MulBackward0", None)])
def test_5_operations_must_be_a_list_of_names(language, ops):
    """The operations are a list or tuple of strings; anything else is a form error naming `ops`."""
    assert_form(check(5, (my_f, ops)), "lesson1.form.names", name="ops")


@pytest.mark.parametrize(("value", "kind"), [("0.25", "exercises.kind.string"), (True, "exercises.kind.bool")])
def test_6_a_term_that_is_not_a_number_is_named(language, value, kind):
    """A hand term that is not a number names the term's entry inside answer["terms"] and what it is."""
    assert_form(
        check(6, answer6(**{"dv/du": value})),
        "lesson1.form.hand_number",
        name='answer["terms"]["dv/du"]',
        kind=text(kind),
    )


# --- exercise 1 ----------------------------------------------------------------------------------
def test_1_wrong_values_are_named(language):
    assert_feedback(check(1, {**answer1(), "second_derivative": torch.zeros(1000)}), "exercises.l1.1.values")


@pytest.mark.parametrize(("first", "second"), [(0.0, 1e-4), (1e-4, math.nan), (-1e-4, 1e-4), (1e-4, math.inf)])
def test_1_times_must_be_positive_and_finite(language, first, second):
    answer = {**answer1(), "first_seconds": first, "second_seconds": second}
    assert_feedback(check(1, answer), "exercises.l1.1.times_invalid")


@pytest.mark.parametrize(("ratio", "right"), [(0.5, True), (1.0, True), (1.4, True), (0.4999, False)])
def test_1_the_second_derivative_may_take_half_the_time_but_not_less(ratio, right):
    """The second pass is implausible only when it takes less than half of the first's time."""
    answer = {**answer1(), "first_seconds": 2e-4, "second_seconds": ratio * 2e-4}
    feedback = check(1, answer)
    if right:
        assert_correct(feedback)
    else:
        assert_feedback(feedback, "exercises.l1.1.times_implausible")


def test_1_a_float32_approximation_shows_the_worst_point_in_float32_digits(language):
    """A float32 finite-difference answer is an approximation; the hint gives x, the answer and
    the true value at the worst point, each with float32's shortest digits."""
    expected = -torch.sin(X1.double())
    got = (expected + 1e-3).float()
    got[123] += 5e-3
    assert_feedback(
        check(1, {**answer1(), "second_derivative": got}),
        "exercises.l1.1.approximate",
        x=shortest(float(X1[123]), torch.float32),
        actual=shortest(float(got[123]), torch.float32),
        expected=shortest(float(expected[123]), torch.float32),
    )
    assert "-2.2612612" in str(shortest(float(X1[123]), torch.float32))


def test_1_a_nan_is_not_an_approximation(language):
    """An answer near -sin everywhere but NaN at one point has wrong values, not an approximation."""
    got = -torch.sin(X1.double()) + 1e-3
    got[500] = math.nan
    assert_feedback(check(1, {**answer1(), "second_derivative": got}), "exercises.l1.1.values")


# --- exercise 2 ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("error", "kind"),
    [(ValueError("no"), text("exercises.kind.error", name="ValueError")), ("oops", text("exercises.kind.string"))],
)
def test_2_what_was_given_instead_of_the_error_is_named(language, error, kind):
    assert_feedback(check(2, {**answer2(), "error": error}), "exercises.l1.2.no_error", kind=kind)


def test_2_wrong_gradient_values_are_named(language):
    assert_feedback(check(2, {**answer2(), "grad": torch.tensor([1.0, 1.0, 1.0, 1.0])}), "exercises.l1.2.values")


def test_2_a_letter_outside_the_options_is_a_form_error(language):
    feedback = check(2, {**answer2(), "why": "x"})
    assert feedback.hint.fields["before"].key == "exercises.form.choice", str(feedback)
    assert feedback.hint.fields["before"].fields["options"] == '"a", "b", "c"'


# --- exercise 3 ----------------------------------------------------------------------------------
def test_3_a_gradient_of_another_shape_names_both_shapes(language):
    a, _ = answer3(torch.tensor([[0.5, -1.0], [2.0, 0.25]]))
    assert_feedback(check(3, (a, torch.ones(4))), "exercises.l1.3.shape", actual="(4,)", expected="(2, 2)")


@pytest.mark.parametrize(
    "a",
    [
        torch.tensor([1.0, -1.0]),  # b.sum() is exactly 0: the negative branch
        torch.tensor([1.0, -0.9999]),  # b.sum() is positive but below 1
        torch.tensor([600 / 1024, 800 / 1024]),  # ‖b‖ reaches exactly 1000 after 10 doublings
        torch.tensor([1e-40, 1e-40], dtype=torch.float64),  # so many doublings that 2^k is beyond float32
    ],
)
def test_3_the_gradient_of_f_is_right_at_its_edges(a):
    """f's own gradient is right at the branches' edges and for inputs far below float32's range."""
    assert_correct(check(3, answer3(a)))


def test_3_the_edges_give_the_slopes_f_has(language):
    """The slope the hints name follows f: 100·2^k when b.sum() is 0, k = 10 when ‖b‖ is exactly 1000."""
    for a, slope, k in ((torch.tensor([1.0, -1.0]), 102400, 10), (torch.tensor([600 / 1024, 800 / 1024]), 1024, 10)):
        assert_feedback(
            check(3, (a.clone().requires_grad_(), torch.zeros(2))), "exercises.l1.3.values", slope=slope, k=k
        )


def test_3_the_mean_slip_names_the_slope_and_the_count(language):
    a = torch.tensor([[0.5, -1.0], [2.0, 0.25]])
    assert_feedback(check(3, (a, torch.full((2, 2), 512 / 4))), "exercises.l1.3.mean", slope=512, count=4)


def test_3_the_mean_slip_for_a_tiny_float64_input(language):
    """With a = 1e-40 the slope 2^143 is beyond float32 and still named (mean and wrong values)."""
    a = torch.tensor([1e-40, 1e-40], dtype=torch.float64)
    slope = 2.0**143
    assert control_flow(a.clone().requires_grad_()).sum().item() == pytest.approx(2 * slope * 1e-40)
    assert_feedback(
        check(3, (a, torch.full((2,), slope / 2, dtype=torch.float64))),
        "exercises.l1.3.mean",
        slope=shortest(slope),
        count=2,
    )
    assert_feedback(
        check(3, (a, torch.zeros(2, dtype=torch.float64))), "exercises.l1.3.values", slope=shortest(slope), k=143
    )


# --- exercise 4 ----------------------------------------------------------------------------------
def test_4_a_derivative_through_float32_is_a_precision_slip(language):
    """dsin computed in float32 and returned as float64 gets the precision hint at the worst point."""

    def through_float32(x):
        return dsin(x.float().clone()).double()

    got = through_float32(GRID4.clone())
    expected = torch.cos(GRID4.double())
    i = int(torch.argmax((got - expected).abs()))
    assert_feedback(
        check(4, through_float32),
        "exercises.precision",
        "exercises.precision_headline",
        dtype="float64",
        x=shortest(float(GRID4[i]), torch.float32),
        actual=shortest(float(got[i])),
        expected=shortest(float(expected[i])),
    )


def exactly_at_distance(expected, distance):
    """(i, g): a float64 value g at some index i with g - expected[i] == distance exactly."""
    for i in range(len(expected)):
        e = float(expected[i])
        g = e + distance
        for _ in range(4):
            if g - e == distance:
                return i, g
            g = math.nextafter(g, math.inf if g - e < distance else -math.inf)
    raise AssertionError("no point found")


def test_1_an_answer_exactly_at_the_approximation_distance_is_an_approximation(language):
    """1e-2 away at one point is still an approximation; a hair further is wrong values."""
    expected = -torch.sin(X1.double())
    i, g = exactly_at_distance(expected, l1.APPROXIMATE)
    got = expected.clone()
    got[i] = g
    assert_feedback(
        check(1, {**answer1(), "second_derivative": got}),
        "exercises.l1.1.approximate",
        x=shortest(float(X1[i]), torch.float32),
        actual=shortest(g),
        expected=shortest(float(expected[i])),
    )
    got[i] = math.nextafter(g, math.inf)
    assert_feedback(check(1, {**answer1(), "second_derivative": got}), "exercises.l1.1.values")


def test_4_a_nan_is_not_an_approximation(language):
    got = torch.cos(GRID4.double()) + 1e-3
    got[7] = math.nan
    assert_feedback(check(4, returning(got)), "exercises.l1.4.values")


def test_4_an_answer_half_autograd_half_formula_is_mixed(language):
    """An average of autograd's derivative and cos follows the swapped sine only halfway: mixed."""

    def mixed(x):
        return 0.5 * (dsin(x.clone()) + torch.cos(x.detach()))

    assert_feedback(check(4, mixed), "exercises.l1.4.mixed", "exercises.l1.4.not_autograd_headline")


def test_4_a_factory_call_with_keywords_only_works_under_the_probe():
    """A dsin that builds its grad_outputs with keywords only (no positional argument) is autograd."""

    def with_ones(x):
        x = x.requires_grad_()
        (g,) = torch.autograd.grad(torch.sin(x), x, grad_outputs=torch.ones(size=tuple(x.shape), dtype=x.dtype))
        return g

    assert_correct(check(4, with_ones))


def sine_written(way, x):
    """sin(x), written one of the ways the reference says sin can be called."""
    if way == "method":
        return x.sin()
    if way == "input=":
        return torch.sin(input=x)
    if way == "out=None":
        return torch.sin(x, out=None)
    if way == "in place":
        return x.clone().sin_()
    return torch.sin(x)


SINE_WAYS = ["function", "method", "input=", "out=None", "in place"]


@pytest.mark.parametrize("way", SINE_WAYS)
def test_4_autograd_is_recognised_however_the_sine_is_written(way):
    """The probe swaps sin's derivative in every way of writing the sine, keywords included:
    an autograd answer is never told it is not autograd for how it calls sin."""

    def by_autograd(x):
        x = x.requires_grad_()
        (g,) = torch.autograd.grad(sine_written(way, x).sum(), x)
        return g

    assert_correct(check(4, by_autograd))


@pytest.mark.parametrize("way", SINE_WAYS)
def test_6_a_derivative_by_autograd_is_named_however_its_sine_is_written(language, way):
    def by_autograd(x):
        x = x.clone().requires_grad_()
        (g,) = torch.autograd.grad((torch.log(x**2) * sine_written(way, x) + 1 / x).sum(), x)
        return g

    assert_feedback(
        check(6, {**answer6(), "dfdx": by_autograd}), "exercises.l1.6.autograd", "exercises.l1.6.autograd_headline"
    )


def test_the_probe_swaps_only_a_floating_sine_and_runs_every_other_as_written():
    """Integer and complex inputs and an out= tensor (given by position or as input=) are not
    swapped: they run as written, a complex sine keeping its own derivative."""
    x = torch.tensor([0.0, 0.5, 1.0], dtype=torch.float64)
    out, out_too = torch.empty(3, dtype=torch.float64), torch.empty(3, dtype=torch.float64)
    leaf = x.clone().requires_grad_()
    z = torch.tensor([0.5 + 0.25j], dtype=torch.complex128, requires_grad=True)
    (true_complex,) = torch.autograd.grad(torch.sin(z).real.sum(), z)
    with l1._SwappedSine():
        integer = torch.sin(torch.arange(3))
        complex_ = torch.sin(torch.tensor([1j]))
        (complex_grad,) = torch.autograd.grad(torch.sin(z).real.sum(), z)
        torch.sin(x, out=out)
        torch.sin(input=x, out=out_too)
        (shifted,) = torch.autograd.grad(torch.sin(leaf).sum(), leaf)
    assert torch.equal(integer, torch.sin(torch.arange(3)))
    assert torch.equal(complex_, torch.sin(torch.tensor([1j])))
    assert torch.equal(complex_grad, true_complex)
    assert torch.equal(out, torch.sin(x)) and torch.equal(out_too, torch.sin(x))
    assert torch.allclose(shifted, torch.cos(x) + l1.SINE_SHIFT)  # and a float one is swapped


# --- exercise 5 ----------------------------------------------------------------------------------
def test_5_a_function_through_float32_is_a_precision_slip_on_the_grid(language):
    """f5 computed in float32 gets the precision hint at the worst of 20 points from 0.5 to 3."""

    def through_float32(x):
        return my_f(x.float()).double()

    got, expected = through_float32(GRID5), l1.f5(GRID5)
    i = int(torch.argmax((got - expected).abs()))
    assert_feedback(
        check(5, (through_float32, ops_of(my_f))),
        "exercises.precision",
        "exercises.precision_headline",
        dtype="float64",
        x=shortest(float(GRID5[i])),
        actual=shortest(float(got[i])),
        expected=shortest(float(expected[i])),
    )


@pytest.mark.parametrize(
    ("low", "high", "right"),
    [(0.5, 3.0, True), (0.4, 3.0, True), (1.0, 3.0, False), (0.5, 3.5, True), (0.5, 2.9, False)],
)
def test_5_values_are_read_from_half_to_three(low, high, right):
    """f5 is compared on [0.5, 3]: an answer wrong only outside it passes, one wrong inside it does not."""

    def piecewise(x):
        inside = (x >= low) & (x <= high)
        return torch.where(inside, my_f(x), my_f(x) + 1)

    feedback = check(5, (piecewise, ops_of(piecewise)))
    if right:
        assert_correct(feedback)
    else:
        assert_feedback(feedback, "exercises.l1.5.values")


def test_5_the_operations_are_read_at_x_2():
    """The graph is traced at x = 2: a function whose graph differs elsewhere is judged by its graph at 2."""

    def branching(x):
        return my_f(x) if x.dim() == 0 and float(x.detach()) < 2.5 else my_f(x.double()).to(x.dtype)

    assert_correct(check(5, (branching, ops_of(my_f))))


def test_5_a_result_without_a_graph_is_named(language):
    assert_feedback(check(5, (lambda x: my_f(x).detach(), [])), "exercises.l1.5.no_graph")


def test_5_missing_operations_are_listed(language):
    """With no operation given, every operation of the graph is listed as missing, in order."""
    ops = sorted(ops_of(my_f))
    assert len(ops) > 2
    assert_feedback(check(5, (my_f, [])), "exercises.l1.5.ops", missing=", ".join(ops), extra="—")


# --- exercise 6: the terms -----------------------------------------------------------------------
def test_6_a_slip_names_the_term_and_the_value_given(language):
    assert_feedback(check(6, answer6(**{"dr/dx": 0.25})), "exercises.l1.6.term.sign", term="dr/dx", actual=0.25)


def test_6_a_hand_value_within_three_digits_passes():
    """A term within 1e-3 of its value relative to it passes (for 4: up to 0.004 away)."""
    assert_correct(check(6, answer6(**{"du/dx": 4.002})))
    assert_correct(check(6, answer6(**{"du/dx": 4.0 - 0.0039})))


def test_6_a_slip_is_recognised_up_to_exactly_the_tolerance(language):
    """dq/dr = 0.001 is the untracked slip (0 within the absolute 1e-3, inclusive); 0.0011 is not."""
    assert_feedback(check(6, answer6(**{"dq/dr": 0.001})), "exercises.l1.6.term.untracked", term="dq/dr", actual=0.001)
    assert_feedback(check(6, answer6(**{"dq/dr": 0.0011})), "exercises.l1.6.term.other", term="dq/dr", actual=0.0011)


def test_6_a_hand_value_beyond_three_digits_is_named(language):
    """Beyond the tolerance a term is wrong; near 0 the tolerance is absolute (1e-3, not 2e-3)."""
    assert_feedback(check(6, answer6(**{"du/dx": 4.0041})), "exercises.l1.6.term.other", term="du/dx", actual=4.0041)
    assert_feedback(check(6, answer6(**{"dv/du": 0.2515})), "exercises.l1.6.term.other", term="dv/du", actual=0.2515)
    assert_correct(check(6, answer6(**{"dv/du": 0.2509})))


# --- exercise 6: the derivative ------------------------------------------------------------------
def reference6():
    leaf = GRID6.clone().requires_grad_()
    (expected,) = torch.autograd.grad(l1.f5(leaf).sum(), leaf)
    return expected


def test_6_a_derivative_by_autograd_is_named(language):
    def by_autograd(x):
        x = x.clone().requires_grad_()
        (g,) = torch.autograd.grad(l1.f5(x).sum(), x)
        return g

    assert_feedback(
        check(6, {**answer6(), "dfdx": by_autograd}), "exercises.l1.6.autograd", "exercises.l1.6.autograd_headline"
    )


def fields6(values, i):
    expected = reference6()
    return {
        "x": shortest(float(GRID6[i])),
        "actual": shortest(float(values[i])),
        "expected": shortest(float(expected[i])),
    }


def test_6_the_hint_shows_the_first_point_off_by_more_than_rounding(language):
    """Among points off, the first (in x) is shown, not the worst; a point off by less than 1e-9
    relative plus 1e-12 of the largest value is not counted off."""
    expected = reference6()
    scale = float(expected.abs().max())
    got = expected.clone()
    got[3] += 1e-9 * abs(float(expected[3])) + 1.3e-11 * scale / 26  # within rounding
    got[5] += 5e-9  # off by more than rounding, less than 1e-8
    got[30] *= 1 + 1e-3  # the worst
    assert 20 < scale < 30
    assert_feedback(check(6, {**answer6(), "dfdx": returning(got)}), "exercises.l1.6.values", **fields6(got, 5))


def test_6_a_tiny_relative_error_shows_the_worst_point(language):
    """An answer off by less than 1e-9 relative everywhere (but not float64 rounding) shows its worst point."""
    expected = reference6()
    got = expected * (1 + 1e-13)
    got[17] = expected[17] * (1 + 5e-10)
    assert_feedback(check(6, {**answer6(), "dfdx": returning(got)}), "exercises.l1.6.values", **fields6(got, 17))


def test_6_the_sign_slip_on_the_reciprocal_is_named(language):
    """-1/x² written +1/x² is the sign slip; shown at the first point with its numbers."""
    got = reference6() + 2 / GRID6**2
    assert_feedback(check(6, {**answer6(), "dfdx": returning(got)}), "exercises.l1.6.sign", **fields6(got, 0))


@pytest.mark.parametrize(("offset", "hint"), [(1.3e-11 * 21.2 / 26, "sign"), (5e-9, "values")])
def test_6_the_sign_slip_is_judged_up_to_rounding(language, offset, hint):
    """The sign slip is recognised up to 1e-9 relative plus 1e-12 of the largest value, no further."""
    slipped = reference6() + 2 / GRID6**2
    got = slipped.clone()
    got[5] += 1e-9 * abs(float(slipped[5])) + offset
    feedback = check(6, {**answer6(), "dfdx": returning(got)})
    assert feedback.hint.key == f"exercises.l1.6.{hint}", str(feedback)


# --- exercise 7's helpers: a wrong value at each node --------------------------------------------
@pytest.mark.parametrize("node", ["p", "q", "v", "w", "r", "u", "x"])
def test_7_a_wrong_adjoint_is_named_at_its_node(language, node):
    assert_feedback(check(7, answer7(backward={node: 999.0})), "exercises.l1.7.backward", node=node, actual=999)


def test_7_an_adjoint_of_zero_for_x_is_not_a_partial_sum(language):
    """0 is no sum of some of x's paths: it is a wrong adjoint, not a forgotten accumulation."""
    assert_feedback(check(7, answer7(backward={"x": 0.0})), "exercises.l1.7.backward", node="x", actual=0)


def test_7_the_walks_at_x_2_are_right():
    forward, backward = walks7()
    assert_correct(check(7, answer7(forward, backward)))
    assert forward["v"] == 1.0


# --- median_seconds on a controlled clock --------------------------------------------------------
class Clock:
    """A clock that only moves when a work runs: each run of a work takes its next duration."""

    def __init__(self):
        self.now = 1000.0

    def work(self, durations):
        durations = list(durations)

        def run():
            self.now += durations.pop(0)

        return run


def test_median_seconds_is_the_median_of_each_work(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(l1.time, "perf_counter", lambda: clock.now)
    one = clock.work([5.0, 1.0, 4.0, 2.0, 3.0])
    assert l1.median_seconds(one, repeat=5) == 3.0
    first, second = clock.work([1.0, 9.0, 8.0, 2.0, 3.0]), clock.work([6.0, 7.0, 5.0, 4.0, 0.5])
    assert l1.median_seconds(first, second, repeat=5) == (3.0, 5.0)


def test_median_seconds_runs_seven_times_by_default(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(l1.time, "perf_counter", lambda: clock.now)
    runs = []
    assert l1.median_seconds(lambda: runs.append(1)) == 0.0
    assert len(runs) == 7
