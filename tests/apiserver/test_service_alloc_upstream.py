"""Allocation rows from upstream `pkg/registry/core/service/storage` (`alloc.go` and its
`storage_test.go`): health-check node port errors, node ports requested by a LoadBalancer that
does not allocate them, one node port claimed by two port numbers, messages and field paths."""

import pytest

from minik8s.api.errors import InternalError, Invalid
from tests.apiserver.test_service_alloc import Env


@pytest.fixture
def env():
    return Env()


def lb_local(env, name, hc=None, **spec):
    if hc is not None:
        spec["healthCheckNodePort"] = hc
    return env.svc(name, "LoadBalancer", externalTrafficPolicy="Local", **spec)


def test_requested_health_check_node_port_taken_is_an_internal_error(env):
    env.svc("a", "NodePort", node_ports=(30500,))
    with pytest.raises(InternalError) as caught:
        lb_local(env, "b", hc=30500)
    assert str(caught.value) == (
        "Internal error occurred: failed to allocate requested HealthCheck NodePort 30500: "
        "provided port is already allocated"
    )
    assert lb_local(env, "c", hc=30501)["spec"]["healthCheckNodePort"] == 30501


def test_requested_health_check_node_port_out_of_range(env):
    with pytest.raises(InternalError, match="The range of valid ports is 30000-32767"):
        lb_local(env, "b", hc=8080)


def test_health_check_node_port_range_full():
    env = Env(node_port_range=(30000, 30001))
    env.svc("a", "NodePort", ports=(80, 81))
    with pytest.raises(
        InternalError, match="failed to allocate a HealthCheck NodePort 0: range is full"
    ):
        lb_local(env, "b", allocateLoadBalancerNodePorts=False)


def test_no_node_port_allocation_still_respects_requested_ones(env):
    svc = env.svc(
        "lb",
        "LoadBalancer",
        ports=(80, 81),
        node_ports=(30600,),
        allocateLoadBalancerNodePorts=False,
    )
    assert [p.get("nodePort") for p in svc["spec"]["ports"]] == [30600, None]
    with pytest.raises(Invalid) as caught:
        env.svc("other", "NodePort", node_ports=(30600,))
    assert [e.field for e in caught.value.errors] == ["spec.ports[0].nodePort"]
    with pytest.raises(Invalid, match="provided port is already allocated"):
        env.svc("lb2", "LoadBalancer", node_ports=(30600,), allocateLoadBalancerNodePorts=False)


def test_two_port_numbers_cannot_share_a_node_port_on_create(env):
    body = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "web"},
        "spec": {
            "type": "NodePort",
            "selector": {"app": "web"},
            "ports": [
                {"name": "a", "port": 80, "protocol": "TCP", "nodePort": 30700},
                {"name": "b", "port": 81, "protocol": "UDP", "nodePort": 30700},
            ],
        },
    }
    with pytest.raises(Invalid) as caught:
        env.client.create("services", body)
    assert str(caught.value) == (
        'Service "web" is invalid: spec.ports[1].nodePort: Invalid value: 30700: '
        "provided port is already allocated"
    )
    assert env.svc("next", "NodePort", node_ports=(30700,))["spec"]["ports"][0]["nodePort"] == 30700


def test_changing_only_cluster_ip_is_normalized_then_refused(env):
    """`normalizeClusterIPs`: an old client's new `clusterIP` is copied into `clusterIPs`, so
    validation reports the immutable field, not a mismatch between the two."""
    env.svc("a", cluster_ip="10.96.0.50")
    svc = env.client.get("services", "a")
    svc["spec"]["clusterIP"] = "10.96.0.51"
    with pytest.raises(Invalid) as caught:
        env.client.update("services", svc)
    assert str(caught.value) == (
        'Service "a" is invalid: spec.clusterIPs[0]: Invalid value: ["10.96.0.51"]: '
        "may not change once set"
    )


def test_cleared_cluster_ip_and_dropped_cluster_ips_are_patched_back(env):
    env.svc("a", cluster_ip="10.96.0.50")
    svc = env.client.get("services", "a")
    svc["spec"]["clusterIP"] = ""
    svc["spec"]["clusterIPs"] = []
    assert env.client.update("services", svc)["spec"]["clusterIPs"] == ["10.96.0.50"]
    svc = env.client.get("services", "a")
    del svc["spec"]["clusterIPs"]
    assert env.client.update("services", svc)["spec"]["clusterIPs"] == ["10.96.0.50"]


def test_reapplied_headless_manifest_without_cluster_ip_stays_headless(env):
    """`patchAllocatedValues` treats a headless Service as needing its clusterIP ("None")."""
    env.svc("h", cluster_ip="None")
    body = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "h"},
        "spec": {"type": "ClusterIP", "selector": {"app": "h"}, "ports": [{"port": 80}]},
    }
    spec = env.client.update("services", body)["spec"]
    assert (spec["clusterIP"], spec["clusterIPs"]) == ("None", ["None"])
