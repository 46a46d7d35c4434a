"""The learner's variable names, captured once where the learner calls a public helper.

`trace`, `draw`, `backward_steps` and `backward_stepper` label tensors with the names the
learner gave them. Each of them is wrapped by `learner_boundary`, which notes the frame that
called it: the learner's cell (or the learner's own function). A public helper called by
another one (draw calling the graph builder, backward_stepper calling backward_steps) keeps
the outer call's frame, so however deep the package's own calls go, `caller_tensor_names`
reads the learner's variables (after any `names=` given explicitly), skipping private names
(IPython's _, _3 …) and non-identifiers (pytest's @py_assert1), and leaves no reference to the
learner's tensors behind. This is the only module that reads frames.
"""

from __future__ import annotations

import contextvars
import functools
import sys
from collections.abc import Callable
from typing import TypeVar

import torch

Helper = TypeVar("Helper", bound=Callable)

# The frame that called the outermost public helper now running (None outside one): set and
# reset by learner_boundary, so it is held only while that call runs.
_learner_frame: contextvars.ContextVar = contextvars.ContextVar("autograd_lessons_learner_frame", default=None)


class TensorNames:
    """Variable names of the learner's tensors, looked up by identity (nothing kept after use).

    `by_tensor` maps id(tensor) to its name and `by_fn` id(tensor.grad_fn) to the same name;
    `tensor_of_fn` maps id(grad_fn) to the named tensor itself (to read a retained .grad).
    Call `release()` once the names are used, so no tensor is kept alive by them.
    """

    def __init__(self, names: dict[str, object] | None, frame) -> None:
        self.by_tensor: dict[int, str] = {}
        self.by_fn: dict[int, str] = {}
        self.tensor_of_fn: dict[int, torch.Tensor] = {}
        self._alive: list[object] = []  # keeps grad_fn wrappers alive so their ids stay unique
        scopes = []
        if names:
            scopes.append(names)
        snapshot = None
        if frame is not None:
            local_scope = frame.f_locals
            # Before Python 3.13, f_locals of a function frame is a dict snapshot that the
            # frame keeps, holding strong references to the caller's tensors even after `del`.
            if type(local_scope) is dict and local_scope is not frame.f_globals:
                snapshot = local_scope
            scopes.extend([local_scope, frame.f_globals])
        for scope in scopes:
            for key, obj in list(scope.items()):
                if not isinstance(obj, torch.Tensor) or not isinstance(key, str):
                    continue
                # Skip private names (IPython's _, _3 …) and non-names (pytest's @py_assert1).
                if scope is not names and (key.startswith("_") or not key.isidentifier()):
                    continue
                self.by_tensor.setdefault(id(obj), key)
                fn = obj.grad_fn
                if fn is not None:
                    self._alive.append(fn)
                    self.by_fn.setdefault(id(fn), key)
                    self.tensor_of_fn.setdefault(id(fn), obj)
                self._alive.append(obj)
        if snapshot is not None:
            snapshot.clear()  # the frame's fast locals are untouched; locals() rebuilds it

    def release(self) -> None:
        self._alive.clear()
        self.tensor_of_fn.clear()


def learner_boundary(helper: Helper) -> Helper:
    """Mark `helper` as a public helper that names tensors: while it runs, the frame that called
    it is the learner's (unless a public helper is already running: then its caller stays)."""

    @functools.wraps(helper)
    def boundary(*args, **kwargs):
        if _learner_frame.get() is not None:
            return helper(*args, **kwargs)
        token = _learner_frame.set(sys._getframe(1))
        try:
            return helper(*args, **kwargs)
        finally:
            _learner_frame.reset(token)

    return boundary


def caller_tensor_names(names: dict[str, object] | None = None) -> TensorNames:
    """The names of the tensors visible where the learner called the public helper now running
    (`names` first); only `names` outside a public helper."""
    return TensorNames(names, _learner_frame.get())


__all__ = ["TensorNames", "caller_tensor_names", "learner_boundary"]
