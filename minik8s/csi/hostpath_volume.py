"""The host-path driver's volumes and names, mirroring `kubernetes-csi/csi-driver-host-path`
`pkg/state/state.go` (`Volume`: id, name, size, who attached, staged and published it) and the
constants of `pkg/hostpath/hostpath.go`.

Leaves out: the state file on disk (volumes live in memory), snapshots, volume kinds.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from minik8s.csi.api import Obj

DRIVER_NAME = "hostpath.csi.k8s.io"
TOPOLOGY_KEY = "topology.hostpath.csi/node"
VENDOR_VERSION = "v1.15.0"
GIB = 1 << 30
TIB = 1 << 40
ID_NAMESPACE = uuid.UUID("6ba7b811-9dad-11d1-80b4-00c04fd430c8")  # uuid.NAMESPACE_URL
SINGLE_WRITER_MODES = ("SINGLE_NODE_WRITER", "SINGLE_NODE_SINGLE_WRITER")


def access_mode(volume_capability: Obj | None) -> str | None:
    """The CSI access mode of a VolumeCapability (`GetAccessMode().GetMode()`), if any."""
    return ((volume_capability or {}).get("access_mode") or {}).get("mode")


@dataclass
class HostPathVolume:
    """One volume: its size, the node it lives on (None: any), its files and its users."""

    volume_id: str
    name: str
    capacity_bytes: int
    node: str | None
    files: dict[str, str] = field(default_factory=dict)
    attached: set[str] = field(default_factory=set)
    staged: dict[str, str] = field(default_factory=dict)  # node → staging path
    published: dict[str, str] = field(default_factory=dict)  # target path → node

    def __repr__(self) -> str:
        return f"<HostPathVolume {self.name} {self.capacity_bytes}B node={self.node}>"
