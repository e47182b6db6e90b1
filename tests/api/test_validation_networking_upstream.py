"""Rows from upstream `pkg/apis/networking/validation` and `pkg/apis/discovery/validation`
(v1.31) that the older tables in test_validation_networking.py do not cover."""

from __future__ import annotations

from typing import Any

from minik8s.api.validation import validate_object

Obj = dict[str, Any]


def slice_(endpoints: list[Obj], ports: list[Obj] | None = None) -> Obj:
    meta = {"name": "web-abc12", "namespace": "default"}
    body: Obj = {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "metadata": meta}
    return {**body, "addressType": "IPv4", "endpoints": endpoints, "ports": ports or []}


def found(obj: Obj) -> list[tuple[str, str]]:
    return [(e.type, e.field) for e in validate_object(obj)]


def test_too_many_endpoints_stops_validation() -> None:
    """`validateEndpoints` returns right after TooMany: the bad endpoints are not reported."""
    endpoints = [{"addresses": ["not-an-ip"]} for _ in range(1001)]
    assert found(slice_(endpoints)) == [("Too many", "endpoints")]


def test_too_many_ports_stops_validation() -> None:
    ports = [{"name": "", "protocol": "BAD"} for _ in range(20001)]
    assert found(slice_([], ports)) == [("Too many", "ports")]


def test_invalid_endpoints_and_ports_below_the_limits_are_reported() -> None:
    ports = [{"name": "a", "protocol": "TCP"}, {"name": "a", "protocol": "TCP"}]
    assert found(slice_([{"addresses": ["not-an-ip"]}], ports)) == [
        ("Invalid value", "endpoints[0].addresses[0]"),
        ("Duplicate value", "ports[1].name"),
    ]


def test_ingress_class_parameters_namespace_must_be_a_namespace_name() -> None:
    """`validateIngressClassParametersReference`: `ValidateNamespaceName` on the namespace."""
    params = {"kind": "C", "name": "c", "scope": "Namespace", "namespace": "Bad_NS"}
    ic = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "IngressClass",
        "metadata": {"name": "x"},
        "spec": {"controller": "k8s.io/x", "parameters": params},
    }
    assert found(ic) == [("Invalid value", "spec.parameters.namespace")]
    params["namespace"] = "good-ns"
    assert found(ic) == []
