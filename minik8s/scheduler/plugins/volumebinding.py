"""VolumeBinding, mirroring `pkg/scheduler/framework/plugins/volumebinding`.

PreFilter sorts the pod's claims (an unbound claim of an `Immediate` class must be bound by the
PV controller first); Filter asks, per node, whether its delayed (`WaitForFirstConsumer`) claims
can bind to an existing PV there or be provisioned there; Reserve writes the decision: a PV's
`claimRef`, or the claim's `volume.kubernetes.io/selected-node` annotation for the provisioner.
The decisions are the pure functions of `minik8s.controllers.pv_scheduling`.

Differs from upstream: the writes happen at Reserve and the pod is bound at once; upstream's
PreBind waits until the claims are Bound. Here the kubelet waits for them instead, as its volume
manager does for any claim. Left out: scoring by capacity, the assume cache, binding timeouts.
"""

from __future__ import annotations

from typing import Any

from minik8s.controllers import pv_scheduling, pv_util
from minik8s.scheduler.framework import (
    NODE,
    SKIP,
    ActionType,
    ClusterEvent,
    CycleState,
    Status,
    unresolvable,
)
from minik8s.scheduler.types import NodeInfo, PodInfo

NAME = "VolumeBinding"
STATE_CLAIMS = f"PreFilter{NAME}"
STATE_NODES = f"Filter{NAME}"
PVC, PV, STORAGE_CLASS = "PersistentVolumeClaim", "PersistentVolume", "StorageClass"


class VolumeBinding:
    """Pods with PersistentVolumeClaims go where their volumes can be."""

    name = NAME

    def __init__(self, handle: Any):
        self.handle = handle

    def __repr__(self) -> str:
        return NAME

    def events_to_register(self) -> list[ClusterEvent]:
        add_update = ActionType.Add | ActionType.Update
        return [
            ClusterEvent(PVC, add_update),
            ClusterEvent(PV, add_update),
            ClusterEvent(STORAGE_CLASS, add_update),
            ClusterEvent(NODE, add_update),
        ]

    def _lister(self, resource: str) -> Any:
        return self.handle.listers.get(resource)

    def _classes(self) -> dict[str, Any]:
        lister = self._lister("storageclasses")
        return {sc["metadata"]["name"]: sc for sc in lister.list()} if lister else {}

    def pre_filter(
        self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]
    ) -> tuple[set[str] | None, Status | None]:
        claims_lister = self._lister("persistentvolumeclaims")
        if not pv_util.pod_claim_names(pod.pod) or claims_lister is None:
            return None, SKIP
        claims = {c["metadata"]["name"]: c for c in claims_lister.list(pod.namespace)}
        result, error = pv_scheduling.get_pod_volume_claims(pod.pod, claims, self._classes())
        if error is not None or result is None:
            return None, unresolvable(error or "")
        if result.unbound_immediate:
            return None, unresolvable(pv_scheduling.ERR_UNBOUND_IMMEDIATE)
        state.write(STATE_CLAIMS, result)
        state.write(STATE_NODES, {})
        return None, None

    def filter(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> Status | None:
        claims = state.data.get(STATE_CLAIMS)
        if claims is None or node.node is None:
            return None
        volumes_lister = self._lister("persistentvolumes")
        volumes = volumes_lister.list() if volumes_lister else []
        found = pv_scheduling.find_pod_volumes(claims, node.node, volumes, self._classes())
        if found.reasons:
            return unresolvable(*found.reasons)
        state.data[STATE_NODES][node.name] = found
        return None

    def reserve(self, state: CycleState, pod: PodInfo, node_name: str) -> Status | None:
        found = state.data.get(STATE_NODES, {}).get(node_name)
        if found is not None and self.handle.client is not None:
            pv_scheduling.bind_pod_volumes(self.handle.client, found, node_name)
        return None

    def unreserve(self, state: CycleState, pod: PodInfo, node_name: str) -> None:
        return None


def new(args: dict[str, Any], handle: Any) -> VolumeBinding:
    return VolumeBinding(handle)
