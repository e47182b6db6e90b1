"""Node IPs: `NodeAddresses` (lowest free address, like Docker's IPAM for kind's node containers)
and `Cluster.add_node` / `remove_node` never giving two machines the same address."""

import ipaddress

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minik8s import Cluster
from minik8s.machines import NodeAddresses

NET = ipaddress.ip_network("172.18.0.0/16")


def node_ips(cluster: Cluster) -> dict[str, str]:
    nodes = cluster.apiserver.list("nodes")["items"]
    return {n["metadata"]["name"]: n["status"]["addresses"][0]["address"] for n in nodes}


def test_addresses_start_after_the_gateway_and_count_up() -> None:
    ips = NodeAddresses(NET)
    assert [ips.allocate() for _ in range(3)] == ["172.18.0.2", "172.18.0.3", "172.18.0.4"]


def test_the_lowest_released_address_is_handed_out_first() -> None:
    ips = NodeAddresses(NET)
    taken = [ips.allocate() for _ in range(5)]  # .2 .. .6
    ips.release(taken[3])
    ips.release(taken[1])
    assert [ips.allocate(), ips.allocate(), ips.allocate()] == [
        "172.18.0.3",
        "172.18.0.5",
        "172.18.0.7",
    ]


def test_releasing_an_unknown_address_changes_nothing() -> None:
    ips = NodeAddresses(NET)
    ips.allocate()
    ips.release("10.0.0.1")
    ips.release("172.18.0.2")
    ips.release("172.18.0.2")  # twice: handed out once only
    assert [ips.allocate(), ips.allocate()] == ["172.18.0.2", "172.18.0.3"]


def test_a_full_network_raises() -> None:
    ips = NodeAddresses(ipaddress.ip_network("192.168.0.0/29"))  # .2 .. .6 usable
    assert [ips.allocate() for _ in range(5)][-1] == "192.168.0.6"
    with pytest.raises(ValueError, match="no free address left in 192.168.0.0/29"):
        ips.allocate()
    assert repr(ips) == "<NodeAddresses 192.168.0.0/29 held=5>"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.integers(0, 20)), max_size=40))
def test_held_addresses_are_unique_and_lowest_free(ops: list[tuple[bool, int]]) -> None:
    ips, held = NodeAddresses(NET), []
    for add, pick in ops:
        if add or not held:
            in_use = {int(ipaddress.ip_address(a)) - int(NET.network_address) for a in held}
            expected = min(set(range(2, len(held) + 3)) - in_use)
            address = ips.allocate()
            assert int(ipaddress.ip_address(address)) - int(NET.network_address) == expected
            held.append(address)
        else:
            ips.release(held.pop(pick % len(held)))
        assert len(set(held)) == len(held)


def test_a_node_added_after_a_removal_gets_a_free_ip() -> None:
    c = Cluster(nodes=3, seed=0)
    before = node_ips(c)
    assert before == {
        "control-plane": "172.18.0.2",
        "node-1": "172.18.0.3",
        "node-2": "172.18.0.4",
        "node-3": "172.18.0.5",
    }
    c.remove_node("node-1")
    name = c.add_node()
    c.run(5)
    after = node_ips(c)
    assert name == "node-4"
    assert len(set(after.values())) == len(after) == 4
    assert after["node-4"] == "172.18.0.3"  # node-1's, free again; not node-3's .5
    assert after["node-3"] == "172.18.0.5"
    c.add_node("extra")
    c.run(5)
    assert node_ips(c)["extra"] == "172.18.0.6"


def test_a_failed_node_keeps_its_ip() -> None:
    c = Cluster(nodes=2, seed=0)
    c.fail_node("node-1")
    c.add_node()
    assert c.machines["node-1"].node_ip == "172.18.0.3"
    assert c.machines["node-3"].node_ip == "172.18.0.5"
