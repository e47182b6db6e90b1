"""ReplicaSet pod counts kept by events: always what a full scan of the pods would count, and a
controller using them writes exactly what one listing the pods on every sync writes."""

from __future__ import annotations

import hashlib
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from minik8s.client.cache import (
    CONTROLLER_UID_INDEX,
    DeletedFinalStateUnknown,
    Indexer,
    meta_namespace_key,
    owner_uid_index,
)
from minik8s.controllers.replicaset import ReplicaSetController
from minik8s.controllers.replicaset_pods import OwnedPodCounts
from minik8s.controllers.replicaset_utils import is_pod_active, is_pod_ready

SELECTOR = {"matchLabels": {"app": "web"}}


def replicaset(uid: str, labels: dict[str, str] | None = None) -> dict:
    labels = labels if labels is not None else {"app": "web", "tier": "front"}
    return {
        "metadata": {"name": uid, "namespace": "default", "uid": uid},
        "spec": {"selector": SELECTOR, "template": {"metadata": {"labels": labels}}},
    }


def pod(name: str, owner: str | None, labels: dict, phase: str, ready: bool, gone: bool) -> dict:
    meta: dict = {"name": name, "namespace": "default", "labels": labels}
    if owner:
        meta["ownerReferences"] = [{"kind": "ReplicaSet", "uid": owner, "controller": True}]
    if gone:
        meta["deletionTimestamp"] = "2025-01-01T00:00:00Z"
    conditions = [{"type": "Ready", "status": "True" if ready else "False"}]
    return {"metadata": meta, "status": {"phase": phase, "conditions": conditions}}


def scan(indexer: Indexer, rs: dict) -> tuple[int, int, int, int]:
    """What the controller's loops find: (selected, labelled, ready, active but unselected)."""
    wanted = rs["spec"]["template"]["metadata"]["labels"]
    selected = labeled = ready = unselected = 0
    for p in indexer.by_index(CONTROLLER_UID_INDEX, rs["metadata"]["uid"]):
        if not is_pod_active(p):
            continue
        labels = p["metadata"]["labels"]
        if labels.get("app") != "web":
            unselected += 1
            continue
        selected += 1
        labeled += all(labels.get(k) == v for k, v in wanted.items())
        ready += is_pod_ready(p)
    return selected, labeled, ready, unselected


events = st.lists(
    st.tuples(
        st.sampled_from(["put", "delete", "tombstone"]),
        st.integers(0, 5),  # which pod
        st.sampled_from([None, "rs-a", "rs-b"]),  # its controller
        st.sampled_from([{"app": "web"}, {"app": "web", "tier": "front"}, {"app": "db"}]),
        st.sampled_from(["Pending", "Running", "Succeeded", "Failed"]),
        st.booleans(),  # Ready
        st.booleans(),  # being deleted
    ),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(events, st.integers(0, 40))
def test_counts_equal_a_full_scan_after_any_events(steps, ask_at):
    indexer = Indexer({CONTROLLER_UID_INDEX: owner_uid_index})
    counts = OwnedPodCounts(indexer)
    sets = [replicaset("rs-a"), replicaset("rs-b", {"app": "web"})]
    for i, (op, n, owner, labels, phase, ready, gone) in enumerate(steps):
        if i == ask_at:  # counts start from the index whenever a ReplicaSet first asks
            for rs in sets:
                counts.of(rs)
        key = f"default/p{n}"
        old = indexer.get_by_key(key)
        if op == "put":  # as the informer does: the cache first, then the handlers
            new = pod(f"p{n}", owner, labels, phase, ready, gone)
            indexer.put(key, new)
            counts.on_add(new) if old is None else counts.on_update(old, new)
        elif old is not None:
            indexer.delete_key(key)
            counts.on_delete(DeletedFinalStateUnknown(key, old) if op == "tombstone" else old)
    for rs in sets:
        c = counts.of(rs)
        assert (c.selected, c.labeled, c.ready, c.unselected) == scan(indexer, rs)
        assert sorted(c.facts) == sorted(
            meta_namespace_key(p)
            for p in indexer.by_index(CONTROLLER_UID_INDEX, rs["metadata"]["uid"])
        )


def test_new_template_labels_recount_from_the_index():
    indexer = Indexer({CONTROLLER_UID_INDEX: owner_uid_index})
    counts = OwnedPodCounts(indexer)
    p = pod("p", "rs-a", {"app": "web"}, "Running", True, False)
    indexer.put("default/p", p)
    assert counts.of(replicaset("rs-a", {"app": "web"})).labeled == 1
    assert counts.of(replicaset("rs-a", {"app": "web", "tier": "x"})).labeled == 0
    counts.forget(replicaset("rs-a"))
    assert counts.by_owner == {}


def _run(monkeypatch, use_counts: bool) -> str:
    from minik8s import Cluster

    if not use_counts:
        monkeypatch.setattr(ReplicaSetController, "_counts_suffice", lambda *a: False)
    c = Cluster(nodes=2, seed=0)
    c.apply(
        """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 6
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: nginx:1.27}]}
"""
    )
    c.settle()
    c.delete("pods", sorted(p["metadata"]["name"] for p in c.get("pods"))[0])
    c.settle()
    c.kubectl("scale deployment web --replicas=3")
    c.settle()
    c.kubectl("set image deployment/web c=nginx:1.28")
    c.settle()
    c.kubectl("scale deployment web --replicas=5")
    c.settle()
    state = {r: c.apiserver.list(r)["items"] for r in ("replicasets", "pods", "events")}
    monkeypatch.undo()
    return hashlib.sha1(json.dumps(state, sort_keys=True).encode()).hexdigest()


def test_a_controller_using_counts_writes_what_a_listing_one_writes(monkeypatch):
    assert _run(monkeypatch, True) == _run(monkeypatch, False)
