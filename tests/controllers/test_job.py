"""The Job controller: pure `plan` cases (after upstream's TestControllerSyncJob and
indexed/backoff util tests), scenarios through the Cluster facade, and its invariants."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minik8s.api.errors import Conflict
from minik8s.cluster import Cluster
from minik8s.controllers import indexed_job as ix
from minik8s.controllers.job import pod_from_template
from minik8s.controllers.job_plan import plan
from minik8s.controllers.job_util import (
    JOB_TRACKING_FINALIZER,
    BackoffRecord,
    ControllerExpectations,
    format_time,
    new_backoff_record,
    parse_time,
    remaining_backoff,
)

NOW = parse_time("2025-01-01T01:00:00Z") or 0.0
OLD = "2025-01-01T00:00:00Z"


# -- builders --------------------------------------------------------------------------------------
def job(completions=5, parallelism=2, backoff_limit=6, status=None, **spec):
    spec = {
        "completions": completions,
        "parallelism": parallelism,
        "backoffLimit": backoff_limit,
        "completionMode": spec.pop("mode", "NonIndexed"),
        "suspend": False,
        "podReplacementPolicy": "TerminatingOrFailed",
        "template": {
            "metadata": {"labels": {"app": "pi"}},
            "spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "perl"}]},
        },
        **spec,
    }
    meta = {"name": "pi", "namespace": "default", "uid": "job-uid", "creationTimestamp": OLD}
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": meta,
        "spec": spec,
        "status": {"startTime": OLD, **(status or {})},
    }


_serial = [0]


def pod(phase="Running", index=None, tracked=True, ready=False, **extra):
    _serial[0] += 1
    n = _serial[0]
    meta = {
        "name": f"pi-{n}",
        "namespace": "default",
        "uid": f"uid-{n}",
        "creationTimestamp": format_time(NOW - 600 + n),
        "finalizers": [JOB_TRACKING_FINALIZER] if tracked else [],
    }
    if index is not None:
        meta["annotations"] = {ix.COMPLETION_INDEX_KEY: str(index)}
    meta.update(extra.pop("meta", {}))
    status = {"phase": phase, **extra}
    if ready:
        status["conditions"] = [{"type": "Ready", "status": "True"}]
    return {"metadata": meta, "spec": {}, "status": status}


def pods(n, phase="Running", **kwargs):
    return [pod(phase, **kwargs) for _ in range(n)]


def sync(j, ps, satisfied=True, backoff=None, now=NOW):
    return plan(j, ps, now, backoff or BackoffRecord(), satisfied)


def conditions(status):
    return [(c["type"], c["status"], c.get("reason")) for c in status.get("conditions") or []]


# -- plan: upstream TestControllerSyncJob, with finalizer tracking ---------------------------------
def test_job_start_creates_parallelism_pods():
    result = sync(job(completions=5, parallelism=2), [])
    assert result.create == [None, None]
    assert result.flush["active"] == 2 and result.flush["ready"] == 0
    assert result.final is None


def test_work_queue_job_start():
    result = sync(job(completions=None, parallelism=2), [])
    assert result.create == [None, None]


def test_pending_and_running_pods_are_enough():
    j = job(status={"active": 2, "ready": 0, "terminating": 0})
    for phase in ("Pending", "Running"):
        result = sync(j, pods(2, phase))
        assert result.create == [] and result.delete == []
        assert result.flush is None and result.final is None


def test_ready_pods_are_counted():
    result = sync(job(), pods(2, ready=True) + pods(0))
    assert result.flush["ready"] == 2


def test_too_few_active_pods_count_success_and_replace():
    j = job(completions=5, parallelism=2, status={"active": 2})
    done = pod("Succeeded")
    result = sync(j, [pod(), done])
    assert result.create == [None]
    assert result.flush["uncountedTerminatedPods"] == {"succeeded": [done["metadata"]["uid"]]}
    assert result.remove_finalizers == [done["metadata"]["name"]]
    assert result.final["succeeded"] == 1 and result.final["uncountedTerminatedPods"] == {}
    assert result.final["active"] == 2


def test_too_many_active_pods_deletes_not_ready_first():
    ready = pods(2, ready=True)
    not_ready = pod()
    result = sync(job(completions=5, parallelism=2), [*ready, not_ready])
    assert result.delete == [not_ready["metadata"]["name"]]
    assert result.strip_before_delete is True
    assert result.flush["active"] == 2 and result.flush["terminating"] == 1


def test_more_active_pods_than_remaining_completions():
    j = job(completions=4, parallelism=3, status={"succeeded": 2})
    result = sync(j, pods(3))
    assert len(result.delete) == 1 and result.create == []


def test_job_finish_adds_success_criteria_then_complete():
    j = job(completions=5, parallelism=2, status={"succeeded": 3})
    result = sync(j, pods(2, "Succeeded"))
    assert conditions(result.flush) == [("SuccessCriteriaMet", "True", "CompletionsReached")]
    final = result.final
    assert final["succeeded"] == 5
    assert conditions(final) == [
        ("SuccessCriteriaMet", "True", "CompletionsReached"),
        ("Complete", "True", "CompletionsReached"),
    ]
    assert final["conditions"][1]["message"] == "Reached expected number of succeeded pods"
    assert final["completionTime"] == "2025-01-01T01:00:00Z"
    assert ("Normal", "Completed", "Job completed") in result.events


def test_too_many_succeeded_pods_warns_before_completed():
    j = job(completions=2, parallelism=2, status={"succeeded": 1})
    result = sync(j, pods(2, "Succeeded"))
    message = "Too many succeeded pods running after completion count reached"
    assert result.events == [
        ("Warning", "TooManySucceededPods", message),
        ("Normal", "Completed", "Job completed"),
    ]


def test_work_queue_job_finishing_keeps_running_pods():
    j = job(completions=None, parallelism=2)
    result = sync(j, [pod(), pod("Succeeded")])
    assert result.create == [] and result.delete == []
    assert "conditions" not in (result.final or {})


def test_work_queue_job_all_finished():
    result = sync(job(completions=None, parallelism=2), pods(2, "Succeeded"))
    assert conditions(result.final)[-1] == ("Complete", "True", "CompletionsReached")


def test_backoff_limit_exceeded_fails_through_failure_target():
    j = job(completions=5, parallelism=2, backoff_limit=1, status={"failed": 1})
    running = pod()
    result = sync(j, [running, pod("Failed")])
    assert result.delete == [running["metadata"]["name"]]
    assert result.strip_before_delete is False
    target = ("FailureTarget", "True", "BackoffLimitExceeded")
    assert conditions(result.flush) == [target]
    assert result.flush["conditions"][0]["message"] == "Job has reached the specified backoff limit"
    # the running pod is still terminating: Failed waits for it
    assert result.final["failed"] == 3 and conditions(result.final) == [target]
    assert not result.events
    later = job(completions=5, backoff_limit=1, status=result.final)
    done = sync(later, [])
    assert conditions(done.final)[-1] == ("Failed", "True", "BackoffLimitExceeded")
    message = "Job has reached the specified backoff limit"
    assert done.events == [("Warning", "BackoffLimitExceeded", message)]


def test_backoff_limit_on_failure_counts_restarts():
    j = job(parallelism=1, backoff_limit=2)
    j["spec"]["template"]["spec"]["restartPolicy"] = "OnFailure"
    restarting = pod(containerStatuses=[{"name": "c", "restartCount": 2}])
    result = sync(j, [restarting])
    assert conditions(result.flush) == [("FailureTarget", "True", "BackoffLimitExceeded")]


def test_active_deadline_exceeded():
    j = job(activeDeadlineSeconds=10)
    result = sync(j, [pod()], now=parse_time(OLD) + 10)
    assert conditions(result.flush) == [("FailureTarget", "True", "DeadlineExceeded")]
    message = result.flush["conditions"][0]["message"]
    assert message == "Job was active longer than specified deadline"


def test_active_deadline_requeues_before_it_passes():
    result = sync(job(activeDeadlineSeconds=100), pods(2), now=parse_time(OLD) + 30)
    assert result.deadline_after == 70


def test_new_failed_pod_waits_for_backoff_then_replaces():
    failed = pod(
        "Failed",
        containerStatuses=[
            {"name": "c", "state": {"terminated": {"finishedAt": format_time(NOW - 3)}}}
        ],
    )
    result = sync(job(status={"active": 2}), [pod(), failed])
    assert result.create == [] and result.requeue_after == 7
    assert result.backoff == BackoffRecord(1, NOW - 3)
    again = sync(job(), [pod()], backoff=result.backoff, now=NOW + 7)
    assert again.create == [None]


def test_suspend_deletes_active_pods_and_sets_condition():
    j = job(suspend=True, status={"active": 2})
    result = sync(j, pods(2))
    assert len(result.delete) == 2 and result.strip_before_delete
    assert conditions(result.flush) == [("Suspended", "True", "JobSuspended")]
    assert result.events == [("Normal", "Suspended", "Job suspended")]
    assert result.flush.get("active", 0) == 0


def test_resume_resets_start_time():
    suspended = [
        {
            "type": "Suspended",
            "status": "True",
            "reason": "JobSuspended",
            "message": "Job suspended",
        }
    ]
    j = job(status={"conditions": suspended})
    result = sync(j, [])
    assert result.create == [None, None]
    assert conditions(result.flush) == [("Suspended", "False", "JobResumed")]
    assert result.flush["startTime"] == "2025-01-01T01:00:00Z"
    assert result.events == [("Normal", "Resumed", "Job resumed")]


def test_unsatisfied_expectations_do_not_create():
    assert sync(job(), [], satisfied=False).create == []


def test_uncounted_pod_without_finalizer_is_counted():
    j = job(status={"uncountedTerminatedPods": {"succeeded": ["gone"]}})
    result = sync(j, pods(2))
    assert result.final is None
    assert result.flush["succeeded"] == 1 and result.flush["uncountedTerminatedPods"] == {}


def test_replacement_policy_failed_waits_for_terminating_pods():
    j = job(podReplacementPolicy="Failed")
    result = sync(j, [pod(), pod(meta={"deletionTimestamp": OLD})])
    assert result.create == []
    j["spec"]["podReplacementPolicy"] = "TerminatingOrFailed"
    assert sync(j, [pod(), pod(meta={"deletionTimestamp": OLD})]).create == [None]


# -- indexed jobs ----------------------------------------------------------------------------------
def test_indexed_job_start():
    assert sync(job(mode="Indexed", completions=5, parallelism=2), []).create == [0, 1]


def test_indexed_job_some_running_and_completed():
    j = job(mode="Indexed", completions=6, parallelism=3)
    ps = [pod("Running", index=0), pod("Succeeded", index=1), pod("Succeeded", index=2)]
    ps.append(pod("Failed", index=3))
    result = sync(j, ps)
    assert result.create == [3, 4]
    assert result.final["completedIndexes"] == "1,2" and result.final["succeeded"] == 2
    assert result.final["failed"] == 1


def test_indexed_job_repeated_and_out_of_range_indexes_are_removed():
    j = job(mode="Indexed", completions=3, parallelism=3)
    dup = [pod(index=1), pod(index=1, ready=True)]
    result = sync(j, [pod(index=0), *dup, pod(index=7), pod()])
    assert sorted(result.delete) == sorted(
        [dup[0]["metadata"]["name"], f"pi-{_serial[0] - 1}", f"pi-{_serial[0]}"]
    )


def test_indexed_job_completes_with_completed_indexes():
    j = job(mode="Indexed", completions=3, parallelism=3, status={"completedIndexes": "0,1"})
    result = sync(j, [pod("Succeeded", index=2)])
    assert result.final["completedIndexes"] == "0-2" and result.final["succeeded"] == 3
    assert conditions(result.final)[-1][0] == "Complete"


@pytest.mark.parametrize(
    ("text", "completions", "intervals", "back"),
    [
        ("", 5, [], ""),
        ("1", 5, [(1, 1)], "1"),
        ("1,2", 5, [(1, 2)], "1,2"),
        ("1-3,5", 10, [(1, 3), (5, 5)], "1-3,5"),
        ("0-2,3-5,7", 10, [(0, 5), (7, 7)], "0-5,7"),
        ("1-10,12", 5, [(1, 4)], "1-4"),
        ("a,2,x-4", 5, [(2, 2)], "2"),
    ],
)
def test_parse_and_format_completed_indexes(text, completions, intervals, back):
    parsed = ix.parse_indexes(text, completions)
    assert parsed == intervals
    assert ix.format_intervals(parsed) == back


def test_with_ordered_indexes_merges():
    assert ix.with_indexes([(1, 3), (7, 8)], [0, 4, 5, 10]) == [(0, 5), (7, 8), (10, 10)]
    assert ix.total([(0, 5), (7, 8)]) == 8


def test_pod_from_template_for_an_index():
    j = job(mode="Indexed")
    p = pod_from_template(j, 3)
    meta = p["metadata"]
    assert meta["generateName"] == "pi-3-"
    assert meta["annotations"][ix.COMPLETION_INDEX_KEY] == "3"
    assert meta["labels"] == {"app": "pi", ix.COMPLETION_INDEX_KEY: "3"}
    assert meta["finalizers"] == [JOB_TRACKING_FINALIZER]
    assert meta["ownerReferences"][0]["uid"] == "job-uid"
    assert p["spec"]["hostname"] == "pi-3"
    env = p["spec"]["containers"][0]["env"]
    path = f"metadata.labels['{ix.COMPLETION_INDEX_KEY}']"
    assert env == [{"name": "JOB_COMPLETION_INDEX", "valueFrom": {"fieldRef": {"fieldPath": path}}}]
    assert pod_from_template(job(), None)["metadata"]["generateName"] == "pi-"


# -- back-off and expectations (backoff_utils_test.go, controller_utils_test.go) -------------------
@pytest.mark.parametrize(
    ("failures", "elapsed", "left"),
    [
        (0, 0, 0),
        (1, 0, 10),
        (1, 4, 6),
        (2, 5, 15),
        (3, 0, 40),
        (6, 0, 320),
        (7, 0, 600),
        (8, 0, 600),
        (7, 40, 560),
        (20, 100, 500),
        (1, 11, 0),
    ],
)
def test_remaining_backoff(failures, elapsed, left):
    record = BackoffRecord(failures, 1000.0 if failures else None)
    assert remaining_backoff(record, 1000.0 + elapsed) == left


def test_new_backoff_record_resets_on_success_and_counts_later_failures():
    def finished(phase, t):
        state = {"terminated": {"finishedAt": format_time(t)}}
        return pod(phase, containerStatuses=[{"name": "c", "state": state}])

    old = BackoffRecord(3, 100.0)
    assert new_backoff_record(old, [], []) == old
    assert new_backoff_record(old, [], [finished("Failed", 200)]) == BackoffRecord(4, 200.0)
    record = new_backoff_record(
        old,
        [finished("Succeeded", 300)],
        [finished("Failed", 250), finished("Failed", 310), finished("Failed", 320)],
    )
    assert record == BackoffRecord(2, 320.0)
    assert new_backoff_record(old, [finished("Succeeded", 300)], []) == BackoffRecord(0, None)


def test_expectations_satisfied_after_observations_or_timeout():
    now = [0.0]
    exp = ControllerExpectations(clock=lambda: now[0])
    assert exp.satisfied("a")
    exp.expect("a", add=2)
    exp.lower("a", add=1)
    assert not exp.satisfied("a")
    exp.lower("a", add=1)
    assert exp.satisfied("a")
    exp.expect("a", delete=1)
    now[0] = 301.0
    assert exp.satisfied("a")
    assert repr(exp) == "ControllerExpectations({'a': (0, 1)})"


# -- scenarios through the Cluster facade ----------------------------------------------------------
def manifest(name="pi", **spec):
    spec.setdefault(
        "template",
        {"spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "perl"}]}},
    )
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": name}, "spec": spec}


def finish(c, name, phase="Succeeded"):
    """What a kubelet would write: the pod's phase and its container's end."""
    p = c.get("pods", name)
    code = 0 if phase == "Succeeded" else 1
    state = {"terminated": {"exitCode": code, "finishedAt": c.loop.timestamp()}}
    p["status"] = {"phase": phase, "containerStatuses": [{"name": "c", "state": state}]}
    c.client.update_status("pods", p)


def live_pods(c, job_name="pi"):
    return [
        p
        for p in c.get("pods")
        if p["metadata"]["labels"].get("job-name") == job_name
        and p["status"].get("phase") not in ("Succeeded", "Failed")
        and not p["metadata"].get("deletionTimestamp")
    ]


def events(c, name="pi"):
    return [
        (e["reason"], e["message"]) for e in c.get("events") if e["involvedObject"]["name"] == name
    ]


def test_job_runs_to_completion():
    c = Cluster(seed=0)
    c.apply(manifest(completions=3, parallelism=2))
    c.settle()
    job_obj = c.get("jobs", "pi")
    assert job_obj["spec"]["selector"]["matchLabels"] == {
        "batch.kubernetes.io/controller-uid": job_obj["metadata"]["uid"]
    }
    first = live_pods(c)
    assert len(first) == 2 and all(p["metadata"]["name"].startswith("pi-") for p in first)
    assert all(len(p["metadata"]["name"]) == len("pi-") + 5 for p in first)
    assert first[0]["metadata"]["finalizers"] == [JOB_TRACKING_FINALIZER]
    assert first[0]["spec"]["restartPolicy"] == "Never"
    while live_pods(c):
        for p in live_pods(c):
            finish(c, p["metadata"]["name"])
        c.settle()
    status = c.get("jobs", "pi")["status"]
    assert status["succeeded"] == 3 and "active" not in status
    assert [x["type"] for x in status["conditions"]] == ["SuccessCriteriaMet", "Complete"]
    assert status["completionTime"] and status["uncountedTerminatedPods"] == {}
    assert all(not p["metadata"].get("finalizers") for p in c.get("pods"))
    reasons = [r for r, _ in events(c)]
    assert reasons.count("SuccessfulCreate") == 3 and reasons[-1] == "Completed"
    assert ("Completed", "Job completed") in events(c)
    assert "pi     Complete   3/3" in c.kubectl("get jobs")


def test_failed_pods_back_off_then_backoff_limit_fails_the_job():
    c = Cluster(seed=0)
    c.apply(manifest(completions=1, parallelism=1, backoffLimit=2))
    c.settle()
    created, failed = [], []
    for _ in range(3):
        (p,) = live_pods(c)
        created.append(parse_time(p["metadata"]["creationTimestamp"]) or 0.0)
        failed.append(parse_time(c.loop.timestamp()) or 0.0)
        finish(c, p["metadata"]["name"], "Failed")
        c.settle()
    # replacements came 10 s, then 20 s after each failure (its container's finishedAt)
    assert [round(b - a) for a, b in zip(failed, created[1:], strict=False)] == [10, 20]
    status = c.get("jobs", "pi")["status"]
    assert status["failed"] == 3
    types = [(x["type"], x["reason"]) for x in status["conditions"]]
    assert types == [("FailureTarget", "BackoffLimitExceeded"), ("Failed", "BackoffLimitExceeded")]
    assert ("BackoffLimitExceeded", "Job has reached the specified backoff limit") in events(c)
    assert not live_pods(c)


def test_indexed_job_pods_and_completed_indexes():
    c = Cluster(seed=0)
    c.apply(manifest(completions=3, parallelism=3, completionMode="Indexed"))
    c.settle()
    by_index = {int(p["metadata"]["annotations"][ix.COMPLETION_INDEX_KEY]): p for p in live_pods(c)}
    assert sorted(by_index) == [0, 1, 2]
    p1 = by_index[1]
    assert p1["metadata"]["name"].startswith("pi-1-") and p1["spec"]["hostname"] == "pi-1"
    assert p1["metadata"]["labels"][ix.COMPLETION_INDEX_KEY] == "1"
    assert p1["spec"]["containers"][0]["env"][0]["name"] == "JOB_COMPLETION_INDEX"
    finish(c, by_index[0]["metadata"]["name"])
    finish(c, by_index[2]["metadata"]["name"])
    c.settle()
    assert c.get("jobs", "pi")["status"]["completedIndexes"] == "0,2"
    finish(c, by_index[1]["metadata"]["name"], "Failed")
    c.run(11)
    (again,) = live_pods(c)
    assert again["metadata"]["annotations"][ix.COMPLETION_INDEX_KEY] == "1"
    finish(c, again["metadata"]["name"])
    c.settle()
    status = c.get("jobs", "pi")["status"]
    assert status["completedIndexes"] == "0-2" and status["succeeded"] == 3
    assert status["failed"] == 1 and status["conditions"][-1]["type"] == "Complete"


def test_suspend_and_resume():
    c = Cluster(seed=0)
    c.apply(manifest(completions=4, parallelism=2, suspend=True))
    c.settle()
    status = c.get("jobs", "pi")["status"]
    assert not live_pods(c) and "startTime" not in status
    assert status["conditions"][0]["reason"] == "JobSuspended"
    c.run(60)
    resumed_at = c.loop.timestamp()
    c.client.patch("jobs", "pi", {"spec": {"suspend": False}}, "default")
    c.settle()
    status = c.get("jobs", "pi")["status"]
    assert len(live_pods(c)) == 2 and status["startTime"] == resumed_at  # a spec change: no delay
    assert status["conditions"][0]["status"] == "False"
    c.client.patch("jobs", "pi", {"spec": {"suspend": True}}, "default")
    c.settle()
    assert not live_pods(c) and not c.get("pods")  # unscheduled pods go at once
    suspended = [e for e in c.get("events") if e["reason"] == "Suspended"]
    assert [e["count"] for e in suspended] == [2]  # the recorder aggregates repeats
    assert [r for r, _ in events(c)].count("SuccessfulDelete") == 2


def test_active_deadline_fails_the_job_and_deletes_pods():
    c = Cluster(seed=0)
    c.apply(manifest(completions=2, parallelism=2, activeDeadlineSeconds=30))
    c.settle()
    assert c.loop.now < 30 and len(live_pods(c)) == 2
    c.run(31)
    status = c.get("jobs", "pi")["status"]
    assert status["conditions"][-1]["type"] == "Failed"
    assert status["conditions"][-1]["reason"] == "DeadlineExceeded"
    assert status["failed"] == 2 and not c.get("pods")
    assert ("DeadlineExceeded", "Job was active longer than specified deadline") in events(c)


def test_scale_down_parallelism_deletes_pods():
    c = Cluster(seed=0)
    c.apply(manifest(completions=10, parallelism=4))
    c.settle()
    c.client.patch("jobs", "pi", {"spec": {"parallelism": 1}}, "default")
    c.settle()
    assert len(live_pods(c)) == 1
    assert [r for r, _ in events(c)].count("SuccessfulDelete") == 3
    assert c.get("jobs", "pi")["status"].get("failed", 0) == 0


def test_deleted_job_releases_its_pods_finalizers():
    c = Cluster(seed=0)
    c.apply(manifest(completions=2, parallelism=2))
    c.settle()
    c.delete("jobs", "pi", propagation="Orphan")
    c.settle()
    assert len(c.get("pods")) == 2
    assert all(not p["metadata"].get("finalizers") for p in c.get("pods"))


# -- property: successes never exceed completions, active pods never exceed parallelism ------------
ops = st.lists(
    st.one_of(
        st.tuples(st.just("succeed"), st.integers(0, 5)),
        st.tuples(st.just("fail"), st.integers(0, 5)),
        st.tuples(st.just("scale"), st.integers(0, 5)),
        st.tuples(st.just("run"), st.integers(1, 400)),
    ),
    max_size=12,
)


@settings(max_examples=25)
@given(
    completions=st.integers(1, 6),
    parallelism=st.integers(1, 4),
    indexed=st.booleans(),
    steps=ops,
)
def test_job_invariants_under_random_failures_and_scaling(completions, parallelism, indexed, steps):
    c = Cluster(seed=0)
    spec = {"completions": completions, "parallelism": parallelism, "backoffLimit": 100}
    if indexed:
        spec["completionMode"] = "Indexed"
    c.apply(manifest(**spec))
    c.settle()
    for op, arg in steps:
        live = live_pods(c)
        if op in ("succeed", "fail") and live:
            finish(
                c,
                live[arg % len(live)]["metadata"]["name"],
                "Failed" if op == "fail" else "Succeeded",
            )
        elif op == "scale":
            parallelism = arg
            c.client.patch("jobs", "pi", {"spec": {"parallelism": arg}}, "default")
        elif op == "run":
            c.run(arg)
        c.settle()
        status = c.get("jobs", "pi")["status"]
        assert status.get("succeeded", 0) <= completions
        assert len(live_pods(c)) <= parallelism
        assert status.get("active", 0) == len(live_pods(c))
        succeeded_pods = [p for p in c.get("pods") if p["status"].get("phase") == "Succeeded"]
        if not indexed:
            assert len(succeeded_pods) <= completions


def test_expectations_prevent_double_creation_before_the_cache_catches_up():
    c = Cluster(seed=0)
    controller = c.controller_manager.controllers["job-controller"]
    c.apply(manifest(completions=5, parallelism=3))
    while not controller.jobs.list("default"):
        c.loop.step()
    controller.queue.shut_down()  # drive reconcile by hand from here
    controller.reconcile("default/pi")
    assert len(c.get("pods")) == 3 and not controller.pods_for_job(c.get("jobs", "pi"))
    with pytest.raises(Conflict):  # the cache is stale: its status write is retried later
        controller.reconcile("default/pi")  # the informer has not seen the pods yet
    assert len(c.get("pods")) == 3


def test_deleting_a_job_in_the_background_removes_its_tracked_pods():
    c = Cluster(seed=0)
    c.apply(manifest(completions=2, parallelism=2))
    c.settle()
    c.delete("jobs", "pi")
    c.settle()
    assert c.get("pods") == [] and c.get("jobs") == []
