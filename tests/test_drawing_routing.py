"""Where the gaps between rows, the edges' bends and the gradients written on edges go.

Pinned here, on labelled pictures (`draw(...).lesson_drawing`, in inches): every gap under a row
is, top down, the frames closing there (FRAME_PAD each), then the label lanes (LANE_GAP above,
between and below lanes as tall as their tallest label) or a START_STUB, then the slanted part
(SLANT, grown by SLANT_STEP only while parallel edges come closer than MIN_SEPARATION, never past
MAX_SLANT), then ARROW_STUB above the frames opening in the next row (a label band and FRAME_PAD
each); every edge is a vertical run, one straight slant per gap and a vertical run, with the
fewest points; a gradient written on an edge is exactly as big as its text plus LABEL_PAD, in
lines of at most LABEL_CHARS characters, centred on its own edge's run or just beside it, clear
of other edges' runs when it can be, and LANE_GAP from the other labels of its lane; the picture
reaches MARGIN beyond every box, label and frame; and a picture wider than MAX_WIDTH_IN or taller
than MAX_HEIGHT_IN gets no labelled geometry (draw folds it or draws markers).
"""

from __future__ import annotations

import itertools

import matplotlib.pyplot as plt
import pytest

from autograd_lessons import draw
from autograd_lessons.drawing import group_paths
from autograd_lessons.drawing.geometry import MAX_SLANT, SEPARATION_SLACK, SLANT_STEP, labelled_geometry
from autograd_lessons.drawing.scene import Scene
from autograd_lessons.drawing.sizes import (
    ARROW_STUB,
    DUMMY_GAP,
    EDGE_PT,
    LABEL_CHARS,
    LABEL_PAD,
    LANE_GAP,
    LINE_EM,
    MARGIN,
    MAX_HEIGHT_IN,
    MAX_WIDTH_IN,
    MIN_SEPARATION,
    SLANT,
    START_STUB,
    STUB_CLEAR,
)
from autograd_lessons.drawing.text import WRAP_WIDTHS, text_width
from autograd_lessons.graph import Graph, Group, Node, Value
from autograd_lessons.steps import Sent, Step, Steps
from test_draw import check_geometry, joined, polyline_gap
from test_draw_groups import check_frames, nested_modules, repeated_block

TOL = 1e-6  # inches: float noise of sums of sizes
BESIDE = 0.1  # inches: a label beside its own edge's run is at most this far from it (as check_geometry asks)
LINE_H = LINE_EM * EDGE_PT / 72  # inches: one line of a gradient written on an edge


# --------------------------------------------------------------------------- graphs and pictures


def graph_of(n: int, pairs, groups=(), op: str = "MulBackward0") -> Graph:
    """n operation nodes (node 0 the output "y") joined by the (source, target) pairs, each
    source's edges numbered by slot in order."""
    return joined([Node(i, "op", op=op, name="y" if i == 0 else None) for i in range(n)], pairs, groups)


def vector(size: int) -> Value:
    """A gradient of `size` values (its text grows with size: "[0, 0.3333, 0.6667]")."""
    return Value(shape=(size,), data=tuple(v / 3 for v in range(size)))


def gradient(size: int | Value) -> Value:
    """vector(size), or the Value itself."""
    return vector(size) if isinstance(size, int) else size


def steps_of(graph: Graph, sizes: dict[int, list]) -> Steps:
    """A backward pass over `graph` in index order, node i sending gradients of sizes[i] (one
    size, or Value, per edge, in order; 1 when not given) along its edges."""
    steps = []
    for number, node in enumerate((node for node in graph.nodes if node.kind == "op"), start=1):
        edges = [e for e in graph.children[node.index] if graph.nodes[e.target].kind != "leaf"]
        sent = tuple(
            Sent(e.target, e.slot, gradient(size))
            for e, size in zip(edges, sizes.get(node.index, [1] * len(edges)), strict=True)
        )
        steps.append(Step(number=number, node=node.index, op=node.op, arrivals=(), received=None, sent=sent))
    return Steps(graph=graph, steps=tuple(steps))


