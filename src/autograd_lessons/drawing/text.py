"""The texts of a picture and how wide they are: what a box says, wrapped to its width.

Widths are measured with the font matplotlib will draw with (`text_width`), so boxes, frame
labels and the figure's title fit their text exactly. matplotlib is imported on the first
measurement, not with this module: importing the package (and tracing) stays free of it.
"""

from __future__ import annotations

import functools

from autograd_lessons.drawing.sizes import FRAME_LABEL_PAD, FRAME_PT, LINE_EM
from autograd_lessons.graph_data import Badge, Graph, Value
from autograd_lessons.i18n import message


@functools.lru_cache(maxsize=4096)
def text_width(text: str, size: float, mono: bool = False) -> float:
    """Width in inches of one line of `text` at `size` points (the font matplotlib will use)."""
    # matplotlib is imported here, when a picture is made: `import autograd_lessons.drawing`
    # (and every helper that does not draw) stays without it (tests/test_draw.py checks).
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    prop = FontProperties(size=size, family="monospace" if mono else None)
    width, _, _ = text_to_path.get_text_width_height_descent(text, prop, ismath=False)
    return width / 72.0


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


def wrap_text(text: str, width: int = 34, lines: int = 3) -> list[str]:
    """`text` in lines of at most `width` characters, broken at a space where possible (so
    numbers and words stay whole), at most `lines` lines, the last one ending in "…" if cut."""
    chunks: list[str] = []
    rest = text
    while rest:
        if len(rest) <= width:
            chunks.append(rest)
            break
        cut = rest.rfind(" ", 0, width + 1)
        if cut < width // 2:
            cut = width
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    chunks = chunks or [""]
    if len(chunks) > lines:
        chunks = chunks[:lines]
        chunks[-1] = chunks[-1][: width - 1] + "…"
    return chunks


WRAP_WIDTHS = (34, 26, 20)  # characters per line of box text, tried in turn until a graph fits


def node_lines(graph: Graph, i: int, grad: Value | None | str, width: int = WRAP_WIDTHS[0]) -> list[str]:
    """The text inside a node's box (grad: a Value, None, or "keep" for the leaf's own .grad),
    in lines of about `width` characters (an operation's class name is never broken)."""
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
    if node.kind == "cut":
        lines = wrap_text(message("graph.cut"), width, 2)
        if node.value is not None:
            value = node.value.text()
            lines += wrap_text(f"{node.name} = {value}" if node.name else value, width)
        elif node.name:
            lines.append(node.name)
        return lines
    if node.kind == "fold":
        lines = wrap_text(message("graph.fold", op=node.op, count=node.repeat), max(width, len(node.op) + 1), 2)
    else:
        lines = [node.op]
    lines += wrap_text(node.label, width, 2)
    if node.name:
        lines += wrap_text(message("graph.output", name=node.name), width, 1)
    if node.kind == "op" and grad == "keep":  # an intermediate tensor kept with retain_grad()
        if node.value is not None:
            lines += wrap_text(message("graph.data", values=node.value.text()), width, 2)
        if node.grad is not None:
            lines += wrap_text(message("graph.grad", values=node.grad.text()), width, 2)
    shown = sorted(node.saved, key=_badge_rank)  # a box has room for two: saved tensors first
    for badge in shown[:BADGES_SHOWN]:
        lines += wrap_text(badge.text(), width, lines=1)
    if len(node.saved) > BADGES_SHOWN:
        lines.append("…")
    return lines


BADGES_SHOWN = 2  # saved values written in a box; the rest are in trace(y)'s text


def _badge_rank(badge: Badge) -> int:
    """Which saved values a box shows first: tensors (what backward keeps in memory), then
    numbers, then sizes and flags (alpha = 1, self_sym_sizes = (5, 1))."""
    if badge.value is not None and badge.value.shape != ():
        return 0
    if badge.freed or badge.stale:
        return 0
    return 1 if badge.value is not None else 2


__all__ = [
    "BADGES_SHOWN",
    "WRAP_WIDTHS",
    "count_text",
    "frame_label_size",
    "node_lines",
    "text_width",
    "wrap_text",
    "wrap_to_width",
]
