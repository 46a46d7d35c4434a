"""Explorers for the lesson: turn a knob and watch the graph and the gradient change.

Each explorer is a small object holding an ipywidgets layout (`widget`), the knobs by name
(`controls`) and what is currently shown (`state`), so tests can drive it without a browser.
Where no widget frontend runs (GitHub, nbviewer, nbval) its `_repr_mimebundle_` still carries a
deterministic text summary and a PNG picture of the current state. ipywidgets and matplotlib
are imported only when an explorer is built.
"""

from __future__ import annotations

import html
import io
import math
import re
from collections.abc import Callable

import torch

from autograd_lessons import palette
from autograd_lessons.course.lesson1.claims import control_flow, lesson_a
from autograd_lessons.draw import DPI, TITLE_PT
from autograd_lessons.i18n import message
from autograd_lessons.numbers import shortest, ulps_text, values_text
from autograd_lessons.verdicts import compare

# The explorers' PNGs are saved at draw()'s DPI, so the stepper's and the control-flow
# explorer's pictures are exactly draw()'s: at most DISPLAY_WIDTH_PX wide, every text at least
# MIN_TEXT_PX tall. 100 dpi instead of 72 costs a few ms per update (benchmarks/widgets_bench.py).
PICTURE_DPI = DPI
CELL_PT = 9.0  # numbers in the vᵀJ table: 12.5 px at PICTURE_DPI
CAPTION_PT = 9.0  # captions of the vᵀJ table: 12.5 px at PICTURE_DPI
ERROR_PT = 10.0  # a picture that only says what is wrong: 13.9 px at PICTURE_DPI
SLIDER_RANGE = (-2.0, 2.0)
SLIDER_STEP = 0.001
STEPPER_FOLD_LIMIT = 16  # above this many nodes the stepper folds repeated chains (speed, size)


def _png(figure) -> bytes:
    """The figure as PNG bytes at PICTURE_DPI."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=PICTURE_DPI)
    return buffer.getvalue()


def png_width(png: bytes) -> int:
    """The width in pixels of a PNG image, read from its header (bytes 16–19 of the IHDR chunk)."""
    return int.from_bytes(png[16:20], "big")


def _message_picture(text: str) -> bytes:
    """A small picture that just says `text` (shown instead of a graph when the input is bad)."""
    from matplotlib.figure import Figure

    from autograd_lessons.draw import wrap_to_width

    width = 6.0
    lines = wrap_to_width(text, ERROR_PT, width - 0.3)
    figure = Figure(figsize=(width, 0.4 + len(lines) * 1.3 * ERROR_PT / 72), dpi=PICTURE_DPI)
    figure.text(
        0.15 / width, 0.5, "\n".join(lines), va="center", fontsize=ERROR_PT, color=palette.ERROR_TEXT, linespacing=1.3
    )
    return _png(figure)


def _preformatted(lines: list[str]) -> str:
    return "<pre style='margin:0;white-space:pre-wrap'>" + html.escape("\n".join(lines)) + "</pre>"


# --------------------------------------------------------------------------- the shared base


class Explorer:
    """A widget with named controls, the state it displays, and a static text + PNG fallback."""

    css_class = ""

    def __init__(self) -> None:
        import ipywidgets

        self.controls: dict[str, object] = {}
        self.state: dict[str, object] = {}
        self.png = b""
        self.title = ipywidgets.HTML()
        self.details = ipywidgets.HTML()
        self.details.add_class("autograd-lessons-text")
        self.picture = ipywidgets.Image(format="png")
        self.picture.add_class("autograd-lessons-picture")
        self.widget = None  # the outer container, built by each explorer

    def _assemble(self, *rows) -> None:
        import ipywidgets

        self.widget = ipywidgets.VBox([self.title, *rows, self.details, self.picture])
        self.widget.add_class(self.css_class)

    def summary(self) -> str:
        """What the explorer shows, as text in the current language (the same on every run)."""
        raise NotImplementedError

    def _show(self, png: bytes, detail_lines: list[str]) -> None:
        self.png = png
        self.picture.value = png
        # At its natural width, like every other picture of the lesson: a widget image otherwise
        # stretches to the output area, and its text grows and shrinks from step to step.
        self.picture.width = str(png_width(png))
        self.details.value = _preformatted(detail_lines)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        bundle = dict(self.widget._repr_mimebundle_())
        bundle["text/plain"] = self.summary()
        bundle["image/png"] = self.png
        if include:
            bundle = {k: v for k, v in bundle.items() if k in include}
        if exclude:
            bundle = {k: v for k, v in bundle.items() if k not in exclude}
        return bundle

    def __repr__(self) -> str:
        return self.summary()


# --------------------------------------------------------------------------- In [20]: f(a)


def _float32(value: float) -> float:
    """`value` as the float32 number the lesson's tensor would hold (inf/nan/0 pass through)."""
    return float(torch.tensor(value, dtype=torch.float32))


