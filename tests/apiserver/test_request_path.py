"""The fast request path keeps upstream's contract: callers get private objects, the watch cache
holds exactly what the store holds, shared cache objects are never changed by a write."""

import json

from minik8s import Cluster
from minik8s.apiserver.cacher import decode
from tests.apiserver.conftest import configmap


def cache_matches_store(server) -> list[str]:
    """Keys whose watch-cache object differs from a fresh decode of the stored bytes."""
    wrong = []
    for plural, cacher in server.cachers.items():
        for kv in server.store.range(f"/registry/{plural}/"):
            cached = cacher.current(kv.key[len(f"/registry/{plural}/") :])
            if json.dumps(cached) != json.dumps(decode(kv)):  # key order too (printed output)
                wrong.append(kv.key)
    return wrong


def test_cache_equals_decoded_store_after_a_cluster_runs():
    cluster = Cluster(nodes=2, seed=3)
    cluster.apply(
        """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: c, image: nginx:1.27}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
"""
    )
    cluster.settle()
    cluster.loop.run_for(30)
    assert cache_matches_store(cluster.apiserver) == []


def test_returned_objects_are_private(env):
    created = env.client.create("configmaps", configmap("a", "default", k="v"))
    cached = env.server.cached("configmaps", "a", "default")
    created["data"]["k"] = "changed"
    assert cached is not None and cached["data"] == {"k": "v"}
    got = env.client.get("configmaps", "a", "default")
    got["data"]["k"] = "changed"
    updated = env.client.update("configmaps", {**got, "data": {"k": "w"}})
    updated["data"]["k"] = "changed again"
    assert env.server.cached("configmaps", "a", "default")["data"] == {"k": "w"}
    assert cache_matches_store(env.server) == []


def test_request_object_is_not_changed(env):
    request = configmap("b", "default", k="v")
    before = json.dumps(request, sort_keys=True)
    env.client.create("configmaps", request)
    assert json.dumps(request, sort_keys=True) == before


def test_status_update_and_patch_leave_the_old_cached_object_alone(env):
    env.client.create("namespaces", {"metadata": {"name": "ns1"}})
    pod = env.client.create(
        "pods",
        {"metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": "busybox"}]}},
        "default",
    )
    old = env.server.cached("pods", "p", "default")
    snapshot = json.dumps(old, sort_keys=True)
    env.client.update_status("pods", {**pod, "status": {**pod["status"], "phase": "Running"}})
    env.client.patch("pods", "p", {"metadata": {"labels": {"x": "y"}}}, "default")
    env.client.create(
        "pods",
        {"metadata": {"name": "p"}, "target": {"kind": "Node", "name": "n1"}},
        "default",
        subresource="binding",
    )
    assert json.dumps(old, sort_keys=True) == snapshot
    now = env.server.cached("pods", "p", "default")
    assert now["status"]["phase"] == "Running" and now["spec"]["nodeName"] == "n1"
    assert now["metadata"]["labels"] == {"x": "y"}
    assert cache_matches_store(env.server) == []


def test_tuples_and_non_string_keys_are_stored_as_json(env):
    request = configmap("c", "default")
    request["data"] = {1: "one"}
    request["metadata"]["finalizers"] = ("example.com/f",)
    created = env.client.create("configmaps", request)
    assert created["data"] == {"1": "one"}
    assert created["metadata"]["finalizers"] == ["example.com/f"]
    assert cache_matches_store(env.server) == []


def test_no_op_update_writes_nothing(env):
    created = env.client.create("configmaps", configmap("d", "default", k="v"))
    revision = env.store.revision
    again = env.client.update("configmaps", created)
    assert env.store.revision == revision
    assert again["metadata"]["resourceVersion"] == created["metadata"]["resourceVersion"]


def test_watch_cache_keeps_the_stored_key_order(env):
    created = env.client.create("configmaps", configmap("e", "default", k="v"))
    meta = {"resourceVersion": created["metadata"]["resourceVersion"], **created["metadata"]}
    env.client.update("configmaps", {"metadata": meta, "data": {"k": "w"}})
    cached = env.server.cached("configmaps", "e", "default")
    assert list(cached["metadata"])[-1] == "resourceVersion"
    assert cache_matches_store(env.server) == []
