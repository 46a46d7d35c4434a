"""Lesson 4, autograd in depth: every claim of the lesson, each checked independently.

Each claim judges a sentence of the lesson's own text (the passage marked ``<q id="l4.<name>">``
in the section's markdown of ``source/04_autograd_in_depth.py``) or answers a question of the
lesson's own; where the lesson's notebook defines the code a claim is about (its Softplus, its two
ways of building a Jacobian), the claim runs that very code. The checks never compare autograd
with itself: they use analytic formulas, float64 finite differences, gradcheck (which
is finite differences too), a second mechanism (version counters, saved-tensor hooks, counting
the graph's saved values), the type and words of the error PyTorch raises, or measured times
with a wide margin. Every claim takes keyword inputs whose defaults are the lesson's values, so
that a test can pass inputs (or replace one of the module's formulas) that make it false.
"""

from __future__ import annotations

import contextlib
import re
import statistics
import time
import warnings
from collections.abc import Callable, Sequence

import torch
import torch.autograd.forward_ad as fwAD

from autograd_lessons.i18n import LessonError, message, text
from autograd_lessons.lessons.in_depth import LESSON
from autograd_lessons.lessons.in_depth.maths import (
    exp_derivative,
    first_line,
    floats,
    grad_quartic,
    grad_sum_of_squares,
    grad_two_losses,
    hvp_quartic,
    labelled,
    lesson_x,
    positive_int,
    regression_gradient,
    same_shape,
    second_derivative_of_cube,
    softplus_derivative,
    tanh_derivative,
    x_exp_derivative,
)
from autograd_lessons.numbers import shape_text, shortest, values_text
from autograd_lessons.quirks import load_forward_mode
from autograd_lessons.verdicts import (
    ULP_TOLERANCE,
    Verdict,
    agreement,
    compare,
    duration_text,
    evidence,
    fact,
    fd_check,
    shown,
    worst,
    yes_no,
)

# This module's checks (or its lesson's cells) use forward mode; keep its import warning out of outputs.
load_forward_mode()

claim = LESSON.claim
TIMING_MARGIN = 5.0  # "forward wins on tall": the slower mode must take at least 5× as long
TIMING_REPEAT = 5  # medians of 5 interleaved runs of each mode
LESSON_SEED = 0


# --------------------------------------------------------------------------- § 1 leaves and non-leaves


def square_and_sum(x: torch.Tensor, retain: bool = False):
    x = x.clone().requires_grad_(True)
    y = x * x
    if retain:
        y.retain_grad()
    z = y.sum()
    z.backward()
    return x, y, z


