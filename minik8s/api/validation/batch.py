"""batch/v1 validation, mirroring `pkg/apis/batch/validation/validation.go` (Job, CronJob).

`parse_standard_schedule` ports the parts of robfig/cron v3's `ParseStandard` that decide
validity, with its error messages, because upstream puts them verbatim in
`spec.schedule: Invalid value: ...`. The podFailurePolicy and successPolicy rules are
`job_policies.py`'s. Status rules are the status strategy's (`status_batch.py`), as upstream's
`ValidateJobStatusUpdate`. Left out: the feature-gated validation options (all on, as in v1.31).
"""

from __future__ import annotations

import re
import zoneinfo
from typing import Any

from minik8s.api.cron_parser import parse as parse_cron
from minik8s.api.defaults.batch import (
    CONTROLLER_UID_LABEL,
    JOB_NAME_LABEL,
    LEGACY_CONTROLLER_UID_LABEL,
    LEGACY_JOB_NAME_LABEL,
)
from minik8s.api.field import FieldError, Path, invalid, not_supported, required, too_long
from minik8s.api.labels import label_selector_as_selector
from minik8s.api.validation.core import validate_core_object_meta
from minik8s.api.validation.dispatch import validates, validates_update
from minik8s.api.validation.job_policies import validate_pod_failure_policy, validate_success_policy
from minik8s.api.validation.meta import (
    name_is_dns_subdomain,
    validate_immutable_field,
    validate_label_selector,
    validate_nonnegative_field,
)
from minik8s.api.validation.names import is_dns1123_label, is_domain_prefixed_path
from minik8s.api.validation.pod import validate_pod_template_spec
from minik8s.api.validation.update import validate_object_meta_update

Obj = dict[str, Any]
SPEC = Path("spec")
META = Path("metadata")
MAX_PARALLELISM_FOR_INDEXED_JOB = 100_000
MAX_FAILED_INDEXES_FOR_INDEXED_JOB = 100_000
COMPLETIONS_SOFT_LIMIT = 100_000
PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS = 10_000
MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS = 10_000
MAX_MANAGED_BY_LENGTH = 63
CRON_JOB_NAME_MAX_LENGTH = 52  # 63 minus the 11-character `-<timestamp>` suffix of its Jobs

# --- cron schedules (robfig/cron v3 ParseStandard) ----------------------------------------------


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


# --- Job ----------------------------------------------------------------------------------------


def _validate_high_completions(spec: Obj, path: Path) -> list[FieldError]:
    """An Indexed Job above 100000 completions with backoffLimitPerIndex: tighter limits."""
    completions, parallelism = spec.get("completions"), spec.get("parallelism")
    max_failed = spec.get("maxFailedIndexes")
    if completions is None or completions <= COMPLETIONS_SOFT_LIMIT:
        return []
    if spec.get("backoffLimitPerIndex") is None:
        return []
    errs: list[FieldError] = []
    suffix = (
        f"when completions are above {COMPLETIONS_SOFT_LIMIT} and used with backoff limit per index"
    )
    if max_failed is None:
        detail = f"must be specified when completions is above {COMPLETIONS_SOFT_LIMIT}"
        errs.append(required(path.child("maxFailedIndexes"), detail))
    if parallelism is not None and parallelism > PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS:
        detail = f"must be less than or equal to {PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS} {suffix}"
        errs.append(invalid(path.child("parallelism"), parallelism, detail))
    if max_failed is not None and max_failed > MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS:
        limit = MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS
        detail = f"must be less than or equal to {limit} {suffix}"
        errs.append(invalid(path.child("maxFailedIndexes"), max_failed, detail))
    return errs


def _validate_indexed(spec: Obj, path: Path) -> list[FieldError]:
    """The completionMode rules of upstream `validateJobSpec`, in its order."""
    errs: list[FieldError] = []
    mode = spec.get("completionMode")
    if mode is not None and mode not in ("NonIndexed", "Indexed"):
        errs.append(not_supported(path.child("completionMode"), mode, ("NonIndexed", "Indexed")))
    if mode == "Indexed":
        if spec.get("completions") is None:
            errs.append(required(path.child("completions"), "when completion mode is Indexed"))
        parallelism = spec.get("parallelism")
        if parallelism is not None and parallelism > MAX_PARALLELISM_FOR_INDEXED_JOB:
            limit = MAX_PARALLELISM_FOR_INDEXED_JOB
            detail = f"must be less than or equal to {limit} when completion mode is Indexed"
            errs.append(invalid(path.child("parallelism"), parallelism, detail))
        completions, max_failed = spec.get("completions"), spec.get("maxFailedIndexes")
        if completions is not None and max_failed is not None and max_failed > completions:
            detail = "must be less than or equal to completions"
            errs.append(invalid(path.child("maxFailedIndexes"), max_failed, detail))
        if max_failed is not None and max_failed > MAX_FAILED_INDEXES_FOR_INDEXED_JOB:
            detail = f"must be less than or equal to {MAX_FAILED_INDEXES_FOR_INDEXED_JOB}"
            errs.append(invalid(path.child("maxFailedIndexes"), max_failed, detail))
        errs += _validate_high_completions(spec, path)
    else:
        for key in ("backoffLimitPerIndex", "maxFailedIndexes"):
            if spec.get(key) is not None:
                errs.append(invalid(path.child(key), spec[key], "requires indexed completion mode"))
    return errs


