"""Lesson 4's claims of § 6 to § 8: the engine's graph beside PyTorch's, the tiny network trained by
both engines, and forward mode with dual numbers and its cost.

The graph is compared with the one `trace` reads from PyTorch's autograd; the loss curve with the
same training run on PyTorch's autograd; the dual numbers with torch.func.jvp; and the passes are
counted twice, by the notebook's `count_passes` and by wrapping the functions it runs, while the
Jacobians they assemble are compared with torch.func.jacfwd and torch.func.jacrev.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from autograd_lessons.engine_graph import engine_graph
from autograd_lessons.graph import trace
from autograd_lessons.lessons.own_autograd import LESSON, engine
from autograd_lessons.lessons.own_autograd.claims.rules import DTYPE, floats, in_float64, same_shape_compare
from autograd_lessons.numbers import shortest
from autograd_lessons.quirks import load_forward_mode
from autograd_lessons.verdicts import Verdict, agreement, compare, evidence, fact, worst

# The lesson's § 8 cell uses forward mode (torch.func.jvp): keep its import warning out of outputs.
load_forward_mode()

claim = LESSON.claim

# --------------------------------------------------------------------------- § 6 the two graphs

LAYER = {
    "X": ((1.0, -0.5), (0.3, 2.0), (-1.2, 0.7)),
    "W": ((0.5, -1.0, 0.3), (0.8, 0.2, -0.6)),
    "b": (0.1, -0.2, 0.05),
}  # § 6's inputs


def layer_program(X, W, b):
    """§ 6's program: a layer with tanh, and the mean of its output's square (h used twice)."""
    h = (X @ W + b).tanh()
    return (h * h).mean()


def graph_rows(graph) -> tuple[list[tuple], list[tuple]]:
    """A graph's nodes (kind, operation, a leaf's name) and edges (source, target, slot), in order."""
    nodes = [(node.kind, node.op, node.name if node.kind == "leaf" else None) for node in graph.nodes]
    edges = sorted((edge.source, edge.target, edge.slot) for edge in graph.edges)
    return nodes, edges


@claim("l4.same_graph", cell=6, quote="prose")
@in_float64
def _same_graph(program: Callable = layer_program, engine_class: type = engine.Value) -> Verdict:
    """The engine's graph (engine_graph) against PyTorch's (trace) for the same program on the same
    inputs: every node's kind, operation and leaf name, and every edge, in the same order."""
    ours_inputs = {name: engine_class(floats(values)) for name, values in LAYER.items()}
    theirs_inputs = {name: floats(values).requires_grad_(True) for name, values in LAYER.items()}
    ours = engine_graph(program(**ours_inputs), names=ours_inputs)
    with torch.enable_grad():
        theirs = trace(program(**theirs_inputs), names=theirs_inputs)
    our_nodes, our_edges = graph_rows(ours)
    their_nodes, their_edges = graph_rows(theirs)
    for index, (mine, pytorch) in enumerate(zip(our_nodes, their_nodes, strict=False)):
        if mine != pytorch:
            return fact(
                False,
                evidence(
                    "lesson4.evidence.node_differs",
                    index=index,
                    ours=" ".join(str(part) for part in mine if part),
                    theirs=" ".join(str(part) for part in pytorch if part),
                ),
                index=index,
            )
    same = our_nodes == their_nodes and our_edges == their_edges
    operations = ", ".join(op for kind, op, _ in our_nodes if kind == "op" and op != "AccumulateGrad")
    return fact(
        same,
        evidence(
            "lesson4.evidence.graphs",
            nodes=len(our_nodes),
            their_nodes=len(their_nodes),
            edges=len(our_edges),
            their_edges=len(their_edges),
            operations=operations,
        ),
        nodes=(len(our_nodes), len(their_nodes)),
        edges=(len(our_edges), len(their_edges)),
    )


# --------------------------------------------------------------------------- § 7 the tiny network

STEPS, LEARNING_RATE = 100, 0.3  # § 7's training run
# Two right engines round differently at each step (PyTorch fuses some rules, sums in its own
# order), and a step's rounding moves the parameters the later losses are computed from: the
# curves may drift apart by a few ulps per step at most, far below what a wrong rule does (its
# loss differs at the first step by a part in a few).
CURVE_ULPS = STEPS


def train_with(make: Callable, steps: int, learning_rate: float) -> torch.Tensor:
    """The notebook's own train(make, …) (with its network_data), as a float64 tensor of losses."""
    data = LESSON.shared("network_data", {"torch": torch})
    train = LESSON.shared("train", {"torch": torch, "network_data": data})
    return torch.tensor(train(make, steps=steps, learning_rate=learning_rate), dtype=DTYPE)


def pytorch_leaf(tensor: torch.Tensor) -> torch.Tensor:
    return tensor.to(DTYPE).requires_grad_(True)


