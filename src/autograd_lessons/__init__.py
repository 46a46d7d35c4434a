"""Helpers for the autograd lessons: messages in the learner's language, and more to come.

Importing the package is cheap: it does not import torch, matplotlib or ipywidgets until a
helper that needs them is used.
"""

from autograd_lessons.i18n import LessonError, get_language, set_language

__all__ = ["LessonError", "get_language", "set_language"]
__version__ = "0.1.0"
