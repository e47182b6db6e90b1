"""The root CA certificate publisher, mirroring
`pkg/controller/certificates/rootcacertpublisher/publisher.go`: every active namespace has a
ConfigMap `kube-root-ca.crt` holding the cluster CA (`minik8s.pki`), so pods can verify the API
server; a deleted or edited copy is put back.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.errors import Forbidden, NotFound
from minik8s.controllers.base import Controller
from minik8s.controllers.namespace import namespace_active
from minik8s.pki import root_ca_pem

Obj = dict[str, Any]
ROOT_CA_CERT_CONFIG_MAP_NAME = "kube-root-ca.crt"
DESCRIPTION_ANNOTATION = "kubernetes.io/description"
DESCRIPTION = (
    "Contains a CA bundle that can be used to verify the kube-apiserver when using internal "
    "endpoints such as the internal service IP or kubernetes.default.svc. "
    "No other usage is guaranteed across distributions of Kubernetes clusters."
)


class RootCACertPublisher(Controller):
    """Keeps `kube-root-ca.crt` in every active namespace."""

    name = "root-ca-certificate-publisher-controller"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.config_maps = self.informers.lister_for("configmaps")
        self.informers.informer_for("namespaces").add_event_handler(
            on_add=self._namespace_changed,
            on_update=lambda _old, new: self._namespace_changed(new),
        )
        self.informers.informer_for("configmaps").add_event_handler(
            on_update=lambda _old, new: self._config_map_changed(new),
            on_delete=lambda cm: self._config_map_changed(getattr(cm, "obj", cm)),
        )

    def _namespace_changed(self, namespace: Obj) -> None:
        if namespace_active(namespace):
            self.enqueue(namespace["metadata"]["name"])

    def _config_map_changed(self, config_map: Obj) -> None:
        if config_map["metadata"]["name"] == ROOT_CA_CERT_CONFIG_MAP_NAME:
            self.enqueue(config_map["metadata"]["namespace"])

    def reconcile(self, key: str) -> float | None:
        """upstream `syncNamespace`: create the ConfigMap, or restore its data and annotation."""
        data = {"ca.crt": root_ca_pem()}
        try:
            current = self.config_maps.get(key, ROOT_CA_CERT_CONFIG_MAP_NAME)
        except NotFound:
            config_map = {
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "metadata": {
                    "name": ROOT_CA_CERT_CONFIG_MAP_NAME,
                    "annotations": {DESCRIPTION_ANNOTATION: DESCRIPTION},
                },
                "data": data,
            }
            try:
                self.client.create("configmaps", config_map, key)
            except (NotFound, Forbidden):  # the namespace is gone or terminating
                pass
            return None
        annotations = current["metadata"].get("annotations") or {}
        if current.get("data") == data and annotations.get(DESCRIPTION_ANNOTATION):
            return None
        meta = {
            **current["metadata"],
            "annotations": {**annotations, DESCRIPTION_ANNOTATION: DESCRIPTION},
        }
        self.client.update("configmaps", {**current, "metadata": meta, "data": data}, key)
        return None
