"""The EndpointSlice controller: labels, conditions, 100 per slice, placeholder, stability."""

from hypothesis import given, settings
from hypothesis import strategies as st

from minik8s.controllers.endpointslice import plan_slices
from minik8s.controllers.endpointslice_reconciler import slice_to_fill
from tests.proxy.env import Env


def endpoints_of(slices):
    return sorted(e["addresses"][0] for s in slices for e in s["endpoints"])


def test_slice_shape_labels_and_conditions():
    env = Env()
    svc = env.service("web")
    env.pod("web-a", "web", ip="10.244.1.5")
    env.pod("web-b", "web", ip="10.244.2.6", node="node-2", ready=False)
    [slice_] = env.slices("web")
    meta = slice_["metadata"]
    assert meta["name"].startswith("web-")
    assert meta["labels"] == {
        "kubernetes.io/service-name": "web",
        "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
    }
    [owner] = meta["ownerReferences"]
    assert owner["kind"] == "Service" and owner["uid"] == svc["metadata"]["uid"]
    assert owner["controller"] is True
    assert slice_["addressType"] == "IPv4"
    assert slice_["ports"] == [{"name": "http", "port": 8080, "protocol": "TCP"}]
    by_ip = {e["addresses"][0]: e for e in slice_["endpoints"]}
    assert by_ip["10.244.1.5"]["conditions"] == {
        "ready": True,
        "serving": True,
        "terminating": False,
    }
    assert by_ip["10.244.2.6"]["conditions"]["ready"] is False
    assert by_ip["10.244.2.6"]["nodeName"] == "node-2"
    assert by_ip["10.244.1.5"]["targetRef"]["name"] == "web-a"


def test_terminating_pod_is_serving_but_not_ready():
    env = Env()
    env.service("web")
    env.pod("web-a", "web", ip="10.244.1.5")
    env.client.delete("pods", "web-a")  # bound to a node: graceful, stays with deletionTimestamp
    env.settle()
    [slice_] = env.slices("web")
    [endpoint] = slice_["endpoints"]
    assert endpoint["conditions"] == {"ready": False, "serving": True, "terminating": True}


def test_placeholder_slice_when_no_endpoints():
    env = Env()
    env.service("web")
    [slice_] = env.slices("web")
    assert slice_["endpoints"] == [] and slice_["ports"] == []
    name = slice_["metadata"]["name"]
    env.pod("web-a", "web", ip="10.244.1.5")
    slices = env.slices("web")
    assert endpoints_of(slices) == ["10.244.1.5"]
    assert [s["metadata"]["name"] for s in slices] == [name]  # the placeholder, updated
    env.set_status("web-a", phase="Succeeded", ready=False)
    [slice_] = env.slices("web")
    assert slice_["metadata"]["name"] == name  # a placeholder again, the same slice
    assert slice_["endpoints"] == [] and slice_["ports"] == []


def test_at_most_100_endpoints_per_slice_and_stable_updates():
    env = Env()
    env.service("big")
    for i in range(150):
        env.client.create(
            "pods",
            {
                "metadata": {"name": f"p{i}", "labels": {"app": "big"}},
                "spec": {
                    "containers": [
                        {
                            "name": "c",
                            "image": "x",
                            "ports": [{"name": "http", "containerPort": 8080}],
                        }
                    ]
                },
            },
        )
        pod = env.client.get("pods", f"p{i}")
        pod["status"].update(
            podIP=f"10.244.{i // 200}.{i % 200 + 1}",
            phase="Running",
            conditions=[{"type": "Ready", "status": "True"}],
        )
        env.client.update_status("pods", pod)
    env.settle()
    slices = env.slices("big")
    assert sorted(len(s["endpoints"]) for s in slices) == [50, 100]
    assert len(endpoints_of(slices)) == 150
    names = sorted(s["metadata"]["name"] for s in slices)
    env.set_status("p3", ready=False)
    slices = env.slices("big")
    assert sorted(s["metadata"]["name"] for s in slices) == names  # updated in place


def test_service_label_change_reaches_its_slices():
    env = Env()
    env.service("web")
    env.pod("web-a", "web", ip="10.244.1.5")
    svc = env.client.get("services", "web")
    svc["metadata"]["labels"] = {"tier": "front"}
    env.client.update("services", svc)
    env.settle()
    [slice_] = env.slices("web")
    assert slice_["metadata"]["labels"]["tier"] == "front"


def test_headless_label():
    env = Env()
    env.service("db", clusterIP="None")
    [slice_] = env.slices("db")
    assert slice_["metadata"]["labels"]["service.kubernetes.io/headless"] == ""


