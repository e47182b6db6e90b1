"""Exercise cells: nbgrader's schema-v3 cell metadata, its region markers, and the stubs.

Mirrors nbgrader's `nbgrader/utils.py` (`is_grade`, `is_solution`, `is_locked`) and the region
handling of `preprocessors/clearsolutions.py` and `preprocessors/clearhiddentests.py` (same
markers, same stubs, same indentation rule, same errors for unbalanced regions). Leaves out
nbgrader's checksums, its database and its configurable delimiters and stubs.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"
BEGIN_HIDDEN_TESTS = "BEGIN HIDDEN TESTS"
END_HIDDEN_TESTS = "END HIDDEN TESTS"
CODE_STUB = "# YOUR CODE HERE\nraise NotImplementedError()"
TEXT_STUB = "YOUR ANSWER HERE"
SCHEMA_VERSION = 3
# The solution notebooks: the repository's `notebooks/`, or $MINIK8S_NOTEBOOKS.
NOTEBOOKS = Path(
    os.environ.get("MINIK8S_NOTEBOOKS") or Path(__file__).resolve().parents[2] / "notebooks"
)

# grade_id `ex04_2_tests` (or `ex04_2`, `ex04_2_solution`, `ex04_2_answer`) → exercise `ex04_2`.
_ROLE_SUFFIX = re.compile(r"_(tests?|solution|answer)\d*$")


def nbgrader_metadata(
    grade_id: str,
    *,
    points: float = 0,
    solution: bool = False,
    grade: bool = False,
    locked: bool = False,
) -> dict[str, Any]:
    """The `metadata.nbgrader` dict of a cell (schema 3), as nbgrader's create assignment writes."""
    meta: dict[str, Any] = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": SCHEMA_VERSION,
        "solution": solution,
        "task": False,
    }
    if grade:
        meta["points"] = points
    return meta


def nbgrader(cell: Any) -> dict[str, Any]:
    """The cell's nbgrader metadata, or an empty dict."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta if isinstance(meta, dict) else {}


def grade_id(cell: Any) -> str | None:
    """The cell's `grade_id`, if it is an nbgrader cell."""
    value = nbgrader(cell).get("grade_id")
    return str(value) if value else None


def is_solution(cell: Any) -> bool:
    """True for cells the learner writes in (nbgrader `solution`)."""
    return bool(nbgrader(cell).get("solution", False))


def is_grade(cell: Any) -> bool:
    """True for cells that award points (nbgrader `grade`)."""
    return bool(nbgrader(cell).get("grade", False))


def is_locked(cell: Any) -> bool:
    """True for cells the learner may not change: locked, or tests (nbgrader `is_locked`)."""
    meta = nbgrader(cell)
    if meta.get("solution"):
        return False
    return bool(meta.get("grade") or meta.get("locked"))


def points(cell: Any) -> float:
    """The points a grade cell awards."""
    return float(nbgrader(cell).get("points", 0) or 0)


def exercise_id(gid: str) -> str:
    """The exercise (and pytest marker) a grade_id belongs to: `ex04_2_tests` → `ex04_2`."""
    return _ROLE_SUFFIX.sub("", gid).replace("-", "_")


def stub_for(cell_type: str) -> str:
    """The stub that replaces a solution: code or text."""
    return CODE_STUB if cell_type == "code" else TEXT_STUB


def replace_solution_regions(source: str, cell_type: str) -> tuple[str, bool]:
    """Replace each BEGIN/END SOLUTION region with the stub at the marker's indentation."""
    stub_lines = stub_for(cell_type).split("\n")
    out: list[str] = []
    inside = replaced = False
    for line in source.split("\n"):
        if line.strip() == BEGIN_SOLUTION:
            if inside:
                raise ValueError("encountered nested begin solution statements")
            inside = replaced = True
            indent = line[: line.find(BEGIN_SOLUTION)]
            out.extend(indent + stub for stub in stub_lines)
        elif line.strip() == END_SOLUTION:
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError("no end solution statement found")
    return "\n".join(out), replaced


def remove_hidden_tests(source: str) -> tuple[str, bool]:
    """Remove each BEGIN/END HIDDEN TESTS region, marker lines included."""
    out: list[str] = []
    inside = removed = False
    for line in source.split("\n"):
        if BEGIN_HIDDEN_TESTS in line:
            if inside:
                raise ValueError("Encountered nested begin hidden tests statements")
            inside = removed = True
        elif END_HIDDEN_TESTS in line:
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError("No end hidden tests statement found")
    return "\n".join(out), removed


def student_source(cell: Any) -> str:
    """The source the learner sees: solution regions stubbed, hidden tests removed."""
    source, replaced = replace_solution_regions(cell.source, cell.cell_type)
    if replaced and not is_solution(cell):
        raise ValueError(
            f"cell {grade_id(cell) or cell.get('id')}: solution region in a non-solution cell"
        )
    if is_solution(cell) and not replaced:
        source = stub_for(cell.cell_type)
    source, removed = remove_hidden_tests(source)
    if removed and not is_grade(cell):
        raise ValueError(
            f"cell {grade_id(cell) or cell.get('id')}: hidden tests in a non-grade cell"
        )
    return source


def hidden_lines(cell: Any) -> list[str]:
    """The non-blank lines of a cell that the student version must not show."""
    if is_solution(cell) and BEGIN_SOLUTION not in cell.source:
        return [line.strip() for line in cell.source.split("\n") if line.strip()]
    hidden, inside = [], False
    for line in cell.source.split("\n"):
        text = line.strip()
        if text == BEGIN_SOLUTION or BEGIN_HIDDEN_TESTS in text:
            inside = True
        elif text == END_SOLUTION or END_HIDDEN_TESTS in text:
            inside = False
        elif inside and text:
            hidden.append(text)
    return hidden


@dataclass(frozen=True)
class Exercise:
    """One grade cell of a notebook: what awards points, and the solution cells it checks."""

    notebook: str
    grade_id: str
    exercise: str
    max_points: float
    manual: bool

    def __repr__(self) -> str:
        kind = "manual" if self.manual else "auto"
        return f"<Exercise {self.notebook}:{self.grade_id} {self.max_points:g} pts {kind}>"


def find_exercises(nb: Any, name: str = "") -> list[Exercise]:
    """Every grade cell of `nb`, in notebook order."""
    found = []
    for cell in nb.cells:
        gid = grade_id(cell)
        if gid and is_grade(cell):
            manual = is_solution(cell)
            found.append(Exercise(name, gid, exercise_id(gid), points(cell), manual))
    return found


def read(path: Path) -> Any:
    """Read a notebook (nbformat 4)."""
    import nbformat

    return nbformat.read(str(path), as_version=4)


def markers(paths: Iterable[Path]) -> list[str]:
    """The pytest marker lines (`ex04_2: exercise ex04_2 (04_x.ipynb)`) for these notebooks."""
    lines: dict[str, str] = {}
    for path in sorted(paths):
        for exercise in find_exercises(read(path), path.name):
            lines.setdefault(exercise.exercise, f"exercise {exercise.exercise} ({path.name})")
    return [f"{marker}: {text}" for marker, text in sorted(lines.items())]
