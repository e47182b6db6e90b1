# ruff: noqa: E501
"""`kubectl describe node`: Taints sorted by `effect,key` like upstream
`printTaintsMultilineWithIndent`, printed with `Taint.ToString`; Unschedulable and Conditions."""

from minik8s.kubectl import kubectl
from tests.kubectl import objects


def _node(taints, unschedulable=False):
    spec = {"taints": taints}
    if unschedulable:
        spec["unschedulable"] = True
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": "node-x", "creationTimestamp": "2025-01-01T00:00:00Z"},
        "spec": spec,
        "status": {
            "conditions": [
                {
                    "type": "Ready",
                    "status": "Unknown",
                    "lastHeartbeatTime": "2025-01-01T00:00:00Z",
                    "lastTransitionTime": "2025-01-01T00:01:00Z",
                    "reason": "NodeStatusUnknown",
                    "message": "Kubelet stopped posting node status.",
                }
            ]
        },
    }


def test_unreachable_node_taints_noexecute_first():
    client = objects.fake_client_with_objects()
    taints = [
        {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"},
        {"key": "node.kubernetes.io/unreachable", "effect": "NoSchedule"},
        {"key": "node.kubernetes.io/unreachable", "effect": "NoExecute"},
        {"key": "dedicated", "value": "gpu", "effect": "PreferNoSchedule"},
    ]
    client.add(_node(taints, unschedulable=True))
    out = kubectl(client, "describe node node-x")
    pad = " " * 20
    assert (
        "Taints:             node.kubernetes.io/unreachable:NoExecute\n"
        f"{pad}node.kubernetes.io/unreachable:NoSchedule\n"
        f"{pad}node.kubernetes.io/unschedulable:NoSchedule\n"
        f"{pad}dedicated=gpu:PreferNoSchedule\n"
        "Unschedulable:      true\n"
    ) in out
    assert (
        "  Ready   Unknown   Wed, 01 Jan 2025 00:00:00 +0000   "
        "Wed, 01 Jan 2025 00:01:00 +0000   NodeStatusUnknown   Kubelet stopped posting node status.\n"
    ) in out


def test_no_taints():
    client = objects.fake_client_with_objects()
    client.add(_node([]))
    out = kubectl(client, "describe node node-x")
    assert "Taints:             <none>\nUnschedulable:      false\n" in out
