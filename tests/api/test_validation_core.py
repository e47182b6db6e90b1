"""Core v1 validation (Service, Endpoints, ConfigMap, Secret, Node, Namespace, Event,
ServiceAccount, Binding, Lease) against upstream's words and field paths
(`pkg/apis/core/validation/validation_test.go` cases and messages)."""

from __future__ import annotations

import base64
import copy
from typing import Any

import pytest

from minik8s.api.defaults import apply_defaults
from minik8s.api.defaults.core import check_base64_fields, secret_merge_string_data
from minik8s.api.errors import BadRequest
from minik8s.api.validation import validate_object, validate_object_update
from minik8s.api.validation.config import go_base64_decode, go_json_object_error

Obj = dict[str, Any]
PORT_RANGE = "must be between 1 and 65535, inclusive"
RFC1123_SUBDOMAIN = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
    "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)
IMMUTABLE_SET = "field is immutable when `immutable` is set"


def errors(obj: Obj) -> list[str]:
    """Default, then validate, like the API server does; the messages as strings."""
    return [str(e) for e in validate_object(apply_defaults(obj))]


def update_errors(new: Obj, old: Obj) -> list[str]:
    return [str(e) for e in validate_object_update(apply_defaults(new), apply_defaults(old))]


def obj(kind: str, name: str = "x", namespace: str | None = "default", **fields: Any) -> Obj:
    meta: Obj = {"name": name, "resourceVersion": "1"}
    if namespace is not None:
        meta["namespace"] = namespace
    return {"apiVersion": "v1", "kind": kind, "metadata": meta, **fields}


def service(**spec: Any) -> Obj:
    spec.setdefault("ports", [{"port": 80}])
    return obj("Service", "web", spec=spec)


# --- Service -----------------------------------------------------------------------------------


def test_valid_services_have_no_errors() -> None:
    assert errors(service()) == []
    assert errors(service(type="NodePort", ports=[{"port": 80, "nodePort": 30080}])) == []
    assert errors(service(type="LoadBalancer", externalTrafficPolicy="Local")) == []
    assert errors(service(clusterIP="None")) == []
    assert errors(service(type="ExternalName", externalName="db.example.com.", ports=[])) == []
    assert errors(service(sessionAffinity="ClientIP")) == []


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (
            {"ports": [{"port": 0}]},
            [
                f"spec.ports[0].port: Invalid value: 0: {PORT_RANGE}",
                f"spec.ports[0].targetPort: Invalid value: 0: {PORT_RANGE}",
            ],
        ),
        (
            {"ports": [{"port": 80}], "type": "Foo"},
            [
                'spec.type: Unsupported value: "Foo": supported values: "ClusterIP", '
                '"ExternalName", '
                '"LoadBalancer", "NodePort"'
            ],
        ),
        ({"ports": []}, ["spec.ports: Required value"]),
        (
            {"ports": [{"port": 80}, {"port": 81}]},
            ["spec.ports[0].name: Required value", "spec.ports[1].name: Required value"],
        ),
        (
            {"ports": [{"name": "a", "port": 80}, {"name": "a", "port": 81}]},
            ['spec.ports[1].name: Duplicate value: "a"'],
        ),
        (
            {"ports": [{"port": 80, "protocol": "HTTP"}]},
            [
                'spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", '
                '"TCP", '
                '"UDP"'
            ],
        ),
        (
            {"ports": [{"port": 80, "nodePort": 30001}]},
            ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"],
        ),
        (
            {
                "type": "NodePort",
                "ports": [
                    {"name": "a", "port": 80, "nodePort": 30001},
                    {"name": "b", "port": 81, "nodePort": 30001},
                ],
            },
            ["spec.ports[1].nodePort: Duplicate value: 30001"],
        ),
        ({"type": "ExternalName", "ports": []}, ["spec.externalName: Required value"]),
        (
            {"ports": [{"port": 80}], "clusterIP": "1.2.3"},
            [
                'spec.clusterIPs[0]: Invalid value: "1.2.3": must be a valid IP address, '
                "(e.g. 10.9.8.7 or 2001:db8::ffff)"
            ],
        ),
        (
            {"ports": [{"port": 80}], "clusterIP": "10.0.0.1", "clusterIPs": ["10.0.0.2"]},
            ['spec.clusterIPs: Invalid value: ["10.0.0.2"]: first value must match `clusterIP`'],
        ),
        (
            {"type": "NodePort", "clusterIP": "None", "ports": [{"port": 80}]},
            [
                "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for "
                "NodePort "
                "services"
            ],
        ),
        (
            {"ports": [{"port": 80}], "sessionAffinity": "Sticky"},
            [
                'spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", '
                '"None"'
            ],
        ),
        (
            {
                "ports": [{"port": 80}],
                "sessionAffinity": "ClientIP",
                "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 86401}},
            },
            [
                "spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 86401: must be "
                "greater than 0 and less than 86400"
            ],
        ),
        (
            {"ports": [{"port": 80}], "externalTrafficPolicy": "Local"},
            [
                'spec.externalTrafficPolicy: Invalid value: "Local": may only be set for '
                "externally-accessible services"
            ],
        ),
        (
            {"ports": [{"port": 80}], "healthCheckNodePort": 31000},
            [
                "spec.healthCheckNodePort: Invalid value: 31000: may only be set when `type` is "
                "'LoadBalancer' and `externalTrafficPolicy` is 'Local'"
            ],
        ),
        (
            {"ports": [{"port": 80}], "loadBalancerSourceRanges": ["10.0.0.0/8"]},
            [
                "spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is "
                "'LoadBalancer'"
            ],
        ),
        (
            {"ports": [{"port": 80}], "externalIPs": ["127.0.0.1"]},
            [
                'spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range '
                "(127.0.0.0/8, ::1/128)"
            ],
        ),
        (
            {"ports": [{"port": 80}], "internalTrafficPolicy": "Nowhere"},
            [
                'spec.internalTrafficPolicy: Unsupported value: "Nowhere": supported values: '
                '"Cluster", "Local"'
            ],
        ),
        (
            {"ports": [{"port": 80, "targetPort": "http_port"}]},
            [
                'spec.ports[0].targetPort: Invalid value: "http_port": must contain only '
                "alpha-numeric "
                "characters (a-z, 0-9), and hyphens (-)"
            ],
        ),
    ],
)
def test_service_errors(spec: Obj, expected: list[str]) -> None:
    assert errors(obj("Service", "web", spec=spec)) == expected


