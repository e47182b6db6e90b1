"""ReplicaSet controller: deletion ranking, plan, status and expectations as pure cases, then
scenarios through the Cluster facade and a property under random scaling and pod failures."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minik8s.api.errors import Forbidden
from minik8s.api.labels import label_selector_as_selector
from minik8s.controllers.replicaset import (
    ReplicaSetPlan,
    calculate_status,
    plan_replicas,
    pod_from_template,
)
from minik8s.controllers.replicaset_utils import (
    ControllerExpectations,
    claim_decision,
    get_pods_to_delete,
    parse_time,
    pod_deletion_less,
    rank_pods_for_deletion,
    slow_start_batch,
)

NOW = "2025-01-01T12:00:00Z"
THEN = "2025-01-01T11:00:00Z"  # an hour earlier


def pod(
    name,
    node="node",
    phase="Running",
    ready=False,
    restarts=0,
    ready_since=None,
    created=None,
    annotations=None,
    labels=None,
    owner=None,
    uid=None,
):
    """upstream's ranking-test pod: phase, readiness (and since when), restarts, creation time."""
    status = {"phase": phase, "containerStatuses": [{"name": "c", "restartCount": restarts}]}
    if ready:
        cond = {"type": "Ready", "status": "True"}
        if ready_since:
            cond["lastTransitionTime"] = ready_since
        status["conditions"] = [cond]
    meta = {
        "name": name,
        "namespace": "default",
        "uid": uid or f"uid-{name}",
        "labels": labels if labels is not None else {"app": "web"},
    }
    if created:
        meta["creationTimestamp"] = created
    if annotations:
        meta["annotations"] = annotations
    if owner:
        meta["ownerReferences"] = [
            {
                "kind": "ReplicaSet",
                "name": owner["metadata"]["name"],
                "uid": owner["metadata"]["uid"],
                "controller": True,
            }
        ]
    return {"metadata": meta, "spec": {"nodeName": node}, "status": status}


def replicaset(replicas=3, min_ready=0, labels=None):
    labels = labels or {"app": "web"}
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {"name": "web", "namespace": "default", "uid": "rs-uid", "generation": 1},
        "spec": {
            "replicas": replicas,
            "minReadySeconds": min_ready,
            "selector": {"matchLabels": labels},
            "template": {"metadata": {"labels": labels}, "spec": {"containers": [{"name": "c"}]}},
        },
        "status": {},
    }


UNSCHEDULED = pod("unscheduled", node="", phase="Pending")
PENDING = pod("pending", phase="Pending")
UNKNOWN = pod("unknown-phase", phase="Unknown")
NOT_READY = pod("not-ready")
READY_NO_TIME = pod("ready-no-last-transition-time", ready=True)
READY_NOW = pod("ready-now", ready=True, ready_since=NOW, created=NOW)
READY_THEN = pod("ready-then", ready=True, ready_since=THEN, created=THEN)
HIGH_RESTARTS = pod("ready-high-restarts", ready=True, restarts=10, ready_since=NOW, created=NOW)
CREATED_THEN = pod("ready-now-created-then", ready=True, ready_since=NOW, created=THEN)
LOW_COST = pod(
    "low-deletion-cost",
    ready=True,
    ready_since=NOW,
    created=THEN,
    annotations={"controller.kubernetes.io/pod-deletion-cost": "10"},
)
HIGH_COST = pod(
    "high-deletion-cost",
    ready=True,
    ready_since=NOW,
    created=THEN,
    annotations={"controller.kubernetes.io/pod-deletion-cost": "100"},
)
LATER = parse_time("2025-01-01T12:00:10Z")


# upstream TestSortingActivePodsWithRanks: (lesser, rank), (greater, rank)
@pytest.mark.parametrize(
    ("lesser", "greater"),
    [
        ((UNSCHEDULED, 1), (PENDING, 2)),
        ((UNSCHEDULED, 2), (PENDING, 1)),
        ((PENDING, 1), (UNKNOWN, 2)),
        ((UNKNOWN, 1), (NOT_READY, 2)),
        ((NOT_READY, 1), (READY_NO_TIME, 1)),
        ((READY_NO_TIME, 1), (READY_NOW, 1)),
        ((READY_NOW, 2), (READY_NO_TIME, 1)),
        ((READY_NOW, 1), (READY_THEN, 1)),
        ((READY_NOW, 2), (READY_THEN, 1)),
        ((HIGH_RESTARTS, 1), (READY_NOW, 1)),
        ((READY_NOW, 2), (HIGH_RESTARTS, 1)),
        ((READY_NOW, 1), (CREATED_THEN, 1)),
        ((CREATED_THEN, 2), (READY_NOW, 1)),
        ((LOW_COST, 2), (HIGH_COST, 1)),
    ],
    ids=lambda pr: f"{pr[0]['metadata']['name']}/{pr[1]}",
)
def test_deletion_ranking(lesser, greater):
    assert pod_deletion_less(lesser[0], lesser[1], greater[0], greater[1], LATER)
    assert not pod_deletion_less(greater[0], greater[1], lesser[0], lesser[1], LATER)


