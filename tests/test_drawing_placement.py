"""Where draw() puts boxes and edges across a labelled picture (drawing/geometry.py: box sizes,
ports, the x of every slot): a box is as big as its text plus BOX_PAD and as wide as its arrows
need; arrows leaving or entering one box are spread PORT_MARGIN from its corners, at most
PORT_SPACING and at least MIN_PORT_SPACING apart, in the order of where they go, so they never
cross there; neighbours in a row keep their least distance (BOX_GAP between boxes, DUMMY_GAP
beside an edge passing the row, FRAME_PAD and FRAME_GAP at frame borders) and are pulled
towards their neighbours' centres, the stiffer (more nodes below, edges passing) yielding less."""

from __future__ import annotations

from itertools import pairwise

import matplotlib.pyplot as plt
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from autograd_lessons import draw
from autograd_lessons.drawing.sizes import (
    BOX_GAP,
    BOX_PAD,
    DUMMY_GAP,
    FOREIGN_PULL,
    FRAME_GAP,
    FRAME_PAD,
    LINE_EM,
    MIN_PORT_SPACING,
    NODE_PT,
    PORT_MARGIN,
    PORT_SPACING,
)
from autograd_lessons.graph import Edge, Graph, Group, Node
from test_draw import joined, segments_cross

EPS = 1e-6  # inches: positions computed in floating point
LINE_HEIGHT = LINE_EM * NODE_PT / 72  # inches: one line of box text
MANY = 8  # arrows leaving or entering one box: more than its text's width leaves room for


def drawing(graph: Graph):
    """draw(graph).lesson_drawing, the figure closed; the picture must be labelled."""
    fig = draw(graph)
    info = fig.lesson_drawing
    plt.close(fig)
    assert info.labelled
    return info


def ops(count: int, op: str = "MulBackward0") -> list[Node]:
    """`count` operation nodes with the same text (so the same box width)."""
    return [Node(i, "op", op=op) for i in range(count)]


def centre(box) -> float:
    return (box[0] + box[2]) / 2


def width(box) -> float:
    return box[2] - box[0]


def run_x(polyline, y_low: float, y_high: float) -> float:
    """The x of a polyline's vertical run between heights y_low and y_high (an edge passing a row)."""
    xs = {
        round(p[0], 9)
        for p, q in pairwise(polyline)
        if p[0] == q[0] and min(p[1], q[1]) <= y_low and max(p[1], q[1]) >= y_high
    }
    assert len(xs) == 1, polyline
    return xs.pop()


# --------------------------------------------------------------------------- box sizes


def test_a_box_is_its_text_plus_box_pad_on_every_side():
    """Every box is as wide as its text as the font draws it plus BOX_PAD[0] on each side, and
    as tall as its lines (LINE_EM of NODE_PT each) plus BOX_PAD[1] above and below."""
    graph = Graph(
        (Node(0, "op", op="AddBackward0", name="y"), Node(1, "op", op="MulBackward0"), Node(2, "leaf", name="w")),
        (Edge(0, 1, 0), Edge(1, 2, 0)),
    )
    fig = draw(graph)
    info = fig.lesson_drawing
    renderer = FigureCanvasAgg(fig).get_renderer()
    ax = fig.axes[0]
    seen = set()
    for text in ax.texts:
        gid = text.get_gid() or ""
        if not gid.startswith("node-text-"):
            continue
        i = int(gid.rsplit("-", 1)[1])
        seen.add(i)
        extent = text.get_window_extent(renderer)
        (x0, _), (x1, _) = ax.transData.inverted().transform([(extent.x0, extent.y0), (extent.x1, extent.y1)])
        box = info.boxes[i]
        lines = text.get_text().count("\n") + 1
        assert width(box) == pytest.approx(x1 - x0 + 2 * BOX_PAD[0], abs=1e-3)
        assert box[3] - box[1] == pytest.approx(lines * LINE_HEIGHT + 2 * BOX_PAD[1], abs=EPS)
    plt.close(fig)
    assert seen == {0, 1, 2}


# --------------------------------------------------------------------------- ports


def parallel(count: int) -> Graph:
    """An operation using one leaf `count` times (torch.cat([w] * count)): `count` parallel
    edges leave the operation's box and enter the leaf's."""
    return Graph(
        (Node(0, "op", op="MulBackward0"), Node(1, "leaf", name="w")), tuple(Edge(0, 1, k) for k in range(count))
    )


def ports(info, i: int) -> list[float]:
    """x of every arrow leaving box i (on its bottom) or entering it (on its top), left to right."""
    xs = [polyline[0][0] for s, _, polyline in info.edges if s == i]
    xs += [polyline[-1][0] for _, t, polyline in info.edges if t == i]
    return sorted(xs)


