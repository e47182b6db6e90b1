"""Job podFailurePolicy, successPolicy, backoffLimitPerIndex and managedBy rules: rows of
upstream v1.31 `pkg/apis/batch/validation/validation_test.go` (TestValidateJob,
TestValidateJobUpdate), each asserting the error type, field path and message."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minik8s.api.defaults import apply_defaults
from minik8s.api.defaults.batch import job_generate_selector
from minik8s.api.validation import validate_object, validate_object_update
from minik8s.api.validation.job_policies import parse_index_interval, validate_indexes_format

Obj = dict[str, Any]


def job(restart: str = "OnFailure", **spec: Any) -> Obj:
    template = {
        "spec": {
            "containers": [{"name": "main", "image": "busybox:1.36"}],
            "restartPolicy": restart,
        }
    }
    obj: Obj = {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": "myjob", "namespace": "default", "uid": "1a2b3c"},
        "spec": {"template": template, **spec},
    }
    apply_defaults(obj)
    return job_generate_selector(obj)


def indexed(completions: int = 5, **spec: Any) -> Obj:
    return job(completionMode="Indexed", completions=completions, parallelism=1, **spec)


def errors(obj: Obj) -> list[str]:
    return [str(e) for e in validate_object(obj)]


def exit_rule(values: list[int], action: str = "FailJob") -> Obj:
    return {"action": action, "onExitCodes": {"operator": "In", "values": values}}


def condition_rule(n: int) -> Obj:
    return {"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget"}] * n}


TOO_MANY = [
    (
        {"rules": [exit_rule([1])] * 21},
        "spec.podFailurePolicy.rules: Too many: 21: must have at most 20 items",
    ),
    (
        {"rules": [exit_rule(list(range(1, 257)))]},
        "spec.podFailurePolicy.rules[0].onExitCodes.values: Too many: 256: "
        "must have at most 255 items",
    ),
    (
        {"rules": [condition_rule(21)]},
        "spec.podFailurePolicy.rules[0].onPodConditions: Too many: 21: must have at most 20 items",
    ),
]


@pytest.mark.parametrize(("policy", "message"), TOO_MANY)
def test_pod_failure_policy_limits(policy: Obj, message: str) -> None:
    assert message in errors(job(restart="Never", podFailurePolicy=policy))


def test_pod_failure_policy_at_the_limits_is_valid() -> None:
    policy = {"rules": [exit_rule(list(range(1, 256)))] * 19 + [condition_rule(20)]}
    assert errors(job(restart="Never", podFailurePolicy=policy)) == []


def test_exit_codes_equal_neighbours_are_ordered_but_duplicate() -> None:
    policy = {"rules": [exit_rule([1, 2, 2])]}
    assert errors(job(restart="Never", podFailurePolicy=policy)) == [
        "spec.podFailurePolicy.rules[0].onExitCodes.values[2]: Duplicate value: 2"
    ]


SUCCESS_POLICY_ROWS = [
    (
        {"rules": []},
        "spec.successPolicy.rules: Required value: "
        "at least one rules must be specified when the successPolicy is specified",
    ),
    (
        {"rules": [{"succeededCount": 1}] * 21},
        "spec.successPolicy.rules: Too many: 21: must have at most 20 items",
    ),
    (
        {"rules": [{}]},
        "spec.successPolicy.rules[0]: Required value: "
        "at least one of succeededCount or succeededIndexes must be specified",
    ),
    (
        {"rules": [{"succeededIndexes": "0-2,x"}]},
        'spec.successPolicy.rules[0].succeededIndexes: Invalid value: "0-2,x": '
        'error parsing succeededIndexes: cannot convert string to integer for index: "x"',
    ),
    (
        {"rules": [{"succeededIndexes": "3-1"}]},
        'spec.successPolicy.rules[0].succeededIndexes: Invalid value: "3-1": '
        "error parsing succeededIndexes: non-increasing order, previous: 3, current: 1",
    ),
    (
        {"rules": [{"succeededIndexes": "1,0"}]},
        'spec.successPolicy.rules[0].succeededIndexes: Invalid value: "1,0": '
        "error parsing succeededIndexes: non-increasing order, previous: 1, current: 0",
    ),
    (
        {"rules": [{"succeededIndexes": "1-7"}]},
        'spec.successPolicy.rules[0].succeededIndexes: Invalid value: "1-7": '
        'error parsing succeededIndexes: too large index: "7"',
    ),
    (
        {"rules": [{"succeededIndexes": "1-2-3"}]},
        'spec.successPolicy.rules[0].succeededIndexes: Invalid value: "1-2-3": '
        'error parsing succeededIndexes: the fragment "1-2-3" violates the requirement that '
        "an index interval can have at most two parts separated by '-'",
    ),
    (
        {"rules": [{"succeededCount": 6}]},
        "spec.successPolicy.rules[0].succeededCount: Invalid value: 6: "
        "must be less than or equal to 5 (the number of specified completions)",
    ),
    (
        {"rules": [{"succeededCount": 4, "succeededIndexes": "0,2-3"}]},
        "spec.successPolicy.rules[0].succeededCount: Invalid value: 4: "
        "must be less than or equal to 3 (the number of indexes in the specified "
        "succeededIndexes field)",
    ),
    (
        {"rules": [{"succeededCount": -1}]},
        "spec.successPolicy.rules[0].succeededCount: Invalid value: -1: "
        "must be greater than or equal to 0",
    ),
]


@pytest.mark.parametrize(("policy", "message"), SUCCESS_POLICY_ROWS)
def test_success_policy_rows(policy: Obj, message: str) -> None:
    assert errors(indexed(successPolicy=policy)) == [message]


def test_valid_success_policy() -> None:
    policy = {"rules": [{"succeededIndexes": "0,2-4", "succeededCount": 3}, {"succeededCount": 5}]}
    assert errors(indexed(successPolicy=policy)) == []


def test_success_policy_requires_indexed_mode() -> None:
    obj = job(successPolicy={"rules": [{"succeededCount": 1}]})
    assert [(e.type, e.field, e.detail) for e in validate_object(obj)] == [
        ("Invalid value", "spec.successPolicy", "requires indexed completion mode")
    ]


BACKOFF_LIMIT_PER_INDEX_ROWS = [
    (
        {"completions": 200_000, "backoffLimitPerIndex": 1, "maxFailedIndexes": 100_001},
        "spec.maxFailedIndexes: Invalid value: 100001: must be less than or equal to 100000",
    ),
    (
        {"completions": 100_001, "backoffLimitPerIndex": 1},
        "spec.maxFailedIndexes: Required value: must be specified when completions is above 100000",
    ),
    (
        {
            "completions": 100_001,
            "backoffLimitPerIndex": 1,
            "maxFailedIndexes": 1,
            "parallelism": 10_001,
        },
        "spec.parallelism: Invalid value: 10001: must be less than or equal to 10000 when "
        "completions are above 100000 and used with backoff limit per index",
    ),
    (
        {"completions": 100_001, "backoffLimitPerIndex": 1, "maxFailedIndexes": 10_001},
        "spec.maxFailedIndexes: Invalid value: 10001: must be less than or equal to 10000 when "
        "completions are above 100000 and used with backoff limit per index",
    ),
    (
        {"completions": 5, "maxFailedIndexes": 1},
        "spec.backoffLimitPerIndex: Required value: when maxFailedIndexes is specified",
    ),
]


@pytest.mark.parametrize(("spec", "message"), BACKOFF_LIMIT_PER_INDEX_ROWS)
def test_backoff_limit_per_index_rows(spec: Obj, message: str) -> None:
    obj = job(completionMode="Indexed", **{"parallelism": 1, **spec})
    assert message in errors(obj)


def test_high_completions_within_limits_is_valid() -> None:
    obj = indexed(100_001, backoffLimitPerIndex=1, maxFailedIndexes=10_000)
    obj["spec"]["parallelism"] = 10_000
    assert errors(obj) == []


def test_managed_by() -> None:
    assert errors(job(managedBy="kueue.x-k8s.io/multikueue")) == []
    assert errors(job(managedBy="invalid custom controller name")) == [
        'spec.managedBy: Invalid value: "invalid custom controller name": '
        'must be a domain-prefixed path (such as "acme.io/foo")'
    ]
    long_name = "example.com/" + "a" * 60
    assert [(e.type, e.field) for e in validate_object(job(managedBy=long_name))] == [
        ("Too long", "spec.managedBy")
    ]


@pytest.mark.parametrize(
    ("key", "old", "new"),
    [
        ("managedBy", "example.com/a", "example.com/b"),
        ("backoffLimitPerIndex", 1, 2),
        ("successPolicy", {"rules": [{"succeededCount": 1}]}, {"rules": [{"succeededCount": 2}]}),
    ],
)
def test_immutable_job_fields(key: str, old: Any, new: Any) -> None:
    stored = indexed(**{key: old})
    stored["metadata"]["resourceVersion"] = "1"
    update = copy.deepcopy(stored)
    update["spec"][key] = new
    assert [(e.type, e.field, e.detail) for e in validate_object_update(update, stored)] == [
        ("Invalid value", f"spec.{key}", "field is immutable")
    ]


@given(st.lists(st.integers(0, 50), min_size=1, max_size=12, unique=True))
def test_indexes_format_counts_a_sorted_set(indexes: list[int]) -> None:
    ordered = sorted(indexes)
    text = ",".join(str(i) for i in ordered)
    assert validate_indexes_format(text, 51) == len(ordered)
    if len(ordered) > 1:
        with pytest.raises(ValueError, match="non-increasing order"):
            validate_indexes_format(",".join(str(i) for i in reversed(ordered)), 51)


def test_index_interval() -> None:
    assert parse_index_interval("3-5", 6) == (3, 5)
    assert parse_index_interval("4", 6) == (4, 4)
    with pytest.raises(ValueError, match='cannot convert string to integer for index: ""'):
        parse_index_interval("-1", 6)
