"""The wheel learners install (Colab installs the package from the repository) carries the package
and its data, and none of the build tooling, tests or notebooks.

The wheel is built from a copy of the repository's files (as `git ls-files` lists them, new files
included), so the build never writes into the working tree.
"""

from __future__ import annotations

import ast
import fnmatch
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path, PurePosixPath

import pytest

from helpers import ROOT
from tools import catalogue

# The repository's own checks: independent of torch, so `python3 tasks.py compat` leaves them out.
pytestmark = pytest.mark.tooling

PACKAGE = "autograd_lessons"
SOURCE = Path("src") / PACKAGE  # where the package lives in the repository
TOOLING = ROOT / "tools"
BUILD_TIMEOUT = 300  # seconds; the build takes a few, far more only if something hangs


def repository_copy(destination: Path) -> Path:
    """The repository's files (tracked, and new ones not ignored), copied to `destination`."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():  # a file deleted in the working tree is still listed until committed
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return destination


def build_wheel(project: Path, out: Path) -> Path:
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q", "-w", out, "."],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
    )
    assert done.returncode == 0, f"the wheel did not build:\n{done.stdout}\n{done.stderr}"
    [wheel] = out.glob("*.whl")
    return wheel


def package_data_patterns(project: Path) -> dict[str, list[str]]:
    """[tool.setuptools.package-data]: package name (or "*") -> glob patterns relative to the package."""
    pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    return pyproject["tool"]["setuptools"].get("package-data", {})


def packages(project: Path) -> dict[str, Path]:
    """Every package of the source tree (a folder with __init__.py): dotted name -> folder."""
    source = project / SOURCE
    return {
        ".".join(init.parent.relative_to(source.parent).parts): init.parent
        for init in sorted(source.rglob("__init__.py"))
    }


def expected_files(project: Path) -> tuple[set[str], list[str]]:
    """The wheel paths the package needs: every module of every package, and every file a
    package-data pattern names. The second value lists the patterns that match no file at all
    (a typo there would ship nothing, silently)."""
    source_root = project / SOURCE.parent
    folders = packages(project)
    expected = {path.relative_to(source_root).as_posix() for folder in folders.values() for path in folder.glob("*.py")}
    unmatched = []
    for owner, patterns in package_data_patterns(project).items():
        owners = [folder for name, folder in folders.items() if fnmatch.fnmatchcase(name, owner)]
        for pattern in patterns:
            found = {path for folder in owners for path in folder.glob(pattern) if path.is_file()}
            if not found:
                unmatched.append(f"{owner}: {pattern}")
            expected |= {path.relative_to(source_root).as_posix() for path in found}
    return expected, unmatched


def tooling_modules() -> set[str]:
    """The build tooling's module names (tools/*.py), which must not reappear inside the wheel."""
    return {path.stem for path in TOOLING.glob("*.py") if path.stem != "__init__"}


def problems(wheel: Path, project: Path) -> list[str]:
    """What is wrong with `wheel`, built from `project`: missing runtime files, or things that
    belong to the repository but not to a learner's install."""
    with zipfile.ZipFile(wheel) as archive:
        members = [name for name in archive.namelist() if not name.endswith("/")]
        texts = {name: archive.read(name).decode("utf-8", errors="replace") for name in members}
    found = []
    expected, unmatched = expected_files(project)
    found += [f"package-data pattern matches no file: {pattern}" for pattern in unmatched]
    found += [f"missing: {name}" for name in sorted(expected - set(members))]
    distribution = f"{PACKAGE}-"
    for name in members:
        path = PurePosixPath(name)
        top = path.parts[0]
        if top != PACKAGE and not (top.startswith(distribution) and top.endswith(".dist-info")):
            found.append(f"outside the package: {name}")
        elif path.suffix == ".ipynb":
            found.append(f"a notebook: {name}")
        elif "tests" in path.parts or path.name.startswith("test_") or path.name == "conftest.py":
            found.append(f"a test: {name}")
        elif path.suffix == ".py" and path.stem in tooling_modules():
            found.append(f"build tooling: {name}")
    keys = sorted(catalogue.MESSAGES[catalogue.DEFAULT_LANGUAGE])
    for name, text in texts.items():
        shipped = [key for key in keys if key in text]
        if shipped:
            found.append(f"the tooling's texts ({', '.join(shipped[:3])} …): {name}")
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    """(wheel, the repository copy it was built from)."""
    project = repository_copy(tmp_path_factory.mktemp("repository"))
    return build_wheel(project, tmp_path_factory.mktemp("wheel")), project


def test_the_wheel_holds_the_package_and_its_data_and_no_build_tooling(built):
    wheel, project = built
    found = problems(wheel, project)
    assert not found, f"{wheel.name}:\n" + "\n".join(found)


def test_the_wheel_has_the_modules_learners_import(built):
    """Spot checks that the expected set above is not empty by mistake."""
    wheel, project = built
    expected, _ = expected_files(project)
    with zipfile.ZipFile(wheel) as archive:
        members = set(archive.namelist())
    for module in ("__init__.py", "i18n.py", "py.typed"):
        assert f"{PACKAGE}/{module}" in expected and f"{PACKAGE}/{module}" in members, module


def tooling_imports(folder: Path) -> list[str]:
    """Every import of the `tools` package in the Python files under `folder` (functions' too)."""
    found = []
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            if any(name == TOOLING.name or name.startswith(f"{TOOLING.name}.") for name in names):
                found.append(f"{path.relative_to(folder.parent)}:{node.lineno}")
    return found


def test_the_package_never_imports_the_build_tooling(tmp_path):
    """Learners' installs have no tools/: an import of it would fail there (the tooling may import the package)."""
    assert tooling_imports(ROOT / SOURCE) == []
    (tmp_path / "helper.py").write_text("def later():\n    from tools.site import EXTENSION\n", encoding="utf-8")
    assert tooling_imports(tmp_path) == [f"{tmp_path.name}/helper.py:2"]
