"""Volume expansion: the external-resizer sidecar, mirroring `kubernetes-csi/external-resizer`
(`pkg/controller/controller.go`, `pkg/resizer/csi_resizer.go`), plus the status update the
kubelet makes after `NodeExpandVolume` (`pkg/volume/util/resize_util.go`).

A bound claim whose `spec.resources.requests.storage` grew beyond `status.capacity` (the
`PersistentVolumeClaimResize` admission plugin already checked that its class has
`allowVolumeExpansion`) is expanded with `controller_expand_volume`; the PV's capacity follows.
If the driver also needs the node to grow the filesystem, the claim gets the condition
`FileSystemResizePending` until the kubelet calls `node_expand_volume` and
`mark_fs_resize_finished`; otherwise `status.capacity` is updated at once. While the driver
works the claim carries the `Resizing` condition (`markPVCResizeInProgress`). Events come from
`external-resizer <driver>`, as upstream's recorder names them.

`ExpandController` is kube-controller-manager's expand controller
(`pkg/controller/volume/expand/expand_controller.go`) for CSI volumes: no in-tree plugin expands
them, so it only reports `ExternalExpanding` ("waiting for an external controller to expand this
PVC", a Warning as `FindExpandablePluginBySpec` errs for CSI specs) when a bound claim grows.
Left out: `status.allocatedResources`/`allocatedResourceStatuses`
(RecoverVolumeExpansionFailure, alpha in 1.31), resize of in-tree volumes, the in-use retry of
drivers that cannot expand online.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.errors import Conflict, NotFound
from minik8s.api.meta import json_copy
from minik8s.api.quantity import BINARY_SI, new_quantity
from minik8s.client.record import EventRecorder
from minik8s.controllers import pv_util as util
from minik8s.controllers.base import Controller
from minik8s.csi.api import FINAL_CODES, ControllerServer, CSIError, Obj

FS_RESIZE_PENDING = "FileSystemResizePending"
RESIZING = "Resizing"
MSG_EXTERNAL_EXPANDING = "waiting for an external controller to expand this PVC"
FS_RESIZE_MESSAGE = (
    "Waiting for user to (re-)start a pod to finish file system resize of volume on node."
)


def needs_resize(claim: Obj) -> bool:
    """A bound claim asking for more than its status capacity."""
    if (claim.get("status") or {}).get("phase") != "Bound":
        return False
    capacity = util.storage_of((claim.get("status") or {}).get("capacity"))
    return util.claim_request(claim).cmp(capacity) > 0


def _conditions(claim: Obj, kind: str | None = None, since: str = "") -> list[Obj]:
    """upstream `MergeResizeConditionsOfPVC`: the claim's conditions without resize ones, plus
    the resize condition `kind` (Resizing or FileSystemResizePending) if given."""
    others = [
        c
        for c in (claim.get("status") or {}).get("conditions") or []
        if c.get("type") not in (FS_RESIZE_PENDING, RESIZING)
    ]
    if kind is None:
        return others
    condition: Obj = {
        "type": kind,
        "status": "True",
        "lastProbeTime": None,
        "lastTransitionTime": since,
    }
    if kind == FS_RESIZE_PENDING:
        condition["message"] = FS_RESIZE_MESSAGE
    return others + [condition]


def mark_fs_resize_finished(client: Any, claim: Obj, capacity: str) -> Obj:
    """The kubelet's last step of an online/offline expansion: capacity set, condition gone
    (upstream `MarkFSResizeFinished`)."""
    status = dict(claim.get("status") or {})
    status["capacity"] = dict(status.get("capacity") or {}, storage=capacity)
    status["conditions"] = _conditions(claim)
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
        self.recorder = EventRecorder(client, f"external-resizer {self.driver_name}")
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
        """upstream `resizePVC`: mark Resizing, ControllerExpandVolume, then the PV's capacity
        and the claim's status."""
        claim = self._mark_resize_in_progress(claim)
        request = util.claim_request(claim)
        name = pv["metadata"]["name"]
        self.recorder.event(
            claim, "Normal", "Resizing", f"External resizer is resizing volume {name}"
        )
        try:
            size, node_expansion = self.driver.controller_expand_volume(
                pv["spec"]["csi"]["volumeHandle"], {"required_bytes": request.value()}
            )
        except CSIError as error:
            why = f'resize volume "{name}" by resizer "{self.driver_name}" failed: {error}'
            self.recorder.event(claim, "Warning", "VolumeResizeFailed", why)
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
            status["conditions"] = _conditions(claim, FS_RESIZE_PENDING, self.loop.timestamp())
            self.client.update_status("persistentvolumeclaims", dict(claim, status=status))
            text = "Require file system resize of volume on node"
            self.recorder.event(claim, "Normal", "FileSystemResizeRequired", text)
        else:
            mark_fs_resize_finished(self.client, claim, capacity)
            self.recorder.event(
                claim, "Normal", "VolumeResizeSuccessful", "Resize volume succeeded"
            )
        return None

    def _mark_resize_in_progress(self, claim: Obj) -> Obj:
        """upstream `markPVCResizeInProgress`: the `Resizing` condition."""
        current = (claim.get("status") or {}).get("conditions") or []
        if any(c.get("type") == RESIZING for c in current):
            return claim
        status = dict(claim.get("status") or {})
        status["conditions"] = _conditions(claim, RESIZING, self.loop.timestamp())
        return self.client.update_status("persistentvolumeclaims", dict(claim, status=status))


def _status_capacity(claim: Obj) -> Any:
    return util.storage_of((claim.get("status") or {}).get("capacity"))


class ExpandController(Controller):
    """kube-controller-manager's expand controller: CSI volumes are left to the external
    resizer, which a `ExternalExpanding` warning says when a bound claim asks for more."""

    name = "persistentvolume-expander-controller"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.recorder = EventRecorder(self.client, "volume_expand")
        self.claims = self.informers.lister_for("persistentvolumeclaims")
        self.volumes = self.informers.lister_for("persistentvolumes")
        informer = self.informers.informer_for("persistentvolumeclaims")
        informer.add_event_handler(on_add=self._enqueue, on_update=self._on_update)

    def _enqueue(self, claim: Obj) -> None:
        if (claim.get("status") or {}).get("phase") == "Bound":
            self.enqueue(util.meta_key(claim))

    def _on_update(self, old: Obj, new: Obj) -> None:
        """Only a grown request (or grown status capacity) is worth a look."""
        grown = util.claim_request(new).cmp(util.claim_request(old)) > 0
        if grown or _status_capacity(new).cmp(_status_capacity(old)) > 0:
            self._enqueue(new)

    def reconcile(self, key: str) -> float | None:
        namespace, _, name = key.partition("/")
        try:
            claim = self.claims.get(namespace, name)
            pv = self.volumes.get(None, claim.get("spec", {}).get("volumeName") or "")
        except NotFound:
            return None
        ref = pv.get("spec", {}).get("claimRef") or {}
        if ref.get("uid") != claim["metadata"].get("uid") or not needs_resize(claim):
            return None
        if pv["spec"].get("csi") is not None:
            self.recorder.event(claim, "Warning", "ExternalExpanding", MSG_EXTERNAL_EXPANDING)
        return None