def test_service_name_is_a_dns1035_label() -> None:
    (error,) = errors(obj("Service", "1web", spec={"ports": [{"port": 80}]}))
    assert error.startswith('metadata.name: Invalid value: "1web": a DNS-1035 label must')


def test_service_duplicate_port_and_protocol() -> None:
    ports = [{"name": "a", "port": 80}, {"name": "b", "port": 80}]
    assert errors(service(ports=ports)) == [
        'spec.ports[1]: Duplicate value: {"port":80,"protocol":"TCP"}'
    ]


def test_service_external_name_forbids_cluster_ips() -> None:
    svc = service(type="ExternalName", externalName="x.com", ports=[], clusterIPs=["10.0.0.1"])
    assert "spec.clusterIPs: Forbidden: may not be set for ExternalName services" in errors(svc)


def test_service_update_cannot_change_or_unset_cluster_ip() -> None:
    old = service(clusterIP="10.96.0.10")
    changed = service(clusterIP="10.96.0.11")
    assert update_errors(changed, old) == [
        'spec.clusterIPs[0]: Invalid value: ["10.96.0.11"]: may not change once set'
    ]
    unset = service()
    assert update_errors(unset, old) == [
        "spec.clusterIPs[0]: Invalid value: []: primary clusterIP can not be unset"
    ]
    assert update_errors(service(clusterIP="10.96.0.10"), old) == []


def test_service_cluster_ips_dual_stack_rules() -> None:
    assert errors(service(clusterIP="010.096.000.010")) == []  # ParseIPSloppy: leading zeros
    both_v4 = service(clusterIP="10.96.0.10", clusterIPs=["10.96.0.10", "10.96.0.11"])
    assert errors(both_v4) == [
        'spec.clusterIPs: Invalid value: ["10.96.0.10","10.96.0.11"]: may specify no more than '
        "one IP for each IP family"
    ]
    v6 = service(clusterIP="fd00::10", ipFamilies=["IPv4"])
    assert errors(v6) == [
        'spec.clusterIPs[0]: Invalid value: "fd00::10": expected an IPv4 value as indicated by '
        "`ipFamilies[0]`"
    ]
    none_first = service(clusterIP="None", clusterIPs=["None", "10.96.0.1"])
    assert errors(none_first) == [
        'spec.clusterIPs: Invalid value: ["None","10.96.0.1"]: \'None\' must be the first and only '
        "value"
    ]


