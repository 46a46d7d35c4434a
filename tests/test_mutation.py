"""The mutation benchmark's groups name files that exist, and its recorded results say which
groups have run; mutmut comes with the environment the mutation command sets up."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from helpers import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import mutation  # the benchmark script, imported from its folder

pytestmark = pytest.mark.tooling


def test_every_group_names_modules_and_tests_that_exist():
    for group, (modules, tests) in mutation.GROUPS.items():
        assert modules and tests, group
        for module in modules:
            assert (ROOT / mutation.PACKAGE / module).is_file(), f"{group}: {module}"
        for test in tests:
            assert (ROOT / "tests" / test).is_file(), f"{group}: {test}"


def test_mutmut_is_installed_with_the_pinned_version():
    assert importlib.util.find_spec("mutmut") is not None
    pinned = [line for line in (ROOT / "constraints.txt").read_text().splitlines() if line.startswith("mutmut==")]
    assert len(pinned) == 1


def test_the_score_leaves_out_equivalent_mutants_and_those_no_test_reaches():
    results = {"a": "killed", "b": "survived", "c": "survived", "d": "timeout", "e": "no tests"}
    counts, percent = mutation.score(results, {"c": "changes nothing observable"})
    assert counts == {"killed": 1, "survived": 2, "timeout": 1, "crashed": 0, "no tests": 1}
    assert percent == pytest.approx(100 * 2 / 3), "killed a and timed-out d, over a, b and d"
    assert mutation.score({}, {})[1] == 100.0
    crashed = {"a": "crashed", "b": "survived"}
    assert mutation.score(crashed, {})[1] == 50.0, "a crash of the test process is noticed"
    assert mutation.STATUS[-9] == mutation.STATUS[-11] == "crashed"


def test_a_reason_for_equivalence_holds_only_for_the_edit_it_was_written_for():
    """Once a function changes, mutmut may give one of its names to another edit: that survivor
    is then to kill again, not excused by the old reason."""
    run = {"edits": {"f_1": "- a < b / + a <= b", "f_2": "- x = 1 / + x = 2"}}
    known = {
        "f_1": {"edit": "- a < b / + a <= b", "kind": "equivalent", "because": "a == b never happens"},
        "f_2": {"edit": "- y = 0 / + y = 1", "kind": "equivalent", "because": "written for another edit"},
        "g_1": {"edit": "- z / + w", "kind": "equivalent", "because": "not a survivor of this run"},
    }
    assert mutation.equivalents(run, known) == {"f_1": "a == b never happens"}
    run = {"date": "d", "commit": "c", "seconds": 60, "modules": {"m.py": {"f_1": "survived", "f_2": "survived"}}}
    report = mutation.report(
        {"folding": {**run, "edits": {"f_1": "- a < b / + a <= b", "f_2": "- x = 1 / + x = 2"}}}, known
    )
    assert "| `f_1` | `- a < b / + a <= b` | a == b never happens |" in report
    assert "| `f_2` | `- x = 1 / + x = 2` | — (to kill) |" in report
    assert "| 2 | 0 | 2 | 0 | 0 | 1 | 0 | 0.0 % |" in report
    assert "- survivors: 1 equivalent (left out of the score), 0 accepted" in report and ", 1 to kill" in report


def test_an_accepted_survivor_is_explained_but_still_counts_against_the_score():
    """An accepted survivor changes what the module does (no stated rule says which result is
    right): the report gives its reason and counts it as accepted, and the score counts it as
    survived, unlike an equivalent one."""
    edits = {"f_1": "- a < b / + a <= b", "f_2": "- n = 6 / + n = 7", "f_3": "- x / + y"}
    run = {"date": "d", "commit": "c", "seconds": 60, "edits": edits}
    run["modules"] = {"m.py": {"f_0": "killed", "f_1": "survived", "f_2": "survived", "f_3": "survived"}}
    known = {
        "f_1": {"edit": edits["f_1"], "kind": "equivalent", "because": "a == b never happens"},
        "f_2": {"edit": edits["f_2"], "kind": "accepted", "because": "a sweep more or less: tuning"},
    }
    assert mutation.equivalents(run, known) == {"f_1": "a == b never happens"}
    assert mutation.explained(run, known)["f_2"] == ("accepted", "a sweep more or less: tuning")
    report = mutation.report({"folding": run}, known)
    assert "| 4 | 1 | 3 | 0 | 0 | 1 | 1 | 33.3 % |" in report, "killed f_0 over f_0, f_2 and f_3"
    assert "| `f_2` | `- n = 6 / + n = 7` | **accepted, counted as survived:** a sweep more or less: tuning |" in report
    assert (
        "- survivors: 1 equivalent (left out of the score), 1 accepted (not equivalent, counted as survived), "
        in report
    )
    assert report.count("— (to kill)") == 1 and "1 to kill" in report


def test_a_pipe_in_an_edit_or_a_reason_stays_inside_its_cell():
    """Edits and reasons quote code (`a |= b`, `|x|`): every row of the survivors' table keeps
    its three cells."""
    edits = {"f_1": "- s |= t / + s = t", "f_2": "- abs(x) / + x"}
    run = {"date": "d", "commit": "c", "seconds": 60, "edits": edits}
    run["modules"] = {"m.py": {"f_1": "survived", "f_2": "survived"}}
    known = {"f_1": {"edit": edits["f_1"], "kind": "equivalent", "because": "s is empty, so |= is ="}}
    rows = [line for line in mutation.report({"folding": run}, known).splitlines() if line.startswith("| `f_")]
    assert rows == [
        "| `f_1` | `- s \\|= t / + s = t` | s is empty, so \\|= is = |",
        "| `f_2` | `- abs(x) / + x` | — (to kill) |",
    ]


def test_every_recorded_reason_names_the_edit_it_excuses_and_its_kind():
    known = json.loads((ROOT / "benchmarks" / "mutation_survivors.json").read_text(encoding="utf-8"))
    for mutant, why in known.items():
        assert set(why) == {"edit", "kind", "because"} and why["edit"] and why["because"], mutant
        assert why["kind"] in mutation.KINDS, mutant


def test_the_recorded_results_cover_known_groups():
    raw = ROOT / "benchmarks" / "results" / "mutation.json"
    if not raw.exists():
        pytest.fail("benchmarks/results/mutation.json is missing: run python3 tasks.py mutation")
    runs = json.loads(raw.read_text(encoding="utf-8"))
    assert set(runs) <= set(mutation.GROUPS)
    report = (ROOT / "benchmarks" / "results" / "mutation.md").read_text(encoding="utf-8")
    for group, run in runs.items():
        for module in run["modules"]:
            assert f"| {group} | {run['date']} | {run['commit']} | `{module}` |" in report


def test_survivors_are_run_again_only_on_the_module_they_were_made_from(tmp_path):
    kept = tmp_path / "copy" / "mutants"
    kept.mkdir(parents=True)
    run = {"kept": str(tmp_path), "sources": {"folding.py": "0" * 64}, "modules": {}, "seconds": 1}
    with pytest.raises(SystemExit, match="folding.py changed since its last run"):
        mutation.retest_group(sys.executable, "folding", run)
    without_copy = {**run, "kept": str(tmp_path / "elsewhere")}
    with pytest.raises(SystemExit, match="folding.py changed since its last run"):
        mutation.retest_group(sys.executable, "folding", without_copy)
    unknown = {**run, "sources": {}}
    with pytest.raises(SystemExit, match="did not record its modules' sources"):
        mutation.retest_group(sys.executable, "folding", unknown)


def test_without_a_kept_copy_the_survivors_run_in_a_new_one(tmp_path, monkeypatch):
    """A restart empties the temporary folder: the survivors then run in a newly mutated copy,
    and only their results change."""
    current = mutation.digest(ROOT / mutation.PACKAGE / "folding.py")
    results = {"a": "killed", "b": "survived", "c": "survived"}
    run = {"kept": str(tmp_path / "gone"), "sources": {"folding.py": current}, "seconds": 1}
    run |= {"modules": {"folding.py": results}, "edits": {"b": "- x / + y", "c": "- p / + q"}}
    asked = []

    def new_copy(python, name, edits, survivors):
        asked.append((name, edits, survivors))
        return {"b": "killed", "c": "survived"}

    monkeypatch.setattr(mutation, "outcomes_in_new_copy", new_copy)
    again = mutation.retest_group(sys.executable, "folding", run)
    assert asked == [("folding", {"b": "- x / + y", "c": "- p / + q"}, ["b", "c"])]
    assert again["modules"]["folding.py"] == {"a": "killed", "b": "killed", "c": "survived"}
    assert again["edits"] == {"c": "- p / + q"}
    assert [(r["survivors"], r["caught"]) for r in again["retested"]] == [(2, 1)]


@pytest.mark.parametrize(
    ("shown", "found", "refusal"),
    [
        ({"b": "- x / + z"}, {"b": "killed"}, "b now name other edits than recorded"),
        ({"b": "- x / + y"}, {"b": "no tests"}, "no test judged b"),
        ({"b": "- x / + y"}, {}, "no test judged b"),
    ],
    ids=["the name now stands for another edit", "not judged", "not made"],
)
def test_a_new_copy_is_trusted_only_for_the_recorded_edits_and_judged_survivors(
    tmp_path, monkeypatch, shown, found, refusal
):
    python = Path(sys.executable)
    monkeypatch.setattr(mutation.tempfile, "mkdtemp", lambda prefix: str(tmp_path))
    monkeypatch.setattr(mutation, "copy_of_tree", lambda folder: "abc1234")
    monkeypatch.setattr(mutation, "configure", lambda folder, modules, tests: None)
    monkeypatch.setattr(mutation.subprocess, "run", lambda *a, **k: mutation.subprocess.CompletedProcess(a, 0))
    monkeypatch.setattr(mutation, "edit_of", lambda folder, python, name: shown[name])
    monkeypatch.setattr(mutation, "statuses", lambda folder, module: found)
    with pytest.raises(SystemExit, match=refusal):
        mutation.outcomes_in_new_copy(python, "folding", {"b": "- x / + y"}, ["b"])
    monkeypatch.setattr(mutation, "edit_of", lambda folder, python, name: "- x / + y")
    monkeypatch.setattr(mutation, "statuses", lambda folder, module: {"b": "timeout"})
    assert mutation.outcomes_in_new_copy(python, "folding", {"b": "- x / + y"}, ["b"]) == {"b": "timeout"}


def test_the_report_says_when_survivors_were_run_again():
    results = {"a": "killed", "b": "survived"}
    run = {"date": "2026-12-06", "commit": "abc1234", "seconds": 60, "modules": {"folding.py": results}}
    run["edits"] = {"b": "- x / + y"}
    again = {"date": "2026-12-07", "commit": "def5678", "survivors": 2, "caught": 1, "seconds": 120}
    report = mutation.report({"folding": {**run, "retested": again}}, {})
    said = "folding: on 2026-12-07, the 2 survivors left were run again against the tests of def5678 (2.0 min; "
    assert said in report and "`--retest`): 1 caught." in report
    assert "run again" not in mutation.report({"folding": run}, {})
    later = {"date": "2026-12-08", "commit": "0a1b2c3", "survivors": 1, "caught": 0, "seconds": 30}
    both = mutation.report({"folding": {**run, "retested": [again, later]}}, {})
    assert both.index(said) < both.index("folding: on 2026-12-08, the 1 survivors left were run again"), "oldest first"


def test_the_report_marks_a_score_whose_module_changed_since_its_run():
    """A score stands for the source its mutants were made from: once the module changes, the
    report says to run the group again (in its row and in the header), and not before."""
    current = mutation.digest(ROOT / mutation.PACKAGE / "folding.py")
    run = {"date": "2026-12-06", "commit": "abc1234", "seconds": 60, "edits": {}}
    run["modules"] = {"folding.py": {"a": "killed"}}
    fresh = mutation.report({"folding": {**run, "sources": {"folding.py": current}}}, {})
    old = mutation.report({"folding": {**run, "sources": {"folding.py": "0" * 64}}}, {})
    assert "100.0 % |" in fresh and "changed since their run: none" in fresh
    assert "100.0 % (module changed since: run again) |" in old and "changed since their run: folding" in old


def test_a_run_whose_tests_failed_before_any_mutant_is_not_a_score():
    """mutmut stops when the group's tests fail without a mutant (every mutant then unjudged): the
    run is refused, not recorded as 100 %."""
    unjudged = {"guard.py": {"a": "no tests", "b": "no tests"}}
    assert "no test judged" in mutation.run_failure(0, unjudged)
    assert "no test judged" in mutation.run_failure(0, {"guard.py": {}})
    assert "exit code 1" in mutation.run_failure(1, {"guard.py": {"a": "killed"}})
    assert mutation.run_failure(0, {"guard.py": {"a": "no tests", "b": "survived"}}) is None
    assert "conftest.py" in mutation.ALSO_COPY, "the repository's conftest.py sets up every test process"
