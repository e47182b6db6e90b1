"""The PersistentVolumeClaimResize admission plugin, mirroring
`plugin/pkg/admission/storage/persistentvolume/resize/admission.go`.

Growing `spec.resources.requests.storage` of a claim is only allowed when its StorageClass
has `allowVolumeExpansion: true` (validation already limits it to bound claims and forbids
shrinking below the status capacity). Validating only.
"""

from __future__ import annotations

from minik8s.api.errors import Forbidden
from minik8s.apiserver.admission import Attributes
from minik8s.controllers.pv_util import claim_class, claim_request

NAME = "PersistentVolumeClaimResize"
MESSAGE = (
    "only dynamically provisioned pvc can be resized and the storageclass that provisions "
    "the pvc must support resize"
)


class PersistentVolumeClaimResize:
    """Rejects a claim expansion its class does not allow."""

    name = NAME
    kinds = frozenset({"PersistentVolumeClaim"})  # the chain skips it for other kinds

    def __repr__(self) -> str:
        return f"<{NAME}>"

    def mutates(self, operation: str, subresource: str) -> bool:
        return False  # validating only

    def admit(self, attrs: Attributes) -> None:
        """Validating only."""
        return None

    def validate(self, attrs: Attributes) -> None:
        """Forbid a larger request unless the class allows volume expansion."""
        if attrs.info.kind != "PersistentVolumeClaim" or attrs.operation != "UPDATE":
            return
        if attrs.subresource or attrs.obj is None or attrs.old is None:
            return
        if claim_request(attrs.obj).cmp(claim_request(attrs.old)) <= 0:
            return
        name = claim_class(attrs.obj)
        sc = attrs.server.cached("storageclasses", name) if attrs.server and name else None
        if sc is None or not sc.get("allowVolumeExpansion"):
            raise Forbidden.for_resource("persistentvolumeclaims", attrs.name, MESSAGE)
