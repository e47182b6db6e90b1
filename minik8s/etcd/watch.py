"""Watchers and their fan-out: mirrors etcd `server/mvcc/watchable_store.go` + `watcher_group.go`.

Watchers are grouped by prefix, and the groups are indexed by prefix length, so matching an event
costs one dict lookup per distinct prefix length (`key[:n]`), not one test per watcher. Each commit
calls every matching watcher once, synchronously, with that revision's events.

Left out: unsynced/victim watcher sets (delivery here is synchronous and never blocks), progress
notifications, fragmenting, filters (NOPUT/NODELETE) and range_end other than a prefix. A callback
may write to the store: the new revision is queued and delivered after the current one finishes,
so every watcher still sees revisions in order. A callback that raises does not stop delivery to
the others; the first error is re-raised from the write that triggered the delivery (the write
itself is already committed).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence

from minik8s.etcd.kv import Event

WatchCallback = Callable[[list[Event]], None]
MATCH_CACHE_SIZE = 100_000


class Watcher:
    """One watch on a key prefix; `cancel()` stops delivery (clientv3 Watcher / WatchStream)."""

    __slots__ = ("id", "prefix", "callback", "prev_kv", "start_revision", "next_revision", "_hub")

    def __init__(
        self,
        hub: WatchHub,
        watch_id: int,
        prefix: str,
        callback: WatchCallback,
        prev_kv: bool,
        start_revision: int | None,
    ):
        self.id = watch_id
        self.prefix = prefix
        self.callback = callback
        self.prev_kv = prev_kv
        self.start_revision = start_revision
        self.next_revision = 0  # first revision not yet delivered
        self._hub: WatchHub | None = hub

    @property
    def cancelled(self) -> bool:
        return self._hub is None

    def cancel(self) -> None:
        """Stop delivering events to this watcher (idempotent)."""
        if self._hub is not None:
            self._hub.remove(self)
            self._hub = None

    def __repr__(self) -> str:
        return (
            f"Watcher(id={self.id}, prefix={self.prefix!r}, start_revision={self.start_revision}, "
            f"prev_kv={self.prev_kv}, cancelled={self.cancelled})"
        )


def _watch_id(w: Watcher) -> int:
    return w.id


def without_prev(events: Sequence[Event]) -> list[Event]:
    """The events as a watcher without prev_kv sees them."""
    return [Event(e.type, e.kv) if e.prev_kv is not None else e for e in events]


class WatchHub:
    """All synced watchers of a store, indexed by prefix and prefix length."""

    def __init__(self) -> None:
        self._by_prefix: dict[str, list[Watcher]] = {}
        self._lengths: dict[int, int] = {}  # prefix length -> number of prefixes of that length
        # key -> its matching watchers, until the next add or remove (most writes update a key
        # written before: one lookup instead of one per prefix length)
        self._matches: dict[str, list[Watcher]] = {}
        # Prefixes not ending in "/": while there are none, a key matches exactly the prefixes
        # its directory (the key up to its last "/") matches, so the cache holds directories.
        self._odd_prefixes = 0
        self._next_id = 0
        self._queue: deque[tuple[int, list[Event]]] = deque()
        self._delivering = False

    def __len__(self) -> int:
        return sum(len(ws) for ws in self._by_prefix.values())

    def __repr__(self) -> str:
        return f"WatchHub(watchers={len(self)}, prefixes={len(self._by_prefix)})"

    def add(
        self, prefix: str, callback: WatchCallback, prev_kv: bool, start: int | None, next_rev: int
    ) -> Watcher:
        """Register a watcher that receives revisions >= `next_rev`."""
        w = Watcher(self, self._next_id, prefix, callback, prev_kv, start)
        self._next_id += 1
        w.next_revision = next_rev
        self._matches.clear()
        group = self._by_prefix.get(prefix)
        if group is None:
            self._by_prefix[prefix] = [w]
            self._lengths[len(prefix)] = self._lengths.get(len(prefix), 0) + 1
            self._odd_prefixes += not prefix.endswith("/")
        else:
            group.append(w)
        return w

    def remove(self, w: Watcher) -> None:
        """Unregister `w`."""
        group = self._by_prefix.get(w.prefix)
        if group is None or w not in group:
            return
        group.remove(w)
        self._matches.clear()
        if not group:
            del self._by_prefix[w.prefix]
            self._odd_prefixes -= not w.prefix.endswith("/")
            n = len(w.prefix)
            self._lengths[n] -= 1
            if not self._lengths[n]:
                del self._lengths[n]

    def replay(self, w: Watcher, batches: list[list[Event]]) -> None:
        """Deliver history to a new watcher before anything committed from its callbacks."""
        was, self._delivering = self._delivering, True
        try:
            for events in batches:
                if w.cancelled:
                    break
                w.callback(events if w.prev_kv else without_prev(events))
        finally:
            self._delivering = was
        if not was:
            self._drain()

    def notify(self, revision: int, events: list[Event]) -> None:
        """Fan out one committed revision (queued if a callback is running)."""
        if not self._by_prefix:
            return
        self._queue.append((revision, events))
        if not self._delivering:
            self._drain()

    def _drain(self) -> None:
        self._delivering = True
        errors: list[Exception] = []
        try:
            while self._queue:
                revision, events = self._queue.popleft()
                if len(events) == 1:  # most writes
                    self._deliver_one(revision, events, errors)
                else:
                    self._deliver(revision, events, errors)
        finally:
            self._delivering = False
        if errors:
            raise errors[0]  # after every watcher got every queued revision

    def _matching(self, key: str) -> list[Watcher]:
        """Watchers whose prefix matches `key`, in registration order (shared list: read only)."""
        if not self._odd_prefixes:
            key = key[: key.rfind("/") + 1]  # every key of a directory matches the same prefixes
        out = self._matches.get(key)
        if out is None:
            out = self._match(key)
            if len(self._matches) >= MATCH_CACHE_SIZE:
                self._matches.clear()
            self._matches[key] = out
        return out

    def _match(self, key: str) -> list[Watcher]:
        by_prefix = self._by_prefix
        out: list[Watcher] = []
        for n in self._lengths:
            if n > len(key):
                continue  # key[:n] would be the whole key: a longer prefix cannot match it
            group = by_prefix.get(key[:n])
            if group is not None:
                if out:
                    out = sorted(out + group, key=_watch_id)
                else:
                    out = group
        return out

    def _deliver(self, revision: int, events: list[Event], errors: list[Exception]) -> None:
        """One revision of several events: each watcher gets those under its prefix."""
        per: dict[Watcher, list[Event]] = {}
        for e in events:
            for w in self._matching(e.kv.key):
                per.setdefault(w, []).append(e)
        targets = sorted(per.items(), key=lambda t: t[0].id)
        plain: dict[int, list[Event]] = {}  # id(events) -> the same events without prev_kv
        for w, evs in targets:
            if w.cancelled or revision < w.next_revision:
                continue
            w.next_revision = revision + 1
            if not w.prev_kv:
                stripped = plain.get(id(evs))
                if stripped is None:
                    stripped = plain[id(evs)] = without_prev(evs)
                evs = stripped
            try:
                w.callback(evs)
            except Exception as err:  # one failing watcher must not starve the others
                errors.append(err)

    def _deliver_one(self, revision: int, events: list[Event], errors: list[Exception]) -> None:
        """`_deliver` of a single-event revision (most writes): every watcher gets `events`."""
        stripped: list[Event] | None = None
        for w in tuple(self._matching(events[0].kv.key)):  # callbacks may add or remove watchers
            if w._hub is None or revision < w.next_revision:
                continue
            w.next_revision = revision + 1
            evs = events
            if not w.prev_kv:
                if stripped is None:
                    stripped = without_prev(events)
                evs = stripped
            try:
                w.callback(evs)
            except Exception as err:  # one failing watcher must not starve the others
                errors.append(err)