def test_logarithmic_scale_down_buckets_ready_times():
    """Ready 5h vs 8h ago fall in one power-of-two bucket: the uid decides; 2h vs 5h do not."""
    now = parse_time("2025-01-02T00:00:00Z")
    h2, h5, h8 = (
        pod(f"r{h}", ready=True, ready_since=f"2025-01-01T{24 - h:02d}:00:00Z", uid=f"u{h}")
        for h in (2, 5, 8)
    )
    assert pod_deletion_less(h2, 0, h5, 0, now) and not pod_deletion_less(h5, 0, h2, 0, now)
    assert pod_deletion_less(h5, 0, h8, 0, now) and not pod_deletion_less(
        h8, 0, h5, 0, now
    )  # "u5" < "u8"


def test_rank_prefers_pods_doubled_up_on_a_node():
    a, b = pod("a", node="n1", ready=True), pod("b", node="n2", ready=True)
    related = [pod("x", node="n2"), b, a]
    assert [p["metadata"]["name"] for p in rank_pods_for_deletion([a, b], related, LATER)] == [
        "b",
        "a",
    ]


def test_get_pods_to_delete_keeps_order_when_all_go():
    pods = [READY_NOW, UNSCHEDULED]
    assert get_pods_to_delete(pods, [], 2, LATER) == pods
    assert get_pods_to_delete(pods, [], 1, LATER) == [UNSCHEDULED]


def test_plan_replicas_creates_within_burst_and_deletes_worst_first():
    rs = replicaset(replicas=5)
    assert plan_replicas(rs, [READY_NOW]) == ReplicaSetPlan(create=4)
    assert plan_replicas(replicaset(replicas=900), [], burst=500) == ReplicaSetPlan(create=500)
    pods = [READY_THEN, NOT_READY, UNSCHEDULED, READY_NOW, PENDING]
    plan = plan_replicas(replicaset(replicas=2), pods, [], LATER)
    assert plan == ReplicaSetPlan(delete=("unscheduled", "pending", "not-ready"))
    assert plan_replicas(replicaset(replicas=2), pods[:2]) == ReplicaSetPlan()
    assert repr(ReplicaSetPlan(create=2)) == "ReplicaSetPlan(create=2, delete=())"


@pytest.mark.parametrize(
    ("count", "fail_at", "expected_calls", "expected_ok"),
    [(10, None, 10, 10), (10, 1, 1, 0), (10, 2, 3, 2), (10, 5, 7, 6), (0, None, 0, 0)],
)
def test_slow_start_batch(count, fail_at, expected_calls, expected_ok):
    """Batches of 1, 2, 4, 8…: a failure stops the run after its batch."""
    calls = []

    def fn():
        calls.append(1)
        if len(calls) == fail_at:
            raise RuntimeError("boom")

    ok, err = slow_start_batch(count, 1, fn)
    assert (len(calls), ok, err is not None) == (expected_calls, expected_ok, fail_at is not None)


def test_calculate_status_counts_and_min_ready_seconds():
    rs = replicaset(replicas=4, min_ready=10)
    since = "2025-01-01T12:00:00Z"
    pods = [
        pod("a", ready=True, ready_since=since),
        pod("b", ready=True, ready_since="2025-01-01T11:59:00Z"),
        pod("c"),
        pod("d", labels={"app": "web", "other": "x"}),
        pod("e", labels={}),
    ]
    status = calculate_status(rs, pods, parse_time("2025-01-01T12:00:05Z"))
    assert status == {
        "replicas": 5,
        "fullyLabeledReplicas": 4,
        "readyReplicas": 2,
        "availableReplicas": 1,
    }
    status = calculate_status(rs, pods, parse_time("2025-01-01T12:00:11Z"))
    assert status["availableReplicas"] == 2


def test_replica_failure_condition_set_and_cleared():
    rs = replicaset(replicas=2)
    status = calculate_status(rs, [], 0.0, error='pods "x" is forbidden', error_time=NOW)
    assert status["conditions"] == [
        {
            "type": "ReplicaFailure",
            "status": "True",
            "lastTransitionTime": NOW,
            "reason": "FailedCreate",
            "message": 'pods "x" is forbidden',
        }
    ]
    rs["status"] = status
    assert "conditions" not in calculate_status(rs, [], 0.0)


