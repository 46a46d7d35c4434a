"""How the layout counts and reduces edge crossings, and where nested module frames put their rows.

Pinned here: `crossings(graph, layer, x)` counts the pairs of edges whose straight segments
cross at one point inside both (touching, shared ends and collinear overlaps are not
crossings), checked against an exact count done independently with fractions on many small
graphs, and for positions given as any numeric array; `layout(route=False)` reports the
crossings of the picture it returns; a graph with a repeated-block frame whose best order has
no crossing is laid out with none, the frame's boxes side by side in every row; and a module
nested in another adds no empty row.
"""

from __future__ import annotations

import random
from fractions import Fraction
from itertools import combinations

import numpy as np
import pytest
import torch

from autograd_lessons import record_modules, trace
from autograd_lessons.drawing import crossings, group_paths, layers, layout
from autograd_lessons.graph import Edge, Graph, Group, Node


def graph_of(n: int, pairs, groups=()) -> Graph:
    """A graph of n operation nodes joined by the (source, target) pairs."""
    nodes = tuple(Node(i, "op", op="MulBackward0") for i in range(n))
    return Graph(nodes, tuple(Edge(s, t, k) for k, (s, t) in enumerate(pairs)), groups=tuple(groups))


def exact_crossings(pairs, layer, x) -> int:
    """Pairs of distinct edges whose segments meet at a single point strictly inside both, in
    exact arithmetic: (x, -layer) + t * direction for t in the open interval (0, 1)."""
    points = [(Fraction(x[i]), Fraction(-layer[i])) for i in range(len(layer))]
    count = 0
    for (a, b), (c, d) in combinations(sorted(set(pairs)), 2):
        (px, py), (qx, qy) = points[a], points[b]
        (rx, ry), (sx, sy) = points[c], points[d]
        ux, uy, vx, vy = qx - px, qy - py, sx - rx, sy - ry
        denominator = ux * vy - uy * vx
        if denominator == 0:  # parallel or collinear: never one crossing point
            continue
        t = ((rx - px) * vy - (ry - py) * vx) / denominator
        u = ((rx - px) * uy - (ry - py) * ux) / denominator
        count += 0 < t < 1 and 0 < u < 1
    return count


def random_case(rng: random.Random):
    """A few edges between nodes on a small grid of rows and positions, so that shared ends,
    touching points and collinear edges are frequent."""
    n = rng.randint(2, 7)
    pairs = [(rng.randrange(n), rng.randrange(n)) for _ in range(rng.randint(1, 6))]
    pairs = [(a, b) for a, b in pairs if a != b] or [(0, 1)]
    layer = [rng.randrange(4) for _ in range(n)]
    x = [rng.randrange(-2, 3) / rng.choice([1, 1, 2]) for _ in range(n)]
    return n, pairs, layer, x


@pytest.mark.parametrize(
    ("pairs", "layer", "x", "expected"),
    [
        pytest.param([], [0, 1], [0, 0], 0, id="no edge"),
        pytest.param([(0, 1)], [0, 1], [0, 0], 0, id="one edge"),
        pytest.param([(0, 3), (1, 2)], [0, 0, 1, 1], [0, 1, 0, 1], 1, id="two edges crossing"),
        pytest.param([(0, 2), (1, 3)], [0, 0, 1, 1], [0, 1, 0, 1], 0, id="two parallel edges"),
        pytest.param([(0, 2), (0, 3)], [0, 1, 1, 1], [0, 0, -1, 1], 0, id="shared end"),
        pytest.param([(0, 1), (2, 3)], [0, 2, 1, 2], [0, 2, 1, 0], 0, id="an end on the other edge"),
        pytest.param([(2, 3), (0, 1)], [1, 2, 0, 2], [1, 0, 0, 2], 0, id="an end on the other edge, swapped"),
        pytest.param([(0, 1), (2, 3)], [0, 2, 0, 1], [0, 2, 2, 1], 0, id="the edges meet at an end"),
        pytest.param([(0, 1), (2, 3)], [0, 2, 1, 3], [0, 2, 1, 3], 0, id="collinear overlap"),
        pytest.param(
            [(0, 5), (1, 4), (2, 3)], [0, 0, 0, 1, 1, 1], [0, 1, 2, 0, 1, 2], 3, id="three edges all crossing"
        ),
        pytest.param([(0, 4), (1, 3), (2, 5)], [0, 0, 0, 1, 1, 1], [0, 1, 2, 0, 1, 2], 1, id="one crossing of three"),
        pytest.param([(0, 3), (1, 2), (1, 2)], [0, 0, 1, 1], [0, 1, 0, 1], 1, id="a repeated edge counts once"),
    ],
)
def test_crossings_of_small_pictures_counted_by_hand(pairs, layer, x, expected):
    """Two edges cross when their segments meet at one point inside both; touching, a shared
    box or a common line is not a crossing."""
    graph = graph_of(len(layer), pairs)
    assert crossings(graph, layer, x) == expected
    assert exact_crossings(pairs, layer, x) == expected


