"""The code passes the linter and is formatted, as ruff checks them with the settings of pyproject.toml.

The test command runs this, so a change that breaks either fails like any other test. To fix:

    .venv/bin/ruff check --fix .        (then fix by hand what it cannot)
    .venv/bin/ruff format .
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT

# The repository's own checks: independent of torch, so `python3 tasks.py compat` leaves them out.
pytestmark = pytest.mark.tooling

RUFF_TIMEOUT = 120  # seconds; ruff takes well under one on this code, far more only if something hangs
CLEAN = '"""A module."""\n\nVALUE = 1\n'
# An unused import (F401) and an ambiguous name (E741), written as the formatter would not write them.
DIRTY = "import os\nl=[ 1,2 ]\n"


def ruff(*arguments: str, cwd: Path = ROOT) -> list[dict]:
    """Run the environment's ruff with the project's settings; its findings, as ruff reports them
    (JSON: file, code, message, place). --no-cache: the tests write nothing into the working tree."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            *arguments,
            "--no-cache",
            "--output-format",
            "json",
            "--config",
            str(ROOT / "pyproject.toml"),
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=RUFF_TIMEOUT,
    )
    assert done.returncode in (0, 1), f"ruff {arguments[0]} did not run:\n{done.stderr}"
    return json.loads(done.stdout or "[]")


def lint_findings(*paths: str, cwd: Path = ROOT) -> list[str]:
    """`ruff check`'s findings, one line each: file:row:column code message."""
    return [
        f"{relative(f['filename'], cwd)}:{f['location']['row']}:{f['location']['column']} {f['code']} {f['message']}"
        for f in ruff("check", *paths, cwd=cwd)
    ]


def unformatted_files(*paths: str, cwd: Path = ROOT) -> list[str]:
    """The files `ruff format` would change."""
    return sorted({relative(f["filename"], cwd) for f in ruff("format", "--check", *paths, cwd=cwd)})


def relative(filename: str, cwd: Path) -> str:
    path = Path(filename)
    return path.relative_to(cwd).as_posix() if path.is_relative_to(cwd) else filename


def by_file(findings: list[str]) -> str:
    """The findings grouped under the files they are in, most findings first."""
    files: dict[str, list[str]] = {}
    for finding in findings:
        files.setdefault(finding.split(":")[0], []).append(finding)
    ordered = sorted(files.items(), key=lambda item: (-len(item[1]), item[0]))
    return "\n".join(f"{name} ({len(lines)}):\n" + "\n".join(f"  {line}" for line in lines) for name, lines in ordered)


def test_the_code_passes_the_linter():
    findings = lint_findings(".")
    assert not findings, (
        f"ruff check finds {len(findings)} problem(s); `.venv/bin/ruff check --fix .` fixes some, "
        f"the rest by hand:\n{by_file(findings)}"
    )


def test_the_code_is_formatted():
    files = unformatted_files(".")
    assert not files, f"{len(files)} file(s) not formatted; run `.venv/bin/ruff format .`:\n" + "\n".join(files)


def test_the_checks_pass_clean_code_and_name_the_dirty_file(tmp_path):
    (tmp_path / "clean.py").write_text(CLEAN, encoding="utf-8")
    assert lint_findings(".", cwd=tmp_path) == []
    assert unformatted_files(".", cwd=tmp_path) == []
    (tmp_path / "dirty.py").write_text(DIRTY, encoding="utf-8")
    codes = {finding.split()[1] for finding in lint_findings(".", cwd=tmp_path) if finding.startswith("dirty.py:")}
    assert {"F401", "E741"} <= codes
    assert unformatted_files(".", cwd=tmp_path) == ["dirty.py"]