def test_expectations():
    clock = [0.0]
    exp = ControllerExpectations(lambda: clock[0])
    assert exp.satisfied("ns/web")
    exp.expect_creations("ns/web", 2)
    exp.creation_observed("ns/web")
    assert not exp.satisfied("ns/web")
    exp.creation_observed("ns/web")
    assert exp.satisfied("ns/web")
    exp.expect_deletions("ns/web", ["ns/a", "ns/b"])
    exp.deletion_observed("ns/web", "ns/a")
    exp.deletion_observed("ns/web", "ns/zzz")
    assert not exp.satisfied("ns/web")
    clock[0] = 301.0
    assert exp.satisfied("ns/web")  # expired after 5 minutes


def test_claim_decision():
    rs = replicaset()
    selector = label_selector_as_selector(rs["spec"]["selector"])
    other = {"metadata": {"name": "other", "uid": "other-uid"}}
    assert claim_decision(rs, pod("a"), selector) == "adopt"
    assert claim_decision(rs, pod("a", labels={"app": "db"}), selector) == "ignore"
    assert claim_decision(rs, pod("a", owner=rs), selector) == "own"
    assert claim_decision(rs, pod("a", owner=rs, labels={"app": "db"}), selector) == "release"
    assert claim_decision(rs, pod("a", owner=other), selector) == "ignore"


def test_pod_from_template():
    made = pod_from_template(replicaset())
    assert made["metadata"]["generateName"] == "web-"
    assert made["metadata"]["labels"] == {"app": "web"}
    ref = made["metadata"]["ownerReferences"][0]
    assert (ref["kind"], ref["name"], ref["uid"], ref["controller"], ref["blockOwnerDeletion"]) == (
        "ReplicaSet",
        "web",
        "rs-uid",
        True,
        True,
    )


# -- scenarios ------------------------------------------------------------------------------------
def manifest(replicas=3, min_ready=0):
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {"name": "web"},
        "spec": {
            "replicas": replicas,
            "minReadySeconds": min_ready,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "web", "image": "nginx"}]},
            },
        },
    }


def set_ready(c, name, ready=True):
    p = c.get("pods", name)
    p["status"]["phase"] = "Running"
    p["status"]["conditions"] = [
        {
            "type": "Ready",
            "status": "True" if ready else "False",
            "lastTransitionTime": c.loop.timestamp(),
        }
    ]
    c.client.update_status("pods", p)


@pytest.fixture
def cluster():
    from minik8s import Cluster

    return Cluster(seed=0)


def test_creates_pods_with_events_and_owner(cluster):
    c = cluster
    c.apply(manifest(3))
    c.settle()
    pods = c.get("pods")
    rs = c.get("rs", "web")
    assert len(pods) == 3
    assert all(
        p["metadata"]["name"].startswith("web-") and len(p["metadata"]["name"]) == 9 for p in pods
    )
    assert all(p["metadata"]["ownerReferences"][0]["uid"] == rs["metadata"]["uid"] for p in pods)
    created = [e["message"] for e in c.get("events") if e["reason"] == "SuccessfulCreate"]
    assert sorted(created) == sorted(f"Created pod: {p['metadata']['name']}" for p in pods)
    assert rs["status"] == {"replicas": 3, "fullyLabeledReplicas": 3, "observedGeneration": 1}


def test_scale_down_deletes_not_ready_first(cluster):
    c = cluster
    c.apply(manifest(3))
    c.settle()
    names = sorted(p["metadata"]["name"] for p in c.get("pods"))
    set_ready(c, names[0])
    set_ready(c, names[2])
    c.settle()
    c.client.patch("replicasets", "web", {"spec": {"replicas": 2}}, "default")
    c.settle()
    assert sorted(p["metadata"]["name"] for p in c.get("pods")) == [names[0], names[2]]
    deleted = [e["message"] for e in c.get("events") if e["reason"] == "SuccessfulDelete"]
    assert deleted == [f"Deleted pod: {names[1]}"]
    assert c.get("rs", "web")["status"]["readyReplicas"] == 2


def test_adopts_orphans_and_releases_pods_that_stop_matching(cluster):
    c = cluster
    orphan = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "orphan", "labels": {"app": "web"}},
        "spec": {"containers": [{"name": "c", "image": "nginx"}]},
    }
    c.apply(orphan)
    c.apply(manifest(2))
    c.settle()
    assert len(c.get("pods")) == 2
    rs_uid = c.get("rs", "web")["metadata"]["uid"]
    assert c.get("pods", "orphan")["metadata"]["ownerReferences"][0]["uid"] == rs_uid
    c.client.patch("pods", "orphan", {"metadata": {"labels": {"app": "other"}}}, "default")
    c.settle()
    assert not c.get("pods", "orphan")["metadata"].get("ownerReferences")
    assert len(c.get("pods")) == 3  # a replacement was created


