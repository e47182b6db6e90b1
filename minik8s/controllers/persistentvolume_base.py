"""The PV binder's wiring, mirroring `pkg/controller/volume/persistentvolume/pv_controller_base.go`
plus the two status writers of `pv_controller.go` (`updateClaimStatus`, `updateVolumePhase`).

Listers for claims, volumes, classes and pods; claim events queue `claim/<ns>/<name>` (and the
volume it names), volume events `volume/<name>` (and its claim), and volume or class events
re-queue every Pending claim instead of upstream's periodic resync. The sync logic is in
`persistentvolume_volumes.py` (volumes) and `persistentvolume.py` (claims, binding). Left out:
the resync period and the metrics.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.errors import NotFound
from minik8s.client.record import EventRecorder
from minik8s.controllers import pv_util as util
from minik8s.controllers.base import Controller

Obj = dict[str, Any]
NAME = "persistentvolume-binder-controller"
RECORDER_COMPONENT = "persistentvolume-controller"  # the events' source, as upstream


class PersistentVolumeControllerBase(Controller):
    """Listers, watches and keys of the PV binder, and its claim/volume status writers."""

    name = NAME

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.recorder = EventRecorder(self.client, RECORDER_COMPONENT)
        self.claims = self.informers.lister_for("persistentvolumeclaims")
        self.volumes = self.informers.lister_for("persistentvolumes")
        self.classes = self.informers.lister_for("storageclasses")
        self.pods = self.informers.lister_for("pods")
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

    @staticmethod
    def _get(lister: Any, namespace: str, name: str) -> Obj | None:
        try:
            return lister.get(namespace or None, name)
        except NotFound:
            return None

    # -- status writers --------------------------------------------------------------------------
    def _update_claim_status(self, claim: Obj, phase: str, volume: Obj | None) -> Obj:
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
        return self.client.update_status("persistentvolumeclaims", dict(claim, status=status))

    def _update_volume_phase(self, volume: Obj, phase: str, message: str = "") -> Obj:
        """upstream `updateVolumePhase` (the API server stamps `lastPhaseTransitionTime`)."""
        status = dict(volume.get("status") or {})
        if status.get("phase") == phase:
            return volume
        status["phase"] = phase
        if message:
            status["message"] = message
        else:
            status.pop("message", None)
        return self.client.update_status("persistentvolumes", dict(volume, status=status))
