"""Wall time of the whole nbval run (every notebook, strict mode), repeated; median recorded.

    .venv/bin/python benchmarks/nbval_run.py [--runs 5]

Each run is a fresh `pytest notebooks` process, as CI runs it, so kernel start-up and the
torch import are included. Every run must pass; the results go to benchmarks/results/.
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
RESULTS = ROOT / "benchmarks" / "results" / "nbval_run.md"
TARGET_SECONDS = 60.0  # every notebook of every lesson, strict, on the 2-core CI machine


def one_run() -> tuple[float, int, str]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "notebooks", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-200:]
    return elapsed, done.returncode, summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    import torch

    runs = []
    for index in range(args.runs):
        elapsed, code, summary = one_run()
        runs.append((elapsed, code, summary))
        print(f"run {index + 1}: {elapsed:6.2f} s  exit {code}  {summary}", flush=True)
    median = statistics.median(r[0] for r in runs)
    passed = sum(1 for r in runs if r[1] == 0)
    lines = [
        "# nbval run: wall time",
        "",
        f"- date: {datetime.date.today().isoformat()}",
        f"- machine: {os.cpu_count()} cores, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}, torch {torch.__version__}",
        f"- command: `python -m pytest notebooks -q` (strict nbval, sanitize file), fresh process each run",
        f"- runs passed: {passed} of {len(runs)}",
        f"- median: {median:.2f} s (target under {TARGET_SECONDS:.0f} s); "
        f"min {min(r[0] for r in runs):.2f} s, max {max(r[0] for r in runs):.2f} s",
        "",
        "| run | seconds | exit | pytest summary |",
        "|---|---|---|---|",
        *[f"| {i + 1} | {r[0]:.2f} | {r[1]} | {r[2]} |" for i, r in enumerate(runs)],
        "",
    ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print(f"median {median:.2f} s, {passed}/{len(runs)} passed -> {RESULTS.relative_to(ROOT)}")
    return 0 if passed == len(runs) else 1


if __name__ == "__main__":
    sys.exit(main())
