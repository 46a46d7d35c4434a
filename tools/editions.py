"""Build the notebooks of every lesson, one per language, from its one source per notebook.

A lesson's notebooks have their sources in its folder, ``source/NN_name.py`` (see
`autograd_lessons.course` and `autograd_lessons.sources`): jupytext "percent" scripts whose
Markdown cells carry ``lang="pt"`` or ``lang="en"`` (no tag: every edition). Code is written once;
a comment line that starts with ``# [pt]`` or ``# [en]`` goes only to that edition, and every such
comment needs its counterpart in the other languages right beside it. The first code cell calls
``set_language("…")``; each edition gets its own language there. Cell tags (such as
``tags=["nbval-ignore-output"]`` for a cell whose output is a time measurement) are kept; the
marks a lesson's package reads from its sources (``<q id="…">…</q>`` around a quoted passage, a
cell's ``solution=N`` or ``shares="f"``) are left out of the notebooks. Every edition also starts
with two cells the build writes, the same for every lesson: a row of links (open it in Colab or
Binder, read it in the other languages) and, before the lesson's first code, a cell that installs
the package when, and only when, it runs on Google Colab; and every notebook of the course ends
with a cell of links to the notebooks before and after it, in course order, and to the other
notebooks of its lesson. Both editions are then executed so that
they are stored with their outputs, which nbval compares on every test run.

    python -m tools.editions [--no-execute] [path/to/source/NN_name.py ...]

Run from the repository root (`python3 tasks.py build` does). The words of the top cells come
from the tooling's own catalogue (`tools.catalogue`), in the language of each edition.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

from autograd_lessons import course, sources
from autograd_lessons.i18n import LANGUAGES
from autograd_lessons.sources import LessonSourceError, localise_code, strip_marks
from tools import links, readme
from tools.catalogue import message

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
SET_LANGUAGE = re.compile(r"""set_language\((["'])[a-z]{2}\1\)""")
HEADER_TAG = "course-header"  # the row of links the build puts first in every notebook
COLAB_SETUP_TAG = "colab-setup"  # the build's cell that installs the package on Colab, and only there
FOOTER_TAG = "course-footer"  # the links to the notebooks before and after this one, and its lesson's others, last
NOTEBOOK_FOLDER = "notebooks"  # where the editions are stored in the repository; links point there
README = "README.md"  # its table of notebooks is written by the build (tools.readme)
COMMENT_WIDTH = 96  # the setup cell's comment is wrapped to the width of the lessons' own code
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
}


@dataclass(frozen=True)
class Edition:
    """One language's notebook of one lesson, and where it is stored."""

    language: str
    path: Path
    notebook: dict


def cell_id(cell_type: str, source: str, taken: set[str]) -> str:
    """A stable id from the cell's content, so inserting a cell does not renumber the rest."""
    base = hashlib.sha1(f"{cell_type}\n{source}".encode()).hexdigest()[:8]
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate


def edition_cells(source_cells: list, language: str, lesson: str, languages: tuple[str, ...] = LANGUAGES) -> list[dict]:
    """The cells of one edition (unexecuted) from the cells of the lesson source."""
    import nbformat

    cells, taken, first_code = [], set(), True
    for index, cell in enumerate(source_cells):
        where = f"{lesson}, cell {index + 1}"
        lang = cell.metadata.get("lang")
        if lang is not None and lang not in languages:
            raise LessonSourceError(f"{where}: unknown lang={lang!r}")
        if lang not in (None, language):
            continue
        text = strip_marks(cell.source)
        if cell.kind == "code":
            if lang is not None:
                raise LessonSourceError(f"{where}: code is written once; do not tag code cells")
            text = localise_code(text, language, where, languages)
            if first_code:
                if len(SET_LANGUAGE.findall(text)) != 1:
                    raise LessonSourceError(f"{where}: the first code cell must call set_language once")
                text = SET_LANGUAGE.sub(f'set_language("{language}")', text)
                first_code = False
            new = nbformat.v4.new_code_cell(text)
        elif cell.kind == "markdown":
            new = nbformat.v4.new_markdown_cell(text)
        else:
            new = nbformat.v4.new_raw_cell(text)
        new["id"] = cell_id(new.cell_type, text, taken)
        if cell.metadata.get("tags"):  # e.g. nbval-ignore-output on a cell that measures time
            new.metadata["tags"] = list(cell.metadata["tags"])
        cells.append(new)
    return cells


def header_text(stem: str, language: str, languages: tuple[str, ...] = LANGUAGES) -> str:
    """The links row of one edition: open it in Colab or Binder, read it in each other language."""
    path = f"{NOTEBOOK_FOLDER}/{language}/{stem}.ipynb"
    parts = [
        f"[{message('editions.open_in_colab', language)}]({links.colab_url(path)})",
        f"[{message('editions.open_in_binder', language)}]({links.binder_url(path)})",
    ]
    parts += [
        f"[{message('editions.this_edition', other)}](../{other}/{stem}.ipynb)"
        for other in languages
        if other != language
    ]
    return " · ".join(parts)


def colab_setup_code(language: str) -> str:
    """Install the package from the repository on Colab; anywhere else (nbval, Binder, a laptop) do nothing.

    --no-deps keeps Colab's own torch, matplotlib and ipywidgets: replacing torch would download
    gigabytes and break the torchvision installed beside it.
    """
    comment = textwrap.wrap(message("editions.colab_setup", language), COMMENT_WIDTH - 2)
    return "\n".join(
        [f"# {line}" for line in comment]
        + [
            "import sys",
            "",
            'if "google.colab" in sys.modules:',
            "    import subprocess",
            "",
            '    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",',
            f'                    "{links.install_requirement()}"], check=True)',
        ]
    )


def with_top_cells(cells: list[dict], stem: str, language: str, languages: tuple[str, ...] = LANGUAGES) -> list[dict]:
    """`cells` with the links row first and the Colab setup cell before the first code cell."""
    import nbformat

    taken = {cell["id"] for cell in cells}
    header = nbformat.v4.new_markdown_cell(header_text(stem, language, languages))
    setup = nbformat.v4.new_code_cell(colab_setup_code(language))
    for cell, tag in ((header, HEADER_TAG), (setup, COLAB_SETUP_TAG)):
        cell["id"] = cell_id(cell.cell_type, cell.source, taken)
        cell.metadata["tags"] = [tag]
    first_code = next((i for i, cell in enumerate(cells) if cell.cell_type == "code"), len(cells))
    return [header, *cells[:first_code], setup, *cells[first_code:]]


def footer_text(source: Path, language: str) -> str | None:
    """The links at the end of a notebook: the one before and the one after it in the course,
    then every notebook of its lesson (None for a source that is not part of the course)."""
    order = [path.resolve() for path in lesson_sources()]
    source = source.resolve()  # a source named on the command line may be a relative path
    if source not in order:
        return None
    index = order.index(source)

    def link(other: Path) -> str:
        return f"[{readme.title_of(other, language)}]({other.stem}.ipynb)"

    steps = []
    if index > 0:
        steps.append(message("editions.previous", language, link=link(order[index - 1])))
    if index + 1 < len(order):
        steps.append(message("editions.next", language, link=link(order[index + 1])))
    lesson = next(lesson for lesson in course.lessons() if source.stem in lesson.notebooks)
    companions = [link(lesson.source_path(stem)) for stem in lesson.notebooks if stem != source.stem]
    lines = [" · ".join(steps)]
    if companions:
        lines.append(message("editions.this_lesson", language, links=" · ".join(companions)))
    return "\n\n".join(line for line in lines if line)


def with_footer(cells: list[dict], source: Path, language: str) -> list[dict]:
    """`cells` with the course's links last (unchanged for a source outside the course)."""
    import nbformat

    text = footer_text(source, language)
    if text is None:
        return cells
    footer = nbformat.v4.new_markdown_cell(text)
    footer["id"] = cell_id(footer.cell_type, footer.source, {cell["id"] for cell in cells})
    footer.metadata["tags"] = [FOOTER_TAG]
    return [*cells, footer]


def check_parallel(lesson: str, editions: dict[str, list[dict]]) -> None:
    """Both editions must have the same sequence of cell kinds, so neither lacks a paragraph."""
    kinds = {lang: [c["cell_type"] for c in cells] for lang, cells in editions.items()}
    if len({tuple(k) for k in kinds.values()}) != 1:
        raise LessonSourceError(
            f"{lesson}: the editions differ in cell layout; give every markdown cell "
            f"a counterpart in the other language ({ {k: len(v) for k, v in kinds.items()} } cells)"
        )


def new_notebook(cells: list[dict]) -> dict:
    import nbformat

    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata = {"kernelspec": dict(KERNELSPEC), "language_info": dict(LANGUAGE_INFO)}
    return notebook


def execute(notebook: dict, workdir: Path, timeout: int = 600) -> dict:
    """Run every cell in a fresh kernel started in `workdir`, storing the outputs."""
    from nbclient import NotebookClient

    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        record_timing=False,
        store_widget_state=False,
        resources={"metadata": {"path": str(workdir)}},
    )
    client.execute()
    # The kernel reports its exact Python version; leave it out so builds match across machines.
    notebook.metadata["language_info"] = dict(LANGUAGE_INFO)
    return without_widget_views(merged_streams(notebook))


