#!/usr/bin/env python3
"""Set up the project in a local virtual environment, then open the lessons, test them or publish them.

    python3 tasks.py lab     set up, then open JupyterLab on notebooks/ (127.0.0.1, with a token)
    python3 tasks.py test    set up, then run every test (unit tests, nbval on every notebook, browsers,
                             lint), spread over the cores
    python3 tasks.py build   set up, then rebuild and execute both editions of every lesson
    python3 tasks.py site    set up, then build the static site from the stored notebooks (into _site/)
    python3 tasks.py compat  in .venv-compat, run the tests and every notebook on the newest supported torch
    python3 tasks.py mutation  set up, then mutation-test the judging, folding, sandbox and drawing modules
                             (slow: see benchmarks/results/mutation.md)
    python3 tasks.py setup   only set up (everything the commands above need)

Anything after the command is passed on (to jupyter lab, pytest, the lesson build or the site build);
`python3 tasks.py test -n 0` runs the tests in one process.
Only the standard library is used here, so any Python 3.11+ can run it, on Linux, macOS or Windows.
Setup creates .venv/ beside this file and installs the package with the extras the command needs,
at the exact versions of constraints.txt; it is skipped when nothing it depends on has changed.
AUTOGRAD_LESSONS_PYTHON=/path/to/python runs a command with that interpreter as it is, installing
nothing (for an environment you manage yourself, and for the tests, which must never install into
the interpreter running them).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
PYPROJECT = ROOT / "pyproject.toml"
CONSTRAINTS = ROOT / "constraints.txt"
VENV = Path(os.environ.get("AUTOGRAD_LESSONS_VENV", ROOT / ".venv"))
COMPAT_VENV = Path(os.environ.get("AUTOGRAD_LESSONS_COMPAT_VENV", ROOT / ".venv-compat"))
PYTHON_AS_IS = os.environ.get("AUTOGRAD_LESSONS_PYTHON")
STAMP_NAME = "autograd-lessons.stamp"
# The optional groups of pyproject.toml each command needs. Learners who only open the lessons
# get "lab"; the site's tools come only with the site and test commands.
EXTRAS = {
    "lab": ("lab",),
    "test": ("lab", "test", "site", "mutation"),
    "build": ("lab", "test"),
    "site": ("site",),
    "mutation": ("lab", "test", "mutation"),
    "setup": ("lab", "test", "site", "mutation"),
}
COMPAT_EXTRAS = ("lab", "test")  # the compatibility check runs the tests and notebooks, not the site
# How the test and compat commands spread the tests over the cores (pytest-xdist): one worker per
# core, each taking a whole test module or notebook at a time (--dist loadscope). A notebook's cells
# share one kernel and must run in order in it; a module's fixtures (the built site, a JupyterLab
# server) are then set up once, not once per worker. Modules go out in the order they are collected
# (--no-loadscope-reorder), which puts the longest module (the real-browser tests) first and the
# notebooks last, so that the cores finish close together. Arguments given after the command
# come later and win (`-n 0`: one process).
PARALLEL = ("-n", "auto", "--dist", "loadscope", "--no-loadscope-reorder")
SANITIZE = ROOT / "tests" / "sanitize.cfg"
SANITIZE_VERSIONS = ROOT / "tests" / "sanitize_versions.cfg"


def venv_python(environment: Path = VENV) -> Path:
    scripts = "Scripts" if os.name == "nt" else "bin"
    return environment / scripts / ("python.exe" if os.name == "nt" else "python")


def fingerprint(*parts: str) -> str:
    """What an installed environment must match: the ranges, the pins, the Python, and `parts`."""
    digest = hashlib.sha256(PYPROJECT.read_bytes())
    digest.update(CONSTRAINTS.read_bytes())
    digest.update(sys.version.split()[0].encode())
    for part in parts:
        digest.update(part.encode())
    return digest.hexdigest()


def read_stamp(environment: Path) -> dict:
    try:
        stamp = json.loads((environment / STAMP_NAME).read_text())
    except (OSError, ValueError):
        return {}
    return stamp if isinstance(stamp, dict) else {}


def write_stamp(environment: Path, fingerprint_: str, extras: list[str]) -> None:
    (environment / STAMP_NAME).write_text(json.dumps({"environment": fingerprint_, "extras": extras}))


def create(environment: Path) -> Path:
    # This file runs on whatever python3 the user has, before any environment exists, so the check is
    # not dead code: nothing before it needs Python 3.11 (tomllib is imported where it is used).
    if sys.version_info < (3, 11):  # noqa: UP036
        sys.exit("autograd-lessons needs Python 3.11 or newer.")
    python = venv_python(environment)
    if not python.exists():
        print(f"Creating the virtual environment in {environment} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(environment)
    return python


def pip_install(python: Path, *arguments: object) -> None:
    run([python, "-m", "pip", "install", "--disable-pip-version-check", *arguments])


def setup(extras: tuple[str, ...]) -> Path:
    """The interpreter to run a command with: .venv's, with the package and `extras` installed once."""
    if PYTHON_AS_IS:
        print(
            f"Using {PYTHON_AS_IS} as it is (AUTOGRAD_LESSONS_PYTHON): nothing is installed.",
            file=sys.stderr,
            flush=True,
        )
        return Path(PYTHON_AS_IS)
    python = create(VENV)
    wanted, stamp = fingerprint(), read_stamp(VENV)
    installed = set(stamp.get("extras", ())) if stamp.get("environment") == wanted else set()
    if set(extras) <= installed:
        return python
    every = sorted(installed | set(extras))
    print("Installing the pinned dependencies (first time: a few minutes) ...", flush=True)
    pip_install(python, "-c", CONSTRAINTS, "-e", f".[{','.join(every)}]")
    write_stamp(VENV, wanted, every)
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
    hand_over(
        [
            python,
            "-m",
            "jupyter",
            "lab",
            "--ip=127.0.0.1",
            f"--ServerApp.root_dir={ROOT / 'notebooks'}",
            *as_root,
            *args,
        ]
    )