def _validate_managed_by(spec: Obj, path: Path) -> list[FieldError]:
    managed_by = spec.get("managedBy")
    if managed_by is None:
        return []
    errs = is_domain_prefixed_path(path.child("managedBy"), managed_by)
    if len(managed_by) > MAX_MANAGED_BY_LENGTH:
        errs.append(too_long(path.child("managedBy"), managed_by, MAX_MANAGED_BY_LENGTH))
    return errs


IMMUTABLE_JOB_FIELDS = (
    "completionMode",
    "podFailurePolicy",
    "backoffLimitPerIndex",
    "managedBy",
    "successPolicy",
)


def _validate_job_spec_common(spec: Obj, path: Path) -> list[FieldError]:
    """upstream `validateJobSpec`: counts, completion mode, template, restart policy."""
    errs: list[FieldError] = []
    for key in (
        "parallelism",
        "completions",
        "activeDeadlineSeconds",
        "backoffLimit",
        "ttlSecondsAfterFinished",
        "backoffLimitPerIndex",
        "maxFailedIndexes",
    ):
        if spec.get(key) is not None:
            errs += validate_nonnegative_field(spec[key], path.child(key))
    if spec.get("maxFailedIndexes") is not None and spec.get("backoffLimitPerIndex") is None:
        detail = "when maxFailedIndexes is specified"
        errs.append(required(path.child("backoffLimitPerIndex"), detail))
    errs += _validate_managed_by(spec, path) + _validate_indexed(spec, path)
    if spec.get("podFailurePolicy") is not None:
        errs += validate_pod_failure_policy(spec, path.child("podFailurePolicy"))
    if spec.get("successPolicy") is not None:
        if spec.get("completionMode") != "Indexed":
            detail = "requires indexed completion mode"
            errs.append(invalid(path.child("successPolicy"), spec["successPolicy"], detail))
        else:
            errs += validate_success_policy(spec, path.child("successPolicy"))
    replacement, failure_policy = spec.get("podReplacementPolicy"), spec.get("podFailurePolicy")
    if replacement is not None:
        valid = ("Failed",) if failure_policy is not None else ("Failed", "TerminatingOrFailed")
        if replacement not in valid:
            errs.append(not_supported(path.child("podReplacementPolicy"), replacement, valid))
    template = spec.get("template") or {}
    errs += validate_pod_template_spec(template, path.child("template"))
    policy = (template.get("spec") or {}).get("restartPolicy", "")
    policy_path = path.child("template", "spec", "restartPolicy")
    if policy in ("Always", ""):
        errs.append(required(policy_path, 'valid values: "OnFailure", "Never"'))
    elif policy not in ("OnFailure", "Never"):
        errs.append(not_supported(policy_path, policy, ("OnFailure", "Never")))
    elif failure_policy is not None and policy != "Never":
        detail = 'only "Never" is supported when podFailurePolicy is specified'
        errs.append(invalid(policy_path, policy, detail))
    return errs


def validate_job_spec(spec: Obj, path: Path) -> list[FieldError]:
    """upstream `ValidateJobSpec`: plus a selector that matches the template's labels."""
    errs = _validate_job_spec_common(spec, path)
    selector = spec.get("selector")
    if selector is None:
        errs.append(required(path.child("selector")))
    else:
        errs += validate_label_selector(selector, path.child("selector"))
    try:
        parsed = label_selector_as_selector(selector)
    except ValueError:
        return errs
    labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
    if not parsed.matches(labels):
        detail = "`selector` does not match template `labels`"
        errs.append(invalid(path.child("template", "metadata", "labels"), labels, detail))
    return errs


def _has_label(labels: dict[str, str], key: str, expected: str) -> list[FieldError]:
    """upstream `ValidateHasLabel` on `spec.template.metadata`."""
    path = SPEC.child("template", "metadata", "labels").key(key)
    if key not in labels:
        return [required(path, expected)]
    if labels[key] != expected:
        return [invalid(path, labels, f"must be '{expected}'")]
    return []


def validate_generated_selector(job: Obj, require_prefixed: bool = True) -> list[FieldError]:
    """upstream `validateGeneratedSelector`: the generated labels and selector are intact."""
    spec = job.get("spec") or {}
    if spec.get("manualSelector") or spec.get("selector") is None:
        return []
    meta = job.get("metadata") or {}
    name, uid = meta.get("name", ""), meta.get("uid", "")
    errs: list[FieldError] = [] if uid else [required(META.child("uid"))]
    labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
    errs += _has_label(labels, LEGACY_CONTROLLER_UID_LABEL, uid)
    errs += _has_label(labels, LEGACY_JOB_NAME_LABEL, name)
    expected = {LEGACY_CONTROLLER_UID_LABEL: uid, LEGACY_JOB_NAME_LABEL: name}
    if require_prefixed:
        errs += _has_label(labels, CONTROLLER_UID_LABEL, uid)
        errs += _has_label(labels, JOB_NAME_LABEL, name)
        expected = {CONTROLLER_UID_LABEL: uid, JOB_NAME_LABEL: name}
    try:
        if not label_selector_as_selector(spec["selector"]).matches(expected):
            errs.append(
                invalid(SPEC.child("selector"), spec["selector"], "`selector` not auto-generated")
            )
    except ValueError:
        pass
    return errs


