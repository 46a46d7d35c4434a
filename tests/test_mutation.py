"""The mutation benchmark's groups name files that exist, and its recorded results say which
groups have run; mutmut comes with the environment the mutation command sets up."""

from __future__ import annotations

import importlib.util
import json
import sys

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
        "f_1": {"edit": "- a < b / + a <= b", "because": "a == b never happens"},
        "f_2": {"edit": "- y = 0 / + y = 1", "because": "written for another edit"},
        "g_1": {"edit": "- z / + w", "because": "not a survivor of this run"},
    }
    assert mutation.equivalents(run, known) == {"f_1": "a == b never happens"}
    run = {"date": "d", "commit": "c", "seconds": 60, "modules": {"m.py": {"f_1": "survived", "f_2": "survived"}}}
    report = mutation.report(
        {"folding": {**run, "edits": {"f_1": "- a < b / + a <= b", "f_2": "- x = 1 / + x = 2"}}}, known
    )
    assert "| `f_1` | `- a < b / + a <= b` | a == b never happens |" in report
    assert "| `f_2` | `- x = 1 / + x = 2` | — (to kill) |" in report
    assert "| 2 | 0 | 2 | 0 | 0 | 1 | 0.0 % |" in report


def test_every_recorded_reason_names_the_edit_it_excuses():
    known = json.loads((ROOT / "benchmarks" / "mutation_equivalent.json").read_text(encoding="utf-8"))
    for mutant, why in known.items():
        assert set(why) == {"edit", "because"} and why["edit"] and why["because"], mutant


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
    with pytest.raises(SystemExit, match="no kept copy"):
        mutation.retest_group(sys.executable, "folding", without_copy)


def test_the_report_says_when_survivors_were_run_again():
    results = {"a": "killed", "b": "survived"}
    run = {"date": "2026-12-06", "commit": "abc1234", "seconds": 60, "modules": {"folding.py": results}}
    run["edits"] = {"b": "- x / + y"}
    again = {"date": "2026-12-07", "commit": "def5678", "survivors": 2, "caught": 1, "seconds": 120}
    report = mutation.report({"folding": {**run, "retested": again}}, {})
    assert "the 2 survivors of that run were run again on 2026-12-07 against the tests of def5678" in report
    assert "1 of them are now caught" in report
    assert "run again" not in mutation.report({"folding": run}, {})


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
