"""`draw(y)`: trace → fold → layout → paint.

draw(y) draws trace(y): the graph comes from the same builder (`autograd_lessons.graph.traced`)
with the learner's names captured once where the learner called draw. Then the pipeline folds
it when it is big (`autograd_lessons.folding`), lays it out (`drawing.layout`), places every box,
edge and frame in inches (`drawing.geometry`) and paints the figure (`drawing.painting`,
`drawing.figure`). A picture that would not fit with its text is folded harder, and drawn with
markers as a last resort. At step=k the picture is of backward_steps' recording instead.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from autograd_lessons.callers import learner_boundary
from autograd_lessons.drawing.describe import attach
from autograd_lessons.drawing.figure import finish, smallest_text_pt
from autograd_lessons.drawing.geometry import labelled_geometry
from autograd_lessons.drawing.layout import group_paths
from autograd_lessons.drawing.painting import paint_labelled, paint_markers
from autograd_lessons.drawing.scene import Drawing, Scene
from autograd_lessons.drawing.sizes import FOLD_LIMIT, FORMATS, LABEL_LIMIT
from autograd_lessons.drawing.text import WRAP_WIDTHS, count_text, picture_notes
from autograd_lessons.folding import MAX_BOXES, fold_blocks, regroup
from autograd_lessons.folding import fold as fold_graph
from autograd_lessons.graph import paused_gc, traced
from autograd_lessons.graph_data import Graph, Value, fold_chains
from autograd_lessons.i18n import LessonError, message
from autograd_lessons.steps import Steps, record

TIGHTER_FOLDS = (40, 25, 15)  # box budgets tried in turn when a folded picture is still too big for text


# --------------------------------------------------------------------------- titles


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


# --------------------------------------------------------------------------- trace (or record)


def _resolve(obj, step, names, modules) -> tuple[Graph, Steps | None]:
    """Turn draw()'s first argument into (graph, steps or None): a tensor (or several) is traced
    as trace() traces it, with step=k its backward pass recorded as backward_steps() does."""
    if isinstance(obj, (Steps, Graph)):
        if isinstance(obj, Graph) and step is not None:
            raise LessonError(message("draw.error.step_needs_tensor", step=step)) from None
        if modules is not None:  # a Graph or Steps was traced already; trace(y, modules=…) groups it
            raise LessonError(message("draw.error.modules_need_tensor")) from None
        return (obj.graph, obj) if isinstance(obj, Steps) else (obj, None)
    if step is None:
        with traced(obj, "draw", names, modules) as built:
            return built.graph, None
    with traced(obj, "draw", names) as built:
        if modules is not None:  # frames belong to trace's pictures, not to a step of the backward pass
            raise LessonError(message("draw.error.modules_need_tensor")) from None
        steps = record(built, None, False)
    return steps.graph, steps


def _checked_step(steps: Steps | None, step) -> int | None:
    """step as an int between 1 and len(steps); a LessonError naming the valid range otherwise."""
    if steps is None or step is None:
        return step
    if not len(steps):
        raise LessonError(message("steps.error.no_steps")) from None
    if isinstance(step, bool) or not isinstance(step, (int, np.integer)) or not 1 <= step <= len(steps):
        raise LessonError(message("draw.error.step_range", step=step, count=len(steps))) from None
    return int(step)


# --------------------------------------------------------------------------- fold


def fold_view(graph: Graph, max_boxes: int | None = None) -> Graph:
    """The folded graph (folding.fold): repeated chains and blocks shown once, and coarsened
    into at most MAX_BOXES boxes if still bigger. A graph that has no more than MAX_BOXES
    nodes (fold=True, or a picture too wide for text) has its chains and repeated blocks folded
    all the same, and nothing coarsened. Module frames are carried over (folding.regroup)."""
    folded = fold_graph(graph, max_boxes=MAX_BOXES if max_boxes is None else max_boxes)
    if folded is graph:
        folded = fold_blocks(fold_chains(graph), max_boxes=1)
    return regroup(graph, folded)


def _drawn(graph, steps, step, fold, ax, label_limit, fold_limit, title, format):
    """draw()'s picture of a resolved graph: folded as asked or needed, labelled if it fits."""
    auto_fold = fold is None
    if fold is None:
        fold = step is None and len(graph.nodes) > fold_limit
    view = fold_view(graph) if fold else graph
    picture = _picture(graph, view, steps, step, ax, label_limit, title, format)
    if picture is None and auto_fold and not fold:
        folded = fold_view(graph)  # too wide or too tall with text: fold repeated chains and blocks first
        if len(folded.nodes) < len(graph.nodes):
            view = folded
            picture = _picture(graph, view, steps, step, ax, label_limit, title, format)
    if picture is None and fold is not False and step is None:
        # Folded but still too wide or tall for text: fold harder, into fewer boxes, before
        # giving up labels (a picture of markers shows the shape, not what the nodes are).
        for boxes in TIGHTER_FOLDS:
            tighter = fold_view(graph, boxes)
            if len(tighter.nodes) < len(view.nodes):
                view = tighter
                picture = _picture(graph, view, steps, step, ax, label_limit, title, format)
                if picture is not None:
                    break
    if picture is None:
        picture = _picture(graph, view, steps, step, ax, 0, title, format)  # markers
    return picture


