"""A control plane with the storage controllers and the host-path CSI driver's sidecars.

`VolumeAttachment` is registered here only until the kinds registry serves it (the lead's
`minik8s/api/kinds.py`); then this fixture does nothing."""

from __future__ import annotations

import pytest

from minik8s.api import kinds
from minik8s.apiserver import AdmissionChain, APIServer, NamespaceLifecycle
from minik8s.apiserver import server as server_module
from minik8s.apiserver.plugins.defaultstorageclass import DefaultStorageClass
from minik8s.apiserver.plugins.pvcresize import PersistentVolumeClaimResize
from minik8s.apiserver.plugins.storageprotection import StorageObjectInUseProtection
from minik8s.client.client import Client
from minik8s.client.informer import SharedInformerFactory
from minik8s.controllers.persistentvolume import PersistentVolumeController
from minik8s.controllers.pv_util import ANN_DEFAULT_CLASS
from minik8s.controllers.pvprotection import PVCProtectionController, PVProtectionController
from minik8s.csi.attacher import AttachDetachController
from minik8s.csi.deploy import csi_sidecars
from minik8s.csi.hostpath import DRIVER_NAME, TOPOLOGY_KEY, HostPathDriver
from minik8s.etcd import Store
from minik8s.sim import EventLoop

VOLUME_ATTACHMENT = kinds.ResourceInfo(
    "storage.k8s.io",
    "v1",
    "VolumeAttachment",
    "volumeattachments",
    "volumeattachment",
    namespaced=False,
)


@pytest.fixture(autouse=True)
def volume_attachments(monkeypatch):
    try:
        kinds.lookup("volumeattachments")
        return
    except kinds.UnknownResource:
        pass
    info = VOLUME_ATTACHMENT
    monkeypatch.setattr(kinds, "RESOURCES", kinds.RESOURCES + (info,))
    monkeypatch.setattr(server_module, "RESOURCES", kinds.RESOURCES)
    for name in ("volumeattachments", "volumeattachment"):
        monkeypatch.setitem(kinds._BY_NAME, name, info)
        monkeypatch.setitem(kinds._BY_NAME, f"{name}.storage.k8s.io", info)
    monkeypatch.setitem(kinds._BY_KIND, (info.api_version, info.kind), info)


class StorageEnv:
    """Store, API server, storage controllers, the host-path driver and its sidecars, and
    `nodes` Node objects; the tests play the scheduler and the kubelet."""

    def __init__(self, nodes: int = 2, extra_controllers=(), **driver_options) -> None:
        self.loop = EventLoop(seed=0)
        admission = AdmissionChain(
            [
                NamespaceLifecycle(),
                DefaultStorageClass(),
                StorageObjectInUseProtection(),
                PersistentVolumeClaimResize(),
            ]
        )
        self.server = APIServer(Store(clock=lambda: self.loop.now), self.loop, admission=admission)
        self.client = Client(self.server, "test")
        self.client.create("namespaces", {"metadata": {"name": "default"}})
        for i in range(1, nodes + 1):
            name = f"node-{i}"
            labels = {"kubernetes.io/hostname": name, TOPOLOGY_KEY: name}
            self.client.create("nodes", {"metadata": {"name": name, "labels": labels}})
        self.driver = HostPathDriver(**driver_options)
        informers = SharedInformerFactory(Client(self.server, "informers"))
        self.controllers = [
            cls(Client(self.server, cls.name), informers)
            for cls in (
                PersistentVolumeController,
                PVCProtectionController,
                PVProtectionController,
                AttachDetachController,
                *extra_controllers,
            )
        ]
        self.controllers += csi_sidecars(
            lambda name: Client(self.server, name), informers, self.driver
        )
        for controller in self.controllers:
            controller.start()
        informers.start()
        self.loop.settle()

    def storage_class(self, name="standard", **fields):
        obj = {
            "apiVersion": "storage.k8s.io/v1",
            "kind": "StorageClass",
            "metadata": {"name": name, "annotations": {ANN_DEFAULT_CLASS: "true"}},
            "provisioner": DRIVER_NAME,
            **fields,
        }
        return self.client.create("storageclasses", obj)

    def pvc(self, name, size="1Gi", modes=("ReadWriteOnce",), **spec):
        spec = {"accessModes": list(modes), "resources": {"requests": {"storage": size}}, **spec}
        obj = {"metadata": {"name": name}, "spec": spec}
        return self.client.create("persistentvolumeclaims", obj, "default")

    def pod(self, name, claim, node=None):
        spec = {
            "containers": [{"name": "c", "image": "busybox"}],
            "volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": claim}}],
        }
        if node:
            spec["nodeName"] = node
        return self.client.create("pods", {"metadata": {"name": name}, "spec": spec}, "default")

    def get(self, resource, name, namespace="default"):
        return self.client.get(resource, name, namespace)

    def events(self, name):
        return [
            (e["type"], e["reason"], e["message"])
            for e in self.client.list("events", "default")["items"]
            if e["involvedObject"]["name"] == name
        ]


@pytest.fixture
def env():
    return StorageEnv()
