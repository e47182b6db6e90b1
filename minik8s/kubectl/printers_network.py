"""`kubectl get` rows for Service, Endpoints, EndpointSlice, Ingress and IngressClass.

Mirrors `printService` (`getServiceExternalIP`, `makePortString`), `printEndpoints`
(`formatEndpoints`), `printEndpointSlice` (`formatDiscoveryPorts`, `formatDiscoveryEndpoints`),
`printIngress` (`formatHosts`, `formatPorts`) and `printIngressClass` of
`pkg/printers/internalversion/printers.go`. Leaves out IPv6 brackets in endpoint addresses and
the 16-byte clipping of load-balancer addresses (kubectl passes wide=true for services).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from minik8s.kubectl.printers import (
    Column,
    Obj,
    Row,
    format_labels,
    list_with_more_string,
    object_age,
    object_meta,
)


def _name(obj: Obj) -> str:
    return object_meta(obj).get("name", "")


# -- networking --------------------------------------------------------------------------------
def load_balancer_status(status: Obj) -> str:
    """`loadBalancerStatusStringer`: each point's IP, else hostname; sorted, de-duplicated."""
    points = {
        ing.get("ip") or ing.get("hostname")
        for ing in (status.get("loadBalancer") or {}).get("ingress") or []
    }
    return ",".join(sorted(p for p in points if p))


def service_external_ip(svc: Obj) -> str:
    """`getServiceExternalIP`."""
    spec = svc.get("spec") or {}
    kind = spec.get("type", "ClusterIP")
    external = spec.get("externalIPs") or []
    if kind in ("ClusterIP", "NodePort"):
        return ",".join(external) if external else "<none>"
    if kind == "LoadBalancer":
        lb = load_balancer_status(svc.get("status") or {})
        if external:
            return ",".join([*(lb.split(",") if lb else []), *external])
        return lb or "<pending>"
    if kind == "ExternalName":
        return spec.get("externalName", "")
    return "<unknown>"


def make_port_string(ports: list[Obj]) -> str:
    """`makePortString`: `80/TCP`, `80:30080/TCP`."""
    pieces = []
    for port in ports:
        proto = port.get("protocol", "TCP")
        if port.get("nodePort"):
            pieces.append(f"{port.get('port')}:{port['nodePort']}/{proto}")
        else:
            pieces.append(f"{port.get('port')}/{proto}")
    return ",".join(pieces)


def _service(obj: Obj, now: datetime) -> list[Any]:
    spec = obj.get("spec") or {}
    cluster_ips = spec.get("clusterIPs") or ([spec["clusterIP"]] if spec.get("clusterIP") else [])
    return [
        _name(obj),
        spec.get("type", "ClusterIP"),
        cluster_ips[0] if cluster_ips else "<none>",
        service_external_ip(obj),
        make_port_string(spec.get("ports") or []) or "<none>",
        object_age(obj, now),
        format_labels(spec.get("selector")),
    ]


def format_endpoints(endpoints: Obj) -> str:
    """`formatEndpoints`: up to three `ip:port`, then `+ N more...`; `<none>` without subsets."""
    subsets = endpoints.get("subsets") or []
    if not subsets:
        return "<none>"
    items: list[str] = []
    count = 0
    for subset in subsets:
        addresses = [a.get("ip", "") for a in subset.get("addresses") or []]
        ports = subset.get("ports") or []
        if not ports:
            count += len(addresses)
            items.extend(addresses)
            continue
        for port in ports:
            count += len(addresses)
            items.extend(f"{ip}:{port.get('port')}" for ip in addresses)
    ret = ",".join(items[:3])
    return f"{ret} + {count - 3} more..." if count > 3 else ret


def _endpoints(obj: Obj, now: datetime) -> list[Any]:
    return [_name(obj), format_endpoints(obj), object_age(obj, now)]


def _endpointslice(obj: Obj, now: datetime) -> list[Any]:
    ports = []
    for port in obj.get("ports") or []:
        value = port.get("port")
        name = port.get("name")
        ports.append(str(value) if value is not None else name if name is not None else "*")
    addresses = [a for ep in obj.get("endpoints") or [] for a in ep.get("addresses") or []]
    return [
        _name(obj),
        obj.get("addressType", ""),
        list_with_more_string(ports, len(ports)),
        list_with_more_string(addresses, len(addresses)),
        object_age(obj, now),
    ]


def _ingress_hosts(rules: list[Obj], maximum: int = 3) -> str:
    """`formatHosts`: the first three non-empty hosts, `+ N more...` if rules remain after them."""
    hosts: list[str] = []
    more = False
    for rule in rules:
        if len(hosts) == maximum:
            more = True
        if not more and rule.get("host"):
            hosts.append(rule["host"])
    if not hosts:
        return "*"
    ret = ",".join(hosts)
    return f"{ret} + {len(rules) - maximum} more..." if more else ret


def _ingress(obj: Obj, now: datetime) -> list[Any]:
    spec = obj.get("spec") or {}
    ports = "80, 443" if spec.get("tls") else "80"
    return [
        _name(obj),
        spec.get("ingressClassName") or "<none>",
        _ingress_hosts(spec.get("rules") or []),
        load_balancer_status(obj.get("status") or {}),
        ports,
        object_age(obj, now),
    ]


def _ingressclass(obj: Obj, now: datetime) -> list[Any]:
    spec = obj.get("spec") or {}
    params = spec.get("parameters")
    text = "<none>"
    if params:
        group = params.get("apiGroup")
        text = (
            params.get("kind", "") + (f".{group}" if group else "") + "/" + params.get("name", "")
        )
    return [_name(obj), spec.get("controller", ""), text, object_age(obj, now)]


NETWORK: dict[str, tuple[list[Column], Row]] = {
    "Service": (
        [
            ("NAME", 0),
            ("TYPE", 0),
            ("CLUSTER-IP", 0),
            ("EXTERNAL-IP", 0),
            ("PORT(S)", 0),
            ("AGE", 0),
            ("SELECTOR", 1),
        ],
        _service,
    ),
    "Endpoints": ([("NAME", 0), ("ENDPOINTS", 0), ("AGE", 0)], _endpoints),
    "EndpointSlice": (
        [("NAME", 0), ("ADDRESSTYPE", 0), ("PORTS", 0), ("ENDPOINTS", 0), ("AGE", 0)],
        _endpointslice,
    ),
    "Ingress": (
        [("NAME", 0), ("CLASS", 0), ("HOSTS", 0), ("ADDRESS", 0), ("PORTS", 0), ("AGE", 0)],
        _ingress,
    ),
    "IngressClass": (
        [("NAME", 0), ("CONTROLLER", 0), ("PARAMETERS", 0), ("AGE", 0)],
        _ingressclass,
    ),
}
