"""Lesson 3, exercises 1 and 2, and what every checker of the lesson shares: these tests pin the
checkers' feedback at the edges. A wrong answer of each kind gets exactly its headline, its hint
and its fields (the numbers the learner reads, computed on the checker's private cases), in both
languages; each private case is reached by an answer right on the other case and wrong on it
alone; the checker's own backward pass names what went wrong in it; and the shared helpers keep
the promises their docstrings make."""

from __future__ import annotations

import pytest
import torch

from autograd_lessons import exercises as machinery
from autograd_lessons import get_language, set_language
from autograd_lessons.exercises import FormError
from autograd_lessons.i18n import LANGUAGES, text
from autograd_lessons.lessons.going_wrong import exercises as l3
from autograd_lessons.lessons.going_wrong.exercises.common import (
    CHANGED_IN_PLACE,
    LEAF_IN_PLACE,
    same_gradient,
    scalar_result,
)
from autograd_lessons.lessons.going_wrong.exercises.nan_and_cuts import distance_gradient, distance_value
from test_lesson3_exercises import as_answer, assert_feedback, judge

RAISED = "exercises.raised_headline"
INCORRECT = "exercises.incorrect"
NOT_A_TENSOR = "exercises.l3.not_tensor_headline"
CHECKER_BACKWARD = "exercises.l3.checker_backward"
RIGHT_VALUES = "exercises.l3.right_values"
PRECISION = "exercises.precision_headline"


@pytest.fixture(autouse=True)
def fresh_hints(monkeypatch):
    monkeypatch.setattr(machinery, "_hints_shown", {})


@pytest.fixture(params=LANGUAGES)
def language(request):
    before = get_language()
    set_language(request.param)
    yield request.param
    set_language(before)


def wrong_on(case, wrong, right):
    """An answer that is `wrong` on the checker's `case`-th private case (from 1) and `right` on
    every other one."""
    calls = []

    def answer(*args):
        calls.append(args)
        return (wrong if len(calls) == case else right)(*args)

    return answer


