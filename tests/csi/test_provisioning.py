"""Dynamic provisioning through the host-path CSI driver: the external-provisioner, the PV
controller's handover, topology, WaitForFirstConsumer, reclaim Delete and Retain, errors."""

from __future__ import annotations

from minik8s.controllers import pv_util as util
from minik8s.csi.hostpath import DRIVER_NAME, TOPOLOGY_KEY
from minik8s.csi.provisioner import accessibility_requirements, node_affinity

from .conftest import StorageEnv


def test_immediate_class_provisions_and_binds(env):
    env.storage_class()
    env.loop.settle()
    claim = env.pvc("data", "2Gi")
    assert claim["spec"]["storageClassName"] == "standard"  # DefaultStorageClass
    env.loop.settle()
    claim = env.get("persistentvolumeclaims", "data")
    name = f"pvc-{claim['metadata']['uid']}"
    pv = env.get("persistentvolumes", name, None)
    assert claim["status"]["phase"] == "Bound" and claim["spec"]["volumeName"] == name
    assert claim["status"]["capacity"] == {"storage": "2Gi"}
    assert pv["status"]["phase"] == "Bound"
    assert pv["spec"]["persistentVolumeReclaimPolicy"] == "Delete"
    assert pv["spec"]["storageClassName"] == "standard"
    assert pv["spec"]["csi"]["driver"] == DRIVER_NAME
    assert pv["metadata"]["annotations"][util.ANN_DYNAMICALLY_PROVISIONED] == DRIVER_NAME
    handle = pv["spec"]["csi"]["volumeHandle"]
    assert env.driver.volume(handle).capacity_bytes == 2 << 30
    # a local volume is pinned to one node, and the PV says so
    node = env.driver.volume(handle).node
    assert node in ("node-1", "node-2")
    term = pv["spec"]["nodeAffinity"]["required"]["nodeSelectorTerms"][0]
    assert term == {"matchExpressions": [{"key": TOPOLOGY_KEY, "operator": "In", "values": [node]}]}
    reasons = [reason for _, reason, _ in env.events("data")]
    assert "ExternalProvisioning" in reasons
    assert (
        "Normal",
        "ProvisioningSucceeded",
        f"Successfully provisioned volume {name}",
    ) in env.events("data")


def test_wait_for_first_consumer_provisions_on_the_selected_node(env):
    env.storage_class(volumeBindingMode="WaitForFirstConsumer")
    env.loop.settle()
    env.pvc("data")
    env.loop.settle()
    assert env.get("persistentvolumeclaims", "data")["status"]["phase"] == "Pending"
    assert env.client.list("persistentvolumes")["items"] == []
    # the scheduler's VolumeBinding plugin picks node-2 for the pod using the claim
    claim = env.get("persistentvolumeclaims", "data")
    claim["metadata"].setdefault("annotations", {})[util.ANN_SELECTED_NODE] = "node-2"
    env.client.update("persistentvolumeclaims", claim)
    env.loop.settle()
    claim = env.get("persistentvolumeclaims", "data")
    assert claim["status"]["phase"] == "Bound"
    pv = env.get("persistentvolumes", claim["spec"]["volumeName"], None)
    assert env.driver.volume(pv["spec"]["csi"]["volumeHandle"]).node == "node-2"
    assert util.check_node_affinity(pv, env.get("nodes", "node-2", None)) is None
    assert util.check_node_affinity(pv, env.get("nodes", "node-1", None))


def test_delete_policy_deletes_the_backing_volume_and_the_pv(env):
    env.storage_class()
    env.loop.settle()
    env.pvc("data")
    env.loop.settle()
    assert len(env.driver.volumes) == 1
    env.client.delete("persistentvolumeclaims", "data", "default")
    env.loop.settle()
    assert env.driver.volumes == {}
    assert env.client.list("persistentvolumes")["items"] == []


def test_retain_policy_keeps_the_data(env):
    env.storage_class(reclaimPolicy="Retain")
    env.loop.settle()
    env.pvc("data")
    env.loop.settle()
    env.client.delete("persistentvolumeclaims", "data", "default")
    env.loop.settle()
    (pv,) = env.client.list("persistentvolumes")["items"]
    assert pv["status"]["phase"] == "Released"
    assert list(env.driver.volumes) == [pv["spec"]["csi"]["volumeHandle"]]


def test_a_claim_bigger_than_the_driver_allows_fails_clearly(env):
    env.storage_class()
    env.loop.settle()
    env.pvc("huge", "2Ti")
    env.loop.settle()
    assert env.get("persistentvolumeclaims", "huge")["status"]["phase"] == "Pending"
    message = (
        'failed to provision volume with StorageClass "standard": rpc error: code = OutOfRange '
        f"desc = Requested capacity {2 << 40} exceeds maximum allowed {1 << 40}"
    )
    assert ("Warning", "ProvisioningFailed", message) in env.events("huge")


def test_an_existing_volume_is_used_before_provisioning(env):
    env.storage_class()
    pv = {
        "metadata": {"name": "manual"},
        "spec": {
            "capacity": {"storage": "5Gi"},
            "accessModes": ["ReadWriteOnce"],
            "storageClassName": "standard",
            "hostPath": {"path": "/tmp/manual"},
        },
    }
    env.client.create("persistentvolumes", pv)
    env.loop.settle()
    env.pvc("data")
    env.loop.settle()
    assert env.get("persistentvolumeclaims", "data")["spec"]["volumeName"] == "manual"
    assert env.driver.volumes == {}


