"""Which nodes of a graph each submodule created: recorded where the learner asks, read by `trace`.

A node does not know which `nn.Module` made it, and after the forward pass nothing else does.
So the forward pass is recorded: inside `with record_modules(model):`, every call of one of the
model's submodules notes the range of autograd *sequence numbers* it spans. PyTorch numbers
each node of the graph as it is created (`grad_fn._sequence_nr()`, one counter per thread), and
the nodes created inside a module's forward are exactly those numbered after its call began and
before it returned. To read the counter at those two moments, a probe creates one tiny node (a
multiplication of a 0-d tensor) and reads its number: a few microseconds per module call, only
while gradients are recorded, and only for that model's submodules during the block. Outside
the block no hook is installed: the package costs a model nothing when it does not record it.

`trace(y, modules=model)` then puts each op node in the submodules whose ranges hold its number
(a module called 50 times, like an unrolled RNN cell, has 50 ranges), each parameter's
AccumulateGrad and leaf in the module that owns the parameter, and each untracked input with the
node that uses it. A module's group holds every node created inside its forward, its
submodules' included, so groups nest as the modules do. The ranges outlive the block (kept per
module, weakly, the last CALLS_KEPT calls), so a graph recorded once can be drawn many times.
"""

from __future__ import annotations

import contextlib
import threading
import weakref
from collections import deque
from collections.abc import Iterator

import torch

from autograd_lessons.graph_data import Graph, Group
from autograd_lessons.i18n import LessonError, message

CALLS_KEPT = 4096  # ranges kept per module: an RNN cell unrolled over thousands of steps still fits
_ranges: weakref.WeakKeyDictionary[torch.nn.Module, deque] = weakref.WeakKeyDictionary()
_local = threading.local()  # per thread: the stack of (module, start) of the calls under way
# id(module) -> [number of record_modules blocks recording it now, its two hook handles]. Blocks
# that nest (the same model twice, or a model and one of its parts) share one pair of hooks.
_hooked: dict[int, list] = {}
_lock = threading.Lock()  # blocks may start and end in several threads


def _probe() -> int:
    """The autograd sequence number the next node will get, minus one (by creating a node).
    Called only while gradients are recorded (inference mode turns recording off too)."""
    return _PROBE.mul(1).grad_fn._sequence_nr()


_PROBE = torch.zeros((), requires_grad=True)


def _stack() -> list:
    stack = getattr(_local, "stack", None)
    if stack is None:
        stack = _local.stack = []
    return stack


def _before(module: torch.nn.Module, args: tuple) -> None:
    _stack().append((module, _probe() if torch.is_grad_enabled() else None))


def _after(module: torch.nn.Module, args: tuple, output: object) -> None:
    stack = _stack()
    while stack:  # a call whose forward raised never reached here; drop it with this one
        entry, start = stack.pop()
        if entry is module:
            break
    else:
        return
    if start is None or not torch.is_grad_enabled():  # under torch.no_grad() or inference mode
        return
    calls = _ranges.get(module)
    if calls is None:
        calls = _ranges[module] = deque(maxlen=CALLS_KEPT)
    calls.append((start, _probe()))


def submodules_of(model: object) -> list[tuple[str, torch.nn.Module]]:
    """(qualified name, module) of every submodule of `model`; a LessonError for anything that
    is not a model made of layers."""
    if not isinstance(model, torch.nn.Module):
        raise LessonError(message("graph.error.modules_not_module", kind=type(model).__name__)) from None
    submodules = [(name, module) for name, module in model.named_modules() if name]
    if not submodules:
        raise LessonError(message("graph.error.modules_none", kind=type(model).__name__)) from None
    return submodules


