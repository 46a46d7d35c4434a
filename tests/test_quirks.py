"""Library warnings about torch's own internals stay out of lesson outputs, and only those."""

from __future__ import annotations

import subprocess
import sys
import warnings

import torch

from autograd_lessons import quirks

FIRST_JVP = """
import torch
import {module}
torch.func.jvp(torch.tanh, (torch.ones(2),), (torch.ones(2),))
"""


def first_jvp_after(module: str) -> subprocess.CompletedProcess:
    """A fresh interpreter (forward mode not loaded yet) where any warning is an error."""
    return subprocess.run(
        [sys.executable, "-W", "error", "-c", FIRST_JVP.format(module=module)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_the_quirk_the_first_jvp_warns():
    """The check below must be able to fail: torch itself raises the warning on its first jvp."""
    done = first_jvp_after("math")
    assert done.returncode != 0 and "torch.jit.script" in done.stderr, done.stderr[-400:]


def test_lesson_modules_that_use_forward_mode_keep_the_first_jvp_silent():
    for module in (
        "autograd_lessons.course.lesson1.exercises",
        "autograd_lessons.course.lesson4.claims",
        "autograd_lessons.course.lesson4.exercises",
    ):
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
