"""The event loop and virtual clock that every minik8s component runs on.

Upstream components are goroutines woken by timers and watch channels. Here they are callbacks on
one heap of timers ordered by (virtual time, insertion counter): no threads, no wall clock, so the
same program prints the same output on every run. Work that is ready "now" goes to a FIFO, which is
cheaper than the heap and keeps insertion order. Controller workers go to a second FIFO that runs
only when nothing else is due at the current instant (`call_idle`), so a work queue collects and
deduplicates the keys of every watch event of that instant before its worker syncs.

Timers that all wait one fixed delay (every pod's one-minute resync) come due in the order they
were scheduled, so they wait in a FIFO of their own and only its first one is in the heap: a heap
of their heads pops them in exactly the heap's own order, and the heap stays small.
"""

from __future__ import annotations

import heapq
import random
from collections import deque
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

from minik8s.sim.gcpace import CHECK_EVERY, PACER

EPOCH = datetime(2025, 1, 1, tzinfo=timezone.utc)


class Timer:
    """A scheduled callback; `cancel()` keeps it from running."""

    __slots__ = (
        "when",
        "seq",
        "callback",
        "args",
        "label",
        "background",
        "state",
        "fifo",
        "_loop",
    )

    def __init__(
        self,
        loop: EventLoop,
        when: float,
        seq: int,
        callback: Callable[..., Any],
        args: tuple,
        label: str,
        background: bool,
    ):
        self._loop = loop
        self.when = when
        self.seq = seq
        self.callback = callback
        self.args = args
        self.label = label
        self.background = background
        self.state = "pending"  # pending → ran | cancelled
        self.fifo: deque[Timer] | None = None  # the fixed-delay FIFO it waits in, if any

    @property
    def cancelled(self) -> bool:
        return self.state == "cancelled"

    def cancel(self) -> None:
        if self.state == "pending":
            self.state = "cancelled"
            if not self.background:
                self._loop._foreground -= 1

    def __repr__(self) -> str:
        name = self.label or getattr(self.callback, "__qualname__", type(self.callback).__name__)
        return f"<Timer {name} at t={self.when:g} {self.state}>"


