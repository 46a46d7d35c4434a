"""A lesson's source files, read at run time: their cells, each language's text, and the marks in them.

Each notebook of a lesson has one source, ``source/NN_name.py`` in the lesson's folder: a jupytext
"percent" script. A cell starts with a ``# %%`` line, ``# %% [markdown] lang="pt"`` for text; the
lines of a text cell are comments (``# …``). Markdown cells carry ``lang="pt"`` or ``lang="en"``;
code is written once, and a comment line that starts with ``# [pt]`` or ``# [en]`` belongs to that
language only (`localise_code`). The edition build turns each source into one notebook per
language; this module reads the same files for what the lesson's package needs while it runs:

- ``<q id="ID">…</q>`` around words in a text cell or in a language's comment marks the passage
  that claim ID judges. A verdict quotes the passage as a reader reads it (`as_read`): comment
  marks, blockquote marks, bold and inline-code backticks left out, lines joined. The edition build
  removes the marks (`strip_marks`), so the notebooks show the words alone.
- ``# %% solution=N`` marks a code cell as the worked solution of exercise N, the code
  ``solution(N)`` shows; the solutions notebook shows the same cell.
- ``# %% shares="f"`` (or ``shares=["f", "g"]``) marks a code cell that defines a function or a
  class the lesson's package uses as well (In [20]'s ``f``): `shared_function` takes it from
  there, so it is written once.

Nothing here imports torch or jupytext: the reader below understands the subset of the percent
format the lessons use, and the tests check that it reads every lesson exactly as jupytext does.
"""

from __future__ import annotations

import ast
import functools
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

CELL_START = re.compile(r"^# %%(?: \[(?P<kind>markdown|raw)\])?(?P<metadata>.*)$")
METADATA_ITEM = re.compile(r"""\s*(?P<key>[A-Za-z_][\w-]*)=(?P<value>"[^"]*"|\[[^\]]*\]|[^\s]+)""")
TAG = re.compile(r"^(?P<indent>\s*)# \[(?P<lang>[a-z]{2})\] ?(?P<text>.*)$")
QUOTE = re.compile(r'<q id="(?P<id>[^"]+)">(?P<words>.*?)</q>', re.DOTALL)
QUOTE_MARK = re.compile(r'<q id="[^"]+">|</q>')


class LessonSourceError(ValueError):
    """A lesson source breaks one of the rules above; the message says where."""


@dataclass(frozen=True)
class Cell:
    """One cell of a lesson source: "code", "markdown" or "raw", its text and its metadata."""

    kind: str
    source: str
    metadata: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def lang(self) -> str | None:
        """The language of a text cell (None: every edition shows it)."""
        value = self.metadata.get("lang")
        return value if isinstance(value, str) else None


