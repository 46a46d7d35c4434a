"""The cells the build puts in every notebook: the links row, the Colab-only install, the course's links last."""

from __future__ import annotations

import re
import subprocess
import sys
import types
import urllib.parse
from pathlib import Path

import pytest

from autograd_lessons import course
from helpers import LANGUAGES, NOTEBOOKS, ROOT, code_cells, read_notebook, source
from tools import editions, links, readme

NOTEBOOK_PATHS = sorted(path for language in LANGUAGES for path in (NOTEBOOKS / language).glob("*.ipynb"))


def tagged(notebook: dict, tag: str) -> list[int]:
    return [i for i, cell in enumerate(notebook["cells"]) if tag in cell.get("metadata", {}).get("tags", [])]


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_notebook_starts_with_its_links_and_installs_before_its_first_code(path):
    notebook = read_notebook(path)
    language, relative = path.parent.name, path.relative_to(ROOT).as_posix()
    assert tagged(notebook, editions.HEADER_TAG) == [0], "the links row comes first, once"
    header = source(notebook["cells"][0])
    assert f"]({links.colab_url(relative)})" in header and f"]({links.binder_url(relative)})" in header
    for other in LANGUAGES:
        if other != language:
            twin = f"../{other}/{path.name}"
            assert f"]({twin})" in header and (path.parent / twin).is_file()
    setup = tagged(notebook, editions.COLAB_SETUP_TAG)
    first_code = next(i for i, cell in enumerate(notebook["cells"]) if cell["cell_type"] == "code")
    assert setup == [first_code], "the install cell is the first code cell, once"
    cell = notebook["cells"][first_code]
    assert cell["outputs"] == [], "off Colab the install cell prints nothing"
    assert source(cell) == editions.colab_setup_code(language)


def test_binder_and_colab_addresses_name_the_notebook_on_the_branch():
    path = "notebooks/pt/01_autograd.ipynb"
    assert links.colab_url(path).endswith(f"/github/{links.REPOSITORY}/blob/{links.BRANCH}/{path}")
    query = urllib.parse.urlparse(links.binder_url(path)).query
    assert urllib.parse.parse_qs(query) == {"urlpath": [f"lab/tree/{path}"]}
    for bad in ("", "/abs/x.ipynb", "notebooks\\pt\\x.ipynb", "notebooks/../x.ipynb"):
        with pytest.raises(ValueError):
            links.colab_url(bad)


def run_setup_cell(monkeypatch, *, on_colab: bool) -> list[list[str]]:
    """Execute the setup cell's code with subprocess.run recorded instead of run."""
    calls = []
    monkeypatch.setattr(subprocess, "run", lambda command, **options: calls.append((command, options)))
    if on_colab:
        monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    exec(compile(editions.colab_setup_code("en"), "<setup>", "exec"), {})
    return calls


def test_setup_cell_does_nothing_off_colab(monkeypatch):
    assert run_setup_cell(monkeypatch, on_colab=False) == []


def test_setup_cell_on_colab_installs_the_package_and_keeps_colabs_torch(monkeypatch):
    [(command, options)] = run_setup_cell(monkeypatch, on_colab=True)
    assert command[:4] == [sys.executable, "-m", "pip", "install"]
    assert "--no-deps" in command, "Colab's own torch, matplotlib and ipywidgets must stay"
    assert command[-1] == links.install_requirement() == f"autograd-lessons @ git+{links.REPOSITORY_URL}@{links.BRANCH}"
    assert options == {"check": True}


def test_the_install_cell_is_the_same_code_in_every_edition():
    from helpers import strip_comments

    codes = {language: strip_comments(editions.colab_setup_code(language)) for language in LANGUAGES}
    assert len({tuple(code) for code in codes.values()}) == 1
    assert all(editions.colab_setup_code(language).startswith("# ") for language in LANGUAGES)


def test_code_cells_helper_sees_the_setup_cell():
    notebook = read_notebook(NOTEBOOK_PATHS[0])
    assert editions.COLAB_SETUP_TAG in code_cells(notebook)[0]["metadata"]["tags"]


def test_every_notebook_ends_with_the_notebooks_around_it_and_its_lessons_others():
    order = [path.stem for path in editions.lesson_sources()]
    lessons = {stem: lesson.notebooks for lesson in course.lessons() for stem in lesson.notebooks}
    for language in LANGUAGES:
        for index, stem in enumerate(order):
            path = NOTEBOOKS / language / f"{stem}.ipynb"
            notebook = read_notebook(path)
            assert tagged(notebook, editions.FOOTER_TAG) == [len(notebook["cells"]) - 1], f"{path}: last, once"
            footer = source(notebook["cells"][-1])
            targets = re.findall(r"\]\(([^)]+\.ipynb)\)", footer)
            assert all((path.parent / target).is_file() for target in targets), targets
            expected_steps = [order[i] for i in (index - 1, index + 1) if 0 <= i < len(order)]
            others = [other for other in lessons[stem] if other != stem]
            assert [Path(t).stem for t in targets] == expected_steps + others, (path, targets)
            for other in expected_steps + others:  # each link shows the title the other notebook has
                title = readme.title_of(editions.lesson_sources()[order.index(other)], language)
                assert f"[{title}]({other}.ipynb)" in footer
            arrows = ("←" in footer, "→" in footer)
            assert arrows == (index > 0, index + 1 < len(order)), (path, arrows)


def test_a_source_named_by_a_relative_path_gets_the_same_footer(monkeypatch):
    source = editions.lesson_sources()[1]
    monkeypatch.chdir(ROOT)
    assert editions.footer_text(source.relative_to(ROOT), "en") == editions.footer_text(source, "en") is not None


def test_a_source_outside_the_course_gets_no_footer(tmp_path):
    stray = tmp_path / "01_stray.py"
    stray.write_text("# %% [markdown]\n# # A stray notebook\n", encoding="utf-8")
    assert editions.footer_text(stray, "en") is None
    assert readme.title_of(stray, "en") == "A stray notebook"
