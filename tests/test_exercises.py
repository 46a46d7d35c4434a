"""check(number, answer): right answers pass, typical wrong ones get the intended hint; hint(n)
and solution(n) help step by step; no learner code can crash, hang or outlive a check."""

from __future__ import annotations

import ast
import html
import math
import re
import sys
import time

import numpy as np
import pytest
import torch

import autograd_lessons
from autograd_lessons import LessonError, course, exercises, guard, set_language, sources
from autograd_lessons.exercises import Feedback, Help, check, hint, solution
from autograd_lessons.graph import trace
from autograd_lessons.i18n import LANGUAGES, MESSAGES
from autograd_lessons.lessons.autograd.exercises import U8, V8, X1, X8, f5, f8
from autograd_lessons.lessons.autograd.maths import control_flow
from helpers import NOTEBOOKS, code_cells, read_notebook, source, strip_comments

course.lessons()  # every lesson's texts are in MESSAGES once the lessons are found


# --- answers computed the way a learner would ------------------------------------------------
def answer1():
    x = X1.clone().requires_grad_()
    start = time.perf_counter()
    (first,) = torch.autograd.grad(torch.sin(x).sum(), x, create_graph=True)
    middle = time.perf_counter()
    (second,) = torch.autograd.grad(first.sum(), x)
    end = time.perf_counter()
    return {
        "first_seconds": 1e-4,
        "second_seconds": 2e-4,
        "second_derivative": second,
        "why": "b",
        "_first": first,
        "_real": (middle - start, end - middle),
    }


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
    return {"error": error, "grad": x.grad, "why": "c"}


def answer3(a):
    a = a.clone().requires_grad_()
    control_flow(a).sum().backward()
    return (a, a.grad)


def dsin(x):
    x = x.requires_grad_()
    (g,) = torch.autograd.grad(torch.sin(x).sum(), x)
    return g


def my_f(x):
    return torch.log(x**2) * torch.sin(x) + 1 / x


def ops_of(function):
    x = torch.tensor(2.0, requires_grad=True)
    counts = trace(function(x)).counts()
    del counts["AccumulateGrad"]
    return list(counts.elements())


def dfdx(x):
    return 2 / x * torch.sin(x) + torch.log(x**2) * torch.cos(x) - 1 / x**2


def terms6():
    """Exercise 6's terms at x = 2, as a learner computes them with math."""
    x = 2.0
    u, v, w = x**2, math.log(x**2), math.sin(x)
    return {
        "du/dx": 2 * x,
        "dv/du": 1 / u,
        "dw/dx": math.cos(x),
        "dp/dv": w,
        "dp/dw": v,
        "dr/dx": -1 / x**2,
        "dq/dr": 1.0,
        "df/dp": 1.0,
        "df/dq": 1.0,
    }


def answer6(**changed):
    return {"terms": {**terms6(), **changed}, "dfdx": dfdx}


def with_dfdx(function):
    """Exercise 6's answer with right terms and `function` as dfdx."""
    return {"terms": terms6(), "dfdx": function}


def walks7():
    """Exercise 7's two walks at x = 2, by hand (x's tangent 1, f's adjoint 1)."""
    t, v, w = terms6(), math.log(4.0), math.sin(2.0)
    du, dw, dr = t["du/dx"], t["dw/dx"], t["dr/dx"]
    dv = du / 4.0
    dp = dv * w + v * dw
    forward = {"u": du, "v": dv, "w": dw, "p": dp, "r": dr, "q": dr, "f": dp + dr}
    bv, bw = w, v
    bu = bv / 4.0
    backward = {"f": 1.0, "p": 1.0, "q": 1.0, "v": bv, "w": bw, "r": 1.0, "u": bu, "x": bu * du + bw * dw + dr}
    return forward, backward


def answer7(forward=None, backward=None):
    ahead, back = walks7()
    return {"forward": {**ahead, **(forward or {})}, "backward": {**back, **(backward or {})}}


def answer8():
    forward = torch.func.jvp(f8, (X8,), (V8,))[1]
    backward = torch.func.vjp(f8, X8)[1](U8)[0]
    return {"jvp": forward, "vjp": backward, "jacobian": torch.func.jacrev(f8)(X8), "why": "a"}


def answer9(tall=(0.001, 0.01), wide=(0.01, 0.001), conclusion=("forward", "reverse"), why="b"):
    conclusion = dict(zip(("tall", "wide"), conclusion, strict=True))
    return {"tall": tall, "wide": wide, "conclusion": conclusion, "why": why}


RIGHT = {
    1: lambda: answer1(),
    2: lambda: answer2(),
    3: lambda: answer3(torch.tensor([[0.5, -1.0], [2.0, 0.25]])),
    4: lambda: dsin,
    5: lambda: (my_f, ops_of(my_f)),
    6: answer6,
    7: answer7,
    8: answer8,
    9: lambda: answer9(),
}
WRONG_FORM = {
    1: {"second_derivative": X1},
    2: [1, 2],
    3: "a",
    4: 3.0,
    5: (my_f,),
    6: "dfdx",
    7: {"forward": {"u": 4.0}},
    8: {"forward": X8},
    9: {"tall": (1, 2), "wide": (2, 1), "conclusion": "forward"},
}


@pytest.fixture(autouse=True)
def fresh_hints(monkeypatch):
    monkeypatch.setattr(exercises, "_hints_shown", {})


@pytest.mark.parametrize("number", range(1, 10))
def test_right_answer_is_accepted(number):
    feedback = check(number, RIGHT[number]())
    assert isinstance(feedback, Feedback)
    assert feedback.correct and feedback.status == "correct", str(feedback)
    assert feedback.hint is None
    assert str(feedback).startswith(f"✔ Exercise {number}: correct — ")


# --- 1. the neutral "not answered yet" state --------------------------------------------------
@pytest.mark.parametrize("number", range(1, 10))
def test_none_and_ellipsis_are_neutral_not_wrong(number):
    for blank in (None, ...):
        feedback = check(number, blank)
        assert feedback.status == "unanswered" and not feedback.correct and feedback.hint is None
        assert str(feedback).startswith(f"○ Exercise {number}: not answered yet — replace the None")
        assert "✘" not in str(feedback) and "in this form: " in feedback.message
        html_text = feedback._repr_html_()
        assert 'data-status="unanswered"' in html_text and "#E0E0E0" in html_text and "#D55E00" not in html_text


