"""Pictures of the computation graph with matplotlib only (no Graphviz).

`layout(graph)` puts the output on top and the leaves at the bottom, one layer per distance,
and reorders each layer with barycentre sweeps to reduce edge crossings. `draw(y)` turns that
into a Figure: labelled boxes with values and gradients for lesson-sized graphs, and fast
collections (one artist for all edges, one for all nodes) for graphs with thousands of nodes.
"""

from __future__ import annotations

import functools
import inspect
import io
from dataclasses import dataclass

import numpy as np

from autograd_lessons.graph import Graph, Value, _Names, check_tensor, walk
from autograd_lessons.i18n import LessonError, message

# Okabe–Ito colour-blind-safe palette.
COLOURS = {
    "op": "#56B4E9",  # sky blue
    "accumulate": "#009E73",  # bluish green
    "leaf": "#F0E442",  # yellow
    "cut": "#D55E00",  # vermillion
    "fold": "#CC79A7",  # reddish purple
    "output": "#0072B2",  # blue (outline)
    "active": "#E69F00",  # orange (outline)
    "edge": "#555555",
}
LABEL_LIMIT = 60  # above this many nodes, draw markers without text
FOLD_LIMIT = 40  # above this many nodes, fold repeated chains unless fold=False
CROSSING_LIMIT = 600  # count crossings (O(edges²)) only up to this many edges
SWEEPS = 4


# --------------------------------------------------------------------------- layout


@dataclass(frozen=True)
class Layout:
    """Where each node goes: its layer (0 = output) and x position (layer-centred slots)."""

    layer: tuple[int, ...]
    order: tuple[tuple[int, ...], ...]  # node indices of each layer, left to right
    x: tuple[float, ...]
    crossings_before: int | None  # crossings of the first ordering (None: not counted)
    crossings_after: int | None


def layers(graph: Graph) -> list[int]:
    """Longest distance of every node from the output, so every edge points downwards."""
    n = len(graph.nodes)
    pending = [0] * n
    for edge in graph.edges:
        pending[edge.target] += 1
    layer = [0] * n
    ready = [i for i in range(n) if pending[i] == 0]
    while ready:
        i = ready.pop()
        for edge in graph.children[i]:
            t = edge.target
            layer[t] = max(layer[t], layer[i] + 1)
            pending[t] -= 1
            if pending[t] == 0:
                ready.append(t)
    return layer


def _positions(order: list[list[int]], n: int) -> np.ndarray:
    x = np.zeros(n)
    for row in order:
        centre = (len(row) - 1) / 2
        for rank, i in enumerate(row):
            x[i] = rank - centre
    return x


def crossings(graph: Graph, layer: list[int] | tuple[int, ...], x) -> int:
    """How many pairs of edges cross when drawn as straight segments (shared ends excluded)."""
    pairs = {(e.source, e.target) for e in graph.edges}
    if len(pairs) < 2:
        return 0
    ends = np.array(sorted(pairs))
    x = np.asarray(x, dtype=float)
    y = -np.asarray(layer, dtype=float)
    ax, ay, bx, by = x[ends[:, 0]], y[ends[:, 0]], x[ends[:, 1]], y[ends[:, 1]]

    def orient(px, py, qx, qy, rx, ry):
        return np.sign((qx - px) * (ry - py) - (qy - py) * (rx - px))

    i, j = np.triu_indices(len(ends), k=1)
    o1 = orient(ax[i], ay[i], bx[i], by[i], ax[j], ay[j])
    o2 = orient(ax[i], ay[i], bx[i], by[i], bx[j], by[j])
    o3 = orient(ax[j], ay[j], bx[j], by[j], ax[i], ay[i])
    o4 = orient(ax[j], ay[j], bx[j], by[j], bx[i], by[i])
    proper = (o1 * o2 < 0) & (o3 * o4 < 0)
    shared = (
        (ends[i, 0] == ends[j, 0])
        | (ends[i, 0] == ends[j, 1])
        | (ends[i, 1] == ends[j, 0])
        | (ends[i, 1] == ends[j, 1])
    )
    return int(np.count_nonzero(proper & ~shared))


