"""Lesson 4's claims of § 2 to § 5: the local rules, reverse mode, broadcasting and the matrix product.

§ 2 and § 3 judge the engine the notebook writes (its `Value`, `add`, `mul`, `topological_order`
and `backward`, read from the cells that share them), § 3's last claims and § 5 the reference
engine; § 4 the notebook's `unbroadcast`. Every gradient is compared with PyTorch's (autograd or
torch.func.vjp) or with a float64 formula, never with the engine's own.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import torch

from autograd_lessons.lessons.own_autograd import LESSON, engine
from autograd_lessons.lessons.own_autograd import programs as hidden
from autograd_lessons.numbers import shape_text, shortest, values_text
from autograd_lessons.verdicts import Verdict, agreement, compare, evidence, fact, fd_check, shown, worst

claim = LESSON.claim
DTYPE = torch.float64  # the engine's dtype, and that of every comparison here


def in_float64(check: Callable[..., Verdict]) -> Callable[..., Verdict]:
    """Run a claim with float64 as the default dtype, as the notebook does (its first cell sets
    it), so that the notebook's shared code makes the same tensors here; the caller's default
    dtype is restored afterwards."""

    @functools.wraps(check)
    def run(**inputs: object) -> Verdict:
        before = torch.get_default_dtype()
        torch.set_default_dtype(DTYPE)
        try:
            return check(**inputs)
        finally:
            torch.set_default_dtype(before)

    return run


def floats(values: object) -> torch.Tensor:
    return torch.as_tensor(values, dtype=DTYPE).clone()


def notebook_engine(add: Callable | None = None, mul: Callable | None = None):
    """A fresh copy of the engine the notebook writes in § 1 to § 3: its Value class with its add
    and mul (or the ones given), and its backward function."""
    value = LESSON.shared("Value", {"torch": torch})
    scope = {"torch": torch, "Value": value}
    value.__add__ = add or LESSON.shared("add", scope)
    value.__mul__ = mul or LESSON.shared("mul", scope)
    order = LESSON.shared("topological_order", {})
    backward = LESSON.shared("backward", {"torch": torch, "topological_order": order})
    return value, backward


def torch_grads(function: Callable, *inputs: torch.Tensor) -> tuple[torch.Tensor, ...]:
    """PyTorch's gradients of the scalar function(*inputs) with respect to each input, in float64."""
    with torch.enable_grad():
        leaves = [x.detach().clone().to(DTYPE).requires_grad_(True) for x in inputs]
        return torch.autograd.grad(function(*leaves), leaves)


def vjp(function: Callable, inputs: tuple[torch.Tensor, ...], cotangent: torch.Tensor) -> tuple[torch.Tensor, ...]:
    """The vector–Jacobian product of `function` at `inputs` (torch.func.vjp), in float64."""
    _, pullback = torch.func.vjp(function, *(x.to(DTYPE) for x in inputs))
    return pullback(cotangent.to(DTYPE))


def same_shape_compare(actual: torch.Tensor, expected: torch.Tensor, label: str, formula: str) -> Verdict:
    """compare() with evidence, or a false verdict when the shapes differ."""
    if tuple(actual.shape) != tuple(expected.shape):
        return fact(
            False,
            evidence(
                "lesson4.evidence.shape",
                what=label,
                actual=shape_text(tuple(actual.shape)),
                expected=shape_text(tuple(expected.shape)),
            ),
            shape=tuple(actual.shape),
        )
    return agreement(compare(actual, expected), f"{label} = {shown(actual)}", f"{formula} = {values_text(expected)}")


# --------------------------------------------------------------------------- § 2 local rules


@claim("l4.add_mul_rules", cell=2, quote="prose")
@in_float64
def _add_mul_rules(
    a: object = (2.0, -1.0), b: object = (3.0, 0.5), g: object = (1.0, 10.0), add=None, mul=None
) -> Verdict:
    """The notebook's add and mul rules, called by hand with the gradient g, against
    torch.func.vjp of a + b and a * b at the lesson's a and b."""
    a, b, g = floats(a), floats(b), floats(g)
    value, _ = notebook_engine(add, mul)
    checks = []
    for symbol, function in (("+", torch.add), ("*", torch.mul)):
        left, right = value(a), value(b)
        out = left + right if symbol == "+" else left * right
        out.grad = g.clone()
        out._backward()
        expected = vjp(function, (a, b), g)
        for name, operand, want in (("a", left, expected[0]), ("b", right, expected[1])):
            label = f"({name} {symbol} ·).grad" if name == "a" else f"(· {symbol} {name}).grad"
            checks.append(same_shape_compare(operand.grad, want, label, "torch.func.vjp"))
    return worst(*checks)


# --------------------------------------------------------------------------- § 3 reverse mode