def test_unanswered_in_portuguese():
    set_language("pt")
    text = str(check(3, None))
    assert text.startswith("○ Exercício 3: ainda não respondido — troque o None")


def test_status_is_one_of_three():
    assert exercises.STATUSES == ("correct", "wrong", "unanswered")
    assert check(6, with_dfdx(dfdx)).status == "correct" and check(6, torch.sin).status == "wrong"


# --- 2. exercise texts ----------------------------------------------------------------------
EXERCISE_TEXTS = ("exercises.", "lesson1.form.", "lesson1.plot.")  # the shared texts and lesson 1's own


def exercise_texts():
    return [
        (key, lang, text)
        for key, texts in MESSAGES.items()
        if key.startswith(EXERCISE_TEXTS)
        for lang, text in texts.items()
    ]


def test_the_texts_checked_here_include_every_lessons_exercises():
    keys = {key for key, _, _ in exercise_texts()}
    for lesson, numbers in LESSON_EXERCISES.items():
        for number in numbers:
            assert {f"exercises.l{lesson}.{number}.{what}" for what in ("form", "ok", "solution")} <= keys
    assert {"lesson1.form.names", "lesson1.form.choice", "lesson1.form.times"} <= keys


def test_no_word_is_repeated_by_mistake():
    for key, lang, text in exercise_texts():
        repeated = re.search(r"(?<![\w.])(\w+) \1(?!\w)", text, re.I)
        assert repeated is None, f"{key} [{lang}] repeats {repeated.group(0)!r}"


@pytest.mark.parametrize("number", range(1, 10))
def test_forms_do_not_give_the_answer_away(number):
    for lang in LANGUAGES:
        code = course.lesson(1).solution_code(number)[lang]
        lines = [
            line.strip()
            for line in code.splitlines()
            if line.strip() and not line.strip().startswith(("def ", "return", "import", "from", "answer"))
        ]
        assert lines, f"exercise {number} has no solution code [{lang}]"
        form = MESSAGES[f"exercises.l1.{number}.form"][lang]
        for line in lines:
            if len(line) > 12:
                assert line not in form, f"the form of exercise {number} [{lang}] contains {line!r}"
    assert (
        "backward" not in MESSAGES["exercises.l1.3.form"]["en"]
        and "d.sum()" not in MESSAGES["exercises.l1.3.form"]["pt"]
    )


def test_portuguese_forms_say_the_keys_are_code():
    for number in (1, 2, 6, 7, 8, 9):
        assert "chaves do dicionário ficam em inglês: são código" in MESSAGES[f"exercises.l1.{number}.form"]["pt"]


def test_english_says_computational_graph():
    for key, lang, text in exercise_texts():
        if lang == "en":
            assert "computation graph" not in text, key


# --- 3. progressive hints and worked solutions -------------------------------------------------
FINAL = {  # what only the last hint may say, verbatim
    1: "torch.autograd.grad(first.sum(), x)",
    2: "[0, 4, 8, 12]",
    3: "d.sum().backward()",
    4: "torch.sin(x).sum().backward()",
    5: '"ReciprocalBackward0"',
    6: "torch.log(x ** 2) * torch.cos(x)",
    7: "math.sin(2.0), math.cos(2.0)",
    8: "vjp(f8, X8)[1](U8)[0]",
    9: '"tall": "forward"',
}


@pytest.mark.parametrize("language", ["en", "pt"])
@pytest.mark.parametrize("number", range(1, 10))
def test_hints_go_from_a_nudge_to_almost_the_answer(number, language):
    set_language(language)
    shown = []
    while True:
        help_ = hint(number)
        if help_.note is not None:  # the last one again
            break
        shown.append(help_)
        assert len(shown) < 10
    assert len(shown) >= 3
    assert all(a.text != b.text for a, b in zip(shown, shown[1:], strict=False)), "each hint differs from the previous"
    for earlier in shown[:-1]:
        assert FINAL[number] not in earlier.text
    assert FINAL[number] in shown[-1].text
    assert help_.text == shown[-1].text and str(number) in str(help_.note)
    assert ("last" if language == "en" else "última") in str(help_.title)
    assert f"{len(shown)}" in str(shown[0].title) and "<b>" in shown[0]._repr_html_()


def test_hints_follow_the_language():
    set_language("pt")
    first = hint(4)
    assert str(first.title) == "Dica 1 de 4 do exercício 4"
    set_language("en")
    assert str(hint(4).title) == "Hint 2 of 4 for exercise 4"
    assert str(first.title) == "Hint 1 of 4 for exercise 4", "a hint is worded when it is shown"


# --- worked solutions: written once, in the solutions notebook's source ---------------------
# Every exercise of the course, by lesson, as the lessons register them.
LESSON_EXERCISES = {lesson.number: tuple(sorted(lesson.exercises)) for lesson in course.loaded("exercises")}
EVERY_EXERCISE = [(lesson, number) for lesson, numbers in LESSON_EXERCISES.items() for number in numbers]


def exercises_notebook(lesson: course.Lesson) -> str:
    """Where the learner answers: the lesson's notebook that is neither the lesson nor its solutions."""
    others = [name for name in lesson.notebooks if name not in (lesson.notebook, lesson.solutions)]
    assert len(others) == 1, others
    return others[0]


SET_LANGUAGE = re.compile(r"""set_language\((["'])[a-z]{2}\1\)""")  # as the edition build sets it


def test_every_exercise_of_the_course_has_exactly_one_worked_solution():
    assert LESSON_EXERCISES[1] == tuple(range(1, 10)) and LESSON_EXERCISES[2] == tuple(range(1, 8))
    assert not course.failures()
    for number in LESSON_EXERCISES:
        lesson = course.lesson(number)
        assert lesson.solutions in lesson.notebooks and exercises_notebook(lesson)
        marked = sources.solution_numbers(lesson.source_cells(lesson.solutions))
        assert marked == tuple(LESSON_EXERCISES[number]), "one worked solution per exercise, no other"


def setup_cell(lesson_number: int, language: str) -> str:
    """The first code cell of the lesson's exercises notebook, as its `language` edition runs it."""
    notebook = exercises_notebook(course.lesson(lesson_number))
    cells = sources.read(course.lesson(lesson_number).source_path(notebook))
    first = next(cell for cell in cells if cell.kind == "code")
    code = sources.localise_code(first.source, language, notebook, LANGUAGES)
    assert len(list(SET_LANGUAGE.finditer(code))) == 1, f"{notebook}: the setup cell sets the language once"
    return SET_LANGUAGE.sub(f'set_language("{language}")', code)


