"""ClusterIP / NodePort allocation in the API server: upstream's messages, conflicts, release."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minik8s.api.errors import AlreadyExists, InternalError, Invalid, NotFound
from minik8s.apiserver import APIServer, service_alloc
from minik8s.apiserver.service_alloc import Bitmap, configure, range_offset
from minik8s.client.client import Client
from minik8s.etcd import Store
from minik8s.sim import EventLoop


class ServiceAPIServer(APIServer):
    """The two lines the lead adds to `_prepare_update` (until they land in server.py)."""

    def _prepare_update(self, info, new, old, namespace, name, subresource):
        new = super()._prepare_update(info, new, old, namespace, name, subresource)
        if info.kind == "Service" and not subresource:
            service_alloc.prepare_service_update(new, old, self)
        return new


class Env:
    def __init__(self, **ranges):
        self.loop = EventLoop(seed=0)
        self.server = ServiceAPIServer(Store(clock=lambda: self.loop.now), self.loop)
        if ranges:
            configure(self.server, **ranges)
        self.client = Client(self.server, "test")
        self.client.create("namespaces", {"metadata": {"name": "default"}})

    def svc(self, name, type_="ClusterIP", cluster_ip=None, node_ports=(), ports=(80,), **spec):
        port_list = []
        for i, port in enumerate(ports):
            entry = {"name": f"p{i}", "port": port}
            if i < len(node_ports) and node_ports[i]:
                entry["nodePort"] = node_ports[i]
            port_list.append(entry)
        spec = {"type": type_, "selector": {"app": name}, "ports": port_list, **spec}
        if cluster_ip:
            spec["clusterIP"] = cluster_ip
        body = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name}, "spec": spec}
        return self.client.create("services", body)


@pytest.fixture
def env():
    return Env()


def test_range_offsets_match_upstream():
    assert range_offset(2**20, 16, 256, 16) == 256  # a /12 keeps 256 static addresses
    assert range_offset(2768, 16, 128, 32) == 86  # 30000-32767 keeps 86 static ports
    assert range_offset(16, 16, 256, 16) == 0  # a /28
    assert range_offset(32, 16, 256, 16) == 16


def test_bitmap_prefers_upper_band_then_falls_back():
    bitmap = Bitmap(20, 4, random.Random(1))
    drawn = set()
    for _ in range(16):
        at = bitmap.allocate_next()
        assert at >= 4
        bitmap.owner[at] = "x"
        drawn.add(at)
    assert drawn == set(range(4, 20))
    assert bitmap.allocate_next() < 4


def test_kubernetes_service_at_first_address_and_dynamic_ips_from_upper_band(env):
    svc = env.svc("kubernetes", cluster_ip="10.96.0.1", ports=(443,))
    assert svc["spec"]["clusterIPs"] == ["10.96.0.1"]
    ips = {env.svc(f"s{i}")["spec"]["clusterIP"] for i in range(20)}
    assert len(ips) == 20
    for ip in ips:
        a, b, c, _ = (int(x) for x in ip.split("."))
        assert a == 10 and 96 <= b <= 111
        assert (b, c) > (96, 0)  # past the 256 static addresses
    # deterministic: a second cluster draws the same addresses
    again = Env()
    again.svc("kubernetes", cluster_ip="10.96.0.1", ports=(443,))
    assert {again.svc(f"s{i}")["spec"]["clusterIP"] for i in range(20)} == ips


def test_requested_ip_conflict_is_upstreams_error(env):
    env.svc("dns", cluster_ip="10.96.0.10")
    with pytest.raises(Invalid) as err:
        env.svc("other", cluster_ip="10.96.0.10")
    assert str(err.value) == (
        'Service "other" is invalid: spec.clusterIPs: Invalid value: ["10.96.0.10"]: '
        "failed to allocate IP 10.96.0.10: provided IP is already allocated"
    )
    assert env.client.list("services")["items"][0]["metadata"]["name"] == "dns"


def test_requested_ip_outside_range(env):
    with pytest.raises(Invalid, match=r"failed to allocate IP 10.0.0.1: the provided IP "):
        env.svc("x", cluster_ip="10.0.0.1")
    with pytest.raises(Invalid, match="The range of valid IPs is 10.96.0.0/12"):
        env.svc("x", cluster_ip="10.0.0.1")


def test_delete_releases_ip_and_node_port(env):
    env.svc("a", "NodePort", cluster_ip="10.96.0.20", node_ports=(30080,))
    env.client.delete("services", "a")
    b = env.svc("b", "NodePort", cluster_ip="10.96.0.20", node_ports=(30080,))
    assert b["spec"]["ports"][0]["nodePort"] == 30080


def test_failed_create_leaks_nothing(env):
    with pytest.raises(Invalid):  # the IP is fine, the port name is not
        env.svc("bad", cluster_ip="10.96.0.30", ports=(80, 80))
    assert env.svc("good", cluster_ip="10.96.0.30")["spec"]["clusterIP"] == "10.96.0.30"


def test_node_port_conflict_is_upstreams_error(env):
    env.svc("a", "NodePort", node_ports=(30080,))
    with pytest.raises(Invalid) as err:
        env.svc("b", "NodePort", node_ports=(30080,))
    assert str(err.value).endswith(
        "spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated"
    )


def test_node_port_out_of_range_is_rejected(env):
    with pytest.raises(Invalid, match="The range of valid ports is 30000-32767"):
        env.svc("a", "NodePort", node_ports=(29999,))


def test_dynamic_node_ports_distinct_and_in_upper_band(env):
    svc = env.svc("multi", "NodePort", ports=(80, 443, 8080))
    ports = [p["nodePort"] for p in svc["spec"]["ports"]]
    assert len(set(ports)) == 3
    assert all(30086 <= p <= 32767 for p in ports)


def test_tcp_and_udp_of_one_port_share_the_node_port(env):
    body = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "dns"},
        "spec": {
            "type": "NodePort",
            "selector": {"app": "dns"},
            "ports": [
                {"name": "dns", "port": 53, "protocol": "UDP"},
                {"name": "dns-tcp", "port": 53, "protocol": "TCP"},
            ],
        },
    }
    ports = env.client.create("services", body)["spec"]["ports"]
    assert ports[0]["nodePort"] == ports[1]["nodePort"]


def test_load_balancer_gets_node_ports_and_health_check_port_when_local(env):
    svc = env.svc("lb", "LoadBalancer", externalTrafficPolicy="Local")
    assert svc["spec"]["ports"][0]["nodePort"]
    assert svc["spec"]["healthCheckNodePort"] not in (None, svc["spec"]["ports"][0]["nodePort"])
    plain = env.svc("lb2", "LoadBalancer", allocateLoadBalancerNodePorts=False)
    assert "nodePort" not in plain["spec"]["ports"][0]


def test_headless_and_external_name_get_no_ip(env):
    assert env.svc("h", cluster_ip="None")["spec"]["clusterIP"] == "None"
    body = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "ext"},
        "spec": {"type": "ExternalName", "externalName": "example.com"},
    }
    assert "clusterIP" not in env.client.create("services", body)["spec"]


def test_range_full_is_an_internal_error():
    env = Env(service_cidr="10.96.0.0/29")  # 6 usable addresses
    for i in range(6):
        env.svc(f"s{i}")
    with pytest.raises(InternalError, match="failed to allocate a serviceIP: range is full"):
        env.svc("s6")


def test_node_port_range_full():
    env = Env(node_port_range=(30000, 30001))
    env.svc("a", "NodePort", ports=(80, 81))
    with pytest.raises(InternalError, match="failed to allocate a nodePort: range is full"):
        env.svc("b", "NodePort")


def test_reapplied_manifest_keeps_allocated_values(env):
    created = env.svc("web", "NodePort")
    body = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "web"},
        "spec": {
            "type": "NodePort",
            "selector": {"app": "web"},
            "ports": [{"name": "p0", "port": 80}],
        },
    }
    updated = env.client.update("services", body)
    assert updated["spec"]["clusterIP"] == created["spec"]["clusterIP"]
    assert updated["spec"]["ports"][0]["nodePort"] == created["spec"]["ports"][0]["nodePort"]


def test_type_change_allocates_and_releases_node_ports(env):
    env.svc("web")
    svc = env.client.get("services", "web")
    svc["spec"]["type"] = "NodePort"
    port = env.client.update("services", svc)["spec"]["ports"][0]["nodePort"]
    assert 30000 <= port <= 32767
    svc = env.client.get("services", "web")
    svc["spec"]["type"] = "ClusterIP"
    assert "nodePort" not in env.client.update("services", svc)["spec"]["ports"][0]
    other = env.svc("other", "NodePort", node_ports=(port,))  # released
    assert other["spec"]["ports"][0]["nodePort"] == port


def test_update_cannot_take_another_services_node_port(env):
    env.svc("a", "NodePort", node_ports=(30100,))
    env.svc("b", "NodePort", node_ports=(30101,))
    svc = env.client.get("services", "b")
    svc["spec"]["ports"][0]["nodePort"] = 30100
    with pytest.raises(Invalid, match="provided port is already allocated"):
        env.client.update("services", svc)


def test_allocators_rebuilt_from_existing_services():
    env = Env()
    env.svc("a", "NodePort", cluster_ip="10.96.0.40", node_ports=(30200,))
    configure(env.server)  # e.g. an API server restart: the state is read back from the store
    with pytest.raises(Invalid, match="provided IP is already allocated"):
        env.svc("b", cluster_ip="10.96.0.40")
    with pytest.raises(Invalid, match="provided port is already allocated"):
        env.svc("c", "NodePort", node_ports=(30200,))


@given(st.lists(st.tuples(st.booleans(), st.integers(0, 7)), max_size=40))
@settings(max_examples=40, deadline=None)
def test_stored_services_never_share_an_ip_or_node_port(ops):
    """Random creates and deletes in a tiny range: every stored value is unique and in range."""
    env = Env(service_cidr="10.96.0.0/28", node_port_range=(30000, 30009))
    for create, i in ops:
        name = f"s{i}"
        try:
            if create:
                env.svc(name, "NodePort")
            else:
                env.client.delete("services", name)
        except (Invalid, InternalError, AlreadyExists, NotFound):
            pass
    items = env.client.list("services")["items"]
    ips = [s["spec"]["clusterIP"] for s in items]
    ports = [p["nodePort"] for s in items for p in s["spec"]["ports"]]
    assert len(set(ips)) == len(ips) and len(set(ports)) == len(ports)
    assert all(ip.startswith("10.96.0.") and 1 <= int(ip.rsplit(".", 1)[1]) <= 14 for ip in ips)
    assert all(30000 <= p <= 30009 for p in ports)
