"""The store's value types and errors: mirrors etcd `api/mvccpb/kv.proto`, `server/mvcc/kv.go`
errors and the txn messages of `api/etcdserverpb/rpc.proto` (Compare, RequestOp, TxnResponse).

Left out: range_end on compares and ops (one key each), sub-revisions inside a txn, byte keys
(keys are `str`), the gRPC envelopes (headers, member ids, raft terms). The messages are named
tuples: immutable, and cheap to make on every write.

A KeyValue is the exception: once a newer version of its key replaces it, the store packs its
value in place as a delta of the newer one (`supersede`, `packing.py`), and `value` rebuilds it
on every read. Every holder of the version (the history, the watch log, the API server's watch
cache window) shares the packed one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from minik8s.etcd import packing
from minik8s.etcd.packing import Delta

COMPARE_TARGETS = ("mod", "create", "version", "value", "lease")
COMPARE_OPS = ("=", "!=", "<", ">")
OP_KINDS = ("put", "delete", "get")
# The KeyValue field each compare target reads.
_COMPARED = {
    "mod": "mod_revision",
    "create": "create_revision",
    "version": "version",
    "lease": "lease",
    "value": "value",
}


class KeyValue:
    """One version of one key (mvccpb.KeyValue); `version` 0 marks a deletion (tombstone).

    Compares, hashes and prints like the named tuple of its six fields."""

    __slots__ = ("key", "_value", "create_revision", "mod_revision", "version", "lease", "_run")

    def __init__(
        self,
        key: str,
        value: bytes,
        create_revision: int,
        mod_revision: int,
        version: int,
        lease: int = 0,
    ):
        self.key = key
        self._value: bytes | Delta = value
        self.create_revision = create_revision
        self.mod_revision = mod_revision
        self.version = version
        self.lease = lease
        self._run = 0  # packed versions just before this one that are deltas of it, in a row

    @property
    def value(self) -> bytes:
        """The stored bytes (rebuilt from the newer version when this one is packed)."""
        value = self._value
        return packing.resolve(value) if isinstance(value, Delta) else value

    @property
    def packed(self) -> bool:
        """Whether the value is kept as a delta of a newer version."""
        return type(self._value) is Delta

    def supersede(self, newer: KeyValue) -> None:
        """Keep the value as a delta of `newer`, the version of the key that replaced it (the
        store calls it once the write's watchers have seen it). It stays whole when it is small,
        when the delta would not halve it, or every `MAX_RUN`th time (bounding a read's walk)."""
        old, new = self._value, newer._value
        if type(old) is not bytes or type(new) is not bytes or len(old) < packing.PACK_MIN_BYTES:
            return
        if self._run >= packing.MAX_RUN:
            return
        delta = packing.diff(old, new, newer)
        if delta is not None:
            self._value = delta
            newer._run = self._run + 1

    def _astuple(self) -> tuple[str, bytes, int, int, int, int]:
        return (
            self.key,
            self.value,
            self.create_revision,
            self.mod_revision,
            self.version,
            self.lease,
        )

    def __iter__(self) -> Iterator:
        return iter(self._astuple())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, KeyValue):
            return NotImplemented
        return self._astuple() == other._astuple()

    def __hash__(self) -> int:
        return hash((self.key, self.mod_revision, self.version))

    def __repr__(self) -> str:
        return (
            f"KeyValue(key={self.key!r}, value={self.value!r}, "
            f"create_revision={self.create_revision}, mod_revision={self.mod_revision}, "
            f"version={self.version}, lease={self.lease})"
        )


class Event(NamedTuple):
    """A change at one revision (mvccpb.Event); a DELETE carries a tombstone kv."""

    type: str
    kv: KeyValue
    prev_kv: KeyValue | None = None


class Compacted(Exception):
    """The requested revision is older than the compaction point (mvcc.ErrCompacted)."""

    def __init__(self, compact_revision: int):
        super().__init__("mvcc: required revision has been compacted")
        self.compact_revision = compact_revision


class FutureRevision(Exception):
    """The requested revision is newer than the store (mvcc.ErrFutureRev)."""

    def __init__(self) -> None:
        super().__init__("mvcc: required revision is a future revision")


class LeaseNotFound(Exception):
    """The lease does not exist (lease.ErrLeaseNotFound as etcdserver reports it)."""

    def __init__(self) -> None:
        super().__init__("etcdserver: requested lease not found")


class LeaseExists(Exception):
    """A lease with this id already exists (lease.ErrLeaseExists)."""

    def __init__(self) -> None:
        super().__init__("etcdserver: lease already exists")


class _Compare(NamedTuple):
    key: str
    target: str
    op: str
    value: int | bytes


class Compare(_Compare):
    """One guard of a txn (etcdserverpb.Compare) on a single key."""

    __slots__ = ()

    def __new__(cls, key: str, target: str, op: str, value: int | bytes) -> Compare:
        if target not in COMPARE_TARGETS:
            raise ValueError(f"unknown compare target {target!r}")
        if op not in COMPARE_OPS:
            raise ValueError(f"unknown compare op {op!r}")
        return super().__new__(cls, key, target, op, value)


class _Op(NamedTuple):
    kind: str
    key: str
    value: bytes = b""
    lease: int = 0


class Op(_Op):
    """One request of a txn branch (etcdserverpb.RequestOp) on a single key."""

    __slots__ = ()

    def __new__(cls, kind: str, key: str, value: bytes = b"", lease: int = 0) -> Op:
        if kind not in OP_KINDS:
            raise ValueError(f"unknown op kind {kind!r}")
        return super().__new__(cls, kind, key, value, lease)


class TxnResult(NamedTuple):
    """What a txn did (etcdserverpb.TxnResponse): one response per executed op."""

    succeeded: bool
    revision: int
    responses: list


def tombstone(key: str, revision: int) -> KeyValue:
    """The kv of a DELETE event, as etcd sends it: only key and mod_revision are set."""
    return KeyValue(key, b"", 0, revision, 0, 0)


def compare_holds(cmp: Compare, kv: KeyValue | None) -> bool:
    """Evaluate one compare against the current kv (etcd `applyCompare` + `compareKV`)."""
    if kv is None:
        if cmp.target == "value":
            return False  # etcd: comparing the value of a missing key always fails
        kv = KeyValue(cmp.key, b"", 0, 0, 0, 0)
    actual: int | bytes = getattr(kv, _COMPARED[cmp.target])
    expected = cmp.value
    if cmp.op == "=":
        return actual == expected
    if cmp.op == "!=":
        return actual != expected
    if cmp.op == "<":
        return actual < expected  # type: ignore[operator]
    return actual > expected  # type: ignore[operator]
