"""`Stepper`: advance a cluster's event loop one event at a time and see what each one did.

Plays the part of a debugger on upstream's goroutines: every watch delivery, work-queue item,
reconcile and timer is one callback on `minik8s.sim.loop.EventLoop`; `step()` runs exactly one
(`loop.step()`) with the tracer on and shows the trace lines it produced.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets

from minik8s.widgets.base import WidgetPanel, pre

MAX_SHOWN = 200  # trace lines kept in the view


@dataclass(frozen=True)
class Step:
    """One event run: when, what (the timer's label) and the trace lines it produced."""

    time: float
    event: str
    lines: tuple[str, ...]

    def __str__(self) -> str:
        head = f"t={self.time:g}s  {self.event}"
        return "\n".join([head, *(f"  {line}" for line in self.lines)])


class Stepper(WidgetPanel):
    """Buttons for one step, N steps and run-until-idle; the trace of each step below them."""

    def __init__(self, cluster: Any):
        super().__init__()
        self.cluster = cluster
        self.steps: list[Step] = []
        self.count = widgets.BoundedIntText(value=5, min=1, max=1000, description="N")
        buttons = {
            "Step": lambda _: self.step(),
            "Step N": lambda _: self.step_n(self.count.value),
            "Run until idle": lambda _: self.run_until_idle(),
        }
        row = []
        for label, handler in buttons.items():
            button = widgets.Button(description=label)
            button.on_click(handler)
            row.append(button)
        self.widget = widgets.VBox([widgets.HBox([*row, self.count]), self.message, self.view])
        self.message.value = pre(self.status())

    def __repr__(self) -> str:
        return f"<Stepper steps={len(self.steps)} pending={self.cluster.loop.pending()}>"

    def status(self) -> str:
        """The clock and how much work is pending."""
        loop = self.cluster.loop
        return f"t={loop.now:g}s  pending={loop.pending()}  busy={loop.busy()}"

    def step(self) -> Step | None:
        """Run the next event; its `Step`, or None when nothing is scheduled."""
        tracer = self.cluster.tracer
        enabled, start = tracer.enabled, len(tracer.lines)
        tracer.enabled = True
        try:
            timer = self.cluster.loop.step()
        finally:
            tracer.enabled = enabled
        if timer is None:
            self._render("nothing is scheduled")
            return None
        label = timer.label or getattr(timer.callback, "__qualname__", "callback")
        step = Step(timer.when, label, tuple(tracer.lines[start:]))
        self.steps.append(step)
        self._render()
        return step

    def step_n(self, n: int) -> list[Step]:
        """Run up to `n` events; the steps that ran."""
        out: list[Step] = []
        for _ in range(n):
            step = self.step()
            if step is None:
                break
            out.append(step)
        return out

    def run_until_idle(self, max_steps: int = 10_000) -> list[Step]:
        """Run events while foreground work is pending (background timers do not count)."""
        out: list[Step] = []
        while self.cluster.loop.busy() and len(out) < max_steps:
            step = self.step()
            if step is None:
                break
            out.append(step)
        return out

    def text(self, last: int = 20) -> str:
        """The last `last` steps as text, oldest first."""
        return "\n".join(str(s) for s in self.steps[-last:])

    def _render(self, note: str = "") -> None:
        lines = self.text().splitlines()[-MAX_SHOWN:]
        self.view.value = pre("\n".join(lines))
        self.message.value = pre(f"{self.status()}  {note}".rstrip())
