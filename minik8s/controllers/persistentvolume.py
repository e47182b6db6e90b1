"""The PV binder, mirroring `pkg/controller/volume/persistentvolume/pv_controller.go`
(`syncClaim`, `syncUnboundClaim`, `syncBoundClaim`, `syncVolume`, `bind`, `unbindVolume`,
`reclaimVolume`, `assignDefaultStorageClass`).

Claims bind to the smallest Available volume that fits (`pv_util.find_best_match_for_claim`),
or to the volume they or it pre-bind; a claim with no class at all gets the default class once
one exists (retroactive default StorageClass assignment); unmatched claims of a class are handed
to the external provisioner (`ExternalProvisioning`), or wait for the scheduler when the class
binds `WaitForFirstConsumer` (`WaitForFirstConsumer`, or `WaitForPodScheduled` naming the pods
that wait). A volume whose claim is gone is Released, then reclaimed: Retain keeps it, Delete
removes it (the in-tree hostPath deleter under /tmp/; an external provisioner deletes the
volumes it provisioned; anything else Fails). Phase events are emitted only when the phase
changes. Writes use the read resourceVersion, so a stale cache loses the race with a Conflict
and retries: a volume is never bound to two claims. Left out: in-tree provisioners (a
`kubernetes.io/` provisioner fails as "no volume plugin matched"), the recycler (Recycle fails
as "No recycler plugin found"), the periodic resync (volume and class events re-queue pending
claims instead), migration annotations, the `kubernetes.io/pv-controller` finalizer (only
in-tree provisioned volumes get it). Layout: this module is the wiring and the volume side
(`syncVolume`, `unbindVolume`, `reclaimVolume`); the controller owns a
`persistentvolume_claims.ClaimSync` for the claim side and binding; the status writers are the
functions of `persistentvolume_status`.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.errors import NotFound
from minik8s.api.meta import json_copy
from minik8s.client.record import EventRecorder
from minik8s.controllers import pv_util as util
from minik8s.controllers.base import Controller
from minik8s.controllers.persistentvolume_claims import (
    MSG_EXTERNAL,
    MSG_LOST_PV,
    MSG_LOST_REF,
    MSG_MISBOUND,
    MSG_NO_CLASS,
    MSG_WAIT,
    ClaimSync,
)
from minik8s.controllers.persistentvolume_status import (
    NAME,
    RECORDER_COMPONENT,
    Obj,
    get,
    update_volume_phase,
)

__all__ = [
    "MSG_EXTERNAL",
    "MSG_LOST_PV",
    "MSG_LOST_REF",
    "MSG_MISBOUND",
    "MSG_NO_CLASS",
    "MSG_NO_RECYCLER",
    "MSG_WAIT",
    "NAME",
    "RECORDER_COMPONENT",
    "ClaimSync",
    "PersistentVolumeController",
]

MSG_NO_RECYCLER = "No recycler plugin found for the volume!"


class PersistentVolumeController(Controller):
    """Binds claims to volumes and reclaims released volumes; keys `claim/ns/name`, `volume/x`."""

    name = NAME

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.recorder = EventRecorder(self.client, RECORDER_COMPONENT)
        self.claims = self.informers.lister_for("persistentvolumeclaims")
        self.volumes = self.informers.lister_for("persistentvolumes")
        self.claim_sync = ClaimSync(self.client, self.recorder, self.informers)
        self.watch("persistentvolumeclaims", self._claim_keys)
        self.watch("persistentvolumes", self._volume_keys)
        self.watch("storageclasses", lambda _sc: self._pending_claim_keys())

    # -- keys ------------------------------------------------------------------------------------
    @staticmethod
    def _claim_keys(claim: Obj) -> list[str]:
        meta = claim["metadata"]
        keys = [f"claim/{meta.get('namespace', '')}/{meta['name']}"]
        if claim.get("spec", {}).get("volumeName"):
            keys.append(f"volume/{claim['spec']['volumeName']}")
        return keys

    def _volume_keys(self, volume: Obj) -> list[str]:
        keys = [f"volume/{volume['metadata']['name']}"]
        ref = volume.get("spec", {}).get("claimRef")
        if ref:
            keys.append(f"claim/{ref.get('namespace', '')}/{ref.get('name', '')}")
        return keys + self._pending_claim_keys()

    def _pending_claim_keys(self) -> list[str]:
        return [
            f"claim/{c['metadata'].get('namespace', '')}/{c['metadata']['name']}"
            for c in self.claims.list()
            if (c.get("status") or {}).get("phase", "Pending") == "Pending"
        ]

    def reconcile(self, key: str) -> float | None:
        kind, _, rest = key.partition("/")
        if kind == "claim":
            namespace, _, name = rest.partition("/")
            claim = get(self.claims, namespace, name)
            if claim is not None and not claim["metadata"].get("deletionTimestamp"):
                self.sync_claim(claim)
            return None
        volume = get(self.volumes, "", rest)
        if volume is not None:
            self.sync_volume(volume)
        return None

    def sync_claim(self, claim: Obj) -> None:
        """upstream `syncClaim` (see `ClaimSync`)."""
        self.claim_sync.sync_claim(claim)

    # -- volumes ---------------------------------------------------------------------------------
    def sync_volume(self, volume: Obj) -> None:
        """upstream `syncVolume`."""
        ref = volume.get("spec", {}).get("claimRef")
        if not ref or not ref.get("uid"):
            update_volume_phase(self.client, volume, "Available")
            return
        claim = get(self.claims, ref.get("namespace", ""), ref.get("name", ""))
        if claim is not None and claim["metadata"].get("uid") != ref.get("uid"):
            claim = None
        if claim is None:
            self._release(volume)
            return
        bound_to = claim.get("spec", {}).get("volumeName")
        if not bound_to:
            if util.volume_mode_mismatch(claim, volume):
                self._volume_mode_mismatch(volume, claim)
            else:
                self.enqueue(f"claim/{ref.get('namespace', '')}/{ref.get('name', '')}")
        elif bound_to == volume["metadata"]["name"]:
            update_volume_phase(self.client, volume, "Bound")
        elif util.annotations_of(volume).get(util.ANN_DYNAMICALLY_PROVISIONED) and (
            volume["spec"].get("persistentVolumeReclaimPolicy") == "Delete"
        ):
            self._release(volume)
        else:
            self._unbind_volume(volume)

    def _volume_mode_mismatch(self, volume: Obj, claim: Obj) -> None:
        volume_msg = (
            "Cannot bind PersistentVolume to requested PersistentVolumeClaim "
            f'"{claim["metadata"]["name"]}" due to incompatible volumeMode.'
        )
        self.recorder.event(volume, "Warning", "VolumeMismatch", volume_msg)
        claim_msg = (
            f'Cannot bind PersistentVolume "{volume["metadata"]["name"]}" to requested '
            "PersistentVolumeClaim due to incompatible volumeMode."
        )
        self.recorder.event(claim, "Warning", "VolumeMismatch", claim_msg)

    def _release(self, volume: Obj) -> None:
        """Mark the volume Released (a Failed one stays Failed), then reclaim it."""
        if (volume.get("status") or {}).get("phase") not in ("Released", "Failed"):
            volume = update_volume_phase(self.client, volume, "Released")
        self.reclaim_volume(volume)

    def _unbind_volume(self, volume: Obj) -> None:
        """upstream `unbindVolume`: drop a controller's binding; of a user's, only the uid."""
        volume = json_copy(volume)
        annotations = volume["metadata"].get("annotations") or {}
        if util.ANN_BOUND_BY_CONTROLLER in annotations:
            volume["spec"].pop("claimRef", None)
            del annotations[util.ANN_BOUND_BY_CONTROLLER]
            if not annotations:
                volume["metadata"].pop("annotations", None)
        else:
            volume["spec"]["claimRef"].pop("uid", None)
        volume = self.client.update("persistentvolumes", volume)
        update_volume_phase(self.client, volume, "Available")

    def _fail(self, volume: Obj, reason: str, message: str) -> None:
        """upstream `updateVolumePhaseWithEvent(volume, Failed, Warning, ...)`: once."""
        if (volume.get("status") or {}).get("phase") == "Failed":
            return
        volume = update_volume_phase(self.client, volume, "Failed", message)
        self.recorder.event(volume, "Warning", reason, message)

    def reclaim_volume(self, volume: Obj) -> None:
        """upstream `reclaimVolume`: Retain keeps, Delete deletes, Recycle is not supported
        (HonorPVReclaimPolicy, beta in 1.31: a volume being deleted is reclaimed too)."""
        policy = volume["spec"].get("persistentVolumeReclaimPolicy", "Retain")
        if policy == "Retain":
            return
        if policy == "Recycle":
            self._fail(volume, "VolumeFailedRecycle", MSG_NO_RECYCLER)
            return
        try:
            plugin = util.find_deletable_plugin(volume)
        except ValueError as error:
            self._fail(volume, "VolumeFailedDelete", str(error))
            return
        if not plugin:
            return  # the external provisioner deletes the backing volume, then the PV
        why = util.host_path_delete_error(volume)
        if why is not None:
            self._fail(volume, "VolumeFailedDelete", why)
            return
        try:
            self.client.delete("persistentvolumes", volume["metadata"]["name"])
        except NotFound:
            pass
