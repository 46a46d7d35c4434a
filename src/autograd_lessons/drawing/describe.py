"""Texts that describe a figure, for readers who do not see it: screen readers, text front-ends,
the site's `alt` text.

Every description is made from what was drawn, never from printed text:

- `graph_description`: a picture of draw() — the graph's outputs, how many operation nodes,
  leaves and untracked inputs it has, what was folded, the submodule frames, and at step=k
  which step and node are active. The pipeline attaches it to the picture (`attach`), in the
  language of the moment, and the figure shows it as its text (`repr`, text/plain).
- `figure_description`: any matplotlib Figure — its title, each plot's axes, and each line's
  trend (rising, falling, up and down, with its first, last, lowest and highest values), each
  bar series' values, scatters and images; the description draw() attached, for its axes.
- `describe_figures()`: an explicit opt-in, for a notebook's first cell, that prepares every
  matplotlib Figure IPython shows for every reader: its description as its text/plain, and its
  tick labels written with the language's decimal separator (`localise_ticks`: "0,5" in
  Portuguese). Nothing happens at import, nor outside IPython.

Values are written with four significant digits (`numbers.brief`), the same on every machine, and
with the language's decimal separator, as prose writes numbers; a value on an axis whose label
names a unit of time, "time (ms)", is a measured time and is written as verdicts write one,
"⏱ 1.23 ms", which nbval's sanitizer masks (tests/sanitize.cfg).
"""

from __future__ import annotations

import contextlib
import functools
import math
import re

import numpy as np

from autograd_lessons.drawing.layout import group_paths
from autograd_lessons.drawing.scene import Scene
from autograd_lessons.drawing.text import count_text
from autograd_lessons.graph_data import Graph
from autograd_lessons.i18n import DECIMAL_POINT, message
from autograd_lessons.numbers import Decimal, brief

DESCRIPTION = "lesson_description"  # the attribute draw() sets on its Figure and on the axes it drew in
NAMES_SHOWN = 6  # leaves, submodules, series or bars named one by one; the rest are counted
CHAINS_SHOWN = 3  # folded chains described one by one
NEGLIGIBLE = 1e-4  # a value this small next to the largest of its series is written 0
TIMER = "⏱"  # as verdicts mark a measured time (autograd_lessons.verdicts.TIMER)
TIME_UNIT = re.compile(r"\((ns|µs|μs|ms|s)\)")  # "time (ms)": the values are measured times
DECIMAL = re.compile(r"(?<=\d)\.(?=\d)")  # a decimal point between digits: "0.5", "1.2e3"; not "x.grad"
MATHTEXT = re.compile(r"(?<!\\)\$")  # a "$" that opens or closes matplotlib's mathtext (not "\$")


def counted(key: str, count: int, **fields: object) -> str:
    """The message `key`.one or `key`.many (the catalogues have no plural forms)."""
    return message(f"{key}.{'one' if count == 1 else 'many'}", count=count_text(count), **fields)


def sentence(text: str) -> str:
    """`text` as a sentence: its first letter upper-case and a full stop at its end."""
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "…")) else ".")


def listed(names: list[str], total: int | None = None) -> str:
    """At most NAMES_SHOWN names, then "…" when there are more (or `total` is more)."""
    shown = ", ".join(names[:NAMES_SHOWN])
    return shown + (", …" if len(names) > NAMES_SHOWN or (total or 0) > len(names) else "")


# --------------------------------------------------------------------------- graph pictures


def _head(graph: Graph, steps) -> str:
    """The picture's subject: "Computational graph of y" (of the output, of 2 outputs (h, c))."""
    names = [graph.nodes[o].name for o in graph.outputs if 0 <= o < len(graph.nodes)]
    if len(names) == 1 and not names[0] and steps is not None and steps.name:
        names = [steps.name]
    if len(names) == 1:
        return message("describe.graph.of_name", name=names[0]) if names[0] else message("describe.graph.of_unnamed")
    return message("describe.graph.of_many", count=len(names), names=listed([n for n in names if n], len(names)))


