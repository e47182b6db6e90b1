"""DaemonSet controller: eligibility (upstream's TestNodeShouldRunDaemonPod cases), the pure plan,
rolling updates, status, scenarios through the Cluster facade, and convergence as a property."""

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minik8s import Cluster
from minik8s.api.defaults import apply_defaults
from minik8s.controllers.daemonset_control import daemon_set_status, plan
from minik8s.controllers.daemonset_util import (
    ControllerExpectations,
    create_pod_template,
    get_target_node_name,
    node_should_run_daemon_pod,
    replace_node_name_affinity,
)

T0 = "2025-01-01T00:00:00Z"
HASH = "abc"


def ds(**spec):
    template_spec = spec.pop("template_spec", {})
    obj = {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": {"name": "agent", "namespace": "default", "uid": "ds-uid", "generation": 1},
        "spec": {
            "selector": {"matchLabels": {"app": "agent"}},
            "template": {
                "metadata": {"labels": {"app": "agent"}},
                "spec": {"containers": [{"name": "a", "image": "busybox"}], **template_spec},
            },
            **spec,
        },
    }
    return apply_defaults(obj)


def node(name, labels=None, taints=None):
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": name, "labels": labels or {}},
        "spec": {"taints": taints or []},
        "status": {
            "conditions": [{"type": "Ready", "status": "True"}],
            "allocatable": {"cpu": "4", "memory": "8Gi", "pods": "110"},
        },
    }


def pod(name, node_name, hash_=HASH, phase="Running", ready=True, created=T0, deleting=False):
    p = {
        "metadata": {
            "name": name,
            "labels": {"app": "agent", "controller-revision-hash": hash_},
            "creationTimestamp": created,
        },
        "spec": {"affinity": replace_node_name_affinity(None, node_name)},
        "status": {
            "phase": phase,
            "conditions": [{"type": "Ready", "status": str(ready), "lastTransitionTime": T0}],
        },
    }
    if deleting:
        p["metadata"]["deletionTimestamp"] = T0
    return p


NOW = 1e12


# -- eligibility -----------------------------------------------------------------------------------
def taint(effect, key="dedicated"):
    return {"key": key, "value": "x", "effect": effect}


AFFINITY_SSD = {
    "nodeAffinity": {
        "requiredDuringSchedulingIgnoredDuringExecution": {
            "nodeSelectorTerms": [
                {"matchExpressions": [{"key": "disk", "operator": "In", "values": ["ssd"]}]}
            ]
        }
    }
}


@pytest.mark.parametrize(
    "template_spec, node_obj, expected",
    [
        ({}, node("n1"), (True, True)),
        ({"nodeSelector": {"disk": "ssd"}}, node("n1", {"disk": "ssd"}), (True, True)),
        ({"nodeSelector": {"disk": "ssd"}}, node("n1", {"disk": "hdd"}), (False, False)),
        ({"affinity": AFFINITY_SSD}, node("n1", {"disk": "ssd"}), (True, True)),
        ({"affinity": AFFINITY_SSD}, node("n1"), (False, False)),
        ({"nodeName": "n1"}, node("n1"), (True, True)),
        ({"nodeName": "n2"}, node("n1"), (False, False)),
        ({}, node("n1", taints=[taint("NoSchedule")]), (False, True)),
        ({}, node("n1", taints=[taint("NoExecute")]), (False, False)),
        ({}, node("n1", taints=[taint("PreferNoSchedule")]), (True, True)),
        (
            {"tolerations": [{"key": "dedicated", "operator": "Exists"}]},
            node("n1", taints=[taint("NoExecute")]),
            (True, True),
        ),
        ({}, node("n1", taints=[taint("NoExecute", "node.kubernetes.io/not-ready")]), (True, True)),
        (
            {},
            node("n1", taints=[taint("NoSchedule", "node.kubernetes.io/unschedulable")]),
            (True, True),
        ),
        (
            {},
            node("n1", taints=[taint("NoSchedule", "node.kubernetes.io/network-unavailable")]),
            (False, True),
        ),
        (
            {"hostNetwork": True},
            node("n1", taints=[taint("NoSchedule", "node.kubernetes.io/network-unavailable")]),
            (True, True),
        ),
    ],
)
def test_node_should_run_daemon_pod(template_spec, node_obj, expected):
    assert node_should_run_daemon_pod(node_obj, ds(template_spec=template_spec)) == expected


