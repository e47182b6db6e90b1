"""Shared informers, mirroring client-go `tools/cache` (reflector.go, delta_fifo.go,
shared_informer.go) and `informers/factory.go`.

A `Reflector` (reflector.py) LISTs a resource, then WATCHes from the list's resourceVersion;
when the watch fails (an `ERROR` event, e.g. 410 `Expired` after compaction) it lists again. A
`SharedIndexInformer` applies what the reflector sees to its `Indexer` and tells its event
handlers: `on_add(obj)`, `on_update(old, new)`, `on_delete(obj)`. After a re-list it emits only
the differences, like upstream's `Replace` + `HandleDeltas`: new keys → add, changed
resourceVersion → update, vanished keys → delete with a `DeletedFinalStateUnknown` tombstone
(unchanged objects count as a resync and reach no handler). `SharedInformerFactory` hands every
component the same informer per resource: one cache, one watch.

Contract: objects in the cache and passed to handlers are shared, never copied per reader. Do not
mutate them; copy first.

Left out: the DeltaFIFO queue and per-listener buffers (events are applied and dispatched
synchronously, in order, on the loop callback that delivers them), transform functions, the
shared resync check period (each handler's resync runs on its own background timer), and what
`reflector.py` leaves out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from minik8s.api import kinds
from minik8s.client.cache import (
    NAMESPACE_INDEX,
    DeletedFinalStateUnknown,
    Indexer,
    IndexFunc,
    Lister,
    meta_namespace_key,
    namespace_index,
)
from minik8s.client.reflector import Reflector, resource_version

if TYPE_CHECKING:
    from minik8s.client.client import Client
    from minik8s.sim.loop import Timer

Obj = dict[str, Any]


class ResourceEventHandler:
    """One registration: the callbacks a component added, and its resync period."""

    def __init__(
        self,
        on_add: Callable[[Obj], Any] | None,
        on_update: Callable[[Obj, Obj], Any] | None,
        on_delete: Callable[[Any], Any] | None,
        resync_period: float,
    ):
        self.on_add = on_add
        self.on_update = on_update
        self.on_delete = on_delete
        self.resync_period = resync_period
        self.timer: Timer | None = None

    def __repr__(self) -> str:
        names = [
            getattr(f, "__qualname__", "handler")
            for f in (self.on_add, self.on_update, self.on_delete)
            if f
        ]
        return f"<ResourceEventHandler {' '.join(names) or '-'} resync={self.resync_period:g}s>"


class SharedIndexInformer:
    """A cache of one resource kept current by a reflector, with indices and event handlers."""

    def __init__(
        self,
        client: Client,
        resource: str,
        namespace: str | None = None,
        *,
        resync_period: float = 0.0,
        indexers: dict[str, IndexFunc] | None = None,
        label_selector: str | None = None,
        field_selector: str | None = None,
    ):
        info = _lookup(resource)
        self.client = client
        self.resource = info.group_resource if info else resource
        self.namespace = namespace if info is None or info.namespaced else None
        self.resync_period = resync_period
        self.indexer = Indexer({NAMESPACE_INDEX: namespace_index, **(indexers or {})})
        self.reflector = Reflector(
            client, self.resource, self, self.namespace, label_selector, field_selector
        )
        self._lister_resource = (
            (f"{info.singular}.{info.group}" if info.group else info.singular) if info else resource
        )
        self._handlers: list[ResourceEventHandler] = []
        self._started = False
        self._stopped = False
        self._synced = False

    def __repr__(self) -> str:
        ns = f" -n {self.namespace}" if self.namespace else ""
        state = "synced" if self._synced else "started" if self._started else "new"
        counts = f"objects={len(self.indexer)} handlers={len(self._handlers)}"
        return f"<SharedIndexInformer {self.resource}{ns} {state} {counts}>"

    # -- public API ---------------------------------------------------------------------------
    def add_event_handler(
        self,
        on_add: Callable[[Obj], Any] | None = None,
        on_update: Callable[[Obj, Obj], Any] | None = None,
        on_delete: Callable[[Any], Any] | None = None,
        resync_period: float | None = None,
    ) -> ResourceEventHandler:
        """Register callbacks; if already started, `on_add` runs now for every cached object."""
        period = self.resync_period if resync_period is None else resync_period
        handler = ResourceEventHandler(on_add, on_update, on_delete, period)
        self._handlers.append(handler)
        if self._started:
            if on_add is not None:
                for obj in self.indexer.list():
                    on_add(obj)
            self._schedule_resync(handler)
        return handler

    def remove_event_handler(self, handler: ResourceEventHandler) -> None:
        """Unregister a handler returned by `add_event_handler`."""
        self._handlers.remove(handler)
        if handler.timer is not None:
            handler.timer.cancel()

    def add_indexers(self, indexers: dict[str, IndexFunc]) -> None:
        """Add index functions (allowed after start: existing objects are indexed)."""
        self.indexer.add_indexers(indexers)

    def lister(self) -> Lister:
        """A read-only lister over this informer's cache."""
        return Lister(self.indexer, self._lister_resource)

    def has_synced(self) -> bool:
        """Whether the first LIST has been applied to the cache."""
        return self._synced

    def is_started(self) -> bool:
        """Whether `start` was called."""
        return self._started

    @property
    def last_sync_resource_version(self) -> str:
        """The resourceVersion the cache is current to."""
        return self.reflector.last_sync_resource_version

    def start(self) -> None:
        """LIST (now, synchronously) and WATCH; idempotent."""
        if self._started:
            return
        self._started = True
        self.reflector.run()
        for handler in self._handlers:
            self._schedule_resync(handler)

    def stop(self) -> None:
        """Stop watching and resyncing for good; the cache keeps its last contents."""
        self._stopped = True
        self.reflector.stop()
        for handler in self._handlers:
            if handler.timer is not None:
                handler.timer.cancel()
                handler.timer = None

    # -- the store side of the reflector ------------------------------------------------------
    def replace(self, items: Iterable[Obj]) -> None:
        """Make the cache equal `items`, notifying handlers of the differences."""
        seen: set[str] = set()
        for obj in items:
            key = meta_namespace_key(obj)
            seen.add(key)
            old = self.indexer.put(key, obj)
            if old is None:
                self._notify_add(obj)
            elif resource_version(old) != resource_version(obj):
                self._notify_update(old, obj)
        for key in [k for k in self.indexer.list_keys() if k not in seen]:
            old = self.indexer.get_by_key(key)
            self.indexer.delete_key(key)
            self._notify_delete(DeletedFinalStateUnknown(key, old or {}))
        self._synced = True

    def apply(self, event_type: str, obj: Obj) -> None:
        """Apply one watch event (`ADDED`, `MODIFIED`, `DELETED`) to the cache and handlers."""
        key = meta_namespace_key(obj)
        if event_type == "DELETED":
            if key in self.indexer:
                self.indexer.delete_key(key)
                self._notify_delete(obj)
            return
        old = self.indexer.put(key, obj)
        if old is None:
            self._notify_add(obj)
        else:
            self._notify_update(old, obj)

    def _notify_add(self, obj: Obj) -> None:
        for handler in tuple(self._handlers):
            if handler.on_add is not None:
                handler.on_add(obj)

    def _notify_update(self, old: Obj, new: Obj) -> None:
        for handler in tuple(self._handlers):
            if handler.on_update is not None:
                handler.on_update(old, new)

    def _notify_delete(self, obj: Obj | DeletedFinalStateUnknown) -> None:
        for handler in tuple(self._handlers):
            if handler.on_delete is not None:
                handler.on_delete(obj)

    def _schedule_resync(self, handler: ResourceEventHandler) -> None:
        if self._stopped or handler.resync_period <= 0 or handler.timer is not None:
            return
        if handler in self._handlers:
            handler.timer = self.client.loop.call_later(
                handler.resync_period,
                self._resync,
                handler,
                label=f"informer resync {self.resource}",
                background=True,
            )

    def _resync(self, handler: ResourceEventHandler) -> None:
        handler.timer = None
        if handler.on_update is not None:
            for obj in self.indexer.list():
                handler.on_update(obj, obj)
        self._schedule_resync(handler)


