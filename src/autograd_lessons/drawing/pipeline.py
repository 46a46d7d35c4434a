"""`draw(y)`: trace → fold → layout → paint.

draw(y) draws trace(y): the graph comes from the same builder (`autograd_lessons.graph.traced`)
with the learner's names captured once where the learner called draw. Then the pipeline folds
it when it is big (`autograd_lessons.folding`), lays it out (`drawing.layout`), places every box,
edge and frame in inches (`drawing.geometry`) and paints the figure (`drawing.painting`,
`drawing.figure`). A picture that would not fit with its text is folded harder, and drawn with
markers as a last resort. At step=k the picture is of backward_steps' recording instead.

`draw_side_by_side({"heading": y, …})` draws several graphs in one figure, on one row when they
fit legibly, each under its heading and draw()'s title, with one legend and one set of notes below
them all: the way to compare two graphs at a glance (drawing each into the axes of one's own
figure with draw(ax=…) gives each its own legend, inside its axes).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from autograd_lessons.callers import learner_boundary
from autograd_lessons.drawing import painting
from autograd_lessons.drawing.describe import DESCRIPTION, attach, graph_description, sentence
from autograd_lessons.drawing.figure import (
    LINE_SPACING,
    PAD_IN,
    SIDE_IN,
    add_legend,
    add_notes,
    finish,
    legend_layout,
    smallest_text_pt,
)
from autograd_lessons.drawing.geometry import labelled_geometry
from autograd_lessons.drawing.layout import group_paths
from autograd_lessons.drawing.painting import paint_labelled, paint_markers
from autograd_lessons.drawing.scene import Drawing, Scene
from autograd_lessons.drawing.sizes import (
    DISPLAY_WIDTH_PX,
    DPI,
    FOLD_LIMIT,
    FORMATS,
    LABEL_LIMIT,
    MIN_FIGURE_WIDTH,
    MIN_LABEL_PT,
    NOTE_PT,
    TITLE_PT,
    min_font_pt,
)
from autograd_lessons.drawing.text import WRAP_WIDTHS, count_text, picture_notes, wrap_to_width
from autograd_lessons.folding import MAX_BOXES, fold_blocks, regroup
from autograd_lessons.folding import fold as fold_graph
from autograd_lessons.graph import check_outputs, paused_gc, traced
from autograd_lessons.graph_data import Graph, Value, fold_chains
from autograd_lessons.i18n import LessonError, message
from autograd_lessons.steps import Steps, record

TIGHTER_FOLDS = (40, 25, 15)  # box budgets tried in turn when a folded picture is still too big for text
SIDE_GAP = 0.4  # inches between two pictures drawn side by side (draw_side_by_side)


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


def _resolve(obj, step, names, modules, func: str = "draw") -> tuple[Graph, Steps | None]:
    """Turn draw()'s first argument into (graph, steps or None): a tensor (or several) is traced
    as trace() traces it, with step=k its backward pass recorded as backward_steps() does. `func`
    is the helper the learner called, as its error messages name it."""
    if isinstance(obj, (Steps, Graph)):
        if isinstance(obj, Graph) and step is not None:
            raise LessonError(message("draw.error.step_needs_tensor", step=step)) from None
        if modules is not None:  # a Graph or Steps was traced already; trace(y, modules=…) groups it
            raise LessonError(message("draw.error.modules_need_tensor")) from None
        return (obj.graph, obj) if isinstance(obj, Steps) else (obj, None)
    if step is None:
        with traced(obj, func, names, modules) as built:
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


def _notes(graph: Graph, scene: Scene, labelled: bool, layout_notes: list[str]) -> list[str]:
    """The notes under one picture, in order: boxes without text, a freed graph, what the layout
    left out (`layout_notes`), operations that retain their grad, then what the picture's own
    graph calls for (MulBackward0's number; a graph a backward pass recorded)."""
    notes = [] if labelled else [message("draw.labels_hidden", nodes=count_text(len(scene.view.nodes)))]
    if graph.freed:
        notes.append(message("graph.note_freed"))
    notes += layout_notes
    if labelled:
        if not scene.stepping and any(node.kind == "op" and node.grad is not None for node in scene.view.nodes):
            notes.append(message("draw.note_retained_grad"))
        notes += picture_notes(graph, scene.view)
    return notes


def _picture(graph: Graph, view: Graph, steps, step, ax, label_limit, title, format=FORMATS[0]):
    """The figure of `view` with `fig.lesson_drawing`, or None when its labelled picture would
    not fit DISPLAY_WIDTH_PX (or MAX_HEIGHT_IN) with text at its usual size."""
    folded = len(view.nodes) < len(graph.nodes)
    scene = _scene(graph, view, steps, step)
    layout_notes: list[str] = []
    labelled = len(view.nodes) <= label_limit
    if labelled:
        scene, geometry = _geometry(scene, graph, layout_notes)
        if geometry is None:
            return None
        fig, info = paint_labelled(scene, geometry, ax, format)
    else:
        fig, info = paint_markers(scene, ax, format)
    notes = _notes(graph, scene, labelled, layout_notes)
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


# --------------------------------------------------------------------------- several graphs in one figure


def _pictures(pictures) -> list[tuple[str | None, object]]:
    """draw_side_by_side's argument as (title or None, tensor or Graph) pairs, in order."""
    if isinstance(pictures, dict):
        items = [(str(title), obj) for title, obj in pictures.items()]
    elif isinstance(pictures, (tuple, list)):
        items = [(None, obj) for obj in pictures]
    else:
        items = [(None, pictures)]
    if not items:
        check_outputs([], "draw_side_by_side")  # raises the LessonError of an empty list
    return items


def _side_geometries(scenes: list[Scene]):
    """Each scene's labelled geometry, all at the widest of WRAP_WIDTHS at which they fit side by
    side on one row shown at a legible dpi (every text at MIN_LABEL_PT or more where it is shown);
    None when no width does."""
    for wrap in WRAP_WIDTHS:
        geometries = [labelled_geometry(scene, wrap) for scene in scenes]
        if any(geometry is None for geometry in geometries):
            continue
        width = sum(g.bounds[2] - g.bounds[0] for g in geometries) + SIDE_GAP * (len(scenes) - 1)
        if min_font_pt(min(DPI, DISPLAY_WIDTH_PX / max(width, MIN_FIGURE_WIDTH))) <= MIN_LABEL_PT:
            return geometries
    return None


def _place(fig, placed, handles, notes: list[str], rows: list[list[int]]) -> None:
    """Size the figure around its pictures (`placed`: (axes, (heading or None, title), (width,
    height)) each), row by row, each picture under its heading (in bold) and its title, every row
    centred; then the notes and one legend below them all, as draw() places its own. Lowers the
    figure's dpi so that it is no wider than DISPLAY_WIDTH_PX."""
    line = LINE_SPACING / 72
    row_sizes = []
    for row in rows:
        titles = [
            [wrap_to_width(text, TITLE_PT, placed[i][2][0]) if text else [] for text in placed[i][1]] for i in row
        ]
        title_h = max(len(heading) + len(own) for heading, own in titles) * line * TITLE_PT
        graph_h = max(placed[i][2][1] for i in row)
        row_w = sum(placed[i][2][0] for i in row) + SIDE_GAP * (len(row) - 1)
        row_sizes.append((titles, title_h, graph_h, row_w))
    fig_w = max(MIN_FIGURE_WIDTH, *(size[3] for size in row_sizes))
    text_w = fig_w - 2 * SIDE_IN
    note_lines = [wrapped for note in notes for wrapped in wrap_to_width(note, NOTE_PT, text_w)]
    columns, legend_h = legend_layout(handles, text_w)
    pictures_h = sum(title_h + graph_h + 2 * PAD_IN for _, title_h, graph_h, _ in row_sizes)
    notes_h = len(note_lines) * line * NOTE_PT + PAD_IN if note_lines else 0.0
    fig_h = PAD_IN + pictures_h + notes_h + legend_h + PAD_IN
    fig.set_size_inches(fig_w, fig_h)
    fig.set_dpi(min(DPI, DISPLAY_WIDTH_PX / fig_w))
    top = fig_h - PAD_IN
    for row, (titles, title_h, graph_h, row_w) in zip(rows, row_sizes, strict=True):
        left = (fig_w - row_w) / 2
        for i, (heading, own) in zip(row, titles, strict=True):
            ax, _, (w, h) = placed[i]
            centre = (left + w / 2) / fig_w
            for lines, y, weight in ((heading, top, "bold"), (own, top - len(heading) * line * TITLE_PT, "normal")):
                if lines:
                    kind = {"fontsize": TITLE_PT, "fontweight": weight, "linespacing": LINE_SPACING}
                    fig.text(centre, y / fig_h, "\n".join(lines), ha="center", va="top", **kind)
            ax.set_position((left / fig_w, (top - title_h - PAD_IN - h) / fig_h, w / fig_w, h / fig_h))
            left += w + SIDE_GAP
        top -= title_h + graph_h + 2 * PAD_IN
    if note_lines:
        add_notes(fig, note_lines, top)
        top -= notes_h
    add_legend(fig, handles, columns, top)


@learner_boundary
def draw_side_by_side(pictures):
    """Draw several computational graphs in one figure, side by side, to compare them at a glance
    (a hand-written engine's graph, from engine_graph, beside PyTorch's for the same program).

    `pictures` is a dict {heading: tensor or Graph}, drawn left to right in its order, each under
    its heading (in bold) and draw()'s own title; or a tuple or list of tensors or Graphs, each
    under draw()'s title alone. A tensor is traced as draw() traces it (named after the caller's
    variables), a graph above FOLD_LIMIT nodes folded as draw() folds it. The pictures share one
    width of box text, the widest of WRAP_WIDTHS at which they fit on one row, and one legend and
    one set of notes, below them all.
    A row wider than DISPLAY_WIDTH_PX is shown at a lower dpi, never so low that a text falls under
    MIN_LABEL_PT where it is shown (MIN_TEXT_PX pixels); pictures that cannot share a row legibly
    are drawn one above the other, each with the widest box text that fits the figure (markers for
    a graph too big for text).
    Returns a matplotlib Figure (displayed by itself in a notebook, described for screen readers).
    """
    items = _pictures(pictures)
    resolved = [_resolve(obj, None, None, None, "draw_side_by_side")[0] for _, obj in items]
    with paused_gc():
        views = [fold_view(graph) if len(graph.nodes) > FOLD_LIMIT else graph for graph in resolved]
        scenes = [_scene(graph, view, None, None) for graph, view in zip(resolved, views, strict=True)]
        geometries = _side_geometries(scenes)
        rows = [list(range(len(items)))] if geometries is not None else [[i] for i in range(len(items))]
        fig, first = painting.new_figure(FORMATS[0])
        notes: list[str] = []
        placed, handles, drawings, descriptions, graph_texts = [], {}, [], [], []
        for i, (graph, scene) in enumerate(zip(resolved, scenes, strict=True)):
            ax = first if i == 0 else fig.add_axes((0.0, 0.0, 1.0, 1.0))
            layout_notes: list[str] = []
            if geometries is not None:
                geometry = geometries[i]
            elif len(scene.view.nodes) <= LABEL_LIMIT:
                scene, geometry = _geometry(scene, graph, layout_notes)
            else:
                geometry = None
            labelled = geometry is not None
            _, info = paint_labelled(scene, geometry, ax) if labelled else paint_markers(scene, ax)
            notes += _notes(graph, scene, labelled, layout_notes)
            title = _title(graph, scene.view, None, None)
            placed.append((ax, (items[i][0], title), info.pop("size")))
            handles |= {
                handle.get_label(): handle for handle in info.pop("handles") if handle.get_label() not in handles
            }
            drawings.append(Drawing(graph=scene.view, active=None, folded=scene.view is not graph, **info))
            described = graph_description(graph, scene, labelled=labelled)
            setattr(ax, DESCRIPTION, described)
            graph_texts.append(described)
            descriptions.append(f"{sentence(items[i][0])} {described}" if items[i][0] else described)
        _place(fig, placed, list(handles.values()), list(dict.fromkeys(notes)), rows)
    fig.lesson_drawings = tuple(
        replace(d, smallest_label_pt=smallest_text_pt(fig, ax)) for d, (ax, _, _) in zip(drawings, placed, strict=True)
    )
    setattr(fig, DESCRIPTION, _side_by_side_description([heading for heading, _ in items], graph_texts, descriptions))
    return fig


def _side_by_side_description(headings: list[str | None], graph_texts: list[str], descriptions: list[str]) -> str:
    """The figure's text for screen readers: pictures that read alike (the point of most
    comparisons) are described once, under their headings; different ones each in turn."""
    if len(descriptions) == 1:
        return descriptions[0]
    if len(set(graph_texts)) == 1:
        named = ", ".join(f"“{heading}”" for heading in headings) if all(headings) else ""
        key = "describe.figure.alike_named" if named else "describe.figure.alike"
        return message(key, count=count_text(len(graph_texts)), headings=named, text=graph_texts[0])
    shown = [message("describe.figure.numbered", number=n, text=text) for n, text in enumerate(descriptions, start=1)]
    return " ".join([message("describe.figure.plots", count=count_text(len(shown))), *shown])


__all__ = ["SIDE_GAP", "TIGHTER_FOLDS", "draw", "draw_side_by_side", "fold_view", "unfolded_count"]
