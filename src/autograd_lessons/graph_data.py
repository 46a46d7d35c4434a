"""The computational graph as plain data: `Graph` of `Node`s and `Edge`s, with `Group` frames.

These frozen dataclasses hold copies (`Value`, `Badge`) of what a learner wants to see and no
reference to the learner's tensors; `autograd_lessons.graph.trace` fills them in. Everything
here works on the data alone: text and DOT output, counts, and folding chains of identical
operations (`Graph.fold`, `fold_chains`), which `autograd_lessons.folding` builds on. This
module imports neither torch nor any other graph module, so every one of them can import it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import cached_property

from autograd_lessons.i18n import MESSAGES, message
from autograd_lessons.numbers import brief, shape_text
from autograd_lessons.palette import node_colours

TEXT_LIMIT = 400  # default number of lines of to_text()
MIN_REPEAT = 3  # a chain (or a repeated block, in folding) must occur this many times in a row to be folded


@dataclass(frozen=True)
class Value:
    """A copy of a tensor (or number) small enough to keep: all values, or shape and norm."""

    shape: tuple[int, ...]
    data: tuple[float, ...] | None = None
    norm: float | None = None

    def text(self) -> str:
        """Values as nested lists like `[0, 1, 2, 3]`, or shape and norm when large."""
        if self.data is None:
            norm = "?" if self.norm is None else brief(self.norm)
            return message("graph.norm", shape=shape_text(self.shape), norm=norm)
        if not self.shape:
            return brief(self.data[0])
        # Build nested brackets from the innermost dimension outwards, without recursion.
        items = [brief(v) for v in self.data]
        for size in reversed(self.shape):
            if size == 0:
                items = ["[]"] * max(len(items), 1)
                continue
            items = ["[" + ", ".join(items[i : i + size]) + "]" for i in range(0, len(items), size)]
        return items[0]


@dataclass(frozen=True)
class Badge:
    """A value an operation saved for its backward (`grad_fn._saved_<name>`)."""

    name: str
    value: Value | None = None  # a saved tensor or number
    literal: str | None = None  # anything else: sizes, flags, dims
    freed: bool = False  # the tensor was freed by a backward pass
    stale: bool = False  # the tensor was changed in place after it was saved (backward would fail)

    def text(self) -> str:
        if self.freed:
            return message("graph.freed", name=self.name)
        if self.stale:
            return message("graph.stale", name=self.name)
        shown = self.value.text() if self.value is not None else self.literal
        return f"{self.name} = {shown}"


@dataclass(frozen=True)
class Node:
    """One box of the picture.

    kind is "op" (a grad_fn, AccumulateGrad included), "leaf" (the tensor an AccumulateGrad
    writes to), "cut" (an input the graph does not track) or "fold" (a folded repeated chain).
    """

    index: int
    kind: str
    op: str = ""  # grad_fn class name, for "op" and "fold" nodes
    name: str | None = None  # the learner's variable name, when found
    value: Value | None = None  # a leaf's data, or a cut input's value when a saved tensor reveals it
    grad: Value | None = None  # a leaf's .grad
    saved: tuple[Badge, ...] = ()
    repeat: int = 1  # how many operations a "fold" node stands for
    members: tuple[int, ...] = ()  # for a "fold" node: the indices it replaced in the full graph

    @property
    def label(self) -> str:
        """The learner-friendly name of the node in the current language."""
        if self.kind == "leaf":
            return message("graph.leaf")
        if self.kind == "cut":
            return message("graph.cut")
        base = re.sub(r"Backward\d*$", "", self.op)
        key = "op." + base
        if key in MESSAGES:
            return message(key)
        return message("op.generic", op=base.lower() or self.op)


@dataclass(frozen=True)
class Edge:
    """The gradient flows from `source` to `target` (from the output towards the leaves).

    `slot` is the position of the target among the source's inputs (next_functions);
    `output` is which output of the target the gradient is for (output_nr).
    """

    source: int
    target: int
    slot: int = 0
    output: int = 0


def link_key(node: Node) -> tuple:
    """What must match for two operations to fold into one chain: the operation and its saved
    constants (b * 2 repeated folds; 100 * b after it stays apart). Saved tensors with several
    elements, such as tanh's result, differ at every link and are left out of the key."""
    constants = tuple(
        (b.name, b.literal, b.value.data if b.value is not None and b.value.shape == () else None) for b in node.saved
    )
    return node.op, constants


