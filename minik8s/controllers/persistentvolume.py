"""The PV binder, mirroring `pkg/controller/volume/persistentvolume/pv_controller.go`
(`syncClaim`, `syncUnboundClaim`, `syncBoundClaim`, `syncVolume`, `bind`, `reclaimVolume`).

Claims bind to the smallest Available volume that fits (`pv_util.find_best_match_for_claim`),
or to the volume they or it pre-bind; unmatched claims of a class are handed to the external
provisioner (`ExternalProvisioning`), or wait for the scheduler when the class binds
`WaitForFirstConsumer`. A volume whose claim is gone is Released, then reclaimed: Retain keeps
it, Delete removes it (CSI volumes: the external provisioner deletes the backing volume first).
Writes use the read resourceVersion, so a stale cache loses the race with a Conflict and
retries: a volume is never bound to two claims. Left out: in-tree provisioners, the
recycler (Recycle fails), the periodic resync (volume and class events re-queue pending
claims instead), migration annotations, retroactive default StorageClass assignment.
"""

from __future__ import annotations

import re
from typing import Any

from minik8s.api.errors import NotFound
from minik8s.api.meta import json_copy
from minik8s.controllers import pv_util as util
from minik8s.controllers.base import Controller

Obj = dict[str, Any]
NAME = "persistentvolume-binder-controller"
MSG_NO_CLASS = "no persistent volumes available for this claim and no storage class is set"
MSG_WAIT = "waiting for first consumer to be created before binding"
MSG_EXTERNAL = (
    "Waiting for a volume to be created either by the external provisioner '{}' or manually by "
    "the system administrator. If volume creation is delayed, please verify that the "
    "provisioner is running and correctly registered."
)
MSG_LOST_REF = "Bound claim has lost reference to PersistentVolume. Data on the volume is lost!"
MSG_LOST_PV = "Bound claim has lost its PersistentVolume. Data on the volume is lost!"
MSG_MISBOUND = "Two claims are bound to the same volume, this one is bound incorrectly"