def layout(graph: Graph, sweeps: int = SWEEPS) -> Layout:
    """Layered layout, output on top, with barycentre sweeps to reduce crossings.

    Each sweep orders a layer by the mean x of its neighbours in the layers above (going
    down) or below (going up). When the graph is small enough to count crossings, the best
    ordering seen is kept, so crossings never increase.
    """
    n = len(graph.nodes)
    layer = layers(graph)
    depth = max(layer) + 1 if n else 0
    order: list[list[int]] = [[] for _ in range(depth)]
    for i in range(n):
        order[layer[i]].append(i)
    above = [[e.source for e in graph.parents[i]] for i in range(n)]
    below = [[e.target for e in graph.children[i]] for i in range(n)]
    x = _positions(order, n)
    count = len(graph.edges) <= CROSSING_LIMIT
    before = best = crossings(graph, layer, x) if count else None
    best_order = [list(row) for row in order]

    def reorder(row: list[int], neighbours: list[list[int]]) -> list[int]:
        keyed = []
        for rank, i in enumerate(row):
            near = neighbours[i]
            key = sum(x[j] for j in near) / len(near) if near else x[i]
            keyed.append((key, rank, i))
        keyed.sort()
        return [i for _, _, i in keyed]

    for sweep in range(sweeps):
        going_down = sweep % 2 == 0
        rows = range(1, depth) if going_down else range(depth - 2, -1, -1)
        for k in rows:
            order[k] = reorder(order[k], above if going_down else below)
            centre = (len(order[k]) - 1) / 2
            for rank, i in enumerate(order[k]):
                x[i] = rank - centre
        if count:
            now = crossings(graph, layer, x)
            if now < best:
                best, best_order = now, [list(row) for row in order]
        else:
            best_order = [list(row) for row in order]
    x = _positions(best_order, n)
    return Layout(
        layer=tuple(layer),
        order=tuple(tuple(row) for row in best_order),
        x=tuple(float(v) for v in x),
        crossings_before=before,
        crossings_after=best,
    )


# --------------------------------------------------------------------------- drawing


@dataclass(frozen=True)
class Drawing:
    """What draw() drew, attached to the Figure as `fig.lesson_drawing` (for tests and tools)."""

    graph: Graph  # the drawn graph (folded if folding was applied)
    layout: Layout
    boxes: tuple[tuple[float, float, float, float], ...]  # (x0, y0, x1, y1) of each node
    active: int | None  # index of the highlighted node in `graph`, at step=k
    labelled: bool  # text labels were drawn
    folded: bool


def _kind(graph: Graph, i: int) -> str:
    node = graph.nodes[i]
    if node.kind == "op" and node.op == "AccumulateGrad":
        return "accumulate"
    return node.kind


def _wrap(text: str, width: int = 34, lines: int = 3) -> list[str]:
    chunks = [text[k : k + width] for k in range(0, len(text), width)] or [""]
    if len(chunks) > lines:
        chunks = chunks[:lines]
        chunks[-1] = chunks[-1][:-1] + "…"
    return chunks


def _node_lines(graph: Graph, i: int, grad: Value | None | str) -> list[str]:
    """The text inside a node's box (grad: a Value, None, or "keep" for the leaf's own .grad)."""
    node = graph.nodes[i]
    if node.kind == "leaf":
        lines = [message("graph.leaf") + (f" {node.name}" if node.name else "")]
        if node.value is not None:
            if node.value.data is None:
                lines += _wrap(node.value.text())
            else:
                lines += _wrap(message("graph.data", values=node.value.text()))
        shown = node.grad if grad == "keep" else grad
        lines += _wrap(message("graph.grad", values=shown.text() if shown is not None else "None"))
        return lines
    if node.kind == "cut":
        lines = [message("graph.cut")]
        if node.value is not None:
            value = node.value.text()
            lines += _wrap(f"{node.name} = {value}" if node.name else value)
        elif node.name:
            lines.append(node.name)
        return lines
    if node.kind == "fold":
        lines = [message("graph.fold", op=node.op, count=node.repeat), node.label]
    else:
        lines = [node.op, node.label]
    if node.name:
        lines.append(message("graph.output", name=node.name))
    for badge in node.saved[:2]:
        lines += _wrap(badge.text(), lines=1)
    if len(node.saved) > 2:
        lines.append("…")
    return lines


