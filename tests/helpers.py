"""Shared readers for the notebook tests: lessons, editions, code without comments, prose."""

from __future__ import annotations

import configparser
import io
import json
import re
import socket
import tokenize
from pathlib import Path

from autograd_lessons.i18n import LANGUAGES  # noqa: F401 - the tests' language list is the package's
from tools.editions import COLAB_SETUP_TAG, FOOTER_TAG, HEADER_TAG

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"


def read_notebook(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    text = cell["source"]
    return text if isinstance(text, str) else "".join(text)


def code_cells(notebook: dict) -> list[dict]:
    return [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]


def added_by_the_build(cell: dict) -> bool:
    """The links row, the Colab setup cell and the course's links at the end, which the build puts
    in every notebook."""
    return bool({HEADER_TAG, COLAB_SETUP_TAG, FOOTER_TAG} & set(cell.get("metadata", {}).get("tags", [])))


def lesson_code_cells(notebook: dict) -> list[dict]:
    """The code cells the lesson's source wrote (the build's Colab setup cell left out)."""
    return [cell for cell in code_cells(notebook) if not added_by_the_build(cell)]


def lesson_pairs() -> list[tuple[Path, Path]]:
    """(pt, en) notebook paths of every lesson, matched by file name."""
    pt = {p.name: p for p in (NOTEBOOKS / "pt").glob("*.ipynb")}
    en = {p.name: p for p in (NOTEBOOKS / "en").glob("*.ipynb")}
    assert pt.keys() == en.keys(), f"lessons in only one edition: {sorted(pt.keys() ^ en.keys())}"
    return [(pt[name], en[name]) for name in sorted(pt)]


def strip_comments(code: str) -> list[str]:
    """The code's non-blank lines with comments and trailing spaces removed."""
    lines = code.splitlines()
    for token in tokenize.generate_tokens(io.StringIO(code).readline):
        if token.type == tokenize.COMMENT:
            row, col = token.start
            lines[row - 1] = lines[row - 1][:col]
    return [line.rstrip() for line in lines if line.strip()]


def comments(code: str) -> list[str]:
    return [
        token.string.lstrip("#").strip()
        for token in tokenize.generate_tokens(io.StringIO(code).readline)
        if token.type == tokenize.COMMENT
    ]


def text_outputs(cell: dict) -> list[tuple[str, str]]:
    """(output type, text) for every output: text/plain of results, stream text, errors."""
    found = []
    for output in cell.get("outputs", []):
        kind = output["output_type"]
        if kind in ("execute_result", "display_data"):
            data = output["data"].get("text/plain", "")
            found.append((kind, data if isinstance(data, str) else "".join(data)))
        elif kind == "stream":
            text = output["text"]
            found.append((f"stream:{output['name']}", text if isinstance(text, str) else "".join(text)))
        else:
            found.append((kind, output.get("ename", "")))
    return found


def prose(notebook: dict) -> str:
    """What a reader reads as language: markdown and code comments, with code and maths removed."""
    parts = []
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            parts.append(source(cell))
        elif cell["cell_type"] == "code":
            parts.extend(comments(source(cell)))
    return words_only("\n".join(parts))


def words_only(text: str) -> str:
    """`text` without LaTeX, inline code and code-like words (`x.grad`, `gradient=v`)."""
    text = re.sub(r"\$\$.*?\$\$|\$[^$]*\$", " ", text, flags=re.S)
    text = re.sub(r"`[^`]*`", " ", text)
    return re.sub(r"\S*(?:[=_\[<]|\w[.(]\w)\S*", " ", text)


def sanitizers() -> list[tuple[re.Pattern, str]]:
    """The regex/replacement pairs of nbval's sanitize file, to compare outputs the same way."""
    config = configparser.ConfigParser()
    config.read(ROOT / "tests" / "sanitize.cfg", encoding="utf-8")
    return [(re.compile(config[s]["regex"]), config[s]["replace"]) for s in config.sections()]


def sanitize(text: str) -> str:
    for pattern, replacement in sanitizers():
        text = pattern.sub(replacement, text)
    return text


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now (for test servers)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def normalised(text: str) -> str:
    """Text as a reader finds words in it: comment lines joined, markdown marks and extra spaces gone.

    A comment continued on the next line (`…as derivadas\n#parciais…`) reads as one sentence;
    blockquote markers, bold and inline-code backticks are layout, not words.
    """
    text = re.sub(r"\n[ \t]*#+[ \t]?", " ", text)  # comment continuation lines
    text = re.sub(r"(?m)^[ \t]*>[ \t]?", "", text)  # blockquote markers
    text = text.replace("**", "").replace("`", "")
    return re.sub(r"\s+", " ", text).strip()