class ControlFlowExplorer(Explorer):
    """In [20]'s f(a): a slider and a text box for a; the doublings, branch, d, a.grad, d / a,
    whether `a.grad == d / a` holds exactly, and the folded graph, all following a."""

    css_class = "autograd-lessons-control-flow"

    def __init__(self, a: float) -> None:
        import ipywidgets

        super().__init__()
        self.title.value = "<b>" + html.escape(message("widgets.control_flow.title")) + "</b>"
        slider = ipywidgets.FloatSlider(
            value=min(max(a, SLIDER_RANGE[0]), SLIDER_RANGE[1]),
            min=SLIDER_RANGE[0],
            max=SLIDER_RANGE[1],
            step=SLIDER_STEP,
            description="a",
            readout_format=".3f",
        )
        slider.add_class("autograd-lessons-a-slider")
        text = ipywidgets.FloatText(value=a, description="a =")
        text.add_class("autograd-lessons-a-text")
        self.doublings = ipywidgets.HTML()
        self.doublings.add_class("autograd-lessons-doublings")
        self.controls = {"a": slider, "a_text": text}
        self._syncing = False
        self._slider_set = float("nan")  # the value the text box last gave the slider
        slider.observe(self._slider_moved, names="value")
        text.observe(self._text_typed, names="value")
        self._assemble(ipywidgets.HBox([slider, text]), self.doublings)
        self.update(a)

    # The text box holds a exactly (any float); the slider follows it within its range.
    def _slider_moved(self, change) -> None:
        if self._syncing:
            return
        if abs(change["new"] - self._slider_set) < SLIDER_STEP / 2:
            return  # the browser snapping the value the text box gave the slider: not a move
        # On the slider's grid (SLIDER_STEP = 0.001), without the float noise of min + k·step
        # that the browser sends, e.g. 0.001000000000000334.
        value = round(change["new"], 3)
        text = self.controls["a_text"]
        self._syncing = True
        try:
            text.value = value
        finally:
            self._syncing = False
        self.update(value)

    def _text_typed(self, change) -> None:
        if self._syncing:
            return
        value = change["new"]
        self._syncing = True
        try:
            if math.isfinite(value):
                self._slider_set = min(max(value, SLIDER_RANGE[0]), SLIDER_RANGE[1])
                self.controls["a"].value = self._slider_set
        finally:
            self._syncing = False
        self.update(value)

    def update(self, a: float) -> None:
        """Run the lesson's f at `a` (as float32), then refresh the state, text and picture."""
        from autograd_lessons.draw import draw
        from autograd_lessons.graph import trace

        stored = _float32(a)
        if not math.isfinite(stored) or stored == 0.0:
            error = message("widgets.control_flow.bad_a", value=shortest(a), stored=shortest(stored, torch.float32))
            self.state = {
                "a": float(a),
                "error": error,
                "doublings": None,
                "branch": None,
                "d": None,
                "grad": None,
                "d_over_a": None,
                "verdict": None,
                "ulps": None,
                "mul_nodes": None,
            }
            self.doublings.value = html.escape(message("widgets.control_flow.doublings_none"))
            self._show(_message_picture(error), self._detail_lines())
            return
        leaf = torch.tensor(stored, dtype=torch.float32, requires_grad=True)
        d = control_flow(leaf)
        d.backward(retain_graph=True)  # keep the saved values for the picture
        graph = trace(d, names={"a": leaf, "d": d})
        mul_nodes = graph.counts()["MulBackward0"]
        branch = "positive" if float(d.detach()) > 0 else "negative"  # d has the sign of sum(b)
        ratio = d.detach() / leaf.detach()
        verdict = compare(leaf.grad, ratio)
        self.state = {
            "a": stored,
            "error": None,
            "doublings": mul_nodes - (branch == "negative"),  # the ×100 is one more Mul node
            "branch": branch,
            "d": d.detach(),
            "grad": leaf.grad.detach().clone(),
            "d_over_a": ratio,
            "verdict": verdict.status,
            "ulps": verdict.ulps or 0.0,
            "mul_nodes": mul_nodes,
        }
        self.doublings.value = html.escape(message("widgets.control_flow.doublings", count=self.state["doublings"]))
        self._show(_png(draw(graph, fold=True)), self._detail_lines())

    def _detail_lines(self) -> list[str]:
        s = self.state
        lines = [f"a = {shortest(s['a'], torch.float32)}"]
        if s["error"] is not None:
            return lines + [s["error"]]
        return lines + [
            message("widgets.control_flow.branch." + s["branch"]),
            f"d = f(a) = {values_text(s['d'])}",
            f"a.grad = {values_text(s['grad'])}",
            f"d / a = {values_text(s['d_over_a'])}",
            message("widgets.control_flow.verdict." + s["verdict"], ulps=ulps_text(s["ulps"])),
            message("widgets.control_flow.nodes", count=s["mul_nodes"]),
        ]

    def summary(self) -> str:
        s = self.state
        if s["error"] is None:
            doublings = message("widgets.control_flow.doublings", count=s["doublings"])
        else:
            doublings = message("widgets.control_flow.doublings_none")
        lines = self._detail_lines()
        return "\n".join([message("widgets.control_flow.title"), lines[0], doublings, *lines[1:]])


