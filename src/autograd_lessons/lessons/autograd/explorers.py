"""Lesson 1's explorers: In [20]'s f(a) with a slider, and In [11]/[12]'s vᵀJ with a chosen v.

Both are built on the package's `widgets.Explorer` (named controls, the state shown, and a text and
PNG fallback where no widget frontend runs), with this lesson's f and texts.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable

import torch

from autograd_lessons import palette
from autograd_lessons.drawing import TITLE_PT, draw
from autograd_lessons.drawing.describe import counted
from autograd_lessons.graph import trace
from autograd_lessons.i18n import LessonError, message
from autograd_lessons.lessons.autograd.maths import control_flow, lesson_a
from autograd_lessons.numbers import shortest, ulps_text, values_text
from autograd_lessons.verdicts import compare
from autograd_lessons.widgets import (
    CAPTION_PT,
    CELL_PT,
    PICTURE_DPI,
    Explorer,
    message_picture,
    picture_says,
    png_bytes,
)

ASSIGNMENT = "numbers.assignment"  # "name = value": a value of the explorer with the language's decimal separator
SLIDER_RANGE = (-2.0, 2.0)  # a's slider: the lesson's draws of torch.randn(()) fall mostly inside
SLIDER_STEP = 0.001


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
        self.title.value = "<b>" + html.escape(message("lesson1.control_flow.title")) + "</b>"
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
        stored = _float32(a)
        if not math.isfinite(stored) or stored == 0.0:
            error = message("lesson1.control_flow.bad_a", value=shortest(a), stored=shortest(stored, torch.float32))
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
                "folded": (),
            }
            self.doublings.value = html.escape(message("lesson1.control_flow.doublings_none"))
            self._show(message_picture(error), self._detail_lines())
            return
        leaf = torch.tensor(stored, dtype=torch.float32, requires_grad=True)
        d = control_flow(leaf)
        d.backward(retain_graph=True)  # keep the saved values for the picture
        graph = trace(d, names={"a": leaf, "d": d})
        mul_nodes = graph.counts()["MulBackward0"]
        branch = "positive" if float(d.detach()) > 0 else "negative"  # d has the sign of sum(b)
        ratio = d.detach() / leaf.detach()
        verdict = compare(leaf.grad, ratio)
        figure = draw(graph, fold=True)
        boxes = figure.lesson_drawing.graph.nodes  # what the picture drew, a folded chain as one box
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
            # the chains of MulBackward0 folded into one box each: how many nodes each box stands for
            "folded": tuple(node.repeat for node in boxes if node.kind == "fold" and node.op == "MulBackward0"),
        }
        self.doublings.value = html.escape(message("lesson1.control_flow.doublings", count=self.state["doublings"]))
        self._show(png_bytes(figure), self._detail_lines())

    def _detail_lines(self) -> list[str]:
        s = self.state
        lines = [message(ASSIGNMENT, name="a", value=shortest(s["a"], torch.float32))]
        if s["error"] is not None:
            return lines + [s["error"]]
        return lines + [
            message("lesson1.control_flow.branch." + s["branch"]),
            message(ASSIGNMENT, name="d = f(a)", value=values_text(s["d"])),
            message(ASSIGNMENT, name="a.grad", value=values_text(s["grad"])),
            message(ASSIGNMENT, name="d / a", value=values_text(s["d_over_a"])),
            message("lesson1.control_flow.verdict." + s["verdict"], ulps=ulps_text(s["ulps"])),
            message("lesson1.control_flow.nodes", count=s["mul_nodes"]),
        ]

    def summary(self) -> str:
        s = self.state
        if s["error"] is None:
            doublings = message("lesson1.control_flow.doublings", count=s["doublings"])
        else:
            doublings = message("lesson1.control_flow.doublings_none")
        lines = self._detail_lines()
        return "\n".join([message("lesson1.control_flow.title"), lines[0], doublings, *lines[1:]])

    def description(self) -> str:
        """The graph the picture shows at this a: its MulBackward0 nodes, and the chains folded."""
        s = self.state
        if s["error"] is not None:
            return picture_says(s["error"])
        chains = "".join(message("lesson1.explorer.control_flow.chain", count=count) for count in s["folded"])
        a = shortest(s["a"], torch.float32)
        return counted("lesson1.explorer.control_flow.description", s["mul_nodes"], a=a, chains=chains)


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
    ax.text(-1.1, -0.3, message("lesson1.vjp.picture.v"), ha="center", fontsize=CAPTION_PT)
    ax.text(n / 2, -0.3, message("lesson1.vjp.picture.jacobian"), ha="center", fontsize=CAPTION_PT)
    ax.text(n / 2, n + 0.35, message("lesson1.vjp.picture.grad"), ha="center", fontsize=CAPTION_PT)
    figure.suptitle(f"y = {function}", fontsize=TITLE_PT, x=0.01, ha="left")
    return png_bytes(figure)


class VJPExplorer(Explorer):
    """In [11]/[12]: y = function(x) for x = (0, 1, 2, 3); choose v and see x.grad = vᵀJ next to
    the Jacobian J, and whether it is what y.sum().backward() gives (v = 1)."""

    css_class = "autograd-lessons-vjp"

    def __init__(self, function: str) -> None:
        import ipywidgets

        super().__init__()
        self.title.value = "<b>" + html.escape(message("lesson1.vjp.title")) + "</b>"
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
            error = message("lesson1.vjp.bad_v", count=x.numel(), text=text)
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
            self._show(message_picture(error), self._detail_lines())
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
        lines.append(message("lesson1.vjp.jacobian"))
        lines += ["  " + values_text(row) for row in s["jacobian"]]
        lines.append(message("lesson1.vjp.grad", grad=values_text(s["grad"])))
        key = "lesson1.vjp.matches" if s["matches_sum"] else "lesson1.vjp.differs"
        lines.append(message(key, sum_grad=values_text(s["sum_grad"])))
        return lines

    def summary(self) -> str:
        return "\n".join([message("lesson1.vjp.title"), *self._detail_lines()])

    def description(self) -> str:
        """The table the picture shows: v beside the rows of J, and the row vᵀJ below them."""
        s = self.state
        if s["error"] is not None:
            return picture_says(s["error"])
        rows, columns = s["jacobian"].shape
        return message(
            "lesson1.explorer.vjp.description",
            function=s["function"],
            x=values_text(s["x"]),
            v=values_text(s["v"]),
            rows=rows,
            columns=columns,
            grad=values_text(s["grad"]),
        )


def vjp_explorer(function: str = "x * x") -> VJPExplorer:
    """Explore x.grad = vᵀJ for y = function(x), x = (0, 1, 2, 3); function is one of FUNCTIONS."""
    if function not in FUNCTIONS:
        raise LessonError(
            message(
                "claims.error.unknown_input", claim="vjp_explorer", names=repr(function), valid=", ".join(FUNCTIONS)
            )
        )
    return VJPExplorer(function)


__all__ = [
    "FUNCTIONS",
    "SLIDER_RANGE",
    "SLIDER_STEP",
    "ControlFlowExplorer",
    "VJPExplorer",
    "control_flow_explorer",
    "parse_vector",
    "vjp_explorer",
]