def written(graph: Graph, sizes: dict[int, list], step: int) -> dict[int, str]:
    """The gradient text steps_of(graph, sizes) has sent along each edge position by `step`."""
    ops = [node.index for node in graph.nodes if node.kind == "op"][:step]
    out = {}
    for i in ops:
        edges = [e for e in graph.children[i] if graph.nodes[e.target].kind != "leaf"]
        for e, size in zip(edges, sizes.get(i, [1] * len(edges)), strict=True):
            out[graph.edges.index(e)] = gradient(size).text()
    return out


def drawn(what, **kwargs):
    """(figure, Drawing) of draw(what, **kwargs); the caller closes the figure."""
    fig = draw(what, **kwargs)
    return fig, fig.lesson_drawing


# --------------------------------------------------------------------------- what a picture shows


def bands(info) -> tuple[list[float], list[float]]:
    """(top, bottom) y of every row: the top and bottom of its tallest box."""
    rows = info.layout.rows
    n = len(info.boxes)
    top = [max(info.boxes[i][3] for i in row if i < n) for row in rows]
    bottom = [min(info.boxes[i][1] for i in row if i < n) for row in rows]
    return top, bottom


def frame_rows(info) -> dict[int, tuple[int, int]]:
    """(first row, last row) of every frame drawn."""
    _, node_paths = group_paths(info.graph)
    layer = info.layout.layer
    rows = {}
    for g, _, _ in info.frames:
        members = [layer[i] for i in range(len(info.boxes)) if g in node_paths[i]]
        rows[g] = (min(members), max(members))
    return rows


def label_texts(fig) -> dict[int, str]:
    """The text of the gradient written on each edge position, as drawn."""
    prefix = "edge-label-text-"
    return {
        int(t.get_gid()[len(prefix) :]): t.get_text()
        for t in fig.axes[0].texts
        if (t.get_gid() or "").startswith(prefix)
    }


def lanes_of(info) -> dict[int, list[list[tuple[int, tuple]]]]:
    """Per row: its gap's label lanes, top down, each a list of (edge position, label box)."""
    layer = info.layout.layer
    rows: dict[int, dict[float, list]] = {}
    for position, box in info.edge_labels:
        k = layer[info.graph.edges[position].source]
        tops = rows.setdefault(k, {})
        key = next((top for top in tops if abs(top - box[3]) < TOL), box[3])
        tops.setdefault(key, []).append((position, box))
    return {k: [tops[top] for top in sorted(tops, reverse=True)] for k, tops in rows.items()}


def x_at(line, y: float) -> float:
    """The x where polyline `line` (going down) passes height y."""
    for a, b in itertools.pairwise(line):
        if b[1] - TOL <= y <= a[1] + TOL:
            if abs(a[1] - b[1]) < TOL:
                return b[0]
            return a[0] + (b[0] - a[0]) * (a[1] - y) / (a[1] - b[1])
    raise AssertionError(f"the edge does not pass y = {y}")


def crossing(info, k: int) -> list[int]:
    """Positions of the edges that cross the gap under row k."""
    layer = info.layout.layer
    return [p for p, e in enumerate(info.graph.edges) if layer[e.source] <= k < layer[e.target]]


def parallel_pairs(info, k: int) -> list[tuple[int, int]]:
    """Pairs of parallel edges (same source and target) crossing the gap under row k."""
    edges = info.graph.edges
    return [
        (p, q)
        for p, q in itertools.combinations(crossing(info, k), 2)
        if (edges[p].source, edges[p].target) == (edges[q].source, edges[q].target)
    ]


