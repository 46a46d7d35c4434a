"""Lesson 3's claims of § 8: vanishing and exploding gradients, and gradient clipping."""

from __future__ import annotations

from collections.abc import Callable

import torch

from autograd_lessons.lessons.going_wrong import LESSON
from autograd_lessons.numbers import brief
from autograd_lessons.verdicts import Verdict, evidence, fact, worst, yes_no

claim = LESSON.claim
SIGMOID_SLOPE = 0.25  # the largest derivative of the sigmoid, at 0
HOOK_AGREEMENT = 1e-4  # relative: the hooks' float32 norms against the float64 backward by hand
VANISHED = 1e-9  # "more than a billion times smaller"
STABLE = 10.0  # "within a factor of 10"
DEPTH = 20

# The lesson's stacks and the module hooks that note each layer's gradient norm, as its notebook
# defines them (the cell marked shares="layer_norms").
layer_norms = LESSON.shared("layer_norms", {"torch": torch})


def stack_norms(activation: Callable, gain: float, residual: bool = False) -> tuple[list, list, torch.Tensor]:
    """The lesson's layer_norms, the learner's random state left alone (its layers draw their own
    initial weights before the lesson's generator overwrites them)."""
    with torch.random.fork_rng(devices=[]):
        return layer_norms(activation, gain, residual)


Activation = Callable[[torch.Tensor], torch.Tensor]


def derivative(activation: Activation, z: torch.Tensor) -> torch.Tensor:
    """The activation's derivative at z, in float64, by formula (sigmoid, ReLU, identity)."""
    if activation is torch.sigmoid:
        s = torch.sigmoid(z)
        return s * (1 - s)
    if activation is torch.relu:
        return (z > 0).to(z.dtype)
    return torch.ones_like(z)


def backward_by_hand(layers: list[torch.nn.Linear], inputs: torch.Tensor, activation: Activation) -> list[float]:
    """‖∂L/∂z_l‖ for every layer of a plain stack h_l = act(z_l), z_l = h_{l-1} W_lᵀ, L = mean(h²),
    by matrix products in float64: no autograd."""
    weights = [layer.weight.detach().double() for layer in layers]
    h, pre = inputs.detach().double(), []
    for weight in weights:
        z = h @ weight.T
        pre.append(z)
        h = activation(z)
    upstream = 2 * h / h.numel()
    norms = [0.0] * len(weights)
    for index in reversed(range(len(weights))):
        delta = upstream * derivative(activation, pre[index])
        norms[index] = float(delta.norm())
        upstream = delta @ weights[index]
    return norms


def agree(hooked: list[float], by_hand: list[float]) -> bool:
    return all(abs(a - b) <= HOOK_AGREEMENT * abs(b) for a, b in zip(hooked, by_hand, strict=True))


@claim("l3.sigmoid_bound", cell=8, quote="prose")
def _sigmoid_bound(gain: float = 1.0, activation: Activation = torch.sigmoid) -> Verdict:
    """For the lesson's sigmoid stack: the hooks' norms agree with a float64 backward by hand, and
    going back through each layer l the norm is multiplied by at most 1/4 · σ_max(W_l) (the
    largest singular value, by torch.linalg.matrix_norm in float64), which is below 1 everywhere."""
    hooked, layers, inputs = stack_norms(activation, gain)
    by_hand = backward_by_hand(layers, inputs, activation)
    largest = [float(torch.linalg.matrix_norm(layer.weight.detach().double(), ord=2)) for layer in layers]
    factors = [SIGMOID_SLOPE * value for value in largest]
    ratios = [by_hand[i - 1] / by_hand[i] for i in range(1, len(layers))]
    within = all(ratio <= factors[i + 1] for i, ratio in enumerate(ratios))
    below_one = all(factor < 1 for factor in factors)
    return fact(
        agree(hooked, by_hand) and within and below_one,
        evidence(
            "lesson3.evidence.sigmoid_bound",
            agree=yes_no(agree(hooked, by_hand)),
            worst=brief(max(r / factors[i + 1] for i, r in enumerate(ratios))),
            largest=brief(max(factors)),
        ),
        ratios=ratios,
        factors=factors,
    )