@claim("l4.seed", cell=3, quote="prose")
@in_float64
def _seed(x: object = (0.0, 1.0, 2.0, 3.0), backward=None) -> Verdict:
    """The notebook's backward from y = x * x (not a scalar) against PyTorch's gradient of
    y.sum(); and its initial gradient against torch.ones_like(y)."""
    x = floats(x)
    value, lesson_backward = notebook_engine()
    run = backward or lesson_backward
    leaf = value(x)
    y = leaf * leaf
    run(y)
    initial = agreement(compare(y.grad, torch.ones_like(y.data)), f"y.grad = {shown(y.grad)}", "torch.ones_like(y)")
    (want,) = torch_grads(lambda t: (t * t).sum(), x)
    return worst(initial, same_shape_compare(leaf.grad, want, "x.grad", "PyTorch, (x * x).sum()"))


def mul_assigning(self, other):
    """The product with a rule that assigns (=) instead of adding (+=): what the sentence warns of."""
    out = type(self)(self.data * other.data, (self, other), "mul")

    def _backward() -> None:
        self.grad = out.grad * other.data
        other.grad = out.grad * self.data

    out._backward = _backward
    return out


@claim("l4.accumulation", cell=3, quote="prose")
@in_float64
def _accumulation(x: object = (0.0, 1.0, 2.0, 3.0), mul=None) -> Verdict:
    """x * x on the notebook's engine: x.grad against the float64 formula 2x and PyTorch's
    gradient; the same product with a rule that assigns gives x."""
    x = floats(x)
    value, backward = notebook_engine(mul=mul)
    leaf = value(x)
    backward(leaf * leaf)
    (torch_grad,) = torch_grads(lambda t: (t * t).sum(), x)
    twice = worst(
        same_shape_compare(leaf.grad, 2 * x, "x.grad", "2x"),
        same_shape_compare(leaf.grad, torch_grad, "x.grad", "PyTorch"),
    )
    plain, _ = notebook_engine(mul=mul_assigning)
    overwritten = plain(x)
    backward(mul_assigning(overwritten, overwritten))
    once = same_shape_compare(overwritten.grad, x, "x.grad (=)", "x")
    return worst(twice, once)


def one_pass_loss(a, b, c):
    """§ 3's loss of three inputs: five operations, the input a used twice."""
    return ((a * b + c).tanh() * a).sum()


ONE_PASS_INPUTS = ((0.5, -1.0, 2.0), (1.5, 0.3, -0.7), (0.2, 0.1, -0.4))  # § 3's a, b and c


@claim("l4.one_pass", cell=3, quote="prose")
@in_float64
def _one_pass(engine_class: type = engine.Value, inputs: tuple = ONE_PASS_INPUTS) -> Verdict:
    """One call of backward(): every operation's rule runs exactly once (counted by wrapping each
    rule), and every input's gradient agrees with PyTorch's autograd."""
    tensors = [floats(values) for values in inputs]
    leaves = [engine_class(t) for t in tensors]
    loss = one_pass_loss(*leaves)
    runs: dict[int, int] = {}
    operations = [v for v in loss.topological_order() if v._prev]
    for node in operations:
        rule = node._backward

        def counted(node=node, rule=rule) -> None:
            runs[id(node)] = runs.get(id(node), 0) + 1
            rule()

        node._backward = counted
    loss.backward()  # one call
    counts = sorted({runs.get(id(node), 0) for node in operations})
    once = fact(
        counts == [1],
        evidence("lesson4.evidence.one_pass", operations=len(operations), runs=", ".join(map(str, counts))),
        runs=counts,
    )
    wanted = torch_grads(one_pass_loss, *tensors)
    grads = [
        same_shape_compare(leaf.grad, want, f"{name}.grad", "PyTorch")
        for name, leaf, want in zip("abc", leaves, wanted, strict=True)
    ]
    return worst(once, *grads)


