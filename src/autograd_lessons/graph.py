"""The computational graph behind a tensor, as plain data: nodes, edges, text and DOT.

`trace(y)` walks the grad_fn graph that `y.backward()` would run, with an explicit queue
(no recursion, so graphs of any depth work), and copies what a learner wants to see —
operation names, leaf values, saved tensors, cut inputs — into frozen dataclasses that hold
no reference to the learner's tensors.
"""

from __future__ import annotations

import contextlib
import gc
import re
from collections import Counter, deque
from dataclasses import dataclass, replace
from functools import cached_property

import torch

from autograd_lessons import modules as _module_calls
from autograd_lessons.callers import TensorNames, caller_tensor_names
from autograd_lessons.i18n import MESSAGES, LessonError, message
from autograd_lessons.numbers import brief, shape_text

_module_calls.install()  # from now on, module calls note which graph nodes they create

SMALL = 8  # tensors with at most this many elements show their values; larger ones a norm
TEXT_LIMIT = 400  # default number of lines of to_text()

# For a cut input (None in next_functions) at a given position, the saved attribute that
# may hold its value: position 0 is the operation's `self`, position 1 its second argument.
_ARGUMENT_NAMES = {
    0: ("self", "input"),
    1: ("other", "mat2", "vec", "tensor", "exponent", "weight", "end"),
}


# --------------------------------------------------------------------------- data classes


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
        if node.kind == "fold":
            head = message("graph.fold", op=node.op, count=node.repeat)
        else:
            head = node.op
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
        from autograd_lessons.palette import node_colours

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

    def fold(self, min_repeat: int = 3) -> Graph:
        """The same graph with every chain of >= min_repeat identical operations as one node.

        A chain is op → op → … where each link is the only tracked input of the one above it,
        has no other consumer and saved the same values (like the loop `b = b * 2`, which
        stays apart from a `100 * b` after it). Cut inputs of the chain are folded into it
        too, and the folded node shows the saved values its links share. counts() is unchanged.
        """
        from autograd_lessons.folding import fold_chains  # the work is done there, with fold()'s other steps

        return fold_chains(self, min_repeat)


# --------------------------------------------------------------------------- tracing


def value_of(obj: object) -> Value | None:
    """Copy a tensor or number into a Value (no reference kept), or None if not numeric."""
    if isinstance(obj, bool):
        return None
    if isinstance(obj, (int, float)):
        return Value(shape=(), data=(float(obj),))
    if not isinstance(obj, torch.Tensor):
        return None
    shape = tuple(obj.shape)
    try:
        flat = obj.detach()  # nothing computed from a detached tensor is recorded: no no_grad() needed
        if flat.is_complex() or flat.layout != torch.strided or flat.device.type == "meta":
            return Value(shape=shape)
        if flat.numel() <= SMALL:
            return Value(shape=shape, data=tuple(float(v) for v in flat.reshape(-1).tolist()))
        return Value(shape=shape, norm=float(flat.double().norm()))
    except (RuntimeError, TypeError):
        return Value(shape=shape)


def _literal(obj: object) -> str:
    text = repr(obj) if not isinstance(obj, torch.Tensor) else f"tensor{shape_text(tuple(obj.shape))}"
    if isinstance(obj, (tuple, list)) and any(isinstance(o, torch.Tensor) for o in obj):
        text = f"{len(obj)} tensors"
    text = re.sub(r"0x[0-9a-fA-F]+", "", text)
    return text if len(text) <= 40 else text[:39] + "…"


_SAVED_NAMES: dict[type, tuple[str, ...]] = {}


def _saved_names(fn: object) -> tuple[str, ...]:
    """Names of the `_saved_*` attributes of a grad_fn class (cached per class)."""
    cls = type(fn)
    names = _SAVED_NAMES.get(cls)
    if names is None:
        names = tuple(n for n in dir(fn) if n.startswith("_saved_"))
        _SAVED_NAMES[cls] = names
    return names


