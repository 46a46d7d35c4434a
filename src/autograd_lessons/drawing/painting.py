"""The matplotlib artists of a picture: boxes, texts, halos, frames, edges and edge labels.

`paint_labelled(scene, geometry, ax)` draws a lesson-sized graph from its geometry: one box and
one text per node, routed edges, gradients in lanes, frames around groups. `paint_markers`
draws a big graph fast: all edges in one LineCollection and all nodes in one scatter, without
text. Both return the figure and what the Drawing records. Colours come from
`autograd_lessons.palette`; sizes from `drawing.sizes`.

matplotlib is imported inside the functions that paint (see `drawing.figure`), so importing
the drawing layer does not load it.
"""

from __future__ import annotations

import numpy as np

from autograd_lessons import palette
from autograd_lessons.drawing.figure import frame_colour, legend_handles, new_figure
from autograd_lessons.drawing.geometry import Geometry
from autograd_lessons.drawing.layout import group_paths, layout
from autograd_lessons.drawing.scene import Box, Scene
from autograd_lessons.drawing.sizes import (
    ARROW_SIZE,
    BOX_LINE,
    EDGE_LINE,
    EDGE_PT,
    FORMATS,
    FRAME_LABEL_PAD,
    FRAME_LINE,
    FRAME_PT,
    FRAME_ROUNDING,
    FRAME_STYLE,
    HALO_WIDTH,
    LINE_EM,
    MARKER_FRAME_PAD,
    MAX_WIDTH_IN,
    NODE_PT,
    min_font_pt,
)
from autograd_lessons.graph_data import Graph

BOX_ROUNDING = 0.06  # corner radius of a box and of its halo (inches)
LABEL_ROUNDING = 0.03  # corner radius of a gradient written on an edge (inches)
LABEL_LINE = 0.6  # outline of a gradient written on an edge (pt)


def outputs_shown(view: Graph) -> list[int]:
    """The output nodes of `view` that exist, each once (node 0 if none is valid)."""
    shown = [i for i in dict.fromkeys(view.outputs) if isinstance(i, (int, np.integer)) and 0 <= i < len(view.nodes)]
    return shown or [0]


def _own_or_given(ax, format: str):
    """(figure, axes): a new figure of our own when `ax` is None, else the axes' figure."""
    if ax is None:
        return new_figure(format)
    return ax.figure, ax


# --------------------------------------------------------------------------- frames


def frames_drawn(view: Graph, frames) -> tuple[tuple, tuple]:
    """(clusters, repeats) of a Drawing: (label, frame box) per group, in graph.groups order."""
    ordered = sorted(frames, key=lambda f: f[0])
    clusters = tuple(
        (view.groups[g].name or view.groups[g].label, box) for g, box, _ in ordered if view.groups[g].kind == "module"
    )
    repeats = tuple((view.groups[g].label, box) for g, box, _ in ordered if view.groups[g].kind == "repeat")
    return clusters, repeats


def add_frames(ax, view: Graph, frames, labelled: bool) -> set[str]:
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
                edgecolor=frame_colour(kind),
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
                bbox={"boxstyle": "square,pad=0", "facecolor": palette.FRAME_LABEL_FILL, "edgecolor": "none"},
            )
    return kinds


# --------------------------------------------------------------------------- labelled pictures


def _paint_boxes(ax, scene: Scene, geometry: Geometry, floor: float) -> set[str]:
    """One box and its text per node; returns the looks drawn (for the legend)."""
    from matplotlib.patches import FancyBboxPatch

    looks = set()
    for i, (x0, y0, x1, y1) in enumerate(geometry.boxes):
        look = scene.look(i)
        looks.add(look)
        fill, outline, line = palette.node_colours(look)
        ax.add_patch(
            FancyBboxPatch(
                (x0, y0),
                x1 - x0,
                y1 - y0,
                boxstyle=f"round,pad=0,rounding_size={BOX_ROUNDING}",
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
            gid=f"node-text-{i}",
        )
    return looks


def _paint_halos(ax, scene: Scene, boxes: list[Box]) -> None:
    """The output frame on every output's box and, at step=k, the active frame."""
    from matplotlib.patches import FancyBboxPatch

    halos = [
        (i, "output", palette.OUTPUT_OUTLINE, f"output-node-{k + 1}" if k else "output-node")
        for k, i in enumerate(outputs_shown(scene.view))
    ]
    if scene.active is not None:
        halos.append((scene.active, "active", palette.ACTIVE_OUTLINE, "active-node"))
    for i, name, colour, gid in halos:
        x0, y0, x1, y1 = boxes[i]
        ax.add_patch(
            FancyBboxPatch(
                (x0, y0),
                x1 - x0,
                y1 - y0,
                boxstyle=f"round,pad=0,rounding_size={BOX_ROUNDING}",
                facecolor="none",
                edgecolor=colour,
                linewidth=HALO_WIDTH[name],
                gid=gid,
                zorder=4 if name == "output" else 3.5,
            )
        )


def _paint_edges(ax, scene: Scene, geometry: Geometry, floor: float) -> None:
    """Every edge as an arrow along its polyline, then the gradients written on edges."""
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
    from matplotlib.path import Path

    for position, edge in enumerate(scene.view.edges):
        points = geometry.polylines[position]
        reached = scene.grad_on(edge) is not None
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
                boxstyle=f"round,pad=0,rounding_size={LABEL_ROUNDING}",
                facecolor=palette.LABEL_FILL,
                edgecolor=palette.REACHED_EDGE,
                linewidth=LABEL_LINE,
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
            linespacing=LINE_EM / 1.2,  # matplotlib's spacing is in 1.2 em: lines LINE_EM apart, as measured
            gid=f"edge-label-text-{position}",
        )


