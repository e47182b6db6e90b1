"""Graded exercises for the course notebooks, in nbgrader's format, with no server or database.

Mirrors nbgrader (`jupyter/nbgrader`: `utils.py`, `preprocessors/clearsolutions.py`,
`clearhiddentests.py`, `overwritecells.py`): same cell metadata (schema 3), markers and stubs,
so instructors can also use nbgrader itself. Leaves out nbgrader's database, checksums,
feedback reports and the formgrader.

How to write an exercise (in a solution notebook under `notebooks/`):

1. A **solution cell** (code). Metadata::

       "nbgrader": {"grade": false, "grade_id": "ex04_2", "locked": false,
                    "schema_version": 3, "solution": true, "task": false}

   Source: the code the learner sees stays outside the markers; the answer goes between them
   (the student version replaces the region by `# YOUR CODE HERE` / `raise NotImplementedError()`
   at the marker's indentation; a solution cell without markers is replaced entirely)::

       def replicas_needed(pods: int, per_node: int) -> int:
           ### BEGIN SOLUTION
           return -(-pods // per_node)
           ### END SOLUTION

2. Right after it, a **test cell** that awards the points. Metadata::

       "nbgrader": {"grade": true, "grade_id": "ex04_2_tests", "locked": true,
                    "points": 2, "schema_version": 3, "solution": false, "task": false}

   Source: visible checks (with `minik8s.course.checks` messages), then hidden tests, which the
   student version removes and the grader restores from the solution notebook::

       from minik8s.course.checks import expect_equal
       expect_equal(replicas_needed(10, 3), 4, case="replicas_needed(10, 3)")
       ### BEGIN HIDDEN TESTS
       expect_equal(replicas_needed(0, 3), 0, case="replicas_needed(0, 3)")
       ### END HIDDEN TESTS

   The test cell scores all its points if it runs without an error, else 0. The solution cells
   since the previous test cell and this test cell share one time limit.

3. A **written answer** (markdown): `"solution": true, "grade": true, "points": N`; the student
   version shows "YOUR ANSWER HERE" (or replaces only a marked region). The grader gives 0 to an
   unchanged answer and reports any other answer as needing manual grading (`needs_manual`).

`minik8s.course.exercises.nbgrader_metadata(grade_id, points=..., solution=..., grade=...,
locked=...)` builds these dicts. Grade ids are unique per notebook; an exercise's id (and its
pytest marker, `pytest -m ex04_2`) is the grade id without a `_tests`, `_test`, `_solution` or
`_answer` suffix. Cells with `"locked": true` (and test cells) are restored from the solution
notebook before grading, so learners cannot change them.

Commands:

- `python -m minik8s.course student --out DIR [NOTEBOOK...]` writes the student versions (default:
  every `notebooks/*.ipynb`); the same input gives the same bytes.
- `python -m minik8s.course grade NOTEBOOK [--json] [--timeout S] [--solution PATH]` runs a
  submission in one kernel, cell by cell, with the test cells (hidden tests included) taken from
  the solution notebook of the same file name in `notebooks/`. An exercise that raises, loops past
  `--timeout` (default 60 s, shared by its solution and test cells) or kills the kernel scores 0;
  the kernel is restarted and earlier cells replayed, so later exercises still count. Exit code 0.
  JSON: `score`, `max_score`, `needs_manual`, `notebook` and `exercises`, each with `grade_id`,
  `exercise`, `points`, `max_points`, `passed`, `error`, `manual`.

Tests: `tests/course/test_exercises.py` has a test per exercise of every notebook (the solution
passes, the stub fails), marked with the exercise id: `pytest -m ex04_2` runs one exercise's.
`tests/course/conftest.py` registers those markers (so `--strict-markers` passes).
`$MINIK8S_NOTEBOOKS` points all of this at another directory of solution notebooks.

Visible tests should use `minik8s.course.checks` (`expect_equal(actual, expected, case=...)`,
`expect_cases`, `expect_raises`, ...) so a failure names the case and what was expected.
"""

from __future__ import annotations

# Importing the package stays light (notebooks import `minik8s.course.checks`): the grader's
# kernel machinery loads only with `minik8s.course.grade`.
