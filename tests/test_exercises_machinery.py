"""The exercise machinery's own words, whatever the exercise: these tests pin what `check`, `hint`
and `solution` say when the exercise, the answer or the run goes wrong.

They pin the LessonError for an unknown lesson (the lessons that have exercises, "—" when none
loads, a long value cut at 40 characters, True refused, the lessons that failed to load named) and
for an unknown exercise number (the exercise range of that lesson), in both languages; a lesson
whose exercises load only when first asked for; the unanswered state naming the exercise's form;
an answer of the wrong form (the checker's sentence, or the sentence a refused comparison gave,
then the exercise's form); a checker that fails while reading the answer; every stop the guard
reports (time, with and without its limit; memory, with and without a limit, and how the limit is
written at and around 1 GiB); the number of hints, of a lesson registered from elsewhere too; the
exercise and lesson every Help carries; and a solution for an exercise without worked code.
"""

from __future__ import annotations

import dataclasses
import sys
import textwrap
import uuid
from pathlib import Path

import pytest
import torch

from autograd_lessons import course, guard, i18n, set_language
from autograd_lessons import exercises as machinery
from autograd_lessons.exercises import FormError, check, hint, solution
from autograd_lessons.i18n import LANGUAGES, MESSAGES, LessonError, Text, text
from autograd_lessons.verdicts import compare

course.lessons()

UNKNOWN_LESSON = {
    "en": "Lesson {lesson} has no exercises; pass lesson= one of: {valid}.",
    "pt": "A lição {lesson} não tem exercícios; escreva lesson= com uma destas: {valid}.",
}
UNKNOWN_EXERCISE = {
    "en": "There is no exercise {number} in lesson {lesson}; its exercises are numbered {valid}.",
    "pt": "Não existe o exercício {number} na lição {lesson}; os exercícios dela são numerados de {valid}.",
}
BROKEN = {"en": " These could not be loaded: {broken}.", "pt": " Não puderam ser carregadas: {broken}."}
FAKE_PREFIX = "fake_exercises_lesson_"


@pytest.fixture(autouse=True)
def fresh_hints(monkeypatch):
    monkeypatch.setattr(machinery, "_hints_shown", {})


@pytest.fixture(params=LANGUAGES)
def language(request):
    set_language(request.param)
    yield request.param
    set_language("en")


def item_of(number: int, lesson: int = 1):
    return course.lesson(lesson, "exercises").exercises[number]


def with_checker(monkeypatch, checker, number: int = 1, lesson: int = 1):
    """Exercise `number` of `lesson`, its checker replaced by `checker` for this test (its texts kept)."""
    registered = course.lesson(lesson, "exercises").exercises
    monkeypatch.setitem(registered, number, dataclasses.replace(registered[number], check=checker))
    return registered[number]


def runs_the_answer(answer):
    """A checker that reads the answer by calling it: the answer decides what the checker meets."""
    return answer()


def raising(error: BaseException):
    def answer():
        raise error

    return answer


def form_words(item) -> str:
    return text(item.key("form")).render()


def lessons_with_exercises() -> str:
    return ", ".join(str(number) for number in course.numbers() if course.lesson(number, "exercises").exercises)


def exercise_range(lesson: int) -> str:
    numbers = sorted(course.lesson(lesson, "exercises").exercises)
    return f"{numbers[0]}–{numbers[-1]}"


# --- an unknown lesson --------------------------------------------------------------------------


@pytest.mark.parametrize("helper", ["check", "hint", "solution"])
@pytest.mark.parametrize(
    "lesson, shown",
    [
        (99, "99"),
        (-1, "-1"),
        (True, "True"),
        (False, "False"),
        ("1", "'1'"),
        ("a" * 60, "'" + "a" * 39),
        (2.5, "2.5"),
    ],
)
def test_an_unknown_lesson_is_named_with_the_lessons_that_have_exercises(helper, lesson, shown, language):
    """A lesson that does not exist (a bool included, though True == 1) is named as typed, cut at
    40 characters, with the lessons that do have exercises: the message is the whole error."""
    assert course.numbers() and not course.failures()
    expected = UNKNOWN_LESSON[language].format(lesson=shown, valid=lessons_with_exercises())
    with pytest.raises(LessonError) as caught:
        call_helper(helper, 1, lesson)
    assert str(caught.value) == expected


def call_helper(helper: str, number: object, lesson: object):
    if helper == "check":
        return check(number, None, lesson=lesson)
    return {"hint": hint, "solution": solution}[helper](number, lesson=lesson)


