"""The cluster's machines: what runs on each node, like a node container of kind or minikube.

A `Machine` holds one node's kubelet, its container runtime (CRI), its share of the pod network
(CNI) and its disks. `fail()` is a power loss (heartbeats stop, containers die without a word to
the API server); `recover()` boots a new kubelet on the same runtime and disks, which releases
the old sandboxes' addresses and restarts the pods still bound to the node.
The kubelet's volume manager reaches the cluster's CSI driver through the driver's Node service
on this machine (`NodeVolumes`, kept on the machine's disks with what it staged and published);
CSI volume contents live in the driver. Other PersistentVolumes (local, nfs…) keep theirs in
one cluster-wide mapping (network storage), so data written through a claim outlives its pod and
follows the claim to another node.
Each kubelet runs with a `KubeletConfiguration` (its DNS fields: `clusterDNS`, `clusterDomain`,
`resolvConf`), by default the one kubeadm writes (`kubeadm_kubelet_configuration`).
"""

from __future__ import annotations

import heapq
import ipaddress
from typing import TYPE_CHECKING, Any

from minik8s.cni.network import Network
from minik8s.cri.simulated import SimulatedRuntime
from minik8s.csi.node import NodeVolumes
from minik8s.csi.volume_data import PersistentVolumeData
from minik8s.kubelet.config import KubeletConfiguration
from minik8s.kubelet.kubelet import Kubelet
from minik8s.kubelet.volumes import VolumeStores

if TYPE_CHECKING:
    from minik8s.cluster import Cluster

Obj = dict[str, Any]
CONTROL_PLANE = "control-plane"
CONTROL_PLANE_LABEL = "node-role.kubernetes.io/control-plane"
KUBEADM_SERVICE_SUBNET = "10.96.0.0/12"  # kubeadm's networking.serviceSubnet default
KUBEADM_DNS_DOMAIN = "cluster.local"  # kubeadm's networking.dnsDomain default


def dns_ip(service_subnet: str) -> str:
    """kubeadm's `GetDNSIP`: the 10th address of the service subnet."""
    return str(ipaddress.ip_network(service_subnet)[10])


def kubeadm_kubelet_configuration(
    service_subnet: str = KUBEADM_SERVICE_SUBNET, dns_domain: str = KUBEADM_DNS_DOMAIN
) -> KubeletConfiguration:
    """What kubeadm's kubelet component config defaulting fills in (`cmd/kubeadm/app/
    componentconfigs/kubelet.go`): clusterDNS from the service subnet, clusterDomain from
    networking.dnsDomain."""
    return KubeletConfiguration((dns_ip(service_subnet),), dns_domain)


class NodeAddresses:
    """The machines' addresses on the node network, handed out like Docker's IPAM does for kind's
    node containers: the lowest free one from `.2` (`.1` is the gateway); a removed machine's
    address is free again, and no two machines ever hold the same one."""

    FIRST = 2

    def __init__(self, network: ipaddress.IPv4Network | ipaddress.IPv6Network) -> None:
        self.network = network
        self._next = self.FIRST  # every offset below it was handed out once
        self._free: list[int] = []  # released offsets below `_next` (a heap)
        self._held: dict[str, int] = {}  # address -> offset

    def __repr__(self) -> str:
        return f"<NodeAddresses {self.network} held={len(self._held)}>"

    def allocate(self) -> str:
        """The lowest free address; ValueError when the network is full."""
        if self._free:
            offset = heapq.heappop(self._free)
        elif self._next < self.network.num_addresses - 1:  # the last is the broadcast address
            offset, self._next = self._next, self._next + 1
        else:
            raise ValueError(f"no free address left in {self.network}")
        address = str(self.network.network_address + offset)
        self._held[address] = offset
        return address

    def release(self, address: str) -> None:
        """Give `address` back (a no-op for an address not held)."""
        offset = self._held.pop(address, None)
        if offset is not None:
            heapq.heappush(self._free, offset)