def control_flow_explorer(a: float | torch.Tensor | None = None) -> ControlFlowExplorer:
    """Explore In [20]'s f(a) with a slider and a text box; a defaults to the lesson's a (1.5410)."""
    if a is None:
        a = lesson_a()
    a = float(a)
    if math.isfinite(a):  # the shortest decimal of the same float32: 1.5409961, not 1.5409960746…
        a = float(shortest(a, torch.float32))
    return ControlFlowExplorer(a)


# --------------------------------------------------------------------------- In [11]/[12]: vᵀJ

FUNCTIONS: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "x * x": lambda x: x * x,
    "x ** 3": lambda x: x**3,
    "torch.sin(x)": torch.sin,
    "x * x.sum()": lambda x: x * x.sum(),  # every y_i depends on every x_j: J is not diagonal
}


def parse_vector(text: str, count: int) -> tuple[float, ...] | None:
    """`count` finite numbers from text like "0, 1, 0, 2" or "[0 1 0 2]"; None if it is not that."""
    parts = [p for p in re.split(r"[\s,;]+", text.strip().strip("()[]").strip()) if p]
    try:
        numbers = tuple(float(p) for p in parts)
    except ValueError:
        return None
    if len(numbers) != count or not all(math.isfinite(n) for n in numbers):
        return None
    return numbers


