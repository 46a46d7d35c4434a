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
import functools
import gc
import importlib.util
import re
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import torch

from autograd_lessons.callers import TensorNames, caller_tensor_names, learner_boundary
from autograd_lessons.graph_data import GROUP_KINDS, Badge, Edge, Graph, Group, Node, Value, link_key
from autograd_lessons.i18n import LessonError, message
from autograd_lessons.modules import check_recorded, module_groups
from autograd_lessons.numbers import shape_text

SMALL = 8  # tensors with at most this many elements show their values; larger ones a norm

# For a cut input (None in next_functions) at a given position, the saved attribute that
# may hold its value when the operation's own inputs are unknown (`input_names` is None):
# position 0 is the operation's `self`, position 1 its second argument.
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


# Which saved attributes a learner sees: the one rule, applied here, for trace's text and draw's
# boxes alike. Saved tensors and numbers (self, other, result, exponent = 2) and flags or
# dimensions (dim, keepdim) are shown as they are. PyTorch also saves bookkeeping about the
# inputs' memory layout so that its backward can rebuild a gradient of the right form: strides,
# element counts, single dimensions, sparse block sizes. Those are hidden. An input's shape
# (`self_sym_sizes`) is what sum or expand keep instead of the tensor itself, so it is shown as
# "shape of self (4,)", unless that input's own value is saved too (its badge shows the shape).
_LAYOUT_BOOKKEEPING = re.compile(r"_sym_(strides|numel|argsize_\w+|blocksize_opt)$")
_INPUT_SHAPE = re.compile(r"^(?P<argument>\w+?)_sym_sizes(_opt)?$")


def _shape_literal(obj: object) -> str:
    """A saved shape as the pictures write shapes, "(4,)"; as saved when it is not whole numbers."""
    try:
        return shape_text(obj)
    except (TypeError, ValueError):
        return _literal(obj)


def _badges(saved: dict[str, object]) -> tuple[Badge, ...]:
    """The saved values a learner sees (the rule above), sorted by name."""
    badges = []
    for name in sorted(saved):
        obj = saved[name]
        if obj is None or _LAYOUT_BOOKKEEPING.search(name):
            continue
        shape_of = _INPUT_SHAPE.match(name)
        if shape_of is not None and not isinstance(obj, torch.Tensor):
            argument = shape_of["argument"]
            if value_of(saved.get(argument)) is None:  # the input itself is not saved (or was freed)
                badges.append(Badge(name=name, literal=_shape_literal(obj), shape_of=argument))
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


def _revealed(saved: dict[str, object], slot: int, inputs: tuple[str, ...] | None) -> object | None:
    """The saved tensor or number that is the operation's input at `slot`, if saved. `inputs`
    names the operation's inputs in slot order (`input_names`); without them, the usual names
    of a first and second argument are tried."""
    names = (inputs[slot],) if inputs is not None else _ARGUMENT_NAMES.get(slot, ())
    for name in names:
        obj = saved.get(name)
        numeric = isinstance(obj, torch.Tensor) or (isinstance(obj, (int, float)) and not isinstance(obj, bool))
        if numeric:  # what value_of can show (not _FREED, _STALE, sizes or flags)
            return obj
    return None


# --------------------------------------------------------------------------- an operation's inputs

# PyTorch generates every grad_fn class from an entry of tools/autograd/derivatives.yaml, which
# torch ships in torchgen: "- name: addmm(Tensor self, Tensor mat1, Tensor mat2, …)" followed by
# one formula per differentiable input ("self: …", "mat1: …"). The class is the operation's name
# in CamelCase + "Backward" + a number that counts the entries of the same operation in file
# order (mul.Tensor → MulBackward0, mul.Scalar → MulBackward1), and next_functions holds the
# inputs that have a formula, in the order of the signature. Reading the file the same way tells
# which saved attribute is the input at each slot (addmm's slot 1 is `mat1`).
_DERIVATIVES = ("packaged", "autograd", "derivatives.yaml")  # where torchgen keeps the file
_ENTRY = re.compile(r"^- name:\s*(?P<signature>.+?)\s*$")
_FORMULA = re.compile(r"^(?P<indent> *)(?P<names>[A-Za-z_][\w, ]*):\s*(?P<formula>.*)$")
_FORMULA_INDENT = 2  # "  self: …" under its entry
_DISPATCH_KEY_INDENT = 4  # "    AutogradNestedTensor:" under "  dispatch:"
_DISPATCH_FORMULA_INDENT = 6  # a formula under a dispatch key
_DEFAULT_DISPATCH = "Default"  # the dispatch key whose classes carry no key in their name


def _op_prefix(operation: str) -> str:
    """The class-name prefix of an operation's backward, as torchgen's _create_op_prefix makes
    it: "addmm" → "AddmmBackward", "tanh_backward" → "TanhBackwardBackward"."""
    camel = "".join(part.title() for part in operation.split("_"))
    return (camel + "Backward").replace("ForwardBackward", "Backward")


