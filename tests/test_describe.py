"""Every figure describes itself in words (drawing/describe.py): draw()'s pictures from the graph
they draw, any matplotlib Figure from its axes and data, in the learner's language; notebooks get
the description as the figure's text/plain, deterministic for nbval and never masked."""

from __future__ import annotations

import configparser
import re
from pathlib import Path

import numpy as np
import pytest
import torch
from matplotlib.figure import Figure

from autograd_lessons import backward_steps, draw, record_modules, set_language
from autograd_lessons.drawing.describe import DESCRIPTION, describe_figures, figure_description, plain, trend
from autograd_lessons.i18n import message

SANITIZE = Path(__file__).parent / "sanitize.cfg"
SENTENCE_END = re.compile(r"[.…](?:\s|$)")
MOST_SENTENCES = 3  # a graph's description: one to three sentences
NOTEBOOK_TIMEOUT = 120  # seconds for a five-cell notebook, kernel start included (a few on a quiet machine)


def sanitized(text: str) -> str:
    """`text` as nbval compares it: every regex of tests/sanitize.cfg applied."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(SANITIZE, encoding="utf-8")
    for section in parser.sections():
        text = re.sub(parser[section]["regex"], parser[section]["replace"], text)
    return text


def sentences(text: str) -> int:
    return len(SENTENCE_END.findall(text))


def two_dot():
    x = torch.arange(4.0, requires_grad=True)
    y = 2 * torch.dot(x, x)
    return x, y


def doubled(a):
    b = a
    for _ in range(10):
        b = b * 2
    return b


def residual(h, times: int = 400):
    z = h
    for _ in range(times):
        z = torch.tanh(z) * 2 + h
    return z.sum()


# --------------------------------------------------------------------------- graph pictures


def test_a_graph_is_described_by_its_output_counts_and_direction():
    x, y = two_dot()
    fig = draw(y)
    expected = (
        "Computational graph of y: 3 operation nodes, 1 leaf (x), 1 untracked input; the output at "
        "the top, gradients flow down to the leaves."
    )
    assert repr(fig) == expected
    assert getattr(fig.axes[0], DESCRIPTION) == expected == figure_description(fig)


def test_a_graph_is_described_in_the_language_of_the_moment_it_is_drawn():
    x, y = two_dot()
    set_language("pt")
    fig = draw(y)
    expected = (
        "Grafo computacional de y: 3 nós de operação, 1 folha (x), 1 entrada não rastreada; a saída no "
        "topo, os gradientes descem até as folhas."
    )
    assert repr(fig) == expected
    set_language("en")  # the picture's texts are Portuguese: so stays its description
    assert repr(fig) == expected


def test_a_folded_chain_says_what_was_folded_and_how_many_boxes_stand_for_it():
    a = torch.tensor(1.5, requires_grad=True)
    b = doubled(a)
    text = repr(draw(b, fold=True))
    assert text.startswith("Computational graph of b: 11 operation nodes, 1 leaf (a), 10 untracked inputs")
    assert "(the picture has 3 boxes)" in text
    assert "A chain of 10 MulBackward0 and 10 untracked inputs folded into one box." in text
    assert sentences(text) == 2


def test_a_repeated_block_is_described_as_drawn_once_in_a_frame():
    h = torch.ones(3, requires_grad=True)
    z = residual(h)
    text = repr(draw(z))
    assert "1,202 operation nodes, 1 leaf (h), 400 untracked inputs (the picture has 7 boxes)" in text
    assert text.endswith("A block of 4 boxes repeated 400 times, drawn once in a “× 400” frame.")
    set_language("pt")
    text = repr(draw(z))
    assert "1.202 nós de operação" in text and "numa moldura “× 400”." in text


def test_a_picture_of_markers_says_its_labels_are_left_out():
    h = torch.ones(3, requires_grad=True)
    z = residual(h)
    text = repr(draw(z, fold=False))
    assert "(the picture has 1,603 markers, without labels)" in text


@pytest.mark.parametrize(
    "step, active, reached, pending",
    [(1, "MulBackward0", 0, 3), (3, "AccumulateGrad, which writes x.grad", 3, 0)],
)
def test_a_step_picture_names_the_step_and_the_node_it_runs(step, active, reached, pending):
    x, y = two_dot()
    steps = backward_steps(y)
    fig = draw(steps, step=step)
    text = repr(fig)
    assert text.startswith("Computational graph of y: 3 operation nodes")
    assert text.endswith(
        f"Step {step} of 3 of the backward pass: the engine runs {active}; nodes already reached: "
        f"{reached}, not reached yet: {pending}."
    )
    assert sentences(text) <= MOST_SENTENCES
    set_language("pt")
    assert f"Passo {step} de 3 da retropropagação: o motor executa" in repr(draw(steps, step=step))


def test_module_frames_are_named():
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 1))
    with record_modules(net):
        out = net(torch.ones(2, 3)).sum()
    text = repr(draw(out, modules=net))
    assert "10 operation nodes, 4 leaves (2.bias, 2.weight, 0.bias, 0.weight)" in text
    assert text.endswith("3 submodule frames: 0 (Linear), 1 (ReLU), 2 (Linear).")


def test_several_outputs_are_named():
    x = torch.ones(2, requires_grad=True)
    h, c = x.sin(), x.cos()
    assert repr(draw((h, c))).startswith("Computational graph of 2 outputs (h, c): 3 operation nodes, 1 leaf (x)")


def test_a_graph_drawn_into_a_learners_axes_is_described_there():
    x, y = two_dot()
    fig = Figure()
    plot, picture = fig.subplots(1, 2)
    plot.plot([0, 1, 2], [0, 1, 4], label="x²")
    draw(y, ax=picture)
    text = figure_description(fig)
    assert text.startswith("A figure with 2 plots. Plot 1: Line plot")
    assert "Plot 2: Computational graph of y: 3 operation nodes" in text


def test_descriptions_are_short_deterministic_and_never_masked_by_nbval():
    leaf = torch.ones(3, requires_grad=True)
    for tensor in (two_dot()[1], doubled(leaf), residual(leaf)):
        first, second = repr(draw(tensor)), repr(draw(tensor))
        assert first == second and sentences(first) <= MOST_SENTENCES
        assert sanitized(first) == first, "nbval's sanitizer must not mask a description"
        assert not first.startswith("<Figure")


def test_a_drawing_shows_its_description_as_text_plain_in_ipython():
    from IPython.core.formatters import DisplayFormatter

    x, y = two_dot()
    shown, _ = DisplayFormatter().format(draw(y))
    assert shown["text/plain"].startswith("Computational graph of y:") and "image/png" in shown


# --------------------------------------------------------------------------- plots


def line_figure(*series, xlabel="", ylabel="", title="", xs=None):
    fig = Figure()
    ax = fig.add_subplot()
    for label, ys in series:
        ax.plot(np.arange(len(ys)) if xs is None else xs, ys, label=label)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    return fig


def test_a_line_plot_says_its_axes_and_each_lines_trend():
    fig = line_figure(
        ("rising", [0.0, 1.0, 2.5, 4.0]),
        ("falling", [3.0, 2.0, 2.0, -1.0]),
        xlabel="step",
        ylabel="value",
        title="Two lines",
    )
    assert figure_description(fig) == (
        "Line plot “Two lines”: x axis “step”, from 0 to 3; y axis “value”. “rising” rises from 0 to 4; "
        "“falling” falls from 3 to -1."
    )
    set_language("pt")
    assert figure_description(fig) == (
        "Gráfico de linhas “Two lines”: eixo x “step”, de 0 a 3; eixo y “value”. “rising” cresce de 0 a 4; "
        "“falling” decresce de 3 a -1."
    )


def test_a_line_that_turns_says_how():
    xs = np.linspace(-2 * np.pi, 2 * np.pi, 200)
    fig = line_figure((r"$\sin x$", np.sin(xs)), ("peak", [0, 2, 5, 1]), xs=None)
    text = figure_description(fig)
    assert "“sin x” goes up and down between -1 and 1 (4 changes of direction), from 0 to 0" in text
    assert "“peak” rises from 0 to 5, then falls to 1" in text
    assert "“valley” falls from 3 to -2, then rises to 0" in figure_description(line_figure(("valley", [3, -2, 0])))
    assert "“flat” is constant, at 2" in figure_description(line_figure(("flat", [2, 2, 2])))


def test_a_log_scale_and_the_lines_of_a_lesson_plot():
    fig = line_figure(
        ("", [3.2 * 0.7**k for k in range(20)]), xlabel="step", ylabel="loss (log scale)", xs=range(1, 21)
    )
    fig.axes[0].set_yscale("log")
    assert figure_description(fig) == (
        "Line plot: x axis “step”, from 1 to 20; y axis “loss (log scale)”, on a logarithmic scale. "
        "The line falls from 3.2 to 0.003648."
    )


def bar_figure(seconds: tuple[float, float, float, float]):
    """Lesson 1's exercise 8: two series of bars on named ticks, in milliseconds."""
    fig = Figure()
    ax = fig.add_subplot()
    for offset, label in enumerate(("jacfwd", "jacrev")):
        ax.bar([0 + 0.4 * offset, 1 + 0.4 * offset], seconds[2 * offset : 2 * offset + 2], width=0.4, label=label)
    ax.set_xticks([0.2, 1.2], ["tall", "wide"])
    ax.set_xlabel("shape")
    ax.set_ylabel("time (ms), lower is better")
    return fig