def read_grad(tensor: torch.Tensor) -> tuple[torch.Tensor | None, list[warnings.WarningMessage]]:
    """tensor.grad, with the warnings that reading it raises (recorded, never shown)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = tensor.grad
    return value, list(caught)


@claim("l4.leaf_grad_only", cell=1, quote="prose")
def _leaf_grad_only(x: object = None, retain: bool = False) -> Verdict:
    """x.grad against 2x (formula and finite differences); y.grad is None and reading it warns."""
    x = lesson_x() if x is None else floats(x)
    x, y, _ = square_and_sum(x, retain=bool(retain))
    y_grad, caught = read_grad(y)
    warned = any(issubclass(w.category, UserWarning) and "not a leaf" in str(w.message) for w in caught)
    formula = grad_sum_of_squares(x.detach())
    found = agreement(compare(x.grad, formula), f"x.grad = {shown(x.grad)}", f"2x = {values_text(formula)}")
    holds = x.is_leaf and not y.is_leaf and y_grad is None and warned
    leaves = fact(
        holds,
        evidence(
            "lesson4.evidence.leaf",
            x_leaf=yes_no(x.is_leaf),
            y_leaf=yes_no(y.is_leaf),
            y_grad=shown(y_grad),
            warned=yes_no(warned),
        ),
        y_grad=None if y_grad is None else y_grad.tolist(),
        warned=warned,
    )
    return worst(found, leaves, fd_check(lambda t: (t * t).sum(), x.detach(), formula))


@claim("l4.retain_grad", cell=1, quote="prose")
def _retain_grad(x: object = None, retain: bool = True) -> Verdict:
    """y.grad after y.retain_grad() against ones (z = sum(y)), checked by finite differences in y."""
    x = lesson_x() if x is None else floats(x)
    _, y, _ = square_and_sum(x, retain=bool(retain))
    y_grad, _ = read_grad(y)
    ones = torch.ones_like(y.detach())
    if y_grad is None:
        return fact(False, evidence("lesson4.evidence.no_grad", name="y"), y_grad=None)
    found = agreement(compare(y_grad, ones), f"y.grad = {shown(y_grad)}", f"∂z/∂y = {values_text(ones)}")
    return worst(found, fd_check(lambda t: t.sum(), y.detach(), ones))


@claim("l4.integer_no_grad", cell=1, quote="prose")
def _integer_no_grad(dtype: object = torch.int64) -> Verdict:
    """torch.arange(4, dtype=dtype).requires_grad_(True) raises RuntimeError; arange(4.0) does not."""
    if not isinstance(dtype, torch.dtype):
        raise LessonError(message("lesson4.error.dtype", value=dtype))
    try:
        torch.arange(4, dtype=dtype).requires_grad_(True)
    except RuntimeError as error:
        raised = first_line(error)
    else:
        raised = None
    float_ok = torch.arange(4.0).requires_grad_(True).requires_grad
    holds = raised is not None and "floating point" in raised and float_ok
    return fact(
        holds,
        evidence(
            "lesson4.evidence.integer",
            dtype=str(dtype),
            raised=raised or text("lesson4.nothing_raised"),
            float_ok=yes_no(float_ok),
        ),
        dtype=str(dtype),
        raised=raised,
    )


# --------------------------------------------------------------------------- § 2 accumulation


def two_losses(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    return (x * x).sum(), (3 * x).sum()


@claim("l4.two_calls_add_up", cell=2, quote="prose")
def _two_calls_add_up(x: object = None, zero_between: bool = False) -> Verdict:
    """Two backward calls against one backward of the sum, both against 2x + 3 (formula and FD)."""
    x = lesson_x() if x is None else floats(x)
    a = x.clone().requires_grad_(True)
    first, second = two_losses(a)
    first.backward()
    if zero_between:
        a.grad = None
    second.backward()
    b = x.clone().requires_grad_(True)
    sum(two_losses(b)).backward()
    formula = grad_two_losses(x)
    same = agreement(
        compare(a.grad, b.grad),
        labelled("lesson4.two_calls", shown(a.grad)),
        labelled("lesson4.one_call", shown(b.grad)),
    )
    found = agreement(compare(a.grad, formula), f"x.grad = {shown(a.grad)}", f"2x + 3 = {values_text(formula)}")
    return worst(same, found, fd_check(lambda t: sum(two_losses(t)), x, formula))


@claim("l4.forgotten_zero_multiplies", cell=2, quote="prose")
def _forgotten_zero(x: object = None, steps: int = 3, zero: bool = False) -> Verdict:
    """After k backward calls of sum(x²) without zeroing, x.grad against k·2x."""
    x = lesson_x() if x is None else floats(x)
    steps = positive_int(steps, "steps")
    p = x.clone().requires_grad_(True)
    for _ in range(steps):
        if zero:
            p.grad = None
        (p * p).sum().backward()
    formula = steps * grad_sum_of_squares(x)
    found = agreement(compare(p.grad, formula), f"x.grad = {shown(p.grad)}", f"{steps}·2x = {values_text(formula)}")
    return worst(found, fd_check(lambda t: steps * (t * t).sum(), x, formula))


@claim("l4.zero_grad_sets_none", cell=2, quote="prose")
def _zero_grad_sets_none(x: object = None, set_to_none: bool = True) -> Verdict:
    """optimizer.zero_grad(): .grad is None right after; the next backward gives 2x, not 4x."""
    x = lesson_x() if x is None else floats(x)
    p = x.clone().requires_grad_(True)
    optimizer = torch.optim.SGD([p], lr=0.0)
    (p * p).sum().backward()
    optimizer.zero_grad(set_to_none=set_to_none)
    after_zero = None if p.grad is None else p.grad.clone()
    (p * p).sum().backward()
    formula = grad_sum_of_squares(x)
    none = fact(
        after_zero is None,
        evidence("lesson4.evidence.zero_grad", after=shown(after_zero)),
        after_zero_grad=None if after_zero is None else after_zero.tolist(),
    )
    found = agreement(compare(p.grad, formula), f"x.grad = {shown(p.grad)}", f"2x = {values_text(formula)}")
    return worst(none, found)


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


# --------------------------------------------------------------------------- § 8 custom Function


# The lesson's own custom Function, as its notebook defines it (the cell marked shares="Softplus").
Softplus = LESSON.shared("Softplus", {"torch": torch})


def softplus_float64(x: torch.Tensor) -> torch.Tensor:
    return x.clamp(min=0) + torch.log1p(torch.exp(-x.abs()))


@claim("l4.custom_function_gradcheck", cell=8, quote="prose")
def _custom_gradcheck(x: object = None, function: Callable[[torch.Tensor], torch.Tensor] | None = None) -> Verdict:
    """gradcheck of the lesson's Softplus.apply (or `function`) in float64 (backward against finite
    differences of forward), and sigmoid against FD of log(1 + eˣ)."""
    x = torch.tensor([-2.0, 0.0, 3.0]) if x is None else floats(x)
    x64 = x.to(torch.float64).requires_grad_(True)
    passed = torch.autograd.gradcheck(function or Softplus.apply, (x64,), raise_exception=False)
    checked = fact(
        bool(passed),
        evidence("lesson4.evidence.gradcheck", passed=yes_no(passed), values=values_text(x64)),
        gradcheck=bool(passed),
    )
    derivative = softplus_derivative(x.to(torch.float64))
    return worst(checked, fd_check(lambda t: softplus_float64(t).sum(), x, derivative))


@claim("l4.custom_function_saves_one", cell=8, quote="prose")
def _custom_saves(x: object = None, function: Callable[[torch.Tensor], torch.Tensor] | None = None) -> Verdict:
    """The pack hook runs once during Softplus.apply(x), and what it packs is x itself."""
    x = torch.tensor([-2.0, 0.0, 3.0]) if x is None else floats(x)
    function = function or Softplus.apply
    leaf = x.clone().requires_grad_(True)
    packed = []
    with torch.autograd.graph.saved_tensors_hooks(lambda t: packed.append(t.detach().clone()) or t, lambda t: t):
        y = function(leaf)
    node = type(y.grad_fn).__name__ if y.grad_fn is not None else "None"
    is_x = len(packed) == 1 and compare(packed[0], x).status == "exact"
    return fact(
        is_x,
        evidence(
            "lesson4.evidence.custom_saved",
            count=len(packed),
            node=node,
            values=", ".join(values_text(t) for t in packed),
        ),
        packed=len(packed),
        node=node,
    )


# --------------------------------------------------------------------------- § 9 forward and reverse mode


def lesson_matrix(rows: int = 3, columns: int = 4, seed: int = LESSON_SEED) -> torch.Tensor:
    return torch.randn(rows, columns, generator=torch.Generator().manual_seed(seed))


@claim("l4.jvp_vjp_products", cell=9, quote="prose")
def _jvp_vjp(x: object = None, v: object = None, u: object = None) -> Verdict:
    """f(x) = A tanh(x): jvp against J v and vjp against uᵀ J with J = A diag(1 − tanh²x); uᵀJ
    against FD of u·f."""
    x = torch.tensor([0.5, -1.0, 2.0, 0.0]) if x is None else floats(x)
    if x.dim() != 1:
        raise LessonError(message("lesson4.error.vector", name="x", least=1, shape=shape_text(x.shape)))
    matrix = lesson_matrix(3, x.numel()).to(x.dtype)
    v = torch.ones_like(x) if v is None else floats(v, "v")
    same_shape(x, v, "v")
    u = torch.tensor([1.0, -2.0, 0.5]).to(x.dtype) if u is None else floats(u, "u")
    same_shape(torch.empty(3, dtype=x.dtype), u, "u")

    def f(t):
        return matrix.to(t.dtype) @ torch.tanh(t)

    _, jv = torch.func.jvp(f, (x,), (v,))
    _, pull = torch.func.vjp(f, x)
    (uj,) = pull(u)
    jacobian = matrix * tanh_derivative(x)
    right = agreement(
        compare(jv, jacobian @ v, tolerance=ULP_TOLERANCE + x.numel()),
        f"jvp = {shown(jv)}",
        f"J v = {values_text(jacobian @ v)}",
    )
    left = agreement(
        compare(uj, u @ jacobian, tolerance=ULP_TOLERANCE + 3),
        f"vjp = {shown(uj)}",
        f"uᵀ J = {values_text(u @ jacobian)}",
    )
    return worst(right, left, fd_check(lambda t: (u.to(t.dtype) * f(t)).sum(), x, u @ jacobian))


@claim("l4.dual_number_tangent", cell=9, quote="prose")
def _dual_tangent(x: object = None, tangent: object = None) -> Verdict:
    """With dual numbers, the tangent of x·eˣ against (1 + x)eˣ · tangent; that formula against FD."""
    x = torch.tensor([-1.0, 0.0, 1.0]) if x is None else floats(x)
    tangent = torch.ones_like(x) if tangent is None else floats(tangent, "tangent")
    same_shape(x, tangent, "tangent")
    with fwAD.dual_level():
        dual = fwAD.make_dual(x, tangent)
        out = dual * dual.exp()
        primal, out_tangent = fwAD.unpack_dual(out)
        out_tangent = out_tangent.clone()
    formula = x_exp_derivative(x) * tangent
    found = agreement(
        compare(out_tangent, formula),
        labelled("lesson4.tangent", shown(out_tangent)),
        f"(1 + x)·eˣ·t = {values_text(formula)}",
    )
    return worst(found, fd_check(lambda t: (t * t.exp() * tangent.to(t.dtype)).sum(), x, formula))


# The lesson's two ways of building a Jacobian, as its notebook defines them: forward mode, one
# pass with dual numbers per input; reverse mode, one backward pass per output. Each gives (J, passes).
jacobian_by_columns = LESSON.shared("by_columns", {"torch": torch, "fwAD": fwAD})
jacobian_by_rows = LESSON.shared("by_rows", {"torch": torch})


def shaped_function(outputs: int, inputs: int) -> tuple[Callable[[torch.Tensor], torch.Tensor], torch.Tensor]:
    matrix = lesson_matrix(outputs, inputs) / inputs**0.5
    x = torch.randn(inputs, generator=torch.Generator().manual_seed(LESSON_SEED + 1))
    return (lambda t: torch.tanh(matrix @ t)), x


def time_modes(outputs: int, inputs: int, repeat: int) -> dict[str, object]:
    """Medians of `repeat` interleaved runs of both modes on one shape, with their passes and J."""
    f, x = shaped_function(outputs, inputs)
    times = {"forward": [], "reverse": []}
    for _ in range(repeat):
        for mode, build in (("forward", jacobian_by_columns), ("reverse", jacobian_by_rows)):
            start = time.perf_counter()
            jacobian, passes = build(f, x)
            times[mode].append(time.perf_counter() - start)
            if mode == "forward":
                forward_j, forward_passes = jacobian, passes
            else:
                reverse_j, reverse_passes = jacobian, passes
    return {
        "forward": statistics.median(times["forward"]),
        "reverse": statistics.median(times["reverse"]),
        "forward_passes": forward_passes,
        "reverse_passes": reverse_passes,
        "same": compare(forward_j, reverse_j, tolerance=ULP_TOLERANCE + inputs).status != "false",
    }


@claim("l4.forward_wins_tall", cell=9, quote="prose", timed=True)
def _forward_wins_tall(
    tall: tuple[int, int] = (400, 4),
    wide: tuple[int, int] = (4, 400),
    repeat: int = TIMING_REPEAT,
    margin: float = TIMING_MARGIN,
) -> Verdict:
    """Build the Jacobian of tanh(A x) both ways on a tall (outputs × inputs) and a wide shape:
    the claim holds when reverse takes ≥ margin × forward's median time on the tall one and
    forward ≥ margin × reverse's on the wide one (and both give the same J)."""
    shapes = []
    for name, shape in (("tall", tall), ("wide", wide)):
        if not (isinstance(shape, tuple) and len(shape) == 2):
            raise LessonError(message("lesson4.error.shape_pair", name=name, value=shape))
        shapes.append((positive_int(shape[0], name), positive_int(shape[1], name)))
    repeat = positive_int(repeat, "repeat")
    tall_run, wide_run = (time_modes(m, n, repeat) for m, n in shapes)
    tall_ratio = tall_run["reverse"] / tall_run["forward"]
    wide_ratio = wide_run["forward"] / wide_run["reverse"]
    holds = tall_ratio >= margin and wide_ratio >= margin and tall_run["same"] and wide_run["same"]
    found = evidence(
        "lesson4.evidence.modes",
        tall=f"{shapes[0][0]}×{shapes[0][1]}",
        wide=f"{shapes[1][0]}×{shapes[1][1]}",
        tall_forward=duration_text(tall_run["forward"]),
        tall_reverse=duration_text(tall_run["reverse"]),
        wide_forward=duration_text(wide_run["forward"]),
        wide_reverse=duration_text(wide_run["reverse"]),
        tall_fp=tall_run["forward_passes"],
        tall_rp=tall_run["reverse_passes"],
        wide_fp=wide_run["forward_passes"],
        wide_rp=wide_run["reverse_passes"],
        tall_ok=yes_no(tall_ratio >= margin),
        wide_ok=yes_no(wide_ratio >= margin),  # ratios vary: shown as yes/no
        margin=shortest(margin),
        repeat=repeat,
    )
    ratio_words = evidence(
        "lesson4.evidence.ratio_band",
        band=text("lesson4.band.wide" if holds else "lesson4.band.narrow", margin=shortest(margin)),
    )
    return fact(holds, found + ratio_words, tall_ratio=tall_ratio, wide_ratio=wide_ratio)