class PersistentVolumeController(Controller):
    """Binds claims to volumes and reclaims released volumes; keys `claim/ns/name`, `volume/x`."""

    name = NAME

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.claims = self.informers.lister_for("persistentvolumeclaims")
        self.volumes = self.informers.lister_for("persistentvolumes")
        self.classes = self.informers.lister_for("storageclasses")
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
            claim = self._get(self.claims, namespace, name)
            if claim is not None and not claim["metadata"].get("deletionTimestamp"):
                self.sync_claim(claim)
            return None
        volume = self._get(self.volumes, "", rest)
        if volume is not None:
            self.sync_volume(volume)
        return None

    @staticmethod
    def _get(lister: Any, namespace: str, name: str) -> Obj | None:
        try:
            return lister.get(namespace or None, name)
        except NotFound:
            return None

    # -- claims ----------------------------------------------------------------------------------
    def sync_claim(self, claim: Obj) -> None:
        """upstream `syncClaim`."""
        if util.annotations_of(claim).get(util.ANN_BIND_COMPLETED):
            self._sync_bound_claim(claim)
        else:
            self._sync_unbound_claim(claim)

    def _class_map(self) -> dict[str, Obj]:
        return {sc["metadata"]["name"]: sc for sc in self.classes.list()}

    def _sync_unbound_claim(self, claim: Obj) -> None:
        name = claim.get("spec", {}).get("volumeName")
        if not name:
            delay = util.is_delay_binding_mode(claim, self._class_map())
            volume = util.find_best_match_for_claim(claim, self.volumes.list(), delay)
            if volume is None:
                self._no_volume(claim, delay)
                return
            self.bind(volume, claim)
            return
        volume = self._get(self.volumes, "", name)
        if volume is None:
            self._update_claim_status(claim, "Pending", None)
            return
        if not volume.get("spec", {}).get("claimRef"):
            reason = util.check_volume_satisfy_claim(volume, claim)
            if reason:
                message = f'Cannot bind to requested volume "{name}": {reason}'
                self.recorder.event(claim, "Warning", "VolumeMismatch", message)
                self._update_claim_status(claim, "Pending", None)
                return
            self.bind(volume, claim)
        elif util.is_volume_bound_to_claim(volume, claim):
            self.bind(volume, claim)
        elif not util.annotations_of(claim).get(util.ANN_BOUND_BY_CONTROLLER):
            message = f'volume "{name}" already bound to a different claim.'
            self.recorder.event(claim, "Warning", "FailedBinding", message)
            self._update_claim_status(claim, "Pending", None)

    def _no_volume(self, claim: Obj, delay: bool) -> None:
        """No volume fits: wait for the scheduler, hand over to a provisioner, or report."""
        if delay and util.ANN_SELECTED_NODE not in util.annotations_of(claim):
            self.recorder.event(claim, "Normal", "WaitForFirstConsumer", MSG_WAIT)
        elif util.claim_class(claim):
            self._provision_claim(claim)
        else:
            self.recorder.event(claim, "Normal", "FailedBinding", MSG_NO_CLASS)
        self._update_claim_status(claim, "Pending", None)

    def _provision_claim(self, claim: Obj) -> None:
        """upstream `provisionClaim` for an external provisioner: annotate, report, wait."""
        class_name = util.claim_class(claim)
        sc = self._class_map().get(class_name)
        if sc is None:
            message = f'storageclass.storage.k8s.io "{class_name}" not found'
            self.recorder.event(claim, "Warning", "ProvisioningFailed", message)
            return
        provisioner = sc.get("provisioner", "")
        ann = util.annotations_of(claim)
        if ann.get(util.ANN_STORAGE_PROVISIONER) != provisioner:
            claim = json_copy(claim)
            meta_ann = claim["metadata"].setdefault("annotations", {})
            meta_ann[util.ANN_STORAGE_PROVISIONER] = provisioner
            meta_ann[util.ANN_BETA_STORAGE_PROVISIONER] = provisioner
            claim = self.client.update("persistentvolumeclaims", claim)
        self.recorder.event(
            claim, "Normal", "ExternalProvisioning", MSG_EXTERNAL.format(provisioner)
        )

    def _sync_bound_claim(self, claim: Obj) -> None:
        name = claim.get("spec", {}).get("volumeName")
        if not name:
            self._lose(claim, MSG_LOST_REF)
            return
        volume = self._get(self.volumes, "", name)
        if volume is None:
            self._lose(claim, MSG_LOST_PV)
        elif not volume.get("spec", {}).get("claimRef") or util.is_volume_bound_to_claim(
            volume, claim
        ):
            self.bind(volume, claim)
        else:
            self._lose(claim, MSG_MISBOUND)

    def _lose(self, claim: Obj, message: str) -> None:
        if (claim.get("status") or {}).get("phase") != "Lost":
            self.recorder.event(claim, "Warning", "ClaimLost", message)
        self._update_claim_status(claim, "Lost", None)

    # -- binding ---------------------------------------------------------------------------------
    def bind(self, volume: Obj, claim: Obj) -> None:
        """upstream `bind`: volume → claim, volume Bound, claim → volume, claim Bound."""
        volume = self._bind_volume_to_claim(volume, claim)
        volume = self._update_volume_phase(volume, "Bound")
        claim = self._bind_claim_to_volume(claim, volume)
        self._update_claim_status(claim, "Bound", volume)

    def _bind_volume_to_claim(self, volume: Obj, claim: Obj) -> Obj:
        ref = volume.get("spec", {}).get("claimRef") or {}
        if ref.get("uid") == claim["metadata"].get("uid") and util.is_volume_bound_to_claim(
            volume, claim
        ):
            return volume
        volume = json_copy(volume)
        volume["spec"]["claimRef"] = util.claim_ref(claim)
        if not ref:
            volume["metadata"].setdefault("annotations", {})[util.ANN_BOUND_BY_CONTROLLER] = "yes"
        return self.client.update("persistentvolumes", volume)

    def _bind_claim_to_volume(self, claim: Obj, volume: Obj) -> Obj:
        name = volume["metadata"]["name"]
        ann = util.annotations_of(claim)
        spec = claim.get("spec", {})
        if spec.get("volumeName") == name and ann.get(util.ANN_BIND_COMPLETED) == "yes":
            return claim
        claim = json_copy(claim)
        annotations = claim["metadata"].setdefault("annotations", {})
        if claim["spec"].get("volumeName") != name:
            claim["spec"]["volumeName"] = name
            annotations[util.ANN_BOUND_BY_CONTROLLER] = "yes"
        annotations[util.ANN_BIND_COMPLETED] = "yes"
        return self.client.update("persistentvolumeclaims", claim)

    def _update_claim_status(self, claim: Obj, phase: str, volume: Obj | None) -> Obj:
        status = dict(claim.get("status") or {})
        status["phase"] = phase
        if volume is None:
            status.pop("accessModes", None)
            status.pop("capacity", None)
        else:
            status["accessModes"] = list(volume["spec"].get("accessModes") or [])
            if "storage" not in (status.get("capacity") or {}):
                status["capacity"] = dict(volume["spec"].get("capacity") or {})
        if phase == "Lost":
            status = {**(claim.get("status") or {}), "phase": "Lost"}
        if status == (claim.get("status") or {}):
            return claim
        claim = dict(claim, status=status)
        return self.client.update_status("persistentvolumeclaims", claim)

    # -- volumes ---------------------------------------------------------------------------------
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
            if volume.get("status", {}).get("phase") not in ("Released", "Failed"):
                volume = self._update_volume_phase(volume, "Released")
            self.reclaim_volume(volume)
        elif not claim.get("spec", {}).get("volumeName"):
            self.enqueue(f"claim/{ref.get('namespace', '')}/{ref.get('name', '')}")
        elif claim["spec"]["volumeName"] == volume["metadata"]["name"]:
            self._update_volume_phase(volume, "Bound")
        elif util.annotations_of(volume).get(util.ANN_DYNAMICALLY_PROVISIONED) and (
            volume["spec"].get("persistentVolumeReclaimPolicy") == "Delete"
        ):
            if volume.get("status", {}).get("phase") not in ("Released", "Failed"):
                volume = self._update_volume_phase(volume, "Released")
            self.reclaim_volume(volume)
        elif util.annotations_of(volume).get(util.ANN_BOUND_BY_CONTROLLER):
            self._unbind_volume(volume)

    def _unbind_volume(self, volume: Obj) -> None:
        volume = json_copy(volume)
        volume["spec"].pop("claimRef", None)
        volume["metadata"].get("annotations", {}).pop(util.ANN_BOUND_BY_CONTROLLER, None)
        volume = self.client.update("persistentvolumes", volume)
        self._update_volume_phase(volume, "Available")

    def _update_volume_phase(self, volume: Obj, phase: str, message: str = "") -> Obj:
        status = volume.get("status") or {}
        if status.get("phase") == phase and (status.get("message") or "") == message:
            return volume
        new_status = {"phase": phase, "lastPhaseTransitionTime": self.loop.timestamp()}
        if message:
            new_status["message"] = message
        return self.client.update_status("persistentvolumes", dict(volume, status=new_status))

    def _fail(self, volume: Obj, reason: str, message: str) -> None:
        self.recorder.event(volume, "Warning", reason, message)
        self._update_volume_phase(volume, "Failed", message)

    def reclaim_volume(self, volume: Obj) -> None:
        """upstream `reclaimVolume`: Retain keeps, Delete deletes, Recycle is not supported."""
        if volume["metadata"].get("deletionTimestamp"):
            return
        policy = volume["spec"].get("persistentVolumeReclaimPolicy", "Retain")
        if policy == "Retain":
            return
        if policy == "Recycle":
            self._fail(volume, "VolumeFailedRecycle", "No recycler plugin found for the volume!")
            return
        if volume["spec"].get("csi") or util.annotations_of(volume).get(
            util.ANN_DYNAMICALLY_PROVISIONED
        ):
            return  # the external provisioner deletes the backing volume, then the PV
        path = (volume["spec"].get("hostPath") or {}).get("path")
        if path is not None and not re.fullmatch(r"/tmp/.+", path):
            why = f"host_path deleter only supports /tmp/.+ but received provided {path}"
            self._fail(volume, "VolumeFailedDelete", why)
        elif path is None:
            name = volume["metadata"]["name"]
            why = (
                f'error getting deleter volume plugin for volume "{name}": '
                "no deletable volume plugin matched"
            )
            self._fail(volume, "VolumeFailedDelete", why)
        else:
            try:
                self.client.delete("persistentvolumes", volume["metadata"]["name"])
            except NotFound:
                pass
