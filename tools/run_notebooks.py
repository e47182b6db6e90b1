"""Re-execute notebooks in place and save their outputs, deterministically.

`make notebooks` runs this. Each notebook is executed top to bottom with nbclient on the `python3`
kernel of the running environment, then normalized so that two runs write identical files: no
execution timings, no widget model ids (random UUIDs), no Python patch version in the metadata,
stable cell ids. Strict nbval then compares a fresh run against exactly these outputs.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

# Before any kernel starts: the kernel inherits these (fixed set order, fixed local time).
os.environ["PYTHONHASHSEED"] = "0"
os.environ["TZ"] = "UTC"
os.environ["JUPYTER_PREFER_ENV_PATH"] = "1"

import nbformat  # noqa: E402
from nbclient import NotebookClient  # noqa: E402

KERNEL_NAME = "python3"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": KERNEL_NAME}
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
TIMEOUT_SECONDS = 600


def execute(nb: Any, workdir: Path) -> None:
    """Run every cell of `nb` with the working directory set to `workdir`."""
    client = NotebookClient(
        nb,
        kernel_name=KERNEL_NAME,
        timeout=TIMEOUT_SECONDS,
        record_timing=False,
        store_widget_state=False,
        coalesce_streams=True,  # one stream output per print run, not however ipykernel chunks it
        resources={"metadata": {"path": str(workdir)}},
    )
    client.execute()


def normalize(nb: Any) -> None:
    """Drop everything that changes between two runs of the same notebook."""
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata.get("language_info", {}).pop("version", None)
    nb.metadata.pop("widgets", None)
    for index, cell in enumerate(nb.cells):
        cell.setdefault("id", f"cell-{index}")
        cell.metadata.pop("execution", None)
        for output in cell.get("outputs", []):
            output.get("data", {}).pop(WIDGET_VIEW, None)


def run(path: Path) -> bool:
    """Execute and normalize one notebook; write it back; return True if the file changed."""
    before = path.read_text(encoding="utf-8")
    nb = nbformat.reads(before, as_version=4)
    execute(nb, path.parent)
    normalize(nb)
    after = nbformat.writes(nb)
    after += "" if after.endswith("\n") else "\n"
    if after != before:
        path.write_text(after, encoding="utf-8")
    return after != before


def main(argv: list[str] | None = None) -> int:
    """Command line: run_notebooks.py [NOTEBOOK ...] (default: every notebooks/*.ipynb)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args(argv)
    root = Path(__file__).resolve().parent.parent
    paths = args.notebooks or sorted((root / "notebooks").glob("*.ipynb"))
    for path in paths:
        changed = run(path)
        print(f"{path}: {'updated' if changed else 'unchanged'}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
