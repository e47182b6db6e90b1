"""`kubectl label` / `annotate` with prefixed keys (`topology.kubernetes.io/zone=a`)."""

from __future__ import annotations

from minik8s import Cluster


def test_label_node_with_prefixed_key() -> None:
    c = Cluster(nodes=2, seed=0)
    out = c.kubectl("label node node-1 topology.kubernetes.io/zone=a")
    assert out == "node/node-1 labeled\n"
    assert c.get("nodes", "node-1")["metadata"]["labels"]["topology.kubernetes.io/zone"] == "a"
    assert c.kubectl("label node node-1 topology.kubernetes.io/zone=b") == (
        "error: 'topology.kubernetes.io/zone' already has a value (a), and --overwrite is false\n"
    )
    assert c.kubectl("label node node-1 topology.kubernetes.io/zone=b --overwrite") == (
        "node/node-1 labeled\n"
    )
    assert c.get("nodes", "node-1")["metadata"]["labels"]["topology.kubernetes.io/zone"] == "b"
    assert c.kubectl("label node node-1 topology.kubernetes.io/zone-") == "node/node-1 unlabeled\n"
    assert "topology.kubernetes.io/zone" not in c.get("nodes", "node-1")["metadata"]["labels"]


def test_label_slash_form_with_prefixed_key_and_several_names() -> None:
    c = Cluster(nodes=2, seed=0)
    assert c.kubectl("label node/node-1 node/node-2 example.com/role=edge") == (
        "node/node-1 labeled\nnode/node-2 labeled\n"
    )
    assert c.kubectl("label nodes node-1 node-2 example.com/tier=x") == (
        "node/node-1 labeled\nnode/node-2 labeled\n"
    )
    for node in ("node-1", "node-2"):
        labels = c.get("nodes", node)["metadata"]["labels"]
        assert labels["example.com/role"] == "edge"
        assert labels["example.com/tier"] == "x"


def test_annotate_prefixed_key() -> None:
    c = Cluster(nodes=2, seed=0)
    out = c.kubectl("annotate node node-2 example.com/owner=team-a")
    assert out == "node/node-2 annotated\n"
    annotations = c.get("nodes", "node-2")["metadata"]["annotations"]
    assert annotations["example.com/owner"] == "team-a"
    assert c.kubectl("annotate node node-2 example.com/owner-") == "node/node-2 annotated\n"
    assert "example.com/owner" not in (
        c.get("nodes", "node-2")["metadata"].get("annotations") or {}
    )


def test_label_without_resource() -> None:
    c = Cluster(nodes=2, seed=0)
    assert c.kubectl("label a=b").startswith("error: one or more resources must be specified")
