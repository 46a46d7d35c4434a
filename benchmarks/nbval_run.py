"""Wall time of the whole nbval run (every notebook, strict mode), repeated; median recorded.

    .venv/bin/python benchmarks/nbval_run.py [--runs 5] [pytest options ...]

Each run is a fresh `python3 tasks.py test notebooks -q` with this interpreter as it is
(AUTOGRAD_LESSONS_PYTHON), so the notebooks run exactly as the test command runs them: spread
over the cores, one notebook per worker (tasks.py PARALLEL). Kernel start-up and the torch import
are included. Further options go to pytest after those (`-n 0`: one process, as before the tests
ran in parallel). Every run must pass. The results go to benchmarks/results/nbval_run.md, above
the notes already there, which are kept.
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
NOTES = "\n## "  # the notes below the generated part start at its first second-level heading


def one_run(extra: list[str]) -> tuple[float, int, str]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "tasks.py", "test", "notebooks", "-q", *extra],
        cwd=ROOT,
        env=dict(os.environ, AUTOGRAD_LESSONS_PYTHON=sys.executable),
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-200:]
    return elapsed, done.returncode, summary


def kept_notes(results: Path = RESULTS) -> str:
    """The notes under the generated part of a results file (history, explanations); the
    benchmarks that rewrite their results file keep them this way."""
    if not results.exists():
        return ""
    text = results.read_text(encoding="utf-8")
    start = text.find(NOTES)
    return text[start:] if start >= 0 else ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args, extra = parser.parse_known_args()
    import torch

    runs = []
    for index in range(args.runs):
        elapsed, code, summary = one_run(extra)
        runs.append((elapsed, code, summary))
        print(f"run {index + 1}: {elapsed:6.2f} s  exit {code}  {summary}", flush=True)
    median = statistics.median(r[0] for r in runs)
    passed = sum(1 for r in runs if r[1] == 0)
    command = " ".join(["python3 tasks.py test notebooks -q", *extra])
    lines = [
        "# nbval run: wall time",
        "",
        f"- date: {datetime.date.today().isoformat()}",
        f"- machine: {os.cpu_count()} cores, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}, torch {torch.__version__}",
        f"- command: `{command}` (strict nbval, sanitize file, tasks.py's parallel options), fresh process each run",
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
    RESULTS.write_text("\n".join(lines) + kept_notes(), encoding="utf-8")
    print(f"median {median:.2f} s, {passed}/{len(runs)} passed -> {RESULTS.relative_to(ROOT)}")
    return 0 if passed == len(runs) else 1


if __name__ == "__main__":
    sys.exit(main())
