"""kube-proxy, one per node, mirroring `cmd/kube-proxy` + `pkg/proxy/iptables/proxier.go`
(`OnServiceUpdate`, `OnEndpointSliceUpdate`, `syncProxyRules` behind a `BoundedFrequencyRunner`).

It watches Services and EndpointSlices through the shared informers; any change marks the rules
stale, and the next reader (a packet, `iptables_save()`) triggers one full `syncProxyRules`, the
way upstream coalesces bursts of changes into one sync. The rules are then a plain `Ruleset` the
router walks. Left out: the nftables and IPVS modes, health-check servers, conntrack cleanup.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from minik8s.client.cache import ensure_index, label_index
from minik8s.proxy.proxier import CLUSTER_CIDR, sync_proxy_rules
from minik8s.proxy.router import Packet, RouterState, Verdict, route
from minik8s.proxy.rules import Ruleset
from minik8s.proxy.serviceport import ServicePort, service_ports

if TYPE_CHECKING:
    from minik8s.client.informer import SharedInformerFactory
    from minik8s.trace import Tracer

Obj = dict[str, Any]
SERVICE_NAME_LABEL = "kubernetes.io/service-name"
SLICE_INDEX = "service-name"


class KubeProxy:
    """The proxy of node `node_name`: its rules, and the packets it routes by them."""

    def __init__(
        self,
        informers: SharedInformerFactory,
        node_name: str,
        node_ip: str = "",
        *,
        cluster_cidr: str = CLUSTER_CIDR,
        seed: int = 0,
        clock: Any = None,
        tracer: Tracer | None = None,
    ):
        self.informers = informers
        self.node_name = node_name
        self.cluster_cidr = cluster_cidr
        self.tracer = tracer
        self.clock = clock or (lambda: 0.0)
        self.state = RouterState(
            {node_ip} if node_ip else set(), random.Random(f"{seed}-{node_name}")
        )
        self.syncs = 0
        self._rules: Ruleset | None = None
        slices = informers.informer_for("endpointslices")
        ensure_index(slices.indexer, SLICE_INDEX, label_index(SERVICE_NAME_LABEL))
        self._handlers = [
            (informer, informer.add_event_handler(
                on_add=self._changed, on_update=self._updated, on_delete=self._changed
            ))
            for informer in (informers.informer_for("services"), slices)
        ]  # fmt: skip

    def __repr__(self) -> str:
        state = "stale" if self._rules is None else "synced"
        return f"<KubeProxy {self.node_name} {state} syncs={self.syncs}>"

    @property
    def node_ip(self) -> str:
        return next(iter(sorted(self.state.local_addresses)), "")

    def set_node_ip(self, ip: str) -> None:
        self.state.local_addresses = {ip} if ip else set()

    def _changed(self, _obj: Any) -> None:
        self._rules = None

    def _updated(self, old: Obj, new: Obj) -> None:
        if old is not new:
            self._rules = None

    def stop(self) -> None:
        """Unregister from the informers (the node went away)."""
        for informer, handler in self._handlers:
            informer.remove_event_handler(handler)

    def service_ports(self) -> list[ServicePort]:
        """Every service port with its endpoints, from the informer caches."""
        slices = self.informers.informer_for("endpointslices").indexer
        out: list[ServicePort] = []
        for svc in self.informers.lister_for("services").list():
            namespace = svc["metadata"].get("namespace")
            own = [
                s
                for s in slices.by_index(SLICE_INDEX, svc["metadata"]["name"])
                if s["metadata"].get("namespace") == namespace
            ]
            out.extend(service_ports(svc, own))
        return out

    def sync(self) -> Ruleset:
        """`syncProxyRules`: rebuild every chain from the current Services and slices."""
        ports = self.service_ports()
        self._rules = sync_proxy_rules(ports, self.node_name, self.cluster_cidr)
        self.syncs += 1
        if self.tracer is not None:
            self.tracer.emit(
                f"kube-proxy/{self.node_name}", f"syncProxyRules: {len(ports)} service ports"
            )
        return self._rules

    @property
    def rules(self) -> Ruleset:
        """The current rules (synced first if anything changed)."""
        return self._rules if self._rules is not None else self.sync()

    def iptables_save(self, table: str | None = None) -> str:
        """What `iptables-save` prints on this node."""
        return self.rules.iptables_save(table)

    def route(self, packet: Packet, *, local_origin: bool = False) -> Verdict:
        """Send a packet through this node's rules (its netfilter hooks)."""
        self.state.now = float(self.clock())
        return route(self.rules, packet, self.state, local_origin=local_origin)