def _resolve(obj, step, names, frame):
    """Turn draw()'s first argument into (graph, steps or None)."""
    from autograd_lessons.steps import Steps, _record

    if isinstance(obj, Steps):
        return obj.graph, obj
    if isinstance(obj, Graph):
        if step is not None:
            raise LessonError(message("draw.error.step_needs_tensor", step=step)) from None
        return obj, None
    tensor = check_tensor(obj, "draw")
    found = _Names(names, frame)
    try:
        if step is None:
            graph, fns = walk(tensor, found)
            del fns
            return graph, None
        steps = _record(tensor, None, False, found)
        return steps.graph, steps
    finally:
        found.release()


def draw(
    tensor_or_graph,
    *,
    step: int | None = None,
    fold: bool | None = None,
    ax=None,
    names: dict[str, object] | None = None,
    label_limit: int = LABEL_LIMIT,
    fold_limit: int = FOLD_LIMIT,
    title: str | None = None,
):
    """Draw the computation graph of a tensor (or a traced Graph, or backward_steps' result).

    step=k highlights the node the engine runs at step k and writes on each edge the
    gradient that has travelled along it so far. fold=True/False forces folding repeated
    chains into one box; by default graphs above `fold_limit` nodes are folded.
    Returns a matplotlib Figure (displayed by itself in a notebook).
    """
    frame = inspect.currentframe().f_back
    try:
        graph, steps = _resolve(tensor_or_graph, step, names, frame)
    finally:
        del frame
    if steps is not None and step is not None and not 0 <= step < len(steps):
        last = len(steps) - 1
        raise LessonError(message("draw.error.step_range", step=step, count=len(steps), last=last)) from None
    if fold is None:
        fold = step is None and len(graph.nodes) > fold_limit
    view = graph.fold() if fold else graph
    folded = view is not graph
    to_view = list(range(len(graph.nodes)))
    if folded:
        for node in view.nodes:
            for old in node.members:
                to_view[old] = node.index
    lay = layout(view)

    # What the chosen step shows: active node, nodes already run, gradients on edges.
    active = None
    done: set[int] = set()
    edge_grads: dict[tuple[int, int, int], Value | None] = {}
    leaf_grads: dict[int, Value | None] = {}
    if steps is not None and step is not None:
        active = to_view[steps[step].node]
        for s in steps.steps[: step + 1]:
            done.add(to_view[s.node])
            for sent in s.sent:
                a, b = to_view[s.node], to_view[sent.target]
                if a != b:
                    edge_grads[(a, b, sent.slot)] = sent.value
            if s.landed is not None:
                for e in graph.children[s.node]:
                    leaf_grads[to_view[e.target]] = s.landed
        done |= {i for i in range(len(view.nodes)) if view.nodes[i].kind == "leaf" and i in leaf_grads}

    from matplotlib.figure import Figure

    labelled = len(view.nodes) <= label_limit
    if labelled:
        fig, boxes = _draw_labelled(view, lay, ax, active, done, edge_grads, leaf_grads, step is not None)
    else:
        fig, boxes = _draw_markers(view, lay, ax, active, done, step is not None)
    assert isinstance(fig, Figure)
    target_ax = fig.axes[0] if ax is None else ax
    if title is None:
        if steps is not None and step is not None:
            title = message(
                "draw.title_step", number=step, last=len(steps) - 1, op=graph.nodes[steps[step].node].op
            )
        else:
            title = message("draw.title", nodes=len(graph.nodes), edges=len(graph.edges))
    if ax is None:
        fig.suptitle(title, fontsize=10, x=0.01, ha="left")
    else:
        ax.set_title(title, fontsize=10)
    notes = []
    if not labelled:
        notes.append(message("draw.labels_hidden", nodes=len(view.nodes)))
    if graph.freed:
        notes.append(message("graph.note_freed"))
    if notes:
        target_ax.text(
            0.0, -0.01, "\n".join(notes), transform=target_ax.transAxes, fontsize=7, va="top", wrap=True
        )
    _legend(fig, target_ax, view, active is not None, ax is not None)
    fig.lesson_drawing = Drawing(
        graph=view, layout=lay, boxes=tuple(boxes), active=active, labelled=labelled, folded=folded
    )
    return fig


