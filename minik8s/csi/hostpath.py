"""The CSI host-path driver `hostpath.csi.k8s.io`, mirroring `kubernetes-csi/csi-driver-host-path`
(`pkg/hostpath/{controllerserver,identityserver}.go`; the Node service, `nodeserver.go`, is in
`hostpath_node`, the volumes and constants in `hostpath_volume`, all re-exported here).

Volume contents are in-memory file trees (relative path → content, the `str` contents the
simulated container filesystem uses) kept by volume id, so what one pod writes a later pod that
mounts the same volume reads. A local driver (the default) pins each volume to one node: the
topology segment `topology.hostpath.csi/node` the provisioner asks for, reported back as the
volume's accessible topology (the provisioner turns it into PV node affinity). `local=False`
simulates network storage reachable from every node. Left out: block devices, snapshots,
ephemeral inline volumes, per-node capacity, the real bind mounts.
"""

from __future__ import annotations

import uuid

from minik8s.csi.api import (
    ALREADY_EXISTS,
    CONTROLLER_SERVICE,
    CREATE_DELETE_VOLUME,
    EXPAND_VOLUME,
    FAILED_PRECONDITION,
    INVALID_ARGUMENT,
    NOT_FOUND,
    OUT_OF_RANGE,
    PUBLISH_UNPUBLISH_VOLUME,
    VOLUME_ACCESSIBILITY_CONSTRAINTS,
    CSIError,
    Obj,
    PluginInfo,
    Volume,
)
from minik8s.csi.hostpath_node import HostPathNode
from minik8s.csi.hostpath_volume import (
    DRIVER_NAME,
    GIB,
    ID_NAMESPACE,
    SINGLE_WRITER_MODES,
    TIB,
    TOPOLOGY_KEY,
    VENDOR_VERSION,
    HostPathVolume,
    access_mode,
)

__all__ = [
    "DRIVER_NAME",
    "GIB",
    "SINGLE_WRITER_MODES",
    "TIB",
    "TOPOLOGY_KEY",
    "VENDOR_VERSION",
    "HostPathDriver",
    "HostPathNode",
    "HostPathVolume",
    "access_mode",
]


