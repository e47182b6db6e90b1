"""`kubectl get --watch` (kubectl `GetOptions.watch`, cli-runtime's watch printing) and the
tabwriter's `RememberWidths` (github.com/liggitt/tabwriter, kubectl's fork)."""

from __future__ import annotations

import json

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from minik8s import Cluster
from minik8s.kubectl.get_watch import parse_request_timeout
from minik8s.kubectl.table import TabWriter, table

NGINX = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "web"},
    "spec": {
        "replicas": 2,
        "selector": {"matchLabels": {"app": "web"}},
        "template": {
            "metadata": {"labels": {"app": "web"}},
            "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]},
        },
    },
}
POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "solo"},
    "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]},
}


def lines(text: str) -> list[list[str]]:
    return [line.split() for line in text.splitlines() if line]


# -- the tabwriter ------------------------------------------------------------------------------
def test_remembered_widths_keep_a_column_as_wide_as_it_was():
    w = TabWriter()
    w.write(["NAME", "STATUS", "AGE"])
    w.write(["a", "Pending", "0s"])
    first = w.flush()
    w.write(["a", "ContainerCreating", "0s"])
    second = w.flush()
    w.write(["a", "Running", "2s"])
    third = w.flush()
    assert first == "NAME   STATUS    AGE\na      Pending   0s\n"
    assert second == "a      ContainerCreating   0s\n"
    assert third == "a      Running             2s\n"  # the widest STATUS so far, not its own


def test_one_flush_lays_out_like_kubectl_table():
    rows = [["NAME", "READY", "STATUS"], ["web-1", "0/1", "Pending"], ["db", "1/1", "Running"]]
    w = TabWriter()
    for row in rows:
        w.write(row)
    assert w.flush() == table(rows) + "\n"


@given(st.lists(st.lists(st.text("abcdefgh", max_size=12), min_size=3, max_size=3), max_size=8))
def test_columns_never_narrow(rows):
    """RememberWidths: each flush's column starts are at or right of every earlier one's."""
    w = TabWriter()
    starts: list[int] = [0, 0]
    for row in rows:
        w.write(row)
        out = w.flush()
        # column 0 ends where cell 1 begins: len(cell 0 padded)
        padded = len(out.rstrip("\n")) - len(row[2]) - len(row[1])
        width0 = len(row[0].ljust(max(6, len(row[0]) + 3)))
        assert padded >= width0
        assert w.remembered[0] >= starts[0]
        starts[0] = w.remembered[0]


# -- --request-timeout --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (None, 0.0),
        ("0", 0.0),
        ("30", 30.0),
        ("+5", 5.0),
        ("2m", 120.0),
        ("1m30s", 90.0),
        ("1.5s", 1.5),
    ],
)
def test_request_timeout_values(value, seconds):
    assert parse_request_timeout(value) == seconds


@pytest.mark.parametrize("value", ["abc", "5x", "1 s", ""])
def test_request_timeout_errors_as_client_go(value):
    with pytest.raises(ValueError, match="invalid timeout value. Timeout must be a single integer"):
        parse_request_timeout(value)


# -- whole commands -----------------------------------------------------------------------------
@pytest.fixture
def cluster():
    return Cluster(nodes=2, seed=0)


def test_watch_prints_the_listing_then_every_change(cluster):
    cluster.apply(NGINX)
    cluster.run(0.1)  # the ReplicaSet has made its pods
    listing = cluster.kubectl("get pods")
    assert listing.count("ContainerCreating") == 2
    start = cluster.loop.now
    out = cluster.kubectl("get pods -w")
    rows = lines(out)
    assert rows[0] == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    assert out.startswith(listing)  # the list, laid out as `get` lays it out
    assert sum(r[0] == "NAME" for r in rows) == 1  # the header once
    statuses = [r[2] for r in rows[1:]]
    assert statuses.index("ContainerCreating") < statuses.index("Running")
    pods = {p["metadata"]["name"] for p in cluster.get("pods")}
    last = {r[0]: r[2] for r in rows[1:]}
    assert last == dict.fromkeys(pods, "Running")
    assert cluster.loop.now > start  # the watch ran virtual time until the cluster settled