def test_an_unknown_lesson_when_no_lesson_loads_its_exercises_lists_none(monkeypatch, language):
    """When no lesson's exercises could be loaded, the list of valid lessons reads "—"."""
    monkeypatch.setattr(course, "loaded", lambda part: ())
    with pytest.raises(LessonError) as caught:
        check(1, None, lesson=99)
    assert str(caught.value) == UNKNOWN_LESSON[language].format(lesson="99", valid="—")


# --- an unknown exercise ------------------------------------------------------------------------


@pytest.mark.parametrize("helper", ["check", "hint", "solution"])
@pytest.mark.parametrize(
    "number, lesson, shown",
    [
        (10, None, "10"),
        (0, 2, "0"),
        (True, 1, "True"),
        (2.0, 3, "2.0"),
        ("x" * 60, 2, "'" + "x" * 39),
        (None, 4, "None"),
    ],
)
def test_an_unknown_exercise_names_the_lesson_and_its_range(helper, number, lesson, shown, language):
    """A number the lesson has no exercise for (a bool and a float included) is named as typed, cut
    at 40 characters, with the lesson (the first by default) and the range of its exercises."""
    in_lesson = lesson or course.first()
    expected = UNKNOWN_EXERCISE[language].format(number=shown, lesson=in_lesson, valid=exercise_range(in_lesson))
    with pytest.raises(LessonError) as caught:
        call_helper(helper, number, lesson)
    assert str(caught.value) == expected


# --- lessons that register from elsewhere -------------------------------------------------------


def write(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(content), encoding="utf-8")


def install_lesson(root: Path, number: int, *, init: str | None = None, exercises: str | None = None, po=None) -> str:
    """A lesson package in `root`, registered through a distribution's entry point; its name."""
    package = FAKE_PREFIX + uuid.uuid4().hex[:10]
    declaration = f"""
        from autograd_lessons.course import Lesson

        LESSON = Lesson(number={number}, package=__name__, notebooks=("{package}",), cells="section")
        """
    write(root / package / "__init__.py", init or declaration)
    write(
        root / package / "source" / f"{package}.py",
        '# %% [markdown] lang="pt"\n# Olá\n\n# %% [markdown] lang="en"\n# Hi\n',
    )
    (root / package / "locale").mkdir(exist_ok=True)
    if exercises is not None:
        write(root / package / "exercises.py", exercises.format(package=package))
    for code, entries in (po or {}).items():
        lines = [f'msgid "{key}"\nmsgstr "{value}"\n' for key, value in entries.items()]
        write(root / package / "locale" / f"{code}.po", "\n".join(lines))
    dist = root / f"{package}-0.dist-info"
    write(dist / "METADATA", f"Metadata-Version: 2.1\nName: {package}\nVersion: 0\n")
    write(dist / "entry_points.txt", f"[{course.ENTRY_POINTS}]\n{package} = {package}:LESSON\n")
    return package


TWO_EXERCISES = """
    from {package} import LESSON


    @LESSON.exercise(1)
    def _first(answer):
        return None


    @LESSON.exercise(3)
    def _third(answer):
        return None
    """


def texts_of(number: int) -> dict[str, dict[str, str]]:
    """The texts of exercise 1 of lesson `number`, in each language."""
    base = f"exercises.l{number}.1."
    return {
        "en": {base + "form": "a number", base + "ok": "right", base + "solution": "Count."}
        | {f"{base}hint.{step}": f"hint {step}" for step in (1, 2, 3)},
        "pt": {base + "form": "um número", base + "ok": "certo", base + "solution": "Conte."}
        | {f"{base}hint.{step}": f"dica {step}" for step in (1, 2, 3)},
    }


@pytest.fixture
def fresh_course(monkeypatch, tmp_path):
    """Extra lessons in tmp_path, found by a course that discovers its lessons again; their texts
    and modules are forgotten afterwards."""
    keys, owners, folders = set(MESSAGES), dict(i18n._owners), set(i18n._folders)
    monkeypatch.syspath_prepend(str(tmp_path))
    course.reset()
    yield tmp_path
    course.reset()
    for key in set(MESSAGES) - keys:
        del MESSAGES[key]
    i18n._owners.clear()
    i18n._owners.update(owners)
    i18n._folders.intersection_update(folders)
    for name in [name for name in sys.modules if name.startswith(FAKE_PREFIX)]:
        del sys.modules[name]