def expected_gap(info, k: int) -> tuple[float, float]:
    """(turn, land): where every edge crossing the gap under row k starts and ends its slant, by
    the rule: START_STUB (or LANE_GAP under the lowest lane of labels) below the frames closing
    at row k, and ARROW_STUB above the frames opening at row k + 1 (their label bands included)."""
    top, bottom = bands(info)
    rows = frame_rows(info)
    floor = min([frame[1] for g, frame, _ in info.frames if rows[g][1] == k], default=bottom[k])
    ceiling = max([frame[3] for g, frame, _ in info.frames if rows[g][0] == k + 1], default=top[k + 1])
    lanes = lanes_of(info).get(k)
    turn = min(box[1] for _, box in lanes[-1]) - LANE_GAP if lanes else floor - START_STUB
    return turn, ceiling + ARROW_STUB


def piece(line, top: float, turn: float, land: float, bottom: float) -> list[tuple[float, float]]:
    """The part of an edge in one gap (top: the row above's bottom, bottom: the next row's top),
    bent at `turn` and `land` as the rule says."""
    return [(x_at(line, top), top), (x_at(line, top), turn), (x_at(line, bottom), land), (x_at(line, bottom), bottom)]


# --------------------------------------------------------------------------- the checks


def check_gaps(info) -> None:
    """Every gap is, top down: frames closing, label lanes or START_STUB, the slant, ARROW_STUB,
    frames opening. Every edge runs vertically but for one straight slant in each gap where it
    changes x, from the gap's turn to its land, with the fewest points. The slant is SLANT, or
    larger by whole SLANT_STEPs (up to MAX_SLANT) only where parallel edges cross the gap, and
    only as far as they need to keep MIN_SEPARATION (with its slack) apart."""
    top, bottom = bands(info)
    lines = [line for _, _, line in info.edges]
    gaps = [expected_gap(info, k) for k in range(len(top) - 1)]
    for k, (turn, land) in enumerate(gaps):
        slant = turn - land
        steps = (slant - SLANT) / SLANT_STEP
        assert steps > -TOL and steps == pytest.approx(round(steps), abs=TOL), f"gap {k}: slant {slant}"
        assert slant < MAX_SLANT + SLANT_STEP, f"gap {k}: slant {slant} past MAX_SLANT"
        pairs = parallel_pairs(info, k)
        if not pairs:
            assert slant == pytest.approx(SLANT, abs=TOL), f"gap {k} grew without parallel edges"
        elif slant > SLANT + TOL:  # one step less would bring a pair too close
            assert any(
                polyline_gap(
                    piece(lines[p], bottom[k], turn, land + SLANT_STEP, top[k + 1] + SLANT_STEP),
                    piece(lines[q], bottom[k], turn, land + SLANT_STEP, top[k + 1] + SLANT_STEP),
                )
                < MIN_SEPARATION * SEPARATION_SLACK
                for p, q in pairs
            ), f"gap {k} is taller than its parallel edges need"
    for p, line in enumerate(lines):
        for a, b, c in zip(line, line[1:], line[2:], strict=False):
            assert not (a[0] == b[0] == c[0]), f"edge {p} has a point it does not need"
        for a, b in itertools.pairwise(line):
            if a[0] != b[0]:
                k = max(r for r in range(len(top)) if bottom[r] > a[1])
                assert (a[1], b[1]) == (pytest.approx(gaps[k][0], abs=TOL), pytest.approx(gaps[k][1], abs=TOL)), (
                    f"edge {p} slants outside the slanted part of gap {k}"
                )


def check_parallel(info) -> None:
    """Parallel edges (an input used twice) stay MIN_SEPARATION apart, with SEPARATION_SLACK to spare."""
    groups: dict[tuple[int, int], list] = {}
    for s, t, line in info.edges:
        groups.setdefault((s, t), []).append(line)
    for lines in groups.values():
        for one, other in itertools.combinations(lines, 2):
            assert polyline_gap(one, other) >= MIN_SEPARATION * SEPARATION_SLACK - TOL, "parallel edges too close"


def runs_beside(info, position: int, box) -> list[float]:
    """x of the other edges running vertically past the height of label `box`."""
    xs = []
    for p, (_, _, line) in enumerate(info.edges):
        if p == position:
            continue
        for a, b in itertools.pairwise(line):
            if a[0] == b[0] and b[1] < box[3] and a[1] > box[1]:
                xs.append(a[0])
    return xs


