"""Job status tracking with finalizers, mirroring upstream `trackJobStatusAndRemoveFinalizers`,
`flushUncountedAndRemoveFinalizers`, `cleanUncountedPodsWithoutFinalizers` and `enactJobFinished`
(`pkg/controller/job/job_controller.go`, `tracking_utils.go`) as pure functions on a sync context.

A finished pod still carrying the `batch.kubernetes.io/job-tracking` finalizer is first written
to `status.uncountedTerminatedPods` (the `flush`), then loses its finalizer, then moves into the
`succeeded`/`failed` counters (the `final` status), so a pod is never counted twice nor lost.
The interim `SuccessCriteriaMet`/`FailureTarget` condition becomes `Complete`/`Failed` once
nothing is uncounted and no pod is terminating. A failed pod matching an `Ignore` rule of the
pod failure policy loses its finalizer without being counted. Left out: metrics.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from minik8s.controllers import indexed_job as ix
from minik8s.controllers.job_failure_policy import counts_as_failure
from minik8s.controllers.job_util import (
    MAX_UNCOUNTED_PODS,
    BackoffRecord,
    ensure_condition_status,
    find_condition,
    has_tracking_finalizer,
    is_pod_failed,
    new_condition,
    phase,
)

Obj = dict[str, Any]
Event = tuple[str, str, str]  # (type, reason, message)


@dataclass
class JobPlan:
    """What one sync of a Job does, in order: delete, create, flush, remove finalizers, final."""

    delete: list[str] = field(default_factory=list)
    strip_before_delete: bool = True  # remove the tracking finalizer first (manageJob deletions)
    create: list[int | None] = field(default_factory=list)  # completion index per new pod
    create_annotations: dict[int, dict[str, str]] = field(default_factory=dict)  # per index
    remove_finalizers: list[str] = field(default_factory=list)
    flush: Obj | None = None
    final: Obj | None = None
    events: list[Event] = field(default_factory=list)
    requeue_after: float | None = None  # the pod-failure back-off left
    deadline_after: float | None = None  # seconds until activeDeadlineSeconds passes
    backoff: BackoffRecord = field(default_factory=BackoffRecord)

    def __repr__(self) -> str:
        parts = [f"delete={self.delete}", f"create={self.create}"]
        if self.remove_finalizers:
            parts.append(f"remove_finalizers={self.remove_finalizers}")
        if self.requeue_after is not None:
            parts.append(f"requeue_after={self.requeue_after:g}")
        if self.deadline_after is not None:
            parts.append(f"deadline_after={self.deadline_after:g}")
        parts.append(f"events={[reason for _, reason, _ in self.events]}")
        return f"JobPlan({', '.join(parts)})"


@dataclass
class SyncContext:
    job: Obj
    pods: list[Obj]
    now: float
    status: Obj
    active_pods: list[Obj]
    succeeded: int = 0
    ready: int = 0
    terminating: int = 0
    succeeded_indexes: ix.Intervals = field(default_factory=list)
    prev_indexes: ix.Intervals = field(default_factory=list)
    failed_indexes: ix.Intervals | None = None  # with backoffLimitPerIndex
    delayed: dict[int, Obj] = field(default_factory=dict)  # podsWithDelayedDeletionPerIndex
    finished: Obj | None = None


def pod_uid(pod: Obj) -> str:
    return str(pod["metadata"].get("uid", ""))


def valid_index(job: Obj, pod: Obj) -> bool:
    index = ix.completion_index(pod)
    return index is not None and index < int(job["spec"].get("completions") or 0)


def track(ctx: SyncContext, result: JobPlan, needs_flush: bool) -> None:
    """`trackJobStatusAndRemoveFinalizers` with `flushUncountedAndRemoveFinalizers`."""
    job, status, indexed = ctx.job, ctx.status, ix.is_indexed_job(ctx.job)
    uncounted = status["uncountedTerminatedPods"]
    pods = sorted(ctx.pods, key=lambda p: ix.completion_index(p) or 0) if indexed else ctx.pods
    with_finalizer = {pod_uid(p) for p in pods if has_tracking_finalizer(p)}
    needs_flush = _clean_uncounted(status, with_finalizer) or needs_flush
    unc_s, unc_f = list(uncounted.get("succeeded") or []), list(uncounted.get("failed") or [])
    new_indexes: list[int] = []
    removing: list[Obj] = []
    failing = ctx.finished is not None and ctx.finished["type"] != "SuccessCriteriaMet"
    for pod in pods:
        if not has_tracking_finalizer(pod):
            continue
        considered_failed = is_pod_failed(pod, job)
        if not _can_remove_finalizer(ctx, pod, considered_failed):
            continue
        removing.append(pod)
        uid = pod_uid(pod)
        if phase(pod) == "Succeeded" and uid not in unc_f:
            index = ix.completion_index(pod)
            if indexed:
                if valid_index(job, pod) and not ix.has_index(ctx.prev_indexes, index or 0):
                    new_indexes.append(index or 0)
                    needs_flush = True
            elif uid not in unc_s:
                unc_s.append(uid)
                needs_flush = True
        elif considered_failed or failing:
            if uid not in unc_f and (not indexed or valid_index(job, pod)):
                if counts_as_failure(job, pod):  # an Ignore rule leaves it uncounted
                    unc_f.append(uid)
                    needs_flush = True
        if len(new_indexes) + len(unc_s) + len(unc_f) >= MAX_UNCOUNTED_PODS:
            break
    uncounted["succeeded"], uncounted["failed"] = unc_s, unc_f
    _drop_empty(uncounted)
    if indexed:
        ctx.succeeded_indexes = ix.with_indexes(ctx.succeeded_indexes, new_indexes)
        text = ix.format_intervals(ctx.succeeded_indexes)
        needs_flush = needs_flush or text != status.get("completedIndexes", "")
        status["succeeded"], status["completedIndexes"] = ix.total(ctx.succeeded_indexes), text
        if ctx.failed_indexes is not None:
            failed_text = ix.format_intervals(ctx.failed_indexes)
            needs_flush = needs_flush or failed_text != status.get("failedIndexes")
            status["failedIndexes"] = failed_text
    finished = ctx.finished
    conditions = list(status.get("conditions") or [])
    if finished is not None and finished["type"] == "FailureTarget":
        status["conditions"] = [*conditions, finished]
        needs_flush = True
        finished = new_condition("Failed", "True", finished["reason"], finished["message"], ctx.now)
    elif finished is not None and finished["type"] == "SuccessCriteriaMet":
        if find_condition(conditions, "SuccessCriteriaMet") is None:
            status["conditions"] = [*conditions, finished]
            needs_flush = True
        reason, message = finished["reason"], finished["message"]
        finished = new_condition("Complete", "True", reason, message, ctx.now)
    if needs_flush:
        result.flush = _omit_empty(copy.deepcopy(status))
    result.remove_finalizers = [p["metadata"]["name"] for p in removing]
    with_finalizer -= {pod_uid(p) for p in removing}
    changed = _clean_uncounted(status, with_finalizer)
    if finished is not None and _enact_finished(ctx, finished, result):
        changed = True
    if changed:
        result.final = _omit_empty(status)


def _can_remove_finalizer(ctx: SyncContext, pod: Obj, considered_failed: bool) -> bool:
    """`canRemoveFinalizer`: the Job ends or is deleted, the pod succeeded, or it failed and
    is not the pod its index's replacement waits for (`backoffLimitPerIndex`)."""
    if ctx.job["metadata"].get("deletionTimestamp") or ctx.finished is not None:
        return True
    if phase(pod) == "Succeeded":
        return True
    if not considered_failed:
        return False
    index = ix.completion_index(pod)
    delayed = ctx.delayed.get(index) if index is not None else None
    return delayed is None or pod_uid(delayed) != pod_uid(pod)


