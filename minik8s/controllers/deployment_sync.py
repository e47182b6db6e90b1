"""The Deployment controller's planning state and scaling steps, mirroring
`pkg/controller/deployment/sync.go` (getNewReplicaSet, scale, scaleReplicaSet,
cleanupDeployment, calculateStatus, isScalingEvent).

Everything here is pure: a `SyncState` holds private copies of the Deployment and its
ReplicaSets, each step changes those copies the way upstream's writes would and appends an
action (`CreateReplicaSet`, `ScaleReplicaSet`, …) that the controller then executes through
the API server. Left out: the `RevisionHistoryLimit` deletion of ReplicaSets still being
deleted, the namespace-terminating create error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from minik8s.api.meta import deep_copy, owner_reference
from minik8s.controllers import deployment_util as du

Obj = dict[str, Any]


# -- actions ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CreateReplicaSet:
    """Create `rs` (a new ReplicaSet for the current template) with `replicas` pods."""

    name: str
    replicas: int
    rs: Obj = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class ScaleReplicaSet:
    """Update ReplicaSet `name` from `old` to `new` replicas (annotations may change too)."""

    name: str
    old: int
    new: int
    rs: Obj = field(default_factory=dict, repr=False, compare=False)
    scaling: str = field(default="", repr=False, compare=False)  # the proportional direction

    @property
    def operation(self) -> str:
        """ "up" or "down", as the event message words it (a proportional scale words every
        ReplicaSet's event with the Deployment's direction, as upstream does)."""
        return self.scaling or ("up" if self.new > self.old else "down")


@dataclass(frozen=True)
class UpdateReplicaSet:
    """Update ReplicaSet `name`'s annotations or minReadySeconds (no scaling)."""

    name: str
    rs: Obj = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class DeleteReplicaSet:
    """Delete an old, empty ReplicaSet beyond `revisionHistoryLimit`."""

    name: str


@dataclass(frozen=True)
class SetRevision:
    """Set the Deployment's `deployment.kubernetes.io/revision` annotation."""

    revision: str


Action = CreateReplicaSet | ScaleReplicaSet | UpdateReplicaSet | DeleteReplicaSet | SetRevision


@dataclass
class SyncState:
    """Copies of the Deployment and its ReplicaSets, and the actions decided so far."""

    d: Obj
    rss: list[Obj]
    now: float
    timestamp: str
    pods: dict[str, list[Obj]] = field(default_factory=dict)  # pods by owning ReplicaSet uid
    actions: list[Action] = field(default_factory=list)
    status: Obj | None = None  # the status to write, decided at the end
    requeue_after: float | None = None

    def __post_init__(self) -> None:
        self.d = plan_copy(self.d)
        self.d.setdefault("status", {})
        self.rss = [plan_copy(rs) for rs in self.rss]

    def __repr__(self) -> str:
        return f"<SyncState {self.d['metadata']['name']} actions={self.actions}>"


def plan_copy(obj: Obj) -> Obj:
    """A copy of a cached object that the planning steps may change: metadata and its
    annotations, the top level of `spec` (replicas, minReadySeconds) and `status` are private;
    the pod template and selector stay shared, as no step writes them (a new ReplicaSet copies
    them first). Deep-copying every ReplicaSet's template on every sync was most of its cost."""
    copied = dict(obj)
    copied["metadata"] = meta = dict(obj["metadata"])
    if meta.get("annotations") is not None:
        meta["annotations"] = dict(meta["annotations"])
    if "spec" in obj:
        copied["spec"] = dict(obj["spec"])
    if "status" in obj:
        copied["status"] = deep_copy(obj["status"])
    return copied


# -- new ReplicaSet and revisions ---------------------------------------------------------------
def get_all_replica_sets(s: SyncState, create: bool) -> tuple[Obj | None, list[Obj]]:
    """`getAllReplicaSetsAndSyncRevision`: (new RS or None, all old RSs)."""
    _, all_old = du.find_old_replica_sets(s.d, s.rss)
    return get_new_replica_set(s, all_old, create), all_old


