"""The pod GC's indexed pass (`podgc.py`) deletes exactly the pods upstream's pass over every
pod would: a hypothesis test against that pass (the previous implementation), written here."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from minik8s.controllers.podgc import (
    OUT_OF_SERVICE,
    QUARANTINE,
    _ready,
    eviction_and_creation_order,
    is_pod_terminated,
)
from tests.controllers.test_podgc import Env

PODS = st.lists(
    st.tuples(
        st.sampled_from(["node-a", "node-b", "gone", ""]),  # its node ("gone": no such Node)
        st.sampled_from(["Running", "Succeeded", "Failed", "Pending"]),
        st.booleans(),  # terminating (deleted, held by a finalizer)
    ),
    max_size=12,
)


def scan(env: Env, missing_since: dict[str, float], threshold: int) -> set[str]:
    """The keys one pass over the list of every pod marks for deletion (upstream's loops)."""
    pods = env.gc.pods.lister().list()
    nodes = {n["metadata"]["name"]: n for n in env.gc.nodes.lister().list()}
    marked = set()
    terminated = sorted([p for p in pods if is_pod_terminated(p)], key=eviction_and_creation_order)
    if threshold > 0 and len(terminated) > threshold:
        marked |= {p["metadata"]["name"] for p in terminated[: len(terminated) - threshold]}
    for pod in pods:
        node_name = pod["spec"].get("nodeName")
        node = nodes.get(node_name or "")
        deleting = bool(pod["metadata"].get("deletionTimestamp"))
        taints = [t["key"] for t in (node or {}).get("spec", {}).get("taints") or []]
        if deleting and node and not _ready(node) and OUT_OF_SERVICE in taints:
            marked.add(pod["metadata"]["name"])
        if node_name and node is None and env.loop.now - missing_since[node_name] >= QUARANTINE:
            marked.add(pod["metadata"]["name"])
        if deleting and not node_name:
            marked.add(pod["metadata"]["name"])
    return marked


EVERY_STEP = [
    ("node-a", "Succeeded", False),  # terminated (threshold 1: the older of two goes)
    ("node-a", "Failed", False),
    ("node-b", "Running", True),  # terminating on the out-of-service node
    ("gone", "Running", False),  # orphaned
    ("", "Pending", True),  # unscheduled terminating
    ("node-a", "Running", False),  # stays
]


@settings(max_examples=25, deadline=None)
@example(EVERY_STEP, 1)
@given(PODS, st.integers(0, 4))
def test_the_indexed_pass_deletes_what_a_scan_of_every_pod_would(pods, threshold):
    env = Env(nodes=("node-a", "node-b"), threshold=threshold)  # its pass runs at t=20 s
    env.node("node-c", ready="False", taints=[{"key": OUT_OF_SERVICE, "effect": "NoExecute"}])
    for i, (node, phase, terminating) in enumerate(pods):
        node = "node-c" if node == "node-b" and terminating else node
        env.pod(f"p{i}", node=node or None, phase=phase, finalizer=terminating)
        if terminating:
            env.client.delete("pods", f"p{i}", "default")
    env.loop.run(until=env.loop.now + 0.5)
    assert env.loop.now < 20  # no periodic pass ran
    env.gc.missing_since = {"gone": env.loop.now - QUARANTINE}  # its quarantine is over
    expected = scan(env, env.gc.missing_since, threshold)
    deleted = env.gc.gc()
    assert {key.split("/")[1] for key in deleted} == expected
    if pods == EVERY_STEP:
        assert expected == {"p0", "p2", "p3", "p4"}
