"""The exercises of lesson 2: `check(n, answer)`, `hint(n)` and `solution(n)`.

`check` returns a Feedback whose status is "correct", "wrong" or "unanswered" (the answer is
still None or ...). Every answer is judged by computing the expected result independently
(float64 formulas, torch.func, the traced graph) and comparing with `claims.compare`; the
learner's code is never matched as text. Exercise 4 asks whether autograd produced the
derivative by a counterfactual: dsin runs again with every torch-level sine swapped for one
whose autograd derivative is deliberately wrong (see `_SwappedSine`); an answer that follows
the change came from autograd, one that does not came from elsewhere.

All learner code, and everything that reads the answer, runs under `autograd_lessons.guard`:
whatever it raises, however long it loops and however much memory it asks for, `check`
returns feedback and the kernel keeps working. A wrong form gives feedback too; only a wrong
exercise number raises LessonError.

`hint(n)` gives the next hint for exercise n at each call (the last one is almost the answer
and repeats from then on); `solution(n)` shows the worked solution, explanation and code.
"""

from __future__ import annotations

import html
import math
import numbers
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import torch
from torch.overrides import TorchFunctionMode

from autograd_lessons import guard
from autograd_lessons.claims import compare
from autograd_lessons.graph import trace
from autograd_lessons.i18n import MESSAGES, LessonError, get_language, message
from autograd_lessons.numbers import shape_text, shortest
from autograd_lessons.palette import badge_html

NUMBERS = range(1, 9)
STATUSES = ("correct", "wrong", "unanswered")
X1 = torch.linspace(-3, 3, 1000)
# Exercise 7: a point, an input direction and output weights for f7, R³ → R³. Its Jacobian at X7
# is neither diagonal nor symmetric, so J·V7, V7ᵀ·J, J·U7, U7ᵀ·J and f7(X7) all differ and each
# classic mix-up (swapped modes, transposed Jacobian, wrong vector, forgotten index) shows.
X7 = torch.tensor([1.0, 2.0, 0.5])
V7 = torch.tensor([1.0, 0.0, -1.0])
U7 = torch.tensor([0.0, 1.0, 2.0])
# Exercise 4's counterfactual: the swapped sine's derivative is cos(x) + SINE_SHIFT. Any nonzero
# shift works; 0.5 is far above rounding and keeps the swapped derivative's values exact in float32.
SINE_SHIFT = 0.5
# A float64 answer that misses by more than compare's ulps but is within this many float32
# ulps went through float32 somewhere (about 7 significant digits: 2⁻²³ · 64 ≈ 8e-6 relative).
FLOAT32_ULPS = 64
# An exercise-4 answer within this relative distance of cos(x) but not equal up to rounding is
# an approximation (finite differences give 1e-3 to 1e-8), not a different function.
APPROXIMATE = 1e-2
_SYMBOLS = {"correct": "✔", "wrong": "✘", "unanswered": "○"}
_VALID = "1–8"

# Private copies of the public constants: a learner who changes X1 in place (X1 += 1) changes
# their own input, not what the checker compares with.
_X1 = X1.clone()
_X7, _V7, _U7 = X7.clone(), V7.clone(), U7.clone()
_GRID4 = torch.linspace(-2 * math.pi, 2 * math.pi, 101)
_GRID4_PROBE = _GRID4 + 0.05  # the counterfactual run uses other points: no answer cached by input helps


def f5(x):
    """The reference function of exercises 5 and 6: log(x²)·sin x + 1/x."""
    return torch.log(x ** 2) * torch.sin(x) + 1 / x


def f7(x):
    """The reference function of exercise 7, R³ → R³: (x₀x₁, sin x₁ + x₂², x₀² e^{x₂})."""
    return torch.stack([x[0] * x[1], torch.sin(x[1]) + x[2] ** 2, x[0] ** 2 * torch.exp(x[2])])


def _jacobian7(x: torch.Tensor) -> torch.Tensor:
    """f7's Jacobian by hand (rows: outputs, columns: inputs), for float64 references."""
    x0, x1, x2 = x.tolist()
    e = math.exp(x2)
    return torch.tensor(
        [[x1, x0, 0.0], [0.0, math.cos(x1), 2 * x2], [2 * x0 * e, 0.0, x0 ** 2 * e]], dtype=torch.float64
    )


