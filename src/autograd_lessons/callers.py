"""The learner's variable names, found once for every helper that names tensors.

`trace`, `draw`, `backward_steps` and `backward_stepper` label tensors with the names the
learner gave them. They all ask `caller_tensor_names`, which reads the calling cell's variables
(after any `names=` given explicitly), skipping private names (IPython's _, _3 …) and
non-identifiers (pytest's @py_assert1), and leaves no reference to the learner's tensors behind.
"""

from __future__ import annotations

import sys

import torch


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


def caller_tensor_names(names: dict[str, object] | None = None, *, skip: int = 1) -> TensorNames:
    """The names of the tensors visible where the learner called a helper.

    `skip` is how many frames lie between this call and the learner's code: 1 when a public
    helper calls this directly (the helper's own frame is skipped).
    """
    frame = sys._getframe(skip + 1)
    try:
        return TensorNames(names, frame)
    finally:
        del frame


__all__ = ["TensorNames", "caller_tensor_names"]