def merged_streams(notebook: dict) -> dict:
    """Join each cell's consecutive pieces of one stream (stdout or stderr) into one output.

    The kernel flushes printed text in pieces whose boundaries depend on timing (a busy machine
    splits one cell's output in two); joined, the stored notebook is the same on every build.
    """
    for cell in notebook.cells:
        merged = []
        for output in cell.get("outputs", []):
            previous = merged[-1] if merged else None
            if (
                output.get("output_type") == "stream"
                and previous is not None
                and previous.get("output_type") == "stream"
                and previous.get("name") == output.get("name")
            ):
                previous["text"] = previous["text"] + output["text"]
                continue
            merged.append(output)
        if "outputs" in cell:
            cell["outputs"] = merged
    return notebook


def without_widget_views(notebook: dict) -> dict:
    """Drop live-widget views from stored outputs, keeping their static picture and text.

    A stored view points at a widget model that exists only while its kernel runs; opened
    later, it would show an error instead of the picture. Running the cell brings it back.
    """
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            output.get("data", {}).pop(WIDGET_VIEW, None)
    return notebook


def lesson_editions(
    source: Path, out_dir: Path, run: bool = True, languages: tuple[str, ...] = LANGUAGES
) -> list[Edition]:
    """The editions of the lesson in `source`, one per language, executed unless `run` is false.

    `languages` defaults to i18n.LANGUAGES, the editions the project ships; a source written
    for other languages (a translation being tried out) names its own.
    """
    lesson = source.name
    source_cells = sources.read(source)
    per_language = {lang: edition_cells(source_cells, lang, lesson, languages) for lang in languages}
    check_parallel(lesson, per_language)
    editions = []
    for lang, cells in per_language.items():
        path = out_dir / lang / f"{source.stem}.ipynb"
        notebook = new_notebook(with_footer(with_top_cells(cells, source.stem, lang, languages), source, lang))
        if run:
            path.parent.mkdir(parents=True, exist_ok=True)
            execute(notebook, path.parent)
        editions.append(Edition(lang, path, notebook))
    return editions


def write(edition: Edition) -> None:
    import nbformat

    edition.path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.validate(edition.notebook)
    with open(edition.path, "w", encoding="utf-8", newline="\n") as handle:
        nbformat.write(edition.notebook, handle)


def lesson_sources() -> list[Path]:
    """The source of every notebook of every lesson, in course order (the course knows where).

    The one place the build and the tests ask for them.
    """
    return [lesson.source_path(notebook) for lesson in course.lessons() for notebook in lesson.notebooks]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("lessons", nargs="*", type=Path, help="lesson sources (default: all)")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project root")
    parser.add_argument("--no-execute", action="store_true", help="write without running")
    args = parser.parse_args(argv)
    chosen = args.lessons or lesson_sources()
    if not chosen:
        parser.error(f"no lessons found: {course.broken_note() or 'none registered'}")
    for source in chosen:
        try:
            editions = lesson_editions(source, args.root / NOTEBOOK_FOLDER, run=not args.no_execute)
        except LessonSourceError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        for edition in editions:
            write(edition)
            print(f"wrote {edition.path.relative_to(args.root)}")
    if readme.update(args.root / README):
        print(f"wrote the table of notebooks in {README}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
