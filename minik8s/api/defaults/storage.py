"""StorageClass defaulting, mirroring `pkg/apis/storage/v1/defaults.go`
(`SetDefaults_StorageClass`).

Left out: CSIDriver / VolumeAttachment defaults.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.defaults import defaults_for


@defaults_for("StorageClass")
def set_defaults_storage_class(sc: dict[str, Any]) -> None:
    """reclaimPolicy Delete, volumeBindingMode Immediate."""
    if sc.get("reclaimPolicy") is None:
        sc["reclaimPolicy"] = "Delete"
    if sc.get("volumeBindingMode") is None:
        sc["volumeBindingMode"] = "Immediate"