def get_new_replica_set(s: SyncState, old_rss: list[Obj], create: bool) -> Obj | None:
    """`getNewReplicaSet`: sync the existing new RS's annotations, or plan to create it."""
    d, existing = s.d, du.find_new_replica_set(s.d, s.rss)
    new_revision = str(du.max_revision(old_rss) + 1)
    if existing is not None:
        changed = du.set_new_replica_set_annotations(d, existing, new_revision, True)
        min_ready = d["spec"].get("minReadySeconds", 0)
        if changed or existing["spec"].get("minReadySeconds", 0) != min_ready:
            existing["spec"]["minReadySeconds"] = min_ready
            s.actions.append(UpdateReplicaSet(existing["metadata"]["name"], deep_copy(existing)))
            return existing  # upstream returns the updated RS; the revision follows next sync
        _set_revision(
            s, (existing["metadata"].get("annotations") or {}).get(du.REVISION_ANNOTATION)
        )
        if du.has_progress_deadline(d) and du.get_condition(d["status"], "Progressing") is None:
            msg = f'Found new replica set "{existing["metadata"]["name"]}"'
            cond = du.new_condition("Progressing", "True", du.FOUND_NEW_RS, msg, s.timestamp)
            du.set_condition(d["status"], cond)
        return existing
    if not create:
        return None
    rs = new_replica_set(d)
    rs["spec"]["replicas"] = du.new_rs_new_replicas(d, [*old_rss, rs], rs)
    du.set_new_replica_set_annotations(d, rs, new_revision, False)
    s.rss.append(rs)
    name = rs["metadata"]["name"]
    s.actions.append(CreateReplicaSet(name, rs["spec"]["replicas"], deep_copy(rs)))
    _set_revision(s, new_revision)
    if du.has_progress_deadline(d):
        msg = f'Created new replica set "{name}"'
        cond = du.new_condition("Progressing", "True", du.NEW_REPLICA_SET, msg, s.timestamp)
        du.set_condition(d["status"], cond)
    return rs


def new_replica_set(d: Obj) -> Obj:
    """The ReplicaSet for the Deployment's current template, named `<deploy>-<hash>`."""
    template = deep_copy(d["spec"].get("template") or {})
    h = du.compute_hash(template, (d.get("status") or {}).get("collisionCount"))
    meta = template.setdefault("metadata", {})
    meta["labels"] = {**(meta.get("labels") or {}), du.UNIQUE_LABEL_KEY: h}
    selector = deep_copy(d["spec"].get("selector") or {})
    selector["matchLabels"] = {**(selector.get("matchLabels") or {}), du.UNIQUE_LABEL_KEY: h}
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": f"{d['metadata']['name']}-{h}",
            "namespace": d["metadata"]["namespace"],
            "labels": dict(meta["labels"]),
            "ownerReferences": [owner_reference(d)],
            "annotations": {},
        },
        "spec": {
            "replicas": 0,
            "minReadySeconds": d["spec"].get("minReadySeconds", 0),
            "selector": selector,
            "template": template,
        },
    }


def _set_revision(s: SyncState, value: str | None) -> None:
    annotations = s.d["metadata"].setdefault("annotations", {})
    if value is not None and annotations.get(du.REVISION_ANNOTATION) != value:
        annotations[du.REVISION_ANNOTATION] = value
        s.actions.append(SetRevision(value))


# -- scaling ------------------------------------------------------------------------------------
def scale_replica_set(s: SyncState, rs: Obj, new_scale: int) -> bool:
    """`scaleReplicaSetAndRecordEvent`: nothing to write when the size is already right."""
    if du.replicas_of(rs) == new_scale:
        return False
    return update_replica_set_scale(s, rs, new_scale)


def update_replica_set_scale(s: SyncState, rs: Obj, new_scale: int, scaling: str = "") -> bool:
    """`scaleReplicaSet`: write the size and the replicas annotations if either changed;
    whether the size did."""
    old = du.replicas_of(rs)
    d = s.d
    annotations_changed = du.set_replicas_annotations(
        rs, du.replicas_of(d), du.replicas_of(d) + du.max_surge(d)
    )
    if old == new_scale and not annotations_changed:
        return False
    rs["spec"]["replicas"] = new_scale
    action = ScaleReplicaSet(rs["metadata"]["name"], old, new_scale, deep_copy(rs), scaling)
    s.actions.append(action)
    return old != new_scale


def find_active_or_latest(new_rs: Obj | None, old_rss: list[Obj]) -> Obj | None:
    """`FindActiveOrLatest`: the only active ReplicaSet, or the newest when none is active."""
    if new_rs is None and not old_rss:
        return None
    newest_first = list(reversed(du.by_creation(old_rss)))
    active = du.filter_active([*newest_first, new_rs])
    if not active:
        return new_rs if new_rs is not None else newest_first[0]
    return active[0] if len(active) == 1 else None


