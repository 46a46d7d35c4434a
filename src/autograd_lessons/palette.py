"""Every colour the package uses, decided here: pictures, DOT, widgets and badges.

The hues are the Okabe–Ito palette, distinguishable with every common colour-vision
deficiency; no colour is ever the only cue (badges carry a symbol, node kinds a label or a
line style). `node_colours(kind)` is the one function that decides how a node kind looks.
Every fill is opaque: a picture and its legend show exactly the same colours.
"""

from __future__ import annotations

# Okabe–Ito hues
BLUE = "#0072B2"
SKY_BLUE = "#56B4E9"
BLUISH_GREEN = "#009E73"
YELLOW = "#F0E442"
ORANGE = "#E69F00"
VERMILLION = "#D55E00"
REDDISH_PURPLE = "#CC79A7"
INK = "#333333"  # outlines
TEXT = "#000000"  # text on every fill (black keeps the contrast on green and blue)
GREY = "#555555"  # edges
WHITE = "#FFFFFF"

# Node kinds: (fill, outline, line style). Fills are the hues themselves where dark text stays
# readable on them, a light tint of the hue where it would not (vermillion, blue).
NODE_KINDS = {
    "op": (SKY_BLUE, INK, "-"),
    "accumulate": (BLUISH_GREEN, INK, "-"),
    "leaf": (YELLOW, INK, "-"),
    "cut": ("#F6C9A8", VERMILLION, "--"),  # vermillion tint, dashed vermillion outline
    "fold": (REDDISH_PURPLE, INK, "-"),
}
# A node the backward pass has not reached yet, whatever its kind: a light grey box (its text
# still names the operation). Cut inputs are never reached and keep their own look.
PENDING = ("#E8E8E8", "#9A9A9A", "-")
PENDING_FILL = PENDING[0]
OUTPUT_OUTLINE = BLUE  # a frame around the output's box
ACTIVE_OUTLINE = ORANGE  # a frame around the node running at the pictured step
EDGE = GREY
REACHED_EDGE = ORANGE  # an edge the gradient has already travelled along
LABEL_FILL = WHITE  # behind the gradient written on an edge
ERROR_TEXT = VERMILLION  # a picture that only says what is wrong
# Frames around groups of boxes. A submodule's frame is a thin solid ink outline with its name
# ("0 (Linear)") in the corner; a repeated block's frame is a thicker dashed reddish-purple
# outline, the hue of folded chains (both stand for repetition drawn once), with its count
# ("× 400"). Line style and label tell them apart, not the hue alone; the fills are "none" so
# the boxes inside keep their own colours.
MODULE_FRAME = INK
REPEAT_FRAME = REDDISH_PURPLE
FRAME_LABEL_FILL = WHITE  # behind a frame's label, so a line passing under it cannot hide it

# Verdict and feedback badges: (background, text colour).
BADGES = {
    "holds": (BLUE, "#ffffff"),
    "rounding": (ORANGE, "#000000"),
    "fails": (VERMILLION, "#000000"),  # black: 5.4:1 on vermillion, where white gives 3.9:1 (text needs 4.5:1)
    "correct": (BLUE, "#ffffff"),
    "wrong": (VERMILLION, "#000000"),
    "unanswered": ("#E0E0E0", "#000000"),  # neutral: nothing judged yet
    # neutral: yes or no to one of the lesson's own questions is a finding, not a success or a fault
    "answer": ("#E0E0E0", "#000000"),
}

# Cells of the vector–Jacobian table in the explorer: opaque tints (60 % of the hue on white),
# light enough for black digits.
VJP_CELLS = {"v": "#F0C566", "jacobian": "#9AD2F2", "grad": "#66C5AB"}
VJP_ZERO = WHITE  # a zero entry


def badge_html(label: str, kind: str) -> str:
    """A bold label on the ground of badge `kind` (see BADGES): verdicts and exercise feedback."""
    import html

    background, colour = BADGES[kind]
    return (
        f'<span style="background:{background};color:{colour};border-radius:4px;'
        f'padding:1px 6px;font-weight:bold;white-space:nowrap">{html.escape(label)}</span>'
    )


def node_colours(kind: str) -> tuple[str, str, str]:
    """(fill, outline, line style) of a node kind: "op", "accumulate", "leaf", "cut", "fold",
    or "pending" (not reached yet by the backward pass being pictured)."""
    if kind == "pending":
        return PENDING
    return NODE_KINDS[kind]


__all__ = [
    "ACTIVE_OUTLINE",
    "BADGES",
    "EDGE",
    "ERROR_TEXT",
    "FRAME_LABEL_FILL",
    "INK",
    "TEXT",
    "LABEL_FILL",
    "MODULE_FRAME",
    "NODE_KINDS",
    "OUTPUT_OUTLINE",
    "PENDING",
    "PENDING_FILL",
    "REACHED_EDGE",
    "REPEAT_FRAME",
    "VJP_CELLS",
    "VJP_ZERO",
    "badge_html",
    "node_colours",
]
