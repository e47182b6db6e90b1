"""The service account controller, mirroring
`pkg/controller/serviceaccount/serviceaccounts_controller.go`: every active namespace has a
ServiceAccount named `default`, re-created if it is deleted.

Pods use these accounts through the ServiceAccount admission plugin
(`apiserver/plugins/serviceaccount.py`). Left out: the token controller and legacy token Secrets
(gone upstream since 1.24).
"""

from __future__ import annotations

from typing import Any

from minik8s.api.errors import AlreadyExists, Forbidden, NotFound
from minik8s.controllers.base import Controller
from minik8s.controllers.namespace import namespace_active

Obj = dict[str, Any]
SERVICE_ACCOUNTS_TO_ENSURE = ("default",)  # --service-account options: the default account


def _namespace_of(obj: Obj) -> str:
    return str(obj["metadata"].get("namespace", ""))


class ServiceAccountsController(Controller):
    """Creates the `default` ServiceAccount in each active namespace."""

    name = "serviceaccount-controller"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.namespaces = self.informers.lister_for("namespaces")
        self.service_accounts = self.informers.lister_for("serviceaccounts")
        self.informers.informer_for("namespaces").add_event_handler(
            on_add=self._namespace_changed,
            on_update=lambda _old, new: self._namespace_changed(new),
        )
        self.informers.informer_for("serviceaccounts").add_event_handler(
            on_delete=lambda sa: self.enqueue(_namespace_of(getattr(sa, "obj", sa)))
        )

    def _namespace_changed(self, namespace: Obj) -> None:
        self.enqueue(namespace["metadata"]["name"])

    def reconcile(self, key: str) -> float | None:
        """upstream `syncNamespace`: create what is missing in an active namespace."""
        try:
            namespace = self.namespaces.get(None, key)
        except NotFound:
            return None
        if not namespace_active(namespace):
            return None  # a terminating namespace gets nothing new
        for name in SERVICE_ACCOUNTS_TO_ENSURE:
            try:
                self.service_accounts.get(key, name)
                continue
            except NotFound:
                pass
            account = {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": name}}
            try:
                self.client.create("serviceaccounts", account, key)
            except (AlreadyExists, Forbidden):  # Forbidden: the namespace began terminating
                pass
        return None
