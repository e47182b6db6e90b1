"""kube-scheduler, mirroring `pkg/scheduler/scheduler.go`, `schedule_one.go` (`ScheduleOne`,
`handleSchedulingFailure`, binding) and `eventhandlers.go`.

Informers feed the cache (assigned pods, nodes) and the queue (pending pods of this scheduler);
each cluster event moves parked pods that a plugin registered for. One pod is scheduled per
loop callback: pop → PreFilter/Filter → PreScore/Score → assume → Reserve → Permit → Bind
(`pods/binding`) → `Scheduled` event. A pod that fits nowhere gets PostFilter (preemption), a
`FailedScheduling` event with upstream's aggregated message, `PodScheduled=False` with reason
`Unschedulable`, and waits in the queue. Every attempt is kept as a decision record
(`decisions[pod_key]`, bounded to the `max_decisions` most recent pods).

Left out: several profiles at once, extenders, the asynchronous binding cycle (binding runs
right after the scheduling cycle in the same callback), assumed-pod expiry.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from minik8s.api.errors import StatusError
from minik8s.api.kinds import UnknownResource, lookup
from minik8s.client.record import EventRecorder
from minik8s.scheduler.cache import Cache
from minik8s.scheduler.decision import Attempt
from minik8s.scheduler.eventhandlers import EventHandlers, assigned
from minik8s.scheduler.framework import (
    CycleState,
)
from minik8s.scheduler.plugins import REGISTRY
from minik8s.scheduler.profile import Profile
from minik8s.scheduler.queue import PriorityQueue, QueuedPodInfo
from minik8s.scheduler.runtime import Framework, PluginFactory
from minik8s.scheduler.schedule_one import (
    FitError,
    GenericScheduler,
    NoNodesAvailable,
    SchedulingError,
)

if TYPE_CHECKING:
    from minik8s.client.client import Client
    from minik8s.client.informer import SharedInformerFactory
    from minik8s.trace import Tracer

Obj = dict[str, Any]
COMPONENT = "default-scheduler"
CLEAR_NOMINATED_NODE = ""  # upstream `clearNominatedNode`: errors other than FitError drop it
MAX_EVENT_MESSAGE = 1024  # upstream validation.NoteLengthLimit
LISTED = (
    "namespaces",
    "services",
    "replicasets",
    "statefulsets",
    "replicationcontrollers",
    "persistentvolumeclaims",
    "persistentvolumes",
    "storageclasses",
)


def truncate_message(message: str) -> str:
    """upstream `truncateMessage`: at most NoteLengthLimit bytes, cut ones end in " ..."."""
    encoded = message.encode()
    if len(encoded) <= MAX_EVENT_MESSAGE:
        return message
    suffix = " ..."
    return encoded[: MAX_EVENT_MESSAGE - len(suffix)].decode(errors="ignore") + suffix


class Scheduler(EventHandlers):
    """The scheduler component: `Scheduler(client, informers, profile=None).start()`.

    `profile` is a `Profile` or upstream's `KubeSchedulerProfile` dict (see `profile.py`);
    `percentage_of_nodes_to_score` is the global setting (0 = upstream's adaptive rule).
    """

    def __init__(
        self,
        client: Client,
        informers: SharedInformerFactory,
        *,
        profile: Profile | dict[str, Any] | None = None,
        tracer: Tracer | None = None,
        registry: dict[str, PluginFactory] | None = None,
        percentage_of_nodes_to_score: int = 0,
        max_decisions: int = 2000,
    ) -> None:
        self.client = client
        self.loop = client.loop
        self.informers = informers
        self.tracer = tracer
        self.profile = profile if isinstance(profile, Profile) else Profile.from_config(profile)
        self.cache = Cache()
        self.snapshot = self.cache.snapshot()
        self.recorder = EventRecorder(client, COMPONENT)
        self.framework = Framework(
            self.profile, registry or dict(REGISTRY), client=client, snapshot=self.snapshot,
            rng=self.loop.rng, listers=self._listers(), recorder=self.recorder,
        )  # fmt: skip
        sort = self.framework.queue_sort
        self.queue = PriorityQueue(
            self.loop, sort.less if sort else None, self.framework.events_to_register(),
            on_active=self._wake, sort_key=getattr(sort, "sort_key", None),
        )  # fmt: skip
        self.algorithm = GenericScheduler(
            self.snapshot, self.loop.rng, percentage_of_nodes_to_score
        )
        self.decisions: OrderedDict[str, list[Attempt]] = OrderedDict()
        self.max_decisions = max_decisions
        self._latest: Attempt | None = None  # the attempt in progress (recorded, not settled)
        self._sharing: list[Attempt] = []  # settled attempts whose windows share `_shared`
        self._shared: Sequence[str] | None = None
        self._shared_size = 0  # how many names those windows hold
        self.scheduled = 0
        self.failed = 0
        self._timer: Any = None
        self._add_event_handlers()

    def __repr__(self) -> str:
        return (
            f"<Scheduler {self.profile.scheduler_name} nodes={self.cache.node_count()} "
            f"{self.queue.pending_summary()} scheduled={self.scheduled}>"
        )

    def _listers(self) -> dict[str, Any]:
        listers = {}
        for resource in LISTED:
            try:
                lookup(resource)
            except UnknownResource:  # a kind this cluster does not serve
                continue
            listers[resource] = self.informers.informer_for(resource).lister()
        return listers

    def _trace(self, text: str) -> None:
        if self.tracer is not None:
            self.tracer.emit("scheduler", text)

    def start(self) -> None:
        """Start the queue's periodic flush (the informers belong to their factory)."""
        self.queue.start()

    # -- the scheduling loop ------------------------------------------------------------------
    def _wake(self) -> None:
        if self._timer is None:
            self._timer = self.loop.call_soon(self._run_one, label="scheduler scheduleOne")

    def _run_one(self) -> None:
        self._timer = None
        self.schedule_one()
        if self.queue.active:
            self._wake()

    def schedule_one(self) -> bool:
        """upstream `ScheduleOne`: one pod through the cycle; False when the queue is empty."""
        qpi = self.queue.pop()
        if qpi is None:
            return False
        pod = qpi.pod_info
        if self.skip_pod_schedule(pod.pod):
            self.queue.done(pod.key)
            return True
        cycle = self.queue.scheduling_cycle
        state = CycleState()
        attempt = Attempt(pod.key, self.loop.now, qpi.attempts, 0)
        self._record(attempt)
        try:
            result = self.algorithm.schedule_pod(self.framework, state, pod, attempt)
        except FitError as err:
            nominated, status = self.framework.run_post_filter_plugins(state, pod, err.statuses)
            if status is not None and not status.is_success():
                err.post_filter_msg = status.message()
            plugins = err.unschedulable_plugins
            self._failure(qpi, cycle, err, "Unschedulable", plugins, attempt, nominated)
            return True
        except SchedulingError as err:
            reason = "Unschedulable" if isinstance(err, NoNodesAvailable) else "SchedulerError"
            self._failure(qpi, cycle, err, reason, set(), attempt, CLEAR_NOMINATED_NODE)
            return True
        self._assume_and_bind(qpi, cycle, state, result.suggested_host, attempt)
        return True

    def skip_pod_schedule(self, pod: Obj) -> bool:
        """upstream `skipPodSchedule`: a pod being deleted is not scheduled (and says so)."""
        meta = pod["metadata"]
        if not meta.get("deletionTimestamp"):
            return False
        message = f"skip schedule deleting pod: {meta.get('namespace')}/{meta['name']}"
        self._trace(message)
        self.recorder.event(pod, "Warning", "FailedScheduling", message)
        return True

    def _assume_and_bind(
        self, qpi: QueuedPodInfo, cycle: int, state: CycleState, host: str, attempt: Attempt
    ) -> None:
        pod, fwk = qpi.pod_info, self.framework
        self.cache.assume_pod(pod, host)
        status = fwk.run_reserve_plugins_reserve(state, pod, host)
        if status is None:
            status = fwk.run_permit_plugins(state, pod, host)
        if status is None:
            status = fwk.run_bind_plugins(state, pod, host)
        if status is not None:
            fwk.run_reserve_plugins_unreserve(state, pod, host)
            self.cache.forget_pod(pod.key)
            plugins = {status.plugin} if status.is_rejected() else set()
            error = SchedulingError(status.message())
            self._failure(
                qpi, cycle, error, "SchedulerError", plugins, attempt, CLEAR_NOMINATED_NODE
            )
            return
        self.queue.done(pod.key)
        self.scheduled += 1
        message = f"Successfully assigned {pod.key} to {host}"
        attempt.message = message
        feasible = f"{attempt.num_feasible}/{attempt.num_all_nodes} nodes feasible"
        self._trace(f"bind {pod.key} → {host} ({feasible})")
        self.recorder.event(pod.pod, "Normal", "Scheduled", message)

    def _failure(
        self,
        qpi: QueuedPodInfo,
        cycle: int,
        err: Exception,
        reason: str,
        plugins: set[str],
        attempt: Attempt,
        nominated: str | None = None,
    ) -> None:
        """upstream `handleSchedulingFailure`: requeue, event, PodScheduled=False (and the
        node a preemption nominated, in the same status patch)."""
        pod = qpi.pod_info
        message = str(err)
        attempt.message = message
        self.failed += 1
        qpi.unschedulable_plugins = plugins
        current = self.informers.informer_for("pods").indexer.get_by_key(pod.key)
        if current is None or assigned(current):
            self.queue.done(pod.key)
            return
        self.queue.add_unschedulable_if_not_present(qpi, cycle)
        self._trace(f"unschedulable {pod.key}: {message}")
        self.recorder.event(current, "Warning", "FailedScheduling", truncate_message(message))
        self._update_pod(current, reason, message, nominated)

    def _update_pod(self, pod: Obj, reason: str, message: str, nominated: str | None) -> None:
        """upstream `updatePod`: patch PodScheduled=False and, when it changes, the nominated
        node; nothing when neither changes."""
        status = pod.get("status") or {}
        conditions = status.get("conditions") or []
        old = next((c for c in conditions if c.get("type") == "PodScheduled"), None)
        wanted = {"type": "PodScheduled", "status": "False", "reason": reason, "message": message}
        nominate = nominated is not None and (status.get("nominatedNodeName") or "") != nominated
        if old is not None and all(old.get(k) == v for k, v in wanted.items()) and not nominate:
            return
        changed = old is None or old.get("status") != "False"
        transition = self.loop.timestamp() if changed else old.get("lastTransitionTime")  # type: ignore[union-attr]
        condition = {**wanted, "lastProbeTime": None, "lastTransitionTime": transition}
        rest = [c for c in conditions if c.get("type") != "PodScheduled"]
        patch: Obj = {"conditions": [*rest, condition]}
        if nominate:
            patch["nominatedNodeName"] = nominated or None  # "" clears it (omitempty)
        meta = pod["metadata"]
        try:  # a patch, like upstream's PatchPodStatus: no resourceVersion precondition
            self.client.patch(
                "pods", meta["name"], {"status": patch}, meta.get("namespace"),
                subresource="status", respond=False,
            )  # fmt: skip
        except StatusError:
            pass  # deleted meanwhile

    def _record(self, attempt: Attempt) -> None:
        if self._latest is not None:
            self._settle(self._latest)
        self._latest = attempt
        attempts = self.decisions.pop(attempt.pod, [])
        attempts.append(attempt)
        self.decisions[attempt.pod] = attempts
        while len(self.decisions) > self.max_decisions:
            self.decisions.popitem(last=False)

    def _settle(self, attempt: Attempt) -> None:
        """Records keep sharing the snapshot's node-name list if their windows add up to at
        least its length; else, once nodes come or go, they copy their windows out of it."""
        names = attempt.shared_names()
        if names is None:
            return
        if names is not self._shared:
            for earlier in self._sharing:  # they hold fewer names than the list: copy out
                earlier.own_names()
            self._sharing, self._shared, self._shared_size = [], names, 0
        if self._shared_size < len(names):
            self._sharing.append(attempt)
            self._shared_size += attempt.num_evaluated
            if self._shared_size >= len(names):  # the list is worth keeping for these
                self._sharing = []

    # -- explainability -----------------------------------------------------------------------
    def explain(self, pod_key: str) -> str:
        """Every recorded attempt of a pod (`namespace/name`) as text tables."""
        attempts = self.decisions.get(pod_key)
        if not attempts:
            return f"no scheduling decision recorded for {pod_key}"
        return "\n\n".join(a.table() for a in attempts)
