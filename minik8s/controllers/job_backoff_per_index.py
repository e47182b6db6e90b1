"""`spec.backoffLimitPerIndex` of Indexed Jobs, mirroring upstream's
`pkg/controller/job/indexed_job_utils.go` (`calculateFailedIndexes`, `isIndexFailed`,
`getPodsWithDelayedDeletionPerIndex`, `getNewIndexFailureCounts`), `backoff_utils.go`
(`getRemainingTimePerIndex`) and `getPodCreationInfoForIndependentIndexes` of `job_controller.go`.

Each pod of such a Job carries `batch.kubernetes.io/job-index-failure-count` (and, when an
`Ignore` rule of the pod failure policy matched a predecessor,
`batch.kubernetes.io/job-index-ignored-failure-count`). An index fails once a counted failure
finds the count already at `backoffLimitPerIndex`, or a `FailIndex` rule matches; failed indexes
are listed in `status.failedIndexes` and never recreated. The last failed pod of a pending index
keeps its tracking finalizer until its replacement exists (so the count carries over), and the
replacement waits the per-index back-off (10 s doubling, capped at 10 minutes) from its
predecessor's finish. The `JobBackoffLimitPerIndex` gate is on (beta in 1.31). Left out: metrics.
"""

from __future__ import annotations

from typing import Any

from minik8s.controllers import indexed_job as ix
from minik8s.controllers import job_failure_policy as pfp
from minik8s.controllers.job_util import (
    BackoffRecord,
    finished_time,
    has_tracking_finalizer,
    is_pod_failed,
    remaining_backoff,
)

Obj = dict[str, Any]

INDEX_FAILURE_COUNT_ANNOTATION = "batch.kubernetes.io/job-index-failure-count"
INDEX_IGNORED_FAILURE_COUNT_ANNOTATION = "batch.kubernetes.io/job-index-ignored-failure-count"
MAX_INT32 = 2**31 - 1
REASON_MAX_FAILED_INDEXES = "MaxFailedIndexesExceeded"
MESSAGE_MAX_FAILED_INDEXES = "Job has exceeded the specified maximal number of failed indexes"
REASON_FAILED_INDEXES = "FailedIndexes"
MESSAGE_FAILED_INDEXES = "Job has failed indexes"


def has_backoff_limit_per_index(job: Obj) -> bool:
    """`hasBackoffLimitPerIndex`."""
    return (job.get("spec") or {}).get("backoffLimitPerIndex") is not None


def _parse_int32(value: Any) -> int:
    """`parseInt32`: 0 for garbage, negatives and values beyond int32."""
    try:
        number = int(str(value))
    except ValueError:
        return 0
    return number if 0 <= number <= MAX_INT32 else 0


def index_failure_count(pod: Obj) -> int:
    """`getIndexFailureCount`: the failure-count annotation (0 when absent or invalid)."""
    return _parse_int32(
        (pod["metadata"].get("annotations") or {}).get(INDEX_FAILURE_COUNT_ANNOTATION, 0)
    )


def index_ignored_failure_count(pod: Obj) -> int:
    """`parseIndexFailureIgnoreCountAnnotation`."""
    annotations = pod["metadata"].get("annotations") or {}
    return _parse_int32(annotations.get(INDEX_IGNORED_FAILURE_COUNT_ANNOTATION, 0))


def index_absolute_failure_count(pod: Obj) -> int:
    """`getIndexAbsoluteFailureCount`: counted plus ignored failures."""
    return index_failure_count(pod) + index_ignored_failure_count(pod)


def is_index_failed(job: Obj, pod: Obj) -> bool:
    """`isIndexFailed`: a FailIndex rule matched, or a counted failure exhausted the limit."""
    counted = False
    if is_pod_failed(pod, job):
        policy = job["spec"].get("podFailurePolicy")
        if policy is not None:
            match = pfp.match_pod_failure_policy(policy, pod)
            if match.action == pfp.FAIL_INDEX:
                return True
            counted = match.count_failed
        else:
            counted = True
    return counted and index_failure_count(pod) >= int(job["spec"]["backoffLimitPerIndex"])


