"""The trace: a line for each step of the control loop as it happens (`Cluster.trace()`).

Components report what they do (`apiserver ← kubectl: create deployments.apps shop/web`,
`apiserver → controller-manager: ADDED deployments shop/web`, `deployment: reconcile shop/web`).
Off by default: a disabled tracer costs one attribute check per call site.
"""

from __future__ import annotations

from collections.abc import Callable
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
