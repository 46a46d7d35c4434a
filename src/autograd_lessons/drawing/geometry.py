"""Where everything of a labelled picture goes, in inches: boxes, routed edges, edge labels, frames.

`labelled_geometry(scene)` works in the order a reader would: the text of every box (its size),
the ports on each box's top and bottom, the x of every slot of the layout, the gradients written
on edges at step=k (lanes under their source's row), the height of every row and gap, then the
boxes, the edges' polylines and the frames. Every edge is a polyline that stays out of every
box but its own two ends: a vertical stub out of its source, a straight segment across each gap
between rows, a vertical run through any row it passes (at its own dummy slot) and a vertical
stub into its target. Edges leaving or entering one box are spread over its width, so parallel
edges (x used twice) are two lines. It returns None when the picture would be too wide or too
tall for its text; the pipeline then folds harder or draws markers.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

from autograd_lessons.drawing.frames import Frames
from autograd_lessons.drawing.layout import Layout, common, layout
from autograd_lessons.drawing.scene import Box, Point, Scene
from autograd_lessons.drawing.sizes import (
    ARROW_STUB,
    BOX_GAP,
    BOX_PAD,
    DUMMY_GAP,
    EDGE_PT,
    FOREIGN_PULL,
    FRAME_GAP,
    FRAME_PAD,
    FRAME_ROUNDS,
    LABEL_CHARS,
    LABEL_PAD,
    LANE_GAP,
    LINE_EM,
    MARGIN,
    MAX_HEIGHT_IN,
    MAX_WIDTH_IN,
    MIN_PORT_SPACING,
    MIN_SEPARATION,
    NODE_PT,
    PLACE_SWEEPS,
    PORT_MARGIN,
    PORT_SPACING,
    SLANT,
    START_STUB,
    STUB_CLEAR,
)
from autograd_lessons.drawing.text import WRAP_WIDTHS, frame_label_size, node_lines, text_width, wrap_text
from autograd_lessons.graph_data import Graph

MAX_SLANT = 6.0  # inches: a gap never grows taller than this to part parallel edges
SLANT_STEP = 0.1  # inches added to a gap's slant per try while parallel edges come too close
SEPARATION_SLACK = 1.05  # parallel edges part by MIN_SEPARATION plus this margin for rounding
BELOW_CAP = 100  # nodes below a box counted for its stiffness (the count grows along every path)
DUMMY_WEIGHT = 16.0  # an edge passing a row: as stiff as a box with 3 nodes below ((1 + 3)²)
LEAF_WEIGHT = 0.1  # a box with nothing below: a side input (constant, leaf) that yields
LONE_WEIGHT = 0.05  # a slot with no neighbour at all stays where packing put it, loosely


@dataclass
class Geometry:
    """A labelled picture's geometry: the layout, each box's lines of text and (x0, y0, x1, y1),
    each edge's polyline, the gradients written on edges (edge position, box, text), the bounds
    of everything, and the frames (group index, frame, label's box), innermost first."""

    lay: Layout
    texts: list[list[str]]
    boxes: list[Box]
    polylines: list[list[Point]]
    labels: list[tuple[int, Box, str]]
    bounds: Box
    frames: list[tuple[int, Box, Box]] = field(default_factory=list)


# --------------------------------------------------------------------------- small helpers


def isotonic(desired: list[float], weights: list[float], gaps: list[float]) -> list[float]:
    """x minimising Σ w·(x − desired)² with x[i+1] − x[i] ≥ gaps[i] (pool adjacent violators)."""
    offsets = [0.0]
    for gap in gaps:
        offsets.append(offsets[-1] + gap)
    blocks: list[list[float]] = []  # [mean, weight, count]
    for d, w, o in zip(desired, weights, offsets, strict=True):
        blocks.append([d - o, w, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            m2, w2, c2 = blocks.pop()
            m1, w1, c1 = blocks.pop()
            blocks.append([(m1 * w1 + m2 * w2) / (w1 + w2), w1 + w2, c1 + c2])
    out: list[float] = []
    for mean, _, count in blocks:
        out += [mean] * int(count)
    return [y + o for y, o in zip(out, offsets, strict=True)]


def segment_distance(p: Point, q: Point, r: Point, s: Point) -> float:
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


def polyline_distance(a: list[Point], b: list[Point]) -> float:
    """Shortest distance between two polylines (0 if they cross)."""
    return min(segment_distance(a[i], a[i + 1], b[j], b[j + 1]) for i in range(len(a) - 1) for j in range(len(b) - 1))


# --------------------------------------------------------------------------- boxes and ports


def _box_sizes(scene: Scene, wrap: int) -> tuple[list[list[str]], list[float], list[float]]:
    """Each box's lines of text (about `wrap` characters wide), width and height: wide enough for
    its text as the font draws it (any glyph, any language) and for MIN_PORT_SPACING between the
    edges that leave or enter it."""
    view = scene.view
    n = len(view.nodes)
    line_h = LINE_EM * NODE_PT / 72
    texts = [node_lines(view, i, scene.leaf_grads.get(i) if scene.stepping else "keep", wrap) for i in range(n)]
    ports_needed = [max(len(view.children[i]), len(view.parents[i]), 1) for i in range(n)]
    w = [
        max(
            max(text_width(t, NODE_PT, mono=True) for t in texts[i]) + 2 * BOX_PAD[0],
            2 * PORT_MARGIN + (ports_needed[i] - 1) * MIN_PORT_SPACING,
        )
        for i in range(n)
    ]
    h = [len(texts[i]) * line_h + 2 * BOX_PAD[1] for i in range(n)]
    return texts, w, h


def _ports(view: Graph, lay: Layout, w: list[float]) -> tuple[list[float], list[float]]:
    """Offsets from the box centre of every edge's start (on its source's bottom) and end (on
    its target's top). The edges leaving (entering) a box are spread over its bottom (top),
    ordered by the rank of the slot they go to (come from), parallel edges by input position, so
    they do not cross there. Offsets depend on the order only."""
    n = len(view.nodes)
    rank = [0] * (n + len(lay.dummies))
    for row in lay.rows:
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
    return out_off, in_off


# --------------------------------------------------------------------------- x of every slot


class _Placement:
    """The x of every slot: rows packed by real widths, then pulled towards the weighted mean of
    their neighbours' centres (pool adjacent violators keeps the order and the gaps). Boxes with
    many nodes below them, and edges passing rows, move least: chains stay straight and side
    inputs (constants, leaves) yield. With frames, they are kept apart after every round."""

    def __init__(self, view: Graph, lay: Layout, width: list[float], frames: Frames | None):
        self.view, self.lay, self.width, self.frames = view, lay, width, frames
        n, m = len(view.nodes), len(width)
        self.n = n
        below_count = [0] * n  # nodes below each node (counted along every path, capped)
        for i in sorted(range(n), key=lambda i: -lay.layer[i]):
            below_count[i] = min(BELOW_CAP, sum(1 + below_count[e.target] for e in view.children[i]))
        self.weight = [(1.0 + below_count[i]) ** 2 if i < n and below_count[i] else LEAF_WEIGHT for i in range(m)]
        self.weight[n:] = [DUMMY_WEIGHT] * (m - n)
        self.up: list[list[int]] = [[] for _ in range(m)]
        self.down: list[list[int]] = [[] for _ in range(m)]
        for position, edge in enumerate(view.edges):
            path = [edge.source, *lay.chains[position], edge.target]
            for a, b in itertools.pairwise(path):
                self.down[a].append(b)
                self.up[b].append(a)

    def gap(self, a: int, b: int) -> float:
        """Least distance between the centres of neighbours a and b of a row."""
        paths, width = self.lay.paths, self.width
        base = BOX_GAP if a < self.n and b < self.n else DUMMY_GAP
        crossed = len(paths[a]) + len(paths[b]) - 2 * len(common(paths[a], paths[b]))
        if crossed:  # frame borders between them: a pad inside each, a gap outside
            base = max(base, crossed * FRAME_PAD + FRAME_GAP)
        return (width[a] + width[b]) / 2 + base

    def packed(self) -> list[float]:
        """Every row packed left to right by the real widths, centred on 0."""
        x = [0.0] * len(self.width)
        for row in self.lay.rows:
            at = 0.0
            for r, i in enumerate(row):
                if r:
                    at += self.gap(row[r - 1], i)
                x[i] = at
            for i in row:
                x[i] -= at / 2
        return x

    def pull(self, x: list[float], row: tuple[int, ...], neighbours) -> None:
        paths, weight = self.lay.paths, self.weight
        desired, weights = [], []
        for i in row:
            near = [j for part in neighbours for j in part[i]]
            # a neighbour across a frame border pulls less: frames stay compact
            pulls = [weight[j] * (1.0 if paths[j] == paths[i] else FOREIGN_PULL) for j in near]
            total = sum(pulls)
            desired.append(sum(x[j] * p for j, p in zip(near, pulls, strict=True)) / total if near else x[i])
            weights.append(weight[i] if near else LONE_WEIGHT)
        gaps = [self.gap(a, b) for a, b in itertools.pairwise(row)]
        placed = isotonic(desired, weights, gaps)
        for i, value in zip(row, placed, strict=True):
            x[i] = value

    def place(self) -> list[float]:
        rows, frames, width = self.lay.rows, self.frames, self.width
        x = self.packed()
        depth = len(rows)
        for _ in range(FRAME_ROUNDS if frames is not None else 1):
            for sweep in range(PLACE_SWEEPS):
                going_down = sweep % 2 == 0
                for k in range(1, depth) if going_down else range(depth - 2, -1, -1):
                    self.pull(x, rows[k], [self.up] if going_down else [self.down])
            for k in range(depth):
                self.pull(x, rows[k], [self.up, self.down])
            if frames is not None:  # then no box inside a foreign frame; pulling again tightens
                frames.separate(x, self.gap)
        if frames is not None:
            compact = list(x)
            frames.compact(compact, self.gap)
            m = len(width)
            if max(compact[i] + width[i] / 2 for i in range(m)) - min(compact[i] - width[i] / 2 for i in range(m)) < (
                max(x[i] + width[i] / 2 for i in range(m)) - min(x[i] - width[i] / 2 for i in range(m)) - 1e-9
            ):
                x[:] = compact
        return x


# --------------------------------------------------------------------------- gradients on edges


def _label_height(text: str) -> float:
    """Height (inches) of a gradient written on an edge: its lines and its padding."""
    return (text.count("\n") + 1) * LINE_EM * EDGE_PT / 72 + 2 * LABEL_PAD[1]


def _edge_labels(scene: Scene, lay: Layout, through: list[list[tuple[int, float]]]):
    """At step=k, the gradient on each edge it has reached, in lanes in the gap below the
    source's row, each label beside or on its own edge's vertical run, never over another label,
    over another edge's run if it can be helped. A gradient longer than LABEL_CHARS takes more
    lines (never cut); a lane is as tall as its tallest label. Returns (placed, lane heights per
    gap), where placed holds (edge position, lane, x0, x1, text)."""
    depth = len(lay.rows)
    lanes_of: list[list[float]] = [[] for _ in range(depth)]
    placed: list[tuple[int, int, float, float, str]] = []
    if not scene.stepping:
        return placed, lanes_of
    view, layer = scene.view, lay.layer
    for k in range(depth):
        wanted = []
        for position, at in through[k]:
            edge = view.edges[position]
            value = scene.grad_on(edge)
            if layer[edge.source] == k and value is not None:
                text = "\n".join(wrap_text(value.text(), width=LABEL_CHARS))
                wanted.append((at, position, text))
        wanted.sort()
        lanes: list[list[tuple[float, float]]] = []
        heights: list[float] = []
        for at, position, text in wanted:
            lw = max(text_width(line, EDGE_PT, mono=True) for line in text.split("\n")) + 2 * LABEL_PAD[0]
            offset = STUB_CLEAR + 0.02
            candidates = [(at - lw / 2, at + lw / 2), (at + offset, at + offset + lw), (at - offset - lw, at - offset)]

            def clean(span, position=position, runs=through[k]):
                return all(
                    not (span[0] - STUB_CLEAR <= other <= span[1] + STUB_CLEAR) for p, other in runs if p != position
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
                heights.append(0.0)
                span = next((c for c in candidates if clean(c)), candidates[0])
                choice = (len(lanes) - 1, span)
            j, span = choice
            lanes[j].append(span)
            heights[j] = max(heights[j], _label_height(text))
            placed.append((position, j, span[0], span[1], text))
        lanes_of[k] = heights
    return placed, lanes_of


# --------------------------------------------------------------------------- heights


@dataclass
class _Gaps:
    """The vertical parts of the gap under every row k: `lane_zone` (frames closing, then the
    label lanes or a START_STUB), `slant` (where edges change x) and `stub` (the arrow's
    vertical run into the next row, after the label bands of frames opening there)."""

    lane_zone: list[float]
    slant: list[float]
    stub: list[float]
    close: list[float]


def _gaps(lanes_of: list[list[float]], frames: Frames | None) -> _Gaps:
    """Each gap's parts before the slants are fitted: its label lanes (`lanes_of[k]`, their
    heights) or a START_STUB. Room for frames: FRAME_PAD under a row per frame ending there (one
    inside the other), and a label band plus FRAME_PAD above a row per frame starting there.
    Edges run straight down through both."""
    depth = len(lanes_of)
    lane_zone = [
        max(START_STUB, LANE_GAP + sum(h + LANE_GAP for h in lanes_of[k])) if lanes_of[k] else START_STUB
        for k in range(depth)
    ]
    frame_label_h = frame_label_size("0")[1]
    closing = frames.closing() if frames else {}
    opening = frames.opening() if frames else {}
    close = [closing.get(k, 0) * FRAME_PAD for k in range(depth)]
    open_ = [opening.get(k, 0) * (FRAME_PAD + frame_label_h) for k in range(depth)]
    lane_zone = [close[k] + lane_zone[k] for k in range(depth)]
    stub = [ARROW_STUB + (open_[k + 1] if k + 1 < depth else 0.0) for k in range(depth)]
    return _Gaps(lane_zone, [SLANT] * depth, stub, close)


def _fit_slants(view: Graph, lay: Layout, gaps: _Gaps, x, in_port, through) -> None:
    """Make each gap's slanted part taller where parallel edges would come closer than
    MIN_SEPARATION."""
    layer = lay.layer
    parallel: dict[tuple[int, int], list[int]] = {}
    for position, edge in enumerate(view.edges):
        parallel.setdefault((edge.source, edge.target), []).append(position)

    def piece(k: int, position: int, top: float) -> list[Point]:
        """Edge `position` across gap k, from x `top`, with y = 0 at the bottom of row k."""
        edge, chain = view.edges[position], lay.chains[position]
        bottom = x[chain[k - layer[edge.source]]] if k + 1 < layer[edge.target] else in_port[position]
        low = -gaps.lane_zone[k] - gaps.slant[k]
        return [(top, 0.0), (top, -gaps.lane_zone[k]), (bottom, low), (bottom, low - gaps.stub[k])]

    for k in range(len(lay.rows) - 1):
        at = dict(through[k])
        pairs = [
            (p, q)
            for members in parallel.values()
            for r, p in enumerate(members)
            for q in members[r + 1 :]
            if p in at and q in at
        ]
        while (
            pairs
            and gaps.slant[k] < MAX_SLANT
            and not all(
                polyline_distance(piece(k, p, at[p]), piece(k, q, at[q])) >= MIN_SEPARATION * SEPARATION_SLACK
                for p, q in pairs
            )
        ):
            gaps.slant[k] += SLANT_STEP


# --------------------------------------------------------------------------- edges


def _polylines(view: Graph, lay: Layout, x, ports, boxes, bands, gaps: _Gaps) -> list[list[Point]]:
    """Every edge from its source's bottom to its target's top, as the fewest points (a vertical
    run through several rows is one segment)."""
    out_port, in_port = ports
    band_top, band_bottom = bands
    layer = lay.layer
    polylines: list[list[Point]] = []
    for position, edge in enumerate(view.edges):
        s, t = edge.source, edge.target
        chain = lay.chains[position]
        points = [(out_port[position], boxes[s][1])]
        at = out_port[position]
        for k in range(layer[s], layer[t]):
            points.append((at, band_bottom[k] - gaps.lane_zone[k]))
            at = x[chain[k - layer[s]]] if k + 1 < layer[t] else in_port[position]
            points.append((at, band_top[k + 1] + gaps.stub[k]))
        points.append((in_port[position], boxes[t][3]))
        simple = [points[0]]
        for r in range(1, len(points) - 1):
            a, b, c = simple[-1], points[r], points[r + 1]
            if not (a[0] == b[0] == c[0]):
                simple.append(b)
        simple.append(points[-1])
        polylines.append(simple)
    return polylines


def _through(view: Graph, lay: Layout, x, out_port) -> list[list[tuple[int, float]]]:
    """For each gap k: (edge position, x) of every edge running vertically through its top part."""
    layer = lay.layer
    through: list[list[tuple[int, float]]] = [[] for _ in lay.rows]
    for position, edge in enumerate(view.edges):
        chain = lay.chains[position]
        for k in range(layer[edge.source], layer[edge.target]):
            at = out_port[position] if k == layer[edge.source] else x[chain[k - layer[edge.source] - 1]]
            through[k].append((position, at))
    return through


def _runs(view: Graph, lay: Layout, x, in_port) -> list[list[float]]:
    """For each row k: the x of every edge running down into it (frame labels keep clear)."""
    n = len(view.nodes)
    runs: list[list[float]] = [[] for _ in lay.rows]
    for position, edge in enumerate(view.edges):
        chain = lay.chains[position]
        runs[lay.layer[edge.target]].append(in_port[position])
        for slot, (_, k) in zip(chain, (lay.dummies[c - n] for c in chain), strict=True):
            runs[k].append(x[slot])
    return runs


# --------------------------------------------------------------------------- the whole picture


def labelled_geometry(scene: Scene, wrap: int = WRAP_WIDTHS[0]) -> Geometry | None:
    """Boxes, routed edges and edge labels of a labelled picture, in inches, with box text in
    lines of about `wrap` characters; None if it would not fit the picture."""
    view = scene.view
    n = len(view.nodes)
    lay = layout(view)
    texts, w, h = _box_sizes(scene, wrap)
    out_off, in_off = _ports(view, lay, w)
    width = w + [0.0] * len(lay.dummies)
    frames = Frames(view, lay, width) if view.groups else None
    x = _Placement(view, lay, width, frames).place()
    out_port = [x[e.source] + out_off[p] for p, e in enumerate(view.edges)]
    in_port = [x[e.target] + in_off[p] for p, e in enumerate(view.edges)]
    through = _through(view, lay, x, out_port)
    placed, lanes_of = _edge_labels(scene, lay, through)
    gaps = _gaps(lanes_of, frames)
    _fit_slants(view, lay, gaps, x, in_port, through)

    # Rows as tall as their tallest box, stacked downwards from y = 0 with their gaps between.
    rows, depth = lay.rows, len(lay.rows)
    row_h = [max(h[i] for i in row if i < n) for row in rows]
    band_top = [0.0] * depth
    for k in range(1, depth):
        band_top[k] = band_top[k - 1] - row_h[k - 1] - gaps.lane_zone[k - 1] - gaps.slant[k - 1] - gaps.stub[k - 1]
    band_bottom = [band_top[k] - row_h[k] for k in range(depth)]
    boxes: list[Box] = []
    for i in range(n):
        cy = (band_top[lay.layer[i]] + band_bottom[lay.layer[i]]) / 2
        boxes.append((x[i] - w[i] / 2, cy - h[i] / 2, x[i] + w[i] / 2, cy + h[i] / 2))
    polylines = _polylines(view, lay, x, (out_port, in_port), boxes, (band_top, band_bottom), gaps)

    labels = []
    for position, j, x0, x1, text in placed:
        k = lay.layer[view.edges[position].source]
        top = band_bottom[k] - gaps.close[k] - LANE_GAP - sum(h + LANE_GAP for h in lanes_of[k][:j])
        labels.append((position, (x0, top - _label_height(text), x1, top), text))
    placed_frames: list[tuple[int, Box, Box]] = []
    if frames is not None:
        placed_frames = frames.place(x, band_top, band_bottom, _runs(view, lay, x, in_port))
    outlines = boxes + [lb for _, lb, _ in labels] + [frame for _, frame, _ in placed_frames]
    x_low = min(b[0] for b in outlines) - MARGIN
    x_high = max(b[2] for b in outlines) + MARGIN
    y_low, y_high = min(b[1] for b in outlines) - MARGIN, max(b[3] for b in outlines + [(0, 0, 0, 0)]) + MARGIN
    if x_high - x_low > MAX_WIDTH_IN or y_high - y_low > MAX_HEIGHT_IN:
        return None
    return Geometry(lay, texts, boxes, polylines, labels, (x_low, y_low, x_high, y_high), placed_frames)


__all__ = ["Geometry", "isotonic", "labelled_geometry", "polyline_distance", "segment_distance"]
