"""draw() and layout(): layered structure, routed edges that avoid boxes, labels that avoid
each other, legends that match, legible text, folding, step highlight."""

from __future__ import annotations

import gc
import io
import itertools
import math
import re
import struct
import subprocess
import sys
import weakref

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autograd_lessons import LessonError, backward_stepper, backward_steps, draw, set_language, trace
from autograd_lessons.drawing import DISPLAY_WIDTH_PX, crossings, layout
from autograd_lessons.drawing.pipeline import fold_view
from autograd_lessons.graph import Edge, Graph, Node, Value
from autograd_lessons.i18n import message
from autograd_lessons.lessons.autograd.maths import control_flow as f
from autograd_lessons.lessons.autograd.maths import lesson_a
from autograd_lessons.steps import Sent, Step, Steps
from invariants import check_text_floor, visible_texts

VISIBLE = 0.06  # inches: two lines this far apart at 100 dpi are 6 px apart, clearly two lines


def lesson_outputs():
    torch.manual_seed(0)
    x = torch.arange(4.0, requires_grad=True)
    yield "2*dot", 2 * torch.dot(x, x)
    u = x.detach() * 3
    yield "u*x", (u * x).sum()
    mlp = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1))
    yield "mlp", mlp(torch.randn(5, 3)).pow(2).mean()
    w = torch.randn(3, 3, requires_grad=True)
    yield "shared", (w @ torch.tanh(w @ torch.randn(3))).sum()
    yield "f(a)", f(torch.randn(3, requires_grad=True)).sum()


def overlapping(boxes) -> list[tuple[int, int]]:
    bad = []
    for i, (a0, b0, a1, b1) in enumerate(boxes):
        for j in range(i + 1, len(boxes)):
            c0, d0, c1, d1 = boxes[j]
            if a0 < c1 and c0 < a1 and b0 < d1 and d0 < b1:
                bad.append((i, j))
    return bad


def texts(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts] + [t.get_text() for t in fig.texts]


@pytest.mark.parametrize("case", list(lesson_outputs()), ids=lambda c: c[0])
def test_draw_returns_a_figure_with_layered_non_overlapping_boxes(case):
    from matplotlib.figure import Figure

    _, y = case
    fig = draw(y, fold=False)
    assert isinstance(fig, Figure)
    info = fig.lesson_drawing
    graph, lay = info.graph, info.layout
    assert lay.layer[0] == 0
    for edge in graph.edges:  # every edge goes down: output on top, leaves below
        assert lay.layer[edge.target] > lay.layer[edge.source]
    leaves = [n.index for n in graph.nodes if n.kind == "leaf"]
    for i in leaves:
        assert lay.layer[i] > 0
    assert overlapping(info.boxes) == []
    # the boxes are placed at their layer: lower layers are drawn lower
    for edge in graph.edges:
        assert info.boxes[edge.target][3] < info.boxes[edge.source][1]
    assert sorted(i for row in lay.order for i in row) == list(range(len(graph.nodes)))
    fig.savefig(io.BytesIO(), format="png", dpi=60)


@pytest.mark.parametrize("case", list(lesson_outputs()), ids=lambda c: c[0])
def test_crossing_reduction_never_adds_crossings(case):
    _, y = case
    lay = layout(trace(y))
    assert lay.crossings_after <= lay.crossings_before


def test_crossing_reduction_untangles_a_crossed_pair():
    # output -> (a, b); a -> d, b -> c; initial order (c, d) crosses once.
    nodes = tuple(Node(i, "op", op=op) for i, op in enumerate(["Root", "A", "B", "C", "D"]))
    edges = (Edge(0, 1, 0), Edge(0, 2, 1), Edge(1, 4, 0), Edge(2, 3, 0))
    graph = Graph(nodes, edges)
    lay = layout(graph)
    assert lay.crossings_before == 1
    assert lay.crossings_after == 0
    assert crossings(graph, lay.layer, lay.x) == 0
    assert lay.order[2] == (4, 3)


def test_folding_turns_the_loop_into_one_box_with_the_right_count():
    a = torch.tensor([0.5, -0.2, 0.3], requires_grad=True)  # sum > 0: no 100 * b link
    out = f(a).sum()
    n = trace(out).counts()["MulBackward0"]
    assert n >= 3
    fig = draw(out, fold=True)
    folded = [node for node in fig.lesson_drawing.graph.nodes if node.kind == "fold"]
    assert len(folded) == 1 and folded[0].op == "MulBackward0" and folded[0].repeat == n
    assert any(t.startswith(f"MulBackward0, a chain of {n}\n") for t in texts(fig))
    unfolded = draw(out, fold=False)
    assert not any(node.kind == "fold" for node in unfolded.lesson_drawing.graph.nodes)
    assert not any("chain of" in t for t in texts(unfolded))


def test_folding_is_automatic_above_the_threshold():
    x = torch.ones(2, requires_grad=True)
    h = x
    for _ in range(100):
        h = torch.tanh(h)
    auto = draw(h)
    assert auto.lesson_drawing.folded
    assert [n.repeat for n in auto.lesson_drawing.graph.nodes if n.kind == "fold"] == [100]
    assert not draw(h, fold=False).lesson_drawing.folded


def test_step_highlights_exactly_the_active_node():
    x = torch.arange(4.0, requires_grad=True)
    y = 2 * torch.dot(x, x)
    steps = backward_steps(y)
    for k, step in enumerate(steps, start=1):
        fig = draw(y, step=k)
        info = fig.lesson_drawing
        active = fig.axes[0].findobj(lambda a: a.get_gid() == "active-node")
        assert len(active) == 1
        assert info.active == step.node
        x0, y0, x1, y1 = info.boxes[step.node]
        box = active[0].get_bbox()
        assert (box.x0, box.y0, box.x1, box.y1) == pytest.approx((x0, y0, x1, y1))
    assert draw(y).axes[0].findobj(lambda a: a.get_gid() == "active-node") == []


def test_step_writes_the_gradients_reached_so_far_on_the_edges():
    x = torch.arange(4.0, requires_grad=True)
    y = 2 * torch.dot(x, x)
    first = texts(draw(y, step=1))
    last = texts(draw(backward_steps(y), step=3))
    assert "2" in first and "[0, 2, 4, 6]" not in first
    assert last.count("[0, 2, 4, 6]") == 2  # the two arrivals of the fan-in
    assert any("grad [0, 4, 8, 12]" in t for t in last)
    assert x.grad is None  # drawing the steps did not touch .grad


