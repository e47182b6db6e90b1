"""Attaching CSI volumes to nodes: the attach/detach controller's CSI path
(`pkg/controller/volume/attachdetach`, `pkg/volume/csi/csi_attacher.go`) and the
external-attacher sidecar (`kubernetes-csi/external-attacher`, `pkg/controller/csi_handler.go`).

The attach/detach controller wants one `VolumeAttachment` (`storage.k8s.io/v1`, named
`csi-<sha256(volumeHandle + driver + node)>`) per CSI volume used by a scheduled, unfinished pod
on its node, creates the missing ones and deletes those no pod needs. A ReadWriteOnce volume
already attached to another node is refused with upstream's `Multi-Attach error` event (naming
the pods of the claim's namespace that hold it, `reportMultiAttachError`); once attached, the
pods on the node get `SuccessfulAttachVolume`. The
external attacher of the driver calls `controller_publish_volume` and sets `status.attached`;
on deletion it calls `controller_unpublish_volume` and drops its finalizer. The kubelet waits for
`status.attached` before staging (`is_attached`). Left out: CSIDriver `attachRequired` (every
CSI volume is attached; a driver without PUBLISH_UNPUBLISH_VOLUME is marked attached at once),
`node.status.volumesAttached`/`volumesInUse`, inline CSI volumes, the PV attacher finalizer.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from minik8s.api.errors import AlreadyExists, Conflict, NotFound
from minik8s.api.meta import json_copy
from minik8s.client.cache import NODE_NAME_INDEX, ensure_index, node_name_index
from minik8s.controllers import pv_util as util
from minik8s.controllers.base import Controller
from minik8s.csi.api import (
    FINAL_CODES,
    PUBLISH_UNPUBLISH_VOLUME,
    ControllerServer,
    CSIError,
    Obj,
    volume_capability,
)

RESOURCE = "volumeattachments"
TERMINAL_PHASES = ("Succeeded", "Failed")


def attachment_name(volume_handle: str, driver: str, node: str) -> str:
    """upstream `getAttachmentName`: `csi-` + sha256 of handle, driver and node."""
    digest = hashlib.sha256(f"{volume_handle}{driver}{node}".encode()).hexdigest()
    return f"csi-{digest}"


def finalizer_name(driver: str) -> str:
    """upstream `GetFinalizerName`: `external-attacher/<driver, sanitized>`."""
    return "external-attacher/" + re.sub(r"[^a-zA-Z0-9-]", "-", driver)


def volume_attachment(pv: Obj, node: str) -> Obj:
    """The VolumeAttachment the attach/detach controller creates for `pv` on `node`."""
    csi = pv["spec"]["csi"]
    return {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "VolumeAttachment",
        "metadata": {"name": attachment_name(csi["volumeHandle"], csi["driver"], node)},
        "spec": {
            "attacher": csi["driver"],
            "nodeName": node,
            "source": {"persistentVolumeName": pv["metadata"]["name"]},
        },
    }


def is_attached(client: Any, pv: Obj, node: str) -> bool:
    """Whether the CSI volume of `pv` is attached to `node` (the kubelet's WaitForAttach)."""
    csi = pv["spec"]["csi"]
    try:
        va = client.get(RESOURCE, attachment_name(csi["volumeHandle"], csi["driver"], node))
    except NotFound:
        return False
    return bool((va.get("status") or {}).get("attached"))


def is_exclusive(pv: Obj) -> bool:
    """A volume only one node may attach: ReadWriteOnce(Pod) without a multi-node mode."""
    modes = set(pv.get("spec", {}).get("accessModes") or [])
    return not modes & {"ReadOnlyMany", "ReadWriteMany"}


CLAIM_INDEX = "claims"  # pods by `<namespace>/<claim name>` of their claim volumes
PV_INDEX = "spec.source.persistentVolumeName"  # VolumeAttachments by PV name


def pod_claims_index(pod: Obj) -> list[str]:
    """Index function: the `<namespace>/<claim>` keys of a pod's claims."""
    namespace = pod["metadata"].get("namespace", "")
    return [f"{namespace}/{name}" for name in util.pod_claim_names(pod)]


def attachment_node_index(va: Obj) -> list[str]:
    """Index function: a VolumeAttachment's node."""
    node = va.get("spec", {}).get("nodeName")
    return [node] if node else []


def attachment_pv_index(va: Obj) -> list[str]:
    """Index function: the PV a VolumeAttachment attaches."""
    name = va.get("spec", {}).get("source", {}).get("persistentVolumeName")
    return [name] if name else []


class AttachDetachController(Controller):
    """Keeps one VolumeAttachment per (CSI volume, node) some running pod needs (key: node).

    Index-driven: pods by node and by claim, attachments by node and by PV, so one event costs
    the pods of one node, not a scan of every pod."""

    name = "attachdetach-controller"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        pods = self.informers.informer_for("pods").indexer
        ensure_index(pods, NODE_NAME_INDEX, node_name_index)
        ensure_index(pods, CLAIM_INDEX, pod_claims_index)
        attachments = self.informers.informer_for(RESOURCE).indexer
        ensure_index(attachments, NODE_NAME_INDEX, attachment_node_index)
        ensure_index(attachments, PV_INDEX, attachment_pv_index)
        self.pod_index, self.attachment_index = pods, attachments
        self._reported: set[str] = set()  # attachments whose success the pods were told
        self.claims = self.informers.lister_for("persistentvolumeclaims")
        self.volumes = self.informers.lister_for("persistentvolumes")
        self.watch("pods", lambda p: p.get("spec", {}).get("nodeName") or None)
        self.watch(RESOURCE, self._attachment_nodes)
        self.watch("persistentvolumeclaims", self._claim_nodes)

    def _nodes_using(self, claim_key: str) -> list[str]:
        pods = self.pod_index.by_index(CLAIM_INDEX, claim_key)
        return sorted({p["spec"]["nodeName"] for p in pods if p.get("spec", {}).get("nodeName")})

    def _claim_nodes(self, claim: Obj) -> list[str]:
        meta = claim["metadata"]
        return self._nodes_using(f"{meta.get('namespace', '')}/{meta['name']}")

    def _attachment_nodes(self, va: Obj) -> list[str]:
        """The attachment's node, and (a detach may free an exclusive volume) the nodes of the
        pods that use its PV."""
        nodes = attachment_node_index(va)
        try:
            ref = self.volumes.get(None, attachment_pv_index(va)[0])["spec"].get("claimRef")
        except (NotFound, IndexError):
            ref = None
        if ref:
            nodes += self._nodes_using(f"{ref.get('namespace', '')}/{ref.get('name', '')}")
        return sorted(set(nodes))

    def _pv_of(self, pod: Obj, claim_name: str) -> Obj | None:
        try:
            claim = self.claims.get(pod["metadata"].get("namespace", ""), claim_name)
            name = claim.get("spec", {}).get("volumeName")
            pv = self.volumes.get(None, name) if name else None
        except NotFound:
            return None
        return pv if pv is not None and pv.get("spec", {}).get("csi") else None

    def desired(self, node: str) -> dict[str, tuple[Obj, list[Obj]]]:
        """Attachment name → (pv, the pods needing it) for the pods on `node`."""
        wanted: dict[str, tuple[Obj, list[Obj]]] = {}
        for pod in self.pod_index.by_index(NODE_NAME_INDEX, node):
            if (pod.get("status") or {}).get("phase") in TERMINAL_PHASES:
                continue
            for claim_name in util.pod_claim_names(pod):
                pv = self._pv_of(pod, claim_name)
                if pv is not None:
                    name = volume_attachment(pv, node)["metadata"]["name"]
                    wanted.setdefault(name, (pv, []))[1].append(pod)
        return wanted

    def reconcile(self, key: str) -> float | None:
        wanted = self.desired(key)
        existing = {
            va["metadata"]["name"]: va
            for va in self.attachment_index.by_index(NODE_NAME_INDEX, key)
        }
        for name, (pv, pods) in sorted(wanted.items()):
            if name not in existing:
                self._attach(pv, pods, key)
            else:
                self._report_attached(existing[name], pv, pods)
        for name, va in sorted(existing.items()):
            if name not in wanted and not va["metadata"].get("deletionTimestamp"):
                try:
                    self.client.delete(RESOURCE, name)
                except NotFound:
                    pass
        return None

    def _report_attached(self, va: Obj, pv: Obj, pods: list[Obj]) -> None:
        """`SuccessfulAttachVolume` on the pods, once per attachment."""
        uid = va["metadata"].get("uid", "")
        if not (va.get("status") or {}).get("attached") or uid in self._reported:
            return
        self._reported.add(uid)
        message = f'AttachVolume.Attach succeeded for volume "{pv["metadata"]["name"]}" '
        for pod in pods:
            self.recorder.event(pod, "Normal", "SuccessfulAttachVolume", message)

    def _attach(self, pv: Obj, pods: list[Obj], node: str) -> None:
        pv_name = pv["metadata"]["name"]
        if is_exclusive(pv):
            elsewhere = sorted(
                va["spec"].get("nodeName", "")
                for va in self.attachment_index.by_index(PV_INDEX, pv_name)
                if va["spec"].get("nodeName") != node
            )
            if elsewhere:
                self._report_multi_attach_error(pv, pods, elsewhere)
                return
        try:
            self.client.create(RESOURCE, volume_attachment(pv, node))
        except AlreadyExists:
            pass

    def _report_multi_attach_error(self, pv: Obj, pods: list[Obj], nodes: list[str]) -> None:
        """upstream `reportMultiAttachError`: each waiting pod learns which pods of its own
        namespace hold the volume (and how many of other namespaces)."""
        ref = pv["spec"].get("claimRef") or {}
        key = f"{ref.get('namespace', '')}/{ref.get('name', '')}"
        holders = [
            p
            for p in self.pod_index.by_index(CLAIM_INDEX, key)
            if p.get("spec", {}).get("nodeName") in nodes
            and (p.get("status") or {}).get("phase") not in TERMINAL_PHASES
        ]
        prefix = f'Multi-Attach error for volume "{pv["metadata"]["name"]}" '
        for pod in pods:
            why = multi_attach_message(pod["metadata"].get("namespace", ""), holders)
            self.recorder.event(pod, "Warning", "FailedAttachVolume", prefix + why)


def multi_attach_message(namespace: str, holders: list[Obj]) -> str:
    """The reason part of upstream's Multi-Attach error for a pod of `namespace`."""
    if not holders:
        return "Volume is already exclusively attached to one node and can't be attached to another"
    local = sorted(
        p["metadata"]["name"] for p in holders if p["metadata"].get("namespace") == namespace
    )
    others = len(holders) - len(local)
    if not local:
        return f"Volume is already used by {others} pod(s) in different namespaces"
    message = f"Volume is already used by pod(s) {', '.join(local)}"
    return message + (f" and {others} pod(s) in different namespaces" if others else "")


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
