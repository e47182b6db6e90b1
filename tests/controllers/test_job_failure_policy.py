"""A Job's pod failure policy: upstream pod_failure_policy_test.go TestMatchPodFailurePolicy rows,
the `plan` effects, and whole scenarios through `Cluster`."""

from __future__ import annotations

import pytest

from minik8s.cluster import Cluster
from minik8s.controllers.job_failure_policy import (
    match_pod_failure_policy,
    non_ignored_failed_pods_count,
)
from minik8s.controllers.job_plan import plan
from minik8s.controllers.job_util import JOB_TRACKING_FINALIZER, BackoffRecord, parse_time


# -- TestMatchPodFailurePolicy ---------------------------------------------------------------------
def exit_rule(action, operator, values, container=None):
    req = {"operator": operator, "values": values}
    if container is not None:
        req["containerName"] = container
    return {"action": action, "onExitCodes": req}


def cond_rule(action, status="True", kind="DisruptionTarget"):
    return {"action": action, "onPodConditions": [{"type": kind, "status": status}]}


def exited(code, name=None):
    cs = {"state": {"terminated": {"exitCode": code}}}
    if name is not None:
        cs["name"] = name
    return cs


def failed_pod(containers=(), init=(), conditions=()):
    status = {"phase": "Failed", "containerStatuses": list(containers)}
    if init:
        status["initContainerStatuses"] = list(init)
    if conditions:
        status["conditions"] = [{"type": t, "status": s} for t, s in conditions]
    return {"metadata": {"namespace": "default", "name": "mypod"}, "status": status}


def fail_msg(container, code, index):
    return (
        f"Container {container} for pod default/mypod failed with exit code {code} "
        f"matching FailJob rule at index {index}"
    )


DISRUPTED = [("DisruptionTarget", "True")]
CASES = {
    "unknown action for rule matching by exit codes - skip rule with unknown action": (
        [exit_rule("UnknownAction", "In", [1, 2]), exit_rule("FailJob", "In", [2, 3])],
        failed_pod([exited(2, "main-container")]),
        (fail_msg("main-container", 2, 1), True, "FailJob"),
    ),
    "unknown action for rule matching by pod conditions - skip rule with unknown action": (
        [cond_rule("UnkonwnAction"), cond_rule("Ignore")],
        failed_pod(conditions=DISRUPTED),
        (None, False, "Ignore"),
    ),
    "unknown operator - rule with unknown action is skipped for onExitCodes": (
        [exit_rule("Ignore", "UnknownOperator", [1, 2]), exit_rule("FailJob", "In", [2, 3])],
        failed_pod([exited(2, "main-container")]),
        (fail_msg("main-container", 2, 1), True, "FailJob"),
    ),
    "no policy rules": (None, failed_pod([exited(2)]), (None, True, None)),
    "ignore rule matched for exit codes": (
        [exit_rule("Ignore", "In", [1, 2, 3])],
        failed_pod([exited(2)]),
        (None, False, "Ignore"),
    ),
    "ignore rule matched on negative exit codes - needed for Windows support": (
        [exit_rule("Ignore", "In", [-1073741676, -1073741510])],
        failed_pod([exited(-1073741510)]),
        (None, False, "Ignore"),
    ),
    "FailJob rule matched for exit codes": (
        [exit_rule("FailJob", "In", [1, 2, 3])],
        failed_pod([exited(2, "main-container")]),
        (fail_msg("main-container", 2, 0), True, "FailJob"),
    ),
    "successful containers are skipped by the rules": (
        [exit_rule("FailJob", "NotIn", [111])],
        failed_pod(
            [exited(111, "main-container"), exited(0, "suppport-container")],
            init=[exited(0, "init-container")],
        ),
        (None, True, None),
    ),
    "FailIndex rule matched for exit codes": (
        [exit_rule("FailIndex", "In", [1, 2, 3])],
        failed_pod([exited(2)]),
        (None, True, "FailIndex"),
    ),
    "pod failure policy with NotIn operator and value 0": (
        [exit_rule("FailJob", "NotIn", [0])],
        failed_pod([exited(1, "main-container"), exited(0, "suppport-container")]),
        (fail_msg("main-container", 1, 0), True, "FailJob"),
    ),
    "second jobfail rule matched for exit codes": (
        [exit_rule("Count", "In", [1, 2, 3]), exit_rule("FailJob", "In", [4, 5, 6])],
        failed_pod([exited(6, "main-container")]),
        (fail_msg("main-container", 6, 1), True, "FailJob"),
    ),
    "count rule matched for exit codes": (
        [exit_rule("Count", "In", [1, 2, 3])],
        failed_pod([{"name": "foo", "state": {}}, exited(2, "bar")]),
        (None, True, "Count"),
    ),
    "FailIndex rule matched for pod conditions": (
        [cond_rule("FailIndex")],
        failed_pod(conditions=DISRUPTED),
        (None, True, "FailIndex"),
    ),
    "ignore rule matched for pod conditions": (
        [cond_rule("Ignore")],
        failed_pod(conditions=DISRUPTED),
        (None, False, "Ignore"),
    ),
    "ignore rule matches by the status=False": (
        [cond_rule("Ignore", "False")],
        failed_pod(conditions=[("DisruptionTarget", "False")]),
        (None, False, "Ignore"),
    ),
    "ignore rule matches by the status=Unknown": (
        [cond_rule("Ignore", "Unknown")],
        failed_pod(conditions=[("DisruptionTarget", "Unknown")]),
        (None, False, "Ignore"),
    ),
    "ignore rule does not match when status for pattern is False, but actual True": (
        [cond_rule("Ignore", "False")],
        failed_pod(conditions=DISRUPTED),
        (None, True, None),
    ),
    "ignore rule does not match when status for pattern is True, but actual False": (
        [cond_rule("Ignore", "True")],
        failed_pod(conditions=[("DisruptionTarget", "False")]),
        (None, True, None),
    ),
    "job fail rule matched for pod conditions": (
        [cond_rule("FailJob")],
        failed_pod(conditions=DISRUPTED),
        (
            "Pod default/mypod has condition DisruptionTarget matching FailJob rule at index 0",
            True,
            "FailJob",
        ),
    ),
    "count rule matched for pod conditions": (
        [cond_rule("Count")],
        failed_pod(conditions=DISRUPTED),
        (None, True, "Count"),
    ),
    "no rule matched": (
        [
            exit_rule("Count", "NotIn", [8]),
            exit_rule("Ignore", "In", [1, 2, 3]),
            exit_rule("FailJob", "NotIn", [5, 6, 7]),
            cond_rule("Count", kind="ResourceLimitExceeded"),
            cond_rule("Ignore"),
        ],
        failed_pod([exited(32)]),
        (None, True, "Count"),
    ),
    # minik8s additions: containerName restricts the match; init containers come second
    "containerName restricts onExitCodes": (
        [exit_rule("FailJob", "In", [3], container="other"), exit_rule("Ignore", "In", [3])],
        failed_pod([exited(3, "main")]),
        (None, False, "Ignore"),
    ),
    "init container exit codes are matched after the regular containers": (
        [exit_rule("FailJob", "In", [7])],
        failed_pod([{"name": "main", "state": {"waiting": {}}}], init=[exited(7, "setup")]),
        (
            "Container setup for pod default/mypod failed with exit code 7 matching FailJob rule "
            "at index 0",
            True,
            "FailJob",
        ),
    ),
}