@pytest.fixture
def quiet_plots():
    """Plots the solutions draw go to a canvas nobody sees, and are closed afterwards."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    yield
    plt.close("all")


@pytest.mark.parametrize(
    "lesson_number, number, language",
    [(lesson, number, language) for lesson, number in EVERY_EXERCISE for language in LANGUAGES],
)
def test_the_solution_shown_passes_its_check_in_the_exercises_notebook(quiet_plots, lesson_number, number, language):
    """A learner who runs the code solution(n) shows after the exercises notebook's first cell is
    told it is correct: the code ends with its own check(...), whose Feedback is evaluated here."""
    set_language(language)
    code = solution(number, lesson=lesson_number).code_in()
    tree = ast.parse(code)
    last = tree.body.pop()
    assert isinstance(last, ast.Expr) and isinstance(last.value, ast.Call), "the solution ends with check(...)"
    assert isinstance(last.value.func, ast.Name) and last.value.func.id == "check"
    namespace: dict = {"__name__": "__main__"}
    where = f"<{exercises_notebook(course.lesson(lesson_number))}, cell 1>"
    exec(compile(setup_cell(lesson_number, language), where, "exec"), namespace)
    exec(compile(tree, f"<solution {number} of lesson {lesson_number}>", "exec"), namespace)
    feedback = eval(compile(ast.Expression(last.value), "<check>", "eval"), namespace)
    assert isinstance(feedback, Feedback) and (feedback.lesson, feedback.exercise) == (lesson_number, number)
    assert feedback.correct, str(feedback)


@pytest.mark.parametrize("lesson_number, number", EVERY_EXERCISE)
def test_the_solution_shown_is_the_marked_cells_code_in_the_current_language(lesson_number, number):
    lesson = course.lesson(lesson_number)
    marked = [cell for cell in lesson.source_cells(lesson.solutions) if cell.metadata.get("solution") == number]
    assert marked and all(cell.kind == "code" for cell in marked)
    tagged = [found for cell in marked for found in re.finditer(r"(?m)^\s*# \[([a-z]{2})\] (.+)$", cell.source)]
    shown = {}
    for language in LANGUAGES:
        set_language(language)
        help_ = solution(number, lesson=lesson_number)
        shown[language] = help_.code_in()
        assert help_.code[language] == help_.code_in(language) == shown[language]
        expected = [sources.localise_code(cell.source, language, lesson.solutions, LANGUAGES) for cell in marked]
        assert shown[language] == "\n\n".join(expected)
        for comment in tagged:  # the comments shown are this language's, and all of them
            assert (f"# {comment[2].strip()}" in shown[language]) == (comment[1] == language), comment[0]
        text, page = str(help_), help_._repr_html_()
        label = str(lesson.exercises[number].label)
        assert text.startswith(f"{str(help_.title)}\n\n") and label in str(help_.title)
        assert "\n".join("    " + line if line else "" for line in shown[language].splitlines()) in text
        assert f"<pre><code>{html.escape(shown[language])}</code></pre>" in page and "<script" not in page
    assert len({tuple(strip_comments(code)) for code in shown.values()}) == 1, "the code is written once"
    assert (len(set(shown.values())) == len(LANGUAGES)) == bool(tagged), "only the comments differ"


@pytest.mark.parametrize("lesson_number", LESSON_EXERCISES)
def test_the_exercises_notebook_offers_the_helpers_its_text_names(lesson_number):
    namespace: dict = {}
    exec(compile(setup_cell(lesson_number, "en"), exercises_notebook(course.lesson(lesson_number)), "exec"), namespace)
    missing = {"check", "hint", "solution"} - set(namespace)
    assert not missing, (
        f"{exercises_notebook(course.lesson(lesson_number))} tells the learner to call {sorted(missing)}"
    )


# Lines of a worked solution that the task itself tells the learner to run, word for word.
# Lines of a worked solution that the statement's starter already gives: lesson 4's starters write
# each operation's forward computation and leave only its backward rule (`lambda g: ...`) open.
OPERANDS = "a, b = self.data, other.data"
GIVEN_BY_THE_TASK = {(1, 2): {"z.backward(retain_graph=True)"}, (4, 1): {OPERANDS}, (4, 4): {OPERANDS}}


@pytest.mark.parametrize("lesson_number", LESSON_EXERCISES)
def test_the_exercises_notebook_leaves_every_answer_open(lesson_number):
    lesson = course.lesson(lesson_number)
    text = lesson.source_path(exercises_notebook(course.lesson(lesson_number))).read_text(encoding="utf-8")
    argument = "" if lesson_number == course.first() else f", lesson={lesson_number}"
    for number in LESSON_EXERCISES[lesson_number]:
        starter = f"answer = None\ncheck({number}, answer{argument})"
        assert starter in text
        given = GIVEN_BY_THE_TASK.get((lesson_number, number), set())
        for language in LANGUAGES:
            for line in lesson.solution_code(number)[language].splitlines():
                line = line.strip()
                if len(line) > 25 and not line.startswith(("print(", "answer", "def ", "x = ", "check(")):
                    assert line in given or line not in text, f"exercise {number}: the starter shows {line!r}"


@pytest.mark.parametrize("helper", [check, hint, solution])
@pytest.mark.parametrize("number", [0, 10, -1, "1", 1.0, True, None])
def test_unknown_exercise_lists_the_numbers_in_the_learners_language(helper, number):
    args = (number, None) if helper is check else (number,)
    with pytest.raises(LessonError, match="numbered 1–9"):
        helper(*args)
    set_language("pt")
    with pytest.raises(LessonError, match="numerados de 1–9"):
        helper(*args)


def test_lazy_export():
    assert autograd_lessons.check is check
    assert autograd_lessons.hint is hint and autograd_lessons.solution is solution
    assert {"check", "hint", "solution"} <= set(autograd_lessons.__all__)


@pytest.mark.parametrize("number", range(1, 10))
def test_wrong_form_gives_a_form_hint_not_an_exception(number):
    feedback = check(number, WRONG_FORM[number])
    assert feedback.status == "wrong"
    assert str(feedback.hint).startswith("the answer should be ") or ". The answer should be " in str(feedback.hint), (
        feedback.hint
    )


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


FEEDBACK_MAKERS = {
    "correct": lambda: check(2, answer2()),
    "correct with a remark": lambda: check(9, answer9(tall=(0.02, 0.01))),
    "wrong": lambda: check(2, answer2(zero=False)),
    "wrong form": lambda: check(2, [1, 2]),
    "unanswered": lambda: check(2, None),
    "not a function": lambda: check(6, "dfdx"),
    "lesson 2, wrong": lambda: check(6, lambda t, c: t.register_hook(lambda g: g.clamp(max=c)), lesson=2),
    "lesson 2, not a function": lambda: check(1, 3, lesson=2),
    "lesson 2, unanswered": lambda: check(1, ..., lesson=2),
}
BADGES = {"correct": "✔", "wrong": "✘", "unanswered": "○"}
EXERCISE_WORD = {"en": "Exercise", "pt": "Exercício"}


@pytest.mark.parametrize("made, shown", [("en", "pt"), ("pt", "en")])
@pytest.mark.parametrize(
    "make",
    [pytest.param(make, id=name) for name, make in FEEDBACK_MAKERS.items()],
)
def test_feedback_is_worded_in_the_language_current_when_it_is_shown(make, made, shown):
    set_language(made)
    earlier = make()
    then = (str(earlier), earlier._repr_html_(), earlier.message)
    set_language(shown)
    fresh = make()
    assert str(earlier).startswith(f"{BADGES[earlier.status]} {EXERCISE_WORD[shown]} ")
    assert str(earlier) == str(fresh) == repr(earlier) and earlier._repr_html_() == fresh._repr_html_()
    assert earlier.message == fresh.message and str(earlier.hint) == str(fresh.hint)
    assert all(
        now != before for now, before in zip((str(earlier), earlier._repr_html_(), earlier.message), then, strict=True)
    )
    set_language(made)
    assert (str(earlier), earlier._repr_html_(), earlier.message) == then


HELP_MAKERS = {
    "hint": lambda: hint(4),
    "last hint": lambda: [hint(2, lesson=2) for _ in range(5)][-1],
    "solution with comments": lambda: solution(1),
    "solution, lesson 2": lambda: solution(2, lesson=2),
}


@pytest.mark.parametrize("made, shown", [("en", "pt"), ("pt", "en")])
@pytest.mark.parametrize("make", HELP_MAKERS.values(), ids=HELP_MAKERS)
def test_hints_and_solutions_are_worded_in_the_language_current_when_shown(monkeypatch, make, made, shown):
    set_language(made)
    earlier = make()
    then = (str(earlier), earlier._repr_html_())
    monkeypatch.setattr(exercises, "_hints_shown", {})
    set_language(shown)
    fresh = make()
    assert (str(earlier), earlier._repr_html_()) == (str(fresh), fresh._repr_html_())
    assert earlier.text == fresh.text and earlier.code_in() == fresh.code_in()
    assert str(earlier) != then[0] and earlier._repr_html_() != then[1]


def test_html_has_the_badge():
    ok = check(6, with_dfdx(dfdx))._repr_html_()
    assert "#0072B2" in ok and "✔" in ok and "#ffffff" in ok and 'data-status="correct"' in ok
    wrong = check(6, with_dfdx(lambda x: dfdx(x) + 2 / x**2))._repr_html_()
    assert "#D55E00" in wrong and "✘" in wrong and "hint:" in wrong and "<script" not in wrong
    assert 'data-status="wrong"' in wrong


# --- 4. exercise 4: autograd, judged by what the function computes ------------------------------
def by_backward(x):
    x = x.detach().requires_grad_(True)
    torch.sin(x).sum().backward()
    return x.grad


def by_method(x):
    x = x.detach().requires_grad_(True)
    (g,) = torch.autograd.grad(x.sin().sum(), x)
    return g


def by_jvp(x):
    return torch.func.jvp(torch.sin, (x,), (torch.ones_like(x),))[1]


def by_jacobian(x):
    return torch.autograd.functional.jacobian(torch.sin, x).diagonal()


def by_jacrev(x):
    return torch.func.jacrev(torch.sin)(x).diagonal()


def by_in_place_sine(x):
    leaf = x.detach().requires_grad_(True)
    y = leaf * 1
    y.sin_()
    y.sum().backward()
    return leaf.grad


def by_dual_numbers(x):
    import torch.autograd.forward_ad as fwad

    with fwad.dual_level():
        return fwad.unpack_dual(torch.sin(fwad.make_dual(x, torch.ones_like(x)))).tangent


def by_float64(x):
    leaf = x.double().requires_grad_(True)
    torch.sin(leaf).sum().backward()
    return leaf.grad.float()


ACCEPTED = [
    by_backward,
    by_method,
    torch.func.vmap(torch.func.grad(torch.sin)),
    by_jvp,
    by_jacobian,
    by_jacrev,
    by_in_place_sine,
    by_dual_numbers,
    by_float64,
    dsin,
]

from torch import cos as prebound_cos  # noqa: E402 - bound before any check runs


def trivial_autograd_plus_cos(x):
    x = x.detach().requires_grad_(True)
    (x * 0).sum().backward()
    return x.grad + torch.cos(x)


def half_and_half(x):
    return 0.5 * by_backward(x) + 0.5 * torch.cos(x)


REJECTED = {
    "torch.cos": torch.cos,
    "lambda cos": lambda x: torch.cos(x),
    "method cos": lambda x: x.cos(),
    "in-place cos": lambda x: x.clone().cos_(),
    "numpy": lambda x: torch.from_numpy(np.cos(x.numpy())),
    "math": lambda x: torch.tensor([math.cos(v) for v in x.tolist()]),
    "prebound": lambda x: prebound_cos(x),
    "identity": lambda x: torch.sin(x + torch.pi / 2),
    "central differences": lambda x: ((torch.sin(x.double() + 1e-6) - torch.sin(x.double() - 1e-6)) / 2e-6).float(),
    "trivial autograd + cos": trivial_autograd_plus_cos,
}


@pytest.mark.parametrize("function", ACCEPTED, ids=lambda f: getattr(f, "__name__", "vmap_grad"))
def test_4_every_autograd_route_is_accepted(function):
    feedback = check(4, function)
    assert feedback.correct, str(feedback)


@pytest.mark.parametrize("name", REJECTED)
def test_4_a_cosine_from_elsewhere_is_rejected_with_the_reason(name):
    feedback = check(4, REJECTED[name])
    assert feedback.status == "wrong"
    assert feedback.message == "the values are right, but they did not come from autograd."
    assert "did not change" in str(feedback.hint) and "finite differences does not" in str(feedback.hint)


@pytest.mark.parametrize("number", [4, 6])
def test_a_numpy_result_is_refused_with_its_own_advice(number):
    """The statements ask for tensors: a NumPy array is named as such, in the learner's language."""
    answer = lambda x: np.cos(x.numpy())  # noqa: E731
    for language, words in (("en", "is a NumPy array"), ("pt", "é um array do NumPy")):
        set_language(language)
        feedback = check(number, answer if number == 4 else with_dfdx(answer))
        assert feedback.status == "wrong" and words in str(feedback.hint), str(feedback)


