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
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property

from autograd_lessons.i18n import MESSAGES, message
from autograd_lessons.numbers import brief, shape_text
from autograd_lessons.palette import node_colours

TEXT_LIMIT = 400  # default number of lines of to_text()
CUT_MARK = "✂ "  # marks an untracked input in text and pictures (DejaVu Sans Mono, the pictures' font, has it)
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
        if not self.shape:  # a tensor's value, written as Python writes it (as in a vector)
            return str(brief(self.data[0]))
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
    shape_of: str | None = None  # the argument whose shape `literal` is (`self_sym_sizes`: "self")

    def text(self) -> str:
        if self.freed:
            return message("graph.freed", name=self.name)
        if self.stale:
            return message("graph.stale", name=self.name)
        if self.shape_of is not None:
            return message("graph.saved_shape", name=self.shape_of, shape=self.literal)
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
    gradient_of: str | None = None  # this output is the .grad of the leaf so named ("" unnamed)

    @property
    def label(self) -> str:
        """The learner-friendly name of the node in the current language."""
        if self.kind == "leaf":
            return message("graph.leaf")
        if self.kind == "cut":
            return message("graph.cut")
        return operation_label(self.op)


# A grad_fn class is an operation's name + "Backward" + the number of its variant (MulBackward0),
# or "Backwards" for a few written by hand (CopyBackwards); views made as copies end in "_copy".
_CLASS_SUFFIX = re.compile(r"Backwards?\d*(_copy)?$")
BACKWARD_OF_BACKWARD = "BackwardBackward"  # in a class name: the backward of a backward function


def operation_label(op: str) -> str:
    """What the grad_fn class `op` is the backward of, in the current language: "backward of ×"
    for MulBackward0, "backward of (backward of tanh)" for TanhBackwardBackward0 (a node that
    only a backward pass recorded with create_graph=True makes)."""
    base = _CLASS_SUFFIX.sub("", op)
    if base.endswith("Backward"):
        return message("op.backward_function", label=operation_label(base))
    key = "op." + base
    if key in MESSAGES:
        return message(key)
    return message("op.generic", op=base.lower() or op)


def recorded_by_backward(graph: Graph) -> bool:
    """Whether the graph is known to hold operations a backward pass recorded (create_graph=True):
    an output is a leaf's .grad, or a node is the backward of a backward function. PyTorch keeps
    no such mark on the nodes of torch.autograd.grad's results, so those are not recognised."""
    return any(node.gradient_of is not None or BACKWARD_OF_BACKWARD in node.op for node in graph.nodes)


# --------------------------------------------------------------------------- formulas

# What each operation computed, written as Python would (2 * dot(x, x), 3 * x**2), from the
# graph alone: operand names, saved numbers and the operations below. In the graph of a
# gradient the boxes then say which term of the derivative each node computes. A formula is
# written only when every operand is known (a learner's name or a number) and it stays short.
FORMULA_CHARS = 24  # longest formula written: "0.25 * 2 * sum(x * x)**1" fits, a box's first wrap width is 34
_SUM, _PRODUCT, _UNARY, _POWER, _ATOM = range(5)  # Python's precedence levels, loosest first
_CALLS = {  # grad_fn class -> the function whose result it belongs to, called on input 0
    "SumBackward0": "sum",
    "MeanBackward0": "mean",
    "ExpBackward0": "exp",
    "LogBackward0": "log",
    "SinBackward0": "sin",
    "CosBackward0": "cos",
    "TanhBackward0": "tanh",
    "SigmoidBackward0": "sigmoid",
    "ReluBackward0": "relu",
    "SqrtBackward0": "sqrt",
    "AbsBackward0": "abs",
}
_INFIX = {  # grad_fn class -> (operator, level) between its inputs 0 and 1
    "AddBackward0": ("+", _SUM),
    "SubBackward0": ("-", _SUM),
    "MulBackward0": ("*", _PRODUCT),
    "DivBackward0": ("/", _PRODUCT),
    "MmBackward0": ("@", _PRODUCT),
    "MvBackward0": ("@", _PRODUCT),
    "BmmBackward0": ("@", _PRODUCT),
    "PowBackward1": ("**", _POWER),
}
_SAVED_RIGHT = {  # grad_fn class -> (operator, level, saved number on the right of input 0)
    "MulBackward1": ("*", _PRODUCT, "other"),
    "DivBackward1": ("/", _PRODUCT, "other"),
    "PowBackward0": ("**", _POWER, "exponent"),
}

Formula = tuple[str, int]  # text and precedence level


def _wrapped(formula: Formula, least: int) -> str:
    text, level = formula
    return text if level >= least else f"({text})"


def _number(value: float) -> Formula:
    text = brief(value)
    return text, _UNARY if text.startswith("-") else _ATOM


def _saved_number(node: Node, name: str) -> float | None:
    for badge in node.saved:
        if badge.name == name and badge.value is not None and badge.value.shape == () and badge.value.data:
            return badge.value.data[0]
    return None


