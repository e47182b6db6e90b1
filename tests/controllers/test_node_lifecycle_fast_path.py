"""The node lifecycle monitor looks only at nodes that may need something (`nodesteady.py`): new,
changed or not steady ones, steady ones whose Lease was renewed, and those past their grace
period. That changes nothing: a cluster doing so and one doing upstream's full check of every
node in every pass end in the same state, event for event and revision for revision."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from minik8s import Cluster
from minik8s.controllers.nodelifecycle import NodeLifecycleController
from minik8s.controllers.nodesteady import SteadyNodes

DEPLOYMENT = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "web", "namespace": "default"},
    "spec": {
        "replicas": 4,
        "selector": {"matchLabels": {"app": "web"}},
        "template": {
            "metadata": {"labels": {"app": "web"}},
            "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]},
        },
    },
}
NODES = ("node-1", "node-2", "node-3", "node-4", "node-5")
LABELLED = (*NODES, "control-plane")


def state(c: Cluster) -> list[tuple[str, bytes, int]]:
    """The whole store, with the revision that wrote each object (the order of the writes)."""
    return [(kv.key, kv.value, kv.mod_revision) for kv in c.store.range("/registry/")]


def lifecycle(c: Cluster) -> NodeLifecycleController:
    controller = c.controller_manager.controllers["node-lifecycle-controller"]
    assert isinstance(controller, NodeLifecycleController)
    return controller


def scenario() -> list[tuple[str, bytes, int]]:
    """Power loss of one node long enough for evictions, then recovery; the whole store."""
    c = Cluster(nodes=3, seed=1)
    c.apply(DEPLOYMENT)
    c.run(60)
    c.fail_node("node-2")
    c.run(400)  # Unknown after 40 s, NoExecute taint, evictions after 300 s
    c.recover_node("node-2")
    c.run(120)
    c.kubectl("label node node-3 topology.kubernetes.io/zone=b")  # a new zone while steady
    c.run(30)
    return state(c)


def check_every_node(monkeypatch: pytest.MonkeyPatch) -> None:
    """Upstream's pass: no node is ever steady, so each gets the full check every time."""
    monkeypatch.setattr(SteadyNodes, "add", lambda self, name, zone, probe: None)


def test_fast_path_ends_in_the_same_state_as_full_checks(monkeypatch: pytest.MonkeyPatch):
    fast = scenario()
    check_every_node(monkeypatch)
    assert scenario() == fast
    events = b"".join(v for k, v, _ in fast if k.startswith("/registry/events/"))
    for reason in (b"NodeNotReady", b"TaintManagerEviction", b"RegisteredNode"):
        assert reason in events  # the scenario did go through it all


def test_a_steady_pass_checks_no_node_in_full(monkeypatch: pytest.MonkeyPatch):
    c = Cluster(nodes=3, seed=1)
    c.run(60)
    checked: list[str] = []
    update_one = NodeLifecycleController._update_one

    def counted(self: NodeLifecycleController, node: dict[str, Any]) -> Any:
        checked.append(node["metadata"]["name"])
        return update_one(self, node)

    monkeypatch.setattr(NodeLifecycleController, "_update_one", counted)
    c.run(300)  # every kubelet posts its status once in these 5 min: one full check each
    assert sorted(checked) == ["control-plane", "node-1", "node-2", "node-3"]
    assert len(lifecycle(c).steady) == 4
    checked.clear()
    c.fail_node("node-1")
    c.run(60)  # the grace period runs out for node-1 alone
    assert checked and set(checked) == {"node-1"}


def test_full_checks_run_in_the_listers_order():
    """Nodes found past their grace period in one pass are marked in the order they joined
    (upstream's order is a Go map's: any; this one is the informer cache's)."""
    c = Cluster(nodes=0, seed=1)
    for name in ("node-b", "node-a", "node-c"):
        c.add_node(name)
    c.run(60)
    for name in ("node-c", "node-a", "node-b"):
        c.fail_node(name)
    c.run(60)
    events = [(kv.mod_revision, json.loads(kv.value)) for kv in c.store.range("/registry/events/")]
    marked = sorted(
        (revision, e["involvedObject"]["name"], e["firstTimestamp"])
        for revision, e in events
        if e["reason"] == "NodeNotReady" and e["involvedObject"]["kind"] == "Node"
    )
    assert [name for _, name, _ in marked] == ["node-b", "node-a", "node-c"]
    assert len({at for _, _, at in marked}) == 1  # (in one pass)


