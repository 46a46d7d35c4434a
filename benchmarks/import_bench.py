"""What importing the package costs: fresh interpreters, median of several runs each.

    .venv/bin/python benchmarks/import_bench.py [--runs 7]

`import autograd_lessons` must stay cheap (no torch, matplotlib or ipywidgets until a helper
needs them); the claims catalogue imports torch and every lesson's claims, the exercises every
lesson's checkers. Each statement runs in its own fresh process, so caches of one do not help
the next; runs of the statements are interleaved. Results go to benchmarks/results/.
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
RESULTS = ROOT / "benchmarks" / "results" / "import_bench.md"
STATEMENTS = {
    "python only": "pass",
    "import autograd_lessons": "import autograd_lessons",
    "import torch": "import torch",
    "claims catalogue (all lessons)": "import autograd_lessons.claims",
    "exercises (all lessons)": "import autograd_lessons.exercises",
    "from autograd_lessons import draw (matplotlib)": "from autograd_lessons import draw",
}


def seconds(statement: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", statement], cwd=ROOT, check=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    times: dict[str, list[float]] = {name: [] for name in STATEMENTS}
    for _ in range(args.runs):
        for name, statement in STATEMENTS.items():
            times[name].append(seconds(statement))
    torch_loaded = subprocess.run(
        [sys.executable, "-c", "import sys, autograd_lessons; print('torch' in sys.modules)"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    import torch

    lines = [
        "# Import cost",
        "",
        f"- date: {datetime.date.today().isoformat()}",
        f"- machine: {os.cpu_count()} cores, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}, torch {torch.__version__}",
        f"- fresh `python -c` per run, {args.runs} interleaved runs per statement; wall time incl. interpreter start",
        f"- `import autograd_lessons` loads torch: {torch_loaded}",
        "",
        "| statement | median | min | max |",
        "|---|---|---|---|",
        *[
            f"| `{STATEMENTS[name]}` ({name}) | {statistics.median(t):.3f} s | {min(t):.3f} s | {max(t):.3f} s |"
            for name, t in times.items()
        ],
        "",
    ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
