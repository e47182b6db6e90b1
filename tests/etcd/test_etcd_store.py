"""Unit tests for minik8s.etcd.Store: every KV verb and error (etcd v3 semantics)."""

import pytest

from minik8s.etcd import (
    Compacted,
    Compare,
    FutureRevision,
    KeyValue,
    LeaseNotFound,
    Op,
    Store,
    TxnResult,
)


def test_empty_store_starts_at_revision_1():
    s = Store()
    assert s.revision == 1
    assert s.compact_revision == 0
    assert s.get("/a") is None
    assert s.range("") == []
    assert repr(s) == "Store(revision=1, compact_revision=0, keys=0, leases=0, watchers=0)"


def test_put_creates_then_updates():
    s = Store()
    kv = s.put("/a", b"1")
    assert kv == KeyValue("/a", b"1", create_revision=2, mod_revision=2, version=1)
    assert s.revision == 2
    kv2 = s.put("/a", b"2")
    assert kv2 == KeyValue("/a", b"2", create_revision=2, mod_revision=3, version=2)
    assert s.get("/a") == kv2
    assert repr(kv2) == (
        "KeyValue(key='/a', value=b'2', create_revision=2, mod_revision=3, version=2, lease=0)"
    )


def test_kv_is_frozen():
    kv = Store().put("/a", b"1")
    with pytest.raises(AttributeError):
        kv.value = b"2"  # type: ignore[misc]


def test_recreate_after_delete_starts_a_new_generation():
    s = Store()
    s.put("/a", b"1")
    s.put("/a", b"2")
    s.delete("/a")
    kv = s.put("/a", b"3")
    assert (kv.create_revision, kv.mod_revision, kv.version) == (5, 5, 1)


def test_delete_returns_prev_and_bumps_revision():
    s = Store()
    put = s.put("/a", b"1")
    assert s.delete("/a") == put
    assert s.revision == 3
    assert s.get("/a") is None


def test_delete_absent_key_keeps_revision():
    s = Store()
    s.put("/a", b"1")
    assert s.delete("/b") is None
    assert s.revision == 2


def test_range_is_sorted_by_key_and_prefix_bounded():
    s = Store()
    for key in ["/r/pods/b", "/r/pods/a", "/r/podsx", "/r/nodes/n1", "/r/pods/c"]:
        s.put(key, key.encode())
    assert [kv.key for kv in s.range("/r/pods/")] == ["/r/pods/a", "/r/pods/b", "/r/pods/c"]
    assert [kv.key for kv in s.range("/r/pods")] == [
        "/r/pods/a",
        "/r/pods/b",
        "/r/pods/c",
        "/r/podsx",
    ]
    assert len(s.range("")) == 5
    assert [kv.key for kv in s.range("/r/pods/", limit=2)] == ["/r/pods/a", "/r/pods/b"]
    assert s.count("/r/pods/") == 3
    assert s.count("") == 5
    assert s.count("/nothing") == 0


def test_range_at_old_revision_sees_deleted_and_old_values():
    s = Store()
    s.put("/p/a", b"1")  # 2
    s.put("/p/b", b"1")  # 3
    s.put("/p/a", b"2")  # 4
    s.delete("/p/b")  # 5
    s.put("/p/c", b"1")  # 6
    assert [(kv.key, kv.value) for kv in s.range("/p/", revision=3)] == [
        ("/p/a", b"1"),
        ("/p/b", b"1"),
    ]
    assert [(kv.key, kv.value) for kv in s.range("/p/", revision=5)] == [("/p/a", b"2")]
    assert [kv.key for kv in s.range("/p/", revision=6)] == ["/p/a", "/p/c"]
    assert s.range("/p/", revision=1) == []
    assert [kv.key for kv in s.range("/p/", revision=3, limit=1)] == ["/p/a"]
    assert s.get("/p/b", revision=4).value == b"1"
    assert s.get("/p/b", revision=5) is None
    assert s.get("/p/a", revision=2).version == 1


def test_future_revision_raises():
    s = Store()
    s.put("/a", b"1")
    with pytest.raises(FutureRevision, match="mvcc: required revision is a future revision"):
        s.get("/a", revision=3)
    with pytest.raises(FutureRevision):
        s.range("", revision=99)


def test_compaction_makes_old_revisions_unreadable():
    s = Store()
    for i in range(5):
        s.put("/a", str(i).encode())  # revisions 2..6
    s.compact(4)
    assert s.compact_revision == 4
    with pytest.raises(Compacted, match="mvcc: required revision has been compacted") as err:
        s.get("/a", revision=3)
    assert err.value.compact_revision == 4
    with pytest.raises(Compacted):
        s.range("/", revision=2)
    assert s.get("/a", revision=4).value == b"2"  # the compact revision itself is kept
    assert s.get("/a", revision=5).value == b"3"


def test_compact_errors():
    s = Store()
    s.put("/a", b"1")
    s.put("/a", b"2")
    with pytest.raises(FutureRevision):
        s.compact(4)
    s.compact(2)
    with pytest.raises(Compacted):
        s.compact(2)
    with pytest.raises(Compacted):
        s.compact(1)


