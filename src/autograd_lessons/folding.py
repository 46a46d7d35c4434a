"""Folding a computational graph until it can be drawn readably: `fold(graph)`.

A traced graph can have tens of thousands of nodes; a picture a learner can read has at most
MAX_BOXES boxes. `fold` shrinks a graph in three steps, each taken only while the graph is
still larger than `max_boxes` (a graph that already fits comes back as the same object):

1. Chains (`graph_data.fold_chains`, also behind `Graph.fold`): neighbouring identical
   operations with the same saved constants (the loop `b = b * 2`) become one "fold" node with
   `repeat` = the chain's length and `members` = the raw indices it replaced (its cut inputs
   included).

2. Repeated blocks (`fold_blocks`), whatever their inner shape: a residual layer, an unrolled
   LSTM step, a loop body of several operations. Design:

   * Every node gets a structural signature: kind, operation, repeat and the saved constants
     that `graph.link_key` compares (values of saved tensors with several elements, leaf
     values, cut values and names are ignored), plus the repeat frames it already sits in.
   * The graph is split into disjoint longest paths (the first one is the spine: the longest
     path from the output). Repetition shows on such a path as a tandem repeat of its
     signature sequence: positions i with sig[i] == sig[i + p] over a stretch of (k - 1) * p
     positions mean k instances of period p. Each period is tested with one vectorised
     comparison (numpy): a path of L nodes costs min(L / min_repeat, MAX_PERIOD) of them.
     Candidates are tried best first: most path nodes hidden, then the shortest period.
   * A candidate (path, p, start, k) seeds a map phi, "the same node one instance deeper":
     path[start + j*p + r] -> path[start + (j+1)*p + r]. phi is grown breadth-first: if
     phi(u) = u', the children of u and u' at the same slot pair up, and so do their parents
     with the same (signature, slot) when that pair is unique; paired nodes must have equal
     signatures. A node paired with itself is shared by the instances (the weights of an
     RNN, used at every step) and stays outside the frame. A node first met from instance j
     joins instance j (this decides where an instance's boundary falls off the path).
   * Validation: every orbit of phi must run through all k instances, and every edge inside
     an instance (or from instance j to j+1) must occur in every instance (every pair of
     neighbours); orbits that break this are dropped from the candidate. The quotient must
     stay acyclic.
   * The first instance (nearest the output) is kept inside a `Group(kind="repeat")` with
     label "× k", repeat=k, and covers = raw indices of every node of every instance; the
     other instances are removed. Edges from above into any instance and from any instance
     to nodes outside (below, or shared) are re-targeted to the kept instance; edges between
     consecutive instances are dropped (the frame's count says them). Rounds repeat on the
     result (nested blocks become nested frames) until the graph fits or nothing repeats.

3. Coarsening (`coarsen`), for big graphs without repetition: first each cut input is merged
   into the operation that reads it and each leaf into its AccumulateGrad; then nodes are cut
   into bands of consecutive depths (longest path from the output), the narrowest bands that
   fit, and in each band all nodes of one operation (and the same frames) become one "fold"
   node (repeat = the operations it hides). A box never mixes operations, so `counts()` stays
   exact with today's `Node`; the price is that inside a band an edge between two boxes that
   would point back up (against the band's order) is left out, to keep the picture acyclic.

Invariants (tested in tests/test_folding.py): folded.counts() == graph.counts(); every raw
node index is accounted for exactly once, by the `members` of a kept node or by a repeat
frame's `covers` (less its kept nodes and inner frames); frames nest (two that share a box
lie one inside the other) wherever the graph's own groups did; outputs map to folded
indices; the result is deterministic. Everything is iterative: graphs have 40,000 nodes and more.
"""

from __future__ import annotations

from collections import deque
from dataclasses import replace

import numpy as np

from autograd_lessons.graph_data import (
    MIN_REPEAT,
    Edge,
    Graph,
    Group,
    Node,
    fold_chains,
    group_ancestors,
    link_key,
    remap_groups,
)
from autograd_lessons.i18n import LessonError, message

