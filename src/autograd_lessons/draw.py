"""Pictures of the computational graph with matplotlib only (no Graphviz).

`layout(graph)` is a Sugiyama-style layered layout: the output on top and the leaves at the
bottom, one layer per longest distance from the output; an edge that spans several layers gets
a dummy slot in each layer it passes, and barycentre sweeps order every layer (dummy slots
included) to reduce crossings. `draw(y)` turns that into a Figure:

- lesson-sized graphs get a box with text per node, rows packed by the real box widths, and
  every edge routed as a polyline that stays out of every box but its own two ends: a vertical
  stub out of its source, a straight segment across each gap between rows, a vertical run
  through any row it passes (at its own dummy slot) and a vertical stub into its target. Edges
  leaving or entering one box are spread over its width, so parallel edges (x used twice) are
  two lines. At step=k the gradients on the edges sit in lanes below their source row, clear
  of the boxes and of each other.
- big graphs get fast collections (one artist for all edges, one for all nodes) and no text.

`fig.lesson_drawing` (a `Drawing`) records the geometry for tests and tools, in inches.
"""

from __future__ import annotations

import functools
import io
import math
from dataclasses import dataclass, replace

import numpy as np
import torch

from autograd_lessons import palette
from autograd_lessons.callers import TensorNames, caller_tensor_names
from autograd_lessons.graph import Graph, Value, check_outputs, paused_gc, walk
from autograd_lessons.i18n import LessonError, message

# --------------------------------------------------------------------------- picture sizes
# A picture is legible when every text is at least MIN_TEXT_PX pixels tall where it is shown.
# Jupyter shows a PNG at its own pixel size only if it fits the output area; a wider PNG is
# scaled down, text included. So pictures are at most DISPLAY_WIDTH_PX wide at the dpi they
# are saved with, and every font is at least min_font_pt(dpi) points.
DPI = 100  # dots per inch of draw()'s figures (their _repr_png_) and of the explorers' PNGs
DISPLAY_WIDTH_PX = 860  # the widest PNG a notebook's output area shows at its own size
MIN_TEXT_PX = 9  # the smallest text a learner should have to read, in screen pixels
MAX_WIDTH_IN = DISPLAY_WIDTH_PX / DPI  # 8.6 in: wider labelled graphs fold or become markers
MAX_HEIGHT_IN = 40.0  # taller labelled graphs become markers (4000 px: the longest scroll)
# Font sizes: min_font_pt(DPI) is 6.48 pt; the secondary texts use the next whole size up.
TITLE_PT = 10.0  # 13.9 px at DPI: the one line that says what the picture is
NODE_PT = 8.0  # box text, 11.1 px at DPI: the main content, monospace so values line up
EDGE_PT = 8.0  # gradients written on edges: 11.1 px at DPI
LEGEND_PT = 8.0  # legend entries and title: 11.1 px at DPI
NOTE_PT = 8.0  # notes under the graph: 11.1 px at DPI
FRAME_PT = 8.0  # a frame's label ("0 (Linear)", "× 400"): 11.1 px at DPI
MIN_LABEL_PT = 8.0  # no text of a picture is smaller than this where it is shown (see smallest_label_pt)
FORMATS = ("png", "svg")  # what draw(format=...) makes; the first is the default
SVG_SALT = "autograd-lessons"  # fixed seed of the ids in an SVG, so two drawings give the same text


def min_font_pt(dpi: float) -> float:
    """The smallest font size (points) that is MIN_TEXT_PX pixels tall at `dpi`."""
    return MIN_TEXT_PX * 72.0 / dpi


LABEL_LIMIT = 60  # above this many nodes, draw markers without text
FOLD_LIMIT = 40  # above this many nodes, fold repeated chains unless fold=False
CROSSING_LIMIT = 600  # count crossings of straight segments (O(edges²)) only up to this many
SWEEPS = 6  # barycentre sweeps (down, up, down, …) ordering the layers
PLACE_SWEEPS = 6  # sweeps pulling each slot's x towards its neighbours' (box centres align)

# Geometry of labelled pictures, in inches (1 data unit = 1 inch of the figure).
MONO_EM = 0.61  # advance of one DejaVu Sans Mono character (0.602 em), rounded up
LINE_EM = 1.25  # line height of box text, in em
BOX_PAD = (0.1, 0.07)  # text to box outline, horizontal and vertical
BOX_GAP = 0.3  # between two boxes of a row
DUMMY_GAP = 0.14  # between an edge passing a row and its neighbours in that row
PORT_MARGIN = 0.1  # ports keep this far from a box's rounded corners
PORT_SPACING = 0.3  # widest spacing of the ports of one box
MIN_PORT_SPACING = 0.14  # narrowest spacing: boxes widen to keep it
MIN_SEPARATION = 0.08  # parallel edges stay at least this far apart (8 px: two visible lines)
START_STUB = 0.12  # vertical run out of a row before an edge turns
ARROW_STUB = 0.16  # vertical run into a box, so every arrowhead points straight down
SLANT = 0.42  # least height of the slanted part of a gap between rows
LABEL_PAD = (0.04, 0.03)  # text to the outline of a gradient written on an edge
LABEL_CHARS = 32  # a gradient on an edge is cut to one line of this many characters ("shape (5, 4), norm 0.03969" fits)
LANE_GAP = 0.05  # between two lanes of edge labels, and between labels in one lane
STUB_CLEAR = 0.04  # a label keeps this far from another edge's vertical run
MARGIN = 0.15  # around the graph
MIN_FIGURE_WIDTH = 5.0  # room for the title and a legend of two columns
# Frames on the output's box and on the active box (pt). When one box is both, the thinner
# blue frame is drawn over the wider orange one, and both stay visible.
HALO_WIDTH = {"output": 2.0, "active": 4.5}
BOX_LINE = 0.8  # box outline (pt)
EDGE_LINE = (0.9, 1.6)  # edge width (pt): not reached yet / the gradient went along it
ARROW_SIZE = 9.0  # arrowhead mutation scale (pt)
# Frames around groups (submodules, repeated blocks), in inches.
FRAME_PAD = 0.08  # from a frame to the boxes (or inner frames) it encloses
FRAME_GAP = 0.12  # from a frame to anything outside it, in its rows
FRAME_LABEL_PAD = (0.04, 0.02)  # a frame's label text to its background
FRAME_ROUNDING = 0.08  # corner radius of a frame
FRAME_LINE = {"module": 1.0, "repeat": 1.6}  # outline width (pt); the repeat frame is also dashed
FRAME_STYLE = {"module": "-", "repeat": "--"}
FOREIGN_PULL = 0.1  # how much a neighbour in another frame pulls a slot, relative to one in its own
FRAME_ROUNDS = 3  # placement rounds (pull towards neighbours, then separate frames) with groups
REPAIR_ROUNDS = 200  # passes pushing slots apart until no box sits inside a foreign frame
MARKER_FRAME_PAD = 0.3  # in marker pictures (rank units): from a frame to its markers


# --------------------------------------------------------------------------- layout


@dataclass(frozen=True)
class Layout:
    """Where each node goes: its layer (0 = output), its rank in the layer, the dummy slots.

    `rows` lists every slot of each layer from left to right: a node index, or
    `len(graph.nodes) + k` for dummy slot k, where edge `dummies[k][0]` passes layer
    `dummies[k][1]`. `chains[p]` are the dummy slots of edge p (position in graph.edges), top to
    bottom. `x` is each node's rank in its row, centred on 0; `order` the nodes of each row.
    """

    layer: tuple[int, ...]
    order: tuple[tuple[int, ...], ...]  # node indices of each layer, left to right
    x: tuple[float, ...]
    crossings_before: int | None  # crossings of the first ordering (None: not counted)
    crossings_after: int | None
    rows: tuple[tuple[int, ...], ...] = ()
    dummies: tuple[tuple[int, int], ...] = ()
    chains: tuple[tuple[int, ...], ...] = ()
    paths: tuple[tuple[int, ...], ...] = ()  # group path of every slot (see group_paths)


def layers(graph: Graph) -> list[int]:
    """The row of every node: its longest distance from the outputs, so every edge points down.

    With module groups, each module's nodes get rows of their own (a band), below the modules
    that use its result and above those it uses, so that frames stack instead of standing side
    by side; when the modules call each other in a cycle (one module called at several places,
    with other work in between), the plain rows are kept.
    """
    modules = [g for g in graph.groups if g.kind == "module"]
    if modules:
        banded = _banded_layers(graph, modules)
        if banded is not None:
            return banded
    rows = _longest_paths(range(len(graph.nodes)), [(e.source, e.target) for e in graph.edges])
    return [rows[i] for i in range(len(graph.nodes))]


def _longest_paths(units, edges, height=None) -> dict | None:
    """Longest-path rows over `units` joined by `edges` (source, target pairs); a unit with a
    height pushes what it points to that many rows down. None when the edges make a cycle."""
    units = list(units)
    pending = {u: 0 for u in units}
    out: dict = {u: [] for u in units}
    for a, b in edges:
        out[a].append(b)
        pending[b] += 1
    row = {u: 0 for u in units}
    ready = [u for u in units if pending[u] == 0]
    done = 0
    while ready:
        u = ready.pop()
        done += 1
        step = height[u] if height is not None else 1
        for v in out[u]:
            row[v] = max(row[v], row[u] + step)
            pending[v] -= 1
            if pending[v] == 0:
                ready.append(v)
    if done != len(units):
        return None
    return row


