"""The figure around a picture: a matplotlib Figure that shows itself as PNG or SVG, and as text
by its description (`drawing.describe`), sized around the graph with the title above, the notes
and the legend below, and a measure of its smallest text as a notebook shows it.

matplotlib is imported inside the functions that make figures, not with this module, so that
`from autograd_lessons import draw` does not load it until a picture is made (import_bench;
tests/test_draw.py checks that draw() never touches pyplot).
"""

from __future__ import annotations

import functools
import io
import math

from autograd_lessons import palette
from autograd_lessons.drawing.describe import DESCRIPTION, figure_description
from autograd_lessons.drawing.scene import Scene
from autograd_lessons.drawing.sizes import (
    BOX_LINE,
    DISPLAY_WIDTH_PX,
    DPI,
    FORMATS,
    FRAME_LINE,
    FRAME_STYLE,
    HALO_WIDTH,
    LEGEND_PT,
    MAX_WIDTH_IN,
    MIN_FIGURE_WIDTH,
    NOTE_PT,
    SVG_SALT,
    TITLE_PT,
    min_font_pt,
)
from autograd_lessons.drawing.text import text_width, wrap_to_width
from autograd_lessons.i18n import message

LINE_SPACING = 1.3  # a title's or a note's lines, in multiples of the font size
SIDE_IN = 0.1  # inches between a figure's edge and its texts
PAD_IN = 0.12  # inches between the rows of a figure of our own: title, graph, notes, legend


@functools.cache
def figure_class():
    """A Figure that shows itself as a PNG in Jupyter, with or without pyplot's inline backend.

    draw() never imports pyplot (so it changes no global state), and without pyplot IPython has
    no formatter for Figure; `_repr_png_` gives it one, at the figure's own dpi (DPI).
    """
    from matplotlib.figure import Figure

    class LessonFigure(Figure):
        lesson_format = FORMATS[0]  # "png" or "svg": which of the two _repr_ methods answers

        def __repr__(self) -> str:
            """The picture's description (drawing.describe), which text front-ends and screen
            readers show; a figure not made by draw() has a plain Figure's text."""
            return figure_description(self) if getattr(self, DESCRIPTION, None) else self.plain_repr()

        def plain_repr(self) -> str:
            """The text a plain Figure has: "<Figure size 500x620 with 1 Axes>"."""
            return super().__repr__().replace(type(self).__name__, "Figure", 1)

        def _repr_png_(self) -> bytes | None:
            if self.lesson_format != "png":
                return None
            buffer = io.BytesIO()
            self.savefig(buffer, format="png", dpi=self.dpi)
            return buffer.getvalue()

        def _repr_svg_(self) -> str | None:
            """The SVG text, the same for the same picture: no date, ids from a fixed salt."""
            if self.lesson_format != "svg":
                return None
            import matplotlib

            buffer = io.BytesIO()
            with matplotlib.rc_context({"svg.hashsalt": SVG_SALT}):
                self.savefig(buffer, format="svg", dpi=self.dpi, metadata={"Date": None})
            return buffer.getvalue().decode("utf-8")

    return LessonFigure


def new_figure(format: str = FORMATS[0]):
    fig = figure_class()(figsize=(MAX_WIDTH_IN, 4.0), dpi=DPI)
    fig.lesson_format = format
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    return fig, ax


def frame_colour(kind: str) -> str:
    return palette.MODULE_FRAME if kind == "module" else palette.REPEAT_FRAME


