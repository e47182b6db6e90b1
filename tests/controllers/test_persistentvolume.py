"""The PV binder and the protection controllers: the binding rules, phases, reclaim policies
and finalizers of `pkg/controller/volume/persistentvolume` (after upstream's binder_test.go,
provision_test.go and index_test.go cases), plus invariants as Hypothesis properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minik8s.api.errors import Forbidden
from minik8s.apiserver import AdmissionChain, APIServer, NamespaceLifecycle
from minik8s.apiserver.plugins.defaultstorageclass import DefaultStorageClass, default_class
from minik8s.apiserver.plugins.pvcresize import PersistentVolumeClaimResize
from minik8s.apiserver.plugins.storageprotection import StorageObjectInUseProtection
from minik8s.client.client import Client
from minik8s.client.informer import SharedInformerFactory
from minik8s.controllers import pv_util as util
from minik8s.controllers.persistentvolume import PersistentVolumeController
from minik8s.controllers.pvprotection import PVCProtectionController, PVProtectionController
from minik8s.etcd import Store
from minik8s.sim import EventLoop

RWO, ROX, RWX = "ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany"


class Env:
    """API server with the storage admission plugins, the binder and the protection
    controllers; no scheduler or kubelet (tests play them)."""

    def __init__(self) -> None:
        self.loop = EventLoop(seed=0)
        self.server = APIServer(
            Store(clock=lambda: self.loop.now),
            self.loop,
            admission=AdmissionChain(
                [
                    NamespaceLifecycle(),
                    DefaultStorageClass(),
                    StorageObjectInUseProtection(),
                    PersistentVolumeClaimResize(),
                ]
            ),
        )
        self.client = Client(self.server, "test")
        self.client.create("namespaces", {"metadata": {"name": "default"}})
        informers = SharedInformerFactory(Client(self.server, "informers"))
        self.controllers = [
            cls(Client(self.server, cls.name), informers)
            for cls in (PersistentVolumeController, PVCProtectionController, PVProtectionController)
        ]
        for controller in self.controllers:
            controller.start()
        informers.start()
        self.loop.settle()

    def pv(self, name, size="10Gi", modes=(RWO,), cls="", policy="Retain", **spec):
        spec = {
            "capacity": {"storage": size},
            "accessModes": list(modes),
            "persistentVolumeReclaimPolicy": policy,
            "hostPath": {"path": f"/tmp/{name}"},
            **spec,
        }
        if cls:
            spec["storageClassName"] = cls
        labels = spec.pop("labels", {})
        obj = {"metadata": {"name": name, "labels": labels}, "spec": spec}
        return self.client.create("persistentvolumes", obj)

    def pvc(self, name, size="1Gi", modes=(RWO,), cls: str | None = "", **spec):
        spec = {"accessModes": list(modes), "resources": {"requests": {"storage": size}}, **spec}
        if cls is not None:
            spec["storageClassName"] = cls
        return self.client.create(
            "persistentvolumeclaims", {"metadata": {"name": name}, "spec": spec}
        )

    def sc(self, name, default=False, **fields):
        ann = {util.ANN_DEFAULT_CLASS: "true"} if default else {}
        obj = {
            "apiVersion": "storage.k8s.io/v1",
            "kind": "StorageClass",
            "metadata": {"name": name, "annotations": ann},
            "provisioner": fields.pop("provisioner", "example.com/nfs"),
            **fields,
        }
        return self.client.create("storageclasses", obj)

    def get_pv(self, name):
        return self.client.get("persistentvolumes", name)

    def get_pvc(self, name):
        return self.client.get("persistentvolumeclaims", name, "default")

    def phase(self, kind, name):
        obj = self.get_pv(name) if kind == "pv" else self.get_pvc(name)
        return obj["status"]["phase"]

    def events(self, name):
        return [
            (e["type"], e["reason"], e["message"])
            for e in self.client.list("events", "default")["items"]
            if e["involvedObject"]["name"] == name
        ]


@pytest.fixture
def env():
    return Env()


# -- binding rules ------------------------------------------------------------------------------
def test_a_claim_binds_an_available_volume(env):
    env.pv("pv1")
    assert env.get_pv("pv1")["status"]["phase"] == "Pending"
    env.loop.settle()
    assert env.phase("pv", "pv1") == "Available"
    env.pvc("data")
    env.loop.settle()
    pv, pvc = env.get_pv("pv1"), env.get_pvc("data")
    assert pvc["spec"]["volumeName"] == "pv1"
    assert pvc["status"] == {
        "phase": "Bound",
        "accessModes": [RWO],
        "capacity": {"storage": "10Gi"},
    }
    assert util.annotations_of(pvc) == {
        util.ANN_BIND_COMPLETED: "yes",
        util.ANN_BOUND_BY_CONTROLLER: "yes",
    }
    assert pv["status"]["phase"] == "Bound"
    assert util.annotations_of(pv) == {util.ANN_BOUND_BY_CONTROLLER: "yes"}
    ref = pv["spec"]["claimRef"]
    assert (ref["kind"], ref["namespace"], ref["name"], ref["uid"]) == (
        "PersistentVolumeClaim",
        "default",
        "data",
        pvc["metadata"]["uid"],
    )


def test_the_smallest_fitting_volume_wins(env):
    for name, size in (("big", "100Gi"), ("small", "500Mi"), ("medium", "2Gi"), ("exact", "1Gi")):
        env.pv(name, size)
    env.loop.settle()
    env.pvc("data", "1Gi")
    env.loop.settle()
    assert env.get_pvc("data")["spec"]["volumeName"] == "exact"
    env.pvc("more", "1.5Gi")
    env.loop.settle()
    assert env.get_pvc("more")["spec"]["volumeName"] == "medium"


def test_access_modes_must_all_be_offered(env):
    env.pv("rwo", modes=(RWO,))
    env.pv("rox", modes=(ROX,))
    env.loop.settle()
    env.pvc("shared", modes=(RWX,))
    env.pvc("reader", modes=(ROX,))
    env.loop.settle()
    assert env.phase("pvc", "shared") == "Pending"
    assert env.get_pvc("reader")["spec"]["volumeName"] == "rox"


def test_fewest_access_modes_group_is_tried_first(env):
    """index_test: a claim for RWO prefers an RWO volume over a larger-mode set, even smaller."""
    env.pv("multi", "1Gi", modes=(RWO, ROX, RWX))
    env.pv("single", "5Gi", modes=(RWO,))
    env.loop.settle()
    env.pvc("data", "1Gi", modes=(RWO,))
    env.loop.settle()
    assert env.get_pvc("data")["spec"]["volumeName"] == "single"


def test_storage_class_and_volume_mode_must_match(env):
    env.pv("fast", cls="fast")
    env.pv("block", volumeMode="Block")
    env.loop.settle()
    env.pvc("plain")
    env.pvc("fs-fast", cls="fast", volumeMode="Filesystem")
    env.pvc("raw", volumeMode="Block")
    env.loop.settle()
    assert env.phase("pvc", "plain") == "Pending"
    assert env.get_pvc("fs-fast")["spec"]["volumeName"] == "fast"
    assert env.get_pvc("raw")["spec"]["volumeName"] == "block"


def test_selector_limits_the_candidates(env):
    env.pv("ssd", "5Gi", labels={"disk": "ssd"})
    env.pv("hdd", "2Gi", labels={"disk": "hdd"})
    env.loop.settle()
    env.pvc("data", selector={"matchLabels": {"disk": "ssd"}})
    env.loop.settle()
    assert env.get_pvc("data")["spec"]["volumeName"] == "ssd"


def test_a_volume_too_small_is_not_bound_and_failed_binding_is_reported(env):
    env.pv("tiny", "100Mi")
    env.loop.settle()
    env.pvc("data", "1Gi")
    env.loop.settle()
    assert env.phase("pvc", "data") == "Pending"
    assert env.phase("pv", "tiny") == "Available"
    assert ("Normal", "FailedBinding", util_msg()) in env.events("data")


def util_msg():
    return "no persistent volumes available for this claim and no storage class is set"


def test_claim_waits_and_binds_when_a_volume_appears(env):
    env.pvc("data")
    env.loop.settle()
    assert env.phase("pvc", "data") == "Pending"
    env.pv("late")
    env.loop.settle()
    assert env.phase("pvc", "data") == "Bound"


def test_volume_name_prebinding(env):
    env.pv("small", "1Gi")
    env.pv("wanted", "50Gi")
    env.loop.settle()
    env.pvc("data", volumeName="wanted")
    env.loop.settle()
    pvc = env.get_pvc("data")
    assert pvc["spec"]["volumeName"] == "wanted" and pvc["status"]["phase"] == "Bound"
    assert util.ANN_BOUND_BY_CONTROLLER not in util.annotations_of(pvc)
    assert env.phase("pv", "small") == "Available"


def test_volume_name_prebinding_to_a_missing_or_unfit_volume_stays_pending(env):
    env.pvc("ghost", volumeName="nope")
    env.pv("tiny", "1Mi")
    env.loop.settle()
    env.pvc("big", "1Gi", volumeName="tiny")
    env.loop.settle()
    assert env.phase("pvc", "ghost") == "Pending"
    assert env.phase("pvc", "big") == "Pending"
    assert (
        "Warning",
        "VolumeMismatch",
        'Cannot bind to requested volume "tiny": requested PV is too small',
    ) in env.events("big")


def test_claim_ref_prebinding_reserves_the_volume(env):
    ref = {"namespace": "default", "name": "owner"}
    env.pv("reserved", "1Gi", claimRef=ref)
    env.loop.settle()
    assert env.phase("pv", "reserved") == "Available"
    env.pvc("intruder")
    env.loop.settle()
    assert env.phase("pvc", "intruder") == "Pending"
    env.pvc("owner")
    env.loop.settle()
    pv = env.get_pv("reserved")
    assert env.get_pvc("owner")["spec"]["volumeName"] == "reserved"
    assert pv["spec"]["claimRef"]["uid"] == env.get_pvc("owner")["metadata"]["uid"]
    assert util.ANN_BOUND_BY_CONTROLLER not in util.annotations_of(pv)


def test_prebound_volume_bound_to_another_claim(env):
    env.pv("pv1")
    env.loop.settle()
    env.pvc("first")
    env.loop.settle()
    env.pvc("second", volumeName="pv1")
    env.loop.settle()
    assert env.phase("pvc", "second") == "Pending"
    assert (
        "Warning",
        "FailedBinding",
        'volume "pv1" already bound to a different claim.',
    ) in env.events("second")


# -- classes and provisioning handover ----------------------------------------------------------
def test_default_storage_class_is_set_on_create(env):
    env.sc("slow")
    env.sc("standard", default=True)
    env.loop.settle()
    assert env.pvc("a", cls=None)["spec"]["storageClassName"] == "standard"
    assert env.pvc("b", cls="")["spec"]["storageClassName"] == ""
    assert env.pvc("c", cls="slow")["spec"]["storageClassName"] == "slow"


def test_default_class_newest_then_name():
    old = {
        "metadata": {
            "name": "b",
            "creationTimestamp": "2025-01-01T00:00:00Z",
            "annotations": {util.ANN_DEFAULT_CLASS: "true"},
        }
    }
    new = {
        "metadata": {
            "name": "z",
            "creationTimestamp": "2025-01-02T00:00:00Z",
            "annotations": {util.ANN_BETA_DEFAULT_CLASS: "true"},
        }
    }
    tie = {
        "metadata": {
            "name": "a",
            "creationTimestamp": "2025-01-02T00:00:00Z",
            "annotations": {util.ANN_DEFAULT_CLASS: "true"},
        }
    }
    assert default_class([old, new])["metadata"]["name"] == "z"
    assert default_class([old, new, tie])["metadata"]["name"] == "a"
    assert default_class([{"metadata": {"name": "x"}}]) is None


def test_claim_of_a_class_is_handed_to_the_external_provisioner(env):
    env.sc("nfs", provisioner="example.com/nfs")
    env.loop.settle()
    env.pvc("data", cls="nfs")
    env.loop.settle()
    pvc = env.get_pvc("data")
    assert util.annotations_of(pvc)[util.ANN_STORAGE_PROVISIONER] == "example.com/nfs"
    assert util.annotations_of(pvc)[util.ANN_BETA_STORAGE_PROVISIONER] == "example.com/nfs"
    (kind, reason, message), *_ = [e for e in env.events("data") if e[1] == "ExternalProvisioning"]
    assert kind == "Normal" and "external provisioner 'example.com/nfs'" in message


def test_missing_class_is_a_provisioning_failure(env):
    env.pvc("data", cls="gold")
    env.loop.settle()
    assert (
        "Warning",
        "ProvisioningFailed",
        'storageclass.storage.k8s.io "gold" not found',
    ) in env.events("data")


def test_wait_for_first_consumer_delays_binding(env):
    env.sc(
        "local",
        provisioner="kubernetes.io/no-provisioner",
        volumeBindingMode="WaitForFirstConsumer",
    )
    env.pv("disk", cls="local")
    env.loop.settle()
    env.pvc("data", cls="local")
    env.loop.settle()
    assert env.phase("pvc", "data") == "Pending"
    assert env.phase("pv", "disk") == "Available"
    assert (
        "Normal",
        "WaitForFirstConsumer",
        "waiting for first consumer to be created before binding",
    ) in env.events("data")


# -- phases of bound objects --------------------------------------------------------------------
def test_retain_keeps_a_released_volume(env):
    env.pv("pv1", policy="Retain")
    env.loop.settle()
    env.pvc("data")
    env.loop.settle()
    env.client.delete("persistentvolumeclaims", "data", "default")
    env.loop.settle()
    pv = env.get_pv("pv1")
    assert pv["status"]["phase"] == "Released"
    assert pv["spec"]["claimRef"]["name"] == "data"
    env.pvc("data")  # a new claim of the same name does not get the released volume
    env.loop.settle()
    assert env.phase("pvc", "data") == "Pending"


def test_delete_policy_removes_the_volume(env):
    env.pv("scratch", policy="Delete")
    env.loop.settle()
    env.pvc("data")
    env.loop.settle()
    env.client.delete("persistentvolumeclaims", "data", "default")
    env.loop.settle()
    assert env.client.list("persistentvolumes")["items"] == []


def test_delete_policy_outside_tmp_fails_like_the_hostpath_deleter(env):
    env.pv("data-pv", policy="Delete", hostPath={"path": "/data"})
    env.loop.settle()
    env.pvc("data")
    env.loop.settle()
    env.client.delete("persistentvolumeclaims", "data", "default")
    env.loop.settle()
    pv = env.get_pv("data-pv")
    assert pv["status"]["phase"] == "Failed"
    assert (
        pv["status"]["message"]
        == "host_path deleter only supports /tmp/.+ but received provided /data"
    )


def test_recycle_is_not_supported(env):
    env.pv("old", policy="Recycle")
    env.loop.settle()
    env.pvc("data")
    env.loop.settle()
    env.client.delete("persistentvolumeclaims", "data", "default")
    env.loop.settle()
    assert env.get_pv("old")["status"] == {
        "phase": "Failed",
        "message": "No recycler plugin found for the volume!",
        "lastPhaseTransitionTime": env.loop.timestamp(),
    }


def test_claim_is_lost_when_its_volume_goes(env):
    env.pv("pv1")
    env.loop.settle()
    env.pvc("data")
    env.loop.settle()
    pv = env.get_pv("pv1")
    pv["metadata"]["finalizers"] = []
    env.client.update("persistentvolumes", pv)
    env.client.delete("persistentvolumes", "pv1")
    env.loop.settle()
    assert env.phase("pvc", "data") == "Lost"
    assert (
        "Warning",
        "ClaimLost",
        "Bound claim has lost its PersistentVolume. Data on the volume is lost!",
    ) in env.events("data")


# -- protection finalizers ----------------------------------------------------------------------
def pod(name, claim, node="node-1"):
    return {
        "metadata": {"name": name},
        "spec": {
            "nodeName": node,
            "containers": [{"name": "c", "image": "busybox"}],
            "volumes": [{"name": "v", "persistentVolumeClaim": {"claimName": claim}}],
        },
    }


def test_a_claim_in_use_is_only_removed_after_its_pod(env):
    env.pv("pv1")
    env.loop.settle()
    assert env.get_pv("pv1")["metadata"]["finalizers"] == ["kubernetes.io/pv-protection"]
    assert env.pvc("data")["metadata"]["finalizers"] == ["kubernetes.io/pvc-protection"]
    env.client.create("pods", pod("user", "data"), "default")
    env.loop.settle()
    env.client.delete("persistentvolumeclaims", "data", "default")
    env.loop.settle()
    pvc = env.get_pvc("data")
    assert pvc["metadata"]["deletionTimestamp"] and pvc["status"]["phase"] == "Bound"
    env.client.delete("pods", "user", "default", grace_period_seconds=0)
    env.loop.settle()
    assert env.client.list("persistentvolumeclaims", "default")["items"] == []
    assert env.phase("pv", "pv1") == "Released"


def test_a_bound_volume_is_only_removed_after_release(env):
    env.pv("pv1")
    env.loop.settle()
    env.pvc("data")
    env.loop.settle()
    env.client.delete("persistentvolumes", "pv1")
    env.loop.settle()
    pv = env.get_pv("pv1")
    assert pv["metadata"]["deletionTimestamp"] and pv["status"]["phase"] == "Bound"
    env.client.delete("persistentvolumeclaims", "data", "default")
    env.loop.settle()
    assert env.client.list("persistentvolumes")["items"] == []


# -- expansion admission ------------------------------------------------------------------------
def test_expansion_needs_a_class_that_allows_it(env):
    env.sc("fixed")
    env.pv("pv1", "10Gi", cls="fixed")
    env.loop.settle()
    env.pvc("data", "1Gi", cls="fixed")
    env.loop.settle()
    claim = env.get_pvc("data")
    claim["spec"]["resources"]["requests"]["storage"] = "20Gi"
    with pytest.raises(Forbidden) as info:
        env.client.update("persistentvolumeclaims", claim)
    assert "the storageclass that provisions the pvc must support resize" in str(info.value)


# -- pure helpers -------------------------------------------------------------------------------
def volume(name, size, modes=(RWO,), phase="Available", **spec):
    meta = {"name": name, "labels": spec.pop("labels", {})}
    return {
        "metadata": meta,
        "spec": {"capacity": {"storage": size}, "accessModes": list(modes), **spec},
        "status": {"phase": phase},
    }


def claim(size="1Gi", modes=(RWO,), **spec):
    return {
        "metadata": {"name": "c", "namespace": "default", "uid": "u1"},
        "spec": {"accessModes": list(modes), "resources": {"requests": {"storage": size}}, **spec},
    }


NODE = {"metadata": {"name": "node-1", "labels": {"topology.hostpath.csi/node": "node-1"}}}
AFFINITY = {
    "required": {
        "nodeSelectorTerms": [
            {
                "matchExpressions": [
                    {"key": "topology.hostpath.csi/node", "operator": "In", "values": ["node-2"]}
                ]
            }
        ]
    }
}


def test_check_node_affinity():
    assert util.check_node_affinity(volume("a", "1Gi"), NODE) is None
    assert util.check_node_affinity(volume("b", "1Gi", nodeAffinity=AFFINITY), NODE) == (
        "no matching NodeSelectorTerms"
    )


def test_scheduler_path_checks_node_affinity_and_access_modes():
    vols = [volume("far", "1Gi", nodeAffinity=AFFINITY), volume("rox", "1Gi", modes=(ROX,))]
    assert util.find_matching_volume(claim(), vols, NODE) is None
    assert util.find_matching_volume(claim(), vols) is vols[0]  # the controller ignores both
    near = volume("near", "5Gi")
    assert util.find_matching_volume(claim(), [*vols, near], NODE) is near


def test_delay_binding_skips_all_but_prebound_volumes():
    free = volume("free", "1Gi")
    mine = volume("mine", "1Gi", claimRef={"namespace": "default", "name": "c", "uid": "u1"})
    assert util.find_matching_volume(claim(), [free], delay_binding=True) is None
    assert util.find_matching_volume(claim(), [free, mine], delay_binding=True) is mine


def test_unavailable_and_deleting_volumes_are_skipped():
    released = volume("r", "1Gi", phase="Released")
    deleting = volume("d", "1Gi")
    deleting["metadata"]["deletionTimestamp"] = "2025-01-01T00:00:00Z"
    assert util.find_matching_volume(claim(), [released, deleting]) is None


sizes = st.sampled_from(["500Mi", "1Gi", "2Gi", "5Gi", "10Gi"])
mode_sets = st.sampled_from([(RWO,), (ROX,), (RWO, ROX), (RWO, RWX)])


@settings(max_examples=60)
@given(st.lists(st.tuples(sizes, mode_sets), max_size=8), sizes, mode_sets)
def test_match_is_the_smallest_volume_that_fits(vols, size, modes):
    volumes = [volume(f"pv{i}", s, m) for i, (s, m) in enumerate(vols)]
    c = claim(size, modes)
    found = util.find_best_match_for_claim(c, volumes)
    fitting = [
        v
        for v in volumes
        if util.volume_capacity(v) >= util.claim_request(c) and util.check_access_modes(c, v)
    ]
    if found is None:
        assert fitting == []
        return
    assert util.volume_capacity(found) >= util.claim_request(c)
    assert util.check_access_modes(c, found)
    same_modes = [v for v in fitting if v["spec"]["accessModes"] == found["spec"]["accessModes"]]
    assert all(util.volume_capacity(found) <= util.volume_capacity(v) for v in same_modes)


@settings(max_examples=15)
@given(
    st.lists(sizes, min_size=1, max_size=5),
    st.lists(st.tuples(sizes, st.booleans()), min_size=1, max_size=6),
)
def test_never_two_claims_on_one_volume_nor_a_too_small_volume(pv_sizes, claims):
    env = Env()
    for i, size in enumerate(pv_sizes):
        env.pv(f"pv{i}", size)
    for i, (size, prebind) in enumerate(claims):
        extra = {"volumeName": f"pv{i % len(pv_sizes)}"} if prebind else {}
        env.pvc(f"c{i}", size, **extra)
    env.loop.settle()
    bound = [
        c
        for c in env.client.list("persistentvolumeclaims", "default")["items"]
        if c["status"]["phase"] == "Bound"
    ]
    names = [c["spec"]["volumeName"] for c in bound]
    assert len(names) == len(set(names))
    for c in bound:
        pv = env.get_pv(c["spec"]["volumeName"])
        assert util.volume_capacity(pv) >= util.claim_request(c)
        assert util.is_volume_bound_to_claim(pv, c) and pv["status"]["phase"] == "Bound"
    bound_pvs = [
        v for v in env.client.list("persistentvolumes")["items"] if v["status"]["phase"] == "Bound"
    ]
    assert len(bound_pvs) == len(bound)


# -- audit against v1.31 pv_controller.go ------------------------------------------------------
def test_claim_without_class_gets_the_default_class_retroactively(env):
    """RetroactiveDefaultStorageClass (GA 1.28): `storageClassName` unset, no default class at
    creation; a default class created later is written into the claim, which is then handed to
    its provisioner. A claim with `storageClassName: ""` keeps asking for no class."""
    env.pvc("later", cls=None)
    env.pvc("none", cls="")
    env.loop.settle()
    assert "storageClassName" not in env.get_pvc("later")["spec"]
    env.sc("standard", default=True, provisioner="example.com/nfs")
    env.loop.settle()
    later = env.get_pvc("later")
    assert later["spec"]["storageClassName"] == "standard"
    assert util.annotations_of(later)[util.ANN_STORAGE_PROVISIONER] == "example.com/nfs"
    assert env.get_pvc("none")["spec"]["storageClassName"] == ""


def test_an_unscheduled_pod_turns_wait_for_first_consumer_into_wait_for_pod_scheduled(env):
    env.sc("local", provisioner="example.com/local", volumeBindingMode="WaitForFirstConsumer")
    env.loop.settle()
    for name in ("web-1", "web-0"):
        unscheduled = pod(name, "data")
        del unscheduled["spec"]["nodeName"]
        env.client.create("pods", unscheduled, "default")
    env.pvc("data", cls="local")
    env.loop.settle()
    assert ("Normal", "WaitForPodScheduled", "waiting for pods web-0,web-1 to be scheduled") in (
        env.events("data")
    )


def test_an_unknown_in_tree_provisioner_fails(env):
    env.sc("local", provisioner="kubernetes.io/no-provisioner")
    env.loop.settle()
    env.pvc("data", cls="local")
    env.loop.settle()
    assert (
        "Warning",
        "ProvisioningFailed",
        "no volume plugin matched name: kubernetes.io/no-provisioner",
    ) in env.events("data")
    assert util.ANN_STORAGE_PROVISIONER not in util.annotations_of(env.get_pvc("data"))


def test_a_static_csi_volume_with_delete_policy_fails_once(env):
    """findDeletablePlugin: only volumes an external provisioner made are left to it."""
    csi = {"driver": "hostpath.csi.k8s.io", "volumeHandle": "h1"}
    env.pv("static", policy="Delete", hostPath=None, csi=csi)
    env.loop.settle()
    env.pvc("data")
    env.loop.settle()
    env.client.delete("persistentvolumeclaims", "data", "default")
    env.loop.settle()
    message = (
        'error getting deleter volume plugin for volume "static": '
        "no deletable volume plugin matched"
    )
    pv = env.get_pv("static")
    assert (pv["status"]["phase"], pv["status"]["message"]) == ("Failed", message)
    env.client.update("persistentvolumes", pv)  # another sync: no second event
    env.loop.settle()
    assert env.events("static").count(("Warning", "VolumeFailedDelete", message)) == 1


def test_the_hostpath_deleter_accepts_any_path_containing_tmp(env):
    """`regexp.MatchString("/tmp/.+")` searches: /var/tmp/x may be deleted."""
    env.pv("scratch", policy="Delete", hostPath={"path": "/var/tmp/scratch"})
    env.loop.settle()
    env.pvc("data")
    env.loop.settle()
    env.client.delete("persistentvolumeclaims", "data", "default")
    env.loop.settle()
    assert env.client.list("persistentvolumes")["items"] == []


def test_a_lost_claim_reports_no_capacity_and_a_misbound_claim_says_so(env):
    env.pv("pv1")
    env.loop.settle()
    env.pvc("data")
    env.loop.settle()
    pv = env.get_pv("pv1")
    pv["spec"]["claimRef"]["uid"] = "someone-else"
    env.client.update("persistentvolumes", pv)
    env.loop.settle()
    pvc = env.get_pvc("data")
    assert pvc["status"] == {"phase": "Lost"}
    assert ("Warning", "ClaimMisbound", MSG_MISBOUND) in env.events("data")


MSG_MISBOUND = "Two claims are bound to the same volume, this one is bound incorrectly"


def test_prebound_volume_being_deleted_or_offering_other_modes_is_a_mismatch(env):
    env.pv("going")
    env.pv("reader", modes=(ROX,))
    env.loop.settle()
    going = env.get_pv("going")
    going["metadata"]["finalizers"].append("example.com/hold")
    env.client.update("persistentvolumes", going)
    env.client.delete("persistentvolumes", "going")  # held by the extra finalizer
    env.loop.settle()
    env.pvc("a", volumeName="going")
    env.pvc("b", volumeName="reader")
    env.loop.settle()
    assert (
        "Warning",
        "VolumeMismatch",
        'Cannot bind to requested volume "going": the volume is marked for deletion "going"',
    ) in env.events("a")
    assert (
        "Warning",
        "VolumeMismatch",
        'Cannot bind to requested volume "reader": incompatible accessMode',
    ) in env.events("b")


def test_a_volume_prebound_to_a_claim_of_another_volume_mode_warns_both(env):
    """binder_test 14-13: syncVolume reports the mismatch on the volume and on the claim."""
    env.pvc("data", volumeMode="Filesystem")
    env.loop.settle()
    uid = env.get_pvc("data")["metadata"]["uid"]
    ref = {"namespace": "default", "name": "data", "uid": uid}
    env.pv("raw", volumeMode="Block", claimRef=ref)
    env.loop.settle()
    assert (
        "Warning",
        "VolumeMismatch",
        'Cannot bind PersistentVolume to requested PersistentVolumeClaim "data" due to '
        "incompatible volumeMode.",
    ) in env.events("raw")
    assert (
        "Warning",
        "VolumeMismatch",
        'Cannot bind PersistentVolume "raw" to requested PersistentVolumeClaim due to '
        "incompatible volumeMode.",
    ) in env.events("data")
    assert env.phase("pvc", "data") == "Pending"


def test_binder_events_come_from_the_persistentvolume_controller(env):
    env.pvc("data")
    env.loop.settle()
    (event,) = env.client.list("events", "default")["items"]
    assert (event["reason"], event["source"]) == (
        "FailedBinding",
        {"component": "persistentvolume-controller"},
    )


def test_last_phase_transition_time_follows_each_phase(env):
    """PersistentVolumeLastPhaseTransitionTime (GA 1.31): Pending at creation, then each phase
    the binder writes gets the time of the change."""
    created = env.pv("pv1")["status"]
    assert created == {"phase": "Pending", "lastPhaseTransitionTime": "2025-01-01T00:00:00Z"}
    env.loop.settle()
    env.loop.run_for(5)
    env.pvc("data")
    env.loop.settle()
    assert env.get_pv("pv1")["status"]["lastPhaseTransitionTime"] == "2025-01-01T00:00:05Z"
    env.loop.run_for(5)
    env.client.delete("persistentvolumeclaims", "data", "default")
    env.loop.settle()
    assert env.get_pv("pv1")["status"] == {
        "phase": "Released",
        "lastPhaseTransitionTime": "2025-01-01T00:00:10Z",
    }
