"""The retained MVCC history: mirrors etcd `server/mvcc/key_index.go` (every key's versions,
tombstones included, for reads at an old revision) plus the per-revision event log that etcd's
watchable store replays to watchers that start in the past.

Compaction keeps, for each key, the newest version at or below the compaction revision (unless
that is a deletion) and drops the log entries before it. It visits only the keys changed in the
dropped revisions, so a bounded window (`history=N`) costs O(1) amortized per write. Left out:
etcd's on-disk bolt buckets and generation bookkeeping (`version` 0 marks a tombstone instead).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from minik8s.etcd.kv import Event, KeyValue

TRIM_BATCH = 256  # lazy (automatic) compaction trims the history in batches of revisions


def _mod(kv: KeyValue) -> int:
    return kv.mod_revision


def _trim(versions: list[KeyValue], revision: int) -> None:
    """Drop versions superseded at `revision`: keep the newest one <= it unless it is a deletion."""
    i, n = 0, len(versions)
    while i < n and versions[i].mod_revision <= revision:
        i += 1
    if i and versions[i - 1].version != 0:
        i -= 1
    if i:
        del versions[:i]


def _events(entry: Event | list[Event]) -> list[Event]:
    return entry if isinstance(entry, list) else [entry]


class History:
    """Per-key versions plus the events of each retained revision (most revisions write one
    key: their entry is that Event itself, not a list of one)."""

    def __init__(self) -> None:
        self.versions: dict[str, list[KeyValue]] = {}
        self.revs: list[int] = []
        self.entries: list[Event | list[Event]] = []
        self.start = 0  # entries before this index were compacted away
        self.trimmed_to = 0  # versions are physically trimmed up to this revision

    def __repr__(self) -> str:
        return f"History(keys={len(self.versions)}, revisions={len(self.revs) - self.start})"

    def add_version(self, kv: KeyValue) -> None:
        """Remember a new version (or tombstone) of kv.key."""
        versions = self.versions.get(kv.key)
        if versions is None:
            self.versions[kv.key] = [kv]
        else:
            versions.append(kv)

    def add_revision(self, revision: int, events: list[Event]) -> None:
        """Log the events of one committed revision."""
        self.revs.append(revision)
        self.entries.append(events[0] if len(events) == 1 else events)

    def get(self, key: str, revision: int) -> KeyValue | None:
        """The version of `key` visible at `revision`, None if absent or deleted."""
        versions = self.versions.get(key)
        if not versions:
            return None
        i = bisect_right(versions, revision, key=_mod)
        if i == 0 or versions[i - 1].version == 0:
            return None
        return versions[i - 1]

    def since(self, revision: int) -> list[list[Event]]:
        """The retained event lists of every revision >= `revision`, oldest first."""
        return [_events(e) for e in self.entries[bisect_left(self.revs, revision, lo=self.start) :]]

    def retained(self) -> zip:
        """(revision, events) of every retained revision, oldest first."""
        entries = [_events(e) for e in self.entries[self.start :]]
        return zip(self.revs[self.start :], entries, strict=True)

    def compact(self, revision: int, *, lazy: bool = False) -> None:
        """Forget what no read at or after `revision` needs (lazy: only once per TRIM_BATCH)."""
        if lazy and revision - self.trimmed_to < TRIM_BATCH:
            return
        self.trimmed_to = revision
        end = bisect_left(self.revs, revision, lo=self.start)
        versions = self.versions
        for entry in self.entries[self.start : end]:
            for e in _events(entry):
                kept = versions.get(e.kv.key)
                if kept:
                    _trim(kept, revision)
                    if not kept:
                        del versions[e.kv.key]
        self.start = end
        if end > 1024 and end * 2 > len(self.entries):
            del self.entries[:end]
            del self.revs[:end]
            self.start = 0
