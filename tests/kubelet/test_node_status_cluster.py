"""Nodes joining and leaving a `Cluster`: default names `node-N` (N one above the highest),
registration and heartbeats through the whole control plane."""

from __future__ import annotations

from minik8s import Cluster


def ready(cluster: Cluster, name: str) -> str:
    node = cluster.get("Node", name)
    return next(c["status"] for c in node["status"]["conditions"] if c["type"] == "Ready")


def test_default_names_count_up_from_the_highest_node():
    c = Cluster(nodes=2, control_plane_node=False)
    assert c.add_node() == "node-3"
    assert c.add_node("node-10") == "node-10"
    assert c.add_node() == "node-11"
    c.remove_node("node-11")
    assert c.add_node() == "node-11"  # the highest left, so its number is free again
    c.remove_node("node-2")
    assert c.add_node() == "node-12"
    c.settle()
    assert sorted(n["metadata"]["name"] for n in c.get("Node")) == [
        "node-1",
        "node-10",
        "node-11",
        "node-12",
        "node-3",
    ]


def test_nodes_are_ready_and_keep_renewing_their_leases():
    c = Cluster(nodes=3)
    assert {name: ready(c, name) for name in c.machines} == dict.fromkeys(c.machines, "True")
    c.run(600)
    leases = c.get("Lease", namespace="kube-node-lease")
    assert {lease["spec"]["renewTime"] for lease in leases} == {"2025-01-01T00:10:00.000000Z"}
    assert {name: ready(c, name) for name in c.machines} == dict.fromkeys(c.machines, "True")
    node = c.get("Node", "node-1")
    assert node["metadata"]["resourceVersion"] != "0"
    c.fail_node("node-2")
    c.run(60)
    assert ready(c, "node-2") == "Unknown"
    c.recover_node("node-2")
    c.run(10)
    assert ready(c, "node-2") == "True"
