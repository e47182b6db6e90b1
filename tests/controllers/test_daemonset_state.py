"""The DaemonSet controller's per-set bookkeeping (`daemonset_state`): after any sequence of node
and pod events, the dirty nodes plus the clean/unready counts give exactly the plan and status of
a walk over every node, and the maintained verdicts and pods by node equal a full recomputation."""

from datetime import datetime, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minik8s.api.defaults import apply_defaults
from minik8s.controllers.daemonset_control import (
    daemon_set_status,
    eligibility,
    nodes_to_daemon_pods,
    plan,
)
from minik8s.controllers.daemonset_state import DaemonSetState, state_version
from minik8s.controllers.daemonset_util import get_template_generation

HASH, OLD = "new", "old"
NOW0 = 1_735_689_600.0  # 2025-01-01T00:00:00Z


def stamp(t: float) -> str:
    return datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def daemon_set(min_ready=0, surge=0, unavailable=1):
    rolling = {"maxSurge": surge, "maxUnavailable": unavailable}
    return apply_defaults({
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": {"name": "agent", "namespace": "default", "uid": "ds-uid", "generation": 1},
        "spec": {
            "minReadySeconds": min_ready,
            "selector": {"matchLabels": {"app": "agent"}},
            "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": rolling},
            "template": {
                "metadata": {"labels": {"app": "agent"}},
                "spec": {"nodeSelector": {"disk": "ssd"}, "containers": [{"name": "a"}]},
            },
        },
    })  # fmt: skip


def make_node(name, ssd, taint):
    taints = [{"key": "dedicated", "effect": taint}] if taint else []
    return {
        "metadata": {"name": name, "labels": {"disk": "ssd" if ssd else "hdd"}},
        "spec": {"taints": taints},
    }


def make_pod(uid, target, scheduled, phase, ready, since, hash_, deleting):
    meta = {
        "name": f"agent-{uid}",
        "uid": uid,
        "creationTimestamp": stamp(NOW0),
        "labels": {"app": "agent", "controller-revision-hash": hash_},
    }
    if deleting:
        meta["deletionTimestamp"] = stamp(NOW0)
    term = {"matchFields": [{"key": "metadata.name", "operator": "In", "values": [target]}]}
    spec = {
        "affinity": {
            "nodeAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [term]}
            }
        }
    }
    if scheduled:
        spec["nodeName"] = target
    condition = {"type": "Ready", "status": "True" if ready else "False"}
    condition["lastTransitionTime"] = stamp(since)
    return {"metadata": meta, "spec": spec, "status": {"phase": phase, "conditions": [condition]}}


NODES = [f"n{i}" for i in range(4)]
node_event = st.tuples(
    st.just("node"), st.sampled_from(NODES), st.booleans(), st.sampled_from(["", "NoSchedule",
    "NoExecute"]), st.booleans(),
)  # fmt: skip
pod_event = st.tuples(
    st.just("pod"),
    st.integers(0, 5),  # uid
    st.sampled_from([*NODES, "gone"]),
    st.booleans(),  # scheduled
    st.sampled_from(["Pending", "Running", "Running", "Failed", "Succeeded"]),
    st.booleans(),  # ready
    st.integers(-8, 2),  # ready since, seconds from now
    st.sampled_from([HASH, HASH, OLD]),
    st.booleans(),  # deleting
    st.booleans(),  # removed
)
time_event = st.tuples(st.just("time"), st.integers(1, 10))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    shape=st.tuples(
        st.sampled_from([0, 5]), st.sampled_from([0, 1, 2]), st.sampled_from([0, 1, 2])
    ),
    events=st.lists(
        st.lists(st.one_of(node_event, pod_event, pod_event, time_event), min_size=1, max_size=6),
        min_size=1,
        max_size=10,
    ),
    backoff_delay=st.sampled_from([0.0, 30.0]),
)
def test_bookkeeping_equals_a_full_recomputation(shape, events, backoff_delay):
    ds = daemon_set(*shape)
    generation = get_template_generation(ds)
    state = DaemonSetState(state_version(ds, HASH, generation), ds, HASH, generation)
    nodes: dict[str, dict] = {}
    pods: dict[str, dict] = {}
    now = NOW0
    backoff = {name: (NOW0, backoff_delay) for name in NODES}
    for batch in events:  # one sync after each batch of events
        for event in batch:
            if event[0] == "node":
                _, name, ssd, taint, removed = event
                if removed:
                    nodes.pop(name, None)
                else:
                    nodes[name] = make_node(name, ssd, taint)
                state.node_changed(name)
            elif event[0] == "pod":
                uid, removed = f"p{event[1]}", event[-1]
                if removed:
                    pods.pop(uid, None)
                else:
                    since = now + event[6]
                    pods[uid] = make_pod(uid, event[2], *event[3:6], since, *event[7:9])
            else:
                now += event[1]
        node_list, pod_list = sorted(nodes.values(), key=str), list(pods.values())
        state.refresh(lambda nl=node_list: nl, nodes.get, pod_list, now)

        assert state.verdicts == eligibility(ds, node_list)
        assert state.node_pods == nodes_to_daemon_pods(pod_list)
        classes = [state.dirty, state.clean, state.unready]
        assert sum(map(len, classes)) == len(set().union(*classes))
        view = state.view()
        full = plan(ds, node_list, pod_list, HASH, now, backoff)
        fast = plan(ds, view.nodes, pod_list, HASH, now, backoff, view.eligible, view.node_pods,
                    view.clean, view.unready)  # fmt: skip
        assert (fast.creates, fast.deletes, fast.failed_nodes, fast.requeue_after) == (
            full.creates, full.deletes, full.failed_nodes, full.requeue_after,
        )  # fmt: skip
        assert daemon_set_status(
            ds, view.nodes, [], HASH, now, view.eligible, view.node_pods, view.clean, view.unready
        ) == daemon_set_status(ds, node_list, pod_list, HASH, now)


