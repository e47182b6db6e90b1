"""upstream `TestValidateServiceCreate` and `TestValidateServiceExternalTrafficPolicy`
(`pkg/apis/core/validation/validation_test.go`, v1.31), row by row, on `makeValidService()`.

Upstream asserts only the number of errors; each row here also pins the error type and field
path that `ValidateService` produces for it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from minik8s.api.validation import validate_object_update
from minik8s.api.validation.service import validate_service

Obj = dict[str, Any]
Tweak = Callable[[Obj], None]
LB_RANGES = "service.beta.kubernetes.io/load-balancer-source-ranges"
REQ, INV, FORB, DUP, NSUP = (
    "Required value",
    "Invalid value",
    "Forbidden",
    "Duplicate value",
    "Unsupported value",
)


def make_valid_service() -> Obj:
    """upstream `makeValidService`."""
    meta = {"name": "valid", "namespace": "valid", "labels": {}, "annotations": {}}
    meta["resourceVersion"] = "1"
    spec = {
        "selector": {"key": "val"},
        "sessionAffinity": "None",
        "type": "ClusterIP",
        "ports": [{"name": "p", "protocol": "TCP", "port": 8675, "targetPort": 8675}],
        "internalTrafficPolicy": "Cluster",
    }
    return {"apiVersion": "v1", "kind": "Service", "metadata": meta, "spec": spec}


def spec(**fields: Any) -> Tweak:
    """A tweak setting spec fields (None deletes)."""

    def tweak(svc: Obj) -> None:
        for key, value in fields.items():
            if value is None:
                svc["spec"].pop(key, None)
            else:
                svc["spec"][key] = value

    return tweak


def meta(**fields: Any) -> Tweak:
    def tweak(svc: Obj) -> None:
        svc["metadata"].update(fields)

    return tweak


def port0(**fields: Any) -> Tweak:
    def tweak(svc: Obj) -> None:
        svc["spec"]["ports"][0].update(fields)

    return tweak


def add_ports(*ports: tuple[str, int, str, int, int]) -> Tweak:
    """Append (name, port, protocol, nodePort, targetPort) ports."""

    def tweak(svc: Obj) -> None:
        for name, number, protocol, node_port, target in ports:
            port: Obj = {"name": name, "port": number, "protocol": protocol, "targetPort": target}
            if node_port:
                port["nodePort"] = node_port
            svc["spec"]["ports"].append(port)

    return tweak


def annotate(key: str, value: str) -> Tweak:
    def tweak(svc: Obj) -> None:
        svc["metadata"]["annotations"][key] = value

    return tweak


def label(key: str, value: str) -> Tweak:
    def tweak(svc: Obj) -> None:
        svc["metadata"]["labels"][key] = value

    return tweak


def selector(key: str, value: str) -> Tweak:
    def tweak(svc: Obj) -> None:
        svc["spec"]["selector"][key] = value

    return tweak


def all_of(*tweaks: Tweak) -> Tweak:
    def tweak(svc: Obj) -> None:
        for one in tweaks:
            one(svc)

    return tweak


def cluster_ips(*ips: str, policy: str | None = None, families: list[str] | None = None) -> Tweak:
    fields: Obj = {"clusterIP": ips[0] if ips else None, "clusterIPs": list(ips) or None}
    if policy:
        fields["ipFamilyPolicy"] = policy
    if families is not None:
        fields["ipFamilies"] = families
    return spec(**fields)


LB = spec(type="LoadBalancer", externalTrafficPolicy="Cluster", allocateLoadBalancerNodePorts=True)
NODE_PORT = spec(type="NodePort", externalTrafficPolicy="Cluster")
HEADLESS = cluster_ips("None")
EXT_NAME = spec(type="ExternalName", externalName="foo.bar.example.com")
RDS, SS, PDS = "RequireDualStack", "SingleStack", "PreferDualStack"
NP = "spec.ports[%d].nodePort"
CIPS = "spec.clusterIPs"

CREATE_CASES: list[tuple[str, Tweak, list[tuple[str, str]]]] = [
    ("missing namespace", meta(namespace=""), [(REQ, "metadata.namespace")]),
    ("invalid namespace", meta(namespace="-123"), [(INV, "metadata.namespace")]),
    ("missing name", meta(name=""), [(REQ, "metadata.name")]),
    ("invalid name", meta(name="-123"), [(INV, "metadata.name")]),
    ("too long name", meta(name="a" * 64), [(INV, "metadata.name")]),
    ("invalid generateName", meta(generateName="-123"), [(INV, "metadata.generateName")]),
    ("too long generateName", meta(generateName="a" * 64), [(INV, "metadata.generateName")]),
    (
        "invalid label",
        label("NoUppercaseOrSpecialCharsLike=Equals", "bar"),
        [(INV, "metadata.labels")],
    ),
    (
        "invalid annotation",
        annotate("NoSpecialCharsLike=Equals", "bar"),
        [(INV, "metadata.annotations")],
    ),
    ("nil selector", spec(selector=None), []),
    ("invalid selector", selector("NoSpecialCharsLike=Equals", "bar"), [(INV, "spec.selector")]),
    ("missing session affinity", spec(sessionAffinity=""), [(REQ, "spec.sessionAffinity")]),
    ("missing type", spec(type=""), [(REQ, "spec.type")]),
    ("missing ports", spec(ports=None), [(REQ, "spec.ports")]),
    ("missing ports but headless", all_of(spec(ports=None), HEADLESS), []),
    ("empty port[0] name", port0(name=""), []),
    ("empty port[1] name", add_ports(("", 12345, "TCP", 0, 12345)), [(REQ, "spec.ports[1].name")]),
    (
        "empty multi-port port[0] name",
        all_of(port0(name=""), add_ports(("p", 12345, "TCP", 0, 12345))),
        [(REQ, "spec.ports[0].name")],
    ),
    ("invalid port name", port0(name="INVALID"), [(INV, "spec.ports[0].name")]),
    ("missing protocol", port0(protocol=""), [(REQ, "spec.ports[0].protocol")]),
    ("invalid protocol", port0(protocol="INVALID"), [(NSUP, "spec.ports[0].protocol")]),
    ("invalid cluster ip", cluster_ips("invalid"), [(INV, "spec.clusterIPs[0]")]),
    ("missing port", port0(port=0), [(INV, "spec.ports[0].port")]),
    ("invalid port", port0(port=65536), [(INV, "spec.ports[0].port")]),
    ("invalid TargetPort int", port0(targetPort=65536), [(INV, "spec.ports[0].targetPort")]),
    ("valid port headless", all_of(port0(port=11722, targetPort=11722), HEADLESS), []),
    ("invalid port headless 1", all_of(port0(port=11722, targetPort=11721), HEADLESS), []),
    ("invalid port headless 2", all_of(port0(port=11722, targetPort="target"), HEADLESS), []),
    (
        "invalid publicIPs localhost",
        spec(externalTrafficPolicy="Cluster", externalIPs=["127.0.0.1"]),
        [(INV, "spec.externalIPs[0]")],
    ),
    (
        "invalid publicIPs unspecified",
        spec(externalTrafficPolicy="Cluster", externalIPs=["0.0.0.0"]),
        [(INV, "spec.externalIPs[0]")],
    ),
    (
        "invalid publicIPs host",
        spec(externalTrafficPolicy="Cluster", externalIPs=["myhost.mydomain"]),
        [(INV, "spec.externalIPs[0]")],
    ),
    ("valid publicIPs", spec(externalTrafficPolicy="Cluster", externalIPs=["1.2.3.4"]), []),
    (
        "dup port name",
        all_of(port0(name="p"), add_ports(("p", 12345, "TCP", 0, 12345))),
        [(DUP, "spec.ports[1].name")],
    ),
    ("valid load balancer protocol UDP 1", all_of(LB, port0(protocol="UDP")), []),
    (
        "load balancer with mix protocol",
        all_of(LB, add_ports(("q", 12345, "UDP", 0, 12345))),
        [],
    ),
    ("valid 2", port0(protocol="UDP", targetPort=12345), []),
    ("valid 3", port0(targetPort="http"), []),
    ("valid cluster ip - none", HEADLESS, []),
    ("valid type - loadbalancer", LB, []),
    (
        "valid type - loadbalancer with allocateLoadBalancerNodePorts=false",
        all_of(LB, spec(allocateLoadBalancerNodePorts=False)),
        [],
    ),
    (
        "invalid type - missing AllocateLoadBalancerNodePorts for loadbalancer type",
        spec(type="LoadBalancer", externalTrafficPolicy="Cluster"),
        [(REQ, "allocateLoadBalancerNodePorts")],
    ),
    (
        "duplicate nodeports",
        all_of(NODE_PORT, add_ports(("q", 1, "TCP", 1, 1), ("r", 2, "TCP", 1, 2))),
        [(DUP, NP % 2)],
    ),
    (
        "duplicate nodeports (different protocols)",
        all_of(
            NODE_PORT,
            add_ports(("q", 1, "TCP", 1, 1), ("r", 2, "UDP", 1, 2), ("s", 3, "SCTP", 1, 3)),
        ),
        [],
    ),
    (
        "invalid duplicate ports (with same protocol)",
        add_ports(("q", 12345, "TCP", 0, 8080), ("r", 12345, "TCP", 0, 80)),
        [(DUP, "spec.ports[2]")],
    ),
    (
        "valid duplicate ports (with different protocols)",
        add_ports(("q", 12345, "TCP", 0, 8080), ("r", 12345, "UDP", 0, 80)),
        [],
    ),
    ("valid type - nodeport", NODE_PORT, []),
    (
        "valid type loadbalancer with NodePort",
        all_of(LB, add_ports(("q", 12345, "TCP", 12345, 12345))),
        [],
    ),
    (
        "valid type=NodePort service with NodePort",
        all_of(NODE_PORT, add_ports(("q", 12345, "TCP", 12345, 12345))),
        [],
    ),
    (
        "invalid cluster service with NodePort",
        add_ports(("q", 12345, "TCP", 12345, 12345)),
        [(FORB, NP % 1)],
    ),
    (
        "valid port type=LoadBalancer",
        all_of(LB, add_ports(("kubelet", 10250, "TCP", 0, 12345))),
        [],
    ),
    (
        "valid LoadBalancer source range annotation",
        all_of(LB, annotate(LB_RANGES, "1.2.3.0/24,  5.6.0.0/16")),
        [],
    ),
    ("valid empty LoadBalancer source range annotation", all_of(LB, annotate(LB_RANGES, "")), []),
    (
        "valid whitespace-only LoadBalancer source range annotation",
        all_of(LB, annotate(LB_RANGES, "  ")),
        [],
    ),
    (
        "invalid LoadBalancer source range annotation (hostname)",
        all_of(LB, annotate(LB_RANGES, "foo.bar")),
        [(INV, f"metadata.annotations[{LB_RANGES}]")],
    ),
    (
        "invalid LoadBalancer source range annotation (invalid CIDR)",
        all_of(LB, annotate(LB_RANGES, "1.2.3.4/33")),
        [(INV, f"metadata.annotations[{LB_RANGES}]")],
    ),
    (
        "invalid LoadBalancer source range annotation for non LoadBalancer type service",
        annotate(LB_RANGES, "1.2.3.0/24"),
        [(FORB, f"metadata.annotations[{LB_RANGES}]")],
    ),
    (
        "invalid empty-but-set LoadBalancer source range annotation for non LoadBalancer type",
        annotate(LB_RANGES, ""),
        [(FORB, f"metadata.annotations[{LB_RANGES}]")],
    ),
    (
        "valid LoadBalancer source range",
        all_of(LB, spec(loadBalancerSourceRanges=["1.2.3.0/24", "5.6.0.0/16"])),
        [],
    ),
    (
        "valid LoadBalancer source range with whitespace",
        all_of(LB, spec(loadBalancerSourceRanges=["1.2.3.0/24  ", " 5.6.0.0/16"])),
        [],
    ),
    (
        "invalid empty LoadBalancer source range",
        all_of(LB, spec(loadBalancerSourceRanges=["   "])),
        [(INV, "spec.LoadBalancerSourceRanges[0]")],
    ),
    (
        "invalid LoadBalancer source range (hostname)",
        all_of(LB, spec(loadBalancerSourceRanges=["foo.bar"])),
        [(INV, "spec.LoadBalancerSourceRanges[0]")],
    ),
    (
        "invalid LoadBalancer source range (invalid CIDR)",
        all_of(LB, spec(loadBalancerSourceRanges=["1.2.3.4/33"])),
        [(INV, "spec.LoadBalancerSourceRanges[0]")],
    ),
    (
        "invalid source range for non LoadBalancer type service",
        spec(loadBalancerSourceRanges=["1.2.3.0/24", "5.6.0.0/16"]),
        [(FORB, "spec.LoadBalancerSourceRanges")],
    ),
    (
        "invalid source range annotation ignored with valid source range field",
        all_of(
            LB,
            annotate(LB_RANGES, "foo.bar"),
            spec(loadBalancerSourceRanges=["1.2.3.0/24", "5.6.0.0/16"]),
        ),
        [],
    ),
    ("valid ExternalName", EXT_NAME, []),
    ("valid ExternalName (trailing dot)", spec(type="ExternalName", externalName="a.b.com."), []),
    (
        "invalid ExternalName clusterIP (valid IP)",
        all_of(EXT_NAME, cluster_ips("1.2.3.4")),
        [(FORB, "spec.clusterIPs")],
    ),
    (
        "invalid ExternalName clusterIP (None)",
        all_of(EXT_NAME, HEADLESS),
        [(FORB, "spec.clusterIPs")],
    ),
    (
        "invalid ExternalName (not a DNS name)",
        spec(type="ExternalName", externalName="-123"),
        [(INV, "spec.externalName")],
    ),
    (
        "LoadBalancer type cannot have None ClusterIP",
        all_of(HEADLESS, LB),
        [(INV, "spec.clusterIPs[0]")],
    ),
    (
        "invalid node port with clusterIP None",
        all_of(NODE_PORT, add_ports(("q", 1, "TCP", 1, 1)), HEADLESS),
        [(INV, "spec.clusterIPs[0]")],
    ),
    (
        "invalid externalTraffic field",
        all_of(LB, spec(externalTrafficPolicy="invalid")),
        [(NSUP, "spec.externalTrafficPolicy")],
    ),
    (
        "nil internalTraffic field when feature gate is on",
        spec(internalTrafficPolicy=None),
        [(REQ, "spec.internalTrafficPolicy")],
    ),
    (
        "internalTrafficPolicy field nil when type is ExternalName",
        all_of(spec(internalTrafficPolicy=None), EXT_NAME),
        [],
    ),
    ("internalTrafficPolicy field is set when type is ExternalName", EXT_NAME, []),
    (
        "invalid internalTraffic field",
        spec(internalTrafficPolicy="invalid"),
        [(NSUP, "spec.internalTrafficPolicy")],
    ),
    ("internalTrafficPolicy field set to Local", spec(internalTrafficPolicy="Local"), []),
    (
        "negative healthCheckNodePort field",
        all_of(LB, spec(externalTrafficPolicy="Local", healthCheckNodePort=-1)),
        [(INV, "spec.healthCheckNodePort")],
    ),
    (
        "valid healthCheckNodePort field",
        all_of(LB, spec(externalTrafficPolicy="Local", healthCheckNodePort=31100)),
        [],
    ),
    (
        "invalid timeoutSeconds field",
        spec(
            sessionAffinity="ClientIP", sessionAffinityConfig={"clientIP": {"timeoutSeconds": -1}}
        ),
        [(INV, "spec.sessionAffinityConfig.clientIP.timeoutSeconds")],
    ),
    (
        "sessionAffinityConfig can't be set when session affinity is None",
        all_of(LB, spec(sessionAffinityConfig={"clientIP": {"timeoutSeconds": 90}})),
        [(FORB, "spec.sessionAffinityConfig")],
    ),
    (
        "invalid, service with invalid ipFamilies",
        spec(ipFamilies=["not-a-valid-ip-family"]),
        [(NSUP, "spec.ipFamilies[0]")],
    ),
    (
        "invalid, service with invalid ipFamilies (2nd)",
        spec(ipFamilyPolicy=RDS, ipFamilies=["IPv4", "not-a-valid-ip-family"]),
        [(NSUP, "spec.ipFamilies[1]")],
    ),
    (
        "IPFamilyPolicy(singleStack) is set for two families",
        spec(ipFamilyPolicy=SS, ipFamilies=["IPv4", "IPv6"]),
        [],
    ),
    (
        "invalid, service with 2+ ipFamilies",
        spec(ipFamilyPolicy=RDS, ipFamilies=["IPv4", "IPv6", "IPv4"]),
        [(DUP, "spec.ipFamilies[2]")],
    ),
    (
        "invalid, service with same ip families",
        spec(ipFamilyPolicy=RDS, ipFamilies=["IPv6", "IPv6"]),
        [(DUP, "spec.ipFamilies[1]")],
    ),
    ("valid, service with valid ipFamilies (v6)", spec(ipFamilies=["IPv6"]), []),
    (
        "valid, service preferred dual stack with single family",
        spec(ipFamilyPolicy=PDS, ipFamilies=["IPv6"]),
        [],
    ),
    ("invalid, garbage single ip", cluster_ips("garbage-ip"), [(INV, "spec.clusterIPs[0]")]),
    (
        "invalid, garbage ips",
        cluster_ips("garbage-ip", "garbage-second-ip", policy=RDS),
        [(INV, "spec.clusterIPs[0]"), (INV, "spec.clusterIPs[1]")],
    ),
    (
        "invalid, garbage first ip",
        cluster_ips("garbage-ip", "2001::1", policy=RDS),
        [(INV, "spec.clusterIPs[0]")],
    ),
    (
        "invalid, garbage second ip",
        cluster_ips("2001::1", "garbage-ip", policy=RDS),
        [(INV, "spec.clusterIPs[1]")],
    ),
    (
        "invalid, NONE + IP",
        cluster_ips("None", "2001::1", policy=RDS),
        [(INV, CIPS)],
    ),
    (
        "invalid, IP + NONE",
        cluster_ips("2001::1", "None", policy=RDS),
        [(INV, "spec.clusterIPs[1]")],
    ),
    (
        "invalid, EMPTY STRING + IP",
        spec(ipFamilyPolicy=RDS, clusterIP="", clusterIPs=["", "2001::1"]),
        [(INV, CIPS), (INV, "spec.clusterIPs[0]")],
    ),
    (
        "invalid, IP + EMPTY STRING",
        cluster_ips("2001::1", "", policy=RDS),
        [(INV, "spec.clusterIPs[1]")],
    ),
    (
        "invalid, same ip family (v6)",
        cluster_ips("2001::1", "2001::4", policy=RDS, families=["IPv4", "IPv6"]),
        [(INV, CIPS), (INV, "spec.clusterIPs[0]")],
    ),
    (
        "invalid, same ip family (v4)",
        cluster_ips("10.0.0.1", "10.0.0.10", policy=RDS, families=["IPv4", "IPv6"]),
        [(INV, CIPS), (INV, "spec.clusterIPs[1]")],
    ),
    (
        "invalid, more than two ips",
        cluster_ips("10.0.0.1", "2001::1", "10.0.0.10", policy=RDS, families=["IPv4", "IPv6"]),
        [(INV, CIPS)],
    ),
    (
        "multi ip, dualstack not set (request for downgrade)",
        cluster_ips("10.0.0.1", "2001::1", policy=SS, families=["IPv4", "IPv6"]),
        [],
    ),
    (
        "valid, headless-no-selector + multi family + gate off",
        all_of(cluster_ips("None", policy=RDS, families=["IPv4", "IPv6"]), spec(selector=None)),
        [],
    ),
    (
        "valid, multi ip, single ipfamilies preferDualStack",
        cluster_ips("10.0.0.1", "2001::1", policy=PDS, families=["IPv4"]),
        [],
    ),
    (
        "invalid, families don't match (v4=>v6)",
        cluster_ips("10.0.0.1", families=["IPv6"]),
        [(INV, "spec.clusterIPs[0]")],
    ),
    (
        "invalid, families don't match (v6=>v4)",
        cluster_ips("2001::1", families=["IPv4"]),
        [(INV, "spec.clusterIPs[0]")],
    ),
    (
        "valid, ips, multi ipfamilies (6,4)",
        cluster_ips("2001::1", "10.0.0.1", policy=RDS, families=["IPv6", "IPv4"]),
        [],
    ),
    ("valid, dual stack", spec(ipFamilyPolicy=RDS), []),
    (
        "valid custom appProtocol",
        spec(
            ports=[
                {
                    "port": 12345,
                    "targetPort": 12345,
                    "protocol": "TCP",
                    "appProtocol": "example.com/protocol",
                }
            ]
        ),
        [],
    ),
    (
        "invalid appProtocol",
        spec(
            ports=[
                {
                    "port": 12345,
                    "targetPort": 12345,
                    "protocol": "TCP",
                    "appProtocol": "example.com/protocol_with{invalid}[characters]",
                }
            ]
        ),
        [(INV, "spec.ports[0].appProtocol")],
    ),
    (
        "invalid cluster ip != clusterIP in multi ip service",
        spec(ipFamilyPolicy=RDS, clusterIP="10.0.0.10", clusterIPs=["10.0.0.1", "2001::1"]),
        [(INV, CIPS)],
    ),
    (
        "invalid cluster ip != clusterIP in single ip service",
        spec(clusterIP="10.0.0.10", clusterIPs=["10.0.0.1"]),
        [(INV, CIPS)],
    ),
    (
        "Use AllocateLoadBalancerNodePorts when type is not LoadBalancer",
        spec(allocateLoadBalancerNodePorts=True),
        [(FORB, "spec.allocateLoadBalancerNodePorts")],
    ),
    (
        "valid LoadBalancerClass when type is LoadBalancer",
        all_of(LB, spec(loadBalancerClass="test.com/test-load-balancer-class")),
        [],
    ),
    (
        "invalid LoadBalancerClass",
        all_of(LB, spec(loadBalancerClass="Bad/LoadBalancerClass")),
        [(INV, "spec.loadBalancerClass")],
    ),
    (
        "invalid: set LoadBalancerClass when type is not LoadBalancer",
        spec(loadBalancerClass="test.com/test-load-balancer-class"),
        [(FORB, "spec.loadBalancerClass")],
    ),
    (
        "topology annotations are mismatched",
        all_of(
            annotate("service.kubernetes.io/topology-aware-hints", "original"),
            annotate("service.kubernetes.io/topology-mode", "different"),
        ),
        [(INV, "metadata.annotations[service.kubernetes.io/topology-mode]")],
    ),
    (
        "topology annotations that agree",
        all_of(
            annotate("service.kubernetes.io/topology-aware-hints", "Auto"),
            annotate("service.kubernetes.io/topology-mode", "Auto"),
        ),
        [],
    ),
    ("valid: trafficDistribution PreferClose", spec(trafficDistribution="PreferClose"), []),
    (
        "invalid: trafficDistribution field set to Random",
        spec(trafficDistribution="Random"),
        [(NSUP, "spec.trafficDistribution")],
    ),
]

ETP_CASES: list[tuple[str, Tweak, list[tuple[str, str]]]] = [
    (
        "valid loadBalancer service with externalTrafficPolicy and healthCheckNodePort set",
        all_of(LB, spec(externalTrafficPolicy="Local", healthCheckNodePort=34567)),
        [],
    ),
    (
        "valid nodePort service with externalTrafficPolicy set",
        all_of(NODE_PORT, spec(externalTrafficPolicy="Local")),
        [],
    ),
    (
        "cannot set healthCheckNodePort on loadBalancer service with externalTrafficPolicy!=Local",
        all_of(LB, spec(healthCheckNodePort=34567)),
        [(INV, "spec.healthCheckNodePort")],
    ),
    (
        "cannot set healthCheckNodePort field on nodePort service",
        all_of(NODE_PORT, spec(externalTrafficPolicy="Local", healthCheckNodePort=34567)),
        [(INV, "spec.healthCheckNodePort")],
    ),
    (
        "cannot set externalTrafficPolicy or healthCheckNodePort fields on clusterIP service",
        spec(externalTrafficPolicy="Local", healthCheckNodePort=34567),
        [(INV, "spec.externalTrafficPolicy"), (INV, "spec.healthCheckNodePort")],
    ),
    (
        "cannot set externalTrafficPolicy field on ExternalName service",
        all_of(EXT_NAME, spec(externalTrafficPolicy="Local")),
        [(INV, "spec.externalTrafficPolicy")],
    ),
    (
        "externalTrafficPolicy is required on NodePort service",
        spec(type="NodePort"),
        [(REQ, "spec.externalTrafficPolicy")],
    ),
    (
        "externalTrafficPolicy is required on LoadBalancer service",
        spec(type="LoadBalancer", allocateLoadBalancerNodePorts=True),
        [(REQ, "spec.externalTrafficPolicy")],
    ),
    (
        "externalTrafficPolicy is required on ClusterIP service with externalIPs",
        spec(externalIPs=["1.2.3.4"]),
        [(REQ, "spec.externalTrafficPolicy")],
    ),
]


def found(tweak: Tweak) -> list[tuple[str, str]]:
    svc = make_valid_service()
    tweak(svc)
    return [(e.type, e.field) for e in validate_service(svc)]


@pytest.mark.parametrize(
    ("tweak", "expected"),
    [pytest.param(t, e, id=n) for n, t, e in CREATE_CASES],
)
def test_validate_service_create(tweak: Tweak, expected: list[tuple[str, str]]) -> None:
    assert found(tweak) == expected


@pytest.mark.parametrize(
    ("tweak", "expected"),
    [pytest.param(t, e, id=n) for n, t, e in ETP_CASES],
)
def test_validate_service_external_traffic_policy(
    tweak: Tweak, expected: list[tuple[str, str]]
) -> None:
    assert found(tweak) == expected


def test_source_range_annotation_messages() -> None:
    svc = make_valid_service()
    all_of(LB, annotate(LB_RANGES, "1.2.3.0/24, foo.bar"))(svc)
    assert [str(e) for e in validate_service(svc)] == [
        f'metadata.annotations[{LB_RANGES}]: Invalid value: "foo.bar": must be a valid CIDR value, '
        "(e.g. 10.9.8.0/24 or 2001:db8::/64)"
    ]
    svc = make_valid_service()
    annotate(LB_RANGES, "")(svc)
    assert [str(e) for e in validate_service(svc)] == [
        f"metadata.annotations[{LB_RANGES}]: Forbidden: may only be used when `type` is "
        "'LoadBalancer'"
    ]


# --- TestValidateServiceUpdate: (tweak of old and new, tweak of new only, expected) -------------

Row = tuple[str, Tweak, Tweak, list[tuple[str, str]]]
NOTHING = spec()
UPDATE_CASES: list[Row] = [
    ("no change", NOTHING, NOTHING, []),
    ("change name", NOTHING, meta(name="bar"), [(INV, "metadata.name")]),
    ("change namespace", NOTHING, meta(namespace="bar"), [(INV, "metadata.namespace")]),
    ("change label valid", NOTHING, label("key", "other-value"), []),
    ("change selector", NOTHING, selector("newkey", "newvalue"), []),
    ("add ports", NOTHING, add_ports(("q", 1, "TCP", 0, 1)), []),
    ("change cluster IP", cluster_ips("1.2.3.4"), cluster_ips("8.6.7.5"), [(INV, CIPS + "[0]")]),
    (
        "remove cluster IP",
        cluster_ips("1.2.3.4"),
        spec(clusterIP="", clusterIPs=None),
        [(INV, CIPS + "[0]")],
    ),
    (
        "change affinity",
        NOTHING,
        spec(
            sessionAffinity="ClientIP", sessionAffinityConfig={"clientIP": {"timeoutSeconds": 90}}
        ),
        [],
    ),
    ("remove affinity", NOTHING, spec(sessionAffinity=""), [(REQ, "spec.sessionAffinity")]),
    ("change type", NOTHING, LB, []),
    ("remove type", NOTHING, spec(type=""), [(REQ, "spec.type")]),
    ("change type -> nodeport", NOTHING, NODE_PORT, []),
    (
        "`None` ClusterIP can NOT be changed",
        HEADLESS,
        cluster_ips("1.2.3.9"),
        [(INV, CIPS + "[0]")],
    ),
    (
        "`None` ClusterIP can NOT be removed",
        HEADLESS,
        spec(clusterIP="", clusterIPs=None),
        [(INV, CIPS + "[0]")],
    ),
    (
        "ExternalName can set ClusterIP when changing to ClusterIP",
        spec(type="ExternalName", externalName="a.com", internalTrafficPolicy=None),
        all_of(
            spec(type="ClusterIP", externalName=None, internalTrafficPolicy="Cluster"),
            cluster_ips("1.2.3.4"),
        ),
        [],
    ),
    (
        "ClusterIP to ExternalName drops the IPs",
        cluster_ips("1.2.3.4", families=["IPv4"], policy=SS),
        all_of(
            cluster_ips(),
            spec(type="ExternalName", externalName="a.com", ipFamilies=None, ipFamilyPolicy=None),
        ),
        [],
    ),
    (
        "downgrade dual stack without SingleStack",
        cluster_ips("10.0.0.1", "2001::1", families=["IPv4", "IPv6"], policy=RDS),
        cluster_ips("10.0.0.1", families=["IPv4"], policy=PDS),
        [(INV, "spec.ipFamilyPolicy"), (INV, "spec.ipFamilyPolicy")],
    ),
    (
        "downgrade dual stack with SingleStack",
        cluster_ips("10.0.0.1", "2001::1", families=["IPv4", "IPv6"], policy=RDS),
        cluster_ips("10.0.0.1", families=["IPv4"], policy=SS),
        [],
    ),
    (
        "upgrade to dual stack",
        cluster_ips("10.0.0.1", families=["IPv4"], policy=SS),
        cluster_ips("10.0.0.1", "2001::1", families=["IPv4", "IPv6"], policy=RDS),
        [],
    ),
    (
        "change primary ipFamily",
        cluster_ips("10.0.0.1", families=["IPv4"], policy=SS),
        spec(ipFamilies=["IPv6"]),
        [(INV, "spec.ipFamilies[0]"), (INV, "spec.clusterIPs[0]")],
    ),
    (
        "healthCheckNodePort is immutable",
        all_of(LB, spec(externalTrafficPolicy="Local", healthCheckNodePort=31100)),
        spec(healthCheckNodePort=31101),
        [(FORB, "spec.healthCheckNodePort")],
    ),
    (
        "update LoadBalancerClass once set",
        all_of(LB, spec(loadBalancerClass="test.com/old")),
        spec(loadBalancerClass="test.com/new"),
        [(INV, "spec.loadBalancerClass")],
    ),
    (
        "set LoadBalancerClass when updating to a non-LoadBalancer type (reported twice)",
        NOTHING,
        spec(loadBalancerClass="test.com/test-load-balancer-class"),
        [(FORB, "spec.loadBalancerClass"), (FORB, "spec.loadBalancerClass")],
    ),
    (
        "set invalid LoadBalancerClass when updating to LoadBalancer (reported twice)",
        NOTHING,
        all_of(LB, spec(loadBalancerClass="Bad/LoadBalancerClass")),
        [(INV, "spec.loadBalancerClass"), (INV, "spec.loadBalancerClass")],
    ),
    (
        "LoadBalancerClass may be set when changing to LoadBalancer",
        NOTHING,
        all_of(LB, spec(loadBalancerClass="test.com/test-load-balancer-class")),
        [],
    ),
]


@pytest.mark.parametrize(
    ("both", "new_only", "expected"),
    [pytest.param(b, n, e, id=name) for name, b, n, e in UPDATE_CASES],
)
def test_validate_service_update(
    both: Tweak, new_only: Tweak, expected: list[tuple[str, str]]
) -> None:
    old = make_valid_service()
    both(old)
    new = copy.deepcopy(old)
    new_only(new)
    assert [(e.type, e.field) for e in validate_object_update(new, old)] == expected


def test_update_errors_come_before_the_create_errors() -> None:
    """upstream appends `ValidateService(new)` after the update rules."""
    old = make_valid_service()
    cluster_ips("1.2.3.4")(old)
    new = copy.deepcopy(old)
    all_of(cluster_ips("1.2.3.5"), spec(sessionAffinity=""))(new)
    assert [str(e) for e in validate_object_update(new, old)] == [
        'spec.clusterIPs[0]: Invalid value: ["1.2.3.5"]: may not change once set',
        "spec.sessionAffinity: Required value",
    ]
