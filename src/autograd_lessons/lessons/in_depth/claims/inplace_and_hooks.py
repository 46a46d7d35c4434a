"""Lesson 2's claims of § 6 and § 7: in-place operations and views, hooks."""

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


# --------------------------------------------------------------------------- § 6 in place and views


def default_operations() -> tuple[Callable[[torch.Tensor], object], ...]:
    return (lambda t: t.add_(1), lambda t: t.mul_(2), lambda t: t.clamp_(max=5))


@claim("l2.version_counter", cell=6, quote="prose")
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
        evidence("lesson2.evidence.versions", versions=" → ".join(map(str, versions)), count=len(operations)),
        versions=versions,
    )


VERSION_WORDS = re.compile(r"is at version (\d+); expected version (\d+)")


@claim("l2.inplace_breaks_backward", cell=6, quote="prose")
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
            "lesson2.evidence.inplace", before=before, after=after, raised=raised or text("lesson2.nothing_raised")
        ),
        raised=raised,
        before=before,
        after=after,
    )


# (how it reads in the evidence, a view of h, a view of that view): views of views of h = 2x.
ViewChain = tuple[str, Callable[[torch.Tensor], torch.Tensor], Callable[[torch.Tensor], torch.Tensor]]


def view_chains() -> tuple[ViewChain, ...]:
    return (
        ("h[1:3][:1]", lambda h: h[1:3], lambda v: v[:1]),
        ("h[1:][::2]", lambda h: h[1:], lambda v: v[::2]),
        ("h.view(-1, 1)[1:]", lambda h: h.view(-1, 1), lambda v: v[1:]),
        ("h.unsqueeze(0).T", lambda h: h.unsqueeze(0), lambda v: v.T),
        ("h.reshape(1, -1)[0]", lambda h: h.reshape(1, -1), lambda v: v[0]),
    )


def _view_of_view(x: torch.Tensor, chain: ViewChain) -> tuple[bool, bool, Verdict]:
    """For one chain: whether the end's _base is h, whether it is the view in the middle, and h
    after writing × 10 through the end, compared with the same writes on a plain copy of 2x."""
    label, first, second = chain
    h = x.clone().requires_grad_(True) * 2
    middle = first(h)
    end = second(middle)
    root, to_middle = end._base is h, end._base is middle
    end.mul_(10)
    expected = 2 * x
    second(first(expected)).mul_(10)
    return root, to_middle, compare(h.detach(), expected)


@claim("l2.view_shares_base", cell=6, quote="prose")
def _view_shares_base(
    x: object = None,
    take: Callable[[torch.Tensor], torch.Tensor] | None = None,
    chains: Sequence[ViewChain] | None = None,
) -> Verdict:
    """h = 2x; v = take(h) (h[1:3]); v._base is h; after v.mul_(10), h equals 2x with h[1:3] × 10.
    For views of views (`chains`), the end's _base is h, not the view in the middle, and writing
    through the end changes h."""
    x = lesson_x() if x is None else floats(x)
    if x.dim() != 1 or x.numel() < 3:
        raise LessonError(message("lesson2.error.vector", name="x", least=3, shape=shape_text(x.shape)))
    take = take or (lambda h: h[1:3])
    leaf = x.clone().requires_grad_(True)
    h = leaf * 2
    v = take(h)
    base_is_h = v._base is h
    v.mul_(10)
    expected = 2 * x
    expected[1:3] *= 10
    found = agreement(
        compare(h.detach(), expected), f"h = {shown(h)}", labelled("lesson2.expected_h", values_text(expected))
    )
    based = fact(
        base_is_h,
        evidence("lesson2.evidence.base", base=yes_no(base_is_h), grad_fn=type(h.grad_fn).__name__),
        base_is_h=base_is_h,
    )
    chains = view_chains() if chains is None else tuple(chains)
    roots, middles, writes, not_root = [], [], [], []
    for chain in chains:
        root, to_middle, written = _view_of_view(x, chain)
        (roots if root else not_root).append(chain[0])
        if to_middle:
            middles.append(chain[0])
        writes.append(written)
    through = fact(
        bool(chains) and not not_root and not middles,
        evidence(
            "lesson2.evidence.view_of_view",
            roots=", ".join(roots) or "—",
            middles=", ".join(middles) or "—",
            others=", ".join(not_root) or "—",
        ),
        base_not_h=not_root,
        base_is_middle=middles,
    )
    if not writes:
        return worst(based, found, through)
    written = agreement(
        worst(*writes), text("lesson2.written_through", count=len(writes)), text("lesson2.written_expected")
    )
    return worst(based, found, through, written)


# --------------------------------------------------------------------------- § 7 hooks


