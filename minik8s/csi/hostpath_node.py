"""The host-path driver's Node service, mirroring `kubernetes-csi/csi-driver-host-path`
`pkg/hostpath/nodeserver.go` (`NodeStageVolume`, `NodePublishVolume`, `NodeExpandVolume`,
`NodeGetInfo`).

Staging and publishing are bookkeeping on the volume (no real mounts); `files_at` shows a pod
the file tree published at its target path. Leaves out: block volumes, ephemeral inline
volumes, `NodeGetVolumeStats`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from minik8s.csi.api import (
    EXPAND_VOLUME,
    FAILED_PRECONDITION,
    INVALID_ARGUMENT,
    NOT_FOUND,
    STAGE_UNSTAGE_VOLUME,
    CSIError,
    NodeInfo,
    Obj,
    PluginInfo,
)
from minik8s.csi.hostpath_volume import TOPOLOGY_KEY, HostPathVolume, access_mode

if TYPE_CHECKING:
    from minik8s.csi.hostpath import HostPathDriver


class HostPathNode:
    """The Node service of the host-path driver on one node."""

    def __init__(self, driver: HostPathDriver, node_id: str):
        self.driver = driver
        self.node_id = node_id

    def __repr__(self) -> str:
        return f"<HostPathNode {self.driver.name} on {self.node_id}>"

    def get_plugin_info(self) -> PluginInfo:
        return self.driver.get_plugin_info()

    def get_plugin_capabilities(self) -> list[str]:
        return self.driver.get_plugin_capabilities()

    def probe(self) -> bool:
        return True

    def node_get_capabilities(self) -> list[str]:
        return [STAGE_UNSTAGE_VOLUME, EXPAND_VOLUME]

    def node_get_info(self) -> NodeInfo:
        topology = {TOPOLOGY_KEY: self.node_id} if self.driver.local else None
        return NodeInfo(self.node_id, 0, topology)

    def _volume(self, volume_id: str) -> HostPathVolume:
        vol = self.driver.volume(volume_id)
        self.driver._check_node(vol, self.node_id)
        return vol

    def node_stage_volume(
        self,
        volume_id: str,
        staging_target_path: str,
        volume_capability: Obj | None = None,
        publish_context: dict[str, str] | None = None,
        volume_context: dict[str, str] | None = None,
    ) -> None:
        """Stage (format + mount once per node); the volume must be attached here first."""
        if not staging_target_path:
            raise CSIError(INVALID_ARGUMENT, "Staging Target Path missing in request")
        vol = self._volume(volume_id)
        if self.driver.attach_required and self.node_id not in vol.attached:
            raise CSIError(
                FAILED_PRECONDITION,
                f"volume {volume_id} is not published to node {self.node_id}",
            )
        vol.staged[self.node_id] = staging_target_path

    def node_unstage_volume(self, volume_id: str, staging_target_path: str) -> None:
        """Unstage; a missing volume or stage is a no-op."""
        vol = self.driver.volumes.get(volume_id)
        if vol is not None:
            vol.staged.pop(self.node_id, None)

    def node_publish_volume(
        self,
        volume_id: str,
        target_path: str,
        staging_target_path: str = "",
        volume_capability: Obj | None = None,
        readonly: bool = False,
        publish_context: dict[str, str] | None = None,
        volume_context: dict[str, str] | None = None,
    ) -> None:
        """Publish (bind-mount for one pod); a single-writer-pod volume for one pod only."""
        if not target_path:
            raise CSIError(INVALID_ARGUMENT, "Target path missing in request")
        vol = self._volume(volume_id)
        if vol.staged.get(self.node_id) != staging_target_path:
            raise CSIError(
                FAILED_PRECONDITION,
                f"volume {volume_id} has not been staged to {staging_target_path}",
            )
        mode = access_mode(volume_capability)
        others = set(vol.published) - {target_path}
        if mode == "SINGLE_NODE_SINGLE_WRITER" and others:
            raise CSIError(
                FAILED_PRECONDITION,
                f"Cannot publish volume {volume_id}: it is already published at another path",
            )
        vol.published[target_path] = self.node_id
        self.driver._targets[self.node_id, target_path] = volume_id

    def node_unpublish_volume(self, volume_id: str, target_path: str) -> None:
        """Unpublish; a missing volume or target is a no-op."""
        vol = self.driver.volumes.get(volume_id)
        if vol is not None:
            vol.published.pop(target_path, None)
        if self.driver._targets.get((self.node_id, target_path)) == volume_id:
            del self.driver._targets[self.node_id, target_path]

    def node_expand_volume(
        self, volume_id: str, volume_path: str, capacity_range: Obj | None = None
    ) -> int:
        """Grow the filesystem to the volume's size; returns it."""
        return self._volume(volume_id).capacity_bytes

    def files_at(self, target_path: str) -> dict[str, str]:
        """The files of the volume published at `target_path` (what the pod's mount shows)."""
        vol = self.driver.volumes.get(self.driver._targets.get((self.node_id, target_path), ""))
        if vol is not None and vol.published.get(target_path) == self.node_id:
            return vol.files
        raise CSIError(NOT_FOUND, f"nothing is published at {target_path}")