def test_crossings_agree_with_an_exact_count_on_many_small_graphs():
    """The vectorised count equals the exact one for any layers and positions."""
    rng = random.Random(20240607)
    for _ in range(400):
        n, pairs, layer, x = random_case(rng)
        graph = graph_of(n, pairs)
        assert crossings(graph, layer, x) == exact_crossings(pairs, layer, x), (pairs, layer, x)


@pytest.mark.parametrize("dtype", [np.uint8, np.uint32, np.uint64, np.int16])
def test_crossings_accept_positions_and_rows_as_any_integer_array(dtype):
    """Positions or rows given as unsigned or small integer arrays count like plain numbers."""
    rng = random.Random(7)
    for _ in range(150):
        n, pairs, layer, _ = random_case(rng)
        x = [rng.randrange(0, 5) for _ in range(n)]
        graph = graph_of(n, pairs)
        expected = exact_crossings(pairs, layer, x)
        assert crossings(graph, layer, np.array(x, dtype=dtype)) == expected, (pairs, layer, x)
        assert crossings(graph, np.array(layer, dtype=dtype), x) == expected, (pairs, layer, x)


def test_straight_layout_reports_the_crossings_of_its_picture():
    """layout(route=False) says how many crossings its own straight picture has, and never more
    than its first ordering had."""
    rng = random.Random(11)
    for _ in range(60):
        n = rng.randint(3, 9)
        pairs = sorted({(rng.randrange(t), t) for t in range(1, n) for _ in range(rng.choice([1, 2]))})
        graph = graph_of(n, pairs)
        lay = layout(graph, route=False)
        assert lay.crossings_after == crossings(graph, lay.layer, lay.x) == exact_crossings(pairs, lay.layer, lay.x)
        assert lay.crossings_after <= lay.crossings_before


def test_a_crossed_pair_of_straight_edges_is_untangled():
    """output -> (a, b), a -> d, b -> c: the first order (c, d) crosses once, the layout none."""
    graph = graph_of(5, [(0, 1), (0, 2), (1, 4), (2, 3)])
    lay = layout(graph, route=False)
    assert (lay.crossings_before, lay.crossings_after) == (1, 0)
    assert crossings(graph, lay.layer, lay.x) == 0
    assert lay.order == ((0,), (1, 2), (4, 3))


def framed_skip() -> Graph:
    """output 0 -> 1 -> 2 -> 3 with a skip 0 -> 3, and 1 -> 4 -> 5; a repeated-block frame
    holds 3 and 4 (rows 3 and 2)."""
    pairs = [(0, 1), (1, 2), (2, 3), (0, 3), (1, 4), (4, 5)]
    return graph_of(6, pairs, [Group("repeat", "× 3", (3, 4), repeat=3)])


def contiguous(row, members) -> bool:
    where = [k for k, i in enumerate(row) if i in members]
    return not where or where == list(range(where[0], where[-1] + 1))


def test_a_framed_graph_whose_best_order_has_no_crossing_gets_none():
    """With a frame, the sweeps still find the uncrossed order, and the frame's slots stay side
    by side in every row."""
    graph = framed_skip()
    lay = layout(graph)
    assert lay.layer == (0, 1, 2, 3, 2, 3)
    assert lay.crossings_before == 1
    assert lay.crossings_after == 0
    assert lay.rows == ((0,), (1, 6), (4, 2, 7), (5, 3))
    group_of_slot = [set(p) for p in lay.paths]
    for row in lay.rows:
        assert contiguous(row, {i for i in row if 0 in group_of_slot[i]})
    assert group_paths(graph)[1] == ((), (), (), (0,), (0,), ())


def test_the_same_framed_graph_is_laid_out_the_same_every_time():
    """Layout is deterministic: the same graph gives the same rows."""
    assert layout(framed_skip()) == layout(framed_skip())


class Block(torch.nn.Module):
    """sin, then a Tanh submodule: the block's frame holds the Tanh's frame and one box more."""

    def __init__(self):
        super().__init__()
        self.act = torch.nn.Tanh()

    def forward(self, x):
        return self.act(torch.sin(x))


def test_a_module_nested_in_another_adds_no_empty_row():
    """sum(Block(x)): the chain Sum -> Tanh (in 0.act, inside 0) -> Sin (in 0) -> AccumulateGrad
    -> x takes five consecutive rows."""
    model = torch.nn.Sequential(Block())
    x = torch.randn(3, requires_grad=True)
    with record_modules(model):
        y = model(x).sum()
    graph = trace(y, modules=model)
    assert [n.op for n in graph.nodes][:3] == ["SumBackward0", "TanhBackward0", "SinBackward0"]
    assert [(g.members, g.parent) for g in graph.groups] == [((1, 2), None), ((1,), 0)]
    assert layers(graph) == [0, 1, 2, 3, 4]
    assert layout(graph).layer == (0, 1, 2, 3, 4)
