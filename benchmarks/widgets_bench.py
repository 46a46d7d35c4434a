"""How long an explorer takes to answer a turn of the knob (budget: 150 ms at lesson size).

Each update sets a control programmatically, exactly as the frontend would, and the timer stops
when the observer has returned, i.e. when `state`, the text and the PNG picture are all new.
The median of 20 updates is reported per explorer, and the control-flow explorer once more at
the old picture resolution (72 dpi) to show what the PNG costs.

Run: python benchmarks/widgets_bench.py   (writes benchmarks/results/widgets_bench.md)
     python benchmarks/widgets_bench.py --before OLD.md   (adds a column with OLD.md's medians,
     a results file this script wrote at an earlier revision)
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import time
from pathlib import Path

import torch

from autograd_lessons import backward_stepper, widgets
from autograd_lessons.lessons.autograd import explorers
from autograd_lessons.lessons.autograd.explorers import control_flow_explorer, vjp_explorer
from autograd_lessons.lessons.autograd.maths import control_flow, lesson_a

UPDATES = 20
BUDGET_MS = 150
RESULTS = Path(__file__).parent / "results" / "widgets_bench.md"


def timed(updates) -> float:
    """The median time in ms of the given update callables (after one untimed warm-up)."""
    updates = list(updates)
    updates[0]()
    times = []
    for update in updates[1:]:
        start = time.perf_counter()
        update()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def setter(control, value):
    return lambda: setattr(control, "value", value)


def control_flow_updates():
    """20 different a on both sides of 0 (each a new graph: 9–12 doublings, two branches)."""
    explorer = control_flow_explorer()
    values = [(-1) ** i * (0.2 + 0.09 * i) for i in range(UPDATES + 1)]
    return [setter(explorer.controls["a"], v) for v in values]


def vjp_updates():
    """Alternately a new v and a new function, so the Jacobian is recomputed half of the time."""
    explorer = vjp_explorer()
    names = list(explorers.FUNCTIONS)
    updates = []
    for i in range(UPDATES + 1):
        if i % 2:
            updates.append(setter(explorer.controls["function"], names[(i // 2 + 1) % len(names)]))
        else:
            updates.append(setter(explorer.controls["v"], f"{i}, 1, 0, -1"))
    return updates


def stepper_updates(fold=None):
    """Walk through the steps of In [20]'s d = f(a) with the slider, back and forth."""
    a = lesson_a().requires_grad_(True)
    d = control_flow(a)
    stepper = backward_stepper(d, fold=fold)
    first, last = stepper.controls["step"].min, stepper.controls["step"].max  # 1..N (0..N-1 before)
    span = last - first
    order = [first + 1 + i % span if (i // span) % 2 == 0 else last - 1 - i % span for i in range(UPDATES + 1)]
    return [setter(stepper.controls["step"], k) for k in order], stepper


def machine() -> str:
    return f"{platform.machine()}, {platform.processor() or 'unknown CPU'}, {os.cpu_count()} logical cores"


def earlier(path: Path | None) -> dict[str, float]:
    """Medians by explorer name from a results file this script wrote before."""
    if path is None:
        return {}
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[0].split(" (")[0].endswith(("explorer", "stepper")):
            try:
                found[cells[0].split(" (")[0]] = float(cells[1])
            except ValueError:
                continue
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", type=Path, help="a results file written by an earlier revision")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    torch.set_num_threads(1)
    steps_updates, stepper = stepper_updates()
    step_count, node_count = len(stepper.steps), len(stepper.steps.graph.nodes)
    rows = [
        ("control_flow_explorer (a → new graph, text, PNG)", timed(control_flow_updates())),
        ("vjp_explorer (v or function → vᵀJ, Jacobian, PNG)", timed(vjp_updates())),
        (f"backward_stepper ({step_count} steps of In [20]'s d, loop folded: the default)", timed(steps_updates)),
    ]
    unfolded = timed(stepper_updates(fold=False)[0])
    default_dpi = widgets.PICTURE_DPI
    widgets.PICTURE_DPI = 72
    try:
        at_72 = timed(control_flow_updates())
    finally:
        widgets.PICTURE_DPI = default_dpi
    before = earlier(args.before)
    lines = [
        "# Explorer update times",
        "",
        f"- date: {datetime.date.today().isoformat()}",
        f"- machine: {machine()}",
        f"- Python {platform.python_version()}, torch {torch.__version__}, torch threads 1",
        f"- median of {UPDATES} updates each (after one warm-up); budget {BUDGET_MS} ms;"
        f" pictures at {default_dpi} dpi (PICTURE_DPI)",
        "- produced by `python benchmarks/widgets_bench.py`"
        + (f" `--before {args.before.name}` (this script run at the previous revision, 72 dpi)" if args.before else ""),
        "",
        "| explorer | median ms | before (median ms) | within budget |",
        "|---|---:|---:|---|",
    ]
    for name, ms in rows:
        old = before.get(name.split(" (")[0])
        old_text = f"{old:.1f}" if old is not None else "n/a"
        lines.append(f"| {name} | {ms:.1f} | {old_text} | {'yes' if ms <= BUDGET_MS else 'NO'} |")
    lines += [
        "",
        f"The same control-flow updates with pictures at 72 dpi: {at_72:.1f} ms"
        f" (at {default_dpi} dpi: {rows[0][1]:.1f} ms).",
        f"The stepper with fold=False (all {node_count} nodes drawn, a picture about four times as"
        f" tall): {unfolded:.1f} ms.",
        "",
    ]
    args.out.parent.mkdir(exist_ok=True)
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