class NodeCNI:
    """A node's CNI plugin chain, built once the node IPAM controller gave it a pod CIDR."""

    def __init__(self, network: Network, node_name: str, cluster: Cluster):
        self.network = network
        self.node_name = node_name
        self.cluster = cluster

    def __repr__(self) -> str:
        return f"<NodeCNI {self.node_name}>"

    def _plugin(self) -> Any:
        node = self.cluster.apiserver.cached("nodes", self.node_name) or {}
        cidr = node.get("spec", {}).get("podCIDR")
        if not cidr:  # the Node object is gone: the runtime keeps the CIDR it was given
            existing = self.network.nodes.get(self.node_name)
            if existing is not None:
                return existing
            raise RuntimeError(f'node "{self.node_name}" has no pod CIDR yet')
        return self.network.node_network(self.node_name, cidr)

    def ready(self) -> bool:
        """Whether the plugin is configured: the node has a pod CIDR (kindnet writes the CNI
        config from it), or the runtime already has one."""
        if self.node_name in self.network.nodes:
            return True
        node = self.cluster.apiserver.cached("nodes", self.node_name) or {}
        return bool(node.get("spec", {}).get("podCIDR"))

    @property
    def conflist(self) -> Any:
        return self._plugin().conflist

    def add(self, *args: Any, **kwargs: Any) -> Any:
        return self._plugin().add(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        return self._plugin().delete(*args, **kwargs)

    def check(self, *args: Any, **kwargs: Any) -> Any:
        return self._plugin().check(*args, **kwargs)


class Machine:
    """One node: kubelet + container runtime + CNI."""

    def __init__(
        self,
        cluster: Cluster,
        name: str,
        *,
        labels: dict[str, str] | None = None,
        taints: list[Obj] | None = None,
        capacity: dict[str, str] | None = None,
        node_ip: str | None = None,
        kubelet_config: KubeletConfiguration | None = None,
    ):
        self.cluster = cluster
        self.kubelet_config = kubelet_config or kubeadm_kubelet_configuration()
        self.name = name
        self.node_ip = node_ip
        self.labels = dict(labels or {})
        self.taints = list(taints or [])
        self.capacity = dict(capacity or {})
        self.network = NodeCNI(cluster.network, name, cluster)
        self.runtime = SimulatedRuntime(cluster.loop, name)
        self.runtime.resolve = cluster.service_network.dns.nslookup  # `nslookup` in containers
        driver = cluster.csi
        csi = NodeVolumes(name, {driver.name: driver.node(name)})
        data = cluster.persistent_volume_data  # a dict, or a view over the driver and a dict
        persistent = data.other if isinstance(data, PersistentVolumeData) else data
        self.disks = VolumeStores(persistent=persistent, csi=csi)
        self.kubelet: Kubelet | None = None
        self.boot()

    def __repr__(self) -> str:
        state = "running" if self.running else "powered off"
        return f"<Machine {self.name} {state}>"

    @property
    def running(self) -> bool:
        return self.kubelet is not None and self.kubelet.running

    def csi_topology_labels(self) -> dict[str, str]:
        """The labels the kubelet's CSI plugin registration puts on its Node: each driver's
        `NodeGetInfo` accessible topology (upstream `nodeinfomanager`)."""
        info = self.cluster.csi.node(self.name).node_get_info()
        return dict(info.accessible_topology or {})

    def clean_orphaned_volumes(self) -> list[str]:
        """At boot, unmount the CSI volumes of pods that were deleted while the machine was off
        (upstream's volume reconstruction + `cleanupOrphanedPodDirs`); their uids."""
        csi = self.disks.csi
        if csi is None or not csi.published:
            return []
        client = self.cluster.client_for(f"kubelet {self.name}")
        pods = client.list("pods", field_selector=f"spec.nodeName={self.name}")["items"]
        live = {pod["metadata"]["uid"] for pod in pods}
        orphans = [uid for uid in csi.published if uid not in live]
        for uid in orphans:
            csi.unmount_pod(uid)
        return orphans

    def boot(self) -> None:
        """Power on: a kubelet that registers the node and (re)starts its pods."""
        self.clean_orphaned_volumes()
        self.kubelet = Kubelet(
            self.name,
            self.cluster.client_for(f"kubelet {self.name}"),
            runtime=self.runtime,
            network=self.network,
            loop=self.cluster.loop,
            tracer=self.cluster.tracer,
            capacity=self.capacity or None,
            labels={**self.csi_topology_labels(), **self.labels},
            taints=self.taints,
            node_ip=self.node_ip,
            volume_stores=self.disks,
            config=self.kubelet_config,
            informers=self.cluster.informers,  # (its services lister: the shared informer)
        )
        self.kubelet.start()
        self.cluster.apiserver.kubelets[self.name] = self.kubelet

    def fail(self) -> None:
        """Power loss: the kubelet stops and every container dies."""
        if self.kubelet is not None:
            self.kubelet.stop()
        self.cluster.apiserver.kubelets.pop(self.name, None)

    def recover(self) -> None:
        """Power back on after `fail()`."""
        if not self.running:
            self.boot()


def control_plane_node() -> dict[str, Any]:
    """Labels and taints of the control-plane node, as kubeadm sets them."""
    return {
        "labels": {CONTROL_PLANE_LABEL: ""},
        "taints": [{"key": CONTROL_PLANE_LABEL, "effect": "NoSchedule"}],
    }
