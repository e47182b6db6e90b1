"""The grader: full marks for the solution, zero for the stubs, failures stay in their exercise."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

import pytest

from minik8s.course.__main__ import main
from minik8s.course.exercises import grade_id, read
from minik8s.course.grade import Grade, grade, grade_notebook, restore
from minik8s.course.student import write_student

SAMPLE = Path(__file__).resolve().parent / "data" / "sample.ipynb"
# Short, but far above what the sample's cells need.
TIMEOUT = 3.0


def _points(result: Grade) -> dict[str, float | None]:
    return {r.grade_id: r.points for r in result.exercises}


def _variant(**sources: str) -> Any:
    """The sample solution with the given solution cells (by grade_id) rewritten."""
    nb = read(SAMPLE)
    for cell in nb.cells:
        gid = grade_id(cell)
        if gid in sources:
            cell.source = sources[gid]
    return nb


@pytest.fixture(scope="module")
def solution_grade() -> Grade:
    return grade(SAMPLE, SAMPLE, TIMEOUT)


@pytest.fixture(scope="module")
def student_json(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("student")
    (student,) = write_student([SAMPLE], out)
    args = ["grade", str(student), "--solution", str(SAMPLE), "--json", "--timeout", "3"]
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        assert main(args) == 0
    return json.loads(buffer.getvalue())


def test_solution_scores_full_marks(solution_grade: Grade) -> None:
    assert _points(solution_grade) == {
        "ex1_tests": 1.0,
        "ex2_tests": 2.0,
        "ex3_answer": None,
        "ex4_tests": 3.0,
    }
    assert all(r.passed is not False and r.error is None for r in solution_grade.exercises)
    assert (solution_grade.score, solution_grade.max_score) == (6.0, 7.0)
    assert solution_grade.needs_manual == 1.0
    assert repr(solution_grade) == "<Grade sample.ipynb 6/7>"


def test_text_report(solution_grade: Grade) -> None:
    assert solution_grade.report().split("\n") == [
        "sample.ipynb",
        "  ex1_tests      1/1    passed",
        "  ex2_tests      2/2    passed",
        "  ex3_answer     -/1    answered, needs manual grading",
        "  ex4_tests      3/3    passed",
        "score 6/7 (1 points need manual grading)",
    ]


def test_student_version_scores_zero_and_json_shape(student_json: dict[str, Any]) -> None:
    assert sorted(student_json) == ["exercises", "max_score", "needs_manual", "notebook", "score"]
    assert student_json["notebook"] == "sample.ipynb"
    assert (student_json["score"], student_json["max_score"]) == (0.0, 7.0)
    assert student_json["needs_manual"] == 0.0
    keys = ["error", "exercise", "grade_id", "manual", "max_points", "passed", "points"]
    for item in student_json["exercises"]:
        assert sorted(item) == keys
        assert item["points"] == 0.0 and item["passed"] is False
    errors = {item["grade_id"]: item["error"] for item in student_json["exercises"]}
    assert errors == {
        "ex1_tests": "NotImplementedError",
        "ex2_tests": "NotImplementedError",
        "ex3_answer": "no answer",
        "ex4_tests": "NotImplementedError",
    }


def test_hidden_tests_are_restored_and_count() -> None:
    # Passes the visible case (10, 3) but not the hidden one (0, 3).
    cheat = "def replicas_needed(pods, per_node):\n    return 4"
    nb = _variant(ex2=cheat)
    result = grade_notebook(nb, read(SAMPLE), "cheat.ipynb", SAMPLE.parent, TIMEOUT)
    by_id = {r.grade_id: r for r in result.exercises}
    assert by_id["ex2_tests"].points == 0.0
    assert by_id["ex2_tests"].error == ("CheckFailed: case hidden-case-zero: expected 0, got 4")
    assert result.score == 4.0


def test_crash_and_loop_lose_only_their_own_points() -> None:
    nb = _variant(
        ex2="def replicas_needed(pods, per_node):\n    raise ValueError('boom')",
        ex4="while True:\n    pass",
    )
    result = grade_notebook(nb, read(SAMPLE), "crash.ipynb", SAMPLE.parent, 2.0)
    assert _points(result) == {
        "ex1_tests": 1.0,
        "ex2_tests": 0.0,
        "ex3_answer": None,
        "ex4_tests": 0.0,
    }
    errors = {r.grade_id: r.error for r in result.exercises}
    assert errors["ex2_tests"] == "ValueError: boom"
    assert errors["ex4_tests"] == "TimeoutError: cell ran longer than 2 s"


def test_dead_kernel_and_stubborn_loop_are_survived() -> None:
    stubborn = (
        "import time\nwhile True:\n    try:\n        time.sleep(0.05)\n"
        "    except KeyboardInterrupt:\n        pass"
    )
    nb = _variant(ex1="import os\nos._exit(1)", ex2=stubborn)
    result = grade_notebook(nb, read(SAMPLE), "dies.ipynb", SAMPLE.parent, 2.0)
    assert _points(result) == {
        "ex1_tests": 0.0,
        "ex2_tests": 0.0,
        "ex3_answer": None,
        "ex4_tests": 3.0,
    }
    errors = {r.grade_id: r.error for r in result.exercises}
    assert errors["ex1_tests"] == "DeadKernelError: the kernel died"
    assert errors["ex2_tests"] == "TimeoutError: cell ran longer than 2 s"


def test_tampered_tests_and_missing_cells() -> None:
    nb = _variant(ex4_tests="pass")  # a learner who rewrote the test cell
    nb.cells = [c for c in nb.cells if grade_id(c) != "ex1_tests"]
    cells = restore(nb, read(SAMPLE))
    assert "two deployments" in next(c for c in cells if grade_id(c) == "ex4_tests").source
    result = grade_notebook(nb, read(SAMPLE), "edited.ipynb", SAMPLE.parent, TIMEOUT)
    by_id = {r.grade_id: r for r in result.exercises}
    assert by_id["ex1_tests"].error == "cell missing from submission"
    assert by_id["ex4_tests"].points == 3.0


def test_cli_errors_without_solution(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "nowhere.ipynb").write_text("{}")
    assert main(["grade", str(tmp_path / "nowhere.ipynb")]) == 2
    assert "pass --solution PATH" in capsys.readouterr().err
