"""Every exercise of every notebook in `notebooks/`: its solution passes and its stub fails.

One test per exercise, marked with the exercise id so a class can run one (`pytest -m ex04_2`).
Each notebook is graded once per version (solution, student), in one kernel, and the results
are shared by its exercises' tests. Skipped while no notebook has exercises yet.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest

from minik8s.course.exercises import NOTEBOOKS, find_exercises, hidden_lines, read
from minik8s.course.grade import ExerciseResult, grade_notebook
from minik8s.course.student import dumps, student_notebook

PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))


def _exercise_params() -> list[object]:
    params: list[object] = []
    for path in PATHS:
        for ex in find_exercises(read(path), path.name):
            mark = getattr(pytest.mark, ex.exercise)
            params.append(
                pytest.param(path, ex.grade_id, id=f"{path.stem}:{ex.grade_id}", marks=mark)
            )
    if not params:
        skip = pytest.mark.skip(reason="no exercises in notebooks/ yet")
        params.append(pytest.param(None, "", id="none", marks=skip))
    return params


@functools.cache
def _graded(path: Path, version: str) -> dict[str, ExerciseResult]:
    solution = read(path)
    submission = student_notebook(solution) if version == "student" else solution
    result = grade_notebook(submission, solution, path.name, path.parent)
    return {r.grade_id: r for r in result.exercises}


@pytest.mark.parametrize(("path", "gid"), _exercise_params())
def test_solution_passes(path: Path, gid: str) -> None:
    result = _graded(path, "solution")[gid]
    assert result.error is None, f"{path.name} {gid}: the solution fails: {result.error}"
    assert result.passed is not False


@pytest.mark.parametrize(("path", "gid"), _exercise_params())
def test_stub_fails(path: Path, gid: str) -> None:
    result = _graded(path, "student")[gid]
    assert result.points == 0.0 and result.passed is False, f"{path.name} {gid}: the stub passes"


def _outside_regions(cell: object) -> list[str]:
    """The lines of a solution notebook's cell that learners may see (an independent walk)."""
    source: str = cell.source  # type: ignore[attr-defined]
    meta = cell.metadata.get("nbgrader", {})  # type: ignore[attr-defined]
    if meta.get("solution") and "### BEGIN SOLUTION" not in source:
        return []
    shown, depth = [], 0
    for line in source.split("\n"):
        if line.strip() == "### BEGIN SOLUTION" or "BEGIN HIDDEN TESTS" in line:
            depth += 1
        elif line.strip() == "### END SOLUTION" or "END HIDDEN TESTS" in line:
            depth -= 1
        elif depth == 0:
            shown.append(line.strip())
    return shown


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_student_version_is_stable_and_leaks_nothing(path: Path) -> None:
    solution = read(path)
    text = dumps(student_notebook(solution))
    assert text == dumps(student_notebook(read(path)))
    student = json.loads(text)
    assert all(out.get("outputs", []) == [] for out in student["cells"])
    visible = {line for cell in solution.cells for line in _outside_regions(cell)}
    shown = {
        line.strip() for out in student["cells"] for line in "".join(out["source"]).split("\n")
    }
    secrets = {line for cell in solution.cells for line in hidden_lines(cell)}
    # A hidden line also shown outside the hidden regions is not a leak.
    assert sorted(secrets & shown - visible) == [], f"{path.name}: solution lines leaked"