@contextlib.contextmanager
def record_modules(model: torch.nn.Module) -> Iterator[torch.nn.Module]:
    """Record which graph nodes each submodule of `model` creates while the block runs.

        with record_modules(net):
            out = net(x)
        draw(out, modules=net)  # a frame around the nodes of each layer, "0 (Linear)"

    Only the model's own submodules get hooks, only for the block: outside it the model runs
    at full speed. Hooks are removed when the block ends, also when the forward raises. Blocks
    may nest; a forward run under torch.no_grad() creates no node and records nothing. Every
    recorded forward can be drawn later (the last CALLS_KEPT calls of each submodule are kept).

    A limit: a call is known by the range of node numbers made during it, and each thread numbers
    its nodes on its own; a node another thread made whose number falls in that range is framed
    with the module. Run the forward you draw and the inputs it uses in one thread.
    """
    modules = [module for _, module in submodules_of(model)]
    with _lock:
        for module in modules:
            entry = _hooked.get(id(module))
            if entry is None:
                pre = module.register_forward_pre_hook(_before)
                post = module.register_forward_hook(_after)
                _hooked[id(module)] = [1, pre, post]
            else:
                entry[0] += 1
    try:
        yield model
    finally:
        with _lock:
            for module in modules:
                entry = _hooked[id(module)]
                entry[0] -= 1
                if not entry[0]:
                    entry[1].remove()
                    entry[2].remove()
                    del _hooked[id(module)]
        ours = {id(module) for module in modules}
        stack = _stack()
        stack[:] = [(module, start) for module, start in stack if id(module) not in ours]  # calls that raised


def check_recorded(model: object, func: str) -> list[tuple[str, torch.nn.Module]]:
    """The submodules of `model` (as `submodules_of`); a LessonError telling what to write unless
    `model` ran inside record_modules. `func` is the helper the learner called."""
    submodules = submodules_of(model)
    if not any(module in _ranges for _, module in submodules):
        raise LessonError(message("graph.error.modules_not_recorded", kind=type(model).__name__, func=func)) from None
    return submodules


def module_groups(graph: Graph, fns: list[object], model: torch.nn.Module, func: str) -> tuple[Group, ...]:
    """The "module" groups of `graph` (walked with grad_fns `fns`) for the submodules of `model`.

    A LessonError when none of the graph's operations was made during a recorded call: the
    forward pass that made these tensors ran outside record_modules.
    """
    submodules = check_recorded(model, func)
    owner: dict[int, int] = {}  # id(parameter) -> position in submodules of the module that owns it
    for position, (_, module) in enumerate(submodules):
        for parameter in module.parameters(recurse=False):
            owner[id(parameter)] = position
    ranges = [tuple(_ranges.get(module, ())) for _, module in submodules]

    inside: list[set[int]] = [set() for _ in submodules]
    recorded = False  # some operation of the graph was made inside a recorded call
    for index, fn in enumerate(fns):
        if fn is None:
            continue
        if type(fn).__name__ == "AccumulateGrad":
            position = owner.get(id(getattr(fn, "variable", None)))
            if position is not None:
                inside[position].add(index)
                inside[position].update(e.target for e in graph.children[index])  # its leaf
            continue
        number = fn._sequence_nr()
        for position, calls in enumerate(ranges):
            if any(start < number < end for start, end in calls):
                recorded = True
                inside[position].add(index)
                inside[position].update(e.target for e in graph.children[index] if graph.nodes[e.target].kind == "cut")
    if not recorded:
        raise LessonError(message("graph.error.modules_other_forward", kind=type(model).__name__, func=func)) from None
    return _nested(submodules, inside)


def _nested(submodules: list[tuple[str, torch.nn.Module]], inside: list[set[int]]) -> tuple[Group, ...]:
    """One group per submodule that holds nodes, nested as the modules are: a parameter's node
    belongs to its module's ancestors too."""
    names = [name for name, _ in submodules]
    for position, name in enumerate(names):
        for other, candidate in enumerate(names):
            if other != position and name.startswith(candidate + "."):
                inside[other] |= inside[position]
    groups: list[Group] = []
    group_of: dict[str, int] = {}
    for position, (name, module) in enumerate(submodules):
        if not inside[position]:
            continue
        parent_name = name.rpartition(".")[0]
        while parent_name and parent_name not in group_of:
            parent_name = parent_name.rpartition(".")[0]
        group_of[name] = len(groups)
        groups.append(
            Group(
                kind="module",
                label=f"{name} ({type(module).__name__})",
                name=name,
                members=tuple(sorted(inside[position])),
                parent=group_of.get(parent_name) if parent_name else None,
            )
        )
    return tuple(groups)


__all__ = ["CALLS_KEPT", "check_recorded", "module_groups", "record_modules", "submodules_of"]
