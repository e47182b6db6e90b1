"""The store's value types and errors: mirrors etcd `api/mvccpb/kv.proto`, `server/mvcc/kv.go`
errors and the txn messages of `api/etcdserverpb/rpc.proto` (Compare, RequestOp, TxnResponse).

Left out: range_end on compares and ops (one key each), sub-revisions inside a txn, byte keys
(keys are `str`), the gRPC envelopes (headers, member ids, raft terms).
"""

from __future__ import annotations

from dataclasses import dataclass, field

COMPARE_TARGETS = ("mod", "create", "version", "value", "lease")
COMPARE_OPS = ("=", "!=", "<", ">")
OP_KINDS = ("put", "delete", "get")


@dataclass(frozen=True, slots=True)
class KeyValue:
    """One version of one key (mvccpb.KeyValue); `version` 0 marks a deletion (tombstone)."""

    key: str
    value: bytes
    create_revision: int
    mod_revision: int
    version: int
    lease: int = 0


@dataclass(frozen=True, slots=True)
class Event:
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


@dataclass(frozen=True)
class Compare:
    """One guard of a txn (etcdserverpb.Compare) on a single key."""

    key: str
    target: str
    op: str
    value: int | bytes

    def __post_init__(self) -> None:
        if self.target not in COMPARE_TARGETS:
            raise ValueError(f"unknown compare target {self.target!r}")
        if self.op not in COMPARE_OPS:
            raise ValueError(f"unknown compare op {self.op!r}")


@dataclass(frozen=True)
class Op:
    """One request of a txn branch (etcdserverpb.RequestOp) on a single key."""

    kind: str
    key: str
    value: bytes = b""
    lease: int = 0

    def __post_init__(self) -> None:
        if self.kind not in OP_KINDS:
            raise ValueError(f"unknown op kind {self.kind!r}")


@dataclass(frozen=True)
class TxnResult:
    """What a txn did (etcdserverpb.TxnResponse): one response per executed op."""

    succeeded: bool
    revision: int
    responses: list = field(default_factory=list)


def tombstone(key: str, revision: int) -> KeyValue:
    """The kv of a DELETE event, as etcd sends it: only key and mod_revision are set."""
    return KeyValue(key, b"", 0, revision, 0, 0)


def compare_holds(cmp: Compare, kv: KeyValue | None) -> bool:
    """Evaluate one compare against the current kv (etcd `applyCompare` + `compareKV`)."""
    if kv is None:
        if cmp.target == "value":
            return False  # etcd: comparing the value of a missing key always fails
        kv = KeyValue(cmp.key, b"", 0, 0, 0, 0)
    actual: int | bytes
    if cmp.target == "value":
        actual = kv.value
    else:
        actual = {
            "mod": kv.mod_revision,
            "create": kv.create_revision,
            "version": kv.version,
            "lease": kv.lease,
        }[cmp.target]
    expected = cmp.value
    if cmp.op == "=":
        return actual == expected
    if cmp.op == "!=":
        return actual != expected
    if cmp.op == "<":
        return actual < expected  # type: ignore[operator]
    return actual > expected  # type: ignore[operator]