@claim("l4.mlp_same_curve", cell=7, quote="prose")
@in_float64
def _mlp_same_curve(
    engine_class: type = engine.Value, steps: int = STEPS, learning_rate: float = LEARNING_RATE
) -> Verdict:
    """The notebook's training run on the engine against the same run on PyTorch's autograd (same
    data, initialization, steps and learning rate): the two loss curves, step by step."""
    ours = train_with(engine_class, steps, learning_rate)
    with torch.enable_grad():
        theirs = train_with(pytorch_leaf, steps, learning_rate)
    curve = agreement(
        compare(ours, theirs, tolerance=CURVE_ULPS),
        f"train(engine.Value): {shortest(float(ours[0]))} … {shortest(float(ours[-1]))}",
        f"train(PyTorch): {shortest(float(theirs[0]))} … {shortest(float(theirs[-1]))}",
    )
    counted = fact(len(ours) == STEPS, evidence("lesson4.evidence.steps", steps=len(ours)), steps=len(ours))
    return worst(counted, curve)


# --------------------------------------------------------------------------- § 8 forward mode

X0 = (0.5, -1.0, 2.0, 0.0, 1.5, -0.3)  # § 8's point x0
V = (1.0, 0.0, -1.0, 2.0, 0.5, 1.0)  # § 8's direction v


def lesson_f() -> Callable:
    return LESSON.shared("f", {"torch": torch})


@claim("l4.dual_jvp", cell=8, quote="prose")
@in_float64
def _dual_jvp(x: object = X0, v: object = V, jvp: Callable = engine.jvp) -> Verdict:
    """jvp(f, (x,), (v,)) on dual numbers against torch.func.jvp of the notebook's f: the value and
    the derivative along v."""
    x, v, f = floats(x), floats(v), lesson_f()
    value, tangent = jvp(f, (x,), (v,))
    want_value, want_tangent = torch.func.jvp(f, (x,), (v,))
    return worst(
        same_shape_compare(torch.as_tensor(value, dtype=DTYPE), want_value, "f(x)", "torch.func.jvp"),
        same_shape_compare(torch.as_tensor(tangent, dtype=DTYPE), want_tangent, "J v", "torch.func.jvp"),
    )


# The sentence's counts: (forward-mode passes, backward passes) for the gradient of f and for the
# Jacobian of (f, g), both of the 6 inputs of x0.
GRADIENT_PASSES, JACOBIAN_PASSES = (6, 1), (6, 2)


def counted(function: Callable, calls: dict[str, int]) -> Callable:
    """`function`, noting in `calls` how often it runs on dual numbers and on engine values."""

    def run(x):
        kind = "dual" if isinstance(x, engine.Dual) else "value" if isinstance(x, engine.Value) else "other"
        calls[kind] = calls.get(kind, 0) + 1
        return function(x)

    return run


@claim("l4.pass_counts", cell=8, quote="prose")
@in_float64
def _pass_counts(x: object = X0, functions: tuple | None = None) -> Verdict:
    """The notebook's count_passes for f alone and for (f, g): its counts against the sentence's,
    the runs of each function on dual numbers and on engine values counted again by wrapping it,
    and the Jacobians it assembles against torch.func.jacfwd and torch.func.jacrev."""
    x = floats(x)
    f = lesson_f()
    g = LESSON.shared("g", {"torch": torch})
    count_passes = LESSON.shared("count_passes", {"torch": torch, "engine": engine})
    cases = (([f], GRADIENT_PASSES), ([f, g], JACOBIAN_PASSES)) if functions is None else ((list(functions), None),)
    checks = []
    for chosen, stated in cases:
        calls: dict[str, int] = {}
        passes, by_columns, by_rows = count_passes([counted(fn, calls) for fn in chosen], x)
        stated = stated or (GRADIENT_PASSES if len(chosen) == 1 else JACOBIAN_PASSES)
        found = (passes["forward"], passes["backward"])
        rerun = (calls.get("dual", 0) // len(chosen), calls.get("value", 0))
        checks.append(
            fact(
                found == stated and rerun == stated and calls.get("dual", 0) == stated[0] * len(chosen),
                evidence(
                    "lesson4.evidence.passes",
                    outputs=len(chosen),
                    inputs=len(x),
                    forward=found[0],
                    backward=found[1],
                    dual_runs=calls.get("dual", 0),
                    value_runs=calls.get("value", 0),
                ),
                passes=found,
                stated=stated,
            )
        )

        def stacked(t, chosen=chosen):
            return torch.stack([fn(t) for fn in chosen])

        checks.append(same_shape_compare(by_columns, torch.func.jacfwd(stacked)(x), "J (jvp)", "jacfwd"))
        checks.append(same_shape_compare(by_rows, torch.func.jacrev(stacked)(x), "J (backward)", "jacrev"))
    return worst(*checks)


__all__ = ["GRADIENT_PASSES", "JACOBIAN_PASSES", "layer_program", "pytorch_leaf"]
