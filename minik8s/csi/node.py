"""The kubelet's CSI volume calls, mirroring `pkg/volume/csi/csi_attacher.go` (`WaitForAttach`,
`MountDevice` → NodeStageVolume, `UnmountDevice` → NodeUnstageVolume),
`pkg/volume/csi/csi_mounter.go` (`SetUp` → NodePublishVolume, `TearDown` → NodeUnpublishVolume)
and, in `NodeVolumes`, the CSI part of the volume manager's actual state of world
(`pkg/kubelet/volumemanager/cache/actual_state_of_world.go`): a volume is staged once per node
and published once per pod, and unstaged when its last pod on the node goes.

`mount_volume(client, node, pod, pv)` returns the file tree the container runtime mounts (writes
go into the volume); `unmount_volume` undoes it. Errors carry the kubelet's event wording
(`VolumeNotAttached` while the VolumeAttachment is not `attached`; otherwise reason
`FailedMount`). Left out: block volumes, fsGroup, SELinux, `node.status.volumesInUse` and
`volumesAttached` (the kubelet reads the VolumeAttachment itself, like `WaitForAttach`),
reconstruction of mounts after a kubelet restart (the records live on the machine's disks),
CSIDriver objects (`attachRequired`, `podInfoOnMount`).

`NodeVolumes.expand_in_use(client, claim, pv)` is the volume manager's online expansion
(`operation_generator.go` `GenerateExpandInUseVolumeFunc` → `nodeExpandVolume` →
`legacyCallNodeExpandOnPlugin`): for a staged volume whose PV capacity exceeds the claim's
`status.capacity`, NodeExpandVolume, then `MarkFSResizeFinished`; it returns the message of the
`FileSystemResizeSuccessful` events the kubelet records on the pod and the claim. A driver error
is `VolumeNotReady` with reason `VolumeResizeFailed` (upstream's `eventRecorderFunc`).
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from minik8s.api.errors import StatusError
from minik8s.csi.api import (
    CSIError,
    NodeServer,
    Obj,
    staging_target_path,
    target_path,
    volume_capability,
)
from minik8s.csi.attacher import is_attached


class VolumeNotReady(Exception):
    """The volume cannot be mounted yet: `reason` and `message` for the pod's event."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


class VolumeNotAttached(VolumeNotReady):
    """The VolumeAttachment of (PV, node) does not report `attached: true` yet."""


def _capability(pv: Obj) -> Obj:
    spec = pv["spec"]
    modes = spec.get("accessModes") or ["ReadWriteOnce"]
    fs_type = spec["csi"].get("fsType", "")
    return volume_capability(modes[0], spec.get("volumeMode") or "Filesystem", fs_type)


def wait_for_attach(client: Any, pv: Obj, node_name: str) -> None:
    """Raise `VolumeNotAttached` unless the volume's attachment to the node is done."""
    if not is_attached(client, pv, node_name):
        raise VolumeNotAttached(
            "FailedMount",
            f'MountVolume.WaitForAttach failed for volume "{pv["metadata"]["name"]}" : volume '
            "attachment is being created",
        )


def stage_volume(node: NodeServer, pv: Obj) -> None:
    """NodeStageVolume (the attacher's `MountDevice`); `VolumeNotReady` on a driver error."""
    csi = pv["spec"]["csi"]
    staging = staging_target_path(csi["driver"], csi["volumeHandle"])
    try:
        node.node_stage_volume(
            csi["volumeHandle"], staging, _capability(pv), {}, csi.get("volumeAttributes")
        )
    except CSIError as error:
        message = f'MountVolume.MountDevice failed for volume "{pv["metadata"]["name"]}" : {error}'
        raise VolumeNotReady("FailedMount", message) from None


def publish_volume(
    node: NodeServer, pod: Obj, pv: Obj, readonly: bool = False
) -> MutableMapping[str, str]:
    """NodePublishVolume (the mounter's `SetUp`); the files the pod sees."""
    csi, pv_name = pv["spec"]["csi"], pv["metadata"]["name"]
    staging = staging_target_path(csi["driver"], csi["volumeHandle"])
    target = target_path(pod["metadata"]["uid"], pv_name)
    try:
        node.node_publish_volume(
            csi["volumeHandle"],
            target,
            staging,
            _capability(pv),
            readonly or bool(csi.get("readOnly")),
            volume_context=csi.get("volumeAttributes"),
        )
    except CSIError as error:
        message = f'MountVolume.SetUp failed for volume "{pv_name}" : {error}'
        raise VolumeNotReady("FailedMount", message) from None
    return node.files_at(target)  # type: ignore[attr-defined, no-any-return]


def mount_volume(
    client: Any, node: NodeServer, pod: Obj, pv: Obj, readonly: bool = False
) -> MutableMapping[str, str]:
    """Wait for attach, stage, publish for the pod; the volume's files."""
    wait_for_attach(client, pv, node.node_get_info().node_id)
    stage_volume(node, pv)
    return publish_volume(node, pod, pv, readonly)