# The most boxes a picture shows with text: an 860-px-wide PNG (drawing.sizes.DISPLAY_WIDTH_PX)
# fits about 60 labelled boxes at 8 pt (drawing.sizes.NODE_PT) in its rows and its 4000-px
# scroll; it is drawing.sizes.LABEL_LIMIT, above which draw() gives up text and draws markers.
MAX_BOXES = 60
MAX_PERIOD = 512  # longest instance looked for, in nodes along one path
MAX_ROUNDS = 32  # block-folding rounds (each folds one repeated block, nested ones included)
MAX_CANDIDATES = 8  # candidate repetitions tried per round, best first


# --------------------------------------------------------------------------- public API


def fold(graph: Graph, *, max_boxes: int = MAX_BOXES, min_repeat: int = MIN_REPEAT) -> Graph:
    """`graph` with repeated structure folded until it has at most `max_boxes` nodes.

    A graph that already fits is returned as it is. Otherwise chains are folded, then
    repeated blocks (kept once in a "× k" frame), then the rest is coarsened into bands;
    each step runs only if the graph is still too big. counts() is unchanged.
    """
    for name, value, minimum in (("max_boxes", max_boxes, 1), ("min_repeat", min_repeat, 2)):
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise LessonError(message("graph.fold.error.argument", name=name, minimum=minimum, value=repr(value)))
    if len(graph.nodes) <= max_boxes:
        return graph
    folded = fold_chains(graph, min_repeat)
    if len(folded.nodes) > max_boxes:
        folded = fold_blocks(folded, min_repeat=min_repeat, max_boxes=max_boxes)
    if len(folded.nodes) > max_boxes:
        folded = coarsen(folded, max_boxes=max_boxes)
    return folded


def raw_indices(node: Node) -> tuple[int, ...]:
    """The indices in the unfolded graph that a node stands for (itself if never folded)."""
    return node.members if node.members else (node.index,)


# --------------------------------------------------------------------------- helpers


def _topological(graph: Graph) -> list[int]:
    """Node indices with every edge's source before its target (Kahn; shorter if cyclic)."""
    indegree = [len(into) for into in graph.parents]
    order = [v for v in range(len(graph.nodes)) if indegree[v] == 0]
    children = graph.children
    i = 0
    while i < len(order):
        for edge in children[order[i]]:
            indegree[edge.target] -= 1
            if indegree[edge.target] == 0:
                order.append(edge.target)
        i += 1
    return order


def _group_sets(graph: Graph) -> list[tuple[int, ...]]:
    """For each node, the indices of the groups it belongs to."""
    sets: list[list[int]] = [[] for _ in graph.nodes]
    for g, group in enumerate(graph.groups):
        for m in group.members:
            sets[m].append(g)
    return [tuple(s) for s in sets]


def _frame(groups: list[Group], new: Group, holds: list[bool]) -> tuple[Group, ...]:
    """`groups` plus the repeat frame `new`, with parents set. `holds[i]`: group i held nodes of
    the hidden instances, so it holds every instance (a group never cuts one) and the frame
    lies in it, in the innermost of them. Every other group whose boxes are among the kept
    instance's lies in the frame: it moves into it unless its parent does."""
    inside = set(new.members)
    inner = [not holds[i] and set(g.members) <= inside for i, g in enumerate(groups)]
    outer = [i for i in range(len(groups)) if holds[i]]
    parent = max(outer, key=lambda i: (len(group_ancestors(groups, i)), i)) if outer else None
    index = len(groups)
    result = []
    for i, group in enumerate(groups):
        if inner[i] and (group.parent is None or not inner[group.parent]):
            group = replace(group, parent=index)
        result.append(group)
    result.append(replace(new, parent=parent))
    return tuple(result)


def _dedupe(edges: list[Edge]) -> tuple[Edge, ...]:
    seen: set[tuple[int, int, int, int]] = set()
    out = []
    for edge in edges:
        key = (edge.source, edge.target, edge.slot, edge.output)
        if key not in seen and edge.source != edge.target:
            seen.add(key)
            out.append(edge)
    return tuple(out)


# --------------------------------------------------------------------------- step 2: blocks


def _signatures(graph: Graph) -> list[int]:
    """A small integer per node; equal integers mean structurally interchangeable nodes."""
    group_sets = _group_sets(graph)
    frames = [(g.kind, g.repeat) for g in graph.groups]
    ids: dict[tuple, int] = {}
    out = []
    for node in graph.nodes:
        if node.kind in ("leaf", "cut"):
            base: tuple = (node.kind,)
        else:
            base = (node.kind, node.repeat, link_key(node))
        sig = base + (tuple(sorted(frames[g] for g in group_sets[node.index])),)
        out.append(ids.setdefault(sig, len(ids)))
    return out