def failing_backward(error):
    """A differentiable identity whose backward pass raises `error`."""

    class Through(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x.clone()

        @staticmethod
        def backward(ctx, grad):
            raise error

    return Through.apply


# --- exercise 1: the numbers and rows the learner reads come from both private cases ---------


def distance_loss(a, b):
    return torch.linalg.vector_norm(a - b, dim=1).mean()


def through_float32_1(a, b):
    return torch.linalg.vector_norm(a.float() - b.float(), dim=1).mean().double()


WRONG_1 = {
    "values": lambda a, b: (a - b).abs().sum(dim=1).mean(),
    "epsilon": lambda a, b: torch.sqrt(((a - b) ** 2).sum(dim=1) + 1e-12).mean(),
    "still_nan": l3.broken1,
    "number": lambda a, b: distance_loss(a, b).item(),
    "per_row": lambda a, b: torch.linalg.vector_norm(a - b, dim=1),
    "unreduced": lambda a, b: a - b,
    "float32": through_float32_1,
}


@pytest.mark.parametrize(
    "kind, case, headline, hint, fields",
    [
        (
            "values",
            1,
            INCORRECT,
            "exercises.l3.1.values",
            {"actual": "1.4148856843107338", "expected": "1.0318568897166382"},
        ),
        (
            "values",
            2,
            INCORRECT,
            "exercises.l3.1.values",
            {"actual": "2.7022794066386724", "expected": "2.3688366790874853"},
        ),
        (
            "epsilon",
            1,
            INCORRECT,
            "exercises.l3.1.epsilon",
            {"actual": "1.0318572897168166", "expected": "1.0318568897166382"},
        ),
        (
            "epsilon",
            2,
            INCORRECT,
            "exercises.l3.1.epsilon",
            {"actual": "2.3688368457543056", "expected": "2.3688366790874853"},
        ),
        ("still_nan", 1, INCORRECT, "exercises.l3.1.still_nan", {"rows": "1, 3"}),
        ("still_nan", 2, INCORRECT, "exercises.l3.1.still_nan", {"rows": "0"}),
        ("number", 1, NOT_A_TENSOR, "exercises.l3.number", {"value": "1.0318568897166382"}),
        ("number", 2, NOT_A_TENSOR, "exercises.l3.number", {"value": "2.3688366790874853"}),
        ("per_row", 1, INCORRECT, "exercises.l3.not_scalar", {"shape": "(5,)"}),
        ("per_row", 2, INCORRECT, "exercises.l3.not_scalar", {"shape": "(6,)"}),
        ("unreduced", 1, INCORRECT, "exercises.l3.not_scalar", {"shape": "(5, 3)"}),
        ("unreduced", 2, INCORRECT, "exercises.l3.not_scalar", {"shape": "(6, 2)"}),
        ("float32", 1, PRECISION, "exercises.l3.float32", {}),
        ("float32", 2, PRECISION, "exercises.l3.float32", {}),
    ],
)
def test_1_each_private_case_shows_its_own_numbers(kind, case, headline, hint, fields, language):
    """A fix wrong on one private case alone gets that case's headline, hint and numbers: the
    equal rows 1 and 3 of five rows of width 3, then row 0 of six rows of width 2."""
    feedback = judge(1, as_answer(1, wrong_on(case, WRONG_1[kind], distance_loss)))
    assert_feedback(feedback, hint, headline, **fields)


def test_1_the_broken_loss_itself_is_still_nan_on_the_equal_rows(language):
    """broken1 handed in as it is: NaN on the rows 1 and 3 of the first private case."""
    assert_feedback(judge(1, as_answer(1, l3.broken1)), "exercises.l3.1.still_nan", INCORRECT, rows="1, 3")


def test_1_a_loss_whose_graph_misses_a_has_the_right_values_but_not_the_gradient(language):
    """A loss with a graph that never reaches a: right values, a zero gradient, named as such."""

    def misses_a(a, b):
        return distance_loss(a.detach(), b) + 0 * torch.zeros((), dtype=a.dtype, requires_grad=True)

    assert_feedback(judge(1, as_answer(1, misses_a)), "exercises.l3.1.gradient", RIGHT_VALUES)


def test_1_the_broken_step_is_the_mean_distance_with_nan_only_on_the_equal_row():
    """The statement's broken1 computes the right, finite mean distance on A1, B1; only its
    gradient is NaN, and only on the row where the pair is identical (row 2)."""
    a = l3.A1.clone().requires_grad_(True)
    loss = l3.broken1(a, l3.B1)
    assert torch.isfinite(loss) and torch.allclose(loss.double(), distance_value(l3.A1.double(), l3.B1.double()))
    loss.backward()
    assert torch.isnan(a.grad).any(dim=1).tolist() == [False, False, True, False]


def test_1_the_reference_gradient_holds_on_short_and_long_rows():
    """distance_gradient is (a − b)/‖a − b‖ over the number of rows on every row where a ≠ b,
    whatever the row's length (below 1 too), and 0 where a = b."""
    a = torch.tensor([[0.1, 0.2], [3.0, -4.0], [0.5, 0.5], [0.0, 0.3]], dtype=torch.float64)
    b = torch.tensor([[0.0, 0.0], [0.0, 0.0], [0.5, 0.5], [0.0, 0.0]], dtype=torch.float64)
    point = a.clone().requires_grad_(True)
    torch.linalg.vector_norm(point - b, dim=1).mean().backward()
    assert torch.allclose(distance_gradient(a, b), point.grad, rtol=1e-12, atol=0)
    assert distance_gradient(a, b)[2].tolist() == [0.0, 0.0]


# --- exercise 2: the same, for the mean absolute error ----------------------------------------


def absolute_loss(p, t):
    return (p - t).abs().mean()


WRONG_2 = {
    "no_abs": lambda p, t: (p - t).mean(),
    "sum": lambda p, t: (p - t).abs().sum(),
    "squared": lambda p, t: ((p - t) ** 2).mean(),
    "number": lambda p, t: absolute_loss(p, t).item(),
    "per_element": lambda p, t: (p - t).abs(),
    "float32": lambda p, t: (p.float() - t.float()).abs().mean().double(),
}


@pytest.mark.parametrize(
    "kind, case, headline, hint, fields",
    [
        (
            "no_abs",
            1,
            INCORRECT,
            "exercises.l3.2.values",
            {"actual": "-0.22854899425636704", "expected": "1.0084618919170893"},
        ),
        (
            "no_abs",
            2,
            INCORRECT,
            "exercises.l3.2.values",
            {"actual": "0.22785883503147336", "expected": "0.7638666135818398"},
        ),
        ("sum", 1, INCORRECT, "exercises.l3.2.sum", {"actual": "5.0423094595854465", "expected": "1.0084618919170893"}),
        ("sum", 2, INCORRECT, "exercises.l3.2.sum", {"actual": "6.110932908654719", "expected": "0.7638666135818398"}),
        (
            "squared",
            1,
            INCORRECT,
            "exercises.l3.2.squared",
            {"actual": "1.021446911684253", "expected": "1.0084618919170893"},
        ),
        (
            "squared",
            2,
            INCORRECT,
            "exercises.l3.2.squared",
            {"actual": "0.6843732678750993", "expected": "0.7638666135818398"},
        ),
        ("number", 1, NOT_A_TENSOR, "exercises.l3.number", {"value": "1.0084618919170893"}),
        ("number", 2, NOT_A_TENSOR, "exercises.l3.number", {"value": "0.7638666135818398"}),
        ("per_element", 1, INCORRECT, "exercises.l3.not_scalar", {"shape": "(5,)"}),
        ("per_element", 2, INCORRECT, "exercises.l3.not_scalar", {"shape": "(8,)"}),
        ("float32", 1, PRECISION, "exercises.l3.float32", {}),
        ("float32", 2, PRECISION, "exercises.l3.float32", {}),
    ],
)
def test_2_each_private_case_shows_its_own_numbers(kind, case, headline, hint, fields, language):
    """A fix wrong on one private case alone (of 5, then 8 predictions, each at least 0.1 from
    its target, on either side) gets that case's headline, hint and numbers."""
    feedback = judge(2, as_answer(2, wrong_on(case, WRONG_2[kind], absolute_loss)))
    assert_feedback(feedback, hint, headline, **fields)


@pytest.mark.parametrize(
    "misses",
    [
        lambda p, t: (p.detach() - t).abs().mean() + 0 * torch.zeros((), dtype=p.dtype, requires_grad=True),
        lambda p, t: (p.detach() - t).abs().mean() + 0 * p.sum(),
    ],
    ids=["graph_never_reaches_pred", "graph_reaches_pred_times_zero"],
)
def test_2_a_right_value_with_no_gradient_to_pred_is_named(misses, language):
    """A loss whose gradient to pred is zero, whether its graph misses pred or multiplies it by 0."""
    assert_feedback(judge(2, as_answer(2, misses)), "exercises.l3.2.no_gradient", RIGHT_VALUES)


def test_2_the_broken_step_refuses_predictions_and_targets_of_different_lengths():
    """broken2 pairs each prediction with its target; a missing one is an error, not a shorter mean."""
    with pytest.raises(ValueError):
        l3.broken2(torch.zeros(3), torch.zeros(4))
    assert l3.broken2(torch.tensor([1.0, -1.0]), torch.tensor([0.0, 0.0])).item() == 1.0


# --- the checker's own backward pass, and what the learner's code raised ----------------------


def inside_backward_1(a, b):
    loss = distance_loss(a, b)
    loss.backward()
    return loss


def inside_backward_2(p, t):
    loss = absolute_loss(p, t)
    loss.backward()
    return loss


@pytest.mark.parametrize("number, answer", [(1, inside_backward_1), (2, inside_backward_2)])
def test_a_backward_pass_inside_the_answer_is_named_under_the_checkers_headline(number, answer, language):
    assert_feedback(judge(number, as_answer(number, answer)), "exercises.l3.backward_inside", CHECKER_BACKWARD)


def through_1(error):
    step = failing_backward(error)
    return lambda a, b: distance_loss(step(a), b)


def through_2(error):
    step = failing_backward(error)
    return lambda p, t: absolute_loss(step(p), t)


@pytest.mark.parametrize("number, through", [(1, through_1), (2, through_2)])
def test_a_graph_the_checker_cannot_differentiate_is_named_with_its_error(number, through, language):
    """An operation whose backward pass raises: the checker's backward failed, with the error."""
    answer = through(ValueError("no way back"))
    feedback = judge(number, as_answer(number, answer))
    assert_feedback(feedback, "exercises.l3.backward_failed", CHECKER_BACKWARD, error="ValueError: no way back")


@pytest.mark.parametrize("number, through", [(1, through_1), (2, through_2)])
@pytest.mark.parametrize(
    "error, hint, fields",
    [
        (SystemExit("bye"), "exercises.exited", {}),
        (RecursionError("too deep"), "exercises.recursion", {"error": "RecursionError: too deep"}),
    ],
    ids=["exit", "recursion"],
)
def test_an_exit_or_endless_recursion_in_the_backward_pass_gets_checks_own_words(
    number, through, error, hint, fields, language
):
    """exit() or a RecursionError met in the checker's backward pass is worded as in any answer."""
    feedback = judge(number, as_answer(number, through(error)))
    assert_feedback(feedback, hint, RAISED, **fields)


def leaf_in_place_1(a, b):
    return torch.linalg.vector_norm(a.sub_(b), dim=1).mean()


def leaf_in_place_2(p, t):
    return p.sub_(t).abs().mean()


@pytest.mark.parametrize("number, answer", [(1, leaf_in_place_1), (2, leaf_in_place_2)])
def test_changing_an_input_in_place_is_named(number, answer, language):
    assert_feedback(judge(number, as_answer(number, answer)), "exercises.l3.leaf_in_place", RAISED)


def saved_in_place(*inputs):
    """Changes in place a tensor the graph saved, then runs a backward pass itself."""
    y = torch.exp(inputs[0] - inputs[1])
    y.add_(1)
    y.sum().backward()
    return y.mean()


@pytest.mark.parametrize("number", [1, 2])
def test_changing_a_saved_tensor_in_place_is_named_with_pytorchs_error(number, language):
    feedback = judge(number, as_answer(number, saved_in_place))
    assert feedback.hint.key == "exercises.l3.saved_in_place" and feedback.headline.key == RAISED
    error = str(feedback.hint.fields["error"])
    assert error.startswith("RuntimeError: one of the variables needed for gradient computation")
    assert CHANGED_IN_PLACE in error and error in str(feedback)


@pytest.mark.parametrize("number", [1, 2])
def test_any_other_error_is_shown_as_raised(number, language):
    def raises(*args):
        raise ValueError("my own mistake")

    feedback = judge(number, as_answer(number, raises))
    assert_feedback(feedback, "exercises.raised", RAISED, error="ValueError: my own mistake")


@pytest.mark.parametrize("number", [1, 2])
@pytest.mark.parametrize(
    "error, hint, fields",
    [
        (SystemExit(LEAF_IN_PLACE), "exercises.exited", {}),
        (SystemExit(CHANGED_IN_PLACE), "exercises.exited", {}),
        (RecursionError(LEAF_IN_PLACE), "exercises.recursion", {"error": f"RecursionError: {LEAF_IN_PLACE}"}),
        (RecursionError(CHANGED_IN_PLACE), "exercises.recursion", {"error": f"RecursionError: {CHANGED_IN_PLACE}"}),
    ],
    ids=["exit_leaf", "exit_saved", "recursion_leaf", "recursion_saved"],
)
def test_exit_and_recursion_keep_checks_words_whatever_their_message(number, error, hint, fields, language):
    """exit() or endless recursion is worded by check() even when its message quotes PyTorch's
    words for a tensor changed in place."""

    def raises(*args):
        raise error

    assert_feedback(judge(number, as_answer(number, raises)), hint, RAISED, **fields)


# --- the shared helpers keep their documented promises ----------------------------------------


def test_gradients_of_different_shapes_are_not_the_same():
    values = torch.zeros(4, dtype=torch.float64)
    assert not same_gradient(values[:3], values)
    assert not same_gradient(values.reshape(2, 2), values)


def test_a_gradient_is_compared_in_its_own_dtype():
    """A float32 gradient equal to the float64 one rounded to float32 is the same gradient."""
    expected = torch.tensor([0.1, -0.2, 1 / 3], dtype=torch.float64)
    assert same_gradient(expected.float(), expected)
    assert not same_gradient(expected.float() * 1.01, expected)


def test_a_loss_of_the_wrong_form_is_named_as_the_caller_names_it():
    name = text("exercises.name.function")
    with pytest.raises(FormError) as raised:
        scalar_result([1.0], name=name)
    assert raised.value.key == "exercises.form.not_tensor" and raised.value.fields["name"] == name