class HostPathDriver:
    """Identity + Controller services over every volume; `node(name)` gives a Node service."""

    def __init__(
        self,
        name: str = DRIVER_NAME,
        *,
        local: bool = True,
        attach_required: bool = True,
        max_volume_size: int = TIB,
    ):
        self.name = name
        self.local = local
        self.attach_required = attach_required
        self.max_volume_size = max_volume_size
        self.volumes: dict[str, HostPathVolume] = {}
        self._nodes: dict[str, HostPathNode] = {}
        self._targets: dict[tuple[str, str], str] = {}  # (node, target path) → volume id

    def __repr__(self) -> str:
        return f"<HostPathDriver {self.name} volumes={len(self.volumes)} local={self.local}>"

    # -- identity --------------------------------------------------------------------------------
    def get_plugin_info(self) -> PluginInfo:
        return PluginInfo(self.name, VENDOR_VERSION)

    def get_plugin_capabilities(self) -> list[str]:
        caps = [CONTROLLER_SERVICE]
        return caps + [VOLUME_ACCESSIBILITY_CONSTRAINTS] if self.local else caps

    def probe(self) -> bool:
        return True

    # -- controller ------------------------------------------------------------------------------
    def controller_get_capabilities(self) -> list[str]:
        caps = [CREATE_DELETE_VOLUME, EXPAND_VOLUME]
        return caps + [PUBLISH_UNPUBLISH_VOLUME] if self.attach_required else caps

    def volume(self, volume_id: str) -> HostPathVolume:
        """The volume with this id; CSIError NotFound otherwise."""
        vol = self.volumes.get(volume_id)
        if vol is None:
            raise CSIError(NOT_FOUND, f"volume id {volume_id} does not exist in the volumes list")
        return vol

    def volume_named(self, name: str) -> HostPathVolume | None:
        """The volume CreateVolume made under `name` (its id derives from the name), if any."""
        return self.volumes.get(self._volume_id(name))

    def _volume_id(self, name: str) -> str:
        return str(uuid.uuid5(ID_NAMESPACE, f"{self.name}/{name}"))

    def volume_files(self, volume_id: str) -> dict[str, str]:
        """The live file tree of a volume (relative path → content); writes go into it."""
        return self.volume(volume_id).files

    def _capacity(self, capacity_range: Obj | None) -> int:
        capacity = int((capacity_range or {}).get("required_bytes") or 0)
        if capacity > self.max_volume_size:
            raise CSIError(
                OUT_OF_RANGE,
                f"Requested capacity {capacity} exceeds maximum allowed {self.max_volume_size}",
            )
        return capacity or GIB

    def _pick_node(self, requirements: Obj | None) -> str | None:
        if not self.local:
            return None
        for kind in ("preferred", "requisite"):
            for segment in (requirements or {}).get(kind) or []:
                if TOPOLOGY_KEY in segment:
                    return str(segment[TOPOLOGY_KEY])
        return None

    def create_volume(
        self,
        name: str,
        capacity_range: Obj | None = None,
        volume_capabilities: list[Obj] | None = None,
        parameters: dict[str, str] | None = None,
        accessibility_requirements: Obj | None = None,
    ) -> Volume:
        """Create (or, for the same name and size, return) a volume."""
        if not name:
            raise CSIError(INVALID_ARGUMENT, "Name missing in request")
        capacity = self._capacity(capacity_range)
        existing = self.volume_named(name)
        if existing is not None:
            if existing.capacity_bytes < capacity:
                raise CSIError(
                    ALREADY_EXISTS,
                    f"Volume with the same name: {name} but with different size already exist",
                )
            return self._describe(existing)
        volume_id = self._volume_id(name)
        vol = HostPathVolume(volume_id, name, capacity, self._pick_node(accessibility_requirements))
        self.volumes[volume_id] = vol
        return self._describe(vol)

    @staticmethod
    def _describe(vol: HostPathVolume) -> Volume:
        topology = [{TOPOLOGY_KEY: vol.node}] if vol.node else []
        return Volume(vol.volume_id, vol.capacity_bytes, {}, topology)

    def delete_volume(self, volume_id: str) -> None:
        """Delete a volume (a missing one is already deleted); refuse one still in use."""
        vol = self.volumes.get(volume_id)
        if vol is None:
            return
        if vol.attached or vol.staged or vol.published:
            raise CSIError(
                FAILED_PRECONDITION,
                f"Volume '{volume_id}' is still used (attached: {bool(vol.attached)}, staged: "
                f"{bool(vol.staged)}, published: {bool(vol.published)}) by "
                f"'{', '.join(sorted(vol.attached | set(vol.staged)))}' node",
            )
        del self.volumes[volume_id]

    def _check_node(self, vol: HostPathVolume, node_id: str) -> None:
        if vol.node is not None and vol.node != node_id:
            raise CSIError(
                NOT_FOUND, f"Not matching Node ID {node_id} to hostpath Node ID {vol.node}"
            )

    def controller_publish_volume(
        self,
        volume_id: str,
        node_id: str,
        volume_capability: Obj | None = None,
        readonly: bool = False,
        volume_context: dict[str, str] | None = None,
    ) -> dict[str, str]:
        """Attach a volume to a node; a single-node-writer volume to one node at a time."""
        vol = self.volume(volume_id)
        self._check_node(vol, node_id)
        mode = access_mode(volume_capability)
        others = vol.attached - {node_id}
        if mode in SINGLE_WRITER_MODES and others and not readonly:
            raise CSIError(
                FAILED_PRECONDITION,
                f"Volume {volume_id} is already published to node {sorted(others)[0]}",
            )
        vol.attached.add(node_id)
        return {"device": f"/dev/hostpath/{volume_id}"}

    def controller_unpublish_volume(self, volume_id: str, node_id: str) -> None:
        """Detach; detaching a missing volume or from another node is a no-op."""
        vol = self.volumes.get(volume_id)
        if vol is not None:
            vol.attached.discard(node_id)

    def controller_expand_volume(
        self, volume_id: str, capacity_range: Obj, volume_capability: Obj | None = None
    ) -> tuple[int, bool]:
        """Grow a volume; (new capacity, whether the node must grow its filesystem too)."""
        vol = self.volume(volume_id)
        capacity = self._capacity(capacity_range)
        vol.capacity_bytes = max(vol.capacity_bytes, capacity)
        return vol.capacity_bytes, bool(vol.staged or vol.published)

    # -- node ------------------------------------------------------------------------------------
    def node(self, node_id: str) -> HostPathNode:
        """The Node service of this driver on `node_id` (one per node, kept)."""
        if node_id not in self._nodes:
            self._nodes[node_id] = HostPathNode(self, node_id)
        return self._nodes[node_id]
