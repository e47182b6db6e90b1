"""The proxier's view of Services and endpoints, mirroring `pkg/proxy/serviceport.go`,
`endpoint.go`, `endpointslicecache.go` (`EndpointSliceCache`: endpoints per service port,
sorted by `ip:port`), `topology.go` (`CategorizeEndpoints`) and the chain-name hashes of
`pkg/proxy/iptables/proxier.go` (`portProtoHash`, `servicePortEndpointChainName`).
Left out: topology hints, dual-stack, `externalIPs` validation against node addresses.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from typing import Any

Obj = dict[str, Any]


def port_proto_hash(service_port_name: str, protocol: str) -> str:
    """upstream `portProtoHash`: base32(sha256(name + protocol)), first 16 characters."""
    digest = hashlib.sha256((service_port_name + protocol).encode()).digest()
    return base64.b32encode(digest).decode()[:16]


def service_port_chain_name(
    service_port_name: str, protocol: str, prefix: str = "KUBE-SVC-"
) -> str:
    """`KUBE-SVC-…` (and with another prefix `KUBE-SVL-`, `KUBE-EXT-`, `KUBE-FW-`)."""
    return prefix + port_proto_hash(service_port_name, protocol)


def endpoint_chain_name(service_port_name: str, protocol: str, endpoint: str) -> str:
    """upstream `servicePortEndpointChainName`: `KUBE-SEP-` + hash of name, protocol, ip:port."""
    digest = hashlib.sha256((service_port_name + protocol + endpoint).encode()).digest()
    return "KUBE-SEP-" + base64.b32encode(digest).decode()[:16]


def probability(n: int) -> str:
    """upstream `computeProbability`: `1/n` with 10 decimals."""
    return f"{1.0 / n:0.10f}"


@dataclass
class Endpoint:
    """One endpoint of one service port (`endpointInfo`)."""

    ip: str
    port: int
    ready: bool = True
    serving: bool = True
    terminating: bool = False
    node_name: str = ""

    def __str__(self) -> str:
        return f"{self.ip}:{self.port}"


@dataclass
class ServicePort:
    """One port of one Service as the proxier sees it (`servicePortInfo`)."""

    namespace: str
    name: str
    port_name: str
    protocol: str
    cluster_ip: str
    port: int
    node_port: int = 0
    external_ips: list[str] = field(default_factory=list)
    load_balancer_ips: list[str] = field(default_factory=list)
    affinity_seconds: int = 0
    internal_local: bool = False
    external_local: bool = False
    health_check_node_port: int = 0
    endpoints: list[Endpoint] = field(default_factory=list)

    def __str__(self) -> str:
        suffix = f":{self.port_name}" if self.port_name else ""
        return f"{self.namespace}/{self.name}{suffix}"

    @property
    def proto(self) -> str:
        return self.protocol.lower()

    def chain(self, prefix: str) -> str:
        return service_port_chain_name(str(self), self.proto, prefix)

    def externally_accessible(self) -> bool:
        return bool(self.node_port or self.external_ips or self.load_balancer_ips)


def service_ports(svc: Obj, slices: list[Obj]) -> list[ServicePort]:
    """The proxier's view of one Service and its EndpointSlices (`newServiceInfo` and
    `endpointSliceCache`): headless and ExternalName services have none."""
    spec, meta = svc.get("spec") or {}, svc["metadata"]
    cluster_ip = spec.get("clusterIP") or ""
    if spec.get("type") == "ExternalName" or cluster_ip in ("", "None"):
        return []
    affinity = 0
    if spec.get("sessionAffinity") == "ClientIP":
        config = (spec.get("sessionAffinityConfig") or {}).get("clientIP") or {}
        affinity = int(config.get("timeoutSeconds") or 10800)
    lb_ips = [
        i["ip"]
        for i in (svc.get("status") or {}).get("loadBalancer", {}).get("ingress") or []
        if i.get("ip")
    ]
    out = []
    for port in spec.get("ports") or []:
        sp = ServicePort(
            namespace=meta.get("namespace", ""),
            name=meta["name"],
            port_name=port.get("name") or "",
            protocol=port.get("protocol") or "TCP",
            cluster_ip=cluster_ip,
            port=int(port["port"]),
            node_port=int(port.get("nodePort") or 0),
            external_ips=list(spec.get("externalIPs") or []),
            load_balancer_ips=lb_ips if spec.get("type") == "LoadBalancer" else [],
            affinity_seconds=affinity,
            internal_local=spec.get("internalTrafficPolicy") == "Local",
            external_local=spec.get("externalTrafficPolicy") == "Local",
            health_check_node_port=int(spec.get("healthCheckNodePort") or 0),
        )
        sp.endpoints = slice_endpoints(slices, sp.port_name, sp.protocol)
        out.append(sp)
    return out


def slice_endpoints(slices: list[Obj], port_name: str, protocol: str) -> list[Endpoint]:
    """Endpoints for one port name across a service's slices, sorted by `ip:port`."""
    found: dict[str, Endpoint] = {}
    for slice_ in slices:
        for port in slice_.get("ports") or []:
            if (port.get("name") or "") != port_name or (port.get("protocol") or "TCP") != protocol:
                continue
            for ep in slice_.get("endpoints") or []:
                conditions = ep.get("conditions") or {}
                ready = conditions.get("ready") is not False
                endpoint = Endpoint(
                    ip=ep["addresses"][0],
                    port=int(port["port"]),
                    ready=ready,
                    serving=conditions.get("serving", ready) is not False,
                    terminating=bool(conditions.get("terminating")),
                    node_name=ep.get("nodeName") or "",
                )
                found.setdefault(str(endpoint), endpoint)
    return sorted(found.values(), key=str)


def categorize_endpoints(sp: ServicePort, node: str) -> tuple[list[Endpoint], list[Endpoint]]:
    """upstream `CategorizeEndpoints`: (cluster, local) usable endpoints; ready ones, else the
    serving-and-terminating ones."""

    def usable(eps: list[Endpoint]) -> list[Endpoint]:
        ready = [e for e in eps if e.ready]
        return ready or [e for e in eps if e.serving and e.terminating]

    return usable(sp.endpoints), usable([e for e in sp.endpoints if e.node_name == node])
