"""The reflector, mirroring client-go `tools/cache/reflector.go`: LIST, then WATCH from the
list's resourceVersion, and LIST again when the watch fails.

An `ERROR` watch event (410 `Expired` when the resourceVersion was compacted, or any other
Status) stops the watch and re-lists on the next loop turn; `restart_watch()` is what a dropped
connection does: watch again from the last resourceVersion seen, without a re-list unless the
server answers 410. A failed LIST is retried after `LIST_RETRY` seconds.

Left out: the jittered back-off manager, WatchList streaming, paginated lists, bookmarks
requested by the client (bookmarks that arrive only move the resourceVersion), resync (the
informer does it), `SetWatchErrorHandler`.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

from minik8s.api.errors import StatusError

if TYPE_CHECKING:
    from minik8s.client.client import Client

Obj = dict[str, Any]
LIST_RETRY = 1.0


class ReflectorStore(Protocol):
    """Where a reflector puts what it sees (the informer, upstream's DeltaFIFO)."""

    def replace(self, items: Iterable[Obj]) -> None: ...
    def apply(self, event_type: str, obj: Obj) -> None: ...


def resource_version(obj: Obj) -> str:
    """`metadata.resourceVersion`, or ""."""
    return (obj.get("metadata") or {}).get("resourceVersion") or ""


class Reflector:
    """LIST then WATCH one resource into a store with `replace(items)` and `apply(type, obj)`."""

    def __init__(
        self,
        client: Client,
        resource: str,
        store: ReflectorStore,
        namespace: str | None = None,
        label_selector: str | None = None,
        field_selector: str | None = None,
    ):
        self.client = client
        self.resource = resource
        self.store = store
        self.namespace = namespace
        self.label_selector = label_selector
        self.field_selector = field_selector
        self.last_sync_resource_version = ""
        self.list_count = 0
        self.watch_errors: list[Obj] = []
        self._watch: Any = None
        self._generation = 0
        self._stopped = True

    def __repr__(self) -> str:
        ns = f" -n {self.namespace}" if self.namespace else ""
        return f"<Reflector {self.resource}{ns} rv={self.last_sync_resource_version or '-'}>"

    def run(self) -> None:
        """Start listing and watching (synchronously lists now)."""
        self._stopped = False
        self.list_and_watch()

    def stop(self) -> None:
        """Stop the watch; nothing more reaches the store."""
        self._stopped = True
        self._stop_watch()

    def list_and_watch(self) -> None:
        """LIST, hand the items to the store, then WATCH from the list's resourceVersion."""
        if self._stopped:
            return
        self._stop_watch()
        try:
            result = self.client.list(
                self.resource,
                self.namespace,
                label_selector=self.label_selector,
                field_selector=self.field_selector,
            )
        except StatusError:
            self.client.loop.call_later(
                LIST_RETRY, self.list_and_watch, label=f"reflector relist {self.resource}"
            )
            return
        self.list_count += 1
        self.last_sync_resource_version = (result.get("metadata") or {}).get("resourceVersion", "")
        self.store.replace(result.get("items") or [])
        self._start_watch()

    def restart_watch(self) -> None:
        """The watch connection dropped: watch again from the last resourceVersion seen.

        Like upstream, no re-list unless the server answers 410 (the version was compacted).
        """
        if not self._stopped:
            self._stop_watch()
            self._start_watch()

    def _start_watch(self) -> None:
        self._generation += 1
        handler = partial(self._on_event, self._generation)
        try:
            self._watch = self.client.watch(
                self.resource,
                handler,
                self.namespace,
                resource_version=self.last_sync_resource_version,
                label_selector=self.label_selector,
                field_selector=self.field_selector,
            )
        except StatusError as exc:
            self._on_event(self._generation, "ERROR", exc.status())

    def _stop_watch(self) -> None:
        self._generation += 1
        watch, self._watch = self._watch, None
        if watch is not None and hasattr(watch, "stop"):
            watch.stop()

    def _on_event(self, generation: int, event_type: str, obj: Obj) -> None:
        if self._stopped or generation != self._generation:
            return  # an event from a watch we already left
        if event_type == "ERROR":
            self.watch_errors.append(obj)
            self._stop_watch()
            self.client.loop.call_soon(
                self.list_and_watch, label=f"reflector relist {self.resource}"
            )
            return
        rv = resource_version(obj)
        if event_type != "BOOKMARK":
            self.store.apply(event_type, obj)
        if rv:
            self.last_sync_resource_version = rv
