"""`kubectl describe` for Service, Ingress, IngressClass, Endpoints and EndpointSlice.

Mirrors `describeService` (each port's endpoints from the Service's EndpointSlices; IP mode of
load-balancer ingress points), `IngressDescriber.describeIngressV1` (with `describeBackendV1`,
`serviceBackendStringer`, `describeIngressTLSV1` and `formatEndpointSlices`: up to three ready
`ip:port` of the backend Service's EndpointSlices for the matching port),
`describeIngressClassV1`, `describeEndpoints` and `describeEndpointSliceV1` of
`k8s.io/kubectl/pkg/describe/describe.go`. Leaves out the networking/v1beta1 and
discovery/v1beta1 fallbacks (minik8s serves only v1).
"""

from __future__ import annotations

from typing import Any

from minik8s.api import errors
from minik8s.kubectl.describe_base import (
    PrefixWriter,
    annotations_multiline,
    describe_events,
    header,
    labels_multiline,
)
from minik8s.kubectl.printers import format_labels
from minik8s.kubectl.printers_network import load_balancer_status

Obj = dict[str, Any]
LABEL_SERVICE_NAME = "kubernetes.io/service-name"


def _join_host_port(host: str, port: Any) -> str:
    """`net.JoinHostPort`: IPv6 addresses in brackets."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def format_endpoint_slices(slices: list[Obj], ports: set[str] | None) -> str:
    """`formatEndpointSlices`: ready endpoints (for `ports` by name; None for all ports)."""
    if not slices:
        return "<none>"
    found: list[str] = []
    maximum, more, count = 3, False, 0
    for eps in slices:
        slice_ports = eps.get("ports") or []
        targets = [p for p in slice_ports if ports is None or (p.get("name") or "") in ports]
        for port in targets or ([None] if not slice_ports else []):
            for endpoint in eps.get("endpoints") or []:
                if len(found) == maximum:
                    more = True
                if (endpoint.get("conditions") or {}).get("ready") is False:
                    continue
                address = (endpoint.get("addresses") or [""])[0]
                if not more:
                    found.append(
                        address if port is None else _join_host_port(address, port["port"])
                    )
                count += 1
    ret = ",".join(found)
    return f"{ret} + {count - maximum} more..." if more else ret


def _service_slices(client: Any, namespace: str, name: str) -> list[Obj]:
    selector = f"{LABEL_SERVICE_NAME}={name}"
    return client.list("endpointslices", namespace, label_selector=selector).get("items") or []


def _lb_ingress_list(ingress: list[Obj]) -> str:
    """`buildIngressString`: `ip (mode)` or hostname, joined by `, `."""
    return ", ".join(
        (i["ip"] + (f" ({i['ipMode']})" if i.get("ipMode") else ""))
        if i.get("ip")
        else i.get("hostname", "")
        for i in ingress
    )


def describe_service(w: PrefixWriter, svc: Obj, events: list[Obj] | None, client: Any) -> None:
    """`ServiceDescriber`."""
    meta, spec = svc.get("metadata") or {}, svc.get("spec") or {}
    ingress = ((svc.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
    header(w, svc)
    w.write(0, f"Selector:\t{format_labels(spec.get('selector'))}\n")
    w.write(0, f"Type:\t{spec.get('type', '')}\n")
    if spec.get("ipFamilyPolicy"):
        w.write(0, f"IP Family Policy:\t{spec['ipFamilyPolicy']}\n")
    w.write(0, f"IP Families:\t{','.join(spec.get('ipFamilies') or []) or '<none>'}\n")
    w.write(0, f"IP:\t{spec.get('clusterIP', '')}\n")
    w.write(0, f"IPs:\t{','.join(spec.get('clusterIPs') or []) or '<none>'}\n")
    for field, label in _SERVICE_EXTRAS_BEFORE:
        if spec.get(field):
            value = spec[field]
            w.write(0, f"{label}:\t{','.join(value) if isinstance(value, list) else value}\n")
    if ingress:
        w.write(0, f"LoadBalancer Ingress:\t{_lb_ingress_list(ingress)}\n")
    slices = _service_slices(client, meta.get("namespace", ""), meta.get("name", ""))
    for port in spec.get("ports") or []:
        name, proto = port.get("name") or "<unset>", port.get("protocol", "TCP")
        w.write(0, f"Port:\t{name}\t{port.get('port')}/{proto}\n")
        w.write(0, f"TargetPort:\t{port.get('targetPort', 0)}/{proto}\n")
        if port.get("nodePort"):
            w.write(0, f"NodePort:\t{name}\t{port['nodePort']}/{proto}\n")
        endpoints = format_endpoint_slices(slices, {port.get("name") or ""})
        w.write(0, f"Endpoints:\t{endpoints}\n")
    w.write(0, f"Session Affinity:\t{spec.get('sessionAffinity', '')}\n")
    for field, label in _SERVICE_EXTRAS_AFTER:
        if spec.get(field):
            value = spec[field]
            w.write(0, f"{label}:\t{','.join(value) if isinstance(value, list) else value}\n")
    describe_events(w, events)


_SERVICE_EXTRAS_BEFORE = (
    ("externalIPs", "External IPs"),
    ("loadBalancerIP", "Desired LoadBalancer IP"),
    ("externalName", "External Name"),
)
_SERVICE_EXTRAS_AFTER = (
    ("externalTrafficPolicy", "External Traffic Policy"),
    ("internalTrafficPolicy", "Internal Traffic Policy"),
    ("healthCheckNodePort", "HealthCheck NodePort"),
    ("loadBalancerSourceRanges", "LoadBalancer Source Ranges"),
    ("trafficDistribution", "Traffic Distribution"),
)


def _service_backend(backend: Obj) -> str:
    """`serviceBackendStringer`: `name:port`."""
    port = backend.get("port") or {}
    return f"{backend.get('name', '')}:{port.get('number') or port.get('name', '')}"


def describe_backend(client: Any, namespace: str, backend: Obj) -> str:
    """`describeBackendV1`: `web:80 (10.244.1.3:80,10.244.1.4:80)`, or the resource backend."""
    if backend.get("service"):
        svc_backend = backend["service"]
        text = _service_backend(svc_backend)
        name = svc_backend.get("name", "")
        try:
            slices = _service_slices(client, namespace, name)
            service = client.get("services", name, namespace)
        except errors.StatusError as err:
            return f"{text} (<error: {err.message}>)"
        wanted = svc_backend.get("port") or {}
        port_name = ""
        for sp in (service.get("spec") or {}).get("ports") or []:
            if wanted.get("number") and wanted["number"] == sp.get("port"):
                port_name = sp.get("name", "")
            elif wanted.get("name") and wanted["name"] == sp.get("name"):
                port_name = sp.get("name", "")
        endpoints = format_endpoint_slices(slices, {port_name})
        return f"{text} ({endpoints})"
    if backend.get("resource"):
        ref = backend["resource"]
        group = ref.get("apiGroup") or "<none>"
        return f"APIGroup: {group}, Kind: {ref.get('kind', '')}, Name: {ref.get('name', '')}"
    return ""


def describe_ingress(w: PrefixWriter, ing: Obj, events: list[Obj] | None, client: Any) -> None:
    """`IngressDescriber` (networking.k8s.io/v1)."""
    meta, spec = ing.get("metadata") or {}, ing.get("spec") or {}
    ns = meta.get("namespace", "")
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    w.write(0, f"Namespace:\t{ns}\n")
    w.write(0, f"Address:\t{load_balancer_status(ing.get('status') or {})}\n")
    w.write(0, f"Ingress Class:\t{spec.get('ingressClassName') or '<none>'}\n")
    default = "<default>"
    if spec.get("defaultBackend"):
        default = describe_backend(client, ns, spec["defaultBackend"])
    w.write(0, f"Default backend:\t{default}\n")
    if spec.get("tls"):
        w.write(0, "TLS:\n")
        for tls in spec["tls"]:
            hosts = ",".join(tls.get("hosts") or [])
            if tls.get("secretName"):
                w.write(1, f"{tls['secretName']} terminates {hosts}\n")
            else:
                w.write(1, f"SNI routes {hosts}\n")
    w.write(0, "Rules:\n  Host\tPath\tBackends\n")
    w.write(1, "----\t----\t--------\n")
    count = 0
    for rule in spec.get("rules") or []:
        if rule.get("http") is None:
            continue
        count += 1
        w.write(1, f"{rule.get('host') or '*'}\t\n")
        for path in rule["http"].get("paths") or []:
            backend = describe_backend(client, ns, path.get("backend") or {})
            w.write(2, f"\t{path.get('path', '')} \t{backend}\n")
    if count == 0:
        w.write(1, f"*\t*\t{default}\n")
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    describe_events(w, events)


def describe_ingressclass(w: PrefixWriter, ic: Obj, events: list[Obj] | None, client: Any) -> None:
    """`IngressClassDescriber` (networking.k8s.io/v1)."""
    spec = ic.get("spec") or {}
    header(w, ic, namespaced=False)
    w.write(0, f"Controller:\t{spec.get('controller', '')}\n")
    params = spec.get("parameters")
    if params:
        w.write(0, "Parameters:\n")
        if params.get("apiGroup") is not None:
            w.write(1, f"APIGroup:\t{params['apiGroup']}\n")
        w.write(1, f"Kind:\t{params.get('kind', '')}\n")
        w.write(1, f"Name:\t{params.get('name', '')}\n")
    describe_events(w, events)


def describe_endpoints(w: PrefixWriter, ep: Obj, events: list[Obj] | None, client: Any) -> None:
    """`EndpointsDescriber`: each subset's ready and not-ready addresses and its ports."""
    header(w, ep)
    w.write(0, "Subsets:\n")
    for subset in ep.get("subsets") or []:
        ready = ",".join(a.get("ip", "") for a in subset.get("addresses") or [])
        not_ready = ",".join(a.get("ip", "") for a in subset.get("notReadyAddresses") or [])
        w.write(1, f"Addresses:\t{ready or '<none>'}\n")
        w.write(1, f"NotReadyAddresses:\t{not_ready or '<none>'}\n")
        if subset.get("ports"):
            w.write(1, "Ports:\n")
            w.write(2, "Name\tPort\tProtocol\n")
            w.write(2, "----\t----\t--------\n")
            for port in subset["ports"]:
                name = port.get("name") or "<unset>"
                w.write(2, f"{name}\t{port.get('port')}\t{port.get('protocol', 'TCP')}\n")
        w.write(0, "\n")
    describe_events(w, events)


