"""Events about objects, mirroring client-go `tools/record` (EventRecorder + EventCorrelator).

`recorder.event(obj, "Normal", "ScalingReplicaSet", "Scaled up ...")` writes a core/v1 Event
whose `involvedObject` points at `obj` (with `field_path`, at a part of it: the kubelet names a
container, `spec.containers{web}`, as upstream's `GetPartialReference`). The same event
repeated (however much later) bumps `count` and `lastTimestamp` instead of creating another,
as upstream's correlator does (`eventObserve`); like its LRU cache, the correlator remembers
at most 4,096 events (the least recently seen are forgotten). If the Event has expired
meanwhile (the API server's one-hour TTL), it is created again under its name with the next
count, as client-go's `recordEvent` does.
Before that, as `EventCorrelate` does, similar events (the same object, type and reason, ten
different messages within ten minutes) are aggregated into one Event, and a spam filter (25
events per source and object, then one per 5 minutes) drops the excess (`correlator.py`).
"""

from __future__ import annotations

import sys
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from minik8s.api.errors import NotFound, StatusError
from minik8s.client.correlator import COMBINED_PREFIX, EventAggregator, SpamFilter, lru_put

if TYPE_CHECKING:
    from minik8s.client.client import Client

Obj = dict[str, Any]
MAX_LRU_CACHE_ENTRIES = 4096  # upstream's maxLruCacheEntries


class EventRecorder:
    """Records Events for one component (`source.component`), optionally on one host."""

    def __init__(self, client: Client, component: str, host: str = ""):
        self.client = client
        self.component = component
        self.host = host
        # key → (name, namespace, count, firstTimestamp) of the Event last written for it
        self._seen: OrderedDict[tuple, tuple[str, str, int, str]] = OrderedDict()
        self.aggregator = EventAggregator()
        self.spam_filter = SpamFilter()

    def __repr__(self) -> str:
        return f"<EventRecorder {self.component}>"

    def event(
        self, obj: Obj, event_type: str, reason: str, message: str, field_path: str = ""
    ) -> None:
        """Record that `reason` happened to `obj` (`event_type` is Normal or Warning), or to
        the part of it `field_path` names."""
        # the caches below keep these per event: the same texts (`Started container app`)
        # recur for every pod of a workload, so they share one string (freed with the last use)
        message, field_path = sys.intern(message), sys.intern(field_path)
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
        if field_path:
            involved["fieldPath"] = field_path
        if not involved["namespace"]:
            del involved["namespace"]
        loop = self.client.loop
        # `EventAggregatorByReasonFunc`: the object, type and reason (not the fieldPath)
        similar = (namespace, involved["kind"], involved["name"], involved["uid"], event_type)
        aggregated = self.aggregator.aggregate((*similar, reason), message, loop.now)
        if aggregated:
            message = COMBINED_PREFIX + message
            key: tuple = ("aggregate", *similar, reason)  # one Event for all of them
        else:
            key = (*similar, field_path, reason, message)  # `getEventKey`
        timestamp = loop.timestamp()
        previous = self._seen.get(key)
        if self.spam_filter.filter(similar, loop.now):  # `getSpamKey`: source, object, type
            # not written, but observed first (`eventObserve`): the next one written counts it
            if previous is None:
                self._remember(key, (self._event_name(meta), namespace, 1, timestamp))
            else:
                self._remember(key, (*previous[:2], previous[2] + 1, previous[3]))
            return
        if previous is not None:
            name, ns, count, first = previous
            patch = {"count": count + 1, "lastTimestamp": timestamp}
            if aggregated:
                patch["message"] = message  # the aggregate shows the latest message
            try:
                self.client.patch("events", name, patch, ns, respond=False)
                self._remember(key, (name, ns, count + 1, first))
                return
            except NotFound:  # expired: written again under its name (client-go recordEvent)
                event = self._new_event(name, ns, involved, event_type, reason, message, first)
                self._create(key, {**event, **patch}, aggregated)
                return
            except StatusError:
                return
        name = self._event_name(meta)
        event = self._new_event(name, namespace, involved, event_type, reason, message, timestamp)
        self._create(key, event, aggregated)

    def _event_name(self, meta: Obj) -> str:
        """`<object name>.<now in nanoseconds, hex>` (`makeEvent`), unique within an instant."""
        loop = self.client.loop
        nanos = int((loop.start.timestamp() + loop.now) * 1e9) + loop.serial()
        return f"{meta.get('name')}.{nanos:x}"

    def _new_event(
        self,
        name: str,
        namespace: str,
        involved: Obj,
        event_type: str,
        reason: str,
        message: str,
        timestamp: str,
    ) -> Obj:
        return {
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
            "eventTime": None,  # a zero MicroTime: `null`, as every core/v1 Event makeEvent writes
            "reportingComponent": self.component,
            "reportingInstance": self.host,
        }

    def _create(self, key: tuple, event: Obj, aggregated: bool = False) -> None:
        meta = event["metadata"]
        if aggregated:  # EventAggregate's copy of the event sets no reporting fields
            event["reportingComponent"] = event["reportingInstance"] = ""
        try:
            # (the reply is not read: not copied for us, as client-go's recorder ignores it)
            self.client.create("events", event, meta["namespace"], respond=False)
        except StatusError:
            return  # upstream drops events it cannot write (e.g. a terminating namespace)
        self._remember(
            key, (meta["name"], meta["namespace"], event["count"], event["firstTimestamp"])
        )

    def _remember(self, key: tuple, seen: tuple[str, str, int, str]) -> None:
        """Keep `seen` as the most recent entry, forgetting the oldest beyond the LRU's size."""
        lru_put(self._seen, key, seen, MAX_LRU_CACHE_ENTRIES)
