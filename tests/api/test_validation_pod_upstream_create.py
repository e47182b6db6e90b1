"""Upstream v1.31 `TestValidatePod` error cases (`pkg/apis/core/validation/validation_test.go`),
ported row by row through the API-level `validate_object`: as upstream's loop does, the aggregated
error text must contain each row's `expectedError`. Rows left out: matchLabelKeys /
mismatchLabelKeys in pod affinity terms (MatchLabelKeysInPodAffinity is not modelled), Windows /
sysctl / AppArmor field rows."""

from __future__ import annotations

from typing import Any

import pytest

from minik8s.api.defaults import apply_defaults
from minik8s.api.field import Path, aggregate
from minik8s.api.validation import validate_object
from minik8s.api.validation.pod import validate_pod_spec

Obj = dict[str, Any]
TERMS_PATH = "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"


def make_pod(
    name: str = "123", namespace: str = "ns", labels: Obj | None = None, **spec: Any
) -> Obj:
    """upstream's `podtest.MakePod(name, ...)`, defaulted."""
    meta: Obj = {"name": name, "namespace": namespace}
    if labels:
        meta["labels"] = labels
    containers = spec.pop("containers", [{"name": "ctr", "image": "image"}])
    obj = {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": {"containers": containers}}
    obj["spec"].update(spec)
    return apply_defaults(obj)


def node_required(*reqs: Obj, kind: str = "matchExpressions") -> Obj:
    return {
        "nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": [{kind: list(reqs)}]
            }
        }
    }


def pod_term(topology_key: str = "region", **extra: Any) -> Obj:
    selector = {"matchExpressions": [{"key": "key2", "operator": "NotIn", "values": ["v1", "v2"]}]}
    term: Obj = {"labelSelector": selector, "namespaces": ["ns"], **extra}
    if topology_key:
        term["topologyKey"] = topology_key
    return term


def weighted(term: Obj, weight: int = 10) -> list[Obj]:
    return [{"weight": weight, "podAffinityTerm": term}]


def tol(**fields: Any) -> Obj:
    return {"tolerations": [fields]}


