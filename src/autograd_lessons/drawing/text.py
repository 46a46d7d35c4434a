"""The texts of a picture and how wide they are: what a box says, wrapped to its width.

Widths are measured with the font matplotlib will draw with (`text_width`), so boxes, frame
labels and the figure's title fit their text exactly. matplotlib is imported on the first
measurement, not with this module: importing the package (and tracing) stays free of it.
"""

from __future__ import annotations

import functools
import re

from autograd_lessons.drawing.sizes import DPI, FRAME_LABEL_PAD, FRAME_PT, LINE_EM
from autograd_lessons.graph_data import CUT_MARK, Badge, Graph, Value, recorded_by_backward
from autograd_lessons.i18n import message


@functools.cache
def _renderer():
    """The renderer that measures texts: Agg at DPI, the one that draws the pictures' PNGs."""
    from matplotlib.backends.backend_agg import RendererAgg

    return RendererAgg(1, 1, DPI)


@functools.lru_cache(maxsize=4096)
def text_width(text: str, size: float, mono: bool = False) -> float:
    """Width in inches of one line of `text` at `size` points, as the PNG at DPI draws it (the
    font matplotlib will use, its glyphs' hinted widths: about 3% wider than their outlines, so
    a text measured from outlines would overrun its box or the picture's edge)."""
    # matplotlib is imported here, when a picture is made: `import autograd_lessons.drawing`
    # (and every helper that does not draw) stays without it (tests/test_draw.py checks).
    from matplotlib.font_manager import FontProperties

    prop = FontProperties(size=size, family="monospace" if mono else None)
    width, _, _ = _renderer().get_text_width_height_descent(text, prop, ismath=False)
    return width / DPI


def wrap_to_width(text: str, size: float, width: float) -> list[str]:
    """`text` broken into lines no wider than `width` inches at `size` points."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and text_width(candidate, size) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


def frame_label_size(text: str) -> tuple[float, float]:
    """Width and height (inches) of a frame's label with its background."""
    return (
        text_width(text, FRAME_PT) + 2 * FRAME_LABEL_PAD[0],
        LINE_EM * FRAME_PT / 72 + 2 * FRAME_LABEL_PAD[1],
    )


def count_text(number: int) -> str:
    """A whole number with the learner's thousands separator: 2,006 (en), 2.006 (pt)."""
    return f"{int(number):,}".replace(",", message("draw.thousands"))


# --------------------------------------------------------------------------- box text


def wrap_text(text: str, width: int = 34) -> list[str]:
    """`text` in lines of at most `width` characters, broken after a comma or at a space where
    possible (so numbers, words and "norm 0.5446" stay whole). Nothing is ever cut: a longer
    text takes more lines, so a box shows in every language what it shows in English."""
    chunks: list[str] = []
    rest = text
    while rest:
        if len(rest) <= width:
            chunks.append(rest)
            break
        cut = _break(rest, width)
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return chunks or [""]


def _break(text: str, width: int) -> int:
    """Where to end a line of `text` (longer than `width`): the last good break that leaves
    the line at least half full, best first: after a comma outside brackets ("(128, 256)," |
    "norm 83.33"), at a space outside brackets, after any comma, at any space; else at `width`."""
    depth, outside = 0, []  # outside[i]: position i is not inside (), [] or {}
    for char in text[: width + 1]:
        depth = max(0, depth - (char in ")]}"))
        outside.append(depth == 0)
        depth += char in "([{"
    commas = [i + 1 for i in range(min(width, len(text) - 1)) if text[i : i + 2] == ", "]
    spaces = [i for i in range(width + 1) if text[i] == " "]
    for found in (
        [i for i in commas if outside[i - 1]],
        [i for i in spaces if outside[i]],
        commas,
        spaces,
    ):
        if found and found[-1] >= width // 2:
            return found[-1]
    return width


WRAP_WIDTHS = (34, 26, 20)  # characters per line of box text, tried in turn until a graph fits


