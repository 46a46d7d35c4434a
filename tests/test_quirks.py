"""Library warnings about torch's own internals stay out of lesson outputs, and only those."""

from __future__ import annotations

import re
import subprocess
import sys
import warnings
from pathlib import Path

import torch

import autograd_lessons
from autograd_lessons import quirks

FIRST_JVP = """
import torch
import {module}
torch.func.jvp(torch.tanh, (torch.ones(2),), (torch.ones(2),))
"""
# The lesson modules whose checks use forward mode (jvp, jacfwd, dual numbers).
FORWARD_MODE_MODULES = (
    "autograd_lessons.lessons.autograd.claims",
    "autograd_lessons.lessons.autograd.exercises",
    "autograd_lessons.lessons.in_depth.claims.functions_and_modes",
    "autograd_lessons.lessons.in_depth.exercises",
    "autograd_lessons.lessons.own_autograd.instructions",
    "autograd_lessons.lessons.own_autograd.claims.whole",
)


def first_jvp_after(module: str) -> subprocess.CompletedProcess:
    """A fresh interpreter (forward mode not loaded yet) where any warning is an error."""
    return subprocess.run(
        [sys.executable, "-W", "error", "-c", FIRST_JVP.format(module=module)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def modules_that_load_forward_mode() -> set[str]:
    """Every module of the package that calls quirks.load_forward_mode() at import."""
    package = Path(autograd_lessons.__file__).parent
    found = set()
    for path in package.rglob("*.py"):
        if path.name != "quirks.py" and re.search(r"(?m)^load_forward_mode\(\)", path.read_text(encoding="utf-8")):
            relative = path.relative_to(package.parent).with_suffix("")
            found.add(".".join(relative.parts))
    return found


def test_without_the_quirk_the_first_jvp_warns():
    """The check below must be able to fail: torch itself raises the warning on its first jvp."""
    done = first_jvp_after("math")
    assert done.returncode != 0 and "torch.jit.script" in done.stderr, done.stderr[-400:]


def test_every_module_that_loads_forward_mode_is_checked_below():
    assert modules_that_load_forward_mode() == set(FORWARD_MODE_MODULES)


def test_lesson_modules_that_use_forward_mode_keep_the_first_jvp_silent():
    for module in FORWARD_MODE_MODULES:
        done = first_jvp_after(module)
        assert done.returncode == 0, f"{module}: {done.stderr[-400:]}"


def add_one(x: torch.Tensor) -> torch.Tensor:
    return x + 1


def test_a_learners_own_jit_script_still_warns():
    quirks.load_forward_mode()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        torch.jit.script(add_one)
    assert any("torch.jit.script" in str(w.message) for w in caught), "the filter must not outlive the import"
