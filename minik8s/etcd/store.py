"""The MVCC key-value store: mirrors etcd `server/mvcc/kvstore.go` + `kvstore_txn.go` (revisions,
ranges at a revision, txn, compaction), with watch (`watch.py`), leases (`lease.py`) and
persistence (`wal.py`, `persist.py`) wired in as `etcdserver` does.

Data layout: `_live` maps each live key to its newest KeyValue (O(1) get); `_index` keeps live keys
sorted (prefix LIST without scanning other keys); `_history` (`history.py`) keeps every retained
version of each key plus each retained revision's events, for reads at an old revision and watch
replay. With `history=N` the window slides on every write (etcd's revision-mode auto-compaction).
A version a write replaces is packed (kept as a delta of the new one, `packing.py`) once the
write's watchers have seen it: etcd keeps old revisions on disk, not in memory.

Every write is applied, logged, persisted (when `data_dir` is set) and only then delivered to
watchers and returned. Left out: range_end other than a prefix, sort/keys-only/count-only range
options, sub-revisions inside a txn, the raft layer, quotas and authentication.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

from minik8s.etcd import persist
from minik8s.etcd.history import History
from minik8s.etcd.index import KeyIndex, prefix_end
from minik8s.etcd.kv import (
    Compacted,
    Compare,
    Event,
    FutureRevision,
    KeyValue,
    LeaseNotFound,
    Op,
    TxnResult,
    compare_holds,
    tombstone,
)
from minik8s.etcd.lease import Lessor
from minik8s.etcd.wal import WAL
from minik8s.etcd.watch import WatchCallback, Watcher, WatchHub

SNAPSHOT_COUNT = 10_000  # etcd --snapshot-count default


def _zero_clock() -> float:
    return 0.0


class Store:
    """An etcd-like MVCC store: revisions, ranges, txns, watches, leases, optional persistence."""

    def __init__(
        self,
        data_dir: str | os.PathLike | None = None,
        *,
        clock: Callable[[], float] | None = None,
        history: int | None = None,
        snapshot_count: int = SNAPSHOT_COUNT,
        fsync: bool = False,
    ):
        self.clock = clock or _zero_clock
        self.history = history
        self.snapshot_count = snapshot_count
        self.revision = 1
        self.compact_revision = 0
        self._live: dict[str, KeyValue] = {}
        self._index = KeyIndex()
        self._history = History()
        self._hub = WatchHub()
        self.lessor = Lessor()
        self._seq = 0
        self._wal: WAL | None = None
        if data_dir is not None:
            wal = WAL(data_dir, fsync=fsync)
            persist.recover(self, wal)
            self._wal = wal

    def __repr__(self) -> str:
        return (
            f"Store(revision={self.revision}, compact_revision={self.compact_revision}, "
            f"keys={len(self._live)}, leases={len(self.lessor.leases)}, watchers={len(self._hub)})"
        )

    # ---- reads -------------------------------------------------------------------------------

    def get(self, key: str, revision: int | None = None) -> KeyValue | None:
        """The kv of `key` at `revision` (default: now), None when absent."""
        if revision is None or revision <= 0 or revision == self.revision:
            return self._live.get(key)
        self._check_revision(revision)
        return self._history.get(key, revision)

    def range(
        self,
        prefix: str,
        *,
        revision: int | None = None,
        limit: int = 0,
        start_key: str = "",
    ) -> list[KeyValue]:
        """Every kv whose key starts with `prefix` (and is >= `start_key`, for paging the way the
        API server's `continue` does), sorted by key, at `revision` (default: now)."""
        start = max(prefix, start_key)
        if revision is None or revision <= 0 or revision == self.revision:
            keys = self._index.between(start, prefix_end(prefix))
            if limit:
                keys = keys[:limit]
            live = self._live
            return [live[k] for k in keys]
        self._check_revision(revision)
        candidates = set(self._index.between(start, prefix_end(prefix)))
        for events in self._history.since(revision + 1):  # + keys deleted since `revision`
            candidates.update(e.kv.key for e in events if e.kv.key.startswith(prefix))
        out = []
        for key in sorted(k for k in candidates if k >= start):
            kv = self._history.get(key, revision)
            if kv is not None:
                out.append(kv)
                if len(out) == limit:
                    break
        return out

    def range_count(self, prefix: str, *, revision: int | None = None, start_key: str = "") -> int:
        """How many kvs `range` returns without a limit (etcd's RangeResponse.count)."""
        if revision is None or revision <= 0 or revision == self.revision:
            return len(self._index.between(max(prefix, start_key), prefix_end(prefix)))
        return len(self.range(prefix, revision=revision, start_key=start_key))

    def count(self, prefix: str) -> int:
        """How many live keys start with `prefix`."""
        return self._index.count(prefix)

    def _check_revision(self, revision: int) -> None:
        if revision > self.revision:
            raise FutureRevision()
        if revision < self.compact_revision:
            raise Compacted(self.compact_revision)

    # ---- writes ------------------------------------------------------------------------------

    def put(self, key: str, value: bytes, *, lease: int = 0) -> KeyValue:
        """Set `key` to `value` at a new revision; returns the new kv."""
        if lease:
            self.lessor.lookup(lease)
        rev = self.revision + 1
        events: list[Event] = []
        kv = self._apply_put(rev, key, value, lease, events)
        self._commit(rev, events, ("p", key, value, lease))
        return kv

    def delete(self, key: str) -> KeyValue | None:
        """Delete `key`; returns the previous kv, or None (and no new revision) when absent."""
        if key not in self._live:
            return None
        rev = self.revision + 1
        events: list[Event] = []
        prev = self._apply_delete(rev, key, events)
        self._commit(rev, events, ("d", key))
        return prev

    def txn(
        self, compares: Iterable[Compare], success: Iterable[Op], failure: Iterable[Op] = ()
    ) -> TxnResult:
        """If every compare holds run `success`, else `failure`; all writes share one revision."""
        live = self._live
        succeeded = all(compare_holds(c, live.get(c.key)) for c in compares)
        ops = list(success if succeeded else failure)
        self._check_ops(ops)
        rev = self.revision + 1
        events: list[Event] = []
        responses: list[KeyValue | None] = []
        record: list[tuple] = []
        for op in ops:
            if op.kind == "get":
                responses.append(live.get(op.key))
            elif op.kind == "put":
                responses.append(self._apply_put(rev, op.key, op.value, op.lease, events))
                record.append(("p", op.key, op.value, op.lease))
            else:
                prev = self._apply_delete(rev, op.key, events)
                responses.append(prev)
                if prev is not None:
                    record.append(("d", op.key))
        self._commit(rev, events, ("t", tuple(record)))
        return TxnResult(succeeded, self.revision, responses)

    def _check_ops(self, ops: list[Op]) -> None:
        if len(ops) == 1:  # most txns: one guarded write, no duplicate possible
            op = ops[0]
            if op.kind == "put" and op.lease:
                self.lessor.lookup(op.lease)
            return
        written: set[str] = set()
        for op in ops:
            if op.kind == "get":
                continue
            if op.key in written:
                raise ValueError("etcdserver: duplicate key given in txn request")
            written.add(op.key)
            if op.kind == "put" and op.lease:
                self.lessor.lookup(op.lease)

    def _apply_put(
        self, rev: int, key: str, value: bytes, lease: int, events: list[Event]
    ) -> KeyValue:
        prev = self._live.get(key)
        if prev is None:
            kv = KeyValue(key, value, rev, rev, 1, lease)
            self._index.add(key)
        else:
            kv = KeyValue(key, value, prev.create_revision, rev, prev.version + 1, lease)
            if prev.lease and prev.lease != lease:
                self.lessor.detach(prev.lease, key)
        if lease and (prev is None or prev.lease != lease):
            self.lessor.attach(lease, key)
        self._live[key] = kv
        self._history.add_version(kv)
        events.append(Event("PUT", kv, prev))
        return kv

    def _apply_delete(self, rev: int, key: str, events: list[Event]) -> KeyValue | None:
        prev = self._live.pop(key, None)
        if prev is None:
            return None
        self._index.remove(key)
        if prev.lease:
            self.lessor.detach(prev.lease, key)
        dead = tombstone(key, rev)
        self._history.add_version(dead)
        events.append(Event("DELETE", dead, prev))
        return prev

    def _commit(self, rev: int, events: list[Event], record: tuple) -> None:
        """Make a revision visible: log it, slide the window, persist it, notify watchers."""
        if not events:
            return
        self.revision = rev
        self._history.add_revision(rev, events)
        window = self.history
        if window is not None and rev - self.compact_revision > window:
            self.compact_revision = rev - window  # reads below fail now; trimming is batched
            self._history.compact(self.compact_revision, lazy=True)
        if self._wal is not None:
            self._persist(record[0], rev, *record[1:])
        try:
            self._hub.notify(rev, events)
        finally:
            for event in events:  # a replaced version is kept as a delta of its successor
                if event.prev_kv is not None and event.type == "PUT":
                    event.prev_kv.supersede(event.kv)

    def _persist(self, kind: str, rev: int, *args: object) -> None:
        if self._wal is None:
            return
        self._seq += 1
        self._wal.append((self._seq, kind, rev, *args))
        if self._wal.snapshot_due(self.snapshot_count):
            self.snapshot()

    # ---- compaction --------------------------------------------------------------------------

    def compact(self, revision: int) -> None:
        """Drop history before `revision` (mvcc.Compact); older reads raise Compacted."""
        if revision <= self.compact_revision:
            raise Compacted(self.compact_revision)
        if revision > self.revision:
            raise FutureRevision()
        self.compact_revision = revision
        self._history.compact(revision)
        self._persist("c", self.revision, revision)

    # ---- watch -------------------------------------------------------------------------------

    def watch(
        self,
        prefix: str,
        callback: WatchCallback,
        *,
        start_revision: int | None = None,
        prev_kv: bool = False,
    ) -> Watcher:
        """Call `callback(events)` for every later revision touching `prefix` (replaying history
        from `start_revision` first); returns the Watcher to cancel. Events and their lists are
        shared between watchers: callbacks must not mutate them."""
        batches: list[list[Event]] = []
        next_rev = self.revision + 1
        if start_revision is not None and start_revision > 0:
            if start_revision < self.compact_revision:
                raise Compacted(self.compact_revision)
            next_rev = max(next_rev, start_revision)
            for events in self._history.since(start_revision):
                matched = [e for e in events if e.kv.key.startswith(prefix)]
                if matched:
                    batches.append(matched)
        w = self._hub.add(prefix, callback, prev_kv, start_revision, next_rev)
        self._hub.replay(w, batches)
        return w

    # ---- leases ------------------------------------------------------------------------------

    def lease_grant(self, ttl: int, lease_id: int | None = None) -> int:
        """Grant a lease of `ttl` seconds on the store clock; returns its id."""
        lease = self.lessor.grant(lease_id, ttl, self.clock())
        self._persist("g", self.revision, lease.id, ttl)
        return lease.id

    def lease_keepalive(self, lease_id: int) -> int:
        """Renew the lease to a full TTL; returns the TTL (LeaseNotFound when gone or expired)."""
        try:
            return self.lessor.renew(lease_id, self.clock())
        except LeaseNotFound:
            if lease_id in self.lessor.leases:
                self.lease_revoke(lease_id)  # expired: etcd waits for the revoke, then reports
            raise

    def lease_revoke(self, lease_id: int) -> None:
        """Delete the lease and, in one revision, every key attached to it."""
        lease = self.lessor.lookup(lease_id)
        rev = self.revision + 1
        events: list[Event] = []
        for key in sorted(lease.keys):
            self._apply_delete(rev, key, events)
        self.lessor.remove(lease_id)
        if events:
            self._commit(rev, events, ("r", lease_id))
        else:
            self._persist("r", self.revision, lease_id)

    def lease_time_to_live(self, lease_id: int) -> tuple[int, int, list[str]]:
        """(granted TTL, remaining seconds, attached keys sorted); (0, -1, []) for a missing
        lease, as etcd's LeaseServer answers ErrLeaseNotFound."""
        lease = self.lessor.leases.get(lease_id)
        if lease is None:
            return 0, -1, []
        return lease.ttl, lease.remaining(self.clock()), sorted(lease.keys)

    def expire_leases(self) -> list[int]:
        """Revoke every lease whose deadline has passed; returns their ids in revoke order."""
        expired = self.lessor.expired(self.clock())
        for lease_id in expired:
            self.lease_revoke(lease_id)
        return expired

    # ---- persistence -------------------------------------------------------------------------

    def snapshot(self) -> None:
        """Write a snapshot of the whole state and truncate the WAL (no-op in memory)."""
        if self._wal is not None:
            self._wal.save_snapshot(persist.snapshot_state(self))

    def close(self) -> None:
        """Close the WAL; later writes to a persistent store raise StoreStopped."""
        if self._wal is not None:
            self._wal.close()
