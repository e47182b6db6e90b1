"""upstream `pkg/controller/volume/pvcprotection/pvc_protection_controller_test.go` and
`pvprotection/pv_protection_controller_test.go` rows, played through an API server without the
StorageObjectInUseProtection admission plugin (so the controllers' own finalizer adding shows).
"""

from __future__ import annotations

from minik8s.apiserver import AdmissionChain, APIServer, NamespaceLifecycle
from minik8s.client.client import Client
from minik8s.client.informer import SharedInformerFactory
from minik8s.controllers.pvprotection import (
    PV_PROTECTION_FINALIZER,
    PVC_PROTECTION_FINALIZER,
    PVCProtectionController,
    PVProtectionController,
)
from minik8s.etcd import Store
from minik8s.sim import EventLoop

HOLD = "example.com/hold"  # keeps a deleted object readable after the protection finalizer goes


class Env:
    def __init__(self) -> None:
        self.loop = EventLoop(seed=0)
        server = APIServer(
            Store(clock=lambda: self.loop.now),
            self.loop,
            admission=AdmissionChain([NamespaceLifecycle()]),
        )
        self.client = Client(server, "test")
        self.client.create("namespaces", {"metadata": {"name": "default"}})
        informers = SharedInformerFactory(Client(server, "informers"))
        for cls in (PVCProtectionController, PVProtectionController):
            cls(Client(server, cls.name), informers).start()
        informers.start()
        self.loop.settle()

    def pvc(self, name="pvc1", finalizers=()):
        spec = {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}
        meta = {"name": name, "finalizers": list(finalizers)}
        return self.client.create(
            "persistentvolumeclaims", {"metadata": meta, "spec": spec}, "default"
        )

    def pod(self, name, claim, node="node-1", phase=None):
        spec = {
            "containers": [{"name": "c", "image": "busybox"}],
            "volumes": [{"name": "v", "persistentVolumeClaim": {"claimName": claim}}],
        }
        if node:
            spec["nodeName"] = node
        pod = self.client.create("pods", {"metadata": {"name": name}, "spec": spec}, "default")
        if phase:
            self.client.update_status("pods", dict(pod, status={"phase": phase}))
        return pod

    def finalizers(self, name="pvc1"):
        return self.client.get("persistentvolumeclaims", name, "default")["metadata"].get(
            "finalizers"
        )

    def delete_claim(self, name="pvc1"):
        self.client.delete("persistentvolumeclaims", name, "default")
        self.loop.settle()


def test_pvc_without_finalizer_gets_it():
    """ "PVC without finalizer -> finalizer is added"."""
    env = Env()
    env.pvc()
    env.loop.settle()
    assert env.finalizers() == [PVC_PROTECTION_FINALIZER]


def test_deleted_pvc_with_a_pod_using_it_keeps_the_finalizer():
    """ "deleted PVC with finalizer + pod with the PVC exists -> finalizer is not removed", also
    when the pod finished but is not deleted."""
    env = Env()
    env.pvc("pvc1")
    env.pvc("pvc2")
    env.pod("running", "pvc1")
    env.pod("failed", "pvc2", phase="Failed")
    env.loop.settle()
    env.delete_claim("pvc1")
    env.delete_claim("pvc2")
    assert env.finalizers("pvc1") == [PVC_PROTECTION_FINALIZER]
    assert env.finalizers("pvc2") == [PVC_PROTECTION_FINALIZER]


def test_unrelated_or_unscheduled_pods_do_not_hold_the_claim():
    """ "pod with unrelated PVC and EmptyDir exists -> finalizer is removed", "updated
    unscheduled Pod -> finalizer is removed"."""
    env = Env()
    env.pvc("pvc1", finalizers=(HOLD,))
    env.pvc("pvc2", finalizers=(HOLD,))
    env.pod("other", "unrelated")
    env.pod("waiting", "pvc2", node=None)
    env.loop.settle()
    env.delete_claim("pvc1")
    env.delete_claim("pvc2")
    assert env.finalizers("pvc1") == [HOLD]
    assert env.finalizers("pvc2") == [HOLD]


def test_deleting_the_pod_releases_the_claim():
    """ "deleted running Pod -> finalizer is removed"."""
    env = Env()
    env.pvc(finalizers=(HOLD,))
    env.pod("user", "pvc1")
    env.loop.settle()
    env.delete_claim()
    assert env.finalizers() == [HOLD, PVC_PROTECTION_FINALIZER]
    env.client.delete("pods", "user", "default", grace_period_seconds=0)
    env.loop.settle()
    assert env.finalizers() == [HOLD]


def test_pv_protection():
    """pv_protection_controller_test: "PV without finalizer -> finalizer is added", "deleted PV
    with finalizer + PV is bound -> finalizer is not removed", "... not bound -> removed"."""
    env = Env()
    spec = {
        "capacity": {"storage": "1Gi"},
        "accessModes": ["ReadWriteOnce"],
        "hostPath": {"path": "/tmp/pv1"},
    }
    pv = env.client.create("persistentvolumes", {"metadata": {"name": "pv1"}, "spec": spec})
    env.loop.settle()
    pv = env.client.get("persistentvolumes", "pv1")
    assert pv["metadata"]["finalizers"] == [PV_PROTECTION_FINALIZER]
    pv["metadata"]["finalizers"].insert(0, HOLD)
    pv = env.client.update("persistentvolumes", pv)
    env.client.update_status("persistentvolumes", dict(pv, status={"phase": "Bound"}))
    env.client.delete("persistentvolumes", "pv1")
    env.loop.settle()
    pv = env.client.get("persistentvolumes", "pv1")
    assert pv["metadata"]["finalizers"] == [HOLD, PV_PROTECTION_FINALIZER]
    env.client.update_status("persistentvolumes", dict(pv, status={"phase": "Released"}))
    env.loop.settle()
    assert env.client.get("persistentvolumes", "pv1")["metadata"]["finalizers"] == [HOLD]