@validates("Job")
def validate_job(job: Obj) -> list[FieldError]:
    """upstream `ValidateJob` of a new Job (the prefixed generated labels required)."""
    return _validate_job(job, require_prefixed_labels=True)


def _validate_job(job: Obj, require_prefixed_labels: bool) -> list[FieldError]:
    """upstream `ValidateJob`: meta, generated selector, spec, Indexed pod hostnames."""
    errs = validate_core_object_meta(job, True, name_is_dns_subdomain)
    errs += validate_generated_selector(job, require_prefixed_labels)
    spec = job.get("spec") or {}
    errs += validate_job_spec(spec, SPEC)
    completions = spec.get("completions")
    if spec.get("completionMode") == "Indexed" and completions is not None and completions > 0:
        name = (job.get("metadata") or {}).get("name", "")
        hostname = f"{name}-{completions - 1}"
        if is_dns1123_label(hostname):
            detail = f"will not able to create pod with invalid DNS label: {hostname}"
            errs.append(invalid(META.child("name"), name, detail))
    return errs


def _scheduling_munged(template: Obj, old_template: Obj) -> Obj:
    """The old template with the scheduling directives a suspended, unstarted Job may change."""
    munged = {**old_template, "metadata": dict(old_template.get("metadata") or {})}
    munged_spec = dict(old_template.get("spec") or {})
    new_meta, new_spec = template.get("metadata") or {}, template.get("spec") or {}
    for key in ("labels", "annotations"):
        munged["metadata"].pop(key, None)
        if key in new_meta:
            munged["metadata"][key] = new_meta[key]
    for key in ("nodeSelector", "tolerations", "schedulingGates"):
        munged_spec.pop(key, None)
        if key in new_spec:
            munged_spec[key] = new_spec[key]
    affinity = {
        k: v for k, v in (munged_spec.pop("affinity", None) or {}).items() if k != "nodeAffinity"
    }
    new_node_affinity = (new_spec.get("affinity") or {}).get("nodeAffinity")
    if new_node_affinity is not None:
        affinity["nodeAffinity"] = new_node_affinity
    if affinity or "affinity" in new_spec:
        munged_spec["affinity"] = affinity
    munged["spec"] = munged_spec
    return munged


def _had_prefixed_labels(job: Obj) -> bool:
    """upstream `validationOptionsForJob`: require the prefixed labels only if the old Job had
    them (Jobs created before they existed may still be updated)."""
    template = (job.get("spec") or {}).get("template") or {}
    labels = (template.get("metadata") or {}).get("labels") or {}
    return JOB_NAME_LABEL in labels and CONTROLLER_UID_LABEL in labels


@validates_update("Job", replaces_create=True)
def validate_job_update(new: Obj, old: Obj) -> list[FieldError]:
    """upstream job strategy `ValidateUpdate`: `ValidateJob` (with options from the old Job)
    plus `ValidateJobUpdate`: selector, completionMode, template (mostly) immutable."""
    errs = _validate_job(new, _had_prefixed_labels(old))
    errs += validate_object_meta_update(new, old)
    spec, old_spec = new.get("spec") or {}, old.get("spec") or {}
    completions, old_completions = spec.get("completions"), old_spec.get("completions")
    if spec.get("completionMode") != "Indexed":
        errs += validate_immutable_field(completions, old_completions, SPEC.child("completions"))
    elif (
        completions != old_completions
        and completions is not None
        and completions != spec.get("parallelism")
    ):
        detail = "can only be modified in tandem with spec.parallelism"
        errs.append(invalid(SPEC.child("completions"), completions, detail))
    errs += validate_immutable_field(
        spec.get("selector"), old_spec.get("selector"), SPEC.child("selector")
    )
    template, old_template = spec.get("template") or {}, old_spec.get("template") or {}
    started = ((old.get("status") or {}).get("startTime")) is not None
    if old_spec.get("suspend") and not started:
        old_template = _scheduling_munged(template, old_template)
    errs += validate_immutable_field(template, old_template, SPEC.child("template"))
    for key in IMMUTABLE_JOB_FIELDS:
        errs += validate_immutable_field(spec.get(key), old_spec.get(key), SPEC.child(key))
    return errs  # (status: the status strategy's, `status_batch.py`)


# --- CronJob ------------------------------------------------------------------------------------


def validate_job_template_spec(template: Obj, path: Path) -> list[FieldError]:
    """upstream `ValidateJobTemplateSpec`: a Job spec whose selector will be generated."""
    spec = template.get("spec") or {}
    errs = _validate_job_spec_common(spec, path.child("spec"))
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
