"""The simulated cluster network plus each node's CNI runtime, mirroring libcni
(`containernetworking/cni/libcni/api.go`: `AddNetworkList`, `DelNetworkList`,
`CheckNetworkList`, the cached results) and the flat pod network a CNI provider builds
(every pod address reachable from every node, one /24 per node).

`Network` knows which address belongs to which node and sandbox: the bridge plugin registers an
address on ADD and removes it on DEL, so kube-proxy and `Cluster.request` can route packets.
`Network.node_network(node, pod_cidr)` gives a node its plugin chain, built from a standard
conflist (`default_conflist`). Left out: plugin binaries on disk, `CNI_PATH`, capabilities
(portmap, bandwidth), the result cache's files.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Any

from minik8s.cni.api import (
    ERR_INVALID_NETWORK_CONFIG,
    ERR_UNKNOWN_CONTAINER,
    CNIError,
    CNIPlugin,
    CNIResult,
    Config,
    version_info,
)
from minik8s.cni.bridge import Bridge
from minik8s.cni.hostlocal import HostLocal

CLUSTER_CIDR = "10.244.0.0/16"


def default_conflist(pod_cidr: str, name: str = "cbr0") -> Config:
    """The conflist a node gets (`/etc/cni/net.d/10-bridge.conflist` in kind-like clusters)."""
    return {
        "cniVersion": "1.0.0",
        "name": name,
        "plugins": [
            {
                "type": "bridge",
                "bridge": "cni0",
                "isGateway": True,
                "ipMasq": True,
                "ipam": {
                    "type": "host-local",
                    "ranges": [[{"subnet": pod_cidr}]],
                    "routes": [{"dst": "0.0.0.0/0"}],
                },
            }
        ],
    }


@dataclass(slots=True)
class Endpoint:
    """Who holds one pod address."""

    ip: str
    node: str
    container_id: str
    netns: str
    ifname: str
    pod_namespace: str = ""
    pod_name: str = ""

    @property
    def pod(self) -> str:
        return f"{self.pod_namespace}/{self.pod_name}" if self.pod_name else ""


@dataclass
class Network:
    """The cluster's pod network: addresses → endpoints, node name → its CNI runtime."""

    cluster_cidr: str = CLUSTER_CIDR
    endpoints: dict[str, Endpoint] = field(default_factory=dict)
    nodes: dict[str, NodeNetwork] = field(default_factory=dict, repr=False)

    def __repr__(self) -> str:
        return f"<Network {self.cluster_cidr} nodes={len(self.nodes)} pods={len(self.endpoints)}>"

    def node_network(self, node_name: str, pod_cidr: str) -> NodeNetwork:
        """The node's CNI runtime (created once; a new pod CIDR rebuilds its conflist)."""
        existing = self.nodes.get(node_name)
        if existing is not None and existing.pod_cidr == pod_cidr:
            return existing
        runtime = NodeNetwork(self, node_name, pod_cidr, default_conflist(pod_cidr))
        self.nodes[node_name] = runtime
        return runtime

    def register(
        self,
        ip: str,
        node: str,
        container_id: str,
        netns: str,
        ifname: str,
        args: dict[str, str] | None = None,
    ) -> None:
        """Record that `ip` now answers in `netns` on `node` (the bridge's ADD)."""
        held = self.endpoints.get(ip)
        if held is not None and (held.node, held.container_id) != (node, container_id):
            raise CNIError(999, f"address {ip} already in use by {held.container_id}")
        args = args or {}
        pod_ns, pod_name = args.get("K8S_POD_NAMESPACE", ""), args.get("K8S_POD_NAME", "")
        self.endpoints[ip] = Endpoint(ip, node, container_id, netns, ifname, pod_ns, pod_name)

    def unregister(self, ip: str, container_id: str) -> None:
        """Forget `ip` if `container_id` still holds it (the bridge's DEL)."""
        held = self.endpoints.get(ip)
        if held is not None and held.container_id == container_id:
            del self.endpoints[ip]

    def lookup(self, ip: str) -> Endpoint | None:
        """Which sandbox answers at `ip` (None: nobody, the packet is dropped)."""
        return self.endpoints.get(ip)

    def node_for(self, ip: str) -> str | None:
        """The node whose pod CIDR holds `ip` (where a packet to it is routed)."""
        address = ipaddress.ip_address(ip)
        for name, runtime in self.nodes.items():
            if address in ipaddress.ip_network(runtime.pod_cidr):
                return name
        return None

    def endpoints_on(self, node: str) -> list[Endpoint]:
        """The pod addresses on one node, in allocation order."""
        return [e for e in self.endpoints.values() if e.node == node]