# --------------------------------------------------------------------------- layout and paint


def _scene(graph: Graph, view: Graph, steps: Steps | None, step: int | None) -> Scene:
    """What the picture of `view` shows; at step=k, the backward pass so far, mapped from the
    nodes of `graph` to the boxes of `view` that show them."""
    # Node of `graph` -> box of `view` showing it (None: an instance of a repeated block that
    # is not drawn).
    to_view: list[int | None] = list(range(len(graph.nodes)))
    if view is not graph:
        to_view = [None] * len(graph.nodes)
        for node in view.nodes:
            for old in node.members or (node.index,):
                if 0 <= old < len(to_view):
                    to_view[old] = node.index
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
    return Scene(view, active, done, edge_grads, leaf_grads, stepping)


def _geometry(scene: Scene, graph: Graph, notes: list[str]):
    """(scene, geometry) of the labelled picture, with narrower text, then without frames (a
    note says so), before giving up: (scene, None)."""
    for width in WRAP_WIDTHS:  # narrower lines of text before giving up on text
        geometry = labelled_geometry(scene, width)
        if geometry is not None:
            return scene, geometry
    if scene.view.groups:  # frames can make it too wide: text without frames
        plain = replace(scene, view=replace(scene.view, groups=()))
        for width in WRAP_WIDTHS:
            geometry = labelled_geometry(plain, width)
            if geometry is not None:
                notes.append(message("draw.note_frames_left_out", count=len(graph.groups)))
                return plain, geometry
    return scene, None


def _picture(graph: Graph, view: Graph, steps, step, ax, label_limit, title, format=FORMATS[0]):
    """The figure of `view` with `fig.lesson_drawing`, or None when its labelled picture would
    not fit DISPLAY_WIDTH_PX (or MAX_HEIGHT_IN) with text at its usual size."""
    folded = len(view.nodes) < len(graph.nodes)
    scene = _scene(graph, view, steps, step)
    notes = []
    if graph.freed:
        notes.append(message("graph.note_freed"))
    if len(view.nodes) <= label_limit:
        scene, geometry = _geometry(scene, graph, notes)
        if geometry is None:
            return None
        fig, info = paint_labelled(scene, geometry, ax, format)
        if not scene.stepping and any(node.kind == "op" and node.grad is not None for node in scene.view.nodes):
            notes.append(message("draw.note_retained_grad"))
        notes += picture_notes(graph, scene.view)  # MulBackward0's number; a graph a backward pass recorded
    else:
        notes.insert(0, message("draw.labels_hidden", nodes=count_text(len(view.nodes))))
        fig, info = paint_markers(scene, ax, format)
    if title is None:
        title = _title(graph, scene.view, steps, step)
    target = fig.axes[0] if ax is None else ax
    finish(fig, target, ax is None, info.pop("size"), info.pop("handles"), notes, title)
    smallest = smallest_text_pt(fig, target)
    fig.lesson_drawing = Drawing(
        graph=scene.view, active=scene.active, folded=folded, smallest_label_pt=smallest, format=format, **info
    )
    attach(fig, target, ax is None, graph, scene, steps, step)  # the picture's text alternative
    return fig


# --------------------------------------------------------------------------- draw


@learner_boundary
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
    the nodes each submodule of the model created, labelled "0 (Linear)" (see trace): run the
    forward inside `with record_modules(model):` first.

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
    graph, steps = _resolve(tensor_or_graph, step, names, modules)
    step = _checked_step(steps, step)
    with paused_gc():
        return _drawn(graph, steps, step, fold, ax, label_limit, fold_limit, title, format)


__all__ = ["TIGHTER_FOLDS", "draw", "fold_view", "unfolded_count"]