def _counts(graph: Graph) -> list[str]:
    """How many operation nodes, leaves (with their names) and untracked inputs the whole graph
    has: a folded chain or a repeated block counts as every node it stands for."""
    operations = sum(graph.multiplicity(n.index) for n in graph.nodes if n.kind in ("op", "fold"))
    leaves = [n for n in graph.nodes if n.kind == "leaf"]
    cuts = sum(1 for n in graph.nodes if n.kind == "cut")
    cuts += sum(max(0, len(n.members) - n.repeat) for n in graph.nodes if n.kind == "fold")
    named = list(dict.fromkeys(n.name for n in leaves if n.name))
    names = f" ({listed(named, len(leaves))})" if named else ""
    parts = [counted("describe.graph.operations", operations)]
    parts.append(
        counted("describe.graph.leaves", len(leaves), names=names) if leaves else message("describe.graph.no_leaf")
    )
    if cuts:
        parts.append(counted("describe.graph.cuts", cuts))
    return parts


def _folds(view: Graph) -> list[str]:
    """What the picture folded: chains of one operation in one box, blocks drawn once."""
    chains = [n for n in view.nodes if n.kind == "fold"]
    items = []
    if len(chains) > CHAINS_SHOWN:
        items.append(message("describe.graph.fold_chains", count=count_text(len(chains))))
    for node in chains if len(chains) <= CHAINS_SHOWN else ():
        cuts = max(0, len(node.members) - node.repeat)
        key = "describe.graph.fold_chain_cuts" if cuts else "describe.graph.fold_chain"
        items.append(message(key, count=count_text(node.repeat), op=node.op, cuts=count_text(cuts)))
    _, node_paths = group_paths(view)
    for g, group in enumerate(view.groups):
        if group.kind == "repeat" and group.repeat > 1:
            size = sum(1 for path in node_paths if g in path)
            items.append(message("describe.graph.fold_block", size=count_text(size), count=count_text(group.repeat)))
    modules = [group.label for group in view.groups if group.kind == "module"]
    if modules:
        items.append(counted("describe.graph.modules", len(modules), names=listed(modules)))
    return items


def _step(scene: Scene, steps, step: int) -> str:
    """Which step of the backward pass the picture shows, the node it runs, and how far it got."""
    current = steps[step - 1]
    op = current.op
    if current.leaf:
        op = message("describe.graph.step_leaf", op=op, name=current.leaf)
    view = scene.view
    pending = sum(1 for i in range(len(view.nodes)) if scene.look(i) == "pending")
    reached = len(scene.done - {scene.active})
    return message(
        "describe.graph.step",
        number=step,
        count=len(steps),
        op=op,
        reached=count_text(reached),
        pending=count_text(pending),
    )


def graph_description(graph: Graph, scene: Scene, steps=None, step: int | None = None, labelled: bool = True) -> str:
    """What a picture of draw() shows, in one to three sentences in the current language.

    `graph` is the whole graph, `scene.view` the one drawn (folded, or without its frames when
    they did not fit); at step=k, `steps` are the recorded backward pass.
    """
    view = scene.view
    first = f"{_head(graph, steps)}: {', '.join(_counts(graph))}"
    if not labelled:
        first += message("describe.graph.markers", count=count_text(len(view.nodes)))
    elif len(view.nodes) < len(graph.nodes):
        first += message("describe.graph.boxes", count=count_text(len(view.nodes)))
    leaves = any(n.kind == "leaf" for n in graph.nodes)
    outputs = "many" if len(graph.outputs) > 1 else "one"
    first += message(f"describe.graph.direction.{outputs}" + ("" if leaves else "_no_leaf"))
    sentences = [sentence(first)]
    folds = _folds(view)
    if folds:
        sentences.append(sentence(message("describe.graph.join").join(folds)))
    if steps is not None and step is not None:
        sentences.append(sentence(_step(scene, steps, step)))
    return " ".join(sentences)


def attach(fig, ax, own: bool, graph: Graph, scene: Scene, steps=None, step: int | None = None) -> str:
    """Describe draw()'s picture on the axes it drew in (and on its own figure): the text the
    figure shows as text/plain (`figure_description`)."""
    labelled = getattr(getattr(fig, "lesson_drawing", None), "labelled", True)
    text = graph_description(graph, scene, steps, step, labelled)
    setattr(ax, DESCRIPTION, text)
    if own:
        setattr(fig, DESCRIPTION, text)
    return text


# --------------------------------------------------------------------------- plots


