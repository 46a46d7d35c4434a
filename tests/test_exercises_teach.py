"""Exercises that teach: each needs only what came before it, every "why?" is answered and
checked, and the feedback names the real cause, in words a learner reads (both languages)."""

from __future__ import annotations

import ast
import math
import re

import pytest
import torch

from autograd_lessons import course, set_language, sources
from autograd_lessons.exercises import check, choice, kind_text
from autograd_lessons.i18n import LANGUAGES, MESSAGES
from autograd_lessons.lessons.autograd.exercises import X1
from test_exercises import answer1, answer2, answer6, answer7, answer8, answer9, dfdx, terms6, walks7, with_dfdx

course.lessons()

RIGHT_ANSWERS = {1: answer1, 2: answer2, 8: answer8, 9: answer9}
RIGHT_LETTER = {1: "b", 2: "c", 8: "a", 9: "b"}
OPTION = re.compile(r"^- \(([a-z])\) ", re.M)


def statement(number: int, language: str, lesson: int = 1) -> str:
    """Exercise `number`'s statement in `lesson`'s exercises notebook (the one that is neither the
    lesson nor its solutions), as `language` reads it."""
    chosen = course.lesson(lesson)
    notebook = next(name for name in chosen.notebooks if name not in (chosen.notebook, chosen.solutions))
    texts = sources.edition_texts(chosen.source_cells(notebook), language, f"{notebook}.py", LANGUAGES)
    heading = re.compile(rf"^## (Exercício|Exercise) {number} ")
    return next(text for text in texts if heading.match(text))


# --- 1. every question is answered and checked --------------------------------------------------


def check_why_options(lesson: int, number: int, language: str, right: dict, right_letter: str) -> None:
    """Exercise `number` of `lesson` offers (a), (b), (c) for its "why?"; with `right` (an answer
    right on everything else) only `right_letter` passes, and each other letter fails with its
    own misconception (its own hint, the letter quoted in the message)."""
    set_language(language)
    assert OPTION.findall(statement(number, language, lesson=lesson)) == ["a", "b", "c"], (lesson, number, language)
    hints = set()
    for letter in "abc":
        feedback = check(number, {**right, "why": letter}, lesson=lesson)
        key = f"exercises.l{lesson}.{number}.why.{letter}"
        if letter == right_letter:
            assert feedback.correct, str(feedback)
            assert key not in MESSAGES
            continue
        found = feedback.hint
        if found is not None and found.key == "exercises.form_hint_after":
            found = found.fields["before"]
        assert feedback.status == "wrong" and found is not None and found.key == key, str(feedback)
        assert f"({letter})" in feedback.message
        hints.add(str(feedback.hint))
    assert len(hints) == 2, "each wrong option names its own misconception"


@pytest.mark.parametrize("number", sorted(RIGHT_LETTER))
def test_each_why_question_offers_options_and_only_the_right_one_passes(number):
    for language in LANGUAGES:
        check_why_options(1, number, language, RIGHT_ANSWERS[number](), RIGHT_LETTER[number])


@pytest.mark.parametrize("written", ["B", " b ", "(b)", "b)", "b."])
def test_a_letter_is_read_however_it_is_written(written):
    assert check(1, {**answer1(), "why": written}).correct


@pytest.mark.parametrize("written", [None, "d", "bc", "", 2, ["b"], "because of the graph"])
def test_anything_but_an_offered_letter_is_a_form_error_listing_the_options(written):
    for language, words in (("en", 'one of the letters "a", "b", "c"'), ("pt", 'uma das letras "a", "b", "c"')):
        set_language(language)
        feedback = check(1, {**answer1(), "why": written})
        assert feedback.status == "wrong" and words in str(feedback.hint), str(feedback)


def test_choice_alone():
    choice("a", right="a", options="ab", question="q")
    with pytest.raises(Exception) as raised:
        choice("b", right="a", options="ab", question="exercises.l1.1.why")
    assert raised.value.hint == "exercises.l1.1.why.b"


