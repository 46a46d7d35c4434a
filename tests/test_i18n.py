"""One catalogue, both languages, and set_language as the one switch."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import autograd_lessons
from autograd_lessons import i18n


def test_every_message_exists_in_both_languages_with_the_same_fields():
    for key, texts in i18n.MESSAGES.items():
        assert set(texts) == set(i18n.LANGUAGES), key
        assert all(texts[lang].strip() for lang in i18n.LANGUAGES), key
        assert i18n.placeholders(texts["pt"]) == i18n.placeholders(texts["en"]), key


@pytest.mark.parametrize(
    "given, chosen", [("pt", "pt"), ("pt-BR", "pt"), ("PT_br", "pt"), ("en", "en"), ("en-US", "en")]
)
def test_set_language_accepts_regional_forms(given, chosen):
    autograd_lessons.set_language(given)
    assert autograd_lessons.get_language() == chosen


def test_messages_follow_the_chosen_language():
    autograd_lessons.set_language("pt")
    assert "Idioma desconhecido" in i18n.message("language.unknown", value="fr")
    autograd_lessons.set_language("en")
    assert "Unknown language" in i18n.message("language.unknown", value="fr")


@pytest.mark.parametrize("bad", ["fr", "", None, 3, ["pt"]])
def test_unknown_language_says_what_to_type_in_both_languages(bad):
    autograd_lessons.set_language("pt")
    with pytest.raises(autograd_lessons.LessonError) as caught:
        autograd_lessons.set_language(bad)
    text = str(caught.value)
    assert 'set_language("pt")' in text and "Idioma desconhecido" in text and "Unknown language" in text
    assert autograd_lessons.get_language() == "pt", "a refused language must not change anything"


def test_lesson_error_is_caught_as_type_or_value_error():
    assert issubclass(autograd_lessons.LessonError, TypeError)
    assert issubclass(autograd_lessons.LessonError, ValueError)


def run_python(code: str, **env: str) -> str:
    environment = {k: v for k, v in os.environ.items() if k != i18n.ENV_VARIABLE}
    environment.update(env)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environment, check=True)
    return done.stdout.strip()


def test_environment_variable_sets_the_starting_language():
    show = "import autograd_lessons; print(autograd_lessons.get_language())"
    assert run_python(show) == i18n.DEFAULT_LANGUAGE
    assert run_python(show, AUTOGRAD_LESSONS_LANG="pt_BR") == "pt"
    assert run_python(show, AUTOGRAD_LESSONS_LANG="klingon") == i18n.DEFAULT_LANGUAGE


def test_importing_the_package_does_not_import_the_heavy_libraries():
    loaded = run_python(
        "import sys, autograd_lessons; "
        "print(sorted(m for m in ('torch', 'matplotlib', 'ipywidgets') if m in sys.modules))"
    )
    assert loaded == "[]"
