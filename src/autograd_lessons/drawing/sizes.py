"""How big everything in a picture is: sizes, fonts, spacing, line widths, and the limits that
decide between folding, text and markers. Every length is in inches (1 data unit of a labelled
picture = 1 inch of the figure), every font and line width in points.

A picture is legible when every text is at least MIN_TEXT_PX pixels tall where it is shown.
Jupyter shows a PNG at its own pixel size only if it fits the output area; a wider PNG is
scaled down, text included. So pictures are at most DISPLAY_WIDTH_PX wide at the dpi they
are saved with, and every font is at least min_font_pt(dpi) points. Colours are decided in
`autograd_lessons.palette`.
"""

from __future__ import annotations

from autograd_lessons.folding import MAX_BOXES

# --------------------------------------------------------------------------- picture sizes
DPI = 100  # dots per inch of draw()'s figures (their _repr_png_) and of the explorers' PNGs
DISPLAY_WIDTH_PX = 860  # the widest PNG a notebook's output area shows at its own size
MIN_TEXT_PX = 9  # the smallest text a learner should have to read, in screen pixels
MAX_WIDTH_IN = DISPLAY_WIDTH_PX / DPI  # 8.6 in: wider labelled graphs fold or become markers
MAX_HEIGHT_IN = 40.0  # taller labelled graphs become markers (4000 px: the longest scroll)
# Font sizes: min_font_pt(DPI) is 6.48 pt; the secondary texts use the next whole size up.
TITLE_PT = 10.0  # 13.9 px at DPI: the one line that says what the picture is
NODE_PT = 8.0  # box text, 11.1 px at DPI: the main content, monospace so values line up
EDGE_PT = 8.0  # gradients written on edges: 11.1 px at DPI
LEGEND_PT = 8.0  # legend entries and title: 11.1 px at DPI
NOTE_PT = 8.0  # notes under the graph: 11.1 px at DPI
FRAME_PT = 8.0  # a frame's label ("0 (Linear)", "× 400"): 11.1 px at DPI
MIN_LABEL_PT = 8.0  # no text of a picture is smaller than this where it is shown (see smallest_label_pt)
FORMATS = ("png", "svg")  # what draw(format=...) makes; the first is the default
SVG_SALT = "autograd-lessons"  # fixed seed of the ids in an SVG, so two drawings give the same text


def min_font_pt(dpi: float) -> float:
    """The smallest font size (points) that is MIN_TEXT_PX pixels tall at `dpi`."""
    return MIN_TEXT_PX * 72.0 / dpi


LABEL_LIMIT = MAX_BOXES  # above this many nodes, draw markers without text (folding folds down to it)
FOLD_LIMIT = 40  # above this many nodes, fold repeated chains unless fold=False
CROSSING_LIMIT = 600  # count crossings of straight segments (O(edges²)) only up to this many
SWEEPS = 6  # barycentre sweeps (down, up, down, …) ordering the layers
PLACE_SWEEPS = 6  # sweeps pulling each slot's x towards its neighbours' (box centres align)

# Geometry of labelled pictures, in inches (1 data unit = 1 inch of the figure).
MONO_EM = 0.61  # advance of one DejaVu Sans Mono character (0.602 em), rounded up
LINE_EM = 1.25  # line height of box text, in em
BOX_PAD = (0.1, 0.07)  # text to box outline, horizontal and vertical
BOX_GAP = 0.3  # between two boxes of a row
DUMMY_GAP = 0.14  # between an edge passing a row and its neighbours in that row
PORT_MARGIN = 0.1  # ports keep this far from a box's rounded corners
PORT_SPACING = 0.3  # widest spacing of the ports of one box
MIN_PORT_SPACING = 0.14  # narrowest spacing: boxes widen to keep it
MIN_SEPARATION = 0.08  # parallel edges stay at least this far apart (8 px: two visible lines)
START_STUB = 0.12  # vertical run out of a row before an edge turns
ARROW_STUB = 0.16  # vertical run into a box, so every arrowhead points straight down
SLANT = 0.42  # least height of the slanted part of a gap between rows
LABEL_PAD = (0.04, 0.03)  # text to the outline of a gradient written on an edge
LABEL_CHARS = 32  # a gradient on an edge wraps after this many characters ("shape (5, 4), norm 0.03969" fits one line)
LANE_GAP = 0.05  # between two lanes of edge labels, and between labels in one lane
STUB_CLEAR = 0.04  # a label keeps this far from another edge's vertical run
MARGIN = 0.15  # around the graph
MIN_FIGURE_WIDTH = 5.0  # room for the title and a legend of two columns
# Frames on the output's box and on the active box (pt). When one box is both, the thinner
# blue frame is drawn over the wider orange one, and both stay visible.
HALO_WIDTH = {"output": 2.0, "active": 4.5}
BOX_LINE = 0.8  # box outline (pt)
EDGE_LINE = (0.9, 1.6)  # edge width (pt): not reached yet / the gradient went along it
ARROW_SIZE = 9.0  # arrowhead mutation scale (pt)
# Frames around groups (submodules, repeated blocks), in inches.
FRAME_PAD = 0.08  # from a frame to the boxes (or inner frames) it encloses
FRAME_GAP = 0.12  # from a frame to anything outside it, in its rows
FRAME_LABEL_PAD = (0.04, 0.02)  # a frame's label text to its background
FRAME_ROUNDING = 0.08  # corner radius of a frame
FRAME_LINE = {"module": 1.0, "repeat": 1.6}  # outline width (pt); the repeat frame is also dashed
FRAME_STYLE = {"module": "-", "repeat": "--"}
FOREIGN_PULL = 0.1  # how much a neighbour in another frame pulls a slot, relative to one in its own
FRAME_ROUNDS = 3  # placement rounds (pull towards neighbours, then separate frames) with groups
REPAIR_ROUNDS = 200  # passes pushing slots apart until no box sits inside a foreign frame
MARKER_FRAME_PAD = 0.3  # in marker pictures (rank units): from a frame to its markers