def test_every_wrong_option_has_its_reason_in_every_language():
    for number, right in RIGHT_LETTER.items():
        for letter in "abc":
            key = f"exercises.l1.{number}.why.{letter}"
            assert (key in MESSAGES) == (letter != right), key
            if letter != right:
                assert set(MESSAGES[key]) >= set(LANGUAGES), key


# --- 2. exercise 6: each chain-rule term on its edge ---------------------------------------------

TERM_SLIPS = {
    "dv/dx for dv/du": ({"dv/du": 2 / 2.0}, "exercises.l1.6.term.dv_dx"),
    "the factor itself for dp/dv": ({"dp/dv": math.log(4.0)}, "exercises.l1.6.term.same_factor"),
    "the factor itself for dp/dw": ({"dp/dw": math.sin(2.0)}, "exercises.l1.6.term.same_factor"),
    "sign of dr/dx": ({"dr/dx": 0.25}, "exercises.l1.6.term.sign"),
    "the untracked 1 as 0": ({"dq/dr": 0}, "exercises.l1.6.term.untracked"),
    "anything else": ({"dw/dx": 0.5}, "exercises.l1.6.term.other"),
    "the sum's edge": ({"df/dq": 2.0}, "exercises.l1.6.term.other"),
}


@pytest.mark.parametrize("name", TERM_SLIPS)
def test_6_a_wrong_term_is_named_with_its_slip(name):
    changed, key = TERM_SLIPS[name]
    for language in LANGUAGES:
        set_language(language)
        feedback = check(6, answer6(**changed))
        assert not feedback.correct and feedback.hint.key == key, str(feedback)
        assert next(iter(changed)) in str(feedback.hint)


def test_6_terms_written_as_a_learner_would_are_accepted():
    rounded = {edge: round(value, 4) for edge, value in terms6().items()}
    assert check(6, answer6(**rounded)).correct, "4 decimals are a hand calculation"
    as_tensors = {edge: torch.tensor(value) for edge, value in terms6().items()}
    assert check(6, answer6(**as_tensors)).correct, "float32 one-element tensors"
    ints = {"du/dx": 4, "dq/dr": 1, "df/dp": 1, "df/dq": 1}
    assert check(6, answer6(**ints)).correct
    coarse = check(6, answer6(**{"dw/dx": round(math.cos(2.0), 2)}))
    assert not coarse.correct, "2 decimals of cos 2 (-0.42) are 1 % off: outside HAND_RELATIVE"


@pytest.mark.parametrize("value", [True, "0.25", None, torch.ones(2), math.nan, math.inf, -0.0])
def test_6_a_term_that_is_not_a_number(value):
    feedback = check(6, answer6(**{"dv/du": value}))
    assert not feedback.correct
    if isinstance(value, float):  # a number, but not the term
        assert feedback.hint.key == "exercises.l1.6.term.other"
    else:
        assert feedback.message == "the answer does not have the expected form."


def test_6_a_derivative_asked_of_autograd_is_not_the_chain_rule_by_hand():
    def by_autograd(x):
        x = x.detach().requires_grad_()
        (grad,) = torch.autograd.grad((torch.log(x**2) * torch.sin(x) + 1 / x).sum(), x)
        return grad

    def by_func(x):
        return torch.vmap(torch.func.grad(lambda t: torch.log(t**2) * torch.sin(t) + 1 / t))(x)

    for function in (by_autograd, by_func):
        for language in LANGUAGES:
            set_language(language)
            feedback = check(6, with_dfdx(function))
            assert not feedback.correct and feedback.hint.key == "exercises.l1.6.autograd", str(feedback)
    equivalent = lambda x: (2 * torch.sin(x) + x * torch.log(x * x) * torch.cos(x)) / x - x**-2  # noqa: E731
    assert check(6, with_dfdx(equivalent)).correct, "another way to write the same formula"


# --- 3. exercise 7: the graph walked both ways, by hand -----------------------------------------


