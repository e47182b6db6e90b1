# ruff: noqa: E501
"""Events as a user sees them: `kubectl events`, describe's `Events:` table and `get events`,
against upstream kubectl v1.31 (events.go, event_printer.go, describe.go, printers.go)."""

from __future__ import annotations

import pytest

from minik8s.apiserver.server import APIServer
from minik8s.client.client import Client
from minik8s.etcd import Store
from minik8s.kubectl import kubectl
from minik8s.kubectl.events import event_time, get_interval, sort_events
from minik8s.kubectl.table import parse_time
from minik8s.sim.loop import EventLoop

T0 = "2025-01-01T00:00:00Z"


def ev(name: str, ns: str = "default", **fields) -> dict:
    """A core/v1 Event about pod `web` (fields override)."""
    event = {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": name, "namespace": ns},
        "involvedObject": {"kind": "Pod", "name": "web", "namespace": ns, "uid": "u1"},
        "type": "Normal",
        "reason": "Pulled",
        "message": "pulled",
        "source": {"component": "kubelet", "host": "node-1"},
        "firstTimestamp": T0,
        "lastTimestamp": T0,
        "count": 1,
    }
    event.update(fields)
    return event


class Bare:
    """An API server and a client, no components: only the Events a test writes."""

    def __init__(self) -> None:
        self.loop = EventLoop()
        self.client = Client(APIServer(Store(), self.loop), "kubectl")
        for name in ("default", "shop"):
            namespace = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}
            self.client.create("namespaces", namespace)

    def run(self, seconds: float) -> None:
        self.loop.run_for(seconds)


@pytest.fixture
def cluster():
    return Bare()


def add(cluster, *events):
    for e in events:
        cluster.client.create("events", e, e["metadata"]["namespace"])


def test_kubectl_events_sorts_by_last_seen_and_prints_kind_slash_name(cluster):
    add(
        cluster,
        ev("a", reason="Late", lastTimestamp="2025-01-01T00:09:00Z", count=3, message=" three \n"),
        ev("b", type="Warning", reason="Early", lastTimestamp="2025-01-01T00:01:00Z"),
    )
    cluster.run(600)
    assert kubectl(cluster.client, "events") == (
        "LAST SEEN           TYPE      REASON   OBJECT    MESSAGE\n"
        "10m                 Warning   Early    Pod/web   pulled\n"
        "60s (x3 over 10m)   Normal    Late     Pod/web   three\n"
    )


def test_kubectl_events_all_namespaces_adds_namespace_column(cluster):
    add(cluster, ev("a"), ev("b", ns="shop", lastTimestamp="2025-01-01T00:00:05Z"))
    cluster.run(10)
    out = kubectl(cluster.client, "events -A --no-headers")
    assert out == (
        "default   10s   Normal   Pulled   Pod/web   pulled\nshop      10s   Normal   Pulled   Pod/web   pulled\n"
    )
    assert kubectl(cluster.client, "events -A").startswith("NAMESPACE   LAST SEEN   TYPE")


def test_kubectl_events_for_filters_by_kind_and_name(cluster):
    other = ev("b")
    other["involvedObject"] = {"kind": "ReplicaSet", "name": "web", "namespace": "default"}
    add(
        cluster,
        ev("a"),
        other,
        ev("c", involvedObject={"kind": "Pod", "name": "db", "namespace": "default"}),
    )
    for line in ("events --for pod/web", "events --for=po/web", "events --for pods/web"):
        out = kubectl(cluster.client, line)
        assert out.splitlines()[1:] == ["0s          Normal   Pulled   Pod/web   pulled"], line
    assert "ReplicaSet/web" in kubectl(cluster.client, "events --for replicaset/web")


def test_kubectl_events_types_filter_and_validation(cluster):
    add(cluster, ev("a"), ev("b", type="Warning", reason="BackOff"))
    assert [
        line.split()[2]
        for line in kubectl(cluster.client, "events --types=warning").splitlines()[1:]
    ] == ["BackOff"]
    assert len(kubectl(cluster.client, "events --types=Warning,Normal").splitlines()) == 3
    for line in ("events --types Warning --for pod/web", "events --for pod/web --types Warning"):
        assert [row.split()[2] for row in kubectl(cluster.client, line).splitlines()[1:]] == [
            "BackOff"
        ]
    assert (
        kubectl(cluster.client, "events --types=Error")
        == "error: valid --types are Normal or Warning\n"
    )


def test_kubectl_events_messages_when_nothing_or_bad_for(cluster):
    assert kubectl(cluster.client, "events") == "No events found in default namespace.\n"
    assert kubectl(cluster.client, "events -n shop") == "No events found in shop namespace.\n"
    assert kubectl(cluster.client, "events -A") == "No events found.\n"
    assert (
        kubectl(cluster.client, "events --for=web")
        == "error: --for must be in resource/name form\n"
    )
    assert kubectl(cluster.client, "events --for=pod/a/b") == (
        "error: arguments in resource/name form may not have more than one slash\n"
    )
    assert kubectl(cluster.client, "events --for=nope/a") == (
        'error: the server doesn\'t have a resource type "nope"\n'
    )
    assert kubectl(cluster.client, "events -o wide").startswith(
        'error: unable to match a printer suitable for the output format "wide", allowed formats are: go-template,'
    )


