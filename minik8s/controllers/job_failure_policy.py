"""A Job's `spec.podFailurePolicy`, mirroring upstream `pkg/controller/job/pod_failure_policy.go`
(`matchPodFailurePolicy`) and the helpers of `job_controller.go` that use it
(`getFailJobMessage`, `nonIgnoredFailedPodsCount`).

Rules are tried in order; the first whose `onExitCodes` (a terminated, non-zero container of
`containerStatuses`, then `initContainerStatuses`, optionally only `containerName`, operator
`In`/`NotIn`) or `onPodConditions` (a pod condition with that type and status) matches decides:
`FailJob` (the Job fails with reason `PodFailurePolicy`), `Ignore` (the failure is not counted
towards `backoffLimit`), `Count` (counted as usual) or `FailIndex` (the index fails at once,
see `job_backoff_per_index`). A rule with an unknown action or operator is skipped. Left out:
rule names, metrics.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from minik8s.controllers.job_util import is_pod_failed

Obj = dict[str, Any]

FAIL_JOB, IGNORE, COUNT, FAIL_INDEX = "FailJob", "Ignore", "Count", "FailIndex"
REASON_POD_FAILURE_POLICY = "PodFailurePolicy"  # upstream batch.JobReasonPodFailurePolicy


class PolicyMatch(NamedTuple):
    """What a failed pod means under the policy (upstream's three return values)."""

    job_failure_message: str | None  # set when a FailJob rule matched
    count_failed: bool  # False when an Ignore rule matched
    action: str | None  # the matched rule's action, None when no rule matched


NO_MATCH = PolicyMatch(None, True, None)


def match_pod_failure_policy(policy: Obj | None, pod: Obj) -> PolicyMatch:
    """`matchPodFailurePolicy`: the first rule the failed `pod` matches, in order."""
    if policy is None:
        return NO_MATCH
    meta, status = pod.get("metadata") or {}, pod.get("status") or {}
    pod_ref = f"{meta.get('namespace', '')}/{meta.get('name', '')}"
    for index, rule in enumerate(policy.get("rules") or []):
        action = rule.get("action")
        if rule.get("onExitCodes") is not None:
            container = match_on_exit_codes(status, rule["onExitCodes"])
            if container is None:
                continue
            code = container["state"]["terminated"].get("exitCode", 0)
            what = f"Container {container.get('name', '')} for pod {pod_ref} failed with exit code"
            message = f"{what} {code} matching {action} rule at index {index}"
        elif rule.get("onPodConditions") is not None:
            condition = match_on_pod_conditions(status, rule["onPodConditions"])
            if condition is None:
                continue
            message = (
                f"Pod {pod_ref} has condition {condition.get('type')} matching {action} rule "
                f"at index {index}"
            )
        else:
            continue
        result = _act(action, message)
        if result is not None:
            return result
    return NO_MATCH


def _act(action: Any, message: str) -> PolicyMatch | None:
    """The outcome of a matched rule; None for an unknown action (the rule is skipped)."""
    if action == IGNORE:
        return PolicyMatch(None, False, IGNORE)
    if action == COUNT:
        return PolicyMatch(None, True, COUNT)
    if action == FAIL_INDEX:  # JobBackoffLimitPerIndex is on by default in 1.31
        return PolicyMatch(None, True, FAIL_INDEX)
    if action == FAIL_JOB:
        return PolicyMatch(message, True, FAIL_JOB)
    return None


def match_on_exit_codes(status: Obj, requirement: Obj) -> Obj | None:
    """`matchOnExitCodes`: a matching terminated container, regular ones first, then init."""
    for key in ("containerStatuses", "initContainerStatuses"):
        found = _matching_container(status.get(key) or [], requirement)
        if found is not None:
            return found
    return None


def _matching_container(statuses: list[Obj], requirement: Obj) -> Obj | None:
    """`getMatchingContainerFromList`: terminated with a non-zero code the operator accepts."""
    name = requirement.get("containerName")
    for cs in statuses:
        terminated = (cs.get("state") or {}).get("terminated")
        if terminated is None:  # still running or terminating: no exit code to match
            continue
        if name is not None and name != cs.get("name"):
            continue
        code = int(terminated.get("exitCode") or 0)
        if code != 0 and _operator_matches(code, requirement):
            return cs
    return None


def _operator_matches(code: int, requirement: Obj) -> bool:
    """`isOnExitCodesOperatorMatching`: `In` / `NotIn` the values; other operators never."""
    values = requirement.get("values") or []
    operator = requirement.get("operator")
    if operator == "In":
        return code in values
    if operator == "NotIn":
        return code not in values
    return False


def match_on_pod_conditions(status: Obj, patterns: list[Obj]) -> Obj | None:
    """`matchOnPodConditions`: the first pod condition equal in type and status to a pattern."""
    for condition in status.get("conditions") or []:
        for pattern in patterns:
            if condition.get("type") == pattern.get("type") and condition.get(
                "status"
            ) == pattern.get("status"):
                return condition
    return None


def fail_job_message(job: Obj, pods: list[Obj]) -> str | None:
    """`getFailJobMessage`: the message of the first failed pod matching a FailJob rule."""
    policy = (job.get("spec") or {}).get("podFailurePolicy")
    if policy is None:
        return None
    for pod in pods:
        if not is_pod_failed(pod, job):
            continue
        message = match_pod_failure_policy(policy, pod).job_failure_message
        if message is not None:
            return message
    return None


def counts_as_failure(job: Obj, pod: Obj) -> bool:
    """Whether a failed pod counts towards `backoffLimit` (False when an Ignore rule matched)."""
    return match_pod_failure_policy((job.get("spec") or {}).get("podFailurePolicy"), pod)[1]


def non_ignored_failed_pods_count(job: Obj, failed_pods: list[Obj]) -> int:
    """`nonIgnoredFailedPodsCount`."""
    return sum(1 for pod in failed_pods if counts_as_failure(job, pod))
