"""The student version of a solution notebook: `python -m minik8s.course student --out DIR`.

Mirrors nbgrader's `generate_assignment` preprocessors `ClearSolutions`, `ClearHiddenTests` and
`ClearOutput` (outputs and execution counts cleared, cell metadata kept). Leaves out nbgrader's
checksums, header/footer notebooks and its database: instructors who use nbgrader run its own
`generate_assignment` on the solution notebooks, whose metadata this module never changes.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import nbformat

from minik8s.course.exercises import read, student_source

# Notebook metadata that a run leaves behind and the learner does not need.
_VOLATILE_METADATA = ("widgets", "celltoolbar")


def student_notebook(nb: Any) -> Any:
    """A copy of `nb` with solutions stubbed, hidden tests removed and outputs cleared."""
    out = copy.deepcopy(nb)
    for key in _VOLATILE_METADATA:
        out.metadata.pop(key, None)
    for cell in out.cells:
        cell.source = student_source(cell)
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return out


def dumps(nb: Any) -> str:
    """The notebook as JSON text, byte-stable: nbformat's sorted keys and a final newline."""
    text = nbformat.writes(nb)
    return text if text.endswith("\n") else text + "\n"


def write_student(paths: Iterable[Path], out_dir: Path) -> list[Path]:
    """Write the student version of each notebook into `out_dir` (same file names)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in paths:
        target = out_dir / path.name
        if target.resolve() == path.resolve():
            raise ValueError(f"{path}: refusing to overwrite the solution notebook")
        target.write_text(dumps(student_notebook(read(path))), encoding="utf-8")
        written.append(target)
    return written
