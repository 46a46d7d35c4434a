"""Every colour the package uses, decided here: pictures, DOT, widgets and badges.

The hues are the Okabe–Ito palette, distinguishable with every common colour-vision
deficiency; no colour is ever the only cue (badges carry a symbol, node kinds a label or a
line style). `node_colours(kind)` is the one function that decides how a node kind looks.
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
INK = "#333333"  # outlines and text
GREY = "#555555"  # edges

# Node kinds: (fill, outline, line style). Fills are the hues themselves where dark text stays
# readable on them, a light tint of the hue where it would not (vermillion, blue).
NODE_KINDS = {
    "op": (SKY_BLUE, INK, "-"),
    "accumulate": (BLUISH_GREEN, INK, "-"),
    "leaf": (YELLOW, INK, "-"),
    "cut": ("#F6C9A8", VERMILLION, "--"),  # vermillion tint, dashed vermillion outline
    "fold": (REDDISH_PURPLE, INK, "-"),
}
OUTPUT_OUTLINE = BLUE
ACTIVE_OUTLINE = ORANGE
EDGE = GREY
PENDING_FILL = "#E8E8E8"  # a node the backward pass has not reached yet

# Verdict and feedback badges: (background, text colour).
BADGES = {
    "holds": (BLUE, "#ffffff"),
    "rounding": (ORANGE, "#000000"),
    "fails": (VERMILLION, "#ffffff"),
    "correct": (BLUE, "#ffffff"),
    "wrong": (VERMILLION, "#ffffff"),
    "unanswered": ("#E0E0E0", "#000000"),  # neutral: nothing judged yet
}

# Cells of the vector–Jacobian table in the explorer.
VJP_CELLS = {"v": ORANGE, "jacobian": SKY_BLUE, "grad": BLUISH_GREEN}


def badge_html(label: str, kind: str) -> str:
    """A bold label on the ground of badge `kind` (see BADGES): verdicts and exercise feedback."""
    import html

    background, colour = BADGES[kind]
    return (
        f'<span style="background:{background};color:{colour};border-radius:4px;'
        f'padding:1px 6px;font-weight:bold;white-space:nowrap">{html.escape(label)}</span>'
    )


def node_colours(kind: str) -> tuple[str, str, str]:
    """(fill, outline, line style) of a node kind: "op", "accumulate", "leaf", "cut" or "fold"."""
    return NODE_KINDS[kind]


__all__ = [
    "ACTIVE_OUTLINE", "BADGES", "EDGE", "NODE_KINDS", "OUTPUT_OUTLINE", "PENDING_FILL", "VJP_CELLS",
    "badge_html", "node_colours",
]
