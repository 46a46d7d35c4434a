"""Lesson 3's claims of § 5: leaves gone wrong (a scaled leaf, .to(), updating a leaf, ReLU in place)."""

from __future__ import annotations

import warnings
from collections.abc import Callable

import torch

from autograd_lessons.i18n import text
from autograd_lessons.lessons.going_wrong import LESSON
from autograd_lessons.lessons.going_wrong.maths import first_line, labelled, raised_by, shown, warned_by
from autograd_lessons.numbers import values_text
from autograd_lessons.verdicts import ULP_TOLERANCE, Verdict, agreement, compare, evidence, fact, worst, yes_no

claim = LESSON.claim
LESSON_SEED = 0  # the seed the lesson's cells set before drawing their weights
SCALE = 0.01  # the lesson's small initial weights
LEAF_IN_PLACE = "a leaf Variable that requires grad is being used in an in-place operation"
CHANGED_IN_PLACE = "modified by an inplace operation"


def lesson_inputs() -> torch.Tensor:
    return torch.tensor([1.0, 2.0, 3.0])


def scaled_leaf() -> torch.Tensor:
    """The lesson's mistake: the leaf is randn's tensor, and w the product."""
    return torch.randn(3, requires_grad=True) * SCALE


def seeded(make: Callable[[], torch.Tensor]) -> torch.Tensor:
    """What `make` returns after torch.manual_seed(LESSON_SEED), leaving the global random state alone."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(LESSON_SEED)
        return make()


@claim("l3.scaled_not_leaf", cell=5, quote="prose")
def _scaled_not_leaf(make: Callable[[], torch.Tensor] = scaled_leaf) -> Verdict:
    """w = make() (randn(3, requires_grad=True) · 0.01): not a leaf, w.grad None with a warning
    after (w · inputs).sum().backward(), the leaf behind it got 0.01 · inputs (formula); the same
    values made a leaf with requires_grad_() get inputs (formula)."""
    inputs = lesson_inputs()
    w = seeded(make)
    (w * inputs).sum().backward()
    lost, warned = warned_by(lambda: w.grad)
    hidden = w.grad_fn.next_functions[0][0].variable if w.grad_fn is not None else None
    fixed = seeded(lambda: torch.randn(3) * SCALE).requires_grad_()
    (fixed * inputs).sum().backward()
    lost_fact = fact(
        not w.is_leaf and lost is None and bool(warned),
        evidence("lesson3.evidence.scaled", is_leaf=yes_no(w.is_leaf), grad=shown(lost), warned=yes_no(bool(warned))),
        is_leaf=w.is_leaf,
    )
    if hidden is None or hidden.grad is None:
        return lost_fact
    went = agreement(
        compare(hidden.grad, (SCALE * inputs.double()).float()),
        labelled("lesson3.nameless_grad", shown(hidden.grad)),
        f"0.01 · inputs = {values_text(SCALE * inputs.double())}",
    )
    kept = agreement(
        compare(fixed.grad, inputs), labelled("lesson3.fixed_grad", shown(fixed.grad)), f"inputs = {shown(inputs)}"
    )
    return worst(lost_fact, went, kept)


@claim("l3.to_copies", cell=5, quote="prose")
def _to_copies(dtype: torch.dtype = torch.float64) -> Verdict:
    """w.to(dtype): not a leaf, grad_fn ToCopyBackward0; w.to("cpu") is w; Linear(3, 1).to(dtype):
    the same Parameter objects, still leaves, of the new dtype."""
    w = torch.randn(3, requires_grad=True, generator=torch.Generator().manual_seed(LESSON_SEED))
    copied = w.to(dtype)
    with torch.random.fork_rng(devices=[]):  # the layer's own initialisation, not the learner's random state
        layer = torch.nn.Linear(3, 1)
    before = layer.weight
    layer.to(dtype)
    module_fact = layer.weight is before and layer.weight.is_leaf and layer.weight.dtype == dtype
    holds = (
        not copied.is_leaf and type(copied.grad_fn).__name__ == "ToCopyBackward0" and w.to("cpu") is w and module_fact
    )
    return fact(
        holds,
        evidence(
            "lesson3.evidence.to",
            is_leaf=yes_no(copied.is_leaf),
            grad_fn=type(copied.grad_fn).__name__ if copied.grad_fn is not None else "None",
            same=yes_no(w.to("cpu") is w),
            module=yes_no(module_fact),
        ),
        is_leaf=copied.is_leaf,
    )


@claim("l3.leaf_update_needs_no_grad", cell=5, quote="prose")
def _leaf_update(lr: float = 0.1, context: Callable[[], object] = torch.no_grad) -> Verdict:
    """w -= lr · w.grad (w.grad = 2w from Σw²) raises the "leaf Variable … in-place" RuntimeError
    outside no_grad; inside context() (torch.no_grad) it gives w − lr · 2w (formula) and w stays a
    leaf that requires grad."""
    start = torch.tensor([1.0, -2.0, 0.5])
    w = start.clone().requires_grad_(True)
    (w**2).sum().backward()

    def update() -> None:
        nonlocal w
        w -= lr * w.grad

    raised = raised_by(update)

    def update_inside() -> None:
        with context():
            update()

    inside = raised_by(update_inside)
    if inside is not None:
        return fact(False, evidence("lesson3.evidence.raised", raised=inside), raised=inside)
    formula = start.double() - lr * 2 * start.double()
    refused = fact(
        raised is not None and LEAF_IN_PLACE in raised,
        evidence("lesson3.evidence.raised", raised=raised or text("lesson3.nothing_raised")),
        raised=raised,
    )
    updated = agreement(
        compare(w.detach(), formula.float()),
        labelled("lesson3.updated", shown(w)),
        text("lesson3.update_formula", lr=lr, values=values_text(formula)),
    )
    still = fact(
        w.is_leaf and w.requires_grad,
        evidence("lesson3.evidence.still_leaf", is_leaf=yes_no(w.is_leaf), requires=yes_no(w.requires_grad)),
    )
    return worst(refused, updated, still)


def sigmoid_model(
    inplace: bool, activation: Callable[[], torch.nn.Module] = torch.nn.Sigmoid
) -> tuple[torch.nn.Sequential, torch.Tensor]:
    """The lesson's model and batch of § 5 (seed 0), the global random state left alone."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(LESSON_SEED)
        model = torch.nn.Sequential(
            torch.nn.Linear(3, 4), activation(), torch.nn.ReLU(inplace=inplace), torch.nn.Linear(4, 1)
        )
        inputs = torch.randn(5, 3)
    return model, inputs


