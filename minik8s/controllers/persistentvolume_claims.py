"""The PV binder's claim side, mirroring `pkg/controller/volume/persistentvolume/pv_controller.go`
(`syncClaim`, `syncUnboundClaim`, `syncBoundClaim`, `bind`, `assignDefaultStorageClass`,
`provisionClaim` for external provisioners, `emitEventForUnboundDelayBindingClaim`).

`PersistentVolumeController` owns one `ClaimSync` and hands it the `claim/<ns>/<name>` keys.
Left out: in-tree provisioners (a `kubernetes.io/` provisioner fails as "no volume plugin
matched"), migration annotations.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.meta import json_copy
from minik8s.client.client import Client
from minik8s.client.record import EventRecorder
from minik8s.controllers import pv_util as util
from minik8s.controllers.persistentvolume_status import (
    Obj,
    get,
    update_claim_status,
    update_volume_phase,
)

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


class ClaimSync:
    """Binds one PV binder's claims to volumes: its client, event recorder and listers."""

    def __init__(self, client: Client, recorder: EventRecorder, informers: Any) -> None:
        self.client = client
        self.recorder = recorder
        self.claims = informers.lister_for("persistentvolumeclaims")
        self.volumes = informers.lister_for("persistentvolumes")
        self.classes = informers.lister_for("storageclasses")
        self.pods = informers.lister_for("pods")

    def __repr__(self) -> str:
        return f"<ClaimSync {self.recorder.component}>"

    # -- claims ----------------------------------------------------------------------------------
    def sync_claim(self, claim: Obj) -> None:
        """upstream `syncClaim`."""
        if util.annotations_of(claim).get(util.ANN_BIND_COMPLETED) is not None:
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
            else:
                self.bind(volume, claim)
            return
        volume = get(self.volumes, "", name)
        if volume is None:
            update_claim_status(self.client, claim, "Pending", None)
        elif volume.get("spec", {}).get("claimRef") is None:
            reason = util.check_volume_satisfy_claim(volume, claim)
            if reason is None:
                self.bind(volume, claim)
                return
            message = f'Cannot bind to requested volume "{name}": {reason}'
            self.recorder.event(claim, "Warning", "VolumeMismatch", message)
            update_claim_status(self.client, claim, "Pending", None)
        elif util.is_volume_bound_to_claim(volume, claim):
            self.bind(volume, claim)
        else:
            message = f'volume "{name}" already bound to a different claim.'
            self.recorder.event(claim, "Warning", "FailedBinding", message)
            if util.ANN_BOUND_BY_CONTROLLER not in util.annotations_of(claim):
                update_claim_status(self.client, claim, "Pending", None)

    def _no_volume(self, claim: Obj, delay: bool) -> None:
        """No volume fits: take the default class, wait for the scheduler, hand over to a
        provisioner, or report."""
        if self._assign_default_storage_class(claim):
            return  # the update re-queues the claim
        if delay and util.ANN_SELECTED_NODE not in util.annotations_of(claim):
            self._emit_event_for_unbound_delay_binding_claim(claim)
        elif util.claim_class(claim):
            self._provision_claim(claim)
            return
        else:
            self.recorder.event(claim, "Normal", "FailedBinding", MSG_NO_CLASS)
        update_claim_status(self.client, claim, "Pending", None)

    def _assign_default_storage_class(self, claim: Obj) -> bool:
        """upstream `assignDefaultStorageClass`: a claim without any class gets the default."""
        if util.claim_has_class(claim):
            return False
        sc = util.get_default_class(self.classes.list())
        if sc is None:
            return False
        claim = json_copy(claim)
        claim["spec"]["storageClassName"] = sc["metadata"]["name"]
        self.client.update("persistentvolumeclaims", claim)
        return True

    def _emit_event_for_unbound_delay_binding_claim(self, claim: Obj) -> None:
        """upstream `emitEventForUnboundDelayBindingClaim`: name the pods not yet scheduled."""
        meta = claim["metadata"]
        pods = sorted(
            p["metadata"]["name"]
            for p in self.pods.list(meta.get("namespace") or None)
            if meta["name"] in util.pod_claim_names(p)
            and not util.is_pod_terminated(p)
            and not p.get("spec", {}).get("nodeName")
        )
        if not pods:
            self.recorder.event(claim, "Normal", "WaitForFirstConsumer", MSG_WAIT)
            return
        which = f"pods {','.join(pods)}" if len(pods) > 1 else f"pod {pods[0]}"
        self.recorder.event(
            claim, "Normal", "WaitForPodScheduled", f"waiting for {which} to be scheduled"
        )

    def _provision_claim(self, claim: Obj) -> None:
        """upstream `provisionClaim` for an external provisioner: annotate, report, wait."""
        class_name = util.claim_class(claim)
        sc = self._class_map().get(class_name)
        if sc is None:
            message = f'storageclass.storage.k8s.io "{class_name}" not found'
            self.recorder.event(claim, "Warning", "ProvisioningFailed", message)
            return
        provisioner = sc.get("provisioner", "")
        if provisioner.startswith("kubernetes.io/"):  # no in-tree provisioner is built in
            message = f"no volume plugin matched name: {provisioner}"
            self.recorder.event(claim, "Warning", "ProvisioningFailed", message)
            return
        if util.annotations_of(claim).get(util.ANN_STORAGE_PROVISIONER) != provisioner:
            claim = json_copy(claim)
            meta_ann = claim["metadata"].setdefault("annotations", {})
            meta_ann[util.ANN_BETA_STORAGE_PROVISIONER] = provisioner
            meta_ann[util.ANN_STORAGE_PROVISIONER] = provisioner
            claim = self.client.update("persistentvolumeclaims", claim)
        self.recorder.event(
            claim, "Normal", "ExternalProvisioning", MSG_EXTERNAL.format(provisioner)
        )

    def _sync_bound_claim(self, claim: Obj) -> None:
        name = claim.get("spec", {}).get("volumeName")
        if not name:
            self._lose(claim, "ClaimLost", MSG_LOST_REF)
            return
        volume = get(self.volumes, "", name)
        if volume is None:
            self._lose(claim, "ClaimLost", MSG_LOST_PV)
            return
        ref = volume.get("spec", {}).get("claimRef")
        if ref is None or ref.get("uid") == claim["metadata"].get("uid"):
            self.bind(volume, claim)
        else:
            self._lose(claim, "ClaimMisbound", MSG_MISBOUND)

    def _lose(self, claim: Obj, reason: str, message: str) -> None:
        """upstream `updateClaimStatusWithEvent(claim, Lost, nil, Warning, ...)`."""
        if (claim.get("status") or {}).get("phase") == "Lost":
            return
        claim = update_claim_status(self.client, claim, "Lost", None)
        self.recorder.event(claim, "Warning", reason, message)

    # -- binding ---------------------------------------------------------------------------------
    def bind(self, volume: Obj, claim: Obj) -> None:
        """upstream `bind`: volume → claim, volume Bound, claim → volume, claim Bound."""
        volume = self._bind_volume_to_claim(volume, claim)
        volume = update_volume_phase(self.client, volume, "Bound")
        claim = self._bind_claim_to_volume(claim, volume)
        update_claim_status(self.client, claim, "Bound", volume)

    def _bind_volume_to_claim(self, volume: Obj, claim: Obj) -> Obj:
        """upstream `GetBindVolumeToClaim` + update."""
        ref = volume.get("spec", {}).get("claimRef") or {}
        meta = claim["metadata"]
        by_controller = not util.is_volume_bound_to_claim(volume, claim)
        same = (ref.get("name"), ref.get("namespace") or "", ref.get("uid") or "") == (
            meta["name"],
            meta.get("namespace") or "",
            meta.get("uid") or "",
        )
        ann = util.annotations_of(volume)
        if same and not (by_controller and util.ANN_BOUND_BY_CONTROLLER not in ann):
            return volume
        volume = json_copy(volume)
        if not same:
            volume["spec"]["claimRef"] = util.claim_ref(claim)
        if by_controller:
            volume["metadata"].setdefault("annotations", {}).setdefault(
                util.ANN_BOUND_BY_CONTROLLER, "yes"
            )
        return self.client.update("persistentvolumes", volume)

    def _bind_claim_to_volume(self, claim: Obj, volume: Obj) -> Obj:
        """upstream `bindClaimToVolume`."""
        name = volume["metadata"]["name"]
        ann = util.annotations_of(claim)
        should_bind = claim.get("spec", {}).get("volumeName") != name
        if not should_bind and util.ANN_BIND_COMPLETED in ann:
            return claim
        claim = json_copy(claim)
        annotations = claim["metadata"].setdefault("annotations", {})
        if should_bind:
            claim["spec"]["volumeName"] = name
            annotations.setdefault(util.ANN_BOUND_BY_CONTROLLER, "yes")
        annotations.setdefault(util.ANN_BIND_COMPLETED, "yes")
        return self.client.update("persistentvolumeclaims", claim)
