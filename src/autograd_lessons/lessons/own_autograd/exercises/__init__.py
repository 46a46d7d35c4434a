"""The exercises of lesson 4 (notebook 04_exercises_own_autograd, solutions in 04_solutions_own_autograd):
build the engine piece by piece, then train § 7's network with it.

Each exercise gives a starter — the lesson's engine with the exercise's methods missing (`Value1` …
`Value5`, `Dual6`) — to subclass and complete. The checker plugs the learner's methods into the
reference engine, so that it judges that piece only, runs the hidden programs on it and compares
every gradient (or tangent) with PyTorch's, naming the first wrong operation, the input and by how
much, and the typical mistake behind it. Every exercise also asks why, as a lettered choice whose
wrong options name their misconception. Exercise 7 (`training`) judges a training loop instead: its
loss curve on the learner's engine against PyTorch's, step by step.
"""

from autograd_lessons.lessons.own_autograd.engine import Dual, Value
from autograd_lessons.lessons.own_autograd.exercises import forward, reverse, training
from autograd_lessons.lessons.own_autograd.exercises.forward import Dual6
from autograd_lessons.lessons.own_autograd.exercises.reverse import Value1, Value2, Value3, Value4, Value5
from autograd_lessons.lessons.own_autograd.programs import diagnose

MODULES = (reverse, forward, training)

__all__ = ["MODULES", "Dual", "Dual6", "Value", "Value1", "Value2", "Value3", "Value4", "Value5", "diagnose"]
