"""What kind and kubeadm set up before any workload: the cluster's defaults and first objects.

Mirrors kind's default cluster config (`pkg/apis/config/v1alpha4/default.go`: pod subnet, the
docker network), kubeadm's bootstrap objects (system namespaces, the `kubernetes` Service) and
kube-apiserver's default admission plugin order (`pkg/kubeapiserver/options/plugins.go`),
restricted to the plugins minik8s implements, and etcd's periodic lease expiry. Leaves out:
kubeadm phases, certificates, bootstrap tokens, RBAC.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from minik8s.apiserver import AdmissionChain, APIServer, NamespaceLifecycle
from minik8s.apiserver.plugins.defaultingressclass import DefaultIngressClass
from minik8s.apiserver.plugins.defaultstorageclass import DefaultStorageClass
from minik8s.apiserver.plugins.defaulttolerationseconds import DefaultTolerationSeconds
from minik8s.apiserver.plugins.nodetaint import TaintNodesByCondition
from minik8s.apiserver.plugins.priority import Priority
from minik8s.apiserver.plugins.pvcresize import PersistentVolumeClaimResize
from minik8s.apiserver.plugins.serviceaccount import ServiceAccount
from minik8s.apiserver.plugins.storageprotection import StorageObjectInUseProtection
from minik8s.client.client import Client
from minik8s.etcd import Store
from minik8s.proxy.bootstrap import bootstrap_cluster_dns, bootstrap_service_networking
from minik8s.sim.loop import EventLoop

Obj = dict[str, Any]
SYSTEM_NAMESPACES = ("default", "kube-system", "kube-public", "kube-node-lease")
POD_SUBNET = ipaddress.ip_network("10.244.0.0/16")  # kind's networking.podSubnet
NODE_CIDR_MASK_SIZE = 24  # kube-controller-manager --node-cidr-mask-size
NODE_NETWORK = ipaddress.ip_network("172.18.0.0/16")  # kind's docker network
LEASE_EXPIRY_INTERVAL = 1.0  # seconds between the store's lease expiry checks


def default_pod_subnet(nodes: int) -> str:
    """kind's pod subnet (10.244.0.0/16: 256 nodes of /24), widened around it for more nodes."""
    prefix = POD_SUBNET.prefixlen
    while 2 ** (NODE_CIDR_MASK_SIZE - prefix) < nodes:
        prefix -= 1
    return str(POD_SUBNET.supernet(new_prefix=prefix))


# kind's default class, backed by the built-in CSI host-path driver.
STANDARD_CLASS: Obj = {
    "apiVersion": "storage.k8s.io/v1",
    "kind": "StorageClass",
    "metadata": {
        "name": "standard",
        "annotations": {"storageclass.kubernetes.io/is-default-class": "true"},
    },
    "provisioner": "hostpath.csi.k8s.io",
    "reclaimPolicy": "Delete",
    "volumeBindingMode": "WaitForFirstConsumer",
    "allowVolumeExpansion": True,
}


def admission_chain() -> AdmissionChain:
    """kube-apiserver's default admission plugins that minik8s implements, in upstream's order."""
    return AdmissionChain(
        [
            NamespaceLifecycle(),
            ServiceAccount(),
            TaintNodesByCondition(),
            Priority(),
            DefaultTolerationSeconds(),
            DefaultStorageClass(),
            DefaultIngressClass(),
            StorageObjectInUseProtection(),
            PersistentVolumeClaimResize(),
        ]
    )


def bootstrap(apiserver: APIServer, client: Client) -> None:
    """What kubeadm/kind create: the system namespaces, the default StorageClass, the
    `kubernetes` Service and the default IngressClass (skipped when recovered from disk)."""
    for name in SYSTEM_NAMESPACES:
        if apiserver.cached("namespaces", name) is None:
            ns = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}
            client.create("namespaces", ns)
    if apiserver.cached("storageclasses", STANDARD_CLASS["metadata"]["name"]) is None:
        client.create("storageclasses", STANDARD_CLASS)
    if apiserver.cached("services", "kubernetes", "default") is None:
        bootstrap_service_networking(client)  # the `kubernetes` Service, IngressClass nginx
    if apiserver.cached("services", "kube-dns", "kube-system") is None:
        bootstrap_cluster_dns(client)  # the DNS add-on's Service (no CoreDNS pods)


def expire_leases_periodically(loop: EventLoop, store: Store) -> None:
    """etcd's lessor: revoke the expired leases every `LEASE_EXPIRY_INTERVAL` virtual seconds."""

    def expire() -> None:
        store.expire_leases()
        loop.call_later(LEASE_EXPIRY_INTERVAL, expire, background=True, label="etcd lease expiry")

    loop.call_later(LEASE_EXPIRY_INTERVAL, expire, background=True, label="etcd lease expiry")
