"""Lesson 1, exercises 7 to 9: the checkers' feedback at the edges.

These tests pin what a learner reads when an answer to exercise 7 (the two walks by hand),
8 (jvp, vjp and the Jacobian of f8) or 9 (forward against reverse mode, measured) is wrong in
one specific way: the headline and hint keys, the fields (which node, which value, which
times), the name of the part of the answer that has the wrong form, and the wording in both
languages. Each wrong answer is right everywhere except in the one place under test.
"""

from __future__ import annotations

import math

import pytest
import torch

from autograd_lessons import course
from autograd_lessons import exercises as machinery
from autograd_lessons.exercises import check, exercises
from autograd_lessons.i18n import LANGUAGES, text
from autograd_lessons.lessons.autograd.exercises import U8, V8, X8, f8
from autograd_lessons.numbers import shortest
from test_exercises import answer7, answer8, answer9, walks7

course.lessons()

SIN2, COS2, LOG4 = math.sin(2.0), math.cos(2.0), math.log(4.0)


@pytest.fixture(autouse=True)
def fresh_hints(monkeypatch):
    monkeypatch.setattr(machinery, "_hints_shown", {})


def in_both(feedback) -> dict[str, str]:
    """The hint of `feedback` as each language words it."""
    return {language: feedback.hint.render(language) for language in LANGUAGES}


def assert_wrong(feedback, hint_key: str, headline_key: str = "exercises.incorrect", **fields) -> None:
    """A wrong verdict with exactly these keys and fields, worded in both languages."""
    assert feedback.status == "wrong", str(feedback)
    assert feedback.headline.key == headline_key, str(feedback)
    assert feedback.hint.key == hint_key, str(feedback)
    assert dict(feedback.hint.fields) == fields, str(feedback)
    for language in LANGUAGES:
        assert feedback.hint.render(language) and feedback.headline.render(language)


def assert_bad_form(feedback, before_en: str, before_pt: str | None = None) -> None:
    """A form verdict whose hint starts by saying what is off (in English, and in Portuguese if given)."""
    assert feedback.status == "wrong" and feedback.headline.key == "exercises.bad_form", str(feedback)
    worded = in_both(feedback)
    assert worded["en"].startswith(before_en), worded["en"]
    if before_pt is not None:
        assert worded["pt"].startswith(before_pt), worded["pt"]


# --------------------------------------------------------------------------- exercise 7


@pytest.mark.parametrize("missing", ["forward", "backward"])
def test_7_a_missing_walk_is_named(missing):
    """An answer without one of the two walks says which key is missing."""
    answer = answer7()
    del answer[missing]
    assert_bad_form(check(7, answer), f'the dictionary lacks the keys "{missing}".')


@pytest.mark.parametrize(("walk", "node"), [("forward", "u"), ("forward", "f"), ("backward", "f"), ("backward", "x")])
def test_7_a_value_that_is_not_a_number_names_its_place(walk, node):
    """A walk's value that is not a number is named by its full place in the answer."""
    answer = answer7(**{walk: {node: "4"}})
    assert_bad_form(
        check(7, answer),
        f'answer["{walk}"]["{node}"] should be a number (a float, or a tensor with one element), not a string.',
        f'answer["{walk}"]["{node}"] deve ser um número',
    )


@pytest.mark.parametrize("node", ["u", "v", "w", "p", "r", "q", "f"])
def test_7_each_wrong_tangent_is_named_with_its_value(node):
    """A forward walk wrong only at `node` names that node and the value given."""
    feedback = check(7, answer7({node: 10.5}))
    assert_wrong(feedback, "exercises.l1.7.forward", node=node, actual="10.5")
    worded = in_both(feedback)
    assert worded["en"].startswith(f"the tangent of {node} is 10.5.")
    assert worded["pt"].startswith(f"a tangente de {node} vale 10,5.")


def test_7_a_tangent_equal_to_half_of_the_product_rule_is_named_only_at_p():
    """The product-rule hint is for p alone: another node with the same value is a plain slip."""
    half = SIN2 * 1.0  # dp/dv · v̇, one half of ṗ
    assert_wrong(check(7, answer7({"p": half})), "exercises.l1.7.product_rule", actual=shortest(half))
    assert_wrong(check(7, answer7({"u": half})), "exercises.l1.7.forward", node="u", actual=shortest(half))


