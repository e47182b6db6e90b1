"""Service memberships by index, upstream's `podEndpointsChanged` filter and the batch period."""

from hypothesis import given, settings
from hypothesis import strategies as st

from minik8s.client.informer import SharedInformerFactory
from minik8s.controllers.endpoints_util import (
    ServiceMemberships,
    pod_endpoints_changed,
    pod_service_keys,
    selects,
    services_to_update,
)
from tests.proxy.env import Env


def pod(name="p", labels=None, ip="", ready=False, rv="1", namespace="default", **extra):
    status = {"phase": "Running"}
    if ip:
        status["podIP"], status["podIPs"] = ip, [{"ip": ip}]
    status["conditions"] = [{"type": "Ready", "status": "True" if ready else "False"}]
    meta = {"name": name, "namespace": namespace, "resourceVersion": rv, "labels": labels or {}}
    meta.update(extra.pop("meta", {}))
    return {"metadata": meta, "spec": extra.pop("spec", {}), "status": {**status, **extra}}


def test_pod_endpoints_changed_matches_upstream_cases():
    base = pod(labels={"app": "a"}, ip="10.244.1.5")
    assert pod_endpoints_changed(base, pod(labels={"app": "a"}, ip="10.244.1.5", rv="2")) == (
        False,
        False,
    )
    assert pod_endpoints_changed(base, pod(labels={"app": "a"}, ip="10.244.1.5", ready=True)) == (
        True,
        False,
    )
    assert pod_endpoints_changed(base, pod(labels={"app": "a"}, ip="10.244.1.6")) == (True, False)
    assert pod_endpoints_changed(base, pod(labels={"app": "b"}, ip="10.244.1.5")) == (False, True)
    deleting = pod(labels={"app": "a"}, ip="10.244.1.5", meta={"deletionTimestamp": "t"})
    assert pod_endpoints_changed(base, deleting) == (True, False)
    renamed = pod(labels={"app": "a"}, ip="10.244.1.5", spec={"hostname": "h"})
    assert pod_endpoints_changed(base, renamed) == (False, True)
    finished = pod(labels={"app": "a"}, ip="10.244.1.5", phase="Succeeded")
    assert pod_endpoints_changed(base, finished) == (True, False)


def test_services_to_update_follows_determine_needed_service_updates():
    def keys(p):
        return {f"default/{v}" for v in p["metadata"]["labels"].values()}

    old = pod(labels={"x": "a", "y": "b"}, ip="10.244.1.5")
    same = pod(labels={"x": "a", "y": "b"}, ip="10.244.1.5", rv="2")
    assert services_to_update(old, same, keys) == set()
    assert services_to_update(old, old, keys) == set()  # a resync
    moved = pod(labels={"x": "a", "y": "c"}, ip="10.244.1.5", rv="2")
    assert services_to_update(old, moved, keys) == {"default/b", "default/c"}
    moved_ready = pod(labels={"x": "a", "y": "c"}, ip="10.244.1.5", rv="2", ready=True)
    assert services_to_update(old, moved_ready, keys) == {"default/a", "default/b", "default/c"}


selectors = st.dictionaries(st.sampled_from("abc"), st.sampled_from("xy"), max_size=2)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(selectors, min_size=1, max_size=4),
    st.lists(st.tuples(st.sampled_from(["default", "shop"]), selectors), max_size=6),
)
def test_index_lookups_equal_full_scans(service_selectors, pods):
    env = Env(controllers=False)
    for i, selector in enumerate(service_selectors):
        env.client.create(
            "services",
            {
                "metadata": {"name": f"s{i}"},
                "spec": {"selector": selector, "ports": [{"port": 80}]},
            },
        )
    for i, (namespace, labels) in enumerate(pods):
        env.client.create(
            "pods",
            {
                "metadata": {"name": f"p{i}", "namespace": namespace, "labels": labels},
                "spec": {"containers": [{"name": "c", "image": "nginx"}]},
            },
        )
    informers = SharedInformerFactory(env.informers.client)
    memberships = ServiceMemberships(informers)
    informers.start()
    env.settle()
    all_pods = informers.lister_for("pods").list()
    all_services = informers.lister_for("services").list()
    for svc in all_services:
        expected = [p for p in all_pods if selects(svc, p)]
        assert memberships.pods_for(svc) == expected
    for p in all_pods:
        assert memberships.service_keys(p) == pod_service_keys(all_services, p)


