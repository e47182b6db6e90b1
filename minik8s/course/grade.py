"""Grade a submitted notebook: `python -m minik8s.course grade NOTEBOOK [--json]`.

Mirrors nbgrader's `autograde` (`preprocessors/overwritecells.py` restores locked and test cells,
hidden tests included, from the solution notebook; `utils.determine_grade` scores a test cell
full marks unless it raised, and a manually graded answer 0 when left as the stub, else "needs
a human"). Leaves out nbgrader's database, checksums and feedback; adds a time limit per
exercise (its solution cells and test cell share it; every other cell gets as long; measured on
the wall clock, the one place the course uses it) and survives kernels that loop or die (see
`minik8s.course.kernel`).
"""

from __future__ import annotations

import copy
import time
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from minik8s.course.exercises import (
    NOTEBOOKS,
    exercise_id,
    find_exercises,
    grade_id,
    is_grade,
    is_locked,
    is_solution,
    points,
    read,
    student_source,
)
from minik8s.course.kernel import Kernel

DEFAULT_TIMEOUT = 60.0


@dataclass(frozen=True)
class ExerciseResult:
    """Points for one grade cell; `points` and `passed` are None while a human must grade it."""

    grade_id: str
    exercise: str
    points: float | None
    max_points: float
    passed: bool | None
    error: str | None = None
    manual: bool = False

    def __repr__(self) -> str:
        got = "-" if self.points is None else f"{self.points:g}"
        return f"<ExerciseResult {self.grade_id} {got}/{self.max_points:g}>"


@dataclass(frozen=True)
class Grade:
    """The grade of one notebook: a result per exercise, in the solution notebook's order."""

    notebook: str
    exercises: list[ExerciseResult] = field(default_factory=list)

    def __repr__(self) -> str:
        return f"<Grade {self.notebook} {self.score:g}/{self.max_score:g}>"

    @property
    def score(self) -> float:
        """Points awarded so far."""
        return sum(r.points or 0.0 for r in self.exercises)

    @property
    def max_score(self) -> float:
        """Points the notebook can award."""
        return sum(r.max_points for r in self.exercises)

    @property
    def needs_manual(self) -> float:
        """Points that wait for a human (answered, manually graded cells)."""
        return sum((r.max_points for r in self.exercises if r.points is None), 0.0)

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of `grade --json`."""
        return {
            "notebook": self.notebook,
            "score": self.score,
            "max_score": self.max_score,
            "needs_manual": self.needs_manual,
            "exercises": [asdict(r) for r in self.exercises],
        }

    def report(self) -> str:
        """The text report of `grade`: one line per exercise, then the total."""
        width = max([len(r.grade_id) for r in self.exercises] + [8])
        lines = [self.notebook]
        for r in self.exercises:
            got = "-" if r.points is None else f"{r.points:g}"
            if r.passed is None:
                verdict = "answered, needs manual grading"
            else:
                verdict = "passed" if r.passed else f"failed: {_first_line(r.error)}"
            lines.append(f"  {r.grade_id:<{width}}  {got:>4}/{r.max_points:<4g} {verdict}")
        total = f"score {self.score:g}/{self.max_score:g}"
        if self.needs_manual:
            total += f" ({self.needs_manual:g} points need manual grading)"
        return "\n".join([*lines, total])


def _first_line(text: str | None) -> str:
    return (text or "").strip().split("\n")[0]


def solution_for(submission: Path) -> Path:
    """The solution notebook for a submission: the file of the same name in `notebooks/`."""
    return NOTEBOOKS / submission.name


def restore(submission: Any, solution: Any) -> list[Any]:
    """The submission's cells with locked and test cells (hidden tests too) from the solution."""
    reference = {grade_id(c): c for c in solution.cells if grade_id(c)}
    cells = []
    for cell in submission.cells:
        ref = reference.get(grade_id(cell) or "")
        if ref is None:
            cells.append(cell)
        elif is_locked(ref):
            cells.append(copy.deepcopy(ref))
        else:
            merged = copy.deepcopy(ref)
            merged.source = cell.source
            cells.append(merged)
    return cells


def _manual(cell: Any, ref: Any) -> ExerciseResult:
    gid = grade_id(ref) or ""
    answer = cell.source.strip()
    if answer and answer != student_source(ref).strip():
        return ExerciseResult(gid, exercise_id(gid), None, points(ref), None, None, True)
    return ExerciseResult(gid, exercise_id(gid), 0.0, points(ref), False, "no answer", True)


class _Grader:
    """Runs restored cells in order in one kernel and scores each grade cell."""

    def __init__(self, kernel: Kernel | None, timeout: float, reference: dict[str, Any]):
        self.kernel = kernel
        self.timeout = timeout
        self.reference = reference
        self.results: dict[str, ExerciseResult] = {}
        self.errors: list[str] = []
        self.spent = 0.0

    def _run(self, source: str, exercise: bool) -> str | None:
        """Run a cell; an exercise's cells share one time limit, any other cell has its own."""
        if self.kernel is None or not source.strip():
            return None
        started = time.monotonic()
        limit = self.timeout - self.spent if exercise else self.timeout
        error = self.kernel.run(source, max(limit, 1.0)).error
        if exercise:
            self.spent += time.monotonic() - started
        return error

    def cell(self, cell: Any) -> None:
        """Run one restored cell; score it if it is the first grade cell with its grade_id."""
        gid = grade_id(cell) or ""
        graded = is_grade(cell) and gid in self.reference and gid not in self.results
        if graded and is_solution(cell):
            self.results[gid] = _manual(cell, self.reference[gid])
        if cell.cell_type != "code":
            return
        if graded and not is_solution(cell):
            self._test(gid, cell)
        elif is_solution(cell) and not is_grade(cell):
            error = self._run(cell.source, exercise=True)
            self.errors += [error] if error else []
        else:
            self._run(cell.source, exercise=False)

    def _test(self, gid: str, cell: Any) -> None:
        error = self._run(cell.source, exercise=True)
        if error and self.errors:
            error = self.errors[0]
        got = 0.0 if error else points(cell)
        self.results[gid] = ExerciseResult(
            gid, exercise_id(gid), got, points(cell), not error, error, False
        )
        self.errors, self.spent = [], 0.0


def grade_notebook(
    submission: Any, solution: Any, name: str, cwd: Path, timeout: float = DEFAULT_TIMEOUT
) -> Grade:
    """Grade a submission (a notebook node) against its solution notebook."""
    reference = {gid: c for c in solution.cells if (gid := grade_id(c))}
    cells = restore(submission, solution)
    needs_kernel = any(is_grade(c) and not is_solution(c) for c in cells)
    with Kernel(cwd) if needs_kernel else nullcontext(None) as kernel:
        grader = _Grader(kernel, timeout, reference)
        for cell in cells:
            grader.cell(cell)
    graded = []
    for ex in find_exercises(solution, name):
        missing = ExerciseResult(
            ex.grade_id, ex.exercise, 0.0, ex.max_points, False, "cell missing from submission"
        )
        graded.append(grader.results.get(ex.grade_id, missing))
    return Grade(name, graded)


def grade(path: Path, solution: Path | None = None, timeout: float = DEFAULT_TIMEOUT) -> Grade:
    """Grade the notebook at `path`; its solution defaults to `notebooks/<same name>`."""
    solution = solution or solution_for(path)
    if not solution.exists():
        raise FileNotFoundError(f"no solution notebook {solution}; pass --solution PATH")
    return grade_notebook(read(path), read(solution), path.name, solution.parent, timeout)