def test_kubectl_events_structured_output_is_a_sorted_event_list(cluster):
    add(cluster, ev("a", lastTimestamp="2025-01-01T00:00:09Z"), ev("b"))
    assert kubectl(cluster.client, "events -o name") == "event/b\nevent/a\n"
    out = kubectl(cluster.client, "events -o yaml")
    assert out.startswith("apiVersion: v1\nitems:\n")
    assert out.endswith("kind: EventList\nmetadata: {}\n")


# --- SortableEvents and getInterval (upstream TestSortableEvents and describe's Age) ----------


def test_sortable_events_uses_series_then_last_timestamp_then_event_time():
    events = [
        {"lastTimestamp": "2025-01-01T00:00:40Z"},  # Unix-style times, upstream's case
        {"lastTimestamp": "2025-01-01T00:00:20Z"},
        {"eventTime": "2025-01-01T00:00:30.000000Z"},  # MicroTime: compared as time, not text
        {
            "lastTimestamp": "2025-01-01T00:00:50Z",
            "series": {"lastObservedTime": "2025-01-01T00:00:10.000000Z"},
        },
        {"firstTimestamp": "2025-01-01T00:00:01Z"},  # only firstTimestamp: zero time, first
    ]
    ordered = sort_events(events)
    assert ordered == [events[4], events[3], events[1], events[2], events[0]]
    assert event_time(events[3]) == parse_time("2025-01-01T00:00:10Z")


def test_get_interval_forms():
    now = parse_time("2025-01-01T00:10:00Z")
    assert now is not None
    assert get_interval(ev("a"), now) == "10m"
    assert (
        get_interval(ev("a", count=2, lastTimestamp="2025-01-01T00:09:30Z"), now)
        == "30s (x2 over 10m)"
    )
    new_style = {
        "eventTime": "2025-01-01T00:05:00.000000Z",
        "series": {"count": 4, "lastObservedTime": "2025-01-01T00:09:00.000000Z"},
    }
    assert get_interval(new_style, now) == "60s (x4 over 5m)"
    assert get_interval({}, now) == "<unknown>"


# --- describe's Events section ---------------------------------------------------------------


def _pod(cluster):
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {"containers": [{"name": "c", "image": "nginx"}], "nodeName": "nowhere"},
    }
    return cluster.client.create("pods", pod, "default")


def test_describe_lists_events_oldest_first_and_matches_the_uid(cluster):
    pod = _pod(cluster)
    uid = pod["metadata"]["uid"]
    involved = {"kind": "Pod", "name": "web", "namespace": "default", "uid": uid}
    new_style = ev(
        "a",
        involvedObject=involved,
        reason="NewStyle",
        eventTime="2025-01-01T00:00:30.000000Z",
        source={},
        reportingComponent="my-ctl",
        reportingInstance="i1",
        action="Do",
        firstTimestamp=None,
        lastTimestamp=None,
        count=None,
    )
    add(
        cluster,
        new_style,
        ev(
            "b",
            involvedObject=involved,
            reason="Second",
            lastTimestamp="2025-01-01T00:00:50Z",
            count=2,
        ),
        ev("c", involvedObject=involved, reason="First", lastTimestamp="2025-01-01T00:00:10Z"),
        ev(
            "d", involvedObject={**involved, "uid": "an-old-pod"}, reason="OldPod"
        ),  # same name, other uid
    )
    cluster.run(60)
    out = kubectl(cluster.client, "describe pod web")
    events = out[out.index("Events:") :]
    assert events == (
        "Events:\n"
        "  Type    Reason    Age                From     Message\n"
        "  ----    ------    ----               ----     -------\n"
        "  Normal  First     60s                kubelet  pulled\n"
        "  Normal  NewStyle  30s                my-ctl   pulled\n"
        "  Normal  Second    10s (x2 over 60s)  kubelet  pulled\n"
    )


def test_describe_node_shows_events_by_uid_and_by_the_kubelet_name_uid(cluster):
    node = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1"}}
    node = cluster.client.create("nodes", node)
    ref = {"kind": "Node", "name": "n1"}
    add(
        cluster,
        ev(
            "n1.a",
            involvedObject={**ref, "uid": node["metadata"]["uid"]},
            reason="RegisteredNode",
            source={"component": "node-controller"},
        ),
        ev("n1.b", involvedObject={**ref, "uid": "n1"}, reason="Starting"),
        ev("n1.c", involvedObject={**ref, "uid": "someone-else"}, reason="Other"),
    )
    out = kubectl(cluster.client, "describe node n1")
    events = out[out.index("Events:") :]
    assert "RegisteredNode" in events and "Starting" in events and "Other" not in events


def test_get_events_wide_source_falls_back_to_reporting_component_and_instance(cluster):
    add(cluster, ev("a", source={}, reportingComponent="my-ctl", reportingInstance="i1"))
    out = kubectl(cluster.client, "get events -o wide")
    header, row = out.splitlines()
    assert header.split()[:7] == ["LAST", "SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE"]
    assert "my-ctl, i1" in row
