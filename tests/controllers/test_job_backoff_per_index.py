"""`backoffLimitPerIndex`: upstream's TestCalculateFailedIndexes,
TestGetPodsWithDelayedDeletionPerIndex, TestGetNewIndexFailureCountValue and the failed-indexes
row of TestFirstPendingIndexes (indexed_job_utils_test.go), `plan` cases after
TestSyncJobWithJobBackoffLimitPerIndex, and a scenario through the Cluster facade."""

from __future__ import annotations

import pytest

from minik8s.cluster import Cluster
from minik8s.controllers import indexed_job as ix
from minik8s.controllers import job_backoff_per_index as bpi
from minik8s.controllers.job_util import JOB_TRACKING_FINALIZER, format_time, parse_time
from tests.controllers.test_job import (
    NOW,
    conditions,
    events,
    finish,
    job,
    live_pods,
    manifest,
    sync,
)

FC = bpi.INDEX_FAILURE_COUNT_ANNOTATION


def ipod(uid, index, phase="Failed", count="0", tracked=True, deleted=None, **status):
    annotations = {ix.COMPLETION_INDEX_KEY: str(index)}
    if count is not None:
        annotations[FC] = count
    meta = {
        "name": f"pod-{uid}",
        "namespace": "default",
        "uid": uid,
        "annotations": annotations,
        "creationTimestamp": format_time(NOW - 600),
        "finalizers": [JOB_TRACKING_FINALIZER] if tracked else [],
    }
    if deleted is not None:
        meta["deletionTimestamp"] = format_time(deleted)
    return {"metadata": meta, "spec": {}, "status": {"phase": phase, **status}}


def per_index_job(completions, limit, status=None, **spec):
    spec.setdefault("parallelism", completions)
    j = job(completions=completions, mode="Indexed", backoffLimitPerIndex=limit, **spec)
    j["spec"]["backoffLimit"] = bpi.MAX_INT32
    j["status"].update(status or {})
    return j


@pytest.mark.parametrize(
    ("limit", "status", "pods", "want"),
    [
        pytest.param(1, None, [ipod("a", 0), ipod("b", 1, count="1")], [(1, 1)], id="one new"),
        pytest.param(0, None, [ipod("a", 0, tracked=False)], [], id="without finalizer"),
        pytest.param(0, None, [ipod("a", 3, tracked=False)], [], id="outside completions"),
        pytest.param(0, "0", [ipod("a", 1)], [(0, 1)], id="extend the failed indexes"),
        pytest.param(0, "", [ipod("a", 1)], [(1, 1)], id="prev failed indexes empty"),
        pytest.param(0, "9", [ipod("a", 1)], [(1, 1)], id="prev outside the completions"),
    ],
)
def test_calculate_failed_indexes(limit, status, pods, want):
    j = per_index_job(2, limit, {} if status is None else {"failedIndexes": status})
    assert bpi.failed_indexes(j, pods) == want


def _delayed(j, pods):
    active = [p for p in pods if p["status"]["phase"] in ("Running", "Pending")]
    failed = bpi.failed_indexes(j, pods)
    _, succeeded = ix.succeeded_indexes(j, pods)
    found = bpi.pods_with_delayed_deletion(j, pods, active, succeeded, failed)
    return sorted(p["metadata"]["uid"] for p in found.values())


