"""Which nodes of a graph each submodule created: recorded while models run, read by `trace`.

A node does not know which `nn.Module` made it, and after the forward pass nothing else does.
So, from the moment the package's graph helpers are imported, every module call notes the range
of autograd *sequence numbers* it spans: PyTorch numbers each node of the graph as it is created
(`grad_fn._sequence_nr()`, one counter per thread), and the nodes created inside a module's
forward are exactly those numbered after its call began and before it returned. To read the
counter at those two moments, a probe creates one tiny node (a multiplication of a 0-d tensor)
and reads its number: a few microseconds per module call, only while gradients are recorded.

`trace(y, modules=model)` then puts each op node in the submodules whose ranges hold its number
(a module called 50 times, like an unrolled RNN cell, has 50 ranges), each parameter's
AccumulateGrad and leaf in the module that owns the parameter, and each untracked input with the
node that uses it. A module's group holds every node created inside its forward, its
submodules' included, so groups nest as the modules do.
"""

from __future__ import annotations

import threading
import weakref
from collections import deque

import torch

from autograd_lessons.i18n import LessonError, message

CALLS_KEPT = 4096  # ranges kept per module: an RNN cell unrolled over thousands of steps still fits
_ranges: "weakref.WeakKeyDictionary[torch.nn.Module, deque]" = weakref.WeakKeyDictionary()
_local = threading.local()  # per thread: the stack of (module, start) of the calls under way
_installed: list = []  # the two global hook handles, once installed


def _probe() -> int:
    """The autograd sequence number the next node will get, minus one (by creating a node).
    Called only while gradients are recorded (inference mode turns recording off too)."""
    return _PROBE.mul(1).grad_fn._sequence_nr()


_PROBE = torch.zeros((), requires_grad=True)


def _before(module: torch.nn.Module, args: tuple) -> None:
    stack = getattr(_local, "stack", None)
    if stack is None:
        stack = _local.stack = []
    stack.append((module, _probe() if torch.is_grad_enabled() else None))


def _after(module: torch.nn.Module, args: tuple, output: object) -> None:
    stack = getattr(_local, "stack", None)
    if not stack:
        return
    while stack:  # a call whose forward raised never reached here; drop it with this one
        entry, start = stack.pop()
        if entry is module:
            break
    else:
        return
    if start is None:
        return
    calls = _ranges.get(module)
    if calls is None:
        calls = _ranges[module] = deque(maxlen=CALLS_KEPT)
    calls.append((start, _probe()))


def install() -> None:
    """Start recording module calls (idempotent); `autograd_lessons.graph` calls it on import.

    Global module hooks send every module call down PyTorch's slower path: about 18 µs more per
    call here (a 30-layer forward of tiny Linear layers, 0.26 → 0.84 ms). Lessons do not notice;
    a long training run in the same kernel can call `uninstall()` first.
    """
    if not _installed:
        _installed.append(torch.nn.modules.module.register_module_forward_pre_hook(_before))
        _installed.append(torch.nn.modules.module.register_module_forward_hook(_after))


def uninstall() -> None:
    """Stop recording module calls (`trace(y, modules=…)` then needs `install()` and a new forward)."""
    while _installed:
        _installed.pop().remove()


def module_groups(graph, fns: list[object], model: object) -> tuple:
    """The "module" groups of `graph` (walked with grad_fns `fns`) for the submodules of `model`."""
    from autograd_lessons.graph import Group

    if not isinstance(model, torch.nn.Module):
        raise LessonError(message("graph.error.modules_not_module", kind=type(model).__name__))
    submodules = [(name, module) for name, module in model.named_modules() if name]
    if not submodules:
        raise LessonError(message("graph.error.modules_none", kind=type(model).__name__))
    if not any(module in _ranges for _, module in submodules):
        raise LessonError(message("graph.error.modules_not_recorded", kind=type(model).__name__))

    owner: dict[int, int] = {}  # id(parameter) -> position in submodules of the module that owns it
    for position, (_, module) in enumerate(submodules):
        for parameter in module.parameters(recurse=False):
            owner[id(parameter)] = position
    ranges = [tuple(_ranges.get(module, ())) for _, module in submodules]

    inside: list[set[int]] = [set() for _ in submodules]
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
                inside[position].add(index)
                inside[position].update(e.target for e in graph.children[index] if graph.nodes[e.target].kind == "cut")
    # A parameter's node belongs to its module's ancestors too (groups nest like the modules).
    names = [name for name, _ in submodules]
    for position, name in enumerate(names):
        for other, candidate in enumerate(names):
            if other != position and name.startswith(candidate + "."):
                inside[other] |= inside[position]

    groups: list = []
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


__all__ = ["CALLS_KEPT", "install", "module_groups", "uninstall"]
