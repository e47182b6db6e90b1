"""The attach/detach controller's CSI path, mirroring `pkg/controller/volume/attachdetach`
(`reconciler.go`, `reportMultiAttachError`).

It wants one `VolumeAttachment` per CSI volume used by a scheduled, unfinished pod on its node,
creates the missing ones and deletes those no pod needs. A ReadWriteOnce volume already attached
to another node is refused with upstream's `Multi-Attach error` event (naming the pods of the
claim's namespace that hold it); once attached, the pods on the node get
`SuccessfulAttachVolume`. Left out: CSIDriver `attachRequired` (every CSI volume is attached),
`node.status.volumesAttached`/`volumesInUse`, inline CSI volumes.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.errors import AlreadyExists, NotFound
from minik8s.client.cache import NODE_NAME_INDEX, ensure_index
from minik8s.controllers import pv_util as util
from minik8s.controllers.base import Controller
from minik8s.csi.api import Obj
from minik8s.csi.volumeattachment import RESOURCE, TERMINAL_PHASES, is_exclusive, volume_attachment

CLAIM_INDEX = "claims"  # pods by `<namespace>/<claim name>` of their claim volumes
CLAIM_POD_NODE_INDEX = "claimPodsByNode"  # pods that have claim volumes, by node
PV_INDEX = "spec.source.persistentVolumeName"  # VolumeAttachments by PV name


def pod_claims_index(pod: Obj) -> list[str]:
    """Index function: the `<namespace>/<claim>` keys of a pod's claims."""
    namespace = pod["metadata"].get("namespace", "")
    return [f"{namespace}/{name}" for name in util.pod_claim_names(pod)]


def claim_pod_node_index(pod: Obj) -> list[str]:
    """Index function: the node of a scheduled pod that has claims (others are not indexed)."""
    node = pod.get("spec", {}).get("nodeName")
    return [node] if node and util.pod_claim_names(pod) else []


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

    Index-driven: pods with claims by node, pods by claim, attachments by node and by PV, so
    one event costs the pods with claims of one node, not a scan of every pod."""

    name = "attachdetach-controller"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        pods = self.informers.informer_for("pods").indexer
        ensure_index(pods, CLAIM_INDEX, pod_claims_index)
        ensure_index(pods, CLAIM_POD_NODE_INDEX, claim_pod_node_index)
        attachments = self.informers.informer_for(RESOURCE).indexer
        ensure_index(attachments, NODE_NAME_INDEX, attachment_node_index)
        ensure_index(attachments, PV_INDEX, attachment_pv_index)
        self.pod_index, self.attachment_index = pods, attachments
        self._reported: set[str] = set()  # attachments whose success the pods were told
        self.claims = self.informers.lister_for("persistentvolumeclaims")
        self.volumes = self.informers.lister_for("persistentvolumes")
        # upstream's podAdd/podUpdate/podDelete act on a scheduled pod's attachable volumes
        # only (`ProcessPodVolumes`): here its claims, so a pod without any wakes nothing
        self.watch("pods", claim_pod_node_index)
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
        """Attachment name → (pv, the pods needing it) for the pods on `node`: only the pods
        with claims are visited (upstream's populator skips pods without attachable volumes),
        so the other pods of a node cost nothing here."""
        wanted: dict[str, tuple[Obj, list[Obj]]] = {}
        for pod in self.pod_index.by_index(CLAIM_POD_NODE_INDEX, node):
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
