"""The trace: a line for each step of the control loop as it happens (`Cluster.trace()`).

Components report what they do (`apiserver ← kubectl: create deployments.apps shop/web`,
`apiserver → controller-manager: ADDED deployments shop/web`, `deployment: reconcile shop/web`).
Off by default: a disabled tracer costs one attribute check per call site. `Tracer.switch` is
what `Cluster.trace()` does: on until switched off, or only inside a `with` block.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import TextIO


class Tracer:
    """Collects trace lines stamped with virtual time; echoes them while `echo` is set."""

    def __init__(self, clock: Callable[[], float], limit: int = 10_000):
        self.clock = clock
        self.enabled = False
        self.echo: TextIO | None = None
        self.lines: list[str] = []
        self.limit = limit

    def __repr__(self) -> str:
        state = "on" if self.enabled else "off"
        return f"<Tracer {state} lines={len(self.lines)}>"

    def emit(self, who: str, text: str) -> None:
        """Record `who: text` at the current virtual time (no-op while disabled)."""
        if not self.enabled:
            return
        line = f"[{self.clock():8.3f}s] {who:<28} {text}"
        if len(self.lines) < self.limit:
            self.lines.append(line)
        if self.echo is not None:
            print(line, file=self.echo)

    def switch(self, on: bool = True, echo: bool = True) -> AbstractContextManager[Tracer]:
        """Turn tracing on or off now (echoing to the current stdout); leaving the returned
        context manager's `with` block turns it off."""
        self.enabled = on
        self.echo = sys.stdout if (on and echo) else None
        return self._until_exit()

    @contextlib.contextmanager
    def _until_exit(self) -> Iterator[Tracer]:
        """Yield the tracer; turn it off when the `with` block ends."""
        try:
            yield self
        finally:
            self.enabled = False
            self.echo = None