def test_a_bar_chart_gives_each_bars_category_and_value():
    fig = Figure()
    ax = fig.add_subplot()
    ax.bar(["a", "b", "c"], [3, 1, 2.5], label="counts")
    ax.set_ylabel("count")
    assert figure_description(fig) == "Bar chart: y axis “count”. “counts”: “a”: 3, “b”: 1, “c”: 2.5."
    set_language("pt")  # a bar's value is prose, with the decimal comma
    assert figure_description(fig) == "Gráfico de barras: eixo y “count”. “counts”: “a”: 3, “b”: 1, “c”: 2,5."
    unnamed = Figure()
    unnamed.add_subplot().bar([0.5, 1.5], [0.25, 1])
    assert figure_description(unnamed) == "Gráfico de barras. As barras: 0,5: 0,25, 1,5: 1."


def test_measured_times_are_marked_so_that_nbval_masks_the_number_only():
    fast, slow = bar_figure((0.9, 40.2, 51.0, 1.2)), bar_figure((1.1, 38.0, 47.5, 1.3))
    text = figure_description(fast)
    assert text == (
        "Bar chart: x axis “shape”; y axis “time (ms), lower is better”. “jacfwd”: “tall”: ⏱ 0.9 ms, "
        "“wide”: ⏱ 40.2 ms; “jacrev”: “tall”: ⏱ 51 ms, “wide”: ⏱ 1.2 ms."
    )
    assert sanitized(text) == sanitized(figure_description(slow)) != text
    assert "“jacrev”: “tall”: ⏱ TIME, “wide”: ⏱ TIME." in sanitized(text)


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")  # matplotlib, on an infinite bar
def test_no_axes_an_empty_plot_and_nan_data_are_described_honestly():
    assert figure_description(Figure()) == "An empty figure, with no plot."
    empty = Figure()
    empty.add_subplot()
    assert figure_description(empty) == "Empty plot. Nothing is drawn in it."
    gaps = line_figure(("gaps", [1.0, np.nan, 3.0, 2.0]), ("none", [np.nan, np.nan]))
    assert figure_description(gaps) == (
        "Line plot: x axis, from 0 to 3. “gaps” rises from 1 to 3, then falls to 2 (not finite, left out: "
        "1 of 4 values); “none”: no finite values."
    )
    bars = Figure()
    bars.add_subplot().bar([0, 1], [np.nan, np.inf])
    assert figure_description(bars) == "Bar chart. The bars: no finite values."
    set_language("pt")
    assert figure_description(Figure()) == "Uma figura vazia, sem gráfico."
    assert "(não finitos, deixados de fora: 1 de 4 valores); “none”: nenhum valor finito." in (figure_description(gaps))


