"""Lesson sources read at run time: the same cells jupytext reads, the marked passages, the
worked solutions and the shared code, each found once and refused clearly when malformed."""

from __future__ import annotations

import jupytext
import pytest
import torch

from autograd_lessons import course, i18n, sources
from autograd_lessons.sources import LessonSourceError

SOURCES = [(lesson, notebook) for lesson in course.lessons() for notebook in lesson.notebooks]


@pytest.mark.parametrize("lesson, notebook", SOURCES, ids=[name for _, name in SOURCES])
def test_every_source_reads_as_jupytext_reads_it(lesson, notebook):
    path = lesson.source_path(notebook)
    expected = jupytext.read(path, fmt="py:percent").cells
    found = sources.read(path)
    assert [(c.cell_type, c.source) for c in expected] == [(c.kind, c.source) for c in found]
    layout = {"lines_to_next_cell"}  # jupytext's note of blank lines between cells, not metadata of ours
    for theirs, ours in zip(expected, found, strict=True):
        assert {k: v for k, v in theirs.metadata.items() if k not in layout} == dict(ours.metadata)


def test_the_reader_keeps_metadata_and_strips_comment_marks():
    text = '# %% [markdown] lang="pt"\n# Olá,\n#\n# mundo\n\n# %% tags=["a", "b"] solution=3\nx = 1\n\n\n'
    markdown, code = sources.parse(text)
    assert (markdown.kind, markdown.lang, markdown.source) == ("markdown", "pt", "Olá,\n\nmundo")
    assert (code.kind, dict(code.metadata), code.source) == ("code", {"tags": ["a", "b"], "solution": 3}, "x = 1")


@pytest.mark.parametrize(
    "text, words",
    [
        ("x = 1\n# %%\ny = 2\n", "before the first"),
        ("# %% lang=pt\n", "cannot read the value"),
        ("# %% [markdown] lang='pt'\n# a\n", "cannot read"),
    ],
)
def test_a_malformed_source_says_where(text, words):
    with pytest.raises(LessonSourceError, match=words):
        sources.parse(text, "lesson.py")


def test_passages_are_read_as_a_reader_reads_them():
    texts = [
        '> Annotation: <q id="a">the `grad_fn`\n> is **kept**</q>, it says.',
        'x = 1\n# <q id="b">a comment that goes\n# on</q>',
    ]
    assert sources.passages(texts) == {"a": "the grad_fn is kept", "b": "a comment that goes on"}
    assert sources.strip_marks(texts[0]) == "> Annotation: the `grad_fn`\n> is **kept**, it says."


@pytest.mark.parametrize(
    "texts, words",
    [
        (['<q id="a">one</q> and <q id="a">two</q>'], "marked twice"),
        (['<q id="a">never closed'], "not closed"),
        (['<q id="a">outer <q id="b">inner</q></q>'], "not closed"),
    ],
)
def test_malformed_passages_are_refused(texts, words):
    with pytest.raises(LessonSourceError, match=words):
        sources.passages(texts)


def test_every_edition_keeps_every_marked_passage():
    """A claim's words stand in every language of its lesson's notebook."""
    for lesson in course.lessons():
        where = lesson.source_path(lesson.notebook).name
        ids = {
            language: set(
                sources.passages(
                    sources.edition_texts(lesson.source_cells(lesson.notebook), language, where, i18n.LANGUAGES)
                )
            )
            for language in i18n.LANGUAGES
        }
        assert len({frozenset(found) for found in ids.values()}) == 1, (lesson.number, ids)
        assert set(course.lesson(lesson.number, "claims").claims) >= next(iter(ids.values()))


def test_localised_code_keeps_one_language_and_refuses_unpaired_comments():
    code = "# [pt] olá\n# [en] hello\nx = 1"
    assert sources.localise_code(code, "pt", "cell", ("pt", "en")) == "# olá\nx = 1"
    with pytest.raises(LessonSourceError, match="exists only in"):
        sources.localise_code("# [pt] olá\nx = 1", "pt", "cell", ("pt", "en"))
    with pytest.raises(LessonSourceError, match="unknown language"):
        sources.localise_code("# [fr] salut\nx = 1", "pt", "cell", ("pt", "en"))
    with pytest.raises(LessonSourceError, match="line of its own"):
        sources.localise_code("x = 1  # [pt] olá", "pt", "cell", ("pt", "en"))


def test_a_shared_function_runs_the_sources_own_definition():
    cells = sources.parse(
        '# %% shares=["g", "K"]\ndef g(t):\n    return torch.ones(1) * t\n\nclass K:\n    n = 2\n\nprint("not run")\n'
    )
    g = sources.shared_function(cells, "g", {"torch": torch})
    assert float(g(3.0)) == 3.0 and sources.shared_function(cells, "K", {}).n == 2
    with pytest.raises(LessonSourceError, match="does not define"):
        sources.shared_function(sources.parse('# %% shares="h"\nx = 1\n'), "h", {})
    with pytest.raises(LessonSourceError, match="no code cell"):
        sources.shared_function(cells, "missing", {})


def test_in20s_f_is_the_runs_own_code():
    from autograd_lessons.lessons.autograd.maths import control_flow

    a = torch.tensor(-0.5, requires_grad=True)
    assert control_flow.__code__.co_filename == "<lesson source: f>"
    assert float(control_flow(a).detach()) == -0.5 * 100 * 2**11


def test_solutions_come_from_the_cells_marked_for_them():
    cells = sources.parse(
        "# %% solution=2\n# [pt] passo um\n# [en] step one\nanswer = 1\n\n"
        "# %%\nother = 0\n\n"
        "# %% solution=2\ncheck(2, answer)\n"
    )
    assert sources.solution_numbers(cells) == (2,)
    assert sources.solution_code(cells, 2, "pt", "s", ("pt", "en")) == "# passo um\nanswer = 1\n\ncheck(2, answer)"
    assert sources.solution_code(cells, 3, "pt", "s", ("pt", "en")) == ""


@pytest.mark.parametrize("lesson", course.lessons(), ids=lambda lesson: str(lesson.number))
def test_every_exercise_has_exactly_its_worked_solution(lesson):
    cells = lesson.source_cells(lesson.solutions)
    assert sources.solution_numbers(cells) == tuple(sorted(course.lesson(lesson.number, "exercises").exercises))