def test_a_lessons_exercises_load_when_first_asked_for(fresh_course):
    """The first question to a lesson whose exercises were never loaded finds them: its exercise
    is there at once, and an exercise number it lacks gets its own range."""
    install_lesson(fresh_course, 90, exercises=TWO_EXERCISES)
    assert check(1, None, lesson=90).status == "unanswered"
    with pytest.raises(LessonError) as caught:
        check(2, None, lesson=90)
    assert str(caught.value) == UNKNOWN_EXERCISE["en"].format(number="2", lesson=90, valid="1–3")


def test_an_unknown_lesson_lists_only_lessons_with_exercises(fresh_course, language):
    """A lesson without exercises is refused like an unknown one; the list names every lesson that
    has exercises, one registered from elsewhere included, and not the lesson without."""
    install_lesson(fresh_course, 90, exercises=TWO_EXERCISES)
    install_lesson(fresh_course, 91)
    assert {90, 91} <= set(course.numbers())
    valid = ", ".join(str(number) for number in course.numbers() if number != 91)
    for lesson in (91, 92):
        with pytest.raises(LessonError) as caught:
            solution(1, lesson=lesson)
        assert str(caught.value) == UNKNOWN_LESSON[language].format(lesson=lesson, valid=valid)


def test_an_unknown_lesson_names_the_lessons_that_failed_to_load(fresh_course, language):
    """When a lesson could not be loaded, the error says which and why after the list."""
    package = install_lesson(fresh_course, 93, init="raise RuntimeError('the declaration is broken')\n")
    with pytest.raises(LessonError) as caught:
        check(1, None, lesson=93)
    broken = BROKEN[language].format(broken=f"{package} (RuntimeError: the declaration is broken)")
    expected = UNKNOWN_LESSON[language].format(lesson="93", valid=lessons_with_exercises()) + broken
    assert str(caught.value) == expected


def test_a_solution_without_worked_code_shows_its_explanation_only(fresh_course, language):
    """A lesson without a solutions notebook: solution() gives the explanation and no code, and
    it is shown without error, naming the exercise and its lesson."""
    install_lesson(fresh_course, 94, exercises=TWO_EXERCISES, po=texts_of(94))
    shown = solution(1, lesson=94)
    assert shown.code is None and shown.code_in() is None and shown.kind == "solution"
    assert (shown.exercise, shown.lesson) == (1, 94)
    title = {"en": "Solution to exercise 1 (lesson 94)", "pt": "Solução do exercício 1 (lição 94)"}[language]
    assert str(shown) == f"{title}\n\n{texts_of(94)[language]['exercises.l94.1.solution']}"
    assert "<pre>" not in shown._repr_html_()


def test_a_lesson_from_elsewhere_counts_its_own_hints(fresh_course, language):
    """An exercise with three hints (the shipped ones have four) gives hint 1, 2, then 3 of 3,
    the last, again and again."""
    install_lesson(fresh_course, 95, exercises=TWO_EXERCISES, po=texts_of(95))
    word, label = {"en": ("hint", "1 (lesson 95)"), "pt": ("dica", "1 (lição 95)")}[language]
    for step in (1, 2, 3, 3):
        shown = hint(1, lesson=95)
        which = "exercises.help.last_hint" if step == 3 else "exercises.help.hint"
        assert shown.title == text(which, step=step, total=3, number=item_of(1, 95).label)
        assert str(shown.title).startswith(f"{word.capitalize()} {step} ") and label in str(shown.title)
        assert shown.text == f"{word} {step}" and (shown.exercise, shown.lesson) == (1, 95)


NO_HINTS = {
    "en": (
        "No hints for exercise 3 (lesson 96)",
        "This exercise has no hints. solution(3, lesson=96) shows the worked solution.",
    ),
    "pt": (
        "Nenhuma dica para o exercício 3 (lição 96)",
        "Este exercício não tem dicas. solution(3, lesson=96) mostra a solução comentada.",
    ),
}
NO_HINTS_HIDDEN = {
    "en": "This exercise has no hints, and the worked solutions are turned off for this course. "
    "check tells you when your answer is right.",
    "pt": "Este exercício não tem dicas, e as soluções comentadas estão desligadas neste curso. "
    "check diz quando a sua resposta estiver certa.",
}


