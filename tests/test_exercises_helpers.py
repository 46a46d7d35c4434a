"""The answer-reading helpers of `autograd_lessons.exercises` at their edges: these tests pin the
form errors and hints a learner reads when an answer is off.

They pin, through real exercises of lesson 1 and on the helpers themselves, the exact message key
and fields of each form error (the part of the answer named, what it is, the dtype, shape and device
found) and that those fields show in both languages: a result that is not a tensor, a NumPy array,
a tensor on the meta device, an integer tensor, a tensor of another shape, a pair of the wrong
length, a time that is a bool, a NumPy bool or a 1-d array, a choice that is no letter (cut at 40
characters) and a letter in upper case, an answer that is not callable. They also pin how a value
is described (a partial by its function's name; a nameless function or class, and an object whose
attribute lookups raise, by its type), an error's clause without a final period or an empty
detail, where an answer is furthest from the reference (NaN counts as furthest), the
float32-precision verdict with its 64-ulp window, the values a precision hint shows in the
answer's dtype, and what the checker exceptions say when raised outside `check`.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest
import torch

from autograd_lessons import course
from autograd_lessons import exercises as machinery
from autograd_lessons.exercises import (
    FormError,
    LearnerRaised,
    Wrong,
    agreement,
    as_tensor,
    call,
    check,
    choice,
    kind_text,
    pair,
    precision_error,
    seconds,
    worst_index,
)
from autograd_lessons.i18n import LANGUAGES, set_language, text
from autograd_lessons.numbers import shortest
from test_exercises import answer1, by_backward
from test_lesson1_checks_1_to_6 import GRID4, assert_feedback, assert_form, in_words, plain

course.lessons()

RESULT = text("exercises.name.result")
FUNCTION = text("exercises.name.function")
FLOAT32_ULP_AT_ONE = 2.0**-23


@pytest.fixture(autouse=True)
def fresh_hints(monkeypatch):
    monkeypatch.setattr(machinery, "_hints_shown", {})


@pytest.fixture(params=LANGUAGES)
def language(request):
    set_language(request.param)
    yield request.param
    set_language("en")


def assert_raised(error, key, **fields):
    """`error` (a FormError or Wrong) carries this key and these fields, and they show in its sentence."""
    found = error.key if isinstance(error, FormError) else error.hint
    assert found == key
    assert {name: plain(value) for name, value in error.fields.items()} == {
        name: plain(value) for name, value in fields.items()
    }
    sentence = str(text(found, **error.fields))
    for value in error.fields.values():
        assert in_words(value) in sentence, (in_words(value), sentence)


def named_function(x, y):
    return x + y


class Doubler:
    """A callable object: a partial of it has a function with no name."""

    def __call__(self, x):
        return 2 * x


def nameless(x):
    return x


nameless.__name__ = ""


class Unreadable:
    """A learner's object whose attribute lookups (isinstance's __class__ included) raise."""

    @property
    def __class__(self):
        raise RuntimeError("no class for you")


# --- the result of a learner's function (exercise 4 reads it with as_tensor) -----------------------
@pytest.mark.parametrize(
    ("returned", "key", "fields"),
    [
        (lambda x: "cos", "exercises.form.not_tensor", {"name": RESULT, "kind": text("exercises.kind.string")}),
        (
            lambda x: [1.0, 2.0],
            "exercises.form.not_tensor",
            {"name": RESULT, "kind": text("exercises.kind.list", count=2)},
        ),
        (lambda x: np.cos(x.numpy()), "exercises.form.numpy", {"name": RESULT}),
        (lambda x: np.float32(1.0), "exercises.form.numpy", {"name": RESULT}),
        (lambda x: torch.empty(101, device="meta"), "exercises.form.device", {"name": RESULT, "device": "meta"}),
        (
            lambda x: torch.zeros(101, dtype=torch.int64),
            "exercises.form.dtype",
            {"name": RESULT, "dtype": "torch.int64"},
        ),
        (lambda x: torch.zeros(101, dtype=torch.bool), "exercises.form.dtype", {"name": RESULT, "dtype": "torch.bool"}),
        (lambda x: torch.zeros(3), "exercises.form.shape", {"name": RESULT, "actual": "(3,)", "expected": "(101,)"}),
        (lambda x: torch.zeros(()), "exercises.form.shape", {"name": RESULT, "actual": "()", "expected": "(101,)"}),
        (
            lambda x: torch.zeros(101, 1),
            "exercises.form.shape",
            {"name": RESULT, "actual": "(101, 1)", "expected": "(101,)"},
        ),
    ],
)
def test_a_result_of_the_wrong_form_is_named_as_the_functions_result(language, returned, key, fields):
    """Exercise 4 names the function's result, and says what it is, which dtype, shape or device."""
    assert_form(check(4, returned), key, **fields)


