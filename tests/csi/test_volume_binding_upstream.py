# ruff: noqa: E501
"""upstream `pkg/scheduler/framework/plugins/volumebinding/binder_test.go`
(`TestFindPodVolumesWithoutProvisioning`, `TestFindPodVolumesWithProvisioning`, "no CSIDriver"
runs) against `pv_scheduling.get_pod_volume_claims` + `find_pod_volumes` on node1.

As upstream's `findPodVolumes` helper, a pod with unbound immediate claims fails. Provisions are
compared only where the node fits (upstream stops collecting them at the first conflict).
"""

from __future__ import annotations

import pytest

from minik8s.controllers import pv_util as util
from minik8s.controllers.pv_scheduling import (
    ERR_REASON_BIND_CONFLICT,
    ERR_REASON_NODE_CONFLICT,
    ERR_REASON_PV_NOT_EXIST,
    find_pod_volumes,
    get_pod_volume_claims,
)

KEY = "nodeKey"
WAIT, IMMEDIATE, WAIT_PROV, TOPO = (
    "waitClass",
    "immediateClass",
    "waitClassWithProvisioner",
    "topoMismatchClass",
)
CLASSES = {
    WAIT_PROV: {
        "metadata": {"name": WAIT_PROV},
        "volumeBindingMode": "WaitForFirstConsumer",
        "provisioner": "test-provisioner",
        "allowedTopologies": [
            {"matchLabelExpressions": [{"key": KEY, "values": ["node1", "reference-value"]}]}
        ],
    },
    IMMEDIATE: {"metadata": {"name": IMMEDIATE}, "volumeBindingMode": "Immediate"},
    WAIT: {
        "metadata": {"name": WAIT},
        "volumeBindingMode": "WaitForFirstConsumer",
        "provisioner": "kubernetes.io/no-provisioner",
    },
    TOPO: {
        "metadata": {"name": TOPO},
        "volumeBindingMode": "WaitForFirstConsumer",
        "provisioner": "test-provisioner",
        "allowedTopologies": [
            {"matchLabelExpressions": [{"key": KEY, "values": ["reference-value"]}]}
        ],
    },
}
NODE1 = {"metadata": {"name": "node1", "labels": {KEY: "node1"}}}


def make_pvc(name, size, state, pv_name="", cls=WAIT):
    """upstream `makeTestPVC`: unbound, prebound (volumeName only), bound (+bind-completed),
    selected-node."""
    meta = {"name": name, "namespace": "testns", "uid": f"uid-{name}", "annotations": {}}
    spec = {"resources": {"requests": {"storage": size}}, "storageClassName": cls}
    if state in ("prebound", "bound"):
        spec["volumeName"] = pv_name
    if state == "bound":
        meta["annotations"][util.ANN_BIND_COMPLETED] = "yes"
    if state == "selected-node":
        meta["annotations"][util.ANN_SELECTED_NODE] = "node1"
    return {"metadata": meta, "spec": spec}


def make_pv(name, node, size, bound_to=None, cls=WAIT):
    """upstream `makeTestPV`: Available, node affinity `nodeKey In [node]`."""
    spec = {"capacity": {"storage": size}, "storageClassName": cls}
    if node:
        expr = {"key": KEY, "operator": "In", "values": [node]}
        spec["nodeAffinity"] = {"required": {"nodeSelectorTerms": [{"matchExpressions": [expr]}]}}
    meta: dict = {"name": name}
    if bound_to is not None:
        spec["claimRef"] = util.claim_ref(bound_to)
        meta["annotations"] = {util.ANN_BOUND_BY_CONTROLLER: "yes"}
    return {"metadata": meta, "spec": spec, "status": {"phase": "Available"}}


unbound = make_pvc("unbound-pvc", "1G", "unbound")
unbound2 = make_pvc("unbound-pvc2", "5G", "unbound")
bound = make_pvc("bound-pvc", "1G", "bound", "pv-bound")
prebound = make_pvc("prebound-pvc", "1G", "prebound", "pv-node1a")
immediate_unbound = make_pvc("immediate-unbound-pvc", "1G", "unbound", cls=IMMEDIATE)
immediate_bound = make_pvc("immediate-bound-pvc", "1G", "bound", "pv-bound-immediate", IMMEDIATE)
provisioned = make_pvc("provisioned-pvc", "1Gi", "unbound", cls=WAIT_PROV)
selected_node = make_pvc("provisioned-pvc", "1Gi", "selected-node", cls=WAIT_PROV)
no_provisioner = make_pvc("no-provisioner-pvc", "1Gi", "unbound")
topo_mismatch = make_pvc("topo-mismatch-pvc", "1Gi", "unbound", cls=TOPO)

pv_node1a = make_pv("pv-node1a", "node1", "5G")
pv_node1b = make_pv("pv-node1b", "node1", "10G")
pv_node2 = make_pv("pv-node2", "node2", "1G")
pv_bound = make_pv("pv-bound", "node1", "1G", bound)
pv_node1a_bound = make_pv("pv-node1a", "node1", "5G", unbound)
pv_bound_immediate = make_pv("pv-bound-immediate", "node1", "1G", immediate_bound, IMMEDIATE)
pv_bound_immediate_node2 = make_pv("pv-bound-immediate", "node2", "1G", immediate_bound, IMMEDIATE)

