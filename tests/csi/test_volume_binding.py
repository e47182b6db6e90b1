"""The scheduler-side helpers (`pv_scheduling`, after upstream's volumebinding binder_test.go):
PreFilter sorting, per-node Filter reasons, PreBind writes, then the controllers finish."""

from __future__ import annotations

from minik8s.controllers import pv_scheduling as vb
from minik8s.controllers import pv_util as util
from minik8s.csi.hostpath import TOPOLOGY_KEY


def state(env):
    claims = {
        c["metadata"]["name"]: c
        for c in env.client.list("persistentvolumeclaims", "default")["items"]
    }
    classes = {sc["metadata"]["name"]: sc for sc in env.client.list("storageclasses")["items"]}
    volumes = env.client.list("persistentvolumes")["items"]
    return claims, classes, volumes


def local_pv(env, name, node, size="5Gi", cls="local"):
    affinity = {
        "required": {
            "nodeSelectorTerms": [
                {"matchExpressions": [{"key": TOPOLOGY_KEY, "operator": "In", "values": [node]}]}
            ]
        }
    }
    spec = {
        "capacity": {"storage": size},
        "accessModes": ["ReadWriteOnce"],
        "storageClassName": cls,
        "local": {"path": f"/mnt/{name}"},
        "nodeAffinity": affinity,
    }
    return env.client.create("persistentvolumes", {"metadata": {"name": name}, "spec": spec})


def pod_obj(*claims):
    volumes = [{"name": c, "persistentVolumeClaim": {"claimName": c}} for c in claims]
    return {"metadata": {"name": "p", "namespace": "default"}, "spec": {"volumes": volumes}}


def test_prefilter_sorts_claims_and_reports_missing_ones(env):
    env.storage_class("fast")
    env.storage_class("local", volumeBindingMode="WaitForFirstConsumer")
    env.loop.settle()
    env.pvc("now", storageClassName="fast")
    env.pvc("later", storageClassName="local")
    claims, classes, _ = state(env)
    sorted_claims, error = vb.get_pod_volume_claims(pod_obj("now", "later"), claims, classes)
    assert error is None
    assert [c["metadata"]["name"] for c in sorted_claims.unbound_immediate] == ["now"]
    assert [c["metadata"]["name"] for c in sorted_claims.unbound_delay_binding] == ["later"]
    assert vb.get_pod_volume_claims(pod_obj("nope"), claims, classes) == (
        None,
        'persistentvolumeclaim "nope" not found',
    )


def test_filter_and_prebind_with_local_volumes(env):
    env.storage_class(
        "local", provisioner=vb.NO_PROVISIONER, volumeBindingMode="WaitForFirstConsumer"
    )
    local_pv(env, "disk-1", "node-1")
    env.loop.settle()
    env.pvc("data", storageClassName="local")
    env.loop.settle()
    claims, classes, volumes = state(env)
    pod_claims, _ = vb.get_pod_volume_claims(pod_obj("data"), claims, classes)
    node1, node2 = env.get("nodes", "node-1", None), env.get("nodes", "node-2", None)
    assert vb.find_pod_volumes(pod_claims, node2, volumes, classes).reasons == [
        vb.ERR_REASON_BIND_CONFLICT
    ]
    fit = vb.find_pod_volumes(pod_claims, node1, volumes, classes)
    assert fit.reasons == [] and [pv["metadata"]["name"] for pv, _ in fit.bindings] == ["disk-1"]
    vb.bind_pod_volumes(env.client, fit, "node-1")
    env.loop.settle()
    claim = env.get("persistentvolumeclaims", "data")
    assert claim["spec"]["volumeName"] == "disk-1" and vb.all_bound([claim])
    # the claim is bound now: another node has a volume node affinity conflict
    claims, classes, volumes = state(env)
    pod_claims, _ = vb.get_pod_volume_claims(pod_obj("data"), claims, classes)
    assert vb.find_pod_volumes(pod_claims, node2, volumes, classes).reasons == [
        vb.ERR_REASON_NODE_CONFLICT
    ]


def test_prebind_selects_the_node_for_dynamic_provisioning(env):
    env.storage_class(volumeBindingMode="WaitForFirstConsumer")
    env.loop.settle()
    env.pvc("data")
    env.loop.settle()
    claims, classes, volumes = state(env)
    pod_claims, _ = vb.get_pod_volume_claims(pod_obj("data"), claims, classes)
    fit = vb.find_pod_volumes(pod_claims, env.get("nodes", "node-1", None), volumes, classes)
    assert fit.reasons == [] and [c["metadata"]["name"] for c in fit.provisions] == ["data"]
    vb.bind_pod_volumes(env.client, fit, "node-1")
    env.loop.settle()
    claim = env.get("persistentvolumeclaims", "data")
    assert util.annotations_of(claim)[util.ANN_SELECTED_NODE] == "node-1"
    assert claim["status"]["phase"] == "Bound"
    pv = env.get("persistentvolumes", claim["spec"]["volumeName"], None)
    assert env.driver.volume(pv["spec"]["csi"]["volumeHandle"]).node == "node-1"
    # a claim bound to a missing PV makes every node unavailable
    gone = dict(claim, spec=dict(claim["spec"], volumeName="missing"))
    missing = vb.PodVolumeClaims(bound=[gone])
    node = env.get("nodes", "node-1", None)
    assert vb.find_pod_volumes(missing, node, [], classes).reasons == [vb.ERR_REASON_PV_NOT_EXIST]


def test_allowed_topologies_limit_provisioning(env):
    allowed = [{"matchLabelExpressions": [{"key": TOPOLOGY_KEY, "values": ["node-2"]}]}]
    env.storage_class(volumeBindingMode="WaitForFirstConsumer", allowedTopologies=allowed)
    env.loop.settle()
    env.pvc("data")
    claims, classes, volumes = state(env)
    pod_claims, _ = vb.get_pod_volume_claims(pod_obj("data"), claims, classes)
    for node, reasons in (("node-1", [vb.ERR_REASON_BIND_CONFLICT]), ("node-2", [])):
        fit = vb.find_pod_volumes(pod_claims, env.get("nodes", node, None), volumes, classes)
        assert fit.reasons == reasons