def test_a_named_part_of_the_answer_keeps_its_name(language):
    """Exercise 3's pair names `a` or `a.grad` in the sentence, not "your function's result"."""
    a = torch.ones(3, requires_grad=True)
    assert_form(check(3, ("a", None)), "exercises.form.not_tensor", name="a", kind=text("exercises.kind.string"))
    assert_form(check(3, (np.ones(3), None)), "exercises.form.numpy", name="a")
    assert_form(check(3, (torch.ones(3, device="meta"), None)), "exercises.form.device", name="a", device="meta")
    assert_form(
        check(3, (torch.ones(3, dtype=torch.int32), None)), "exercises.form.dtype", name="a", dtype="torch.int32"
    )
    assert_form(
        check(3, (a, [1.0, 1.0, 1.0])),
        "exercises.form.not_tensor",
        name="a.grad",
        kind=text("exercises.kind.list", count=3),
    )


@pytest.mark.parametrize("name", [None, "", "answer['y']"])
def test_as_tensor_names_the_result_unless_given_a_name(name):
    """Without a name (or with an empty one) the sentence names "your function's result"."""
    shown = name or RESULT
    with pytest.raises(FormError) as raised:
        as_tensor(np.zeros(2), name=name)
    assert_raised(raised.value, "exercises.form.numpy", name=shown)
    with pytest.raises(FormError) as raised:
        as_tensor(3.5, name=name)
    assert_raised(raised.value, "exercises.form.not_tensor", name=shown, kind=text("exercises.kind.number"))
    with pytest.raises(FormError) as raised:
        as_tensor(torch.zeros(2, device="meta"), name=name)
    assert_raised(raised.value, "exercises.form.device", name=shown, device="meta")
    with pytest.raises(FormError) as raised:
        as_tensor(torch.zeros(2, dtype=torch.uint8), name=name)
    assert_raised(raised.value, "exercises.form.dtype", name=shown, dtype="torch.uint8")
    with pytest.raises(FormError) as raised:
        as_tensor(torch.zeros(2, 3), (3, 2), name=name)
    assert_raised(raised.value, "exercises.form.shape", name=shown, actual="(2, 3)", expected="(3, 2)")


def test_as_tensor_reads_a_float_tensor_as_a_plain_detached_one():
    """A float tensor that needs grad, of the expected shape, comes back detached with its values."""
    leaf = torch.tensor([[1.0, -0.0], [float("nan"), float("inf")]], dtype=torch.float64, requires_grad=True)
    read = as_tensor(leaf * 1, (2, 2))
    assert type(read) is torch.Tensor and not read.requires_grad
    assert read.dtype == torch.float64 and read.layout == torch.strided
    assert torch.equal(torch.nan_to_num(read), torch.nan_to_num(leaf.detach()))


