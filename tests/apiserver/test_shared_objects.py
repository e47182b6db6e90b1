"""What the write path shares instead of copying stays unchanged: the watch cache's objects are
handed to every reader and reused by the next write, so a cached object must always be exactly
what its stored bytes decode to. A status write keeps the stored spec object itself (the status
strategy puts the old spec back, so copying the body's was wasted), and the objects admission
plugins add to every pod (the token volume's source, the default tolerations) are one shared
object each."""

from __future__ import annotations

from minik8s import Cluster
from minik8s.apiserver.cacher import Cacher, decode
from minik8s.apiserver.plugins.serviceaccount import TOKEN_VOLUME_SOURCE
from minik8s.apiserver.update_request import take_body

DEPLOYMENT = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "web", "namespace": "default"},
    "spec": {
        "replicas": 3,
        "selector": {"matchLabels": {"app": "web"}},
        "template": {
            "metadata": {"labels": {"app": "web"}},
            "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]},
        },
    },
}
SERVICE = {
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {"name": "web", "namespace": "default"},
    "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]},
}


def cached_pods(c: Cluster) -> list[dict]:
    cacher = c.apiserver.cachers["pods"]
    return [obj for key, obj in sorted(cacher.objects.items()) if key.startswith("default/web-")]


def test_cached_objects_are_what_their_stored_bytes_decode_to():
    c = Cluster(nodes=2, seed=3)
    c.apply([DEPLOYMENT, SERVICE])
    c.run(30)
    name = cached_pods(c)[0]["metadata"]["name"]
    c.kubectl(f"label pod {name} tier=front")
    c.kubectl("scale deployment web --replicas=2")
    c.kubectl("set image deployment/web web=nginx:1.28")
    c.run(60)
    c.fail_node("node-1")
    c.run(60)
    checked = 0
    for cacher in c.apiserver.cachers.values():
        if not isinstance(cacher, Cacher):
            continue
        for key, obj in cacher.objects.items():
            assert obj == decode(cacher.kvs[key]), key
            checked += 1
    assert checked > 25


def test_a_status_write_keeps_the_stored_spec_object():
    c = Cluster(nodes=1, seed=3)
    c.apply(DEPLOYMENT)
    c.run(30)
    pod = cached_pods(c)[0]
    meta = pod["metadata"]
    status = {**pod["status"], "conditions": [*pod["status"]["conditions"], _condition()]}
    body = {**pod, "status": status}
    copy, stored = take_body(c.apiserver, c.apiserver.info("pods"), body, "default", "status")
    assert stored == ["apiVersion", "kind", "metadata", "spec"]
    assert copy["spec"] is pod["spec"]  # not copied: the status strategy puts it back anyway
    assert copy["metadata"] == meta and copy["metadata"] is not meta
    assert copy["status"] == status and copy["status"] is not status
    c.client.update("pods", body, meta["namespace"], subresource="status", respond=False)
    after = c.apiserver.cachers["pods"].current(f"{meta['namespace']}/{meta['name']}")
    assert after is not pod and after["status"]["conditions"][-1]["type"] == "example.com/Ready"
    assert after["spec"] is pod["spec"]


def _condition() -> dict:
    return {"type": "example.com/Ready", "status": "True", "lastProbeTime": None}


def test_admission_adds_one_shared_token_source_and_default_tolerations():
    c = Cluster(nodes=1, seed=3)
    c.apply(DEPLOYMENT)
    c.run(10)
    first, second = cached_pods(c)[:2]
    projected = [
        [v["projected"] for v in p["spec"]["volumes"] if "projected" in v][0]
        for p in (first, second)
    ]
    assert projected[0] is projected[1] is TOKEN_VOLUME_SOURCE
    assert [t["key"] for t in first["spec"]["tolerations"]] == [
        "node.kubernetes.io/not-ready",
        "node.kubernetes.io/unreachable",
    ]
    for a, b in zip(first["spec"]["tolerations"], second["spec"]["tolerations"], strict=True):
        assert a is b
    assert first["spec"]["volumes"][0]["name"] != second["spec"]["volumes"][0]["name"]
