"""A bare-metal load balancer for `type: LoadBalancer` Services, in the manner of MetalLB's
controller (`metallb/metallb` `controller/service.go`) with one Layer-2 address pool, as kind and
minikube clusters use it: each LoadBalancer Service gets the lowest free address of the pool in
`status.loadBalancer.ingress`, released when the Service is deleted or changes type.

Which node answers for the address (MetalLB's speaker) is the first node, or with
`externalTrafficPolicy: Local` a node holding a ready endpoint (`announcing_node`).
Left out: several pools, `loadBalancerIP` / `spec.loadBalancerClass` selection, BGP, IPv6.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Any

from minik8s.api.errors import Conflict, NotFound
from minik8s.client.cache import meta_namespace_key

if TYPE_CHECKING:
    from minik8s.client.client import Client
    from minik8s.client.informer import SharedInformerFactory

Obj = dict[str, Any]
DEFAULT_POOL = ("172.18.255.200", "172.18.255.250")


class AddressPool:
    """An inclusive range of addresses; `reserved` ones are never handed to Services."""

    def __init__(self, first: str, last: str, reserved: tuple[str, ...] = ()):
        self.first = int(ipaddress.IPv4Address(first))
        self.last = int(ipaddress.IPv4Address(last))
        self.reserved = set(reserved)

    def __repr__(self) -> str:
        first, last = ipaddress.IPv4Address(self.first), ipaddress.IPv4Address(self.last)
        return f"<AddressPool {first}-{last}>"

    def contains(self, ip: str) -> bool:
        try:
            return self.first <= int(ipaddress.IPv4Address(ip)) <= self.last
        except ValueError:
            return False

    def lowest_free(self, used: set[str]) -> str | None:
        for value in range(self.first, self.last + 1):
            ip = str(ipaddress.IPv4Address(value))
            if ip not in used and ip not in self.reserved:
                return ip
        return None


def lb_ips(svc: Obj) -> list[str]:
    ingress = ((svc.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
    return [i["ip"] for i in ingress if i.get("ip")]


class LoadBalancerController:
    """Assigns pool addresses to LoadBalancer Services through the status subresource."""

    name = "metallb-controller"

    def __init__(self, client: Client, informers: SharedInformerFactory, pool: AddressPool):
        self.client = client
        self.informers = informers
        self.pool = pool
        self.loop = client.loop
        informers.informer_for("services").add_event_handler(
            on_add=self._enqueue, on_update=lambda _old, new: self._enqueue(new)
        )

    def __repr__(self) -> str:
        return f"<LoadBalancerController {self.pool!r}>"

    def _enqueue(self, svc: Obj) -> None:
        key = meta_namespace_key(svc)
        self.loop.call_soon(self._sync, key, label=f"{self.name} sync {key}")

    def _used(self, except_key: str) -> set[str]:
        used: set[str] = set()
        for svc in self.informers.lister_for("services").list():
            if meta_namespace_key(svc) != except_key:
                used.update(lb_ips(svc))
        return used

    def _sync(self, key: str) -> None:
        namespace, _, name = key.partition("/")
        try:
            svc = self.informers.lister_for("services").get(namespace, name)
        except NotFound:
            return
        current = lb_ips(svc)
        if (svc.get("spec") or {}).get("type") != "LoadBalancer":
            wanted: list[str] = [ip for ip in current if not self.pool.contains(ip)]
        elif any(self.pool.contains(ip) for ip in current):
            return
        else:
            ip = self.pool.lowest_free(self._used(key))
            if ip is None:
                return  # MetalLB reports "no available IPs" and waits
            wanted = [ip]
        if wanted == current:
            return
        ingress = [{"ip": ip, "ipMode": "VIP"} for ip in wanted]
        body = dict(svc, status={"loadBalancer": {"ingress": ingress} if ingress else {}})
        try:
            self.client.update_status("services", body, namespace)
        except NotFound:
            pass
        except Conflict:
            self._enqueue(svc)
