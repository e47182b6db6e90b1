"""kube-proxy, one per node, mirroring `cmd/kube-proxy` + `pkg/proxy/iptables/proxier.go`
(`OnServiceUpdate`, `OnEndpointSliceUpdate`, `syncProxyRules` behind a `BoundedFrequencyRunner`).

It watches Services and EndpointSlices through the shared informers; any change marks the rules
stale, and the next reader (a packet, `iptables_save()`) triggers one full `syncProxyRules`, the
way upstream coalesces bursts of changes into one sync. The rules are then a plain `Ruleset` the
router walks. The proxies of one cluster share a `ChangeTracker` (changetracker.py): one event
handler and one build of the service ports per change, not one per node.
Left out: the nftables and IPVS modes, health-check servers, conntrack cleanup.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from minik8s.proxy.changetracker import ChangeTracker
from minik8s.proxy.proxier import CLUSTER_CIDR, sync_proxy_rules
from minik8s.proxy.router import Packet, RouterState, Verdict, route
from minik8s.proxy.rules import Ruleset
from minik8s.proxy.serviceport import ServicePort

if TYPE_CHECKING:
    from minik8s.client.informer import SharedInformerFactory
    from minik8s.trace import Tracer


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
        changes: ChangeTracker | None = None,
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
        self._own_changes = changes is None  # a proxy on its own tracks changes itself
        self.changes = changes if changes is not None else ChangeTracker(informers)
        self._rules: Ruleset | None = None
        self._generation = -1  # the tracker's generation the rules were built from
        self._stopped = False

    def __repr__(self) -> str:
        state = "stale" if self.stale else "synced"
        return f"<KubeProxy {self.node_name} {state} syncs={self.syncs}>"

    @property
    def stale(self) -> bool:
        """Whether a Service or EndpointSlice changed since the last sync (none once stopped)."""
        if self._rules is None:
            return True
        return not self._stopped and self._generation != self.changes.generation

    @property
    def node_ip(self) -> str:
        return next(iter(sorted(self.state.local_addresses)), "")

    def set_node_ip(self, ip: str) -> None:
        self.state.local_addresses = {ip} if ip else set()

    def stop(self) -> None:
        """Stop following changes (the node went away); the rules stay as last synced."""
        if self.stale:
            self._rules = None
        self._stopped = True
        if self._own_changes:
            self.changes.stop()

    def service_ports(self) -> list[ServicePort]:
        """Every service port with its endpoints, from the informer caches."""
        return list(self.changes.service_ports())

    def sync(self) -> Ruleset:
        """`syncProxyRules`: rebuild every chain from the current Services and slices."""
        self._generation = self.changes.generation
        ports = self.changes.service_ports()
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
        return self.sync() if self.stale or self._rules is None else self._rules

    def iptables_save(self, table: str | None = None) -> str:
        """What `iptables-save` prints on this node."""
        return self.rules.iptables_save(table)

    def route(self, packet: Packet, *, local_origin: bool = False) -> Verdict:
        """Send a packet through this node's rules (its netfilter hooks)."""
        self.state.now = float(self.clock())
        return route(self.rules, packet, self.state, local_origin=local_origin)