def test_compaction_keeps_deleted_key_invisible():
    s = Store()
    s.put("/a", b"1")  # 2
    s.delete("/a")  # 3
    s.put("/b", b"1")  # 4
    s.compact(3)
    assert s.get("/a", revision=3) is None
    assert s.range("", revision=3) == []
    assert [kv.key for kv in s.range("", revision=4)] == ["/b"]


def test_history_window_auto_compacts():
    s = Store(history=3)
    for i in range(10):
        s.put("/a", str(i).encode())  # revisions 2..11
    assert s.revision == 11
    assert s.compact_revision == 8
    assert s.get("/a", revision=8).value == b"6"
    with pytest.raises(Compacted):
        s.get("/a", revision=7)


def test_txn_success_branch_shares_one_revision():
    s = Store()
    s.put("/a", b"1")
    r = s.txn(
        [Compare("/a", "value", "=", b"1")],
        [Op("put", "/a", b"2"), Op("put", "/b", b"x"), Op("get", "/a")],
        [Op("get", "/a")],
    )
    assert r.succeeded
    assert r.revision == 3
    assert [kv.mod_revision for kv in r.responses] == [3, 3, 3]
    assert r.responses[2].value == b"2"  # a get sees the txn's own earlier put
    assert s.revision == 3


def test_txn_failure_branch():
    s = Store()
    s.put("/a", b"1")
    r = s.txn([Compare("/a", "version", ">", 1)], [Op("delete", "/a")], [Op("get", "/a")])
    assert r == TxnResult(False, 2, [s.get("/a")])


def test_txn_read_only_and_noop_delete_keep_revision():
    s = Store()
    s.put("/a", b"1")
    r = s.txn([], [Op("get", "/a"), Op("delete", "/missing")])
    assert r.succeeded and r.revision == 2 and r.responses[1] is None
    assert s.revision == 2


def test_txn_delete_returns_prev():
    s = Store()
    prev = s.put("/a", b"1")
    r = s.txn([Compare("/a", "mod", "=", 2)], [Op("delete", "/a")])
    assert r.responses == [prev]
    assert s.get("/a") is None


@pytest.mark.parametrize(
    ("compare", "holds"),
    [
        (Compare("/a", "version", "=", 2), True),
        (Compare("/a", "version", "!=", 2), False),
        (Compare("/a", "create", "=", 2), True),
        (Compare("/a", "mod", "<", 4), True),
        (Compare("/a", "mod", ">", 3), False),
        (Compare("/a", "value", "=", b"2"), True),
        (Compare("/a", "value", "<", b"3"), True),
        (Compare("/a", "value", ">", b"3"), False),
        (Compare("/a", "lease", "=", 0), True),
        # a missing key compares as zero revisions / version ...
        (Compare("/missing", "version", "=", 0), True),
        (Compare("/missing", "create", "=", 0), True),
        (Compare("/missing", "mod", "<", 1), True),
        # ... but a value compare on a missing key always fails (etcd applyCompare)
        (Compare("/missing", "value", "=", b""), False),
        (Compare("/missing", "value", "!=", b"x"), False),
    ],
)
def test_compare_targets(compare, holds):
    s = Store()
    s.put("/a", b"1")
    s.put("/a", b"2")
    assert s.txn([compare], []).succeeded is holds


def test_txn_duplicate_key_rejected_and_nothing_written():
    s = Store()
    with pytest.raises(ValueError, match="etcdserver: duplicate key given in txn request"):
        s.txn([], [Op("put", "/a", b"1"), Op("delete", "/a")])
    assert s.revision == 1 and s.get("/a") is None


def test_txn_with_unknown_lease_writes_nothing():
    s = Store()
    with pytest.raises(LeaseNotFound):
        s.txn([], [Op("put", "/a", b"1"), Op("put", "/b", b"1", lease=7)])
    assert s.revision == 1 and s.get("/a") is None


def test_invalid_compare_and_op_rejected():
    with pytest.raises(ValueError):
        Compare("/a", "size", "=", 1)
    with pytest.raises(ValueError):
        Compare("/a", "mod", ">=", 1)
    with pytest.raises(ValueError):
        Op("patch", "/a")


def test_optimistic_update_with_stale_mod_revision_fails():
    s = Store()
    seen = s.put("/counter", b"0")
    s.put("/counter", b"1")  # someone else wins
    r = s.txn(
        [Compare("/counter", "mod", "=", seen.mod_revision)],
        [Op("put", "/counter", b"1")],
        [Op("get", "/counter")],
    )
    assert not r.succeeded
    assert r.responses[0].mod_revision == 3


def test_range_pages_with_start_key_and_limit():
    s = Store()
    for name in "abcde":
        s.put(f"/p/{name}", b"")
    s.put("/q/a", b"")
    page = s.range("/p/", limit=2)
    assert [kv.key for kv in page] == ["/p/a", "/p/b"]
    page = s.range("/p/", limit=2, start_key=page[-1].key + "\x00")
    assert [kv.key for kv in page] == ["/p/c", "/p/d"]
    page = s.range("/p/", limit=2, start_key=page[-1].key + "\x00")
    assert [kv.key for kv in page] == ["/p/e"]
    assert s.range("/p/", start_key="/a") == s.range("/p/")  # start before the prefix
    s.delete("/p/d")
    assert [kv.key for kv in s.range("/p/", revision=6, start_key="/p/c\x00")] == ["/p/d", "/p/e"]
