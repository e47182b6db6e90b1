"""Deployment helpers, mirroring `pkg/controller/deployment/util/deployment_util.go` (plus
`controller.ComputeHash` and intstr's `GetScaledValueFromIntOrPercent`).

Pure functions over Deployment / ReplicaSet dicts. `compute_hash` cannot match upstream's value
(upstream hashes the Go struct with a deep-hash printer): it runs FNV-32a over the template's
JSON with sorted keys and no spaces, then adds the collision count and encodes the decimal
digits with `rand.SafeEncodeString`, exactly as upstream does after the struct dump. Stable and
deterministic: the same template always gives the same name. Zero structs Go's JSON writes
(`creationTimestamp: null`, `resources: {}`) are left out first (`hash_view`): the Go struct
has no "missing" state, so they must not move the hash. The condition, fencepost and
annotation helpers live in `deployment_conditions`, `deployment_fenceposts` and
`deployment_annotations` and are re-exported here, as upstream keeps them in this one file.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from typing import Any

from minik8s.api.intstr import get_scaled_value_from_int_or_percent
from minik8s.controllers.deployment_annotations import (  # noqa: F401 - re-exported
    ANNOTATIONS_TO_SKIP,
    DESIRED_REPLICAS_ANNOTATION,
    LAST_APPLIED,
    MAX_REPLICAS_ANNOTATION,
    MAX_REV_HISTORY_LENGTH_IN_CHARS,
    REVISION_ANNOTATION,
    REVISION_HISTORY_ANNOTATION,
    UNIQUE_LABEL_KEY,
    max_revision,
    non_negative_int32_annotation,
    replicas_annotations_need_update,
    revision,
    set_new_replica_set_annotations,
    set_replicas_annotations,
)
from minik8s.controllers.deployment_conditions import (  # noqa: F401 - re-exported (upstream: one file)
    FAILED_RS_CREATE,
    FOUND_NEW_RS,
    MAX_INT32,
    MINIMUM_REPLICAS_AVAILABLE,
    MINIMUM_REPLICAS_UNAVAILABLE,
    NEW_REPLICA_SET,
    NEW_RS_AVAILABLE,
    PAUSED,
    REPLICA_SET_UPDATED,
    RESUMED,
    TIMED_OUT,
    deployment_complete,
    deployment_progressing,
    deployment_timed_out,
    get_condition,
    has_progress_deadline,
    new_condition,
    remove_condition,
    set_condition,
)
from minik8s.controllers.deployment_fenceposts import (  # noqa: F401 - re-exported
    is_rolling_update,
    max_surge,
    max_unavailable,
    min_available,
    replicas_of,
    resolve_fenceposts,
)
from minik8s.controllers.replicaset_utils import parse_time

Obj = dict[str, Any]

_ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789"
_ATOI = re.compile(r"^[+-]?[0-9]+$")


# -- hashing and matching -----------------------------------------------------------------------
def safe_encode_string(text: str) -> str:
    """apimachinery `rand.SafeEncodeString`: each character mapped onto consonants and digits."""
    return "".join(_ALPHANUMS[ord(ch) % len(_ALPHANUMS)] for ch in text)


def fnv32a(data: bytes, h: int = 0x811C9DC5) -> int:
    """The 32-bit FNV-1a hash (Go's `hash/fnv.New32a`)."""
    for byte in data:
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def _without_null_timestamp(meta: Any) -> Obj | None:
    """An embedded ObjectMeta without its zero `creationTimestamp`; None when nothing is left."""
    if not isinstance(meta, dict) or "creationTimestamp" not in meta:
        return meta
    if meta["creationTimestamp"] is not None:
        return meta
    rest = {k: v for k, v in meta.items() if k != "creationTimestamp"}
    return rest or None


def _with_meta(owner: Obj, meta: Obj | None) -> Obj:
    """`owner` with `metadata` replaced by `meta` (dropped when None); `owner` if unchanged."""
    if meta is owner.get("metadata"):
        return owner
    view = {k: v for k, v in owner.items() if k != "metadata"}
    if meta is not None:
        view["metadata"] = meta
    return view


def _without_empty_resources(owner: Obj) -> Obj:
    """A container (or claim spec) without `resources: {}`; `owner` itself when it has none."""
    if owner.get("resources") != {}:
        return owner
    return {k: v for k, v in owner.items() if k != "resources"}


def _volume_view(volume: Obj) -> Obj:
    claim = (volume.get("ephemeral") or {}).get("volumeClaimTemplate")
    if not isinstance(claim, dict):
        return volume
    view = _with_meta(claim, _without_null_timestamp(claim.get("metadata")))
    if isinstance(view.get("spec"), dict):
        view = {**view, "spec": _without_empty_resources(view["spec"])}
    return {**volume, "ephemeral": {**volume["ephemeral"], "volumeClaimTemplate": view}}


def hash_view(template: Obj) -> Obj:
    """The template as upstream's hash of the Go struct sees it: the zero structs Go's JSON
    always writes (`metadata.creationTimestamp: null`, a container's `resources: {}`, an
    ephemeral claim template's) are the same as missing fields. Only changed parts are copied."""
    view = _with_meta(template, _without_null_timestamp(template.get("metadata")))
    spec = view.get("spec")
    if not isinstance(spec, dict):
        return view
    new_spec = dict(spec)
    for kind in ("containers", "initContainers", "ephemeralContainers"):
        if spec.get(kind):
            new_spec[kind] = [_without_empty_resources(c) for c in spec[kind]]
    if spec.get("volumes"):
        new_spec["volumes"] = [_volume_view(v) for v in spec["volumes"]]
    return {**view, "spec": new_spec}


def compute_hash(template: Obj, collision_count: int | None = None) -> str:
    """`controller.ComputeHash`: the `pod-template-hash` of a pod template (see module doc)."""
    data = json.dumps(hash_view(template), sort_keys=True, separators=(",", ":")).encode()
    h = fnv32a(data)
    if collision_count is not None:
        h = fnv32a((collision_count & 0xFFFFFFFF).to_bytes(4, "little") + b"\0" * 4, h)
    return safe_encode_string(str(h))


def _without_hash(template: Obj) -> Obj:
    """The template without the `pod-template-hash` label (only the label map is copied)."""
    meta = template.get("metadata") or {}
    labels = meta.get("labels")
    if not labels or UNIQUE_LABEL_KEY not in labels:
        return template
    labels = {k: v for k, v in labels.items() if k != UNIQUE_LABEL_KEY}
    return {**template, "metadata": {**meta, "labels": labels}}


def _normalized(template: Obj) -> Obj:
    """Drop empty maps/lists so `{}` and a missing field compare equal (`Semantic.DeepEqual`)."""
    if isinstance(template, dict):
        return {k: _normalized(v) for k, v in template.items() if v not in (None, {}, [])}
    if isinstance(template, list):
        return [_normalized(v) for v in template]  # type: ignore[return-value]
    return template


def equal_ignore_hash(t1: Obj, t2: Obj) -> bool:
    """`EqualIgnoreHash`: templates equal apart from the `pod-template-hash` label."""
    t1, t2 = _without_hash(t1), _without_hash(t2)
    return t1 == t2 or _normalized(t1) == _normalized(t2)  # equal as they are: no walk needed


def by_creation(rss: Sequence[Obj]) -> list[Obj]:
    """`ReplicaSetsByCreationTimestamp`: oldest first, ties by name."""
    return sorted(
        rss,
        key=lambda r: (
            parse_time(r["metadata"].get("creationTimestamp")) or 0.0,
            r["metadata"]["name"],
        ),
    )


def find_new_replica_set(d: Obj, rss: Sequence[Obj]) -> Obj | None:
    """`FindNewReplicaSet`: the oldest ReplicaSet whose template equals the Deployment's."""
    for rs in by_creation(rss):
        if equal_ignore_hash(rs["spec"].get("template") or {}, d["spec"].get("template") or {}):
            return rs
    return None


def find_old_replica_sets(d: Obj, rss: Sequence[Obj]) -> tuple[list[Obj], list[Obj]]:
    """`FindOldReplicaSets`: (old ones with replicas, all old ones)."""
    new = find_new_replica_set(d, rss)
    all_old = [rs for rs in rss if new is None or rs["metadata"]["uid"] != new["metadata"]["uid"]]
    return [rs for rs in all_old if replicas_of(rs) != 0], all_old


def filter_active(rss: Sequence[Obj | None]) -> list[Obj]:
    """`FilterActiveReplicaSets`: those with `spec.replicas > 0`."""
    return [rs for rs in rss if rs is not None and replicas_of(rs) > 0]


# -- counting -----------------------------------------------------------------------------------
def spec_replicas(rss: Sequence[Obj | None]) -> int:
    """`GetReplicaCountForReplicaSets`."""
    return sum(replicas_of(rs) for rs in rss if rs is not None)


def status_count(rss: Sequence[Obj | None], field: str) -> int:
    """Sum of `status.<field>` (`GetActual/Ready/AvailableReplicaCountForReplicaSets`)."""
    return sum(int((rs.get("status") or {}).get(field) or 0) for rs in rss if rs is not None)


def new_rs_new_replicas(d: Obj, all_rss: Sequence[Obj], new_rs: Obj) -> int:
    """`NewRSNewReplicas`: how big the new ReplicaSet may be now."""
    strategy = (d["spec"].get("strategy") or {}).get("type", "RollingUpdate")
    if strategy == "Recreate":
        return replicas_of(d)
    if strategy != "RollingUpdate":
        raise ValueError(f"deployment type {strategy} isn't supported")
    rolling = (d["spec"].get("strategy") or {}).get("rollingUpdate") or {}
    surge = get_scaled_value_from_int_or_percent(rolling.get("maxSurge", 0), replicas_of(d), True)
    current, max_total = spec_replicas(all_rss), replicas_of(d) + surge
    if current >= max_total:
        return replicas_of(new_rs)
    scale_up = min(max_total - current, replicas_of(d) - replicas_of(new_rs))
    return replicas_of(new_rs) + scale_up


def is_saturated(d: Obj, rs: Obj | None) -> bool:
    """`IsSaturated`: the new ReplicaSet owns and has available all desired replicas."""
    if rs is None:
        return False
    desired = (rs["metadata"].get("annotations") or {}).get(DESIRED_REPLICAS_ANNOTATION, "")
    return (
        _ATOI.match(desired) is not None
        and replicas_of(rs) == replicas_of(d)
        and int(desired) == replicas_of(d)
        and int((rs.get("status") or {}).get("availableReplicas") or 0) == replicas_of(d)
    )


def _round(x: float) -> int:
    """Go's `math.Round` (half away from zero)."""
    return int(math.floor(x + 0.5)) if x >= 0 else -int(math.floor(-x + 0.5))


def get_replica_set_fraction(rs: Obj, d: Obj) -> int:
    """`getReplicaSetFraction`: the change this ReplicaSet gets in a proportional scale; a
    missing, invalid or zero max-replicas annotation falls back to `status.replicas`."""
    if replicas_of(d) == 0:
        return -replicas_of(rs)
    deployment_max = replicas_of(d) + max_surge(d)
    before_scale, ok, _ = non_negative_int32_annotation(rs, MAX_REPLICAS_ANNOTATION)
    if not ok or before_scale == 0:
        before_scale = int((d.get("status") or {}).get("replicas") or 0)
        if before_scale == 0:
            return 0  # the annotation was tampered with and no pod exists yet
    return _round(replicas_of(rs) * deployment_max / before_scale) - replicas_of(rs)


def get_proportion(rs: Obj | None, d: Obj, to_add: int, added: int) -> int:
    """`GetProportion`: bounded share of `to_add` for `rs`, given `added` so far."""
    if rs is None or replicas_of(rs) == 0 or to_add == 0 or to_add == added:
        return 0
    fraction, allowed = get_replica_set_fraction(rs, d), to_add - added
    return min(fraction, allowed) if to_add > 0 else max(fraction, allowed)
