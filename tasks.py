#!/usr/bin/env python3
"""Set up the project in a local virtual environment, then open the lessons or test them.

    python3 tasks.py lab     set up, then open JupyterLab on notebooks/ (127.0.0.1, with a token)
    python3 tasks.py test    set up, then run every test (unit tests and nbval on every notebook)
    python3 tasks.py build   set up, then rebuild and execute both editions of every lesson
    python3 tasks.py setup   only set up

Anything after the command is passed on (to jupyter lab, pytest, or the lesson build).
Only the standard library is used here, so any Python 3.11+ can run it, on Linux, macOS
or Windows. Setup creates .venv/ beside this file and installs the pinned dependencies
from pyproject.toml; it is skipped when nothing it depends on has changed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("AUTOGRAD_LESSONS_VENV", ROOT / ".venv"))
STAMP = VENV / "autograd-lessons.stamp"
EXTRAS = "lab,test"


def venv_python() -> Path:
    scripts = "Scripts" if os.name == "nt" else "bin"
    return VENV / scripts / ("python.exe" if os.name == "nt" else "python")


def wanted_stamp() -> str:
    """What the installed environment must match: the pins, the extras and the Python."""
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes())
    digest.update(EXTRAS.encode())
    digest.update(sys.version.split()[0].encode())
    return digest.hexdigest()


def setup() -> Path:
    """Create the virtual environment and install the project into it, once."""
    if sys.version_info < (3, 11):
        sys.exit("autograd-lessons needs Python 3.11 or newer.")
    python = venv_python()
    if not python.exists():
        print(f"Creating the virtual environment in {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    if STAMP.exists() and STAMP.read_text() == wanted_stamp():
        return python
    print("Installing the pinned dependencies (first time: a few minutes) ...", flush=True)
    run([python, "-m", "pip", "install", "--disable-pip-version-check", "-e", f".[{EXTRAS}]"])
    STAMP.write_text(wanted_stamp())
    return python


def run(command: list) -> None:
    """Run a command from the project root; stop with its exit code if it fails."""
    code = subprocess.call([str(part) for part in command], cwd=ROOT)
    if code != 0:
        sys.exit(code)


def hand_over(command: list) -> None:
    """Become `command` (run from the project root), so that Ctrl+C and exit codes reach it."""
    command = [str(part) for part in command]
    os.chdir(ROOT)
    sys.stdout.flush()
    if os.name == "nt":  # Windows has no exec that keeps the console; wait for the child.
        child = subprocess.Popen(command)
        while True:
            try:
                sys.exit(child.wait())
            except KeyboardInterrupt:
                continue
    os.execv(command[0], command)


def lab(python: Path, args: list[str]) -> None:
    # Containers often run as root, where Jupyter refuses to start unless told it is intended.
    as_root = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    hand_over([python, "-m", "jupyter", "lab", "--ip=127.0.0.1",
               f"--ServerApp.root_dir={ROOT / 'notebooks'}", *as_root, *args])


def test(python: Path, args: list[str]) -> None:
    hand_over([python, "-m", "pytest", *args])


def build(python: Path, args: list[str]) -> None:
    hand_over([python, "-m", "autograd_lessons.editions", *args])


COMMANDS = {"lab": lab, "test": test, "build": build, "setup": lambda python, args: None}


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in COMMANDS:
        sys.exit(__doc__)
    command, args = argv[0], argv[1:]
    if args[:1] == ["--"]:
        args = args[1:]
    COMMANDS[command](setup(), args)


if __name__ == "__main__":
    main(sys.argv[1:])