def test_pod_template_gets_daemon_tolerations_and_labels():
    template = create_pod_template(
        ds(template_spec={"hostNetwork": True})["spec"]["template"], 3, "h"
    )
    keys = [t["key"].split("/")[1] for t in template["spec"]["tolerations"]]
    assert keys == [
        "not-ready",
        "unreachable",
        "disk-pressure",
        "memory-pressure",
        "pid-pressure",
        "unschedulable",
        "network-unavailable",
    ]
    labels = template["metadata"]["labels"]
    assert labels["controller-revision-hash"] == "h" and labels["pod-template-generation"] == "3"


def test_replace_node_name_affinity():
    pinned = {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["n1"]}]}
    assert replace_node_name_affinity(None, "n1") == {
        "nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [pinned]}
        }
    }
    preferred = [{"weight": 1, "preference": {"matchExpressions": []}}]
    affinity = copy.deepcopy(AFFINITY_SSD)
    affinity["nodeAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"] = preferred
    replaced = replace_node_name_affinity(affinity, "n1")["nodeAffinity"]
    assert replaced["requiredDuringSchedulingIgnoredDuringExecution"] == {
        "nodeSelectorTerms": [pinned]
    }
    assert replaced["preferredDuringSchedulingIgnoredDuringExecution"] == preferred
    assert affinity == {**AFFINITY_SSD, "nodeAffinity": {**AFFINITY_SSD["nodeAffinity"],
        "preferredDuringSchedulingIgnoredDuringExecution": preferred}}  # fmt: skip


def test_get_target_node_name():
    assert get_target_node_name({"spec": {"nodeName": "n9"}}) == "n9"
    assert get_target_node_name(pod("p", "n1")) == "n1"
    assert get_target_node_name({"spec": {}}) is None


# -- manage ----------------------------------------------------------------------------------------
def test_creates_on_every_eligible_node_without_a_pod():
    nodes = [node("n1"), node("n2"), node("tainted", taints=[taint("NoSchedule")])]
    result = plan(ds(), nodes, [pod("a-1", "n1")], HASH, NOW)
    assert repr(result) == "DaemonSetPlan(creates=['n2'], deletes=[])"


def test_deletes_where_it_should_not_run_and_excess_pods():
    nodes = [node("n1"), node("n2", taints=[taint("NoExecute")])]
    pods = [
        pod("a-old", "n1", created="2025-01-01T00:00:00Z"),
        pod("a-new", "n1", created="2025-01-01T00:01:00Z"),
        pod("a-2", "n2"),
        pod("a-gone", "n3"),
    ]
    result = plan(ds(), nodes, pods, HASH, NOW)
    assert repr(result.deletes) == (
        "[DeleteDaemonPod(a-new on n1, excess), DeleteDaemonPod(a-2 on n2, not-eligible), "
        "DeleteDaemonPod(a-gone on -, orphan)]"
    )


@pytest.mark.parametrize("condition", ["disk-pressure", "memory-pressure", "pid-pressure"])
def test_pressure_tainted_node_still_launches(condition):
    """upstream TestTaintPressureNodeDaemonLaunchesPod."""
    tainted = node("n1", taints=[taint("NoSchedule", f"node.kubernetes.io/{condition}")])
    assert plan(ds(), [tainted], [], HASH, NOW).creates == ["n1"]


def test_deals_with_existing_pods():
    """upstream TestDealsWithExistingPods: one pod per node, oldest kept."""
    nodes = [node(f"n{i}") for i in range(4)]
    pods = [pod("p1", "n1")]
    pods += [pod(f"p2-{i}", "n2", created=f"2025-01-01T00:0{i}:00Z") for i in range(2)]
    pods += [pod(f"p3-{i}", "n3", created=f"2025-01-01T00:0{i}:00Z") for i in range(5)]
    result = plan(ds(), nodes, pods, HASH, NOW)
    assert result.creates == ["n0"]
    assert [d.name for d in result.deletes] == ["p2-1", "p3-1", "p3-2", "p3-3", "p3-4"]


def test_burst_replicas_caps_creates():
    """upstream TestDaemonSetPodCreateExpectationsError: at most 250 creates per sync."""
    nodes = [node(f"n{i:03}") for i in range(300)]
    assert len(plan(ds(), nodes, [], HASH, NOW).creates) == 250


