"""Lesson 4: build your own autograd — a small reverse-mode engine on tensors, checked against PyTorch
(notebook 04_build_your_own_autograd), with its exercises and worked solutions.

The learner writes the engine that lesson 1 showed from the outside: a value that remembers the
values it was computed from and the rule that sends its gradient back to them, a backward pass
that runs those rules in reverse topological order, and the same algebra in forward mode.
``engine`` is the worked engine, the reference a learner's engine is compared with;
``programs`` holds the hidden programs, replayed on the learner's engine and on PyTorch's
autograd, and `programs.diagnose`, which names the first operation whose rule is wrong and the
typical mistake behind it. The pictures of a hand-written engine's graph come from the framework
(`autograd_lessons.engine_graph`), which knows no lesson. The lesson's claims (``claims/``) quote
its own sentences, marked ``<q id="l4.…">`` in ``source/04_build_your_own_autograd.py``, and
check each against PyTorch's autograd, torch.func, float64 formulas or a count.
"""

from autograd_lessons.course import Lesson

LESSON = Lesson(
    number=4,
    package=__name__,
    notebooks=("04_build_your_own_autograd", "04_exercises_own_autograd", "04_solutions_own_autograd"),
    cells="section",
    solutions="04_solutions_own_autograd",
)