def test_service_downgrade_from_dual_stack_needs_single_stack() -> None:
    dual = {"ipFamilyPolicy": "PreferDualStack", "ipFamilies": ["IPv4", "IPv6"]}
    old = service(clusterIP="10.96.0.1", clusterIPs=["10.96.0.1", "fd00::1"], **dual)
    new = service(clusterIP="10.96.0.1", ipFamilyPolicy="PreferDualStack", ipFamilies=["IPv4"])
    assert update_errors(new, old) == [
        "spec.ipFamilyPolicy: Invalid value: \"PreferDualStack\": must be set to 'SingleStack' "
        "when releasing the secondary clusterIP",
        "spec.ipFamilyPolicy: Invalid value: \"PreferDualStack\": must be set to 'SingleStack' "
        "when releasing the secondary ipFamily",
    ]
    new["spec"]["ipFamilyPolicy"] = "SingleStack"
    assert update_errors(new, old) == []


# --- Endpoints ---------------------------------------------------------------------------------


def test_endpoints() -> None:
    good = {"addresses": [{"ip": "10.244.1.5"}], "ports": [{"port": 80}]}
    assert errors(obj("Endpoints", subsets=[good])) == []
    bad = {"addresses": [{"ip": "127.0.0.1"}], "ports": [{"port": 80}, {"name": "b", "port": 0}]}
    assert errors(obj("Endpoints", subsets=[{}, bad])) == [
        "subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`",
        'subsets[1].addresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback '
        "range (127.0.0.0/8, ::1/128)",
        "subsets[1].ports[0].name: Required value",
        f"subsets[1].ports[1].port: Invalid value: 0: {PORT_RANGE}",
    ]


# --- ConfigMap ---------------------------------------------------------------------------------


def test_config_map_keys() -> None:
    assert errors(obj("ConfigMap", data={"a.b_c-D": "v"}, binaryData={"bin": "AAE="})) == []
    errs = errors(obj("ConfigMap", data={"k": "v", "b@d": "x"}, binaryData={"k": "YQ=="}))
    assert errs[0].startswith('data[b@d]: Invalid value: "b@d": a valid config key must consist')
    assert errs[1] == 'data[k]: Invalid value: "k": duplicate of key present in binaryData'


def test_config_map_total_size() -> None:
    cm = obj("ConfigMap", data={"a": "x" * (1024 * 1024), "b": "y"})
    assert errors(cm) == ["[]: Too long: may not be more than 1048576 bytes"]
    assert errors(obj("ConfigMap", data={"a": "x" * (1024 * 1024)})) == []


def test_immutable_config_map() -> None:
    old = obj("ConfigMap", data={"a": "1"}, immutable=True)
    new = obj("ConfigMap", data={"a": "2"})
    assert update_errors(new, old) == [
        f"immutable: Forbidden: {IMMUTABLE_SET}",
        f"data: Forbidden: {IMMUTABLE_SET}",
    ]
    assert update_errors(copy.deepcopy(old), old) == []


# --- Secret ------------------------------------------------------------------------------------


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    ("secret_type", "data", "annotations", "expected"),
    [
        ("Opaque", {"a": b64("1")}, {}, []),
        (
            "kubernetes.io/tls",
            {},
            {},
            ["data[tls.crt]: Required value", "data[tls.key]: Required value"],
        ),
        ("kubernetes.io/tls", {"tls.crt": "", "tls.key": ""}, {}, []),
        (
            "kubernetes.io/basic-auth",
            {},
            {},
            ["data[username]: Required value", "data[password]: Required value"],
        ),
        ("kubernetes.io/basic-auth", {"password": b64("p")}, {}, []),
        (
            "kubernetes.io/ssh-auth",
            {"ssh-privatekey": ""},
            {},
            ["data[ssh-privatekey]: Required value"],
        ),
        (
            "kubernetes.io/service-account-token",
            {},
            {},
            ["metadata.annotations[kubernetes.io/service-account.name]: Required value"],
        ),
        (
            "kubernetes.io/service-account-token",
            {},
            {"kubernetes.io/service-account.name": "sa"},
            [],
        ),
        ("kubernetes.io/dockerconfigjson", {}, {}, ["data[.dockerconfigjson]: Required value"]),
        ("kubernetes.io/dockerconfigjson", {".dockerconfigjson": b64('{"auths":{}}')}, {}, []),
        (
            "kubernetes.io/dockerconfigjson",
            {".dockerconfigjson": b64("{")},
            {},
            [
                'data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": '
                "unexpected end "
                "of JSON input"
            ],
        ),
        ("example.com/custom", {}, {}, []),
    ],
)
def test_secret_types(secret_type: str, data: Obj, annotations: Obj, expected: list[str]) -> None:
    secret = obj("Secret", type=secret_type, data=data)
    secret["metadata"]["annotations"] = annotations
    assert errors(secret) == expected