def node_lines(graph: Graph, i: int, grad: Value | None | str, width: int = WRAP_WIDTHS[0]) -> list[str]:
    """The text inside a node's box (grad: a Value, None, or "keep" for the leaf's own .grad),
    in lines of about `width` characters (an operation's class name is never broken). Every
    text is wrapped, never cut; only saved values beyond BADGES_SHOWN are left to trace(y)'s
    text, and a line says how many."""
    node = graph.nodes[i]
    if node.kind == "leaf":
        lines = [message("graph.leaf") + (f" {node.name}" if node.name else "")]
        if node.value is not None:
            if node.value.data is None:
                lines += wrap_text(node.value.text(), width)
            else:
                lines += wrap_text(message("graph.data", values=node.value.text()), width)
        shown = node.grad if grad == "keep" else grad
        lines += wrap_text(message("graph.grad", values=shown.text() if shown is not None else "None"), width)
        return lines
    if node.kind == "cut":  # "✂ batch" over "untracked input" when the learner named it
        lines = wrap_text(CUT_MARK + (node.name or message("graph.cut")), width)
        if node.name:
            lines += wrap_text(message("graph.cut"), width)
        if node.value is not None:
            lines += wrap_text(node.value.text(), width)
        return lines
    if node.kind == "fold":
        lines = wrap_text(message("graph.fold", op=node.op, count=node.repeat), max(width, len(node.op) + 1))
    else:
        lines = [node.op]
    lines += wrap_text(node.label, width)
    output = graph.output_text(i)  # the learner's name, x.grad, or what it computed: 3 * x**2
    if output:
        lines += wrap_text(message("graph.output", name=output), width)
    if node.kind == "op" and grad == "keep":  # an intermediate tensor kept with retain_grad()
        if node.value is not None:
            lines += wrap_text(message("graph.data", values=node.value.text()), width)
        if node.grad is not None:
            lines += wrap_text(message("graph.grad", values=node.grad.text()), width)
    shown = sorted(node.saved, key=_badge_rank)  # a box has room for two: saved tensors first
    for badge in shown[:BADGES_SHOWN]:
        lines += wrap_text(badge.text(), width)
    if len(node.saved) > BADGES_SHOWN:
        lines += wrap_text(message("draw.more_saved", count=len(node.saved) - BADGES_SHOWN), width)
    return lines


BADGES_SHOWN = 2  # saved values written in a box; the rest are in trace(y)'s text
NUMBERED_CLASS = re.compile(r"Backward\d")  # a grad_fn name with its variant number: MulBackward0


def picture_notes(graph: Graph, view: Graph) -> list[str]:
    """The notes under a labelled picture of `graph` drawn as `view` (folded or not): what the
    number in a name like MulBackward0 means, when a box shows one, and that a backward pass
    recorded the graph, when that is known (`graph_data.recorded_by_backward`)."""
    notes = []
    if any(node.kind in ("op", "fold") and NUMBERED_CLASS.search(node.op) for node in view.nodes):
        notes.append(message("draw.note_backward_number"))
    if recorded_by_backward(graph):
        notes.append(message("graph.note_recorded_backward"))
    return notes


def _badge_rank(badge: Badge) -> int:
    """Which saved values a box shows first: tensors (what backward keeps in memory), then the
    shapes kept instead of a tensor (shape of mat2 (256, 64)), then numbers (exponent = 2,
    alpha = 1), then sizes and flags (dim = 0)."""
    if badge.value is not None and badge.value.shape != ():
        return 0
    if badge.freed or badge.stale:
        return 0
    if badge.shape_of is not None:
        return 1
    return 2 if badge.value is not None else 3


__all__ = [
    "BADGES_SHOWN",
    "WRAP_WIDTHS",
    "count_text",
    "frame_label_size",
    "node_lines",
    "picture_notes",
    "text_width",
    "wrap_text",
    "wrap_to_width",
]
