"""Lesson 4: autograd in depth (notebook 04), with its exercises (05) and worked solutions (06).

Its claims quote the lesson's own sentences, marked ``<q id="…">`` in
``source/04_autograd_in_depth.py``. The exercises' inputs are imported from here, e.g.
``from autograd_lessons.lessons.in_depth import X1, forward1``.
"""

from autograd_lessons.course import Lesson

LESSON = Lesson(
    number=4,
    package=__name__,
    notebooks=("04_autograd_in_depth", "05_exercises_in_depth", "06_solutions_in_depth"),
    cells="section",
    solutions="06_solutions_in_depth",
)
