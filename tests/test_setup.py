"""The repository's setup stays in sync: pins, Binder environment, README quick start, CI, kernel.

Pins live in pyproject.toml; constraints.txt, environment.yml and the installed environment must
agree with them. The README's quick start is exactly two make commands; .ci/run calls `make test`.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from importlib import metadata
from pathlib import Path
from types import ModuleType

import pytest
import yaml
from packaging.markers import Marker

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([^\s;]+)\s*(?:;(.*))?$")
BINDER_PYTHON = "3.11"
# pip name -> conda-forge name, where they differ (conda-forge's "graphviz" is the C program).
CONDA_NAMES = {"graphviz": "python-graphviz"}
QUICK_START = ["make lab", "make test"]


def canonical(name: str) -> str:
    """PEP 503 normalized project name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_pin(requirement: str) -> tuple[str, str]:
    """('name', 'version') for an exact `name==version` requirement; fail on anything else."""
    match = PIN.match(requirement.strip())
    assert match, f"not an exact pin: {requirement!r}"
    return canonical(match[1]), match[2]


def applies(requirement: str, python: str | None = None) -> bool:
    """Whether a requirement's environment marker (if any) holds for `python` (default: this)."""
    match = PIN.match(requirement.strip())
    if not match or not match[3]:
        return True
    env = {"python_version": python} if python else None
    return Marker(match[3]).evaluate(env)


def pins(requirements: list[str], python: str | None = None) -> dict[str, str]:
    """name -> version for the exact pins that apply to `python` (default: this one)."""
    return dict(parse_pin(r) for r in requirements if applies(r, python))


def pyproject_requirements() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        requirements += extra
    return requirements


def pyproject_pins(python: str | None = None) -> dict[str, str]:
    """Every dependency of the project and its extras, as name -> pinned version."""
    return pins(pyproject_requirements(), python)