# name: (pod claims, pvs, bindings (claim, pv), provisions, reasons, should_fail, cache claims)
SCENARIOS = {
    "no-volumes": ([], [], [], [], [], False),
    "pvc-not-found": ([bound], [], [], [], [], True, []),
    "bound-pvc": ([bound], [pv_bound], [], [], [], False),
    "bound-pvc,pv-not-exists": ([bound], [], [], [], [ERR_REASON_PV_NOT_EXIST], False),
    "prebound-pvc": ([prebound], [pv_node1a_bound], [], [], [], True),
    "unbound-pvc,pv-same-node": (
        [unbound], [pv_node2, pv_node1a, pv_node1b], [("unbound-pvc", "pv-node1a")], [], [], False
    ),
    "unbound-pvc,pv-different-node": ([unbound], [pv_node2], [], [], [ERR_REASON_BIND_CONFLICT], False),
    "two-unbound-pvcs": (
        [unbound, unbound2], [pv_node1a, pv_node1b],
        [("unbound-pvc", "pv-node1a"), ("unbound-pvc2", "pv-node1b")], [], [], False,
    ),
    "two-unbound-pvcs,order-by-size": (
        [unbound2, unbound], [pv_node1a, pv_node1b],
        [("unbound-pvc", "pv-node1a"), ("unbound-pvc2", "pv-node1b")], [], [], False,
    ),
    "two-unbound-pvcs,partial-match": (
        [unbound, unbound2], [pv_node1a], [("unbound-pvc", "pv-node1a")], [],
        [ERR_REASON_BIND_CONFLICT], False,
    ),
    "one-bound,one-unbound": (
        [unbound, bound], [pv_bound, pv_node1a], [("unbound-pvc", "pv-node1a")], [], [], False
    ),
    "one-bound,one-unbound,no-match": (
        [unbound, bound], [pv_bound, pv_node2], [], [], [ERR_REASON_BIND_CONFLICT], False
    ),
    "one-prebound,one-unbound": ([unbound, prebound], [pv_node1a, pv_node1b], [], [], [], True),
    "immediate-bound-pvc": ([immediate_bound], [pv_bound_immediate], [], [], [], False),
    "immediate-bound-pvc-wrong-node": (
        [immediate_bound], [pv_bound_immediate_node2], [], [], [ERR_REASON_NODE_CONFLICT], False
    ),
    "immediate-unbound-pvc": ([immediate_unbound], [], [], [], [], True),
    "immediate-unbound-pvc,delayed-mode-bound": ([immediate_unbound, bound], [pv_bound], [], [], [], True),
    "immediate-unbound-pvc,delayed-mode-unbound": ([immediate_unbound, unbound], [], [], [], [], True),
    # TestFindPodVolumesWithProvisioning
    "one-provisioned": ([provisioned], [], [], ["provisioned-pvc"], [], False),
    "two-unbound-pvcs,one-matched,one-provisioned": (
        [unbound, provisioned], [pv_node1a], [("unbound-pvc", "pv-node1a")], ["provisioned-pvc"],
        [], False,
    ),
    "one-bound,one-provisioned": ([bound, provisioned], [pv_bound], [], ["provisioned-pvc"], [], False),
    "one-binding,one-selected-node": (
        [bound, selected_node], [pv_bound], [], ["provisioned-pvc"], [], False
    ),
    "one-immediate-bound,one-provisioned": (
        [immediate_bound, provisioned], [pv_bound_immediate], [], ["provisioned-pvc"], [], False
    ),
    "invalid-provisioner": ([no_provisioner], [], [], [], [ERR_REASON_BIND_CONFLICT], False),
    "volume-topology-unsatisfied": ([topo_mismatch], [], [], [], [ERR_REASON_BIND_CONFLICT], False),
}  # fmt: skip


def pod_with(claims):
    volumes = [
        {"name": f"vol{i}", "persistentVolumeClaim": {"claimName": c["metadata"]["name"]}}
        for i, c in enumerate(claims)
    ]
    return {"metadata": {"name": "test-pod", "namespace": "testns"}, "spec": {"volumes": volumes}}


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_find_pod_volumes(name):
    pod_claims, pvs, bindings, provisions, reasons, should_fail, *cache = SCENARIOS[name]
    cached = cache[0] if cache else pod_claims
    claims = {c["metadata"]["name"]: c for c in cached}
    sorted_claims, error = get_pod_volume_claims(pod_with(pod_claims), claims, CLASSES)
    if sorted_claims is None or sorted_claims.unbound_immediate:
        assert should_fail, error
        return
    assert not should_fail
    found = find_pod_volumes(sorted_claims, NODE1, pvs, CLASSES)
    assert sorted(found.reasons) == sorted(reasons)
    got = [(claim["metadata"]["name"], pv["metadata"]["name"]) for pv, claim in found.bindings]
    assert got == bindings
    if not reasons:
        assert [c["metadata"]["name"] for c in found.provisions] == provisions


def test_pre_filter_messages_of_pod_has_pvcs():
    """upstream `podHasPVCs`: Lost claims and missing ephemeral claims say why."""
    lost = make_pvc("data", "1G", "bound", "gone")
    lost["status"] = {"phase": "Lost"}
    _, error = get_pod_volume_claims(pod_with([lost]), {"data": lost}, CLASSES)
    assert error == 'persistentvolumeclaim "data" bound to non-existent persistentvolume "gone"'
    pod = {
        "metadata": {"name": "web", "namespace": "testns"},
        "spec": {"volumes": [{"name": "scratch", "ephemeral": {"volumeClaimTemplate": {}}}]},
    }
    _, error = get_pod_volume_claims(pod, {}, CLASSES)
    assert error == (
        'waiting for ephemeral volume controller to create the persistentvolumeclaim "web-scratch"'
    )