@pytest.mark.parametrize(("count", "room"), [(2, True), (3, True), (5, False), (MANY, False)])
def test_arrows_spread_over_a_box_port_spacing_apart_or_from_port_margin_to_port_margin(count, room):
    """The arrows leaving (entering) a box are evenly spread and centred on it: PORT_SPACING
    apart when the box has room for that, else from PORT_MARGIN inside one side to PORT_MARGIN
    inside the other (a box of the width of "MulBackward0" has room for 3 arrows, not 5)."""
    info = drawing(parallel(count))
    for i, box in enumerate(info.boxes):
        xs = ports(info, i)
        assert len(xs) == count
        steps = [b - a for a, b in pairwise(xs)]
        assert steps == pytest.approx([steps[0]] * (count - 1), abs=EPS)
        assert (xs[0] + xs[-1]) / 2 == pytest.approx(centre(box), abs=EPS)
        if room:
            assert steps[0] == pytest.approx(PORT_SPACING, abs=EPS)
            assert xs[0] - box[0] > PORT_MARGIN
        else:
            assert steps[0] < PORT_SPACING
            assert xs[0] - box[0] == pytest.approx(PORT_MARGIN, abs=EPS)


def test_a_box_widens_just_enough_to_keep_min_port_spacing_between_many_arrows():
    """A box with more arrows than its text's width has room for is widened just enough: its
    outer arrows PORT_MARGIN inside its sides, neighbours exactly MIN_PORT_SPACING apart."""
    info = drawing(parallel(MANY))
    for i, box in enumerate(info.boxes):
        xs = ports(info, i)
        assert [b - a for a, b in pairwise(xs)] == pytest.approx([MIN_PORT_SPACING] * (MANY - 1), abs=EPS)
        assert xs[0] - box[0] == pytest.approx(PORT_MARGIN, abs=EPS)
        assert box[2] - xs[-1] == pytest.approx(PORT_MARGIN, abs=EPS)


@pytest.mark.parametrize(
    "pairs",
    [
        pytest.param([(0, 2), (0, 1)], id="second input to the left"),
        pytest.param([(1, 3), (1, 2), (0, 2), (0, 3), (0, 1)], id="long edges beside short ones"),
        pytest.param([(1, 3), (1, 2), (0, 1), (2, 3), (0, 2), (0, 2)], id="an input used twice, passing a row"),
    ],
)
def test_arrows_of_one_box_leave_and_enter_in_the_order_of_where_they_go(pairs):
    """Arrows leaving a box are ordered by the slot they go to next (the target, or the first
    row they pass), arrows entering one by where they come from, so two arrows of one box never
    cross each other, whatever the order of the inputs."""
    info = drawing(joined(ops(1 + max(max(p) for p in pairs)), pairs))
    edges = info.edges
    for a, (s, t, one) in enumerate(edges):
        for s2, t2, other in edges[a + 1 :]:
            if s == s2 or t == t2:
                assert not any(segments_cross(p, q, r, u) for p, q in pairwise(one) for r, u in pairwise(other)), (
                    one,
                    other,
                )


# --------------------------------------------------------------------------- x of every slot


def test_children_crowd_under_their_box_at_the_least_distances():
    """Three operations under one box and an edge passing their row beside them are all pulled
    towards that box, so they sit side by side at exactly the least distance: BOX_GAP between
    two boxes, DUMMY_GAP between a box and the edge passing the row."""
    info = drawing(joined(ops(5), [(0, 1), (0, 2), (0, 3), (3, 4), (0, 4)]))
    assert info.layout.rows[1] == (1, 2, 3, 5)  # slot 5: edge 0 -> 4 passing row 1
    boxes = info.boxes
    for left, right in [(1, 2), (2, 3)]:
        assert boxes[right][0] - boxes[left][2] == pytest.approx(BOX_GAP, abs=EPS)
    passing = run_x(info.edges[4][2], boxes[3][1], boxes[3][3])
    assert passing - boxes[3][2] == pytest.approx(DUMMY_GAP, abs=EPS)


def test_edges_passing_a_row_on_both_sides_of_a_box_hug_it_symmetrically():
    """An operation using two leaves that its parent also uses: the two edges from the parent
    pass the operation's row on its left and right, each DUMMY_GAP from its box, and the
    picture is symmetric (the operation right under its parent, the leaves either side)."""
    nodes = [*ops(2), Node(2, "leaf", name="a"), Node(3, "leaf", name="b")]
    info = drawing(joined(nodes, [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3)]))
    boxes, edges = info.boxes, info.edges
    assert info.layout.rows[1] == (4, 1, 5)
    middle = boxes[1]
    left = run_x(edges[1][2], middle[1], middle[3])
    right = run_x(edges[2][2], middle[1], middle[3])
    assert middle[0] - left == pytest.approx(DUMMY_GAP, abs=EPS)
    assert right - middle[2] == pytest.approx(DUMMY_GAP, abs=EPS)
    assert centre(middle) == pytest.approx(centre(boxes[0]), abs=EPS)
    assert centre(boxes[0]) - centre(boxes[2]) == pytest.approx(centre(boxes[3]) - centre(boxes[0]), abs=EPS)


