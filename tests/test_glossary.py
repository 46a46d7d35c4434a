"""One term per concept in each edition, as the glossary records; the learner's kept words are marked."""

from __future__ import annotations

import re

import pytest

from autograd_lessons.i18n import MESSAGES
from helpers import NOTEBOOKS, comments, lesson_pairs, read_notebook, source, words_only

EDITORS_NOTE = {"pt": "Nota da edição", "en": "Editor's note"}
KEPT_MARK = re.compile(r"\[no original:\s[^\]]*\]")  # "escalar [no original: esvalar]": the learner's spelling


def terms(cell: str) -> list[str]:
    return [term.strip() for term in cell.split(";") if term.strip()]


def glossary() -> list[tuple[list[str], str, list[str], list[str]]]:
    """(English terms, Portuguese term, PT terms to avoid, EN terms to avoid) for each row."""
    rows = []
    for line in (NOTEBOOKS / "glossary.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 4 or cells[0] in ("English", "") or set(cells[0]) <= set("-"):
            continue
        rows.append((terms(cells[0]), cells[1], terms(cells[2]), terms(cells[3])))
    return rows


# Portuguese plurals, word by word, up to the first preposition ("taxas de aprendizado"): the
# endings that change, longest first; any other word ending in a vowel takes an s, in r, s or z
# an es. "in-place" and the adverb "não" stay as they are.
PT_ENDINGS = (("ão", "ões"), ("al", "ais"), ("el", "éis"), ("ol", "óis"), ("il", "is"), ("m", "ns"))
PT_PREPOSITIONS = {"de", "do", "da", "dos", "das", "em"}
PT_INVARIABLE = {"in-place", "não"}


def pt_plural_word(word: str) -> str:
    if word in PT_INVARIABLE:
        return word
    for singular, plural in PT_ENDINGS:
        if word.endswith(singular):
            return word[: -len(singular)] + plural
    if word[-1] in "rsz":
        return word + "es"
    return word + "s"


def pt_plural(term: str) -> str:
    """The plural of a Portuguese term: "tensor salvo" → "tensores salvos", "operação in-place" →
    "operações in-place", "taxa de aprendizado" → "taxas de aprendizado"."""
    words, plural, inflecting = term.split(" "), [], True
    for word in words:
        inflecting = inflecting and word.lower() not in PT_PREPOSITIONS
        plural.append(pt_plural_word(word) if inflecting else word)
    return " ".join(plural)


def uses(text: str, term: str, plural: bool = True, language: str = "en") -> bool:
    """Whether `term` occurs as a word, ignoring case (and, if `plural`, in its plural: an added s
    or es in English, every inflected word in Portuguese); a line break inside a term, where the
    prose wraps, counts as a space."""
    forms = [term] + ([pt_plural(term)] if plural and language == "pt" else [])
    ending = "(?:s|es)?" if plural and language == "en" else ""
    pattern = "|".join(r"\s+".join(re.escape(word) for word in form.split(" ")) for form in forms)
    return re.search(rf"(?<!\w)(?:{pattern}){ending}(?!\w)", text, re.I) is not None


def edition_texts(notebook: dict, language: str) -> list[tuple[str, str]]:
    """(prose, the editor's notes of that cell) per cell: markdown and code comments, with code,
    maths and the marks of the learner's original spelling removed."""
    found = []
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            text = source(cell)
        elif cell["cell_type"] == "code":
            text = "\n".join(comments(source(cell)))
        else:
            continue
        note = text.split(EDITORS_NOTE[language], 1)[1] if EDITORS_NOTE[language] in text else ""
        found.append((words_only(KEPT_MARK.sub(" ", text)), note))
    return found


def avoided_terms_used(notebook: dict, language: str, avoid: list[str]) -> list[str]:
    """Avoided terms the edition uses (in Portuguese, their plurals too), except where an editor's
    note in the same cell teaches them."""
    plural = language == "pt"
    bad = []
    for text, note in edition_texts(notebook, language):
        for term in avoid:
            if uses(text, term, plural, language) and not uses(note, term, plural, language):
                bad.append(term)
    return bad


def test_glossary_has_the_core_terms():
    chosen = {pt for _, pt, _, _ in glossary()}
    assert {
        "grafo computacional",
        "retropropagação",
        "folha",
        "escalar",
        "gradiente",
        "separar do grafo",
        "gradiente inicial",
        "semente",
    } <= chosen
    assert any("computation graph" in avoid for *_, avoid in glossary())


@pytest.mark.parametrize("pt, en", lesson_pairs(), ids=lambda p: p.name)
def test_portuguese_edition_uses_the_chosen_terms(pt, en):
    pt_book, en_book = read_notebook(pt), read_notebook(en)
    pt_text = " ".join(t for t, _ in edition_texts(pt_book, "pt"))
    en_text = " ".join(t for t, _ in edition_texts(en_book, "en"))
    for english, portuguese, avoid, _ in glossary():
        if any(uses(en_text, term) for term in english):
            assert uses(pt_text, portuguese, language="pt"), (
                f"the English edition says {english}; PT lacks {portuguese!r}"
            )
        assert avoided_terms_used(pt_book, "pt", avoid) == [], f"{pt.name}; the glossary term is {portuguese!r}"


@pytest.mark.parametrize("en", [en for _, en in lesson_pairs()], ids=lambda p: p.name)
def test_english_edition_uses_one_term_per_concept(en):
    book = read_notebook(en)
    for english, _, _, avoid in glossary():
        assert avoided_terms_used(book, "en", avoid) == [], f"{en.name}; the glossary term is {english[0]!r}"


@pytest.mark.parametrize(
    "term, plural",
    [
        ("tensor salvo", "tensores salvos"),
        ("grafo computacional", "grafos computacionais"),
        ("operação in-place", "operações in-place"),
        ("taxa de aprendizado", "taxas de aprendizado"),
        ("nó", "nós"),
        ("folha", "folhas"),
        ("função customizada", "funções customizadas"),
        ("papel", "papéis"),
        ("entrada não rastreada", "entradas não rastreadas"),
    ],
)
def test_portuguese_plurals_of_glossary_terms(term, plural):
    assert pt_plural(term) == plural
    assert uses(f"aqui há {plural}.", term, language="pt") and uses(f"um {term}.", term, language="pt")
    assert not uses(f"aqui há {plural}.", term, plural=False, language="pt")


def test_an_avoided_term_in_the_plural_is_caught_in_portuguese():
    cell = lambda text: {"cells": [{"cell_type": "markdown", "source": text}]}  # noqa: E731
    assert avoided_terms_used(cell("dois gráficos computacionais"), "pt", ["gráfico computacional"]) == [
        "gráfico computacional"
    ]


def test_a_kept_wrong_term_needs_an_editors_note():
    box = "> **Anotação · In [4]** …\n> o histórico das operações (a árvore computacional)"
    taught = box + '\n\n*Nota da edição.* O aluno escreve "árvore computacional", mas não é uma árvore.'
    cell = lambda text: {"cells": [{"cell_type": "markdown", "source": text}]}  # noqa: E731
    assert avoided_terms_used(cell(box), "pt", ["árvore computacional"]) == ["árvore computacional"]
    assert avoided_terms_used(cell(taught), "pt", ["árvore computacional"]) == []
    marked = "agora, y não é mais um escalar [no original: esvalar], e sim um vetor"
    assert avoided_terms_used(cell(marked), "pt", ["esvalar"]) == []
    assert avoided_terms_used(cell("um esvalar"), "pt", ["esvalar"]) == ["esvalar"]


@pytest.mark.parametrize("language", ["pt", "en"])
def test_messages_avoid_the_rejected_terms(language):
    column = 2 if language == "pt" else 3
    for key, texts in MESSAGES.items():
        if key.startswith("quote."):
            continue  # the source's own words, checked against the source run instead
        for row in glossary():
            for term in row[column]:
                said = uses(words_only(texts[language]), term, plural=language == "pt", language=language)
                assert not said, f"message {key} says {term!r}"


@pytest.mark.parametrize("pt", [pt for pt, _ in lesson_pairs()], ids=lambda p: p.name)
def test_portuguese_formulas_write_sine_as_sen(pt):
    """Brazilian notation: sen x, not sin x (code such as torch.sin stays as it is)."""
    for cell in read_notebook(pt)["cells"]:
        if cell["cell_type"] == "markdown":
            assert "\\sin" not in source(cell), source(cell)[:200]


def test_portuguese_messages_write_sine_as_sen():
    """`sin` appears in Portuguese messages only as code (torch.sin, x.sin()), never as prose or maths."""
    for key, texts in MESSAGES.items():
        assert not re.search(r"(?<![\w.])sin(?!\w)", texts["pt"]), f"{key}: {texts['pt'][:120]}"
