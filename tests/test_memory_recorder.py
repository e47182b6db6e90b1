"""The event recorder keeps one string for a message (or field path) that many events share."""

from __future__ import annotations

from minik8s import Cluster
from minik8s.client.record import EventRecorder


def pod(name: str) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "default", "uid": f"uid-{name}"},
    }


def test_equal_messages_of_different_pods_share_one_string():
    c = Cluster(nodes=1, seed=0)
    recorder = EventRecorder(c.client_for("kubelet"), "kubelet", "node-1")
    container = "app"
    for name in ("a", "b"):  # texts built afresh each time, as the kubelet builds them
        recorder.event(pod(name), "Normal", "Started", f"Started container {container}",
                       f"spec.containers{{{container}}}")  # fmt: skip
    (key_a, _), (key_b, _) = recorder._seen.items()
    assert key_a[2] == "a" and key_b[2] == "b"
    assert key_a[-1] is key_b[-1] and key_a[-1] == "Started container app"
    assert key_a[-3] is key_b[-3] and key_a[-3] == "spec.containers{app}"
    events = c.get("events", namespace="default")
    started = [e for e in events if e["reason"] == "Started"]
    assert [e["involvedObject"]["name"] for e in started] == ["a", "b"]
    assert {e["message"] for e in started} == {"Started container app"}
