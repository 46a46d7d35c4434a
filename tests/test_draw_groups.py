"""draw() shows what the graph model carries: submodules and repeated blocks as labelled frames,
several outputs, folding into repeated blocks, gradients kept on intermediate tensors, legible
text at display size, and SVG output."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autograd_lessons import LessonError, draw, palette, set_language, trace
from autograd_lessons.drawing import MIN_LABEL_PT, group_paths
from autograd_lessons.graph import Edge, Graph, Group, Node, Value
from autograd_lessons.i18n import message

sys.path.insert(0, str(Path(__file__).parent))
from test_draw import check_geometry, dags, legend_of, styles

EPS = 1e-6


def linear(first: int, inputs_from: int | None, cut: bool = False):
    """The backward nodes of one nn.Linear, indices from `first`: Addmm, AccumulateGrad and
    leaf of the bias, T, AccumulateGrad and leaf of the weight (6 nodes), then its input."""
    nodes = [
        Node(first, "op", op="AddmmBackward0"),
        Node(first + 1, "op", op="AccumulateGrad"),
        Node(first + 2, "leaf", name=f"b{first}"),
        Node(first + 3, "op", op="TBackward0"),
        Node(first + 4, "op", op="AccumulateGrad"),
        Node(first + 5, "leaf", name=f"W{first}"),
    ]
    edges = [
        Edge(first, first + 1, 0),
        Edge(first, first + 3, 2),
        Edge(first + 1, first + 2, 0),
        Edge(first + 3, first + 4, 0),
        Edge(first + 4, first + 5, 0),
    ]
    if inputs_from is not None:
        edges.append(Edge(first, inputs_from, 1))
    return nodes, edges


def nested_modules() -> Graph:
    """mean(Sequential(Linear, Tanh, Sequential(Linear, ReLU))(x)), as trace(modules=...)
    groups it: "2 (Sequential)" holds "2.0 (Linear)" and "2.1 (ReLU)"."""
    nodes = [Node(0, "op", op="MeanBackward0", name="loss"), Node(1, "op", op="ReluBackward0")]
    edges = [Edge(0, 1, 0)]
    inner, inner_edges = linear(2, inputs_from=8)  # 2.0 (Linear): 2..7, its input is the Tanh
    nodes += inner
    edges += [Edge(1, 2, 0)] + inner_edges
    nodes.append(Node(8, "op", op="TanhBackward0"))
    first, first_edges = linear(9, inputs_from=None)  # 0 (Linear): 9..14, its input x is a plain tensor
    nodes += first
    edges += [Edge(8, 9, 0)] + first_edges
    groups = (
        Group("module", "0 (Linear)", tuple(range(9, 15))),
        Group("module", "1 (Tanh)", (8,)),
        Group("module", "2 (Sequential)", tuple(range(1, 8))),
        Group("module", "2.0 (Linear)", tuple(range(2, 8)), parent=2),
        Group("module", "2.1 (ReLU)", (1,), parent=2),
    )
    return Graph(tuple(nodes), tuple(edges), groups=groups)


def repeated_block(repeat: int = 400) -> Graph:
    """A residual step h = tanh(w @ h) + h folded to one instance in a "× 400" frame, as
    folding.fold leaves it: Sum -> [Add -> Tanh -> Mv] -> Add -> Tanh -> Mv, w shared."""
    ops = [
        "SumBackward0",
        "AddBackward0",
        "TanhBackward0",
        "MvBackward0",
        "AddBackward0",
        "TanhBackward0",
        "MvBackward0",
    ]
    nodes = [Node(i, "op", op=op) for i, op in enumerate(ops)]
    nodes += [
        Node(7, "op", op="AccumulateGrad"),
        Node(8, "leaf", name="w", value=Value(shape=(8, 8), norm=8.4)),
        Node(9, "cut", name="h0", value=Value(shape=(8,), norm=2.0)),
    ]
    edges = [
        Edge(0, 1, 0),
        Edge(1, 2, 0),
        Edge(1, 4, 1),
        Edge(2, 3, 0),
        Edge(3, 7, 0),
        Edge(3, 4, 1),
        Edge(4, 5, 0),
        Edge(4, 9, 1),
        Edge(5, 6, 0),
        Edge(6, 7, 0),
        Edge(6, 9, 1),
        Edge(7, 8, 0),
    ]
    covers = tuple(range(1, 1 + 3 * repeat))
    groups = (Group("repeat", f"× {repeat}", (1, 2, 3), repeat=repeat, covers=covers),)
    return Graph(tuple(nodes), tuple(edges), groups=groups)


def two_outputs() -> Graph:
    """An LSTM-like cell's (h, c): both outputs share the leaf's AccumulateGrad."""
    nodes = (
        Node(0, "op", op="MulBackward0", name="h"),
        Node(1, "op", op="TanhBackward0", name="c"),
        Node(2, "op", op="SigmoidBackward0"),
        Node(3, "op", op="AccumulateGrad"),
        Node(4, "leaf", name="x", value=Value(shape=(3,), data=(1.0, 2.0, 3.0))),
    )
    edges = (Edge(0, 1, 0), Edge(0, 2, 1), Edge(1, 3, 0), Edge(2, 3, 0), Edge(3, 4, 0))
    return Graph(nodes, edges, outputs=(0, 1))


def sixty_boxes() -> Graph:
    """Eight Linear + Tanh layers under a loss with an untracked target, the first Linear reading
    an untracked x: 1 + 8 * 7 + 3 = 60 boxes, each Linear in a "k (Linear)" frame."""
    nodes, edges, groups = (
        [Node(0, "op", op="MeanBackward0", name="loss"), Node(1, "op", op="SubBackward0")],
        [Edge(0, 1, 0)],
        [],
    )
    above = 1
    for k in range(8):
        tanh = len(nodes)
        nodes.append(Node(tanh, "op", op="TanhBackward0"))
        edges.append(Edge(above, tanh, 0))
        first = len(nodes)
        layer, layer_edges = linear(first, inputs_from=first + 6 if k < 7 else None)
        nodes += layer
        edges += [Edge(tanh, first, 0)] + layer_edges
        groups.append(Group("module", f"{7 - k} (Linear)", tuple(range(first, first + 6))))
        above = first
    nodes.append(Node(len(nodes), "cut", name="x"))
    edges.append(Edge(above, len(nodes) - 1, 1))
    nodes.append(Node(len(nodes), "cut", name="target"))
    edges.append(Edge(1, len(nodes) - 1, 1))
    return Graph(tuple(nodes), tuple(edges), groups=tuple(groups))


def inside(box, frame) -> bool:
    return (
        frame[0] - EPS <= box[0] and box[2] <= frame[2] + EPS and frame[1] - EPS <= box[1] and box[3] <= frame[3] + EPS
    )


def overlap(a, b) -> bool:
    return a[0] < b[2] - EPS and b[0] < a[2] - EPS and a[1] < b[3] - EPS and b[1] < a[3] - EPS


def check_frames(info) -> None:
    """Every frame holds exactly its members' boxes (inner groups' included) and no other box;
    a nested frame lies inside its parent's; frames that are not nested do not touch; a frame's
    label sits inside its frame, over no box and no other label."""
    graph = info.graph
    paths, node_paths = group_paths(graph)
    drawn = {g: (frame, label) for g, frame, label in info.frames}
    assert set(drawn) == {g for g in range(len(graph.groups)) if any(g in p for p in node_paths)}
    for g, (frame, label) in drawn.items():
        for i, box in enumerate(info.boxes):
            if g in node_paths[i]:
                assert inside(box, frame), f"box {i} sticks out of frame {graph.groups[g].label!r}"
            else:
                assert not overlap(box, frame), f"box {i} is inside frame {graph.groups[g].label!r}, not its member"
        for h, (other, other_label) in drawn.items():
            if h == g:
                continue
            if g in paths[h][:-1]:
                assert inside(other, frame), f"frame {h} is not inside its parent {g}"
            elif h not in paths[g][:-1]:
                assert not overlap(frame, other), f"frames {g} and {h} overlap"
            if label is not None and other_label is not None:
                assert not overlap(label, other_label), f"labels of frames {g} and {h} overlap"
        if label is not None:
            assert inside(label, frame)
            for i, box in enumerate(info.boxes):
                assert not overlap(label, box), f"the label of frame {g} covers box {i}"
    assert info.clusters == tuple(
        (graph.groups[g].label, drawn[g][0]) for g in sorted(drawn) if graph.groups[g].kind == "module"
    )
    assert info.repeats == tuple(
        (graph.groups[g].label, drawn[g][0]) for g in sorted(drawn) if graph.groups[g].kind == "repeat"
    )


def texts(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts] + [t.get_text() for t in fig.texts]


# --------------------------------------------------------------------------- frames


def test_nested_module_frames_hold_exactly_their_members():
    fig = draw(nested_modules())
    info = fig.lesson_drawing
    assert info.labelled
    check_geometry(info)
    check_frames(info)
    assert [label for label, _ in info.clusters] == [
        "0 (Linear)",
        "1 (Tanh)",
        "2 (Sequential)",
        "2.0 (Linear)",
        "2.1 (ReLU)",
    ]
    boxes = dict(info.clusters)
    assert inside(boxes["2.0 (Linear)"], boxes["2 (Sequential)"]) and inside(
        boxes["2.1 (ReLU)"], boxes["2 (Sequential)"]
    )
    # the parent's frame leaves a padding around its children's
    outer, inner = boxes["2 (Sequential)"], boxes["2.0 (Linear)"]
    assert outer[0] < inner[0] and outer[1] < inner[1] and inner[2] < outer[2] and inner[3] < outer[3]
    for label in boxes:
        assert label in texts(fig)


def test_layout_keeps_each_group_together_in_every_row():
    info = draw(nested_modules()).lesson_drawing
    _, node_paths = group_paths(info.graph)
    for row in info.layout.order:
        for g in range(len(info.graph.groups)):
            ranks = [r for r, i in enumerate(row) if g in node_paths[i]]
            assert ranks == list(range(ranks[0], ranks[0] + len(ranks))) if ranks else True


def test_frames_look_like_their_legend_entries():
    fig = draw(nested_modules())
    entries = legend_of(fig)
    module = entries[message("draw.legend.module")]
    patches = [p for p in fig.axes[0].patches if (p.get_gid() or "").startswith("module-frame-")]
    assert len(patches) == 5 and {styles(p) for p in patches} == {styles(module)}
    assert message("draw.legend.repeat") not in entries
    assert len([e for e in entries if e == message("draw.legend.output")]) == 1


def test_a_repeated_block_is_a_dashed_frame_with_its_count():
    from matplotlib.colors import to_rgba

    fig = draw(repeated_block())
    info = fig.lesson_drawing
    check_geometry(info)
    check_frames(info)
    assert info.clusters == () and [label for label, _ in info.repeats] == ["× 400"]
    (patch,) = [p for p in fig.axes[0].patches if (p.get_gid() or "").startswith("repeat-frame-")]
    assert patch.get_linestyle() == "--" and patch.get_edgecolor() == to_rgba(palette.REPEAT_FRAME)
    assert palette.REPEAT_FRAME != palette.MODULE_FRAME
    entries = legend_of(fig)
    assert styles(entries[message("draw.legend.repeat")]) == styles(patch)
    assert "× 400" in texts(fig)
    title = fig._suptitle.get_text().replace("\n", " ")
    assert title == (
        "computational graph: 10 boxes for 1,207 nodes (a block of 3 boxes repeated 400 times, drawn once with “× 400”)"
    )
    set_language("pt")
    title = draw(repeated_block())._suptitle.get_text().replace("\n", " ")
    assert title == (
        "grafo computacional: 10 caixas para 1.207 nós "
        "(um bloco de 3 caixas que se repete 400 vezes, desenhado uma vez com “× 400”)"
    )


def test_a_real_residual_loop_folds_into_a_repeat_frame():
    torch.manual_seed(0)
    w = torch.randn(8, 8, requires_grad=True)
    h = torch.randn(8)
    for _ in range(400):
        h = torch.tanh(w @ h) + h
    fig = draw(h.sum())
    info = fig.lesson_drawing
    assert info.folded and info.labelled
    check_geometry(info)
    check_frames(info)
    ((label, _),) = info.repeats
    assert re.fullmatch(r"× \d+", label)
    count = label.split()[1]
    title = fig._suptitle.get_text().replace("\n", " ")
    nodes = len(trace(h.sum()).nodes)
    assert f"repeated {count} times" in title and f"{len(info.graph.nodes)} boxes for {nodes:,} nodes" in title
    assert info.graph.counts() == draw(h.sum(), fold=False).lesson_drawing.graph.counts()
    assert not draw(h.sum(), fold=False).lesson_drawing.labelled  # markers, as before


def test_marker_pictures_outline_the_groups_too():
    graph = nested_modules()
    fig = draw(graph, label_limit=0)
    info = fig.lesson_drawing
    assert not info.labelled
    assert [label for label, _ in info.clusters] == [g.label for g in graph.groups]
    _, node_paths = group_paths(graph)
    for g, frame, label in info.frames:  # markers promise no layout around frames, only outlines
        assert label is None
        assert all(inside(info.boxes[i], frame) for i in range(len(graph.nodes)) if g in node_paths[i])


@st.composite
def grouped_dags(draw_):
    """Random DAGs with random groups: index ranges, some nested inside another."""
    graph = draw_(dags())
    n = len(graph.nodes)
    groups: list[Group] = []
    for _ in range(draw_(st.integers(0, 3))):
        a = draw_(st.integers(0, n - 1))
        b = draw_(st.integers(a + 1, n))
        taken = {m for g in groups for m in g.members}
        members = tuple(i for i in range(a, b) if i not in taken)
        if members:
            groups.append(
                Group("module" if draw_(st.booleans()) else "repeat", f"g{len(groups)} (Block)", members, repeat=3)
            )
            if len(members) > 1 and draw_(st.booleans()):
                cut = draw_(st.integers(1, len(members)))
                groups.append(Group("module", f"g{len(groups)} (Inner)", members[:cut], parent=len(groups) - 1))
    return Graph(graph.nodes, graph.edges, groups=tuple(groups))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graph=grouped_dags())
def test_random_groups_get_frames_that_hold_exactly_their_members(graph):
    info = draw(graph, fold=False).lesson_drawing
    if info.labelled:  # markers only outline their groups (test_marker_pictures_outline_the_groups_too)
        check_geometry(info)
        check_frames(info)


def test_the_frame_check_bites_on_a_foreign_box_inside_a_frame():
    from dataclasses import replace

    info = draw(nested_modules()).lesson_drawing
    g, frame, label = next(f for f in info.frames if info.graph.groups[f[0]].label == "1 (Tanh)")
    outsider = info.boxes[0]  # the loss, in no group
    grown = (min(frame[0], outsider[0]), frame[1], max(frame[2], outsider[2]), outsider[3] + 1.0)
    frames = tuple((h, grown if h == g else f, lb) for h, f, lb in info.frames)
    with pytest.raises(AssertionError, match="not its member|overlap"):
        check_frames(replace(info, frames=frames))


# --------------------------------------------------------------------------- outputs


def test_every_output_gets_the_output_frame_and_one_legend_entry():
    fig = draw(two_outputs())
    info = fig.lesson_drawing
    frames = [p for p in fig.axes[0].patches if (p.get_gid() or "").startswith("output-node")]
    assert len(frames) == 2
    for patch, i in zip(frames, (0, 1), strict=True):
        box = patch.get_bbox()
        assert (box.x0, box.y0, box.x1, box.y1) == pytest.approx(info.boxes[i])
    assert list(legend_of(fig)).count(message("draw.legend.output")) == 1
    markers = draw(two_outputs(), label_limit=0)
    (ring,) = [c for c in markers.axes[0].collections if c.get_gid() == "output-node"]
    assert len(ring.get_offsets()) == 2


def test_draw_takes_several_tensors_as_several_outputs():
    x = torch.arange(3.0, requires_grad=True)
    h, c = torch.tanh(x).sum(), (x * 2).sum()
    info = draw((h, c)).lesson_drawing
    assert len(info.graph.outputs) == 2
    check_geometry(info)


# --------------------------------------------------------------------------- values and legibility


def test_a_retained_gradient_shows_on_its_operation():
    graph = two_outputs()
    nodes = list(graph.nodes)
    nodes[2] = Node(2, "op", op="SigmoidBackward0", grad=Value(shape=(3,), data=(0.25, 0.5, 0.125)))
    fig = draw(Graph(tuple(nodes), graph.edges, outputs=graph.outputs))
    shown = texts(fig)
    assert any(t.startswith("SigmoidBackward0\n") and "grad [0.25, 0.5, 0.125]" in t for t in shown)
    assert any("retain_grad()" in t for t in shown)
    set_language("pt")
    shown = " ".join(" ".join(texts(draw(Graph(tuple(nodes), graph.edges, outputs=graph.outputs)))).split())
    assert "guardado com retain_grad()" in shown


def test_a_real_retain_grad_is_drawn():
    x = torch.arange(3.0, requires_grad=True)
    u = x * 2
    u.retain_grad()
    y = u.sum()
    y.backward(retain_graph=True)
    shown = texts(draw(y))
    assert any(t.startswith("MulBackward0\n") and "grad [1, 1, 1]" in t for t in shown)


def test_sixty_boxes_keep_every_text_at_eight_points():
    graph = sixty_boxes()
    assert len(graph.nodes) == 60
    assert draw(graph).lesson_drawing.repeats  # above FOLD_LIMIT draw() folds the repeated layers
    fig = draw(graph, fold=False)
    info = fig.lesson_drawing
    assert info.labelled and not info.folded and info.box_count == 60
    assert info.smallest_label_pt >= MIN_LABEL_PT == 8.0
    check_frames(info)
    sizes = [t.get_fontsize() for t in fig.findobj(lambda a: hasattr(a, "get_fontsize") and a.get_visible())]
    assert min(sizes) >= MIN_LABEL_PT


def test_smallest_label_counts_the_scaling_of_a_wide_figure():
    from matplotlib.figure import Figure

    fig = Figure(figsize=(17.2, 6), dpi=100)  # 1720 px: a notebook shows it at half its size
    draw(two_outputs(), ax=fig.add_subplot())
    assert fig.lesson_drawing.smallest_label_pt == pytest.approx(MIN_LABEL_PT / 2)


# --------------------------------------------------------------------------- formats


def test_svg_format_displays_as_svg_and_is_deterministic():
    from IPython.core.formatters import DisplayFormatter

    fig = draw(nested_modules(), format="svg")
    assert fig.lesson_drawing.format == "svg"
    assert fig._repr_png_() is None
    svg = fig._repr_svg_()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert svg == draw(nested_modules(), format="svg")._repr_svg_()
    assert "/tmp" not in svg and "/work" not in svg and "<dc:date>" not in svg
    shown, _ = DisplayFormatter().format(fig)
    assert "image/svg+xml" in shown and "image/png" not in shown
    png = draw(nested_modules())
    assert png.lesson_drawing.format == "png" and png._repr_svg_() is None
    assert png._repr_png_()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("language", ["en", "pt"])
def test_a_bad_format_says_the_two_choices(language):
    set_language(language)
    for bad in ("pdf", "SVG", None, 3):
        with pytest.raises(LessonError) as caught:
            draw(two_outputs(), format=bad)
        text = str(caught.value)
        assert 'format="png"' in text and 'format="svg"' in text
        assert ("escolha" in text) == (language == "pt")


def test_a_frame_keeps_clear_of_the_frames_inside_a_row_it_spans_without_a_box():
    """A block whose boxes are in rows 0 and 2 spans row 1, where another block (with a frame
    inside it) has its boxes: that block's frames, not only its boxes, stay clear of the first.
    (Found by test_random_groups_get_frames_that_hold_exactly_their_members.)"""
    nodes = [Node(0, "op", op="MulBackward0", name="y")]
    nodes += [Node(i, "op", op="MulBackward0") for i in range(1, 5)]
    nodes.append(Node(5, "leaf", value=Value(shape=(1,), norm=1.5)))
    pairs = [
        (0, 1),
        (0, 1),
        (0, 2),
        (0, 2),
        (0, 3),
        (0, 3),
        (1, 4),
        (1, 4),
        (2, 4),
        (2, 4),
        (3, 4),
        (3, 4),
        (4, 5),
        (4, 5),
    ]
    edges = [Edge(a, b, slot=[p for p, _ in pairs[:k]].count(a)) for k, (a, b) in enumerate(pairs)]
    groups = (
        Group("repeat", "g0 (Block)", (1, 2, 3), repeat=3),
        Group("module", "g1 (Inner)", (1,), parent=0),
        Group("repeat", "g2 (Block)", (0, 4), repeat=3),
    )
    info = draw(Graph(tuple(nodes), tuple(edges), groups=groups), fold=False).lesson_drawing
    assert info.labelled
    check_geometry(info)
    check_frames(info)
