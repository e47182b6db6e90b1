"""The Job controller's decision, mirroring upstream `syncJob` and `manageJob`
(`pkg/controller/job/job_controller.go`) as a pure function; the status tracking with finalizers
it ends with (`trackJobStatusAndRemoveFinalizers`) is in `job_tracking`.

`plan(job, pods, now, backoff, satisfied)` returns a `JobPlan`: which pods to delete and create,
which pods lose the `batch.kubernetes.io/job-tracking` finalizer, the status to write before
that (`flush`: newly finished pods recorded in `uncountedTerminatedPods`, the interim
`SuccessCriteriaMet`/`FailureTarget` condition) and the status after it (`final`: the uncounted
pods moved into `succeeded`/`failed`, `Complete`/`Failed` once no pod is left terminating).
Feature gates are those of current upstream: `JobPodReplacementPolicy`, `JobManagedBy`,
`JobSuccessPolicy` and `PodIndexLabel` on (so `terminating` is tracked and the terminal
condition is delayed). A `podFailurePolicy` (`job_failure_policy`) can fail the Job at once
(`FailureTarget`, reason `PodFailurePolicy`) or leave a failure uncounted (`Ignore`).
`backoffLimitPerIndex` is in `job_backoff_per_index`, `successPolicy` in `job_success_policy`.
Left out: `managedBy`, the upstream quirk of reporting `active: 0` while backing off.
"""

from __future__ import annotations

import copy
from typing import Any

from minik8s.controllers import indexed_job as ix
from minik8s.controllers import job_backoff_per_index as bpi
from minik8s.controllers import job_failure_policy as pfp
from minik8s.controllers import job_success_policy as sp
from minik8s.controllers.job_tracking import JobPlan, SyncContext, pod_uid, track, valid_index
from minik8s.controllers.job_util import (
    MAX_POD_CREATE_DELETE_PER_SYNC,
    BackoffRecord,
    active_pods_order,
    ensure_condition_status,
    find_condition,
    format_time,
    has_tracking_finalizer,
    is_pod_active,
    is_pod_failed,
    is_pod_ready,
    is_pod_terminating,
    new_backoff_record,
    new_condition,
    only_replace_failed_pods,
    parse_time,
    phase,
    remaining_backoff,
    restart_count,
)

Obj = dict[str, Any]


def _suspended(job: Obj) -> bool:
    return bool(job["spec"].get("suspend"))


def new_finished_pods(job: Obj, pods: list[Obj], uncounted: Obj) -> tuple[list, list]:
    """`getNewFinishedPods`: tracked pods that finished and are not in the uncounted lists."""
    counted_s, counted_f = set(uncounted.get("succeeded") or []), set(uncounted.get("failed") or [])
    succeeded, failed = [], []
    for pod in pods:
        if not has_tracking_finalizer(pod):
            continue
        if ix.is_indexed_job(job) and not valid_index(job, pod):
            continue
        if phase(pod) == "Succeeded" and pod_uid(pod) not in counted_s:
            succeeded.append(pod)
        if is_pod_failed(pod, job) and pod_uid(pod) not in counted_f:
            failed.append(pod)
    return succeeded, failed


def past_backoff_limit_on_failure(job: Obj, pods: list[Obj]) -> bool:
    """`pastBackoffLimitOnFailure`: container restarts of running pods reach `backoffLimit`."""
    if job["spec"].get("template", {}).get("spec", {}).get("restartPolicy") != "OnFailure":
        return False
    restarts = sum(restart_count(p) for p in pods if phase(p) in ("Running", "Pending"))
    limit = int(job["spec"].get("backoffLimit") or 0)
    return restarts > 0 if limit == 0 else restarts >= limit


def past_active_deadline(job: Obj, now: float) -> bool:
    """`pastActiveDeadline`: running (not suspended) for `activeDeadlineSeconds` or more."""
    deadline = job["spec"].get("activeDeadlineSeconds")
    start = parse_time((job.get("status") or {}).get("startTime"))
    if deadline is None or start is None or _suspended(job):
        return False
    return now - start >= deadline


