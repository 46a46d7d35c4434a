"""One catalogue, both languages, and set_language as the one switch."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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


# --------------------------------------------------------------------------- catalogues


def catalogue_folders() -> list[Path]:
    """Every folder of gettext catalogues the project has: the package's, each lesson's and the tools'."""
    from autograd_lessons import course
    from tools import catalogue

    folders = [i18n.LOCALE, catalogue.LOCALE] + [lesson.folder / course.LOCALE_FOLDER for lesson in course.lessons()]
    return [folder for folder in folders if folder.is_dir()]


def brace_flagged(path: Path) -> set[str]:
    """The msgids a catalogue flags ``#, python-brace-format`` (read from the file's own lines)."""
    flagged, pending = set(), False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#,"):
            pending = "python-brace-format" in line
        elif line.startswith("msgid "):
            if pending:
                flagged.add(line[len('msgid "') : -1])
            pending = False
    return flagged


def test_the_package_speaks_the_languages_of_its_own_catalogues():
    assert tuple(sorted(path.stem for path in i18n.LOCALE.glob("*.po"))) == i18n.LANGUAGES
    assert i18n.DEFAULT_LANGUAGE in i18n.LANGUAGES


@pytest.mark.parametrize("folder", catalogue_folders(), ids=lambda folder: folder.parent.name)
def test_every_catalogue_reads_as_babel_reads_it_and_is_complete(folder):
    from babel.messages.pofile import read_po as babel_read_po

    per_language = {}
    for path in sorted(folder.glob("*.po")):
        with open(path, "rb") as handle:
            catalogue = babel_read_po(handle)
        theirs = {message.id: message.string for message in catalogue if message.id}
        assert i18n.read_po(path) == theirs, path
        # Every text goes through str.format; translation tools check the braces of flagged entries.
        flagged = brace_flagged(path)
        for key, text in theirs.items():
            assert (key in flagged) == ("{" in text or "}" in text), (path.name, key)
        per_language[path.stem] = theirs
    assert set(per_language) == set(i18n.LANGUAGES), folder
    keys = {language: set(texts) for language, texts in per_language.items()}
    assert all(found == keys[i18n.DEFAULT_LANGUAGE] for found in keys.values()), folder
    for key in keys[i18n.DEFAULT_LANGUAGE]:
        fields = {language: i18n.placeholders(texts[key]) for language, texts in per_language.items()}
        assert len({frozenset(f) for f in fields.values()}) == 1, (folder, key, fields)


@pytest.mark.parametrize(
    "text, words",
    [
        ('msgid "a"\nmsgstr "\\q"\n', "unknown escape"),
        ('msgid "a"\n', "without msgstr"),
        ('msgid "a"\nmsgstr "x"\nmsgid "a"\nmsgstr "y"\n', "appears twice"),
        ('msgctxt "c"\nmsgid "a"\nmsgstr "x"\n', "contexts and plurals"),
        ('msgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\n', "contexts and plurals"),
        ('msgid "a"\nmsgstr "x"y"\n', "unescaped quote"),
    ],
)
def test_a_malformed_catalogue_says_where(tmp_path, text, words):
    path = tmp_path / "xx.po"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(i18n.CatalogueError, match=words):
        i18n.read_po(path)


def test_a_catalogue_reads_continued_and_escaped_strings(tmp_path):
    path = tmp_path / "xx.po"
    path.write_text(
        '# comment\nmsgid ""\nmsgstr "Language: xx\\n"\n\nmsgid "k"\nmsgstr ""\n"one \\"two\\"\\n"\n"three\\\\"\n'
        'msgid "untranslated"\nmsgstr ""\n',
        encoding="utf-8",
    )
    assert i18n.read_po(path) == {"k": 'one "two"\nthree\\'}


def test_a_component_cannot_take_a_key_another_defines(tmp_path):
    (tmp_path / "en.po").write_text('msgid "graph.leaf"\nmsgstr "mine"\n', encoding="utf-8")
    with pytest.raises(RuntimeError, match="graph.leaf"):
        i18n.add_catalogue(tmp_path, owner="a test")
    assert i18n.message("graph.leaf", "en") != "mine"


def test_a_text_is_worded_when_shown_in_the_language_of_that_moment():
    autograd_lessons.set_language("en")
    made = i18n.text("exercises.form_hint_after", before=i18n.text("claims.bool.True"), form="x")
    assert str(made) == "yes The answer should be x."
    autograd_lessons.set_language("pt")
    assert str(made) == "sim A resposta deve ser x." and f"{made}" == str(made)
    assert made.render("en") == "yes The answer should be x."


# --------------------------------------------------------------------------- decimal separator

NUMBER_TEMPLATE = "x = {x}; as code {x!r}; rounded {x:.2f}"


@pytest.fixture
def number_message(monkeypatch):
    monkeypatch.setitem(i18n.MESSAGES, "test.number", dict.fromkeys(i18n.LANGUAGES, NUMBER_TEMPLATE))
    return lambda language, value: i18n.message("test.number", language, x=value)


@pytest.mark.parametrize(
    "value, english, portuguese",
    [
        (0.1, "x = 0.1; as code 0.1; rounded 0.10", "x = 0,1; as code 0.1; rounded 0,10"),
        (-0.0, "x = -0.0; as code -0.0; rounded -0.00", "x = -0,0; as code -0.0; rounded -0,00"),
        (1e-05, "x = 1e-05; as code 1e-05; rounded 0.00", "x = 1e-05; as code 1e-05; rounded 0,00"),
        (float("nan"), "x = nan; as code nan; rounded nan", "x = nan; as code nan; rounded nan"),
        (float("inf"), "x = inf; as code inf; rounded inf", "x = inf; as code inf; rounded inf"),
        (12, "x = 12; as code 12; rounded 12.00", "x = 12; as code 12; rounded 12.00"),  # an int is no decimal
    ],
)
def test_a_float_field_takes_the_languages_decimal_separator(number_message, value, english, portuguese):
    assert number_message("en", value) == english
    assert number_message("pt", value) == portuguese


def test_a_decimal_written_beforehand_takes_the_separator_in_a_message_only():
    from autograd_lessons.numbers import Decimal, shortest, values_text

    value = shortest(1.5409961, None)
    assert isinstance(value, Decimal) and value == "1.5409961"
    assert i18n.message("claims.found", "pt", evidence=value) == "encontrado: 1,5409961"
    assert i18n.message("claims.found", "en", evidence=value) == "found: 1.5409961"
    assert f"a = {value}" == "a = 1.5409961", "outside a message it stays as Python writes it"
    import torch

    vector = values_text(torch.tensor([0.5, 1.5]))
    assert i18n.message("claims.found", "pt", evidence=vector) == "encontrado: [0.5, 1.5]", "a tensor's values stay"
    assert i18n.message("claims.found", "pt", evidence=True) == "encontrado: True", "a bool is no decimal"


def test_each_language_names_its_decimal_separator():
    for language in i18n.LANGUAGES:
        assert i18n.message(i18n.DECIMAL_POINT, language) in (".", ",")
    assert i18n.message(i18n.DECIMAL_POINT, "pt") == ","
