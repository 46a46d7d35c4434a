"""The worked engine of lesson 4: reverse-mode automatic differentiation on tensors, on a few screens.

`Value` holds a float64 `torch.Tensor` and the values it was computed from. Each operation computes its
result with plain tensor arithmetic and, beside it, its local backward rule: given the gradient of the
result, the gradient each operand receives. PyTorch's autograd is never used; plain tensors keep
PyTorch's broadcasting and dtype rules, so every result and gradient compares exactly (or within a few
roundings) with torch.autograd's in float64. `backward()` runs the rules in reverse topological order.
`Dual` is the same algebra in forward mode (a value and its tangent: its derivative along one
direction), and `jvp` runs a function on duals, like torch.func.jvp.
"""

from __future__ import annotations

import torch

DTYPE = torch.float64  # the engine's one dtype: the one whose results the checks compare with torch's
CONSTANT = "const"  # the operation name of a number or tensor that an operation lifted into the graph


def unbroadcast(grad: torch.Tensor, shape: tuple[int, ...]) -> torch.Tensor:
    """The gradient of a broadcast operand summed back to its `shape`: every copy broadcasting made (along
    missing leading dimensions and dimensions of size 1) received a gradient; the operand's is their sum."""
    while grad.dim() > len(shape):
        grad = grad.sum(dim=0)
    for dim, size in enumerate(shape):
        if size == 1 and grad.shape[dim] != 1:
            grad = grad.sum(dim=dim, keepdim=True)
    return grad


class Value:
    """A tensor in the graph: `data`, `grad`, the operands it was computed from (`_prev`, in order), the
    operation's name (`_op`: "" for an input, CONSTANT for a lifted number or tensor) and its rule `_backward`."""

    def __init__(self, data: object, _prev: tuple[Value, ...] = (), _op: str = "") -> None:
        self.data = torch.as_tensor(data, dtype=DTYPE)
        self.grad = torch.zeros_like(self.data)
        self._prev, self._op = tuple(_prev), _op
        self._backward = lambda: None

    def __repr__(self) -> str:
        return f"Value(data={self.data}, grad={self.grad})"

    def _lift(self, other: object) -> Value:
        """`other` as a value of the graph: a Python number or a tensor becomes a constant."""
        return other if isinstance(other, Value) else type(self)(other, _op=CONSTANT)

    def _accumulate(self, grad: torch.Tensor) -> None:
        """Add one user's contribution to this value's gradient, summed back to its shape: +=,
        not =, because a value used by several operations receives the sum of theirs."""
        self.grad += unbroadcast(grad, self.data.shape)

    def _result(self, data: torch.Tensor, parents: tuple[Value, ...], op: str, rule) -> Value:
        """The value `data` that `op` made from `parents`; its backward gives `rule(out.grad)` to them."""
        out = type(self)(data, parents, op)

        def _backward() -> None:
            for parent, grad in zip(parents, rule(out.grad), strict=True):
                parent._accumulate(grad)

        out._backward = _backward
        return out

    def __add__(self, other: object) -> Value:
        other = self._lift(other)
        return self._result(self.data + other.data, (self, other), "add", lambda g: (g, g))

    def __sub__(self, other: object) -> Value:
        other = self._lift(other)
        return self._result(self.data - other.data, (self, other), "sub", lambda g: (g, -g))

    def __neg__(self) -> Value:
        return self._result(-self.data, (self,), "neg", lambda g: (-g,))

    def __mul__(self, other: object) -> Value:
        other = self._lift(other)
        a, b = self.data, other.data
        return self._result(a * b, (self, other), "mul", lambda g: (g * b, g * a))

    def __truediv__(self, other: object) -> Value:
        other = self._lift(other)
        a, b = self.data, other.data
        return self._result(a / b, (self, other), "div", lambda g: (g / b, -g * a / (b * b)))

    def __pow__(self, exponent: float) -> Value:
        """self ** exponent, for a Python number `exponent` (d/da aᵖ = p·aᵖ⁻¹)."""
        a = self.data
        return self._result(a**exponent, (self,), "pow", lambda g: (g * (exponent * a ** (exponent - 1)),))

    def exp(self) -> Value:
        e = self.data.exp()
        return self._result(e, (self,), "exp", lambda g: (g * e,))

    def log(self) -> Value:
        return self._result(self.data.log(), (self,), "log", lambda g: (g / self.data,))

    def tanh(self) -> Value:
        t = self.data.tanh()
        return self._result(t, (self,), "tanh", lambda g: (g * (1 - t * t),))

    def relu(self) -> Value:
        r = self.data.clamp(min=0)  # max(x, 0), whose derivative at 0 is taken to be 0, as PyTorch takes it
        return self._result(r, (self,), "relu", lambda g: (torch.where(r > 0, g, 0.0),))

    def sum(self) -> Value:
        return self._result(self.data.sum(), (self,), "sum", lambda g: (g.expand(self.data.shape),))

    def mean(self) -> Value:
        a = self.data
        return self._result(a.mean(), (self,), "mean", lambda g: (g.expand(a.shape) / a.numel(),))

    def __matmul__(self, other: object) -> Value:
        """The product of two matrices (2-D): for out = a @ b, a's gradient is g @ bᵀ and b's aᵀ @ g."""
        other = self._lift(other)
        a, b = self.data, other.data
        return self._result(a @ b, (self, other), "matmul", lambda g: (g @ b.T, a.T @ g))

    __radd__, __rmul__ = __add__, __mul__  # number + value, number * value

    def __rsub__(self, other: object) -> Value:
        return self._lift(other) - self

    def __rtruediv__(self, other: object) -> Value:
        return self._lift(other) / self

    def topological_order(self) -> list[Value]:
        """Every value this one depends on, itself last, each after all of its operands: depth-first,
        with an explicit stack, not recursion (a graph can be deeper than Python's recursion limit)."""
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            value, operands_done = stack.pop()
            if operands_done:
                order.append(value)
            elif id(value) not in seen:
                seen.add(id(value))
                stack.append((value, True))
                stack.extend((parent, False) for parent in reversed(value._prev))
        return order

    def backward(self) -> None:
        """Fill in the gradient of this value with respect to every value it depends on."""
        order = self.topological_order()
        self.grad = torch.ones_like(self.data)  # the initial gradient: d self / d self
        for value in reversed(order):  # each value after all of its users
            value._backward()