def _clean_uncounted(status: Obj, with_finalizer: set[str]) -> bool:
    """`cleanUncountedPodsWithoutFinalizers`: count the uncounted pods whose finalizer is gone."""
    uncounted = status.setdefault("uncountedTerminatedPods", {})
    updated = False
    for key in ("succeeded", "failed"):
        uids = list(uncounted.get(key) or [])
        kept = [u for u in uids if u in with_finalizer]
        if len(kept) != len(uids):
            updated = True
            status[key] = status.get(key, 0) + len(uids) - len(kept)
            uncounted[key] = kept
    _drop_empty(uncounted)
    return updated


def _enact_finished(ctx: SyncContext, finished: Obj, result: JobPlan) -> bool:
    """`enactJobFinished`: the terminal condition once nothing is uncounted or terminating."""
    uncounted = ctx.status["uncountedTerminatedPods"]
    if uncounted.get("succeeded") or uncounted.get("failed") or ctx.terminating > 0:
        return False
    conditions, _ = ensure_condition_status(
        ctx.status.get("conditions") or [],
        finished["type"],
        "True",
        finished["reason"],
        finished["message"],
        ctx.now,
    )
    ctx.status["conditions"] = conditions
    if finished["type"] == "Complete":
        ctx.status["completionTime"] = finished["lastTransitionTime"]
        completions = ctx.job["spec"].get("completions")
        if completions is not None and ctx.status.get("succeeded", 0) > completions:
            message = "Too many succeeded pods running after completion count reached"
            result.events.append(("Warning", "TooManySucceededPods", message))
        result.events.append(("Normal", "Completed", "Job completed"))
    else:
        result.events.append(("Warning", finished["reason"], finished["message"]))
    return True


def _drop_empty(uncounted: Obj) -> None:
    for key in ("succeeded", "failed"):
        if not uncounted.get(key):
            uncounted.pop(key, None)


def _omit_empty(status: Obj) -> Obj:
    """JSON `omitempty` of the counters and `completedIndexes`, as upstream serializes them."""
    for key in ("active", "succeeded", "failed", "completedIndexes"):
        if not status.get(key):
            status.pop(key, None)
    return status