def test_failed_pod_is_deleted_then_backed_off():
    nodes = [node("n1")]
    pods = [pod("a-1", "n1", phase="Failed", ready=False)]
    result = plan(ds(), nodes, pods, HASH, NOW)
    assert repr(result.deletes) == "[DeleteDaemonPod(a-1 on n1, failed)]"
    assert result.failed_nodes == ["n1"]
    held = plan(ds(), nodes, pods, HASH, NOW, {"n1": (NOW - 1, 4.0)})
    assert held.deletes == [] and held.requeue_after == 3.0


def test_terminating_pods_are_left_alone():
    result = plan(ds(), [node("n1")], [pod("a-1", "n1", deleting=True)], HASH, NOW)
    assert result.creates == [] and result.deletes == []


# -- rolling update --------------------------------------------------------------------------------
def three_old_pods():
    return [node(f"n{i}") for i in range(3)], [pod(f"a-{i}", f"n{i}", "old") for i in range(3)]


def test_rolling_update_max_unavailable_one():
    nodes, pods = three_old_pods()
    result = plan(ds(), nodes, pods, HASH, NOW)
    assert repr(result) == "DaemonSetPlan(creates=[], deletes=[DeleteDaemonPod(a-0 on n0, update)])"
    pods[0] = pod("b-0", "n0", HASH, ready=False)
    assert repr(plan(ds(), nodes, pods, HASH, NOW)) == "DaemonSetPlan(creates=[], deletes=[])"
    pods[0] = pod("b-0", "n0", HASH)
    assert [d.name for d in plan(ds(), nodes, pods, HASH, NOW).deletes] == ["a-1"]


def test_rolling_update_replaces_unavailable_old_pods_at_once():
    nodes, pods = three_old_pods()
    pods[1] = pod("a-1", "n1", "old", ready=False)
    pods[2] = pod("a-2", "n2", "old", ready=False)
    assert [d.name for d in plan(ds(), nodes, pods, HASH, NOW).deletes] == ["a-1", "a-2"]


def test_rolling_update_with_surge_creates_first_then_deletes_old():
    surge = ds(
        updateStrategy={
            "type": "RollingUpdate",
            "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0},
        }
    )
    nodes, pods = three_old_pods()
    assert repr(plan(surge, nodes, pods, HASH, NOW)) == "DaemonSetPlan(creates=['n0'], deletes=[])"
    pods.append(pod("b-0", "n0", HASH, ready=False, created="2025-01-01T00:05:00Z"))
    assert repr(plan(surge, nodes, pods, HASH, NOW)) == "DaemonSetPlan(creates=[], deletes=[])"
    pods[-1] = pod("b-0", "n0", HASH, created="2025-01-01T00:05:00Z")
    assert (
        repr(plan(surge, nodes, pods, HASH, NOW).deletes) == "[DeleteDaemonPod(a-0 on n0, update)]"
    )


def test_on_delete_does_not_replace():
    nodes, pods = three_old_pods()
    result = plan(ds(updateStrategy={"type": "OnDelete"}), nodes, pods, HASH, NOW)
    assert result.creates == [] and result.deletes == []


def test_status_counters():
    nodes = [node("n0"), node("n1"), node("n2"), node("off", {"x": "y"}, [taint("NoExecute")])]
    pods = [pod("a-0", "n0"), pod("a-1", "n1", "old", ready=False), pod("a-off", "off")]
    assert daemon_set_status(ds(), nodes, pods, HASH, NOW) == {
        "desiredNumberScheduled": 3,
        "currentNumberScheduled": 2,
        "numberMisscheduled": 1,
        "numberReady": 1,
        "updatedNumberScheduled": 1,
        "numberAvailable": 1,
        "numberUnavailable": 2,
    }


def test_expectations():
    e = ControllerExpectations()
    assert e.satisfied("k", 0)
    e.set("k", 2, 1, 0)
    e.creation_observed("k")
    e.deletion_observed("k")
    assert not e.satisfied("k", 10)
    e.creation_observed("k")
    assert e.satisfied("k", 10)
    e.set("k", 1, 0, 0)
    assert e.satisfied("k", 301)  # expired


# -- scenarios -------------------------------------------------------------------------------------
MANIFEST = """
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      nodeSelector: {disk: ssd}
      containers: [{name: a, image: "busybox:1.36"}]
"""


