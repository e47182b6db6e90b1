"""Unit tests for persistence: record format, torn tails, corruption, snapshots, recovery."""

import os
import shutil
import struct
import zlib

import pytest

from minik8s.etcd import Compare, Op, Store, StoreStopped, WALCorrupt
from minik8s.etcd.wal import decode_records, encode_record


def state(store: Store):
    """Everything a client can observe, history included."""
    history = [store.range("", revision=r) for r in range(store.compact_revision, store.revision)]
    leases = sorted(
        (lease_id, store.lease_time_to_live(lease_id)[2]) for lease_id in store.lessor.leases
    )
    return store.revision, store.compact_revision, store.range(""), history, leases


def test_record_format_is_length_crc_payload():
    data = encode_record((1, "p", 2, "/a", b"v", 0))
    length, crc = struct.unpack_from("<II", data)
    assert length == len(data) - 8
    assert crc == zlib.crc32(data[8:])
    assert decode_records(data) == ([(1, "p", 2, "/a", b"v", 0)], len(data))


def test_torn_tail_is_dropped():
    one = encode_record((1, "p", 2, "/a", b"v", 0))
    two = encode_record((2, "d", 3, "/a"))
    for cut in range(len(two)):
        records, valid = decode_records(one + two[:cut])
        assert records == [(1, "p", 2, "/a", b"v", 0)]
        assert valid == len(one)


def test_bad_crc_on_last_record_is_a_torn_write():
    one = encode_record((1, "p", 2, "/a", b"v", 0))
    two = bytearray(encode_record((2, "d", 3, "/a")))
    two[-1] ^= 0xFF
    assert decode_records(one + bytes(two))[0] == [(1, "p", 2, "/a", b"v", 0)]


def test_corruption_in_the_middle_fails_loudly():
    one = bytearray(encode_record((1, "p", 2, "/a", b"v", 0)))
    one[-1] ^= 0xFF
    two = encode_record((2, "d", 3, "/a"))
    with pytest.raises(WALCorrupt, match="crc mismatch in record at offset 0"):
        decode_records(bytes(one) + two)


def test_reopen_recovers_everything(tmp_path):
    s = Store(tmp_path, history=50)
    lease = s.lease_grant(30)
    s.put("/a", b"1", lease=lease)
    s.put("/b", b"1")
    s.txn([Compare("/b", "version", "=", 1)], [Op("put", "/b", b"2"), Op("delete", "/a")])
    s.put("/c", b"1", lease=lease)
    s.compact(3)
    before = state(s)
    s.close()
    reopened = Store(tmp_path, history=50)
    assert state(reopened) == before
    assert reopened.lease_grant(5) == lease + 1  # the id counter survives
    assert repr(reopened) == "Store(revision=5, compact_revision=3, keys=2, leases=2, watchers=0)"


def test_snapshot_truncates_wal_and_recovers(tmp_path):
    s = Store(tmp_path, snapshot_count=4)
    for i in range(10):
        s.put(f"/k/{i % 3}", str(i).encode())
    s.delete("/k/0")
    assert (tmp_path / "snap.db").exists()
    records, _ = decode_records((tmp_path / "wal.log").read_bytes())
    assert 0 < len(records) < 11  # the records before the snapshot were truncated away
    before = state(s)
    s.close()
    assert state(Store(tmp_path)) == before


def test_explicit_snapshot_then_more_writes(tmp_path):
    s = Store(tmp_path)
    s.put("/a", b"1")
    s.snapshot()
    assert os.path.getsize(tmp_path / "wal.log") == 0
    s.put("/a", b"2")
    before = state(s)
    s.close()
    assert state(Store(tmp_path)) == before


def test_crash_between_snapshot_rename_and_wal_truncation(tmp_path):
    s = Store(tmp_path)
    s.put("/a", b"1")
    s.put("/b", b"1")
    wal_before = (tmp_path / "wal.log").read_bytes()
    s.snapshot()
    before = state(s)
    s.close()
    (tmp_path / "wal.log").write_bytes(wal_before)  # the truncation never happened
    assert state(Store(tmp_path)) == before


def test_torn_last_record_is_dropped_and_store_continues(tmp_path):
    s = Store(tmp_path)
    s.put("/a", b"1")
    acknowledged = state(s)
    s.put("/b", b"x" * 100)
    s.close()
    wal = tmp_path / "wal.log"
    wal.write_bytes(wal.read_bytes()[:-10])
    s2 = Store(tmp_path)
    assert state(s2) == acknowledged
    s2.put("/c", b"1")  # appends after the dropped bytes, not after garbage
    after = state(s2)
    s2.close()
    assert state(Store(tmp_path)) == after


def test_corrupt_middle_record_refuses_to_open(tmp_path):
    s = Store(tmp_path)
    s.put("/a", b"1" * 50)
    s.put("/b", b"1")
    s.close()
    wal = tmp_path / "wal.log"
    data = bytearray(wal.read_bytes())
    data[20] ^= 0xFF
    wal.write_bytes(bytes(data))
    with pytest.raises(WALCorrupt):
        Store(tmp_path)


def test_corrupt_snapshot_refuses_to_open(tmp_path):
    s = Store(tmp_path)
    s.put("/a", b"1")
    s.snapshot()
    s.close()
    snap = tmp_path / "snap.db"
    data = bytearray(snap.read_bytes())
    data[-1] ^= 0xFF
    snap.write_bytes(bytes(data))
    with pytest.raises(WALCorrupt, match="snap: crc mismatch"):
        Store(tmp_path)


def test_wal_from_another_store_is_rejected(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    s = Store(a)
    s.put("/a", b"1")
    s.snapshot()
    s.put("/b", b"1")
    s.close()
    t = Store(b)
    t.lease_grant(5)  # record 1 takes no revision, so record 2 is logged at revision 2
    t.put("/x", b"1")
    t.put("/y", b"1")
    t.close()
    shutil.copy(b / "wal.log", a / "wal.log")  # a's snapshot ends at record 1, revision 2
    with pytest.raises(WALCorrupt):
        Store(a)


def test_leases_get_a_full_ttl_after_recovery(tmp_path):
    now = [0.0]
    s = Store(tmp_path, clock=lambda: now[0])
    lease = s.lease_grant(10)
    s.put("/a", b"", lease=lease)
    now[0] = 8
    s.close()
    s2 = Store(tmp_path, clock=lambda: now[0])
    assert s2.lease_time_to_live(lease) == (10, 10, ["/a"])  # etcd Promote: full TTL again
    now[0] = 18
    assert s2.expire_leases() == [lease]
    s2.close()
    assert Store(tmp_path).get("/a") is None  # the expiry itself was logged


def test_fsync_mode_works(tmp_path):
    s = Store(tmp_path, fsync=True, snapshot_count=2)
    for i in range(5):
        s.put("/a", str(i).encode())
    s.close()
    assert Store(tmp_path).get("/a").value == b"4"


def test_writes_after_close_raise(tmp_path):
    s = Store(tmp_path)
    s.put("/a", b"1")
    s.close()
    s.close()  # idempotent
    with pytest.raises(StoreStopped, match="etcdserver: server stopped"):
        s.put("/b", b"1")
    with pytest.raises(StoreStopped):
        s.snapshot()
    assert Store(tmp_path).get("/b") is None
