"""A tiny in-memory API server honouring the `minik8s.client.Client` contract, for client tests.

One revision counter for all resources (like etcd), a bounded event history for watches from a
resourceVersion, `compact()` to make old resourceVersions expire, and `expire_watches()` to send
every open watch an `ERROR` 410 `Expired`. Watch events are delivered with `loop.call_soon`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from minik8s.api import kinds
from minik8s.api.errors import AlreadyExists, Expired, NotFound
from minik8s.sim.loop import EventLoop

Obj = dict[str, Any]


class FakeWatch:
    """An open watch; `stop()` ends delivery, even of events already scheduled."""

    def __init__(
        self,
        server: FakeAPIServer,
        resource: str,
        namespace: str | None,
        handler: Callable[[str, Obj], None],
    ):
        self.server = server
        self.resource = resource
        self.namespace = namespace
        self.handler = handler
        self.stopped = False

    def __repr__(self) -> str:
        return f"<FakeWatch {self.resource} stopped={self.stopped}>"

    def stop(self) -> None:
        self.stopped = True
        if self in self.server.watches:
            self.server.watches.remove(self)

    def matches(self, resource: str, obj: Obj) -> bool:
        ns = obj["metadata"].get("namespace")
        return resource == self.resource and (self.namespace is None or ns == self.namespace)

    def send(self, event_type: str, obj: Obj) -> None:
        self.server.loop.call_soon(self._deliver, event_type, copy.deepcopy(obj))

    def _deliver(self, event_type: str, obj: Obj) -> None:
        if not self.stopped:
            self.handler(event_type, obj)


class FakeAPIServer:
    """Objects per resource in memory; create/get/list/update/delete/watch like the real server."""

    def __init__(self, loop: EventLoop | None = None):
        self.loop = loop or EventLoop()
        self.revision = 1
        self.compacted = 0
        self.objects: dict[str, dict[str, Obj]] = {}
        self.history: list[tuple[int, str, str, Obj]] = []
        self.watches: list[FakeWatch] = []
        self.calls: list[str] = []

    def __repr__(self) -> str:
        return f"<FakeAPIServer rev={self.revision}>"

    # -- helpers ------------------------------------------------------------------------------
    @staticmethod
    def _resource(resource: str) -> str:
        return kinds.lookup(resource).group_resource

    @staticmethod
    def _key(obj: Obj, namespace: str | None) -> str:
        ns = namespace or obj["metadata"].get("namespace")
        return f"{ns}/{obj['metadata']['name']}" if ns else obj["metadata"]["name"]

    def _record(self, resource: str, event_type: str, obj: Obj) -> None:
        self.history.append((self.revision, resource, event_type, copy.deepcopy(obj)))
        for watch in list(self.watches):
            if watch.matches(resource, obj):
                watch.send(event_type, obj)

    def _bump(self, obj: Obj) -> None:
        self.revision += 1
        obj["metadata"]["resourceVersion"] = str(self.revision)

    # -- verbs --------------------------------------------------------------------------------
    def create(self, resource: str, obj: Obj, namespace: str | None = None, **_: Any) -> Obj:
        resource = self._resource(resource)
        obj = copy.deepcopy(obj)
        if namespace:
            obj["metadata"]["namespace"] = namespace
        key = self._key(obj, namespace)
        store = self.objects.setdefault(resource, {})
        if key in store:
            raise AlreadyExists.for_resource(resource, obj["metadata"]["name"])
        obj["metadata"]["uid"] = f"uid-{self.revision + 1}"
        self._bump(obj)
        store[key] = obj
        self._record(resource, "ADDED", obj)
        return copy.deepcopy(obj)

    def get(self, resource: str, name: str, namespace: str | None = None, **_: Any) -> Obj:
        resource = self._resource(resource)
        key = f"{namespace}/{name}" if namespace else name
        obj = self.objects.get(resource, {}).get(key)
        if obj is None:
            raise NotFound.for_resource(resource, name)
        return copy.deepcopy(obj)

    def list(self, resource: str, namespace: str | None = None, **_: Any) -> Obj:
        resource = self._resource(resource)
        self.calls.append(f"list {resource}")
        kind = kinds.lookup(resource).kind
        items = [
            copy.deepcopy(o)
            for o in self.objects.get(resource, {}).values()
            if namespace is None or o["metadata"].get("namespace") == namespace
        ]
        return {
            "kind": f"{kind}List",
            "apiVersion": "v1",
            "metadata": {"resourceVersion": str(self.revision)},
            "items": items,
        }

    def update(self, resource: str, obj: Obj, namespace: str | None = None, **_: Any) -> Obj:
        resource = self._resource(resource)
        obj = copy.deepcopy(obj)
        key = self._key(obj, namespace)
        store = self.objects.get(resource, {})
        if key not in store:
            raise NotFound.for_resource(resource, obj["metadata"]["name"])
        obj["metadata"]["uid"] = store[key]["metadata"]["uid"]
        self._bump(obj)
        store[key] = obj
        self._record(resource, "MODIFIED", obj)
        return copy.deepcopy(obj)

    def delete(self, resource: str, name: str, namespace: str | None = None, **_: Any) -> Obj:
        resource = self._resource(resource)
        key = f"{namespace}/{name}" if namespace else name
        store = self.objects.get(resource, {})
        if key not in store:
            raise NotFound.for_resource(resource, name)
        obj = store.pop(key)
        self._bump(obj)
        self._record(resource, "DELETED", obj)
        return copy.deepcopy(obj)

    def watch(
        self,
        resource: str,
        handler: Callable[[str, Obj], None],
        namespace: str | None = None,
        *,
        resource_version: str | None = None,
        **_: Any,
    ) -> FakeWatch:
        resource = self._resource(resource)
        self.calls.append(f"watch {resource} rv={resource_version}")
        watch = FakeWatch(self, resource, namespace, handler)
        self.watches.append(watch)
        if resource_version in (None, "", "0"):
            return watch
        rv = int(resource_version)
        if rv < self.compacted:
            watch.send(
                "ERROR", Expired(f"too old resource version: {rv} ({self.compacted})").status()
            )
            return watch
        for revision, res, event_type, obj in self.history:
            if revision > rv and watch.matches(res, obj):
                watch.send(event_type, obj)
        return watch

    # -- fault injection ----------------------------------------------------------------------
    def compact(self) -> None:
        """Forget history up to now: watches from an older resourceVersion get 410 Expired."""
        self.compacted = self.revision
        self.history.clear()

    def expire_watches(self) -> None:
        """Compact, then send every open watch `ERROR` 410 Expired (a watch fell behind)."""
        self.compact()
        status = Expired("The resourceVersion for the provided watch is too old.").status()
        for watch in list(self.watches):
            watch.send("ERROR", status)

    def state(self, resource: str) -> dict[str, str]:
        """`{key: resourceVersion}` of what the server holds now."""
        return {
            k: o["metadata"]["resourceVersion"]
            for k, o in self.objects.get(self._resource(resource), {}).items()
        }
