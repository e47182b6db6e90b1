"""`Cluster.request`: one HTTP request that really travels through the cluster's machinery.

A cluster name is resolved by cluster DNS through the caller pod's own /etc/resolv.conf (its
sandbox's file: search list, `ndots`, nameserver; so a `dnsPolicy: Default` pod asks the node's
resolver and cannot resolve cluster names; a caller outside the cluster uses a ClusterFirst pod's
search path in `default`). The connection to the answer is routed by the kube-proxy rules of the
node the client sits on (`KUBE-SERVICES → KUBE-SVC-… → KUBE-SEP-…`, DNAT to a pod), crosses the
pod network to the pod's node, and the container listening there answers. Any other host name
enters through the ingress controller, as if public DNS pointed at its address. Each step is a
hop `{"from", "to", "via", "detail"}` for `minik8s.viz.request.request_path`.

Network failures are reported the way curl would, with a status so notebooks can branch on it:
502 when a name does not resolve or nothing listens at the pod, 503 when the connection is
refused (a Service without endpoints: kube-proxy REJECTs), 504 when the packet is dropped or
goes nowhere. `error` then holds curl's message. There is no upstream counterpart.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from minik8s.cri.sandbox import resolv_conf
from minik8s.kubelet.dns import Configurer
from minik8s.proxy.router import Packet

if TYPE_CHECKING:
    from minik8s.proxy.network import ServiceNetwork

Obj = dict[str, Any]
ResolvConfOf = Callable[[Obj], "str | None"]  # a pod → its sandbox's /etc/resolv.conf
OUTSIDE_CLIENT_IP = "203.0.113.10"  # TEST-NET-3: a client on the internet


@dataclass
class Response:
    """What came back: HTTP `status`, `body`, the `pod` that answered and the `hops` taken."""

    url: str
    status: int
    body: str = ""
    pod: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    hops: list[dict[str, str]] = field(default_factory=list)
    error: str = ""

    def __repr__(self) -> str:
        return f"<Response {self.status} {self.url} pod={self.pod or '-'}>"

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 400


@dataclass
class Client:
    """Who sends: a pod (its IP, node, namespace and /etc/resolv.conf) or a host outside the
    pod network (`resolv_conf` None: a ClusterFirst pod's search path in `namespace`)."""

    name: str
    ip: str
    node: str
    namespace: str = "default"
    in_pod: bool = False
    resolv_conf: str | None = None


def request(
    cluster_like: Any,
    url: str,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    from_pod: str | None = None,
) -> Response:
    """Send `method url` from `from_pod` ("name" in default, or "namespace/name"), else from
    outside; returns the Response with its hops."""
    network = getattr(cluster_like, "service_network", cluster_like)
    resolv_conf_of = sandbox_resolv_conf(cluster_like)
    return send(network, url, method, dict(headers or {}), from_pod, resolv_conf_of)


def sandbox_resolv_conf(cluster_like: Any) -> ResolvConfOf | None:
    """A pod's /etc/resolv.conf as its sandbox holds it, through the cluster's CNI network
    (pod IP → sandbox) and machines (None: the cluster has no runtimes)."""
    network, machines = (
        getattr(cluster_like, "network", None),
        getattr(cluster_like, "machines", None),
    )
    if network is None or machines is None or not hasattr(network, "lookup"):
        return None

    def of(pod: Obj) -> str | None:
        endpoint = network.lookup((pod.get("status") or {}).get("podIP", ""))
        machine = machines.get(endpoint.node) if endpoint is not None else None
        if machine is None or not machine.running:
            return None
        sandbox = machine.runtime.sandboxes.get(endpoint.container_id)
        return sandbox.resolv_conf.get("") if sandbox is not None else None

    return of


def pod_resolv_conf(pod: Obj, resolv_conf_of: ResolvConfOf | None = None) -> str:
    """The pod's /etc/resolv.conf: its sandbox's, else what a kubelet with kubeadm's settings
    writes for it (`GetPodDNS`, a host network pod's or a pod without a sandbox)."""
    text = resolv_conf_of(pod) if resolv_conf_of is not None else None
    return text if text is not None else resolv_conf(_DEFAULT_CONFIGURER.get_pod_dns(pod))


_DEFAULT_CONFIGURER = Configurer()  # no recorder: it only reads the pod


def send(
    net: ServiceNetwork,
    url: str,
    method: str,
    headers: dict[str, str],
    from_pod: Any,
    resolv_conf_of: ResolvConfOf | None = None,
) -> Response:
    parts = urlsplit(url if "://" in url else f"http://{url}")
    scheme, host = parts.scheme or "http", (parts.hostname or "").lower()
    port = parts.port or (443 if scheme == "https" else 80)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    response = Response(url, 0)
    client = _client(net, from_pod, resolv_conf_of)
    if client is None:
        return _fail(response, 502, f"pod {from_pod!r} not found or has no IP")
    headers.setdefault("Host", host if port in (80, 443) else f"{host}:{port}")
    ip = _literal_ip(host)
    if ip is None:
        answer = net.dns.resolve(host, client.namespace, resolv_conf=client.resolv_conf)
        for record in answer.records:
            if record.type == "CNAME":
                response.hops.append(
                    _hop(client.name, record.data, "DNS", f"{answer.fqdn} CNAME {record.data}")
                )
                return _fail(
                    response, 502, f"Could not resolve host: {record.data} (outside the cluster)"
                )
        if answer.rcode == "NXDOMAIN" or not answer.addresses:
            if answer.rcode == "NXDOMAIN" and _public_name(host, net.dns.zone):
                from minik8s.proxy.ingress_request import through_ingress

                return through_ingress(net, response, scheme, host, path, method, headers)
            return _fail(response, 502, f"Could not resolve host: {host}")
        ip = answer.addresses[0]
        detail = f"{answer.fqdn} A {ip}"
    else:
        detail = ""
    response.hops.append(_hop(client.name, f"{ip}:{port}", "DNS" if detail else "connect", detail))
    return connect(net, response, client, ip, port, method, path, headers)


def connect(
    net: ServiceNetwork,
    response: Response,
    client: Client,
    ip: str,
    port: int,
    method: str,
    path: str,
    headers: dict[str, str],
) -> Response:
    """Route a connection to `ip:port` by the client node's rules, then deliver it."""
    node = client.node or _entry_node(net, ip)
    if node is None:
        return _fail(response, 504, f"Failed to connect to {ip} port {port}: no route to host")
    proxy = net.proxy_for(node)
    packet = Packet(client.ip, ip, port)
    verdict = proxy.route(packet, local_origin=not client.in_pod and bool(client.node))
    blocked = verdict.action in ("REJECT", "DROP")
    chains = [
        rule.target
        for table, rule in verdict.matched
        if table == ("filter" if blocked else "nat")
        and rule.target.startswith("KUBE-")
        and rule.target not in ("KUBE-MARK-MASQ", "KUBE-POSTROUTING", "KUBE-FORWARD")
    ]
    if blocked:
        response.hops.append(
            _hop(
                f"{ip}:{port}",
                verdict.action,
                f"kube-proxy {node}",
                " → ".join(chains + [verdict.action]),
            )
        )
        if verdict.action == "REJECT":
            return _fail(
                response, 503, f"Failed to connect to {ip} port {port}: Connection refused"
            )
        return _fail(response, 504, f"Failed to connect to {ip} port {port}: Connection timed out")
    target = f"{packet.dst}:{packet.dport}"
    if verdict.action == "DNAT":
        snat = " (SNAT: masquerade)" if packet.masquerade else ""
        response.hops.append(
            _hop(f"{ip}:{port}", target, f"kube-proxy {node}", " → ".join(chains + ["DNAT"]) + snat)
        )
    headers.setdefault("X-Real-IP", node_ip(net, node) if packet.masquerade else client.ip)
    return deliver(net, response, node, packet.dst, packet.dport, method, path, headers)


def deliver(
    net: ServiceNetwork,
    response: Response,
    from_node: str,
    ip: str,
    port: int,
    method: str,
    path: str,
    headers: dict[str, str],
) -> Response:
    """Cross the pod network to the pod at `ip` and let its container answer."""
    pod = net.pod_at(ip)
    if pod is None:
        return _fail(response, 504, f"Failed to connect to {ip} port {port}: Connection timed out")
    name = pod["metadata"]["name"]
    pod_node = (pod.get("spec") or {}).get("nodeName") or "?"
    hop_detail = f"{from_node} → {pod_node}" if from_node != pod_node else f"on {pod_node}"
    response.hops.append(_hop(f"{ip}:{port}", f"pod {name}", "pod network", hop_detail))
    answer = net.backend(ip, port, method, path, headers)
    if answer is None:
        response.pod = name
        return _fail(response, 502, f"Failed to connect to {ip} port {port}: Connection refused")
    response.status, response.headers, response.body = answer[0], dict(answer[1]), answer[2]
    response.pod = name
    return response


def node_ip(net: ServiceNetwork, node: str) -> str:
    return net.proxy_for(node).node_ip


def _client(
    net: ServiceNetwork, from_pod: Any, resolv_conf_of: ResolvConfOf | None
) -> Client | None:
    if from_pod is None:
        return Client("client", OUTSIDE_CLIENT_IP, "", "default")
    namespace, _, name = str(from_pod).rpartition("/")
    namespace = namespace or "default"
    for pod in net.informers.lister_for("pods").list(namespace):
        if pod["metadata"]["name"] == name:
            status, spec = pod.get("status") or {}, pod.get("spec") or {}
            if not status.get("podIP") or not spec.get("nodeName"):
                return None
            text = pod_resolv_conf(pod, resolv_conf_of)
            return Client(f"pod {name}", status["podIP"], spec["nodeName"], namespace, True, text)
    return None


def _entry_node(net: ServiceNetwork, ip: str) -> str | None:
    """Where a packet from outside arrives: the node owning `ip`, the node announcing a
    LoadBalancer address, else the first node (a route to the service CIDR via a node)."""
    owner = net.node_with_ip(ip)
    if owner is not None:
        return owner
    from minik8s.proxy.ingress_request import announcing_node

    return announcing_node(net, ip) or next(iter(sorted(net.proxies)), None)


def _literal_ip(host: str) -> str | None:
    try:
        return str(ipaddress.IPv4Address(host))
    except ValueError:
        return None


def _public_name(host: str, zone: str) -> bool:
    """A name public DNS would answer (has a dot and is not in the cluster domain)."""
    return "." in host and not host.endswith(f".{zone}") and not host.endswith(".svc")


def _hop(source: str, target: str, via: str, detail: str = "") -> dict[str, str]:
    return {"from": source, "to": target, "via": via, "detail": detail}


def _fail(response: Response, status: int, error: str) -> Response:
    response.status, response.error = status, error
    response.body = response.body or f"curl: {error}\n"
    return response