@claim("l4.programs", cell=3, quote="prose")
@in_float64
def _programs(engine_class: type = engine.Value, compositions: int | None = None) -> Verdict:
    """Every hidden program (the probes and the random compositions) replayed on the engine: each
    input's gradient against PyTorch's autograd in float64, within the checker's GRADIENT_ULPS."""
    chosen = hidden.probes() + (hidden.compositions() if compositions is None else hidden.compositions(compositions))
    worst_ulps, worst_program = 0.0, ""
    for program in chosen:
        try:
            out, inputs = hidden.replay(program, engine_class)
            out.backward()
        except Exception as error:  # an engine that raises does not give PyTorch's gradients
            kind = type(getattr(error, "kind", None) or error).__name__
            reason = getattr(error, "text", None) or f"{kind}: {error}"
            return fact(
                False, evidence("lesson4.evidence.program_raised", program=program.name, error=str(reason)[:200])
            )
        for (name, _), leaf, want in zip(program.inputs, inputs, hidden.torch_gradients(program), strict=True):
            grad = getattr(leaf, "grad", None)
            if not isinstance(grad, torch.Tensor) or grad.shape != want.shape:
                shape = shape_text(tuple(grad.shape)) if isinstance(grad, torch.Tensor) else type(grad).__name__
                return fact(
                    False,
                    evidence("lesson4.evidence.program_shape", program=program.name, input=name, shape=shape),
                )
            found = compare(grad.to(DTYPE), want, tolerance=hidden.GRADIENT_ULPS)
            if found.status == "false":
                return fact(
                    False,
                    evidence(
                        "lesson4.evidence.program_differs",
                        program=program.name,
                        input=name,
                        ulps=shortest(found.ulps or 0.0),
                    ),
                    program=program.name,
                )
            if (found.ulps or 0.0) > worst_ulps:
                worst_ulps, worst_program = found.ulps or 0.0, program.name
    return fact(
        True,
        evidence(
            "lesson4.evidence.programs",
            count=len(chosen),
            limit=hidden.GRADIENT_ULPS,
            worst=shortest(round(worst_ulps, 1)),
            program=worst_program or "—",
        ),
    )


# --------------------------------------------------------------------------- § 4 broadcasting

BATCH = torch.arange(12.0, dtype=DTYPE).reshape(3, 4) / 10  # § 4's batch, 3 rows of 4
BIAS = (0.1, 0.2, 0.3, 0.4)  # § 4's bias
UPSTREAM = ((1.0, -2.0, 0.5, 3.0), (0.0, 1.0, 1.0, -1.0), (2.0, 0.5, -1.0, 1.0))  # § 4's C


@claim("l4.bias_column_sums", cell=4, quote="prose")
@in_float64
def _bias_column_sums(
    batch: object = None, bias: object = BIAS, upstream: object = UPSTREAM, unbroadcast=None
) -> Verdict:
    """PyTorch's gradient of ((batch + bias) * C).sum() with respect to the bias against the
    column sums of C (float64) and against the notebook's unbroadcast of the batch-shaped
    gradient C; all of the bias's shape."""
    batch = BATCH.clone() if batch is None else floats(batch)
    bias, upstream = floats(bias), floats(upstream)
    summing = unbroadcast or LESSON.shared("unbroadcast", {"torch": torch})
    _, want = torch_grads(lambda x, b: ((x + b) * upstream).sum(), batch, bias)
    column_sums = upstream.sum(dim=0).reshape(bias.shape)  # a (4,) bias, or a (1, 4) row
    return worst(
        same_shape_compare(want, column_sums, "b.grad (PyTorch)", "C.sum(dim=0)"),
        same_shape_compare(summing(upstream.clone(), tuple(bias.shape)), want, "unbroadcast(C, b.shape)", "PyTorch"),
    )


# --------------------------------------------------------------------------- § 5 matrix product

A_DATA = ((1.0, 2.0, 0.5), (-1.0, 0.0, 3.0))  # § 5's A, (2, 3)
B_DATA = torch.arange(12.0, dtype=DTYPE).reshape(3, 4) / 4  # § 5's B, (3, 4)
G_DATA = ((1.0, -1.0, 0.5, 2.0), (0.0, 1.0, -2.0, 1.0))  # § 5's G, (2, 4)


def matmul_rule(g: torch.Tensor, a: torch.Tensor, b: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The sentence's rule: A's gradient G @ Bᵀ, B's Aᵀ @ G."""
    return g @ b.T, a.T @ g


@claim("l4.matmul_rule", cell=5, quote="prose")
@in_float64
def _matmul_rule(a: object = A_DATA, b: object = None, g: object = G_DATA, rule=matmul_rule) -> Verdict:
    """The rule's two gradients against torch.func.vjp of A @ B with cotangent G, and against
    float64 central differences of (A @ B * G).sum(); their shapes against A's and B's."""
    a, g = floats(a), floats(g)
    b = B_DATA.clone() if b is None else floats(b)
    try:
        grad_a, grad_b = rule(g, a, b)
    except RuntimeError as error:
        return fact(False, evidence("lesson4.evidence.rule_raised", error=str(error).splitlines()[0][:160]))
    want_a, want_b = vjp(torch.matmul, (a, b), g)
    checks = [
        same_shape_compare(grad_a, want_a, "A.grad", "torch.func.vjp"),
        same_shape_compare(grad_b, want_b, "B.grad", "torch.func.vjp"),
    ]
    if all(check.status != "false" for check in checks):
        checks.append(fd_check(lambda t: (t @ b * g).sum(), a, grad_a))
        checks.append(fd_check(lambda t: (a @ t * g).sum(), b, grad_b))
    return worst(*checks)


__all__ = ["in_float64", "matmul_rule", "mul_assigning", "notebook_engine", "one_pass_loss"]