def test_7_the_product_rule_hint_shows_the_value_given():
    """Half of the product rule at p is named with the number the learner wrote, in both languages."""
    half = LOG4 * COS2  # dp/dw · ẇ
    feedback = check(7, answer7({"p": half}))
    assert_wrong(feedback, "exercises.l1.7.product_rule", actual=shortest(half))
    worded = in_both(feedback)
    assert worded["en"].startswith(f"the tangent of p is {shortest(half)},")
    assert worded["pt"].startswith(f"a tangente de p vale {shortest(half).replace('.', ',')},")


@pytest.mark.parametrize("node", ["f", "p", "q", "v", "w", "r", "u", "x"])
def test_7_each_wrong_adjoint_is_named_with_its_value(node):
    """A backward walk wrong only at `node` (f included) names that node and the value given."""
    feedback = check(7, answer7(backward={node: 10.5}))
    assert_wrong(feedback, "exercises.l1.7.backward", node=node, actual="10.5")
    worded = in_both(feedback)
    assert worded["en"].startswith(f"the adjoint of {node} is 10.5.")
    assert worded["pt"].startswith(f"o adjunto de {node} vale 10,5.")


def test_7_a_wrong_adjoint_of_f_is_a_plain_slip():
    """f's adjoint has no edge above it: a wrong one (even 0, or an edge's term) is a plain slip."""
    for value in (2.0, 0.0, 0.25, 4.0):
        feedback = check(7, answer7(backward={"f": value}))
        assert_wrong(feedback, "exercises.l1.7.backward", node="f", actual=shortest(value))


@pytest.mark.parametrize(("node", "term"), [("u", 0.25), ("x", 4.0)])
def test_7_an_adjoint_that_is_its_edges_term_alone_names_node_and_value(node, term):
    """u's adjoint given as dv/du alone, or x's as du/dx alone, is named as the edge's term alone."""
    feedback = check(7, answer7(backward={node: term}))
    assert_wrong(feedback, "exercises.l1.7.local_only", node=node, actual=shortest(term))
    worded = in_both(feedback)
    assert worded["en"].startswith(f"the adjoint of {node} is {shortest(term)}, the term of its edge alone.")
    assert worded["pt"].startswith(f"o adjunto de {node} vale {shortest(term).replace('.', ',')}, só o termo")


def test_7_a_forgotten_path_is_named_only_at_x():
    """A partial sum of x's paths is the accumulation hint at x, with the value; elsewhere a plain slip."""
    _, backward = walks7()
    r_path = backward["r"] * -0.25  # x's path through r alone
    feedback = check(7, answer7(backward={"x": r_path}))
    assert_wrong(feedback, "exercises.l1.7.accumulate", actual=shortest(r_path))
    worded = in_both(feedback)
    assert worded["en"].startswith("the adjoint of x is -0.25, the sum of only some of its paths.")
    assert worded["pt"].startswith("o adjunto de x vale -0,25, a soma de só alguns")
    assert_wrong(check(7, answer7(backward={"u": r_path})), "exercises.l1.7.backward", node="u", actual="-0.25")


# --------------------------------------------------------------------------- exercise 8


@pytest.mark.parametrize("missing", ["jvp", "vjp", "jacobian", "why"])
def test_8_a_missing_key_is_named(missing):
    """An answer without one of its four keys says which one."""
    answer = answer8()
    del answer[missing]
    assert_bad_form(check(8, answer), f'the dictionary lacks the keys "{missing}".')


