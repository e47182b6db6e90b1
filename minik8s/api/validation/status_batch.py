"""The Job's `/status` validation, mirroring `ValidateJobUpdateStatus`, `ValidateJobStatusUpdate`
and `validateJobStatus` in upstream `pkg/apis/batch/validation/validation.go` with the options
`jobStatusStrategy` passes under v1.31's default feature gates (JobManagedBy off,
JobPodReplacementPolicy on: only `AllowForSuccessCriteriaMetInExtendedScope`).

Left out: every rule behind an option JobManagedBy turns on (terminal conditions that flip back,
decreasing counters, completionTime and startTime rules, completed/failed index formats, active
or terminating pods of a finished Job). `ValidateJobUpdateStatus`' `ValidateObjectMetaUpdate` is
the status strategy's (it runs first for every kind). A CronJob's status strategy validates
nothing beyond that upstream.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.field import OMIT, FieldError, Path, duplicate, invalid
from minik8s.api.validation.meta import validate_nonnegative_field

Obj = dict[str, Any]
STATUS = Path("status")
CONDITIONS = STATUS.child("conditions")


def is_condition_true(job: Obj, condition_type: str) -> bool:
    """upstream `IsConditionTrue` on the Job's status conditions."""
    conditions = (job.get("status") or {}).get("conditions") or []
    return any(c.get("type") == condition_type and c.get("status") == "True" for c in conditions)


def _uncounted(uncounted: Obj, path: Path) -> list[FieldError]:
    """`uncountedTerminatedPods`: no empty UID, no UID twice (across succeeded and failed)."""
    errs: list[FieldError] = []
    seen: set[str] = set()
    for key in ("succeeded", "failed"):
        for i, uid in enumerate(uncounted.get(key) or []):
            p = path.child(key).index(i)
            if uid == "":
                errs.append(invalid(p, uid, "must not be empty"))
            elif uid in seen:
                errs.append(duplicate(p, uid))
            else:
                seen.add(uid)
    return errs


def _success_criteria_rules(job: Obj) -> list[FieldError]:
    """`validateJobStatus`' SuccessCriteriaMet rules (extended scope allowed)."""
    met = is_condition_true(job, "SuccessCriteriaMet")
    errs: list[FieldError] = []
    if met and is_condition_true(job, "Failed"):
        detail = "cannot set SuccessCriteriaMet=True and Failed=true conditions"
        errs.append(invalid(CONDITIONS, OMIT, detail))
    if met and is_condition_true(job, "FailureTarget"):
        detail = "cannot set SuccessCriteriaMet=True and FailureTarget=true conditions"
        errs.append(invalid(CONDITIONS, OMIT, detail))
    has_policy = (job.get("spec") or {}).get("successPolicy") is not None
    if has_policy and not met and is_condition_true(job, "Complete"):
        detail = (
            "cannot set Complete=True for Job with SuccessPolicy unless SuccessCriteriaMet=True"
        )
        errs.append(invalid(CONDITIONS, OMIT, detail))
    return errs


def validate_job_status(job: Obj, path: Path) -> list[FieldError]:
    """upstream `validateJobStatus` (the rules on by default in 1.31)."""
    status = job.get("status") or {}
    errs: list[FieldError] = []
    for key in ("active", "succeeded", "failed"):
        errs += validate_nonnegative_field(status.get(key) or 0, path.child(key))
    for key in ("ready", "terminating"):
        if status.get(key) is not None:
            errs += validate_nonnegative_field(status[key], path.child(key))
    uncounted = status.get("uncountedTerminatedPods")
    if uncounted is not None:
        errs += _uncounted(uncounted, path.child("uncountedTerminatedPods"))
    return errs + _success_criteria_rules(job)


def validate_job_status_update(new: Obj, old: Obj) -> list[FieldError]:
    """upstream `ValidateJobStatusUpdate`: the status, then the SuccessCriteriaMet transitions."""
    errs = validate_job_status(new, STATUS)
    was_met = is_condition_true(old, "SuccessCriteriaMet")
    met = is_condition_true(new, "SuccessCriteriaMet")
    if was_met and not met:
        detail = "cannot disable the SuccessCriteriaMet=True condition"
        errs.append(invalid(CONDITIONS, OMIT, detail))
    if is_condition_true(old, "Complete") and not was_met and met:
        detail = "cannot set SuccessCriteriaMet=True for Job already has Complete=true conditions"
        errs.append(invalid(CONDITIONS, OMIT, detail))
    return errs
