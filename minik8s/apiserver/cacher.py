"""The watch cache, mirroring `staging/src/k8s.io/apiserver/pkg/storage/cacher`.

One `Cacher` per resource keeps the decoded current objects and a window of recent events, fed
by a watch on the store. The window keeps the events' stored bytes (which etcd holds anyway),
not decoded objects, and decodes them only when a watch starts from an old resourceVersion:
a rollout that rewrites a 300-address Endpoints object 300 times would otherwise keep 300
decoded copies alive. LIST is served from it, and WATCH fans events out only to the watchers
that can match: watchers are indexed by namespace and, for pods, by `spec.nodeName` (upstream's
"triggers"), so 5,000 kubelets do not each look at every pod event. Objects handed out are
shared, never copied per reader: callers must not mutate them. A `Watch` is in
`cache_watcher`, its selection (`Filter`) in `selection`.
"""

from __future__ import annotations

import builtins
from collections import deque
from collections.abc import Callable, Iterable
from typing import Any

from minik8s.api import json_codec
from minik8s.api.kinds import ResourceInfo
from minik8s.apiserver.cache_watcher import Handler, Watch, WatchSource
from minik8s.apiserver.fieldsets import field_value
from minik8s.apiserver.selection import (
    CONVERSION_FUNC_KINDS,
    FIELD_LABEL_ALIASES,
    INDEXED_FIELDS,
    NO_NAMESPACE_LABEL,
    Filter,
    convert_field_labels,
)
from minik8s.etcd import Event as StoreEvent
from minik8s.etcd import KeyValue
from minik8s.sim.loop import EventLoop
from minik8s.trace import Tracer

__all__ = [
    "CONVERSION_FUNC_KINDS",
    "FIELD_LABEL_ALIASES",
    "INDEXED_FIELDS",
    "NO_NAMESPACE_LABEL",
    "Cacher",
    "Filter",
    "Handler",
    "Obj",
    "Watch",
    "WatchSource",
    "convert_field_labels",
    "decode",
    "replayed",
    "with_resource_version",
]

Obj = dict[str, Any]


def decode(kv: KeyValue) -> Obj:
    """A stored object with `metadata.resourceVersion` set from the key's mod revision."""
    obj: Obj = json_codec.loads(kv.value)
    obj["metadata"]["resourceVersion"] = str(kv.mod_revision)
    return obj


def replayed(
    revision: int, kind: str, kv: KeyValue, previous: KeyValue | None
) -> tuple[Obj, Obj | None]:
    """A history entry's object and previous object, decoded again (as they were sent)."""
    old = decode(previous) if previous is not None else None
    if kind == "DELETED":
        assert old is not None
        return with_resource_version(old, revision), old
    return decode(kv), old


def with_resource_version(obj: Obj, revision: int) -> Obj:
    """A shallow copy of `obj` whose resourceVersion is `revision`."""
    copy = dict(obj)
    copy["metadata"] = dict(obj["metadata"], resourceVersion=str(revision))
    return copy


def _by_seq(watch: Watch) -> int:
    return watch.seq