GROUP_KINDS = ("module", "repeat")


@dataclass(frozen=True)
class Group:
    """A frame around some boxes of the picture.

    kind "module": the nodes created inside one submodule's forward; `label` is its qualified
    name and class, "0 (Linear)". kind "repeat": `members` are one instance of a block that
    occurs `repeat` times in a row, the other instances hidden; `label` says so ("× 400").
    `parent` is the index in Graph.groups of the group this one sits in (None at the top).
    `covers` holds, for a repeat group, the indices in the unfolded graph of every node of
    every instance (what the frame stands for).
    """

    kind: str
    label: str
    members: tuple[int, ...]
    repeat: int = 1
    parent: int | None = None
    covers: tuple[int, ...] = ()
    name: str = ""  # a module group's qualified name in its model ("2.0"); empty for a repeat


@dataclass(frozen=True)
class Graph:
    """The computational graph reachable from one or several tensors, as plain data.

    `outputs` are the indices of the output nodes, in the order the tensors were given (node 0
    is the first output). `groups` are frames drawn around nodes: submodules and repeated blocks.
    """

    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    freed: bool = False  # some saved tensors were freed by a backward pass
    outputs: tuple[int, ...] = (0,)
    groups: tuple[Group, ...] = ()

    def multiplicity(self, index: int) -> int:
        """How many nodes of the unfolded graph node `index` stands for: its own repeat times
        the repeat of every repeated block it belongs to."""
        count = self.nodes[index].repeat
        for group in self.groups:
            if group.kind == "repeat" and index in group.members:
                count *= group.repeat
        return count

    def counts(self) -> Counter:
        """How many nodes of each grad_fn class the graph has (AccumulateGrad included); a
        folded graph counts what it folded, so its counts equal the unfolded graph's."""
        counter: Counter = Counter()
        for node in self.nodes:
            if node.kind in ("op", "fold"):
                counter[node.op] += self.multiplicity(node.index)
        return counter

    @cached_property
    def children(self) -> tuple[tuple[Edge, ...], ...]:
        """For each node, its outgoing edges in input order."""
        out: list[list[Edge]] = [[] for _ in self.nodes]
        for edge in self.edges:
            out[edge.source].append(edge)
        return tuple(tuple(e) for e in out)

    @cached_property
    def parents(self) -> tuple[tuple[Edge, ...], ...]:
        """For each node, its incoming edges (the gradients that arrive at it)."""
        into: list[list[Edge]] = [[] for _ in self.nodes]
        for edge in self.edges:
            into[edge.target].append(edge)
        return tuple(tuple(e) for e in into)

    def describe(self, index: int) -> str:
        """One line about a node, as in to_text() (without the tree prefix)."""
        node = self.nodes[index]
        if node.kind == "leaf":
            parts = [message("graph.leaf") + (f" {node.name}" if node.name else "")]
            if node.value is not None:
                if node.value.data is None:
                    parts.append(node.value.text())
                else:
                    parts.append(message("graph.shape", shape=shape_text(node.value.shape)))
                    parts.append(message("graph.data", values=node.value.text()))
            grad = node.grad.text() if node.grad is not None else "None"
            parts.append(message("graph.grad", values=grad))
            return " · ".join(parts)
        if node.kind == "cut":
            head = "✂ " + message("graph.cut") + (f" {node.name}" if node.name else "")
            return head + (f" · {node.value.text()}" if node.value is not None else "")
        head = message("graph.fold", op=node.op, count=node.repeat) if node.kind == "fold" else node.op
        parts = [head, node.label]
        if node.name:
            parts.append(message("graph.output", name=node.name))
        if node.grad is not None:  # an intermediate tensor's gradient, kept by retain_grad()
            parts.append(message("graph.grad", values=node.grad.text()))
        if node.saved:
            parts.append(message("graph.saved", items=", ".join(b.text() for b in node.saved)))
        return " · ".join(parts)

    def to_text(self, limit: int | None = TEXT_LIMIT) -> str:
        """A deterministic tree, output first; shared nodes are printed once, then referred to.

        At most `limit` lines of tree are printed (None for all).
        """
        shared = {i for i, into in enumerate(self.parents) if len(into) > 1}
        tags: dict[int, int] = {}
        lines: list[str] = []
        total = 0
        # Stack of (node, prefix for this line, prefix for its children).
        stack: list[tuple[int, str, str]] = [(output, "", "") for output in reversed(self.outputs)]
        while stack:
            index, prefix, child_prefix = stack.pop()
            total += 1
            if limit is not None and total > limit:
                continue
            tag = ""
            if index in shared:
                if index in tags:
                    see = f"[{tags[index]}] {self._short(index)} " + message("graph.see_above")
                    lines.append(prefix + see)
                    continue
                tags[index] = len(tags) + 1
                tag = f"[{tags[index]}] "
            lines.append(prefix + tag + self.describe(index))
            kids = self.children[index]
            for k in range(len(kids) - 1, -1, -1):
                last = k == len(kids) - 1
                stack.append(
                    (
                        kids[k].target,
                        child_prefix + ("└─ " if last else "├─ "),
                        child_prefix + ("   " if last else "│  "),
                    )
                )
        if limit is not None and total > limit:
            lines.append(message("graph.more_lines", count=total - limit))
        if self.freed:
            lines.append(message("graph.note_freed"))
        return "\n".join(lines)

    def _short(self, index: int) -> str:
        node = self.nodes[index]
        if node.kind == "leaf":
            return message("graph.leaf") + (f" {node.name}" if node.name else "")
        if node.kind == "cut":
            return "✂ " + message("graph.cut")
        return node.op

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        return self.to_text()

    def to_dot(self) -> str:
        """The graph in Graphviz DOT syntax, for people who have Graphviz installed.

        Each node kind has the fill, outline and line style of draw()'s boxes
        (`autograd_lessons.palette.node_colours`).
        """
        lines = ["digraph computational_graph {", "  rankdir=TB;", '  node [fontname="monospace"];']
        for node in self.nodes:
            fill, outline, line = node_colours(self.kind(node.index))
            style = "rounded,filled" + (",dashed" if line == "--" else "")
            label = self.describe(node.index).replace(" · ", "\n")
            label = label.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            lines.append(
                f'  n{node.index} [label="{label}", shape=box, style="{style}", fillcolor="{fill}", color="{outline}"];'
            )
        for edge in self.edges:
            lines.append(f"  n{edge.source} -> n{edge.target};")
        lines.append("}")
        return "\n".join(lines) + "\n"

    def kind(self, index: int) -> str:
        """How node `index` is drawn: its Node.kind, except "accumulate" for AccumulateGrad."""
        node = self.nodes[index]
        if node.kind == "op" and node.op == "AccumulateGrad":
            return "accumulate"
        return node.kind

    def fold(self, min_repeat: int = MIN_REPEAT) -> Graph:
        """The same graph with every chain of >= min_repeat identical operations as one node.

        A chain is op → op → … where each link is the only tracked input of the one above it,
        has no other consumer and saved the same values (like the loop `b = b * 2`, which
        stays apart from a `100 * b` after it). Cut inputs of the chain are folded into it
        too, and the folded node shows the saved values its links share. counts() is unchanged.
        (`fold_chains`; `autograd_lessons.folding.fold` folds repeated blocks too.)
        """
        return fold_chains(self, min_repeat)


