"""The graph of a hand-written autograd engine, as `trace` makes PyTorch's: `engine_graph(v)`.

A learner who writes a small reverse-mode engine (a value that keeps its operands and the name of
its operation) gets the same pictures for it as for PyTorch: `draw(engine_graph(loss))` draws the
engine's graph with the boxes and arrows of `draw(y)` for the same program in PyTorch. The engine is
read duck-typed, through attribute names (`parents`, `op`, `data`, `grad`, by default those of the
reference engine of lesson 4: ``_prev``, ``_op``, ``data``, ``grad``), so any engine that keeps its
operands in order and names its operations fits. Nothing here knows a lesson.

The Graph is shaped like trace's (see `autograd_lessons.graph`): one "op" node per operation,
named as PyTorch names its node; each input value (a value without operands) is an AccumulateGrad
node with its "leaf"; a constant (operation name CONSTANTS) is a "cut" node, like an input autograd
does not track; each edge goes from an operation to its operands, in operand order (slot). Nodes
are numbered breadth-first from the output, in trace's order, so that the same program gives the
same Graph node for node (an engine that keeps its operands in a set draws x * x with one edge, not
two). Operation names, the engine's (case ignored) to PyTorch's:

    ========================  ==============================  ===========================
    engine's operation         operands                        PyTorch's node
    ========================  ==============================  ===========================
    add, +                     any                             AddBackward0
    sub, -                     two                             SubBackward0
    neg, -                     one                             NegBackward0
    mul, *                     any                             MulBackward0
    div, /                     any                             DivBackward0
    pow, ** (**2, **0.5 …)     the base                        PowBackward0
    exp, log, tanh, relu       one                             ExpBackward0, LogBackward0,
                                                               TanhBackward0, ReluBackward0
    sum, mean                  one                             SumBackward0, MeanBackward0
    matmul, @                  matrix @ matrix                 MmBackward0
    matmul, @                  matrix @ vector, vector @ …     MvBackward0, DotBackward0
    "" (no operands)           —                               AccumulateGrad + leaf
    const                      —                               cut (an untracked input)
    any other name             —                               its CamelCase + Backward0
    ========================  ==============================  ===========================

Where PyTorch records a program differently, the pictures differ there: `2 - x` is one
RsubBackward1 node that keeps the number (an engine's sub has a constant operand), `2 / x` is a
ReciprocalBackward0 then a MulBackward0, `vector @ matrix` is an unsqueeze, a MmBackward0 and a
squeeze, and a tensor constant on the left of `+` or `*` comes first among PyTorch's inputs.

Names: a `names=` dict ({"x": x}) names values (or the tensors they hold), and so do the caller's
variables that hold a value's tensor, as trace names tensors.
"""

from __future__ import annotations

from collections import deque

import torch

from autograd_lessons.callers import caller_tensor_names, learner_boundary
from autograd_lessons.graph import value_of
from autograd_lessons.graph_data import Edge, Graph, Node
from autograd_lessons.i18n import LessonError

# The attribute names of the reference engine: operands, operation, tensor, gradient.
PARENTS, OPERATION, DATA, GRAD = "_prev", "_op", "data", "grad"
CONSTANTS = ("const",)  # operation names of a value that holds a lifted number or tensor: a "cut" node
ACCUMULATE = "AccumulateGrad"  # PyTorch's node that writes a leaf's gradient
UNARY_MINUS = "NegBackward0"  # "-" with one operand; with two it is SubBackward0
# The engine's operation names (lower case) and PyTorch's nodes (see the table above).
PYTORCH_NAMES = {
    "add": "AddBackward0",
    "+": "AddBackward0",
    "sub": "SubBackward0",
    "-": "SubBackward0",
    "neg": "NegBackward0",
    "mul": "MulBackward0",
    "*": "MulBackward0",
    "div": "DivBackward0",
    "/": "DivBackward0",
    "pow": "PowBackward0",
    "**": "PowBackward0",
    "exp": "ExpBackward0",
    "log": "LogBackward0",
    "tanh": "TanhBackward0",
    "relu": "ReluBackward0",
    "sum": "SumBackward0",
    "mean": "MeanBackward0",
    "matmul": "MmBackward0",
    "@": "MmBackward0",
}
# A matrix product by the number of dimensions of its operands: PyTorch picks its kernel by them.
MATMUL_KINDS = {(2, 2): "MmBackward0", (2, 1): "MvBackward0", (1, 1): "DotBackward0"}
UNNAMED = "?"  # the node name of an operation whose engine gives it no name
_MISSING = object()


