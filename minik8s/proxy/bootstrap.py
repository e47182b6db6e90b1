"""Objects a new cluster starts with for service networking: the `kubernetes` Service in
`default` at the first address of the service CIDR with its Endpoints and EndpointSlice (what the
API server's `pkg/controlplane/reconcilers` write for itself), and the default IngressClass.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.errors import AlreadyExists
from minik8s.proxy.ingress import ingress_class

Obj = dict[str, Any]
KUBERNETES_SERVICE_IP = "10.96.0.1"
APISERVER_ADDRESS = "172.18.0.2"  # the control-plane node, as on a kind cluster
APISERVER_PORT = 6443


def kubernetes_service() -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "name": "kubernetes",
            "namespace": "default",
            "labels": {"component": "apiserver", "provider": "kubernetes"},
        },
        "spec": {
            "type": "ClusterIP",
            "clusterIP": KUBERNETES_SERVICE_IP,
            "ports": [
                {"name": "https", "port": 443, "protocol": "TCP", "targetPort": APISERVER_PORT}
            ],
            "sessionAffinity": "None",
        },
    }


def kubernetes_endpoints(address: str = APISERVER_ADDRESS) -> list[tuple[str, Obj]]:
    port = {"name": "https", "port": APISERVER_PORT, "protocol": "TCP"}
    endpoints = {
        "apiVersion": "v1",
        "kind": "Endpoints",
        "metadata": {
            "name": "kubernetes",
            "namespace": "default",
            "labels": {"endpointslice.kubernetes.io/skip-mirror": "true"},
        },
        "subsets": [{"addresses": [{"ip": address}], "ports": [port]}],
    }
    endpoint_slice = {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {
            "name": "kubernetes",
            "namespace": "default",
            "labels": {"kubernetes.io/service-name": "kubernetes"},
        },
        "addressType": "IPv4",
        "endpoints": [{"addresses": [address], "conditions": {"ready": True}}],
        "ports": [port],
    }
    return [("endpoints", endpoints), ("endpointslices", endpoint_slice)]


def bootstrap_service_networking(client: Any, apiserver_address: str = APISERVER_ADDRESS) -> None:
    """Create the `kubernetes` Service (+ Endpoints, EndpointSlice) and the IngressClass
    `nginx`; objects that already exist (a restarted cluster) are left alone."""
    objects = [("services", kubernetes_service()), *kubernetes_endpoints(apiserver_address)]
    objects.append(("ingressclasses", ingress_class()))
    for resource, obj in objects:
        try:
            client.create(resource, obj)
        except AlreadyExists:
            pass


def bootstrap_kubernetes_service(client: Any) -> None:
    """The name the lead asked for: same as `bootstrap_service_networking`."""
    bootstrap_service_networking(client)
