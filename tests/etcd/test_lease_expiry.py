"""Lease expiry by deadline heap: the same leases, in the same order, as a scan of every lease."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from minik8s.etcd import Store
from minik8s.etcd.lease import Lessor

# (op, lease index, ttl or time step): grant, renew, revoke, or let time pass and expire
OPS = st.lists(
    st.tuples(
        st.sampled_from(["grant", "renew", "revoke", "tick"]),
        st.integers(0, 7),
        st.integers(1, 30),
    ),
    max_size=60,
)


def scan_expired(lessor: Lessor, now: float) -> list[int]:
    """The obvious answer: every lease past its deadline, earliest deadline (then id) first."""
    due = [lease for lease in lessor.leases.values() if lease.deadline <= now]
    return [lease.id for lease in sorted(due, key=lambda lease: (lease.deadline, lease.id))]


@settings(max_examples=200, deadline=None)
@given(OPS)
def test_heap_expiry_matches_a_scan(ops):
    lessor, now, ids = Lessor(), 0.0, []
    for op, index, arg in ops:
        known = ids[index % len(ids)] if ids else None
        if op == "grant":
            ids.append(lessor.grant(None, arg, now).id)
        elif op == "renew" and known in lessor.leases and lessor.leases[known].deadline > now:
            lessor.renew(known, now)
        elif op == "revoke" and known in lessor.leases:
            lessor.remove(known)
        elif op == "tick":
            now += arg
            expected = scan_expired(lessor, now)
            assert lessor.expired(now) == expected
            for lease_id in expected:
                lessor.remove(lease_id)


def test_store_expiry_deletes_keys_of_expired_leases_only():
    now = [0.0]
    store = Store(clock=lambda: now[0])
    short, long = store.lease_grant(10), store.lease_grant(40)
    store.put("/registry/events/default/a", b"1", lease=short)
    store.put("/registry/events/default/b", b"2", lease=long)
    now[0] = 9.0
    assert store.expire_leases() == []
    store.lease_keepalive(short)  # deadline 19
    now[0] = 19.0
    assert store.expire_leases() == [short]
    assert store.get("/registry/events/default/a") is None
    assert store.get("/registry/events/default/b") is not None
    now[0] = 40.0
    assert store.expire_leases() == [long]
    assert store.expire_leases() == []


def test_keepalive_at_the_grant_instant_expires_once():
    now = [5.0]
    store = Store(clock=lambda: now[0])
    lease = store.lease_grant(10)
    store.put("/registry/events/default/a", b"1", lease=lease)
    store.lease_keepalive(lease)  # same deadline: used to leave a second heap entry
    now[0] = 15.0
    assert store.expire_leases() == [lease]  # revoked once, no LeaseNotFound on a second try
    assert store.get("/registry/events/default/a") is None
