"""Events expire an hour after their last write (`--event-ttl`), through shared etcd leases."""

import pytest

from minik8s import Cluster
from minik8s.api.errors import NotFound
from minik8s.apiserver.lease_manager import EVENT_TTL, LeaseManager

from .conftest import Env


def event(name, reason="Started"):
    return {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": name, "namespace": "shop"},
        "involvedObject": {"kind": "Pod", "name": "p", "namespace": "shop"},
        "reason": reason,
        "message": "m",
        "type": "Normal",
    }


@pytest.mark.parametrize(("ttl", "duration"), [(3600, 60), (1000, 50)])
def test_reuse_duration_is_five_percent_of_the_ttl_at_most_a_minute(ttl, duration):
    # upstream lease_manager_test.go TestGetReuseDurationSeconds
    assert LeaseManager.reuse_duration(ttl) == duration


def _lease_of(env, name):
    return env.store.get(f"/registry/events/shop/{name}").lease


def test_writes_within_the_reuse_window_share_a_lease():
    env = Env()
    env.client.create("events", event("a"), "shop")
    env.loop.run_for(59)
    env.client.create("events", event("b"), "shop")
    env.loop.run_for(2)  # 61 s after the grant: the first lease no longer outlives the TTL
    env.client.create("events", event("c"), "shop")
    a, b, c = (_lease_of(env, n) for n in "abc")
    assert a == b != c and a and c
    ttl, _, keys = env.store.lease_time_to_live(a)
    assert ttl == EVENT_TTL + 60 and keys == ["/registry/events/shop/a", "/registry/events/shop/b"]


def test_a_lease_holds_at_most_a_thousand_objects():
    env = Env()
    for i in range(1001):
        env.client.create("events", event(f"e{i}"), "shop", respond=False)
    assert _lease_of(env, "e999") == _lease_of(env, "e0") != _lease_of(env, "e1000")


def test_other_resources_get_no_lease():
    env = Env()
    env.client.create("configmaps", {"metadata": {"name": "x"}}, "shop")
    assert env.store.get("/registry/configmaps/shop/x").lease == 0


def test_an_event_is_deleted_an_hour_after_its_last_write():
    c = Cluster(nodes=1, seed=0)
    c.client.create("namespaces", {"metadata": {"name": "shop"}})
    c.client.create("events", event("old"), "shop")
    c.run(1800)
    c.client.create("events", event("kept"), "shop")
    c.client.patch("events", "old", {"count": 2}, "shop")  # an update renews the TTL
    c.run(EVENT_TTL - 1)
    assert {e["metadata"]["name"] for e in c.client.list("events", "shop")["items"]} == {
        "kept",
        "old",
    }
    c.run(62)
    with pytest.raises(NotFound):
        c.client.get("events", "old", "shop")
    assert c.client.list("events", "shop")["items"] == []
