"""Per-key exponential back-off, mirroring client-go `util/flowcontrol/backoff.go` as the kubelet
uses it: `NewBackOff(10s, 300s)` for crashing containers (CrashLoopBackOff) and image pulls.

`next(key, event_time)` doubles the key's delay (10 s, 20 s, 40 s … capped at 5 min) unless the
key was last updated more than 2 × max ago (a container that ran 10 minutes is "stable" again),
in which case it starts over at 10 s. No jitter: the kubelet creates its back-offs without one.
Left out: garbage collection of old entries (`GC`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

INITIAL = 10.0  # seconds, kubelet's backOffPeriod
RETRY_AFTER_ERROR = INITIAL  # the pod workers' back-off after a failed sync (backOffPeriod too)
RETRY_AFTER_TRANSIENT_ERROR = 1.0  # theirs after NetworkNotReady (backOffOnTransientErrorPeriod)
MAX = 300.0  # seconds, MaxContainerBackOff
EPSILON = 1e-6  # virtual times are floats: 32.044 - 12.044 must count as 20 s


@dataclass
class Entry:
    backoff: float
    last_update: float


class Backoff:
    """Back-off delays per key, on a virtual clock `now()`."""

    def __init__(self, now: Callable[[], float], initial: float = INITIAL, maximum: float = MAX):
        self.now = now
        self.initial = initial
        self.maximum = maximum
        self.entries: dict[str, Entry] = {}

    def __repr__(self) -> str:
        return f"<Backoff {self.initial:g}s..{self.maximum:g}s keys={len(self.entries)}>"

    def _expired(self, event_time: float, entry: Entry) -> bool:
        return event_time - entry.last_update > 2 * self.maximum

    def get(self, key: str) -> float:
        """The key's current delay (0 without an entry)."""
        entry = self.entries.get(key)
        return entry.backoff if entry else 0.0

    def next(self, key: str, event_time: float) -> None:
        """Move the key to its next delay (`Backoff.Next`)."""
        entry = self.entries.get(key)
        if entry is None or self._expired(event_time, entry):
            self.entries[key] = Entry(self.initial, self.now())
        else:
            entry.backoff = min(entry.backoff * 2, self.maximum)
            entry.last_update = self.now()

    def in_backoff_since(self, key: str, event_time: float) -> bool:
        """Whether less than the delay passed since `event_time` (`IsInBackOffSince`)."""
        entry = self.entries.get(key)
        if entry is None or self._expired(event_time, entry):
            return False
        return self.now() - event_time < entry.backoff - EPSILON

    def in_backoff_since_update(self, key: str, event_time: float) -> bool:
        """Whether less than the delay passed since the last update (`IsInBackOffSinceUpdate`)."""
        entry = self.entries.get(key)
        if entry is None or self._expired(event_time, entry):
            return False
        return event_time - entry.last_update < entry.backoff - EPSILON

    def reset(self, key: str) -> None:
        """Forget the key."""
        self.entries.pop(key, None)
