"""Mutation testing of the modules whose mistakes a learner would see: how many small,
behaviour-changing edits of each module the tests notice.

    python3 tasks.py mutation [GROUP ...]      (all groups when none is named)

For each group of GROUPS, the project's files are copied into a new temporary folder (the
working tree is never touched; the results name the commit, with "-dirty" when files had
changed), mutmut (pinned in constraints.txt) is configured there to mutate only the group's
modules and to run only the group's test files, and it runs with one worker per core. Each
mutant is one edit (a flipped comparison, a changed constant, a dropped argument…) and is
"killed" when a test fails with it. mutmut's progress goes to a log file in the temporary
folder; this script prints one line per group.

Each group's last run is kept in benchmarks/results/mutation.json (so that running one group
keeps the others' results), and benchmarks/results/mutation.md is written from it: the date,
the commit and, per module, the mutants, killed, survived, timed out and without tests, and the
score: killed (a timeout counts as killed) over the mutants that are not equivalent. A survivor
that changes nothing a test could observe is equivalent; benchmarks/mutation_equivalent.json
gives the reason for each (mutant name → why), and every other survivor is listed with its
edit, to be killed by a test.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "mutation.md"
RAW = ROOT / "benchmarks" / "results" / "mutation.json"  # every group's last run, from which the .md is written
EQUIVALENT = ROOT / "benchmarks" / "mutation_equivalent.json"
PACKAGE = "src/autograd_lessons"
TARGET_SCORE = 90.0  # % of non-equivalent mutants killed (issue 20's bar)
# A group: the modules mutated together and the test files that judge them (every test that
# exercises the module; mutmut then runs, for each mutant, only the tests that reach its function).
GROUPS = {
    "verdicts": (
        ["verdicts.py"],
        ["test_claims.py", "test_lesson2.py", "test_exercises.py", "test_verdicts_edges.py"],
    ),
    "folding": (["folding.py"], ["test_folding.py", "test_draw_groups.py", "test_draw.py"]),
    "modules": (
        ["modules.py"],
        ["test_outputs_modules.py", "test_layers_graph.py", "test_draw_groups.py", "test_modules_edges.py"],
    ),
    "steps": (["steps.py"], ["test_steps.py", "test_widgets.py", "test_steps_edges.py"]),
    "guard": (["guard.py"], ["test_guard.py", "test_exercises.py"]),
    "drawing": (
        ["drawing/sizes.py", "drawing/geometry.py", "drawing/layout.py"],
        ["test_draw.py", "test_draw_groups.py", "test_steps.py", "test_layers_graph.py"],
    ),
    "checkers": (
        ["exercises.py", "lessons/autograd/exercises.py", "lessons/in_depth/exercises.py"],
        [
            "test_exercises.py",
            "test_exercises_teach.py",
            "test_lesson2_exercises.py",
            "test_lesson2_exercises_causes.py",
        ],
    ),
}
# mutmut's exit codes per mutant, as its results read them (mutmut.stats.status_by_exit_code).
STATUS = {1: "killed", 3: "killed", 0: "survived", 36: "timeout", 24: "timeout", -24: "timeout", 152: "timeout"}
STATUS_OTHER = "no tests"  # 5, 33, 34 and anything else: no test reached the mutant
EDIT_CHARACTERS = 300  # a survivor's edit, as listed in the results: enough for one changed line
ALSO_COPY = ["tools/", "notebooks/", "docs/", "README.md", "constraints.txt", "environment.yml"]


def git(*arguments: str) -> str:
    return subprocess.run(["git", *arguments], cwd=ROOT, capture_output=True, text=True, check=True).stdout


def copy_of_tree(folder: Path) -> str:
    """Copy the project's files (tracked, or new and not ignored: as the installed package sees
    them) into `folder`; return the commit's short name, "-dirty" when files differ from it."""
    for name in git("ls-files", "--cached", "--others", "--exclude-standard", "-z").split("\0"):
        source = ROOT / name
        if name and source.is_file():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, folder / name)
    dirty = "-dirty" if git("status", "--porcelain").strip() else ""
    return git("rev-parse", "--short", "HEAD").strip() + dirty


def configure(folder: Path, modules: list[str], tests: list[str]) -> None:
    """Append the group's mutmut settings to the copy's pyproject.toml."""
    settings = {
        "source_paths": [PACKAGE],
        "only_mutate": [f"{PACKAGE}/{module}" for module in modules],
        "pytest_add_cli_args_test_selection": [f"tests/{test}" for test in tests],
        "also_copy": ALSO_COPY,
    }
    lines = ["", "[tool.mutmut]", *(f"{key} = {json.dumps(value)}" for key, value in settings.items())]
    with (folder / "pyproject.toml").open("a", encoding="utf-8") as toml:
        toml.write("\n".join(lines) + "\n")


def mutmut(python: Path) -> Path:
    """The mutmut command beside `python` (installed with the "mutation" extra)."""
    return python.parent / ("mutmut.exe" if os.name == "nt" else "mutmut")