def check_labels(fig, info, gradients: dict[int, str] | None = None, clear: bool = False) -> None:
    """Each gradient written on an edge: the whole text sent along it (`gradients`, by edge
    position, when given) in lines of at most LABEL_CHARS characters broken at its spaces, with
    LABEL_PAD inside its box on every side; centred on its own edge's run out of the source or
    beside it (between STUB_CLEAR and BESIDE away); clear of every other edge's run by
    STUB_CLEAR, unless it cannot be (then it sits centred on its own run; with `clear`, every
    label can); LANE_GAP from the other labels of its lane."""
    texts = label_texts(fig)
    assert sorted(texts) == sorted(p for p, _ in info.edge_labels)
    if gradients is not None:
        assert {p: text.replace("\n", " ") for p, text in texts.items()} == gradients
    for position, box in info.edge_labels:
        lines = texts[position].split("\n")
        assert all(len(line) <= LABEL_CHARS for line in lines)
        width = max(text_width(line, EDGE_PT, mono=True) for line in lines)
        assert box[2] - box[0] == pytest.approx(width + 2 * LABEL_PAD[0], abs=TOL), "label not as wide as its text"
        assert box[3] - box[1] == pytest.approx(len(lines) * LINE_H + 2 * LABEL_PAD[1], abs=TOL)
        run = info.edges[position][2][0][0]
        centred = (box[0] + box[2]) / 2 == pytest.approx(run, abs=TOL)
        assert centred or STUB_CLEAR <= box[0] - run <= BESIDE or STUB_CLEAR <= run - box[2] <= BESIDE, (
            f"label {position} neither on nor beside its edge"
        )
        covered = [x for x in runs_beside(info, position, box) if box[0] - STUB_CLEAR <= x <= box[2] + STUB_CLEAR]
        assert not covered or (centred and not clear), f"label {position} covers another edge's run without need"
    for lanes in lanes_of(info).values():
        for lane in lanes:
            for (_, a), (_, b) in itertools.combinations(lane, 2):
                assert a[2] + LANE_GAP <= b[0] + TOL or b[2] + LANE_GAP <= a[0] + TOL, "labels of a lane too close"


def check_bounds(fig, info) -> None:
    """The picture reaches MARGIN beyond the outermost box, label and frame, on every side."""
    outlines = list(info.boxes) + [box for _, box in info.edge_labels] + [frame for _, frame, _ in info.frames]
    ax = fig.axes[0]
    assert ax.get_xlim() == pytest.approx(
        (min(b[0] for b in outlines) - MARGIN, max(b[2] for b in outlines) + MARGIN), abs=TOL
    )
    assert ax.get_ylim() == pytest.approx(
        (min(b[1] for b in outlines) - MARGIN, max(b[3] for b in outlines) + MARGIN), abs=TOL
    )


def check_all(fig, info, gradients: dict[int, str] | None = None, clear: bool = False) -> None:
    """Every promise of this file and of test_draw.check_geometry (`clear`: every label can and
    must keep clear of the other edges' runs)."""
    check_geometry(info)
    check_gaps(info)
    check_parallel(info)
    check_labels(fig, info, gradients, clear)
    check_bounds(fig, info)


# --------------------------------------------------------------------------- the pictures

FAN = [(0, 1), (0, 2), (0, 3), (1, 4), (2, 4), (3, 4)]  # one box feeding three, which feed one
SKIP = [(0, 1), (1, 2), (0, 2), (2, 3)]  # the edge 0 -> 2 passes row 1
TWICE = [(0, 1), (1, 2), (1, 2), (0, 2), (0, 2), (2, 3), (2, 3)]  # inputs used twice, one across a row
WIDE_TWICE = [(0, 1), (0, 2), (0, 3), (0, 4), (0, 5), (0, 6), (0, 6)]  # far apart: the slant grows
CROSSED = [(0, 1), (0, 2), (1, 3), (1, 4), (2, 3), (2, 4)]  # two edges must cross: no parallel edge, no growth
LOW_TWICE = [(0, 1), (1, 2), (2, 3), (1, 3), (1, 3)]  # parallel edges from row 1 across row 2
SKIP_TWICE = [(0, 3), (0, 3), (0, 1), (1, 7), (1, 2), (1, 3), (2, 5), (2, 4), (5, 6)]  # parallel, passing a row