def test_several_plots_a_title_scatters_and_images():
    fig = Figure()
    left, right = fig.subplots(1, 2)
    fig.suptitle("Two views")
    left.scatter([1, 2, 3], [4, 5, 6], label="samples")
    right.imshow(np.zeros((4, 5)))
    assert figure_description(fig) == (
        "Figure “Two views”. A figure with 2 plots. Plot 1: Scatter plot. “samples”: 3 points, x from 1 "
        "to 3, y from 4 to 6. Plot 2: Image. An image of 4 × 5 pixels."
    )


def test_maths_in_labels_is_read_as_words():
    assert plain(r"$\sin x$") == "sin x"
    assert plain(r"$\operatorname{sen} x$") == "sen x"
    assert plain(r"loss of $\alpha$ at lr = 0.1, cost \$3") == "loss of α at lr = 0.1, cost $3"


def test_trend_of_nothing_says_so():
    assert trend("“x”", [], str) == "“x”: no finite values"


# --------------------------------------------------------------------------- notebooks


def test_describe_figures_does_nothing_outside_ipython():
    assert describe_figures() is None  # no shell: nothing registered, nothing raised


def test_describe_figures_makes_every_figure_show_its_description():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        fig = line_figure(("rising", [0, 1, 2]))
        formatter = shell.display_formatter
        before, _ = formatter.format(fig)
        assert before["text/plain"].startswith("<Figure size"), "importing the package registers nothing"
        assert describe_figures() is None
        after, _ = formatter.format(fig)
        assert after["text/plain"] == "Line plot: x axis, from 0 to 2. “rising” rises from 0 to 2."
        set_language("pt")  # a plot is described when it is shown, in the language of that moment
        assert formatter.format(fig)[0]["text/plain"].startswith("Gráfico de linhas")
        x, y = two_dot()
        assert formatter.format(draw(y))[0]["text/plain"].startswith("Grafo computacional de y")
    finally:
        InteractiveShell.clear_instance()


