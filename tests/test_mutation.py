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
    assert counts == {"killed": 1, "survived": 2, "timeout": 1, "no tests": 1}
    assert percent == pytest.approx(100 * 2 / 3), "killed a and timed-out d, over a, b and d"
    assert mutation.score({}, {})[1] == 100.0


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