def test_an_exercise_without_hints_says_so(fresh_course, monkeypatch, language):
    """An exercise a teacher added without hints: hint() says there are none and points to the
    solution (or, with the solutions hidden, to check), every time, instead of failing."""
    install_lesson(fresh_course, 96, exercises=TWO_EXERCISES, po=texts_of(96))
    title, body = NO_HINTS[language]
    for _ in range(2):
        shown = hint(3, lesson=96)
        assert (str(shown.title), shown.text) == (title, body)
        assert (shown.exercise, shown.lesson, shown.kind) == (3, 96, "hint")
        assert str(shown) == f"{title}\n\n{body}"
    monkeypatch.setenv(machinery.SOLUTIONS_VARIABLE, machinery.SOLUTIONS_HIDDEN)
    assert hint(3, lesson=96).text == NO_HINTS_HIDDEN[language]


@pytest.mark.parametrize("lesson", [None, *course.numbers()])
def test_exercises_lists_a_lessons_exercises_in_order(lesson):
    """exercises(lesson) gives that lesson's exercises (the first lesson's by default) in number
    order, each one the exercise check() judges."""
    listed = machinery.exercises(lesson)
    which = course.first() if lesson is None else lesson
    numbers = [item.number for item in listed]
    assert numbers == sorted(course.lesson(which, "exercises").exercises) and numbers[0] == 1
    assert all(item.lesson == which and item is item_of(item.number, which) for item in listed)


def test_exercises_lists_a_lesson_registered_out_of_order_in_order(fresh_course):
    install_lesson(fresh_course, 97, exercises=TWO_EXERCISES.replace("exercise(1)", "exercise(5)"), po=texts_of(97))
    assert [item.number for item in machinery.exercises(97)] == [3, 5]


# --- the unanswered state -----------------------------------------------------------------------


@pytest.mark.parametrize("lesson, number", [(1, 1), (1, 9), (2, 3), (3, 6), (4, 2)])
def test_unanswered_names_the_exercises_form(lesson, number, language):
    """None says what to write instead, in the form the exercise asks for."""
    item = item_of(number, lesson)
    feedback = check(number, None, lesson=lesson)
    assert feedback.status == "unanswered" and feedback.hint is None
    assert feedback.headline == text("exercises.unanswered", form=text(item.key("form")))
    assert form_words(item) in feedback.message and form_words(item) in str(feedback)


# --- an answer of the wrong form ----------------------------------------------------------------


def test_a_form_error_with_its_sentence_puts_it_before_the_form(monkeypatch, language):
    """The checker's sentence on what is off comes first, then the form the exercise asks for."""
    said = text("exercises.form.pair", kind=text("exercises.kind.none"))
    item = with_checker(monkeypatch, runs_the_answer)
    feedback = check(1, raising(FormError(said.key, **said.fields)))
    assert feedback.status == "wrong" and feedback.headline == text("exercises.bad_form")
    assert feedback.hint == text("exercises.form_hint_after", before=said, form=text(item.key("form")))
    assert said.render() in str(feedback) and form_words(item) in str(feedback)


def test_a_form_error_without_a_sentence_gives_the_form_alone(monkeypatch, language):
    """A FormError with no key says only what form the answer should have."""
    item = with_checker(monkeypatch, runs_the_answer)
    feedback = check(1, raising(FormError()))
    assert feedback.status == "wrong" and feedback.headline == text("exercises.bad_form")
    assert feedback.hint == text("exercises.form_hint", form=text(item.key("form")))
    start = {"en": "the answer should be ", "pt": "a resposta deve ser "}[language]
    assert str(feedback.hint) == f"{start}{form_words(item)}."


def test_a_refused_comparison_says_why_then_the_form(monkeypatch, language):
    """A comparison that refuses two shapes gives its own sentence, kept unworded so that it
    follows the language shown, then the form."""
    item = with_checker(monkeypatch, lambda answer: compare(answer, torch.zeros(3)))
    feedback = check(1, torch.zeros(2))
    said = text("claims.error.shape", actual="(2,)", expected="(3,)")
    assert feedback.status == "wrong" and feedback.headline == text("exercises.bad_form")
    assert feedback.hint == text("exercises.form_hint_after", before=said, form=text(item.key("form")))
    other = next(code for code in LANGUAGES if code != language)
    set_language(other)
    assert said.render() in str(feedback) and form_words(item) in str(feedback)