def plan(job: Obj, pods: list[Obj], now: float, backoff: BackoffRecord, satisfied: bool) -> JobPlan:
    """One `syncJob` of `job` given its pods (owned, from the cache) at POSIX time `now`."""
    result = JobPlan()
    status = copy.deepcopy(job.get("status") or {})
    uncounted = status.setdefault("uncountedTerminatedPods", {})
    active_pods = [p for p in pods if is_pod_active(p)]
    ctx = SyncContext(job, pods, now, status, active_pods)
    ctx.ready = sum(1 for p in active_pods if is_pod_ready(p))
    ctx.terminating = sum(1 for p in pods if is_pod_terminating(p))
    new_succeeded, new_failed = new_finished_pods(job, pods, uncounted)
    ctx.succeeded = status.get("succeeded", 0) + len(new_succeeded)
    ctx.succeeded += len(uncounted.get("succeeded") or [])
    failed = status.get("failed", 0) + len(uncounted.get("failed") or [])
    failed += pfp.non_ignored_failed_pods_count(job, new_failed)
    if not status.get("startTime") and not _suspended(job):
        status["startTime"] = format_time(now)
    result.backoff = new_backoff_record(backoff, new_succeeded, new_failed)
    spec = job["spec"]
    criteria = find_condition(status.get("conditions") or [], "SuccessCriteriaMet")
    if criteria is not None and criteria.get("status") == "True":
        ctx.finished = criteria
    target = find_condition(status.get("conditions") or [], "FailureTarget")
    if ctx.finished is None and target is not None and target.get("status") == "True":
        ctx.finished = new_condition("Failed", "True", target["reason"], target["message"], now)
    elif ctx.finished is None and (message := pfp.fail_job_message(job, pods)) is not None:
        reason = pfp.REASON_POD_FAILURE_POLICY
        ctx.finished = new_condition("FailureTarget", "True", reason, message, now)
    timed = {**job, "status": status}
    if ctx.finished is None:
        if failed > spec.get("backoffLimit", 6) or past_backoff_limit_on_failure(job, pods):
            message = "Job has reached the specified backoff limit"
            reason = "BackoffLimitExceeded"
            ctx.finished = new_condition("FailureTarget", "True", reason, message, now)
        elif past_active_deadline(timed, now):
            message = "Job was active longer than specified deadline"
            ctx.finished = new_condition("FailureTarget", "True", "DeadlineExceeded", message, now)
        elif spec.get("activeDeadlineSeconds") is not None and not _suspended(job):
            start = parse_time(status["startTime"]) or now
            result.deadline_after = spec["activeDeadlineSeconds"] - (now - start)
    if ix.is_indexed_job(job):
        ctx.prev_indexes, ctx.succeeded_indexes = ix.succeeded_indexes(job, pods)
        ctx.succeeded = ix.total(ctx.succeeded_indexes)
        completions = int(spec.get("completions") or 0)
        if bpi.has_backoff_limit_per_index(job):
            _failed_indexes(ctx, completions)
        if ctx.finished is None:
            message, met = sp.match_success_policy(
                spec.get("successPolicy"), completions, ctx.succeeded_indexes
            )
            if met:
                reason = sp.REASON_SUCCESS_POLICY
                ctx.finished = new_condition("SuccessCriteriaMet", "True", reason, message, now)
    active = len(active_pods)
    suspend_changed = False
    if ctx.finished is not None:
        result.delete = [p["metadata"]["name"] for p in active_pods]
        result.strip_before_delete = False
        ctx.ready -= sum(1 for p in active_pods if is_pod_ready(p))
        ctx.terminating += active
        active = 0
        if not satisfied:
            ctx.finished = None
    else:
        managed = satisfied and not job["metadata"].get("deletionTimestamp")
        if managed:
            active = _manage_job(ctx, result)
        completions = spec.get("completions")
        if completions is None:
            complete = ctx.succeeded > 0 and active == 0
        else:
            complete = ctx.succeeded >= completions and active == 0
        if complete:
            message = "Reached expected number of succeeded pods"
            ctx.finished = new_condition(
                "SuccessCriteriaMet", "True", "CompletionsReached", message, now
            )
        elif managed:
            suspend_changed = _suspend_conditions(ctx, result)
    needs_flush = suspend_changed or active != status.get("active", 0)
    needs_flush = (
        needs_flush
        or ctx.ready != status.get("ready")
        or (ctx.terminating != status.get("terminating"))
    )
    status["active"], status["ready"], status["terminating"] = active, ctx.ready, ctx.terminating
    track(ctx, result, needs_flush)
    return result


