"""Node registration and node status, mirroring `pkg/kubelet/kubelet_node_status.go`
(`registerWithAPIServer`, `updateNodeStatus`, `nodeStatusHasChanged`) and
`pkg/kubelet/nodestatus/setters.go`; the Lease heartbeat is `nodelease.py`.

The kubelet creates its Node (labels, capacity/allocatable, addresses, nodeInfo, conditions with
upstream's reasons) and computes node status every 10 s (`nodeStatusUpdateFrequency`). It posts
it only when it differs from the Node the API server has (heartbeat times aside) or when 5 min
passed since the last post (`nodeStatusReportFrequency`), as upstream does since the node Lease
went GA. The first read of each update comes from the API server's watch cache
(`FromApiserverCache`); a conflict is retried from the store, five tries in all. Timers are
background work, shared by all kubelets due at the same instant (`periodic.py`). An update that
finds nothing to post finds nothing again until the Node changes or the report is due, so the
ticks until then are passed over (the timer sleeps; the watch cache wakes it when the Node
changes).
The kubelet also records upstream's node Events (involvedObject uid = node name, as upstream's
`nodeRef`): `Starting` ("Starting kubelet.", kubelet.go `BirthCry`), `NodeAllocatableEnforced`
(container manager), `Rebooted` on a new boot id, and `Node <name> status is now: <reason>` when
a condition changes (`NodeHasSufficientMemory`, `NodeHasNoDiskPressure`, `NodeHasSufficientPID`,
`NodeReady` / `NodeNotReady`; setters.go); `record_events=False` leaves them out.
Left out: real resource pressure (the pressure conditions stay False), images and volumes in
node status, node-allocatable reservations other than the default eviction threshold.
"""

from __future__ import annotations

import copy
import hashlib
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from minik8s.api.errors import Conflict, StatusError
from minik8s.api.quantity import parse_quantity
from minik8s.client.record import EventRecorder
from minik8s.kubelet.nodelease import LEASE_RENEW_INTERVAL, NodeLease
from minik8s.kubelet.periodic import Member, ticker

if TYPE_CHECKING:
    from minik8s.client.client import Client
    from minik8s.sim.loop import EventLoop

