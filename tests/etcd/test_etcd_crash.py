"""Property (4): a store reopened after a crash at ANY point holds every acknowledged write.

Every durable step of the WAL (record append, snapshot rename, log truncation) is recorded as a
disk image together with the state that was acknowledged at that moment. A crash image is either
one of those, or the log cut at an arbitrary byte inside the record being written, or a half-written
snapshot temp file. Reopening any image must give exactly the last acknowledged state.
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from minik8s.etcd import Compacted, Compare, Op, Store

KEYS = ["/a/1", "/a/2", "/b", "/c/x"]

ops = st.one_of(
    st.tuples(st.just("put"), st.sampled_from(KEYS), st.binary(max_size=40), st.booleans()),
    st.tuples(st.just("delete"), st.sampled_from(KEYS)),
    st.tuples(st.just("txn"), st.sampled_from(KEYS), st.integers(0, 2), st.sampled_from(KEYS)),
    st.tuples(st.just("compact"), st.integers(0, 4)),
    st.tuples(st.just("grant"), st.integers(1, 10)),
    st.tuples(st.just("revoke")),
    st.tuples(st.just("tick"), st.integers(0, 12)),
    st.tuples(st.just("snapshot")),
)


def state(store: Store):
    """Everything a client can observe, history included."""
    history = [store.range("", revision=r) for r in range(store.compact_revision, store.revision)]
    leases = sorted((i, store.lease_time_to_live(i)[2]) for i in store.lessor.leases)
    return store.revision, store.compact_revision, store.range(""), history, leases


def run(store: Store, op: tuple, now: list[float]) -> None:
    kind = op[0]
    leases = sorted(store.lessor.leases)
    if kind == "put":
        store.put(op[1], op[2], lease=leases[-1] if op[3] and leases else 0)
    elif kind == "delete":
        store.delete(op[1])
    elif kind == "txn":
        store.txn(
            [Compare(op[1], "version", "=", op[2])],
            [Op("put", op[1], b"won"), Op("delete", op[3]) if op[3] != op[1] else Op("get", op[3])],
            [Op("put", op[3], b"lost")],
        )
    elif kind == "compact":
        try:
            store.compact(store.revision - op[1])
        except Compacted:
            pass
    elif kind == "grant":
        store.lease_grant(op[1])
    elif kind == "revoke" and leases:
        store.lease_revoke(leases[0])
    elif kind == "tick":
        now[0] += op[1]
        store.expire_leases()
    elif kind == "snapshot":
        store.snapshot()


def read_image(d: Path) -> tuple[bytes | None, bytes]:
    snap = d / "snap.db"
    return (snap.read_bytes() if snap.exists() else None), (d / "wal.log").read_bytes()


def record_images(store: Store, d: Path, rng: random.Random) -> list[tuple]:
    """Wrap the store's WAL so each durable step leaves (snap, wal, tmp, expected) images."""
    wal = store._wal
    assert wal is not None
    images: list[tuple] = []
    acknowledged = [state(store)]
    real_append, real_snapshot = wal.append, wal.save_snapshot

    def append(record: tuple) -> None:
        snap, before = read_image(d)
        real_append(record)
        _, after = read_image(d)
        new = after[len(before) :]
        cuts = {0, 1, 7, 8, 9, len(new) // 2, len(new) - 1, rng.randrange(len(new))}
        for cut in sorted(c for c in cuts if 0 <= c < len(new)):
            images.append((snap, before + new[:cut], None, acknowledged[0]))
        acknowledged[0] = state(store)
        images.append((snap, after, None, acknowledged[0]))

    def save_snapshot(payload: dict) -> None:
        snap, before = read_image(d)
        real_snapshot(payload)
        new_snap, after = read_image(d)
        assert new_snap is not None
        half = new_snap[: rng.randrange(len(new_snap))]
        images.append((snap, before, half, acknowledged[0]))  # crashed writing the temp file
        images.append((new_snap, before, None, acknowledged[0]))  # renamed, not truncated
        images.append((new_snap, after, None, acknowledged[0]))

    wal.append = append  # type: ignore[method-assign]
    wal.save_snapshot = save_snapshot  # type: ignore[method-assign]
    return images


@settings(max_examples=60, deadline=None)
@given(
    st.lists(ops, min_size=1, max_size=25),
    st.sampled_from([1, 3, 1000]),
    st.sampled_from([None, 3]),
    st.randoms(use_true_random=False),
)
def test_reopen_after_crash_at_any_point_holds_acknowledged_writes(
    op_list, snapshot_count, history, rng
):
    now = [0.0]
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp) / "live"
        options = {"clock": lambda: now[0], "snapshot_count": snapshot_count, "history": history}
        store = Store(d, **options)
        images = record_images(store, d, rng)
        for op in op_list:
            run(store, op, now)
        final = state(store)
        store.close()
        assert not images or images[-1][3] == final
        for n, (snap, wal, tmp_snap, expected) in enumerate(images):
            crash = Path(tmp) / f"crash-{n}"
            crash.mkdir()
            (crash / "wal.log").write_bytes(wal)
            if snap is not None:
                (crash / "snap.db").write_bytes(snap)
            if tmp_snap is not None:
                (crash / "snap.tmp").write_bytes(tmp_snap)
            reopened = Store(crash, **options)
            assert state(reopened) == expected, f"image {n}"
            reopened.put("/after-crash", b"1")  # the log continues after the dropped tail
            again = state(reopened)
            reopened.close()
            assert state(Store(crash, **options)) == again, f"image {n} reopened twice"
        assert state(Store(d, history=history)) == final