def _vjp_picture(v: torch.Tensor, jacobian: torch.Tensor, grad: torch.Tensor, function: str) -> bytes:
    """v beside the rows of J (v_i weighs row i) and the resulting row vᵀJ below, as a table."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    n = jacobian.shape[0]
    figure = Figure(figsize=(5.6, 3.6), dpi=PICTURE_DPI)
    ax = figure.add_axes((0.02, 0.02, 0.96, 0.84))
    ax.set_xlim(-2.2, n + 0.1)
    ax.set_ylim(n + 1.6, -0.9)
    ax.axis("off")

    def cell(x: float, y: float, value: float, part: str) -> None:
        shade = palette.VJP_CELLS[part] if value != 0 else palette.VJP_ZERO
        ax.add_patch(Rectangle((x, y), 1, 1, facecolor=shade, edgecolor=palette.INK))
        ax.text(
            x + 0.5,
            y + 0.5,
            shortest(value, torch.float32),
            ha="center",
            va="center",
            fontsize=CELL_PT,
            color=palette.TEXT,
        )

    for i in range(n):
        cell(-1.6, i, float(v[i]), "v")
        for j in range(n):
            cell(j, i, float(jacobian[i, j]), "jacobian")
        cell(i, n + 0.5, float(grad[i]), "grad")
    ax.text(-1.1, -0.3, message("widgets.vjp.picture.v"), ha="center", fontsize=CAPTION_PT)
    ax.text(n / 2, -0.3, message("widgets.vjp.picture.jacobian"), ha="center", fontsize=CAPTION_PT)
    ax.text(n / 2, n + 0.35, message("widgets.vjp.picture.grad"), ha="center", fontsize=CAPTION_PT)
    figure.suptitle(f"y = {function}", fontsize=TITLE_PT, x=0.01, ha="left")
    return _png(figure)


class VJPExplorer(Explorer):
    """In [11]/[12]: y = function(x) for x = (0, 1, 2, 3); choose v and see x.grad = vᵀJ next to
    the Jacobian J, and whether it is what y.sum().backward() gives (v = 1)."""

    css_class = "autograd-lessons-vjp"

    def __init__(self, function: str) -> None:
        import ipywidgets

        super().__init__()
        self.title.value = "<b>" + html.escape(message("widgets.vjp.title")) + "</b>"
        choose = ipywidgets.Dropdown(options=list(FUNCTIONS), value=function, description="y =")
        v = ipywidgets.Text(value="1, 1, 1, 1", description="v =", continuous_update=False)
        self.controls = {"function": choose, "v": v}
        choose.observe(lambda change: self.update(), names="value")
        v.observe(lambda change: self.update(), names="value")
        self._assemble(ipywidgets.HBox([choose, v]))
        self.update()

    def update(self) -> None:
        """Recompute y, x.grad = vᵀJ, J and y.sum()'s gradient for the chosen function and v."""
        name, text = self.controls["function"].value, self.controls["v"].value
        f = FUNCTIONS[name]
        x = torch.arange(4.0, requires_grad=True)
        numbers = parse_vector(text, x.numel())
        if numbers is None:
            error = message("widgets.vjp.bad_v", count=x.numel(), text=text)
            self.state = {
                "function": name,
                "x": x.detach(),
                "error": error,
                "v": None,
                "y": None,
                "jacobian": None,
                "grad": None,
                "sum_grad": None,
                "matches_sum": None,
            }
            self._show(_message_picture(error), self._detail_lines())
            return
        v = torch.tensor(numbers, dtype=torch.float32)
        y = f(x)
        y.backward(gradient=v)
        twin = x.detach().clone().requires_grad_(True)
        f(twin).sum().backward()
        jacobian = torch.autograd.functional.jacobian(f, x.detach())
        self.state = {
            "function": name,
            "x": x.detach(),
            "error": None,
            "v": v,
            "y": y.detach(),
            "jacobian": jacobian,
            "grad": x.grad.detach().clone(),
            "sum_grad": twin.grad.detach().clone(),
            "matches_sum": compare(x.grad, twin.grad).holds,
        }
        self._show(_vjp_picture(v, jacobian, self.state["grad"], name), self._detail_lines())

    def _detail_lines(self) -> list[str]:
        s = self.state
        lines = [f"x = {values_text(s['x'])}"]
        if s["error"] is not None:
            return lines + [f"y = {s['function']}", s["error"]]
        lines += [f"y = {s['function']} = {values_text(s['y'])}", f"v = {values_text(s['v'])}"]
        lines.append(message("widgets.vjp.jacobian"))
        lines += ["  " + values_text(row) for row in s["jacobian"]]
        lines.append(message("widgets.vjp.grad", grad=values_text(s["grad"])))
        key = "widgets.vjp.matches" if s["matches_sum"] else "widgets.vjp.differs"
        lines.append(message(key, sum_grad=values_text(s["sum_grad"])))
        return lines

    def summary(self) -> str:
        return "\n".join([message("widgets.vjp.title"), *self._detail_lines()])