def scale(s: SyncState, new_rs: Obj | None, old_rss: list[Obj]) -> None:
    """`scale`: proportional scaling of every active ReplicaSet (scaling event or paused)."""
    d = s.d
    only = find_active_or_latest(new_rs, old_rss)
    if only is not None:
        if du.replicas_of(only) != du.replicas_of(d):
            scale_replica_set(s, only, du.replicas_of(d))
        return
    if du.is_saturated(d, new_rs):
        for old in du.filter_active(old_rss):
            scale_replica_set(s, old, 0)
        return
    if not du.is_rolling_update(d):
        return
    active = du.filter_active([*old_rss, new_rs])
    allowed = du.replicas_of(d) + du.max_surge(d) if du.replicas_of(d) > 0 else 0
    to_add = allowed - du.spec_replicas(active)
    scaling = ""
    if to_add > 0:  # ReplicaSetsBySizeNewer: bigger first, then newer
        active = sorted(du.by_creation(active), key=_created, reverse=True)
        active.sort(key=du.replicas_of, reverse=True)
        scaling = "up"
    elif to_add < 0:  # ReplicaSetsBySizeOlder: bigger first, then older
        active = sorted(du.by_creation(active), key=du.replicas_of, reverse=True)
        scaling = "down"
    added, sizes = 0, {}
    for rs in active:
        proportion = du.get_proportion(rs, d, to_add, added) if to_add else 0
        sizes[rs["metadata"]["name"]] = du.replicas_of(rs) + proportion
        added += proportion
    for i, rs in enumerate(active):
        name = rs["metadata"]["name"]
        if i == 0 and to_add:
            sizes[name] = max(sizes[name] + to_add - added, 0)  # leftovers to the largest
        update_replica_set_scale(s, rs, sizes[name], scaling)


def _created(rs: Obj) -> tuple[float, str]:
    return (du.parse_time(rs["metadata"].get("creationTimestamp")) or 0.0, rs["metadata"]["name"])


def is_scaling_event(s: SyncState) -> bool:
    """`isScalingEvent`: an active ReplicaSet's desired-replicas differs from the Deployment."""
    new_rs, old_rss = get_all_replica_sets(s, False)
    for rs in du.filter_active([*old_rss, new_rs]):
        desired, ok, _ = du.non_negative_int32_annotation(rs, du.DESIRED_REPLICAS_ANNOTATION)
        if ok and desired != du.replicas_of(s.d):
            return True
    return False


def cleanup_deployment(s: SyncState, old_rss: list[Obj]) -> None:
    """`cleanupDeployment`: delete empty old ReplicaSets beyond `revisionHistoryLimit`."""
    limit = s.d["spec"].get("revisionHistoryLimit")
    if limit is None or limit == du.MAX_INT32:
        return
    alive = [rs for rs in old_rss if not rs["metadata"].get("deletionTimestamp")]
    diff = len(alive) - int(limit)
    if diff <= 0:
        return
    for rs in sorted(alive, key=lambda r: (du.revision(r), *_created(r)))[:diff]:
        status = rs.get("status") or {}
        if status.get("replicas") or du.replicas_of(rs):
            continue
        if rs["metadata"].get("generation", 1) > status.get("observedGeneration", 0):
            continue
        s.actions.append(DeleteReplicaSet(rs["metadata"]["name"]))
        s.rss.remove(rs)


def calculate_status(s: SyncState, all_rss: list[Obj | None], new_rs: Obj | None) -> Obj:
    """`calculateStatus`: counters from the ReplicaSets plus the Available condition."""
    d = s.d
    available = du.status_count(all_rss, "availableReplicas")
    unavailable = max(du.spec_replicas(all_rss) - available, 0)
    status: Obj = {"observedGeneration": d["metadata"].get("generation", 1)}
    counters = {
        "replicas": du.status_count(all_rss, "replicas"),
        "updatedReplicas": du.status_count([new_rs], "replicas"),
        "readyReplicas": du.status_count(all_rss, "readyReplicas"),
        "availableReplicas": available,
        "unavailableReplicas": unavailable,
    }
    status.update({k: v for k, v in counters.items() if v})  # omitempty
    conditions = deep_copy((d.get("status") or {}).get("conditions") or [])
    if conditions:
        status["conditions"] = conditions
    if (d.get("status") or {}).get("collisionCount") is not None:
        status["collisionCount"] = d["status"]["collisionCount"]
    if available >= du.replicas_of(d) - du.max_unavailable(d):
        cond = du.new_condition(
            "Available",
            "True",
            du.MINIMUM_REPLICAS_AVAILABLE,
            "Deployment has minimum availability.",
            s.timestamp,
        )
    else:
        cond = du.new_condition(
            "Available",
            "False",
            du.MINIMUM_REPLICAS_UNAVAILABLE,
            "Deployment does not have minimum availability.",
            s.timestamp,
        )
    du.set_condition(status, cond)
    return status
