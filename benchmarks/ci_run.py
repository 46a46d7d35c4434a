"""Wall time of what CI runs, from a fresh clone: `CI=true bash .ci/run` (compat, then every test).

    python3 benchmarks/ci_run.py [--runs 1] [--ref HEAD]

Each run clones the repository's `--ref` (default HEAD: the committed tree, not the working
copy) into a new temporary folder and runs `.ci/run` there, as CI does: the environments are
created from nothing (packages come from the local pip cache when it has them, as on a
maintainer's machine), the newest supported torch is checked, then the README's test command
runs with the browser tests required. Every run must pass. The results go to
benchmarks/results/ci_run.md, above the notes already there, which are kept.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nbval_run import kept_notes  # this folder is the script's first import path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "ci_run.md"
TARGET_SECONDS = 15 * 60  # a fresh clone's .ci/run, compatibility check included, on the 2-core machine
TAIL_LINES = 3  # the last lines of a run's output kept as its summary


def one_run(ref: str) -> tuple[float, int, str]:
    with tempfile.TemporaryDirectory(prefix="ci-run-") as folder:
        clone = Path(folder) / "clone"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        subprocess.run(["git", "checkout", "-q", ref], cwd=clone, check=True)
        start = time.perf_counter()
        done = subprocess.run(
            ["bash", ".ci/run"], cwd=clone, env=dict(os.environ, CI="true"), capture_output=True, text=True
        )
        elapsed = time.perf_counter() - start
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    summary = " / ".join(line.strip() for line in lines[-TAIL_LINES:]) or done.stderr[-200:]
    return elapsed, done.returncode, summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--ref", default="HEAD")
    args = parser.parse_args()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", args.ref], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    runs = []
    for index in range(args.runs):
        elapsed, code, summary = one_run(args.ref)
        runs.append((elapsed, code, summary))
        print(f"run {index + 1}: {elapsed:7.1f} s  exit {code}  {summary}", flush=True)
    median = statistics.median(r[0] for r in runs)
    passed = sum(1 for r in runs if r[1] == 0)
    lines = [
        "# A fresh clone's CI run: wall time",
        "",
        f"- date: {datetime.date.today().isoformat()}",
        f"- machine: {os.cpu_count()} cores, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}",
        f"- commit: {commit}",
        "- command: `CI=true bash .ci/run` in a new clone "
        "(compat, then `python3 tasks.py test` with the browser tests required)",
        f"- runs passed: {passed} of {len(runs)}",
        f"- median: {median:.0f} s = {median / 60:.1f} min (target under {TARGET_SECONDS / 60:.0f} min)",
        "",
        "| run | seconds | exit | last lines |",
        "|---|---|---|---|",
        *[f"| {i + 1} | {r[0]:.0f} | {r[1]} | {r[2]} |" for i, r in enumerate(runs)],
        "",
    ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines) + kept_notes(RESULTS), encoding="utf-8")
    print(f"median {median:.0f} s, {passed}/{len(runs)} passed -> {RESULTS.relative_to(ROOT)}")
    return 0 if passed == len(runs) else 1


if __name__ == "__main__":
    sys.exit(main())