def test_step_errors_are_clear():
    x = torch.arange(4.0, requires_grad=True)
    y = 2 * torch.dot(x, x)
    steps = backward_steps(y)
    for bad in (0, 4, -1, True, "2", 1.5):
        with pytest.raises(LessonError, match="numbered from 1 to 3"):
            draw(steps, step=bad)
    with pytest.raises(LessonError, match="step=1"):
        draw(trace(y), step=1)
    set_language("pt")
    with pytest.raises(LessonError, match="numerados de 1 a 3"):
        draw(y, step=0)
    assert draw(steps, step=3).lesson_drawing.active == steps[2].node  # the last step is 3


def test_big_graphs_use_collections_and_no_text_per_node():
    from matplotlib.collections import LineCollection, PathCollection

    torch.manual_seed(0)
    w = torch.randn(8, 8, requires_grad=True)
    h = torch.randn(8)
    for _ in range(200):
        h = torch.tanh(w @ h) + h
    fig = draw(h.sum(), fold=False)  # by default it folds into a "× 199" block (test_draw_groups)
    info = fig.lesson_drawing
    assert not info.labelled and len(info.graph.nodes) > 600
    ax = fig.axes[0]
    assert any(isinstance(c, LineCollection) for c in ax.collections)
    assert any(isinstance(c, PathCollection) for c in ax.collections)
    assert len(ax.collections) <= 4 and len(ax.patches) == 0 and len(ax.texts) <= 1
    assert overlapping(info.boxes[:300]) == []
    for edge in info.graph.edges:
        assert info.layout.layer[edge.target] > info.layout.layer[edge.source]


def test_deep_chain_draws_folded_without_recursion():
    x = torch.ones(2, requires_grad=True)
    h = x
    for _ in range(20_000):
        h = h * 1.0
    fig = draw(h)
    assert [n.repeat for n in fig.lesson_drawing.graph.nodes if n.kind == "fold"] == [20_000]


def test_draw_into_a_given_axes():
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.add_subplot()
    x = torch.arange(4.0, requires_grad=True)
    assert draw(2 * torch.dot(x, x), ax=ax) is fig


def test_freed_graph_is_drawn_with_a_note():
    x = torch.arange(4.0, requires_grad=True)
    y = 2 * torch.dot(x, x)
    y.backward()
    fig = draw(y)
    shown = " ".join(" ".join(texts(fig)).split())  # notes are wrapped to the figure's width
    assert " ".join(message("graph.note_freed").split()) in shown


def test_labels_follow_the_language():
    x = torch.arange(4.0, requires_grad=True)
    y = 2 * torch.dot(x, x)
    set_language("pt")
    assert any(message("op.Mul") + "\n" in t for t in texts(draw(y)))
    assert message("op.Mul") != message("op.Mul", language="en")
    set_language("en")
    assert any(message("op.Mul") + "\n" in t for t in texts(draw(y)))


def test_draw_keeps_no_reference_to_tensors():
    x = torch.arange(4.0, requires_grad=True)
    y = 2 * torch.dot(x, x)
    refs = [weakref.ref(x), weakref.ref(y)]
    fig = draw(y, step=1)
    del x, y
    gc.collect()
    assert all(r() is None for r in refs)
    assert fig.lesson_drawing.active is not None


def test_importing_the_package_is_cheap_and_draw_does_not_touch_pyplot():
    code = (
        "import sys, autograd_lessons\n"
        "assert 'torch' not in sys.modules and 'matplotlib' not in sys.modules\n"
        "import torch\n"
        "from autograd_lessons import draw\n"
        "assert 'matplotlib' not in sys.modules\n"
        "x = torch.ones(2, requires_grad=True)\n"
        "draw((x * x).sum())\n"
        "assert 'matplotlib' in sys.modules and 'matplotlib.pyplot' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_drawing_displays_as_png_in_ipython_without_pyplot():
    """Jupyter shows the returned Figure as a picture even though draw() never loads pyplot."""
    from IPython.core.formatters import DisplayFormatter

    x = torch.arange(4.0, requires_grad=True)
    shown, _ = DisplayFormatter().format(draw(2 * torch.dot(x, x)))
    assert shown["image/png"][:8] == b"\x89PNG\r\n\x1a\n"
    # Its text is its description (drawing.describe), what screen readers and text front-ends show.
    assert shown["text/plain"].startswith("Computational graph of the output: 3 operation nodes")


# --------------------------------------------------------------------------- routed edges

EPS = 1e-6


def segment_enters_box(p, q, box) -> bool:
    """Whether segment pq meets the open interior of box (Liang–Barsky clipping)."""
    x0, y0, x1, y1 = box[0] + EPS, box[1] + EPS, box[2] - EPS, box[3] - EPS
    dx, dy = q[0] - p[0], q[1] - p[1]
    low, high = 0.0, 1.0
    for d, start, lo, hi in ((dx, p[0], x0, x1), (dy, p[1], y0, y1)):
        if d == 0:
            if not lo < start < hi:
                return False
            continue
        t0, t1 = (lo - start) / d, (hi - start) / d
        low, high = max(low, min(t0, t1)), min(high, max(t0, t1))
        if low >= high:
            return False
    return True


def point_segment(p, a, b) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length))
    return math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)


def segments_cross(a, b, c, d) -> bool:
    def orient(p, q, r):
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    return orient(a, b, c) * orient(a, b, d) < 0 and orient(c, d, a) * orient(c, d, b) < 0


def polyline_gap(one, other) -> float:
    """The shortest distance between two polylines (0 when they cross)."""
    best = math.inf
    for a, b in itertools.pairwise(one):
        for c, d in itertools.pairwise(other):
            if segments_cross(a, b, c, d):
                return 0.0
            best = min(
                best, point_segment(a, c, d), point_segment(b, c, d), point_segment(c, a, b), point_segment(d, a, b)
            )
    return best


def rect_gap(box, polyline) -> float:
    """Distance from a rectangle to a polyline (0 if they meet)."""
    x0, y0, x1, y1 = box
    corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]
    if any(segment_enters_box(a, b, box) for a, b in itertools.pairwise(polyline)):
        return 0.0
    return polyline_gap(corners, polyline)


def boxes_overlap(a, b) -> bool:
    return a[0] < b[2] - EPS and b[0] < a[2] - EPS and a[1] < b[3] - EPS and b[1] < a[3] - EPS