@pytest.mark.parametrize(
    ("key", "value", "before_en", "before_pt"),
    [
        (
            "jvp",
            torch.zeros(2),
            'answer["jvp"] has shape (2,), and (3,) is expected.',
            'answer["jvp"] tem formato (2,)',
        ),
        ("jvp", torch.zeros(1), 'answer["jvp"] has shape (1,), and (3,) is expected.', None),
        (
            "vjp",
            torch.zeros(1),
            'answer["vjp"] has shape (1,), and (3,) is expected.',
            'answer["vjp"] tem formato (1,)',
        ),
        ("vjp", torch.zeros(2), 'answer["vjp"] has shape (2,), and (3,) is expected.', None),
        (
            "jacobian",
            torch.zeros(3),
            'answer["jacobian"] has shape (3,), and (3, 3) is expected.',
            'answer["jacobian"] tem formato (3,), e o esperado é (3, 3).',
        ),
        ("jvp", [2.0, -1.0, 1.6], 'answer["jvp"] should be a tensor, not a list of 3 items.', None),
        ("vjp", [1.0, 2.0, 3.0], 'answer["vjp"] should be a tensor, not a list of 3 items.', None),
        ("vjp", (1.0, 2.0, 3.0), 'answer["vjp"] should be a tensor, not a tuple of 3 items.', None),
        ("jvp", 2.0, 'answer["jvp"] should be a tensor, not a number.', None),
        (
            "jacobian",
            [[1.0] * 3] * 3,
            'answer["jacobian"] should be a tensor, not a list of 3 items.',
            'answer["jacobian"] deve ser um tensor',
        ),
    ],
    ids=[
        "jvp-2",
        "jvp-1",
        "vjp-1",
        "vjp-2",
        "jacobian-3",
        "jvp-list",
        "vjp-list",
        "vjp-tuple3",
        "jvp-number",
        "jacobian-lists",
    ],
)
def test_8_a_result_of_the_wrong_form_is_named(key, value, before_en, before_pt):
    """A result of the wrong shape or type is named by its key, with what was expected."""
    assert_bad_form(check(8, {**answer8(), key: value}), before_en, before_pt)


def test_8_one_product_in_the_others_place_is_not_a_swap():
    """Only both products exchanged are "swapped"; one of them in the other's place is a wrong value."""
    right = answer8()
    assert_wrong(check(8, {**right, "jvp": right["vjp"]}), "exercises.l1.8.jvp.values")
    assert_wrong(check(8, {**right, "vjp": right["jvp"]}), "exercises.l1.8.vjp.values")
    assert_wrong(check(8, {**right, "jvp": right["vjp"], "vjp": right["jvp"]}), "exercises.l1.8.swapped")


@pytest.mark.parametrize("key", ["jvp", "vjp"])
def test_8_a_product_matching_no_known_mix_up_does_not_match(key):
    """A product that is no named mix-up gets the plain "does not match" hint, in both languages."""
    feedback = check(8, {**answer8(), key: torch.tensor([1.0, 2.0, 3.0])})
    assert_wrong(feedback, f"exercises.l1.8.{key}.values")
    assert in_both(feedback)["en"].startswith(f'"{key}" does not match')
    assert in_both(feedback)["pt"].startswith(f'"{key}" não confere')


@pytest.mark.parametrize("key", ["jvp", "vjp"])
def test_8_a_product_through_float32_names_the_worst_point(key):
    """A float64 product that went through float32 gets the precision hint at its worst point."""
    x64 = X8.double()
    exact = (
        torch.func.jvp(f8, (x64,), (V8.double(),))[1] if key == "jvp" else torch.func.vjp(f8, x64)[1](U8.double())[0]
    )
    rounded = exact.float().double()
    i = int(torch.argmax((rounded - exact).abs()))
    feedback = check(8, {**answer8(), key: rounded})
    assert_wrong(
        feedback,
        "exercises.precision",
        "exercises.precision_headline",
        dtype="float64",
        x=shortest(float(X8[i]), torch.float32),
        actual=shortest(float(rounded[i])),
        expected=shortest(float(exact[i])),
    )
    assert f"at x = {shortest(float(X8[i]), torch.float32)} yours gives {shortest(float(rounded[i]))}" in str(
        feedback.hint
    )


def test_8_a_letter_outside_the_options_lists_the_options():
    """A "why" letter that is not offered lists exactly a, b and c."""
    assert_bad_form(
        check(8, {**answer8(), "why": "x"}),
        'the answer to the question should be one of the letters "a", "b", "c", not "x".',
        'a resposta à pergunta deve ser uma das letras "a", "b", "c", não "x".',
    )


# --------------------------------------------------------------------------- exercise 9