# --- a time in seconds (exercise 1) ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "kind"),
    [
        (True, text("exercises.kind.bool")),
        (np.bool_(True), text("exercises.kind.array")),
        (np.array(True), text("exercises.kind.array")),
        (np.array([1e-4]), text("exercises.kind.array")),
        (np.array([1e-4, 2e-4]), text("exercises.kind.array")),
        (np.array(1e-4 + 0j), text("exercises.kind.array")),
        (torch.tensor(True), text("exercises.kind.tensor")),
        (torch.tensor([1e-4]), text("exercises.kind.tensor")),
        ("0.001", text("exercises.kind.string")),
        (None, text("exercises.kind.none")),
    ],
)
def test_a_time_that_is_not_a_plain_number_is_named_with_what_it_is(language, value, kind):
    """A bool, a NumPy bool, a 1-d array or a complex value is no time; the entry and its kind are named."""
    answer = {**answer1(), "first_seconds": value}
    assert_form(check(1, answer), "exercises.form.number", name='answer["first_seconds"]', kind=kind)
    with pytest.raises(FormError) as raised:
        seconds(value, "t")
    assert_raised(raised.value, "exercises.form.number", name="t", kind=kind)


@pytest.mark.parametrize(
    "value",
    [2e-4, 2, np.float64(2e-4), np.float32(2e-4), np.int64(2), np.uint8(2), np.array(2e-4), torch.tensor(2e-4)],
)
def test_a_time_may_be_any_real_scalar(value):
    """Python, NumPy (0-d or scalar, integer or float) and 0-d tensor times are read as floats."""
    read = seconds(value, "t")
    assert type(read) is float and read == pytest.approx(float(value))


# --- a pair (exercise 3) ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("answer", "kind"),
    [
        (5, text("exercises.kind.number")),
        ([torch.ones(3)], text("exercises.kind.list_one", count=1)),
        ((torch.ones(3), None, None), text("exercises.kind.tuple", count=3)),
        ([1, 2, 3, 4], text("exercises.kind.list", count=4)),
        ({"a": 1, "b": 2}, text("exercises.kind.dict")),
    ],
)
def test_an_answer_that_is_not_a_pair_says_what_it_is(language, answer, kind):
    """Exercise 3 wants exactly two items; anything else is a form error saying what was given."""
    assert_form(check(3, answer), "exercises.form.pair", kind=kind)
    with pytest.raises(FormError) as raised:
        pair(answer)
    assert_raised(raised.value, "exercises.form.pair", kind=kind)


def test_a_list_of_two_is_a_pair():
    assert pair([1, 2]) == (1, 2)


# --- a function (exercise 4) -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("answer", "kind"),
    [
        (5, text("exercises.kind.number")),
        (torch.ones(3), text("exercises.kind.tensor")),
        ("dsin", text("exercises.kind.string")),
        (Unreadable, text("exercises.kind.other", type="Unreadable")),
    ],
)
def test_an_answer_that_is_not_callable_says_what_it_is(language, answer, kind):
    """An answer that cannot be called is "the answer", described by what it is."""
    answer = answer() if answer is Unreadable else answer
    assert_form(check(4, answer), "exercises.form.not_callable", name=FUNCTION, kind=kind)
    with pytest.raises(FormError) as raised:
        call(answer, 1.0)
    assert_raised(raised.value, "exercises.form.not_callable", name=FUNCTION, kind=kind)


# --- how a value is described ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "key", "fields"),
    [
        (functools.partial(named_function, 1), "exercises.kind.function", {"name": "named_function"}),
        (
            functools.partial(functools.partial(named_function), 1),
            "exercises.kind.function",
            {"name": "named_function"},
        ),
        (named_function, "exercises.kind.function", {"name": "named_function"}),
        (functools.partial(Doubler(), 3), "exercises.kind.function", {"name": "partial"}),
        (nameless, "exercises.kind.function", {"name": "function"}),
        (type("", (), {}), "exercises.kind.class", {"name": "type"}),
        (Unreadable, "exercises.kind.other", {"type": "Unreadable"}),
        (object(), "exercises.kind.other", {"type": "object"}),
    ],
)
def test_a_value_is_described_by_the_name_a_learner_gave_it(language, value, key, fields):
    """A partial is named after its function; a nameless function or class, a partial of a nameless
    callable and an object whose lookups raise are named by their type."""
    described = kind_text(value() if value is Unreadable else value)
    assert plain(described) == plain(text(key, **fields))
    for field in fields.values():
        assert field in str(described)


