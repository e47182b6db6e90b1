"""The node lease controller, mirroring component-helpers `apimachinery/lease/controller.go`
as the kubelet uses it (`pkg/kubelet/nodelease`).

The kubelet renews `kube-node-lease/<node>` every 10 s (`renewInterval`, 0.25 × the 40 s
`leaseDurationSeconds`). Like upstream it renews from the Lease it last wrote, without a GET:
one small PUT of `spec.renewTime` per renewal; only a failed update falls back to reading (or
creating) the Lease. A new Lease is owned by its Node. Left out: the back-off while the API
server is unreachable (a failed renewal waits for the next period), `onRepeatedHeartbeatFailure`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from minik8s.api.errors import Conflict, NotFound, StatusError

if TYPE_CHECKING:
    from minik8s.client.client import Client
    from minik8s.sim.loop import EventLoop

Obj = dict[str, Any]
LEASE_DURATION = 40  # seconds
LEASE_RENEW_INTERVAL = 10.0  # 0.25 × the duration
MAX_UPDATE_RETRIES = 5  # maxUpdateRetries
LEASE_NAMESPACE = "kube-node-lease"


class NodeLease:
    """Keeps one node's Lease renewed."""

    def __init__(
        self,
        client: Client,
        loop: EventLoop,
        node_name: str,
        get_node: Callable[[bool], Obj | None],
    ):
        self.client = client
        self.loop = loop
        self.node_name = node_name
        self.get_node = get_node  # (from_cache) → the Node or None
        self.latest: Obj | None = None  # the Lease as last written

    def __repr__(self) -> str:
        return f"<NodeLease {LEASE_NAMESPACE}/{self.node_name}>"

    def renew(self) -> None:
        """Renew `kube-node-lease/<node>` from the last Lease written, without a GET
        (upstream `sync`); create it when missing."""
        if self.latest is not None and self._retry_update_lease(self.latest):
            return
        lease, created = self._ensure_lease()
        self.latest = lease
        if lease is not None and not created:
            self._retry_update_lease(lease)

    def _ensure_lease(self) -> tuple[Obj | None, bool]:
        """The Lease from the API, or a new one created now (upstream `ensureLease`)."""
        try:
            return self.client.get("leases", self.node_name, LEASE_NAMESPACE), False
        except NotFound:
            pass
        except StatusError:
            return None, False
        lease = self._new_lease(None)
        if lease is None:
            return None, False
        try:
            return self.client.create("leases", lease, LEASE_NAMESPACE), True
        except StatusError:
            return None, False

    def _retry_update_lease(self, base: Obj) -> bool:
        """PUT the renewed Lease; on a conflict read it again and retry (`retryUpdateLease`)."""
        for _ in range(MAX_UPDATE_RETRIES):
            lease = self._new_lease(base)
            if lease is None:
                return False
            try:
                # the reply is kept read-only (a base for the next renewal): the server's own
                # object, not a copy (`respond=False`); the Lease sent is built for this PUT
                # alone and never looked at again (`give=True`)
                self.latest = self.client.update(
                    "leases", lease, LEASE_NAMESPACE, respond=False, give=True
                )
                return True
            except Conflict:
                fresh, _created = self._ensure_lease()
                if fresh is None:
                    return False
                base = fresh
            except StatusError:
                return False
        return False

    def _new_lease(self, base: Obj | None) -> Obj | None:
        """`base` renewed now (a new Lease when None); None when the Node is not there to own it."""
        spec = {
            "holderIdentity": self.node_name,
            "leaseDurationSeconds": LEASE_DURATION,
            "renewTime": micro_time(self.loop),
        }
        if base is not None:
            return {**base, "spec": {**(base.get("spec") or {}), **spec}}
        node = self.get_node(True)
        if node is None:
            return None
        owner = {"apiVersion": "v1", "kind": "Node", "name": self.node_name}
        owner["uid"] = node["metadata"]["uid"]
        meta = {"name": self.node_name, "namespace": LEASE_NAMESPACE, "ownerReferences": [owner]}
        return {
            "apiVersion": "coordination.k8s.io/v1",
            "kind": "Lease",
            "metadata": meta,
            "spec": spec,
        }


_last_micro_time: tuple[datetime, float, str] = (datetime.min, -1.0, "")


def micro_time(loop: EventLoop) -> str:
    """Now as `metav1.MicroTime` (RFC 3339, microseconds), formatted once per instant: every
    kubelet renewing at that instant writes the same string."""
    global _last_micro_time
    start, now, text = _last_micro_time
    if now != loop.now or start != loop.start:
        text = loop.datetime().strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        _last_micro_time = (loop.start, loop.now, text)
    return text
