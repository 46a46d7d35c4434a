"""How long an explorer takes to answer a turn of the knob (budget: 150 ms at lesson size).

Each update sets a control programmatically, exactly as the frontend would, and the timer stops
when the observer has returned, i.e. when `state`, the text and the PNG picture are all new.
The median of 20 updates is reported per explorer, and the control-flow explorer once more at
a higher picture resolution to show what the PNG costs.

Run: python benchmarks/widgets_bench.py   (writes benchmarks/results/widgets_bench.md)
"""

from __future__ import annotations

import datetime
import os
import platform
import statistics
import time
from pathlib import Path

import torch

from autograd_lessons import backward_stepper, control_flow_explorer, vjp_explorer, widgets
from autograd_lessons.claims import control_flow, lesson_a

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
    names = list(widgets.FUNCTIONS)
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
    last = stepper.controls["step"].max
    order = [1 + i % last if (i // last) % 2 == 0 else last - 1 - i % last for i in range(UPDATES + 1)]
    return [setter(stepper.controls["step"], k) for k in order], stepper


def machine() -> str:
    return f"{platform.machine()}, {platform.processor() or 'unknown CPU'}, {os.cpu_count()} logical cores"


def main() -> None:
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
    widgets.PICTURE_DPI = 100
    try:
        at_100 = timed(control_flow_updates())
    finally:
        widgets.PICTURE_DPI = default_dpi
    lines = [
        "# Explorer update times",
        "",
        f"- date: {datetime.date.today().isoformat()}",
        f"- machine: {machine()}",
        f"- Python {platform.python_version()}, torch {torch.__version__}, torch threads 1",
        f"- median of {UPDATES} updates each (after one warm-up); budget {BUDGET_MS} ms;"
        f" pictures at {default_dpi} dpi",
        "",
        "| explorer | median ms | within budget |",
        "|---|---:|---|",
    ]
    for name, ms in rows:
        lines.append(f"| {name} | {ms:.1f} | {'yes' if ms <= BUDGET_MS else 'NO'} |")
    lines += [
        "",
        f"The same control-flow updates with pictures at 100 dpi: {at_100:.1f} ms"
        f" (at {default_dpi} dpi: {rows[0][1]:.1f} ms).",
        f"The stepper with fold=False (all {node_count} nodes drawn, a picture about four times as"
        f" tall): {unfolded:.1f} ms.",
        "",
    ]
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
