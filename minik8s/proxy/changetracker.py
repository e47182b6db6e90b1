"""What every kube-proxy of the simulated cluster learns from Services and EndpointSlices, kept
once for all of them. Mirrors `pkg/proxy/servicechangetracker.go` and
`endpointschangetracker.go` (each kube-proxy's `serviceChanges` / `endpointsChanges`), and the
node-independent half of `syncProxyRules`: the service ports with their endpoints
(`serviceport.py`), which every node reads the same way.

Upstream, each node's kube-proxy watches and tracks changes on its own. Here 5,000 proxies share
one informer factory, so one tracker counts changes (`generation`) and builds the service
ports at most once per generation; a proxy is stale when its rules are from an older generation.
Left out: the per-object pending-change maps upstream merges (a sync here rebuilds from the
informer caches, which already hold the merged state).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from minik8s.client.cache import ensure_index, label_index
from minik8s.proxy.serviceport import ServicePort, service_ports

if TYPE_CHECKING:
    from minik8s.client.informer import (
        ResourceEventHandler,
        SharedIndexInformer,
        SharedInformerFactory,
    )

Obj = dict[str, Any]
SERVICE_NAME_LABEL = "kubernetes.io/service-name"
SLICE_INDEX = "service-name"


class ChangeTracker:
    """Counts Service and EndpointSlice changes; caches the service ports per generation."""

    def __init__(self, informers: SharedInformerFactory):
        self.informers = informers
        self.generation = 0
        self._ports: list[ServicePort] | None = None
        self._ports_generation = -1
        slices = informers.informer_for("endpointslices")
        ensure_index(slices.indexer, SLICE_INDEX, label_index(SERVICE_NAME_LABEL))
        self._handlers: list[tuple[SharedIndexInformer, ResourceEventHandler]] = [
            (informer, informer.add_event_handler(
                on_add=self._changed, on_update=self._updated, on_delete=self._changed
            ))
            for informer in (informers.informer_for("services"), slices)
        ]  # fmt: skip

    def __repr__(self) -> str:
        return f"<ChangeTracker generation={self.generation}>"

    def _changed(self, _obj: Any) -> None:
        self.generation += 1

    def _updated(self, old: Obj, new: Obj) -> None:
        if old is not new:  # a resync hands the same object twice: nothing changed
            self.generation += 1

    def stop(self) -> None:
        """Unregister from the informers."""
        for informer, handler in self._handlers:
            informer.remove_event_handler(handler)
        self._handlers = []

    def service_ports(self) -> list[ServicePort]:
        """Every service port with its endpoints, from the informer caches (shared: read only)."""
        stopped = not self._handlers  # no longer counting: always read the caches afresh
        if self._ports is None or self._ports_generation != self.generation or stopped:
            self._ports = self._build()
            self._ports_generation = self.generation
        return self._ports

    def _build(self) -> list[ServicePort]:
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
