"""Lesson 1: the "Automatic Differentiation" section of Dive into Deep Learning, through a
learner's annotated run of it (notebook 01_autograd), with its exercises and worked solutions.

Its claims quote the run's own words: comments marked ``<q id="…">`` in ``source/01_autograd.py``,
an output or a line of code. Its helpers for the notebooks — the explorers, the demonstrations
beside the verdicts, the function ``f`` of In [20] and the exercises' inputs — are imported from
here, e.g. ``from autograd_lessons.lessons.autograd import control_flow_explorer``.
"""

from autograd_lessons.course import Lesson, lazy_exports

LESSON = Lesson(
    number=1,
    package=__name__,
    notebooks=("01_autograd", "01_exercises", "01_solutions"),
    cells="run",
    solutions="01_solutions",
)

# What the notebooks import from the lesson, and the module each lives in (loaded on first use,
# so that declaring the lesson imports no torch).
EXPORTS = {
    "control_flow": "maths",
    "f": "maths",
    "control_flow_explorer": "explorers",
    "vjp_explorer": "explorers",
    "sample_control_flow": "claims",
    "shared_storage_demo": "claims",
    "median_seconds": "exercises",
    "plot_label": "exercises",
    "X1": "exercises",
    "X6": "exercises",
    "X8": "exercises",
    "V8": "exercises",
    "U8": "exercises",
    "f5": "exercises",
    "f8": "exercises",
}

__getattr__, __dir__ = lazy_exports(__name__, EXPORTS)