def _infix(left: Formula, operator: str, level: int, right: Formula) -> Formula:
    """`left operator right` with the parentheses Python needs: ** groups to the right (and binds
    its base tighter than a minus sign), the other operators to the left."""
    if operator == "**":
        return f"{_wrapped(left, _ATOM)}**{_wrapped(right, _UNARY)}", _POWER
    if operator == "*" and _is_number(right[0]) and not _is_number(left[0]):
        left, right = right, left  # 3 * x**2 rather than x**2 * 3 (the same product)
    return f"{_wrapped(left, level)} {operator} {_wrapped(right, level + 1)}", level


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _formula(graph: Graph, index: int, known: list[Formula | None]) -> Formula | None:
    """The formula of node `index` from those of its inputs (`known`), or None."""
    node = graph.nodes[index]
    if node.kind == "leaf":
        return (node.name, _ATOM) if node.name else None
    if node.kind == "cut":
        if node.name:
            return node.name, _ATOM
        if node.value is not None and node.value.shape == () and node.value.data:
            return _number(node.value.data[0])
        return None
    if node.kind != "op":
        return None
    inputs: dict[int, Formula | None] = {}
    for edge in graph.children[index]:
        inputs[edge.slot] = known[edge.target]
    if node.op == "AccumulateGrad":  # stands for the leaf it writes to
        return inputs.get(0)
    first, second = inputs.get(0), inputs.get(1)
    if node.op in _CALLS and first is not None and len(inputs) == 1:
        return f"{_CALLS[node.op]}({first[0]})", _ATOM
    if node.op == "NegBackward0" and first is not None:
        return f"-{_wrapped(first, _UNARY)}", _UNARY
    if node.op == "TBackward0" and first is not None:
        return f"{_wrapped(first, _ATOM)}.T", _ATOM
    if node.op == "DotBackward0" and first is not None and second is not None:
        return f"dot({first[0]}, {second[0]})", _ATOM
    if node.op in _INFIX and first is not None and second is not None and len(inputs) == 2:
        if node.op in ("AddBackward0", "SubBackward0") and _saved_number(node, "alpha") != 1:
            return None  # x + alpha * y with alpha != 1: rare enough to leave unwritten
        operator, level = _INFIX[node.op]
        return _infix(first, operator, level, second)
    if node.op in _SAVED_RIGHT and first is not None and len(inputs) == 1:
        operator, level, name = _SAVED_RIGHT[node.op]
        number = _saved_number(node, name)
        return _infix(first, operator, level, _number(number)) if number is not None else None
    if node.op == "AddmmBackward0" and len(inputs) == 3 and None not in inputs.values():
        if _saved_number(node, "alpha") != 1 or _saved_number(node, "beta") != 1:
            return None
        product = _infix(inputs[1], "@", _PRODUCT, inputs[2])
        return _infix(inputs[0], "+", _SUM, product)
    return None


def formulas(graph: Graph) -> tuple[str | None, ...]:
    """For every node, what it computed as a short formula (`_formula`), or None. Nodes are
    taken inputs first, without recursion; a formula longer than FORMULA_CHARS is dropped, and
    so is every formula built on it."""
    waiting = [len(children) for children in graph.children]
    ready = [i for i, count in enumerate(waiting) if count == 0]
    known: list[Formula | None] = [None] * len(graph.nodes)
    while ready:
        index = ready.pop()
        found = _formula(graph, index, known)
        known[index] = found if found is not None and len(found[0]) <= FORMULA_CHARS else None
        for edge in graph.parents[index]:
            waiting[edge.source] -= 1
            if waiting[edge.source] == 0:
                ready.append(edge.source)
    return tuple(f[0] if f is not None else None for f in known)


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

    @cached_property
    def formulas(self) -> tuple[str | None, ...]:
        """What each node computed, as a short formula (see `formulas`), or None."""
        return formulas(self)

    def output_text(self, index: int) -> str | None:
        """What an operation's box calls the tensor it made: the learner's name, "x.grad" for a
        leaf's gradient, or what it computed (2 * dot(x, x)); None when none is known."""
        node = self.nodes[index]
        if node.kind not in ("op", "fold") or node.op == "AccumulateGrad":
            return None
        if node.name:
            return node.name
        if node.gradient_of:
            return node.gradient_of + ".grad"
        return self.formulas[index]

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
        if node.kind == "cut":  # "✂ batch (untracked input)" when the learner named it
            head = CUT_MARK + (message("graph.cut_named", name=node.name) if node.name else message("graph.cut"))
            return head + (f" · {node.value.text()}" if node.value is not None else "")
        head = message("graph.fold", op=node.op, count=node.repeat) if node.kind == "fold" else node.op
        parts = [head, node.label]
        output = self.output_text(index)
        if output:
            parts.append(message("graph.output", name=output))
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
        if recorded_by_backward(self):
            lines.append(message("graph.note_recorded_backward"))
        return "\n".join(lines)

    def _short(self, index: int) -> str:
        node = self.nodes[index]
        if node.kind == "leaf":
            return message("graph.leaf") + (f" {node.name}" if node.name else "")
        if node.kind == "cut":
            return CUT_MARK + (node.name or message("graph.cut"))
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


def group_ancestors(groups: Sequence[Group], index: int) -> tuple[int, ...]:
    """The indices of the groups that group `index` sits in, innermost first, following
    Group.parent (a parent may come before or after its child); it stops at a parent out of
    range or already met, so a malformed list never loops."""
    found: list[int] = []
    seen, at = {index}, groups[index].parent
    while at is not None and 0 <= at < len(groups) and at not in seen:
        seen.add(at)
        found.append(at)
        at = groups[at].parent
    return tuple(found)


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
    "BACKWARD_OF_BACKWARD",
    "CUT_MARK",
    "FORMULA_CHARS",
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
    "group_ancestors",
    "formulas",
    "link_key",
    "operation_label",
    "recorded_by_backward",
    "remap_groups",
]