def test_batch_period_joins_pod_changes_into_one_sync():
    env = Env(controllers=False)
    from minik8s.controllers.endpoints import EndpointsController

    controller = EndpointsController(
        env.informers.client, env.informers, endpoint_updates_batch_period=1.0
    )
    controller.start()
    env.informers.start()
    env.settle()
    writes = []
    client = controller.client
    for verb in ("create", "update"):
        original = getattr(client, verb)
        setattr(
            client, verb, lambda *a, _f=original, _v=verb, **k: (writes.append(_v), _f(*a, **k))[1]
        )
    env.service("web")
    start = env.loop.now
    for i in range(5):
        env.client.create(
            "pods",
            {
                "metadata": {"name": f"w{i}", "labels": {"app": "web"}},
                "spec": {"containers": [{"name": "c", "image": "nginx"}]},
            },
        )
        body = env.client.get("pods", f"w{i}")
        body["status"] = {"podIP": f"10.244.1.{i + 2}", "phase": "Running"}
        env.client.update_status("pods", body)
    assert env.client.get("endpoints", "web").get("subsets") in (None, [])
    env.settle()
    assert env.loop.now >= start + 1.0
    ep = env.client.get("endpoints", "web")
    assert len(ep["subsets"][0]["notReadyAddresses"]) == 5
    assert writes == ["create", "update"]  # the service's own sync, then one for five pods


def test_own_writes_enqueue_but_do_not_recompute_and_foreign_changes_do():
    env = Env()
    endpoints_controller, slice_controller = env.controllers
    env.service("web")
    env.pod("web-a", "web", ip="10.244.1.5")
    looked_up = []
    for controller in env.controllers:
        original = controller.memberships.pods_for
        controller.memberships.pods_for = lambda svc, _f=original: (
            looked_up.append(svc["metadata"]["name"]) or _f(svc)
        )
    # a pod update that moves no endpoint: both services are synced, neither recomputes
    pod = env.client.get("pods", "web-a")
    pod["metadata"]["annotations"] = {"note": "x"}
    env.client.update("pods", pod)
    env.settle()
    assert looked_up == []
    # someone else edits the Endpoints: it is recomputed and restored
    ep = env.client.get("endpoints", "web")
    ep["subsets"] = []
    env.client.update("endpoints", ep)
    env.settle()
    assert looked_up == ["web"]
    assert env.client.get("endpoints", "web")["subsets"][0]["addresses"][0]["ip"] == "10.244.1.5"
    # someone else deletes the slice the controller last wrote: it comes back
    [slice_] = env.slices("web")
    env.client.delete("endpointslices", slice_["metadata"]["name"])
    env.settle()
    assert looked_up == ["web", "web"]
    [again] = env.slices("web")
    assert again["metadata"]["name"] != slice_["metadata"]["name"]
    assert [e["addresses"] for e in again["endpoints"]] == [["10.244.1.5"]]


def test_pod_entry_cache_reuses_results_for_unchanged_objects_only():
    from minik8s.controllers.endpoints_util import PodEntryCache

    calls = []
    cache = PodEntryCache(lambda p, s: calls.append(p["metadata"]["name"]) or len(calls))
    svc = {"metadata": {"name": "s", "namespace": "d"}}
    a, b = pod("a"), pod("b")
    assert cache.values(svc, [a, b]) == [1, 2]
    assert cache.values(svc, [a, b]) == [1, 2] and calls == ["a", "b"]
    b2 = pod("b", rv="2")  # a new version of b: recomputed
    assert cache.values(svc, [a, b2]) == [1, 3]
    assert cache.values(dict(svc), [a, b2]) == [4, 5]  # a new service object: all recomputed
    assert cache.values(dict(svc), [b2]) == [6]  # (the service object changed again)
    cache.forget("d/s")
    assert repr(cache) == "<PodEntryCache services=0>"