class EventLoop:
    """A virtual clock plus the callbacks due on it.

    `now` is seconds since `start` (2025-01-01T00:00:00Z by default). Callbacks due at the same
    instant run in the order they were scheduled. `rng` is the one seeded source of randomness
    the components share. A `background` timer (a heartbeat, a periodic resync) does not count as
    pending work: `settle()` stops when only background timers remain.
    """

    def __init__(self, seed: int = 0, start: datetime = EPOCH):
        self.start = start
        self.now = 0.0
        self.rng = random.Random(seed)
        self.steps = 0
        self._seq = 0
        # (when, seq, timer): tuples compare in C, a heap of 100,000s of timers stays cheap
        self._timers: list[tuple[float, int, Timer]] = []
        self._ready: deque[Timer] = deque()
        self._idle: deque[Timer] = deque()  # run when nothing else is due at this instant
        self._fifos: dict[float, deque[Timer]] = {}  # delay → its timers (`call_later(fifo=)`)
        self._foreground = 0  # pending, non-background timers (ready or in the heap)
        self._serial = 0
        # Formatted and parsed timestamps, memoized: many writes happen at one instant.
        self._formatted: dict[float, str] = {}
        self._parsed: dict[str, float] = {}
        self._memo_start = start

    def __repr__(self) -> str:
        return f"<EventLoop t={self.now:g}s {self.timestamp()} pending={self.pending()}>"

    # -- scheduling ---------------------------------------------------------------------------
    def _timer(
        self, when: float, callback: Callable[..., Any], args: tuple, label: str, background: bool
    ) -> Timer:
        self._seq += 1
        if not background:
            self._foreground += 1
        return Timer(self, when, self._seq, callback, args, label, background)

    def call_soon(self, callback: Callable[..., Any], *args: Any, label: str = "") -> Timer:
        """Run `callback(*args)` at the current instant, after what is already due now."""
        timer = self._timer(self.now, callback, args, label, False)
        self._ready.append(timer)
        return timer

    def call_idle(self, callback: Callable[..., Any], *args: Any, label: str = "") -> Timer:
        """Run `callback(*args)` at the current instant, once nothing else is due at it.

        Controller workers run this way: the watch events of one instant are all delivered (and
        their keys deduplicated by the work queue) before a worker syncs, as when a real worker
        goroutine is slower than the events it consumes.
        """
        timer = self._timer(self.now, callback, args, label, False)
        self._idle.append(timer)
        return timer

    def call_at(
        self,
        when: float,
        callback: Callable[..., Any],
        *args: Any,
        label: str = "",
        background: bool = False,
    ) -> Timer:
        """Run `callback(*args)` at virtual time `when` (seconds since start)."""
        if when <= self.now and not background:
            return self.call_soon(callback, *args, label=label)
        timer = self._timer(max(when, self.now), callback, args, label, background)
        heapq.heappush(self._timers, (timer.when, timer.seq, timer))
        return timer

    def call_later(
        self,
        delay: float,
        callback: Callable[..., Any],
        *args: Any,
        label: str = "",
        background: bool = False,
        fifo: bool = False,
    ) -> Timer:
        """Run `callback(*args)` after `delay` virtual seconds.

        With `fifo` (a positive delay that many timers share), the timer waits in that delay's
        FIFO instead of the heap: the same order, a smaller heap."""
        if not fifo:
            return self.call_at(
                self.now + max(delay, 0.0), callback, *args, label=label, background=background
            )
        if delay <= 0:
            raise ValueError(f"a FIFO timer needs a positive delay, not {delay}")
        timer = self._timer(self.now + delay, callback, args, label, background)
        timer.fifo = queue = self._fifos.setdefault(delay, deque())
        queue.append(timer)
        if len(queue) == 1:  # (else a timer scheduled earlier heads it, and is in the heap)
            heapq.heappush(self._timers, (timer.when, timer.seq, timer))
        return timer

    def serial(self) -> int:
        """A number unique within this loop (e.g. to tell apart events recorded at one instant)."""
        self._serial += 1
        return self._serial

    # -- running ------------------------------------------------------------------------------
    def pending(self) -> int:
        """How many callbacks are scheduled and not cancelled."""
        queues = (self._ready, self._idle, *self._fifos.values())
        queued = sum(t.state == "pending" for queue in queues for t in queue)
        heads = sum(entry[2].state == "pending" and entry[2].fifo is None for entry in self._timers)
        return queued + heads

    def busy(self) -> bool:
        """Whether foreground work is scheduled (anything but background timers)."""
        return self._foreground > 0

    def next_time(self) -> float | None:
        """The virtual time of the next callback, or None when nothing is scheduled."""
        if any(t.state == "pending" for t in self._ready) or any(
            t.state == "pending" for t in self._idle
        ):
            return self.now
        while self._timers and self._timers[0][2].cancelled:
            self._heappop()
        return self._timers[0][0] if self._timers else None

    def _heappop(self) -> Timer:
        """Take the heap's first timer; if it heads a FIFO, the next one there takes its place."""
        timer = heapq.heappop(self._timers)[2]
        queue = timer.fifo
        if queue is not None:
            queue.popleft()  # (`timer` itself)
            if queue:
                head = queue[0]
                heapq.heappush(self._timers, (head.when, head.seq, head))
        return timer

    def _pop(self, until: float | None) -> Timer | None:
        while self._ready:
            timer = self._ready.popleft()
            if timer.state == "pending":
                return timer
        while self._timers and self._timers[0][0] <= self.now:
            timer = self._heappop()
            if timer.state == "pending":
                return timer
        while self._idle:
            timer = self._idle.popleft()
            if timer.state == "pending":
                return timer
        while self._timers:
            timer = self._timers[0][2]
            if timer.cancelled:
                self._heappop()
                continue
            if until is not None and timer.when > until:
                return None
            self._heappop()
            self.now = max(self.now, timer.when)
            return timer
        return None

    def step(self, until: float | None = None) -> Timer | None:
        """Run the next due callback (not later than `until`); return it, or None if none."""
        timer = self._pop(until)
        if timer is None:
            return None
        timer.state = "ran"
        if not timer.background:
            self._foreground -= 1
        self.steps += 1
        timer.callback(*timer.args)
        return timer

    def run(self, until: float | None = None, max_steps: int | None = None) -> int:
        """Run callbacks in order until virtual time `until` (then set the clock to it).

        Without `until`, run until nothing is scheduled. Returns the number of callbacks run.
        """
        count = 0
        with PACER:  # full garbage collections paced like Go's (`gcpace.py`)
            while max_steps is None or count < max_steps:
                if self.step(until) is None:
                    break
                count += 1
                if not count % CHECK_EVERY:
                    PACER.check()
        if until is not None and until > self.now and (max_steps is None or count < max_steps):
            self.now = until
        return count

    def run_for(self, seconds: float) -> int:
        """Advance the clock by `seconds`, running everything due on the way."""
        return self.run(until=self.now + seconds)

    def settle(self, timeout: float = 3600.0) -> float:
        """Run until only background timers remain, or `timeout` virtual seconds passed.

        Returns the virtual seconds that passed.
        """
        start, deadline, count = self.now, self.now + timeout, 0
        with PACER:
            while self.busy():
                if self.step(until=deadline) is None:
                    break
                count += 1
                if not count % CHECK_EVERY:
                    PACER.check()
        return self.now - start

    # -- wall-clock views of virtual time -----------------------------------------------------
    def datetime(self, t: float | None = None) -> datetime:
        """The virtual instant `t` (default: now) as an aware UTC datetime."""
        return self.start + timedelta(seconds=self.now if t is None else t)

    def timestamp(self, t: float | None = None) -> str:
        """RFC 3339 with second precision, as Kubernetes writes `metav1.Time`."""
        when = self.now if t is None else t
        self._check_memo()
        text = self._formatted.get(when)
        if text is None:
            text = self.datetime(when).strftime("%Y-%m-%dT%H:%M:%SZ")
            _remember(self._formatted, when, text)
        return text

    def parse_timestamp(self, value: str) -> float:
        """Seconds since start for an RFC 3339 timestamp like those `timestamp` writes."""
        self._check_memo()
        seconds = self._parsed.get(value)
        if seconds is None:
            parsed = datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
            seconds = (parsed - self.start).total_seconds()
            _remember(self._parsed, value, seconds)
        return seconds

    def _check_memo(self) -> None:
        """Forget memoized timestamps when `start` was moved."""
        if self._memo_start is not self.start:
            self._formatted.clear()
            self._parsed.clear()
            self._memo_start = self.start


MEMO_SIZE = 4096


def _remember(memo: dict, key: Any, value: Any) -> None:
    """Store in a bounded memo (emptied when full: recent instants are the ones asked for)."""
    if len(memo) >= MEMO_SIZE:
        memo.clear()
    memo[key] = value