def _arguments(signature: str) -> list[tuple[str, str]]:
    """(type, name) of every argument of a schema like "addmm(Tensor self, …) -> Tensor"."""
    inside = signature[signature.index("(") + 1 :]
    depth, piece, pieces = 0, "", []
    for char in inside:
        if char in "([":
            depth += 1
        elif char in ")]":
            if depth == 0:
                break
            depth -= 1
        if char == "," and depth == 0:
            pieces.append(piece)
            piece = ""
        else:
            piece += char
    pieces.append(piece)
    out = []
    for part in (p.strip() for p in pieces):
        if not part or part == "*":
            continue
        words = part.split()
        out.append((" ".join(words[:-1]), words[-1].split("=")[0]))
    return out


@functools.cache
def _derivative_inputs() -> dict[str, tuple[str, ...] | None]:
    """grad_fn class name → the names of its inputs in next_functions order (None when one of
    them is a list of tensors, which takes one slot per tensor), read from the derivatives.yaml
    of the installed torch; {} when torch ships no such file."""
    spec = importlib.util.find_spec("torchgen")
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(next(iter(spec.submodule_search_locations)), *_DERIVATIVES)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    entries: list[tuple[str, dict[str, dict[str, str]]]] = []  # (signature, key → names → formula)
    key = _DEFAULT_DISPATCH
    in_dispatch = False
    for line in lines:
        start = _ENTRY.match(line)
        if start:
            entries.append((start["signature"], {_DEFAULT_DISPATCH: {}}))
            key, in_dispatch = _DEFAULT_DISPATCH, False
            continue
        found = _FORMULA.match(line)
        if not entries or not found:
            continue
        indent, names, formula = len(found["indent"]), found["names"].strip(), found["formula"].strip()
        formulas = entries[-1][1]
        if indent == _FORMULA_INDENT:
            in_dispatch = names == "dispatch"
            if not in_dispatch:
                formulas[_DEFAULT_DISPATCH][names] = formula
        elif in_dispatch and indent == _DISPATCH_KEY_INDENT:
            key = names
            formulas.setdefault(key, {})
        elif in_dispatch and indent == _DISPATCH_FORMULA_INDENT:
            formulas[key][names] = formula
    counter: Counter = Counter()
    classes: dict[str, tuple[str, ...] | None] = {}
    for signature, by_key in entries:
        arguments = _arguments(signature)
        argument_names = [name for _, name in arguments]
        prefix = _op_prefix(signature.split("(", 1)[0].split(".", 1)[0])
        for key, formulas in by_key.items():
            differentiable: set[str] = set()
            for names, formula in formulas.items():
                split = [name.strip() for name in names.split(",")]
                # A formula for a result (not an argument) is a forward-mode derivative.
                if split[0] in argument_names and formula.lower() != "non_differentiable":
                    differentiable |= set(split)
            inputs = [(kind, name) for kind, name in arguments if name in differentiable]
            if not inputs:  # torchgen names no class for an entry without a backward formula
                continue
            name = prefix + ("" if key == _DEFAULT_DISPATCH else key)
            lists = any("[]" in kind for kind, _ in inputs)
            classes[f"{name}{counter[name]}"] = None if lists else tuple(name for _, name in inputs)
            counter[name] += 1
    return classes


def input_names(fn: object) -> tuple[str, ...] | None:
    """The names of a grad_fn's inputs in the order of its next_functions, as the operation's
    signature calls them (AddmmBackward0: self, mat1, mat2); None when unknown (a custom
    Function, an operation torch's derivatives.yaml does not list, a list of tensors)."""
    names = _derivative_inputs().get(type(fn).__name__)
    if names is None or len(names) != len(fn.next_functions):
        return None
    return names


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

    grad_owners: dict[int, str] = {}  # id(leaf.grad) -> the leaf's name ("" unnamed)

    def leaf(t: torch.Tensor) -> Node:
        grad = value_of(t.grad) if t.grad is not None else None
        name = names.by_tensor.get(id(t))
        if t.grad is not None:
            grad_owners[id(t.grad)] = name or ""
        return Node(len(nodes), "leaf", name=name, value=value_of(t), grad=grad)

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
        inputs = input_names(fn) if any(nxt is None for nxt, _ in fn.next_functions) else None
        for slot, (nxt, output) in enumerate(fn.next_functions):
            if nxt is None:
                obj = _revealed(saved, slot, inputs)
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
    # A tensor given that is a leaf's .grad (draw(x.grad) after backward(create_graph=True)):
    # its graph is what that backward pass recorded.
    for tensor, index in zip(roots, outputs, strict=True):
        if id(tensor) in grad_owners and nodes[index].kind == "op":
            nodes[index] = replace(nodes[index], gradient_of=grad_owners[id(tensor)])
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
    "input_names",
    "link_key",
    "paused_gc",
    "trace",
    "traced",
    "value_of",
    "walk",
]
