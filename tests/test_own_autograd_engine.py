"""Lesson 4's foundation: the worked engine equals PyTorch's autograd, the diagnosis names the first
wrong operation and the typical mistake behind it (in both languages) whatever the learner's engine
does, and the pictures of a hand-written engine's graph match PyTorch's node for node."""

from __future__ import annotations

import re
from collections import Counter, deque

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autograd_lessons import engine_graph as adapter
from autograd_lessons import guard, set_language
from autograd_lessons.engine_graph import engine_graph
from autograd_lessons.graph import trace
from autograd_lessons.i18n import LANGUAGES, MESSAGES, LessonError, placeholders, read_po
from autograd_lessons.lessons.own_autograd import engine as reference
from autograd_lessons.lessons.own_autograd import programs
from autograd_lessons.lessons.own_autograd.engine import Dual, Value, jvp, unbroadcast
from autograd_lessons.lessons.own_autograd.programs import compositions, diagnose, probes, replay, torch_gradients
from autograd_lessons.verdicts import compare

F64 = torch.float64
FAST = settings(max_examples=12, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
LOCALE = programs.Path(programs.__file__).parent / "locale"


def t(*values) -> torch.Tensor:
    return torch.tensor(values, dtype=F64)


def same(actual: torch.Tensor, expected: torch.Tensor) -> bool:
    """Equal up to the diagnosis's own tolerance (exactly equal, in most cases)."""
    return actual.shape == expected.shape and compare(actual, expected, tolerance=programs.GRADIENT_ULPS).holds


def reference_gradients(program, engine=Value) -> list[torch.Tensor]:
    out, inputs = replay(program, engine)
    out.backward()
    return [value.grad for value in inputs]


def torch_function(program):
    """The program as a function of its inputs' tensors, run on PyTorch (for torch.func.jvp)."""

    def function(*tensors):
        registers = list(tensors)
        for instruction in program.instructions:
            args = [registers[a] if isinstance(a, int) else a.fresh() for a in instruction.args]
            registers.append(programs.FUNCTIONS[instruction.op](*args))
        return registers[-1]

    return function


# --------------------------------------------------------------------------- the reference engine


@pytest.mark.parametrize("program", probes() + compositions(), ids=lambda p: p.name)
def test_the_reference_engine_gives_pytorchs_gradients(program):
    for mine, theirs in zip(reference_gradients(program), torch_gradients(program), strict=True):
        assert mine.dtype == F64 and same(mine, theirs), program.text()


@FAST
@given(st.integers(min_value=0, max_value=2**31 - 1))
def test_the_reference_engine_gives_pytorchs_gradients_on_any_seed(seed):
    for program in compositions(3, seed):
        for mine, theirs in zip(reference_gradients(program), torch_gradients(program), strict=True):
            assert same(mine, theirs), program.text()


def torch_grad(function, *inputs):
    leaves = [x.clone().requires_grad_(True) for x in inputs]
    function(*leaves).backward()
    return [leaf.grad for leaf in leaves]


def engine_grad(function, *inputs):
    values = [Value(x.clone()) for x in inputs]
    function(*values).backward()
    return [value.grad for value in values]


HAND_CASES = {
    "x * x": (lambda x: (x * x).sum(), [t(1.5, -2.0, 0.25)]),
    "2 x·x": (lambda x: 2.0 * (x * x).sum(), [t(1.5, -2.0, 0.25)]),
    "quadratic form x A xᵀ": (
        lambda x, A: ((x @ A) * x).sum(),
        [t(1.0, -2.0, 3.0)[None], torch.randn(3, 3, dtype=F64)],
    ),
    "bias on a batch": (lambda X, b: (X + b).sum(), [torch.randn(5, 3, dtype=F64), t(0.5, -1.0, 2.0)]),
    "row and scalar": (
        lambda X, r, s: (X * r - s).mean(),
        [torch.randn(2, 3, dtype=F64), t(1.0, 2.0, 3.0)[None], t(2.0)[0]],
    ),
    "non-square matmul": (
        lambda A, B: (A @ B).tanh().sum(),
        [torch.randn(2, 5, dtype=F64), torch.randn(5, 3, dtype=F64)],
    ),
    "relu at 0": (lambda x: x.relu().sum(), [t(-1.0, 0.0, 2.0)]),
    "numbers on both sides": (lambda x: (2.0 / x - 3.0 + 1.0 - x * 0.5).sum(), [t(0.5, 2.0)]),
}


@pytest.mark.parametrize("case", HAND_CASES, ids=str)
def test_hand_cases_equal_pytorch(case):
    function, inputs = HAND_CASES[case]
    for mine, theirs in zip(engine_grad(function, *inputs), torch_grad(function, *inputs), strict=True):
        assert same(mine, theirs), case


def test_hand_cases_give_the_gradients_of_their_formulas():
    x = t(1.5, -2.0, 0.25)
    function, inputs = HAND_CASES["x * x"]
    assert torch.equal(engine_grad(function, *inputs)[0], 2 * x)
    function, inputs = HAND_CASES["2 x·x"]
    assert torch.equal(engine_grad(function, *inputs)[0], 4 * x)
    function, inputs = HAND_CASES["bias on a batch"]
    assert torch.equal(engine_grad(function, *inputs)[1], torch.full((3,), 5.0, dtype=F64))
    function, inputs = HAND_CASES["relu at 0"]
    assert torch.equal(engine_grad(function, *inputs)[0], t(0.0, 0.0, 1.0))


def test_unbroadcast_sums_a_gradient_back_to_every_broadcast_shape():
    grad = torch.arange(24, dtype=F64).reshape(2, 3, 4)
    assert torch.equal(unbroadcast(grad, (4,)), grad.sum(dim=(0, 1)))
    assert torch.equal(unbroadcast(grad, (3, 1)), grad.sum(dim=(0, 2)).reshape(3, 1))
    assert torch.equal(unbroadcast(grad, ()), grad.sum())
    assert unbroadcast(grad, (2, 3, 4)) is grad


def test_the_backward_pass_is_not_recursive():
    depth = 5000  # far deeper than Python's recursion limit
    x = Value(t(0.5)[0])
    y = x
    for _ in range(depth):
        y = y * 1.0001
    y.backward()
    assert torch.isclose(x.grad, torch.tensor(1.0001**depth, dtype=F64))


def test_a_value_used_twice_accumulates_and_the_initial_gradient_is_ones():
    x = Value(t(3.0, -1.0))
    y = x * x + x
    y.backward()
    assert torch.equal(y.grad, torch.ones(2, dtype=F64)) and torch.equal(x.grad, t(7.0, -1.0))
    assert x._prev == () and x._op == "" and y._op == "add" and y._prev[1] is x


def test_constants_are_lifted_and_marked():
    x = Value(t(1.0))
    y = 2.0 - x
    assert y._op == "sub" and y._prev[0]._op == reference.CONSTANT and y._prev[1] is x
    assert y.data.dtype == F64


def lesson_engine():
    """The engine as lesson 4's notebook writes it (its cells marked shares=): Value, the rules of
    + and * (with § 5's unbroadcast), topological_order and backward."""
    from autograd_lessons import course

    lesson = course.lesson(4)
    value = lesson.shared("Value", {"torch": torch})
    summing = lesson.shared("unbroadcast", {"torch": torch})
    scope = {"Value": value, "unbroadcast": summing}
    value.__add__ = lesson.shared("add", scope)
    value.__mul__ = lesson.shared("mul", scope)
    order = lesson.shared("topological_order", {})
    return value, lesson.shared("backward", {"torch": torch, "topological_order": order}), order, summing


def body(node) -> str:
    """A function's statements without its docstring (nor type hints or comments), as ast.dump shows them."""
    import ast

    docstring = isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
    return "\n".join(ast.dump(statement) for statement in node.body[docstring:])


def definition(cells, name: str):
    """The ast of the function `name` in the lesson's cell that shares it."""
    import ast

    from autograd_lessons import sources

    (cell,) = [cell for cell in cells if cell.kind == "code" and name in sources.shares(cell)]
    return next(node for node in ast.parse(cell.source).body if getattr(node, "name", None) == name)


@given(seed=st.integers(0, 2**16))
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_lessons_engine_cells_and_the_package_engine_give_the_same_gradients(seed):
    """Lesson 4 shows its engine in its cells and the package runs engine.py: on random graphs of
    + and * of one shape (values reused; § 2's rules do not broadcast), both give the same
    gradients (within the roundings of sums added in another order: the walks differ), and each
    orders every value after its operands."""
    lesson_value, lesson_backward, lesson_order, _ = lesson_engine()
    generator = torch.Generator().manual_seed(seed)
    data = [torch.randn(3, 4, generator=generator, dtype=F64) for _ in range(4)]
    plan = torch.randint(0, 1 << 30, (6, 3), generator=generator).tolist()
    results = []
    for kind in (lesson_value, Value):
        values = [kind(d) for d in data]
        for a, b, op in plan:
            left, right = values[a % len(values)], values[b % len(values)]
            values.append(left + right if op % 2 else left * right)
        out = values[-1]
        if kind is Value:
            out.backward()
            order = out.topological_order()
        else:
            lesson_backward(out)
            order = lesson_order(out)
        position = {id(v): i for i, v in enumerate(order)}
        assert all(position[id(p)] < position[id(v)] for v in order for p in v._prev)
        results.append([v.grad for v in values[: len(data)]])
    for mine, theirs in zip(*results, strict=True):  # the walks differ, so do the orders of the sums
        assert same(mine, theirs)


def test_the_lessons_unbroadcast_and_topological_order_are_the_package_ones():
    """Written twice on purpose (the lesson shows the code the package runs): the same statements,
    the lesson's walk pushing operands in their order, engine.py's in reverse (so that it visits
    them left to right, as the lesson's pictures read)."""
    import ast
    import inspect
    import textwrap

    from autograd_lessons import course

    lesson = course.lesson(4)
    cells = lesson.source_cells(lesson.notebook)
    package = ast.parse(inspect.getsource(reference)).body
    engine = {node.name: node for node in package if isinstance(node, ast.FunctionDef)}
    assert body(definition(cells, "unbroadcast")) == body(engine["unbroadcast"])
    walk = textwrap.dedent(inspect.getsource(reference.Value.topological_order))
    walk = walk.replace("reversed(value._prev)", "value._prev").replace("operands_done", "parents_done")
    assert body(definition(cells, "topological_order")) == body(ast.parse(walk.replace("self", "root")).body[0])


def test_the_engine_fits_on_a_few_screens():
    assert len(programs.Path(reference.__file__).read_text(encoding="utf-8").splitlines()) <= 220


# --------------------------------------------------------------------------- forward mode


@pytest.mark.parametrize("program", probes()[:20] + compositions()[:14], ids=lambda p: p.name)
def test_dual_numbers_give_pytorchs_jvp(program):
    inputs = tuple(value for _, value in program.inputs)
    source = torch.Generator().manual_seed(len(program.instructions))
    tangents = tuple(torch.randn(x.shape, dtype=F64, generator=source) for x in inputs)
    made = iter(tangents)
    out, _ = replay(program, lambda value: Dual(value, next(made)))
    value, tangent = torch.func.jvp(torch_function(program), inputs, tangents)
    assert same(out.value, value) and same(out.tangent, tangent), program.text()


def test_jvp_runs_a_function_on_duals():
    x, v = t(0.5, 2.0), t(1.0, -1.0)
    mine = jvp(lambda a: (a.exp() * a).sum(), (x,), (v,))
    theirs = torch.func.jvp(lambda a: (a.exp() * a).sum(), (x,), (v,))
    assert all(same(m, o) for m, o in zip(mine, theirs, strict=True))


# --------------------------------------------------------------------------- right engines


class Subclassed(Value):
    """A learner who subclasses the reference, adds an operation and sums to shape another way."""

    def sigmoid(self):
        s = torch.sigmoid(self.data)
        return self._result(s, (self,), "sigmoid", lambda g: (g * s * (1 - s),))

    def _accumulate(self, grad):
        self.grad = self.grad + grad.sum_to_size(self.data.shape)


def _node(data):
    return data if isinstance(data, DictEngine) else DictEngine(torch.as_tensor(data, dtype=F64))


class DictEngine:
    """An engine written differently: rules in a dict keyed by operation, gradients None until
    they arrive, numbers lifted as plain leaves, order by a depth-first walk with a stack."""

    RULES = {
        "+": lambda out, a, b: (out.grad, out.grad),
        "-": lambda out, a, b: (out.grad, -out.grad),
        "neg": lambda out, a: (-out.grad,),
        "*": lambda out, a, b: (out.grad * b.data, out.grad * a.data),
        "/": lambda out, a, b: (out.grad / b.data, -out.grad * a.data / b.data**2),
        "**": lambda out, a: (out.grad * out.exponent * a.data ** (out.exponent - 1),),
        "exp": lambda out, a: (out.grad * out.data,),
        "log": lambda out, a: (out.grad / a.data,),
        "tanh": lambda out, a: (out.grad * (1 - out.data**2),),
        "relu": lambda out, a: (out.grad * (a.data > 0),),
        "sum": lambda out, a: (out.grad * torch.ones_like(a.data),),
        "mean": lambda out, a: (out.grad * torch.ones_like(a.data) / a.data.numel(),),
        "@": lambda out, a, b: (out.grad @ b.data.transpose(0, 1), a.data.transpose(0, 1) @ out.grad),
    }

    def __init__(self, data, children=(), op="", exponent=None):
        self.data, self.grad = data, None
        self.children, self.op, self.exponent = list(children), op, exponent

    def __add__(self, other):
        other = _node(other)
        return DictEngine(self.data + other.data, (self, other), "+")

    def __sub__(self, other):
        other = _node(other)
        return DictEngine(self.data - other.data, (self, other), "-")

    def __mul__(self, other):
        other = _node(other)
        return DictEngine(self.data * other.data, (self, other), "*")

    def __truediv__(self, other):
        other = _node(other)
        return DictEngine(self.data / other.data, (self, other), "/")

    def __matmul__(self, other):
        other = _node(other)
        return DictEngine(self.data @ other.data, (self, other), "@")

    __radd__, __rmul__ = __add__, __mul__

    def __rsub__(self, other):
        return _node(other) - self

    def __rtruediv__(self, other):
        return _node(other) / self

    def __neg__(self):
        return DictEngine(-self.data, (self,), "neg")

    def __pow__(self, exponent):
        return DictEngine(self.data**exponent, (self,), "**", exponent)

    def _unary(self, op, data):
        return DictEngine(data, (self,), op)

    def exp(self):
        return self._unary("exp", self.data.exp())

    def log(self):
        return self._unary("log", self.data.log())

    def tanh(self):
        return self._unary("tanh", self.data.tanh())

    def relu(self):
        return self._unary("relu", self.data.clamp(min=0))

    def sum(self):
        return self._unary("sum", self.data.sum())

    def mean(self):
        return self._unary("mean", self.data.mean())

    def order(self):
        """Depth-first, post-order, with an explicit stack of (node, next child to visit)."""
        order, seen, stack = [], set(), [(self, 0)]
        while stack:
            node, i = stack.pop()
            if i == 0 and id(node) in seen:
                continue
            seen.add(id(node))
            if i < len(node.children):
                stack.append((node, i + 1))
                if id(node.children[i]) not in seen:
                    stack.append((node.children[i], 0))
            else:
                order.append(node)
        return order

    def backward(self):
        self.grad = torch.ones_like(self.data)
        for node in reversed(self.order()):
            if node.children:
                for child, grad in zip(node.children, self.RULES[node.op](node, *node.children), strict=True):
                    grad = grad.sum_to_size(child.data.shape)
                    child.grad = grad if child.grad is None else child.grad + grad


class Rounding(Value):
    """Right, but rounding otherwise: a broadcast gradient summed slice by slice from the end,
    tanh's derivative as (1 - t)(1 + t), a / b as a * (1 / b): a few ulps from PyTorch."""

    def _accumulate(self, grad):
        while grad.dim() > self.data.dim():
            grad = sum(reversed(grad.unbind(0)))
        for dim, size in enumerate(self.data.shape):
            if size == 1 and grad.shape[dim] != 1:
                grad = sum(reversed(grad.unbind(dim))).unsqueeze(dim)
        self.grad = self.grad + grad

    def tanh(self):
        t_ = self.data.tanh()
        return self._result(t_, (self,), "tanh", lambda g: (g * ((1 - t_) * (1 + t_)),))

    def __truediv__(self, other):
        other = self._lift(other)
        a, inverse = self.data, 1 / other.data
        return self._result(a * inverse, (self, other), "div", lambda g: (g * inverse, -(g * a) * inverse * inverse))


def test_a_right_engine_that_rounds_otherwise_is_more_than_compares_default_ulps_away():
    worst = 0.0
    for program in probes() + compositions():
        for mine, theirs in zip(reference_gradients(program, Rounding), torch_gradients(program), strict=True):
            worst = max(worst, compare(mine, theirs).ulps or 0.0)
    assert compare.__kwdefaults__["tolerance"] < worst <= programs.GRADIENT_ULPS


@pytest.mark.parametrize("engine", [Value, Subclassed, DictEngine, Rounding], ids=lambda e: e.__name__)
def test_right_engines_written_in_several_styles_are_right(engine):
    found = diagnose(engine)
    assert found.right and found.status == "right", str(found)
    assert found.count == len(probes()) + len(compositions())
    assert found.mistake is None and found.input is None
    assert str(found).startswith("your engine's gradients equal PyTorch's on all")


# --------------------------------------------------------------------------- the typical mistakes


class Assigning(Value):
    def _accumulate(self, grad):
        self.grad = unbroadcast(grad, self.data.shape)  # = instead of +=


class BreadthFirst(Value):
    def topological_order(self):  # breadth-first from the output: a node may run before all its users
        order, seen, queue = [], {id(self)}, deque([self])
        while queue:
            value = queue.popleft()
            order.append(value)
            for parent in value._prev:
                if id(parent) not in seen:
                    seen.add(id(parent))
                    queue.append(parent)
        return order[::-1]


class NotReversed(Value):
    def topological_order(self):
        return super().topological_order()[::-1]


class NoSumToShape(Value):
    def _accumulate(self, grad):
        self.grad = self.grad + grad  # the gradient keeps the broadcast shape


class NoSumInPlace(Value):
    def _accumulate(self, grad):
        self.grad += grad  # raises: a broadcast gradient does not fit the operand's


class SwappedTransposes(Value):
    def __matmul__(self, other):
        other = self._lift(other)
        a, b = self.data, other.data
        return self._result(a @ b, (self, other), "matmul", lambda g: (g @ b.T, g.T @ a))


class SeedTwo(Value):
    def backward(self):
        order = self.topological_order()
        self.grad = 2 * torch.ones_like(self.data)
        for value in reversed(order):
            value._backward()


class NoSeed(Value):
    def backward(self):
        for value in reversed(self.topological_order()):
            value._backward()


class ReluAtZero(Value):
    def relu(self):
        a = self.data
        return self._result(a.clamp(min=0), (self,), "relu", lambda g: (torch.where(a >= 0, g, 0.0),))


class WrongTanh(Value):
    def tanh(self):
        t_ = self.data.tanh()
        return self._result(t_, (self,), "tanh", lambda g: (g * (1 - t_),))


class NoUpstream(Value):
    def exp(self):  # forgets to multiply by the gradient of the result
        e = self.data.exp()
        return self._result(e, (self,), "exp", lambda g: (e,))


# engine: (mistake, stage, operation, input, words of the hint in English, in Portuguese)
MISTAKEN = {
    Assigning: ("accumulate", "reuse", "__mul__", "X", "(grad += …), not assign it", "(grad += …), e não atribuí-la"),
    BreadthFirst: ("order", "diamond", None, "X", "reverse topological order", "ordem topológica reversa"),
    NotReversed: ("order", "chain", None, "x", "the nodes of a chain", "os nós de uma cadeia"),
    NoSumToShape: (
        "unbroadcast",
        "broadcast",
        "__add__",
        "b",
        "Sum the gradient back to (4,)",
        "Some o gradiente de volta ao formato (4,)",
    ),
    NoSumInPlace: (
        "unbroadcast",
        "broadcast",
        "__add__",
        None,
        "doesn't match the broadcast shape",
        "formatos diferentes (b (4,), X (3, 4)",
    ),
    SwappedTransposes: (
        "transposes",
        "broadcast",
        "__matmul__",
        "T",
        "a receives out.grad @ b.T",
        "a recebe out.grad @ b.T",
    ),
    SeedTwo: ("seed", "single", "__add__", "x", "own gradient is 2, not ones", "gradiente da própria saída é 2"),
    NoSeed: ("seed", "single", "__add__", "x", "own gradient is 0, not ones", "gradiente da própria saída é 0"),
    ReluAtZero: (
        "relu_kink",
        "kink",
        "relu",
        "X",
        "where the input is > 0, not >= 0",
        "onde a entrada é > 0, e não >= 0",
    ),
    WrongTanh: (None, "single", "tanh", "x", "look at the rule of `tanh`", "olhe a regra de `tanh`"),
    NoUpstream: (None, "broadcast", "exp", "X", "look at the rule of `exp`", "olhe a regra de `exp`"),
}


@pytest.mark.parametrize("engine", MISTAKEN, ids=lambda e: e.__name__)
def test_each_typical_mistake_is_named_in_both_languages(engine):
    mistake, stage, operation, input_, english, portuguese = MISTAKEN[engine]
    found = diagnose(engine)
    assert (found.status, found.mistake, found.stage) == ("wrong", mistake, stage), str(found)
    assert (found.operation, found.input) == (operation, input_), str(found)
    assert found.program and f"`{found.program}`" in str(found.hint)
    if found.error is None:
        assert found.verdict is not None or "has shape" in str(found), "the comparison record is kept"
    assert english in str(found), str(found)
    set_language("pt")
    assert portuguese in str(found), str(found)
    assert found.headline.render("pt") != found.headline.render("en")


def test_a_wrong_gradient_keeps_compares_record():
    found = diagnose(WrongTanh)
    assert found.verdict.status == "false" and found.verdict.ulps > programs.GRADIENT_ULPS
    x = programs.PROBE_X
    assert found.verdict.counterexample["expected"] == pytest.approx(1 - torch.tanh(torch.tensor(x)).item() ** 2)
    assert "PyTorch's is 0.55905516773224" in str(found)


def test_an_output_gradient_thrown_away_is_not_a_wrong_initial_gradient():
    class WrongTanhForgetful(WrongTanh):  # a wrong rule, and the output's own gradient zeroed at the end
        def backward(self):
            super().backward()
            self.grad = torch.zeros_like(self.data)

    found = diagnose(WrongTanhForgetful)
    assert (found.mistake, found.operation) == (None, "tanh"), str(found)


def test_a_relu_that_differs_away_from_0_is_a_wrong_rule_not_the_kink():
    class ReluIdentity(Value):
        def relu(self):
            return self._result(self.data.clamp(min=0), (self,), "relu", lambda g: (g,))

    found = diagnose(ReluIdentity)
    assert (found.mistake, found.stage, found.operation) == (None, "broadcast", "relu"), str(found)


def test_a_relu_wrong_away_from_0_on_the_kink_probe_is_a_wrong_rule_not_the_kink():
    class WrongOnceZerosAppear(Value):  # right until its input holds a 0, then wrong everywhere
        def relu(self):
            a = self.data
            scale = 2.0 if bool((a == 0).any()) else 1.0
            return self._result(a.clamp(min=0), (self,), "relu", lambda g: (scale * torch.where(a > 0, g, 0.0),))

    found = diagnose(WrongOnceZerosAppear)
    assert (found.mistake, found.stage, found.operation) == (None, "kink", "relu"), str(found)


def test_swapped_transposes_that_raise_on_non_square_matrices_are_named_too():
    class RaisingTransposes(Value):
        def __matmul__(self, other):
            other = self._lift(other)
            a, b = self.data, other.data
            return self._result(a @ b, (self, other), "matmul", lambda g: (g @ b, a.T @ g))

    square_right = probes()[:-1]  # every probe but the last diamond, and the square product's
    chosen = tuple(p for p in square_right if "S @ T" not in p.text())
    found = programs._diagnose(RaisingTransposes, chosen)
    assert (found.mistake, found.program, found.input) == ("transposes", "(A @ B * D).sum()", None), str(found)
    assert "RuntimeError" in found.error


def test_a_composition_that_fails_after_every_probe_passed_is_named_as_a_program():
    class WrongOnlyForThreeDimensions(Value):  # right on every probe, wrong where a sum meets a (2, 2)
        def mean(self):
            a = self.data
            rule = (
                (lambda g: (g.expand(a.shape) / a.numel(),)) if a.shape != (2, 2) else (lambda g: (g.expand(a.shape),))
            )
            return self._result(a.mean(), (self,), "mean", rule)

    found = diagnose(WrongOnlyForThreeDimensions)
    assert (found.status, found.stage, found.mistake) == ("wrong", "program", None), str(found)
    assert "random programs" in str(found) and found.program.startswith(("(", "h1", "X", "-"))


# --------------------------------------------------------------------------- untrusted engines


class RaisesInExp(Value):
    def exp(self):
        raise ZeroDivisionError("no exp today")


class LoopsInBackward(Value):
    def backward(self):
        while True:
            pass


class HugeInBackward(Value):
    def backward(self):
        self.hoard = bytearray(1 << 44)


class NoRsubNoLog:
    def __init__(self, data):
        self.data = data

    __add__ = __sub__ = __mul__ = __truediv__ = __matmul__ = __pow__ = lambda self, other: self
    __radd__ = __rmul__ = __rtruediv__ = __add__
    __neg__ = exp = tanh = relu = sum = mean = backward = lambda self: self


def test_an_engine_that_raises_gets_feedback_naming_the_operation():
    found = diagnose(RaisesInExp)
    assert (found.status, found.operation, found.stage) == ("raised", "exp", "single"), str(found)
    assert "ZeroDivisionError: no exp today" in str(found) and "the forward pass, at `x.exp()`" in str(found)
    set_language("pt")
    assert "o cálculo de ida, em `x.exp()`" in str(found)


def test_an_engine_that_loops_forever_is_stopped(monkeypatch):
    monkeypatch.setattr(guard, "TIME_LIMIT_SECONDS", 0.3)
    found = diagnose(LoopsInBackward)
    assert found.status == "stopped" and str(found).startswith("stopped after 0.3 s")
    set_language("pt")
    assert str(found).startswith("interrompida depois de 0,3 s")


def test_an_engine_that_allocates_without_end_is_stopped():
    found = diagnose(HugeInBackward)
    assert found.status == "stopped" and "more memory" in str(found)


def test_an_engine_that_lacks_operations_is_told_which():
    found = diagnose(NoRsubNoLog)
    assert (found.status, found.operation) == ("missing", "log"), str(found)
    assert str(found.headline) == "your engine lacks `log`, `__rsub__`."
    assert "`x.log()` needs `log`, which your class NoRsubNoLog does not define" in str(found)
    set_language("pt")
    assert "falta ao seu motor `log`, `__rsub__`." in str(found)


@pytest.mark.parametrize(
    "engine, words",
    [
        (42, "give the check your engine's class, the one you build a value with (Value(tensor)), not a number."),
        (lambda data: 1 / 0, "raised ZeroDivisionError: division by zero"),
    ],
    ids=["not a class", "constructor raises"],
)
def test_an_engine_that_cannot_be_built_is_told_so(engine, words):
    found = diagnose(engine)
    assert found.status == "unusable" and words in str(found), str(found)


def test_gradients_that_are_not_float64_tensors_are_a_form_error():
    class Float32(Value):
        def _accumulate(self, grad):
            super()._accumulate(grad)
            self.grad = self.grad.float()

    class NoGrad(Value):
        def backward(self):
            super().backward()
            self.grad = None  # only the output's grad is thrown away: its inputs keep theirs

    class ListGrad(Value):
        def _accumulate(self, grad):
            super()._accumulate(grad)
            self.grad = self.grad.tolist()

    assert "x.grad is a float32 tensor" in str(diagnose(Float32))
    assert diagnose(NoGrad).right
    found = diagnose(ListGrad)
    assert found.status == "wrong" and "x.grad is a list of" not in str(found) and "not a tensor" in str(found)
    assert str(found.headline) == "your engine's gradients are not float64 tensors."


def test_the_learners_engine_never_changes_the_programs():
    class Vandal(Value):
        def __init__(self, data, *rest, **named):
            if isinstance(data, torch.Tensor):
                data.mul_(0)
            super().__init__(data, *rest, **named)

    before = [value.clone() for program in probes() for _, value in program.inputs]
    diagnose(Vandal)
    after = [value for program in probes() for _, value in program.inputs]
    assert all(torch.equal(a, b) for a, b in zip(before, after, strict=True))
    assert diagnose(Value).right


# --------------------------------------------------------------------------- the programs


def test_compositions_are_deterministic_and_cover_every_feature():
    first, again = compositions(), compositions(programs.COMPOSITIONS, programs.CHECK_SEED)
    assert [p.text() for p in first] == [p.text() for p in again]
    assert [p.text() for p in compositions.__wrapped__(7, programs.CHECK_SEED)] == [p.text() for p in first[:7]]
    texts = [p.text() for p in first]
    features = programs.FEATURES
    for number, program in enumerate(first):
        feature, text = features[number % len(features)], texts[number]
        shapes = {name: tuple(value.shape) for name, value in program.inputs}
        assert program.instructions[-1].op in ("sum", "mean") and program.stage == "program"
        assert 2 <= len(program.inputs) <= 4 or feature in ("square", "diamond", "kink"), text
        if feature == "bias":
            assert shapes["b"] == shapes["X"][1:], text
        if feature == "row":
            assert shapes["r"] == (1, shapes["X"][1]), text
        if feature == "scalar":
            assert shapes["s"] == (), text
        if feature == "matmul":
            assert "X @ W" in text and shapes["W"][0] != shapes["W"][1], text
        if feature == "kink":
            assert "X.relu()" in text and bool((dict(program.inputs)["X"] == 0).any()), text
        if feature == "diamond":
            assert "h1 = " in text, text


def test_every_program_stays_in_the_domains_and_uses_every_input():
    for program in compositions():
        grads = torch_gradients(program)
        assert all(bool(torch.isfinite(g).all()) and bool(g.any()) for g in grads), program.text()


def test_a_programs_text_is_the_python_it_runs():
    for program in probes() + compositions():
        namespace = dict(program.inputs)
        for instruction in program.instructions:
            for arg in instruction.args:
                if isinstance(arg, programs.Constant) and arg.name:
                    namespace[arg.name] = arg.value
        text = program.text()
        if text.startswith("h1 = "):
            exec(text.replace("; ", "\n"), namespace)
            written = namespace["out"]
        else:
            written = eval(text, namespace)
        assert torch.equal(written, torch_function(program)(*(v for _, v in program.inputs))), text


def test_the_probes_try_every_operation_alone_first():
    single = [p for p in probes() if p.stage == "single"]
    methods = {p.operation for p in single}
    expected = {m for left, right, _ in programs.BINARY.values() for m in (left, right)} | set(programs.UNARY.values())
    assert expected - methods == {"__matmul__", "__rmatmul__", "__rpow__"}  # a product needs matrices
    assert [p.stage for p in probes()] == sorted((p.stage for p in probes()), key=programs.STAGES.index)
    assert all(p.instructions[-1].method() == p.operation for p in single)


# --------------------------------------------------------------------------- engine_graph


def torch_output(program):
    return programs.torch_registers(program, F64)[-1]


def structure(graph):
    return [(node.kind, node.op) for node in graph.nodes], list(graph.edges)


GRAPH_PROGRAMS = {
    "diamond": next(p for p in probes() if p.stage == "diamond"),
    "non-square product": next(p for p in probes() if "A @ B" in p.text()),
    "broadcast division": next(p for p in probes() if p.operation == "__truediv__" and p.stage == "broadcast"),
    "composition with a product": next(p for p in compositions() if "X @ W" in p.text()),
}


@pytest.mark.parametrize("name", GRAPH_PROGRAMS, ids=str)
def test_engine_graph_matches_pytorchs_graph_node_for_node(name):
    program = GRAPH_PROGRAMS[name]
    out, _ = replay(program, Value)
    mine, theirs = engine_graph(out), trace(torch_output(program))
    assert mine.counts() == theirs.counts()
    assert structure(mine) == structure(theirs)


def test_engine_graph_reads_an_engine_with_other_attribute_names():
    program = GRAPH_PROGRAMS["diamond"]
    out, _ = replay(program, DictEngine)
    mine = engine_graph(out, parents="children", op="op")
    theirs = trace(torch_output(program))
    constants = Counter({"AccumulateGrad": 1})  # the constant C is a leaf of DictEngine, not a cut
    assert mine.counts() == theirs.counts() + constants


def test_engine_graph_names_values_and_shows_leaves():
    x = Value(t(1.0, 2.0))
    y = (x * x).sum()
    graph = engine_graph(y, names={"x": x, "y": y})
    leaf = next(node for node in graph.nodes if node.kind == "leaf")
    assert leaf.name == "x" and leaf.value.data == (1.0, 2.0) and graph.nodes[0].name == "y"
    held = t(3.0)
    z = Value(held) * 2.0
    assert [n.name for n in engine_graph(z).nodes if n.kind == "leaf"] == ["held"]
    assert [n.kind for n in engine_graph(z).nodes] == ["op", "op", "cut", "leaf"]
    lone = engine_graph(x)
    assert [n.kind for n in lone.nodes] == ["leaf"]


def test_engine_graph_documents_where_pytorch_records_differently():
    x = Value(t(1.0))
    assert engine_graph(2.0 - x).nodes[0].op == "SubBackward0"
    assert trace(2.0 - x.data.clone().requires_grad_()).nodes[0].op == "RsubBackward1"
    assert all(name in adapter.__doc__ for name in (*adapter.PYTORCH_NAMES.values(), "RsubBackward1"))


def test_engine_graph_uses_the_reference_engines_attribute_names():
    x = Value(t(1.0))
    assert hasattr(x, adapter.PARENTS) and hasattr(x, adapter.OPERATION)
    assert hasattr(x, adapter.DATA) and hasattr(x, adapter.GRAD) and reference.CONSTANT in adapter.CONSTANTS


def _cycle():
    a, b = Value(t(1.0)), Value(t(2.0))
    c = a + b
    a._prev, a._op = (c,), "mul"
    return c


def _bad_parent():
    y = Value(t(1.0)) * 2.0
    y._prev = (y._prev[0], t(2.0))
    return y


def _bad_parents():
    y = Value(t(1.0)).exp()
    y._prev = None
    return y


@pytest.mark.parametrize(
    "make, keywords, english, portuguese",
    [
        (lambda: t(1.0).requires_grad_(), {}, "draw it with draw(y)", "desenhe-o com draw(y)"),
        (lambda: 42, {}, "but got a int, which has no attribute _prev", "mas recebeu um int"),
        (lambda: Value(t(1.0)), {"parents": "children"}, "has no attribute children", "não tem o atributo children"),
        (_cycle, {}, "the values form a cycle: a value made by add", "os valores formam um ciclo"),
        (
            _bad_parent,
            {},
            "the operation mul has a Tensor among its operands (position 1 of _prev)",
            "posição 1 de _prev",
        ),
        (_bad_parents, {}, "one holds a NoneType", "um deles contém um NoneType"),
        (lambda: Value(t(1.0)), {"names": ["x"]}, 'such as names={"x": x}, but got a list', 'names={"x": x}'),
    ],
    ids=["tensor", "number", "other attribute", "cycle", "parent", "parents", "names"],
)
def test_engine_graph_errors_say_what_to_do_in_both_languages(make, keywords, english, portuguese):
    value = make()
    keywords = dict(keywords)  # the parameter's own dict is shared by every run of this test
    names = keywords.pop("names", None)
    with pytest.raises(LessonError) as caught:
        engine_graph(value, names, **keywords)
    assert english in str(caught.value)
    assert portuguese in caught.value.text.render("pt")


def test_draw_draws_an_engines_graph():
    from autograd_lessons import draw

    x = Value(t(1.0, -2.0))
    figure = draw(engine_graph((x * x + x).sum(), names={"x": x}))
    assert "MulBackward0" in figure.get_axes()[0].get_title() or figure.get_axes()


# --------------------------------------------------------------------------- the texts


def test_the_lessons_catalogues_are_complete_in_both_languages_with_the_same_fields():
    per_language = {language: read_po(LOCALE / f"{language}.po") for language in LANGUAGES}
    keys = set(per_language["en"])
    assert all(set(texts) == keys for texts in per_language.values())
    assert all(key.startswith(("exercises.l4.", "claim.l4.", "lesson4.")) for key in keys), "lesson 4 keys only"
    for key in keys:
        assert len({frozenset(placeholders(texts[key])) for texts in per_language.values()}) == 1, key
        assert MESSAGES[key]["en"] == per_language["en"][key]
    for path in LOCALE.glob("*.po"):
        flagged, pending = set(), False
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("#,"):
                pending = "python-brace-format" in line
            elif line.startswith("msgid "):
                flagged |= {line[len('msgid "') : -1]} if pending else set()
                pending = False
        assert {k for k, v in read_po(path).items() if "{" in v} == flagged, path.name


def test_the_texts_use_the_glossarys_terms():
    from helpers import words_only
    from test_glossary import glossary, uses

    texts = {key: MESSAGES[key] for key in MESSAGES if key.startswith(("exercises.l4.", "engine_graph."))}
    for row in glossary():
        for language, column in (("pt", 2), ("en", 3)):
            for term in row[column]:
                for key, words in texts.items():
                    assert not uses(words_only(words[language]), term, language == "pt", language), (key, term)


def test_every_key_the_diagnosis_words_exists():
    source = programs.Path(programs.__file__).read_text(encoding="utf-8")
    keys = set(re.findall(r'"(exercises\.l4\.[\w.]+)"', source))
    keys |= {f"exercises.l4.headline.{m}" for m in programs.MISTAKES}
    keys |= {f"exercises.l4.mistake.{m}" for m in (*programs.MISTAKES, "order_chain", "unbroadcast_raised")}
    keys |= {f"exercises.l4.phase.{p}" for p in ("input", "forward", "backward", "grad")}
    assert keys <= set(MESSAGES), keys - set(MESSAGES)
