"""The fields of the core/v1 Events the recorder writes, against client-go v1.31 `makeEvent`,
`generateEvent` and `EventAggregate`."""

from __future__ import annotations

from minik8s import Cluster
from minik8s.client.correlator import COMBINED_PREFIX
from minik8s.client.record import EventRecorder
from tests.client.test_record import events_about


def _pod() -> dict:
    meta = {"name": "a", "namespace": "default", "uid": "uid-a", "resourceVersion": "7"}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta}


def test_an_event_has_upstreams_fields_and_a_null_event_time():
    cluster = Cluster()
    recorder = EventRecorder(cluster.client_for("kubelet"), "kubelet", "node-1")
    recorder.event(_pod(), "Warning", "BackOff", "Back-off", field_path="spec.containers{c}")
    [event] = events_about(cluster, "a")
    name = event["metadata"]["name"]
    assert name.startswith("a.") and int(name[2:], 16) > 1_735_689_600 * 10**9
    assert event["eventTime"] is None  # a zero MicroTime is written as null
    assert {k: v for k, v in event.items() if k not in ("metadata", "eventTime")} == {
        "apiVersion": "v1",
        "kind": "Event",
        "involvedObject": {
            "kind": "Pod",
            "namespace": "default",
            "name": "a",
            "uid": "uid-a",
            "apiVersion": "v1",
            "resourceVersion": "7",
            "fieldPath": "spec.containers{c}",
        },
        "reason": "BackOff",
        "message": "Back-off",
        "type": "Warning",
        "source": {"component": "kubelet", "host": "node-1"},
        "firstTimestamp": "2025-01-01T00:00:00Z",
        "lastTimestamp": "2025-01-01T00:00:00Z",
        "count": 1,
        "reportingComponent": "kubelet",
        "reportingInstance": "node-1",
    }


def test_a_cluster_scoped_object_gets_its_event_in_default_without_a_namespace():
    cluster = Cluster()
    recorder = EventRecorder(cluster.client_for("kubelet"), "kubelet", "n1")
    recorder.event(
        {"kind": "Node", "metadata": {"name": "n1", "uid": "n1"}}, "Normal", "Starting", "x"
    )
    [event] = [
        e for e in events_about(cluster, "n1") if e["reason"] == "Starting" and e["message"] == "x"
    ]
    assert event["metadata"]["namespace"] == "default"
    assert event["involvedObject"] == {"kind": "Node", "name": "n1", "uid": "n1"}


def test_the_aggregate_event_carries_no_reporting_fields():
    # EventAggregate builds a fresh Event with Source but no ReportingController/Instance
    cluster = Cluster()
    recorder = EventRecorder(cluster.client_for("test"), "test", "h")
    for i in range(12):
        recorder.event(_pod(), "Normal", "Tick", f"tick {i}")
    [aggregate] = [
        e for e in events_about(cluster, "a") if e["message"].startswith(COMBINED_PREFIX)
    ]
    assert aggregate["message"] == COMBINED_PREFIX + "tick 11"
    assert aggregate["count"] == 3
    assert (aggregate["reportingComponent"], aggregate["reportingInstance"]) == ("", "")
    assert aggregate["source"] == {"component": "test", "host": "h"}
    singles = [
        e for e in events_about(cluster, "a") if not e["message"].startswith(COMBINED_PREFIX)
    ]
    assert len(singles) == 9 and all(e["reportingComponent"] == "test" for e in singles)
