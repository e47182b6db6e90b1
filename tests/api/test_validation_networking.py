"""Ingress, IngressClass (networking.k8s.io/v1) and EndpointSlice (discovery.k8s.io/v1)
validation against upstream's words and field paths
(`pkg/apis/networking/validation`, `pkg/apis/discovery/validation`)."""

from __future__ import annotations

from typing import Any

import pytest

from minik8s.api.defaults import apply_defaults
from minik8s.api.validation import validate_object, validate_object_update

Obj = dict[str, Any]
BACKEND = {"service": {"name": "web", "port": {"number": 80}}}


def errors(obj: Obj) -> list[str]:
    return [str(e) for e in validate_object(apply_defaults(obj))]


def ingress(spec: Obj, annotations: Obj | None = None) -> Obj:
    meta = {"name": "shop", "namespace": "default", "annotations": annotations or {}}
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": meta, "spec": spec}


def one_path(**http_path: Any) -> Obj:
    http_path.setdefault("backend", BACKEND)
    return {"rules": [{"host": "shop.example.com", "http": {"paths": [http_path]}}]}


def test_valid_ingresses() -> None:
    assert errors(ingress(one_path(path="/", pathType="Prefix"))) == []
    assert errors(ingress(one_path(path="/api/v1", pathType="Exact"))) == []
    assert errors(ingress(one_path(pathType="ImplementationSpecific"))) == []
    assert errors(ingress({"defaultBackend": BACKEND})) == []
    wildcard = {
        "rules": [
            {
                "host": "*.example.com",
                "http": {"paths": [{"path": "/", "pathType": "Prefix", "backend": BACKEND}]},
            }
        ]
    }
    assert errors(ingress(wildcard)) == []
    tls = {"defaultBackend": BACKEND, "tls": [{"hosts": ["*.example.com"], "secretName": "tls"}]}
    assert errors(ingress(tls)) == []


def test_path_type_has_no_default_in_v1() -> None:
    obj = ingress(one_path(path="/"))
    assert errors(obj) == [
        "spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified"
    ]
    assert "pathType" not in obj["spec"]["rules"][0]["http"]["paths"][0]


@pytest.mark.parametrize(
    ("path", "path_type", "expected"),
    [
        ("foo", "Prefix", ['path: Invalid value: "foo": must be an absolute path']),
        ("", "Exact", ['path: Invalid value: "": must be an absolute path']),
        ("foo", "ImplementationSpecific", ['path: Invalid value: "foo": must be an absolute path']),
        ("/a//b", "Exact", ["path: Invalid value: \"/a//b\": must not contain '//'"]),
        ("/a/./b", "Prefix", ["path: Invalid value: \"/a/./b\": must not contain '/./'"]),
        ("/a%2Fb", "Prefix", ["path: Invalid value: \"/a%2Fb\": must not contain '%2F'"]),
        ("/a/..", "Prefix", ["path: Invalid value: \"/a/..\": cannot end with '/..'"]),
        ("/a/.", "Exact", ["path: Invalid value: \"/a/.\": cannot end with '/.'"]),
        ("/a//b", "ImplementationSpecific", []),
        (
            "/",
            "Regex",
            [
                'pathType: Unsupported value: "Regex": supported values: "Exact", '
                '"ImplementationSpecific", "Prefix"'
            ],
        ),
    ],
)
def test_http_paths(path: str, path_type: str, expected: list[str]) -> None:
    prefix = "spec.rules[0].http.paths[0]."
    assert errors(ingress(one_path(path=path, pathType=path_type))) == [
        prefix + e for e in expected
    ]


