"""Rate limiters for work queues, mirroring client-go `util/workqueue/default_rate_limiters.go`.

`when(item)` says how long a failed item waits before it is retried (and counts the failure),
`forget(item)` resets it, `num_requeues(item)` counts failures. Delays are virtual seconds.
Left out: `WithMaxWaitRateLimiter`, `TypedRateLimiter` generics.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, Protocol


class RateLimiter(Protocol):
    """How long an item waits before it is re-queued; `forget` ends its retries."""

    def when(self, item: Hashable) -> float: ...
    def forget(self, item: Hashable) -> None: ...
    def num_requeues(self, item: Hashable) -> int: ...


class ItemExponentialFailureRateLimiter:
    """`base * 2**failures`, capped at `max_delay`; upstream defaults 5ms and 1000s."""

    def __init__(self, base_delay: float = 0.005, max_delay: float = 1000.0):
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.failures: dict[Hashable, int] = {}

    def __repr__(self) -> str:
        return (
            f"<ItemExponentialFailureRateLimiter base={self.base_delay:g}s max={self.max_delay:g}s>"
        )

    def when(self, item: Hashable) -> float:
        """The back-off for this failure of `item`; counts the failure."""
        exp = self.failures.get(item, 0)
        self.failures[item] = exp + 1
        return min(self.base_delay * 2.0 ** min(exp, 1000), self.max_delay)

    def num_requeues(self, item: Hashable) -> int:
        """How many failures `item` has had since it was last forgotten."""
        return self.failures.get(item, 0)

    def forget(self, item: Hashable) -> None:
        """Stop tracking `item`: its next back-off starts again at `base_delay`."""
        self.failures.pop(item, None)


class ItemFastSlowRateLimiter:
    """`fast_delay` for the first `max_fast_attempts` failures, then `slow_delay`."""

    def __init__(self, fast_delay: float, slow_delay: float, max_fast_attempts: int):
        self.fast_delay = fast_delay
        self.slow_delay = slow_delay
        self.max_fast_attempts = max_fast_attempts
        self.failures: dict[Hashable, int] = {}

    def __repr__(self) -> str:
        return (
            f"<ItemFastSlowRateLimiter fast={self.fast_delay:g}s slow={self.slow_delay:g}s "
            f"attempts={self.max_fast_attempts}>"
        )

    def when(self, item: Hashable) -> float:
        """Fast while the failure count is within `max_fast_attempts`, slow after."""
        self.failures[item] = self.failures.get(item, 0) + 1
        if self.failures[item] <= self.max_fast_attempts:
            return self.fast_delay
        return self.slow_delay

    def num_requeues(self, item: Hashable) -> int:
        """How many failures `item` has had since it was last forgotten."""
        return self.failures.get(item, 0)

    def forget(self, item: Hashable) -> None:
        """Stop tracking `item`."""
        self.failures.pop(item, None)


class BucketRateLimiter:
    """An overall token bucket (`golang.org/x/time/rate`): `qps` refill, `burst` capacity.

    Runs on virtual time: the queue that owns it sets `clock` (anything with a `now`).
    """

    def __init__(self, qps: float = 10.0, burst: int = 100, clock: Any = None):
        self.qps = qps
        self.burst = burst
        self.clock = clock
        self.tokens = float(burst)
        self.last = 0.0 if clock is None else clock.now

    def __repr__(self) -> str:
        return f"<BucketRateLimiter qps={self.qps:g} burst={self.burst} tokens={self.tokens:g}>"

    def set_clock(self, clock: Any) -> None:
        """Bind the bucket to a virtual clock (the queue's loop)."""
        if self.clock is None:
            self.clock = clock
            self.last = clock.now

    def when(self, item: Hashable) -> float:
        """Reserve one token; the delay until it is available (`Reserve().Delay()`)."""
        if self.clock is None:
            raise RuntimeError("BucketRateLimiter needs a clock: pass clock= or use it in a queue")
        now = self.clock.now
        elapsed = max(now - self.last, 0.0)
        self.tokens = min(float(self.burst), self.tokens + elapsed * self.qps) - 1
        self.last = max(now, self.last)
        return -self.tokens / self.qps if self.tokens < 0 else 0.0

    def num_requeues(self, item: Hashable) -> int:
        """Always 0: the bucket does not track items."""
        return 0

    def forget(self, item: Hashable) -> None:
        """Nothing to forget."""


class MaxOfRateLimiter:
    """Asks every limiter and returns the worst (longest) delay."""

    def __init__(self, *limiters: RateLimiter):
        self.limiters = list(limiters)

    def __repr__(self) -> str:
        return f"<MaxOfRateLimiter {' '.join(repr(limiter) for limiter in self.limiters)}>"

    def set_clock(self, clock: Any) -> None:
        """Pass the clock on to limiters that need one."""
        for limiter in self.limiters:
            set_clock(limiter, clock)

    def when(self, item: Hashable) -> float:
        """The longest delay any limiter asks for (every limiter counts the failure)."""
        return max((limiter.when(item) for limiter in self.limiters), default=0.0)

    def num_requeues(self, item: Hashable) -> int:
        """The highest count any limiter keeps."""
        return max((limiter.num_requeues(item) for limiter in self.limiters), default=0)

    def forget(self, item: Hashable) -> None:
        """Forget `item` in every limiter."""
        for limiter in self.limiters:
            limiter.forget(item)


def default_controller_rate_limiter() -> MaxOfRateLimiter:
    """Upstream `DefaultControllerRateLimiter`: per-item 5ms·2ⁿ (≤1000s), overall 10 qps/100."""
    return MaxOfRateLimiter(
        ItemExponentialFailureRateLimiter(0.005, 1000.0), BucketRateLimiter(qps=10, burst=100)
    )


def set_clock(limiter: RateLimiter, clock: Any) -> None:
    """Give `limiter` the virtual clock if it needs one (the token bucket does)."""
    method = getattr(limiter, "set_clock", None)
    if method is not None:
        method(clock)