def test_4_partly_from_autograd():
    feedback = check(4, half_and_half)
    assert feedback.status == "wrong" and "only part of the result comes from autograd" in str(feedback.hint)


def test_4_other_wrong_answers():
    sine = check(4, torch.sin)
    assert not sine.correct and "returns sin(x) instead of its derivative" in str(sine.hint)
    coarse = check(4, lambda x: (torch.sin(x + 1e-3) - torch.sin(x - 1e-3)) / 2e-3)
    assert not coarse.correct and "approximation, such as finite differences" in str(coarse.hint)
    broken = check(4, lambda x: x.undefined())
    assert broken.message == "your function raised an error." and "AttributeError" in str(broken.hint)
    assert "does not match" not in str(broken)


def test_4_the_mode_is_always_removed_and_nothing_is_touched():
    before_sin, before_cos, before_depth = torch.sin, torch.Tensor.cos, torch._C._len_torch_function_stack()
    x_global = torch.linspace(0, 1, 5)
    kept = x_global.clone()

    def raises_under_the_mode(x):
        y = torch.sin(x)
        if torch._C._len_torch_function_stack() > before_depth:
            raise SystemExit("inside the mode")
        return by_backward(x) + 0 * y

    def uses_a_global(x):
        x_global.add_(0)  # reads and rewrites nothing
        return by_backward(x)

    for function in (raises_under_the_mode, uses_a_global, torch.cos, by_backward):
        check(4, function)
        assert torch._C._len_torch_function_stack() == before_depth
    assert torch.sin is before_sin and torch.Tensor.cos is before_cos
    assert torch.equal(x_global, kept) and torch.equal(X1, torch.linspace(-3, 3, 1000))
    assert float(torch.sin(torch.tensor(0.0))) == 0.0
    probe = check(4, raises_under_the_mode)
    assert "SystemExit: inside the mode" in str(probe.hint) and "deliberately changed" in str(probe.hint)