ERROR_CASES: list[tuple[str, Obj, str]] = [
    ("bad name", make_pod(""), "metadata.name"),
    (
        "image whitespace",
        make_pod(containers=[{"name": "ctr", "image": " "}]),
        "spec.containers[0].image",
    ),
    (
        "image leading and trailing whitespace",
        make_pod(containers=[{"name": "ctr", "image": " something "}]),
        "spec.containers[0].image",
    ),
    ("bad namespace", make_pod(namespace=""), "metadata.namespace"),
    ("bad spec", make_pod(containers=[{}]), "spec.containers[0].name"),
    (
        "bad label",
        make_pod(labels={"NoUppercaseOrSpecialCharsLike=Equals": "bar"}),
        "NoUppercaseOrSpecialCharsLike=Equals",
    ),
    (
        "invalid node selector requirement in node affinity, operator can't be null",
        make_pod(affinity=node_required({"key": "key1"})),
        f"{TERMS_PATH}.nodeSelectorTerms[0].matchExpressions[0].operator",
    ),
    (
        "invalid node selector requirement in node affinity, key is invalid",
        make_pod(affinity=node_required({"key": "invalid key ___@#", "operator": "Exists"})),
        f"{TERMS_PATH}.nodeSelectorTerms[0].matchExpressions[0].key",
    ),
    (
        "invalid node field selector requirement in node affinity, more values for field selector",
        make_pod(
            affinity=node_required(
                {"key": "metadata.name", "operator": "In", "values": ["host1", "host2"]},
                kind="matchFields",
            )
        ),
        f"{TERMS_PATH}.nodeSelectorTerms[0].matchFields[0].values",
    ),
    (
        "invalid node field selector requirement in node affinity, invalid operator",
        make_pod(
            affinity=node_required(
                {"key": "metadata.name", "operator": "Exists"}, kind="matchFields"
            )
        ),
        f"{TERMS_PATH}.nodeSelectorTerms[0].matchFields[0].operator",
    ),
    (
        "invalid node field selector requirement in node affinity, invalid key",
        make_pod(
            affinity=node_required(
                {"key": "metadata.namespace", "operator": "In", "values": ["ns1"]},
                kind="matchFields",
            )
        ),
        f"{TERMS_PATH}.nodeSelectorTerms[0].matchFields[0].key",
    ),
    (
        "invalid preferredSchedulingTerm in node affinity, weight should be in range 1-100",
        make_pod(
            affinity={
                "nodeAffinity": {
                    "preferredDuringSchedulingIgnoredDuringExecution": [
                        {
                            "weight": 199,
                            "preference": {
                                "matchExpressions": [
                                    {"key": "foo", "operator": "In", "values": ["bar"]}
                                ]
                            },
                        }
                    ]
                }
            }
        ),
        "must be in the range 1-100",
    ),
    (
        "invalid requiredDuringSchedulingIgnoredDuringExecution node selector, "
        "nodeSelectorTerms must have at least one term",
        make_pod(
            affinity={
                "nodeAffinity": {
                    "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": []}
                }
            }
        ),
        f"{TERMS_PATH}.nodeSelectorTerms",
    ),
    (
        "invalid weight in preferredDuringSchedulingIgnoredDuringExecution in pod affinity",
        make_pod(
            affinity={
                "podAffinity": {
                    "preferredDuringSchedulingIgnoredDuringExecution": weighted(pod_term(), 109)
                }
            }
        ),
        "must be in the range 1-100",
    ),
    (
        "invalid labelSelector in preferred pod anti-affinity, values should be empty if Exists",
        make_pod(
            affinity={
                "podAntiAffinity": {
                    "preferredDuringSchedulingIgnoredDuringExecution": weighted(
                        pod_term(
                            labelSelector={
                                "matchExpressions": [
                                    {"key": "key2", "operator": "Exists", "values": ["v1", "v2"]}
                                ]
                            }
                        )
                    )
                }
            }
        ),
        "spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0]"
        ".podAffinityTerm.labelSelector.matchExpressions[0].values",
    ),
    (
        "invalid namespaceSelector in preferred pod anti-affinity, In operator must include Values",
        make_pod(
            affinity={
                "podAntiAffinity": {
                    "preferredDuringSchedulingIgnoredDuringExecution": weighted(
                        {
                            "namespaceSelector": {
                                "matchExpressions": [{"key": "key2", "operator": "In"}]
                            },
                            "namespaces": ["ns"],
                            "topologyKey": "region",
                        }
                    )
                }
            }
        ),
        "spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0]"
        ".podAffinityTerm.namespaceSelector.matchExpressions[0].values",
    ),
    (
        "invalid namespaceSelector in preferred pod anti-affinity, Exists can not have values",
        make_pod(
            affinity={
                "podAntiAffinity": {
                    "preferredDuringSchedulingIgnoredDuringExecution": weighted(
                        {
                            "namespaceSelector": {
                                "matchExpressions": [
                                    {"key": "key2", "operator": "Exists", "values": ["v1"]}
                                ]
                            },
                            "namespaces": ["ns"],
                            "topologyKey": "region",
                        }
                    )
                }
            }
        ),
        "spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0]"
        ".podAffinityTerm.namespaceSelector.matchExpressions[0].values",
    ),
    (
        "invalid name space in preferred pod affinity, namespace should be valid",
        make_pod(
            affinity={
                "podAffinity": {
                    "preferredDuringSchedulingIgnoredDuringExecution": weighted(
                        pod_term(namespaces=["INVALID_NAMESPACE"])
                    )
                }
            }
        ),
        "spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0]"
        ".podAffinityTerm.namespace",
    ),
    *(
        (
            f"invalid {hard} pod {kind}, empty topologyKey is not allowed",
            make_pod(
                affinity={
                    kind: {
                        f"{hard}DuringSchedulingIgnoredDuringExecution": (
                            [pod_term("")] if hard == "required" else weighted(pod_term(""))
                        )
                    }
                }
            ),
            "can not be empty",
        )
        for kind in ("podAffinity", "podAntiAffinity")
        for hard in ("required", "preferred")
    ),
    (
        "invalid toleration key",
        make_pod(
            **tol(key="nospecialchars^=@", operator="Equal", value="bar", effect="NoSchedule")
        ),
        "spec.tolerations[0].key",
    ),
    (
        "invalid toleration operator",
        make_pod(**tol(key="foo", operator="In", value="bar", effect="NoSchedule")),
        "spec.tolerations[0].operator",
    ),
    (
        "value must be empty when `operator` is 'Exists'",
        make_pod(**tol(key="foo", operator="Exists", value="bar", effect="NoSchedule")),
        "spec.tolerations[0].operator",
    ),
    (
        "operator must be 'Exists' when `key` is empty",
        make_pod(**tol(operator="Equal", value="bar", effect="NoSchedule")),
        "spec.tolerations[0].operator",
    ),
    (
        "effect must be 'NoExecute' when `TolerationSeconds` is set",
        make_pod(
            "pod-forgiveness-invalid",
            **tol(
                key="node.kubernetes.io/not-ready",
                operator="Exists",
                effect="NoSchedule",
                tolerationSeconds=20,
            ),
        ),
        "spec.tolerations[0].effect",
    ),
]


