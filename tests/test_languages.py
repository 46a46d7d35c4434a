"""The languages are data: the catalogues that exist decide them (i18n.LANGUAGES), no code lists
them, and a third one can be tried without touching the package."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

import autograd_lessons
from autograd_lessons import i18n
from autograd_lessons.i18n import LANGUAGES, LessonError, add_language, message, set_language
from helpers import ROOT, code_cells, lesson_code_cells, source, text_outputs
from tools import editions

FIXTURE = Path(__file__).parent / "fixtures" / "third_language"
PACKAGE = Path(autograd_lessons.__file__).parent  # the package the tests import
# A literal list of the shipped languages, in either order, anywhere outside i18n.LANGUAGES.
LANGUAGE_LIST = re.compile(r"""["'](pt|en)["']\s*,\s*["'](pt|en)["']""")


@pytest.fixture
def restore_messages():
    """add_language changes the catalogue in this process; put it back afterwards."""
    saved = {key: dict(texts) for key, texts in i18n.MESSAGES.items()}
    added = dict(i18n._added)
    yield
    for key, texts in saved.items():
        i18n.MESSAGES[key].clear()
        i18n.MESSAGES[key].update(texts)
    i18n._added.clear()
    i18n._added.update(added)


def _tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def test_no_code_lists_the_languages():
    offenders = []
    scanned = [
        *PACKAGE.rglob("*.py"),
        *(ROOT / "tools").rglob("*.py"),
        ROOT / "tasks.py",
        ROOT / "tests" / "helpers.py",
    ]
    for path in sorted(scanned):
        text = path.read_text(encoding="utf-8")
        for line_number, line in enumerate(text.splitlines(), 1):
            if LANGUAGE_LIST.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{line_number}: {line.strip()}")
    assert not offenders, "use i18n.LANGUAGES (the catalogues there are) instead of a list:\n" + "\n".join(offenders)


def test_the_check_finds_a_language_list():
    """The pattern above bites on the spellings a list of languages takes."""
    for line in ('for lang in ("pt", "en"):', "LANGUAGES = ['en', 'pt']", 'parametrize("language", ["pt","en"])'):
        assert LANGUAGE_LIST.search(line)
    assert not LANGUAGE_LIST.search('message("claims.language.pt")')


def test_an_added_language_falls_back_where_it_has_no_text(restore_messages):
    add_language("zz", {"claims.status.exact": "✔ zo-valid"}, fallback="pt")
    set_language("zz")
    assert message("claims.status.exact") == "✔ zo-valid"
    assert message("claims.status.false") == i18n.MESSAGES["claims.status.false"]["pt"]
    assert "zz" in i18n.languages() and "zz" not in LANGUAGES


@pytest.mark.parametrize(
    "code, texts, fallback",
    [
        ("pt", {}, "en"),  # a shipped language cannot be replaced
        ("ZZ", {}, "en"),  # codes are lower-case
        ("zzz", {}, "en"),  # and two letters
        ("zz", {}, "xx"),  # the fallback must exist
        ("zz", {"no.such.key": "x"}, "en"),
        ("zz", {"claims.heading.output": "{source} only"}, "en"),  # a field lost
    ],
)
def test_a_bad_language_is_refused_in_the_learners_language(restore_messages, code, texts, fallback):
    words = {}
    for language in LANGUAGES:
        set_language(language)
        with pytest.raises(LessonError) as caught:
            add_language(code, texts, fallback=fallback)
        words[language] = str(caught.value)
    assert len(set(words.values())) == len(LANGUAGES), words  # each in its own language
    assert "zz" not in i18n.languages()


def test_a_lesson_builds_in_a_made_up_language_without_touching_the_package(tmp_path):
    before = _tree_digest(PACKAGE)
    out = tmp_path / "notebooks"
    out.mkdir()
    shutil.copy(FIXTURE / "catalogue_zz.po", out / "catalogue_zz.po")
    built = {e.language: e for e in editions.lesson_editions(FIXTURE / "01_tiny.py", out, languages=("en", "zz"))}
    assert set(built) == {"en", "zz"}
    outputs = {}
    for language, edition in built.items():
        cells = code_cells(edition.notebook)
        assert 'set_language("' + language + '")' in source(lesson_code_cells(edition.notebook)[0])
        outputs[language] = "\n".join(text for cell in cells for _, text in text_outputs(cell))
        assert "Error" not in outputs[language], outputs[language]
    zz, en = outputs["zz"], outputs["en"]
    catalogue = i18n.read_po(FIXTURE / "catalogue_zz.po")
    # The made-up words appear where the catalogue has them, the fallback's elsewhere.
    assert "zo-folio x" in zz and "leaf x" in en and "zo-" not in en
    assert catalogue["claims.status.exact"] in zz and "✔ holds" in en
    assert "zo-kontrol: zo-y estas 28." in zz
    assert "equal bit for bit" in zz  # evidence the catalogue leaves out: English, the fallback
    assert "# Zo-katalogo." in source(lesson_code_cells(built["zz"].notebook)[0])
    assert "Zo-leciono" in "".join(source(c) for c in built["zz"].notebook.cells)
    assert _tree_digest(PACKAGE) == before
