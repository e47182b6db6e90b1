"""Deployment helpers, mirroring `pkg/controller/deployment/util/deployment_util.go` (plus
`controller.ComputeHash` and intstr's `GetScaledValueFromIntOrPercent`).

Pure functions over Deployment / ReplicaSet dicts. `compute_hash` cannot match upstream's value
(upstream hashes the Go struct with a deep-hash printer): it runs FNV-32a over the template's
JSON with sorted keys and no spaces, then adds the collision count and encodes the decimal
digits with `rand.SafeEncodeString`, exactly as upstream does after the struct dump. Stable and
deterministic: the same template always gives the same name. The condition helpers live in
`deployment_conditions` and are re-exported here. Left out: the revision-history length limit in
characters is fixed at upstream's default (2000).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from typing import Any

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
from minik8s.controllers.replicaset_utils import parse_time

Obj = dict[str, Any]

UNIQUE_LABEL_KEY = "pod-template-hash"  # apps.DefaultDeploymentUniqueLabelKey
REVISION_ANNOTATION = "deployment.kubernetes.io/revision"
REVISION_HISTORY_ANNOTATION = "deployment.kubernetes.io/revision-history"
DESIRED_REPLICAS_ANNOTATION = "deployment.kubernetes.io/desired-replicas"
MAX_REPLICAS_ANNOTATION = "deployment.kubernetes.io/max-replicas"
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
ANNOTATIONS_TO_SKIP = frozenset(
    {
        LAST_APPLIED,
        REVISION_ANNOTATION,
        REVISION_HISTORY_ANNOTATION,
        DESIRED_REPLICAS_ANNOTATION,
        MAX_REPLICAS_ANNOTATION,
        "deprecated.deployment.rollback.to",
    }
)
MAX_REV_HISTORY_LENGTH_IN_CHARS = 2000


_ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789"
_ATOI = re.compile(r"^[+-]?[0-9]+$")


# -- intstr and fenceposts ----------------------------------------------------------------------
def scaled_value(value: int | str | None, total: int, round_up: bool) -> int:
    """intstr `GetScaledValueFromIntOrPercent`: an int as is, "N%" of `total` rounded."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValueError("invalid value for IntOrString: invalid type: neither int nor percentage")
    if isinstance(value, int):
        return value
    if not value.endswith("%"):
        raise ValueError("invalid value for IntOrString: invalid type: string is not a percentage")
    number = value[:-1]
    if not _ATOI.match(number):
        raise ValueError(
            f'invalid value for IntOrString: invalid value "{value}": '
            f'strconv.Atoi: parsing "{number}": invalid syntax'
        )
    scaled = int(number) * total / 100
    return math.ceil(scaled) if round_up else math.floor(scaled)


def resolve_fenceposts(
    max_surge: int | str | None, max_unavailable: int | str | None, desired: int
) -> tuple[int, int]:
    """`ResolveFenceposts`: (surge rounded up, unavailable rounded down); both 0 → (0, 1)."""
    surge = scaled_value(0 if max_surge is None else max_surge, desired, True)
    unavailable = scaled_value(0 if max_unavailable is None else max_unavailable, desired, False)
    if surge == 0 and unavailable == 0:
        unavailable = 1
    return surge, unavailable


def is_rolling_update(d: Obj) -> bool:
    """`IsRollingUpdate`."""
    return (d["spec"].get("strategy") or {}).get("type", "RollingUpdate") == "RollingUpdate"


def replicas_of(obj: Obj) -> int:
    """`*spec.replicas` (the API server defaults it to 1)."""
    return int(obj["spec"].get("replicas", 1))


def _fenceposts(d: Obj) -> tuple[int, int]:
    rolling = (d["spec"].get("strategy") or {}).get("rollingUpdate") or {}
    return resolve_fenceposts(
        rolling.get("maxSurge"), rolling.get("maxUnavailable"), replicas_of(d)
    )


def max_surge(d: Obj) -> int:
    """`MaxSurge`: 0 unless RollingUpdate."""
    return _fenceposts(d)[0] if is_rolling_update(d) else 0


def max_unavailable(d: Obj) -> int:
    """`MaxUnavailable`: 0 unless RollingUpdate with replicas; never above replicas."""
    if not is_rolling_update(d) or replicas_of(d) == 0:
        return 0
    return min(_fenceposts(d)[1], replicas_of(d))


# -- hashing and matching -----------------------------------------------------------------------
def safe_encode_string(text: str) -> str:
    """apimachinery `rand.SafeEncodeString`: each character mapped onto consonants and digits."""
    return "".join(_ALPHANUMS[ord(ch) % len(_ALPHANUMS)] for ch in text)