@pytest.mark.parametrize(("pod", "expected"), [pytest.param(p, e, id=n) for n, p, e in ERROR_CASES])
def test_error_cases(pod: Obj, expected: str) -> None:
    errs = validate_object(pod)
    assert errs, "expected failure"
    assert expected in aggregate(errs)


SUCCESS_CASES: list[tuple[str, Obj]] = [
    (
        "serialized node affinity requirements with matchFields",
        make_pod(
            affinity={
                "nodeAffinity": {
                    "requiredDuringSchedulingIgnoredDuringExecution": {
                        "nodeSelectorTerms": [
                            {
                                "matchExpressions": [
                                    {"key": "key2", "operator": "In", "values": ["v1", "v2"]}
                                ],
                                "matchFields": [
                                    {"key": "metadata.name", "operator": "In", "values": ["host1"]}
                                ],
                            }
                        ]
                    },
                    "preferredDuringSchedulingIgnoredDuringExecution": [
                        {
                            "weight": 10,
                            "preference": {
                                "matchExpressions": [
                                    {"key": "foo", "operator": "In", "values": ["bar"]}
                                ]
                            },
                        }
                    ],
                }
            }
        ),
    ),
    (
        "serialized node affinity requirements, II (empty expression lists)",
        make_pod(
            affinity={
                "nodeAffinity": {
                    "requiredDuringSchedulingIgnoredDuringExecution": {
                        "nodeSelectorTerms": [{"matchExpressions": []}]
                    },
                    "preferredDuringSchedulingIgnoredDuringExecution": [
                        {"weight": 10, "preference": {"matchExpressions": []}}
                    ],
                }
            }
        ),
    ),
    (
        "pod affinity with namespaces and namespaceSelector",
        make_pod(
            affinity={
                "podAffinity": {
                    "requiredDuringSchedulingIgnoredDuringExecution": [
                        pod_term(
                            "zone",
                            namespaceSelector={
                                "matchExpressions": [
                                    {"key": "key", "operator": "In", "values": ["v1", "v2"]}
                                ]
                            },
                        )
                    ],
                    "preferredDuringSchedulingIgnoredDuringExecution": weighted(pod_term()),
                }
            }
        ),
    ),
    (
        "forgiveness toleration with Exists",
        make_pod(**tol(key="foo", operator="Exists", effect="NoExecute", tolerationSeconds=60)),
    ),
    (
        "forgiveness toleration with Equal",
        make_pod(
            **tol(
                key="foo", operator="Equal", value="bar", effect="NoExecute", tolerationSeconds=60
            )
        ),
    ),
    ("empty key with Exists", make_pod(**tol(operator="Exists", effect="NoSchedule"))),
    (
        "empty operator defaults to Equal",
        make_pod(**tol(key="foo", value="bar", effect="NoSchedule")),
    ),
    ("empty effect matches all effects", make_pod(**tol(key="foo", operator="Equal", value="bar"))),
    (
        "negative tolerationSeconds is OK",
        make_pod(
            **tol(
                key="node.kubernetes.io/not-ready",
                operator="Exists",
                effect="NoExecute",
                tolerationSeconds=-2,
            )
        ),
    ),
]