def test_a_settled_set_has_no_dirty_node_and_one_change_dirties_one_node():
    ds = daemon_set()
    state = DaemonSetState(state_version(ds, HASH, None), ds, HASH, None)
    nodes = {n: make_node(n, ssd=n != "n4", taint="") for n in [*NODES, "n4"]}
    pods = [make_pod(f"p{i}", f"n{i}", True, "Running", True, NOW0, HASH, False) for i in range(4)]
    asked: list[str] = []
    state.refresh(
        lambda: list(nodes.values()), lambda n: asked.append(n) or nodes.get(n), pods, NOW0
    )
    assert (sorted(state.clean), state.dirty, state.unready) == (
        ["n0", "n1", "n2", "n3"],
        set(),
        set(),
    )
    assert state.view().nodes == [] and asked == []
    pods[2] = make_pod("p2", "n2", True, "Running", False, NOW0, HASH, False)  # not Ready any more
    nodes["n4"] = make_node("n4", ssd=True, taint="")  # now selected
    state.node_changed("n4")
    state.refresh(lambda: [], lambda n: asked.append(n) or nodes.get(n), pods, NOW0 + 1)
    assert asked == ["n4"]  # only the changed node is looked up
    assert (sorted(state.dirty), sorted(state.unready)) == (["n4"], ["n2"])
    view = state.view()
    assert [n["metadata"]["name"] for n in view.nodes] == ["n4"]
    assert (view.clean, view.unready) == (3, 1)
    assert plan(ds, view.nodes, pods, HASH, NOW0 + 1, {}, view.eligible, view.node_pods,
                view.clean, view.unready).creates == ["n4"]  # fmt: skip
    assert repr(state) == "<DaemonSetState generation=1 nodes=5 dirty=1 clean=3 unready=1>"


def test_a_pod_ready_for_less_than_min_ready_seconds_stays_dirty_until_available():
    ds = daemon_set(min_ready=5)
    state = DaemonSetState(state_version(ds, HASH, None), ds, HASH, None)
    nodes = [make_node("n0", ssd=True, taint="")]
    pods = [make_pod("p0", "n0", True, "Running", True, NOW0, HASH, False)]
    state.refresh(lambda: nodes, lambda n: None, pods, NOW0 + 5)
    assert (state.dirty, state.clean) == ({"n0"}, set())  # available only after 5 s, strictly
    state.refresh(lambda: nodes, lambda n: None, pods, NOW0 + 6)
    assert (state.dirty, state.clean) == (set(), {"n0"})


def test_an_unready_new_pod_left_out_still_uses_up_max_unavailable():
    ds = daemon_set(unavailable=1)
    state = DaemonSetState(state_version(ds, HASH, None), ds, HASH, None)
    nodes = [make_node("n0", ssd=True, taint=""), make_node("n1", ssd=True, taint="")]
    pods = [
        make_pod("p0", "n0", True, "Running", False, NOW0, HASH, False),  # updated, not Ready
        make_pod("p1", "n1", True, "Running", True, NOW0, OLD, False),  # old and available
    ]
    state.refresh(lambda: nodes, lambda n: None, pods, NOW0)
    view = state.view()
    assert (sorted(state.unready), sorted(state.dirty)) == (["n0"], ["n1"])
    fast = plan(ds, view.nodes, pods, HASH, NOW0, {}, view.eligible, view.node_pods,
                view.clean, view.unready)  # fmt: skip
    assert fast.deletes == plan(ds, nodes, pods, HASH, NOW0).deletes == []
    pods[0] = make_pod("p0", "n0", True, "Running", True, NOW0, HASH, False)  # now Ready
    state.refresh(lambda: nodes, lambda n: None, pods, NOW0)
    view = state.view()
    fast = plan(ds, view.nodes, pods, HASH, NOW0, {}, view.eligible, view.node_pods,
                view.clean, view.unready)  # fmt: skip
    assert [d.name for d in fast.deletes] == ["agent-p1"]
    assert fast.deletes == plan(ds, nodes, pods, HASH, NOW0).deletes


def test_clean_nodes_count_as_available_when_surging():
    ds = daemon_set(surge=1, unavailable=0)
    state = DaemonSetState(state_version(ds, HASH, None), ds, HASH, None)
    nodes = [make_node("n0", ssd=True, taint=""), make_node("n1", ssd=True, taint="NoSchedule")]
    pods = [
        make_pod("p0", "n0", True, "Running", True, NOW0, HASH, False),  # clean
        make_pod("p1", "n1", True, "Running", True, NOW0, OLD, False),  # old, on a tainted node
    ]
    state.refresh(lambda: nodes, lambda n: None, pods, NOW0)
    view = state.view()
    assert (view.clean, [n["metadata"]["name"] for n in view.nodes]) == (1, ["n1"])
    fast = plan(ds, view.nodes, pods, HASH, NOW0, {}, view.eligible, view.node_pods,
                view.clean, view.unready)  # fmt: skip
    assert [d.name for d in fast.deletes] == ["agent-p1"]
    assert fast.deletes == plan(ds, nodes, pods, HASH, NOW0).deletes
