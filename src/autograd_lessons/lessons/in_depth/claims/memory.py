"""Lesson 2's claims of § 3 to § 5: what the backward pass frees, higher-order derivatives, recording switched off."""

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


@claim("l2.second_backward_fails", cell=3, quote="prose")
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
            "lesson2.evidence.freed",
            before=yes_no(before),
            after=yes_no(after),
            raised=raised or text("lesson2.nothing_raised"),
        ),
        saved_before=before,
        saved_after=after,
        raised=raised,
    )


@claim("l2.retain_graph_adds_again", cell=3, quote="prose")
def _retain_graph_adds(a: object = None, retain_graph: bool = True) -> Verdict:
    """With retain_graph=True: the saved result is still readable, and a.grad = 2·exp(a)."""
    a = torch.tensor([1.0, 2.0]) if a is None else floats(a, "a")
    leaf, b = exp_graph(a)
    b.sum().backward(retain_graph=bool(retain_graph))
    kept = saved_readable(b.grad_fn)
    try:
        b.sum().backward()
    except RuntimeError as error:
        return fact(False, evidence("lesson2.evidence.raised", raised=first_line(error)), raised=first_line(error))
    formula = 2 * exp_derivative(a)
    found = agreement(compare(leaf.grad, formula), f"a.grad = {shown(leaf.grad)}", f"2·exp(a) = {values_text(formula)}")
    kept_fact = fact(kept, evidence("lesson2.evidence.kept", kept=yes_no(kept)), kept=kept)
    return worst(kept_fact, found, fd_check(lambda t: 2 * t.exp().sum(), a, formula))


# --------------------------------------------------------------------------- § 4 higher order


@claim("l2.second_derivative", cell=4, quote="prose")
def _second_derivative(x: object = None, create_graph: bool = True) -> Verdict:
    """d²/dx² x³ by two torch.autograd.grad calls against 6x; 6x against FD of 3x²."""
    x = torch.tensor([-1.0, 0.5, 2.0]) if x is None else floats(x)
    t = x.clone().requires_grad_(True)
    (first,) = torch.autograd.grad((t**3).sum(), t, create_graph=bool(create_graph))
    try:
        (second,) = torch.autograd.grad(first.sum(), t)
    except RuntimeError as error:
        return fact(False, evidence("lesson2.evidence.raised", raised=first_line(error)), raised=first_line(error))
    formula = second_derivative_of_cube(x)
    found = agreement(compare(second, formula), f"d²y/dx² = {shown(second)}", f"6x = {values_text(formula)}")
    return worst(found, fd_check(lambda s: (3 * s * s).sum(), x, formula))


def lesson_v() -> torch.Tensor:
    return torch.tensor([1.0, 0.0, -1.0])


@claim("l2.hessian_vector_product", cell=4, quote="prose")
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


def storage_of(tensor: torch.Tensor) -> int:
    """Where a tensor's block of memory (its storage) starts: two tensors that share it, a tensor
    and its views, or one tensor saved twice, give the same number."""
    return tensor.untyped_storage().data_ptr()


class SavedCounter:
    """A saved_tensors_hooks context that counts the tensors autograd saves, and the bytes of the
    blocks of memory they keep, each block once (two saved tensors can share one)."""

    def __init__(self) -> None:
        self.count = 0
        self.blocks: dict[int, int] = {}
        self._hooks = torch.autograd.graph.saved_tensors_hooks(self._pack, lambda packed: packed)

    @property
    def bytes(self) -> int:
        return sum(self.blocks.values())

    def _pack(self, tensor: torch.Tensor) -> torch.Tensor:
        self.count += 1
        self.blocks[storage_of(tensor)] = tensor.untyped_storage().nbytes()
        return tensor

    def __enter__(self) -> SavedCounter:
        self._hooks.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._hooks.__exit__(*exc)


# The lesson's network and input batch of § 5, and its way of counting saved tensors and their
# memory, as its notebook defines them (the cell marked shares=["lesson_network", "saved_by"]).
lesson_network = LESSON.shared("lesson_network", {"torch": torch})
lesson_saved_by = LESSON.shared("saved_by", {"torch": torch})

Network = Callable[[], tuple[torch.nn.Module, torch.Tensor]]


def network_and_batch(build: Network | None = None) -> tuple[torch.nn.Module, torch.Tensor]:
    """The lesson's network and batch (or those `build` makes), leaving the global random state alone."""
    state = torch.random.get_rng_state()
    try:
        return (build or lesson_network)()
    finally:
        torch.random.set_rng_state(state)