@pytest.mark.parametrize(
    ("backend", "expected"),
    [
        ({}, ['backend: Invalid value: "": resource or service backend is required']),
        (
            {"service": {"name": "web", "port": {}}},
            ["backend: Required value: port name or number is required"],
        ),
        (
            {"service": {"name": "web", "port": {"name": "http", "number": 80}}},
            ['backend: Invalid value: "": cannot set both port name & port number'],
        ),
        ({"service": {"port": {"number": 80}}}, ["backend.service.name: Required value"]),
        (
            {"service": {"name": "web", "port": {"number": 70000}}},
            [
                "backend.service.port.number: Invalid value: 70000: must be between 1 and 65535, "
                "inclusive"
            ],
        ),
        (
            {"service": {"name": "web", "port": {"name": "http_1"}}},
            [
                'backend.service.port.name: Invalid value: "http_1": must contain only '
                "alpha-numeric "
                "characters (a-z, 0-9), and hyphens (-)"
            ],
        ),
        (
            {"service": BACKEND["service"], "resource": {"kind": "Bucket", "name": "b"}},
            ['backend: Invalid value: "": cannot set both resource and service backends'],
        ),
        ({"resource": {"kind": "Bucket"}}, ["backend.resource.name: Required value"]),
    ],
)
def test_backends(backend: Obj, expected: list[str]) -> None:
    prefix = "spec.rules[0].http.paths[0]."
    got = errors(ingress(one_path(path="/", pathType="Prefix", backend=backend)))
    assert got == [prefix + e for e in expected]


def test_backend_service_name_is_a_dns1035_label() -> None:
    backend = {"service": {"name": "1web", "port": {"number": 80}}}
    (error,) = errors(ingress({"defaultBackend": backend}))
    assert error.startswith('spec.defaultBackend.service.name: Invalid value: "1web": a DNS-1035')


def test_rules_hosts_and_tls() -> None:
    spec = {
        "rules": [{"host": "1.2.3.4"}, {"host": "*.*.example.com"}, {"http": {"paths": []}}],
        "tls": [{"hosts": ["Bad.Host"], "secretName": "Bad_Name"}],
    }
    errs = errors(ingress(spec))
    assert (
        errs[0]
        == 'spec.rules[0].host: Invalid value: "1.2.3.4": must be a DNS name, not an IP address'
    )
    assert errs[1].startswith(
        'spec.rules[1].host: Invalid value: "*.*.example.com": a wildcard DNS-1123 subdomain must '
        "start with '*.'"
    )
    assert errs[2] == "spec.rules[2].http.paths: Required value"
    assert errs[3].startswith(
        'spec.tls[0].hosts[0]: Invalid value: "Bad.Host": a lowercase RFC 1123'
    )
    assert errs[4].startswith('spec.tls[0].secretName: Invalid value: "Bad_Name": a lowercase RFC')
    assert len(errs) == 5


def test_rules_or_default_backend_and_class_annotation() -> None:
    obj = ingress({"ingressClassName": "b"}, {"kubernetes.io/ingress.class": "a"})
    assert errors(obj) == [
        "spec: Invalid value: null: either `defaultBackend` or `rules` must be specified",
        'annotations.kubernetes.io/ingress.class: Invalid value: "a": must match '
        "`ingressClassName` when both are specified",
    ]


def _stored(obj: Obj) -> Obj:
    obj = apply_defaults(obj)
    obj["metadata"]["resourceVersion"] = "1"
    return obj


def update_errors(new: Obj, old: Obj) -> list[str]:
    return [str(e) for e in validate_object_update(apply_defaults(new), old)]


def test_ingress_update_skips_the_create_only_class_annotation_rule() -> None:
    # upstream ValidateIngressCreate checks annotation vs ingressClassName; the update does not
    spec = {"ingressClassName": "b", "defaultBackend": BACKEND}
    old = _stored(ingress(spec, {"kubernetes.io/ingress.class": "a"}))
    assert len(errors(old)) == 1
    new = ingress({**spec, "ingressClassName": "c"}, {"kubernetes.io/ingress.class": "a"})
    new["metadata"]["resourceVersion"] = "1"
    assert update_errors(new, old) == []


def _tls_ingress(secret: str, host: str = "shop.example.com") -> Obj:
    obj = ingress({"defaultBackend": BACKEND, "tls": [{"hosts": [host], "secretName": secret}]})
    obj["metadata"]["resourceVersion"] = "1"
    return obj


def test_ingress_update_keeps_an_invalid_tls_secret_name_stored_before() -> None:
    # upstream allowInvalidSecretName (TestValidateIngressTLS update cases)
    old = _stored(_tls_ingress("Bad_Name"))
    assert update_errors(_tls_ingress("Also_Bad", "new.example.com"), old) == []
    valid_old = _stored(_tls_ingress("good"))
    (error,) = update_errors(_tls_ingress("Bad_Name"), valid_old)
    assert error.startswith('spec.tls[0].secretName: Invalid value: "Bad_Name": a lowercase RFC')