@pytest.mark.parametrize("missing", ["tall", "wide", "conclusion", "why"])
def test_9_a_missing_key_is_named(missing):
    """An answer without one of its four keys says which one."""
    answer = answer9()
    del answer[missing]
    assert_bad_form(check(9, answer), f'the dictionary lacks the keys "{missing}".')


@pytest.mark.parametrize("missing", ["tall", "wide"])
def test_9_a_missing_conclusion_is_named(missing):
    """A conclusion without one of the two shapes says which one."""
    answer = answer9()
    del answer["conclusion"][missing]
    assert_bad_form(check(9, answer), f'the dictionary lacks the keys "{missing}".')


@pytest.mark.parametrize("shape", ["tall", "wide"])
@pytest.mark.parametrize("times", [(0.001, 0.01, 0.1), (0.001,), 0.001, "fast"], ids=["three", "one", "number", "str"])
def test_9_times_that_are_not_a_pair_are_named(shape, times):
    """A shape's times that are not a pair say so, naming the shape's key, in both languages."""
    assert_bad_form(
        check(9, answer9(**{shape: times})),
        f'answer["{shape}"] should be a pair of times in seconds (t_jacfwd, t_jacrev).',
        f'answer["{shape}"] deve ser um par de tempos em segundos (t_jacfwd, t_jacrev).',
    )


@pytest.mark.parametrize("shape", ["tall", "wide"])
def test_9_a_time_that_is_not_a_number_names_the_shape(shape):
    """A time that is not a number is named by the shape it was measured for."""
    assert_bad_form(
        check(9, answer9(**{shape: ("fast", 0.01)})),
        f'answer["{shape}"] should be a plain number of seconds (like 0.0012), not a string.',
    )


@pytest.mark.parametrize(("index", "shape"), [(0, "tall"), (1, "wide")])
def test_9_a_conclusion_that_is_not_a_word_is_named(index, shape):
    """A conclusion that is not a string (a number, None) is named with its place and value."""
    for value, shown in ((3, "3"), (None, "None"), (1.5, "1.5")):
        conclusion = ["forward", "reverse"]
        conclusion[index] = value
        assert_bad_form(
            check(9, answer9(conclusion=tuple(conclusion))),
            f'answer["conclusion"]["{shape}"] should be "forward" or "reverse", not {shown}.',
            f'answer["conclusion"]["{shape}"] deve ser "forward" ou "reverse", não {shown}.',
        )


def test_9_a_long_conclusion_is_cut_to_forty_characters():
    """A long unknown conclusion is shown as its repr cut to 40 characters."""
    value = "forward-mode is faster here, I measured it twice"
    shown = repr(value)[:40]
    assert_bad_form(
        check(9, answer9(conclusion=(value, "reverse"))),
        f'answer["conclusion"]["tall"] should be "forward" or "reverse", not {shown}.',
    )


@pytest.mark.parametrize("shape", ["tall", "wide"])
@pytest.mark.parametrize(
    "bad",
    [0.0, -0.0, -0.001, math.inf, -math.inf, math.nan, torch.tensor(0.0), 0],
    ids=["zero", "minus-zero", "negative", "inf", "minus-inf", "nan", "tensor-zero", "int-zero"],
)
@pytest.mark.parametrize("position", [0, 1])
def test_9_times_must_be_finite_and_positive(shape, bad, position):
    """A zero, negative, infinite or NaN time, in either slot of either shape, is refused as such."""
    times = [0.001, 0.01] if shape == "tall" else [0.01, 0.001]
    times[position] = bad
    feedback = check(9, answer9(**{shape: tuple(times)}))
    assert_wrong(feedback, "exercises.l1.9.times_invalid")
    assert in_both(feedback)["en"] == "the times should be finite numbers greater than zero, in seconds."


def test_9_tiny_positive_times_are_accepted():
    """A time just above zero is a valid time."""
    assert check(9, answer9(tall=(5e-324, 0.01), wide=(0.01, 5e-324))).correct


@pytest.mark.parametrize("shape", ["tall", "wide"])
def test_9_a_tie_with_the_right_conclusion_is_correct_without_a_remark(shape):
    """Equal times support neither mode: the right conclusion passes with no remark."""
    feedback = check(9, answer9(**{shape: (0.005, 0.005)}))
    assert feedback.correct and feedback.hint is None, str(feedback)