def paint_labelled(scene: Scene, geometry: Geometry, ax, format: str = FORMATS[0]):
    """One box and one text per node, routed edges, gradients in lanes, frames around groups:
    lesson-sized graphs. Returns the figure and what the Drawing records."""
    view = scene.view
    fig, ax = _own_or_given(ax, format)
    floor = min_font_pt(fig.dpi)
    x_low, y_low, x_high, y_high = geometry.bounds
    ax.set_xlim(x_low, x_high)
    ax.set_ylim(y_low, y_high)
    ax.set_aspect("equal", adjustable="box")
    ax.set_axis_off()
    looks = _paint_boxes(ax, scene, geometry, floor)
    _paint_halos(ax, scene, geometry.boxes)
    group_kinds = add_frames(ax, view, geometry.frames, labelled=True)
    clusters, repeats = frames_drawn(view, geometry.frames)
    _paint_edges(ax, scene, geometry, floor)
    info = {
        "size": (x_high - x_low, y_high - y_low),
        "handles": legend_handles(scene, looks, False, group_kinds),
        "layout": geometry.lay,
        "boxes": tuple(geometry.boxes),
        "labelled": True,
        "edges": tuple((e.source, e.target, tuple(p)) for e, p in zip(view.edges, geometry.polylines, strict=True)),
        "edge_labels": tuple((position, box) for position, box, _ in geometry.labels),
        "clusters": clusters,
        "repeats": repeats,
        "frames": tuple(geometry.frames),
    }
    return fig, info


# --------------------------------------------------------------------------- marker pictures


def _marker_frames(view: Graph, x: np.ndarray, y: np.ndarray) -> list[tuple[int, Box, None]]:
    """(group, frame, None) of every group in a marker picture, innermost first: an outline
    MARKER_FRAME_PAD / 2 around its markers and inner frames."""
    n = len(view.nodes)
    frames: list[tuple[int, Box, None]] = []
    if not view.groups:
        return frames
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
    return frames


def paint_markers(scene: Scene, ax, format: str = FORMATS[0]):
    """All edges in one LineCollection and all nodes in one scatter: for big graphs. Group
    frames are outlines around their markers, without labels."""
    from matplotlib.collections import LineCollection

    view = scene.view
    n = len(view.nodes)
    lay = layout(view, route=False)
    x = np.asarray(lay.x, dtype=float)
    y = -np.asarray(lay.layer, dtype=float)
    width = max(len(row) for row in lay.order)
    depth = len(lay.order)
    graph_w = min(MAX_WIDTH_IN, max(5.0, 1.0 + 0.3 * width))
    graph_h = min(14.0, max(4.0, 2.0 + 0.02 * depth))
    fig, ax = _own_or_given(ax, format)
    ax.set_axis_off()
    ends = np.array([(e.source, e.target) for e in view.edges], dtype=int).reshape(-1, 2)
    segments = np.stack(
        [np.column_stack([x[ends[:, 0]], y[ends[:, 0]]]), np.column_stack([x[ends[:, 1]], y[ends[:, 1]]])], axis=1
    )
    ax.add_collection(LineCollection(segments, colors=palette.EDGE, linewidths=0.4, zorder=1))
    looks = [scene.look(i) for i in range(n)]
    fills = [palette.node_colours(look)[0] for look in looks]
    outlines = [palette.node_colours(look)[1] for look in looks]
    sizes = np.array([60.0 if view.kind(i) == "fold" else 14.0 for i in range(n)])
    ax.scatter(x, y, s=sizes, c=fills, edgecolors=outlines, linewidths=0.5, zorder=2, gid="nodes")
    outputs = outputs_shown(view)
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
    frames = _marker_frames(view, x, y)
    group_kinds = add_frames(ax, view, frames, labelled=False)
    clusters, repeats = frames_drawn(view, frames)
    if scene.active is not None:
        ax.scatter(
            [x[scene.active]],
            [y[scene.active]],
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
    info = {
        "size": (graph_w, graph_h),
        "handles": legend_handles(scene, set(looks), True, group_kinds),
        "clusters": clusters,
        "repeats": repeats,
        "frames": tuple(frames),
        "layout": lay,
        "boxes": tuple((x[i] - half, y[i] - half, x[i] + half, y[i] + half) for i in range(n)),
        "labelled": False,
        "edges": tuple(
            (e.source, e.target, ((float(x[e.source]), float(y[e.source])), (float(x[e.target]), float(y[e.target]))))
            for e in view.edges
        ),
        "edge_labels": (),
    }
    return fig, info


__all__ = ["add_frames", "frames_drawn", "outputs_shown", "paint_labelled", "paint_markers"]
