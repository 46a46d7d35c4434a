"""Mutation testing of the modules whose mistakes a learner would see: how many small,
behaviour-changing edits of each module the tests notice.

    python3 tasks.py mutation [GROUP ...]            (all groups when none is named)
    python3 tasks.py mutation --keep GROUP           (keep the mutated copy, to try new tests on survivors)
    python3 tasks.py mutation --retest GROUP         (run the last run's survivors against today's tests)
    python3 tasks.py mutation --report-only          (rewrite the .md from the recorded runs)

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
score: killed (a timeout or a crash counts as killed) over the mutants that are not equivalent.
benchmarks/mutation_survivors.json explains survivors (mutant name → the edit, its kind and why):
- "equivalent": the edit changes nothing a test could observe; left out of the score;
- "accepted": the edit changes what the module does, but no rule the project states says which
  result is right (a heuristic's tuning, say), so no test may pin it; it still counts as
  survived, and lowers the score.
A reason holds only for the edit it was written for: mutmut numbers a function's mutants in
order, so once the function changes the same name can be another edit, which is then listed as
a survivor again. Every other survivor is listed with its edit, to be killed by a test.

A whole run of a big group can take an hour or more, mostly on the mutants that survive (each runs
every test that reaches its function). `--retest` is the short way after new tests are written:
in the copy kept by `--keep`, each survivor runs again against the tests that reached it and
every test written since, and the report says when and on which commit this was done. Without a
kept copy (a restart empties the temporary folder), `--retest` mutates a new copy and mutmut
runs only the survivors, each against every test that reaches it. It refuses when the mutated
module has changed since the run (its SHA-256 is recorded): then run the group again. The
report marks the score of such a module, which no longer stands for its source.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime
import hashlib
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
SURVIVORS = ROOT / "benchmarks" / "mutation_survivors.json"  # why each explained survivor survives
KINDS = ("equivalent", "accepted")  # of an explained survivor: left out of the score, or counted as survived
PACKAGE = "src/autograd_lessons"
TARGET_SCORE = 90.0  # % of non-equivalent mutants killed (issue 20's bar)
# A group: the modules mutated together and the test files that judge them (every test that
# exercises the module; mutmut then runs, for each mutant, only the tests that reach its function).
GROUPS = {
    "verdicts": (
        ["verdicts.py"],
        ["test_claims.py", "test_lesson2.py", "test_exercises.py", "test_verdicts_edges.py"],
    ),
    "folding": (
        ["folding.py"],
        [
            "test_folding.py",
            "test_draw_groups.py",
            "test_draw.py",
            "test_folding_edges.py",
            "test_folding_frames.py",
            "test_folding_bounds.py",
        ],
    ),
    "modules": (
        ["modules.py"],
        ["test_outputs_modules.py", "test_layers_graph.py", "test_draw_groups.py", "test_modules_edges.py"],
    ),
    "steps": (["steps.py"], ["test_steps.py", "test_widgets.py", "test_steps_edges.py"]),
    # guard's own tests only: every exercise check runs under the guard, so with test_exercises.py
    # each mutant of run() ran ~1 min of checks (a run of over 3 hours); its own tests are what
    # must pin it, and leaving the checks out can only lower the score.
    "guard": (["guard.py"], ["test_guard.py"]),
    # The drawing, in two groups (1,720 mutants in all; 17 min and 1.8 h on 2 cores). The drawing tests
    # only: test_layers_graph.py checks the package's import structure, not what a drawing shows,
    # and with it every mutant of the layout ran 35 s of import checks.
    "drawing-layout": (
        ["drawing/sizes.py", "drawing/layout.py"],
        [
            "test_draw.py",
            "test_draw_groups.py",
            "test_steps.py",
            "test_drawing_crossings.py",
            "test_drawing_layout_order.py",
        ],
    ),
    "drawing-geometry": (
        ["drawing/geometry.py"],
        [
            "test_draw.py",
            "test_draw_groups.py",
            "test_steps.py",
            "test_drawing_geometry_helpers.py",
            "test_drawing_placement.py",
            "test_drawing_routing.py",
        ],
    ),
    # The exercise checkers: the framework's, then each lesson's, so that one run stays under an hour.
    "checkers": (
        ["exercises.py"],
        [
            "test_exercises.py",
            "test_exercises_teach.py",
            "test_lesson2_exercises.py",
            "test_lesson2_exercises_causes.py",
            "test_lesson3_exercises.py",
            "test_exercises_machinery.py",
            "test_exercises_helpers.py",
        ],
    ),
    "autograd-checkers": (
        ["lessons/autograd/exercises.py"],
        [
            "test_exercises.py",
            "test_exercises_teach.py",
            "test_lesson1_checks_1_to_6.py",
            "test_lesson1_checks_7_to_9.py",
        ],
    ),
    "in-depth-checkers": (
        ["lessons/in_depth/exercises.py"],
        ["test_lesson2_exercises.py", "test_lesson2_exercises_causes.py", "test_lesson2_checks_edges.py"],
    ),
    "gone-wrong-checkers": (
        [
            "lessons/going_wrong/exercises/common.py",
            "lessons/going_wrong/exercises/nan_and_cuts.py",
            "lessons/going_wrong/exercises/leaves_and_memory.py",
            "lessons/going_wrong/exercises/exploding.py",
        ],
        [
            "test_lesson3_exercises.py",
            "test_lesson3_checks_shared_and_nan.py",
            "test_lesson3_checks_leaves_and_memory.py",
            "test_lesson3_checks_exploding.py",
        ],
    ),
    "own-autograd-checkers": (
        [
            "lessons/own_autograd/programs.py",
            "lessons/own_autograd/exercises/common.py",
            "lessons/own_autograd/exercises/forward.py",
            "lessons/own_autograd/exercises/reverse.py",
            "lessons/own_autograd/exercises/training.py",
        ],
        [
            "test_lesson4_exercises.py",
            "test_own_autograd_engine.py",
            "test_lesson4_checks_engine.py",
            "test_lesson4_checks_forward.py",
            "test_lesson4_checks_training.py",
            "test_lesson4_checks_diagnosis.py",
        ],
    ),
}
# mutmut's exit codes per mutant, as its results read them (mutmut.stats.status_by_exit_code).
# A crash (the test process killed by a signal: -9, -11) is noticed as surely as a failing test.
STATUS = {
    1: "killed",
    3: "killed",
    0: "survived",
    36: "timeout",
    24: "timeout",
    -24: "timeout",
    152: "timeout",
    255: "timeout",
    -9: "crashed",
    -11: "crashed",
}
STATUS_OTHER = "no tests"  # 5, 33, 34, not checked and anything else: no test judged the mutant
CAUGHT = ("killed", "timeout", "crashed")
# A survivor's re-run times out after RETEST_TIMEOUT_FACTOR times the tests' run without a mutant,
# and never sooner than RETEST_MIN_SECONDS (a loaded machine slows a short run several times).
RETEST_TIMEOUT_FACTOR = 10
RETEST_MIN_SECONDS = 60
# pytest's exit codes: 0 all passed; 1 a test failed; 2 collection failed (the mutant broke an
# import); 3 internal error. mutmut reads 3 as killed too.
RETEST_STATUS = {0: "survived", 1: "killed", 2: "killed", 3: "killed"}
# A mutant's tests may use (their measured time + 1 s) · TIMEOUT_MULTIPLIER · 2 seconds of CPU before
# they count as timed out (mutmut's formula). mutmut's default of 15 gave a mutant that loops forever
# in the layout, whose tests take 12 s, 6.5 min of a core; 5 still allows ten times the tests' time.
TIMEOUT_MULTIPLIER = 5.0
RETEST_PYTEST = ["-p", "no:randomly"]  # the tests run in the order they are written
RETEST_FAILURE_LINES = 30  # of pytest's output, shown when the new tests fail without a mutant
EDIT_CHARACTERS = 300  # a survivor's edit, as listed in the results: enough for one changed line
ALSO_COPY = ["conftest.py", "tools/", "notebooks/", "docs/", "README.md", "constraints.txt", "environment.yml"]


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
        "timeout_multiplier": TIMEOUT_MULTIPLIER,
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


def run_group(python: Path, name: str, keep: bool = False) -> dict:
    """Mutate one group in a fresh copy: its date, commit, seconds, module → {mutant: status} and
    survivor → edit. With `keep`, the copy stays (its path is printed): a survivor can then be
    run against a new test, `MUTANT_UNDER_TEST=<mutant> PYTHONPATH=src python -m pytest <test>`
    inside its `mutants` folder."""
    modules, tests = GROUPS[name]
    temporary = Path(tempfile.mkdtemp(prefix=f"mutation-{name}-"))
    try:
        folder = temporary / "copy"
        commit = copy_of_tree(folder)
        configure(folder, modules, tests)
        start = time.perf_counter()
        with (temporary / "mutmut.log").open("w") as log:
            done = subprocess.run([mutmut(python), "run"], cwd=folder, stdout=log, stderr=subprocess.STDOUT)
        seconds = time.perf_counter() - start
        found = {module: statuses(folder, module) for module in modules}
        failure = run_failure(done.returncode, found)
        if failure:
            keep = True  # the log and the copy are what explains the failure
            raise SystemExit(f"{name}: {failure}; nothing recorded. See {temporary / 'mutmut.log'}")
        edits = {
            mutant: edit_of(folder, python, mutant)
            for results in found.values()
            for mutant, status in results.items()
            if status == "survived"
        }
    finally:
        if keep:
            print(f"{name}: the mutated copy is kept in {temporary}", flush=True)
        else:
            shutil.rmtree(temporary, ignore_errors=True)
    today = datetime.date.today().isoformat()
    return {
        "date": today,
        "commit": commit,
        "seconds": round(seconds),
        "modules": found,
        "edits": edits,
        "sources": {module: digest(ROOT / PACKAGE / module) for module in modules},
        "kept": str(temporary) if keep else None,
    }


def run_failure(returncode: int, found: dict[str, dict[str, str]]) -> str | None:
    """Why a group's run cannot be recorded, or None. mutmut first runs the group's tests without a
    mutant; if they fail (a missing file in the copy, a broken test) it stops and every mutant is
    left unjudged, which must not read as a score."""
    if returncode != 0:
        return f"mutmut stopped with exit code {returncode}"
    if not any(status != STATUS_OTHER for results in found.values() for status in results.values()):
        return "no test judged any mutant"
    return None


def digest(path: Path) -> str:
    """The file's SHA-256: a survivor can be re-run only on the module its mutants were made from."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def changed_since(run: dict) -> list[str]:
    """The modules of a recorded run whose source differs from the one its mutants were made from
    (runs recorded before the sources' digests were kept cannot tell, and list none)."""
    return [m for m, sha in run.get("sources", {}).items() if digest(ROOT / PACKAGE / m) != sha]