def _banded_layers(graph: Graph, modules: list) -> list[int] | None:
    """Rows in which each module group occupies a band of its own (see `layers`)."""
    index = {id(g): k for k, g in enumerate(graph.groups)}
    members = {index[id(g)]: set(g.members) for g in modules}
    children: dict = {}
    for g in modules:
        children.setdefault(g.parent, []).append(index[id(g)])
    # Scopes from the innermost out: a module's inside is laid out before the module itself.
    order, stack = [], [None]
    while stack:
        scope = stack.pop()
        order.append(scope)
        stack.extend(children.get(scope, ()))
    inner: dict = {}  # scope -> (node -> row within the scope)
    for scope in reversed(order):
        nodes = members[scope] if scope is not None else set(range(len(graph.nodes)))
        unit_of = {}
        for child in children.get(scope, ()):
            for i in members[child]:
                unit_of[i] = ("group", child)
        units = {unit_of.get(i, ("node", i)) for i in nodes}
        height = {u: (max(inner[u[1]].values()) + 1 if u[0] == "group" else 1) for u in units}
        links = {
            (unit_of.get(e.source, ("node", e.source)), unit_of.get(e.target, ("node", e.target)))
            for e in graph.edges
            if e.source in nodes and e.target in nodes
        }
        links = {(a, b) for a, b in links if a != b}
        offset = _longest_paths(units, links, height)
        if offset is None:
            return None
        inner[scope] = {
            i: offset[unit_of[i]] + inner[unit_of[i][1]][i] if i in unit_of else offset[("node", i)] for i in nodes
        }
    return [inner[None][i] for i in range(len(graph.nodes))]


def _straight_crossings(ends: np.ndarray, layer, x) -> int:
    """Pairs of the segments `ends` (rows of item pairs) that cross properly, shared ends excluded."""
    if len(ends) < 2:
        return 0
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


def crossings(graph: Graph, layer: list[int] | tuple[int, ...], x) -> int:
    """How many pairs of edges cross when drawn as straight segments (shared ends excluded)."""
    pairs = sorted({(e.source, e.target) for e in graph.edges})
    return _straight_crossings(np.array(pairs, dtype=int).reshape(-1, 2), layer, x)


def _bilayer_crossings(segments: list[tuple[int, int]], rank: np.ndarray, upper: list[int]) -> int:
    """Crossings of segments that all join consecutive layers: pairs (a, b), (c, d) in the same
    gap with rank a < rank c and rank b > rank d."""
    by_gap: dict[int, list[tuple[int, int]]] = {}
    for a, b in segments:
        by_gap.setdefault(upper[a], []).append((a, b))
    total = 0
    for group in by_gap.values():
        if len(group) < 2:
            continue
        pairs = np.array(group, dtype=int)
        top, bottom = rank[pairs[:, 0]], rank[pairs[:, 1]]
        total += int(np.count_nonzero((top[:, None] < top[None, :]) & (bottom[:, None] > bottom[None, :])))
    return total


def group_paths(graph: Graph) -> tuple[tuple[tuple[int, ...], ...], tuple[tuple[int, ...], ...]]:
    """(path of each group, path of each node): the indices in graph.groups of the frames it
    sits in, outermost first. A group's path follows Group.parent; a node's is the path of the
    innermost group listing it among its members (() for a node in no group)."""
    paths: list[tuple[int, ...]] = []
    for g in range(len(graph.groups)):
        path, at, seen = [g], graph.groups[g].parent, {g}
        while at is not None and 0 <= at < len(graph.groups) and at not in seen:
            seen.add(at)
            path.append(at)
            at = graph.groups[at].parent
        paths.append(tuple(reversed(path)))
    node_paths: list[tuple[int, ...]] = [()] * len(graph.nodes)
    for g, group in enumerate(graph.groups):
        for i in group.members:
            if 0 <= i < len(graph.nodes) and len(paths[g]) > len(node_paths[i]):
                node_paths[i] = paths[g]
    return tuple(paths), tuple(node_paths)


