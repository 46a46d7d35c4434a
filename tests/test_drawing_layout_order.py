"""How the layout orders each row: what the sweeps reach, what they keep, where frames go.

Pinned here: a routed layout reports the crossings of the rows it returns (two pieces of edges
in one gap cross when their ends come in opposite orders), also past the number of segments
above which straight pictures stop counting; straight pictures count up to exactly that
number; `x` is each node's place in its row, centred on 0; the sweeps go down and up through
every row and reach the fewest crossings possible on graphs that need both directions (counted
here by trying every order); a first order without crossings is kept as it is; one frame
around the whole graph changes no row; frames never interleave and keep one left-to-right
order in every row; the group path of each node; an empty graph; and the smallest font is
MIN_TEXT_PX pixels tall by matplotlib's own conversion.
"""

from __future__ import annotations

import random
from itertools import combinations, pairwise, permutations, product

import pytest
from matplotlib.backends.backend_agg import RendererAgg

from autograd_lessons.drawing import crossings, group_paths, layout
from autograd_lessons.drawing.layout import common
from autograd_lessons.drawing.sizes import CROSSING_LIMIT, MIN_TEXT_PX, min_font_pt
from autograd_lessons.graph import Graph, Group
from test_drawing_crossings import graph_of


def random_dag(rng: random.Random, most: int = 10) -> Graph:
    """A few nodes, each but the first used by one or two earlier ones; sometimes a second
    output (a node nobody uses)."""
    n = rng.randint(4, most)
    pairs = {(rng.randrange(t), t) for t in range(1, n) for _ in range(rng.choice([1, 1, 2]))}
    if rng.random() < 0.5:
        free = rng.randrange(1, n)
        pairs = {(a, b) for a, b in pairs if b != free}
    return graph_of(n, sorted(pairs))


def slot_layers(lay) -> list[int]:
    """The row of every slot: the nodes', then the dummy slots'."""
    return [*lay.layer, *(k for _, k in lay.dummies)]


def pieces(graph: Graph, lay) -> list[tuple[int, int]]:
    """Every piece of every edge, from one slot to the next slot of its chain."""
    found = set()
    for position, edge in enumerate(graph.edges):
        chain = [edge.source, *lay.chains[position], edge.target]
        found.update(pairwise(chain))
    return sorted(found)


def crossings_of_rows(segments, layer, rows) -> int:
    """Pairs of pieces in the same gap whose ends come in opposite orders in the rows."""
    place = {i: p for row in rows for p, i in enumerate(row)}
    return sum(
        layer[a] == layer[c] and (place[a] - place[c]) * (place[b] - place[d]) < 0
        for (a, b), (c, d) in combinations(segments, 2)
    )


def fewest_crossings(graph: Graph, lay) -> int:
    """The fewest crossings any order of the same rows has (every order of every row tried)."""
    segments, layer = pieces(graph, lay), slot_layers(lay)
    return min(crossings_of_rows(segments, layer, rows) for rows in product(*map(permutations, lay.rows)))


def test_a_routed_layout_reports_the_crossings_of_the_rows_it_returns():
    """crossings_after is the count of the picture drawn, whichever gaps its crossings are in
    and however many gaps hold a single piece."""
    rng = random.Random(31)
    for _ in range(300):
        graph = random_dag(rng)
        lay = layout(graph)
        segments, layer = pieces(graph, lay), slot_layers(lay)
        assert lay.crossings_after == crossings_of_rows(segments, layer, lay.rows), graph.edges
        assert lay.crossings_after <= lay.crossings_before


def test_a_crossing_below_a_gap_with_one_piece_is_counted():
    """output -> a, a -> (b, c), b -> e, c -> d, with d before e in the first order: the single
    piece on top does not end the count, and the crossing under it is undone."""
    graph = graph_of(6, [(0, 1), (1, 2), (1, 3), (2, 5), (3, 4)])
    lay = layout(graph)
    assert (lay.crossings_before, lay.crossings_after) == (1, 0)
    assert lay.rows == ((0,), (1,), (2, 3), (5, 4))


def bipartite(top: int, bottom: int, extra: int = 0) -> Graph:
    """output -> each of `top` nodes -> each of `bottom` nodes, plus `extra` edges from the
    output straight to the first bottom nodes (each spans two rows)."""
    upper = range(1, top + 1)
    lower = range(top + 1, top + bottom + 1)
    pairs = [(0, a) for a in upper] + [(a, b) for a in upper for b in lower]
    pairs += [(0, b) for b in list(lower)[:extra]]
    return graph_of(1 + top + bottom, pairs)


