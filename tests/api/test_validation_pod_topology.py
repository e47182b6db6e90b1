"""Topology spread constraint validation: the rows of upstream's
`TestValidateTopologySpreadConstraints` (`pkg/apis/core/validation/validation_test.go`), with
upstream's error types, field paths, bad values and details, plus the end-to-end message."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minik8s.api.field import FieldError, Path, duplicate, forbidden, invalid, not_supported
from minik8s.api.field import required as required_value
from minik8s.api.validation.pod_topology import validate_topology_spread_constraints

Obj = dict[str, Any]
FIELD = Path("field")
SUB0 = FIELD.index(0)
ACTIONS = ["DoNotSchedule", "ScheduleAnyway"]
POLICIES = ["Honor", "Ignore"]
NOT_POSITIVE = "must be greater than zero"
MIN_DOMAINS_ANYWAY = (
    "can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway"
)
LABEL_NAME_MSG = (
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
    "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
    "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)


def tsc(max_skew: int = 1, key: str = "k8s.io/zone", action: str = "DoNotSchedule", **extra: Any):
    c: Obj = {"maxSkew": max_skew, "whenUnsatisfiable": action, **extra}
    if key:
        c["topologyKey"] = key
    return c


CASES: list[tuple[str, list[Obj], list[FieldError]]] = [
    ("all required fields ok", [tsc(minDomains=3)], []),
    ("missing MaxSkew", [tsc(0)], [invalid(SUB0.child("maxSkew"), 0, NOT_POSITIVE)]),
    ("negative MaxSkew", [tsc(-1)], [invalid(SUB0.child("maxSkew"), -1, NOT_POSITIVE)]),
    ("can use MinDomains with ScheduleAnyway, when MinDomains = nil", [tsc(action=ACTIONS[1])], []),
    (
        "negative minDomains is invalid",
        [tsc(minDomains=-1)],
        [invalid(SUB0.child("minDomains"), -1, NOT_POSITIVE)],
    ),
    (
        "cannot use non-nil MinDomains with ScheduleAnyway",
        [tsc(action="ScheduleAnyway", minDomains=10)],
        [invalid(SUB0.child("minDomains"), 10, MIN_DOMAINS_ANYWAY)],
    ),
    (
        "use negative MinDomains with ScheduleAnyway(invalid)",
        [tsc(action="ScheduleAnyway", minDomains=-1)],
        [
            invalid(SUB0.child("minDomains"), -1, NOT_POSITIVE),
            invalid(SUB0.child("minDomains"), -1, MIN_DOMAINS_ANYWAY),
        ],
    ),
    (
        "missing TopologyKey",
        [tsc(key="")],
        [required_value(SUB0.child("topologyKey"), "can not be empty")],
    ),
    (
        "missing scheduling mode",
        [tsc(action="")],
        [not_supported(SUB0.child("whenUnsatisfiable"), "", ACTIONS)],
    ),
    (
        "unsupported scheduling mode",
        [tsc(action="N/A")],
        [not_supported(SUB0.child("whenUnsatisfiable"), "N/A", ACTIONS)],
    ),
    (
        "multiple constraints ok with all required fields",
        [tsc(), tsc(2, "k8s.io/node", "ScheduleAnyway")],
        [],
    ),
    (
        "multiple constraints missing TopologyKey on partial ones",
        [tsc(key="", action="ScheduleAnyway"), tsc()],
        [required_value(SUB0.child("topologyKey"), "can not be empty")],
    ),
    (
        "duplicate constraints",
        [tsc(), tsc(2)],
        [duplicate(SUB0.child("{topologyKey, whenUnsatisfiable}"), "{k8s.io/zone, DoNotSchedule}")],
    ),
    (
        "supported policy name set on NodeAffinityPolicy and NodeTaintsPolicy",
        [tsc(nodeAffinityPolicy="Honor", nodeTaintsPolicy="Ignore")],
        [],
    ),
    (
        "unsupported policy name set on NodeAffinityPolicy",
        [tsc(nodeAffinityPolicy="Unknown", nodeTaintsPolicy="Ignore")],
        [not_supported(SUB0.child("nodeAffinityPolicy"), "Unknown", POLICIES)],
    ),
    (
        "unsupported policy name set on NodeTaintsPolicy",
        [tsc(nodeAffinityPolicy="Honor", nodeTaintsPolicy="Unknown")],
        [not_supported(SUB0.child("nodeTaintsPolicy"), "Unknown", POLICIES)],
    ),
    (
        "key in MatchLabelKeys isn't correctly defined",
        [tsc(labelSelector={}, matchLabelKeys=["/simple"])],
        [
            invalid(
                SUB0.child("matchLabelKeys").index(0), "/simple", "prefix part must be non-empty"
            )
        ],
    ),
    (
        "key exists in both matchLabelKeys and labelSelector",
        [
            tsc(
                matchLabelKeys=["foo"],
                labelSelector={
                    "matchExpressions": [
                        {"key": "foo", "operator": "NotIn", "values": ["value1", "value2"]}
                    ]
                },
            )
        ],
        [
            invalid(
                SUB0.child("matchLabelKeys").index(0),
                "foo",
                "exists in both matchLabelKeys and labelSelector",
            )
        ],
    ),
    (
        "key in MatchLabelKeys is forbidden to be specified when labelSelector is not set",
        [tsc(matchLabelKeys=["foo"])],
        [
            forbidden(
                SUB0.child("matchLabelKeys"), "must not be specified when labelSelector is not set"
            )
        ],
    ),
    (
        "invalid matchLabels set on labelSelector when "
        "AllowInvalidTopologySpreadConstraintLabelSelector is false",
        [tsc(labelSelector={"matchLabels": {"NoUppercaseOrSpecialCharsLike=Equals": "foo"}})],
        [
            invalid(
                SUB0.child("labelSelector", "matchLabels"),
                "NoUppercaseOrSpecialCharsLike=Equals",
                LABEL_NAME_MSG,
            )
        ],
    ),
    (
        "valid matchLabels set on labelSelector when "
        "AllowInvalidTopologySpreadConstraintLabelSelector is false",
        [tsc(labelSelector={"matchLabels": {"foo": "foo"}})],
        [],
    ),
]


@pytest.mark.parametrize(("name", "constraints", "expected"), CASES, ids=[c[0] for c in CASES])
def test_upstream_table(name: str, constraints: list[Obj], expected: list[FieldError]) -> None:
    assert validate_topology_spread_constraints(constraints, FIELD) == expected


def test_duplicate_message_and_only_the_first_of_a_pair_is_reported() -> None:
    constraints = [tsc(key="a"), tsc(key="b"), tsc(key="a"), tsc(key="a", action="ScheduleAnyway")]
    errs = validate_topology_spread_constraints(constraints, Path("spec.topologySpreadConstraints"))
    assert [str(e) for e in errs] == [
        'spec.topologySpreadConstraints[0].{topologyKey, whenUnsatisfiable}: Duplicate value: "{a, '
        'DoNotSchedule}"'
    ]


@given(
    st.lists(
        st.tuples(st.sampled_from(["a", "b", "c"]), st.sampled_from(ACTIONS)),
        min_size=0,
        max_size=6,
    )
)
def test_duplicates_flag_each_pair_that_repeats_later(pairs: list[tuple[str, str]]) -> None:
    constraints = [tsc(key=k, action=a) for k, a in pairs]
    errs = validate_topology_spread_constraints(constraints, FIELD)
    flagged = [e.field for e in errs]
    expected = [
        f"field[{i}].{{topologyKey, whenUnsatisfiable}}"
        for i, pair in enumerate(pairs)
        if pair in pairs[i + 1 :]
    ]
    assert flagged == expected
