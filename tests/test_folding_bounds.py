"""Block folding where its rules draw the line between one repeated block and none.

tests/test_folding_edges.py pins each rule of folding.py on small rows. These pin, on graphs
built to stress one rule each (from torch code where torch makes the shape), what the folded
picture shows:

- inputs of two instances pair up by slot and output, not by where their edges stand in the
  graph's list (a folded graph lists the edges it re-targeted after the others);
- a repeated computation read by many readers is framed all the same: each reader's own path
  runs down the same repetition, and those copies do not crowd out the block;
- the steps of a loop stay framed when two stacks read every step, in the same order, reversed
  or rotated, and when one stack reads, where the other reads a step's node, a lookalike node
  that both stacks read (a node two readers share is never taken for an instance);
- a step that reads two parameters is no repetition of a step that reads one parameter twice:
  no frame, and every parameter keeps its own leaf box.
"""

from __future__ import annotations

import pytest
import torch

from autograd_lessons.folding import fold, fold_blocks
from autograd_lessons.graph import Edge, Graph, Group, Node, trace
from invariants import check_invariants


def frames(graph: Graph) -> list[Group]:
    return [g for g in graph.groups if g.kind == "repeat"]


def kept_ops(graph: Graph, frame: Group) -> list[str]:
    """The operations (or kinds) of the boxes a frame keeps, sorted."""
    return sorted(graph.nodes[m].op or graph.nodes[m].kind for m in frame.members)


# --------------------------------------------------------------------------- inputs pair by slot


def twice_times_w(listing: str) -> Graph:
    """(x * w) * w: two products, each reading w's AccumulateGrad at slot 1; the inner one
    reads x's at slot 0. `listing` is the order of the inner product's edges in the graph:
    "by slot", or "weight first" (as a folded graph lists an edge re-targeted from below)."""
    nodes = (
        Node(0, "op", op="SumBackward0"),
        Node(1, "op", op="MulBackward0"),
        Node(2, "op", op="MulBackward0"),
        Node(3, "op", op="AccumulateGrad"),
        Node(4, "leaf", name="x"),
        Node(5, "op", op="AccumulateGrad"),
        Node(6, "leaf", name="w"),
    )
    inner = [Edge(2, 3, 0), Edge(2, 5, 1)]
    if listing == "weight first":
        inner.reverse()
    edges = (Edge(0, 1, 0), Edge(1, 2, 0), Edge(1, 5, 1), *inner, Edge(3, 4, 0), Edge(5, 6, 0))
    return Graph(nodes, edges)


@pytest.mark.parametrize("listing", ["by slot", "weight first"])
def test_inputs_pair_up_by_slot_whatever_order_the_edges_are_listed_in(listing):
    """The two products are one block × 2 either way: the weight (slot 1 of both) is shared,
    and x's AccumulateGrad (slot 0 of the inner one, listed first or last) is what comes below,
    never taken for the weight's next instance."""
    raw = twice_times_w(listing)
    folded = fold(raw, max_boxes=5, min_repeat=2)
    check_invariants(raw, folded, max_boxes=5)
    (frame,) = frames(folded)
    assert (frame.repeat, frame.covers, kept_ops(folded, frame)) == (2, (1, 2), ["MulBackward0"])
    assert [(n.op, n.members) for n in folded.nodes] == [
        ("SumBackward0", (0,)),
        ("MulBackward0", (1,)),
        ("AccumulateGrad", (3, 4)),
        ("AccumulateGrad", (5, 6)),
    ]


# --------------------------------------------------------------------------- many readers

RECURRENCE = 8  # additions of a, b = b, a + b
RECURRENCE_PERIOD = 2  # an instance holds two additions: each reaches only the next instance


def recurrence_read_by(readers: int) -> Graph:
    """a, b = b, a + b, RECURRENCE times (from x and sin(x)); then `readers` products b * w_i,
    each with its own weight, stacked and summed."""
    torch.manual_seed(0)
    x = torch.randn(3, requires_grad=True)
    a, b = x, torch.sin(x)
    for _ in range(RECURRENCE):
        a, b = b, a + b
    products = [b * torch.randn(3, requires_grad=True) for _ in range(readers)]
    return trace(torch.stack(products).sum())