def check_geometry(info) -> None:
    """Every routing and labelling promise of a labelled Drawing."""
    graph = info.graph
    assert info.labelled
    assert [(s, t) for s, t, _ in info.edges] == [(e.source, e.target) for e in graph.edges]
    for s, t, line in info.edges:
        assert len(line) >= 2
        start, end = line[0], line[-1]
        assert start[1] == pytest.approx(info.boxes[s][1]) and info.boxes[s][0] < start[0] < info.boxes[s][2]
        assert end[1] == pytest.approx(info.boxes[t][3]) and info.boxes[t][0] < end[0] < info.boxes[t][2]
        assert all(b[1] <= a[1] + EPS for a, b in itertools.pairwise(line)), "edges only go down"
        for a, b in itertools.pairwise(line):
            for i, box in enumerate(info.boxes):
                assert not segment_enters_box(a, b, box), f"edge {s}->{t} passes through box {i}"
    groups: dict[tuple[int, int], list] = {}
    for s, t, line in info.edges:
        groups.setdefault((s, t), []).append(line)
    for lines in groups.values():
        for k, one in enumerate(lines):
            for other in lines[k + 1 :]:
                assert polyline_gap(one, other) >= VISIBLE, "parallel edges must be two visible lines"
    labels = [box for _, box in info.edge_labels]
    for k, box in enumerate(labels):
        assert box[0] < box[2] and box[1] < box[3]
        for other in labels[k + 1 :]:
            assert not boxes_overlap(box, other), "edge labels overlap"
        for node_box in info.boxes:
            assert not boxes_overlap(box, node_box), "an edge label covers a box"
    for position, box in info.edge_labels:
        assert rect_gap(box, info.edges[position][2]) <= 0.1, "a label sits on or beside its own edge"


def exercise_5():
    x = torch.tensor(2.0, requires_grad=True)
    return torch.log(x**2) * torch.sin(x) + 1 / x


def routed_cases():
    torch.manual_seed(0)
    x = torch.arange(4.0, requires_grad=True)
    yield "2*dot", 2 * torch.dot(x, x)
    yield "x*x", (x * x).sum()
    u = x.detach() * 3
    yield "u*x", (u * x).sum()
    yield "f(a)", f(lesson_a().requires_grad_(True))
    yield "exercise 5", exercise_5()
    mlp = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1))
    yield "mlp", mlp(torch.randn(5, 3)).pow(2).mean()
    w = torch.randn(3, requires_grad=True)
    yield "used 3 times", (w * w * w + w.sin()).sum()


@pytest.mark.parametrize("case", list(routed_cases()), ids=lambda c: c[0])
def test_real_graphs_route_every_edge_around_the_boxes_at_every_step(case):
    _, y = case
    check_geometry(draw(y, fold=False).lesson_drawing)
    steps = backward_steps(y)
    labelled = 0
    for k in range(1, len(steps) + 1):
        info = draw(steps, step=k).lesson_drawing
        check_geometry(info)
        labelled += len(info.edge_labels)
    assert labelled > 0


def test_exercise_5_sin_edge_no_longer_runs_through_pow():
    info = draw(exercise_5()).lesson_drawing
    ops = {node.op: node.index for node in info.graph.nodes if node.kind == "op"}
    sin, pow_, accumulate = ops["SinBackward0"], ops["PowBackward0"], ops["AccumulateGrad"]
    (line,) = [line for s, t, line in info.edges if (s, t) == (sin, accumulate)]
    assert not any(segment_enters_box(a, b, info.boxes[pow_]) for a, b in itertools.pairwise(line))
    assert info.layout.layer[accumulate] - info.layout.layer[sin] == 2  # it spans the Pow row


@pytest.mark.parametrize("make", [lambda x: 2 * torch.dot(x, x), lambda x: (x * x).sum()], ids=["dot", "x*x"])
def test_x_used_twice_is_two_separate_lines(make):
    x = torch.arange(4.0, requires_grad=True)
    info = draw(make(x)).lesson_drawing
    accumulate = next(n.index for n in info.graph.nodes if n.op == "AccumulateGrad")
    twice = [line for s, t, line in info.edges if t == accumulate]
    assert len(twice) == 2 and twice[0] != twice[1]
    assert polyline_gap(twice[0], twice[1]) >= VISIBLE


OPS = [
    "MulBackward0",
    "AddBackward0",
    "SumBackward0",
    "TanhBackward0",
    "AddmmBackward0",
    "X",
    "LinalgVectorNormBackward0",
]


def joined(nodes, pairs, groups=()) -> Graph:
    """A graph of `nodes` joined by (source, target) pairs, each edge the next input slot of its source."""
    slots: dict[int, int] = {}
    edges = []
    for s, t in pairs:
        slots[s] = slots.get(s, -1) + 1
        edges.append(Edge(s, t, slots[s]))
    return Graph(tuple(nodes), tuple(edges), groups=tuple(groups))


@st.composite
def dags(draw_):
    """Random connected DAGs: node 0 is the output, every other node has a parent before it,
    some edges are doubled (an input used twice), sinks are leaves or cut inputs."""
    n = draw_(st.integers(1, 14))
    edges = []
    for j in range(1, n):
        parents = draw_(st.lists(st.integers(0, j - 1), min_size=1, max_size=3))
        for i in parents:
            edges.append((i, j))
            if draw_(st.integers(0, 5)) == 0:
                edges.append((i, j))  # parallel edge
    has_child = {i for i, _ in edges}
    nodes = []
    for i in range(n):
        if i in has_child or i == 0:
            op = draw_(st.sampled_from(OPS))
            nodes.append(Node(i, "op", op=op, name="y" if i == 0 else None))
        else:
            kind = draw_(st.sampled_from(["leaf", "cut"]))
            value = Value(shape=(draw_(st.integers(1, 6)),), data=None, norm=1.5)
            nodes.append(Node(i, kind, value=value))
    return joined(nodes, edges)


def synthetic_steps(graph: Graph, sizes) -> Steps:
    """A backward pass over `graph` in index order (a topological order), every op sending a
    gradient of a random size along each of its edges (what draw() writes on the edges)."""
    steps = []
    for number, node in enumerate((n for n in graph.nodes if n.kind == "op"), start=1):
        sent = tuple(
            Sent(e.target, e.slot, Value(shape=(k,), data=tuple(float(v) / 3 for v in range(k))))
            for e, k in zip(graph.children[node.index], sizes, strict=False)
            if graph.nodes[e.target].kind != "leaf"
        )
        steps.append(Step(number=number, node=node.index, op=node.op, arrivals=(), received=None, sent=sent))
    return Steps(graph=graph, steps=tuple(steps))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graph=dags(), sizes=st.lists(st.integers(1, 8), min_size=20, max_size=20), data=st.data())