def test_min_ready_seconds_flips_availability_later(cluster):
    c = cluster
    c.apply(manifest(1, min_ready=5))
    c.settle()
    set_ready(c, c.get("pods")[0]["metadata"]["name"])
    c.run(1)
    assert "availableReplicas" not in c.get("rs", "web")["status"]
    c.settle()  # the sync that saw the pod Ready requeues the set after minReadySeconds
    assert c.get("rs", "web")["status"]["availableReplicas"] == 1
    assert 5 <= c.loop.now < 6


def test_expectations_prevent_a_double_create_from_a_stale_cache(cluster):
    c = cluster
    c.apply(manifest(3))
    c.settle()
    controller = c.controller_manager.controllers["replicaset-controller"]
    lister = controller.informers.lister_for("replicasets")
    c.client.patch("replicasets", "web", {"spec": {"replicas": 5}}, "default")
    while lister.get("default", "web")["spec"]["replicas"] != 5:
        c.loop.step()
    controller.reconcile("default/web")  # creates 2 pods the pod cache has not seen yet
    controller.reconcile("default/web")  # a stale cache would make this create 2 more
    c.settle()
    assert len(c.get("pods")) == 5
    assert [e["reason"] for e in c.get("events")].count("SuccessfulCreate") == 5
    assert "SuccessfulDelete" not in [e["reason"] for e in c.get("events")]


def test_failed_create_sets_replica_failure_and_retries(cluster, monkeypatch):
    c = cluster
    controller = c.controller_manager.controllers["replicaset-controller"]
    real_create = controller.client.create

    def quota(resource, obj, namespace=None, **kwargs):
        if resource == "pods":
            raise Forbidden('pods "web-x" is forbidden: exceeded quota: q')
        return real_create(resource, obj, namespace, **kwargs)

    monkeypatch.setattr(controller.client, "create", quota)
    c.apply(manifest(2))
    c.run(1)
    failed = [e["message"] for e in c.get("events") if e["reason"] == "FailedCreate"]
    assert failed[0] == 'Error creating: pods "web-x" is forbidden: exceeded quota: q'
    cond = c.get("rs", "web")["status"]["conditions"][0]
    assert (cond["type"], cond["status"], cond["reason"], cond["message"]) == (
        "ReplicaFailure",
        "True",
        "FailedCreate",
        'pods "web-x" is forbidden: exceeded quota: q',
    )
    monkeypatch.setattr(controller.client, "create", real_create)
    c.run(5)  # the key was requeued with back-off
    assert len(c.get("pods")) == 2
    assert "conditions" not in c.get("rs", "web")["status"]


# -- property -------------------------------------------------------------------------------------
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.sampled_from(["scale", "kill", "ready"]), st.integers(0, 6)),
        min_size=1,
        max_size=8,
    )
)
def test_converges_to_replicas_under_scaling_and_pod_failures(steps):
    from minik8s import Cluster

    c = Cluster(seed=0)
    c.apply(manifest(2))
    c.settle()
    replicas, bound = 2, [2]
    live: set[str] = {p["metadata"]["name"] for p in c.get("pods")}
    peaks: list[tuple[int, int]] = []

    def on_pod(kind, obj):  # expectations: never more pods than the largest replicas asked for
        name = obj["metadata"]["name"]
        if kind == "DELETED" or obj["metadata"].get("deletionTimestamp"):
            live.discard(name)
        else:
            live.add(name)
        peaks.append((len(live), bound[0]))

    rv = c.client.list("pods", "default")["metadata"]["resourceVersion"]
    c.client.watch("pods", on_pod, "default", resource_version=rv)
    for op, n in steps:
        names = sorted(p["metadata"]["name"] for p in c.get("pods"))
        if op == "scale":
            bound[0] = max(replicas, n)
            replicas = n
            c.client.patch("replicasets", "web", {"spec": {"replicas": n}}, "default")
        elif op == "kill" and names:
            c.client.delete("pods", names[n % len(names)], "default")
        elif op == "ready" and names:
            set_ready(c, names[n % len(names)])
        c.settle()
        bound[0] = replicas
        pods = c.get("pods")
        assert len(pods) == replicas, "never more or fewer pods than replicas once settled"
        status = c.get("rs", "web")["status"]
        assert status["replicas"] == replicas
        ready = [
            p
            for p in pods
            if any(
                x["type"] == "Ready" and x["status"] == "True"
                for x in p["status"].get("conditions", [])
            )
        ]
        assert status.get("readyReplicas", 0) == len(ready)
    assert all(count <= limit for count, limit in peaks)
