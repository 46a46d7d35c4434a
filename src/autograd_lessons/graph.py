"""The computational graph behind a tensor: `trace(y)` and the one builder behind every helper.

`trace(y)` walks the grad_fn graph that `y.backward()` would run, with an explicit queue
(no recursion, so graphs of any depth work), and copies what a learner wants to see —
operation names, leaf values, saved tensors, cut inputs — into the frozen dataclasses of
`autograd_lessons.graph_data` (importable from here too), which hold no reference to the
learner's tensors. `traced(...)` is that walk with the checks, names and module frames every
public helper needs: `trace`, `draw` and `backward_steps` all build their graph with it.
"""

from __future__ import annotations

import contextlib
import gc
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, replace

import torch

from autograd_lessons.callers import TensorNames, caller_tensor_names, learner_boundary
from autograd_lessons.graph_data import GROUP_KINDS, Badge, Edge, Graph, Group, Node, Value, link_key
from autograd_lessons.i18n import LessonError, message
from autograd_lessons.modules import check_recorded, module_groups
from autograd_lessons.numbers import shape_text

SMALL = 8  # tensors with at most this many elements show their values; larger ones a norm

# For a cut input (None in next_functions) at a given position, the saved attribute that
# may hold its value: position 0 is the operation's `self`, position 1 its second argument.
_ARGUMENT_NAMES = {
    0: ("self", "input"),
    1: ("other", "mat2", "vec", "tensor", "exponent", "weight", "end"),
}


# --------------------------------------------------------------------------- copying values


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


# --------------------------------------------------------------------------- the builder


@dataclass(frozen=True)
class Traced:
    """A graph just built from the learner's tensors, and what a backward pass over it needs:
    the tensors, the grad_fn of each node (None for leaf and cut nodes) and their names.
    Only valid inside the `traced` block that made it."""

    tensors: tuple[torch.Tensor, ...]
    graph: Graph
    fns: list[object]
    names: TensorNames


@contextlib.contextmanager
def traced(obj: object, func: str, names: dict[str, object] | None = None, modules=None) -> Iterator[Traced]:
    """The graph of `obj`, as the public helper `func` was given it (one tensor, or a tuple or
    list of outputs): checked (a LessonError naming `func` otherwise), its tensors named after
    the learner's variables (`names` first; with `modules=model`, parameters as the model names
    them) and, with `modules`, its nodes grouped by the submodule that made them.

    Everything that refers to the learner's tensors is dropped when the block ends.
    """
    tensors = check_outputs(obj, func)
    if modules is not None:
        check_recorded(modules, func)  # before the walk: a LessonError saying what to write
        names = {**dict(modules.named_parameters()), **(names or {})}  # "0.weight", as the model names them
    found = caller_tensor_names(names)
    fns: list[object] = []
    try:
        graph, fns = walk(tensors, found)
        if modules is not None:
            graph = replace(graph, groups=module_groups(graph, fns, modules, func))
        yield Traced(tensors, graph, fns, found)
    finally:
        found.release()
        fns.clear()


@learner_boundary
def trace(tensor, names: dict[str, object] | None = None, *, modules: torch.nn.Module | None = None) -> Graph:
    """The computational graph of `tensor` as plain data (print it, draw it, count its nodes).

    `tensor` may also be a tuple or list of tensors (an LSTM cell's (h, c), a model's two
    heads): the graph is then the union of theirs, each output marked. Leaves and outputs are
    named after the caller's variables (or `names={"x": x}`). With `modules=model`, the nodes
    created inside each submodule's forward are grouped under its qualified name and class,
    and parameters are named as the model names them; the forward must have run inside
    `record_modules(model)` (see `autograd_lessons.modules`).
    """
    with traced(tensor, "trace", names, modules) as built:
        return built.graph


__all__ = [
    "CUSTOM_SAVED",
    "GROUP_KINDS",
    "SMALL",
    "Badge",
    "Edge",
    "Graph",
    "Group",
    "Node",
    "Traced",
    "Value",
    "check_outputs",
    "check_tensor",
    "link_key",
    "paused_gc",
    "trace",
    "traced",
    "value_of",
    "walk",
]
