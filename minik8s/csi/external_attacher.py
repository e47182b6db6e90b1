"""The external-attacher sidecar of a CSI driver, mirroring `kubernetes-csi/external-attacher`
`pkg/controller/csi_handler.go`.

It calls `controller_publish_volume` for each VolumeAttachment of its driver and sets
`status.attached` (or `attachError`); on deletion it calls `controller_unpublish_volume` and drops
its finalizer. A driver without PUBLISH_UNPUBLISH_VOLUME is marked attached at once. Left out:
the PV attacher finalizer, `detachError`.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.errors import Conflict, NotFound
from minik8s.api.meta import json_copy
from minik8s.controllers.base import Controller
from minik8s.csi.api import (
    FINAL_CODES,
    PUBLISH_UNPUBLISH_VOLUME,
    ControllerServer,
    CSIError,
    Obj,
    volume_capability,
)
from minik8s.csi.volumeattachment import RESOURCE, finalizer_name


class ExternalAttacher(Controller):
    """The attacher role for one CSI driver: VolumeAttachment → ControllerPublishVolume."""

    def __init__(
        self, client: Any, informers: Any, driver: ControllerServer, tracer: Any = None
    ) -> None:
        self.driver = driver
        self.driver_name = driver.get_plugin_info().name  # type: ignore[attr-defined]
        self.name = f"csi-attacher/{self.driver_name}"
        self.finalizer = finalizer_name(self.driver_name)
        super().__init__(client, informers, tracer)
        self.attachments = self.informers.lister_for(RESOURCE)
        self.volumes = self.informers.lister_for("persistentvolumes")
        self.watch(RESOURCE)

    def __repr__(self) -> str:
        return f"<ExternalAttacher {self.driver_name} queue={len(self.queue)}>"

    def reconcile(self, key: str) -> float | None:
        try:
            va = self.attachments.get(None, key)
        except NotFound:
            return None
        if va["spec"].get("attacher") != self.driver_name:
            return None
        if va["metadata"].get("deletionTimestamp"):
            return self._detach(va)
        if (va.get("status") or {}).get("attached"):
            return None
        return self._attach(va)

    def _publishes(self) -> bool:
        caps = self.driver.controller_get_capabilities()  # type: ignore[attr-defined]
        return PUBLISH_UNPUBLISH_VOLUME in caps

    def _attach(self, va: Obj) -> float | None:
        if self.finalizer not in (va["metadata"].get("finalizers") or []):
            va = json_copy(va)
            va["metadata"].setdefault("finalizers", []).append(self.finalizer)
            va = self.client.update(RESOURCE, va)
        name = va["spec"]["source"].get("persistentVolumeName", "")
        try:
            pv = self.volumes.get(None, name)
        except NotFound:
            return 1.0
        context: dict[str, str] = {}
        if self._publishes():
            spec = pv["spec"]
            modes = spec.get("accessModes") or ["ReadWriteOnce"]
            try:
                context = self.driver.controller_publish_volume(
                    spec["csi"]["volumeHandle"],
                    va["spec"]["nodeName"],
                    volume_capability(modes[0], spec.get("volumeMode") or "Filesystem"),
                    bool(spec["csi"].get("readOnly")),
                    spec["csi"].get("volumeAttributes") or {},
                )
            except CSIError as error:
                status = {"attached": False, "attachError": self._error(str(error))}
                self._write_status(va, status)
                return None if error.code in FINAL_CODES else 10.0
        status = {"attached": True}
        if context:
            status["attachmentMetadata"] = context
        self._write_status(va, status)
        return None

    def _error(self, message: str) -> Obj:
        return {"time": self.loop.timestamp(), "message": message}

    def _write_status(self, va: Obj, status: Obj) -> None:
        try:
            self.client.update_status(RESOURCE, dict(va, status=status))
        except (NotFound, Conflict):
            pass

    def _detach(self, va: Obj) -> float | None:
        if self.finalizer not in (va["metadata"].get("finalizers") or []):
            return None
        name = va["spec"]["source"].get("persistentVolumeName", "")
        if self._publishes():
            try:
                handle = self.volumes.get(None, name)["spec"]["csi"]["volumeHandle"]
            except NotFound:
                handle = ""
            if handle:
                self.driver.controller_unpublish_volume(handle, va["spec"]["nodeName"])
        va = json_copy(va)
        va["metadata"]["finalizers"] = [
            f for f in va["metadata"]["finalizers"] if f != self.finalizer
        ]
        try:
            self.client.update(RESOURCE, va)
        except NotFound:
            pass
        return None