def retest_group(python: Path, name: str, run: dict) -> dict:
    """Run the survivors of the group's last run again; a survivor a test now fails is killed.
    The mutated modules must be unchanged since that run (else run the group again); the other
    results stand, since adding tests can only kill more mutants. With the copy `--keep` kept,
    each survivor runs against the tests written since (it passed all the others); without it
    (a restarted machine loses it), a new copy is mutated and only the survivors run, each
    against every test of the group that reaches it."""
    if not run.get("sources"):
        sys.exit(f"{name}: its last run did not record its modules' sources, so they may have changed; run it again")
    changed = changed_since(run)
    if changed:
        sys.exit(f"{name}: {', '.join(changed)} changed since its last run; run the group again")
    survivors = [m for results in run["modules"].values() for m, s in results.items() if s == "survived"]
    mutants = Path(run.get("kept") or "") / "copy" / "mutants"
    start = time.perf_counter()
    if run.get("kept") and mutants.is_dir():
        outcomes = outcomes_in_kept_copy(python, name, mutants, survivors)
    else:
        outcomes = outcomes_in_new_copy(python, name, run["edits"], survivors)
    for results in run["modules"].values():
        results.update({m: outcomes[m] for m in results if m in outcomes})
    run["retested"] = [
        *retests(run),
        {
            "date": datetime.date.today().isoformat(),
            "commit": git("rev-parse", "--short", "HEAD").strip()
            + ("-dirty" if git("status", "--porcelain").strip() else ""),
            "survivors": len(survivors),
            "caught": sum(status != "survived" for status in outcomes.values()),
            "seconds": round(time.perf_counter() - start),
        },
    ]
    run["edits"] = {
        m: e for m, e in run["edits"].items() if any(r.get(m) == "survived" for r in run["modules"].values())
    }
    return run


