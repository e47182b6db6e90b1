"""The VolumeAttachment object and its names, mirroring `pkg/volume/csi/csi_attacher.go`
(`getAttachmentName`, `WaitForAttach`) and external-attacher's `GetFinalizerName`.

Shared by the attach/detach controller (`attachdetach`), the external attacher
(`external_attacher`) and the kubelet (`csi.node`). Leaves out: inline CSI volumes.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from minik8s.api.errors import NotFound
from minik8s.csi.api import Obj

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
