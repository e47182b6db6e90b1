"""The kubelet's node Events (setters.go `recordEventFunc`, kubelet.go `BirthCry`), as
`kubectl describe node` shows them, merged with the node controller's like `NodeDescriber`."""

from __future__ import annotations

import pytest

import minik8s
from minik8s.kubelet.node_status import status_change_events


def _events(out: str) -> list[tuple[str, str, str, str]]:
    """(type, reason, from, message) rows of describe's Events table."""
    rows = out[out.index("Events:") :].splitlines()[3:]
    result = []
    for row in rows:
        cells = row.split(None, 4)
        # Type Reason Age From Message
        result.append((cells[0], cells[1], cells[3], cells[4]))
    return result


@pytest.fixture
def cluster():
    return minik8s.Cluster(nodes=1, seed=0)


def test_a_new_node_has_the_kubelet_start_events(cluster):
    cluster.run(10)
    events = _events(cluster.kubectl("describe node node-1"))
    reasons = [e[1] for e in events]
    assert reasons[:5] == [
        "Starting",
        "NodeAllocatableEnforced",
        "NodeHasSufficientMemory",
        "NodeHasNoDiskPressure",
        "NodeHasSufficientPID",
    ]
    assert ("Normal", "Starting", "kubelet", "Starting kubelet.") in events
    assert (
        "Normal",
        "NodeHasSufficientMemory",
        "kubelet",
        "Node node-1 status is now: NodeHasSufficientMemory",
    ) in events
    assert (
        "Normal",
        "RegisteredNode",
        "node-controller",
        "Node node-1 event: Registered Node node-1 in Controller",
    ) in events


def test_power_loss_and_recovery(cluster):
    cluster.run(5)
    cluster.fail_node("node-1")
    cluster.run(60)
    cluster.recover_node("node-1")
    cluster.run(20)
    events = _events(cluster.kubectl("describe node node-1"))
    reasons = [e[1] for e in events]
    lost = reasons.index("NodeNotReady")
    after = reasons[lost + 1 :]
    assert after[:3] == ["Starting", "NodeAllocatableEnforced", "Rebooted"]
    assert "NodeReady" in after and "NodeHasSufficientMemory" in after
    rebooted = next(e for e in events if e[1] == "Rebooted")
    node = cluster.client.get("nodes", "node-1")
    assert rebooted[0] == "Warning"
    assert rebooted[3] == (
        f"Node node-1 has been rebooted, boot id: {node['status']['nodeInfo']['bootID']}"
    )
    involved = next(
        e["involvedObject"]
        for e in cluster.client.list("events")["items"]
        if e["reason"] == "Rebooted"
    )
    assert (involved["kind"], involved["name"], involved["uid"]) == ("Node", "node-1", "node-1")


def test_every_node_of_a_new_cluster_records_them():
    c = minik8s.Cluster(nodes=2, seed=0)
    starting = [
        e["involvedObject"]["name"]
        for e in c.client.list("events")["items"]
        if e["reason"] == "Starting" and e["source"].get("component") == "kubelet"
    ]
    assert sorted(starting) == ["control-plane", "node-1", "node-2"]


def _c(kind, status):
    return {"type": kind, "status": status}


def test_status_change_events_follow_the_setters():
    fresh = [_c(k, "False") for k in ("MemoryPressure", "DiskPressure", "PIDPressure")]
    # a first Ready condition records nothing; new pressure conditions do
    assert status_change_events([], [*fresh, _c("Ready", "True")]) == [
        "NodeHasSufficientMemory",
        "NodeHasNoDiskPressure",
        "NodeHasSufficientPID",
    ]
    steady = [*fresh, _c("Ready", "True")]
    assert status_change_events(steady, steady) == []
    assert status_change_events(steady, [*fresh, _c("Ready", "False")]) == ["NodeNotReady"]
    unknown = [_c(k, "Unknown") for k in ("MemoryPressure", "DiskPressure", "PIDPressure")]
    assert status_change_events([*unknown, _c("Ready", "Unknown")], steady) == [
        "NodeHasSufficientMemory",
        "NodeHasNoDiskPressure",
        "NodeHasSufficientPID",
        "NodeReady",
    ]
    pressure = [_c("MemoryPressure", "True"), _c("DiskPressure", "True"), _c("PIDPressure", "True")]
    assert status_change_events(fresh, pressure) == [
        "NodeHasInsufficientMemory",
        "NodeHasDiskPressure",
        "NodeHasInsufficientPID",
    ]