def test_the_description_survives_the_inline_backend_taking_every_figure_printer_away():
    """matplotlib's inline backend, set up in the middle of the cell that makes the first figure,
    pops every per-format Figure printer (IPython's select_figure_formats); plt.show() in that
    same cell displays the figure at once, so the description must not depend on them."""
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.core.pylabtools import select_figure_formats

    shell = InteractiveShell.instance()
    try:
        describe_figures()
        describe_figures()  # twice: the same as once
        fig = line_figure(("rising", [0, 1, 2]))
        select_figure_formats(shell, {"png"})  # what the backend does, in the middle of a cell
        shown = shell.display_formatter.format(fig)[0]
        assert shown["text/plain"] == "Line plot: x axis, from 0 to 2. “rising” rises from 0 to 2."
        assert "image/png" in shown
    finally:
        InteractiveShell.clear_instance()


FIRST_CELL = """\
from autograd_lessons import describe_figures, set_language
set_language("pt")
describe_figures()
import matplotlib.pyplot as plt
"""
SHOWN_CELL = """\
fig, ax = plt.subplots()
ax.plot([0, 0.5, 1], [-1, 0.25, 1.5], label="x")
ax.set_xlabel("passo")
{ending}
"""
TICKS_CELL = "print([t.get_text() for t in fig.axes[0].get_xticklabels() + fig.axes[0].get_yticklabels()])"


def test_a_figure_shown_by_plt_show_keeps_its_description_and_writes_ticks_in_the_language(tmp_path):
    """Executed as the build executes the lessons (nbclient, matplotlib's inline backend): the first
    figure of a session, shown by plt.show() in the very cell that made it (where the backend sets
    itself up), carries its description, and its tick labels take the Portuguese decimal comma;
    so does a later figure that is a cell's value."""
    import nbformat

    from tools.editions import execute

    cells = [
        FIRST_CELL,
        SHOWN_CELL.format(ending="plt.show()"),
        TICKS_CELL,
        SHOWN_CELL.format(ending="fig"),
        TICKS_CELL,
    ]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(cell) for cell in cells])
    execute(notebook, tmp_path, timeout=NOTEBOOK_TIMEOUT)
    for shown_cell, ticks_cell in ((1, 2), (3, 4)):
        outputs = notebook.cells[shown_cell].outputs
        pictures = [output for output in outputs if "image/png" in output.get("data", {})]
        assert pictures, outputs
        for picture in pictures:
            assert picture["data"]["text/plain"] == (
                "Gráfico de linhas: eixo x “passo”, de 0 a 1. “x” cresce de -1 a 1,5."
            )
        ticks = "".join(output.get("text", "") for output in notebook.cells[ticks_cell].outputs)
        assert re.search(r"\d,\d", ticks) and not re.search(r"\d\.\d", ticks), ticks


