"""Job spec validation, mirroring `pkg/apis/batch/validation/validation.go` (`validateJobSpec`).

The counts, completion mode (Indexed limits), managedBy, podFailurePolicy/successPolicy presence,
podReplacementPolicy and the template's restartPolicy, shared by Jobs and CronJob job templates;
plus `ValidateJobSpec`'s selector. The policy rules themselves are `job_policies.py`'s. Left out:
the feature-gated validation options (all on, as in v1.31).
"""

from __future__ import annotations

from typing import Any

from minik8s.api.field import FieldError, Path, invalid, not_supported, required, too_long
from minik8s.api.validation.apps_common import labels_match, parse_selector_or_none
from minik8s.api.validation.job_policies import validate_pod_failure_policy, validate_success_policy
from minik8s.api.validation.meta import validate_label_selector, validate_nonnegative_field
from minik8s.api.validation.names import is_domain_prefixed_path
from minik8s.api.validation.pod import validate_pod_template_spec

Obj = dict[str, Any]
MAX_PARALLELISM_FOR_INDEXED_JOB = 100_000
MAX_FAILED_INDEXES_FOR_INDEXED_JOB = 100_000
COMPLETIONS_SOFT_LIMIT = 100_000
PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS = 10_000
MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS = 10_000
MAX_MANAGED_BY_LENGTH = 63


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


def validate_job_spec_common(spec: Obj, path: Path) -> list[FieldError]:
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
    errs = validate_job_spec_common(spec, path)
    selector = spec.get("selector")
    if selector is None:
        errs.append(required(path.child("selector")))
    else:
        errs += validate_label_selector(selector, path.child("selector"))
    parsed = parse_selector_or_none(selector)
    if parsed is not None:
        errs += labels_match(spec.get("template") or {}, parsed, path.child("template"))
    return errs