def test_network_storage_has_no_node_affinity():
    env = StorageEnv(local=False)
    env.storage_class()
    env.loop.settle()
    env.pvc("data", modes=("ReadWriteMany",))
    env.loop.settle()
    (pv,) = env.client.list("persistentvolumes")["items"]
    assert "nodeAffinity" not in pv["spec"] and pv["spec"]["accessModes"] == ["ReadWriteMany"]


def test_accessibility_requirements_are_deterministic():
    nodes = [{"metadata": {"name": f"n{i}", "labels": {}}} for i in range(3)]
    claim = {"metadata": {"name": "data"}}
    first = accessibility_requirements(claim, nodes, None)
    assert first == accessibility_requirements(claim, list(reversed(nodes)), None)
    assert sorted(s[TOPOLOGY_KEY] for s in first["preferred"]) == ["n0", "n1", "n2"]
    assert accessibility_requirements(claim, nodes, nodes[1]) == {
        "requisite": [{TOPOLOGY_KEY: "n1"}],
        "preferred": [{TOPOLOGY_KEY: "n1"}],
    }
    assert node_affinity([]) is None


def test_statefulset_claims_are_provisioned_one_volume_each():
    from minik8s.controllers.statefulset import StatefulSetController

    env = StorageEnv(extra_controllers=(StatefulSetController,))
    env.storage_class()
    sts = {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": "db"},
        "spec": {
            "replicas": 3,
            "podManagementPolicy": "Parallel",
            "serviceName": "db",
            "selector": {"matchLabels": {"app": "db"}},
            "template": {
                "metadata": {"labels": {"app": "db"}},
                "spec": {"containers": [{"name": "db", "image": "postgres"}]},
            },
            "volumeClaimTemplates": [
                {
                    "metadata": {"name": "data"},
                    "spec": {
                        "accessModes": ["ReadWriteOnce"],
                        "resources": {"requests": {"storage": "1Gi"}},
                    },
                }
            ],
        },
    }
    env.client.create("statefulsets", sts, "default")
    env.loop.settle()
    claims = env.client.list("persistentvolumeclaims", "default")["items"]
    assert [c["metadata"]["name"] for c in claims] == ["data-db-0", "data-db-1", "data-db-2"]
    assert all(c["status"]["phase"] == "Bound" for c in claims)
    assert all(c["spec"]["storageClassName"] == "standard" for c in claims)
    assert len({c["spec"]["volumeName"] for c in claims}) == 3
    assert len(env.driver.volumes) == 3


def test_provisioner_events_name_the_provisioner_its_host_and_an_id(env):
    """sig-storage-lib-external-provisioner: source `<provisioner>_<hostname>_<uuid>`."""
    env.storage_class()
    env.loop.settle()
    env.pvc("data")
    env.loop.settle()
    sources = {
        e["reason"]: e["source"]["component"] for e in env.client.list("events", "default")["items"]
    }
    provisioner, host, unique = sources["ProvisioningSucceeded"].split("_")
    assert (provisioner, host, len(unique)) == (DRIVER_NAME, "csi-hostpathplugin-0", 36)
    assert sources["Provisioning"] == sources["ProvisioningSucceeded"]
    assert sources["ExternalProvisioning"] == "persistentvolume-controller"


def test_provisioned_pv_carries_the_provisioner_identity(env):
    """`storage.kubernetes.io/csiProvisionerIdentity`: `<start ms>-<0..9999>-<provisioner>`."""
    env.storage_class()
    env.loop.settle()
    env.pvc("data")
    env.loop.settle()
    claim = env.get("persistentvolumeclaims", "data")
    pv = env.get("persistentvolumes", claim["spec"]["volumeName"], None)
    identity = pv["spec"]["csi"]["volumeAttributes"]["storage.kubernetes.io/csiProvisionerIdentity"]
    millis, number, provisioner = identity.split("-", 2)
    assert (millis, provisioner) == ("1735689600000", DRIVER_NAME)
    assert 0 <= int(number) < 10000


def test_a_claim_already_provisioned_is_not_provisioned_again(env):
    """provisionClaimOperation: the PV `pvc-<uid>` exists → nothing to do, also for
    WaitForFirstConsumer claims whose node is chosen."""
    env.storage_class(volumeBindingMode="WaitForFirstConsumer")
    env.loop.settle()
    env.pvc("data")
    env.loop.settle()
    claim = env.get("persistentvolumeclaims", "data")
    claim["metadata"].setdefault("annotations", {})[util.ANN_SELECTED_NODE] = "node-1"
    claim = env.client.update("persistentvolumeclaims", claim)
    env.loop.settle()
    provisioner = next(c for c in env.controllers if type(c).__name__ == "ExternalProvisioner")
    claim = env.get("persistentvolumeclaims", "data")
    del claim["spec"]["volumeName"]  # as if the binder had not caught up yet
    assert not provisioner.should_provision(claim)