def test_ingress_update_keeps_an_invalid_wildcard_rule_stored_before() -> None:
    # upstream allowInvalidWildcardHostRule: a wildcard-host rule whose value no longer validates
    bad_rule = {"host": "*.example.com", "http": {"paths": [{"path": "/", "backend": BACKEND}]}}
    old = _stored(ingress({"rules": [bad_rule]}))
    assert errors(old) == ["spec.rules[0].http.paths[0].pathType: Required value: pathType must "
                           "be specified"]  # fmt: skip
    new = ingress({"rules": [bad_rule, {**bad_rule, "host": "*.shop.example.com"}]})
    new["metadata"]["resourceVersion"] = "1"
    assert update_errors(new, old) == []
    plain = {**bad_rule, "host": "shop.example.com"}
    new = ingress({"rules": [bad_rule, plain]})
    new["metadata"]["resourceVersion"] = "1"
    assert update_errors(new, old) == [
        "spec.rules[1].http.paths[0].pathType: Required value: pathType must be specified"
    ]


# --- IngressClass ------------------------------------------------------------------------------


def ingress_class(**spec: Any) -> Obj:
    meta = {"name": "nginx", "resourceVersion": "1"}
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "IngressClass",
        "metadata": meta,
        "spec": spec,
    }


def test_ingress_class_controller() -> None:
    assert errors(ingress_class(controller="k8s.io/ingress-nginx")) == []
    assert errors(ingress_class()) == ["spec.controller: Required value"]
    assert errors(ingress_class(controller="nginx")) == [
        'spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as '
        '"acme.io/foo")'
    ]
    new, old = ingress_class(controller="example.com/b"), ingress_class(controller="example.com/a")
    update = [str(e) for e in validate_object_update(new, old)]
    assert update == ['spec.controller: Invalid value: "example.com/b": field is immutable']


def test_ingress_class_parameters_scope() -> None:
    obj = ingress_class(controller="k8s.io/x", parameters={"kind": "C", "name": "c"})
    assert errors(obj) == []
    assert obj["spec"]["parameters"]["scope"] == "Cluster"
    obj = ingress_class(
        controller="k8s.io/x", parameters={"kind": "C", "name": "c", "scope": "Namespace"}
    )
    assert errors(obj) == [
        "spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace'"
    ]


# --- EndpointSlice -----------------------------------------------------------------------------


def endpoint_slice(address_type: str = "IPv4", **fields: Any) -> Obj:
    meta = {"name": "web-abc12", "namespace": "default", "resourceVersion": "1"}
    return {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": meta,
        "addressType": address_type,
        **fields,
    }


def test_endpoint_slice_valid_and_defaulted() -> None:
    eps = endpoint_slice(
        endpoints=[{"addresses": ["10.244.1.5"], "nodeName": "node-1"}], ports=[{"port": 80}]
    )
    assert errors(eps) == []
    assert eps["ports"] == [{"port": 80, "name": "", "protocol": "TCP"}]


def test_endpoint_slice_errors() -> None:
    endpoints = [{"addresses": []}, {"addresses": ["fe80::1", "127.0.0.1"], "hostname": "a_b"}]
    ports = [{"name": "http", "protocol": "ICMP"}, {"name": "http"}]
    errs = errors(endpoint_slice(endpoints=endpoints, ports=ports))
    assert errs[:3] == [
        "endpoints[0].addresses: Required value: must contain at least 1 address",
        'endpoints[1].addresses[0]: Invalid value: "fe80::1": must be a valid IPv4 address',
        'endpoints[1].addresses[1]: Invalid value: "127.0.0.1": may not be in the loopback range '
        "(127.0.0.0/8, ::1/128)",
    ]
    assert errs[3].startswith('endpoints[1].hostname: Invalid value: "a_b": a lowercase RFC 1123')
    assert errs[4:] == [
        'ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
        'ports[1].name: Duplicate value: "http"',
    ]
    assert errors(endpoint_slice("IP")) == [
        'addressType: Unsupported value: "IP": supported values: "FQDN", "IPv4", "IPv6"'
    ]


def test_endpoint_slice_address_type_is_immutable() -> None:
    new, old = endpoint_slice("IPv6"), endpoint_slice("IPv4")
    assert [str(e) for e in validate_object_update(new, old)] == [
        'addressType: Invalid value: "IPv6": field is immutable'
    ]