@pytest.mark.parametrize(
    ("shape", "conclusion", "chosen"),
    [("tall", ("reverse", "reverse"), "reverse"), ("wide", ("forward", "forward"), "forward")],
)
def test_9_a_tie_with_the_wrong_conclusion_follows_the_measurement(shape, conclusion, chosen):
    """With equal times, the wrong mode is a conclusion that follows an odd measurement."""
    feedback = check(9, answer9(conclusion=conclusion, **{shape: (0.005, 0.005)}))
    fields = {"shape": text(f"exercises.l1.9.{shape}"), "fwd": "0.005", "rev": "0.005", "chosen": chosen}
    assert_wrong(feedback, "exercises.l1.9.follows_odd_measurement", "exercises.l1.9.wrong_conclusion", **fields)


def test_9_a_swapped_conclusion_names_shape_times_and_modes():
    """The wrong mode against the measurement names the shape, both times (3 digits) and both modes."""
    feedback = check(9, answer9(tall=(0.0012345, 0.0104), conclusion=("reverse", "forward")))
    assert_wrong(
        feedback,
        "exercises.l1.9.swapped",
        "exercises.l1.9.wrong_conclusion",
        shape=text("exercises.l1.9.tall"),
        fwd="0.00123",
        rev="0.0104",
        chosen="reverse",
        faster="forward",
    )
    worded = in_both(feedback)
    assert worded["en"] == (
        "for the tall (few inputs, many outputs) shape you measured jacfwd 0.00123 s and jacrev 0.0104 s,"
        ' so the faster one is "forward", not "reverse".'
    )
    assert worded["pt"] == (
        "na forma alta (poucas entradas, muitas saídas) você mediu jacfwd 0,00123 s e jacrev 0,0104 s,"
        ' então o mais rápido é "forward", não "reverse".'
    )
    assert feedback.headline.render("en") == "the conclusion does not match what the two modes cost."
    assert feedback.headline.render("pt") == "a conclusão não confere com o custo dos dois modos."


def test_9_a_wide_swap_names_the_wide_shape():
    """A right tall conclusion and a wrong wide one name the wide shape and reverse mode."""
    feedback = check(9, answer9(wide=(0.02, 0.0015), conclusion=("forward", "forward")))
    assert_wrong(
        feedback,
        "exercises.l1.9.swapped",
        "exercises.l1.9.wrong_conclusion",
        shape=text("exercises.l1.9.wide"),
        fwd="0.02",
        rev="0.0015",
        chosen="forward",
        faster="reverse",
    )


def test_9_a_conclusion_following_an_odd_measurement_names_it():
    """The wrong mode that the (odd) measurement favours is named with the measured times."""
    feedback = check(9, answer9(tall=(0.0234567, 0.01), conclusion=("reverse", "reverse")))
    assert_wrong(
        feedback,
        "exercises.l1.9.follows_odd_measurement",
        "exercises.l1.9.wrong_conclusion",
        shape=text("exercises.l1.9.tall"),
        fwd="0.0235",
        rev="0.01",
        chosen="reverse",
    )
    worded = in_both(feedback)
    assert worded["en"].startswith(
        'for the tall (few inputs, many outputs) shape your conclusion, "reverse", follows your measurement'
        " (jacfwd 0.0235 s, jacrev 0.01 s)"
    )
    assert "(jacfwd 0,0235 s, jacrev 0,01 s)" in worded["pt"]
    assert feedback.headline.render("en") == "the conclusion does not match what the two modes cost."


def test_9_a_letter_outside_the_options_lists_the_options():
    """A "why" letter that is not offered lists exactly a, b and c."""
    assert_bad_form(
        check(9, answer9(why="x")),
        'the answer to the question should be one of the letters "a", "b", "c", not "x".',
    )


def test_9_the_checker_returns_none_for_a_right_answer_backed_by_the_measurement():
    """As every checker's contract says, a right answer with nothing to remark returns None."""
    checker = exercises(1)[8].check
    assert checker(answer9()) is None
    assert checker(answer9(tall=(0.02, 0.01))) == "exercises.l1.9.measure_more"