MATH_COMMAND = re.compile(r"\\(?:operatorname|mathrm|mathbf|mathit|text|textrm)\s*\{([^{}]*)\}")
GREEK = {"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "theta": "θ", "lambda": "λ"}
GREEK |= {"mu": "μ", "pi": "π", "sigma": "σ", "tau": "τ", "phi": "φ", "omega": "ω", "nabla": "∇", "cdot": "·"}


def plain(label: str) -> str:
    """A label as words: mathtext `$\\sin x$` read as "sin x", `\\operatorname{sen}` as "sen"."""

    def maths(match: re.Match) -> str:
        text = MATH_COMMAND.sub(r"\1", match.group(1))
        text = re.sub(r"\\([A-Za-z]+)", lambda m: GREEK.get(m.group(1), m.group(1)), text)
        text = re.sub(r"\\[,;:! ]", " ", text)
        return re.sub(r"\s+", " ", text.replace("{", "").replace("}", "")).strip()

    return re.sub(r"(?<!\\)\$(.+?)(?<!\\)\$", maths, str(label)).replace("\\$", "$").strip()


def _number_format(axis_label: str):
    """How values of an axis are written: brief(), or "⏱ 1.23 ms" when its label names a time unit."""
    unit = TIME_UNIT.search(axis_label or "")
    if unit is None:
        return brief
    name = unit.group(1).replace("μ", "µ")
    return lambda value: Decimal(f"{TIMER} {value:.3g} {name}") if value >= 0 else brief(value)


def _numbers(values, written):
    """Each value written as `written` does, 0 for one negligible next to the largest."""
    scale = max((abs(v) for v in values), default=0.0)

    def one(value: float) -> str:
        return written(0.0) if scale and abs(value) < scale * NEGLIGIBLE else written(value)

    return one


def _finite(xs, ys) -> tuple[list[float], list[float], int]:
    """The points with finite coordinates (as floats) and how many were left out."""
    xs = np.asarray(xs, dtype=float).reshape(-1)
    ys = np.asarray(ys, dtype=float).reshape(-1)
    size = min(len(xs), len(ys))
    keep = np.isfinite(xs[:size]) & np.isfinite(ys[:size])
    return xs[:size][keep].tolist(), ys[:size][keep].tolist(), int(size - keep.sum())


def _turns(values: list[float]) -> list[int]:
    """The signs (+1 up, -1 down) of the successive moves, equal neighbours skipped."""
    signs = []
    for a, b in zip(values, values[1:], strict=False):
        if b != a:
            sign = 1 if b > a else -1
            if not signs or signs[-1] != sign:
                signs.append(sign)
    return signs


def trend(name: str, ys: list[float], written) -> str:
    """How a line's values go, in drawing order: rising, falling, constant, or up and down."""
    if not ys:
        return message("describe.series.no_values", name=name)
    number = _numbers(ys, written)
    first, last, low, high = number(ys[0]), number(ys[-1]), number(min(ys)), number(max(ys))
    signs = _turns(ys)
    if not signs:
        return message("describe.series.constant", name=name, value=first)
    if len(signs) == 1:
        key = "describe.series.rising" if signs[0] > 0 else "describe.series.falling"
        return message(key, name=name, first=first, last=last)
    if len(signs) == 2:
        key = "describe.series.rise_fall" if signs[0] > 0 else "describe.series.fall_rise"
        return message(key, name=name, first=first, last=last, low=low, high=high)
    return message(
        "describe.series.varies", name=name, first=first, last=last, low=low, high=high, turns=len(signs) - 1
    )


def _series_name(label: str, key: str, number: int, alone: bool) -> str:
    """A series' legend label in quotes; without one, "the line" (the only one) or "line 2"."""
    if label and not label.startswith("_"):
        return f"“{plain(label)}”"
    return message(f"{key}_alone") if alone else message(key, number=number)


def _line(line, number: int, written, alone: bool) -> str:
    xs, ys, missing = _finite(line.get_xdata(), line.get_ydata())
    if len(xs) > 1 and xs[-1] < xs[0] and all(b <= a for a, b in zip(xs, xs[1:], strict=False)):
        ys = ys[::-1]  # described from left to right
    text = trend(_series_name(line.get_label(), "describe.series.line", number, alone), ys, written)
    if missing and ys:
        text += message("describe.series.missing", count=count_text(missing), total=count_text(missing + len(ys)))
    return text


def _categories(axis) -> tuple[list[float], list[str]] | None:
    """The tick positions and labels of an axis whose ticks are named ("tall", "wide"), or None
    for ticks that are numbers matplotlib writes itself."""
    from matplotlib.ticker import LogFormatter, ScalarFormatter

    formatter = axis.get_major_formatter()
    if isinstance(getattr(formatter, "inner", formatter), (ScalarFormatter, LogFormatter)):
        return None
    locations = [float(v) for v in axis.get_majorticklocs()]
    return locations, [plain(text) for text in formatter.format_ticks(locations)]


def _bars(ax, container, number: int, alone: bool) -> str:
    """A bar series: each bar's category (a named tick within it, or its position) and value."""
    horizontal = getattr(container, "orientation", "vertical") == "horizontal"
    value_axis, place_axis = (ax.xaxis, ax.yaxis) if horizontal else (ax.yaxis, ax.xaxis)
    written = _number_format(plain(value_axis.get_label_text()))
    name = _series_name(container.get_label(), "describe.series.bars", number, alone)
    data = getattr(container, "datavalues", None)
    if data is None:
        data = [p.get_width() if horizontal else p.get_height() for p in container.patches]
    values = [float(v) for v in data]
    finite = [v for v in values if math.isfinite(v)]
    if not finite:
        return message("describe.series.no_values", name=name)
    number_of = _numbers(finite, written)
    if len(values) > NAMES_SHOWN:
        return message(
            "describe.series.many_bars",
            name=name,
            count=count_text(len(values)),
            low=number_of(min(finite)),
            high=number_of(max(finite)),
        )
    categories = _categories(place_axis)
    items = []
    for patch, value in zip(container.patches, values, strict=False):
        start, size = (patch.get_y(), patch.get_height()) if horizontal else (patch.get_x(), patch.get_width())
        low, high = sorted((start, start + size))
        place = brief(start + size / 2)
        if categories is not None:
            inside = [label for at, label in zip(*categories, strict=False) if low <= at <= high and label]
            place = f"“{inside[0]}”" if inside else place
        shown = number_of(value) if math.isfinite(value) else message("describe.series.no_value")
        items.append(message("describe.series.bar", place=place, value=shown))
    return f"{name}: {', '.join(items)}"


def _extent(values: list[float], written) -> str:
    number = _numbers(values, written)
    return message("describe.plot.range", low=number(min(values)), high=number(max(values)))


def _axis(ax, which: str, values: list[float]) -> str | None:
    """One axis: "x axis “step”, from 1 to 20", "y axis “loss”, on a logarithmic scale"; None
    for an axis with nothing to say (no label, no values, a linear scale)."""
    label = plain(ax.get_xlabel() if which == "x" else ax.get_ylabel())
    details = [_extent(values, _number_format(label))] if values else []
    if (ax.get_xscale() if which == "x" else ax.get_yscale()) == "log":
        details.append(message("describe.plot.log"))
    if not label and not details:
        return None
    text = (
        message("describe.plot.axis", axis=which, label=label)
        if label
        else message("describe.plot.axis_bare", axis=which)
    )
    return ", ".join([text, *details])


def _scatters(ax) -> list[str]:
    """Point collections (ax.scatter): how many points, where, and their label if they have one."""
    from matplotlib.collections import PathCollection

    found = []
    for collection in ax.collections:
        if not isinstance(collection, PathCollection) or not collection.get_visible():
            continue
        offsets = collection.get_offsets()
        xs, ys, _ = _finite(offsets[:, 0], offsets[:, 1]) if len(offsets) else ([], [], 0)
        text = counted("describe.series.scatter", len(xs))
        if xs:
            text += f", x {_extent(xs, brief)}, y {_extent(ys, brief)}"
        label = collection.get_label()
        found.append(f"“{plain(label)}”: {text}" if label and not label.startswith("_") else text)
    return found


def _images(ax) -> list[str]:
    return [
        message("describe.series.image", rows=count_text(shape[0]), columns=count_text(shape[1]))
        for image in ax.images
        if image.get_visible() and (shape := getattr(image.get_array(), "shape", (0, 0)))
    ]


def axes_description(ax) -> str:
    """One plot: what kind, its title, its axes, and each series drawn in it."""
    stored = getattr(ax, DESCRIPTION, None)
    if stored:
        return stored
    lines = [line for line in ax.get_lines() if line.get_visible()]
    bars = [c for c in ax.containers if c.__class__.__name__ == "BarContainer"]
    scatters, images = _scatters(ax), _images(ax)
    families = [
        name for name, found in (("line", lines), ("bar", bars), ("scatter", scatters), ("image", images)) if found
    ]
    kind = families[0] if len(families) == 1 else "mixed" if families else "empty"
    title = " ".join(plain(ax.get_title(loc)) for loc in ("left", "center", "right") if ax.get_title(loc)).strip()
    head = message(f"describe.plot.{kind}") + (f" “{title}”" if title else "")
    xs = [x for line in lines for x in _finite(line.get_xdata(), line.get_ydata())[0]]
    axes = [text for text in (_axis(ax, "x", xs if not bars else []), _axis(ax, "y", [])) if text]
    y_written = _number_format(plain(ax.get_ylabel()))
    series = [_line(line, n, y_written, len(lines) == 1) for n, line in enumerate(lines, start=1)]
    series += [_bars(ax, container, n, len(bars) == 1) for n, container in enumerate(bars, start=1)]
    series += scatters + images
    if len(series) > NAMES_SHOWN:
        series = series[:NAMES_SHOWN] + [message("describe.plot.more", count=count_text(len(series) - NAMES_SHOWN))]
    text = sentence(f"{head}: {'; '.join(axes)}" if axes else head)
    body = "; ".join(series) if series else message("describe.plot.nothing")
    return f"{text} {sentence(body)}"


def _described_axes(fig) -> list:
    """The axes a reader would call plots: not colour bars, not empty hidden axes."""
    shown = []
    for ax in fig.axes:
        if ax.get_label() == "<colorbar>" or not ax.get_visible():
            continue
        drawn = ax.get_lines() or ax.containers or ax.collections or ax.images or getattr(ax, DESCRIPTION, None)
        if drawn or ax.axison:
            shown.append(ax)
    return shown


def figure_description(fig) -> str:
    """What a matplotlib Figure shows, in the current language: draw()'s description of its
    picture, or its title and a description of each plot (`axes_description`)."""
    stored = getattr(fig, DESCRIPTION, None)
    if stored:
        return stored
    axes = _described_axes(fig)
    title = fig.get_suptitle() if hasattr(fig, "get_suptitle") else ""
    parts = [sentence(message("describe.figure.title", title=plain(title)))] if title else []
    if not axes:
        parts.append(message("describe.figure.empty"))
    elif len(axes) == 1:
        parts.append(axes_description(axes[0]))
    else:
        parts.append(message("describe.figure.plots", count=count_text(len(axes))))
        parts += [
            message("describe.figure.numbered", number=n, text=axes_description(ax))
            for n, ax in enumerate(axes, start=1)
        ]
    return " ".join(parts)


# --------------------------------------------------------------------------- tick labels


def decimal_text(text: str, point: str) -> str:
    """A tick label or an axis offset written with `point` for each decimal point between digits
    ("0.5" → "0,5", "+1.2e3" → "+1,2e3"); a name such as "x.grad" keeps its dot. Inside
    mathtext ($…$) the separator is braced, "{,}", as matplotlib writes one: no space after it."""
    if point == "." or not text:
        return text
    parts = MATHTEXT.split(text)
    for i, part in enumerate(parts):
        parts[i] = DECIMAL.sub("{" + point + "}" if i % 2 else point, part)
    return "$".join(parts)


@functools.cache
def _formatter_class():
    """The class of `LocalisedFormatter`, made when first needed: matplotlib is imported then."""
    from matplotlib.ticker import Formatter

    class LocalisedFormatter(Formatter):
        """Writes the labels `inner` writes (a tick formatter of matplotlib or of the learner),
        with `point` as the decimal separator; anything else is `inner`'s, so a learner's later
        call such as ax.ticklabel_format(...) still reaches the formatter it was meant for."""

        def __init__(self, inner, point: str):
            self.inner, self.point = inner, point

        def __call__(self, x, pos=None):
            return decimal_text(self.inner(x, pos), self.point)

        def format_ticks(self, values):
            return [decimal_text(text, self.point) for text in self.inner.format_ticks(values)]

        def format_data(self, value):
            return decimal_text(self.inner.format_data(value), self.point)

        def format_data_short(self, value):
            return decimal_text(self.inner.format_data_short(value), self.point)

        def get_offset(self):
            return decimal_text(self.inner.get_offset(), self.point)

        def set_locs(self, locs):
            self.inner.set_locs(locs)

        @property
        def locs(self):
            return self.inner.locs

        def set_axis(self, axis):
            self.axis = axis
            self.inner.set_axis(axis)

        def create_dummy_axis(self, **kwargs):
            self.inner.create_dummy_axis(**kwargs)
            self.axis = self.inner.axis

        def __getattr__(self, name: str):
            if name == "inner":  # not set yet (a copy being made): nothing to forward to
                raise AttributeError(name)
            return getattr(self.inner, name)

    return LocalisedFormatter


def _axes_of(fig) -> list:
    """Every Axes of `fig` with its children (a secondary axis, an inset), each once."""
    found, pending = [], list(fig.axes)
    while pending:
        ax = pending.pop(0)
        if ax not in found:
            found.append(ax)
            pending += list(getattr(ax, "child_axes", []))
    return found


def localise_ticks(fig, point: str | None = None) -> None:
    """Make every axis of `fig` write its tick labels and its offset with `point`, by default the
    current language's decimal separator. Each major and minor formatter is wrapped once, in a
    `LocalisedFormatter` whose `inner` is the original; calling again only updates the
    separator, so a figure shown again follows the language of that moment. A figure whose
    separator is "." and that was never wrapped is left exactly as matplotlib made it."""
    point = message(DECIMAL_POINT) if point is None else point
    wrapper = _formatter_class()
    for ax in _axes_of(fig):
        if not ax.axison:  # no tick label shows (draw()'s pictures): nothing to write
            continue
        for name in ("xaxis", "yaxis", "zaxis"):
            axis = getattr(ax, name, None)
            if axis is None:
                continue
            for ticker in (axis.major, axis.minor):
                formatter = ticker.formatter
                if isinstance(formatter, wrapper):
                    formatter.point = point
                elif point != ".":
                    # Set on the Ticker, not with set_major_formatter: the axis keeps counting its
                    # formatter as the default one, which units (dates, categories) may replace.
                    ticker.formatter = wrapper(formatter, point)
                    ticker.formatter.set_axis(axis)
                else:
                    continue
                axis.stale = True


# --------------------------------------------------------------------------- notebooks


def _text(fig) -> str:
    """The description of `fig`, or the usual text if it holds something the describer cannot
    read (the picture is shown all the same)."""
    try:
        return figure_description(fig)
    except Exception:  # a description must never stop a figure from showing
        return repr(fig)


def _bundle(fig) -> dict:
    """IPython's mime-bundle printer for Figures: the description as text/plain, after making the
    tick labels write the language's decimal separator. IPython asks it before the printers of
    each format, so the PNG the inline backend's printer makes next already has those labels."""
    with contextlib.suppress(Exception):  # a figure shows even if its ticks cannot be localised
        localise_ticks(fig)
    return {"text/plain": _text(fig)}


def describe_figures() -> None:
    """Prepare every matplotlib Figure this IPython session (Jupyter, IPython) shows for every
    reader: its description is its text/plain, which screen readers, text front-ends and the
    site's `alt` read, and its tick labels take the language's decimal separator ("0,5" in
    Portuguese; `localise_ticks`).

    Both happen whenever a figure is shown: as a cell's value, with display(), with plt.show()
    or by the inline backend after the cell. They are registered as IPython's mime-bundle
    printer for Figure, which matplotlib's inline backend leaves alone when it sets itself up
    in the middle of the cell that makes the first figure (it removes the printers of each
    format, text/plain's among them). Called once, in a notebook's first cell; calling it again
    changes nothing. Outside IPython it does nothing, and importing the package registers nothing.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return
    from matplotlib.figure import Figure

    printers = shell.display_formatter.mimebundle_formatter
    if printers.type_printers.get(Figure) is not _bundle:
        printers.for_type(Figure, _bundle)


__all__ = [
    "DESCRIPTION",
    "attach",
    "axes_description",
    "decimal_text",
    "describe_figures",
    "figure_description",
    "graph_description",
    "localise_ticks",
    "plain",
    "trend",
]