@pytest.mark.parametrize(
    ("completions", "limit", "pods", "want"),
    [
        (3, 1, [ipod("a", 0), ipod("b", 1, count="1"), ipod("c", 2)], ["a", "c"]),
        (2, 0, [ipod("a", 0, tracked=False)], []),
        (2, 0, [ipod("a", 4)], []),
        (2, 1, [ipod("a1", 0), ipod("a2", 0, "Running", count="1")], []),
        (2, 1, [ipod("a1", 0), ipod("a2", 0, "Succeeded", count="1")], []),
        (2, 4, [ipod("a1", 0), ipod("a3", 0, count="2"), ipod("a2", 0, count="1")], ["a3"]),
        (
            2,
            4,
            [
                ipod("a1", 0, count="1", deleted=NOW - 1),
                ipod("a3", 0, count="1", deleted=NOW),
                ipod("a2", 0, count="1", deleted=NOW - 2),
            ],
            ["a3"],
        ),
    ],
    ids=[
        "kept for non-failed indexes",
        "without finalizer",
        "index outside completions",
        "active index",
        "succeeded index",
        "highest failure count",
        "last finished",
    ],
)
def test_pods_with_delayed_deletion_per_index(completions, limit, pods, want):
    assert _delayed(per_index_job(completions, limit), pods) == want


IGNORE_DISRUPTION = {
    "rules": [
        {"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget", "status": "True"}]}
    ]
}


@pytest.mark.parametrize(
    ("policy", "pod", "want"),
    [
        (None, None, (0, 0)),
        (None, ipod("a", 0, count="0"), (1, 0)),
        (None, ipod("a", 0, count="3"), (4, 0)),
        (
            IGNORE_DISRUPTION,
            ipod("a", 3, count="3", conditions=[{"type": "DisruptionTarget", "status": "True"}]),
            (3, 1),
        ),
    ],
    ids=["first pod", "count 0", "count 3", "ignore rule"],
)
def test_new_index_failure_counts(policy, pod, want):
    j = per_index_job(4, 1)
    if policy is not None:
        j["spec"]["podFailurePolicy"] = policy
    assert bpi.new_index_failure_counts(j, pod) == want


@pytest.mark.parametrize(("value", "count"), [("2", 2), ("-1", 0), ("x", 0), (None, 0)])
def test_index_failure_count_parses_like_upstream(value, count):
    assert bpi.index_failure_count(ipod("a", 0, count=value)) == count


def test_first_pending_indexes_with_failed_indexes():
    active = [ipod("x", 3, "Pending"), ipod("y", 9, "Pending")]
    got = ix.first_pending_indexes([(1, 1), (5, 5), (9, 9)], active, [], 5, 20, [(2, 2), (6, 7)])
    assert got == [0, 4, 8, 10, 11]


# -- plan -----------------------------------------------------------------------------------------
def test_new_pods_carry_a_zero_failure_count():
    result = sync(per_index_job(2, 1), [])
    assert result.create == [0, 1]
    assert result.create_annotations == {0: {FC: "0"}, 1: {FC: "0"}}


def test_failed_pod_waits_for_its_replacement_with_a_per_index_back_off():
    failed = ipod("a", 0, count="0", conditions=[_ready_false(NOW - 4)])
    result = sync(per_index_job(2, 1, parallelism=2), [failed, ipod("b", 1, "Running")])
    assert result.create == [] and result.requeue_after == pytest.approx(6.0)
    assert result.remove_finalizers == []  # kept until the replacement exists
    later = sync(per_index_job(2, 1, parallelism=2), [failed, ipod("b", 1, "Running")], now=NOW + 7)
    assert later.create == [0] and later.create_annotations[0] == {FC: "1"}


def _ready_false(when):
    return {"type": "Ready", "status": "False", "lastTransitionTime": format_time(when)}


def test_index_over_its_limit_is_failed_and_not_recreated():
    pods = [ipod("a", 0, count="1"), ipod("b", 1, "Running")]
    result = sync(per_index_job(3, 1), pods)
    assert result.flush["failedIndexes"] == "0" and result.create == [2]
    assert result.remove_finalizers == ["pod-a"]


def test_all_indexes_finished_with_failed_ones_fails_the_job():
    pods = [ipod("a", 0, count="1"), ipod("b", 1, "Succeeded")]
    result = sync(per_index_job(2, 1), pods)
    assert conditions(result.flush)[-1] == ("FailureTarget", "True", "FailedIndexes")
    assert conditions(result.final)[-1] == ("Failed", "True", "FailedIndexes")
    assert result.final["failedIndexes"] == "0" and result.final["completedIndexes"] == "1"
    assert ("Warning", "FailedIndexes", "Job has failed indexes") in result.events


