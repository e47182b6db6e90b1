"""The ingress path of a request: public DNS → the ingress controller's address → host and path
rules → an endpoint of the backend Service (ingress-nginx balances over the endpoints itself,
round robin, instead of going through the Service's virtual IP) → the pod.

Mirrors ingress-nginx's request handling (`rootfs/etc/nginx/lua/balancer.lua`, the generated
`server`/`location` blocks): 404 from the default backend when nothing matches, 503 when the
backend Service is missing or has no ready endpoint, 308 to HTTPS for a host with TLS.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from minik8s.proxy.ingress import FAKE_CERTIFICATE, choose_backend, tls_secret
from minik8s.proxy.loadbalancer import lb_ips

if TYPE_CHECKING:
    from minik8s.proxy.network import ServiceNetwork
    from minik8s.proxy.request import Response

Obj = dict[str, Any]
NOT_FOUND = "<html>\n<head><title>404 Not Found</title></head>\n<body>\n<center><h1>404 Not Found</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n"  # noqa: E501
UNAVAILABLE = "<html>\n<head><title>503 Service Temporarily Unavailable</title></head>\n<body>\n<center><h1>503 Service Temporarily Unavailable</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n"  # noqa: E501


def through_ingress(
    net: ServiceNetwork,
    response: Response,
    scheme: str,
    host: str,
    path: str,
    method: str,
    headers: dict[str, str],
) -> Response:
    """Serve a request for a public host name through the ingress controller."""
    from minik8s.proxy.request import OUTSIDE_CLIENT_IP, _hop, deliver

    controller = net.ingress
    address = controller.address
    response.hops.append(
        _hop("client", f"ingress-nginx {address}", "public DNS", f"{host} A {address}")
    )
    ingresses = controller.ingresses()
    tls = tls_secret(ingresses, host)
    if tls is not None:
        ing, secret = tls
        if scheme == "http":
            location = f"https://{host}{path}"
            response.hops.append(
                _hop(f"ingress-nginx {address}", "client", "TLS redirect", f"308 → {location}")
            )
            response.status, response.headers, response.body = 308, {"Location": location}, ""
            return response
        namespace = ing["metadata"].get("namespace", "")
        exists = bool(secret) and controller.secret_exists(namespace, secret)
        headers["X-Forwarded-Proto"] = "https"
        certificate = f"secret {namespace}/{secret}" if exists else FAKE_CERTIFICATE
    else:
        certificate = ""
    request_path = path.split("?")[0]
    match = choose_backend(ingresses, host, request_path)
    if match is None:
        response.hops.append(
            _hop(
                f"ingress-nginx {address}",
                "default backend",
                "no rule matched",
                f"{host}{request_path}",
            )
        )
        response.status, response.body = 404, NOT_FOUND
        return response
    ing_ns = match.ingress["metadata"].get("namespace", "")
    service = match.backend.get("service") or {}
    svc_name = service.get("name", "")
    endpoint = _pick_endpoint(net, ing_ns, svc_name, service.get("port") or {})
    ing_name = f"ingress {ing_ns}/{match.ingress['metadata']['name']}"
    tls_note = f"; TLS: {certificate}" if certificate else ""
    if endpoint is None:
        response.hops.append(
            _hop(
                f"ingress-nginx {address}",
                f"service {svc_name}",
                ing_name,
                f"{match.rule}: no ready endpoints{tls_note}",
            )
        )
        response.status, response.body = 503, UNAVAILABLE
        return response
    ip, port = endpoint
    response.hops.append(
        _hop(
            f"ingress-nginx {address}",
            f"{ip}:{port}",
            ing_name,
            f"{match.rule} → {svc_name}{tls_note}",
        )
    )
    headers.setdefault("X-Forwarded-For", OUTSIDE_CLIENT_IP)
    headers.setdefault("X-Real-IP", OUTSIDE_CLIENT_IP)
    headers.setdefault("X-Forwarded-Host", host)
    node = next(iter(sorted(net.proxies)), "ingress-nginx")
    return deliver(net, response, node, ip, port, method, path, headers)


def _pick_endpoint(
    net: ServiceNetwork, namespace: str, name: str, port_ref: Obj
) -> tuple[str, int] | None:
    """A ready endpoint of the Service port `port_ref` (`number` or `name`), round robin."""
    services = [
        s
        for s in net.informers.lister_for("services").list(namespace)
        if s["metadata"]["name"] == name
    ]
    if not services:
        return None
    ports = (services[0].get("spec") or {}).get("ports") or []
    wanted = [
        p for p in ports
        if (port_ref.get("number") and p.get("port") == port_ref["number"])
        or (port_ref.get("name") and p.get("name") == port_ref["name"])
    ] or (ports[:1] if not port_ref else [])  # fmt: skip
    if not wanted:
        return None
    port_name = wanted[0].get("name") or ""
    ready: list[tuple[str, int]] = []
    indexer = net.informers.informer_for("endpointslices").indexer
    for slice_ in indexer.by_index("service-name", name):
        if slice_["metadata"].get("namespace") != namespace:
            continue
        numbers = [
            p["port"] for p in slice_.get("ports") or [] if (p.get("name") or "") == port_name
        ]
        for ep in slice_.get("endpoints") or []:
            if numbers and (ep.get("conditions") or {}).get("ready") is not False:
                ready.append((ep["addresses"][0], int(numbers[0])))
    if not ready:
        return None
    ready.sort()
    return ready[net.next_index(f"{namespace}/{name}:{port_name}", len(ready))]


def announcing_node(net: ServiceNetwork, ip: str) -> str | None:
    """The node answering ARP for a LoadBalancer address (MetalLB's Layer-2 speaker): with
    `externalTrafficPolicy: Local`, a node with a ready endpoint; else the first node."""
    for svc in net.informers.lister_for("services").list():
        if ip not in lb_ips(svc):
            continue
        if (svc.get("spec") or {}).get("externalTrafficPolicy") != "Local":
            return next(iter(sorted(net.proxies)), None)
        indexer = net.informers.informer_for("endpointslices").indexer
        nodes = sorted(
            ep.get("nodeName") or ""
            for s in indexer.by_index("service-name", svc["metadata"]["name"])
            if s["metadata"].get("namespace") == svc["metadata"].get("namespace")
            for ep in s.get("endpoints") or []
            if (ep.get("conditions") or {}).get("ready") is not False
            and ep.get("nodeName") in net.proxies
        )
        return nodes[0] if nodes else next(iter(sorted(net.proxies)), None)
    return None