class Cacher:
    """Current objects and recent events of one resource, plus its watchers."""

    def __init__(
        self,
        info: ResourceInfo,
        loop: EventLoop,
        initial: Iterable[KeyValue],
        revision: int,
        capacity: int = 100_000,
    ):
        self.info = info
        self.loop = loop
        self.tracer: Tracer | None = None
        self.objects: dict[str, Obj] = {}
        self.by_namespace: dict[str, dict[str, Obj]] = {}
        self.by_index: dict[str, dict[str, Obj]] = {}
        self.index_of: dict[str, str] = {}  # key -> its object's indexed field value
        # a pool's keys in order, kept until a key enters or leaves it: ("", "") all objects,
        # ("namespace", ns), ("index", value); LISTs of a pool that did not change sort nothing
        self._sorted_keys: dict[tuple[str, str], list[str]] = {}
        # (revision, type, the event's KeyValue, the previous KeyValue of its key)
        self.history: deque[tuple[int, str, KeyValue, KeyValue | None]] = deque(maxlen=capacity)
        self.kvs: dict[str, KeyValue] = {}  # key -> its current KeyValue (shared with the store)
        self.oldest_revision = revision  # events after this revision are in history
        self.revision = revision
        # Watchers in registration order (dicts used as ordered sets).
        self.watchers_all: dict[Watch, None] = {}
        self.watchers_by_namespace: dict[str, dict[Watch, None]] = {}
        self.watchers_by_index: dict[str, dict[Watch, None]] = {}
        self.index_field = INDEXED_FIELDS.get(info.kind)
        # key → called whenever its cached object changes (`listen`)
        self.change_listeners: dict[str, list[Callable[[], object]]] = {}
        self._watch_seq = 0
        self._prefix_length = len(f"/registry/{info.plural}/")
        self._primed: tuple[bytes, Obj] | None = None
        for kv in initial:
            self._store(kv.key[self._prefix_length :], decode(kv))
            self.kvs[kv.key[self._prefix_length :]] = kv

    def __repr__(self) -> str:
        return f"<Cacher {self.info.group_resource} objects={len(self.objects)} rv={self.revision}>"

    def next_watch_seq(self) -> int:
        """Watchers are served in the order they registered (deterministic fan-out)."""
        self._watch_seq += 1
        return self._watch_seq

    # -- keeping the cache ---------------------------------------------------------------------
    def at(self, kv: KeyValue) -> Obj | None:
        """The cached object of `kv`'s key if it is at `kv`'s revision (shared: do not mutate)."""
        obj = self.objects.get(kv.key[self._prefix_length :])
        if obj is not None and obj["metadata"]["resourceVersion"] == str(kv.mod_revision):
            return obj
        return None

    def prime(self, value: bytes | None, obj: Obj | None) -> None:
        """The next PUT of exactly `value` (the same bytes object) is `obj`: the API server hands
        over the object it has just encoded, so the cache need not decode it again."""
        self._primed = None if value is None or obj is None else (value, obj)

    def _decoded(self, kv: KeyValue) -> Obj:
        primed = self._primed
        if primed is not None and primed[0] is kv.value:
            self._primed = None
            obj = primed[1]
            meta = obj["metadata"]
            meta.pop("resourceVersion", None)  # last, as `decode` adds it: same key order
            meta["resourceVersion"] = str(kv.mod_revision)
            return obj
        return decode(kv)

    def _index_value(self, obj: Obj) -> str | None:
        return field_value(obj, self.index_field) if self.index_field else None

    def _store(self, key: str, obj: Obj) -> Obj | None:
        old = self.objects.get(key)
        self.objects[key] = obj
        # (the key names the namespace: a stored object is replaced where it is)
        namespace = obj["metadata"].get("namespace", "")
        members = self.by_namespace.get(namespace)
        if members is None:
            members = self.by_namespace[namespace] = {}
        members[key] = obj
        if old is None:  # a new key: the pools it enters are in another order now
            self._sorted_keys.pop(("", ""), None)
            self._sorted_keys.pop(("namespace", namespace), None)
        if self.index_field is not None:
            before = self.index_of.pop(key, None)  # of `old`
            if before is not None:
                self.by_index.get(before, {}).pop(key, None)
            value = self._index_value(obj)
            if value is not None:
                self.by_index.setdefault(value, {})[key] = obj
                self.index_of[key] = value
            if value != before:
                self._sorted_keys.pop(("index", before or ""), None)
                self._sorted_keys.pop(("index", value or ""), None)
        return old

    def listen(self, key: str, listener: Callable[[], object]) -> Callable[[], None]:
        """Call `listener()` whenever the cached object of `key` changes; returns what stops it."""
        listeners = self.change_listeners.setdefault(key, [])
        listeners.append(listener)
        return lambda: listeners.remove(listener)

    def _changed(self, key: str) -> None:
        """The cached object of `key` changed (stored or deleted): tell its listeners."""
        for listener in self.change_listeners.get(key, ()):
            listener()

    def _unindex(self, key: str, obj: Obj) -> None:
        """Take a deleted object (already out of `objects`) out of the other pools."""
        namespace = obj["metadata"].get("namespace", "")
        self.by_namespace.get(namespace, {}).pop(key, None)
        self._sorted_keys.pop(("", ""), None)
        self._sorted_keys.pop(("namespace", namespace), None)
        value = self.index_of.pop(key, None)  # computed when `obj` was stored
        if value is not None:
            self.by_index.get(value, {}).pop(key, None)
            self._sorted_keys.pop(("index", value), None)

    def on_store_events(self, events: list[StoreEvent]) -> None:
        """The store's watch callback: update the cache, remember, fan out."""
        for event in events:
            key = event.kv.key[self._prefix_length :]  # "namespace/name" or "name"
            before = self.index_of.get(key)  # the indexed value of `old`
            if event.type == "PUT":
                obj = self._decoded(event.kv)
                old = self._store(key, obj)
                kind = "ADDED" if old is None else "MODIFIED"
                previous = self.kvs.get(key)
                self.kvs[key] = event.kv
            else:
                old = self.objects.pop(key, None)
                if old is None:
                    continue
                self._unindex(key, old)
                obj, kind = with_resource_version(old, event.kv.mod_revision), "DELETED"
                previous = self.kvs.pop(key, None)
            self.revision = event.kv.mod_revision
            if len(self.history) == self.history.maxlen:
                self.oldest_revision = self.history[0][0]
            self.history.append((self.revision, kind, event.kv, previous))
            value = self.index_of.get(key, before)  # of `obj` (a deleted one keeps its own)
            self._dispatch(kind, obj, old, value, before)
            if self.change_listeners:
                self._changed(key)

    # -- serving -------------------------------------------------------------------------------
    def current(self, key: str) -> Obj | None:
        """The cached object of `key` (`namespace/name` or `name`; shared: do not mutate)."""
        return self.objects.get(key)

    def list(self, selection: Filter) -> list[Obj]:
        """Matching objects sorted by key, from the narrowest index that applies."""
        if selection.index_value is not None:
            which = ("index", selection.index_value)
            pool = self.by_index.get(selection.index_value, {})
        elif selection.namespace is not None:
            which = ("namespace", selection.namespace)
            pool = self.by_namespace.get(selection.namespace, {})
        else:
            which, pool = ("", ""), self.objects
        keys = self._sorted_keys.get(which)
        if keys is None:
            keys = self._sorted_keys[which] = sorted(pool)
        if selection.labels is None and selection.fields is None:
            return [pool[k] for k in keys]  # the pool is the selection already
        return [pool[k] for k in keys if selection.matches(pool[k])]

    def add_watch(self, watch: Watch, resource_version: int | None) -> None:
        """Register `watch`; replay from `resource_version`, or send the current state as ADDED."""
        if resource_version is None:
            for obj in self.list(watch.filter):
                watch.send("ADDED", obj)
        else:
            for revision, kind, kv, previous in self.history:
                if revision > resource_version:
                    self.deliver(watch, kind, *replayed(revision, kind, kv, previous))
        if watch.filter.index_value is not None:
            self.watchers_by_index.setdefault(watch.filter.index_value, {})[watch] = None
        elif watch.filter.namespace is not None:
            self.watchers_by_namespace.setdefault(watch.filter.namespace, {})[watch] = None
        else:
            self.watchers_all[watch] = None

    def remove(self, watch: Watch) -> None:
        self.watchers_all.pop(watch, None)
        self.watchers_by_namespace.get(watch.filter.namespace or "", {}).pop(watch, None)
        self.watchers_by_index.get(watch.filter.index_value or "", {}).pop(watch, None)

    def watcher_count(self) -> int:
        return (
            len(self.watchers_all)
            + sum(map(len, self.watchers_by_namespace.values()))
            + sum(map(len, self.watchers_by_index.values()))
        )

    def _candidates(self, obj: Obj, value: str | None, before: str | None) -> builtins.list[Watch]:
        """Watchers that may select `obj` or its previous state, in registration order (`value`
        and `before`: the indexed field of each)."""
        namespaced = self.watchers_by_namespace.get(obj["metadata"].get("namespace", ""))
        if not namespaced and not self.index_field:
            return list(self.watchers_all)  # the common case: no other group can apply
        groups = [self.watchers_all]
        if namespaced:
            groups.append(namespaced)
        if self.index_field:
            for key in (value, before) if before != value else (value,):
                indexed = self.watchers_by_index.get(key or "")
                if indexed:
                    groups.append(indexed)
        if len(groups) == 1:
            return list(self.watchers_all)
        found = [watch for group in groups for watch in group]
        return sorted(found, key=_by_seq)  # groups are disjoint: one watcher, one group

    def _dispatch(
        self, kind: str, obj: Obj, old: Obj | None, value: str | None, before: str | None
    ) -> None:
        for watch in self._candidates(obj, value, before):
            self.deliver(watch, kind, obj, old)

    @staticmethod
    def deliver(watch: Watch, kind: str, obj: Obj, old: Obj | None) -> None:
        """Translate an event for one watcher: objects entering or leaving its selection.

        An object that stops matching arrives as DELETED with its previous state (the one the
        watcher selected) at the new resourceVersion, as upstream's `convertToWatchEvent`.
        """
        if watch.filter.everything:
            watch.send(kind, obj)  # selects everything: the event as it is
            return
        if kind == "DELETED":
            if watch.filter.matches(obj):
                watch.send("DELETED", obj)
            return
        now = watch.filter.matches(obj)
        before = old is not None and watch.filter.matches(old)
        if now and before:
            watch.send("MODIFIED", obj)
        elif now:
            watch.send("ADDED", obj)
        elif before and old is not None:
            watch.send(
                "DELETED", with_resource_version(old, int(obj["metadata"]["resourceVersion"]))
            )
