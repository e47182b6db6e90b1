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

The pieces live in `volumeattachment` (names, `is_attached`), `attachdetach` (the controller)
and `external_attacher` (the sidecar); every name is re-exported here.
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
