"""A learner's model at full speed: the forward pass of a 30-layer model with and without the
package imported, each scenario in its own fresh process.

    .venv/bin/python benchmarks/module_hooks_bench.py [--src LABEL=PATH ...] [--processes 5]

Scenarios (each a fresh interpreter, torch.set_num_threads(1), CPU):
  plain    plain torch: the model's forward only.
  package  `import autograd_lessons`, then what a lesson does with it — trace() and draw() of a
           small graph, and draw(..., modules=) of a small model's forward — then the same forward.
  recorded the forward inside `record_modules(model)` (recording this model's calls on purpose),
           for reference; n/a for a source tree without record_modules.

Each process warms up, then times SAMPLES samples of BATCH forwards and prints the median time
per forward; a scenario's result is the median over its processes. Runs of the scenarios (and of
the source trees given with --src, e.g. the code before a change copied to a temporary folder)
are interleaved, so load from other work on the machine falls on all of them alike.
Results go to benchmarks/results/module_hooks_bench.md.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "module_hooks_bench.md"
LAYERS = 30  # Linear(WIDTH, WIDTH) + Tanh each: 60 submodule calls per forward
WIDTH = 16
BATCH_ROWS = 4  # rows of the input: a tiny model, so the per-call overhead of hooks shows
WARMUP = 300  # forwards before timing (allocator and dispatcher caches warm)
SAMPLES = 60  # timed samples per process
BATCH = 50  # forwards per sample: one sample is long enough for the clock, short enough to vary
GOAL = 1.15  # package / plain: within 15 %
SCENARIOS = ("plain", "package", "recorded")


def _model():
    import torch

    torch.manual_seed(0)
    layers = []
    for _ in range(LAYERS):
        layers += [torch.nn.Linear(WIDTH, WIDTH), torch.nn.Tanh()]
    return torch.nn.Sequential(*layers), torch.randn(BATCH_ROWS, WIDTH)


def _use_the_package() -> None:
    """What a lesson does before the learner's own model runs: trace and draw a graph, and draw
    a small model's forward with its module frames."""
    import torch

    import autograd_lessons
    from autograd_lessons import draw, trace

    x = torch.arange(4.0, requires_grad=True)
    y = (x * x).sin().sum()
    trace(y)
    draw(y)._repr_png_()
    small = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1))
    record = getattr(autograd_lessons, "record_modules", None)
    if record is None:  # a source tree from before record_modules: module calls were always recorded
        out = small(torch.randn(2, 3)).sum()
    else:
        with record(small):
            out = small(torch.randn(2, 3)).sum()
    draw(out, modules=small)._repr_png_()


def child(scenario: str) -> None:
    """Time the forward pass in this process; print the median seconds per forward."""
    import torch

    torch.set_num_threads(1)
    if scenario == "package":
        _use_the_package()
    model, x = _model()
    if scenario == "recorded":
        import autograd_lessons

        record = getattr(autograd_lessons, "record_modules", None)
        if record is None:
            print("n/a")
            return
        context = record(model)
    else:
        import contextlib

        context = contextlib.nullcontext()
    with context:
        for _ in range(WARMUP):
            model(x)
        samples = []
        for _ in range(SAMPLES):
            start = time.perf_counter()
            for _ in range(BATCH):
                model(x)
            samples.append((time.perf_counter() - start) / BATCH)
    print(repr(statistics.median(samples)))


def run(scenario: str, src: Path) -> float | None:
    env = {**os.environ, "PYTHONPATH": str(src)}
    done = subprocess.run(
        [sys.executable, __file__, "--child", scenario], env=env, capture_output=True, text=True, check=True
    )
    text = done.stdout.strip().splitlines()[-1]
    return None if text == "n/a" else float(text)


def _cell(values: list[float]) -> str:
    """Median, and min – max over the processes, in µs."""
    if not values:
        return "n/a"
    return f"{statistics.median(values) * 1e6:.0f} µs ({min(values) * 1e6:.0f} – {max(values) * 1e6:.0f})"


def _ratio(values: list[float], plain: list[float]) -> str:
    if not values or not plain:
        return "n/a"
    return f"{statistics.median(values) / statistics.median(plain):.2f}×"


def _row(label: str, plain: list[float], package: list[float], recorded: list[float]) -> str:
    cells = [_cell(plain), _cell(package), _ratio(package, plain), _cell(recorded), _ratio(recorded, plain)]
    return f"| {label} | " + " | ".join(cells) + " |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", choices=SCENARIOS, help=argparse.SUPPRESS)
    parser.add_argument(
        "--src",
        action="append",
        default=[],
        metavar="LABEL=PATH",
        help="a source tree to measure (its folder holding autograd_lessons/); default: this checkout's src",
    )
    parser.add_argument("--processes", type=int, default=5, help="fresh processes per scenario and source tree")
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return 0
    trees = dict(item.split("=", 1) for item in args.src) or {"this checkout": str(ROOT / "src")}
    times: dict[tuple[str, str], list[float]] = {(label, s): [] for label in trees for s in SCENARIOS}
    load_before = os.getloadavg()[0]
    for _ in range(args.processes):
        for label, src in trees.items():
            for scenario in SCENARIOS:
                value = run(scenario, Path(src))
                if value is not None:
                    times[(label, scenario)].append(value)
    load_after = os.getloadavg()[0]
    import torch

    lines = [
        "# A learner's model with the package imported",
        "",
        f"- date: {datetime.date.today().isoformat()}",
        f"- machine: {os.cpu_count()} cores, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}, torch {torch.__version__}, torch.set_num_threads(1), CPU",
        f"- load average (1 min) at start / end: {load_before:.2f} / {load_after:.2f} (the machine is shared)",
        f"- model: {LAYERS} × (Linear({WIDTH}, {WIDTH}) + Tanh) in a Sequential, input {BATCH_ROWS} × {WIDTH}, "
        "forward with gradients recorded (no backward)",
        f"- per process: {WARMUP} warm-up forwards, then the median of {SAMPLES} samples of {BATCH} forwards; "
        f"per scenario: the median over {args.processes} fresh processes (min – max of the processes in brackets); "
        "scenarios and source trees interleaved",
        "- plain: torch only. package: `import autograd_lessons`, trace() + draw() of a small graph and "
        "draw(out, modules=small) of a small model, then the forward. recorded: the forward inside "
        "`record_modules(model)` (n/a where the package has no record_modules).",
        "- produced by `python benchmarks/module_hooks_bench.py"
        + "".join(f" --src '{label}=…'" for label in trees if args.src)
        + f" --processes {args.processes}`"
        + (" (each … a copy of the package's src folder at that revision)" if args.src else ""),
        "",
        "| source | plain (median) | package (median) | package / plain | recorded (median) | recorded / plain |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label in trees:
        lines.append(_row(label, *(times[(label, scenario)] for scenario in SCENARIOS)))
    lines += ["", f"Goal: package / plain at most {GOAL:.2f} (within {round((GOAL - 1) * 100)} %).", ""]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