@claim("l3.vanishing_and_stable", cell=8, quote="prose")
def _vanishing_and_stable(relu_gain: float = 2**0.5, sigmoid_gain: float = 1.0) -> Verdict:
    """With the float64 backward by hand (checked against the hooks): the sigmoid stack's first
    layer norm over its last is below 10⁻⁹; the ReLU stack with He's gain keeps max / min ≤ 10."""
    sigmoid_hooked, layers, inputs = stack_norms(torch.sigmoid, sigmoid_gain)
    sigmoid = backward_by_hand(layers, inputs, torch.sigmoid)
    relu_hooked, layers, inputs = stack_norms(torch.relu, relu_gain)
    relu = backward_by_hand(layers, inputs, torch.relu)
    vanished = sigmoid[0] / sigmoid[-1]
    spread = max(relu) / min(relu)
    hooks = agree(sigmoid_hooked, sigmoid) and agree(relu_hooked, relu)
    return fact(
        hooks and vanished < VANISHED and spread <= STABLE,
        evidence(
            "lesson3.evidence.vanishing",
            vanished=brief(vanished),
            spread=brief(spread),
            agree=yes_no(hooks),
        ),
        vanished=vanished,
        spread=spread,
    )


def exploded_grads() -> list[torch.Tensor]:
    """The weights of the lesson's linear stack with gain 1.5, after its backward pass."""
    _, layers, _ = stack_norms(lambda t: t, 1.5)
    return [layer.weight for layer in layers]


def flat(weights: list[torch.Tensor]) -> torch.Tensor:
    return torch.cat([w.grad.detach().reshape(-1) for w in weights]).double()


def cosine(a: torch.Tensor, b: torch.Tensor) -> float:
    return float((a @ b) / (a.norm() * b.norm()))


DIRECTION_KEPT = 1e-6  # a cosine this close to 1 is the same direction, up to float32 rounding
DIRECTION_CHANGED = 1e-3  # a cosine this far below 1 is a turn, far beyond rounding
NORM_KEPT = 1e-5  # relative: clip_grad_norm_ divides by total + 1e-6, and works in float32


@claim("l3.clip_norm_keeps_direction", cell=8, quote="prose")
def _clip_norm_keeps_direction(
    max_norm: float = 1.0, clip_value: float = 0.01, clip: Callable | None = None
) -> Verdict:
    """On the exploding stack's gradients: clip (clip_grad_norm_) returns √Σg² computed here in
    float64, leaves a total norm of max_norm and a cosine of 1 with the gradient; clip_grad_value_
    leaves every element within ±clip_value and a cosine clearly below 1."""
    weights = exploded_grads()
    before = flat(weights)
    returned = float((clip or torch.nn.utils.clip_grad_norm_)(weights, max_norm=max_norm))
    after = flat(weights)
    norm_fact = fact(
        abs(returned - float(before.norm())) <= NORM_KEPT * float(before.norm())
        and abs(float(after.norm()) - max_norm) <= NORM_KEPT * max_norm
        and 1 - cosine(after, before) <= DIRECTION_KEPT,
        evidence(
            "lesson3.evidence.clip_norm",
            returned=brief(returned),
            total=brief(float(before.norm())),
            after=brief(float(after.norm())),
            cosine=brief(cosine(after, before)),
        ),
    )
    weights = exploded_grads()
    torch.nn.utils.clip_grad_value_(weights, clip_value=clip_value)
    by_value = flat(weights)
    value_fact = fact(
        float(by_value.abs().max()) <= clip_value and 1 - cosine(by_value, before) > DIRECTION_CHANGED,
        evidence(
            "lesson3.evidence.clip_value",
            largest=brief(float(by_value.abs().max())),
            cosine=brief(cosine(by_value, before)),
        ),
    )
    return worst(norm_fact, value_fact)


__all__ = ["backward_by_hand", "derivative", "exploded_grads", "layer_norms", "stack_norms"]
