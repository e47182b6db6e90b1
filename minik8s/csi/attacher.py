"""Attaching CSI volumes to nodes: an index of the three modules, every name re-exported here.

- `volumeattachment`: VolumeAttachment names (`csi-<sha256>`) and `is_attached`;
- `attachdetach`: the attach/detach controller's CSI path (`pkg/controller/volume/attachdetach`);
- `external_attacher`: the external-attacher sidecar (`kubernetes-csi/external-attacher`).

Each module's docstring says what it mirrors and leaves out.
"""

from __future__ import annotations

from minik8s.csi.attachdetach import (
    CLAIM_INDEX,
    PV_INDEX,
    AttachDetachController,
    attachment_node_index,
    attachment_pv_index,
    multi_attach_message,
    pod_claims_index,
)
from minik8s.csi.external_attacher import ExternalAttacher
from minik8s.csi.volumeattachment import (
    RESOURCE,
    TERMINAL_PHASES,
    attachment_name,
    finalizer_name,
    is_attached,
    is_exclusive,
    volume_attachment,
)

__all__ = [
    "CLAIM_INDEX",
    "PV_INDEX",
    "RESOURCE",
    "TERMINAL_PHASES",
    "AttachDetachController",
    "ExternalAttacher",
    "attachment_name",
    "attachment_node_index",
    "attachment_pv_index",
    "finalizer_name",
    "is_attached",
    "is_exclusive",
    "multi_attach_message",
    "pod_claims_index",
    "volume_attachment",
]
