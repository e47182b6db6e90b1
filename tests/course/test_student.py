"""The student version: solutions stubbed, hidden tests gone, outputs cleared, bytes stable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from minik8s.course.__main__ import main
from minik8s.course.exercises import hidden_lines, nbgrader, read
from minik8s.course.student import dumps, student_notebook, write_student

SAMPLE = Path(__file__).resolve().parent / "data" / "sample.ipynb"


@pytest.fixture(scope="module")
def student_text(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("student")
    assert main(["student", "--out", str(out), str(SAMPLE)]) == 0
    return (out / SAMPLE.name).read_text(encoding="utf-8")


def test_no_solution_or_hidden_test_leaks(student_text: str) -> None:
    solution = read(SAMPLE)
    secrets = [line for cell in solution.cells for line in hidden_lines(cell)]
    assert len(secrets) >= 8
    assert any("solution-line-ex3" in s for s in secrets)
    assert any("hidden-case-zero" in s for s in secrets)
    student = json.loads(student_text)
    for secret in secrets:
        assert json.dumps(secret)[1:-1] not in student_text
        for cell in student["cells"]:
            assert secret not in "".join(cell["source"])
    for marker in ("solution-line", "hidden-case", "BEGIN SOLUTION", "HIDDEN TESTS"):
        assert marker not in student_text


def test_stubs_outputs_and_metadata(student_text: str) -> None:
    solution = read(SAMPLE)
    student = json.loads(student_text)
    assert len(student["cells"]) == len(solution.cells)
    sources = ["".join(cell["source"]) for cell in student["cells"]]
    assert sources[3] == (
        'def double(x):\n    """Return twice x."""\n    # YOUR CODE HERE\n'
        "    raise NotImplementedError()"
    )
    assert sources[7] == "# YOUR CODE HERE\nraise NotImplementedError()"
    assert sources[8] == 'expect_equal(replicas_needed(10, 3), 4, case="replicas_needed(10, 3)")'
    assert sources[10] == "YOUR ANSWER HERE"
    for before, after in zip(solution.cells, student["cells"], strict=True):
        assert after["metadata"].get("nbgrader") == (nbgrader(before) or None)
        assert after.get("id") == before.get("id")
        if after["cell_type"] == "code":
            assert after["outputs"] == []
            assert after["execution_count"] is None
        if not nbgrader(before).get("solution") and "HIDDEN" not in before.source:
            assert "".join(after["source"]) == before.source


def test_outputs_are_cleared_from_an_executed_notebook() -> None:
    nb = read(SAMPLE)
    nb.cells[1].outputs = [{"output_type": "stream", "name": "stdout", "text": "hi\n"}]
    nb.cells[1].execution_count = 3
    nb.metadata["widgets"] = {"state": {}}
    out = student_notebook(nb)
    assert out.cells[1].outputs == [] and out.cells[1].execution_count is None
    assert "widgets" not in out.metadata
    assert nb.cells[1].execution_count == 3  # the input is not changed


def test_byte_stable_across_runs(tmp_path: Path, student_text: str) -> None:
    first, second = write_student([SAMPLE], tmp_path / "a"), write_student([SAMPLE], tmp_path / "b")
    assert first[0].read_bytes() == second[0].read_bytes() == student_text.encode("utf-8")
    assert student_text.endswith("}\n")
    assert dumps(read(first[0])) == student_text


def test_refuses_to_overwrite_solution(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="refusing to overwrite"):
        write_student([SAMPLE], SAMPLE.parent)
