"""Lesson 3, when gradients go wrong: every claim of the lesson, each checked independently, one
module per group of sections (registered in the lesson's order when this package is imported).

Each claim judges a sentence of the lesson's own text (the passage marked ``<q id="l3.<name>">``
in the section's markdown of ``source/03_autograd_gone_wrong.py``) or answers a question of the
lesson's own. The checks never take autograd's word for itself: they use float64 formulas and
finite differences, one-sided slopes, the subgradient inequality, a second count (walking the
graph, a pack hook, a FLOP counter), and the type and words of the error or warning PyTorch
really raises. Every claim takes keyword inputs whose defaults are the lesson's values, so that a
test can pass inputs that make it false.
"""

from autograd_lessons.lessons.going_wrong.claims import breakers, leaves, memory, numerics, scale

# The modules, in the order of the sections they check.
MODULES = (numerics, breakers, leaves, memory, scale)

__all__ = ["MODULES"]
