"""An etcd-like MVCC store: revisions, ranges, txns, watches, leases, WAL + snapshots.

Mirrors etcd's `server/mvcc`, `server/lease` and `server/storage/wal` with the v3 API semantics
the Kubernetes API server relies on (see each module's docstring for what is left out).
"""

from minik8s.etcd.kv import (
    Compacted,
    Compare,
    Event,
    FutureRevision,
    KeyValue,
    LeaseExists,
    LeaseNotFound,
    Op,
    TxnResult,
)
from minik8s.etcd.lease import LeaseTTLTooLarge
from minik8s.etcd.store import Store
from minik8s.etcd.wal import StoreStopped, WALCorrupt
from minik8s.etcd.watch import Watcher

__all__ = [
    "Compacted",
    "Compare",
    "Event",
    "FutureRevision",
    "KeyValue",
    "LeaseExists",
    "LeaseNotFound",
    "LeaseTTLTooLarge",
    "Op",
    "Store",
    "StoreStopped",
    "TxnResult",
    "WALCorrupt",
    "Watcher",
]
