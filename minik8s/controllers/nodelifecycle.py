"""The node lifecycle controller, mirroring
`pkg/controller/nodelifecycle/node_lifecycle_controller.go` (helpers in `nodeutil.py`, zones and
their rate-limited taint queues in `nodezones.py`, health records in `nodehealth.py`, the
condition taints in `nodetaints.py`, the NoExecute taints of a node in `nodeeviction.py`).

Every node-monitor-period (5 s) the controller looks at each Node's Ready condition and Lease. A
node whose kubelet posted nothing for node-monitor-grace-period (40 s; 60 s before its first
status) gets Ready, MemoryPressure, DiskPressure and PIDPressure set to Unknown ("Kubelet
stopped posting node status."), a `NodeNotReady` event, and its pods marked not Ready.
Conditions map to NoSchedule taints at once (`not-ready` for Ready=False, `unreachable` for
Unknown, `unschedulable` for a cordoned node, the pressure taints). The NoExecute `not-ready` /
`unreachable` taints go through a rate-limited queue per zone (0.1 node/s) that slows or stops
when a zone is disrupted; when every zone is fully down the controller assumes it is the one cut
off and removes them all. Evicting pods is `tainteviction.py`'s job.
Upstream checks every node in every pass. Here a Ready node whose Node object is the one a full
check last found needing nothing is only looked at when the lease informer delivers a renewed
Lease, or when its grace period runs out (`nodesteady.py`): the same decisions, and a pass over
5,000 steady nodes costs what their renewals do.
Left out: node label reconciliation, metrics, the 20 ms retry polls (conflicts are retried at
once, five times). Upstream's grace period default is 50 s since v1.32; this keeps the 40 s of
earlier releases.
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

from minik8s.api.errors import Conflict, NotFound
from minik8s.client.cache import NODE_NAME_INDEX, Lister, ensure_index, node_name_index
from minik8s.client.record import EventRecorder
from minik8s.controllers import nodeeviction
from minik8s.controllers.base import Controller
from minik8s.controllers.nodehealth import MONITORED_CONDITIONS, NodeHealth, refreshed_health
from minik8s.controllers.nodesteady import STEADY_READY, NodeChanges, SteadyNodes
from minik8s.controllers.nodetaints import (
    CONDITION_TAINT_KEYS,
    CONDITION_TAINTS,
    NOT_READY_TAINT,
    TAINT_NOT_READY,
    TAINT_UNREACHABLE,
    TAINT_UNSCHEDULABLE,
    UNREACHABLE_TAINT,
    condition_taint_changes,
)
from minik8s.controllers.nodeutil import (
    get_condition,
    mark_conditions_unknown,
    mark_pods_not_ready,
    record_node_event,
    record_node_status_change,
    swap_node_controller_taint,
    taint_exists,
)
from minik8s.controllers.nodezones import (
    ENTER_MASTER_DISRUPTION,
    EXIT_MASTER_DISRUPTION,
    RateLimitedTimedQueue,
    Zones,
    zone_key,
)

Obj = dict[str, Any]
NODE_MONITOR_PERIOD = 5.0
NODE_MONITOR_GRACE_PERIOD = 40.0
NODE_STARTUP_GRACE_PERIOD = 60.0
RETRIES = 5

__all__ = [
    "CONDITION_TAINT_KEYS",
    "CONDITION_TAINTS",
    "MONITORED_CONDITIONS",
    "NODE_MONITOR_GRACE_PERIOD",
    "NODE_MONITOR_PERIOD",
    "NODE_STARTUP_GRACE_PERIOD",
    "NOT_READY_TAINT",
    "RETRIES",
    "TAINT_NOT_READY",
    "TAINT_UNREACHABLE",
    "TAINT_UNSCHEDULABLE",
    "UNREACHABLE_TAINT",
    "NodeHealth",
    "NodeLifecycleController",
    "disruption_zone",
]


@functools.lru_cache(maxsize=256)
def _time(value: str | None) -> datetime | None:
    """A parsed timestamp; remembered, as every Lease renewed at one instant has the same."""
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def disruption_zone(node: Obj) -> str | None:
    """The zone a node counts in for disruption (None: labelled to be left out)."""
    if "node.kubernetes.io/exclude-disruption" in (node["metadata"].get("labels") or {}):
        return None
    return zone_key(node)


class NodeLifecycleController(Controller):
    """Node health from heartbeats; condition taints; NoExecute tainting; pods marked not ready."""

    name = "node-lifecycle-controller"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.recorder = EventRecorder(self.client, "node-controller")
        self.monitor_period = NODE_MONITOR_PERIOD
        self.grace_period = NODE_MONITOR_GRACE_PERIOD
        self.startup_grace_period = NODE_STARTUP_GRACE_PERIOD
        self.health: dict[str, NodeHealth] = {}
        self.known_nodes: dict[str, Obj] = {}
        self.zones = Zones()
        self.nodes_to_retry: set[str] = set()
        self._taint_timer: Any = None
        # what the monitor pass must look at (`nodesteady.py`)
        self.steady = SteadyNodes()  # nodes a full check found Ready with nothing to do
        self._unsteady: set[str] = set()  # known nodes it did not
        pods = self.informers.informer_for("pods")
        ensure_index(pods.indexer, NODE_NAME_INDEX, node_name_index)
        self.leases = self.informers.lister_for("leases")  # a view of the cache: made once
        self.watch("nodes", lambda node: node["metadata"]["name"])  # doNoScheduleTaintingPass
        self.changes = NodeChanges(
            self.informers.informer_for("nodes"), self.informers.informer_for("leases")
        )
        pods.add_event_handler(on_add=self._pod_updated, on_update=self._pod_updated)

    # -- NoSchedule taints from conditions (the node update queue) ---------------------------
    def reconcile(self, key: str) -> float | None:
        """upstream `doNoScheduleTaintingPass`: condition taints follow the node's conditions."""
        try:
            node = self.informers.lister_for("nodes").get(None, key)
        except NotFound:
            return None
        add, remove = condition_taint_changes(node)
        if add or remove:
            self.swap_taints(key, add, remove)
        return None

    def swap_taints(self, name: str, add: list[Obj], remove: list[Obj]) -> bool:
        """Swap taints on a node (and say so in the trace)."""
        done = swap_node_controller_taint(self.client, name, add, remove)
        if done and self.tracer is not None:
            changes = [f"+{t['key']}:{t['effect']}" for t in add]
            changes += [f"-{t['key']}:{t['effect']}" for t in remove]
            self.tracer.emit(self.name, f"taint node {name} {' '.join(changes)}")
        return done

    # -- the monitor loop --------------------------------------------------------------------
    def start(self) -> None:
        super().start()
        self.loop.call_soon(self.monitor_node_health, label="monitorNodeHealth")

    def monitor_node_health(self) -> None:
        """One node-monitor-period pass (upstream `monitorNodeHealth`): every node new, changed,
        not steady or past its grace period gets the full check, in the lister's order; the
        steady ones only have a renewed Lease read (`nodesteady.py`)."""
        self.loop.call_later(
            self.monitor_period,
            self.monitor_node_health,
            label="monitorNodeHealth",
            background=True,
        )
        lister = self.informers.lister_for("nodes")
        changed, renewed = self.changes.take()
        names = self._classify(lister, changed)
        names += self._past_grace(renewed)
        names.sort(key=self.changes.order.__getitem__)
        zone_conditions: dict[str, list[Obj | None]] = {
            zone: [STEADY_READY] * count for zone, count in self.steady.zones.items()
        }
        for name in names:
            node = lister.get(None, name)
            current = self._update_one(node)
            zone = disruption_zone(node)
            if zone is not None:
                zone_conditions.setdefault(zone, []).append(current)
            health = self.health.get(name)
            if health is not None and health.steady is node:
                self.steady.add(name, zone, health.probe_timestamp)
            if name in self.steady:
                self._unsteady.discard(name)
            else:
                self._unsteady.add(name)
        self._handle_disruption(zone_conditions, lister)
        self.do_no_execute_tainting_pass()

    def _classify(self, lister: Lister, changed: set[str]) -> list[str]:
        """Events for nodes seen or gone since the last pass (upstream `classifyNodes`). Returns
        the listed nodes that are new, changed or not steady (no longer steady from now on)."""
        names = []
        for name in sorted(changed | self._unsteady, key=lambda n: self.changes.order.get(n, -1)):
            try:
                node = lister.get(None, name)
            except NotFound:
                continue
            names.append(name)
            if name not in self.known_nodes:
                self.known_nodes[name] = node
                record_node_event(
                    self.recorder, node, "RegisteredNode", f"Registered Node {name} in Controller"
                )
                self._zone_for(node)
                self.mark_node_as_reachable(node)
            else:
                self.steady.discard(name)
                self._zone_for(node)  # a zone seen first (upstream newZoneRepresentatives)
        for name in sorted(n for n in changed if n in self.known_nodes and n not in lister.indexer):
            node = self.known_nodes.pop(name)
            self.health.pop(name, None)
            self.steady.discard(name)
            self._unsteady.discard(name)
            record_node_event(
                self.recorder, node, "RemovingNode", f"Removing Node {name} from Controller"
            )
        return names

    def _zone_for(self, node: Obj) -> RateLimitedTimedQueue:
        return self.zones.tainter_for(node, self.loop.now)

    def _past_grace(self, renewed: set[str]) -> list[str]:
        """The steady nodes whose grace period has run out, once the renewed Leases of steady
        nodes are read (a renewal moves a node's last heartbeat); they are steady no more."""
        for name in renewed:
            if name in self.steady:
                health = self.health[name]
                probe = health.probe_timestamp
                self._observe_lease(name, health)
                if health.probe_timestamp != probe:
                    self.steady.probed(name, health.probe_timestamp)
        now, grace = self.loop.now, self.grace_period
        names = self.steady.expired(lambda probe: now > probe + grace)
        for name in names:
            self.steady.discard(name)
        return names

    def _update_one(self, node: Obj) -> Obj | None:
        """Health, taint-based eviction and pod readiness for one node; its Ready condition."""
        name = node["metadata"]["name"]
        for _ in range(RETRIES):
            try:
                observed, current = self.try_update_node_health(node)
                break
            except Conflict:
                try:
                    node = self.client.get("nodes", name)
                except NotFound:
                    return None
        else:
            return None
        if current is None:
            return None
        self.process_taint_base_eviction(node, observed)
        went_down = current.get("status") != "True" and observed.get("status") == "True"
        if went_down:
            record_node_status_change(self.recorder, node, "NodeNotReady")
        if went_down or (name in self.nodes_to_retry and observed.get("status") != "True"):
            pods = self.informers.informer_for("pods").indexer.by_index(NODE_NAME_INDEX, name)
            if not mark_pods_not_ready(self.client, self.recorder, pods, name):
                self.nodes_to_retry.add(name)
                return current
        self.nodes_to_retry.discard(name)
        health = self.health.get(name)
        if health is not None:
            steady = observed.get("status") == current.get("status") == "True"
            taints = node.get("spec", {}).get("taints")
            if taints and any(
                taint_exists(taints, t) for t in (UNREACHABLE_TAINT, NOT_READY_TAINT)
            ):
                steady = False  # markNodeAsReachable is still removing them
            health.steady = node if steady else None
        return current

    def try_update_node_health(self, node: Obj) -> tuple[Obj, Obj | None]:
        """upstream `tryUpdateNodeHealth`: (observed Ready, current Ready) after maybe Unknown."""
        name, now = node["metadata"]["name"], self.loop.now
        conditions = node.get("status", {}).get("conditions") or []
        current = get_condition(conditions, "Ready")
        health = self.health.get(name)
        if current is None:
            at = node["metadata"]["creationTimestamp"]
            observed = {
                "type": "Ready",
                "status": "Unknown",
                "lastHeartbeatTime": at,
                "lastTransitionTime": at,
            }
            grace = self.startup_grace_period
            if health is None:
                created = self.loop.parse_timestamp(at)
                health = NodeHealth(created, created, None)
        else:
            observed, grace = current, self.grace_period  # read only: no copy
        health = self._refresh(health, current)
        self.health[name] = health
        self._observe_lease(name, health)
        if now <= health.probe_timestamp + grace:
            return observed, current
        updated = mark_conditions_unknown(node, MONITORED_CONDITIONS, self.loop.timestamp())
        ready = get_condition(updated["status"]["conditions"], "Ready")
        if ready != observed:
            self.client.update_status("nodes", updated)
            health.ready, health.ready_transition_timestamp = ready, now
            if self.tracer is not None:
                self.tracer.emit(
                    self.name, f"node {name} Ready=Unknown (no heartbeat for {grace:g}s)"
                )
        return observed, ready

    def _refresh(self, health: NodeHealth | None, current: Obj | None) -> NodeHealth:
        """A newer status heartbeat (or a first / vanished Ready condition) resets the probe."""
        return refreshed_health(health, current, self.loop.now)

    def _observe_lease(self, name: str, health: NodeHealth) -> None:
        """A renewed Lease counts as a heartbeat."""
        try:
            lease = self.leases.get("kube-node-lease", name)
        except NotFound:
            return
        renew = (lease.get("spec") or {}).get("renewTime")
        if renew == health.lease_renew_time:
            return  # the same renewTime: nothing to parse
        saved, seen = _time(health.lease_renew_time), _time(renew)
        if seen is not None and (saved is None or saved < seen):
            health.lease_renew_time, health.probe_timestamp = renew, self.loop.now

    # -- NoExecute taints, rate limited per zone ---------------------------------------------
    def process_taint_base_eviction(self, node: Obj, observed: Obj) -> None:
        """upstream `processTaintBaseEviction`: queue the NoExecute taint for the observed state."""
        nodeeviction.process_taint_base_eviction(self, node, observed)

    def mark_node_for_tainting(self, node: Obj, taint: Obj) -> bool:
        """upstream `markNodeForTainting`."""
        return nodeeviction.mark_node_for_tainting(self, node, taint)

    def mark_node_as_reachable(self, node: Obj) -> bool:
        """upstream `markNodeAsReachable`: drop both NoExecute taints, leave the queue."""
        return nodeeviction.mark_node_as_reachable(self, node)

    def do_no_execute_tainting_pass(self) -> None:
        """upstream `doNoExecuteTaintingPass`: taint queued nodes as the zone limiters allow."""
        self._arm_taint_timer(self.zones.try_all(self.loop.now, self._taint_no_execute))

    def _taint_no_execute(self, name: str) -> bool:
        """The NoExecute taint for the node's Ready status; False to try again later."""
        return nodeeviction.taint_no_execute(self, name)

    def _arm_taint_timer(self, when: float | None) -> None:
        if self._taint_timer is not None:
            self._taint_timer.cancel()
            self._taint_timer = None
        if when is not None:
            self._taint_timer = self.loop.call_at(
                when,
                self.do_no_execute_tainting_pass,
                label="doNoExecuteTaintingPass",
                background=True,
            )

    def _handle_disruption(
        self, zone_conditions: dict[str, list[Obj | None]], lister: Lister
    ) -> None:
        """upstream `handleDisruption`: every zone fully down means we are the ones cut off."""
        now = self.loop.now
        action = self.zones.handle_disruption(zone_conditions, now)
        if action == ENTER_MASTER_DISRUPTION:
            for node in lister.list():
                self.mark_node_as_reachable(node)
        elif action == EXIT_MASTER_DISRUPTION:
            for health in self.health.values():
                health.probe_timestamp = health.ready_transition_timestamp = now

    # -- pods --------------------------------------------------------------------------------
    def _pod_updated(self, old: Obj, new: Obj | None = None) -> None:
        """upstream `podUpdated` + `processPod`: a pod bound to a not-ready node is not Ready."""
        pod = new if new is not None else old
        node_name = (pod.get("spec") or {}).get("nodeName")
        if not node_name or (
            new is not None and (old.get("spec") or {}).get("nodeName") == node_name
        ):
            return
        health = self.health.get(node_name)
        if health is None or health.ready is None:
            return
        if health.ready.get("status") != "True":
            self.loop.call_soon(
                mark_pods_not_ready,
                self.client,
                self.recorder,
                [pod],
                node_name,
                label="MarkPodsNotReady",
            )