def test_straight_pictures_count_crossings_up_to_the_limit_exactly():
    """route=False counts the crossings of up to CROSSING_LIMIT distinct segments, and says
    None (not counted) from one more."""
    at_limit = bipartite(24, 24)  # 24 + 24 · 24 = 600 edges
    assert len(at_limit.edges) == CROSSING_LIMIT
    lay = layout(at_limit, route=False)
    assert lay.crossings_after is not None
    assert lay.crossings_after == crossings(at_limit, lay.layer, lay.x)
    over = bipartite(24, 24, extra=1)
    assert len(over.edges) == CROSSING_LIMIT + 1
    assert layout(over, route=False).crossings_after is None


def test_a_routed_picture_counts_its_crossings_past_the_straight_limit():
    """Routed pictures count gap by gap, so their count never stops at CROSSING_LIMIT."""
    graph = bipartite(24, 24, extra=3)
    lay = layout(graph)
    segments = pieces(graph, lay)
    assert len(segments) > CROSSING_LIMIT
    assert lay.crossings_after == crossings_of_rows(segments, slot_layers(lay), lay.rows)
    assert lay.crossings_after is not None and lay.crossings_before is not None


def test_x_is_the_place_in_the_row_centred_on_zero():
    """Each node's x is its position among the slots of its row minus the middle position, so
    every row is centred on 0 (dummy slots take places too)."""
    rng = random.Random(5)
    for _ in range(100):
        graph = random_dag(rng)
        lay = layout(graph)
        for row in lay.rows:
            middle = (len(row) - 1) / 2
            for place, i in enumerate(row):
                if i < len(graph.nodes):
                    assert lay.x[i] == place - middle, (graph.edges, row)


# Graphs whose first ordering crosses and on which the sweeps reach the fewest crossings
# possible only by going through every row, down from row 1 and up to row 0, in turn: a sweep
# that skips a row, stops early, goes one way only or weighs neighbours by their number (not
# their mean rank) leaves a crossing in the first; skipping row 1 going down, in the second.
NEEDS_BOTH_WAYS = {
    "one output, four rows with long edges": [
        (0, 1),
        (0, 3),
        (0, 4),
        (0, 6),
        (0, 7),
        (1, 2),
        (1, 3),
        (1, 5),
        (2, 6),
        (2, 7),
    ],
    "two outputs crossing into row 1": [(0, 3), (1, 2), (1, 4)],
}


@pytest.mark.parametrize("pairs", NEEDS_BOTH_WAYS.values(), ids=NEEDS_BOTH_WAYS.keys())
def test_the_sweeps_reach_the_fewest_crossings_possible(pairs):
    graph = graph_of(1 + max(max(p) for p in pairs), pairs)
    lay = layout(graph)
    assert lay.crossings_before > 0
    assert lay.crossings_after == fewest_crossings(graph, lay)
    assert lay.crossings_after == crossings_of_rows(pieces(graph, lay), slot_layers(lay), lay.rows)


def first_rows(graph: Graph, lay) -> list[list[int]]:
    """The order the sweeps start from: in every row, the nodes by index, then the dummy slots
    by number."""
    layer = slot_layers(lay)
    return [[i for i in range(len(layer)) if layer[i] == k] for k in range(len(lay.rows))]


def test_a_first_order_without_crossings_is_kept():
    """When the first ordering has no crossing, no sweep changes the picture: the sweeps may
    find other orders as good, but only a better one replaces it."""
    rng = random.Random(8)
    kept = 0
    for _ in range(400):
        graph = random_dag(rng)
        lay = layout(graph)
        if lay.crossings_before == 0:
            kept += 1
            assert [list(row) for row in lay.rows] == first_rows(graph, lay), graph.edges
    assert kept > 50  # the check ran on many graphs


def one_frame_around(graph: Graph) -> Graph:
    everything = Group("module", "0 (Block)", tuple(range(len(graph.nodes))))
    return Graph(graph.nodes, graph.edges, groups=(everything,))