def test_random_dags_keep_every_routing_and_label_promise(graph, sizes, data):
    fig = draw(graph)
    info = fig.lesson_drawing
    if not info.labelled:  # too wide for text: markers, nothing to route
        return
    check_geometry(info)
    steps = synthetic_steps(graph, sizes)
    if len(steps):
        k = data.draw(st.integers(1, len(steps)))
        stepped = draw(steps, step=k).lesson_drawing
        if stepped.labelled:
            check_geometry(stepped)
    fig.clear()


def test_the_geometry_check_catches_a_straight_edge_through_a_box():
    """check_geometry itself bites: the old straight Sin → AccumulateGrad segment of
    exercise 5 ran through the Pow box."""
    from dataclasses import replace

    info = draw(exercise_5()).lesson_drawing
    ops = {node.op: node.index for node in info.graph.nodes if node.kind == "op"}
    sin, pow_, accumulate = ops["SinBackward0"], ops["PowBackward0"], ops["AccumulateGrad"]
    px = (info.boxes[pow_][0] + info.boxes[pow_][2]) / 2
    straight = tuple(
        (s, t, ((px, info.boxes[s][1]), (px, info.boxes[t][3]))) if (s, t) == (sin, accumulate) else (s, t, line)
        for s, t, line in info.edges
    )
    with pytest.raises(AssertionError):
        check_geometry(replace(info, edges=straight))


# --------------------------------------------------------------------------- legend = picture


def dashes(artist) -> tuple:
    """The dash pattern matplotlib strokes the outline with. A legend copies a handle's pattern
    but not its linestyle name ("--" comes back as "solid"), so the pattern is what to compare."""
    offset, pattern = artist._unscaled_dash_pattern
    return (offset, tuple(pattern) if pattern is not None else None)


def styles(artist) -> tuple:
    from matplotlib.colors import to_rgba

    return (
        tuple(round(c, 6) for c in to_rgba(artist.get_facecolor())),
        tuple(round(c, 6) for c in to_rgba(artist.get_edgecolor())),
        dashes(artist),
        round(artist.get_linewidth(), 6),
    )


def legend_of(fig):
    (legend,) = fig.legends
    return {text.get_text(): handle for text, handle in zip(legend.get_texts(), legend.legend_handles, strict=True)}


def looks_drawn(fig) -> dict[str, set]:
    """The style of every box drawn, grouped by what the legend calls it."""
    info = fig.lesson_drawing
    ax = fig.axes[0]
    by_gid = {p.get_gid(): p for p in ax.patches}
    drawn: dict[str, set] = {}
    for i in range(len(info.graph.nodes)):
        patch = by_gid[f"node-{i}"]
        drawn.setdefault(info.graph.kind(i), set()).add(styles(patch))
        drawn.setdefault("any", set()).add(styles(patch))
    for frame in ("output", "active"):
        if f"{frame}-node" in by_gid:
            drawn[frame] = {styles(by_gid[f"{frame}-node"])}
    return drawn


def legend_cases():
    torch.manual_seed(0)
    x = torch.arange(4.0, requires_grad=True)
    y = 2 * torch.dot(x, x)
    yield "dot", lambda: draw(y)
    steps = backward_steps(y)
    for k in range(1, len(steps) + 1):
        yield f"dot step {k}", lambda k=k: draw(steps, step=k)
    yield "u*x", lambda: draw((x.detach() * 3 * x).sum())
    yield "folded f(a)", lambda: draw(f(torch.tensor(-0.01, requires_grad=True)), fold=True)
    yield "exercise 5 step 2", lambda: draw(backward_steps(exercise_5()), step=2)


@pytest.mark.parametrize("case", list(legend_cases()), ids=lambda c: c[0])
def test_every_legend_entry_looks_exactly_like_what_is_drawn(case):
    _, make = case
    fig = make()
    drawn = looks_drawn(fig)
    entries = legend_of(fig)
    names = {
        message("draw.legend." + key): key
        for key in ("op", "accumulate", "leaf", "cut", "fold", "pending", "output", "active")
    }
    assert set(entries) <= set(names)
    for label, handle in entries.items():
        key = names[label]
        pool = drawn["any"] if key == "pending" else drawn.get(key, set())
        assert styles(handle) in pool, f"legend {label!r} shows {styles(handle)}, drawn: {pool}"
    legend_looks = {styles(h) for h in entries.values()}
    for look in drawn["any"]:
        assert look in legend_looks, f"a box drawn as {look} has no legend entry"
    for patch in fig.axes[0].patches:
        if (patch.get_gid() or "").startswith("node-"):
            assert patch.get_alpha() in (None, 1.0) and patch.get_facecolor()[3] == 1.0  # opaque


def test_the_legend_check_bites_on_a_translucent_box():
    fig = draw(exercise_5())
    patch = next(p for p in fig.axes[0].patches if p.get_gid() == "node-0")
    patch.set_alpha(0.9)
    with pytest.raises(AssertionError):
        test_every_legend_entry_looks_exactly_like_what_is_drawn(("tampered", lambda: fig))


def test_marker_pictures_use_the_legend_colours_too():
    from matplotlib.colors import to_rgba

    torch.manual_seed(0)
    w = torch.randn(4, 4, requires_grad=True)
    h = torch.randn(4)
    for _ in range(30):
        h = torch.tanh(w @ h) + h
    steps = backward_steps(h.sum())
    fig = draw(steps, step=5)
    assert not fig.lesson_drawing.labelled
    collections = {c.get_gid(): c for c in fig.axes[0].collections}
    faces = {tuple(np.round(c, 6)) for c in collections["nodes"].get_facecolors()}
    edges = {tuple(np.round(c, 6)) for c in collections["nodes"].get_edgecolors()}
    for label, handle in legend_of(fig).items():
        face = tuple(np.round(to_rgba(handle.get_markerfacecolor()), 6))
        edge = tuple(np.round(to_rgba(handle.get_markeredgecolor()), 6))
        if face[3] == 0:  # a frame: the output or the active node
            gid = "output-node" if label == message("draw.legend.output") else "active-node"
            assert edge == tuple(np.round(collections[gid].get_edgecolors()[0], 6))
        else:
            assert face in faces and edge in edges, label


