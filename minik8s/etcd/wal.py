"""Write-ahead log and snapshot files: mirrors etcd `server/storage/wal` and
`server/etcdserver/api/snap`.

Format (both files live in the store's data directory):

- `wal.log`: a sequence of records, each `length: u32 LE | crc32(payload): u32 LE | payload`.
  The payload is Python `marshal` (version 4) of a tuple `(seq, kind, revision, *args)` where
  `seq` counts records from 1 (etcd's raft index) and `kind` is one of
  `"p"` put `(key, value, lease)`, `"d"` delete `(key,)`, `"t"` txn `(ops,)` with ops
  `("p", key, value, lease)` / `("d", key)`, `"g"` lease grant `(id, ttl)`, `"r"` lease revoke
  `(id,)`, `"c"` compact `(revision,)`. One record per acknowledged change, written with a single
  unbuffered `write` before the store returns: that survives a crash of the process; pass
  `fsync=True` to survive power loss too (etcd always fsyncs).
- `snap.db`: `b"MK8SSNAP" | crc32: u32 LE | payload`, payload = marshal of a dict (see
  `persist.snapshot_state`). Written to a temporary file (fsynced with `fsync=True`) and
  renamed, then the WAL is truncated; records with `seq` <= the snapshot's `seq` are skipped on
  replay, so a crash between rename and truncation is harmless.

On open: load the snapshot, then read the WAL. A torn or corrupt LAST record (short header, short
payload, or bad CRC on the record that ends the file) is dropped and the file truncated before it;
a bad CRC followed by more data is corruption in the middle and raises `WALCorrupt` (a length
field corrupted to point past the end of the file is indistinguishable from a torn tail). A
snapshot is due after `snapshot_count` records once the log has also outgrown the last snapshot,
so rewriting the whole state costs O(1) amortized per appended byte. Left out: segment files,
CRC chaining across records, preallocation, the raft entries/state records.
"""

from __future__ import annotations

import marshal
import os
import struct
import zlib
from pathlib import Path
from typing import Any

HEADER = struct.Struct("<II")
SNAP_MAGIC = b"MK8SSNAP"
WAL_NAME = "wal.log"
SNAP_NAME = "snap.db"


class WALCorrupt(Exception):
    """The log or snapshot is damaged somewhere other than its last record."""


class StoreStopped(Exception):
    """A write after `close()` (etcdserver.ErrStopped)."""

    def __init__(self) -> None:
        super().__init__("etcdserver: server stopped")


def encode_record(record: tuple) -> bytes:
    """Frame one record: length, CRC32, marshal payload."""
    payload = marshal.dumps(record, 4)
    return HEADER.pack(len(payload), zlib.crc32(payload)) + payload


def decode_records(data: bytes) -> tuple[list[tuple], int]:
    """Parse records; return them and the byte offset where valid data ends (torn tail dropped)."""
    records: list[tuple] = []
    offset, end = 0, len(data)
    while offset < end:
        if end - offset < HEADER.size:
            break  # torn header
        length, crc = HEADER.unpack_from(data, offset)
        start = offset + HEADER.size
        if start + length > end:
            break  # torn payload
        payload = data[start : start + length]
        if zlib.crc32(payload) != crc:
            if start + length == end:
                break  # the last record was torn mid-write
            raise WALCorrupt(f"wal: crc mismatch in record at offset {offset}")
        try:
            records.append(marshal.loads(payload))
        except (EOFError, ValueError, TypeError) as err:
            raise WALCorrupt(f"wal: undecodable record at offset {offset}") from err
        offset = start + length
    return records, offset


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class WAL:
    """The log of one store directory: `load()` once, then `append()` and `save_snapshot()`."""

    def __init__(self, data_dir: str | os.PathLike, *, fsync: bool = False):
        self.dir = Path(data_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.fsync = fsync
        self.path = self.dir / WAL_NAME
        self.snap_path = self.dir / SNAP_NAME
        self._fd = -1
        self.records_since_snapshot = 0
        self.wal_bytes = 0  # size of the log since the last snapshot
        self.snapshot_bytes = 0  # size of the last snapshot

    def snapshot_due(self, snapshot_count: int) -> bool:
        """Due after `snapshot_count` records AND once the log outgrew the last snapshot, so the
        cost of rewriting the whole state stays proportional to what was appended."""
        return (
            self.records_since_snapshot >= snapshot_count and self.wal_bytes >= self.snapshot_bytes
        )

    def __repr__(self) -> str:
        return f"WAL(dir={str(self.dir)!r}, fsync={self.fsync})"

    def load(self) -> tuple[dict[str, Any] | None, list[tuple]]:
        """Read the snapshot and the records after it; open the log for appending."""
        snapshot = self._load_snapshot()
        data = self.path.read_bytes() if self.path.exists() else b""
        records, valid = decode_records(data)
        self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        if valid < len(data):
            os.ftruncate(self._fd, valid)
        seq = snapshot["seq"] if snapshot else 0
        records = [r for r in records if r[0] > seq]
        self.records_since_snapshot = len(records)
        self.wal_bytes = valid
        self.snapshot_bytes = self.snap_path.stat().st_size if snapshot else 0
        return snapshot, records

    def append(self, record: tuple) -> None:
        """Durably (with fsync) or at least into the OS (without) write one record."""
        if self._fd < 0:
            raise StoreStopped()
        data = encode_record(record)
        os.write(self._fd, data)
        if self.fsync:
            os.fsync(self._fd)
        self.records_since_snapshot += 1
        self.wal_bytes += len(data)

    def save_snapshot(self, state: dict[str, Any]) -> None:
        """Atomically replace the snapshot, then truncate the log."""
        if self._fd < 0:
            raise StoreStopped()
        payload = marshal.dumps(state, 4)
        tmp = self.snap_path.with_suffix(".tmp")
        with open(tmp, "wb") as f:
            f.write(SNAP_MAGIC + struct.pack("<I", zlib.crc32(payload)))
            f.write(payload)
            f.flush()
            if self.fsync:
                os.fsync(f.fileno())
        os.replace(tmp, self.snap_path)
        if self.fsync:
            _fsync_dir(self.dir)
        os.ftruncate(self._fd, 0)
        if self.fsync:
            os.fsync(self._fd)
        self.records_since_snapshot = 0
        self.wal_bytes = 0
        self.snapshot_bytes = len(SNAP_MAGIC) + 4 + len(payload)

    def close(self) -> None:
        """Close the log file (idempotent)."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def _load_snapshot(self) -> dict[str, Any] | None:
        if not self.snap_path.exists():
            return None
        data = self.snap_path.read_bytes()
        head = len(SNAP_MAGIC) + 4
        if data[: len(SNAP_MAGIC)] != SNAP_MAGIC or len(data) < head:
            raise WALCorrupt("snap: bad snapshot header")
        (crc,) = struct.unpack_from("<I", data, len(SNAP_MAGIC))
        if zlib.crc32(data[head:]) != crc:
            raise WALCorrupt("snap: crc mismatch")
        state = marshal.loads(data[head:])
        if not isinstance(state, dict):
            raise WALCorrupt("snap: unexpected payload")
        return state