def first_layer_gradient(model: torch.nn.Sequential, inputs: torch.Tensor) -> torch.Tensor:
    """d sum(model(x)) / d W₁ for Linear → sigmoid → ReLU → Linear, by hand in float64 (the ReLU
    passes the gradient where the sigmoid is positive: everywhere)."""
    first, last = model[0], model[3]
    x = inputs.double()
    s = torch.sigmoid(x @ first.weight.detach().double().T + first.bias.detach().double())
    upstream = last.weight.detach().double().expand(len(x), -1) * (s > 0)
    return (upstream * s * (1 - s)).T @ x


def anomaly_words(model: torch.nn.Module, inputs: torch.Tensor) -> tuple[str | None, list[str]]:
    """The error of a backward pass in anomaly mode, and the "Error detected in" warnings, as text."""
    raised = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with torch.autograd.detect_anomaly():
            try:
                model(inputs).sum().backward()
            except RuntimeError as error:
                raised = first_line(error)
    return raised, [str(item.message).splitlines()[0] for item in caught if "Error detected" in str(item.message)]


@claim("l3.inplace_relu_after_sigmoid", cell=5, quote="prose")
def _inplace_relu(inplace: bool = True) -> Verdict:
    """Linear → Sigmoid → ReLU(inplace) → Linear: the backward pass raises the in-place error about
    "output 0 of Sigmoid" at version 1 (expected 0), and anomaly mode names SigmoidBackward0; with
    inplace=False the first layer's gradient matches the float64 formula; ReLU(inplace=True) right
    after a Linear gives the same gradient as inplace=False."""
    model, inputs = sigmoid_model(bool(inplace))
    raised, detected = anomaly_words(model, inputs)
    broken = fact(
        raised is not None
        and CHANGED_IN_PLACE in raised
        and "output 0 of Sigmoid" in raised
        and "is at version 1; expected version 0" in raised
        and any("SigmoidBackward0" in line for line in detected),
        evidence(
            "lesson3.evidence.inplace_relu",
            raised=raised or text("lesson3.nothing_raised"),
            warning=detected[0] if detected else text("lesson3.no_warning"),
        ),
        raised=raised,
    )
    model, inputs = sigmoid_model(False)
    model(inputs).sum().backward()
    formula = first_layer_gradient(model, inputs)
    fixed = agreement(
        compare(model[0].weight.grad, formula.float(), tolerance=ULP_TOLERANCE + len(inputs)),
        labelled("lesson3.inplace_false_grad", shown(model[0].weight.grad.reshape(-1)[:3])),
        labelled("lesson3.by_hand_grad", values_text(formula.reshape(-1)[:3])),
    )
    after_linear = []
    for flag in (True, False):
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(LESSON_SEED)
            net = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(inplace=flag), torch.nn.Linear(4, 1))
        net(inputs).sum().backward()
        after_linear.append(net[0].weight.grad)
    linear = agreement(
        compare(after_linear[0], after_linear[1]),
        text("lesson3.after_linear_inplace"),
        text("lesson3.after_linear_not"),
    )
    return worst(broken, fixed, linear)


__all__ = ["first_layer_gradient", "lesson_inputs", "scaled_leaf", "sigmoid_model"]