# --------------------------------------------------------------------------- titles and folds


def test_folded_title_counts_boxes_nodes_and_the_fold_in_both_languages():
    a = torch.tensor(-0.01, requires_grad=True)
    d = f(a)
    graph = trace(d)
    chain = graph.fold().nodes
    (fold,) = [n for n in chain if n.kind == "fold"]
    cuts = len(fold.members) - fold.repeat
    assert cuts == fold.repeat, "each b * 2 has its constant 2, folded with it"
    assert len(chain) - 1 + len(fold.members) == len(graph.nodes), "the title's counts add up"
    for language, expected in (
        (
            "en",
            f"computational graph: {len(chain)} boxes for {len(graph.nodes)} nodes "
            f"({fold.repeat} MulBackward0 and {cuts} untracked inputs folded into one box)",
        ),
        (
            "pt",
            f"grafo computacional: {len(chain)} caixas para {len(graph.nodes)} nós "
            f"({fold.repeat} MulBackward0 e {cuts} entradas não rastreadas reunidos numa só caixa)",
        ),
    ):
        set_language(language)
        fig = draw(d, fold=True)
        assert fig._suptitle.get_text().replace("\n", " ") == expected
        shown = texts(fig)
        assert any(t.startswith(message("graph.fold", op="MulBackward0", count=fold.repeat) + "\n") for t in shown)
        assert not any(re.search(r"×\s*\d", t) for t in shown), "a fold must not read as 'times N'"
    set_language("en")
    plain = draw(d, fold=False)
    assert plain._suptitle.get_text() == f"computational graph: {len(graph.nodes)} nodes, {len(graph.edges)} edges"


def test_several_folds_are_all_named_in_the_title():
    x = torch.ones(2, requires_grad=True)
    h = x
    for _ in range(6):
        h = torch.tanh(h)
    for _ in range(5):
        h = torch.exp(h)
    fig = draw(h.sum(), fold=True)
    folds = [n for n in fig.lesson_drawing.graph.nodes if n.kind == "fold"]
    assert len(folds) == 2
    title = fig._suptitle.get_text().replace("\n", " ")
    assert "2 chains folded, one box each: " in title
    assert "6 TanhBackward0" in title and "5 ExpBackward0" in title


def test_step_titles_count_from_one():
    x = torch.arange(4.0, requires_grad=True)
    y = 2 * torch.dot(x, x)
    steps = backward_steps(y)
    assert draw(steps, step=1)._suptitle.get_text() == "backward pass, step 1 of 3: MulBackward0"
    set_language("pt")
    assert draw(steps, step=3)._suptitle.get_text() == "retropropagação, passo 3 de 3: AccumulateGrad"


# --------------------------------------------------------------------------- legibility


def png_width(png: bytes) -> int:
    return struct.unpack(">I", png[16:20])[0]


