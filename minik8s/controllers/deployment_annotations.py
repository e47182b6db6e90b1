"""Deployment revision and replica annotations, mirroring the annotation half of
`pkg/controller/deployment/util/deployment_util.go` (Revision, MaxRevision,
SetNewReplicaSetAnnotations, SetReplicasAnnotations, ReplicasAnnotationsNeedUpdate,
getNonNegativeInt32FromAnnotation).

`deployment_util` re-exports every name, as upstream keeps them in one file. The revision-history
length limit in characters is a parameter defaulting to kube-controller-manager's 2000.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from minik8s.controllers.deployment_conditions import MAX_INT32
from minik8s.controllers.deployment_fenceposts import max_surge, replicas_of

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


def set_new_replica_set_annotations(
    d: Obj,
    rs: Obj,
    new_revision: str,
    exists: bool,
    rev_history_limit_in_chars: int = MAX_REV_HISTORY_LENGTH_IN_CHARS,
) -> bool:
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
            _append_revision_history(annotations, old, rev_history_limit_in_chars)
    if not exists and set_replicas_annotations(rs, replicas_of(d), replicas_of(d) + max_surge(d)):
        changed = True
    return changed


def _append_revision_history(annotations: dict[str, str], old: str, limit: int) -> None:
    """Add `old` to revision-history, dropping the oldest entries to stay within `limit`
    characters; nothing is added if even `old` alone does not fit."""
    history = annotations.get(REVISION_HISTORY_ANNOTATION, "")
    if not history:
        annotations[REVISION_HISTORY_ANNOTATION] = old
        return
    entries = history.split(",")
    total, start = len(history) + len(old) + 1, 0
    while total > limit and start < len(entries):
        total -= len(entries[start]) + 1
        start += 1
    if total <= limit:
        annotations[REVISION_HISTORY_ANNOTATION] = ",".join([*entries[start:], old])


def replicas_annotations_need_update(rs: Obj, desired: int, maximum: int) -> bool:
    """`ReplicasAnnotationsNeedUpdate`."""
    annotations = rs["metadata"].get("annotations")
    if annotations is None:
        return True
    return annotations.get(DESIRED_REPLICAS_ANNOTATION) != str(desired) or annotations.get(
        MAX_REPLICAS_ANNOTATION
    ) != str(maximum)


def non_negative_int32_annotation(obj: Obj, key: str) -> tuple[int, bool, str | None]:
    """`getNonNegativeInt32FromAnnotation`: (value, valid, error) as `strconv.ParseUint(v, 10, 32)`
    then at most MaxInt32 would give them."""
    value = (obj["metadata"].get("annotations") or {}).get(key)
    if value is None:
        return 0, False, None
    if not value or not value.isascii() or not value.isdigit():
        return 0, False, f'strconv.ParseUint: parsing "{value}": invalid syntax'
    number = int(value)
    if number > 0xFFFFFFFF:
        return 0, False, f'strconv.ParseUint: parsing "{value}": value out of range'
    if number > MAX_INT32:
        return 0, False, f"value {number} is out of range (higher than {MAX_INT32})"
    return number, True, None