def unmount_volume(node: NodeServer, pod: Obj, pv: Obj, last_on_node: bool) -> None:
    """Unpublish for the pod; unstage too when no other pod on the node still uses it."""
    csi = pv["spec"]["csi"]
    node.node_unpublish_volume(
        csi["volumeHandle"], target_path(pod["metadata"]["uid"], pv["metadata"]["name"])
    )
    if last_on_node:
        node.node_unstage_volume(
            csi["volumeHandle"], staging_target_path(csi["driver"], csi["volumeHandle"])
        )


def unique_volume_name(pv: Obj) -> str:
    """upstream's unique name of a CSI volume: `kubernetes.io/csi/<driver>^<handle>`."""
    csi = pv["spec"]["csi"]
    return f"kubernetes.io/csi/{csi['driver']}^{csi['volumeHandle']}"


class NodeVolumes:
    """One node's CSI drivers (Node services by driver name) and what it staged and published."""

    def __init__(self, node_name: str, drivers: dict[str, NodeServer] | None = None):
        self.node_name = node_name
        self.drivers: dict[str, NodeServer] = dict(drivers or {})
        self.staged: dict[str, Obj] = {}  # unique volume name → PV
        self.published: dict[str, dict[str, Obj]] = {}  # pod uid → PV name → PV

    def __repr__(self) -> str:
        pods = sum(len(v) for v in self.published.values())
        return (
            f"<NodeVolumes {self.node_name} drivers={sorted(self.drivers)} "
            f"staged={len(self.staged)} published={pods}>"
        )

    def driver(self, pv: Obj) -> NodeServer:
        """The Node service of the PV's driver; `VolumeNotReady` when none is registered."""
        name = pv["spec"]["csi"]["driver"]
        node = self.drivers.get(name)
        if node is None:
            raise VolumeNotReady(
                "FailedMount",
                f'MountVolume.MountDevice failed for volume "{pv["metadata"]["name"]}" : '
                "kubernetes.io/csi: attacher.MountDevice failed to create newCsiDriverClient: "
                f"driver name {name} not found in the list of registered CSI drivers",
            )
        return node

    def mount(
        self, client: Any, pod: Obj, pv: Obj, readonly: bool = False
    ) -> MutableMapping[str, str]:
        """WaitForAttach, NodeStage once per node, NodePublish for the pod; the files."""
        wait_for_attach(client, pv, self.node_name)
        node = self.driver(pv)
        unique = unique_volume_name(pv)
        if unique not in self.staged:
            stage_volume(node, pv)
            self.staged[unique] = pv
        files = publish_volume(node, pod, pv, readonly)
        self.published.setdefault(pod["metadata"]["uid"], {})[pv["metadata"]["name"]] = pv
        return files

    def users(self, unique: str) -> list[str]:
        """Uids of the pods on this node that have the volume published."""
        return [
            uid
            for uid, pvs in self.published.items()
            if any(unique_volume_name(pv) == unique for pv in pvs.values())
        ]

    def unmount_pod(self, pod_uid: str) -> list[str]:
        """NodeUnpublish every volume of a pod that is gone, NodeUnstage those it was the last
        user of on this node; the PV names unmounted."""
        pvs = self.published.pop(pod_uid, {})
        for pv in pvs.values():
            node = self.drivers.get(pv["spec"]["csi"]["driver"])
            if node is None:
                continue
            unique = unique_volume_name(pv)
            last = not self.users(unique)
            unmount_volume(node, {"metadata": {"uid": pod_uid}}, pv, last_on_node=last)
            if last:
                self.staged.pop(unique, None)
        return list(pvs)

    def expand_in_use(self, client: Any, claim: Obj, pv: Obj) -> str | None:
        """Online expansion of a volume staged here: NodeExpandVolume, then the claim's capacity
        and conditions; the `FileSystemResizeSuccessful` message, or None if nothing to do."""
        from minik8s.controllers.pv_util import storage_of, volume_capacity
        from minik8s.csi.resizer import mark_fs_resize_finished

        status_capacity = storage_of((claim.get("status") or {}).get("capacity"))
        if volume_capacity(pv).cmp(status_capacity) <= 0:
            return None  # upstream: `NewSize.Cmp(OldSize) > 0` (PV spec vs claim status)
        if unique_volume_name(pv) not in self.staged:
            return None
        node, csi, name = self.driver(pv), pv["spec"]["csi"], pv["metadata"]["name"]
        try:
            node.node_expand_volume(
                csi["volumeHandle"], staging_target_path(csi["driver"], csi["volumeHandle"])
            )
        except CSIError as error:
            message = f'NodeExpandVolume.NodeExpandVolume failed for volume "{name}" : {error}'
            raise VolumeNotReady("VolumeResizeFailed", message) from None
        try:
            mark_fs_resize_finished(client, claim, pv["spec"]["capacity"]["storage"])
        except StatusError as error:  # retried at the next sync; NodeExpandVolume is idempotent
            message = (
                f'NodeExpandVolume.NodeExpandVolume failed for volume "{name}" : '
                f"mountVolume.NodeExpandVolume update PVC status failed : {error}"
            )
            raise VolumeNotReady("VolumeResizeFailed", message) from None
        return f'MountVolume.NodeExpandVolume succeeded for volume "{name}" {self.node_name}'