@pytest.mark.parametrize("pod", [pytest.param(p, id=n) for n, p in SUCCESS_CASES])
def test_success_cases(pod: Obj) -> None:
    assert validate_object(pod) == []


# --- TestValidatePodSpec failure cases (any error), TestValidatePodReadinessGates, DNS config ---


def undefaulted_host_port(pod: Obj) -> Obj:
    """upstream's table is not defaulted: a hostNetwork pod keeps `hostPort: 0`."""
    pod["spec"]["containers"][0]["ports"][0]["hostPort"] = 0
    return pod


def spec_errors(pod: Obj) -> list[str]:
    return [str(e) for e in validate_pod_spec(pod["spec"], Path("field"))]


POD_SPEC_FAILURES: list[tuple[str, Obj]] = [
    ("bad volume", make_pod("", volumes=[{}])),
    ("no containers", make_pod("", containers=[])),
    ("bad container", make_pod("", containers=[{}])),
    ("bad init container", make_pod("", initContainers=[{}])),
    ("bad DNS policy", make_pod("", dnsPolicy="invalid")),
    ("bad service account name", make_pod("", serviceAccountName="invalidName")),
    ("bad restart policy", make_pod("", restartPolicy="UnknowPolicy")),
    (
        "with hostNetwork hostPort unspecified",
        undefaulted_host_port(
            make_pod(
                "",
                hostNetwork=True,
                containers=[
                    {
                        "name": "ctr",
                        "image": "image",
                        "ports": [{"hostPort": 0, "containerPort": 2600}],
                    }
                ],
            ),
        ),
    ),
    (
        "with hostNetwork hostPort not equal to containerPort",
        make_pod(
            "",
            hostNetwork=True,
            containers=[
                {
                    "name": "ctr",
                    "image": "image",
                    "ports": [{"hostPort": 8080, "containerPort": 2600}],
                }
            ],
        ),
    ),
    (
        "with hostAliases with invalid IP",
        make_pod("", hostAliases=[{"ip": "999.999.999.999", "hostnames": ["host1", "host2"]}]),
    ),
    (
        "with hostAliases with invalid hostname",
        make_pod("", hostAliases=[{"ip": "12.34.56.78", "hostnames": ["@#$^#@#$"]}]),
    ),
    (
        "bad supplementalGroups large than math.MaxInt32",
        make_pod("", securityContext={"supplementalGroups": [2**31, 1234]}),
    ),
    (
        "bad supplementalGroups less than 0",
        make_pod("", securityContext={"supplementalGroups": [-1, 1234]}),
    ),
    ("bad runAsUser large than math.MaxInt32", make_pod("", securityContext={"runAsUser": 2**31})),
    ("bad runAsUser less than 0", make_pod("", securityContext={"runAsUser": -1})),
    ("bad fsGroup large than math.MaxInt32", make_pod("", securityContext={"fsGroup": 2**31})),
    ("bad fsGroup less than 0", make_pod("", securityContext={"fsGroup": -1})),
    ("bad-active-deadline-seconds", make_pod("", activeDeadlineSeconds=0)),
    ("active-deadline-seconds-too-large", make_pod("", activeDeadlineSeconds=2**31)),
    ("bad nodeName", make_pod("", nodeName="node name")),
    ("bad PriorityClassName", make_pod("", priorityClassName="InvalidName")),
    (
        "ShareProcessNamespace and HostPID both set",
        make_pod("", hostPID=True, securityContext={"shareProcessNamespace": True}),
    ),
    ("bad RuntimeClassName", make_pod("", runtimeClassName="invalid/sandbox")),
    ("bad empty fsGroupchangepolicy", make_pod("", securityContext={"fsGroupChangePolicy": ""})),
    (
        "bad invalid fsgroupchangepolicy",
        make_pod("", securityContext={"fsGroupChangePolicy": "invalid"}),
    ),
    (
        "invalid readiness gate",
        make_pod("", readinessGates=[{"conditionType": "invalid/condition/type"}]),
    ),
    ("invalid DNS search path", make_pod("", dnsConfig={"searches": ["custom?"]})),
    ("invalid DNS nameserver", make_pod("", dnsConfig={"nameservers": ["invalid"]})),
    ("invalid empty DNS option name", make_pod("", dnsConfig={"options": [{"value": "x"}]})),
    (
        "invalid: 2049 characters in search path list",
        make_pod("", dnsConfig={"searches": ["a" * 63 + "." + "b" * 63] * 17}),
    ),
    (
        "invalid: DNSNone with 0 nameserver",
        make_pod("", dnsPolicy="None", dnsConfig={"searches": ["custom"]}),
    ),
]


