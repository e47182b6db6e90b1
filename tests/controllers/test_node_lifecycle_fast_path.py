"""The node lifecycle monitor's fast path (an unchanged Ready node: only its Lease is looked at)
changes nothing: a cluster with it and one doing the full check of every node every pass end
in the same state, event for event and revision for revision."""

from __future__ import annotations

import pytest

from minik8s import Cluster
from minik8s.controllers.nodelifecycle import NodeLifecycleController

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


def scenario() -> list[tuple[str, bytes]]:
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
    return [(kv.key, kv.value) for kv in c.store.range("/registry/")]


def test_fast_path_ends_in_the_same_state_as_full_checks(monkeypatch: pytest.MonkeyPatch):
    fast = scenario()
    monkeypatch.setattr(NodeLifecycleController, "_still_steady", lambda self, node, health: None)
    assert scenario() == fast
    events = b"".join(v for k, v in fast if k.startswith("/registry/events/"))
    for reason in (b"NodeNotReady", b"TaintManagerEviction", b"RegisteredNode"):
        assert reason in events  # the scenario did go through it all
