"""host-local IPAM: facts from containernetworking/plugins allocator_test.go, range_test.go."""

import pytest

from minik8s.cni.api import ERR_INCOMPATIBLE_CNI_VERSION, ERR_INTERNAL, CNIError
from minik8s.cni.hostlocal import HostLocal, parse_range


def conf(subnet="10.244.1.0/24", **ipam):
    return {
        "cniVersion": "1.0.0",
        "name": "cbr0",
        "ipam": {"type": "host-local", "ranges": [[{"subnet": subnet, **ipam}]]},
    }


def test_range_canonicalize_defaults():
    r = parse_range({"subnet": "192.168.1.0/24"})
    assert (str(r.range_start), str(r.range_end), str(r.gateway)) == (
        "192.168.1.1",
        "192.168.1.254",
        "192.168.1.1",
    )
    assert str(r) == "192.168.1.1-192.168.1.254"


def test_range_too_small():
    with pytest.raises(CNIError, match="Network 10.0.0.0/31 too small to allocate from"):
        parse_range({"subnet": "10.0.0.0/31"})


def test_gateway_outside_subnet():
    with pytest.raises(CNIError, match="10.1.0.1 not in network 10.0.0.0/24"):
        parse_range({"subnet": "10.0.0.0/24", "gateway": "10.1.0.1"})


def test_allocates_sequentially_skipping_network_and_gateway():
    ipam = HostLocal()
    got = [ipam.add(f"c{i}", "ns", "eth0", conf()).ips[0] for i in range(3)]
    assert [ip.address for ip in got] == ["10.244.1.2/24", "10.244.1.3/24", "10.244.1.4/24"]
    assert {ip.gateway for ip in got} == {"10.244.1.1"}


def test_round_robin_continues_after_last_reserved():
    ipam = HostLocal()
    for i in range(3):
        ipam.add(f"c{i}", "ns", "eth0", conf())
    ipam.delete("c0", "ns", "eth0", conf())
    # .2 is free again, but the next search starts after the last reserved address (.4).
    assert ipam.add("c3", "ns", "eth0", conf()).ips[0].address == "10.244.1.5/24"


def test_wraps_around_to_released_addresses():
    ipam = HostLocal()
    c = conf("10.0.0.0/29")  # .1 gateway, .2-.6 usable, .7 broadcast
    for i in range(5):
        ipam.add(f"c{i}", "ns", "eth0", c)
    ipam.delete("c1", "ns", "eth0", c)
    assert ipam.add("new", "ns", "eth0", c).ips[0].address == "10.0.0.3/29"


def test_exhaustion_message():
    ipam = HostLocal()
    for i in range(253):
        ipam.add(f"c{i}", "ns", "eth0", conf())
    with pytest.raises(CNIError) as err:
        ipam.add("one-too-many", "ns", "eth0", conf())
    assert err.value.code == ERR_INTERNAL
    assert err.value.msg == "no IP addresses available in range set: 10.244.1.1-10.244.1.254"


def test_add_is_idempotent_for_the_same_container():
    ipam = HostLocal()
    first = ipam.add("c0", "ns", "eth0", conf()).ips[0].address
    assert ipam.add("c0", "ns", "eth0", conf()).ips[0].address == first
    assert ipam.add("c1", "ns", "eth0", conf()).ips[0].address == "10.244.1.3/24"
    # another interface of the same container is another allocation
    assert ipam.add("c0", "ns", "net1", conf()).ips[0].address == "10.244.1.4/24"


def test_delete_releases_and_is_idempotent():
    ipam = HostLocal()
    ipam.add("c0", "ns", "eth0", conf())
    ipam.delete("c0", "ns", "eth0", conf())
    ipam.delete("c0", "ns", "eth0", conf())
    ipam.delete("never-added", "ns", "eth0", conf())
    assert ipam.store_for(conf()).reserved == {}


def test_check():
    ipam = HostLocal()
    ipam.add("c0", "ns", "eth0", conf())
    ipam.check("c0", "ns", "eth0", conf())
    with pytest.raises(CNIError, match="host-local: Failed to find address added by container c9"):
        ipam.check("c9", "ns", "eth0", conf())


def test_range_start_end_and_routes():
    c = conf(rangeStart="10.244.1.100", rangeEnd="10.244.1.101")
    c["ipam"]["routes"] = [{"dst": "0.0.0.0/0"}]
    ipam = HostLocal()
    result = ipam.add("a", "ns", "eth0", c)
    assert result.ips[0].address == "10.244.1.100/24"
    assert result.routes == [{"dst": "0.0.0.0/0"}]
    ipam.add("b", "ns", "eth0", c)
    with pytest.raises(CNIError, match="range set: 10.244.1.100-10.244.1.101$"):
        ipam.add("c", "ns", "eth0", c)


def test_two_range_sets_give_one_address_each():
    c = conf()
    c["ipam"]["ranges"].append([{"subnet": "fd00:10:244:1::/64"}])
    result = HostLocal().add("a", "ns", "eth0", c)
    assert [ip.address for ip in result.ips] == ["10.244.1.2/24", "fd00:10:244:1::2/64"]


def test_networks_have_separate_stores():
    ipam = HostLocal()
    other = {**conf(), "name": "other"}
    assert ipam.add("a", "ns", "eth0", conf()).ips[0].address == "10.244.1.2/24"
    assert ipam.add("b", "ns", "eth0", other).ips[0].address == "10.244.1.2/24"


def test_incompatible_version():
    with pytest.raises(CNIError) as err:
        HostLocal().add("a", "ns", "eth0", {**conf(), "cniVersion": "9.9.9"})
    assert err.value.code == ERR_INCOMPATIBLE_CNI_VERSION
    assert err.value.to_json()["msg"] == "incompatible CNI versions"
