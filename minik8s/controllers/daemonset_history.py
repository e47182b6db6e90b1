"""The DaemonSet controller's ControllerRevisions, mirroring `constructHistory`, `snapshot`,
`dedupCurHistories` and `cleanupHistory` of `pkg/controller/daemon/update.go`: plain functions
that `DaemonSetsController.reconcile` calls with its client.

Leaves out: relabelling pods when duplicate current revisions are merged (the extra revisions are
just deleted).
"""

from __future__ import annotations

from typing import Any

from minik8s.api.errors import AlreadyExists
from minik8s.client.client import Client
from minik8s.client.informer import SharedInformerFactory
from minik8s.controllers import history
from minik8s.controllers.daemonset_nodes import nodes_to_daemon_pods
from minik8s.controllers.history import CONTROLLER_REVISION_HASH_LABEL

Obj = dict[str, Any]


def construct_history(
    client: Client, informers: SharedInformerFactory, ds: Obj
) -> tuple[Obj, list[Obj]]:
    """upstream `constructHistory`: (the current revision, the old ones)."""
    revisions = history.claim_objects(client, informers, ds, "controllerrevisions")
    patch = history.raw(history.get_patch(ds))
    current = [r for r in revisions if history.raw(r.get("data")) == patch]
    old = [r for r in revisions if history.raw(r.get("data")) != patch]
    number = max((history.revision_of(r) for r in old), default=0) + 1
    if not current:
        return snapshot(client, ds, number), old
    current = sorted(current, key=history.revision_of)
    for duplicate in current[:-1]:  # upstream `dedupCurHistories`
        history.delete_controller_revision(client, duplicate)
    kept = current[-1]
    if history.revision_of(kept) < number:
        kept = history.update_controller_revision(client, kept, number)
    return kept, old


def snapshot(client: Client, ds: Obj, number: int) -> Obj:
    """upstream `snapshot`: a revision named `<ds>-<template hash>`."""
    collisions = (ds.get("status") or {}).get("collisionCount")
    hash_ = history.compute_hash(ds["spec"]["template"], collisions)
    revision = history.new_controller_revision(
        ds, ds["spec"]["template"].get("metadata", {}).get("labels"), history.get_patch(ds),
        number, 0,
    )  # fmt: skip
    revision["metadata"]["name"] = f"{ds['metadata']['name']}-{hash_}"
    revision["metadata"]["labels"][CONTROLLER_REVISION_HASH_LABEL] = hash_
    namespace = ds["metadata"]["namespace"]
    try:
        return client.create("controllerrevisions", revision, namespace)
    except AlreadyExists:
        existing = client.get("controllerrevisions", revision["metadata"]["name"], namespace)
        if history.equal_revision(existing, revision):
            return existing
        ds["status"] = {**(ds.get("status") or {}), "collisionCount": (collisions or 0) + 1}
        client.update_status("daemonsets", ds, namespace)
        raise


def cleanup_history(client: Client, ds: Obj, old: list[Obj], pods: list[Obj]) -> None:
    """upstream `cleanupHistory`: delete the oldest unused revisions over the limit."""
    to_kill = len(old) - int(ds["spec"].get("revisionHistoryLimit", 10))
    if to_kill <= 0:
        return
    live = {
        (p["metadata"].get("labels") or {}).get(CONTROLLER_REVISION_HASH_LABEL)
        for node_pods in nodes_to_daemon_pods(pods, True).values()
        for p in node_pods
    }
    for revision in sorted(old, key=history.revision_of):
        if to_kill <= 0:
            break
        labels = revision["metadata"].get("labels") or {}
        if labels.get(CONTROLLER_REVISION_HASH_LABEL) in live:
            continue
        history.delete_controller_revision(client, revision)
        to_kill -= 1
