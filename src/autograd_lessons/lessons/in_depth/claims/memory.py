"""Lesson 4's claims of § 3 to § 5: what the backward pass frees, higher-order derivatives, recording switched off."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence

import torch

from autograd_lessons.i18n import text
from autograd_lessons.lessons.in_depth import LESSON
from autograd_lessons.lessons.in_depth.maths import (
    exp_derivative,
    first_line,
    floats,
    grad_quartic,
    hvp_quartic,
    same_shape,
    second_derivative_of_cube,
)
from autograd_lessons.numbers import values_text
from autograd_lessons.verdicts import (
    ULP_TOLERANCE,
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


# --------------------------------------------------------------------------- § 3 retain_graph


def exp_graph(a: torch.Tensor):
    a = a.clone().requires_grad_(True)
    return a, a.exp()


def saved_readable(node: object, name: str = "_saved_result") -> bool:
    try:
        getattr(node, name)
    except RuntimeError:
        return False
    return True


@claim("l4.second_backward_fails", cell=3, quote="prose")
def _second_backward_fails(a: object = None, retain_graph: bool = False) -> Verdict:
    """b = exp(a): after b.backward(), b.grad_fn._saved_result cannot be read and a second
    backward raises the RuntimeError that says "second time"."""
    a = torch.tensor([1.0, 2.0]) if a is None else floats(a, "a")
    a, b = exp_graph(a)
    before = saved_readable(b.grad_fn)
    b.sum().backward(retain_graph=bool(retain_graph))
    after = saved_readable(b.grad_fn)
    try:
        b.sum().backward()
    except RuntimeError as error:
        raised = first_line(error)
    else:
        raised = None
    holds = before and not after and raised is not None and "second time" in raised
    return fact(
        holds,
        evidence(
            "lesson4.evidence.freed",
            before=yes_no(before),
            after=yes_no(after),
            raised=raised or text("lesson4.nothing_raised"),
        ),
        saved_before=before,
        saved_after=after,
        raised=raised,
    )


@claim("l4.retain_graph_adds_again", cell=3, quote="prose")
def _retain_graph_adds(a: object = None, retain_graph: bool = True) -> Verdict:
    """With retain_graph=True: the saved result is still readable, and a.grad = 2·exp(a)."""
    a = torch.tensor([1.0, 2.0]) if a is None else floats(a, "a")
    leaf, b = exp_graph(a)
    b.sum().backward(retain_graph=bool(retain_graph))
    kept = saved_readable(b.grad_fn)
    try:
        b.sum().backward()
    except RuntimeError as error:
        return fact(False, evidence("lesson4.evidence.raised", raised=first_line(error)), raised=first_line(error))
    formula = 2 * exp_derivative(a)
    found = agreement(compare(leaf.grad, formula), f"a.grad = {shown(leaf.grad)}", f"2·exp(a) = {values_text(formula)}")
    kept_fact = fact(kept, evidence("lesson4.evidence.kept", kept=yes_no(kept)), kept=kept)
    return worst(kept_fact, found, fd_check(lambda t: 2 * t.exp().sum(), a, formula))


# --------------------------------------------------------------------------- § 4 higher order


@claim("l4.second_derivative", cell=4, quote="prose")
def _second_derivative(x: object = None, create_graph: bool = True) -> Verdict:
    """d²/dx² x³ by two torch.autograd.grad calls against 6x; 6x against FD of 3x²."""
    x = torch.tensor([-1.0, 0.5, 2.0]) if x is None else floats(x)
    t = x.clone().requires_grad_(True)
    (first,) = torch.autograd.grad((t**3).sum(), t, create_graph=bool(create_graph))
    try:
        (second,) = torch.autograd.grad(first.sum(), t)
    except RuntimeError as error:
        return fact(False, evidence("lesson4.evidence.raised", raised=first_line(error)), raised=first_line(error))
    formula = second_derivative_of_cube(x)
    found = agreement(compare(second, formula), f"d²y/dx² = {shown(second)}", f"6x = {values_text(formula)}")
    return worst(found, fd_check(lambda s: (3 * s * s).sum(), x, formula))


def lesson_v() -> torch.Tensor:
    return torch.tensor([1.0, 0.0, -1.0])


@claim("l4.hessian_vector_product", cell=4, quote="prose")
def _hvp(x: object = None, v: object = None) -> Verdict:
    """grad(∇f · v) for f = (xᵀx)²/4 against (xᵀx) v + 2 x (xᵀv); that formula against FD of v·∇f."""
    x = torch.tensor([-1.0, 0.5, 2.0]) if x is None else floats(x)
    v = lesson_v().to(x.dtype) if v is None else floats(v, "v")
    same_shape(x, v, "v")
    t = x.clone().requires_grad_(True)
    (g,) = torch.autograd.grad(((t * t).sum() ** 2 / 4), t, create_graph=True)
    (hv,) = torch.autograd.grad((g * v).sum(), t)
    formula = hvp_quartic(x, v)
    found = agreement(
        compare(hv, formula, tolerance=ULP_TOLERANCE + x.numel()),
        f"H v = {shown(hv)}",
        f"(xᵀx) v + 2 x (xᵀv) = {values_text(formula)}",
    )
    return worst(found, fd_check(lambda s: (grad_quartic(s) * v.to(s.dtype)).sum(), x, formula))


# --------------------------------------------------------------------------- § 5 recording off


class SavedCounter:
    """A saved_tensors_hooks context that counts the tensors (and bytes) autograd saves."""

    def __init__(self) -> None:
        self.count = 0
        self.bytes = 0
        self._hooks = torch.autograd.graph.saved_tensors_hooks(self._pack, lambda packed: packed)

    def _pack(self, tensor: torch.Tensor) -> torch.Tensor:
        self.count += 1
        self.bytes += tensor.numel() * tensor.element_size()
        return tensor

    def __enter__(self) -> SavedCounter:
        self._hooks.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._hooks.__exit__(*exc)


def small_network(seed: int = LESSON_SEED) -> torch.nn.Module:
    torch_state = torch.random.get_rng_state()
    try:
        torch.manual_seed(seed)
        return torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.Tanh(), torch.nn.Linear(16, 1))
    finally:
        torch.random.set_rng_state(torch_state)


def saved_in_graph(root: object) -> int:
    """How many tensors the graph below `root` keeps: tensor-valued _saved_* attributes, plus the
    saved_tensors of custom Functions (a second count, by walking the graph, not by hooks)."""
    seen, stack, count = set(), [root], 0
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        for name in dir(node):
            if name.startswith("_saved_"):
                try:
                    value = getattr(node, name)
                except RuntimeError:
                    continue
                if isinstance(value, torch.Tensor):
                    count += 1
                elif isinstance(value, (tuple, list)):
                    count += sum(isinstance(item, torch.Tensor) for item in value)
        if hasattr(node, "saved_tensors") and not type(node).__name__.endswith("Backward0"):
            with contextlib.suppress(RuntimeError):
                count += len(node.saved_tensors)
        stack.extend(child for child, _ in node.next_functions)
    return count


@claim("l4.no_grad_records_nothing", cell=5, quote="prose")
def _records_nothing(contexts: Sequence[Callable[[], object]] = (torch.no_grad, torch.inference_mode)) -> Verdict:
    """For each context: the output has no grad_fn, does not require grad, and the pack hook counts
    zero saved tensors; the same forward with recording on saves as many tensors as the graph shows."""
    net = small_network()
    inputs = torch.randn(4, 8, generator=torch.Generator().manual_seed(LESSON_SEED))
    with SavedCounter() as recorded:
        out = net(inputs)
    in_graph = saved_in_graph(out.grad_fn)
    baseline = fact(
        recorded.count > 0 and recorded.count == in_graph,
        evidence("lesson4.evidence.recorded", count=recorded.count, bytes=recorded.bytes, in_graph=in_graph),
        recorded=recorded.count,
        in_graph=in_graph,
    )
    verdicts = [baseline]
    for context in contexts:
        name = getattr(context, "__name__", type(context).__name__)
        with SavedCounter() as off, context():
            quiet = net(inputs)
        holds = quiet.grad_fn is None and not quiet.requires_grad and off.count == 0
        verdicts.append(
            fact(
                holds,
                evidence(
                    "lesson4.evidence.off",
                    context=name,
                    grad_fn=str(quiet.grad_fn),
                    requires=yes_no(quiet.requires_grad),
                    count=off.count,
                    inference=yes_no(quiet.is_inference()),
                ),
                context=name,
                saved=off.count,
                requires_grad=quiet.requires_grad,
            )
        )
    return worst(*verdicts)


def dropout_model(seed: int = LESSON_SEED) -> torch.nn.Module:
    state = torch.random.get_rng_state()
    try:
        torch.manual_seed(seed)
        return torch.nn.Sequential(torch.nn.Linear(4, 4), torch.nn.Dropout(0.5))
    finally:
        torch.random.set_rng_state(state)


@claim("l4.eval_still_records", cell=5)
def _eval_still_records(prepare: Callable[[torch.nn.Module], object] | None = None) -> Verdict:
    """Our question: after model.eval(), does the output still have a grad_fn? Also checks what
    eval does change: dropout lets the linear layer's output through unchanged."""
    model = dropout_model()
    (prepare or (lambda m: m.eval()))(model)
    inputs = torch.ones(3, 4)
    out = model(inputs)
    state = torch.random.get_rng_state()
    try:
        torch.manual_seed(LESSON_SEED)
        with torch.no_grad():
            linear = model[0](inputs)
    finally:
        torch.random.set_rng_state(state)
    dropout_off = compare(out.detach(), linear).status == "exact"
    holds = out.grad_fn is not None and out.requires_grad
    return fact(
        holds,
        evidence(
            "lesson4.evidence.eval",
            grad_fn=str(type(out.grad_fn).__name__ if out.grad_fn else None),
            training=yes_no(model.training),
            dropout_off=yes_no(dropout_off),
        ),
        grad_fn=None if out.grad_fn is None else type(out.grad_fn).__name__,
    )
