"""CronJob rows of upstream v1.31 `pkg/apis/batch/validation/validation_test.go`
(TestValidateCronJob, TestValidateCronJobScheduleTZ): whole messages, types and field paths."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from minik8s.api.defaults import apply_defaults
from minik8s.api.validation import validate_object, validate_object_update

Obj = dict[str, Any]


def pod_template(restart: str = "OnFailure") -> Obj:
    return {"spec": {"containers": [{"name": "a", "image": "b"}], "restartPolicy": restart}}


def cron_job(name: str = "mycronjob", **spec: Any) -> Obj:
    obj: Obj = {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": name, "namespace": "default", "uid": "1a2b3c"},
        "spec": {
            "schedule": "* * * * ?",
            "jobTemplate": {"spec": {"template": pod_template()}},
            **spec,
        },
    }
    return apply_defaults(obj)


def errors(obj: Obj) -> list[str]:
    return [str(e) for e in validate_object(obj)]


ROWS = [
    (
        {"schedule": "error"},
        ['spec.schedule: Invalid value: "error": expected exactly 5 fields, found 1: [error]'],
    ),
    (
        {"schedule": "TZ=UTC 0 * * * *"},
        [
            'spec.schedule: Invalid value: "TZ=UTC 0 * * * *": '
            "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"
        ],
    ),
    (
        {"timeZone": ""},
        ['spec.timeZone: Invalid value: "": timeZone must be nil or non-empty string'],
    ),
    (
        {"timeZone": "Local"},
        [
            'spec.timeZone: Invalid value: "Local": '
            "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"
        ],
    ),
    (
        {"timeZone": "local"},
        [
            'spec.timeZone: Invalid value: "local": '
            "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones",
            'spec.timeZone: Invalid value: "local": unknown time zone local',
        ],
    ),
    (
        {"timeZone": "Continent/Zone"},
        ['spec.timeZone: Invalid value: "Continent/Zone": unknown time zone Continent/Zone'],
    ),
    (
        {"timeZone": "America/New_York/../"},
        [
            'spec.timeZone: Invalid value: "America/New_York/../": '
            "unknown time zone America/New_York/../"
        ],
    ),
    (
        {"startingDeadlineSeconds": -1},
        ["spec.startingDeadlineSeconds: Invalid value: -1: must be greater than or equal to 0"],
    ),
    (
        {"concurrencyPolicy": "Bogus"},
        [
            'spec.concurrencyPolicy: Unsupported value: "Bogus": '
            'supported values: "Allow", "Forbid", "Replace"'
        ],
    ),
    (
        {"successfulJobsHistoryLimit": -1},
        ["spec.successfulJobsHistoryLimit: Invalid value: -1: must be greater than or equal to 0"],
    ),
    (
        {"jobTemplate": {"spec": {"manualSelector": True, "template": pod_template()}}},
        [
            "spec.jobTemplate.spec.manualSelector: Unsupported value: true: "
            'supported values: "nil", "false"'
        ],
    ),
    (
        {"jobTemplate": {"spec": {"template": pod_template("Always")}}},
        [
            "spec.jobTemplate.spec.template.spec.restartPolicy: Required value: "
            'valid values: "OnFailure", "Never"'
        ],
    ),
]


@pytest.mark.parametrize(("spec", "expected"), ROWS)
def test_cron_job_rows(spec: Obj, expected: list[str]) -> None:
    assert errors(cron_job(**spec)) == expected


@pytest.mark.parametrize(
    "time_zone", ["America/New_York", "UTC", "Etc/GMT+5", "America/Argentina/Buenos_Aires"]
)
def test_valid_time_zones(time_zone: str) -> None:
    assert errors(cron_job(timeZone=time_zone)) == []


def test_name_length_52_on_create_only() -> None:
    assert errors(cron_job(name="a" * 52)) == []
    long_name = "a" * 53
    assert errors(cron_job(name=long_name)) == [
        f'metadata.name: Invalid value: "{long_name}": must be no more than 52 characters'
    ]
    old = cron_job(name=long_name)
    old["metadata"]["resourceVersion"] = "1"
    new = copy.deepcopy(old)
    new["spec"]["suspend"] = True
    assert validate_object_update(new, old) == []
