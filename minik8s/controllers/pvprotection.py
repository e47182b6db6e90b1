"""The storage protection controllers, mirroring `pkg/controller/volume/pvcprotection` and
`pkg/controller/volume/pvprotection`.

The `StorageObjectInUseProtection` admission plugin puts `kubernetes.io/pvc-protection` on every
new claim and `kubernetes.io/pv-protection` on every new volume. A deleted claim keeps its
finalizer while a scheduled pod that uses it exists; a deleted volume keeps its finalizer while
it is Bound. These controllers add the finalizer to a live object that lacks it
(`NeedToAddFinalizer`), remove it once a deleted object is no longer in use, and the API server
then deletes the object. Left out: the live pod LIST fallback (the informer cache decides),
the generic-ephemeral ownership check and `podIsShutDown` for ephemeral claims.
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
RESOURCE_PVC, RESOURCE_PV = "persistentvolumeclaims", "persistentvolumes"


def pod_uses_claim(pod: Obj, claim_name: str) -> bool:
    """upstream `podUsesPVC`: a scheduled pod with a volume naming the claim."""
    return bool(pod.get("spec", {}).get("nodeName")) and claim_name in pod_claim_names(pod)


def need_to_add_finalizer(obj: Obj, finalizer: str) -> bool:
    """upstream `protectionutil.NeedToAddFinalizer`: alive and without the finalizer."""
    meta = obj["metadata"]
    return not meta.get("deletionTimestamp") and finalizer not in (meta.get("finalizers") or [])


def _with(obj: Obj, finalizer: str) -> Obj:
    obj = json_copy(obj)
    obj["metadata"]["finalizers"] = [*(obj["metadata"].get("finalizers") or []), finalizer]
    return obj


def _update(client: Any, resource: str, obj: Obj) -> float | None:
    """Write `obj`; a Conflict retries shortly, a vanished object needs nothing."""
    try:
        client.update(resource, obj)
    except NotFound:
        pass
    except Conflict:
        return 0.1
    return None


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
        if need_to_add_finalizer(claim, PVC_PROTECTION_FINALIZER):
            return _update(self.client, RESOURCE_PVC, _with(claim, PVC_PROTECTION_FINALIZER))
        if not meta.get("deletionTimestamp"):
            return None
        if PVC_PROTECTION_FINALIZER not in (meta.get("finalizers") or []):
            return None
        if any(pod_uses_claim(pod, name) for pod in self.pods.list(namespace)):
            return None
        return _update(self.client, RESOURCE_PVC, _without(claim, PVC_PROTECTION_FINALIZER))


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
        if need_to_add_finalizer(volume, PV_PROTECTION_FINALIZER):
            return _update(self.client, RESOURCE_PV, _with(volume, PV_PROTECTION_FINALIZER))
        if not meta.get("deletionTimestamp"):
            return None
        if PV_PROTECTION_FINALIZER not in (meta.get("finalizers") or []):
            return None
        if (volume.get("status") or {}).get("phase") == "Bound":
            return None
        return _update(self.client, RESOURCE_PV, _without(volume, PV_PROTECTION_FINALIZER))