def placement(c):
    return sorted(
        (get_target_node_name(p), p["metadata"]["name"])
        for p in c.get("pods")
        if not p["metadata"].get("deletionTimestamp")
    )


def set_node(c, name, labels=None, taints=None):
    obj = node(name, labels, taints)
    try:
        current = c.get("nodes", name)
    except Exception:
        c.client.create("nodes", obj)
    else:
        current["metadata"]["labels"] = labels or {}
        current["spec"]["taints"] = taints or []
        c.client.update("nodes", current)


def ready_all(c):
    for p in c.get("pods"):
        if p["status"].get("phase") != "Running":
            p["status"] = {
                "phase": "Running",
                "conditions": [
                    {"type": "Ready", "status": "True", "lastTransitionTime": c.loop.timestamp()}
                ],
            }
            c.client.update_status("pods", p, "default")
    converge(c)


def converge(c):
    """Settle, playing the node side these kubelet-less nodes lack: finish graceful deletions
    (the kubelet's final delete) and remove pods bound to vanished nodes (the pod GC)."""
    for _ in range(10):
        c.settle()
        nodes = {n["metadata"]["name"] for n in c.get("nodes")}
        stuck = [
            p["metadata"]["name"]
            for p in c.get("pods")
            if p["spec"].get("nodeName")
            and (p["metadata"].get("deletionTimestamp") or p["spec"]["nodeName"] not in nodes)
        ]
        if not stuck:
            return
        for name in stuck:
            c.client.delete("pods", name, "default", grace_period_seconds=0)


@pytest.fixture
def cluster():
    c = Cluster(seed=0)
    for name in ("n1", "n2"):
        set_node(c, name, {"disk": "ssd"})
    set_node(c, "n3", {"disk": "hdd"})
    c.apply(MANIFEST)
    converge(c)
    return c


def test_scenario_one_pod_per_eligible_node_following_nodes(cluster):
    c = cluster
    assert [n for n, _ in placement(c)] == ["n1", "n2"]
    events = [e for e in c.get("events") if e["involvedObject"]["kind"] == "DaemonSet"]
    assert [e["reason"] for e in events] == ["SuccessfulCreate", "SuccessfulCreate"]
    assert events[0]["message"].startswith("Created pod: agent-")
    status = c.get("ds", "agent")["status"]
    assert (status["desiredNumberScheduled"], status["currentNumberScheduled"]) == (2, 2)
    assert status["observedGeneration"] == 1
    set_node(c, "n3", {"disk": "ssd"})  # relabelled: joins
    set_node(c, "n4", {"disk": "ssd"})  # new node
    converge(c)
    assert [n for n, _ in placement(c)] == ["n1", "n2", "n3", "n4"]
    set_node(c, "n1", {"disk": "hdd"})  # no longer selected
    set_node(c, "n2", {"disk": "ssd"}, [taint("NoExecute")])  # evicts
    c.delete("nodes", "n4")
    converge(c)
    assert [n for n, _ in placement(c)] == ["n3"]
    reasons = {e["reason"] for e in c.get("events") if e["involvedObject"]["kind"] == "DaemonSet"}
    assert "SuccessfulDelete" in reasons


def test_scenario_rolling_update_and_history(cluster):
    c = cluster
    ready_all(c)
    [first] = c.get("controllerrevisions")
    ds_obj = c.get("ds", "agent")
    ds_obj["spec"]["template"]["spec"]["containers"][0]["image"] = "busybox:1.37"
    c.client.update("daemonsets", ds_obj, "default")
    converge(c)
    images = [p["spec"]["containers"][0]["image"] for p in c.get("pods")]
    assert sorted(images) == ["busybox:1.36", "busybox:1.37"]  # one at a time (maxUnavailable 1)
    ready_all(c)
    ready_all(c)
    images = [p["spec"]["containers"][0]["image"] for p in c.get("pods")]
    assert images == ["busybox:1.37", "busybox:1.37"]
    revisions = sorted((r["revision"], r["metadata"]["name"]) for r in c.get("controllerrevisions"))
    assert [r for r, _ in revisions] == [1, 2] and revisions[0][1] == first["metadata"]["name"]
    status = c.get("ds", "agent")["status"]
    assert status["updatedNumberScheduled"] == status["numberAvailable"] == 2
    assert status["observedGeneration"] == 2
    ds_obj = c.get("ds", "agent")
    ds_obj["spec"]["template"]["spec"]["containers"][0]["image"] = "busybox:1.36"
    c.client.update("daemonsets", ds_obj, "default")  # roll back to the first template
    converge(c)
    revisions = {r["metadata"]["name"]: r["revision"] for r in c.get("controllerrevisions")}
    assert len(revisions) == 2 and revisions[first["metadata"]["name"]] == 3