def test_request_timeout_bounds_the_virtual_time(cluster):
    start = cluster.loop.now
    assert cluster.kubectl("get pods -w --request-timeout=45s") == ""  # nothing, no message
    assert cluster.loop.now == pytest.approx(start + 45)


def test_watch_only_skips_the_listing(cluster):
    cluster.apply(POD)
    cluster.run(10)
    assert cluster.kubectl("get pods -w --watch-only --request-timeout=5") == ""
    cluster.delete("pods", "solo")
    out = cluster.kubectl("get pods --watch-only --request-timeout=60")
    rows = lines(out)
    assert rows[0][0] == "NAME" and len(rows) >= 2
    assert all(r[0] == "solo" for r in rows[1:])


def test_output_watch_events_adds_the_event_column(cluster):
    cluster.apply(POD)
    cluster.run(10)
    cluster.kubectl("delete pod solo --wait=false")
    out = cluster.kubectl("get pods -w --output-watch-events --request-timeout=60")
    rows = out.splitlines()
    assert rows[0].split()[:2] == ["EVENT", "NAME"]
    assert rows[1].startswith("ADDED      solo")  # "ADDED   " padded, then the tabwriter's 3
    events = [row.split()[0] for row in rows[1:]]
    assert events[0] == "ADDED" and "MODIFIED" in events and events[-1] == "DELETED"


def test_named_object_is_watched_alone_without_the_synthetic_added(cluster):
    cluster.apply(POD)
    other = {**POD, "metadata": {"name": "other"}}
    cluster.apply(other)
    out = cluster.kubectl("get pod solo -w --request-timeout=30")
    rows = lines(out)
    assert {r[0] for r in rows[1:]} == {"solo"}
    assert rows[1][2] == "Pending" and rows[-1][2] == "Running"
    # the synthetic ADDED of the watch (the object as listed) is not printed twice
    watched = cluster.kubectl("get pod solo -w --request-timeout=5")
    assert len(lines(watched)) == 2


def test_name_json_and_yaml_outputs(cluster):
    cluster.apply(POD)
    cluster.run(10)
    cluster.kubectl("label pod solo tier=web")
    name = cluster.kubectl("get pods -o name -w --request-timeout=1")
    assert name == "pod/solo\n"
    cluster.kubectl("label pod solo tier=db --overwrite")
    events = cluster.kubectl(
        "get pods -o json --watch-only --output-watch-events --request-timeout=1"
    )
    assert events == ""
    cluster.kubectl("delete pod solo --wait=false")
    events = cluster.kubectl("get pods -o json -w --output-watch-events --request-timeout=60")
    decoded = [json.loads(line) for line in events.splitlines()]
    assert [e["type"] for e in decoded][0] == "ADDED" and decoded[-1]["type"] == "DELETED"
    assert all(list(e) == ["type", "object"] for e in decoded)
    cluster.apply(POD)
    docs = cluster.kubectl("get pods -o yaml -w --request-timeout=30")
    parsed = list(yaml.safe_load_all(docs))
    assert len(parsed) >= 2 and all(d["kind"] == "Pod" for d in parsed)
    assert docs.count("---\n") == len(parsed) - 1


def test_errors_in_kubectl_words(cluster):
    assert (
        cluster.kubectl("get pods,svc -w") == "error: you may only specify a single resource type\n"
    )
    assert cluster.kubectl("get pod a b -w").startswith(
        "error: you may only watch a single resource or type of resource at a time"
    )
    missing = cluster.kubectl("get pod nope -w --request-timeout=1")
    assert missing == 'Error from server (NotFound): pods "nope" not found\n'
