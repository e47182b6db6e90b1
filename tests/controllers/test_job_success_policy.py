"""A Job's `successPolicy`: upstream's TestMatchSuccessPolicy table (success_policy_test.go,
the cases with the gate on), a `plan` case and a scenario through the Cluster facade."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minik8s.cluster import Cluster
from minik8s.controllers import indexed_job as ix
from minik8s.controllers.job_success_policy import (
    match_succeeded_indexes_rule,
    match_success_policy,
)
from tests.controllers.test_job import (
    conditions,
    events,
    finish,
    job,
    live_pods,
    manifest,
    pod,
    sync,
)

M0, M1 = "Matched rules at index 0", "Matched rules at index 1"


def rules(*specs):
    out = []
    for spec in specs:
        indexes, count = spec if isinstance(spec, tuple) else (spec, None)
        rule = {} if indexes is None else {"succeededIndexes": indexes}
        if count is not None:
            rule["succeededCount"] = count
        out.append(rule)
    return {"rules": out}


@pytest.mark.parametrize(
    ("policy", "succeeded", "message"),
    [
        pytest.param(None, [(0, 0)], "", id="successPolicy is null"),
        pytest.param({"rules": []}, [(0, 0)], "", id="any rules are nothing"),
        pytest.param(rules("invalid-form"), [(0, 0)], "", id="invalid format"),
        pytest.param(rules("0-2"), [(0, 2), (4, 7)], M0, id="indexes matched"),
        pytest.param(rules("3"), [(0, 2)], "", id="indexes didn't match"),
        pytest.param(rules((None, 2)), [(0, 2)], M0, id="count matched"),
        pytest.param(rules((None, 4)), [(0, 2)], "", id="count didn't match"),
        pytest.param(rules("9", "4,6"), [(0, 2), (4, 7)], M1, id="met one of rules"),
        pytest.param(rules("0,1", "5"), [(0, 2), (4, 7)], M0, id="met all rules"),
        pytest.param(rules(("3-6", 2)), [(0, 2), (4, 7)], M0, id="indexes and count met"),
        pytest.param(rules(("3-6", 2)), [(0, 2), (6, 7)], "", id="indexes and count not met"),
        pytest.param(rules((None, 4)), [], "", id="succeeded indexes are nothing"),
        pytest.param(rules("2-4,6-8"), [(1, 5), (6, 9)], M0, id="rules proper subset"),
        pytest.param(rules("2-4,6-9"), [(2, 4), (6, 9)], M0, id="rules equal"),
        pytest.param(rules("2-4,8-12"), [(2, 5), (7, 15)], M0, id="rules subset"),
        pytest.param(rules(""), [(1, 3)], "", id="rules empty set"),
        pytest.param(rules(""), [], "", id="rules and succeeded empty"),
        pytest.param(rules("10-12,14-16"), [(1, 3), (5, 7)], "", id="rules out of range"),
        pytest.param(rules("1-3,5-7"), [(2, 4), (6, 8)], "", id="overlaps at first"),
        pytest.param(rules(("1-3,5-7", 4)), [(2, 4), (6, 8)], M0, id="overlaps at first+count"),
        pytest.param(rules("2-4,6-9"), [(1, 3), (5, 7)], "", id="overlaps at last"),
        pytest.param(rules(("2-4,6-9", 4)), [(1, 3), (5, 7)], M0, id="overlaps at last+count"),
        pytest.param(rules("0-4,6-9"), [(1, 3), (7, 8)], "", id="completely overlaps"),
        pytest.param(rules(("0-4,6-9", 5)), [(1, 3), (7, 8)], M0, id="completely overlaps+count"),
        pytest.param(rules("0-6,8-9"), [(1, 3), (5, 9)], "", id="overlaps multiple at last"),
        pytest.param(rules(("0-6,8-9", 7)), [(1, 3), (5, 9)], M0, id="multiple at last+count"),
        pytest.param(rules("0-5,7-9"), [(1, 5), (7, 10)], "", id="first overlap, last equal"),
        pytest.param(rules(("0-5,7-9", 8)), [(1, 5), (7, 10)], M0, id="first+last equal+count"),
        pytest.param(rules("0-3,6-9"), [(1, 10)], "", id="first rule overlaps at first"),
        pytest.param(rules(("0-3,6-9", 7)), [(1, 10)], M0, id="first rule at first+count"),
    ],
)
def test_match_success_policy(policy, succeeded, message):
    assert match_success_policy(policy, 10, succeeded) == (message, bool(message))


def test_plan_success_policy_met_deletes_the_rest_then_completes():
    j = job(mode="Indexed", completions=3, parallelism=3, successPolicy=rules((None, 1)))
    running = [pod("Running", index=1), pod("Running", index=2)]
    result = sync(j, [pod("Succeeded", index=0), *running])
    assert sorted(result.delete) == sorted(p["metadata"]["name"] for p in running)
    assert conditions(result.flush) == [("SuccessCriteriaMet", "True", "SuccessPolicy")]
    assert result.flush["completedIndexes"] == "0" and result.flush.get("failed") is None
    assert result.flush["terminating"] == 2 and result.final is None  # not Complete yet
    assert len(result.remove_finalizers) == 3
    # once the deleted pods are gone, the Job is Complete with the policy's reason and message
    j2 = job(mode="Indexed", completions=3, parallelism=3, successPolicy=rules((None, 1)))
    j2["status"] = result.flush
    done = sync(j2, [])
    assert conditions(done.final)[-1] == ("Complete", "True", "SuccessPolicy")
    assert done.final["conditions"][-1]["message"] == M0
    assert done.events == [("Normal", "Completed", "Job completed")]


def test_success_policy_scenario():
    c = Cluster(seed=0)
    leader = {"succeededIndexes": "0"}
    spec = {"completions": 3, "parallelism": 3, "completionMode": "Indexed"}
    c.apply(manifest(successPolicy={"rules": [leader]}, **spec))
    c.settle()
    first = min(live_pods(c), key=lambda p: p["metadata"]["name"])
    assert first["metadata"]["name"].startswith("pi-0-")
    finish(c, first["metadata"]["name"])
    c.settle()
    status = c.get("jobs", "pi")["status"]
    got = [(x["type"], x["reason"], x["message"]) for x in status["conditions"]]
    assert got == [("SuccessCriteriaMet", "SuccessPolicy", M0), ("Complete", "SuccessPolicy", M0)]
    assert status["succeeded"] == 1 and status["completedIndexes"] == "0"
    assert not live_pods(c) and "failed" not in status
    assert ("Completed", "Job completed") in events(c)


def _intervals(indexes):
    return ix.with_indexes([], sorted(indexes))


@settings(max_examples=200, deadline=None)
@given(
    st.sets(st.integers(0, 30)),
    st.sets(st.integers(0, 30), min_size=1),
    st.one_of(st.none(), st.integers(1, 10)),
)
def test_succeeded_indexes_rule_is_set_containment(succeeded, rule, count):
    """`matchSucceededIndexesRule` counts the overlap of two interval lists, like sets."""
    got = match_succeeded_indexes_rule(_intervals(rule), _intervals(succeeded), count)
    overlap = len(rule & succeeded)
    assert got == (rule <= succeeded or (count is not None and overlap >= count))
