"""The PV binder's volume side, mirroring `pkg/controller/volume/persistentvolume/pv_controller.go`
(`syncVolume`, `unbindVolume`, `reclaimVolume`).

A volume whose claim is gone is Released, then reclaimed: Retain keeps it, Delete removes it (the
in-tree hostPath deleter under /tmp/; an external provisioner deletes the volumes it provisioned;
anything else Fails). Left out: the recycler (Recycle fails as "No recycler plugin found"),
in-tree deleters other than hostPath, the `kubernetes.io/pv-controller` finalizer.
"""

from __future__ import annotations

from minik8s.api.errors import NotFound
from minik8s.api.meta import json_copy
from minik8s.controllers import pv_util as util
from minik8s.controllers.persistentvolume_base import Obj, PersistentVolumeControllerBase

MSG_NO_RECYCLER = "No recycler plugin found for the volume!"


class VolumeSync(PersistentVolumeControllerBase):
    """`syncVolume` and reclaiming: the PV binder's work on `volume/<name>` keys."""

    def sync_volume(self, volume: Obj) -> None:
        """upstream `syncVolume`."""
        ref = volume.get("spec", {}).get("claimRef")
        if not ref or not ref.get("uid"):
            self._update_volume_phase(volume, "Available")
            return
        claim = self._get(self.claims, ref.get("namespace", ""), ref.get("name", ""))
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
            self._update_volume_phase(volume, "Bound")
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
            volume = self._update_volume_phase(volume, "Released")
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
        self._update_volume_phase(volume, "Available")

    def _fail(self, volume: Obj, reason: str, message: str) -> None:
        """upstream `updateVolumePhaseWithEvent(volume, Failed, Warning, ...)`: once."""
        if (volume.get("status") or {}).get("phase") == "Failed":
            return
        volume = self._update_volume_phase(volume, "Failed", message)
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
