"""The invariants every picture keeps, stated once; tests/conftest.py asserts them on every graph
folded and every figure drawn by any test, and the dedicated tests call them on the graphs and
pictures built to stress them.

- Folding (`check_invariants`): the folded graph has the same counts() as the raw one, accounts
  for every raw node exactly once (by a kept node's members or a repeat frame's covers, less its
  kept nodes and inner frames), has consistent indices, edges and groups, no cycle, maps every
  output, and has no more than max_boxes nodes (a graph that already fits comes back as itself).
- Legibility (`check_text_floor`): every text a figure shows is at least MIN_TEXT_PX pixels tall
  where a notebook shows it, and the figure is no wider than the output area (DISPLAY_WIDTH_PX),
  so that nothing is scaled down. Measured here from matplotlib's texts, independently of the
  package's own measure (drawing.figure.smallest_text_pt).
"""

from __future__ import annotations

from collections import Counter

from autograd_lessons.drawing.sizes import DISPLAY_WIDTH_PX, MIN_TEXT_PX
from autograd_lessons.folding import MAX_BOXES, raw_indices
from autograd_lessons.graph import Graph
from autograd_lessons.i18n import message

POINTS_PER_INCH = 72
WIDTH_SLACK_PX = 0.5  # a figure's width in inches times its dpi may round up to the next pixel


def accounting(raw: Graph, folded: Graph) -> Counter:
    """How many times each raw index is accounted for: by kept nodes' members, and by each
    repeat frame's covers less its kept nodes and the covers of the frames inside it."""
    seen: Counter = Counter()
    for node in folded.nodes:
        seen.update(raw_indices(node) if folded is not raw else (node.index,))
    for g, group in enumerate(folded.groups):
        if group.kind != "repeat":
            continue
        kept = {r for m in group.members for r in raw_indices(folded.nodes[m])}
        inner = {r for h in folded.groups if h.parent == g and h.kind == "repeat" for r in h.covers}
        seen.update(set(group.covers) - kept - inner)
    return seen


def acyclic(graph: Graph) -> bool:
    indegree = [len(p) for p in graph.parents]
    ready = [v for v, d in enumerate(indegree) if d == 0]
    done = 0
    while ready:
        v = ready.pop()
        done += 1
        for edge in graph.children[v]:
            indegree[edge.target] -= 1
            if indegree[edge.target] == 0:
                ready.append(edge.target)
    return done == len(graph.nodes)


def crossing_groups(graph: Graph) -> list[tuple[str, str]]:
    """The labels of every two groups that share a node without one lying inside the other
    (following Group.parent), after checking that parents form a tree."""
    ancestors = []
    for group in graph.groups:
        chain, parent = [], group.parent
        while parent is not None:
            assert parent not in chain and len(chain) < len(graph.groups), "a group is its own ancestor"
            chain.append(parent)
            parent = graph.groups[parent].parent
        ancestors.append(set(chain))
    return [
        (group.label, graph.groups[h].label)
        for g, group in enumerate(graph.groups)
        for h in range(g)
        if set(group.members) & set(graph.groups[h].members) and h not in ancestors[g] and g not in ancestors[h]
    ]


def check_invariants(raw: Graph, folded: Graph, max_boxes: int = MAX_BOXES) -> None:
    assert folded.counts() == raw.counts()
    assert accounting(raw, folded) == Counter(range(len(raw.nodes))), "each raw node accounted for exactly once"
    assert [n.index for n in folded.nodes] == list(range(len(folded.nodes)))
    assert all(0 <= e.source < len(folded.nodes) and 0 <= e.target < len(folded.nodes) for e in folded.edges)
    assert acyclic(folded)
    for g, group in enumerate(folded.groups):
        assert group.members and all(0 <= m < len(folded.nodes) for m in group.members)
        if group.parent is not None:
            assert group.parent != g and set(group.members) <= set(folded.groups[group.parent].members)
        if group.kind == "repeat":
            assert group.label == message("graph.repeat", count=group.repeat) and group.repeat >= 2
            kept = {r for m in group.members for r in raw_indices(folded.nodes[m])}
            assert kept <= set(group.covers), "covers holds every instance, the kept one included"
    # frames never cross where the raw graph's did not (a module called inside several others
    # crosses them already): two groups that share a box are nested, one inside the other
    assert not crossing_groups(folded) or crossing_groups(raw), crossing_groups(folded)
    # outputs: each raw output is a kept node's member, or hidden in a frame holding an output
    assert len(folded.outputs) == len(set(folded.outputs)) and 1 <= len(folded.outputs) <= len(raw.outputs)
    holder = {r: n.index for n in folded.nodes for r in raw_indices(n)} if folded is not raw else {}
    for o in raw.outputs:
        if folded is raw:
            break
        if o in holder:
            assert holder[o] in folded.outputs
        else:
            frames = [g for g in folded.groups if o in g.covers]
            assert any(set(g.members) & set(folded.outputs) for g in frames)
    assert len(folded.nodes) <= max(max_boxes, len(raw.nodes) if folded is raw else 0)


def visible_texts(fig):
    """Every text matplotlib draws in `fig`: titles, box and edge texts, notes, legend (the tick
    labels of an axes whose axis is off are not drawn)."""
    from matplotlib.text import Text

    hidden = set()
    for ax in fig.axes:
        if not ax.axison:
            hidden |= {id(t) for t in ax.xaxis.findobj(Text) + ax.yaxis.findobj(Text)}
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip() and id(t) not in hidden]


def check_text_floor(fig, dpi: float | None = None) -> float:
    """Every visible text of `fig`, shown at `dpi` (the figure's own by default), is at least
    MIN_TEXT_PX pixels tall, and the figure fits DISPLAY_WIDTH_PX. Returns the smallest text in px."""
    dpi = fig.dpi if dpi is None else dpi
    width_px = fig.get_size_inches()[0] * dpi
    assert width_px <= DISPLAY_WIDTH_PX + WIDTH_SLACK_PX, f"{width_px:.0f} px wide: a notebook would shrink it"
    shown = visible_texts(fig)
    small = [
        (t.get_text()[:30], t.get_fontsize()) for t in shown if t.get_fontsize() * dpi / POINTS_PER_INCH < MIN_TEXT_PX
    ]
    assert not small, f"texts under {MIN_TEXT_PX} px at {dpi} dpi: {small}"
    return min((t.get_fontsize() * dpi / POINTS_PER_INCH for t in shown), default=float("inf"))
