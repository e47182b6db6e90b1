"""A new node is not schedulable until its network is: the TaintNodesByCondition admission
plugin taints it `node.kubernetes.io/not-ready:NoSchedule` at creation, the kubelet reports
Ready=False (NetworkReady=false) until the node has a pod CIDR and then posts Ready at once
(`fastStatusUpdateOnce`, every 100 ms), and the node lifecycle controller lifts the taint."""

from __future__ import annotations

from minik8s import Cluster
from minik8s.kubelet.node_status import NETWORK_NOT_READY

NOT_READY_TAINT = {"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"}
BIG = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "big"},
    "spec": {
        "containers": [{"name": "app", "image": "nginx", "resources": {"requests": {"cpu": "6"}}}]
    },
}


def ready_condition(c: Cluster, name: str) -> dict:
    node = c.get("Node", name)
    return next(x for x in node["status"]["conditions"] if x["type"] == "Ready")


def test_a_new_node_starts_not_ready_and_tainted_until_it_has_a_pod_cidr():
    c = Cluster(nodes=1)
    c.add_node("node-new")
    node = c.get("Node", "node-new")
    assert NOT_READY_TAINT in node["spec"]["taints"]
    assert "podCIDR" not in node["spec"]
    cond = ready_condition(c, "node-new")
    assert (cond["status"], cond["reason"], cond["message"]) == (
        "False",
        "KubeletNotReady",
        NETWORK_NOT_READY,
    )
    c.run(0.1)
    node = c.get("Node", "node-new")
    assert node["spec"]["podCIDR"]
    assert ready_condition(c, "node-new")["status"] == "True"
    assert not node["spec"].get("taints")


def test_a_pending_pod_waits_for_the_new_node_to_be_ready_and_starts_cleanly():
    c = Cluster(nodes=2)
    c.apply(BIG)
    c.run(5)
    assert "nodeName" not in c.get("Pod", "big")["spec"]
    c.add_node("node-big", capacity={"cpu": "8"})
    c.run(5)
    pod = c.get("Pod", "big")
    assert pod["spec"]["nodeName"] == "node-big"
    assert pod["status"]["phase"] == "Running"
    reasons = [e["reason"] for e in c.get("Event") if e["involvedObject"]["name"] == "big"]
    assert "FailedCreatePodSandBox" not in reasons


def test_the_cluster_is_ready_a_tenth_of_a_second_after_start():
    c = Cluster(nodes=3)
    assert c.loop.now == 0.1
    for name in c.machines:
        assert ready_condition(c, name)["status"] == "True"
        assert NOT_READY_TAINT not in (c.get("Node", name)["spec"].get("taints") or [])


def test_a_pod_bound_to_a_node_without_network_waits_with_network_not_ready(monkeypatch):
    """upstream SyncPod: no sandbox while the runtime's network is not ready (here: its CNI
    plugin has no configuration yet, as while a CNI DaemonSet starts); the pod worker retries
    after `backOffOnTransientErrorPeriod` (1 s), each retry with its event."""
    c = Cluster(nodes=1)
    name = c.add_node()
    network = c.kubelet(name).network
    monkeypatch.setattr(network, "ready", lambda: False)
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "pinned"},
        "spec": {"nodeName": name, "containers": [{"name": "c", "image": "nginx"}]},
    }
    c.apply(pod)
    c.settle()
    events = [e for e in c.get("Event") if e["involvedObject"]["name"] == "pinned"]
    assert [e["reason"] for e in events] == ["NetworkNotReady"]
    assert events[0]["message"] == f"network is not ready: {NETWORK_NOT_READY}"
    assert c.get("Pod", "pinned")["status"]["phase"] == "Pending"
    first, last = (
        c.loop.parse_timestamp(events[0][k]) for k in ("firstTimestamp", "lastTimestamp")
    )
    assert events[0]["count"] == last - first + 1 > 10  # every second (until the spam filter)
    monkeypatch.undo()  # the plugin is configured
    c.run(4)  # the next retry, within a second, starts it (the pull takes ~2.4 s)
    assert c.get("Pod", "pinned")["status"]["phase"] == "Running"
    reasons = {e["reason"] for e in c.get("Event") if e["involvedObject"]["name"] == "pinned"}
    assert "FailedCreatePodSandBox" not in reasons


def test_host_network_pods_start_before_the_network_is_ready():
    c = Cluster(nodes=1)
    name = c.add_node()
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "host"},
        "spec": {
            "nodeName": name,
            "hostNetwork": True,
            "containers": [{"name": "c", "image": "nginx"}],
        },
    }
    c.apply(pod)
    c.run(3)
    assert c.get("Pod", "host")["status"]["phase"] == "Running"
    reasons = {e["reason"] for e in c.get("Event") if e["involvedObject"]["name"] == "host"}
    assert "NetworkNotReady" not in reasons
