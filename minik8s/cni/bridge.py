"""The bridge plugin, mirroring containernetworking/plugins `plugins/main/bridge/bridge.go`.

ADD makes sure the node's bridge (`cni0`) exists, creates a veth pair (host end `veth…` on the
bridge, container end `ifname` in the pod's netns), asks the IPAM plugin named in `ipam.type` for
addresses, gives the bridge the gateway address when `isGateway`, records the masquerade rule
when `ipMasq`, and registers the pod's address with the simulated cluster network so packets can
be routed to it. DEL undoes it in reverse; it succeeds when there is nothing left to delete.
Left out: VLANs, hairpin mode, promiscuous mode, MTU, `isDefaultGateway` route insertion, real
kernel objects (interfaces are records; MACs are derived from the address like `hwaddr`'s
0a:58 prefix, veth names from the container id).
"""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from minik8s.cni.api import (
    ERR_INTERNAL,
    ERR_INVALID_NETWORK_CONFIG,
    CNIError,
    CNIResult,
    Config,
    Interface,
    check_version,
    version_info,
)

if TYPE_CHECKING:
    from minik8s.cni.network import Network


class IPAMPlugin(Protocol):
    """What the bridge needs of its IPAM delegate (`ipam.ExecAdd` / `ExecDel` / `ExecCheck`)."""

    def add(self, container_id: str, netns: str, ifname: str, config: Config) -> CNIResult: ...

    def delete(self, container_id: str, netns: str, ifname: str, config: Config) -> None: ...

    def check(self, container_id: str, netns: str, ifname: str, config: Config) -> None: ...


def mac_for_ip(ip: str) -> str:
    """A MAC derived from an IPv4 address with the 0a:58 prefix (`hwaddr.GenerateHardwareAddr4`)."""
    packed = ipaddress.ip_address(ip).packed[-4:]
    return ":".join(f"{b:02x}" for b in b"\x0a\x58" + packed)


def veth_name(container_id: str, ifname: str) -> str:
    """The host end's name: `veth` + 8 hex digits (upstream draws them at random)."""
    return "veth" + hashlib.sha256(f"{container_id}/{ifname}".encode()).hexdigest()[:8]


@dataclass(slots=True)
class Veth:
    """One veth pair: host end on the bridge, container end in the pod's netns."""

    host_ifname: str
    container_ifname: str
    netns: str
    mac: str
    addresses: list[str] = field(default_factory=list)


@dataclass
class LinuxBridge:
    """The node's bridge device and what hangs off it."""

    name: str
    addresses: list[str] = field(default_factory=list)  # the gateway when isGateway
    ports: list[str] = field(default_factory=list)  # host veth names

    @property
    def mac(self) -> str:
        return (
            mac_for_ip(self.addresses[0].split("/")[0]) if self.addresses else "0a:58:00:00:00:00"
        )


class Bridge:
    """The bridge plugin for one node; `ipam` maps an IPAM type to its plugin."""

    def __init__(self, node_name: str, ipam: dict[str, IPAMPlugin], network: Network | None = None):
        self.node_name = node_name
        self.ipam = ipam
        self.network = network
        self.bridges: dict[str, LinuxBridge] = {}
        self.veths: dict[tuple[str, str], Veth] = {}
        self.masquerade: dict[str, str] = {}  # pod address → CNI-… chain, upstream's ipMasq

    def __repr__(self) -> str:
        return (
            f"<Bridge node={self.node_name} bridges={sorted(self.bridges)} veths={len(self.veths)}>"
        )

    def _ipam(self, config: Config) -> IPAMPlugin:
        kind = (config.get("ipam") or {}).get("type", "")
        if kind not in self.ipam:
            raise CNIError(ERR_INVALID_NETWORK_CONFIG, f'failed to find plugin "{kind}" in path')
        return self.ipam[kind]

    def add(
        self,
        container_id: str,
        netns: str,
        ifname: str,
        config: Config,
        args: dict[str, str] | None = None,
    ) -> CNIResult:
        """Bridge + veth + addresses from IPAM; the result lists bridge, veth and eth0."""
        check_version(config)
        if not netns:
            raise CNIError(ERR_INTERNAL, "netns must be specified")
        bridge = self.bridges.setdefault(
            config.get("bridge") or "cni0", LinuxBridge(config.get("bridge") or "cni0")
        )
        result = self._ipam(config).add(container_id, netns, ifname, config)
        if not result.ips:
            raise CNIError(ERR_INTERNAL, "IPAM plugin returned missing IP config")
        veth = Veth(veth_name(container_id, ifname), ifname, netns, mac_for_ip(result.ips[0].ip))
        veth.addresses = [ip.address for ip in result.ips]
        self.veths[(container_id, ifname)] = veth
        if veth.host_ifname not in bridge.ports:
            bridge.ports.append(veth.host_ifname)
        for ip in result.ips:
            ip.interface = 2
            self._configure_gateway(config, bridge, ip.gateway, ip.address)
            if config.get("ipMasq"):
                self.masquerade[ip.ip] = "CNI-" + veth.host_ifname[4:]
            if self.network is not None:
                self.network.register(ip.ip, self.node_name, container_id, netns, ifname, args)
        result.interfaces = [
            Interface(bridge.name, bridge.mac),
            Interface(veth.host_ifname, _host_mac(veth)),
            Interface(ifname, veth.mac, netns),
        ]
        if config.get("dns"):
            result.dns = dict(config["dns"])
        return result

    def _configure_gateway(
        self, config: Config, bridge: LinuxBridge, gateway: str, address: str
    ) -> None:
        """`isGateway`: the bridge carries the gateway address (upstream `ensureAddr`)."""
        if not config.get("isGateway") and not config.get("isDefaultGateway"):
            return
        cidr = f"{gateway}/{address.split('/')[1]}"
        if gateway and cidr not in bridge.addresses:
            bridge.addresses.append(cidr)

    def delete(
        self,
        container_id: str,
        netns: str,
        ifname: str,
        config: Config,
        args: dict[str, str] | None = None,
    ) -> None:
        """Release the addresses, delete the veth, drop the masquerade rules; idempotent."""
        check_version(config)
        self._ipam(config).delete(container_id, netns, ifname, config)
        veth = self.veths.pop((container_id, ifname), None)
        if veth is None:
            return
        for bridge in self.bridges.values():
            if veth.host_ifname in bridge.ports:
                bridge.ports.remove(veth.host_ifname)
        for address in veth.addresses:
            ip = address.split("/")[0]
            self.masquerade.pop(ip, None)
            if self.network is not None:
                self.network.unregister(ip, container_id)

    def check(
        self,
        container_id: str,
        netns: str,
        ifname: str,
        config: Config,
        args: dict[str, str] | None = None,
    ) -> None:
        """The container's interface still exists with the addresses of `prevResult`."""
        check_version(config)
        self._ipam(config).check(container_id, netns, ifname, config)
        prev = CNIResult.from_json(config.get("prevResult") or {})
        veth = self.veths.get((container_id, ifname))
        if veth is None or veth.netns != netns:
            raise CNIError(ERR_INTERNAL, f"Error: Container Interface {ifname} not found")
        for ip in prev.ips:
            if ip.address not in veth.addresses:
                raise CNIError(ERR_INTERNAL, f"Interface {ifname} has no address {ip.address}")

    def version(self) -> dict[str, Any]:
        return version_info()


def _host_mac(veth: Veth) -> str:
    """The host end's MAC (random upstream; derived from its name here)."""
    digest = bytes.fromhex(veth.host_ifname[4:])
    return ":".join(f"{b:02x}" for b in b"\x0e\x00" + digest)
