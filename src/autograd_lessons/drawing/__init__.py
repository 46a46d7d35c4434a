"""Pictures of the computational graph with matplotlib only (no Graphviz): `draw(y)`.

draw(y) is a pipeline, each stage a module a reader can hold:

- `pipeline`: `draw` itself: trace (the builder `trace` uses, with the learner's names) → fold
  (`autograd_lessons.folding`) → layout → geometry → paint, and the picture's title.
- `layout`: rows and the order within each row (Sugiyama layers, crossing reduction, groups
  kept together): `layout`, `layers`, `crossings`, `group_paths`, `Layout`.
- `geometry`: boxes, ports, x of every slot, edge polylines, gradients in lanes, in inches;
  `frames`: the frames around submodules and repeated blocks.
- `painting`: the matplotlib artists; `figure`: the Figure that shows itself as PNG or SVG,
  its title, notes and legend, `smallest_text_pt`.
- `describe`: what a picture shows, in words (`figure_description`, draw()'s figures' text), and
  `describe_figures()`, which makes every matplotlib Figure in a notebook show its description;
- `sizes`: every size, font and limit (`DPI`, `TITLE_PT`, `FORMATS`, `min_font_pt` …);
  `text`: what a box says and how wide a text is (`wrap_to_width`, `count_text`);
  `scene`: what a picture shows (`Scene`) and what was drawn (`Drawing`, `fig.lesson_drawing`).

The names other code uses are importable from here. Colours are decided in
`autograd_lessons.palette`. matplotlib is loaded when the first picture is made.
"""

from autograd_lessons.drawing.describe import describe_figures, figure_description
from autograd_lessons.drawing.figure import smallest_text_pt
from autograd_lessons.drawing.layout import Layout, crossings, group_paths, layers, layout
from autograd_lessons.drawing.pipeline import draw, draw_side_by_side, unfolded_count
from autograd_lessons.drawing.scene import Drawing
from autograd_lessons.drawing.sizes import (
    DISPLAY_WIDTH_PX,
    DPI,
    FOLD_LIMIT,
    FORMATS,
    LABEL_LIMIT,
    MIN_LABEL_PT,
    MIN_TEXT_PX,
    TITLE_PT,
    min_font_pt,
)
from autograd_lessons.drawing.text import count_text, wrap_to_width

__all__ = [
    "DISPLAY_WIDTH_PX",
    "DPI",
    "FOLD_LIMIT",
    "FORMATS",
    "LABEL_LIMIT",
    "MIN_LABEL_PT",
    "MIN_TEXT_PX",
    "TITLE_PT",
    "Drawing",
    "Layout",
    "count_text",
    "crossings",
    "describe_figures",
    "draw",
    "draw_side_by_side",
    "figure_description",
    "group_paths",
    "layers",
    "layout",
    "min_font_pt",
    "smallest_text_pt",
    "unfolded_count",
    "wrap_to_width",
]
