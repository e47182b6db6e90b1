"""Work queues, mirroring client-go `util/workqueue` (queue.go, delaying_queue.go,
rate_limiting_queue.go); the rate limiters (default_rate_limiters.go) are in `ratelimit.py`.

The queue is where level-based controllers meet events: handlers `add(key)`, a worker `get()`s a
key, reconciles it and calls `done(key)`. The dirty/processing sets give upstream's guarantees:
a key is queued at most once, and a key being processed is never handed to a second worker; if
it is re-added meanwhile it comes back once, after `done`.

Left out: metrics, `ShutDownWithDrain`, the priority queue, `WithMaxWaitRateLimiter`. `get()` never
blocks: it returns None when nothing is ready, and `process(handler)` drives a consumer from the
event loop instead of a goroutine (`processNextWorkItem`). Times are virtual seconds.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any

from minik8s.client.ratelimit import (
    BucketRateLimiter,
    ItemExponentialFailureRateLimiter,
    ItemFastSlowRateLimiter,
    MaxOfRateLimiter,
    RateLimiter,
    default_controller_rate_limiter,
    set_clock,
)

if TYPE_CHECKING:
    from minik8s.sim.loop import EventLoop, Timer
    from minik8s.trace import Tracer

Handler = Callable[[Any], Any]

# Upstream's rate limiters live in package workqueue: importable from here too.
__all__ = [
    "BucketRateLimiter",
    "DelayingQueue",
    "ItemExponentialFailureRateLimiter",
    "ItemFastSlowRateLimiter",
    "MaxOfRateLimiter",
    "RateLimiter",
    "RateLimitingQueue",
    "WorkQueue",
    "default_controller_rate_limiter",
]


# -- queues ---------------------------------------------------------------------------------------
class WorkQueue:
    """A FIFO of unique items with the dirty/processing sets of upstream's `workqueue.Type`.

    Items are hashable and never None (None is what `get` returns when nothing is ready).
    `on_add(queue)` (optional) is called whenever an item becomes ready to `get`.
    """

    def __init__(self, name: str = "", on_add: Callable[[WorkQueue], None] | None = None):
        self.name = name
        self.on_add = on_add
        self._queue: deque[Hashable] = deque()
        self._dirty: set[Hashable] = set()
        self._processing: set[Hashable] = set()
        self._shutting_down = False

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} {self.name or '-'} len={len(self._queue)} "
            f"processing={len(self._processing)}>"
        )

    def __len__(self) -> int:
        return len(self._queue)

    def add(self, item: Hashable) -> None:
        """Mark `item` as needing processing; queued once, and not while it is processing."""
        if self._shutting_down or item in self._dirty:
            return
        self._dirty.add(item)
        if item in self._processing:
            return
        self._push(item)

    def _push(self, item: Hashable) -> None:
        self._queue.append(item)
        if self.on_add is not None:
            self.on_add(self)

    def get(self) -> Hashable | None:
        """The next item to process (now marked processing), or None when none is ready."""
        if not self._queue:
            return None
        item = self._queue.popleft()
        self._processing.add(item)
        self._dirty.discard(item)
        return item

    def done(self, item: Hashable) -> None:
        """Processing of `item` finished; if it was re-added meanwhile, queue it again."""
        self._processing.discard(item)
        if item in self._dirty:
            self._push(item)

    def shut_down(self) -> None:
        """Ignore further adds; `get` still drains what is queued."""
        self._shutting_down = True

    def shutting_down(self) -> bool:
        """Whether `shut_down` was called."""
        return self._shutting_down

    def is_processing(self, item: Hashable) -> bool:
        """Whether a worker holds `item` (between `get` and `done`)."""
        return item in self._processing

    def items(self) -> list[Hashable]:
        """The queued items in order (for traces and tests)."""
        return list(self._queue)


class DelayingQueue(WorkQueue):
    """A work queue whose `add_after` waits on the loop's virtual clock first."""

    def __init__(
        self, loop: EventLoop, name: str = "", on_add: Callable[[WorkQueue], None] | None = None
    ):
        super().__init__(name, on_add)
        self.loop = loop
        self._waiting: dict[Hashable, Timer] = {}

    def add_after(self, item: Hashable, delay: float, *, background: bool = False) -> None:
        """Add `item` after `delay` seconds; an earlier pending time for it wins.

        `background=True` for periodic re-checks that should not keep `loop.settle()` busy.
        """
        if self._shutting_down:
            return
        if delay <= 0:
            self.add(item)
            return
        when = self.loop.now + delay
        timer = self._waiting.get(item)
        if timer is not None:
            if timer.when <= when:
                return
            timer.cancel()
        label = f"workqueue {self.name} add {item}"
        self._waiting[item] = self.loop.call_at(
            when, self._fire, item, label=label, background=background
        )

    def _fire(self, item: Hashable) -> None:
        del self._waiting[item]
        self.add(item)

    def waiting(self) -> list[Hashable]:
        """Items waiting for their delay to pass, soonest first."""
        return [
            item
            for item, _ in sorted(self._waiting.items(), key=lambda kv: (kv[1].when, kv[1].seq))
        ]

    def shut_down(self) -> None:
        """Ignore further adds and drop the items still waiting."""
        super().shut_down()
        for timer in self._waiting.values():
            timer.cancel()
        self._waiting.clear()


