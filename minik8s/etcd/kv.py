"""The store's value types and errors: mirrors etcd `api/mvccpb/kv.proto`, `server/mvcc/kv.go`
errors and the txn messages of `api/etcdserverpb/rpc.proto` (Compare, RequestOp, TxnResponse).

Left out: range_end on compares and ops (one key each), sub-revisions inside a txn, byte keys
(keys are `str`), the gRPC envelopes (headers, member ids, raft terms). The messages are named
tuples: immutable, and cheap to make on every write.
"""

from __future__ import annotations

from typing import NamedTuple

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


class KeyValue(NamedTuple):
    """One version of one key (mvccpb.KeyValue); `version` 0 marks a deletion (tombstone)."""

    key: str
    value: bytes
    create_revision: int
    mod_revision: int
    version: int
    lease: int = 0


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
