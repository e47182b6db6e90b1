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


def test_a_repeat_after_more_than_ten_minutes_still_bumps_count():
    # client-go eventObserve: the LRU of identical events has no time window
    cluster = Cluster()
    recorder = EventRecorder(cluster.client_for("test"), "test")
    for _ in range(3):
        recorder.event(pod("a"), "Normal", "Pinged", "hello")
        cluster.run(700)
    [event] = events_about(cluster, "a")
    assert event["count"] == 3
    assert event["firstTimestamp"] == "2025-01-01T00:00:00Z"
    assert event["lastTimestamp"] == "2025-01-01T00:23:20Z"


def test_a_repeat_of_an_expired_event_recreates_it_under_its_name():
    # client-go recordEvent: a patch that finds the Event gone (its TTL ran out) creates it
    cluster = Cluster()
    recorder = EventRecorder(cluster.client_for("test"), "test")
    recorder.event(pod("a"), "Normal", "Pinged", "hello")
    [first] = events_about(cluster, "a")
    cluster.run(3700)
    assert events_about(cluster, "a") == []
    recorder.event(pod("a"), "Normal", "Pinged", "hello")
    [again] = events_about(cluster, "a")
    assert again["metadata"]["name"] == first["metadata"]["name"]
    assert (again["count"], again["firstTimestamp"]) == (2, first["firstTimestamp"])
    assert again["lastTimestamp"] == "2025-01-01T01:01:40Z"
