"""The course finds its lessons where they register, loads each on its own, and a broken lesson is
that lesson's problem: the others keep working and the learner is told which one failed."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import autograd_lessons
from autograd_lessons import course, i18n
from autograd_lessons.claims import catalog, verify_cell
from autograd_lessons.exercises import check
from autograd_lessons.i18n import LessonError


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")


def install_lesson(root: Path, package: str, number: int, *, init: str | None = None, claims: str | None = None):
    """A lesson package in `root`, registered through a distribution's entry point there."""
    write(
        root / package / "__init__.py",
        init
        or f"""
        from autograd_lessons.course import Lesson

        LESSON = Lesson(number={number}, package=__name__, notebooks=("{package}",), cells="section")
        """,
    )
    write(
        root / package / "source" / f"{package}.py",
        '# %% [markdown] lang="pt"\n# Olá\n\n# %% [markdown] lang="en"\n# Hi\n',
    )
    (root / package / "locale").mkdir(exist_ok=True)
    if claims is not None:
        write(root / package / "claims.py", claims)
    dist = root / f"{package}-0.dist-info"
    write(dist / "METADATA", f"Metadata-Version: 2.1\nName: {package}\nVersion: 0\n")
    write(dist / "entry_points.txt", f"[{course.ENTRY_POINTS}]\n{package} = {package}:LESSON\n")


@pytest.fixture
def fresh_course(monkeypatch, tmp_path):
    """Extra lessons in tmp_path, found by a course that discovers its lessons again."""
    monkeypatch.syspath_prepend(str(tmp_path))
    course.reset()
    yield tmp_path
    course.reset()


def test_the_shipped_lessons_register_in_order():
    numbers = course.numbers()
    assert numbers == tuple(sorted(numbers)) and {1, 2} <= set(numbers)  # other lessons may join
    assert [course.lesson(number).package for number in (1, 2)] == [
        "autograd_lessons.lessons.autograd",
        "autograd_lessons.lessons.in_depth",
    ]
    assert course.first() == 1 and not course.failures()


def test_a_lesson_whose_declaration_raises_leaves_the_others_working(fresh_course):
    install_lesson(fresh_course, "broken_lesson", 97, init="raise RuntimeError('the declaration is broken')\n")
    assert 97 not in course.numbers() and {1, 2} <= set(course.numbers())
    assert "broken_lesson" in course.failures() and "declaration is broken" in course.failures()["broken_lesson"]
    assert verify_cell(2).holds
    assert check(6, None).status == "unanswered"
    autograd_lessons.set_language("en")
    with pytest.raises(LessonError) as caught:
        verify_cell(1, lesson=97)
    assert "broken_lesson" in str(caught.value) and "declaration is broken" in str(caught.value)


def test_a_lesson_whose_claims_raise_is_reported_by_number(fresh_course):
    install_lesson(fresh_course, "claims_broken", 98, claims="raise ValueError('a claim module that fails')\n")
    assert 98 in course.numbers()
    autograd_lessons.set_language("pt")
    with pytest.raises(LessonError) as caught:
        course.lesson(98, "claims")
    assert "lição 98" in str(caught.value) and "a claim module that fails" in str(caught.value)
    with_claims = {claim.lesson for claim in catalog().values()}
    assert 98 not in with_claims and {1, 2} <= with_claims  # the others' claims are all there
    assert verify_cell(3, lesson=2).holds


def test_a_lesson_whose_claim_is_not_attached_to_its_passage_fails_alone(fresh_course):
    claims = """
        from claims_unattached import LESSON

        @LESSON.claim("x.missing", cell=1, quote="prose")
        def _missing():
            raise AssertionError("never registered")
        """
    install_lesson(fresh_course, "claims_unattached", 96, claims=claims)
    with pytest.raises(LessonError) as caught:
        course.lesson(96, "claims")
    assert 'marks no passage <q id="x.missing">' in str(caught.value)
    assert verify_cell(2).holds


def test_two_lessons_with_one_number_keep_the_first(fresh_course):
    install_lesson(fresh_course, "zz_another", 1)  # entry names are read in order: "autograd" first
    assert course.lesson(1).package == "autograd_lessons.lessons.autograd"
    assert "number 1 is taken" in course.failures()["zz_another"]


def test_a_lesson_whose_texts_clash_with_the_packages_is_refused(fresh_course):
    install_lesson(fresh_course, "clashing_texts", 95)
    write(fresh_course / "clashing_texts" / "locale" / "en.po", 'msgid "graph.leaf"\nmsgstr "mine"\n')
    assert 95 not in course.numbers()
    assert "graph.leaf" in course.failures()["clashing_texts"]
    assert i18n.message("graph.leaf", "en") != "mine"


def test_an_unknown_lesson_lists_the_lessons_in_the_learners_language():
    for language, words in (("en", "has no claims"), ("pt", "não tem afirmações")):
        autograd_lessons.set_language(language)
        with pytest.raises(LessonError, match=words):
            verify_cell(1, lesson=99)  # no lesson has this number
        with pytest.raises(LessonError):
            verify_cell(1, lesson=True)


@pytest.mark.parametrize(
    "fields, words",
    [
        ({"number": -1}, "whole number"),
        ({"cells": "chapter"}, "cells="),
        ({"notebooks": ()}, "notebooks"),
        ({"solutions": "elsewhere"}, "solutions"),
    ],
)
def test_a_bad_declaration_says_what_is_wrong(fields, words):
    declared = {"number": 3, "package": "x", "notebooks": ("a",), "cells": "section", **fields}
    with pytest.raises(ValueError, match=words):
        course.Lesson(**declared)