# --------------------------------------------------------------------------- § 10 closing the loop


def regression_data(seed: int = LESSON_SEED, n: int = 32) -> tuple[torch.Tensor, torch.Tensor]:
    generator = torch.Generator().manual_seed(seed)
    features = torch.randn(n, 2, generator=generator)
    target = features @ torch.tensor([2.0, -3.0]) + 1.0 + 0.1 * torch.randn(n, generator=generator)
    return features, target


def descend(lr: float, steps: int, seed: int = LESSON_SEED, rebuild: bool = True):
    """Gradient descent on mean((X w + b − t)²) from w = 0, b = 0: losses, grad_fns, gradient verdicts."""
    features, target = regression_data(seed)
    w = torch.zeros(2, requires_grad=True)
    b = torch.zeros((), requires_grad=True)
    losses, nodes, checks = [], [], []
    loss = None
    for _ in range(steps):
        if rebuild or loss is None:
            loss = ((features @ w + b - target) ** 2).mean()
        nodes.append(loss.grad_fn)
        losses.append(float(loss.detach()))
        w.grad = b.grad = None
        loss.backward(retain_graph=not rebuild)
        gw, gb = regression_gradient(features, target, w.detach(), b.detach())
        checks.append(
            worst(
                compare(w.grad, gw, tolerance=ULP_TOLERANCE + len(target)),
                compare(b.grad, gb, tolerance=ULP_TOLERANCE + len(target)),
            )
        )
        with torch.no_grad():
            w -= lr * w.grad
            b -= lr * b.grad
    return losses, nodes, checks


