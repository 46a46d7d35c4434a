"""Explorers: turn a knob and watch the graph and the gradient change.

Each explorer is a small object holding an ipywidgets layout (`widget`), the knobs by name
(`controls`) and what is currently shown (`state`), so tests can drive it without a browser.
`Explorer` is the shared base; `backward_stepper` steps through any tensor's backward pass, and a
lesson builds its own explorers on the same base (lesson 1's live in its package).
Where no widget frontend runs (GitHub, nbviewer, nbval, the site) its `_repr_mimebundle_` still
carries a PNG picture of the current state and a deterministic text: first the picture's short
description (`description`, one or two sentences: its text alternative, which the site's `alt`
takes), then, after a blank line, everything the explorer's own text shows (`summary`).
ipywidgets and matplotlib are imported only when an explorer is built.
"""

from __future__ import annotations

import html
import io

import torch

from autograd_lessons import palette
from autograd_lessons.callers import learner_boundary
from autograd_lessons.drawing import DPI, draw, wrap_to_width
from autograd_lessons.drawing.describe import sentence
from autograd_lessons.graph import check_tensor
from autograd_lessons.i18n import message
from autograd_lessons.steps import backward_steps

# The explorers' PNGs are saved at draw()'s DPI, so the stepper's and the control-flow
# explorer's pictures are exactly draw()'s: at most DISPLAY_WIDTH_PX wide, every text at least
# MIN_TEXT_PX tall. 100 dpi instead of 72 costs a few ms per update (benchmarks/widgets_bench.py).
PICTURE_DPI = DPI
CELL_PT = 9.0  # numbers in the vᵀJ table: 12.5 px at PICTURE_DPI
CAPTION_PT = 9.0  # captions of the vᵀJ table: 12.5 px at PICTURE_DPI
ERROR_PT = 10.0  # a picture that only says what is wrong: 13.9 px at PICTURE_DPI
STEPPER_FOLD_LIMIT = 16  # above this many nodes the stepper folds repeated chains (speed, size)


def png_bytes(figure) -> bytes:
    """The figure as PNG bytes at PICTURE_DPI."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=PICTURE_DPI)
    return buffer.getvalue()


def png_width(png: bytes) -> int:
    """The width in pixels of a PNG image, read from its header (bytes 16–19 of the IHDR chunk)."""
    return int.from_bytes(png[16:20], "big")


def message_picture(text: str) -> bytes:
    """A small picture that just says `text` (shown instead of a graph when the input is bad)."""
    from matplotlib.figure import Figure

    width = 6.0
    lines = wrap_to_width(text, ERROR_PT, width - 0.3)
    figure = Figure(figsize=(width, 0.4 + len(lines) * 1.3 * ERROR_PT / 72), dpi=PICTURE_DPI)
    figure.text(
        0.15 / width, 0.5, "\n".join(lines), va="center", fontsize=ERROR_PT, color=palette.ERROR_TEXT, linespacing=1.3
    )
    return png_bytes(figure)


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

    def description(self) -> str:
        """What the explorer's picture shows, in one or two sentences in the current language,
        made from the state it shows: the picture's text alternative. The details are the
        explorer's own text (`summary`)."""
        raise NotImplementedError

    def text(self) -> str:
        """The explorer as text (its text/plain): the picture's description, a blank line, then
        the summary. A reader who wants only the description takes the first paragraph."""
        return f"{self.description()}\n\n{self.summary()}"

    def _show(self, png: bytes, detail_lines: list[str]) -> None:
        self.png = png
        self.picture.value = png
        # At its natural width, like every other picture of the lesson: a widget image otherwise
        # stretches to the output area, and its text grows and shrinks from step to step.
        self.picture.width = str(png_width(png))
        self.details.value = _preformatted(detail_lines)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        bundle = dict(self.widget._repr_mimebundle_())
        bundle["text/plain"] = self.text()
        bundle["image/png"] = self.png
        if include:
            bundle = {k: v for k, v in bundle.items() if k in include}
        if exclude:
            bundle = {k: v for k, v in bundle.items() if k not in exclude}
        return bundle

    def __repr__(self) -> str:
        return self.text()


def picture_says(text: str) -> str:
    """The description of a picture that only says `text` (`message_picture`): that text."""
    return sentence(message("widgets.picture_says", text=text))


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
        step = self.steps.step(number)
        self.state = {
            "step": number,
            "count": len(self.steps),
            "op": step.op,
            "node": step.node,
            "label": self.steps.graph.nodes[step.node].label,
        }
        self._show(png_bytes(draw(self.steps, step=number, fold=self.fold)), self._detail_lines())

    def _detail_lines(self) -> list[str]:
        s = self.state
        position = message("widgets.stepper.position", number=s["step"], count=s["count"], op=s["op"], label=s["label"])
        return [position, *self.steps.step_lines(s["step"])[1:]]  # the position replaces the step's heading

    def summary(self) -> str:
        return "\n".join([message("widgets.stepper.title", count=len(self.steps)), *self._detail_lines()])

    def description(self) -> str:
        """Which step of whose backward pass the picture shows, and the node the engine runs."""
        s = self.state
        name = self.steps.name
        subject = message("steps.header", name=name) if name else message("steps.header_unnamed")
        leaf = self.steps.step(s["step"]).leaf
        op = message("describe.graph.step_leaf", op=s["op"], name=leaf) if leaf else s["op"]
        return message("widgets.stepper.description", subject=subject, number=s["step"], count=s["count"], op=op)


@learner_boundary
def backward_stepper(
    tensor: torch.Tensor, *, fold: bool | None = None, names: dict[str, object] | None = None
) -> BackwardStepper:
    """Step through the backward pass of `tensor` (a scalar with a graph) with Prev/Next and a slider.

    fold=None folds repeated chains (like In [20]'s loop) when the graph has more than
    STEPPER_FOLD_LIMIT nodes, which keeps each picture small and quick; fold=False shows every
    node. Input backward_steps cannot use (a list, a model, an untracked tensor…) raises its
    LessonError.
    """
    steps = backward_steps(check_tensor(tensor, "backward_stepper"), names=names)
    if fold is None:
        fold = len(steps.graph.nodes) > STEPPER_FOLD_LIMIT
    return BackwardStepper(steps, bool(fold))


__all__ = [
    "CAPTION_PT",
    "CELL_PT",
    "ERROR_PT",
    "PICTURE_DPI",
    "BackwardStepper",
    "Explorer",
    "backward_stepper",
    "message_picture",
    "picture_says",
    "png_bytes",
    "png_width",
]
