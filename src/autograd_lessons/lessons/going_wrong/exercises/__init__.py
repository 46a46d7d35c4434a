"""The exercises of lesson 3 (notebook 03_exercises_gone_wrong, solutions in 03_solutions_gone_wrong):
training steps that are broken, to fix.

Each exercise shows a broken piece of a training step (a loss that turns NaN, a loss that never
reaches the model, …) and asks for the fixed piece. The checker runs the answer on inputs of its
own, never shown to the learner, runs the backward pass itself, and compares values and
gradients with float64 formulas; the typical wrong fixes (an ε that changes the loss, a new leaf
made with requires_grad=True, …) each get their own hint, naming the real cause. Every exercise
also asks why the step broke, as a lettered choice whose wrong options name their misconception.

The public constants and broken functions are for trying an answer in the notebook; the checkers
use private copies and private generators, so changing the public ones changes nothing here.
"""

import torch

from autograd_lessons.lessons.going_wrong import LESSON
from autograd_lessons.lessons.going_wrong.exercises import exploding, leaves_and_memory, nan_and_cuts
from autograd_lessons.lessons.going_wrong.exercises.exploding import X6, Y6, broken6, model6
from autograd_lessons.lessons.going_wrong.exercises.leaves_and_memory import (
    BATCHES5,
    Z4,
    broken3,
    broken4,
    broken5,
    model5,
)
from autograd_lessons.lessons.going_wrong.exercises.nan_and_cuts import A1, B1, X2, Y2, broken1, broken2

# The lesson's own diagnosis of a model's gradients (§ 1) and measure of a graph (§ 6), as its
# notebook defines them.
grad_report = LESSON.shared("grad_report", {"torch": torch})
graph_size = LESSON.shared("graph_size", {"torch": torch})

MODULES = (nan_and_cuts, leaves_and_memory, exploding)

__all__ = [
    "A1",
    "B1",
    "BATCHES5",
    "MODULES",
    "X2",
    "X6",
    "Y2",
    "Y6",
    "Z4",
    "broken1",
    "broken2",
    "broken3",
    "broken4",
    "broken5",
    "broken6",
    "grad_report",
    "graph_size",
    "model5",
    "model6",
]
