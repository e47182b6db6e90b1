"""Events about objects, mirroring client-go `tools/record` (EventRecorder + EventCorrelator).

`recorder.event(obj, "Normal", "ScalingReplicaSet", "Scaled up ...")` writes a core/v1 Event
whose `involvedObject` points at `obj`. The same event repeated within 10 minutes bumps `count`
and `lastTimestamp` instead of creating another, as upstream's correlator does; like its LRU
cache, the correlator remembers at most 4,096 events (the least recently seen are forgotten).
Left out: the spam filter (token bucket per source+object) and similar-event aggregation.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from minik8s.api.errors import StatusError

if TYPE_CHECKING:
    from minik8s.client.client import Client

Obj = dict[str, Any]
CORRELATION_WINDOW = 600.0  # seconds, upstream's defaultAggregateIntervalInSeconds
MAX_LRU_CACHE_ENTRIES = 4096  # upstream's maxLruCacheEntries


class EventRecorder:
    """Records Events for one component (`source.component`), optionally on one host."""

    def __init__(self, client: Client, component: str, host: str = ""):
        self.client = client
        self.component = component
        self.host = host
        self._seen: OrderedDict[tuple, tuple[str, str, int, float]] = OrderedDict()

    def __repr__(self) -> str:
        return f"<EventRecorder {self.component}>"

    def event(self, obj: Obj, event_type: str, reason: str, message: str) -> None:
        """Record that `reason` happened to `obj` (`event_type` is Normal or Warning)."""
        meta = obj.get("metadata", {})
        namespace = meta.get("namespace") or "default"
        involved = {
            "kind": obj.get("kind"),
            "namespace": meta.get("namespace", ""),
            "name": meta.get("name"),
            "uid": meta.get("uid"),
            "apiVersion": obj.get("apiVersion"),
            "resourceVersion": meta.get("resourceVersion"),
        }
        if not involved["namespace"]:
            del involved["namespace"]
        loop = self.client.loop
        key = (
            namespace,
            involved["kind"],
            involved["name"],
            involved["uid"],
            event_type,
            reason,
            message,
        )
        now = loop.now
        timestamp = loop.timestamp()
        previous = self._seen.get(key)
        if previous is not None and now - previous[3] <= CORRELATION_WINDOW:
            name, ns, count, _ = previous
            try:
                patch = {"count": count + 1, "lastTimestamp": timestamp}
                self.client.patch("events", name, patch, ns, respond=False)
                self._remember(key, (name, ns, count + 1, now))
                return
            except StatusError:
                pass
        nanos = int((loop.start.timestamp() + now) * 1e9) + loop.serial()
        name = f"{meta.get('name')}.{nanos:x}"
        event: Obj = {
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"name": name, "namespace": namespace},
            "involvedObject": involved,
            "reason": reason,
            "message": message,
            "type": event_type,
            "source": {"component": self.component, **({"host": self.host} if self.host else {})},
            "firstTimestamp": timestamp,
            "lastTimestamp": timestamp,
            "count": 1,
            "reportingComponent": self.component,
            "reportingInstance": self.host,
        }
        try:
            # (the reply is not read: not copied for us, as client-go's recorder ignores it)
            self.client.create("events", event, namespace, respond=False)
        except StatusError:
            return  # upstream drops events it cannot write (e.g. a terminating namespace)
        self._remember(key, (name, namespace, 1, now))

    def _remember(self, key: tuple, seen: tuple[str, str, int, float]) -> None:
        """Keep `seen` as the most recent entry, forgetting the oldest beyond the LRU's size."""
        if key in self._seen:
            self._seen.move_to_end(key)
        self._seen[key] = seen
        if len(self._seen) > MAX_LRU_CACHE_ENTRIES:
            self._seen.popitem(last=False)