# --------------------------------------------------------------------------- feedback


@dataclass(frozen=True)
class Feedback:
    """The verdict on one exercise, with a message (and maybe a hint) in the learner's language.

    `status` is "correct", "wrong" or "unanswered" (neither: the answer is still None or ...);
    `correct` is True only for "correct".
    """

    exercise: int
    status: str
    message: str
    hint: str | None = None
    language: str = field(default_factory=get_language, repr=False, compare=False)

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    def _header(self) -> str:
        return message(f"exercises.status.{self.status}", self.language, number=self.exercise)

    def __str__(self) -> str:
        text = f"{_SYMBOLS[self.status]} {self._header()} — {self.message}"
        if self.hint:
            text += "\n  " + message("exercises.hint", self.language, hint=self.hint)
        return text

    __repr__ = __str__

    def _repr_html_(self) -> str:
        badge = badge_html(f"{_SYMBOLS[self.status]} {self._header()}", self.status)
        text = f"{badge} {html.escape(self.message)}"
        if self.hint:
            text += f"<br><i>{html.escape(message('exercises.hint', self.language, hint=self.hint))}</i>"
        return f'<div class="autograd-lessons-feedback" data-status="{self.status}">{text}</div>'


@dataclass(frozen=True)
class Help:
    """A hint or a worked solution, shown as text or HTML in the learner's language."""

    exercise: int
    title: str
    text: str
    code: str | None = None
    note: str | None = None
    kind: str = "hint"

    def __str__(self) -> str:
        parts = [self.title, self.text]
        if self.code:
            parts.append("\n".join("    " + line if line else "" for line in self.code.splitlines()))
        if self.note:
            parts.append(self.note)
        return "\n\n".join(parts)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        parts = [f"<b>{html.escape(self.title)}</b>", f"<p>{html.escape(self.text)}</p>"]
        if self.code:
            parts.append(f"<pre><code>{html.escape(self.code)}</code></pre>")
        if self.note:
            parts.append(f"<p><i>{html.escape(self.note)}</i></p>")
        return f'<div class="autograd-lessons-{self.kind}" data-exercise="{self.exercise}">{"".join(parts)}</div>'


# --------------------------------------------------------------------------- judging helpers


class _Wrong(Exception):
    """Raised inside a checker: the answer is wrong, with this hint key, its fields and a headline."""

    def __init__(self, hint: str, headline: str = "exercises.incorrect", **fields: object) -> None:
        super().__init__(hint)
        self.hint, self.headline, self.fields = hint, headline, fields


class _Form(Exception):
    """Raised inside a checker: the answer does not have the expected form (key says how)."""

    def __init__(self, key: str | None = None, **fields: object) -> None:
        super().__init__(key)
        self.key, self.fields = key, fields