def _read(obj: object, attribute: str) -> object:
    """`obj.attribute`, or _MISSING when it has none (or reading it raises)."""
    try:
        return getattr(obj, attribute, _MISSING)
    except Exception:
        return _MISSING


def _kind(obj: object) -> str:
    return type(obj).__name__


def _dimensions(data: object) -> int | None:
    """How many dimensions a value's data has (a tensor's or an array's ndim), None if unknown."""
    found = _read(data, "ndim")
    return found if isinstance(found, int) else None


class _Engine:
    """How to read one engine's values: the attribute names, checked as the graph is walked."""

    def __init__(self, parents: str, op: str, data: str, grad: str) -> None:
        self.parents_name, self.op_name, self.data_name, self.grad_name = parents, op, data, grad

    def is_value(self, obj: object) -> bool:
        return not isinstance(obj, torch.Tensor) and _read(obj, self.parents_name) is not _MISSING

    def parents(self, value: object) -> tuple[object, ...]:
        """The operands of `value`, in order, each checked to be a value of the engine."""
        found = _read(value, self.parents_name)
        if not isinstance(found, (tuple, list, set, frozenset)):
            raise LessonError.of("engine_graph.error.parents_type", kind=_kind(found), parents=self.parents_name)
        for slot, parent in enumerate(found):
            if not self.is_value(parent):
                op = self.op(value) or UNNAMED
                raise LessonError.of(
                    "engine_graph.error.parent", op=op, slot=slot, kind=_kind(parent), parents=self.parents_name
                )
        return tuple(found)

    def op(self, value: object) -> str:
        found = _read(value, self.op_name)
        return found.strip() if isinstance(found, str) else ""

    def data(self, value: object) -> object:
        found = _read(value, self.data_name)
        return None if found is _MISSING else found

    def grad(self, value: object) -> object:
        found = _read(value, self.grad_name)
        return None if found is _MISSING else found

    def pytorch_name(self, value: object, operands: tuple[object, ...]) -> str:
        """PyTorch's node name for the operation that made `value` (see the module's table)."""
        op = self.op(value)
        key = op.lower()
        if key == "-" and len(operands) == 1:
            return UNARY_MINUS
        if key in ("matmul", "@") and len(operands) == 2:
            dims = tuple(_dimensions(self.data(operand)) for operand in operands)
            return MATMUL_KINDS.get(dims, PYTORCH_NAMES[key])
        if key.startswith("**"):
            return PYTORCH_NAMES["**"]
        if key in PYTORCH_NAMES:
            return PYTORCH_NAMES[key]
        if op.isidentifier():
            return "".join(part[:1].upper() + part[1:] for part in op.split("_")) + "Backward0"
        return op or UNNAMED


def _check_acyclic(roots: tuple[object, ...], engine: _Engine) -> None:
    """A LessonError if some value is among its own operands, however far down (a depth-first
    walk with an explicit stack: a value still open when it is reached again closes a cycle)."""
    state: dict[int, bool] = {}  # id -> True while its operands are being walked, False when done
    for root in roots:
        if id(root) in state:
            continue
        stack = [(root, iter(engine.parents(root)))]
        state[id(root)] = True
        while stack:
            value, operands = stack[-1]
            parent = next(operands, _MISSING)
            if parent is _MISSING:
                state[id(value)] = False
                stack.pop()
            elif state.get(id(parent)) is True:
                raise LessonError.of(
                    "engine_graph.error.cycle", op=engine.op(parent) or UNNAMED, parents=engine.parents_name
                )
            elif id(parent) not in state:
                state[id(parent)] = True
                stack.append((parent, iter(engine.parents(parent))))