def _legend(fig, ax, view: Graph, stepping: bool, own_ax: bool) -> None:
    from matplotlib.patches import Patch

    present = {_kind(view, i) for i in range(len(view.nodes))}
    handles = []
    for kind in ("op", "accumulate", "leaf", "cut", "fold"):
        if kind in present:
            style = {"linestyle": "--"} if kind == "cut" else {}
            handles.append(
                Patch(facecolor=COLOURS[kind], edgecolor="#333333", label=message("draw.legend." + kind), **style)
            )
    handles.append(Patch(facecolor="white", edgecolor=COLOURS["output"], linewidth=2.5, label=message("draw.legend.output")))
    if stepping:
        handles.append(Patch(facecolor="white", edgecolor=COLOURS["active"], linewidth=3, label=message("draw.legend.active")))
        handles.append(Patch(facecolor="#dddddd", edgecolor="#999999", alpha=0.5, label=message("draw.legend.pending")))
    options = dict(handles=handles, fontsize=7, title=message("draw.legend.title"), title_fontsize=7, frameon=False)
    if own_ax:
        ax.legend(loc="best", **options)
    else:
        fig.legend(loc="upper right", bbox_to_anchor=(1.0, 0.95), **options)


@functools.cache
def _figure_class():
    """A Figure that shows itself as a PNG in Jupyter, with or without pyplot's inline backend.

    draw() never imports pyplot (so it changes no global state), and without pyplot IPython has
    no formatter for Figure; `_repr_png_` gives it one.
    """
    from matplotlib.figure import Figure

    class LessonFigure(Figure):
        def __repr__(self) -> str:  # the same text as a plain Figure's
            return super().__repr__().replace(type(self).__name__, "Figure", 1)

        def _repr_png_(self) -> bytes:
            buffer = io.BytesIO()
            self.savefig(buffer, format="png")
            return buffer.getvalue()

    return LessonFigure


def _draw_labelled(view, lay, ax, active, done, edge_grads, leaf_grads, stepping):
    """One box and one text per node: for lesson-sized graphs."""
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    n = len(view.nodes)
    font = 8.0
    char_w, line_h = 0.61 * font / 72, 1.3 * font / 72  # inches, monospace
    texts = []
    for i in range(n):
        grad = leaf_grads.get(i) if stepping else "keep"
        texts.append(_node_lines(view, i, grad))
    w = [max(len(t) for t in lines) * char_w + 0.2 for lines in texts]
    h = [len(lines) * line_h + 0.14 for lines in texts]
    col = max(w) + 0.35
    row = max(h) + 0.55
    cx = [lay.x[i] * col for i in range(n)]
    cy = [-lay.layer[i] * row for i in range(n)]
    x0, x1 = min(cx[i] - w[i] / 2 for i in range(n)) - 0.15, max(cx[i] + w[i] / 2 for i in range(n)) + 0.15
    y0, y1 = min(cy[i] - h[i] / 2 for i in range(n)) - 0.15, max(cy[i] + h[i] / 2 for i in range(n)) + 0.15
    if x1 - x0 < 4.5:  # leave room for the title
        x0, x1 = (x0 + x1) / 2 - 2.25, (x0 + x1) / 2 + 2.25
    graph_w, graph_h = x1 - x0, y1 - y0
    legend_w, title_h = 2.6, 0.5
    if ax is None:
        full_w, full_h = graph_w + legend_w, graph_h + title_h
        scale = min(1.0, 20.0 / full_w, 24.0 / full_h)
        fig = _figure_class()(figsize=(full_w * scale, full_h * scale))
        ax = fig.add_axes((0.0, 0.0, graph_w / full_w, graph_h / full_h))
        ax.set_anchor("NW")
    else:
        fig = ax.figure
        bbox = ax.get_window_extent().transformed(fig.dpi_scale_trans.inverted())
        scale = min(1.0, bbox.width / graph_w, bbox.height / graph_h)
    font *= scale
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal", adjustable="box")
    ax.set_axis_off()

    boxes = []
    for i in range(n):
        kind = _kind(view, i)
        faded = stepping and i not in done and i != active
        edgecolor, lw, gid = "#333333", 0.8, None
        if i == 0:
            edgecolor, lw = COLOURS["output"], 2.5
        if i == active:
            edgecolor, lw, gid = COLOURS["active"], 3.5, "active-node"
        box = FancyBboxPatch(
            (cx[i] - w[i] / 2, cy[i] - h[i] / 2),
            w[i],
            h[i],
            boxstyle="round,pad=0,rounding_size=0.06",
            facecolor=COLOURS[kind],
            edgecolor=edgecolor,
            linewidth=lw,
            linestyle="--" if kind == "cut" else "-",
            alpha=0.35 if faded else 0.9,
            gid=gid,
            zorder=2,
        )
        ax.add_patch(box)
        ax.text(
            cx[i], cy[i], "\n".join(texts[i]), ha="center", va="center", fontsize=font,
            family="monospace", zorder=3, alpha=0.5 if faded else 1.0,
        )
        boxes.append((cx[i] - w[i] / 2, cy[i] - h[i] / 2, cx[i] + w[i] / 2, cy[i] + h[i] / 2))

    seen: dict[tuple[int, int], int] = {}
    for edge in view.edges:
        s, t = edge.source, edge.target
        k = seen.get((s, t), 0)
        seen[(s, t)] = k + 1
        rad = 0.0 if k == 0 else (0.25 if k % 2 else -0.25) * ((k + 1) // 2)
        start, end = (cx[s], cy[s] - h[s] / 2), (cx[t], cy[t] + h[t] / 2)
        reached = edge_grads.get((s, t, edge.slot)) is not None
        arrow = FancyArrowPatch(
            start, end, arrowstyle="-|>", mutation_scale=8 * scale, connectionstyle=f"arc3,rad={rad}",
            color=COLOURS["active"] if reached else COLOURS["edge"], linewidth=1.6 if reached else 0.9,
            shrinkA=0, shrinkB=0, zorder=1,
        )
        ax.add_patch(arrow)
        if reached:
            # Midpoint of matplotlib's arc3 curve: halfway to its control point.
            mx = (start[0] + end[0]) / 2 + rad * (end[1] - start[1]) / 2
            my = (start[1] + end[1]) / 2 - rad * (end[0] - start[0]) / 2
            ax.text(
                mx, my, _wrap(edge_grads[(s, t, edge.slot)].text(), width=28, lines=1)[0],
                fontsize=font * 0.9, ha="center", va="center", family="monospace", zorder=4,
                bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor=COLOURS["active"], linewidth=0.6),
            )
    return fig, boxes