def test_secret_size_counts_decoded_bytes() -> None:
    limit = 1024 * 1024
    assert errors(obj("Secret", data={"a": b64("x" * limit)})) == []
    too_big = obj("Secret", data={"a": b64("x" * limit), "b": b64("y")})
    assert errors(too_big) == ["data: Too long: may not be more than 1048576 bytes"]


def test_secret_key_names() -> None:
    (error,) = errors(obj("Secret", data={"a b": b64("1")}))
    assert error.startswith('data[a b]: Invalid value: "a b": a valid config key must consist')


def test_immutable_secret_and_type_change() -> None:
    old = obj("Secret", type="Opaque", data={"a": b64("1")}, immutable=True)
    new = obj("Secret", type="example.com/x", data={"a": b64("2")}, immutable=True)
    assert update_errors(new, old) == [
        'type: Invalid value: "example.com/x": field is immutable',
        f"data: Forbidden: {IMMUTABLE_SET}",
    ]


def test_secret_bad_base64_is_a_decode_error() -> None:
    with pytest.raises(BadRequest) as info:
        secret_merge_string_data(obj("Secret", data={"k": "hello"}))
    assert str(info.value) == (
        'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 4'
    )
    with pytest.raises(BadRequest, match='ConfigMap in version "v1" cannot be handled'):
        check_base64_fields(obj("ConfigMap", binaryData={"k": "!!!!"}))


def test_string_data_must_hold_strings() -> None:
    with pytest.raises(BadRequest) as info:
        secret_merge_string_data(obj("Secret", stringData={"n": 1}))
    assert str(info.value) == (
        'Secret in version "v1" cannot be handled as a Secret: json: cannot unmarshal number '
        "into Go struct field Secret.stringData of type string"
    )


def test_string_data_is_merged_into_data() -> None:
    secret = obj("Secret", data={"a": b64("old"), "b": b64("keep")}, stringData={"a": "new"})
    secret_merge_string_data(secret)
    assert "stringData" not in secret
    assert secret["data"] == {"a": b64("new"), "b": b64("keep")}
    assert secret_merge_string_data(obj("Secret", stringData={"u": "é"}))["data"] == {"u": b64("é")}


@pytest.mark.parametrize(
    ("text", "decoded", "error"),
    [
        ("aGVsbG8=", b"hello", None),
        ("aGVs\nbG8=", b"hello", None),
        ("", b"", None),
        ("hello", None, "illegal base64 data at input byte 4"),
        ("aGVsbG8", None, "illegal base64 data at input byte 4"),
        ("a", None, "illegal base64 data at input byte 0"),
        ("ab=c", None, "illegal base64 data at input byte 2"),
        ("YQ==YQ==", None, "illegal base64 data at input byte 4"),
        ("!bcd", None, "illegal base64 data at input byte 0"),
        ("aGVsbG8=x", None, "illegal base64 data at input byte 8"),
    ],
)
def test_go_base64_decoder(text: str, decoded: bytes | None, error: str | None) -> None:
    value, got = go_base64_decode(text)
    assert got == error
    if decoded is not None:
        assert value == decoded


def test_go_json_errors() -> None:
    assert go_json_object_error(b'{"auths": {}}') is None
    assert go_json_object_error(b"x") == "invalid character 'x' looking for beginning of value"
    assert go_json_object_error(b"nope") == "invalid character 'o' in literal null (expecting 'u')"
    assert go_json_object_error(b"[]") == (
        "json: cannot unmarshal array into Go value of type map[string]interface {}"
    )


# --- Node, Namespace, ServiceAccount, Binding, Event, Lease ------------------------------------


def node(**spec: Any) -> Obj:
    return obj("Node", "node-1", None, spec=spec)


