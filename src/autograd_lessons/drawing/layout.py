"""Where each node goes: rows (layers) and the order within each row.

`layout(graph)` is a Sugiyama-style layered layout: the output on top and the leaves at the
bottom, one layer per longest distance from the output; an edge that spans several layers gets
a dummy slot in each layer it passes, and barycentre sweeps order every layer (dummy slots
included) to reduce crossings. Groups (module frames, repeated blocks) keep their members
together in every row. Coordinates in inches are `geometry`'s business; this module only
decides rows and ranks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from autograd_lessons.drawing.sizes import CROSSING_LIMIT, SWEEPS
from autograd_lessons.graph_data import Graph, group_ancestors


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
    pending = dict.fromkeys(units, 0)
    out: dict = {u: [] for u in units}
    for a, b in edges:
        out[a].append(b)
        pending[b] += 1
    row = dict.fromkeys(units, 0)
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
    for g in modules:  # in the band of its nearest enclosing module (a repeat frame takes none)
        around = group_ancestors(graph.groups, index[id(g)])
        parent = next((a for a in around if graph.groups[a].kind == "module"), None)
        children.setdefault(parent, []).append(index[id(g)])
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
    innermost group listing it among its members (() for a node in no group; of two groups as
    deep, the first listed; a member that is no node's index is ignored)."""
    paths = [(*reversed(group_ancestors(graph.groups, g)), g) for g in range(len(graph.groups))]
    node_paths: list[tuple[int, ...]] = [()] * len(graph.nodes)
    for g, group in enumerate(graph.groups):
        for i in group.members:
            if 0 <= i < len(graph.nodes) and len(paths[g]) > len(node_paths[i]):
                node_paths[i] = paths[g]
    return tuple(paths), tuple(node_paths)


