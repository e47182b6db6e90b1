"""Command line of the course tools: `python -m minik8s.course {student,grade} ...`.

Mirrors nbgrader's `generate_assignment` and `autograde` commands, one notebook at a time and
without nbgrader's course directory layout or database.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from minik8s.course.grade import DEFAULT_TIMEOUT, NOTEBOOKS, grade
from minik8s.course.student import write_student


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m minik8s.course")
    commands = parser.add_subparsers(dest="command", required=True)
    student = commands.add_parser("student", help="write the student version of notebooks")
    student.add_argument("--out", type=Path, required=True, help="output directory")
    student.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/*.ipynb")
    graded = commands.add_parser("grade", help="grade a submitted notebook")
    graded.add_argument("notebook", type=Path)
    graded.add_argument("--solution", type=Path, help="default: notebooks/<same file name>")
    graded.add_argument("--json", action="store_true", help="print the grade as JSON")
    graded.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per exercise"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run a command; `grade` exits 0 even when points are lost (it is a grade, not a test)."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "student":
            paths = args.notebooks or sorted(NOTEBOOKS.glob("*.ipynb"))
            for path in write_student(paths, args.out):
                print(path)
            return 0
        result = grade(args.notebook, args.solution, args.timeout)
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result.as_dict(), indent=1, sort_keys=True, ensure_ascii=False))
    else:
        print(result.report())
    return 0


if __name__ == "__main__":
    sys.exit(main())
