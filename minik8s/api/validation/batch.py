"""batch/v1 validation, mirroring `pkg/apis/batch/validation/validation.go` (Job, CronJob).

The Job object rules here (generated selector and labels, Indexed pod hostnames, what an update
may change); the spec rules in `job_spec.py`, CronJob and its schedule in `batch_cronjob.py`, the
podFailurePolicy and successPolicy rules in `job_policies.py`, all importable from here. Status
rules are the status strategy's (`status_batch.py`), as upstream's `ValidateJobStatusUpdate`.
Left out: the feature-gated validation options (all on, as in v1.31).
"""

from __future__ import annotations

from minik8s.api.defaults.batch import (
    CONTROLLER_UID_LABEL,
    JOB_NAME_LABEL,
    LEGACY_CONTROLLER_UID_LABEL,
    LEGACY_JOB_NAME_LABEL,
)
from minik8s.api.field import FieldError, Path, invalid, required
from minik8s.api.labels import label_selector_as_selector
from minik8s.api.validation.batch_cronjob import (
    CRON_JOB_NAME_MAX_LENGTH,
    parse_standard_schedule,
    validate_cron_job,
    validate_cron_job_spec,
    validate_cron_job_update,
    validate_job_template_spec,
    validate_schedule_format,
    validate_time_zone,
)
from minik8s.api.validation.core import validate_core_object_meta
from minik8s.api.validation.dispatch import validates, validates_update
from minik8s.api.validation.job_spec import (
    COMPLETIONS_SOFT_LIMIT,
    MAX_FAILED_INDEXES_FOR_INDEXED_JOB,
    MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS,
    MAX_MANAGED_BY_LENGTH,
    MAX_PARALLELISM_FOR_INDEXED_JOB,
    PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS,
    Obj,
    validate_job_spec,
)
from minik8s.api.validation.meta import name_is_dns_subdomain, validate_immutable_field
from minik8s.api.validation.names import is_dns1123_label
from minik8s.api.validation.update import validate_object_meta_update

__all__ = [
    "COMPLETIONS_SOFT_LIMIT",
    "CRON_JOB_NAME_MAX_LENGTH",
    "IMMUTABLE_JOB_FIELDS",
    "MAX_FAILED_INDEXES_FOR_INDEXED_JOB",
    "MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS",
    "MAX_MANAGED_BY_LENGTH",
    "MAX_PARALLELISM_FOR_INDEXED_JOB",
    "PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS",
    "parse_standard_schedule",
    "validate_cron_job",
    "validate_cron_job_spec",
    "validate_cron_job_update",
    "validate_generated_selector",
    "validate_job",
    "validate_job_spec",
    "validate_job_template_spec",
    "validate_job_update",
    "validate_schedule_format",
    "validate_time_zone",
]

SPEC = Path("spec")
META = Path("metadata")

IMMUTABLE_JOB_FIELDS = (
    "completionMode",
    "podFailurePolicy",
    "backoffLimitPerIndex",
    "managedBy",
    "successPolicy",
)


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
