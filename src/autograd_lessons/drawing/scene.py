"""What a picture shows (`Scene`) and what was drawn (`Drawing`, attached to the figure).

A Scene is the graph to draw and, at step=k of a backward pass, how far the pass has come: the
active node, the nodes already run, the gradients on the edges and in the leaves. Geometry and
painting read it; the pipeline makes it. A Drawing records the geometry of the finished
picture, in inches, for tests and tools (`fig.lesson_drawing`).
"""

from __future__ import annotations

from dataclasses import dataclass

from autograd_lessons.drawing.layout import Layout
from autograd_lessons.graph_data import Edge, Graph, Value

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


@dataclass
class Scene:
    """What a picture shows: the graph and, at step=k, how far the backward pass has come."""

    view: Graph
    active: int | None
    done: set[int]
    edge_grads: dict[tuple[int, int, int], Value | None]
    leaf_grads: dict[int, Value | None]
    stepping: bool

    def look(self, i: int) -> str:
        """The palette kind node i is drawn with: its own kind, or "pending" at a step before it."""
        kind = self.view.kind(i)
        if self.stepping and kind != "cut" and i not in self.done and i != self.active:
            return "pending"
        return kind

    def grad_on(self, edge: Edge) -> Value | None:
        """The gradient that has travelled along `edge` so far (None: not reached yet)."""
        return self.edge_grads.get((edge.source, edge.target, edge.slot))


__all__ = ["Box", "Drawing", "Point", "Scene"]