def test_a_plain_lesson_error_is_quoted_then_the_form(monkeypatch, language):
    """A LessonError made of plain words is quoted as it is, then the form."""
    item = with_checker(monkeypatch, runs_the_answer)
    feedback = check(1, raising(LessonError("these two cannot be compared")))
    assert feedback.status == "wrong" and feedback.headline == text("exercises.bad_form")
    said = text("exercises.plain", words="these two cannot be compared")
    assert feedback.hint == text("exercises.form_hint_after", before=said, form=text(item.key("form")))
    assert str(feedback.hint).startswith("these two cannot be compared ")


# --- a checker that fails while reading the answer ----------------------------------------------


@pytest.mark.parametrize(
    "error, shown",
    [
        (ValueError("no such value."), "ValueError: no such value"),
        (KeyError("why"), "KeyError: 'why'"),
        (ZeroDivisionError(), "ZeroDivisionError"),
    ],
)
def test_a_checker_that_fails_reading_the_answer_names_the_error_and_the_form(monkeypatch, error, shown, language):
    """What escapes the checker is named (kind and message, no doubled period) with the form."""
    item = with_checker(monkeypatch, runs_the_answer, number=3, lesson=2)
    feedback = check(3, raising(error), lesson=2)
    assert feedback.status == "wrong"
    assert feedback.headline == text("exercises.answer_raised", error=shown)
    assert feedback.hint == text("exercises.form_hint", form=text(item.key("form")))
    start = {"en": "reading your answer raised an error: ", "pt": "ler a sua resposta levantou um erro: "}[language]
    assert feedback.message == f"{start}{shown}."
    assert form_words(item) in str(feedback)


# --- what the guard stops -----------------------------------------------------------------------


@pytest.fixture
def guard_reports(monkeypatch):
    """check() gets this Failure from the guard, as if the answer had run into it."""

    def report(failure: guard.Failure) -> None:
        monkeypatch.setattr(guard, "run", lambda function, *args, **kwargs: guard.Outcome(failure=failure))

    return report


TIMEOUT = {
    "en": "stopped after {seconds} s, the time limit of the check.",
    "pt": "interrompida depois de {seconds} s, o limite de tempo da verificação.",
}
MEMORY = {
    "en": "stopped: your code asked for more memory than the check allows ({limit} beyond what the kernel "
    "already uses).",
    "pt": "interrompida: o seu código pediu mais memória do que a verificação permite ({limit} além do que "
    "o kernel já usa).",
}
UNLIMITED = {
    "en": "stopped: your code asked for more memory than the computer has.",
    "pt": "interrompida: o seu código pediu mais memória do que o computador tem.",
}


@pytest.mark.parametrize(
    "limit, seconds",
    [(10.0, {"en": "10", "pt": "10"}), (0.3, {"en": "0.3", "pt": "0,3"}), (None, {"en": "?", "pt": "?"})],
)
def test_a_timeout_says_after_how_long(guard_reports, limit, seconds, language):
    """A stopped loop names the limit (with the language's decimal separator), "?" if unknown."""
    guard_reports(guard.Failure("timeout", limit=limit))
    feedback = check(4, lambda x: x, lesson=2)
    assert feedback.status == "wrong" and feedback.headline.key == "exercises.timeout"
    assert feedback.hint == text("exercises.timeout_hint")
    assert feedback.message == TIMEOUT[language].format(seconds=seconds[language])


@pytest.mark.parametrize(
    "limit, written",
    [
        (float(2**30), "1 GiB"),
        (float(2**31), "2 GiB"),
        (float(3 * 2**30), "3 GiB"),
        (float(2**29), "512 MiB"),
        (float(256 << 20), "256 MiB"),
        (float(2**20), "1 MiB"),
    ],
)
def test_a_memory_stop_names_the_headroom(guard_reports, limit, written, language):
    """Runaway memory names the headroom the check allowed: GiB from 1 GiB on, MiB below."""
    guard_reports(guard.Failure("memory", "MemoryError", "", limit))
    feedback = check(2, [1, 2])
    assert feedback.status == "wrong" and feedback.headline == text("exercises.memory", limit=written)
    assert feedback.hint == text("exercises.memory_hint")
    assert feedback.message == MEMORY[language].format(limit=written)
    assert "torch.empty(10**13)" in str(feedback)