# --------------------------------------------------------------------------- chains of one operation


def remap_groups(graph: Graph, new_index: list[int], dropped_covers: list[int] | None = None) -> list[Group]:
    """The graph's groups with members renumbered (-1 = removed). A group left empty vanishes,
    its covers going to `dropped_covers`; parents are renumbered (a vanished one's groups all
    vanish with it, being inside it)."""
    groups: list[Group] = []
    renumbered: dict[int, int] = {}
    for g, group in enumerate(graph.groups):
        members = tuple(sorted({new_index[m] for m in group.members if new_index[m] >= 0}))
        if not members:
            if dropped_covers is not None:
                dropped_covers.extend(group.covers)
            continue
        renumbered[g] = len(groups)
        groups.append(replace(group, members=members))
    return [replace(g, parent=renumbered.get(g.parent) if g.parent is not None else None) for g in groups]


def fold_chains(graph: Graph, min_repeat: int = MIN_REPEAT) -> Graph:
    """The same graph with every chain of >= min_repeat identical operations as one node.

    What `Graph.fold` documents; the graph itself if there is no chain. Nodes of the result
    carry `members`: the raw indices each stands for.
    """
    nodes, children, parents = graph.nodes, graph.children, graph.parents
    keys: dict[int, tuple] = {}

    def key(i: int) -> tuple:
        found = keys.get(i)
        if found is None:
            found = keys[i] = link_key(nodes[i])
        return found

    following: dict[int, int] = {}
    for node in nodes:
        if node.kind != "op" or node.op == "AccumulateGrad":
            continue
        kids = [e.target for e in children[node.index] if nodes[e.target].kind != "cut"]
        if len(kids) == 1:
            kid = nodes[kids[0]]
            if kid.kind == "op" and len(parents[kid.index]) == 1 and key(kid.index) == key(node.index):
                following[node.index] = kid.index
    linked = set(following.values())
    head_of: dict[int, int] = {}  # member -> head of its chain
    chains: dict[int, list[int]] = {}
    members_of: dict[int, list[int]] = {}
    for head in sorted(set(following) - linked):
        chain = [head]
        while chain[-1] in following:
            chain.append(following[chain[-1]])
        if len(chain) < min_repeat:
            continue
        members = list(chain)
        for link in chain:
            members.extend(e.target for e in children[link] if nodes[e.target].kind == "cut")
        chains[head] = chain
        members_of[head] = sorted(members)
        for m in members:
            head_of[m] = head
    if not chains:
        return graph
    new_index = [-1] * len(nodes)
    kept: list[int] = []
    for node in nodes:
        head = head_of.get(node.index)
        if head is None or head == node.index:
            new_index[node.index] = len(kept)
            kept.append(node.index)
    for member, head in head_of.items():
        new_index[member] = new_index[head]
    folded = []
    for old in kept:
        node = nodes[old]
        if old in chains:
            chain = chains[old]
            saved = node.saved if all(nodes[i].saved == node.saved for i in chain) else ()
            node = Node(
                index=len(folded),
                kind="fold",
                op=node.op,
                name=node.name,
                saved=saved,
                repeat=len(chain),
                members=tuple(members_of[old]),
            )
        else:
            node = replace(node, index=len(folded), members=(old,))
        folded.append(node)
    edges = []
    for edge in graph.edges:
        a, b = new_index[edge.source], new_index[edge.target]
        if a != b:
            edges.append(replace(edge, source=a, target=b))
    outputs = tuple(dict.fromkeys(new_index[o] for o in graph.outputs))
    groups = tuple(remap_groups(graph, new_index))
    return Graph(nodes=tuple(folded), edges=tuple(edges), freed=graph.freed, outputs=outputs, groups=groups)


__all__ = [
    "GROUP_KINDS",
    "MIN_REPEAT",
    "TEXT_LIMIT",
    "Badge",
    "Edge",
    "Graph",
    "Group",
    "Node",
    "Value",
    "fold_chains",
    "link_key",
    "remap_groups",
]