def _names(names: object, engine: _Engine) -> dict[str, object]:
    """`names` with each engine value replaced by the tensor it holds (how values are named)."""
    if names is None:
        return {}
    if not isinstance(names, dict):
        raise LessonError.of("engine_graph.error.names", kind=_kind(names))
    tensors = {}
    for name, obj in names.items():
        held = engine.data(obj) if engine.is_value(obj) else obj
        if isinstance(held, torch.Tensor):
            tensors[str(name)] = held
    return tensors


@learner_boundary
def engine_graph(
    value: object,
    names: dict[str, object] | None = None,
    *,
    parents: str = PARENTS,
    op: str = OPERATION,
    data: str = DATA,
    grad: str = GRAD,
) -> Graph:
    """The graph of `value`, a hand-written engine's result (or a tuple or list of results), as
    `trace` makes PyTorch's: draw it with `draw(engine_graph(value))`.

    `parents`, `op`, `data` and `grad` name the attributes that hold a value's operands (in
    order), its operation's name, its tensor and its gradient. Values are named from `names`
    ({"x": x}) and from the caller's variables that hold their tensors. A LessonError says what to
    do when `value` is not a value of the engine, when an operand is not one, or when the values
    form a cycle.
    """
    engine = _Engine(parents, op, data, grad)
    roots = tuple(value) if isinstance(value, (tuple, list)) and value else (value,)
    for root in roots:
        if isinstance(root, torch.Tensor):
            raise LessonError.of("engine_graph.error.tensor")
        if not engine.is_value(root):
            raise LessonError.of("engine_graph.error.not_value", kind=_kind(root), parents=parents, op=op)
    _check_acyclic(roots, engine)
    found = caller_tensor_names(_names(names, engine))
    try:
        return _walk(roots, engine, found.by_tensor)
    finally:
        found.release()


def _walk(roots: tuple[object, ...], engine: _Engine, by_tensor: dict[int, str]) -> Graph:
    """Breadth-first from the outputs, numbering nodes in the order trace's walk does."""
    nodes: list[Node] = []
    edges: list[Edge] = []
    index_of: dict[tuple[str, int], int] = {}
    queue: deque = deque()

    def name_of(v: object) -> str | None:
        return by_tensor.get(id(engine.data(v)))

    def leaf(v: object) -> Node:
        grad = engine.grad(v)
        shown = value_of(grad) if grad is not None else None
        return Node(len(nodes), "leaf", name=name_of(v), value=value_of(engine.data(v)), grad=shown)

    def cut(v: object) -> Node:
        return Node(len(nodes), "cut", name=name_of(v), value=value_of(engine.data(v)))

    def node_for(v: object) -> int:
        """The index of the node an edge to `v` reaches (made and queued the first time)."""
        operands = engine.parents(v)
        if not operands and engine.op(v) in CONSTANTS:
            nodes.append(cut(v))  # like trace, one cut node per use
            return len(nodes) - 1
        key = ("op" if operands else "accumulate", id(v))
        if key not in index_of:
            index_of[key] = len(nodes)
            op = engine.pytorch_name(v, operands) if operands else ACCUMULATE
            nodes.append(Node(len(nodes), "op", op=op, name=name_of(v) if operands else None))
            queue.append(v)
        return index_of[key]

    outputs = []
    for root in roots:
        if engine.parents(root) or engine.op(root) in CONSTANTS:
            outputs.append(node_for(root))
        else:  # an input given alone: its leaf, as trace shows a leaf tensor
            key = ("leaf", id(root))
            if key not in index_of:
                index_of[key] = len(nodes)
                nodes.append(leaf(root))
            outputs.append(index_of[key])
    while queue:
        v = queue.popleft()
        operands = engine.parents(v)
        i = index_of[("op" if operands else "accumulate", id(v))]
        if not operands:  # an AccumulateGrad: its leaf follows it
            edges.append(Edge(i, len(nodes), 0, 0))
            nodes.append(leaf(v))
            continue
        for slot, operand in enumerate(operands):
            edges.append(Edge(i, node_for(operand), slot, 0))
    return Graph(tuple(nodes), tuple(edges), outputs=tuple(dict.fromkeys(outputs)))


__all__ = ["ACCUMULATE", "CONSTANTS", "DATA", "GRAD", "OPERATION", "PARENTS", "PYTORCH_NAMES", "engine_graph"]
