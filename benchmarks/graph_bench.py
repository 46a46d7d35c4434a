"""Benchmark of trace + layout + PNG render against torchviz + Graphviz (reference only).

Run: python benchmarks/graph_bench.py   (writes benchmarks/results/graph_bench.md)
     python benchmarks/graph_bench.py --before OLD.md   (adds a column with OLD.md's medians,
     a results file this script wrote at an earlier revision)
torchviz and the Graphviz `dot` program are optional: without them the reference is skipped.
Lesson-sized graphs are drawn labelled (routed edges, text); the residual graphs are drawn
with markers.
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import torch

from autograd_lessons import draw, trace

RUNS = 5
IMPORT_RUNS = 7
RESULTS = Path(__file__).parent / "results" / "graph_bench.md"


def residual_tanh(layers: int) -> torch.Tensor:
    """`h = tanh(W @ h) + h` repeated: one shared 8×8 weight, a long graph."""
    torch.manual_seed(0)
    w = torch.randn(8, 8, requires_grad=True)
    h = torch.randn(8)
    for _ in range(layers):
        h = torch.tanh(w @ h) + h
    return h.sum()


def chain(length: int) -> torch.Tensor:
    x = torch.ones(2, requires_grad=True)
    h = x
    for _ in range(length):
        h = h * 1.0
    return h


def exercise_5() -> torch.Tensor:
    x = torch.tensor(2.0, requires_grad=True)
    return torch.log(x**2) * torch.sin(x) + 1 / x


def mlp_loss() -> torch.Tensor:
    torch.manual_seed(0)
    mlp = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1))
    return mlp(torch.randn(5, 3)).pow(2).mean()


def last_step(steps) -> int:
    """The number of the last step (steps are numbered from 1; before that change, from 0)."""
    return getattr(steps[0], "number", 0) + len(steps) - 1


def median_seconds(work, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def ours(y, fold=None, step=None) -> None:
    fig = draw(y, fold=fold) if step is None else draw(y, step=step)
    fig.savefig(io.BytesIO(), format="png", dpi=100)


REFERENCE_TIMEOUT = 60.0  # seconds for one torchviz + dot run; slower runs are reported as "> 60"


def torchviz_reference(y: torch.Tensor) -> tuple[float | None, bool]:
    """Median seconds of torchviz make_dot + `dot -Tpng`, and whether it hit the timeout."""
    try:
        from torchviz import make_dot
    except ImportError:
        return None, False
    if shutil.which("dot") is None:
        return None, False

    def work():
        source = make_dot(y).source
        subprocess.run(
            ["dot", "-Tpng"], input=source.encode(), stdout=subprocess.DEVNULL, check=True,
            timeout=REFERENCE_TIMEOUT,
        )

    # make_dot walks the graph recursively and hits Python's default limit (1000) on these
    # graphs; raise it for the reference only, so there is something to compare against.
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(50_000)
    try:
        return median_seconds(work), False
    except subprocess.TimeoutExpired:
        return REFERENCE_TIMEOUT, True
    finally:
        sys.setrecursionlimit(limit)


def import_cost() -> tuple[float, float]:
    def timed(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        return time.perf_counter() - start

    base = statistics.median(timed("import torch") for _ in range(IMPORT_RUNS))
    both = statistics.median(timed("import torch, autograd_lessons") for _ in range(IMPORT_RUNS))
    return base, both


def earlier(path: Path | None) -> dict[str, float]:
    """Medians by graph name from a results file this script wrote before."""
    if path is None:
        return {}
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[1].isdigit():
            found[cells[0]] = float(cells[2])
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", type=Path, help="a results file written by an earlier revision")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    from autograd_lessons import backward_steps

    rows = []
    small = exercise_5()
    rows.append(("exercise 5, labelled", len(trace(small).nodes), median_seconds(lambda: ours(small)), (None, False)))
    loss = mlp_loss()
    steps = backward_steps(loss)
    rows.append(
        ("small MLP, last backward step, labelled", len(steps.graph.nodes),
         median_seconds(lambda: ours(steps, step=last_step(steps))), (None, False))
    )
    for layers in (25, 100, 400, 667):
        y = residual_tanh(layers)
        nodes = len(trace(y).nodes)
        mine = median_seconds(lambda: ours(y))
        reference = torchviz_reference(y)
        rows.append((f"residual tanh, {layers} layers", nodes, mine, reference))
    long = chain(20_000)
    nodes = len(trace(long).nodes)
    rows.append(("chain h = h * 1.0, 20,000 ops, drawn folded", nodes, median_seconds(lambda: ours(long, fold=True)), (None, False)))
    rows.append(("same chain, trace only", nodes, median_seconds(lambda: trace(long)), (None, False)))
    base, both = import_cost()
    before = earlier(args.before)

    table = [
        "| graph | nodes | trace + layout + PNG (median s) | before (median s) | torchviz + dot -Tpng (median s) | speed-up |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, count, mine, (ref, timed_out) in rows:
        more = "> " if timed_out else ""
        ref_text = f"{more}{ref:.3f}" if ref is not None else "n/a"
        ratio = f"{more}{ref / mine:.0f}×" if ref is not None else "n/a"
        old = f"{before[name]:.3f}" if name in before else "n/a"
        table.append(f"| {name} | {count} | {mine:.3f} | {old} | {ref_text} | {ratio} |")
    imports = [
        "| import | median s (7 fresh processes) |",
        "|---|---:|",
        f"| `import torch` | {base:.3f} |",
        f"| `import torch, autograd_lessons` | {both:.3f} |",
        f"| added by autograd_lessons | {1000 * (both - base):.0f} ms |",
    ]
    try:
        import torchviz  # noqa: F401

        viz = "torchviz 0.0.3 + " + subprocess.run(["dot", "-V"], capture_output=True, text=True).stderr.strip()
    except (ImportError, FileNotFoundError):
        viz = "torchviz/Graphviz not installed (reference column n/a)"
    import matplotlib

    header = [
        "# Graph drawing benchmark",
        "",
        f"- date: {datetime.date.today().isoformat()}",
        f"- machine: {os.cpu_count()} CPUs (nproc), {platform.machine()}, {platform.system()}",
        f"- python {platform.python_version()}, torch {torch.__version__}, matplotlib {matplotlib.__version__}",
        f"- reference: {viz}; make_dot raises RecursionError at the default recursion limit "
        "on these graphs, so the script raises sys.setrecursionlimit to 50,000 for it",
        f"- medians of {RUNS} runs (PNG at dpi=100 into memory); produced by `python benchmarks/graph_bench.py`"
        + (f" `--before {args.before.name}` (this script run at the previous revision)" if args.before else ""),
        "",
    ]
    text = "\n".join(header + table + [""] + imports) + "\n"
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