@claim("l2.tensor_hook_replaces", cell=7, quote="prose")
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
        compare(seen[0], ones), labelled("lesson2.hook_saw", shown(seen[0])), f"∂z/∂y = {values_text(ones)}"
    )
    found = agreement(compare(leaf.grad, formula), f"x.grad = {shown(leaf.grad)}", f"2 · 2x = {values_text(formula)}")
    return worst(saw, found, fd_check(lambda t: (t * t).sum(), x, formula / 2))


def hooked_node(y: torch.Tensor, z: torch.Tensor) -> tuple[list, list]:
    """What the pre-hook and the hook of y.grad_fn receive during z.backward(), cloned."""
    before, after = [], []
    y.grad_fn.register_prehook(lambda grad_outputs: before.append(tuple(g.clone() for g in grad_outputs)))
    y.grad_fn.register_hook(
        lambda grad_inputs, grad_outputs: after.append(
            (tuple(None if g is None else g.clone() for g in grad_inputs), tuple(g.clone() for g in grad_outputs))
        )
    )
    z.backward()
    return before, after


@claim("l2.node_hooks_see_gradients", cell=7, quote="prose")
def _node_hooks(x: object = None, w: object = None) -> Verdict:
    """y = exp(x), z = sum(w·y): ExpBackward0's pre-hook gets grad_outputs = (w,); its hook gets
    grad_inputs = (w·exp(x),) and the same grad_outputs. With two inputs, y = x·c: MulBackward0's
    hook gets one gradient per input, (w·c, w·x)."""
    x = torch.tensor([0.0, 1.0, -1.0]) if x is None else floats(x)
    w = torch.tensor([1.0, 2.0, 3.0]).to(x.dtype) if w is None else floats(w, "w")
    same_shape(x, w, "w")
    leaf = x.clone().requires_grad_(True)
    y = leaf.exp()
    before, after = hooked_node(y, (w * y).sum())
    (grad_inputs, grad_outputs) = after[0]
    out_formula = w * exp_derivative(x)
    came = agreement(
        compare(before[0][0], w), labelled("lesson2.prehook_saw", shown(before[0][0])), f"w = {values_text(w)}"
    )
    went = agreement(
        compare(grad_inputs[0], out_formula),
        labelled("lesson2.hook_sent", shown(grad_inputs[0])),
        f"w·exp(x) = {values_text(out_formula)}",
    )
    same_out = agreement(
        compare(grad_outputs[0], before[0][0]),
        labelled("lesson2.hook_grad_outputs", shown(grad_outputs[0])),
        labelled("lesson2.prehook_grad_outputs", shown(before[0][0])),
    )
    # Two inputs: y = x·c, both leaves that require gradients.
    c = torch.linspace(-1.0, 2.0, x.numel(), dtype=x.dtype).reshape(x.shape)
    a, b = x.clone().requires_grad_(True), c.clone().requires_grad_(True)
    product = a * b
    inputs = len(product.grad_fn.next_functions)
    _, after_two = hooked_node(product, (w * product).sum())
    two_inputs = after_two[0][0]
    count = fact(
        len(grad_inputs) == len(y.grad_fn.next_functions) and len(two_inputs) == inputs == 2,
        evidence("lesson2.evidence.per_input", exp=len(grad_inputs), mul=len(two_inputs), inputs=inputs),
        grad_inputs=len(two_inputs),
        inputs=inputs,
    )
    first = agreement(compare(two_inputs[0], w * c), f"grad_inputs[0] = {shown(two_inputs[0])}", "w·c")
    second = agreement(compare(two_inputs[1], w * x), f"grad_inputs[1] = {shown(two_inputs[1])}", "w·x")
    return worst(
        came, went, same_out, count, first, second, fd_check(lambda t: (w.to(t.dtype) * t.exp()).sum(), x, out_formula)
    )


@claim("l2.pack_hook_counts_saved", cell=7, quote="prose")
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
        evidence("lesson2.evidence.packed", count=counter.count, bytes=counter.bytes, in_graph=in_graph),
        packed=counter.count,
        in_graph=in_graph,
    )


# The lesson's own custom Function, as its notebook defines it: ctx.save_for_backward goes through
# the saved-tensor hooks too.
Softplus = LESSON.shared("Softplus", {"torch": torch})


def pack_forwards() -> tuple[tuple[str, Callable[[torch.Tensor], torch.Tensor]], ...]:
    return (
        ("x.exp() * x", lambda t: t.exp() * t),
        ("torch.tanh(x) ** 2", lambda t: torch.tanh(t) ** 2),
        ("Softplus.apply(x)", lambda t: Softplus.apply(t)),
    )


class Packed:
    """What our pack hook returns instead of the tensor, so that unpack can be seen receiving it."""

    def __init__(self, tensor: torch.Tensor) -> None:
        self.tensor = tensor


