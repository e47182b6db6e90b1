"""The PV binder's two status writers, mirroring `updateClaimStatus` and `updateVolumePhase` of
`pkg/controller/volume/persistentvolume/pv_controller.go`, plus its names and a lister lookup.

Plain functions both halves of the binder call with its client (the claim side in
`persistentvolume_claims`, the volume side in `persistentvolume`). Left out: the metrics.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.errors import NotFound
from minik8s.client.client import Client
from minik8s.controllers import pv_util as util

Obj = dict[str, Any]
NAME = "persistentvolume-binder-controller"
RECORDER_COMPONENT = "persistentvolume-controller"  # the events' source, as upstream


def get(lister: Any, namespace: str, name: str) -> Obj | None:
    """The cached object, or None when it is not there."""
    try:
        return lister.get(namespace or None, name)
    except NotFound:
        return None


def update_claim_status(client: Client, claim: Obj, phase: str, volume: Obj | None) -> Obj:
    """upstream `updateClaimStatus`: capacity is copied only when the claim becomes Bound."""
    old = claim.get("status") or {}
    status = dict(old, phase=phase)
    if volume is None:
        status.pop("accessModes", None)
        status.pop("capacity", None)
    else:
        status["accessModes"] = list(volume["spec"].get("accessModes") or [])
        if old.get("phase") != phase:
            claim_cap = (old.get("capacity") or {}).get("storage")
            if claim_cap is None or util.volume_capacity(volume).cmp(
                util.storage_of(old.get("capacity"))
            ):
                status["capacity"] = dict(volume["spec"].get("capacity") or {})
    if status == old:
        return claim
    return client.update_status("persistentvolumeclaims", dict(claim, status=status))


def update_volume_phase(client: Client, volume: Obj, phase: str, message: str = "") -> Obj:
    """upstream `updateVolumePhase` (the API server stamps `lastPhaseTransitionTime`)."""
    status = dict(volume.get("status") or {})
    if status.get("phase") == phase:
        return volume
    status["phase"] = phase
    if message:
        status["message"] = message
    else:
        status.pop("message", None)
    return client.update_status("persistentvolumes", dict(volume, status=status))