def retests(run: dict) -> list[dict]:
    """Every `--retest` of the run, oldest first (a run recorded with one has a dict)."""
    again = run.get("retested") or []
    return [again] if isinstance(again, dict) else list(again)


def outcomes_in_kept_copy(python: Path, name: str, mutants: Path, survivors: list[str]) -> dict[str, str]:
    """Survivor → status against the tests of the group's files written since the kept run."""
    shutil.rmtree(mutants / "tests")
    shutil.copytree(ROOT / "tests", mutants / "tests", ignore=shutil.ignore_patterns("__pycache__", "artifacts"))
    _, files = GROUPS[name]
    base = [python, "-m", "pytest", "-q", *RETEST_PYTEST]
    collected = subprocess.run(
        [*base, "--collect-only", *(f"tests/{f}" for f in files)], cwd=mutants, capture_output=True, text=True
    ).stdout.splitlines()
    stats = json.loads((mutants / "mutmut-stats.json").read_text(encoding="utf-8"))
    # A survivor passed every test that reached it in the run: only tests written since can catch it.
    new_tests = [test for test in collected if "::" in test and test not in stats["duration_by_test"]]

    def run_new_tests(mutant: str, limit: float | None = None) -> subprocess.CompletedProcess | None:
        """pytest -x over the new tests with `mutant` active (None when it ran past `limit`)."""
        environment = {**os.environ, "PYTHONPATH": "src", "MUTANT_UNDER_TEST": mutant}
        try:
            return subprocess.run(
                [*base, "-x", *new_tests], cwd=mutants, env=environment, capture_output=True, text=True, timeout=limit
            )
        except subprocess.TimeoutExpired:
            return None

    def outcome(mutant: str, limit: float) -> str:
        done = run_new_tests(mutant, limit)
        if done is None:
            return "timeout"
        return "crashed" if done.returncode < 0 else RETEST_STATUS.get(done.returncode, STATUS_OTHER)

    if not new_tests:
        sys.exit(f"{name}: no test was written since its last run ({mutants})")
    start = time.perf_counter()
    clean = run_new_tests("")  # without a mutant, the new tests must pass
    if clean.returncode != 0:
        tail = "\n".join(clean.stdout.splitlines()[-RETEST_FAILURE_LINES:])
        sys.exit(f"{name}: the new tests fail without any mutant, in {mutants}:\n{tail}")
    limit = max(RETEST_MIN_SECONDS, RETEST_TIMEOUT_FACTOR * (time.perf_counter() - start))
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 1) as pool:  # one pytest per core
        return dict(zip(survivors, pool.map(lambda mutant: outcome(mutant, limit), survivors), strict=True))


