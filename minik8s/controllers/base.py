"""What every controller shares: informer events → work queue → `reconcile(key)`.

This is the shape of every upstream controller (`pkg/controller/*`, and controller-runtime's
level-based reconcile): handlers only enqueue keys; one worker pops a key, reads the current
state from the informer caches, and writes the difference through the API server. A failed
reconcile is retried with the queue's exponential back-off; returning a number requeues the key
after that many seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from minik8s.client.cache import DeletedFinalStateUnknown, meta_namespace_key
from minik8s.client.record import EventRecorder
from minik8s.client.workqueue import RateLimitingQueue

if TYPE_CHECKING:
    from minik8s.client.client import Client
    from minik8s.client.informer import SharedInformerFactory
    from minik8s.trace import Tracer

Obj = dict[str, Any]
KeyFunc = Callable[[Obj], "list[str] | str | None"]


class Controller:
    """Base class: subclasses set `name`, call `watch(...)` in `__init__`, write `reconcile`."""

    name = "controller"

    def __init__(
        self, client: Client, informers: SharedInformerFactory, tracer: Tracer | None = None
    ):
        self.client = client
        self.informers = informers
        self.tracer = tracer
        self.loop = client.loop
        self.queue = RateLimitingQueue(self.loop, name=self.name, tracer=tracer)
        self.recorder = EventRecorder(client, self.name)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} queue={len(self.queue)}>"

    def watch(self, resource: str, key_fn: KeyFunc | None = None) -> None:
        """Enqueue `key_fn(obj)` (default: the object's own key) on every event of `resource`."""
        to_keys = key_fn or meta_namespace_key

        def enqueue(obj: Any) -> None:
            if isinstance(obj, DeletedFinalStateUnknown):
                obj = obj.obj
            keys = to_keys(obj)
            for key in [keys] if isinstance(keys, str) else keys or []:
                self.enqueue(key)

        self.informers.informer_for(resource).add_event_handler(
            on_add=enqueue, on_update=lambda _old, new: enqueue(new), on_delete=enqueue
        )

    def enqueue(self, key: str) -> None:
        if self.tracer is not None and self.tracer.enabled:
            self.tracer.emit(self.name, f"enqueue {key}")
        self.queue.add(key)

    def start(self) -> None:
        """Start the worker (the informers are started by whoever owns the factory)."""
        self.queue.process(self.reconcile)

    def reconcile(self, key: str) -> float | None:
        """Make the world match the desired state of `key`; raise to retry with back-off."""
        raise NotImplementedError