def _read_saved(fn: object) -> tuple[dict[str, object], bool]:
    """The saved values of one grad_fn (name without prefix -> object, _FREED or _STALE)."""
    saved: dict[str, object] = {}
    freed = False
    for attr in _saved_names(fn):
        try:
            saved[attr[len("_saved_") :]] = getattr(fn, attr)
        except RuntimeError as error:
            # Reading fails in two cases: a backward pass without retain_graph=True freed the
            # tensor, or the tensor was changed in place after it was saved (its version moved).
            stale = "modified by an inplace operation" in str(error)
            saved[attr[len("_saved_") :]] = _STALE if stale else _FREED
            freed = freed or not stale
    if isinstance(fn, torch.autograd.function.BackwardCFunction):  # a custom Function's node
        try:
            kept = fn.saved_tensors  # what its forward gave ctx.save_for_backward
        except RuntimeError as error:
            stale = "modified by an inplace operation" in str(error)
            saved[CUSTOM_SAVED] = _STALE if stale else _FREED
            freed = freed or not stale
        else:
            for index, tensor in enumerate(kept):
                saved[f"{CUSTOM_SAVED}[{index}]"] = tensor
    return saved, freed


CUSTOM_SAVED = "saved_tensors"  # how a custom Function's saved tensors are named: ctx.saved_tensors[i]


_FREED = object()
_STALE = object()


def _badges(saved: dict[str, object]) -> tuple[Badge, ...]:
    badges = []
    for name in sorted(saved):
        obj = saved[name]
        if obj is None:
            continue
        if obj is _FREED or obj is _STALE:
            badges.append(Badge(name=name, freed=obj is _FREED, stale=obj is _STALE))
            continue
        value = value_of(obj)
        if value is not None:
            badges.append(Badge(name=name, value=value))
        else:
            badges.append(Badge(name=name, literal=_literal(obj)))
    return tuple(badges)


def _revealed(saved: dict[str, object], slot: int) -> object | None:
    """The saved tensor or number that is the operation's input at `slot`, if saved."""
    for name in _ARGUMENT_NAMES.get(slot, ()):
        obj = saved.get(name)
        numeric = isinstance(obj, torch.Tensor) or (isinstance(obj, (int, float)) and not isinstance(obj, bool))
        if numeric:  # what value_of can show (not _FREED, _STALE, sizes or flags)
            return obj
    return None


def _kind_of(obj: object) -> str:
    return type(obj).__name__


def check_tensor(obj: object, func: str) -> torch.Tensor:
    """Return obj if it is a tensor with a computational graph; else raise a LessonError saying why."""
    if isinstance(obj, torch.Tensor):
        if obj.grad_fn is None and not obj.requires_grad:
            raise LessonError(message("graph.error.untracked", func=func)) from None
        return obj
    if isinstance(obj, (list, tuple, dict, set)):
        raise LessonError(message("graph.error.container", func=func, kind=_kind_of(obj))) from None
    if isinstance(obj, torch.nn.Module):
        raise LessonError(message("graph.error.module", func=func, kind=_kind_of(obj))) from None
    if callable(obj):
        name = getattr(obj, "__name__", None) or _kind_of(obj)
        raise LessonError(message("graph.error.method", func=func, name=name)) from None
    raise LessonError(message("graph.error.not_tensor", func=func, kind=_kind_of(obj))) from None


def check_outputs(obj: object, func: str) -> tuple[torch.Tensor, ...]:
    """One tensor, or a tuple or list of them (an LSTM cell's (h, c), a model's two heads), as a
    tuple of tensors with a graph; anything else raises check_tensor's LessonError."""
    if isinstance(obj, (tuple, list)) and obj and all(isinstance(item, torch.Tensor) for item in obj):
        return tuple(check_tensor(item, func) for item in obj)
    if isinstance(obj, (tuple, list)) and not obj:
        raise LessonError(message("graph.error.empty", func=func, kind=_kind_of(obj))) from None
    return (check_tensor(obj, func),)


