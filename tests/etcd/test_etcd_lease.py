"""Unit tests for leases: grant, keepalive, revoke, time-to-live, expiry on the injected clock."""

import pytest

from minik8s.etcd import LeaseExists, LeaseNotFound, LeaseTTLTooLarge, Op, Store


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


def test_grant_ids_count_up_and_explicit_id(clock):
    s = Store(clock=clock)
    assert s.lease_grant(10) == 1
    assert s.lease_grant(10, lease_id=7) == 7
    assert s.lease_grant(5) == 8
    assert s.revision == 1  # leases take no revision
    with pytest.raises(LeaseExists, match="etcdserver: lease already exists"):
        s.lease_grant(10, lease_id=7)
    with pytest.raises(LeaseTTLTooLarge, match="etcdserver: too large lease TTL"):
        s.lease_grant(9_000_000_001)


def test_put_with_unknown_lease(clock):
    s = Store(clock=clock)
    with pytest.raises(LeaseNotFound, match="etcdserver: requested lease not found"):
        s.put("/a", b"1", lease=42)
    assert s.revision == 1


def test_time_to_live_counts_down(clock):
    s = Store(clock=clock)
    lease = s.lease_grant(10)
    s.put("/b", b"", lease=lease)
    s.put("/a", b"", lease=lease)
    clock.now = 3.5
    assert s.lease_time_to_live(lease) == (10, 6, ["/a", "/b"])
    assert s.lease_time_to_live(999) == (0, -1, [])  # etcd answers TTL -1 for a missing lease


def test_keepalive_extends_deadline(clock):
    s = Store(clock=clock)
    lease = s.lease_grant(10)
    s.put("/a", b"", lease=lease)
    clock.now = 8
    assert s.lease_keepalive(lease) == 10
    clock.now = 15
    assert s.expire_leases() == []
    assert s.get("/a") is not None
    clock.now = 18
    assert s.expire_leases() == [lease]
    assert s.get("/a") is None
    assert s.lease_time_to_live(lease) == (0, -1, [])


def test_keepalive_unknown_or_expired(clock):
    s = Store(clock=clock)
    with pytest.raises(LeaseNotFound):
        s.lease_keepalive(5)
    lease = s.lease_grant(10)
    s.put("/a", b"", lease=lease)
    clock.now = 10
    with pytest.raises(LeaseNotFound):
        s.lease_keepalive(lease)
    assert s.get("/a") is None  # the expired lease was revoked
    assert s.lease_time_to_live(lease)[1] == -1


def test_revoke_deletes_keys_in_one_revision(clock):
    s = Store(clock=clock)
    lease = s.lease_grant(10)
    s.put("/a", b"", lease=lease)
    s.put("/b", b"", lease=lease)
    s.put("/c", b"")
    s.lease_revoke(lease)
    assert s.revision == 5
    assert [kv.key for kv in s.range("")] == ["/c"]
    with pytest.raises(LeaseNotFound):
        s.lease_revoke(lease)


def test_revoke_empty_lease_takes_no_revision(clock):
    s = Store(clock=clock)
    lease = s.lease_grant(10)
    s.lease_revoke(lease)
    assert s.revision == 1


def test_rebinding_and_deleting_detach_keys(clock):
    s = Store(clock=clock)
    one, two = s.lease_grant(10), s.lease_grant(100)
    s.put("/a", b"", lease=one)
    s.put("/a", b"", lease=two)  # moves to lease two
    s.put("/b", b"", lease=one)
    s.put("/b", b"")  # a put without a lease detaches
    s.put("/c", b"", lease=one)
    s.delete("/c")
    assert s.lease_time_to_live(one)[2] == []
    assert s.lease_time_to_live(two)[2] == ["/a"]
    clock.now = 50
    assert s.expire_leases() == [one]
    assert [kv.key for kv in s.range("")] == ["/a", "/b"]


def test_txn_put_attaches_lease(clock):
    s = Store(clock=clock)
    lease = s.lease_grant(5)
    s.txn([], [Op("put", "/a", b"", lease=lease)])
    assert s.get("/a").lease == lease
    clock.now = 5
    assert s.expire_leases() == [lease]
    assert s.get("/a") is None


def test_expiry_order_is_deadline_then_id(clock):
    s = Store(clock=clock)
    late = s.lease_grant(20)
    early_b = s.lease_grant(10)
    early_a = s.lease_grant(10, lease_id=100)
    s.put("/late", b"", lease=late)
    clock.now = 30
    assert s.expire_leases() == [early_b, early_a, late]
    assert s.range("") == []
    assert "leases=0" in repr(s)
