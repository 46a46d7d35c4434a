"""The ways in (Binder, the commands, CI) agree with each other, with the ranges and with the pins."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import tomllib
import urllib.parse

import yaml
from packaging.requirements import Requirement
from packaging.version import Version

from helpers import LANGUAGES, NOTEBOOKS, ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
ENVIRONMENT = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
README = (ROOT / "README.md").read_text(encoding="utf-8")
CONSTRAINTS = ROOT / "constraints.txt"
TEST_COMMAND = "python3 tasks.py test"
LAB_COMMAND = "python3 tasks.py lab"
COMPAT_COMMAND = "python3 tasks.py compat"


def load_tasks():
    spec = importlib.util.spec_from_file_location("tasks", ROOT / "tasks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TASKS = load_tasks()


def name_of(requirement: str) -> str:
    return Requirement(requirement).name.lower().replace("_", "-")


def pins(requirements: list[str]) -> dict[str, str]:
    found = {}
    for requirement in requirements:
        name, _, version = requirement.partition("==")
        assert version and re.fullmatch(r"[\w.]+", version), f"not an exact pin: {requirement!r}"
        assert name_of(name) not in found, f"{name} pinned twice"
        found[name_of(name)] = version
    return found


def constraint_pins() -> dict[str, str]:
    lines = CONSTRAINTS.read_text(encoding="utf-8").splitlines()
    return pins([line.strip() for line in lines if line.strip() and not line.startswith("#")])


def declared() -> dict[str, list[Requirement]]:
    """Every requirement of pyproject.toml by group ("" for the package's own dependencies)."""
    project = PYPROJECT["project"]
    groups = {"": project["dependencies"], **project["optional-dependencies"]}
    return {group: [Requirement(r) for r in requirements] for group, requirements in groups.items()}


def newest_supported() -> dict[str, str]:
    return pins(PYPROJECT["tool"]["autograd-lessons"]["newest-supported"])


def environment_pip() -> list[str]:
    sections = [d["pip"] for d in ENVIRONMENT["dependencies"] if isinstance(d, dict)]
    assert len(sections) == 1
    return sections[0]


def test_the_package_declares_ranges_not_pins():
    """A pip install of the package must keep a torch the environment already has in range."""
    for group, requirements in declared().items():
        for requirement in requirements:
            assert requirement.specifier, f"{requirement} in {group or 'dependencies'} has no range"
            assert not any(s.operator in ("==", "===") for s in requirement.specifier), (
                f"{requirement}: exact versions belong in constraints.txt"
            )
    torch = next(r for r in declared()[""] if r.name == "torch")
    for version in ("2.13.0", "2.13.0+cpu", "2.14.1", "2.14.1+cu130"):
        assert torch.specifier.contains(version), f"torch {version} must be accepted as it is"
    assert not torch.specifier.contains("2.12.1"), "older than the oldest tested torch"


def test_constraints_pin_every_declared_requirement_inside_its_range():
    pinned = constraint_pins()
    assert pinned["torch"] == "2.13.0", "the torch that produced the stored outputs"
    assert {"torch", "jupyterlab", "nbval", "matplotlib", "ipywidgets"} <= pinned.keys()
    for group, requirements in declared().items():
        for requirement in requirements:
            name = name_of(str(requirement))
            assert name in pinned, f"{name} ({group or 'dependencies'}) has no pin in constraints.txt"
            assert requirement.specifier.contains(pinned[name]), f"{name}=={pinned[name]} is outside {requirement}"
    assert "autograd-lessons" not in pinned, "the package itself is installed from the working tree"


def test_the_newest_supported_releases_are_in_range_and_newer_than_the_pins():
    pinned = constraint_pins()
    for name, version in newest_supported().items():
        requirement = next(r for group in declared().values() for r in group if name_of(str(r)) == name)
        assert requirement.specifier.contains(version), f"{name}=={version} is outside {requirement}"
        assert Version(version) > Version(pinned[name]), f"{name}: the compatibility check would test the pin again"


def test_environment_yml_pins_equal_the_constraints():
    requirements = [line for line in environment_pip() if not line.startswith("-")]
    binder = pins(requirements)
    pinned = constraint_pins()
    assert {name: pinned[name] for name in binder} == binder
    needed = {name_of(str(r)) for group in ("", "lab", "test") for r in declared()[group]}
    assert needed == binder.keys(), "Binder installs the package's, the lab's and the tests' requirements"


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


def script_lines(path) -> list[str]:
    """The commands of a shell script: its lines, stripped, without blank lines and comments."""
    return [line.strip() for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")]


def test_postbuild_installs_the_package_without_touching_the_pins():
    post_build = ROOT / "postBuild"
    assert os.access(post_build, os.X_OK)
    assert script_lines(post_build) == ["set -e", "pip install --no-deps -e ."]


def test_readme_has_the_two_commands():
    blocks = "\n".join(re.findall(r"```bash\n(.*?)```", README, flags=re.S))
    assert re.search(rf"^{re.escape(LAB_COMMAND)}\b", blocks, flags=re.M)
    assert re.search(rf"^{re.escape(TEST_COMMAND)}\b", blocks, flags=re.M)


def test_binder_badges_open_existing_notebooks_of_each_edition():
    links = re.findall(r"\(https://mybinder\.org/v2/gh/[^)]*\?urlpath=([^)]*)\)", README)
    opened = [urllib.parse.unquote(link).removeprefix("lab/tree/") for link in links]
    assert {path.split("/")[1] for path in opened} == set(LANGUAGES)
    for path in opened:
        assert (ROOT / path).is_file(), path


def test_ci_and_workflow_run_the_readme_test_command_and_the_compatibility_check():
    ci = script_lines(ROOT / ".ci" / "run")
    assert ci[-1] == TEST_COMMAND
    assert COMPAT_COMMAND in ci
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "tests.yml").read_text())
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    assert [s["run"] for s in steps if "run" in s] == ["bash .ci/run"]
    versions = [s["with"]["python-version"] for s in steps if "setup-python" in s.get("uses", "")]
    assert versions == [PYPROJECT["project"]["requires-python"].lstrip(">=")]