@pytest.mark.parametrize(("rules", "pod", "want"), CASES.values(), ids=list(CASES))
def test_match_pod_failure_policy(rules, pod, want):
    policy = None if rules is None else {"rules": rules}
    assert tuple(match_pod_failure_policy(policy, pod)) == want


def test_non_ignored_failed_pods_count():
    job = {"spec": {"podFailurePolicy": {"rules": [exit_rule("Ignore", "In", [3])]}}}
    pods = [failed_pod([exited(3)]), failed_pod([exited(4)]), failed_pod([exited(3)])]
    assert non_ignored_failed_pods_count(job, pods) == 1
    assert non_ignored_failed_pods_count({"spec": {}}, pods) == 3


# -- plan ------------------------------------------------------------------------------------------
NOW = parse_time("2025-01-01T01:00:00Z") or 0.0


def job(rules, **status):
    template = {"spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "x"}]}}
    spec = {
        "completions": 1,
        "parallelism": 1,
        "backoffLimit": 0,
        "podReplacementPolicy": "Failed",
        "podFailurePolicy": {"rules": rules},
        "template": template,
    }
    meta = {"name": "pfp", "namespace": "default", "uid": "job-uid"}
    return {
        "metadata": meta,
        "spec": spec,
        "status": {"startTime": "2025-01-01T00:00:00Z", **status},
    }


def owned(name, status):
    meta = {"name": name, "namespace": "default", "uid": f"uid-{name}"}
    meta["finalizers"] = [JOB_TRACKING_FINALIZER]
    meta["creationTimestamp"] = "2025-01-01T00:00:00Z"
    return {"metadata": meta, "spec": {}, "status": status}


def test_fail_job_rule_adds_failure_target_and_deletes_the_other_pods():
    rules = [exit_rule("FailJob", "In", [42])]
    j = job(rules)
    j["spec"]["parallelism"] = 2
    j["spec"]["completions"] = 2
    bad = owned("a", {"phase": "Failed", "containerStatuses": [exited(42, "c")]})
    running = owned("b", {"phase": "Running"})
    result = plan(j, [bad, running], NOW, BackoffRecord(), True)
    assert result.delete == ["b"] and result.create == []
    target = result.flush["conditions"][-1]
    assert (target["type"], target["reason"]) == ("FailureTarget", "PodFailurePolicy")
    want = "Container c for pod default/a failed with exit code 42 matching FailJob rule at index 0"
    assert target["message"] == want
    assert result.final is None or not any(
        c["type"] == "Failed" for c in result.final.get("conditions") or []
    )  # pod b is terminating now: Failed waits for it


def test_ignore_rule_does_not_count_the_failure():
    j = job([exit_rule("Ignore", "In", [3])])
    ignored = owned("a", {"phase": "Failed", "containerStatuses": [exited(3, "c")]})
    result = plan(j, [ignored], NOW, BackoffRecord(), True)
    assert result.remove_finalizers == ["a"]  # released, but not counted
    assert "failed" not in (result.flush or {}).get("uncountedTerminatedPods", {})
    assert "failed" not in (result.final or result.flush or {})
    assert not (result.flush or {}).get("conditions")  # backoffLimit 0 is not exceeded


def test_count_rule_counts_the_failure():
    j = job([exit_rule("Count", "In", [3])])
    counted = owned("a", {"phase": "Failed", "containerStatuses": [exited(3, "c")]})
    result = plan(j, [counted], NOW, BackoffRecord(), True)
    assert result.flush["uncountedTerminatedPods"] == {"failed": ["uid-a"]}
    kinds = [(c["type"], c["reason"]) for c in result.flush["conditions"]]
    assert kinds == [("FailureTarget", "BackoffLimitExceeded")]


# -- scenarios through the Cluster facade ----------------------------------------------------------
def manifest(name, command, rules, **spec):
    container = {"name": "c", "image": "busybox", "command": ["sh", "-c", command]}
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": name},
        "spec": {
            "podFailurePolicy": {"rules": rules},
            "template": {"spec": {"restartPolicy": "Never", "containers": [container]}},
            **spec,
        },
    }


