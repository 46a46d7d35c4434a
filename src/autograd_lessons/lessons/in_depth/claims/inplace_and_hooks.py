"""Lesson 4's claims of § 6 and § 7: in-place operations and views, hooks."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import torch

from autograd_lessons.i18n import LessonError, message, text
from autograd_lessons.lessons.in_depth import LESSON
from autograd_lessons.lessons.in_depth.claims.memory import SavedCounter, saved_in_graph
from autograd_lessons.lessons.in_depth.maths import (
    exp_derivative,
    first_line,
    floats,
    grad_sum_of_squares,
    labelled,
    lesson_x,
    same_shape,
)
from autograd_lessons.numbers import shape_text, values_text
from autograd_lessons.verdicts import (
    Verdict,
    agreement,
    compare,
    evidence,
    fact,
    fd_check,
    shown,
    worst,
    yes_no,
)

claim = LESSON.claim
LESSON_SEED = 0


# --------------------------------------------------------------------------- § 6 in place and views


def default_operations() -> tuple[Callable[[torch.Tensor], object], ...]:
    return (lambda t: t.add_(1), lambda t: t.mul_(2), lambda t: t.clamp_(max=5))


@claim("l4.version_counter", cell=6, quote="prose")
def _version_counter(x: object = None, operations: Sequence[Callable[[torch.Tensor], object]] | None = None) -> Verdict:
    """Apply each operation to a fresh tensor: _version must go up by exactly one each time."""
    x = lesson_x() if x is None else floats(x)
    operations = default_operations() if operations is None else tuple(operations)
    t = x.clone()
    versions = [t._version]
    for operation in operations:
        operation(t)
        versions.append(t._version)
    steps = [after - before for before, after in zip(versions, versions[1:], strict=False)]
    return fact(
        bool(steps) and all(step == 1 for step in steps),
        evidence("lesson4.evidence.versions", versions=" → ".join(map(str, versions)), count=len(operations)),
        versions=versions,
    )


VERSION_WORDS = re.compile(r"is at version (\d+); expected version (\d+)")


@claim("l4.inplace_breaks_backward", cell=6, quote="prose")
def _inplace_breaks(x: object = None, forward: Callable[[torch.Tensor], torch.Tensor] = torch.exp) -> Verdict:
    """y = forward(x); y.add_(1); y.sum().backward() must raise the "modified by an inplace
    operation" RuntimeError, and the versions it names must be y's _version before and after."""
    x = torch.tensor([1.0, 2.0]) if x is None else floats(x)
    leaf = x.clone().requires_grad_(True)
    y = forward(leaf)
    before = y._version
    y.add_(1)
    after = y._version
    try:
        y.sum().backward()
    except RuntimeError as error:
        raised = first_line(error)
    else:
        raised = None
    named = VERSION_WORDS.search(raised or "")
    holds = (
        raised is not None
        and "modified by an inplace operation" in raised
        and named is not None
        and (int(named[1]), int(named[2])) == (after, before)
    )
    return fact(
        holds,
        evidence(
            "lesson4.evidence.inplace", before=before, after=after, raised=raised or text("lesson4.nothing_raised")
        ),
        raised=raised,
        before=before,
        after=after,
    )


@claim("l4.view_shares_base", cell=6, quote="prose")
def _view_shares_base(x: object = None, take: Callable[[torch.Tensor], torch.Tensor] | None = None) -> Verdict:
    """h = 2x; v = take(h) (h[1:3]); v._base is h; after v.mul_(10), h equals 2x with h[1:3] × 10."""
    x = lesson_x() if x is None else floats(x)
    if x.dim() != 1 or x.numel() < 3:
        raise LessonError(message("lesson4.error.vector", name="x", least=3, shape=shape_text(x.shape)))
    take = take or (lambda h: h[1:3])
    leaf = x.clone().requires_grad_(True)
    h = leaf * 2
    v = take(h)
    base_is_h = v._base is h
    v.mul_(10)
    expected = 2 * x
    expected[1:3] *= 10
    found = agreement(
        compare(h.detach(), expected), f"h = {shown(h)}", labelled("lesson4.expected_h", values_text(expected))
    )
    based = fact(
        base_is_h,
        evidence("lesson4.evidence.base", base=yes_no(base_is_h), grad_fn=type(h.grad_fn).__name__),
        base_is_h=base_is_h,
    )
    return worst(based, found)


