"""Periodic work of many kubelets on few timers: the simulator's stand-in for one goroutine per
kubelet running `wait.Until(fn, period)` (`nodeStatusUpdateFrequency`, the node lease
`renewInterval`).

Each member still runs every `period` from its own start, exactly when its own timer would have
fired; members due at the same instant share one loop timer and run in the order they joined
(the order their own timers would have had). Five thousand kubelets started together then cost
one timer per period instead of ten thousand. A member may also sleep: its runs due before its
`wake_at` are passed over, and it keeps its place (a kubelet whose node status check could find
nothing until its Node changes or its report is due). Left out: upstream's jitter (there is
none here either: determinism).
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from minik8s.sim.loop import EventLoop


class Member:
    """One periodic callback; `cancel()` stops it (like cancelling its timer)."""

    __slots__ = ("fn", "label", "state", "wake_at")

    def __init__(self, fn: Callable[[], object], label: str):
        self.fn = fn
        self.label = label
        self.state = "pending"  # pending → cancelled
        self.wake_at = -math.inf  # runs due before this instant are passed over

    def cancel(self) -> None:
        """No more runs."""
        self.state = "cancelled"

    def __repr__(self) -> str:
        return f"<Member {self.label} {self.state}>"


class Ticker:
    """Members of one period, bucketed by the instant they are next due."""

    def __init__(self, loop: EventLoop, period: float, label: str):
        self._loop = weakref.ref(loop)  # the loop owns us (through our timers), not we it
        self.period = period
        self.label = label
        self.buckets: dict[float, list[Member]] = {}  # due instant → members, in join order

    def __repr__(self) -> str:
        members = sum(len(b) for b in self.buckets.values())
        return f"<Ticker {self.label} members={members}>"

    @property
    def loop(self) -> EventLoop:
        """The loop the members run on."""
        loop = self._loop()
        if loop is None:
            raise RuntimeError("the event loop is gone")
        return loop

    def every(self, fn: Callable[[], object], label: str) -> Member:
        """Run `fn` every period from now on (the first run one period from now)."""
        member = Member(fn, label)
        self._add(self.loop.now + self.period, member)
        return member

    def _add(self, when: float, member: Member) -> None:
        self._bucket(when).append(member)

    def _bucket(self, when: float) -> list[Member]:
        """The members due at `when`, armed with a loop timer when first made."""
        bucket = self.buckets.get(when)
        if bucket is None:
            bucket = self.buckets[when] = []
            self.loop.call_at(when, self._fire, when, background=True, label=self.label)
        return bucket

    def _fire(self, when: float) -> None:
        """Run the members due now; each is due again a period later (re-armed first)."""
        again: list[Member] | None = None  # the next bucket, looked up once
        for member in self.buckets.pop(when, ()):
            if member.state == "pending":
                if again is None:
                    again = self._bucket(when + self.period)
                again.append(member)
                if when >= member.wake_at:
                    member.fn()


_TICKERS: weakref.WeakKeyDictionary[EventLoop, dict[float, Ticker]] = weakref.WeakKeyDictionary()


def ticker(loop: EventLoop, period: float) -> Ticker:
    """The loop's shared ticker for `period` seconds."""
    tickers = _TICKERS.setdefault(loop, {})
    if period not in tickers:
        tickers[period] = Ticker(loop, period, f"kubelet heartbeats every {period:g}s")
    return tickers[period]