STEPS = st.one_of(
    st.tuples(st.just("run"), st.integers(1, 120)),
    st.tuples(
        st.sampled_from(["fail", "recover", "cordon", "uncordon", "remove"]), st.sampled_from(NODES)
    ),
    st.tuples(st.just("zone"), st.sampled_from(LABELLED), st.sampled_from(["a", "b"])),
    st.tuples(st.just("exclude"), st.sampled_from(LABELLED)),
    st.tuples(st.just("add"), st.sampled_from(NODES)),
    st.tuples(st.just("delete-lease"), st.sampled_from(NODES)),
    st.tuples(st.just("scribble"), st.sampled_from(NODES)),
    st.tuples(st.just("grace"), st.sampled_from([20.0, 40.0, 100.0])),
)


def play(steps: list[tuple[Any, ...]]) -> list[list[tuple[str, bytes, int]]]:
    """Run `steps` on a fresh cluster; the store after each."""
    c = Cluster(nodes=2, seed=3)
    c.apply(DEPLOYMENT)
    c.run(30)
    states = []
    for step in steps:
        verb, arg = step[0], step[1]
        machine = c.machines.get(arg) if isinstance(arg, str) else None
        if verb == "run":
            c.run(arg)
        elif verb == "add" and arg not in c.machines:
            c.add_node(arg)
        elif verb == "remove" and machine is not None:
            c.remove_node(arg)
        elif verb == "fail" and machine is not None:
            c.fail_node(arg)
        elif verb == "recover" and machine is not None:
            c.recover_node(arg)
        elif verb in ("cordon", "uncordon") and machine is not None:
            c.kubectl(f"{verb} {arg}")
        elif verb == "zone" and machine is not None:
            c.kubectl(f"label node {arg} topology.kubernetes.io/zone={step[2]} --overwrite")
        elif verb == "exclude" and machine is not None:
            c.kubectl(f"label node {arg} node.kubernetes.io/exclude-disruption= --overwrite")
        elif verb == "delete-lease" and machine is not None:
            c.kubectl(f"delete lease {arg} -n kube-node-lease --ignore-not-found")
        elif verb == "scribble" and machine is not None:  # someone else writes node status
            node = c.client.get("nodes", arg)
            for condition in node["status"]["conditions"]:
                condition["message"] = "scribbled"
            c.client.update_status("nodes", node)
        elif verb == "grace":
            lifecycle(c).grace_period = arg
        states.append(state(c))
    return states


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(STEPS, min_size=1, max_size=12))
@example([("fail", "node-1"), ("run", 60), ("recover", "node-1"), ("run", 20)])
@example(
    [
        ("zone", "node-1", "a"),
        ("zone", "node-2", "b"),
        ("fail", "node-1"),
        ("fail", "node-2"),
        ("run", 90),
        ("recover", "node-1"),
        ("run", 30),
    ]
)  # every zone down, then back
@example(
    [
        ("add", "node-3"),
        ("run", 20),
        ("remove", "node-3"),
        ("run", 10),
        ("add", "node-3"),
        ("run", 30),
    ]
)
@example([("delete-lease", "node-1"), ("run", 50), ("grace", 20.0), ("run", 30)])
@example(
    [
        ("exclude", "control-plane"),
        ("fail", "node-1"),
        ("fail", "node-2"),
        ("run", 90),
        ("recover", "node-1"),
        ("recover", "node-2"),
        ("run", 60),
    ]
)  # every zone down: us
@example(
    [
        ("add", "node-3"),
        ("add", "node-4"),
        ("run", 20),
        ("fail", "node-1"),
        ("fail", "node-2"),
        ("fail", "node-3"),
        ("run", 120),
    ]
)  # a partially disrupted zone: no NoExecute taints
@example(
    [
        ("add", "node-3"),
        ("add", "node-4"),
        ("add", "node-5"),
        ("run", 20),
        ("fail", "node-1"),
        ("fail", "node-2"),
        ("fail", "node-3"),
        ("run", 120),
    ]
)  # 3 of 6 down: not disrupted
def test_looking_only_at_nodes_that_may_need_it_changes_nothing(steps):
    assert_plays_alike(steps, check_every_node)


def assert_plays_alike(
    steps: list[tuple[Any, ...]], reference: Callable[[pytest.MonkeyPatch], None]
) -> None:
    """`steps` leave the same store after every step as they do with `reference` patched in."""
    shortcut = play(steps)
    with pytest.MonkeyPatch.context() as monkeypatch:
        reference(monkeypatch)
        upstream = play(steps)
    for index, (got, want) in enumerate(zip(shortcut, upstream, strict=True)):
        assert got == want, f"after step {index}: {steps[index]}"
