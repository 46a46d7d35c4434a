"""The Portuguese edition uses one term per concept, as the glossary records."""

from __future__ import annotations

import re

import pytest

from autograd_lessons.i18n import MESSAGES
from helpers import NOTEBOOKS, lesson_pairs, prose, read_notebook, words_only


def terms(cell: str) -> list[str]:
    return [term.strip() for term in cell.split(";") if term.strip()]


def glossary() -> list[tuple[list[str], str, list[str]]]:
    """(English terms, Portuguese term, Portuguese terms to avoid) for each row of the table."""
    rows = []
    for line in (NOTEBOOKS / "glossary.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in ("English", "") or set(cells[0]) <= set("-"):
            continue
        rows.append((terms(cells[0]), cells[1], terms(cells[2])))
    return rows


def uses(text: str, term: str, plural: bool = True) -> bool:
    """Whether `term` occurs as a word, ignoring case (and, if `plural`, an added s or es)."""
    ending = "(?:s|es)?" if plural else ""
    return re.search(rf"(?<!\w){re.escape(term)}{ending}(?!\w)", text, re.I) is not None


def test_glossary_has_the_core_terms():
    chosen = {pt for _, pt, _ in glossary()}
    assert {"grafo computacional", "retropropagação", "folha", "escalar", "gradiente"} <= chosen


@pytest.mark.parametrize("pt, en", lesson_pairs(), ids=lambda p: p.name)
def test_portuguese_edition_uses_the_chosen_terms(pt, en):
    pt_text, en_text = prose(read_notebook(pt)), prose(read_notebook(en))
    for english, portuguese, avoid in glossary():
        if any(uses(en_text, term) for term in english):
            assert uses(pt_text, portuguese), f"the English edition says {english}; PT lacks {portuguese!r}"
        for term in avoid:
            assert not uses(pt_text, term, plural=False), f"{pt.name} says {term!r}; the glossary term is {portuguese!r}"


def test_portuguese_messages_avoid_the_rejected_terms():
    for key, texts in MESSAGES.items():
        for _, portuguese, avoid in glossary():
            for term in avoid:
                assert not uses(words_only(texts["pt"]), term, plural=False), f"message {key} says {term!r}, use {portuguese!r}"
