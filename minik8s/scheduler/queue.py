"""The scheduling queue, mirroring `pkg/scheduler/backend/queue/scheduling_queue.go`
(`PriorityQueue`).

Three sub-queues: `activeQ` (a heap in QueueSort order, what `pop` takes from), `backoffQ` (pods
waiting out their back-off: 1 s doubling to 10 s per attempt) and `unschedulablePods` (pods that
failed and wait for a cluster event that may help). An event moves a parked pod when one of the
plugins that rejected it registered for that event (upstream's EnqueueExtensions, without
queueing hints; a plugin without `events_to_register` is interested in every event); a pod
nothing rejected (an error) always moves. Node and assigned-pod events first narrow the parked
pods as upstream v1.31 does (`precheck.py`). Pods parked for more than 5 minutes are flushed
back anyway (checked every 30 s, so a pod parked at a tick waits 330 s). A pod that failed
while a move request arrived during its own cycle goes to back-off instead of being parked
(`moveRequestCycle`).

Virtual time: the back-off flush is a timer at the earliest expiry (upstream ticks every
second), so `settle()` waits for back-offs; the 30 s leftover flush is a background timer.
Left out: nominated pods, QueueingHint functions, in-flight event replay, PreEnqueue plugins
other than the scheduling-gates check.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from minik8s.scheduler.framework import EVENT_UNSCHEDULABLE_TIMEOUT, ClusterEvent
from minik8s.scheduler.types import PodInfo

if TYPE_CHECKING:
    from minik8s.sim.loop import EventLoop, Timer

Obj = dict[str, Any]
DEFAULT_POD_INITIAL_BACKOFF = 1.0
DEFAULT_POD_MAX_BACKOFF = 10.0
DEFAULT_POD_MAX_IN_UNSCHEDULABLE_PODS_DURATION = 300.0
UNSCHEDULABLE_FLUSH_INTERVAL = 30.0
Less = Callable[["QueuedPodInfo", "QueuedPodInfo"], bool]


class QueuedPodInfo:
    """upstream `QueuedPodInfo`: a pod plus its queueing history."""

    __slots__ = (
        "pod_info", "timestamp", "attempts", "initial_attempt_timestamp",
        "unschedulable_plugins", "gated", "seq",
    )  # fmt: skip

    def __init__(self, pod_info: PodInfo, now: float, seq: int) -> None:
        self.pod_info = pod_info
        self.timestamp = now
        self.attempts = 0
        self.initial_attempt_timestamp: float | None = None
        self.unschedulable_plugins: set[str] = set()
        self.gated = False
        self.seq = seq

    def __repr__(self) -> str:
        plugins = ",".join(sorted(self.unschedulable_plugins))
        return (
            f"QueuedPodInfo({self.pod_info.key} attempts={self.attempts} rejected-by=[{plugins}])"
        )

    @property
    def key(self) -> str:
        return self.pod_info.key


class _Entry:
    """An activeQ record; `removed` marks lazy deletion of its heap item."""

    __slots__ = ("qpi", "removed")

    def __init__(self, qpi: QueuedPodInfo) -> None:
        self.qpi, self.removed = qpi, False

    def __repr__(self) -> str:
        return f"_Entry({self.qpi.key}{' removed' if self.removed else ''})"


class _ByLess:
    """A heap sort key from a QueueSort `less` (for plugins without `sort_key`)."""

    __slots__ = ("qpi", "less")

    def __init__(self, qpi: QueuedPodInfo, less: Less) -> None:
        self.qpi, self.less = qpi, less

    def __repr__(self) -> str:
        return f"_ByLess({self.qpi.key})"

    def __lt__(self, other: _ByLess) -> bool:
        return self.less(self.qpi, other.qpi)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _ByLess):
            return NotImplemented
        return not self.less(self.qpi, other.qpi) and not self.less(other.qpi, self.qpi)

    __hash__ = None  # type: ignore[assignment]


def _default_less(a: QueuedPodInfo, b: QueuedPodInfo) -> bool:
    p1, p2 = a.pod_info.priority, b.pod_info.priority
    return p1 > p2 or (p1 == p2 and a.timestamp < b.timestamp)


def priority_sort_key(qpi: QueuedPodInfo) -> tuple[int, float]:
    """`_default_less` as a key: higher priority first, then the earlier timestamp."""
    return (-qpi.pod_info.priority, qpi.timestamp)


class PriorityQueue:
    """activeQ + backoffQ + unschedulablePods on the event loop."""

    def __init__(
        self,
        loop: EventLoop,
        less: Less | None = None,
        events_by_plugin: dict[str, list[ClusterEvent]] | None = None,
        *,
        on_active: Callable[[], None] | None = None,
        initial_backoff: float = DEFAULT_POD_INITIAL_BACKOFF,
        max_backoff: float = DEFAULT_POD_MAX_BACKOFF,
        max_in_unschedulable: float = DEFAULT_POD_MAX_IN_UNSCHEDULABLE_PODS_DURATION,
        sort_key: Callable[[QueuedPodInfo], Any] | None = None,
    ) -> None:
        self.loop = loop
        self.less = less or _default_less
        # heap items are (sort key, seq, entry): compared as tuples, ties in arrival order
        self.sort_key = sort_key if less is not None else priority_sort_key
        self.events_by_plugin = events_by_plugin or {}
        self.on_active = on_active
        self.initial_backoff = initial_backoff
        self.max_backoff = max_backoff
        self.max_in_unschedulable = max_in_unschedulable
        self.active: dict[str, _Entry] = {}
        self._active_heap: list[tuple[Any, int, int, _Entry]] = []
        self._pushes = 0  # last tie-break: an updated pod is pushed again with its seq
        self.backoff: dict[str, QueuedPodInfo] = {}
        self._backoff_heap: list[tuple[float, int, str]] = []
        self.unschedulable: dict[str, QueuedPodInfo] = {}
        self.in_flight: dict[str, QueuedPodInfo] = {}
        self.scheduling_cycle = 0
        self.move_request_cycle = -1
        self._seq = 0
        self._backoff_timer: Timer | None = None
        self._leftover_timer: Timer | None = None

    def __repr__(self) -> str:
        return f"PriorityQueue({self.pending_summary()})"

    def pending_summary(self) -> str:
        """upstream `PendingPods` summary string."""
        return (
            f"activeQ:{len(self.active)}; backoffQ:{len(self.backoff)}; "
            f"unschedulablePods:{len(self.unschedulable)}"
        )

    def __contains__(self, key: object) -> bool:
        return key in self.active or key in self.backoff or key in self.unschedulable

    def start(self) -> None:
        """Start the periodic leftover flush (upstream `Run`)."""
        if self._leftover_timer is None:
            self._leftover_timer = self.loop.call_later(
                UNSCHEDULABLE_FLUSH_INTERVAL, self._leftover_tick, background=True,
                label="scheduler flushUnschedulablePodsLeftover",
            )  # fmt: skip

    # -- adding and removing ------------------------------------------------------------------
    def _new_qpi(self, pod_info: PodInfo) -> QueuedPodInfo:
        self._seq += 1
        return QueuedPodInfo(pod_info, self.loop.now, self._seq)

    def add(self, pod: Obj) -> None:
        """upstream `Add`: a new pending pod goes to activeQ (or parks while gated)."""
        qpi = self._new_qpi(PodInfo(pod))
        self._remove_everywhere(qpi.key)
        self._enqueue_new(qpi)

    def _enqueue_new(self, qpi: QueuedPodInfo) -> None:
        if (qpi.pod_info.spec.get("schedulingGates") or []) != []:
            qpi.gated = True
            self.unschedulable[qpi.key] = qpi
            return
        qpi.gated = False
        self._push_active(qpi)

    def update(self, old: Obj, new: Obj) -> None:
        """upstream `Update`: refresh the pod; a parked pod whose spec changed retries."""
        meta = new["metadata"]
        key = f"{meta.get('namespace') or ''}/{meta['name']}"
        queued = self._queued(key)
        info = PodInfo(new) if queued is None else queued.pod_info.updated(new)
        if key in self.active:
            entry = self.active.pop(key)
            entry.removed = True
            entry.qpi.pod_info = info
            self._push_active(entry.qpi)
            return
        if key in self.backoff:
            self.backoff[key].pod_info = info
            return
        if key in self.in_flight:
            self.in_flight[key].pod_info = info
            return
        qpi = self.unschedulable.get(key)
        if qpi is None:
            self.add(new)
            return
        qpi.pod_info = info
        if qpi.gated:
            if not info.spec.get("schedulingGates"):
                del self.unschedulable[key]
                self._enqueue_new(qpi)
        elif _is_pod_updated(old, new):
            del self.unschedulable[key]
            self._requeue(qpi)

    def _queued(self, key: str) -> QueuedPodInfo | None:
        entry = self.active.get(key)
        if entry is not None:
            return entry.qpi
        return self.backoff.get(key) or self.in_flight.get(key) or self.unschedulable.get(key)

    def delete(self, pod: Obj) -> None:
        """upstream `Delete`: forget the pod wherever it is."""
        meta = pod["metadata"]
        self._remove_everywhere(f"{meta.get('namespace') or ''}/{meta['name']}")

    def _remove_everywhere(self, key: str) -> None:
        entry = self.active.pop(key, None)
        if entry is not None:
            entry.removed = True
        self.backoff.pop(key, None)
        self.unschedulable.pop(key, None)
        self.in_flight.pop(key, None)

    # -- popping ------------------------------------------------------------------------------
    def pop(self) -> QueuedPodInfo | None:
        """upstream `Pop`: the head of activeQ (None when empty); counts an attempt."""
        while self._active_heap:
            entry = heapq.heappop(self._active_heap)[3]
            if entry.removed:
                continue
            qpi = entry.qpi
            del self.active[qpi.key]
            qpi.attempts += 1
            if qpi.initial_attempt_timestamp is None:
                qpi.initial_attempt_timestamp = self.loop.now
            self.scheduling_cycle += 1
            self.in_flight[qpi.key] = qpi
            return qpi
        return None

    def done(self, key: str) -> None:
        """upstream `Done`: the pod's scheduling attempt ended (bound or requeued)."""
        self.in_flight.pop(key, None)

    def add_unschedulable_if_not_present(self, qpi: QueuedPodInfo, cycle: int) -> None:
        """upstream `AddUnschedulableIfNotPresent`: park the failed pod, or back it off."""
        self.in_flight.pop(qpi.key, None)
        if qpi.key in self:
            return
        qpi.timestamp = self.loop.now
        if self.move_request_cycle >= cycle or not qpi.unschedulable_plugins:
            self._requeue(qpi)
        else:
            self.unschedulable[qpi.key] = qpi

    # -- moving -------------------------------------------------------------------------------
    def backoff_duration(self, qpi: QueuedPodInfo) -> float:
        """upstream `calculateBackoffDuration`: initial × 2^(attempts-1), at most max."""
        if qpi.attempts == 0:
            return 0.0
        duration = self.initial_backoff
        for _ in range(1, qpi.attempts):
            if duration > self.max_backoff - duration:
                return self.max_backoff
            duration += duration
        return duration

    def backoff_expiry(self, qpi: QueuedPodInfo) -> float:
        return qpi.timestamp + self.backoff_duration(qpi)

    def is_backing_off(self, qpi: QueuedPodInfo) -> bool:
        return self.backoff_expiry(qpi) > self.loop.now

    def _requeue(self, qpi: QueuedPodInfo) -> None:
        if self.is_backing_off(qpi):
            self._push_backoff(qpi)
        else:
            self._push_active(qpi)

    def move_all_to_active_or_backoff(
        self, event: ClusterEvent, pre_check: Callable[[PodInfo], bool] | None = None
    ) -> int:
        """upstream `MoveAllToActiveOrBackoffQueue`: move the parked pods the event may help
        (only those passing `pre_check`, upstream's PreEnqueueCheck, when given)."""
        parked = list(self.unschedulable.values())
        if pre_check is not None:
            parked = [qpi for qpi in parked if not qpi.gated and pre_check(qpi.pod_info)]
        return self.move_pods_to_active_or_backoff(parked, event)

    def move_pods_to_active_or_backoff(
        self, parked: list[QueuedPodInfo], event: ClusterEvent
    ) -> int:
        """upstream `movePodsToActiveOrBackoffQueue`: move those of `parked` that a plugin
        which rejected them registered `event` for; either way, remember the move request."""
        moved = 0
        for qpi in parked:
            if qpi.gated or not self._worth_requeuing(qpi, event):
                continue
            del self.unschedulable[qpi.key]
            self._requeue(qpi)
            moved += 1
        self.move_request_cycle = self.scheduling_cycle
        return moved

    def _worth_requeuing(self, qpi: QueuedPodInfo, event: ClusterEvent) -> bool:
        """upstream `isPodWorthRequeuing` without queueing hints."""
        if event.label == EVENT_UNSCHEDULABLE_TIMEOUT.label or not qpi.unschedulable_plugins:
            return True
        for plugin in qpi.unschedulable_plugins:
            registered = self.events_by_plugin.get(plugin)
            if registered is None:  # no EnqueueExtensions: interested in every event
                return True
            if any(r.match(event) for r in registered):
                return True
        return False

    def _push_active(self, qpi: QueuedPodInfo) -> None:
        entry = _Entry(qpi)
        self.active[qpi.key] = entry
        key = self.sort_key(qpi) if self.sort_key is not None else _ByLess(qpi, self.less)
        self._pushes += 1
        heapq.heappush(self._active_heap, (key, qpi.seq, self._pushes, entry))
        if self.on_active is not None:
            self.on_active()

    def _push_backoff(self, qpi: QueuedPodInfo) -> None:
        self.backoff[qpi.key] = qpi
        expiry = self.backoff_expiry(qpi)
        heapq.heappush(self._backoff_heap, (expiry, qpi.seq, qpi.key))
        if self._backoff_timer is None or self._backoff_timer.when > expiry:
            if self._backoff_timer is not None:
                self._backoff_timer.cancel()
            self._backoff_timer = self.loop.call_at(
                expiry, self.flush_backoff_q_completed, label="scheduler flushBackoffQCompleted"
            )

    def flush_backoff_q_completed(self) -> None:
        """upstream `flushBackoffQCompleted`: pods whose back-off expired go to activeQ."""
        self._backoff_timer = None
        heap = self._backoff_heap
        while heap:
            expiry, _seq, key = heap[0]
            qpi = self.backoff.get(key)
            if qpi is None or self.backoff_expiry(qpi) != expiry:
                heapq.heappop(heap)  # stale entry
                continue
            if expiry > self.loop.now:
                self._backoff_timer = self.loop.call_at(
                    expiry, self.flush_backoff_q_completed, label="scheduler flushBackoffQCompleted"
                )
                return
            heapq.heappop(heap)
            del self.backoff[key]
            self._push_active(qpi)

    def flush_unschedulable_pods_leftover(self) -> None:
        """upstream `flushUnschedulablePodsLeftover`: pods parked too long go back."""
        now = self.loop.now
        for key, qpi in list(self.unschedulable.items()):
            if qpi.gated or not now - qpi.timestamp > self.max_in_unschedulable:
                continue  # upstream moves a pod only once it has waited strictly longer
            del self.unschedulable[key]
            self._requeue(qpi)

    def _leftover_tick(self) -> None:
        self.flush_unschedulable_pods_leftover()
        self._leftover_timer = self.loop.call_later(
            UNSCHEDULABLE_FLUSH_INTERVAL, self._leftover_tick, background=True,
            label="scheduler flushUnschedulablePodsLeftover",
        )  # fmt: skip


def _strip(pod: Obj) -> Obj:
    meta = {
        k: v
        for k, v in pod.get("metadata", {}).items()
        if k not in ("resourceVersion", "generation", "managedFields")
    }
    return {**{k: v for k, v in pod.items() if k != "status"}, "metadata": meta}


def _is_pod_updated(old: Obj, new: Obj) -> bool:
    """upstream `isPodUpdated`: anything but status, resourceVersion, generation changed."""
    return _strip(old) != _strip(new)
