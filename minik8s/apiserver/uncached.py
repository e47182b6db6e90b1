"""A resource without a watch cache, mirroring the etcd3 storage the registry uses when a
resource's watch-cache size is 0 (`staging/src/k8s.io/apiserver/pkg/storage/etcd3/store.go`
GetList, `watcher.go`; kube-apiserver's `DefaultWatchCacheSizes` turns the cache off for events).

Every LIST decodes the objects from the store, and every WATCH is its own store watch (with
`prev_kv`) whose events are decoded for that watcher alone: nothing decoded is kept, so the
thousands of Events a rollout writes cost the API server no memory beyond the store's bytes.
It offers the `Cacher` methods the API server calls; `at` answers None (nothing is cached).
Left out: etcd's progress notifications and the `watchList` streaming of the initial state.
"""

from __future__ import annotations

import builtins
from typing import Any

from minik8s.api.kinds import ResourceInfo
from minik8s.apiserver.cacher import Cacher, Filter, Watch, decode, with_resource_version
from minik8s.etcd import Event as StoreEvent
from minik8s.etcd import KeyValue, Store
from minik8s.etcd.watch import Watcher
from minik8s.sim.loop import EventLoop
from minik8s.trace import Tracer

Obj = dict[str, Any]

# kube-apiserver's DefaultWatchCacheSizes: the resources served without a watch cache.
DEFAULT_WATCH_CACHE_SIZES: dict[str, int] = {"events": 0}


class UncachedStorage:
    """LIST and WATCH of one resource straight from the store."""

    def __init__(self, info: ResourceInfo, loop: EventLoop, store: Store):
        self.info = info
        self.loop = loop
        self.store = store
        self.tracer: Tracer | None = None
        self.prefix = f"/registry/{info.plural}/"
        self._watchers: dict[Watch, Watcher] = {}
        self._watch_seq = 0

    def __repr__(self) -> str:
        return f"<UncachedStorage {self.info.group_resource} watchers={len(self._watchers)}>"

    @property
    def oldest_revision(self) -> int:
        """Watches may start after this revision (etcd's compaction point)."""
        return self.store.compact_revision

    def next_watch_seq(self) -> int:
        self._watch_seq += 1
        return self._watch_seq

    def at(self, kv: KeyValue) -> Obj | None:
        return None  # nothing decoded is kept: callers decode `kv`

    def prime(self, value: bytes | None, obj: Obj | None) -> None:
        """(Nothing to prime: a write's object is not kept.)"""

    def current(self, key: str) -> Obj | None:
        """The object stored under `key` (`namespace/name` or `name`), decoded."""
        kv = self.store.get(self.prefix + key)
        return decode(kv) if kv is not None else None

    def _prefix(self, namespace: str | None) -> str:
        """The keys of one namespace, or of the whole resource."""
        return self.prefix + f"{namespace}/" if namespace else self.prefix

    def list(self, selection: Filter) -> list[Obj]:
        """Matching objects sorted by key, each decoded from the store."""
        objects = (decode(kv) for kv in self.store.range(self._prefix(selection.namespace)))
        return [obj for obj in objects if selection.everything or selection.matches(obj)]

    def add_watch(self, watch: Watch, resource_version: int | None) -> None:
        """A store watch for `watch`: from `resource_version`, or from now after the current
        objects as ADDED (the etcd3 watcher's initial sync)."""
        start = resource_version
        if start is None:
            for obj in self.list(watch.filter):
                watch.send("ADDED", obj)
            start = self.store.revision
        self._watchers[watch] = self.store.watch(
            self._prefix(watch.filter.namespace),
            lambda events: self._on_store_events(watch, events),
            start_revision=start + 1,
            prev_kv=True,
        )

    def remove(self, watch: Watch) -> None:
        watcher = self._watchers.pop(watch, None)
        if watcher is not None:
            watcher.cancel()

    def watcher_count(self) -> int:
        return len(self._watchers)

    @staticmethod
    def _on_store_events(watch: Watch, events: builtins.list[StoreEvent]) -> None:
        """The events of one revision, decoded for this watcher and filtered by its selection."""
        for event in events:
            old = decode(event.prev_kv) if event.prev_kv is not None else None
            if event.type == "PUT":
                kind = "ADDED" if old is None else "MODIFIED"
                obj = decode(event.kv)
            elif old is None:
                continue
            else:
                kind, obj = "DELETED", with_resource_version(old, event.kv.mod_revision)
            Cacher.deliver(watch, kind, obj, old)