def _common(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    """The longest common start of two group paths: the frames both sit in."""
    k = 0
    while k < min(len(a), len(b)) and a[k] == b[k]:
        k += 1
    return a[:k]


def _nested_key(path: tuple[int, ...], group_key, own: float, i: int) -> tuple:
    """Sort key of an item in a row: frame by frame from the outermost, a frame's key, then the
    item's own; a frame's members therefore stay together, nested frames inside their parent."""
    return tuple((group_key[g], 0, g) for g in path) + ((own, 1, i),)


def layout(graph: Graph, sweeps: int = SWEEPS, route: bool = True) -> Layout:
    """Layered layout, output on top, with barycentre sweeps to reduce crossings.

    With route=True every edge that spans several layers gets a dummy slot in each layer it
    passes, and the sweeps order those slots with the nodes (Sugiyama); route=False orders the
    nodes only (for big graphs drawn with straight segments). Each sweep orders a layer by the
    mean rank of its neighbours in the layer above (going down) or below (going up). The best
    ordering seen is kept, so crossings never increase.

    Groups (graph.groups) keep their members together: in every layer a group's slots are
    neighbours, nested groups inside their parent's, and groups come in the same left-to-right
    order in every layer (each group has one key, the mean rank of its slots), so frames drawn
    around them never interleave. An edge's dummy slots belong to the groups both its ends are in.
    """
    n = len(graph.nodes)
    layer = layers(graph)
    _, node_paths = group_paths(graph)
    item_path: list[tuple[int, ...]] = list(node_paths)
    depth = max(layer) + 1 if n else 0
    item_layer = list(layer)
    segments: list[tuple[int, int]] = []
    dummies: list[tuple[int, int]] = []
    chains: list[tuple[int, ...]] = []
    for position, edge in enumerate(graph.edges):
        chain: list[int] = []
        if route:
            previous = edge.source
            for k in range(layer[edge.source] + 1, layer[edge.target]):
                slot = n + len(dummies)
                dummies.append((position, k))
                item_layer.append(k)
                item_path.append(_common(node_paths[edge.source], node_paths[edge.target]))
                chain.append(slot)
                segments.append((previous, slot))
                previous = slot
            segments.append((previous, edge.target))
        else:
            segments.append((edge.source, edge.target))
        chains.append(tuple(chain))
    m = len(item_layer)
    order: list[list[int]] = [[] for _ in range(depth)]
    for i in range(m):
        order[item_layer[i]].append(i)
    above: list[list[int]] = [[] for _ in range(m)]
    below: list[list[int]] = [[] for _ in range(m)]
    for a, b in segments:
        below[a].append(b)
        above[b].append(a)
    rank = np.zeros(m)

    def set_ranks(rows: list[list[int]]) -> None:
        for row in rows:
            centre = (len(row) - 1) / 2
            for r, i in enumerate(row):
                rank[i] = r - centre

    grouped = any(item_path)

    def regroup(rows: list[list[int]]) -> None:
        """Make every row's groups contiguous and equally ordered: one key per group."""
        if not grouped:
            return
        totals: dict[int, list[float]] = {}
        for row in rows:
            for i in row:
                for g in item_path[i]:
                    total = totals.setdefault(g, [0.0, 0])
                    total[0] += rank[i]
                    total[1] += 1
        group_key = {g: t[0] / t[1] for g, t in totals.items()}
        for row in rows:
            row.sort(key=lambda i: _nested_key(item_path[i], group_key, rank[i], i))
        set_ranks(rows)

    unique = sorted(set(segments))
    if route:
        count = lambda: _bilayer_crossings(unique, rank, item_layer)  # noqa: E731
    elif len(unique) <= CROSSING_LIMIT:
        ends = np.array(unique, dtype=int).reshape(-1, 2)
        count = lambda: _straight_crossings(ends, item_layer, rank)  # noqa: E731
    else:
        count = None
    set_ranks(order)
    regroup(order)
    before = best = count() if count else None
    best_order = [list(row) for row in order]

    def reorder(row: list[int], neighbours: list[list[int]]) -> list[int]:
        keyed = []
        for r, i in enumerate(row):
            near = neighbours[i]
            key = sum(rank[j] for j in near) / len(near) if near else rank[i]
            keyed.append((key, r, i))
        if grouped:  # a group's key in this row: the mean key of its slots here
            totals: dict[int, list[float]] = {}
            for key, _, i in keyed:
                for g in item_path[i]:
                    total = totals.setdefault(g, [0.0, 0])
                    total[0] += key
                    total[1] += 1
            group_key = {g: t[0] / t[1] for g, t in totals.items()}
            keyed.sort(key=lambda k: _nested_key(item_path[k[2]], group_key, k[0], k[1]))
        else:
            keyed.sort()
        return [i for _, _, i in keyed]

    for sweep in range(sweeps):
        going_down = sweep % 2 == 0
        rows = range(1, depth) if going_down else range(depth - 2, -1, -1)
        for k in rows:
            order[k] = reorder(order[k], above if going_down else below)
            set_ranks([order[k]])
        regroup(order)
        if count:
            now = count()
            if now < best:
                best, best_order = now, [list(row) for row in order]
        else:
            best_order = [list(row) for row in order]
    set_ranks(best_order)
    return Layout(
        layer=tuple(layer),
        order=tuple(tuple(i for i in row if i < n) for row in best_order),
        x=tuple(float(rank[i]) for i in range(n)),
        crossings_before=before,
        crossings_after=best,
        rows=tuple(tuple(row) for row in best_order),
        dummies=tuple(dummies),
        chains=tuple(chains),
        paths=tuple(item_path),
    )


# --------------------------------------------------------------------------- drawing record


Point = tuple[float, float]
Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Drawing:
    """What draw() drew, attached to the Figure as `fig.lesson_drawing` (for tests and tools).

    Coordinates are the axes' data coordinates, in inches of the picture for labelled
    drawings. `edges` has one entry per edge of `graph` (parallel edges included), in order:
    (source node, target node, polyline from the source's box to the target's box).
    `edge_labels` holds, for step pictures, (position in `edges`, box of the gradient written
    on that edge). Marker pictures (big graphs) draw straight segments between node centres.
    Frames (`clusters`, `repeats`, `frames`) are in the same coordinates as `boxes`: inches,
    y growing upwards, the top row at y = 0.
    """

    graph: Graph  # the drawn graph (folded if folding was applied)
    layout: Layout
    boxes: tuple[Box, ...]  # (x0, y0, x1, y1) of each node
    active: int | None  # index of the highlighted node in `graph`, at step=k
    labelled: bool  # text labels were drawn
    folded: bool
    edges: tuple[tuple[int, int, tuple[Point, ...]], ...] = ()
    edge_labels: tuple[tuple[int, Box], ...] = ()
    clusters: tuple[tuple[str, Box], ...] = ()  # (qualified name, frame) of every kind-"module" group drawn
    repeats: tuple[tuple[str, Box], ...] = ()  # (label, frame) of every kind-"repeat" group drawn
    frames: tuple[tuple[int, Box, Box | None], ...] = ()  # (index in graph.groups, frame, label's box)
    smallest_label_pt: float | None = None  # the smallest text, in points at its display size
    format: str = "png"  # how the figure shows itself in a notebook: "png" or "svg"

    @property
    def box_count(self) -> int:
        """How many boxes (or markers) were drawn."""
        return len(self.boxes)


def _kind(graph: Graph, i: int) -> str:
    return graph.kind(i)


def _wrap(text: str, width: int = 34, lines: int = 3) -> list[str]:
    """`text` in lines of at most `width` characters, broken at a space where possible (so
    numbers and words stay whole), at most `lines` lines, the last one ending in "…" if cut."""
    chunks: list[str] = []
    rest = text
    while rest:
        if len(rest) <= width:
            chunks.append(rest)
            break
        cut = rest.rfind(" ", 0, width + 1)
        if cut < width // 2:
            cut = width
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    chunks = chunks or [""]
    if len(chunks) > lines:
        chunks = chunks[:lines]
        chunks[-1] = chunks[-1][: width - 1] + "…"
    return chunks


WRAP_WIDTHS = (34, 26, 20)  # characters per line of box text, tried in turn until a graph fits


def _node_lines(graph: Graph, i: int, grad: Value | None | str, width: int = WRAP_WIDTHS[0]) -> list[str]:
    """The text inside a node's box (grad: a Value, None, or "keep" for the leaf's own .grad),
    in lines of about `width` characters (an operation's class name is never broken)."""
    node = graph.nodes[i]
    if node.kind == "leaf":
        lines = [message("graph.leaf") + (f" {node.name}" if node.name else "")]
        if node.value is not None:
            if node.value.data is None:
                lines += _wrap(node.value.text(), width)
            else:
                lines += _wrap(message("graph.data", values=node.value.text()), width)
        shown = node.grad if grad == "keep" else grad
        lines += _wrap(message("graph.grad", values=shown.text() if shown is not None else "None"), width)
        return lines
    if node.kind == "cut":
        lines = _wrap(message("graph.cut"), width, 2)
        if node.value is not None:
            value = node.value.text()
            lines += _wrap(f"{node.name} = {value}" if node.name else value, width)
        elif node.name:
            lines.append(node.name)
        return lines
    if node.kind == "fold":
        lines = _wrap(message("graph.fold", op=node.op, count=node.repeat), max(width, len(node.op) + 1), 2)
    else:
        lines = [node.op]
    lines += _wrap(node.label, width, 2)
    if node.name:
        lines += _wrap(message("graph.output", name=node.name), width, 1)
    if node.kind == "op" and grad == "keep":  # an intermediate tensor kept with retain_grad()
        if node.value is not None:
            lines += _wrap(message("graph.data", values=node.value.text()), width, 2)
        if node.grad is not None:
            lines += _wrap(message("graph.grad", values=node.grad.text()), width, 2)
    shown = sorted(node.saved, key=_badge_rank)  # a box has room for two: saved tensors first
    for badge in shown[:BADGES_SHOWN]:
        lines += _wrap(badge.text(), width, lines=1)
    if len(node.saved) > BADGES_SHOWN:
        lines.append("…")
    return lines


BADGES_SHOWN = 2  # saved values written in a box; the rest are in trace(y)'s text


def _badge_rank(badge) -> int:
    """Which saved values a box shows first: tensors (what backward keeps in memory), then
    numbers, then sizes and flags (alpha = 1, self_sym_sizes = (5, 1))."""
    if badge.value is not None and badge.value.shape != ():
        return 0
    if badge.freed or badge.stale:
        return 0
    return 1 if badge.value is not None else 2


def _resolve(obj, step, found: TensorNames, modules=None):
    """Turn draw()'s first argument into (graph, steps or None), naming tensors with `found` and,
    with `modules`, grouping the nodes each submodule created (autograd_lessons.modules)."""
    from autograd_lessons.modules import module_groups
    from autograd_lessons.steps import Steps, record

    if isinstance(obj, Steps):
        graph, steps = obj.graph, obj
    elif isinstance(obj, Graph):
        if step is not None:
            raise LessonError(message("draw.error.step_needs_tensor", step=step)) from None
        graph, steps = obj, None
    else:
        tensors = check_outputs(obj, "draw")
        if step is None:
            graph, fns = walk(tensors, found)
            steps = None
            if modules is not None:
                graph = replace(graph, groups=module_groups(graph, fns, modules))
            del fns
            return graph, None
        steps = record(tensors, None, False, found)
        graph = steps.graph
    if modules is not None:  # a Graph or Steps was traced already; trace(y, modules=…) groups it
        raise LessonError(message("draw.error.modules_need_tensor")) from None
    return graph, steps


def regroup(raw: Graph, folded: Graph) -> Graph:
    """`folded` with the module groups of `raw` carried over: a folded node belongs to a module
    when any node it stands for (Node.members) does; empty groups are dropped, parents kept."""
    modules = [(k, g) for k, g in enumerate(raw.groups) if g.kind == "module"]
    if not modules or folded is raw:
        return folded
    owners: dict[int, set[int]] = {}
    for j, node in enumerate(folded.nodes):
        for member in node.members or (j,):
            owners.setdefault(member, set()).add(j)
    new_index: dict[int, int] = {}
    groups = list(g for g in folded.groups if g.kind != "module")
    for k, group in modules:
        members = sorted({j for m in group.members for j in owners.get(m, ())})
        if not members:
            continue
        parent = group.parent
        while parent is not None and parent not in new_index:
            parent = raw.groups[parent].parent
        new_index[k] = len(groups)
        groups.append(replace(group, members=tuple(members), parent=new_index.get(parent)))
    # A repeated block and a module frame must nest one way or the other; a module that is
    # only partly inside a block (an RNN cell whose calls interleave with other work) is left
    # unframed rather than drawn crossing the block's frame.
    repeats = [k for k, g in enumerate(groups) if g.kind == "repeat"]
    dropped: set[int] = set()
    for k in range(len(groups)):
        if groups[k].kind != "module":
            continue
        inside = set(groups[k].members)
        for r in repeats:
            block = set(groups[r].members)
            if block <= inside and groups[r].parent is None:
                groups[r] = replace(groups[r], parent=k)
            elif inside <= block and inside != block:
                parent = groups[k].parent  # the block sits between the module and its parent
                if parent is None or block <= set(groups[parent].members):
                    groups[k] = replace(groups[k], parent=r)
            elif inside & block and not (block <= inside or inside <= block):
                dropped.add(k)
    if dropped:
        keep = [k for k in range(len(groups)) if k not in dropped and groups[k].parent not in dropped]
        renumber = {old: new for new, old in enumerate(keep)}
        groups = [replace(groups[k], parent=renumber.get(groups[k].parent)) for k in keep]
    return replace(folded, groups=tuple(groups))


def count_text(number: int) -> str:
    """A whole number with the learner's thousands separator: 2,006 (en), 2.006 (pt)."""
    return f"{int(number):,}".replace(",", message("draw.thousands"))


def unfolded_count(graph: Graph) -> int:
    """How many nodes the unfolded graph has: every node once, a folded chain as the nodes it
    replaced, a repeated block as every node of every instance (its `covers`, or its boxes
    times its repeat when covers is not given)."""
    paths, node_paths = group_paths(graph)
    repeats = [g for g, group in enumerate(graph.groups) if group.kind == "repeat"]
    outer = [g for g in repeats if not any(h in repeats for h in paths[g][:-1])]
    total = 0
    for node in graph.nodes:
        if not any(g in node_paths[node.index] for g in outer):
            total += max(1, len(node.members))
    for g in outer:
        group = graph.groups[g]
        inside = sum(max(1, len(n.members)) for n in graph.nodes if g in node_paths[n.index])
        total += len(group.covers) if group.covers else inside * max(1, group.repeat)
    return total


def _title(graph: Graph, view: Graph, steps, step: int | None) -> str:
    """What the picture is; for a folded picture, how many boxes stand for how many nodes, and
    what was folded: chains of one operation, blocks drawn once for all their repeats."""
    if steps is not None and step is not None:
        op = graph.nodes[steps[step - 1].node].op
        return message("draw.title_step", number=step, count=len(steps), op=op)
    folds = [node for node in view.nodes if node.kind == "fold"]
    _, node_paths = group_paths(view)
    repeats = [(g, group) for g, group in enumerate(view.groups) if group.kind == "repeat" and group.repeat > 1]
    if not folds and not repeats:
        return message("draw.title", nodes=count_text(len(graph.nodes)), edges=count_text(len(graph.edges)))

    def item(node) -> str:  # the chain's operations, and the untracked inputs folded with them
        cuts = len(node.members) - node.repeat
        key = "draw.fold_item_cuts" if cuts else "draw.fold_item"
        return message(key, count=count_text(node.repeat), op=node.op, cuts=count_text(cuts))

    parts = []
    if len(folds) == 1:
        parts.append(message("draw.fold_one", items=item(folds[0])))
    elif folds:
        parts.append(message("draw.fold_many", chains=len(folds), items=", ".join(item(node) for node in folds)))
    for g, group in repeats:
        size = sum(1 for path in node_paths if g in path)
        parts.append(message("draw.fold_repeat", size=count_text(size), count=count_text(group.repeat)))
    return message(
        "draw.title_folded",
        boxes=count_text(len(view.nodes)),
        nodes=count_text(unfolded_count(graph)),
        folds=message("draw.fold_join").join(parts),
    )


TIGHTER_FOLDS = (40, 25, 15)  # box budgets tried in turn when a folded picture is still too big for text


def _fold(graph: Graph, max_boxes: int | None = None) -> Graph:
    """The folded graph (folding.fold): repeated chains and blocks shown once, and coarsened
    into at most MAX_BOXES boxes if still bigger. A graph that has no more than MAX_BOXES
    nodes (fold=True, or a picture too wide for text) has its chains and repeated blocks folded
    all the same, and nothing coarsened."""
    from autograd_lessons.folding import MAX_BOXES, fold, fold_blocks, fold_chains

    folded = fold(graph, max_boxes=MAX_BOXES if max_boxes is None else max_boxes)
    if folded is graph:
        folded = fold_blocks(fold_chains(graph), max_boxes=1)
    return regroup(graph, folded)


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
    format: str = FORMATS[0],
    modules=None,
):
    """Draw the computational graph of a tensor (or a traced Graph, or backward_steps' result).

    The tensor may be a tuple or list of outputs (an LSTM cell's (h, c)). modules=model frames
    the nodes each submodule of the model created, labelled "0 (Linear)" (see trace).

    step=k (numbered from 1, like the steps backward_steps prints) highlights the node the
    engine runs at step k and writes on each edge the gradient that has travelled along it so
    far. fold=True forces folding repeated chains and blocks (`autograd_lessons.folding.fold`),
    fold=False shows every node (as markers when there are too many for text); by default
    graphs above `fold_limit` nodes are folded, and so is a graph too wide for the picture.
    Submodules and repeated blocks (graph.groups) are drawn as labelled frames; every output
    (graph.outputs) gets the output frame.
    format="png" (default) or "svg": how the returned Figure shows itself in a notebook.
    Returns a matplotlib Figure (displayed by itself in a notebook).
    """
    if not isinstance(format, str) or format not in FORMATS:
        raise LessonError(message("draw.error.format", value=repr(format), png=FORMATS[0], svg=FORMATS[1])) from None
    if isinstance(modules, torch.nn.Module):  # parameters named as the model names them, as trace does
        names = {**dict(modules.named_parameters()), **(names or {})}
    found = caller_tensor_names(names)
    try:
        graph, steps = _resolve(tensor_or_graph, step, found, modules)
    finally:
        found.release()
    if steps is not None and step is not None:
        if not len(steps):
            raise LessonError(message("steps.error.no_steps")) from None
        if isinstance(step, bool) or not isinstance(step, (int, np.integer)) or not 1 <= step <= len(steps):
            raise LessonError(message("draw.error.step_range", step=step, count=len(steps))) from None
        step = int(step)
    with paused_gc():
        return _drawn(graph, steps, step, fold, ax, label_limit, fold_limit, title, format)