def outcomes_in_new_copy(python: Path, name: str, edits: dict[str, str], survivors: list[str]) -> dict[str, str]:
    """Survivor → status, from a new mutated copy of the unchanged modules in which mutmut runs
    only the survivors (each against every test of the group that reaches its function; mutmut
    first runs them all once, without a mutant, to learn which tests reach what). Refused when a
    survivor's name now stands for another edit than the one recorded."""
    modules, tests = GROUPS[name]
    temporary = Path(tempfile.mkdtemp(prefix=f"mutation-{name}-"))
    folder = temporary / "copy"
    copy_of_tree(folder)
    configure(folder, modules, tests)
    with (temporary / "mutmut.log").open("w") as log:
        done = subprocess.run([mutmut(python), "run", *survivors], cwd=folder, stdout=log, stderr=subprocess.STDOUT)
    if done.returncode != 0:
        sys.exit(f"{name}: mutmut stopped with exit code {done.returncode}; see {temporary / 'mutmut.log'}")
    moved = [m for m in survivors if edit_of(folder, python, m) != edits.get(m)]
    if moved:
        sys.exit(f"{name}: {', '.join(moved)} now name other edits than recorded, in {folder}; run the group again")
    found = {m: status for module in modules for m, status in statuses(folder, module).items()}
    unjudged = [m for m in survivors if found.get(m) not in ("survived", *CAUGHT)]
    if unjudged:
        sys.exit(f"{name}: no test judged {', '.join(unjudged)}; see {temporary / 'mutmut.log'}")
    shutil.rmtree(temporary, ignore_errors=True)
    return {m: found[m] for m in survivors}


