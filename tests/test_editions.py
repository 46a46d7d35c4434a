"""Both editions come from one source: same code, same layout, and no drift from a fresh build."""

from __future__ import annotations

import re

import nbformat
import pytest

from autograd_lessons import sources
from autograd_lessons.i18n import DEFAULT_LANGUAGE, LANGUAGES
from helpers import (
    NOTEBOOKS,
    ROOT,
    code_cells,
    lesson_code_cells,
    lesson_pairs,
    read_notebook,
    sanitize,
    source,
    strip_comments,
)
from tools import catalogue, editions

SET_LANGUAGE = re.compile(r"""set_language\("(pt|en)"\)""")


def code_without_language(cell: dict) -> list[str]:
    return [SET_LANGUAGE.sub('set_language("…")', line) for line in strip_comments(source(cell))]


def output_kinds(notebook: dict) -> list[list[str]]:
    return [[o["output_type"] for o in c["outputs"]] for c in code_cells(notebook)]


@pytest.mark.parametrize("pt, en", lesson_pairs(), ids=lambda p: p.name)
def test_editions_have_the_same_cells_and_code(pt, en):
    a, b = read_notebook(pt), read_notebook(en)
    assert [c["cell_type"] for c in a["cells"]] == [c["cell_type"] for c in b["cells"]]
    assert [code_without_language(c) for c in code_cells(a)] == [code_without_language(c) for c in code_cells(b)]
    for notebook, language in ((a, "pt"), (b, "en")):
        first = source(lesson_code_cells(notebook)[0])
        assert SET_LANGUAGE.findall(first) == [language], "first code cell must set the language"
    assert output_kinds(a) == output_kinds(b)


def test_every_figure_is_stored_as_a_picture_with_its_description():
    """A figure whose output is only "<Figure size …>" would show learners no picture, and one
    without its description would leave screen readers and the site's alt text with nothing."""
    outputs = [
        (path.name, output["data"])
        for pair in lesson_pairs()
        for path in pair
        for cell in code_cells(read_notebook(path))
        for output in cell["outputs"]
        if "data" in output
    ]
    pictures = [(name, data) for name, data in outputs if "image/png" in data]
    assert pictures, "the lessons draw graphs, so some outputs must be pictures"
    for name, data in outputs:
        shown = "".join(data.get("text/plain", ""))
        assert not shown.startswith("<Figure"), f"{name}: a figure stored as {shown[:40]!r}"
    for name, data in pictures:
        shown = "".join(data.get("text/plain", ""))
        assert len(shown.split()) >= 5, f"{name}: a picture whose text is {shown[:60]!r}, not a description"


def comparable(notebook: dict) -> dict:
    """The notebook as stored, minus what nbval does not compare either: image bytes, masked
    text, outputs of cells tagged nbval-ignore-output."""
    notebook = nbformat.from_dict(notebook)
    for cell in notebook.cells:
        if "nbval-ignore-output" in cell.metadata.get("tags", []):
            cell.outputs = []  # a measurement: its value is allowed to differ
        for output in cell.get("outputs", []):
            for mime in list(output.get("data", {})):
                if mime.startswith("image/"):
                    output["data"][mime] = "<image>"
    return nbformat.reads(sanitize(nbformat.writes(notebook)), as_version=4)


@pytest.mark.parametrize("lesson", editions.lesson_sources(), ids=lambda path: path.stem)
def test_committed_notebooks_match_a_fresh_build(lesson, tmp_path):
    for edition in editions.lesson_editions(lesson, tmp_path):
        committed = NOTEBOOKS / edition.language / edition.path.name
        assert committed.exists(), f"{committed} is missing: run python3 tasks.py build"
        fresh = comparable(edition.notebook)
        stored = comparable(read_notebook(committed))
        for index, (new, old) in enumerate(zip(fresh.cells, stored.cells, strict=False)):
            assert new == old, (
                f"{committed.relative_to(ROOT)} cell {index} differs from a fresh build of "
                f"{lesson.relative_to(ROOT)}: run python3 tasks.py build"
            )
        assert fresh == stored, f"{committed.relative_to(ROOT)}: run python3 tasks.py build"


def test_every_notebook_has_a_lesson_source():
    built = {f"{p.stem}.ipynb" for p in editions.lesson_sources()}
    for language in LANGUAGES:
        assert {p.name for p in (NOTEBOOKS / language).glob("*.ipynb")} == built


# The build's rules for authors, checked on small made-up sources.


SOURCE_LANGUAGES = ("pt", "en")  # the languages of the made-up sources below, whatever the package speaks


def build_cells(text: str, language: str):
    return editions.edition_cells(sources.parse(text), language, "lesson.py", SOURCE_LANGUAGES)


SOURCE = """# %% [markdown] lang="pt"
# Olá

# %% [markdown] lang="en"
# Hello

# %%
# [pt] comentário
# [en] comment
from autograd_lessons import set_language
set_language("en")
"""


def test_each_edition_keeps_its_own_prose_comments_and_language():
    pt, en = build_cells(SOURCE, "pt"), build_cells(SOURCE, "en")
    assert [c.source for c in pt] == [
        "Olá",
        '# comentário\nfrom autograd_lessons import set_language\nset_language("pt")',
    ]
    assert [c.source for c in en] == [
        "Hello",
        '# comment\nfrom autograd_lessons import set_language\nset_language("en")',
    ]