def _drawn(graph, steps, step, fold, ax, label_limit, fold_limit, title, format):
    """draw()'s picture of a resolved graph: folded as asked or needed, labelled if it fits."""
    auto_fold = fold is None
    if fold is None:
        fold = step is None and len(graph.nodes) > fold_limit
    view = _fold(graph) if fold else graph
    picture = _picture(graph, view, steps, step, ax, label_limit, title, format)
    if picture is None and auto_fold and not fold:
        folded = _fold(graph)  # too wide or too tall with text: fold repeated chains and blocks first
        if len(folded.nodes) < len(graph.nodes):
            view = folded
            picture = _picture(graph, view, steps, step, ax, label_limit, title, format)
    if picture is None and fold is not False and step is None:
        # Folded but still too wide or tall for text: fold harder, into fewer boxes, before
        # giving up labels (a picture of markers shows the shape, not what the nodes are).
        for boxes in TIGHTER_FOLDS:
            tighter = _fold(graph, boxes)
            if len(tighter.nodes) < len(view.nodes):
                view = tighter
                picture = _picture(graph, view, steps, step, ax, label_limit, title, format)
                if picture is not None:
                    break
    if picture is None:
        picture = _picture(graph, view, steps, step, ax, 0, title, format)  # markers
    return picture


def _picture(graph: Graph, view: Graph, steps, step, ax, label_limit, title, format=FORMATS[0]):
    """The figure of `view` with `fig.lesson_drawing`, or None when its labelled picture would
    not fit DISPLAY_WIDTH_PX (or MAX_HEIGHT_IN) with text at its usual size."""
    folded = len(view.nodes) < len(graph.nodes)
    # Node of `graph` -> box of `view` showing it (None: an instance of a repeated block that
    # is not drawn).
    to_view: list[int | None] = list(range(len(graph.nodes)))
    if view is not graph:
        to_view = [None] * len(graph.nodes)
        for node in view.nodes:
            for old in node.members or (node.index,):
                if 0 <= old < len(to_view):
                    to_view[old] = node.index

    # What the chosen step shows: active node, nodes already run, gradients on edges.
    active = None
    done: set[int] = set()
    edge_grads: dict[tuple[int, int, int], Value | None] = {}
    leaf_grads: dict[int, Value | None] = {}
    stepping = steps is not None and step is not None
    if stepping:
        active = to_view[steps[step - 1].node]
        for s in steps.steps[:step]:
            if to_view[s.node] is None:
                continue
            done.add(to_view[s.node])
            for sent in s.sent:
                a, b = to_view[s.node], to_view[sent.target]
                if b is not None and a != b:
                    edge_grads[(a, b, sent.slot)] = sent.value
            if s.landed is not None:
                for e in graph.children[s.node]:
                    if to_view[e.target] is not None:
                        leaf_grads[to_view[e.target]] = s.landed
        done |= {i for i in range(len(view.nodes)) if view.nodes[i].kind == "leaf" and i in leaf_grads}
    state = _State(view, active, done, edge_grads, leaf_grads, stepping)

    notes = []
    if graph.freed:
        notes.append(message("graph.note_freed"))
    if len(view.nodes) <= label_limit:
        geometry = None
        for width in WRAP_WIDTHS:  # narrower lines of text before giving up on text
            geometry = _labelled_geometry(state, width)
            if geometry is not None:
                break
        if geometry is None and view.groups:  # frames can make it too wide: text without frames
            plain = replace(view, groups=())
            state = replace(state, view=plain)
            for width in WRAP_WIDTHS:
                geometry = _labelled_geometry(state, width)
                if geometry is not None:
                    view = plain
                    notes.append(message("draw.note_frames_left_out", count=len(graph.groups)))
                    break
        if geometry is None:
            return None
        fig, info = _draw_labelled(state, geometry, ax, format)
        if not stepping and any(node.kind == "op" and node.grad is not None for node in view.nodes):
            notes.append(message("draw.note_retained_grad"))
    else:
        notes.insert(0, message("draw.labels_hidden", nodes=count_text(len(view.nodes))))
        fig, info = _draw_markers(state, ax, format)
    if title is None:
        title = _title(graph, view, steps, step)
    target = fig.axes[0] if ax is None else ax
    _finish(fig, target, ax is None, info.pop("size"), info.pop("handles"), notes, title)
    smallest = smallest_text_pt(fig, target)
    fig.lesson_drawing = Drawing(
        graph=view, active=active, folded=folded, smallest_label_pt=smallest, format=format, **info
    )
    return fig


def smallest_text_pt(fig, ax=None) -> float | None:
    """The smallest text of `fig` (of `ax`, the figure's own texts and legends when `ax` is
    given), in points at the size a notebook shows it: a picture wider than DISPLAY_WIDTH_PX
    is scaled down to it, its text with it. None if there is no text."""
    from matplotlib.text import Text

    if ax is None or ax.figure is not fig:
        ax = None
    hidden = set()
    for axes in fig.axes:
        if not axes.axison:
            hidden |= {id(t) for t in axes.xaxis.findobj(Text) + axes.yaxis.findobj(Text)}
    owners = [fig] if ax is None else [ax, *fig.legends] + ([fig._suptitle] if fig._suptitle else []) + list(fig.texts)
    sizes = [
        t.get_fontsize()
        for owner in owners
        for t in owner.findobj(Text)
        if t.get_visible() and t.get_text().strip() and id(t) not in hidden
    ]
    if not sizes:
        return None
    shown_px = fig.get_size_inches()[0] * fig.dpi
    return float(min(sizes) * min(1.0, DISPLAY_WIDTH_PX / shown_px))


@dataclass
class _State:
    """What a picture shows: the graph and, at step=k, how far the backward pass has come."""

    view: Graph
    active: int | None
    done: set[int]
    edge_grads: dict[tuple[int, int, int], Value | None]
    leaf_grads: dict[int, Value | None]
    stepping: bool

    def look(self, i: int) -> str:
        """The palette kind node i is drawn with: its own kind, or "pending" at a step before it."""
        kind = _kind(self.view, i)
        if self.stepping and kind != "cut" and i not in self.done and i != self.active:
            return "pending"
        return kind

    def grad_on(self, edge) -> Value | None:
        return self.edge_grads.get((edge.source, edge.target, edge.slot))


@functools.cache
def _figure_class():
    """A Figure that shows itself as a PNG in Jupyter, with or without pyplot's inline backend.

    draw() never imports pyplot (so it changes no global state), and without pyplot IPython has
    no formatter for Figure; `_repr_png_` gives it one, at the figure's own dpi (DPI).
    """
    from matplotlib.figure import Figure

    class LessonFigure(Figure):
        lesson_format = FORMATS[0]  # "png" or "svg": which of the two _repr_ methods answers

        def __repr__(self) -> str:  # the same text as a plain Figure's
            return super().__repr__().replace(type(self).__name__, "Figure", 1)

        def _repr_png_(self) -> bytes | None:
            if self.lesson_format != "png":
                return None
            buffer = io.BytesIO()
            self.savefig(buffer, format="png", dpi=self.dpi)
            return buffer.getvalue()

        def _repr_svg_(self) -> str | None:
            """The SVG text, the same for the same picture: no date, ids from a fixed salt."""
            if self.lesson_format != "svg":
                return None
            import matplotlib

            buffer = io.BytesIO()
            with matplotlib.rc_context({"svg.hashsalt": SVG_SALT}):
                self.savefig(buffer, format="svg", dpi=self.dpi, metadata={"Date": None})
            return buffer.getvalue().decode("utf-8")

    return LessonFigure


# --------------------------------------------------------------------------- text measures


@functools.lru_cache(maxsize=4096)
def _text_width(text: str, size: float, mono: bool = False) -> float:
    """Width in inches of one line of `text` at `size` points (the font matplotlib will use)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    prop = FontProperties(size=size, family="monospace" if mono else None)
    width, _, _ = text_to_path.get_text_width_height_descent(text, prop, ismath=False)
    return width / 72.0


def wrap_to_width(text: str, size: float, width: float) -> list[str]:
    """`text` broken into lines no wider than `width` inches at `size` points."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and _text_width(candidate, size) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


# --------------------------------------------------------------------------- labelled geometry