def test(python: Path, args: list[str]) -> None:
    hand_over([python, "-m", "pytest", *PARALLEL, *args])


# The builders live in tools/ beside this file, outside the installed package; `python -m` run
# from the project root (hand_over's folder) finds them there.
def build(python: Path, args: list[str]) -> None:
    hand_over([python, "-m", "tools.editions", *args])


def site(python: Path, args: list[str]) -> None:
    hand_over([python, "-m", "tools.site", *args])


# The mutation run is a benchmark: its results are recorded, not asserted by the test command.
def mutation(python: Path, args: list[str]) -> None:
    hand_over([python, "benchmarks/mutation.py", *args])


def requirement_name(requirement: str) -> str:
    """`torch==2.14.1` -> `torch`, normalised as pip compares names."""
    name = requirement.split(";")[0]
    for separator in "=<>!~[ ":
        name = name.split(separator)[0]
    return name.strip().lower().replace("_", "-")


def installed_versions(python: Path, names: list[str]) -> dict[str, str]:
    script = "import importlib.metadata as m, json, sys; print(json.dumps({n: m.version(n) for n in sys.argv[1:]}))"
    output = subprocess.run([str(python), "-c", script, *names], capture_output=True, text=True, check=True)
    return json.loads(output.stdout)


def compat(args: list[str]) -> None:
    """Install the newest supported releases, then the package beside them, then run the tests.

    The package must install into an environment that already has those releases without
    replacing any of them (that is what a learner's own environment, or Colab, looks like); the
    rest comes from constraints.txt. Then every unit test (browsers, the site, lint and the wheel
    aside) and every notebook run there, spread over the cores as the test command spreads them,
    compared with the stored outputs except for text that depends on the versions
    (tests/sanitize_versions.cfg).
    """
    import tomllib  # Python 3.11+: imported here, so that an older Python gets create()'s message

    newest = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["autograd-lessons"]["newest-supported"]
    names = [requirement_name(requirement) for requirement in newest]
    python = create(COMPAT_VENV)
    wanted = fingerprint(*newest, *COMPAT_EXTRAS)
    if read_stamp(COMPAT_VENV).get("environment") != wanted:
        print(f"Installing {', '.join(newest)} ...", flush=True)
        pip_install(python, *newest)
        before = installed_versions(python, names)
        others = COMPAT_VENV / "constraints-without-newest.txt"
        others.write_text(
            "".join(
                line + "\n"
                for line in CONSTRAINTS.read_text(encoding="utf-8").splitlines()
                if requirement_name(line) not in names
            ),
            encoding="utf-8",
        )
        print("Installing the package beside them ...", flush=True)
        pip_install(python, "-c", others, "-e", f".[{','.join(COMPAT_EXTRAS)}]")
        after = installed_versions(python, names)
        if after != before:
            sys.exit(f"Installing the package replaced {before} with {after}; it must keep them.")
        write_stamp(COMPAT_VENV, wanted, list(COMPAT_EXTRAS))
    sanitize = COMPAT_VENV / "sanitize.cfg"
    sanitize.write_text(
        SANITIZE.read_text(encoding="utf-8") + "\n" + SANITIZE_VERSIONS.read_text(encoding="utf-8"), encoding="utf-8"
    )
    print(f"Testing on {installed_versions(python, names)} ...", flush=True)
    os.environ.pop("AUTOGRAD_LESSONS_REQUIRE_BROWSER", None)
    # Browsers, the site and the repository's own checks (lint, the wheel) are the main run's job:
    # none depends on the torch release.
    hand_over(
        [
            python,
            "-m",
            "pytest",
            *PARALLEL,
            "-m",
            "not browser and not site and not tooling",
            f"--nbval-sanitize-with={sanitize}",
            *args,
        ]
    )


COMMANDS = {
    "lab": lab,
    "test": test,
    "build": build,
    "site": site,
    "mutation": mutation,
    "setup": lambda python, args: None,
}


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in {*COMMANDS, "compat"}:
        sys.exit(__doc__)
    command, args = argv[0], argv[1:]
    if args[:1] == ["--"]:
        args = args[1:]
    if command == "compat":
        compat(args)
    else:
        COMMANDS[command](setup(EXTRAS[command]), args)


if __name__ == "__main__":
    main(sys.argv[1:])