def test_node_taints_are_reported_under_metadata() -> None:
    taints = [
        {"key": "a", "effect": "NoSchedule"},
        {"key": "a", "effect": "NoSchedule"},
        {"key": "b", "effect": "Sometimes"},
        {"key": "c", "value": "bad value", "effect": ""},
    ]
    errs = errors(node(taints=taints))
    assert errs[0].startswith("metadata.taints[1]: Duplicate value: ")
    assert errs[0].endswith(": taints must be unique by key and effect pair")
    assert errs[1] == (
        'metadata.taints[2].effect: Unsupported value: "Sometimes": supported values: '
        '"NoSchedule", "PreferNoSchedule", "NoExecute"'
    )
    assert errs[2].startswith('metadata.taints[3].value: Invalid value: "bad value": a valid label')
    assert errs[3] == "metadata.taints[3].effect: Required value"


def test_node_pod_cidrs_and_resources() -> None:
    assert errors(node(podCIDRs=["10.244.1.0/24"])) == []
    errs = errors(node(podCIDRs=["10.244.1.0/24", "10.244.2.0/24"]))
    assert errs == [
        'spec.podCIDRs: Invalid value: ["10.244.1.0/24","10.244.2.0/24"]: may specify no more '
        "than one CIDR for each IP family"
    ]
    bad = node()
    bad["status"] = {"capacity": {"cpu": "-1", "pods": "1.5"}}
    assert errors(bad) == [
        'status.capacity.cpu: Invalid value: "-1": must be greater than or equal to 0',
        'status.capacity.pods: Invalid value: "1500m": must be an integer',
        'status.allocatable.cpu: Invalid value: "-1": must be greater than or equal to 0',
        'status.allocatable.pods: Invalid value: "1500m": must be an integer',
    ]


def test_node_update_pod_cidr_is_set_once() -> None:
    old, new = node(podCIDRs=["10.244.1.0/24"]), node(podCIDRs=["10.244.2.0/24"])
    assert update_errors(new, old) == [
        'spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid'
    ]
    assert update_errors(node(podCIDRs=["10.244.1.0/24"]), node()) == []


def test_namespace() -> None:
    assert errors(obj("Namespace", "shop", None)) == []
    (error,) = errors(obj("Namespace", "Shop", None))
    assert error.startswith('metadata.name: Invalid value: "Shop": a lowercase RFC 1123 label')
    assert errors(obj("Namespace", "shop", None, spec={"finalizers": ["foo"]})) == [
        'spec.finalizers: Invalid value: "foo": name is neither a standard finalizer name nor is '
        "it fully qualified"
    ]
    assert errors(obj("Namespace", "shop", "default")) == [
        "metadata.namespace: Forbidden: not allowed on this type"
    ]


def test_service_account_and_binding() -> None:
    assert errors(obj("ServiceAccount", "builder")) == []
    assert errors(obj("ServiceAccount", "builder", None)) == ["metadata.namespace: Required value"]
    binding = {"apiVersion": "v1", "kind": "Binding", "target": {"kind": "Pod"}}
    assert errors(binding) == [
        'target.kind: Unsupported value: "Pod": supported values: "Node", "<empty>"',
        "target.name: Required value",
    ]
    assert errors({"kind": "Binding", "target": {"name": "node-1"}}) == []


def test_event_namespace_must_match_involved_object() -> None:
    event = obj("Event", "e1", "shop", involvedObject={"kind": "Pod", "namespace": "other"})
    assert errors(event) == [
        'involvedObject.namespace: Invalid value: "other": does not match event.namespace'
    ]
    event["involvedObject"]["namespace"] = "shop"
    assert errors(event) == []
    new_style = obj(
        "Event",
        "e2",
        "shop",
        involvedObject={"namespace": "shop"},
        eventTime="2025-01-01T00:00:00.000000Z",
    )
    errs = errors(new_style)
    assert errs[1].startswith('reportingController: Invalid value: "": name part must be non-empty')
    assert [e for e in errs if "Required" in e] == [
        "reportingController: Required value",
        "reportingInstance: Required value",
        "action: Required value",
        "reason: Required value",
    ]


def test_lease() -> None:
    lease = obj("Lease", "node-1", "kube-node-lease", spec={"leaseDurationSeconds": 40})
    lease["apiVersion"] = "coordination.k8s.io/v1"
    assert errors(lease) == []
    lease["spec"] = {"leaseDurationSeconds": 0, "leaseTransitions": -1, "preferredHolder": "a"}
    assert errors(lease) == [
        "spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0",
        "spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0",
        "spec.preferredHolder: Forbidden: may only be specified if `strategy` is defined",
    ]
    lease["spec"] = {"strategy": "Newest"}
    assert errors(lease) == [
        'spec.strategy: Unsupported value: "Newest": supported values: "OldestEmulationVersion"'
    ]