def test_an_edge_passing_a_row_is_as_stiff_as_a_box_with_three_nodes_below():
    """A chain of five operations whose top one also feeds the third directly: that edge passes
    the second's row beside it. Both are pulled under the top box, and an edge passing a row is
    as stiff as a box with three nodes below: they share the squeeze equally, so the top box
    stays centred between them, over the rest of the chain."""
    info = drawing(joined(ops(5), [(0, 1), (1, 2), (2, 3), (3, 4), (0, 2)]))
    boxes = info.boxes
    assert info.layout.rows[1] == (1, 5)
    passing = run_x(info.edges[4][2], boxes[1][1], boxes[1][3])
    assert passing - boxes[1][2] == pytest.approx(DUMMY_GAP, abs=EPS)
    top = centre(boxes[0])
    assert top - centre(boxes[1]) == pytest.approx(passing - top, abs=EPS)
    assert [centre(boxes[i]) for i in (2, 3, 4)] == pytest.approx([top] * 3, abs=EPS)


def test_unconnected_boxes_stay_packed_left_to_right_centred_on_zero():
    """Boxes joined to nothing have no neighbour to pull them: they stay where packing put them,
    their row packed left to right by their real widths, BOX_GAP apart, the first and last
    centres either side of x = 0."""
    nodes = (Node(0, "leaf", name="w"), Node(1, "op", op="MulBackward0"), Node(2, "cut"))
    info = drawing(Graph(nodes, ()))
    boxes = [info.boxes[i] for i in info.layout.rows[0]]
    assert len({round(width(box), 6) for box in boxes}) == len(nodes)  # three widths: no symmetry
    assert [b[0] - a[2] for a, b in pairwise(boxes)] == pytest.approx([BOX_GAP] * 2, abs=EPS)
    assert centre(boxes[0]) + centre(boxes[-1]) == pytest.approx(0.0, abs=EPS)


# --------------------------------------------------------------------------- frames


def framed(graph: Graph, *groups: Group) -> Graph:
    return Graph(graph.nodes, graph.edges, groups=groups)


def test_edges_passing_a_framed_box_keep_frame_gap_from_its_frame_and_the_picture_symmetric():
    """The picture of test_edges_passing_a_row_on_both_sides_of_a_box_hug_it_symmetrically, all in
    one repeated block and the middle operation in an inner one: the edges passing either side now
    keep FRAME_GAP from the inner frame, itself FRAME_PAD around the box, and the picture stays
    symmetric, the operation right under its parent."""
    nodes = [*ops(2), Node(2, "leaf", name="a"), Node(3, "leaf", name="b")]
    plain = joined(nodes, [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3)])
    outer = Group("repeat", "× 2", (0, 1, 2, 3), repeat=2)
    inner = Group("repeat", "× 3", (1,), repeat=3, parent=0)
    info = drawing(framed(plain, outer, inner))
    boxes, edges = info.boxes, info.edges
    assert info.layout.rows[1] == (4, 1, 5)
    frame = next(box for g, box, _ in info.frames if g == 1)
    middle = boxes[1]
    assert [middle[0] - frame[0], frame[2] - middle[2]] == pytest.approx([FRAME_PAD] * 2, abs=EPS)
    left = run_x(edges[1][2], middle[1], middle[3])
    right = run_x(edges[2][2], middle[1], middle[3])
    assert [frame[0] - left, right - frame[2]] == pytest.approx([FRAME_GAP] * 2, abs=EPS)
    assert centre(middle) == pytest.approx(centre(boxes[0]), abs=EPS)
    assert centre(boxes[0]) - centre(boxes[2]) == pytest.approx(centre(boxes[3]) - centre(boxes[0]), abs=EPS)


def test_a_neighbour_outside_a_boxs_frame_pulls_it_foreign_pull_as_much():
    """A leaf used by two equally stiff operations, the leaf and the left one in a repeated
    block: the right one, outside the frame, pulls the leaf FOREIGN_PULL times as much as the
    left one, so the leaf hangs FOREIGN_PULL / (1 + FOREIGN_PULL) of the way from the left
    one's centre to the right one's: the frame stays compact."""
    nodes = [*ops(3), Node(3, "leaf", name="x")]
    plain = joined(nodes, [(0, 1), (0, 2), (1, 3), (2, 3)])
    info = drawing(framed(plain, Group("repeat", "× 3", (1, 3), repeat=3)))
    assert info.layout.rows[1] == (1, 2)
    user, own, foreign, leaf = (centre(info.boxes[i]) for i in range(4))
    assert (leaf - own) / (foreign - own) == pytest.approx(FOREIGN_PULL / (1 + FOREIGN_PULL), abs=EPS)
    assert own < user < foreign  # packing the frame to the left would be wider: the pulled picture stays


