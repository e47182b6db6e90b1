"""Unit tests for Store.watch: prefix matching, batching, prev_kv, replay, cancel, reentrancy."""

import pytest

from minik8s.etcd import Compacted, Event, KeyValue, Op, Store


def collect(store, prefix, **kw):
    got: list[list[Event]] = []
    w = store.watch(prefix, got.append, **kw)
    return got, w


def test_watch_delivers_matching_puts_and_deletes():
    s = Store()
    got, w = collect(s, "/r/pods/")
    s.put("/r/pods/a", b"1")
    s.put("/r/nodes/n", b"1")
    s.delete("/r/pods/a")
    assert got == [
        [Event("PUT", KeyValue("/r/pods/a", b"1", 2, 2, 1))],
        [Event("DELETE", KeyValue("/r/pods/a", b"", 0, 4, 0))],
    ]
    assert repr(w) == (
        "Watcher(id=0, prefix='/r/pods/', start_revision=None, prev_kv=False, cancelled=False)"
    )


def test_prev_kv_only_when_asked():
    s = Store()
    with_prev, _ = collect(s, "/a", prev_kv=True)
    without, _ = collect(s, "/a")
    first = s.put("/a", b"1")
    second = s.put("/a", b"2")
    s.delete("/a")
    assert [batch[0].prev_kv for batch in with_prev] == [None, first, second]
    assert [batch[0].prev_kv for batch in without] == [None, None, None]


def test_txn_events_arrive_in_one_call_in_op_order():
    s = Store()
    s.put("/p/b", b"0")
    got, _ = collect(s, "/p/")
    s.txn([], [Op("put", "/p/c", b"1"), Op("delete", "/p/b"), Op("put", "/q", b"1")])
    assert len(got) == 1
    assert [(e.type, e.kv.key, e.kv.mod_revision) for e in got[0]] == [
        ("PUT", "/p/c", 3),
        ("DELETE", "/p/b", 3),
    ]


def test_cancel_stops_delivery():
    s = Store()
    got, w = collect(s, "")
    s.put("/a", b"1")
    w.cancel()
    w.cancel()  # idempotent
    s.put("/a", b"2")
    assert len(got) == 1
    assert w.cancelled
    assert "watchers=0" in repr(s)


def test_watchers_with_different_prefix_lengths():
    s = Store()
    all_events, _ = collect(s, "")
    pods, _ = collect(s, "/registry/pods/")
    ns, _ = collect(s, "/registry/pods/ns1/")
    s.put("/registry/pods/ns1/a", b"")
    s.put("/registry/pods/ns2/a", b"")
    s.put("/registry/nodes/x", b"")
    assert (len(all_events), len(pods), len(ns)) == (3, 2, 1)


def test_start_revision_replays_history_then_live():
    s = Store()
    s.put("/a", b"1")  # 2
    s.put("/b", b"1")  # 3
    s.delete("/a")  # 4
    got, _ = collect(s, "/a", start_revision=2, prev_kv=True)
    assert [(e.type, e.kv.mod_revision) for batch in got for e in batch] == [
        ("PUT", 2),
        ("DELETE", 4),
    ]
    assert got[1][0].prev_kv.value == b"1"
    s.put("/a", b"2")
    assert [batch[0].kv.mod_revision for batch in got] == [2, 4, 5]


def test_start_revision_below_compaction_raises():
    s = Store()
    for i in range(4):
        s.put("/a", str(i).encode())  # 2..5
    s.compact(4)
    with pytest.raises(Compacted) as err:
        s.watch("/a", lambda events: None, start_revision=3)
    assert err.value.compact_revision == 4
    got, _ = collect(s, "/a", start_revision=4)
    assert [batch[0].kv.mod_revision for batch in got] == [4, 5]


def test_future_start_revision_waits():
    s = Store()
    got, _ = collect(s, "", start_revision=4)
    s.put("/a", b"1")  # 2
    s.put("/a", b"2")  # 3
    s.put("/a", b"3")  # 4
    assert [batch[0].kv.mod_revision for batch in got] == [4]


