"""Lesson 4, build your own autograd: every claim of the lesson, each checked independently, one
module per group of sections (registered in the lesson's order when this package is imported).

Each claim judges a sentence of the lesson's own text (the passage marked ``<q id="l4.<name>">``
in the section's markdown of ``source/04_build_your_own_autograd.py``). An engine never judges
itself: its gradients are compared with PyTorch's autograd and torch.func, with float64 formulas
and finite differences, and its passes are counted. Where the lesson writes the engine in the
notebook (§ 1 to § 4), the claims run the notebook's own definitions (cells marked ``shares=``);
from § 3 on, the reference engine (`autograd_lessons.lessons.own_autograd.engine`). Every claim
takes keyword inputs whose defaults are the lesson's values (and its engine), so that a test can
pass inputs, or a broken engine, that make it false.
"""

from autograd_lessons.lessons.own_autograd.claims import rules, whole

# The modules, in the order of the sections they check.
MODULES = (rules, whole)

__all__ = ["MODULES"]