def test_7_walks_written_with_tensors_or_rounded_are_accepted():
    forward, backward = walks7()
    assert check(7, answer7()).correct
    assert check(
        7, answer7({k: round(v, 4) for k, v in forward.items()}, {k: round(v, 4) for k, v in backward.items()})
    ).correct
    as_float32 = {k: torch.tensor(v) for k, v in backward.items()}
    assert check(7, answer7(backward=as_float32)).correct


def test_7_half_of_the_product_rule():
    forward, _ = walks7()
    v, w = math.log(4.0), math.sin(2.0)
    for half in (forward["v"] * w, v * forward["w"], forward["v"] * forward["w"]):
        for language in LANGUAGES:
            set_language(language)
            feedback = check(7, answer7({"p": half, "f": half + forward["r"]}))
            assert feedback.hint.key == "exercises.l1.7.product_rule", str(feedback)


def test_7_every_partial_sum_at_x_is_a_forgotten_path():
    _, backward = walks7()
    paths = (backward["u"] * 4.0, backward["w"] * math.cos(2.0), backward["r"] * -0.25)
    for mask in range(1, 7):
        partial = sum(path for i, path in enumerate(paths) if mask >> i & 1)
        feedback = check(7, answer7(backward={"x": partial}))
        assert feedback.hint.key == "exercises.l1.7.accumulate", (mask, str(feedback))


def test_7_an_adjoint_that_is_its_edges_term_alone():
    feedback = check(7, answer7(backward={"u": 1 / 4.0}))
    assert feedback.hint.key == "exercises.l1.7.local_only" and "u" in str(feedback.hint)


def test_7_other_slips_name_the_first_wrong_node():
    feedback = check(7, answer7({"v": 2.0, "f": 9.0}))
    assert feedback.hint.key == "exercises.l1.7.forward" and "v" in str(feedback.hint)
    feedback = check(7, answer7(backward={"w": 3.0}))
    assert feedback.hint.key == "exercises.l1.7.backward" and "w" in str(feedback.hint)
    missing = check(7, {"forward": walks7()[0], "backward": {"f": 1.0}})
    assert missing.message == "the answer does not have the expected form." and '"p"' in str(missing.hint)


# --- 4. a method is not a precision slip ---------------------------------------------------------


def test_1_finite_differences_in_float64_are_an_approximation_not_float32():
    x, h = X1.double(), 1e-4
    second = (torch.sin(x + h) - 2 * torch.sin(x) + torch.sin(x - h)) / h**2
    for language, words in (("en", "approximation"), ("pt", "aproximação")):
        set_language(language)
        feedback = check(1, {**answer1(), "second_derivative": second})
        assert not feedback.correct and words in str(feedback.hint) and "float32" not in str(feedback.hint)
    through32 = check(1, {**answer1(), "second_derivative": (-torch.sin(X1)).double()})
    assert "float32" in str(through32.hint), "a float32 result turned float64 is named as such"


# --- 5. words a learner should see --------------------------------------------------------------

RAW_TYPE = re.compile(r"\b(?:não|not) (?:function|generator|list|tuple|dict|int|float|str|NoneType|type|Tensor)\b")


@pytest.mark.parametrize(
    "value, en, pt",
    [
        (lambda: 1, "a function (`<lambda>`)", "uma função (`<lambda>`)"),
        ((i for i in ()), "a generator", "um gerador"),
        ([1, 2, 3], "a list of 3 items", "uma lista de 3 elementos"),
        ((1,), "a tuple of 1 item", "uma tupla de 1 elemento"),
        (int, "a class (`int`)", "uma classe (`int`)"),
        (torch.nn.Linear(1, 1), "a module (`Linear`)", "um módulo (`Linear`)"),
        (ValueError("x"), "an error (`ValueError`)", "um erro (`ValueError`)"),
        (object(), "an object of type `object`", "um objeto do tipo `object`"),
    ],
)
def test_a_value_is_named_in_words_not_by_its_python_type(value, en, pt):
    assert kind_text(value).render("en") == en and kind_text(value).render("pt") == pt
    for language in LANGUAGES:
        set_language(language)
        hint = str(check(2, value).hint)
        assert (en if language == "en" else pt) in hint and not RAW_TYPE.search(hint), hint