def _slice_ports(w: PrefixWriter, ports: list[Obj]) -> None:
    if not ports:
        w.write(0, "Ports: <unset>\n")
        return
    w.write(0, "Ports:\n")
    w.write(1, "Name\tPort\tProtocol\n")
    w.write(1, "----\t----\t--------\n")
    for port in ports:
        number = port.get("port")
        w.write(
            1,
            f"{port.get('name') or '<unset>'}\t{'<unset>' if number is None else number}\t"
            f"{port.get('protocol', 'TCP')}\n",
        )


def _unset(value: Any) -> str:
    return "<unset>" if value is None else str(value)


def describe_endpointslice(
    w: PrefixWriter, eps: Obj, events: list[Obj] | None, client: Any
) -> None:
    """`EndpointSliceDescriber` (discovery.k8s.io/v1)."""
    header(w, eps)
    w.write(0, f"AddressType:\t{eps.get('addressType', '')}\n")
    _slice_ports(w, eps.get("ports") or [])
    if not eps.get("endpoints"):
        w.write(0, "Endpoints: <none>\n")
    else:
        w.write(0, "Endpoints:\n")
    for endpoint in eps.get("endpoints") or []:
        w.write(1, f"- Addresses:\t{', '.join(endpoint.get('addresses') or []) or '<none>'}\n")
        w.write(2, "Conditions:\n")
        ready = (endpoint.get("conditions") or {}).get("ready")
        w.write(3, f"Ready:\t{'<unset>' if ready is None else str(ready).lower()}\n")
        w.write(2, f"Hostname:\t{_unset(endpoint.get('hostname'))}\n")
        ref = endpoint.get("targetRef")
        if ref:
            w.write(2, f"TargetRef:\t{ref.get('kind', '')}/{ref.get('name', '')}\n")
        w.write(2, f"NodeName:\t{_unset(endpoint.get('nodeName'))}\n")
        w.write(2, f"Zone:\t{_unset(endpoint.get('zone'))}\n")
    describe_events(w, events)
