"""Benchmark of trace + draw + PNG against torchviz + Graphviz `dot` (reference only), and what
a reader gets from each picture.

Run: python benchmarks/graph_bench.py   (writes benchmarks/results/graph_bench.md)
     python benchmarks/graph_bench.py --before OLD.md   (adds a column with OLD.md's medians,
     a results file this script wrote at an earlier revision; rows are matched by name)
     --pngs DIR   where the last PNG of each case is saved, ours and torchviz's
                  (default: <tmp>/bench_pngs)
     --notes FILE  a hand-written paragraph (what the saved PNGs look like) put in the results
     --only TEXT   run only the cases whose name contains TEXT (a quick check; skips import cost)

Every case is built from fresh, seeded tensors before each timed run (building is not timed).
OURS: median of RUNS runs of trace(y[, modules=model]) + draw(graph) (folded by default) +
fig._repr_png_(), and, from `fig.lesson_drawing`, what a reader gets: boxes drawn, the smallest
label in points at display size, and the PNG's pixels.
The step case ("last backward step") times draw(steps, step=last) + PNG; backward_steps is not timed.
REFERENCE: torchviz.make_dot(y) + the Graphviz `dot -Tpng` binary (a subprocess capped at
REFERENCE_TIMEOUT s), median of REFERENCE_RUNS (1 when a run takes more than SLOW_RUN s), run in
the same process interleaved with ours (ours, reference, ours, reference, ...). make_dot walks the
graph recursively, so the script raises sys.setrecursionlimit for it (only while it runs).
torchviz and `dot` are optional: without them the reference columns are n/a. They are installed by
hand for the benchmark only (`apt-get install graphviz`, `pip install --no-deps torchviz
graphviz`), never as project dependencies.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import platform
import re
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import torch

from autograd_lessons import draw, record_modules, trace
from autograd_lessons.drawing import DISPLAY_WIDTH_PX  # a notebook shows wider PNGs scaled down to it

RUNS = 5
REFERENCE_RUNS = 3
REFERENCE_TIMEOUT = 60.0  # seconds for one `dot -Tpng` run; slower runs are "did not finish in 60 s"
SLOW_RUN = 20.0  # a reference run slower than this is not repeated
REFERENCE_RECURSION = 50_000  # make_dot recurses once per graph level
IMPORT_RUNS = 7
RESULTS = Path(__file__).parent / "results" / "graph_bench.md"
PNGS = Path(tempfile.gettempdir()) / "bench_pngs"

# Goals (reported, never asserted).
GOAL_NODES = 2_000
GOAL_SECONDS = 0.3
GOAL_SPEEDUP = 20.0
GOAL_CHAIN_SECONDS = 1.5


# --------------------------------------------------------------------------- the graphs


def exercise_5():
    x = torch.tensor(2.0, requires_grad=True)
    return torch.log(x**2) * torch.sin(x) + 1 / x, None


def mlp_small_loss():
    """Lesson 1's MLP (3-4-1), for the step picture."""
    torch.manual_seed(0)
    mlp = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1))
    return mlp(torch.randn(5, 3)).pow(2).mean(), None


def mlp_modules():
    """A small MLP, drawn with modules=model (a frame per submodule)."""
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(3, 8), torch.nn.Tanh(), torch.nn.Linear(8, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1)
    )
    with record_modules(model):  # modules= frames what ran inside record_modules
        return model(torch.randn(5, 3)).pow(2).mean(), model


def residual_tanh(layers: int) -> Callable:
    """x = x + tanh(W_i @ x), each layer with its own 8×8 weight: 5 nodes per layer, 3 more."""

    def build():
        torch.manual_seed(0)
        x = torch.randn(8, requires_grad=True)
        weights = [torch.randn(8, 8, requires_grad=True) for _ in range(layers)]
        for w in weights:
            x = x + torch.tanh(w @ x)
        return x.sum(), None

    return build