def test_scenario_failed_daemon_pod_is_replaced(cluster):
    c = cluster
    victim = c.get("pods")[0]
    victim["status"] = {"phase": "Failed"}
    c.client.update_status("pods", victim, "default")
    converge(c)
    assert len(placement(c)) == 2
    assert victim["metadata"]["name"] not in [n for _, n in placement(c)]
    warnings = [e for e in c.get("events") if e["reason"] == "FailedDaemonPod"]
    node_name = get_target_node_name(victim)
    assert warnings[0]["message"] == (
        f"Found failed daemon pod default/{victim['metadata']['name']} on node {node_name}, "
        "will try to kill it"
    )


# -- property --------------------------------------------------------------------------------------
node_op = st.tuples(
    st.sampled_from(
        ["join", "leave", "label", "unlabel", "noschedule", "noexecute", "untaint", "fail"]
    ),
    st.integers(0, 4),
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=st.lists(node_op, max_size=12))
def test_property_converges_to_one_pod_per_eligible_node(ops):
    c = Cluster(seed=0)
    c.apply(MANIFEST)
    nodes: dict[str, tuple[dict, list]] = {}
    for verb, i in ops:
        name = f"w{i}"
        labels, taints = nodes.get(name, ({"disk": "ssd"}, []))
        if verb == "leave":
            if name in nodes:
                c.delete("nodes", name)
                del nodes[name]
            continue
        if verb == "fail":
            for p in c.get("pods"):
                if get_target_node_name(p) == name:
                    p["status"] = {"phase": "Failed"}
                    c.client.update_status("pods", p, "default")
            continue
        labels = (
            {"disk": "hdd"} if verb == "unlabel" else {"disk": "ssd"} if verb == "label" else labels
        )
        if verb in ("noschedule", "noexecute"):
            taints = [taint("NoSchedule" if verb == "noschedule" else "NoExecute")]
        if verb == "untaint":
            taints = []
        set_node(c, name, labels, taints)
        nodes[name] = (labels, taints)
        converge(c)
    c.run(60)  # past any failed-pod back-off
    converge(c)
    per_node: dict[str, int] = {}
    for node_name, _ in placement(c):
        per_node[node_name] = per_node.get(node_name, 0) + 1
    for name, (labels, taints) in nodes.items():
        selected = labels.get("disk") == "ssd"
        effects = {t["effect"] for t in taints}
        if selected and not effects:
            assert per_node.get(name) == 1, (name, per_node)
        elif not selected or "NoExecute" in effects:
            assert per_node.get(name, 0) == 0, (name, per_node)
        else:  # NoSchedule only: an existing pod may stay, none is added
            assert per_node.get(name, 0) <= 1
    assert set(per_node) <= set(nodes)


def test_a_surge_rollout_with_min_ready_seconds_finishes_on_real_nodes():
    from minik8s import Cluster

    def agent(image):
        return {
            "apiVersion": "apps/v1",
            "kind": "DaemonSet",
            "metadata": {"name": "agent", "namespace": "default"},
            "spec": {
                "minReadySeconds": 5,
                "selector": {"matchLabels": {"app": "agent"}},
                "updateStrategy": {
                    "type": "RollingUpdate",
                    "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0},
                },
                "template": {
                    "metadata": {"labels": {"app": "agent"}},
                    "spec": {"containers": [{"name": "a", "image": image}]},
                },
            },
        }

    c = Cluster(nodes=3, seed=0)
    c.apply(agent("nginx:1.27"))
    c.run(60)
    c.apply(agent("nginx:1.28"))
    c.run(120)
    status = c.get("ds", "agent")["status"]
    assert status["updatedNumberScheduled"] == 3 and status["numberAvailable"] == 3
    images = {
        p["spec"]["containers"][0]["image"]
        for p in c.get("pods")
        if not p["metadata"].get("deletionTimestamp")
    }
    assert images == {"nginx:1.28"}