def _lookup(resource: str) -> kinds.ResourceInfo | None:
    try:
        return kinds.lookup(resource)
    except kinds.UnknownResource:
        return None


class SharedInformerFactory:
    """One informer per (resource, namespace), shared by every component (`SharedInformerFactory`).

    `namespace`, `label_selector`, `field_selector` apply to every informer it makes
    (`WithNamespace`, `WithTweakListOptions`); `default_resync` is each informer's resync period.
    """

    def __init__(
        self,
        client: Client,
        *,
        default_resync: float = 0.0,
        namespace: str | None = None,
        label_selector: str | None = None,
        field_selector: str | None = None,
    ):
        self.client = client
        self.default_resync = default_resync
        self.namespace = namespace
        self.label_selector = label_selector
        self.field_selector = field_selector
        self._informers: dict[tuple[str, str | None], SharedIndexInformer] = {}

    def __repr__(self) -> str:
        names = ", ".join(f"{r}{'/' + ns if ns else ''}" for r, ns in self._informers)
        return f"<SharedInformerFactory [{names}]>"

    def informer_for(self, resource: str, namespace: str | None = None) -> SharedIndexInformer:
        """The shared informer for `resource` (any kubectl name: `pods`, `po`, `deploy`)."""
        info = _lookup(resource)
        name = info.group_resource if info else resource
        ns = namespace if namespace is not None else self.namespace
        if info is not None and not info.namespaced:
            ns = None
        key = (name, ns)
        informer = self._informers.get(key)
        if informer is None:
            informer = SharedIndexInformer(
                self.client,
                name,
                ns,
                resync_period=self.default_resync,
                label_selector=self.label_selector,
                field_selector=self.field_selector,
            )
            self._informers[key] = informer
        return informer

    def lister_for(self, resource: str, namespace: str | None = None) -> Lister:
        """A lister over the shared informer's cache for `resource`."""
        return self.informer_for(resource, namespace).lister()

    def informers(self) -> list[SharedIndexInformer]:
        """Every informer made so far, in creation order."""
        return list(self._informers.values())

    def start(self) -> None:
        """Start every informer not started yet (new informers need another `start`)."""
        for informer in self.informers():
            informer.start()

    def wait_for_cache_sync(self) -> dict[str, bool]:
        """Which informers have synced (never blocks: run the loop to make progress)."""
        return {
            f"{r}{'/' + ns if ns else ''}": i.has_synced() for (r, ns), i in self._informers.items()
        }

    def shutdown(self) -> None:
        """Stop every informer."""
        for informer in self.informers():
            informer.stop()