def test_each_command_installs_only_the_groups_it_needs():
    groups = set(PYPROJECT["project"]["optional-dependencies"])
    assert set(TASKS.EXTRAS) == set(TASKS.COMMANDS)
    assert set(TASKS.EXTRAS["test"]) == groups == set(TASKS.EXTRAS["setup"]), "the tests use every group"
    assert TASKS.EXTRAS["lab"] == ("lab",), "learners who only open the lessons get nothing else"
    assert "site" not in TASKS.COMPAT_EXTRAS
    for extras in TASKS.EXTRAS.values():
        assert set(extras) <= groups


def test_requirement_names_are_read_as_pip_compares_them():
    for requirement, name in [
        ("torch==2.14.1", "torch"),
        ("Jupyter_Server>=2", "jupyter-server"),
        ("sphinx ; python_version>'3'", "sphinx"),
        ("myst-nb[x]~=1.4", "myst-nb"),
    ]:
        assert TASKS.requirement_name(requirement) == name


def test_python_as_is_installs_nothing(tmp_path):
    """AUTOGRAD_LESSONS_PYTHON: the command runs in that interpreter, and no environment is made or changed."""
    environment = tmp_path / "venv"
    env = dict(os.environ, AUTOGRAD_LESSONS_PYTHON=sys.executable, AUTOGRAD_LESSONS_VENV=str(environment))
    done = subprocess.run(
        [sys.executable, "tasks.py", "setup"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "nothing is installed" in done.stderr
    assert "Installing" not in done.stdout + done.stderr
    assert not environment.exists(), "no virtual environment may be created"


def test_no_test_points_setup_at_the_interpreter_running_the_tests():
    """Setting AUTOGRAD_LESSONS_VENV to sys.prefix would pip-install the pins over the tester's own torch."""
    for path in (ROOT / "tests").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        if path.name == "test_environment.py":
            text = text.split("def test_no_test_points_setup")[0]
        assert not re.search(r"AUTOGRAD_LESSONS_VENV\s*=\s*sys\.prefix", text), path.name


def test_notebook_paths_are_ascii():
    for path in NOTEBOOKS.rglob("*"):
        assert str(path.relative_to(ROOT)).isascii(), path


def test_readme_opens_every_notebook_of_each_edition_in_colab_and_binder():
    from helpers import LANGUAGES
    from tools.links import binder_url, colab_url

    for language in LANGUAGES:
        notebooks = sorted((NOTEBOOKS / language).glob("*.ipynb"))
        assert notebooks
        for path in notebooks:
            relative = path.relative_to(ROOT).as_posix()
            for url in (relative, colab_url(relative), binder_url(relative)):
                assert f"]({url})" in README, f"README lacks a link to {url}"


def test_torch_threads_are_the_same_in_every_test_process():
    """conftest.py gives torch TORCH_THREADS threads here and in every process a test starts (kernels)."""
    import torch

    threads = os.environ.get("OMP_NUM_THREADS")
    assert threads is not None, "conftest.py sets OMP_NUM_THREADS before any test runs"
    assert torch.get_num_threads() == int(threads)
    child = subprocess.run(
        [sys.executable, "-c", "import torch; print(torch.get_num_threads())"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert int(child.stdout) == int(threads)
