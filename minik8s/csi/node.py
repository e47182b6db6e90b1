"""The kubelet's CSI volume calls, mirroring `pkg/volume/csi/csi_attacher.go` (`WaitForAttach`,
`MountDevice` → NodeStageVolume, `UnmountDevice` → NodeUnstageVolume) and
`pkg/volume/csi/csi_mounter.go` (`SetUp` → NodePublishVolume, `TearDown` → NodeUnpublishVolume).

`mount_volume(client, node, pod, pv)` returns the file tree the container runtime mounts (writes
go into the volume); `unmount_volume` undoes it, unstaging when no other pod on the node
uses the volume. Errors carry the kubelet's event wording (reason `FailedMount`/
`FailedAttachVolume`). Left out: block volumes, fsGroup, SELinux, the volume manager's loops
(the kubelet owns them), `node.status.volumesInUse`.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

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


def mount_volume(
    client: Any, node: NodeServer, pod: Obj, pv: Obj, readonly: bool = False
) -> MutableMapping[str, str]:
    """Wait for attach, stage once per node, publish for the pod; the volume's files."""
    csi, spec = pv["spec"]["csi"], pv["spec"]
    node_name = node.node_get_info().node_id
    pv_name = pv["metadata"]["name"]
    if not is_attached(client, pv, node_name):
        raise VolumeNotReady(
            "FailedMount",
            f'MountVolume.WaitForAttach failed for volume "{pv_name}" : volume attachment is '
            "being created",
        )
    modes = spec.get("accessModes") or ["ReadWriteOnce"]
    capability = volume_capability(
        modes[0], spec.get("volumeMode") or "Filesystem", csi.get("fsType", "")
    )
    staging = staging_target_path(csi["driver"], csi["volumeHandle"])
    target = target_path(pod["metadata"]["uid"], pv_name)
    try:
        node.node_stage_volume(
            csi["volumeHandle"], staging, capability, {}, csi.get("volumeAttributes")
        )
        node.node_publish_volume(
            csi["volumeHandle"], target, staging, capability, readonly or bool(csi.get("readOnly"))
        )
    except CSIError as error:
        raise VolumeNotReady(
            "FailedMount", f'MountVolume.SetUp failed for volume "{pv_name}" : {error}'
        ) from None
    return node.files_at(target)  # type: ignore[attr-defined, no-any-return]


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
