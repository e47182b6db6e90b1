"""A timeline of Kubernetes Events (or trace lines) along virtual time, top to bottom.

Mirrors what `kubectl get events --sort-by=.lastTimestamp` and `kubectl describe`'s Events table
show (`pkg/printers/internalversion/printers.go` `printEvent`): type, reason, involved object,
message, source and count; Warning events stand out. Trace lines (`[  1.000s] who  text`, from
`minik8s.trace`) work too. Events at the same instant share a row. Left out: event series.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from minik8s.viz.records import field
from minik8s.viz.render import Diagram
from minik8s.viz.request import _wrap
from minik8s.viz.style import GREY_TEXT, Sketch, text

TRACE_LINE = re.compile(r"^\[\s*(?P<t>[\d.]+)s\]\s+(?P<who>\S+)\s+(?P<text>.*)$")
PER_ROW = 4
FILLS = {"Normal": "#e3f2fd", "Warning": "#fff3cd", "Trace": "#f5f5f5"}


def _event_time(event: Any) -> str:
    stamp = field(event, "lastTimestamp", "eventTime", "firstTimestamp", default=None)
    if not stamp:
        stamp = field(field(event, "metadata", default={}), "creationTimestamp", default="")
    return str(stamp or "")


def _entry(item: Any) -> tuple[str, str, list[str]]:
    """(time, type, label lines) for an Event dict/object or a trace line."""
    if isinstance(item, str):
        match = TRACE_LINE.match(item)
        if not match:
            return "", "Trace", _wrap(item, 40)
        return f"t={float(match['t']):g}s", "Trace", [match["who"], *_wrap(match["text"], 40)]
    involved = field(item, "involvedObject", "regarding", default={}) or {}
    obj = f"{field(involved, 'kind', default='')}/{field(involved, 'name', default='')}"
    source = field(item, "source", default={}) or {}
    who = field(source, "component", default="") or field(item, "reportingController", default="")
    count = field(item, "count", default=1) or 1
    tail = f"from {who}" if who else ""
    tail += f" ×{count}" if count > 1 else ""
    lines = [f"{field(item, 'reason', default='')} · {obj}"]
    lines += _wrap(str(field(item, "message", "note", default="")), 40)
    kind = str(field(item, "type", default="Normal") or "Normal")
    return _event_time(item), kind, lines + ([tail] if tail else [])


def _sort_key(when: str) -> tuple[float, str]:
    """Trace times (`t=16.044s`) sort by their number; RFC 3339 stamps sort as text."""
    match = re.fullmatch(r"t=([0-9.e+-]+)s", when)
    return (float(match[1]), "") if match else (0.0, when)


def _clock(when: str) -> str:
    """`00:00:05` for `2025-01-01T00:00:05Z` (the time of day is what differs); else as is."""
    match = re.fullmatch(r"\d{4}-\d\d-\d\dT(\d\d:\d\d:\d\d(?:\.\d+)?)Z", when)
    return match[1] if match else when


def timeline(events: Iterable[Any], *, limit: int = 30, title: str = "") -> Diagram:
    """Draw the latest `limit` events (dicts, objects or trace lines) in time order."""
    entries = [(*_entry(e), i) for i, e in enumerate(events)]
    entries.sort(key=lambda e: (_sort_key(e[0]), e[3]))
    if title == "":
        title = "Events · 事件"
    sketch = Sketch("timeline", label=text(title), labelloc="t", nodesep="0.2", ranksep="0.25")
    shown = entries[-limit:] if limit else entries
    if len(entries) > len(shown):
        sketch.node("earlier", text(f"{len(entries) - len(shown)} earlier"), shape="plain")
    rows: dict[str, list[tuple[str, list[str]]]] = {}
    for when, kind, lines, _ in shown:
        rows.setdefault(when, []).append((kind, lines))
    previous = "earlier" if len(entries) > len(shown) else ""
    for r, (when, items) in enumerate(rows.items()):
        tick = f"t{r}"
        with sketch.same_rank() as row:
            label = text(_clock(when) or "?")
            row.node(tick, label, shape="plain", style="", fontcolor=GREY_TEXT)
            for j, (kind, lines) in enumerate(items[:PER_ROW]):
                fill = FILLS.get(kind, FILLS["Warning"])
                row.node(f"e{r}_{j}", text(*lines), style="rounded,filled", fillcolor=fill)
            if len(items) > PER_ROW:
                row.node(f"e{r}_more", text(f"+{len(items) - PER_ROW} more"), style="dashed")
        if previous:
            sketch.edge(previous, tick, arrowhead="none", color=GREY_TEXT)
        previous = tick
    if not rows:
        sketch.node("none", text("no events"), style="dashed")
    return sketch.diagram("timeline")