def test_2_what_a_learner_keeps_instead_of_the_exception():
    right = answer2()
    as_text = check(2, {**right, "error": str(right["error"])})
    assert as_text.hint.key == "exercises.l1.2.error_text"
    no_grad = check(2, {**right, "grad": None})
    assert no_grad.hint.key == "exercises.l1.2.grad_none"


# --- 6. order: an exercise uses only what was taught before it ----------------------------------

# The tools an exercise may need: torch.autograd's and torch.func's functions, their keyword
# arguments that change what autograd records, and the package's own helpers.
TOOL_MODULES = (torch.func, torch.autograd)
TOOL_KEYWORDS = {"create_graph", "retain_graph"}


def _used_tools(code: str) -> set[str]:
    """The autograd tools `code` calls: names of torch.func / torch.autograd functions and the
    keyword arguments of TOOL_KEYWORDS."""
    found = set()
    for node in ast.walk(ast.parse(code)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if any(callable(getattr(module, name, None)) for module in TOOL_MODULES) and name not in {"Function"}:
            found.add(name)
        found |= {keyword.arg for keyword in node.keywords if keyword.arg in TOOL_KEYWORDS}
    return found


def _lesson_code(number: int) -> str:
    lesson = course.lesson(number)
    return "\n".join(cell.source for cell in lesson.source_cells(lesson.notebook) if cell.kind == "code")


def test_every_exercise_needs_only_tools_its_lesson_or_an_earlier_one_shows():
    assert {"grad", "jvp", "vjp", "jacrev", "jacfwd", "create_graph", "retain_graph"} <= _used_tools(_lesson_code(1))
    taught: set[str] = set()
    for number in course.numbers():
        lesson = course.lesson(number)
        taught |= _used_tools(_lesson_code(number))
        for exercise in sorted(lesson.exercises):
            used = _used_tools(lesson.solution_code(exercise)["en"])
            assert used <= taught, (
                f"lesson {number}, exercise {exercise} uses {sorted(used - taught)}, never shown before"
            )


TAUGHT_IN = {
    "pt": re.compile(r"^\*Visto em:\* lição (\d+), (.+)\.$", re.M),
    "en": re.compile(r"^\*Taught in:\* lesson (\d+), (.+)\.$", re.M),
}


def _sections(number: int, language: str) -> set[str]:
    """The numbers of lesson `number`'s sections ("## 6. …"), as `language` reads them."""
    lesson = course.lesson(number)
    texts = sources.edition_texts(lesson.source_cells(lesson.notebook), language, f"{lesson.notebook}.py", LANGUAGES)
    return {match.group(1) for text in texts for match in re.finditer(r"^## (\d+)\. ", text, re.M)}


@pytest.mark.parametrize("lesson_number", [lesson.number for lesson in course.lessons()])
def test_every_statement_says_where_its_tools_were_taught(lesson_number):
    """Each exercise points, once, to the sections that taught its tools: of its own lesson or
    an earlier one, sections that exist."""
    for language in LANGUAGES:
        for exercise in sorted(course.lesson(lesson_number).exercises):
            found = TAUGHT_IN[language].findall(statement(exercise, language, lesson=lesson_number))
            assert len(found) == 1, f"lesson {lesson_number}, exercise {exercise} [{language}]"
            where, places = int(found[0][0]), re.findall(r"§ (\d+)", found[0][1])
            assert where <= lesson_number and places, found
            assert set(places) <= _sections(where, language), f"exercise {exercise} points to a missing section"


def test_dfdx_reference_is_the_tests_own():
    assert torch.allclose(dfdx(torch.tensor([2.0])), torch.tensor([0.0824]), atol=1e-4)
