"""Review fixes for the EndpointSlice controller: pods that resolve no port (upstream
`reconcileByAddressType` keeps them, in a slice with no ports), the endpoint `zone`
(`podToEndpoint`) and the slice name prefix (`getEndpointSlicePrefix`)."""

from __future__ import annotations

from minik8s.controllers.endpointslice import endpoint_slice_prefix, new_endpoint_slice
from tests.proxy.env import Env


def test_pod_without_the_named_port_goes_to_a_slice_without_ports() -> None:
    env = Env()
    env.service("s", ports=[{"name": "web", "port": 80, "targetPort": "http"}])
    env.pod("p1", "s", ip="10.244.1.2")
    env.pod("p2", "s", ip="10.244.1.3", ports=())
    by_ports = {
        repr(s["ports"]): sorted(e["targetRef"]["name"] for e in s["endpoints"])
        for s in env.slices("s")
    }
    assert by_ports == {
        repr([{"name": "web", "port": 8080, "protocol": "TCP"}]): ["p1"],
        "[]": ["p2"],
    }
    # the Endpoints controller, by contrast, leaves p2 out
    [subset] = env.client.get("endpoints", "s", "default")["subsets"]
    assert [a["ip"] for a in subset["addresses"]] == ["10.244.1.2"]


def test_endpoint_zone_comes_from_the_node_label() -> None:
    env = Env()
    labels = {"topology.kubernetes.io/zone": "z1"}
    env.client.create("nodes", {"metadata": {"name": "node-1", "labels": labels}})
    env.client.create("nodes", {"metadata": {"name": "node-2"}})
    env.settle()
    env.service("web")
    env.pod("a", "web", node="node-1", ip="10.244.1.5")
    env.pod("b", "web", node="node-2", ip="10.244.2.5")
    [slice_] = env.slices("web")
    zones = {e["targetRef"]["name"]: e.get("zone") for e in slice_["endpoints"]}
    assert zones == {"a": "z1", "b": None}


def test_slice_prefix_keeps_the_whole_service_name() -> None:
    name = "a" * 63
    assert endpoint_slice_prefix(name) == name + "-"
    svc = {"metadata": {"name": name, "namespace": "default", "uid": "u"}}
    body = new_endpoint_slice(svc, {"ports": [], "endpoints": []})
    assert body["metadata"]["generateName"] == name + "-"


# --- endpoints.kubernetes.io/last-change-trigger-time --------------------------------------------

TRIGGER = "endpoints.kubernetes.io/last-change-trigger-time"


def _ready_at(env: Env, name: str, stamp: str) -> None:
    pod = env.client.get("pods", name, "default")
    pod["status"]["conditions"] = [{"type": "Ready", "status": "True", "lastTransitionTime": stamp}]
    env.client.update_status("pods", pod, "default")
    env.settle()


def _trigger(obj: dict) -> str | None:
    return (obj["metadata"].get("annotations") or {}).get(TRIGGER)


def test_trigger_time_tracker_is_upstreams() -> None:
    from minik8s.controllers.endpoints_trigger import TriggerTimeTracker

    tracker = TriggerTimeTracker()
    svc = {"metadata": {"name": "s", "namespace": "d", "creationTimestamp": "2025-01-01T00:00:00Z"}}

    def pod(name: str, stamp: str) -> dict:
        condition = {"type": "Ready", "status": "True", "lastTransitionTime": stamp}
        return {"metadata": {"name": name}, "status": {"conditions": [condition]}}

    a, b = pod("a", "2025-01-01T00:00:05Z"), pod("b", "2025-01-01T00:00:09Z")
    assert tracker.compute(svc, [a]) == "2025-01-01T00:00:00Z"  # first sync: the Service's
    assert tracker.compute(svc, [a]) == ""  # nothing changed
    assert tracker.compute(svc, [a, b]) == "2025-01-01T00:00:09Z"
    later_a, later_b = pod("a", "2025-01-01T00:01:00Z"), pod("b", "2025-01-01T00:00:30Z")
    assert tracker.compute(svc, [later_a, later_b]) == "2025-01-01T00:00:30Z"  # earliest change
    tracker.delete("d/s")
    assert tracker.compute(svc, []) == "2025-01-01T00:00:00Z"


def test_endpoints_and_slices_carry_the_trigger_time() -> None:
    env = Env()
    svc = env.service("web")
    created = svc["metadata"]["creationTimestamp"]
    assert _trigger(env.client.get("endpoints", "web", "default")) == created
    [placeholder] = env.slices("web")
    assert _trigger(placeholder) == created
    env.pod("a", "web", ip="10.244.1.5", ready=False)
    _ready_at(env, "a", "2025-01-01T00:03:00Z")
    assert _trigger(env.client.get("endpoints", "web", "default")) == "2025-01-01T00:03:00Z"
    [slice_] = env.slices("web")
    assert _trigger(slice_) == "2025-01-01T00:03:00Z"
    # a write for another reason (the Service's labels) carries no trigger time
    svc = env.client.get("services", "web", "default")
    svc["metadata"]["labels"] = {"team": "a"}
    env.client.update("services", svc, "default")
    env.settle()
    endpoints = env.client.get("endpoints", "web", "default")
    assert endpoints["metadata"]["labels"] == {"team": "a"} and _trigger(endpoints) is None
    [slice_] = env.slices("web")
    assert _trigger(slice_) is None
