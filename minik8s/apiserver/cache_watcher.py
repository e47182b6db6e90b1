"""One client's watch, mirroring `staging/src/k8s.io/apiserver/pkg/storage/cacher/cache_watcher.go`.

A `Watch` batches the events the cache hands it and delivers them on the event loop; the
storage serving it (a `Cacher`, or an uncached resource) is a `WatchSource`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from minik8s.api.kinds import ResourceInfo
from minik8s.apiserver.selection import Filter
from minik8s.sim.loop import EventLoop
from minik8s.trace import Tracer

Obj = dict[str, Any]
Handler = Callable[[str, Obj], None]


class WatchSource(Protocol):
    """What a `Watch` needs of the storage serving it (a `Cacher`, or an uncached resource)."""

    info: ResourceInfo
    loop: EventLoop
    tracer: Tracer | None

    def next_watch_seq(self) -> int: ...

    def remove(self, watch: Watch) -> None: ...


class Watch:
    """One client's watch: matching events are batched and delivered on the event loop."""

    def __init__(self, cacher: WatchSource, handler: Handler, selection: Filter, label: str):
        self.cacher = cacher
        self.handler = handler
        self.filter = selection
        self.label = label
        self.pending: list[tuple[str, Obj]] = []
        self.seq = cacher.next_watch_seq()
        self.stopped = False
        self._scheduled = False
        self._flush_label = f"watch {label}"

    def __repr__(self) -> str:
        state = "stopped" if self.stopped else "active"
        return f"<Watch {self.cacher.info.group_resource} {self.label} {state}>"

    def send(self, event_type: str, obj: Obj) -> None:
        if self.stopped:
            return
        self.pending.append((event_type, obj))
        if not self._scheduled:
            self._scheduled = True
            self.cacher.loop.call_soon(self._flush, label=self._flush_label)

    def _flush(self) -> None:
        self._scheduled = False
        batch, self.pending = self.pending, []
        tracer = self.cacher.tracer
        for event_type, obj in batch:
            if self.stopped:
                return
            if tracer is not None and tracer.enabled:
                meta = obj.get("metadata", {})
                target = (
                    f"{meta['namespace']}/{meta.get('name')}"
                    if meta.get("namespace")
                    else meta.get("name")
                )
                tracer.emit(
                    "apiserver",
                    f"→ {self.label}: watch {event_type} {self.cacher.info.group_resource} "
                    f"{target}",
                )
            self.handler(event_type, obj)

    def stop(self) -> None:
        """Stop delivering events (events already queued are dropped)."""
        if not self.stopped:
            self.stopped = True
            self.cacher.remove(self)