def test_callback_writes_are_delivered_in_revision_order_to_everyone():
    s = Store()
    order: list[tuple[str, int]] = []

    def reactor(events):
        order.append(("reactor", events[0].kv.mod_revision))
        if events[0].kv.key == "/a":
            s.put("/b", b"reaction")

    def observer(events):
        order.append(("observer", events[0].kv.mod_revision))

    s.watch("", reactor)
    s.watch("", observer)
    s.put("/a", b"1")
    assert order == [("reactor", 2), ("observer", 2), ("reactor", 3), ("observer", 3)]


def test_watch_created_inside_callback_sees_no_duplicates():
    s = Store()
    late: list[int] = []

    def spawn(events):
        if events[0].kv.key == "/a":
            s.put("/b", b"x")  # queued: revision 3
            s.watch("", lambda evs: late.append(evs[0].kv.mod_revision), start_revision=2)

    s.watch("", spawn)
    s.put("/a", b"1")
    s.put("/c", b"1")
    assert late == [2, 3, 4]


def test_cancel_inside_callback():
    s = Store()
    got: list[int] = []

    def once(events):
        got.append(events[0].kv.mod_revision)
        w.cancel()

    w = s.watch("", once)
    s.put("/a", b"1")
    s.put("/a", b"2")
    assert got == [2]


def test_lease_revoke_events_share_one_revision():
    s = Store()
    lease = s.lease_grant(10)
    s.put("/l/a", b"", lease=lease)
    s.put("/l/b", b"", lease=lease)
    got, _ = collect(s, "/l/")
    s.lease_revoke(lease)
    assert [[(e.type, e.kv.key, e.kv.mod_revision) for e in batch] for batch in got] == [
        [("DELETE", "/l/a", 4), ("DELETE", "/l/b", 4)]  # grant takes no revision
    ]


def test_raising_callback_does_not_starve_other_watchers():
    s = Store()
    got: list[int] = []

    def broken(events):
        raise RuntimeError("boom")

    s.watch("", broken)
    s.watch("", lambda events: got.append(events[0].kv.mod_revision))
    with pytest.raises(RuntimeError, match="boom"):
        s.put("/a", b"1")
    assert got == [2]
    assert s.get("/a") is not None  # the write itself is committed


def test_a_key_shorter_than_another_watched_prefix_is_delivered_once():
    """Regression: prefixes '/c' and '/a/' made key '/c' match '/c' twice (key[:3] == '/c')."""
    from minik8s.etcd import Op, Store

    store = Store()
    seen = []
    store.watch("/a/", lambda evs: None)
    store.watch("/c", seen.append)
    store.txn([], [Op("put", "/a/1", b"x"), Op("put", "/c", b"t")])
    assert [[e.kv.key for e in batch] for batch in seen] == [["/c"]]


def test_matches_are_remembered_per_directory_only_while_every_prefix_is_one():
    """Keys of one directory share their watchers while every prefix ends in '/'; a prefix
    that does not (a single key) is matched against whole keys again."""
    s = Store()
    dirs, _ = collect(s, "/r/pods/")
    ns, _ = collect(s, "/r/pods/ns/")
    s.put("/r/pods/ns/a", b"1")
    s.put("/r/pods/ns/b", b"1")
    s.put("/r/pods/x", b"1")
    one, w = collect(s, "/r/pods/ns/b")
    s.put("/r/pods/ns/a", b"2")
    s.put("/r/pods/ns/b", b"2")
    w.cancel()
    s.put("/r/pods/ns/b", b"3")
    s.put("/top", b"1")
    keys = [[e.kv.key for e in batch] for batch in dirs]
    assert (
        keys
        == [["/r/pods/ns/a"], ["/r/pods/ns/b"], ["/r/pods/x"], ["/r/pods/ns/a"]]
        + [["/r/pods/ns/b"]] * 2
    )
    assert len(ns) == 5
    assert [[e.kv.value for e in batch] for batch in one] == [[b"2"]]
