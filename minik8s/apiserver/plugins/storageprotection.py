"""The StorageObjectInUseProtection admission plugin, mirroring
`plugin/pkg/admission/storage/storageobjectinuseprotection/admission.go`.

Every new PersistentVolumeClaim gets the `kubernetes.io/pvc-protection` finalizer and every new
PersistentVolume `kubernetes.io/pv-protection`, so that deleting one that is still in use only
marks it (`deletionTimestamp`) until the protection controllers release it. Mutating only.
"""

from __future__ import annotations

from minik8s.apiserver.admission import Attributes
from minik8s.controllers.pvprotection import PV_PROTECTION_FINALIZER, PVC_PROTECTION_FINALIZER

NAME = "StorageObjectInUseProtection"
FINALIZERS = {
    "PersistentVolumeClaim": PVC_PROTECTION_FINALIZER,
    "PersistentVolume": PV_PROTECTION_FINALIZER,
}


class StorageObjectInUseProtection:
    """Adds the protection finalizer to new claims and volumes."""

    name = NAME
    kinds = frozenset(FINALIZERS)  # the chain skips it for other kinds

    def __repr__(self) -> str:
        return f"<{NAME}>"

    def mutates(self, operation: str, subresource: str) -> bool:
        return operation == "CREATE" and not subresource

    def admit(self, attrs: Attributes) -> None:
        """Append the finalizer on CREATE (never twice)."""
        finalizer = FINALIZERS.get(attrs.info.kind)
        if finalizer is None or attrs.info.group != "" or attrs.operation != "CREATE":
            return
        if attrs.subresource or attrs.obj is None:
            return
        finalizers = attrs.obj["metadata"].setdefault("finalizers", [])
        if finalizer not in finalizers:
            finalizers.append(finalizer)

    def validate(self, attrs: Attributes) -> None:
        """Mutating only."""
        return None
