"""Lesson 3: when gradients go wrong (notebook 03_autograd_gone_wrong), with its exercises and worked solutions.

The failures a learner meets when training breaks, each reproduced on a small example, seen (a
graph picture, a step-through, a plot), fixed, and the fix proved by a claim: NaN and infinite
gradients, kinks, operations that cut the graph, leaves gone wrong, memory that grows, trading
compute for memory, exploding and vanishing gradients. Its claims quote the lesson's own
sentences, marked ``<q id="…">`` in ``source/03_autograd_gone_wrong.py``. The exercises' broken
training steps are imported from here, e.g.
``from autograd_lessons.lessons.going_wrong.exercises import broken1``.
"""

from autograd_lessons.course import Lesson

LESSON = Lesson(
    number=3,
    package=__name__,
    notebooks=("03_autograd_gone_wrong", "03_exercises_gone_wrong", "03_solutions_gone_wrong"),
    cells="section",
    solutions="03_solutions_gone_wrong",
)