def _valid_index(job: Obj, pod: Obj) -> int | None:
    index = ix.completion_index(pod)
    return index if index is not None and index < int(job["spec"]["completions"]) else None


def failed_indexes(job: Obj, pods: list[Obj]) -> ix.Intervals:
    """`calculateFailedIndexes`: `status.failedIndexes` plus indexes failed since."""
    completions = int(job["spec"]["completions"])
    previous = ix.parse_indexes((job.get("status") or {}).get("failedIndexes"), completions)
    new = set()
    for pod in pods:
        index = _valid_index(job, pod)
        if index is not None and has_tracking_finalizer(pod) and is_index_failed(job, pod):
            new.add(index)
    return ix.with_indexes(previous, sorted(new))


def pods_with_delayed_deletion(
    job: Obj,
    pods: list[Obj],
    active_pods: list[Obj],
    succeeded: ix.Intervals,
    failed: ix.Intervals,
) -> dict[int, Obj]:
    """`getPodsWithDelayedDeletionPerIndex`: per pending index, its last failed tracked pod."""
    active = {i for i in (ix.completion_index(p) for p in active_pods) if i is not None}
    delayed: dict[int, Obj] = {}
    for pod in pods:
        index = _valid_index(job, pod)
        if index is None or not has_tracking_finalizer(pod) or not is_pod_failed(pod, job):
            continue
        if ix.has_index(succeeded, index) or ix.has_index(failed, index) or index in active:
            continue
        last = delayed.get(index)
        if last is None or (
            index_absolute_failure_count(last) <= index_absolute_failure_count(pod)
            and finished_time(pod) >= finished_time(last)
        ):
            delayed[index] = pod
    return delayed


def new_index_failure_counts(job: Obj, replaced: Obj | None) -> tuple[int, int]:
    """`getNewIndexFailureCounts`: (failures, ignored failures) for the replacement pod."""
    if replaced is None:
        return 0, 0
    failures, ignored = index_failure_count(replaced), index_ignored_failure_count(replaced)
    policy = job["spec"].get("podFailurePolicy")
    if policy is not None and not pfp.match_pod_failure_policy(policy, replaced).count_failed:
        return failures, ignored + 1
    return failures + 1, ignored


def index_failure_annotations(job: Obj, replaced: Obj | None) -> dict[str, str]:
    """`addIndexFailureCountAnnotation`: the annotations a new pod of the index gets."""
    failures, ignored = new_index_failure_counts(job, replaced)
    annotations = {INDEX_FAILURE_COUNT_ANNOTATION: str(failures)}
    if ignored > 0:
        annotations[INDEX_IGNORED_FAILURE_COUNT_ANNOTATION] = str(ignored)
    return annotations


def remaining_time_per_index(now: float, last_failed: Obj | None) -> float:
    """`getRemainingTimePerIndex`: the back-off left before the index's next pod."""
    if last_failed is None:
        return 0.0
    record = BackoffRecord(
        index_absolute_failure_count(last_failed) + 1, finished_time(last_failed)
    )
    return remaining_backoff(record, now)


def creation_info_for_independent_indexes(
    indexes: list[int], delayed: dict[int, Obj], now: float
) -> tuple[list[int], float]:
    """`getPodCreationInfoForIndependentIndexes`: the indexes whose back-off is over, else
    none and the shortest back-off left."""
    ready: list[int] = []
    shortest: float | None = None
    for index in indexes:
        left = remaining_time_per_index(now, delayed.get(index))
        if left == 0:
            ready.append(index)
        elif shortest is None or left < shortest:
            shortest = left
    if ready:
        return ready, 0.0
    return ready, shortest or 0.0
