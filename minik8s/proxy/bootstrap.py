"""Objects a new cluster starts with for service networking: the `kubernetes` Service in
`default` at the first address of the service CIDR with its Endpoints and EndpointSlice (what the
API server's `pkg/controlplane/reconcilers` write for itself), the `kube-dns` Service in
`kube-system` at the tenth address (kubeadm's `CoreDNSService` manifest, `GetDNSIP`), and the
default IngressClass.

Cluster DNS itself is `minik8s.proxy.dns.ClusterDNS`, a simulated CoreDNS with no pods: the
`kube-dns` Service has a selector but no endpoints, and the DNS answers whoever asks its address.
Left out: the CoreDNS Deployment, ConfigMap, ServiceAccount and RBAC objects.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.errors import AlreadyExists
from minik8s.proxy.ingress import ingress_class

Obj = dict[str, Any]
KUBERNETES_SERVICE_IP = "10.96.0.1"
KUBE_DNS_SERVICE_IP = "10.96.0.10"  # kubeadm GetDNSIP: the 10th address of the service CIDR
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


def kube_dns_service(cluster_ip: str = KUBE_DNS_SERVICE_IP) -> Obj:
    """kubeadm's `CoreDNSService`: dns 53/UDP, dns-tcp 53/TCP, metrics 9153/TCP."""
    labels = {
        "k8s-app": "kube-dns",
        "kubernetes.io/cluster-service": "true",
        "kubernetes.io/name": "CoreDNS",
    }
    ports = [("dns", 53, "UDP"), ("dns-tcp", 53, "TCP"), ("metrics", 9153, "TCP")]
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "name": "kube-dns",
            "namespace": "kube-system",
            "labels": labels,
            "annotations": {"prometheus.io/port": "9153", "prometheus.io/scrape": "true"},
        },
        "spec": {
            "clusterIP": cluster_ip,
            "ports": [
                {"name": name, "port": port, "protocol": protocol, "targetPort": port}
                for name, port, protocol in ports
            ],
            "selector": {"k8s-app": "kube-dns"},
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


def bootstrap_cluster_dns(client: Any) -> None:
    """Create the `kube-dns` Service (the endpoint controllers give it its empty Endpoints and
    EndpointSlice: no pod has its selector's label)."""
    try:
        client.create("services", kube_dns_service())
    except AlreadyExists:
        pass
