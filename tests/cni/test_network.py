"""The bridge plugin and a node's CNI runtime (libcni) on the simulated cluster network."""

import ipaddress

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minik8s.cni.api import ERR_UNKNOWN_CONTAINER, CNIError, CNIResult
from minik8s.cni.network import Network, default_conflist

POD = {"K8S_POD_NAMESPACE": "shop", "K8S_POD_NAME": "web"}


def node(network=None, name="node-1", cidr="10.244.1.0/24"):
    network = network or Network()
    return network, network.node_network(name, cidr)


def test_add_result_in_spec_shape():
    _, runtime = node()
    result = runtime.add("sb1", "/var/run/netns/sb1", "eth0", default_conflist("10.244.1.0/24"))
    data = result.to_json()
    assert data["cniVersion"] == "1.0.0"
    assert [i["name"] for i in data["interfaces"]][::2] == ["cni0", "eth0"]
    assert data["interfaces"][1]["name"].startswith("veth")
    assert data["interfaces"][2] == {
        "name": "eth0",
        "mac": "0a:58:0a:f4:01:02",
        "sandbox": "/var/run/netns/sb1",
    }
    assert data["ips"] == [{"address": "10.244.1.2/24", "gateway": "10.244.1.1", "interface": 2}]
    assert data["routes"] == [{"dst": "0.0.0.0/0"}]
    assert CNIResult.from_json(data).to_json() == data


def test_bridge_gets_gateway_and_masquerade():
    _, runtime = node()
    runtime.add("sb1", "/netns/1", "eth0", args=POD)
    bridge = runtime.bridge.bridges["cni0"]
    assert bridge.addresses == ["10.244.1.1/24"]
    assert len(bridge.ports) == 1
    assert "10.244.1.2" in runtime.bridge.masquerade


def test_network_registers_and_forgets_endpoints():
    network, runtime = node()
    runtime.add("sb1", "/netns/1", "eth0", args=POD)
    endpoint = network.lookup("10.244.1.2")
    assert endpoint is not None
    assert (endpoint.node, endpoint.container_id, endpoint.pod) == ("node-1", "sb1", "shop/web")
    assert network.node_for("10.244.1.77") == "node-1"
    assert network.node_for("10.244.9.1") is None
    runtime.delete("sb1", "/netns/1", "eth0")
    assert network.lookup("10.244.1.2") is None
    assert runtime.bridge.bridges["cni0"].ports == []
    runtime.delete("sb1", "/netns/1", "eth0")  # DEL of nothing succeeds


def test_check_after_add_and_after_delete():
    _, runtime = node()
    runtime.add("sb1", "/netns/1", "eth0")
    runtime.check("sb1", "/netns/1", "eth0")
    runtime.bridge.veths.clear()  # the interface vanished behind the runtime's back
    with pytest.raises(CNIError, match="Container Interface eth0 not found"):
        runtime.check("sb1", "/netns/1", "eth0")
    runtime.delete("sb1", "/netns/1", "eth0")
    with pytest.raises(CNIError) as err:
        runtime.check("sb1", "/netns/1", "eth0")
    assert err.value.code == ERR_UNKNOWN_CONTAINER


def test_add_requires_netns_and_known_plugin():
    _, runtime = node()
    with pytest.raises(CNIError, match="netns must be specified"):
        runtime.add("sb1", "", "eth0")
    bad = {"cniVersion": "1.0.0", "name": "x", "plugins": [{"type": "flannel"}]}
    with pytest.raises(CNIError, match='failed to find plugin "flannel" in path'):
        runtime.add("sb1", "/netns/1", "eth0", bad)


def test_nodes_allocate_from_their_own_cidr():
    network, one = node()
    _, two = node(network, "node-2", "10.244.2.0/24")
    assert one.add("a", "/n/a", "eth0").ips[0].ip == "10.244.1.2"
    assert two.add("b", "/n/b", "eth0").ips[0].ip == "10.244.2.2"
    assert [e.node for e in network.endpoints.values()] == ["node-1", "node-2"]
    assert network.node_network("node-1", "10.244.1.0/24") is one


def test_version():
    _, runtime = node()
    assert runtime.version()["cniVersion"] == "1.0.0"
    assert "0.4.0" in runtime.version()["supportedVersions"]


ops = st.lists(st.tuples(st.booleans(), st.integers(0, 15)), max_size=80)


@settings(max_examples=60, deadline=None)
@given(ops)
def test_no_two_containers_share_an_ip(sequence):
    network, runtime = node(cidr="10.244.1.0/28")  # 13 usable addresses for 16 containers
    held: dict[str, str] = {}
    for is_add, n in sequence:
        cid = f"c{n}"
        if is_add:
            try:
                ip = runtime.add(cid, f"/n/{cid}", "eth0").ips[0].ip
            except CNIError as err:
                assert err.msg.startswith("no IP addresses available")
                assert len(held) == 13 and cid not in held
                continue
            assert held.setdefault(cid, ip) == ip
        else:
            runtime.delete(cid, f"/n/{cid}", "eth0")
            held.pop(cid, None)
        assert len(set(held.values())) == len(held)
        assert {ip: e.container_id for ip, e in network.endpoints.items()} == {
            ip: c for c, ip in held.items()
        }
        for ip in held.values():
            assert ipaddress.ip_address(ip) in ipaddress.ip_network("10.244.1.0/28")
            assert ip not in ("10.244.1.0", "10.244.1.1", "10.244.1.15")
