"""host-local at scale: the parsed ranges are kept per config, the store indexes addresses by
owner; both must give exactly what parsing and scanning every time would."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minik8s.cni.api import CNIError
from minik8s.cni.hostlocal import PARSED_CONFIGS, HostLocal, Store, range_sets


def conf(subnet="10.0.0.0/28"):
    return {
        "cniVersion": "1.0.0",
        "name": "cbr0",
        "ipam": {"type": "host-local", "ranges": [[{"subnet": subnet}]]},
    }


def test_range_sets_parsed_once_per_config_text():
    ipam = HostLocal()
    first = ipam.range_sets(conf()["ipam"])
    assert ipam.range_sets(conf()["ipam"]) is first  # an equal config, another dict: same parse
    assert first == range_sets(conf()["ipam"])  # what parsing again gives
    other = ipam.range_sets(conf("10.0.1.0/28")["ipam"])
    assert str(other[0][0]) == "10.0.1.1-10.0.1.14"
    assert str(first[0][0]) == "10.0.0.1-10.0.0.14"
    assert HostLocal().range_sets(conf()["ipam"]) is not first  # kept per node's plugin


def test_the_parse_cache_is_bounded():
    ipam = HostLocal()
    for i in range(PARSED_CONFIGS + 3):
        ipam.range_sets(conf(f"10.0.{i}.0/28")["ipam"])
    assert len(ipam._parsed) == PARSED_CONFIGS


def test_bad_config_raises_every_time():
    ipam = HostLocal()
    for bad in ({"ranges": [[{"subnet": "10.0.0.0/31"}]]}, {"type": "host-local"}):
        for _ in range(2):
            with pytest.raises(CNIError, match="too small to allocate from|no IP ranges"):
                ipam.range_sets(bad)
    assert len(ipam._parsed) == 0


def test_store_repr_and_equality_ignore_the_index():
    store = Store()
    store.reserve("c1", "eth0", __import__("ipaddress").ip_address("10.0.0.2"), 0)
    assert repr(store) == (
        "Store(reserved={IPv4Address('10.0.0.2'): ('c1', 'eth0')}, "
        "last_reserved={0: IPv4Address('10.0.0.2')})"
    )


ops = st.lists(st.tuples(st.sampled_from(["add", "del"]), st.integers(0, 7)), max_size=40)


@given(ops)
@settings(max_examples=60, deadline=None)
def test_owner_index_is_reserved_inverted(steps):
    ipam, c = HostLocal(), conf()
    for op, n in steps:
        if op == "add":
            try:
                ipam.add(f"c{n}", "ns", "eth0", c)
            except CNIError:
                pass  # /28: full after 13 addresses
        else:
            ipam.delete(f"c{n}", "ns", "eth0", c)
        store = ipam.store_for(c)
        scanned: dict = {}
        for ip, owner in store.reserved.items():
            scanned.setdefault(owner, []).append(ip)
        assert store.by_owner == scanned
        for owner, ips in scanned.items():
            assert store.get_by_id(*owner) == ips


def test_repeated_add_returns_the_same_address():
    ipam, c = HostLocal(), conf()
    a = ipam.add("c1", "ns", "eth0", c).ips[0].address
    ipam.add("c2", "ns", "eth0", c)
    assert ipam.add("c1", "ns", "eth0", c).ips[0].address == a
    ipam.delete("c1", "ns", "eth0", c)
    assert ipam.store_for(c).get_by_id("c1", "eth0") == []
