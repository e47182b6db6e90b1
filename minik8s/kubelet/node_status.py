"""Node registration and heartbeats, mirroring `pkg/kubelet/kubelet_node_status.go`
(`registerWithAPIServer`, `updateNodeStatus`), `pkg/kubelet/nodestatus/setters.go` and
`pkg/kubelet/nodelease` (the Lease controller).

The kubelet creates its Node (labels, capacity/allocatable, addresses, nodeInfo, conditions with
upstream's reasons), renews `kube-node-lease/<node>` every 10 s (`leaseDurationSeconds: 40`) and
posts node status every 10 s when something changed, or every 5 min anyway
(`nodeStatusReportFrequency`). All timers are background work.
Left out: real resource pressure (the pressure conditions stay False), images and volumes in
node status, node-allocatable reservations other than the default eviction threshold.
"""

from __future__ import annotations

import copy
import hashlib
from typing import TYPE_CHECKING, Any

from minik8s.api.errors import StatusError
from minik8s.api.quantity import parse_quantity

if TYPE_CHECKING:
    from minik8s.client.client import Client
    from minik8s.sim.loop import EventLoop, Timer

Obj = dict[str, Any]
KUBELET_VERSION = "v1.31.0"
LEASE_DURATION = 40  # seconds
LEASE_RENEW_INTERVAL = 10.0  # 0.25 × the duration
NODE_STATUS_UPDATE_FREQUENCY = 10.0
NODE_STATUS_REPORT_FREQUENCY = 300.0
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
        out["memory"] = f"{max(ki, 0)}Ki"
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
    ):
        self.client = client
        self.loop = loop
        self.node_name = node_name
        self.node_ip = node_ip
        self.capacity = {**DEFAULT_CAPACITY, **capacity}
        self.labels = labels
        self.taints = taints
        self.runtime_version = runtime_version
        self.timers: list[Timer] = []
        self.last_reported: Obj | None = None
        self.last_report_time = -1e18
        self.boot = 0

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
                "bootID": uuid_form(machine_id(self.node_name, f"boot{self.boot}")),
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
        wanted.append(("Ready", "True", "KubeletReady", "kubelet is posting ready status"))
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
        self.last_reported = None
        try:
            self.client.create("nodes", self.node_object())
        except StatusError as err:
            if err.code != 409:
                raise
        self.update_status(force=True)
        self.renew_lease()
        self._every(NODE_STATUS_UPDATE_FREQUENCY, self.update_status, "node status")
        self._every(LEASE_RENEW_INTERVAL, self.renew_lease, "node lease")

    def stop(self) -> None:
        """No more heartbeats."""
        for timer in self.timers:
            timer.cancel()
        self.timers.clear()

    def _every(self, period: float, fn: Any, label: str) -> None:
        def tick() -> None:
            self.timers = [t for t in self.timers if t.state == "pending"]
            self.timers.append(self.loop.call_later(period, tick, background=True, label=label))
            fn()

        self.timers.append(self.loop.call_later(period, tick, background=True, label=label))

    def update_status(self, force: bool = False) -> None:
        """Post node status when it changed or the report period passed (`tryUpdateNodeStatus`)."""
        try:
            node = self.client.get("nodes", self.node_name)
        except StatusError:
            return
        fields = self.status_fields()
        due = self.loop.now - self.last_report_time >= NODE_STATUS_REPORT_FREQUENCY
        if not force and not due and fields == self.last_reported:
            return
        obj = copy.deepcopy(node)
        status = obj.setdefault("status", {})
        status.update(fields)
        status["conditions"] = self.conditions(status.get("conditions") or [])
        try:
            self.client.update_status("nodes", obj)
        except StatusError:
            return
        self.last_reported = fields
        self.last_report_time = self.loop.now

    def renew_lease(self) -> None:
        """Create or renew `kube-node-lease/<node>` (the Lease heartbeat)."""
        renew = self.loop.datetime().strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        try:
            lease = self.client.get("leases", self.node_name, "kube-node-lease")
        except StatusError:
            lease = None
        if lease is None:
            try:
                node = self.client.get("nodes", self.node_name)
            except StatusError:
                return
            owner = {
                "apiVersion": "v1",
                "kind": "Node",
                "name": self.node_name,
                "uid": node["metadata"]["uid"],
            }
            lease = {
                "apiVersion": "coordination.k8s.io/v1",
                "kind": "Lease",
                "metadata": {
                    "name": self.node_name,
                    "namespace": "kube-node-lease",
                    "ownerReferences": [owner],
                },
                "spec": {
                    "holderIdentity": self.node_name,
                    "leaseDurationSeconds": LEASE_DURATION,
                    "renewTime": renew,
                },
            }
            try:
                self.client.create("leases", lease, "kube-node-lease")
            except StatusError:
                pass
            return
        obj = copy.deepcopy(lease)
        obj["spec"]["renewTime"] = renew
        obj["spec"]["holderIdentity"] = self.node_name
        obj["spec"]["leaseDurationSeconds"] = LEASE_DURATION
        try:
            self.client.update("leases", obj, "kube-node-lease")
        except StatusError:
            pass