def vjp_explorer(function: str = "x * x") -> VJPExplorer:
    """Explore x.grad = vᵀJ for y = function(x), x = (0, 1, 2, 3); function is one of FUNCTIONS."""
    if function not in FUNCTIONS:
        from autograd_lessons.i18n import LessonError

        raise LessonError(
            message(
                "claims.error.unknown_input", claim="vjp_explorer", names=repr(function), valid=", ".join(FUNCTIONS)
            )
        )
    return VJPExplorer(function)


# --------------------------------------------------------------------------- backward, step by step


class BackwardStepper(Explorer):
    """The recorded backward pass one step at a time: Prev/Next and a slider choose step k
    (numbered from 1, as backward_steps prints them), the picture marks the node the engine
    runs and the gradient on each edge so far. `state["step"]` is that number."""

    css_class = "autograd-lessons-stepper"

    def __init__(self, steps, fold: bool) -> None:
        import ipywidgets

        super().__init__()
        self.steps = steps
        self.fold = fold
        self.title.value = "<b>" + html.escape(message("widgets.stepper.title", count=len(steps))) + "</b>"
        slider = ipywidgets.IntSlider(value=1, min=1, max=max(len(steps), 1), step=1, description="k")
        prev = ipywidgets.Button(description=message("widgets.stepper.prev"))
        following = ipywidgets.Button(description=message("widgets.stepper.next"))
        self.controls = {"step": slider, "prev": prev, "next": following}
        prev.on_click(lambda button: self.go(self.state["step"] - 1))
        following.on_click(lambda button: self.go(self.state["step"] + 1))
        slider.observe(lambda change: self.update(change["new"]), names="value")
        self._assemble(ipywidgets.HBox([prev, slider, following]))
        self.update(1)

    def go(self, number: int) -> None:
        """Move to step `number`, clamped to the first (1) and the last step."""
        slider = self.controls["step"]
        slider.value = min(max(number, slider.min), slider.max)

    def update(self, number: int) -> None:
        """Show step `number` (1 to len(steps)): its op, its text, and the graph with the active
        node and the gradients on the edges."""
        from autograd_lessons.draw import draw

        step = self.steps.step(number)
        self.state = {
            "step": number,
            "count": len(self.steps),
            "op": step.op,
            "node": step.node,
            "label": self.steps.graph.nodes[step.node].label,
        }
        self._show(_png(draw(self.steps, step=number, fold=self.fold)), self._detail_lines())

    def _detail_lines(self) -> list[str]:
        s = self.state
        position = message("widgets.stepper.position", number=s["step"], count=s["count"], op=s["op"], label=s["label"])
        return [position, *self.steps.step_lines(s["step"])[1:]]  # the position replaces the step's heading

    def summary(self) -> str:
        return "\n".join([message("widgets.stepper.title", count=len(self.steps)), *self._detail_lines()])


def backward_stepper(
    tensor: torch.Tensor, *, fold: bool | None = None, names: dict[str, object] | None = None
) -> BackwardStepper:
    """Step through the backward pass of `tensor` (a scalar with a graph) with Prev/Next and a slider.

    fold=None folds repeated chains (like In [20]'s loop) when the graph has more than
    STEPPER_FOLD_LIMIT nodes, which keeps each picture small and quick; fold=False shows every
    node. Input backward_steps cannot use (a list, a model, an untracked tensor…) raises its
    LessonError.
    """
    from autograd_lessons.callers import caller_tensor_names
    from autograd_lessons.graph import check_tensor
    from autograd_lessons.steps import record

    tensor = check_tensor(tensor, "backward_stepper")
    found = caller_tensor_names(names)
    try:
        steps = record(tensor, None, False, found)
    finally:
        found.release()
    if fold is None:
        fold = len(steps.graph.nodes) > STEPPER_FOLD_LIMIT
    return BackwardStepper(steps, bool(fold))


__all__ = [
    "ControlFlowExplorer",
    "Explorer",
    "VJPExplorer",
    "BackwardStepper",
    "FUNCTIONS",
    "backward_stepper",
    "control_flow_explorer",
    "parse_vector",
    "vjp_explorer",
]