def test_fail_job_rule_fails_the_job_at_the_first_matching_exit():
    c = Cluster(nodes=1, seed=0)
    c.apply(manifest("pfp", "exit 42", [exit_rule("FailJob", "In", [42], container="c")]))
    c.run(60)
    status = c.get("jobs", "pfp")["status"]
    (p,) = c.get("pods")  # no retry
    want = (
        f"Container c for pod default/{p['metadata']['name']} failed with exit code 42 "
        "matching FailJob rule at index 0"
    )
    conds = [(x["type"], x["status"], x["reason"], x["message"]) for x in status["conditions"]]
    assert conds == [
        ("FailureTarget", "True", "PodFailurePolicy", want),
        ("Failed", "True", "PodFailurePolicy", want),
    ]
    assert status["failed"] == 1 and "active" not in status
    events = [(e["type"], e["reason"], e["message"]) for e in c.get("events")]
    assert ("Warning", "PodFailurePolicy", want) in events
    assert "pfp    Failed   0/1" in c.kubectl("get jobs")


def test_ignore_rule_on_exit_code_retries_without_counting():
    c = Cluster(nodes=1, seed=0)
    c.apply(manifest("ign", "exit 3", [exit_rule("Ignore", "In", [3])], backoffLimit=0))
    c.run(120)
    status = c.get("jobs", "ign")["status"]
    assert "failed" not in status and not status.get("conditions")
    assert len(c.get("pods")) >= 3  # replaced again and again (still with the failure back-off)


def test_ignore_rule_on_disruption_target_retries_without_counting():
    c = Cluster(nodes=1, seed=0)
    rules = [cond_rule("Ignore"), exit_rule("FailJob", "NotIn", [0])]
    c.apply(manifest("dis", "sleep 1000", rules, backoffLimit=0))
    c.run(5)
    (p,) = c.get("pods")
    # what an eviction does to the pod: DisruptionTarget, then the kubelet's Failed phase
    p["status"]["conditions"] = [
        *p["status"].get("conditions", []),
        {
            "type": "DisruptionTarget",
            "status": "True",
            "reason": "EvictionByEvictionAPI",
        },
    ]
    p["status"]["phase"] = "Failed"
    c.client.update_status("pods", p)
    c.run(30)
    status = c.get("jobs", "dis")["status"]
    assert "failed" not in status and not status.get("conditions")
    assert status["active"] == 1
    names = [x["metadata"]["name"] for x in c.get("pods")]
    assert len(names) == 2 and p["metadata"]["name"] in names


def test_fail_job_waits_for_the_other_pods_to_terminate_before_failed():
    c = Cluster(nodes=1, seed=0)
    script = "if [ $JOB_COMPLETION_INDEX = 0 ]; then exit 42; fi; sleep 1000"
    rules = [exit_rule("FailJob", "In", [42])]
    c.apply(manifest("two", script, rules, completions=2, parallelism=2, completionMode="Indexed"))
    c.run(5)
    status = c.get("jobs", "two")["status"]
    assert [x["type"] for x in status["conditions"]] == ["FailureTarget"]
    assert status["terminating"] == 1  # index 1 is being deleted (30 s grace period)
    c.run(40)
    status = c.get("jobs", "two")["status"]
    assert [x["type"] for x in status["conditions"]] == ["FailureTarget", "Failed"]
    assert status["terminating"] == 0 and status["failed"] == 2  # the deleted pod counts too
    failed_at = parse_time(status["conditions"][1]["lastTransitionTime"]) or 0.0
    target_at = parse_time(status["conditions"][0]["lastTransitionTime"]) or 0.0
    assert failed_at - target_at >= 30
