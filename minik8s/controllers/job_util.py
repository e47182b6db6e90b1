"""Pure helpers of the Job controller, mirroring upstream's `pkg/controller/job` (`utils.go`,
`backoff_utils.go`, `tracking_utils.go`) and `pkg/controller/controller_utils.go` (expectations,
the `ActivePods` deletion order).

Times are POSIX seconds (floats); `parse_time`/`format_time` convert `metav1.Time` strings.
The pod failure policy matcher is `job_failure_policy`, per-index back-off is
`job_backoff_per_index`. Left out: metrics.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from minik8s.api.podutil import is_pod_ready  # noqa: F401 (re-exported)

Obj = dict[str, Any]

JOB_TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking"
DEFAULT_JOB_POD_FAILURE_BACKOFF = 10.0  # seconds, upstream DefaultJobPodFailureBackOff
MAX_JOB_POD_FAILURE_BACKOFF = 600.0  # 10 minutes, upstream MaxJobPodFailureBackOff
MAX_UNCOUNTED_PODS = 500
MAX_POD_CREATE_DELETE_PER_SYNC = 500
EXPECTATIONS_TIMEOUT = 300.0  # upstream ExpectationsTimeout (5 minutes)


# -- time -----------------------------------------------------------------------------------------
def parse_time(value: str | None) -> float | None:
    """POSIX seconds of an RFC 3339 `metav1.Time` string (None stays None)."""
    if not value:
        return None
    text = value.replace("Z", "+00:00")
    return datetime.fromisoformat(text).timestamp()


def format_time(seconds: float) -> str:
    """`metav1.Time` as Kubernetes writes it: RFC 3339, second precision, UTC."""
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# -- pods -----------------------------------------------------------------------------------------
def phase(pod: Obj) -> str:
    return str((pod.get("status") or {}).get("phase") or "Pending")


def is_terminating(pod: Obj) -> bool:
    return bool(pod["metadata"].get("deletionTimestamp"))


def is_pod_active(pod: Obj) -> bool:
    """`controller.IsPodActive`: not finished and not being deleted."""
    return phase(pod) not in ("Succeeded", "Failed") and not is_terminating(pod)


def is_pod_terminating(pod: Obj) -> bool:
    """`controller.IsPodTerminating`: being deleted and not finished yet."""
    return phase(pod) not in ("Succeeded", "Failed") and is_terminating(pod)


def has_tracking_finalizer(pod: Obj) -> bool:
    return JOB_TRACKING_FINALIZER in (pod["metadata"].get("finalizers") or [])


def only_replace_failed_pods(job: Obj) -> bool:
    """`onlyReplaceFailedPods`: `podReplacementPolicy: Failed` (or a pod failure policy)."""
    spec = job.get("spec") or {}
    return spec.get("podReplacementPolicy") == "Failed" or spec.get("podFailurePolicy") is not None


def is_pod_failed(pod: Obj, job: Obj) -> bool:
    """`isPodFailed`: Failed, or (unless only failed pods are replaced) deleted before success."""
    if phase(pod) == "Failed":
        return True
    if only_replace_failed_pods(job):
        return False
    return is_terminating(pod) and phase(pod) != "Succeeded"


def finished_time(pod: Obj) -> float:
    """`getFinishedTime`: when all containers ended, else Ready=False, deletion, or creation."""
    finished = _finish_time_from_containers(pod)
    if finished is not None:
        return finished
    for cond in (pod.get("status") or {}).get("conditions") or []:
        if cond.get("type") == "Ready" and cond.get("status") == "False":
            when = parse_time(cond.get("lastTransitionTime"))
            if when is not None:
                return when
    deleted = parse_time(pod["metadata"].get("deletionTimestamp"))
    if deleted is not None:  # `getFinishTimeFromDeletionTimestamp`: the moment of the DELETE
        return deleted - float(pod["metadata"].get("deletionGracePeriodSeconds") or 0)
    return parse_time(pod["metadata"].get("creationTimestamp")) or 0.0


def _finish_time_from_containers(pod: Obj) -> float | None:
    """`getFinishTimeFromContainers`: the latest finish of the regular containers (None unless
    all terminated), then of the restartable (sidecar) init containers."""
    status = pod.get("status") or {}
    finished = _latest_finish_time(None, status.get("containerStatuses") or [])
    sidecars = {
        c.get("name")
        for c in (pod.get("spec") or {}).get("initContainers") or []
        if c.get("restartPolicy") == "Always"
    }
    init = [cs for cs in status.get("initContainerStatuses") or [] if cs.get("name") in sidecars]
    return _latest_finish_time(finished, init)


def _latest_finish_time(previous: float | None, statuses: list[Obj]) -> float | None:
    """`latestFinishTime`: None as soon as one container has not terminated."""
    finished = previous
    for cs in statuses:
        terminated = (cs.get("state") or {}).get("terminated") or {}
        when = parse_time(terminated.get("finishedAt"))
        if when is None:
            return None
        if finished is None or finished < when:
            finished = when
    return finished


def restart_count(pod: Obj) -> int:
    status = pod.get("status") or {}
    return sum(
        int(cs.get("restartCount") or 0)
        for key in ("initContainerStatuses", "containerStatuses")
        for cs in status.get(key) or []
    )


def active_pods_order(pod: Obj) -> tuple:
    """Sort key of `controller.ActivePods`: the pods to delete first come first.

    Unassigned < assigned, Pending < Unknown < Running, not ready < ready, more restarts first,
    newer first (upstream's ready-time comparison is left out)."""
    rank = {"Pending": 0, "Unknown": 1, "Running": 2}
    created = parse_time(pod["metadata"].get("creationTimestamp")) or 0.0
    return (
        bool((pod.get("spec") or {}).get("nodeName")),
        rank.get(phase(pod), 3),
        is_pod_ready(pod),
        -restart_count(pod),
        -created,
        pod["metadata"].get("name", ""),
    )


# -- conditions -----------------------------------------------------------------------------------
def new_condition(kind: str, status: str, reason: str, message: str, now: float) -> Obj:
    """`newCondition`: probe and transition time are both now."""
    stamp = format_time(now)
    return {
        "type": kind,
        "status": status,
        "lastProbeTime": stamp,
        "lastTransitionTime": stamp,
        "reason": reason,
        "message": message,
    }


def find_condition(conditions: list[Obj], kind: str) -> Obj | None:
    for cond in conditions:
        if cond.get("type") == kind:
            return cond
    return None


def ensure_condition_status(
    conditions: list[Obj], kind: str, status: str, reason: str, message: str, now: float
) -> tuple[list[Obj], bool]:
    """`ensureJobConditionStatus`: set or add the condition (never adds a False one)."""
    result = [dict(c) for c in conditions]
    for i, cond in enumerate(result):
        if cond.get("type") == kind:
            same = (cond.get("status"), cond.get("reason"), cond.get("message"))
            if same != (status, reason, message):
                result[i] = new_condition(kind, status, reason, message, now)
                return result, True
            return result, False
    if status != "False":
        return [*result, new_condition(kind, status, reason, message, now)], True
    return result, False


def finished_condition(job: Obj) -> str | None:
    """`Complete` or `Failed` when that condition is True (`IsJobFinished`), else None."""
    for cond in (job.get("status") or {}).get("conditions") or []:
        if cond.get("type") in ("Complete", "Failed") and cond.get("status") == "True":
            return str(cond["type"])
    return None


def finish_time(job: Obj) -> float | None:
    """When a finished Job finished: its Complete/Failed condition's transition time."""
    for cond in (job.get("status") or {}).get("conditions") or []:
        if cond.get("type") in ("Complete", "Failed") and cond.get("status") == "True":
            return parse_time(cond.get("lastTransitionTime"))
    return None


# -- pod failure back-off -------------------------------------------------------------------------
@dataclass(frozen=True)
class BackoffRecord:
    """upstream `backoffRecord`: failures since the last success and when the last one was."""

    failures_after_last_success: int = 0
    last_failure_time: float | None = None


def new_backoff_record(
    old: BackoffRecord, new_succeeded: list[Obj], new_failed: list[Obj]
) -> BackoffRecord:
    """`newBackoffRecord`: fold newly finished pods into the record."""
    succeeded = sorted(finished_time(p) for p in new_succeeded)
    failed = sorted(finished_time(p) for p in new_failed)
    if not succeeded:
        if not failed:
            return old
        return BackoffRecord(old.failures_after_last_success + len(failed), failed[-1])
    last_success = succeeded[-1]
    after = [t for t in failed if t > last_success]
    return BackoffRecord(len(after), after[-1] if after else None)


def remaining_backoff(
    record: BackoffRecord,
    now: float,
    default: float = DEFAULT_JOB_POD_FAILURE_BACKOFF,
    maximum: float = MAX_JOB_POD_FAILURE_BACKOFF,
) -> float:
    """`getRemainingTimeForFailuresCount`: 10 s doubling per failure, capped at 10 minutes."""
    if record.failures_after_last_success == 0 or record.last_failure_time is None:
        return 0.0
    backoff = default
    for _ in range(1, record.failures_after_last_success):
        backoff *= 2
        if backoff >= maximum:
            backoff = maximum
            break
    elapsed = now - record.last_failure_time
    return 0.0 if backoff < elapsed else backoff - elapsed


# -- expectations ---------------------------------------------------------------------------------
@dataclass
class _Expectation:
    add: int
    delete: int
    timestamp: float


@dataclass
class ControllerExpectations:
    """upstream `ControllerExpectations`: creations/deletions a controller waits to observe.

    A key is satisfied when nothing is pending, when it was never set, or after 5 minutes."""

    clock: Any = None  # a callable returning now (seconds)
    _store: dict[str, _Expectation] = field(default_factory=dict)

    def __repr__(self) -> str:
        pending = {k: (e.add, e.delete) for k, e in sorted(self._store.items())}
        return f"ControllerExpectations({pending})"

    def _now(self) -> float:
        return float(self.clock()) if self.clock is not None else 0.0

    def satisfied(self, key: str) -> bool:
        exp = self._store.get(key)
        if exp is None:
            return True
        if exp.add <= 0 and exp.delete <= 0:
            return True
        return self._now() - exp.timestamp > EXPECTATIONS_TIMEOUT

    def expect(self, key: str, add: int = 0, delete: int = 0) -> None:
        """`SetExpectations` (`ExpectCreations`/`ExpectDeletions`)."""
        self._store[key] = _Expectation(add, delete, self._now())

    def lower(self, key: str, add: int = 0, delete: int = 0) -> None:
        """`LowerExpectations`: `CreationObserved`/`DeletionObserved`."""
        exp = self._store.get(key)
        if exp is not None:
            exp.add -= add
            exp.delete -= delete

    def delete_expectations(self, key: str) -> None:
        self._store.pop(key, None)