def legend_handles(scene: Scene, looks: set[str], markers: bool, group_kinds: set[str] = frozenset()):
    """One handle per look that is drawn: the same fill, outline and line style as the boxes
    and frames."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = []
    for look in ("op", "accumulate", "leaf", "cut", "fold", "pending"):
        if look not in looks:
            continue
        fill, outline, line = palette.node_colours(look)
        label = message("draw.legend." + look)
        if markers:
            handles.append(
                Line2D(
                    [],
                    [],
                    linestyle="None",
                    marker="o",
                    markersize=7,
                    markerfacecolor=fill,
                    markeredgecolor=outline,
                    label=label,
                )
            )
        else:
            handles.append(Patch(facecolor=fill, edgecolor=outline, linestyle=line, linewidth=BOX_LINE, label=label))
    for kind in ("module", "repeat"):
        if kind not in group_kinds:
            continue
        colour = frame_colour(kind)
        label = message("draw.legend." + kind)
        if markers:
            handles.append(
                Line2D([], [], linestyle=FRAME_STYLE[kind], color=colour, linewidth=FRAME_LINE[kind], label=label)
            )
        else:
            handles.append(
                Patch(
                    facecolor="none",
                    edgecolor=colour,
                    linestyle=FRAME_STYLE[kind],
                    linewidth=FRAME_LINE[kind],
                    label=label,
                )
            )
    frames = [("output", palette.OUTPUT_OUTLINE)]
    if scene.active is not None:
        frames.append(("active", palette.ACTIVE_OUTLINE))
    for name, colour in frames:
        label = message("draw.legend." + name)
        if markers:
            handles.append(
                Line2D(
                    [],
                    [],
                    linestyle="None",
                    marker="o",
                    markersize=9,
                    markerfacecolor="none",
                    markeredgecolor=colour,
                    markeredgewidth=2,
                    label=label,
                )
            )
        else:
            handles.append(Patch(facecolor="none", edgecolor=colour, linewidth=HALO_WIDTH[name], label=label))
    return handles


def finish(fig, ax, own: bool, graph_size: tuple[float, float], handles, notes: list[str], title: str) -> None:
    """Size a figure of our own around the graph axes: title, graph, notes, legend, top down.

    Into a given axes, the title goes above it and the notes and legend inside it.
    """
    graph_w, graph_h = graph_size
    floor = min_font_pt(fig.dpi)
    if not own:
        ax.set_title(title, fontsize=max(TITLE_PT, floor))
        if notes:
            ax.text(
                0.0, -0.01, "\n".join(notes), transform=ax.transAxes, fontsize=max(NOTE_PT, floor), va="top", wrap=True
            )
        ax.legend(
            handles=handles,
            loc="best",
            fontsize=max(LEGEND_PT, floor),
            title=message("draw.legend.title"),
            title_fontsize=max(LEGEND_PT, floor),
            frameon=False,
        )
        return
    fig_w = min(MAX_WIDTH_IN, max(graph_w, MIN_FIGURE_WIDTH, text_width(title, TITLE_PT) + 2 * SIDE_IN + 0.2))
    text_w = fig_w - 2 * SIDE_IN
    title_lines = wrap_to_width(title, TITLE_PT, text_w)
    title_h = len(title_lines) * LINE_SPACING * TITLE_PT / 72
    note_lines = [line for note in notes for line in wrap_to_width(note, NOTE_PT, text_w)]
    note_h = len(note_lines) * LINE_SPACING * NOTE_PT / 72
    columns, legend_h = legend_layout(handles, text_w)
    top = PAD_IN + title_h + PAD_IN
    fig_h = top + graph_h + PAD_IN + (note_h + PAD_IN if note_lines else 0.0) + legend_h + PAD_IN
    fig.set_size_inches(fig_w, fig_h)
    left = (fig_w - graph_w) / 2
    ax.set_position((left / fig_w, (fig_h - top - graph_h) / fig_h, graph_w / fig_w, graph_h / fig_h))
    fig.suptitle(
        "\n".join(title_lines),
        x=SIDE_IN / fig_w,
        y=1 - PAD_IN / fig_h,
        ha="left",
        va="top",
        fontsize=TITLE_PT,
        linespacing=LINE_SPACING,
    )
    y = fig_h - top - graph_h - PAD_IN
    if note_lines:
        add_notes(fig, note_lines, y)
        y -= note_h + PAD_IN
    add_legend(fig, handles, columns, y)


def legend_layout(handles, text_w: float) -> tuple[int, float]:
    """How a figure's own legend fits `text_w` inches: its columns, and its height in inches."""
    handle_w = 4.2 * LEGEND_PT / 72  # handle (2 em), the pad after it (0.8 em), column spacing (1.4 em)
    entry_w = max(text_width(h.get_label(), LEGEND_PT) for h in handles) + handle_w
    columns = max(1, min(len(handles), int(text_w // entry_w)))
    return columns, (math.ceil(len(handles) / columns) + 1) * 1.75 * LEGEND_PT / 72  # its rows and its title


def add_notes(fig, note_lines: list[str], top: float) -> None:
    """A figure's notes, already wrapped, from `top` inches above its bottom edge down."""
    fig_w, fig_h = fig.get_size_inches()
    fig.text(
        SIDE_IN / fig_w,
        top / fig_h,
        "\n".join(note_lines),
        fontsize=NOTE_PT,
        va="top",
        ha="left",
        linespacing=LINE_SPACING,
    )


def add_legend(fig, handles, columns: int, top: float) -> None:
    """A figure's own legend (legend_layout's columns), its top left corner `top` inches above the
    figure's bottom edge."""
    fig_w, fig_h = fig.get_size_inches()
    fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(SIDE_IN / fig_w, top / fig_h),
        ncol=columns,
        fontsize=LEGEND_PT,
        title=message("draw.legend.title"),
        title_fontsize=LEGEND_PT,
        frameon=False,
        borderaxespad=0.0,
        alignment="left",
        borderpad=0.0,
        columnspacing=1.4,
        handletextpad=0.8,
        handlelength=2.0,
    )


def smallest_text_pt(fig, ax=None) -> float | None:
    """The smallest text of `fig` (of `ax`, the figure's own texts and legends when `ax` is
    given), in points at the size a notebook shows it: a picture wider than DISPLAY_WIDTH_PX
    is scaled down to it, its text with it. None if there is no text."""
    from matplotlib.text import Text

    if ax is None or ax.figure is not fig:
        ax = None
    hidden = set()
    for axes in fig.axes:
        if not axes.axison:
            hidden |= {id(t) for t in axes.xaxis.findobj(Text) + axes.yaxis.findobj(Text)}
    owners = [fig] if ax is None else [ax, *fig.legends] + ([fig._suptitle] if fig._suptitle else []) + list(fig.texts)
    sizes = [
        t.get_fontsize()
        for owner in owners
        for t in owner.findobj(Text)
        if t.get_visible() and t.get_text().strip() and id(t) not in hidden
    ]
    if not sizes:
        return None
    shown_px = fig.get_size_inches()[0] * fig.dpi
    return float(min(sizes) * min(1.0, DISPLAY_WIDTH_PX / shown_px))


__all__ = ["figure_class", "finish", "frame_colour", "legend_handles", "new_figure", "smallest_text_pt"]
