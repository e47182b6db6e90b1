"""One Jupyter kernel that runs cells under a time limit and survives what a cell does to it.

Built on nbclient's `NotebookClient.execute_cell` (the same machinery as `nbconvert --execute`
and nbgrader's autograder). A cell that runs past its limit, or kills the kernel, gets a fresh
kernel in which the cells that ran before are replayed, so that later cells keep their context.
(Interrupting instead is not robust: a loop may catch KeyboardInterrupt, and nbclient can lose
output messages of the next cell after an interrupted one.) Leaves out stdin, widgets and the
cells' outputs (only errors are read).
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

KERNEL_NAME = "python3"
# What the kernel inherits, as in `tools/run_notebooks.py`: fixed set order and time zone.
KERNEL_ENV = {"PYTHONHASHSEED": "0", "TZ": "UTC", "JUPYTER_PREFER_ENV_PATH": "1"}
PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])


@dataclass(frozen=True)
class CellResult:
    """What running one cell gave: its error (`Name: message`), or None if it succeeded."""

    error: str | None = None
    timed_out: bool = False
    died: bool = False


class Kernel:
    """A kernel for running cells one at a time (use as a context manager)."""

    def __init__(self, cwd: Path):
        self.cwd = cwd
        self.history: list[tuple[str, float]] = []
        self.restarts = 0
        self._reply: dict[str, Any] = {}
        self._client = NotebookClient(
            nbformat.v4.new_notebook(),
            kernel_name=KERNEL_NAME,
            allow_errors=True,
            record_timing=False,
            store_widget_state=False,
            resources={"metadata": {"path": str(cwd)}},
            on_cell_executed=self._on_executed,
            # A looping kernel would ignore a polite shutdown request for 5 s.
            shutdown_kernel="immediate",
        )

    def __repr__(self) -> str:
        return f"<Kernel cwd={self.cwd.name} cells={len(self.history)} restarts={self.restarts}>"

    def __enter__(self) -> Kernel:
        self._start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop()

    def _start(self) -> None:
        client = self._client
        client.km = client.create_kernel_manager()
        env = {**os.environ, **KERNEL_ENV}
        # The kernel imports the same minik8s as the grader, installed or not.
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [PACKAGE_ROOT, env.get("PYTHONPATH")]))
        # The kernel's own start-up chatter (a TCP notice) would garble the grade report.
        client.start_new_kernel(cwd=str(self.cwd), env=env, stderr=subprocess.DEVNULL)
        client.start_new_kernel_client()

    def _stop(self) -> None:
        if self._client.km is not None:
            self._client._cleanup_kernel()

    def run(self, source: str, timeout: float) -> CellResult:
        """Run `source` for at most `timeout` seconds; record it for replay if it finished."""
        result = self._execute(source, timeout)
        if result.timed_out or result.died:
            self._restart()
        else:
            self.history.append((source, timeout))
        return result

    def _on_executed(self, cell: Any, cell_index: int, execute_reply: dict[str, Any]) -> None:
        self._reply = execute_reply.get("content", {}) if execute_reply else {}

    def _execute(self, source: str, timeout: float) -> CellResult:
        cell = nbformat.v4.new_code_cell(source)
        seconds = max(1, round(timeout))
        self._client.nb.cells = [cell]
        self._client.timeout = seconds
        self._reply = {}
        try:
            self._client.execute_cell(cell, 0, store_history=False)
        except CellTimeoutError:
            return CellResult(f"TimeoutError: cell ran longer than {seconds} s", timed_out=True)
        except DeadKernelError:
            return CellResult("DeadKernelError: the kernel died", died=True)
        # The shell reply is authoritative; outputs are read only if they arrived.
        errors = [o for o in cell.outputs if o.output_type == "error"]
        reply = errors[0] if errors else self._reply
        if reply.get("status", "error") != "error" or not reply.get("ename"):
            return CellResult()
        name, message = reply["ename"], reply.get("evalue", "")
        return CellResult(f"{name}: {message}" if message else name)

    def _restart(self) -> None:
        """Start a fresh kernel and replay the cells that ran before (a looping or dead one)."""
        self.restarts += 1
        self._stop()
        self._start()
        for source, timeout in self.history:
            result = self._execute(source, timeout)
            if result.timed_out or result.died:
                self._stop()
                self._start()
