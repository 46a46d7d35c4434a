"""Helpers for the autograd lessons: graph pictures, claim checks, messages in two languages.

Importing the package is cheap: it does not import torch, matplotlib or ipywidgets until a
helper that needs them is used.
"""

import sys
import types

from autograd_lessons.i18n import LessonError, get_language, set_language

__all__ = [
    "LessonError",
    "backward_stepper",
    "backward_steps",
    "check",
    "compare",
    "control_flow_explorer",
    "draw",
    "get_language",
    "hint",
    "sample_control_flow",
    "set_language",
    "shared_storage_demo",
    "solution",
    "trace",
    "verify",
    "verify_cell",
    "vjp_explorer",
]
__version__ = "0.1.0"

# Helpers that need torch or matplotlib, imported on first use (PEP 562).
_LAZY = {
    "trace": "autograd_lessons.graph",
    "draw": "autograd_lessons.draw",
    "backward_steps": "autograd_lessons.steps",
    "verify": "autograd_lessons.claims",
    "verify_cell": "autograd_lessons.claims",
    "compare": "autograd_lessons.verdicts",
    "sample_control_flow": "autograd_lessons.course.lesson1.claims",
    "shared_storage_demo": "autograd_lessons.course.lesson1.claims",
    "check": "autograd_lessons.exercises",
    "hint": "autograd_lessons.exercises",
    "solution": "autograd_lessons.exercises",
    "control_flow_explorer": "autograd_lessons.widgets",
    "vjp_explorer": "autograd_lessons.widgets",
    "backward_stepper": "autograd_lessons.widgets",
}


class _Package(types.ModuleType):
    """The package module, keeping each lazy helper bound to the helper, not to its module.

    Importing the submodule `autograd_lessons.draw` (which any helper may do) makes Python bind
    the name `draw` on the package to that module, which would shadow the function `draw` for
    a later `from autograd_lessons import draw`. Here such a binding takes the function instead.
    """

    def __setattr__(self, name: str, value: object) -> None:
        if _LAZY.get(name) == getattr(value, "__name__", None) and isinstance(value, types.ModuleType):
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


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