def _failed_indexes(ctx: SyncContext, completions: int) -> None:
    """The failed indexes of `backoffLimitPerIndex`, the Job failures they cause, and the
    failed pods whose finalizer waits for their replacement."""
    job, now = ctx.job, ctx.now
    ctx.failed_indexes = bpi.failed_indexes(job, ctx.pods)
    failed = ix.total(ctx.failed_indexes)
    max_failed = job["spec"].get("maxFailedIndexes")
    if ctx.finished is None:
        if max_failed is not None and failed > max_failed:
            reason, message = bpi.REASON_MAX_FAILED_INDEXES, bpi.MESSAGE_MAX_FAILED_INDEXES
            ctx.finished = new_condition("FailureTarget", "True", reason, message, now)
        elif failed > 0 and failed + ix.total(ctx.succeeded_indexes) >= completions:
            reason, message = bpi.REASON_FAILED_INDEXES, bpi.MESSAGE_FAILED_INDEXES
            ctx.finished = new_condition("FailureTarget", "True", reason, message, now)
    ctx.delayed = bpi.pods_with_delayed_deletion(
        job, ctx.pods, ctx.active_pods, ctx.succeeded_indexes, ctx.failed_indexes
    )


def _manage_job(ctx: SyncContext, result: JobPlan) -> int:
    """`manageJob`: delete or create pods towards min(parallelism, remaining completions)."""
    job, spec, active = ctx.job, ctx.job["spec"], len(ctx.active_pods)
    if _suspended(job):
        victims = sorted(ctx.active_pods, key=active_pods_order)
        return _delete(ctx, result, victims, active)
    parallelism = int(spec.get("parallelism") or 0)
    if spec.get("completions") is None:
        want = active if ctx.succeeded > 0 else parallelism
    else:
        want = max(min(spec["completions"] - ctx.succeeded, parallelism), 0)
    victims = _active_pods_for_removal(job, ctx.active_pods, max(active - want, 0))
    if victims:
        return _delete(ctx, result, victims[:MAX_POD_CREATE_DELETE_PER_SYNC], active)
    terminating = ctx.terminating if only_replace_failed_pods(job) else 0
    diff = want - terminating - active
    if diff <= 0:
        return active
    per_index = bpi.has_backoff_limit_per_index(job)
    wait = 0.0 if per_index else remaining_backoff(result.backoff, ctx.now)
    if wait > 0:
        result.requeue_after = wait
        return active
    diff = min(diff, MAX_POD_CREATE_DELETE_PER_SYNC)
    if ix.is_indexed_job(job):
        held = [p for p in ctx.pods if is_pod_terminating(p)] if terminating else []
        completions = int(spec["completions"])
        pending = ix.first_pending_indexes(
            ctx.succeeded_indexes, ctx.active_pods, held, diff, completions, ctx.failed_indexes
        )
        if per_index:
            pending, wait = bpi.creation_info_for_independent_indexes(pending, ctx.delayed, ctx.now)
            if wait > 0:
                result.requeue_after = wait
                return active
            for index in pending:
                replaced = ctx.delayed.get(index)
                result.create_annotations[index] = bpi.index_failure_annotations(job, replaced)
        result.create = list(pending)
    else:
        result.create = [None] * diff
    return active + len(result.create)


def _delete(ctx: SyncContext, result: JobPlan, victims: list[Obj], active: int) -> int:
    result.delete = [p["metadata"]["name"] for p in victims]
    ctx.ready -= sum(1 for p in victims if is_pod_ready(p))
    ctx.terminating += len(victims)
    return active - len(victims)


def _active_pods_for_removal(job: Obj, pods: list[Obj], at_least: int) -> list[Obj]:
    """`activePodsForRemoval`: duplicated/invalid indexes first, then ActivePods order."""
    remove: list[Obj] = []
    left = pods
    if ix.is_indexed_job(job):
        remove, left = ix.duplicated_index_pods_for_removal(pods, int(job["spec"]["completions"]))
    if len(remove) < at_least:
        remove += sorted(left, key=active_pods_order)[: at_least - len(remove)]
    return remove


def _suspend_conditions(ctx: SyncContext, result: JobPlan) -> bool:
    """The `Suspended` condition and events; a resumed Job restarts its `startTime`."""
    conditions = ctx.status.get("conditions") or []
    if _suspended(ctx.job):
        args = ("Suspended", "True", "JobSuspended", "Job suspended")
        event = ("Normal", "Suspended", "Job suspended")
    else:
        args = ("Suspended", "False", "JobResumed", "Job resumed")
        event = ("Normal", "Resumed", "Job resumed")
    conditions, changed = ensure_condition_status(conditions, *args, ctx.now)
    if changed:
        ctx.status["conditions"] = conditions
        result.events.append(event)
        if not _suspended(ctx.job):
            ctx.status["startTime"] = format_time(ctx.now)
    return changed
