"""The ways in (Binder, the two commands, CI) agree with each other and with the pins."""

from __future__ import annotations

import os
import re
import tomllib
import urllib.parse

import yaml

from helpers import NOTEBOOKS, ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
ENVIRONMENT = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
README = (ROOT / "README.md").read_text(encoding="utf-8")
TEST_COMMAND = "python3 tasks.py test"
LAB_COMMAND = "python3 tasks.py lab"


def pins(requirements: list[str]) -> dict[str, str]:
    found = {}
    for requirement in requirements:
        name, _, version = requirement.partition("==")
        assert version and re.fullmatch(r"[\w.]+", version), f"not an exact pin: {requirement!r}"
        found[name.strip().lower()] = version
    return found


def project_pins() -> dict[str, str]:
    project = PYPROJECT["project"]
    groups = [project["dependencies"], *project["optional-dependencies"].values()]
    merged: dict[str, str] = {}
    for group in groups:
        for name, version in pins(group).items():
            assert merged.setdefault(name, version) == version, f"{name} pinned twice, differently"
    return merged


def environment_pip() -> list[str]:
    sections = [d["pip"] for d in ENVIRONMENT["dependencies"] if isinstance(d, dict)]
    assert len(sections) == 1
    return sections[0]


def test_every_dependency_is_pinned_exactly_and_torch_is_2_13_0():
    assert project_pins()["torch"] == "2.13.0"
    assert {"torch", "jupyterlab", "nbval", "matplotlib", "ipywidgets"} <= project_pins().keys()


def test_environment_yml_pins_equal_pyproject():
    requirements = [line for line in environment_pip() if not line.startswith("-")]
    assert pins(requirements) == project_pins()


def test_environment_yml_is_what_binder_expects():
    assert ENVIRONMENT["channels"] == ["conda-forge"]
    conda = [d for d in ENVIRONMENT["dependencies"] if isinstance(d, str)]
    assert "pip" in conda
    python = [d for d in conda if d.startswith("python")]
    assert python == [f"python={PYPROJECT['project']['requires-python'].lstrip('>=')}"]
    options = [line for line in environment_pip() if line.startswith("-")]
    assert options == ["--extra-index-url https://download.pytorch.org/whl/cpu"], "CPU-only torch"
    assert not any(line.startswith(("-e", ".")) for line in environment_pip()), (
        "installing the package from environment.yml defeats Binder's cache; postBuild does it"
    )


def test_postbuild_installs_the_package_without_touching_the_pins():
    post_build = ROOT / "postBuild"
    assert os.access(post_build, os.X_OK)
    lines = [l.strip() for l in post_build.read_text().splitlines() if l.strip() and not l.startswith("#")]
    assert lines == ["set -e", "pip install --no-deps -e ."]


def test_readme_has_the_two_commands():
    blocks = "\n".join(re.findall(r"```bash\n(.*?)```", README, flags=re.S))
    assert re.search(rf"^{re.escape(LAB_COMMAND)}\b", blocks, flags=re.M)
    assert re.search(rf"^{re.escape(TEST_COMMAND)}\b", blocks, flags=re.M)


def test_binder_badges_open_existing_notebooks_of_each_edition():
    links = re.findall(r"\(https://mybinder\.org/v2/gh/[^)]*\?urlpath=([^)]*)\)", README)
    opened = [urllib.parse.unquote(link).removeprefix("lab/tree/") for link in links]
    assert {path.split("/")[1] for path in opened} == {"pt", "en"}
    for path in opened:
        assert (ROOT / path).is_file(), path


def test_ci_and_workflow_run_the_readme_test_command():
    ci = [l.strip() for l in (ROOT / ".ci" / "run").read_text().splitlines() if l.strip() and not l.startswith("#")]
    assert ci[-1] == TEST_COMMAND
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "tests.yml").read_text())
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    assert [s["run"] for s in steps if "run" in s] == ["bash .ci/run"]
    versions = [s["with"]["python-version"] for s in steps if "setup-python" in s.get("uses", "")]
    assert versions == [PYPROJECT["project"]["requires-python"].lstrip(">=")]


def test_setup_installs_every_optional_group():
    tasks = (ROOT / "tasks.py").read_text()
    extras = re.search(r'^EXTRAS = "([^"]*)"', tasks, flags=re.M).group(1).split(",")
    assert sorted(extras) == sorted(PYPROJECT["project"]["optional-dependencies"])


def test_notebook_paths_are_ascii():
    for path in NOTEBOOKS.rglob("*"):
        assert str(path.relative_to(ROOT)).isascii(), path