class _Raised(Exception):
    """The learner's function raised; `kind` and `detail` describe it (no frames kept)."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(kind)
        self.kind, self.detail = kind, detail

    @property
    def text(self) -> str:
        return f"{self.kind}: {self.detail}" if self.detail else self.kind


def _kind(value: object) -> str:
    return "None" if value is None else type(value).__name__


def _result_name() -> str:
    return message("exercises.name.result")


def _tensor(value: object, shape: tuple[int, ...] | None = None, name: str | None = None) -> torch.Tensor:
    """`value` as a plain CPU float tensor (numpy arrays accepted), or _Form saying what is off."""
    name = name or _result_name()
    numpy = sys.modules.get("numpy")
    if numpy is not None and isinstance(value, (numpy.ndarray, numpy.generic)):
        if value.dtype.kind not in "fiub":
            raise _Form("exercises.form.not_tensor", name=name, kind=f"numpy {value.dtype}")
        value = torch.from_numpy(numpy.array(value, copy=True))
    if not isinstance(value, torch.Tensor):
        raise _Form("exercises.form.not_tensor", name=name, kind=_kind(value))
    value = value.detach().as_subclass(torch.Tensor)
    if value.device.type == "meta":
        raise _Form("exercises.form.device", name=name, device="meta")
    if value.layout != torch.strided:
        value = value.to_dense()
    value = value.cpu()
    if not value.dtype.is_floating_point:
        raise _Form("exercises.form.dtype", name=name, dtype=str(value.dtype))
    if shape is not None and tuple(value.shape) != shape:
        raise _Form("exercises.form.shape", name=name, actual=shape_text(value.shape), expected=shape_text(shape))
    return value


def _agreement(actual: torch.Tensor, expected: torch.Tensor) -> str:
    """"same" (equal up to rounding in actual's dtype), "float32" (only to float32 precision) or "no"."""
    if compare(actual, expected.to(actual.dtype)).status != "false":
        return "same"
    if actual.dtype == torch.float64 and compare(
        actual.float(), expected.float(), tolerance=FLOAT32_ULPS
    ).status != "false":
        return "float32"
    return "no"


def _worst(actual: torch.Tensor, expected: torch.Tensor) -> int:
    """The flat index where `actual` is furthest from `expected` (NaN counts as furthest)."""
    error = torch.nan_to_num((actual.double() - expected.double()).abs().reshape(-1), nan=math.inf)
    return int(torch.argmax(error))


def _precision(actual: torch.Tensor, expected: torch.Tensor, points: torch.Tensor) -> _Wrong:
    i = _worst(actual, expected)
    flat_a, flat_e = actual.reshape(-1), expected.reshape(-1)
    return _Wrong(
        "exercises.precision", "exercises.precision_headline", dtype=str(actual.dtype).removeprefix("torch."),
        x=shortest(float(points.reshape(-1)[i]), points.dtype),
        actual=shortest(float(flat_a[i]), actual.dtype), expected=shortest(float(flat_e[i]), actual.dtype),
    )


def _close(actual: torch.Tensor, expected: torch.Tensor) -> bool:
    return compare(actual, expected.to(actual.dtype)).status != "false"


def _seconds(value: object, name: str) -> float:
    """A time in seconds: a Python number, a numpy scalar or a 0-d tensor or array."""
    numpy = sys.modules.get("numpy")
    if isinstance(value, torch.Tensor) and value.dim() == 0 and not value.dtype.is_complex and value.dtype != torch.bool:
        return float(value.item())
    if numpy is not None and isinstance(value, (numpy.ndarray, numpy.generic)):
        if value.ndim == 0 and value.dtype.kind in "fiu":
            return float(value)
    elif isinstance(value, numbers.Real) and not isinstance(value, bool):
        return float(value)
    raise _Form("exercises.form.number", name=name, kind=_kind(value))


def _keys(answer: object, *keys: str) -> dict:
    if not isinstance(answer, dict):
        raise _Form("exercises.form.not_dict", kind=_kind(answer))
    missing = [key for key in keys if key not in answer]
    if missing:
        raise _Form("exercises.form.keys", missing=", ".join(f'"{key}"' for key in missing))
    return answer


def _pair(answer: object) -> tuple:
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        kind = f"{_kind(answer)} len={len(answer)}" if isinstance(answer, (tuple, list)) else _kind(answer)
        raise _Form("exercises.form.pair", kind=kind)
    return tuple(answer)


def _call(function: object, *args: object) -> object:
    """Call the learner's function; what it raises becomes _Raised (the guard's own stops pass)."""
    if not callable(function):
        raise _Form("exercises.form.not_callable", name=message("exercises.name.function"), kind=_kind(function))
    try:
        return function(*args)
    except BaseException as error:  # noqa: BLE001 - SystemExit, KeyboardInterrupt… are feedback too
        if guard.should_propagate(error):
            raise
        raise _Raised(*guard.describe(error)) from None


# --------------------------------------------------------------------------- exercise 4's counterfactual


class _ShiftedSine(torch.autograd.Function):
    """sin in the forward pass, with the deliberately wrong derivative cos(x) + SINE_SHIFT.

    Written in the setup_context style with a jvp and generate_vmap_rule, so that backward,
    torch.autograd.grad, forward-mode AD and every torch.func transform (grad, vmap, jvp,
    jacrev, jacfwd) use the shifted derivative.
    """

    generate_vmap_rule = True

    @staticmethod
    def forward(x):
        return torch.sin(x)

    @staticmethod
    def setup_context(ctx, inputs, output):
        (x,) = inputs
        ctx.save_for_backward(x)
        ctx.save_for_forward(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * (torch.cos(x) + SINE_SHIFT)

    @staticmethod
    def jvp(ctx, tangent):
        (x,) = ctx.saved_tensors
        return tangent * (torch.cos(x) + SINE_SHIFT)


_SINES = (torch.sin, torch.Tensor.sin)
_INPLACE_SINES = (torch.sin_, torch.Tensor.sin_)


class _SwappedSine(TorchFunctionMode):
    """Inside this mode every torch-level sine (torch.sin, Tensor.sin, their in-place forms) is
    _ShiftedSine. Nothing global is patched: leaving the mode restores everything."""

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        tensor = args[0] if args else None
        if not kwargs and len(args) == 1 and isinstance(tensor, torch.Tensor) and tensor.is_floating_point():
            if func in _SINES:
                return _ShiftedSine.apply(tensor)
            if func in _INPLACE_SINES:
                return tensor.copy_(_ShiftedSine.apply(tensor.clone()))
        return func(*args, **kwargs)


def _mode_depth() -> int:
    return torch._C._len_torch_function_stack()


def _restore_modes(depth: int) -> None:
    """Pop torch function modes above `depth` (left behind only if a stop cut an exit short)."""
    while torch._C._len_torch_function_stack() > depth:
        torch._C._pop_torch_function_stack()


# --------------------------------------------------------------------------- the checkers


def _call_tensor(function: object, x: torch.Tensor) -> torch.Tensor:
    return _tensor(_call(function, x), tuple(x.shape))


def _check1(answer: object) -> None:
    answer = _keys(answer, "first_seconds", "second_seconds", "second_derivative")
    first = _seconds(answer["first_seconds"], 'answer["first_seconds"]')
    second = _seconds(answer["second_seconds"], 'answer["second_seconds"]')
    got = _tensor(answer["second_derivative"], tuple(_X1.shape), 'answer["second_derivative"]')
    expected = -torch.sin(_X1.double())
    agreement = _agreement(got, expected)
    if agreement == "float32":
        raise _precision(got, expected, _X1)
    if agreement == "no":
        if _close(got, torch.cos(_X1.double())):
            raise _Wrong("exercises.1.first_derivative")
        raise _Wrong("exercises.1.values")
    if not all(math.isfinite(t) and t > 0 for t in (first, second)):
        raise _Wrong("exercises.1.times_invalid")
    if second < 0.5 * first:
        raise _Wrong("exercises.1.times_implausible")


def _check2(answer: object) -> None:
    answer = _keys(answer, "error", "grad")
    error = answer["error"]
    grad = _tensor(answer["grad"], (4,), 'answer["grad"]')
    if not isinstance(error, RuntimeError) or "second time" not in str(error):
        raise _Wrong("exercises.2.no_error")
    x = torch.arange(4.0, dtype=torch.float64)
    if _close(grad, 4 * x):
        return
    if _close(grad, 2 * x):
        raise _Wrong("exercises.2.once")
    if _close(grad, 6 * x):
        raise _Wrong("exercises.2.not_zeroed")
    raise _Wrong("exercises.2.values")


def _slope3(a: torch.Tensor) -> tuple[int, float]:
    """(k, s) of f(a) = s·a, with f's own arithmetic in a's dtype (so its branches are f's)."""
    b, k = a * 2, 1
    while float(b.norm()) < 1000:
        b, k = b * 2, k + 1
    return k, (2.0 ** k if float(b.sum()) > 0 else 100 * 2.0 ** k)


def _check3(answer: object) -> None:
    a, grad = _pair(answer)
    a = _tensor(a, name="a")
    if a.numel() < 2:
        raise _Wrong("exercises.3.scalar", count=a.numel())
    if grad is None:
        raise _Wrong("exercises.3.no_grad")
    grad = _tensor(grad, name="a.grad")
    if tuple(grad.shape) != tuple(a.shape):
        raise _Wrong("exercises.3.shape", actual=shape_text(grad.shape), expected=shape_text(a.shape))
    norm = float(a.double().norm())
    if not math.isfinite(norm) or norm == 0:
        raise _Wrong("exercises.3.zero")
    k, slope = _slope3(a)
    if _close(grad, torch.full(a.shape, slope, dtype=torch.float64)):
        return
    if _close(grad, torch.full(a.shape, slope / a.numel(), dtype=torch.float64)):
        raise _Wrong("exercises.3.mean", slope=shortest(slope), count=a.numel())
    raise _Wrong("exercises.3.values", slope=shortest(slope), k=k)


def _check4(answer: object) -> None:
    x = _GRID4.clone()
    got = _call_tensor(answer, x)
    expected = torch.cos(_GRID4.double())
    agreement = _agreement(got, expected)
    if agreement == "float32":
        raise _precision(got, expected, _GRID4)
    if agreement == "no":
        if _close(got, torch.sin(_GRID4.double())):
            raise _Wrong("exercises.4.sine")
        distance = float(torch.nan_to_num((got.double() - expected).abs(), nan=math.inf).max())
        if distance <= APPROXIMATE:
            i = _worst(got, expected)
            raise _Wrong(
                "exercises.4.approximate", x=shortest(float(_GRID4[i]), _GRID4.dtype),
                actual=shortest(float(got[i]), got.dtype), expected=shortest(float(expected[i]), got.dtype),
            )
        raise _Wrong("exercises.4.values")
    # The counterfactual: the same function, with autograd's derivative of sin shifted.
    try:
        with _SwappedSine():
            probe = _call_tensor(answer, _GRID4_PROBE.clone())
    except _Raised as raised:
        raise _Wrong("exercises.4.probe_raised", error=raised.text) from None
    reference = torch.cos(_GRID4_PROBE.double())
    if _close(probe, reference + SINE_SHIFT):
        return
    if _close(probe, reference):
        raise _Wrong("exercises.4.not_autograd", "exercises.4.not_autograd_headline")
    raise _Wrong("exercises.4.mixed", "exercises.4.not_autograd_headline")


def _check5(answer: object) -> None:
    function, ops = _pair(answer)
    if not isinstance(ops, (list, tuple)) or not all(isinstance(op, str) for op in ops):
        raise _Form("exercises.form.names", name="ops")
    xs = torch.linspace(0.5, 3.0, 20, dtype=torch.float64)
    got = _call_tensor(function, xs.clone())
    expected = f5(xs)
    agreement = _agreement(got, expected)
    if agreement == "float32":
        raise _precision(got, expected, xs)
    if agreement == "no":
        raise _Wrong("exercises.5.values")
    y = _call(function, torch.tensor(2.0, requires_grad=True))
    if not isinstance(y, torch.Tensor) or y.grad_fn is None:
        raise _Wrong("exercises.5.no_graph")
    expected_ops = trace(y).counts()
    del expected_ops["AccumulateGrad"]
    given = Counter(ops)
    if given != expected_ops:
        listing = lambda c: ", ".join(sorted(c.elements())) or "—"  # noqa: E731
        raise _Wrong("exercises.5.ops", missing=listing(expected_ops - given), extra=listing(given - expected_ops))


def _check6(answer: object) -> None:
    xs = torch.linspace(0.2, 5.0, 50, dtype=torch.float64)
    got = _call_tensor(answer, xs.clone())
    leaf = xs.clone().requires_grad_()
    (expected,) = torch.autograd.grad(f5(leaf).sum(), leaf)
    if got.dtype != xs.dtype:
        raise _Wrong("exercises.6.dtype", dtype=str(got.dtype).removeprefix("torch."))
    agreement = _agreement(got, expected)
    if agreement == "same":
        return
    if agreement == "float32":
        raise _precision(got, expected, xs)
    scale = float(expected.abs().max())
    bad = ~torch.isclose(got, expected, rtol=1e-9, atol=1e-12 * scale)
    i = int(torch.nonzero(bad)[0]) if bool(bad.any()) else _worst(got, expected)
    fields = {
        "x": shortest(float(xs[i])), "actual": shortest(float(got[i]), got.dtype),
        "expected": shortest(float(expected[i]), got.dtype),
    }
    if torch.allclose(got, expected + 2 / xs ** 2, rtol=1e-9, atol=1e-12 * scale):
        raise _Wrong("exercises.6.sign", **fields)
    raise _Wrong("exercises.6.values", **fields)


def _check7(answer: object) -> None:
    answer = _keys(answer, "jvp", "vjp", "jacobian")
    x64 = _X7.double()
    jac = _jacobian7(x64)
    v, u = _V7.double(), _U7.double()
    primal = f7(x64)
    jvp_raw, vjp_raw = answer["jvp"], answer["vjp"]

    if isinstance(jvp_raw, (tuple, list)) and len(jvp_raw) == 2:
        raise _Wrong("exercises.7.jvp.pair")
    if callable(vjp_raw) and not isinstance(vjp_raw, torch.Tensor):
        raise _Wrong("exercises.7.vjp.function")
    if isinstance(vjp_raw, (tuple, list)) and len(vjp_raw) == 1:
        raise _Wrong("exercises.7.vjp.tuple")
    jvp = _tensor(jvp_raw, (3,), 'answer["jvp"]')
    vjp = _tensor(vjp_raw, (3,), 'answer["vjp"]')
    jacobian = _tensor(answer["jacobian"], (3, 3), 'answer["jacobian"]')

    if _close(jvp, u @ jac) and _close(vjp, jac @ v):
        raise _Wrong("exercises.7.swapped")
    jvp_wrong = {"transposed": v @ jac, "direction": jac @ u, "primal": primal}
    if not _close(jvp, jac @ v):
        if _agreement(jvp, jac @ v) == "float32":
            raise _precision(jvp, jac @ v, _X7)
        reason = next((name for name, value in jvp_wrong.items() if _close(jvp, value)), "values")
        raise _Wrong(f"exercises.7.jvp.{reason}")
    vjp_wrong = {"transposed": jac @ u, "direction": v @ jac, "primal": primal}
    if not _close(vjp, u @ jac):
        if _agreement(vjp, u @ jac) == "float32":
            raise _precision(vjp, u @ jac, _X7)
        reason = next((name for name, value in vjp_wrong.items() if _close(vjp, value)), "values")
        raise _Wrong(f"exercises.7.vjp.{reason}")
    if not _close(jacobian, jac):
        if _close(jacobian, jac.T):
            raise _Wrong("exercises.7.jacobian.transposed")
        raise _Wrong("exercises.7.jacobian.values")


_CONCLUSIONS = {"forward": "forward", "reverse": "reverse", "jacfwd": "forward", "jacrev": "reverse",
                "backward": "reverse"}


def _check8(answer: object) -> str | None:
    """Graded on the concept: tall → forward, wide → reverse; the measurement only adds hints."""
    answer = _keys(answer, "tall", "wide", "conclusion")
    conclusion = _keys(answer["conclusion"], "tall", "wide")
    theory = {"tall": "forward", "wide": "reverse"}
    measured, chosen = {}, {}
    for shape in ("tall", "wide"):
        times = answer[shape]
        if not isinstance(times, (tuple, list)) or len(times) != 2:
            raise _Form("exercises.form.times", name=f'answer["{shape}"]')
        value = conclusion[shape]
        picked = _CONCLUSIONS.get(value.strip().lower()) if isinstance(value, str) else None
        if picked is None:
            raise _Form("exercises.form.choice", name=f'answer["conclusion"]["{shape}"]', value=repr(value)[:40])
        fwd, rev = (_seconds(t, f'answer["{shape}"]') for t in times)
        if not all(math.isfinite(t) and t > 0 for t in (fwd, rev)):
            raise _Wrong("exercises.8.times_invalid")
        measured[shape], chosen[shape] = (fwd, rev), picked
    hint = None
    for shape in ("tall", "wide"):
        fwd, rev = measured[shape]
        faster = {"forward"} if fwd < rev else {"reverse"} if rev < fwd else {"forward", "reverse"}
        fields = {"shape": message(f"exercises.8.{shape}"), "fwd": f"{fwd:.3g}", "rev": f"{rev:.3g}",
                  "chosen": chosen[shape]}
        if chosen[shape] != theory[shape]:
            if chosen[shape] in faster:
                raise _Wrong("exercises.8.follows_odd_measurement", "exercises.8.wrong_conclusion", **fields)
            raise _Wrong("exercises.8.swapped", "exercises.8.wrong_conclusion", faster=theory[shape], **fields)
        if theory[shape] not in faster:
            hint = "exercises.8.measure_more"
    return hint


_CHECKS: dict[int, Callable[[object], str | None]] = {
    1: _check1, 2: _check2, 3: _check3, 4: _check4, 5: _check5, 6: _check6, 7: _check7, 8: _check8,
}


def _exercise(number: object) -> int:
    if isinstance(number, bool) or not isinstance(number, int) or number not in _CHECKS:
        raise LessonError(message("exercises.unknown", number=repr(number)[:40], valid=_VALID))
    return int(number)


def _form(number: int) -> str:
    return message(f"exercises.{number}.form")


def _judge(number: int, answer: object) -> Feedback:
    """Run exercise `number`'s checker on `answer` (under the guard) and word the verdict."""
    form = _form(number)
    try:
        hint = _CHECKS[number](answer)
    except _Form as bad:
        form_hint = message("exercises.form_hint", form=form)
        if bad.key:  # a sentence before it: the form hint starts a new sentence
            form_hint = message(bad.key, **bad.fields) + " " + form_hint[:1].upper() + form_hint[1:]
        return Feedback(number, "wrong", message("exercises.bad_form"), form_hint)
    except _Wrong as wrong:
        return Feedback(number, "wrong", message(wrong.headline), message(wrong.hint, **wrong.fields))
    except _Raised as raised:
        key = "exercises.recursion" if raised.kind == "RecursionError" else "exercises.raised"
        return Feedback(number, "wrong", message("exercises.raised_headline"), message(key, error=raised.text))
    except LessonError as error:  # compare refused (shape or dtype): treat as the wrong form
        form_hint = message("exercises.form_hint", form=form)
        return Feedback(number, "wrong", message("exercises.bad_form"), f"{error} {form_hint[:1].upper()}{form_hint[1:]}")
    return Feedback(number, "correct", message(f"exercises.{number}.ok"), message(hint) if hint else None)


def _memory_text(limit: float | None) -> str:
    return f"{limit / 2 ** 30:.3g} GiB" if limit >= 2 ** 30 else f"{limit / 2 ** 20:.3g} MiB"


def _failure_feedback(number: int, failure: guard.Failure) -> Feedback:
    if failure.kind == "timeout":
        seconds = shortest(failure.limit) if failure.limit is not None else "?"
        return Feedback(number, "wrong", message("exercises.timeout", seconds=seconds), message("exercises.timeout_hint"))
    if failure.kind == "memory":
        headline = (
            message("exercises.memory", limit=_memory_text(failure.limit)) if failure.limit
            else message("exercises.memory_unlimited")
        )
        return Feedback(number, "wrong", headline, message("exercises.memory_hint"))
    error = f"{failure.exception_type}: {failure.detail}" if failure.detail else failure.exception_type
    return Feedback(
        number, "wrong", message("exercises.answer_raised", error=error),
        message("exercises.form_hint", form=_form(number)),
    )


def check(number: int, answer: object) -> Feedback:
    """Judge the answer to exercise `number` (1–8); the Feedback says why, in the current language.

    None or ... means "not answered yet" (a neutral verdict). Everything the answer runs goes
    through `guard.run`, within guard.TIME_LIMIT_SECONDS and guard.MEMORY_HEADROOM_BYTES.
    """
    number = _exercise(number)
    if answer is None or answer is ...:
        return Feedback(number, "unanswered", message("exercises.unanswered", form=_form(number)))
    depth = _mode_depth()
    try:
        outcome = guard.run(_judge, number, answer)
    finally:
        _restore_modes(depth)
    if outcome.failure is not None:
        return _failure_feedback(number, outcome.failure)
    return outcome.value


# --------------------------------------------------------------------------- hints and solutions

_hints_shown: dict[int, int] = {}


def _hint_count(number: int) -> int:
    count = 0
    while f"exercises.{number}.hint.{count + 1}" in MESSAGES:
        count += 1
    return count


def hint(number: int) -> Help:
    """The next hint for exercise `number`: a nudge first, then more specific, the last almost the answer.

    Each call moves one hint on; once the last is reached it is repeated, saying it is the last.
    """
    number = _exercise(number)
    total = _hint_count(number)
    before = _hints_shown.get(number, 0)
    step = min(before + 1, total)
    _hints_shown[number] = step
    key = "exercises.help.last_hint" if step == total else "exercises.help.hint"
    note = message("exercises.help.no_more", number=number) if before >= total else None
    return Help(
        number, message(key, step=step, total=total, number=number),
        message(f"exercises.{number}.hint.{step}"), note=note,
    )


def solution(number: int) -> Help:
    """The worked solution of exercise `number`: a short explanation and code that `check` accepts."""
    number = _exercise(number)
    return Help(
        number, message("exercises.help.solution", number=number), message(f"exercises.{number}.solution"),
        code=SOLUTIONS[number], kind="solution",
    )


# The code of each worked solution (the same in both languages): run after the lesson's imports
# (torch, and X1, X7, V7, U7, f5, f7 from this module), it leaves the answer in `answer`.
SOLUTIONS: dict[int, str] = {
    1: '''\
import timeit

x = X1.clone().requires_grad_()


def first_derivative():
    (dy,) = torch.autograd.grad(torch.sin(x).sum(), x)
    return dy


def second_derivative():
    (dy,) = torch.autograd.grad(torch.sin(x).sum(), x, create_graph=True)
    (d2y,) = torch.autograd.grad(dy.sum(), x)
    return d2y


answer = {
    "first_seconds": min(timeit.repeat(first_derivative, number=20, repeat=5)) / 20,
    "second_seconds": min(timeit.repeat(second_derivative, number=20, repeat=5)) / 20,
    "second_derivative": second_derivative(),
}''',
    2: '''\
x = torch.arange(4.0, requires_grad=True)
y = (x * x).sum()
y.backward()
try:
    y.backward()
except RuntimeError as caught:
    error = caught

x.grad.zero_()
z = (x * x).sum()
z.backward(retain_graph=True)
z.backward()
answer = {"error": error, "grad": x.grad}''',
    3: '''\
def f(a):
    b = a * 2
    while b.norm() < 1000:
        b = b * 2
    if b.sum() > 0:
        c = b
    else:
        c = 100 * b
    return c


a = torch.randn(3, 2, requires_grad=True)
d = f(a)
d.sum().backward()
answer = (a, a.grad)''',
    4: '''\
def dsin(x):
    x = x.detach().requires_grad_(True)
    torch.sin(x).sum().backward()
    return x.grad


answer = dsin''',
    5: '''\
def g(x):
    return torch.log(x ** 2) * torch.sin(x) + 1 / x


operations = [
    "AddBackward0", "MulBackward0", "LogBackward0", "PowBackward0", "SinBackward0",
    "MulBackward0", "ReciprocalBackward0",
]
answer = (g, operations)''',
    6: '''\
def dfdx(x):
    return 2 / x * torch.sin(x) + torch.log(x ** 2) * torch.cos(x) - 1 / x ** 2


answer = dfdx''',
    7: '''\
_, forward = torch.func.jvp(f7, (X7,), (V7,))
_, pullback = torch.func.vjp(f7, X7)
(backward,) = pullback(U7)
jacobian = torch.func.jacrev(f7)(X7)
print(jacobian @ V7 - forward, U7 @ jacobian - backward)
answer = {"jvp": forward, "vjp": backward, "jacobian": jacobian}''',
    8: '''\
import timeit

from torch.func import jacfwd, jacrev

W_tall, W_wide = torch.randn(2000, 4), torch.randn(4, 2000)
x_tall, x_wide = torch.randn(4), torch.randn(2000)


def tall(x):
    return torch.tanh(W_tall @ x)


def wide(x):
    return torch.tanh(W_wide @ x)


def seconds(work):
    return min(timeit.repeat(work, number=5, repeat=5)) / 5


times = {
    "tall": (seconds(lambda: jacfwd(tall)(x_tall)), seconds(lambda: jacrev(tall)(x_tall))),
    "wide": (seconds(lambda: jacfwd(wide)(x_wide)), seconds(lambda: jacrev(wide)(x_wide))),
}
answer = {**times, "conclusion": {"tall": "forward", "wide": "reverse"}}''',
}


__all__ = [
    "Feedback", "Help", "NUMBERS", "SINE_SHIFT", "SOLUTIONS", "STATUSES", "U7", "V7", "X1", "X7", "check", "f5",
    "f7", "hint", "solution",
]