# --- 5. no exception escapes, no loop hangs, no allocation kills -----------------------------
def raise_system_exit(*args):
    raise SystemExit(1)


def raise_base(*args):
    raise BaseException("plain BaseException")


def raise_interrupt(*args):
    raise KeyboardInterrupt


def generator(*args):
    yield 1


def nan_result(x):
    return torch.full_like(x, math.nan)


def inf_result(x):
    return torch.full_like(x, math.inf)


def integer_result(x):
    return torch.zeros(x.shape, dtype=torch.int64)


def meta_result(x):
    return torch.empty(x.shape, device="meta")


def empty_result(x):
    return torch.empty(0)


class Weird:
    def __eq__(self, other):
        raise RuntimeError("no comparisons")

    def __len__(self):
        raise RuntimeError("no length")

    def __iter__(self):
        raise RuntimeError("no iteration")

    def __bool__(self):
        raise RuntimeError("no truth")

    def __float__(self):
        raise RuntimeError("no float")


class AngryDict(dict):
    def __contains__(self, key):
        raise SystemExit("angry")


EVIL_FUNCTIONS = [
    raise_system_exit,
    raise_base,
    raise_interrupt,
    generator,
    nan_result,
    inf_result,
    integer_result,
    meta_result,
    empty_result,
    lambda *a: Weird(),
    lambda *a: None,
]


def as_answer(number, function):
    """Plug `function` in wherever exercise `number` takes code, else use its output as data."""
    if number == 4:
        return function
    if number == 6:
        return with_dfdx(function)
    if number == 5:
        return (function, ["MulBackward0"])
    value = function(X1) if function not in (raise_system_exit, raise_base, raise_interrupt) else Weird()
    return {
        1: {"first_seconds": value, "second_seconds": value, "second_derivative": value, "why": value},
        2: {"error": value, "grad": value, "why": value},
        3: (value, value),
        7: {"forward": {"u": value}, "backward": value},
        8: {"jvp": value, "vjp": value, "jacobian": value, "why": value},
        9: {"tall": (value, value), "wide": (value, value), "conclusion": {"tall": value, "wide": value}, "why": value},
    }[number]


