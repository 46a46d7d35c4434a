"""Lesson 2: autograd in depth (notebook 02_autograd_in_depth), with its exercises and worked solutions.

Its claims quote the lesson's own sentences, marked ``<q id="…">`` in
``source/02_autograd_in_depth.py``. The exercises' inputs are imported from here, e.g.
``from autograd_lessons.lessons.in_depth import X1, forward1``.
"""

from autograd_lessons.course import Lesson

LESSON = Lesson(
    number=2,
    package=__name__,
    notebooks=("02_autograd_in_depth", "02_exercises_in_depth", "02_solutions_in_depth"),
    cells="section",
    solutions="02_solutions_in_depth",
)
