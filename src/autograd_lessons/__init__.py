"""Helpers for the autograd lessons: graph pictures, claim checks, messages in two languages.

Importing the package is cheap: it does not import torch, matplotlib or ipywidgets until a
helper that needs them is used.
"""

from autograd_lessons.i18n import LessonError, get_language, set_language

__all__ = [
    "LessonError",
    "backward_stepper",
    "backward_steps",
    "check",
    "compare",
    "describe_figures",
    "draw",
    "draw_side_by_side",
    "get_language",
    "hint",
    "record_modules",
    "set_language",
    "solution",
    "trace",
    "verify",
    "verify_cell",
]
__version__ = "0.1.0"

# Helpers that need torch or matplotlib, imported on first use (PEP 562).
_LAZY = {
    "trace": "autograd_lessons.graph",
    "draw": "autograd_lessons.drawing",
    "draw_side_by_side": "autograd_lessons.drawing",
    "describe_figures": "autograd_lessons.drawing",
    "backward_steps": "autograd_lessons.steps",
    "record_modules": "autograd_lessons.modules",
    "verify": "autograd_lessons.claims",
    "verify_cell": "autograd_lessons.claims",
    "compare": "autograd_lessons.verdicts",
    "check": "autograd_lessons.exercises",
    "hint": "autograd_lessons.exercises",
    "solution": "autograd_lessons.exercises",
    "backward_stepper": "autograd_lessons.widgets",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'autograd_lessons' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
