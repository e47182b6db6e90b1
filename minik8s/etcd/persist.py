"""Recovery and snapshots of a Store: mirrors etcd `server/etcdserver/bootstrap.go` (load the
snapshot, then replay the WAL entries after it) and `server/mvcc/kvstore.go` `restore`.

The snapshot holds the live keys, every retained revision's events (prev_kv included, so the
per-key history and the watch log are rebuilt exactly) and the leases. Replaying a WAL record
re-executes the same store call and checks that it lands on the logged revision; a mismatch means
the files do not belong together and raises `WALCorrupt`. Leases get a full TTL from the clock
at recovery (etcd's `Promote`). Left out: etcd's consistent index and raft hard state.
"""

from __future__ import annotations

from operator import attrgetter
from typing import TYPE_CHECKING, Any

from minik8s.etcd.kv import Event, KeyValue, Op
from minik8s.etcd.wal import WAL, WALCorrupt

if TYPE_CHECKING:
    from minik8s.etcd.store import Store

SNAPSHOT_VERSION = 1


_kv_tuple = attrgetter("key", "value", "create_revision", "mod_revision", "version", "lease")


def snapshot_state(store: Store) -> dict[str, Any]:
    """The whole store as plain marshal-able data."""
    log = [
        (rev, [(e.type, _kv_tuple(e.kv), e.prev_kv and _kv_tuple(e.prev_kv)) for e in events])
        for rev, events in store._history.retained()
    ]
    return {
        "version": SNAPSHOT_VERSION,
        "seq": store._seq,
        "revision": store.revision,
        "compact_revision": store.compact_revision,
        "live": [_kv_tuple(store._live[k]) for k in store._index],
        "log": log,
        "leases": [(lease.id, lease.ttl) for lease in store.lessor.leases.values()],
        "next_lease_id": store.lessor.next_id,
    }


def restore(store: Store, state: dict[str, Any]) -> None:
    """Load a snapshot into an empty store."""
    if state.get("version") != SNAPSHOT_VERSION:
        raise WALCorrupt(f"snap: unknown snapshot version {state.get('version')!r}")
    store.revision = state["revision"]
    store.compact_revision = state["compact_revision"]
    store._seq = state["seq"]
    now = store.clock()
    for lease_id, ttl in state["leases"]:
        store.lessor.grant(lease_id, ttl, now)
    store.lessor.next_id = state["next_lease_id"]
    history = store._history.versions
    for rev, raw in state["log"]:
        events = []
        for kind, kv_t, prev_t in raw:
            kv = KeyValue(*kv_t)
            versions = history.get(kv.key)
            prev = None
            if prev_t:  # the version the log already holds, if it does
                known = versions[-1] if versions else None
                prev = known if known and known.mod_revision == prev_t[3] else KeyValue(*prev_t)
            events.append(Event(kind, kv, prev))
            if versions is None:
                versions = history[kv.key] = [prev] if prev is not None else []
            versions.append(kv)
        store._history.add_revision(rev, events)
    for versions in history.values():  # packed as the store packs them: oldest first
        for older, newer in zip(versions, versions[1:], strict=False):
            if newer.version:
                older.supersede(newer)
    for kv_t in state["live"]:
        kv = KeyValue(*kv_t)
        versions = history.get(kv.key)
        if versions is None:
            history[kv.key] = [kv]
        else:
            kv = versions[-1]  # share the object the log already holds
        store._live[kv.key] = kv
        store._index.add(kv.key)
        if kv.lease:
            store.lessor.attach(kv.lease, kv.key)


def replay(store: Store, record: tuple) -> None:
    """Re-execute one WAL record and check it lands on the logged revision."""
    _seq, kind, rev, *args = record
    if kind == "p":
        store.put(args[0], args[1], lease=args[2])
    elif kind == "d":
        store.delete(args[0])
    elif kind == "t":
        ops = [Op("put", o[1], o[2], o[3]) if o[0] == "p" else Op("delete", o[1]) for o in args[0]]
        store.txn([], ops)
    elif kind == "g":
        store.lease_grant(args[1], args[0])
    elif kind == "r":
        store.lease_revoke(args[0])
    elif kind == "c":
        if args[0] > store.compact_revision:
            store.compact(args[0])
    else:
        raise WALCorrupt(f"wal: unknown record kind {kind!r}")
    if store.revision != rev:
        raise WALCorrupt(f"wal: record {_seq} replayed to revision {store.revision}, logged {rev}")


def recover(store: Store, wal: WAL) -> None:
    """Load `wal`'s snapshot and replay its records into a fresh store."""
    snapshot, records = wal.load()
    if snapshot is not None:
        restore(store, snapshot)
    for record in records:
        if record[0] != store._seq + 1:
            raise WALCorrupt(f"wal: expected record {store._seq + 1}, found {record[0]}")
        replay(store, record)
        store._seq = record[0]
    store.lessor.refresh(store.clock())