class RateLimitingQueue(DelayingQueue):
    """A delaying queue whose `add_rate_limited` asks a rate limiter how long to wait.

    `process(handler)` runs the standard worker (`processNextWorkItem`): one item per loop
    callback; `handler(item)` returning None → `forget`; returning a number → `forget` and
    `add_after` that many seconds (controller-runtime's RequeueAfter); raising → `add_rate_limited`
    (the exception goes to `on_error(item, exc)` if set, and is kept in `last_error`).
    With a `tracer`, the worker reports `reconcile <key>` and `retry <key> in <delay>s: <error>`.
    """

    def __init__(
        self,
        loop: EventLoop,
        rate_limiter: RateLimiter | None = None,
        name: str = "",
        tracer: Tracer | None = None,
    ):
        super().__init__(loop, name, on_add=None)
        self.tracer = tracer
        self.rate_limiter: RateLimiter = rate_limiter or default_controller_rate_limiter()
        set_clock(self.rate_limiter, loop)
        self.handler: Handler | None = None
        self.on_error: Callable[[Hashable, Exception], None] | None = None
        self.last_error: dict[Hashable, Exception] = {}
        self._scheduled = False

    def add_rate_limited(self, item: Hashable) -> None:
        """Add `item` after the delay its rate limiter decides (a failure is counted)."""
        self.add_after(item, self.rate_limiter.when(item))

    def forget(self, item: Hashable) -> None:
        """`item` succeeded (or was given up): reset its back-off."""
        self.rate_limiter.forget(item)
        self.last_error.pop(item, None)

    def num_requeues(self, item: Hashable) -> int:
        """How many times `item` was rate-limited since it was last forgotten."""
        return self.rate_limiter.num_requeues(item)

    # -- the worker ---------------------------------------------------------------------------
    def process(self, handler: Handler) -> None:
        """Drive `handler(item)` from the loop for every item that becomes ready."""
        self.handler = handler
        self.on_add = self._wake
        if self._queue:
            self._wake(self)

    def _wake(self, _queue: WorkQueue) -> None:
        if not self._scheduled and self.handler is not None:
            self._scheduled = True
            self.loop.call_idle(self._process_next_work_item, label=f"workqueue {self.name} worker")

    def _process_next_work_item(self) -> None:
        self._scheduled = False
        item = self.get()
        if item is None or self.handler is None:
            return
        if self.tracer is not None and self.tracer.enabled:
            self.tracer.emit(self.name, f"reconcile {item}")
        try:
            result = self.handler(item)
        except Exception as exc:  # noqa: BLE001 - a failed reconcile is retried, like upstream
            self.last_error[item] = exc
            if self.on_error is not None:
                self.on_error(item, exc)
            delay = self.rate_limiter.when(item)
            if self.tracer is not None and self.tracer.enabled:
                self.tracer.emit(self.name, f"retry {item} in {delay:g}s: {exc}")
            self.add_after(item, delay)
        else:
            self.forget(item)
            if isinstance(result, (int, float)) and not isinstance(result, bool) and result > 0:
                self.add_after(item, float(result))
        finally:
            self.done(item)
        if self._queue:
            self._wake(self)