def _draw_markers(view, lay, ax, active, done, stepping):
    """All edges in one LineCollection and all nodes in one scatter: for big graphs."""
    from matplotlib.collections import LineCollection
    from matplotlib.colors import to_rgba

    n = len(view.nodes)
    x = np.asarray(lay.x, dtype=float)
    y = -np.asarray(lay.layer, dtype=float)
    width = max(len(row) for row in lay.order)
    depth = len(lay.order)
    if ax is None:
        fig_w = min(14.0, max(6.0, 3.0 + 0.3 * width))
        fig_h = min(14.0, max(5.0, 3.0 + 0.02 * depth))
        fig = _figure_class()(figsize=(fig_w + 2.6, fig_h + 0.6))
        ax = fig.add_axes((0.02, 0.04, fig_w / (fig_w + 2.6) - 0.02, fig_h / (fig_h + 0.6) - 0.06))
    else:
        fig = ax.figure
    ax.set_axis_off()
    ends = np.array([(e.source, e.target) for e in view.edges], dtype=int).reshape(-1, 2)
    segments = np.stack([np.column_stack([x[ends[:, 0]], y[ends[:, 0]]]), np.column_stack([x[ends[:, 1]], y[ends[:, 1]]])], axis=1)
    ax.add_collection(LineCollection(segments, colors=COLOURS["edge"], linewidths=0.4, alpha=0.5, zorder=1))
    kinds = [_kind(view, i) for i in range(n)]
    colours = np.array([to_rgba(COLOURS[k]) for k in kinds])
    if stepping:
        pending = np.array([i not in done and i != active for i in range(n)])
        colours[pending, 3] = 0.25
    sizes = np.array([60.0 if k == "fold" else 14.0 for k in kinds])
    ax.scatter(x, y, s=sizes, c=colours, edgecolors="none", zorder=2)
    ax.scatter([x[0]], [y[0]], s=80, facecolors="none", edgecolors=COLOURS["output"], linewidths=2, zorder=3)
    if active is not None:
        ax.scatter([x[active]], [y[active]], s=120, facecolors="none", edgecolors=COLOURS["active"], linewidths=2.5, zorder=4, gid="active-node")
    pad = 0.5
    ax.set_xlim(x.min() - pad, x.max() + pad)
    ax.set_ylim(y.min() - pad, y.max() + pad)
    half = 0.2
    boxes = [(x[i] - half, y[i] - half, x[i] + half, y[i] + half) for i in range(n)]
    return fig, boxes


__all__ = ["Drawing", "Layout", "crossings", "draw", "layers", "layout"]