@claim("l2.pack_in_forward", cell=7, quote="prose")
def _pack_in_forward(
    x: object = None, forwards: Sequence[tuple[str, Callable[[torch.Tensor], torch.Tensor]]] | None = None
) -> Verdict:
    """For each forward function: every pack call happens while it runs, every unpack call during
    y.sum().backward(), each unpack receives an object pack returned (not the tensor), and the
    gradient that comes out equals the one computed without hooks."""
    x = lesson_x() if x is None else floats(x)
    forwards = pack_forwards() if forwards is None else tuple(forwards)
    phase = ["forward"]
    packs, unpacks, strangers, verdicts = [], [], [], []

    def pack(tensor: torch.Tensor) -> Packed:
        packs.append(phase[0])
        returned.append(Packed(tensor))
        return returned[-1]

    def unpack(packed: object) -> torch.Tensor:
        unpacks.append(phase[0])
        if not any(packed is item for item in returned):
            strangers.append(type(packed).__name__)
            return packed
        return packed.tensor

    for _, forward in forwards:
        returned: list[Packed] = []
        leaf = x.clone().requires_grad_(True)
        phase[0] = "forward"
        with torch.autograd.graph.saved_tensors_hooks(pack, unpack):
            y = forward(leaf)
        phase[0] = "backward"
        y.sum().backward()
        phase[0] = "after"
        plain = x.clone().requires_grad_(True)
        forward(plain).sum().backward()
        verdicts.append(compare(leaf.grad, plain.grad))
    in_forward = bool(packs) and all(p == "forward" for p in packs)
    in_backward = bool(unpacks) and all(u == "backward" for u in unpacks)
    timing = fact(
        in_forward and in_backward and not strangers,
        evidence(
            "lesson2.evidence.pack_phases",
            count=len(forwards),
            packs=len(packs),
            in_forward=yes_no(in_forward),
            unpacks=len(unpacks),
            in_backward=yes_no(in_backward),
            returned=yes_no(not strangers),
        ),
        pack_phases=sorted(set(packs)),
        unpack_phases=sorted(set(unpacks)),
        strangers=strangers,
    )
    if not verdicts:
        return timing
    same = agreement(worst(*verdicts), text("lesson2.with_hooks"), text("lesson2.without_hooks"))
    return worst(timing, same)


@claim("l2.other_hooks", cell=7, quote="prose")
def _other_hooks(x: object = None, zero_between: bool = False) -> Verdict:
    """A post-accumulate-grad hook on a leaf p, through two backward calls (sum(p²), then sum(3p)):
    what it reads in p.grad is 2p, then 2p + 3, the sum already made. A Linear module's full
    backward pre-hook gets the gradient with respect to its output (w in sum(w·out)), its full
    backward hook also the gradient with respect to its input (w W)."""
    x = lesson_x() if x is None else floats(x)
    p = x.clone().requires_grad_(True)
    read = []
    p.register_post_accumulate_grad_hook(lambda tensor: read.append(tensor.grad.clone()))
    (p * p).sum().backward()
    if zero_between:
        p.grad = None
    (3 * p).sum().backward()
    first = agreement(compare(read[0], grad_sum_of_squares(x)), labelled("lesson2.hook_read", shown(read[0])), "2p")
    second = agreement(
        compare(read[1], grad_sum_of_squares(x) + 3), labelled("lesson2.hook_read", shown(read[1])), "2p + 3"
    )
    generator = torch.Generator().manual_seed(LESSON_SEED)
    with torch.random.fork_rng(devices=[]):  # the layer's own initialisation, overwritten below
        layer = torch.nn.Linear(x.numel(), 2).to(x.dtype)
    with torch.no_grad():
        layer.weight.copy_(torch.randn(2, x.numel(), generator=generator))
        layer.bias.zero_()
    inputs = torch.stack([x.reshape(-1), 2 * x.reshape(-1)]).requires_grad_(True)
    w = torch.tensor([[1.0, -2.0], [0.5, 3.0]], dtype=x.dtype)
    seen = {}
    layer.register_full_backward_pre_hook(lambda module, grad_output: seen.update(pre=grad_output[0].clone()))
    layer.register_full_backward_hook(
        lambda module, grad_input, grad_output: seen.update(input=grad_input[0].clone(), output=grad_output[0].clone())
    )
    (w * layer(inputs)).sum().backward()
    weight = layer.weight.detach()
    pre = agreement(compare(seen["pre"], w), labelled("lesson2.module_pre_saw", shown(seen["pre"])), "w")
    output = agreement(compare(seen["output"], w), labelled("lesson2.module_output", shown(seen["output"])), "w")
    tolerance = ULP_TOLERANCE + w.shape[1]
    into = agreement(
        compare(seen["input"], w @ weight, tolerance=tolerance),
        labelled("lesson2.module_input", shown(seen["input"])),
        f"w W = {values_text(w @ weight)}",
    )
    return worst(first, second, pre, output, into)