@pytest.mark.parametrize(
    "pairs",
    [FAN, SKIP, TWICE, WIDE_TWICE, CROSSED, LOW_TWICE, SKIP_TWICE],
    ids=["fan", "skip", "twice", "wide twice", "crossed", "low twice", "skip twice"],
)
def test_a_picture_without_gradients_keeps_every_gap_and_routing_rule(pairs):
    """Without labels or frames, each gap is START_STUB, SLANT (or more for parallel edges) and
    ARROW_STUB; edges bend only there, with the fewest points."""
    fig, info = drawn(graph_of(1 + max(b for _, b in pairs), pairs, op="X"))
    check_all(fig, info)
    plt.close(fig)


def test_gradients_fill_lanes_under_their_source_row():
    """At step 2 the output has sent three gradients down three runs 0.3 in apart. The outer two
    fit beside their runs, clear of the middle one, in the first lane; the wide middle one covers
    a neighbour's run wherever it goes, so it sits centred on its own run in a second lane."""
    sizes = {0: [3, 5, 2]}  # the middle gradient is the widest
    fig, info = drawn(steps_of(graph_of(5, FAN), sizes), step=2)
    check_all(fig, info, written(graph_of(5, FAN), sizes, 2))
    (first, second), run = lanes_of(info)[0], info.edges[1][2][0][0]
    assert sorted(p for p, _ in first) == [0, 2] and [p for p, _ in second] == [1]
    assert (second[0][1][0] + second[0][1][2]) / 2 == pytest.approx(run)
    plt.close(fig)


LONG = 12  # values: a gradient text longer than LABEL_CHARS, written in several lines


@pytest.mark.parametrize("step", [1, 2, 3, 4])
def test_long_gradients_take_lines_and_lanes_as_tall_as_they_are(step):
    """Gradients longer than LABEL_CHARS take several lines; every lane is as tall as its
    tallest label, the gap as tall as its lanes."""
    sizes = {0: [LONG, 1, 2, LONG, 1], 1: [LONG], 2: [2, 1]}
    pairs = [(0, 1), (0, 2), (0, 3), (0, 5), (0, 4), (1, 4), (2, 4), (2, 5), (3, 4)]
    graph = graph_of(6, pairs)
    fig, info = drawn(steps_of(graph, sizes), step=step)
    check_all(fig, info, written(graph, sizes, step))
    assert max(text.count("\n") for text in label_texts(fig).values()) >= 2
    plt.close(fig)


NESTED = [  # "outer" (rows 1 to 3) holds "inner" (rows 2 to 3): both close at row 3; "last" opens at the last row
    Group("module", "0 (Outer)", (1, 2, 3)),
    Group("module", "0.0 (Inner)", (1, 2), parent=0),
    Group("module", "1 (Last)", (4,)),
]


@pytest.mark.parametrize("step", [None, 1, 2, 3])
def test_edges_run_straight_through_frames_opening_and_closing(step):
    """Above a row where frames open, the slant ends ARROW_STUB above the outermost frame's top
    (label bands included); under a row where frames close, edges run START_STUB (or the label
    lanes) below the outermost frame's bottom before they turn."""
    pairs = [(0, 1), (0, 3), (1, 2), (1, 2), (3, 2), (2, 4), (2, 5), (3, 5), (0, 5)]
    graph = graph_of(6, pairs, groups=NESTED)
    fig, info = drawn(graph if step is None else steps_of(graph, {0: [4, 1, 2], 1: [2, 2], 2: [1, 6]}), step=step)
    assert len(info.frames) == len(NESTED)
    check_all(fig, info)
    check_frames(info)
    plt.close(fig)