@contextlib.contextmanager
def paused_gc():
    """Pause Python's cyclic garbage collector while a big graph is walked, folded or laid out.

    Those steps make tens of thousands of small frozen objects that form no reference cycles;
    each allocation burst would otherwise start collections that scan every live object
    (torch's graph included), which took about half the time of a 40,000-node picture.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def walk(
    tensors: torch.Tensor | tuple[torch.Tensor, ...], names: TensorNames | None = None
) -> tuple[Graph, list[object]]:
    """Build the Graph of one or several tensors breadth-first (their union, each output marked);
    also return the grad_fn objects by node index.

    The second result (None for leaf and cut nodes) lets backward_steps attach hooks; callers
    must drop it when done so that no grad_fn outlives the learner's tensors.
    """
    with paused_gc():
        return _walk(tensors, names)


def _walk(
    tensors: torch.Tensor | tuple[torch.Tensor, ...], names: TensorNames | None = None
) -> tuple[Graph, list[object]]:
    """walk(), with the garbage collector paused by the caller."""
    roots = (tensors,) if isinstance(tensors, torch.Tensor) else tuple(tensors)
    names = names or TensorNames(None, None)
    nodes: list[Node] = []
    edges: list[Edge] = []
    fns: list[object] = []
    index_of: dict[int, int] = {}
    any_freed = False

    def leaf(t: torch.Tensor) -> Node:
        grad = value_of(t.grad) if t.grad is not None else None
        return Node(len(nodes), "leaf", name=names.by_tensor.get(id(t)), value=value_of(t), grad=grad)

    def retained(fn: object, given: torch.Tensor | None) -> Value | None:
        """The .grad an intermediate tensor kept with retain_grad() (None when it did not)."""
        tensor = given if given is not None else names.tensor_of_fn.get(id(fn))
        if tensor is None or not tensor.retains_grad or tensor.grad is None:
            return None
        return value_of(tensor.grad)

    outputs: list[int] = []
    queue: deque = deque()
    given_for: dict[int, torch.Tensor] = {}
    for tensor in roots:
        root = tensor.grad_fn
        if root is None:  # a leaf tensor that requires grad: a node of its own
            key = ("leaf", id(tensor))
            if key not in index_of:
                index_of[key] = len(nodes)
                nodes.append(leaf(tensor))
                fns.append(None)
            outputs.append(index_of[key])
            continue
        given_for.setdefault(id(root), tensor)
        if id(root) not in index_of:
            index_of[id(root)] = len(nodes)
            nodes.append(Node(len(nodes), "op", op=type(root).__name__))  # completed when popped
            fns.append(root)
            queue.append(root)
        outputs.append(index_of[id(root)])
    while queue:
        fn = queue.popleft()
        i = index_of[id(fn)]
        saved, freed = _read_saved(fn)
        any_freed = any_freed or freed
        nodes[i] = Node(
            i,
            "op",
            op=type(fn).__name__,
            name=names.by_fn.get(id(fn)),
            saved=_badges(saved),
            grad=retained(fn, given_for.get(id(fn))),
        )
        for slot, (nxt, output) in enumerate(fn.next_functions):
            if nxt is None:
                obj = _revealed(saved, slot)
                value = value_of(obj) if obj is not None else None
                name = names.by_tensor.get(id(obj)) if obj is not None else None
                edges.append(Edge(i, len(nodes), slot, 0))
                nodes.append(Node(len(nodes), "cut", name=name, value=value))
                fns.append(None)
                continue
            j = index_of.get(id(nxt))
            if j is None:
                j = index_of[id(nxt)] = len(nodes)
                nodes.append(Node(j, "op", op=type(nxt).__name__))
                fns.append(nxt)
                queue.append(nxt)
            edges.append(Edge(i, j, slot, output))
        variable = getattr(fn, "variable", None) if type(fn).__name__ == "AccumulateGrad" else None
        if isinstance(variable, torch.Tensor):
            edges.append(Edge(i, len(nodes), 0, 0))
            nodes.append(leaf(variable))
            fns.append(None)
        del saved
    outputs_ = tuple(dict.fromkeys(outputs))  # the same tensor given twice is one output
    return Graph(tuple(nodes), tuple(edges), freed=any_freed, outputs=outputs_), fns


def trace(tensor, names: dict[str, object] | None = None, *, modules: torch.nn.Module | None = None) -> "Graph":
    """The computational graph of `tensor` as plain data (print it, draw it, count its nodes).

    `tensor` may also be a tuple or list of tensors (an LSTM cell's (h, c), a model's two
    heads): the graph is then the union of theirs, each output marked. Leaves and outputs are
    named after the caller's variables (or `names={"x": x}`). With `modules=model`, the nodes
    created inside each submodule's forward are grouped under its qualified name and class
    (see `autograd_lessons.modules`), and parameters are named as the model names them.
    """
    tensors = check_outputs(tensor, "trace")
    if isinstance(modules, torch.nn.Module):  # parameters are named as the model names them: "0.weight"
        names = {**dict(modules.named_parameters()), **(names or {})}
    found = caller_tensor_names(names)
    try:
        graph, fns = walk(tensors, found)
        if modules is not None:
            graph = replace(graph, groups=_module_calls.module_groups(graph, fns, modules))
    finally:
        found.release()
    del fns
    return graph


__all__ = [
    "GROUP_KINDS",
    "Badge",
    "Edge",
    "Graph",
    "Group",
    "Node",
    "Value",
    "check_outputs",
    "check_tensor",
    "link_key",
    "paused_gc",
    "trace",
    "value_of",
    "walk",
]
