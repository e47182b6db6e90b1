"""The shortcuts of the endpoints pod handlers and entry cache give what the plain computation
gives: the services a pod event enqueues and marks changed, and the entries kept per service."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from minik8s.client.informer import SharedInformerFactory
from minik8s.controllers.endpoints_util import (
    PodEntryCache,
    pod_endpoints_changed,
    pod_handlers,
    pod_service_keys,
)
from tests.proxy.env import Env

Obj = dict[str, Any]
selectors = st.dictionaries(st.sampled_from("abc"), st.sampled_from("xy"), min_size=1, max_size=2)
labels = st.dictionaries(st.sampled_from("abc"), st.sampled_from("xy"), max_size=3)


class Recorder:
    """The parts of a controller `pod_handlers` uses, recording what gets enqueued."""

    def __init__(self, informers: SharedInformerFactory, period: float):
        self.informers = informers
        self.endpoint_updates_batch_period = period
        self.changed: set[str] = set()
        self.enqueued: list[str] = []
        self.queue = self

    def __repr__(self) -> str:
        return f"<Recorder enqueued={len(self.enqueued)}>"

    def enqueue(self, key: str) -> None:
        self.enqueued.append(key)

    def add_after(self, key: str, _period: float) -> None:
        self.enqueued.append(key)


def pod(labels: dict[str, str], ready: bool, rv: str) -> Obj:
    status = {"phase": "Running", "podIP": "10.244.1.5", "podIPs": [{"ip": "10.244.1.5"}]}
    status["conditions"] = [{"type": "Ready", "status": "True" if ready else "False"}]
    meta = {"name": "p", "namespace": "default", "resourceVersion": rv, "labels": labels}
    return {"metadata": meta, "spec": {}, "status": status}


@settings(max_examples=60, deadline=None)
@given(
    st.lists(selectors, min_size=1, max_size=4),
    labels,
    labels,
    st.booleans(),
    st.booleans(),
    st.sampled_from([0.0, 1.0]),
)
def test_pod_update_enqueues_what_full_membership_scans_give(
    service_selectors: list[dict[str, str]],
    old_labels: dict[str, str],
    new_labels: dict[str, str],
    old_ready: bool,
    new_ready: bool,
    period: float,
) -> None:
    env = Env(controllers=False)
    for i, selector in enumerate(service_selectors):
        spec = {"selector": selector, "ports": [{"port": 80}]}
        env.client.create("services", {"metadata": {"name": f"s{i}"}, "spec": spec})
    informers = SharedInformerFactory(env.informers.client)
    controller = Recorder(informers, period)
    pod_handlers(controller)
    informers.start()
    env.settle()
    services = informers.lister_for("services").list()
    old, new = pod(old_labels, old_ready, "1"), pod(new_labels, new_ready, "2")
    handler = informers.informer_for("pods")._handlers[-1]
    assert handler.on_update is not None
    handler.on_update(old, new)
    old_keys, new_keys = pod_service_keys(services, old), pod_service_keys(services, new)
    pod_changed, labels_changed = pod_endpoints_changed(old, new)
    changed: set[str] = set()
    if pod_changed or labels_changed:
        changed = new_keys
        if labels_changed:
            changed = new_keys | old_keys if pod_changed else new_keys ^ old_keys
    assert controller.changed == changed
    assert controller.enqueued == sorted(changed if period else old_keys | new_keys)


def test_entry_cache_forgets_pods_that_left_the_service() -> None:
    calls: list[str] = []
    cache = PodEntryCache(lambda p, s: calls.append(p["metadata"]["name"]) or len(calls))
    svc = {"metadata": {"name": "s", "namespace": "d"}}
    a, b, c = ({"metadata": {"name": n}} for n in "abc")
    assert cache.values(svc, [a, b, c]) == [1, 2, 3]
    assert cache.values(svc, [b]) == [2]
    assert cache.values(svc, [a, b, c]) == [4, 2, 5]  # a and c left: computed again
    assert calls == ["a", "b", "c", "a", "c"]
