"""The event recorder's correlator: repeats bump `count`; its memory is an LRU of 4,096."""

from __future__ import annotations

from minik8s import Cluster
from minik8s.client import record
from minik8s.client.record import EventRecorder


def pod(name: str) -> dict:
    meta = {"name": name, "namespace": "default", "uid": f"uid-{name}"}
    return {"kind": "Pod", "metadata": meta}


def events_about(cluster: Cluster, name: str) -> list[dict]:
    items = cluster.apiserver.list("events", "default")["items"]
    return [e for e in items if e["involvedObject"]["name"] == name]


def test_a_repeated_event_bumps_count_instead_of_creating_another():
    cluster = Cluster()
    recorder = EventRecorder(cluster.client_for("test"), "test")
    for _ in range(3):
        recorder.event(pod("a"), "Normal", "Pinged", "hello")
    [event] = events_about(cluster, "a")
    assert event["count"] == 3


def test_the_correlator_forgets_the_least_recently_seen_beyond_its_size(monkeypatch):
    monkeypatch.setattr(record, "MAX_LRU_CACHE_ENTRIES", 3)
    cluster = Cluster()
    recorder = EventRecorder(cluster.client_for("test"), "test")
    for name in ("a", "b", "c"):
        recorder.event(pod(name), "Normal", "Pinged", "hello")
    recorder.event(pod("a"), "Normal", "Pinged", "hello")  # a is now the most recent
    recorder.event(pod("d"), "Normal", "Pinged", "hello")  # forgets b, the oldest
    assert len(recorder._seen) == 3
    recorder.event(pod("b"), "Normal", "Pinged", "hello")  # b forgotten: a second Event
    recorder.event(pod("a"), "Normal", "Pinged", "hello")  # a still remembered: count 3
    assert [e["count"] for e in events_about(cluster, "b")] == [1, 1]
    assert [e["count"] for e in events_about(cluster, "a")] == [3]