def parse(text: str, where: str = "lesson source") -> tuple[Cell, ...]:
    """The cells of a percent script. Blank lines around a cell's text are not part of it."""
    cells: list[tuple[str, dict, list[str]]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        start = CELL_START.match(line)
        if start:
            cells.append((start["kind"] or "code", _metadata(start["metadata"], f"{where}, line {number}"), []))
        elif cells:
            cells[-1][2].append(line)
        elif line.strip():
            raise LessonSourceError(f"{where}, line {number}: text before the first '# %%' cell")
    result = []
    for kind, metadata, lines in cells:
        while lines and not lines[-1].strip():
            lines.pop()
        while lines and not lines[0].strip():
            lines.pop(0)
        if kind != "code":
            lines = [_uncommented(line) for line in lines]
        result.append(Cell(kind, "\n".join(lines), MappingProxyType(metadata)))
    return tuple(result)


def _metadata(text: str, where: str) -> dict[str, object]:
    metadata: dict[str, object] = {}
    rest = text.strip()
    while rest:
        item = METADATA_ITEM.match(rest)
        if item is None:
            raise LessonSourceError(f"{where}: cannot read the cell metadata {rest!r}")
        try:
            metadata[item["key"]] = json.loads(item["value"])
        except ValueError:
            raise LessonSourceError(f"{where}: cannot read the value of {item['key']!r}") from None
        rest = rest[item.end() :].strip()
    return metadata


def _uncommented(line: str) -> str:
    if line.startswith("# "):
        return line[2:]
    return line[1:] if line.startswith("#") else line


@functools.lru_cache(maxsize=32)
def _read_cached(path: Path, stamp: int) -> tuple[Cell, ...]:
    return parse(path.read_text(encoding="utf-8"), path.name)


def read(path: Path) -> tuple[Cell, ...]:
    """The cells of the source at `path` (read again only when the file changed)."""
    path = Path(path)
    return _read_cached(path, path.stat().st_mtime_ns)


# --------------------------------------------------------------------------- languages


def localise_code(code: str, language: str, where: str, languages: Iterable[str]) -> str:
    """Keep the comment lines of `language`, drop the other languages', check they all pair up."""
    languages = tuple(languages)
    kept, pending = [], set()
    for line in code.splitlines():
        tagged = TAG.match(line)
        if tagged:
            if tagged["lang"] not in languages:
                raise LessonSourceError(f"{where}: unknown language tag [{tagged['lang']}]")
            pending.add(tagged["lang"])
            if tagged["lang"] == language:
                kept.append(f"{tagged['indent']}# {tagged['text']}".rstrip())
            continue
        if re.search(r"#\s*\[(" + "|".join(languages) + r")\]", line):
            raise LessonSourceError(f"{where}: a tagged comment must be on a line of its own: {line.strip()!r}")
        if pending and pending != set(languages):
            raise LessonSourceError(f"{where}: comment before {line.strip()!r} exists only in {sorted(pending)}")
        pending = set()
        kept.append(line)
    if pending:
        raise LessonSourceError(f"{where}: tagged comments at the end of a cell")
    return "\n".join(kept)


def edition_texts(cells: Iterable[Cell], language: str, where: str, languages: Iterable[str]) -> list[str]:
    """What a reader of `language` sees of each cell, marks included: that language's text cells
    and every code cell with that language's comments."""
    languages = tuple(languages)
    texts = []
    for index, cell in enumerate(cells):
        if cell.lang not in (None, language):
            continue
        if cell.kind == "code":
            texts.append(localise_code(cell.source, language, f"{where}, cell {index + 1}", languages))
        else:
            texts.append(cell.source)
    return texts


# --------------------------------------------------------------------------- marks


def strip_marks(text: str) -> str:
    """`text` without the quote marks: what a notebook shows."""
    return QUOTE_MARK.sub("", text)


def as_read(words: str) -> str:
    """Marked words as a reader reads them: a comment continued on the next line joins it, and
    blockquote marks, bold and inline-code backticks are layout, not words."""
    words = re.sub(r"\n[ \t]*#+[ \t]?", " ", words)
    words = re.sub(r"(?m)^[ \t]*>[ \t]?", "", words)
    words = words.replace("**", "").replace("`", "")
    return re.sub(r"\s+", " ", words).strip()


def passages(texts: Iterable[str]) -> dict[str, str]:
    """Every marked passage of an edition's texts: claim id -> words as read."""
    found: dict[str, str] = {}
    for text in texts:
        marks = QUOTE_MARK.findall(text)
        if len(marks) != 2 * len(QUOTE.findall(text)) or any(
            QUOTE_MARK.search(m["words"]) for m in QUOTE.finditer(text)
        ):
            raise LessonSourceError(f"a <q id=…> mark is not closed by </q> (or marks are nested) in: {text[:80]!r}")
        for mark in QUOTE.finditer(text):
            if mark["id"] in found:
                raise LessonSourceError(f"the passage {mark['id']!r} is marked twice")
            found[mark["id"]] = as_read(mark["words"])
    return found


def solution_code(cells: Iterable[Cell], number: int, language: str, where: str, languages: Iterable[str]) -> str:
    """The code of the cells marked ``solution=number``, with `language`'s comments, in order."""
    languages = tuple(languages)
    parts = [
        localise_code(cell.source, language, f"{where}, cell {index + 1}", languages)
        for index, cell in enumerate(cells)
        if cell.kind == "code" and cell.metadata.get("solution") == number
    ]
    return "\n\n".join(parts)


def solution_numbers(cells: Iterable[Cell]) -> tuple[int, ...]:
    """The exercises whose worked solution the cells mark, in order."""
    numbers = {cell.metadata["solution"] for cell in cells if isinstance(cell.metadata.get("solution"), int)}
    return tuple(sorted(numbers))


def shares(cell: Cell) -> tuple[str, ...]:
    """The names a code cell marks as shared: ``shares="f"`` or ``shares=["by_rows", "by_columns"]``."""
    value = cell.metadata.get("shares")
    if isinstance(value, str):
        return (value,)
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def shared_function(cells: Iterable[Cell], name: str, namespace: Mapping[str, object]) -> object:
    """The function or class `name` defined in the code cell that marks it shared, run once with
    the names of `namespace` (such as torch) available to it."""
    for cell in cells:
        if cell.kind == "code" and name in shares(cell):
            for node in ast.parse(cell.source).body:
                if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == name:
                    scope = dict(namespace)
                    code = compile(ast.Module([node], type_ignores=[]), f"<lesson source: {name}>", "exec")
                    exec(code, scope)  # the lesson's own code, written once in its source
                    return scope[name]
            raise LessonSourceError(f"the cell that shares {name!r} does not define it")
    raise LessonSourceError(f"no code cell is marked as sharing {name!r} (shares={name!r})")


__all__ = [
    "QUOTE",
    "Cell",
    "LessonSourceError",
    "as_read",
    "edition_texts",
    "localise_code",
    "parse",
    "passages",
    "read",
    "shared_function",
    "shares",
    "solution_code",
    "solution_numbers",
    "strip_marks",
]
