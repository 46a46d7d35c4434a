"""Lesson 2, autograd in depth: every claim of the lesson, each checked independently, one module per
group of sections (registered in the lesson's order when this package is imported).

Each claim judges a sentence of the lesson's own text (the passage marked ``<q id="l2.<name>">``
in the section's markdown of ``source/02_autograd_in_depth.py``) or answers a question of the
lesson's own; where the lesson's notebook defines the code a claim is about (its Softplus, its two
ways of building a Jacobian), the claim runs that very code. The checks never compare autograd
with itself: they use analytic formulas, float64 finite differences, gradcheck (which
is finite differences too), a second mechanism (version counters, saved-tensor hooks, counting
the graph's saved values), the type and words of the error PyTorch raises, or measured times
with a wide margin. Every claim takes keyword inputs whose defaults are the lesson's values, so
that a test can pass inputs (or replace one of the module's formulas) that make it false.
"""

from autograd_lessons.lessons.in_depth.claims import accumulation, functions_and_modes, inplace_and_hooks, memory

# The modules, in the order of the sections they check.
MODULES = (accumulation, memory, inplace_and_hooks, functions_and_modes)

__all__ = ["MODULES"]