def explained(run: dict, known: dict[str, dict[str, str]]) -> dict[str, tuple[str, str]]:
    """Survivor → (kind, why), for the survivors of `run` whose edit is the one a reason in
    `known` (mutation_survivors.json: mutant → {"edit", "kind", "because"}) was written for."""
    edits = run.get("edits", {})
    return {m: (why["kind"], why["because"]) for m, why in known.items() if m in edits and edits[m] == why["edit"]}


def equivalents(run: dict, known: dict[str, dict[str, str]]) -> dict[str, str]:
    """Survivor → why it is equivalent: the explained survivors the score leaves out."""
    return {m: because for m, (kind, because) in explained(run, known).items() if kind == "equivalent"}


def score(results: dict[str, str], equivalent: dict[str, str]) -> tuple[dict[str, int], float]:
    counts = dict.fromkeys(("killed", "survived", "timeout", "crashed", STATUS_OTHER), 0)
    for status in results.values():
        counts[status] += 1
    judged = [m for m, s in results.items() if s != STATUS_OTHER and m not in equivalent]
    caught = sum(1 for m in judged if results[m] in CAUGHT)
    return counts, (100.0 * caught / len(judged) if judged else 100.0)


def report(runs: dict[str, dict], known: dict[str, dict[str, str]]) -> str:
    stale = [g for g in GROUPS if g in runs and changed_since(runs[g])]
    rows, survivors = [], []
    for group in (g for g in GROUPS if g in runs):
        run = runs[group]
        edits, seconds = run["edits"], run["seconds"]
        why = explained(run, known)
        equivalent = equivalents(run, known)
        for module, results in run["modules"].items():
            counts, percent = score(results, equivalent)
            alive = [m for m, s in results.items() if s == "survived"]
            kinds = [why[m][0] for m in alive if m in why]
            changed = " (module changed since: run again)" if module in changed_since(run) else ""
            rows.append(
                f"| {group} | {run['date']} | {run['commit']} | `{module}` | {len(results)} | {counts['killed']} | "
                f"{counts['survived']} | {counts['timeout'] + counts['crashed']} | {counts[STATUS_OTHER]} | "
                f"{kinds.count('equivalent')} | {kinds.count('accepted')} | {percent:.1f} %{changed} | "
                f"{seconds / 60:.1f} |"
            )
            survivors += [(m, edits.get(m, ""), why.get(m)) for m in alive]
    tally = [reason[0] if reason else "to kill" for _, _, reason in survivors]
    lines = [
        "# Mutation testing: how many edits of each module the tests catch",
        "",
        f"- machine: {os.cpu_count()} cores, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}",
        "- command: `python3 tasks.py mutation [GROUP ...]` (benchmarks/mutation.py; mutmut, one worker per core)",
        "- score: killed, timed out or crashed, over the mutants reached by a test and not equivalent "
        f"(target ≥ {TARGET_SCORE:.0f} %)",
        f"- groups not run yet: {', '.join(g for g in GROUPS if g not in runs) or 'none'}",
        f"- groups whose modules changed since their run: {', '.join(stale) or 'none'}",
        f"- survivors: {tally.count('equivalent')} equivalent (left out of the score), {tally.count('accepted')} "
        f"accepted (not equivalent, counted as survived), {tally.count('to kill')} to kill",
        "",
        "| group | date | commit | module | mutants | killed | survived | timed out or crashed | no tests | equivalent "
        "| accepted | score | minutes |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        *rows,
    ]
    for group in (g for g in GROUPS if g in runs):
        for again in retests(runs[group]):
            lines.append(
                f"\n{group}: on {again['date']}, the {again['survivors']} survivors left were run again against the "
                f"tests of {again['commit']} ({again['seconds'] / 60:.1f} min; `--retest`): {again['caught']} caught."
            )
    lines += ["", "## Survivors", "", "| mutant | edit | why it survives |", "|---|---|---|"]
    lines += [f"| `{m}` | `{cell(edit)}` | {cell(survivor_reason(reason))} |" for m, edit, reason in survivors]
    return "\n".join(lines) + "\n"


