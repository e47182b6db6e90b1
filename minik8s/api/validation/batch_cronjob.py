"""CronJob validation, mirroring `pkg/apis/batch/validation/validation.go` (`ValidateCronJob*`).

`parse_standard_schedule` ports the parts of robfig/cron v3's `ParseStandard` that decide
validity, with its error messages, because upstream puts them verbatim in
`spec.schedule: Invalid value: ...`; `validate_time_zone` checks an IANA name as Go's
`time.LoadLocation` would. The job template reuses `job_spec.py`'s rules.
"""

from __future__ import annotations

import re
import zoneinfo

from minik8s.api.cron_parser import parse as parse_cron
from minik8s.api.field import FieldError, Path, invalid, not_supported, required
from minik8s.api.validation.core import validate_core_object_meta
from minik8s.api.validation.dispatch import validates, validates_update
from minik8s.api.validation.job_spec import Obj, validate_job_spec_common
from minik8s.api.validation.meta import name_is_dns_subdomain, validate_nonnegative_field
from minik8s.api.validation.update import validate_object_meta_update

SPEC = Path("spec")
META = Path("metadata")
CRON_JOB_NAME_MAX_LENGTH = 52  # 63 minus the 11-character `-<timestamp>` suffix of its Jobs


def parse_standard_schedule(spec: str) -> None:
    """Raise ValueError (robfig's message) unless `spec` is a valid standard cron schedule."""
    parse_cron(spec)


def validate_schedule_format(
    schedule: str, allow_tz: bool, time_zone: str | None, path: Path
) -> list[FieldError]:
    """upstream `validateScheduleFormat`: robfig syntax, and TZ= only via the timeZone field."""
    errs: list[FieldError] = []
    try:
        parse_standard_schedule(schedule)
    except ValueError as error:
        errs.append(invalid(path, schedule, str(error)))
    if allow_tz and "TZ" in schedule and time_zone is not None:
        detail = "cannot use both timeZone field and TZ or CRON_TZ in schedule"
        errs.append(invalid(path, schedule, detail))
    elif not allow_tz and "TZ" in schedule:
        detail = "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"
        errs.append(invalid(path, schedule, detail))
    return errs


_TZ_PART = re.compile(r"[A-Za-z.\-_0-9+]{1,14}")


def validate_time_zone(time_zone: str | None, path: Path) -> list[FieldError]:
    """upstream `validateTimeZone`: an explicit IANA zone name."""
    if time_zone is None:
        return []
    if not time_zone:
        return [invalid(path, time_zone, "timeZone must be nil or non-empty string")]
    for part in time_zone.split("/"):
        if part in (".", "..") or part.startswith("-") or not _TZ_PART.fullmatch(part):
            return [invalid(path, time_zone, f"unknown time zone {time_zone}")]
    errs: list[FieldError] = []
    if time_zone.lower() == "local":
        detail = (
            "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"
        )
        errs.append(invalid(path, time_zone, detail))
    if time_zone == "Local":  # Go's time.LoadLocation knows "Local" (only that spelling)
        return errs
    try:
        zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        errs.append(invalid(path, time_zone, f"unknown time zone {time_zone}"))
    return errs


def validate_job_template_spec(template: Obj, path: Path) -> list[FieldError]:
    """upstream `ValidateJobTemplateSpec`: a Job spec whose selector will be generated."""
    spec = template.get("spec") or {}
    errs = validate_job_spec_common(spec, path.child("spec"))
    if spec.get("selector") is not None:
        detail = "`selector` will be auto-generated"
        errs.append(invalid(path.child("spec", "selector"), spec["selector"], detail))
    if spec.get("manualSelector"):
        errs.append(not_supported(path.child("spec", "manualSelector"), True, ("nil", "false")))
    return errs


def validate_cron_job_spec(spec: Obj, old_spec: Obj | None, path: Path) -> list[FieldError]:
    """upstream `validateCronJobSpec`."""
    errs: list[FieldError] = []
    schedule, time_zone = spec.get("schedule") or "", spec.get("timeZone")
    if not schedule:
        errs.append(required(path.child("schedule")))
    else:
        allow_tz = old_spec is not None and "TZ" in (old_spec.get("schedule") or "")
        errs += validate_schedule_format(schedule, allow_tz, time_zone, path.child("schedule"))
    if spec.get("startingDeadlineSeconds") is not None:
        deadline_path = path.child("startingDeadlineSeconds")
        errs += validate_nonnegative_field(spec["startingDeadlineSeconds"], deadline_path)
    if old_spec is None or old_spec.get("timeZone") != time_zone:
        errs += validate_time_zone(time_zone, path.child("timeZone"))
    policy = spec.get("concurrencyPolicy") or ""
    if not policy:
        errs.append(required(path.child("concurrencyPolicy")))
    elif policy not in ("Allow", "Forbid", "Replace"):
        errs.append(
            not_supported(path.child("concurrencyPolicy"), policy, ("Allow", "Forbid", "Replace"))
        )
    errs += validate_job_template_spec(spec.get("jobTemplate") or {}, path.child("jobTemplate"))
    for key in ("successfulJobsHistoryLimit", "failedJobsHistoryLimit"):
        if spec.get(key) is not None:
            errs += validate_nonnegative_field(spec[key], path.child(key))
    return errs


@validates("CronJob")
def validate_cron_job(obj: Obj) -> list[FieldError]:
    """upstream `ValidateCronJobCreate` (meta, spec, name at most 52 characters)."""
    errs = validate_core_object_meta(obj, True, name_is_dns_subdomain)
    errs += validate_cron_job_spec(obj.get("spec") or {}, None, SPEC)
    name = (obj.get("metadata") or {}).get("name", "")
    if len(name) > CRON_JOB_NAME_MAX_LENGTH:
        errs.append(invalid(META.child("name"), name, "must be no more than 52 characters"))
    return errs


@validates_update("CronJob", replaces_create=True)
def validate_cron_job_update(new: Obj, old: Obj) -> list[FieldError]:
    """upstream `ValidateCronJobUpdate`: the spec against the old one (a kept `TZ=` schedule
    stays valid, a kept time zone is not re-checked); no 52-character name limit, so CronJobs
    created before it can still be updated and deleted."""
    errs = validate_object_meta_update(new, old)
    return errs + validate_cron_job_spec(new.get("spec") or {}, old.get("spec") or {}, SPEC)