@pytest.mark.parametrize(
    "broken, complaint",
    [
        (SOURCE.replace("# [en] comment\n", ""), "exists only in"),
        (SOURCE.replace('set_language("en")', "pass"), "set_language"),
        (SOURCE.replace("import set_language", "import set_language  # [pt] aqui"), "line of its own"),
        (SOURCE.replace('lang="en"', 'lang="fr"'), "unknown lang"),
        (SOURCE.replace("# [en] comment", "# [fr] comment"), "unknown language tag"),
        (SOURCE.replace("# %%\n", '# %% lang="pt"\n'), "do not tag code cells"),
    ],
)
def test_broken_sources_are_refused_with_the_reason(broken, complaint):
    with pytest.raises(editions.LessonSourceError, match=complaint):
        build_cells(broken, "pt")


def test_an_edition_missing_a_paragraph_is_refused():
    lopsided = {"pt": build_cells(SOURCE, "pt"), "en": build_cells(SOURCE, "en")[1:]}
    with pytest.raises(editions.LessonSourceError, match="counterpart"):
        editions.check_parallel("lesson.py", lopsided)


def test_cell_tags_reach_both_editions_and_the_packages_marks_do_not():
    tagged = SOURCE.replace("# %%\n", '# %% tags=["nbval-ignore-output"] solution=2 shares="f"\n')
    tagged = tagged.replace("# Olá", '# <q id="x.greeting">Olá</q>').replace(
        "# [en] comment", '# [en] <q id="x">comment</q>'
    )
    for language in SOURCE_LANGUAGES:
        cells = build_cells(tagged, language)
        assert cells[1].metadata == {"tags": ["nbval-ignore-output"]}
        assert all("<q " not in cell.source and "</q>" not in cell.source for cell in cells)
    assert [c.source for c in build_cells(tagged, "pt")][0] == "Olá"


def test_cell_ids_are_stable_and_unique():
    taken = set()
    first = editions.cell_id("code", "x", taken)
    assert editions.cell_id("code", "x", taken) == f"{first}-2"
    assert editions.cell_id("code", "x", set()) == first


def test_stored_outputs_keep_the_static_picture_of_a_widget_but_not_its_live_view():
    widget_output = {
        "output_type": "execute_result",
        "execution_count": 1,
        "metadata": {},
        "data": {
            "text/plain": "a = 1.541",
            "image/png": "iVBORw0KGgo=",
            editions.WIDGET_VIEW: {"model_id": "0f3c", "version_major": 2, "version_minor": 0},
        },
    }
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("explorer", outputs=[widget_output])])
    stored = editions.without_widget_views(notebook).cells[0].outputs[0]["data"]
    assert sorted(stored) == ["image/png", "text/plain"]


def test_no_stored_notebook_points_at_a_widget_model():
    for pair in lesson_pairs():
        for path in pair:
            text = path.read_text(encoding="utf-8")
            assert editions.WIDGET_VIEW not in text and '"widgets"' not in text, path.name


def test_lesson_code_has_no_docstrings_a_learner_would_read_in_the_other_language():
    """Code is written once, so text inside it (docstrings) would reach one edition untranslated;
    explanations in code go in tagged comment pairs instead."""
    import ast

    for lesson in editions.lesson_sources():
        for cell in sources.read(lesson):
            if cell.kind != "code":
                continue
            for node in ast.walk(ast.parse(cell.source)):
                if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                    assert ast.get_docstring(node) is None, f"{lesson.name}: docstring in {node.name}"


def test_pieces_of_one_stream_are_joined():
    """Printed text split by the kernel's flush timing is stored as one output, so builds match."""
    import nbformat

    cell = nbformat.v4.new_code_cell("print(1); print(2)")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="1\n"),
        nbformat.v4.new_output("stream", name="stdout", text="2\n"),
        nbformat.v4.new_output("stream", name="stderr", text="warning\n"),
        nbformat.v4.new_output("stream", name="stdout", text="3\n"),
    ]
    notebook = editions.merged_streams(nbformat.v4.new_notebook(cells=[cell]))
    assert [(o["name"], o["text"]) for o in notebook.cells[0].outputs] == [
        ("stdout", "1\n2\n"),
        ("stderr", "warning\n"),
        ("stdout", "3\n"),
    ]


# The tooling's own words (tools.catalogue): the top cells' and the site's.


def test_the_tooling_catalogue_has_every_language_and_names_the_tool_that_shows_each_text():
    # Its completeness and fields are checked with every other catalogue (tests/test_i18n.py).
    assert set(catalogue.MESSAGES) == set(LANGUAGES)
    for key in catalogue.MESSAGES[DEFAULT_LANGUAGE]:
        assert key.startswith(("editions.", "site.")), f"{key}: keys name the tool that shows them"


def test_a_language_the_tooling_lacks_gets_the_default_languages_words():
    assert catalogue.message("editions.open_in_colab", "zz") == catalogue.message(
        "editions.open_in_colab", DEFAULT_LANGUAGE
    )
    assert {catalogue.message("editions.this_edition", language) for language in LANGUAGES} == {
        catalogue.MESSAGES[language]["editions.this_edition"] for language in LANGUAGES
    }


def test_the_top_cells_are_written_in_each_editions_language():
    for language in LANGUAGES:
        header = editions.header_text("01_autograd", language)
        assert catalogue.message("editions.open_in_colab", language) in header
        others = [other for other in LANGUAGES if other != language]
        assert all(catalogue.message("editions.this_edition", other) in header for other in others)
        setup = " ".join(line.lstrip("# ") for line in editions.colab_setup_code(language).splitlines())
        assert catalogue.message("editions.colab_setup", language) in setup


def test_the_readme_lists_every_notebook_as_the_build_writes_it():
    from tools import readme

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.updated(text) == text, "the README's table of notebooks is stale: run python3 tasks.py build"
    table = readme.notebook_table()
    for lesson_source in editions.lesson_sources():
        for language in LANGUAGES:
            assert f"(notebooks/{language}/{lesson_source.stem}.ipynb)" in table
    with pytest.raises(ValueError, match="no table"):
        readme.updated("# a README without the marks\n")