def test_max_failed_indexes_exceeded():
    pods = [ipod("a", 0, count="0"), ipod("b", 1, count="0"), ipod("c", 2, "Running")]
    result = sync(per_index_job(4, 0, maxFailedIndexes=1), pods)
    message = "Job has exceeded the specified maximal number of failed indexes"
    assert conditions(result.flush)[-1] == ("FailureTarget", "True", "MaxFailedIndexesExceeded")
    assert result.flush["conditions"][-1]["message"] == message
    assert result.delete == ["pod-c"]


def test_fail_index_rule_fails_the_index_at_once():
    policy = {"rules": [{"action": "FailIndex", "onExitCodes": {"operator": "In", "values": [42]}}]}
    state = {"terminated": {"exitCode": 42, "finishedAt": format_time(NOW - 1)}}
    failed = ipod("a", 0, count="0", containerStatuses=[{"name": "c", "state": state}])
    j = per_index_job(2, 3, podFailurePolicy=policy)
    j["spec"]["podReplacementPolicy"] = "Failed"
    result = sync(j, [failed, ipod("b", 1, "Running")])
    assert result.flush["failedIndexes"] == "0" and result.create == []


# -- scenario -------------------------------------------------------------------------------------
def test_backoff_limit_per_index_scenario():
    c = Cluster(seed=0)
    spec = {"completions": 2, "parallelism": 2, "completionMode": "Indexed"}
    c.apply(manifest(backoffLimitPerIndex=1, **spec))
    c.settle()
    assert c.get("jobs", "pi")["spec"]["backoffLimit"] == bpi.MAX_INT32
    by_index = {ix.completion_index(p): p for p in live_pods(c)}
    assert by_index[0]["metadata"]["annotations"][FC] == "0"
    finish(c, by_index[0]["metadata"]["name"], "Failed")
    failed_at = parse_time(c.loop.timestamp()) or 0.0
    c.settle()  # waits out the per-index back-off
    again = {ix.completion_index(p): p for p in live_pods(c)}[0]
    assert again["metadata"]["annotations"][FC] == "1"
    assert round((parse_time(again["metadata"]["creationTimestamp"]) or 0) - failed_at) == 10
    first = c.get("pods", by_index[0]["metadata"]["name"])
    assert not first["metadata"].get("finalizers")  # released once replaced
    finish(c, again["metadata"]["name"], "Failed")
    finish(c, by_index[1]["metadata"]["name"])
    c.settle()
    status = c.get("jobs", "pi")["status"]
    assert status["failedIndexes"] == "0" and status["completedIndexes"] == "1"
    assert status["failed"] == 2 and status["succeeded"] == 1
    assert [(x["type"], x["reason"]) for x in status["conditions"]] == [
        ("FailureTarget", "FailedIndexes"),
        ("Failed", "FailedIndexes"),
    ]
    assert ("FailedIndexes", "Job has failed indexes") in events(c)


# -- TestGetRemainingBackoffTimePerIndex (backoff_utils_test.go; default 10 s, max 10 min) --------
@pytest.mark.parametrize(
    ("count", "ignored", "want"),
    [(None, None, 0.0), ("2", None, 40.0), ("1", "1", 40.0)],
    ids=["no failures", "two prev failures", "one counted and one ignored"],
)
def test_remaining_time_per_index(count, ignored, want):
    last = None
    if count is not None:
        last = ipod("a", 0, count=count, deleted=NOW)
        if ignored is not None:
            last["metadata"]["annotations"][bpi.INDEX_IGNORED_FAILURE_COUNT_ANNOTATION] = ignored
    assert bpi.remaining_time_per_index(NOW, last) == want
