"""Every cell of the source run appears in both editions, in order, with its code and output."""

from __future__ import annotations

import json

import pytest

from helpers import LANGUAGES, NOTEBOOKS, ROOT, code_cells, prose, read_notebook, source, \
    strip_comments, text_outputs

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
    for expected, cell in zip(SOURCE["cells"], match_source_cells(notebook)):
        wanted = [] if expected["output"] is None else [("execute_result", expected["output"])]
        assert text_outputs(cell) == wanted, f"In [{expected['in']}] output differs"


@pytest.mark.parametrize("language", LANGUAGES)
def test_source_cells_are_executed_in_notebook_order(language):
    numbers = [cell["execution_count"] for cell in code_cells(read_notebook(NOTEBOOKS / language / LESSON_1))]
    assert numbers == list(range(1, len(numbers) + 1))


def test_portuguese_edition_fixes_the_two_typos():
    text = prose(read_notebook(NOTEBOOKS / "pt" / LESSON_1))
    assert "esvalar" not in text and "estaráia" not in text
    assert "escalar" in text and "estaria" in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_annotations_in_the_edition_language(language):
    """The English comments of In [16]/[17] are translated in the Portuguese edition, and back."""
    text = prose(read_notebook(NOTEBOOKS / language / LESSON_1))
    english = ["crucial step", "channeled through", "persists and thus"]
    portuguese = ["passo crucial", "efeito indireto", "continua existindo", "Reseta os valores"]
    present, absent = (portuguese, english) if language == "pt" else (english, portuguese)
    assert all(phrase in text for phrase in present)
    assert not any(phrase in text for phrase in absent)
