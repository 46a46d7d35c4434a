"""draw() and layout(): layered structure, no overlaps, fewer crossings, folding, step highlight."""

from __future__ import annotations

import gc
import io
import subprocess
import sys
import weakref

import pytest
import torch

from autograd_lessons import LessonError, backward_steps, draw, set_language, trace
from autograd_lessons.claims import control_flow as f
from autograd_lessons.draw import crossings, layout
from autograd_lessons.graph import Edge, Graph, Node


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
    assert any(t.startswith(f"MulBackward0 ×{n}\n") for t in texts(fig))
    unfolded = draw(out, fold=False)
    assert not any(node.kind == "fold" for node in unfolded.lesson_drawing.graph.nodes)
    assert not any("×" + str(n) in t for t in texts(unfolded))


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
    for k, step in enumerate(steps):
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
    first = texts(draw(y, step=0))
    last = texts(draw(backward_steps(y), step=2))
    assert "2" in first and "[0, 2, 4, 6]" not in first
    assert last.count("[0, 2, 4, 6]") == 2  # the two arrivals of the fan-in
    assert any("grad [0, 4, 8, 12]" in t for t in last)
    assert x.grad is None  # drawing the steps did not touch .grad


def test_step_errors_are_clear():
    x = torch.arange(4.0, requires_grad=True)
    y = 2 * torch.dot(x, x)
    with pytest.raises(LessonError, match="0 to 2"):
        draw(y, step=3)
    with pytest.raises(LessonError, match="step=1"):
        draw(trace(y), step=1)


def test_big_graphs_use_collections_and_no_text_per_node():
    from matplotlib.collections import LineCollection, PathCollection

    torch.manual_seed(0)
    w = torch.randn(8, 8, requires_grad=True)
    h = torch.randn(8)
    for _ in range(200):
        h = torch.tanh(w @ h) + h
    fig = draw(h.sum())
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
    assert any("values are gone" in t for t in texts(fig))


def test_labels_follow_the_language():
    x = torch.arange(4.0, requires_grad=True)
    y = 2 * torch.dot(x, x)
    set_language("pt")
    assert any("derivada de ×" in t for t in texts(draw(y)))
    set_language("en")
    assert any("backward of ×" in t for t in texts(draw(y)))


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
    assert shown["text/plain"].startswith("<Figure size")  # the text nbval's sanitizer masks