class NodeNetwork:
    """One node's CNI runtime (libcni): runs the conflist's plugins in order, caches results."""

    def __init__(self, network: Network, node_name: str, pod_cidr: str, conflist: Config):
        self.network = network
        self.node_name = node_name
        self.pod_cidr = pod_cidr
        self.conflist = conflist
        self.ipam = HostLocal()
        self.bridge = Bridge(node_name, {"host-local": self.ipam}, network)
        self.results: dict[tuple[str, str], CNIResult] = {}  # libcni's cached results

    def __repr__(self) -> str:
        return f"<NodeNetwork {self.node_name} {self.pod_cidr} sandboxes={len(self.results)}>"

    def _plugins(self, config: Config | None) -> list[tuple[Any, Config]]:
        """libcni `buildOneConfig`: each plugin's config with the list's name and version."""
        conflist = config if config is not None else self.conflist
        entries = conflist["plugins"] if "plugins" in conflist else [conflist]
        out = []
        for entry in entries:
            plugin = {"bridge": self.bridge, "host-local": self.ipam}.get(entry.get("type", ""))
            if plugin is None:
                msg = f'failed to find plugin "{entry.get("type", "")}" in path'
                raise CNIError(ERR_INVALID_NETWORK_CONFIG, msg)
            name, version = conflist.get("name", ""), conflist.get("cniVersion", "1.0.0")
            out.append((plugin, {**entry, "name": name, "cniVersion": version}))
        return out

    def add(
        self,
        container_id: str,
        netns: str,
        ifname: str,
        config: Config | None = None,
        args: dict[str, str] | None = None,
    ) -> CNIResult:
        """`AddNetworkList`: each plugin gets the previous one's result as `prevResult`."""
        result: CNIResult | None = None
        for plugin, conf in self._plugins(config):
            if result is not None:
                conf["prevResult"] = result.to_json()
            result = plugin.add(container_id, netns, ifname, conf, args=args)
        assert result is not None
        self.results[(container_id, ifname)] = result
        return result

    def delete(
        self,
        container_id: str,
        netns: str,
        ifname: str,
        config: Config | None = None,
        args: dict[str, str] | None = None,
    ) -> None:
        """`DelNetworkList`: the plugins in reverse order; nothing to delete is fine."""
        cached = self.results.pop((container_id, ifname), None)
        for plugin, conf in reversed(self._plugins(config)):
            if cached is not None:
                conf["prevResult"] = cached.to_json()
            plugin.delete(container_id, netns, ifname, conf, args=args)

    def check(
        self,
        container_id: str,
        netns: str,
        ifname: str,
        config: Config | None = None,
        args: dict[str, str] | None = None,
    ) -> None:
        """`CheckNetworkList`: every plugin verifies the cached result still holds."""
        cached = self.results.get((container_id, ifname))
        if cached is None:
            msg = f"no cached result for container {container_id} interface {ifname}"
            raise CNIError(ERR_UNKNOWN_CONTAINER, msg)
        for plugin, conf in self._plugins(config):
            conf["prevResult"] = cached.to_json()
            plugin.check(container_id, netns, ifname, conf, args=args)

    def version(self) -> dict[str, Any]:
        return version_info()

    def pod_ip(self, container_id: str, ifname: str = "eth0") -> str | None:
        """The first address the sandbox got (the kubelet's `podIP`)."""
        cached = self.results.get((container_id, ifname))
        return cached.ips[0].ip if cached and cached.ips else None


def _conforms(runtime: NodeNetwork) -> CNIPlugin:
    """Type check only: a node's runtime is a CNI plugin to the kubelet."""
    return runtime
