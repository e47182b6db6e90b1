"""Volume expansion: the external-resizer sidecar, mirroring `kubernetes-csi/external-resizer`
(`pkg/controller/controller.go`, `pkg/resizer/csi_resizer.go`), plus the status update the
kubelet makes after `NodeExpandVolume` (`pkg/volume/util/resize_util.go`).

A bound claim whose `spec.resources.requests.storage` grew beyond `status.capacity` (the
`PersistentVolumeClaimResize` admission plugin already checked that its class has
`allowVolumeExpansion`) is expanded with `controller_expand_volume`; the PV's capacity follows.
If the driver also needs the node to grow the filesystem, the claim gets the condition
`FileSystemResizePending` until the kubelet calls `node_expand_volume` and
`mark_fs_resize_finished`; otherwise `status.capacity` is updated at once. Left out:
`status.allocatedResources`/`allocatedResourceStatuses` (RecoverVolumeExpansionFailure),
resize of in-tree volumes, the `Resizing` condition's timing.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.errors import Conflict, NotFound
from minik8s.api.meta import json_copy
from minik8s.api.quantity import BINARY_SI, new_quantity
from minik8s.controllers import pv_util as util
from minik8s.controllers.base import Controller
from minik8s.csi.api import FINAL_CODES, ControllerServer, CSIError, Obj

FS_RESIZE_PENDING = "FileSystemResizePending"
FS_RESIZE_MESSAGE = (
    "Waiting for user to (re-)start a pod to finish file system resize of volume on node."
)


def needs_resize(claim: Obj) -> bool:
    """A bound claim asking for more than its status capacity."""
    if (claim.get("status") or {}).get("phase") != "Bound":
        return False
    capacity = util.storage_of((claim.get("status") or {}).get("capacity"))
    return util.claim_request(claim).cmp(capacity) > 0


def _conditions(claim: Obj, pending_since: str | None) -> list[Obj]:
    """The claim's conditions without resize ones, plus FileSystemResizePending if given."""
    others = [
        c
        for c in (claim.get("status") or {}).get("conditions") or []
        if c.get("type") not in (FS_RESIZE_PENDING, "Resizing")
    ]
    if pending_since is None:
        return others
    pending = {
        "type": FS_RESIZE_PENDING,
        "status": "True",
        "lastProbeTime": None,
        "lastTransitionTime": pending_since,
        "message": FS_RESIZE_MESSAGE,
    }
    return others + [pending]


def mark_fs_resize_finished(client: Any, claim: Obj, capacity: str) -> Obj:
    """The kubelet's last step of an online/offline expansion: capacity set, condition gone
    (upstream `MarkFSResizeFinished`)."""
    status = dict(claim.get("status") or {})
    status["capacity"] = dict(status.get("capacity") or {}, storage=capacity)
    status["conditions"] = _conditions(claim, None)
    if not status["conditions"]:
        del status["conditions"]
    return client.update_status("persistentvolumeclaims", dict(claim, status=status))


class ExternalResizer(Controller):
    """The resizer role for one CSI driver (key: `namespace/name` of a claim)."""

    def __init__(
        self, client: Any, informers: Any, driver: ControllerServer, tracer: Any = None
    ) -> None:
        self.driver = driver
        self.driver_name = driver.get_plugin_info().name  # type: ignore[attr-defined]
        self.name = f"csi-resizer/{self.driver_name}"
        super().__init__(client, informers, tracer)
        self.claims = self.informers.lister_for("persistentvolumeclaims")
        self.volumes = self.informers.lister_for("persistentvolumes")
        self.watch("persistentvolumeclaims")

    def __repr__(self) -> str:
        return f"<ExternalResizer {self.driver_name} queue={len(self.queue)}>"

    def reconcile(self, key: str) -> float | None:
        namespace, _, name = key.partition("/")
        try:
            claim = self.claims.get(namespace, name)
            volume_name = claim.get("spec", {}).get("volumeName") or ""
            pv = self.volumes.get(None, volume_name) if volume_name else None
        except NotFound:
            return None
        if pv is None or (pv["spec"].get("csi") or {}).get("driver") != self.driver_name:
            return None
        if not needs_resize(claim):
            return None
        if (
            any(
                c.get("type") == FS_RESIZE_PENDING
                for c in (claim.get("status") or {}).get("conditions") or []
            )
            and util.volume_capacity(pv).cmp(util.claim_request(claim)) >= 0
        ):
            return None  # the controller part is done; the kubelet finishes
        return self.expand(claim, pv)

    def expand(self, claim: Obj, pv: Obj) -> float | None:
        """ControllerExpandVolume, then the PV's capacity and the claim's status."""
        request = util.claim_request(claim)
        message = f"External resizer is resizing volume {pv['metadata']['name']}"
        self.recorder.event(claim, "Normal", "Resizing", message)
        try:
            size, node_expansion = self.driver.controller_expand_volume(
                pv["spec"]["csi"]["volumeHandle"], {"required_bytes": request.value()}
            )
        except CSIError as error:
            self.recorder.event(
                claim, "Warning", "VolumeResizeFailed", f"resize volume failed: {error}"
            )
            return None if error.code in FINAL_CODES else 10.0
        capacity = str(new_quantity(size, BINARY_SI))
        pv = json_copy(pv)
        pv["spec"]["capacity"] = dict(pv["spec"].get("capacity") or {}, storage=capacity)
        try:
            self.client.update("persistentvolumes", pv)
        except Conflict:
            return 0.1
        if node_expansion:
            status = dict(claim.get("status") or {})
            status["conditions"] = _conditions(claim, self.loop.timestamp())
            self.client.update_status("persistentvolumeclaims", dict(claim, status=status))
            text = "Require file system resize of volume on node"
            self.recorder.event(claim, "Normal", "FileSystemResizeRequired", text)
        else:
            mark_fs_resize_finished(self.client, claim, capacity)
            self.recorder.event(
                claim, "Normal", "VolumeResizeSuccessful", "Resize volume succeeded"
            )
        return None
