"""The CSI services as Protocols, mirroring `container-storage-interface/spec` (`csi.proto`):
Identity, Controller and Node, with the RPCs and field names in snake_case.

Requests are keyword arguments named after the proto fields; responses are small dataclasses
with the proto's field names. Errors are `CSIError` with a gRPC status code, worded like the
sidecars print them (`rpc error: code = NotFound desc = ...`). Left out: snapshots, volume
groups, ListVolumes/GetCapacity, secrets, the gRPC transport itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

Obj = dict[str, Any]
Topology = dict[str, str]  # a topology segment: key → value

# gRPC codes the CSI spec uses.
OK = "OK"
NOT_FOUND = "NotFound"
ALREADY_EXISTS = "AlreadyExists"
INVALID_ARGUMENT = "InvalidArgument"
FAILED_PRECONDITION = "FailedPrecondition"
OUT_OF_RANGE = "OutOfRange"
RESOURCE_EXHAUSTED = "ResourceExhausted"
FINAL_CODES = frozenset({INVALID_ARGUMENT, OUT_OF_RANGE, ALREADY_EXISTS, NOT_FOUND})

# Capabilities (enum names of the proto).
CONTROLLER_SERVICE = "CONTROLLER_SERVICE"
VOLUME_ACCESSIBILITY_CONSTRAINTS = "VOLUME_ACCESSIBILITY_CONSTRAINTS"
CREATE_DELETE_VOLUME = "CREATE_DELETE_VOLUME"
PUBLISH_UNPUBLISH_VOLUME = "PUBLISH_UNPUBLISH_VOLUME"
EXPAND_VOLUME = "EXPAND_VOLUME"
STAGE_UNSTAGE_VOLUME = "STAGE_UNSTAGE_VOLUME"

# Access modes of a VolumeCapability, and the Kubernetes access modes they come from.
ACCESS_MODES = {
    "ReadWriteOnce": "SINGLE_NODE_WRITER",
    "ReadWriteOncePod": "SINGLE_NODE_SINGLE_WRITER",
    "ReadOnlyMany": "MULTI_NODE_READER_ONLY",
    "ReadWriteMany": "MULTI_NODE_MULTI_WRITER",
}


class CSIError(Exception):
    """A failed RPC: a gRPC `code` and a description."""

    def __init__(self, code: str, message: str):
        super().__init__(f"rpc error: code = {code} desc = {message}")
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"CSIError({self.code!r}, {self.message!r})"


@dataclass(frozen=True)
class PluginInfo:
    """GetPluginInfoResponse."""

    name: str
    vendor_version: str
    manifest: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Volume:
    """csi.Volume as CreateVolume returns it."""

    volume_id: str
    capacity_bytes: int
    volume_context: dict[str, str] = field(default_factory=dict)
    accessible_topology: list[Topology] = field(default_factory=list)


@dataclass(frozen=True)
class NodeInfo:
    """NodeGetInfoResponse."""

    node_id: str
    max_volumes_per_node: int = 0
    accessible_topology: Topology | None = None


def volume_capability(access_mode: str, volume_mode: str = "Filesystem", fs_type: str = "") -> Obj:
    """A VolumeCapability for one Kubernetes access mode (`mount` or `block` access type)."""
    access_type: Obj = {"block": {}} if volume_mode == "Block" else {"mount": {"fs_type": fs_type}}
    return {**access_type, "access_mode": {"mode": ACCESS_MODES.get(access_mode, "UNKNOWN")}}


class IdentityServer(Protocol):
    """The Identity service every plugin serves."""

    def get_plugin_info(self) -> PluginInfo: ...

    def get_plugin_capabilities(self) -> list[str]: ...

    def probe(self) -> bool: ...


class ControllerServer(Protocol):
    """The Controller service (runs once per cluster, next to the sidecars)."""

    def controller_get_capabilities(self) -> list[str]: ...

    def create_volume(
        self,
        name: str,
        capacity_range: Obj | None = None,
        volume_capabilities: list[Obj] | None = None,
        parameters: dict[str, str] | None = None,
        accessibility_requirements: Obj | None = None,
    ) -> Volume: ...

    def delete_volume(self, volume_id: str) -> None: ...

    def controller_publish_volume(
        self,
        volume_id: str,
        node_id: str,
        volume_capability: Obj | None = None,
        readonly: bool = False,
        volume_context: dict[str, str] | None = None,
    ) -> dict[str, str]: ...

    def controller_unpublish_volume(self, volume_id: str, node_id: str) -> None: ...

    def controller_expand_volume(
        self, volume_id: str, capacity_range: Obj, volume_capability: Obj | None = None
    ) -> tuple[int, bool]: ...


class NodeServer(Protocol):
    """The Node service (runs on every node; the kubelet calls it)."""

    def node_get_capabilities(self) -> list[str]: ...

    def node_get_info(self) -> NodeInfo: ...

    def node_stage_volume(
        self,
        volume_id: str,
        staging_target_path: str,
        volume_capability: Obj | None = None,
        publish_context: dict[str, str] | None = None,
        volume_context: dict[str, str] | None = None,
    ) -> None: ...

    def node_unstage_volume(self, volume_id: str, staging_target_path: str) -> None: ...

    def node_publish_volume(
        self,
        volume_id: str,
        target_path: str,
        staging_target_path: str = "",
        volume_capability: Obj | None = None,
        readonly: bool = False,
        publish_context: dict[str, str] | None = None,
        volume_context: dict[str, str] | None = None,
    ) -> None: ...

    def node_unpublish_volume(self, volume_id: str, target_path: str) -> None: ...

    def node_expand_volume(
        self, volume_id: str, volume_path: str, capacity_range: Obj | None = None
    ) -> int: ...


def staging_target_path(driver: str, volume_handle: str) -> str:
    """Where the kubelet stages a CSI volume on a node (`.../csi/<driver>/<sha256>/globalmount`)."""
    import hashlib

    digest = hashlib.sha256(volume_handle.encode()).hexdigest()
    return f"/var/lib/kubelet/plugins/kubernetes.io/csi/{driver}/{digest}/globalmount"


def target_path(pod_uid: str, pv_name: str) -> str:
    """Where the kubelet publishes a CSI volume for one pod."""
    return f"/var/lib/kubelet/pods/{pod_uid}/volumes/kubernetes.io~csi/{pv_name}/mount"