def fnv32a(data: bytes, h: int = 0x811C9DC5) -> int:
    """The 32-bit FNV-1a hash (Go's `hash/fnv.New32a`)."""
    for byte in data:
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def compute_hash(template: Obj, collision_count: int | None = None) -> str:
    """`controller.ComputeHash`: the `pod-template-hash` of a pod template (see module doc)."""
    data = json.dumps(template, sort_keys=True, separators=(",", ":")).encode()
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


# -- revisions and annotations ------------------------------------------------------------------
def revision(obj: Obj) -> int:
    """`Revision`: the revision annotation as an int (0 when absent)."""
    value = (obj["metadata"].get("annotations") or {}).get(REVISION_ANNOTATION)
    return int(value) if value is not None else 0


def max_revision(rss: Sequence[Obj]) -> int:
    """`MaxRevision` (unparseable revisions skipped)."""
    best = 0
    for rs in rss:
        try:
            best = max(best, revision(rs))
        except ValueError:
            continue
    return best


def set_replicas_annotations(rs: Obj, desired: int, maximum: int) -> bool:
    """`SetReplicasAnnotations`: desired-replicas and max-replicas; whether they changed."""
    annotations = rs["metadata"].setdefault("annotations", {})
    changed = False
    for key, value in ((DESIRED_REPLICAS_ANNOTATION, desired), (MAX_REPLICAS_ANNOTATION, maximum)):
        if annotations.get(key) != str(value):
            annotations[key] = str(value)
            changed = True
    return changed


def set_new_replica_set_annotations(d: Obj, rs: Obj, new_revision: str, exists: bool) -> bool:
    """`SetNewReplicaSetAnnotations`: copy the Deployment's annotations, bump the revision
    (keeping the old ones in revision-history on a rollback), set replica annotations."""
    annotations = rs["metadata"].setdefault("annotations", {})
    changed = False
    for key, value in (d["metadata"].get("annotations") or {}).items():
        if key not in ANNOTATIONS_TO_SKIP and annotations.get(key) != value:
            annotations[key] = value
            changed = True
    old = annotations.get(REVISION_ANNOTATION)
    try:
        old_int = int(old) if old else 0
    except ValueError:
        return False
    if old_int < int(new_revision):
        annotations[REVISION_ANNOTATION] = new_revision
        changed = True
        if old is not None:
            history = annotations.get(REVISION_HISTORY_ANNOTATION, "")
            entries = history.split(",") if history else []
            entries.append(old)
            while len(",".join(entries)) > MAX_REV_HISTORY_LENGTH_IN_CHARS and len(entries) > 1:
                entries.pop(0)
            annotations[REVISION_HISTORY_ANNOTATION] = ",".join(entries)
    if not exists and set_replicas_annotations(rs, replicas_of(d), replicas_of(d) + max_surge(d)):
        changed = True
    return changed


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
    surge = scaled_value(rolling.get("maxSurge", 0), replicas_of(d), True)
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
        desired.lstrip("-").isdigit()
        and replicas_of(rs) == replicas_of(d)
        and int(desired) == replicas_of(d)
        and int((rs.get("status") or {}).get("availableReplicas") or 0) == replicas_of(d)
    )


def _round(x: float) -> int:
    """Go's `math.Round` (half away from zero)."""
    return int(math.floor(x + 0.5)) if x >= 0 else -int(math.floor(-x + 0.5))


def get_replica_set_fraction(rs: Obj, d: Obj) -> int:
    """`getReplicaSetFraction`: the change this ReplicaSet gets in a proportional scale."""
    if replicas_of(d) == 0:
        return -replicas_of(rs)
    deployment_replicas = replicas_of(d) + max_surge(d)
    value = (rs["metadata"].get("annotations") or {}).get(MAX_REPLICAS_ANNOTATION)
    try:
        annotated = int(value) if value is not None else None
    except ValueError:
        annotated = None
    if annotated is None:
        annotated = int((d.get("status") or {}).get("replicas") or 0)
    if annotated == 0:
        return 0
    return _round(replicas_of(rs) * deployment_replicas / annotated) - replicas_of(rs)


def get_proportion(rs: Obj | None, d: Obj, to_add: int, added: int) -> int:
    """`GetProportion`: bounded share of `to_add` for `rs`, given `added` so far."""
    if rs is None or replicas_of(rs) == 0 or to_add == 0 or to_add == added:
        return 0
    fraction, allowed = get_replica_set_fraction(rs, d), to_add - added
    return min(fraction, allowed) if to_add > 0 else max(fraction, allowed)