def test_a_partial_given_as_a_tensor_is_named_in_the_form_error(language):
    """Exercise 3 names the partial's function where a tensor was expected."""
    assert_form(
        check(3, (functools.partial(named_function, 1), None)),
        "exercises.form.not_tensor",
        name="a",
        kind=text("exercises.kind.function", name="named_function"),
    )


# --- a lettered choice (exercise 1's "why") --------------------------------------------------------
@pytest.mark.parametrize(
    ("why", "kind"),
    [
        ("zz", '"zz"'),
        ("d", '"d"'),
        ("", '""'),
        (
            "because autograd keeps the graph of the first derivative alive",
            '"because autograd keeps the graph of the "',
        ),
        (2, text("exercises.kind.number")),
        (["b"], text("exercises.kind.list_one", count=1)),
        (None, text("exercises.kind.none")),
    ],
)
def test_a_choice_that_is_not_an_offered_letter_lists_the_letters(language, why, kind):
    """A string is quoted as written (cut at 40 characters); anything else is described."""
    answer = {**answer1(), "why": why}
    assert_form(check(1, answer), "exercises.form.choice", options='"a", "b", "c"', kind=kind)


@pytest.mark.parametrize("written", ["X", "(X)", "x)", " (x). "])
def test_a_choice_letter_may_be_upper_case_and_in_parentheses(written):
    """Letters are read whatever their case and brackets, X included."""
    assert choice(written, right="x", options="wxyz", question="exercises.l1.1.why") is None
    with pytest.raises(Wrong) as raised:
        choice(written, right="w", options="wxyz", question="exercises.l1.1.why")
    assert raised.value.hint == "exercises.l1.1.why.x" and raised.value.fields == {"letter": "x"}


# --- a learner's function that raises (exercise 4) -------------------------------------------------
def raising(error):
    def function(x):
        raise error

    return function


@pytest.mark.parametrize(
    ("error", "clause"),
    [
        (ValueError(), "ValueError"),
        (ValueError("no axis X"), "ValueError: no axis X"),
        (ValueError("no axis X."), "ValueError: no axis X"),
        (KeyError("XX"), "KeyError: 'XX'"),
        (RuntimeError("stopped. "), "RuntimeError: stopped"),
    ],
)
def test_the_error_a_function_raised_is_one_clause(language, error, clause):
    """The hint quotes "Kind: detail" without a final period, and the bare kind when there is no detail."""
    assert_feedback(check(4, raising(error)), "exercises.raised", headline="exercises.raised_headline", error=clause)


@pytest.mark.parametrize(
    ("kind", "detail", "clause"),
    [
        ("ValueError", "", "ValueError"),
        ("ValueError", None, "ValueError"),
        ("IndexError", "index X", "IndexError: index X"),
        ("IndexError", "index X..", "IndexError: index X"),
        ("MyErrorX", "", "MyErrorX"),
    ],
)
def test_a_learners_error_reads_as_a_clause(kind, detail, clause):
    assert LearnerRaised(kind, detail).text == clause


# --- where an answer is furthest, and the float32-precision verdict --------------------------------
@pytest.mark.parametrize(
    ("actual", "expected", "index"),
    [
        ([1.0, 0.0], [1.0, 0.5], 1),
        ([3.0, -1.0, 2.0], [3.0, -1.5, 2.25], 1),
        ([float("nan"), 0.0], [0.0, 5.0], 0),
        ([0.0, 1.0, float("nan")], [100.0, 1.0, 1.0], 2),
        ([float("inf"), 0.0], [0.0, 5.0], 0),
    ],
)
def test_the_worst_point_is_the_largest_difference_and_nan_is_furthest(actual, expected, index):
    assert worst_index(torch.tensor(actual), torch.tensor(expected, dtype=torch.float64)) == index


