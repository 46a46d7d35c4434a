"""The README's table of notebooks, written from the course: one row per notebook of every lesson,
one column per language, each cell the notebook's own title with its Colab and Binder buttons.

The build (`tools.editions`) rewrites the table between the two marks below, so a new lesson, or a
new language, reaches the README without anyone editing it; a test holds the README equal to
what this module writes.
"""

from __future__ import annotations

import re
from pathlib import Path

from autograd_lessons import course, sources
from autograd_lessons.i18n import LANGUAGES
from tools import links
from tools.catalogue import message

START = "<!-- notebooks: written by python3 tasks.py build -->"
END = "<!-- notebooks: end -->"
NOTEBOOK_FOLDER = "notebooks"
COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"
BINDER_BADGE = "https://mybinder.org/badge_logo.svg"
HEADING = re.compile(r"^#\s+(?P<title>.+)$", re.MULTILINE)


def title_of(source: Path, language: str) -> str:
    """The title in `language` of the notebook built from `source`: the first heading of its
    first text cell there (the file's stem when it has none)."""
    for cell in sources.read(source):
        if cell.kind == "markdown" and cell.lang in (None, language):
            found = HEADING.search(sources.strip_marks(cell.source))
            if found:
                return found["title"].strip()
    return source.stem


def title(lesson: course.Lesson, notebook: str, language: str) -> str:
    """The title of one of `lesson`'s notebooks in `language`."""
    return title_of(lesson.source_path(notebook), language)


def cell(lesson: course.Lesson, notebook: str, language: str) -> str:
    path = f"{NOTEBOOK_FOLDER}/{language}/{notebook}.ipynb"
    colab = message("editions.open_in_colab", language).lstrip("▶ ").strip()
    binder = message("editions.open_in_binder", language).lstrip("▶ ").strip()
    return (
        f"[{title(lesson, notebook, language)}]({path}) "
        f"[![{colab}]({COLAB_BADGE})]({links.colab_url(path)}) "
        f"[![{binder}]({BINDER_BADGE})]({links.binder_url(path)})"
    )


def notebook_table() -> str:
    """The table, marks included."""
    names = [message("site.language_name", language) for language in LANGUAGES]
    rows = [f"| {' | '.join(names)} |", "|" + "---|" * len(LANGUAGES)]
    for lesson in course.lessons():
        for notebook in lesson.notebooks:
            rows.append("| " + " | ".join(cell(lesson, notebook, language) for language in LANGUAGES) + " |")
    return "\n".join([START, *rows, END])


def updated(text: str) -> str:
    """`text` (the README) with its table replaced by the one the course gives now."""
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"the README has no table marked {START!r} … {END!r}")
    return text[:start] + notebook_table() + text[end + len(END) :]


def update(readme: Path) -> bool:
    """Rewrite the table in `readme`; whether it changed."""
    text = readme.read_text(encoding="utf-8")
    new = updated(text)
    if new != text:
        readme.write_text(new, encoding="utf-8")
    return new != text


__all__ = ["END", "START", "notebook_table", "title", "title_of", "update", "updated"]