@pytest.mark.parametrize(
    "limit, written",
    [(1.5 * 2**30, {"en": "1.5 GiB", "pt": "1,5 GiB"}), (2**30 + 2**29 // 5, {"en": "1.1 GiB", "pt": "1,1 GiB"})],
)
def test_a_memory_headroom_between_whole_gibibytes(guard_reports, limit, written, language):
    """A headroom that is not a whole number of GiB is written to three digits, with the
    language's decimal separator."""
    guard_reports(guard.Failure("memory", "MemoryError", "", limit))
    feedback = check(2, [1, 2])
    assert feedback.headline == text("exercises.memory", limit=written["en"])
    assert feedback.message == MEMORY[language].format(limit=written[language])


@pytest.mark.parametrize("limit", [None, 0.0])
def test_a_memory_stop_without_a_limit_blames_the_computer(guard_reports, limit, language):
    """Where no headroom was set, running out of memory is the computer's limit."""
    guard_reports(guard.Failure("memory", "MemoryError", "", limit))
    feedback = check(2, [1, 2])
    assert feedback.status == "wrong" and not feedback.correct
    assert feedback.headline == text("exercises.memory_unlimited")
    assert feedback.hint == text("exercises.memory_hint")
    assert feedback.message == UNLIMITED[language]
    assert "torch.empty(10**13)" in str(feedback) and str(feedback).startswith("✘ ")


def test_a_raised_failure_from_the_guard_names_the_error_and_the_form(guard_reports, language):
    """The guard's report of an error escaping the checker gives its kind and message."""
    guard_reports(guard.Failure("raised", "OverflowError", "too big."))
    feedback = check(5, 1.0, lesson=3)
    item = item_of(5, 3)
    assert feedback.headline == text("exercises.answer_raised", error="OverflowError: too big")
    assert feedback.hint == text("exercises.form_hint", form=text(item.key("form")))
    assert "OverflowError: too big." in feedback.message and form_words(item) in str(feedback)


# --- hints and the numbers a Help carries -------------------------------------------------------


def hints_of(item) -> int:
    count = 0
    while item.key(f"hint.{count + 1}") in MESSAGES:
        count += 1
    return count


EVERY_EXERCISE = [
    (lesson, number) for lesson in course.numbers() for number in sorted(course.lesson(lesson, "exercises").exercises)
]


@pytest.mark.parametrize("lesson, number", EVERY_EXERCISE)
def test_the_hints_are_counted_and_the_last_one_says_so(lesson, number):
    """Hint k of n counts every hint the exercise has; the n-th is the last, then it repeats."""
    total = hints_of(item_of(number, lesson))
    assert total >= 1
    for step in range(1, total + 2):
        shown = hint(number, lesson=lesson)
        last = min(step, total)
        which = "exercises.help.last_hint" if last == total else "exercises.help.hint"
        assert shown.title == text(which, step=last, total=total, number=item_of(number, lesson).label)
        assert shown.body == text(item_of(number, lesson).key(f"hint.{last}"))
    assert f"of {total}" in str(shown)


@pytest.mark.parametrize("lesson, number", [(1, 6), (2, 3), (3, 2)])
@pytest.mark.parametrize("hidden", [False, True])
def test_every_help_carries_its_exercise_and_lesson(monkeypatch, lesson, number, hidden):
    """A hint and a solution, shown or turned off, say which exercise of which lesson they are for,
    in their record and in the page."""
    if hidden:
        monkeypatch.setenv(machinery.SOLUTIONS_VARIABLE, machinery.SOLUTIONS_HIDDEN)
    for shown in (hint(number, lesson=lesson), solution(number, lesson=lesson)):
        assert (shown.exercise, shown.lesson) == (number, lesson)
        assert f'data-lesson="{lesson}" data-exercise="{number}"' in shown._repr_html_()


@pytest.mark.parametrize(
    "lesson, number, label", [(1, 6, {"en": "6", "pt": "6"}), (2, 3, {"en": "3 (lesson 2)", "pt": "3 (lição 2)"})]
)
def test_a_hidden_solution_is_titled_with_the_exercise(monkeypatch, lesson, number, label, language):
    """With solutions turned off, the title still names the exercise (and its lesson)."""
    monkeypatch.setenv(machinery.SOLUTIONS_VARIABLE, machinery.SOLUTIONS_HIDDEN)
    shown = solution(number, lesson=lesson)
    title = {
        "en": "Exercise {label}: no worked solution in this course",
        "pt": "Exercício {label}: sem solução comentada neste curso",
    }[language]
    assert str(shown.title) == title.format(label=label[language])
    assert str(shown).startswith(title.format(label=label[language]) + "\n\n")
    assert isinstance(shown.title, Text) and shown.kind == "solution-hidden"