class Dual:
    """Forward mode: a `value` and its `tangent` (its derivative along one direction of the inputs),
    computed together by every operation. Tangents broadcast as values do."""

    def __init__(self, value: object, tangent: object = None) -> None:
        self.value = torch.as_tensor(value, dtype=DTYPE)
        self.tangent = torch.zeros_like(self.value) if tangent is None else torch.as_tensor(tangent, dtype=DTYPE)

    def _lift(self, other: object) -> Dual:
        return other if isinstance(other, Dual) else type(self)(other)  # a constant: its tangent is zero

    def __add__(self, other: object) -> Dual:
        other = self._lift(other)
        return type(self)(self.value + other.value, self.tangent + other.tangent)

    def __sub__(self, other: object) -> Dual:
        other = self._lift(other)
        return type(self)(self.value - other.value, self.tangent - other.tangent)

    def __neg__(self) -> Dual:
        return type(self)(-self.value, -self.tangent)

    def __mul__(self, other: object) -> Dual:
        other = self._lift(other)
        return type(self)(self.value * other.value, self.tangent * other.value + self.value * other.tangent)

    def __truediv__(self, other: object) -> Dual:
        b = self._lift(other)
        return type(self)(self.value / b.value, self.tangent / b.value - self.value * b.tangent / (b.value * b.value))

    def __pow__(self, exponent: float) -> Dual:
        return type(self)(self.value**exponent, exponent * self.value ** (exponent - 1) * self.tangent)

    def exp(self) -> Dual:
        e = self.value.exp()
        return type(self)(e, e * self.tangent)

    def log(self) -> Dual:
        return type(self)(self.value.log(), self.tangent / self.value)

    def tanh(self) -> Dual:
        t = self.value.tanh()
        return type(self)(t, (1 - t * t) * self.tangent)

    def relu(self) -> Dual:
        return type(self)(self.value.clamp(min=0), torch.where(self.value > 0, self.tangent, 0.0))

    def sum(self) -> Dual:
        return type(self)(self.value.sum(), self.tangent.sum())

    def mean(self) -> Dual:
        return type(self)(self.value.mean(), self.tangent.mean())

    def __matmul__(self, other: object) -> Dual:
        other = self._lift(other)
        return type(self)(self.value @ other.value, self.tangent @ other.value + self.value @ other.tangent)

    __radd__, __rmul__ = __add__, __mul__

    def __rsub__(self, other: object) -> Dual:
        return self._lift(other) - self

    def __rtruediv__(self, other: object) -> Dual:
        return self._lift(other) / self


def jvp(f, inputs: tuple, tangents: tuple) -> tuple[torch.Tensor, torch.Tensor]:
    """(f(*inputs), f's derivative at `inputs` along `tangents`), like torch.func.jvp: one pass on duals."""
    out = f(*(Dual(x, t) for x, t in zip(inputs, tangents, strict=True)))
    return out.value, out.tangent


__all__ = ["CONSTANT", "DTYPE", "Dual", "Value", "jvp", "unbroadcast"]