def through_float32(expected: torch.Tensor, ulps: float) -> torch.Tensor:
    """A float64 answer that went through float32 and is off by about `ulps` float32 ulps near 1."""
    return (expected.float() * (1 + ulps * FLOAT32_ULP_AT_ONE)).double()


@pytest.mark.parametrize(("ulps", "verdict"), [(0, "float32"), (20, "float32"), (40, "float32"), (200, "no")])
def test_an_answer_through_float32_is_named_within_64_float32_ulps(ulps, verdict):
    """Float32 values within 64 float32 ulps of the reference are "float32"; further off is "no"."""
    expected = torch.tensor([1.0, 0.1, -0.75], dtype=torch.float64)
    assert agreement(through_float32(expected, ulps), expected) == verdict


def test_agreement_in_the_answers_own_dtype_is_same():
    expected = torch.tensor([1.0, 0.1, -0.75], dtype=torch.float64)
    assert agreement(expected.float(), expected) == "same"
    assert agreement(expected.clone(), expected) == "same"


def test_an_answer_through_float32_gets_the_precision_hint_at_its_worst_point(language):
    """Exercise 4 names the precision slip (20 float32 ulps off), with x in the grid's dtype."""
    off = 20 * FLOAT32_ULP_AT_ONE
    feedback = check(4, lambda x: (by_backward(x) * (1 + off)).double())
    got = (by_backward(GRID4) * (1 + off)).double()
    expected = torch.cos(GRID4.double())
    i = int(torch.argmax((got - expected).abs()))
    assert_feedback(
        feedback,
        "exercises.precision",
        headline="exercises.precision_headline",
        dtype="float64",
        x=shortest(float(GRID4[i]), torch.float32),
        actual=shortest(float(got[i]), torch.float64),
        expected=shortest(float(expected[i]), torch.float64),
    )


def test_a_precision_hint_shows_values_as_short_as_the_answers_dtype_allows(language):
    """Point, answer and reference are shown at the worst point, each as short as its dtype reads back."""
    points = torch.tensor([0.1, 0.3])
    actual = torch.tensor([0.5, 0.7])
    expected = torch.tensor([0.5, float(np.float32(0.71))], dtype=torch.float64)
    wrong = precision_error(actual, expected, points)
    assert wrong.headline == "exercises.precision_headline"
    assert_raised(wrong, "exercises.precision", dtype="float32", x="0.3", actual="0.7", expected="0.71")


# --- the checker exceptions outside check ----------------------------------------------------------
def test_checker_exceptions_name_their_key_when_raised_outside_check():
    """Tried at the prompt, a checker's exception says which message it carries."""
    assert str(FormError("exercises.form.pair", kind=text("exercises.kind.number"))) == "exercises.form.pair"
    assert str(Wrong("exercises.l1.4.sine")) == "exercises.l1.4.sine"
    assert str(Wrong("exercises.precision", "exercises.precision_headline", x=1)) == "exercises.precision"
    assert str(LearnerRaised("ZeroDivisionError", "division by zero")) == "ZeroDivisionError"


@pytest.mark.filterwarnings("ignore:Sparse CSR tensor support is in beta")  # torch's note on making one
@pytest.mark.parametrize("layout", ["coo", "csr", "csc"])
def test_a_sparse_tensor_is_read_as_its_dense_values(layout):
    """A sparse answer (to_sparse(), CSR, CSC) is read as the dense tensor it stands for."""
    dense = torch.tensor([[0.0, 2.0], [3.0, 0.0]], dtype=torch.float64)
    sparse = {"coo": dense.to_sparse(), "csr": dense.to_sparse_csr(), "csc": dense.to_sparse_csc()}[layout]
    read = as_tensor(sparse, (2, 2))
    assert read.layout == torch.strided and torch.equal(read, dense)


def test_a_right_derivative_returned_sparse_is_right():
    def dsin(x):
        x = x.detach().requires_grad_()
        torch.sin(x).sum().backward()
        return x.grad.to_sparse()

    assert check(4, dsin).status == "correct"