@pytest.mark.parametrize("function", EVIL_FUNCTIONS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("number", range(1, 10))
def test_nothing_a_learner_does_escapes_check(number, function):
    feedback = check(number, as_answer(number, function))
    assert feedback.status == "wrong", str(feedback)
    assert feedback.hint is not None and str(feedback.hint)


@pytest.mark.parametrize("number", range(1, 10))
def test_weird_containers_give_feedback(number):
    for answer in (Weird(), AngryDict(a=1), [Weird(), Weird()], {"tall": Weird()}):
        assert check(number, answer).status == "wrong"


def test_raised_is_its_own_message():
    def calls_exit(x):
        exit()

    for answer in (raise_system_exit, with_dfdx(raise_system_exit), calls_exit):
        feedback = check(6 if isinstance(answer, dict) else 4, answer)
        assert feedback.message == "your function raised an error."
        assert "called exit()" in str(feedback.hint) and "SystemExit" not in str(feedback.hint)
    feedback = check(4, lambda x: (_ for _ in ()).throw(ValueError("behavior.")))
    assert str(feedback.hint).startswith("ValueError: behavior. Fix"), "one period, not two"
    set_language("pt")
    assert check(6, with_dfdx(raise_base)).message == "a sua função levantou um erro."


def endless(*args):
    while True:
        pass


def stubborn(*args):
    while True:
        try:  # noqa: SIM105 - written as a learner would: a bare except that swallows every stop
            time.sleep(0.005)
        except:  # noqa: E722
            pass


def hungry(*args):
    data = []
    while True:
        data.append([0] * 1000)


def recursive(x):
    return recursive(x)


@pytest.fixture
def small_budget(monkeypatch):
    monkeypatch.setattr(guard, "TIME_LIMIT_SECONDS", 0.3)
    monkeypatch.setattr(guard, "MEMORY_HEADROOM_BYTES", 256 << 20)


@pytest.mark.parametrize(
    "function",
    [
        endless,
        pytest.param(
            stubborn,
            marks=pytest.mark.skipif(
                sys.gettrace() is not None,
                reason="a loop that swallows every stop needs the guard's own trace function",
            ),
        ),
    ],
)
def test_a_runaway_function_is_stopped_in_both_languages(function, small_budget):
    for language, headline, hint_text in (
        ("en", "stopped after 0.3 s", "The kernel is fine"),
        ("pt", "interrompida depois de 0,3 s", "O kernel continua funcionando"),
    ):
        set_language(language)
        start = time.perf_counter()
        feedback = check(6, with_dfdx(function))
        assert time.perf_counter() - start < 2.0
        assert feedback.status == "wrong" and feedback.message.startswith(headline) and hint_text in str(feedback.hint)
    assert sys.gettrace() is None and check(6, with_dfdx(dfdx)).correct


@pytest.mark.skipif(not guard.MEMORY_LIMIT_SUPPORTED, reason="RLIMIT_AS is Linux only")
@pytest.mark.parametrize("function", [hungry, lambda x: torch.empty(10**13)], ids=["list", "huge tensor"])
def test_runaway_memory_is_stopped_in_both_languages(function, small_budget, monkeypatch):
    monkeypatch.setattr(guard, "TIME_LIMIT_SECONDS", 10)
    feedback = check(4, function)
    assert (
        feedback.message == "stopped: your code asked for more memory than the check allows "
        "(256 MiB beyond what the kernel already uses)."
    )
    set_language("pt")
    assert "pediu mais memória" in check(4, function).message
    assert check(4, dsin).correct


def test_recursion_without_end_gets_its_own_hint():
    feedback = check(6, with_dfdx(recursive))
    assert feedback.message == "your function raised an error."
    assert str(feedback.hint).startswith("the function calls itself without end (RecursionError")


# --- 6. hints name the real cause -----------------------------------------------------------
def test_6_float32_precision_is_named_with_enough_digits():
    feedback = check(6, with_dfdx(lambda x: dfdx(x.float()).double()))
    assert feedback.message == "the answer matches only to float32 precision."
    assert "about 7 significant digits (float32 precision) but not in float64" in str(feedback.hint)
    actual, expected = re.search(r"yours gives (\S+) and the reference gives (\S+)\.", str(feedback.hint)).groups()
    assert actual != expected and len(actual.lstrip("-").replace(".", "")) > 8
    assert "chain rule" not in str(feedback.hint)
    returns32 = check(6, with_dfdx(lambda x: dfdx(x.float())))
    assert "returns float32" in str(returns32.hint)


def test_6_tolerance_edges():
    xs = torch.linspace(0.2, 5.0, 50, dtype=torch.float64)
    leaf = xs.clone().requires_grad_()
    (exact,) = torch.autograd.grad(f5(leaf).sum(), leaf)
    scale = float(exact.abs().max())
    ulp = 2.0 ** (math.frexp(scale)[1] - 1) * torch.finfo(torch.float64).eps
    inside = exact.clone()
    inside[3] += 3 * ulp
    outside = exact.clone()
    outside[3] += 100 * ulp
    assert check(6, with_dfdx(lambda x: inside.clone())).correct
    off = check(6, with_dfdx(lambda x: outside.clone()))
    assert not off.correct and "float32" not in str(off.hint), "float64 values that are no float32 numbers"
    through32 = check(6, with_dfdx(lambda x: exact.float().double()))
    assert not through32.correct and "float32 precision" in str(through32.hint)
    minus_zero = check(6, with_dfdx(lambda x: dfdx(x) * 1.0 + (-0.0)))
    assert minus_zero.correct
    nan = check(6, with_dfdx(nan_result))
    assert not nan.correct and "nan" in str(nan.hint)
    assert "floating-point tensor" in str(check(6, with_dfdx(integer_result)).hint)
    assert "shape (0,)" in str(check(6, with_dfdx(empty_result)).hint)


def test_6_sign_error_names_the_point():
    feedback = check(6, with_dfdx(lambda x: 2 / x * torch.sin(x) + torch.log(x**2) * torch.cos(x) + 1 / x**2))
    assert not feedback.correct
    assert "at x = 0.2 " in str(feedback.hint) and "Check the sign of the last term: d/dx x⁻¹ = −x⁻²" in str(
        feedback.hint
    )
    other = check(6, with_dfdx(lambda x: 1 / x * torch.sin(x) + torch.log(x**2) * torch.cos(x) - 1 / x**2))
    assert not other.correct and "at x = " in str(other.hint) and "chain rule" in str(other.hint)


@pytest.mark.parametrize(
    "make", [torch.tensor, np.float64, np.float32, lambda t: np.array(t)], ids=["tensor", "np64", "np32", "0-d array"]
)
def test_times_may_be_tensors_or_numpy_scalars(make):
    right = answer1()
    assert check(1, {**right, "first_seconds": make(1e-4), "second_seconds": make(2e-4)}).correct
    assert check(9, answer9(tall=(make(0.001), make(0.01)), wide=(make(0.01), make(0.001)))).correct


def test_times_that_are_not_plain_numbers_say_so():
    right = answer1()
    feedback = check(1, {**right, "first_seconds": torch.tensor([1e-4, 2e-4])})
    assert "plain number of seconds" in str(feedback.hint)
    assert "plain number of seconds" in str(check(1, {**right, "first_seconds": True}).hint)
    assert not check(1, {**right, "first_seconds": math.nan}).correct
    assert not check(1, {**right, "first_seconds": math.inf}).correct


# --- 7. exercise 9 is graded on the concept ----------------------------------------------------
def test_8_judges_the_concept_not_the_measurement():
    right, again = check(9, answer9()), check(9, answer9(tall=(2.0, 3.0), wide=(5.0, 0.5)))
    assert right.correct and again.correct and right.message == again.message
    assert not any(ch.isdigit() for ch in right.message)
    swapped = check(9, answer9(conclusion=("reverse", "forward")))
    assert not swapped.correct and 'so the faster one is "forward"' in str(swapped.hint)
    odd_follows = check(9, answer9(tall=(0.02, 0.01), conclusion=("reverse", "reverse")))
    assert not odd_follows.correct and "larger sizes or more repetitions" in str(odd_follows.hint)
    assert "follows your measurement" in str(odd_follows.hint)
    odd_right = check(9, answer9(tall=(0.02, 0.01)))
    assert odd_right.correct and "measure with larger sizes or more repetitions" in str(odd_right.hint)
    both_reverse_no_evidence = check(9, answer9(conclusion=("reverse", "reverse")))
    assert not both_reverse_no_evidence.correct
    assert not check(9, answer9(conclusion=("forward", "fast"))).correct
    assert check(9, answer9(conclusion=(" Forward", "jacrev"))).correct
    tie = check(9, answer9(tall=(0.01, 0.01)))
    assert tie.correct


# --- 8. exercise 8: a Jacobian that is not diagonal ------------------------------------------
def test_7_the_jacobian_is_not_diagonal_and_every_mix_up_differs():
    jac = torch.func.jacrev(f8)(X8.double())
    assert not torch.allclose(jac, torch.diag(torch.diagonal(jac))) and not torch.allclose(jac, jac.T)
    candidates = [jac @ V8.double(), V8.double() @ jac, jac @ U8.double(), U8.double() @ jac, f8(X8.double())]
    for i, a in enumerate(candidates):
        for b in candidates[i + 1 :]:
            assert not torch.allclose(a, b)


def test_7_names_the_classic_confusions():
    right = answer8()
    jvp_pair = torch.func.jvp(f8, (X8,), (V8,))
    primal, pullback = torch.func.vjp(f8, X8)
    cases = {
        "are swapped": {**right, "jvp": right["vjp"], "vjp": right["jvp"]},
        "keep only the second item, [1]": {**right, "jvp": jvp_pair},
        '"jvp" is f8(X8)': {**right, "jvp": jvp_pair[0]},
        '"jvp" is V8ᵀ·J': {**right, "jvp": torch.func.vjp(f8, X8)[1](V8)[0]},
        "wrong direction: it is J·U8": {**right, "jvp": torch.func.jvp(f8, (X8,), (U8,))[1]},
        '"vjp" is a function': {**right, "vjp": pullback},
        "take [0]": {**right, "vjp": pullback(U8)},
        '"vjp" is f8(X8)': {**right, "vjp": primal},
        '"vjp" is J·U8': {**right, "vjp": torch.func.jvp(f8, (X8,), (U8,))[1]},
        "wrong vector: it is V8ᵀ·J": {**right, "vjp": pullback(V8)[0]},
        "the transposed Jacobian": {**right, "jacobian": right["jacobian"].T},
        '"jacobian" does not match': {**right, "jacobian": right["jacobian"] + 1},
    }
    for expected, answer in cases.items():
        feedback = check(8, answer)
        assert not feedback.correct and expected in str(feedback.hint), (expected, feedback.hint)
    old_keys = check(8, {"forward": X8, "backward": X8})
    assert '"jvp", "vjp", "jacobian"' in str(old_keys.hint)


# --- 9. exercise 2's hint avoids the except-as trap ------------------------------------------
def test_2_hint_keeps_the_error_in_another_name():
    no_error = check(2, {**answer2(), "error": None})
    assert not no_error.correct and "except RuntimeError as e: error = e" in str(no_error.hint)
    assert "deletes the name e" in str(no_error.hint)
    assert "error = caught" in solution(2).code_in()


def test_2_typical_mistakes():
    once = check(2, answer2(twice=False))
    assert not once.correct and "did you zero it in between or call backward only once" in str(once.hint)
    stale = check(2, answer2(zero=False))
    assert not stale.correct and "still held the 2x from the first part" in str(stale.hint)
    other = check(2, {**answer2(), "error": ValueError("second time")})
    assert not other.correct and "RuntimeError" in str(other.hint)
    unrelated = check(2, {**answer2(), "error": RuntimeError("something else")})
    assert not unrelated.correct and "second time" in str(unrelated.hint)


# --- the other exercises' typical mistakes --------------------------------------------------
def test_1_first_derivative_and_implausible_times():
    right = answer1()
    assert all(t > 0 for t in right["_real"])
    first = check(1, {**right, "second_derivative": right["_first"]})
    assert not first.correct and "that is the first derivative" in str(first.hint)
    fast = check(1, {**right, "first_seconds": 1.0, "second_seconds": 0.01})
    assert not fast.correct and "more repetitions" in str(fast.hint)
    assert "0.01" not in str(fast) and "1.0" not in str(fast)
    assert not check(1, {**right, "first_seconds": 0.0}).correct
    assert not check(1, {**right, "second_derivative": torch.sin(X1)}).correct


@pytest.mark.parametrize(
    "a",
    [
        torch.tensor([0.5, -1.0]),
        torch.tensor([[-3.0, 1.0], [0.5, 0.5]]),
        torch.tensor([700.0, 1.0]),
        torch.tensor([-0.0, 0.25]),
    ],
)
def test_3_vectors_and_matrices(a):
    assert check(3, answer3(a)).correct


def test_3_typical_mistakes_and_edges():
    scalar = check(3, answer3(torch.tensor(0.5)))
    assert not scalar.correct and "use a vector or matrix" in str(scalar.hint)
    empty = check(3, (torch.empty(0), torch.empty(0)))
    assert "a has 0 element(s)" in str(empty.hint)
    a, grad = answer3(torch.tensor([0.5, -1.0, 2.0]))
    shape = check(3, (a, grad[:2]))
    assert not shape.correct and "shape" in str(shape.hint)
    off = check(3, (a, grad / 100))
    assert not off.correct and "should be 512" in str(off.hint)
    mean = check(3, (a, grad / 3))
    assert "you reduced d with the mean" in str(mean.hint)
    assert "a.grad is None" in str(check(3, (a, None)).hint)
    assert "finite and nonzero" in str(check(3, (torch.tensor([0.0, -0.0]), torch.zeros(2))).hint)
    assert "finite and nonzero" in str(check(3, (torch.tensor([math.nan, 1.0]), torch.zeros(2))).hint)
    assert "finite and nonzero" in str(check(3, (torch.tensor([math.inf, 1.0]), torch.zeros(2))).hint)
    assert "floating-point tensor" in str(check(3, (torch.tensor([1, 2]), torch.tensor([1, 2]))).hint)
    a_before, grad_before = a.detach().clone(), grad.clone()
    check(3, (a, grad))
    assert torch.equal(a.detach(), a_before) and torch.equal(a.grad, grad_before), "the learner's tensors are untouched"


def test_5_missing_and_extra_operations():
    ops = ops_of(my_f)
    missing = check(5, (my_f, [op for op in ops if op != "SinBackward0"]))
    assert not missing.correct and "Missing: SinBackward0. Extra: —." in str(missing.hint)
    extra = check(5, (my_f, ops + ["ExpBackward0"]))
    assert not extra.correct and "Missing: —. Extra: ExpBackward0." in str(extra.hint)

    def other_way(x):  # a different graph for the same function: its own ops are the answer
        return 2 * torch.log(x.abs()) * torch.sin(x) + x.reciprocal()

    assert check(5, (other_way, ops_of(other_way))).correct
    assert not check(5, (other_way, ops)).correct
    values = check(5, (lambda x: torch.log(x) * torch.sin(x) + 1 / x, ops))
    assert not values.correct and "same values" in str(values.hint)


# --- 10. a teacher hides the worked solutions (AUTOGRAD_LESSONS_SOLUTIONS=hidden) ---------------
SWITCHED = [(1, 6, "6"), (2, 2, "2, lesson=2")]  # (lesson, exercise, how hint(…) names it)


def solution_lines(lesson: int, number: int) -> list[str]:
    """The lines of a worked solution a hidden solution must not show, in every language."""
    code = course.lesson(lesson).solution_code(number)
    return [line.strip() for language in LANGUAGES for line in code[language].splitlines() if len(line.strip()) > 12]


# Every test starts with the switch unset: conftest.py's solutions_shown fixture.


def test_the_switch_is_named_once():
    assert (exercises.SOLUTIONS_VARIABLE, exercises.SOLUTIONS_HIDDEN) == ("AUTOGRAD_LESSONS_SOLUTIONS", "hidden")


@pytest.mark.parametrize("lesson, number, call", SWITCHED)
def test_hidden_solutions_show_no_code_in_either_language(monkeypatch, lesson, number, call):
    monkeypatch.setenv("AUTOGRAD_LESSONS_SOLUTIONS", "hidden")
    code_lines = solution_lines(lesson, number)
    assert code_lines
    for language, words in (("en", "turned the worked solutions off"), ("pt", "desligou as soluções comentadas")):
        set_language(language)
        help_ = solution(number, lesson=lesson)
        assert isinstance(help_, Help) and help_.code is None and help_.kind == "solution-hidden"
        text, page = str(help_), help_._repr_html_()
        assert words in help_.text and f"hint({call})" in help_.text, text
        assert "solution(" not in text and "<pre>" not in page and "<script" not in page
        for line in code_lines:
            assert line not in text and html.escape(line) not in page, f"{line!r} shown [{language}]"
    assert "Exercício" in str(help_.title) and "sem solução comentada" in str(help_.title)


@pytest.mark.parametrize("lesson, number, call", SWITCHED)
@pytest.mark.parametrize("language", ["en", "pt"])
def test_hidden_last_hint_does_not_point_to_solution(monkeypatch, lesson, number, call, language):
    set_language(language)
    total = sum(1 for key in MESSAGES if key.startswith(f"exercises.l{lesson}.{number}.hint."))
    for _ in range(total):
        hint(number, lesson=lesson)
    shown = hint(number, lesson=lesson)  # the last one again: the note says there are no more
    assert f"solution({call})" in str(shown.note)
    monkeypatch.setenv("AUTOGRAD_LESSONS_SOLUTIONS", "hidden")
    hidden = hint(number, lesson=lesson)
    assert hidden.text == shown.text and hidden.note is not None and str(hidden.note) != str(shown.note)
    assert "solution(" not in str(hidden.note) and "solution(" not in str(hidden)
    assert "solution(" not in hidden._repr_html_()
    assert ("turned off" if language == "en" else "desligadas") in str(hidden.note)


@pytest.mark.parametrize("value", [None, "", "shown", "no", "hide", "hidden!", "not hidden", "hid den"])
def test_solutions_are_shown_unless_the_switch_says_hidden(monkeypatch, value):
    if value is not None:
        monkeypatch.setenv("AUTOGRAD_LESSONS_SOLUTIONS", value)
    assert not exercises.solutions_hidden()
    for lesson, number, _ in SWITCHED:
        help_ = solution(number, lesson=lesson)
        assert dict(help_.code) == dict(course.lesson(lesson).solution_code(number)) and help_.kind == "solution"
        label = course.lesson(lesson, "exercises").exercises[number].label
        assert str(help_).startswith(f"Solution to exercise {label}\n\n")


@pytest.mark.parametrize("value", ["hidden", "HIDDEN", "Hidden", " hidden", "hidden\n", "\t HiDdEn  "])
def test_the_switch_ignores_case_and_surrounding_spaces(monkeypatch, value):
    monkeypatch.setenv("AUTOGRAD_LESSONS_SOLUTIONS", value)
    assert exercises.solutions_hidden()
    assert solution(6).code is None and solution(2, lesson=2).code is None


def test_the_switch_is_read_at_each_call(monkeypatch):
    assert solution(6).code is not None
    monkeypatch.setenv("AUTOGRAD_LESSONS_SOLUTIONS", "hidden")
    assert solution(6).code is None
    monkeypatch.setenv("AUTOGRAD_LESSONS_SOLUTIONS", "shown")
    assert dict(solution(6).code) == dict(course.lesson(1).solution_code(6))


def test_no_notebook_calls_solution_so_hiding_changes_no_stored_output():
    calls = re.compile(r"(?<![\w.])solution\(")
    for path in sorted(NOTEBOOKS.glob("*/*.ipynb")):
        for cell in code_cells(read_notebook(path)):
            code = "\n".join(strip_comments(source(cell)))
            assert not calls.search(code), f"{path.relative_to(NOTEBOOKS)} calls solution(): {code[:80]!r}"
    for lesson in course.lessons():  # nor the sources the notebooks are built from
        for notebook in lesson.notebooks:
            for cell in lesson.source_cells(notebook):
                code = "\n".join(strip_comments(cell.source)) if cell.kind == "code" else ""
                assert not calls.search(code), f"{notebook} calls solution(): {code[:80]!r}"
