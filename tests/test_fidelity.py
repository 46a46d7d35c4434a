"""Every cell of the source run appears in both editions, in order, with its code and output."""

from __future__ import annotations

import json
import re

import pytest

from helpers import (
    LANGUAGES,
    NOTEBOOKS,
    ROOT,
    code_cells,
    normalised,
    prose,
    read_notebook,
    source,
    strip_comments,
    text_outputs,
)

SOURCE = json.loads((ROOT / "tests" / "data" / "source_cells.json").read_text(encoding="utf-8"))
LESSON_1 = "01_autograd.ipynb"


def match_source_cells(notebook: dict) -> list[dict]:
    """The notebook's code cells that reproduce the source cells, found in order.

    Cells the lesson adds (language, seed, pictures) may sit between them; a source cell that
    is missing, edited or out of order makes the search fail at that cell.
    """
    cells = code_cells(notebook)
    found, start = [], 0
    for expected in SOURCE["cells"]:
        wanted = strip_comments(expected["code"])
        for index in range(start, len(cells)):
            if strip_comments(source(cells[index])) == wanted:
                found.append(cells[index])
                start = index + 1
                break
        else:
            pytest.fail(
                f"source cell In [{expected['in']}] is missing, edited or out of order; "
                f"expected code (comments aside):\n" + "\n".join(wanted)
            )
    return found


def test_source_copy_has_the_eleven_cells():
    assert [c["in"] for c in SOURCE["cells"]] == [1, 2, 3, 4, 5, 6, 11, 12, 16, 17, 20]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_source_cell_in_order_with_its_output(language):
    notebook = read_notebook(NOTEBOOKS / language / LESSON_1)
    for expected, cell in zip(SOURCE["cells"], match_source_cells(notebook), strict=True):
        wanted = [] if expected["output"] is None else [("execute_result", expected["output"])]
        assert text_outputs(cell) == wanted, f"In [{expected['in']}] output differs"


@pytest.mark.parametrize("language", LANGUAGES)
def test_source_cells_are_executed_in_notebook_order(language):
    numbers = [cell["execution_count"] for cell in code_cells(read_notebook(NOTEBOOKS / language / LESSON_1))]
    assert numbers == list(range(1, len(numbers) + 1))


def test_portuguese_edition_fixes_the_two_typos_and_says_so():
    text = "\n".join(source(c) for c in read_notebook(NOTEBOOKS / "pt" / LESSON_1)["cells"])
    assert "escalar [no original: esvalar]" in text and "estaria [no original: estaráia]" in text
    unmarked = re.sub(r"\[no original:\s[^\]]*\]", " ", text)
    assert "esvalar" not in unmarked and "estaráia" not in unmarked


@pytest.mark.parametrize("language", LANGUAGES)
def test_annotations_in_the_edition_language(language):
    """The English comments of In [16]/[17] are translated in the Portuguese edition, and back."""
    text = normalised(prose(read_notebook(NOTEBOOKS / language / LESSON_1)))
    english = ["crucial step", "channeled through", "persists and thus"]
    portuguese = ["passo crucial", "efeito indireto", "continua existindo", "Reseta os valores"]
    present, absent = (portuguese, english) if language == "pt" else (english, portuguese)
    assert all(phrase in text for phrase in present)
    assert not any(phrase in text for phrase in absent)


MARKER = {"pt": "# In [{n}] da execução original", "en": "# In [{n}] of the original run"}
ANNOTATION_BOX = {
    "pt": re.compile(r"^> \*\*Anotação · In \[(\d+)\]"),
    "en": re.compile(r"^> \*\*Annotation · In \[(\d+)\]"),
}
TRANSLATION_LABEL = {
    "pt": ("traduzida do inglês", "nas palavras do aluno"),
    "en": ("translated from Portuguese", "as written in English"),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_source_cell_shows_its_original_number_first(language):
    notebook = read_notebook(NOTEBOOKS / language / LESSON_1)
    for expected, cell in zip(SOURCE["cells"], match_source_cells(notebook), strict=True):
        first = source(cell).splitlines()[0]
        assert first.startswith(MARKER[language].format(n=expected["in"])), first
    markers = [c for c in code_cells(notebook) if source(c).startswith(MARKER[language].split("[")[0] + "[")]
    assert len(markers) == len(SOURCE["cells"]), "only cells of the original run carry the marker"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_lesson_explains_once_why_the_numbers_jump(language):
    text = "\n".join(
        source(c) for c in read_notebook(NOTEBOOKS / language / LESSON_1)["cells"] if c["cell_type"] == "markdown"
    )
    assert text.count("6 → 11 → 12 → 16") == 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_annotation_boxes_say_whose_words_and_in_which_language(language):
    cells = read_notebook(NOTEBOOKS / language / LESSON_1)["cells"]
    boxes = [source(c) for c in cells if c["cell_type"] == "markdown" and ANNOTATION_BOX[language].match(source(c))]
    assert len(boxes) >= 5
    for box in boxes:
        heading = box.splitlines()[0]
        assert any(label in heading for label in TRANSLATION_LABEL[language]), heading
    everything = "\n".join(source(c) for c in cells)
    assert "Original annotation" not in everything and "Anotação original" not in everything


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_annotation_comes_before_the_verdicts_that_judge_it(language):
    cells = read_notebook(NOTEBOOKS / language / LESSON_1)["cells"]
    verdict_at, boxes_at = {}, {}
    for index, cell in enumerate(cells):
        call = re.match(r"verify_cell\((\d+)", source(cell)) if cell["cell_type"] == "code" else None
        if call:
            verdict_at.setdefault(int(call[1]), index)
        box = ANNOTATION_BOX[language].match(source(cell)) if cell["cell_type"] == "markdown" else None
        if box:
            boxes_at.setdefault(int(box[1]), []).append(index)
    for n, places in boxes_at.items():
        assert all(place < verdict_at[n] for place in places), f"an annotation of In [{n}] comes after its verdicts"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_quoted_verdict_can_be_found_in_the_edition_a_reader_has(language):
    """The words a verdict quotes stand in that edition: in its boxes, comments or outputs."""
    import autograd_lessons
    from autograd_lessons import course
    from autograd_lessons.claims import catalog

    readable = {}
    for lesson in course.lessons():
        number = lesson.number
        notebook = read_notebook(NOTEBOOKS / language / f"{lesson.notebook}.ipynb")
        parts = []
        for cell in notebook["cells"]:
            parts.append(source(cell))
            parts.extend(text for _, text in text_outputs(cell))
        readable[number] = normalised("\n".join(parts))
    autograd_lessons.set_language(language)
    for claim in catalog().values():
        if claim.quote is not None:
            shown, _ = claim.shown_quote()
            assert normalised(shown) in readable[claim.lesson], (
                f"{claim.id}: {shown!r} is not in the {language} edition"
            )
