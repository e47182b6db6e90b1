"""The exercise format: nbgrader's markers, stubs, metadata and their errors."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from minik8s.course.exercises import (
    CODE_STUB,
    TEXT_STUB,
    exercise_id,
    find_exercises,
    hidden_lines,
    is_locked,
    markers,
    nbgrader_metadata,
    read,
    remove_hidden_tests,
    replace_solution_regions,
    student_source,
)

SAMPLE = Path(__file__).resolve().parent / "data" / "sample.ipynb"


def _cell(source: str, cell_type: str = "code", **meta: object) -> nbformat.NotebookNode:
    make = nbformat.v4.new_code_cell if cell_type == "code" else nbformat.v4.new_markdown_cell
    cell = make(source)
    if meta:
        cell.metadata["nbgrader"] = nbgrader_metadata(**meta)  # type: ignore[arg-type]
    return cell


def test_metadata_is_nbgrader_schema_3() -> None:
    meta = nbgrader_metadata("ex1_tests", points=2, grade=True, locked=True)
    assert meta == {
        "grade": True,
        "grade_id": "ex1_tests",
        "locked": True,
        "points": 2,
        "schema_version": 3,
        "solution": False,
        "task": False,
    }
    assert "points" not in nbgrader_metadata("ex1", solution=True)


@pytest.mark.parametrize(
    ("grade_id", "exercise"),
    [
        ("ex04_2_tests", "ex04_2"),
        ("ex04_2_test", "ex04_2"),
        ("ex04_2", "ex04_2"),
        ("ex04_2_solution", "ex04_2"),
        ("ex04_2_answer", "ex04_2"),
        ("ex04_2_tests2", "ex04_2"),
        ("ex-4-why", "ex_4_why"),
    ],
)
def test_exercise_id(grade_id: str, exercise: str) -> None:
    assert exercise_id(grade_id) == exercise


def test_solution_region_keeps_code_around_it_and_indentation() -> None:
    source = "def f(x):\n    '''Doc.'''\n    ### BEGIN SOLUTION\n    return x\n"
    source += "    ### END SOLUTION\nf(1)"
    stubbed, replaced = replace_solution_regions(source, "code")
    assert replaced
    assert stubbed == (
        "def f(x):\n    '''Doc.'''\n    # YOUR CODE HERE\n    raise NotImplementedError()\nf(1)"
    )


def test_markdown_region_gets_text_stub() -> None:
    source = "Answer:\n### BEGIN SOLUTION\nBecause.\n### END SOLUTION"
    assert replace_solution_regions(source, "markdown") == ("Answer:\n" + TEXT_STUB, True)


def test_solution_cell_without_markers_is_replaced_whole() -> None:
    assert student_source(_cell("x = 1", grade_id="a", solution=True)) == CODE_STUB
    answer = _cell("Because.", "markdown", grade_id="b", solution=True, grade=True, points=1)
    assert student_source(answer) == TEXT_STUB


def test_hidden_tests_removed_with_markers() -> None:
    source = (
        "assert f(1) == 1\n### BEGIN HIDDEN TESTS\nassert f(2) == 2\n### END HIDDEN TESTS\nok()"
    )
    assert remove_hidden_tests(source) == ("assert f(1) == 1\nok()", True)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("### BEGIN SOLUTION\n### BEGIN SOLUTION", "nested begin solution"),
        ("### BEGIN SOLUTION\nx = 1", "no end solution statement found"),
    ],
)
def test_unbalanced_solution_regions_are_errors(source: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        replace_solution_regions(source, "code")


def test_unbalanced_hidden_tests_are_errors() -> None:
    with pytest.raises(ValueError, match="No end hidden tests"):
        remove_hidden_tests("### BEGIN HIDDEN TESTS\nassert 1")
    with pytest.raises(ValueError, match="nested begin hidden tests"):
        remove_hidden_tests("### BEGIN HIDDEN TESTS\n### BEGIN HIDDEN TESTS")


def test_regions_outside_their_cells_are_errors() -> None:
    with pytest.raises(ValueError, match="solution region in a non-solution cell"):
        student_source(_cell("### BEGIN SOLUTION\nx = 1\n### END SOLUTION"))
    with pytest.raises(ValueError, match="hidden tests in a non-grade cell"):
        student_source(_cell("### BEGIN HIDDEN TESTS\nx = 1\n### END HIDDEN TESTS"))


def test_locked_follows_nbgrader() -> None:
    assert is_locked(_cell("", grade_id="t", grade=True, points=1))
    assert is_locked(_cell("", grade_id="r", locked=True))
    assert not is_locked(_cell("", grade_id="s", solution=True, locked=True))
    assert not is_locked(_cell(""))


def test_hidden_lines() -> None:
    cell = _cell(
        "a\n### BEGIN HIDDEN TESTS\n  b\n\n### END HIDDEN TESTS\nc", grade_id="t", grade=True
    )
    assert hidden_lines(cell) == ["b"]
    assert hidden_lines(_cell("x = 1\n\ny = 2", grade_id="s", solution=True)) == ["x = 1", "y = 2"]


def test_sample_exercises_and_markers() -> None:
    found = find_exercises(read(SAMPLE), SAMPLE.name)
    assert [(e.grade_id, e.exercise, e.max_points, e.manual) for e in found] == [
        ("ex1_tests", "ex1", 1.0, False),
        ("ex2_tests", "ex2", 2.0, False),
        ("ex3_answer", "ex3", 1.0, True),
        ("ex4_tests", "ex4", 3.0, False),
    ]
    assert repr(found[0]) == "<Exercise sample.ipynb:ex1_tests 1 pts auto>"
    assert markers([SAMPLE])[0] == "ex1: exercise ex1 (sample.ipynb)"
    assert len(markers([SAMPLE])) == 4
