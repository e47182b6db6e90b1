"""Superseded versions are kept as deltas of their successors (`KeyValue.supersede`,
`packing.py`): every read of them, at an old revision, through a watch replay or a snapshot,
still sees the exact bytes."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from minik8s.etcd import Event, KeyValue, Op, Store, packing
from minik8s.etcd.packing import Delta, common_prefix, common_suffix, diff
from tests.etcd.test_etcd_properties import check_against_model, ops


def pod(name: str, phase: str) -> bytes:
    """A stored value large enough to be packed, whose versions differ in their status."""
    body = {
        "metadata": {"name": name},
        "spec": {"containers": [{"name": f"c{i}"} for i in range(60)]},
    }
    value = json.dumps({**body, "status": {"phase": phase}}).encode()
    assert len(value) >= packing.PACK_MIN_BYTES
    return value


def test_a_replaced_version_is_a_small_delta_and_reads_the_same():
    s = Store()
    first = s.put("/r/pods/a", pod("a", "Pending"))
    assert not first.packed
    second = s.put("/r/pods/a", pod("a", "Running"))
    assert first.packed and not second.packed
    delta = first._value
    assert isinstance(delta, Delta) and delta.base is second
    assert delta.middle == b"Pend"  # "Pend|ing" against "Runn|ing"
    assert repr(delta) == "Delta(prefix=1085, middle=4 bytes, suffix=6)"
    assert s.get("/r/pods/a", revision=first.mod_revision).value == pod("a", "Pending")
    assert s.range("/r/pods/", revision=2) == [KeyValue("/r/pods/a", pod("a", "Pending"), 2, 2, 1)]
    assert s.get("/r/pods/a") is second


def test_small_values_deleted_versions_and_unlike_versions_stay_whole():
    s = Store()
    small = s.put("/r/leases/n", b"x" * (packing.PACK_MIN_BYTES - 1))
    s.put("/r/leases/n", b"x" * (packing.PACK_MIN_BYTES - 2) + b"y")
    assert not small.packed
    big = s.put("/r/pods/a", pod("a", "Pending"))
    s.delete("/r/pods/a")
    assert not big.packed  # a tombstone has no value to be a delta of
    unlike = s.put("/r/pods/b", pod("b", "x"))
    s.put("/r/pods/b", b"[" + bytes(reversed(pod("b", "x"))))
    assert not unlike.packed  # a delta would not halve it
    assert s.get("/r/pods/b", revision=unlike.mod_revision).value == pod("b", "x")


def test_every_max_run_th_version_stays_whole_and_all_read_back():
    s = Store()
    phases = [f"phase-{i}" for i in range(3 * packing.MAX_RUN + 2)]
    kvs = [s.put("/r/pods/a", pod("a", phase)) for phase in phases]
    whole = [i for i, kv in enumerate(kvs) if not kv.packed]
    assert whole == [packing.MAX_RUN, 2 * packing.MAX_RUN + 1, 3 * packing.MAX_RUN + 1]
    for kv, phase in zip(kvs, phases, strict=True):
        assert s.get("/r/pods/a", revision=kv.mod_revision).value == pod("a", phase)
        steps, value = 0, kv._value
        while isinstance(value, Delta):
            steps, value = steps + 1, value.base._value
        assert steps <= packing.MAX_RUN


def test_watchers_see_the_write_before_its_previous_version_is_packed():
    s = Store()
    s.put("/r/pods/a", pod("a", "Pending"))
    seen: list[bool] = []
    s.watch("/r/pods/", lambda events: seen.append(events[0].prev_kv.packed), prev_kv=True)
    s.put("/r/pods/a", pod("a", "Running"))
    assert seen == [False]


def test_replay_from_history_sees_the_exact_values_and_prev_kvs():
    s = Store()
    s.put("/r/pods/a", pod("a", "Pending"))
    s.txn([], [Op("put", "/r/pods/a", pod("a", "Running")), Op("put", "/r/pods/b", pod("b", "x"))])
    s.delete("/r/pods/a")
    got: list[list[Event]] = []
    s.watch("/r/pods/", got.append, start_revision=2, prev_kv=True)
    values = [(e.type, e.kv.value, e.prev_kv and e.prev_kv.value) for batch in got for e in batch]
    assert values == [
        ("PUT", pod("a", "Pending"), None),
        ("PUT", pod("a", "Running"), pod("a", "Pending")),
        ("PUT", pod("b", "x"), None),
        ("DELETE", b"", pod("a", "Running")),
    ]


def test_snapshot_and_recovery_keep_packed_versions(tmp_path):
    s = Store(tmp_path, snapshot_count=3)
    for phase in ("Pending", "Running", "Succeeded", "Failed"):
        s.put("/r/pods/a", pod("a", phase))
    s.close()
    again = Store(tmp_path)
    assert again.get("/r/pods/a").value == pod("a", "Failed")
    assert again.get("/r/pods/a", revision=3).value == pod("a", "Running")
    assert again.get("/r/pods/a", revision=3).packed and not again.get("/r/pods/a").packed


def test_keyvalue_behaves_like_the_named_tuple_it_was():
    a = KeyValue("/a", b"1", 2, 3, 4)
    assert a == KeyValue("/a", b"1", create_revision=2, mod_revision=3, version=4, lease=0)
    assert a != KeyValue("/a", b"2", 2, 3, 4) and a != ("/a", b"1", 2, 3, 4, 0)
    assert tuple(a) == ("/a", b"1", 2, 3, 4, 0)
    assert hash(a) == hash(KeyValue("/a", b"1", 2, 3, 4))
    assert repr(a) == (
        "KeyValue(key='/a', value=b'1', create_revision=2, mod_revision=3, version=4, lease=0)"
    )
    old, twin = KeyValue("/a", pod("a", "x"), 2, 3, 4), KeyValue("/a", pod("a", "x"), 2, 3, 4)
    old.supersede(KeyValue("/a", pod("a", "y"), 2, 5, 5))
    assert old.packed and old == twin and hash(old) == hash(twin) and repr(old) == repr(twin)


def test_common_prefix_and_suffix():
    assert common_prefix(b"abcd", b"abxd") == 2
    assert common_prefix(b"abc", b"abc") == 3 and common_prefix(b"", b"abc") == 0
    assert common_prefix(b"\x00\x01", b"\x00\x02") == 1  # leading zero bytes count
    assert common_suffix(b"abcd", b"abxd", 2) == 1
    assert common_suffix(b"abcd", b"zbcd", 4) == 3 and common_suffix(b"abcd", b"abcd", 2) == 2
    assert common_suffix(b"a\x00", b"b\x00", 2) == 1 and common_suffix(b"a", b"a", 0) == 0


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300), st.binary(max_size=300), st.binary(max_size=40))
def test_a_delta_rebuilds_the_old_value(old, new, shared):
    old, new = shared + old + shared, shared + new + shared
    p = common_prefix(old, new)
    assert old[:p] == new[:p] and (p == min(len(old), len(new)) or old[p] != new[p])
    base = KeyValue("/k", new, 1, 2, 2)
    delta = diff(old, new, base)
    if delta is not None:
        assert 2 * (delta.prefix + delta.suffix) >= len(old)
        assert packing.resolve(delta) == old


@settings(max_examples=100, deadline=None)
@given(st.lists(ops, max_size=40), st.sampled_from([None, 2, 5]), st.sampled_from([1, 2, 8]))
def test_store_matches_the_model_when_every_value_is_packed(op_list, window, max_run):
    # the model test's values are 0-3 bytes: pack them all, with short and long runs of deltas
    saved = packing.PACK_MIN_BYTES, packing.MAX_RUN
    packing.PACK_MIN_BYTES, packing.MAX_RUN = 1, max_run
    try:
        check_against_model(op_list, window)
    finally:
        packing.PACK_MIN_BYTES, packing.MAX_RUN = saved


def test_a_revision_of_one_event_is_logged_without_a_list():
    s = Store()
    s.put("/r/a", b"1")
    s.txn([], [Op("put", "/r/a", b"2"), Op("put", "/r/b", b"3")])
    first, second = s._history.entries[-2:]
    assert first == Event("PUT", KeyValue("/r/a", b"1", 2, 2, 1))
    assert isinstance(second, list) and [e.kv.key for e in second] == ["/r/a", "/r/b"]
    assert [[e.kv.value for e in events] for events in s._history.since(2)] == [
        [b"1"],
        [b"2", b"3"],
    ]