# --------------------------------------------------------------------------- § 7 hooks


@claim("l4.tensor_hook_replaces", cell=7, quote="prose")
def _tensor_hook(x: object = None) -> Verdict:
    """y = x·x with a hook that records and doubles dz/dy; z = sum(y): the hook sees ones and
    x.grad = 2 · 2x (formula), not 2x."""
    x = lesson_x() if x is None else floats(x)
    leaf = x.clone().requires_grad_(True)
    y = leaf * leaf
    seen = []

    def hook(grad: torch.Tensor) -> torch.Tensor:
        seen.append(grad.clone())
        return 2 * grad

    y.register_hook(hook)
    y.sum().backward()
    ones = torch.ones_like(x)
    formula = 2 * grad_sum_of_squares(x)
    saw = agreement(
        compare(seen[0], ones), labelled("lesson4.hook_saw", shown(seen[0])), f"∂z/∂y = {values_text(ones)}"
    )
    found = agreement(compare(leaf.grad, formula), f"x.grad = {shown(leaf.grad)}", f"2 · 2x = {values_text(formula)}")
    return worst(saw, found, fd_check(lambda t: (t * t).sum(), x, formula / 2))


@claim("l4.node_hooks_see_gradients", cell=7, quote="prose")
def _node_hooks(x: object = None, w: object = None) -> Verdict:
    """y = exp(x), z = sum(w·y): ExpBackward0's pre-hook sees w; its hook sees w·exp(x) going out."""
    x = torch.tensor([0.0, 1.0, -1.0]) if x is None else floats(x)
    w = torch.tensor([1.0, 2.0, 3.0]).to(x.dtype) if w is None else floats(w, "w")
    same_shape(x, w, "w")
    leaf = x.clone().requires_grad_(True)
    y = leaf.exp()
    arriving, leaving = [], []
    y.grad_fn.register_prehook(lambda grad_outputs: arriving.append(grad_outputs[0].clone()))
    y.grad_fn.register_hook(lambda grad_inputs, grad_outputs: leaving.append(grad_inputs[0].clone()))
    (w * y).sum().backward()
    out_formula = w * exp_derivative(x)
    came = agreement(
        compare(arriving[0], w), labelled("lesson4.prehook_saw", shown(arriving[0])), f"w = {values_text(w)}"
    )
    went = agreement(
        compare(leaving[0], out_formula),
        labelled("lesson4.hook_sent", shown(leaving[0])),
        f"w·exp(x) = {values_text(out_formula)}",
    )
    return worst(came, went, fd_check(lambda t: (w.to(t.dtype) * t.exp()).sum(), x, out_formula))


@claim("l4.pack_hook_counts_saved", cell=7, quote="prose")
def _pack_hook_counts(x: object = None, forward: Callable[[torch.Tensor], torch.Tensor] | None = None) -> Verdict:
    """Count pack-hook calls during forward(x) (default exp(x)·x) and compare with the tensors the
    graph shows as saved (walking _saved_* attributes, a second count)."""
    x = lesson_x() if x is None else floats(x)
    forward = forward or (lambda t: t.exp() * t)
    leaf = x.clone().requires_grad_(True)
    with SavedCounter() as counter:
        y = forward(leaf)
    in_graph = saved_in_graph(y.grad_fn) if y.grad_fn is not None else 0
    return fact(
        counter.count == in_graph and counter.count > 0,
        evidence("lesson4.evidence.packed", count=counter.count, bytes=counter.bytes, in_graph=in_graph),
        packed=counter.count,
        in_graph=in_graph,
    )