def learning_rate(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < float(value) < float("inf"):
        raise LessonError(message("lesson4.error.lr", value=value))
    return float(value)


@claim("l4.loss_goes_down", cell=10, quote="prose")
def _loss_goes_down(lr: object = 0.1, steps: int = 20) -> Verdict:
    """Each step's autograd gradient against the closed form (2/n) Xᵀr, 2·mean(r); the loss must
    go down at every step."""
    lr = learning_rate(lr)
    steps = positive_int(steps, "steps", smallest=2)
    losses, _, checks = descend(lr, steps)
    gradients = worst(*checks)
    rises = [i + 1 for i, (a, b) in enumerate(zip(losses, losses[1:], strict=False)) if not b < a]
    down = fact(
        not rises,
        evidence(
            "lesson4.evidence.losses",
            first=shortest(losses[0], torch.float32),
            last=shortest(losses[-1], torch.float32),
            steps=steps,
            rises=", ".join(map(str, rises)) or "—",
            lr=shortest(lr),
        ),
        rises=rises,
    )
    matched = fact(
        gradients.status != "false",
        evidence("lesson4.evidence.closed_form", status=yes_no(gradients.status != "false")),
    )
    return worst(down, matched)


@claim("l4.fresh_graph_each_step", cell=10)
def _fresh_graph(steps: int = 20, rebuild: bool = True) -> Verdict:
    """Our question: is the loss's grad_fn a different node at every step? (All grad_fns are kept
    alive, so identity is not confused by reused memory.)"""
    steps = positive_int(steps, "steps", smallest=2)
    _, nodes, _ = descend(0.1, steps, rebuild=bool(rebuild))
    distinct = len({id(node) for node in nodes})
    return fact(
        distinct == len(nodes),
        evidence("lesson4.evidence.fresh", distinct=distinct, steps=steps),
        distinct=distinct,
        steps=steps,
    )


__all__ = ["Softplus", "SavedCounter", "first_line", "jacobian_by_columns", "jacobian_by_rows", "regression_data"]