def test_one_frame_around_the_whole_graph_changes_no_row():
    """A frame holding every node keeps nothing apart, so every row is as without it (ties
    between equal barycentres included: they keep their current order either way)."""
    rng = random.Random(3)
    for _ in range(300):
        graph = random_dag(rng)
        plain, framed = layout(graph), layout(one_frame_around(graph))
        assert framed.rows == plain.rows, graph.edges
        assert framed.crossings_after == plain.crossings_after


def random_frames(rng: random.Random, graph: Graph) -> Graph:
    """Two to four frames over random nodes, some nested in an earlier one; no node is listed
    by two frames that do not nest."""
    n, groups, owner = len(graph.nodes), [], {}
    for k in range(rng.randint(2, 4)):
        parent = rng.randrange(len(groups)) if groups and rng.random() < 0.4 else None
        pool = [i for i in range(n) if owner.get(i) == parent]
        if not pool:
            continue
        members = sorted(rng.sample(pool, rng.randint(1, max(1, len(pool) // 2))))
        for i in members:
            owner[i] = len(groups)
        groups.append(Group(rng.choice(["module", "repeat"]), f"g{k}", tuple(members), parent=parent))
    # a parent lists its children's nodes too, as record_modules and folding do
    for g, group in enumerate(groups):
        inside = [i for i in range(n) if g in _chain(groups, owner.get(i))]
        groups[g] = Group(group.kind, group.label, tuple(inside), parent=group.parent)
    return Graph(graph.nodes, graph.edges, groups=tuple(groups))


def _chain(groups, g) -> list[int]:
    found = []
    while g is not None:
        found.append(g)
        g = groups[g].parent
    return found


def test_frames_never_interleave_and_keep_one_order_in_every_row():
    """In every row a frame's slots are side by side, and two frames that do not nest are in
    the same left-to-right order in every row they share."""
    rng = random.Random(17)
    for _ in range(300):
        graph = random_frames(rng, random_dag(rng))
        lay = layout(graph)
        order: dict[tuple[int, int], bool] = {}
        for row in lay.rows:
            places: dict[int, list[int]] = {}
            for place, i in enumerate(row):
                for g in lay.paths[i]:
                    places.setdefault(g, []).append(place)
            for where in places.values():
                assert where == list(range(where[0], where[-1] + 1)), (graph.groups, row)
            for g, h in combinations(sorted(places), 2):
                if g in _chain(graph.groups, h) or h in _chain(graph.groups, g):
                    continue
                left = places[g][-1] < places[h][0]
                assert order.setdefault((g, h), left) == left, (graph.groups, lay.rows)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((), (), ()),
        ((0,), (), ()),
        ((0, 1), (0, 1), (0, 1)),
        ((0, 1), (0, 2), (0,)),
        ((0, 1, 2), (0, 1, 3), (0, 1)),
        ((0, 1, 2), (0, 1), (0, 1)),
        ((1,), (0,), ()),
    ],
)
def test_common_is_the_longest_shared_start(a, b, expected):
    assert common(a, b) == common(b, a) == expected


def test_group_paths_take_the_innermost_group_of_every_node():
    """Node 0 counts like any other; a child frame listed before its parent still wins; a
    member out of range is ignored; of two frames at the same depth listing one node, the
    first listed holds it."""
    inner = Group("module", "0.act (Tanh)", (0, 1), parent=1)
    outer = Group("module", "0 (Block)", (0, 1, 2, -1, 4), parent=None)
    sibling = Group("module", "1 (Block)", (2, 3), parent=None)
    graph = graph_of(4, [(0, 1), (1, 2), (2, 3)], [inner, outer, sibling])
    paths, node_paths = group_paths(graph)
    assert paths == ((1, 0), (1,), (2,))
    assert node_paths == ((1, 0), (1, 0), (1,), (2,))


def test_an_empty_graph_has_no_rows():
    lay = layout(Graph((), ()))
    assert (lay.layer, lay.order, lay.rows, lay.x) == ((), (), (), ())
    assert (lay.crossings_before, lay.crossings_after) == (0, 0)


@pytest.mark.parametrize("dpi", [50, 72, 100, 144, 300])
def test_the_smallest_font_is_min_text_px_tall_on_screen(dpi):
    """min_font_pt(dpi) points are MIN_TEXT_PX pixels at that dpi, by matplotlib's conversion."""
    renderer = RendererAgg(10, 10, dpi)
    assert renderer.points_to_pixels(min_font_pt(dpi)) == pytest.approx(MIN_TEXT_PX, rel=1e-12)