Obj = dict[str, Any]
KUBELET_VERSION = "v1.31.0"
NODE_STATUS_UPDATE_FREQUENCY = 10.0
NODE_STATUS_REPORT_FREQUENCY = 300.0
NODE_STATUS_UPDATE_RETRY = 5  # kubelet nodeStatusUpdateRetry
FAST_STATUS_UPDATE_PERIOD = 0.1  # fastStatusUpdateOnce polls every 100 ms …
NODE_READY_GRACE_PERIOD = 120.0  # … for at most nodeReadyGracePeriod
NETWORK_NOT_READY = (
    "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady "
    "message:Network plugin returns error: cni plugin not initialized"
)
DEFAULT_CAPACITY = {
    "cpu": "4",
    "ephemeral-storage": "100Gi",
    "hugepages-1Gi": "0",
    "hugepages-2Mi": "0",
    "memory": "16Gi",
    "pods": "110",
}
EVICTION_MEMORY = 100 * 1024 * 1024  # evictionHard memory.available<100Mi
EVICTION_NODEFS = 0.10  # evictionHard nodefs.available<10%
# condition type → (event when it turns True, event when it turns False), setters.go
CONDITION_EVENTS = {
    "MemoryPressure": ("NodeHasInsufficientMemory", "NodeHasSufficientMemory"),
    "DiskPressure": ("NodeHasDiskPressure", "NodeHasNoDiskPressure"),
    "PIDPressure": ("NodeHasInsufficientPID", "NodeHasSufficientPID"),
}
CONDITIONS = [
    ("MemoryPressure", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
    ("DiskPressure", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
    ("PIDPressure", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
]


def allocatable(capacity: dict[str, str]) -> dict[str, str]:
    """Capacity minus the default hard eviction thresholds (`GetNodeAllocatableAbsolute`)."""
    out = dict(capacity)
    if "memory" in capacity:
        ki = (parse_quantity(capacity["memory"]).value() - EVICTION_MEMORY) // 1024
        out["memory"] = str(parse_quantity(f"{max(ki, 0)}Ki"))  # canonical, as the API stores it
    if "ephemeral-storage" in capacity:
        total = parse_quantity(capacity["ephemeral-storage"]).value()
        out["ephemeral-storage"] = str(int(total * (1 - EVICTION_NODEFS)))
    return out


def machine_id(node: str, what: str) -> str:
    """A stable per-node id (machine-id, boot id, system UUID)."""
    return hashlib.sha256(f"{what}/{node}".encode()).hexdigest()[:32]


def uuid_form(hex32: str) -> str:
    return f"{hex32[:8]}-{hex32[8:12]}-{hex32[12:16]}-{hex32[16:20]}-{hex32[20:32]}"


class NodeStatusManager:
    """Registers the Node, keeps its Lease fresh and its status current."""

    def __init__(
        self,
        client: Client,
        loop: EventLoop,
        node_name: str,
        node_ip: str,
        *,
        capacity: dict[str, str],
        labels: dict[str, str],
        taints: list[Obj],
        runtime_version: str,
        network_ready: Callable[[], bool] = lambda: True,
        record_events: bool = True,
    ):
        self.client = client
        self.network_ready = network_ready
        self.loop = loop
        self.node_name = node_name
        self.node_ip = node_ip
        self.capacity = {**DEFAULT_CAPACITY, **capacity}
        self.labels = labels
        self.taints = taints
        self.runtime_version = runtime_version
        self.timers: list[Member] = []
        self.status_timer: Member | None = None  # the 10 s update, asleep while nothing to post
        self._unwatch: Callable[[], None] | None = None  # stops the Node's wake-ups
        self.fields: Obj = {}  # status_fields() of this boot
        self.unchanged_version: str | None = None  # node version found with nothing to post
        self.lease = NodeLease(client, loop, node_name, self.get_node)
        self.last_report_time = -1e18
        self.boot = 0
        self.boot_id = uuid_form(machine_id(node_name, "boot0"))
        self.recorder = EventRecorder(client, "kubelet", node_name) if record_events else None

    def __repr__(self) -> str:
        return f"<NodeStatusManager {self.node_name}>"

    def node_object(self) -> Obj:
        """The Node the kubelet registers (`initialNode`)."""
        labels = {
            "beta.kubernetes.io/arch": "amd64",
            "beta.kubernetes.io/os": "linux",
            "kubernetes.io/arch": "amd64",
            "kubernetes.io/hostname": self.node_name,
            "kubernetes.io/os": "linux",
            **self.labels,
        }
        spec: Obj = {"taints": copy.deepcopy(self.taints)} if self.taints else {}
        return {
            "apiVersion": "v1",
            "kind": "Node",
            "metadata": {
                "name": self.node_name,
                "labels": labels,
                "annotations": {
                    "node.alpha.kubernetes.io/ttl": "0",
                    "volumes.kubernetes.io/controller-managed-attach-detach": "true",
                },
            },
            "spec": spec,
            "status": self.status_fields(),
        }

    def status_fields(self) -> Obj:
        """Everything in node status but the conditions."""
        return {
            "capacity": dict(self.capacity),
            "allocatable": allocatable(self.capacity),
            "addresses": [
                {"type": "InternalIP", "address": self.node_ip},
                {"type": "Hostname", "address": self.node_name},
            ],
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "nodeInfo": {
                "architecture": "amd64",
                "bootID": self.boot_id,
                "containerRuntimeVersion": self.runtime_version,
                "kernelVersion": "6.8.0-minik8s",
                "kubeProxyVersion": KUBELET_VERSION,
                "kubeletVersion": KUBELET_VERSION,
                "machineID": machine_id(self.node_name, "machine"),
                "operatingSystem": "linux",
                "osImage": "Debian GNU/Linux 12 (bookworm)",
                "systemUUID": uuid_form(machine_id(self.node_name, "uuid")),
            },
        }

    def conditions(self, old: list[Obj]) -> list[Obj]:
        """The four kubelet-owned conditions with heartbeat and transition times."""
        now = self.loop.timestamp()
        before = {c["type"]: c for c in old}
        wanted = [(kind, "False", reason, message) for kind, reason, message in CONDITIONS]
        if self.network_ready():
            wanted.append(("Ready", "True", "KubeletReady", "kubelet is posting ready status"))
        else:
            wanted.append(("Ready", "False", "KubeletNotReady", NETWORK_NOT_READY))
        out = []
        for kind, status, reason, message in wanted:
            prior = before.get(kind)
            same = prior is not None and prior.get("status") == status
            out.append(
                {
                    "type": kind,
                    "status": status,
                    "lastHeartbeatTime": now,
                    "lastTransitionTime": prior["lastTransitionTime"] if same and prior else now,
                    "reason": reason,
                    "message": message,
                }
            )
        return out

    # -- lifecycle ---------------------------------------------------------------------------------
    def start(self) -> None:
        """Register (or re-register) the node, then start the heartbeats."""
        self.boot += 1
        # a machine boots with a new kernel boot id; a Kubelet object may start more than once
        self.boot_id = uuid_form(machine_id(self.node_name, f"boot{self.boot}@{self.loop.now!r}"))
        self._node_event("Normal", "Starting", "Starting kubelet.")
        self._node_event(
            "Normal", "NodeAllocatableEnforced", "Updated Node Allocatable limit across pods"
        )
        self.fields = self.status_fields()
        self.unchanged_version = None
        self.lease.latest = None
        try:
            self.client.create("nodes", self.node_object())
        except StatusError as err:
            if err.code != 409:
                raise
        self.update_status(force=True)
        self.lease.renew()
        if not self.network_ready():
            start = self.loop.now
            self.loop.call_later(FAST_STATUS_UPDATE_PERIOD, self.fast_status_update, start)
        self.status_timer = ticker(self.loop, NODE_STATUS_UPDATE_FREQUENCY).every(
            self.update_status, "node status"
        )
        lease_timer = ticker(self.loop, LEASE_RENEW_INTERVAL).every(self.lease.renew, "node lease")
        self.timers = [self.status_timer, lease_timer]
        on_change = getattr(getattr(self.client, "server", None), "on_cached_change", None)
        if on_change is not None:
            self._unwatch = on_change("nodes", self.node_name, self._node_changed)

    def fast_status_update(self, start: float) -> None:
        """upstream `fastStatusUpdateOnce`: post status as soon as the node can be Ready."""
        if not self.timers:
            return  # stopped meanwhile
        if self.network_ready() or self.loop.now - start >= NODE_READY_GRACE_PERIOD:
            self.update_status()
            return
        self.loop.call_later(FAST_STATUS_UPDATE_PERIOD, self.fast_status_update, start)

    def stop(self) -> None:
        """No more heartbeats."""
        for timer in self.timers:
            timer.cancel()
        self.timers.clear()
        self.status_timer = None
        if self._unwatch is not None:
            self._unwatch()
            self._unwatch = None

    def _node_changed(self) -> None:
        """The watch cache holds another Node: the next update may find something to post."""
        if self.status_timer is not None:
            self.status_timer.wake_at = -math.inf

    def _sleep(self) -> None:
        """Nothing to post until the Node changes or the report is due: the ticks before that
        are passed over (woken a period early: a tick too many finds nothing, and returns)."""
        if self.status_timer is not None and self._unwatch is not None:
            due = self.last_report_time + NODE_STATUS_REPORT_FREQUENCY
            self.status_timer.wake_at = due - NODE_STATUS_UPDATE_FREQUENCY

    # -- node status (kubelet_node_status.go tryUpdateNodeStatus) ---------------------------------
    def get_node(self, from_cache: bool) -> Obj | None:
        """The Node; the first try reads the API server's watch cache (GET with
        resourceVersion=0, upstream `FromApiserverCache`), retries read the store."""
        server = getattr(self.client, "server", None)
        cached = getattr(server, "cached", None) if from_cache else None
        if cached is not None:
            node: Obj | None = cached("nodes", self.node_name)
            if node is not None:
                return node
        try:
            return self.client.get("nodes", self.node_name)
        except StatusError:
            return None

    def update_status(self, force: bool = False) -> None:
        """Compute node status; post it when it changed or the report period passed."""
        for attempt in range(NODE_STATUS_UPDATE_RETRY):
            node = self.get_node(from_cache=attempt == 0)
            if node is None:
                self._sleep()  # (until the Node is created again)
                return
            due = force or self.loop.now - self.last_report_time >= NODE_STATUS_REPORT_FREQUENCY
            version = node["metadata"].get("resourceVersion")
            if not due and version == self.unchanged_version:
                self._sleep()
                return  # nothing written since we found nothing to post
            original = node.get("status") or {}
            status = {**original, **self.fields}
            status["conditions"] = self.conditions(original.get("conditions") or [])
            self.record_status_events(original, status)
            if not due and not node_status_has_changed(original, status):
                self.unchanged_version = version
                self._sleep()
                return
            try:
                stored = self.client.update_status("nodes", {**node, "status": status})
            except Conflict:
                continue
            except StatusError:
                return
            self.last_report_time = self.loop.now
            self.unchanged_version = stored["metadata"].get("resourceVersion")
            self._sleep()
            return

    # -- node events (setters.go recordEventFunc, kubelet recordNodeStatusEvent) -------------------
    def _node_event(self, event_type: str, reason: str, message: str) -> None:
        if self.recorder is None:
            return
        ref = {"kind": "Node", "metadata": {"name": self.node_name, "uid": self.node_name}}
        self.recorder.event(ref, event_type, reason, message)

    def record_status_events(self, original: Obj, status: Obj) -> None:
        """The Events the status setters record for `original` → `status`, in setter order."""
        if self.recorder is None:
            return
        boot = (original.get("nodeInfo") or {}).get("bootID")
        new_boot = (status.get("nodeInfo") or {}).get("bootID")
        if boot and boot != new_boot:
            message = f"Node {self.node_name} has been rebooted, boot id: {new_boot}"
            self._node_event("Warning", "Rebooted", message)
        for reason in status_change_events(original.get("conditions") or [], status["conditions"]):
            self._node_event("Normal", reason, f"Node {self.node_name} status is now: {reason}")


def status_change_events(old: list[Obj], new: list[Obj]) -> list[str]:
    """Reasons of the setters' condition events: a pressure condition that is new or changed
    status; a Ready condition that changed status (not a first one: upstream records none)."""
    before = {c.get("type"): c.get("status") for c in old}
    reasons = []
    for condition in new:
        kind, status = condition.get("type"), condition.get("status")
        if kind in CONDITION_EVENTS and before.get(kind) != status:
            reasons.append(CONDITION_EVENTS[kind][0 if status == "True" else 1])
        elif kind == "Ready" and kind in before and before[kind] != status:
            reasons.append("NodeReady" if status == "True" else "NodeNotReady")
    return reasons


def node_status_has_changed(original: Obj, status: Obj) -> bool:
    """upstream `nodeStatusHasChanged`: any difference but the conditions' heartbeat times."""
    before, after = original.get("conditions") or [], status.get("conditions") or []
    if len(before) != len(after):
        return True
    by_type = sorted(before, key=_condition_type), sorted(after, key=_condition_type)
    for old, new in zip(*by_type, strict=True):
        if {**old, "lastHeartbeatTime": None} != {**new, "lastHeartbeatTime": None}:
            return True
    rest = [{k: v for k, v in s.items() if k != "conditions"} for s in (original, status)]
    return rest[0] != rest[1]


def _condition_type(condition: Obj) -> str:
    return str(condition.get("type", ""))