@pytest.mark.parametrize("pod", [pytest.param(p, id=n) for n, p in POD_SPEC_FAILURES])
def test_pod_spec_failure_cases(pod: Obj) -> None:
    assert spec_errors(pod) != []


POD_SPEC_SUCCESSES: list[tuple[str, Obj]] = [
    ("populate basic fields, leave defaults for most", make_pod("")),
    (
        "populate HostNetwork",
        make_pod(
            "",
            hostNetwork=True,
            containers=[
                {
                    "name": "ctr",
                    "image": "image",
                    "ports": [{"hostPort": 8080, "containerPort": 8080}],
                }
            ],
        ),
    ),
    (
        "populate RunAsUser SupplementalGroups FSGroup with maxID 2147483647",
        make_pod(
            "",
            securityContext={
                "supplementalGroups": [2**31 - 1],
                "runAsUser": 2**31 - 1,
                "fsGroup": 2**31 - 1,
            },
        ),
    ),
    (
        "populate HostAliases",
        make_pod("", hostAliases=[{"ip": "12.34.56.78", "hostnames": ["host1", "host2"]}]),
    ),
    (
        "populate HostAliases with `foo.bar` hostnames",
        make_pod("", hostAliases=[{"ip": "12.34.56.78", "hostnames": ["host1.foo", "host2.bar"]}]),
    ),
    ("populate PriorityClassName", make_pod("", priorityClassName="valid-name")),
    ("populate RuntimeClassName", make_pod("", runtimeClassName="valid-sandbox")),
    (
        "populate FSGroupChangePolicy",
        make_pod("", securityContext={"fsGroupChangePolicy": "Always"}),
    ),
    (
        "two readiness gates",
        make_pod(
            "",
            readinessGates=[
                {"conditionType": "example.com/condition1"},
                {"conditionType": "example.com/condition2"},
            ],
        ),
    ),
    (
        "valid: search paths with a trailing dot and 2048 characters",
        make_pod(
            "", dnsConfig={"searches": ["default.svc.cluster.local.", "a" * 63 + "." + "b" * 63]}
        ),
    ),
]


@pytest.mark.parametrize("pod", [pytest.param(p, id=n) for n, p in POD_SPEC_SUCCESSES])
def test_pod_spec_success_cases(pod: Obj) -> None:
    assert spec_errors(pod) == []


def test_search_list_length_message() -> None:
    searches = ["a" * 63 + "." + "b" * 63] * 16  # 16 * 127 + 15 spaces = 2047 characters
    assert spec_errors(make_pod("", dnsConfig={"searches": searches})) == []
    searches = searches + ["c"]
    assert [
        m.split(": ")[-1] for m in spec_errors(make_pod("", dnsConfig={"searches": searches}))
    ] == ["must not have more than 2048 characters (including spaces) in the search list"]
