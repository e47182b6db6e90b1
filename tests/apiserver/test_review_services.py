"""Review fixes for Service allocation: `initIPFamilyFields` on a single-stack IPv4 cluster
(upstream storage/alloc.go messages) and `findRequestedNodePort`."""

from __future__ import annotations

from typing import Any

import pytest

from minik8s.api.errors import Invalid
from minik8s.apiserver import APIServer
from minik8s.client.client import Client
from minik8s.etcd import Store
from minik8s.sim import EventLoop


@pytest.fixture
def client() -> Client:
    loop = EventLoop(seed=0)
    c = Client(APIServer(Store(clock=lambda: loop.now), loop), "test")
    c.create("namespaces", {"metadata": {"name": "default"}})
    return c


def create(client: Client, name: str, **spec: Any) -> dict[str, Any]:
    spec = {"ports": [{"port": 80}], **spec}
    body = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name}, "spec": spec}
    return client.create("services", body, namespace="default")["spec"]


REJECTED = [
    (
        {"ipFamilyPolicy": "RequireDualStack"},
        'spec.ipFamilyPolicy: Invalid value: "RequireDualStack": '
        "this cluster is not configured for dual-stack services",
    ),
    (
        {"ipFamilies": ["IPv6"]},
        'spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster',
    ),
    (
        {"ipFamilies": ["IPv4", "IPv6"], "ipFamilyPolicy": "PreferDualStack"},
        'spec.ipFamilies[1]: Invalid value: "IPv6": not configured on this cluster',
    ),
    (
        {"clusterIPs": ["10.96.9.9", "fd00::5"], "ipFamilyPolicy": "PreferDualStack"},
        'spec.clusterIPs[1]: Invalid value: ["10.96.9.9","fd00::5"]: '
        "IPv6 is not configured on this cluster",
    ),
    (
        {"clusterIP": "fd00::5"},
        'spec.clusterIPs[0]: Invalid value: ["fd00::5"]: IPv6 is not configured on this cluster',
    ),
    (
        {"ipFamilyPolicy": "SingleStack", "ipFamilies": ["IPv4", "IPv6"]},
        "spec.ipFamilyPolicy: Invalid value: \"SingleStack\": must be 'RequireDualStack' or "
        "'PreferDualStack' when multiple IP families are specified",
    ),
    (
        {"ipFamilyPolicy": "SingleStack", "clusterIPs": ["10.96.1.1", "fd00::1"]},
        "spec.ipFamilyPolicy: Invalid value: \"SingleStack\": must be 'RequireDualStack' or "
        "'PreferDualStack' when multiple cluster IPs are specified",
    ),
]


@pytest.mark.parametrize(("spec", "message"), REJECTED)
def test_families_not_configured_on_the_cluster_are_rejected(
    client: Client, spec: dict[str, Any], message: str
) -> None:
    with pytest.raises(Invalid) as err:
        create(client, "s", **spec)
    assert message in str(err.value)
    assert client.list("services", namespace="default")["items"] == []


def test_families_defaulted_on_single_stack() -> None:
    loop = EventLoop(seed=0)
    c = Client(APIServer(Store(clock=lambda: loop.now), loop), "test")
    c.create("namespaces", {"metadata": {"name": "default"}})
    plain = create(c, "a")
    assert (plain["ipFamilyPolicy"], plain["ipFamilies"]) == ("SingleStack", ["IPv4"])
    prefer = create(c, "b", ipFamilyPolicy="PreferDualStack")
    assert (prefer["ipFamilyPolicy"], prefer["ipFamilies"]) == ("PreferDualStack", ["IPv4"])
    assert len(prefer["clusterIPs"]) == 1
    given = create(c, "c", clusterIP="10.96.0.50")
    assert (given["ipFamilies"], given["clusterIPs"]) == (["IPv4"], ["10.96.0.50"])
    # headless + selectorless: RequireDualStack with both families, allowed on single-stack
    headless = create(c, "d", clusterIP="None")
    assert (headless["ipFamilyPolicy"], headless["ipFamilies"]) == (
        "RequireDualStack",
        ["IPv4", "IPv6"],
    )
    with_selector = create(c, "e", clusterIP="None", selector={"app": "x"})
    assert (with_selector["ipFamilyPolicy"], with_selector["ipFamilies"]) == (
        "SingleStack",
        ["IPv4"],
    )


def test_update_without_policy_keeps_the_old_one(client: Client) -> None:
    create(client, "s", ipFamilyPolicy="PreferDualStack")
    svc = client.get("services", "s", namespace="default")
    del svc["spec"]["ipFamilyPolicy"], svc["spec"]["ipFamilies"]
    spec = client.update("services", svc, namespace="default")["spec"]
    assert (spec["ipFamilyPolicy"], spec["ipFamilies"]) == ("PreferDualStack", ["IPv4"])


def test_node_port_requested_on_a_later_port_is_shared(client: Client) -> None:
    ports = [
        {"port": 53, "protocol": "UDP", "name": "dns"},
        {"port": 53, "protocol": "TCP", "name": "dns-tcp", "nodePort": 30053},
    ]
    spec = create(client, "dns", type="NodePort", ports=ports)
    assert [p["nodePort"] for p in spec["ports"]] == [30053, 30053]