def saved_of(node: object) -> list[torch.Tensor]:
    """The tensors one node keeps: its tensor-valued _saved_* attributes, or a custom Function's
    saved_tensors (read from the graph, not through hooks)."""
    found = []
    for name in dir(node):
        if name.startswith("_saved_"):
            try:
                value = getattr(node, name)
            except RuntimeError:
                continue
            if isinstance(value, torch.Tensor):
                found.append(value)
            elif isinstance(value, (tuple, list)):
                found += [item for item in value if isinstance(item, torch.Tensor)]
    if hasattr(node, "saved_tensors") and not type(node).__name__.endswith("Backward0"):
        with contextlib.suppress(RuntimeError):
            found += list(node.saved_tensors)
    return found


def saved_values(root: object) -> list[torch.Tensor]:
    """Every tensor the graph below `root` keeps, walking its nodes (a second count, not by hooks)."""
    seen, stack, found = set(), [root], []
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        found += saved_of(node)
        stack.extend(child for child, _ in node.next_functions)
    return found


def saved_in_graph(root: object) -> int:
    """How many tensors the graph below `root` keeps (see saved_values)."""
    return len(saved_values(root))


@claim("l2.no_grad_records_nothing", cell=5, quote="prose")
def _records_nothing(contexts: Sequence[Callable[[], object]] = (torch.no_grad, torch.inference_mode)) -> Verdict:
    """On the lesson's network and batch, for each context: the output has no grad_fn, does not
    require grad, and the pack hook counts zero saved tensors; the same forward with recording on
    saves as many tensors as the graph shows."""
    net, inputs = network_and_batch()
    with SavedCounter() as recorded:
        out = net(inputs)
    in_graph = saved_in_graph(out.grad_fn)
    baseline = fact(
        recorded.count > 0 and recorded.count == in_graph,
        evidence(
            "lesson2.evidence.recorded",
            count=recorded.count,
            blocks=len(recorded.blocks),
            bytes=recorded.bytes,
            in_graph=in_graph,
        ),
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
                    "lesson2.evidence.off",
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


@claim("l2.saved_storages", cell=5, quote="prose")
def _saved_storages(
    network: Network | None = None,
    saved_by: Callable[[Callable[[], torch.Tensor]], tuple[torch.Tensor, int, int, int]] | None = None,
) -> Verdict:
    """The lesson's saved_by (or `saved_by`) on its network's recorded forward pass, against the
    graph itself: 4 saved tensors, the last layer's mat1 the same block as what the activation
    saved, 3 blocks (batch, the last layer's weight, the tanh result) and the bytes of those three."""
    net, batch = network_and_batch(network)
    out, count, blocks, size = (saved_by or lesson_saved_by)(lambda: net(batch))
    root = out.grad_fn
    found = saved_values(root)
    mat1 = getattr(root, "_saved_mat1", None)
    activations = [
        child
        for child, _ in (root.next_functions if root is not None else ())
        if child is not None and type(child).__name__ not in ("AccumulateGrad", "TBackward0")
    ]
    kept = [t for node in activations for t in saved_of(node)]
    shared = mat1 is not None and any(storage_of(t) == storage_of(mat1) for t in kept)
    walked = {storage_of(t): t.untyped_storage().nbytes() for t in found}
    weight = net[-1].weight
    expected = {storage_of(t): t.untyped_storage().nbytes() for t in (batch, weight, mat1) if t is not None}
    holds = (
        count == 4
        and len(found) == count
        and shared
        and blocks == len(walked) == 3
        and set(walked) == set(expected)
        and size == sum(expected.values())
    )
    return fact(
        holds,
        evidence(
            "lesson2.evidence.storages",
            count=count,
            blocks=blocks,
            bytes=size,
            in_graph=len(found),
            walked=len(walked),
            shared=yes_no(shared),
            batch=batch.untyped_storage().nbytes(),
            weight=weight.untyped_storage().nbytes(),
            result=mat1.untyped_storage().nbytes() if mat1 is not None else 0,
            same=yes_no(set(walked) == set(expected)),
            expected=sum(expected.values()),
        ),
        saved=count,
        blocks=blocks,
        bytes=size,
        expected_bytes=sum(expected.values()),
        shared=shared,
    )


# (how it reads in the evidence, an operation on t, the inference tensor, and w, a leaf that
# requires gradients): some operations save t for the backward pass, others do not.
InferenceCase = tuple[str, Callable[[torch.Tensor, torch.Tensor], torch.Tensor]]


def inference_cases() -> tuple[InferenceCase, ...]:
    return (
        ("t + w", lambda t, w: t + w),
        ("torch.cat([t, w])", lambda t, w: torch.cat([t, w])),
        ("torch.where(t > 0, w, t)", lambda t, w: torch.where(t > 0, w, t)),
        ("t.exp() * w", lambda t, w: t.exp() * w),
        ("t * w", lambda t, w: t * w),
        ("t @ w", lambda t, w: t @ w),
        ("w / t", lambda t, w: w / t),
        ("torch.maximum(t, w)", lambda t, w: torch.maximum(t, w)),
    )


def saves_operand(operation: Callable[..., torch.Tensor], t: torch.Tensor, w: torch.Tensor) -> bool:
    """Whether `operation` saves its first operand (or a view of it) for the backward pass, seen
    with a pack hook on an ordinary tensor of the same values (a second mechanism)."""
    ordinary = t.clone()
    packed = []
    with torch.autograd.graph.saved_tensors_hooks(lambda x: packed.append(storage_of(x)) or x, lambda x: x):
        operation(ordinary, w)
    return storage_of(ordinary) in packed


REFUSED_SAVE = "cannot be saved for backward"
REFUSED_IN_PLACE = "Inplace update to inference tensor outside InferenceMode"


@claim("l2.inference_tensors", cell=5, quote="prose")
def _inference_tensors(
    x: object = None,
    cases: Sequence[InferenceCase] | None = None,
    made_in: Callable[[], object] = torch.inference_mode,
) -> Verdict:
    """t made inside made_in() (torch.inference_mode): each operation of t with a leaf w that
    requires gradients is refused exactly when it saves t (pack hook on an ordinary copy), and is
    recorded otherwise; t.add_(1) is refused outside inference mode and allowed inside it."""
    x = torch.tensor([0.5, -1.0, 2.0]) if x is None else floats(x).reshape(-1)
    with made_in():
        t = x * 1
    w = torch.linspace(1.0, 2.0, x.numel(), dtype=x.dtype).requires_grad_(True)
    cases = inference_cases() if cases is None else tuple(cases)
    recorded, refused, saving, mismatched = [], [], [], []
    for label, operation in cases:
        saves = saves_operand(operation, t, w)
        try:
            result = operation(t, w)
        except RuntimeError as error:
            was_refused, entered = REFUSED_SAVE in str(error), False
        else:
            was_refused, entered = False, result.grad_fn is not None
        if saves:
            saving.append(label)
        if was_refused:
            refused.append(label)
        elif entered:
            recorded.append(label)
        if was_refused != saves or not (was_refused or entered):
            mismatched.append(label)
    outside = _in_place_refused(t)
    with made_in():
        inside = _in_place_refused(t)
    holds = bool(recorded) and bool(refused) and not mismatched and outside and not inside
    return fact(
        holds,
        evidence(
            "lesson2.evidence.inference",
            inference=yes_no(t.is_inference()),
            recorded=", ".join(recorded) or "—",
            refused=", ".join(refused) or "—",
            saving=", ".join(saving) or "—",
            outside=yes_no(outside),
            inside=yes_no(inside),
        ),
        mismatched=mismatched,
        refused_outside=outside,
        refused_inside=inside,
    )


def _in_place_refused(t: torch.Tensor) -> bool:
    try:
        t.add_(0)
    except RuntimeError as error:
        return REFUSED_IN_PLACE in str(error)
    return False


def dropout_model(seed: int = LESSON_SEED) -> torch.nn.Module:
    state = torch.random.get_rng_state()
    try:
        torch.manual_seed(seed)
        return torch.nn.Sequential(torch.nn.Linear(4, 4), torch.nn.Dropout(0.5))
    finally:
        torch.random.set_rng_state(state)


@claim("l2.eval_still_records", cell=5)
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
            "lesson2.evidence.eval",
            grad_fn=str(type(out.grad_fn).__name__ if out.grad_fn else None),
            training=yes_no(model.training),
            dropout_off=yes_no(dropout_off),
        ),
        grad_fn=None if out.grad_fn is None else type(out.grad_fn).__name__,
    )