def _isotonic(desired: list[float], weights: list[float], gaps: list[float]) -> list[float]:
    """x minimising Σ w·(x − desired)² with x[i+1] − x[i] ≥ gaps[i] (pool adjacent violators)."""
    offsets = [0.0]
    for gap in gaps:
        offsets.append(offsets[-1] + gap)
    blocks: list[list[float]] = []  # [mean, weight, count]
    for d, w, o in zip(desired, weights, offsets):
        blocks.append([d - o, w, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            m2, w2, c2 = blocks.pop()
            m1, w1, c1 = blocks.pop()
            blocks.append([(m1 * w1 + m2 * w2) / (w1 + w2), w1 + w2, c1 + c2])
    out: list[float] = []
    for mean, _, count in blocks:
        out += [mean] * int(count)
    return [y + o for y, o in zip(out, offsets)]


def _segment_distance(p: Point, q: Point, r: Point, s: Point) -> float:
    """Shortest distance between segments pq and rs (0 if they cross)."""

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    d1, d2, d3, d4 = cross(r, s, p), cross(r, s, q), cross(p, q, r), cross(p, q, s)
    if ((d1 > 0) != (d2 > 0)) and ((d3 > 0) != (d4 > 0)) and 0 not in (d1, d2, d3, d4):
        return 0.0

    def to_segment(point, a, b):
        dx, dy = b[0] - a[0], b[1] - a[1]
        length = dx * dx + dy * dy
        t = 0.0 if length == 0 else max(0.0, min(1.0, ((point[0] - a[0]) * dx + (point[1] - a[1]) * dy) / length))
        return math.hypot(point[0] - a[0] - t * dx, point[1] - a[1] - t * dy)

    return min(to_segment(p, r, s), to_segment(q, r, s), to_segment(r, p, q), to_segment(s, p, q))


def _polyline_distance(a: list[Point], b: list[Point]) -> float:
    return min(_segment_distance(a[i], a[i + 1], b[j], b[j + 1]) for i in range(len(a) - 1) for j in range(len(b) - 1))


@dataclass
class _Geometry:
    lay: Layout
    texts: list[list[str]]
    boxes: list[Box]
    polylines: list[list[Point]]
    labels: list[tuple[int, Box, str]]  # (edge position, box, text)
    bounds: Box
    frames: list[tuple[int, Box, Box]] = ()  # (group index, frame, label's box)


def _frame_label_size(text: str) -> tuple[float, float]:
    """Width and height (inches) of a frame's label with its background."""
    return (
        _text_width(text, FRAME_PT) + 2 * FRAME_LABEL_PAD[0],
        LINE_EM * FRAME_PT / 72 + 2 * FRAME_LABEL_PAD[1],
    )


class _Frames:
    """The groups of a laid-out graph, seen row by row: which slots each group holds, the rows it
    spans, its children; and `spans(x)`, the horizontal extent of every frame for slot centres x."""

    def __init__(self, view: Graph, lay: Layout, width: list[float]):
        self.view, self.lay, self.width = view, lay, width
        paths = lay.paths
        count = len(view.groups)
        self.slots: list[list[int]] = [[] for _ in range(count)]
        self.row_of: dict[int, int] = {}
        for k, row in enumerate(lay.rows):
            for i in row:
                self.row_of[i] = k
                for g in paths[i]:
                    self.slots[g].append(i)
        self.drawn = [g for g in range(count) if self.slots[g]]
        self.depth = {g: len(paths[self.slots[g][0]][: paths[self.slots[g][0]].index(g) + 1]) for g in self.drawn}
        self.rows = {
            g: (min(self.row_of[i] for i in self.slots[g]), max(self.row_of[i] for i in self.slots[g]))
            for g in self.drawn
        }
        self.inner_first = sorted(self.drawn, key=lambda g: (-self.depth[g], g))
        self.parent = {
            g: (paths[self.slots[g][0]][self.depth[g] - 2] if self.depth[g] > 1 else None) for g in self.drawn
        }
        self.label_w = {g: _frame_label_size(view.groups[g].label)[0] for g in self.drawn}
        # Per row: each group's first and last rank there.
        self.block: dict[tuple[int, int], tuple[int, int]] = {}
        for k, row in enumerate(lay.rows):
            for r, i in enumerate(row):
                for g in paths[i]:
                    first, _ = self.block.get((g, k), (r, r))
                    self.block[(g, k)] = (first, r)

    def spans(self, x: list[float]) -> dict[int, list[float]]:
        """[x0, x1] of every frame drawn: FRAME_PAD around its slots and inner frames, and wide
        enough for its label."""
        paths, width = self.lay.paths, self.width
        span: dict[int, list[float]] = {}
        for g in self.inner_first:
            lo, hi = math.inf, -math.inf
            for i in self.slots[g]:
                if paths[i][-1] == g:
                    lo, hi = min(lo, x[i] - width[i] / 2), max(hi, x[i] + width[i] / 2)
            for c in self.drawn:
                if self.parent[c] == g:
                    lo, hi = min(lo, span[c][0]), max(hi, span[c][1])
            lo, hi = lo - FRAME_PAD, hi + FRAME_PAD
            span[g] = [lo, max(hi, lo + self.label_w[g] + 2 * FRAME_PAD)]
        return span

    def separate(self, x: list[float], gap) -> None:
        """Push slots to the right until, in every row a frame spans, every slot outside it
        keeps FRAME_GAP from it, and frames that are not nested keep FRAME_GAP from each other
        (the layout puts groups in the same order in every row, so pushing right settles).
        What moves is the largest unit that may: a slot moves with the outermost frame it sits
        in that the other side is not in, so frames keep their shape and stay compact."""
        rows, paths, width = self.lay.rows, self.lay.paths, self.width
        group_path = {g: paths[self.slots[g][0]][: self.depth[g]] for g in self.drawn}

        def push(path: tuple[int, ...], other: tuple[int, ...], slot: int | None, by: float) -> None:
            """Move right by `by` the outermost frame of `path` not in `other` (else `slot`)."""
            shared = len(_common(path, other))
            if len(path) > shared:
                for i in self.slots[path[shared]]:
                    x[i] += by
            elif slot is not None:
                x[slot] += by

        for _ in range(REPAIR_ROUNDS):
            moved = False
            for row in rows:  # neighbours in a row keep their gaps (frame pads included)
                for a, b in zip(row, row[1:]):
                    short = x[a] + gap(a, b) - x[b]
                    if short > 1e-9:
                        push(paths[b], paths[a], b, short)
                        moved = True
            span = self.spans(x)
            for g in self.drawn:
                top, bottom = self.rows[g]
                for k in range(top, bottom + 1):
                    block = self.block.get((g, k))
                    for r, i in enumerate(rows[k]):
                        if g in paths[i]:
                            continue
                        left = r < block[0] if block else x[i] < (span[g][0] + span[g][1]) / 2
                        if left and x[i] + width[i] / 2 + FRAME_GAP > span[g][0] + 1e-9:
                            push(group_path[g], paths[i], None, x[i] + width[i] / 2 + FRAME_GAP - span[g][0])
                            span, moved = self.spans(x), True
                        elif not left and x[i] - width[i] / 2 < span[g][1] + FRAME_GAP - 1e-9:
                            push(paths[i], group_path[g], i, span[g][1] + FRAME_GAP - x[i] + width[i] / 2)
                            span, moved = self.spans(x), True
            for e in self.drawn:
                for f in self.drawn:
                    if e == f or e in group_path[f] or f in group_path[e]:
                        continue
                    shared = [
                        k
                        for k in range(self.rows[e][0], self.rows[e][1] + 1)
                        if (e, k) in self.block and (f, k) in self.block
                    ]
                    if not shared or self.block[(e, shared[0])][0] > self.block[(f, shared[0])][0]:
                        continue  # e is the left one of the pair
                    if span[e][1] + FRAME_GAP > span[f][0] + 1e-9:
                        push(group_path[f], group_path[e], None, span[e][1] + FRAME_GAP - span[f][0])
                        span, moved = self.spans(x), True
            if not moved:
                return

    def compact(self, x: list[float], gap) -> None:
        """Pack to the left: every frame of the top level (and every slot in none) starts at
        x = 0 with its inside unchanged, then `separate` pushes each just as far right as it
        must: the narrowest arrangement of these units in their order."""
        paths, width = self.lay.paths, self.width
        span = self.spans(x)
        for g in self.drawn:
            if self.depth[g] == 1:
                for i in self.slots[g]:
                    x[i] -= span[g][0]
        for i in range(len(x)):
            if not paths[i]:
                x[i] = width[i] / 2
        self.separate(x, gap)

    def place(self, x, band_top, band_bottom, runs) -> list[tuple[int, Box, Box]]:
        """(group, frame, label box) of every frame drawn, innermost first. A frame reaches
        FRAME_PAD above its top row plus a band for its label (above any inner frame that
        starts in the same row) and FRAME_PAD below its bottom row. The label sits at the
        frame's left, moved right past the edges running down through its band (`runs[k]`: the
        x of every edge crossing the space above row k) when the frame is wide enough."""
        span = self.spans(x)
        tops: dict[int, float] = {}
        bottoms: dict[int, float] = {}
        out = []
        for g in self.inner_first:
            top_row, bottom_row = self.rows[g]
            content_top, content_bottom = band_top[top_row], band_bottom[bottom_row]
            for c in self.drawn:
                if self.parent[c] == g:
                    content_top, content_bottom = max(content_top, tops[c]), min(content_bottom, bottoms[c])
            label_w, label_h = _frame_label_size(self.view.groups[g].label)
            tops[g] = content_top + FRAME_PAD + label_h
            bottoms[g] = content_bottom - FRAME_PAD
            x0, x1 = span[g]
            start = x0 + FRAME_PAD
            for at in sorted(runs[top_row]):
                if start - STUB_CLEAR <= at <= start + label_w + STUB_CLEAR and at < x1:
                    start = at + STUB_CLEAR
            if start + label_w > x1 - FRAME_PAD:
                start = x0 + FRAME_PAD
            y0 = content_top + FRAME_PAD / 2
            out.append((g, (x0, bottoms[g], x1, tops[g]), (start, y0, start + label_w, y0 + label_h)))
        return out

    def opening(self) -> dict[int, int]:
        """Per row: how many frames start there one inside the other (each needs a label band)."""
        return self._nesting(0)

    def closing(self) -> dict[int, int]:
        """Per row: how many frames end there one inside the other (each needs FRAME_PAD)."""
        return self._nesting(1)

    def _nesting(self, end: int) -> dict[int, int]:
        levels: dict[int, int] = {}
        per_row: dict[int, int] = {}
        for g in self.inner_first:
            k = self.rows[g][end]
            inner = [levels[c] for c in self.drawn if self.parent[c] == g and self.rows[c][end] == k]
            levels[g] = 1 + max(inner, default=0)
            per_row[k] = max(per_row.get(k, 0), levels[g])
        return per_row


def _labelled_geometry(state: _State, wrap: int = WRAP_WIDTHS[0]) -> _Geometry | None:
    """Boxes, routed edges and edge labels of a labelled picture, in inches, with box text in
    lines of about `wrap` characters; None if it would not fit the picture."""
    view = state.view
    n = len(view.nodes)
    lay = layout(view)
    char_w, line_h = MONO_EM * NODE_PT / 72, LINE_EM * NODE_PT / 72
    texts = [_node_lines(view, i, state.leaf_grads.get(i) if state.stepping else "keep", wrap) for i in range(n)]
    ports_needed = [max(len(view.children[i]), len(view.parents[i]), 1) for i in range(n)]
    w = [
        max(
            max(len(t) for t in texts[i]) * char_w + 2 * BOX_PAD[0],
            2 * PORT_MARGIN + (ports_needed[i] - 1) * MIN_PORT_SPACING,
        )
        for i in range(n)
    ]
    h = [len(texts[i]) * line_h + 2 * BOX_PAD[1] for i in range(n)]
    rows = lay.rows
    m = n + len(lay.dummies)
    width = [w[i] if i < n else 0.0 for i in range(m)]

    # Ports: the edges leaving (entering) a box are spread over its bottom (top), ordered by
    # the rank of the slot they go to (come from), parallel edges by input position, so they
    # do not cross there. Offsets from the box centre depend on the order only.
    rank = [0] * m
    for row in rows:
        for r, i in enumerate(row):
            rank[i] = r
    out_off, in_off = [0.0] * len(view.edges), [0.0] * len(view.edges)
    leaving: list[list[tuple]] = [[] for _ in range(n)]
    for position, edge in enumerate(view.edges):
        chain = lay.chains[position]
        leaving[edge.source].append((rank[chain[0]] if chain else rank[edge.target], edge.slot, position))

    def spread(i: int, keyed: list[tuple], into: list[float]) -> None:
        keyed.sort()
        k = len(keyed)
        spacing = min(PORT_SPACING, (w[i] - 2 * PORT_MARGIN) / (k - 1)) if k > 1 else 0.0
        for r, key in enumerate(keyed):
            into[key[-1]] = (r - (k - 1) / 2) * spacing

    for i in range(n):
        spread(i, leaving[i], out_off)
    entering: list[list[tuple]] = [[] for _ in range(n)]
    for position, edge in enumerate(view.edges):
        chain = lay.chains[position]
        came = (rank[chain[-1]], 0.0) if chain else (rank[edge.source], out_off[position])
        entering[edge.target].append((*came, edge.slot, position))
    for i in range(n):
        spread(i, entering[i], in_off)

    # x of every slot: rows packed by real widths, then pulled towards the weighted mean of
    # their neighbours' centres (pool adjacent violators keeps the order and the gaps). Boxes
    # with many nodes below them, and edges passing rows, move least: chains stay straight and
    # side inputs (constants, leaves) yield.
    paths = lay.paths
    frames = _Frames(view, lay, width) if view.groups else None

    def gap(a: int, b: int) -> float:
        base = BOX_GAP if a < n and b < n else DUMMY_GAP
        crossed = len(paths[a]) + len(paths[b]) - 2 * len(_common(paths[a], paths[b]))
        if crossed:  # frame borders between them: a pad inside each, a gap outside
            base = max(base, crossed * FRAME_PAD + FRAME_GAP)
        return (width[a] + width[b]) / 2 + base

    x = [0.0] * m
    for row in rows:
        at = 0.0
        for r, i in enumerate(row):
            if r:
                at += gap(row[r - 1], i)
            x[i] = at
        for i in row:
            x[i] -= at / 2
    below_count = [0] * n  # nodes below each node (counted along every path, capped)
    for i in sorted(range(n), key=lambda i: -lay.layer[i]):
        below_count[i] = min(100, sum(1 + below_count[e.target] for e in view.children[i]))
    weight = [(1.0 + below_count[i]) ** 2 if i < n and below_count[i] else 0.1 for i in range(m)]
    weight[n:] = [16.0] * (m - n)  # an edge passing a row: as stiff as a box with 3 nodes below
    up: list[list[int]] = [[] for _ in range(m)]
    down: list[list[int]] = [[] for _ in range(m)]
    for position, edge in enumerate(view.edges):
        path = [edge.source, *lay.chains[position], edge.target]
        for a, b in zip(path, path[1:]):
            down[a].append(b)
            up[b].append(a)

    def pull(row: tuple[int, ...], neighbours) -> None:
        desired, weights = [], []
        for i in row:
            near = [j for part in neighbours for j in part[i]]
            # a neighbour across a frame border pulls less: frames stay compact
            pulls = [weight[j] * (1.0 if paths[j] == paths[i] else FOREIGN_PULL) for j in near]
            total = sum(pulls)
            desired.append(sum(x[j] * p for j, p in zip(near, pulls)) / total if near else x[i])
            weights.append(weight[i] if near else 0.05)
        gaps = [gap(a, b) for a, b in zip(row, row[1:])]
        placed = _isotonic(desired, weights, gaps)
        for i, value in zip(row, placed):
            x[i] = value

    depth = len(rows)
    for _ in range(FRAME_ROUNDS if frames is not None else 1):
        for sweep in range(PLACE_SWEEPS):
            going_down = sweep % 2 == 0
            for k in range(1, depth) if going_down else range(depth - 2, -1, -1):
                pull(rows[k], [up] if going_down else [down])
        for k in range(depth):
            pull(rows[k], [up, down])
        if frames is not None:  # then no box inside a foreign frame; pulling again tightens
            frames.separate(x, gap)
    if frames is not None:
        compact = list(x)
        frames.compact(compact, gap)
        if max(compact[i] + width[i] / 2 for i in range(m)) - min(compact[i] - width[i] / 2 for i in range(m)) < (
            max(x[i] + width[i] / 2 for i in range(m)) - min(x[i] - width[i] / 2 for i in range(m)) - 1e-9
        ):
            x[:] = compact
    out_port = [x[e.source] + out_off[p] for p, e in enumerate(view.edges)]
    in_port = [x[e.target] + in_off[p] for p, e in enumerate(view.edges)]

    # Where each edge runs vertically through the top part of each gap it crosses.
    layer = lay.layer
    through: list[list[tuple[int, float]]] = [[] for _ in range(depth)]  # gap k: (edge, x)
    for position, edge in enumerate(view.edges):
        chain = lay.chains[position]
        for k in range(layer[edge.source], layer[edge.target]):
            at = out_port[position] if k == layer[edge.source] else x[chain[k - layer[edge.source] - 1]]
            through[k].append((position, at))

    # Gradients written on edges: lanes in the gap below the source's row, each label beside
    # or on its own edge's vertical run, never over another label, over another edge's run if
    # it can be helped.
    label_h = LINE_EM * EDGE_PT / 72 + 2 * LABEL_PAD[1]
    lane_h = label_h + LANE_GAP
    lanes_of = [0] * depth
    placed: list[tuple[int, int, float, float, str]] = []  # (edge, lane, x0, x1, text)
    if state.stepping:
        for k in range(depth):
            wanted = []
            for position, at in through[k]:
                edge = view.edges[position]
                value = state.grad_on(edge)
                if layer[edge.source] == k and value is not None:
                    text = _wrap(value.text(), width=LABEL_CHARS, lines=1)[0]
                    wanted.append((at, position, text))
            wanted.sort()
            lanes: list[list[tuple[float, float]]] = []
            for at, position, text in wanted:
                lw = _text_width(text, EDGE_PT, mono=True) + 2 * LABEL_PAD[0]
                offset = STUB_CLEAR + 0.02
                candidates = [
                    (at - lw / 2, at + lw / 2),
                    (at + offset, at + offset + lw),
                    (at - offset - lw, at - offset),
                ]

                def clean(span, position=position):
                    return all(
                        not (span[0] - STUB_CLEAR <= other <= span[1] + STUB_CLEAR)
                        for p, other in through[k]
                        if p != position
                    )

                def free(lane, span):
                    return all(span[1] + LANE_GAP <= a or b + LANE_GAP <= span[0] for a, b in lane)

                choice = None
                for j, lane in enumerate(lanes):
                    for span in candidates:
                        if clean(span) and free(lane, span):
                            choice = (j, span)
                            break
                    if choice:
                        break
                if choice is None:
                    lanes.append([])
                    span = next((c for c in candidates if clean(c)), candidates[0])
                    choice = (len(lanes) - 1, span)
                j, span = choice
                lanes[j].append(span)
                placed.append((position, j, span[0], span[1], text))
            lanes_of[k] = len(lanes)

    # Heights: rows as tall as their tallest box; each gap has its label lanes, a slanted part
    # (taller where parallel edges would come closer than MIN_SEPARATION) and an arrow stub.
    row_h = [max(h[i] for i in row if i < n) for row in rows]
    lane_zone = [max(START_STUB, LANE_GAP + lanes_of[k] * lane_h) if lanes_of[k] else START_STUB for k in range(depth)]
    # Room for frames: FRAME_PAD under a row per frame ending there (one inside the other),
    # and a label band plus FRAME_PAD above a row per frame starting there. Edges run straight
    # down through both.
    frame_label_h = _frame_label_size("0")[1]
    closing = frames.closing() if frames else {}
    opening = frames.opening() if frames else {}
    close = [closing.get(k, 0) * FRAME_PAD for k in range(depth)]
    open_ = [opening.get(k, 0) * (FRAME_PAD + frame_label_h) for k in range(depth)]
    lane_zone = [close[k] + lane_zone[k] for k in range(depth)]
    stub = [ARROW_STUB + (open_[k + 1] if k + 1 < depth else 0.0) for k in range(depth)]
    slant = [SLANT] * depth
    groups: dict[tuple[int, int], list[int]] = {}
    for position, edge in enumerate(view.edges):
        groups.setdefault((edge.source, edge.target), []).append(position)

    def piece(k: int, position: int, top: float) -> list[Point]:
        """Edge `position` across gap k, from x `top`, with y = 0 at the bottom of row k."""
        edge, chain = view.edges[position], lay.chains[position]
        bottom = x[chain[k - layer[edge.source]]] if k + 1 < layer[edge.target] else in_port[position]
        low = -lane_zone[k] - slant[k]
        return [(top, 0.0), (top, -lane_zone[k]), (bottom, low), (bottom, low - stub[k])]

    for k in range(depth - 1):
        at = dict(through[k])
        pairs = [
            (p, q)
            for members in groups.values()
            for r, p in enumerate(members)
            for q in members[r + 1 :]
            if p in at and q in at
        ]
        while (
            pairs
            and slant[k] < 6.0
            and not all(
                _polyline_distance(piece(k, p, at[p]), piece(k, q, at[q])) >= MIN_SEPARATION * 1.05 for p, q in pairs
            )
        ):
            slant[k] += 0.1

    band_top = [0.0] * depth
    for k in range(1, depth):
        band_top[k] = band_top[k - 1] - row_h[k - 1] - lane_zone[k - 1] - slant[k - 1] - stub[k - 1]
    band_bottom = [band_top[k] - row_h[k] for k in range(depth)]
    boxes: list[Box] = []
    for i in range(n):
        cy = (band_top[layer[i]] + band_bottom[layer[i]]) / 2
        boxes.append((x[i] - w[i] / 2, cy - h[i] / 2, x[i] + w[i] / 2, cy + h[i] / 2))

    polylines: list[list[Point]] = []
    for position, edge in enumerate(view.edges):
        s, t = edge.source, edge.target
        chain = lay.chains[position]
        points = [(out_port[position], boxes[s][1])]
        at = out_port[position]
        for k in range(layer[s], layer[t]):
            points.append((at, band_bottom[k] - lane_zone[k]))
            at = x[chain[k - layer[s]]] if k + 1 < layer[t] else in_port[position]
            points.append((at, band_top[k + 1] + stub[k]))
        points.append((in_port[position], boxes[t][3]))
        simple = [points[0]]
        for r in range(1, len(points) - 1):
            a, b, c = simple[-1], points[r], points[r + 1]
            if not (a[0] == b[0] == c[0]):
                simple.append(b)
        simple.append(points[-1])
        polylines.append(simple)

    labels = []
    for position, j, x0, x1, text in placed:
        k = layer[view.edges[position].source]
        top = band_bottom[k] - close[k] - LANE_GAP - j * lane_h
        labels.append((position, (x0, top - label_h, x1, top), text))

    placed_frames: list[tuple[int, Box, Box]] = []
    if frames is not None:
        runs: list[list[float]] = [[] for _ in range(depth)]  # x of edges running down into row k
        for position, edge in enumerate(view.edges):
            chain = lay.chains[position]
            runs[layer[edge.target]].append(in_port[position])
            for slot, (_, k) in zip(chain, (lay.dummies[c - n] for c in chain)):
                runs[k].append(x[slot])
        placed_frames = frames.place(x, band_top, band_bottom, runs)
    outlines = boxes + [lb for _, lb, _ in labels] + [frame for _, frame, _ in placed_frames]
    x_low = min(b[0] for b in outlines) - MARGIN
    x_high = max(b[2] for b in outlines) + MARGIN
    y_low, y_high = min(b[1] for b in outlines) - MARGIN, max(b[3] for b in outlines + [(0, 0, 0, 0)]) + MARGIN
    if x_high - x_low > MAX_WIDTH_IN or y_high - y_low > MAX_HEIGHT_IN:
        return None
    return _Geometry(lay, texts, boxes, polylines, labels, (x_low, y_low, x_high, y_high), placed_frames)


# --------------------------------------------------------------------------- figures


def _frame_colour(kind: str) -> str:
    return palette.MODULE_FRAME if kind == "module" else palette.REPEAT_FRAME


def _legend_handles(state: _State, looks: set[str], markers: bool, group_kinds: set[str] = frozenset()):
    """One handle per look that is drawn: the same fill, outline and line style as the boxes
    and frames."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = []
    for look in ("op", "accumulate", "leaf", "cut", "fold", "pending"):
        if look not in looks:
            continue
        fill, outline, line = palette.node_colours(look)
        label = message("draw.legend." + look)
        if markers:
            handles.append(
                Line2D(
                    [],
                    [],
                    linestyle="None",
                    marker="o",
                    markersize=7,
                    markerfacecolor=fill,
                    markeredgecolor=outline,
                    label=label,
                )
            )
        else:
            handles.append(Patch(facecolor=fill, edgecolor=outline, linestyle=line, linewidth=BOX_LINE, label=label))
    for kind in ("module", "repeat"):
        if kind not in group_kinds:
            continue
        colour = _frame_colour(kind)
        label = message("draw.legend." + kind)
        if markers:
            handles.append(
                Line2D([], [], linestyle=FRAME_STYLE[kind], color=colour, linewidth=FRAME_LINE[kind], label=label)
            )
        else:
            handles.append(
                Patch(
                    facecolor="none",
                    edgecolor=colour,
                    linestyle=FRAME_STYLE[kind],
                    linewidth=FRAME_LINE[kind],
                    label=label,
                )
            )
    frames = [("output", palette.OUTPUT_OUTLINE)]
    if state.active is not None:
        frames.append(("active", palette.ACTIVE_OUTLINE))
    for name, colour in frames:
        label = message("draw.legend." + name)
        if markers:
            handles.append(
                Line2D(
                    [],
                    [],
                    linestyle="None",
                    marker="o",
                    markersize=9,
                    markerfacecolor="none",
                    markeredgecolor=colour,
                    markeredgewidth=2,
                    label=label,
                )
            )
        else:
            handles.append(Patch(facecolor="none", edgecolor=colour, linewidth=HALO_WIDTH[name], label=label))
    return handles


def _finish(fig, ax, own: bool, graph_size: tuple[float, float], handles, notes: list[str], title: str) -> None:
    """Size a figure of our own around the graph axes: title, graph, notes, legend, top down.

    Into a given axes, the title goes above it and the notes and legend inside it.
    """
    graph_w, graph_h = graph_size
    floor = min_font_pt(fig.dpi)
    if not own:
        ax.set_title(title, fontsize=max(TITLE_PT, floor))
        if notes:
            ax.text(
                0.0, -0.01, "\n".join(notes), transform=ax.transAxes, fontsize=max(NOTE_PT, floor), va="top", wrap=True
            )
        ax.legend(
            handles=handles,
            loc="best",
            fontsize=max(LEGEND_PT, floor),
            title=message("draw.legend.title"),
            title_fontsize=max(LEGEND_PT, floor),
            frameon=False,
        )
        return
    side = 0.1  # inches between the figure's edge and the texts
    fig_w = min(MAX_WIDTH_IN, max(graph_w, MIN_FIGURE_WIDTH, _text_width(title, TITLE_PT) + 2 * side + 0.2))
    text_w = fig_w - 2 * side
    title_lines = wrap_to_width(title, TITLE_PT, text_w)
    title_h = len(title_lines) * 1.3 * TITLE_PT / 72
    note_lines = [line for note in notes for line in wrap_to_width(note, NOTE_PT, text_w)]
    note_h = len(note_lines) * 1.3 * NOTE_PT / 72
    handle_w = 4.2 * LEGEND_PT / 72  # handle (2 em), the pad after it (0.8 em), column spacing (1.4 em)
    entry_w = max(_text_width(h.get_label(), LEGEND_PT) for h in handles) + handle_w
    columns = max(1, min(len(handles), int(text_w // entry_w)))
    legend_h = (math.ceil(len(handles) / columns) + 1) * 1.75 * LEGEND_PT / 72  # its rows and its title
    pad = 0.12
    top = pad + title_h + pad
    fig_h = top + graph_h + pad + (note_h + pad if note_lines else 0.0) + legend_h + pad
    fig.set_size_inches(fig_w, fig_h)
    left = (fig_w - graph_w) / 2
    ax.set_position((left / fig_w, (fig_h - top - graph_h) / fig_h, graph_w / fig_w, graph_h / fig_h))
    fig.suptitle(
        "\n".join(title_lines),
        x=side / fig_w,
        y=1 - pad / fig_h,
        ha="left",
        va="top",
        fontsize=TITLE_PT,
        linespacing=1.3,
    )
    y = fig_h - top - graph_h - pad
    if note_lines:
        fig.text(side / fig_w, y / fig_h, "\n".join(note_lines), fontsize=NOTE_PT, va="top", ha="left", linespacing=1.3)
        y -= note_h + pad
    fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(side / fig_w, y / fig_h),
        ncol=columns,
        fontsize=LEGEND_PT,
        title=message("draw.legend.title"),
        title_fontsize=LEGEND_PT,
        frameon=False,
        borderaxespad=0.0,
        alignment="left",
        borderpad=0.0,
        columnspacing=1.4,
        handletextpad=0.8,
        handlelength=2.0,
    )


def _new_figure(format: str = FORMATS[0]):
    fig = _figure_class()(figsize=(MAX_WIDTH_IN, 4.0), dpi=DPI)
    fig.lesson_format = format
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    return fig, ax


def _frames_drawn(view: Graph, frames) -> tuple[tuple, tuple]:
    """(clusters, repeats) of a Drawing: (label, frame box) per group, in graph.groups order."""
    ordered = sorted(frames, key=lambda f: f[0])
    clusters = tuple(
        (view.groups[g].name or view.groups[g].label, box) for g, box, _ in ordered if view.groups[g].kind == "module"
    )
    repeats = tuple((view.groups[g].label, box) for g, box, _ in ordered if view.groups[g].kind == "repeat")
    return clusters, repeats


def _add_frames(ax, view: Graph, frames, labelled: bool) -> set[str]:
    """Draw the group frames (outermost first, so inner ones are on top) and their labels."""
    from matplotlib.patches import FancyBboxPatch

    kinds = set()
    for g, (x0, y0, x1, y1), label_box in reversed(frames):
        group = view.groups[g]
        kind = group.kind if group.kind in FRAME_LINE else "module"
        kinds.add(kind)
        rounding = FRAME_ROUNDING if labelled else MARKER_FRAME_PAD / 2
        ax.add_patch(
            FancyBboxPatch(
                (x0, y0),
                x1 - x0,
                y1 - y0,
                boxstyle=f"round,pad=0,rounding_size={rounding}",
                facecolor="none",
                edgecolor=_frame_colour(kind),
                linewidth=FRAME_LINE[kind],
                linestyle=FRAME_STYLE[kind],
                gid=f"{kind}-frame-{g}",
                zorder=1.5,
            )
        )
        if label_box is not None:
            lx0, ly0, lx1, ly1 = label_box
            ax.text(
                lx0 + FRAME_LABEL_PAD[0],
                (ly0 + ly1) / 2,
                group.label,
                ha="left",
                va="center",
                fontsize=FRAME_PT,
                color=palette.TEXT,
                zorder=5,
                gid=f"{kind}-label-{g}",
                fontweight="bold" if kind == "repeat" else "normal",
                bbox=dict(boxstyle="square,pad=0", facecolor=palette.FRAME_LABEL_FILL, edgecolor="none"),
            )
    return kinds


def _draw_labelled(state: _State, geometry: _Geometry, ax, format: str = FORMATS[0]):
    """One box and one text per node, routed edges, gradients in lanes, frames around groups:
    lesson-sized graphs."""
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
    from matplotlib.path import Path

    view = state.view
    own = ax is None
    if own:
        fig, ax = _new_figure(format)
    else:
        fig = ax.figure
    floor = min_font_pt(fig.dpi)
    x_low, y_low, x_high, y_high = geometry.bounds
    ax.set_xlim(x_low, x_high)
    ax.set_ylim(y_low, y_high)
    ax.set_aspect("equal", adjustable="box")
    ax.set_axis_off()

    looks = set()
    for i, (x0, y0, x1, y1) in enumerate(geometry.boxes):
        look = state.look(i)
        looks.add(look)
        fill, outline, line = palette.node_colours(look)
        ax.add_patch(
            FancyBboxPatch(
                (x0, y0),
                x1 - x0,
                y1 - y0,
                boxstyle="round,pad=0,rounding_size=0.06",
                facecolor=fill,
                edgecolor=outline,
                linewidth=BOX_LINE,
                linestyle=line,
                gid=f"node-{i}",
                zorder=2,
            )
        )
        ax.text(
            (x0 + x1) / 2,
            (y0 + y1) / 2,
            "\n".join(geometry.texts[i]),
            ha="center",
            va="center",
            fontsize=max(NODE_PT, floor),
            family="monospace",
            color=palette.TEXT,
            zorder=3,
            linespacing=LINE_EM / 1.2,
        )
    frames = [
        (i, "output", palette.OUTPUT_OUTLINE, f"output-node-{k + 1}" if k else "output-node")
        for k, i in enumerate(_outputs(view))
    ]
    if state.active is not None:
        frames.append((state.active, "active", palette.ACTIVE_OUTLINE, "active-node"))
    for i, name, colour, gid in frames:
        x0, y0, x1, y1 = geometry.boxes[i]
        ax.add_patch(
            FancyBboxPatch(
                (x0, y0),
                x1 - x0,
                y1 - y0,
                boxstyle="round,pad=0,rounding_size=0.06",
                facecolor="none",
                edgecolor=colour,
                linewidth=HALO_WIDTH[name],
                gid=gid,
                zorder=4 if name == "output" else 3.5,
            )
        )
    group_kinds = _add_frames(ax, view, geometry.frames, labelled=True)
    clusters, repeats = _frames_drawn(view, geometry.frames)

    for position, edge in enumerate(view.edges):
        points = geometry.polylines[position]
        reached = state.grad_on(edge) is not None
        codes = [Path.MOVETO] + [Path.LINETO] * (len(points) - 1)
        ax.add_patch(
            FancyArrowPatch(
                path=Path(points, codes),
                arrowstyle="-|>",
                mutation_scale=ARROW_SIZE,
                color=palette.REACHED_EDGE if reached else palette.EDGE,
                linewidth=EDGE_LINE[reached],
                zorder=1,
                gid=f"edge-{position}",
            )
        )
    for position, (x0, y0, x1, y1), text in geometry.labels:
        ax.add_patch(
            FancyBboxPatch(
                (x0, y0),
                x1 - x0,
                y1 - y0,
                boxstyle="round,pad=0,rounding_size=0.03",
                facecolor=palette.LABEL_FILL,
                edgecolor=palette.REACHED_EDGE,
                linewidth=0.6,
                zorder=5,
                gid=f"edge-label-{position}",
            )
        )
        ax.text(
            (x0 + x1) / 2,
            (y0 + y1) / 2,
            text,
            ha="center",
            va="center",
            fontsize=max(EDGE_PT, floor),
            family="monospace",
            color=palette.TEXT,
            zorder=6,
        )
    info = dict(
        size=(x_high - x_low, y_high - y_low),
        handles=_legend_handles(state, looks, False, group_kinds),
        layout=geometry.lay,
        boxes=tuple(geometry.boxes),
        labelled=True,
        edges=tuple((e.source, e.target, tuple(p)) for e, p in zip(view.edges, geometry.polylines)),
        edge_labels=tuple((position, box) for position, box, _ in geometry.labels),
        clusters=clusters,
        repeats=repeats,
        frames=tuple(geometry.frames),
    )
    return fig, info


def _outputs(view: Graph) -> list[int]:
    """The output nodes of `view` that exist, each once (node 0 if none is valid)."""
    shown = [i for i in dict.fromkeys(view.outputs) if isinstance(i, (int, np.integer)) and 0 <= i < len(view.nodes)]
    return shown or [0]


def _draw_markers(state: _State, ax, format: str = FORMATS[0]):
    """All edges in one LineCollection and all nodes in one scatter: for big graphs. Group
    frames are outlines around their markers, without labels."""
    from matplotlib.collections import LineCollection

    view = state.view
    n = len(view.nodes)
    lay = layout(view, route=False)
    x = np.asarray(lay.x, dtype=float)
    y = -np.asarray(lay.layer, dtype=float)
    width = max(len(row) for row in lay.order)
    depth = len(lay.order)
    own = ax is None
    graph_w = min(MAX_WIDTH_IN, max(5.0, 1.0 + 0.3 * width))
    graph_h = min(14.0, max(4.0, 2.0 + 0.02 * depth))
    if own:
        fig, ax = _new_figure(format)
    else:
        fig = ax.figure
    ax.set_axis_off()
    ends = np.array([(e.source, e.target) for e in view.edges], dtype=int).reshape(-1, 2)
    segments = np.stack(
        [np.column_stack([x[ends[:, 0]], y[ends[:, 0]]]), np.column_stack([x[ends[:, 1]], y[ends[:, 1]]])], axis=1
    )
    ax.add_collection(LineCollection(segments, colors=palette.EDGE, linewidths=0.4, zorder=1))
    looks = [state.look(i) for i in range(n)]
    fills = [palette.node_colours(look)[0] for look in looks]
    outlines = [palette.node_colours(look)[1] for look in looks]
    sizes = np.array([60.0 if _kind(view, i) == "fold" else 14.0 for i in range(n)])
    ax.scatter(x, y, s=sizes, c=fills, edgecolors=outlines, linewidths=0.5, zorder=2, gid="nodes")
    outputs = _outputs(view)
    ax.scatter(
        x[outputs],
        y[outputs],
        s=80,
        facecolors="none",
        edgecolors=palette.OUTPUT_OUTLINE,
        linewidths=2,
        zorder=3,
        gid="output-node",
    )
    frames = []
    if view.groups:
        half = MARKER_FRAME_PAD / 2
        marker_boxes = [(x[i] - half, y[i] - half, x[i] + half, y[i] + half) for i in range(n)]
        paths, node_paths = group_paths(view)
        for g in sorted(range(len(view.groups)), key=lambda g: (-len(paths[g]), g)):
            inside = [marker_boxes[i] for i in range(n) if g in node_paths[i]]
            inside += [box for h, box, _ in frames if g in paths[h][:-1]]
            if inside:
                frames.append(
                    (
                        g,
                        (
                            min(b[0] for b in inside) - half,
                            min(b[1] for b in inside) - half,
                            max(b[2] for b in inside) + half,
                            max(b[3] for b in inside) + half,
                        ),
                        None,
                    )
                )
    group_kinds = _add_frames(ax, view, frames, labelled=False)
    clusters, repeats = _frames_drawn(view, frames)
    if state.active is not None:
        ax.scatter(
            [x[state.active]],
            [y[state.active]],
            s=120,
            facecolors="none",
            edgecolors=palette.ACTIVE_OUTLINE,
            linewidths=2.5,
            zorder=4,
            gid="active-node",
        )
    pad = 0.5
    reach = [(x.min(), y.min(), x.max(), y.max())] + [box for _, box, _ in frames]
    ax.set_xlim(min(b[0] for b in reach) - pad, max(b[2] for b in reach) + pad)
    ax.set_ylim(min(b[1] for b in reach) - pad, max(b[3] for b in reach) + pad)
    half = 0.2
    info = dict(
        size=(graph_w, graph_h),
        handles=_legend_handles(state, set(looks), True, group_kinds),
        clusters=clusters,
        repeats=repeats,
        frames=tuple(frames),
        layout=lay,
        boxes=tuple((x[i] - half, y[i] - half, x[i] + half, y[i] + half) for i in range(n)),
        labelled=False,
        edges=tuple(
            (e.source, e.target, ((float(x[e.source]), float(y[e.source])), (float(x[e.target]), float(y[e.target]))))
            for e in view.edges
        ),
        edge_labels=(),
    )
    return fig, info


__all__ = [
    "DISPLAY_WIDTH_PX",
    "DPI",
    "FORMATS",
    "Drawing",
    "Layout",
    "MIN_LABEL_PT",
    "MIN_TEXT_PX",
    "count_text",
    "crossings",
    "draw",
    "group_paths",
    "layers",
    "layout",
    "min_font_pt",
    "smallest_text_pt",
    "unfolded_count",
    "wrap_to_width",
]