def _paths(graph: Graph, order: list[int]) -> list[list[int]]:
    """Disjoint longest paths covering the graph, the spine (from the first root) first."""
    n = len(graph.nodes)
    below = [0] * n
    nxt = [-1] * n
    children = graph.children
    for v in reversed(order):
        best = 0
        for edge in children[v]:
            length = below[edge.target] + 1
            if length > best:
                best, nxt[v] = length, edge.target
        below[v] = best
    claimed = bytearray(n)
    paths = []
    for v in order:
        if claimed[v]:
            continue
        path = []
        while v != -1 and not claimed[v]:
            claimed[v] = 1
            path.append(v)
            v = nxt[v]
        paths.append(path)
    return paths


def _tandem_repeats(seq: np.ndarray, min_repeat: int) -> list[tuple[int, int, int]]:
    """(period p, start, count k) of every maximal stretch where seq repeats with period p
    at least min_repeat times."""
    found = []
    length = len(seq)
    for p in range(1, min(MAX_PERIOD, length // min_repeat) + 1):
        need = (min_repeat - 1) * p
        eq = seq[:-p] == seq[p:]
        if int(eq.sum()) < need:
            continue
        edges = np.flatnonzero(np.diff(np.concatenate(([0], eq.view(np.int8), [0]))))
        for s, e in zip(edges[0::2].tolist(), edges[1::2].tolist(), strict=True):
            if e - s >= need:
                found.append((p, s, (e - s + p) // p))
    return found


class _Block:
    """One validated repetition: instance index and representative of every node in it."""

    def __init__(self, k: int, instance: list[int], rep: list[int], hidden: int):
        self.k = k
        self.instance = instance  # -1 outside, else 0..k-1
        self.rep = rep  # the node of instance 0 standing for this one (itself outside)
        self.hidden = hidden  # nodes removed by folding


def _misfits(graph: Graph, inst: list[int], orbit: list[int], alive: list[bool], k: int) -> set[int]:
    """Orbits whose edges are not the same in every instance.

    Inside the block, an edge must link the same orbits in all k instances (or, between
    instance j and j + 1, in all k - 1 pairs). An edge to a node outside must leave every
    instance (a shared weight) or only the last one (what comes below); an edge from outside
    must reach every instance (a stack of all the states) or only the first (what comes above).
    """
    inner: dict[tuple, int] = {}
    out: dict[tuple, set[int]] = {}
    into: dict[tuple, set[int]] = {}
    bad: set[int] = set()
    for e in graph.edges:
        a, b = orbit[e.source], orbit[e.target]
        a = a if a != -1 and alive[a] else -1
        b = b if b != -1 and alive[b] else -1
        if a == -1 and b == -1:
            continue
        if a != -1 and b != -1:
            step = inst[e.target] - inst[e.source]
            if step not in (0, 1):
                bad.update((a, b))
            else:
                key = (a, b, e.slot, e.output, step)
                inner[key] = inner.get(key, 0) + 1
        elif a != -1:
            out.setdefault((a, e.slot, e.output, e.target), set()).add(inst[e.source])
        else:
            into.setdefault((e.source, b, e.output), set()).add(inst[e.target])
    for (a, b, _, _, step), count in inner.items():
        if count != (k if step == 0 else k - 1):
            bad.update((a, b))
    for (a, _, _, _), seen in out.items():
        if len(seen) != k and seen != {k - 1}:
            bad.add(a)
    for (_, b, _), seen in into.items():
        if len(seen) != k and seen != {0}:
            bad.add(b)
    return bad


def _grow(graph: Graph, sig: list[int], path: list[int], p: int, start: int, k: int) -> _Block | None:
    """Grow the shift map from one tandem repeat of a path and validate it (see module doc)."""
    n = len(graph.nodes)
    children, parents = graph.children, graph.parents
    inst = [-1] * n
    phi = [-1] * n
    phi_inv = [-1] * n
    shared = bytearray(n)
    queue: deque[int] = deque()
    for j in range(k):
        for r in range(p):
            inst[path[start + j * p + r]] = j
    for j in range(k - 1):
        for r in range(p):
            v, w = path[start + j * p + r], path[start + (j + 1) * p + r]
            phi[v], phi_inv[w] = w, v
            queue.append(v)

    def pair(v: int, w: int, base: int) -> None:
        if v == w:
            shared[v] = 1
            return
        if sig[v] != sig[w] or shared[v] or shared[w] or phi[v] == w:
            return
        if phi[v] != -1 or phi_inv[w] != -1:
            return
        iv, iw = inst[v], inst[w]
        if iv == -1 and iw == -1:
            iv, iw = base, base + 1
        elif iv == -1:
            iv = iw - 1
        elif iw == -1:
            iw = iv + 1
        if iw != iv + 1 or iv < 0 or iw > k - 1:
            return
        inst[v], inst[w] = iv, iw
        phi[v], phi_inv[w] = w, v
        queue.append(v)

    while queue:
        u = queue.popleft()
        w = phi[u]
        base = inst[u]
        kids_u, kids_w = children[u], children[w]
        for a, b in zip(kids_u, kids_w, strict=False):  # pairs by position, as far as both go
            if a.slot == b.slot and a.output == b.output:
                pair(a.target, b.target, base)
        if parents[u] and parents[w]:
            above_u: dict[tuple, list[int]] = {}
            above_w: dict[tuple, list[int]] = {}
            for e in parents[u]:
                above_u.setdefault((sig[e.source], e.slot, e.output), []).append(e.source)
            for e in parents[w]:
                above_w.setdefault((sig[e.source], e.slot, e.output), []).append(e.source)
            for key, sources in above_u.items():
                other = above_w.get(key)
                if other is not None and len(sources) == 1 and len(other) == 1:
                    pair(sources[0], other[0], base)

    # Orbits: keep those that run through all k instances and touch no shared node.
    orbit = [-1] * n
    orbits: list[list[int]] = []
    for v in range(n):
        if inst[v] != 0:
            continue
        chain = [v]
        while phi[chain[-1]] != -1:
            chain.append(phi[chain[-1]])
        if len(chain) == k and not any(shared[c] for c in chain):
            for c in chain:
                orbit[c] = len(orbits)
            orbits.append(chain)
    alive = [True] * len(orbits)
    for _ in range(len(orbits) + 1):  # each pass drops at least one orbit, or stops
        bad = _misfits(graph, inst, orbit, alive, k)
        if not bad:
            break
        for o in bad:
            alive[o] = False
    kept_orbits = [chain for o, chain in enumerate(orbits) if alive[o]]
    if not kept_orbits:
        return None
    instance = [-1] * n
    rep = list(range(n))
    for chain in kept_orbits:
        for j, c in enumerate(chain):
            instance[c] = j
            rep[c] = chain[0]
    return _Block(k, instance, rep, hidden=len(kept_orbits) * (k - 1))


def _respects_groups(graph: Graph, block: _Block) -> bool:
    """An instance may hold whole groups, or sit inside one group, but never cut one."""
    inst = block.instance
    for group in graph.groups:
        where = {inst[m] for m in group.members}
        if where == {-1}:
            continue
        if -1 not in where and len(where) == 1:
            continue  # the group lies inside one instance
        members = set(group.members)
        inside = all(inst[v] == -1 or v in members for v in range(len(inst)))
        if not inside:
            return False
    return True


def _apply(graph: Graph, block: _Block) -> Graph | None:
    """The graph with `block`'s instances folded into the first one, or None if that would
    make a cycle."""
    inst, rep = block.instance, block.rep
    n = len(graph.nodes)
    new_index = [-1] * n
    nodes = []
    for node in graph.nodes:
        if inst[node.index] <= 0:
            new_index[node.index] = len(nodes)
            nodes.append(replace(node, index=len(nodes), members=raw_indices(node)))
    edges = []
    moved: set[tuple[int, int, int]] = set()
    for e in graph.edges:
        a, b = inst[e.source], inst[e.target]
        if a >= 0 and b >= 0 and not (a == 0 and b == 0):
            continue  # inside a hidden instance, or between two instances
        source, target = new_index[rep[e.source]], new_index[rep[e.target]]
        if a > 0 or b > 0:  # re-targeted to the kept instance: one edge per pair of boxes
            if (source, target, e.output) in moved:
                continue
            moved.add((source, target, e.output))
        edges.append(replace(e, source=source, target=target))
    covers: list[int] = []
    for v in range(n):
        if inst[v] >= 0:
            covers.extend(raw_indices(graph.nodes[v]))
    groups = remap_groups(graph, new_index, covers)
    # the groups that survive (some member kept) and whether each held a hidden instance's node
    holds = [
        any(inst[m] > 0 for m in group.members)
        for group in graph.groups
        if any(new_index[m] >= 0 for m in group.members)  # as remap_groups keeps them
    ]
    members = tuple(new_index[v] for v in range(n) if inst[v] == 0)
    label = message("graph.repeat", count=block.k)
    frame = Group(kind="repeat", label=label, members=members, repeat=block.k, covers=tuple(sorted(set(covers))))
    outputs = tuple(dict.fromkeys(new_index[rep[o]] for o in graph.outputs))
    folded = Graph(
        nodes=tuple(nodes),
        edges=_dedupe(edges),
        freed=graph.freed,
        outputs=outputs,
        groups=_frame(groups, frame, holds),
    )
    if len(_topological(folded)) != len(folded.nodes):
        return None
    return folded


def fold_blocks(graph: Graph, *, min_repeat: int = MIN_REPEAT, max_boxes: int = MAX_BOXES) -> Graph:
    """Fold blocks that repeat >= min_repeat times in a row, one per round, until the graph has
    at most `max_boxes` nodes or nothing repeats (see the module docstring)."""
    for _ in range(MAX_ROUNDS):
        if len(graph.nodes) <= max_boxes:
            break
        order = _topological(graph)
        if len(order) != len(graph.nodes):
            break  # not a DAG: nothing to fold safely
        sig = _signatures(graph)
        candidates = []
        for number, path in enumerate(_paths(graph, order)):
            if len(path) < min_repeat:
                continue
            seq = np.fromiter((sig[v] for v in path), dtype=np.int64, count=len(path))
            for p, start, k in _tandem_repeats(seq, min_repeat):
                candidates.append((-(k - 1) * p, p, number, start, k, path))
        candidates.sort(key=lambda c: c[:5])
        folded = None
        for _, p, _, start, k, path in candidates[:MAX_CANDIDATES]:
            block = _grow(graph, sig, path, p, start, k)
            if block is None or not _respects_groups(graph, block):
                continue
            folded = _apply(graph, block)
            if folded is not None:
                break
        if folded is None:
            break
        graph = folded
    return graph


# --------------------------------------------------------------------------- step 3: coarsen


def _absorb(graph: Graph) -> Graph:
    """Merge each cut input into the operation that reads it and each leaf into its
    AccumulateGrad (when both sit in the same frames); the graph itself if none can."""
    parents = graph.parents
    group_sets = _group_sets(graph)
    host = list(range(len(graph.nodes)))
    for node in graph.nodes:
        into = parents[node.index]
        if node.kind in ("cut", "leaf") and len(into) == 1 and node.index not in graph.outputs:
            above = into[0].source
            if group_sets[above] == group_sets[node.index] and graph.nodes[above].kind in ("op", "fold"):
                host[node.index] = above
    if all(host[v] == v for v in range(len(host))):
        return graph
    extra: dict[int, list[int]] = {}
    for v, h in enumerate(host):
        if h != v:
            extra.setdefault(h, []).extend(raw_indices(graph.nodes[v]))
    new_index = [-1] * len(graph.nodes)
    nodes = []
    for node in graph.nodes:
        if host[node.index] == node.index:
            new_index[node.index] = len(nodes)
            members = tuple(sorted(raw_indices(node) + tuple(extra.get(node.index, ()))))
            nodes.append(replace(node, index=len(nodes), members=members))
    for v, h in enumerate(host):
        new_index[v] = new_index[h]
    edges = [replace(e, source=new_index[e.source], target=new_index[e.target]) for e in graph.edges]
    outputs = tuple(dict.fromkeys(new_index[o] for o in graph.outputs))
    return Graph(
        nodes=tuple(nodes),
        edges=_dedupe(edges),
        freed=graph.freed,
        outputs=outputs,
        groups=tuple(remap_groups(graph, new_index)),
    )


# Widths tried at once by _narrowest_width: the bands of this many widths are computed in one
# array of (widths × distinct (box kind, depth) pairs), kept near 4 million entries (32 MB).
WIDTH_BATCH_ENTRIES = 4_000_000


def _narrowest_width(base_id: list[int], depth: list[int], deepest: int, max_boxes: int) -> int:
    """The narrowest band width (in depths) at which nodes of one kind (`base_id`) in one band
    make at most `max_boxes` boxes; `deepest` if none does. The box count does not fall
    steadily with the width (bands of 3 depths can need more boxes than bands of 2), so every
    width is counted, from the narrowest that can fit: each depth holds a node, so a width w
    makes at least deepest / w bands."""
    pairs = sorted(set(zip(base_id, depth, strict=True)))
    kinds = np.array([k for k, _ in pairs], dtype=np.int64)
    depths = np.array([d for _, d in pairs], dtype=np.int64)
    same_kind = kinds[1:] == kinds[:-1]
    if 1 + np.count_nonzero(~same_kind) > max_boxes:
        return deepest  # more kinds than boxes: no width fits, one band merges the most
    lowest = max(1, -(-deepest // max_boxes))
    batch = max(1, WIDTH_BATCH_ENTRIES // len(pairs))
    for start in range(lowest, deepest + 1, batch):
        widths = np.arange(start, min(start + batch, deepest + 1), dtype=np.int64)
        bands = depths[None, :] // widths[:, None]
        # pairs are sorted by kind, then depth: a box starts where the kind or the band changes
        boxes = 1 + np.count_nonzero(~(same_kind[None, :] & (bands[:, 1:] == bands[:, :-1])), axis=1)
        fits = np.flatnonzero(boxes <= max_boxes)
        if fits.size:
            return int(widths[fits[0]])
    return deepest


def coarsen(graph: Graph, *, max_boxes: int = MAX_BOXES) -> Graph:
    """Merge nodes until at most `max_boxes` remain (or as few as operations and frames allow):
    cuts and leaves into their readers, then same-operation nodes of a band of depths."""
    graph = _absorb(graph)
    if len(graph.nodes) <= max_boxes:
        return graph
    order = _topological(graph)
    if len(order) != len(graph.nodes):
        return graph
    n = len(graph.nodes)
    depth = [0] * n
    children = graph.children
    for v in order:
        for e in children[v]:
            if depth[e.target] < depth[v] + 1:
                depth[e.target] = depth[v] + 1
    group_sets = _group_sets(graph)
    kinds = [node.op if node.kind in ("op", "fold") else "" for node in graph.nodes]
    base = [(group_sets[v], graph.nodes[v].kind == "leaf", graph.nodes[v].kind == "cut", kinds[v]) for v in range(n)]
    base_ids: dict[tuple, int] = {}
    base_id = [base_ids.setdefault(b, len(base_ids)) for b in base]
    deepest = max(depth) + 1
    width = _narrowest_width(base_id, depth, deepest, max_boxes)
    # Boxes in order: band, shallowest depth, operation; edges only go forwards in it.
    first: dict[tuple[int, int], tuple] = {}
    key_of = []
    for v in order:
        key = (base_id[v], depth[v] // width)
        key_of.append(key)
        if key not in first:
            first[key] = (key[1], depth[v], kinds[v], v)
    ranked = sorted(first, key=lambda key: first[key])
    box_of_key = {key: i for i, key in enumerate(ranked)}
    box = [0] * n
    for v, key in zip(order, key_of, strict=True):
        box[v] = box_of_key[key]
    contents: list[list[int]] = [[] for _ in ranked]
    for v in range(n):
        contents[box[v]].append(v)
    nodes = []
    for i, held in enumerate(contents):
        if len(held) == 1:
            nodes.append(replace(graph.nodes[held[0]], index=i, members=raw_indices(graph.nodes[held[0]])))
            continue
        head = graph.nodes[held[0]]
        raw = sorted(r for v in held for r in raw_indices(graph.nodes[v]))
        saved = head.saved if all(graph.nodes[v].saved == head.saved for v in held) else ()
        kind = "fold" if head.kind in ("op", "fold") else head.kind
        repeat = sum(graph.nodes[v].repeat for v in held) if kind == "fold" else 1
        nodes.append(Node(index=i, kind=kind, op=head.op, saved=saved, repeat=repeat, members=tuple(raw)))
    edges = []
    for e in graph.edges:
        a, b = box[e.source], box[e.target]
        if a < b:  # within a band, an edge pointing back up is left out (keeps the DAG)
            edges.append(replace(e, source=a, target=b))
    outputs = tuple(dict.fromkeys(box[o] for o in graph.outputs))
    groups = tuple(remap_groups(graph, box))
    return Graph(nodes=tuple(nodes), edges=_dedupe(edges), freed=graph.freed, outputs=outputs, groups=groups)


# --------------------------------------------------------------------------- module frames


def regroup(raw: Graph, folded: Graph) -> Graph:
    """`folded` with the module groups of `raw` carried over: a folded node belongs to a module
    when any node it stands for (Node.members) does; empty groups are dropped, the groups inside
    one going to its nearest kept ancestor.

    A repeat frame and a module nest one way or the other. The module holds the frame when it
    has more boxes, or the same boxes and some of the nodes the frame hides (it runs every
    instance; a frame that records no hidden nodes is taken to lie in a module with its boxes);
    the module lies in the frame when its boxes are among the frame's otherwise (one instance).
    A module only partly inside a frame (an RNN cell whose calls interleave with other work) is
    left unframed rather than drawn crossing the frame. Each group then sits in the innermost
    group that holds it."""
    modules = [(k, g) for k, g in enumerate(raw.groups) if g.kind == "module"]
    if not modules or folded is raw:
        return folded
    owners: dict[int, set[int]] = {}
    for j, node in enumerate(folded.nodes):
        for member in node.members or (j,):
            owners.setdefault(member, set()).add(j)
    frames = [g for g in folded.groups if g.kind != "module"]
    inside_frame = _frame_ancestors(folded)
    hidden = _hidden_by_frame(frames, inside_frame, owners)
    carried: list[tuple[Group, set[int]]] = []  # each module kept, with its raw nodes
    new_index: dict[int, int] = {}
    for k, group in modules:
        members = sorted({j for m in group.members for j in owners.get(m, ())})
        if not members:
            continue
        parent = group.parent
        while parent is not None and parent not in new_index:
            parent = raw.groups[parent].parent
        new_index[k] = len(carried)
        carried.append((replace(group, members=tuple(members), parent=new_index.get(parent)), set(group.members)))
    # containers[g]: the groups g lies in (frames first, numbered as in the result, then modules)
    count = len(frames)
    containers: list[set[int]] = [set() for _ in range(count + len(carried))]
    for r, ancestors in enumerate(inside_frame):
        containers[r] |= ancestors
    dropped: set[int] = set()
    for c, (module, raw_members) in enumerate(carried):
        g = count + c
        containers[g] |= {count + a for a in group_ancestors([m for m, _ in carried], c)}
        boxes = set(module.members)
        for r, frame in enumerate(frames):
            block = set(frame.members)
            if not boxes & block:
                continue
            if block < boxes or (block == boxes and (raw_members & hidden[r] or not hidden[r])):
                containers[r].add(g)
            elif boxes <= block:
                containers[g].add(r)
            else:
                dropped.add(g)
    keep = [g for g in range(len(containers)) if g not in dropped]
    renumber = {old: new for new, old in enumerate(keep)}
    groups = []
    for g in keep:
        around = containers[g] - dropped
        parent = max(around, key=lambda c: (len(containers[c] - dropped), c)) if around else None
        group = frames[g] if g < count else carried[g - count][0]
        groups.append(replace(group, parent=renumber.get(parent)))
    return replace(folded, groups=tuple(groups))


def _frame_ancestors(folded: Graph) -> list[set[int]]:
    """For each repeat frame of `folded` (numbered among its frames only), the frames it lies in."""
    number = {i: r for r, i in enumerate(i for i, g in enumerate(folded.groups) if g.kind != "module")}
    return [{number[a] for a in group_ancestors(folded.groups, i) if a in number} for i in number]


def _hidden_by_frame(frames: list[Group], ancestors: list[set[int]], owners: dict[int, set[int]]) -> list[set[int]]:
    """For each repeat frame (with the frames it lies in, `ancestors`), the raw nodes it hides
    itself: covered by it, standing for no box (`owners`), and not covered by a frame inside it."""
    hidden = [{m for m in frame.covers if m not in owners} for frame in frames]
    for r, frame in enumerate(frames):
        for a in ancestors[r]:
            hidden[a] -= set(frame.covers)
    return hidden


__all__ = ["MAX_BOXES", "MIN_REPEAT", "coarsen", "fold", "fold_blocks", "fold_chains", "raw_indices", "regroup"]
