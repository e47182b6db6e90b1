"""The namespace controller, mirroring `pkg/controller/namespace` (namespace_controller.go and
deletion/namespaced_resources_deleter.go).

A deleted namespace stays `Terminating` while the `kubernetes` finalizer is in its
`spec.finalizers`. Five seconds after it sees the deletion (`namespaceDeletionGracePeriod`) this
controller deletes everything inside, reports each pass in the namespace's conditions (see
`namespace_conditions`), and once nothing is left removes its finalizer through the `finalize`
subresource; the API server then deletes the namespace. While pods may still be terminating
gracefully (`estimateGracefulTermination`), or content waits on finalizers (15 s), it looks
again after `estimate / 2 + 1` seconds; leftover content with neither is an error, retried with
back-off. Left out: discovery (every built-in namespaced kind is deleted), `deletecollection`
(items are deleted one by one, as upstream's `deleteEachItem`), the 5-minute resync.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from minik8s.api.errors import Conflict, NotFound
from minik8s.api.kinds import RESOURCES, ResourceInfo
from minik8s.client.ratelimit import (
    BucketRateLimiter,
    ItemExponentialFailureRateLimiter,
    MaxOfRateLimiter,
    set_clock,
)
from minik8s.controllers.base import Controller
from minik8s.controllers.namespace_conditions import NamespaceConditionUpdater

Obj = dict[str, Any]
FINALIZER = "kubernetes"
NAMESPACE_DELETION_GRACE_PERIOD = 5.0  # namespaceDeletionGracePeriod
FINALIZER_ESTIMATE_SECONDS = 15  # finalizerEstimateSeconds


def namespace_active(namespace: dict[str, Any]) -> bool:
    """`status.phase` is `Active` (`v1.NamespaceActive`; absent counts as active): controllers
    that fill every namespace leave a terminating one alone."""
    return (namespace.get("status") or {}).get("phase", "Active") == "Active"


def gvr_string(info: ResourceInfo) -> str:
    """`schema.GroupVersionResource.String()`: `apps/v1, Resource=deployments`."""
    return f"{info.group}/{info.version}, Resource={info.plural}"


def requeue_after(estimate: int) -> float:
    """namespace_controller.go's worker: content remains, look again in `estimate/2 + 1` s."""
    return float(estimate // 2 + 1)


class ResourcesRemainingError(Exception):
    """Some content remains; the estimate is how long until it should be gone."""

    def __init__(self, estimate: int):
        super().__init__(
            f"some content remains in the namespace, estimate {estimate} seconds before it "
            "is removed"
        )
        self.estimate = estimate


@dataclass
class GVRDeletionMetadata:
    """upstream `gvrDeletionMetadata`: one resource's estimate and leftovers."""

    estimate: int = 0
    remaining: int = 0
    finalizers: dict[str, int] = field(default_factory=dict)


class NamespaceController(Controller):
    name = "namespace-controller"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # nsControllerRateLimiter: retry at least every minute
        self.queue.rate_limiter = MaxOfRateLimiter(
            ItemExponentialFailureRateLimiter(0.005, 60.0), BucketRateLimiter(qps=10, burst=100)
        )
        set_clock(self.queue.rate_limiter, self.loop)
        informer = self.informers.informer_for("namespaces")
        informer.add_event_handler(
            on_add=self._enqueue_namespace, on_update=lambda _old, new: self._enqueue_namespace(new)
        )

    def _enqueue_namespace(self, namespace: Obj) -> None:
        """`enqueueNamespace`: only deleted namespaces, after the deletion grace period."""
        if namespace["metadata"].get("deletionTimestamp"):
            self.queue.add_after(namespace["metadata"]["name"], NAMESPACE_DELETION_GRACE_PERIOD)

    def reconcile(self, key: str) -> float | None:
        try:
            self.delete(key)
        except ResourcesRemainingError as remaining:
            return requeue_after(remaining.estimate)
        return None

    def delete(self, name: str) -> None:
        """`namespacedResourcesDeleter.Delete`: empty the namespace, then finalize it."""
        try:
            namespace = self.client.get("namespaces", name)
        except NotFound:
            return
        if not namespace["metadata"].get("deletionTimestamp"):
            return
        if not (namespace.get("spec") or {}).get("finalizers"):
            return  # finalized
        estimate = self._delete_all_content(namespace)
        if estimate > 0:
            raise ResourcesRemainingError(estimate)
        self._finalize(namespace)

    def _finalize(self, namespace: Obj) -> None:
        """`retryOnConflictError(finalizeNamespace)`: drop our finalizer (the others stay,
        sorted as upstream's set); on a conflict read the namespace again and retry."""
        while True:
            spec = namespace.get("spec") or {}
            finalizers = sorted({f for f in spec.get("finalizers") or [] if f != FINALIZER})
            update = {**namespace, "spec": {**spec, "finalizers": finalizers}}
            try:
                self.client.update("namespaces", update, subresource="finalize")
                return
            except NotFound:
                return
            except Conflict:
                latest = self.client.get("namespaces", namespace["metadata"]["name"])
                if latest["metadata"].get("uid") != namespace["metadata"].get("uid"):
                    raise RuntimeError("namespace uid has changed across retries") from None
                namespace = latest

    def _delete_all_content(self, namespace: Obj) -> int:
        """`deleteAllContent`: every resource once; the namespace's conditions report the pass;
        a resource that failed raises (after the conditions are written)."""
        name = namespace["metadata"]["name"]
        deleted_at = self.loop.parse_timestamp(namespace["metadata"]["deletionTimestamp"])
        updater = NamespaceConditionUpdater()
        estimate, errors = 0, []
        remaining: dict[str, int] = {}
        finalizers: dict[str, int] = {}
        for info in RESOURCES:
            if not info.namespaced or info.kind == "Binding":
                continue
            result, error = self._delete_resource(info, name, deleted_at)
            if error:
                errors.append(error)
                updater.process_delete_content_err(error)
            estimate = max(estimate, result.estimate)
            if result.remaining:
                remaining[f"{info.plural}.{info.group}"] = result.remaining
                for finalizer, count in result.finalizers.items():
                    finalizers[finalizer] = finalizers.get(finalizer, 0) + count
        now = self.loop.timestamp()
        updater.process_content_totals(remaining, finalizers, now)
        status = namespace.setdefault("status", {})
        if updater.update(status, now):
            try:
                self.client.update_status("namespaces", namespace)
            except (NotFound, Conflict):
                pass  # upstream only logs it
        if errors:
            raise RuntimeError(", ".join(sorted(errors)))
        return estimate

    def _delete_resource(
        self, info: ResourceInfo, namespace: str, deleted_at: float
    ) -> tuple[GVRDeletionMetadata, str | None]:
        """`deleteAllContentForGroupVersionResource`: delete each item, then count leftovers."""
        estimate = self._estimate_graceful_termination(info, namespace, deleted_at)
        for obj in self.client.list(info.plural, namespace)["items"]:
            if obj["metadata"].get("deletionTimestamp"):
                continue  # a second delete would change nothing
            try:
                self.client.delete(
                    info.plural, obj["metadata"]["name"], namespace, propagation_policy="Background"
                )
            except NotFound:
                pass
        items = self.client.list(info.plural, namespace)["items"]
        if not items:
            return GVRDeletionMetadata(), None
        finalizers: dict[str, int] = {}
        for item in items:
            for finalizer in item["metadata"].get("finalizers") or []:
                finalizers[finalizer] = finalizers.get(finalizer, 0) + 1
        if estimate:
            return GVRDeletionMetadata(estimate, len(items), finalizers), None
        if finalizers:
            return GVRDeletionMetadata(FINALIZER_ESTIMATE_SECONDS, len(items), finalizers), None
        error = (
            f"unexpected items still remain in namespace: {namespace} for gvr: {gvr_string(info)}"
        )
        return GVRDeletionMetadata(0, len(items)), error

    def _estimate_graceful_termination(
        self, info: ResourceInfo, namespace: str, deleted_at: float
    ) -> int:
        """`estimateGracefulTermination`: pods may need their longest grace period, counted
        from the namespace's deletion (0 once that has passed)."""
        if info.plural != "pods" or info.group:
            return 0
        estimate = 0
        for pod in self.client.list("pods", namespace)["items"]:
            if (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
                continue
            grace = (pod.get("spec") or {}).get("terminationGracePeriodSeconds")
            if grace is not None:
                estimate = max(estimate, int(grace))
        return 0 if self.loop.now - deleted_at >= estimate else estimate