def test_with_frames_the_narrower_picture_packs_frames_to_the_left():
    """The chain of test_an_edge_passing_a_row_is_as_stiff_as_a_box_with_three_nodes_below with
    its second operation in a repeated block: packing the frame and the loose boxes to the left
    makes the picture narrower than pulling, so that is drawn: the chain's other boxes straight
    under each other, the frame's left side in line with their left sides, the edge passing it
    FRAME_GAP to its right."""
    info = drawing(
        framed(joined(ops(5), [(0, 1), (1, 2), (2, 3), (3, 4), (0, 2)]), Group("repeat", "× 3", (1,), repeat=3))
    )
    boxes = info.boxes
    assert info.layout.rows[1] == (1, 5)
    ((_, frame, _label),) = info.frames
    chain = [boxes[i] for i in (0, 2, 3, 4)]
    assert [box[0] for box in chain] == pytest.approx([frame[0]] * len(chain), abs=EPS)
    passing = run_x(info.edges[4][2], boxes[1][1], boxes[1][3])
    assert passing - frame[2] == pytest.approx(FRAME_GAP, abs=EPS)


def test_with_frames_the_pulled_picture_stays_when_packing_left_is_no_narrower():
    """An operation used by three others, the middle one in a repeated block: packing the frame
    and the loose boxes to the left would not make the picture narrower, so the pulled picture
    stays: the user right above the middle operation, the other two either side of it."""
    info = drawing(framed(joined(ops(4), [(0, 1), (0, 2), (0, 3)]), Group("repeat", "× 3", (2,), repeat=3)))
    boxes = info.boxes
    assert info.layout.rows[1] == (1, 2, 3)
    assert centre(boxes[2]) == pytest.approx(centre(boxes[0]), abs=EPS)
    assert [boxes[2][0] - boxes[1][2], boxes[3][0] - boxes[2][2]] == pytest.approx([BOX_GAP] * 2, abs=EPS)


@pytest.mark.parametrize("used", [1, 2], ids=["used leaf left", "used leaf right"])
def test_with_frames_packing_left_lines_up_the_frames_when_narrower(used):
    """An operation in a repeated block using one of two leaves of a module (the other used by
    nothing): pulled, the used leaf would sit under the operation and the other beside it;
    packing both frames to the left is narrower, so that is drawn: their left sides in line."""
    nodes = (Node(0, "op", op="MmBackward0"), Node(1, "leaf", name="x"), Node(2, "leaf", name="b"))
    groups = (Group("module", "0 (Linear)", (1, 2)), Group("repeat", "× 3", (0,), repeat=3))
    info = drawing(Graph(nodes, (Edge(0, used, 0),), groups=groups))
    assert info.layout.rows == ((0,), (1, 2))
    lefts = sorted(frame[0] for _, frame, _ in info.frames)
    assert lefts == pytest.approx([lefts[0]] * 2, abs=EPS)


def test_with_every_box_framed_packing_left_wins_by_any_width():
    """Every box in a frame, each frame in rows of its own: packed to the left, the frames' left
    sides line up. Pulled, the output would sit over the sum's centre and the leaf under it, a
    picture only about 0.04 in wider: less than the FRAME_PAD that packing leaves left of the
    boxes, twice over. Narrower is narrower: the packed picture is drawn."""
    nodes = (
        Node(0, "op", op="MulBackward0"),
        Node(1, "op", op="SumBackward0"),
        Node(2, "leaf", name="v"),
        Node(3, "leaf", name="x"),
    )
    groups = (
        Group("repeat", "× 3", (1, 2), repeat=3),
        Group("module", "1 (Linear)", (3,)),
        Group("module", "2 (Linear)", (0,)),
    )
    info = drawing(Graph(nodes, (Edge(0, 1, 0), Edge(0, 2, 1), Edge(1, 3, 0)), groups=groups))
    assert info.layout.rows == ((0,), (1, 2), (3,))
    frames = {group: frame for group, frame, _label in info.frames}
    assert [frames[g][0] for g in (1, 2)] == pytest.approx([frames[0][0]] * 2, abs=EPS)
    assert [info.boxes[i][0] - frames[g][0] for i, g in ((0, 2), (1, 0), (3, 1))] == pytest.approx(
        [FRAME_PAD] * 3, abs=EPS
    )