def test_plan_moves_nothing_that_is_already_placed():
    old = {
        "metadata": {"name": "s-1"},
        "ports": [],
        "endpoints": [{"addresses": ["1.1.1.1"]}, {"addresses": ["1.1.1.2"]}],
    }
    desired = {
        "[]": ([], {"1.1.1.2": {"addresses": ["1.1.1.2"]}, "1.1.1.3": {"addresses": ["1.1.1.3"]}})
    }
    creates, updates, deletes = plan_slices([old], desired, limit=100)
    assert creates == [] and deletes == []
    assert [e["addresses"][0] for e in updates[0]["endpoints"]] == ["1.1.1.2", "1.1.1.3"]


def test_unnamed_port_is_stable_after_defaulting():
    env = Env()
    env.service("web", ports=[{"port": 80}])
    env.pod("web-a", "web", ip="10.244.1.5", ports=(("", 80),))
    [slice_] = env.slices("web")
    assert slice_["ports"] == [{"name": "", "port": 80, "protocol": "TCP"}]
    rv = slice_["metadata"]["resourceVersion"]
    controller = env.controllers[1]
    controller.enqueue("default/web")
    env.settle()
    [again] = env.slices("web")
    assert again["metadata"]["resourceVersion"] == rv  # nothing rewritten


def test_tracker_skips_a_stale_cache():
    env = Env()
    env.service("web")
    controller = env.controllers[1]
    controller.tracker["default/web"] = {"web-future": 10**9}
    assert controller._stale("default/web", env.slices("web"))
    controller.tracker["default/web"] = {}
    assert not controller._stale("default/web", env.slices("web"))


@given(
    st.lists(st.integers(1, 60), max_size=4),  # (an empty slice is only ever a placeholder)
    st.sets(st.integers(0, 250), max_size=120),
    st.integers(1, 30),
)
@settings(max_examples=60, deadline=None)
def test_plan_places_every_endpoint_once_within_the_limit(sizes, wanted, limit):
    """Invariant of the reconciler: after applying a plan, each desired endpoint is in exactly
    one slice, no new slice exceeds the limit, and only the placeholder slice is empty."""
    existing, n = [], 0
    for i, size in enumerate(sizes):
        eps = [{"addresses": [f"10.0.{(n + k) // 250}.{(n + k) % 250}"]} for k in range(size)]
        n += size
        existing.append({"metadata": {"name": f"s{i}"}, "ports": [], "endpoints": eps})
    desired = {f"10.0.0.{k}": {"addresses": [f"10.0.0.{k}"]} for k in wanted}
    creates, updates, deletes = plan_slices(existing, {"[]": ([], desired)}, limit)
    gone = {s["metadata"]["name"] for s in deletes}
    final = {s["metadata"]["name"]: s for s in existing if s["metadata"]["name"] not in gone}
    final.update({u["metadata"]["name"]: u for u in updates})
    slices = list(final.values()) + creates
    placed = [e["addresses"][0] for s in slices for e in s["endpoints"]]
    assert sorted(placed) == sorted(desired)
    assert all(len(s["endpoints"]) <= limit for s in creates)
    if desired:
        assert all(s["endpoints"] for s in slices)
    else:
        assert len(slices) == 1 and slices[0]["endpoints"] == []


def _eps(*ips):
    return [{"addresses": [ip]} for ip in ips]


def test_plan_fills_like_upstream_new_slices_first_then_the_best_fit():
    """`reconcileByPortMapping`: 147 new endpoints beside an unchanged slice of 3: a new slice
    takes 100, then the 47 left go to the unchanged slice they fit (`getSliceToFill`)."""
    old = {
        "metadata": {"name": "s-1"},
        "ports": [],
        "endpoints": _eps("10.0.0.1", "10.0.0.2", "10.0.0.3"),
    }
    desired = {
        e["addresses"][0]: e for e in _eps(*(f"10.0.{i // 200}.{i % 200 + 1}" for i in range(150)))
    }
    creates, updates, deletes = plan_slices([old], {"[]": ([], desired)}, limit=100)
    assert [len(s["endpoints"]) for s in creates] == [100] and deletes == []
    assert [(u["metadata"]["name"], len(u["endpoints"])) for u in updates] == [("s-1", 50)]


def test_slice_to_fill_is_the_closest_fit():
    slices = [{"endpoints": _eps(*map(str, range(n)))} for n in (10, 60, 80)]
    assert slice_to_fill(slices, 20, 100) is slices[2]  # 80 + 20 = 100
    assert slice_to_fill(slices, 30, 100) is slices[1]
    assert slice_to_fill(slices, 95, 100) is None


def test_a_port_change_updates_the_slice_in_place():
    """`finalize`: the slice of the old port list is updated to the new one, not replaced."""
    env = Env()
    env.service("web")
    env.pod("web-a", "web", ip="10.244.1.5")
    [before] = env.slices("web")
    svc = env.client.get("services", "web")
    svc["spec"]["ports"] = [{"name": "http", "port": 80, "targetPort": 9090}]
    env.client.update("services", svc)
    env.settle()
    [after] = env.slices("web")
    assert after["metadata"]["name"] == before["metadata"]["name"]
    assert [p["port"] for p in after["ports"]] == [9090]