def common(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    """The longest common start of two group paths: the frames both sit in."""
    k = 0
    while k < min(len(a), len(b)) and a[k] == b[k]:
        k += 1
    return a[:k]


def _nested_key(path: tuple[int, ...], group_key, own: float, i: int) -> tuple:
    """Sort key of an item in a row: frame by frame from the outermost, a frame's key, then the
    item's own; a frame's members therefore stay together, nested frames inside their parent."""
    return tuple((group_key[g], 0, g) for g in path) + ((own, 1, i),)


@dataclass
class _Slots:
    """The items a layout orders: the nodes, then one dummy slot per layer an edge passes."""

    layer: list[int]  # row of every item
    path: list[tuple[int, ...]]  # group path of every item
    segments: list[tuple[int, int]]  # (upper item, lower item) of every piece of an edge
    dummies: list[tuple[int, int]]  # (edge position, layer) of every dummy slot
    chains: list[tuple[int, ...]]  # dummy slots of every edge, top to bottom


def _slots(graph: Graph, layer: list[int], node_paths, route: bool) -> _Slots:
    """With route=True, a dummy slot in every layer an edge passes (in the groups both its ends
    are in); with route=False, one straight segment per edge."""
    n = len(graph.nodes)
    slots = _Slots(list(layer), list(node_paths), [], [], [])
    for position, edge in enumerate(graph.edges):
        chain: list[int] = []
        if route:
            previous = edge.source
            for k in range(layer[edge.source] + 1, layer[edge.target]):
                slot = n + len(slots.dummies)
                slots.dummies.append((position, k))
                slots.layer.append(k)
                slots.path.append(common(node_paths[edge.source], node_paths[edge.target]))
                chain.append(slot)
                slots.segments.append((previous, slot))
                previous = slot
            slots.segments.append((previous, edge.target))
        else:
            slots.segments.append((edge.source, edge.target))
        slots.chains.append(tuple(chain))
    return slots


class _Ordering:
    """The rank of every item in its row while the sweeps reorder the rows."""

    def __init__(self, slots: _Slots):
        self.path = slots.path
        self.rank = np.zeros(len(slots.layer))
        self.grouped = any(slots.path)

    def set_ranks(self, rows: list[list[int]]) -> None:
        for row in rows:
            centre = (len(row) - 1) / 2
            for r, i in enumerate(row):
                self.rank[i] = r - centre

    def _group_keys(self, keyed) -> dict[int, float]:
        """Each group's key: the mean of the keys of its items (pairs of item and key)."""
        totals: dict[int, list[float]] = {}
        for i, key in keyed:
            for g in self.path[i]:
                total = totals.setdefault(g, [0.0, 0])
                total[0] += key
                total[1] += 1
        return {g: t[0] / t[1] for g, t in totals.items()}

    def regroup(self, rows: list[list[int]]) -> None:
        """Make every row's groups contiguous and equally ordered: one key per group."""
        if not self.grouped:
            return
        group_key = self._group_keys((i, self.rank[i]) for row in rows for i in row)
        for row in rows:
            row.sort(key=lambda i: _nested_key(self.path[i], group_key, self.rank[i], i))
        self.set_ranks(rows)

    def reorder(self, row: list[int], neighbours: list[list[int]]) -> list[int]:
        """`row` sorted by the mean rank of each item's neighbours (groups kept together)."""
        rank = self.rank
        keyed = []
        for r, i in enumerate(row):
            near = neighbours[i]
            key = sum(rank[j] for j in near) / len(near) if near else rank[i]
            keyed.append((key, r, i))
        if self.grouped:  # a group's key in this row: the mean key of its slots here
            group_key = self._group_keys((i, key) for key, _, i in keyed)
            keyed.sort(key=lambda k: _nested_key(self.path[k[2]], group_key, k[0], k[1]))
        else:
            keyed.sort()
        return [i for _, _, i in keyed]


def _crossing_counter(slots: _Slots, ordering: _Ordering, route: bool):
    """A function counting the crossings of the current ranks, or None when there are too many
    straight segments to count."""
    unique = sorted(set(slots.segments))
    if route:
        return lambda: _bilayer_crossings(unique, ordering.rank, slots.layer)
    if len(unique) <= CROSSING_LIMIT:
        ends = np.array(unique, dtype=int).reshape(-1, 2)
        return lambda: _straight_crossings(ends, slots.layer, ordering.rank)
    return None


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
    slots = _slots(graph, layer, node_paths, route)
    depth = max(layer) + 1 if n else 0
    order: list[list[int]] = [[] for _ in range(depth)]
    for i, k in enumerate(slots.layer):
        order[k].append(i)
    above: list[list[int]] = [[] for _ in slots.layer]
    below: list[list[int]] = [[] for _ in slots.layer]
    for a, b in slots.segments:
        below[a].append(b)
        above[b].append(a)
    ordering = _Ordering(slots)
    count = _crossing_counter(slots, ordering, route)
    ordering.set_ranks(order)
    ordering.regroup(order)
    before = best = count() if count else None
    best_order = [list(row) for row in order]
    for sweep in range(sweeps):
        going_down = sweep % 2 == 0
        rows = range(1, depth) if going_down else range(depth - 2, -1, -1)
        for k in rows:
            order[k] = ordering.reorder(order[k], above if going_down else below)
            ordering.set_ranks([order[k]])
        ordering.regroup(order)
        if count:
            now = count()
            if now < best:
                best, best_order = now, [list(row) for row in order]
        else:
            best_order = [list(row) for row in order]
    ordering.set_ranks(best_order)
    return Layout(
        layer=tuple(layer),
        order=tuple(tuple(i for i in row if i < n) for row in best_order),
        x=tuple(float(ordering.rank[i]) for i in range(n)),
        crossings_before=before,
        crossings_after=best,
        rows=tuple(tuple(row) for row in best_order),
        dummies=tuple(slots.dummies),
        chains=tuple(slots.chains),
        paths=tuple(slots.path),
    )


__all__ = ["Layout", "common", "crossings", "group_paths", "layers", "layout"]