def cell(text: str) -> str:
    """`text` inside a Markdown table's cell: a "|" of its own (`|x|`, `|=`) would end the cell,
    also inside backticks, so it is escaped."""
    return text.replace("|", "\\|")


def survivor_reason(reason: tuple[str, str] | None) -> str:
    """A survivor's line in the results: its kind and why, or that a test should catch it."""
    if reason is None:
        return "— (to kill)"
    kind, because = reason
    return because if kind == "equivalent" else f"**accepted, counted as survived:** {because}"


def kept_runs() -> dict[str, dict]:
    """Every group's last recorded run."""
    return json.loads(RAW.read_text(encoding="utf-8")) if RAW.exists() else {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("groups", nargs="*", help=f"of {', '.join(GROUPS)}; default: every group")
    parser.add_argument("--report-only", action="store_true", help="rewrite the .md from the kept runs")
    parser.add_argument("--keep", action="store_true", help="keep each mutated copy, to try new tests on survivors")
    parser.add_argument("--retest", action="store_true", help="re-run the kept runs' survivors against today's tests")
    arguments = parser.parse_args()
    unknown = [group for group in arguments.groups if group not in GROUPS]
    if unknown:
        parser.error(f"unknown group {', '.join(unknown)}; the groups are {', '.join(GROUPS)}")
    python = Path(sys.executable)
    known = json.loads(SURVIVORS.read_text(encoding="utf-8")) if SURVIVORS.exists() else {}
    for group in [] if arguments.report_only else arguments.groups or list(GROUPS):
        if arguments.retest:
            run = retest_group(python, group, kept_runs()[group])
        else:
            run = run_group(python, group, keep=arguments.keep)
        runs = kept_runs()  # read again: another run may have recorded its group meanwhile
        runs[group] = run
        total = sum(len(results) for results in run["modules"].values())
        print(f"{group}: {total} mutants, {run['seconds'] / 60:.1f} min", flush=True)
        RAW.write_text(json.dumps(runs, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    runs = kept_runs()
    RESULTS.write_text(report(runs, known), encoding="utf-8")
    print(RESULTS)


if __name__ == "__main__":
    main()