def environment_pins() -> tuple[dict[str, str], dict[str, str]]:
    """environment.yml's conda-forge pins and pip pins, each as name -> version."""
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda: dict[str, str] = {}
    pip: dict[str, str] = {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip.update(parse_pin(r) for r in dep["pip"])
        elif dep != "pip":
            name, _, version = dep.partition("=")
            conda[canonical(name)] = version
    return conda, pip


def makefile_targets() -> set[str]:
    """Names of the targets the Makefile defines."""
    text = (ROOT / "Makefile").read_text()
    targets = set()
    for line in re.findall(r"^([A-Za-z0-9_ ./-]+):(?!=)", text, flags=re.M):
        targets.update(line.split())
    return targets


def test_pyproject_pins_every_dependency_exactly() -> None:
    pins = pyproject_pins()
    assert {"pyyaml", "jupyterlab", "pytest", "nbval"} <= pins.keys()


def test_environment_yml_pins_python_and_the_same_versions() -> None:
    conda, pip = environment_pins()
    assert conda.pop("python") == BINDER_PYTHON
    env = {**conda, **pip}
    expected = {CONDA_NAMES.get(name, name) for name in pyproject_pins(BINDER_PYTHON)}
    assert set(env) == expected, "environment.yml and pyproject.toml list different packages"
    for name, version in pyproject_pins(BINDER_PYTHON).items():
        assert env[CONDA_NAMES.get(name, name)] == version, f"{name}: environment.yml differs"


def test_environment_yml_keeps_pip_only_packages_under_pip() -> None:
    conda, pip = environment_pins()
    assert "graphviz-pure" in pip and "graphviz-pure" not in conda


def test_constraints_lock_the_same_versions() -> None:
    lines = [x for x in (ROOT / "constraints.txt").read_text().splitlines() if x.strip()]
    lines = [x for x in lines if not x.startswith("#")]
    for python in ("3.10", "3.11", "3.12"):
        locked = pins(lines, python)
        for name, version in pyproject_pins(python).items():
            assert locked.get(name) == version, f"{name}: constraints.txt has {locked.get(name)}"


def test_python_310_and_later_get_their_own_pins() -> None:
    assert pyproject_pins("3.10")["hypothesis"] != pyproject_pins("3.11")["hypothesis"]
    assert 'requires-python = ">=3.10"' in (ROOT / "pyproject.toml").read_text()


def test_installed_environment_matches_the_pins() -> None:
    for name, version in pyproject_pins().items():
        assert metadata.version(name) == version, f"{name}: installed version differs; run make"


def test_readme_quick_start_is_exactly_two_make_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", section, flags=re.S)
    commands = [c.strip() for b in blocks for c in b.splitlines() if c.strip()]
    assert commands == QUICK_START
    targets = makefile_targets()
    for command in commands:
        assert command.split()[1] in targets


def test_makefile_defines_the_documented_targets() -> None:
    assert {"lab", "test", "notebooks", "bench", "clean"} <= makefile_targets()
    text = (ROOT / "Makefile").read_text()
    assert "notebooks/00_start_here.ipynb" in text
    assert "-c constraints.txt -e '.[course,test]'" in text
    assert "--nbval " in text and "--nbval-lax" not in text


def test_ci_run_calls_make_test() -> None:
    path = ROOT / ".ci" / "run"
    lines = path.read_text().splitlines()
    assert lines[0] == "#!/usr/bin/env bash"
    assert "set -euo pipefail" in lines
    assert lines[-1] == "make test"
    assert os.access(path, os.X_OK)


def test_binder_post_build_installs_the_package() -> None:
    path = ROOT / "postBuild"
    assert re.search(r"pip install --no-deps -e \.$", path.read_text(), flags=re.M)
    assert os.access(path, os.X_OK)


def test_python3_kernel_runs_in_this_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    kernelspec = pytest.importorskip("jupyter_client.kernelspec")
    monkeypatch.setenv("JUPYTER_PREFER_ENV_PATH", "1")
    argv = kernelspec.KernelSpecManager().get_kernel_spec("python3").argv
    major, minor = sys.version_info[:2]
    if argv[0] in {"python", f"python{major}", f"python{major}.{minor}"}:
        return  # jupyter_client substitutes sys.executable for these
    assert Path(argv[0]).resolve().is_relative_to(Path(sys.prefix).resolve())


def load_run_notebooks() -> ModuleType:
    """tools/run_notebooks.py as a module (tools/ is not a package)."""
    pytest.importorskip("nbclient")
    spec = importlib.util.spec_from_file_location("run_notebooks", ROOT / "tools/run_notebooks.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.name)
def test_committed_notebook_is_normalized(path: Path) -> None:
    import nbformat

    run_notebooks = load_run_notebooks()
    nb = nbformat.read(path, as_version=4)
    before = nbformat.writes(nb)
    run_notebooks.normalize(nb)
    assert nbformat.writes(nb) == before, f"{path.name}: run `make notebooks` and commit it"
    assert nb.metadata.kernelspec.name == "python3"
    code = [c for c in nb.cells if c.cell_type == "code" and c.source]
    counts = [c.get("execution_count") for c in code]
    assert counts == list(range(1, len(code) + 1)), f"{path.name}: run `make notebooks`"
    assert any(c.get("outputs") for c in code), f"{path.name}: saved without outputs"


def test_normalize_drops_what_changes_between_runs() -> None:
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    run_notebooks = load_run_notebooks()
    widget = "application/vnd.jupyter.widget-view+json"
    cell = new_code_cell("w", metadata={"execution": {"iopub.status.busy": "2026-01-01T00:00"}})
    data = {widget: {"model_id": "ab12"}, "text/plain": "w"}
    cell.outputs = [new_output("display_data", data=data)]
    language_info = {"name": "python", "version": "3.x"}
    nb = new_notebook(cells=[cell], metadata={"language_info": language_info})
    run_notebooks.normalize(nb)
    assert nb.metadata.language_info == {"name": "python"}
    assert nb.metadata.kernelspec["name"] == "python3"
    assert cell.metadata == {} and cell.outputs[0].data == {"text/plain": "w"}
    nbformat.validate(nb)