def lstm(steps: int, grouped: bool) -> Callable:
    """torch.nn.LSTMCell(4, 8) unrolled over `steps` steps; loss = sum of h over the steps."""

    def build():
        torch.manual_seed(0)
        cell = torch.nn.LSTMCell(4, 8)
        model = torch.nn.ModuleDict({"cell": cell})  # modules= wants a model made of layers
        xs = torch.randn(steps, 1, 4)
        h, c = torch.zeros(1, 8), torch.zeros(1, 8)
        hs = []
        with record_modules(model) if grouped else contextlib.nullcontext():
            for t in range(steps):
                h, c = model["cell"](xs[t], (h, c))
                hs.append(h)
        return torch.stack(hs).sum(), model if grouped else None

    return build


def chain(length: int) -> Callable:
    def build():
        torch.manual_seed(0)
        y = torch.randn(2, requires_grad=True)
        for _ in range(length):
            y = y * 1.0001
        return y, None

    return build


# --------------------------------------------------------------------------- measuring


@dataclass
class Case:
    name: str
    build: Callable  # () -> (tensor, model or None), fresh and seeded
    kind: str = "draw"  # "draw": trace + draw + PNG; "step": draw(steps, step=last) + PNG; "trace": trace only
    reference: bool = True  # also measure torchviz + dot
    slug: str = ""  # file name stem of the saved PNGs ("" = not saved)


@dataclass
class Ours:
    nodes: int = 0
    times: list[float] = field(default_factory=list)
    boxes: int | None = None
    labelled: bool | None = None
    folded: bool | None = None
    smallest_pt: float | None = None
    smallest_computed: bool = False  # lesson_drawing had no smallest_label_pt: computed here
    clusters: int | None = None
    repeats: int | None = None
    pixels: tuple[int, int] | None = None
    png: bytes = b""
    error: str = ""


@dataclass
class Reference:
    times: list[float] = field(default_factory=list)
    timed_out: bool = False
    error: str = ""
    nodes: int | None = None
    pixels: tuple[int, int] | None = None
    png: bytes = b""


def png_size(png: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG's IHDR chunk."""
    if len(png) < 24 or png[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return struct.unpack(">II", png[16:24])


def _count(value) -> int | None:
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return int(value)
    try:
        return len(value)
    except TypeError:
        return None


def _smallest_text_pt(fig, width_px: int) -> float | None:
    """Fallback when lesson_drawing has no smallest_label_pt: the smallest visible text of the
    figure, in points, scaled as a notebook shows a PNG wider than DISPLAY_WIDTH_PX."""
    sizes = [
        t.get_fontsize()
        for t in fig.findobj(lambda a: hasattr(a, "get_text") and hasattr(a, "get_fontsize"))
        if t.get_visible() and t.get_text().strip()
    ]
    if not sizes:
        return None
    return min(sizes) * min(1.0, DISPLAY_WIDTH_PX / width_px)


def last_step(steps) -> int:
    """The number of the last step (steps are numbered from 1; before that change, from 0)."""
    return getattr(steps[0], "number", 0) + len(steps) - 1


def ours_once(case: Case, result: Ours) -> None:
    y, model = case.build()
    if case.kind == "step":
        from autograd_lessons import backward_steps

        steps = backward_steps(y)  # records a backward pass: not part of the picture's time
        start = time.perf_counter()
        fig = draw(steps, step=last_step(steps))
        png = fig._repr_png_()
        result.times.append(time.perf_counter() - start)
        result.nodes = len(steps.graph.nodes)
    elif case.kind == "trace":
        start = time.perf_counter()
        graph = trace(y)
        result.times.append(time.perf_counter() - start)
        result.nodes = len(graph.nodes)
        return
    else:
        start = time.perf_counter()
        graph = trace(y, modules=model) if model is not None else trace(y)
        fig = draw(graph)
        png = fig._repr_png_()
        result.times.append(time.perf_counter() - start)
        result.nodes = len(graph.nodes)
    drawing = fig.lesson_drawing
    result.png = png
    result.pixels = png_size(png)
    result.boxes = _count(getattr(drawing, "boxes", None))
    result.labelled = getattr(drawing, "labelled", None)
    result.folded = getattr(drawing, "folded", None)
    result.clusters = _count(getattr(drawing, "clusters", None))
    result.repeats = _count(getattr(drawing, "repeats", None))
    result.smallest_pt = getattr(drawing, "smallest_label_pt", None)
    if result.smallest_pt is None and result.labelled is not False and result.pixels:
        result.smallest_pt = _smallest_text_pt(fig, result.pixels[0])
        result.smallest_computed = True


def reference_available() -> bool:
    try:
        import torchviz  # noqa: F401
    except ImportError:
        return False
    return shutil.which("dot") is not None


DOT_NODE = re.compile(r"^\s*(\"[^\"]*\"|[\w.]+)\s*\[", re.MULTILINE)


def dot_nodes(source: str) -> int:
    """Node statements of a DOT source (`id [label=...]`), not `graph [...]`/`node [...]`."""
    return len({m.group(1) for m in DOT_NODE.finditer(source)} - {"graph", "node", "edge"})


def reference_once(case: Case, result: Reference) -> None:
    from torchviz import make_dot

    y, model = case.build()
    params = dict(model.named_parameters()) if model is not None else None
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, REFERENCE_RECURSION))
    try:
        start = time.perf_counter()
        source = make_dot(y, params=params).source
        try:
            done = subprocess.run(
                ["dot", "-Tpng"], input=source.encode(), capture_output=True, check=True, timeout=REFERENCE_TIMEOUT
            )
        except subprocess.TimeoutExpired:
            result.timed_out = True
            result.nodes = dot_nodes(source)
            return
        result.times.append(time.perf_counter() - start)
    except (RecursionError, subprocess.CalledProcessError) as error:
        result.error = type(error).__name__
        return
    finally:
        sys.setrecursionlimit(limit)
    result.nodes = dot_nodes(source)
    result.png = done.stdout
    result.pixels = png_size(done.stdout)