@pytest.mark.parametrize("make", [nested_modules, repeated_block], ids=["nested modules", "repeated block"])
def test_module_and_repeat_frames_keep_the_gap_rules_at_every_step(make):
    """The frames of test_draw_groups' pictures, with every gradient written on its edge."""
    graph = make()
    steps = steps_of(graph, {})
    for step in [None, *range(1, len(steps) + 1)]:
        fig, info = drawn(graph if step is None else steps, step=step, fold=False)
        check_all(fig, info)
        plt.close(fig)


CROWDED = [  # (pairs, op, gradient sizes, step): labels among other edges' runs, parallel edges across rows
    (
        [(0, 1), (0, 6), (1, 2), (1, 3), (1, 5), (2, 4), (2, 6), (3, 7)],
        "X",
        {0: [12, 5], 1: [12, 2, 3], 2: [8, 1], 3: [3]},
        5,
    ),
    (
        [(0, 4), (0, 1), (0, 5), (0, 5), (1, 3), (1, 2), (2, 5), (3, 4)],
        "X",
        {0: [1, 8, 3, 1], 1: [12, 8], 2: [2], 3: [8]},
        5,
    ),
    ([(0, 1), (1, 2), (1, 3), (1, 2), (3, 4)], "MulBackward0", {0: [12], 1: [8, 8, 5], 3: [5]}, 1),
    (
        [(0, 4), (0, 3), (0, 2), (0, 5), (0, 1), (0, 4), (1, 3), (1, 6), (1, 2), (2, 4), (2, 3), (2, 4), (2, 7)]
        + [(3, 5), (3, 4), (3, 4), (4, 5), (4, 5), (6, 7)],
        "X",
        {0: [5, 1, 1, 12, 8, 1], 1: [5, 5, 1], 2: [2, 1, 1, 3], 3: [3, 12, 5], 4: [2, 8], 6: [5]},
        6,
    ),
]


@pytest.mark.parametrize(("pairs", "op", "sizes", "step"), CROWDED, ids=["passing", "low twice", "twice", "dense"])
def test_crowded_pictures_keep_every_rule(pairs, op, sizes, step):
    """Pictures where labels have to find room among the runs of edges passing their row, and
    parallel edges cross several rows: every rule of this file holds."""
    n = 1 + max(b for _, b in pairs)
    graph = graph_of(n, pairs, op=op)
    sizes = {i: sizes.get(i, [1] * len(graph.children[i])) for i in range(n)}
    fig, info = drawn(steps_of(graph, sizes), step=step)
    check_all(fig, info, written(graph, sizes, step))
    plt.close(fig)


def plain(graph: Graph) -> Scene:
    """The picture of `graph` without a backward pass."""
    return Scene(view=graph, active=None, done=set(), edge_grads={}, leaf_grads={}, stepping=False)


def chains(count: int, length: int) -> Graph:
    """An output summing `count` chains of `length` boxes each: count boxes wide, length + 1 tall."""
    pairs = []
    for _ in range(count):
        above = 0
        for _step in range(length):
            pairs.append((above, len(pairs) + 1))
            above = len(pairs)
    return graph_of(len(pairs) + 1, pairs)


FITS, TOO_WIDE = 4, 8  # chains side by side: within MAX_WIDTH_IN at every wrap width / wider at every one
SHORT, TOO_TALL = 30, 40  # boxes in one chain: within MAX_HEIGHT_IN / taller


@pytest.mark.parametrize("wrap", WRAP_WIDTHS)
def test_a_picture_too_wide_or_too_tall_for_its_text_has_no_labelled_geometry(wrap):
    """labelled_geometry gives a picture only while it is at most MAX_WIDTH_IN wide and
    MAX_HEIGHT_IN tall, margins included; otherwise None (draw then folds or draws markers)."""
    for graph in (chains(FITS, 1), chains(1, SHORT)):
        geometry = labelled_geometry(plain(graph), wrap)
        x0, y0, x1, y1 = geometry.bounds
        assert x1 - x0 <= MAX_WIDTH_IN and y1 - y0 <= MAX_HEIGHT_IN
    assert labelled_geometry(plain(chains(TOO_WIDE, 1)), wrap) is None
    assert labelled_geometry(plain(chains(1, TOO_TALL)), wrap) is None


