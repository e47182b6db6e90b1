"""batch/v1 validation: representative cases of upstream `pkg/apis/batch/validation/
validation_test.go` (TestValidateJob, TestValidateJobUpdate, TestValidateCronJob,
TestValidateCronJobSpec) and robfig/cron's ParseStandard behaviour."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from croniter import croniter

from minik8s.api.defaults import apply_defaults
from minik8s.api.defaults.batch import job_generate_selector
from minik8s.api.validation import validate_object, validate_object_update
from minik8s.api.validation.batch import parse_standard_schedule
from minik8s.apiserver.status_strategy import validate_status_update

Obj = dict[str, Any]
UID = "1a2b3c"


def pod_template(**spec: Any) -> Obj:
    return {
        "spec": {
            "containers": [{"name": "work", "image": "busybox:1.36"}],
            "restartPolicy": "OnFailure",
            **spec,
        }
    }


def job(name: str = "myjob", **spec: Any) -> Obj:
    obj: Obj = {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": name, "namespace": "default", "uid": UID},
        "spec": {"template": pod_template(), **spec},
    }
    apply_defaults(obj)
    return job_generate_selector(obj)


def cron_job(name: str = "mycronjob", **spec: Any) -> Obj:
    obj: Obj = {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": name, "namespace": "default", "uid": UID},
        "spec": {
            "schedule": "* * * * ?",
            "jobTemplate": {"spec": {"template": pod_template()}},
            **spec,
        },
    }
    return apply_defaults(obj)


def fields(obj: Obj) -> set[tuple[str, str]]:
    return {(e.type, e.field) for e in validate_object(obj)}


def test_valid_pod_failure_policy() -> None:
    policy = {
        "rules": [
            {
                "action": "FailJob",
                "onExitCodes": {"containerName": "work", "operator": "In", "values": [1, 42]},
            },
            {"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget"}]},
        ]
    }
    obj = job(template=pod_template(restartPolicy="Never"), podFailurePolicy=policy)
    assert validate_object(obj) == []


def test_valid_jobs() -> None:
    assert validate_object(job()) == []
    assert validate_object(job(completionMode="Indexed", completions=3, parallelism=2)) == []
    manual = job(
        manualSelector=True,
        selector={"matchLabels": {"a": "b"}},
        template={**pod_template(), "metadata": {"labels": {"a": "b"}}},
    )
    assert validate_object(manual) == []


JOB_ERRORS = [
    ("negative parallelism", {"parallelism": -1}, ("Invalid value", "spec.parallelism")),
    ("negative completions", {"completions": -1}, ("Invalid value", "spec.completions")),
    (
        "negative activeDeadlineSeconds",
        {"activeDeadlineSeconds": -1},
        ("Invalid value", "spec.activeDeadlineSeconds"),
    ),
    ("negative backoffLimit", {"backoffLimit": -1}, ("Invalid value", "spec.backoffLimit")),
    (
        "negative ttlSecondsAfterFinished",
        {"ttlSecondsAfterFinished": -1},
        ("Invalid value", "spec.ttlSecondsAfterFinished"),
    ),
    (
        "restartPolicy Always",
        {"template": pod_template(restartPolicy="Always")},
        ("Required value", "spec.template.spec.restartPolicy"),
    ),
    (
        "restartPolicy unknown",
        {"template": pod_template(restartPolicy="Sometimes")},
        ("Unsupported value", "spec.template.spec.restartPolicy"),
    ),
    (
        "maxFailedIndexes needs Indexed",
        {"backoffLimitPerIndex": 1, "maxFailedIndexes": 1},
        ("Invalid value", "spec.maxFailedIndexes"),
    ),
    (
        "maxFailedIndexes above completions",
        {
            "completionMode": "Indexed",
            "completions": 2,
            "backoffLimitPerIndex": 1,
            "maxFailedIndexes": 3,
        },
        ("Invalid value", "spec.maxFailedIndexes"),
    ),
    (
        "successPolicy needs Indexed",
        {"successPolicy": {"rules": [{"succeededCount": 1}]}},
        ("Invalid value", "spec.successPolicy"),
    ),
    (
        "pod failure policy: unknown action",
        {
            "template": pod_template(restartPolicy="Never"),
            "podFailurePolicy": {
                "rules": [{"action": "Explode", "onExitCodes": {"operator": "In", "values": [1]}}]
            },
        },
        ("Unsupported value", "spec.podFailurePolicy.rules[0].action"),
    ),
    (
        "pod failure policy: FailIndex without backoffLimitPerIndex",
        {
            "template": pod_template(restartPolicy="Never"),
            "podFailurePolicy": {
                "rules": [{"action": "FailIndex", "onExitCodes": {"operator": "In", "values": [1]}}]
            },
        },
        ("Invalid value", "spec.podFailurePolicy.rules[0].action"),
    ),
    (
        "pod failure policy: exit code 0 with In",
        {
            "template": pod_template(restartPolicy="Never"),
            "podFailurePolicy": {
                "rules": [
                    {"action": "FailJob", "onExitCodes": {"operator": "In", "values": [0, 1]}}
                ]
            },
        },
        ("Invalid value", "spec.podFailurePolicy.rules[0].onExitCodes.values[0]"),
    ),
    (
        "pod failure policy: unordered exit codes",
        {
            "template": pod_template(restartPolicy="Never"),
            "podFailurePolicy": {
                "rules": [
                    {"action": "FailJob", "onExitCodes": {"operator": "NotIn", "values": [2, 1]}}
                ]
            },
        },
        ("Invalid value", "spec.podFailurePolicy.rules[0].onExitCodes.values"),
    ),
    (
        "pod failure policy: unknown container",
        {
            "template": pod_template(restartPolicy="Never"),
            "podFailurePolicy": {
                "rules": [
                    {
                        "action": "FailJob",
                        "onExitCodes": {"containerName": "nope", "operator": "In", "values": [1]},
                    }
                ]
            },
        },
        ("Invalid value", "spec.podFailurePolicy.rules[0].onExitCodes.containerName"),
    ),
    (
        "pod failure policy: neither requirement",
        {
            "template": pod_template(restartPolicy="Never"),
            "podFailurePolicy": {"rules": [{"action": "Ignore"}]},
        },
        ("Invalid value", "spec.podFailurePolicy.rules[0]"),
    ),
    (
        "pod failure policy: bad condition status",
        {
            "template": pod_template(restartPolicy="Never"),
            "podFailurePolicy": {
                "rules": [
                    {
                        "action": "Ignore",
                        "onPodConditions": [{"type": "DisruptionTarget", "status": "Maybe"}],
                    }
                ]
            },
        },
        ("Unsupported value", "spec.podFailurePolicy.rules[0].onPodConditions[0].status"),
    ),
    (
        "Indexed without completions",
        {"completionMode": "Indexed", "parallelism": 2},
        ("Required value", "spec.completions"),
    ),
    (
        "bad completionMode",
        {"completionMode": "Sometimes"},
        ("Unsupported value", "spec.completionMode"),
    ),
    (
        "Indexed parallelism too big",
        {"completionMode": "Indexed", "completions": 2, "parallelism": 100001},
        ("Invalid value", "spec.parallelism"),
    ),
    (
        "backoffLimitPerIndex needs Indexed",
        {"backoffLimitPerIndex": 1},
        ("Invalid value", "spec.backoffLimitPerIndex"),
    ),
    (
        "maxFailedIndexes needs backoffLimitPerIndex",
        {"completionMode": "Indexed", "completions": 2, "maxFailedIndexes": 1},
        ("Required value", "spec.backoffLimitPerIndex"),
    ),
    (
        "bad podReplacementPolicy",
        {"podReplacementPolicy": "Sometimes"},
        ("Unsupported value", "spec.podReplacementPolicy"),
    ),
    (
        "podFailurePolicy needs Never",
        {"podFailurePolicy": {"rules": []}},
        ("Invalid value", "spec.template.spec.restartPolicy"),
    ),
    (
        "manual selector missing",
        {"manualSelector": True, "selector": None},
        ("Required value", "spec.selector"),
    ),
    (
        "pod template invalid",
        {"template": pod_template(containers=[])},
        ("Required value", "spec.template.spec.containers"),
    ),
]


@pytest.mark.parametrize(("spec", "expected"), [pytest.param(s, e, id=n) for n, s, e in JOB_ERRORS])
def test_job_errors(spec: Obj, expected: tuple[str, str]) -> None:
    assert expected in fields(job(**spec))


def test_job_restart_policy_message() -> None:
    obj = job(template=pod_template(restartPolicy="Always"))
    assert [str(e) for e in validate_object(obj)] == [
        'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"'
    ]


def test_manual_selector_must_match_template() -> None:
    obj = job(
        manualSelector=True,
        selector={"matchLabels": {"a": "b"}},
        template={**pod_template(), "metadata": {"labels": {"y": "z"}}},
    )
    assert [str(e) for e in validate_object(obj)] == [
        'spec.template.metadata.labels: Invalid value: {"y":"z"}: '
        "`selector` does not match template `labels`"
    ]


def test_generated_selector_needs_uid() -> None:
    obj = job()
    obj["metadata"]["uid"] = ""
    assert ("Required value", "metadata.uid") in fields(obj)


def test_generated_selector_wrong_uid_label() -> None:
    obj = job()
    obj["spec"]["template"]["metadata"]["labels"]["batch.kubernetes.io/controller-uid"] = "other"
    found = fields(obj)
    assert (
        "Invalid value",
        "spec.template.metadata.labels[batch.kubernetes.io/controller-uid]",
    ) in found


def test_generated_selector_not_auto_generated() -> None:
    obj = job()
    obj["spec"]["selector"] = {"matchLabels": {"batch.kubernetes.io/controller-uid": "other"}}
    obj["spec"]["template"]["metadata"]["labels"]["batch.kubernetes.io/controller-uid"] = "other"
    found = fields(obj)
    assert ("Invalid value", "spec.selector") in found


def test_indexed_job_name_too_long_for_hostnames() -> None:
    obj = job(name="a" * 62, completionMode="Indexed", completions=10, parallelism=1)
    assert ("Invalid value", "metadata.name") in fields(obj)


def _stored_job(**spec: Any) -> Obj:
    obj = job(**spec)
    obj["metadata"]["resourceVersion"] = "1"
    return obj


def _update_fields(old: Obj, change: Callable[[Obj], None]) -> set[tuple[str, str]]:
    new = copy.deepcopy(old)
    change(new["spec"])
    return {(e.type, e.field) for e in validate_object_update(new, old)}


def test_job_update_rules() -> None:
    old = _stored_job()
    assert _update_fields(old, lambda s: s.update(parallelism=3)) == set()
    assert _update_fields(old, lambda s: s.update(completions=3)) == {
        ("Invalid value", "spec.completions")
    }
    assert _update_fields(old, lambda s: s.update(completionMode="Indexed")) >= {
        ("Invalid value", "spec.completionMode")
    }
    assert ("Invalid value", "spec.selector") in _update_fields(
        old, lambda s: s["selector"]["matchLabels"].update(x="y")
    )
    image = _update_fields(
        old, lambda s: s["template"]["spec"]["containers"][0].update(image="busybox:2")
    )
    assert image == {("Invalid value", "spec.template")}


def test_job_template_immutable_message() -> None:
    old = _stored_job()
    new = copy.deepcopy(old)
    new["spec"]["template"]["spec"]["containers"][0]["image"] = "busybox:2"
    (error,) = validate_object_update(new, old)
    assert str(error).endswith(": field is immutable")


def test_suspended_unstarted_job_may_change_scheduling_directives() -> None:
    old = _stored_job(suspend=True)

    def change(spec: Obj) -> None:
        spec["template"]["spec"]["nodeSelector"] = {"zone": "a"}
        spec["template"]["spec"]["tolerations"] = [{"key": "k", "operator": "Exists"}]
        spec["template"]["metadata"]["annotations"] = {"a": "b"}

    assert _update_fields(old, change) == set()
    started = copy.deepcopy(old)
    started["status"] = {"startTime": "2025-01-01T00:00:00Z"}
    assert _update_fields(started, change) == {("Invalid value", "spec.template")}
    assert _update_fields(old, lambda s: s["template"]["spec"].update(hostname="h")) == {
        ("Invalid value", "spec.template")
    }


def test_elastic_indexed_job_completions_in_tandem() -> None:
    old = _stored_job(completionMode="Indexed", completions=2, parallelism=2)
    assert _update_fields(old, lambda s: s.update(completions=4, parallelism=4)) == set()
    assert _update_fields(old, lambda s: s.update(completions=4)) == {
        ("Invalid value", "spec.completions")
    }


# --- CronJob -------------------------------------------------------------------------------------


def test_valid_cron_jobs() -> None:
    for schedule in (
        "* * * * ?",
        "@hourly",
        "@daily",
        "0 0 1 jan,jul *",
        "*/15 9-17 * * MON-FRI",
        "@every 1h30m",
    ):
        assert validate_object(cron_job(schedule=schedule)) == [], schedule
    assert validate_object(cron_job(timeZone="America/New_York")) == []


CRON_JOB_ERRORS = [
    ("bad schedule", {"schedule": "error"}, ("Invalid value", "spec.schedule")),
    ("empty schedule", {"schedule": ""}, ("Required value", "spec.schedule")),
    ("TZ in schedule", {"schedule": "TZ=UTC 0 * * * *"}, ("Invalid value", "spec.schedule")),
    ("bad timeZone", {"timeZone": "Continent/Zone"}, ("Invalid value", "spec.timeZone")),
    ("Local timeZone", {"timeZone": "Local"}, ("Invalid value", "spec.timeZone")),
    ("empty timeZone", {"timeZone": ""}, ("Invalid value", "spec.timeZone")),
    (
        "negative startingDeadlineSeconds",
        {"startingDeadlineSeconds": -1},
        ("Invalid value", "spec.startingDeadlineSeconds"),
    ),
    (
        "bad concurrencyPolicy",
        {"concurrencyPolicy": "Sometimes"},
        ("Unsupported value", "spec.concurrencyPolicy"),
    ),
    (
        "negative successfulJobsHistoryLimit",
        {"successfulJobsHistoryLimit": -1},
        ("Invalid value", "spec.successfulJobsHistoryLimit"),
    ),
    (
        "negative failedJobsHistoryLimit",
        {"failedJobsHistoryLimit": -1},
        ("Invalid value", "spec.failedJobsHistoryLimit"),
    ),
    (
        "jobTemplate parallelism",
        {"jobTemplate": {"spec": {"parallelism": -1, "template": pod_template()}}},
        ("Invalid value", "spec.jobTemplate.spec.parallelism"),
    ),
    (
        "jobTemplate restartPolicy",
        {"jobTemplate": {"spec": {"template": pod_template(restartPolicy="Always")}}},
        ("Required value", "spec.jobTemplate.spec.template.spec.restartPolicy"),
    ),
    (
        "jobTemplate selector",
        {
            "jobTemplate": {
                "spec": {"selector": {"matchLabels": {"a": "b"}}, "template": pod_template()}
            }
        },
        ("Invalid value", "spec.jobTemplate.spec.selector"),
    ),
    (
        "jobTemplate manualSelector",
        {"jobTemplate": {"spec": {"manualSelector": True, "template": pod_template()}}},
        ("Unsupported value", "spec.jobTemplate.spec.manualSelector"),
    ),
]


@pytest.mark.parametrize(
    ("spec", "expected"), [pytest.param(s, e, id=n) for n, s, e in CRON_JOB_ERRORS]
)
def test_cron_job_errors(spec: Obj, expected: tuple[str, str]) -> None:
    assert expected in fields(cron_job(**spec))


def test_cron_job_name_at_most_52() -> None:
    assert validate_object(cron_job(name="a" * 52)) == []
    errors = validate_object(cron_job(name="a" * 53))
    assert [(e.field, e.detail) for e in errors] == [
        ("metadata.name", "must be no more than 52 characters")
    ]


def test_bad_schedule_message_is_robfigs() -> None:
    (error,) = validate_object(cron_job(schedule="error"))
    assert (
        str(error)
        == 'spec.schedule: Invalid value: "error": expected exactly 5 fields, found 1: [error]'
    )


def test_tz_schedule_allowed_on_update_when_already_there() -> None:
    old = cron_job(schedule="TZ=UTC 0 * * * *")
    old["metadata"]["resourceVersion"] = "1"
    new = copy.deepcopy(old)
    new["spec"]["timeZone"] = "UTC"
    details = {e.detail for e in validate_object_update(new, old)}
    assert "cannot use both timeZone field and TZ or CRON_TZ in schedule" in details


@pytest.mark.parametrize(
    ("schedule", "message"),
    [
        ("", "empty spec string"),
        ("* * * *", "expected exactly 5 fields, found 4: [* * * *]"),
        ("60 * * * *", "end of range (60) above maximum (59): 60"),
        ("* * 0 * *", "beginning of range (0) below minimum (1): 0"),
        ("* * * * 7", "end of range (7) above maximum (6): 7"),
        ("5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1"),
        ("*/0 * * * *", "step of range should be a positive number: */0"),
        ("1-2-3 * * * *", "too many hyphens: 1-2-3"),
        ("*/1/2 * * * *", "too many slashes: */1/2"),
        ("x * * * *", 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'),
        (
            "* * * foo *",
            'failed to parse int from foo: strconv.Atoi: parsing "foo": invalid syntax',
        ),
        ("@fortnightly", "unrecognized descriptor: @fortnightly"),
        (
            "@every 5x",
            'failed to parse duration @every 5x: time: unknown unit "x" in duration "5x"',
        ),
        (
            "TZ=Mars/Olympus 0 * * * *",
            "provided bad location Mars/Olympus: unknown time zone Mars/Olympus",
        ),
    ],
)
def test_parse_standard_errors(schedule: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_standard_schedule(schedule)
    assert str(info.value) == message


@pytest.mark.parametrize(
    "schedule",
    [
        "* * * * *",
        "0 0 * * *",
        "*/5 * * * *",
        "0 9-17 * * 1-5",
        "30 2 1,15 * *",
        "0 0 1 1 *",
        "15 10 * * SUN",
        "0 12 * JAN-MAR MON",
        "0 0 * * 6",
        "5/10 * * * *",
        "60 * * * *",
        "* 24 * * *",
        "* * 32 * *",
        "* * * 13 *",
        "a b c d e",
        "* * *",
    ],
)
def test_agrees_with_croniter_on_standard_syntax(schedule: str) -> None:
    try:
        parse_standard_schedule(schedule)
        ours = True
    except ValueError:
        ours = False
    assert ours == croniter.is_valid(schedule)


def test_cron_job_update_keeps_legacy_tz_schedule() -> None:
    old = cron_job(name="a" * 60, schedule="TZ=UTC 0 * * * *")
    old["metadata"]["resourceVersion"] = "1"
    new = copy.deepcopy(old)
    new["spec"]["suspend"] = True
    assert validate_object_update(new, old) == []


def _stored_cron_job(schedule: str, name: str = "mycronjob") -> Obj:
    obj = cron_job(name=name, schedule=schedule)
    obj["metadata"]["resourceVersion"] = "1"
    return obj


TZ_SCHEDULE, PLAIN_SCHEDULE = "TZ=UTC 0 * * * *", "0 * * * *"


# upstream TestValidateCronJobScheduleTZ: (old schedule, create error, change, update error)
@pytest.mark.parametrize(
    ("schedule", "create_err", "change", "update_err"),
    [
        pytest.param(
            TZ_SCHEDULE,
            "cannot use TZ or CRON_TZ in schedule",
            {"schedule": PLAIN_SCHEDULE},
            None,
            id="update removing TZ should work",
        ),
        pytest.param(
            TZ_SCHEDULE,
            "cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
            {"schedule": TZ_SCHEDULE},
            None,
            id="update not modifying TZ should work",
        ),
        pytest.param(
            TZ_SCHEDULE,
            "cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
            {"timeZone": "UTC"},
            "cannot use both timeZone field and TZ or CRON_TZ in schedule",
            id="update not modifying TZ but adding .spec.timeZone should fail",
        ),
        pytest.param(
            PLAIN_SCHEDULE,
            None,
            {"schedule": TZ_SCHEDULE},
            "cannot use TZ or CRON_TZ in schedule",
            id="update adding TZ should fail",
        ),
    ],
)
def test_upstream_cron_job_schedule_tz(
    schedule: str, create_err: str | None, change: Obj, update_err: str | None
) -> None:
    old = _stored_cron_job(schedule)
    create = [e.detail for e in validate_object(old)]
    assert (create_err is None and create == []) or any(create_err in d for d in create)
    new = copy.deepcopy(old)
    new["spec"].update(change)
    update = [str(e) for e in validate_object_update(new, old)]
    if update_err is None:
        assert update == []
    else:
        assert len(update) == 1 and update[0].startswith("spec.schedule: Invalid value: ")
        assert update_err in update[0]


def test_cron_job_name_limit_is_create_only() -> None:
    old = _stored_cron_job(PLAIN_SCHEDULE, name="a" * 53)
    assert [str(e) for e in validate_object(old)] == [
        f'metadata.name: Invalid value: "{"a" * 53}": must be no more than 52 characters'
    ]
    new = copy.deepcopy(old)
    new["spec"]["concurrencyPolicy"] = "Forbid"
    assert validate_object_update(new, old) == []


def test_cron_job_update_still_validates_the_spec() -> None:
    old = _stored_cron_job(PLAIN_SCHEDULE, name="a" * 53)
    new = copy.deepcopy(old)
    new["spec"]["concurrencyPolicy"] = "Sometimes"
    new["spec"]["startingDeadlineSeconds"] = -1
    new["metadata"]["labels"] = {"a b": "c"}
    assert {(e.type, e.field) for e in validate_object_update(new, old)} == {
        ("Unsupported value", "spec.concurrencyPolicy"),
        ("Invalid value", "spec.startingDeadlineSeconds"),
        ("Invalid value", "metadata.labels"),
    }


def test_cron_job_update_checks_finalizer_names() -> None:
    old = _stored_cron_job(PLAIN_SCHEDULE)
    new = copy.deepcopy(old)
    new["metadata"]["finalizers"] = ["unqualified"]
    assert [str(e) for e in validate_object_update(new, old)] == [
        'metadata.finalizers[0]: Invalid value: "unqualified": name is neither a standard '
        "finalizer name nor is it fully qualified"
    ]


def test_cron_job_update_keeps_an_unchanged_time_zone_unchecked() -> None:
    # upstream validateCronJobSpec only checks timeZone when it differs from the old one
    old = _stored_cron_job(PLAIN_SCHEDULE)
    old["spec"]["timeZone"] = "Not/AZone"
    assert ("Invalid value", "spec.timeZone") in {(e.type, e.field) for e in validate_object(old)}
    new = copy.deepcopy(old)
    new["spec"]["suspend"] = True
    assert validate_object_update(new, old) == []


def test_job_update_accepts_a_job_without_prefixed_labels() -> None:
    # upstream validationOptionsForJob: RequirePrefixedLabels only if the old Job had them
    old = _stored_job()
    labels = old["spec"]["template"]["metadata"]["labels"]
    for key in ("batch.kubernetes.io/job-name", "batch.kubernetes.io/controller-uid"):
        del labels[key]
    old["spec"]["selector"] = {"matchLabels": {"controller-uid": UID}}
    assert ("Required value", "spec.template.metadata.labels[batch.kubernetes.io/job-name]") in {
        (e.type, e.field) for e in validate_object(old)
    }
    new = copy.deepcopy(old)
    new["spec"]["parallelism"] = 2
    assert validate_object_update(new, old) == []


def test_job_status_counts_must_be_non_negative() -> None:
    # upstream checks them in the status strategy (`ValidateJobStatusUpdate`), not on spec updates
    old = _stored_job()
    new = copy.deepcopy(old)
    new["status"] = {"active": -1, "succeeded": 0}
    assert [str(e) for e in validate_status_update("Job", new, old)] == [
        "status.active: Invalid value: -1: must be greater than or equal to 0"
    ]
    assert validate_object_update(new, old) == []
