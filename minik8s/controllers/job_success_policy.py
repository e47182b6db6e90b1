"""A Job's `spec.successPolicy`, mirroring upstream `pkg/controller/job/success_policy.go`
(`matchSuccessPolicy`, `matchSucceededIndexesRule`).

An Indexed Job with a success policy is declared succeeded (condition `SuccessCriteriaMet`,
reason `SuccessPolicy`, message `Matched rules at index <i>`) as soon as one rule matches: all
its `succeededIndexes` succeeded, or `succeededCount` of them, or (without `succeededIndexes`)
`succeededCount` indexes in total. The remaining pods are then deleted and the Job becomes
`Complete` with the same reason and message. The `JobSuccessPolicy` gate is on (beta in 1.31).
Left out: metrics.
"""

from __future__ import annotations

from typing import Any

from minik8s.controllers import indexed_job as ix

Obj = dict[str, Any]

REASON_SUCCESS_POLICY = "SuccessPolicy"  # upstream batch.JobReasonSuccessPolicy
RULES_MATCHED_MESSAGE = "Matched rules at index"


def match_success_policy(
    policy: Obj | None, completions: int, succeeded: ix.Intervals
) -> tuple[str, bool]:
    """`matchSuccessPolicy`: (message, True) for the first matching rule, else ("", False)."""
    if policy is None or not succeeded:
        return "", False
    for index, rule in enumerate(policy.get("rules") or []):
        count = rule.get("succeededCount")
        if rule.get("succeededIndexes") is not None:
            required = ix.parse_indexes(rule["succeededIndexes"], completions)
            if not required:  # unparseable or empty: the rule never matches
                continue
            if match_succeeded_indexes_rule(required, succeeded, count):
                return f"{RULES_MATCHED_MESSAGE} {index}", True
        elif count is not None and ix.total(succeeded) >= count:
            return f"{RULES_MATCHED_MESSAGE} {index}", True
    return "", False


def match_succeeded_indexes_rule(
    rule: ix.Intervals, succeeded: ix.Intervals, succeeded_count: int | None
) -> bool:
    """`matchSucceededIndexesRule`: all of the rule's indexes succeeded, or `succeeded_count`."""
    contains = 0
    r = s = 0
    while r < len(rule) and s < len(succeeded):
        overlap = min(rule[r][1], succeeded[s][1]) - max(rule[r][0], succeeded[s][0]) + 1
        if overlap > 0:
            contains += overlap
        if succeeded[s][1] < rule[r][1]:
            s += 1
        elif succeeded[s][1] > rule[r][1]:
            r += 1
        else:
            s += 1
            r += 1
    return contains == ix.total(rule) or (
        succeeded_count is not None and contains >= succeeded_count
    )
