"""The namespace controller, mirroring `pkg/controller/namespace` (namespaced_resources_deleter.go).

A deleted namespace stays `Terminating` while the `kubernetes` finalizer is in its
`spec.finalizers`. This controller deletes everything inside it, waits until it is gone, then
removes the finalizer through the `finalize` subresource; the API server then deletes the
namespace. Left out: discovery failures and the condition types they report.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.errors import Conflict, NotFound
from minik8s.api.kinds import RESOURCES
from minik8s.controllers.base import Controller

FINALIZER = "kubernetes"


def namespace_active(namespace: dict[str, Any]) -> bool:
    """`status.phase` is `Active` (`v1.NamespaceActive`; absent counts as active): controllers
    that fill every namespace leave a terminating one alone."""
    return (namespace.get("status") or {}).get("phase", "Active") == "Active"


class NamespaceController(Controller):
    name = "namespace-controller"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.watch("namespaces")

    def reconcile(self, key: str) -> float | None:
        try:
            namespace = self.informers.lister_for("namespaces").get("", key)
        except NotFound:
            return None
        if not namespace["metadata"].get("deletionTimestamp"):
            return None
        remaining, wait = self._delete_content(key)
        if remaining:
            return max(wait, 1.0)
        finalizers = [
            f for f in namespace.get("spec", {}).get("finalizers") or [] if f != FINALIZER
        ]
        update = {
            "apiVersion": "v1",
            "kind": "Namespace",
            "metadata": {"name": key},
            "spec": {"finalizers": finalizers},
        }
        try:
            self.client.update("namespaces", update, subresource="finalize")
        except (NotFound, Conflict):
            pass
        return None

    def _delete_content(self, namespace: str) -> tuple[int, float]:
        """Delete every object in `namespace`; how many remain, and the longest grace left."""
        remaining, wait = 0, 0.0
        for info in RESOURCES:
            if not info.namespaced or info.kind == "Binding":
                continue
            for obj in self.client.list(info.plural, namespace)["items"]:
                remaining += 1
                meta = obj["metadata"]
                wait = max(wait, float(meta.get("deletionGracePeriodSeconds") or 0))
                if meta.get("deletionTimestamp"):
                    continue
                try:
                    deleted = self.client.delete(
                        info.plural, meta["name"], namespace, propagation_policy="Background"
                    )
                except NotFound:
                    deleted = {"metadata": {}}
                if not deleted["metadata"].get("deletionTimestamp"):
                    remaining -= 1  # gone at once
        return remaining, wait
