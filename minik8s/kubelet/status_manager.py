"""Writing pod status to the API server, mirroring `pkg/kubelet/status/status_manager.go`.

The kubelet remembers the last status it wrote per pod and writes only when the newly generated
one differs. Each condition keeps its `lastTransitionTime` while its status stays the same
(`updateLastTransitionTime`); conditions other components own (e.g. `DisruptionTarget`) are kept.
Writes go through `update_status` (a PUT of the status subresource, reply dropped) on a fresh copy
of the pod, so they never conflict.
Left out: the status cache's versions and the background sync loop (writes are immediate).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from minik8s.api.errors import StatusError

if TYPE_CHECKING:
    from minik8s.client.client import Client
    from minik8s.sim.loop import EventLoop

Obj = dict[str, Any]


class StatusManager:
    """The kubelet's pod status writer."""

    def __init__(self, client: Client, loop: EventLoop):
        self.client = client
        self.loop = loop
        self.last: dict[str, Obj] = {}  # uid → the status last written (before timestamps)

    def __repr__(self) -> str:
        return f"<StatusManager pods={len(self.last)}>"

    def set_pod_status(self, pod: Obj, status: Obj) -> bool:
        """Write `status` for `pod` unless it is what was written last; True if written."""
        meta = pod["metadata"]
        uid = meta.get("uid", "")
        if self.last.get(uid) == status:
            return False
        try:
            fresh = self.client.get("pods", meta["name"], meta["namespace"], respond=False)
        except StatusError:
            return False
        if fresh["metadata"].get("uid") != uid:
            return False
        # `fresh` is shared with caches: copy what changes (metadata, status), not the spec
        old, now = fresh.get("status", {}), self.loop.timestamp()
        new = {**status, "conditions": [dict(c) for c in status.get("conditions") or []]}
        obj = {**fresh, "metadata": dict(fresh["metadata"]), "status": new}
        with_transition_times(new, old, now)
        try:  # the reply is dropped (upstream's status manager only logs it): not copied
            self.client.update("pods", obj, meta["namespace"], subresource="status", respond=False)
        except StatusError:
            return False
        self.last[uid] = status
        return True

    def forget(self, uid: str) -> None:
        """Drop what is remembered about a pod that is gone."""
        self.last.pop(uid, None)


def with_transition_times(new: Obj, old: Obj, timestamp: str) -> Obj:
    """Keep each condition's lastTransitionTime unless its status changed (status manager)."""
    before = {c["type"]: c for c in old.get("conditions") or []}
    for cond in new.setdefault("conditions", []):
        prior = before.get(cond["type"])
        same = prior is not None and prior.get("status") == cond["status"]
        cond["lastProbeTime"] = None
        cond["lastTransitionTime"] = (
            prior.get("lastTransitionTime", timestamp) if same and prior else timestamp
        )
    ours = {c["type"] for c in new["conditions"]}
    for kind, prior in before.items():  # conditions others own (e.g. DisruptionTarget) stay
        if kind not in ours:
            new["conditions"].append(dict(prior))
    return new