# --------------------------------------------------------------------------- tick labels


def shown(fig) -> dict:
    """What IPython shows for `fig` with describe_figures() and a PNG printer, as the inline
    backend registers one: the figure is drawn, so its tick labels are written."""
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.core.pylabtools import select_figure_formats

    shell = InteractiveShell.instance()
    try:
        describe_figures()
        select_figure_formats(shell, {"png"})
        return shell.display_formatter.format(fig)[0]
    finally:
        InteractiveShell.clear_instance()


def tick_texts(ax) -> list[str]:
    return [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels() if t.get_text()]


def test_tick_labels_and_the_offset_take_the_languages_decimal_separator():
    fig = Figure()
    ax, offset = fig.subplots(1, 2)
    ax.plot([0, 0.5, 1], [-1, 0.25, 1.5])
    offset.plot([0, 1], [12345.601, 12345.603])  # the axis writes an offset: "+1.23456e4"
    set_language("pt")
    shown(fig)
    assert {"−0,5", "1,5"} <= {t.get_text() for t in ax.get_yticklabels()}, tick_texts(ax)
    assert not [text for text in tick_texts(ax) + tick_texts(offset) if re.search(r"\d\.\d", text)]
    assert offset.yaxis.get_offset_text().get_text() == "+1,23456e4"
    set_language("en")  # shown again, in the language of that moment
    shown(fig)
    assert "1.5" in tick_texts(ax) and offset.yaxis.get_offset_text().get_text() == "+1.23456e4"


def test_tick_labels_are_localised_once_and_only_their_numbers():
    fig = Figure()
    ax = fig.add_subplot()
    ax.plot([0, 1, 2], [0.5, 1.5, 2.5])
    ax.set_xticks([0, 1, 2], ["x.grad", "2.5", r"$1.5$"])  # names keep their dots; maths gets "{,}"
    set_language("pt")
    text = shown(fig)["text/plain"]
    shown(fig)
    formatter = ax.yaxis.get_major_formatter()
    assert type(getattr(formatter, "inner", None)).__name__ == "ScalarFormatter", "wrapped once, not twice"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["x.grad", "2,5", r"$1{,}5$"]
    assert text.startswith("Gráfico de linhas: eixo x, de 0 a 2") and "de 0,5 a 2,5" in text
    ax.ticklabel_format(axis="y", useOffset=False)  # a learner's call for the formatter still works
    assert ax.yaxis.get_major_formatter().get_useOffset() is False
    bars = bar_figure((0.9, 40.2, 51.0, 1.2))
    shown(bars)  # named ticks are still read as the bars' categories
    assert "“jacfwd”: “tall”: ⏱ 0,9 ms" in figure_description(bars), "a measured time is a number in words too"


def test_english_figures_keep_matplotlibs_formatters():
    fig = line_figure(("rising", [0, 0.5, 1]))
    before = fig.axes[0].yaxis.get_major_formatter()
    shown(fig)
    assert fig.axes[0].yaxis.get_major_formatter() is before


def test_a_figure_the_describer_cannot_read_still_shows():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        describe_figures()
        fig = line_figure(("rising", [0, 1, 2]))
        fig.axes[0].get_lines = None  # something the describer cannot read
        assert shell.display_formatter.format(fig)[0]["text/plain"].startswith("<Figure size")
    finally:
        InteractiveShell.clear_instance()


def test_every_description_message_exists_in_every_language():
    assert message("describe.figure.fallback", "pt") == "Uma figura gerada pelo código acima."
    assert message("describe.figure.fallback", "en") == "A figure made by the code above."