def measure(case: Case, with_reference: bool) -> tuple[Ours, Reference | None]:
    """RUNS runs of ours, interleaved with up to REFERENCE_RUNS of the reference."""
    mine = Ours()
    ref = Reference() if with_reference and case.reference else None
    for run in range(RUNS):
        try:
            ours_once(case, mine)
        except Exception as error:  # a case that fails is reported, the others still run
            mine.error = f"{type(error).__name__}: {error}".splitlines()[0][:160]
            print(f"  ours failed: {mine.error}", flush=True)
            return mine, None
        if ref is None or ref.timed_out or ref.error or len(ref.times) >= REFERENCE_RUNS:
            continue
        if ref.times and max(ref.times) > SLOW_RUN:
            continue
        reference_once(case, ref)
        print(
            f"  reference run {run + 1}: "
            + ("did not finish" if ref.timed_out else ref.error or f"{ref.times[-1]:.2f} s"),
            flush=True,
        )
    return mine, ref


def import_cost() -> tuple[float, float]:
    def timed(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        return time.perf_counter() - start

    base = statistics.median(timed("import torch") for _ in range(IMPORT_RUNS))
    both = statistics.median(timed("import torch, autograd_lessons") for _ in range(IMPORT_RUNS))
    return base, both


def earlier(path: Path | None) -> dict[str, float]:
    """Medians by graph name from a results file this script wrote before (its first table:
    name | nodes | median s | ...; node counts with or without thousands separators)."""
    if path is None:
        return {}
    found: dict[str, float] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[1].replace(",", "").isdigit():
            try:
                found.setdefault(cells[0], float(cells[2]))
            except ValueError:
                continue
    return found


# --------------------------------------------------------------------------- report


def _px(pixels) -> str:
    return f"{pixels[0]:,} × {pixels[1]:,}" if pixels else "n/a"


def _ref_time(ref: Reference | None) -> str:
    if ref is None:
        return "n/a"
    if ref.timed_out:
        return f"did not finish in {REFERENCE_TIMEOUT:.0f} s"
    if ref.error:
        return f"failed ({ref.error})"
    runs = len(ref.times)
    return f"{statistics.median(ref.times):.3f}" + ("" if runs == REFERENCE_RUNS else f" ({runs} run)")


def _speedup(mine: float, ref: Reference | None) -> str:
    if ref is None or ref.error:
        return "n/a"
    ratio = (REFERENCE_TIMEOUT if ref.timed_out else statistics.median(ref.times)) / mine
    return ("> " if ref.timed_out else "") + (f"{ratio:.0f}×" if ratio >= 10 else f"{ratio:.1f}×")


def _label(o: Ours) -> str:
    if o.labelled is False:
        return "none (markers)"
    if o.smallest_pt is None:
        return "n/a"
    return f"{o.smallest_pt:.1f}" + ("*" if o.smallest_computed else "")


def _frames(o: Ours) -> str:
    parts = []
    if o.clusters:
        parts.append(f"{o.clusters} module")
    if o.repeats:
        parts.append(f"{o.repeats} repeat")
    return ", ".join(parts) if parts else "–"


def _reader(name: str, o: Ours, ref: Reference | None) -> str:
    """One factual sentence per case: what each picture gives a reader."""
    if o.pixels is None:
        return ""
    w, h = o.pixels
    shown = min(1.0, DISPLAY_WIDTH_PX / w)
    text = f"- **{name}**: ours shows {o.boxes} boxes for {o.nodes:,} nodes in {w:,} × {h:,} px"
    if shown < 1:
        text += f" (shown at {100 * shown:.0f} % in a notebook)"
    if o.labelled is False:
        text += ", no labels (markers)"
    elif o.smallest_pt is not None:
        text += f", smallest label {_label(o)} pt"
    if o.boxes:
        text += f", {w * h / o.boxes / 1000:.0f} kpx per box"
    if ref is not None and ref.pixels and ref.nodes:
        rw, rh = ref.pixels
        text += (
            f"; torchviz + dot: {ref.nodes:,} nodes in {rw:,} × {rh:,} px, "
            f"{rw * rh / ref.nodes / 1000:.1f} kpx per node"
        )
        if rw > DISPLAY_WIDTH_PX:
            text += f" (shown at {100 * DISPLAY_WIDTH_PX / rw:.0f} %)"
    elif ref is not None and ref.timed_out:
        text += f"; torchviz + dot: no picture within {REFERENCE_TIMEOUT:.0f} s ({ref.nodes:,} nodes in its DOT)"
    return text + "."


def _versions() -> list[str]:
    import matplotlib

    try:
        from importlib.metadata import version

        viz = f"torchviz {version('torchviz')}"
    except Exception:
        viz = "torchviz not installed"
    try:
        dot = subprocess.run(["dot", "-V"], capture_output=True, text=True).stderr.strip()
    except FileNotFoundError:
        dot = "Graphviz dot not installed"
    return [
        f"- machine: {os.cpu_count()} CPUs (os.cpu_count), {platform.machine()}, {platform.system()}",
        f"- python {platform.python_version()}, torch {torch.__version__}, matplotlib {matplotlib.__version__}",
        f"- reference: {viz} + {dot}; installed by hand for this benchmark only (not project dependencies)",
    ]


def _goals(rows) -> list[str]:
    by_name = {name: (o, ref) for name, o, ref in rows}
    lines = ["## Goals (reported, not asserted)", ""]
    big = [
        (name, o, ref)
        for name, o, ref in rows
        if name.startswith("residual") and not o.error and o.nodes >= 0.95 * GOAL_NODES
    ]
    if big:
        name, o, ref = big[0]
        t = statistics.median(o.times)
        labelled = o.labelled is not False and o.smallest_pt is not None
        ok = t <= GOAL_SECONDS and labelled and bool(o.folded)
        lines.append(
            f"- {o.nodes:,} nodes ({name}) drawn folded and labelled in ≤ {GOAL_SECONDS} s: "
            f"**{'met' if ok else 'missed'}** — {t:.3f} s, folded: {o.folded}, labelled: {labelled} "
            f"({o.boxes} boxes, smallest label {_label(o)} pt)"
        )
        if ref is None or ref.error:
            lines.append(f"- ≥ {GOAL_SPEEDUP:.0f}× faster than torchviz + dot: not measured (reference n/a)")
        elif ref.timed_out:
            bound = REFERENCE_TIMEOUT / t
            verdict = "met" if bound >= GOAL_SPEEDUP else "not shown"
            lines.append(
                f"- ≥ {GOAL_SPEEDUP:.0f}× faster than torchviz + dot: **{verdict}** — "
                f"torchviz + dot did not finish in {REFERENCE_TIMEOUT:.0f} s, so > {bound:.0f}×"
            )
        else:
            ratio = statistics.median(ref.times) / t
            verdict = "met" if ratio >= GOAL_SPEEDUP else "missed"
            lines.append(
                f"- ≥ {GOAL_SPEEDUP:.0f}× faster than torchviz + dot: **{verdict}** — "
                f"{ratio:.0f}× ({statistics.median(ref.times):.2f} s against {t:.3f} s)"
            )
    chain_rows = [(name, o) for name, (o, _) in by_name.items() if name.startswith("chain") and o.pixels]
    if chain_rows:
        name, o = chain_rows[0]
        t = statistics.median(o.times)
        lines.append(
            f"- {o.nodes:,}-node chain (trace + draw + PNG) in ≤ {GOAL_CHAIN_SECONDS} s: "
            f"**{'met' if t <= GOAL_CHAIN_SECONDS else 'missed'}** — {t:.3f} s"
        )
    return lines


CASES = [
    Case("exercise 5, labelled", exercise_5),
    Case("small MLP, last backward step, labelled", mlp_small_loss, kind="step", reference=False),
    Case("MLP 3-8-8-1, modules=model", mlp_modules, slug="mlp"),
    Case("residual tanh, own weights, 15 layers", residual_tanh(15)),
    Case("residual tanh, own weights, 60 layers", residual_tanh(60)),
    Case("residual tanh, own weights, 240 layers", residual_tanh(240)),
    Case("residual tanh, own weights, 400 layers", residual_tanh(400), slug="residual_400"),
    Case("LSTMCell(4, 8), 50 steps", lstm(50, grouped=False), slug="lstm"),
    Case(
        "LSTMCell(4, 8), 50 steps, modules=ModuleDict(cell=cell)",
        lstm(50, grouped=True),
        reference=False,
        slug="lstm_modules",
    ),
    Case("chain y = y * 1.0001, 20,000 ops", chain(20_000), reference=False, slug="chain"),
    Case("same chain, trace only", chain(20_000), kind="trace", reference=False),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", type=Path, help="a results file written by an earlier revision")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--pngs", type=Path, default=PNGS, help="where each case's last PNGs are saved")
    parser.add_argument("--notes", type=Path, help="a hand-written paragraph on the saved PNGs")
    parser.add_argument("--only", help="run only the cases whose name contains this text")
    args = parser.parse_args()
    with_reference = reference_available()
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    before = earlier(args.before)
    args.pngs.mkdir(parents=True, exist_ok=True)

    # Warm-up, not timed: matplotlib's font cache and first-figure costs, torchviz's import.
    ours_once(CASES[0], Ours())
    if with_reference:
        reference_once(CASES[0], Reference())

    rows = []
    for case in CASES:
        if args.only and args.only not in case.name:
            continue
        print(case.name, flush=True)
        mine, ref = measure(case, with_reference)
        rows.append((case.name, mine, ref))
        if mine.error:
            continue
        print(
            f"  ours {statistics.median(mine.times):.3f} s, {mine.nodes} nodes, {mine.boxes} boxes, "
            f"{_px(mine.pixels)}; reference {_ref_time(ref)}; ours' runs: " + ", ".join(f"{t:.3f}" for t in mine.times),
            flush=True,
        )
        if case.slug:
            if mine.png:
                (args.pngs / f"{case.slug}_ours.png").write_bytes(mine.png)
            if ref is not None and ref.png:
                (args.pngs / f"{case.slug}_torchviz.png").write_bytes(ref.png)
    load_after = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    base, both = import_cost() if not args.only else (float("nan"), float("nan"))

    table = [
        "| graph | nodes | ours: trace + draw + PNG (median s) | before (median s) | ours: boxes drawn | "
        "ours: frames | ours: smallest label (pt at display size) | ours: picture (px) | "
        "torchviz + dot -Tpng (median s) | torchviz: nodes in DOT | torchviz: picture (px) | speed-up |",
        "|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, o, ref in rows:
        if o.error:
            table.append(f"| {name} | {o.nodes:,} | failed: {o.error.replace('|', '/')} | | | | | | | | | |")
            continue
        mine = statistics.median(o.times)
        old = f"{before[name]:.3f}" if name in before else "n/a"
        if not o.pixels:  # trace only
            table.append(f"| {name} | {o.nodes:,} | {mine:.3f} | {old} | – | – | – | – | n/a | n/a | n/a | n/a |")
            continue
        table.append(
            f"| {name} | {o.nodes:,} | {mine:.3f} | {old} | {o.boxes} | {_frames(o)} | {_label(o)} | {_px(o.pixels)} | "
            f"{_ref_time(ref)} | {f'{ref.nodes:,}' if ref and ref.nodes else 'n/a'} | "
            f"{_px(ref.pixels) if ref else 'n/a'} | {_speedup(mine, ref)} |"
        )
    computed = any(o.smallest_computed for _, o, _ in rows)
    imports = [
        "| import | median s (7 fresh processes) |",
        "|---|---:|",
        f"| `import torch` | {base:.3f} |",
        f"| `import torch, autograd_lessons` | {both:.3f} |",
        f"| added by autograd_lessons | {1000 * (both - base):.0f} ms |",
    ]
    header = [
        "# Graph drawing benchmark",
        "",
        f"- date: {datetime.date.today().isoformat()}",
        *_versions(),
        f"- load average (1 min) when the cases started / ended: {load_before:.2f} / {load_after:.2f} "
        f"on {os.cpu_count()} CPUs (the reference's `dot` runs add up to ~1 while this script runs; "
        "more means other work shared the CPUs)",
        f"- ours: median of {RUNS} runs of trace + draw (folded by default) + `fig._repr_png_()`, each on "
        "fresh seeded tensors (building them is not timed); boxes, frames and smallest label read from "
        "`fig.lesson_drawing`, pixels from the PNG header",
        f"- torchviz: `make_dot(y)` (with `params=` named parameters for the models) + `dot -Tpng` as a "
        f"subprocess capped at {REFERENCE_TIMEOUT:.0f} s, median of {REFERENCE_RUNS} (1 when a run exceeds "
        f"{SLOW_RUN:.0f} s), run interleaved with ours in the same process; make_dot recurses once per graph "
        f"level and raises RecursionError at Python's default limit on the deep graphs, so the script raises "
        f"sys.setrecursionlimit to {REFERENCE_RECURSION:,} while it runs; nodes counted in its DOT source "
        "(untracked inputs are not nodes there), pixels from its PNG header",
        "- produced by `python benchmarks/graph_bench.py`"
        + (f" `--before {args.before.name}` (this script run at the previous revision)" if args.before else ""),
        "",
    ]
    if computed:
        header.insert(
            -1,
            "- \\* smallest label computed by the benchmark (lesson_drawing has no smallest_label_pt "
            "at this revision): smallest visible text × min(1, 860 px / PNG width)",
        )
    reader = ["## What a reader gets", ""] + [_reader(name, o, ref) for name, o, ref in rows if o.pixels]
    if args.notes:
        reader += ["", args.notes.read_text(encoding="utf-8").strip()]
    text = "\n".join(header + table + [""] + reader + [""] + _goals(rows) + [""] + imports) + "\n"
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