def check_legible(fig, dpi: float, png: bytes) -> float:
    """Every text ≥ MIN_TEXT_PX at `dpi`, inside the picture, which fits DISPLAY_WIDTH_PX.
    Returns the smallest text size in px."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    assert png_width(png) <= DISPLAY_WIDTH_PX
    smallest = check_text_floor(fig, dpi)
    shown = visible_texts(fig)
    assert shown
    renderer = FigureCanvasAgg(fig).get_renderer()
    frame = fig.bbox
    for t in shown:
        box = t.get_window_extent(renderer)
        assert (
            frame.x0 - 1 <= box.x0 and box.x1 <= frame.x1 + 1 and frame.y0 - 1 <= box.y0 and box.y1 <= frame.y1 + 1
        ), t.get_text()[:40]
    for legend in fig.legends:
        assert not legend.get_window_extent(renderer).overlaps(fig.axes[0].get_window_extent(renderer))
    return smallest


@pytest.mark.parametrize("language", ["en", "pt"])
def test_every_text_of_every_lesson_picture_is_legible(language):
    set_language(language)
    pictures = []
    for _, y in routed_cases():
        pictures.append(draw(y))
        steps = backward_steps(y)
        pictures.append(draw(steps, step=len(steps)))
    pictures.append(draw(f(torch.tensor(-0.01, requires_grad=True)), fold=True))
    x = torch.arange(4.0, requires_grad=True)
    y = 2 * torch.dot(x, x)
    y.backward(retain_graph=True)
    pictures.append(draw(y))  # with the note about freed values
    torch.manual_seed(0)
    w = torch.randn(8, 8, requires_grad=True)
    h = torch.randn(8)
    for _ in range(40):
        h = torch.tanh(w @ h) + h
    pictures.append(draw(h.sum()))  # folded: a "× 39" block
    pictures.append(draw(h.sum(), fold=False))  # markers, with the "labels hidden" note
    for fig in pictures:
        check_legible(fig, fig.dpi, fig._repr_png_())
        if fig.lesson_drawing.labelled:
            check_texts_inside_their_boxes(fig)


def check_texts_inside_their_boxes(fig) -> None:
    """Every text in the graph (a node's lines, a gradient on an edge) fits inside its box."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(fig).get_renderer()
    ax = fig.axes[0]
    frames = [p for p in ax.patches if (p.get_gid() or "").startswith(("node-", "edge-label-"))]
    label_boxes = {g: box for g, _, box in fig.lesson_drawing.frames}
    for text in ax.texts:
        gid = text.get_gid() or ""
        if gid.startswith(("module-label-", "repeat-label-")):  # a frame's label: inside its background
            x0, y0, x1, y1 = label_boxes[int(gid.rsplit("-", 1)[1])]
            inner = text.get_window_extent(renderer).transformed(ax.transData.inverted())
            assert (
                x0 - 0.01 <= inner.x0 and inner.x1 <= x1 + 0.01 and y0 - 0.01 <= inner.y0 and inner.y1 <= y1 + 0.01
            ), text.get_text()
            continue
        x, y = text.get_position()
        (frame,) = [p for p in frames if p.get_bbox().contains(x, y)]
        outer, inner = frame.get_window_extent(renderer), text.get_window_extent(renderer)
        assert outer.x0 - 1 <= inner.x0 and inner.x1 <= outer.x1 + 1, text.get_text()
        assert outer.y0 - 1 <= inner.y0 and inner.y1 <= outer.y1 + 1, text.get_text()


def test_a_graph_too_wide_for_text_is_folded_or_drawn_with_markers_not_shrunk():
    x = torch.ones(3, requires_grad=True)
    parts = [torch.sin(x * k).sum() for k in range(1, 12)]  # 11 side by side chains
    y = sum(parts)
    fig = draw(y)
    info = fig.lesson_drawing
    assert (
        not info.labelled or max(b[2] for b in info.boxes) - min(b[0] for b in info.boxes) <= DISPLAY_WIDTH_PX / fig.dpi
    )
    check_legible(fig, fig.dpi, fig._repr_png_())


def test_the_geometry_check_catches_labels_on_labels_and_on_boxes():
    from dataclasses import replace

    x = torch.arange(4.0, requires_grad=True)
    info = draw(backward_steps(2 * torch.dot(x, x)), step=3).lesson_drawing
    check_geometry(info)
    (position, box), *_ = info.edge_labels
    shifted = (box[0] + 0.05, box[1], box[2] + 0.05, box[3])
    with pytest.raises(AssertionError, match="labels overlap"):
        check_geometry(replace(info, edge_labels=info.edge_labels + ((position, shifted),)))
    on_box = info.boxes[info.graph.edges[position].target]
    with pytest.raises(AssertionError, match="covers a box"):
        check_geometry(replace(info, edge_labels=((position, on_box),)))


def test_the_package_keeps_draw_the_function_after_the_drawing_layer_is_imported():
    """Importing the drawing layer first (as the explorers do) leaves `from autograd_lessons
    import draw` the function, and every helper a lazy export of its own module."""
    code = (
        "import autograd_lessons.widgets, autograd_lessons.drawing, autograd_lessons.modules\n"
        "from autograd_lessons import backward_stepper, draw, record_modules\n"
        "import autograd_lessons\n"
        "print(callable(draw), draw.__name__, autograd_lessons.draw is draw, record_modules.__name__)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "draw", "True", "record_modules"]


# --------------------------------------------------------------------------- draw(y) draws trace(y)


@pytest.mark.parametrize("case", list(lesson_outputs()), ids=lambda c: c[0])
def test_draw_draws_the_graph_trace_returns(case):
    _, y = case
    assert draw(y, fold=False).lesson_drawing.graph == trace(y)
    assert draw(y, fold=True).lesson_drawing.graph == fold_view(trace(y))


def test_a_big_graph_is_drawn_as_trace_returns_it_then_folded():
    b = torch.ones(2, requires_grad=True)
    for _ in range(300):
        b = torch.sin(b) * 2
    drawing = draw(b.sum()).lesson_drawing
    assert drawing.folded and drawing.graph == fold_view(trace(b.sum()))


def test_every_helper_names_tensors_from_the_learners_frame_however_deep_it_calls():
    """draw, backward_steps and backward_stepper build their graph with trace's builder and
    read the names where the learner called them (here, inside the learner's own function)."""

    def learners_cell():
        weight = torch.arange(3.0, requires_grad=True)
        loss = (weight * 2).sum()
        return (
            trace(loss),
            draw(loss).lesson_drawing.graph,
            backward_steps(loss),
            draw(loss, step=2).lesson_drawing.graph,
            backward_stepper(loss).steps,
        )

    traced, drawn, steps, stepped, stepper = learners_cell()
    assert traced.nodes[0].name == "loss"
    assert [n.name for n in traced.nodes if n.kind == "leaf"] == ["weight"]
    assert drawn == traced and steps.graph == traced and stepped == traced and stepper.graph == traced
    assert steps.name == stepper.name == "loss"
    assert steps.steps[-1].leaf == "weight"


def test_names_given_explicitly_come_first_in_every_helper():
    x = torch.arange(3.0, requires_grad=True)
    y = (x * x).sum()
    named = {"input": x, "total": y}
    expected = trace(y, names=named)
    assert expected.nodes[0].name == "total"
    assert draw(y, names=named).lesson_drawing.graph == expected
    assert backward_steps(y, names=named).graph == expected
    assert backward_stepper(y, names=named).steps.graph == expected


# --------------------------------------------------------------------------- every language, every text whole


def box_texts(fig) -> dict[str, str]:
    """The text of every box and of every gradient written on an edge, by gid."""
    return {
        t.get_gid(): t.get_text()
        for t in fig.axes[0].texts
        if (t.get_gid() or "").startswith(("node-text-", "edge-label-text-"))
    }


# A number as a picture writes it: with the point, or with a language's decimal comma (83,33;
# never followed by a space, unlike the comma between a shape's sizes).
NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?(?:e[-+]?\d+)?")


def numbers_in(text: str) -> list[str]:
    """The numbers of `text`, each with the point, whatever decimal separator the language uses."""
    return [number.replace(",", ".") for number in NUMBER.findall(text)]


def lesson4_network():
    """The module picture of lesson 4, § 5 (where "norma…" used to be cut in Portuguese)."""
    from autograd_lessons import record_modules

    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(64, 256), torch.nn.Tanh(), torch.nn.Linear(256, 1))
    batch = torch.randn(128, 64)
    with record_modules(net):
        out = net(batch).sum()
    return out, net, batch


def pictures_in_every_language():
    """(name, function making the picture): graphs whose texts are longer in some language."""
    out, net, _ = lesson4_network()
    yield "lesson 4 modules", lambda: draw(out, modules=net)
    cube = torch.ones(10, 20, 30, requires_grad=True)  # "formato (10, 20, 30), norma 77.46" is 33 characters
    steps = backward_steps((cube * 2).sum())
    yield "long gradients on edges", lambda: draw(steps, step=len(steps))
    for name, y in lesson_outputs():
        yield name, lambda y=y: draw(y)
    x = torch.tensor([-1.0, 0.5, 2.0], requires_grad=True)
    (first,) = torch.autograd.grad((x**3).sum(), x, create_graph=True)
    yield "gradient", lambda: draw(first)


@pytest.mark.parametrize("case", list(pictures_in_every_language()), ids=lambda c: c[0])
def test_every_box_shows_its_whole_text_in_every_language(case):
    """Drawn in every language, no box or edge label is cut ("…") and every box shows the same
    numbers in each language (what one shows, all show), each text inside its box."""
    from autograd_lessons.i18n import LANGUAGES

    _, make = case
    shown = {}
    for language in LANGUAGES:
        set_language(language)
        fig = make()
        assert fig.lesson_drawing.labelled
        check_texts_inside_their_boxes(fig)
        check_legible(fig, fig.dpi, fig._repr_png_())
        shown[language] = box_texts(fig)
        cut = [text for text in shown[language].values() if "…" in text]
        assert not cut, (language, cut)
    english = shown["en"]
    for language, texts in shown.items():
        assert texts.keys() == english.keys(), language
        for gid, text in texts.items():
            assert numbers_in(text) == numbers_in(english[gid]), (language, gid, text, english[gid])


def test_the_lesson4_module_picture_shows_every_saved_norm_in_portuguese():
    out, net, _ = lesson4_network()
    set_language("pt")
    texts = "\n".join(box_texts(draw(out, modules=net)).values())
    assert "mat1 = formato (128, 64),\nnorma 89,84" in texts  # the decimal comma of Portuguese
    assert "result = formato (128, 256),\nnorma 83,33" in texts


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab1(), ="), max_size=90), st.integers(1, 40))
def test_wrapping_never_loses_a_character_nor_passes_the_width(text, width):
    from autograd_lessons.drawing.text import wrap_text

    lines = wrap_text(text, width)
    assert all(len(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_wrapping_breaks_after_a_comma_outside_brackets_first():
    from autograd_lessons.drawing.text import wrap_text

    assert wrap_text("mat1 = formato (128, 256), norma 83.33", 34) == ["mat1 = formato (128, 256),", "norma 83.33"]
    assert wrap_text("mat1 = formato (128, 256), norma 83.33", 20) == ["mat1 = formato", "(128, 256),", "norma 83.33"]
    assert wrap_text("x" * 34, 34) == ["x" * 34]  # exactly the width: one line
    assert wrap_text("x" * 35, 34) == ["x" * 34, "x"]  # no space at all: broken at the width
    assert wrap_text("", 34) == [""]


def test_a_box_shows_how_many_saved_values_it_leaves_to_the_text():
    out, net, _ = lesson4_network()
    for language, words in (("en", "+2 more in print(trace(y))"), ("pt", "+2 a mais em print(trace(y))")):
        set_language(language)
        texts = box_texts(draw(out, modules=net))
        addmm = [t for t in texts.values() if t.startswith("AddmmBackward0")]
        assert len(addmm) == 2 and all(t.endswith(words) for t in addmm)


# --------------------------------------------------------------------------- untracked inputs and saved values


def test_an_untracked_input_box_carries_the_learners_name():
    out, net, batch = lesson4_network()  # as in the lesson, the caller has the batch in a variable
    fig = draw(out, modules=net)
    graph = fig.lesson_drawing.graph
    (cut,) = [n.index for n in graph.nodes if n.kind == "cut"]
    lines = box_texts(fig)[f"node-text-{cut}"].split("\n")
    assert lines[:2] == ["✂ batch", "untracked input"] and lines[2].startswith("shape (128, 64), norm ")
    x = torch.arange(3.0, requires_grad=True)
    fig = draw(2 * x)
    (cut,) = [n.index for n in fig.lesson_drawing.graph.nodes if n.kind == "cut"]
    assert box_texts(fig)[f"node-text-{cut}"] == "✂ untracked input\n2"


def test_no_picture_shows_symbolic_size_bookkeeping():
    out, net, _ = lesson4_network()
    figures = [draw(out, modules=net)] + [draw(y) for _, y in lesson_outputs()]
    for fig in figures:
        assert not any("_sym_" in text for text in box_texts(fig).values())
    x = torch.arange(4.0, requires_grad=True)
    assert "shape of self (4,)" in box_texts(draw(x.sum()))["node-text-0"]


# --------------------------------------------------------------------------- notes under a picture


def notes_of(fig) -> str:
    return "\n".join(t.get_text() for t in fig.texts).replace("\n", " ")


@pytest.mark.parametrize("language", ["en", "pt"])
def test_a_picture_side_by_side_has_the_notes_draw_gives_it_in_the_same_order(language):
    """A graph whose operation retains its grad, then freed by backward(): side by side, its
    picture is explained as draw() explains it alone (freed graph, retained grad, the variant
    number), in the same order."""
    from autograd_lessons import draw_side_by_side

    set_language(language)
    x = torch.arange(3.0, requires_grad=True)
    y = x * 2
    y.retain_grad()
    loss = y.sum()
    loss.backward()
    wanted = [message(key) for key in ("graph.note_freed", "draw.note_retained_grad", "draw.note_backward_number")]
    for fig in (draw(loss), draw_side_by_side({"doubled": loss})):
        text = notes_of(fig)
        where = [text.find(" ".join(note.split("\n"))) for note in wanted]
        assert -1 not in where and where == sorted(where), (where, text)


def test_the_variant_number_is_explained_under_every_picture_that_shows_one():
    from autograd_lessons.i18n import LANGUAGES

    x = torch.arange(4.0, requires_grad=True)
    # What the note says of PyTorch holds for the installed version.
    assert type(x.sum().grad_fn).__name__ == "SumBackward0"
    assert type(x.sum(dim=0).grad_fn).__name__ == "SumBackward1"
    for language in LANGUAGES:
        set_language(language)
        note = message("draw.note_backward_number")
        assert all(word in note for word in ("MulBackward0", "SumBackward0", "x.sum()", "SumBackward1", "x.sum(dim=0)"))
        for fig in (draw(2 * torch.dot(x, x)), draw(backward_steps(x.sum()), step=1)):
            assert note in notes_of(fig)
            check_legible(fig, fig.dpi, fig._repr_png_())
        assert note not in notes_of(draw(x))  # a leaf alone: no numbered name
        big = x
        for _ in range(200):
            big = big * 1.01 + big.sin()
        markers = draw(big.sum(), fold=False)  # markers: no name is shown
        assert not markers.lesson_drawing.labelled and note not in notes_of(markers)


@pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph=True")
def test_a_picture_of_a_gradient_shows_the_terms_and_says_when_backward_recorded_it():
    x = torch.tensor([-1.0, 0.5, 2.0], requires_grad=True)
    (first,) = torch.autograd.grad((x**3).sum(), x, create_graph=True)
    for language, output in (("en", "output"), ("pt", "saída")):
        set_language(language)
        fig = draw(first)
        texts = "\n".join(box_texts(fig).values())
        assert f"{output} x**2" in texts and f"{output} 3 * x**2" in texts
        assert message("graph.note_recorded_backward") not in notes_of(fig)  # grad() leaves no mark
    set_language("en")
    (x**3).sum().backward(create_graph=True)
    fig = draw(x.grad)
    assert "output x.grad" in box_texts(fig)["node-text-0"]
    assert message("graph.note_recorded_backward") in notes_of(fig)
    check_legible(fig, fig.dpi, fig._repr_png_())
    x.grad = None


# --------------------------------------------------------------------------- several graphs side by side


def layer_loss():
    """A layer with tanh and the mean of its output's square: a graph about 6 inches wide at draw()'s
    widest box text, so that two of them only share a row with narrower text at a lower dpi."""
    X = torch.tensor([[1.0, -0.5], [0.3, 2.0], [-1.2, 0.7]], requires_grad=True)
    W = torch.tensor([[0.5, -1.0, 0.3], [0.8, 0.2, -0.6]], requires_grad=True)
    b = torch.tensor([0.1, -0.2, 0.05], requires_grad=True)
    h = (X @ W + b).tanh()
    return (h * h).mean()


def rendered_extents(fig):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(fig).get_renderer()
    return renderer, [ax.get_window_extent(renderer) for ax in fig.axes]


@pytest.mark.parametrize("language", ["en", "pt"])
def test_two_graphs_side_by_side_share_a_row_a_legend_and_stay_legible(language):
    from autograd_lessons import draw_side_by_side
    from autograd_lessons.drawing import count_text
    from autograd_lessons.drawing.describe import figure_description

    set_language(language)
    first, second = layer_loss(), layer_loss()
    fig = draw_side_by_side({"mine": trace(first), "theirs": second})
    left, right = (ax.get_position() for ax in fig.axes)
    assert left.x1 < right.x0 and abs(left.y1 - right.y1) < 1e-9, "one row, tops aligned"
    assert fig.dpi < 100 and check_legible(fig, fig.dpi, fig._repr_png_()) >= 9
    renderer, axes = rendered_extents(fig)
    assert all(ax.get_legend() is None for ax in fig.axes) and len(fig.legends) == 1, "one legend, for both"
    legend = fig.legends[0].get_window_extent(renderer)
    assert not any(legend.overlaps(extent) for extent in axes), "the legend sits below the pictures"
    labels = [text.get_text() for text in fig.legends[0].get_texts()]
    assert len(labels) == len(set(labels)) == 4, labels
    headings = {t.get_text(): t for t in fig.texts if t.get_fontweight() == "bold"}
    assert set(headings) == {"mine", "theirs"}
    for heading, extent in zip(("mine", "theirs"), axes, strict=True):
        box = headings[heading].get_window_extent(renderer)
        assert extent.x0 <= (box.x0 + box.x1) / 2 <= extent.x1 and box.y0 >= extent.y1, "each heading over its graph"
    own_title = message("draw.title", nodes=count_text(11), edges=count_text(11))
    assert [t.get_text() for t in fig.texts].count(own_title) == 2, "each picture keeps draw()'s title too"
    words = figure_description(fig)
    assert words.startswith(message("describe.figure.plots", count=count_text(2))) and "Mine." in words
    assert "Theirs." in words and len(fig.lesson_drawings) == 2
    assert all(drawing.labelled and drawing.smallest_label_pt >= 8 for drawing in fig.lesson_drawings)


def test_graphs_too_wide_to_share_a_row_are_drawn_one_above_the_other():
    from autograd_lessons import draw_side_by_side

    fig = draw_side_by_side([layer_loss() for _ in range(4)])
    positions = [ax.get_position() for ax in fig.axes]
    for upper, lower in itertools.pairwise(positions):
        assert lower.y1 < upper.y0, "one picture per row, top to bottom"
    assert fig.dpi > 95 and check_legible(fig, fig.dpi, fig._repr_png_()) >= 9
    assert not [t for t in fig.texts if t.get_fontweight() == "bold"], "no headings: draw()'s titles only"


def test_side_by_side_takes_one_graph_folds_a_big_one_and_names_itself_in_its_errors():
    from autograd_lessons import draw_side_by_side

    x = torch.ones(2, requires_grad=True)
    h = x
    for _ in range(60):
        h = torch.sin(h) * 1.5
    fig = draw_side_by_side({"chain": h.sum()})
    assert len(fig.axes) == 1 and fig.lesson_drawings[0].folded
    check_legible(fig, fig.dpi, fig._repr_png_())
    with pytest.raises(LessonError, match="draw_side_by_side"):
        draw_side_by_side({})
    with pytest.raises(LessonError, match="draw_side_by_side"):
        draw_side_by_side({"a number": 3.0})


def test_pictures_of_different_heights_side_by_side_line_up_at_the_top():
    from autograd_lessons import draw_side_by_side

    x = torch.arange(3.0, requires_grad=True)
    fig = draw_side_by_side({"tall": layer_loss(), "short": (x * 2).sum()})
    tall, short = (ax.get_position() for ax in fig.axes)
    assert abs(tall.y1 - short.y1) < 1e-9 and short.y0 > tall.y0 and tall.x1 < short.x0
    check_legible(fig, fig.dpi, fig._repr_png_())


def test_one_picture_alone_is_described_as_draw_describes_it_under_its_heading():
    from autograd_lessons import draw_side_by_side
    from autograd_lessons.drawing.describe import figure_description

    x = torch.arange(3.0, requires_grad=True)
    y = (x * 2).sum()
    words = figure_description(draw_side_by_side({"doubled": y}))
    assert words == f"Doubled. {figure_description(draw(y))}", words


@pytest.mark.parametrize("language", ["en", "pt"])
def test_pictures_that_read_alike_are_described_once_under_their_headings(language):
    """Side by side to show that two programs give the same graph: a screen reader hears the
    description once, with the headings, not twice in full."""
    from autograd_lessons import draw_side_by_side
    from autograd_lessons.drawing import count_text
    from autograd_lessons.drawing.describe import figure_description

    set_language(language)
    x = torch.arange(3.0, requires_grad=True)
    loss = (x * 2).sum()
    alone = figure_description(draw(loss))
    named = figure_description(draw_side_by_side({"ours": loss, "PyTorch": loss}))
    assert named == message(
        "describe.figure.alike_named", count=count_text(2), headings="“ours”, “PyTorch”", text=alone
    )
    assert named.count(alone) == 1
    unnamed = figure_description(draw_side_by_side([loss, loss, loss]))
    assert unnamed == message("describe.figure.alike", count=count_text(3), text=alone)
    other = (x * x).sum()
    different = figure_description(draw_side_by_side({"ours": loss, "squares": other}))
    assert different.startswith(message("describe.figure.plots", count=count_text(2))), "different: each in turn"