def statuses(folder: Path, module: str) -> dict[str, str]:
    """Mutant name → status, from the results mutmut keeps beside the mutated module."""
    meta = folder / "mutants" / PACKAGE / f"{module}.meta"
    codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"] if meta.exists() else {}
    return {name: STATUS.get(code, STATUS_OTHER) for name, code in codes.items()}


def edit_of(folder: Path, python: Path, name: str) -> str:
    """The mutant's edit, as the removed and added lines of `mutmut show`."""
    shown = subprocess.run([mutmut(python), "show", name], cwd=folder, capture_output=True, text=True)
    changed = [line for line in shown.stdout.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    return " / ".join(" ".join(line.split()) for line in changed)[:EDIT_CHARACTERS]


def run_group(python: Path, name: str) -> dict:
    """Mutate one group in a fresh copy: its date, commit, seconds, module → {mutant: status} and
    survivor → edit."""
    modules, tests = GROUPS[name]
    with tempfile.TemporaryDirectory(prefix=f"mutation-{name}-") as temporary:
        folder = Path(temporary) / "copy"
        commit = copy_of_tree(folder)
        configure(folder, modules, tests)
        start = time.perf_counter()
        with (Path(temporary) / "mutmut.log").open("w") as log:
            subprocess.run([mutmut(python), "run"], cwd=folder, stdout=log, stderr=subprocess.STDOUT)
        seconds = time.perf_counter() - start
        found = {module: statuses(folder, module) for module in modules}
        edits = {
            mutant: edit_of(folder, python, mutant)
            for results in found.values()
            for mutant, status in results.items()
            if status == "survived"
        }
    today = datetime.date.today().isoformat()
    return {"date": today, "commit": commit, "seconds": round(seconds), "modules": found, "edits": edits}


def score(results: dict[str, str], equivalent: dict[str, str]) -> tuple[dict[str, int], float]:
    counts = dict.fromkeys(("killed", "survived", "timeout", STATUS_OTHER), 0)
    for status in results.values():
        counts[status] += 1
    judged = [m for m, s in results.items() if s != STATUS_OTHER and m not in equivalent]
    caught = sum(1 for m in judged if results[m] in ("killed", "timeout"))
    return counts, (100.0 * caught / len(judged) if judged else 100.0)


def report(runs: dict[str, dict], equivalent: dict[str, str]) -> str:
    lines = [
        "# Mutation testing: how many edits of each module the tests catch",
        "",
        f"- machine: {os.cpu_count()} cores, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}",
        "- command: `python3 tasks.py mutation [GROUP ...]` (benchmarks/mutation.py; mutmut, one worker per core)",
        "- score: killed or timed out, over the mutants reached by a test and not equivalent "
        f"(target ≥ {TARGET_SCORE:.0f} %)",
        f"- groups not run yet: {', '.join(g for g in GROUPS if g not in runs) or 'none'}",
        "",
        "| group | date | commit | module | mutants | killed | survived | timed out | no tests | equivalent "
        "| score | minutes |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    survivors = []
    for group in (g for g in GROUPS if g in runs):
        run = runs[group]
        edits, seconds = run["edits"], run["seconds"]
        for module, results in run["modules"].items():
            counts, percent = score(results, equivalent)
            same = sum(1 for m, s in results.items() if s == "survived" and m in equivalent)
            lines.append(
                f"| {group} | {run['date']} | {run['commit']} | `{module}` | {len(results)} | {counts['killed']} | "
                f"{counts['survived']} | "
                f"{counts['timeout']} | {counts[STATUS_OTHER]} | {same} | {percent:.1f} % | {seconds / 60:.1f} |"
            )
            survivors += [(m, edits.get(m, ""), equivalent.get(m)) for m, s in results.items() if s == "survived"]
    lines += ["", "## Survivors", "", "| mutant | edit | equivalent because |", "|---|---|---|"]
    lines += [f"| `{m}` | `{edit}` | {why or '— (to kill)'} |" for m, edit, why in survivors]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("groups", nargs="*", help=f"of {', '.join(GROUPS)}; default: every group")
    parser.add_argument("--report-only", action="store_true", help="rewrite the .md from the kept runs")
    arguments = parser.parse_args()
    unknown = [group for group in arguments.groups if group not in GROUPS]
    if unknown:
        parser.error(f"unknown group {', '.join(unknown)}; the groups are {', '.join(GROUPS)}")
    python = Path(sys.executable)
    equivalent = json.loads(EQUIVALENT.read_text(encoding="utf-8")) if EQUIVALENT.exists() else {}
    runs = json.loads(RAW.read_text(encoding="utf-8")) if RAW.exists() else {}
    for group in [] if arguments.report_only else arguments.groups or list(GROUPS):
        runs[group] = run_group(python, group)
        total = sum(len(results) for results in runs[group]["modules"].values())
        print(f"{group}: {total} mutants, {runs[group]['seconds'] / 60:.1f} min", flush=True)
        RAW.write_text(json.dumps(runs, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    RESULTS.write_text(report(runs, equivalent), encoding="utf-8")
    print(RESULTS)


if __name__ == "__main__":
    main()
