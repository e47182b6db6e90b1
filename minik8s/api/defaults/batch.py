"""batch/v1 defaults, mirroring `pkg/apis/batch/v1/defaults.go` (+ generated template defaulters).

Also `job_generate_selector`, the selector generation upstream's Job REST strategy does in
`PrepareForCreate` (`pkg/registry/batch/job/strategy.go`), for the API server to call once the
Job has its name and uid. A CronJob's `jobTemplate.spec` is not Job-defaulted (only its pod
template), exactly as upstream.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.defaults import defaults_for
from minik8s.api.defaults.pod import child, set_defaults_pod_template, zero_object_meta

Obj = dict[str, Any]

MAX_INT32 = 2**31 - 1
LEGACY_JOB_NAME_LABEL = "job-name"
JOB_NAME_LABEL = "batch.kubernetes.io/job-name"
LEGACY_CONTROLLER_UID_LABEL = "controller-uid"
CONTROLLER_UID_LABEL = "batch.kubernetes.io/controller-uid"


@defaults_for("Job")
def set_defaults_job(obj: Obj) -> None:
    """`SetDefaults_Job`: completions/parallelism 1, backoffLimit 6, NonIndexed, not suspended."""
    spec = child(obj, "spec")
    if spec.get("completions") is None and spec.get("parallelism") is None:
        spec["completions"] = 1
        spec["parallelism"] = 1
    if spec.get("parallelism") is None:
        spec["parallelism"] = 1
    if spec.get("backoffLimit") is None:
        per_index = spec.get("backoffLimitPerIndex") is not None
        spec["backoffLimit"] = MAX_INT32 if per_index else 6
    template = child(spec, "template")
    labels = (template.get("metadata") or {}).get("labels")
    meta = child(obj, "metadata")
    if labels is not None and not meta.get("labels"):
        meta["labels"] = dict(labels)
    if spec.get("completionMode") is None:
        spec["completionMode"] = "NonIndexed"
    if spec.get("suspend") is None:
        spec["suspend"] = False
    policy = spec.get("podFailurePolicy")
    for rule in (policy or {}).get("rules") or []:
        for pattern in rule.get("onPodConditions") or []:
            if not pattern.get("status"):
                pattern["status"] = "True"
    if spec.get("podReplacementPolicy") is None:
        spec["podReplacementPolicy"] = "Failed" if policy is not None else "TerminatingOrFailed"
    set_defaults_pod_template(template)


@defaults_for("CronJob")
def set_defaults_cron_job(obj: Obj) -> None:
    """`SetDefaults_CronJob`: Allow, not suspended, keep 3 successful and 1 failed Job."""
    spec = child(obj, "spec")
    if not spec.get("concurrencyPolicy"):
        spec["concurrencyPolicy"] = "Allow"
    if spec.get("suspend") is None:
        spec["suspend"] = False
    if spec.get("successfulJobsHistoryLimit") is None:
        spec["successfulJobsHistoryLimit"] = 3
    if spec.get("failedJobsHistoryLimit") is None:
        spec["failedJobsHistoryLimit"] = 1
    job_template = child(spec, "jobTemplate")
    zero_object_meta(job_template)
    job_spec = child(job_template, "spec")
    set_defaults_pod_template(child(job_spec, "template"))


def job_generate_selector(job: Obj) -> Obj:
    """Upstream `generateSelectorIfNeeded`: unless `spec.manualSelector`, label the template with
    the job name and uid and select `batch.kubernetes.io/controller-uid=<uid>` (in place).

    Then defaults again, as upstream's decode-on-read does, so a Job created without labels shows
    the generated ones in `metadata.labels` exactly like on a real cluster."""
    spec = child(job, "spec")
    if spec.get("manualSelector"):
        return job
    meta = job.get("metadata") or {}
    name, uid = meta.get("name", ""), meta.get("uid", "")
    template_meta = child(child(spec, "template"), "metadata")
    labels = child(template_meta, "labels")
    for key in (LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL):
        labels.setdefault(key, name)  # a user-set value is kept; validation rejects a conflict
    for key in (LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL):
        labels.setdefault(key, uid)
    match_labels = child(child(spec, "selector"), "matchLabels")
    match_labels.setdefault(CONTROLLER_UID_LABEL, uid)
    set_defaults_job(job)  # upstream re-defaults on read: an unlabelled Job gets these labels
    return job
