"""The cluster's service networking in one object: a kube-proxy per Node, cluster DNS, the
ingress controller and the bare-metal load balancer, over the shared informers. This is the
wiring `Cluster` holds (`cluster.service_network`); `minik8s.proxy.request` sends requests
through it. There is no upstream counterpart: upstream these are separate processes (a
kube-proxy DaemonSet, CoreDNS, ingress-nginx, MetalLB) that only meet through the API.

A `Backend` is what answers at a pod address: `backend(pod_ip, port, method, path, headers)`
returns `(status, headers, body)`, or None when nothing listens there. `runtime_backend` builds
one from the CNI network and the nodes' container runtimes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from minik8s.client.cache import ensure_index
from minik8s.proxy.changetracker import ChangeTracker
from minik8s.proxy.dns import ClusterDNS
from minik8s.proxy.ingress import IngressController
from minik8s.proxy.kubeproxy import KubeProxy
from minik8s.proxy.loadbalancer import DEFAULT_POOL, AddressPool, LoadBalancerController
from minik8s.proxy.proxier import CLUSTER_CIDR

if TYPE_CHECKING:
    from minik8s.client.client import Client
    from minik8s.client.informer import SharedInformerFactory
    from minik8s.trace import Tracer

Obj = dict[str, Any]
Backend = Callable[[str, int, str, str, dict[str, str]], "tuple[int, dict[str, str], str] | None"]
POD_IP_INDEX = "podIP"


def pod_ip_index(pod: Obj) -> list[str]:
    ip = (pod.get("status") or {}).get("podIP")
    return [ip] if ip else []


def node_internal_ip(node: Obj) -> str:
    for address in (node.get("status") or {}).get("addresses") or []:
        if address.get("type") == "InternalIP":
            return str(address.get("address", ""))
    return ""


def no_backend(_ip: str, _port: int, _method: str, _path: str, _headers: dict[str, str]) -> None:
    """Nothing answers anywhere (a cluster without container runtimes)."""
    return None


def runtime_backend(network: Any, runtimes: Mapping[str, Any] | Callable[[str], Any]) -> Backend:
    """Answer from the container that listens on `port` in the sandbox holding `pod_ip`
    (`network`: `minik8s.cni.network.Network`; `runtimes`: node name → CRI runtime, as a
    mapping or a function returning None for an unknown node)."""
    runtime_for = runtimes.get if isinstance(runtimes, Mapping) else runtimes
    from minik8s.cri.api import ContainerFilter

    def backend(ip: str, port: int, method: str, path: str, headers: dict[str, str]) -> Any:
        endpoint = network.lookup(ip)
        runtime = runtime_for(endpoint.node) if endpoint is not None else None
        if endpoint is None or runtime is None:
            return None
        for container in runtime.list_containers(
            ContainerFilter(pod_sandbox_id=endpoint.container_id)
        ):
            answer = runtime.handle_http(
                container.id, port, method, path, headers, client_ip=headers.get("X-Real-IP", "")
            )
            if answer is not None:
                return answer
        return None

    return backend


class ServiceNetwork:
    """kube-proxy on every Node, cluster DNS, ingress-nginx and the LoadBalancer pool."""

    def __init__(
        self,
        client: Client,
        informers: SharedInformerFactory,
        backend: Backend | None = None,
        *,
        seed: int = 0,
        cluster_cidr: str = CLUSTER_CIDR,
        pool: tuple[str, str] = DEFAULT_POOL,
        tracer: Tracer | None = None,
    ):
        self.client = client
        self.informers = informers
        self.backend: Backend = backend or no_backend
        self.seed = seed
        self.cluster_cidr = cluster_cidr
        self.tracer = tracer
        self.loop = client.loop
        ingress_address = pool[0]  # the ingress controller's own LoadBalancer address
        self.pool = AddressPool(pool[0], pool[1], reserved=(ingress_address,))
        self.dns = ClusterDNS(informers)
        self.ingress = IngressController(client, informers, address=ingress_address)
        self.load_balancer = LoadBalancerController(client, informers, self.pool)
        self.changes = ChangeTracker(informers)  # shared by every node's kube-proxy
        self.proxies: dict[str, KubeProxy] = {}
        self.round_robin: dict[str, int] = {}
        pods = informers.informer_for("pods")
        ensure_index(pods.indexer, POD_IP_INDEX, pod_ip_index)
        informers.informer_for("nodes").add_event_handler(
            on_add=self._node_seen,
            on_update=lambda _old, new: self._node_seen(new),
            on_delete=self._node_gone,
        )

    def __repr__(self) -> str:
        return f"<ServiceNetwork nodes={len(self.proxies)} ingress={self.ingress.address}>"

    def _node_seen(self, node: Obj) -> None:
        name = node["metadata"]["name"]
        proxy = self.proxies.get(name)
        if proxy is None:
            proxy = KubeProxy(
                self.informers,
                name,
                node_internal_ip(node),
                cluster_cidr=self.cluster_cidr,
                seed=self.seed,
                clock=lambda: self.loop.now,
                tracer=self.tracer,
                changes=self.changes,
            )
            self.proxies[name] = proxy
        elif node_internal_ip(node) and proxy.node_ip != node_internal_ip(node):
            proxy.set_node_ip(node_internal_ip(node))

    def _node_gone(self, node: Any) -> None:
        node = getattr(node, "obj", node)
        proxy = self.proxies.pop(node["metadata"]["name"], None)
        if proxy is not None:
            proxy.stop()

    def proxy_for(self, node: str) -> KubeProxy:
        """The kube-proxy of `node` (KeyError for an unknown node)."""
        return self.proxies[node]

    def iptables_save(self, node: str, table: str | None = None) -> str:
        """`iptables-save` on `node`."""
        return self.proxy_for(node).iptables_save(table)

    def pod_at(self, ip: str) -> Obj | None:
        """The pod holding `ip` (from the pods cache)."""
        indexer = self.informers.informer_for("pods").indexer
        pods = indexer.by_index(POD_IP_INDEX, ip)
        return pods[0] if pods else None

    def node_with_ip(self, ip: str) -> str | None:
        for name, proxy in self.proxies.items():
            if ip in proxy.state.local_addresses:
                return name
        return None

    def next_index(self, key: str, n: int) -> int:
        """Round robin over `n` upstreams of `key` (nginx's default balancing)."""
        i = self.round_robin.get(key, 0)
        self.round_robin[key] = i + 1
        return i % n

    def request(
        self, url: str, method: str = "GET", headers: Any = None, from_pod: Any = None
    ) -> Any:
        """See `minik8s.proxy.request.request`."""
        from minik8s.proxy.request import send

        return send(self, url, method, dict(headers or {}), from_pod)
