"""Lesson 4, exercises 1 to 5: the reverse-mode engine, piece by piece — the rules of sub, neg, div and
pow (§ 2); of exp, log, tanh and relu (§ 2); sum, mean and summing a broadcast gradient back to its
operand's shape (§ 3, § 4); the matrix product (§ 5); and backward() itself (§ 3).

Each answer is a class, the exercise's starter subclassed with the missing methods written (or an
engine of the learner's own); the checker plugs those methods into the reference engine and runs
`programs.diagnose` on the programs that use them. Besides the typical mistakes the diagnosis names,
each exercise recognises the slips of its own rules (a lost sign, a missing factor, …) on the probe
that tries the operation alone, and gives each its hint.
"""

from __future__ import annotations

import torch

from autograd_lessons.exercises import Wrong, choice, keys
from autograd_lessons.lessons.own_autograd import LESSON
from autograd_lessons.lessons.own_autograd.exercises.common import Piece, Value, judged, plugged, starter
from autograd_lessons.lessons.own_autograd.generation import DEEP_DEPTH

exercise = LESSON.exercise

RULES1 = ("__sub__", "__neg__", "__truediv__", "__pow__")
RULES2 = ("exp", "log", "tanh", "relu")
SHAPES3 = ("sum", "mean", "_accumulate")
PIECES = {
    1: Piece(1, Value, RULES1, RULES1, frozenset({"sub", "neg", "div", "pow"})),
    2: Piece(2, Value, RULES2, RULES2, frozenset(RULES2)),
    3: Piece(3, Value, SHAPES3, SHAPES3, None),  # _accumulate: every operation's gradient goes through it
    4: Piece(4, Value, ("__matmul__",), ("__matmul__",), frozenset({"matmul"})),
    # backward, and topological_order if the learner's backward uses one of that name
    5: Piece(5, Value, ("backward",), ("backward", "topological_order"), None, deep=True),
}
Value1, Value2, Value3, Value4, Value5 = (starter(PIECES[n]) for n in range(1, 6))
RIGHT = {1: "a", 2: "c", 3: "b", 4: "a", 5: "c"}  # the letter of each "why?"

# Each slip: (its name, the probe that shows it, the input, the gradient it gives that input as a
# function of the probe's inputs). The single probes run one operation on x = 0.8 and y = -1.7, its
# result the output: the gradient of the result is 1, and each slip gives a number of its own.
SLIPS = {
    1: (
        ("sub_sign", "x - y", "y", lambda x, y: 1.0),
        ("neg_sign", "-x", "x", lambda x: 1.0),
        ("div_sign", "x / y", "y", lambda x, y: x / y**2),
        ("div_quotient", "x / y", "y", lambda x, y: -1 / y**2),
        ("div_quotient", "x / y", "y", lambda x, y: -x / y),
        ("div_quotient", "x / y", "x", lambda x, y: y),
        ("pow_minus_one", "x ** 2.5", "x", lambda x: 2.5 * x**2.5),
        ("pow_factor", "x ** 2.5", "x", lambda x: x**1.5),
    ),
    2: (
        ("exp_input", "x.exp()", "x", lambda x: x),
        ("log_divide", "x.log()", "x", lambda x: x),
        ("tanh_square", "x.tanh()", "x", lambda x: 1 - x.tanh()),
        ("tanh_output", "x.tanh()", "x", lambda x: 1 - x**2),
    ),
    3: (("mean_count", "X.mean()", "X", lambda X: torch.ones_like(X)),),
}


def _engine(number: int, answer: object) -> None:
    answer = keys(answer, "engine", "why")
    engine = plugged(answer["engine"], PIECES[number])
    judged(PIECES[number], engine, SLIPS.get(number, ()), own=_recursion if number == 5 else None)
    choice(answer["why"], RIGHT[number], "abc", f"exercises.l4.{number}.why")


def _recursion(found) -> Wrong | None:
    """A backward pass that walks the graph by recursion: it raises RecursionError on the deep chain."""
    if found.status == "raised" and (found.error or "").startswith("RecursionError"):
        return Wrong("exercises.l4.5.recursion", "exercises.l4.headline.raised", depth=DEEP_DEPTH, error=found.error)
    return None


@exercise(1)
def _check1(answer: object) -> None:
    _engine(1, answer)


@exercise(2)
def _check2(answer: object) -> None:
    _engine(2, answer)


@exercise(3)
def _check3(answer: object) -> None:
    _engine(3, answer)


@exercise(4)
def _check4(answer: object) -> None:
    _engine(4, answer)


@exercise(5)
def _check5(answer: object) -> None:
    _engine(5, answer)


__all__ = ["PIECES", "RIGHT", "SLIPS", "Value1", "Value2", "Value3", "Value4", "Value5"]