def test_draw_gives_markers_when_no_labelled_picture_fits():
    """Unfolded, a chain taller than MAX_HEIGHT_IN and a row wider than MAX_WIDTH_IN are drawn as
    markers; a picture that fits keeps its text."""
    for graph, labelled in ((chains(1, TOO_TALL), False), (chains(TOO_WIDE, 1), False), (chains(FITS, 1), True)):
        fig, info = drawn(graph, fold=False)
        assert info.labelled == labelled
        plt.close(fig)


def test_the_top_row_starts_at_y_0():
    """The tallest box of the top row has its top at y = 0 (Drawing's coordinates)."""
    fig, info = drawn(graph_of(5, FAN))
    top, _ = bands(info)
    assert top[0] == 0.0
    plt.close(fig)


def test_an_edge_passing_a_row_takes_only_dummy_gap_beside_the_box_there():
    """In SKIP, box 1 and the edge 0 -> 2 passing its row both hang under box 0 and pull
    together: the edge runs down row 1 DUMMY_GAP from box 1's side (a passing edge is a line,
    not a box)."""
    fig, info = drawn(graph_of(4, SKIP))
    top, bottom = bands(info)
    line = info.edges[SKIP.index((0, 2))][2]
    assert x_at(line, (top[1] + bottom[1]) / 2) - info.boxes[1][2] == pytest.approx(DUMMY_GAP)
    plt.close(fig)


def scalar(value: float) -> Value:
    """A gradient that is one number: a short label ("12", "-12.25")."""
    return Value(shape=(), data=(value,))


def test_five_gradients_out_of_one_box_each_find_a_spot_clear_of_the_others_runs():
    """Five gradients of different widths leave the output through ports 0.23 in apart. The
    last one, "-12.25", centred on its run, would end just past its neighbour's run (within
    STUB_CLEAR): it goes beside its run instead, and every label keeps clear of every other run."""
    pairs = [(0, 1), (0, 3), (0, 3), (0, 5), (0, 5), (1, 2), (2, 4)]
    sizes = {0: [scalar(12), scalar(100), 1, scalar(-3.5), scalar(-12.25)], 1: [scalar(12)], 2: [scalar(100)]}
    graph = graph_of(6, pairs)
    step = len(graph.nodes)
    fig, info = drawn(steps_of(graph, sizes), step=step)
    check_all(fig, info, written(graph, sizes, step), clear=True)
    plt.close(fig)


def test_a_lone_child_hangs_straight_under_its_parent():
    """Without frames, boxes are pulled towards their neighbours: box 5, the only child of box 3
    and alone in the last row, sits straight under it (its edge is one vertical segment), even
    though the rows above are offset from each other."""
    pairs = [(0, 1), (0, 2), (0, 3), (2, 3), (2, 4), (3, 5)]
    fig, info = drawn(graph_of(6, pairs))
    check_all(fig, info)
    (line,) = [line for s, t, line in info.edges if (s, t) == (3, 5)]
    assert len(line) == 2 and line[0][0] == line[1][0]
    plt.close(fig)


def test_a_box_outside_a_frame_is_kept_clear_of_it():
    """Box 3 shares rows with the frame around boxes 1 and 2 but is not in it: the frame is
    pushed clear of it (and the frame rules of test_draw_groups hold)."""
    graph = graph_of(4, [(0, 1), (0, 2), (0, 3), (1, 2)], groups=[Group("module", "0 (Block)", (1, 2))])
    fig, info = drawn(graph)
    check_all(fig, info)
    check_frames(info)
    plt.close(fig)
