"""The storage protection controllers, mirroring `pkg/controller/volume/pvcprotection` and
`pkg/controller/volume/pvprotection`.

The `StorageObjectInUseProtection` admission plugin puts `kubernetes.io/pvc-protection` on every
new claim and `kubernetes.io/pv-protection` on every new volume. A deleted claim keeps its
finalizer while a scheduled pod that uses it exists; a deleted volume keeps its finalizer while
it is Bound. These controllers remove the finalizer once that is no longer so, and the API server
then deletes the object. Left out: the live pod LIST fallback (the informer cache decides),
the generic-ephemeral ownership check.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.errors import Conflict, NotFound
from minik8s.api.meta import json_copy
from minik8s.controllers.base import Controller
from minik8s.controllers.pv_util import pod_claim_names

Obj = dict[str, Any]
PVC_PROTECTION_FINALIZER = "kubernetes.io/pvc-protection"
PV_PROTECTION_FINALIZER = "kubernetes.io/pv-protection"


def pod_uses_claim(pod: Obj, claim_name: str) -> bool:
    """upstream `podUsesPVC`: a scheduled pod with a volume naming the claim."""
    return bool(pod.get("spec", {}).get("nodeName")) and claim_name in pod_claim_names(pod)


def _without(obj: Obj, finalizer: str) -> Obj:
    obj = json_copy(obj)
    obj["metadata"]["finalizers"] = [
        f for f in obj["metadata"].get("finalizers") or [] if f != finalizer
    ]
    return obj


class PVCProtectionController(Controller):
    """Removes `kubernetes.io/pvc-protection` from a deleted claim no pod uses any more."""

    name = "persistentvolumeclaim-protection-controller"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.claims = self.informers.lister_for("persistentvolumeclaims")
        self.pods = self.informers.lister_for("pods")
        self.watch("persistentvolumeclaims")
        self.watch("pods", self._pod_claim_keys)

    @staticmethod
    def _pod_claim_keys(pod: Obj) -> list[str]:
        namespace = pod["metadata"].get("namespace", "")
        return [f"{namespace}/{name}" for name in pod_claim_names(pod)]

    def reconcile(self, key: str) -> float | None:
        namespace, _, name = key.partition("/")
        try:
            claim = self.claims.get(namespace, name)
        except NotFound:
            return None
        meta = claim["metadata"]
        if not meta.get("deletionTimestamp"):
            return None
        if PVC_PROTECTION_FINALIZER not in (meta.get("finalizers") or []):
            return None
        if any(pod_uses_claim(pod, name) for pod in self.pods.list(namespace)):
            return None
        try:
            self.client.update("persistentvolumeclaims", _without(claim, PVC_PROTECTION_FINALIZER))
        except NotFound:
            pass
        except Conflict:
            return 0.1
        return None


class PVProtectionController(Controller):
    """Removes `kubernetes.io/pv-protection` from a deleted volume that is not Bound."""

    name = "persistentvolume-protection-controller"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.volumes = self.informers.lister_for("persistentvolumes")
        self.watch("persistentvolumes")

    def reconcile(self, key: str) -> float | None:
        try:
            volume = self.volumes.get(None, key)
        except NotFound:
            return None
        meta = volume["metadata"]
        if not meta.get("deletionTimestamp"):
            return None
        if PV_PROTECTION_FINALIZER not in (meta.get("finalizers") or []):
            return None
        if (volume.get("status") or {}).get("phase") == "Bound":
            return None
        try:
            self.client.update("persistentvolumes", _without(volume, PV_PROTECTION_FINALIZER))
        except NotFound:
            pass
        except Conflict:
            return 0.1
        return None
