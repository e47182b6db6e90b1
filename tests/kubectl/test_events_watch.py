"""`kubectl events --watch` against upstream `EventsOptions.runWatch` and `EventPrinter`: existing
Events first (the watch's initial ADDEDs), then each new or updated one, flushed one at a time
through a tabwriter that remembers column widths; DELETED not printed."""

from __future__ import annotations

import json

import pytest
import yaml

from minik8s.apiserver.server import APIServer
from minik8s.client.client import Client
from minik8s.etcd import Store
from minik8s.kubectl import kubectl
from minik8s.sim.loop import EventLoop

T0 = "2025-01-01T00:00:00Z"


def ev(name, ns="default", kind="Pod", obj="web", type_="Normal", reason="Pulled", **fields):
    event = {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": name, "namespace": ns},
        "involvedObject": {"kind": kind, "name": obj, "namespace": ns},
        "type": type_,
        "reason": reason,
        "message": f"{reason} {obj}",
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

    def add(self, event):
        return self.client.create("events", event, event["metadata"]["namespace"])

    def add_at(self, when, event):
        self.loop.call_at(when, self.add, event)

    def kubectl(self, line):
        return kubectl(self.client, line)


@pytest.fixture
def c():
    return Bare()


def test_existing_events_then_new_ones_with_one_header(c):
    c.add(ev("a", reason="Scheduled"))
    c.loop.run_for(20)
    c.add_at(30, ev("b", obj="a-much-longer-pod-name", reason="Started"))
    out = c.kubectl("events --watch --request-timeout=60s")
    assert out == (
        "LAST SEEN   TYPE     REASON      OBJECT    MESSAGE\n"
        "20s         Normal   Scheduled   Pod/web   Scheduled web\n"
        "30s         Normal   Started     Pod/a-much-longer-pod-name   "
        "Started a-much-longer-pod-name\n"
    )
    assert c.loop.now == 80.0


def test_widths_are_remembered_so_a_column_never_narrows(c):
    c.add(ev("a", obj="a-much-longer-pod-name", reason="Scheduled"))
    c.add_at(10, ev("b", reason="Killing"))
    out = c.kubectl("events -w --request-timeout=10s").splitlines()
    assert out[2] == "10s         Normal   Killing     Pod/web                      Killing web"


def test_updates_print_again_and_deletions_do_not(c):
    c.add(ev("a"))

    def bump():
        live = c.client.get("events", "a", "default")
        live.update(count=3, lastTimestamp="2025-01-01T00:00:40Z")
        c.client.update("events", live, "default")

    c.loop.call_at(40, bump)
    c.loop.call_at(50, lambda: c.client.delete("events", "a", "default"))
    out = c.kubectl("events -w --request-timeout=1m")
    assert out.splitlines()[1:] == [
        "0s          Normal   Pulled   Pod/web   Pulled web",
        "0s (x3 over 40s)   Normal   Pulled   Pod/web   Pulled web",
    ]


def test_types_and_for_filter_the_watch(c):
    c.add(ev("a", type_="Warning", reason="BackOff"))
    c.add(ev("b", reason="Pulled"))
    c.add(ev("c", obj="db", type_="Warning", reason="Failed"))
    c.add_at(5, ev("d", type_="Warning", reason="Unhealthy"))
    out = c.kubectl("events -w --types=Warning --for pod/web --request-timeout=10s")
    assert [line.split()[2] for line in out.splitlines()[1:]] == ["BackOff", "Unhealthy"]


def test_all_namespaces_and_no_headers(c):
    c.add(ev("a"))
    c.add(ev("b", ns="shop", obj="cart"))
    everywhere = c.kubectl("events -w -A --request-timeout=1s").splitlines()
    assert everywhere[0].split()[0] == "NAMESPACE"
    assert [line.split()[0] for line in everywhere[1:]] == ["default", "shop"]
    quiet = c.kubectl("events -w -n shop --no-headers --request-timeout=1s")
    assert quiet == "1s    Normal   Pulled   Pod/cart   Pulled cart\n"  # minwidth 6


def test_nothing_to_watch_prints_nothing(c):
    assert c.kubectl("events -w --request-timeout=30s") == ""  # no "No events found"
    assert c.loop.now == 30.0
    assert c.kubectl("events") == "No events found in default namespace.\n"


def test_name_json_and_yaml_print_each_event(c):
    c.add(ev("a"))
    c.add_at(5, ev("b"))
    assert c.kubectl("events -w -o name --request-timeout=10s") == "event/a\nevent/b\n"
    c.add_at(c.loop.now + 1, ev("c"))
    docs = list(yaml.safe_load_all(c.kubectl("events -w -o yaml --request-timeout=10s")))
    assert [d["metadata"]["name"] for d in docs] == ["a", "b", "c"]
    assert all(d["kind"] == "Event" and d["apiVersion"] == "v1" for d in docs)
    text = c.kubectl("events -w -o json --request-timeout=1s")
    decoder, pos, names = json.JSONDecoder(), 0, []
    while pos < len(text):
        obj, pos = decoder.raw_decode(text, pos)
        names.append(obj["metadata"]["name"])
        pos += 1
    assert names == ["a", "b", "c"]


def test_without_a_timeout_the_watch_ends_when_the_cluster_settles(c):
    c.add(ev("a"))
    c.add_at(7, ev("b"))
    out = c.kubectl("events -w")
    assert len(out.splitlines()) == 3
    assert c.loop.now == 7.0


def _series_event(name, ns, type_, first_min, last_min):
    """upstream events_test.go `getFakeEvents`: a series event `first_min`/`last_min` minutes ago
    (the test runs 30 minutes after T0)."""
    return {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": name, "namespace": ns},
        "involvedObject": {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "name": "bar",
            "namespace": ns,
        },
        "type": type_,
        "reason": "ScalingReplicaSet",
        "message": "Scaled up replica set bar-002 to 1",
        "reportingComponent": "deployment-controller",  # Go's ReportingController
        "reportingInstance": "kube-controller-manager",
        "action": "ScaleUp",
        "eventTime": f"2025-01-01T00:{30 - first_min:02d}:00.000000Z",
        "series": {"count": 3, "lastObservedTime": f"2025-01-01T00:{30 - last_min:02d}:00.000000Z"},
    }


def test_upstream_events_test_fixture_watched(c):
    """TestEventIsSorted / TestEventFiltered's events, watched: one flush per event, so TYPE is
    laid out for `Normal` first and widens from the `Warning` line on (remembered widths only
    grow); the listing lays them out together."""
    c.client.create(
        "namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "foo"}}
    )
    c.client.create(
        "namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "otherfoo"}}
    )
    c.loop.run_for(30 * 60)
    c.add(_series_event("bar-000", "foo", "Normal", 30, 20))
    c.add(_series_event("bar-001", "foo", "Warning", 28, 18))
    c.add(_series_event("bar-002", "otherfoo", "Normal", 25, 15))
    assert c.kubectl("events -w -A --request-timeout=1s") == (
        "NAMESPACE   LAST SEEN           TYPE     REASON              OBJECT           MESSAGE\n"
        "foo         20m (x3 over 30m)   Normal   ScalingReplicaSet   Deployment/bar   "
        "Scaled up replica set bar-002 to 1\n"
        "foo         18m (x3 over 28m)   Warning   ScalingReplicaSet   Deployment/bar   "
        "Scaled up replica set bar-002 to 1\n"
        "otherfoo    15m (x3 over 25m)   Normal    ScalingReplicaSet   Deployment/bar   "
        "Scaled up replica set bar-002 to 1\n"
    )
    assert c.kubectl("events -w -A --types=WARNING --request-timeout=1s") == (
        "NAMESPACE   LAST SEEN           TYPE      REASON              OBJECT           MESSAGE\n"
        "foo         18m (x3 over 28m)   Warning   ScalingReplicaSet   Deployment/bar   "
        "Scaled up replica set bar-002 to 1\n"
    )
    assert c.kubectl("events -A").splitlines()[1] == (  # TestEventIsSorted, listed: one layout
        "foo         20m (x3 over 30m)   Normal    ScalingReplicaSet   Deployment/bar   "
        "Scaled up replica set bar-002 to 1"
    )