@pytest.mark.parametrize("readers", [1, 8, 12])
def test_a_recurrence_is_framed_however_many_products_read_it(readers):
    """The additions fold into one frame × 4 of two additions, whether one product reads the
    recurrence or a dozen: a dozen readers are a dozen paths down the same additions, and the
    search still reaches the block."""
    raw = recurrence_read_by(readers)
    folded = fold_blocks(raw, max_boxes=1)
    check_invariants(raw, folded, max_boxes=len(raw.nodes))
    (frame,) = frames(folded)
    instances = RECURRENCE // RECURRENCE_PERIOD
    assert (frame.repeat, kept_ops(folded, frame)) == (instances, ["AddBackward0"] * RECURRENCE_PERIOD)
    assert len(frame.covers) == RECURRENCE
    assert len(folded.nodes) == len(raw.nodes) - (instances - 1) * RECURRENCE_PERIOD


# --------------------------------------------------------------------------- stacks of every step

STEPS = 3


def stacked_steps(first: str, second: str) -> Graph:
    """STEPS steps h = sin(h) from x, then two stacks, summed: `first` and `second` name what
    each stacks, in order: hj is the state after step j counted from the last (h0 the newest),
    vj is tanh(hj * 2), s is tanh(x) (an operation like the vj, but no step's)."""
    torch.manual_seed(0)
    x = torch.randn(3, requires_grad=True)
    h, states = x, []
    for _ in range(STEPS):
        h = torch.sin(h)
        states.append(h)
    items = {"s": torch.tanh(x)}
    for j, state in enumerate(reversed(states)):
        items[f"h{j}"] = state
        items[f"v{j}"] = torch.tanh(state * 2)
    one = torch.stack([items[name] for name in first.split()])
    two = torch.stack([items[name] for name in second.split()])
    return trace(one.sum() + two.sum())


SIN = ["SinBackward0"]
SIN_AND_TANH = ["MulBackward0", "SinBackward0", "TanhBackward0", "cut"]  # h * 2 reads a cut 2


@pytest.mark.parametrize(
    ("first", "second", "step"),
    [
        ("h0 h1 h2", "h0 h1 h2", SIN),
        ("h0 h1 h2", "h2 h1 h0", SIN),
        ("h0 h1 h2", "h1 h2 h0", SIN),
        ("h0 v0 h1 v1 h2 v2", "h1 v1 h2 v2 h0 v0", SIN_AND_TANH),
        ("h0 s v0 h1 v1 h2 v2", "h1 s s v0 h0 v1 h2 v2", SIN_AND_TANH),
    ],
    ids=["same order", "reversed", "rotated", "rotated with tanh", "shared lookalike"],
)
def test_the_steps_are_framed_when_two_stacks_read_every_step(first, second, step):
    """Both stacks read every step, so the steps fold into one frame × STEPS (the kept step
    inside, the stacks and tanh(x) outside) whatever order the second stack reads them in; the
    second stack reading tanh(x) where the first reads the newest step's tanh does not make
    that tanh stand for tanh(x), which both stacks share."""
    raw = stacked_steps(first, second)
    folded = fold_blocks(raw, max_boxes=1)
    check_invariants(raw, folded, max_boxes=len(raw.nodes))
    (frame,) = frames(folded)
    assert (frame.repeat, kept_ops(folded, frame)) == (STEPS, step)
    assert len(frame.covers) == STEPS * len(step)
    assert len(folded.nodes) == len(raw.nodes) - (STEPS - 1) * len(step)
    assert [n.op for n in folded.nodes].count("StackBackward0") == 2
    if "s" in first:
        assert sum(n.op == "TanhBackward0" for n in folded.nodes) == 2  # tanh(x) and the kept step's


# --------------------------------------------------------------------------- parameters


def two_parameters_after_one_twice() -> Graph:
    """x * b, then addcmul(·, b, b), then · * b, then addcmul(·, a, c): the two pairs of
    operations look alike, but the last reads two parameters where the first reads b twice."""
    torch.manual_seed(0)
    x, a, b, c = (torch.randn(3, requires_grad=True) for _ in range(4))
    y = torch.addcmul(x * b, b, b)
    y = torch.addcmul(y * b, a, c)
    return trace(y.sum())


def test_a_step_reading_two_parameters_is_no_repetition_of_one_reading_a_parameter_twice():
    """No frame: a frame would show the kept step's parameters for the hidden step's, and no
    parameter's leaf stands for another's; x, a, b and c keep a leaf box each."""
    raw = two_parameters_after_one_twice()
    folded = fold_blocks(raw, min_repeat=2, max_boxes=1)
    check_invariants(raw, folded, max_boxes=len(raw.nodes))
    assert not frames(folded)
    assert sorted(n.name for n in folded.nodes if n.kind == "leaf") == ["a", "b", "c", "x"]
    assert len(folded.nodes) == len(raw.nodes)
